/* AuthGateFailureLimit: failed credentials counted per client address,
 * and the lockout that follows too many.
 *
 * A client's count is one state store record (ag_store.h): 32 buckets of
 * failure counts, each WIDTH seconds wide, WIDTH = ceil(SECONDS / 31), so
 * that the newest ceil(SECONDS / WIDTH) + 1 buckets (at most 32) cover
 * the last SECONDS whole.  A failure within SECONDS is therefore always
 * counted; one up to WIDTH seconds older may be counted too, so the limit
 * errs towards locking, by at most 1/31 of the period.  The record also
 * holds the end of the client's lockout.  Times are whole seconds. */
#ifndef AG_FAILURE_H
#define AG_FAILURE_H

#include <apr_pools.h>
#include <apr_time.h>

#include "ag_reason.h"
#include "ag_store.h"

#define AG_FAILURE_MAX_COUNT 1000000
#define AG_FAILURE_MAX_SECONDS (7 * 24 * 3600)

typedef struct ag_failure_limit {
    unsigned count;         /* failures allowed within SECONDS */
    unsigned seconds;       /* the period */
    unsigned lockout;       /* seconds a client is refused once over */
} ag_failure_limit;

/* AuthGateFailureLimit's arguments: "off", or COUNT SECONDS [LOCKOUT].
 * *OUT gets the limit, or NULL for "off".  NULL on success, else an error
 * message (the caller prefixes the directive's name). */
const char *ag_failure_limit_parse(int argc, const char *const *argv,
                                   const ag_failure_limit **out,
                                   apr_pool_t *p);

/* 1 when a denial for REASON counts as failed credentials: the request
 * carried credentials, and they were judged and refused.  Not counted:
 * no credentials, a scheme not enabled, a stale Digest nonce (clients
 * retry it without asking anyone), authz refusals, a lockout itself, an
 * unavailable backend. */
int ag_failure_counts(ag_reason reason);

/* The store key of CLIENT (an address) under LIM: clients are counted
 * apart, and so are periods, whose buckets differ. */
void ag_failure_key(const char *client, const ag_failure_limit *lim,
                    unsigned char key[AG_STORE_KEY_LEN]);

/* The seconds left of the lockout that REC (FOUND, or none) holds at NOW;
 * 0 when the client is not locked out. */
unsigned ag_failure_locked_for(const ag_store_record *rec, int found,
                               apr_time_t now);

/* Counts one failure at NOW into REC (made anew when not FOUND).  When it
 * makes more than LIM->count within LIM->seconds, REC's lockout starts
 * and its length in seconds is returned; else 0.  REC's expiry is set to
 * when it no longer matters. */
unsigned ag_failure_add(ag_store_record *rec, int found,
                        const ag_failure_limit *lim, apr_time_t now);

#endif
