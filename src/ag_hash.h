/* The gate's hashing: the message digests it uses, fetched once for the
 * whole core; SHA-256 and lower-case hex as its lookups use them (API keys
 * by their hash, the verified-token cache by the token's); a 64-bit mix
 * for the fingerprints of configurations and keys. */
#ifndef AG_HASH_H
#define AG_HASH_H

#include <apr.h>

#include <openssl/types.h>

#define AG_SHA256_LEN 32

typedef enum {
    AG_MD_MD5 = 0,
    AG_MD_SHA256,
    AG_MD_SHA384,
    AG_MD_SHA512,
    AG_MD_SHA512_256,
    AG_MD__COUNT
} ag_md;

/* The digest MD, fetched from OpenSSL's providers at the first call of the
 * process (EVP_sha256() and friends look the algorithm up, under a lock,
 * at every use); NULL when it is not available (MD5 under FIPS), which
 * makes every EVP call given it fail. */
const EVP_MD *ag_md_get(ag_md md);

/* SHA-256 of LEN bytes of DATA into OUT; 0 (and OUT zeroed) in the
 * unlikely case libcrypto fails, so that a caller can refuse to use it. */
int ag_sha256(const void *data, apr_size_t len,
              unsigned char out[AG_SHA256_LEN]);

/* LEN bytes of IN as 2 * LEN lower-case hex digits and a NUL, into OUT. */
void ag_hex_encode(const unsigned char *in, apr_size_t len, char *out);

/* Each octet's value as a hex digit of either case (0-15), 0xff for the
 * octets that are none: a lookup, without a branch to mispredict, since
 * hex digits come in no predictable order (a table, not a function, so
 * that loops over digits read it inline). */
extern const unsigned char ag_hex_digit[256];

/* 1 when the LEN bytes at A and B are the same, in a time that depends on
 * LEN only: for keys, tokens, MACs and Digest responses.  A word at a
 * time, where CRYPTO_memcmp goes a byte at a time. */
int ag_same_bytes(const void *a, const void *b, apr_size_t len);

/* A 64-bit value of A and B (splitmix64's finalizer over A, scaled, xor
 * B), for fingerprints built one part at a time; not for secrets. */
apr_uint64_t ag_mix64(apr_uint64_t a, apr_uint64_t b);

#endif
