/* The authgate-status handler (`SetHandler authgate-status`) and the
 * counters behind it, in a block of shared memory that every process of
 * the server adds to (ag_metrics.h).  The block is made once and kept
 * across restarts, so the counters only ever grow while the server runs;
 * a server started anew starts them at 0, as Prometheus expects of a
 * restarted target. */
#include <string.h>

#include <apr_shm.h>
#include <http_protocol.h>

#include "ag_metrics.h"
#include "mod_authgate.h"

#define RETAINED_KEY "mod_authgate-metrics"
/* Changes with the layout of ag_metrics: a new build after a graceful
 * restart starts a block of its own rather than misreading the last. */
#define RETAINED_MAGIC (0x41470000u ^ ((apr_uint32_t)AG_R__COUNT << 8) ^ \
                        (apr_uint32_t)AG_SCHEME__COUNT)

typedef struct {
    apr_uint32_t magic;
    apr_shm_t *shm;
} retained_metrics;

/* This process's view; NULL when there are no counters. */
static ag_metrics *metrics;

int authgate_metrics_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                 apr_pool_t *ptemp, server_rec *s)
{
    retained_metrics *rm;
    apr_status_t rv;

    metrics = NULL;
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG)
        return OK;
    rm = ap_retained_data_get(RETAINED_KEY);
    if (rm == NULL)
        rm = ap_retained_data_create(RETAINED_KEY, sizeof(*rm));
    if (rm->magic != RETAINED_MAGIC) {
        memset(rm, 0, sizeof(*rm));
        rm->magic = RETAINED_MAGIC;
    }
    if (rm->shm == NULL) {
        rv = apr_shm_create(&rm->shm, sizeof(ag_metrics), NULL,
                            s->process->pool);
        if (rv != APR_SUCCESS) {
            /* the gate works without: only authgate-status cannot */
            rm->shm = NULL;
            ap_log_error(APLOG_MARK, APLOG_ERR, rv, s,
                         "AG00701: cannot make the shared memory of the "
                         "authgate-status counters; the handler answers "
                         "503");
            return OK;
        }
        memset(apr_shm_baseaddr_get(rm->shm), 0, sizeof(ag_metrics));
    }
    metrics = apr_shm_baseaddr_get(rm->shm);
    return OK;
}

void authgate_metrics_request(ag_scheme_id scheme, int granted)
{
    if (metrics != NULL)
        ag_metrics_request(metrics, scheme, granted);
}

void authgate_metrics_denial(ag_reason reason)
{
    if (metrics != NULL)
        ag_metrics_denial(metrics, reason);
}

void authgate_metrics_reload(void)
{
    if (metrics != NULL)
        ag_metrics_inc(&metrics->key_reloads);
}

void authgate_metrics_token_cache(int hit)
{
    if (metrics != NULL)
        ag_metrics_inc(hit ? &metrics->token_cache_hits
                           : &metrics->token_cache_misses);
}

int authgate_status_handler(request_rec *r)
{
    ag_store *store = authgate_state_store();
    ag_store_stats stats;

    if (r->handler == NULL || strcmp(r->handler, AUTHGATE_STATUS_HANDLER))
        return DECLINED;
    r->allowed = AP_METHOD_BIT << M_GET;
    if (r->method_number != M_GET)
        return HTTP_METHOD_NOT_ALLOWED;
    if (metrics == NULL)
        return HTTP_SERVICE_UNAVAILABLE;
    store->stats(store, &stats);
    ap_set_content_type(r, "text/plain; version=0.0.4; charset=utf-8");
    apr_table_setn(r->headers_out, "Cache-Control", "no-store");
    if (!r->header_only)
        ap_rputs(ag_metrics_render(metrics, &stats, r->pool), r);
    return OK;
}
