/* authgate digest [--password-stdin] FILE REALM USER
 *
 * Stores USER's Digest hashes in REALM, for every algorithm, and the
 * userhashes, in FILE (AuthGateUserFile), like htdigest: the user's line
 * is replaced when present, added otherwise, and every other line is kept
 * as it was.  The file is written atomically, mode 0640. */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <apr_strings.h>
#include <apr_tables.h>

#include <openssl/crypto.h>

#include "ag_file.h"
#include "ag_userfile.h"
#include "authgate.h"

#define PASSWORD_MAX 4096

static int usage(FILE *out, int code)
{
    fputs("usage: authgate digest [--password-stdin] FILE REALM USER\n"
          "\n"
          "Stores USER's Digest hashes in REALM (MD5, SHA-256, SHA-512-256 and\n"
          "the userhashes) in FILE, the AuthGateUserFile, replacing the user's\n"
          "line if there is one.  The password is asked for twice on the\n"
          "terminal, or read as one line from standard input with\n"
          "--password-stdin.\n", out);
    return code;
}

/* Reads one line of at most PASSWORD_MAX bytes from IN into BUF, without
 * its line end.  -1 at end of input or when the line is too long. */
static int read_line(FILE *in, char *buf, size_t size)
{
    size_t len;

    if (fgets(buf, (int)size, in) == NULL)
        return -1;
    len = strlen(buf);
    if (len > 0 && buf[len - 1] == '\n')
        buf[--len] = '\0';
    else if (!feof(in))
        return -1;              /* longer than the buffer */
    if (len > 0 && buf[len - 1] == '\r')
        buf[--len] = '\0';
    return (int)len;
}

/* Asks PROMPT on the terminal without echo. */
static int ask(FILE *tty, const char *prompt, char *buf, size_t size)
{
    struct termios old, quiet;
    int fd = fileno(tty), n, restore;

    fputs(prompt, tty);
    fflush(tty);
    restore = tcgetattr(fd, &old) == 0;
    if (restore) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        quiet.c_lflag |= ECHONL;
        tcsetattr(fd, TCSAFLUSH, &quiet);
    }
    n = read_line(tty, buf, size);
    if (restore)
        tcsetattr(fd, TCSAFLUSH, &old);
    return n;
}

static int password_from_tty(char *pw, size_t size)
{
    char again[PASSWORD_MAX + 2];
    FILE *tty = fopen("/dev/tty", "r+");
    int n, same;

    if (tty == NULL)
        return ag_tool_fail(AG_EXIT_USAGE, "no terminal to ask for the "
                            "password on: use --password-stdin");
    n = ask(tty, "New password: ", pw, size);
    if (n >= 0 && ask(tty, "Re-type new password: ", again,
                      sizeof(again)) >= 0)
        same = strcmp(pw, again) == 0;
    else
        same = -1;
    OPENSSL_cleanse(again, sizeof(again));
    fclose(tty);
    if (same < 0)
        return ag_tool_fail(AG_EXIT_USAGE, "no password read (at most %d "
                            "bytes)", PASSWORD_MAX);
    if (!same)
        return ag_tool_fail(AG_EXIT_USAGE, "the passwords differ");
    return AG_EXIT_OK;
}

/* FILE's lines with USER's line in REALM set to LINE.  *REPLACED tells
 * whether it was there.  Fails (with a message) on a file the server
 * would refuse. */
static int merge(const char *path, const char *data, apr_size_t len,
                 const ag_user_entry *entry, const char *line, char **out,
                 int *replaced, apr_pool_t *p)
{
    const char *s = data, *end = data + len, *err = NULL;
    /* the pieces of the new file, joined once at the end */
    apr_array_header_t *pieces = apr_array_make(p, 64, sizeof(const char *));
    void *parsed;

    if (ag_userfile_parse(data, len, NULL, &parsed, &err, p) != APR_SUCCESS)
        return ag_tool_fail(AG_EXIT_USAGE, "%s: %s", path, err);
    *replaced = 0;
    while (s < end) {
        const char *nl = memchr(s, '\n', (apr_size_t)(end - s));
        apr_size_t n = (apr_size_t)((nl ? nl : end) - s), body = n;
        ag_user_entry *e;

        if (body > 0 && s[body - 1] == '\r')
            body--;
        if (ag_userfile_parse_line(s, body, &e, &err, p) == APR_SUCCESS &&
            strcmp(e->user, entry->user) == 0 &&
            strcmp(e->realm, entry->realm) == 0) {
            APR_ARRAY_PUSH(pieces, const char *) = line;
            *replaced = 1;
        }
        else
            APR_ARRAY_PUSH(pieces, const char *) = apr_pstrmemdup(p, s, n);
        APR_ARRAY_PUSH(pieces, const char *) = "\n";
        s = nl ? nl + 1 : end;
    }
    if (!*replaced) {
        APR_ARRAY_PUSH(pieces, const char *) = line;
        APR_ARRAY_PUSH(pieces, const char *) = "\n";
    }
    *out = apr_array_pstrcat(p, pieces, '\0');
    return AG_EXIT_OK;
}

static int store(const char *path, const char *realm, const char *user,
                 const char *password, apr_pool_t *p)
{
    ag_user_entry *entry = ag_user_entry_make(user, realm, password, p);
    const char *line = ag_user_entry_format(entry, p);
    char *data = "", *out = NULL, why[128];
    apr_size_t len = 0;
    apr_status_t rv;
    int replaced = 0, rc;

    if ((rc = ag_tool_lock(path, 1, p)) != AG_EXIT_OK)
        return rc;
    rv = ag_file_read(path, AG_USERFILE_MAX, &data, &len, NULL, p);
    if (rv != APR_SUCCESS && !APR_STATUS_IS_ENOENT(rv))
        return ag_tool_fail(AG_EXIT_USAGE, "cannot read %s: %s", path,
                            ag_file_read_errstr(rv, why, sizeof(why)));
    rc = merge(path, data, len, entry, line, &out, &replaced, p);
    if (rc != AG_EXIT_OK)
        return rc;
    if ((rc = ag_tool_write(path, out, strlen(out), p)) != AG_EXIT_OK)
        return rc;
    printf("%s user %s in realm %s\n", replaced ? "Changed" : "Added", user,
           realm);
    return AG_EXIT_OK;
}

int authgate_digest_run(int argc, const char *const *argv, apr_pool_t *p)
{
    char pw[PASSWORD_MAX + 2];
    const char *args[3], *path, *realm, *user, *why;
    int from_stdin = 0, opts_done = 0, n = 0, i, rc;

    /* options anywhere before "--", as the apikey commands take them */
    for (i = 1; i < argc; i++) {
        const char *arg = argv[i];

        if (!opts_done && strcmp(arg, "--") == 0)
            opts_done = 1;
        else if (!opts_done && ag_tool_is_help(arg))
            return usage(stdout, AG_EXIT_OK);
        else if (!opts_done && strcmp(arg, "--password-stdin") == 0)
            from_stdin = 1;
        else if (!opts_done && arg[0] == '-' && arg[1] != '\0')
            return ag_tool_fail(AG_EXIT_USAGE, "unknown option '%s'", arg);
        else if (n == 3)
            return usage(stderr, AG_EXIT_USAGE);
        else
            args[n++] = arg;
    }
    if (n != 3)
        return usage(stderr, AG_EXIT_USAGE);
    path = args[0];
    realm = args[1];
    user = args[2];
    if ((why = ag_userfile_check_name(realm)) != NULL)
        return ag_tool_fail(AG_EXIT_USAGE, "REALM %s", why);
    if ((why = ag_userfile_check_name(user)) != NULL)
        return ag_tool_fail(AG_EXIT_USAGE, "USER %s", why);
    if (from_stdin) {
        if (read_line(stdin, pw, sizeof(pw)) < 0 ||
            strlen(pw) > PASSWORD_MAX) {
            OPENSSL_cleanse(pw, sizeof(pw));
            return ag_tool_fail(AG_EXIT_USAGE, "no password read from "
                                "standard input (one line of at most %d "
                                "bytes)", PASSWORD_MAX);
        }
    }
    else if ((rc = password_from_tty(pw, sizeof(pw))) != AG_EXIT_OK) {
        OPENSSL_cleanse(pw, sizeof(pw));
        return rc;
    }
    if (pw[0] == '\0')
        rc = ag_tool_fail(AG_EXIT_USAGE, "the password is empty");
    else
        rc = store(path, realm, user, pw, p);
    OPENSSL_cleanse(pw, sizeof(pw));
    return rc;
}
