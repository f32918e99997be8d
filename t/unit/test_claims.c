#include <string.h>

#include "ag_claims.h"
#include "ag_json.h"
#include "tap.h"

int main(void)
{
    apr_pool_t *p = tap_pool();
    const char *claims_text =
        "{\"sub\":\"a\",\"realm_access\":{\"roles\":[\"admin\",\"dev\"]},"
        "\"tier\":\"gold\",\"n\":42,\"f\":1.5,\"ok\":true,"
        "\"https://x.test/role\":\"r\",\"a\":{\"b\":{\"c\":\"deep\"}},"
        "\"weird name\":[1,\"two\"]}";
    const char *name, *value;
    cJSON *c;

    {
        const char *s = "  read   write ", *w;
        apr_size_t len = 0;

        w = ag_word_next(&s, &len);
        ok(w != NULL && len == 4 && strncmp(w, "read", 4) == 0,
           "first word, leading spaces skipped");
        w = ag_word_next(&s, &len);
        ok(w != NULL && len == 5 && strncmp(w, "write", 5) == 0,
           "second word, several spaces between");
        ok(ag_word_next(&s, &len) == NULL, "trailing spaces: no more words");
        s = "";
        ok(ag_word_next(&s, &len) == NULL, "empty text has no word");
    }
    ok(ag_scope_has("read write", "write"), "scope present");
    ok(!ag_scope_has("read write", "wri"), "no prefix match");
    ok(!ag_scope_has("read write", "Read"), "case-sensitive");
    ok(ag_scope_has("  read   write ", "read"), "extra spaces");
    ok(!ag_scope_has(NULL, "read"), "no scopes");
    ok(!ag_scope_has("read", ""), "empty wanted");

    ag_json_parse_object(claims_text, strlen(claims_text), &c, p);
    ok(ag_claim_match(ag_claim_find(c, "tier"), "gold"), "a string claim");
    ok(!ag_claim_match(ag_claim_find(c, "tier"), "Gold"), "exact case");
    ok(ag_claim_match(ag_claim_find(c, "realm_access.roles"), "dev"),
       "a dotted path into an array");
    ok(!ag_claim_match(ag_claim_find(c, "realm_access.roles"), "ops"),
       "an array without the value");
    ok(ag_claim_match(ag_claim_find(c, "a.b.c"), "deep"), "three levels");
    ok(ag_claim_find(c, "a.x.c") == NULL, "a path that leads nowhere");
    ok(ag_claim_find(c, "a..c") == NULL, "an empty path part");
    ok(ag_claim_find(c, "tier.x") == NULL, "a path through a string");
    ok(ag_claim_match(ag_claim_find(c, "https://x.test/role"), "r"),
       "a claim whose name holds dots, taken whole");
    ok(ag_claim_match(ag_claim_find(c, "n"), "42"), "a number");
    ok(!ag_claim_match(ag_claim_find(c, "n"), "42.0"), "as JSON writes it");
    ok(ag_claim_match(ag_claim_find(c, "f"), "1.5"), "a fraction");
    ok(ag_claim_match(ag_claim_find(c, "ok"), "true"), "a boolean");
    ok(ag_claim_match(ag_claim_find(c, "weird name"), "two"),
       "a mixed array");
    ok(ag_claim_match(ag_claim_find(c, "weird name"), "1"),
       "a number in an array");
    ok(!ag_claim_match(ag_claim_find(c, "realm_access"), "admin"),
       "an object matches nothing");
    ok(!ag_claim_match(NULL, "x"), "a missing claim matches nothing");

    ok(ag_claim_requirement_parse("tier:gold", &name, &value, p) ==
           APR_SUCCESS && strcmp(name, "tier") == 0 &&
           strcmp(value, "gold") == 0, "name:value");
    ok(ag_claim_requirement_parse("url:https://x", &name, &value, p) ==
           APR_SUCCESS && strcmp(name, "url") == 0 &&
           strcmp(value, "https://x") == 0, "the first colon splits");
    ok(ag_claim_requirement_parse("x:", &name, &value, p) == APR_SUCCESS &&
           *value == '\0', "an empty value");
    ok(ag_claim_requirement_parse(":x", &name, &value, p) != APR_SUCCESS,
       "an empty name");
    ok(ag_claim_requirement_parse("x", &name, &value, p) != APR_SUCCESS,
       "no colon");

    is_str(ag_claim_env_name("email", p), "AUTHGATE_CLAIM_EMAIL", "env name");
    is_str(ag_claim_env_name("realm_access.roles", p),
           "AUTHGATE_CLAIM_REALM_ACCESS_ROLES", "dots become _");
    is_str(ag_claim_env_name("x-y9", p), "AUTHGATE_CLAIM_X_Y9", "dashes");
    is_str(ag_claim_env_value(ag_claim_find(c, "tier"), p), "gold",
           "a string as is");
    is_str(ag_claim_env_value(ag_claim_find(c, "realm_access"), p),
           "{\"roles\":[\"admin\",\"dev\"]}", "an object as compact JSON");
    is_str(ag_claim_env_value(ag_claim_find(c, "n"), p), "42", "a number");
    {
        cJSON *s = cJSON_CreateString("a\nb");

        is_str(ag_claim_env_value(s, p), "a?b", "control characters");
        cJSON_Delete(s);
    }
    return tap_done();
}
