#include <string.h>

#include "ag_token_cache.h"
#include "tap.h"

int main(void)
{
    apr_pool_t *p = tap_pool();
    ag_token_cache *c;
    unsigned char k1[32], k2[32];
    ag_token_entry e = {0}, got;
    apr_time_t now = apr_time_now();
    apr_uint64_t hits, misses;
    unsigned used;
    char big[AG_TOKEN_CACHE_MAX_DATA + 10];

    ok(ag_token_cache_create(&c, 0, apr_time_from_sec(300), p) != APR_SUCCESS,
       "a cache of no entries is refused");
    ok(ag_token_cache_create(&c, 4, apr_time_from_sec(300), p) ==
           APR_SUCCESS, "a cache of four");
    ag_token_cache_key("a.b.c", 5, k1);
    ag_token_cache_key("a.b.d", 5, k2);
    ok(memcmp(k1, k2, 32) != 0, "keys differ by token");
    e.user = "alice";
    e.scope = "read";
    e.kid = NULL;
    e.jti = "j1";
    e.expires = now + apr_time_from_sec(60);
    e.keyset_serial = 7;
    e.policy = 99;
    ok(!ag_token_cache_get(c, k1, 99, now, &got, p), "a miss when empty");
    ag_token_cache_put(c, k1, &e, now);
    ok(ag_token_cache_get(c, k1, 99, now, &got, p), "a hit");
    is_str(got.user, "alice", "user");
    is_str(got.scope, "read", "scope");
    ok(got.kid == NULL, "no kid stays NULL");
    is_str(got.jti, "j1", "jti");
    ok(got.keyset_serial == 7, "the keyset serial");
    ok(!ag_token_cache_get(c, k1, 98, now, &got, p),
       "a miss under another policy");
    ok(!ag_token_cache_get(c, k2, 99, now, &got, p), "a miss for another key");
    ok(!ag_token_cache_get(c, k1, 99, now + apr_time_from_sec(60), &got, p),
       "the entry does not outlive exp");
    ag_token_cache_put(c, k1, &e, now);
    e.expires = 0;
    ag_token_cache_put(c, k1, &e, now);
    ok(ag_token_cache_get(c, k1, 99, now + apr_time_from_sec(299), &got, p),
       "without exp the TTL holds");
    ok(!ag_token_cache_get(c, k1, 99, now + apr_time_from_sec(301), &got, p),
       "and ends");
    e.expires = now - 1;
    ag_token_cache_put(c, k1, &e, now);
    ok(!ag_token_cache_get(c, k1, 99, now, &got, p),
       "an expired token is not stored");
    e.expires = 0;
    ag_token_cache_put(c, k1, &e, now);
    ag_token_cache_drop(c, k1);
    ok(!ag_token_cache_get(c, k1, 99, now, &got, p), "dropped");
    memset(big, 's', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    e.scope = big;
    ag_token_cache_put(c, k2, &e, now);
    ok(!ag_token_cache_get(c, k2, 99, now, &got, p),
       "an entry over the size bound is not stored");
    ag_token_cache_stats(c, &hits, &misses, &used);
    ok(hits == 2 && used == 0, "hits counted, nothing left: %u", used);
    {
        /* many tokens in four slots: never more than four entries */
        int i;
        char tok[32];

        e.scope = "s";
        for (i = 0; i < 100; i++) {
            snprintf(tok, sizeof(tok), "t%d", i);
            ag_token_cache_key(tok, strlen(tok), k1);
            ag_token_cache_put(c, k1, &e, now);
        }
        ag_token_cache_stats(c, &hits, &misses, &used);
        ok(used <= 4, "bounded: %u entries", used);
    }
    return tap_done();
}
