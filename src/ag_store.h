/* The state store: small fixed-size records (Digest nonce-count windows,
 * failure counters) shared by every process and thread of a server.
 *
 * A store is a vtable (mod_md's md_store_t is the model): the shared-memory
 * store of mod_authgate_shm.c, the in-memory store below (unit tests, the
 * tool), and others to come.  Its one operation, update, runs a caller's
 * function on one record under the store's lock, so a check and the write
 * it leads to are one atomic step across processes.
 *
 * ag_store_table is the data structure the shared-memory and in-memory
 * stores have in common: a hash table with a least-recently-used list in
 * one flat block of memory, addressed by index rather than pointer so that
 * it may live in shared memory, and never allocating.  When it is full,
 * the least recently used record goes (an eviction, counted).  For each
 * kind of record it remembers the newest stamp of any record it has
 * dropped, its horizon: a record missing for a key whose stamp is not newer
 * than the horizon may have been there once.  Digest nonces use it so that
 * an evicted nonce is answered stale=true instead of being accepted as
 * new. */
#ifndef AG_STORE_H
#define AG_STORE_H

#include <apr_pools.h>
#include <apr_time.h>

#define AG_STORE_KEY_LEN 16
/* a nonce-count window (ag_nonce.h): its top and 1,024 bits */
#define AG_STORE_DATA_LEN 136

/* Records of different kinds never meet, even under equal keys. */
typedef enum {
    AG_STORE_KIND_NONCE = 0,
    AG_STORE_KIND_FAILURE,
    AG_STORE_KIND_TOKEN,
    AG_STORE_KIND__COUNT
} ag_store_kind;

typedef struct {
    apr_time_t stamp;     /* when what the record is about began (a
                             nonce's issue time); kept in the horizon */
    apr_time_t expires;   /* the record may be dropped from then on */
    unsigned char data[AG_STORE_DATA_LEN];   /* the caller's */
} ag_store_record;

typedef enum {
    AG_STORE_KEEP = 0,    /* leave the record as it was (or absent) */
    AG_STORE_PUT,         /* store *REC (creating the record if absent) */
    AG_STORE_REMOVE       /* drop the record */
} ag_store_action;

/* Runs under the store's lock.  REC holds the record when FOUND, zeros
 * otherwise; HORIZON is the horizon of the record's kind.  The function
 * must not block or call into the store. */
typedef ag_store_action (*ag_store_update_fn)(ag_store_record *rec,
                                              int found, apr_time_t horizon,
                                              void *baton);

typedef struct {
    apr_uint64_t entries;     /* records held now */
    apr_uint64_t capacity;    /* records it can hold */
    apr_uint64_t evictions;   /* live records dropped to make room */
    apr_uint64_t expired;     /* expired records dropped */
    apr_uint64_t errors;      /* updates that failed (lock, I/O) */
    int errors_only;          /* the store could not be locked: only
                               * errors, which needs no lock, was read */
} ag_store_stats;

typedef struct ag_store ag_store;
struct ag_store {
    const char *name;         /* "shm", "memory" */
    /* Runs FN on the record of (KIND, KEY).  Anything but APR_SUCCESS
     * means the store could not answer: FN may not have run, and the
     * caller must fail closed. */
    apr_status_t (*update)(ag_store *st, ag_store_kind kind,
                           const unsigned char *key, apr_time_t now,
                           ag_store_update_fn fn, void *baton);
    void (*stats)(ag_store *st, ag_store_stats *out);
    void *ctx;
};

/* AuthGateStateStore: "shm" or "shm:SIZE" (SIZE in bytes, or with a K, M
 * or G suffix).  The default holds about 178,000 records; beyond the
 * buckets, 4 bytes a record, only the pages of records in use are
 * touched. */
#define AG_STORE_DEFAULT_SIZE ((apr_size_t)32 * 1024 * 1024)
#define AG_STORE_MIN_SIZE ((apr_size_t)64 * 1024)
#define AG_STORE_MAX_SIZE ((apr_size_t)1024 * 1024 * 1024)

typedef struct {
    const char *type;         /* "shm" */
    apr_size_t size;
} ag_store_spec;

/* Parses SPEC into *OUT; NULL on success, else an error message (which
 * the caller prefixes with the directive's name). */
const char *ag_store_spec_parse(const char *spec, ag_store_spec *out,
                                apr_pool_t *p);

/* --- the table ------------------------------------------------------------ */

typedef struct ag_store_table ag_store_table;

/* Records a block of SIZE bytes holds (0 when it is too small). */
apr_size_t ag_store_table_capacity(apr_size_t size);

/* Lays out an empty table in MEM (SIZE bytes), whose horizons start at NOW:
 * whatever came before was never recorded here. */
ag_store_table *ag_store_table_init(void *mem, apr_size_t size,
                                    apr_time_t now);

/* The table already laid out in MEM by ag_store_table_init() of the same
 * SIZE and version of this code, or NULL. */
ag_store_table *ag_store_table_attach(void *mem, apr_size_t size);

/* Gives T up for another table (a new AuthGateStateStore size): from now
 * on a key T does not hold may have been recorded elsewhere, so every
 * horizon moves to the end of time.  Processes that still use T (the
 * children of the last generation, finishing) then answer a nonce first
 * seen in the new table stale=true, instead of taking it for new and
 * letting a count spent there be spent again here.  Records T holds keep
 * working.  The caller holds the lock. */
void ag_store_table_retire(ag_store_table *t);

/* The update operation, without locking: the caller holds the lock. */
apr_status_t ag_store_table_update(ag_store_table *t, ag_store_kind kind,
                                   const unsigned char *key, apr_time_t now,
                                   ag_store_update_fn fn, void *baton);

void ag_store_table_stats(const ag_store_table *t, ag_store_stats *out);

/* Counts a failed update (under no lock: it is atomic). */
void ag_store_table_count_error(ag_store_table *t);
/* OUT with errors alone, read without the lock (which could not be
 * taken), errors_only set. */
void ag_store_table_errors_only(const ag_store_table *t, ag_store_stats *out);

/* For a warning that the table is too small, at most once every EVERY
 * whichever process sees it: the evictions since the last time this
 * returned non-zero, when there are some and EVERY has passed since then
 * (or it never returned non-zero); else 0.  The caller holds the lock. */
apr_uint64_t ag_store_table_evictions_to_report(ag_store_table *t,
                                               apr_time_t now,
                                               apr_interval_time_t every);

/* --- the in-memory store --------------------------------------------------- */

/* A store of SIZE bytes in P's memory, locked for threads: shared by the
 * threads of one process, not by processes.  Its horizons start at NOW, as
 * ag_store_table_init()'s do. */
apr_status_t ag_store_memory_create(ag_store **out, apr_size_t size,
                                    apr_time_t now, apr_pool_t *p);

#endif
