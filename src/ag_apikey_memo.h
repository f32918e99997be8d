/* The last API key a connection presented, with the record a key file's
 * store had for it.  A keep-alive client sends the same key request after
 * request; finding it here costs one constant-time comparison, where the
 * store costs a SHA-256 of the key and a probe of its index.
 *
 * The memo names the store by its serial (ag_apikey_store_serial), which
 * no other store of the process shares, and gives its record back only
 * while that very store is the one in use: once the file is reloaded, the
 * next request looks its key up again.  What the record allows (expiry,
 * revocation) is for the caller to check at every request, as for a key
 * looked up in the store.
 *
 * Not thread-safe: one memo per connection, used by one request at a
 * time.  The key is wiped when it is replaced, cleared, or its pool
 * goes. */
#ifndef AG_APIKEY_MEMO_H
#define AG_APIKEY_MEMO_H

#include <apr_pools.h>

#include "ag_apikey.h"

typedef struct ag_apikey_memo ag_apikey_memo;

/* An empty memo, living as long as P. */
ag_apikey_memo *ag_apikey_memo_create(apr_pool_t *p);

/* Asks for the memory ag_apikey_memo_get() reads, so that other work
 * can be done while it comes (a hint: M is not read). */
void ag_apikey_memo_prefetch(const ag_apikey_memo *m);

/* The record remembered for KEY (LEN bytes) when KEY is the memo's key
 * and S is the store it was found in; NULL otherwise. */
const ag_apikey_record *ag_apikey_memo_get(const ag_apikey_memo *m,
                                           const ag_apikey_store *s,
                                           const char *key, apr_size_t len);

/* Remembers KEY with REC, the record S has for it.  A key longer than
 * AG_APIKEY_MAX_LEN leaves the memo empty. */
void ag_apikey_memo_set(ag_apikey_memo *m, const ag_apikey_store *s,
                        const char *key, apr_size_t len,
                        const ag_apikey_record *rec);

/* Forgets the key. */
void ag_apikey_memo_clear(ag_apikey_memo *m);

#endif
