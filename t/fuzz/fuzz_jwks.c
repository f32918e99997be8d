/* libFuzzer target: key files.  Any bytes go through ag_keyfile_parse
 * (JWKS or PEM, told apart by content) and ag_jwks_parse; every key that
 * loads is then written back with ag_jwks_write and read again, and must
 * come back the same (type, algorithms, kid, RFC 7638 thumbprint).  It
 * aborts when a loaded key breaks ag_jwk.h's promises: algorithms that
 * fit its type, a public key where one belongs, an HMAC key no shorter
 * than AG_JWK_MIN_SECRET, a warning for every skipped entry.
 *
 *   scripts/fuzz jwks SECONDS */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "ag_jwk.h"
#include "asan_pool.h"
#include "fuzz_common.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init();
    return 0;
}

static void check_key(const ag_jwk *k)
{
    CHECK(k->algs != 0 && (k->algs & ~AG_JWT_ALGS_ALL) == 0);
    switch (k->type) {
    case AG_JWK_OCT:
        CHECK(k->pkey == NULL && k->secret != NULL);
        CHECK(k->secret_len >= AG_JWK_MIN_SECRET);
        CHECK((k->algs & ~AG_JWT_ALGS_HMAC) == 0);
        break;
    case AG_JWK_RSA:
        CHECK(k->pkey != NULL && (k->algs & ~AG_JWT_ALGS_RSA) == 0);
        CHECK(EVP_PKEY_get_bits(k->pkey) >= AG_JWK_MIN_RSA_BITS);
        break;
    case AG_JWK_EC:
        CHECK(k->pkey != NULL);
        CHECK(k->algs == AG_JWT_ALG_BIT(AG_JWT_ES256) ||
              k->algs == AG_JWT_ALG_BIT(AG_JWT_ES384) ||
              k->algs == AG_JWT_ALG_BIT(AG_JWT_ES512));
        break;
    case AG_JWK_OKP:
        CHECK(k->pkey != NULL && k->algs == AG_JWT_ALG_BIT(AG_JWT_EDDSA));
        break;
    default:
        CHECK(0);
    }
    CHECK(k->kid == NULL || (k->kid[0] != '\0' && strlen(k->kid) <= 256));
}

/* The public keys of KS written as a JWKS and read back. */
static void round_trip(const ag_keyset *ks, apr_pool_t *p)
{
    apr_array_header_t *keys = apr_array_make(p, 4, sizeof(const ag_jwk *));
    apr_array_header_t *kids = apr_array_make(p, 4, sizeof(const char *));
    const char *err = NULL;
    ag_keyset *back;
    char *json;
    int i;

    for (i = 0; i < ag_keyset_count(ks); i++) {
        const ag_jwk *k = ag_keyset_get(ks, i);

        if (k->type == AG_JWK_OCT)
            continue;
        APR_ARRAY_PUSH(keys, const ag_jwk *) = k;
        APR_ARRAY_PUSH(kids, const char *) = k->kid;
    }
    if (keys->nelts == 0)
        return;
    CHECK(ag_jwks_write(keys, kids, &json, &err, p) == APR_SUCCESS);
    back = ag_keyset_make(p);
    CHECK(ag_jwks_parse(json, strlen(json), back, &err, p) == APR_SUCCESS);
    CHECK(ag_keyset_count(back) == keys->nelts);
    for (i = 0; i < keys->nelts; i++) {
        const ag_jwk *a = APR_ARRAY_IDX(keys, i, const ag_jwk *);
        const ag_jwk *b = ag_keyset_get(back, i);
        const char *ta, *tb;

        CHECK(a->type == b->type);
        /* EC and OKP keys carry their alg; an RSA key written without
         * one serves every RSA algorithm */
        CHECK(b->type == AG_JWK_RSA ? b->algs == AG_JWT_ALGS_RSA
                                    : b->algs == a->algs);
        CHECK(a->kid == NULL || strcmp(a->kid, b->kid) == 0);
        CHECK(ag_jwk_thumbprint(a, &ta, p) == APR_SUCCESS);
        CHECK(ag_jwk_thumbprint(b, &tb, p) == APR_SUCCESS);
        CHECK(strcmp(ta, tb) == 0);
        CHECK(EVP_PKEY_eq(a->pkey, b->pkey) == 1);
    }
}

static void run(const char *data, apr_size_t len, apr_pool_t *p)
{
    ag_jwk_binding b = {NULL, "https://issuer.test"};
    const char *err = NULL;
    void *out = NULL;
    ag_keyset *ks;
    int i;

    if (ag_keyfile_parse(data, len, &b, &out, &err, p) == APR_SUCCESS) {
        const ag_keyset *set = out;

        CHECK(ag_keyset_count(set) > 0);
        for (i = 0; i < ag_keyset_count(set); i++) {
            check_key(ag_keyset_get(set, i));
            CHECK(strcmp(ag_keyset_get(set, i)->issuer,
                         "https://issuer.test") == 0);
        }
        round_trip(set, p);
    }
    else {
        CHECK(err != NULL && *err != '\0');
    }
    ks = ag_keyset_make(p);
    err = NULL;
    if (ag_jwks_parse(data, len, ks, &err, p) == APR_SUCCESS) {
        int named = 0;

        for (i = 0; i < ag_keyset_count(ks); i++) {
            const ag_jwk *k = ag_keyset_get(ks, i);

            check_key(k);
            if (k->kid != NULL) {
                CHECK(ag_keyset_by_kid(ks, k->kid) != NULL);
                named++;
            }
        }
        CHECK(named + ag_keyset_unnamed(ks)->nelts == ag_keyset_count(ks));
    }
    else {
        CHECK(err != NULL && *err != '\0');
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    char *copy;

    apr_pool_create(&p, root);
    asan_pool_begin();
    copy = fuzz_cstring(data, size);
    run(copy, size, p);
    free(copy);
    apr_pool_destroy(p);
    asan_pool_end();
    return 0;
}
