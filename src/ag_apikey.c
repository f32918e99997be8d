/* API keys: generation, the record file, and the hash index. */
#include <string.h>

#include <apr_atomic.h>
#include <apr_hash.h>
#include <apr_strings.h>

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include "ag_apikey.h"
#include "ag_file.h"
#include "ag_hash.h"
#include "ag_hugemem.h"
#include "ag_prefetch.h"

#define FIELDS 7

/* Each record sits in ARENA on a boundary of REC_ALIGN bytes, its id,
 * user and scopes right after it: a lookup of a key reads one slot and
 * the one or two cache lines of its record, not strings scattered over a
 * copy of the file.  A slot holds bytes 4-7 of its record's hash (bytes
 * 0-3 chose the slot), so that a probe past another record's slot
 * rarely reads that record; the hash is still compared whole, in
 * constant time, before a record is returned. */
#define REC_ALIGN 64

typedef struct {
    apr_uint32_t tag;        /* bytes 4-7 of the record's hash */
    apr_uint32_t unit;       /* 0: empty; else offset / REC_ALIGN, plus one */
} index_slot;

struct ag_apikey_store {
    char *arena;             /* REC_ALIGN-aligned */
    apr_uint32_t *order;     /* the records' units, in file order */
    int count;
    index_slot *slots;
    apr_uint32_t mask;       /* slots - 1, slots a power of two */
    apr_uint64_t serial;     /* this store's own, in this process */
};

/* The serial of the last store made in this process. */
static volatile apr_uint64_t last_serial;

static const char base62[] =
    "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* --- keys ------------------------------------------------------------- */

/* N characters of [0-9A-Za-z], each uniform: bytes of 248 and above are
 * dropped so that `b % 62` has no bias (248 = 4 * 62). */
static apr_status_t random_base62(char *out, apr_size_t n)
{
    unsigned char buf[64];
    apr_size_t have = 0, used = 0;

    while (n > 0) {
        if (used == have) {
            if (RAND_bytes(buf, sizeof(buf)) != 1)
                return APR_EGENERAL;
            have = sizeof(buf);
            used = 0;
        }
        if (buf[used] < 248) {
            *out++ = base62[buf[used] % 62];
            n--;
        }
        used++;
    }
    OPENSSL_cleanse(buf, sizeof(buf));
    return APR_SUCCESS;
}

apr_status_t ag_apikey_generate(const char **key, const char **id,
                                apr_pool_t *p)
{
    unsigned char raw[AG_APIKEY_ID_LEN / 2];
    char *k, *secret;
    apr_size_t plen = sizeof(AG_APIKEY_PREFIX) - 1;
    apr_status_t rv;

    if (RAND_bytes(raw, sizeof(raw)) != 1)
        return APR_EGENERAL;
    k = apr_palloc(p, plen + AG_APIKEY_ID_LEN + 1 + AG_APIKEY_SECRET_LEN + 1);
    memcpy(k, AG_APIKEY_PREFIX, plen);
    ag_hex_encode(raw, sizeof(raw), k + plen);
    k[plen + AG_APIKEY_ID_LEN] = '_';
    secret = k + plen + AG_APIKEY_ID_LEN + 1;
    rv = random_base62(secret, AG_APIKEY_SECRET_LEN);
    if (rv != APR_SUCCESS)
        return rv;
    secret[AG_APIKEY_SECRET_LEN] = '\0';
    *key = k;
    *id = apr_pstrmemdup(p, k + plen, AG_APIKEY_ID_LEN);
    return APR_SUCCESS;
}

/* Nonzero when an octet of W is below 0x21 or above 0x7e, eight octets at
 * a time.  Subtracting 0x21 sets the high bit of an octet below 0x21 (it
 * borrows) and of one from 0xa1 up; adding 1 sets it for 0x7f to 0xfe;
 * visible octets get it from neither.  A borrow or carry into the next
 * octet starts only at an octet flagged itself, so the word's answer is
 * exact. */
static apr_uint64_t invisible_in(apr_uint64_t w)
{
    const apr_uint64_t ones = 0x0101010101010101ULL;

    return ((w - ones * 0x21) | (w + ones)) & ones * 0x80;
}

int ag_apikey_key_valid(const char *key, apr_size_t len)
{
    apr_uint64_t bad = 0, w;
    apr_size_t i;

    if (len == 0 || len > AG_APIKEY_MAX_LEN)
        return 0;
    for (i = 0; i + sizeof(w) <= len; i += sizeof(w)) {
        memcpy(&w, key + i, sizeof(w));
        bad |= invisible_in(w);
    }
    for (; i < len; i++)
        bad |= (unsigned char)(key[i] - 0x21) > 0x7e - 0x21;
    return bad == 0;
}

static int is_lower_hex(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

static int is_alnum(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

const char *ag_apikey_key_id(const char *key, apr_size_t len, apr_pool_t *p)
{
    apr_size_t plen = sizeof(AG_APIKEY_PREFIX) - 1, i;

    if (len != plen + AG_APIKEY_ID_LEN + 1 + AG_APIKEY_SECRET_LEN ||
        memcmp(key, AG_APIKEY_PREFIX, plen) != 0 ||
        key[plen + AG_APIKEY_ID_LEN] != '_')
        return NULL;
    for (i = 0; i < AG_APIKEY_ID_LEN; i++)
        if (!is_lower_hex(key[plen + i]))
            return NULL;
    for (i = plen + AG_APIKEY_ID_LEN + 1; i < len; i++)
        if (!is_alnum(key[i]))
            return NULL;
    return apr_pstrmemdup(p, key + plen, AG_APIKEY_ID_LEN);
}

void ag_apikey_hash(const char *key, apr_size_t len,
                    unsigned char out[AG_APIKEY_SHA256_LEN])
{
    /* on failure the hash is zeros, which no stored key has */
    ag_sha256(key, len, out);
}

const char *ag_apikey_hash_hex(const char *key, apr_size_t len,
                               apr_pool_t *p)
{
    unsigned char sha[AG_APIKEY_SHA256_LEN];
    char *out = apr_palloc(p, 2 * AG_APIKEY_SHA256_LEN + 1);

    ag_apikey_hash(key, len, sha);
    ag_hex_encode(sha, sizeof(sha), out);
    return out;
}

/* --- fields ----------------------------------------------------------- */

static int id_valid_n(const char *s, apr_size_t n)
{
    apr_size_t i;

    if (n == 0 || n > AG_APIKEY_MAX_ID)
        return 0;
    for (i = 0; i < n; i++)
        if (!is_alnum(s[i]) && s[i] != '.' && s[i] != '_' && s[i] != '-')
            return 0;
    return 1;
}

static int user_valid_n(const char *s, apr_size_t n)
{
    apr_size_t i;

    if (n == 0 || n > AG_APIKEY_MAX_USER)
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];

        if (c < 0x20 || c == 0x7f || c == ':')
            return 0;
    }
    return 1;
}

/* RFC 6749 §3.3: scope-token = 1*( %x21 / %x23-5B / %x5D-7E ); tokens
 * separated by single spaces. */
static int scope_char(unsigned char c)
{
    return c == 0x21 || (c >= 0x23 && c <= 0x5b) || (c >= 0x5d && c <= 0x7e);
}

static int scopes_valid_n(const char *s, apr_size_t n)
{
    apr_size_t i;

    if (n > AG_APIKEY_MAX_SCOPES)
        return 0;
    for (i = 0; i < n; i++) {
        if (s[i] == ' ') {
            if (i == 0 || i + 1 == n || s[i - 1] == ' ')
                return 0;
        }
        else if (!scope_char((unsigned char)s[i]))
            return 0;
    }
    return 1;
}

int ag_apikey_id_valid(const char *id)
{
    return id != NULL && id_valid_n(id, strlen(id));
}

int ag_apikey_user_valid(const char *user)
{
    return user != NULL && user_valid_n(user, strlen(user));
}

int ag_apikey_scopes_valid(const char *scopes)
{
    return scopes != NULL && scopes_valid_n(scopes, strlen(scopes));
}

apr_status_t ag_apikey_scopes_normalize(const char *scopes, const char **out,
                                        apr_pool_t *p)
{
    apr_size_t n = strlen(scopes), o = 0, i;
    char *buf;

    if (n > 4 * AG_APIKEY_MAX_SCOPES)
        return APR_EINVAL;
    buf = apr_palloc(p, n + 1);
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)scopes[i];

        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            if (o > 0 && buf[o - 1] != ' ')
                buf[o++] = ' ';
        }
        else if (scope_char(c))
            buf[o++] = (char)c;
        else
            return APR_EINVAL;
    }
    if (o > 0 && buf[o - 1] == ' ')
        o--;
    if (o > AG_APIKEY_MAX_SCOPES)
        return APR_EINVAL;
    buf[o] = '\0';
    *out = buf;
    return APR_SUCCESS;
}

/* Unix seconds: 1 to 12 decimal digits, at most AG_APIKEY_MAX_TIME. */
static int time_parse_n(const char *s, apr_size_t n, apr_int64_t *out)
{
    apr_int64_t v = 0;
    apr_size_t i;

    if (n == 0 || n > 12)
        return 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        v = v * 10 + (s[i] - '0');
    }
    if (v > AG_APIKEY_MAX_TIME)
        return 0;
    *out = v;
    return 1;
}

/* '-' (0: none) or a time after the epoch. */
static int opt_time_parse_n(const char *s, apr_size_t n, apr_int64_t *out)
{
    if (n == 1 && s[0] == '-') {
        *out = 0;
        return 1;
    }
    return time_parse_n(s, n, out) && *out > 0;
}

static int sha_parse_n(const char *s, apr_size_t n,
                       unsigned char out[AG_APIKEY_SHA256_LEN])
{
    apr_size_t i;

    if (n != 2 * AG_APIKEY_SHA256_LEN)
        return 0;
    for (i = 0; i < n; i++)
        if (!is_lower_hex(s[i]))
            return 0;
    for (i = 0; i < AG_APIKEY_SHA256_LEN; i++)
        out[i] = (unsigned char)(ag_hex_digit[(unsigned char)s[2 * i]] << 4 |
                                 ag_hex_digit[(unsigned char)s[2 * i + 1]]);
    return 1;
}

static const char *opt_time_format(apr_int64_t t, apr_pool_t *p)
{
    return t == 0 ? "-" : apr_psprintf(p, "%" APR_INT64_T_FMT, t);
}

const char *ag_apikey_record_format(const ag_apikey_record *rec,
                                    apr_pool_t *p)
{
    char sha[2 * AG_APIKEY_SHA256_LEN + 1];

    ag_hex_encode(rec->sha256, AG_APIKEY_SHA256_LEN, sha);
    return apr_psprintf(p, "%s:%s:%s:%s:%" APR_INT64_T_FMT ":%s:%s",
                        rec->id, sha, rec->user,
                        opt_time_format(rec->expires, p), rec->created,
                        opt_time_format(rec->revoked, p), rec->scopes);
}

ag_reason ag_apikey_check(const ag_apikey_record *rec, apr_int64_t now)
{
    if (rec == NULL)
        return AG_R_APIKEY_UNKNOWN;
    if (rec->revoked != 0)
        return AG_R_REVOKED;
    if (rec->expires != 0 && now >= rec->expires)
        return AG_R_APIKEY_EXPIRED;
    return AG_OK;
}

/* --- parsing ---------------------------------------------------------- */

/* Splits LINE (N bytes, NUL-terminated at N, writable) at its first
 * FIELDS - 1 colons into FIELDS fields (the last, the scopes, may hold
 * colons), NUL-terminating each; their lengths in LENS. */
static int split_fields(char *line, apr_size_t n, char *f[FIELDS],
                        apr_size_t lens[FIELDS])
{
    char *end = line + n, *s = line;
    int i;

    for (i = 0; i < FIELDS; i++) {
        char *colon = i == FIELDS - 1
                          ? end : memchr(s, ':', (apr_size_t)(end - s));

        if (colon == NULL)
            return 0;
        *colon = '\0';
        f[i] = s;
        lens[i] = (apr_size_t)(colon - s);
        s = colon + 1;
    }
    return 1;
}

/* Parses one record line (N bytes, NUL-terminated at N, writable) into
 * REC, whose strings then point into LINE; the problem, when there is
 * one. */
static const char *parse_record(char *line, apr_size_t n,
                                ag_apikey_record *rec)
{
    char *f[FIELDS];
    apr_size_t lens[FIELDS];

    if (!split_fields(line, n, f, lens))
        return "fewer than 7 fields separated by ':'";
    if (!id_valid_n(f[0], lens[0]))
        return "bad id (1 to 64 of A-Z a-z 0-9 . _ -)";
    if (!sha_parse_n(f[1], lens[1], rec->sha256))
        return "bad key hash (64 lower-case hex digits)";
    if (!user_valid_n(f[2], lens[2]))
        return "bad user";
    if (!opt_time_parse_n(f[3], lens[3], &rec->expires))
        return "bad expiry (Unix seconds or '-')";
    if (!time_parse_n(f[4], lens[4], &rec->created))
        return "bad creation time (Unix seconds)";
    if (!opt_time_parse_n(f[5], lens[5], &rec->revoked))
        return "bad revocation (Unix seconds or '-')";
    if (!scopes_valid_n(f[6], lens[6]))
        return "bad scopes";
    rec->id = f[0];
    rec->user = f[2];
    rec->scopes = f[6];
    return NULL;
}

static const ag_apikey_record *rec_at(const ag_apikey_store *s,
                                      apr_uint32_t unit)
{
    return (const ag_apikey_record *)(s->arena +
                                      (apr_size_t)(unit - 1) * REC_ALIGN);
}

/* Copies STR (N bytes) to *AT, NUL-terminated; what it is there. */
static const char *place_string(char **at, const char *str, apr_size_t n)
{
    char *out = *at;

    memcpy(out, str, n);
    out[n] = '\0';
    *at = out + n + 1;
    return out;
}

/* Copies REC and its strings into the arena at *POS, in units of
 * REC_ALIGN; returns the record's unit. */
static apr_uint32_t place_record(ag_apikey_store *s, apr_size_t *pos,
                                 const ag_apikey_record *rec)
{
    ag_apikey_record *out = (ag_apikey_record *)(s->arena + *pos);
    char *at = (char *)(out + 1);
    apr_uint32_t unit = (apr_uint32_t)(*pos / REC_ALIGN) + 1;

    *out = *rec;
    out->id = place_string(&at, rec->id, strlen(rec->id));
    out->user = place_string(&at, rec->user, strlen(rec->user));
    out->scopes = place_string(&at, rec->scopes, strlen(rec->scopes));
    *pos = APR_ALIGN((apr_size_t)(at - s->arena), REC_ALIGN);
    return unit;
}

static int blank(const char *s, apr_size_t n)
{
    apr_size_t i;

    for (i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t')
            return 0;
    return 1;
}

/* SHA-256 output is uniform: its bytes are a fine hash as they are. */
static apr_uint32_t be32(const unsigned char *b)
{
    return (apr_uint32_t)b[0] << 24 | (apr_uint32_t)b[1] << 16 |
           (apr_uint32_t)b[2] << 8 | b[3];
}

static apr_uint32_t slot_of(const unsigned char *sha, apr_uint32_t mask)
{
    return be32(sha) & mask;
}

static apr_uint32_t tag_of(const unsigned char *sha)
{
    return be32(sha + 4);
}

/* Builds the index; the 1-based position of a record whose hash another
 * record has already, or 0. */
static int index_build(ag_apikey_store *s, apr_pool_t *p)
{
    apr_uint32_t size = 16;
    int i;

    while (size < (apr_uint32_t)s->count * 2)
        size <<= 1;
    s->slots = ag_hugemem_alloc(p, size * sizeof(*s->slots));
    s->mask = size - 1;
    for (i = 0; i < s->count; i++) {
        const unsigned char *sha = rec_at(s, s->order[i])->sha256;
        apr_uint32_t j = slot_of(sha, s->mask);

        for (; s->slots[j].unit != 0; j = (j + 1) & s->mask)
            if (memcmp(rec_at(s, s->slots[j].unit)->sha256, sha,
                       AG_APIKEY_SHA256_LEN) == 0)
                return i + 1;
        s->slots[j].tag = tag_of(sha);
        s->slots[j].unit = s->order[i];
    }
    return 0;
}

/* The shortest record line: a one-character id, user and times, the
 * hash, six colons and no scopes. */
#define MIN_RECORD_LINE (1 + 2 * AG_APIKEY_SHA256_LEN + 1 + 3 + 6)

/* Room for up to MAX_RECS records made from LEN bytes of lines: each
 * record, its strings (shorter than its line) and its padding. */
static apr_size_t arena_size(apr_size_t max_recs, apr_size_t len)
{
    return max_recs * (sizeof(ag_apikey_record) + REC_ALIGN) + len;
}

apr_status_t ag_apikey_parse(const char *data, apr_size_t len,
                             ag_apikey_store **out, const char **err,
                             apr_pool_t *p)
{
    ag_apikey_store *s = apr_pcalloc(p, sizeof(*s));
    apr_hash_t *ids = apr_hash_make(p);
    char line[AG_APIKEY_MAX_LINE + 1];
    const char *at = data, *end = data + len;
    apr_size_t max_recs, pos = 0;
    unsigned lineno = 0;
    int dup;

    if (len > AG_APIKEY_MAX_FILE) {
        *err = "file too large";
        return APR_EINVAL;
    }
    if ((*err = ag_file_nul_error(data, len, p)) != NULL)
        return APR_EINVAL;
    max_recs = len / MIN_RECORD_LINE + 1;
    s->arena = ag_hugemem_alloc(p, arena_size(max_recs, len) + REC_ALIGN);
    s->arena = (char *)APR_ALIGN((apr_uintptr_t)s->arena, REC_ALIGN);
    s->order = apr_palloc(p, max_recs * sizeof(*s->order));
    while (at < end) {
        const char *nl = memchr(at, '\n', (apr_size_t)(end - at));
        apr_size_t n = nl != NULL ? (apr_size_t)(nl - at)
                                  : (apr_size_t)(end - at);
        const char *next = at + n + (nl != NULL);
        const ag_apikey_record *placed;
        ag_apikey_record rec = {0};
        const char *why = NULL;

        lineno++;
        if (n > 0 && at[n - 1] == '\r')
            n--;
        if ((n > 0 && at[0] == '#') || blank(at, n)) {
            at = next;
            continue;
        }
        if (n > AG_APIKEY_MAX_LINE) {
            why = "line too long";
        }
        else {
            memcpy(line, at, n);
            line[n] = '\0';
            why = parse_record(line, n, &rec);
        }
        if (why == NULL && apr_hash_get(ids, rec.id, APR_HASH_KEY_STRING))
            why = "id already used on an earlier line";
        if (why != NULL) {
            *err = apr_psprintf(p, "line %u: %s", lineno, why);
            return APR_EINVAL;
        }
        rec.line = lineno;
        s->order[s->count] = place_record(s, &pos, &rec);
        placed = rec_at(s, s->order[s->count]);
        apr_hash_set(ids, placed->id, APR_HASH_KEY_STRING, placed);
        s->count++;
        at = next;
    }
    s->serial = apr_atomic_inc64(&last_serial) + 1;
    dup = index_build(s, p);
    if (dup != 0) {
        *err = apr_psprintf(p, "line %u: key hash already used on an "
                            "earlier line",
                            rec_at(s, s->order[dup - 1])->line);
        return APR_EINVAL;
    }
    *out = s;
    return APR_SUCCESS;
}

apr_status_t ag_apikey_parse_reload(const char *data, apr_size_t len,
                                    void *baton, void **out,
                                    const char **err, apr_pool_t *p)
{
    ag_apikey_store *s;
    apr_status_t rv = ag_apikey_parse(data, len, &s, err, p);

    if (rv == APR_SUCCESS)
        *out = s;
    return rv;
}

/* --- lookups ---------------------------------------------------------- */

const ag_apikey_record *ag_apikey_find_hash(
    const ag_apikey_store *s, const unsigned char sha256[AG_APIKEY_SHA256_LEN])
{
    apr_uint32_t j = slot_of(sha256, s->mask), tag = tag_of(sha256);

    for (; s->slots[j].unit != 0; j = (j + 1) & s->mask) {
        const ag_apikey_record *rec;

        if (s->slots[j].tag != tag)
            continue;
        rec = rec_at(s, s->slots[j].unit);
        /* the strings after the record are read next: fetched while
         * the hash is compared, not after */
        ag_prefetch((const char *)rec + REC_ALIGN);
        if (ag_same_bytes(rec->sha256, sha256, AG_APIKEY_SHA256_LEN))
            return rec;
    }
    return NULL;
}

const ag_apikey_record *ag_apikey_find(const ag_apikey_store *s,
                                       const char *key, apr_size_t len)
{
    unsigned char sha[AG_APIKEY_SHA256_LEN];

    ag_apikey_hash(key, len, sha);
    return ag_apikey_find_hash(s, sha);
}

const ag_apikey_record *ag_apikey_find_id(const ag_apikey_store *s,
                                          const char *id)
{
    int i;

    for (i = 0; i < s->count; i++)
        if (strcmp(rec_at(s, s->order[i])->id, id) == 0)
            return rec_at(s, s->order[i]);
    return NULL;
}

apr_uint64_t ag_apikey_store_serial(const ag_apikey_store *s)
{
    return s->serial;
}

int ag_apikey_count(const ag_apikey_store *s)
{
    return s->count;
}

const ag_apikey_record *ag_apikey_at(const ag_apikey_store *s, int i)
{
    return i >= 0 && i < s->count ? rec_at(s, s->order[i]) : NULL;
}

/* --- times ------------------------------------------------------------ */

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil). */
static apr_int64_t days_from_civil(apr_int64_t y, apr_int64_t m,
                                   apr_int64_t d)
{
    apr_int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(apr_int64_t z, apr_int64_t *y, unsigned *m,
                            unsigned *d)
{
    apr_int64_t era, doe, yoe, doy, mp;

    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

static unsigned days_in_month(apr_int64_t y, unsigned m)
{
    static const unsigned days[] = {31, 28, 31, 30, 31, 30,
                                    31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return m == 2 && leap ? 29 : days[m - 1];
}

/* N decimal digits at S into *V. */
static int digits(const char *s, int n, unsigned *v)
{
    int i;

    *v = 0;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return 0;
        *v = *v * 10 + (unsigned)(s[i] - '0');
    }
    return 1;
}

apr_status_t ag_apikey_expiry_parse(const char *spec, apr_int64_t now,
                                    apr_int64_t *out)
{
    apr_size_t n = strlen(spec);
    unsigned y, mo, d, h = 0, mi = 0, sec = 0;

    if (n >= 3 && n <= 7 && spec[0] == '+' && spec[n - 1] == 'd') {
        unsigned days;

        if (!digits(spec + 1, (int)n - 2, &days) || days == 0 ||
            days > 36500)
            return APR_EINVAL;
        *out = now + (apr_int64_t)days * 86400;
        return APR_SUCCESS;
    }
    if (n != 10 && n != 20)
        return APR_EINVAL;
    if (!digits(spec, 4, &y) || spec[4] != '-' || !digits(spec + 5, 2, &mo) ||
        spec[7] != '-' || !digits(spec + 8, 2, &d))
        return APR_EINVAL;
    if (n == 20 &&
        (spec[10] != 'T' || !digits(spec + 11, 2, &h) || spec[13] != ':' ||
         !digits(spec + 14, 2, &mi) || spec[16] != ':' ||
         !digits(spec + 17, 2, &sec) || spec[19] != 'Z'))
        return APR_EINVAL;
    if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) ||
        h > 23 || mi > 59 || sec > 59)
        return APR_EINVAL;
    *out = days_from_civil(y, mo, d) * 86400 + (apr_int64_t)h * 3600 +
           (apr_int64_t)mi * 60 + sec;
    return APR_SUCCESS;
}

const char *ag_apikey_time_format(apr_int64_t t, apr_pool_t *p)
{
    apr_int64_t days = t >= 0 ? t / 86400 : (t - 86399) / 86400;
    apr_int64_t rem = t - days * 86400, y;
    unsigned m, d;

    civil_from_days(days, &y, &m, &d);
    return apr_psprintf(p, "%04" APR_INT64_T_FMT "-%02u-%02uT%02u:%02u:%02uZ",
                        y, m, d, (unsigned)(rem / 3600),
                        (unsigned)(rem % 3600 / 60), (unsigned)(rem % 60));
}
