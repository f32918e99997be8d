/* RFC 7235 §2.1 challenges, as sent in WWW-Authenticate and
 * Proxy-Authenticate:
 *
 *   challenge = auth-scheme [ 1*SP ( token68 / #auth-param ) ]
 *
 * Values given as quoted are written as quoted-strings with '"' and '\'
 * escaped; octets a header may not carry (CTLs other than HTAB) are left
 * out, so no configured or computed text can split a header. */
#ifndef AG_CHALLENGE_H
#define AG_CHALLENGE_H

#include <apr_pools.h>
#include <apr_tables.h>

typedef struct ag_challenge ag_challenge;

/* A challenge of SCHEME, with no parameters yet. */
ag_challenge *ag_challenge_make(const char *scheme, apr_pool_t *p);

/* Appends NAME="VALUE". */
void ag_challenge_add_quoted(ag_challenge *c, const char *name,
                             const char *value);

/* Appends NAME=VALUE; VALUE must be a token (algorithm=SHA-256,
 * stale=true); a value that is not one is written quoted instead. */
void ag_challenge_add_token(ag_challenge *c, const char *name,
                            const char *value);

/* A challenge with C's scheme and parameters, to which more can be added
 * without changing C (challenges that share most of their parameters are
 * built once and copied). */
ag_challenge *ag_challenge_copy(const ag_challenge *c, apr_pool_t *p);

/* Appends MORE's parameters, in their order, to C (MORE's scheme is not
 * used). */
void ag_challenge_append(ag_challenge *c, const ag_challenge *more);

/* The challenge as one header value. */
const char *ag_challenge_render(const ag_challenge *c, apr_pool_t *p);

/* C's parameters alone, without its scheme: the value of a header made of
 * auth-params only, as Authentication-Info is (RFC 7615 §3). */
const char *ag_challenge_render_params(const ag_challenge *c, apr_pool_t *p);

/* VALUE with its quoted-pairs resolved ("\x" becomes "x"; a lone
 * backslash at the end is dropped): the text that VALUE, written between
 * DQUOTEs, stands for.  httpd keeps AuthName in that escaped form
 * (ap_escape_quotes), so the realm is unescaped before it is quoted.  A
 * VALUE without a backslash is returned itself. */
const char *ag_unescape(const char *value, apr_pool_t *p);

#endif
