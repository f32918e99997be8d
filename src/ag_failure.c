/* AuthGateFailureLimit: the count of a client's failed credentials, in
 * buckets, and its lockout (ag_failure.h). */
#include <string.h>
#include <strings.h>

#include <apr_strings.h>

#include "ag_failure.h"
#include "ag_hash.h"
#include "ag_number.h"

#define BUCKETS 32

/* A record's data.  Bucket I counts the failures of the WIDTH seconds
 * numbered TOP - ((TOP - I) mod BUCKETS) from the epoch: the newest is TOP,
 * and those older than TOP - BUCKETS + 1 are gone. */
typedef struct {
    apr_uint32_t top;             /* the newest bucket's number */
    apr_uint32_t locked_until;    /* seconds since the epoch; 0: never */
    apr_uint32_t counts[BUCKETS];
} failure_data;

typedef char failure_data_fits[sizeof(failure_data) <= AG_STORE_DATA_LEN
                                   ? 1 : -1];

/* --- the directive --------------------------------------------------------- */

/* *OUT from the decimal S, between MIN and MAX; 0 when it is not one. */
static int parse_uint(const char *s, unsigned min, unsigned max,
                      unsigned *out)
{
    apr_int64_t v;

    if (!ag_number_parse(s, min, max, &v))
        return 0;
    *out = (unsigned)v;
    return 1;
}

const char *ag_failure_limit_parse(int argc, const char *const *argv,
                                   const ag_failure_limit **out,
                                   apr_pool_t *p)
{
    ag_failure_limit *lim;

    if (argc == 1 && strcasecmp(argv[0], "off") == 0) {
        *out = NULL;
        return NULL;
    }
    if (argc < 2 || argc > 3)
        return "takes off, or COUNT SECONDS [LOCKOUT]";
    lim = apr_pcalloc(p, sizeof(*lim));
    if (!parse_uint(argv[0], 1, AG_FAILURE_MAX_COUNT, &lim->count))
        return apr_psprintf(p, "COUNT '%s' is not a number from 1 to %d",
                            argv[0], AG_FAILURE_MAX_COUNT);
    if (!parse_uint(argv[1], 1, AG_FAILURE_MAX_SECONDS, &lim->seconds))
        return apr_psprintf(p, "SECONDS '%s' is not a number from 1 to %d",
                            argv[1], AG_FAILURE_MAX_SECONDS);
    lim->lockout = lim->seconds;
    if (argc == 3 &&
        !parse_uint(argv[2], 1, AG_FAILURE_MAX_SECONDS, &lim->lockout))
        return apr_psprintf(p, "LOCKOUT '%s' is not a number from 1 to %d",
                            argv[2], AG_FAILURE_MAX_SECONDS);
    *out = lim;
    return NULL;
}

/* --- what counts ------------------------------------------------------------ */

int ag_failure_counts(ag_reason reason)
{
    switch (reason) {
    case AG_OK:
    case AG_R_NO_CREDENTIALS:
    case AG_R_UNSUPPORTED_SCHEME:
    case AG_R_DIGEST_STALE:
    case AG_R_INSUFFICIENT_SCOPE:
    case AG_R_CLAIM_MISMATCH:
    case AG_R_LOCKED_OUT:
    case AG_R_BACKEND_UNAVAILABLE:
    case AG_R__COUNT:
        return 0;
    default:
        return 1;
    }
}

void ag_failure_key(const char *client, const ag_failure_limit *lim,
                    unsigned char key[AG_STORE_KEY_LEN])
{
    /* an address is at most 45 characters (and a zone); a longer text
     * cut short still gives one key for one client */
    char text[128];
    unsigned char digest[AG_SHA256_LEN];
    apr_size_t n = apr_snprintf(text, sizeof(text), "%u %s", lim->seconds,
                                client);

    ag_sha256(text, n, digest);
    memcpy(key, digest, AG_STORE_KEY_LEN);
}

/* --- the count ------------------------------------------------------------- */

static apr_uint32_t seconds_of(apr_time_t t)
{
    return t <= 0 ? 0 : (apr_uint32_t)apr_time_sec(t);
}

/* The bucket width of LIM, and how many of the newest buckets cover its
 * period whole (ag_failure.h). */
static apr_uint32_t width_of(const ag_failure_limit *lim)
{
    return (lim->seconds + BUCKETS - 2) / (BUCKETS - 1);
}

static apr_uint32_t span_of(const ag_failure_limit *lim, apr_uint32_t width)
{
    return (lim->seconds + width - 1) / width + 1;
}

unsigned ag_failure_locked_for(const ag_store_record *rec, int found,
                               apr_time_t now)
{
    failure_data d;
    apr_uint32_t sec = seconds_of(now);

    if (!found)
        return 0;
    memcpy(&d, rec->data, sizeof(d));
    return d.locked_until > sec ? d.locked_until - sec : 0;
}

/* Moves D's newest bucket on to NUMBER, emptying the buckets passed. */
static void advance(failure_data *d, apr_uint32_t number)
{
    apr_uint32_t n;

    if (number <= d->top)
        return;
    if (number - d->top >= BUCKETS) {
        memset(d->counts, 0, sizeof(d->counts));
    }
    else {
        for (n = d->top + 1; n <= number; n++)
            d->counts[n % BUCKETS] = 0;
    }
    d->top = number;
}

unsigned ag_failure_add(ag_store_record *rec, int found,
                        const ag_failure_limit *lim, apr_time_t now)
{
    apr_uint32_t width = width_of(lim), span = span_of(lim, width);
    apr_uint32_t sec = seconds_of(now), number = sec / width;
    apr_uint64_t sum = 0;
    apr_time_t keep;
    failure_data d;
    apr_uint32_t i;

    if (found) {
        memcpy(&d, rec->data, sizeof(d));
    }
    else {
        memset(&d, 0, sizeof(d));
        d.top = number;
    }
    advance(&d, number);
    /* a clock set back counts into the newest bucket */
    if (d.counts[d.top % BUCKETS] < APR_UINT32_MAX)
        d.counts[d.top % BUCKETS]++;
    for (i = 0; i < span; i++)
        sum += d.counts[(d.top - i) % BUCKETS];
    if (sum > lim->count && d.locked_until <= sec) {
        /* whole seconds, rounded up: never shorter than LOCKOUT */
        apr_time_t until = now + apr_time_from_sec(lim->lockout) +
                           APR_USEC_PER_SEC - 1;

        d.locked_until = seconds_of(until);
    }
    memcpy(rec->data, &d, sizeof(d));
    rec->stamp = now;
    /* the record matters while its buckets can count, and its lockout */
    keep = apr_time_from_sec(((apr_time_t)d.top + span) * width);
    if (apr_time_from_sec(d.locked_until) > keep)
        keep = apr_time_from_sec(d.locked_until);
    rec->expires = keep;
    return d.locked_until > sec ? d.locked_until - sec : 0;
}
