/* AuthGateUserFile: the authgate provider's Digest hashes, read through
 * an ag_reloader so a changed file is picked up without a restart and a
 * broken one leaves the last good version in use. */
#include "ag_userfile.h"
#include "mod_authgate.h"

const char *authgate_set_user_file(cmd_parms *cmd, void *dconf,
                                   const char *path)
{
    authgate_dir_conf *conf = dconf;
    const char *full = ap_server_root_relative(cmd->pool, path);
    const char *err = NULL;
    apr_status_t rv;

    if (full == NULL)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": bad path ", path,
                           NULL);
    rv = ag_reloader_create(&conf->user_file, full, AG_USERFILE_MAX,
                            apr_time_from_sec(1), ag_userfile_parse, NULL,
                            &err, cmd->pool);
    if (rv != APR_SUCCESS)
        return apr_psprintf(cmd->pool, "%s: cannot use %s: %s",
                            cmd->cmd->name, full,
                            err != NULL ? err : "cannot read it");
    return NULL;
}

/* The user file in force for R, held until R ends; NULL (logged) when
 * none is configured. */
static const ag_userfile *acquire(request_rec *r)
{
    const authgate_dir_conf *conf =
        ap_get_module_config(r->per_dir_config, &authgate_module);
    ag_reload_event event;
    ag_reload_gen *gen;
    const char *err = NULL;

    if (conf == NULL || conf->user_file == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "AG00430: the authgate provider needs "
                      "AuthGateUserFile here");
        return NULL;
    }
    gen = ag_reloader_acquire(conf->user_file, apr_time_now(), &event, &err);
    if (event == AG_RELOAD_DONE)
        ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                      "AG00431: AuthGateUserFile %s reloaded",
                      ag_reloader_path(conf->user_file));
    else if (event == AG_RELOAD_FAILED)
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "AG00432: AuthGateUserFile %s: %s; the last good "
                      "version stays in use",
                      ag_reloader_path(conf->user_file),
                      err != NULL ? err : "cannot read it");
    ag_reload_release_with(conf->user_file, gen, r->pool);
    return ag_reload_gen_data(gen);
}

authn_status authgate_userfile_get(request_rec *r, const char *user,
                                   const char *realm, ag_digest_hash hash,
                                   const char **hex)
{
    const ag_userfile *f = acquire(r);
    const ag_user_entry *e;

    if (f == NULL)
        return AUTH_GENERAL_ERROR;
    e = ag_userfile_find(f, user, realm);
    if (e == NULL || e->ha1[hash] == NULL)
        return AUTH_USER_NOT_FOUND;
    *hex = e->ha1[hash];
    return AUTH_USER_FOUND;
}

authn_status authgate_userfile_by_userhash(request_rec *r,
                                           const char *userhash,
                                           const char *realm,
                                           ag_digest_hash hash,
                                           const char **user,
                                           const char **hex)
{
    const ag_userfile *f = acquire(r);
    const ag_user_entry *e;

    if (f == NULL)
        return AUTH_GENERAL_ERROR;
    e = ag_userfile_find_userhash(f, hash, userhash, realm);
    if (e == NULL || e->ha1[hash] == NULL)
        return AUTH_USER_NOT_FOUND;
    *user = e->user;
    *hex = e->ha1[hash];
    return AUTH_USER_FOUND;
}
