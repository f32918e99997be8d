/* The authgate-status counters and their Prometheus text (ag_metrics.h). */
#include <apr_atomic.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "ag_metrics.h"

void ag_metrics_inc(apr_uint64_t *c)
{
    apr_atomic_inc64(c);
}

void ag_metrics_request(ag_metrics *m, ag_scheme_id scheme, int granted)
{
    int slot = scheme >= 0 && scheme < AG_SCHEME__COUNT
                   ? (int)scheme : AG_METRICS_NO_SCHEME;

    ag_metrics_inc(&m->requests[slot][granted ? 1 : 0]);
}

void ag_metrics_denial(ag_metrics *m, ag_reason reason)
{
    if (reason > AG_OK && reason < AG_R__COUNT)
        ag_metrics_inc(&m->denials[reason]);
}

typedef struct {
    apr_pool_t *p;
    apr_array_header_t *lines;  /* of const char *, each ending in \n */
} out;

static void add(out *o, const char *line)
{
    APR_ARRAY_PUSH(o->lines, const char *) = apr_pstrcat(o->p, line, "\n",
                                                         NULL);
}

static void family(out *o, const char *name, const char *type,
                   const char *help)
{
    add(o, apr_psprintf(o->p, "# HELP %s %s", name, help));
    add(o, apr_psprintf(o->p, "# TYPE %s %s", name, type));
}

static void sample(out *o, const char *name, const char *labels,
                   apr_uint64_t value)
{
    add(o, apr_psprintf(o->p, "%s%s %" APR_UINT64_T_FMT, name,
                        labels != NULL ? labels : "", value));
}

static const char *scheme_label(int slot)
{
    return slot == AG_METRICS_NO_SCHEME ? "none"
                                        : ag_scheme_lname((ag_scheme_id)slot);
}

const char *ag_metrics_render(const ag_metrics *m,
                              const ag_store_stats *stats, apr_pool_t *p)
{
    static const char *const outcome[2] = {"denied", "granted"};
    out o;
    int s, g, r;

    o.p = p;
    o.lines = apr_array_make(p, 64, sizeof(const char *));
    family(&o, "authgate_requests_total", "counter",
           "Authentication decisions of the gate, by scheme and outcome.");
    for (s = 0; s <= AG_METRICS_NO_SCHEME; s++)
        for (g = 1; g >= 0; g--)
            sample(&o, "authgate_requests_total",
                   apr_psprintf(p, "{scheme=\"%s\",outcome=\"%s\"}",
                                scheme_label(s), outcome[g]),
                   apr_atomic_read64((apr_uint64_t *)&m->requests[s][g]));
    family(&o, "authgate_denials_total", "counter",
           "Denials, by reason code.");
    for (r = AG_OK + 1; r < AG_R__COUNT; r++)
        sample(&o, "authgate_denials_total",
               apr_psprintf(p, "{reason=\"%s\"}",
                            ag_reason_name((ag_reason)r)),
               apr_atomic_read64((apr_uint64_t *)&m->denials[r]));
    /* what the store holds is left out when it could not be read */
    if (!stats->errors_only) {
        family(&o, "authgate_store_entries", "gauge",
               "Records in the state store.");
        sample(&o, "authgate_store_entries", NULL, stats->entries);
        family(&o, "authgate_store_evictions_total", "counter",
               "Live records dropped from the full state store.");
        sample(&o, "authgate_store_evictions_total", NULL, stats->evictions);
    }
    family(&o, "authgate_store_errors_total", "counter",
           "State store updates that failed.");
    sample(&o, "authgate_store_errors_total", NULL, stats->errors);
    family(&o, "authgate_key_reloads_total", "counter",
           "Key, user and revocation files re-read after a change, by "
           "each server process.");
    sample(&o, "authgate_key_reloads_total", NULL,
           apr_atomic_read64((apr_uint64_t *)&m->key_reloads));
    family(&o, "authgate_token_cache_hits_total", "counter",
           "Bearer tokens found verified in the cache.");
    sample(&o, "authgate_token_cache_hits_total", NULL,
           apr_atomic_read64((apr_uint64_t *)&m->token_cache_hits));
    family(&o, "authgate_token_cache_misses_total", "counter",
           "Bearer tokens verified because the cache did not hold them.");
    sample(&o, "authgate_token_cache_misses_total", NULL,
           apr_atomic_read64((apr_uint64_t *)&m->token_cache_misses));
    return apr_array_pstrcat(p, o.lines, '\0');
}
