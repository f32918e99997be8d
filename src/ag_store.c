#include <string.h>
#include <strings.h>

#include <apr_atomic.h>
#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_thread_mutex.h>

#include "ag_store.h"

/* --- AuthGateStateStore --------------------------------------------------- */

static const char *parse_size(const char *s, apr_size_t *out, apr_pool_t *p)
{
    apr_uint64_t v = 0, unit = 1;
    const char *t = s;

    if (!apr_isdigit(*t))
        return apr_psprintf(p, "size '%s' is not a number", s);
    for (; apr_isdigit(*t); t++) {
        v = v * 10 + (apr_uint64_t)(*t - '0');
        if (v > AG_STORE_MAX_SIZE)
            return apr_psprintf(p, "size '%s' is over the limit of 1G", s);
    }
    switch (apr_toupper(*t)) {
    case '\0':
        break;
    case 'K':
        unit = 1024;
        break;
    case 'M':
        unit = 1024 * 1024;
        break;
    case 'G':
        unit = 1024 * 1024 * 1024;
        break;
    default:
        return apr_psprintf(p, "size '%s': the unit is K, M or G", s);
    }
    if (*t != '\0' && t[1] != '\0')
        return apr_psprintf(p, "size '%s': the unit is K, M or G", s);
    if (v * unit > AG_STORE_MAX_SIZE)
        return apr_psprintf(p, "size '%s' is over the limit of 1G", s);
    if (v * unit < AG_STORE_MIN_SIZE)
        return apr_psprintf(p, "size '%s' is under the minimum of 64K", s);
    *out = (apr_size_t)(v * unit);
    return NULL;
}

const char *ag_store_spec_parse(const char *spec, ag_store_spec *out,
                                apr_pool_t *p)
{
    if (strcasecmp(spec, "shm") == 0) {
        out->type = "shm";
        out->size = AG_STORE_DEFAULT_SIZE;
        return NULL;
    }
    if (strncasecmp(spec, "shm:", 4) == 0) {
        out->type = "shm";
        return parse_size(spec + 4, &out->size, p);
    }
    if (strncasecmp(spec, "socache:", 8) == 0)
        return "socache stores are not built into this version "
               "(use shm or shm:SIZE)";
    return apr_psprintf(p, "unknown store '%s' (use shm or shm:SIZE)", spec);
}

/* --- the table ------------------------------------------------------------ */

#define TABLE_MAGIC 0x41475354u     /* "AGST" */
#define TABLE_VERSION 4u      /* 2: 40-byte record data (256-count windows);
                                 3: the eviction report's state;
                                 4: 136-byte record data (1,024-count
                                 ring windows) */
#define NIL 0u                      /* slot numbers start at 1 */

typedef struct {
    unsigned char key[AG_STORE_KEY_LEN];
    apr_uint32_t chain;             /* next slot in the bucket */
    apr_uint32_t newer, older;      /* the LRU list */
    apr_uint32_t kind;
    ag_store_record rec;
} slot;

struct ag_store_table {
    apr_uint32_t magic, version;
    apr_uint64_t size;
    apr_uint32_t nslots;            /* also the number of buckets */
    apr_uint32_t used;              /* slots holding a record */
    apr_uint32_t fresh;             /* slots ever handed out: the rest
                                       were never touched */
    apr_uint32_t free_head;         /* slots given back, by chain */
    apr_uint32_t head, tail;        /* most and least recently used */
    volatile apr_uint32_t errors;
    apr_uint32_t pad;
    apr_uint64_t evictions, expired;
    apr_uint64_t evictions_reported;    /* evictions at the last report */
    apr_time_t reported_at;             /* its time, 0 before the first */
    apr_time_t horizon[AG_STORE_KIND__COUNT];
};

#define ALIGN8(n) (((n) + 7) & ~(apr_size_t)7)
#define HEADER_SIZE ALIGN8(sizeof(ag_store_table))

apr_size_t ag_store_table_capacity(apr_size_t size)
{
    apr_size_t n;

    if (size < HEADER_SIZE + 8 + sizeof(slot) + sizeof(apr_uint32_t))
        return 0;
    n = (size - HEADER_SIZE - 8) / (sizeof(slot) + sizeof(apr_uint32_t));
    return n > 0xfffffffeu ? 0xfffffffeu : n;
}

static apr_uint32_t *buckets(ag_store_table *t)
{
    return (apr_uint32_t *)((char *)t + HEADER_SIZE);
}

static slot *slot_at(ag_store_table *t, apr_uint32_t n)
{
    apr_size_t off = ALIGN8(HEADER_SIZE + sizeof(apr_uint32_t) * t->nslots);

    return (slot *)((char *)t + off) + (n - 1);
}

ag_store_table *ag_store_table_init(void *mem, apr_size_t size,
                                    apr_time_t now)
{
    ag_store_table *t = mem;
    apr_size_t n = ag_store_table_capacity(size);
    int k;

    if (n == 0)
        return NULL;
    memset(t, 0, HEADER_SIZE + sizeof(apr_uint32_t) * n);
    t->size = size;
    t->nslots = (apr_uint32_t)n;
    for (k = 0; k < AG_STORE_KIND__COUNT; k++)
        t->horizon[k] = now;
    t->version = TABLE_VERSION;
    t->magic = TABLE_MAGIC;
    return t;
}

ag_store_table *ag_store_table_attach(void *mem, apr_size_t size)
{
    ag_store_table *t = mem;

    if (size < HEADER_SIZE || t->magic != TABLE_MAGIC ||
        t->version != TABLE_VERSION || t->size != size ||
        t->nslots != ag_store_table_capacity(size))
        return NULL;
    return t;
}

static apr_uint32_t bucket_of(const ag_store_table *t, ag_store_kind kind,
                              const unsigned char *key)
{
    apr_uint32_t h;

    /* Keys are MACs or hashes: their first bytes are already uniform. */
    memcpy(&h, key, sizeof(h));
    h ^= (apr_uint32_t)kind * 0x9e3779b9u;
    return h % t->nslots;
}

static apr_uint32_t find(ag_store_table *t, ag_store_kind kind,
                         const unsigned char *key)
{
    apr_uint32_t n = buckets(t)[bucket_of(t, kind, key)];

    while (n != NIL) {
        slot *s = slot_at(t, n);

        if (s->kind == (apr_uint32_t)kind &&
            memcmp(s->key, key, AG_STORE_KEY_LEN) == 0)
            return n;
        n = s->chain;
    }
    return NIL;
}

static void lru_unlink(ag_store_table *t, apr_uint32_t n)
{
    slot *s = slot_at(t, n);

    if (s->newer != NIL)
        slot_at(t, s->newer)->older = s->older;
    else
        t->head = s->older;
    if (s->older != NIL)
        slot_at(t, s->older)->newer = s->newer;
    else
        t->tail = s->newer;
    s->newer = s->older = NIL;
}

static void lru_push(ag_store_table *t, apr_uint32_t n)
{
    slot *s = slot_at(t, n);

    s->newer = NIL;
    s->older = t->head;
    if (t->head != NIL)
        slot_at(t, t->head)->newer = n;
    t->head = n;
    if (t->tail == NIL)
        t->tail = n;
}

static void touch(ag_store_table *t, apr_uint32_t n)
{
    if (t->head != n) {
        lru_unlink(t, n);
        lru_push(t, n);
    }
}

static void chain_unlink(ag_store_table *t, apr_uint32_t n)
{
    slot *s = slot_at(t, n);
    apr_uint32_t *link = &buckets(t)[bucket_of(t, s->kind, s->key)];

    while (*link != NIL && *link != n)
        link = &slot_at(t, *link)->chain;
    if (*link == n)
        *link = s->chain;
    s->chain = NIL;
}

static int is_expired(const slot *s, apr_time_t now)
{
    return s->rec.expires != 0 && s->rec.expires <= now;
}

/* Drops slot N.  FORGET: whether its stamp goes into the horizon (an
 * eviction or an expiry, not a removal its owner asked for). */
static void drop(ag_store_table *t, apr_uint32_t n, int forget)
{
    slot *s = slot_at(t, n);

    if (forget && s->kind < AG_STORE_KIND__COUNT &&
        s->rec.stamp > t->horizon[s->kind])
        t->horizon[s->kind] = s->rec.stamp;
    chain_unlink(t, n);
    lru_unlink(t, n);
    s->chain = t->free_head;
    t->free_head = n;
    t->used--;
}

/* A slot for a new record: a free one, one never used, or the least
 * recently used record's. */
static apr_uint32_t take_slot(ag_store_table *t, apr_time_t now)
{
    apr_uint32_t n;

    if (t->free_head == NIL && t->fresh < t->nslots) {
        n = ++t->fresh;
        memset(slot_at(t, n), 0, sizeof(slot));
        return n;
    }
    if (t->free_head == NIL) {
        if (is_expired(slot_at(t, t->tail), now))
            t->expired++;
        else
            t->evictions++;
        drop(t, t->tail, 1);
    }
    n = t->free_head;
    t->free_head = slot_at(t, n)->chain;
    memset(slot_at(t, n), 0, sizeof(slot));
    return n;
}

static void insert(ag_store_table *t, ag_store_kind kind,
                   const unsigned char *key, const ag_store_record *rec,
                   apr_time_t now)
{
    apr_uint32_t n = take_slot(t, now), *bucket;
    slot *s = slot_at(t, n);

    memcpy(s->key, key, AG_STORE_KEY_LEN);
    s->kind = (apr_uint32_t)kind;
    s->rec = *rec;
    bucket = &buckets(t)[bucket_of(t, kind, key)];
    s->chain = *bucket;
    *bucket = n;
    lru_push(t, n);
    t->used++;
}

void ag_store_table_retire(ag_store_table *t)
{
    int k;

    for (k = 0; k < AG_STORE_KIND__COUNT; k++)
        t->horizon[k] = APR_INT64_MAX;
}

apr_status_t ag_store_table_update(ag_store_table *t, ag_store_kind kind,
                                   const unsigned char *key, apr_time_t now,
                                   ag_store_update_fn fn, void *baton)
{
    ag_store_record rec;
    apr_uint32_t n;
    int found;

    if (kind < 0 || kind >= AG_STORE_KIND__COUNT)
        return APR_EINVAL;
    n = find(t, kind, key);
    if (n != NIL && is_expired(slot_at(t, n), now)) {
        t->expired++;
        drop(t, n, 1);
        n = NIL;
    }
    found = n != NIL;
    if (found)
        rec = slot_at(t, n)->rec;
    else
        memset(&rec, 0, sizeof(rec));
    switch (fn(&rec, found, t->horizon[kind], baton)) {
    case AG_STORE_PUT:
        if (found) {
            slot_at(t, n)->rec = rec;
            touch(t, n);
        }
        else
            insert(t, kind, key, &rec, now);
        break;
    case AG_STORE_REMOVE:
        if (found)
            drop(t, n, 0);
        break;
    default:
        if (found)
            touch(t, n);
        break;
    }
    return APR_SUCCESS;
}

void ag_store_table_stats(const ag_store_table *t, ag_store_stats *out)
{
    out->entries = t->used;
    out->capacity = t->nslots;
    out->evictions = t->evictions;
    out->expired = t->expired;
    out->errors = apr_atomic_read32((volatile apr_uint32_t *)&t->errors);
    out->errors_only = 0;
}

void ag_store_table_errors_only(const ag_store_table *t, ag_store_stats *out)
{
    memset(out, 0, sizeof(*out));
    out->errors = apr_atomic_read32((volatile apr_uint32_t *)&t->errors);
    out->errors_only = 1;
}

void ag_store_table_count_error(ag_store_table *t)
{
    apr_atomic_inc32(&t->errors);
}

apr_uint64_t ag_store_table_evictions_to_report(ag_store_table *t,
                                               apr_time_t now,
                                               apr_interval_time_t every)
{
    apr_uint64_t n = t->evictions - t->evictions_reported;

    if (n == 0 || (t->reported_at != 0 && now - t->reported_at < every))
        return 0;
    t->evictions_reported = t->evictions;
    t->reported_at = now;
    return n;
}

/* --- the in-memory store --------------------------------------------------- */

typedef struct {
    ag_store_table *table;
    apr_thread_mutex_t *mutex;
} memory_store;

static apr_status_t memory_update(ag_store *st, ag_store_kind kind,
                                  const unsigned char *key, apr_time_t now,
                                  ag_store_update_fn fn, void *baton)
{
    memory_store *m = st->ctx;
    apr_status_t rv = apr_thread_mutex_lock(m->mutex);

    if (rv != APR_SUCCESS) {
        ag_store_table_count_error(m->table);
        return rv;
    }
    rv = ag_store_table_update(m->table, kind, key, now, fn, baton);
    apr_thread_mutex_unlock(m->mutex);
    return rv;
}

static void memory_stats(ag_store *st, ag_store_stats *out)
{
    memory_store *m = st->ctx;

    if (apr_thread_mutex_lock(m->mutex) != APR_SUCCESS) {
        ag_store_table_errors_only(m->table, out);
        return;
    }
    ag_store_table_stats(m->table, out);
    apr_thread_mutex_unlock(m->mutex);
}

apr_status_t ag_store_memory_create(ag_store **out, apr_size_t size,
                                    apr_time_t now, apr_pool_t *p)
{
    ag_store *st = apr_pcalloc(p, sizeof(*st));
    memory_store *m = apr_pcalloc(p, sizeof(*m));
    void *mem;
    apr_status_t rv;

    if (ag_store_table_capacity(size) == 0)
        return APR_EINVAL;
    mem = apr_palloc(p, size);
    if (mem == NULL)
        return APR_ENOMEM;
    m->table = ag_store_table_init(mem, size, now);
    rv = apr_thread_mutex_create(&m->mutex, APR_THREAD_MUTEX_DEFAULT, p);
    if (rv != APR_SUCCESS)
        return rv;
    st->name = "memory";
    st->update = memory_update;
    st->stats = memory_stats;
    st->ctx = m;
    *out = st;
    return APR_SUCCESS;
}
