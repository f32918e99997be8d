/* AuthGateFailureLimit's core: the directive's syntax, which reasons
 * count, the key, and the count and lockout over time. */
#include <string.h>

#include "ag_failure.h"
#include "tap.h"

static const char *parse(const char *a, const char *b, const char *c,
                         const ag_failure_limit **lim)
{
    const char *argv[3];
    int argc = 0;

    if (a != NULL)
        argv[argc++] = a;
    if (b != NULL)
        argv[argc++] = b;
    if (c != NULL)
        argv[argc++] = c;
    return ag_failure_limit_parse(argc, argv, lim, tap_pool());
}

static void test_parse(void)
{
    const ag_failure_limit *lim = NULL;

    ok(parse("5", "60", NULL, &lim) == NULL && lim != NULL &&
       lim->count == 5 && lim->seconds == 60 && lim->lockout == 60,
       "COUNT SECONDS: the lockout defaults to SECONDS");
    ok(parse("10", "300", "900", &lim) == NULL && lim != NULL &&
       lim->count == 10 && lim->seconds == 300 && lim->lockout == 900,
       "COUNT SECONDS LOCKOUT");
    lim = (const ag_failure_limit *)1;
    ok(parse("Off", NULL, NULL, &lim) == NULL && lim == NULL,
       "off turns it off");
    ok(parse("5", NULL, NULL, &lim) != NULL, "COUNT alone is refused");
    ok(parse("0", "60", NULL, &lim) != NULL, "a COUNT of 0 is refused");
    ok(parse("5", "0", NULL, &lim) != NULL, "SECONDS of 0 are refused");
    ok(parse("5", "60", "0", &lim) != NULL, "a LOCKOUT of 0 is refused");
    ok(parse("-5", "60", NULL, &lim) != NULL, "a negative COUNT is refused");
    ok(parse("5x", "60", NULL, &lim) != NULL, "a COUNT with letters");
    ok(parse("5", "99999999999999999999", NULL, &lim) != NULL,
       "SECONDS that overflow");
    ok(parse("5", "604801", NULL, &lim) != NULL, "SECONDS over a week");
    ok(parse("5", "60", "1m", &lim) != NULL, "a LOCKOUT with a unit");
}

static void test_counts(void)
{
    ok(!ag_failure_counts(AG_R_NO_CREDENTIALS), "no credentials: not counted");
    ok(!ag_failure_counts(AG_R_DIGEST_STALE), "a stale nonce: not counted");
    ok(!ag_failure_counts(AG_R_UNSUPPORTED_SCHEME),
       "a scheme not enabled: not counted");
    ok(!ag_failure_counts(AG_R_INSUFFICIENT_SCOPE), "authz: not counted");
    ok(!ag_failure_counts(AG_R_LOCKED_OUT), "a lockout: not counted");
    ok(!ag_failure_counts(AG_R_BACKEND_UNAVAILABLE),
       "an unavailable backend: not counted");
    ok(ag_failure_counts(AG_R_BASIC_BAD_PASSWORD), "a wrong password counts");
    ok(ag_failure_counts(AG_R_DIGEST_BAD_RESPONSE),
       "a wrong Digest response counts");
    ok(ag_failure_counts(AG_R_APIKEY_UNKNOWN), "an unknown key counts");
    ok(ag_failure_counts(AG_R_BAD_SIGNATURE), "a forged token counts");
    ok(ag_failure_counts(AG_R_MALFORMED), "malformed credentials count");
}

static void test_key(void)
{
    ag_failure_limit a = {5, 60, 60}, b = {5, 61, 60}, c = {9, 60, 10};
    unsigned char k1[AG_STORE_KEY_LEN], k2[AG_STORE_KEY_LEN];

    ag_failure_key("192.0.2.1", &a, k1);
    ag_failure_key("192.0.2.1", &c, k2);
    ok(memcmp(k1, k2, sizeof(k1)) == 0,
       "one period, one count: the key ignores COUNT and LOCKOUT");
    ag_failure_key("192.0.2.1", &b, k2);
    ok(memcmp(k1, k2, sizeof(k1)) != 0, "another period, another key");
    ag_failure_key("192.0.2.10", &a, k2);
    ok(memcmp(k1, k2, sizeof(k1)) != 0, "another client, another key");
}

/* FAILS failures at the seconds AT (relative to a base), into a fresh
 * record; the lockout the last one answered. */
typedef struct {
    ag_store_record rec;
    int found;
    apr_time_t base;
} client;

static unsigned fail_at(client *c, const ag_failure_limit *lim, double at)
{
    apr_time_t now = c->base + (apr_time_t)(at * APR_USEC_PER_SEC);
    unsigned r = ag_failure_add(&c->rec, c->found, lim, now);

    c->found = 1;
    return r;
}

static unsigned locked_at(client *c, double at)
{
    return ag_failure_locked_for(&c->rec, c->found,
                                 c->base + (apr_time_t)(at * APR_USEC_PER_SEC));
}

static void fresh(client *c)
{
    memset(c, 0, sizeof(*c));
    /* a base on a whole minute, and one well past the epoch */
    c->base = apr_time_from_sec(1800000000);
}

static void test_limit(void)
{
    ag_failure_limit lim = {3, 60, 30};
    client c;
    int i;
    unsigned r = 0;

    fresh(&c);
    ok(locked_at(&c, 0) == 0, "an unknown client is not locked out");
    ok(fail_at(&c, &lim, 0) == 0 && fail_at(&c, &lim, 1) == 0 &&
       fail_at(&c, &lim, 2) == 0, "COUNT failures: no lockout");
    ok(locked_at(&c, 3) == 0, "and the client is not locked out");
    r = fail_at(&c, &lim, 3);
    ok(r == 30, "the failure that makes more than COUNT: LOCKOUT seconds "
       "(%u)", r);
    ok(locked_at(&c, 3.5) == 30, "locked out for the rest, rounded up (%u)",
       locked_at(&c, 3.5));
    ok(locked_at(&c, 32.9) == 1, "a second before its end: 1 left");
    ok(locked_at(&c, 34) == 0, "after LOCKOUT seconds: not locked out");
    /* the earlier failures are still within the minute */
    ok(fail_at(&c, &lim, 40) == 30,
       "a failure after the lockout, still more than COUNT within "
       "SECONDS: locked out again");

    /* spread out: COUNT within any SECONDS never locks */
    fresh(&c);
    r = 0;
    for (i = 0; i < 30; i++)
        r |= fail_at(&c, &lim, i * 21.0);
    ok(r == 0, "one failure every 21 s, 3 a minute at most: never locked");

    /* the whole period counts, however the failures fall in buckets */
    fresh(&c);
    fail_at(&c, &lim, 0.5);
    fail_at(&c, &lim, 30);
    fail_at(&c, &lim, 59);
    r = fail_at(&c, &lim, 59.9);
    ok(r == 31, "4 failures within 59.4 s: locked out, for 30.1 s said as "
       "31 (%u)", r);

    /* the first at the start of its bucket's second half, the last 59.6 s
     * later, 31 buckets on: the period still holds it */
    fresh(&c);
    fail_at(&c, &lim, 1.9);
    fail_at(&c, &lim, 30);
    fail_at(&c, &lim, 50);
    ok(fail_at(&c, &lim, 61.5) > 0,
       "4 failures within 59.6 s, over 31 buckets: locked out");

    /* old failures drop out */
    fresh(&c);
    fail_at(&c, &lim, 0);
    fail_at(&c, &lim, 1);
    fail_at(&c, &lim, 2);
    ok(fail_at(&c, &lim, 2 + 60 + 3) == 0,
       "past SECONDS and one bucket more, the old ones are gone");
    ok(fail_at(&c, &lim, 1000000) == 0, "long after: a fresh count");

    /* a clock set back does not let failures go uncounted */
    fresh(&c);
    fail_at(&c, &lim, 100);
    fail_at(&c, &lim, 101);
    fail_at(&c, &lim, 50);
    ok(fail_at(&c, &lim, 40) == 30, "failures before the newest still count");
}

static void test_expiry(void)
{
    ag_failure_limit lim = {1, 10, 100};
    client c;

    fresh(&c);
    fail_at(&c, &lim, 0);
    ok(c.rec.expires >= c.base + apr_time_from_sec(10) &&
       c.rec.expires <= c.base + apr_time_from_sec(12),
       "a record lasts as long as its failures count");
    fail_at(&c, &lim, 1);
    ok(c.rec.expires >= c.base + apr_time_from_sec(101),
       "and at least as long as its lockout");
}

static void test_one_second(void)
{
    ag_failure_limit lim = {2, 1, 1};
    client c;

    fresh(&c);
    fail_at(&c, &lim, 0.1);
    fail_at(&c, &lim, 0.2);
    ok(fail_at(&c, &lim, 0.3) == 2,
       "SECONDS of 1: the third within it locks, for 1.7 s said as 2");
    fresh(&c);
    fail_at(&c, &lim, 0.1);
    fail_at(&c, &lim, 0.2);
    ok(fail_at(&c, &lim, 2.5) == 0, "and one 2 s later does not");
}

static void test_large(void)
{
    ag_failure_limit lim = {1000, 604800, 60};
    client c;
    unsigned i, r = 0;

    fresh(&c);
    for (i = 0; i < 1000; i++)
        r |= fail_at(&c, &lim, i * 600.0);
    ok(r == 0, "1000 failures within a week: not yet");
    ok(fail_at(&c, &lim, 1000 * 600.0) == 60, "the 1001st: locked out");
}

int main(void)
{
    test_parse();
    test_counts();
    test_key();
    test_limit();
    test_expiry();
    test_one_second();
    test_large();
    return tap_done();
}
