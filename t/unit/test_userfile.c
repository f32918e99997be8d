/* AuthGateUserFile: lines, lookups by name and by userhash, refusals.
 * Expected hashes computed with Python's hashlib. */
#include <string.h>

#include <apr_strings.h>

#include "ag_userfile.h"
#include "tap.h"

#define MD5 "64daccb98e690d1130b2f0a509f0d34f"
#define SHA "130ec77dec61f9119a939574d831441594c80636e488dc3a6b418b785fa3f938"
#define S512 "a529c4869447af961826f393c5012b79ffbb69439d5b464f40f79c793f4855e7"
#define UH_SHA "a86aed908ff6281d7e2c87a64dd6b649c0fd3ff4e1349df74a554bb047af49cc"
#define UH_S512 "f566ffc176b302e29def9352e9a45f9dd0776158acd578b23fd6fb4fe46de9a9"

static const ag_userfile *parse(const char *text, const char **err)
{
    void *out = NULL;
    const char *e = NULL;

    if (ag_userfile_parse(text, strlen(text), NULL, &out, &e, tap_pool()) !=
        APR_SUCCESS)
        out = NULL;
    if (err)
        *err = e;
    return out;
}

static const char *line_err(const char *line)
{
    ag_user_entry *e;
    const char *err = NULL;

    if (ag_userfile_parse_line(line, strlen(line), &e, &err, tap_pool()) ==
        APR_SUCCESS)
        return NULL;
    return err ? err : "(none)";
}

int main(void)
{
    const ag_userfile *f;
    const ag_user_entry *e;
    ag_user_entry *made;
    const char *err = NULL, *line;

    made = ag_user_entry_make("alice", "api", "secret", tap_pool());
    is_str(made->ha1[AG_DIGEST_HASH_MD5], MD5, "made: MD5 hash");
    is_str(made->ha1[AG_DIGEST_HASH_SHA256], SHA, "made: SHA-256 hash");
    is_str(made->ha1[AG_DIGEST_HASH_SHA512_256], S512,
           "made: SHA-512-256 hash");
    is_str(made->userhash[AG_DIGEST_HASH_SHA256], UH_SHA,
           "made: SHA-256 userhash");
    line = ag_user_entry_format(made, tap_pool());
    is_str(line, "alice:api:MD5=" MD5 " SHA-256=" SHA " SHA-512-256=" S512
                 " userhash-MD5=10075febdcb5875807ddf305bd3b0a25"
                 " userhash-SHA-256=" UH_SHA " userhash-SHA-512-256=" UH_S512,
           "the line written");

    f = parse(apr_pstrcat(tap_pool(), "# users\n\n", line, "\r\n",
                          "bob:api:0123456789ABCDEF0123456789abcdef\n",
                          "  # indented comment\n",
                          "carol:other:sha-256=" SHA, NULL), &err);
    ok(f != NULL, "a file parses (%s)", err ? err : "");
    ok(f && ag_userfile_count(f) == 3, "three entries");
    e = f ? ag_userfile_find(f, "alice", "api") : NULL;
    ok(e && strcmp(e->ha1[AG_DIGEST_HASH_SHA512_256], S512) == 0,
       "alice's SHA-512-256 hash (after a CRLF line end)");
    e = f ? ag_userfile_find(f, "bob", "api") : NULL;
    ok(e && strcmp(e->ha1[AG_DIGEST_HASH_MD5],
                   "0123456789abcdef0123456789abcdef") == 0 &&
           e->ha1[AG_DIGEST_HASH_SHA256] == NULL,
       "an htdigest line: MD5 only, lower-cased");
    ok(e && e->userhash[AG_DIGEST_HASH_MD5] != NULL &&
           e->userhash[AG_DIGEST_HASH_SHA256] == NULL,
       "... its MD5 userhash computed");
    ok(f && ag_userfile_find(f, "alice", "other") == NULL,
       "not in another realm");
    ok(f && ag_userfile_find(f, "Alice", "api") == NULL,
       "user names are case-sensitive");
    e = f ? ag_userfile_find(f, "carol", "other") : NULL;
    ok(e && e->ha1[AG_DIGEST_HASH_SHA256] &&
           e->userhash[AG_DIGEST_HASH_SHA256] &&
           strcmp(e->userhash[AG_DIGEST_HASH_SHA256], UH_SHA) != 0,
       "a SHA-256 only line, its userhash of its own realm");
    e = f ? ag_userfile_find_userhash(f, AG_DIGEST_HASH_SHA256, UH_SHA, "api")
          : NULL;
    ok(e && strcmp(e->user, "alice") == 0, "found by SHA-256 userhash");
    e = f ? ag_userfile_find_userhash(f, AG_DIGEST_HASH_SHA512_256,
                                      "F566FFC176B302E29DEF9352E9A45F9DD077"
                                      "6158ACD578B23FD6FB4FE46DE9A9", "api")
          : NULL;
    ok(e && strcmp(e->user, "alice") == 0,
       "found by SHA-512-256 userhash in upper case");
    ok(f && ag_userfile_find_userhash(f, AG_DIGEST_HASH_SHA256, UH_SHA,
                                      "other") == NULL,
       "a userhash of another realm is not found");
    ok(f && ag_userfile_find_userhash(f, AG_DIGEST_HASH_MD5, UH_SHA, "api") ==
           NULL, "a SHA-256 userhash is no MD5 userhash");

    ok(parse("", &err) != NULL, "an empty file is an empty set");
    ok(parse("alice:api:" MD5 "\nalice:api:" MD5 "\n", &err) == NULL &&
           strcmp(err, "line 2: a user given twice for one realm") == 0,
       "a user twice in one realm");
    ok(parse("alice:api:" MD5 "\nalice:web:" MD5 "\n", &err) != NULL,
       "one user in two realms");
    ok(parse("\n\nbroken\n", &err) == NULL &&
           strcmp(err, "line 3: not USER:REALM:HASHES") == 0,
       "the error names the line: %s", err ? err : "");

    ok(line_err("alice:api:MD5=" MD5) == NULL, "one field");
    ok(line_err("alice:api:md5=" MD5 "  sha-256=" SHA "\t") == NULL,
       "lower-case names, extra white space");
    ok(line_err("alice:api:") != NULL, "no hash");
    ok(line_err("alice:api:MD5=" MD5 " MD5=" MD5) != NULL,
       "a field twice");
    ok(line_err("alice:api:SHA-1=" MD5) != NULL, "unknown field");
    ok(line_err("alice:api:MD5=" SHA) != NULL, "a hash of the wrong length");
    ok(line_err("alice:api:MD5=" "x4daccb98e690d1130b2f0a509f0d34f") != NULL,
       "a hash that is not hex");
    /* octet 0x14 becomes '4' when its 0x20 bit is set: the hex check
     * comes before the lower-casing */
    is_str(line_err("alice:api:MD5=\x14" "daccb98e690d1130b2f0a509f0d34f1"),
           "a hash that is not hex",
           "a hash with an octet that lower-casing would make a digit");
    is_str(line_err("alice:api:\x14" "daccb98e690d1130b2f0a509f0d34f1"),
           "a hash that is not hex", "... in an htdigest line too");
    ok(line_err("alice:api:MD5" MD5) != NULL, "a field without '='");
    ok(line_err(":api:MD5=" MD5) != NULL, "an empty user");
    ok(line_err("alice::MD5=" MD5) != NULL, "an empty realm");
    ok(line_err("al\x01ice:api:MD5=" MD5) != NULL, "a control character");
    ok(line_err("alice:api:SHA-256=" SHA " userhash-SHA-256=" SHA) != NULL,
       "a userhash that does not match");
    ok(line_err("alice:api:SHA-256=" SHA " userhash-MD5="
                "10075febdcb5875807ddf305bd3b0a25") != NULL,
       "a userhash without its hash");
    ok(line_err("alice:api:SHA-256=" SHA " userhash-SHA-256=" UH_SHA) ==
           NULL, "a matching userhash");
    ok(ag_userfile_check_name("a:b") != NULL &&
           ag_userfile_check_name("") != NULL &&
           ag_userfile_check_name("J\xc3\xa4s\xc3\xb8n Doe") == NULL,
       "names: no ':', not empty, UTF-8 allowed");
    {
        static const char text[] = "# users\n\n# a\0b\n";
        void *out = NULL;
        const char *e = NULL;

        ok(ag_userfile_parse(text, sizeof(text) - 1, NULL, &out, &e,
                             tap_pool()) != APR_SUCCESS,
           "a NUL byte in a comment line refuses the file");
        is_str(e, "line 3: a NUL byte", "... naming its line");
    }
    return tap_done();
}
