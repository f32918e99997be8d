/* AuthGateUserFile: the Digest hashes of users, for every algorithm, as
 * `authgate digest` writes them.  One user and realm a line:
 *
 *   USER:REALM:MD5=hex SHA-256=hex SHA-512-256=hex userhash-MD5=hex ...
 *
 * Fields after the second colon are NAME=HEX separated by spaces, names
 * without regard to case: MD5, SHA-256 and SHA-512-256 hold
 * H(USER:REALM:password); userhash-MD5, userhash-SHA-256 and
 * userhash-SHA-512-256 hold H(USER:REALM) (RFC 7616 §3.4.4), computed
 * when absent.  A plain htdigest line (USER:REALM:md5hex) is read as MD5
 * only.  Blank lines and lines starting with '#' are ignored.  USER and
 * REALM may hold neither ':' nor control characters. */
#ifndef AG_USERFILE_H
#define AG_USERFILE_H

#include <apr_pools.h>

#include "ag_digest.h"

/* Longest line, longest file. */
#define AG_USERFILE_LINE_MAX 4096
#define AG_USERFILE_MAX ((apr_size_t)64 * 1024 * 1024)

typedef struct {
    const char *user;
    const char *realm;
    const char *ha1[AG_DIGEST_HASH__COUNT];       /* lower-case hex, or
                                                     NULL */
    const char *userhash[AG_DIGEST_HASH__COUNT];  /* lower-case hex */
} ag_user_entry;

typedef struct ag_userfile ag_userfile;

/* Parses the whole file (an ag_reload_parse_fn).  *ERR names the line and
 * the problem, never its content. */
apr_status_t ag_userfile_parse(const char *data, apr_size_t len, void *baton,
                               void **out, const char **err, apr_pool_t *p);

/* Parses one line (without its newline).  APR_SUCCESS and *OUT for an
 * entry, APR_NOTFOUND for a blank or comment line, APR_EINVAL (and *ERR)
 * otherwise. */
apr_status_t ag_userfile_parse_line(const char *line, apr_size_t len,
                                    ag_user_entry **out, const char **err,
                                    apr_pool_t *p);

/* The entry of USER in REALM, or NULL. */
const ag_user_entry *ag_userfile_find(const ag_userfile *f, const char *user,
                                      const char *realm);

/* The entry whose userhash for HASH is USERHASH (hex, either case), in
 * REALM, or NULL. */
const ag_user_entry *ag_userfile_find_userhash(const ag_userfile *f,
                                               ag_digest_hash hash,
                                               const char *userhash,
                                               const char *realm);

/* Number of entries. */
int ag_userfile_count(const ag_userfile *f);

/* NULL when NAME may be a user or realm of the file, else why not. */
const char *ag_userfile_check_name(const char *name);

/* The entry of USER in REALM for PASSWORD: every hash and userhash. */
ag_user_entry *ag_user_entry_make(const char *user, const char *realm,
                                  const char *password, apr_pool_t *p);

/* ENTRY as a line of the file, without the newline. */
const char *ag_user_entry_format(const ag_user_entry *e, apr_pool_t *p);

#endif
