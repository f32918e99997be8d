/* libFuzzer target: ag_jwt_verify on a token, against an
 * HMAC secret (fixed, so that seeds can carry valid signatures), an RSA,
 * an EC and an Ed25519 key (made at start), under a policy that names an
 * issuer, an audience and required claims; and, past the signature, the
 * claim checks and scope parsing on whatever ag_jwt_parse accepts.  It
 * aborts when a result breaks ag_jwt.h's promises: a reason for every
 * refusal, an identity for every acceptance, never an accepted token whose
 * alg is none or outside the keys' algorithms, log strings that are
 * bounded and printable.
 *
 * The input's first byte chooses how the rest makes a token: bit 0 set,
 * the rest is the token as sent; clear, the rest is HEADER "\n" CLAIMS
 * "\n" SIGNATURE (raw JSON and bytes, base64url-encoded here, so that the
 * fuzzer works on JSON rather than on base64), and with bit 1 set too the
 * signature is replaced by the right HS256 one, which lets mutated claims
 * reach the checks after the signature.
 *
 *   scripts/fuzz token SECONDS */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/pem.h>

#include "ag_base64.h"
#include "ag_jwk.h"
#include "ag_jwt.h"
#include "asan_pool.h"
#include "fuzz_common.h"

/* The HMAC key of the seed corpus's HS256 tokens. */
#define FUZZ_SECRET "fuzz-secret-fuzz-secret-fuzz-sec"

static const ag_keyset *sets[5];
static int nsets;
static unsigned all_algs;

static const ag_keyset *keyset_of(EVP_PKEY *pkey, const char *kid)
{
    BIO *bio = BIO_new(BIO_s_mem());
    ag_jwk_binding b = {kid, NULL};
    const char *err = NULL;
    char *pem;
    long n;
    void *out = NULL;

    PEM_write_bio_PUBKEY(bio, pkey);
    n = BIO_get_mem_data(bio, &pem);
    if (ag_keyfile_parse(pem, (apr_size_t)n, &b, &out, &err, root) !=
        APR_SUCCESS) {
        fprintf(stderr, "fuzz_token: %s\n", err);
        abort();
    }
    BIO_free(bio);
    EVP_PKEY_free(pkey);
    return out;
}

/* The keys live in ROOT, whose blocks LeakSanitizer does not scan (APR
 * may take them from mmap): free them before it looks, at exit. */
static void destroy_root(void)
{
    apr_pool_destroy(root);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    ag_jwk_binding issuer_b = {NULL, "https://b.test"};
    const char *err = NULL;
    void *out = NULL;
    int i;

    fuzz_init();
    atexit(destroy_root);
    if (ag_secretfile_parse(FUZZ_SECRET, strlen(FUZZ_SECRET), NULL, &out,
                            &err, root) != APR_SUCCESS)
        abort();
    sets[nsets++] = out;
    if (ag_secretfile_parse(FUZZ_SECRET "-b", strlen(FUZZ_SECRET) + 2,
                            &issuer_b, &out, &err, root) != APR_SUCCESS)
        abort();
    sets[nsets++] = out;
    sets[nsets++] = keyset_of(EVP_PKEY_Q_keygen(NULL, NULL, "RSA",
                                                (size_t)2048), "rsa-1");
    sets[nsets++] = keyset_of(EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"),
                              "ec-1");
    sets[nsets++] = keyset_of(EVP_PKEY_Q_keygen(NULL, NULL, "ED25519"),
                              NULL);
    for (i = 0; i < nsets; i++)
        all_algs |= ag_keyset_algs(sets[i]);
    return 0;
}

static void check_log_string(const char *s)
{
    const char *c;

    if (s == NULL)
        return;
    CHECK(strlen(s) <= 64 * 4 + 3);
    for (c = s; *c; c++)
        CHECK(*c > 0x20 && *c < 0x7f && *c != '"');
}

static void check_description(const char *s)
{
    const char *c;

    CHECK(s != NULL && *s != '\0');
    for (c = s; *c; c++)
        CHECK(*c >= 0x20 && *c <= 0x7e && *c != '"' && *c != '\\');
}

static void run(const char *token, apr_size_t len, apr_pool_t *p)
{
    apr_array_header_t *iss = apr_array_make(p, 1, sizeof(const char *));
    apr_array_header_t *aud = apr_array_make(p, 1, sizeof(const char *));
    ag_jwt_policy pol;
    ag_jwt_result res;
    ag_jwt_token tok;
    const char *detail = NULL;
    ag_reason reason;

    APR_ARRAY_PUSH(iss, const char *) = "https://a.test";
    APR_ARRAY_PUSH(iss, const char *) = "https://b.test";
    APR_ARRAY_PUSH(aud, const char *) = "api";
    ag_jwt_policy_init(&pol);
    pol.issuers = iss;
    pol.audiences = aud;
    pol.max_size = 4096;

    reason = ag_jwt_verify(token, len, &pol, sets, nsets,
                           apr_time_from_sec(1700000000), &res, p);
    CHECK((unsigned)reason < AG_R__COUNT && reason == res.reason);
    check_log_string(res.log_kid);
    check_log_string(res.log_iss);
    if (reason == AG_OK) {
        CHECK(res.user != NULL && res.user[0] != '\0');
        CHECK(res.key != NULL && res.keyset != NULL);
        CHECK((unsigned)res.alg < AG_JWT_ALG__COUNT);
        CHECK(res.key->algs & AG_JWT_ALG_BIT(res.alg));
        CHECK(res.claims != NULL && res.payload_json != NULL);
    }
    else {
        check_description(res.detail);
    }

    /* past the signature: the claims of whatever parses */
    if (ag_jwt_parse(token, len, 1 << 20, &tok, &detail, p) == AG_OK) {
        apr_array_header_t *keys = NULL;
        ag_jwt_result cr;

        CHECK(tok.header != NULL && tok.claims != NULL);
        CHECK((unsigned)tok.alg < AG_JWT_ALG__COUNT);
        if (ag_jwt_select_keys(&tok, &pol, sets, nsets, &keys, NULL, p) ==
            AG_OK) {
            int i;

            CHECK(keys != NULL && keys->nelts > 0);
            for (i = 0; i < keys->nelts; i++)
                CHECK(APR_ARRAY_IDX(keys, i, const ag_jwk *)->algs &
                      AG_JWT_ALG_BIT(tok.alg));
        }
        memset(&cr, 0, sizeof(cr));
        if (ag_jwt_check_claims(tok.claims, &pol,
                                apr_time_from_sec(1700000000), &cr, p) ==
            AG_OK)
            CHECK(cr.user != NULL && cr.user[0] != '\0');
        else
            check_description(cr.detail);
        (void)ag_jwt_scopes(tok.claims, "roles", p);
    }
    else {
        CHECK(detail != NULL);
    }
}

/* HEADER "\n" CLAIMS "\n" SIGNATURE as a compact token. */
static char *structured(const char *in, size_t size, int sign,
                        apr_size_t *len, apr_pool_t *p)
{
    const char *end = in + size, *nl1, *nl2;
    const char *h, *c, *sig;
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int maclen = 0;
    char *input, *token;

    nl1 = memchr(in, '\n', size);
    nl2 = nl1 ? memchr(nl1 + 1, '\n', (size_t)(end - nl1 - 1)) : NULL;
    if (nl2 == NULL)
        return NULL;
    h = ag_base64_encode((const unsigned char *)in, (apr_size_t)(nl1 - in),
                         AG_BASE64URL, p);
    c = ag_base64_encode((const unsigned char *)nl1 + 1,
                         (apr_size_t)(nl2 - nl1 - 1), AG_BASE64URL, p);
    input = apr_pstrcat(p, h, ".", c, NULL);
    if (sign) {
        HMAC(EVP_sha256(), FUZZ_SECRET, (int)strlen(FUZZ_SECRET),
             (const unsigned char *)input, strlen(input), mac, &maclen);
        sig = ag_base64_encode(mac, maclen, AG_BASE64URL, p);
    }
    else {
        sig = ag_base64_encode((const unsigned char *)nl2 + 1,
                               (apr_size_t)(end - nl2 - 1), AG_BASE64URL, p);
    }
    token = apr_pstrcat(p, input, ".", sig, NULL);
    *len = strlen(token);
    return token;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    char *token = NULL;
    apr_size_t len = 0;

    if (size < 1)
        return 0;
    apr_pool_create(&p, root);
    asan_pool_begin();
    if (data[0] & 1) {
        /* the token as sent: its own malloc'd block, so that a read past
         * its end is caught */
        char *copy = malloc(size);

        if (copy == NULL)
            abort();
        memcpy(copy, data + 1, size - 1);
        copy[size - 1] = '\0';
        run(copy, size - 1, p);
        free(copy);
    }
    else {
        token = structured((const char *)data + 1, size - 1, data[0] & 2,
                           &len, p);
        if (token != NULL)
            run(token, len, p);
    }
    /* the pool's cleanups (cJSON trees) run while its blocks live */
    apr_pool_destroy(p);
    asan_pool_end();
    return 0;
}
