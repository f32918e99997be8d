/* mod_authgate's private header: the configuration the glue shares, the
 * scheme interface, and the module's logging identity.  Included only by
 * mod_authgate.c and src/mod_authgate_*.c, never by the pure core. */
#ifndef MOD_AUTHGATE_H
#define MOD_AUTHGATE_H

/* httpd's ap_config_auto.h defines these as httpd's own. */
#undef PACKAGE_NAME
#undef PACKAGE_STRING
#undef PACKAGE_TARNAME
#undef PACKAGE_VERSION
#undef PACKAGE_BUGREPORT
#undef PACKAGE_URL

#include <httpd.h>
#include <http_config.h>
#include <http_core.h>
#include <http_log.h>
#include <http_protocol.h>
#include <http_request.h>
#include <ap_provider.h>
#include <mod_auth.h>

#include <apr_strings.h>

#include "ag_digest.h"
#include "ag_file.h"
#include "ag_header.h"
#include "ag_nonce.h"
#include "ag_reason.h"
#include "ag_scheme.h"
#include "ag_store.h"

/* So that `LogLevel authgate:info` reaches every file of the module
 * (mod_authgate.c gets it from AP_DECLARE_MODULE). */
#ifndef AUTHGATE_DECLARES_MODULE
APLOG_USE_MODULE(authgate);
#endif

/* Its per-connection slot (c->conn_config) holds an authgate_conn_state. */
extern module AP_MODULE_DECLARE_DATA authgate_module;

#define AUTHGATE_AUTH_TYPE "AuthGate"

/* Retry-After of a 503: a credential source is unavailable. */
#define AUTHGATE_RETRY_AFTER "10"

/* A flag directive's value before it is set anywhere. */
#define AUTHGATE_UNSET (-1)

/* The Bearer scheme's directives (mod_authgate_bearer.c). */
typedef struct authgate_bearer_conf authgate_bearer_conf;

/* Per-directory configuration.  A NULL pointer or AUTHGATE_UNSET means
 * "not set here": the merge takes the parent's value.  A field added here
 * is added to merge_dir_conf() and nothing_set() in mod_authgate.c. */
typedef struct {
    apr_array_header_t *schemes;          /* of ag_scheme_id, in order */
    const ap_directive_t *schemes_where;  /* the AuthGateSchemes line that
                                             set SCHEMES, for messages;
                                             NULL when not known */
    int preflight;                        /* AuthGatePreflight */
    authn_provider_list *basic_providers; /* AuthGateBasicProvider */
    const ap_directive_t *basic_providers_where;  /* its line, or NULL */
    ag_reloader *apikey_file;             /* AuthGateApiKeyFile */
    const char *apikey_header;            /* AuthGateApiKeyHeader */
    const char *apikey_query;             /* AuthGateApiKeyQuery; "" = off */
    const char *apikey_dbd;               /* AuthGateApiKeyDBD: its label */

    authn_provider_list *digest_providers; /* AuthGateDigestProvider */
    const ap_directive_t *digest_providers_where; /* its line, or NULL */
    apr_array_header_t *digest_algorithms; /* of ag_digest_alg, in order */
    int digest_qop;                       /* AG_DIGEST_QOP_* bits */
    int nonce_lifetime;                   /* AuthGateNonceLifetime, s */
    ag_reloader *user_file;               /* AuthGateUserFile */
    authgate_bearer_conf *bearer;         /* AuthGateJWT*, AuthGateUserClaim,
                                             ..., AuthGateClaimEnv */
    struct ag_reloader *revocation;       /* AuthGateRevocationFile */
    const struct ag_failure_limit *failure_limit; /* AuthGateFailureLimit;
                                             a COUNT of 0: set to off */
} authgate_dir_conf;

/* Server configuration; the directives marked *server* in SPEC.md are
 * global: only the main server's values are read. */
typedef struct {
    ag_store_spec *state_store;           /* AuthGateStateStore */
    ag_nonce_secret *nonce_secret;        /* AuthGateNonceSecret */
} authgate_server_conf;

/* The claims of an identity, a JSON object, parsed when first asked for
 * (authgate_claims_get): most requests never look at them. */
typedef struct {
    const struct cJSON *parsed; /* r->pool; NULL until parsed, or none */
    const char *jwt;            /* a verified JWT (r->pool) whose payload
                                   they are, not decoded yet; NULL once
                                   tried, or when there is none */
    apr_size_t jwt_len;
} authgate_claims;

/* What a scheme concluded of the request's credentials. */
typedef struct {
    ag_reason reason;        /* AG_OK, or why not */
    int status;              /* on denial: the HTTP status (401, 400, 503) */
    const char *user;        /* the authenticated user, or on denial the
                                claimed one where known (for the log) */
    const char *key_id;      /* API key id or JWT kid, where known */
    const char *scope;       /* granted scopes, space-separated, or NULL */
    const char *provider;    /* the authn provider that vouched, or NULL */
    const char *issuer;      /* on denial, a JWT's iss where known (log) */
    authgate_claims claims;  /* the identity's claims: what `Require
                                claim` and AuthGateClaimEnv read */
} authgate_result;

/* What the gate established for this request (r->request_config). */
typedef struct {
    ag_scheme_id scheme;
    const char *scope;
    authgate_claims claims;
    /* Bearer's insufficient_scope challenge, made only when a 403 is sent
     * (mod_authgate_bearer.c): */
    const char *refused_scopes; /* of the `Require scope` lines that
                                   refused, space-separated, or NULL */
    int authorized;             /* authz granted: the fixups hook ran */
    /* for the one log line of a refusal that turned out final
     * (mod_authgate_authz.c): */
    const char *refused_lines;  /* the Require lines of the gate that
                                   refused, "scope a b; claim", or NULL */
    ag_reason refused_reason;   /* the last refusing line's */
    int refusal_logged;
} authgate_request_state;

/* NULL unless the gate authenticated this request. */
const authgate_request_state *authgate_request_get(const request_rec *r);

/* What the gate keeps for a connection: the memos of its last Bearer
 * token (mod_authgate_bearer.c) and of its last good Digest nonce
 * (mod_authgate_digest.c), each made at its first use in the
 * connection's pool. */
typedef struct {
    struct ag_token_memo *token;
    struct ag_nonce_memo *nonce;
    struct ag_apikey_memo *apikey;
} authgate_conn_state;

/* R's connection's state, made at its first use; NULL on an HTTP/2
 * stream, whose requests may run at the same time. */
authgate_conn_state *authgate_connection_get(request_rec *r);

/* The value of R's query parameter NAME (Bearer's access_token, the
 * AuthGateApiKeyQuery parameter), decoded, into *VALUE: APR_NOTFOUND when
 * there is none; APR_EINVAL when it is given twice, without a value
 * ("NAME" or "NAME=") or with one that does not decode. */
apr_status_t authgate_query_param(request_rec *r, const char *name,
                                  const char **value);

/* A scheme: one file in src/ each (mod_authgate_basic.c, ...).  Adding a
 * scheme means writing one of these and listing it in authgate_schemes. */
typedef struct {
    ag_scheme_id id;
    /* Judges CRED, which carries this scheme, into RES. */
    void (*authenticate)(request_rec *r, const authgate_dir_conf *conf,
                         const ag_credentials *cred, authgate_result *res);
    /* Appends this scheme's challenges (const char *, header values) for a
     * 401 whose reason is REASON, whichever scheme's credentials earned
     * it. */
    void (*challenge)(request_rec *r, const authgate_dir_conf *conf,
                      ag_reason reason, apr_array_header_t *out);
    /* Appends this scheme's challenge for a 400 that its own credentials
     * earned (RFC 6750 §3.1's invalid_request); NULL for a scheme whose
     * 400 carries none. */
    void (*bad_request)(request_rec *r, const authgate_dir_conf *conf,
                        apr_array_header_t *out);
    /* Credentials from somewhere other than Authorization (an API key
     * header, a query parameter); NULL when the scheme has none. */
    apr_status_t (*find_other)(request_rec *r, const authgate_dir_conf *conf,
                               ag_credentials **out);
    /* At start, for a section where the scheme is enabled: an error
     * message when it has nothing to check credentials against, else
     * NULL.  NULL when the scheme needs no such check. */
    const char *(*check)(const authgate_dir_conf *conf, apr_pool_t *p);
} authgate_scheme;

/* The schemes built into this module, indexed by ag_scheme_id; NULL for a
 * scheme named in the SPEC but not built yet. */
extern const authgate_scheme *const authgate_schemes[AG_SCHEME__COUNT];

extern const authgate_scheme authgate_scheme_basic;
extern const authgate_scheme authgate_scheme_apikey;
extern const authgate_scheme authgate_scheme_bearer;

extern const authgate_scheme authgate_scheme_digest;

/* mod_authgate_authn.c: the check_authn and note_auth_failure hooks, and
 * the access_checker_ex hook that lets CORS preflights through. */
int authgate_check_authn(request_rec *r);
int authgate_note_auth_failure(request_rec *r, const char *auth_type);
int authgate_preflight(request_rec *r);
/* The realm of challenges: AuthName, or "AuthGate" where none is set. */
const char *authgate_realm(request_rec *r);
/* The configuration in force, with SPEC.md's defaults filled in. */
const apr_array_header_t *authgate_effective_schemes(
    const authgate_dir_conf *conf);

/* mod_authgate_authz.c: `Require auth-scheme`, `Require scope`,
 * `Require claim`. */
extern const authz_provider authgate_authz_auth_scheme;
extern const authz_provider authgate_authz_scope;
extern const authz_provider authgate_authz_claim;
/* The claims C, decoded and parsed into P at the first call; NULL when
 * there are none. */
const struct cJSON *authgate_claims_get(authgate_claims *c, apr_pool_t *p);
/* The claims of the identity the gate authenticated for R; NULL when the
 * scheme yields none. */
const struct cJSON *authgate_request_claims(request_rec *r);
/* Warns when another module owns the authz provider name `claim`. */
void authgate_check_claim_provider(server_rec *s);
/* fixups: authz granted R (what a refused Require line noted does not
 * apply); for a local ErrorDocument, the log line of the refusal it
 * answers.  insert_error_filter: the log line of a refusal by the gate's
 * Require lines (AG00310), once and only when it is final. */
int authgate_authz_fixups(request_rec *r);
void authgate_authz_insert_error_filter(request_rec *r);

/* mod_authgate_bearer.c: the directives of the Bearer scheme, the merge
 * of their configuration, and its hooks. */
const char *authgate_set_jwt_key_file(cmd_parms *cmd, void *dconf, int argc,
                                      char *const argv[]);
const char *authgate_set_jwt_secret(cmd_parms *cmd, void *dconf, int argc,
                                    char *const argv[]);
const char *authgate_set_jwt_algorithms(cmd_parms *cmd, void *dconf,
                                        const char *word);
const char *authgate_set_jwt_issuer(cmd_parms *cmd, void *dconf,
                                    const char *word);
const char *authgate_set_jwt_audience(cmd_parms *cmd, void *dconf,
                                      const char *word);
const char *authgate_set_jwt_leeway(cmd_parms *cmd, void *dconf,
                                    const char *arg);
const char *authgate_set_jwt_require_claims(cmd_parms *cmd, void *dconf,
                                            const char *word);
const char *authgate_set_jwt_max_size(cmd_parms *cmd, void *dconf,
                                      const char *arg);
const char *authgate_set_user_claim(cmd_parms *cmd, void *dconf,
                                    const char *arg);
const char *authgate_set_scope_claim(cmd_parms *cmd, void *dconf,
                                     const char *arg);
const char *authgate_set_bearer_query(cmd_parms *cmd, void *dconf, int on);
const char *authgate_set_claim_env(cmd_parms *cmd, void *dconf,
                                   const char *word);
const char *authgate_set_token_cache(cmd_parms *cmd, void *dconf, int argc,
                                     char *const argv[]);
authgate_bearer_conf *authgate_bearer_merge(apr_pool_t *p,
                                            authgate_bearer_conf *base,
                                            authgate_bearer_conf *add);
/* pre_config: the server-wide settings start from their defaults. */
int authgate_bearer_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp);
/* child_init: the process's verified-token cache. */
void authgate_bearer_child_init(apr_pool_t *pchild, server_rec *s);
/* fixups: for the ErrorDocument of a 403, the challenge below. */
int authgate_bearer_fixups(request_rec *r);
/* insert_error_filter: a 403 for a Bearer request that authz refused
 * carries the insufficient_scope challenge. */
void authgate_bearer_insert_error_filter(request_rec *r);
/* A `Require scope` line refused R: its scopes SCOPES (which outlive R)
 * are named in that challenge. */
void authgate_bearer_refused(request_rec *r, const char *scopes);

/* mod_authgate_reload.c: files re-read when they change, and
 * AuthGateRevocationFile. */
struct ag_reloader;
/* The reloader of the file PATH (relative to ServerRoot) named by the
 * directive being read, loaded now; NULL, or the error naming the
 * directive and the file.  Files named again by the same directive share
 * one reloader, unless BATON (PARSE's) makes them differ. */
const char *authgate_reloader_for(cmd_parms *cmd, const char *path,
                                  apr_size_t max, ag_reload_parse_fn parse,
                                  void *baton, struct ag_reloader **out);
/* The current parse of RL's file for R (released with r->pool); a reload
 * is logged at info, a failed one as a warning, naming DIRECTIVE and the
 * file. */
void *authgate_reload_acquire(request_rec *r, struct ag_reloader *rl,
                              const char *directive);
const char *authgate_set_revocation_file(cmd_parms *cmd, void *dconf,
                                         const char *path);
/* The location's AuthGateRevocationFile as R sees it, or NULL when it
 * has none. */
struct ag_revocation;
const struct ag_revocation *authgate_revocation(request_rec *r,
                                                const authgate_dir_conf *conf);
/* 1 when ID (a JWT jti or an API key id) is listed in the location's
 * AuthGateRevocationFile. */
int authgate_revoked(request_rec *r, const authgate_dir_conf *conf,
                     const char *id);

/* mod_authgate_schemecheck.c: at start, every section where a scheme is
 * enabled has what the scheme needs (authgate_scheme.check). */
int authgate_check_schemes(apr_pool_t *ptemp, server_rec *s);
/* For a check's message: where CONF's schemes come from,
 * "AuthGateSchemes at FILE:LINE", or its default when none applies. */
const char *authgate_schemes_origin(const authgate_dir_conf *conf,
                                    apr_pool_t *p);
/* "NAME at FILE:LINE" for the directive D, or NAME alone when D is NULL
 * or was not read from a file. */
const char *authgate_directive_at(const char *name, const ap_directive_t *d,
                                  apr_pool_t *p);

/* mod_authgate_section.c: the node of ap_conftree that opened section I
 * of SECTIONS, server S's sec_dir (IS_DIR) or sec_url; NULL when it
 * cannot be told (a section not made from the configuration files). */
const ap_directive_t *authgate_section_node(server_rec *s,
                                            const apr_array_header_t *sections,
                                            int i, int is_dir, apr_pool_t *p);

/* mod_authgate_authn_list.c: appends the authn provider NAME to *LIST,
 * checking that it can check passwords (or, with REALM_HASH, supply
 * Digest realm hashes); an error message naming the directive otherwise. */
const char *authgate_authn_list_add(cmd_parms *cmd,
                                    authn_provider_list **list,
                                    const char *name, int realm_hash);

/* The provider a scheme asks when its directive is not set, as
 * mod_auth_basic and mod_auth_digest do. */
#define AUTHGATE_DEFAULT_AUTHN_PROVIDER "file"

/* LIST, or when it is NULL the default provider as a list of one in
 * *DFLT; NULL when the default is not loaded or cannot do what REALM_HASH
 * says (as for authgate_authn_list_add). */
const authn_provider_list *authgate_authn_list_or_default(
    const authn_provider_list *list, authn_provider_list *dflt,
    int realm_hash);

/* mod_authgate_basic.c: the provider list behind AuthGateBasicProvider. */
const char *authgate_add_basic_provider(cmd_parms *cmd,
                                        authgate_dir_conf *conf,
                                        const char *name);

/* mod_authgate_confcheck.c: start-up warnings on the configuration
 * (P for the words read). */
void authgate_check_forbidden_on_failure(server_rec *s, apr_pool_t *p);
void authgate_check_unused_directives(server_rec *s, apr_pool_t *p);

/* mod_authgate_apikey.c: API keys from AuthGateApiKeyFile or through
 * AuthGateApiKeyDBD, for the ApiKey scheme and the authgate provider. */
typedef struct {
    const char *id;          /* key id, where known */
    const char *user;
    const char *scope;       /* space-separated, or NULL for none */
} authgate_apikey_match;

/* What KEY (LEN bytes, already checked with ag_apikey_key_valid) allows
 * here: AG_OK with *M filled, AG_R_APIKEY_UNKNOWN, AG_R_APIKEY_EXPIRED,
 * AG_R_REVOKED (M's user and id set where known), or
 * AG_R_BACKEND_UNAVAILABLE (logged). */
ag_reason authgate_apikey_lookup(request_rec *r,
                                 const authgate_dir_conf *conf,
                                 const char *key, apr_size_t len,
                                 authgate_apikey_match *m);
const char *authgate_set_apikey_file(cmd_parms *cmd, void *dconf,
                                     const char *path);
const char *authgate_set_apikey_header(cmd_parms *cmd, void *dconf,
                                       const char *name);
const char *authgate_set_apikey_query(cmd_parms *cmd, void *dconf,
                                      const char *param);

/* mod_authgate_dbd.c: AuthGateApiKeyDBD through mod_dbd. */
const char *authgate_set_apikey_dbd(cmd_parms *cmd, void *dconf,
                                    const char *query);
ag_reason authgate_dbd_apikey_lookup(request_rec *r, const char *label,
                                     const char *key, apr_size_t len,
                                     authgate_apikey_match *m);

/* mod_authgate_provider.c: the `authgate` authn provider. */
#define AUTHGATE_PROVIDER_NAME "authgate"
extern const authn_provider authgate_authn_provider;

/* At start: the error to stop with when the directive NAME (written at
 * WHERE, which may be NULL) asks the authgate provider for what nothing
 * in CONF gives it: for a realm hash (REALM_HASH) an AuthGateUserFile,
 * for a password a key store; NULL when it is there. */
const char *authgate_provider_check(const authgate_dir_conf *conf,
                                    int realm_hash, const char *name,
                                    const ap_directive_t *where,
                                    apr_pool_t *p);
/* r->notes the provider leaves for the Basic scheme when it vouched with
 * an API key. */
#define AUTHGATE_NOTE_KEY_ID "authgate-key-id"
#define AUTHGATE_NOTE_SCOPE "authgate-scope"
/* ... and, when it refused a known key, the reason code. */
#define AUTHGATE_NOTE_REASON "authgate-reason"

/* mod_authgate_digest.c: the Digest scheme's directives, and the input
 * filter that hands a body read for qop=auth-int on to the handler. */
const char *authgate_set_digest_provider(cmd_parms *cmd, void *dconf,
                                         const char *name);
const char *authgate_set_digest_algorithms(cmd_parms *cmd, void *dconf,
                                           int argc, char *const argv[]);
const char *authgate_set_digest_qop(cmd_parms *cmd, void *dconf, int argc,
                                    char *const argv[]);
const char *authgate_set_nonce_lifetime(cmd_parms *cmd, void *dconf,
                                        const char *arg);
#define AUTHGATE_KEPT_BODY_FILTER "AUTHGATE_KEPT_BODY"
apr_status_t authgate_kept_body_filter(ap_filter_t *f, apr_bucket_brigade *bb,
                                       ap_input_mode_t mode,
                                       apr_read_type_e block,
                                       apr_off_t readbytes);

/* mod_authgate_userfile.c: AuthGateUserFile and its lookups. */
const char *authgate_set_user_file(cmd_parms *cmd, void *dconf,
                                   const char *path);
/* The HA1 of USER in REALM for HASH (hex), from the AuthGateUserFile in
 * force for R. */
authn_status authgate_userfile_get(request_rec *r, const char *user,
                                   const char *realm, ag_digest_hash hash,
                                   const char **hex);
/* The same, the user given by its userhash; *USER gets the name. */
authn_status authgate_userfile_by_userhash(request_rec *r,
                                           const char *userhash,
                                           const char *realm,
                                           ag_digest_hash hash,
                                           const char **user,
                                           const char **hex);


/* mod_authgate_failure.c: AuthGateFailureLimit. */
const char *authgate_set_failure_limit(cmd_parms *cmd, void *dconf, int argc,
                                       char *const argv[]);
/* How many seconds R's client is still locked out for under CONF's limit
 * (0: it is not, or there is no limit), into *SECONDS; anything but
 * APR_SUCCESS when the state store could not answer (logged). */
apr_status_t authgate_failure_locked(request_rec *r,
                                     const authgate_dir_conf *conf,
                                     unsigned *seconds);
/* Counts a denial for REASON of R's credentials, where CONF has a limit and
 * REASON counts; *SECONDS is the lockout that this failure started (or
 * that was in force), else 0.  Anything but APR_SUCCESS when the store
 * could not answer (logged). */
apr_status_t authgate_failure_note(request_rec *r,
                                   const authgate_dir_conf *conf,
                                   ag_reason reason, unsigned *seconds);

/* mod_authgate_metrics.c: the authgate-status handler and its counters,
 * shared by every process of the server. */
#define AUTHGATE_STATUS_HANDLER "authgate-status"
int authgate_metrics_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                                 apr_pool_t *ptemp, server_rec *s);
/* One authentication decision for SCHEME (AG_SCHEME_NONE: none). */
void authgate_metrics_request(ag_scheme_id scheme, int granted);
/* One denial logged with REASON. */
void authgate_metrics_denial(ag_reason reason);
/* A file of keys, users or revocations re-read after a change. */
void authgate_metrics_reload(void);
/* A Bearer token found verified in the cache (HIT), or not. */
void authgate_metrics_token_cache(int hit);
/* handler: SetHandler authgate-status. */
int authgate_status_handler(request_rec *r);

/* mod_authgate_shm.c: the state store and the nonce secret, shared by
 * every process of the server and kept across graceful restarts. */
const char *authgate_set_state_store(cmd_parms *cmd, void *dconf,
                                     const char *spec);
const char *authgate_set_nonce_secret(cmd_parms *cmd, void *dconf,
                                      const char *spec);
int authgate_state_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                              apr_pool_t *ptemp);
int authgate_state_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s);
void authgate_state_child_init(apr_pool_t *p, server_rec *s);
/* The store.  Where it cannot answer (its mutex not reattached in this
 * child, or its lock failing) every update fails: requests needing it get
 * 503. */
ag_store *authgate_state_store(void);
/* The nonce secret in force, or NULL before post_config. */
const ag_nonce_secret *authgate_nonce_secret(void);

#endif
