/* What every fuzz target shares: a root pool made once, a check of the
 * promises a parser makes about what it accepted (a broken one aborts, so
 * libFuzzer keeps the input), and the input as a C string in a block of
 * its own, so that a read past the NUL is caught. */
#ifndef AG_FUZZ_COMMON_H
#define AG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>

static apr_pool_t *root;

#define CHECK(cond)                                                     \
    do {                                                                \
        if (!(cond)) {                                                  \
            fprintf(stderr, "%s: broken promise: %s\n", __FILE__, #cond); \
            abort();                                                    \
        }                                                               \
    } while (0)

static inline void fuzz_init(void)
{
    apr_initialize();
    apr_pool_create(&root, NULL);
}

static inline char *fuzz_cstring(const uint8_t *data, size_t size)
{
    char *value = malloc(size + 1);

    if (value == NULL)
        abort();
    memcpy(value, data, size);
    value[size] = '\0';
    return value;
}

#endif
