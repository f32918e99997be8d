/* A small TAP producer for the unit tests: each check prints "ok N - what"
 * or "not ok N - what", and tap_done() prints the plan and a final
 * "N passed, N failed" line, exiting non-zero on any failure. */
#ifndef AG_TAP_H
#define AG_TAP_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>

static int tap_run, tap_failed;

#define ok(cond, ...) tap_ok(!!(cond), __FILE__, __LINE__, __VA_ARGS__)

static void tap_ok(int pass, const char *file, int line, const char *fmt,
                   ...) __attribute__((format(printf, 4, 5)));

#include <stdarg.h>

static void tap_ok(int pass, const char *file, int line, const char *fmt,
                   ...)
{
    va_list ap;

    tap_run++;
    if (!pass)
        tap_failed++;
    printf("%sok %d - ", pass ? "" : "not ", tap_run);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    if (!pass)
        printf("#   failed at %s line %d\n", file, line);
}

/* Strings equal, NULL-safe, with both shown on failure. */
#define is_str(got, want, ...)                                              \
    do {                                                                    \
        const char *g_ = (got), *w_ = (want);                               \
        int same_ = (g_ == NULL && w_ == NULL) ||                           \
                    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);      \
        ok(same_, __VA_ARGS__);                                             \
        if (!same_)                                                         \
            printf("#        got: %s\n#   expected: %s\n",                  \
                   g_ ? g_ : "(null)", w_ ? w_ : "(null)");                 \
    } while (0)

static apr_pool_t *tap_pool_;

static __attribute__((unused)) apr_pool_t *tap_pool(void)
{
    if (tap_pool_ == NULL) {
        apr_initialize();
        apr_pool_create(&tap_pool_, NULL);
    }
    return tap_pool_;
}

/* The plan and the summary; APR's pools destroyed (their cleanups run),
 * so that a leak checker sees only what the code under test kept. */
static int tap_done(void)
{
    if (tap_pool_ != NULL) {
        apr_terminate();
        tap_pool_ = NULL;
    }
    printf("1..%d\n", tap_run);
    printf("%d passed, %d failed\n", tap_run - tap_failed, tap_failed);
    return tap_failed == 0 ? 0 : 1;
}

#endif
