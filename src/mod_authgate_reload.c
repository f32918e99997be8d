/* Files the gate re-reads when they change (ag_reloader in ag_file.h),
 * as a request sees them, and AuthGateRevocationFile. */
#include "ag_file.h"
#include "ag_revocation.h"
#include "mod_authgate.h"

void *authgate_reload_acquire(request_rec *r, struct ag_reloader *rl,
                              const char *what)
{
    ag_reload_event ev;
    const char *err = NULL;
    ag_reload_gen *gen = ag_reloader_acquire(rl, apr_time_now(), &ev, &err);

    if (ev == AG_RELOAD_DONE)
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "AG00301: %s: reloaded", what);
    else if (ev == AG_RELOAD_FAILED)
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "AG00302: %s: %s; the last good version stays in use",
                      what, err ? err : "cannot be used");
    ag_reload_release_with(rl, gen, r->pool);
    return ag_reload_gen_data(gen);
}

const char *authgate_set_revocation_file(cmd_parms *cmd, void *dconf,
                                         const char *path)
{
    authgate_dir_conf *conf = dconf;
    const char *err = NULL;
    const char *full = ap_server_root_relative(cmd->pool, path);

    if (full == NULL)
        return "AuthGateRevocationFile: invalid path";
    if (ag_reloader_create(&conf->revocation, full, AG_REVOCATION_MAX_FILE,
                           apr_time_from_sec(1), ag_revocation_parse, NULL,
                           &err, cmd->pool) != APR_SUCCESS)
        return apr_psprintf(cmd->pool, "AuthGateRevocationFile: %s: %s",
                            full, err);
    return NULL;
}

int authgate_revoked(request_rec *r, const authgate_dir_conf *conf,
                     const char *id)
{
    const ag_revocation *rev;

    if (conf->revocation == NULL || id == NULL)
        return 0;
    rev = authgate_reload_acquire(
        r, conf->revocation,
        apr_pstrcat(r->pool, "AuthGateRevocationFile ",
                    ag_reloader_path(conf->revocation), NULL));
    return ag_revocation_has(rev, id);
}
