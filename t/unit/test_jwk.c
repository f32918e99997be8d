#include <string.h>

#include <apr_strings.h>

#include "ag_jwk.h"
#include "keys.h"
#include "tap.h"

static unsigned algs_of(const char *pem, apr_pool_t *p)
{
    const char *err = NULL;
    ag_jwk *key;

    if (ag_jwk_parse_pem(pem, strlen(pem), &key, &err, p) != APR_SUCCESS)
        return 0;
    return key->algs;
}

static const char *pem_error(const char *pem, apr_pool_t *p)
{
    const char *err = NULL;
    ag_jwk *key;

    if (ag_jwk_parse_pem(pem, strlen(pem), &key, &err, p) == APR_SUCCESS)
        return NULL;
    return err;
}

static const char *cert_of(const char *priv_pem, apr_pool_t *p)
{
    BIO *in = BIO_new_mem_buf(priv_pem, -1), *out = BIO_new(BIO_s_mem());
    EVP_PKEY *pkey = PEM_read_bio_PrivateKey(in, NULL, NULL, NULL);
    X509 *x = X509_new();
    const char *text;

    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), 0);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, pkey);
    X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
                               (const unsigned char *)"test", -1, -1, 0);
    X509_set_issuer_name(x, X509_get_subject_name(x));
    X509_sign(x, pkey, EVP_sha256());
    PEM_write_bio_X509(out, x);
    text = bio_text(out, p);
    X509_free(x);
    EVP_PKEY_free(pkey);
    BIO_free(in);
    BIO_free(out);
    return text;
}

static void test_algorithms(apr_pool_t *p)
{
    unsigned mask = 0;
    const char *err = NULL;

    ok(ag_jwt_alg_lookup("RS256") == AG_JWT_RS256, "RS256 is known");
    ok(ag_jwt_alg_lookup("EdDSA") == AG_JWT_EDDSA, "EdDSA is known");
    ok(ag_jwt_alg_lookup("rs256") == AG_JWT_ALG__COUNT,
       "algorithm names are case-sensitive");
    ok(ag_jwt_alg_lookup("none") == AG_JWT_ALG__COUNT, "none is no algorithm");
    is_str(ag_jwt_alg_name(AG_JWT_ES384), "ES384", "name of ES384");
    ok(ag_jwt_alg_name(AG_JWT_ALG__COUNT) == NULL, "name out of range");
    ok(ag_jwt_algs_add("HS256", &mask, &err, p) == APR_SUCCESS &&
           ag_jwt_algs_add("ES256", &mask, &err, p) == APR_SUCCESS,
       "allow-list words are added");
    is_str(ag_jwt_algs_names(mask, p), "HS256 ES256", "allow-list names");
    ok(ag_jwt_algs_add("none", &mask, &err, p) != APR_SUCCESS,
       "none is refused in the allow-list");
    ok(ag_jwt_algs_add("NoNe", &mask, &err, p) != APR_SUCCESS,
       "none in any spelling is refused");
    ok(ag_jwt_algs_add("HS1024", &mask, &err, p) != APR_SUCCESS &&
           strstr(err, "unknown algorithm 'HS1024'") != NULL,
       "an unknown algorithm is refused by name");
    ok(ag_jwt_alg_md(AG_JWT_HS384) != NULL &&
           EVP_MD_get_size(ag_jwt_alg_md(AG_JWT_HS384)) == 48,
       "HS384 hashes with SHA-384");
    ok(ag_jwt_alg_md(AG_JWT_ES512) != NULL &&
           EVP_MD_get_size(ag_jwt_alg_md(AG_JWT_ES512)) == 64,
       "ES512 hashes with SHA-512");
    ok(ag_jwt_alg_md(AG_JWT_EDDSA) == NULL, "EdDSA takes no digest");
}

static void test_pem(apr_pool_t *p)
{
    test_keypair rsa = test_keygen("RSA", NULL, 2048, p);
    test_keypair rsa1k = test_keygen("RSA", NULL, 1024, p);
    test_keypair ec256 = test_keygen("EC", "P-256", 0, p);
    test_keypair ec384 = test_keygen("EC", "P-384", 0, p);
    test_keypair ec521 = test_keygen("EC", "P-521", 0, p);
    test_keypair k1 = test_keygen("EC", "secp256k1", 0, p);
    test_keypair ed = test_keygen("ED25519", NULL, 0, p);
    const char *err;

    ok(algs_of(rsa.pub, p) == AG_JWT_ALGS_RSA,
       "an RSA public key serves RS* and PS*");
    ok(algs_of(ec256.pub, p) == AG_JWT_ALG_BIT(AG_JWT_ES256),
       "a P-256 key serves ES256 only");
    ok(algs_of(ec384.pub, p) == AG_JWT_ALG_BIT(AG_JWT_ES384),
       "a P-384 key serves ES384 only");
    ok(algs_of(ec521.pub, p) == AG_JWT_ALG_BIT(AG_JWT_ES512),
       "a P-521 key serves ES512 only");
    ok(algs_of(ed.pub, p) == AG_JWT_ALG_BIT(AG_JWT_EDDSA),
       "an Ed25519 key serves EdDSA only");
    ok(algs_of(cert_of(ec256.priv, p), p) == AG_JWT_ALG_BIT(AG_JWT_ES256),
       "a certificate stands for its public key");
    err = pem_error(rsa.priv, p);
    ok(err != NULL && strstr(err, "private key") != NULL,
       "a private key is refused");
    err = pem_error(rsa1k.pub, p);
    ok(err != NULL && strstr(err, "1024 bits") != NULL,
       "an RSA key under 2048 bits is refused");
    err = pem_error(k1.pub, p);
    ok(err != NULL && strstr(err, "curve") != NULL,
       "an EC key of another curve is refused");
    ok(pem_error("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
                 p) != NULL, "a broken PEM is refused");
    ok(pem_error("hello", p) != NULL, "text that is no PEM is refused");
    {
        /* the PKCS#1 form "RSA PUBLIC KEY" */
        BIO *in = BIO_new_mem_buf(rsa.pub, -1), *out = BIO_new(BIO_s_mem());
        EVP_PKEY *pk = PEM_read_bio_PUBKEY(in, NULL, NULL, NULL);
        OSSL_ENCODER_CTX *ectx = OSSL_ENCODER_CTX_new_for_pkey(
            pk, EVP_PKEY_PUBLIC_KEY, "PEM", "type-specific", NULL);

        OSSL_ENCODER_to_bio(ectx, out);
        ok(strstr(bio_text(out, p), "BEGIN RSA PUBLIC KEY") != NULL &&
               algs_of(bio_text(out, p), p) == AG_JWT_ALGS_RSA,
           "an RSA PUBLIC KEY (PKCS#1) is read");
        OSSL_ENCODER_CTX_free(ectx);
        EVP_PKEY_free(pk);
        BIO_free(in);
        BIO_free(out);
    }
}

static void test_secrets(apr_pool_t *p)
{
    const unsigned char *secret;
    const char *path, *err = NULL;
    apr_size_t len;
    ag_jwk *key;
    void *out;
    const ag_keyset *ks;
    ag_jwk_binding b = {"k1", "https://issuer.test"};
    char s32[33], s48[49], s64[65];

    memset(s32, 'a', 32); s32[32] = '\0';
    memset(s48, 'b', 48); s48[48] = '\0';
    memset(s64, 'c', 64); s64[64] = '\0';
    ok(ag_jwk_from_secret((const unsigned char *)s32, 31, &key, &err, p) !=
           APR_SUCCESS && strstr(err, "shorter than the hash") != NULL,
       "a 31-byte secret is too short");
    ok(ag_jwk_from_secret((const unsigned char *)s32, 32, &key, &err, p) ==
           APR_SUCCESS && key->algs == AG_JWT_ALG_BIT(AG_JWT_HS256),
       "a 32-byte secret serves HS256 only");
    ok(ag_jwk_from_secret((const unsigned char *)s48, 48, &key, &err, p) ==
           APR_SUCCESS && key->algs == (AG_JWT_ALG_BIT(AG_JWT_HS256) |
                                        AG_JWT_ALG_BIT(AG_JWT_HS384)),
       "a 48-byte secret serves HS256 and HS384");
    ok(ag_jwk_from_secret((const unsigned char *)s64, 64, &key, &err, p) ==
           APR_SUCCESS && key->algs == AG_JWT_ALGS_HMAC,
       "a 64-byte secret serves every HS*");
    ok(key->pkey == NULL && key->type == AG_JWK_OCT,
       "a secret is no public key");

    ok(ag_jwk_secret_spec("file:/etc/secret", &secret, &len, &path, &err, p)
           == APR_SUCCESS && path && strcmp(path, "/etc/secret") == 0,
       "file: names a path");
    ok(ag_jwk_secret_spec("base64:YWJj", &secret, &len, &path, &err, p) ==
           APR_SUCCESS && len == 3 && memcmp(secret, "abc", 3) == 0,
       "base64: holds the bytes");
    ok(ag_jwk_secret_spec("base64:-_8", &secret, &len, &path, &err, p) ==
           APR_SUCCESS && len == 2 && secret[0] == 0xfb,
       "base64: also takes base64url");
    ok(ag_jwk_secret_spec("base64:!!", &secret, &len, &path, &err, p) !=
           APR_SUCCESS, "base64: with garbage is refused");
    ok(ag_jwk_secret_spec("s3cret", &secret, &len, &path, &err, p) !=
           APR_SUCCESS, "a bare secret is refused");
    ok(ag_jwk_secret_spec("file:", &secret, &len, &path, &err, p) !=
           APR_SUCCESS, "file: without a path is refused");

    ok(ag_secretfile_parse(apr_pstrcat(p, s32, "\n", NULL), 33, &b, &out,
                           &err, p) == APR_SUCCESS,
       "a secret file with a trailing newline");
    ks = out;
    key = (ag_jwk *)ag_keyset_get(ks, 0);
    ok(key->secret_len == 32, "the newline is not part of the secret");
    is_str(key->kid, "k1", "kid= binds the secret's kid");
    is_str(key->issuer, "https://issuer.test", "issuer= binds its issuer");
    ok(ag_secretfile_parse(apr_pstrcat(p, s32, "\r\n", NULL), 34, NULL, &out,
                           &err, p) == APR_SUCCESS &&
           ((const ag_jwk *)ag_keyset_get(out, 0))->secret_len == 32,
       "CRLF is not part of it either");
    ok(ag_secretfile_parse("short\n", 6, NULL, &out, &err, p) != APR_SUCCESS,
       "a short secret file is refused");
}

static apr_uint64_t serial_of(const char *data, const ag_jwk_binding *b,
                              apr_pool_t *p)
{
    const char *err = NULL;
    void *out = NULL;

    if (ag_keyfile_parse(data, strlen(data), (void *)b, &out, &err, p) !=
        APR_SUCCESS)
        return 0;
    return ag_keyset_serial(out);
}

/* A keyset's serial is its fingerprint: the same file read again gives
 * the same (a cache entry stays good across an unchanged reload, or an
 * .htaccess file read at every request), any change another. */
static void test_serials(apr_pool_t *p)
{
    test_keypair ec = test_keygen("EC", "P-256", 0, p);
    test_keypair ec2 = test_keygen("EC", "P-256", 0, p);
    ag_jwk_binding kid = {"main", NULL}, iss = {NULL, "https://a.test"};
    const char *jwks = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"k\":"
                       "\"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0ISE\"}]}";
    const char *jwks2 = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"k\":"
                        "\"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0ISI\"}]}";
    const char *jwks_kid = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"t\","
                           "\"k\":\"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2Vj"
                           "cmV0ISE\"}]}";
    const char *err = NULL;
    void *a = NULL, *b = NULL;

    ok(serial_of(ec.pub, NULL, p) == serial_of(ec.pub, NULL, p) &&
           serial_of(ec.pub, NULL, p) != 0,
       "a PEM file read twice: the same serial");
    ok(serial_of(jwks, NULL, p) == serial_of(jwks, NULL, p),
       "a JWKS read twice: the same serial");
    ok(serial_of(ec.pub, NULL, p) != serial_of(ec2.pub, NULL, p),
       "another key: another serial");
    ok(serial_of(jwks, NULL, p) != serial_of(jwks2, NULL, p),
       "another oct secret: another serial");
    ok(serial_of(jwks, NULL, p) != serial_of(jwks_kid, NULL, p),
       "another kid: another serial");
    ok(serial_of(ec.pub, &kid, p) != serial_of(ec.pub, NULL, p),
       "kid= changes it");
    ok(serial_of(jwks, &iss, p) != serial_of(jwks, NULL, p),
       "issuer= on a JWKS changes it");
    ok(ag_secretfile_parse("0123456789abcdef0123456789abcdef\n", 33, NULL,
                           &a, &err, p) == APR_SUCCESS &&
           ag_secretfile_parse("0123456789abcdef0123456789abcdef", 32, NULL,
                               &b, &err, p) == APR_SUCCESS &&
           ag_keyset_serial(a) == ag_keyset_serial(b),
       "a secret file with and without its newline: the same key, serial");
}

static void test_keyfile(apr_pool_t *p)
{
    test_keypair ec = test_keygen("EC", "P-256", 0, p);
    ag_jwk_binding b = {"main", "https://a.test"};
    ag_jwk_binding kid_only = {"x", NULL};
    const char *jwks = "{\"keys\":[{\"kty\":\"oct\",\"kid\":\"s\",\"k\":"
                       "\"c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0ISE\"}]}";
    const char *err = NULL;
    const ag_keyset *ks;
    void *out;

    ok(ag_keyfile_parse(ec.pub, strlen(ec.pub), &b, &out, &err, p) ==
           APR_SUCCESS, "a PEM key file");
    ks = out;
    ok(ag_keyset_count(ks) == 1 && ag_keyset_by_kid(ks, "main") != NULL,
       "its key is found by the kid= it was given");
    ok(ag_keyset_by_kid(ks, "other") == NULL, "and not by another");
    ok(ag_keyset_unnamed(ks)->nelts == 0, "a key with a kid is not unnamed");
    is_str(ag_keyset_get(ks, 0)->issuer, "https://a.test", "issuer= binds");
    ok(ag_keyfile_parse(ec.pub, strlen(ec.pub), NULL, &out, &err, p) ==
           APR_SUCCESS && ag_keyset_unnamed(out)->nelts == 1,
       "a key without kid= is unnamed");
    ok(ag_keyset_serial(out) != ag_keyset_serial(ks),
       "the same key with and without kid= and issuer=: two serials");
    ok(ag_keyfile_parse(jwks, strlen(jwks), NULL, &out, &err, p) ==
           APR_SUCCESS && ag_keyset_by_kid(out, "s") != NULL,
       "a JWKS key file, told apart by content");
    ok(ag_keyfile_parse(jwks, strlen(jwks), &kid_only, &out, &err, p) !=
           APR_SUCCESS && strstr(err, "kid=") != NULL,
       "kid= on a JWKS is refused");
    ok(ag_keyfile_parse("  \n{\"keys\":[]}", 13, NULL, &out, &err, p) !=
           APR_SUCCESS, "a JWKS without keys is refused");
    ok(ag_keyfile_parse("garbage", 7, NULL, &out, &err, p) != APR_SUCCESS,
       "a file that is neither is refused");
}

static void test_bindings(apr_pool_t *p)
{
    const char *both[] = {"kid=main", "ISSUER=https://a.test"};
    const char *twice[] = {"kid=a", "Kid=b"};
    const char *bad[][1] = {{"kid="}, {"issuer"}, {"kidx=a"},
                            {"colour=blue"}, {""}};
    const char *err = NULL;
    ag_jwk_binding *b;
    ag_jwk key;
    unsigned i;

    ok(ag_jwk_binding_parse(NULL, 0, &b, &err, p) == APR_SUCCESS &&
           b->kid == NULL && b->issuer == NULL,
       "no words: a key bound to nothing");
    ok(ag_jwk_binding_parse(both, 2, &b, &err, p) == APR_SUCCESS,
       "kid= and issuer=, the name in any case");
    is_str(b->kid, "main", "kid= names the key");
    is_str(b->issuer, "https://a.test", "issuer= binds it");
    ok(ag_jwk_binding_parse(twice, 2, &b, &err, p) == APR_SUCCESS &&
           strcmp(b->kid, "b") == 0, "a word given twice: the last counts");
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err = NULL;
        ok(ag_jwk_binding_parse(bad[i], 1, &b, &err, p) != APR_SUCCESS &&
               err != NULL && strstr(err, "unknown option") != NULL,
           "'%s' is refused", bad[i][0]);
    }
    is_str(err, "unknown option '' (kid=ID or issuer=ISS)",
           "the error names the word and what is accepted");

    memset(&key, 0, sizeof(key));
    key.kid = "own";
    ag_jwk_bind(&key, NULL);
    is_str(key.kid, "own", "no binding leaves the key as it is");
    ag_jwk_binding_parse(both + 1, 1, &b, &err, p);
    ag_jwk_bind(&key, b);
    ok(strcmp(key.kid, "own") == 0 && strcmp(key.issuer, "https://a.test")
           == 0, "issuer= alone keeps the key's own kid");

    {
        ag_keyset *ks = NULL;

        ag_jwk_binding_parse(both, 2, &b, &err, p);
        ok(ag_keyset_from_secret((const unsigned char *)
                                     "0123456789abcdef0123456789abcdef",
                                 32, b, &ks, &err, p) == APR_SUCCESS &&
               ag_keyset_count(ks) == 1 &&
               strcmp(ag_keyset_get(ks, 0)->kid, "main") == 0 &&
               strcmp(ag_keyset_get(ks, 0)->issuer, "https://a.test") == 0,
           "a secret as a key set of one key, bound");
        ok(ag_keyset_from_secret((const unsigned char *)"short", 5, NULL,
                                 &ks, &err, p) != APR_SUCCESS,
           "a secret under 32 bytes is refused");
    }
}

int main(void)
{
    apr_pool_t *p = tap_pool();

    test_algorithms(p);
    test_pem(p);
    test_secrets(p);
    test_keyfile(p);
    test_serials(p);
    test_bindings(p);
    return tap_done();
}
