/* authgate apikey add|list|revoke: the API key records of
 * AuthGateApiKeyFile (format: src/ag_apikey.h). */
#include <stdio.h>
#include <string.h>

#include <apr_file_info.h>
#include <apr_file_io.h>
#include <apr_strings.h>
#include <apr_time.h>

#include "ag_apikey.h"
#include "ag_file.h"
#include "authgate.h"

#define FILE_HEADER \
    "# authgate API keys, made by `authgate apikey`; see authgate(1).\n" \
    "# id:sha256:user:expires:created:revoked:scopes\n"

static const char usage_group[] =
    "usage: authgate apikey add FILE USER [--scopes \"a b\"] "
    "[--expires DATE]\n"
    "       authgate apikey list FILE\n"
    "       authgate apikey revoke FILE ID\n"
    "\n"
    "Makes, lists and revokes the API keys of an AuthGateApiKeyFile.\n"
    "`authgate apikey COMMAND --help` tells more.\n";

static const char usage_add[] =
    "usage: authgate apikey add FILE USER [--scopes \"a b\"] "
    "[--expires DATE]\n"
    "\n"
    "Makes a random key for USER, prints it alone on the first line of\n"
    "standard output (the only time it is shown) and appends a record of\n"
    "its id and SHA-256 to FILE, which is created when missing.\n"
    "\n"
    "  --scopes \"a b\"  the scopes the key grants, space-separated\n"
    "  --expires DATE  when the key stops working: 2027-01-31 (midnight\n"
    "                  UTC), 2027-01-31T12:00:00Z, or +30d (in 30 days)\n"
    "\n"
    "Exit codes: 0 success, 2 usage or input error.\n";

static const char usage_list[] =
    "usage: authgate apikey list FILE\n"
    "\n"
    "Lists the keys of FILE, one a line, tab-separated: id, user, status\n"
    "(active, expired, revoked), expiry, creation time, scopes.\n"
    "\n"
    "Exit codes: 0 success, 2 usage or input error.\n";

static const char usage_revoke[] =
    "usage: authgate apikey revoke FILE ID\n"
    "\n"
    "Marks the key ID revoked in FILE; the record stays, with the time of\n"
    "the revocation.  The server refuses the key within a second.\n"
    "\n"
    "Exit codes: 0 success (also when it was revoked already), 2 usage or\n"
    "input error (no such id, unreadable or malformed FILE).\n";

static int usage(const char *text, int code)
{
    fputs(text, code == AG_EXIT_OK ? stdout : stderr);
    return code;
}

static apr_int64_t now_sec(void)
{
    return (apr_int64_t)apr_time_sec(apr_time_now());
}

/* --- arguments -------------------------------------------------------- */

typedef struct {
    const char *pos[3];
    int npos;
    const char *scopes;
    const char *expires;
    int help;
} args_t;

/* Options may come before, between or after the positional arguments;
 * "--" ends them.  OPTS says which options the command takes. */
static int parse_args(int argc, const char *const *argv, int takes_opts,
                      args_t *a)
{
    int i, opts_done = 0;

    memset(a, 0, sizeof(*a));
    for (i = 2; i < argc; i++) {
        const char *arg = argv[i];
        const char **slot = NULL;
        const char *name = NULL;

        if (!opts_done && strcmp(arg, "--") == 0) {
            opts_done = 1;
            continue;
        }
        if (!opts_done && ag_tool_is_help(arg)) {
            a->help = 1;
            return AG_EXIT_OK;
        }
        if (!opts_done && arg[0] == '-' && arg[1] != '\0') {
            if (takes_opts && strncmp(arg, "--scopes", 8) == 0)
                slot = &a->scopes, name = "--scopes";
            else if (takes_opts && strncmp(arg, "--expires", 9) == 0)
                slot = &a->expires, name = "--expires";
            if (slot == NULL || (arg[strlen(name)] != '\0' &&
                                 arg[strlen(name)] != '='))
                return ag_tool_fail(AG_EXIT_USAGE, "unknown option '%s'",
                                    arg);
            if (arg[strlen(name)] == '=')
                *slot = arg + strlen(name) + 1;
            else if (i + 1 < argc)
                *slot = argv[++i];
            else
                return ag_tool_fail(AG_EXIT_USAGE, "%s needs a value", name);
            continue;
        }
        if (a->npos == 3)
            return ag_tool_fail(AG_EXIT_USAGE, "too many arguments");
        a->pos[a->npos++] = arg;
    }
    return AG_EXIT_OK;
}

/* --- the file --------------------------------------------------------- */

typedef struct {
    char *data;
    apr_size_t len;
    ag_apikey_store *store;
    int exists;
} keyfile;

static int load(const char *path, int may_be_missing, keyfile *kf,
                apr_pool_t *p)
{
    const char *err = NULL;
    apr_status_t rv;

    memset(kf, 0, sizeof(*kf));
    rv = ag_file_read(path, AG_APIKEY_MAX_FILE, &kf->data, &kf->len, NULL,
                      p);
    if (APR_STATUS_IS_ENOENT(rv) && may_be_missing) {
        kf->data = "";
        kf->len = 0;
    }
    else if (rv != APR_SUCCESS) {
        char why[128];

        return ag_tool_fail(AG_EXIT_USAGE, "%s: %s", path,
                            ag_file_read_errstr(rv, why, sizeof(why)));
    }
    else {
        kf->exists = 1;
    }
    if (ag_apikey_parse(kf->data, kf->len, &kf->store, &err, p) !=
        APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "%s: %s", path, err);
    return AG_EXIT_OK;
}

/* Writes DATA over PATH atomically, after checking that it parses: the
 * tool never leaves a file the server would refuse. */
static int store(const char *path, const char *data, apr_size_t len,
                 apr_pool_t *p)
{
    ag_apikey_store *s;
    const char *err = NULL;

    if (ag_apikey_parse(data, len, &s, &err, p) != APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "%s: refusing to write a "
                            "malformed file (%s)", path, err);
    return ag_tool_write(path, data, len, p);
}

/* --- add -------------------------------------------------------------- */

/* RC, after removing PATH if it is still empty and did not exist before
 * this command locked it (EXISTED): locking creates the file, and a
 * failed add leaves none behind. */
static int add_failed(const char *path, int existed, int rc, apr_pool_t *p)
{
    apr_finfo_t fi;

    if (!existed && apr_stat(&fi, path, APR_FINFO_SIZE, p) == APR_SUCCESS &&
        fi.size == 0)
        apr_file_remove(path, p);
    return rc;
}

static int cmd_add(int argc, const char *const *argv, apr_pool_t *p)
{
    ag_apikey_record rec = {0};
    const char *path, *key, *id, *scopes = "", *text;
    apr_int64_t now = now_sec();
    apr_finfo_t fi;
    keyfile kf;
    args_t a;
    int rc, tries, existed;

    if ((rc = parse_args(argc, argv, 1, &a)) != AG_EXIT_OK)
        return rc;
    if (a.help)
        return usage(usage_add, AG_EXIT_OK);
    if (a.npos != 2)
        return usage(usage_add, AG_EXIT_USAGE);
    path = a.pos[0];
    if (!ag_apikey_user_valid(a.pos[1]))
        return ag_tool_fail(AG_EXIT_USAGE, "USER must be 1 to %d bytes "
                            "without ':' or control characters",
                            AG_APIKEY_MAX_USER);
    if (a.scopes != NULL &&
        (ag_apikey_scopes_normalize(a.scopes, &scopes, p) != APR_SUCCESS ||
         !ag_apikey_scopes_valid(scopes)))
        return ag_tool_fail(AG_EXIT_USAGE, "--scopes: scope names are "
                            "printable ASCII without '\"' or '\\', at most "
                            "%d bytes in all", AG_APIKEY_MAX_SCOPES);
    if (a.expires != NULL) {
        if (ag_apikey_expiry_parse(a.expires, now, &rec.expires) !=
            APR_SUCCESS)
            return ag_tool_fail(AG_EXIT_USAGE, "--expires: '%s' is not "
                                "YYYY-MM-DD, YYYY-MM-DDTHH:MM:SSZ or +Nd",
                                a.expires);
        if (rec.expires <= now)
            return ag_tool_fail(AG_EXIT_USAGE, "--expires: %s is in the "
                                "past", a.expires);
    }
    existed = apr_stat(&fi, path, APR_FINFO_TYPE, p) == APR_SUCCESS;
    if ((rc = ag_tool_lock(path, 1, p)) != AG_EXIT_OK)
        return rc;
    if ((rc = load(path, 1, &kf, p)) != AG_EXIT_OK)
        return add_failed(path, existed, rc, p);

    for (tries = 0;; tries++) {
        if (ag_apikey_generate(&key, &id, p) != APR_SUCCESS)
            return add_failed(path, existed,
                              ag_tool_fail(AG_EXIT_USAGE, "the random "
                                           "number generator failed"), p);
        if (ag_apikey_find_id(kf.store, id) == NULL)
            break;
        if (tries == 10)
            return add_failed(path, existed,
                              ag_tool_fail(AG_EXIT_USAGE, "no unused key "
                                           "id found"), p);
    }
    rec.id = id;
    ag_apikey_hash(key, strlen(key), rec.sha256);
    rec.user = a.pos[1];
    rec.scopes = scopes;
    rec.created = now;

    text = apr_pstrcat(p, kf.exists && kf.len > 0 ? kf.data : FILE_HEADER,
                       kf.len > 0 && kf.data[kf.len - 1] != '\n' ? "\n" : "",
                       ag_apikey_record_format(&rec, p), "\n", NULL);
    /* shown first: a key that cannot be shown is not stored */
    printf("%s\n", key);
    if (fflush(stdout) != 0 || ferror(stdout))
        return add_failed(path, existed,
                          ag_tool_fail(AG_EXIT_USAGE, "cannot write the key "
                                       "to standard output; nothing was "
                                       "stored"), p);
    if ((rc = store(path, text, strlen(text), p)) != AG_EXIT_OK) {
        fprintf(stderr, "authgate: the key printed was not stored: it does "
                "not work\n");
        return add_failed(path, existed, rc, p);
    }
    fprintf(stderr, "authgate: key %s for %s added to %s; it is shown "
            "only now\n", id, rec.user, path);
    return AG_EXIT_OK;
}

/* --- list ------------------------------------------------------------- */

static const char *status_of(const ag_apikey_record *rec, apr_int64_t now)
{
    switch (ag_apikey_check(rec, now)) {
    case AG_OK:
        return "active";
    case AG_R_REVOKED:
        return "revoked";
    default:
        return "expired";
    }
}

static int cmd_list(int argc, const char *const *argv, apr_pool_t *p)
{
    apr_int64_t now = now_sec();
    keyfile kf;
    args_t a;
    int rc, i;

    if ((rc = parse_args(argc, argv, 0, &a)) != AG_EXIT_OK)
        return rc;
    if (a.help)
        return usage(usage_list, AG_EXIT_OK);
    if (a.npos != 1)
        return usage(usage_list, AG_EXIT_USAGE);
    if ((rc = load(a.pos[0], 0, &kf, p)) != AG_EXIT_OK)
        return rc;
    printf("ID\tUSER\tSTATUS\tEXPIRES\tCREATED\tSCOPES\n");
    for (i = 0; i < ag_apikey_count(kf.store); i++) {
        const ag_apikey_record *rec = ag_apikey_at(kf.store, i);

        printf("%s\t%s\t%s\t%s\t%s\t%s\n", rec->id, rec->user,
               status_of(rec, now),
               rec->expires != 0 ? ag_apikey_time_format(rec->expires, p)
                                 : "never",
               ag_apikey_time_format(rec->created, p), rec->scopes);
    }
    if (fflush(stdout) != 0 || ferror(stdout))
        return ag_tool_fail(AG_EXIT_USAGE, "cannot write to standard "
                            "output");
    return AG_EXIT_OK;
}

/* --- revoke ----------------------------------------------------------- */

/* KF's text with line LINENO replaced by LINE. */
static const char *replace_line(const keyfile *kf, unsigned lineno,
                                const char *line, apr_pool_t *p)
{
    const char *s = kf->data, *end = kf->data + kf->len, *nl;
    unsigned n;

    for (n = 1; n < lineno; n++)
        s = memchr(s, '\n', (apr_size_t)(end - s)) + 1;
    nl = memchr(s, '\n', (apr_size_t)(end - s));
    return apr_pstrcat(p, apr_pstrmemdup(p, kf->data,
                                         (apr_size_t)(s - kf->data)),
                       line, nl != NULL ? nl : "\n", NULL);
}

static int cmd_revoke(int argc, const char *const *argv, apr_pool_t *p)
{
    const ag_apikey_record *found;
    ag_apikey_record rec;
    const char *text;
    keyfile kf;
    args_t a;
    int rc;

    if ((rc = parse_args(argc, argv, 0, &a)) != AG_EXIT_OK)
        return rc;
    if (a.help)
        return usage(usage_revoke, AG_EXIT_OK);
    if (a.npos != 2)
        return usage(usage_revoke, AG_EXIT_USAGE);
    if ((rc = ag_tool_lock(a.pos[0], 0, p)) != AG_EXIT_OK ||
        (rc = load(a.pos[0], 0, &kf, p)) != AG_EXIT_OK)
        return rc;
    found = ag_apikey_find_id(kf.store, a.pos[1]);
    if (found == NULL)
        return ag_tool_fail(AG_EXIT_USAGE, "%s: no key with id '%s'",
                            a.pos[0], a.pos[1]);
    if (found->revoked != 0) {
        fprintf(stderr, "authgate: key %s was revoked already, at %s\n",
                found->id, ag_apikey_time_format(found->revoked, p));
        return AG_EXIT_OK;
    }
    rec = *found;
    rec.revoked = now_sec();
    text = replace_line(&kf, rec.line, ag_apikey_record_format(&rec, p), p);
    if ((rc = store(a.pos[0], text, strlen(text), p)) != AG_EXIT_OK)
        return rc;
    printf("revoked %s (user %s)\n", rec.id, rec.user);
    return AG_EXIT_OK;
}

/* --- the group -------------------------------------------------------- */

int authgate_apikey_run(int argc, const char *const *argv, apr_pool_t *p)
{
    if (argc < 2)
        return usage(usage_group, AG_EXIT_USAGE);
    if (ag_tool_is_help(argv[1]))
        return usage(usage_group, AG_EXIT_OK);
    if (strcmp(argv[1], "add") == 0)
        return cmd_add(argc, argv, p);
    if (strcmp(argv[1], "list") == 0)
        return cmd_list(argc, argv, p);
    if (strcmp(argv[1], "revoke") == 0)
        return cmd_revoke(argc, argv, p);
    ag_tool_fail(AG_EXIT_USAGE, "unknown apikey command '%s'", argv[1]);
    return usage(usage_group, AG_EXIT_USAGE);
}
