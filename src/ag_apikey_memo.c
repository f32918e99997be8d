#include <string.h>

#include <openssl/crypto.h>

#include "ag_apikey_memo.h"
#include "ag_hash.h"

struct ag_apikey_memo {
    char key[AG_APIKEY_MAX_LEN];
    apr_size_t len;                 /* 0: empty */
    apr_uint64_t serial;            /* of the store REC is in */
    const ag_apikey_record *rec;
};

static apr_status_t memo_cleanup(void *data)
{
    ag_apikey_memo_clear(data);
    return APR_SUCCESS;
}

ag_apikey_memo *ag_apikey_memo_create(apr_pool_t *p)
{
    ag_apikey_memo *m = apr_pcalloc(p, sizeof(*m));

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
