/* AuthGateUserFile: the authgate provider's Digest hashes, read through
 * an ag_reloader so a changed file is picked up without a restart and a
 * broken one leaves the last good version in use. */
#include "ag_userfile.h"
#include "mod_authgate.h"

const char *authgate_set_user_file(cmd_parms *cmd, void *dconf,
                                   const char *path)
{
    authgate_dir_conf *conf = dconf;

    return authgate_reloader_for(cmd, path, AG_USERFILE_MAX,
                                 ag_userfile_parse, NULL, &conf->user_file);
}

/* The user file in force for R, held until R ends; NULL (logged) when
 * none is configured. */
static const ag_userfile *acquire(request_rec *r)
{
    const authgate_dir_conf *conf =
        ap_get_module_config(r->per_dir_config, &authgate_module);

    if (conf == NULL || conf->user_file == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "AG00430: the authgate provider needs "
                      "AuthGateUserFile here");
        return NULL;
    }
    return authgate_reload_acquire(r, conf->user_file, "AuthGateUserFile");
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
