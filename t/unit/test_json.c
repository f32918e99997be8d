#include <string.h>

#include "ag_json.h"
#include "tap.h"

static int parses(const char *s)
{
    cJSON *o;

    return ag_json_parse_object(s, strlen(s), &o, tap_pool()) == APR_SUCCESS;
}

int main(void)
{
    apr_pool_t *p = tap_pool();
    cJSON *o;
    char many[2000];
    int i, n = 0;

    ok(parses("{\"a\":1}"), "an object");
    ok(parses(" {\"a\":1}\n"), "with white space around");
    ok(!parses("[1]"), "an array is no object");
    ok(!parses("\"a\""), "a string is no object");
    ok(!parses("{\"a\":1} {}"), "two objects");
    ok(!parses("{\"a\":1,\"a\":2}"), "a member named twice");
    ok(parses("{\"a\":1,\"A\":2}"), "names differing in case are two");
    ok(!parses("{\"a\":1"), "unterminated");
    ok(ag_json_parse_object("{\"a\":1}\0x", 9, &o, p) != APR_SUCCESS,
       "a NUL byte");
    /* \u0000 would cut "admin\u0000x" to "admin" for every C string
     * function after the parse */
    ok(!parses("{\"sub\":\"admin\\u0000x\"}"), "an escaped NUL in a value");
    ok(!parses("{\"a\\u0000b\":1}"), "an escaped NUL in a name");
    ok(!parses("{\"a\":\"x\\u0000\"}"), "an escaped NUL at a string's end");
    ok(parses("{\"a\":\"\\\\u0000\"}"),
       "an escaped backslash, then the text u0000");
    ok(parses("{\"a\":\"\\u0001\\u00e9\"}"), "other \\u escapes");
    ok(parses("{\"a\":\"x\\\\\"}"), "a string ending in an escaped backslash");
    n += snprintf(many + n, sizeof(many) - n, "{");
    for (i = 0; i < 40; i++)
        n += snprintf(many + n, sizeof(many) - n, "%s\"m%d\":1",
                      i ? "," : "", i);
    snprintf(many + n, sizeof(many) - n, ",\"m3\":2}");
    ok(!parses(many), "a duplicate among many members (hashed)");
    many[n] = '}';
    many[n + 1] = '\0';
    ok(parses(many), "many unique members");
    ok(ag_json_parse_object("{\"Alg\":\"x\",\"alg\":\"y\"}", 21, &o, p) ==
           APR_SUCCESS, "parsed");
    is_str(ag_json_get_string(o, "alg"), "y", "lookups are case-sensitive");
    ok(ag_json_get_string(o, "ALG") == NULL, "no case-insensitive match");
    ok(ag_json_get(NULL, "a") == NULL, "NULL object");
    is_str(ag_json_print(o, p), "{\"Alg\":\"x\",\"alg\":\"y\"}",
           "compact printing");
    return tap_done();
}
