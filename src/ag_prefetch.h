/* A hint to the CPU that memory is about to be read, so that a cache miss
 * overlaps the work done before the read instead of stalling it.  Only a
 * hint: nothing is read, and a bad address does no harm. */
#ifndef AG_PREFETCH_H
#define AG_PREFETCH_H

static inline void ag_prefetch(const void *p)
{
#if defined(__GNUC__)
    __builtin_prefetch(p);
#else
    (void)p;
#endif
}

#endif
