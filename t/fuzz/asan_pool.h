/* Makes APR pool allocations visible to AddressSanitizer in a fuzz target.
 *
 * A pool hands out pieces of large blocks, so a parser that writes one
 * byte past what it measured stays inside the block and ASan sees nothing.
 * While a test input runs (between asan_pool_begin and asan_pool_end),
 * apr_palloc (and so apr_pcalloc) is answered with malloc'd blocks of exactly
 * the size asked, which asan_pool_end frees; outside, APR's own functions
 * answer.  This works because the target is an executable whose symbols
 * interpose on libapr's, for calls from the core and from libapr alike
 * (apr_pstrmemdup, apr_array_push).  apr_psprintf writes into the pool
 * directly and stays unchecked.
 *
 * Include this file in exactly one translation unit of a target. */
#ifndef AG_ASAN_POOL_H
#define AG_ASAN_POOL_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include <apr_pools.h>

#define ASAN_POOL_MAX 65536

static void *asan_pool_blocks[ASAN_POOL_MAX];
static size_t asan_pool_count;
static int asan_pool_on;
static size_t asan_pool_total;

static void *asan_pool_real(const char *name)
{
    void *fn = dlsym(RTLD_NEXT, name);

    if (fn == NULL)
        abort();
    return fn;
}

static void *asan_pool_take(apr_size_t size)
{
    void *m;

    if (asan_pool_count == ASAN_POOL_MAX)
        abort();  /* a target that allocates this much per input is a bug */
    m = malloc(size != 0 ? size : 1);
    if (m == NULL)
        abort();
    asan_pool_blocks[asan_pool_count++] = m;
    asan_pool_total++;
    return m;
}

void *apr_palloc(apr_pool_t *p, apr_size_t size)
{
    static void *(*real)(apr_pool_t *, apr_size_t);

    if (asan_pool_on)
        return asan_pool_take(size);
    if (real == NULL)
        real = (void *(*)(apr_pool_t *, apr_size_t))asan_pool_real(
            "apr_palloc");
    return real(p, size);
}

/* APR 1.x defines apr_pcalloc as a macro over apr_palloc unless pool
 * debugging is on; where it is a function, it is answered here too. */
#ifndef apr_pcalloc
void *apr_pcalloc(apr_pool_t *p, apr_size_t size)
{
    static void *(*real)(apr_pool_t *, apr_size_t);

    if (asan_pool_on)
        return memset(asan_pool_take(size), 0, size);
    if (real == NULL)
        real = (void *(*)(apr_pool_t *, apr_size_t))asan_pool_real(
            "apr_pcalloc");
    return real(p, size);
}
#endif

static void asan_pool_begin(void)
{
    asan_pool_on = 1;
}

static void asan_pool_end(void)
{
    asan_pool_on = 0;
    while (asan_pool_count > 0)
        free(asan_pool_blocks[--asan_pool_count]);
}

#endif
