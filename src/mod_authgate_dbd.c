/* AuthGateApiKeyDBD: API keys looked up through mod_dbd, the way
 * mod_authn_dbd looks up passwords.  The statement is prepared when the
 * configuration is read and run with one parameter, the key's SHA-256 as
 * lower-case hex; it returns the columns
 *
 *   user     required
 *   scopes   space-separated, NULL or '' for none (optional column)
 *   expires  Unix seconds from which the key is refused, NULL for never
 *            (optional column)
 *   id       the key id for logs and AUTHGATE_KEY_ID (optional column;
 *            without it, the id in an ag_<id>_<secret> key)
 *
 * No row: the key is unknown.  No connection, a failing statement or a
 * row that breaks these rules: 503 backend_unavailable, never a grant. */
#include <string.h>

#include <apr_dbd.h>
#include <apr_hash.h>
#include <apr_optional.h>
#include <apr_strings.h>
#include <mod_dbd.h>

#include "ag_apikey.h"
#include "mod_authgate.h"

static APR_OPTIONAL_FN_TYPE(ap_dbd_acquire) *dbd_acquire_fn;
static APR_OPTIONAL_FN_TYPE(ap_dbd_prepare) *dbd_prepare_fn;

const char *authgate_set_apikey_dbd(cmd_parms *cmd, void *dconf,
                                    const char *query)
{
    static unsigned label_num;
    authgate_dir_conf *conf = dconf;
    const char *err = ap_check_cmd_context(cmd, NOT_IN_HTACCESS);

    if (err != NULL)
        return err;
    if (dbd_prepare_fn == NULL) {
        dbd_prepare_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_prepare);
        dbd_acquire_fn = APR_RETRIEVE_OPTIONAL_FN(ap_dbd_acquire);
        if (dbd_prepare_fn == NULL || dbd_acquire_fn == NULL) {
            dbd_prepare_fn = NULL;
            return apr_psprintf(cmd->pool, "%s: load mod_dbd first",
                                cmd->cmd->name);
        }
    }
    if (ap_strstr_c(query, "%s") == NULL)
        return apr_psprintf(cmd->pool, "%s: the query takes the key's "
                            "SHA-256 as its one parameter, %%s",
                            cmd->cmd->name);
    conf->apikey_dbd = apr_psprintf(cmd->pool, "authgate_apikey_%u",
                                    ++label_num);
    dbd_prepare_fn(cmd->server, query, conf->apikey_dbd);
    return NULL;
}

static ag_reason unavailable(request_rec *r, const char *what)
{
    ap_log_rerror(APLOG_MARK, APLOG_ERR, 0, r,
                  "AG00540: AuthGateApiKeyDBD: %s", what);
    return AG_R_BACKEND_UNAVAILABLE;
}

/* Unix seconds, or NULL/'' for never (0). */
static int parse_expires(const char *s, apr_int64_t *out)
{
    apr_int64_t v = 0;

    *out = 0;
    if (s == NULL || *s == '\0')
        return 1;
    for (; *s != '\0'; s++) {
        if (*s < '0' || *s > '9' || v > AG_APIKEY_MAX_TIME)
            return 0;
        v = v * 10 + (*s - '0');
    }
    if (v == 0 || v > AG_APIKEY_MAX_TIME)
        return 0;
    *out = v;
    return 1;
}

static int printable(const char *s)
{
    for (; *s != '\0'; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return 0;
    return 1;
}

/* The first row's verdict; what is wrong with it in *WHY. */
static ag_reason judge_row(request_rec *r, const apr_dbd_driver_t *driver,
                           apr_dbd_row_t *row, int cols, const char *key,
                           apr_size_t len, authgate_apikey_match *m,
                           const char **why)
{
    const char *user = apr_dbd_get_entry(driver, row, 0);
    const char *scopes = cols > 1 ? apr_dbd_get_entry(driver, row, 1) : NULL;
    const char *expires = cols > 2 ? apr_dbd_get_entry(driver, row, 2)
                                   : NULL;
    const char *id = cols > 3 ? apr_dbd_get_entry(driver, row, 3) : NULL;
    apr_int64_t until;

    if (user == NULL || *user == '\0' || strlen(user) > AG_APIKEY_MAX_USER ||
        !printable(user)) {
        *why = "the row's user is empty, too long or not printable";
        return AG_R_BACKEND_UNAVAILABLE;
    }
    if (scopes != NULL &&
        ag_apikey_scopes_normalize(scopes, &scopes, r->pool) != APR_SUCCESS) {
        *why = "the row's scopes hold characters a scope may not have";
        return AG_R_BACKEND_UNAVAILABLE;
    }
    if (!parse_expires(expires, &until)) {
        *why = "the row's expires is not Unix seconds or NULL";
        return AG_R_BACKEND_UNAVAILABLE;
    }
    if (id != NULL && !ag_apikey_id_valid(id)) {
        *why = "the row's id is not 1 to 64 of A-Z a-z 0-9 . _ -";
        return AG_R_BACKEND_UNAVAILABLE;
    }
    m->user = apr_pstrdup(r->pool, user);
    m->scope = scopes != NULL && *scopes != '\0' ? scopes : NULL;
    m->id = id != NULL ? apr_pstrdup(r->pool, id)
                       : ag_apikey_key_id(key, len, r->pool);
    if (until != 0 && apr_time_sec(r->request_time) >= until)
        return AG_R_APIKEY_EXPIRED;
    return AG_OK;
}

ag_reason authgate_dbd_apikey_lookup(request_rec *r, const char *label,
                                     const char *key, apr_size_t len,
                                     authgate_apikey_match *m)
{
    const char *hex = ag_apikey_hash_hex(key, len, r->pool);
    const char *why = NULL;
    apr_dbd_prepared_t *statement;
    apr_dbd_results_t *res = NULL;
    apr_dbd_row_t *row = NULL;
    ag_reason reason = AG_R_APIKEY_UNKNOWN;
    ap_dbd_t *dbd;
    int rv, rows = 0;

    if (dbd_acquire_fn == NULL)
        return unavailable(r, "mod_dbd is not loaded");
    dbd = dbd_acquire_fn(r);
    if (dbd == NULL)
        return unavailable(r, "no database connection (see mod_dbd's "
                              "messages)");
    statement = apr_hash_get(dbd->prepared, label, APR_HASH_KEY_STRING);
    if (statement == NULL)
        return unavailable(r, "the query is not prepared on this "
                              "connection (is DBDriver set for this "
                              "server?)");
    rv = apr_dbd_pvselect(dbd->driver, r->pool, dbd->handle, &res,
                          statement, 0, hex, NULL);
    if (rv != 0)
        return unavailable(r, apr_pstrcat(r->pool, "the query failed: ",
                                          apr_dbd_error(dbd->driver,
                                                        dbd->handle, rv),
                                          NULL));
    /* every row is read, so that the driver can clean up */
    while ((rv = apr_dbd_get_row(dbd->driver, r->pool, res, &row, -1)) !=
           -1) {
        if (rv != 0)
            return unavailable(r, apr_pstrcat(r->pool, "reading a row "
                                              "failed: ",
                                              apr_dbd_error(dbd->driver,
                                                            dbd->handle, rv),
                                              NULL));
        if (rows++ == 0)
            reason = judge_row(r, dbd->driver, row,
                               apr_dbd_num_cols(dbd->driver, res), key, len,
                               m, &why);
    }
    if (why != NULL)
        return unavailable(r, why);
    if (rows > 1)
        ap_log_rerror(APLOG_MARK, APLOG_WARNING, 0, r,
                      "AG00541: AuthGateApiKeyDBD: %d rows for one key; "
                      "the first is used", rows);
    return reason;
}
