#include <string.h>

#include <apr_strings.h>

#include "ag_challenge.h"
#include "ag_header.h"

struct ag_challenge {
    apr_pool_t *pool;
    const char *scheme;
    apr_array_header_t *params;  /* of const char *, "name=value" */
};

/* "NAME=" (nothing when NAME is NULL) and then VALUE as a quoted-string:
 * '"' and '\' escaped, the other octets that are not qdtext (CTLs but
 * HTAB) left out.  Most values hold none of these and are copied whole. */
static const char *quote_after(const char *name, const char *value,
                               apr_pool_t *p)
{
    apr_size_t nlen = name != NULL ? strlen(name) + 1 : 0;
    apr_size_t len = strlen(value), n, plain, i;
    char *out, *o;

    plain = ag_header_qdtext_span(value, len);
    for (n = plain, i = plain; i < len; i++)
        n += (value[i] == '"' || value[i] == '\\') ? 2 : 1;
    out = o = apr_palloc(p, nlen + n + 3);
    if (name != NULL) {
        memcpy(o, name, nlen - 1);
        o[nlen - 1] = '=';
        o += nlen;
    }
    *o++ = '"';
    memcpy(o, value, plain);
    o += plain;
    for (i = plain; i < len; i++) {
        unsigned char c = (unsigned char)value[i];

        if (c == '"' || c == '\\') {
            *o++ = '\\';
            *o++ = (char)c;
        }
        else if (ag_header_is_qdtext(c))
            *o++ = (char)c;
    }
    *o++ = '"';
    *o = '\0';
    return out;
}

const char *ag_quote(const char *value, apr_pool_t *p)
{
    return quote_after(NULL, value, p);
}

const char *ag_unescape(const char *value, apr_pool_t *p)
{
    char *out = apr_palloc(p, strlen(value) + 1), *o = out;
    const char *s;

    for (s = value; *s != '\0'; s++) {
        if (*s == '\\' && *++s == '\0')
            break;
        *o++ = *s;
    }
    *o = '\0';
    return out;
}

ag_challenge *ag_challenge_make(const char *scheme, apr_pool_t *p)
{
    ag_challenge *c = apr_palloc(p, sizeof(*c));

    c->pool = p;
    c->scheme = scheme;
    c->params = apr_array_make(p, 6, sizeof(const char *));
    return c;
}

void ag_challenge_add_quoted(ag_challenge *c, const char *name,
                             const char *value)
{
    APR_ARRAY_PUSH(c->params, const char *) = quote_after(name, value,
                                                          c->pool);
}

void ag_challenge_add_token(ag_challenge *c, const char *name,
                            const char *value)
{
    if (!ag_header_is_token(value)) {
        ag_challenge_add_quoted(c, name, value);
        return;
    }
    APR_ARRAY_PUSH(c->params, const char *) =
        apr_pstrcat(c->pool, name, "=", value, NULL);
}

ag_challenge *ag_challenge_copy(const ag_challenge *c, apr_pool_t *p)
{
    ag_challenge *copy = apr_palloc(p, sizeof(*copy));

    copy->pool = p;
    copy->scheme = c->scheme;
    copy->params = apr_array_copy_hdr(p, c->params);
    return copy;
}

void ag_challenge_append(ag_challenge *c, const ag_challenge *more)
{
    apr_array_cat(c->params, more->params);
}

const char *ag_challenge_render(const ag_challenge *c, apr_pool_t *p)
{
    apr_size_t len = strlen(c->scheme);
    char *out, *o;
    int i;

    for (i = 0; i < c->params->nelts; i++)
        len += 2 + strlen(APR_ARRAY_IDX(c->params, i, const char *));
    out = o = apr_palloc(p, len + 1);
    o = stpcpy(o, c->scheme);
    for (i = 0; i < c->params->nelts; i++) {
        o = stpcpy(o, i == 0 ? " " : ", ");
        o = stpcpy(o, APR_ARRAY_IDX(c->params, i, const char *));
    }
    return out;
}
