#include <string.h>
#include <strings.h>

#include <apr_errno.h>
#include <apr_lib.h>
#include <apr_strings.h>

#include "ag_header.h"

/* Character classes, by octet: RFC 7230 §3.2.6 tchar and qdtext (a
 * quoted-string's octets other than DQUOTE and backslash), and RFC 7235
 * §2.1 token68 characters (before the trailing '='s). */
#define CLASS_TCHAR 1
#define CLASS_TOKEN68 2
#define CLASS_QDTEXT 4

static const unsigned char char_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0,  /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x10 */
    4, 5, 0, 5, 5, 5, 5, 5, 4, 4, 5, 7, 4, 7, 7, 6,  /* 0x20 */
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 4, 4, 4, 4, 4, 4,  /* 0x30 */
    4, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,  /* 0x40 */
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 4, 0, 4, 5, 7,  /* 0x50 */
    5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,  /* 0x60 */
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 4, 5, 4, 7, 0,  /* 0x70 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0x80 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0x90 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0xa0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0xb0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0xc0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0xd0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0xe0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0xf0 */
};

static int is_tchar(unsigned char c)
{
    return char_class[c] & CLASS_TCHAR;
}

int ag_header_is_token(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++)
        if (!is_tchar((unsigned char)*s))
            return 0;
    return 1;
}

static int is_token68_char(unsigned char c)
{
    return char_class[c] & CLASS_TOKEN68;
}

/* RFC 7230 §3.2.6 qdtext and quoted-pair's second octet (HTAB, SP,
 * VCHAR, obs-text). */
static int is_qtext_octet(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static const char *skip_ows(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static const char *skip_token(const char *s)
{
    while (is_tchar((unsigned char)*s))
        s++;
    return s;
}

/* If S..end is a token68 followed only by OWS, its end; else NULL. */
static const char *match_token68(const char *s)
{
    const char *t = s;

    while (is_token68_char((unsigned char)*t))
        t++;
    if (t == s)
        return NULL;
    while (*t == '=')
        t++;
    return *skip_ows(t) == '\0' ? t : NULL;
}

/* Reads a quoted-string at *S (which is at the opening DQUOTE) into
 * *VALUE and moves *S past the closing DQUOTE.  Most values hold no
 * quoted-pair and are copied as they are; the others take a first pass
 * that checks and measures and a second that copies, so a value costs its
 * own length only. */
static apr_status_t read_quoted(const char **s, const char **value,
                                const char **why, apr_pool_t *p)
{
    const char *in = *s + 1, *t;
    apr_size_t len = 0;
    char *o;

    for (t = in; char_class[(unsigned char)*t] & CLASS_QDTEXT; t++)
        ;
    if (*t == '"') {
        *value = apr_pstrmemdup(p, in, (apr_size_t)(t - in));
        *s = t + 1;
        return APR_SUCCESS;
    }
    for (t = in; *t != '"'; t++, len++) {
        if (*t == '\\')
            t++;
        if (*t == '\0') {
            *why = "unterminated quoted-string";
            return APR_EINVAL;
        }
        if (!is_qtext_octet((unsigned char)*t)) {
            *why = "control character in quoted-string";
            return APR_EINVAL;
        }
    }
    *value = o = apr_palloc(p, len + 1);
    for (t = in; *t != '"'; t++) {
        if (*t == '\\')
            t++;
        *o++ = *t;
    }
    *o = '\0';
    *s = t + 1;
    return APR_SUCCESS;
}

/* Reads one auth-param at *S. */
static apr_status_t read_param(const char **s, ag_auth_param *param,
                               const char **why, apr_pool_t *p)
{
    const char *name = *s, *end = skip_token(name), *v;

    if (end == name) {
        *why = "expected a parameter name";
        return APR_EINVAL;
    }
    param->name_len = (apr_size_t)(end - name);
    param->name = apr_pstrmemdup(p, name, param->name_len);
    v = skip_ows(end);
    if (*v != '=') {
        *why = "expected '=' after a parameter name";
        return APR_EINVAL;
    }
    v = skip_ows(v + 1);
    if (*v == '"') {
        param->quoted = 1;
        *s = v;
        return read_quoted(s, &param->value, why, p);
    }
    end = skip_token(v);
    if (end == v) {
        *why = "expected a token or quoted-string value";
        return APR_EINVAL;
    }
    param->quoted = 0;
    param->value = apr_pstrmemdup(p, v, (apr_size_t)(end - v));
    *s = end;
    return APR_SUCCESS;
}

/* Parses the #auth-param list at S into CRED->params. */
static apr_status_t read_params(const char *s, ag_credentials *cred,
                                const char **why, apr_pool_t *p)
{
    for (;;) {
        ag_auth_param param;
        apr_status_t rv;

        /* #rule: empty list elements are allowed and ignored */
        while (*s == ',' || *s == ' ' || *s == '\t')
            s++;
        if (*s == '\0')
            return APR_SUCCESS;
        if (cred->params->nelts >= AG_HEADER_MAX_PARAMS) {
            *why = "too many parameters";
            return APR_EINVAL;
        }
        rv = read_param(&s, &param, why, p);
        if (rv != APR_SUCCESS)
            return rv;
        if (ag_header_param(cred, param.name) != NULL) {
            *why = "parameter given twice";
            return APR_EINVAL;
        }
        *(ag_auth_param *)apr_array_push(cred->params) = param;
        s = skip_ows(s);
        if (*s != ',' && *s != '\0') {
            *why = "expected ',' between parameters";
            return APR_EINVAL;
        }
    }
}

apr_status_t ag_header_parse(const char *value, ag_credentials **out,
                             const char **why, apr_pool_t *p)
{
    const char *dummy, *s, *end;
    ag_credentials *cred;

    if (why == NULL)
        why = &dummy;
    *why = NULL;
    if (value == NULL || strlen(value) > AG_HEADER_MAX_LEN) {
        *why = value == NULL ? "no value" : "credentials too long";
        return APR_EINVAL;
    }
    s = skip_ows(value);
    end = skip_token(s);
    if (end == s) {
        *why = "expected an auth-scheme";
        return APR_EINVAL;
    }
    cred = apr_pcalloc(p, sizeof(*cred));
    cred->scheme = apr_pstrmemdup(p, s, (apr_size_t)(end - s));
    cred->params = apr_array_make(p, 4, sizeof(ag_auth_param));
    s = end;
    if (*skip_ows(s) != '\0') {
        if (*s != ' ') {
            *why = "expected a space after the auth-scheme";
            return APR_EINVAL;
        }
        while (*s == ' ')
            s++;
        end = match_token68(s);
        if (end != NULL)
            cred->token68 = apr_pstrmemdup(p, s, (apr_size_t)(end - s));
        else if (read_params(s, cred, why, p) != APR_SUCCESS)
            return APR_EINVAL;
    }
    *out = cred;
    return APR_SUCCESS;
}

const char *ag_header_param(const ag_credentials *cred, const char *name)
{
    int first = apr_tolower((unsigned char)name[0]), i;
    apr_size_t len = strlen(name);

    for (i = 0; i < cred->params->nelts; i++) {
        const ag_auth_param *param =
            &APR_ARRAY_IDX(cred->params, i, ag_auth_param);

        /* the length and the first letter rule most names out without a
         * call */
        if (param->name_len == len &&
            apr_tolower((unsigned char)param->name[0]) == first &&
            strcasecmp(param->name, name) == 0)
            return param->value;
    }
    return NULL;
}
