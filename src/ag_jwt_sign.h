/* Signing JWTs, for the authgate tool (`authgate jwt sign`) and the
 * tests: the gate itself never signs. */
#ifndef AG_JWT_SIGN_H
#define AG_JWT_SIGN_H

#include <apr_pools.h>

#include "ag_jwk.h"

/* Signs CLAIMS_JSON (a JSON object) with ALG and KEY: the bytes of a PEM
 * private key for RS, ES, PS and EdDSA, the secret itself for HS.  KID
 * (may be NULL) goes into the header, and so do the members of
 * HEADER_JSON (may be NULL), except alg and typ, which are the signer's.
 * *OUT is the compact serialization. */
apr_status_t ag_jwt_sign(ag_jwt_alg alg, const unsigned char *key,
                         apr_size_t key_len, const char *kid,
                         const char *header_json, const char *claims_json,
                         const char **out, const char **err, apr_pool_t *p);

#endif
