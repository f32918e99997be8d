/* The gate's authz providers: `Require auth-scheme bearer|apikey|digest|
 * basic…` (which scheme authenticated the request), `Require scope s…`
 * (any of the scopes was granted), `Require claim name:value…` (one of
 * the claims matches). */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "ag_claims.h"
#include "ag_json.h"
#include "ag_jwt.h"
#include "mod_authgate.h"

/* --- refusals ------------------------------------------------------- */

static void log_refusal(request_rec *r, const char *what, ag_reason reason,
                        const char *scheme)
{
    authgate_metrics_denial(reason);
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  "AG00310: Require %s refused reason=%s scheme=%s client=%s "
                  "user=%s", what, ag_reason_name(reason), scheme,
                  r->useragent_ip, r->user);
}

/* A refusal by one of our Require lines: noted for the log, which is
 * written only should the refusal be final (log_final_refusal), and
 * for AUTHGATE_ERROR (the fixups hook takes it back should authz grant).
 * Where the gate did not authenticate R there is nothing to note it in,
 * and it is logged at once. */
static authz_status refuse(request_rec *r, ag_reason reason,
                           const char *what)
{
    authgate_request_state *st = ap_get_module_config(r->request_config,
                                                      &authgate_module);

    apr_table_setn(r->subprocess_env, "AUTHGATE_ERROR",
                   ag_reason_name(reason));
    if (st == NULL) {
        log_refusal(r, what, reason, "-");
        return AUTHZ_DENIED;
    }
    st->refused_reason = reason;
    st->refused_lines = st->refused_lines == NULL
        ? what : apr_pstrcat(r->pool, st->refused_lines, "; ", what, NULL);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  "AG00311: Require %s refused (final unless another line "
                  "grants)", what);
    return AUTHZ_DENIED;
}

/* AUTHED, whose answer is an error or an ErrorDocument: when Require
 * lines of the gate refused it, the one log line of that refusal.  A line
 * that refused inside a <RequireAny> that another line granted is no
 * denial: AUTHED was authorized. */
static void log_final_refusal(request_rec *authed)
{
    authgate_request_state *st = ap_get_module_config(authed->request_config,
                                                      &authgate_module);

    if (st == NULL || st->refused_lines == NULL || st->authorized ||
        st->refusal_logged)
        return;
    st->refusal_logged = 1;
    log_refusal(authed, st->refused_lines, st->refused_reason,
                ag_scheme_lname(st->scheme));
}

int authgate_authz_fixups(request_rec *r)
{
    authgate_request_state *st = ap_get_module_config(r->request_config,
                                                      &authgate_module);

    /* a local ErrorDocument, served by this internal redirect */
    if (r->prev != NULL)
        log_final_refusal(r->prev);
    if (st == NULL)
        return DECLINED;
    st->authorized = 1;
    /* authz granted: what a refused Require line noted does not apply */
    if (st->refused_lines != NULL)
        apr_table_unset(r->subprocess_env, "AUTHGATE_ERROR");
    return DECLINED;
}

void authgate_authz_insert_error_filter(request_rec *r)
{
    log_final_refusal(r);
}

/* --- Require auth-scheme s… ------------------------------------------ */

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
    return refuse(r, AG_R_UNSUPPORTED_SCHEME,
                  apr_pstrcat(r->pool, "auth-scheme ", line, NULL));
}

const authz_provider authgate_authz_auth_scheme = {
    auth_scheme_check,
    auth_scheme_parse,
};

/* --- Require scope s… ------------------------------------------------- */

/* The scopes of a `Require scope` line, parsed once. */
typedef struct {
    apr_array_header_t *scopes;     /* of const char * */
    const char *line;               /* space-separated, for scope="..." */
} scope_require;

static const char *scope_parse(cmd_parms *cmd, const char *line,
                               const void **parsed)
{
    scope_require *req = apr_pcalloc(cmd->pool, sizeof(*req));
    const char *word;

    req->scopes = apr_array_make(cmd->pool, 2, sizeof(const char *));
    while ((word = ap_getword_conf(cmd->pool, &line)) && *word) {
        APR_ARRAY_PUSH(req->scopes, const char *) = word;
        req->line = req->line ? apr_pstrcat(cmd->pool, req->line, " ", word,
                                            NULL)
                              : word;
    }
    if (req->scopes->nelts == 0)
        return "Require scope: name at least one scope";
    *parsed = req;
    return NULL;
}

static authz_status scope_check(request_rec *r, const char *line,
                                const void *parsed)
{
    const scope_require *req = parsed;
    const authgate_request_state *st;
    int i;

    if (r->user == NULL)
        return AUTHZ_DENIED_NO_USER;
    st = authgate_request_get(r);
    for (i = 0; st != NULL && i < req->scopes->nelts; i++)
        if (ag_scope_has(st->scope,
                         APR_ARRAY_IDX(req->scopes, i, const char *)))
            return AUTHZ_GRANTED;
    authgate_bearer_refused(r, req->line);
    return refuse(r, AG_R_INSUFFICIENT_SCOPE,
                  apr_pstrcat(r->pool, "scope ", req->line, NULL));
}

const authz_provider authgate_authz_scope = {
    scope_check,
    scope_parse,
};

/* --- Require claim name:value… ---------------------------------------- */

typedef struct {
    const char *name;
    const char *value;
} claim_require;

static const char *claim_parse(cmd_parms *cmd, const char *line,
                               const void **parsed)
{
    apr_array_header_t *reqs = apr_array_make(cmd->pool, 2,
                                              sizeof(claim_require));
    const char *word;

    while ((word = ap_getword_conf(cmd->pool, &line)) && *word) {
        claim_require *req = apr_array_push(reqs);

        if (ag_claim_requirement_parse(word, &req->name, &req->value,
                                       cmd->pool) != APR_SUCCESS)
            return apr_psprintf(cmd->pool, "Require claim: '%s' is not "
                                "name:value", word);
    }
    if (reqs->nelts == 0)
        return "Require claim: give at least one name:value";
    *parsed = reqs;
    return NULL;
}

const cJSON *authgate_claims_get(authgate_claims *c, apr_pool_t *p)
{
    const char *json;
    apr_size_t len;
    cJSON *parsed;

    if (c->parsed == NULL && c->jwt != NULL) {
        if (ag_jwt_payload(c->jwt, c->jwt_len, &json, &len, p) ==
            APR_SUCCESS &&
            ag_json_parse_object(json, len, &parsed, p) == APR_SUCCESS)
            c->parsed = parsed;
        c->jwt = NULL;          /* tried once */
    }
    return c->parsed;
}

const cJSON *authgate_request_claims(request_rec *r)
{
    authgate_request_state *st = ap_get_module_config(r->request_config,
                                                      &authgate_module);

    return st != NULL ? authgate_claims_get(&st->claims, r->pool) : NULL;
}

static authz_status claim_check(request_rec *r, const char *line,
                                const void *parsed)
{
    const apr_array_header_t *reqs = parsed;
    const cJSON *claims;
    int i;

    if (r->user == NULL)
        return AUTHZ_DENIED_NO_USER;
    claims = authgate_request_claims(r);
    for (i = 0; claims != NULL && i < reqs->nelts; i++) {
        const claim_require *req = &APR_ARRAY_IDX(reqs, i, claim_require);

        if (ag_claim_match(ag_claim_find(claims, req->name), req->value))
            return AUTHZ_GRANTED;
    }
    return refuse(r, AG_R_CLAIM_MISMATCH, "claim");
}

const authz_provider authgate_authz_claim = {
    claim_check,
    claim_parse,
};

void authgate_check_claim_provider(server_rec *s)
{
    const authz_provider *owner = ap_lookup_provider(
        AUTHZ_PROVIDER_GROUP, "claim", AUTHZ_PROVIDER_VERSION);

    if (owner != NULL && owner != &authgate_authz_claim)
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "AG00312: the authz provider 'claim' belongs to another "
                     "module (mod_auth_openidc registers one): `Require "
                     "claim` lines are not mod_authgate's; load mod_authgate "
                     "after that module, or do without one of them");
}
