/* The verified-token cache (AuthGateTokenCache): a token that verified is
 * not verified again until the entry expires.  An entry is keyed by the
 * SHA-256 of the token (the token itself is not kept) and never outlives
 * the token's exp or the cache's TTL; the caller also refuses an entry
 * whose keyset is no longer in use (key rotation) and checks revocation
 * on every request.
 *
 * One cache per process, bounded: a fixed table of ENTRIES slots, each
 * holding at most one entry of bounded size, the newest winning a slot.
 * Thread-safe. */
#ifndef AG_TOKEN_CACHE_H
#define AG_TOKEN_CACHE_H

#include <apr_pools.h>
#include <apr_time.h>

#define AG_TOKEN_CACHE_KEY_LEN 32
/* Bytes of user, scope, kid and jti together that an entry may hold. */
#define AG_TOKEN_CACHE_MAX_DATA 1024

typedef struct ag_token_cache ag_token_cache;

typedef struct {
    const char *user;
    const char *scope;            /* or NULL */
    const char *kid;              /* or NULL */
    const char *jti;              /* or NULL */
    apr_time_t expires;           /* the token's exp, or 0 for none */
    apr_uint64_t keyset_serial;   /* the keyset that vouched */
    apr_uint64_t policy;          /* what it was checked against */
} ag_token_entry;

/* A cache of ENTRIES slots (at least 1) whose entries live at most TTL.
 * It lives as long as P. */
apr_status_t ag_token_cache_create(ag_token_cache **out, unsigned entries,
                                   apr_interval_time_t ttl, apr_pool_t *p);

/* The cache key of a token; 0 when it could not be made (then the token
 * is neither looked up nor stored). */
int ag_token_cache_key(const char *token, apr_size_t len,
                       unsigned char key[AG_TOKEN_CACHE_KEY_LEN]);

/* 1 and *OUT (strings copied into P) when KEY has a live entry checked
 * under POLICY. */
int ag_token_cache_get(ag_token_cache *c,
                       const unsigned char key[AG_TOKEN_CACHE_KEY_LEN],
                       apr_uint64_t policy, apr_time_t now,
                       ag_token_entry *out, apr_pool_t *p);

/* Stores ENTRY under KEY (nothing when it is too large or already
 * expired). */
void ag_token_cache_put(ag_token_cache *c,
                        const unsigned char key[AG_TOKEN_CACHE_KEY_LEN],
                        const ag_token_entry *entry, apr_time_t now);

/* Drops KEY's entry. */
void ag_token_cache_drop(ag_token_cache *c,
                         const unsigned char key[AG_TOKEN_CACHE_KEY_LEN]);

void ag_token_cache_stats(ag_token_cache *c, apr_uint64_t *hits,
                          apr_uint64_t *misses, unsigned *used);

#endif
