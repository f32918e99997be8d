#include <string.h>
#include <strings.h>

#include <apr_errno.h>
#include <apr_strings.h>

#include "ag_header.h"

#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Character classes, by octet: RFC 7230 §3.2.6 tchar and qdtext (a
 * quoted-string's octets other than DQUOTE and backslash), and RFC 7235
 * §2.1 token68 characters (before the trailing '='s). */
#define CLASS_TCHAR 1
#define CLASS_TOKEN68 2
#define CLASS_QDTEXT 4

static const unsigned char char_class[256] = {
    0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0,  /* 0x00 */
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,  /* 0x10 */
    4, 5, 0, 5, 5, 5, 5, 5, 4, 4, 5, 7, 4, 7, 7, 6,  /* 0x20 */
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 4, 4, 4, 4, 4, 4,  /* 0x30 */
    4, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,  /* 0x40 */
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 4, 0, 4, 5, 7,  /* 0x50 */
    5, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,  /* 0x60 */
    7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 4, 5, 4, 7, 0,  /* 0x70 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0x80 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0x90 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0xa0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0xb0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0xc0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0xd0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0xe0 */
    4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4,  /* 0xf0 */
};

static int is_tchar(unsigned char c)
{
    return char_class[c] & CLASS_TCHAR;
}

int ag_header_is_token(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++)
        if (!is_tchar((unsigned char)*s))
            return 0;
    return 1;
}

/* Used here in loops over every octet of a header: static, so that it is
 * inlined (an exported function, which a shared object may interpose, is
 * called instead). */
static int is_qdtext(unsigned char c)
{
    return char_class[c] & CLASS_QDTEXT;
}

int ag_header_is_qdtext(unsigned char c)
{
    return is_qdtext(c);
}

static int is_token68_char(unsigned char c)
{
    return char_class[c] & CLASS_TOKEN68;
}

/* RFC 7230 §3.2.6 qdtext and quoted-pair's second octet (HTAB, SP,
 * VCHAR, obs-text). */
static int is_qtext_octet(unsigned char c)
{
    return c == '\t' || (c >= 0x20 && c != 0x7f);
}

static char *skip_ows(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static char *skip_token(char *s)
{
    while (is_tchar((unsigned char)*s))
        s++;
    return s;
}

/* If S..end is a token68 followed only by OWS, its end; else NULL. */
static char *match_token68(char *s)
{
    char *t = s;

    while (is_token68_char((unsigned char)*t))
        t++;
    if (t == s)
        return NULL;
    while (*t == '=')
        t++;
    return *skip_ows(t) == '\0' ? t : NULL;
}

/* How many of the first LEN octets of S are qdtext, from the start.
 * With SSE2, sixteen octets a turn while sixteen are left, up to the
 * first that is not plain qdtext: a DQUOTE, a backslash, a control
 * character (HTAB too), DEL or obs-text, which the octet-by-octet loop
 * then judges as it judges any. */
apr_size_t ag_header_qdtext_span(const char *s, apr_size_t len)
{
    apr_size_t i = 0;

#ifdef __SSE2__
    const __m128i sp = _mm_set1_epi8(' '), dquote = _mm_set1_epi8('"');
    const __m128i bslash = _mm_set1_epi8('\\'), del = _mm_set1_epi8(0x7f);

    for (; len - i >= 16; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        /* compared as signed octets, obs-text is below SP too */
        __m128i odd = _mm_or_si128(
            _mm_or_si128(_mm_cmplt_epi8(v, sp), _mm_cmpeq_epi8(v, dquote)),
            _mm_or_si128(_mm_cmpeq_epi8(v, bslash), _mm_cmpeq_epi8(v, del)));
        unsigned mask = (unsigned)_mm_movemask_epi8(odd);

        if (mask != 0) {
            i += (apr_size_t)__builtin_ctz(mask);
            break;
        }
    }
#endif
    for (; i < len && is_qdtext((unsigned char)s[i]); i++)
        ;
    return i;
}

/* Reads a quoted-string at *S (which is at the opening DQUOTE) into
 * PARAM's value, in place, and moves *S past the closing DQUOTE.  Most
 * values hold no quoted-pair: their closing DQUOTE becomes their NUL.  The
 * others take a first pass that checks and a second that resolves the
 * pairs, moving the octets back over the backslashes. */
static apr_status_t read_quoted(char **s, const char *buf_end,
                                ag_auth_param *param, const char **why)
{
    char *in = *s + 1, *t, *o;

    t = in + ag_header_qdtext_span(in, (apr_size_t)(buf_end - in));
    if (*t == '"') {
        *t = '\0';
        param->value = in;
        param->value_len = (apr_size_t)(t - in);
        *s = t + 1;
        return APR_SUCCESS;
    }
    for (t = in; *t != '"'; t++) {
        if (*t == '\\')
            t++;
        if (*t == '\0') {
            *why = "unterminated quoted-string";
            return APR_EINVAL;
        }
        if (!is_qtext_octet((unsigned char)*t)) {
            *why = "control character in quoted-string";
            return APR_EINVAL;
        }
    }
    for (o = t = in; *t != '"'; t++) {
        if (*t == '\\')
            t++;
        *o++ = *t;
    }
    *o = '\0';
    param->value = in;
    param->value_len = (apr_size_t)(o - in);
    *s = t + 1;
    return APR_SUCCESS;
}

/* Reads one auth-param at *S, in place (the copy ends at BUF_END).  A
 * token value's end is left for the caller to terminate (in *VALUE_END)
 * once it has seen what follows; for a quoted value *VALUE_END is NULL. */
static apr_status_t read_param(char **s, const char *buf_end,
                               ag_auth_param *param,
                               char **value_end, const char **why)
{
    char *name = *s, *end = skip_token(name), *v;

    *value_end = NULL;
    if (end == name) {
        *why = "expected a parameter name";
        return APR_EINVAL;
    }
    param->name_len = (apr_size_t)(end - name);
    param->name = name;
    v = skip_ows(end);
    if (*v != '=') {
        *why = "expected '=' after a parameter name";
        return APR_EINVAL;
    }
    *end = '\0';
    v = skip_ows(v + 1);
    if (*v == '"') {
        param->quoted = 1;
        *s = v;
        return read_quoted(s, buf_end, param, why);
    }
    end = skip_token(v);
    if (end == v) {
        *why = "expected a token or quoted-string value";
        return APR_EINVAL;
    }
    param->quoted = 0;
    param->value = v;
    param->value_len = (apr_size_t)(end - v);
    *value_end = end;
    *s = end;
    return APR_SUCCESS;
}

static int ascii_lower(unsigned char c)
{
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
}

/* The parameter NAME (LEN octets, case-insensitive), or NULL. */
static const ag_auth_param *find_param(const ag_credentials *cred,
                                       const char *name, apr_size_t len)
{
    int first = ascii_lower((unsigned char)name[0]), i;

    for (i = 0; i < cred->params->nelts; i++) {
        const ag_auth_param *param =
            &APR_ARRAY_IDX(cred->params, i, ag_auth_param);

        /* the length and the first letter rule most names out without a
         * call */
        if (param->name_len == len &&
            ascii_lower((unsigned char)param->name[0]) == first &&
            strcasecmp(param->name, name) == 0)
            return param;
    }
    return NULL;
}

/* A bit for a parameter name of LEN octets whose first is FIRST (lower
 * case): names that differ in either have different bits but for a
 * collision in 64, so a name whose bit is clear was not seen before. */
static apr_uint64_t name_bit(apr_size_t len, int first)
{
    return (apr_uint64_t)1 << ((len * 7 + (apr_size_t)first) & 63);
}

/* PARAM appended to PARAMS: in place while there is room, as there is for
 * the parameters of any Digest response (ag_header_parse() makes room for
 * them), else through apr_array_push(), which grows the array. */
static void push_param(apr_array_header_t *params, const ag_auth_param *param)
{
    ag_auth_param *slot;

    if (params->nelts < params->nalloc)
        slot = (ag_auth_param *)(void *)params->elts + params->nelts++;
    else
        slot = apr_array_push(params);
    *slot = *param;
}

/* Parses the #auth-param list at S into CRED->params, in place (the copy
 * ends at BUF_END). */
static apr_status_t read_params(char *s, const char *buf_end,
                                ag_credentials *cred, const char **why)
{
    apr_uint64_t seen = 0;

    for (;;) {
        ag_auth_param param;
        apr_uint64_t bit;
        apr_status_t rv;
        char *value_end;

        /* #rule: empty list elements are allowed and ignored */
        while (*s == ',' || *s == ' ' || *s == '\t')
            s++;
        if (*s == '\0')
            return APR_SUCCESS;
        if (cred->params->nelts >= AG_HEADER_MAX_PARAMS) {
            *why = "too many parameters";
            return APR_EINVAL;
        }
        rv = read_param(&s, buf_end, &param, &value_end, why);
        if (rv != APR_SUCCESS)
            return rv;
        s = skip_ows(s);
        if (*s != ',' && *s != '\0') {
            *why = "expected ',' between parameters";
            return APR_EINVAL;
        }
        if (*s == ',')
            s++;
        /* what ended the token is read: it can become its NUL */
        if (value_end != NULL)
            *value_end = '\0';
        bit = name_bit(param.name_len,
                       ascii_lower((unsigned char)param.name[0]));
        /* only a name that may have been seen is looked for */
        if ((seen & bit) != 0 &&
            find_param(cred, param.name, param.name_len) != NULL) {
            *why = "parameter given twice";
            return APR_EINVAL;
        }
        seen |= bit;
        push_param(cred->params, &param);
    }
}

apr_status_t ag_header_parse(const char *value, ag_credentials **out,
                             const char **why, apr_pool_t *p)
{
    const char *dummy;
    char *buf, *s, *end;
    apr_size_t len;
    ag_credentials *cred;

    if (why == NULL)
        why = &dummy;
    *why = NULL;
    if (value == NULL || (len = strlen(value)) > AG_HEADER_MAX_LEN) {
        *why = value == NULL ? "no value" : "credentials too long";
        return APR_EINVAL;
    }
    /* one copy, which the parse cuts into NUL-terminated pieces */
    buf = apr_pstrmemdup(p, value, len);
    s = skip_ows(buf);
    end = skip_token(s);
    if (end == s) {
        *why = "expected an auth-scheme";
        return APR_EINVAL;
    }
    cred = apr_pcalloc(p, sizeof(*cred));
    cred->scheme = s;
    /* room for a Digest response's parameters, so the array never grows */
    cred->params = apr_array_make(p, 12, sizeof(ag_auth_param));
    s = end;
    if (*skip_ows(s) == '\0') {
        *end = '\0';
    }
    else {
        if (*s != ' ') {
            *why = "expected a space after the auth-scheme";
            return APR_EINVAL;
        }
        *end = '\0';
        s++;
        while (*s == ' ')
            s++;
        end = match_token68(s);
        if (end != NULL) {
            *end = '\0';
            cred->token68 = s;
        }
        else if (read_params(s, buf + len, cred, why) != APR_SUCCESS)
            return APR_EINVAL;
    }
    *out = cred;
    return APR_SUCCESS;
}

const char *ag_header_param(const ag_credentials *cred, const char *name)
{
    const ag_auth_param *param = find_param(cred, name, strlen(name));

    return param != NULL ? param->value : NULL;
}
