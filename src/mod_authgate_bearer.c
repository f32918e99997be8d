/* The Bearer scheme (RFC 6750) with JWTs: where the tokens come from
 * (Authorization, and ?access_token= where AuthGateBearerQuery allows),
 * the keys and policy of a location, the verified-token cache, and the
 * answers RFC 6750 §3 asks for.  The checks themselves are the pure core's
 * (ag_jwt.c); this file only feeds them. */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include <http_core.h>

#include "ag_challenge.h"
#include "ag_claims.h"
#include "ag_file.h"
#include "ag_hash.h"
#include "ag_jwk.h"
#include "ag_jwt.h"
#include "ag_number.h"
#include "ag_token_cache.h"
#include "ag_token_memo.h"
#include "mod_authgate.h"

/* r->notes between the scheme's functions. */
#define NOTE_ERROR "authgate-bearer-error"
#define NOTE_DESCRIPTION "authgate-bearer-description"
#define NOTE_FROM_QUERY "authgate-bearer-from-query"

#define QUERY_PARAM "access_token"
/* Largest secret file read. */
/* Bounds of AuthGateJWTLeeway (seconds). */

/* A source of keys: a file re-read when it changes, or a fixed set. */
typedef struct {
    ag_reloader *rl;
    const ag_keyset *fixed;
    const char *directive;      /* that names the file, for the log */
} key_source;

struct authgate_bearer_conf {
    apr_uint64_t id;               /* what the cache calls this policy */
    apr_array_header_t *keys;      /* of key_source; NULL: not set here */
    unsigned algs;                 /* AuthGateJWTAlgorithms; 0: not set */
    apr_array_header_t *issuers;   /* of const char * */
    apr_array_header_t *audiences;
    apr_array_header_t *required;
    apr_int64_t leeway;            /* -1: not set */
    apr_int64_t max_size;          /* -1: not set */
    const char *user_claim;
    const char *scope_claim;
    int query;                     /* AUTHGATE_UNSET, 0, 1 */
    apr_array_header_t *claim_env; /* of const char * */
};

/* --- configuration ------------------------------------------------------ */

/* A section's Bearer configuration is named by what it says: each Bearer
 * directive read mixes its name and arguments into the id.  Two sections
 * that say the same thing check tokens alike and may share cache entries;
 * an .htaccess file, read again at every request, keeps its id until its
 * text changes (a counter would give it a new id, and a useless cache
 * entry, at every request). */
static apr_uint64_t text_id(apr_uint64_t id, const cmd_parms *cmd)
{
    const char *parts[2];
    int i;

    parts[0] = cmd->cmd->name;
    parts[1] = cmd->directive != NULL ? cmd->directive->args : "";
    for (i = 0; i < 2; i++) {
        apr_uint64_t h = 0xcbf29ce484222325ULL;     /* FNV-1a */
        const unsigned char *c;

        for (c = (const unsigned char *)parts[i]; *c != '\0'; c++)
            h = (h ^ *c) * 0x100000001b3ULL;
        id = ag_mix64(id, h);
    }
    return id;
}

static authgate_bearer_conf *bearer_of(cmd_parms *cmd, void *dconf)
{
    authgate_dir_conf *conf = dconf;

    if (conf->bearer == NULL) {
        authgate_bearer_conf *bc = apr_pcalloc(cmd->pool, sizeof(*bc));

        bc->id = 1;
        bc->leeway = -1;
        bc->max_size = -1;
        bc->query = AUTHGATE_UNSET;
        conf->bearer = bc;
    }
    conf->bearer->id = text_id(conf->bearer->id, cmd);
    return conf->bearer;
}

#define PICK(field) (add->field != NULL ? add->field : base->field)

/* A directive set in the inner section wins, keys and lists included (an
 * inner AuthGateJWTKeyFile replaces the outer keys, it does not add). */
authgate_bearer_conf *authgate_bearer_merge(apr_pool_t *p,
                                            authgate_bearer_conf *base,
                                            authgate_bearer_conf *add)
{
    authgate_bearer_conf *bc;

    if (base == NULL)
        return add;
    if (add == NULL)
        return base;
    bc = apr_palloc(p, sizeof(*bc));
    bc->id = ag_mix64(base->id, add->id);   /* the merge's own id */
    bc->keys = PICK(keys);
    bc->algs = add->algs != 0 ? add->algs : base->algs;
    bc->issuers = PICK(issuers);
    bc->audiences = PICK(audiences);
    bc->required = PICK(required);
    bc->leeway = add->leeway >= 0 ? add->leeway : base->leeway;
    bc->max_size = add->max_size >= 0 ? add->max_size : base->max_size;
    bc->user_claim = PICK(user_claim);
    bc->scope_claim = PICK(scope_claim);
    bc->query = add->query != AUTHGATE_UNSET ? add->query : base->query;
    bc->claim_env = PICK(claim_env);
    return bc;
}

/* kid=ID and issuer=ISS after a key directive's first argument. */
static const char *parse_binding(cmd_parms *cmd, int argc,
                                 char *const argv[], ag_jwk_binding **out)
{
    const char *err;

    if (ag_jwk_binding_parse((const char *const *)argv + 1, argc - 1, out,
                             &err, cmd->pool) != APR_SUCCESS)
        return apr_psprintf(cmd->pool, "%s: %s", cmd->cmd->name, err);
    return NULL;
}

static void log_warnings(cmd_parms *cmd, const ag_reloader *rl,
                         const ag_keyset *ks)
{
    const apr_array_header_t *w = ag_keyset_warnings(ks);
    int i;

    for (i = 0; i < w->nelts; i++)
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, cmd->server,
                     "AG00303: %s %s: %s", cmd->cmd->name,
                     ag_reloader_path(rl), APR_ARRAY_IDX(w, i, const char *));
}

/* A reloader for PATH, loaded now: a file that cannot be used is a
 * configuration error. */
static const char *add_file_source(cmd_parms *cmd, authgate_bearer_conf *bc,
                                   const char *path, apr_size_t max,
                                   ag_reload_parse_fn parse,
                                   ag_jwk_binding *b)
{
    key_source src = {NULL, NULL, NULL};
    ag_reload_gen *gen;
    ag_reload_event ev;
    const char *err;

    err = authgate_reloader_for(cmd, path, max, parse, b, &src.rl);
    if (err != NULL)
        return err;
    src.directive = cmd->cmd->name;
    if (bc->keys == NULL)
        bc->keys = apr_array_make(cmd->pool, 2, sizeof(key_source));
    APR_ARRAY_PUSH(bc->keys, key_source) = src;
    gen = ag_reloader_acquire(src.rl, apr_time_now(), &ev, &err);
    log_warnings(cmd, src.rl, ag_reload_gen_data(gen));
    ag_reload_release(src.rl, gen);
    return NULL;
}

const char *authgate_set_jwt_key_file(cmd_parms *cmd, void *dconf, int argc,
                                      char *const argv[])
{
    authgate_bearer_conf *bc = bearer_of(cmd, dconf);
    ag_jwk_binding *b;
    const char *err;

    if (argc < 1)
        return "AuthGateJWTKeyFile: name a PEM or JWKS file";
    err = parse_binding(cmd, argc, argv, &b);
    if (err != NULL)
        return err;
    return add_file_source(cmd, bc, argv[0], AG_JWK_MAX_FILE,
                           ag_keyfile_parse, b);
}

const char *authgate_set_jwt_secret(cmd_parms *cmd, void *dconf, int argc,
                                    char *const argv[])
{
    authgate_bearer_conf *bc = bearer_of(cmd, dconf);
    const unsigned char *secret;
    const char *path, *err;
    apr_size_t len;
    ag_jwk_binding *b;
    ag_keyset *ks;
    key_source *src;

    if (argc < 1)
        return "AuthGateJWTSecret: give file:/path or base64:...";
    err = parse_binding(cmd, argc, argv, &b);
    if (err != NULL)
        return err;
    if (ag_jwk_secret_spec(argv[0], &secret, &len, &path, &err, cmd->pool)
        != APR_SUCCESS)
        return apr_psprintf(cmd->pool, "AuthGateJWTSecret: %s", err);
    if (path != NULL)
        return add_file_source(cmd, bc, path, AG_JWK_MAX_SECRET_FILE,
                               ag_secretfile_parse, b);
    if (ag_keyset_from_secret(secret, len, b, &ks, &err, cmd->pool) !=
        APR_SUCCESS)
        return apr_psprintf(cmd->pool, "AuthGateJWTSecret: %s", err);
    if (bc->keys == NULL)
        bc->keys = apr_array_make(cmd->pool, 2, sizeof(key_source));
    src = apr_array_push(bc->keys);
    src->rl = NULL;
    src->fixed = ks;
    src->directive = cmd->cmd->name;
    return NULL;
}

const char *authgate_set_jwt_algorithms(cmd_parms *cmd, void *dconf,
                                        const char *word)
{
    authgate_bearer_conf *bc = bearer_of(cmd, dconf);
    const char *err;

    if (ag_jwt_algs_add(word, &bc->algs, &err, cmd->pool) != APR_SUCCESS)
        return apr_psprintf(cmd->pool, "AuthGateJWTAlgorithms: %s", err);
    return NULL;
}

static void push_word(cmd_parms *cmd, apr_array_header_t **list,
                      const char *word)
{
    if (*list == NULL)
        *list = apr_array_make(cmd->pool, 2, sizeof(const char *));
    APR_ARRAY_PUSH(*list, const char *) = apr_pstrdup(cmd->pool, word);
}

const char *authgate_set_jwt_issuer(cmd_parms *cmd, void *dconf,
                                    const char *word)
{
    push_word(cmd, &bearer_of(cmd, dconf)->issuers, word);
    return NULL;
}

const char *authgate_set_jwt_audience(cmd_parms *cmd, void *dconf,
                                      const char *word)
{
    push_word(cmd, &bearer_of(cmd, dconf)->audiences, word);
    return NULL;
}

const char *authgate_set_jwt_require_claims(cmd_parms *cmd, void *dconf,
                                            const char *word)
{
    push_word(cmd, &bearer_of(cmd, dconf)->required, word);
    return NULL;
}

const char *authgate_set_claim_env(cmd_parms *cmd, void *dconf,
                                   const char *word)
{
    push_word(cmd, &bearer_of(cmd, dconf)->claim_env, word);
    return NULL;
}

/* A whole number in [LO, HI] into *OUT. */
static const char *parse_number(cmd_parms *cmd, const char *arg,
                                apr_int64_t lo, apr_int64_t hi,
                                apr_int64_t *out)
{
    if (!ag_number_parse(arg, lo, hi, out))
        return apr_psprintf(cmd->pool, "%s: '%s' is not a number from %"
                            APR_INT64_T_FMT " to %" APR_INT64_T_FMT,
                            cmd->cmd->name, arg, lo, hi);
    return NULL;
}

const char *authgate_set_jwt_leeway(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    return parse_number(cmd, arg, 0, AG_JWT_MAX_LEEWAY,
                        &bearer_of(cmd, dconf)->leeway);
}

const char *authgate_set_jwt_max_size(cmd_parms *cmd, void *dconf,
                                      const char *arg)
{
    return parse_number(cmd, arg, AG_JWT_MIN_MAX_SIZE, AG_JWT_MAX_MAX_SIZE,
                        &bearer_of(cmd, dconf)->max_size);
}

const char *authgate_set_user_claim(cmd_parms *cmd, void *dconf,
                                    const char *arg)
{
    bearer_of(cmd, dconf)->user_claim = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

const char *authgate_set_scope_claim(cmd_parms *cmd, void *dconf,
                                     const char *arg)
{
    bearer_of(cmd, dconf)->scope_claim = apr_pstrdup(cmd->pool, arg);
    return NULL;
}

const char *authgate_set_bearer_query(cmd_parms *cmd, void *dconf, int on)
{
    bearer_of(cmd, dconf)->query = on;
    return NULL;
}

/* --- the verified-token cache (server-wide, one per process) ---------- */

#define CACHE_DEFAULT_ENTRIES 10000
#define CACHE_DEFAULT_SECONDS 300
#define CACHE_MAX_ENTRIES 10000000

static struct {
    int enabled;
    apr_int64_t entries;
    apr_int64_t seconds;
} cache_conf;

/* This process's cache, or NULL when AuthGateTokenCache is off. */
static ag_token_cache *token_cache;

int authgate_bearer_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp)
{
    cache_conf.enabled = 1;
    cache_conf.entries = CACHE_DEFAULT_ENTRIES;
    cache_conf.seconds = CACHE_DEFAULT_SECONDS;
    token_cache = NULL;
    return OK;
}

const char *authgate_set_token_cache(cmd_parms *cmd, void *dconf, int argc,
                                     char *const argv[])
{
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    if (err != NULL)            /* the cache serves the whole server */
        return err;
    if (argc == 1 && strcasecmp(argv[0], "off") == 0) {
        cache_conf.enabled = 0;
        return NULL;
    }
    if (argc < 1 || argc > 2)
        return "AuthGateTokenCache: off, or entries [seconds]";
    cache_conf.enabled = 1;
    err = parse_number(cmd, argv[0], 1, CACHE_MAX_ENTRIES,
                       &cache_conf.entries);
    if (err == NULL && argc == 2)
        err = parse_number(cmd, argv[1], 1, AG_JWT_MAX_LEEWAY, &cache_conf.seconds);
    return err;
}

void authgate_bearer_child_init(apr_pool_t *pchild, server_rec *s)
{
    if (!cache_conf.enabled)
        return;
    if (ag_token_cache_create(&token_cache, (unsigned)cache_conf.entries,
                              apr_time_from_sec(cache_conf.seconds), pchild)
        != APR_SUCCESS) {
        token_cache = NULL;
        ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                     "AG00305: cannot make the verified-token cache; every "
                     "token is verified");
    }
}

/* --- answers ------------------------------------------------------------ */

/* RFC 6750 §3.1 invalid_token, with what failed. */
static void invalid_token(request_rec *r, authgate_result *res,
                          ag_reason reason, const char *description)
{
    res->reason = reason;
    res->status = HTTP_UNAUTHORIZED;
    apr_table_setn(r->notes, NOTE_ERROR, "invalid_token");
    apr_table_setn(r->notes, NOTE_DESCRIPTION,
                   ag_jwt_description(description, r->pool));
}

/* RFC 6750 §3.1 invalid_request: 400. */
static void invalid_request(request_rec *r, authgate_result *res,
                            const char *description)
{
    res->reason = AG_R_MALFORMED;
    res->status = HTTP_BAD_REQUEST;
    apr_table_setn(r->notes, NOTE_ERROR, "invalid_request");
    apr_table_setn(r->notes, NOTE_DESCRIPTION, description);
}

static const char *insufficient_scope_challenge(request_rec *r,
                                                const char *scopes)
{
    ag_challenge *c = ag_challenge_make("Bearer", r->pool);

    ag_challenge_add_quoted(c, "realm", authgate_realm(r));
    ag_challenge_add_quoted(c, "error", "insufficient_scope");
    if (scopes != NULL)
        ag_challenge_add_quoted(c, "scope", scopes);
    return ag_challenge_render(c, r->pool);
}

static authgate_request_state *state_of(const request_rec *r)
{
    return ap_get_module_config(r->request_config, &authgate_module);
}

static int bearer_authenticated(request_rec *r)
{
    const authgate_request_state *st = state_of(r);

    return r->user != NULL && st != NULL && st->scheme == AG_SCHEME_BEARER;
}

void authgate_bearer_refused(request_rec *r, const char *scopes)
{
    authgate_request_state *st = state_of(r);

    if (st == NULL)
        return;
    st->refused_scopes = st->refused_scopes == NULL ? scopes
                         : apr_pstrcat(r->pool, st->refused_scopes, " ",
                                       scopes, NULL);
}

/* R, whose response is a 403, carries the insufficient_scope challenge
 * when AUTHED (R itself, or the request R is the ErrorDocument of) is a
 * Bearer request that authz refused: authenticated, and the fixups hook
 * never ran for it.  Not behind a forward proxy, whose client is told
 * through Proxy-Authenticate on a 407 only; a ProxyPass location
 * (PROXYREQ_REVERSE) is the origin to its client, and gets it. */
static void forbidden(request_rec *r, request_rec *authed)
{
    const authgate_request_state *st;

    if (!bearer_authenticated(authed) || authed->proxyreq == PROXYREQ_PROXY)
        return;
    st = state_of(authed);
    if (!st->authorized)
        apr_table_setn(r->err_headers_out, "WWW-Authenticate",
                       insufficient_scope_challenge(authed,
                                                    st->refused_scopes));
}

void authgate_bearer_insert_error_filter(request_rec *r)
{
    if (r->status == HTTP_FORBIDDEN)
        forbidden(r, r);
}

int authgate_bearer_fixups(request_rec *r)
{
    /* a local ErrorDocument: ap_send_error_response does not run for the
     * 403, the page is served by this internal redirect */
    if (r->prev != NULL && r->status == HTTP_FORBIDDEN)
        forbidden(r, r->prev);
    return DECLINED;
}

static void bearer_challenge(request_rec *r, const authgate_dir_conf *conf,
                             ag_reason reason, apr_array_header_t *out)
{
    const char *error = apr_table_get(r->notes, NOTE_ERROR);
    const char *desc = apr_table_get(r->notes, NOTE_DESCRIPTION);
    ag_challenge *c;

    if (bearer_authenticated(r)) {
        /* mod_authz_core refused with 401 (AuthzSendForbiddenOnFailure
         * Off) */
        APR_ARRAY_PUSH(out, const char *) = insufficient_scope_challenge(
            r, state_of(r)->refused_scopes);
        return;
    }
    c = ag_challenge_make("Bearer", r->pool);
    ag_challenge_add_quoted(c, "realm", authgate_realm(r));
    if (error != NULL) {
        ag_challenge_add_quoted(c, "error", error);
        if (desc != NULL)
            ag_challenge_add_quoted(c, "error_description", desc);
    }
    APR_ARRAY_PUSH(out, const char *) = ag_challenge_render(c, r->pool);
}

/* RFC 6750 §3.1: a request that is not one Bearer can judge (a header
 * that does not parse, a token in two places) is told invalid_request,
 * with what invalid_request() noted about it where it did. */
static void bearer_bad_request(request_rec *r, const authgate_dir_conf *conf,
                               apr_array_header_t *out)
{
    const char *error = apr_table_get(r->notes, NOTE_ERROR);
    const char *desc = apr_table_get(r->notes, NOTE_DESCRIPTION);
    ag_challenge *c = ag_challenge_make("Bearer", r->pool);

    ag_challenge_add_quoted(c, "realm", authgate_realm(r));
    ag_challenge_add_quoted(c, "error", "invalid_request");
    if (error != NULL && strcmp(error, "invalid_request") == 0 &&
        desc != NULL)
        ag_challenge_add_quoted(c, "error_description", desc);
    APR_ARRAY_PUSH(out, const char *) = ag_challenge_render(c, r->pool);
}

/* --- the query parameter (RFC 6750 §2.3) ------------------------------- */

/* Rewrites every access_token=VALUE in S (after '?' or '&') to
 * access_token=-, so that no log line and no backend sees the token. */
static char *scrub(const char *s, apr_pool_t *p)
{
    apr_size_t plen = sizeof(QUERY_PARAM "=") - 1;
    char *out, *o;
    const char *in;

    if (s == NULL || strstr(s, QUERY_PARAM "=") == NULL)
        return (char *)s;
    out = o = apr_palloc(p, strlen(s) + 1);
    for (in = s; *in;) {
        if ((in == s || in[-1] == '?' || in[-1] == '&') &&
            strncmp(in, QUERY_PARAM "=", plen) == 0) {
            memcpy(o, in, plen);
            o += plen;
            *o++ = '-';
            in += plen;
            while (*in && *in != '&' && *in != ' ' && *in != '#')
                in++;
            continue;
        }
        *o++ = *in++;
    }
    *o = '\0';
    return out;
}

static void scrub_request(request_rec *r)
{
    r->the_request = scrub(r->the_request, r->pool);
    r->unparsed_uri = scrub(r->unparsed_uri, r->pool);
    r->args = scrub(r->args, r->pool);
    r->parsed_uri.query = scrub(r->parsed_uri.query, r->pool);
}

static int query_enabled(const authgate_dir_conf *conf)
{
    return conf->bearer != NULL && conf->bearer->query == 1;
}

static apr_status_t bearer_find_other(request_rec *r,
                                      const authgate_dir_conf *conf,
                                      ag_credentials **out)
{
    ag_credentials *cred;
    const char *token;
    apr_status_t rv;

    rv = authgate_query_param(r, QUERY_PARAM, &token);
    if (rv == APR_NOTFOUND)
        return APR_SUCCESS;
    /* a token in the URL is a secret whether or not it is accepted here:
     * no log line and no backend gets to see it */
    scrub_request(r);
    if (!query_enabled(conf))
        return APR_SUCCESS;
    if (rv != APR_SUCCESS) {
        apr_table_setn(r->notes, NOTE_ERROR, "invalid_request");
        apr_table_setn(r->notes, NOTE_DESCRIPTION,
                       "access_token given twice or empty");
        return rv;
    }
    cred = apr_pcalloc(r->pool, sizeof(*cred));
    cred->scheme = "Bearer";
    cred->token68 = token;
    cred->params = apr_array_make(r->pool, 0, sizeof(ag_auth_param));
    apr_table_setn(r->notes, NOTE_FROM_QUERY, "1");
    *out = cred;
    return APR_SUCCESS;
}

/* --- verification ------------------------------------------------------- */

static void fill_policy(const authgate_bearer_conf *bc, ag_jwt_policy *pol)
{
    ag_jwt_policy_init(pol);
    pol->algs = bc->algs;
    pol->issuers = bc->issuers;
    pol->audiences = bc->audiences;
    pol->required = bc->required;
    if (bc->leeway >= 0)
        pol->leeway = bc->leeway;
    if (bc->max_size >= 0)
        pol->max_size = (apr_size_t)bc->max_size;
    pol->user_claim = bc->user_claim;
    pol->scope_claim = bc->scope_claim;
}

/* The keysets in use for R, one per source (file generations are held
 * until the request ends). */
static const ag_keyset **keysets(request_rec *r,
                                 const authgate_bearer_conf *bc)
{
    const ag_keyset **sets = apr_palloc(r->pool, bc->keys->nelts *
                                                     sizeof(*sets));
    int i;

    for (i = 0; i < bc->keys->nelts; i++) {
        const key_source *src = &APR_ARRAY_IDX(bc->keys, i, key_source);

        sets[i] = src->rl ? authgate_reload_acquire(r, src->rl,
                                                    src->directive)
                          : src->fixed;
    }
    return sets;
}

/* An unknown kid may be a key that was just added: the key files are
 * checked again now, unless that was done less than this long ago. */
#define KID_RECHECK_MIN apr_time_from_msec(200)

/* After an unknown kid: 1 and the new *SETS when a key file changed. */
static int recheck_keys(request_rec *r, const authgate_bearer_conf *bc,
                        const ag_keyset ***sets)
{
    const ag_keyset **fresh;
    apr_time_t now = apr_time_now();
    int i, changed = 0;

    for (i = 0; i < bc->keys->nelts; i++) {
        const key_source *src = &APR_ARRAY_IDX(bc->keys, i, key_source);

        if (src->rl != NULL)
            ag_reloader_expedite(src->rl, now, KID_RECHECK_MIN);
    }
    fresh = keysets(r, bc);
    for (i = 0; i < bc->keys->nelts; i++)
        if (fresh[i] != (*sets)[i])
            changed = 1;
    if (changed)
        *sets = fresh;
    return changed;
}

static int keyset_in_use(apr_uint64_t serial, const ag_keyset **sets, int n)
{
    int i;

    for (i = 0; i < n; i++)
        if (ag_keyset_serial(sets[i]) == serial)
            return 1;
    return 0;
}

/* AuthGateClaimEnv: AUTHGATE_CLAIM_<NAME> for each claim present. */
static void export_claims(request_rec *r, const authgate_bearer_conf *bc,
                          authgate_claims *c)
{
    const cJSON *claims;
    int i;

    if (bc->claim_env == NULL ||
        (claims = authgate_claims_get(c, r->pool)) == NULL)
        return;
    for (i = 0; i < bc->claim_env->nelts; i++) {
        const char *name = APR_ARRAY_IDX(bc->claim_env, i, const char *);
        const cJSON *item = ag_claim_find(claims, name);
        const char *value = item ? ag_claim_env_value(item, r->pool) : NULL;

        if (value != NULL)
            apr_table_setn(r->subprocess_env,
                           ag_claim_env_name(name, r->pool), value);
    }
}

/* What a cache entry says of TOKEN, as the request's result; the claims
 * are the token's own (decoded only if asked for). */
static void take_entry(const ag_token_entry *e, const char *token,
                       apr_size_t len, authgate_result *res,
                       const char **jti)
{
    res->user = e->user;
    res->scope = e->scope;
    res->key_id = e->kid;
    res->claims.jwt = token;
    res->claims.jwt_len = len;
    *jti = e->jti;
}

/* The connection's memo of its last token (ag_token_memo.h), made at its
 * first use; none without the verified-token cache, or on an HTTP/2
 * stream, whose requests may run at the same time. */
static ag_token_memo *connection_memo(request_rec *r)
{
    authgate_conn_state *st;

    if (token_cache == NULL || (st = authgate_connection_get(r)) == NULL)
        return NULL;
    if (st->token == NULL)
        st->token = ag_token_memo_create(r->connection->pool);
    return st->token;
}

static int from_memo(request_rec *r, const authgate_bearer_conf *bc,
                     ag_token_memo *memo, const char *token, apr_size_t len,
                     const ag_keyset **sets, int n, authgate_result *res,
                     const char **jti)
{
    ag_token_entry e;

    if (memo == NULL ||
        !ag_token_memo_get(memo, token, len, bc->id, apr_time_now(), &e,
                           r->pool))
        return 0;
    if (!keyset_in_use(e.keyset_serial, sets, n)) {
        ag_token_memo_clear(memo);
        return 0;
    }
    take_entry(&e, token, len, res, jti);
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                  "AG00306: token found in the verified-token cache "
                  "(the connection's last token)");
    return 1;
}

/* A verification found in the cache, which the connection's memo then
 * holds. */
static int from_cache(request_rec *r, const authgate_bearer_conf *bc,
                      ag_token_memo *memo, const char *token, apr_size_t len,
                      const unsigned char *key, const ag_keyset **sets,
                      int n, authgate_result *res, const char **jti)
{
    ag_token_entry e;

    if (!ag_token_cache_get(token_cache, key, bc->id, apr_time_now(), &e,
                            r->pool))
        return 0;
    if (!keyset_in_use(e.keyset_serial, sets, n)) {
        /* the key that vouched has been replaced: verify again */
        ag_token_cache_drop(token_cache, key);
        return 0;
    }
    take_entry(&e, token, len, res, jti);
    if (memo != NULL)
        ag_token_memo_set(memo, token, len, &e);
    ap_log_rerror(APLOG_MARK, APLOG_TRACE1, 0, r,
                  "AG00306: token found in the verified-token cache");
    return 1;
}

/* A token neither the memo nor the cache knew: verified, and stored under
 * KEY when there is one.  0 when it is refused (RES says why). */
static int verify_fresh(request_rec *r, const authgate_bearer_conf *bc,
                        const ag_jwt_policy *pol, const char *token,
                        apr_size_t len, const ag_keyset **sets, int n,
                        const unsigned char *key, authgate_result *res,
                        const char **jti)
{
    ag_jwt_result jr;
    ag_reason reason;

    reason = ag_jwt_verify(token, len, pol, sets, n, apr_time_now(), &jr,
                           r->pool);
    if (reason == AG_R_UNKNOWN_KID && recheck_keys(r, bc, &sets))
        reason = ag_jwt_verify(token, len, pol, sets, n, apr_time_now(), &jr,
                               r->pool);
    if (reason != AG_OK) {
        res->key_id = jr.log_kid;
        res->issuer = jr.log_iss;
        ap_log_rerror(APLOG_MARK, APLOG_DEBUG, 0, r,
                      "AG00300: token refused: %s", jr.detail);
        invalid_token(r, res, reason, jr.detail);
        return 0;
    }
    res->user = jr.user;
    res->scope = jr.scope;
    res->key_id = jr.kid;
    res->claims.parsed = jr.claims;
    *jti = jr.jti;
    if (key != NULL) {
        ag_token_entry e = {jr.user, jr.scope, jr.kid, jr.jti, jr.expires,
                            ag_keyset_serial(jr.keyset), bc->id};

        ag_token_cache_put(token_cache, key, &e, apr_time_now());
    }
    return 1;
}

static void verify_token(request_rec *r, const authgate_dir_conf *conf,
                         const authgate_bearer_conf *bc, const char *token,
                         authgate_result *res)
{
    apr_size_t len = strlen(token);
    unsigned char key[AG_TOKEN_CACHE_KEY_LEN];
    const ag_keyset **sets;
    const char *jti = NULL, *detail;
    ag_jwt_policy pol;
    ag_token_memo *memo;
    ag_reason reason;
    int n = bc->keys->nelts, cached = 0, hit;

    fill_policy(bc, &pol);
    if (len > pol.max_size) {   /* before hashing or parsing anything */
        invalid_token(r, res, AG_R_MALFORMED, "token too large");
        return;
    }
    sets = keysets(r, bc);
    memo = connection_memo(r);
    hit = from_memo(r, bc, memo, token, len, sets, n, res, &jti);
    if (!hit) {
        cached = token_cache != NULL && ag_token_cache_key(token, len, key);
        hit = cached &&
              from_cache(r, bc, memo, token, len, key, sets, n, res, &jti);
    }
    if (token_cache != NULL)
        authgate_metrics_token_cache(hit);
    if (!hit && !verify_fresh(r, bc, &pol, token, len, sets, n,
                              cached ? key : NULL, res, &jti))
        return;
    if (jti != NULL &&
        (reason = ag_jwt_check_revoked(authgate_revocation(r, conf), jti,
                                       &detail)) != AG_OK) {
        res->key_id = res->key_id ? ag_jwt_log_safe(res->key_id, r->pool)
                                  : NULL;
        res->user = ag_jwt_log_safe(res->user, r->pool);
        invalid_token(r, res, reason, detail);
        return;
    }
    export_claims(r, bc, &res->claims);
    res->reason = AG_OK;
}

static void bearer_authenticate(request_rec *r, const authgate_dir_conf *conf,
                                const ag_credentials *cred,
                                authgate_result *res)
{
    const authgate_bearer_conf *bc = conf->bearer;
    const char *token;

    if (cred->token68 == NULL) {
        invalid_request(r, res, "credentials are not a token");
        return;
    }
    if (apr_table_get(r->notes, NOTE_FROM_QUERY) == NULL &&
        authgate_query_param(r, QUERY_PARAM, &token) != APR_NOTFOUND) {
        scrub_request(r);
        if (query_enabled(conf)) {
            invalid_request(r, res, "token in both header and query");
            return;
        }
    }
    if (bc == NULL || bc->keys == NULL || bc->keys->nelts == 0) {
        ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                      "AG00304: Bearer is enabled here but no "
                      "AuthGateJWTKeyFile or AuthGateJWTSecret applies");
        res->reason = AG_R_BACKEND_UNAVAILABLE;
        res->status = HTTP_INTERNAL_SERVER_ERROR;
        return;
    }
    verify_token(r, conf, bc, cred->token68, res);
}

/* --- start-up check ------------------------------------------------------ */

/* An HMAC algorithm that ALLOWED lists but that none of the HMAC keys
 * (whose algorithms are among HAVE) can check, as they are shorter
 * than its hash (RFC 7518 section 3.2): every token signed with it
 * would be refused.  NULL when there is none, or no HMAC key. */
static const char *check_hmac_lengths(unsigned allowed, unsigned have,
                                      apr_pool_t *p)
{
    static const struct { ag_jwt_alg alg; int bytes; } hmac[] = {
        { AG_JWT_HS256, 32 }, { AG_JWT_HS384, 48 }, { AG_JWT_HS512, 64 },
    };
    apr_size_t i;

    if ((have & AG_JWT_ALGS_HMAC) == 0)
        return NULL;
    for (i = 0; i < sizeof(hmac) / sizeof(hmac[0]); i++) {
        unsigned bit = AG_JWT_ALG_BIT(hmac[i].alg);

        if ((allowed & bit) != 0 && (have & bit) == 0)
            return apr_psprintf(p, "AuthGateJWTAlgorithms allows %s, but "
                                "no HMAC key can check it: its key must "
                                "be at least as long as its hash, %d "
                                "bytes (the keys allow %s)",
                                ag_jwt_algs_names(bit, p), hmac[i].bytes,
                                ag_jwt_algs_names(have, p));
    }
    return NULL;
}

static const char *bearer_check(const authgate_dir_conf *conf, apr_pool_t *p)
{
    const authgate_bearer_conf *bc = conf->bearer;
    unsigned algs = 0;
    int i;

    if (bc == NULL || bc->keys == NULL || bc->keys->nelts == 0)
        return apr_psprintf(p, "Bearer is enabled (%s) but no "
                            "AuthGateJWTKeyFile or AuthGateJWTSecret applies",
                            authgate_schemes_origin(conf, p));
    if (bc->algs == 0)
        return NULL;
    for (i = 0; i < bc->keys->nelts; i++) {
        const key_source *src = &APR_ARRAY_IDX(bc->keys, i, key_source);
        ag_reload_event ev;
        const char *err;

        if (src->fixed != NULL) {
            algs |= ag_keyset_algs(src->fixed);
        }
        else {
            ag_reload_gen *gen = ag_reloader_acquire(src->rl, apr_time_now(),
                                                     &ev, &err);

            algs |= ag_keyset_algs(ag_reload_gen_data(gen));
            ag_reload_release(src->rl, gen);
        }
    }
    if ((bc->algs & algs) == 0)
        return apr_psprintf(p, "AuthGateJWTAlgorithms %s allows none of "
                            "the algorithms of the keys (%s)",
                            ag_jwt_algs_names(bc->algs, p),
                            ag_jwt_algs_names(algs, p));
    return check_hmac_lengths(bc->algs, algs, p);
}

const authgate_scheme authgate_scheme_bearer = {
    AG_SCHEME_BEARER,
    bearer_authenticate,
    bearer_challenge,
    bearer_bad_request,
    bearer_find_other,
    bearer_check,
};
