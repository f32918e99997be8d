#include <pthread.h>
#include <string.h>

#include <apr_strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "ag_base64.h"
#include "ag_digest.h"
#include "ag_hash.h"
#include "ag_nonce.h"

#define ISSUED_LEN 8
#define RANDOM_LEN 12
#define MAC_LEN 16
#define RAW_LEN (ISSUED_LEN + RANDOM_LEN + MAC_LEN)

/* HMAC-SHA-256 (RFC 2104) with the key's pads hashed once: each MAC
 * then starts from a copy of those states.  (OpenSSL 3's one-shot HMAC()
 * looks the algorithms up at every call.) */
#define HMAC_BLOCK 64

struct ag_nonce_key {
    ag_hash_ctx inner;      /* SHA-256 state after key ^ ipad */
    ag_hash_ctx outer;      /* SHA-256 state after key ^ opad */
};

static apr_status_t key_cleanup(void *data)
{
    ag_nonce_key *k = data;

    ag_hash_discard(&k->inner);
    ag_hash_discard(&k->outer);
    return APR_SUCCESS;
}

/* The hash state after KEY (HMAC_BLOCK bytes) xor PAD, into CTX. */
static int absorb_pad(ag_hash_ctx *ctx, const unsigned char *key,
                      unsigned char pad)
{
    unsigned char block[HMAC_BLOCK];
    int i;

    if (!ag_hash_init(ctx, AG_MD_SHA256))
        return 0;
    for (i = 0; i < HMAC_BLOCK; i++)
        block[i] = key[i] ^ pad;
    ag_hash_update(ctx, block, HMAC_BLOCK);
    OPENSSL_cleanse(block, sizeof(block));
    return !ctx->failed;
}

static ag_nonce_key *key_prepare(const unsigned char *bytes, apr_size_t len,
                                 apr_pool_t *p)
{
    unsigned char key[HMAC_BLOCK] = {0};
    ag_nonce_key *k = apr_pcalloc(p, sizeof(*k));
    int good;

    /* from here on the pool lets go of whatever the pads came to hold */
    apr_pool_cleanup_register(p, k, key_cleanup, apr_pool_cleanup_null);
    if (len > HMAC_BLOCK)
        good = ag_sha256(bytes, len, key);
    else {
        memcpy(key, bytes, len);
        good = 1;
    }
    good = good && absorb_pad(&k->inner, key, 0x36) &&
           absorb_pad(&k->outer, key, 0x5c);
    OPENSSL_cleanse(key, sizeof(key));
    return good ? k : NULL;
}

/* HMAC-SHA-256(secret, LABEL 0x00 REALM 0x00 DATA) into MAC (32 bytes). */
static apr_status_t mac_of(const ag_nonce_secret *secret, const char *label,
                           const char *realm, const unsigned char *data,
                           apr_size_t len, unsigned char *mac)
{
    unsigned char inner[EVP_MAX_MD_SIZE];
    unsigned int n;
    ag_hash_ctx ctx;

    if (secret->key == NULL || !ag_hash_copy(&ctx, &secret->key->inner))
        return APR_EGENERAL;
    ag_hash_update(&ctx, label, strlen(label) + 1);
    ag_hash_update(&ctx, realm, strlen(realm) + 1);
    if (len > 0)
        ag_hash_update(&ctx, data, len);
    n = ag_hash_final(&ctx, inner);
    if (n == 0 || !ag_hash_copy(&ctx, &secret->key->outer))
        return APR_EGENERAL;
    ag_hash_update(&ctx, inner, n);
    n = ag_hash_final(&ctx, mac);
    OPENSSL_cleanse(inner, sizeof(inner));
    return n == AG_SHA256_LEN ? APR_SUCCESS : APR_EGENERAL;
}

/* The key prepared and the opaque made, once, when the secret is made. */
static apr_status_t secret_prepare(ag_nonce_secret *s, apr_pool_t *p)
{
    unsigned char mac[EVP_MAX_MD_SIZE];

    s->key = key_prepare(s->bytes, s->len, p);
    if (s->key == NULL ||
        mac_of(s, "authgate-opaque", "", NULL, 0, mac) != APR_SUCCESS)
        return APR_ENOMEM;
    s->opaque = ag_base64_encode(mac, 12, AG_BASE64URL, p);
    return APR_SUCCESS;
}

const char *ag_nonce_secret_from_text(const char *data, apr_size_t len,
                                      ag_nonce_secret *out, apr_pool_t *p)
{
    while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == '\r' ||
                       data[len - 1] == ' ' || data[len - 1] == '\t'))
        len--;
    if (len < AG_NONCE_SECRET_MIN)
        return "the secret is shorter than 32 bytes";
    if (len > AG_NONCE_SECRET_MAX)
        return "the secret is longer than 4096 bytes";
    if (ag_nonce_secret_from_bytes((const unsigned char *)data, len, out,
                                   p) != APR_SUCCESS)
        return "out of memory";
    return NULL;
}

apr_status_t ag_nonce_secret_from_bytes(const unsigned char *bytes,
                                        apr_size_t len, ag_nonce_secret *out,
                                        apr_pool_t *p)
{
    if (len < AG_NONCE_SECRET_MIN || len > AG_NONCE_SECRET_MAX)
        return APR_EINVAL;
    out->bytes = apr_pmemdup(p, bytes, len);
    out->len = len;
    return secret_prepare(out, p);
}

apr_status_t ag_nonce_secret_draw(unsigned char *buf)
{
    return RAND_bytes(buf, AG_NONCE_SECRET_RANDOM_LEN) == 1 ? APR_SUCCESS
                                                           : APR_EGENERAL;
}

/* The random part of nonces.  A RAND_bytes() call costs about as much for
 * a few hundred bytes as for twelve (most of it is finding the DRBG), so
 * each thread draws a batch and hands it out a nonce's worth at a time.  A
 * forked child never hands out bytes its parent drew: fork moves the
 * generation on, and a batch of an older generation is drawn again. */
#define BATCH_NONCES 128

typedef struct {
    unsigned char bytes[BATCH_NONCES * RANDOM_LEN];
    unsigned taken;         /* nonces' worth handed out from BYTES */
    unsigned generation;    /* of the process that drew BYTES */
} random_batch;

static _Thread_local random_batch batch;
static volatile unsigned fork_generation = 1;
static pthread_once_t atfork_once = PTHREAD_ONCE_INIT;

static void after_fork(void)
{
    fork_generation++;
}

static void register_atfork(void)
{
    pthread_atfork(NULL, NULL, after_fork);
}

static int nonce_random(unsigned char out[RANDOM_LEN])
{
    random_batch *b = &batch;

    pthread_once(&atfork_once, register_atfork);
    if (b->generation != fork_generation || b->taken == BATCH_NONCES) {
        if (RAND_bytes(b->bytes, sizeof(b->bytes)) != 1)
            return 0;
        b->generation = fork_generation;
        b->taken = 0;
    }
    memcpy(out, b->bytes + b->taken * RANDOM_LEN, RANDOM_LEN);
    b->taken++;
    return 1;
}

apr_status_t ag_nonce_make(const ag_nonce_secret *secret, const char *realm,
                           apr_time_t now, const char **out, apr_pool_t *p)
{
    unsigned char raw[RAW_LEN], mac[EVP_MAX_MD_SIZE];
    apr_uint64_t issued = (apr_uint64_t)now;
    apr_status_t rv;
    int i;

    for (i = ISSUED_LEN - 1; i >= 0; i--) {
        raw[i] = (unsigned char)(issued & 0xff);
        issued >>= 8;
    }
    if (!nonce_random(raw + ISSUED_LEN))
        return APR_EGENERAL;
    rv = mac_of(secret, "authgate-nonce", realm, raw,
                ISSUED_LEN + RANDOM_LEN, mac);
    if (rv != APR_SUCCESS)
        return rv;
    memcpy(raw + ISSUED_LEN + RANDOM_LEN, mac, MAC_LEN);
    *out = ag_base64_encode(raw, RAW_LEN, AG_BASE64URL, p);
    return APR_SUCCESS;
}

apr_status_t ag_nonce_check(const ag_nonce_secret *secret, const char *realm,
                            const char *nonce, ag_nonce_info *info,
                            apr_pool_t *p)
{
    unsigned char mac[EVP_MAX_MD_SIZE], *raw;
    apr_size_t len;
    apr_uint64_t issued = 0;
    apr_status_t rv;
    int i;

    if (strlen(nonce) != AG_NONCE_TEXT_LEN ||
        ag_base64_decode(nonce, AG_NONCE_TEXT_LEN, AG_BASE64URL, &raw, &len,
                         p) != APR_SUCCESS || len != RAW_LEN)
        return APR_EINVAL;
    rv = mac_of(secret, "authgate-nonce", realm, raw,
                ISSUED_LEN + RANDOM_LEN, mac);
    if (rv != APR_SUCCESS)
        return rv;
    if (!ag_same_bytes(mac, raw + ISSUED_LEN + RANDOM_LEN, MAC_LEN))
        return APR_EINVAL;
    for (i = 0; i < ISSUED_LEN; i++)
        issued = issued << 8 | raw[i];
    info->issued = (apr_time_t)issued;
    memcpy(info->key, raw + ISSUED_LEN + RANDOM_LEN, AG_STORE_KEY_LEN);
    return APR_SUCCESS;
}

static int memo_holds(const ag_nonce_memo *m, const ag_nonce_secret *secret,
                      const char *realm, apr_size_t realm_len,
                      const char *nonce)
{
    return m->secret != NULL && m->secret == secret &&
           m->realm_len == realm_len &&
           memcmp(m->realm, realm, realm_len) == 0 &&
           strlen(nonce) == AG_NONCE_TEXT_LEN &&
           ag_same_bytes(m->nonce, nonce, AG_NONCE_TEXT_LEN);
}

apr_status_t ag_nonce_check_memo(ag_nonce_memo *memo,
                                 const ag_nonce_secret *secret,
                                 const char *realm, const char *nonce,
                                 ag_nonce_info *info, apr_pool_t *p)
{
    apr_size_t realm_len = strlen(realm);
    apr_status_t rv;

    if (memo != NULL && memo_holds(memo, secret, realm, realm_len, nonce)) {
        *info = memo->info;
        return APR_SUCCESS;
    }
    rv = ag_nonce_check(secret, realm, nonce, info, p);
    if (memo == NULL || rv != APR_SUCCESS ||
        realm_len > AG_NONCE_MEMO_REALM_MAX)
        return rv;
    memo->secret = secret;
    memcpy(memo->nonce, nonce, AG_NONCE_TEXT_LEN);
    memcpy(memo->realm, realm, realm_len);
    memo->realm_len = realm_len;
    memo->info = *info;
    return APR_SUCCESS;
}

apr_interval_time_t ag_nonce_time_left(const ag_nonce_info *info,
                                       apr_interval_time_t lifetime,
                                       apr_time_t now)
{
    return info->issued + lifetime - now;
}

const char *ag_nonce_opaque(const ag_nonce_secret *secret)
{
    return secret->opaque;
}

/* --- nonce-counts ----------------------------------------------------------- */

const char *ag_nc_verdict_name(ag_nc_verdict v)
{
    switch (v) {
    case AG_NC_ACCEPTED:
        return "accepted";
    case AG_NC_REPLAY:
        return "replay";
    case AG_NC_BELOW_WINDOW:
        return "below_window";
    default:
        return "unknown";
    }
}

/* Clears N (< AG_NONCE_WINDOW) bits of the ring SEEN from bit FROM on,
 * wrapping at its end: a word at a time. */
static void ring_clear(apr_uint64_t *seen, apr_uint32_t from, apr_uint32_t n)
{
    while (n > 0) {
        apr_uint32_t bit = from % 64, take = 64 - bit;
        apr_uint64_t mask;

        if (take > n)
            take = n;
        mask = take == 64 ? ~(apr_uint64_t)0
                          : (((apr_uint64_t)1 << take) - 1) << bit;
        seen[from / 64] &= ~mask;
        n -= take;
        from = (from + take) % AG_NONCE_WINDOW;
    }
}

ag_nc_verdict ag_nc_window_apply(ag_nc_window *w, apr_uint32_t nc)
{
    apr_uint32_t i = nc % AG_NONCE_WINDOW;
    apr_uint64_t bit = (apr_uint64_t)1 << (i % 64);

    if (nc > w->top) {
        /* the counts from top + 1 to nc take over the bits of counts
         * that fall out of the window */
        if (nc - w->top >= AG_NONCE_WINDOW)
            memset(w->seen, 0, sizeof(w->seen));
        else
            ring_clear(w->seen, (w->top + 1) % AG_NONCE_WINDOW,
                       nc - w->top);
        w->top = nc;
    }
    else if (w->top - nc >= AG_NONCE_WINDOW)
        return AG_NC_BELOW_WINDOW;
    else if (w->seen[i / 64] & bit)
        return AG_NC_REPLAY;
    w->seen[i / 64] |= bit;
    return AG_NC_ACCEPTED;
}

typedef struct {
    apr_time_t issued;
    apr_time_t expires;
    apr_uint32_t nc;
    ag_nc_verdict verdict;
} nc_use;

_Static_assert(sizeof(apr_uint32_t) + AG_NONCE_WINDOW_WORDS * 8 <=
                   AG_STORE_DATA_LEN,
               "a nonce-count window fits in a store record");

static void window_load(const ag_store_record *rec, ag_nc_window *w)
{
    memcpy(&w->top, rec->data, sizeof(w->top));
    memcpy(w->seen, rec->data + sizeof(w->top), sizeof(w->seen));
}

static void window_save(ag_store_record *rec, const ag_nc_window *w)
{
    memcpy(rec->data, &w->top, sizeof(w->top));
    memcpy(rec->data + sizeof(w->top), w->seen, sizeof(w->seen));
}

static ag_store_action count_update(ag_store_record *rec, int found,
                                    apr_time_t horizon, void *baton)
{
    nc_use *use = baton;
    ag_nc_window w = {0, {0}};

    if (found && rec->stamp == use->issued)
        window_load(rec, &w);
    else if (found || use->issued <= horizon) {
        /* A window lost (or, under a 2^-128 chance, another nonce's):
         * this nonce may have been used before, so it cannot be trusted
         * to be fresh. */
        use->verdict = AG_NC_UNKNOWN;
        return AG_STORE_KEEP;
    }
    else {
        rec->stamp = use->issued;
        rec->expires = use->expires;
    }
    use->verdict = ag_nc_window_apply(&w, use->nc);
    if (use->verdict != AG_NC_ACCEPTED)
        return AG_STORE_KEEP;
    window_save(rec, &w);
    return AG_STORE_PUT;
}

apr_status_t ag_nonce_count_use(ag_store *store, const ag_nonce_info *info,
                                apr_uint32_t nc, apr_time_t expires,
                                apr_time_t now, ag_nc_verdict *verdict)
{
    nc_use use;
    apr_status_t rv;

    use.issued = info->issued;
    use.expires = expires;
    use.nc = nc;
    use.verdict = AG_NC_UNKNOWN;
    rv = store->update(store, AG_STORE_KIND_NONCE, info->key, now,
                       count_update, &use);
    *verdict = use.verdict;
    return rv;
}
