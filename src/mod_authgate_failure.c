/* AuthGateFailureLimit: a client address that sends too many failed
 * credentials is answered 429, good credentials included, for a while.
 * The counts live in the state store (ag_failure.h), so every process of
 * the server counts into one; a store that cannot answer fails closed
 * (503), as it does for Digest. */
#include <apr_strings.h>
#include <http_request.h>

#include "ag_failure.h"
#include "mod_authgate.h"

/* "AuthGateFailureLimit off" in a section: set, and no limit. */
static const ag_failure_limit limit_off = {0, 0, 0};

const char *authgate_set_failure_limit(cmd_parms *cmd, void *dconf, int argc,
                                       char *const argv[])
{
    authgate_dir_conf *conf = dconf;
    const ag_failure_limit *lim;
    const char *err = ag_failure_limit_parse(argc, (const char *const *)argv,
                                             &lim, cmd->pool);

    if (err != NULL)
        return apr_psprintf(cmd->pool, "%s: %s", cmd->cmd->name, err);
    conf->failure_limit = lim != NULL ? lim : &limit_off;
    return NULL;
}

/* The limit in force for R under CONF, or NULL.  Only the request the
 * client sent counts and is judged: a subrequest or an internal redirect
 * (an ErrorDocument) goes with it. */
static const ag_failure_limit *limit_of(request_rec *r,
                                        const authgate_dir_conf *conf)
{
    const ag_failure_limit *lim = conf->failure_limit;

    if (lim == NULL || lim->count == 0 || !ap_is_initial_req(r))
        return NULL;
    return lim;
}

typedef struct {
    const ag_failure_limit *lim;
    apr_time_t now;
    int add;              /* count a failure (else only look) */
    unsigned locked_for;  /* out */
} failure_op;

static ag_store_action failure_update(ag_store_record *rec, int found,
                                      apr_time_t horizon, void *baton)
{
    failure_op *op = baton;

    if (!op->add) {
        op->locked_for = ag_failure_locked_for(rec, found, op->now);
        return AG_STORE_KEEP;
    }
    op->locked_for = ag_failure_add(rec, found, op->lim, op->now);
    return AG_STORE_PUT;
}

/* Runs OP on R's client's record: APR_SUCCESS, or why the store could
 * not answer (logged). */
static apr_status_t run(request_rec *r, failure_op *op)
{
    ag_store *store = authgate_state_store();
    unsigned char key[AG_STORE_KEY_LEN];
    apr_status_t rv;

    ag_failure_key(r->useragent_ip, op->lim, key);
    rv = store->update(store, AG_STORE_KIND_FAILURE, key, op->now,
                       failure_update, op);
    if (rv != APR_SUCCESS)
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      "AG00602: the state store did not answer: "
                      "AuthGateFailureLimit cannot count");
    return rv;
}

apr_status_t authgate_failure_locked(request_rec *r,
                                     const authgate_dir_conf *conf,
                                     unsigned *seconds)
{
    failure_op op = {0};
    apr_status_t rv;

    *seconds = 0;
    op.lim = limit_of(r, conf);
    if (op.lim == NULL)
        return APR_SUCCESS;
    op.now = apr_time_now();
    rv = run(r, &op);
    *seconds = op.locked_for;
    return rv;
}

apr_status_t authgate_failure_note(request_rec *r,
                                   const authgate_dir_conf *conf,
                                   ag_reason reason, unsigned *seconds)
{
    failure_op op = {0};
    apr_status_t rv;

    *seconds = 0;
    op.lim = limit_of(r, conf);
    if (op.lim == NULL || !ag_failure_counts(reason))
        return APR_SUCCESS;
    op.now = apr_time_now();
    op.add = 1;
    rv = run(r, &op);
    *seconds = op.locked_for;
    if (rv == APR_SUCCESS && op.locked_for > 0)
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "AG00603: client %s locked out for %u s: more than "
                      "%u failed credentials within %u s (the last: %s)",
                      r->useragent_ip, op.locked_for, op.lim->count,
                      op.lim->seconds, ag_reason_name(reason));
    return rv;
}
