/* Two authn providers for t/authn_providers.t, which builds this file and
 * loads it into a server of its own:
 *
 *   deny    denies every user it is asked about (AUTH_DENIED, where a
 *           provider that does not know the user answers
 *           AUTH_USER_NOT_FOUND): a denial must end the walk down a
 *           provider list, as in httpd's mod_auth_basic and
 *           mod_auth_digest;
 *   rename  grants any user whose password is "secret" and names the
 *           request's user "uid=USER" in r->user, as mod_authnz_ldap does
 *           with AuthLDAPRemoteUserAttribute: the name must stay. */
#include <string.h>

#include <apr_strings.h>

#include <httpd.h>
#include <http_config.h>
#include <http_request.h>
#include <ap_provider.h>
#include <mod_auth.h>

static authn_status deny_password(request_rec *r, const char *user,
                                  const char *password)
{
    (void)r;
    (void)user;
    (void)password;
    return AUTH_DENIED;
}

static authn_status deny_realm_hash(request_rec *r, const char *user,
                                    const char *realm, char **hash)
{
    (void)r;
    (void)user;
    (void)realm;
    (void)hash;
    return AUTH_DENIED;
}

static authn_status rename_password(request_rec *r, const char *user,
                                    const char *password)
{
    if (strcmp(password, "secret") != 0)
        return AUTH_USER_NOT_FOUND;
    r->user = apr_pstrcat(r->pool, "uid=", user, NULL);
    return AUTH_GRANTED;
}

static const authn_provider deny_provider = {
    deny_password,
    deny_realm_hash,
};

/* passwords only, as mod_authn_anon and mod_authnz_ldap */
static const authn_provider rename_provider = {
    rename_password,
    NULL,
};

static void register_hooks(apr_pool_t *p)
{
    ap_register_auth_provider(p, AUTHN_PROVIDER_GROUP, "deny",
                              AUTHN_PROVIDER_VERSION, &deny_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
    ap_register_auth_provider(p, AUTHN_PROVIDER_GROUP, "rename",
                              AUTHN_PROVIDER_VERSION, &rename_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
}

AP_DECLARE_MODULE(authn_test) = {
    STANDARD20_MODULE_STUFF,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    register_hooks
};
