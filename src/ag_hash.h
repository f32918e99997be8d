/* SHA-256 and lower-case hex, as the gate's lookups use them (API keys by
 * their hash, the verified-token cache by the token's). */
#ifndef AG_HASH_H
#define AG_HASH_H

#include <apr.h>

#define AG_SHA256_LEN 32

/* SHA-256 of LEN bytes of DATA into OUT; 0 (and OUT zeroed) in the
 * unlikely case libcrypto fails, so that a caller can refuse to use it. */
int ag_sha256(const void *data, apr_size_t len,
              unsigned char out[AG_SHA256_LEN]);

/* LEN bytes of IN as 2 * LEN lower-case hex digits and a NUL, into OUT. */
void ag_hex_encode(const unsigned char *in, apr_size_t len, char *out);

#endif
