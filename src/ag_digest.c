#include <string.h>
#include <strings.h>

#include <apr_lib.h>
#include <apr_strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ag_challenge.h"
#include "ag_digest.h"
#include "ag_hash.h"

static const struct {
    const char *name;
    apr_size_t len;
    ag_digest_hash hash;
    int sess;
} algs[AG_DIGEST__COUNT] = {
#define ALG(name, hash, sess) {name, sizeof(name) - 1, hash, sess}
    [AG_DIGEST_MD5] = ALG("MD5", AG_DIGEST_HASH_MD5, 0),
    [AG_DIGEST_MD5_SESS] = ALG("MD5-sess", AG_DIGEST_HASH_MD5, 1),
    [AG_DIGEST_SHA256] = ALG("SHA-256", AG_DIGEST_HASH_SHA256, 0),
    [AG_DIGEST_SHA256_SESS] = ALG("SHA-256-sess", AG_DIGEST_HASH_SHA256, 1),
    [AG_DIGEST_SHA512_256] = ALG("SHA-512-256", AG_DIGEST_HASH_SHA512_256,
                                 0),
    [AG_DIGEST_SHA512_256_SESS] = ALG("SHA-512-256-sess",
                                      AG_DIGEST_HASH_SHA512_256, 1),
#undef ALG
};

static const char *const hash_names[AG_DIGEST_HASH__COUNT] = {
    "MD5", "SHA-256", "SHA-512-256"
};

ag_digest_alg ag_digest_alg_lookup(const char *name)
{
    apr_size_t len = strlen(name);
    int i;

    /* the lengths rule out all names but one without a call */
    for (i = 0; i < AG_DIGEST__COUNT; i++)
        if (len == algs[i].len && strcasecmp(name, algs[i].name) == 0)
            return (ag_digest_alg)i;
    return AG_DIGEST_NONE;
}

const char *ag_digest_alg_name(ag_digest_alg alg)
{
    return alg >= 0 && alg < AG_DIGEST__COUNT ? algs[alg].name : "unknown";
}

ag_digest_hash ag_digest_alg_hash(ag_digest_alg alg)
{
    return alg >= 0 && alg < AG_DIGEST__COUNT ? algs[alg].hash
                                              : AG_DIGEST_HASH_MD5;
}

int ag_digest_alg_is_sess(ag_digest_alg alg)
{
    return alg >= 0 && alg < AG_DIGEST__COUNT && algs[alg].sess;
}

const char *ag_digest_hash_name(ag_digest_hash hash)
{
    return hash >= 0 && hash < AG_DIGEST_HASH__COUNT ? hash_names[hash]
                                                     : "unknown";
}

apr_size_t ag_digest_hash_hexlen(ag_digest_hash hash)
{
    return hash == AG_DIGEST_HASH_MD5 ? 32 : 64;
}

const char *ag_digest_qop_name(ag_digest_qop qop)
{
    return qop == AG_DIGEST_QOP_AUTH_INT ? "auth-int" : "auth";
}

ag_digest_qop ag_digest_qop_lookup(const char *name)
{
    if (strcasecmp(name, "auth") == 0)
        return AG_DIGEST_QOP_AUTH;
    if (strcasecmp(name, "auth-int") == 0)
        return AG_DIGEST_QOP_AUTH_INT;
    return 0;
}

ag_md ag_digest_md(ag_digest_hash hash)
{
    switch (hash) {
    case AG_DIGEST_HASH_SHA256:
        return AG_MD_SHA256;
    case AG_DIGEST_HASH_SHA512_256:
        return AG_MD_SHA512_256;
    default:
        return AG_MD_MD5;
    }
}

/* The PARTS joined with ':' into BUF (of SIZE bytes): their length, or 0
 * when they do not fit, with what was copied erased (the first part may
 * be an HA1). */
static apr_size_t join_parts(const char *const *parts, int n, char *buf,
                             apr_size_t size)
{
    apr_size_t used = 0, len;
    int i;

    for (i = 0; i < n; i++) {
        len = strlen(parts[i]);
        if (len + 1 > size - used) {
            OPENSSL_cleanse(buf, used);
            return 0;
        }
        if (i > 0)
            buf[used++] = ':';
        memcpy(buf + used, parts[i], len);
        used += len;
    }
    return used;
}

/* Most joins (an HA1, a nonce, a short URI) fit here and cost one update;
 * longer ones are hashed part by part. */
#define JOIN_BUF 512

/* HASH's lower-case hex of the LEN bytes MD into OUT; without them (LEN
 * 0: libcrypto failed), as many 'x', which match no response. */
static void hex_or_unmatchable(ag_digest_hash hash, const unsigned char *md,
                               unsigned int len, char *out)
{
    if (len == 0) {
        memset(out, 'x', ag_digest_hash_hexlen(hash));
        out[ag_digest_hash_hexlen(hash)] = '\0';
        return;
    }
    ag_hex_encode(md, len, out);
}

/* HASH's hex of what CTX hashed into OUT, finishing CTX (as many 'x'
 * when libcrypto failed). */
static void final_hex(ag_hash_ctx *ctx, ag_digest_hash hash, char *out)
{
    unsigned char md[EVP_MAX_MD_SIZE];

    hex_or_unmatchable(hash, md, ag_hash_final(ctx, md), out);
}

/* PARTS[0] ":" PARTS[1] ":" ... into CTX: joined here and added in one
 * update (the copy erased after, as it may hold an HA1), or part by part
 * when they do not fit. */
static void absorb_joined(ag_hash_ctx *ctx, const char *const *parts, int n)
{
    char joined[JOIN_BUF];
    apr_size_t used = join_parts(parts, n, joined, sizeof(joined));
    int i;

    if (used > 0) {
        ag_hash_update(ctx, joined, used);
        OPENSSL_cleanse(joined, used);
        return;
    }
    for (i = 0; i < n; i++) {
        if (i > 0)
            ag_hash_update(ctx, ":", 1);
        ag_hash_update(ctx, parts[i], strlen(parts[i]));
    }
}

/* hex(H(PARTS[0] ":" PARTS[1] ":" ...)) into OUT. */
static void hash_joined(ag_digest_hash hash, const char *const *parts,
                        int n, char *out)
{
    ag_hash_ctx ctx;

    if (!ag_hash_init(&ctx, ag_digest_md(hash))) {
        hex_or_unmatchable(hash, NULL, 0, out);
        return;
    }
    absorb_joined(&ctx, parts, n);
    final_hex(&ctx, hash, out);
}

void ag_digest_hex(ag_digest_hash hash, const void *data, apr_size_t len,
                   char *out)
{
    ag_hash_ctx ctx;

    if (!ag_hash_init(&ctx, ag_digest_md(hash))) {
        hex_or_unmatchable(hash, NULL, 0, out);
        return;
    }
    ag_hash_update(&ctx, data, len);
    final_hex(&ctx, hash, out);
}

void ag_digest_ha1(ag_digest_hash hash, const char *user, const char *realm,
                   const char *password, char *out)
{
    const char *parts[3] = {user, realm, password};

    hash_joined(hash, parts, 3, out);
}

void ag_digest_userhash(ag_digest_hash hash, const char *user,
                        const char *realm, char *out)
{
    const char *parts[2] = {user, realm};

    hash_joined(hash, parts, 2, out);
}


/* How many of the first LEN octets at S are known to be hex digits of
 * either case: with SSE2, the runs of sixteen from the start up to the
 * first run that holds an octet that is not (a digit is '0'..'9' as sent,
 * a letter 'a'..'f' once its 0x20 bit is set; octets from 0x80 up,
 * negative when compared as signed, are neither); without it, none. */
static apr_size_t hex_span16(const char *s, apr_size_t len)
{
    apr_size_t i = 0;

#ifdef __SSE2__
    const __m128i below0 = _mm_set1_epi8('0' - 1);
    const __m128i above9 = _mm_set1_epi8('9' + 1);
    const __m128i belowa = _mm_set1_epi8('a' - 1);
    const __m128i abovef = _mm_set1_epi8('f' + 1);
    const __m128i case_bit = _mm_set1_epi8(0x20);

    for (; len - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        __m128i l = _mm_or_si128(v, case_bit);
        __m128i digit = _mm_and_si128(_mm_cmpgt_epi8(v, below0),
                                      _mm_cmplt_epi8(v, above9));
        __m128i letter = _mm_and_si128(_mm_cmpgt_epi8(l, belowa),
                                       _mm_cmplt_epi8(l, abovef));

        if (_mm_movemask_epi8(_mm_or_si128(digit, letter)) != 0xffff)
            break;
    }
#else
    (void)s;
    (void)len;
#endif
    return i;
}

int ag_digest_is_hex(const char *hex, apr_size_t len)
{
    unsigned bad = 0;
    apr_size_t i;

    /* the length first: a shorter string is never read past its end */
    if (strnlen(hex, len + 1) != len)
        return 0;
    /* what the sixteen-wide scan did not pass is checked here, whatever
     * stopped it */
    i = hex_span16(hex, len);
    /* eight at a time, as a hash's digits come in multiples of eight */
    for (; i + 8 <= len; i += 8) {
        const unsigned char *h = (const unsigned char *)hex + i;

        bad |= ag_hex_digit[h[0]] | ag_hex_digit[h[1]] | ag_hex_digit[h[2]] |
               ag_hex_digit[h[3]] | ag_hex_digit[h[4]] | ag_hex_digit[h[5]] |
               ag_hex_digit[h[6]] | ag_hex_digit[h[7]];
    }
    for (; i < len; i++)
        bad |= ag_hex_digit[(unsigned char)hex[i]];
    return (bad & 0xf0) == 0;
}

struct ag_digest_ctx {
    ag_hash_ctx md;
    ag_digest_hash hash;
};

static apr_status_t ctx_cleanup(void *data)
{
    ag_digest_ctx *ctx = data;

    ag_hash_discard(&ctx->md);
    return APR_SUCCESS;
}

apr_status_t ag_digest_ctx_make(ag_digest_hash hash, ag_digest_ctx **out,
                                apr_pool_t *p)
{
    ag_digest_ctx *ctx = apr_pcalloc(p, sizeof(*ctx));

    ctx->hash = hash;
    if (!ag_hash_init(&ctx->md, ag_digest_md(hash)))
        return APR_EGENERAL;
    apr_pool_cleanup_register(p, ctx, ctx_cleanup, apr_pool_cleanup_null);
    *out = ctx;
    return APR_SUCCESS;
}

void ag_digest_ctx_update(ag_digest_ctx *ctx, const void *data,
                          apr_size_t len)
{
    ag_hash_update(&ctx->md, data, len);
}

void ag_digest_ctx_final(ag_digest_ctx *ctx, char *out)
{
    final_hex(&ctx->md, ctx->hash, out);
}

/* --- the response's parameters ------------------------------------------ */

static int hex_value(char c)
{
    return ag_hex_digit[(unsigned char)c] & 0x0f;
}

/* RFC 8187 attr-char. */
static int is_attr_char(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9'))
        return 1;
    return c != '\0' && strchr("!#$&+-.^_`|~", c) != NULL;
}

/* 1 when S (LEN octets) is well-formed UTF-8 (RFC 3629 §4): no overlong
 * form, no surrogate, nothing above U+10FFFF. */
static int utf8_valid(const unsigned char *s, apr_size_t len)
{
    apr_size_t i = 0;

    while (i < len) {
        unsigned char c = s[i];
        unsigned char lo = 0x80, hi = 0xbf;
        apr_size_t n, k;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xc2 && c <= 0xdf)
            n = 1;
        else if (c >= 0xe0 && c <= 0xef) {
            n = 2;
            if (c == 0xe0)
                lo = 0xa0;          /* overlong */
            else if (c == 0xed)
                hi = 0x9f;          /* surrogates */
        }
        else if (c >= 0xf0 && c <= 0xf4) {
            n = 3;
            if (c == 0xf0)
                lo = 0x90;          /* overlong */
            else if (c == 0xf4)
                hi = 0x8f;          /* above U+10FFFF */
        }
        else
            return 0;
        if (len - i - 1 < n || s[i + 1] < lo || s[i + 1] > hi)
            return 0;
        for (k = 2; k <= n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xbf)
                return 0;
        i += n + 1;
    }
    return 1;
}

/* RFC 8187 ext-value, of which only UTF-8 is accepted:
 *   ext-value = charset "'" [ language ] "'" value-chars
 * The decoded value is well-formed UTF-8 and holds no control
 * characters. */
static apr_status_t decode_ext_value(const char *in, const char **out,
                                     apr_pool_t *p)
{
    const char *s = in, *q;
    char *o, *res;

    if (strncasecmp(s, "UTF-8'", 6) != 0)
        return APR_EINVAL;
    q = strchr(s + 6, '\'');
    if (q == NULL)
        return APR_EINVAL;
    for (s += 6; s < q; s++)      /* language: ALPHA / DIGIT / "-" */
        if (!apr_isalnum(*s) && *s != '-')
            return APR_EINVAL;
    res = o = apr_palloc(p, strlen(q + 1) + 1);
    for (s = q + 1; *s != '\0'; s++) {
        unsigned char c;

        if (*s == '%') {
            /* s[1] is at worst the NUL, which is no hex digit */
            if (ag_hex_digit[(unsigned char)s[1]] > 15 ||
                ag_hex_digit[(unsigned char)s[2]] > 15)
                return APR_EINVAL;
            c = (unsigned char)(hex_value(s[1]) << 4 | hex_value(s[2]));
            s += 2;
        }
        else if (is_attr_char((unsigned char)*s))
            c = (unsigned char)*s;
        else
            return APR_EINVAL;
        if (c < 0x20 || c == 0x7f)
            return APR_EINVAL;
        *o++ = (char)c;
    }
    *o = '\0';
    if (o == res || !utf8_valid((const unsigned char *)res,
                                (apr_size_t)(o - res)))
        return APR_EINVAL;
    *out = res;
    return APR_SUCCESS;
}

/* The parameters of a response that this parser reads, found in one pass
 * over what was sent (NULL for those not sent). */
typedef struct {
    const ag_auth_param *username, *username_ext, *realm, *nonce, *uri;
    const ag_auth_param *cnonce, *nc, *response, *opaque, *userhash;
    const ag_auth_param *algorithm, *qop;
} digest_params;

/* 1 when NAME (LEN octets of a token) is LOWER (as many lower-case
 * letters and '*'), case aside.  Of a token's octets, only a letter in
 * either case has c | 0x20 equal to that letter in lower case, and only
 * '*' itself has it equal to '*' (the other, LF, is no token octet). */
static int name_is(const char *name, const char *lower, apr_size_t len)
{
    apr_size_t i;

    for (i = 0; i < len; i++)
        if ((name[i] | 0x20) != lower[i])
            return 0;
    return 1;
}

/* Where in DP the parameter named NAME (LEN octets, any case) goes, or
 * NULL for a name not read here. */
static const ag_auth_param **param_slot(digest_params *dp, const char *name,
                                        apr_size_t len)
{
#define IS(lower) name_is(name, lower, len)
    switch (len) {
    case 2:
        return IS("nc") ? &dp->nc : NULL;
    case 3:
        return IS("uri") ? &dp->uri : IS("qop") ? &dp->qop : NULL;
    case 5:
        return IS("realm") ? &dp->realm : IS("nonce") ? &dp->nonce : NULL;
    case 6:
        return IS("cnonce") ? &dp->cnonce
             : IS("opaque") ? &dp->opaque : NULL;
    case 8:
        return IS("username") ? &dp->username
             : IS("response") ? &dp->response
             : IS("userhash") ? &dp->userhash : NULL;
    case 9:
        return IS("username*") ? &dp->username_ext
             : IS("algorithm") ? &dp->algorithm : NULL;
    default:
        return NULL;
    }
#undef IS
}

/* ag_header_parse refused names given twice, so each is found once;
 * names not known here are ignored, as RFC 7616 §3.4 asks. */
static void collect_params(const ag_credentials *cred, digest_params *out)
{
    int i;

    memset(out, 0, sizeof(*out));
    for (i = 0; i < cred->params->nelts; i++) {
        const ag_auth_param *param =
            &APR_ARRAY_IDX(cred->params, i, ag_auth_param);
        const ag_auth_param **slot =
            param_slot(out, param->name, param->name_len);

        if (slot != NULL)
            *slot = param;
    }
}

/* The value of PARAM, or NULL when it was not sent. */
static const char *value_of(const ag_auth_param *param)
{
    return param != NULL ? param->value : NULL;
}

/* PARAM as a required string parameter, bounded by MAX, into *OUT. */
static apr_status_t need(const ag_auth_param *param, apr_size_t max,
                         const char **out, const char **why,
                         const char *missing, const char *too_long)
{
    if (param == NULL || param->value_len == 0) {
        *why = missing;
        return APR_EINVAL;
    }
    if (param->value_len > max) {
        *why = too_long;
        return APR_EINVAL;
    }
    *out = param->value;
    return APR_SUCCESS;
}

static apr_status_t read_username(const digest_params *dp,
                                  ag_digest_request *req, const char **why,
                                  apr_pool_t *p)
{
    const char *ext = value_of(dp->username_ext);

    if (dp->username != NULL && ext != NULL) {
        *why = "both username and username*";
        return APR_EINVAL;
    }
    if (ext != NULL) {
        if (req->userhash) {
            *why = "username* with userhash";
            return APR_EINVAL;
        }
        if (dp->username_ext->quoted ||
            dp->username_ext->value_len > 3 * AG_DIGEST_FIELD_MAX ||
            decode_ext_value(ext, &req->username, p) != APR_SUCCESS ||
            strlen(req->username) > AG_DIGEST_FIELD_MAX) {
            *why = "bad username*";
            return APR_EINVAL;
        }
        req->username_ext = 1;
        return APR_SUCCESS;
    }
    return need(dp->username, AG_DIGEST_FIELD_MAX, &req->username, why,
                "no username", "username too long");
}

static apr_status_t read_nc(const ag_auth_param *param,
                            ag_digest_request *req, const char **why)
{
    const char *nc = value_of(param);
    apr_uint32_t v = 0;
    int i;

    if (nc == NULL || param->value_len != 8 || !ag_digest_is_hex(nc, 8)) {
        *why = nc == NULL ? "no nc" : "nc is not 8 hex digits";
        return APR_EINVAL;
    }
    for (i = 0; i < 8; i++)
        v = v << 4 | (apr_uint32_t)hex_value(nc[i]);
    if (v == 0) {
        *why = "nc is zero";
        return APR_EINVAL;
    }
    req->nc_text = nc;
    req->nc = v;
    return APR_SUCCESS;
}

static apr_status_t read_response(const ag_auth_param *param,
                                  ag_digest_request *req, const char **why,
                                  apr_pool_t *p)
{
    apr_size_t len;
    char *lower;

    if (param == NULL || param->value_len == 0) {
        *why = "no response";
        return APR_EINVAL;
    }
    len = param->value_len;
    if (len > 2 * AG_DIGEST_HEX_MAX || !ag_digest_is_hex(param->value, len)) {
        *why = "response is not a hex hash";
        return APR_EINVAL;
    }
    lower = apr_palloc(p, len + 1);
    ag_hex_lower(param->value, len, lower);
    req->response = lower;
    return APR_SUCCESS;
}

static apr_status_t read_flags(const digest_params *dp,
                               ag_digest_request *req, const char **why)
{
    const char *v;

    v = value_of(dp->userhash);
    if (v != NULL) {
        if (strcasecmp(v, "true") == 0)
            req->userhash = 1;
        else if (strcasecmp(v, "false") != 0) {
            *why = "userhash is neither true nor false";
            return APR_EINVAL;
        }
    }
    v = value_of(dp->algorithm);
    req->alg = AG_DIGEST_MD5;
    if (v != NULL) {
        if (dp->algorithm->value_len > 64) {
            *why = "algorithm too long";
            return APR_EINVAL;
        }
        req->alg_name = v;
        req->alg = ag_digest_alg_lookup(v);
    }
    v = value_of(dp->qop);
    if (v == NULL) {
        /* RFC 7616 §3.4: the server always offers qop, so a response
         * without one answers some other challenge (RFC 2069). */
        *why = "no qop";
        return APR_EINVAL;
    }
    req->qop = ag_digest_qop_lookup(v);
    req->qop_text = v;
    if (req->qop == 0) {
        *why = "unknown qop";
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

apr_status_t ag_digest_request_parse(const ag_credentials *cred,
                                     ag_digest_request **out,
                                     const char **why, apr_pool_t *p)
{
    ag_digest_request *req = apr_pcalloc(p, sizeof(*req));
    digest_params dp;
    const char *dummy;

    if (why == NULL)
        why = &dummy;
    *why = NULL;
    if (cred->token68 != NULL) {
        *why = "token68 instead of parameters";
        return APR_EINVAL;
    }
    collect_params(cred, &dp);
    if (read_flags(&dp, req, why) != APR_SUCCESS ||
        read_username(&dp, req, why, p) != APR_SUCCESS ||
        need(dp.realm, AG_DIGEST_FIELD_MAX, &req->realm, why,
             "no realm", "realm too long") != APR_SUCCESS ||
        need(dp.nonce, AG_DIGEST_FIELD_MAX, &req->nonce, why,
             "no nonce", "nonce too long") != APR_SUCCESS ||
        need(dp.uri, AG_DIGEST_URI_MAX, &req->uri, why,
             "no uri", "uri too long") != APR_SUCCESS ||
        need(dp.cnonce, AG_DIGEST_FIELD_MAX, &req->cnonce, why,
             "no cnonce", "cnonce too long") != APR_SUCCESS ||
        read_nc(dp.nc, req, why) != APR_SUCCESS ||
        read_response(dp.response, req, why, p) != APR_SUCCESS)
        return APR_EINVAL;
    req->opaque = value_of(dp.opaque);
    if (req->opaque != NULL && dp.opaque->value_len > AG_DIGEST_FIELD_MAX) {
        *why = "opaque too long";
        return APR_EINVAL;
    }
    *out = req;
    return APR_SUCCESS;
}

/* --- the hashes of a response -------------------------------------------- */

/* HA1 as the response hashes it, into OUT: lower-cased and, for a -sess
 * algorithm, H(HA1 ":" nonce ":" cnonce). */
static void session_ha1(const ag_digest_request *req,
                        ag_digest_hash hash, const char *ha1, char *out)
{
    apr_size_t hexlen = ag_digest_hash_hexlen(hash);

    ag_hex_lower(ha1, hexlen, out);
    if (ag_digest_alg_is_sess(req->alg)) {
        char lower[AG_DIGEST_HEX_MAX + 1];
        const char *sess[3];

        memcpy(lower, out, hexlen + 1);
        sess[0] = lower;
        sess[1] = req->nonce;
        sess[2] = req->cnonce;
        hash_joined(hash, sess, 3, out);
        OPENSSL_cleanse(lower, hexlen + 1);
    }
}

/* HA2 = hex(H(METHOD ":" uri [":" BODY_HASH])) into OUT. */
static void request_ha2(const ag_digest_request *req, ag_digest_hash hash,
                        const char *method, const char *body_hash, char *out)
{
    const char *a2[3];

    a2[0] = method;
    a2[1] = req->uri;
    a2[2] = body_hash;
    hash_joined(hash, a2, req->qop == AG_DIGEST_QOP_AUTH_INT ? 3 : 2, out);
}

/* CTX, initialised, after HA1 ":" nonce ":" nc ":" cnonce ":" qop ":":
 * what the response and rspauth have in common, hashed once for both. */
static void absorb_kd_prefix(ag_hash_ctx *ctx, const ag_digest_request *req,
                             const char *ha1)
{
    const char *kd[6];

    kd[0] = ha1;
    kd[1] = req->nonce;
    kd[2] = req->nc_text;
    kd[3] = req->cnonce;
    kd[4] = req->qop_text;
    kd[5] = "";     /* for the ':' after qop */
    absorb_joined(ctx, kd, 6);
}

/* hex(H(prefix HA2)) into OUT, finishing CTX (absorb_kd_prefix()'s). */
static void finish_kd(ag_hash_ctx *ctx, ag_digest_hash hash, const char *ha2,
                      char *out)
{
    ag_hash_update(ctx, ha2, strlen(ha2));
    final_hex(ctx, hash, out);
}

/* The hashes of one exchange, from one preparation of HA1 and one hash of
 * the part of KD(HA1, ...) that the response and rspauth share: the
 * response for METHOD into RESPONSE; with MATCH (the response as sent),
 * whether the two agree, compared in constant time, and when they do and
 * RSPAUTH is not NULL, the rspauth (the same with an empty method) into
 * RSPAUTH.  1 when the response was computed and, with MATCH, agreed. */
static int exchange(const ag_digest_request *req, const char *ha1,
                    const char *method, const char *body_hash,
                    const char *match, char *response, char *rspauth)
{
    ag_digest_hash hash;
    apr_size_t hexlen;
    char key[AG_DIGEST_HEX_MAX + 1], ha2[AG_DIGEST_HEX_MAX + 1];
    ag_hash_ctx prefix, ctx;
    int good = 1;

    if (req->alg < 0 || req->alg >= AG_DIGEST__COUNT)
        return 0;
    hash = ag_digest_alg_hash(req->alg);
    hexlen = ag_digest_hash_hexlen(hash);
    if (ha1 == NULL || !ag_digest_is_hex(ha1, hexlen))
        return 0;
    if (req->qop == AG_DIGEST_QOP_AUTH_INT &&
        (body_hash == NULL || !ag_digest_is_hex(body_hash, hexlen)))
        return 0;
    session_ha1(req, hash, ha1, key);
    if (!ag_hash_init(&prefix, ag_digest_md(hash))) {
        OPENSSL_cleanse(key, hexlen + 1);
        /* as hash_joined() answers a failure: a response nothing matches */
        hex_or_unmatchable(hash, NULL, 0, response);
        return 0;
    }
    absorb_kd_prefix(&prefix, req, key);
    OPENSSL_cleanse(key, hexlen + 1);
    request_ha2(req, hash, method, body_hash, ha2);
    if (ag_hash_copy(&ctx, &prefix))
        finish_kd(&ctx, hash, ha2, response);
    else
        hex_or_unmatchable(hash, NULL, 0, response);
    /* The length is public (it follows from the algorithm); the digits
     * are compared in constant time. */
    if (match != NULL)
        good = strlen(match) == hexlen &&
               ag_same_bytes(response, match, hexlen);
    if (good && rspauth != NULL) {
        request_ha2(req, hash, "", body_hash, ha2);
        finish_kd(&prefix, hash, ha2, rspauth);
    }
    else
        ag_hash_discard(&prefix);
    return good;
}

apr_status_t ag_digest_compute(const ag_digest_request *req, const char *ha1,
                               const char *method, const char *body_hash,
                               char *out)
{
    return exchange(req, ha1, method, body_hash, NULL, out, NULL)
               ? APR_SUCCESS : APR_EINVAL;
}

int ag_digest_verify_rspauth(const ag_digest_request *req, const char *ha1,
                             const char *method, const char *body_hash,
                             char *rspauth)
{
    char want[AG_DIGEST_HEX_MAX + 1];
    int same;

    same = exchange(req, ha1, method, body_hash, req->response, want,
                    rspauth);
    OPENSSL_cleanse(want, sizeof(want));
    return same;
}

int ag_digest_verify(const ag_digest_request *req, const char *ha1,
                     const char *method, const char *body_hash)
{
    return ag_digest_verify_rspauth(req, ha1, method, body_hash, NULL);
}

/* --- Authentication-Info ------------------------------------------------ */

const char *ag_digest_auth_info(const ag_digest_request *req,
                                const char *rspauth, const char *nextnonce,
                                apr_pool_t *p)
{
    /* written as a challenge's parameters, quoted as they are; the
     * scheme is not part of the value */
    ag_challenge *info = ag_challenge_make("Digest", p);

    ag_challenge_add_quoted(info, "rspauth", rspauth);
    ag_challenge_add_quoted(info, "cnonce", req->cnonce);
    ag_challenge_add_token(info, "nc", req->nc_text);
    ag_challenge_add_token(info, "qop", ag_digest_qop_name(req->qop));
    if (nextnonce != NULL)
        ag_challenge_add_quoted(info, "nextnonce", nextnonce);
    return ag_challenge_render_params(info, p);
}
