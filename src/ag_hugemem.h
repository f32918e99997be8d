/* Memory for large tables that live as long as a pool and are read at
 * random by every request (the API key index and its records): where the
 * system allows it, the kernel is asked to back them with huge pages, so
 * that a lookup does not also miss in the TLB.  On a virtual machine a
 * TLB miss walks two sets of page tables and costs as much as several
 * cache misses; a table of 100,000 keys spans thousands of 4 KiB pages
 * but only a few 2 MiB ones. */
#ifndef AG_HUGEMEM_H
#define AG_HUGEMEM_H

#include <apr_pools.h>

/* The size from which a table is given memory of its own: smaller ones
 * come from the pool as usual. */
#define AG_HUGEMEM_MIN ((apr_size_t)2 << 20)

/* SIZE bytes of zeroed memory that lasts as long as P.  From
 * AG_HUGEMEM_MIN bytes on (on systems that have madvise(MADV_HUGEPAGE)),
 * an anonymous mapping aligned to 2 MiB, advised to the kernel for huge
 * pages and unmapped by a cleanup of P; otherwise, or when the mapping
 * fails, apr_pcalloc's.  NULL only where apr_pcalloc would fail. */
void *ag_hugemem_alloc(apr_pool_t *p, apr_size_t size);

#endif
