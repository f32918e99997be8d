#include <apr_general.h>

#include "ag_hugemem.h"

#ifndef WIN32
#include <sys/mman.h>
#endif

#if defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)

#define HUGE_PAGE ((apr_size_t)2 << 20)

typedef struct {
    void *addr;
    apr_size_t len;
} mapping;

static apr_status_t unmap(void *data)
{
    mapping *m = data;

    munmap(m->addr, m->len);
    return APR_SUCCESS;
}

/* SIZE bytes from a mapping of their own, on a huge page boundary (the
 * mapping is one huge page longer than what is used, to find one), or
 * NULL when the system gives none. */
static void *map_huge(apr_pool_t *p, apr_size_t size)
{
    apr_size_t used = APR_ALIGN(size, HUGE_PAGE);
    mapping *m;
    char *base, *start;

    if (used < size || used + HUGE_PAGE < used)
        return NULL;
    base = mmap(NULL, used + HUGE_PAGE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (base == MAP_FAILED)
        return NULL;
    m = apr_palloc(p, sizeof(*m));
    m->addr = base;
    m->len = used + HUGE_PAGE;
    apr_pool_cleanup_register(p, m, unmap, apr_pool_cleanup_null);
    start = (char *)APR_ALIGN((apr_uintptr_t)base, HUGE_PAGE);
    /* a hint: refused (huge pages disabled), it leaves small pages */
    (void)madvise(start, used, MADV_HUGEPAGE);
    return start;
}

#else

static void *map_huge(apr_pool_t *p, apr_size_t size)
{
    return NULL;
}

#endif

void *ag_hugemem_alloc(apr_pool_t *p, apr_size_t size)
{
    void *mem = size >= AG_HUGEMEM_MIN ? map_huge(p, size) : NULL;

    /* an anonymous mapping comes zeroed */
    return mem != NULL ? mem : apr_pcalloc(p, size);
}
