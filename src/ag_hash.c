#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ag_hash.h"

static const char *const md_names[AG_MD__COUNT] = {
    "MD5", "SHA2-256", "SHA2-384", "SHA2-512", "SHA2-512/256"
};

static CRYPTO_ONCE fetch_once = CRYPTO_ONCE_STATIC_INIT;
static EVP_MD *fetched[AG_MD__COUNT];

static void fetch_mds(void)
{
    int i;

    for (i = 0; i < AG_MD__COUNT; i++)
        fetched[i] = EVP_MD_fetch(NULL, md_names[i], NULL);
}

const EVP_MD *ag_md_get(ag_md md)
{
    if ((unsigned)md >= AG_MD__COUNT ||
        !CRYPTO_THREAD_run_once(&fetch_once, fetch_mds))
        return NULL;
    return fetched[md];
}

int ag_sha256(const void *data, apr_size_t len,
              unsigned char out[AG_SHA256_LEN])
{
    const EVP_MD *md = ag_md_get(AG_MD_SHA256);
    unsigned int n = AG_SHA256_LEN;

    if (md != NULL && EVP_Digest(data, len, out, &n, md, NULL) == 1 &&
        n == AG_SHA256_LEN)
        return 1;
    memset(out, 0, AG_SHA256_LEN);
    return 0;
}

/* Every octet's two digits, so that an octet costs one lookup. */
static const char hex_pairs[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

#define X 0xff
const unsigned char ag_hex_digit[256] = {
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x00 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x10 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x20 */
     0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  X,  X,  X,  X,  X,  X,  /* 0x30 */
     X, 10, 11, 12, 13, 14, 15,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x40 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x50 */
     X, 10, 11, 12, 13, 14, 15,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x60 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x70 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x80 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x90 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0xa0 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0xb0 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0xc0 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0xd0 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0xe0 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0xf0 */
};
#undef X

void ag_hex_encode(const unsigned char *in, apr_size_t len, char *out)
{
    apr_size_t i;

    for (i = 0; i < len; i++)
        memcpy(out + 2 * i, hex_pairs + 2 * in[i], 2);
    out[2 * len] = '\0';
}

/* The empty asm keeps the compiler from reasoning about DIFF (and so from
 * leaving the loop early). */
int ag_same_bytes(const void *a, const void *b, apr_size_t len)
{
    const unsigned char *x = a, *y = b;
    apr_uint64_t diff = 0, u, v;
    apr_size_t i;

    for (i = 0; i + sizeof(u) <= len; i += sizeof(u)) {
        memcpy(&u, x + i, sizeof(u));
        memcpy(&v, y + i, sizeof(v));
        diff |= u ^ v;
#if defined(__GNUC__)
        __asm__("" : "+r"(diff));
#endif
    }
    for (; i < len; i++)
        diff |= (unsigned char)(x[i] ^ y[i]);
    return diff == 0;
}

apr_uint64_t ag_mix64(apr_uint64_t a, apr_uint64_t b)
{
    apr_uint64_t z = a * 0x9e3779b97f4a7c15ULL ^ b;

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
