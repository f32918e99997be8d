/* The authgate command-line tool: one file per command group
 * (authgate_apikey.c, authgate_digest.c, authgate_jwt.c ...), all linking
 * the module's pure core.  Exit codes are SPEC.md's. */
#ifndef AUTHGATE_TOOL_H
#define AUTHGATE_TOOL_H

#include <apr_pools.h>

#define AG_EXIT_OK      0   /* success */
#define AG_EXIT_REFUSED 1   /* refused, verification failed */
#define AG_EXIT_USAGE   2   /* usage or input error */

/* A command group: `authgate NAME ...`.  RUN gets the arguments after
 * NAME (argv[0] is NAME) and returns an exit code. */
typedef struct {
    const char *name;
    const char *summary;    /* one line for `authgate --help` */
    int (*run)(int argc, const char *const *argv, apr_pool_t *p);
} ag_tool_command;

/* authgate_jwt.c: `authgate jwt sign|verify`, `authgate jwks`. */
int ag_tool_jwt(int argc, const char *const *argv, apr_pool_t *p);
int ag_tool_jwks(int argc, const char *const *argv, apr_pool_t *p);

/* Prints "authgate: MESSAGE" to standard error and returns CODE. */
int ag_tool_fail(int code, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Takes the lock of PATH for a read-change-write (ag_file_lock), made
 * when missing if CREATE; an exit code, with a message on failure.  A
 * missing PATH without CREATE is left to the command to report. */
int ag_tool_lock(const char *path, int create, apr_pool_t *p);

/* Writes LEN bytes of DATA over PATH atomically, mode 0640, warning when
 * the server may no longer read the new file (its group changed, or the
 * old one was readable by all); an exit code, with a message on failure. */
int ag_tool_write(const char *path, const char *data, apr_size_t len,
                  apr_pool_t *p);

/* 1 when ARG is -h or --help. */
int ag_tool_is_help(const char *arg);

/* The command groups. */
int authgate_apikey_run(int argc, const char *const *argv, apr_pool_t *p);
int authgate_digest_run(int argc, const char *const *argv, apr_pool_t *p);

#endif
