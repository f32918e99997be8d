#include <string.h>

#include <apr_strings.h>

#include "ag_json.h"
#include "ag_jwt_sign.h"
#include "keys.h"
#include "tap.h"

static cJSON *header_of(const char *token, apr_pool_t *p)
{
    const char *dot = strchr(token, '.');
    unsigned char *raw;
    apr_size_t len;
    cJSON *h;

    if (dot == NULL ||
        ag_base64_decode(token, (apr_size_t)(dot - token), AG_BASE64URL,
                         &raw, &len, p) != APR_SUCCESS ||
        ag_json_parse_object((const char *)raw, len, &h, p) != APR_SUCCESS)
        return NULL;
    return h;
}

int main(void)
{
    apr_pool_t *p = tap_pool();
    test_keypair rsa = test_keygen("RSA", NULL, 2048, p);
    test_keypair ec = test_keygen("EC", "P-256", 0, p);
    const char *out, *err;
    const unsigned char *s = (const unsigned char *)"0123456789abcdef0123456789abcdef";
    cJSON *h;

    ok(ag_jwt_sign(AG_JWT_HS256, s, 32, "k1", "{\"alg\":\"none\",\"typ\":\"x\","
                   "\"jku\":\"https://x.test\"}", "{\"sub\":\"a\"}", &out,
                   &err, p) == APR_SUCCESS, "HS256 with a header");
    h = header_of(out, p);
    is_str(ag_json_get_string(h, "alg"), "HS256",
           "alg is the signer's, not the header's");
    is_str(ag_json_get_string(h, "typ"), "JWT", "typ is JWT");
    is_str(ag_json_get_string(h, "kid"), "k1", "the kid");
    is_str(ag_json_get_string(h, "jku"), "https://x.test",
           "other header members are kept");
    ok(ag_jwt_sign(AG_JWT_RS256, (const unsigned char *)rsa.priv,
                   strlen(rsa.priv), NULL, NULL, "{\"sub\":\"a\"}", &out, &err,
                   p) == APR_SUCCESS &&
           strlen(strrchr(out, '.') + 1) == 342,
       "RS256: a 256-byte signature");
    ok(ag_jwt_sign(AG_JWT_ES256, (const unsigned char *)ec.priv,
                   strlen(ec.priv), NULL, NULL, "{\"sub\":\"a\"}", &out, &err,
                   p) == APR_SUCCESS &&
           strlen(strrchr(out, '.') + 1) == 86,
       "ES256: a 64-byte JOSE signature");
    ok(ag_jwt_sign(AG_JWT_PS256, (const unsigned char *)rsa.priv,
                   strlen(rsa.priv), NULL, NULL, "{\"sub\":\"a\"}", &out, &err,
                   p) == APR_SUCCESS, "PS256 (OpenSSL)");
    ok(ag_jwt_sign(AG_JWT_RS256, (const unsigned char *)ec.priv,
                   strlen(ec.priv), NULL, NULL, "{\"sub\":\"a\"}", &out, &err,
                   p) != APR_SUCCESS, "RS256 with an EC key fails");
    ok(ag_jwt_sign(AG_JWT_PS256, (const unsigned char *)ec.priv,
                   strlen(ec.priv), NULL, NULL, "{\"sub\":\"a\"}", &out, &err,
                   p) != APR_SUCCESS, "PS256 with an EC key fails");
    ok(ag_jwt_sign(AG_JWT_RS256, (const unsigned char *)rsa.pub,
                   strlen(rsa.pub), NULL, NULL, "{\"sub\":\"a\"}", &out, &err,
                   p) != APR_SUCCESS, "a public key cannot sign");
    ok(ag_jwt_sign(AG_JWT_HS256, s, 32, NULL, NULL, "[1]", &out, &err, p) !=
           APR_SUCCESS, "claims that are no object");
    ok(ag_jwt_sign(AG_JWT_HS256, s, 32, NULL, "nope", "{}", &out, &err, p) !=
           APR_SUCCESS, "a header that is no object");
    ok(ag_jwt_sign(AG_JWT_ALG__COUNT, s, 32, NULL, NULL, "{}", &out, &err,
                   p) != APR_SUCCESS, "no algorithm");
    return tap_done();
}
