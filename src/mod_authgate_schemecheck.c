/* At start (and in `apachectl configtest`): every section that uses
 * AuthType AuthGate has, for each scheme it enables, something to check
 * the credentials against (authgate_scheme.check), else the start stops
 * naming the section and the file and line it opens on.  So has a section
 * of stock AuthType Basic or Digest whose own AuthBasicProvider or
 * AuthDigestProvider line names the authgate provider: what that provider
 * reads must apply there, or each request would be a 500 (AG00502,
 * AG00430).  A provider line inherited from an enclosing section, or
 * written inside <IfModule> and the like, is left to that 500.
 *
 * A section's configuration is merged the way a request for the section's
 * own path would see it: the server's defaults, then every section of the
 * same kind (<Location> or <Directory>) before it whose path is a prefix
 * of its own.  Regex sections stand alone. */
#include <string.h>

#include <apr_optional.h>

#include "mod_authgate.h"

/* 1 when the section path PARENT applies to the path CHILD. */
static int path_contains(const char *parent, const char *child)
{
    apr_size_t n = strlen(parent);

    if (strncmp(parent, child, n) != 0)
        return 0;
    return n == 0 || parent[n - 1] == '/' || child[n] == '\0' ||
           child[n] == '/';
}

static ap_conf_vector_t *merged_section(apr_pool_t *p, server_rec *s,
                                        apr_array_header_t *sections, int i)
{
    ap_conf_vector_t **secs = (ap_conf_vector_t **)sections->elts;
    core_dir_config *own = ap_get_core_module_config(secs[i]);
    ap_conf_vector_t *merged = s->lookup_defaults;
    int j;

    if (own->r != NULL || own->d == NULL)
        return ap_merge_per_dir_configs(p, merged, secs[i]);
    for (j = 0; j <= i; j++) {
        core_dir_config *other = ap_get_core_module_config(secs[j]);

        if (other->r == NULL && other->d != NULL &&
            path_contains(other->d, own->d))
            merged = ap_merge_per_dir_configs(p, merged, secs[j]);
    }
    return merged;
}

const char *authgate_directive_at(const char *name, const ap_directive_t *d,
                                  apr_pool_t *p)
{
    if (d == NULL || d->filename == NULL)    /* not set from a file */
        return name;
    return apr_psprintf(p, "%s at %s:%d", name, d->filename, d->line_num);
}

const char *authgate_schemes_origin(const authgate_dir_conf *conf,
                                    apr_pool_t *p)
{
    if (conf->schemes == NULL)
        return "AuthGateSchemes, whose default is Bearer";
    return authgate_directive_at("AuthGateSchemes", conf->schemes_where, p);
}

/* "<Location /x> (FILE:LINE)" for section I of SECTIONS; without the
 * place when the configuration tree cannot tell it, as the section is
 * still worth naming. */
static const char *section_name(apr_pool_t *p, server_rec *s,
                                apr_array_header_t *sections, int i,
                                int is_dir)
{
    const core_dir_config *own = ap_get_core_module_config(
        ((ap_conf_vector_t **)sections->elts)[i]);
    const ap_directive_t *node =
        authgate_section_node(s, sections, i, is_dir, p);
    const char *name = apr_psprintf(p, "<%s %s%s>",
                                    is_dir ? "Directory" : "Location",
                                    own->r ? "~ " : "", own->d ? own->d : "");

    if (node == NULL || node->filename == NULL)
        return name;
    return apr_psprintf(p, "%s (%s:%d)", name, node->filename,
                        node->line_num);
}

/* 1 when the provider list ARGS (a provider directive's arguments) names
 * the authgate provider. */
static int names_authgate(const char *args, apr_pool_t *p)
{
    const char *word;

    while (*(word = ap_getword_conf(p, &args)) != '\0')
        if (strcmp(word, AUTHGATE_PROVIDER_NAME) == 0)
            return 1;
    return 0;
}

/* The error for a provider line of NODE's own (the section that TYPE, its
 * AuthType, and CONF, its configuration, belong to) that asks the
 * authgate provider for what does not apply there; NULL when none does. */
static const char *check_stock_providers(const ap_directive_t *node,
                                         const char *type,
                                         const authgate_dir_conf *conf,
                                         apr_pool_t *p)
{
    const ap_directive_t *d;
    const char *err;

    for (d = node != NULL ? node->first_child : NULL; d != NULL;
         d = d->next) {
        int basic = strcasecmp(d->directive, "AuthBasicProvider") == 0;

        if (!basic && strcasecmp(d->directive, "AuthDigestProvider") != 0)
            continue;
        if (strcasecmp(type, basic ? "Basic" : "Digest") != 0 ||
            !names_authgate(d->args, p))
            continue;
        err = authgate_provider_check(conf, !basic, d->directive, d, p);
        if (err != NULL)
            return err;
    }
    return NULL;
}

/* The error for section I of SECTIONS (merged into V) with AuthType TYPE,
 * or NULL. */
static const char *check_section(apr_pool_t *p, server_rec *s,
                                 apr_array_header_t *sections, int i,
                                 int is_dir, ap_conf_vector_t *v,
                                 const char *type)
{
    const authgate_dir_conf *conf = ap_get_module_config(v, &authgate_module);
    const apr_array_header_t *schemes;
    const char *err = NULL;
    int k;

    if (strcasecmp(type, AUTHGATE_AUTH_TYPE) != 0)
        return check_stock_providers(
            authgate_section_node(s, sections, i, is_dir, p), type, conf, p);
    schemes = authgate_effective_schemes(conf);
    for (k = 0; k < schemes->nelts && err == NULL; k++) {
        const authgate_scheme *sc =
            authgate_schemes[APR_ARRAY_IDX(schemes, k, ag_scheme_id)];

        if (sc != NULL && sc->check != NULL)
            err = sc->check(conf, p);
    }
    return err;
}

static int check_sections(apr_pool_t *p, server_rec *s,
                          apr_array_header_t *sections, int is_dir,
                          APR_OPTIONAL_FN_TYPE(authn_ap_auth_type) *auth_type)
{
    int i;

    for (i = 0; sections != NULL && i < sections->nelts; i++) {
        ap_conf_vector_t *v = merged_section(p, s, sections, i);
        request_rec fake;
        const char *type, *err;

        memset(&fake, 0, sizeof(fake));
        fake.pool = p;
        fake.server = s;
        fake.per_dir_config = v;
        type = auth_type(&fake);
        if (type == NULL)
            continue;
        err = check_section(p, s, sections, i, is_dir, v, type);
        if (err != NULL) {
            ap_log_error(APLOG_MARK, APLOG_STARTUP | APLOG_EMERG, 0, s,
                         "AG00320: %s: %s",
                         section_name(p, s, sections, i, is_dir), err);
            return HTTP_INTERNAL_SERVER_ERROR;
        }
    }
    return OK;
}

int authgate_check_schemes(apr_pool_t *ptemp, server_rec *s)
{
    APR_OPTIONAL_FN_TYPE(authn_ap_auth_type) *auth_type =
        APR_RETRIEVE_OPTIONAL_FN(authn_ap_auth_type);
    int rv = OK;

    if (auth_type == NULL)      /* no mod_authn_core: no AuthType at all */
        return OK;
    for (; s != NULL && rv == OK; s = s->next) {
        core_server_config *sconf =
            ap_get_core_module_config(s->module_config);

        rv = check_sections(ptemp, s, sconf->sec_url, 0, auth_type);
        if (rv == OK)
            rv = check_sections(ptemp, s, sconf->sec_dir, 1, auth_type);
    }
    return rv;
}
