/* mod_authgate: one authentication gate for Apache httpd 2.4.
 *
 * This file is the table of contents: the directives, the per-directory
 * configuration and its merge, and the hooks and providers the module
 * registers.  The logic lives in src/: ag_*.c is the pure core (no httpd
 * headers), src/mod_authgate_*.c adapts it to httpd. */
#define AUTHGATE_DECLARES_MODULE
#include "src/mod_authgate.h"

#include <apr_strings.h>

/* The schemes built into this version, by ag_scheme_id.  A scheme named in
 * AuthGateSchemes but missing here is a configuration error. */
const authgate_scheme *const authgate_schemes[AG_SCHEME__COUNT] = {
    [AG_SCHEME_APIKEY] = &authgate_scheme_apikey,
    [AG_SCHEME_DIGEST] = &authgate_scheme_digest,
    [AG_SCHEME_BEARER] = &authgate_scheme_bearer,
    [AG_SCHEME_BASIC] = &authgate_scheme_basic,
};

/* --- configuration ------------------------------------------------------ */

static void *create_dir_conf(apr_pool_t *p, char *dir)
{
    authgate_dir_conf *conf = apr_pcalloc(p, sizeof(*conf));

    conf->preflight = AUTHGATE_UNSET;
    conf->digest_qop = AUTHGATE_UNSET;
    conf->nonce_lifetime = AUTHGATE_UNSET;
    return conf;
}

#define MERGE_PTR(field) (add->field != NULL ? add->field : base->field)
#define MERGE_INT(field) (add->field != AUTHGATE_UNSET ? add->field \
                                                       : base->field)
/* A pointer and the directive that set it, from the same section. */
#define MERGE_WITH_WHERE(field)                                          \
    do {                                                                 \
        const authgate_dir_conf *from = add->field != NULL ? add : base; \
        conf->field = from->field;                                       \
        conf->field##_where = from->field##_where;                       \
    } while (0)

/* 1 when no directive of this module was given for C's section. */
static int nothing_set(const authgate_dir_conf *c)
{
    return c->schemes == NULL && c->preflight == AUTHGATE_UNSET &&
           c->basic_providers == NULL && c->apikey_file == NULL &&
           c->apikey_header == NULL && c->apikey_query == NULL &&
           c->apikey_dbd == NULL && c->digest_providers == NULL &&
           c->digest_algorithms == NULL &&
           c->digest_qop == AUTHGATE_UNSET &&
           c->nonce_lifetime == AUTHGATE_UNSET && c->user_file == NULL &&
           c->bearer == NULL && c->revocation == NULL &&
           c->failure_limit == NULL;
}

/* A directive set in the inner section wins; one not set there is
 * inherited from the outer one.  httpd merges for each request, and
 * mostly onto the server's defaults, where nothing is set: then the inner
 * section's configuration is the merge, as it is (no configuration is
 * written to once made). */
static void *merge_dir_conf(apr_pool_t *p, void *basev, void *addv)
{
    const authgate_dir_conf *base = basev, *add = addv;
    authgate_dir_conf *conf;

    if (nothing_set(base))
        return addv;
    conf = apr_pcalloc(p, sizeof(*conf));

    MERGE_WITH_WHERE(schemes);
    conf->preflight = MERGE_INT(preflight);
    MERGE_WITH_WHERE(basic_providers);
    conf->apikey_file = MERGE_PTR(apikey_file);
    conf->apikey_header = MERGE_PTR(apikey_header);
    conf->apikey_query = MERGE_PTR(apikey_query);
    conf->apikey_dbd = MERGE_PTR(apikey_dbd);
    MERGE_WITH_WHERE(digest_providers);
    conf->digest_algorithms = MERGE_PTR(digest_algorithms);
    conf->digest_qop = MERGE_INT(digest_qop);
    conf->nonce_lifetime = MERGE_INT(nonce_lifetime);
    conf->user_file = MERGE_PTR(user_file);
    conf->bearer = authgate_bearer_merge(p, base->bearer, add->bearer);
    conf->revocation = MERGE_PTR(revocation);
    conf->failure_limit = MERGE_PTR(failure_limit);
    return conf;
}

/* Server configuration: only the main server's is read (the directives
 * are global), so there is nothing to merge. */
static void *create_server_conf(apr_pool_t *p, server_rec *s)
{
    return apr_pcalloc(p, sizeof(authgate_server_conf));
}

/* --- directives --------------------------------------------------------- */

static const char *set_schemes(cmd_parms *cmd, void *dconf, int argc,
                               char *const argv[])
{
    authgate_dir_conf *conf = dconf;
    unsigned seen = 0;
    int i;

    if (argc == 0)
        return "AuthGateSchemes: name at least one scheme";
    conf->schemes = apr_array_make(cmd->pool, argc, sizeof(ag_scheme_id));
    conf->schemes_where = cmd->directive;
    for (i = 0; i < argc; i++) {
        ag_scheme_id id = ag_scheme_lookup(argv[i]);

        if (id == AG_SCHEME_NONE)
            return apr_psprintf(cmd->pool,
                                "AuthGateSchemes: unknown scheme '%s' (one "
                                "of Bearer ApiKey Digest Basic)", argv[i]);
        if (authgate_schemes[id] == NULL)
            return apr_psprintf(cmd->pool,
                                "AuthGateSchemes: scheme '%s' is not built "
                                "into this version of mod_authgate", argv[i]);
        if (seen & (1u << id))
            return apr_psprintf(cmd->pool,
                                "AuthGateSchemes: scheme '%s' named twice",
                                argv[i]);
        seen |= 1u << id;
        APR_ARRAY_PUSH(conf->schemes, ag_scheme_id) = id;
    }
    return NULL;
}

static const char *set_basic_provider(cmd_parms *cmd, void *dconf,
                                      const char *name)
{
    return authgate_add_basic_provider(cmd, dconf, name);
}

static const command_rec authgate_cmds[] = {
    AP_INIT_TAKE_ARGV("AuthGateSchemes", set_schemes, NULL, OR_AUTHCFG,
                      "enabled schemes, in challenge order: Bearer ApiKey "
                      "Digest Basic"),
    AP_INIT_FLAG("AuthGatePreflight", ap_set_flag_slot,
                 (void *)APR_OFFSETOF(authgate_dir_conf, preflight),
                 OR_AUTHCFG,
                 "On: a CORS preflight passes without credentials"),
    AP_INIT_ITERATE("AuthGateBasicProvider", set_basic_provider, NULL,
                    OR_AUTHCFG,
                    "authn providers that check Basic passwords"),
    AP_INIT_TAKE1("AuthGateApiKeyFile", authgate_set_apikey_file, NULL,
                  OR_AUTHCFG, "API key records made by `authgate apikey`"),
    AP_INIT_TAKE1("AuthGateApiKeyHeader", authgate_set_apikey_header, NULL,
                  OR_AUTHCFG, "header that carries an API key "
                  "(default X-API-Key)"),
    AP_INIT_TAKE1("AuthGateApiKeyQuery", authgate_set_apikey_query, NULL,
                  OR_AUTHCFG, "query parameter that carries an API key, "
                  "or off (default)"),
    AP_INIT_TAKE1("AuthGateApiKeyDBD", authgate_set_apikey_dbd, NULL,
                  ACCESS_CONF, "SQL that finds user, scopes, expires by "
                  "the key's hex SHA-256 (mod_dbd)"),
    AP_INIT_ITERATE("AuthGateDigestProvider", authgate_set_digest_provider,
                    NULL, OR_AUTHCFG,
                    "authn providers that supply Digest realm hashes"),
    AP_INIT_TAKE_ARGV("AuthGateDigestAlgorithms",
                      authgate_set_digest_algorithms, NULL, OR_AUTHCFG,
                      "Digest algorithms, one challenge each, in order"),
    AP_INIT_TAKE_ARGV("AuthGateDigestQop", authgate_set_digest_qop, NULL,
                      OR_AUTHCFG, "Digest qop values: auth auth-int"),
    AP_INIT_TAKE1("AuthGateNonceLifetime", authgate_set_nonce_lifetime, NULL,
                  OR_AUTHCFG, "seconds after which a Digest nonce is stale"),
    AP_INIT_TAKE1("AuthGateUserFile", authgate_set_user_file, NULL,
                  OR_AUTHCFG, "the authgate provider's user file"),
    AP_INIT_TAKE_ARGV("AuthGateFailureLimit", authgate_set_failure_limit,
                      NULL, OR_AUTHCFG,
                      "off, or COUNT SECONDS [LOCKOUT]: failed credentials "
                      "a client address may send before it gets 429"),
    AP_INIT_TAKE1("AuthGateStateStore", authgate_set_state_store, NULL,
                  RSRC_CONF, "where nonce-counts and failure counts live: "
                  "shm[:size]"),
    AP_INIT_TAKE1("AuthGateNonceSecret", authgate_set_nonce_secret, NULL,
                  RSRC_CONF, "HMAC key of Digest nonces: file:/path"),
    /* Bearer (mod_authgate_bearer.c) */
    AP_INIT_TAKE_ARGV("AuthGateJWTKeyFile", authgate_set_jwt_key_file, NULL,
                      OR_AUTHCFG,
                      "a PEM public key or a JWKS file [kid=ID] "
                      "[issuer=ISS]; repeatable"),
    AP_INIT_TAKE_ARGV("AuthGateJWTSecret", authgate_set_jwt_secret, NULL,
                      OR_AUTHCFG,
                      "an HMAC key, file:/path or base64:... [kid=ID] "
                      "[issuer=ISS]; repeatable"),
    AP_INIT_ITERATE("AuthGateJWTAlgorithms", authgate_set_jwt_algorithms,
                    NULL, OR_AUTHCFG,
                    "accepted JWT algorithms (default: those of the keys)"),
    AP_INIT_ITERATE("AuthGateJWTIssuer", authgate_set_jwt_issuer, NULL,
                    OR_AUTHCFG, "accepted iss values (default: any)"),
    AP_INIT_ITERATE("AuthGateJWTAudience", authgate_set_jwt_audience, NULL,
                    OR_AUTHCFG, "accepted aud values (default: any)"),
    AP_INIT_TAKE1("AuthGateJWTLeeway", authgate_set_jwt_leeway, NULL,
                  OR_AUTHCFG, "seconds of clock skew on exp, nbf, iat "
                  "(default 60)"),
    AP_INIT_ITERATE("AuthGateJWTRequireClaims",
                    authgate_set_jwt_require_claims, NULL, OR_AUTHCFG,
                    "claims a token must carry (default: exp)"),
    AP_INIT_TAKE1("AuthGateJWTMaxSize", authgate_set_jwt_max_size, NULL,
                  OR_AUTHCFG, "longest token in bytes (default 8192)"),
    AP_INIT_TAKE1("AuthGateUserClaim", authgate_set_user_claim, NULL,
                  OR_AUTHCFG, "the claim that becomes the user (default "
                  "sub)"),
    AP_INIT_TAKE1("AuthGateScopeClaim", authgate_set_scope_claim, NULL,
                  OR_AUTHCFG, "the claim holding the scopes (default "
                  "scope, then scp)"),
    AP_INIT_FLAG("AuthGateBearerQuery", authgate_set_bearer_query, NULL,
                 OR_AUTHCFG, "On: also accept ?access_token="),
    AP_INIT_ITERATE("AuthGateClaimEnv", authgate_set_claim_env, NULL,
                    OR_AUTHCFG,
                    "claims exported as AUTHGATE_CLAIM_<NAME>"),
    AP_INIT_TAKE_ARGV("AuthGateTokenCache", authgate_set_token_cache, NULL,
                      RSRC_CONF,
                      "off, or entries [seconds] (default 10000 300)"),
    AP_INIT_TAKE1("AuthGateRevocationFile", authgate_set_revocation_file,
                  NULL, OR_AUTHCFG,
                  "revoked JWT jti values and API key ids, one a line"),
    {NULL}
};

/* --- hooks and providers ------------------------------------------------ */

static int post_config(apr_pool_t *pconf, apr_pool_t *plog,
                       apr_pool_t *ptemp, server_rec *s)
{
    /* The first of httpd's two configuration passes only checks syntax. */
    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG)
        return OK;
    authgate_check_forbidden_on_failure(s, ptemp);
    authgate_check_unused_directives(s, ptemp);
    authgate_check_claim_provider(s);
    return OK;
}

/* Runs in `apachectl configtest` too: errors here stop it. */
static int check_config(apr_pool_t *pconf, apr_pool_t *plog,
                        apr_pool_t *ptemp, server_rec *s)
{
    return authgate_check_schemes(ptemp, s);
}

static void register_hooks(apr_pool_t *p)
{
    /* Checks the configuration as a whole once it is read. */
    ap_hook_post_config(post_config, NULL, NULL, APR_HOOK_MIDDLE);
    /* The state store's mutex is registered for the Mutex directive. */
    ap_hook_pre_config(authgate_state_pre_config, NULL, NULL,
                       APR_HOOK_MIDDLE);
    /* The state store and the nonce secret, kept across restarts. */
    ap_hook_post_config(authgate_state_post_config, NULL, NULL,
                        APR_HOOK_MIDDLE);
    /* Each child reattaches the store's mutex. */
    ap_hook_child_init(authgate_state_child_init, NULL, NULL,
                       APR_HOOK_MIDDLE);
    /* Gives the handler the body Digest qop=auth-int read and hashed. */
    ap_register_input_filter(AUTHGATE_KEPT_BODY_FILTER,
                             authgate_kept_body_filter, NULL,
                             AP_FTYPE_RESOURCE);
    /* A scheme enabled without anything to check it against stops
     * configtest. */
    ap_hook_check_config(check_config, NULL, NULL, APR_HOOK_MIDDLE);
    /* Server-wide Bearer settings start afresh at each configuration
     * read; each process makes its verified-token cache. */
    ap_hook_pre_config(authgate_bearer_pre_config, NULL, NULL,
                       APR_HOOK_MIDDLE);
    ap_hook_child_init(authgate_bearer_child_init, NULL, NULL,
                       APR_HOOK_MIDDLE);
    /* The authgate-status handler; its counters are made with the
     * configuration. */
    ap_hook_post_config(authgate_metrics_post_config, NULL, NULL,
                        APR_HOOK_MIDDLE);
    ap_hook_handler(authgate_status_handler, NULL, NULL, APR_HOOK_MIDDLE);
    /* Marks the requests that authz granted; logs a refusal by the gate's
     * Require lines once it is final (answered by a local ErrorDocument,
     * or by an error response). */
    ap_hook_fixups(authgate_authz_fixups, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_insert_error_filter(authgate_authz_insert_error_filter, NULL,
                                NULL, APR_HOOK_MIDDLE);
    /* A 403 from authz for a Bearer request gets insufficient_scope (its
     * ErrorDocument too). */
    ap_hook_fixups(authgate_bearer_fixups, NULL, NULL, APR_HOOK_FIRST);
    ap_hook_insert_error_filter(authgate_bearer_insert_error_filter, NULL,
                                NULL, APR_HOOK_MIDDLE);
    /* Lets a CORS preflight through where only a user is missing: after
     * mod_authz_core (APR_HOOK_LAST) has judged the Require lines it can
     * without one, so that Require ip or Require all denied still refuse
     * it. */
    ap_hook_check_access_ex(authgate_preflight, NULL, NULL,
                            APR_HOOK_REALLY_LAST, AP_AUTH_INTERNAL_PER_CONF);
    /* Reads the credentials of AuthType AuthGate and sets r->user. */
    ap_hook_check_authn(authgate_check_authn, NULL, NULL, APR_HOOK_MIDDLE,
                        AP_AUTH_INTERNAL_PER_CONF);
    /* A 401 raised by mod_authz_core carries our challenges too. */
    ap_hook_note_auth_failure(authgate_note_auth_failure, NULL, NULL,
                              APR_HOOK_MIDDLE);
    /* Require auth-scheme bearer|apikey|digest|basic */
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "auth-scheme",
                              AUTHZ_PROVIDER_VERSION,
                              &authgate_authz_auth_scheme,
                              AP_AUTH_INTERNAL_PER_CONF);
    /* AuthBasicProvider authgate: an API key as the Basic password;
     * AuthDigestProvider authgate: realm hashes from AuthGateUserFile */
    ap_register_auth_provider(p, AUTHN_PROVIDER_GROUP, AUTHGATE_PROVIDER_NAME,
                              AUTHN_PROVIDER_VERSION,
                              &authgate_authn_provider,
                              AP_AUTH_INTERNAL_PER_CONF);
    /* Require scope s...; Require claim name:value... */
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "scope",
                              AUTHZ_PROVIDER_VERSION, &authgate_authz_scope,
                              AP_AUTH_INTERNAL_PER_CONF);
    ap_register_auth_provider(p, AUTHZ_PROVIDER_GROUP, "claim",
                              AUTHZ_PROVIDER_VERSION, &authgate_authz_claim,
                              AP_AUTH_INTERNAL_PER_CONF);
}

AP_DECLARE_MODULE(authgate) = {
    STANDARD20_MODULE_STUFF,
    create_dir_conf,
    merge_dir_conf,
    create_server_conf,
    NULL,
    authgate_cmds,
    register_hooks,
    AP_MODULE_FLAG_NONE
};
