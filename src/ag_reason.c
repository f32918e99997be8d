#include <stddef.h>
#include <string.h>

#include "ag_reason.h"

static const char *const reason_names[AG_R__COUNT] = {
    [AG_OK] = "ok",
    [AG_R_NO_CREDENTIALS] = "no_credentials",
    [AG_R_MALFORMED] = "malformed",
    [AG_R_UNSUPPORTED_SCHEME] = "unsupported_scheme",
    [AG_R_TOKEN_EXPIRED] = "token_expired",
    [AG_R_TOKEN_NOT_YET_VALID] = "token_not_yet_valid",
    [AG_R_BAD_SIGNATURE] = "bad_signature",
    [AG_R_ALG_NOT_ALLOWED] = "alg_not_allowed",
    [AG_R_UNKNOWN_KID] = "unknown_kid",
    [AG_R_WRONG_ISSUER] = "wrong_issuer",
    [AG_R_WRONG_AUDIENCE] = "wrong_audience",
    [AG_R_MISSING_CLAIM] = "missing_claim",
    [AG_R_REVOKED] = "revoked",
    [AG_R_APIKEY_UNKNOWN] = "apikey_unknown",
    [AG_R_APIKEY_EXPIRED] = "apikey_expired",
    [AG_R_DIGEST_BAD_RESPONSE] = "digest_bad_response",
    [AG_R_DIGEST_STALE] = "digest_stale",
    [AG_R_DIGEST_REPLAY] = "digest_replay",
    [AG_R_DIGEST_UNKNOWN_USER] = "digest_unknown_user",
    [AG_R_INSUFFICIENT_SCOPE] = "insufficient_scope",
    [AG_R_CLAIM_MISMATCH] = "claim_mismatch",
    [AG_R_LOCKED_OUT] = "locked_out",
    [AG_R_BACKEND_UNAVAILABLE] = "backend_unavailable",
    [AG_R_BASIC_BAD_PASSWORD] = "basic_bad_password",
    [AG_R_BASIC_UNKNOWN_USER] = "basic_unknown_user",
};

const char *ag_reason_name(ag_reason reason)
{
    if ((unsigned)reason >= AG_R__COUNT)
        return "unknown";
    return reason_names[reason];
}

ag_reason ag_reason_from_name(const char *name)
{
    unsigned i;

    if (name == NULL)
        return AG_R__COUNT;
    for (i = 0; i < AG_R__COUNT; i++)
        if (strcmp(reason_names[i], name) == 0)
            return (ag_reason)i;
    return AG_R__COUNT;
}
