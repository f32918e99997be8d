#include <string.h>

#include "ag_base64.h"
#include "tap.h"

static const char *decode(const char *in, ag_base64_alphabet a)
{
    unsigned char *out;
    apr_size_t len;

    if (ag_base64_decode(in, strlen(in), a, &out, &len, tap_pool()) !=
        APR_SUCCESS)
        return NULL;
    return (const char *)out;
}

int main(void)
{
    apr_pool_t *p = tap_pool();
    unsigned char bin[] = {0xfb, 0xff, 0x00, 0x3e};
    unsigned char *out;
    apr_size_t len;

    is_str(decode("dXNlcjpwYXNz", AG_BASE64), "user:pass", "plain decode");
    is_str(decode("YQ==", AG_BASE64), "a", "two padding characters");
    is_str(decode("YWI=", AG_BASE64), "ab", "one padding character");
    is_str(decode("YQ", AG_BASE64), "a", "padding may be left out");
    is_str(decode("", AG_BASE64), "", "empty input is empty output");
    ok(decode("dXNlcjpwYXNz!!!", AG_BASE64) == NULL,
       "trailing garbage is refused (apr_base64_decode would accept it)");
    ok(decode("dXNl cjpw", AG_BASE64) == NULL, "inner space is refused");
    ok(decode("Y===", AG_BASE64) == NULL, "three padding characters");
    ok(decode("YQ=", AG_BASE64) == NULL, "padding to a wrong length");
    ok(decode("Y", AG_BASE64) == NULL, "a single character is no encoding");
    ok(decode("YR==", AG_BASE64) == NULL, "non-zero unused bits refused");
    ok(decode("Y=Q=", AG_BASE64) == NULL, "padding inside refused");
    ok(decode("-_8", AG_BASE64) == NULL, "url alphabet refused in base64");
    is_str(decode("-_8", AG_BASE64URL), "\xfb\xff", "url alphabet");
    ok(decode("+/8", AG_BASE64URL) == NULL, "std alphabet refused in url");
    ok(ag_base64_decode("AAA=", 4, AG_BASE64, &out, &len, p) ==
           APR_SUCCESS && len == 2 && out[0] == 0 && out[1] == 0,
       "NUL bytes decode and are counted");
    is_str(ag_base64_encode(bin, 4, AG_BASE64, p), "+/8APg==",
           "encode with padding");
    is_str(ag_base64_encode(bin, 4, AG_BASE64URL, p), "-_8APg",
           "base64url without padding");
    is_str(ag_base64_encode((const unsigned char *)"ab", 2, AG_BASE64, p),
           "YWI=", "two bytes encode to one pad");
    is_str(ag_base64_encode((const unsigned char *)"", 0, AG_BASE64, p), "",
           "empty encodes to empty");
    return tap_done();
}
