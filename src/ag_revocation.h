/* AuthGateRevocationFile: revoked JWT "jti" values and API key ids, one a
 * line ('#' starts a comment line; surrounding white space is not part of
 * an id).  Looked up by one hash lookup. */
#ifndef AG_REVOCATION_H
#define AG_REVOCATION_H

#include <apr_pools.h>

typedef struct ag_revocation ag_revocation;

/* Longest id kept; a longer line is an error (no id is that long). */
#define AG_REVOCATION_MAX_ID 1024
/* Largest revocation file read. */
#define AG_REVOCATION_MAX_FILE (64 * 1024 * 1024)

/* Parses a revocation file's bytes; ag_reload_parse_fn's signature
 * (BATON is unused). */
apr_status_t ag_revocation_parse(const char *data, apr_size_t len,
                                 void *baton, void **out, const char **err,
                                 apr_pool_t *p);

/* 1 when ID is revoked. */
int ag_revocation_has(const ag_revocation *rev, const char *id);

unsigned ag_revocation_count(const ag_revocation *rev);

#endif
