/* The `authgate` authn provider: the module's own credential store offered
 * to httpd.
 *
 * check_password: an API key as the Basic password (`AuthBasicProvider
 * authgate` with stock mod_auth_basic, or `AuthGateBasicProvider
 * authgate`), so that tools that speak only Basic (git, curl -u, package
 * managers) can use keys.  The key is looked up as the ApiKey scheme looks
 * it up (AuthGateApiKeyFile, AuthGateApiKeyDBD of the same section), and
 * the Basic user name must be the key's user.
 *
 * get_realm_hash: Digest realm hashes from AuthGateUserFile, for stock
 * mod_auth_digest (`AuthDigestProvider authgate`, MD5) and for the gate's
 * Digest scheme (`AuthGateDigestProvider authgate`), which asks the user
 * file directly for the other algorithms and for userhash. */
#include <string.h>

#include "ag_apikey.h"
#include "mod_authgate.h"

/* Under stock mod_auth_basic nothing else records what the key granted:
 * `Require scope` and AUTHGATE_* see it through this. */
static void note_grant(request_rec *r, const authgate_apikey_match *m)
{
    if (m->id != NULL) {
        apr_table_setn(r->notes, AUTHGATE_NOTE_KEY_ID, m->id);
        apr_table_setn(r->subprocess_env, "AUTHGATE_KEY_ID", m->id);
    }
    if (m->scope != NULL) {
        apr_table_setn(r->notes, AUTHGATE_NOTE_SCOPE, m->scope);
        apr_table_setn(r->subprocess_env, "AUTHGATE_SCOPE", m->scope);
    }
    if (authgate_request_get(r) == NULL) {
        authgate_request_state *st = apr_pcalloc(r->pool, sizeof(*st));

        st->scheme = AG_SCHEME_BASIC;
        st->scope = m->scope;
        ap_set_module_config(r->request_config, &authgate_module, st);
    }
}

static authn_status check_password(request_rec *r, const char *user,
                                   const char *password)
{
    const authgate_dir_conf *conf =
        ap_get_module_config(r->per_dir_config, &authgate_module);
    apr_size_t len = strlen(password);
    authgate_apikey_match m;
    ag_reason reason;

    if (!ag_apikey_key_valid(password, len))
        return AUTH_USER_NOT_FOUND;
    reason = authgate_apikey_lookup(r, conf, password, len, &m);
    if (reason == AG_OK && strcmp(m.user, user) != 0) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      "AG00520: API key %s belongs to another user than "
                      "the Basic user name", m.id != NULL ? m.id : "-");
        return AUTH_DENIED;
    }
    switch (reason) {
    case AG_OK:
        note_grant(r, &m);
        return AUTH_GRANTED;
    case AG_R_APIKEY_UNKNOWN:
        return AUTH_USER_NOT_FOUND;
    case AG_R_BACKEND_UNAVAILABLE:
        return AUTH_GENERAL_ERROR;
    default:
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      "AG00521: API key %s as a Basic password: %s",
                      m.id != NULL ? m.id : "-", ag_reason_name(reason));
        apr_table_setn(r->notes, AUTHGATE_NOTE_REASON,
                       ag_reason_name(reason));
        if (m.id != NULL)
            apr_table_setn(r->notes, AUTHGATE_NOTE_KEY_ID, m.id);
        return AUTH_DENIED;
    }
}

static authn_status get_realm_hash(request_rec *r, const char *user,
                                   const char *realm, char **rethash)
{
    const char *hex = NULL;
    authn_status st = authgate_userfile_get(r, user, realm,
                                            AG_DIGEST_HASH_MD5, &hex);

    if (st == AUTH_USER_FOUND)
        *rethash = apr_pstrdup(r->pool, hex);
    return st;
}

const char *authgate_provider_check(const authgate_dir_conf *conf,
                                    int realm_hash, const char *name,
                                    const ap_directive_t *where,
                                    apr_pool_t *p)
{
    int has = realm_hash ? conf->user_file != NULL
                         : conf->apikey_file != NULL ||
                               conf->apikey_dbd != NULL;

    if (has)
        return NULL;
    return apr_psprintf(p, "%s asks for the authgate provider but no %s "
                        "applies", authgate_directive_at(name, where, p),
                        realm_hash ? "AuthGateUserFile"
                                   : "AuthGateApiKeyFile or "
                                     "AuthGateApiKeyDBD");
}

const authn_provider authgate_authn_provider = {
    check_password,
    get_realm_hash,
};
