/* The ApiKey scheme: a key from `Authorization: ApiKey <key>`, from the
 * AuthGateApiKeyHeader header (X-API-Key) or, where configured, from the
 * AuthGateApiKeyQuery parameter, looked up by its SHA-256 in the
 * AuthGateApiKeyFile records (reloaded when the file changes) and then
 * through AuthGateApiKeyDBD. */
#include <string.h>
#include <strings.h>

#include <apr_lib.h>
#include <apr_strings.h>
#include <http_core.h>
#include <httpd.h>

#include "ag_apikey.h"
#include "ag_apikey_memo.h"
#include "ag_challenge.h"
#include "ag_header.h"
#include "mod_authgate.h"

#define DEFAULT_HEADER "X-API-Key"

/* --- directives ------------------------------------------------------- */

const char *authgate_set_apikey_file(cmd_parms *cmd, void *dconf,
                                     const char *path)
{
    authgate_dir_conf *conf = dconf;

    return authgate_reloader_for(cmd, path, AG_APIKEY_MAX_FILE,
                                 ag_apikey_parse_reload, NULL,
                                 &conf->apikey_file);
}

const char *authgate_set_apikey_header(cmd_parms *cmd, void *dconf,
                                       const char *name)
{
    authgate_dir_conf *conf = dconf;

    if (!ag_header_is_token(name))
        return apr_psprintf(cmd->pool, "%s: '%s' is not a header name",
                            cmd->cmd->name, name);
    if (strcasecmp(name, "Authorization") == 0 ||
        strcasecmp(name, "Proxy-Authorization") == 0)
        return apr_psprintf(cmd->pool, "%s: %s is read anyway "
                            "(Authorization: ApiKey <key>); name another "
                            "header", cmd->cmd->name, name);
    conf->apikey_header = name;
    return NULL;
}

const char *authgate_set_apikey_query(cmd_parms *cmd, void *dconf,
                                      const char *param)
{
    authgate_dir_conf *conf = dconf;
    const char *s;

    if (strcasecmp(param, "off") == 0) {
        conf->apikey_query = "";
        return NULL;
    }
    if (strcasecmp(param, "on") == 0)
        return apr_psprintf(cmd->pool, "%s: name the query parameter "
                            "(for example api_key), or off",
                            cmd->cmd->name);
    for (s = param; *s != '\0'; s++)
        if (!apr_isalnum(*s) && strchr("-._~", *s) == NULL)
            break;
    if (*param == '\0' || *s != '\0')
        return apr_psprintf(cmd->pool, "%s: '%s' is not a plain query "
                            "parameter name (A-Z a-z 0-9 - . _ ~)",
                            cmd->cmd->name, param);
    conf->apikey_query = param;
    return NULL;
}

/* --- where keys come from --------------------------------------------- */

static const char *header_name(const authgate_dir_conf *conf)
{
    return conf->apikey_header != NULL ? conf->apikey_header
                                       : DEFAULT_HEADER;
}

/* A key outside Authorization: in the header, else in the query where
 * configured.  An empty one is malformed. */
static apr_status_t apikey_find_other(request_rec *r,
                                      const authgate_dir_conf *conf,
                                      ag_credentials **out)
{
    const char *key = apr_table_get(r->headers_in, header_name(conf));
    ag_credentials *cred;
    apr_status_t rv;

    if (key == NULL && conf->apikey_query != NULL &&
        conf->apikey_query[0] != '\0') {
        rv = authgate_query_param(r, conf->apikey_query, &key);
        if (rv == APR_EINVAL)
            return rv;
    }
    if (key == NULL)
        return APR_SUCCESS;
    while (*key == ' ' || *key == '\t')
        key++;
    if (*key == '\0')
        return APR_EINVAL;
    cred = apr_pcalloc(r->pool, sizeof(*cred));
    cred->scheme = ag_scheme_name(AG_SCHEME_APIKEY);
    cred->token68 = key;
    cred->params = apr_array_make(r->pool, 1, sizeof(ag_auth_param));
    *out = cred;
    return APR_SUCCESS;
}

/* --- lookups ---------------------------------------------------------- */

/* The connection's memo of its last key (ag_apikey_memo.h), made at its
 * first use; none on an HTTP/2 stream. */
static ag_apikey_memo *connection_memo(request_rec *r)
{
    authgate_conn_state *st = authgate_connection_get(r);

    if (st == NULL)
        return NULL;
    if (st->apikey == NULL)
        st->apikey = ag_apikey_memo_create(r->connection->pool);
    return st->apikey;
}

/* The record S has for KEY: MEMO's (the connection's, or NULL), while S
 * is the store it came from, else S's own, which MEMO then holds. */
static const ag_apikey_record *find_record(request_rec *r,
                                           ag_apikey_memo *memo,
                                           const ag_apikey_store *s,
                                           const char *key, apr_size_t len)
{
    const ag_apikey_record *rec;

    if (memo != NULL && (rec = ag_apikey_memo_get(memo, s, key, len))) {
        ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                      "AG00503: API key found in the connection's memo");
        return rec;
    }
    rec = ag_apikey_find(s, key, len);
    if (memo != NULL && rec != NULL)
        ag_apikey_memo_set(memo, s, key, len, rec);
    return rec;
}

/* The file's verdict on KEY; AG_R_APIKEY_UNKNOWN when it has no record. */
static ag_reason file_lookup(request_rec *r, ag_reloader *rl,
                             const char *key, apr_size_t len,
                             authgate_apikey_match *m)
{
    ag_apikey_memo *memo = connection_memo(r);
    const ag_apikey_store *s;
    const ag_apikey_record *rec;
    ag_reason reason = AG_R_APIKEY_UNKNOWN;

    /* the memo comes while the store is taken */
    if (memo != NULL)
        ag_apikey_memo_prefetch(memo);
    s = authgate_reload_acquire(r, rl, "AuthGateApiKeyFile");
    /* the generation is held until R ends: no copies needed */
    rec = find_record(r, memo, s, key, len);
    if (rec != NULL) {
        m->id = rec->id;
        m->user = rec->user;
        m->scope = rec->scopes[0] != '\0' ? rec->scopes : NULL;
        reason = ag_apikey_check(rec, apr_time_sec(r->request_time));
    }
    return reason;
}

ag_reason authgate_apikey_lookup(request_rec *r,
                                 const authgate_dir_conf *conf,
                                 const char *key, apr_size_t len,
                                 authgate_apikey_match *m)
{
    ag_reason reason = AG_R_APIKEY_UNKNOWN;

    memset(m, 0, sizeof(*m));
    if (conf->apikey_file == NULL && conf->apikey_dbd == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "AG00502: API keys are accepted here but neither "
                      "AuthGateApiKeyFile nor AuthGateApiKeyDBD is set");
        return AG_R_BACKEND_UNAVAILABLE;
    }
    if (conf->apikey_file != NULL)
        reason = file_lookup(r, conf->apikey_file, key, len, m);
    if (reason == AG_R_APIKEY_UNKNOWN && conf->apikey_dbd != NULL)
        reason = authgate_dbd_apikey_lookup(r, conf->apikey_dbd, key, len,
                                            m);
    /* AuthGateRevocationFile lists API key ids too */
    if (reason == AG_OK && authgate_revoked(r, conf, m->id))
        reason = AG_R_REVOKED;
    return reason;
}

/* --- the scheme ------------------------------------------------------- */

/* 1 when the key came from a header (the key header or Authorization)
 * while the query, where this section takes keys, carries one as well (or
 * a malformed one): which of the two the client meant is not the gate's
 * to guess. */
static int also_in_query(request_rec *r, const authgate_dir_conf *conf)
{
    const char *auth = r->proxyreq == PROXYREQ_PROXY ? "Proxy-Authorization"
                                                     : "Authorization";
    const char *q;

    if (conf->apikey_query == NULL || conf->apikey_query[0] == '\0' ||
        (apr_table_get(r->headers_in, header_name(conf)) == NULL &&
         apr_table_get(r->headers_in, auth) == NULL))
        return 0;
    return authgate_query_param(r, conf->apikey_query, &q) != APR_NOTFOUND;
}

static void apikey_authenticate(request_rec *r, const authgate_dir_conf *conf,
                                const ag_credentials *cred,
                                authgate_result *res)
{
    const char *key = cred->token68;
    authgate_apikey_match m;
    apr_size_t len;

    if (key == NULL || !ag_apikey_key_valid(key, len = strlen(key))) {
        res->reason = AG_R_MALFORMED;
        res->status = HTTP_BAD_REQUEST;
        return;
    }
    if (also_in_query(r, conf)) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      "AG00504: an API key in a header and in the query "
                      "parameter %s", conf->apikey_query);
        res->reason = AG_R_MALFORMED;
        res->status = HTTP_BAD_REQUEST;
        return;
    }
    res->reason = authgate_apikey_lookup(r, conf, key, len, &m);
    /* an unknown key's id is what it claims: still worth a log line */
    res->key_id = m.id != NULL ? m.id : ag_apikey_key_id(key, len, r->pool);
    res->user = m.user;
    if (res->reason == AG_OK)
        res->scope = m.scope;
    else if (res->reason == AG_R_BACKEND_UNAVAILABLE)
        res->status = conf->apikey_file == NULL && conf->apikey_dbd == NULL
                          ? HTTP_INTERNAL_SERVER_ERROR
                          : HTTP_SERVICE_UNAVAILABLE;
    else
        res->status = HTTP_UNAUTHORIZED;
}

static void apikey_challenge(request_rec *r, const authgate_dir_conf *conf,
                             ag_reason reason, apr_array_header_t *out)
{
    ag_challenge *c;

    c = ag_challenge_make(ag_scheme_name(AG_SCHEME_APIKEY), r->pool);
    ag_challenge_add_quoted(c, "realm", authgate_realm(r));
    ag_challenge_add_quoted(c, "header", header_name(conf));
    APR_ARRAY_PUSH(out, const char *) = ag_challenge_render(c, r->pool);
}

/* At start: a section that enables ApiKey has a key store. */
static const char *apikey_check(const authgate_dir_conf *conf, apr_pool_t *p)
{
    if (conf->apikey_file == NULL && conf->apikey_dbd == NULL)
        return apr_psprintf(p, "ApiKey is enabled (%s) but no "
                            "AuthGateApiKeyFile or AuthGateApiKeyDBD "
                            "applies", authgate_schemes_origin(conf, p));
    return NULL;
}

const authgate_scheme authgate_scheme_apikey = {
    AG_SCHEME_APIKEY,
    apikey_authenticate,
    apikey_challenge,
    NULL,
    apikey_find_other,
    apikey_check,
};
