/* Start-up advice on the configuration as written.
 *
 * Every section that uses AuthType AuthGate without
 * AuthzSendForbiddenOnFailure On is named once, because there
 * mod_authz_core answers a refused, authenticated request with 401
 * instead of 403 (SPEC.md, Responses).  Both settings are inherited by
 * the sections written inside a section (<Files> in <Directory>); a
 * section that changes either, to AuthGate without On, is named.
 *
 * A configuration with per-directory AuthGate directives but no
 * AuthType AuthGate anywhere, no .htaccess that may set it and no use of
 * the authgate provider gets them all for nothing: the first is named.
 * Whether one section's directives reach a section of AuthType AuthGate
 * is not judged: <Location /api/v2> inherits from <Location /api>, which
 * the tree does not show.
 *
 * Values are read as httpd reads them, quoted or not. */
#include <strings.h>

#include "mod_authgate.h"

/* The first argument of D as httpd reads it (quotes taken off), or "". */
static const char *first_arg(const ap_directive_t *d, apr_pool_t *p)
{
    const char *args = d->args != NULL ? d->args : "";

    return ap_getword_conf(p, &args);
}

/* The last value that NODE's direct children give directive NAME, as
 * 1 when it is VALUE (in any case) and 0 when it is another, or INHERITED
 * when none sets it; *SETS tells whether one did. */
static int setting(const ap_directive_t *node, const char *name,
                   const char *value, int inherited, int *sets,
                   apr_pool_t *p)
{
    const ap_directive_t *d;

    for (d = node->first_child; d != NULL; d = d->next)
        if (strcasecmp(d->directive, name) == 0) {
            inherited = strcasecmp(first_arg(d, p), value) == 0;
            *sets = 1;
        }
    return inherited;
}

static void walk(const ap_directive_t *node, int gate_above, int on_above,
                 server_rec *s, apr_pool_t *p)
{
    for (; node != NULL; node = node->next) {
        int sets = 0, gate, on;

        if (node->first_child == NULL)
            continue;
        gate = setting(node, "AuthType", AUTHGATE_AUTH_TYPE, gate_above,
                       &sets, p);
        on = setting(node, "AuthzSendForbiddenOnFailure", "on", on_above,
                     &sets, p);
        if (gate && !on && sets)
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                         "AG00005: %s %s at %s:%d uses AuthType AuthGate "
                         "without AuthzSendForbiddenOnFailure On: a request "
                         "that Require refuses after authentication gets "
                         "401 instead of 403", node->directive,
                         node->args ? node->args : "", node->filename,
                         node->line_num);
        walk(node->first_child, gate, on, s, p);
    }
}

void authgate_check_forbidden_on_failure(server_rec *s, apr_pool_t *p)
{
    walk(ap_conftree, 0, 0, s, p);
}

/* --- AuthGate directives that nothing uses -------------------------------- */

typedef struct {
    int gate;       /* AuthType AuthGate is set somewhere */
    int other_use;  /* .htaccess may set it, or the authgate provider,
                     * which reads the directives, is named */
    const ap_directive_t *first;    /* the first per-directory AuthGate
                                     * directive */
    int count;      /* how many there are */
} gate_usage;

/* Whether WORD is one of the words of ARGS, in any case. */
static int has_word(const char *args, const char *word, apr_pool_t *p)
{
    const char *w;

    if (args == NULL)
        return 0;
    while (*(w = ap_getword_conf(p, &args)) != '\0')
        if (strcasecmp(w, word) == 0)
            return 1;
    return 0;
}

/* Whether NAME is one of this module's directives that a directory
 * configuration takes. */
static int per_directory(const char *name)
{
    const command_rec *cmd;

    for (cmd = authgate_module.cmds; cmd->name != NULL; cmd++)
        if (strcasecmp(cmd->name, name) == 0)
            return (cmd->req_override & (OR_AUTHCFG | ACCESS_CONF)) != 0;
    return 0;
}

static void survey(const ap_directive_t *node, gate_usage *u, apr_pool_t *p)
{
    for (; node != NULL; node = node->next) {
        const char *name = node->directive;

        if (strcasecmp(name, "AuthType") == 0)
            u->gate |= strcasecmp(first_arg(node, p), AUTHGATE_AUTH_TYPE) == 0;
        else if (strcasecmp(name, "AllowOverride") == 0)
            u->other_use |= has_word(node->args, "All", p) ||
                            has_word(node->args, "AuthConfig", p);
        else if (strcasecmp(name, "AllowOverrideList") == 0)
            u->other_use |= has_word(node->args, "AuthType", p);
        else if (strncasecmp(name, "AuthGate", 8) == 0) {
            if (per_directory(name) && u->count++ == 0)
                u->first = node;
        }
        /* AuthBasicProvider, AuthDigestProvider, <AuthnProviderAlias>,
         * AuthnCacheProvideFor: stock modules that call the provider */
        else if (ap_strcasestr(name, "Provide") != NULL)
            u->other_use |= has_word(node->args, AUTHGATE_PROVIDER_NAME, p);
        survey(node->first_child, u, p);
    }
}

void authgate_check_unused_directives(server_rec *s, apr_pool_t *p)
{
    gate_usage u = {0};

    survey(ap_conftree, &u, p);
    if (u.first == NULL || u.gate || u.other_use)
        return;
    ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                 "AG00006: %s at %s:%d%s: no section sets AuthType AuthGate, "
                 "no .htaccess may (AllowOverride AuthConfig) and no "
                 "provider line names authgate, so %s", u.first->directive,
                 u.first->filename, u.first->line_num,
                 u.count > 1 ? apr_psprintf(p, " and %d more AuthGate "
                                            "directives", u.count - 1) : "",
                 u.count > 1 ? "they have no effect" : "it has no effect");
}
