#include <math.h>
#include <string.h>
#include <strings.h>

#include <apr_atomic.h>
#include <apr_strings.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/rsa.h>

#include "ag_base64.h"
#include "ag_claims.h"
#include "ag_hash.h"
#include "ag_json.h"
#include "ag_jwt.h"

void ag_jwt_policy_init(ag_jwt_policy *pol)
{
    memset(pol, 0, sizeof(*pol));
    pol->leeway = AG_JWT_DEFAULT_LEEWAY;
    pol->max_size = AG_JWT_DEFAULT_MAX_SIZE;
}

/* --- text for logs and for clients ------------------------------------ */

#define LOG_SAFE_MAX 64

const char *ag_jwt_log_safe(const char *s, apr_pool_t *p)
{
    static const char hex[] = "0123456789abcdef";
    apr_size_t i, n = strlen(s), o = 0;
    int cut = n > LOG_SAFE_MAX;
    char *out;

    if (cut)
        n = LOG_SAFE_MAX;
    out = apr_palloc(p, n * 4 + 4);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c > 0x20 && c < 0x7f && c != '\\' && c != '"') {
            out[o++] = (char)c;
        }
        else {
            out[o++] = '\\';
            out[o++] = 'x';
            out[o++] = hex[c >> 4];
            out[o++] = hex[c & 15];
        }
    }
    if (cut) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

const char *ag_jwt_description(const char *s, apr_pool_t *p)
{
    char *out = apr_pstrdup(p, s), *c;

    for (c = out; *c; c++) {
        unsigned char u = (unsigned char)*c;

        if (u < 0x20 || u > 0x7e || u == '"' || u == '\\')
            *c = '?';
    }
    return out;
}

/* --- step 1 and 2: taking the token apart ----------------------------- */

/* A JWS segment: base64url without padding (RFC 7515 §2), decoded. */
static int decode_segment(const char *s, apr_size_t len, unsigned char **out,
                          apr_size_t *outlen, apr_pool_t *p)
{
    if (memchr(s, '=', len) != NULL)
        return 0;
    return ag_base64_decode(s, len, AG_BASE64URL, out, outlen, p) ==
           APR_SUCCESS;
}

/* 1 when S holds a control character: never let into r->user or the
 * environment (AUTHGATE_KEY_ID, AUTHGATE_SCOPE), where a CR or LF could
 * end up in a header that mod_headers or mod_proxy sends on. */
static int has_ctl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 1;
    return 0;
}

static ag_reason malformed(const char **detail, const char *what)
{
    *detail = what;
    return AG_R_MALFORMED;
}

/* The header's alg, crit and kid into TOK. */
static ag_reason check_header(ag_jwt_token *tok, const char **detail)
{
    const cJSON *alg = ag_json_get(tok->header, "alg");
    const cJSON *crit = ag_json_get(tok->header, "crit");
    const cJSON *kid = ag_json_get(tok->header, "kid");

    if (!cJSON_IsString(alg))
        return malformed(detail, "header without alg");
    if (strcasecmp(alg->valuestring, "none") == 0) {
        *detail = "unsigned tokens are refused";
        return AG_R_ALG_NOT_ALLOWED;
    }
    tok->alg = ag_jwt_alg_lookup(alg->valuestring);
    if (tok->alg == AG_JWT_ALG__COUNT) {
        *detail = "algorithm not supported";
        return AG_R_ALG_NOT_ALLOWED;
    }
    /* RFC 7515 §4.1.11: a crit we do not understand refuses the token;
     * this gate implements no extension, so every name is unknown. */
    if (crit != NULL) {
        if (!cJSON_IsArray(crit) || cJSON_GetArraySize(crit) == 0)
            return malformed(detail, "crit is not a list of names");
        return malformed(detail, "critical header parameter not understood");
    }
    if (kid != NULL) {
        if (!cJSON_IsString(kid) || kid->valuestring[0] == '\0')
            return malformed(detail, "kid is not a string");
        if (has_ctl(kid->valuestring))
            return malformed(detail, "kid holds control characters");
        tok->kid = kid->valuestring;
    }
    /* jku, x5u, jwk, x5c: ignored; keys come from the configuration */
    return AG_OK;
}

ag_reason ag_jwt_parse(const char *token, apr_size_t len, apr_size_t max,
                       ag_jwt_token *tok, const char **detail,
                       apr_pool_t *p)
{
    const char *d1, *d2, *end = token + len;
    unsigned char *raw;
    apr_size_t rawlen;
    ag_reason reason;

    memset(tok, 0, sizeof(*tok));
    tok->alg = AG_JWT_ALG__COUNT;
    if (len > max)
        return malformed(detail, "token too large");
    d1 = memchr(token, '.', len);
    d2 = d1 ? memchr(d1 + 1, '.', (apr_size_t)(end - d1 - 1)) : NULL;
    if (d2 == NULL || memchr(d2 + 1, '.', (apr_size_t)(end - d2 - 1)))
        return malformed(detail, "not three segments");
    if (d1 == token || d2 == d1 + 1)
        return malformed(detail, "empty segment");
    if (!decode_segment(token, (apr_size_t)(d1 - token), &raw, &rawlen, p))
        return malformed(detail, "header is not base64url");
    if (ag_json_parse_object((const char *)raw, rawlen, &tok->header, p) !=
        APR_SUCCESS)
        return malformed(detail, "header is not a JSON object");
    reason = check_header(tok, detail);
    if (reason != AG_OK)
        return reason;
    if (!decode_segment(d1 + 1, (apr_size_t)(d2 - d1 - 1), &raw, &rawlen, p))
        return malformed(detail, "claims are not base64url");
    if (ag_json_parse_object((const char *)raw, rawlen, &tok->claims, p) !=
        APR_SUCCESS)
        return malformed(detail, "claims are not a JSON object");
    tok->payload_json = (const char *)raw;
    tok->payload_len = rawlen;
    if (!decode_segment(d2 + 1, (apr_size_t)(end - d2 - 1), &raw, &rawlen,
                        p))
        return malformed(detail, "signature is not base64url");
    tok->sig = raw;
    tok->sig_len = rawlen;
    tok->signing_input = token;
    tok->signing_len = (apr_size_t)(d2 - token);
    return AG_OK;
}

/* --- step 2 and 3: which keys may check it ---------------------------- */

static void add_candidates(const apr_array_header_t *keys,
                           const ag_keyset *set, apr_array_header_t *out,
                           apr_array_header_t *owners)
{
    int i;

    if (keys == NULL)
        return;
    for (i = 0; i < keys->nelts; i++) {
        APR_ARRAY_PUSH(out, const ag_jwk *) =
            APR_ARRAY_IDX(keys, i, const ag_jwk *);
        APR_ARRAY_PUSH(owners, const ag_keyset *) = set;
    }
}

/* Keeps the keys of *KEYS (and *OWNERS alike) for which KEEP says so. */
static void filter(apr_array_header_t *keys, apr_array_header_t *owners,
                   int (*keep)(const ag_jwk *, const void *),
                   const void *arg)
{
    int i, n = 0;

    for (i = 0; i < keys->nelts; i++) {
        const ag_jwk *k = APR_ARRAY_IDX(keys, i, const ag_jwk *);

        if (keep(k, arg)) {
            APR_ARRAY_IDX(keys, n, const ag_jwk *) = k;
            APR_ARRAY_IDX(owners, n, const ag_keyset *) =
                APR_ARRAY_IDX(owners, i, const ag_keyset *);
            n++;
        }
    }
    keys->nelts = owners->nelts = n;
}

static int serves_alg(const ag_jwk *key, const void *alg)
{
    return (key->algs & AG_JWT_ALG_BIT(*(const ag_jwt_alg *)alg)) != 0;
}

static int serves_issuer(const ag_jwk *key, const void *iss)
{
    return key->issuer == NULL ||
           (iss != NULL && strcmp(key->issuer, iss) == 0);
}

ag_reason ag_jwt_select_keys(const ag_jwt_token *tok,
                             const ag_jwt_policy *pol,
                             const ag_keyset *const *sets, int nsets,
                             apr_array_header_t **keys,
                             apr_array_header_t **owners, apr_pool_t *p)
{
    apr_array_header_t *out = apr_array_make(p, 4, sizeof(const ag_jwk *));
    apr_array_header_t *own = apr_array_make(p, 4, sizeof(const ag_keyset *));
    unsigned allowed = pol->algs;
    const char *iss = ag_json_get_string(tok->claims, "iss");
    int i, k;

    if (allowed == 0)
        for (i = 0; i < nsets; i++)
            allowed |= ag_keyset_algs(sets[i]);
    if ((unsigned)tok->alg >= AG_JWT_ALG__COUNT ||
        !(allowed & AG_JWT_ALG_BIT(tok->alg)))
        return AG_R_ALG_NOT_ALLOWED;
    for (i = 0; i < nsets; i++) {
        if (tok->kid != NULL) {
            add_candidates(ag_keyset_by_kid(sets[i], tok->kid), sets[i], out,
                           own);
            add_candidates(ag_keyset_unnamed(sets[i]), sets[i], out, own);
            continue;
        }
        for (k = 0; k < ag_keyset_count(sets[i]); k++) {
            APR_ARRAY_PUSH(out, const ag_jwk *) = ag_keyset_get(sets[i], k);
            APR_ARRAY_PUSH(own, const ag_keyset *) = sets[i];
        }
    }
    if (out->nelts == 0)
        return tok->kid != NULL ? AG_R_UNKNOWN_KID : AG_R_ALG_NOT_ALLOWED;
    filter(out, own, serves_alg, &tok->alg);
    if (out->nelts == 0)
        return AG_R_ALG_NOT_ALLOWED;
    filter(out, own, serves_issuer, iss);
    if (out->nelts == 0)
        return AG_R_WRONG_ISSUER;
    *keys = out;
    if (owners != NULL)
        *owners = own;
    return AG_OK;
}

/* --- step 4: the signature ------------------------------------------- */

static CRYPTO_ONCE mac_once = CRYPTO_ONCE_STATIC_INIT;
static EVP_MAC *hmac;

static void fetch_mac(void)
{
    hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
}

static int check_hmac(const ag_jwt_token *tok, const ag_jwk *key)
{
    const EVP_MD *md = ag_jwt_alg_md(tok->alg);
    unsigned char out[EVP_MAX_MD_SIZE];
    OSSL_PARAM params[2];
    EVP_MAC_CTX *ctx;
    size_t outlen = 0;
    int ok;

    if (md == NULL || key->secret == NULL ||
        tok->sig_len != (apr_size_t)EVP_MD_get_size(md) ||
        !CRYPTO_THREAD_run_once(&mac_once, fetch_mac) || hmac == NULL)
        return 0;
    ctx = EVP_MAC_CTX_new(hmac);
    params[0] = OSSL_PARAM_construct_utf8_string(
        OSSL_MAC_PARAM_DIGEST, (char *)EVP_MD_get0_name(md), 0);
    params[1] = OSSL_PARAM_construct_end();
    ok = ctx != NULL &&
         EVP_MAC_init(ctx, key->secret, key->secret_len, params) == 1 &&
         EVP_MAC_update(ctx, (const unsigned char *)tok->signing_input,
                        tok->signing_len) == 1 &&
         EVP_MAC_final(ctx, out, &outlen, sizeof(out)) == 1 &&
         outlen == tok->sig_len &&
         ag_same_bytes(out, tok->sig, outlen);
    EVP_MAC_CTX_free(ctx);
    OPENSSL_cleanse(out, sizeof(out));
    return ok;
}

/* RFC 7518 §3.4: ES* signatures are r || s, each the size of the curve's
 * order; OpenSSL verifies DER (X9.62 ECDSA-Sig-Value). */
static int ecdsa_to_der(const unsigned char *sig, apr_size_t len,
                        unsigned char *der, int max)
{
    ECDSA_SIG *es = ECDSA_SIG_new();
    BIGNUM *r = BN_bin2bn(sig, (int)(len / 2), NULL);
    BIGNUM *s = BN_bin2bn(sig + len / 2, (int)(len / 2), NULL);
    unsigned char *out = der;
    int n = -1;

    if (es != NULL && r != NULL && s != NULL && ECDSA_SIG_set0(es, r, s)) {
        r = s = NULL;           /* owned by es now */
        if (i2d_ECDSA_SIG(es, NULL) <= max)
            n = i2d_ECDSA_SIG(es, &out);
    }
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(es);
    return n;
}

static apr_size_t ecdsa_size(ag_jwt_alg alg)
{
    return alg == AG_JWT_ES256 ? 64 : alg == AG_JWT_ES384 ? 96 : 132;
}

/* A context that verifies ALG's signatures with KEY, NULL when it cannot
 * be made. */
static EVP_MD_CTX *verify_ctx_make(const ag_jwk *key, ag_jwt_alg alg)
{
    const EVP_MD *md = ag_jwt_alg_md(alg);
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    int pss = alg >= AG_JWT_PS256 && alg <= AG_JWT_PS512;
    int ok;

    /* no digest, no context: OpenSSL would pick the key's default one */
    ok = ctx != NULL && md != NULL &&
         EVP_DigestVerifyInit(ctx, &pctx, md, NULL, key->pkey) == 1;
    if (ok && pss)
        ok = EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
             EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST)
                 == 1;
    if (!ok) {
        EVP_MD_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

/* KEY's ready context for ALG: EVP_DigestVerifyInit looks up the
 * algorithms and sets the key up at every call, so it is done once per key
 * and algorithm and each verification copies the result.  The first
 * threads to need it may each make one; one is kept. */
static const EVP_MD_CTX *verify_ctx_of(const ag_jwk *key, ag_jwt_alg alg)
{
    /* the key is the caller's to read, this slot ours to fill */
    volatile void **slot = (volatile void **)&key->verify[alg];
    EVP_MD_CTX *ctx = apr_atomic_casptr(slot, NULL, NULL), *kept;

    if (ctx != NULL)
        return ctx;
    ctx = verify_ctx_make(key, alg);
    if (ctx == NULL)
        return NULL;
    kept = apr_atomic_casptr(slot, ctx, NULL);
    if (kept != NULL) {
        EVP_MD_CTX_free(ctx);
        return kept;
    }
    return ctx;
}

static int verify_pkey(const ag_jwt_token *tok, const ag_jwk *key,
                       const unsigned char *sig, apr_size_t siglen)
{
    const EVP_MD_CTX *ready = NULL;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int ok;

    if (key->type == AG_JWK_OKP)     /* EdDSA: one shot, nothing to copy */
        ok = ctx != NULL &&
             EVP_DigestVerifyInit(ctx, NULL, NULL, NULL, key->pkey) == 1;
    else
        ok = ctx != NULL && (ready = verify_ctx_of(key, tok->alg)) != NULL &&
             EVP_MD_CTX_copy_ex(ctx, ready) == 1;
    ok = ok && EVP_DigestVerify(ctx, sig, siglen,
                                (const unsigned char *)tok->signing_input,
                                tok->signing_len) == 1;
    EVP_MD_CTX_free(ctx);
    ERR_clear_error();
    return ok;
}

int ag_jwt_check_signature(const ag_jwt_token *tok, const ag_jwk *key)
{
    unsigned char der[160];
    int n;

    if ((unsigned)tok->alg >= AG_JWT_ALG__COUNT ||
        !(key->algs & AG_JWT_ALG_BIT(tok->alg)))
        return 0;
    switch (key->type) {
    case AG_JWK_OCT:
        return check_hmac(tok, key);
    case AG_JWK_RSA:
        if (tok->sig_len != (apr_size_t)EVP_PKEY_get_size(key->pkey))
            return 0;
        return verify_pkey(tok, key, tok->sig, tok->sig_len);
    case AG_JWK_EC:
        if (tok->sig_len != ecdsa_size(tok->alg))
            return 0;
        n = ecdsa_to_der(tok->sig, tok->sig_len, der, (int)sizeof(der));
        return n > 0 && verify_pkey(tok, key, der, (apr_size_t)n);
    case AG_JWK_OKP:
        return tok->sig_len == 64 &&
               verify_pkey(tok, key, tok->sig, tok->sig_len);
    }
    return 0;
}

/* --- step 5: the claims ---------------------------------------------- */

/* A NumericDate claim: *VALUE, 1 when present, 0 when absent, -1 when
 * it is not a finite number. */
static int numeric_date(const cJSON *claims, const char *name,
                        double *value)
{
    const cJSON *item = ag_json_get(claims, name);

    if (item == NULL)
        return 0;
    if (!cJSON_IsNumber(item) || !isfinite(item->valuedouble))
        return -1;
    *value = item->valuedouble;
    return 1;
}

static ag_reason fail(ag_jwt_result *res, ag_reason reason,
                      const char *detail)
{
    res->reason = reason;
    res->detail = detail;
    return reason;
}

static int in_list(const apr_array_header_t *list, const char *s)
{
    int i;

    for (i = 0; i < list->nelts; i++)
        if (strcmp(APR_ARRAY_IDX(list, i, const char *), s) == 0)
            return 1;
    return 0;
}

/* RFC 7519 §4.1.3: aud is a string or an array of strings. */
static ag_reason check_audience(const cJSON *claims,
                                const apr_array_header_t *accepted,
                                ag_jwt_result *res)
{
    const cJSON *aud = ag_json_get(claims, "aud"), *a;

    if (aud == NULL)
        return fail(res, AG_R_MISSING_CLAIM, "missing claim: aud");
    if (cJSON_IsString(aud))
        return in_list(accepted, aud->valuestring)
                   ? AG_OK
                   : fail(res, AG_R_WRONG_AUDIENCE, "audience not accepted");
    if (!cJSON_IsArray(aud))
        return fail(res, AG_R_MALFORMED, "aud is not a string or list");
    cJSON_ArrayForEach(a, aud) {
        if (!cJSON_IsString(a))
            return fail(res, AG_R_MALFORMED, "aud is not a list of strings");
    }
    cJSON_ArrayForEach(a, aud) {
        if (in_list(accepted, a->valuestring))
            return AG_OK;
    }
    return fail(res, AG_R_WRONG_AUDIENCE, "audience not accepted");
}

static ag_reason check_times(const cJSON *claims, const ag_jwt_policy *pol,
                             apr_time_t now, ag_jwt_result *res)
{
    double t = (double)apr_time_sec(now), v;
    double leeway = (double)pol->leeway;
    int has;

    has = numeric_date(claims, "exp", &v);
    if (has < 0)
        return fail(res, AG_R_MALFORMED, "exp is not a number");
    if (has > 0) {
        if (t >= v + leeway)
            return fail(res, AG_R_TOKEN_EXPIRED, "token expired");
        /* a cache entry never outlives the token */
        res->expires = v >= 1e12 ? apr_time_from_sec((apr_time_t)1e12)
                                 : apr_time_from_sec((apr_time_t)v);
    }
    has = numeric_date(claims, "nbf", &v);
    if (has < 0)
        return fail(res, AG_R_MALFORMED, "nbf is not a number");
    if (has > 0 && v > t + leeway)
        return fail(res, AG_R_TOKEN_NOT_YET_VALID, "token not yet valid");
    has = numeric_date(claims, "iat", &v);
    if (has < 0)
        return fail(res, AG_R_MALFORMED, "iat is not a number");
    if (has > 0 && v > t + leeway)
        return fail(res, AG_R_TOKEN_NOT_YET_VALID,
                    "token issued in the future");
    return AG_OK;
}

static int claim_present(const cJSON *claims, const char *name)
{
    const cJSON *item = ag_json_get(claims, name);

    return item != NULL && !cJSON_IsNull(item);
}

ag_reason ag_jwt_check_claims(const cJSON *claims, const ag_jwt_policy *pol,
                              apr_time_t now, ag_jwt_result *res,
                              apr_pool_t *p)
{
    const char *user_claim = pol->user_claim ? pol->user_claim : "sub";
    const cJSON *iss = ag_json_get(claims, "iss");
    const cJSON *jti = ag_json_get(claims, "jti");
    const cJSON *user;
    ag_reason reason;
    int i;

    /* first, so that a required claim that is null is missing_claim, not
     * a malformed exp or iss */
    if (pol->required == NULL) {
        if (!claim_present(claims, "exp"))
            return fail(res, AG_R_MISSING_CLAIM, "missing claim: exp");
    }
    else {
        for (i = 0; i < pol->required->nelts; i++) {
            const char *name = APR_ARRAY_IDX(pol->required, i, const char *);

            if (!claim_present(claims, name))
                return fail(res, AG_R_MISSING_CLAIM,
                            ag_jwt_description(
                                apr_pstrcat(p, "missing claim: ", name, NULL),
                                p));
        }
    }
    reason = check_times(claims, pol, now, res);
    if (reason != AG_OK)
        return reason;
    if (iss != NULL && !cJSON_IsString(iss))
        return fail(res, AG_R_MALFORMED, "iss is not a string");
    if (pol->issuers != NULL && pol->issuers->nelts > 0) {
        if (iss == NULL)
            return fail(res, AG_R_MISSING_CLAIM, "missing claim: iss");
        if (!in_list(pol->issuers, iss->valuestring))
            return fail(res, AG_R_WRONG_ISSUER, "issuer not accepted");
    }
    if (pol->audiences != NULL && pol->audiences->nelts > 0) {
        reason = check_audience(claims, pol->audiences, res);
        if (reason != AG_OK)
            return reason;
    }
    user = ag_json_get(claims, user_claim);
    if (!cJSON_IsString(user) || user->valuestring[0] == '\0')
        return fail(res, AG_R_MISSING_CLAIM,
                    ag_jwt_description(apr_pstrcat(p, "missing claim: ",
                                                   user_claim, NULL), p));
    if (has_ctl(user->valuestring))
        return fail(res, AG_R_MALFORMED, "user claim holds control "
                                         "characters");
    if (jti != NULL && !cJSON_IsString(jti))
        return fail(res, AG_R_MALFORMED, "jti is not a string");
    res->user = user->valuestring;
    res->jti = jti ? jti->valuestring : NULL;
    res->scope = ag_jwt_scopes(claims, pol->scope_claim, p);
    if (res->scope != NULL && has_ctl(res->scope))
        return fail(res, AG_R_MALFORMED, "scope holds control characters");
    res->claims = claims;
    return AG_OK;
}

/* --- all of it -------------------------------------------------------- */

static const char *reason_detail(ag_reason reason)
{
    switch (reason) {
    case AG_R_ALG_NOT_ALLOWED:
        return "algorithm not allowed";
    case AG_R_UNKNOWN_KID:
        return "unknown key id";
    case AG_R_WRONG_ISSUER:
        return "issuer not accepted";
    case AG_R_BAD_SIGNATURE:
        return "signature verification failed";
    default:
        return "invalid token";
    }
}

ag_reason ag_jwt_verify(const char *token, apr_size_t len,
                        const ag_jwt_policy *pol,
                        const ag_keyset *const *sets, int nsets,
                        apr_time_t now, ag_jwt_result *res, apr_pool_t *p)
{
    apr_array_header_t *keys, *owners;
    ag_jwt_token tok;
    const char *iss;
    ag_reason reason;
    int i, tries;

    memset(res, 0, sizeof(*res));
    reason = ag_jwt_parse(token, len, pol->max_size, &tok, &res->detail, p);
    res->alg = tok.alg;
    if (tok.kid != NULL)
        res->log_kid = ag_jwt_log_safe(tok.kid, p);
    iss = tok.claims ? ag_json_get_string(tok.claims, "iss") : NULL;
    if (iss != NULL)
        res->log_iss = ag_jwt_log_safe(iss, p);
    if (reason != AG_OK)
        return res->reason = reason;
    reason = ag_jwt_select_keys(&tok, pol, sets, nsets, &keys, &owners, p);
    if (reason != AG_OK)
        return fail(res, reason, reason_detail(reason));
    tries = keys->nelts < AG_JWT_MAX_TRIES ? keys->nelts : AG_JWT_MAX_TRIES;
    for (i = 0; i < tries; i++) {
        const ag_jwk *key = APR_ARRAY_IDX(keys, i, const ag_jwk *);

        if (ag_jwt_check_signature(&tok, key)) {
            res->key = key;
            res->keyset = APR_ARRAY_IDX(owners, i, const ag_keyset *);
            break;
        }
    }
    if (res->key == NULL)
        return fail(res, AG_R_BAD_SIGNATURE,
                    reason_detail(AG_R_BAD_SIGNATURE));
    reason = ag_jwt_check_claims(tok.claims, pol, now, res, p);
    if (reason != AG_OK)
        return reason;
    res->kid = tok.kid;
    res->payload_json = tok.payload_json;
    res->payload_len = tok.payload_len;
    res->reason = AG_OK;
    return AG_OK;
}

ag_reason ag_jwt_check_revoked(const ag_revocation *rev, const char *jti,
                               const char **detail)
{
    if (!ag_revocation_has(rev, jti))
        return AG_OK;
    *detail = "token revoked";
    return AG_R_REVOKED;
}

apr_status_t ag_jwt_payload(const char *token, apr_size_t len,
                            const char **json, apr_size_t *json_len,
                            apr_pool_t *p)
{
    const char *d1 = memchr(token, '.', len), *d2;
    unsigned char *raw;

    if (d1 == NULL)
        return APR_EINVAL;
    d2 = memchr(d1 + 1, '.', (apr_size_t)(token + len - d1 - 1));
    if (d2 == NULL ||
        !decode_segment(d1 + 1, (apr_size_t)(d2 - d1 - 1), &raw, json_len, p))
        return APR_EINVAL;
    *json = (const char *)raw;
    return APR_SUCCESS;
}

/* --- scopes ------------------------------------------------------------ */

/* Appends the space-separated words of TEXT to BUF (of at least the
 * total length plus one), single-spaced. */
static void append_words(char *buf, apr_size_t *used, const char *text)
{
    const char *s = text, *word;
    apr_size_t len;

    while ((word = ag_word_next(&s, &len)) != NULL) {
        if (*used > 0)
            buf[(*used)++] = ' ';
        memcpy(buf + *used, word, len);
        *used += len;
    }
    buf[*used] = '\0';
}

const char *ag_jwt_scopes(const cJSON *claims, const char *scope_claim,
                          apr_pool_t *p)
{
    const cJSON *item, *s;
    apr_size_t total = 0, used = 0;
    char *buf;

    if (scope_claim == NULL || strcmp(scope_claim, "scope") == 0) {
        item = ag_json_get(claims, "scope");
        if (item == NULL)
            item = ag_json_get(claims, "scp");
    }
    else {
        item = ag_json_get(claims, scope_claim);
    }
    if (cJSON_IsString(item)) {
        buf = apr_palloc(p, strlen(item->valuestring) + 1);
        append_words(buf, &used, item->valuestring);
        return used > 0 ? buf : NULL;
    }
    if (!cJSON_IsArray(item))
        return NULL;
    cJSON_ArrayForEach(s, item) {
        if (cJSON_IsString(s))
            total += strlen(s->valuestring) + 1;
    }
    buf = apr_palloc(p, total + 1);
    cJSON_ArrayForEach(s, item) {
        /* one scope per element: one holding a space would be two */
        if (cJSON_IsString(s) && strchr(s->valuestring, ' ') == NULL)
            append_words(buf, &used, s->valuestring);
    }
    return used > 0 ? buf : NULL;
}
