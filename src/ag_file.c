#include <errno.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <apr_errno.h>
#include <apr_file_io.h>
#include <apr_portable.h>
#include <apr_strings.h>

#include "ag_file.h"

/* --- reading and writing --------------------------------------------- */

static void stamp_from(const apr_finfo_t *fi, ag_file_stamp *stamp)
{
    stamp->device = fi->device;
    stamp->inode = fi->inode;
    stamp->size = fi->size;
    stamp->mtime = fi->mtime;
}

apr_status_t ag_file_stamp_get(const char *path, ag_file_stamp *stamp,
                               apr_pool_t *p)
{
    apr_finfo_t fi;
    apr_status_t rv;

    rv = apr_stat(&fi, path, APR_FINFO_SIZE | APR_FINFO_MTIME |
                             APR_FINFO_INODE | APR_FINFO_DEV, p);
    if (rv != APR_SUCCESS && rv != APR_INCOMPLETE)
        return rv;
    stamp_from(&fi, stamp);
    return APR_SUCCESS;
}

int ag_file_stamp_equal(const ag_file_stamp *a, const ag_file_stamp *b)
{
    return a->device == b->device && a->inode == b->inode &&
           a->size == b->size && a->mtime == b->mtime;
}

unsigned ag_file_nul_line(const char *data, apr_size_t len)
{
    const char *nul = memchr(data, '\0', len), *s;
    unsigned line = 1;

    if (nul == NULL)
        return 0;
    for (s = data; (s = memchr(s, '\n', (apr_size_t)(nul - s))) != NULL;
         s++)
        line++;
    return line;
}

const char *ag_file_nul_error(const char *data, apr_size_t len,
                              apr_pool_t *p)
{
    unsigned line = ag_file_nul_line(data, len);

    return line != 0 ? apr_psprintf(p, "line %u: a NUL byte", line) : NULL;
}

const char *ag_file_read_errstr(apr_status_t rv, char *buf, apr_size_t size)
{
    return rv == APR_ENOSPC ? "file too large"
                            : apr_strerror(rv, buf, size);
}

apr_status_t ag_file_read(const char *path, apr_size_t max, char **data,
                          apr_size_t *len, ag_file_stamp *stamp,
                          apr_pool_t *p)
{
    apr_file_t *f;
    apr_finfo_t fi;
    apr_status_t rv;
    apr_size_t n;
    char *buf;

    rv = apr_file_open(&f, path, APR_FOPEN_READ | APR_FOPEN_BINARY,
                       APR_OS_DEFAULT, p);
    if (rv != APR_SUCCESS)
        return rv;
    rv = apr_file_info_get(&fi, APR_FINFO_SIZE | APR_FINFO_MTIME |
                                APR_FINFO_INODE | APR_FINFO_DEV |
                                APR_FINFO_TYPE, f);
    if (rv != APR_SUCCESS && rv != APR_INCOMPLETE)
        goto done;
    if (fi.filetype != APR_REG) {
        rv = APR_EINVAL;
        goto done;
    }
    if (fi.size < 0 || (apr_uint64_t)fi.size > max) {
        rv = APR_ENOSPC;
        goto done;
    }
    n = (apr_size_t)fi.size;
    buf = apr_palloc(p, n + 1);
    rv = n == 0 ? APR_SUCCESS : apr_file_read_full(f, buf, n, &n);
    if (rv != APR_SUCCESS)
        goto done;
    buf[n] = '\0';
    *data = buf;
    *len = n;
    if (stamp != NULL)
        stamp_from(&fi, stamp);
done:
    apr_file_close(f);
    return rv;
}

/* Gives F the owner and group of the file at PATH, where there is one and
 * we may (root may give both; another user only a group it belongs to):
 * the server reads the file as its own user, so an operator gives the file
 * its group, and a rewrite must not take it away.  What cannot be kept is
 * left as it is (the tool warns). */
static void keep_owner(apr_file_t *f, const char *path)
{
    struct stat old;
    apr_os_file_t fd;

    if (stat(path, &old) != 0)
        return;
    apr_os_file_get(&fd, f);
    if (fchown(fd, old.st_uid, old.st_gid) != 0 &&
        fchown(fd, (uid_t)-1, old.st_gid) != 0)
        return;     /* neither: the tool says so */
}

/* The file a write of PATH replaces: PATH, or the file its symbolic link
 * leads to, so that a link an operator made (the key file kept with other
 * secrets) stays a link, as htpasswd leaves it.  A link that leads nowhere
 * is replaced, as a missing file would be made. */
static const char *write_target(const char *path, apr_pool_t *p)
{
    struct stat st;
    char *real;
    const char *out;

    if (lstat(path, &st) != 0 || !S_ISLNK(st.st_mode) ||
        (real = realpath(path, NULL)) == NULL)
        return path;
    out = apr_pstrdup(p, real);
    free(real);
    return out;
}

apr_status_t ag_file_write_atomic(const char *path, const void *data,
                                  apr_size_t len, apr_fileperms_t perms,
                                  apr_pool_t *p)
{
    char *tmp;
    apr_file_t *f;
    apr_size_t written;
    apr_status_t rv;

    path = write_target(path, p);
    tmp = apr_pstrcat(p, path, ".XXXXXX", NULL);
    rv = apr_file_mktemp(&f, tmp, APR_FOPEN_CREATE | APR_FOPEN_WRITE |
                                  APR_FOPEN_EXCL | APR_FOPEN_BINARY, p);
    if (rv != APR_SUCCESS)
        return rv;
    keep_owner(f, path);
    rv = apr_file_perms_set(tmp, perms);
    if (rv == APR_SUCCESS || rv == APR_ENOTIMPL)
        rv = apr_file_write_full(f, data, len, &written);
    if (rv == APR_SUCCESS)
        rv = apr_file_sync(f);
    apr_file_close(f);
    if (rv == APR_SUCCESS)
        rv = apr_file_rename(tmp, path, p);
    if (rv != APR_SUCCESS)
        apr_file_remove(tmp, p);
    return rv;
}

/* How often ag_file_lock() follows a file replaced while it waited: more
 * than any number of writers queued behind one another would need. */
#define LOCK_TRIES 1000

/* 1 when F is still the file at PATH (not replaced since it was opened). */
static int still_at(apr_file_t *f, const char *path, apr_pool_t *p)
{
    apr_finfo_t held, now;

    return apr_file_info_get(&held, APR_FINFO_IDENT, f) == APR_SUCCESS &&
           apr_stat(&now, path, APR_FINFO_IDENT, p) == APR_SUCCESS &&
           held.device == now.device && held.inode == now.inode;
}

apr_status_t ag_file_lock(const char *path, int create, apr_fileperms_t perms,
                          apr_pool_t *p)
{
    apr_int32_t flags = APR_FOPEN_READ |
                        (create ? APR_FOPEN_CREATE : 0);
    int tries;

    for (tries = 0; tries < LOCK_TRIES; tries++) {
        apr_os_file_t fd;
        apr_file_t *f;
        apr_status_t rv = apr_file_open(&f, path, flags, perms, p);
        int rc;

        if (rv != APR_SUCCESS)
            return rv;
        apr_os_file_get(&fd, f);
        while ((rc = flock(fd, LOCK_EX)) != 0 && errno == EINTR)
            ;
        if (rc != 0) {
            rv = APR_FROM_OS_ERROR(errno);
            apr_file_close(f);
            return rv;
        }
        /* F stays open, and locked, until P goes */
        if (still_at(f, path, p))
            return APR_SUCCESS;
        apr_file_close(f);
    }
    return APR_EBUSY;
}

/* --- reloading ------------------------------------------------------- */

struct ag_reload_gen {
    apr_pool_t *pool;       /* unmanaged: owns DATA, freed at refs == 0 */
    void *data;
    ag_file_stamp stamp;
    unsigned refs;          /* the reloader's own (while current) + users */
};

struct ag_reloader {
    const char *path;
    apr_size_t max;
    apr_interval_time_t interval;
    ag_reload_parse_fn parse;
    void *baton;
    apr_thread_mutex_t *mutex;
    ag_reload_gen *current;
    apr_time_t last_check;
    int checking;           /* one caller at a time reads the file */
    int failed_valid;       /* FAILED_STAMP is the file that last failed */
    ag_file_stamp failed_stamp;
    apr_uint64_t count;
    char err_buf[256];      /* a parse error outlives the parse's pool */
};

/* Why RL's file could not be read, in RL's buffer: "cannot read file:
 * Permission denied" tells an operator what to fix. */
static void read_error(ag_reloader *rl, apr_status_t rv, const char **err)
{
    char why[128];

    apr_snprintf(rl->err_buf, sizeof(rl->err_buf), "cannot read file: %s",
                 ag_file_read_errstr(rv, why, sizeof(why)));
    *err = rl->err_buf;
}

/* Reads and parses the file into a new generation with one reference. */
static apr_status_t load_gen(ag_reloader *rl, ag_reload_gen **out,
                             ag_file_stamp *stamp, const char **err)
{
    ag_reload_gen *gen;
    apr_pool_t *pool;
    apr_status_t rv;
    apr_size_t len;
    char *data;

    rv = apr_pool_create_unmanaged_ex(&pool, NULL, NULL);
    if (rv != APR_SUCCESS) {
        *err = "out of memory";
        return rv;
    }
    rv = ag_file_read(rl->path, rl->max, &data, &len, stamp, pool);
    if (rv != APR_SUCCESS) {
        read_error(rl, rv, err);
        apr_pool_destroy(pool);
        return rv;
    }
    gen = apr_pcalloc(pool, sizeof(*gen));
    gen->pool = pool;
    gen->stamp = *stamp;
    gen->refs = 1;
    *err = NULL;
    rv = rl->parse(data, len, rl->baton, &gen->data, err, pool);
    if (rv != APR_SUCCESS) {
        if (*err == NULL)
            *err = "invalid content";
        /* the message may live in POOL: keep a copy */
        apr_cpystrn(rl->err_buf, *err, sizeof(rl->err_buf));
        *err = rl->err_buf;
        apr_pool_destroy(pool);
        return rv;
    }
    *out = gen;
    return APR_SUCCESS;
}

static apr_status_t reloader_cleanup(void *data)
{
    ag_reloader *rl = data;

    if (rl->current != NULL && --rl->current->refs == 0)
        apr_pool_destroy(rl->current->pool);
    rl->current = NULL;
    return APR_SUCCESS;
}

apr_status_t ag_reloader_create(ag_reloader **out, const char *path,
                                apr_size_t max, apr_interval_time_t interval,
                                ag_reload_parse_fn parse, void *baton,
                                const char **err, apr_pool_t *p)
{
    ag_reloader *rl = apr_pcalloc(p, sizeof(*rl));
    ag_file_stamp stamp;
    apr_status_t rv;

    rl->path = apr_pstrdup(p, path);
    rl->max = max;
    rl->interval = interval;
    rl->parse = parse;
    rl->baton = baton;
    rv = apr_thread_mutex_create(&rl->mutex, APR_THREAD_MUTEX_DEFAULT, p);
    if (rv != APR_SUCCESS) {
        *err = "cannot create a mutex";
        return rv;
    }
    rv = load_gen(rl, &rl->current, &stamp, err);
    if (rv != APR_SUCCESS)
        return rv;
    rl->last_check = apr_time_now();
    apr_pool_cleanup_register(p, rl, reloader_cleanup,
                              apr_pool_cleanup_null);
    *out = rl;
    return APR_SUCCESS;
}

/* Called by the one caller that checks: is there a new generation?  On
 * AG_RELOAD_DONE, *FRESH holds it with one reference (the reloader's). */
static ag_reload_event check_file(ag_reloader *rl, const ag_file_stamp *now,
                                  ag_reload_gen **fresh, const char **err)
{
    ag_file_stamp stamp;
    apr_pool_t *tmp;
    apr_status_t rv;

    if (apr_pool_create_unmanaged_ex(&tmp, NULL, NULL) != APR_SUCCESS)
        return AG_RELOAD_NONE;
    rv = ag_file_stamp_get(rl->path, &stamp, tmp);
    apr_pool_destroy(tmp);
    if (rv != APR_SUCCESS) {
        ag_file_stamp gone = {0};

        if (rl->failed_valid && ag_file_stamp_equal(&gone, &rl->failed_stamp))
            return AG_RELOAD_NONE;
        rl->failed_stamp = gone;
        rl->failed_valid = 1;
        read_error(rl, rv, err);
        return AG_RELOAD_FAILED;
    }
    if (ag_file_stamp_equal(&stamp, now) ||
        (rl->failed_valid && ag_file_stamp_equal(&stamp, &rl->failed_stamp)))
        return AG_RELOAD_NONE;
    if (load_gen(rl, fresh, &stamp, err) != APR_SUCCESS) {
        rl->failed_stamp = stamp;
        rl->failed_valid = 1;
        return AG_RELOAD_FAILED;
    }
    rl->failed_valid = 0;
    return AG_RELOAD_DONE;
}

ag_reload_gen *ag_reloader_acquire(ag_reloader *rl, apr_time_t now,
                                   ag_reload_event *event, const char **err)
{
    ag_reload_gen *gen, *fresh = NULL, *old;
    ag_file_stamp stamp;
    unsigned left;
    int check = 0;

    *event = AG_RELOAD_NONE;
    apr_thread_mutex_lock(rl->mutex);
    gen = rl->current;
    gen->refs++;
    if (!rl->checking && now - rl->last_check >= rl->interval) {
        rl->checking = 1;
        rl->last_check = now;
        check = 1;
    }
    stamp = gen->stamp;
    apr_thread_mutex_unlock(rl->mutex);
    if (!check)
        return gen;

    *event = check_file(rl, &stamp, &fresh, err);

    apr_thread_mutex_lock(rl->mutex);
    rl->checking = 0;
    if (fresh == NULL) {
        apr_thread_mutex_unlock(rl->mutex);
        return gen;
    }
    old = rl->current;
    rl->current = fresh;
    rl->count++;
    fresh->refs++;              /* the caller's */
    /* OLD loses the reloader's reference and this caller's */
    left = old->refs -= 2;
    apr_thread_mutex_unlock(rl->mutex);
    if (left == 0)
        apr_pool_destroy(old->pool);
    return fresh;
}

void ag_reload_release(ag_reloader *rl, ag_reload_gen *gen)
{
    unsigned refs;

    apr_thread_mutex_lock(rl->mutex);
    refs = --gen->refs;
    apr_thread_mutex_unlock(rl->mutex);
    if (refs == 0)
        apr_pool_destroy(gen->pool);
}

void ag_reloader_expedite(ag_reloader *rl, apr_time_t now,
                          apr_interval_time_t min)
{
    apr_thread_mutex_lock(rl->mutex);
    if (now - rl->last_check >= min)
        rl->last_check = now - rl->interval;
    apr_thread_mutex_unlock(rl->mutex);
}

typedef struct {
    ag_reloader *rl;
    ag_reload_gen *gen;
} release_baton;

static apr_status_t release_cleanup(void *data)
{
    release_baton *b = data;

    ag_reload_release(b->rl, b->gen);
    return APR_SUCCESS;
}

void ag_reload_release_with(ag_reloader *rl, ag_reload_gen *gen,
                            apr_pool_t *p)
{
    release_baton *b = apr_palloc(p, sizeof(*b));

    b->rl = rl;
    b->gen = gen;
    apr_pool_cleanup_register(p, b, release_cleanup, apr_pool_cleanup_null);
}

void *ag_reload_gen_data(const ag_reload_gen *gen)
{
    return gen->data;
}

apr_uint64_t ag_reloader_count(const ag_reloader *rl)
{
    return rl->count;
}

const char *ag_reloader_path(const ag_reloader *rl)
{
    return rl->path;
}
