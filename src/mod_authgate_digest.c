/* The Digest scheme (RFC 7616): challenges with self-validating nonces,
 * responses checked against realm hashes from httpd's authn providers
 * (AuthGateDigestProvider, default "file") or the authgate user file, and
 * nonce-counts tracked in the shared state store.
 *
 * The order of the checks is the point: syntax and the uri first (400),
 * then the nonce's MAC (a forged nonce never reaches the store), then the
 * user and the response hash, and only then the nonce's age (stale=true
 * for a right response only) and its count, so that a wrong response can
 * neither use up nor move a nonce's window. */
#include <string.h>
#include <strings.h>

#include <apr_lib.h>
#include <apr_strings.h>
#include <apr_uri.h>

#include <http_core.h>

#include "ag_challenge.h"
#include "ag_number.h"
#include "mod_authgate.h"

#define DEFAULT_LIFETIME 300                  /* seconds */
#define MAX_LIFETIME (7 * 24 * 3600)
#define DEFAULT_QOP AG_DIGEST_QOP_AUTH
/* Bodies hashed for qop=auth-int are held in memory: at most this. */
#define AUTH_INT_BODY_MAX (64 * 1024)
#define AUTH_INT_READ 8192

static ag_digest_alg default_alg_ids[] = {AG_DIGEST_SHA256, AG_DIGEST_MD5};
static const apr_array_header_t default_algs = {
    NULL, sizeof(ag_digest_alg), 2, 2, (char *)default_alg_ids
};

static const apr_array_header_t *algorithms(const authgate_dir_conf *conf)
{
    return conf->digest_algorithms != NULL ? conf->digest_algorithms
                                           : &default_algs;
}

static int qops(const authgate_dir_conf *conf)
{
    return conf->digest_qop != AUTHGATE_UNSET ? conf->digest_qop
                                              : DEFAULT_QOP;
}

static apr_interval_time_t lifetime(const authgate_dir_conf *conf)
{
    return apr_time_from_sec(conf->nonce_lifetime != AUTHGATE_UNSET
                                 ? conf->nonce_lifetime : DEFAULT_LIFETIME);
}

/* --- directives --------------------------------------------------------- */

const char *authgate_set_digest_provider(cmd_parms *cmd, void *dconf,
                                         const char *name)
{
    authgate_dir_conf *conf = dconf;

    conf->digest_providers_where = cmd->directive;
    return authgate_authn_list_add(cmd, &conf->digest_providers, name, 1);
}

const char *authgate_set_digest_algorithms(cmd_parms *cmd, void *dconf,
                                           int argc, char *const argv[])
{
    authgate_dir_conf *conf = dconf;
    unsigned seen = 0;
    int i;

    if (argc == 0)
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": name at least one algorithm", NULL);
    conf->digest_algorithms = apr_array_make(cmd->pool, argc,
                                             sizeof(ag_digest_alg));
    for (i = 0; i < argc; i++) {
        ag_digest_alg alg = ag_digest_alg_lookup(argv[i]);

        if (alg == AG_DIGEST_NONE)
            return apr_psprintf(cmd->pool,
                                "%s: unknown algorithm '%s' (one of MD5 "
                                "MD5-sess SHA-256 SHA-256-sess SHA-512-256 "
                                "SHA-512-256-sess)", cmd->cmd->name, argv[i]);
        if (seen & (1u << alg))
            return apr_psprintf(cmd->pool, "%s: algorithm '%s' named twice",
                                cmd->cmd->name, argv[i]);
        seen |= 1u << alg;
        APR_ARRAY_PUSH(conf->digest_algorithms, ag_digest_alg) = alg;
    }
    return NULL;
}

const char *authgate_set_digest_qop(cmd_parms *cmd, void *dconf, int argc,
                                    char *const argv[])
{
    authgate_dir_conf *conf = dconf;
    int i;

    if (argc == 0)
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": name auth, auth-int or both", NULL);
    conf->digest_qop = 0;
    for (i = 0; i < argc; i++) {
        ag_digest_qop q = ag_digest_qop_lookup(argv[i]);

        if (q == 0)
            return apr_psprintf(cmd->pool,
                                "%s: unknown qop '%s' (auth or auth-int)",
                                cmd->cmd->name, argv[i]);
        if (conf->digest_qop & q)
            return apr_psprintf(cmd->pool, "%s: qop '%s' named twice",
                                cmd->cmd->name, argv[i]);
        conf->digest_qop |= q;
    }
    return NULL;
}

const char *authgate_set_nonce_lifetime(cmd_parms *cmd, void *dconf,
                                        const char *arg)
{
    authgate_dir_conf *conf = dconf;
    apr_int64_t v;

    if (!ag_number_parse(arg, 1, MAX_LIFETIME, &v))
        return apr_psprintf(cmd->pool, "%s: '%s' is not a number of seconds "
                            "from 1 to %d", cmd->cmd->name, arg,
                            MAX_LIFETIME);
    conf->nonce_lifetime = (int)v;
    return NULL;
}

/* --- where the hashes come from ----------------------------------------- */

static const authn_provider_list *providers(const authgate_dir_conf *conf,
                                            authn_provider_list *dflt)
{
    return authgate_authn_list_or_default(conf->digest_providers, dflt, 1);
}

static int is_authgate_provider(const authn_provider_list *item)
{
    return item->provider == &authgate_authn_provider;
}

/* userhash=true is offered where the authgate provider is asked: it is
 * the one that can find a user by userhash. */
static int userhash_enabled(const authgate_dir_conf *conf)
{
    const authn_provider_list *item;

    for (item = conf->digest_providers; item != NULL; item = item->next)
        if (is_authgate_provider(item))
            return 1;
    return 0;
}

/* The HA1 of REQ's user for REQ's hash, from the first provider that
 * knows the user with a hash of that algorithm. */
static authn_status find_ha1(request_rec *r, const authgate_dir_conf *conf,
                             const ag_digest_request *req, const char *realm,
                             const char **user, const char **ha1,
                             const char **provider)
{
    ag_digest_hash hash = ag_digest_alg_hash(req->alg);
    authn_provider_list dflt;
    const authn_provider_list *item = providers(conf, &dflt);
    authn_status st;

    if (item == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "AG00410: Digest needs an authn provider: load "
                      "mod_authn_file or set AuthGateDigestProvider");
        return AUTH_GENERAL_ERROR;
    }
    for (; item != NULL; item = item->next) {
        char *hex = NULL;

        *user = req->username;
        if (is_authgate_provider(item)) {
            st = req->userhash
                ? authgate_userfile_by_userhash(r, req->username, realm,
                                                hash, user, ha1)
                : authgate_userfile_get(r, req->username, realm, hash, ha1);
        }
        else if (req->userhash)
            continue;       /* only the user file can resolve a userhash */
        else {
            apr_table_setn(r->notes, AUTHN_PROVIDER_NAME_NOTE,
                           item->provider_name);
            st = item->provider->get_realm_hash(r, req->username, realm,
                                                &hex);
            apr_table_unset(r->notes, AUTHN_PROVIDER_NAME_NOTE);
            if (st == AUTH_USER_FOUND &&
                (hex == NULL ||
                 !ag_digest_is_hex(hex, ag_digest_hash_hexlen(hash)))) {
                /* an htdigest file holds MD5 only */
                ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                              "AG00411: provider %s has no %s hash for "
                              "this user", item->provider_name,
                              ag_digest_hash_name(hash));
                st = AUTH_USER_NOT_FOUND;
            }
            *ha1 = hex;
        }
        if (st == AUTH_USER_FOUND) {
            *provider = item->provider_name;
            return st;
        }
        /* a denial is final, as in mod_auth_digest: a later provider
         * that knows the user does not overrule it */
        if (st == AUTH_DENIED) {
            ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                          "AG00420: provider %s denied user %s",
                          item->provider_name, *user);
            return st;
        }
        if (st != AUTH_USER_NOT_FOUND)
            return AUTH_GENERAL_ERROR;
    }
    return AUTH_USER_NOT_FOUND;
}

/* --- qop=auth-int: the body, hashed and kept for the handler ------------ */

typedef struct {
    apr_bucket_brigade *kept;
} kept_body;

/* Moves (or, with COPY, copies) the buckets of KEPT before E to BB. */
static apr_status_t hand_over(apr_bucket_brigade *kept, apr_bucket *e,
                              apr_bucket_brigade *bb, int copy)
{
    apr_bucket *b = APR_BRIGADE_FIRST(kept), *next, *c;
    apr_status_t rv;

    for (; b != APR_BRIGADE_SENTINEL(kept) && b != e; b = next) {
        next = APR_BUCKET_NEXT(b);
        if (!copy) {
            APR_BUCKET_REMOVE(b);
            APR_BRIGADE_INSERT_TAIL(bb, b);
            continue;
        }
        rv = apr_bucket_copy(b, &c);
        if (rv != APR_SUCCESS)
            return rv;
        APR_BRIGADE_INSERT_TAIL(bb, c);
    }
    return APR_SUCCESS;
}

/* The body was read from the connection to hash it: every read of it now
 * comes from what was kept, never from the connection, which may already
 * hold the next request. */
apr_status_t authgate_kept_body_filter(ap_filter_t *f, apr_bucket_brigade *bb,
                                       ap_input_mode_t mode,
                                       apr_read_type_e block,
                                       apr_off_t readbytes)
{
    kept_body *ctx = f->ctx;
    apr_bucket_brigade *line;
    apr_bucket *e;
    apr_status_t rv;

    if (APR_BRIGADE_EMPTY(ctx->kept)) {
        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(f->c->bucket_alloc));
        return APR_SUCCESS;
    }
    switch (mode) {
    case AP_MODE_READBYTES:
    case AP_MODE_SPECULATIVE:
        rv = apr_brigade_partition(ctx->kept, readbytes, &e);
        if (rv != APR_SUCCESS && rv != APR_INCOMPLETE)
            return rv;
        return hand_over(ctx->kept, e, bb, mode == AP_MODE_SPECULATIVE);
    case AP_MODE_GETLINE:
        line = apr_brigade_create(f->r->pool, f->c->bucket_alloc);
        rv = apr_brigade_split_line(line, ctx->kept, APR_BLOCK_READ,
                                    HUGE_STRING_LEN);
        if (rv != APR_SUCCESS)
            return rv;
        APR_BRIGADE_CONCAT(bb, line);
        return APR_SUCCESS;
    default:
        /* EXHAUSTIVE, EATCRLF, INIT: HTTP_IN (ap_http_filter) hands these
         * to the connection, so they never read a request body; here they
         * get its end, and never the connection's next request. */
        APR_BRIGADE_INSERT_TAIL(bb, apr_bucket_eos_create(f->c->bucket_alloc));
        return APR_SUCCESS;
    }
}

/* Reads the whole body (at most AUTH_INT_BODY_MAX bytes), hashes it into
 * OUT and hands it on to the handler through the kept-body filter.  On
 * failure *STATUS is the HTTP status to answer. */
static apr_status_t hash_body(request_rec *r, ag_digest_hash hash, char *out,
                              int *status)
{
    apr_bucket_alloc_t *ba = r->connection->bucket_alloc;
    apr_bucket_brigade *bb = apr_brigade_create(r->pool, ba);
    kept_body *ctx = apr_pcalloc(r->pool, sizeof(*ctx));
    ag_digest_ctx *md;
    apr_size_t total = 0;
    int eos = 0;
    apr_status_t rv;

    ctx->kept = apr_brigade_create(r->pool, ba);
    rv = ag_digest_ctx_make(hash, &md, r->pool);
    if (rv != APR_SUCCESS) {
        *status = HTTP_INTERNAL_SERVER_ERROR;
        return rv;
    }
    while (!eos) {
        rv = ap_get_brigade(r->input_filters, bb, AP_MODE_READBYTES,
                            APR_BLOCK_READ, AUTH_INT_READ);
        if (rv != APR_SUCCESS) {
            *status = ap_map_http_request_error(rv, HTTP_BAD_REQUEST);
            return rv;
        }
        while (!APR_BRIGADE_EMPTY(bb)) {
            apr_bucket *e = APR_BRIGADE_FIRST(bb);
            const char *data;
            apr_size_t len;

            if (APR_BUCKET_IS_EOS(e))
                eos = 1;
            else if (!APR_BUCKET_IS_METADATA(e)) {
                rv = apr_bucket_read(e, &data, &len, APR_BLOCK_READ);
                if (rv == APR_SUCCESS && len > AUTH_INT_BODY_MAX - total)
                    rv = APR_ENOSPC;
                if (rv != APR_SUCCESS) {
                    *status = rv == APR_ENOSPC
                        ? HTTP_REQUEST_ENTITY_TOO_LARGE : HTTP_BAD_REQUEST;
                    return rv;
                }
                total += len;
                ag_digest_ctx_update(md, data, len);
            }
            rv = apr_bucket_setaside(e, r->pool);
            if (rv != APR_SUCCESS && rv != APR_ENOTIMPL) {
                *status = HTTP_INTERNAL_SERVER_ERROR;
                return rv;
            }
            APR_BUCKET_REMOVE(e);
            APR_BRIGADE_INSERT_TAIL(ctx->kept, e);
        }
    }
    ag_digest_ctx_final(md, out);
    ap_add_input_filter(AUTHGATE_KEPT_BODY_FILTER, ctx, r, r->connection);
    return APR_SUCCESS;
}

/* --- the checks ------------------------------------------------------------ */

static request_rec *initial_request(request_rec *r)
{
    for (;;) {
        if (r->main != NULL)
            r = r->main;
        else if (r->prev != NULL)
            r = r->prev;
        else
            return r;
    }
}

static int same_target(const apr_uri_t *a, const apr_uri_t *b)
{
    const char *pa = a->path != NULL && *a->path ? a->path : "/";
    const char *pb = b->path != NULL && *b->path ? b->path : "/";

    if (strcmp(pa, pb) != 0)
        return 0;
    if (a->query == NULL || b->query == NULL)
        return a->query == b->query;
    return strcmp(a->query, b->query) == 0;
}

/* RFC 7616 §3.4: uri is the request-target; the absolute-form and the
 * origin-form of one target are the same target. */
static int uri_matches(request_rec *r, const char *uri)
{
    request_rec *ir = initial_request(r);
    apr_uri_t u, t;

    if (ir->unparsed_uri != NULL && strcmp(uri, ir->unparsed_uri) == 0)
        return 1;
    if (ir->unparsed_uri == NULL ||
        apr_uri_parse(r->pool, uri, &u) != APR_SUCCESS ||
        apr_uri_parse(r->pool, ir->unparsed_uri, &t) != APR_SUCCESS)
        return 0;
    if (u.hostname == NULL && t.hostname == NULL)
        return 0;
    if (u.hostname != NULL && t.hostname != NULL &&
        strcasecmp(u.hostname, t.hostname) != 0)
        return 0;
    return same_target(&u, &t);
}

static int alg_offered(const authgate_dir_conf *conf, ag_digest_alg alg)
{
    const apr_array_header_t *algs = algorithms(conf);
    int i;

    for (i = 0; i < algs->nelts; i++)
        if (APR_ARRAY_IDX(algs, i, ag_digest_alg) == alg)
            return 1;
    return 0;
}

static void refuse(authgate_result *res, ag_reason reason, int status)
{
    res->reason = reason;
    res->status = status;
}

/* Authentication-Info (RFC 7616 §3.5), with nextnonce when less than a
 * fifth of the nonce's lifetime is left.  In err_headers_out, which every
 * answer keeps: mod_proxy replaces headers_out with the origin's, and an
 * error (a 404 after the credentials were good) drops it, while the
 * client still needs rspauth and nextnonce. */
static void add_auth_info(request_rec *r, const authgate_dir_conf *conf,
                          const ag_digest_request *req, const char *rspauth,
                          const ag_nonce_info *info, const char *realm)
{
    const ag_nonce_secret *secret = authgate_nonce_secret();
    apr_interval_time_t life = lifetime(conf);
    const char *next = NULL;

    if (secret != NULL &&
        ag_nonce_time_left(info, life, r->request_time) < life / 5 &&
        ag_nonce_make(secret, realm, apr_time_now(), &next, r->pool) !=
            APR_SUCCESS)
        next = NULL;
    apr_table_setn(r->err_headers_out,
                   r->proxyreq == PROXYREQ_PROXY ? "Proxy-Authentication-Info"
                                                 : "Authentication-Info",
                   ag_digest_auth_info(req, rspauth, next, r->pool));
}

/* The request is a subrequest or an internal redirect of one that Digest
 * let in with these very credentials: its nonce-count is spent already. */
static int initial_granted(request_rec *r)
{
    request_rec *ir = initial_request(r);
    const authgate_request_state *st;
    const char *name = r->proxyreq == PROXYREQ_PROXY ? "Proxy-Authorization"
                                                     : "Authorization";
    const char *a, *b;

    if (ir == r || ir->user == NULL)
        return 0;
    st = authgate_request_get(ir);
    a = apr_table_get(ir->headers_in, name);
    b = apr_table_get(r->headers_in, name);
    return st != NULL && st->scheme == AG_SCHEME_DIGEST && a != NULL &&
           b != NULL && strcmp(a, b) == 0;
}

/* The nonce-count, used once the response verified. */
static void use_count(request_rec *r, const authgate_dir_conf *conf,
                      const ag_digest_request *req,
                      const ag_nonce_info *info, authgate_result *res)
{
    ag_nc_verdict verdict;
    apr_status_t rv;

    rv = ag_nonce_count_use(authgate_state_store(), info, req->nc,
                            info->issued + lifetime(conf), apr_time_now(),
                            &verdict);
    if (rv != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, rv, r,
                      "AG00413: the state store did not answer");
        refuse(res, AG_R_BACKEND_UNAVAILABLE, HTTP_SERVICE_UNAVAILABLE);
        return;
    }
    if (verdict == AG_NC_ACCEPTED)
        return;
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  "AG00414: nonce-count %s: %s", req->nc_text,
                  ag_nc_verdict_name(verdict));
    if (verdict == AG_NC_UNKNOWN)
        refuse(res, AG_R_DIGEST_STALE, HTTP_UNAUTHORIZED);
    else
        refuse(res, AG_R_DIGEST_REPLAY, HTTP_UNAUTHORIZED);
}

/* The connection's memo of its last good nonce (ag_nonce.h), or NULL. */
static ag_nonce_memo *connection_memo(request_rec *r)
{
    authgate_conn_state *st = authgate_connection_get(r);

    if (st == NULL)
        return NULL;
    if (st->nonce == NULL)
        st->nonce = apr_pcalloc(r->connection->pool, sizeof(*st->nonce));
    return st->nonce;
}

/* Syntax, uri, algorithm, qop, realm, opaque and the nonce's MAC: what
 * can be refused without knowing the user.  0 when refused. */
static int check_request(request_rec *r, const authgate_dir_conf *conf,
                         const ag_digest_request *req, const char *realm,
                         const ag_nonce_secret *secret, ag_nonce_info *info,
                         authgate_result *res)
{
    const char *why = NULL;

    if (!uri_matches(r, req->uri)) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      "AG00415: the uri parameter is not this request's");
        refuse(res, AG_R_MALFORMED, HTTP_BAD_REQUEST);
        return 0;
    }
    if (req->alg == AG_DIGEST_NONE || !alg_offered(conf, req->alg))
        why = "an algorithm not offered here";
    else if (!(qops(conf) & req->qop))
        why = "a qop not offered here";
    else if (strcmp(req->realm, realm) != 0)
        why = "another realm";
    else if (req->opaque != NULL &&
             strcmp(req->opaque, ag_nonce_opaque(secret)))
        why = "another opaque";
    else if (ag_nonce_check_memo(connection_memo(r), secret, realm,
                                 req->nonce, info, r->pool) != APR_SUCCESS)
        why = "a nonce not made here (forged, or another realm's)";
    if (why == NULL)
        return 1;
    ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                  "AG00416: Digest response with %s", why);
    refuse(res, AG_R_DIGEST_BAD_RESPONSE, HTTP_UNAUTHORIZED);
    return 0;
}

static void digest_authenticate(request_rec *r, const authgate_dir_conf *conf,
                                const ag_credentials *cred,
                                authgate_result *res)
{
    const ag_nonce_secret *secret = authgate_nonce_secret();
    const char *realm = authgate_realm(r), *why = NULL;
    const char *user = NULL, *ha1 = NULL, *provider = NULL;
    char body[AG_DIGEST_HEX_MAX + 1] = "", rspauth[AG_DIGEST_HEX_MAX + 1];
    ag_digest_request *req;
    ag_nonce_info info;
    int status, initial;

    if (ag_digest_request_parse(cred, &req, &why, r->pool) != APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      "AG00417: malformed Digest credentials: %s", why);
        refuse(res, AG_R_MALFORMED, HTTP_BAD_REQUEST);
        return;
    }
    if (!req->userhash)
        res->user = req->username;
    if (secret == NULL) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "AG00418: no nonce secret: Digest cannot check "
                      "nonces (see AG00405 at start)");
        refuse(res, AG_R_BACKEND_UNAVAILABLE, HTTP_SERVICE_UNAVAILABLE);
        return;
    }
    if (!check_request(r, conf, req, realm, secret, &info, res))
        return;
    switch (find_ha1(r, conf, req, realm, &user, &ha1, &provider)) {
    case AUTH_USER_FOUND:
        break;
    case AUTH_GENERAL_ERROR:
        refuse(res, AG_R_BACKEND_UNAVAILABLE, HTTP_SERVICE_UNAVAILABLE);
        return;
    default:
        refuse(res, AG_R_DIGEST_UNKNOWN_USER, HTTP_UNAUTHORIZED);
        return;
    }
    res->user = user;
    if (req->qop == AG_DIGEST_QOP_AUTH_INT &&
        hash_body(r, ag_digest_alg_hash(req->alg), body, &status) !=
            APR_SUCCESS) {
        refuse(res, AG_R_MALFORMED, status);
        return;
    }
    /* a subrequest of a request let in spends no count and gets no
     * Authentication-Info: it needs no rspauth either.  The method is the
     * client's, which it hashed: a subrequest or an internal redirect is a
     * GET whatever the client sent. */
    initial = initial_granted(r);
    if (!ag_digest_verify_rspauth(req, ha1, initial_request(r)->method, body,
                                  initial ? NULL : rspauth)) {
        refuse(res, AG_R_DIGEST_BAD_RESPONSE, HTTP_UNAUTHORIZED);
        return;
    }
    if (ag_nonce_time_left(&info, lifetime(conf), apr_time_now()) < 0) {
        refuse(res, AG_R_DIGEST_STALE, HTTP_UNAUTHORIZED);
        return;
    }
    if (!initial) {
        use_count(r, conf, req, &info, res);
        if (res->status != 0)
            return;
        add_auth_info(r, conf, req, rspauth, &info, realm);
    }
    res->reason = AG_OK;
    res->provider = provider;
}

/* --- challenges ------------------------------------------------------------ */

static const char *qop_list(int bits)
{
    if (bits == (AG_DIGEST_QOP_AUTH | AG_DIGEST_QOP_AUTH_INT))
        /* no space: LWP reads "auth,auth-int" only */
        return "auth,auth-int";
    return bits == AG_DIGEST_QOP_AUTH_INT ? "auth-int" : "auth";
}

static void digest_challenge(request_rec *r, const authgate_dir_conf *conf,
                             ag_reason reason, apr_array_header_t *out)
{
    const ag_nonce_secret *secret = authgate_nonce_secret();
    const apr_array_header_t *algs = algorithms(conf);
    const char *realm = authgate_realm(r), *nonce, *opaque, *qop;
    ag_challenge *head, *tail;
    int userhash = userhash_enabled(conf), i;

    if (secret == NULL ||
        ag_nonce_make(secret, realm, apr_time_now(), &nonce, r->pool) !=
            APR_SUCCESS) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "AG00418: cannot make a Digest nonce");
        return;
    }
    opaque = ag_nonce_opaque(secret);
    qop = qop_list(qops(conf));
    /* what the challenges share, quoted once: realm and qop before the
     * algorithm, the rest after it */
    head = ag_challenge_make("Digest", r->pool);
    ag_challenge_add_quoted(head, "realm", realm);
    ag_challenge_add_quoted(head, "qop", qop);
    tail = ag_challenge_make("Digest", r->pool);
    ag_challenge_add_quoted(tail, "nonce", nonce);
    ag_challenge_add_quoted(tail, "opaque", opaque);
    ag_challenge_add_token(tail, "charset", "UTF-8");
    if (userhash)
        ag_challenge_add_token(tail, "userhash", "true");
    if (reason == AG_R_DIGEST_STALE)
        ag_challenge_add_token(tail, "stale", "true");
    for (i = 0; i < algs->nelts; i++) {
        ag_challenge *c = ag_challenge_copy(head, r->pool);

        ag_challenge_add_token(c, "algorithm", ag_digest_alg_name(
                                   APR_ARRAY_IDX(algs, i, ag_digest_alg)));
        ag_challenge_append(c, tail);
        APR_ARRAY_PUSH(out, const char *) = ag_challenge_render(c, r->pool);
    }
}

/* At start: a section that enables Digest has somewhere to get realm
 * hashes from, and the authgate provider, where it is asked, a user file. */
static const char *digest_check(const authgate_dir_conf *conf, apr_pool_t *p)
{
    authn_provider_list dflt;
    const authn_provider_list *item = providers(conf, &dflt);

    if (item == NULL)
        return apr_psprintf(p, "Digest is enabled (%s) but no "
                            "AuthGateDigestProvider applies and the default "
                            "provider, file, is not loaded (mod_authn_file)",
                            authgate_schemes_origin(conf, p));
    for (; item != NULL; item = item->next)
        if (is_authgate_provider(item))
            return authgate_provider_check(conf, 1, "AuthGateDigestProvider",
                                           conf->digest_providers_where, p);
    return NULL;
}

const authgate_scheme authgate_scheme_digest = {
    AG_SCHEME_DIGEST,
    digest_authenticate,
    digest_challenge,
    NULL,
    NULL,
    digest_check,
};
