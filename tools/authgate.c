/* authgate: the module's companion tool, like htpasswd and htdigest. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <apr_file_info.h>
#include <apr_general.h>
#include <apr_strings.h>

#include "ag_file.h"
#include "authgate.h"

static const ag_tool_command commands[] = {
    {"apikey", "make, list and revoke API keys", authgate_apikey_run},
    {"digest", "store a user's Digest hashes (every algorithm) in a "
               "user file", authgate_digest_run},
    {"jwt", "sign a JWT, or say why the module would refuse one",
     ag_tool_jwt},
    {"jwks", "write a JWKS document for public keys", ag_tool_jwks},
    {NULL, NULL, NULL}
};

int ag_tool_fail(int code, const char *fmt, ...)
{
    va_list ap;

    fputs("authgate: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return code;
}

int ag_tool_is_help(const char *arg)
{
    return arg != NULL &&
           (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0);
}

/* The system's words for RV, from P. */
static const char *errstr(apr_status_t rv, apr_pool_t *p)
{
    char buf[256];

    return apr_pstrdup(p, apr_strerror(rv, buf, sizeof(buf)));
}

int ag_tool_lock(const char *path, int create, apr_pool_t *p)
{
    apr_status_t rv = ag_file_lock(path, create, AG_FILE_PERMS_0640, p);

    /* a missing file is for the command's own reading to report */
    if (rv == APR_SUCCESS || (!create && APR_STATUS_IS_ENOENT(rv)))
        return AG_EXIT_OK;
    return ag_tool_fail(AG_EXIT_USAGE, "%s: cannot lock: %s", path,
                        errstr(rv, p));
}

int ag_tool_write(const char *path, const char *data, apr_size_t len,
                  apr_pool_t *p)
{
    apr_int32_t wanted = APR_FINFO_GROUP | APR_FINFO_PROT;
    apr_finfo_t before, after;
    int had = apr_stat(&before, path, wanted, p) == APR_SUCCESS;
    apr_status_t rv;

    rv = ag_file_write_atomic(path, data, len, AG_FILE_PERMS_0640, p);
    if (rv != APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "%s: cannot write: %s", path,
                            errstr(rv, p));
    if (!had || apr_stat(&after, path, wanted, p) != APR_SUCCESS)
        return AG_EXIT_OK;
    /* The server reads the file as its own user, often not the tool's:
     * say so when the new file may have shut it out. */
    if (apr_gid_compare(before.group, after.group) != APR_SUCCESS)
        fprintf(stderr, "authgate: warning: %s now belongs to another group "
                "than before; make sure the server can still read it (see "
                "authgate(1), FILES)\n", path);
    else if ((before.protection & APR_FPROT_WREAD) &&
             !(after.protection & APR_FPROT_WREAD))
        fprintf(stderr, "authgate: warning: %s was readable by all users "
                "and is now mode 0640; make sure the server can still read "
                "it, through its group (see authgate(1), FILES)\n", path);
    return AG_EXIT_OK;
}

static int usage(FILE *out, int code)
{
    const ag_tool_command *c;

    fputs("usage: authgate COMMAND [ARGS...]\n\ncommands:\n", out);
    for (c = commands; c->name != NULL; c++)
        fprintf(out, "  %-8s %s\n", c->name, c->summary);
    fputs("\n`authgate COMMAND --help` tells more.\n"
          "Exit codes: 0 success, 1 refused or verification failed, "
          "2 usage or input error.\n", out);
    return code;
}

int main(int argc, const char *const *argv)
{
    const ag_tool_command *c;
    apr_pool_t *pool;
    int rc;

    if (argc < 2)
        return usage(stderr, AG_EXIT_USAGE);
    if (ag_tool_is_help(argv[1]))
        return usage(stdout, AG_EXIT_OK);
    for (c = commands; c->name != NULL; c++)
        if (strcmp(c->name, argv[1]) == 0)
            break;
    if (c->name == NULL) {
        ag_tool_fail(AG_EXIT_USAGE, "unknown command '%s'", argv[1]);
        return usage(stderr, AG_EXIT_USAGE);
    }
    apr_app_initialize(&argc, &argv, NULL);
    apr_pool_create(&pool, NULL);
    rc = c->run(argc - 1, argv + 1, pool);
    apr_pool_destroy(pool);
    apr_terminate();
    return rc;
}
