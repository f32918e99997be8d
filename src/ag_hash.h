/* The gate's hashing: the message digests it uses, fetched once for the
 * whole core; SHA-256 and lower-case hex as its lookups use them (API keys
 * by their hash, the verified-token cache by the token's); a 64-bit mix
 * for the fingerprints of configurations and keys. */
#ifndef AG_HASH_H
#define AG_HASH_H

#include <apr.h>

#include <openssl/md5.h>
#include <openssl/sha.h>
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

/* A running hash of one ag_md.  Where OpenSSL's default provider would
 * do the work for MD5 or SHA-256, the same implementation is called
 * through its own functions: a plain structure, copied by assignment, with
 * no allocation, provider dispatch or ENGINE check at each hash (through
 * EVP, those cost as much as hashing a short string).  Any other digest,
 * or one that another provider (FIPS) supplies, goes through EVP.  An
 * initialised context holds its state until ag_hash_final() or
 * ag_hash_discard(); ag_hash_copy() makes another such context. */
typedef struct {
    int direct;             /* 1: the union's md5 or sha256 is in use */
    int failed;
    ag_md md;
    union {
#ifndef OPENSSL_NO_DEPRECATED_3_0
        MD5_CTX md5;
        SHA256_CTX sha256;
#endif
        EVP_MD_CTX *evp;
    } u;
} ag_hash_ctx;

/* 1 when CTX is ready for MD; 0 when MD is not available, and then CTX
 * holds nothing (ag_hash_discard() may still be given it). */
int ag_hash_init(ag_hash_ctx *ctx, ag_md md);

/* Adds LEN bytes of DATA (a failure shows at ag_hash_final()). */
void ag_hash_update(ag_hash_ctx *ctx, const void *data, apr_size_t len);

/* The hash into OUT (EVP_MAX_MD_SIZE bytes suffice) and its length; 0
 * when anything failed.  CTX keeps nothing of the data but the hash (the
 * low-level finals erase their buffer; an EVP context is freed), and may
 * be initialised again. */
unsigned int ag_hash_final(ag_hash_ctx *ctx, unsigned char *out);

/* Wipes CTX and lets go of what it holds: any context ag_hash_init()
 * was called on, whatever it answered, finished or not, or zeroed memory;
 * again and again. */
void ag_hash_discard(ag_hash_ctx *ctx);

/* TO (not initialised) as a copy of the initialised FROM: 1, or 0 when
 * it could not be made. */
int ag_hash_copy(ag_hash_ctx *to, const ag_hash_ctx *from);

/* SHA-256 of LEN bytes of DATA into OUT; 0 (and OUT zeroed) in the
 * unlikely case libcrypto fails, so that a caller can refuse to use it. */
int ag_sha256(const void *data, apr_size_t len,
              unsigned char out[AG_SHA256_LEN]);

/* LEN bytes of IN as 2 * LEN lower-case hex digits and a NUL, into OUT. */
void ag_hex_encode(const unsigned char *in, apr_size_t len, char *out);

/* LEN hex digits of either case at IN, lower-cased, and a NUL, into OUT
 * (which may be IN).  IN must be hex digits (ag_hex_digit): other octets
 * are not left as they were, and some become digits. */
void ag_hex_lower(const char *in, apr_size_t len, char *out);

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
