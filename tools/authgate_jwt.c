/* authgate jwt sign | verify, authgate jwks: tokens and key sets for
 * tests, demos and for asking why the module refuses a token.  `verify`
 * runs the module's own checks (ag_jwt_verify) and prints the same reason
 * codes. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <apr_file_io.h>
#include <apr_strings.h>

#include <openssl/bio.h>
#include <openssl/pem.h>

#include "ag_file.h"
#include "ag_jwk.h"
#include "ag_jwt.h"
#include "ag_jwt_sign.h"
#include "ag_revocation.h"
#include "authgate.h"

/* Largest token or key read from a file. */
#define INPUT_MAX (1024 * 1024)
/* Most bytes read from standard input (claims for many tokens). */
#define STDIN_MAX (64 * 1024 * 1024)

static const char sign_usage[] =
    "usage: authgate jwt sign --key FILE --alg ALG [--kid ID] "
    "[--header JSON] CLAIMS_JSON\n"
    "  signs CLAIMS_JSON (a JSON object) and prints the token; with -,\n"
    "  signs each line of standard input (one claims object a line) and\n"
    "  prints one token a line.  FILE is a PEM private key for RS*, PS*, ES* and\n"
    "  EdDSA; for HS* it is file:/path, base64:... or a path, as\n"
    "  AuthGateJWTSecret takes it.  --header adds header members (alg and\n"
    "  typ are the signer's).\n";

static const char verify_usage[] =
    "usage: authgate jwt verify --key FILE [--key-option WORD...]\n"
    "       [--key FILE [--key-option WORD...]...] [--alg ALG...]\n"
    "       [--iss ISS...] [--aud AUD...] [--leeway SECONDS]\n"
    "       [--require CLAIM...] [--user-claim CLAIM] [--scope-claim CLAIM]\n"
    "       [--max-size BYTES] [--revocation FILE] TOKEN\n"
    "  checks TOKEN (or - for standard input) as the module would with\n"
    "  these directives and prints 'ok' and the identity, or 'refused' and\n"
    "  the reason code.  FILE is a PEM public key or JWKS file, or an HMAC\n"
    "  secret as file:/path or base64:...  Each --key-option WORD (kid=ID,\n"
    "  issuer=ISS) binds the --key before it, as the words after the file\n"
    "  of AuthGateJWTKeyFile and AuthGateJWTSecret do.  --revocation FILE is\n"
    "  an AuthGateRevocationFile: a token whose jti it lists is refused.\n"
    "  Exit 0 accepted, 1 refused, 2 usage or input error.\n";

static const char jwks_usage[] =
    "usage: authgate jwks [--kid ID] PEMFILE [[--kid ID] PEMFILE...]\n"
    "  prints a JWKS document for the public keys (or the public halves of\n"
    "  the private keys) in the PEM files; a key without --kid is named by\n"
    "  its RFC 7638 thumbprint.\n";

/* TEXT, or standard input when TEXT is "-" (trailing newlines off), up
 * to STDIN_MAX bytes. */
static const char *arg_or_stdin(const char *text, apr_pool_t *p)
{
    apr_file_t *in;
    apr_size_t size = 65536, got = 0;
    char *buf;

    if (strcmp(text, "-") != 0)
        return text;
    if (apr_file_open_stdin(&in, p) != APR_SUCCESS)
        return NULL;
    buf = apr_palloc(p, size + 1);
    for (;;) {
        apr_size_t n = size - got;

        if (apr_file_read(in, buf + got, &n) != APR_SUCCESS || n == 0)
            break;
        got += n;
        if (got == size) {
            char *bigger;

            if (size >= STDIN_MAX)
                return NULL;
            bigger = apr_palloc(p, size * 2 + 1);
            memcpy(bigger, buf, got);
            buf = bigger;
            size *= 2;
        }
    }
    while (got > 0 && (buf[got - 1] == '\n' || buf[got - 1] == '\r'))
        got--;
    buf[got] = '\0';
    return buf;
}

static apr_status_t read_file(const char *path, const char **data,
                              apr_size_t *len, apr_pool_t *p)
{
    char *d;

    if (ag_file_read(path, INPUT_MAX, &d, len, NULL, p) != APR_SUCCESS)
        return APR_EINVAL;
    *data = d;
    return APR_SUCCESS;
}

/* --- sign --------------------------------------------------------------- */

/* The HMAC secret named by SPEC (file:, base64:, or a plain path), read
 * as AuthGateJWTSecret reads it (ag_secretfile_parse() for a file) and
 * held to the same length for ALG (RFC 7518 §3.2): a token signed here is
 * one the module and `jwt verify` can accept.  As there, an error quotes
 * a plain path but never a file: or base64: spec, which may be the secret
 * itself. */
static int load_secret(const char *spec, ag_jwt_alg alg,
                       const unsigned char **key, apr_size_t *len,
                       apr_pool_t *p)
{
    const char *path = spec, *err = NULL;
    const unsigned char *raw = NULL;
    char *data;
    void *ks = NULL;
    const ag_jwk *k;
    apr_status_t rv;

    *key = NULL;
    if (strncmp(spec, "file:", 5) == 0 || strncmp(spec, "base64:", 7) == 0) {
        if (ag_jwk_secret_spec(spec, &raw, len, &path, &err, p) !=
            APR_SUCCESS)
            return ag_tool_fail(AG_EXIT_USAGE, "%s", err);
    }
    if (raw != NULL)
        rv = ag_keyset_from_secret(raw, *len, NULL, (ag_keyset **)&ks, &err,
                                   p);
    else if (ag_file_read(path, AG_JWK_MAX_SECRET_FILE, &data, len, NULL,
                          p) != APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "cannot read %s", path);
    else
        rv = ag_secretfile_parse(data, *len, NULL, &ks, &err, p);
    if (rv != APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "%s", err);
    k = ag_keyset_get(ks, 0);
    if (!(k->algs & AG_JWT_ALG_BIT(alg)))
        return ag_tool_fail(AG_EXIT_USAGE, "an HMAC key of %" APR_SIZE_T_FMT
                            " bytes is too short for %s (48 bytes for "
                            "HS384, 64 for HS512)", k->secret_len,
                            ag_jwt_alg_name(alg));
    *key = k->secret;
    *len = k->secret_len;
    return AG_EXIT_OK;
}

/* One token a line of standard input, each line a claims object. */
static int sign_lines(ag_jwt_alg alg, const unsigned char *key,
                      apr_size_t len, const char *kid, const char *header,
                      apr_pool_t *p)
{
    const char *text = arg_or_stdin("-", p), *token, *err = NULL;
    char *copy, *line, *last;
    apr_pool_t *each;
    unsigned n = 0;

    if (text == NULL)
        return ag_tool_fail(AG_EXIT_USAGE, "cannot read standard input");
    copy = apr_pstrdup(p, text);
    apr_pool_create(&each, p);
    for (line = apr_strtok(copy, "\r\n", &last); line != NULL;
         line = apr_strtok(NULL, "\r\n", &last)) {
        n++;
        if (ag_jwt_sign(alg, key, len, kid, header, line, &token, &err,
                        each) != APR_SUCCESS)
            return ag_tool_fail(AG_EXIT_USAGE, "line %u: %s", n, err);
        printf("%s\n", token);
        apr_pool_clear(each);
    }
    if (n == 0)
        return ag_tool_fail(AG_EXIT_USAGE, "no claims on standard input");
    return AG_EXIT_OK;
}

static int jwt_sign(int argc, const char *const *argv, apr_pool_t *p)
{
    const char *keyfile = NULL, *alg_name = NULL, *kid = NULL;
    const char *header = NULL, *claims = NULL, *token, *err = NULL;
    const unsigned char *key;
    apr_size_t len;
    ag_jwt_alg alg;
    int i, rc;

    for (i = 0; i < argc; i++) {
        if (ag_tool_is_help(argv[i])) {
            fputs(sign_usage, stdout);
            return AG_EXIT_OK;
        }
        if (i + 1 < argc && strcmp(argv[i], "--key") == 0)
            keyfile = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--alg") == 0)
            alg_name = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--kid") == 0)
            kid = argv[++i];
        else if (i + 1 < argc && strcmp(argv[i], "--header") == 0)
            header = argv[++i];
        else if (claims == NULL && (argv[i][0] != '-' ||
                                    strcmp(argv[i], "-") == 0))
            claims = argv[i];
        else
            break;
    }
    if (i < argc || keyfile == NULL || alg_name == NULL || claims == NULL) {
        fputs(sign_usage, stderr);
        return AG_EXIT_USAGE;
    }
    alg = ag_jwt_alg_lookup(alg_name);
    if (alg == AG_JWT_ALG__COUNT)
        return ag_tool_fail(AG_EXIT_USAGE, "unknown algorithm '%s' (one of "
                            "%s)", alg_name,
                            ag_jwt_algs_names(AG_JWT_ALGS_ALL, p));
    if (AG_JWT_ALG_BIT(alg) & AG_JWT_ALGS_HMAC) {
        rc = load_secret(keyfile, alg, &key, &len, p);
        if (rc != AG_EXIT_OK)
            return rc;
    }
    else {
        const char *data;

        if (read_file(keyfile, &data, &len, p) != APR_SUCCESS)
            return ag_tool_fail(AG_EXIT_USAGE, "cannot read %s", keyfile);
        key = (const unsigned char *)data;
    }
    if (strcmp(claims, "-") == 0)
        return sign_lines(alg, key, len, kid, header, p);
    if (ag_jwt_sign(alg, key, len, kid, header, claims, &token, &err, p) !=
        APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "%s", err);
    printf("%s\n", token);
    return AG_EXIT_OK;
}

/* --- verify ------------------------------------------------------------- */

/* A --key and the --key-option words given after it. */
typedef struct {
    const char *spec;
    apr_array_header_t *words;      /* of const char *; NULL: none */
} key_arg;

/* What `jwt verify` was told. */
typedef struct {
    apr_array_header_t *keys;       /* of key_arg */
    ag_jwt_policy pol;
    const char *revocation;         /* --revocation FILE, or NULL */
    const char *token;
} verify_args;

static apr_array_header_t *push(apr_array_header_t *list, const char *word,
                                apr_pool_t *p)
{
    if (list == NULL)
        list = apr_array_make(p, 2, sizeof(const char *));
    APR_ARRAY_PUSH(list, const char *) = word;
    return list;
}

static void print_warnings(const char *path, const ag_keyset *ks)
{
    const apr_array_header_t *w = ag_keyset_warnings(ks);
    int i;

    for (i = 0; i < w->nelts; i++)
        fprintf(stderr, "authgate: %s: %s\n", path,
                APR_ARRAY_IDX(w, i, const char *));
}

/* A --key with its --key-option words: a secret spec, or a PEM or JWKS
 * file, loaded as AuthGateJWTSecret and AuthGateJWTKeyFile load them.
 * Errors never quote the spec, which may be a secret. */
static int load_keyset(const key_arg *k, const ag_keyset **out,
                       apr_pool_t *p)
{
    const char *err = NULL, *spec = k->spec;
    const unsigned char *secret;
    apr_size_t len;
    char *data;
    ag_jwk_binding *b;
    void *ks = NULL;
    ag_reload_parse_fn parse = ag_keyfile_parse;

    if (ag_jwk_binding_parse(
            k->words ? (const char *const *)k->words->elts : NULL,
            k->words ? k->words->nelts : 0, &b, &err, p) != APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "--key-option: %s", err);
    if (strncmp(spec, "file:", 5) == 0 || strncmp(spec, "base64:", 7) == 0) {
        const char *path;

        if (ag_jwk_secret_spec(spec, &secret, &len, &path, &err, p) !=
            APR_SUCCESS)
            return ag_tool_fail(AG_EXIT_USAGE, "%s", err);
        if (path == NULL) {
            ag_keyset *set;

            if (ag_keyset_from_secret(secret, len, b, &set, &err, p) !=
                APR_SUCCESS)
                return ag_tool_fail(AG_EXIT_USAGE, "%s", err);
            *out = set;
            return AG_EXIT_OK;
        }
        spec = path;
        parse = ag_secretfile_parse;
    }
    /* the module's limits: AuthGateJWTSecret's and AuthGateJWTKeyFile's */
    if (ag_file_read(spec, parse == ag_secretfile_parse
                               ? AG_JWK_MAX_SECRET_FILE : AG_JWK_MAX_FILE,
                     &data, &len, NULL, p) != APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "cannot read %s", spec);
    if (parse(data, len, b, &ks, &err, p) != APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "%s: %s", spec, err);
    print_warnings(spec, ks);
    *out = ks;
    return AG_EXIT_OK;
}

/* The --key arguments as key sets, in order, into *SETS. */
static int load_keysets(const apr_array_header_t *keys,
                        apr_array_header_t **sets, apr_pool_t *p)
{
    int i, rc;

    *sets = apr_array_make(p, keys->nelts, sizeof(const ag_keyset *));
    for (i = 0; i < keys->nelts; i++) {
        const ag_keyset *ks = NULL;

        rc = load_keyset(&APR_ARRAY_IDX(keys, i, key_arg), &ks, p);
        if (rc != AG_EXIT_OK)
            return rc;
        APR_ARRAY_PUSH(*sets, const ag_keyset *) = ks;
    }
    return AG_EXIT_OK;
}

/* --revocation FILE, read and parsed as AuthGateRevocationFile is. */
static int load_revocation(const char *path, const ag_revocation **out,
                           apr_pool_t *p)
{
    const char *err = NULL;
    apr_size_t len;
    char *data;
    void *rev = NULL;

    if (ag_file_read(path, AG_REVOCATION_MAX_FILE, &data, &len, NULL, p) !=
        APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "cannot read %s", path);
    if (ag_revocation_parse(data, len, NULL, &rev, &err, p) != APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "%s: %s", path, err);
    *out = rev;
    return AG_EXIT_OK;
}

/* A whole number in [LO, HI], the bounds of the matching directive. */
static int number_arg(const char *arg, apr_int64_t lo, apr_int64_t hi,
                      apr_int64_t *out)
{
    char *end;
    apr_int64_t v = apr_strtoi64(arg, &end, 10);

    if (end == arg || *end != '\0' || v < lo || v > hi)
        return ag_tool_fail(AG_EXIT_USAGE, "'%s' is not a number from %"
                            APR_INT64_T_FMT " to %" APR_INT64_T_FMT, arg,
                            lo, hi);
    *out = v;
    return AG_EXIT_OK;
}

static int alg_arg(const char *arg, ag_jwt_policy *pol, apr_pool_t *p)
{
    char *words = apr_pstrdup(p, arg), *last, *w;
    const char *err = NULL;

    for (w = apr_strtok(words, " ,", &last); w;
         w = apr_strtok(NULL, " ,", &last))
        if (ag_jwt_algs_add(w, &pol->algs, &err, p) != APR_SUCCESS)
            return ag_tool_fail(AG_EXIT_USAGE, "--alg: %s", err);
    return AG_EXIT_OK;
}

/* --key FILE, or --key-option WORD for the --key before it. */
static int key_option(const char *opt, const char *arg, verify_args *va,
                      apr_pool_t *p)
{
    key_arg *k;

    if (strcmp(opt, "--key") == 0) {
        k = apr_array_push(va->keys);
        k->spec = arg;
        k->words = NULL;
        return AG_EXIT_OK;
    }
    if (va->keys->nelts == 0)
        return ag_tool_fail(AG_EXIT_USAGE, "--key-option binds the --key "
                            "before it, and there is none");
    k = &APR_ARRAY_IDX(va->keys, va->keys->nelts - 1, key_arg);
    k->words = push(k->words, arg, p);
    return AG_EXIT_OK;
}

/* One option OPT and its argument ARG: AG_EXIT_OK, AG_EXIT_USAGE, or -1
 * when OPT is not an option of `jwt verify`. */
static int verify_option(const char *opt, const char *arg, verify_args *va,
                         apr_pool_t *p)
{
    ag_jwt_policy *pol = &va->pol;
    apr_int64_t n;
    int rc;

    if (strcmp(opt, "--key") == 0 || strcmp(opt, "--key-option") == 0)
        return key_option(opt, arg, va, p);
    if (strcmp(opt, "--alg") == 0)
        return alg_arg(arg, pol, p);
    if (strcmp(opt, "--iss") == 0)
        pol->issuers = push((apr_array_header_t *)pol->issuers, arg, p);
    else if (strcmp(opt, "--aud") == 0)
        pol->audiences = push((apr_array_header_t *)pol->audiences, arg, p);
    else if (strcmp(opt, "--require") == 0)
        pol->required = push((apr_array_header_t *)pol->required, arg, p);
    else if (strcmp(opt, "--user-claim") == 0)
        pol->user_claim = arg;
    else if (strcmp(opt, "--scope-claim") == 0)
        pol->scope_claim = arg;
    else if (strcmp(opt, "--revocation") == 0) {
        /* a second file silently ignored would let its tokens pass */
        if (va->revocation != NULL)
            return ag_tool_fail(AG_EXIT_USAGE, "--revocation is given once");
        va->revocation = arg;
    }
    else if (strcmp(opt, "--leeway") == 0) {
        if ((rc = number_arg(arg, 0, AG_JWT_MAX_LEEWAY, &n)) != AG_EXIT_OK)
            return rc;
        pol->leeway = n;
    }
    else if (strcmp(opt, "--max-size") == 0) {
        rc = number_arg(arg, AG_JWT_MIN_MAX_SIZE, AG_JWT_MAX_MAX_SIZE, &n);
        if (rc != AG_EXIT_OK)
            return rc;
        pol->max_size = (apr_size_t)n;
    }
    else
        return -1;
    return AG_EXIT_OK;
}

/* The command line of `jwt verify` into *VA: AG_EXIT_OK, AG_EXIT_USAGE
 * (usage printed), or -1 when help was asked for (printed). */
static int verify_parse(int argc, const char *const *argv, verify_args *va,
                        apr_pool_t *p)
{
    int i, rc;

    va->keys = apr_array_make(p, 2, sizeof(key_arg));
    va->revocation = NULL;
    va->token = NULL;
    ag_jwt_policy_init(&va->pol);
    for (i = 0; i < argc; i++) {
        const char *a = argv[i];

        if (ag_tool_is_help(a)) {
            fputs(verify_usage, stdout);
            return -1;
        }
        rc = i + 1 < argc && a[0] == '-' && a[1] == '-'
                 ? verify_option(a, argv[i + 1], va, p) : -1;
        if (rc == AG_EXIT_OK)
            i++;
        else if (rc != -1)
            return rc;
        else if (va->token == NULL && (a[0] != '-' || strcmp(a, "-") == 0))
            va->token = a;
        else
            break;
    }
    if (i < argc || va->keys->nelts == 0 || va->token == NULL) {
        fputs(verify_usage, stderr);
        return AG_EXIT_USAGE;
    }
    return AG_EXIT_OK;
}

static void print_result(const ag_jwt_result *res, apr_pool_t *p)
{
    if (res->reason != AG_OK) {
        printf("refused reason=%s (%s)%s%s%s%s\n",
               ag_reason_name(res->reason), res->detail ? res->detail : "",
               res->log_kid ? " kid=" : "", res->log_kid ? res->log_kid : "",
               res->log_iss ? " iss=" : "", res->log_iss ? res->log_iss : "");
        return;
    }
    printf("ok user=%s alg=%s%s%s%s%s\n", ag_jwt_log_safe(res->user, p),
           ag_jwt_alg_name(res->alg), res->kid ? " kid=" : "",
           res->kid ? ag_jwt_log_safe(res->kid, p) : "",
           res->scope ? " scope=" : "",
           res->scope ? ag_jwt_description(res->scope, p) : "");
}

/* The module's checks: ag_jwt_verify, then, for a token it accepts, the
 * revocation list. */
static void verify(const char *token, const verify_args *va,
                   const apr_array_header_t *sets, const ag_revocation *rev,
                   ag_jwt_result *res, apr_pool_t *p)
{
    const char *detail;

    if (ag_jwt_verify(token, strlen(token), &va->pol,
                      (const ag_keyset *const *)sets->elts, sets->nelts,
                      apr_time_now(), res, p) != AG_OK)
        return;
    res->reason = ag_jwt_check_revoked(rev, res->jti, &detail);
    if (res->reason != AG_OK)
        res->detail = detail;
}

static int jwt_verify(int argc, const char *const *argv, apr_pool_t *p)
{
    apr_array_header_t *sets;
    const ag_revocation *rev = NULL;
    const char *token;
    verify_args va;
    ag_jwt_result res;
    int rc;

    rc = verify_parse(argc, argv, &va, p);
    if (rc != AG_EXIT_OK)
        return rc < 0 ? AG_EXIT_OK : rc;
    if ((rc = load_keysets(va.keys, &sets, p)) != AG_EXIT_OK)
        return rc;
    if (va.revocation != NULL &&
        (rc = load_revocation(va.revocation, &rev, p)) != AG_EXIT_OK)
        return rc;
    token = arg_or_stdin(va.token, p);
    if (token == NULL)
        return ag_tool_fail(AG_EXIT_USAGE, "cannot read standard input");
    verify(token, &va, sets, rev, &res, p);
    print_result(&res, p);
    return res.reason == AG_OK ? AG_EXIT_OK : AG_EXIT_REFUSED;
}

int ag_tool_jwt(int argc, const char *const *argv, apr_pool_t *p)
{
    if (argc >= 2 && strcmp(argv[1], "sign") == 0)
        return jwt_sign(argc - 2, argv + 2, p);
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return jwt_verify(argc - 2, argv + 2, p);
    if (argc >= 2 && ag_tool_is_help(argv[1])) {
        fputs(sign_usage, stdout);
        fputs(verify_usage, stdout);
        return AG_EXIT_OK;
    }
    fputs(sign_usage, stderr);
    fputs(verify_usage, stderr);
    return AG_EXIT_USAGE;
}

/* --- jwks --------------------------------------------------------------- */

/* The public key of a PEM file that may hold a private key. */
static int public_key_of(const char *path, ag_jwk **out, apr_pool_t *p)
{
    const char *data, *err = NULL;
    apr_size_t len;
    EVP_PKEY *pkey;
    BIO *in, *pub;
    char *text;
    long n;

    if (read_file(path, &data, &len, p) != APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "cannot read %s", path);
    if (ag_jwk_parse_pem(data, len, out, &err, p) == APR_SUCCESS)
        return AG_EXIT_OK;
    /* a private key: its public half */
    in = BIO_new_mem_buf(data, (int)len);
    pkey = in ? PEM_read_bio_PrivateKey(in, NULL, NULL, NULL) : NULL;
    BIO_free(in);
    if (pkey == NULL)
        return ag_tool_fail(AG_EXIT_USAGE, "%s: %s", path, err);
    pub = BIO_new(BIO_s_mem());
    PEM_write_bio_PUBKEY(pub, pkey);
    EVP_PKEY_free(pkey);
    n = BIO_get_mem_data(pub, &text);
    text = apr_pstrmemdup(p, text, (apr_size_t)n);
    BIO_free(pub);
    if (ag_jwk_parse_pem(text, strlen(text), out, &err, p) != APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "%s: %s", path, err);
    return AG_EXIT_OK;
}

int ag_tool_jwks(int argc, const char *const *argv, apr_pool_t *p)
{
    apr_array_header_t *keys = apr_array_make(p, 2, sizeof(const ag_jwk *));
    apr_array_header_t *kids = apr_array_make(p, 2, sizeof(const char *));
    const char *kid = NULL, *err = NULL;
    char *out;
    int i, rc;

    for (i = 1; i < argc; i++) {
        ag_jwk *key;

        if (ag_tool_is_help(argv[i])) {
            fputs(jwks_usage, stdout);
            return AG_EXIT_OK;
        }
        if (strcmp(argv[i], "--kid") == 0 && i + 1 < argc) {
            kid = argv[++i];
            continue;
        }
        if (argv[i][0] == '-') {
            fputs(jwks_usage, stderr);
            return AG_EXIT_USAGE;
        }
        rc = public_key_of(argv[i], &key, p);
        if (rc != AG_EXIT_OK)
            return rc;
        APR_ARRAY_PUSH(keys, const ag_jwk *) = key;
        APR_ARRAY_PUSH(kids, const char *) = kid;
        kid = NULL;
    }
    if (keys->nelts == 0 || kid != NULL) {
        fputs(jwks_usage, stderr);
        return AG_EXIT_USAGE;
    }
    if (ag_jwks_write(keys, kids, &out, &err, p) != APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "%s", err);
    fputs(out, stdout);
    return AG_EXIT_OK;
}
