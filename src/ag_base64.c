#include <apr_errno.h>

#include "ag_base64.h"

static const char enc_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char enc_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The value of each octet in the alphabet; BAD where it is not in it. */
#define BAD 64

static const unsigned char dec_std[256] = {
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 62, 64, 64, 64, 63,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 64, 64, 64, 64, 64, 64,
    64,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 64, 64, 64, 64, 64,
    64, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
};

static const unsigned char dec_url[256] = {
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 62, 64, 64,
    52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 64, 64, 64, 64, 64, 64,
    64,  0,  1,  2,  3,  4,  5,  6,  7,  8,  9, 10, 11, 12, 13, 14,
    15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 64, 64, 64, 64, 63,
    64, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40,
    41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
    64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
};

/* Strips correct padding from *LEN; APR_EINVAL for padding that is wrong. */
static apr_status_t strip_padding(const char *in, apr_size_t *len)
{
    apr_size_t n = *len, pad = 0;

    while (n > 0 && in[n - 1] == '=') {
        n--;
        pad++;
    }
    if (pad == 0)
        return APR_SUCCESS;
    if (pad > 2 || *len % 4 != 0)
        return APR_EINVAL;
    if ((pad == 1 && n % 4 != 3) || (pad == 2 && n % 4 != 2))
        return APR_EINVAL;
    *len = n;
    return APR_SUCCESS;
}

apr_status_t ag_base64_decode(const char *in, apr_size_t len,
                              ag_base64_alphabet alphabet,
                              unsigned char **out, apr_size_t *outlen,
                              apr_pool_t *p)
{
    const unsigned char *dec = alphabet == AG_BASE64URL ? dec_url : dec_std;
    const unsigned char *s = (const unsigned char *)in;
    unsigned char *buf;
    apr_size_t i, o = 0;
    apr_uint32_t v;

    if (strip_padding(in, &len) != APR_SUCCESS || len % 4 == 1)
        return APR_EINVAL;
    buf = apr_palloc(p, len / 4 * 3 + 3);
    for (i = 0; i + 4 <= len; i += 4) {
        unsigned a = dec[s[i]], b = dec[s[i + 1]], c = dec[s[i + 2]],
                 d = dec[s[i + 3]];

        if ((a | b | c | d) & BAD)
            return APR_EINVAL;
        v = a << 18 | b << 12 | c << 6 | d;
        buf[o++] = (unsigned char)(v >> 16);
        buf[o++] = (unsigned char)(v >> 8);
        buf[o++] = (unsigned char)v;
    }
    if (len - i == 2) {
        unsigned a = dec[s[i]], b = dec[s[i + 1]];

        /* the unused trailing bits must be zero */
        if ((a | b) & BAD || (b & 0x0f) != 0)
            return APR_EINVAL;
        buf[o++] = (unsigned char)(a << 2 | b >> 4);
    }
    else if (len - i == 3) {
        unsigned a = dec[s[i]], b = dec[s[i + 1]], c = dec[s[i + 2]];

        if ((a | b | c) & BAD || (c & 0x03) != 0)
            return APR_EINVAL;
        v = a << 12 | b << 6 | c;
        buf[o++] = (unsigned char)(v >> 10);
        buf[o++] = (unsigned char)(v >> 2);
    }
    buf[o] = '\0';
    *out = buf;
    *outlen = o;
    return APR_SUCCESS;
}

char *ag_base64_encode(const unsigned char *in, apr_size_t len,
                       ag_base64_alphabet alphabet, apr_pool_t *p)
{
    const char *enc = alphabet == AG_BASE64URL ? enc_url : enc_std;
    char *out = apr_palloc(p, (len + 2) / 3 * 4 + 1), *o = out;
    apr_size_t i;

    for (i = 0; i + 2 < len; i += 3) {
        *o++ = enc[in[i] >> 2];
        *o++ = enc[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
        *o++ = enc[((in[i + 1] & 15) << 2) | (in[i + 2] >> 6)];
        *o++ = enc[in[i + 2] & 63];
    }
    if (i < len) {
        *o++ = enc[in[i] >> 2];
        if (i + 1 < len) {
            *o++ = enc[((in[i] & 3) << 4) | (in[i + 1] >> 4)];
            *o++ = enc[(in[i + 1] & 15) << 2];
        }
        else {
            *o++ = enc[(in[i] & 3) << 4];
        }
        if (alphabet == AG_BASE64) {
            *o++ = '=';
            if (i + 1 >= len)
                *o++ = '=';
        }
    }
    *o = '\0';
    return out;
}
