/* Shared by ag_jwk.c and ag_jwks.c only. */
#ifndef AG_JWK_PRIVATE_H
#define AG_JWK_PRIVATE_H

#include "ag_jwk.h"

/* Records that loading skipped something, and why. */
void ag_keyset_warn(ag_keyset *ks, const char *warning);

/* Classifies PKEY into KEY, which then owns it (freed with P): type,
 * algorithms, and the checks every public key must pass (RSA size,
 * known curve). */
apr_status_t ag_jwk_adopt_pkey(EVP_PKEY *pkey, ag_jwk *key, const char **err,
                               apr_pool_t *p);

#endif
