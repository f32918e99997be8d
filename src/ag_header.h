/* RFC 7235 §2.1 credentials, as sent in Authorization and
 * Proxy-Authorization:
 *
 *   credentials = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *   auth-param  = token BWS "=" BWS ( token / quoted-string )
 *
 * The parser copies the value once and cuts the copy into the pieces it
 * returns, bounds everything, and refuses what is ambiguous: a parameter
 * named twice, a quoted-string that does not end, octets a header may not
 * carry. */
#ifndef AG_HEADER_H
#define AG_HEADER_H

#include <apr_pools.h>
#include <apr_tables.h>

/* Longest credentials the parser looks at; longer ones are malformed. */
#define AG_HEADER_MAX_LEN 16384
/* Most auth-params in one credentials value. */
#define AG_HEADER_MAX_PARAMS 32

typedef struct {
    const char *name;    /* as sent; compare without regard to case */
    apr_size_t name_len; /* strlen(name) */
    const char *value;   /* unquoted, escapes resolved */
    apr_size_t value_len; /* strlen(value) */
    int quoted;          /* sent as a quoted-string */
} ag_auth_param;

typedef struct {
    const char *scheme;          /* as sent */
    const char *token68;         /* NULL unless the form was token68 */
    apr_array_header_t *params;  /* of ag_auth_param; empty for token68 */
} ag_credentials;

/* Parses VALUE into *OUT.  APR_EINVAL for anything RFC 7235 does not
 * allow, and *WHY (when WHY is not NULL) says what, in a few words that
 * never quote the input. */
apr_status_t ag_header_parse(const char *value, ag_credentials **out,
                             const char **why, apr_pool_t *p);

/* The value of the parameter NAME (case-insensitive), or NULL. */
const char *ag_header_param(const ag_credentials *cred, const char *name);

/* 1 when C is qdtext (RFC 9110 §5.6.4): an octet a quoted-string
 * carries as it is (HTAB, SP, VCHAR other than DQUOTE and backslash,
 * obs-text). */
int ag_header_is_qdtext(unsigned char c);

/* How many of the first LEN octets of S are qdtext, from the start. */
apr_size_t ag_header_qdtext_span(const char *s, apr_size_t len);

/* 1 when S is an RFC 9110 token (one or more tchars): an auth-scheme, a
 * parameter name or value written bare, a header field name. */
int ag_header_is_token(const char *s);

#endif
