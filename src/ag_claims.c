#include <math.h>
#include <stdio.h>
#include <string.h>

#include <apr_strings.h>

#include "ag_claims.h"
#include "ag_json.h"

int ag_scope_has(const char *granted, const char *wanted)
{
    apr_size_t n = strlen(wanted), len;
    const char *s = granted, *word;

    if (granted == NULL || n == 0)
        return 0;
    while ((word = ag_word_next(&s, &len)) != NULL)
        if (len == n && memcmp(word, wanted, n) == 0)
            return 1;
    return 0;
}

const char *ag_word_next(const char **s, apr_size_t *len)
{
    const char *p = *s, *start;

    while (*p == ' ')
        p++;
    if (*p == '\0') {
        *s = p;
        return NULL;
    }
    start = p;
    while (*p && *p != ' ')
        p++;
    *len = (apr_size_t)(p - start);
    *s = p;
    return start;
}

/* Most dots followed in a claim path. */
#define MAX_DEPTH 16

const cJSON *ag_claim_find(const cJSON *claims, const char *name)
{
    const cJSON *item = ag_json_get(claims, name);
    const char *s = name;
    char part[256];
    int depth = 0;

    if (item != NULL || strchr(name, '.') == NULL)
        return item;
    item = claims;
    while (item != NULL && depth++ < MAX_DEPTH) {
        const char *dot = strchr(s, '.');
        apr_size_t n = dot ? (apr_size_t)(dot - s) : strlen(s);

        if (n == 0 || n >= sizeof(part))
            return NULL;
        memcpy(part, s, n);
        part[n] = '\0';
        item = ag_json_get(item, part);
        if (dot == NULL)
            return item;
        s = dot + 1;
    }
    return NULL;
}

/* A number as JSON writes it: integers without a fraction. */
static void number_text(double v, char *buf, apr_size_t size)
{
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        snprintf(buf, size, "%.0f", v);
    else
        snprintf(buf, size, "%.17g", v);
}

static int scalar_match(const cJSON *item, const char *value)
{
    char buf[64];

    if (cJSON_IsString(item))
        return strcmp(item->valuestring, value) == 0;
    if (cJSON_IsNumber(item)) {
        number_text(item->valuedouble, buf, sizeof(buf));
        return strcmp(buf, value) == 0;
    }
    if (cJSON_IsBool(item))
        return strcmp(cJSON_IsTrue(item) ? "true" : "false", value) == 0;
    return 0;
}

int ag_claim_match(const cJSON *item, const char *value)
{
    const cJSON *e;

    if (item == NULL)
        return 0;
    if (cJSON_IsArray(item)) {
        cJSON_ArrayForEach(e, item)
            if (scalar_match(e, value))
                return 1;
        return 0;
    }
    return scalar_match(item, value);
}

apr_status_t ag_claim_requirement_parse(const char *word, const char **name,
                                        const char **value, apr_pool_t *p)
{
    const char *colon = strchr(word, ':');

    if (colon == NULL || colon == word)
        return APR_EINVAL;
    *name = apr_pstrmemdup(p, word, (apr_size_t)(colon - word));
    *value = colon + 1;
    return APR_SUCCESS;
}

const char *ag_claim_env_name(const char *claim, apr_pool_t *p)
{
    char *out = apr_pstrcat(p, "AUTHGATE_CLAIM_", claim, NULL);
    char *c;

    for (c = out + sizeof("AUTHGATE_CLAIM_") - 1; *c; c++) {
        if (*c >= 'a' && *c <= 'z')
            *c = (char)(*c - 'a' + 'A');
        else if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9')))
            *c = '_';
    }
    return out;
}

const char *ag_claim_env_value(const cJSON *item, apr_pool_t *p)
{
    char *out, *c;

    if (cJSON_IsString(item))
        out = apr_pstrdup(p, item->valuestring);
    else {
        const char *json = ag_json_print(item, p);

        if (json == NULL)
            return NULL;
        out = apr_pstrdup(p, json);
    }
    for (c = out; *c; c++)
        if ((unsigned char)*c < 0x20 || *c == 0x7f)
            *c = '?';
    return out;
}
