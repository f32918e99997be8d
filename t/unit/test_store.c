/* The state store's table: lookups, LRU eviction and its count, expiry,
 * the horizon, kinds; AuthGateStateStore's syntax; the in-memory store. */
#include <string.h>

#include <apr_strings.h>

#include "ag_store.h"
#include "tap.h"

static const char *spec_err(const char *spec, apr_size_t *size)
{
    ag_store_spec s = {NULL, 0};
    const char *err = ag_store_spec_parse(spec, &s, tap_pool());

    if (size != NULL)
        *size = err == NULL ? s.size : 0;
    return err;
}

static void test_spec(void)
{
    apr_size_t size;

    ok(spec_err("shm", &size) == NULL && size == AG_STORE_DEFAULT_SIZE,
       "shm alone: the default size");
    ok(spec_err("SHM:64K", &size) == NULL && size == 64 * 1024, "shm:64K");
    ok(spec_err("shm:16m", &size) == NULL && size == 16 * 1024 * 1024,
       "shm:16m");
    ok(spec_err("shm:1G", &size) == NULL && size == 1024 * 1024 * 1024,
       "shm:1G");
    ok(spec_err("shm:1048576", &size) == NULL && size == 1048576,
       "shm:bytes");
    ok(spec_err("shm:2G", NULL) != NULL, "over the maximum");
    ok(spec_err("shm:99999999999999999999999", NULL) != NULL,
       "a number that overflows");
    ok(spec_err("shm:1K", NULL) != NULL, "under the minimum");
    ok(spec_err("shm:", NULL) != NULL, "no size");
    ok(spec_err("shm:10X", NULL) != NULL, "unknown unit");
    ok(spec_err("shm:10MB", NULL) != NULL, "unit of two letters");
    ok(spec_err("shm:-5M", NULL) != NULL, "negative");
    ok(spec_err("socache:redis:127.0.0.1:6379", NULL) != NULL,
       "socache is not built in");
    ok(spec_err("file:/tmp/x", NULL) != NULL, "unknown store");
}

/* The update function of the tests: the baton says what to do. */
typedef struct {
    ag_store_action action;
    apr_time_t stamp, expires;
    int value;
    int found;          /* out */
    int old;            /* out: the value found */
    apr_time_t horizon; /* out */
} op;

static ag_store_action do_op(ag_store_record *rec, int found,
                             apr_time_t horizon, void *baton)
{
    op *o = baton;

    o->found = found;
    o->horizon = horizon;
    memcpy(&o->old, rec->data, sizeof(int));
    if (o->action == AG_STORE_PUT) {
        rec->stamp = o->stamp;
        rec->expires = o->expires;
        memcpy(rec->data, &o->value, sizeof(int));
    }
    return o->action;
}

static void key_of(int i, unsigned char *key)
{
    /* spread like a MAC: the table hashes on the first bytes */
    apr_uint32_t x = (apr_uint32_t)i * 2654435761u;

    memset(key, 0, AG_STORE_KEY_LEN);
    memcpy(key, &x, sizeof(x));
    memcpy(key + 8, &i, sizeof(i));
}

static op run(ag_store_table *t, ag_store_kind kind, int i,
              ag_store_action action, apr_time_t stamp, apr_time_t now,
              int value)
{
    unsigned char key[AG_STORE_KEY_LEN];
    op o = {action, stamp, now + 1000000, value, -1, 0, 0};

    key_of(i, key);
    ag_store_table_update(t, kind, key, now, do_op, &o);
    return o;
}

static void test_table(void)
{
    apr_size_t size = 64 * 1024, cap = ag_store_table_capacity(size);
    void *mem = apr_pcalloc(tap_pool(), size);
    ag_store_table *t = ag_store_table_init(mem, size, 100);
    ag_store_stats st;
    op o;
    int i, all;

    ok(t != NULL && cap > 300 && cap < 400,
       "64K holds about 350 records (%lu)", (unsigned long)cap);
    ok(ag_store_table_capacity(16) == 0, "a tiny block holds none");
    ok(ag_store_table_attach(mem, size) == t, "attach finds the table");
    ok(ag_store_table_attach(mem, size - 8) == NULL,
       "attach with another size refuses");

    o = run(t, AG_STORE_KIND_NONCE, 1, AG_STORE_KEEP, 0, 200, 0);
    ok(!o.found && o.horizon == 100, "absent; the horizon is the start");
    ag_store_table_stats(t, &st);
    ok(st.entries == 0, "KEEP of an absent record creates nothing");
    o = run(t, AG_STORE_KIND_NONCE, 1, AG_STORE_PUT, 150, 200, 11);
    o = run(t, AG_STORE_KIND_NONCE, 1, AG_STORE_KEEP, 0, 200, 0);
    ok(o.found && o.old == 11, "PUT then found");
    o = run(t, AG_STORE_KIND_FAILURE, 1, AG_STORE_KEEP, 0, 200, 0);
    ok(!o.found, "another kind under the same key is another record");
    o = run(t, AG_STORE_KIND_NONCE, 1, AG_STORE_PUT, 150, 200, 12);
    o = run(t, AG_STORE_KIND_NONCE, 1, AG_STORE_KEEP, 0, 200, 0);
    ok(o.found && o.old == 12, "PUT replaces");
    ag_store_table_stats(t, &st);
    ok(st.entries == 1, "one record");
    o = run(t, AG_STORE_KIND_NONCE, 1, AG_STORE_REMOVE, 0, 200, 0);
    o = run(t, AG_STORE_KIND_NONCE, 1, AG_STORE_KEEP, 0, 200, 0);
    ok(!o.found && o.horizon == 100,
       "REMOVE drops it without moving the horizon");

    /* Fill it: record i has stamp 1000 + i. */
    for (i = 0; i < (int)cap; i++)
        run(t, AG_STORE_KIND_NONCE, i, AG_STORE_PUT, 1000 + i, 300, i);
    ag_store_table_stats(t, &st);
    ok(st.entries == cap && st.evictions == 0, "full, nothing evicted");
    /* Use record 0 so that record 1 is the least recently used. */
    o = run(t, AG_STORE_KIND_NONCE, 0, AG_STORE_KEEP, 0, 300, 0);
    ok(o.found && o.old == 0, "record 0 is there");
    run(t, AG_STORE_KIND_NONCE, 100000, AG_STORE_PUT, 5000, 300, 7);
    ag_store_table_stats(t, &st);
    ok(st.entries == cap && st.evictions == 1, "one more evicts one, counted");
    o = run(t, AG_STORE_KIND_NONCE, 1, AG_STORE_KEEP, 0, 300, 0);
    ok(!o.found, "the least recently used went");
    ok(o.horizon == 1001, "the horizon is the evicted record's stamp");
    o = run(t, AG_STORE_KIND_NONCE, 0, AG_STORE_KEEP, 0, 300, 0);
    ok(o.found, "the one used recently stayed");
    o = run(t, AG_STORE_KIND_FAILURE, 5, AG_STORE_KEEP, 0, 300, 0);
    ok(o.horizon == 100, "other kinds' horizons did not move");
    all = 1;
    for (i = 2; i < (int)cap; i++) {
        o = run(t, AG_STORE_KIND_NONCE, i, AG_STORE_KEEP, 0, 300, 0);
        all = all && o.found && o.old == i;
    }
    ok(all, "every other record is intact");

    /* Expiry: records expire at now + 1000000 of their PUT (300). */
    o = run(t, AG_STORE_KIND_NONCE, 2, AG_STORE_KEEP, 0, 2000000, 0);
    ag_store_table_stats(t, &st);
    ok(!o.found && st.expired == 1 && st.entries == cap - 1,
       "an expired record is dropped when met, counted as expired");
    ok(o.horizon == 1002, "... and its stamp joins the horizon");
    run(t, AG_STORE_KIND_NONCE, 200000, AG_STORE_PUT, 6000, 2000000, 1);
    run(t, AG_STORE_KIND_NONCE, 200001, AG_STORE_PUT, 6001, 2000000, 1);
    ag_store_table_stats(t, &st);
    ok(st.evictions == 1 && st.expired == 2,
       "an expired least-recently-used record makes room as an expiry");
    ag_store_table_count_error(t);
    ag_store_table_stats(t, &st);
    ok(st.errors == 1 && !st.errors_only, "errors are counted");
    ag_store_table_errors_only(t, &st);
    ok(st.errors == 1 && st.errors_only && st.entries == 0 &&
       st.capacity == 0, "errors alone, when the lock is not held");
}

/* A table given up for a new one answers any key it lacks as possibly
 * dropped, and still serves the records it holds. */
static void test_retire(void)
{
    apr_size_t size = 64 * 1024;
    void *mem = apr_pcalloc(tap_pool(), size);
    ag_store_table *t = ag_store_table_init(mem, size, 100);
    op o;

    run(t, AG_STORE_KIND_NONCE, 1, AG_STORE_PUT, 150, 200, 7);
    ag_store_table_retire(t);
    o = run(t, AG_STORE_KIND_NONCE, 2, AG_STORE_KEEP, 0, 300, 0);
    ok(!o.found && o.horizon == APR_INT64_MAX,
       "retired: an unknown key's horizon is the end of time");
    o = run(t, AG_STORE_KIND_NONCE, 1, AG_STORE_KEEP, 0, 300, 0);
    ok(o.found && o.old == 7, "retired: a record it holds is still found");
    run(t, AG_STORE_KIND_NONCE, 3, AG_STORE_REMOVE, 0, 300, 0);
    run(t, AG_STORE_KIND_NONCE, 1, AG_STORE_REMOVE, 0, 300, 0);
    o = run(t, AG_STORE_KIND_NONCE, 1, AG_STORE_KEEP, 0, 300, 0);
    ok(!o.found && o.horizon == APR_INT64_MAX,
       "retired: the horizon stays at the end of time");
}

/* The warning of a full table: evictions reported once per interval,
 * each counted in one report. */
static void test_eviction_report(void)
{
    apr_size_t size = 64 * 1024, cap = ag_store_table_capacity(size);
    void *mem = apr_pcalloc(tap_pool(), size);
    ag_store_table *t = ag_store_table_init(mem, size, 100);
    apr_time_t every = apr_time_from_sec(60), now = apr_time_from_sec(1000);
    int i;

    for (i = 0; i < (int)cap; i++)
        run(t, AG_STORE_KIND_NONCE, i, AG_STORE_PUT, 1000 + i, now, i);
    ok(ag_store_table_evictions_to_report(t, now, every) == 0,
       "full without an eviction: nothing to report");
    for (i = 0; i < 3; i++)
        run(t, AG_STORE_KIND_NONCE, 100000 + i, AG_STORE_PUT, 5000, now, i);
    ok(ag_store_table_evictions_to_report(t, now, every) == 3,
       "three evictions: the first report says three");
    run(t, AG_STORE_KIND_NONCE, 200000, AG_STORE_PUT, 5000, now, 0);
    ok(ag_store_table_evictions_to_report(t, now + every - 1, every) == 0,
       "another within the interval: not reported yet");
    run(t, AG_STORE_KIND_NONCE, 200001, AG_STORE_PUT, 5000, now, 0);
    ok(ag_store_table_evictions_to_report(t, now + every, every) == 2,
       "after the interval: the two since the last report");
    ok(ag_store_table_evictions_to_report(t, now + 3 * every, every) == 0,
       "no eviction since: nothing, however long after");
}

static void test_memory_store(void)
{
    ag_store *st = NULL;
    ag_store_stats stats;
    unsigned char key[AG_STORE_KEY_LEN];
    op o = {AG_STORE_PUT, 1, 0, 42, 0, 0, 0};
    apr_time_t start = 100;

    ok(ag_store_memory_create(&st, 64, start, tap_pool()) != APR_SUCCESS,
       "a store too small to hold anything is refused");
    ok(ag_store_memory_create(&st, AG_STORE_DEFAULT_SIZE, start,
                              tap_pool()) == APR_SUCCESS,
       "in-memory store of the default size");
    st->stats(st, &stats);
    ok(stats.capacity >= 150000,
       "the default size holds %lu records (32 MiB)",
       (unsigned long)stats.capacity);
    key_of(9, key);
    ok(st->update(st, AG_STORE_KIND_NONCE, key, apr_time_now(), do_op, &o) ==
           APR_SUCCESS, "update through the vtable");
    ok(!o.found && o.horizon == start,
       "absent at first; the horizon is the start it was given");
    o.action = AG_STORE_KEEP;
    st->update(st, AG_STORE_KIND_NONCE, key, apr_time_now(), do_op, &o);
    ok(o.found && o.old == 42, "and read back");
    ok(st->update(st, AG_STORE_KIND__COUNT, key, apr_time_now(), do_op,
                  &o) == APR_EINVAL, "an unknown kind is refused");
}

int main(void)
{
    test_spec();
    test_table();
    test_retire();
    test_eviction_report();
    test_memory_store();
    return tap_done();
}
