#include <string.h>

#include <apr_strings.h>

#include "ag_apikey.h"
#include "tap.h"

/* sha256("abc") and sha256("def"), FIPS 180-2 and sha256sum */
#define SHA_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA_DEF "cb8379ac2098aa165029e3938a51da0bcecfc008fd6795f401178647f96c5b34"

static const char *parse_err(const char *text)
{
    ag_apikey_store *s = NULL;
    const char *err = NULL;

    if (ag_apikey_parse(text, strlen(text), &s, &err, tap_pool()) ==
        APR_SUCCESS)
        return NULL;
    return err != NULL ? err : "(no message)";
}

static ag_apikey_store *parse_ok(const char *text)
{
    ag_apikey_store *s = NULL;
    const char *err = NULL;

    if (ag_apikey_parse(text, strlen(text), &s, &err, tap_pool()) !=
        APR_SUCCESS) {
        printf("# unexpected: %s\n", err);
        return NULL;
    }
    return s;
}

static void test_generate(apr_pool_t *p)
{
    const char *key, *id, *key2, *id2;
    apr_size_t len, i;
    int alnum = 1;

    ok(ag_apikey_generate(&key, &id, p) == APR_SUCCESS, "generate a key");
    len = strlen(key);
    ok(len == 3 + 16 + 1 + 43, "ag_ + 16 + _ + 43 characters");
    ok(strncmp(key, "ag_", 3) == 0 && key[19] == '_', "prefix and separator");
    ok(strlen(id) == 16 && strncmp(key + 3, id, 16) == 0,
       "the id is in the key");
    for (i = 20; i < len; i++)
        if (!((key[i] >= '0' && key[i] <= '9') ||
              (key[i] >= 'a' && key[i] <= 'z') ||
              (key[i] >= 'A' && key[i] <= 'Z')))
            alnum = 0;
    ok(alnum, "the secret is base62");
    is_str(ag_apikey_key_id(key, len, p), id, "key_id reads the id back");
    ok(ag_apikey_key_valid(key, len), "a generated key is a valid key");
    ok(ag_apikey_generate(&key2, &id2, p) == APR_SUCCESS &&
           strcmp(key, key2) != 0 && strcmp(id, id2) != 0,
       "two keys differ, ids too");
}

static void test_key_forms(apr_pool_t *p)
{
    char big[AG_APIKEY_MAX_LEN + 2];
    const char *k = "ag_0123456789abcdef_0123456789012345678901234567890123456789abc";

    ok(ag_apikey_key_valid("x", 1), "a one-character key is a key");
    ok(!ag_apikey_key_valid("", 0), "an empty key is not");
    ok(!ag_apikey_key_valid("a b", 3), "a space is not in a key");
    ok(!ag_apikey_key_valid("a\x01", 2), "a control character is not");
    {
        /* every octet in every position of keys of 1 to 24 octets (the
         * word-at-a-time part and the tail), the others visible and on
         * both sides of the octet tested */
        char k[24];
        int n, pos, c, wrong = 0;

        for (n = 1; n <= (int)sizeof(k); n++)
            for (pos = 0; pos < n; pos++)
                for (c = 0; c < 256; c++) {
                    memset(k, pos % 2 ? '~' : '!', sizeof(k));
                    k[pos] = (char)c;
                    wrong += ag_apikey_key_valid(k, (apr_size_t)n) !=
                             (c >= 0x21 && c <= 0x7e);
                }
        ok(wrong == 0, "each octet in each position: visible ASCII only "
                       "(%d wrong)", wrong);
    }
    ok(!ag_apikey_key_valid("a\x80", 2), "a non-ASCII byte is not");
    memset(big, 'a', sizeof(big));
    ok(ag_apikey_key_valid(big, AG_APIKEY_MAX_LEN), "512 characters are");
    ok(!ag_apikey_key_valid(big, AG_APIKEY_MAX_LEN + 1), "513 are not");

    is_str(ag_apikey_key_id(k, strlen(k), p), "0123456789abcdef",
           "id of a well-formed key");
    ok(ag_apikey_key_id("ag_0123456789ABCDEF_0123456789012345678901234567890123456789abc",
                        strlen(k), p) == NULL, "upper-case id: no id");
    ok(ag_apikey_key_id(k, strlen(k) - 1, p) == NULL, "short secret: no id");
    ok(ag_apikey_key_id("xx_0123456789abcdef_0123456789012345678901234567890123456789abc",
                        strlen(k), p) == NULL, "other prefix: no id");
    ok(ag_apikey_key_id("ag_0123456789abcdef_01234567890123456789012345678901234567-9abc",
                        strlen(k), p) == NULL, "'-' in the secret: no id");

    is_str(ag_apikey_hash_hex("abc", 3, p), SHA_ABC, "SHA-256 of abc");
}

static void test_fields(void)
{
    ok(ag_apikey_id_valid("a.b_c-9"), "id characters");
    ok(!ag_apikey_id_valid(""), "empty id");
    ok(!ag_apikey_id_valid("a:b"), "':' in an id");
    ok(!ag_apikey_id_valid("a b"), "space in an id");
    ok(ag_apikey_user_valid("alice@example.com"), "user");
    ok(ag_apikey_user_valid("John Doe"), "user with a space");
    ok(!ag_apikey_user_valid(""), "empty user");
    ok(!ag_apikey_user_valid("a:b"), "':' in a user");
    ok(!ag_apikey_user_valid("a\tb"), "tab in a user");
    ok(ag_apikey_scopes_valid(""), "no scopes");
    ok(ag_apikey_scopes_valid("read write admin/x"), "scopes");
    ok(!ag_apikey_scopes_valid("read  write"), "two spaces");
    ok(!ag_apikey_scopes_valid(" read"), "leading space");
    ok(!ag_apikey_scopes_valid("read "), "trailing space");
    ok(ag_apikey_scopes_valid("read:org repo:status"), "':' in a scope");
    ok(!ag_apikey_scopes_valid("a\"b"), "'\"' in a scope");
    ok(!ag_apikey_scopes_valid("a\\b"), "'\\' in a scope");
    {
        const char *o = NULL;

        ok(ag_apikey_scopes_normalize("  read\t\twrite \n", &o,
                                      tap_pool()) == APR_SUCCESS,
           "normalize white space");
        is_str(o, "read write", "runs of white space become one space");
        ok(ag_apikey_scopes_normalize("", &o, tap_pool()) == APR_SUCCESS &&
               o[0] == '\0', "normalize nothing");
        ok(ag_apikey_scopes_normalize("a \"b\"", &o, tap_pool()) ==
               APR_EINVAL, "a quote is refused");
    }
}

static void test_parse(apr_pool_t *p)
{
    const char *text =
        "# authgate API keys\n"
        "\n"
        "k1:" SHA_ABC ":alice:-:1700000000:-:read write\n"
        "   \n"
        "k2:" SHA_DEF ":bob:1800000000:1700000001:1700000100:\r\n";
    const char *ktext = "k3:" SHA_ABC ":carol:-:1:-:x";
    ag_apikey_store *s = parse_ok(text);
    const ag_apikey_record *r;
    unsigned char sha[AG_APIKEY_SHA256_LEN];

    ok(s != NULL && ag_apikey_count(s) == 2, "two records, comments skipped");
    if (s == NULL)
        return;
    r = ag_apikey_find(s, "abc", 3);
    ok(r != NULL && strcmp(r->id, "k1") == 0, "find by key");
    ok(r != NULL && strcmp(r->user, "alice") == 0 &&
           strcmp(r->scopes, "read write") == 0 && r->expires == 0 &&
           r->created == 1700000000 && r->revoked == 0 && r->line == 3,
       "fields of the first record");
    r = ag_apikey_find(s, "def", 3);
    ok(r != NULL && strcmp(r->user, "bob") == 0 && r->scopes[0] == '\0' &&
           r->expires == 1800000000 && r->revoked == 1700000100 &&
           r->line == 5, "fields of the CRLF record");
    ok(ag_apikey_find(s, "abd", 3) == NULL, "an unknown key");
    ag_apikey_hash("abc", 3, sha);
    ok(ag_apikey_find_hash(s, sha) == ag_apikey_find(s, "abc", 3),
       "find by hash");
    ok(ag_apikey_find_id(s, "k2") == ag_apikey_at(s, 1), "find by id");
    ok(ag_apikey_find_id(s, "k9") == NULL, "an unknown id");
    ok(ag_apikey_at(s, 2) == NULL && ag_apikey_at(s, -1) == NULL,
       "at() out of range");

    is_str(ag_apikey_record_format(ag_apikey_at(s, 0), p),
           "k1:" SHA_ABC ":alice:-:1700000000:-:read write",
           "a record formats as it was read");
    is_str(ag_apikey_record_format(ag_apikey_at(s, 1), p),
           "k2:" SHA_DEF ":bob:1800000000:1700000001:1700000100:",
           "with expiry and revocation");

    {
        /* LEN bounds the parse: what follows is not read */
        const char *more = "k3:" SHA_ABC ":carol:-:1:-:x:yz";
        ag_apikey_store *t = NULL;
        const char *err = NULL;

        ok(ag_apikey_parse(more, strlen(more) - 3, &t, &err, p) ==
               APR_SUCCESS && strcmp(ag_apikey_at(t, 0)->scopes, "x") == 0,
           "the parse stops at LEN");
    }
    s = parse_ok(ktext);
    ok(s != NULL && ag_apikey_count(s) == 1,
       "a last line without a newline");
    s = parse_ok("");
    ok(s != NULL && ag_apikey_count(s) == 0, "an empty file is no keys");
    s = parse_ok("# only a comment\n");
    ok(s != NULL && ag_apikey_count(s) == 0, "a file of comments");
    ok(s != NULL && ag_apikey_find(s, "abc", 3) == NULL,
       "lookup in an empty store");
}

#define GOOD "k1:" SHA_ABC ":alice:-:1700000000:-:read\n"

static void refused(const char *line, const char *want, const char *what)
{
    const char *text = apr_pstrcat(tap_pool(), "# keys\n", GOOD, line, "\n",
                                   NULL);

    is_str(parse_err(text), want, "%s", what);
}

static void test_malformed(void)
{
    refused("k2:" SHA_DEF ":bob:-:1700000000:-",
            "line 3: fewer than 7 fields separated by ':'", "six fields");
    refused(":" SHA_DEF ":bob:-:1700000000:-:read",
            "line 3: bad id (1 to 64 of A-Z a-z 0-9 . _ -)", "empty id");
    refused("k 2:" SHA_DEF ":bob:-:1700000000:-:read",
            "line 3: bad id (1 to 64 of A-Z a-z 0-9 . _ -)", "space in id");
    refused("k2:CB8379AC2098AA165029E3938A51DA0BCECFC008FD6795F401178647F96C5B34:bob:-:1700000000:-:read",
            "line 3: bad key hash (64 lower-case hex digits)",
            "upper-case hash");
    refused("k2:cb8379ac:bob:-:1700000000:-:read",
            "line 3: bad key hash (64 lower-case hex digits)", "short hash");
    refused("k2:" SHA_DEF "::-:1700000000:-:read", "line 3: bad user",
            "empty user");
    refused("k2:" SHA_DEF ":bob:-:1700000000:-:read  write",
            "line 3: bad scopes", "two spaces in scopes");
    refused("k2:" SHA_DEF ":bob::1700000000:-:read",
            "line 3: bad expiry (Unix seconds or '-')", "empty expiry");
    refused("k2:" SHA_DEF ":bob:0:1700000000:-:read",
            "line 3: bad expiry (Unix seconds or '-')", "expiry 0");
    refused("k2:" SHA_DEF ":bob:-1:1700000000:-:read",
            "line 3: bad expiry (Unix seconds or '-')", "negative expiry");
    refused("k2:" SHA_DEF ":bob:2027-01-01:1700000000:-:read",
            "line 3: bad expiry (Unix seconds or '-')", "a date as expiry");
    refused("k2:" SHA_DEF ":bob:999999999999999:1700000000:-:read",
            "line 3: bad expiry (Unix seconds or '-')", "huge expiry");
    refused("k2:" SHA_DEF ":bob:-:-:-:read",
            "line 3: bad creation time (Unix seconds)", "no creation time");
    refused("k2:" SHA_DEF ":bob:-:1700000000:yes:read",
            "line 3: bad revocation (Unix seconds or '-')", "revoked=yes");
    refused("k1:" SHA_DEF ":bob:-:1700000000:-:read",
            "line 3: id already used on an earlier line", "duplicate id");
    refused("k2:" SHA_ABC ":bob:-:1700000000:-:read",
            "line 3: key hash already used on an earlier line",
            "duplicate hash");
    refused("k2:" SHA_DEF ":bob:-:1700000000:-:read\x7f",
            "line 3: bad scopes", "DEL in the scopes");
    refused(" # not a comment",
            "line 3: fewer than 7 fields separated by ':'",
            "a comment must start the line");
    {
        static const char nul[] = "k1:" SHA_ABC ":al\0ce:-:1700000000:-:read\n";
        ag_apikey_store *s = NULL;
        const char *err = NULL;

        ok(ag_apikey_parse(nul, sizeof(nul) - 1, &s, &err, tap_pool()) ==
               APR_EINVAL && s == NULL, "a NUL inside a field is refused");
        is_str(err, "line 1: a NUL byte", "the message names the NUL");
    }
    {
        char *longline = apr_palloc(tap_pool(), AG_APIKEY_MAX_LINE + 100);

        memset(longline, 'a', AG_APIKEY_MAX_LINE + 99);
        longline[AG_APIKEY_MAX_LINE + 99] = '\0';
        is_str(parse_err(longline), "line 1: line too long", "a long line");
    }
}

static void test_check(void)
{
    ag_apikey_record r = {0};

    ok(ag_apikey_check(NULL, 100) == AG_R_APIKEY_UNKNOWN, "no record");
    ok(ag_apikey_check(&r, 100) == AG_OK, "no expiry, not revoked");
    r.expires = 200;
    ok(ag_apikey_check(&r, 199) == AG_OK, "before expiry");
    ok(ag_apikey_check(&r, 200) == AG_R_APIKEY_EXPIRED, "at expiry");
    r.revoked = 150;
    ok(ag_apikey_check(&r, 300) == AG_R_REVOKED,
       "revoked wins over expired");
    r.expires = 0;
    ok(ag_apikey_check(&r, 100) == AG_R_REVOKED,
       "revoked (revocation time does not matter)");
}

static void test_times(apr_pool_t *p)
{
    apr_int64_t t = 0, now = 1700000000;

    ok(ag_apikey_expiry_parse("2027-01-31", now, &t) == APR_SUCCESS &&
           t == 1801353600, "a date is its midnight UTC");
    ok(ag_apikey_expiry_parse("2027-01-31T12:00:00Z", now, &t) ==
           APR_SUCCESS && t == 1801396800, "a date and time");
    ok(ag_apikey_expiry_parse("+30d", now, &t) == APR_SUCCESS &&
           t == now + 30 * 86400, "+30d");
    ok(ag_apikey_expiry_parse("2028-02-29", now, &t) == APR_SUCCESS,
       "a leap day");
    ok(ag_apikey_expiry_parse("2027-02-29", now, &t) == APR_EINVAL,
       "not a leap year");
    ok(ag_apikey_expiry_parse("2100-02-29", now, &t) == APR_EINVAL,
       "2100 is not a leap year");
    ok(ag_apikey_expiry_parse("2000-02-29", now, &t) == APR_SUCCESS,
       "2000 is one");
    ok(ag_apikey_expiry_parse("2027-13-01", now, &t) == APR_EINVAL,
       "month 13");
    ok(ag_apikey_expiry_parse("2027-04-31", now, &t) == APR_EINVAL,
       "April 31");
    ok(ag_apikey_expiry_parse("2027-01-31T24:00:00Z", now, &t) ==
           APR_EINVAL, "hour 24");
    ok(ag_apikey_expiry_parse("2027-01-31T12:00:00", now, &t) == APR_EINVAL,
       "no Z");
    ok(ag_apikey_expiry_parse("2027-01-31 12:00:00Z", now, &t) == APR_EINVAL,
       "a space for T");
    ok(ag_apikey_expiry_parse("27-01-31", now, &t) == APR_EINVAL,
       "two-digit year");
    ok(ag_apikey_expiry_parse("+0d", now, &t) == APR_EINVAL, "+0d");
    ok(ag_apikey_expiry_parse("+30", now, &t) == APR_EINVAL, "+30");
    ok(ag_apikey_expiry_parse("+-3d", now, &t) == APR_EINVAL, "+-3d");
    ok(ag_apikey_expiry_parse("+36501d", now, &t) == APR_EINVAL,
       "more than a century");
    ok(ag_apikey_expiry_parse("", now, &t) == APR_EINVAL, "empty");
    ok(ag_apikey_expiry_parse("1969-12-31", now, &t) == APR_EINVAL,
       "before the epoch");

    is_str(ag_apikey_time_format(0, p), "1970-01-01T00:00:00Z", "the epoch");
    is_str(ag_apikey_time_format(1801396800, p), "2027-01-31T12:00:00Z",
           "a time");
    is_str(ag_apikey_time_format(951782400, p), "2000-02-29T00:00:00Z",
           "a leap day");
    is_str(ag_apikey_time_format(AG_APIKEY_MAX_TIME, p),
           "9999-12-31T23:59:59Z", "the largest time");
}

/* Many records: every one is found, and nothing else. */
static void test_many(apr_pool_t *p)
{
    enum { N = 20000 };
    char **keys = apr_palloc(p, N * sizeof(*keys));
    char *text = apr_palloc(p, (apr_size_t)N * 128);
    apr_size_t off = 0;
    ag_apikey_store *s;
    int i, found = 0, wrong = 0;

    for (i = 0; i < N; i++) {
        keys[i] = apr_psprintf(p, "key-%d", i);
        off += (apr_size_t)apr_snprintf(text + off, 128,
                                        "id%d:%s:user%d:-:1:-:\n", i,
                                        ag_apikey_hash_hex(keys[i],
                                                           strlen(keys[i]),
                                                           p), i);
    }
    s = parse_ok(apr_pstrmemdup(p, text, off));
    ok(s != NULL && ag_apikey_count(s) == N, "20000 records");
    if (s == NULL)
        return;
    for (i = 0; i < N; i++) {
        const ag_apikey_record *r = ag_apikey_find(s, keys[i],
                                                   strlen(keys[i]));

        if (r != NULL)
            found++;
        if (r == NULL || strcmp(r->user, apr_psprintf(p, "user%d", i)) != 0)
            wrong++;
    }
    ok(found == N && wrong == 0, "each key finds its own record");
    ok(ag_apikey_find(s, "key-20000", 9) == NULL, "a key not stored");
}

/* A record line of HEX (the hash), id ID. */
static const char *hash_line(const char *id, const char *hex, apr_pool_t *p)
{
    return apr_psprintf(p, "%s:%s:u-%s:-:1:-:\n", id, hex, id);
}

/* Hashes that share a slot, or a slot and the four bytes after it, are
 * still told apart: the whole hash decides. */
static void test_near_hashes(apr_pool_t *p)
{
    unsigned char sha[AG_APIKEY_SHA256_LEN];
    ag_apikey_store *s;
    int i, all = 1, aligned = 1;

    s = parse_ok(apr_pstrcat(p,
        /* the same first 8 bytes, differing after them */
        hash_line("a", "00000000111111110000000000000000"
                       "000000000000000000000000000000aa", p),
        hash_line("b", "00000000111111110000000000000000"
                       "000000000000000000000000000000bb", p),
        /* the same first 4 bytes (one slot), other bytes 4-7 */
        hash_line("c", "00000000222222220000000000000000"
                       "00000000000000000000000000000000", p), NULL));
    ok(s != NULL && ag_apikey_count(s) == 3, "three near hashes load");
    if (s == NULL)
        return;
    for (i = 0; i < 3; i++) {
        const ag_apikey_record *r = ag_apikey_at(s, i);

        all = all && ag_apikey_find_hash(s, r->sha256) == r;
        aligned = aligned && ((apr_uintptr_t)r & 63) == 0;
    }
    ok(all, "each near hash finds its own record");
    memcpy(sha, ag_apikey_at(s, 2)->sha256, sizeof(sha));
    sha[AG_APIKEY_SHA256_LEN - 1] ^= 1;
    ok(ag_apikey_find_hash(s, sha) == NULL,
       "a hash that matches in its first 8 bytes only finds nothing");
    ok(aligned, "each record starts on a 64-byte boundary");
}

/* Records with the longest fields, one after the other: each keeps its
 * own strings (the store's memory holds them all). */
static void test_long_fields(apr_pool_t *p)
{
    enum { N = 50 };
    char id[AG_APIKEY_MAX_ID + 1], user[AG_APIKEY_MAX_USER + 1];
    char scopes[AG_APIKEY_MAX_SCOPES + 1];
    const char *text = "";
    char *comment;
    ag_apikey_store *s;
    int i, intact;

    memset(user, 'u', AG_APIKEY_MAX_USER);
    user[AG_APIKEY_MAX_USER] = '\0';
    memset(scopes, 's', AG_APIKEY_MAX_SCOPES);
    scopes[AG_APIKEY_MAX_SCOPES] = '\0';
    for (i = 0; i < N; i++) {
        memset(id, 'a' + i % 26, AG_APIKEY_MAX_ID);
        id[AG_APIKEY_MAX_ID - 2] = (char)('0' + i / 10);
        id[AG_APIKEY_MAX_ID - 1] = (char)('0' + i % 10);
        id[AG_APIKEY_MAX_ID] = '\0';
        text = apr_pstrcat(p, text, id, ":",
                           ag_apikey_hash_hex(id, strlen(id), p), ":", user,
                           ":-:1:-:", scopes, "\n", NULL);
    }
    s = parse_ok(text);
    ok(s != NULL && ag_apikey_count(s) == N, "50 records of the longest "
       "fields");
    intact = s != NULL;
    for (i = 0; intact && i < N; i++) {
        const ag_apikey_record *r = ag_apikey_at(s, i);

        intact = intact && strlen(r->id) == AG_APIKEY_MAX_ID &&
                 strcmp(r->user, user) == 0 && strcmp(r->scopes, scopes) == 0 &&
                 ag_apikey_find(s, r->id, strlen(r->id)) == r;
    }
    ok(intact, "each keeps its id, user and scopes");

    /* a comment is skipped whatever its length */
    comment = apr_palloc(p, AG_APIKEY_MAX_LINE + 2);
    memset(comment, 'c', AG_APIKEY_MAX_LINE + 1);
    comment[0] = '#';
    comment[AG_APIKEY_MAX_LINE + 1] = '\0';
    comment = apr_pstrcat(p, comment, "\n", GOOD, NULL);
    s = parse_ok(comment);
    ok(s != NULL && ag_apikey_count(s) == 1, "a comment longer than a "
       "record may be is skipped");
}

/* A NUL byte, even in a comment, refuses the file: the tool rewrites
 * files it has parsed, and would lose what followed a NUL it let through. */
static void test_nul(apr_pool_t *p)
{
    static const char text[] = "# keys\n# a\0b\nkeyline\n";
    ag_apikey_store *s = NULL;
    const char *err = NULL;

    ok(ag_apikey_parse(text, sizeof(text) - 1, &s, &err, p) != APR_SUCCESS,
       "a NUL byte in a comment line refuses the file");
    is_str(err, "line 2: a NUL byte", "... naming its line");
}

int main(void)
{
    apr_pool_t *p = tap_pool();

    test_generate(p);
    test_key_forms(p);
    test_fields();
    test_parse(p);
    test_malformed();
    test_check();
    test_times(p);
    test_many(p);
    test_near_hashes(p);
    test_long_fields(p);
    test_nul(p);
    return tap_done();
}
