#include <string.h>

#include "ag_token_memo.h"
#include "tap.h"

int main(void)
{
    apr_pool_t *p = tap_pool(), *conn;
    ag_token_memo *m;
    ag_token_entry e = {0}, got;
    apr_time_t now = apr_time_now();
    const char *tok = "aaa.bbb.ccc";
    apr_size_t len = strlen(tok);
    char other[32], longer[4096];

    apr_pool_create(&conn, p);
    m = ag_token_memo_create(conn);
    ok(!ag_token_memo_get(m, tok, len, 1, now, &got, p), "empty: a miss");

    e.user = "alice";
    e.scope = "read write";
    e.kid = NULL;
    e.jti = "";
    e.expires = now + apr_time_from_sec(10);
    e.keyset_serial = 42;
    e.policy = 1;
    ag_token_memo_set(m, tok, len, &e);
    ok(ag_token_memo_get(m, tok, len, 1, now, &got, p), "the token: a hit");
    is_str(got.user, "alice", "user");
    is_str(got.scope, "read write", "scope");
    ok(got.kid == NULL, "no kid stays NULL");
    is_str(got.jti, "", "an empty jti stays empty, not NULL");
    ok(got.keyset_serial == 42 && got.policy == 1 &&
           got.expires == e.expires, "serial, policy and end");
    ok(got.user != e.user, "strings are copies");

    strcpy(other, tok);
    other[len - 1] = 'd';
    ok(!ag_token_memo_get(m, other, len, 1, now, &got, p),
       "another token of the same length: a miss");
    ok(!ag_token_memo_get(m, tok, len - 1, 1, now, &got, p),
       "a prefix of the token: a miss");
    ok(!ag_token_memo_get(m, tok, len, 2, now, &got, p),
       "another policy: a miss");
    ok(!ag_token_memo_get(m, tok, len, 1, e.expires, &got, p),
       "at the entry's end: a miss");
    ok(ag_token_memo_get(m, tok, len, 1, e.expires - 1, &got, p),
       "just before it: a hit");

    ag_token_memo_clear(m);
    ok(!ag_token_memo_get(m, tok, len, 1, now, &got, p), "cleared: a miss");

    memset(longer, 'x', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    e.user = "bob";
    ag_token_memo_set(m, longer, sizeof(longer) - 1, &e);
    ok(ag_token_memo_get(m, longer, sizeof(longer) - 1, 1, now, &got, p),
       "a longer token replaces the memo");
    is_str(got.user, "bob", "with its own entry");
    ok(!ag_token_memo_get(m, tok, len, 1, now, &got, p),
       "the first token is forgotten");
    {
        /* every byte counts, in the words and in the tail after them */
        apr_size_t at, n = 301, missed = 0;

        longer[n] = '\0';
        ag_token_memo_set(m, longer, n, &e);
        for (at = 0; at < n; at++) {
            longer[at] = 'y';
            missed += !ag_token_memo_get(m, longer, n, 1, now, &got, p);
            longer[at] = 'x';
        }
        ok(missed == n, "a token of 301 bytes with any one byte changed: "
                        "a miss");
        ok(ag_token_memo_get(m, longer, n, 1, now, &got, p),
           "... and unchanged: a hit");
        longer[n] = 'x';
    }
    ag_token_memo_set(m, tok, len, &e);
    ok(ag_token_memo_get(m, tok, len, 1, now, &got, p) &&
           !ag_token_memo_get(m, longer, sizeof(longer) - 1, 1, now, &got, p),
       "a shorter one again, in the same buffer");

    e.user = NULL;
    ag_token_memo_set(m, tok, len, &e);
    ok(!ag_token_memo_get(m, tok, len, 1, now, &got, p),
       "an entry without a user is not remembered");

    apr_pool_destroy(conn);
    return tap_done();
}
