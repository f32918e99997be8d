/* The Basic scheme (RFC 7617), checked by httpd's authn providers
 * (AuthGateBasicProvider, default "file"), as mod_auth_basic does. */
#include <string.h>

#include <apr_strings.h>

#include "ag_base64.h"
#include "ag_challenge.h"
#include "mod_authgate.h"

const char *authgate_add_basic_provider(cmd_parms *cmd,
                                        authgate_dir_conf *conf,
                                        const char *name)
{
    conf->basic_providers_where = cmd->directive;
    return authgate_authn_list_add(cmd, &conf->basic_providers, name, 0);
}

/* Splits the decoded "user:password"; 0 when it is not of that form. */
static int split_userpass(const unsigned char *raw, apr_size_t len,
                          const char **user, const char **pass,
                          apr_pool_t *p)
{
    const char *colon;

    if (memchr(raw, '\0', len) != NULL)
        return 0;
    colon = strchr((const char *)raw, ':');
    if (colon == NULL || colon == (const char *)raw)
        return 0;
    *user = apr_pstrmemdup(p, (const char *)raw,
                           (apr_size_t)(colon - (const char *)raw));
    *pass = colon + 1;
    return 1;
}

static authn_status check_with_providers(request_rec *r,
                                         const authgate_dir_conf *conf,
                                         const char *user, const char *pass,
                                         const char **provider_name)
{
    authn_provider_list dflt;
    const authn_provider_list *item =
        authgate_authn_list_or_default(conf->basic_providers, &dflt, 0);
    authn_status status = AUTH_USER_NOT_FOUND;

    if (item == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "AG00020: Basic needs an authn provider: load "
                      "mod_authn_file or set AuthGateBasicProvider");
        return AUTH_GENERAL_ERROR;
    }
    for (; item != NULL; item = item->next) {
        /* authn providers read their name from this note */
        apr_table_setn(r->notes, AUTHN_PROVIDER_NAME_NOTE,
                       item->provider_name);
        status = item->provider->check_password(r, user, pass);
        apr_table_unset(r->notes, AUTHN_PROVIDER_NAME_NOTE);
        if (status != AUTH_USER_NOT_FOUND) {
            *provider_name = item->provider_name;
            break;
        }
    }
    return status;
}

static void basic_authenticate(request_rec *r, const authgate_dir_conf *conf,
                               const ag_credentials *cred,
                               authgate_result *res)
{
    unsigned char *raw;
    apr_size_t len;
    const char *user, *pass, *reason;
    authn_status status;

    if (cred->token68 == NULL ||
        ag_base64_decode(cred->token68, strlen(cred->token68), AG_BASE64,
                         &raw, &len, r->pool) != APR_SUCCESS ||
        !split_userpass(raw, len, &user, &pass, r->pool)) {
        res->reason = AG_R_MALFORMED;
        res->status = HTTP_BAD_REQUEST;
        return;
    }
    res->user = user;
    /* as mod_auth_basic: the providers see the user in r->user, and one
     * may replace it with the name the request is to carry (mod_authnz_ldap's
     * AuthLDAPRemoteUserAttribute) */
    r->user = (char *)user;
    status = check_with_providers(r, conf, user, pass, &res->provider);
    if (status == AUTH_GRANTED && r->user != NULL && *r->user != '\0')
        res->user = r->user;
    r->user = NULL;
    switch (status) {
    case AUTH_GRANTED:
        res->reason = AG_OK;
        /* the authgate provider vouched with an API key */
        res->key_id = apr_table_get(r->notes, AUTHGATE_NOTE_KEY_ID);
        res->scope = apr_table_get(r->notes, AUTHGATE_NOTE_SCOPE);
        return;
    case AUTH_USER_NOT_FOUND:
        res->reason = AG_R_BASIC_UNKNOWN_USER;
        return;
    case AUTH_GENERAL_ERROR:
        res->reason = AG_R_BACKEND_UNAVAILABLE;
        res->status = HTTP_SERVICE_UNAVAILABLE;
        return;
    default:
        /* the authgate provider may say why: a revoked or expired key */
        reason = apr_table_get(r->notes, AUTHGATE_NOTE_REASON);
        res->reason = reason != NULL ? ag_reason_from_name(reason)
                                     : AG_R__COUNT;
        if (res->reason == AG_R__COUNT)
            res->reason = AG_R_BASIC_BAD_PASSWORD;
        res->key_id = apr_table_get(r->notes, AUTHGATE_NOTE_KEY_ID);
        return;
    }
}

static void basic_challenge(request_rec *r, const authgate_dir_conf *conf,
                            ag_reason reason, apr_array_header_t *out)
{
    ag_challenge *c;

    c = ag_challenge_make("Basic", r->pool);
    ag_challenge_add_quoted(c, "realm", authgate_realm(r));
    APR_ARRAY_PUSH(out, const char *) = ag_challenge_render(c, r->pool);
}

/* At start: a section that enables Basic has a provider to check
 * passwords with, and the authgate provider, where it is asked, keys. */
static const char *basic_check(const authgate_dir_conf *conf, apr_pool_t *p)
{
    authn_provider_list dflt;
    const authn_provider_list *item =
        authgate_authn_list_or_default(conf->basic_providers, &dflt, 0);

    if (item == NULL)
        return apr_psprintf(p, "Basic is enabled (%s) but no "
                            "AuthGateBasicProvider applies and the default "
                            "provider, file, is not loaded (mod_authn_file)",
                            authgate_schemes_origin(conf, p));
    for (; item != NULL; item = item->next)
        if (item->provider == &authgate_authn_provider)
            return authgate_provider_check(conf, 0, "AuthGateBasicProvider",
                                           conf->basic_providers_where, p);
    return NULL;
}

const authgate_scheme authgate_scheme_basic = {
    AG_SCHEME_BASIC,
    basic_authenticate,
    basic_challenge,
    NULL,
    NULL,
    basic_check,
};
