/* Digest arithmetic and response parsing.  Expected hashes: the RFC 2617
 * §3.5 and RFC 7616 §3.9.1 examples as printed in the RFCs; the others
 * (SHA-512-256, -sess, auth-int, rspauth) computed with Python's hashlib,
 * whose "sha512_256" is FIPS 180-4 SHA-512/256. */
#include <string.h>

#include <apr_strings.h>

#include "ag_digest.h"
#include "tap.h"

#define N7616 "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v"
#define C7616 "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ"

static ag_digest_request *parse_req(const char *value, const char **why)
{
    ag_credentials *cred;
    ag_digest_request *req = NULL;
    const char *w = NULL;

    if (ag_header_parse(value, &cred, &w, tap_pool()) != APR_SUCCESS) {
        if (why)
            *why = "header";
        return NULL;
    }
    if (ag_digest_request_parse(cred, &req, &w, tap_pool()) != APR_SUCCESS)
        req = NULL;
    if (why)
        *why = w;
    return req;
}

/* A response to the RFC 7616 §3.9.1 challenge with ALG, QOP, URI, and the
 * RESPONSE given. */
static ag_digest_request *rfc7616(const char *alg, const char *qop,
                                  const char *response)
{
    return parse_req(apr_psprintf(tap_pool(),
        "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", "
        "uri=\"/dir/index.html\", algorithm=%s, nonce=\"" N7616 "\", "
        "nc=00000001, cnonce=\"" C7616 "\", qop=%s, response=\"%s\", "
        "opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"",
        alg, qop, response), NULL);
}

static const char *ha1_of(ag_digest_hash h, const char *user,
                          const char *realm, const char *pw)
{
    char *out = apr_palloc(tap_pool(), AG_DIGEST_HEX_MAX + 1);

    ag_digest_ha1(h, user, realm, pw, out);
    return out;
}

/* HA1 of RFC 7616 §3.9.1's user, realm and password. */
static const char *mufasa(ag_digest_hash h)
{
    return ha1_of(h, "Mufasa", "http-auth@example.org", "Circle of Life");
}

static void test_names(void)
{
    ok(ag_digest_alg_lookup("SHA-256") == AG_DIGEST_SHA256, "SHA-256");
    ok(ag_digest_alg_lookup("md5-SESS") == AG_DIGEST_MD5_SESS,
       "names are case-insensitive");
    ok(ag_digest_alg_lookup("SHA-512-256-sess") == AG_DIGEST_SHA512_256_SESS,
       "SHA-512-256-sess");
    ok(ag_digest_alg_lookup("SHA-512") == AG_DIGEST_NONE,
       "plain SHA-512 is not an RFC 7616 algorithm");
    ok(ag_digest_alg_lookup("SHA") == AG_DIGEST_NONE, "SHA-1 is not one");
    is_str(ag_digest_alg_name(AG_DIGEST_SHA256_SESS), "SHA-256-sess",
           "name of SHA-256-sess");
    ok(ag_digest_alg_hash(AG_DIGEST_SHA512_256_SESS) ==
           AG_DIGEST_HASH_SHA512_256 &&
           ag_digest_alg_is_sess(AG_DIGEST_SHA512_256_SESS) &&
           !ag_digest_alg_is_sess(AG_DIGEST_SHA256),
       "hash and -sess of an algorithm");
    ok(ag_digest_qop_lookup("Auth-Int") == AG_DIGEST_QOP_AUTH_INT &&
           ag_digest_qop_lookup("auth") == AG_DIGEST_QOP_AUTH &&
           ag_digest_qop_lookup("auth-conf") == 0, "qop names");
}

static void test_rfc_examples(void)
{
    const char *md5 = mufasa(AG_DIGEST_HASH_MD5);
    const char *sha = mufasa(AG_DIGEST_HASH_SHA256);
    const char *s512 = mufasa(AG_DIGEST_HASH_SHA512_256);
    ag_digest_request *req;
    const char *why = NULL;

    is_str(md5, "3d78807defe7de2157e2b0b6573a855f", "HA1 MD5");
    is_str(sha, "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d"
                "7b4794232", "HA1 SHA-256");

    req = rfc7616("MD5", "auth", "8ca523f5e9506fed4657c9700eebdbec");
    ok(req != NULL, "RFC 7616 §3.9.1 MD5 response parses");
    ok(req && ag_digest_verify(req, md5, "GET", NULL),
       "RFC 7616 §3.9.1 MD5 response verifies");
    ok(req && !ag_digest_verify(req, md5, "POST", NULL),
       "... not for another method");
    ok(req && !ag_digest_verify(req, ha1_of(AG_DIGEST_HASH_MD5, "Mufasa",
                                            "http-auth@example.org",
                                            "Circle of life"), "GET", NULL),
       "... not with another password");
    ok(req && !ag_digest_verify(req, sha, "GET", NULL),
       "... not with a SHA-256 HA1");

    req = rfc7616("SHA-256", "auth", "753927fa0e85d155564e2e272a28d1802ca10d"
                                     "af4496794697cf8db5856cb6c1");
    ok(req && ag_digest_verify(req, sha, "GET", NULL),
       "RFC 7616 §3.9.1 SHA-256 response verifies");
    ok(req && ag_digest_verify(req, "7987C64C30E25F1B74BE53F966B49B90F2808A"
                                    "A92FAF9A00262392D7B4794232", "GET",
                               NULL), "an upper-case HA1 is accepted");
    ok(req && !ag_digest_verify(req, md5, "GET", NULL),
       "... not with an MD5 HA1");

    req = rfc7616("SHA-256", "auth", "753927FA0E85D155564E2E272A28D1802CA10D"
                                     "AF4496794697CF8DB5856CB6C1");
    ok(req && ag_digest_verify(req, sha, "GET", NULL),
       "an upper-case response verifies");

    req = rfc7616("SHA-512-256", "auth", "430d05014cecc49cab6fbe03176d41a1da8"
                                         "6cbfe24a16580e22aaad928d960d0");
    ok(req && ag_digest_verify(req, s512, "GET", NULL),
       "SHA-512-256 (FIPS 180-4 SHA-512/256) verifies");

    req = parse_req("Digest username=\"Mufasa\", realm=\"testrealm@host.com\","
                    " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
                    "uri=\"/dir/index.html\", qop=auth, nc=00000001, "
                    "cnonce=\"0a4f113b\", "
                    "response=\"6629fae49393a05397450978507c4ef1\", "
                    "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", &why);
    ok(req != NULL, "RFC 2617 §3.5 response parses (%s)", why ? why : "");
    ok(req && req->alg == AG_DIGEST_MD5 && req->alg_name == NULL,
       "no algorithm means MD5");
    ok(req && ag_digest_verify(req, ha1_of(AG_DIGEST_HASH_MD5, "Mufasa",
                                           "testrealm@host.com",
                                           "Circle Of Life"), "GET", NULL),
       "RFC 2617 §3.5 response verifies");

    /* names in any case; names not known here, even ones as long as a
     * known one, are ignored */
    req = parse_req("Digest USERNAME=\"Mufasa\", Realm=\"testrealm@host.com\","
                    " NONCE=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
                    "Uri=\"/dir/index.html\", QOP=auth, Nc=00000001, "
                    "usernamx=\"Eve\", responsx=\"00\", nonc=\"n\", "
                    "CNonce=\"0a4f113b\", "
                    "RESPONSE=\"6629fae49393a05397450978507c4ef1\", "
                    "Opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"", &why);
    ok(req && strcmp(req->username, "Mufasa") == 0 &&
           strcmp(req->nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093") == 0 &&
           req->opaque != NULL && req->nc == 1 &&
           ag_digest_verify(req, ha1_of(AG_DIGEST_HASH_MD5, "Mufasa",
                                        "testrealm@host.com",
                                        "Circle Of Life"), "GET", NULL),
       "parameter names in any case, unknown ones ignored (%s)",
       why ? why : "");

    /* LWP writes nc in upper-case hex: it is hashed as sent. */
    req = parse_req("Digest username=\"Mufasa\", realm=\"testrealm@host.com\","
                    " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
                    "uri=\"/dir/index.html\", qop=auth, nc=0000000A, "
                    "cnonce=\"0a4f113b\", "
                    "response=\"64e388c1545d51fc47416568300a2ff8\"", NULL);
    ok(req && req->nc == 10 && ag_digest_verify(
           req, ha1_of(AG_DIGEST_HASH_MD5, "Mufasa", "testrealm@host.com",
                       "Circle Of Life"), "GET", NULL),
       "upper-case nc is read as 10 and hashed as sent");

    /* qop is a token matched in any case, and hashed as sent too */
    req = parse_req("Digest username=\"Mufasa\", realm=\"testrealm@host.com\","
                    " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", "
                    "uri=\"/dir/index.html\", qop=AUTH, nc=00000001, "
                    "cnonce=\"0a4f113b\", "
                    "response=\"389109b310bc4cfc538ebec7701e34bd\"", NULL);
    ok(req && req->qop == AG_DIGEST_QOP_AUTH && ag_digest_verify(
           req, ha1_of(AG_DIGEST_HASH_MD5, "Mufasa", "testrealm@host.com",
                       "Circle Of Life"), "GET", NULL),
       "qop=AUTH is qop auth, and hashed as sent");
}

/* The response and its rspauth from one call, as the module makes them.
 * The responses of the plain rows are RFC 7616 §3.9.1's; the RFC prints
 * no rspauth, so every rspauth here (and the -sess and auth-int rows
 * whole) was computed with Python's hashlib. */
static void test_verify_rspauth(void)
{
    static const struct {
        const char *alg, *qop, *method, *body, *response, *rspauth;
    } cases[] = {
        {"SHA-256", "auth", "GET", NULL,
         "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1",
         "86d3b25618d41854ca5039a5d7e53ff6355d5134a9b1fb088a78ac3c462195a0"},
        {"MD5", "auth", "GET", NULL, "8ca523f5e9506fed4657c9700eebdbec",
         "9b712497bc9f91499fbcca1dfc5f09a5"},
        {"SHA-256-sess", "auth", "GET", NULL,
         "2fd51b3a77ad75bad6afad6003e818d767133c46d9e2749e7f5232ae1ea3efd7",
         "d4ad609d150eafce2281da5c3179878fdb37e6a16021272f4bed1a082f5c2324"},
        {"SHA-256", "auth-int", "POST", "hello=world",
         "d24be8594aa5f7f56945cda21153787914043ef62c2e04330343c5d7bf1ed83b",
         "c70f6d643f65bfeac7edbe597454ab15fe3b29bae4b2951d0f61b85f8e1315b5"},
    };
    char out[AG_DIGEST_HEX_MAX + 1], body[AG_DIGEST_HEX_MAX + 1];
    ag_digest_request *req;
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ag_digest_hash h = ag_digest_alg_hash(ag_digest_alg_lookup(
            cases[i].alg));

        if (cases[i].body != NULL)
            ag_digest_hex(h, cases[i].body, strlen(cases[i].body), body);
        out[0] = '\0';
        req = rfc7616(cases[i].alg, cases[i].qop, cases[i].response);
        ok(req && ag_digest_verify_rspauth(req, mufasa(h), cases[i].method,
                                           cases[i].body ? body : NULL, out),
           "%s qop=%s verifies, with its rspauth", cases[i].alg,
           cases[i].qop);
        is_str(out, cases[i].rspauth, "%s qop=%s: the rspauth",
               cases[i].alg, cases[i].qop);
    }

    req = rfc7616("MD5", "auth", "8ca523f5e9506fed4657c9700eebdbec");
    memset(out, 'Z', sizeof(out) - 1);
    out[sizeof(out) - 1] = '\0';
    ok(req && !ag_digest_verify_rspauth(req, mufasa(AG_DIGEST_HASH_MD5),
                                        "POST", NULL, out) &&
           out[0] == 'Z' && out[31] == 'Z',
       "a response that does not verify gets no rspauth");
    ok(req && ag_digest_verify_rspauth(req, mufasa(AG_DIGEST_HASH_MD5),
                                       "GET", NULL, NULL),
       "verifies without an rspauth asked for");
}

static void test_sess_and_int(void)
{
    const char *md5 = mufasa(AG_DIGEST_HASH_MD5);
    const char *sha = mufasa(AG_DIGEST_HASH_SHA256);
    const char *s512 = mufasa(AG_DIGEST_HASH_SHA512_256);
    char body[AG_DIGEST_HEX_MAX + 1];
    ag_digest_request *req;
    ag_digest_ctx *ctx;

    req = rfc7616("MD5-sess", "auth", "e783283f46242139c486a698fec7211d");
    ok(req && ag_digest_verify(req, md5, "GET", NULL), "MD5-sess");
    req = rfc7616("SHA-256-sess", "auth", "2fd51b3a77ad75bad6afad6003e818d76"
                                          "7133c46d9e2749e7f5232ae1ea3efd7");
    ok(req && ag_digest_verify(req, sha, "GET", NULL), "SHA-256-sess");
    ok(req && ag_digest_verify(req, sha, "GET", NULL),
       "verify is repeatable");
    req = rfc7616("SHA-512-256-sess", "auth", "3f2a34f923c38b0fb26dce2fdfc2"
                                              "ce326c23cecf86fbb1444f3e51fbb"
                                              "c2cb92e");
    ok(req && ag_digest_verify(req, s512, "GET", NULL), "SHA-512-256-sess");
    req = rfc7616("MD5", "auth", "e783283f46242139c486a698fec7211d");
    ok(req && !ag_digest_verify(req, md5, "GET", NULL),
       "a -sess response does not pass as the plain algorithm");

    ok(ag_digest_ctx_make(AG_DIGEST_HASH_MD5, &ctx, tap_pool()) ==
           APR_SUCCESS, "body hash context");
    ag_digest_ctx_update(ctx, "hello=", 6);
    ag_digest_ctx_update(ctx, "world", 5);
    ag_digest_ctx_final(ctx, body);
    req = rfc7616("MD5", "auth-int", "879b06f3d3fc586391bc1b4adcf75527");
    ok(req && req->qop == AG_DIGEST_QOP_AUTH_INT, "qop=auth-int parses");
    ok(req && ag_digest_verify(req, md5, "POST", body), "auth-int MD5");
    ok(req && !ag_digest_verify(req, md5, "POST", NULL),
       "auth-int without a body hash fails");
    ag_digest_hex(AG_DIGEST_HASH_MD5, "hello=World", 11, body);
    ok(req && !ag_digest_verify(req, md5, "POST", body),
       "auth-int with another body fails");

    ag_digest_hex(AG_DIGEST_HASH_SHA256, "hello=world", 11, body);
    req = rfc7616("SHA-256", "auth-int", "d24be8594aa5f7f56945cda21153787914"
                                         "043ef62c2e04330343c5d7bf1ed83b");
    ok(req && ag_digest_verify(req, sha, "POST", body), "auth-int SHA-256");
    ag_digest_hex(AG_DIGEST_HASH_SHA512_256, "hello=world", 11, body);
    req = rfc7616("SHA-512-256", "auth-int", "97066a0b3295d99a5ad79346428"
                                             "0a7693b6554636b378356f5338611"
                                             "5a8aafaa");
    ok(req && ag_digest_verify(req, s512, "POST", body),
       "auth-int SHA-512-256");
}

/* The response to a request for URI (of any length) as this test joins
 * it, with one hash over each whole string. */
static const char *joined_response(const char *ha1, const char *uri)
{
    char ha2[AG_DIGEST_HEX_MAX + 1], *resp;
    const char *a2 = apr_pstrcat(tap_pool(), "GET:", uri, NULL), *kd;

    resp = apr_palloc(tap_pool(), AG_DIGEST_HEX_MAX + 1);
    ag_digest_hex(AG_DIGEST_HASH_SHA256, a2, strlen(a2), ha2);
    kd = apr_pstrcat(tap_pool(), ha1, ":" N7616 ":00000001:" C7616 ":auth:",
                     ha2, NULL);
    ag_digest_hex(AG_DIGEST_HASH_SHA256, kd, strlen(kd), resp);
    return resp;
}

/* Short values are joined in a buffer and hashed at once, long ones part
 * by part: both give the hash of the joined string, around the bound. */
static void test_long_values(void)
{
    static const apr_size_t lens[] = {1, 400, 506, 507, 508, 509, 1000,
                                      4000};
    const char *sha = mufasa(AG_DIGEST_HASH_SHA256);
    apr_size_t i, good = 0, bad = 0;

    for (i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        char *uri = apr_palloc(tap_pool(), lens[i] + 1);
        char *resp;
        ag_digest_request *req;

        memset(uri, 'a', lens[i]);
        uri[0] = '/';
        uri[lens[i]] = '\0';
        resp = apr_pstrdup(tap_pool(), joined_response(sha, uri));
        req = parse_req(apr_psprintf(tap_pool(),
            "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", "
            "uri=\"%s\", algorithm=SHA-256, nonce=\"" N7616 "\", "
            "nc=00000001, cnonce=\"" C7616 "\", qop=auth, response=\"%s\"",
            uri, resp), NULL);
        good += req != NULL && ag_digest_verify(req, sha, "GET", NULL);
        resp[0] = resp[0] == '0' ? '1' : '0';
        req = parse_req(apr_psprintf(tap_pool(),
            "Digest username=\"Mufasa\", realm=\"http-auth@example.org\", "
            "uri=\"%s\", algorithm=SHA-256, nonce=\"" N7616 "\", "
            "nc=00000001, cnonce=\"" C7616 "\", qop=auth, response=\"%s\"",
            uri, resp), NULL);
        bad += req != NULL && !ag_digest_verify(req, sha, "GET", NULL);
    }
    ok(good == i, "URIs of 1 to 4000 bytes: the right response passes");
    ok(bad == i, "... and one with a digit changed fails");
}

/* cnonces around the length where what the response and rspauth share
 * (HA1:nonce:nc:cnonce:qop:) stops fitting the join buffer, and far
 * beyond: the response is checked against one made from the whole
 * string, and the rspauth against the same with an empty method. */
static void test_long_cnonces(void)
{
    const char *sha = mufasa(AG_DIGEST_HASH_SHA256);
    char ha2[AG_DIGEST_HEX_MAX + 1], resp[AG_DIGEST_HEX_MAX + 1];
    char rsp2[AG_DIGEST_HEX_MAX + 1], rspauth[AG_DIGEST_HEX_MAX + 1];
    apr_size_t len, good = 0, bad = 0, n = 0;

    for (len = 400; len <= 1024; len += len < 460 ? 1 : 141) {
        char *cnonce = apr_palloc(tap_pool(), len + 1);
        const char *kd, *hdr;
        ag_digest_request *req;

        memset(cnonce, 'c', len);
        cnonce[len] = '\0';
        ag_digest_hex(AG_DIGEST_HASH_SHA256, "GET:/", 5, ha2);
        kd = apr_pstrcat(tap_pool(), sha, ":n:00000001:", cnonce, ":auth:",
                         ha2, NULL);
        ag_digest_hex(AG_DIGEST_HASH_SHA256, kd, strlen(kd), resp);
        ag_digest_hex(AG_DIGEST_HASH_SHA256, ":/", 2, ha2);
        kd = apr_pstrcat(tap_pool(), sha, ":n:00000001:", cnonce, ":auth:",
                         ha2, NULL);
        ag_digest_hex(AG_DIGEST_HASH_SHA256, kd, strlen(kd), rsp2);
        hdr = apr_pstrcat(tap_pool(), "Digest username=\"Mufasa\", "
                          "realm=\"http-auth@example.org\", uri=\"/\", "
                          "algorithm=SHA-256, nonce=\"n\", nc=00000001, "
                          "qop=auth, cnonce=\"", cnonce, "\", response=\"",
                          resp, "\"", NULL);
        req = parse_req(hdr, NULL);
        good += req != NULL &&
                ag_digest_verify_rspauth(req, sha, "GET", NULL, rspauth) &&
                strcmp(rspauth, rsp2) == 0;
        bad += req != NULL && !ag_digest_verify(req, sha, "POST", NULL);
        n++;
    }
    ok(good == n, "cnonces of 400 to 1024 octets: the response passes and "
                  "the rspauth is right");
    ok(bad == n, "... and the same response for another method fails");
}

static void test_userhash(void)
{
    char out[AG_DIGEST_HEX_MAX + 1];
    ag_digest_request *req;
    const char *why = NULL;

    ag_digest_userhash(AG_DIGEST_HASH_SHA256, "Mufasa",
                       "http-auth@example.org", out);
    is_str(out, "a947aad205e80e429958a387394944c6b496301e79f89d35a4cc23b6ee"
                "12b5b6", "userhash SHA-256");
    /* RFC 7616 §3.9.2, whose printed values used truncated SHA-512. */
    ag_digest_userhash(AG_DIGEST_HASH_SHA512_256, "J\xc3\xa4s\xc3\xb8n Doe",
                       "api@example.org", out);
    is_str(out, "793263caabb707a56211940d90411ea4a575adeccb7e360aeb624ed06e"
                "ce9b0b", "userhash SHA-512/256 of the §3.9.2 user");
    ok(strcmp(out, "488869477bf257147b804c45308cd62ac4e25eb717b12b298c79e62"
                   "dcea254ec") != 0,
       "... which is not the RFC's truncated-SHA-512 value (erratum 4897)");

    req = parse_req("Digest username*=UTF-8''J%C3%A4s%C3%B8n%20Doe, "
                    "realm=\"api@example.org\", uri=\"/doe.json\", "
                    "algorithm=SHA-512-256, "
                    "nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\", "
                    "nc=00000001, cnonce=\"NTg6RKcb9boFIAS3KrFK9BGeh+iDa/sm6j"
                    "UMp2wds69v\", qop=auth, response=\"3798d4131c277846293"
                    "534c3edc11bd8a5e4cdcbff78b05db9d95eeb1cec68a5\", "
                    "opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\","
                    " userhash=false", &why);
    ok(req != NULL, "RFC 7616 §3.9.2 response parses (%s)", why ? why : "");
    is_str(req ? req->username : NULL, "J\xc3\xa4s\xc3\xb8n Doe",
           "username* is decoded");
    ok(req && req->username_ext && !req->userhash, "flags of §3.9.2");
    ok(req && ag_digest_verify(req, ha1_of(AG_DIGEST_HASH_SHA512_256,
                                           "J\xc3\xa4s\xc3\xb8n Doe",
                                           "api@example.org",
                                           "Secret, or not?"), "GET", NULL),
       "§3.9.2 verifies with FIPS SHA-512/256");

    req = parse_req("Digest username=\"a947aad205e80e429958a387394944c6b4963"
                    "01e79f89d35a4cc23b6ee12b5b6\", realm=\"r\", nonce=\"n\","
                    " uri=\"/\", algorithm=SHA-256, nc=00000001, cnonce=\"c\","
                    " qop=auth, response=\"00\", userhash=TRUE", NULL);
    ok(req && req->userhash, "userhash=true");
}

/* A valid response with one parameter replaced or added. */
static const char *with(const char *extra)
{
    return apr_pstrcat(tap_pool(),
                       "Digest realm=\"r\", nonce=\"n\", uri=\"/\", "
                       "nc=00000001, cnonce=\"c\", response=\"abcd\"",
                       extra, NULL);
}

/* username* values that are no UTF-8 ext-value, each refused as one. */
static void test_bad_username_ext(void)
{
    static const struct {
        const char *value, *what;
    } bad[] = {
        {"\"UTF-8''u\"", "as a quoted-string (an ext-value is not quoted)"},
        {"UTF-8''a%E4b", "that is Latin-1, not UTF-8"},
        {"UTF-8''%C3", "with a truncated sequence"},
        {"UTF-8''%C0%AF", "with an overlong '/'"},
        {"UTF-8''%E0%80%AF", "with a three-octet overlong"},
        {"UTF-8''%ED%A0%80", "with a surrogate"},
        {"UTF-8''%F4%90%80%80", "above U+10FFFF"},
        {"UTF-8''%80", "with a lone continuation octet"},
    };
    apr_size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        const char *why = NULL;

        ok(parse_req(with(apr_pstrcat(tap_pool(), ", username*=",
                                      bad[i].value, ", qop=auth", NULL)),
                     &why) == NULL && why != NULL &&
               strcmp(why, "bad username*") == 0,
           "username* %s", bad[i].what);
    }
}

static void test_refusals(void)
{
    const char *why = NULL;
    ag_digest_request *req;
    char *big;

    ok(parse_req(with(", username=\"u\", qop=auth"), &why) != NULL,
       "the base of the refusal cases parses (%s)", why ? why : "");
    ok(parse_req("Digest abcdef==", &why) == NULL, "token68 is refused");
    ok(parse_req(with(", qop=auth"), &why) == NULL &&
           strcmp(why, "no username") == 0, "missing username");
    ok(parse_req(with(", username=\"\", qop=auth"), &why) == NULL,
       "empty username");
    ok(parse_req(with(", username=\"u\""), &why) == NULL &&
           strcmp(why, "no qop") == 0, "missing qop (RFC 2069 form)");
    ok(parse_req(with(", username=\"u\", qop=auth-conf"), &why) == NULL,
       "unknown qop");
    ok(parse_req(with(", username=\"u\", qop=auth, username=\"v\""), &why) ==
           NULL, "a parameter named twice");
    ok(parse_req(with(", username=\"u\", qop=auth, USERNAME=\"u\""), &why) ==
           NULL, "... in another case");
    ok(parse_req(with(", username=\"u\", username*=UTF-8''u, qop=auth"),
                 &why) == NULL && strcmp(why, "both username and username*")
                                      == 0, "username with username*");
    req = parse_req(with(", UserName*=UTF-8''J%C3%A4, ALGORITHM=SHA-256, "
                         "UserHash=FALSE, QoP=auth"), &why);
    ok(req && strcmp(req->username, "J\xc3\xa4") == 0 &&
           req->username_ext && !req->userhash &&
           req->alg == AG_DIGEST_SHA256 && req->qop == AG_DIGEST_QOP_AUTH,
       "username*, algorithm, userhash and qop named in any case (%s)",
       why ? why : "");
    ok(parse_req(with(", username*=ISO-8859-1''u, qop=auth"), &why) == NULL,
       "username* in another charset");
    ok(parse_req(with(", username*=UTF-8''a%0Ab, qop=auth"), &why) == NULL,
       "username* with a control character");
    ok(parse_req(with(", username*=UTF-8''%C3%A4%E2%82%AC%F0%9F%98%80, "
                      "qop=auth"), &why) != NULL,
       "username* of two-, three- and four-octet UTF-8");
    test_bad_username_ext();
    ok(parse_req(with(", username*=UTF-8''a%zz, qop=auth"), &why) == NULL,
       "username* with a bad escape");
    ok(parse_req(with(", username*=UTF-8'en'u, qop=auth, userhash=true"),
                 &why) == NULL, "username* with userhash");
    req = parse_req(with(", username*=UTF-8'en'%41b, qop=auth"), &why);
    is_str(req ? req->username : NULL, "Ab", "username* with a language");
    ok(parse_req(with(", username=\"u\", qop=auth, userhash=maybe"), &why) ==
           NULL, "userhash neither true nor false");
    ok(parse_req("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/\","
                 " nc=0000001, cnonce=\"c\", response=\"ab\", qop=auth",
                 &why) == NULL && strcmp(why, "nc is not 8 hex digits") == 0,
       "nc of 7 digits");
    ok(parse_req("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/\","
                 " nc=0000000g, cnonce=\"c\", response=\"ab\", qop=auth",
                 &why) == NULL, "nc not hex");
    ok(parse_req("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/\","
                 " nc=00000000, cnonce=\"c\", response=\"ab\", qop=auth",
                 &why) == NULL, "nc zero");
    ok(parse_req("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/\","
                 " nc=00000001, cnonce=\"c\", response=\"xyz\", qop=auth",
                 &why) == NULL, "response not hex");
    ok(parse_req("Digest username=\"u\", realm=\"r\", nonce=\"n\", uri=\"/\","
                 " nc=00000001, response=\"ab\", qop=auth", &why) == NULL &&
           strcmp(why, "no cnonce") == 0, "missing cnonce");
    ok(parse_req("Digest username=\"u\", realm=\"r\", uri=\"/\","
                 " nc=00000001, cnonce=\"c\", response=\"ab\", qop=auth",
                 &why) == NULL && strcmp(why, "no nonce") == 0,
       "missing nonce");
    ok(parse_req("Digest username=\"u\", nonce=\"n\", uri=\"/\","
                 " nc=00000001, cnonce=\"c\", response=\"ab\", qop=auth",
                 &why) == NULL && strcmp(why, "no realm") == 0,
       "missing realm");
    ok(parse_req("Digest username=\"u\", realm=\"r\", nonce=\"n\","
                 " nc=00000001, cnonce=\"c\", response=\"ab\", qop=auth",
                 &why) == NULL && strcmp(why, "no uri") == 0, "missing uri");

    big = apr_palloc(tap_pool(), AG_DIGEST_FIELD_MAX + 2);
    memset(big, 'a', AG_DIGEST_FIELD_MAX + 1);
    big[AG_DIGEST_FIELD_MAX + 1] = '\0';
    ok(parse_req(with(apr_pstrcat(tap_pool(), ", username=\"", big,
                                  "\", qop=auth", NULL)), &why) == NULL &&
           strcmp(why, "username too long") == 0, "username over the bound");
    big[AG_DIGEST_FIELD_MAX] = '\0';
    ok(parse_req(with(apr_pstrcat(tap_pool(), ", username=\"", big,
                                  "\", qop=auth", NULL)), &why) != NULL,
       "username at the bound");
    ok(parse_req(with(apr_pstrcat(tap_pool(), ", username=\"u\", cnonce2=\"",
                                  big, "\", qop=auth", NULL)), &why) != NULL,
       "unknown parameters are ignored");

    req = parse_req(with(", username=\"u\", qop=\"auth\", "
                         "algorithm=\"SHA-512\""), &why);
    ok(req && req->alg == AG_DIGEST_NONE && req->alg_name &&
           strcmp(req->alg_name, "SHA-512") == 0,
       "an unknown algorithm parses, as none of ours");
    ok(req && !ag_digest_verify(req, "00", "GET", NULL),
       "... and never verifies");
    req = parse_req(with(", username=\"u\", qop=auth"), &why);
    ok(req && !ag_digest_verify(req, "3d78807defe7de2157e2b0b6573a855",
                                "GET", NULL), "an HA1 of the wrong length");
    ok(req && !ag_digest_verify(req, "3d78807defe7de2157e2b0b6573a855g",
                                "GET", NULL), "an HA1 that is not hex");
    ok(ag_digest_is_hex("00aAfF", 6) && !ag_digest_is_hex("00aAfF", 5) &&
           !ag_digest_is_hex("00aAfG", 6), "is_hex");
    ok(!ag_digest_is_hex("abc", 6) && !ag_digest_is_hex("", 1) &&
           ag_digest_is_hex("", 0), "is_hex: a shorter string is not");
    {
        /* every octet, as the first and as the last of three */
        int c, wrong = 0;

        for (c = 1; c < 256; c++) {
            int want = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
                       (c >= 'A' && c <= 'F');
            char first[4] = {(char)c, '0', '0', '\0'};
            char last[4] = {'0', '0', (char)c, '\0'};

            wrong += ag_digest_is_hex(first, 3) != want;
            wrong += ag_digest_is_hex(last, 3) != want;
        }
        ok(wrong == 0, "is_hex: each of the 255 octets, first and last");
    }
    {
        /* every octet in every place of 43 digits: two runs of sixteen
         * (the SSE2 scan's), one of eight and three after them */
        char digits[44];
        int c, k, wrong = 0;

        for (k = 0; k < 43; k++)
            for (c = 1; c < 256; c++) {
                int want = (c >= '0' && c <= '9') ||
                           (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');

                memset(digits, '7', 43);
                digits[43] = '\0';
                digits[k] = (char)c;
                wrong += ag_digest_is_hex(digits, 43) != want;
            }
        ok(wrong == 0, "is_hex: each of the 255 octets in each of 43 places");
    }
}

/* The Authentication-Info value as the module sends it. */
static void test_auth_info(void)
{
    ag_digest_request *req = rfc7616("SHA-256", "auth", "00");

    ok(req != NULL, "a request to answer");
    if (req == NULL)
        return;
    is_str(ag_digest_auth_info(req, "abc123", NULL, tap_pool()),
           "rspauth=\"abc123\", cnonce=\"" C7616 "\", nc=00000001, qop=auth",
           "rspauth, cnonce, nc and qop");
    is_str(ag_digest_auth_info(req, "abc123", "N1", tap_pool()),
           "rspauth=\"abc123\", cnonce=\"" C7616 "\", nc=00000001, "
           "qop=auth, nextnonce=\"N1\"", "and a nextnonce");
    req = parse_req("Digest username=\"u\", realm=\"r\", nonce=\"n\", "
                    "uri=\"/\", nc=0000000a, cnonce=\"a\\\"b\\\\c\", "
                    "qop=auth-int, response=\"00\"", NULL);
    ok(req != NULL && strcmp(req->cnonce, "a\"b\\c") == 0,
       "a cnonce with a quoted DQUOTE and backslash");
    if (req != NULL)
        is_str(ag_digest_auth_info(req, "ff", NULL, tap_pool()),
               "rspauth=\"ff\", cnonce=\"a\\\"b\\\\c\", nc=0000000a, "
               "qop=auth-int", "... is quoted again as it came");
}

int main(void)
{
    test_names();
    test_rfc_examples();
    test_verify_rspauth();
    test_sess_and_int();
    test_long_values();
    test_long_cnonces();
    test_userhash();
    test_refusals();
    test_auth_info();
    return tap_done();
}
