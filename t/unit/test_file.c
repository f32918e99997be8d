#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <apr_file_io.h>
#include <apr_strings.h>

#include "ag_file.h"
#include "tap.h"

/* The "parse" of a test file: its text, refused when it starts with '!'. */
static apr_status_t parse_text(const char *data, apr_size_t len, void *baton,
                               void **out, const char **err, apr_pool_t *p)
{
    (*(int *)baton)++;
    if (len > 0 && data[0] == '!') {
        /* from P, which the reloader destroys: the message must survive */
        *err = apr_psprintf(p, "starts with '%c'", data[0]);
        return APR_EINVAL;
    }
    *out = apr_pstrmemdup(p, data, len);
    return APR_SUCCESS;
}

/* Always fails, with a message made in the pool that fails with it. */
static apr_status_t parse_fail_pool(const char *data, apr_size_t len,
                                    void *baton, void **out,
                                    const char **err, apr_pool_t *p)
{
    *err = apr_psprintf(p, "bad at line %d", 7);
    return APR_EINVAL;
}

static void put(const char *path, const char *text)
{
    ok(ag_file_write_atomic(path, text, strlen(text), AG_FILE_PERMS_0640, tap_pool()) ==
           APR_SUCCESS, "write '%s'", text);
}

/* 1 when another open of PATH could take its lock now (nobody holds it):
 * flock(2) locks belong to an open file, so a second open conflicts with
 * the first even in one process. */
static int lock_free(const char *path)
{
    int fd = open(path, O_RDONLY), free_now;

    if (fd < 0)
        return -1;
    free_now = flock(fd, LOCK_EX | LOCK_NB) == 0;
    close(fd);
    return free_now;
}

static void test_lock(const char *dir, apr_pool_t *p)
{
    const char *path = apr_pstrcat(p, dir, "/locked", NULL);
    apr_pool_t *held;
    struct stat st;
    int status = -1, ready[2];
    pid_t child;
    char c;

    ok(ag_file_lock(path, 0, AG_FILE_PERMS_0640, p) == APR_ENOENT,
       "lock without create: a missing file is APR_ENOENT");
    apr_pool_create(&held, p);
    ok(ag_file_lock(path, 1, AG_FILE_PERMS_0640, held) == APR_SUCCESS &&
           stat(path, &st) == 0 && st.st_size == 0 &&
           (st.st_mode & 0777) == 0640,
       "lock with create makes the file, empty, mode 0640");
    ok(lock_free(path) == 0, "while the lock is held nobody else gets it");
    apr_pool_destroy(held);
    ok(lock_free(path) == 1, "the lock goes with its pool");

    /* A writer that holds the lock replaces the file and lets go; the
     * waiter must end up holding the lock of the new file.  The writer
     * says when it holds the lock, so the waiter never takes it first
     * (and then waits for a writer that waits for it). */
    if (pipe(ready) != 0) {
        ok(0, "a pipe for the writer to say it is ready");
        return;
    }
    child = fork();
    if (child == 0) {
        apr_pool_t *cp;

        close(ready[0]);
        apr_pool_create(&cp, NULL);
        if (ag_file_lock(path, 0, AG_FILE_PERMS_0640, cp) != APR_SUCCESS)
            _exit(2);
        if (write(ready[1], "x", 1) != 1)
            _exit(4);
        usleep(300 * 1000);     /* the waiter is blocked by now */
        _exit(ag_file_write_atomic(path, "new", 3, AG_FILE_PERMS_0640,
                                   cp) == APR_SUCCESS ? 0 : 3);
    }
    close(ready[1]);
    ok(read(ready[0], &c, 1) == 1, "the writer holds the lock");
    close(ready[0]);
    apr_pool_create(&held, p);
    ok(ag_file_lock(path, 0, AG_FILE_PERMS_0640, held) == APR_SUCCESS,
       "a waiter gets the lock once the writer is done");
    waitpid(child, &status, 0);
    ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
       "the writer replaced the file");
    ok(lock_free(path) == 0,
       "the waiter holds the lock of the file now at the path, not of the "
       "one that was replaced");
    apr_pool_destroy(held);
}

/* A rewrite keeps the file's group (the server's read access).  Root can
 * give any group; another user tries each group it belongs to. */
static void test_keep_group(const char *dir, apr_pool_t *p)
{
    const char *path = apr_pstrcat(p, dir, "/grouped", NULL);
    gid_t groups[64], other = (gid_t)-1;
    int n = getgroups(64, groups), i;
    struct stat st;

    if (geteuid() == 0)
        other = 65534;
    for (i = 0; other == (gid_t)-1 && i < n; i++)
        if (groups[i] != getegid())
            other = groups[i];
    ok(ag_file_write_atomic(path, "a", 1, AG_FILE_PERMS_0640, p) ==
           APR_SUCCESS, "a file to give a group");
    if (other == (gid_t)-1 || chown(path, (uid_t)-1, other) != 0) {
        printf("# skip: no second group to give the file, so that a kept "
               "group is not checked (run as root to check it)\n");
        return;
    }
    ok(ag_file_write_atomic(path, "b", 1, AG_FILE_PERMS_0640, p) ==
           APR_SUCCESS && stat(path, &st) == 0 && st.st_gid == other &&
           (st.st_mode & 0777) == 0640,
       "a rewrite keeps the group the file was given (%ld)", (long)other);
}

/* A write through a symbolic link replaces the file it leads to. */
static void test_symlink(const char *dir, apr_pool_t *p)
{
    const char *target = apr_pstrcat(p, dir, "/target", NULL);
    const char *link = apr_pstrcat(p, dir, "/link", NULL);
    apr_size_t len;
    struct stat st;
    char *data;

    ok(ag_file_write_atomic(target, "old", 3, AG_FILE_PERMS_0640, p) ==
           APR_SUCCESS && symlink("target", link) == 0,
       "a file and a symbolic link to it");
    ok(ag_file_write_atomic(link, "new", 3, AG_FILE_PERMS_0640, p) ==
           APR_SUCCESS, "a write through the link");
    ok(lstat(link, &st) == 0 && S_ISLNK(st.st_mode),
       "... leaves the link a link");
    ok(ag_file_read(target, 100, &data, &len, NULL, p) == APR_SUCCESS &&
           strcmp(data, "new") == 0, "... and replaces the file it leads to");
}

int main(void)
{
    apr_pool_t *p = tap_pool();
    char dir[] = "/tmp/ag_file_test.XXXXXX";
    const char *path, *err = NULL;
    ag_reloader *rl;
    ag_reload_gen *g1, *g2, *g3;
    ag_reload_event ev;
    ag_file_stamp s1, s2;
    struct stat st;
    apr_time_t t;
    apr_size_t len;
    char *data;
    int parses = 0;

    if (mkdtemp(dir) == NULL)
        return 1;
    path = apr_pstrcat(p, dir, "/keys", NULL);

    put(path, "one");
    ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640,
       "atomic write sets mode 0640");
    ok(ag_file_read(path, 100, &data, &len, &s1, p) == APR_SUCCESS &&
           len == 3 && strcmp(data, "one") == 0, "read back");
    ok(ag_file_read(path, 2, &data, &len, NULL, p) == APR_ENOSPC,
       "a file over the bound is refused");
    ok(ag_file_read(dir, 100, &data, &len, NULL, p) != APR_SUCCESS,
       "a directory is not read");
    ok(ag_file_read(apr_pstrcat(p, dir, "/none", NULL), 100, &data, &len,
                    NULL, p) != APR_SUCCESS, "a missing file fails");
    err = NULL;
    ok(ag_reloader_create(&rl, apr_pstrcat(p, dir, "/none", NULL), 100, 1,
                          parse_text, &parses, &err, p) != APR_SUCCESS &&
           err != NULL &&
           strcmp(err, "cannot read file: No such file or directory") == 0,
       "a missing file: the message says why");
    put(path, "two!");
    ok(ag_file_stamp_get(path, &s2, p) == APR_SUCCESS &&
           !ag_file_stamp_equal(&s1, &s2), "a rewrite changes the stamp");

    /* reloading */
    err = NULL;
    ok(ag_reloader_create(&rl, path, 100, apr_time_from_sec(1),
                          parse_fail_pool, NULL, &err, p) != APR_SUCCESS &&
           err != NULL && strcmp(err, "bad at line 7") == 0,
       "a parse error made in the failed generation's pool outlives it");
    ok(ag_reloader_create(&rl, path, 100, apr_time_from_sec(1), parse_text,
                          &parses, &err, p) == APR_SUCCESS, "first load");
    t = apr_time_now();
    g1 = ag_reloader_acquire(rl, t, &ev, &err);
    is_str(ag_reload_gen_data(g1), "two!", "first generation's data");
    ok(ev == AG_RELOAD_NONE, "no check within the interval");

    put(path, "three");
    g2 = ag_reloader_acquire(rl, t, &ev, &err);
    ok(g2 == g1 && ev == AG_RELOAD_NONE,
       "a change is not seen before the interval passes");
    ag_reload_release(rl, g2);

    t += apr_time_from_sec(2);
    g2 = ag_reloader_acquire(rl, t, &ev, &err);
    ok(ev == AG_RELOAD_DONE, "after the interval the change is loaded");
    is_str(ag_reload_gen_data(g2), "three", "new generation's data");
    is_str(ag_reload_gen_data(g1), "two!",
           "the old generation stays whole while held");
    ag_reload_release(rl, g1);
    ok(ag_reloader_count(rl) == 1, "one reload counted");

    put(path, "!bad");
    t += apr_time_from_sec(2);
    g3 = ag_reloader_acquire(rl, t, &ev, &err);
    ok(ev == AG_RELOAD_FAILED && g3 == g2, "a bad file keeps the last good");
    is_str(err, "starts with '!'", "the parser's reason is passed on");
    ag_reload_release(rl, g3);
    parses = 0;
    t += apr_time_from_sec(2);
    g3 = ag_reloader_acquire(rl, t, &ev, &err);
    ok(ev == AG_RELOAD_NONE && parses == 0,
       "the same bad file is neither parsed nor reported again");
    ag_reload_release(rl, g3);

    unlink(path);
    t += apr_time_from_sec(2);
    g3 = ag_reloader_acquire(rl, t, &ev, &err);
    ok(ev == AG_RELOAD_FAILED && g3 == g2, "a vanished file keeps the last");
    ag_reload_release(rl, g3);

    put(path, "four");
    t += apr_time_from_sec(2);
    g3 = ag_reloader_acquire(rl, t, &ev, &err);
    ok(ev == AG_RELOAD_DONE, "a file that comes back is loaded");
    is_str(ag_reload_gen_data(g3), "four", "and used");
    ag_reload_release(rl, g3);
    ag_reload_release(rl, g2);

    /* an early check, asked for */
    t += apr_time_from_sec(2);
    g3 = ag_reloader_acquire(rl, t, &ev, &err);
    ag_reload_release(rl, g3);
    put(path, "five");
    t += apr_time_from_msec(500);
    ag_reloader_expedite(rl, t, apr_time_from_msec(200));
    g3 = ag_reloader_acquire(rl, t, &ev, &err);
    ok(ev == AG_RELOAD_DONE, "expedite: checked before the interval");
    is_str(ag_reload_gen_data(g3), "five", "and the change is in use");
    ag_reload_release(rl, g3);
    put(path, "six");
    t += apr_time_from_msec(100);
    ag_reloader_expedite(rl, t, apr_time_from_msec(200));
    g3 = ag_reloader_acquire(rl, t, &ev, &err);
    ok(ev == AG_RELOAD_NONE,
       "expedite: not again within its own least interval");
    ag_reload_release(rl, g3);

    unlink(path);
    ok(ag_reloader_create(&rl, path, 100, 1, parse_text, &parses, &err, p) !=
           APR_SUCCESS, "a first load that fails is an error");
    put(path, "!x");
    ok(ag_reloader_create(&rl, path, 100, 1, parse_text, &parses, &err, p) !=
           APR_SUCCESS, "a first parse that fails is an error");
    test_lock(dir, p);
    test_keep_group(dir, p);
    test_symlink(dir, p);
    unlink(apr_pstrcat(p, dir, "/locked", NULL));
    unlink(apr_pstrcat(p, dir, "/grouped", NULL));
    unlink(apr_pstrcat(p, dir, "/link", NULL));
    unlink(apr_pstrcat(p, dir, "/target", NULL));
    unlink(path);
    rmdir(dir);
    ok(ag_file_nul_line("abc\n", 4) == 0, "no NUL: line 0");
    ok(ag_file_nul_line("\0", 1) == 1, "a NUL first: line 1");
    ok(ag_file_nul_line("a\n\nb\0\n\0", 7) == 3,
       "the first NUL's line is counted from 1");
    ok(ag_file_nul_line("a\nb\0", 3) == 0,
       "a NUL past LEN is not looked at");
    ok(ag_file_nul_error("abc\n", 4, tap_pool()) == NULL,
       "no NUL: no refusal");
    is_str(ag_file_nul_error("#\n\0", 3, tap_pool()), "line 2: a NUL byte",
           "a NUL: the refusal names its line");
    {
        char buf[128];

        is_str(ag_file_read_errstr(APR_ENOSPC, buf, sizeof(buf)),
               "file too large", "ag_file_read's APR_ENOSPC is a size");
        is_str(ag_file_read_errstr(APR_EACCES, buf, sizeof(buf)),
               "Permission denied", "other errors are the system's words");
    }
    return tap_done();
}
