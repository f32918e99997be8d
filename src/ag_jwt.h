/* JWT verification (RFC 7519, RFC 7515, RFC 8725), decided entirely by
 * the gate: nothing of a token's header is trusted before it has been
 * checked against the configuration and the keys.
 *
 *   1. size bound, three segments, strict base64url, header a JSON object
 *      with unique members: otherwise malformed, before any key is looked
 *      at;
 *   2. "alg" is one of ours (never "none", in any spelling), in the
 *      allow-list, and served by the key: an HMAC secret never checks an
 *      RS/ES token and a public key never serves as an HMAC secret; "crit"
 *      names nothing (we implement no extension); "jku", "x5u", "jwk" and
 *      "x5c" are ignored: keys come from the configuration only;
 *   3. "kid" selects keys by one hash lookup (keys configured without a
 *      kid serve any); a key bound to an issuer serves only that issuer's
 *      tokens;
 *   4. the signature, with OpenSSL on the preloaded key (ES* signatures
 *      are JOSE r||s, turned into DER; HMAC compared in constant time);
 *   5. the claims: exp, nbf, iat with leeway, iss, aud (string or array),
 *      the required claims, the user claim.
 *
 * libjwt is not used here: its jwt_decode() (1.10) takes the algorithm
 * from the token and parses a PEM key on every call.  It serves only to
 * sign, in ag_jwt_sign.c, for the tool and the tests. */
#ifndef AG_JWT_H
#define AG_JWT_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_time.h>

#include <cjson/cJSON.h>

#include "ag_header.h"
#include "ag_jwk.h"
#include "ag_reason.h"
#include "ag_revocation.h"

/* SPEC.md's defaults. */
#define AG_JWT_DEFAULT_MAX_SIZE 8192
#define AG_JWT_DEFAULT_LEEWAY 60
/* The bounds of AuthGateJWTLeeway and AuthGateJWTMaxSize (and of the
 * tool's --leeway and --max-size): a token longer than a header can be is
 * malformed before its size is looked at. */
#define AG_JWT_MAX_LEEWAY 86400
#define AG_JWT_MIN_MAX_SIZE 16
#define AG_JWT_MAX_MAX_SIZE AG_HEADER_MAX_LEN
/* Keys tried for one token, at most: a JWKS of many keys without kids
 * must not make each token cost many verifications. */
#define AG_JWT_MAX_TRIES 32

typedef struct {
    unsigned algs;                       /* allow-list; 0: the keys' own */
    const apr_array_header_t *issuers;   /* const char *; NULL: any */
    const apr_array_header_t *audiences; /* const char *; NULL: any */
    apr_int64_t leeway;                  /* seconds */
    const apr_array_header_t *required;  /* claim names; NULL: exp */
    apr_size_t max_size;                 /* bytes of the token */
    const char *user_claim;              /* NULL: "sub" */
    const char *scope_claim;             /* NULL: "scope" (then "scp") */
} ag_jwt_policy;

/* *POL with SPEC.md's defaults. */
void ag_jwt_policy_init(ag_jwt_policy *pol);

/* A token taken apart (step 1 and 2).  Pointers into the token where
 * they are segments. */
typedef struct {
    const char *signing_input;   /* header "." payload */
    apr_size_t signing_len;
    const unsigned char *sig;
    apr_size_t sig_len;
    cJSON *header;               /* freed with the pool */
    cJSON *claims;               /* freed with the pool */
    const char *payload_json;    /* the decoded claims text */
    apr_size_t payload_len;
    ag_jwt_alg alg;
    const char *kid;             /* NULL when absent */
} ag_jwt_token;

/* What a verification concluded. */
typedef struct {
    ag_reason reason;            /* AG_OK or why not */
    const char *detail;          /* a few words for error_description */
    /* from the token, made safe for a log line; never the token */
    const char *log_kid;
    const char *log_iss;
    ag_jwt_alg alg;
    /* on success */
    const char *kid;             /* as sent */
    const char *user;
    const char *scope;           /* space-separated, or NULL */
    const char *jti;             /* or NULL */
    const cJSON *claims;
    const char *payload_json;    /* the claims as sent (decoded) */
    apr_size_t payload_len;
    apr_time_t expires;          /* exp, or 0 when the token has none */
    const ag_jwk *key;           /* the key that vouched */
    const ag_keyset *keyset;     /* and the set it belongs to */
} ag_jwt_result;

/* Step 1 and 2: takes TOKEN apart into *TOK.  AG_OK, AG_R_MALFORMED or
 * AG_R_ALG_NOT_ALLOWED (an alg no allow-list can hold); *DETAIL says
 * what, never quoting the token. */
ag_reason ag_jwt_parse(const char *token, apr_size_t len, apr_size_t max,
                       ag_jwt_token *tok, const char **detail,
                       apr_pool_t *p);

/* Step 2 and 3: the keys of SETS that may check TOK under POL, in order
 * (of const ag_jwk *, with *OWNERS the keyset of each when not NULL);
 * AG_R_ALG_NOT_ALLOWED, AG_R_UNKNOWN_KID or AG_R_WRONG_ISSUER when
 * there is none. */
ag_reason ag_jwt_select_keys(const ag_jwt_token *tok,
                             const ag_jwt_policy *pol,
                             const ag_keyset *const *sets, int nsets,
                             apr_array_header_t **keys,
                             apr_array_header_t **owners, apr_pool_t *p);

/* Step 4: 1 when TOK's signature is KEY's for TOK's algorithm. */
int ag_jwt_check_signature(const ag_jwt_token *tok, const ag_jwk *key);

/* Step 5: the claims of TOK under POL at NOW, filling RES's user, scope,
 * jti and expires. */
ag_reason ag_jwt_check_claims(const cJSON *claims, const ag_jwt_policy *pol,
                              apr_time_t now, ag_jwt_result *res,
                              apr_pool_t *p);

/* All five steps.  RES is filled in either case (reason, detail, and
 * what is known for the log). */
ag_reason ag_jwt_verify(const char *token, apr_size_t len,
                        const ag_jwt_policy *pol,
                        const ag_keyset *const *sets, int nsets,
                        apr_time_t now, ag_jwt_result *res, apr_pool_t *p);

/* After a verification (or a verified-token cache hit): AG_R_REVOKED,
 * and *DETAIL the words for error_description, when REV lists the
 * token's JTI; AG_OK when it does not, or there is no JTI or no REV. */
ag_reason ag_jwt_check_revoked(const ag_revocation *rev, const char *jti,
                               const char **detail);

/* The claims set of an already verified TOKEN (decoded, not checked). */
apr_status_t ag_jwt_payload(const char *token, apr_size_t len,
                            const char **json, apr_size_t *json_len,
                            apr_pool_t *p);

/* The granted scopes of CLAIMS under SCOPE_CLAIM (NULL: "scope", then
 * "scp"): a space-separated string or an array of strings, as one
 * space-separated string; NULL when there are none. */
const char *ag_jwt_scopes(const cJSON *claims, const char *scope_claim,
                          apr_pool_t *p);

/* S made fit for a log line: at most 64 bytes, and bytes other than
 * printable ASCII (and backslash, double quote, space) as \xHH. */
const char *ag_jwt_log_safe(const char *s, apr_pool_t *p);

/* RFC 6750 §3 error_description: characters outside %x20-21 / %x23-5B /
 * %x5D-7E become '?'. */
const char *ag_jwt_description(const char *s, apr_pool_t *p);

#endif
