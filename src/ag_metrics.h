/* The counters of the authgate-status handler: what the gate decided,
 * server-wide.  The block lives in memory every process of the server
 * shares (mod_authgate_metrics.c); the counters are added to atomically
 * and read without a lock, each on its own (a reading may be a moment
 * behind another, never torn).  ag_metrics_render() writes them, and the
 * state store's numbers, as Prometheus text (exposition format 0.0.4). */
#ifndef AG_METRICS_H
#define AG_METRICS_H

#include <apr_pools.h>

#include "ag_reason.h"
#include "ag_scheme.h"
#include "ag_store.h"

/* The scheme slot of a request no scheme of the gate claimed. */
#define AG_METRICS_NO_SCHEME AG_SCHEME__COUNT

typedef struct {
    /* [scheme, or AG_METRICS_NO_SCHEME][0: denied, 1: granted] */
    apr_uint64_t requests[AG_SCHEME__COUNT + 1][2];
    apr_uint64_t denials[AG_R__COUNT];
    apr_uint64_t key_reloads;
    apr_uint64_t token_cache_hits;
    apr_uint64_t token_cache_misses;
} ag_metrics;

/* Adds one to the counter C, atomically. */
void ag_metrics_inc(apr_uint64_t *c);

/* One authentication decision for SCHEME (AG_SCHEME_NONE: none). */
void ag_metrics_request(ag_metrics *m, ag_scheme_id scheme, int granted);

/* One denial for REASON (authentication's, or a final authz refusal). */
void ag_metrics_denial(ag_metrics *m, ag_reason reason);

/* The text of M and of the store's STATS, made in P. */
const char *ag_metrics_render(const ag_metrics *m,
                              const ag_store_stats *stats, apr_pool_t *p);

#endif
