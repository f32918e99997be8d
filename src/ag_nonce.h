/* Digest nonces and their nonce-counts.
 *
 * A nonce is self-validating: base64url of
 *
 *   issued (8 bytes, microseconds, big-endian) || random (12 bytes)
 *   || HMAC-SHA-256(secret, "authgate-nonce" 0x00 realm 0x00 issued
 *                            || random), first 16 bytes
 *
 * so the server that made it (or any sharing its secret) recognises it
 * without looking anything up, and a forged nonce or one made for another
 * realm is refused before any table is touched.
 *
 * Nonce-counts: each nonce in use has a window in the state store of the
 * last AG_NONCE_WINDOW counts, the highest seen and a bit for each count up
 * to it.  A count is accepted once; counts may arrive out of order within the
 * window (browsers send requests in parallel); a count already seen, or
 * below the window, is refused.  The window is created at the first use
 * that verified, never by a request that did not, so unauthenticated
 * traffic cannot fill the store.  A nonce whose window is missing although
 * it may have had one (the store evicted it, or the store is younger than
 * the nonce) is unknown: the client is told stale=true and starts again,
 * never accepted blindly. */
#ifndef AG_NONCE_H
#define AG_NONCE_H

#include <apr_pools.h>
#include <apr_time.h>

#include "ag_store.h"

/* A secret of at least this many bytes. */
#define AG_NONCE_SECRET_MIN 32
/* Longest secret read from a file. */
#define AG_NONCE_SECRET_MAX 4096
/* Counts remembered, the highest seen included.  A count is refused as
 * below the window once this many higher counts of its nonce came first:
 * the window must hold the counts a client uses while one of its requests
 * waits.  A client sending 1,000 requests a second under one nonce, whose
 * requests wait up to a second on a loaded server, needs 1,000.  Each
 * window takes AG_NONCE_WINDOW / 8 bytes of a store record. */
#define AG_NONCE_WINDOW 1024
/* Length of a nonce as text. */
#define AG_NONCE_TEXT_LEN 48

typedef struct ag_nonce_key ag_nonce_key;

typedef struct {
    const unsigned char *bytes;
    apr_size_t len;
    /* Made with the secret by the two functions below, freed with their
     * pool: the HMAC key prepared (the hash states after the inner and
     * outer pads) and the opaque of the challenges. */
    ag_nonce_key *key;
    const char *opaque;
} ag_nonce_secret;

/* The secret in the text of a secret file: its bytes, without trailing
 * white space, at least AG_NONCE_SECRET_MIN of them.  NULL on success,
 * else why not (a few words, never the content). */
const char *ag_nonce_secret_from_text(const char *data, apr_size_t len,
                                      ag_nonce_secret *out, apr_pool_t *p);

/* Length of a random secret. */
#define AG_NONCE_SECRET_RANDOM_LEN 32

/* AG_NONCE_SECRET_RANDOM_LEN fresh random bytes for a secret, into BUF. */
apr_status_t ag_nonce_secret_draw(unsigned char *buf);

/* The secret of the LEN bytes at BYTES (AG_NONCE_SECRET_MIN to
 * AG_NONCE_SECRET_MAX of them), copied and prepared in P.  What outlives
 * P (a secret kept across restarts) is the bytes, never this. */
apr_status_t ag_nonce_secret_from_bytes(const unsigned char *bytes,
                                        apr_size_t len, ag_nonce_secret *out,
                                        apr_pool_t *p);

/* A new nonce for REALM, issued at NOW. */
apr_status_t ag_nonce_make(const ag_nonce_secret *secret, const char *realm,
                           apr_time_t now, const char **out, apr_pool_t *p);

/* What a valid nonce says of itself. */
typedef struct {
    apr_time_t issued;
    unsigned char key[AG_STORE_KEY_LEN];   /* its key in the store */
} ag_nonce_info;

/* APR_SUCCESS and *INFO when NONCE was made under SECRET for REALM;
 * APR_EINVAL otherwise (malformed, forged, another realm's, another
 * secret's).  The MAC is compared in constant time. */
apr_status_t ag_nonce_check(const ag_nonce_secret *secret, const char *realm,
                            const char *nonce, ag_nonce_info *info,
                            apr_pool_t *p);

/* The last nonce a connection's requests carried that ag_nonce_check()
 * found good, with the secret and realm it was checked under and what the
 * check found.  A keep-alive client sends the same nonce request after
 * request; finding it here spares the base64 and the HMAC.  The memo
 * says only what ag_nonce_check() would say again, since the same
 * secret, realm and nonce always get the same answer: a nonce differing
 * in one character, another realm or another secret is checked in full.
 * Staleness is not its business: the caller checks the time left, as
 * after ag_nonce_check().  A realm longer than AG_NONCE_MEMO_REALM_MAX is
 * not remembered.  The secret must outlive the memo.  Not thread-safe:
 * one memo per connection, zeroed when made. */
#define AG_NONCE_MEMO_REALM_MAX 256

typedef struct ag_nonce_memo {
    const ag_nonce_secret *secret;          /* NULL: empty */
    char nonce[AG_NONCE_TEXT_LEN];
    char realm[AG_NONCE_MEMO_REALM_MAX];
    apr_size_t realm_len;
    ag_nonce_info info;
} ag_nonce_memo;

/* ag_nonce_check(), answered from MEMO when it holds NONCE for SECRET and
 * REALM; a nonce that the check finds good is then the one MEMO holds.
 * MEMO may be NULL. */
apr_status_t ag_nonce_check_memo(ag_nonce_memo *memo,
                                 const ag_nonce_secret *secret,
                                 const char *realm, const char *nonce,
                                 ag_nonce_info *info, apr_pool_t *p);

/* Time left before the nonce is stale (negative when it is). */
apr_interval_time_t ag_nonce_time_left(const ag_nonce_info *info,
                                       apr_interval_time_t lifetime,
                                       apr_time_t now);

/* The opaque of the challenges: base64url of the first 12 bytes of
 * HMAC-SHA-256(secret, "authgate-opaque" 0x00 0x00), fixed per secret (it
 * names the server, or the fleet that shares the secret; the nonce is what
 * is bound to the realm), made once with the secret. */
const char *ag_nonce_opaque(const ag_nonce_secret *secret);

/* --- nonce-counts ----------------------------------------------------------- */

typedef enum {
    AG_NC_ACCEPTED = 0,
    AG_NC_REPLAY,          /* this count was used already */
    AG_NC_BELOW_WINDOW,    /* too far below the highest count seen */
    AG_NC_UNKNOWN          /* no window although there may have been one:
                              evicted, or the store is newer than the nonce */
} ag_nc_verdict;

/* "accepted", "replay", "below_window", "unknown". */
const char *ag_nc_verdict_name(ag_nc_verdict v);

#define AG_NONCE_WINDOW_WORDS (AG_NONCE_WINDOW / 64)

typedef struct {
    apr_uint32_t top;      /* highest count seen, 0 before the first */
    /* A ring: count c, for c from top - AG_NONCE_WINDOW + 1 to top, was
     * seen when bit i = c % AG_NONCE_WINDOW is set (word i / 64, bit
     * i % 64); a new top takes over the bits of the counts it leaves
     * out. */
    apr_uint64_t seen[AG_NONCE_WINDOW_WORDS];
} ag_nc_window;

/* Applies count NC (> 0) to W: accepted (W updated) or refused (W as it
 * was). */
ag_nc_verdict ag_nc_window_apply(ag_nc_window *w, apr_uint32_t nc);

/* Uses count NC of the nonce INFO in STORE, atomically: call it only once
 * the response verified.  The window's record expires at EXPIRES (when the
 * nonce turns stale).  Anything but APR_SUCCESS means the store could not
 * answer, and the request must be refused. */
apr_status_t ag_nonce_count_use(ag_store *store, const ag_nonce_info *info,
                                apr_uint32_t nc, apr_time_t expires,
                                apr_time_t now, ag_nc_verdict *verdict);

#endif
