/* Strict base64 and base64url (RFC 4648 §4 and §5).
 *
 * apr_base64_decode() stops quietly at the first byte outside the alphabet,
 * so "dXNlcjpwYXNz!!!" and "dXNlcjpwYXNz" decode alike.  A credential that
 * is not exactly one encoding is malformed, so the gate decodes with these
 * instead: every byte must belong to the alphabet, padding may be present
 * (it must then be right) or absent, and the unused bits of the last
 * character must be zero, so that each input has one meaning. */
#ifndef AG_BASE64_H
#define AG_BASE64_H

#include <apr_pools.h>

typedef enum {
    AG_BASE64 = 0,   /* + and /, as in Basic credentials */
    AG_BASE64URL     /* - and _, as in JWTs and JWKS */
} ag_base64_alphabet;

/* Decodes LEN bytes of IN.  On success *OUT holds the bytes, followed by a
 * NUL that *OUTLEN does not count, allocated from P; APR_EINVAL when IN is
 * not a canonical encoding. */
apr_status_t ag_base64_decode(const char *in, apr_size_t len,
                              ag_base64_alphabet alphabet,
                              unsigned char **out, apr_size_t *outlen,
                              apr_pool_t *p);

/* Encodes LEN bytes; base64url without padding, base64 with it. */
char *ag_base64_encode(const unsigned char *in, apr_size_t len,
                       ag_base64_alphabet alphabet, apr_pool_t *p);

#endif
