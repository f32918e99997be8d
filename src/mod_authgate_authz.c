/* `Require auth-scheme bearer|apikey|digest|basic…`: which scheme
 * authenticated the request. */
#include <strings.h>

#include <apr_strings.h>

#include "mod_authgate.h"

/* The Require line as a bit set of ag_scheme_id, parsed once. */
static const char *auth_scheme_parse(cmd_parms *cmd, const char *line,
                                     const void **parsed)
{
    unsigned *mask = apr_pcalloc(cmd->pool, sizeof(*mask));
    const char *word;

    while ((word = ap_getword_conf(cmd->temp_pool, &line)) && *word) {
        ag_scheme_id id = ag_scheme_lookup(word);

        if (id == AG_SCHEME_NONE)
            return apr_psprintf(cmd->pool,
                                "Require auth-scheme: unknown scheme '%s' "
                                "(one of bearer apikey digest basic)", word);
        *mask |= 1u << id;
    }
    if (*mask == 0)
        return "Require auth-scheme: name at least one scheme";
    *parsed = mask;
    return NULL;
}

static authz_status auth_scheme_check(request_rec *r, const char *line,
                                      const void *parsed)
{
    const authgate_request_state *st;
    const unsigned *mask = parsed;

    if (r->user == NULL)
        return AUTHZ_DENIED_NO_USER;
    st = authgate_request_get(r);
    if (st != NULL && (*mask & (1u << st->scheme)) != 0)
        return AUTHZ_GRANTED;
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  "AG00030: Require auth-scheme refused scheme=%s client=%s "
                  "user=%s", st ? ag_scheme_lname(st->scheme) : "-",
                  r->useragent_ip, r->user);
    return AUTHZ_DENIED;
}

const authz_provider authgate_authz_auth_scheme = {
    auth_scheme_check,
    auth_scheme_parse,
};
