#include <string.h>

#include "ag_revocation.h"
#include "tap.h"

int main(void)
{
    apr_pool_t *p = tap_pool();
    const char *text = "# revoked tokens\njti-1\n  key_abc \r\n\n#jti-2\n"
                       "jti-3";
    const char *err = NULL;
    char big[AG_REVOCATION_MAX_ID + 2];
    void *out;
    ag_revocation *rev;

    ok(ag_revocation_parse(text, strlen(text), NULL, &out, &err, p) ==
           APR_SUCCESS, "a revocation file");
    rev = out;
    ok(ag_revocation_has(rev, "jti-1"), "an id");
    ok(ag_revocation_has(rev, "key_abc"), "white space around is trimmed");
    ok(ag_revocation_has(rev, "jti-3"), "the last line without newline");
    ok(!ag_revocation_has(rev, "jti-2"), "a comment is no id");
    ok(!ag_revocation_has(rev, "# revoked tokens"), "nor the first comment");
    ok(!ag_revocation_has(rev, "jti"), "no prefix match");
    ok(!ag_revocation_has(rev, NULL), "no id");
    ok(!ag_revocation_has(NULL, "jti-1"), "no file");
    ok(ag_revocation_count(rev) == 3, "three ids");
    ok(ag_revocation_parse("", 0, NULL, &out, &err, p) == APR_SUCCESS &&
           ag_revocation_count(out) == 0, "an empty file");
    memset(big, 'x', sizeof(big) - 1);
    big[sizeof(big) - 1] = '\0';
    ok(ag_revocation_parse(big, strlen(big), NULL, &out, &err, p) !=
           APR_SUCCESS, "an over-long line is an error");
    ok(ag_revocation_parse("a\nb\0c", 5, NULL, &out, &err, p) !=
           APR_SUCCESS, "a NUL byte is an error");
    is_str(err, "line 2: a NUL byte", "... naming its line");
    return tap_done();
}
