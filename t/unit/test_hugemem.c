/* ag_hugemem: memory that lasts as long as its pool, zeroed; from its
 * minimum on, a mapping of its own on a 2 MiB boundary, advised for huge
 * pages (where the system has them: on Linux /proc tells), and gone with
 * its pool. */
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ag_hugemem.h"
#include "tap.h"

static int all_zero(const unsigned char *m, apr_size_t n)
{
    apr_size_t i;

    for (i = 0; i < n; i++)
        if (m[i] != 0)
            return 0;
    return 1;
}

/* The VmFlags line of the mapping of /proc/self/smaps that holds ADDR,
 * "" when one holds it without such a line, or NULL when none does. */
static const char *vm_flags(const void *addr, char *out, size_t size)
{
    FILE *f = fopen("/proc/self/smaps", "r");
    char line[512];
    int inside = 0, found = 0;

    if (f == NULL)
        return NULL;
    out[0] = '\0';
    while (fgets(line, sizeof(line), f) != NULL) {
        unsigned long lo, hi;

        if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
            inside = (unsigned long)addr >= lo && (unsigned long)addr < hi;
            found |= inside;
        }
        else if (inside && strncmp(line, "VmFlags:", 8) == 0)
            snprintf(out, size, "%.*s", (int)strcspn(line + 8, "\n"),
                     line + 8);
    }
    fclose(f);
    return found ? out : NULL;
}

int main(void)
{
    apr_pool_t *p;
    unsigned char *small, *big;
    apr_size_t n = AG_HUGEMEM_MIN + 4096 + 1;
    char flags[512];

    apr_pool_create(&p, tap_pool());
    small = ag_hugemem_alloc(p, 100);
    ok(small != NULL && all_zero(small, 100), "a small size: zeroed");
    big = ag_hugemem_alloc(p, n);
    ok(big != NULL && all_zero(big, n), "from the minimum on: zeroed");
    memset(big, 0xa5, n);
    ok(big[0] == 0xa5 && big[n - 1] == 0xa5, "... and writable to its end");
    /* where the system has no such advice there is nothing more to see:
     * the checks below are not made (and not counted) */
#if defined(MADV_HUGEPAGE) && defined(MAP_ANONYMOUS)
    ok(((apr_uintptr_t)big & (((apr_uintptr_t)2 << 20) - 1)) == 0,
       "... on a 2 MiB boundary");
#ifdef __linux__
    /* a kernel built without transparent huge pages refuses the advice */
    if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0)
        ok(vm_flags(big, flags, sizeof(flags)) != NULL &&
               strstr(flags, " hg") != NULL,
           "... advised for huge pages (VmFlags:%s)", flags);
    apr_pool_destroy(p);
    ok(vm_flags(big, flags, sizeof(flags)) == NULL,
       "unmapped when its pool is destroyed");
    p = NULL;
#endif
#endif
    if (p != NULL)
        apr_pool_destroy(p);
    return tap_done();
}
