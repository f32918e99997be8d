/* authgate: the module's companion tool, like htpasswd and htdigest. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <apr_general.h>

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
