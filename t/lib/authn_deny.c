/* An authn provider, "deny", that denies every user it is asked about
 * (AUTH_DENIED, where a provider that does not know the user answers
 * AUTH_USER_NOT_FOUND): built and loaded by t/provider_denied.t, to check
 * that a denial ends the walk down a provider list, as it does in httpd's
 * own mod_auth_basic and mod_auth_digest. */
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

static const authn_provider deny_provider = {
    deny_password,
    deny_realm_hash,
};

static void register_hooks(apr_pool_t *p)
{
    ap_register_auth_provider(p, AUTHN_PROVIDER_GROUP, "deny",
                              AUTHN_PROVIDER_VERSION, &deny_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
}

AP_DECLARE_MODULE(authn_deny) = {
    STANDARD20_MODULE_STUFF,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    register_hooks
};
