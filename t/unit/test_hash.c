#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "ag_hash.h"
#include "tap.h"

/* Whether ag_hash_ctx, fed DATA in pieces of STEP bytes, gives what EVP
 * gives for MD over the LEN bytes. */
static int same_as_evp(ag_md md, const unsigned char *data, apr_size_t len,
                       apr_size_t step)
{
    unsigned char want[EVP_MAX_MD_SIZE], got[EVP_MAX_MD_SIZE];
    unsigned int wlen = 0, glen;
    ag_hash_ctx ctx;
    apr_size_t at;

    if (EVP_Digest(data, len, want, &wlen, ag_md_get(md), NULL) != 1 ||
        !ag_hash_init(&ctx, md))
        return 0;
    for (at = 0; at < len; at += step)
        ag_hash_update(&ctx, data + at, len - at < step ? len - at : step);
    glen = ag_hash_final(&ctx, got);
    return glen == wlen && memcmp(got, want, wlen) == 0;
}

/* Every digest over 0 to 300 bytes (past a block's and a padding's edge),
 * whole and in pieces of 1, 7 and 64. */
static void hashes_as_evp(void)
{
    static const char *const names[AG_MD__COUNT] = {
        "MD5", "SHA-256", "SHA-384", "SHA-512", "SHA-512/256"
    };
    unsigned char data[300];
    apr_size_t len, steps[] = {300, 1, 7, 64};
    int md, s, good;

    for (len = 0; len < sizeof(data); len++)
        data[len] = (unsigned char)(len * 131 + 7);
    for (md = 0; md < AG_MD__COUNT; md++) {
        good = 1;
        for (len = 0; len <= sizeof(data); len++)
            for (s = 0; s < 4; s++)
                good = good && same_as_evp((ag_md)md, data, len, steps[s]);
        ok(good, "%s: the same hashes as EVP's, whole or in pieces",
           names[md]);
    }
}

/* A copy goes on from the state copied, independently of the original. */
static void copies(void)
{
    static const unsigned char abc[] = "abc";
    int md, good = 1;

    for (md = 0; md < AG_MD__COUNT; md++) {
        unsigned char one[EVP_MAX_MD_SIZE], two[EVP_MAX_MD_SIZE];
        unsigned char want[EVP_MAX_MD_SIZE];
        unsigned int wlen = 0;
        ag_hash_ctx a, b;

        good = good && ag_hash_init(&a, (ag_md)md);
        ag_hash_update(&a, abc, 1);
        good = good && ag_hash_copy(&b, &a);
        ag_hash_update(&a, abc + 1, 2);
        ag_hash_update(&b, "xyz", 3);
        good = good && ag_hash_final(&a, one) > 0 &&
               ag_hash_final(&b, two) > 0 &&
               EVP_Digest(abc, 3, want, &wlen, ag_md_get((ag_md)md),
                          NULL) == 1 &&
               memcmp(one, want, wlen) == 0 &&
               EVP_Digest("axyz", 4, want, &wlen, ag_md_get((ag_md)md),
                          NULL) == 1 &&
               memcmp(two, want, wlen) == 0;
        /* a context finished is ready for another hash */
        good = good && ag_hash_init(&a, (ag_md)md);
        ag_hash_update(&a, abc, 3);
        good = good && ag_hash_final(&a, two) > 0 &&
               memcmp(one, two, (size_t)EVP_MD_get_size(
                                    ag_md_get((ag_md)md))) == 0;
        /* and one abandoned leaves nothing behind (the sanitizer run) */
        good = good && ag_hash_init(&b, (ag_md)md);
        ag_hash_update(&b, abc, 3);
        ag_hash_discard(&b);
    }
    ok(good, "copies go on independently; a context is used again; a "
             "discarded one is let go");
    {
        ag_hash_ctx m, s2, w;

#ifndef OPENSSL_NO_DEPRECATED_3_0
        ok(ag_hash_init(&m, AG_MD_MD5) && ag_hash_init(&s2, AG_MD_SHA256) &&
               ag_hash_init(&w, AG_MD_SHA512_256) && m.direct &&
               s2.direct && !w.direct,
           "MD5 and SHA-256 of the default provider are called directly, "
           "SHA-512/256 through EVP");
#else
        ok(ag_hash_init(&m, AG_MD_MD5) && ag_hash_init(&s2, AG_MD_SHA256) &&
               ag_hash_init(&w, AG_MD_SHA512_256) && !m.direct &&
               !s2.direct && !w.direct,
           "an OpenSSL without its deprecated functions: every digest "
           "through EVP");
#endif
        ag_hash_discard(&m);
        ag_hash_discard(&s2);
        ag_hash_discard(&w);
    }
    {
        unsigned char md[EVP_MAX_MD_SIZE];
        ag_hash_ctx z = {0}, bad, done, evp;
        int good;

        /* the sanitizer run sees a double free or a leak here */
        ag_hash_discard(&z);
        ag_hash_discard(&z);
        /* a stale pointer where an EVP context would be: a failed init
         * must not leave it for the discard to free */
        memset(&bad, 0, sizeof(bad));
        bad.u.evp = (EVP_MD_CTX *)&z;
        good = !ag_hash_init(&bad, AG_MD__COUNT);
        ag_hash_discard(&bad);
        good = good && ag_hash_init(&done, AG_MD_SHA256) &&
               ag_hash_final(&done, md) == 32;
        ag_hash_discard(&done);
        good = good && ag_hash_init(&evp, AG_MD_SHA512) &&
               ag_hash_final(&evp, md) == 64;
        ag_hash_discard(&evp);
        ag_hash_discard(&evp);
        ok(good, "no context for a digest out of range; a context may be "
                 "discarded when zeroed, after a failed init, after its "
                 "final, and twice");
    }
}

int main(void)
{
    unsigned char md[AG_SHA256_LEN];
    char hex[2 * AG_SHA256_LEN + 1];
    const unsigned char bytes[] = {0x00, 0x0f, 0xa5, 0xff};

    ok(ag_sha256("abc", 3, md) == 1, "SHA-256 of \"abc\"");
    ag_hex_encode(md, sizeof(md), hex);
    is_str(hex,
           "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
           "FIPS 180-2 test vector");
    ok(ag_sha256("", 0, md) == 1, "SHA-256 of nothing");
    ag_hex_encode(md, sizeof(md), hex);
    is_str(hex,
           "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
           "the empty string's hash");
    ag_hex_encode(bytes, sizeof(bytes), hex);
    is_str(hex, "000fa5ff", "lower-case hex, leading zeros kept");
    ag_hex_encode(bytes, 0, hex);
    is_str(hex, "", "no bytes, empty string");
    ag_hex_encode(bytes + 1, 3, hex);
    is_str(hex, "0fa5ff", "a length that is no multiple of four");
    {
        const unsigned char seven[] = {1, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd};

        ag_hex_encode(seven, sizeof(seven), hex);
        is_str(hex, "0123456789abcd", "four octets, then three");
    }
    {
        unsigned char all[256];
        char got[2 * 256 + 1], want[2 * 256 + 1];
        int i;

        for (i = 0; i < 256; i++) {
            all[i] = (unsigned char)i;
            snprintf(want + 2 * i, 3, "%02x", i);
        }
        memset(got, '?', sizeof(got));
        ag_hex_encode(all, sizeof(all), got);
        is_str(got, want, "every octet's two digits, and the NUL after");
    }
    {
        /* every length from 0 to 40, from every start in the first 16:
         * runs of sixteen, of four, and single octets after them */
        unsigned char in[56];
        char got[2 * 40 + 2], want[2 * 40 + 1];
        int start, len, i, wrong = 0;

        for (i = 0; i < (int)sizeof(in); i++)
            in[i] = (unsigned char)(i * 37 + 11);
        for (start = 0; start < 16; start++)
            for (len = 0; len <= 40; len++) {
                for (i = 0; i < len; i++)
                    snprintf(want + 2 * i, 3, "%02x", in[start + i]);
                want[2 * len] = '\0';
                memset(got, '?', sizeof(got));
                ag_hex_encode(in + start, (apr_size_t)len, got);
                wrong += strcmp(got, want) != 0 || got[2 * len + 1] != '?';
            }
        ok(wrong == 0, "every length from 0 to 40, from 16 starts: the "
                       "digits, the NUL, nothing after");
    }
    {
        static const char digits[] = "0123456789abcdef0123456789ABCDEF";
        int i, good = 1;

        for (i = 0; i < 256; i++) {
            const char *d = i != 0 ? strchr(digits, i) : NULL;
            int want = d != NULL ? (int)(d - digits) % 16 : 0xff;

            good = good && ag_hex_digit[i] == want;
        }
        ok(good, "every octet's hex value, either case, 0xff for the others");
    }

    {
        static const int sizes[AG_MD__COUNT] = {16, 32, 48, 64, 32};
        int i, good = 1;

        for (i = 0; i < AG_MD__COUNT; i++)
            good = good && ag_md_get((ag_md)i) != NULL &&
                   ag_md_get((ag_md)i) == ag_md_get((ag_md)i) &&
                   EVP_MD_get_size(ag_md_get((ag_md)i)) == sizes[i];
        ok(good, "MD5, SHA-256, -384, -512, -512/256: fetched once, each "
                 "of its size");
        ok(ag_md_get(AG_MD__COUNT) == NULL && ag_md_get((ag_md)-1) == NULL,
           "no digest out of range");
    }
    {
        /* lengths below, at and past a word or two, a difference in
         * every position and every bit (the tail's bytes too), the
         * buffers unaligned */
        unsigned char a[48], b[48];
        int n, i, bit, same = 1, differ = 1;

        for (i = 0; i < (int)sizeof(a); i++)
            a[i] = (unsigned char)(i * 37 + 11);
        for (n = 0; n <= 40; n++) {
            memcpy(b + 1, a + 3, (size_t)n);
            same = same && ag_same_bytes(a + 3, b + 1, (apr_size_t)n);
            for (i = 0; i < n; i++)
                for (bit = 0; bit < 8; bit++) {
                    b[1 + i] ^= (unsigned char)(1 << bit);
                    differ = differ &&
                             !ag_same_bytes(a + 3, b + 1, (apr_size_t)n);
                    b[1 + i] ^= (unsigned char)(1 << bit);
                }
        }
        ok(same, "the same bytes, 0 to 40 of them, are the same");
        ok(differ, "one bit changed anywhere in 1 to 40 bytes is a "
                   "difference");
        ok(ag_same_bytes("ab", "xy", 0) && !ag_same_bytes("ab", "ax", 2) &&
               ag_same_bytes("ab", "ax", 1),
           "only the LEN bytes are compared");
    }
    hashes_as_evp();
    copies();
    ok(ag_mix64(1, 2) == 0x975835de1c9756ceULL &&
           ag_mix64(2, 1) == 0xbeeb8da1658eec67ULL,
       "the mix is splitmix64's finalizer over a * golden ratio ^ b, and "
       "its order counts");
    return tap_done();
}
