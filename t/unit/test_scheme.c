#include "ag_scheme.h"
#include "tap.h"

int main(void)
{
    ok(ag_scheme_lookup("Bearer") == AG_SCHEME_BEARER, "Bearer");
    ok(ag_scheme_lookup("bEaReR") == AG_SCHEME_BEARER,
       "auth-scheme is case-insensitive");
    ok(ag_scheme_lookup("apikey") == AG_SCHEME_APIKEY, "apikey");
    ok(ag_scheme_lookup("DIGEST") == AG_SCHEME_DIGEST, "DIGEST");
    ok(ag_scheme_lookup("basic") == AG_SCHEME_BASIC, "basic");
    ok(ag_scheme_lookup("BASIC") == AG_SCHEME_BASIC &&
       ag_scheme_lookup("BEARER") == AG_SCHEME_BEARER,
       "two names with the same first letter");
    ok(ag_scheme_lookup("Aigest") == AG_SCHEME_NONE &&
       ag_scheme_lookup("Digesu") == AG_SCHEME_NONE,
       "a name like another but in its first or last letter is none");
    ok(ag_scheme_lookup("Foo") == AG_SCHEME_NONE, "Foo is no scheme");
    ok(ag_scheme_lookup("Basic2") == AG_SCHEME_NONE, "no prefix match");
    ok(ag_scheme_lookup("") == AG_SCHEME_NONE, "empty is no scheme");
    ok(ag_scheme_lookup(NULL) == AG_SCHEME_NONE, "NULL is no scheme");
    is_str(ag_scheme_name(AG_SCHEME_APIKEY), "ApiKey", "name as written");
    is_str(ag_scheme_lname(AG_SCHEME_APIKEY), "apikey", "lower-case name");
    is_str(ag_scheme_lname(AG_SCHEME_NONE), "-", "no scheme logs as '-'");
    return tap_done();
}
