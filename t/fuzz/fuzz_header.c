/* libFuzzer target: ag_header_parse on any bytes, and ag_header_param on
 * what it returns.  Besides the sanitizers' findings, it aborts when a
 * parse that succeeded breaks the parser's promises (ag_header.h): a
 * token for a scheme, either a token68 or parameters, no parameter named
 * twice, no more than AG_HEADER_MAX_PARAMS, nothing from a value longer
 * than AG_HEADER_MAX_LEN.
 *
 *   scripts/fuzz header SECONDS */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>
#include <apr_tables.h>

#include "ag_header.h"
#include "asan_pool.h"
#include "fuzz_common.h"

/* RFC 9110 §5.6.2 tchar and token, spelled out here on purpose rather
 * than taken from ag_header_is_token(): the parser's character table is
 * what this oracle checks. */
static int is_tchar(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') ||
           (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

static int is_token(const char *s)
{
    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++)
        if (!is_tchar((unsigned char)*s))
            return 0;
    return 1;
}

/* The pool allocations of one input must reach ASan (asan_pool.h). */
static void check_interposition(void)
{
    apr_pool_t *p;
    apr_array_header_t *a;
    size_t before = asan_pool_total;

    apr_pool_create(&p, root);
    asan_pool_begin();
    a = apr_array_make(p, 1, sizeof(int));
    (void)apr_array_push(a);
    (void)apr_array_push(a);
    (void)apr_pstrmemdup(p, "x", 1);
    asan_pool_end();
    apr_pool_destroy(p);
    if (asan_pool_total - before < 4) {
        fprintf(stderr, "fuzz_header: APR allocations are not interposed; "
                        "ASan would not see pool overflows\n");
        abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init();
    check_interposition();
    return 0;
}

static void check_result(const char *value, const ag_credentials *cred)
{
    int i, j;

    CHECK(strlen(value) <= AG_HEADER_MAX_LEN);
    CHECK(cred->scheme != NULL && is_token(cred->scheme));
    CHECK(cred->params != NULL);
    CHECK(cred->params->nelts <= AG_HEADER_MAX_PARAMS);
    CHECK(cred->token68 == NULL || cred->params->nelts == 0);
    CHECK(cred->token68 == NULL || cred->token68[0] != '\0');
    for (i = 0; i < cred->params->nelts; i++) {
        const ag_auth_param *a =
            &APR_ARRAY_IDX(cred->params, i, ag_auth_param);

        CHECK(a->name != NULL && is_token(a->name));
        CHECK(a->value != NULL);
        CHECK(a->name_len == strlen(a->name));
        CHECK(a->value_len == strlen(a->value));
        CHECK(a->quoted || is_token(a->value));
        /* ag_header_param finds this very parameter: no other has its
         * name in any case */
        CHECK(ag_header_param(cred, a->name) == a->value);
        for (j = i + 1; j < cred->params->nelts; j++)
            CHECK(strcasecmp(a->name, APR_ARRAY_IDX(cred->params, j,
                                                    ag_auth_param).name) != 0);
    }
    (void)ag_header_param(cred, "realm");
    (void)ag_header_param(cred, "");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apr_pool_t *p;
    ag_credentials *cred = NULL;
    const char *why = NULL;
    char *value;

    apr_pool_create(&p, root);
    asan_pool_begin();
    /* A header value is a C string by the time the gate sees it; its own
     * malloc'd block, so a read past the NUL is caught. */
    value = fuzz_cstring(data, size);
    if (ag_header_parse(value, &cred, &why, p) == APR_SUCCESS)
        check_result(value, cred);
    else
        CHECK(why != NULL && *why != '\0');
    free(value);
    asan_pool_end();
    apr_pool_destroy(p);
    return 0;
}
