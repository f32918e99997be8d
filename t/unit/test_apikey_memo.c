#include <string.h>

#include <apr_strings.h>

#include "ag_apikey.h"
#include "ag_apikey_memo.h"
#include "tap.h"

#define KEY_A "ag_00000000000000aa_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define KEY_B "ag_00000000000000bb_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"

/* A store of KEY_A (user alice) and KEY_B (user bob), parsed anew. */
static const ag_apikey_store *store_of_two(apr_pool_t *p)
{
    const char *text = apr_psprintf(
        p, "00000000000000aa:%s:alice:-:1764300000:-:read\n"
           "00000000000000bb:%s:bob:-:1764300000:-:\n",
        ag_apikey_hash_hex(KEY_A, strlen(KEY_A), p),
        ag_apikey_hash_hex(KEY_B, strlen(KEY_B), p));
    ag_apikey_store *s = NULL;
    const char *err = NULL;

    if (ag_apikey_parse(text, strlen(text), &s, &err, p) != APR_SUCCESS)
        printf("# unexpected: %s\n", err);
    return s;
}

int main(void)
{
    apr_pool_t *p = tap_pool(), *conn;
    const ag_apikey_store *s = store_of_two(p), *again = store_of_two(p);
    const ag_apikey_record *a, *b;
    apr_size_t len = strlen(KEY_A);
    char other[sizeof(KEY_A)], longer[AG_APIKEY_MAX_LEN + 2];
    ag_apikey_memo *m;

    ok(s != NULL && again != NULL, "two stores of the same file");
    ok(ag_apikey_store_serial(s) != 0 &&
           ag_apikey_store_serial(s) != ag_apikey_store_serial(again),
       "each has a serial of its own");
    a = ag_apikey_find(s, KEY_A, len);
    b = ag_apikey_find(s, KEY_B, strlen(KEY_B));
    ok(a != NULL && b != NULL, "both keys are in it");

    apr_pool_create(&conn, p);
    m = ag_apikey_memo_create(conn);
    ok(ag_apikey_memo_get(m, s, KEY_A, len) == NULL, "empty: a miss");

    ag_apikey_memo_set(m, s, KEY_A, len, a);
    ok(ag_apikey_memo_get(m, s, KEY_A, len) == a, "the key: its record");
    strcpy(other, KEY_A);
    other[len - 1] = 'b';
    ok(ag_apikey_memo_get(m, s, other, len) == NULL,
       "a key differing in its last character: a miss");
    other[len - 1] = 'a';
    other[3] = '1';
    ok(ag_apikey_memo_get(m, s, other, len) == NULL,
       "a key differing in its id: a miss");
    ok(ag_apikey_memo_get(m, s, KEY_A, len - 1) == NULL,
       "a prefix of the key: a miss");
    ok(ag_apikey_memo_get(m, again, KEY_A, len) == NULL,
       "the same key against another store (a reload): a miss");

    ag_apikey_memo_set(m, s, KEY_B, strlen(KEY_B), b);
    ok(ag_apikey_memo_get(m, s, KEY_B, strlen(KEY_B)) == b,
       "another key replaces the first");
    ok(ag_apikey_memo_get(m, s, KEY_A, len) == NULL,
       "which is then a miss");

    ag_apikey_memo_clear(m);
    ok(ag_apikey_memo_get(m, s, KEY_B, strlen(KEY_B)) == NULL,
       "cleared: a miss");

    ag_apikey_memo_set(m, s, KEY_A, len, NULL);
    ok(ag_apikey_memo_get(m, s, KEY_A, len) == NULL,
       "a key without a record is not remembered");

    memset(longer, 'x', sizeof(longer) - 1);
    longer[sizeof(longer) - 1] = '\0';
    ag_apikey_memo_set(m, s, KEY_A, len, a);
    ag_apikey_memo_set(m, s, longer, sizeof(longer) - 1, a);
    ok(ag_apikey_memo_get(m, s, longer, sizeof(longer) - 1) == NULL,
       "a key longer than AG_APIKEY_MAX_LEN is not remembered");
    ok(ag_apikey_memo_get(m, s, KEY_A, len) == NULL,
       "and the memo is left empty, not holding the key before");

    /* the longest key it keeps fills its buffer to the last octet, which
     * follows the fields a lookup reads first (a sanitizer run checks
     * that nothing is written past it) */
    ag_apikey_memo_set(m, s, longer, AG_APIKEY_MAX_LEN, a);
    ag_apikey_memo_prefetch(m);
    ok(ag_apikey_memo_get(m, s, longer, AG_APIKEY_MAX_LEN) == a,
       "a key of exactly AG_APIKEY_MAX_LEN octets is remembered");
    longer[AG_APIKEY_MAX_LEN - 1] = 'y';
    ok(ag_apikey_memo_get(m, s, longer, AG_APIKEY_MAX_LEN) == NULL,
       "... and compared to its last octet");

    /* its pool goes with a key in it: the cleanup wipes it (what a
     * sanitizer run checks) */
    ag_apikey_memo_set(m, s, KEY_A, len, a);
    apr_pool_destroy(conn);
    return tap_done();
}
