/* Lists of httpd authn providers (AuthGateBasicProvider,
 * AuthGateDigestProvider), resolved when the directive is read so that a
 * provider that is not loaded, or cannot do what the scheme needs, stops
 * `apachectl -t` with the directive's file and line, as mod_auth_basic and
 * mod_auth_digest do. */
#include "mod_authgate.h"

const char *authgate_authn_list_add(cmd_parms *cmd,
                                    authn_provider_list **list,
                                    const char *name, int realm_hash)
{
    authn_provider_list *item = apr_pcalloc(cmd->pool, sizeof(*item));

    item->provider_name = name;
    item->provider = ap_lookup_provider(AUTHN_PROVIDER_GROUP, name,
                                        AUTHN_PROVIDER_VERSION);
    if (item->provider == NULL)
        return apr_psprintf(cmd->pool,
                            "%s: unknown authn provider '%s' (is its module "
                            "loaded?)", cmd->cmd->name, name);
    if (!realm_hash && item->provider->check_password == NULL)
        return apr_psprintf(cmd->pool,
                            "%s: authn provider '%s' cannot check passwords",
                            cmd->cmd->name, name);
    if (realm_hash && item->provider->get_realm_hash == NULL)
        return apr_psprintf(cmd->pool,
                            "%s: authn provider '%s' cannot supply Digest "
                            "realm hashes", cmd->cmd->name, name);
    while (*list != NULL)
        list = &(*list)->next;
    *list = item;
    return NULL;
}

const authn_provider_list *authgate_authn_list_or_default(
    const authn_provider_list *list, authn_provider_list *dflt,
    int realm_hash)
{
    if (list != NULL)
        return list;
    dflt->provider_name = AUTHGATE_DEFAULT_AUTHN_PROVIDER;
    dflt->provider = ap_lookup_provider(AUTHN_PROVIDER_GROUP,
                                        AUTHGATE_DEFAULT_AUTHN_PROVIDER,
                                        AUTHN_PROVIDER_VERSION);
    dflt->next = NULL;
    if (dflt->provider == NULL ||
        (realm_hash && dflt->provider->get_realm_hash == NULL) ||
        (!realm_hash && dflt->provider->check_password == NULL))
        return NULL;
    return dflt;
}
