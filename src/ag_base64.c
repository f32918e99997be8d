#include <apr_errno.h>

#include "ag_base64.h"

static const char enc_std[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char enc_url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* The value of C in the alphabet, or -1. */
static int sextet(unsigned char c, ag_base64_alphabet alphabet)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (alphabet == AG_BASE64URL)
        return c == '-' ? 62 : c == '_' ? 63 : -1;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

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
    unsigned char *buf;
    apr_size_t i, o = 0;
    apr_uint32_t acc = 0;
    int bits = 0;

    if (strip_padding(in, &len) != APR_SUCCESS || len % 4 == 1)
        return APR_EINVAL;
    buf = apr_palloc(p, len / 4 * 3 + 3);
    for (i = 0; i < len; i++) {
        int v = sextet((unsigned char)in[i], alphabet);

        if (v < 0)
            return APR_EINVAL;
        acc = (acc << 6) | (apr_uint32_t)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            buf[o++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
        }
    }
    if (acc != 0)               /* unused trailing bits must be zero */
        return APR_EINVAL;
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
