/* Files the gate reads (keys, API key records, user files, revocation
 * lists) and the tool writes.
 *
 * Reading: whole files with a size bound, and a stamp (device, inode,
 * size, mtime) that tells whether a file changed since.
 * Writing: atomically, through a temporary file in the same directory and
 * rename(2), so a running server never reads half a file.
 * Reloading: ag_reloader keeps the last good parse of a file, re-checks the
 * file at most once per interval, and hands each caller a generation that
 * stays valid until released, so a request sees the whole old set or the
 * whole new set, never a mix, and a file that turns bad keeps the old. */
#ifndef AG_FILE_H
#define AG_FILE_H

#include <apr_file_info.h>
#include <apr_pools.h>
#include <apr_thread_mutex.h>
#include <apr_time.h>

typedef struct {
    apr_dev_t device;
    apr_ino_t inode;
    apr_off_t size;
    apr_time_t mtime;
} ag_file_stamp;

/* Reads PATH into *DATA (NUL-terminated; *LEN excludes the NUL) from P.
 * APR_ENOSPC when the file is larger than MAX.  STAMP, when not NULL, gets
 * the stamp of the file that was read. */
apr_status_t ag_file_read(const char *path, apr_size_t max, char **data,
                          apr_size_t *len, ag_file_stamp *stamp,
                          apr_pool_t *p);

/* The stamp of PATH now. */
apr_status_t ag_file_stamp_get(const char *path, ag_file_stamp *stamp,
                               apr_pool_t *p);

int ag_file_stamp_equal(const ag_file_stamp *a, const ag_file_stamp *b);

/* The line (from 1) of the first NUL byte in LEN bytes of DATA, or 0
 * when there is none.  The files the gate reads are text: a NUL anywhere,
 * in a comment too, makes the parsers refuse the file, so that nothing
 * that reads it as a C string (the tool rewriting it) loses what follows. */
unsigned ag_file_nul_line(const char *data, apr_size_t len);

/* The parsers' refusal of such a file, "line N: a NUL byte", from P; NULL
 * when DATA holds no NUL. */
const char *ag_file_nul_error(const char *data, apr_size_t len,
                              apr_pool_t *p);

/* What went wrong reading a file, in a few words for an operator: "file
 * too large" for ag_file_read()'s APR_ENOSPC, else the system's words
 * (written into BUF, of SIZE octets). */
const char *ag_file_read_errstr(apr_status_t rv, char *buf, apr_size_t size);

/* rw-r-----: what the tool gives the files it writes. */
#define AG_FILE_PERMS_0640 \
    (APR_FPROT_UREAD | APR_FPROT_UWRITE | APR_FPROT_GREAD)

/* Replaces PATH with LEN bytes of DATA, mode PERMS (APR_FPROT_* bits),
 * atomically.  The new file keeps the owner and group of the one it
 * replaces where the caller may give them (root: both; another user: a
 * group it belongs to).  Where PATH is a symbolic link, the file it leads
 * to is replaced and the link stays. */
apr_status_t ag_file_write_atomic(const char *path, const void *data,
                                  apr_size_t len, apr_fileperms_t perms,
                                  apr_pool_t *p);

/* Waits for, then takes, an exclusive lock on PATH for a read-change-write
 * of it, so that two writers of one file (two `authgate` commands) run one
 * after the other and neither loses the other's change.  The lock is
 * flock(2) on the file itself; since every write renames a new file over
 * the old one, a lock taken on a file that was replaced meanwhile is let
 * go and taken again on the new one.  With CREATE a missing PATH is made
 * (empty, mode PERMS); without it, a missing PATH is APR_ENOENT.  The lock
 * lasts as long as P.  Readers (the server) take no lock: they never see
 * half a file anyway. */
apr_status_t ag_file_lock(const char *path, int create, apr_fileperms_t perms,
                          apr_pool_t *p);

/* Turns a file's bytes into the object the gate uses.  Allocates from P,
 * a pool of its own that lives exactly as long as the object.  On failure
 * returns non-APR_SUCCESS and sets *ERR (a few words, never file content). */
typedef apr_status_t (*ag_reload_parse_fn)(const char *data, apr_size_t len,
                                           void *baton, void **out,
                                           const char **err, apr_pool_t *p);

typedef struct ag_reloader ag_reloader;
typedef struct ag_reload_gen ag_reload_gen;

/* What an ag_reloader_acquire() call did, for the caller to log. */
typedef enum {
    AG_RELOAD_NONE = 0,   /* nothing checked or nothing changed */
    AG_RELOAD_DONE,       /* the file changed and the new parse is in use */
    AG_RELOAD_FAILED      /* the file changed or vanished and could not be
                             used: the last good generation stays */
} ag_reload_event;

/* Loads PATH now (the first load must succeed: a configuration error
 * otherwise, with *ERR set).  INTERVAL is the least time between checks of
 * the file.  The reloader lives as long as P. */
apr_status_t ag_reloader_create(ag_reloader **out, const char *path,
                                apr_size_t max, apr_interval_time_t interval,
                                ag_reload_parse_fn parse, void *baton,
                                const char **err, apr_pool_t *p);

/* The generation in use, re-checking the file first when INTERVAL has
 * passed since the last check (one caller checks; the others go on with
 * the generation in use meanwhile).  Release it with ag_reload_release().
 * *EVENT and, on AG_RELOAD_FAILED, *ERR tell what happened; a failure is
 * reported once per change of the file, not at every check. */
ag_reload_gen *ag_reloader_acquire(ag_reloader *rl, apr_time_t now,
                                   ag_reload_event *event, const char **err);

void ag_reload_release(ag_reloader *rl, ag_reload_gen *gen);

/* Lets the next ag_reloader_acquire() check the file at once, unless it
 * was checked less than MIN ago: for a caller that met something the
 * generation in use lacks (a JWT's kid), which may mean the file has just
 * changed.  MIN keeps such callers from making every request a check. */
void ag_reloader_expedite(ag_reloader *rl, apr_time_t now,
                          apr_interval_time_t min);

/* Registers ag_reload_release() of GEN as a cleanup of P (a request's). */
void ag_reload_release_with(ag_reloader *rl, ag_reload_gen *gen,
                            apr_pool_t *p);

/* The parsed object of GEN. */
void *ag_reload_gen_data(const ag_reload_gen *gen);

/* How many reloads succeeded since creation (for authgate_key_reloads_total). */
apr_uint64_t ag_reloader_count(const ag_reloader *rl);

const char *ag_reloader_path(const ag_reloader *rl);

#endif
