#include <string.h>
#include <strings.h>

#include <apr_errno.h>
#include <apr_strings.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "ag_base64.h"
#include "ag_hash.h"
#include "ag_jwk.h"
#include "ag_jwk_private.h"

/* --- algorithms -------------------------------------------------------- */

static const char *const alg_names[AG_JWT_ALG__COUNT] = {
    [AG_JWT_HS256] = "HS256", [AG_JWT_HS384] = "HS384",
    [AG_JWT_HS512] = "HS512", [AG_JWT_RS256] = "RS256",
    [AG_JWT_RS384] = "RS384", [AG_JWT_RS512] = "RS512",
    [AG_JWT_ES256] = "ES256", [AG_JWT_ES384] = "ES384",
    [AG_JWT_ES512] = "ES512", [AG_JWT_PS256] = "PS256",
    [AG_JWT_PS384] = "PS384", [AG_JWT_PS512] = "PS512",
    [AG_JWT_EDDSA] = "EdDSA",
};

ag_jwt_alg ag_jwt_alg_lookup(const char *name)
{
    int i;

    if (name == NULL)
        return AG_JWT_ALG__COUNT;
    for (i = 0; i < AG_JWT_ALG__COUNT; i++)
        if (strcmp(alg_names[i], name) == 0)
            return (ag_jwt_alg)i;
    return AG_JWT_ALG__COUNT;
}

const char *ag_jwt_alg_name(ag_jwt_alg alg)
{
    if ((unsigned)alg >= AG_JWT_ALG__COUNT)
        return NULL;
    return alg_names[alg];
}

const char *ag_jwt_algs_names(unsigned mask, apr_pool_t *p)
{
    const char *out = "";
    int i;

    for (i = 0; i < AG_JWT_ALG__COUNT; i++)
        if (mask & AG_JWT_ALG_BIT(i))
            out = *out ? apr_pstrcat(p, out, " ", alg_names[i], NULL)
                       : alg_names[i];
    return out;
}

const EVP_MD *ag_jwt_alg_md(ag_jwt_alg alg)
{
    static const ag_md mds[3] = {AG_MD_SHA256, AG_MD_SHA384, AG_MD_SHA512};

    if (alg == AG_JWT_EDDSA || (unsigned)alg >= AG_JWT_ALG__COUNT)
        return NULL;
    /* HS, RS, ES, PS each run 256, 384, 512 in enum order */
    return ag_md_get(mds[alg % 3]);
}

apr_status_t ag_jwt_algs_add(const char *name, unsigned *mask,
                             const char **err, apr_pool_t *p)
{
    ag_jwt_alg alg;

    if (strcasecmp(name, "none") == 0) {
        *err = "'none' is never accepted";
        return APR_EINVAL;
    }
    alg = ag_jwt_alg_lookup(name);
    if (alg == AG_JWT_ALG__COUNT) {
        *err = apr_psprintf(p, "unknown algorithm '%s' (one of %s)", name,
                            ag_jwt_algs_names(AG_JWT_ALGS_ALL, p));
        return APR_EINVAL;
    }
    *mask |= AG_JWT_ALG_BIT(alg);
    return APR_SUCCESS;
}

/* --- key sets ---------------------------------------------------------- */

struct ag_keyset {
    apr_pool_t *pool;
    apr_array_header_t *keys;       /* of ag_jwk * */
    apr_array_header_t *unnamed;    /* of const ag_jwk *, no kid */
    apr_hash_t *by_kid;             /* kid -> apr_array_header_t * */
    apr_array_header_t *warnings;   /* of const char * */
    unsigned algs;
    apr_uint64_t serial;
};

#define SERIAL_EMPTY 0x6a09e667f3bcc908ULL

static int print_text(EVP_MD_CTX *ctx, const char *s)
{
    return EVP_DigestUpdate(ctx, s != NULL ? s : "", s != NULL ?
                            strlen(s) + 1 : 1) == 1;
}

/* The first 8 bytes of a SHA-256 of what KEY is and may do; a key that
 * cannot be printed gets a number of its own (its address), so that it
 * never matches another. */
static apr_uint64_t key_print(const ag_jwk *key)
{
    unsigned char md[EVP_MAX_MD_SIZE], *der = NULL;
    unsigned int mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    unsigned char head[2] = {(unsigned char)key->type,
                             (unsigned char)(key->algs & 0xff)};
    apr_uint64_t v = 0;
    int derlen = 0, good, i;

    if (key->pkey != NULL)
        derlen = i2d_PUBKEY(key->pkey, &der);
    good = ctx != NULL && derlen >= 0 &&
           EVP_DigestInit_ex(ctx, ag_md_get(AG_MD_SHA256), NULL) == 1 &&
           EVP_DigestUpdate(ctx, head, sizeof(head)) == 1 &&
           EVP_DigestUpdate(ctx, &key->algs, sizeof(key->algs)) == 1 &&
           print_text(ctx, key->kid) && print_text(ctx, key->issuer) &&
           (key->secret == NULL ||
            EVP_DigestUpdate(ctx, key->secret, key->secret_len) == 1) &&
           (der == NULL || EVP_DigestUpdate(ctx, der, derlen) == 1) &&
           EVP_DigestFinal_ex(ctx, md, &mdlen) == 1 && mdlen >= 8;
    EVP_MD_CTX_free(ctx);
    OPENSSL_free(der);
    if (!good)
        return (apr_uint64_t)(apr_uintptr_t)key;
    for (i = 0; i < 8; i++)
        v = v << 8 | md[i];
    OPENSSL_cleanse(md, sizeof(md));
    return v;
}

/* The serial of KS's keys as they are now. */
static void keyset_reprint(ag_keyset *ks)
{
    int i;

    ks->serial = SERIAL_EMPTY;
    for (i = 0; i < ks->keys->nelts; i++)
        ks->serial = ag_mix64(ks->serial,
                                key_print(APR_ARRAY_IDX(ks->keys, i,
                                                        ag_jwk *)));
}

ag_keyset *ag_keyset_make(apr_pool_t *p)
{
    ag_keyset *ks = apr_pcalloc(p, sizeof(*ks));

    ks->pool = p;
    ks->keys = apr_array_make(p, 4, sizeof(ag_jwk *));
    ks->unnamed = apr_array_make(p, 2, sizeof(const ag_jwk *));
    ks->by_kid = apr_hash_make(p);
    ks->warnings = apr_array_make(p, 0, sizeof(const char *));
    ks->serial = SERIAL_EMPTY;
    return ks;
}

void ag_keyset_add(ag_keyset *ks, ag_jwk *key)
{
    APR_ARRAY_PUSH(ks->keys, ag_jwk *) = key;
    ks->algs |= key->algs;
    ks->serial = ag_mix64(ks->serial, key_print(key));
    if (key->kid == NULL) {
        APR_ARRAY_PUSH(ks->unnamed, const ag_jwk *) = key;
    }
    else {
        apr_array_header_t *same = apr_hash_get(ks->by_kid, key->kid,
                                                APR_HASH_KEY_STRING);

        if (same == NULL) {
            same = apr_array_make(ks->pool, 1, sizeof(const ag_jwk *));
            apr_hash_set(ks->by_kid, key->kid, APR_HASH_KEY_STRING, same);
        }
        APR_ARRAY_PUSH(same, const ag_jwk *) = key;
    }
}

int ag_keyset_count(const ag_keyset *ks)
{
    return ks->keys->nelts;
}

const ag_jwk *ag_keyset_get(const ag_keyset *ks, int i)
{
    if (i < 0 || i >= ks->keys->nelts)
        return NULL;
    return APR_ARRAY_IDX(ks->keys, i, ag_jwk *);
}

const apr_array_header_t *ag_keyset_by_kid(const ag_keyset *ks,
                                           const char *kid)
{
    return apr_hash_get(ks->by_kid, kid, APR_HASH_KEY_STRING);
}

const apr_array_header_t *ag_keyset_unnamed(const ag_keyset *ks)
{
    return ks->unnamed;
}

unsigned ag_keyset_algs(const ag_keyset *ks)
{
    return ks->algs;
}

apr_uint64_t ag_keyset_serial(const ag_keyset *ks)
{
    return ks->serial;
}

const apr_array_header_t *ag_keyset_warnings(const ag_keyset *ks)
{
    return ks->warnings;
}

void ag_keyset_warn(ag_keyset *ks, const char *warning)
{
    APR_ARRAY_PUSH(ks->warnings, const char *) = warning;
}

/* --- public keys ------------------------------------------------------- */

static apr_status_t free_pkey(void *data)
{
    EVP_PKEY_free(data);
    return APR_SUCCESS;
}

static apr_status_t free_verify(void *data)
{
    ag_jwk *key = data;
    int i;

    for (i = 0; i < AG_JWT_ALG__COUNT; i++) {
        EVP_MD_CTX_free(key->verify[i]);
        key->verify[i] = NULL;
    }
    return APR_SUCCESS;
}

apr_status_t ag_jwk_adopt_pkey(EVP_PKEY *pkey, ag_jwk *key, const char **err,
                               apr_pool_t *p)
{
    char group[64];

    apr_pool_cleanup_register(p, pkey, free_pkey, apr_pool_cleanup_null);
    apr_pool_cleanup_register(p, key, free_verify, apr_pool_cleanup_null);
    key->pkey = pkey;
    if (EVP_PKEY_is_a(pkey, "RSA")) {
        if (EVP_PKEY_get_bits(pkey) < AG_JWK_MIN_RSA_BITS) {
            *err = apr_psprintf(p, "RSA key of %d bits (at least %d)",
                                EVP_PKEY_get_bits(pkey),
                                AG_JWK_MIN_RSA_BITS);
            return APR_EINVAL;
        }
        key->type = AG_JWK_RSA;
        key->algs = AG_JWT_ALGS_RSA;
        return APR_SUCCESS;
    }
    if (EVP_PKEY_is_a(pkey, "ED25519")) {
        key->type = AG_JWK_OKP;
        key->algs = AG_JWT_ALG_BIT(AG_JWT_EDDSA);
        return APR_SUCCESS;
    }
    if (EVP_PKEY_is_a(pkey, "EC") &&
        EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
                                       group, sizeof(group), NULL) == 1) {
        key->type = AG_JWK_EC;
        if (strcmp(group, "prime256v1") == 0)
            key->algs = AG_JWT_ALG_BIT(AG_JWT_ES256);
        else if (strcmp(group, "secp384r1") == 0)
            key->algs = AG_JWT_ALG_BIT(AG_JWT_ES384);
        else if (strcmp(group, "secp521r1") == 0)
            key->algs = AG_JWT_ALG_BIT(AG_JWT_ES512);
        else {
            *err = apr_psprintf(p, "EC curve %s (one of P-256 P-384 "
                                "P-521)", group);
            return APR_EINVAL;
        }
        return APR_SUCCESS;
    }
    *err = "not an RSA, EC or Ed25519 public key";
    return APR_EINVAL;
}

static EVP_PKEY *pem_certificate_key(BIO *bio)
{
    X509 *cert = PEM_read_bio_X509(bio, NULL, NULL, NULL);
    EVP_PKEY *pkey;

    if (cert == NULL)
        return NULL;
    pkey = X509_get_pubkey(cert);
    X509_free(cert);
    return pkey;
}

static EVP_PKEY *pem_public_key(const char *data, apr_size_t len)
{
    OSSL_DECODER_CTX *dctx;
    EVP_PKEY *pkey = NULL;
    const unsigned char *in = (const unsigned char *)data;
    size_t left = len;

    dctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", NULL, NULL,
                                         EVP_PKEY_PUBLIC_KEY, NULL, NULL);
    if (dctx == NULL)
        return NULL;
    if (OSSL_DECODER_from_data(dctx, &in, &left) != 1) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
    OSSL_DECODER_CTX_free(dctx);
    return pkey;
}

static int contains(const char *data, apr_size_t len, const char *what)
{
    apr_size_t n = strlen(what), i;

    for (i = 0; i + n <= len; i++)
        if (data[i] == what[0] && memcmp(data + i, what, n) == 0)
            return 1;
    return 0;
}

apr_status_t ag_jwk_parse_pem(const char *data, apr_size_t len,
                              ag_jwk **out, const char **err,
                              apr_pool_t *p)
{
    ag_jwk *key = apr_pcalloc(p, sizeof(*key));
    EVP_PKEY *pkey;

    if (contains(data, len, "PRIVATE KEY-----")) {
        *err = "holds a private key: give the public key";
        return APR_EINVAL;
    }
    if (contains(data, len, "-----BEGIN CERTIFICATE-----")) {
        BIO *bio = BIO_new_mem_buf(data, (int)len);

        pkey = bio != NULL ? pem_certificate_key(bio) : NULL;
        BIO_free(bio);
    }
    else {
        pkey = pem_public_key(data, len);
    }
    ERR_clear_error();
    if (pkey == NULL) {
        *err = "not a PEM public key or certificate";
        return APR_EINVAL;
    }
    if (ag_jwk_adopt_pkey(pkey, key, err, p) != APR_SUCCESS)
        return APR_EINVAL;
    *out = key;
    return APR_SUCCESS;
}

/* --- HMAC secrets ------------------------------------------------------ */

apr_status_t ag_jwk_from_secret(const unsigned char *secret, apr_size_t len,
                                ag_jwk **out, const char **err,
                                apr_pool_t *p)
{
    ag_jwk *key;

    if (len < AG_JWK_MIN_SECRET) {
        *err = apr_psprintf(p, "HMAC key of %" APR_SIZE_T_FMT " bytes is "
                            "shorter than the hash (at least %d bytes for "
                            "HS256, 48 for HS384, 64 for HS512)", len,
                            AG_JWK_MIN_SECRET);
        return APR_EINVAL;
    }
    key = apr_pcalloc(p, sizeof(*key));
    key->type = AG_JWK_OCT;
    key->secret = apr_pmemdup(p, secret, len);
    key->secret_len = len;
    /* RFC 7518 §3.2: a key at least as long as the hash output */
    key->algs = AG_JWT_ALG_BIT(AG_JWT_HS256);
    if (len >= 48)
        key->algs |= AG_JWT_ALG_BIT(AG_JWT_HS384);
    if (len >= 64)
        key->algs |= AG_JWT_ALG_BIT(AG_JWT_HS512);
    *out = key;
    return APR_SUCCESS;
}

apr_status_t ag_jwk_secret_spec(const char *spec, const unsigned char **secret,
                                apr_size_t *len, const char **path,
                                const char **err, apr_pool_t *p)
{
    unsigned char *raw;

    *secret = NULL;
    *path = NULL;
    if (strncmp(spec, "file:", 5) == 0 && spec[5] != '\0') {
        *path = spec + 5;
        return APR_SUCCESS;
    }
    if (strncmp(spec, "base64:", 7) == 0) {
        const char *b = spec + 7;

        if (ag_base64_decode(b, strlen(b), AG_BASE64, &raw, len, p) !=
                APR_SUCCESS &&
            ag_base64_decode(b, strlen(b), AG_BASE64URL, &raw, len, p) !=
                APR_SUCCESS) {
            *err = "base64: is not followed by base64";
            return APR_EINVAL;
        }
        *secret = raw;
        return APR_SUCCESS;
    }
    *err = "a secret is 'file:/path' or 'base64:...'";
    return APR_EINVAL;
}

/* The value of WORD when it is NAME=VALUE (NAME of LEN bytes, in any
 * case) and VALUE is not empty, else NULL. */
static const char *option_value(const char *word, const char *name,
                                apr_size_t len)
{
    if (strncasecmp(word, name, len) != 0 || word[len] != '=' ||
        word[len + 1] == '\0')
        return NULL;
    return word + len + 1;
}

apr_status_t ag_jwk_binding_parse(const char *const *words, int n,
                                  ag_jwk_binding **out, const char **err,
                                  apr_pool_t *p)
{
    ag_jwk_binding *b = apr_pcalloc(p, sizeof(*b));
    const char *v;
    int i;

    for (i = 0; i < n; i++) {
        if ((v = option_value(words[i], "kid", 3)) != NULL)
            b->kid = apr_pstrdup(p, v);
        else if ((v = option_value(words[i], "issuer", 6)) != NULL)
            b->issuer = apr_pstrdup(p, v);
        else {
            *err = apr_psprintf(p, "unknown option '%s' (kid=ID or "
                                "issuer=ISS)", words[i]);
            return APR_EINVAL;
        }
    }
    *out = b;
    return APR_SUCCESS;
}

void ag_jwk_bind(ag_jwk *key, const ag_jwk_binding *b)
{
    if (b == NULL)
        return;
    if (b->kid != NULL)
        key->kid = b->kid;
    if (b->issuer != NULL)
        key->issuer = b->issuer;
}

apr_status_t ag_keyset_from_secret(const unsigned char *secret,
                                   apr_size_t len, const ag_jwk_binding *b,
                                   ag_keyset **out, const char **err,
                                   apr_pool_t *p)
{
    ag_keyset *ks;
    ag_jwk *key;

    if (ag_jwk_from_secret(secret, len, &key, err, p) != APR_SUCCESS)
        return APR_EINVAL;
    ag_jwk_bind(key, b);
    ks = ag_keyset_make(p);
    ag_keyset_add(ks, key);
    *out = ks;
    return APR_SUCCESS;
}

apr_status_t ag_secretfile_parse(const char *data, apr_size_t len,
                                 void *binding, void **out,
                                 const char **err, apr_pool_t *p)
{
    ag_keyset *ks;

    /* `echo secret > file` and editors add one newline: not key bytes */
    if (len > 0 && data[len - 1] == '\n')
        len--;
    if (len > 0 && data[len - 1] == '\r')
        len--;
    if (ag_keyset_from_secret((const unsigned char *)data, len, binding,
                              &ks, err, p) != APR_SUCCESS)
        return APR_EINVAL;
    *out = ks;
    return APR_SUCCESS;
}

apr_status_t ag_keyfile_parse(const char *data, apr_size_t len,
                              void *binding, void **out, const char **err,
                              apr_pool_t *p)
{
    const ag_jwk_binding *b = binding;
    ag_keyset *ks = ag_keyset_make(p);
    apr_size_t i = 0;
    ag_jwk *key;

    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' ||
                       data[i] == '\n'))
        i++;
    if (i < len && data[i] == '{') {
        if (b != NULL && b->kid != NULL) {
            *err = "kid= is for a PEM key: a JWKS key's own kid is used";
            return APR_EINVAL;
        }
        if (ag_jwks_parse(data, len, ks, err, p) != APR_SUCCESS)
            return APR_EINVAL;
        if (b != NULL && b->issuer != NULL) {
            int k;

            for (k = 0; k < ag_keyset_count(ks); k++)
                ((ag_jwk *)ag_keyset_get(ks, k))->issuer = b->issuer;
            keyset_reprint(ks);
        }
        *out = ks;
        return APR_SUCCESS;
    }
    if (ag_jwk_parse_pem(data, len, &key, err, p) != APR_SUCCESS)
        return APR_EINVAL;
    ag_jwk_bind(key, b);
    ag_keyset_add(ks, key);
    *out = ks;
    return APR_SUCCESS;
}
