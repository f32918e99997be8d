/* Keys that check JWT signatures (RFC 7517, RFC 7518), loaded once into
 * OpenSSL EVP_PKEYs so that no request parses a key:
 *
 *   - PEM public keys: RSA (2048 bits or more), EC P-256/P-384/P-521,
 *     Ed25519; a certificate stands for its public key;
 *   - JWKS documents: kty RSA (n, e), EC (crv, x, y), oct (k), OKP
 *     (Ed25519 x), honouring use, key_ops, alg and kid; an entry that
 *     cannot be used is skipped with a warning;
 *   - HMAC secrets: "base64:..." or "file:/path", at least as long as the
 *     shortest hash they serve (RFC 7518 §3.2).
 *
 * A key knows the algorithms it can check (its family, its curve or
 * length, and the JWKS "alg" when one is given): that is what keeps an
 * HMAC secret from checking an RS token and a public key from being used
 * as an HMAC secret, whatever a token's header says. */
#ifndef AG_JWK_H
#define AG_JWK_H

#include <apr_pools.h>
#include <apr_tables.h>
#include <apr_hash.h>

#include <openssl/evp.h>

typedef enum {
    AG_JWT_HS256 = 0,
    AG_JWT_HS384,
    AG_JWT_HS512,
    AG_JWT_RS256,
    AG_JWT_RS384,
    AG_JWT_RS512,
    AG_JWT_ES256,
    AG_JWT_ES384,
    AG_JWT_ES512,
    AG_JWT_PS256,
    AG_JWT_PS384,
    AG_JWT_PS512,
    AG_JWT_EDDSA,
    AG_JWT_ALG__COUNT
} ag_jwt_alg;

#define AG_JWT_ALG_BIT(a) (1u << (a))
#define AG_JWT_ALGS_HMAC \
    (AG_JWT_ALG_BIT(AG_JWT_HS256) | AG_JWT_ALG_BIT(AG_JWT_HS384) | \
     AG_JWT_ALG_BIT(AG_JWT_HS512))
#define AG_JWT_ALGS_RSA \
    (AG_JWT_ALG_BIT(AG_JWT_RS256) | AG_JWT_ALG_BIT(AG_JWT_RS384) | \
     AG_JWT_ALG_BIT(AG_JWT_RS512) | AG_JWT_ALG_BIT(AG_JWT_PS256) | \
     AG_JWT_ALG_BIT(AG_JWT_PS384) | AG_JWT_ALG_BIT(AG_JWT_PS512))
#define AG_JWT_ALGS_ALL ((1u << AG_JWT_ALG__COUNT) - 1)

/* The algorithm named exactly NAME (case-sensitive, RFC 7518 §3.1), or
 * AG_JWT_ALG__COUNT.  "none" is never an algorithm here. */
ag_jwt_alg ag_jwt_alg_lookup(const char *name);

/* "HS256" ... "EdDSA"; NULL out of range. */
const char *ag_jwt_alg_name(ag_jwt_alg alg);

/* The names of the algorithms in MASK, space-separated. */
const char *ag_jwt_algs_names(unsigned mask, apr_pool_t *p);

/* The digest an algorithm hashes with (NULL for EdDSA), fetched once. */
const EVP_MD *ag_jwt_alg_md(ag_jwt_alg alg);

/* Adds the algorithm NAME (an AuthGateJWTAlgorithms word) to *MASK;
 * *ERR says why not: unknown, or "none" in any spelling. */
apr_status_t ag_jwt_algs_add(const char *name, unsigned *mask,
                             const char **err, apr_pool_t *p);

typedef enum {
    AG_JWK_OCT = 0,     /* HMAC secret */
    AG_JWK_RSA,
    AG_JWK_EC,
    AG_JWK_OKP          /* Ed25519 */
} ag_jwk_type;

/* Shortest HMAC secret accepted: the output of SHA-256. */
#define AG_JWK_MIN_SECRET 32
/* Largest key file read (a JWKS of a few hundred keys). */
#define AG_JWK_MAX_FILE (1024 * 1024)
/* Largest HMAC secret file read (AuthGateJWTSecret file:...). */
#define AG_JWK_MAX_SECRET_FILE 4096
/* Most keys in one JWKS. */
#define AG_JWKS_MAX_KEYS 1000
/* Least RSA modulus (RFC 7518 §3.3). */
#define AG_JWK_MIN_RSA_BITS 2048

typedef struct {
    ag_jwk_type type;
    unsigned algs;               /* AG_JWT_ALG_BITs this key may check */
    const char *kid;             /* NULL: serves tokens with any kid */
    const char *issuer;          /* NULL: any issuer */
    EVP_PKEY *pkey;              /* RSA, EC, OKP; freed with the pool */
    const unsigned char *secret; /* oct */
    apr_size_t secret_len;
    /* RSA and EC: a context ready to verify with the key, per algorithm,
     * made at first use (ag_jwt.c), freed with the pool; each
     * verification works on a copy. */
    EVP_MD_CTX *verify[AG_JWT_ALG__COUNT];
} ag_jwk;

/* A key's kid and issuer binding, from the directive's kid= and issuer=. */
typedef struct {
    const char *kid;
    const char *issuer;
} ag_jwk_binding;

/* The words that follow a key's file or secret (AuthGateJWTKeyFile,
 * AuthGateJWTSecret, the tool's --key-option), N of them, as a binding:
 * kid=ID and issuer=ISS, the name in any case, the value not empty (a
 * word given twice: the last one counts).  *ERR names a word that is
 * neither. */
apr_status_t ag_jwk_binding_parse(const char *const *words, int n,
                                  ag_jwk_binding **out, const char **err,
                                  apr_pool_t *p);

/* KEY takes B's kid and issuer where B sets them (B may be NULL). */
void ag_jwk_bind(ag_jwk *key, const ag_jwk_binding *b);

/* The keys of one source (a key file, a secret), indexed by kid. */
typedef struct ag_keyset ag_keyset;

ag_keyset *ag_keyset_make(apr_pool_t *p);
void ag_keyset_add(ag_keyset *ks, ag_jwk *key);
int ag_keyset_count(const ag_keyset *ks);
const ag_jwk *ag_keyset_get(const ag_keyset *ks, int i);
/* The keys whose kid is KID (of const ag_jwk *), or NULL: one hash
 * lookup. */
const apr_array_header_t *ag_keyset_by_kid(const ag_keyset *ks,
                                           const char *kid);
/* The keys configured without a kid (of const ag_jwk *). */
const apr_array_header_t *ag_keyset_unnamed(const ag_keyset *ks);
/* The union of the keys' algorithms. */
unsigned ag_keyset_algs(const ag_keyset *ks);
/* The keyset's fingerprint: the same keys (material, type, algorithms,
 * kid, issuer, in the same order) give the same number, any change
 * another (but for a 2^-64 chance).  A verified-token cache entry names
 * the keyset that vouched for it, so it stays good when a key file is read
 * again unchanged (a reload, an .htaccess file at every request) and is
 * dropped when a key changes. */
apr_uint64_t ag_keyset_serial(const ag_keyset *ks);
/* What loading skipped and why (of const char *), for the log. */
const apr_array_header_t *ag_keyset_warnings(const ag_keyset *ks);

/* One public key from PEM text (PUBLIC KEY, RSA PUBLIC KEY or
 * CERTIFICATE); a private key is refused. */
apr_status_t ag_jwk_parse_pem(const char *data, apr_size_t len,
                              ag_jwk **out, const char **err,
                              apr_pool_t *p);

/* An HMAC key from LEN bytes. */
apr_status_t ag_jwk_from_secret(const unsigned char *secret, apr_size_t len,
                                ag_jwk **out, const char **err,
                                apr_pool_t *p);

/* The keys of a JWKS document added to KS; unusable entries are skipped
 * with a warning; an error when none is usable. */
apr_status_t ag_jwks_parse(const char *data, apr_size_t len, ag_keyset *ks,
                           const char **err, apr_pool_t *p);

/* A key file, PEM or JWKS told apart by content, as an ag_keyset with
 * BINDING applied (BINDING is an ag_jwk_binding *; kid= is refused for a
 * JWKS, whose keys carry their own).  ag_reload_parse_fn's signature. */
apr_status_t ag_keyfile_parse(const char *data, apr_size_t len,
                              void *binding, void **out, const char **err,
                              apr_pool_t *p);

/* LEN bytes of SECRET as the one HMAC key of *OUT, bound by B (which may
 * be NULL): AuthGateJWTSecret base64:... and each read of a secret file. */
apr_status_t ag_keyset_from_secret(const unsigned char *secret,
                                   apr_size_t len, const ag_jwk_binding *b,
                                   ag_keyset **out, const char **err,
                                   apr_pool_t *p);

/* A secret file's bytes (one trailing newline left out) as an ag_keyset.
 * ag_reload_parse_fn's signature. */
apr_status_t ag_secretfile_parse(const char *data, apr_size_t len,
                                 void *binding, void **out,
                                 const char **err, apr_pool_t *p);

/* An AuthGateJWTSecret spec: "base64:..." sets *SECRET and *LEN; "file:/path"
 * sets *PATH.  Anything else is an error. */
apr_status_t ag_jwk_secret_spec(const char *spec, const unsigned char **secret,
                                apr_size_t *len, const char **path,
                                const char **err, apr_pool_t *p);

/* A JWKS document (JSON text) for KEYS (of const ag_jwk *, public
 * keys); KIDS[i], when KIDS is not NULL and it is, names key i, else its
 * RFC 7638 thumbprint does. */
apr_status_t ag_jwks_write(const apr_array_header_t *keys,
                           const apr_array_header_t *kids, char **out,
                           const char **err, apr_pool_t *p);

/* The RFC 7638 thumbprint of a public key, base64url. */
apr_status_t ag_jwk_thumbprint(const ag_jwk *key, const char **out,
                               apr_pool_t *p);

#endif
