/* JWKS documents (RFC 7517 §5) in and out. */
#include <string.h>

#include <apr_strings.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/param_build.h>

#include "ag_base64.h"
#include "ag_json.h"
#include "ag_jwk.h"
#include "ag_jwk_private.h"
#include "ag_jwt.h"

/* Longest kid kept from a JWKS. */
#define MAX_KID 256

typedef struct {
    const char *jwk;    /* JWK "crv" */
    const char *group;  /* OpenSSL group name */
    apr_size_t size;    /* bytes of a coordinate */
    ag_jwt_alg alg;
} curve_info;

static const curve_info curves[] = {
    {"P-256", "prime256v1", 32, AG_JWT_ES256},
    {"P-384", "secp384r1", 48, AG_JWT_ES384},
    {"P-521", "secp521r1", 66, AG_JWT_ES512},
};

static const curve_info *curve_by_jwk(const char *crv)
{
    apr_size_t i;

    for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
        if (strcmp(curves[i].jwk, crv) == 0)
            return &curves[i];
    return NULL;
}

static const curve_info *curve_by_alg(unsigned algs)
{
    apr_size_t i;

    for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
        if (algs & AG_JWT_ALG_BIT(curves[i].alg))
            return &curves[i];
    return NULL;
}

/* The base64url member NAME of OBJ, decoded; NULL when absent or bad. */
static const unsigned char *b64_member(const cJSON *obj, const char *name,
                                       apr_size_t *len, apr_pool_t *p)
{
    const char *text = ag_json_get_string(obj, name);
    unsigned char *raw;

    if (text == NULL ||
        ag_base64_decode(text, strlen(text), AG_BASE64URL, &raw, len, p) !=
            APR_SUCCESS || *len == 0)
        return NULL;
    return raw;
}

/* Makes a public key of TYPE ("RSA", "EC") from PARAMS. */
static EVP_PKEY *pkey_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
    OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
    EVP_PKEY_CTX *ctx = NULL;
    EVP_PKEY *pkey = NULL;

    if (params == NULL)
        return NULL;
    ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
    if (ctx == NULL || EVP_PKEY_fromdata_init(ctx) != 1 ||
        EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) != 1)
        pkey = NULL;
    EVP_PKEY_CTX_free(ctx);
    OSSL_PARAM_free(params);
    return pkey;
}

static EVP_PKEY *rsa_key(const cJSON *jwk, const char **why, apr_pool_t *p)
{
    const unsigned char *n, *e;
    apr_size_t nlen, elen;
    OSSL_PARAM_BLD *bld;
    BIGNUM *bn = NULL, *be = NULL;
    EVP_PKEY *pkey = NULL;

    n = b64_member(jwk, "n", &nlen, p);
    e = b64_member(jwk, "e", &elen, p);
    if (n == NULL || e == NULL) {
        *why = "RSA key without a valid n and e";
        return NULL;
    }
    if (elen > 8 || nlen > 2048) {
        *why = "RSA key of an unreasonable size";
        return NULL;
    }
    bld = OSSL_PARAM_BLD_new();
    bn = BN_bin2bn(n, (int)nlen, NULL);
    be = BN_bin2bn(e, (int)elen, NULL);
    if (bld != NULL && bn != NULL && be != NULL &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, bn) == 1 &&
        OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, be) == 1)
        pkey = pkey_fromdata("RSA", bld);
    OSSL_PARAM_BLD_free(bld);
    BN_free(bn);
    BN_free(be);
    if (pkey == NULL)
        *why = "RSA key OpenSSL does not accept";
    return pkey;
}

/* An EC public key must be a point of its curve (invalid-curve attacks). */
static int ec_point_valid(EVP_PKEY *pkey)
{
    EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey, NULL);
    int ok = ctx != NULL && EVP_PKEY_public_check(ctx) == 1;

    EVP_PKEY_CTX_free(ctx);
    return ok;
}

static EVP_PKEY *ec_key(const cJSON *jwk, const char **why, apr_pool_t *p)
{
    const char *crv = ag_json_get_string(jwk, "crv");
    const curve_info *curve = crv ? curve_by_jwk(crv) : NULL;
    const unsigned char *x, *y;
    apr_size_t xlen, ylen;
    unsigned char *point;
    OSSL_PARAM_BLD *bld;
    EVP_PKEY *pkey = NULL;

    if (curve == NULL) {
        *why = "EC key of an unsupported crv (one of P-256 P-384 P-521)";
        return NULL;
    }
    x = b64_member(jwk, "x", &xlen, p);
    y = b64_member(jwk, "y", &ylen, p);
    if (x == NULL || y == NULL || xlen != curve->size ||
        ylen != curve->size) {
        *why = "EC key without a valid x and y";
        return NULL;
    }
    point = apr_palloc(p, 1 + 2 * curve->size);
    point[0] = 0x04;            /* uncompressed (SEC 1 §2.3.3) */
    memcpy(point + 1, x, curve->size);
    memcpy(point + 1 + curve->size, y, curve->size);
    bld = OSSL_PARAM_BLD_new();
    if (bld != NULL &&
        OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
                                        curve->group, 0) == 1 &&
        OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point,
                                         1 + 2 * curve->size) == 1)
        pkey = pkey_fromdata("EC", bld);
    OSSL_PARAM_BLD_free(bld);
    if (pkey != NULL && !ec_point_valid(pkey)) {
        EVP_PKEY_free(pkey);
        pkey = NULL;
    }
    if (pkey == NULL)
        *why = "EC key whose point is not on its curve";
    return pkey;
}

static EVP_PKEY *okp_key(const cJSON *jwk, const char **why, apr_pool_t *p)
{
    const char *crv = ag_json_get_string(jwk, "crv");
    const unsigned char *x;
    apr_size_t xlen;
    EVP_PKEY *pkey;

    if (crv == NULL || strcmp(crv, "Ed25519") != 0) {
        *why = "OKP key of an unsupported crv (Ed25519 only)";
        return NULL;
    }
    x = b64_member(jwk, "x", &xlen, p);
    if (x == NULL || xlen != 32) {
        *why = "OKP key without a valid x";
        return NULL;
    }
    pkey = EVP_PKEY_new_raw_public_key_ex(NULL, "ED25519", NULL, x, xlen);
    if (pkey == NULL)
        *why = "Ed25519 key OpenSSL does not accept";
    return pkey;
}

/* 1 when key_ops is absent or allows "verify". */
static int key_ops_verify(const cJSON *jwk)
{
    const cJSON *ops = ag_json_get(jwk, "key_ops"), *op;

    if (ops == NULL)
        return 1;
    if (!cJSON_IsArray(ops))
        return 0;
    cJSON_ArrayForEach(op, ops)
        if (cJSON_IsString(op) && strcmp(op->valuestring, "verify") == 0)
            return 1;
    return 0;
}

/* One JWKS entry into *OUT; on failure *WHY says why it is skipped. */
static apr_status_t jwk_entry(const cJSON *jwk, ag_jwk **out,
                              const char **why, apr_pool_t *p)
{
    const char *kty, *use, *alg_name, *kid;
    const cJSON *kid_item;
    ag_jwt_alg alg = AG_JWT_ALG__COUNT;
    ag_jwk *key = NULL;
    EVP_PKEY *pkey = NULL;

    if (!cJSON_IsObject(jwk) || ag_json_has_duplicates(jwk, p)) {
        *why = "not a JSON object with unique members";
        return APR_EINVAL;
    }
    kty = ag_json_get_string(jwk, "kty");
    use = ag_json_get_string(jwk, "use");
    alg_name = ag_json_get_string(jwk, "alg");
    kid_item = ag_json_get(jwk, "kid");
    kid = ag_json_get_string(jwk, "kid");
    if (kty == NULL) {
        *why = "no kty";
        return APR_EINVAL;
    }
    if (ag_json_get(jwk, "use") != NULL && (use == NULL ||
                                            strcmp(use, "sig") != 0)) {
        *why = "use is not \"sig\"";
        return APR_EINVAL;
    }
    if (!key_ops_verify(jwk)) {
        *why = "key_ops does not allow \"verify\"";
        return APR_EINVAL;
    }
    if (ag_json_get(jwk, "alg") != NULL) {
        alg = ag_jwt_alg_lookup(alg_name);
        if (alg == AG_JWT_ALG__COUNT) {
            *why = "alg is not a supported signature algorithm";
            return APR_EINVAL;
        }
    }
    if (kid_item != NULL &&
        (kid == NULL || *kid == '\0' || strlen(kid) > MAX_KID)) {
        *why = "kid is not a string of 1 to 256 characters";
        return APR_EINVAL;
    }
    if (strcmp(kty, "oct") == 0) {
        const unsigned char *k;
        apr_size_t klen;

        k = b64_member(jwk, "k", &klen, p);
        if (k == NULL) {
            *why = "oct key without a valid k";
            return APR_EINVAL;
        }
        if (ag_jwk_from_secret(k, klen, &key, why, p) != APR_SUCCESS)
            return APR_EINVAL;
    }
    else {
        if (strcmp(kty, "RSA") == 0)
            pkey = rsa_key(jwk, why, p);
        else if (strcmp(kty, "EC") == 0)
            pkey = ec_key(jwk, why, p);
        else if (strcmp(kty, "OKP") == 0)
            pkey = okp_key(jwk, why, p);
        else
            *why = "kty is not RSA, EC, OKP or oct";
        ERR_clear_error();
        if (pkey == NULL)
            return APR_EINVAL;
        key = apr_pcalloc(p, sizeof(*key));
        if (ag_jwk_adopt_pkey(pkey, key, why, p) != APR_SUCCESS)
            return APR_EINVAL;
    }
    if (alg != AG_JWT_ALG__COUNT) {
        if (!(key->algs & AG_JWT_ALG_BIT(alg))) {
            *why = "alg does not fit the key";
            return APR_EINVAL;
        }
        key->algs = AG_JWT_ALG_BIT(alg);
    }
    key->kid = kid != NULL ? apr_pstrdup(p, kid) : NULL;
    *out = key;
    return APR_SUCCESS;
}

apr_status_t ag_jwks_parse(const char *data, apr_size_t len, ag_keyset *ks,
                           const char **err, apr_pool_t *p)
{
    const cJSON *keys, *jwk;
    cJSON *root;
    int i = 0, added = 0;

    if (ag_json_parse_object(data, len, &root, p) != APR_SUCCESS) {
        *err = "not a JSON object with unique member names";
        return APR_EINVAL;
    }
    keys = ag_json_get(root, "keys");
    if (!cJSON_IsArray(keys)) {
        *err = "JWKS without a \"keys\" array";
        return APR_EINVAL;
    }
    if (cJSON_GetArraySize(keys) > AG_JWKS_MAX_KEYS) {
        *err = apr_psprintf(p, "JWKS of more than %d keys",
                            AG_JWKS_MAX_KEYS);
        return APR_EINVAL;
    }
    cJSON_ArrayForEach(jwk, keys) {
        const char *why = NULL, *kid = ag_json_get_string(jwk, "kid");
        ag_jwk *key;

        if (jwk_entry(jwk, &key, &why, p) == APR_SUCCESS) {
            ag_keyset_add(ks, key);
            added++;
        }
        else {
            /* the kid is file content: made safe for the log */
            ag_keyset_warn(ks, apr_psprintf(p, "key %d%s%s%s skipped: %s",
                                            i, kid ? " (kid " : "",
                                            kid ? ag_jwt_log_safe(kid, p)
                                                : "",
                                            kid ? ")" : "", why));
        }
        i++;
    }
    if (added == 0) {
        const apr_array_header_t *w = ag_keyset_warnings(ks);

        *err = w->nelts > 0
                   ? apr_pstrcat(p, "no usable key in the JWKS: ",
                                 APR_ARRAY_IDX(w, 0, const char *), NULL)
                   : "no key in the JWKS";
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

/* --- writing ---------------------------------------------------------- */

static const char *b64_bn(const BIGNUM *bn, int pad, apr_pool_t *p)
{
    int len = pad > 0 ? pad : BN_num_bytes(bn);
    unsigned char *buf = apr_palloc(p, len > 0 ? len : 1);

    if (BN_bn2binpad(bn, buf, len) < 0)
        return NULL;
    return ag_base64_encode(buf, (apr_size_t)len, AG_BASE64URL, p);
}

static const char *bn_param(const ag_jwk *key, const char *name, int pad,
                            apr_pool_t *p)
{
    BIGNUM *bn = NULL;
    const char *out = NULL;

    if (EVP_PKEY_get_bn_param(key->pkey, name, &bn) == 1)
        out = b64_bn(bn, pad, p);
    BN_free(bn);
    return out;
}

/* The public members of KEY, as name/value pairs in the lexicographic
 * order RFC 7638 asks of a thumbprint: NAMES[i] = VALUES[i]. */
static int public_members(const ag_jwk *key, const char *names[4],
                          const char *values[4], apr_pool_t *p)
{
    const curve_info *curve;
    unsigned char raw[32];
    size_t rawlen = sizeof(raw);

    switch (key->type) {
    case AG_JWK_RSA:
        names[0] = "e"; values[0] = bn_param(key, OSSL_PKEY_PARAM_RSA_E, 0, p);
        names[1] = "kty"; values[1] = "RSA";
        names[2] = "n"; values[2] = bn_param(key, OSSL_PKEY_PARAM_RSA_N, 0, p);
        return values[0] && values[2] ? 3 : -1;
    case AG_JWK_EC:
        curve = curve_by_alg(key->algs);
        if (curve == NULL)
            return -1;
        names[0] = "crv"; values[0] = curve->jwk;
        names[1] = "kty"; values[1] = "EC";
        names[2] = "x";
        values[2] = bn_param(key, OSSL_PKEY_PARAM_EC_PUB_X, (int)curve->size,
                             p);
        names[3] = "y";
        values[3] = bn_param(key, OSSL_PKEY_PARAM_EC_PUB_Y, (int)curve->size,
                             p);
        return values[2] && values[3] ? 4 : -1;
    case AG_JWK_OKP:
        if (EVP_PKEY_get_raw_public_key(key->pkey, raw, &rawlen) != 1)
            return -1;
        names[0] = "crv"; values[0] = "Ed25519";
        names[1] = "kty"; values[1] = "OKP";
        names[2] = "x";
        values[2] = ag_base64_encode(raw, rawlen, AG_BASE64URL, p);
        return 3;
    default:
        return -1;
    }
}

apr_status_t ag_jwk_thumbprint(const ag_jwk *key, const char **out,
                               apr_pool_t *p)
{
    const char *names[4], *values[4], *json = "{";
    unsigned char md[32];
    unsigned int mdlen = 0;
    int n, i;

    n = public_members(key, names, values, p);
    if (n < 0)
        return APR_EINVAL;
    /* member values are base64url or fixed names: nothing to escape */
    for (i = 0; i < n; i++)
        json = apr_psprintf(p, "%s%s\"%s\":\"%s\"", json, i ? "," : "",
                            names[i], values[i]);
    json = apr_pstrcat(p, json, "}", NULL);
    if (EVP_Digest(json, strlen(json), md, &mdlen,
                   ag_jwt_alg_md(AG_JWT_HS256), NULL) != 1)
        return APR_EINVAL;
    *out = ag_base64_encode(md, mdlen, AG_BASE64URL, p);
    return APR_SUCCESS;
}

static const char *jwk_alg(const ag_jwk *key)
{
    if (key->type == AG_JWK_RSA)
        return NULL;            /* RS* or PS*: the key does not say */
    if (key->type == AG_JWK_OKP)
        return "EdDSA";
    return ag_jwt_alg_name(curve_by_alg(key->algs)->alg);
}

apr_status_t ag_jwks_write(const apr_array_header_t *keys,
                           const apr_array_header_t *kids, char **out,
                           const char **err, apr_pool_t *p)
{
    cJSON *root = cJSON_CreateObject(), *arr = cJSON_CreateArray();
    apr_status_t rv = APR_SUCCESS;
    char *text;
    int i, j;

    cJSON_AddItemToObject(root, "keys", arr);
    for (i = 0; i < keys->nelts; i++) {
        const ag_jwk *key = APR_ARRAY_IDX(keys, i, const ag_jwk *);
        const char *names[4], *values[4], *kid = NULL, *alg;
        cJSON *jwk;
        int n;

        if (kids != NULL && i < kids->nelts)
            kid = APR_ARRAY_IDX(kids, i, const char *);
        n = public_members(key, names, values, p);
        if (n < 0 || (kid == NULL && ag_jwk_thumbprint(key, &kid, p) !=
                                         APR_SUCCESS)) {
            *err = apr_psprintf(p, "key %d: not a public key a JWKS can "
                                "hold", i + 1);
            rv = APR_EINVAL;
            break;
        }
        jwk = cJSON_CreateObject();
        cJSON_AddItemToArray(arr, jwk);
        cJSON_AddStringToObject(jwk, "kty", values[1]);
        cJSON_AddStringToObject(jwk, "use", "sig");
        alg = jwk_alg(key);
        if (alg != NULL)
            cJSON_AddStringToObject(jwk, "alg", alg);
        cJSON_AddStringToObject(jwk, "kid", kid);
        for (j = 0; j < n; j++)
            if (j != 1)
                cJSON_AddStringToObject(jwk, names[j], values[j]);
    }
    if (rv == APR_SUCCESS) {
        text = cJSON_Print(root);
        *out = apr_pstrcat(p, text, "\n", NULL);
        cJSON_free(text);
    }
    cJSON_Delete(root);
    return rv;
}
