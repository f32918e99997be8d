#include <stdlib.h>
#include <sys/stat.h>
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
    unlink(path);
    rmdir(dir);
    return tap_done();
}
