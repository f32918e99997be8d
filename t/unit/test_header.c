#include <stdio.h>
#include <string.h>

#include "ag_header.h"
#include "tap.h"

static ag_credentials *parse(const char *value)
{
    ag_credentials *cred = NULL;

    if (ag_header_parse(value, &cred, NULL, tap_pool()) != APR_SUCCESS)
        return NULL;
    return cred;
}

static const char *why(const char *value)
{
    ag_credentials *cred;
    const char *w = NULL;

    ag_header_parse(value, &cred, &w, tap_pool());
    return w;
}

/* Every octet against the grammar's definitions, as a scheme's middle
 * character (tchar) and as a token68's (before the '='s). */
static void octet_classes(void)
{
    int c, tchar_ok = 1, token68_ok = 1;

    for (c = 1; c < 256; c++) {
        int alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                    (c >= '0' && c <= '9');
        int tchar = alnum || strchr("!#$%&'*+-.^_`|~", c) != NULL;
        int t68 = alnum || strchr("-._~+/", c) != NULL;
        char scheme[] = {'A', (char)c, 'B', ' ', 'Y', 'Q', '\0'};
        char token[] = {'X', ' ', 'a', (char)c, 'b', '\0'};
        ag_credentials *cs = parse(scheme), *ct = parse(token);
        int got_tchar = cs != NULL && strlen(cs->scheme) == 3;
        int got_t68 = ct != NULL && ct->token68 != NULL &&
                      strlen(ct->token68) == 3;

        if (got_tchar != tchar) {
            tchar_ok = 0;
            printf("# octet 0x%02x: tchar %d, parsed as %d\n", c, tchar,
                   got_tchar);
        }
        if (got_t68 != t68) {
            token68_ok = 0;
            printf("# octet 0x%02x: token68 %d, parsed as %d\n", c, t68,
                   got_t68);
        }
    }
    ok(tchar_ok, "every octet is a tchar exactly when RFC 7230 says so");
    ok(token68_ok, "every octet is a token68 character exactly when RFC "
                   "7235 says so");
}

/* Every octet at every place of quoted values of 1 to 40 octets (so in
 * the first and the second run of sixteen the parser may read at once,
 * and after them): the value parses, and to itself, exactly when the
 * octet is qdtext; a backslash quotes the octet after it, or, last, the
 * closing DQUOTE (unterminated); anything else is refused. */
static void quoted_octets(void)
{
    int len, at, c, good = 1;

    for (len = 1; len <= 40; len++)
        for (at = 0; at < len; at++)
            for (c = 1; c < 256; c++) {
                char header[96], want[48];
                ag_credentials *cred;
                const char *got;
                int qd = c == '\t' || c == ' ' || c == 0x21 ||
                         (c >= 0x23 && c <= 0x5b) ||
                         (c >= 0x5d && c <= 0x7e) || c >= 0x80;
                int pair = c == '\\' && at < len - 1;

                memset(want, 'x', sizeof(want));
                want[at] = (char)c;
                want[len] = '\0';
                snprintf(header, sizeof(header), "Digest a=\"%s\"", want);
                cred = parse(header);
                got = cred != NULL ? ag_header_param(cred, "a") : NULL;
                if (pair)
                    memmove(want + at, want + at + 1, (size_t)(len - at));
                if ((qd || pair) ? got == NULL || strcmp(got, want) != 0
                                 : cred != NULL) {
                    good = 0;
                    printf("# length %d, octet 0x%02x at %d: %s\n", len, c,
                           at, got != NULL ? "parsed" : "refused");
                }
            }
    ok(good, "every octet in every place of quoted values of 1 to 40 "
             "octets: kept when qdtext, quoting the next when a backslash, "
             "refused otherwise");
}

/* Names that the parser's quick test of "seen before" cannot tell apart
 * (a bit for their length and first letter, 64 in all) are still two
 * names, and each is found. */
static void colliding_names(void)
{
    /* "a" and "!": length 1, first octets 0x61 and 0x21, 64 apart */
    ag_credentials *c = parse("Digest a=1, !=2, A=3");

    ok(c == NULL, "a duplicate is found among names that share a bit");
    c = parse("Digest a=1, !=2, b=3");
    ok(c != NULL && c->params->nelts == 3 &&
           strcmp(ag_header_param(c, "a"), "1") == 0 &&
           strcmp(ag_header_param(c, "!"), "2") == 0,
       "two names that share a bit are both kept");
}

int main(void)
{
    ag_credentials *c;
    char *big;

    c = parse("Basic dXNlcjpwYXNz");
    ok(c != NULL, "Basic token68 parses");
    is_str(c ? c->scheme : NULL, "Basic", "scheme as sent");
    is_str(c ? c->token68 : NULL, "dXNlcjpwYXNz", "token68 value");
    ok(c && c->params->nelts == 0, "token68 has no params");

    c = parse("Bearer abc.def-ghi_~+/==");
    is_str(c ? c->token68 : NULL, "abc.def-ghi_~+/==",
           "token68 with every allowed character and padding");
    c = parse("Basic YQ==  ");
    is_str(c ? c->token68 : NULL, "YQ==", "trailing OWS after token68");
    c = parse("Negotiate");
    ok(c && c->token68 == NULL && c->params->nelts == 0,
       "scheme alone parses");
    c = parse("Basic    YQ==");
    is_str(c ? c->token68 : NULL, "YQ==", "several spaces after scheme");

    c = parse("Digest username=\"Mufasa\", realm=\"http-auth@example.org\","
              " nc=00000001,qop=auth ,  algorithm = SHA-256");
    ok(c && c->token68 == NULL && c->params->nelts == 5,
       "auth-param list parses");
    is_str(c ? ag_header_param(c, "USERNAME") : NULL, "Mufasa",
           "param lookup is case-insensitive");
    is_str(c ? ag_header_param(c, "nc") : NULL, "00000001", "token value");
    is_str(c ? ag_header_param(c, "qop") : NULL, "auth", "OWS before ','");
    is_str(c ? ag_header_param(c, "algorithm") : NULL, "SHA-256",
           "BWS around '='");
    ok(c && ag_header_param(c, "cnonce") == NULL, "absent param is NULL");

    c = parse("Digest a=\"x\\\"y\\\\z\"");
    is_str(c ? ag_header_param(c, "a") : NULL, "x\"y\\z",
           "quoted-pair escapes resolved");
    c = parse("Digest a=\"\", b=\"\\q\"");
    is_str(c ? ag_header_param(c, "a") : NULL, "", "empty quoted-string");
    is_str(c ? ag_header_param(c, "b") : NULL, "q", "escaped ordinary char");
    c = parse("Digest ,a=1,, b=2,");
    ok(c && c->params->nelts == 2, "empty list elements are ignored");
    c = parse("Digest a=\"caf\xc3\xa9\"");
    is_str(c ? ag_header_param(c, "a") : NULL, "caf\xc3\xa9",
           "obs-text in quoted-string");

    ok(parse("Digest a=\"unterminated") == NULL, "unterminated quote");
    is_str(why("Digest a=\"unterminated"), "unterminated quoted-string",
           "reason names the unterminated quote");
    ok(parse("Digest a=\"x\\") == NULL, "backslash at the end");
    ok(parse("Digest a=1, A=2") == NULL, "duplicate params (any case)");
    ok(parse("Digest Realm=1, nonce=2, rEALM=3") == NULL,
       "duplicate params, the first letters in other cases");
    c = parse("Digest realm=1, Nonce=2");
    is_str(c ? ag_header_param(c, "NONCE") : NULL, "2",
           "a parameter is found whatever the case of its first letter");
    is_str(why("Digest a=1, a=2"), "parameter given twice",
           "reason names the duplicate");
    ok(parse("Digest a=1 b=2") == NULL, "missing comma");
    c = parse("Digest a=");
    is_str(c ? c->token68 : NULL, "a=",
           "'a=' is a token68, not a param without a value");
    ok(parse("Digest =1") == NULL, "missing name");
    ok(parse("Digest a=1, b") == NULL, "name without '=' in a list");
    ok(parse("Digest a=1, b=") == NULL, "missing value in a list");
    ok(parse("Digest a=\"x\ry\"") == NULL, "CR inside quoted-string");
    ok(parse("Digest a=\"x\x7fy\"") == NULL, "DEL inside quoted-string");
    ok(parse("Digest a=\"x\\\x01y\"") == NULL,
       "a control character after a backslash");
    c = parse("Digest a=\"tab\there ! #[]~\"");
    is_str(c ? ag_header_param(c, "a") : NULL, "tab\there ! #[]~",
           "HTAB, SP and VCHAR around the excluded ones pass as they are");
    ok(parse("Basic YQ== YQ==") == NULL, "two token68s");
    ok(parse("Basic dXNl, Basic cGFzcw==") == NULL,
       "two credentials merged by the server into one value");
    ok(parse("") == NULL, "empty value");
    ok(parse("   ") == NULL, "blank value");
    ok(parse("\"Basic\" YQ==") == NULL, "scheme that is not a token");
    ok(parse("Basic\tYQ==") == NULL, "HTAB instead of SP after scheme");
    ok(parse("Basic Y@Q") == NULL, "token68 with a foreign character");
    ok(parse("Basic =YQ") == NULL, "token68 starting with '='");
    ok(parse(NULL) == NULL, "NULL value");
    ok(ag_header_is_token("X-API-Key") && ag_header_is_token("a!#$%&'*+.^_`|~9"),
       "ag_header_is_token: tchars only");
    ok(!ag_header_is_token("") && !ag_header_is_token("X API") &&
           !ag_header_is_token("a/b") && !ag_header_is_token("caf\xc3\xa9"),
       "ag_header_is_token: not empty, no SP, '/', obs-text");

    big = apr_palloc(tap_pool(), AG_HEADER_MAX_LEN + 16);
    memcpy(big, "Bearer ", 7);
    memset(big + 7, 'a', AG_HEADER_MAX_LEN);
    big[AG_HEADER_MAX_LEN + 7] = '\0';
    ok(parse(big) == NULL, "longer than AG_HEADER_MAX_LEN is refused");
    big[AG_HEADER_MAX_LEN - 1] = '\0';
    ok(parse(big) != NULL, "just under the bound parses");
    {
        char many[2048];
        int i, k, n = 0;

        n += snprintf(many + n, sizeof(many) - n, "Digest ");
        for (i = 0; i < AG_HEADER_MAX_PARAMS + 1; i++)
            n += snprintf(many + n, sizeof(many) - n, "p%d=1,", i);
        ok(parse(many) == NULL, "more than AG_HEADER_MAX_PARAMS params");
    }
    /* the reason for each refusal, in a few words */
    is_str(why(NULL), "no value", "why: NULL");
    is_str(why(""), "expected an auth-scheme", "why: empty");
    is_str(why("Basic\tYQ=="), "expected a space after the auth-scheme",
           "why: HTAB after the scheme");
    is_str(why("Digest a=\"x\x01\""), "control character in quoted-string",
           "why: control character");
    is_str(why("Digest a=1 b=2"), "expected ',' between parameters",
           "why: missing comma");
    is_str(why("Digest =1"), "expected a parameter name",
           "why: missing name");
    is_str(why("Digest a=1, b"), "expected '=' after a parameter name",
           "why: name without '='");
    is_str(why("Digest a=1, b=,"), "expected a token or quoted-string value",
           "why: missing value");
    is_str(why("Basic dXNlcjpwYXNz"), NULL, "why: NULL on success");

    /* what the parse returns, in detail */
    c = parse("Digest a=\"1\", b=2");
    ok(c && APR_ARRAY_IDX(c->params, 0, ag_auth_param).quoted == 1,
       "quoted flag set for a quoted-string");
    ok(c && APR_ARRAY_IDX(c->params, 1, ag_auth_param).quoted == 0,
       "quoted flag clear for a token");
    is_str(c ? APR_ARRAY_IDX(c->params, 0, ag_auth_param).name : NULL, "a",
           "params keep their order");
    c = parse("Digest a=\"x\\\"yz\", b=\"\", cd=token");
    ok(c && c->params->nelts == 3 &&
           APR_ARRAY_IDX(c->params, 0, ag_auth_param).value_len == 4 &&
           APR_ARRAY_IDX(c->params, 1, ag_auth_param).value_len == 0 &&
           APR_ARRAY_IDX(c->params, 2, ag_auth_param).value_len == 5,
       "value_len: of the value unescaped, an empty quoted-string, a token");
    ok(c && APR_ARRAY_IDX(c->params, 2, ag_auth_param).name_len == 2,
       "name_len");
    c = parse("Digest NoNce=x");
    is_str(c ? APR_ARRAY_IDX(c->params, 0, ag_auth_param).name : NULL,
           "NoNce", "a parameter name is kept as sent");
    c = parse("  \tBasic YQ==");
    is_str(c ? c->scheme : NULL, "Basic", "leading OWS before the scheme");
    c = parse("Basic ");
    ok(c && c->token68 == NULL && c->params->nelts == 0,
       "a scheme with a trailing space is the scheme alone");
    c = parse("Basic YQ====");
    is_str(c ? c->token68 : NULL, "YQ====", "token68 with several '='s");
    ok(c && ag_header_param(c, "YQ") == NULL,
       "ag_header_param finds nothing in a token68");
    c = parse("Digest a=b");
    ok(c && c->token68 == NULL, "'a=b' is a param, not a token68");
    is_str(c ? ag_header_param(c, "a") : NULL, "b", "...whose value is b");
    ok(parse("Digest a==b") == NULL, "'a==b' is neither");
    ok(parse("Digest a=x/y") == NULL, "a token value with '/' is refused");
    c = parse("Digest a=\"x, y=z\"");
    is_str(c ? ag_header_param(c, "a") : NULL, "x, y=z",
           "',' and '=' inside a quoted-string are text");
    ok(c && c->params->nelts == 1, "...and split nothing");
    c = parse("Digest a=\"x\ty\"");
    is_str(c ? ag_header_param(c, "a") : NULL, "x\ty",
           "HTAB inside a quoted-string");
    ok(parse("Digest a=\"x\x7fy\"") == NULL, "DEL inside a quoted-string");
    ok(parse("Digest a=\"x\\\x01\"") == NULL,
       "a control character after a backslash");
    c = parse("Digest a=1\t, b=2\t");
    ok(c && c->params->nelts == 2, "HTAB as OWS around ','");
    ok(parse("Digest a=1;b=2") == NULL, "';' is not a separator");

    /* the bounds, exactly */
    memset(big + 7, 'a', AG_HEADER_MAX_LEN);
    big[AG_HEADER_MAX_LEN] = '\0';
    ok(parse(big) != NULL, "exactly AG_HEADER_MAX_LEN octets parse");
    big[AG_HEADER_MAX_LEN] = 'a';
    big[AG_HEADER_MAX_LEN + 1] = '\0';
    ok(parse(big) == NULL, "AG_HEADER_MAX_LEN + 1 octets are refused");
    is_str(why(big), "credentials too long", "why: too long");
    {
        char many[2048];
        int i, k, n = 0;

        n += snprintf(many + n, sizeof(many) - n, "Digest ");
        for (i = 0; i < AG_HEADER_MAX_PARAMS; i++)
            n += snprintf(many + n, sizeof(many) - n, "p%d=1,", i);
        c = parse(many);
        ok(c && c->params->nelts == AG_HEADER_MAX_PARAMS,
           "exactly AG_HEADER_MAX_PARAMS params parse");
        for (k = 0; c != NULL && k < c->params->nelts; k++) {
            char name[8];

            snprintf(name, sizeof(name), "p%d", k);
            if (strcmp(APR_ARRAY_IDX(c->params, k, ag_auth_param).name,
                       name) != 0)
                break;
        }
        ok(c && k == AG_HEADER_MAX_PARAMS,
           "... each in its place, those past the room first made too");
        snprintf(many + n, sizeof(many) - n, "p%d=1", i);
        is_str(why(many), "too many parameters", "why: too many");
    }
    octet_classes();
    quoted_octets();
    colliding_names();
    {
        int c, wrong = 0;

        /* RFC 9110 §5.6.4 qdtext = HTAB / SP / %x21 / %x23-5B / %x5D-7E /
         * obs-text */
        for (c = 0; c < 256; c++)
            wrong += !ag_header_is_qdtext((unsigned char)c) !=
                     !(c == '\t' || c == ' ' || c == 0x21 ||
                       (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e) ||
                       c >= 0x80);
        ok(wrong == 0, "qdtext: each of the 256 octets");
        ok(ag_header_qdtext_span("ab c\td\"e", 8) == 6 &&
               ag_header_qdtext_span("ab\x01", 3) == 2 &&
               ag_header_qdtext_span("abc", 2) == 2 &&
               ag_header_qdtext_span("", 0) == 0,
           "qdtext span: up to the first DQUOTE or CTL, within the length");
    }
    {
        /* past sixteen octets: the length bounds the span wherever it
         * falls, and the span stops at the first octet that is no qdtext
         * (after any number of HTAB and obs-text, which are) */
        char s[41];
        int len, k, wrong = 0;

        memset(s, 'a', 40);
        s[40] = '\0';
        for (len = 0; len <= 40; len++)
            wrong += ag_header_qdtext_span(s, (apr_size_t)len) !=
                     (apr_size_t)len;
        for (k = 0; k < 40; k++) {
            memset(s, 'a', 40);
            s[k / 2] = (char)0xe9;
            s[k / 3] = '\t';
            s[k] = '"';
            wrong += ag_header_qdtext_span(s, 40) != (apr_size_t)k;
        }
        ok(wrong == 0, "qdtext span over 40 octets: bounded by any length, "
                       "ended by a DQUOTE in any place");
    }
    return tap_done();
}
