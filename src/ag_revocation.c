#include <string.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "ag_file.h"
#include "ag_revocation.h"

struct ag_revocation {
    apr_hash_t *ids;
};

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r';
}

apr_status_t ag_revocation_parse(const char *data, apr_size_t len,
                                 void *baton, void **out, const char **err,
                                 apr_pool_t *p)
{
    ag_revocation *rev = apr_pcalloc(p, sizeof(*rev));
    const char *s = data, *end = data + len;
    unsigned line = 0;

    rev->ids = apr_hash_make(p);
    if ((*err = ag_file_nul_error(data, len, p)) != NULL)
        return APR_EINVAL;
    while (s < end) {
        const char *nl = memchr(s, '\n', (apr_size_t)(end - s));
        const char *e = nl ? nl : end, *b = s;

        line++;
        s = nl ? nl + 1 : end;
        while (b < e && is_space(*b))
            b++;
        while (e > b && is_space(e[-1]))
            e--;
        if (b == e || *b == '#')
            continue;
        if (e - b > AG_REVOCATION_MAX_ID) {
            *err = apr_psprintf(p, "line %u: longer than %d bytes", line,
                                AG_REVOCATION_MAX_ID);
            return APR_EINVAL;
        }
        b = apr_pstrmemdup(p, b, (apr_size_t)(e - b));
        apr_hash_set(rev->ids, b, APR_HASH_KEY_STRING, b);
    }
    *out = rev;
    return APR_SUCCESS;
}

int ag_revocation_has(const ag_revocation *rev, const char *id)
{
    return rev != NULL && id != NULL &&
           apr_hash_get(rev->ids, id, APR_HASH_KEY_STRING) != NULL;
}

unsigned ag_revocation_count(const ag_revocation *rev)
{
    return apr_hash_count(rev->ids);
}
