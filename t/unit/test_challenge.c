#include <string.h>

#include <apr_strings.h>

#include "ag_challenge.h"
#include "tap.h"

/* VALUE as ag_challenge_add_quoted() writes it: the quoted-string. */
static const char *quote(const char *value, apr_pool_t *p)
{
    ag_challenge *c = ag_challenge_make("X", p);

    ag_challenge_add_quoted(c, "v", value);
    return ag_challenge_render_params(c, p) + 2;    /* after "v=" */
}

int main(void)
{
    apr_pool_t *p = tap_pool();
    ag_challenge *c;

    c = ag_challenge_make("Bearer", p);
    is_str(ag_challenge_render(c, p), "Bearer", "scheme alone");
    is_str(ag_challenge_render_params(c, p), "", "... and no params");
    ag_challenge_add_quoted(c, "realm", "api");
    is_str(ag_challenge_render(c, p), "Bearer realm=\"api\"", "one param");
    ag_challenge_add_quoted(c, "error", "invalid_token");
    is_str(ag_challenge_render(c, p),
           "Bearer realm=\"api\", error=\"invalid_token\"",
           "params joined with ', '");
    is_str(ag_challenge_render_params(c, p),
           "realm=\"api\", error=\"invalid_token\"",
           "the params alone, without the scheme");

    c = ag_challenge_make("Basic", p);
    ag_challenge_add_quoted(c, "realm", "say \"hi\" \\ bye");
    is_str(ag_challenge_render(c, p),
           "Basic realm=\"say \\\"hi\\\" \\\\ bye\"",
           "DQUOTE and backslash are escaped");

    c = ag_challenge_make("Basic", p);
    ag_challenge_add_quoted(c, "realm", "a\r\nSet-Cookie: x\x7f\tb");
    is_str(ag_challenge_render(c, p), "Basic realm=\"aSet-Cookie: x\tb\"",
           "CR, LF and DEL are dropped, HTAB kept");

    c = ag_challenge_make("Digest", p);
    ag_challenge_add_token(c, "algorithm", "SHA-256");
    ag_challenge_add_token(c, "stale", "true");
    ag_challenge_add_token(c, "bad", "not a token");
    ag_challenge_add_token(c, "empty", "");
    is_str(ag_challenge_render(c, p),
           "Digest algorithm=SHA-256, stale=true, bad=\"not a token\", "
           "empty=\"\"",
           "tokens bare, non-tokens quoted");

    {
        ag_challenge *head = ag_challenge_make("Digest", p), *tail, *one;

        ag_challenge_add_quoted(head, "realm", "api");
        tail = ag_challenge_make("unused", p);
        ag_challenge_add_quoted(tail, "nonce", "n");
        ag_challenge_add_token(tail, "stale", "true");
        one = ag_challenge_copy(head, p);
        ag_challenge_add_token(one, "algorithm", "SHA-256");
        ag_challenge_append(one, tail);
        is_str(ag_challenge_render(one, p),
               "Digest realm=\"api\", algorithm=SHA-256, nonce=\"n\", "
               "stale=true",
               "a copy, one parameter more, another's parameters appended");
        is_str(ag_challenge_render(head, p), "Digest realm=\"api\"",
               "... and the original is unchanged");
    }

    is_str(quote("", p), "\"\"", "empty quoted-string");
    is_str(quote("\xc3\xa9t\xc3\xa9", p), "\"\xc3\xa9t\xc3\xa9\"",
           "obs-text (UTF-8) passes");

    c = ag_challenge_make("Digest", p);
    ag_challenge_add_token(c, "uri", "/a/b");
    ag_challenge_add_token(c, "q", "a,b");
    ag_challenge_add_token(c, "eq", "a=b");
    is_str(ag_challenge_render(c, p),
           "Digest uri=\"/a/b\", q=\"a,b\", eq=\"a=b\"",
           "'/', ',' and '=' are not token characters: quoted");
    is_str(ag_challenge_render(c, p), ag_challenge_render(c, p),
           "rendering twice gives the same");

    c = ag_challenge_make("Basic", p);
    ag_challenge_add_quoted(c, "realm", "a\x01" "b\x1f" "c");
    is_str(ag_challenge_render(c, p), "Basic realm=\"abc\"",
           "other control characters are dropped too");
    c = ag_challenge_make("Bearer", p);
    ag_challenge_add_quoted(c, "realm", "api");
    ag_challenge_add_token(c, "error", "invalid_token");
    ag_challenge_add_quoted(c, "error_description", "expired \"now\"");
    is_str(ag_challenge_render(c, p),
           "Bearer realm=\"api\", error=invalid_token, "
           "error_description=\"expired \\\"now\\\"\"",
           "quoted and token params mixed, in order");

    is_str(quote("\\\"", p), "\"\\\\\\\"\"",
           "a backslash and a DQUOTE side by side");
    {
        char long_realm[1001];

        memset(long_realm, '"', 1000);
        long_realm[1000] = '\0';
        ok(strlen(quote(long_realm, p)) == 2002,
           "1000 DQUOTEs quote to 2002 octets");
    }
    {
        char name[81];
        ag_challenge *c = ag_challenge_make("X", p);

        memset(name, 'n', 80);
        name[80] = '\0';
        ag_challenge_add_quoted(c, name, "v\"w");
        ag_challenge_add_quoted(c, "plain", "ok");
        is_str(ag_challenge_render(c, p),
               apr_pstrcat(p, "X ", name, "=\"v\\\"w\", plain=\"ok\"", NULL),
               "a long parameter name, and a short one after it");
    }

    {
        char big[601];
        const char *first, *want;
        ag_challenge *c = ag_challenge_make("Digest", p), *copy, *none;

        memset(big, 'r', 600);
        big[600] = '\0';
        ag_challenge_add_token(c, "algorithm", "MD5");
        first = ag_challenge_render(c, p);
        ag_challenge_add_quoted(c, "realm", big);
        ag_challenge_add_token(c, "stale", "true");
        want = apr_pstrcat(p, "Digest algorithm=MD5, realm=\"", big,
                           "\", stale=true", NULL);
        is_str(ag_challenge_render(c, p), want,
               "a challenge longer than its first allocation grows");
        is_str(first, "Digest algorithm=MD5",
               "... and what was rendered before it grew is unchanged");
        copy = ag_challenge_copy(c, p);
        ag_challenge_add_token(copy, "userhash", "true");
        is_str(ag_challenge_render(copy, p),
               apr_pstrcat(p, want, ", userhash=true", NULL),
               "a long challenge copied and added to");
        none = ag_challenge_make("Digest", p);
        ag_challenge_append(none, ag_challenge_make("unused", p));
        is_str(ag_challenge_render(none, p), "Digest",
               "appending a challenge without parameters adds nothing");
        ag_challenge_append(none, c);
        is_str(ag_challenge_render(none, p), want,
               "appended to a challenge without parameters: one space");
    }

    is_str(ag_unescape("say \\\"hi\\\" \\\\ bye", p), "say \"hi\" \\ bye",
           "unescape resolves quoted-pairs");
    is_str(ag_unescape("a\\bc", p), "abc", "escaped ordinary char");
    is_str(ag_unescape("trailing\\", p), "trailing",
           "lone backslash at the end is dropped");
    is_str(ag_unescape("", p), "", "unescape of empty");
    is_str(ag_unescape("plain", p), "plain", "nothing to unescape");
    {
        const char *plain = "plain", *pair = "a\\bc";

        ok(ag_unescape(plain, p) == plain,
           "without a quoted-pair, the value itself (no copy)");
        ok(ag_unescape(pair, p) != pair, "with one, a copy");
    }
    is_str(quote(ag_unescape("say \\\"hi\\\"", p), p),
           "\"say \\\"hi\\\"\"",
           "an escaped AuthName is quoted once, not twice");
    return tap_done();
}
