#include <string.h>

#include <apr_strings.h>

#include <cjson/cJSON.h>

#include "ag_jwk.h"
#include "keys.h"
#include "tap.h"

/* RFC 7638 §3.1's example key and thumbprint. */
#define RFC7638_N \
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7" \
    "aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXA" \
    "rwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7" \
    "d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lF" \
    "d2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw"
#define RFC7638_JWK \
    "{\"kty\":\"RSA\",\"n\":\"" RFC7638_N "\",\"e\":\"AQAB\",\"alg\":\"RS256\"," \
    "\"kid\":\"2011-04-29\"}"

/* 32 bytes, base64url */
#define OCT32 "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0ISE"

static ag_keyset *parse(const char *json, const char **err, apr_pool_t *p)
{
    ag_keyset *ks = ag_keyset_make(p);

    *err = NULL;
    if (ag_jwks_parse(json, strlen(json), ks, err, p) != APR_SUCCESS)
        return NULL;
    return ks;
}

static const char *jwks_of(const char *entry, apr_pool_t *p)
{
    return apr_pstrcat(p, "{\"keys\":[", entry, ",{\"kty\":\"oct\",\"kid\":"
                       "\"spare\",\"k\":\"" OCT32 "\"}]}", NULL);
}

/* The warning for the first entry of a JWKS made by jwks_of, or NULL
 * when the entry was loaded. */
static const char *skipped(const char *entry, apr_pool_t *p)
{
    const char *err;
    ag_keyset *ks = parse(jwks_of(entry, p), &err, p);
    const apr_array_header_t *w;

    if (ks == NULL)
        return "(whole JWKS refused)";
    w = ag_keyset_warnings(ks);
    return w->nelts > 0 ? APR_ARRAY_IDX(w, 0, const char *) : NULL;
}

static const ag_jwk *first(const char *json, apr_pool_t *p)
{
    const char *err;
    ag_keyset *ks = parse(json, &err, p);

    return ks ? ag_keyset_get(ks, 0) : NULL;
}

/* A JWKS made by ag_jwks_write for the public key of PAIR. */
static const char *written(test_keypair pair, const char *kid, apr_pool_t *p)
{
    apr_array_header_t *keys = apr_array_make(p, 1, sizeof(const ag_jwk *));
    apr_array_header_t *kids = apr_array_make(p, 1, sizeof(const char *));
    const char *err;
    ag_jwk *key;
    char *out = NULL;

    if (ag_jwk_parse_pem(pair.pub, strlen(pair.pub), &key, &err, p) !=
        APR_SUCCESS)
        return NULL;
    APR_ARRAY_PUSH(keys, const ag_jwk *) = key;
    APR_ARRAY_PUSH(kids, const char *) = kid;
    if (ag_jwks_write(keys, kids, &out, &err, p) != APR_SUCCESS)
        return NULL;
    return out;
}

static void test_entries(apr_pool_t *p)
{
    const ag_jwk *k;
    const char *w, *err, *tp;
    ag_keyset *ks;

    k = first("{\"keys\":[" RFC7638_JWK "]}", p);
    ok(k != NULL && k->type == AG_JWK_RSA, "RFC 7638's RSA key (n, e)");
    ok(k && k->algs == AG_JWT_ALG_BIT(AG_JWT_RS256),
       "its alg narrows it to RS256");
    is_str(k ? k->kid : NULL, "2011-04-29", "its kid");
    ok(k && ag_jwk_thumbprint(k, &tp, p) == APR_SUCCESS &&
           strcmp(tp, "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs") == 0,
       "its RFC 7638 thumbprint");

    k = first("{\"keys\":[{\"kty\":\"oct\",\"k\":\"" OCT32 "\"}]}", p);
    ok(k != NULL && k->type == AG_JWK_OCT && k->secret_len == 32 &&
           k->kid == NULL, "an oct key without kid");

    w = skipped("{\"kty\":\"RSA\",\"use\":\"enc\",\"n\":\"" RFC7638_N
                "\",\"e\":\"AQAB\"}", p);
    ok(w != NULL && strstr(w, "use") != NULL, "use enc is skipped: %s", w);
    w = skipped("{\"kty\":\"RSA\",\"use\":\"enc\",\"kid\":\"a\\nb\\u0007\","
                "\"n\":\"" RFC7638_N "\",\"e\":\"AQAB\"}", p);
    ok(w != NULL && strchr(w, '\n') == NULL && strchr(w, '\a') == NULL &&
           strstr(w, "a\\x0ab\\x07") != NULL,
       "a skipped key's kid is escaped for the log: %s", w);
    w = skipped("{\"kty\":\"RSA\",\"key_ops\":[\"encrypt\"],\"n\":\""
                RFC7638_N "\",\"e\":\"AQAB\"}", p);
    ok(w != NULL && strstr(w, "key_ops") != NULL, "key_ops without verify");
    ok(skipped("{\"kty\":\"RSA\",\"key_ops\":[\"verify\"],\"n\":\"" RFC7638_N
               "\",\"e\":\"AQAB\"}", p) == NULL, "key_ops with verify");
    w = skipped("{\"kty\":\"RSA\",\"alg\":\"ES256\",\"n\":\"" RFC7638_N
                "\",\"e\":\"AQAB\"}", p);
    ok(w != NULL && strstr(w, "does not fit") != NULL,
       "an alg of another family is skipped");
    w = skipped("{\"kty\":\"oct\",\"alg\":\"none\",\"k\":\"" OCT32 "\"}", p);
    ok(w != NULL && strstr(w, "alg") != NULL, "alg none is skipped");
    w = skipped("{\"kty\":\"RSA\",\"alg\":\"RSA-OAEP\",\"n\":\"" RFC7638_N
                "\",\"e\":\"AQAB\"}", p);
    ok(w != NULL, "an encryption alg is skipped");
    w = skipped("{\"kty\":\"XYZ\"}", p);
    ok(w != NULL && strstr(w, "kty") != NULL, "an unknown kty is skipped");
    w = skipped("{\"n\":\"AQAB\"}", p);
    ok(w != NULL && strstr(w, "no kty") != NULL, "no kty is skipped");
    w = skipped("{\"kty\":\"RSA\",\"kid\":7,\"n\":\"" RFC7638_N
                "\",\"e\":\"AQAB\"}", p);
    ok(w != NULL && strstr(w, "kid") != NULL, "a kid that is no string");
    w = skipped("{\"kty\":\"RSA\",\"n\":\"AQAB\",\"e\":\"AQAB\"}", p);
    ok(w != NULL, "a tiny RSA modulus is skipped");
    w = skipped("{\"kty\":\"RSA\",\"n\":\"" RFC7638_N "\"}", p);
    ok(w != NULL && strstr(w, "n and e") != NULL, "RSA without e");
    w = skipped("{\"kty\":\"RSA\",\"n\":\"" RFC7638_N "!\",\"e\":\"AQAB\"}",
                p);
    ok(w != NULL, "RSA n that is not base64url");
    w = skipped("{\"kty\":\"oct\",\"k\":\"c2hvcnQ\"}", p);
    ok(w != NULL && strstr(w, "shorter") != NULL, "a short oct key");
    w = skipped("{\"kty\":\"EC\",\"crv\":\"P-192\",\"x\":\"AA\",\"y\":\"AA\"}",
                p);
    ok(w != NULL && strstr(w, "crv") != NULL, "an unsupported curve");
    w = skipped("{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"AA\"}", p);
    ok(w != NULL && strstr(w, "Ed25519") != NULL, "OKP other than Ed25519");
    w = skipped("{\"kty\":\"oct\",\"k\":\"" OCT32 "\",\"k\":\"" OCT32 "\"}",
                p);
    ok(w != NULL && strstr(w, "unique") != NULL,
       "an entry naming a member twice is skipped");
    w = skipped("[]", p);
    ok(w != NULL, "an entry that is no object is skipped");

    ks = parse("{\"keys\":[{\"kty\":\"XYZ\",\"kid\":\"a\"}]}", &err, p);
    ok(ks == NULL && strstr(err, "no usable key") != NULL &&
           strstr(err, "kid a") != NULL,
       "a JWKS without a usable key is refused, saying why: %s", err);
    ok(parse("{\"keys\":{}}", &err, p) == NULL, "keys that is no array");
    ok(parse("{\"keys\":[],\"keys\":[]}", &err, p) == NULL,
       "a JWKS naming keys twice");
    ok(parse("{\"keys\":[]} x", &err, p) == NULL, "garbage after the JWKS");
    ok(parse("{\"Keys\":[" RFC7638_JWK "]}", &err, p) == NULL,
       "member names are case-sensitive");
    ks = parse("{\"keys\":[{\"kty\":\"oct\",\"kid\":\"same\",\"k\":\"" OCT32
               "\"},{\"kty\":\"oct\",\"kid\":\"same\",\"k\":\"" OCT32 "\"}]}",
               &err, p);
    ok(ks && ag_keyset_by_kid(ks, "same")->nelts == 2,
       "two keys of one kid are both kept");
    {
        const char *big = "{\"keys\":[";
        int i;

        for (i = 0; i <= AG_JWKS_MAX_KEYS; i++)
            big = apr_pstrcat(p, big, i ? "," : "", "{\"kty\":\"oct\",\"k\":\""
                              OCT32 "\"}", NULL);
        big = apr_pstrcat(p, big, "]}", NULL);
        ok(parse(big, &err, p) == NULL && strstr(err, "more than") != NULL,
           "a JWKS of too many keys is refused");
    }
}

static void test_round_trip(apr_pool_t *p)
{
    test_keypair rsa = test_keygen("RSA", NULL, 2048, p);
    test_keypair ec256 = test_keygen("EC", "P-256", 0, p);
    test_keypair ec384 = test_keygen("EC", "P-384", 0, p);
    test_keypair ec521 = test_keygen("EC", "P-521", 0, p);
    test_keypair ed = test_keygen("ED25519", NULL, 0, p);
    const ag_jwk *k;
    const char *json, *tp1, *tp2, *err;
    ag_jwk *pem;

    json = written(rsa, "r1", p);
    k = json ? first(json, p) : NULL;
    ok(k && k->type == AG_JWK_RSA && k->algs == AG_JWT_ALGS_RSA &&
           strcmp(k->kid, "r1") == 0, "an RSA key written and read back");
    ag_jwk_parse_pem(rsa.pub, strlen(rsa.pub), &pem, &err, p);
    ok(k && ag_jwk_thumbprint(k, &tp1, p) == APR_SUCCESS &&
           ag_jwk_thumbprint(pem, &tp2, p) == APR_SUCCESS &&
           strcmp(tp1, tp2) == 0 && EVP_PKEY_eq(k->pkey, pem->pkey) == 1,
       "it is the same key");
    json = written(ec256, NULL, p);
    k = json ? first(json, p) : NULL;
    ok(k && k->type == AG_JWK_EC &&
           k->algs == AG_JWT_ALG_BIT(AG_JWT_ES256) && k->kid &&
           strlen(k->kid) == 43, "a P-256 key, named by its thumbprint");
    json = written(ec384, "e384", p);
    k = json ? first(json, p) : NULL;
    ok(k && k->algs == AG_JWT_ALG_BIT(AG_JWT_ES384), "a P-384 key");
    json = written(ec521, "e521", p);
    k = json ? first(json, p) : NULL;
    ok(k && k->algs == AG_JWT_ALG_BIT(AG_JWT_ES512),
       "a P-521 key (66-byte coordinates)");
    json = written(ed, "ed", p);
    k = json ? first(json, p) : NULL;
    ok(k && k->type == AG_JWK_OKP && k->algs == AG_JWT_ALG_BIT(AG_JWT_EDDSA),
       "an Ed25519 key");

    /* a point moved off the curve */
    json = written(ec256, "bad", p);
    {
        cJSON *root = json ? cJSON_Parse(json) : NULL;
        cJSON *jwk = cJSON_GetArrayItem(cJSON_GetObjectItem(root, "keys"), 0);
        char *ys = apr_pstrdup(p, cJSON_GetObjectItem(jwk, "y")->valuestring);
        char *entry;
        const char *w;

        ys[5] = ys[5] == 'A' ? 'B' : 'A';
        cJSON_ReplaceItemInObject(jwk, "y", cJSON_CreateString(ys));
        entry = cJSON_PrintUnformatted(jwk);
        w = skipped(entry, p);
        ok(w != NULL && strstr(w, "curve") != NULL,
           "an EC point off its curve is skipped");
        cJSON_free(entry);
        cJSON_Delete(root);
    }
}

int main(void)
{
    apr_pool_t *p = tap_pool();

    test_entries(p);
    test_round_trip(p);
    return tap_done();
}
