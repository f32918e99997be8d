/* Start-up advice on the configuration as written: every section that
 * uses AuthType AuthGate without AuthzSendForbiddenOnFailure On is named
 * once, because there mod_authz_core answers a refused, authenticated
 * request with 401 instead of 403 (SPEC.md, Responses).  Both settings
 * are inherited by the sections written inside a section (<Files> in
 * <Directory>); a section that changes either, to AuthGate without On,
 * is named.  Values are read as httpd reads them, quoted or not. */
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
