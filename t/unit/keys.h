/* Keys and tokens made at test time, for the JWT unit tests: nothing
 * secret is committed. */
#ifndef AG_TEST_KEYS_H
#define AG_TEST_KEYS_H

#include <string.h>

#include <apr_strings.h>

#include <openssl/bio.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/encoder.h>
#include <openssl/x509.h>

#include "ag_base64.h"
#include "ag_jwk.h"

typedef struct {
    const char *priv;   /* PEM private key */
    const char *pub;    /* PEM public key */
} test_keypair;

static const char *bio_text(BIO *bio, apr_pool_t *p)
{
    char *data;
    long n = BIO_get_mem_data(bio, &data);

    return apr_pstrmemdup(p, data, (apr_size_t)n);
}

/* TYPE "RSA" (ARG bits), "EC" (ARG curve name) or "ED25519". */
static test_keypair test_keygen(const char *type, const char *curve,
                                int bits, apr_pool_t *p)
{
    EVP_PKEY *pkey;
    BIO *priv = BIO_new(BIO_s_mem()), *pub = BIO_new(BIO_s_mem());
    test_keypair kp;

    if (strcmp(type, "RSA") == 0)
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)bits);
    else if (strcmp(type, "EC") == 0)
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
    else
        pkey = EVP_PKEY_Q_keygen(NULL, NULL, type);
    PEM_write_bio_PrivateKey(priv, pkey, NULL, NULL, 0, NULL, NULL);
    PEM_write_bio_PUBKEY(pub, pkey);
    kp.priv = bio_text(priv, p);
    kp.pub = bio_text(pub, p);
    BIO_free(priv);
    BIO_free(pub);
    EVP_PKEY_free(pkey);
    return kp;
}

static const char *b64u(const char *s, apr_pool_t *p)
{
    return ag_base64_encode((const unsigned char *)s, strlen(s),
                            AG_BASE64URL, p);
}

/* A token with exactly HEADER and CLAIMS (JSON texts), signed the way
 * ALG says with PRIV (PEM) or SECRET, by OpenSSL directly: for headers
 * no signer would write.  DER_ECDSA keeps OpenSSL's DER signature. */
static __attribute__((unused)) const char *test_token(const char *header, const char *claims,
                              ag_jwt_alg alg, const char *priv,
                              const unsigned char *secret,
                              apr_size_t secret_len, int der_ecdsa,
                              apr_pool_t *p)
{
    const char *input = apr_pstrcat(p, b64u(header, p), ".",
                                    b64u(claims, p), NULL);
    unsigned char sig[1024];
    size_t siglen = sizeof(sig);

    if (secret != NULL) {
        unsigned int n = 0;

        HMAC(ag_jwt_alg_md(alg), secret, (int)secret_len,
             (const unsigned char *)input, strlen(input), sig, &n);
        siglen = n;
    }
    else {
        BIO *bio = BIO_new_mem_buf(priv, -1);
        EVP_PKEY *pkey = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
        EVP_MD_CTX *ctx = EVP_MD_CTX_new();
        EVP_PKEY_CTX *pctx = NULL;

        EVP_DigestSignInit(ctx, &pctx, ag_jwt_alg_md(alg), NULL, pkey);
        if (alg >= AG_JWT_PS256 && alg <= AG_JWT_PS512) {
            EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
        }
        EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)input,
                       strlen(input));
        if (EVP_PKEY_is_a(pkey, "EC") && !der_ecdsa) {
            const unsigned char *d = sig;
            ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &d, (long)siglen);
            int half = alg == AG_JWT_ES256 ? 32 : alg == AG_JWT_ES384 ? 48
                                                                      : 66;

            BN_bn2binpad(ECDSA_SIG_get0_r(es), sig, half);
            BN_bn2binpad(ECDSA_SIG_get0_s(es), sig + half, half);
            siglen = (size_t)half * 2;
            ECDSA_SIG_free(es);
        }
        EVP_MD_CTX_free(ctx);
        EVP_PKEY_free(pkey);
        BIO_free(bio);
    }
    return apr_pstrcat(p, input, ".",
                       ag_base64_encode(sig, siglen, AG_BASE64URL, p), NULL);
}

#endif
