/* Reason codes: why a request was refused.  The names are the public
 * contract of SPEC.md: they appear in the log, in AUTHGATE_ERROR and in
 * the authgate tool's output. */
#ifndef AG_REASON_H
#define AG_REASON_H

typedef enum {
    AG_OK = 0,
    AG_R_NO_CREDENTIALS,
    AG_R_MALFORMED,
    AG_R_UNSUPPORTED_SCHEME,
    AG_R_TOKEN_EXPIRED,
    AG_R_TOKEN_NOT_YET_VALID,
    AG_R_BAD_SIGNATURE,
    AG_R_ALG_NOT_ALLOWED,
    AG_R_UNKNOWN_KID,
    AG_R_WRONG_ISSUER,
    AG_R_WRONG_AUDIENCE,
    AG_R_MISSING_CLAIM,
    AG_R_REVOKED,
    AG_R_APIKEY_UNKNOWN,
    AG_R_APIKEY_EXPIRED,
    AG_R_DIGEST_BAD_RESPONSE,
    AG_R_DIGEST_STALE,
    AG_R_DIGEST_REPLAY,
    AG_R_DIGEST_UNKNOWN_USER,
    AG_R_INSUFFICIENT_SCOPE,
    AG_R_CLAIM_MISMATCH,
    AG_R_LOCKED_OUT,
    AG_R_BACKEND_UNAVAILABLE,
    /* Basic is not named by the SPEC's list; these mirror the digest_ codes. */
    AG_R_BASIC_BAD_PASSWORD,
    AG_R_BASIC_UNKNOWN_USER,
    AG_R__COUNT
} ag_reason;

/* The reason's code as logged ("no_credentials"); "ok" for AG_OK and
 * "unknown" for a value out of range. */
const char *ag_reason_name(ag_reason reason);

/* The reason whose code is NAME, or AG_R__COUNT when there is none. */
ag_reason ag_reason_from_name(const char *name);

#endif
