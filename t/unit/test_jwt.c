#include <string.h>
#include <time.h>

#include <apr_strings.h>

#include "ag_json.h"
#include "ag_jwt.h"
#include "ag_jwt_sign.h"
#include "keys.h"
#include "tap.h"

static apr_pool_t *pool;
static apr_time_t now;
static long t0;

static test_keypair rsa, rsa2, ec, ed;
static const unsigned char secret[] = "0123456789abcdef0123456789abcdef";
#define SECRET_LEN 32

static const ag_keyset *keyset_pem(const char *pem, const char *kid,
                                   const char *issuer)
{
    ag_jwk_binding b = {kid, issuer};
    const char *err;
    void *out;

    if (ag_keyfile_parse(pem, strlen(pem), &b, &out, &err, pool) !=
        APR_SUCCESS) {
        printf("# keyfile: %s\n", err);
        return NULL;
    }
    return out;
}

static const ag_keyset *keyset_secret(const char *kid, const char *issuer)
{
    ag_jwk_binding b = {kid, issuer};
    const char *err;
    void *out;

    ag_secretfile_parse((const char *)secret, SECRET_LEN, &b, &out, &err,
                        pool);
    return out;
}

static const char *claims(const char *extra)
{
    return apr_psprintf(pool, "{\"sub\":\"alice\",\"exp\":%ld%s%s}",
                        t0 + 300, *extra ? "," : "", extra);
}

static const char *sign(ag_jwt_alg alg, const char *key, apr_size_t len,
                        const char *kid, const char *header,
                        const char *body)
{
    const char *out = NULL, *err = NULL;

    if (ag_jwt_sign(alg, (const unsigned char *)key, len, kid, header, body,
                    &out, &err, pool) != APR_SUCCESS) {
        printf("# sign: %s\n", err);
        return "x.y.z";
    }
    return out;
}

static const char *rs256(const char *kid, const char *body)
{
    return sign(AG_JWT_RS256, rsa.priv, strlen(rsa.priv), kid, NULL, body);
}

static const char *hs256(const char *header_extra, const char *body)
{
    const char *h = apr_psprintf(pool, "{\"alg\":\"HS256\",\"typ\":\"JWT\"%s%s}",
                                 *header_extra ? "," : "", header_extra);

    return test_token(h, body, AG_JWT_HS256, NULL, secret, SECRET_LEN, 0,
                      pool);
}

static ag_jwt_result last;

static ag_reason verify_with(const char *token, const ag_jwt_policy *pol,
                             const ag_keyset *const *sets, int n)
{
    return ag_jwt_verify(token, strlen(token), pol, sets, n, now, &last,
                         pool);
}

static ag_reason verify(const char *token, const ag_keyset *ks)
{
    ag_jwt_policy pol;

    ag_jwt_policy_init(&pol);
    return verify_with(token, &pol, &ks, 1);
}

#define is_reason(got, want, ...)                                          \
    do {                                                                   \
        ag_reason g__ = (got);                                             \
        ok(g__ == (want), __VA_ARGS__);                                    \
        if (g__ != (want))                                                 \
            printf("#        got: %s (%s)\n#   expected: %s\n",            \
                   ag_reason_name(g__), last.detail ? last.detail : "",    \
                   ag_reason_name(want));                                  \
    } while (0)

static void test_good(void)
{
    const ag_keyset *ks_rsa = keyset_pem(rsa.pub, NULL, NULL);
    const ag_keyset *ks_ec = keyset_pem(ec.pub, NULL, NULL);
    const ag_keyset *ks_ed = keyset_pem(ed.pub, NULL, NULL);
    const ag_keyset *ks_hs = keyset_secret(NULL, NULL);
    test_keypair ec384 = test_keygen("EC", "P-384", 0, pool);
    test_keypair ec521 = test_keygen("EC", "P-521", 0, pool);

    is_reason(verify(rs256(NULL, claims("")), ks_rsa), AG_OK,
              "RS256 signed by libjwt");
    is_str(last.user, "alice", "the user is sub");
    ok(last.expires == apr_time_from_sec(t0 + 300), "expires is exp");
    ok(last.keyset == ks_rsa && last.key == ag_keyset_get(ks_rsa, 0),
       "the key and keyset that vouched");
    is_reason(verify(sign(AG_JWT_RS512, rsa.priv, strlen(rsa.priv), NULL,
                          NULL, claims("")), ks_rsa), AG_OK, "RS512");
    is_reason(verify(sign(AG_JWT_ES256, ec.priv, strlen(ec.priv), NULL, NULL,
                          claims("")), ks_ec), AG_OK,
              "ES256 signed by libjwt (JOSE r||s)");
    is_reason(verify(test_token("{\"alg\":\"ES256\"}", claims(""),
                                AG_JWT_ES256, ec.priv, NULL, 0, 0, pool),
                     ks_ec), AG_OK, "ES256 signed by OpenSSL, converted");
    is_reason(verify(test_token("{\"alg\":\"ES256\"}", claims(""),
                                AG_JWT_ES256, ec.priv, NULL, 0, 1, pool),
                     ks_ec), AG_R_BAD_SIGNATURE,
              "ES256 with a DER signature is refused");
    is_reason(verify(sign(AG_JWT_ES384, ec384.priv, strlen(ec384.priv), NULL,
                          NULL, claims("")),
                     keyset_pem(ec384.pub, NULL, NULL)), AG_OK, "ES384");
    is_reason(verify(sign(AG_JWT_ES512, ec521.priv, strlen(ec521.priv), NULL,
                          NULL, claims("")),
                     keyset_pem(ec521.pub, NULL, NULL)), AG_OK,
              "ES512 (P-521)");
    is_reason(verify(sign(AG_JWT_PS256, rsa.priv, strlen(rsa.priv), NULL,
                          NULL, claims("")), ks_rsa), AG_OK, "PS256");
    is_reason(verify(sign(AG_JWT_EDDSA, ed.priv, strlen(ed.priv), NULL, NULL,
                          claims("")), ks_ed), AG_OK, "EdDSA");
    is_reason(verify(sign(AG_JWT_HS256, (const char *)secret, SECRET_LEN,
                          NULL, NULL, claims("")), ks_hs), AG_OK,
              "HS256 signed by libjwt");
    is_reason(verify(hs256("", claims("")), ks_hs), AG_OK,
              "HS256 signed by OpenSSL");
    is_reason(verify(sign(AG_JWT_HS384, (const char *)secret, SECRET_LEN,
                          NULL, NULL, claims("")), ks_hs),
              AG_R_ALG_NOT_ALLOWED,
              "HS384 with a 32-byte secret is not allowed");
}

/* TOKEN with one character of its signature changed. */
static const char *tampered(const char *token)
{
    char *t = apr_pstrdup(pool, token);
    char *c = t + strlen(t) - 10;

    *c = *c == 'A' ? 'B' : 'A';
    return t;
}

/* Each key keeps a ready verification context per algorithm, and each
 * verification works on a copy: a refused signature leaves nothing behind
 * for the next token, and the algorithms of one key stay apart. */
static void test_ready_contexts(void)
{
    const ag_keyset *ks_rsa = keyset_pem(rsa.pub, NULL, NULL);
    const ag_keyset *ks_ec = keyset_pem(ec.pub, NULL, NULL);
    const char *rs = rs256(NULL, claims(""));
    const char *ps = sign(AG_JWT_PS256, rsa.priv, strlen(rsa.priv), NULL,
                          NULL, claims(""));
    const char *es = sign(AG_JWT_ES256, ec.priv, strlen(ec.priv), NULL, NULL,
                          claims(""));
    int i, good = 0, bad = 0;

    for (i = 0; i < 3; i++) {
        good += verify(rs, ks_rsa) == AG_OK;
        bad += verify(tampered(rs), ks_rsa) == AG_R_BAD_SIGNATURE;
        good += verify(ps, ks_rsa) == AG_OK;
        bad += verify(tampered(ps), ks_rsa) == AG_R_BAD_SIGNATURE;
        good += verify(es, ks_ec) == AG_OK;
        bad += verify(tampered(es), ks_ec) == AG_R_BAD_SIGNATURE;
    }
    ok(good == 9 && bad == 9,
       "RS256, PS256 (one key) and ES256, good and tampered in turn, three "
       "times: every one answered alike (%d good, %d refused)", good, bad);
}

static void test_algorithms(void)
{
    const ag_keyset *ks_rsa = keyset_pem(rsa.pub, NULL, NULL);
    const ag_keyset *ks_ec = keyset_pem(ec.pub, NULL, NULL);
    const ag_keyset *ks_hs = keyset_secret(NULL, NULL);
    const ag_keyset *both[2] = {ks_rsa, ks_hs};
    const char *good = rs256(NULL, claims(""));
    const char *body = claims("");
    const char *hp, *sig;
    ag_jwt_policy pol;
    int i;
    static const char *const nones[] = {"none", "None", "NONE", "nOnE"};

    for (i = 0; i < 4; i++) {
        const char *h = apr_psprintf(pool, "{\"alg\":\"%s\"}", nones[i]);
        const char *unsigned_tok = apr_pstrcat(pool, b64u(h, pool), ".",
                                               b64u(body, pool), ".", NULL);
        const char *with_sig = apr_pstrcat(pool, unsigned_tok,
                                           strrchr(good, '.') + 1, NULL);

        is_reason(verify(unsigned_tok, ks_rsa), AG_R_ALG_NOT_ALLOWED,
                  "alg %s without signature", nones[i]);
        is_reason(verify(with_sig, ks_rsa), AG_R_ALG_NOT_ALLOWED,
                  "alg %s with a signature", nones[i]);
    }
    /* libjwt issue #200: HS256 keyed with the RSA public key's PEM */
    hp = test_token("{\"alg\":\"HS256\"}", body, AG_JWT_HS256, NULL,
                    (const unsigned char *)rsa.pub, strlen(rsa.pub), 0, pool);
    is_reason(verify(hp, ks_rsa), AG_R_ALG_NOT_ALLOWED,
              "HS256 signed with the RSA public key PEM");
    is_reason(verify_with(hp, (ag_jwt_policy_init(&pol), &pol), both, 2),
              AG_R_BAD_SIGNATURE,
              "the same where HS256 is allowed: the PEM is no secret");
    pol.algs = AG_JWT_ALG_BIT(AG_JWT_HS256) | AG_JWT_ALG_BIT(AG_JWT_RS256);
    is_reason(verify_with(hp, &pol, &ks_rsa, 1), AG_R_ALG_NOT_ALLOWED,
              "an allow-list naming HS256 does not make an RSA key a secret");
    is_reason(verify(good, ks_ec), AG_R_ALG_NOT_ALLOWED,
              "RS256 where only an EC key is configured");
    pol.algs = AG_JWT_ALG_BIT(AG_JWT_ES256);
    is_reason(verify_with(good, &pol, &ks_rsa, 1), AG_R_ALG_NOT_ALLOWED,
              "RS256 outside the allow-list");
    is_reason(verify(test_token("{\"alg\":\"rs256\"}", body, AG_JWT_RS256,
                                rsa.priv, NULL, 0, 0, pool), ks_rsa),
              AG_R_ALG_NOT_ALLOWED, "alg names are case-sensitive");
    is_reason(verify(test_token("{\"alg\":\"HS1024\"}", body, AG_JWT_HS256,
                                NULL, secret, SECRET_LEN, 0, pool), ks_hs),
              AG_R_ALG_NOT_ALLOWED, "an unknown alg");
    is_reason(verify(test_token("{\"typ\":\"JWT\"}", body, AG_JWT_HS256, NULL,
                                secret, SECRET_LEN, 0, pool), ks_hs),
              AG_R_MALFORMED, "no alg");
    is_reason(verify(test_token("{\"alg\":256}", body, AG_JWT_HS256, NULL,
                                secret, SECRET_LEN, 0, pool), ks_hs),
              AG_R_MALFORMED, "alg that is no string");
    is_reason(verify(test_token("{\"alg\":\"none\",\"alg\":\"HS256\"}", body,
                                AG_JWT_HS256, NULL, secret, SECRET_LEN, 0,
                                pool), ks_hs),
              AG_R_MALFORMED, "alg named twice");

    /* signatures */
    sig = apr_pstrndup(pool, good, strrchr(good, '.') - good + 1);
    is_reason(verify(sig, ks_rsa), AG_R_BAD_SIGNATURE, "stripped signature");
    is_reason(verify(apr_pstrndup(pool, good, strrchr(good, '.') - good),
                     ks_rsa), AG_R_MALFORMED, "two segments");
    is_reason(verify(sign(AG_JWT_RS256, rsa2.priv, strlen(rsa2.priv), NULL,
                          NULL, body), ks_rsa), AG_R_BAD_SIGNATURE,
              "another key's signature");
    {
        char *t = apr_pstrdup(pool, good);
        char *last_char = t + strlen(t) - 5;

        *last_char = *last_char == 'A' ? 'B' : 'A';
        is_reason(verify(t, ks_rsa), AG_R_BAD_SIGNATURE,
                  "a changed signature byte");
        t = apr_pstrdup(pool, good);
        t[strchr(t, '.') - t + 3] ^= 1;
        ok(verify(t, ks_rsa) != AG_OK, "a changed claims byte");
    }
    is_reason(verify(hs256("", body), keyset_pem(rsa.pub, NULL, NULL)),
              AG_R_ALG_NOT_ALLOWED, "HS256 against a public key");
    {
        /* a wrong HMAC of the right length */
        const char *t = hs256("", body);
        char *bad = apr_pstrdup(pool, t);

        bad[strlen(bad) - 3] = bad[strlen(bad) - 3] == 'A' ? 'B' : 'A';
        is_reason(verify(bad, ks_hs), AG_R_BAD_SIGNATURE, "a wrong HMAC");
        is_reason(verify(test_token("{\"alg\":\"HS256\"}", body, AG_JWT_HS256,
                                    NULL, (const unsigned char *)"another "
                                    "secret of thirty-two bytes!!", 32, 0,
                                    pool), ks_hs),
                  AG_R_BAD_SIGNATURE, "another secret's HMAC");
    }
}

static void test_header(void)
{
    const ag_keyset *ks_kid = keyset_pem(rsa.pub, "k1", NULL);
    const ag_keyset *ks_hs = keyset_secret(NULL, NULL);
    const char *body = claims("");

    is_reason(verify(rs256("k1", body), ks_kid), AG_OK, "kid selects its key");
    is_str(last.kid, "k1", "the kid is reported");
    is_reason(verify(rs256("k2", body), ks_kid), AG_R_UNKNOWN_KID,
              "an unknown kid");
    is_str(last.log_kid, "k2", "the unknown kid is reported for the log");
    is_reason(verify(rs256("../../../../dev/null", body), ks_kid),
              AG_R_UNKNOWN_KID, "a kid that is a path is only a name");
    is_reason(verify(rs256(NULL, body), ks_kid), AG_OK,
              "no kid: every key is tried");
    is_reason(verify(rs256("anything", body),
                     keyset_pem(rsa.pub, NULL, NULL)), AG_OK,
              "a key without kid serves any kid");
    is_reason(verify(hs256("\"kid\":7", body), ks_hs), AG_R_MALFORMED,
              "a kid that is no string");
    is_reason(verify(hs256("\"kid\":\"\"", body), ks_hs), AG_R_MALFORMED,
              "an empty kid");
    is_reason(verify(hs256("\"jku\":\"https://evil.test/jwks.json\","
                           "\"x5u\":\"https://evil.test/c.pem\"", body),
                     ks_hs), AG_OK, "jku and x5u are ignored");
    is_reason(verify(hs256("\"jwk\":{\"kty\":\"oct\",\"k\":\"AAAA\"}", body),
                     ks_hs), AG_OK, "an embedded jwk is ignored");
    is_reason(verify(hs256("\"crit\":[\"exp\"],\"exp\":1", body), ks_hs),
              AG_R_MALFORMED, "an unknown crit name");
    is_reason(verify(hs256("\"crit\":[]", body), ks_hs), AG_R_MALFORMED,
              "an empty crit");
    is_reason(verify(hs256("\"b64\":true,\"crit\":[\"b64\"]", body), ks_hs),
              AG_R_MALFORMED, "crit b64 (not implemented)");
    {
        const char *log = ag_jwt_log_safe("a b\"c\\d\n", pool);

        is_str(log, "a\\x20b\\x22c\\x5cd\\x0a", "log-safe escaping");
        ok(strlen(ag_jwt_log_safe("0123456789012345678901234567890123456789"
                                  "0123456789012345678901234567890123456789",
                                  pool)) == 67, "log-safe cuts at 64 bytes");
        is_str(ag_jwt_description("bad \"x\" \\ \x01", pool), "bad ?x? ? ?",
               "error_description characters");
    }
}

static void test_structure(void)
{
    const ag_keyset *ks_hs = keyset_secret(NULL, NULL);
    const char *body = claims("");
    const char *good = hs256("", body);
    const char *h = b64u("{\"alg\":\"HS256\"}", pool);
    ag_jwt_policy pol;
    char *big;

    is_reason(verify(apr_pstrcat(pool, good, ".x.y", NULL), ks_hs),
              AG_R_MALFORMED, "five segments");
    is_reason(verify(apr_pstrcat(pool, good, ".", NULL), ks_hs),
              AG_R_MALFORMED, "four segments");
    is_reason(verify("", ks_hs), AG_R_MALFORMED, "empty");
    is_reason(verify("..", ks_hs), AG_R_MALFORMED, "empty segments");
    is_reason(verify(apr_pstrcat(pool, "eyJ!bGciOiJIUzI1NiJ9",
                                 strchr(good, '.'), NULL), ks_hs),
              AG_R_MALFORMED, "bad base64url in the header");
    is_reason(verify(apr_pstrcat(pool, h, ".eyJzdWIiOiJh+GljZSJ9.AAAA", NULL),
                     ks_hs), AG_R_MALFORMED, "base64 (not url) characters");
    is_reason(verify(apr_pstrcat(pool, b64u("{\"alg\":\"HS256\"}  ", pool),
                                 "=", strchr(good, '.'), NULL), ks_hs),
              AG_R_MALFORMED, "padding in a segment");
    is_reason(verify(apr_pstrcat(pool, b64u("alg=HS256", pool),
                                 strchr(good, '.'), NULL), ks_hs),
              AG_R_MALFORMED, "a header that is not JSON");
    is_reason(verify(apr_pstrcat(pool, b64u("[\"HS256\"]", pool),
                                 strchr(good, '.'), NULL), ks_hs),
              AG_R_MALFORMED, "a header that is no object");
    is_reason(verify(apr_pstrcat(pool, b64u("{\"alg\":\"HS256\"} {}", pool),
                                 strchr(good, '.'), NULL), ks_hs),
              AG_R_MALFORMED, "a header with trailing garbage");
    is_reason(verify(test_token("{\"alg\":\"HS256\"}", "[1]", AG_JWT_HS256,
                                NULL, secret, SECRET_LEN, 0, pool), ks_hs),
              AG_R_MALFORMED, "claims that are no object");
    is_reason(verify(test_token("{\"alg\":\"HS256\"}",
                                "{\"sub\":\"a\",\"sub\":\"b\",\"exp\":1}",
                                AG_JWT_HS256, NULL, secret, SECRET_LEN, 0,
                                pool), ks_hs),
              AG_R_MALFORMED, "a claim named twice");
    big = apr_palloc(pool, 9000);
    memset(big, 'A', 8999);
    big[8999] = '\0';
    big[100] = '.';
    big[200] = '.';
    is_reason(verify(big, ks_hs), AG_R_MALFORMED,
              "a token over 8 KiB is refused");
    is_str(last.detail, "token too large", "before any parsing");
    ag_jwt_policy_init(&pol);
    pol.max_size = 50;
    is_reason(verify_with(good, &pol, &ks_hs, 1), AG_R_MALFORMED,
              "the size bound is the policy's");
}

static void test_claims(void)
{
    const ag_keyset *ks = keyset_secret(NULL, NULL);
    ag_jwt_policy pol;
    apr_array_header_t *iss = apr_array_make(pool, 1, sizeof(const char *));
    apr_array_header_t *aud = apr_array_make(pool, 1, sizeof(const char *));
    apr_array_header_t *req = apr_array_make(pool, 1, sizeof(const char *));
    const char *t;

    APR_ARRAY_PUSH(iss, const char *) = "https://idp.test";
    APR_ARRAY_PUSH(aud, const char *) = "api";
    APR_ARRAY_PUSH(req, const char *) = "jti";

#define TOK(json) hs256("", json)
    /* a required claim that is null is missing, as the README says */
    t = TOK("{\"sub\":\"a\",\"exp\":null}");
    is_reason(verify(t, ks), AG_R_MISSING_CLAIM, "exp null: missing_claim");
    /* \u0000 would make the user "admin" and the audience "api" */
    t = TOK(apr_psprintf(pool, "{\"sub\":\"admin\\u0000x\",\"exp\":%ld}",
                         t0 + 300));
    is_reason(verify(t, ks), AG_R_MALFORMED, "a sub holding \\u0000: malformed");
    t = TOK(apr_psprintf(pool, "{\"sub\":\"a\",\"aud\":\"api\\u0000.evil\","
                         "\"exp\":%ld}", t0 + 300));
    is_reason(verify(t, ks), AG_R_MALFORMED, "an aud holding \\u0000: malformed");
    t = TOK(apr_psprintf(pool, "{\"sub\":\"a\",\"exp\":%ld}", t0 - 61));
    is_reason(verify(t, ks), AG_R_TOKEN_EXPIRED, "expired beyond leeway");
    t = TOK(apr_psprintf(pool, "{\"sub\":\"a\",\"exp\":%ld}", t0 - 30));
    is_reason(verify(t, ks), AG_OK, "expired within leeway");
    ag_jwt_policy_init(&pol);
    pol.leeway = 0;
    is_reason(verify_with(t, &pol, &ks, 1), AG_R_TOKEN_EXPIRED,
              "the leeway is the policy's");
    t = TOK(apr_psprintf(pool, "{\"sub\":\"a\",\"exp\":%ld}", t0));
    is_reason(verify_with(t, &pol, &ks, 1), AG_R_TOKEN_EXPIRED,
              "exp equal to now has expired");
    t = TOK(apr_psprintf(pool, "{\"sub\":\"a\",\"exp\":%ld.5}", t0 + 100));
    is_reason(verify(t, ks), AG_OK, "a fractional exp");
    t = TOK(claims(apr_psprintf(pool, "\"nbf\":%ld", t0 + 120)));
    is_reason(verify(t, ks), AG_R_TOKEN_NOT_YET_VALID, "nbf ahead");
    t = TOK(claims(apr_psprintf(pool, "\"nbf\":%ld", t0 + 30)));
    is_reason(verify(t, ks), AG_OK, "nbf ahead within leeway");
    t = TOK(claims(apr_psprintf(pool, "\"iat\":%ld", t0 + 120)));
    is_reason(verify(t, ks), AG_R_TOKEN_NOT_YET_VALID, "iat in the future");
    t = TOK(claims(apr_psprintf(pool, "\"iat\":%ld", t0 - 1000)));
    is_reason(verify(t, ks), AG_OK, "iat in the past");
    t = TOK("{\"sub\":\"a\",\"exp\":\"2099-01-01\"}");
    is_reason(verify(t, ks), AG_R_MALFORMED, "exp as a string");
    t = TOK(claims("\"nbf\":null"));
    is_reason(verify(t, ks), AG_R_MALFORMED, "nbf null");
    t = TOK(claims("\"iat\":true"));
    is_reason(verify(t, ks), AG_R_MALFORMED, "iat a boolean");
    t = TOK("{\"sub\":\"a\",\"exp\":1e999}");
    ok(verify(t, ks) != AG_OK || last.expires > 0,
       "an infinite exp is no crash");
    t = TOK("{\"sub\":\"a\"}");
    is_reason(verify(t, ks), AG_R_MISSING_CLAIM, "missing exp");
    is_str(last.detail, "missing claim: exp", "naming it");
    ag_jwt_policy_init(&pol);
    pol.required = apr_array_make(pool, 0, sizeof(const char *));
    is_reason(verify_with(t, &pol, &ks, 1), AG_OK,
              "no exp needed when the required claims do not name it");
    pol.required = req;
    is_reason(verify_with(TOK(claims("")), &pol, &ks, 1), AG_R_MISSING_CLAIM,
              "a required claim");
    is_reason(verify_with(TOK(claims("\"jti\":\"j1\"")), &pol, &ks, 1), AG_OK,
              "a required claim present");
    is_str(last.jti, "j1", "jti is reported");
    is_reason(verify_with(TOK(claims("\"jti\":null")), &pol, &ks, 1),
              AG_R_MISSING_CLAIM, "a required claim that is null");

    ag_jwt_policy_init(&pol);
    pol.issuers = iss;
    is_reason(verify_with(TOK(claims("\"iss\":\"https://idp.test\"")), &pol,
                          &ks, 1), AG_OK, "an accepted issuer");
    is_reason(verify_with(TOK(claims("\"iss\":\"https://evil.test\"")), &pol,
                          &ks, 1), AG_R_WRONG_ISSUER, "wrong iss");
    is_str(last.log_iss, "https://evil.test", "the iss is reported");
    is_reason(verify_with(TOK(claims("")), &pol, &ks, 1), AG_R_MISSING_CLAIM,
              "no iss where issuers are configured");
    is_reason(verify_with(TOK(claims("\"iss\":[\"https://idp.test\"]")), &pol,
                          &ks, 1), AG_R_MALFORMED, "iss that is no string");

    ag_jwt_policy_init(&pol);
    pol.audiences = aud;
    is_reason(verify_with(TOK(claims("\"aud\":\"api\"")), &pol, &ks, 1),
              AG_OK, "aud as a string");
    is_reason(verify_with(TOK(claims("\"aud\":\"web\"")), &pol, &ks, 1),
              AG_R_WRONG_AUDIENCE, "aud wrong");
    is_reason(verify_with(TOK(claims("\"aud\":[\"web\",\"api\"]")), &pol, &ks,
                          1), AG_OK, "aud array containing the right one");
    is_reason(verify_with(TOK(claims("\"aud\":[\"web\",\"API\"]")), &pol, &ks,
                          1), AG_R_WRONG_AUDIENCE, "aud compared exactly");
    is_reason(verify_with(TOK(claims("\"aud\":[\"api\",1]")), &pol, &ks, 1),
              AG_R_MALFORMED, "aud array with a number");
    is_reason(verify_with(TOK(claims("")), &pol, &ks, 1), AG_R_MISSING_CLAIM,
              "no aud where audiences are configured");
    is_reason(verify(TOK(claims("\"aud\":\"anything\"")), ks), AG_OK,
              "aud is not checked when no audience is configured");

    is_reason(verify(TOK(apr_psprintf(pool, "{\"exp\":%ld}", t0 + 60)), ks),
              AG_R_MISSING_CLAIM, "no user claim: never anonymous");
    is_reason(verify(TOK(apr_psprintf(pool, "{\"sub\":\"\",\"exp\":%ld}",
                                      t0 + 60)), ks),
              AG_R_MISSING_CLAIM, "an empty user claim");
    is_reason(verify(TOK(apr_psprintf(pool, "{\"sub\":42,\"exp\":%ld}",
                                      t0 + 60)), ks),
              AG_R_MISSING_CLAIM, "a user claim that is no string");
    is_reason(verify(TOK(apr_psprintf(pool, "{\"sub\":\"a\\nb\",\"exp\":%ld}",
                                      t0 + 60)), ks),
              AG_R_MALFORMED, "a user claim with a newline");
    ag_jwt_policy_init(&pol);
    pol.user_claim = "email";
    is_reason(verify_with(TOK(claims("\"email\":\"a@b.test\"")), &pol, &ks,
                          1), AG_OK, "another user claim");
    is_str(last.user, "a@b.test", "becomes the user");
    is_reason(verify(TOK(claims("\"jti\":5")), ks), AG_R_MALFORMED,
              "jti that is no string");
#undef TOK
}

static void test_issuers(void)
{
    const ag_keyset *sets[2];
    ag_jwt_policy pol;
    const char *a_tok, *b_tok, *forged;

    sets[0] = keyset_pem(rsa.pub, NULL, "https://a.test");
    sets[1] = keyset_pem(rsa2.pub, NULL, "https://b.test");
    ag_jwt_policy_init(&pol);
    a_tok = rs256(NULL, claims("\"iss\":\"https://a.test\""));
    b_tok = sign(AG_JWT_RS256, rsa2.priv, strlen(rsa2.priv), NULL, NULL,
                 claims("\"iss\":\"https://b.test\""));
    forged = rs256(NULL, claims("\"iss\":\"https://b.test\""));
    is_reason(verify_with(a_tok, &pol, sets, 2), AG_OK, "issuer a's token");
    ok(last.keyset == sets[0], "checked by a's key");
    is_reason(verify_with(b_tok, &pol, sets, 2), AG_OK, "issuer b's token");
    is_reason(verify_with(forged, &pol, sets, 2), AG_R_BAD_SIGNATURE,
              "a's key does not vouch for a token saying iss b");
    is_reason(verify_with(rs256(NULL, claims("\"iss\":\"https://c.test\"")),
                          &pol, sets, 2), AG_R_WRONG_ISSUER,
              "no key serves a third issuer");
    is_reason(verify_with(rs256(NULL, claims("")), &pol, sets, 2),
              AG_R_WRONG_ISSUER, "nor a token without iss");
}

static void test_scopes(void)
{
    const ag_keyset *ks = keyset_secret(NULL, NULL);
    ag_jwt_policy pol;

    verify(hs256("", claims("\"scope\":\"read  write \"")), ks);
    is_str(last.scope, "read write", "scope as a string");
    verify(hs256("", claims("\"scope\":[\"read\",\"write\",\"a b\",3]")), ks);
    is_str(last.scope, "read write", "scope as an array");
    verify(hs256("", claims("\"scp\":\"admin\"")), ks);
    is_str(last.scope, "admin", "scp when scope is absent");
    verify(hs256("", claims("\"scope\":\"a\",\"scp\":\"b\"")), ks);
    is_str(last.scope, "a", "scope wins over scp");
    verify(hs256("", claims("")), ks);
    ok(last.scope == NULL, "no scopes");
    ag_jwt_policy_init(&pol);
    pol.scope_claim = "roles";
    verify_with(hs256("", claims("\"roles\":[\"x\"],\"scope\":\"y\"")), &pol,
                &ks, 1);
    is_str(last.scope, "x", "AuthGateScopeClaim names another claim");
    /* AUTHGATE_SCOPE may end up in a header: no CR, LF or other control */
    is_reason(verify(hs256("", claims("\"scope\":\"read\\nX-Bad: 1\"")), ks),
              AG_R_MALFORMED, "a scope holding a newline: malformed");
    is_reason(verify(hs256("", claims("\"scope\":[\"read\",\"a\\tb\"]")), ks),
              AG_R_MALFORMED, "a scope element holding a tab: malformed");
    is_reason(verify(hs256("\"kid\":\"k\\r1\"", claims("")), ks),
              AG_R_MALFORMED, "a kid holding a CR: malformed");
}

static void test_payload(void)
{
    const char *json;
    apr_size_t len;
    const char *t = hs256("", "{\"sub\":\"z\"}");

    ok(ag_jwt_payload(t, strlen(t), &json, &len, pool) == APR_SUCCESS &&
           strcmp(json, "{\"sub\":\"z\"}") == 0, "the payload of a token");
    ok(ag_jwt_payload("abc", 3, &json, &len, pool) != APR_SUCCESS,
       "no payload in a non-token");
}

/* The steps one by one. */
static void test_steps(void)
{
    const ag_keyset *named = keyset_pem(rsa.pub, "k1", NULL);
    const ag_keyset *anon = keyset_pem(rsa2.pub, NULL, NULL);
    const ag_keyset *hs = keyset_secret(NULL, NULL);
    const ag_keyset *sets[3] = {named, anon, hs};
    const char *t = rs256("k1", claims("\"iss\":\"x\""));
    apr_array_header_t *keys, *owners;
    const char *detail = NULL;
    ag_jwt_policy pol;
    ag_jwt_token tok;

    ag_jwt_policy_init(&pol);
    ok(ag_jwt_parse(t, strlen(t), 8192, &tok, &detail, pool) == AG_OK,
       "parse: a token");
    ok(tok.alg == AG_JWT_RS256 && strcmp(tok.kid, "k1") == 0,
       "parse: alg and kid");
    ok(tok.signing_len == (apr_size_t)(strrchr(t, '.') - t) &&
           tok.sig_len == 256, "parse: signing input and signature");
    is_str(ag_json_get_string(tok.claims, "iss"), "x", "parse: the claims");
    ok(ag_jwt_select_keys(&tok, &pol, sets, 3, &keys, &owners, pool) ==
           AG_OK && keys->nelts == 2, "select: the kid's key, then unnamed "
       "RSA keys; not the secret");
    ok(APR_ARRAY_IDX(keys, 0, const ag_jwk *) == ag_keyset_get(named, 0) &&
           APR_ARRAY_IDX(owners, 1, const ag_keyset *) == anon,
       "select: in order, with their keysets");
    ok(ag_jwt_check_signature(&tok, ag_keyset_get(named, 0)),
       "signature: the right key");
    ok(!ag_jwt_check_signature(&tok, ag_keyset_get(anon, 0)),
       "signature: another RSA key");
    ok(!ag_jwt_check_signature(&tok, ag_keyset_get(hs, 0)),
       "signature: never a secret for RS256");
    pol.algs = AG_JWT_ALG_BIT(AG_JWT_HS256);
    ok(ag_jwt_select_keys(&tok, &pol, sets, 3, &keys, NULL, pool) ==
           AG_R_ALG_NOT_ALLOWED, "select: outside the allow-list");
    ok(ag_jwt_parse(t, strlen(t), 100, &tok, &detail, pool) ==
           AG_R_MALFORMED && strcmp(detail, "token too large") == 0,
       "parse: the size bound comes first");
}

static void test_revoked(void)
{
    const char *list = "# revoked\njti-1\n", *err = NULL;
    const char *detail = NULL;
    void *rev = NULL;

    ok(ag_revocation_parse(list, strlen(list), NULL, &rev, &err, pool) ==
           APR_SUCCESS, "a revocation list");
    ok(ag_jwt_check_revoked(rev, "jti-1", &detail) == AG_R_REVOKED,
       "a listed jti is revoked");
    is_str(detail, "token revoked", "and says so");
    detail = NULL;
    ok(ag_jwt_check_revoked(rev, "jti-2", &detail) == AG_OK &&
           detail == NULL, "another jti is not");
    ok(ag_jwt_check_revoked(rev, NULL, &detail) == AG_OK,
       "a token without a jti is not");
    ok(ag_jwt_check_revoked(NULL, "jti-1", &detail) == AG_OK,
       "nor is any without a list");
}

int main(void)
{
    pool = tap_pool();
    now = apr_time_now();
    t0 = (long)apr_time_sec(now);
    rsa = test_keygen("RSA", NULL, 2048, pool);
    rsa2 = test_keygen("RSA", NULL, 2048, pool);
    ec = test_keygen("EC", "P-256", 0, pool);
    ed = test_keygen("ED25519", NULL, 0, pool);

    test_good();
    test_ready_contexts();
    test_algorithms();
    test_header();
    test_structure();
    test_claims();
    test_issuers();
    test_scopes();
    test_payload();
    test_steps();
    test_revoked();
    return tap_done();
}
