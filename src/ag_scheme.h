/* The authentication schemes the gate knows, by name. */
#ifndef AG_SCHEME_H
#define AG_SCHEME_H

typedef enum {
    AG_SCHEME_BEARER = 0,
    AG_SCHEME_APIKEY,
    AG_SCHEME_DIGEST,
    AG_SCHEME_BASIC,
    AG_SCHEME__COUNT,
    AG_SCHEME_NONE = -1
} ag_scheme_id;

/* The scheme named NAME, compared without regard to case as RFC 7235
 * says of auth-scheme; AG_SCHEME_NONE when it is none of ours. */
ag_scheme_id ag_scheme_lookup(const char *name);

/* "Bearer", "ApiKey", "Digest", "Basic": as a client writes it. */
const char *ag_scheme_name(ag_scheme_id id);

/* "bearer", "apikey", "digest", "basic": the value of AUTHGATE_SCHEME and
 * of `Require auth-scheme`. */
const char *ag_scheme_lname(ag_scheme_id id);

#endif
