/* HTTP Digest access authentication (RFC 7616): the algorithms, the
 * Authorization parameters of a Digest response, and the hashes.
 *
 *   HA1      = H(username ":" realm ":" password)          the stored hash
 *   HA1-sess = H(HA1 ":" nonce ":" cnonce)                  for *-sess
 *   HA2      = H(method ":" uri)                            qop=auth
 *            = H(method ":" uri ":" H(entity-body))         qop=auth-int
 *   response = H(HA1 ":" nonce ":" nc ":" cnonce ":" qop ":" HA2)
 *   rspauth  = the same with an empty method (Authentication-Info)
 *   userhash = H(username ":" realm)
 *
 * Every hash is written as lower-case hex.  SHA-512-256 is FIPS 180-4
 * SHA-512/256 (its own initial values), not a truncated SHA-512: the
 * example values of RFC 7616 §3.9.2 were computed the wrong way (erratum
 * 4897) and do not verify here. */
#ifndef AG_DIGEST_H
#define AG_DIGEST_H

#include <apr_pools.h>

#include "ag_hash.h"
#include "ag_header.h"

typedef enum {
    AG_DIGEST_HASH_MD5 = 0,
    AG_DIGEST_HASH_SHA256,
    AG_DIGEST_HASH_SHA512_256,
    AG_DIGEST_HASH__COUNT
} ag_digest_hash;

/* The algorithm parameter: a hash, and whether it is a -sess variant. */
typedef enum {
    AG_DIGEST_MD5 = 0,
    AG_DIGEST_MD5_SESS,
    AG_DIGEST_SHA256,
    AG_DIGEST_SHA256_SESS,
    AG_DIGEST_SHA512_256,
    AG_DIGEST_SHA512_256_SESS,
    AG_DIGEST__COUNT,
    AG_DIGEST_NONE = -1
} ag_digest_alg;

/* qop values, as bits so that a configuration can hold several. */
typedef enum {
    AG_DIGEST_QOP_AUTH = 1,
    AG_DIGEST_QOP_AUTH_INT = 2
} ag_digest_qop;

/* Longest hex hash (SHA-256, SHA-512/256), without the NUL. */
#define AG_DIGEST_HEX_MAX 64
/* Bounds of the parameters of a response, in bytes as decoded. */
#define AG_DIGEST_FIELD_MAX 1024
#define AG_DIGEST_URI_MAX 8192

/* The algorithm named NAME ("SHA-256", "md5-sess": case-insensitive), or
 * AG_DIGEST_NONE. */
ag_digest_alg ag_digest_alg_lookup(const char *name);
/* "MD5", "MD5-sess", "SHA-256", ... as RFC 7616 writes them. */
const char *ag_digest_alg_name(ag_digest_alg alg);
ag_digest_hash ag_digest_alg_hash(ag_digest_alg alg);
int ag_digest_alg_is_sess(ag_digest_alg alg);

/* The message digest of HASH, for ag_hash_init(). */
ag_md ag_digest_md(ag_digest_hash hash);

/* "MD5", "SHA-256", "SHA-512-256". */
const char *ag_digest_hash_name(ag_digest_hash hash);
/* Length of the hash in hex digits (32 or 64). */
apr_size_t ag_digest_hash_hexlen(ag_digest_hash hash);

/* "auth" or "auth-int"; the qop named NAME (case-insensitive), or 0. */
const char *ag_digest_qop_name(ag_digest_qop qop);
ag_digest_qop ag_digest_qop_lookup(const char *name);

/* Writes hex(H(DATA)) and a NUL to OUT, which holds AG_DIGEST_HEX_MAX + 1
 * bytes. */
void ag_digest_hex(ag_digest_hash hash, const void *data, apr_size_t len,
                   char *out);

/* HA1 = H(user ":" realm ":" password), the hash a user file stores. */
void ag_digest_ha1(ag_digest_hash hash, const char *user, const char *realm,
                   const char *password, char *out);

/* userhash = H(user ":" realm) (RFC 7616 §3.4.4). */
void ag_digest_userhash(ag_digest_hash hash, const char *user,
                        const char *realm, char *out);

/* 1 when HEX is exactly LEN hex digits (either case). */
int ag_digest_is_hex(const char *hex, apr_size_t len);

/* An incremental H() over an entity-body, for qop=auth-int. */
typedef struct ag_digest_ctx ag_digest_ctx;
apr_status_t ag_digest_ctx_make(ag_digest_hash hash, ag_digest_ctx **out,
                                apr_pool_t *p);
void ag_digest_ctx_update(ag_digest_ctx *ctx, const void *data,
                          apr_size_t len);
/* Writes the hex hash to OUT (AG_DIGEST_HEX_MAX + 1 bytes), once: CTX
 * takes no update after it. */
void ag_digest_ctx_final(ag_digest_ctx *ctx, char *out);

/* The parameters of a Digest response (RFC 7616 §3.4). */
typedef struct {
    const char *username;   /* username, the decoded username*, or (with
                               userhash) the hex userhash as sent */
    int username_ext;       /* it came from username* (RFC 8187) */
    int userhash;           /* userhash=true */
    const char *realm;
    const char *nonce;
    const char *uri;
    const char *response;   /* hex, lower-cased */
    const char *cnonce;
    const char *opaque;     /* NULL when not sent */
    const char *nc_text;    /* the 8 hex digits as sent: they are hashed */
    const char *qop_text;   /* qop as sent (any case): it is hashed */
    apr_uint32_t nc;
    ag_digest_alg alg;      /* AG_DIGEST_NONE for an algorithm not known
                               here (alg_name says which); MD5 when the
                               parameter is absent */
    const char *alg_name;   /* as sent, or NULL */
    ag_digest_qop qop;
} ag_digest_request;

/* Reads a Digest response from CRED (the parsed Authorization value).
 * APR_EINVAL when a required parameter is missing or one is malformed,
 * too long, or contradicts another (username with username*); *WHY, when
 * WHY is not NULL, says which in a few words that never quote the input.
 * Unknown parameters are ignored, as RFC 7616 §3.4 asks; parameters named
 * twice were refused by ag_header_parse already. */
apr_status_t ag_digest_request_parse(const ag_credentials *cred,
                                     ag_digest_request **out,
                                     const char **why, apr_pool_t *p);

/* The request-digest of REQ (RFC 7616 §3.4.1), given HA1 (hex of
 * H(user:realm:password) for REQ's hash, either case) and METHOD ("" for
 * rspauth).  BODY_HASH is hex(H(entity-body)) for qop=auth-int and is
 * ignored otherwise.  APR_EINVAL when HA1 is not a hash of the right
 * length or REQ's algorithm is not one of ours.  OUT holds
 * AG_DIGEST_HEX_MAX + 1 bytes. */
apr_status_t ag_digest_compute(const ag_digest_request *req, const char *ha1,
                               const char *method, const char *body_hash,
                               char *out);

/* 1 when REQ's response is the one HA1 gives, compared in constant time;
 * 0 otherwise (and for any input ag_digest_compute refuses). */
int ag_digest_verify(const ag_digest_request *req, const char *ha1,
                     const char *method, const char *body_hash);

/* ag_digest_verify, and when the response verifies and RSPAUTH is not
 * NULL, the same exchange's rspauth for Authentication-Info (RFC 7616
 * §3.5) into RSPAUTH (AG_DIGEST_HEX_MAX + 1 bytes): one hash context and
 * one preparation of HA1 for both. */
int ag_digest_verify_rspauth(const ag_digest_request *req, const char *ha1,
                             const char *method, const char *body_hash,
                             char *rspauth);

/* The Authentication-Info value (RFC 7616 §3.5) for REQ: RSPAUTH, its
 * cnonce (as a quoted-string), nc and qop, and NEXTNONCE (one of ours)
 * where it is not NULL. */
const char *ag_digest_auth_info(const ag_digest_request *req,
                                const char *rspauth, const char *nextnonce,
                                apr_pool_t *p);

#endif
