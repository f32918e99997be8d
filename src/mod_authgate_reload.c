/* Files the gate re-reads when they change (ag_reloader in ag_file.h),
 * as a request sees them, and AuthGateRevocationFile. */
#include "ag_file.h"
#include "ag_revocation.h"
#include "mod_authgate.h"

const char *authgate_reloader_for(cmd_parms *cmd, const char *path,
                                  apr_size_t max, ag_reload_parse_fn parse,
                                  void *baton, ag_reloader **out)
{
    const char *full = ap_server_root_relative(cmd->pool, path), *key;
    const char *err = NULL;
    void *found = NULL;
    apr_status_t rv;

    if (full == NULL)
        return apr_psprintf(cmd->pool, "%s: invalid path '%s'",
                            cmd->cmd->name, path);
    /* One reloader per directive and file, however many sections name
     * it (a baton makes each use its own: its parse depends on it). */
    key = apr_pstrcat(cmd->temp_pool, "authgate-reloader:", cmd->cmd->name,
                      ":", full, NULL);
    if (baton == NULL)
        apr_pool_userdata_get(&found, key, cmd->pool);
    if (found != NULL) {
        *out = found;
        return NULL;
    }
    rv = ag_reloader_create(out, full, max, apr_time_from_sec(1), parse,
                            baton, &err, cmd->pool);
    if (rv != APR_SUCCESS)
        return apr_psprintf(cmd->pool, "%s: cannot load '%s': %s",
                            cmd->cmd->name, full,
                            err != NULL ? err : "cannot read file");
    if (baton == NULL)
        apr_pool_userdata_set(*out, apr_pstrdup(cmd->pool, key), NULL,
                              cmd->pool);
    return NULL;
}

void *authgate_reload_acquire(request_rec *r, struct ag_reloader *rl,
                              const char *directive)
{
    ag_reload_event ev;
    const char *err = NULL;
    ag_reload_gen *gen = ag_reloader_acquire(rl, apr_time_now(), &ev, &err);

    if (ev == AG_RELOAD_DONE) {
        authgate_metrics_reload();
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "AG00301: %s %s: reloaded", directive,
                      ag_reloader_path(rl));
    }
    else if (ev == AG_RELOAD_FAILED)
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "AG00302: %s %s: %s; the last good version stays in "
                      "use", directive, ag_reloader_path(rl),
                      err ? err : "cannot be used");
    ag_reload_release_with(rl, gen, r->pool);
    return ag_reload_gen_data(gen);
}

const char *authgate_set_revocation_file(cmd_parms *cmd, void *dconf,
                                         const char *path)
{
    authgate_dir_conf *conf = dconf;

    return authgate_reloader_for(cmd, path, AG_REVOCATION_MAX_FILE,
                                 ag_revocation_parse, NULL,
                                 &conf->revocation);
}

const ag_revocation *authgate_revocation(request_rec *r,
                                         const authgate_dir_conf *conf)
{
    if (conf->revocation == NULL)
        return NULL;
    return authgate_reload_acquire(r, conf->revocation,
                                   "AuthGateRevocationFile");
}

int authgate_revoked(request_rec *r, const authgate_dir_conf *conf,
                     const char *id)
{
    if (id == NULL)
        return 0;
    return ag_revocation_has(authgate_revocation(r, conf), id);
}
