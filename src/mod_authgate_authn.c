/* The gate itself: reads the credentials, hands them to their scheme,
 * and answers with the identity or with a denial and its challenges. */
#include <string.h>
#include <strings.h>

#include <http_core.h>
#include <http_protocol.h>

#include "ag_challenge.h"
#include "mod_authgate.h"

static int is_ours(request_rec *r)
{
    const char *type = ap_auth_type(r);

    return type != NULL && strcasecmp(type, AUTHGATE_AUTH_TYPE) == 0;
}

/* Behind a forward proxy the same exchange uses Proxy-* headers and 407. */
static int is_proxy(const request_rec *r)
{
    return r->proxyreq == PROXYREQ_PROXY;
}

/* SPEC.md: AuthGateSchemes defaults to Bearer. */
static ag_scheme_id default_scheme_ids[] = {AG_SCHEME_BEARER};
static const apr_array_header_t default_schemes = {
    NULL, sizeof(ag_scheme_id), 1, 1, (char *)default_scheme_ids
};

const apr_array_header_t *authgate_effective_schemes(
    const authgate_dir_conf *conf)
{
    return conf->schemes != NULL ? conf->schemes : &default_schemes;
}

static int scheme_enabled(const apr_array_header_t *schemes, ag_scheme_id id)
{
    int i;

    for (i = 0; i < schemes->nelts; i++)
        if (APR_ARRAY_IDX(schemes, i, ag_scheme_id) == id)
            return 1;
    return 0;
}

static void set_challenge_headers(request_rec *r,
                                  const apr_array_header_t *challenges)
{
    const char *name = is_proxy(r) ? "Proxy-Authenticate"
                                   : "WWW-Authenticate";
    int i;

    for (i = 0; i < challenges->nelts; i++)
        apr_table_addn(r->err_headers_out, name,
                       APR_ARRAY_IDX(challenges, i, const char *));
}

/* One challenge per enabled scheme, in AuthGateSchemes order; how many
 * there are. */
static int add_challenges(request_rec *r, const authgate_dir_conf *conf,
                          ag_reason reason)
{
    const apr_array_header_t *schemes =
        authgate_effective_schemes(conf);
    apr_array_header_t *out =
        apr_array_make(r->pool, schemes->nelts, sizeof(const char *));
    int i;

    for (i = 0; i < schemes->nelts; i++) {
        const authgate_scheme *s =
            authgate_schemes[APR_ARRAY_IDX(schemes, i, ag_scheme_id)];

        if (s != NULL && s->challenge != NULL)
            s->challenge(r, conf, reason, out);
    }
    set_challenge_headers(r, out);
    return out->nelts;
}

/* One denial, one log line, one reason code. */
static void log_denial(request_rec *r, ag_scheme_id scheme,
                       const authgate_result *res)
{
    authgate_metrics_request(scheme, 0);
    authgate_metrics_denial(res->reason);
    apr_table_setn(r->subprocess_env, "AUTHGATE_ERROR",
                   ag_reason_name(res->reason));
    ap_log_rerror(APLOG_MARK, APLOG_INFO, 0, r,
                  "AG00001: denied reason=%s scheme=%s client=%s user=%s "
                  "key_id=%s%s%s",
                  ag_reason_name(res->reason), ag_scheme_lname(scheme),
                  r->useragent_ip, res->user ? res->user : "-",
                  res->key_id ? res->key_id : "-",
                  res->issuer ? " iss=" : "", res->issuer ? res->issuer : "");
}

/* AuthGateFailureLimit: R's client is locked out for SECONDS more; RES
 * says what it sent, where that is known. */
static int too_many(request_rec *r, ag_scheme_id scheme,
                    const authgate_result *res, unsigned seconds)
{
    authgate_result told = *res;

    told.reason = AG_R_LOCKED_OUT;
    log_denial(r, scheme, &told);
    apr_table_setn(r->err_headers_out, "Retry-After",
                   apr_psprintf(r->pool, "%u", seconds));
    return HTTP_TOO_MANY_REQUESTS;
}

static int deny(request_rec *r, const authgate_dir_conf *conf,
                ag_scheme_id scheme, const authgate_result *res)
{
    authgate_result told = *res;
    int status = res->status != 0 ? res->status : HTTP_UNAUTHORIZED;
    unsigned locked_for;

    /* The failure that makes too many is answered 429 itself; one that
     * cannot be counted is not let go uncounted: 503. */
    if (authgate_failure_note(r, conf, res->reason, &locked_for) !=
        APR_SUCCESS) {
        told.reason = AG_R_BACKEND_UNAVAILABLE;
        status = HTTP_SERVICE_UNAVAILABLE;
    }
    else if (locked_for > 0) {
        return too_many(r, scheme, res, locked_for);
    }

    /* Every 401 carries a challenge.  Where none can be made (Digest
     * alone, and no nonce: AG00418 says why), the client is told to come
     * back rather than given a 401 it cannot answer. */
    if (status == HTTP_UNAUTHORIZED && add_challenges(r, conf,
                                                      res->reason) == 0) {
        told.reason = AG_R_BACKEND_UNAVAILABLE;
        status = HTTP_SERVICE_UNAVAILABLE;
    }
    log_denial(r, scheme, &told);
    if (status == HTTP_SERVICE_UNAVAILABLE)
        apr_table_setn(r->err_headers_out, "Retry-After",
                       AUTHGATE_RETRY_AFTER);
    if (status == HTTP_UNAUTHORIZED)
        return is_proxy(r) ? HTTP_PROXY_AUTHENTICATION_REQUIRED : status;
    if (status == HTTP_BAD_REQUEST && scheme != AG_SCHEME_NONE &&
        authgate_schemes[scheme] != NULL &&
        authgate_schemes[scheme]->bad_request != NULL &&
        scheme_enabled(authgate_effective_schemes(conf), scheme)) {
        /* RFC 6750 §3.1: a malformed Bearer request is told so. */
        apr_array_header_t *out = apr_array_make(r->pool, 1,
                                                 sizeof(const char *));

        authgate_schemes[scheme]->bad_request(r, conf, out);
        set_challenge_headers(r, out);
    }
    return status;
}

static int deny_reason(request_rec *r, const authgate_dir_conf *conf,
                       ag_scheme_id scheme, ag_reason reason, int status)
{
    authgate_result res = {0};

    res.reason = reason;
    res.status = status;
    return deny(r, conf, scheme, &res);
}

/* The scheme named by the first token of an unparsable VALUE, so that a
 * malformed Bearer request still gets its invalid_request challenge. */
static ag_scheme_id guess_scheme(const char *value, apr_pool_t *p)
{
    const char *end;

    while (*value == ' ' || *value == '\t')
        value++;
    end = ap_strchr_c(value, ' ');
    if (end == NULL)
        return ag_scheme_lookup(value);
    return ag_scheme_lookup(apr_pstrmemdup(p, value, end - value));
}

const authgate_request_state *authgate_request_get(const request_rec *r)
{
    return ap_get_module_config(r->request_config, &authgate_module);
}

authgate_conn_state *authgate_connection_get(request_rec *r)
{
    conn_rec *c = r->connection;
    authgate_conn_state *st;

    if (c->master != NULL)
        return NULL;
    st = ap_get_module_config(c->conn_config, &authgate_module);
    if (st == NULL) {
        st = apr_pcalloc(c->pool, sizeof(*st));
        ap_set_module_config(c->conn_config, &authgate_module, st);
    }
    return st;
}

apr_status_t authgate_query_param(request_rec *r, const char *name,
                                  const char **value)
{
    apr_size_t nlen = strlen(name), flen = 0;
    const char *s = r->args, *found = NULL;
    char *v;

    while (s != NULL && *s != '\0') {
        const char *end = ap_strchr_c(s, '&');
        apr_size_t len = end != NULL ? (apr_size_t)(end - s) : strlen(s);

        if (len >= nlen && strncmp(s, name, nlen) == 0 &&
            (len == nlen || s[nlen] == '=')) {
            if (found != NULL || len <= nlen + 1)
                return APR_EINVAL;
            found = s + nlen + 1;
            flen = len - nlen - 1;
        }
        s = end != NULL ? end + 1 : NULL;
    }
    if (found == NULL)
        return APR_NOTFOUND;
    v = apr_pstrmemdup(r->pool, found, flen);
    if (ap_unescape_urlencoded(v) != OK || *v == '\0')
        return APR_EINVAL;
    *value = v;
    return APR_SUCCESS;
}

/* Sets NAME to VALUE in ENV: added without a look at what is there when
 * ENV was empty before the first of these (FRESH), as the names are
 * distinct; replacing any value of the same name otherwise. */
static void set_env(apr_table_t *env, int fresh, const char *name,
                    const char *value)
{
    if (fresh)
        apr_table_addn(env, name, value);
    else
        apr_table_setn(env, name, value);
}

static void grant(request_rec *r, ag_scheme_id scheme,
                  const authgate_result *res)
{
    authgate_request_state *st = apr_pcalloc(r->pool, sizeof(*st));
    apr_table_t *env = r->subprocess_env;
    int fresh = apr_is_empty_table(env);

    authgate_metrics_request(scheme, 1);
    st->scheme = scheme;
    st->scope = res->scope;
    st->claims = res->claims;
    ap_set_module_config(r->request_config, &authgate_module, st);
    r->user = apr_pstrdup(r->pool, res->user);
    r->ap_auth_type = (char *)ag_scheme_name(scheme);
    set_env(env, fresh, "AUTHGATE_SCHEME", ag_scheme_lname(scheme));
    set_env(env, fresh, "AUTHGATE_USER", r->user);
    if (res->scope != NULL)
        set_env(env, fresh, "AUTHGATE_SCOPE", res->scope);
    if (res->key_id != NULL)
        set_env(env, fresh, "AUTHGATE_KEY_ID", res->key_id);
    if (res->provider != NULL)
        apr_table_setn(r->notes, AUTHN_PROVIDER_NAME_NOTE, res->provider);
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  "AG00002: granted scheme=%s user=%s",
                  ag_scheme_lname(scheme), r->user);
}

/* Credentials carried elsewhere than in Authorization: the first enabled
 * scheme that finds some.  APR_EINVAL when one finds malformed ones. */
static apr_status_t find_other(request_rec *r, const authgate_dir_conf *conf,
                               const apr_array_header_t *schemes,
                               ag_scheme_id *id, ag_credentials **cred)
{
    int i;

    for (i = 0; i < schemes->nelts; i++) {
        ag_scheme_id sid = APR_ARRAY_IDX(schemes, i, ag_scheme_id);
        const authgate_scheme *s = authgate_schemes[sid];
        apr_status_t rv;

        if (s == NULL || s->find_other == NULL)
            continue;
        *cred = NULL;
        rv = s->find_other(r, conf, cred);
        if (rv != APR_SUCCESS || *cred != NULL) {
            *id = sid;
            return rv;
        }
    }
    return APR_NOTFOUND;
}

int authgate_check_authn(request_rec *r)
{
    const authgate_dir_conf *conf;
    const apr_array_header_t *schemes;
    const char *value, *why = NULL;
    ag_credentials *cred = NULL;
    ag_scheme_id id = AG_SCHEME_NONE;
    authgate_result res = {0};
    unsigned locked_for;
    apr_status_t rv;

    if (!is_ours(r))
        return DECLINED;
    conf = ap_get_module_config(r->per_dir_config, &authgate_module);
    if (authgate_failure_locked(r, conf, &locked_for) != APR_SUCCESS)
        return deny_reason(r, conf, AG_SCHEME_NONE,
                           AG_R_BACKEND_UNAVAILABLE,
                           HTTP_SERVICE_UNAVAILABLE);
    if (locked_for > 0)
        return too_many(r, AG_SCHEME_NONE, &res, locked_for);
    schemes = authgate_effective_schemes(conf);
    value = apr_table_get(r->headers_in, is_proxy(r) ? "Proxy-Authorization"
                                                     : "Authorization");
    if (value != NULL) {
        if (ag_header_parse(value, &cred, &why, r->pool) != APR_SUCCESS) {
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                          "AG00003: malformed credentials: %s", why);
            return deny_reason(r, conf, guess_scheme(value, r->pool),
                               AG_R_MALFORMED, HTTP_BAD_REQUEST);
        }
        id = ag_scheme_lookup(cred->scheme);
        if (id == AG_SCHEME_NONE || authgate_schemes[id] == NULL ||
            !scheme_enabled(schemes, id))
            return deny_reason(r, conf, id, AG_R_UNSUPPORTED_SCHEME,
                               HTTP_UNAUTHORIZED);
    }
    else {
        rv = find_other(r, conf, schemes, &id, &cred);
        if (rv == APR_NOTFOUND)
            return deny_reason(r, conf, AG_SCHEME_NONE, AG_R_NO_CREDENTIALS,
                               HTTP_UNAUTHORIZED);
        if (rv != APR_SUCCESS)
            return deny_reason(r, conf, id, AG_R_MALFORMED,
                               HTTP_BAD_REQUEST);
    }
    authgate_schemes[id]->authenticate(r, conf, cred, &res);
    if (res.reason != AG_OK)
        return deny(r, conf, id, &res);
    grant(r, id, &res);
    return OK;
}

/* mod_authz_core refused an authenticated user and answers 401
 * (AuthzSendForbiddenOnFailure Off): the 401 carries our challenges. */
int authgate_note_auth_failure(request_rec *r, const char *auth_type)
{
    const authgate_dir_conf *conf;
    const char *reason;
    ag_reason why = AG_R_NO_CREDENTIALS;

    if (auth_type == NULL || strcasecmp(auth_type, AUTHGATE_AUTH_TYPE) != 0)
        return DECLINED;
    conf = ap_get_module_config(r->per_dir_config, &authgate_module);
    reason = apr_table_get(r->subprocess_env, "AUTHGATE_ERROR");
    if (reason != NULL && ag_reason_from_name(reason) != AG_R__COUNT)
        why = ag_reason_from_name(reason);
    add_challenges(r, conf, why);
    return OK;
}

/* A CORS preflight carries no credentials (Fetch standard, "CORS-
 * preflight request"); AuthGatePreflight On lets it through. */
int authgate_preflight(request_rec *r)
{
    const authgate_dir_conf *conf;

    /* a forward proxy's client is no browser page of another origin */
    if (r->method_number != M_OPTIONS || is_proxy(r) || !is_ours(r))
        return DECLINED;
    conf = ap_get_module_config(r->per_dir_config, &authgate_module);
    if (conf->preflight == 0)
        return DECLINED;
    if (apr_table_get(r->headers_in, "Origin") == NULL ||
        apr_table_get(r->headers_in, "Access-Control-Request-Method") == NULL)
        return DECLINED;
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  "AG00004: CORS preflight passes without credentials");
    return OK;
}

/* ap_auth_name() is AuthName as mod_authn_core stores it, escaped for a
 * quoted-string (ap_escape_quotes); the challenge builder quotes the
 * realm itself, so it gets the plain text. */
const char *authgate_realm(request_rec *r)
{
    const char *name = ap_auth_name(r);

    return name != NULL ? ag_unescape(name, r->pool) : AUTHGATE_AUTH_TYPE;
}
