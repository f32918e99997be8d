#include <string.h>

#include <apr_strings.h>

#include "ag_challenge.h"
#include "ag_header.h"

/* Room for most challenges (a Digest one is about 200 octets) without
 * growing. */
#define CHALLENGE_SIZE 256

/* The challenge is kept as its text, written as parameters are added:
 * a 401 with several challenges is one of the most frequent answers a
 * gate sends, and copying one text costs less than joining its parts. */
struct ag_challenge {
    apr_pool_t *pool;
    char *text;            /* "SCHEME" or "SCHEME a=b, c=d", terminated */
    apr_size_t len;        /* strlen(text) */
    apr_size_t size;       /* octets at text */
    apr_size_t scheme_len;
};

/* Room for MORE octets (and the terminating NUL) at the end of C's text;
 * a text that has no room is copied into a larger allocation. */
static char *room(ag_challenge *c, apr_size_t more)
{
    if (c->len + more + 1 > c->size) {
        apr_size_t size = c->len + more + 1;
        char *text;

        size = size < CHALLENGE_SIZE ? CHALLENGE_SIZE : 2 * size;
        text = apr_palloc(c->pool, size);
        memcpy(text, c->text, c->len + 1);
        c->text = text;
        c->size = size;
    }
    return c->text + c->len;
}

/* Where a parameter of LEN octets goes: after " " if it is the first,
 * after ", " if not.  The text is terminated after it. */
static char *next_param(ag_challenge *c, apr_size_t len)
{
    int first = c->len == c->scheme_len;
    char *o = room(c, len + (first ? 1 : 2));

    if (!first)
        *o++ = ',';
    *o++ = ' ';
    c->len = (apr_size_t)(o - c->text) + len;
    c->text[c->len] = '\0';
    return o;
}

/* The length of VALUE (LEN octets, the first PLAIN of them qdtext) as a
 * quoted-string, DQUOTEs included. */
static apr_size_t quoted_len(const char *value, apr_size_t len,
                             apr_size_t plain)
{
    apr_size_t n = plain + 2, i;

    for (i = plain; i < len; i++) {
        unsigned char c = (unsigned char)value[i];

        if (c == '"' || c == '\\')
            n += 2;
        else if (ag_header_is_qdtext(c))
            n++;
    }
    return n;
}

/* VALUE as a quoted-string at O, which has room for quoted_len() octets:
 * '"' and '\' escaped, the other octets that are not qdtext (CTLs but
 * HTAB) left out.  Most values hold none of these and are copied whole. */
static void quote_into(char *o, const char *value, apr_size_t len,
                       apr_size_t plain)
{
    apr_size_t i;

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
    *o = '"';
}

const char *ag_unescape(const char *value, apr_pool_t *p)
{
    const char *s = strchr(value, '\\');
    char *out, *o;

    /* most realms have no quoted-pair: they stand for themselves */
    if (s == NULL)
        return value;
    out = apr_palloc(p, strlen(value) + 1);
    o = out;
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
    c->scheme_len = strlen(scheme);
    c->size = c->scheme_len < CHALLENGE_SIZE ? CHALLENGE_SIZE
                                             : c->scheme_len + 1;
    c->text = apr_palloc(p, c->size);
    memcpy(c->text, scheme, c->scheme_len + 1);
    c->len = c->scheme_len;
    return c;
}

void ag_challenge_add_quoted(ag_challenge *c, const char *name,
                             const char *value)
{
    apr_size_t nlen = strlen(name), len = strlen(value), plain;
    char *o;

    plain = ag_header_qdtext_span(value, len);
    o = next_param(c, nlen + 1 + quoted_len(value, len, plain));
    memcpy(o, name, nlen);
    o[nlen] = '=';
    quote_into(o + nlen + 1, value, len, plain);
}

void ag_challenge_add_token(ag_challenge *c, const char *name,
                            const char *value)
{
    apr_size_t nlen, len;
    char *o;

    if (!ag_header_is_token(value)) {
        ag_challenge_add_quoted(c, name, value);
        return;
    }
    nlen = strlen(name);
    len = strlen(value);
    o = next_param(c, nlen + 1 + len);
    memcpy(o, name, nlen);
    o[nlen] = '=';
    memcpy(o + nlen + 1, value, len);
}

ag_challenge *ag_challenge_copy(const ag_challenge *c, apr_pool_t *p)
{
    ag_challenge *copy = apr_palloc(p, sizeof(*copy));

    *copy = *c;
    copy->pool = p;
    copy->size = c->len < CHALLENGE_SIZE ? CHALLENGE_SIZE : 2 * c->len;
    copy->text = apr_palloc(p, copy->size);
    memcpy(copy->text, c->text, c->len + 1);
    return copy;
}

/* C's parameters, which follow its scheme and one space, and their
 * length in *LEN (0 when it has none). */
static const char *params_of(const ag_challenge *c, apr_size_t *len)
{
    if (c->len == c->scheme_len) {
        *len = 0;
        return "";
    }
    *len = c->len - c->scheme_len - 1;
    return c->text + c->scheme_len + 1;
}

void ag_challenge_append(ag_challenge *c, const ag_challenge *more)
{
    apr_size_t len;
    const char *params = params_of(more, &len);

    if (len > 0)
        memcpy(next_param(c, len), params, len);
}

const char *ag_challenge_render(const ag_challenge *c, apr_pool_t *p)
{
    return apr_pstrmemdup(p, c->text, c->len);
}

const char *ag_challenge_render_params(const ag_challenge *c, apr_pool_t *p)
{
    apr_size_t len;
    const char *params = params_of(c, &len);

    return apr_pstrmemdup(p, params, len);
}
