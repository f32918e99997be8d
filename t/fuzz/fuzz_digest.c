/* libFuzzer target: a Digest Authorization value through ag_header_parse
 * and ag_digest_request_parse, then the hashes (ag_digest_compute,
 * ag_digest_verify_rspauth), the nonce check and the Authentication-Info
 * value (ag_digest_auth_info) on what parsed; and the same bytes as an
 * AuthGateUserFile (ag_userfile_parse).  Besides the
 * sanitizers' findings, it aborts when a parse that succeeded breaks the
 * promises of ag_digest.h: every required parameter present and bounded,
 * nc eight hex digits and not zero, the response lower-case hex.
 *
 *   scripts/fuzz digest SECONDS */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "ag_digest.h"
#include "ag_header.h"
#include "ag_nonce.h"
#include "ag_userfile.h"
#include "asan_pool.h"
#include "fuzz_common.h"

static ag_nonce_secret secret;
static apr_pool_t *secret_pool;

static void secret_free(void)
{
    apr_pool_destroy(secret_pool);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    static const char text[] = "fuzz-secret-fuzz-secret-fuzz-secret!";

    fuzz_init();
    /* the secret (its prepared key) lives until the fuzzer exits */
    if (apr_pool_create(&secret_pool, NULL) != APR_SUCCESS ||
        ag_nonce_secret_from_text(text, sizeof(text) - 1, &secret,
                                  secret_pool) != NULL)
        abort();
    atexit(secret_free);
    return 0;
}

static void check_request(const ag_digest_request *req, apr_pool_t *p)
{
    static const char *const ha1s[] = {
        "3d78807defe7de2157e2b0b6573a855f",
        "7987c64c30e25f1b74be53f966b49b90f2808aa92faf9a00262392d7b4794232",
    };
    char out[AG_DIGEST_HEX_MAX + 1], body[AG_DIGEST_HEX_MAX + 1];
    ag_nonce_info info;
    const char *s;
    int i;

    CHECK(req->username != NULL && *req->username != '\0' &&
          strlen(req->username) <= AG_DIGEST_FIELD_MAX);
    CHECK(req->realm != NULL && strlen(req->realm) <= AG_DIGEST_FIELD_MAX);
    CHECK(req->nonce != NULL && strlen(req->nonce) <= AG_DIGEST_FIELD_MAX);
    CHECK(req->cnonce != NULL && strlen(req->cnonce) <= AG_DIGEST_FIELD_MAX);
    CHECK(req->uri != NULL && *req->uri != '\0' &&
          strlen(req->uri) <= AG_DIGEST_URI_MAX);
    CHECK(req->opaque == NULL || strlen(req->opaque) <= AG_DIGEST_FIELD_MAX);
    CHECK(req->nc != 0 && req->nc_text != NULL &&
          ag_digest_is_hex(req->nc_text, 8));
    CHECK(req->qop == AG_DIGEST_QOP_AUTH || req->qop == AG_DIGEST_QOP_AUTH_INT);
    CHECK(req->alg == AG_DIGEST_NONE ||
          (req->alg >= 0 && req->alg < AG_DIGEST__COUNT));
    for (s = req->response; *s != '\0'; s++)
        CHECK((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f'));
    CHECK(!(req->username_ext && req->userhash));

    ag_digest_hex(ag_digest_alg_hash(req->alg), "", 0, body);
    for (i = 0; i < 2; i++) {
        apr_status_t rv = ag_digest_compute(req, ha1s[i], "GET", body, out);

        if (rv == APR_SUCCESS) {
            CHECK(strlen(out) ==
                  ag_digest_hash_hexlen(ag_digest_alg_hash(req->alg)));
        }
        (void)ag_digest_verify_rspauth(req, ha1s[i], "GET", body, out);
    }
    if (ag_nonce_check(&secret, req->realm, req->nonce, &info, p) ==
        APR_SUCCESS)
        CHECK(strlen(req->nonce) == AG_NONCE_TEXT_LEN);
    /* the Authentication-Info value echoes the cnonce: whatever it held,
     * the value can carry no line break or other CTL but HTAB */
    for (s = ag_digest_auth_info(req, out, NULL, p); *s != '\0'; s++)
        CHECK(*s == '\t' || ((unsigned char)*s >= 0x20 && *s != 0x7f));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    ag_credentials *cred = NULL;
    ag_digest_request *req = NULL;
    const char *why = NULL, *err = NULL;
    void *file = NULL;
    char *value;

    apr_pool_create(&p, root);
    asan_pool_begin();
    value = fuzz_cstring(data, size);
    if (ag_header_parse(value, &cred, &why, p) == APR_SUCCESS) {
        if (ag_digest_request_parse(cred, &req, &why, p) == APR_SUCCESS)
            check_request(req, p);
        else
            CHECK(why != NULL && *why != '\0');
    }
    if (ag_userfile_parse((const char *)data, size, NULL, &file, &err, p) ==
        APR_SUCCESS) {
        CHECK(file != NULL);
        (void)ag_userfile_find(file, "alice", "api");
        (void)ag_userfile_find_userhash(file, AG_DIGEST_HASH_SHA256,
                                        "a86aed908ff6281d7e2c87a64dd6b649c0fd"
                                        "3ff4e1349df74a554bb047af49cc", "api");
    }
    else
        CHECK(err != NULL && *err != '\0');
    free(value);
    asan_pool_end();
    apr_pool_destroy(p);
    return 0;
}
