#include <stdlib.h>
#include <string.h>

#include <apr_strings.h>

#include <openssl/crypto.h>

#include "ag_hash.h"
#include "ag_token_memo.h"

struct ag_token_memo {
    char *buf;                /* the token, then the entry's strings */
    apr_size_t cap;
    apr_size_t token_len;     /* 0: empty */
    apr_size_t used;          /* bytes of buf in use, wiped on change */
    apr_size_t len[4];        /* of user, scope, kid, jti */
    int present[4];
    ag_token_entry entry;     /* its strings unset: they live in buf */
};

static void wipe(ag_token_memo *m)
{
    if (m->buf != NULL)
        OPENSSL_cleanse(m->buf, m->used);
    m->used = 0;
    m->token_len = 0;
}

static apr_status_t memo_cleanup(void *data)
{
    ag_token_memo *m = data;

    wipe(m);
    free(m->buf);
    m->buf = NULL;
    m->cap = 0;
    return APR_SUCCESS;
}

ag_token_memo *ag_token_memo_create(apr_pool_t *p)
{
    ag_token_memo *m = apr_pcalloc(p, sizeof(*m));

    apr_pool_cleanup_register(p, m, memo_cleanup, apr_pool_cleanup_null);
    return m;
}

void ag_token_memo_clear(ag_token_memo *m)
{
    wipe(m);
}

/* Room for NEED bytes in M's buffer, whose content is already wiped. */
static int reserve(ag_token_memo *m, apr_size_t need)
{
    char *buf;

    if (need <= m->cap)
        return 1;
    buf = malloc(need);
    if (buf == NULL)
        return 0;
    free(m->buf);
    m->buf = buf;
    m->cap = need;
    return 1;
}

void ag_token_memo_set(ag_token_memo *m, const char *token, apr_size_t len,
                       const ag_token_entry *entry)
{
    const char *s[4] = {entry->user, entry->scope, entry->kid, entry->jti};
    apr_size_t need = len, off;
    int k;

    wipe(m);
    if (len == 0 || entry->user == NULL)
        return;
    for (k = 0; k < 4; k++) {
        m->present[k] = s[k] != NULL;
        m->len[k] = s[k] != NULL ? strlen(s[k]) : 0;
        need += m->len[k];
    }
    if (!reserve(m, need))
        return;
    memcpy(m->buf, token, len);
    off = len;
    for (k = 0; k < 4; k++) {
        if (m->len[k] > 0)
            memcpy(m->buf + off, s[k], m->len[k]);
        off += m->len[k];
    }
    m->entry = *entry;
    m->entry.user = m->entry.scope = m->entry.kid = m->entry.jti = NULL;
    m->used = need;
    m->token_len = len;
}

int ag_token_memo_get(const ag_token_memo *m, const char *token,
                      apr_size_t len, apr_uint64_t policy, apr_time_t now,
                      ag_token_entry *out, apr_pool_t *p)
{
    const char **s[4] = {&out->user, &out->scope, &out->kid, &out->jti};
    apr_size_t off;
    int k;

    /* the length is no secret; the bytes are compared in constant time,
     * as the memo may hold another client's token on a shared connection */
    if (m->token_len == 0 || len != m->token_len ||
        !ag_same_bytes(m->buf, token, len) ||
        m->entry.policy != policy || now >= m->entry.expires)
        return 0;
    *out = m->entry;
    off = len;
    for (k = 0; k < 4; k++) {
        *s[k] = m->present[k] ? apr_pstrmemdup(p, m->buf + off, m->len[k])
                              : NULL;
        off += m->len[k];
    }
    return 1;
}
