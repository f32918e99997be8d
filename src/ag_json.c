#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "ag_json.h"

static apr_status_t delete_json(void *data)
{
    cJSON_Delete(data);
    return APR_SUCCESS;
}

/* Up to this many members a quadratic scan is cheaper than a hash. */
#define SMALL_OBJECT 16

int ag_json_has_duplicates(const cJSON *obj, apr_pool_t *p)
{
    const cJSON *a, *b;
    apr_hash_t *seen;
    int n = 0;

    for (a = obj->child; a != NULL; a = a->next)
        n++;
    if (n <= SMALL_OBJECT) {
        for (a = obj->child; a != NULL; a = a->next)
            for (b = a->next; b != NULL; b = b->next)
                if (strcmp(a->string, b->string) == 0)
                    return 1;
        return 0;
    }
    seen = apr_hash_make(p);
    for (a = obj->child; a != NULL; a = a->next) {
        if (apr_hash_get(seen, a->string, APR_HASH_KEY_STRING) != NULL)
            return 1;
        apr_hash_set(seen, a->string, APR_HASH_KEY_STRING, a);
    }
    return 0;
}

/* 1 when the LEN octets at DATA hold the escape \u0000, which cJSON
 * decodes into a NUL that would end the string early for every C string
 * function after it (a "sub" of "admin\u0000x" read as "admin").  A
 * backslash is only valid in a string, where it starts an escape: each is
 * stepped over whole, so an escaped backslash followed by "u0000" is
 * text. */
static int has_escaped_nul(const char *data, apr_size_t len)
{
    const char *s = data, *end = data + len;

    while ((s = memchr(s, '\\', (apr_size_t)(end - s))) != NULL) {
        if (end - s >= 6 && memcmp(s + 1, "u0000", 5) == 0)
            return 1;
        s += 2;
        if (s >= end)
            break;
    }
    return 0;
}

apr_status_t ag_json_parse_object(const char *data, apr_size_t len,
                                  cJSON **out, apr_pool_t *p)
{
    const char *end = NULL;
    cJSON *root;

    if (memchr(data, '\0', len) != NULL || has_escaped_nul(data, len))
        return APR_EINVAL;
    root = cJSON_ParseWithLengthOpts(data, len, &end, 0);
    if (root == NULL)
        return APR_EINVAL;
    apr_pool_cleanup_register(p, root, delete_json, apr_pool_cleanup_null);
    /* nothing but white space after the object */
    while (end != NULL && end < data + len &&
           (*end == ' ' || *end == '\t' || *end == '\r' || *end == '\n'))
        end++;
    if (end != data + len || !cJSON_IsObject(root) ||
        ag_json_has_duplicates(root, p))
        return APR_EINVAL;
    *out = root;
    return APR_SUCCESS;
}

const cJSON *ag_json_get(const cJSON *obj, const char *name)
{
    if (!cJSON_IsObject(obj))
        return NULL;
    return cJSON_GetObjectItemCaseSensitive(obj, name);
}

const char *ag_json_get_string(const cJSON *obj, const char *name)
{
    const cJSON *item = ag_json_get(obj, name);

    return cJSON_IsString(item) ? item->valuestring : NULL;
}

const char *ag_json_print(const cJSON *item, apr_pool_t *p)
{
    char *text = cJSON_PrintUnformatted(item);
    const char *copy;

    if (text == NULL)
        return NULL;
    copy = apr_pstrdup(p, text);
    cJSON_free(text);
    return copy;
}
