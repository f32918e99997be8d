#include "ag_reason.h"
#include "tap.h"

int main(void)
{
    unsigned i;

    is_str(ag_reason_name(AG_R_NO_CREDENTIALS), "no_credentials",
           "no_credentials is named as in SPEC.md");
    is_str(ag_reason_name(AG_R_BACKEND_UNAVAILABLE), "backend_unavailable",
           "backend_unavailable is named as in SPEC.md");
    is_str(ag_reason_name((ag_reason)999), "unknown",
           "a reason out of range is 'unknown'");
    ok(ag_reason_from_name("digest_replay") == AG_R_DIGEST_REPLAY,
       "a code maps back to its reason");
    ok(ag_reason_from_name("nonsense") == AG_R__COUNT,
       "an unknown code maps to nothing");
    ok(ag_reason_from_name(NULL) == AG_R__COUNT, "NULL maps to nothing");
    for (i = 0; i < AG_R__COUNT; i++)
        ok(ag_reason_from_name(ag_reason_name((ag_reason)i)) == (ag_reason)i,
           "reason %u round-trips through its name", i);
    return tap_done();
}
