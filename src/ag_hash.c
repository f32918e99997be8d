#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "ag_hash.h"

/* Fetched once: EVP_sha256() makes OpenSSL 3 look the algorithm up (under
 * a lock) at every use. */
static CRYPTO_ONCE fetch_once = CRYPTO_ONCE_STATIC_INIT;
static EVP_MD *sha256;

static void fetch_sha256(void)
{
    sha256 = EVP_MD_fetch(NULL, "SHA2-256", NULL);
}

int ag_sha256(const void *data, apr_size_t len,
              unsigned char out[AG_SHA256_LEN])
{
    unsigned int n = AG_SHA256_LEN;

    if (CRYPTO_THREAD_run_once(&fetch_once, fetch_sha256) && sha256 != NULL &&
        EVP_Digest(data, len, out, &n, sha256, NULL) == 1 &&
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
