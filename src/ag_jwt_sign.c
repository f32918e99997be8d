/* The libjwt adapter: the only file that includes <jwt.h>.
 *
 * libjwt signs here, where it is safe: the caller chooses the algorithm
 * and the key.  It is not used to verify (see ag_jwt.h): libjwt 1.10's
 * jwt_decode() takes the algorithm from the token.  libjwt 1.10 has no
 * PS* or EdDSA, so those are signed with OpenSSL below; a port to a newer
 * libjwt touches this file only. */
#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include <jwt.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include "ag_base64.h"
#include "ag_json.h"
#include "ag_jwt_sign.h"

static jwt_alg_t libjwt_alg(ag_jwt_alg alg)
{
    switch (alg) {
    case AG_JWT_HS256: return JWT_ALG_HS256;
    case AG_JWT_HS384: return JWT_ALG_HS384;
    case AG_JWT_HS512: return JWT_ALG_HS512;
    case AG_JWT_RS256: return JWT_ALG_RS256;
    case AG_JWT_RS384: return JWT_ALG_RS384;
    case AG_JWT_RS512: return JWT_ALG_RS512;
    case AG_JWT_ES256: return JWT_ALG_ES256;
    case AG_JWT_ES384: return JWT_ALG_ES384;
    case AG_JWT_ES512: return JWT_ALG_ES512;
    default: return JWT_ALG_INVAL;
    }
}

/* The header members of HEADER_JSON other than alg and typ, and KID, as
 * a JSON object text. */
static apr_status_t header_members(const char *kid, const char *header_json,
                                   const char **out, const char **err,
                                   apr_pool_t *p)
{
    cJSON *h = NULL;

    if (header_json != NULL) {
        if (ag_json_parse_object(header_json, strlen(header_json), &h, p) !=
            APR_SUCCESS) {
            *err = "the header is not a JSON object";
            return APR_EINVAL;
        }
        cJSON_DeleteItemFromObjectCaseSensitive(h, "alg");
        cJSON_DeleteItemFromObjectCaseSensitive(h, "typ");
    }
    else if (ag_json_parse_object("{}", 2, &h, p) != APR_SUCCESS) {
        *err = "out of memory";
        return APR_ENOMEM;
    }
    if (kid != NULL) {
        cJSON_DeleteItemFromObjectCaseSensitive(h, "kid");
        cJSON_AddStringToObject(h, "kid", kid);
    }
    *out = ag_json_print(h, p);
    return APR_SUCCESS;
}

static apr_status_t sign_libjwt(ag_jwt_alg alg, const unsigned char *key,
                                apr_size_t key_len, const char *header,
                                const char *claims_json, const char **out,
                                const char **err, apr_pool_t *p)
{
    jwt_t *jwt = NULL;
    char *text = NULL;

    if (jwt_new(&jwt) != 0) {
        *err = "out of memory";
        return APR_ENOMEM;
    }
    if (jwt_add_grants_json(jwt, claims_json) != 0)
        *err = "the claims are not a JSON object";
    else if (jwt_add_headers_json(jwt, header) != 0)
        *err = "the header is not a JSON object";
    else if (jwt_set_alg(jwt, libjwt_alg(alg), key, (int)key_len) != 0)
        *err = "the key does not fit the algorithm";
    else if ((text = jwt_encode_str(jwt)) == NULL)
        *err = "signing failed (is the key a private key of that type?)";
    jwt_free(jwt);
    ERR_clear_error();
    if (text == NULL)
        return APR_EINVAL;
    *out = apr_pstrdup(p, text);
    free(text);
    return APR_SUCCESS;
}

/* PS* and EdDSA, which libjwt 1.10 lacks. */
static apr_status_t sign_openssl(ag_jwt_alg alg, const unsigned char *key,
                                 apr_size_t key_len, const char *header,
                                 const char *claims_json, const char **out,
                                 const char **err, apr_pool_t *p)
{
    cJSON *h, *c;
    BIO *bio = BIO_new_mem_buf(key, (int)key_len);
    EVP_PKEY *pkey = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL)
                         : NULL;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX *pctx = NULL;
    const char *input, *hdr;
    unsigned char *sig = NULL;
    size_t siglen = 0;
    apr_status_t rv = APR_EINVAL;

    BIO_free(bio);
    if (ag_json_parse_object(header, strlen(header), &h, p) != APR_SUCCESS ||
        ag_json_parse_object(claims_json, strlen(claims_json), &c, p) !=
            APR_SUCCESS) {
        *err = "the claims are not a JSON object";
        goto done;
    }
    if (pkey == NULL || ctx == NULL) {
        *err = "the key is not a PEM private key";
        goto done;
    }
    cJSON_AddStringToObject(h, "alg", ag_jwt_alg_name(alg));
    cJSON_AddStringToObject(h, "typ", "JWT");
    hdr = ag_json_print(h, p);
    input = apr_pstrcat(p,
                        ag_base64_encode((const unsigned char *)hdr,
                                         strlen(hdr), AG_BASE64URL, p),
                        ".",
                        ag_base64_encode((const unsigned char *)claims_json,
                                         strlen(claims_json), AG_BASE64URL,
                                         p),
                        NULL);
    if (EVP_DigestSignInit(ctx, &pctx, ag_jwt_alg_md(alg), NULL, pkey) != 1 ||
        (alg != AG_JWT_EDDSA &&
         (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) != 1 ||
          EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) !=
              1)) ||
        EVP_DigestSign(ctx, NULL, &siglen, (const unsigned char *)input,
                       strlen(input)) != 1) {
        *err = "the key does not fit the algorithm";
        goto done;
    }
    sig = apr_palloc(p, siglen);
    if (EVP_DigestSign(ctx, sig, &siglen, (const unsigned char *)input,
                       strlen(input)) != 1) {
        *err = "signing failed";
        goto done;
    }
    *out = apr_pstrcat(p, input, ".",
                       ag_base64_encode(sig, siglen, AG_BASE64URL, p), NULL);
    rv = APR_SUCCESS;
done:
    EVP_MD_CTX_free(ctx);
    EVP_PKEY_free(pkey);
    ERR_clear_error();
    return rv;
}

apr_status_t ag_jwt_sign(ag_jwt_alg alg, const unsigned char *key,
                         apr_size_t key_len, const char *kid,
                         const char *header_json, const char *claims_json,
                         const char **out, const char **err, apr_pool_t *p)
{
    const char *header;
    cJSON *claims;

    if ((unsigned)alg >= AG_JWT_ALG__COUNT) {
        *err = "unknown algorithm";
        return APR_EINVAL;
    }
    if (ag_json_parse_object(claims_json, strlen(claims_json), &claims, p) !=
        APR_SUCCESS) {
        *err = "the claims are not a JSON object with unique members";
        return APR_EINVAL;
    }
    if (header_members(kid, header_json, &header, err, p) != APR_SUCCESS)
        return APR_EINVAL;
    if (libjwt_alg(alg) != JWT_ALG_INVAL)
        return sign_libjwt(alg, key, key_len, header, claims_json, out, err,
                           p);
    return sign_openssl(alg, key, key_len, header, claims_json, out, err, p);
}
