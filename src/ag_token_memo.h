/* The last token a connection presented, with what the verified-token
 * cache (ag_token_cache.h) said of it.  A keep-alive client sends the same
 * token request after request; finding it here costs one constant-time
 * comparison, where the cache costs a SHA-256 of the token, a lock and a
 * copy.  The memo holds only what came out of the cache, with the
 * entry's end (exp or the cache's TTL, whichever came first), so it never
 * says more than the cache would; the caller applies the same checks to
 * what it returns (the keyset still in use, revocation).
 *
 * Not thread-safe: one memo per connection, used by one request at a
 * time.  Its memory (the token and the entry's strings, bounded by the
 * largest token the caller accepts plus AG_TOKEN_CACHE_MAX_DATA) is wiped
 * when it is replaced, cleared, or its pool goes. */
#ifndef AG_TOKEN_MEMO_H
#define AG_TOKEN_MEMO_H

#include <apr_pools.h>
#include <apr_time.h>

#include "ag_token_cache.h"

typedef struct ag_token_memo ag_token_memo;

/* An empty memo, living as long as P. */
ag_token_memo *ag_token_memo_create(apr_pool_t *p);

/* 1 and *OUT (strings copied into P) when TOKEN is the memo's token,
 * remembered under POLICY, and its entry has not ended at NOW. */
int ag_token_memo_get(const ag_token_memo *m, const char *token,
                      apr_size_t len, apr_uint64_t policy, apr_time_t now,
                      ag_token_entry *out, apr_pool_t *p);

/* Remembers TOKEN with ENTRY, as ag_token_cache_get() returned it (its
 * expires is the entry's end).  On failure (no memory) the memo is
 * empty. */
void ag_token_memo_set(ag_token_memo *m, const char *token, apr_size_t len,
                       const ag_token_entry *entry);

/* Forgets the token. */
void ag_token_memo_clear(ag_token_memo *m);

#endif
