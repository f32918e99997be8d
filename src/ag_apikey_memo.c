#include <string.h>

#include <apr_general.h>

#include <openssl/crypto.h>

#include "ag_apikey_memo.h"
#include "ag_hash.h"
#include "ag_prefetch.h"

/* What a lookup reads first, then the key: a memo that does not hold
 * the key presented costs one or two cache lines, not the three that a
 * key buffer ahead of its length would.  Made on a cache line of its
 * own (MEMO_ALIGN). */
struct ag_apikey_memo {
    apr_size_t len;                 /* 0: empty */
    apr_uint64_t serial;            /* of the store REC is in */
    const ag_apikey_record *rec;
    char key[AG_APIKEY_MAX_LEN];
};

#define MEMO_ALIGN 64

static apr_status_t memo_cleanup(void *data)
{
    ag_apikey_memo_clear(data);
    return APR_SUCCESS;
}

ag_apikey_memo *ag_apikey_memo_create(apr_pool_t *p)
{
    char *mem = apr_pcalloc(p, sizeof(ag_apikey_memo) + MEMO_ALIGN - 1);
    ag_apikey_memo *m =
        (ag_apikey_memo *)(void *)APR_ALIGN((apr_uintptr_t)mem, MEMO_ALIGN);

    apr_pool_cleanup_register(p, m, memo_cleanup, apr_pool_cleanup_null);
    return m;
}

void ag_apikey_memo_clear(ag_apikey_memo *m)
{
    OPENSSL_cleanse(m->key, m->len);
    m->len = 0;
    m->serial = 0;
    m->rec = NULL;
}

void ag_apikey_memo_prefetch(const ag_apikey_memo *m)
{
    ag_prefetch(m);
    ag_prefetch((const char *)m + MEMO_ALIGN);
}

const ag_apikey_record *ag_apikey_memo_get(const ag_apikey_memo *m,
                                           const ag_apikey_store *s,
                                           const char *key, apr_size_t len)
{
    if (m->len == 0 || len != m->len ||
        m->serial != ag_apikey_store_serial(s) ||
        !ag_same_bytes(m->key, key, len))
        return NULL;
    return m->rec;
}

void ag_apikey_memo_set(ag_apikey_memo *m, const ag_apikey_store *s,
                        const char *key, apr_size_t len,
                        const ag_apikey_record *rec)
{
    ag_apikey_memo_clear(m);
    if (len == 0 || len > sizeof(m->key) || rec == NULL)
        return;
    memcpy(m->key, key, len);
    m->len = len;
    m->serial = ag_apikey_store_serial(s);
    m->rec = rec;
}
