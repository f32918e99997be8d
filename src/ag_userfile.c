#include <string.h>
#include <strings.h>

#include <apr_hash.h>
#include <apr_strings.h>

#include "ag_file.h"
#include "ag_hash.h"
#include "ag_userfile.h"

struct ag_userfile {
    apr_hash_t *by_name;                            /* "user:realm" */
    apr_hash_t *by_userhash[AG_DIGEST_HASH__COUNT]; /* hex */
    int count;
};

const char *ag_userfile_check_name(const char *name)
{
    const unsigned char *s = (const unsigned char *)name;

    if (*s == '\0')
        return "empty";
    for (; *s != '\0'; s++) {
        if (*s == ':')
            return "holds ':'";
        if (*s < 0x20 || *s == 0x7f)
            return "holds a control character";
    }
    if (strlen(name) > AG_DIGEST_FIELD_MAX)
        return "too long";
    return NULL;
}

/* The LEN hex digits at S, lower-cased, in an allocation of their own;
 * NULL when they are not all hex. */
static char *hex_dup(const char *s, apr_size_t len, apr_pool_t *p)
{
    /* not apr_pstrmemdup(), which APR declares as allocating LEN bytes
     * (alloc_size), not the LEN + 1 it does: ag_digest_is_hex() reads the
     * NUL, and a compiler that sees both (-flto) warns of a read past the
     * object */
    char *out = apr_palloc(p, len + 1);

    memcpy(out, s, len);
    out[len] = '\0';
    if (!ag_digest_is_hex(out, len))
        return NULL;
    ag_hex_lower(out, len, out);
    return out;
}

/* FIELD (NAME=HEX, LEN bytes) into E. */
static apr_status_t read_field(const char *field, apr_size_t len,
                               ag_user_entry *e, const char **err,
                               apr_pool_t *p)
{
    const char *eq = memchr(field, '=', len), *name;
    const char **slot = NULL;
    apr_size_t hexlen = 0;
    int h;

    if (eq == NULL) {
        *err = "a field is not NAME=HEX";
        return APR_EINVAL;
    }
    name = apr_pstrmemdup(p, field, (apr_size_t)(eq - field));
    for (h = 0; h < AG_DIGEST_HASH__COUNT && slot == NULL; h++) {
        const char *hn = ag_digest_hash_name((ag_digest_hash)h);

        if (strcasecmp(name, hn) == 0)
            slot = &e->ha1[h];
        else if (strncasecmp(name, "userhash-", 9) == 0 &&
                 strcasecmp(name + 9, hn) == 0)
            slot = &e->userhash[h];
        if (slot != NULL)
            hexlen = ag_digest_hash_hexlen((ag_digest_hash)h);
    }
    if (slot == NULL) {
        *err = "unknown field name";
        return APR_EINVAL;
    }
    if (*slot != NULL) {
        *err = "a field given twice";
        return APR_EINVAL;
    }
    if ((apr_size_t)(field + len - (eq + 1)) != hexlen) {
        *err = "a hash of the wrong length";
        return APR_EINVAL;
    }
    *slot = hex_dup(eq + 1, hexlen, p);
    if (*slot == NULL) {
        *err = "a hash that is not hex";
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

static apr_status_t read_fields(const char *s, const char *end,
                                ag_user_entry *e, const char **err,
                                apr_pool_t *p)
{
    /* htdigest: USER:REALM:md5hex */
    if (end - s == 32 && memchr(s, '=', 32) == NULL) {
        e->ha1[AG_DIGEST_HASH_MD5] = hex_dup(s, 32, p);
        if (e->ha1[AG_DIGEST_HASH_MD5] == NULL) {
            *err = "a hash that is not hex";
            return APR_EINVAL;
        }
        return APR_SUCCESS;
    }
    while (s < end) {
        const char *f = s;

        while (s < end && *s != ' ' && *s != '\t')
            s++;
        if (s > f && read_field(f, (apr_size_t)(s - f), e, err, p) !=
                         APR_SUCCESS)
            return APR_EINVAL;
        while (s < end && (*s == ' ' || *s == '\t'))
            s++;
    }
    return APR_SUCCESS;
}

/* Fills in the userhashes of E's algorithms, or checks those given. */
static apr_status_t settle_userhashes(ag_user_entry *e, const char **err,
                                      apr_pool_t *p)
{
    int h, any = 0;

    for (h = 0; h < AG_DIGEST_HASH__COUNT; h++) {
        char uh[AG_DIGEST_HEX_MAX + 1];

        if (e->ha1[h] == NULL) {
            if (e->userhash[h] != NULL) {
                *err = "a userhash without its hash";
                return APR_EINVAL;
            }
            continue;
        }
        any = 1;
        ag_digest_userhash((ag_digest_hash)h, e->user, e->realm, uh);
        if (e->userhash[h] == NULL)
            e->userhash[h] = apr_pstrdup(p, uh);
        else if (strcmp(e->userhash[h], uh) != 0) {
            *err = "a userhash that does not match user and realm";
            return APR_EINVAL;
        }
    }
    if (!any) {
        *err = "no hash";
        return APR_EINVAL;
    }
    return APR_SUCCESS;
}

apr_status_t ag_userfile_parse_line(const char *line, apr_size_t len,
                                    ag_user_entry **out, const char **err,
                                    apr_pool_t *p)
{
    const char *end = line + len, *s = line, *c1, *c2;
    ag_user_entry *e;

    while (s < end && (*s == ' ' || *s == '\t'))
        s++;
    if (s == end || *s == '#')
        return APR_NOTFOUND;
    if (len > AG_USERFILE_LINE_MAX) {
        *err = "line too long";
        return APR_EINVAL;
    }
    if (memchr(line, '\0', len) != NULL) {
        *err = "a NUL byte";
        return APR_EINVAL;
    }
    c1 = memchr(line, ':', len);
    c2 = c1 ? memchr(c1 + 1, ':', (apr_size_t)(end - c1 - 1)) : NULL;
    if (c2 == NULL) {
        *err = "not USER:REALM:HASHES";
        return APR_EINVAL;
    }
    e = apr_pcalloc(p, sizeof(*e));
    e->user = apr_pstrmemdup(p, line, (apr_size_t)(c1 - line));
    e->realm = apr_pstrmemdup(p, c1 + 1, (apr_size_t)(c2 - c1 - 1));
    if (ag_userfile_check_name(e->user) != NULL) {
        *err = "a bad user name";
        return APR_EINVAL;
    }
    if (ag_userfile_check_name(e->realm) != NULL) {
        *err = "a bad realm";
        return APR_EINVAL;
    }
    if (read_fields(c2 + 1, end, e, err, p) != APR_SUCCESS ||
        settle_userhashes(e, err, p) != APR_SUCCESS)
        return APR_EINVAL;
    *out = e;
    return APR_SUCCESS;
}

static const char *name_key(const char *user, const char *realm,
                            apr_pool_t *p)
{
    return apr_pstrcat(p, user, ":", realm, NULL);
}

apr_status_t ag_userfile_parse(const char *data, apr_size_t len, void *baton,
                               void **out, const char **err, apr_pool_t *p)
{
    ag_userfile *f = apr_pcalloc(p, sizeof(*f));
    const char *s = data, *end = data + len;
    int lineno = 0, h;

    if ((*err = ag_file_nul_error(data, len, p)) != NULL)
        return APR_EINVAL;
    f->by_name = apr_hash_make(p);
    for (h = 0; h < AG_DIGEST_HASH__COUNT; h++)
        f->by_userhash[h] = apr_hash_make(p);
    while (s < end) {
        const char *nl = memchr(s, '\n', (apr_size_t)(end - s));
        const char *eol = nl ? nl : end, *why = NULL, *key;
        apr_size_t n = (apr_size_t)(eol - s);
        ag_user_entry *e;
        apr_status_t rv;

        lineno++;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        rv = ag_userfile_parse_line(s, n, &e, &why, p);
        s = nl ? nl + 1 : end;
        if (rv == APR_NOTFOUND)
            continue;
        if (rv != APR_SUCCESS) {
            *err = apr_psprintf(p, "line %d: %s", lineno, why);
            return rv;
        }
        key = name_key(e->user, e->realm, p);
        if (apr_hash_get(f->by_name, key, APR_HASH_KEY_STRING) != NULL) {
            *err = apr_psprintf(p, "line %d: a user given twice for one "
                                "realm", lineno);
            return APR_EINVAL;
        }
        apr_hash_set(f->by_name, key, APR_HASH_KEY_STRING, e);
        for (h = 0; h < AG_DIGEST_HASH__COUNT; h++)
            if (e->userhash[h] != NULL)
                apr_hash_set(f->by_userhash[h], e->userhash[h],
                             APR_HASH_KEY_STRING, e);
        f->count++;
    }
    *out = f;
    return APR_SUCCESS;
}

const ag_user_entry *ag_userfile_find(const ag_userfile *f, const char *user,
                                      const char *realm)
{
    char buf[2 * AG_DIGEST_FIELD_MAX + 2];
    apr_size_t ul = strlen(user), rl = strlen(realm);

    if (ul > AG_DIGEST_FIELD_MAX || rl > AG_DIGEST_FIELD_MAX)
        return NULL;
    memcpy(buf, user, ul);
    buf[ul] = ':';
    memcpy(buf + ul + 1, realm, rl + 1);
    return apr_hash_get(f->by_name, buf, APR_HASH_KEY_STRING);
}

const ag_user_entry *ag_userfile_find_userhash(const ag_userfile *f,
                                               ag_digest_hash hash,
                                               const char *userhash,
                                               const char *realm)
{
    char buf[AG_DIGEST_HEX_MAX + 1];
    const ag_user_entry *e;
    apr_size_t len;

    if (hash < 0 || hash >= AG_DIGEST_HASH__COUNT)
        return NULL;
    len = ag_digest_hash_hexlen(hash);
    if (!ag_digest_is_hex(userhash, len))
        return NULL;
    ag_hex_lower(userhash, len, buf);
    e = apr_hash_get(f->by_userhash[hash], buf, APR_HASH_KEY_STRING);
    return e != NULL && strcmp(e->realm, realm) == 0 ? e : NULL;
}

int ag_userfile_count(const ag_userfile *f)
{
    return f->count;
}

ag_user_entry *ag_user_entry_make(const char *user, const char *realm,
                                  const char *password, apr_pool_t *p)
{
    ag_user_entry *e = apr_pcalloc(p, sizeof(*e));
    int h;

    e->user = apr_pstrdup(p, user);
    e->realm = apr_pstrdup(p, realm);
    for (h = 0; h < AG_DIGEST_HASH__COUNT; h++) {
        char *ha1 = apr_palloc(p, AG_DIGEST_HEX_MAX + 1);
        char *uh = apr_palloc(p, AG_DIGEST_HEX_MAX + 1);

        ag_digest_ha1((ag_digest_hash)h, user, realm, password, ha1);
        ag_digest_userhash((ag_digest_hash)h, user, realm, uh);
        e->ha1[h] = ha1;
        e->userhash[h] = uh;
    }
    return e;
}

const char *ag_user_entry_format(const ag_user_entry *e, apr_pool_t *p)
{
    const char *line = apr_pstrcat(p, e->user, ":", e->realm, ":", NULL);
    const char *sep = "";
    int h;

    for (h = 0; h < AG_DIGEST_HASH__COUNT; h++)
        if (e->ha1[h] != NULL) {
            line = apr_pstrcat(p, line, sep,
                               ag_digest_hash_name((ag_digest_hash)h), "=",
                               e->ha1[h], NULL);
            sep = " ";
        }
    for (h = 0; h < AG_DIGEST_HASH__COUNT; h++)
        if (e->userhash[h] != NULL)
            line = apr_pstrcat(p, line, " userhash-",
                               ag_digest_hash_name((ag_digest_hash)h), "=",
                               e->userhash[h], NULL);
    return line;
}
