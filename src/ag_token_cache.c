#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>
#include <apr_thread_mutex.h>

#include "ag_hash.h"
#include "ag_token_cache.h"

typedef struct {
    unsigned char key[AG_TOKEN_CACHE_KEY_LEN];
    apr_time_t until;             /* min(exp, stored + TTL) */
    apr_uint64_t keyset_serial;
    apr_uint64_t policy;
    unsigned short len[4];        /* of user, scope, kid, jti; 0xffff NULL */
    char data[];                  /* the four, each NUL-terminated */
} slot_entry;

#define NO_STRING 0xffff

struct ag_token_cache {
    apr_thread_mutex_t *mutex;
    slot_entry **slots;           /* malloc'ed entries, NULL when free */
    unsigned nslots;
    unsigned used;
    apr_interval_time_t ttl;
    apr_uint64_t hits, misses;
};

static apr_status_t cache_cleanup(void *data)
{
    ag_token_cache *c = data;
    unsigned i;

    for (i = 0; i < c->nslots; i++)
        free(c->slots[i]);
    free(c->slots);
    c->slots = NULL;
    return APR_SUCCESS;
}

apr_status_t ag_token_cache_create(ag_token_cache **out, unsigned entries,
                                   apr_interval_time_t ttl, apr_pool_t *p)
{
    ag_token_cache *c = apr_pcalloc(p, sizeof(*c));
    apr_status_t rv;

    if (entries == 0)
        return APR_EINVAL;
    rv = apr_thread_mutex_create(&c->mutex, APR_THREAD_MUTEX_DEFAULT, p);
    if (rv != APR_SUCCESS)
        return rv;
    c->slots = calloc(entries, sizeof(*c->slots));
    if (c->slots == NULL)
        return APR_ENOMEM;
    c->nslots = entries;
    c->ttl = ttl;
    apr_pool_cleanup_register(p, c, cache_cleanup, apr_pool_cleanup_null);
    *out = c;
    return APR_SUCCESS;
}

int ag_token_cache_key(const char *token, apr_size_t len,
                       unsigned char key[AG_TOKEN_CACHE_KEY_LEN])
{
    return ag_sha256(token, len, key);
}

static unsigned slot_of(const ag_token_cache *c, const unsigned char *key)
{
    apr_uint64_t h;

    memcpy(&h, key, sizeof(h));
    return (unsigned)(h % c->nslots);
}

static const char *field(const slot_entry *e, int i, apr_pool_t *p)
{
    apr_size_t off = 0;
    int k;

    if (e->len[i] == NO_STRING)
        return NULL;
    for (k = 0; k < i; k++)
        if (e->len[k] != NO_STRING)
            off += (apr_size_t)e->len[k] + 1;
    return apr_pstrmemdup(p, e->data + off, e->len[i]);
}

int ag_token_cache_get(ag_token_cache *c,
                       const unsigned char key[AG_TOKEN_CACHE_KEY_LEN],
                       apr_uint64_t policy, apr_time_t now,
                       ag_token_entry *out, apr_pool_t *p)
{
    unsigned i = slot_of(c, key);
    slot_entry *e;
    int hit = 0;

    apr_thread_mutex_lock(c->mutex);
    e = c->slots[i];
    if (e != NULL && ag_same_bytes(e->key, key, sizeof(e->key)) &&
        e->policy == policy) {
        if (now < e->until) {
            out->user = field(e, 0, p);
            out->scope = field(e, 1, p);
            out->kid = field(e, 2, p);
            out->jti = field(e, 3, p);
            out->expires = e->until;
            out->keyset_serial = e->keyset_serial;
            out->policy = e->policy;
            hit = 1;
        }
        else {
            free(e);
            c->slots[i] = NULL;
            c->used--;
        }
    }
    if (hit)
        c->hits++;
    else
        c->misses++;
    apr_thread_mutex_unlock(c->mutex);
    return hit;
}

void ag_token_cache_put(ag_token_cache *c,
                        const unsigned char key[AG_TOKEN_CACHE_KEY_LEN],
                        const ag_token_entry *entry, apr_time_t now)
{
    const char *s[4] = {entry->user, entry->scope, entry->kid, entry->jti};
    apr_time_t until = now + c->ttl;
    apr_size_t total = 0, off = 0;
    slot_entry *e;
    unsigned i;
    int k;

    if (entry->expires != 0 && entry->expires < until)
        until = entry->expires;
    if (until <= now || entry->user == NULL)
        return;
    for (k = 0; k < 4; k++)
        if (s[k] != NULL)
            total += strlen(s[k]) + 1;
    if (total > AG_TOKEN_CACHE_MAX_DATA)
        return;
    e = malloc(sizeof(*e) + total);
    if (e == NULL)
        return;
    memcpy(e->key, key, sizeof(e->key));
    e->until = until;
    e->keyset_serial = entry->keyset_serial;
    e->policy = entry->policy;
    for (k = 0; k < 4; k++) {
        if (s[k] == NULL) {
            e->len[k] = NO_STRING;
            continue;
        }
        e->len[k] = (unsigned short)strlen(s[k]);
        memcpy(e->data + off, s[k], (apr_size_t)e->len[k] + 1);
        off += (apr_size_t)e->len[k] + 1;
    }
    i = slot_of(c, key);
    apr_thread_mutex_lock(c->mutex);
    if (c->slots[i] == NULL)
        c->used++;
    free(c->slots[i]);
    c->slots[i] = e;
    apr_thread_mutex_unlock(c->mutex);
}

void ag_token_cache_drop(ag_token_cache *c,
                         const unsigned char key[AG_TOKEN_CACHE_KEY_LEN])
{
    unsigned i = slot_of(c, key);

    apr_thread_mutex_lock(c->mutex);
    if (c->slots[i] != NULL &&
        ag_same_bytes(c->slots[i]->key, key, AG_TOKEN_CACHE_KEY_LEN)) {
        free(c->slots[i]);
        c->slots[i] = NULL;
        c->used--;
    }
    apr_thread_mutex_unlock(c->mutex);
}

void ag_token_cache_stats(ag_token_cache *c, apr_uint64_t *hits,
                          apr_uint64_t *misses, unsigned *used)
{
    apr_thread_mutex_lock(c->mutex);
    *hits = c->hits;
    *misses = c->misses;
    *used = c->used;
    apr_thread_mutex_unlock(c->mutex);
}
