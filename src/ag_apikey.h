/* API keys: their format, the record file that stores them as hashes, and
 * the index the gate looks them up in.
 *
 * A key made by `authgate apikey add` reads
 *
 *     ag_<id>_<secret>            ag_3f9c0d5e7b2a4611_T0pS3cr3t...(43)
 *
 * "ag_" says what it is (so secret scanners and people recognise it), <id>
 * is 16 lower-case hex digits (64 random bits: the key's public name, used
 * in logs, `authgate apikey list` and revocation), and <secret> is 43
 * characters of [0-9A-Za-z] (43 * log2(62) = 256.03 bits from the OS
 * CSPRNG).  Only the SHA-256 of the whole key is stored.  A key of another
 * form (an operator's own, in the dbd backend) works too: any 1 to
 * AG_APIKEY_MAX_LEN visible ASCII characters are hashed and looked up.
 *
 * The record file (AuthGateApiKeyFile) holds one record a line:
 *
 *     id:sha256:user:expires:created:revoked:scopes
 *
 *   id       1 to 64 of [A-Za-z0-9._-], unique in the file
 *   sha256   the SHA-256 of the whole key, 64 lower-case hex digits, unique
 *   user     1 to 255 bytes, no ':' and no control characters
 *   expires  Unix seconds from which the key is refused, or '-' for never
 *   created  Unix seconds
 *   revoked  Unix seconds of the revocation, or '-' while the key is good
 *   scopes   the rest of the line: scope tokens (RFC 6749 §3.3, so ':' is
 *            allowed: "read:org") separated by single spaces, or nothing
 *
 * Lines that are empty or start with '#' are comments.  A line may end in
 * CRLF.  A file with one bad line is refused as a whole, and the error
 * names the line: half a set of keys is never in use. */
#ifndef AG_APIKEY_H
#define AG_APIKEY_H

#include <apr_pools.h>
#include <apr_tables.h>

#include "ag_reason.h"

#define AG_APIKEY_PREFIX "ag_"
#define AG_APIKEY_ID_LEN 16         /* hex digits of a generated id */
#define AG_APIKEY_SECRET_LEN 43     /* base62 characters of the secret */
#define AG_APIKEY_MAX_LEN 512       /* longest key the gate looks at */
#define AG_APIKEY_SHA256_LEN 32
#define AG_APIKEY_MAX_ID 64
#define AG_APIKEY_MAX_USER 255
#define AG_APIKEY_MAX_SCOPES 1024
#define AG_APIKEY_MAX_LINE 2048
/* Largest record file read (about 400,000 records). */
#define AG_APIKEY_MAX_FILE (64 * 1024 * 1024)
/* Largest Unix time accepted: 9999-12-31T23:59:59Z. */
#define AG_APIKEY_MAX_TIME APR_INT64_C(253402300799)

/* What a lookup reads comes first: the hash, the times it is checked
 * against, the user and the scopes fill the record's first 64 bytes. */
typedef struct {
    unsigned char sha256[AG_APIKEY_SHA256_LEN];
    apr_int64_t expires;     /* Unix seconds; 0 for never */
    apr_int64_t revoked;     /* Unix seconds; 0 while not revoked */
    const char *user;
    const char *scopes;      /* space-separated; "" for none */
    const char *id;
    apr_int64_t created;     /* Unix seconds */
    unsigned line;           /* where it is in its file (1-based), or 0 */
} ag_apikey_record;

typedef struct ag_apikey_store ag_apikey_store;

/* --- keys ------------------------------------------------------------- */

/* A new random key, and its id.  APR_EGENERAL when the CSPRNG fails. */
apr_status_t ag_apikey_generate(const char **key, const char **id,
                                apr_pool_t *p);

/* 1 when KEY (LEN bytes) is 1 to AG_APIKEY_MAX_LEN visible ASCII
 * characters: what the gate accepts as a key at all. */
int ag_apikey_key_valid(const char *key, apr_size_t len);

/* The id a key of the ag_<id>_<secret> form names, or NULL when KEY is
 * not of that form.  Not a proof of anything: the key may be unknown. */
const char *ag_apikey_key_id(const char *key, apr_size_t len, apr_pool_t *p);

void ag_apikey_hash(const char *key, apr_size_t len,
                    unsigned char out[AG_APIKEY_SHA256_LEN]);

/* The SHA-256 of KEY as 64 lower-case hex digits (the dbd parameter). */
const char *ag_apikey_hash_hex(const char *key, apr_size_t len,
                               apr_pool_t *p);

/* --- records ---------------------------------------------------------- */

/* Whether each field of a record may be stored; the tool checks what it
 * is given with these, the parser uses them on every line. */
int ag_apikey_id_valid(const char *id);
int ag_apikey_user_valid(const char *user);
int ag_apikey_scopes_valid(const char *scopes);

/* SCOPES with runs of white space made single spaces and the ends
 * trimmed, into *OUT; APR_EINVAL when a token has a character RFC 6749
 * does not allow or the result is too long.  For scopes from a database. */
apr_status_t ag_apikey_scopes_normalize(const char *scopes, const char **out,
                                        apr_pool_t *p);

/* REC as one line of the record file, without the newline. */
const char *ag_apikey_record_format(const ag_apikey_record *rec,
                                    apr_pool_t *p);

/* What REC allows at Unix time NOW: AG_OK, AG_R_APIKEY_UNKNOWN (REC is
 * NULL), AG_R_REVOKED or AG_R_APIKEY_EXPIRED. */
ag_reason ag_apikey_check(const ag_apikey_record *rec, apr_int64_t now);

/* --- the store -------------------------------------------------------- */

/* Parses a record file of LEN bytes into an indexed store in P.
 * APR_EINVAL for a malformed file, with *ERR "line N: what" (never the
 * line's content). */
apr_status_t ag_apikey_parse(const char *data, apr_size_t len,
                             ag_apikey_store **out, const char **err,
                             apr_pool_t *p);

/* ag_apikey_parse() as an ag_reload_parse_fn (BATON is unused). */
apr_status_t ag_apikey_parse_reload(const char *data, apr_size_t len,
                                    void *baton, void **out,
                                    const char **err, apr_pool_t *p);

/* The record whose hash is SHA256 (compared in constant time), or NULL. */
const ag_apikey_record *ag_apikey_find_hash(
    const ag_apikey_store *s, const unsigned char sha256[AG_APIKEY_SHA256_LEN]);

/* The record of KEY (LEN bytes), or NULL. */
const ag_apikey_record *ag_apikey_find(const ag_apikey_store *s,
                                       const char *key, apr_size_t len);

/* The record of id ID, or NULL (a linear search: for the tool). */
const ag_apikey_record *ag_apikey_find_id(const ag_apikey_store *s,
                                          const char *id);

int ag_apikey_count(const ag_apikey_store *s);

/* A number no other store made by this process has had or will have
 * (ag_apikey_memo.h tells stores apart by it). */
apr_uint64_t ag_apikey_store_serial(const ag_apikey_store *s);

/* The I-th record, in file order. */
const ag_apikey_record *ag_apikey_at(const ag_apikey_store *s, int i);

/* --- times ------------------------------------------------------------ */

/* Parses an expiry as the tool takes it: "2027-01-31" (midnight UTC),
 * "2027-01-31T12:00:00Z" or "+30d" (NOW plus 30 days), into Unix seconds.
 * APR_EINVAL when SPEC is none of these or is not a real date. */
apr_status_t ag_apikey_expiry_parse(const char *spec, apr_int64_t now,
                                    apr_int64_t *out);

/* Unix seconds T as "2027-01-31T12:00:00Z". */
const char *ag_apikey_time_format(apr_int64_t t, apr_pool_t *p);

#endif
