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

void ag_hex_encode(const unsigned char *in, apr_size_t len, char *out)
{
    static const char digits[] = "0123456789abcdef";
    apr_size_t i;

    for (i = 0; i < len; i++) {
        out[2 * i] = digits[in[i] >> 4];
        out[2 * i + 1] = digits[in[i] & 0x0f];
    }
    out[2 * len] = '\0';
}

apr_uint64_t ag_mix64(apr_uint64_t a, apr_uint64_t b)
{
    apr_uint64_t z = a * 0x9e3779b97f4a7c15ULL ^ b;

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
