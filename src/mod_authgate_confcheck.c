/* Start-up advice on the configuration as written: every section that
 * uses AuthType AuthGate without AuthzSendForbiddenOnFailure On is named
 * once, because there mod_authz_core answers a refused, authenticated
 * request with 401 instead of 403 (SPEC.md, Responses). */
#include <strings.h>

#include "mod_authgate.h"

/* AuthzSendForbiddenOnFailure's value among NODE's direct children, or
 * INHERITED when the section does not set it. */
static int forbidden_setting(const ap_directive_t *node, int inherited)
{
    const ap_directive_t *d;

    for (d = node->first_child; d != NULL; d = d->next)
        if (strcasecmp(d->directive, "AuthzSendForbiddenOnFailure") == 0)
            inherited = d->args != NULL && strcasecmp(d->args, "on") == 0;
    return inherited;
}

static int uses_authgate(const ap_directive_t *node)
{
    const ap_directive_t *d;

    for (d = node->first_child; d != NULL; d = d->next)
        if (strcasecmp(d->directive, "AuthType") == 0 && d->args != NULL &&
            strcasecmp(d->args, AUTHGATE_AUTH_TYPE) == 0)
            return 1;
    return 0;
}

static void walk(const ap_directive_t *node, int forbidden_on, server_rec *s)
{
    for (; node != NULL; node = node->next) {
        int on;

        if (node->first_child == NULL)
            continue;
        on = forbidden_setting(node, forbidden_on);
        if (!on && uses_authgate(node))
            ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                         "AG00005: %s %s at %s:%d uses AuthType AuthGate "
                         "without AuthzSendForbiddenOnFailure On: a request "
                         "that Require refuses after authentication gets "
                         "401 instead of 403", node->directive,
                         node->args ? node->args : "", node->filename,
                         node->line_num);
        walk(node->first_child, on, s);
    }
}

void authgate_check_forbidden_on_failure(server_rec *s)
{
    walk(ap_conftree, 0, s);
}
