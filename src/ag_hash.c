/* MD5_Init() and SHA256_Init() are deprecated in favour of EVP, whose
 * per-hash cost ag_hash_ctx exists to avoid: see ag_hash.h. */
#define OPENSSL_SUPPRESS_DEPRECATED

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/provider.h>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "ag_hash.h"

static const char *const md_names[AG_MD__COUNT] = {
    "MD5", "SHA2-256", "SHA2-384", "SHA2-512", "SHA2-512/256"
};

static CRYPTO_ONCE fetch_once = CRYPTO_ONCE_STATIC_INIT;
static EVP_MD *fetched[AG_MD__COUNT];
/* 1 where the fetched MD is the default provider's MD5 or SHA-256, whose
 * own functions ag_hash_ctx may call */
static int direct[AG_MD__COUNT];

#ifndef OPENSSL_NO_DEPRECATED_3_0
static int from_default_provider(const EVP_MD *md)
{
    const OSSL_PROVIDER *prov = EVP_MD_get0_provider(md);
    const char *name = prov != NULL ? OSSL_PROVIDER_get0_name(prov) : NULL;

    return name != NULL && strcmp(name, "default") == 0;
}
#endif

static void fetch_mds(void)
{
    int i;

    for (i = 0; i < AG_MD__COUNT; i++) {
        fetched[i] = EVP_MD_fetch(NULL, md_names[i], NULL);
#ifndef OPENSSL_NO_DEPRECATED_3_0
        direct[i] = fetched[i] != NULL &&
                    (i == AG_MD_MD5 || i == AG_MD_SHA256) &&
                    from_default_provider(fetched[i]);
#endif
    }
}

/* Whether fetch_mds() has run to its end.  Read before each hash, so that
 * only the first hashes of a process pay for CRYPTO_THREAD_run_once(). */
static int fetch_done;

static int mds_fetched(void)
{
#if defined(__GNUC__)
    if (__atomic_load_n(&fetch_done, __ATOMIC_ACQUIRE))
        return 1;
    if (!CRYPTO_THREAD_run_once(&fetch_once, fetch_mds))
        return 0;
    __atomic_store_n(&fetch_done, 1, __ATOMIC_RELEASE);
    return 1;
#else
    (void)fetch_done;
    return CRYPTO_THREAD_run_once(&fetch_once, fetch_mds);
#endif
}

const EVP_MD *ag_md_get(ag_md md)
{
    if ((unsigned)md >= AG_MD__COUNT || !mds_fetched())
        return NULL;
    return fetched[md];
}

int ag_hash_init(ag_hash_ctx *ctx, ag_md md)
{
    const EVP_MD *evp = ag_md_get(md);

    /* what ag_hash_discard() reads, whatever comes next */
    ctx->direct = 0;
    ctx->u.evp = NULL;
    if (evp == NULL)
        return 0;
    ctx->md = md;
    ctx->failed = 0;
    ctx->direct = direct[md];
#ifndef OPENSSL_NO_DEPRECATED_3_0
    if (ctx->direct)
        return md == AG_MD_MD5 ? MD5_Init(&ctx->u.md5)
                               : SHA256_Init(&ctx->u.sha256);
#endif
    ctx->u.evp = EVP_MD_CTX_new();
    if (ctx->u.evp != NULL && EVP_DigestInit_ex(ctx->u.evp, evp, NULL) == 1)
        return 1;
    ag_hash_discard(ctx);
    return 0;
}

void ag_hash_update(ag_hash_ctx *ctx, const void *data, apr_size_t len)
{
    int good;

#ifndef OPENSSL_NO_DEPRECATED_3_0
    if (ctx->direct)
        good = ctx->md == AG_MD_MD5 ? MD5_Update(&ctx->u.md5, data, len)
                                    : SHA256_Update(&ctx->u.sha256, data, len);
    else
#endif
        good = EVP_DigestUpdate(ctx->u.evp, data, len);
    if (good != 1)
        ctx->failed = 1;
}

unsigned int ag_hash_final(ag_hash_ctx *ctx, unsigned char *out)
{
    unsigned int len = 0;
    int good;

#ifndef OPENSSL_NO_DEPRECATED_3_0
    if (ctx->direct) {
        if (ctx->md == AG_MD_MD5) {
            good = MD5_Final(out, &ctx->u.md5);
            len = MD5_DIGEST_LENGTH;
        }
        else {
            good = SHA256_Final(out, &ctx->u.sha256);
            len = SHA256_DIGEST_LENGTH;
        }
    }
    else
#endif
        good = EVP_DigestFinal_ex(ctx->u.evp, out, &len);
    /* MD5_Final() and SHA256_Final() erase what they leave behind */
    if (!ctx->direct)
        ag_hash_discard(ctx);
    return good == 1 && !ctx->failed ? len : 0;
}

void ag_hash_discard(ag_hash_ctx *ctx)
{
    if (ctx->direct)
        OPENSSL_cleanse(&ctx->u, sizeof(ctx->u));
    else
        EVP_MD_CTX_free(ctx->u.evp);
    ctx->u.evp = NULL;
}

int ag_hash_copy(ag_hash_ctx *to, const ag_hash_ctx *from)
{
    *to = *from;
    if (from->direct)
        return 1;
    to->u.evp = EVP_MD_CTX_new();
    if (to->u.evp != NULL && EVP_MD_CTX_copy_ex(to->u.evp, from->u.evp) == 1)
        return 1;
    ag_hash_discard(to);
    return 0;
}

int ag_sha256(const void *data, apr_size_t len,
              unsigned char out[AG_SHA256_LEN])
{
    ag_hash_ctx ctx;

    if (ag_hash_init(&ctx, AG_MD_SHA256)) {
        ag_hash_update(&ctx, data, len);
        if (ag_hash_final(&ctx, out) == AG_SHA256_LEN)
            return 1;
    }
    memset(out, 0, AG_SHA256_LEN);
    return 0;
}

/* Every octet's two digits, so that an octet costs one lookup. */
static const char hex_pairs[] =
    "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
    "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    "404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f"
    "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
    "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"
    "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    "c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf"
    "e0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";

#define X 0xff
const unsigned char ag_hex_digit[256] = {
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x00 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x10 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x20 */
     0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  X,  X,  X,  X,  X,  X,  /* 0x30 */
     X, 10, 11, 12, 13, 14, 15,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x40 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x50 */
     X, 10, 11, 12, 13, 14, 15,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x60 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x70 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x80 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0x90 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0xa0 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0xb0 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0xc0 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0xd0 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0xe0 */
     X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  X,  /* 0xf0 */
};
#undef X

#ifdef __SSE2__
/* Sixteen octets at IN as thirty-two lower-case hex digits at OUT: each
 * octet's nibbles side by side, high first, and each nibble N made '0' + N,
 * plus 'a' - '0' - 10 where N is above 9. */
static void hex_encode16(const unsigned char *in, char *out)
{
    const __m128i low4 = _mm_set1_epi8(0x0f), nine = _mm_set1_epi8(9);
    const __m128i zero = _mm_set1_epi8('0');
    const __m128i gap = _mm_set1_epi8('a' - '0' - 10);
    __m128i v = _mm_loadu_si128((const __m128i *)(const void *)in);
    __m128i hi = _mm_and_si128(_mm_srli_epi16(v, 4), low4);
    __m128i lo = _mm_and_si128(v, low4);
    __m128i a = _mm_unpacklo_epi8(hi, lo), b = _mm_unpackhi_epi8(hi, lo);

    a = _mm_add_epi8(_mm_add_epi8(a, zero),
                     _mm_and_si128(_mm_cmpgt_epi8(a, nine), gap));
    b = _mm_add_epi8(_mm_add_epi8(b, zero),
                     _mm_and_si128(_mm_cmpgt_epi8(b, nine), gap));
    _mm_storeu_si128((__m128i *)(void *)out, a);
    _mm_storeu_si128((__m128i *)(void *)(out + 16), b);
}
#endif

void ag_hex_encode(const unsigned char *in, apr_size_t len, char *out)
{
    apr_size_t i = 0;

#ifdef __SSE2__
    for (; i + 16 <= len; i += 16)
        hex_encode16(in + i, out + 2 * i);
#endif
    /* four octets a turn: a hash's length is a multiple of four */
    for (; i + 4 <= len; i += 4) {
        memcpy(out + 2 * i, hex_pairs + 2 * in[i], 2);
        memcpy(out + 2 * i + 2, hex_pairs + 2 * in[i + 1], 2);
        memcpy(out + 2 * i + 4, hex_pairs + 2 * in[i + 2], 2);
        memcpy(out + 2 * i + 6, hex_pairs + 2 * in[i + 3], 2);
    }
    for (; i < len; i++)
        memcpy(out + 2 * i, hex_pairs + 2 * in[i], 2);
    out[2 * len] = '\0';
}

void ag_hex_lower(const char *in, apr_size_t len, char *out)
{
    const apr_uint64_t bits = 0x2020202020202020ULL;
    apr_uint64_t w;
    apr_size_t i;

    /* a digit's 0x20 bit is set already, a letter's makes it lower;
     * eight at a time, as a hash's digits come in multiples of eight */
    for (i = 0; i + 8 <= len; i += 8) {
        memcpy(&w, in + i, 8);
        w |= bits;
        memcpy(out + i, &w, 8);
    }
    for (; i < len; i++)
        out[i] = (char)(in[i] | 0x20);
    out[len] = '\0';
}

/* The empty asm keeps the compiler from reasoning about DIFF (and so from
 * leaving the loop early). */
int ag_same_bytes(const void *a, const void *b, apr_size_t len)
{
    const unsigned char *x = a, *y = b;
    apr_uint64_t diff = 0, u, v;
    apr_size_t i;

    for (i = 0; i + sizeof(u) <= len; i += sizeof(u)) {
        memcpy(&u, x + i, sizeof(u));
        memcpy(&v, y + i, sizeof(v));
        diff |= u ^ v;
#if defined(__GNUC__)
        __asm__("" : "+r"(diff));
#endif
    }
    for (; i < len; i++)
        diff |= (unsigned char)(x[i] ^ y[i]);
    return diff == 0;
}

apr_uint64_t ag_mix64(apr_uint64_t a, apr_uint64_t b)
{
    apr_uint64_t z = a * 0x9e3779b97f4a7c15ULL ^ b;

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}
