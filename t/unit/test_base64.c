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

/* A decoder written the other way (a bit at a time, the alphabet
 * searched): the table-driven one must agree with it on every input. */
static int reference(const char *in, apr_size_t len, ag_base64_alphabet a,
                     unsigned char *out, apr_size_t *outlen)
{
    const char *alpha = a == AG_BASE64URL
        ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
        : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    apr_size_t i, pad = 0, n = len, o = 0;
    unsigned long acc = 0;
    int bits = 0;

    while (n > 0 && in[n - 1] == '=') {
        n--;
        pad++;
    }
    if (pad > 0 && (pad > 2 || len % 4 != 0 || (n + pad) % 4 != 0 ||
                    (pad == 1 && n % 4 != 3) || (pad == 2 && n % 4 != 2)))
        return 0;
    if (n % 4 == 1)
        return 0;
    for (i = 0; i < n; i++) {
        const char *at = in[i] != '\0' ? strchr(alpha, in[i]) : NULL;

        if (at == NULL)
            return 0;
        acc = acc << 6 | (unsigned long)(at - alpha);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[o++] = (unsigned char)(acc >> bits);
            acc &= (1ul << bits) - 1;
        }
    }
    if (acc != 0)
        return 0;
    *outlen = o;
    return 1;
}

static void test_against_reference(void)
{
    static const char chars[] =
        "ABCYZabyz019+/-_=!. \x80";
    unsigned long seed = 12345;
    int i, disagree = 0, accepted = 0;

    for (i = 0; i < 200000; i++) {
        char in[16];
        unsigned char want[16], *got;
        apr_size_t len, j, wantlen = 0, gotlen = 0;
        ag_base64_alphabet a = i % 2 ? AG_BASE64URL : AG_BASE64;
        int r, g;

        seed = seed * 6364136223846793005ul + 1442695040888963407ul;
        len = (seed >> 33) % 13;
        for (j = 0; j < len; j++) {
            seed = seed * 6364136223846793005ul + 1442695040888963407ul;
            in[j] = chars[(seed >> 33) % (sizeof(chars) - 1)];
        }
        in[len] = '\0';
        r = reference(in, len, a, want, &wantlen);
        g = ag_base64_decode(in, len, a, &got, &gotlen, tap_pool()) ==
            APR_SUCCESS;
        accepted += g;
        if (r != g || (r && (wantlen != gotlen ||
                             memcmp(want, got, wantlen) != 0)))
            disagree++;
    }
    ok(disagree == 0 && accepted > 1000,
       "200,000 short random inputs: the decoder agrees with a reference "
       "(%d accepted)", accepted);
}

int main(void)
{
    apr_pool_t *p = tap_pool();
    unsigned char bin[] = {0xfb, 0xff, 0x00, 0x3e};
    unsigned char *out;
    apr_size_t len;

    test_against_reference();
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
