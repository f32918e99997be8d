/* Nonces (self-validating, realm-bound) and nonce-count windows over the
 * in-memory store. */
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <apr_strings.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "ag_base64.h"
#include "ag_nonce.h"
#include "tap.h"

#define SEC 1000000   /* apr_time_t units per second */

static const ag_nonce_secret *secret_of(const char *text)
{
    ag_nonce_secret *s = apr_pcalloc(tap_pool(), sizeof(*s));

    if (ag_nonce_secret_from_text(text, strlen(text), s, tap_pool()) != NULL)
        return NULL;
    return s;
}

static void test_secret(void)
{
    ag_nonce_secret s;

    ok(ag_nonce_secret_from_text("short\n", 6, &s, tap_pool()) != NULL,
       "a short secret is refused");
    ok(ag_nonce_secret_from_text("0123456789abcdef0123456789abcde \n", 33,
                                 &s, tap_pool()) != NULL,
       "31 bytes and trailing white space are not enough");
    ok(ag_nonce_secret_from_text("0123456789abcdef0123456789abcdef\r\n", 34,
                                 &s, tap_pool()) == NULL && s.len == 32,
       "32 bytes with CRLF: the CRLF is dropped");
    {
        unsigned char r1[AG_NONCE_SECRET_RANDOM_LEN];
        unsigned char r2[AG_NONCE_SECRET_RANDOM_LEN];

        ok(ag_nonce_secret_draw(r1) == APR_SUCCESS &&
           ag_nonce_secret_draw(r2) == APR_SUCCESS &&
           memcmp(r1, r2, sizeof(r1)) != 0,
           "two random secrets differ");
        ok(ag_nonce_secret_from_bytes(r1, sizeof(r1), &s, tap_pool()) ==
               APR_SUCCESS && s.len == 32 && s.bytes != r1 &&
           memcmp(s.bytes, r1, 32) == 0 && s.key != NULL &&
           s.opaque != NULL,
           "a secret from random bytes: copied and prepared");
        ok(ag_nonce_secret_from_bytes(r1, 31, &s, tap_pool()) == APR_EINVAL,
           "31 random bytes are not a secret");
    }
}

static void test_nonce(void)
{
    const ag_nonce_secret *a = secret_of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    const ag_nonce_secret *b = secret_of("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    apr_time_t now = apr_time_now();
    const char *n1 = NULL, *n2 = NULL;
    ag_nonce_info info, info2;
    char *bad;
    apr_pool_t *p = tap_pool();

    ok(a && b, "secrets");
    ok(ag_nonce_make(a, "api", now, &n1, p) == APR_SUCCESS && n1 &&
           strlen(n1) == AG_NONCE_TEXT_LEN, "a nonce of %d characters",
       AG_NONCE_TEXT_LEN);
    ok(strspn(n1, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                  "0123456789-_") == AG_NONCE_TEXT_LEN,
       "base64url: nothing to escape in a quoted-string");
    ag_nonce_make(a, "api", now, &n2, p);
    ok(strcmp(n1, n2) != 0, "two nonces of the same instant differ");
    ok(ag_nonce_check(a, "api", n1, &info, p) == APR_SUCCESS &&
           info.issued == now, "it checks, and says when it was issued");
    ok(ag_nonce_check(a, "api", n2, &info2, p) == APR_SUCCESS &&
           memcmp(info.key, info2.key, AG_STORE_KEY_LEN) != 0,
       "each nonce has its own store key");
    ok(ag_nonce_check(a, "other", n1, &info, p) == APR_EINVAL,
       "another realm's nonce is refused");
    ok(ag_nonce_check(b, "api", n1, &info, p) == APR_EINVAL,
       "another secret's nonce is refused");
    bad = apr_pstrdup(p, n1);
    bad[3] = bad[3] == 'A' ? 'B' : 'A';
    ok(ag_nonce_check(a, "api", bad, &info, p) == APR_EINVAL,
       "a changed timestamp is refused");
    bad = apr_pstrdup(p, n1);
    bad[40] = bad[40] == 'A' ? 'B' : 'A';
    ok(ag_nonce_check(a, "api", bad, &info, p) == APR_EINVAL,
       "a changed MAC is refused");
    bad[40] = '+';
    ok(ag_nonce_check(a, "api", bad, &info, p) == APR_EINVAL,
       "a character outside base64url is refused");
    ok(ag_nonce_check(a, "api", apr_pstrcat(p, n1, "A", NULL), &info, p) ==
           APR_EINVAL, "a longer nonce is refused");
    ok(ag_nonce_check(a, "api", "", &info, p) == APR_EINVAL,
       "an empty nonce is refused");
    ok(ag_nonce_check(a, "api", "dcd98b7102dd2f0e8b11d0f600bfb0c093", &info,
                      p) == APR_EINVAL, "someone else's nonce is refused");

    ag_nonce_check(a, "api", n1, &info, p);
    ok(ag_nonce_time_left(&info, 300 * SEC, now + 10 * SEC) == 290 * SEC,
       "time left");
    ok(ag_nonce_time_left(&info, 300 * SEC, now + 301 * SEC) < 0,
       "stale after the lifetime");

    ok(strlen(ag_nonce_opaque(a)) == 16, "opaque: 12 bytes in base64url");
    ok(strcmp(ag_nonce_opaque(a), ag_nonce_opaque(b)) != 0,
       "opaque differs by secret");
}

/* The connection's memo answers for the nonce, secret and realm it
 * holds, and for nothing else. */
static void test_memo(void)
{
    const ag_nonce_secret *a = secret_of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    const ag_nonce_secret *b = secret_of("bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
    apr_time_t now = apr_time_now();
    const char *n1 = NULL, *n2 = NULL, *long_realm;
    ag_nonce_memo memo;
    ag_nonce_info info, plain;
    apr_pool_t *p = tap_pool();
    char *bad, *realm;

    memset(&memo, 0, sizeof(memo));
    ag_nonce_make(a, "api", now, &n1, p);
    ag_nonce_make(a, "api", now + SEC, &n2, p);
    ag_nonce_check(a, "api", n1, &plain, p);
    ok(ag_nonce_check_memo(&memo, a, "api", n1, &info, p) == APR_SUCCESS &&
           memcmp(&info, &plain, sizeof(info)) == 0,
       "memo: a first check is the plain check");
    ok(memo.secret == a && memcmp(memo.nonce, n1, AG_NONCE_TEXT_LEN) == 0,
       "memo: the good nonce is remembered");
    memo.info.issued = 12345;   /* only the memo says this */
    ok(ag_nonce_check_memo(&memo, a, "api", n1, &info, p) == APR_SUCCESS &&
           info.issued == 12345, "memo: the same nonce is answered from it");

    bad = apr_pstrdup(p, n1);
    bad[40] = bad[40] == 'A' ? 'B' : 'A';
    ok(ag_nonce_check_memo(&memo, a, "api", bad, &info, p) == APR_EINVAL,
       "memo: a nonce one character off is checked, and refused");
    ok(ag_nonce_check_memo(&memo, a, "api", apr_pstrcat(p, n1, "A", NULL),
                           &info, p) == APR_EINVAL,
       "memo: the remembered nonce and more is refused");
    ok(ag_nonce_check_memo(&memo, a, "other", n1, &info, p) == APR_EINVAL,
       "memo: the remembered nonce in another realm is refused");
    ok(ag_nonce_check_memo(&memo, a, "ap", n1, &info, p) == APR_EINVAL,
       "memo: ... and in a realm that is a prefix of its own");
    ok(ag_nonce_check_memo(&memo, b, "api", n1, &info, p) == APR_EINVAL,
       "memo: ... and under another secret");
    ok(memo.info.issued == 12345, "memo: refusals leave it as it was");

    ok(ag_nonce_check_memo(&memo, a, "api", n2, &info, p) == APR_SUCCESS &&
           info.issued == now + SEC &&
           memcmp(memo.nonce, n2, AG_NONCE_TEXT_LEN) == 0,
       "memo: a new good nonce takes its place");
    ok(ag_nonce_check_memo(&memo, a, "api", n1, &info, p) == APR_SUCCESS &&
           info.issued == now, "memo: the old one is checked again in full");

    realm = apr_palloc(p, AG_NONCE_MEMO_REALM_MAX + 2);
    memset(realm, 'r', AG_NONCE_MEMO_REALM_MAX + 1);
    realm[AG_NONCE_MEMO_REALM_MAX + 1] = '\0';
    long_realm = realm;
    ag_nonce_make(a, long_realm, now, &n2, p);
    ok(ag_nonce_check_memo(&memo, a, long_realm, n2, &info, p) ==
           APR_SUCCESS && memcmp(memo.nonce, n1, AG_NONCE_TEXT_LEN) == 0,
       "memo: a realm too long to remember is checked, not remembered");
    ok(ag_nonce_check_memo(NULL, a, "api", n1, &info, p) == APR_SUCCESS &&
           ag_nonce_check_memo(NULL, a, "api", bad, &info, p) == APR_EINVAL,
       "memo: none at all is the plain check");
}

/* The random part of a nonce (bytes 8 to 19 of its raw form). */
static void random_part(const char *nonce, unsigned char out[12])
{
    unsigned char *raw = NULL;
    apr_size_t len = 0;

    memset(out, 0, 12);
    if (ag_base64_decode(nonce, strlen(nonce), AG_BASE64URL, &raw, &len,
                         tap_pool()) == APR_SUCCESS && len == 36)
        memcpy(out, raw + 8, 12);
}

/* Nonces take their random part from per-thread batches: many nonces in
 * a row (across batches) never repeat one, and a forked child never reuses
 * what its parent drew. */
static void test_random_parts(void)
{
    const ag_nonce_secret *a = secret_of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    enum { N = 200 };
    static unsigned char parts[N][12];
    unsigned char mine[12], childs[12];
    apr_time_t now = apr_time_now();
    const char *n;
    int i, j, dup = 0, fds[2];
    pid_t pid;

    for (i = 0; i < N; i++) {
        ag_nonce_make(a, "api", now, &n, tap_pool());
        random_part(n, parts[i]);
        for (j = 0; j < i; j++)
            dup += memcmp(parts[i], parts[j], 12) == 0;
    }
    ok(dup == 0, "%d nonces of one instant: no random part repeats", N);

    if (pipe(fds) != 0 || (pid = fork()) < 0) {
        ok(0, "pipe and fork");
        return;
    }
    if (pid == 0) {
        close(fds[0]);
        ag_nonce_make(a, "api", now, &n, tap_pool());
        random_part(n, childs);
        _exit(write(fds[1], childs, 12) == 12 ? 0 : 1);
    }
    close(fds[1]);
    ag_nonce_make(a, "api", now, &n, tap_pool());
    random_part(n, mine);
    ok(read(fds[0], childs, 12) == 12 && waitpid(pid, NULL, 0) == pid &&
           memcmp(mine, childs, 12) != 0,
       "a forked child's next nonce is not its parent's");
    close(fds[0]);
}

/* The nonce's MAC and the opaque are the documented HMAC-SHA-256 (here
 * OpenSSL's one-shot HMAC() over the message as ag_nonce.h lays it out),
 * for a key shorter and one longer than SHA-256's block. */
static void test_mac_layout(void)
{
    const char *keys[] = {
        "0123456789abcdef0123456789abcdef",
        "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
        "0123456789",
    };
    apr_pool_t *p = tap_pool();
    int i;

    for (i = 0; i < 2; i++) {
        static const char nonce_label[] = "authgate-nonce\0api\0";
        static const char opaque_label[] = "authgate-opaque\0\0";
        unsigned char msg[sizeof(nonce_label) - 1 + 20], mac[32], *raw;
        unsigned int n = 0;
        apr_size_t len = 0;
        ag_nonce_secret s;
        const char *nonce, *opaque;

        ok(ag_nonce_secret_from_text(keys[i], strlen(keys[i]), &s, p) ==
               NULL && s.key != NULL,
           "a secret of %d bytes is prepared", (int)strlen(keys[i]));
        ag_nonce_make(&s, "api", apr_time_now(), &nonce, p);
        ag_base64_decode(nonce, strlen(nonce), AG_BASE64URL, &raw, &len, p);
        memcpy(msg, nonce_label, sizeof(nonce_label) - 1);
        memcpy(msg + sizeof(nonce_label) - 1, raw, 20);
        HMAC(EVP_sha256(), keys[i], (int)strlen(keys[i]), msg, sizeof(msg),
             mac, &n);
        ok(len == 36 && memcmp(raw + 20, mac, 16) == 0,
           "the nonce's MAC is HMAC-SHA-256 of its layout (%d-byte key)",
           (int)strlen(keys[i]));
        HMAC(EVP_sha256(), keys[i], (int)strlen(keys[i]),
             (const unsigned char *)opaque_label, sizeof(opaque_label) - 1,
             mac, &n);
        opaque = ag_base64_encode(mac, 12, AG_BASE64URL, p);
        is_str(ag_nonce_opaque(&s), opaque, "... and so is the opaque");
    }
}

/* 1 when each of the N counts applied to W in turn gets VERDICT. */
static int all_give(ag_nc_window *w, const apr_uint32_t *counts, int n,
                    ag_nc_verdict verdict)
{
    int i, all = 1;

    for (i = 0; i < n; i++)
        all = all && ag_nc_window_apply(w, counts[i]) == verdict;
    return all;
}

static void test_window(void)
{
    const apr_uint32_t W = AG_NONCE_WINDOW, T = W + 44, T2 = T + 70;
    const apr_uint32_t B = W / 2 + 30;   /* not a word's edge */
    const apr_uint32_t edges[] = {63, 64, W - 1, W, W + 1};
    ag_nc_window w = {0, {0}}, full = {0, {0}};
    apr_uint32_t c;
    int all;

    ok(ag_nc_window_apply(&w, 1) == AG_NC_ACCEPTED, "1");
    ok(ag_nc_window_apply(&w, 1) == AG_NC_REPLAY, "1 again: replay");
    ok(ag_nc_window_apply(&w, 5) == AG_NC_ACCEPTED, "5");
    ok(ag_nc_window_apply(&w, 3) == AG_NC_ACCEPTED, "3 after 5");
    ok(ag_nc_window_apply(&w, 4) == AG_NC_ACCEPTED, "4 after 3");
    ok(ag_nc_window_apply(&w, 3) == AG_NC_REPLAY, "3 again: replay");
    ok(ag_nc_window_apply(&w, 5) == AG_NC_REPLAY, "5 again: replay");
    ok(ag_nc_window_apply(&w, 2) == AG_NC_ACCEPTED, "2, late");
    ok(ag_nc_window_apply(&w, T) == AG_NC_ACCEPTED, "a jump to %u", T);
    ok(ag_nc_window_apply(&w, 2) == AG_NC_BELOW_WINDOW &&
           ag_nc_window_apply(&w, 44) == AG_NC_BELOW_WINDOW,
       "44 is %u below %u: below the window", W, T);
    ok(ag_nc_window_apply(&w, 45) == AG_NC_ACCEPTED,
       "45 is %u below: inside", W - 1);
    ok(ag_nc_window_apply(&w, 45) == AG_NC_REPLAY, "45 again: replay");
    /* bits 63 and 64 sit in two words; W - 1 and W at the ring's end
     * and start */
    ok(all_give(&w, edges, 5, AG_NC_ACCEPTED),
       "counts on both sides of a word's edge and of the ring's end");
    ok(all_give(&w, edges, 5, AG_NC_REPLAY), "... each seen once");
    ok(ag_nc_window_apply(&w, T2) == AG_NC_ACCEPTED, "up by 70 to %u", T2);
    ok(ag_nc_window_apply(&w, T + 1) == AG_NC_ACCEPTED &&
           ag_nc_window_apply(&w, W + 63) == AG_NC_ACCEPTED,
       "%u and %u, never seen, are accepted: their bits, which 45 and 63 "
       "had set, were cleared", T + 1, W + 63);
    ok(all_give(&w, edges + 2, 3, AG_NC_REPLAY),
       "the counts still in the window are remembered");
    ok(ag_nc_window_apply(&w, 63) == AG_NC_BELOW_WINDOW &&
           ag_nc_window_apply(&w, T2 - W) == AG_NC_BELOW_WINDOW,
       "%u is %u below %u: below the window", T2 - W, W, T2);
    ok(ag_nc_window_apply(&w, T2 - W + 1) == AG_NC_ACCEPTED,
       "%u, %u below, was never seen: accepted", T2 - W + 1, W - 1);
    ok(w.top == T2, "the top is the highest count");
    ok(ag_nc_window_apply(&w, 0xffffffffu) == AG_NC_ACCEPTED &&
           ag_nc_window_apply(&w, 0xffffffffu) == AG_NC_REPLAY,
       "the largest count, once");
    ok(ag_nc_window_apply(&w, 0xffffffffu - (W - 1)) == AG_NC_ACCEPTED &&
           ag_nc_window_apply(&w, 0xffffffffu - W) == AG_NC_BELOW_WINDOW,
       "the window's edge after a long jump");

    /* a full window whose top sits mid-ring, then a jump of W - 1: every
     * bit but one is taken over, across the ring's end */
    all = 1;
    for (c = B + 1; c <= B + W; c++)
        all = all && ag_nc_window_apply(&full, c) == AG_NC_ACCEPTED;
    ok(all, "counts %u to %u, each accepted", B + 1, B + W);
    ok(ag_nc_window_apply(&full, B + 2 * W - 1) == AG_NC_ACCEPTED,
       "then %u", B + 2 * W - 1);
    ok(ag_nc_window_apply(&full, B + W) == AG_NC_REPLAY,
       "%u, the one count kept, is still remembered", B + W);
    all = 1;
    for (c = B + W + 1; c < B + 2 * W - 1; c++)
        all = all && ag_nc_window_apply(&full, c) == AG_NC_ACCEPTED;
    ok(all, "%u to %u, whose bits counts %u to %u had, are accepted",
       B + W + 1, B + 2 * W - 2, B + 1, B + W - 2);
    ok(ag_nc_window_apply(&full, B + W - 1) == AG_NC_BELOW_WINDOW,
       "%u is below the window", B + W - 1);
}

static void test_counts(void)
{
    const ag_nonce_secret *a = secret_of("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    apr_pool_t *p = tap_pool();
    ag_store *store, *small;
    ag_store_stats st;
    ag_nonce_info info, old, evicted;
    ag_nc_verdict v;
    const char *n;
    apr_time_t now = apr_time_now(), exp = now + 300 * SEC;
    int i, all;

    ag_nonce_make(a, "api", now - 5 * SEC, &n, p);
    ag_nonce_check(a, "api", n, &old, p);
    ok(ag_store_memory_create(&store, 64 * 1024, now, p) == APR_SUCCESS,
       "a store, newer than the nonce just made");
    ok(ag_nonce_count_use(store, &old, 1, exp, now, &v) == APR_SUCCESS &&
           v == AG_NC_UNKNOWN,
       "a nonce older than the store is unknown (stale), not accepted");
    store->stats(store, &st);
    ok(st.entries == 0, "... and leaves nothing in the store");

    /* The store's start is its horizon: a nonce of that very microsecond
     * may have been used before the store, one a microsecond later not. */
    ag_nonce_make(a, "api", now, &n, p);
    ag_nonce_check(a, "api", n, &info, p);
    ag_nonce_count_use(store, &info, 1, exp, now, &v);
    ok(v == AG_NC_UNKNOWN, "a nonce of the store's start: unknown");
    ag_nonce_make(a, "api", now + 1, &n, p);
    ag_nonce_check(a, "api", n, &info, p);
    ok(ag_nonce_count_use(store, &info, 5, exp, now, &v) == APR_SUCCESS &&
           v == AG_NC_ACCEPTED, "first use (count 5) creates the window");
    ag_nonce_count_use(store, &info, 3, exp, now, &v);
    ok(v == AG_NC_ACCEPTED, "3 accepted");
    ag_nonce_count_use(store, &info, 4, exp, now, &v);
    ok(v == AG_NC_ACCEPTED, "4 accepted");
    ag_nonce_count_use(store, &info, 4, exp, now, &v);
    ok(v == AG_NC_REPLAY, "4 again: replay");
    ag_nonce_count_use(store, &info, AG_NONCE_WINDOW + 600, exp, now, &v);
    ag_nonce_count_use(store, &info, 100, exp, now, &v);
    ok(v == AG_NC_BELOW_WINDOW, "100 after %u: below the window",
       AG_NONCE_WINDOW + 600);
    ag_nonce_count_use(store, &info, AG_NONCE_WINDOW + 599, exp, now, &v);
    ok(v == AG_NC_ACCEPTED, "a refusal left the window as it was");
    store->stats(store, &st);
    ok(st.entries == 1, "one window for one nonce");

    /* Eviction: a store of the minimum size, overfilled. */
    ag_store_memory_create(&small, 64 * 1024, now, p);
    small->stats(small, &st);
    ag_nonce_make(a, "api", now + 1, &n, p);
    ag_nonce_check(a, "api", n, &evicted, p);
    ag_nonce_count_use(small, &evicted, 1, exp, now, &v);
    ok(v == AG_NC_ACCEPTED, "a nonce used once");
    /* newer than the one evicted: its stamp becomes the horizon */
    for (i = 0; i < (int)st.capacity; i++) {
        ag_nonce_make(a, "api", now + 2, &n, p);
        ag_nonce_check(a, "api", n, &info, p);
        ag_nonce_count_use(small, &info, 1, exp, now, &v);
    }
    small->stats(small, &st);
    ok(st.evictions == 1, "... evicted by as many newer ones");
    ag_nonce_count_use(small, &evicted, 1, exp, now, &v);
    ok(v == AG_NC_UNKNOWN, "its replay is not accepted: unknown (stale)");
    ag_nonce_count_use(small, &evicted, 2, exp, now, &v);
    ok(v == AG_NC_UNKNOWN, "nor its next count");
    ok(ag_nonce_count_use(small, &info, 1, exp, now, &v) == APR_SUCCESS &&
           v == AG_NC_REPLAY, "the newest still refuses its replay");

    /* The acceptance: 100,000 nonces in use in the default size
     * are all tracked, so no false refusal. */
    ag_store_memory_create(&store, AG_STORE_DEFAULT_SIZE, now, p);
    {
        ag_nonce_info *infos = apr_palloc(p, 100000 * sizeof(*infos));

        for (i = 0; i < 100000; i++) {
            ag_nonce_make(a, "api", now + 1, &n, p);
            ag_nonce_check(a, "api", n, &infos[i], p);
        }
        all = 1;
        for (i = 0; i < 100000; i++) {
            ag_nonce_count_use(store, &infos[i], 1, exp, now, &v);
            all = all && v == AG_NC_ACCEPTED;
        }
        ok(all, "100000 nonces: first counts accepted");
        all = 1;
        for (i = 0; i < 100000; i++) {
            ag_nonce_count_use(store, &infos[i], 2, exp, now, &v);
            all = all && v == AG_NC_ACCEPTED;
        }
        ok(all, "100000 nonces: second counts accepted");
        all = 1;
        for (i = 0; i < 100000; i++) {
            ag_nonce_count_use(store, &infos[i], 1, exp, now, &v);
            all = all && v == AG_NC_REPLAY;
        }
        ok(all, "100000 nonces: replays refused as replays, none unknown");
        store->stats(store, &st);
        ok(st.entries == 100000 && st.evictions == 0,
           "100000 windows held in %lu bytes, capacity %lu, no eviction",
           (unsigned long)AG_STORE_DEFAULT_SIZE,
           (unsigned long)st.capacity);
    }
}

int main(void)
{
    test_secret();
    test_nonce();
    test_memo();
    test_mac_layout();
    test_random_parts();
    test_window();
    test_counts();
    return tap_done();
}
