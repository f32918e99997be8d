/* The shared-memory state store and the Digest nonce secret, the way
 * mod_auth_digest keeps its client table: a mutex type registered in
 * pre_config (so the Mutex directive can set it), shared memory made in
 * post_config (skipping the first pass, which only checks the
 * configuration), the mutex reattached in child_init.
 *
 * Unlike mod_auth_digest, the memory, its mutex and the random secret are
 * retained data: made once by the parent process and kept across graceful
 * restarts, so nonces issued before a restart stay valid and their
 * nonce-counts stay tracked.  Old and new children share one table and
 * one mutex while the old ones finish.  A new size (AuthGateStateStore
 * shm:SIZE) gives a new, empty table: the nonces in use then are answered
 * stale=true once, and the old table is given up (ag_store_table_retire)
 * so that the old children do not take nonces first used under the new
 * one for new. */
#include <string.h>

#include <apr_shm.h>
#include <apr_global_mutex.h>

#include <http_core.h>
#include <util_mutex.h>

#include <openssl/crypto.h>

#include "mod_authgate.h"

#define STATE_MUTEX_TYPE "authgate-state"
#define RETAINED_KEY "mod_authgate-state"
/* Changes with the layout of retained_state. */
#define RETAINED_MAGIC 0x41475203u

/* Longest secret file read: the secret's bound and some white space. */
#define SECRET_FILE_MAX (AG_NONCE_SECRET_MAX + 1024)

typedef struct {
    apr_uint32_t magic;
    apr_shm_t *shm;
    apr_size_t size;
    apr_global_mutex_t *mutex;
    const char *mutex_file;
    /* The random nonce secret, drawn once.  Only bytes are kept: what is
     * made from them lives in each generation's pconf, whose cleanups run
     * before the module is unloaded (a cleanup in the process pool would
     * call into an unloaded module when httpd exits). */
    unsigned char random_secret[AG_NONCE_SECRET_RANDOM_LEN];
    int random_drawn;
} retained_state;

/* This generation's view, per process. */
static retained_state *retained;
static apr_global_mutex_t *state_mutex;  /* this process's handle */
static ag_store_table *state_table;
static apr_status_t shm_update(ag_store *st, ag_store_kind kind,
                               const unsigned char *key, apr_time_t now,
                               ag_store_update_fn fn, void *baton);
static void shm_stats(ag_store *st, ag_store_stats *out);
/* Its ctx, the server its warnings go to, is set in post_config. */
static ag_store shm_store = {"shm", shm_update, shm_stats, NULL};
static int store_usable;  /* this process has the table and its mutex */
static ag_nonce_secret nonce_secret;
static int secret_set;

static authgate_server_conf *main_conf(server_rec *s)
{
    return ap_get_module_config(s->module_config, &authgate_module);
}

/* --- directives --------------------------------------------------------- */

const char *authgate_set_state_store(cmd_parms *cmd, void *dconf,
                                     const char *spec)
{
    authgate_server_conf *conf = main_conf(cmd->server);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY);

    if (err != NULL)
        return err;
    conf->state_store = apr_pcalloc(cmd->pool, sizeof(*conf->state_store));
    err = ag_store_spec_parse(spec, conf->state_store, cmd->pool);
    if (err != NULL)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": ", err, NULL);
    return NULL;
}

const char *authgate_set_nonce_secret(cmd_parms *cmd, void *dconf,
                                      const char *spec)
{
    authgate_server_conf *conf = main_conf(cmd->server);
    const char *err = ap_check_cmd_context(cmd, GLOBAL_ONLY), *path;
    apr_size_t len;
    apr_status_t rv;
    char *data;

    if (err != NULL)
        return err;
    if (strncmp(spec, "file:", 5) != 0 || spec[5] == '\0')
        return apr_pstrcat(cmd->pool, cmd->cmd->name,
                           ": give the secret as file:/path", NULL);
    path = ap_server_root_relative(cmd->temp_pool, spec + 5);
    if (path == NULL)
        return apr_pstrcat(cmd->pool, cmd->cmd->name, ": bad path ",
                           spec + 5, NULL);
    rv = ag_file_read(path, SECRET_FILE_MAX, &data, &len, NULL,
                      cmd->temp_pool);
    if (rv != APR_SUCCESS)
        return apr_psprintf(cmd->pool, "%s: cannot read %s: %pm",
                            cmd->cmd->name, path, &rv);
    conf->nonce_secret = apr_pcalloc(cmd->pool, sizeof(*conf->nonce_secret));
    err = ag_nonce_secret_from_text(data, len, conf->nonce_secret, cmd->pool);
    OPENSSL_cleanse(data, len);   /* not optimised away, as memset may be */
    if (err != NULL)
        return apr_psprintf(cmd->pool, "%s: %s: %s", cmd->cmd->name, path,
                            err);
    return NULL;
}

/* --- the store ------------------------------------------------------------ */

/* A full table is said at most this often, by whichever process sees it. */
#define EVICTION_REPORT_EVERY apr_time_from_sec(60)

static void report_evictions(server_rec *s, apr_uint64_t n,
                             const ag_store_stats *st)
{
    ap_log_error(APLOG_MARK, APLOG_WARNING, 0, s,
                 "AG00419: the state store is full (%" APR_UINT64_T_FMT
                 " records): dropped to make room, %" APR_UINT64_T_FMT
                 " since the last such warning, %" APR_UINT64_T_FMT " in "
                 "all; a Digest client whose nonce was dropped gets "
                 "stale=true once (a larger AuthGateStateStore shm:SIZE "
                 "keeps more)", st->capacity, n, st->evictions);
}

static apr_status_t shm_update(ag_store *st, ag_store_kind kind,
                               const unsigned char *key, apr_time_t now,
                               ag_store_update_fn fn, void *baton)
{
    apr_status_t rv;
    ag_store_stats stats;
    apr_uint64_t dropped;

    /* A child that could not reattach the mutex (AG00402), or a store
     * never made, answers nothing; the caller logs it and fails closed. */
    if (!store_usable) {
        if (state_table != NULL)
            ag_store_table_count_error(state_table);
        return APR_ENOLOCK;
    }
    rv = apr_global_mutex_lock(state_mutex);
    if (rv != APR_SUCCESS) {
        ag_store_table_count_error(state_table);
        return rv;
    }
    rv = ag_store_table_update(state_table, kind, key, now, fn, baton);
    dropped = ag_store_table_evictions_to_report(state_table, now,
                                                 EVICTION_REPORT_EVERY);
    if (dropped > 0)
        ag_store_table_stats(state_table, &stats);
    apr_global_mutex_unlock(state_mutex);
    if (dropped > 0)
        report_evictions(st->ctx, dropped, &stats);
    return rv;
}

static void shm_stats(ag_store *st, ag_store_stats *out)
{
    if (state_table == NULL) {
        memset(out, 0, sizeof(*out));
        out->errors_only = 1;
        return;
    }
    if (!store_usable ||
        apr_global_mutex_lock(state_mutex) != APR_SUCCESS) {
        ag_store_table_errors_only(state_table, out);
        return;
    }
    ag_store_table_stats(state_table, out);
    apr_global_mutex_unlock(state_mutex);
}

ag_store *authgate_state_store(void)
{
    return &shm_store;
}

const ag_nonce_secret *authgate_nonce_secret(void)
{
    return secret_set ? &nonce_secret : NULL;
}

/* --- hooks ---------------------------------------------------------------- */

int authgate_state_pre_config(apr_pool_t *pconf, apr_pool_t *plog,
                              apr_pool_t *ptemp)
{
    store_usable = 0;
    secret_set = 0;
    return ap_mutex_register(pconf, STATE_MUTEX_TYPE, NULL, APR_LOCK_DEFAULT,
                             0) == APR_SUCCESS ? OK : !OK;
}

static retained_state *get_retained(void)
{
    retained_state *rs = ap_retained_data_get(RETAINED_KEY);

    if (rs == NULL)
        rs = ap_retained_data_create(RETAINED_KEY, sizeof(*rs));
    if (rs->magic != RETAINED_MAGIC) {
        /* first start, or a module of another layout before a restart */
        memset(rs, 0, sizeof(*rs));
        rs->magic = RETAINED_MAGIC;
    }
    return rs;
}

static int setup_secret(server_rec *s, apr_pool_t *pconf)
{
    authgate_server_conf *conf = main_conf(s);
    apr_status_t rv;

    if (conf->nonce_secret != NULL) {
        nonce_secret = *conf->nonce_secret;
        secret_set = 1;
        return OK;
    }
    rv = retained->random_drawn ? APR_SUCCESS
                                : ag_nonce_secret_draw(retained->random_secret);
    if (rv == APR_SUCCESS) {
        retained->random_drawn = 1;
        rv = ag_nonce_secret_from_bytes(retained->random_secret,
                                        sizeof(retained->random_secret),
                                        &nonce_secret, pconf);
    }
    if (rv != APR_SUCCESS) {
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                     "AG00405: cannot make a random nonce secret");
        return !OK;
    }
    secret_set = 1;
    return OK;
}

/* Marks the last generation's table given up (ag_store_table_retire), for
 * the old children that still use it. */
static void retire_table(void)
{
    ag_store_table *old = ag_store_table_attach(
        apr_shm_baseaddr_get(retained->shm), retained->size);
    int locked;

    if (old == NULL)
        return;
    /* A mutex that fails here fails the old children too: they refuse
     * every Digest request (AG00413), so the table is given up anyway. */
    locked = apr_global_mutex_lock(retained->mutex) == APR_SUCCESS;
    ag_store_table_retire(old);
    if (locked)
        apr_global_mutex_unlock(retained->mutex);
}

/* The table of SIZE bytes: the retained one when it fits, else new. */
static int setup_table(server_rec *s, apr_size_t size)
{
    apr_status_t rv;
    const char *how = "kept across the restart";

    if (retained->shm != NULL) {
        state_table = retained->size == size
            ? ag_store_table_attach(apr_shm_baseaddr_get(retained->shm), size)
            : NULL;
        if (state_table == NULL) {
            /* Children of the last generation keep their own mapping of
             * it until they exit: what they do with it must not undo the
             * new table's replay checks. */
            retire_table();
            apr_shm_destroy(retained->shm);
            retained->shm = NULL;
        }
    }
    if (retained->shm == NULL) {
        rv = apr_shm_create(&retained->shm, size, NULL, s->process->pool);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                         "AG00400: cannot create the state store's shared "
                         "memory of %" APR_SIZE_T_FMT " bytes (see "
                         "AuthGateStateStore)", size);
            return !OK;
        }
        retained->size = size;
        state_table = ag_store_table_init(apr_shm_baseaddr_get(retained->shm),
                                          size, apr_time_now());
        how = "new";
    }
    ap_log_error(APLOG_MARK, APLOG_DEBUG, 0, s,
                 "AG00403: state store: shared memory of %" APR_SIZE_T_FMT
                 " bytes, %" APR_SIZE_T_FMT " records, %s", size,
                 ag_store_table_capacity(size), how);
    return OK;
}

/* Whether the retained mutex still locks.  One whose every lock fails
 * (a System V semaphore removed by ipcrm, or by systemd-logind's
 * RemoveIPC=yes) is made anew at the restart, and the table kept: the
 * children still holding the old one cannot take it, so they never touch
 * the table while the new ones do.  The old handle stays in the process
 * pool: destroying it could undo what the old children still use. */
static int mutex_works(apr_global_mutex_t *m, server_rec *s)
{
    apr_status_t rv = apr_global_mutex_lock(m);

    if (rv == APR_SUCCESS) {
        apr_global_mutex_unlock(m);
        return 1;
    }
    ap_log_error(APLOG_MARK, APLOG_WARNING, rv, s,
                 "AG00404: the state store's mutex (%s) no longer locks: "
                 "made anew", apr_global_mutex_name(m));
    return 0;
}

int authgate_state_post_config(apr_pool_t *pconf, apr_pool_t *plog,
                               apr_pool_t *ptemp, server_rec *s)
{
    authgate_server_conf *conf = main_conf(s);
    apr_size_t size = conf->state_store != NULL ? conf->state_store->size
                                                : AG_STORE_DEFAULT_SIZE;
    apr_status_t rv;

    if (ap_state_query(AP_SQ_MAIN_STATE) == AP_SQ_MS_CREATE_PRE_CONFIG)
        return OK;
    retained = get_retained();
    if (setup_secret(s, pconf) != OK)
        return !OK;
    if (retained->mutex != NULL && !mutex_works(retained->mutex, s))
        retained->mutex = NULL;
    if (retained->mutex == NULL) {
        rv = ap_global_mutex_create(&retained->mutex, &retained->mutex_file,
                                    STATE_MUTEX_TYPE, NULL, s,
                                    s->process->pool, 0);
        if (rv != APR_SUCCESS) {
            ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                         "AG00401: cannot create the state store's mutex");
            return !OK;
        }
    }
    if (setup_table(s, size) != OK)
        return !OK;
    state_mutex = retained->mutex;
    shm_store.ctx = s;
    store_usable = 1;
    return OK;
}

void authgate_state_child_init(apr_pool_t *p, server_rec *s)
{
    apr_status_t rv;

    if (retained == NULL || retained->mutex == NULL)
        return;
    state_mutex = retained->mutex;
    rv = apr_global_mutex_child_init(&state_mutex, retained->mutex_file, p);
    if (rv != APR_SUCCESS) {
        /* Fail closed: Digest answers 503 in this child. */
        store_usable = 0;
        ap_log_error(APLOG_MARK, APLOG_CRIT, rv, s,
                     "AG00402: cannot reattach the state store's mutex in "
                     "this child");
    }
}
