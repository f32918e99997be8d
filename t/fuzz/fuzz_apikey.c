/* libFuzzer target: the API key record file parser (ag_apikey_parse).
 *
 * Besides the sanitizers' findings, it aborts when a promise of
 * ag_apikey.h breaks: a refusal names its line, and a file that parses
 * round-trips (its records, formatted again, parse into the same records)
 * and every record is found again by its hash.
 *
 *   scripts/fuzz apikey SECONDS */
#include <stdlib.h>
#include <string.h>

#include <apr_general.h>
#include <apr_pools.h>
#include <apr_strings.h>

#include "ag_apikey.h"
#include "asan_pool.h"
#include "fuzz_common.h"

static void check_round_trip(const ag_apikey_store *s, apr_pool_t *p)
{
    const char *text = "";
    ag_apikey_store *again;
    const char *err = NULL;
    int i, n = ag_apikey_count(s);

    for (i = 0; i < n; i++) {
        const ag_apikey_record *rec = ag_apikey_at(s, i);

        if (ag_apikey_find_hash(s, rec->sha256) != rec)
            abort();
        text = apr_pstrcat(p, text, ag_apikey_record_format(rec, p), "\n",
                           NULL);
    }
    if (ag_apikey_parse(text, strlen(text), &again, &err, p) != APR_SUCCESS ||
        ag_apikey_count(again) != n)
        abort();
    for (i = 0; i < n; i++) {
        const ag_apikey_record *a = ag_apikey_at(s, i);
        const ag_apikey_record *b = ag_apikey_at(again, i);

        if (strcmp(a->id, b->id) != 0 || strcmp(a->user, b->user) != 0 ||
            strcmp(a->scopes, b->scopes) != 0 || a->expires != b->expires ||
            a->created != b->created || a->revoked != b->revoked ||
            memcmp(a->sha256, b->sha256, sizeof(a->sha256)) != 0)
            abort();
    }
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    fuzz_init();
    return 0;
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
    ag_apikey_store *s;
    const char *err = NULL;
    apr_pool_t *p;

    apr_pool_create(&p, root);
    asan_pool_begin();
    /* DATA is exactly SIZE bytes, not NUL-terminated: a read past it is
     * caught */
    if (ag_apikey_parse((const char *)data, size, &s, &err, p) ==
        APR_SUCCESS)
        check_round_trip(s, p);
    else if (err == NULL || strncmp(err, "line ", 5) != 0)
        abort();            /* every refusal names its line */
    asan_pool_end();
    apr_pool_destroy(p);
    return 0;
}
