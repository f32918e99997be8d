/* Where a <Location> or <Directory> section was written.
 *
 * The core keeps a server's sections as configuration vectors (sec_url,
 * sec_dir) that remember the path but not the file and line; only the
 * tree httpd built from the files (ap_conftree) has those.  A section is
 * found there again by what the core made of its opening line: the same
 * kind, the same path (a <Directory> path made canonical as the core
 * makes it), a regex or not.  Sections that are alike are told apart by
 * their order, which the core keeps: a virtual host's list is the main
 * server's sections, then its own, and <Directory> sections are sorted
 * by a sort that keeps alike ones in order.
 *
 * Matching on the section itself, rather than recording where our own
 * directives sit, also finds a section that holds no AuthGate directive
 * (`AuthType AuthGate` alone, inheriting the rest). */
#include <string.h>
#include <strings.h>

#include <apr_file_info.h>

#include "mod_authgate.h"

/* What the core made of a section's opening line. */
typedef struct {
    int is_dir;            /* <Directory...>, else <Location...> */
    int is_regex;
    const char *path;      /* core_dir_config's d */
} section_key;

/* NODE's opening line into *KEY, read as the core reads a <Directory...>
 * (IS_DIR) or <Location...> section; 0 when NODE is no such section, or
 * not one the core took. */
static int node_key(const ap_directive_t *node, int is_dir, apr_pool_t *p,
                    section_key *key)
{
    const char *plain = is_dir ? "<Directory" : "<Location";
    const char *match = is_dir ? "<DirectoryMatch" : "<LocationMatch";
    const char *args, *end;
    char *path;
    apr_status_t rv;
    int is_match = strcasecmp(node->directive, match) == 0;

    if (!is_match && strcasecmp(node->directive, plain) != 0)
        return 0;
    end = node->args ? ap_strrchr_c(node->args, '>') : NULL;
    if (end == NULL)
        return 0;
    args = apr_pstrmemdup(p, node->args, end - node->args);
    key->is_dir = is_dir;
    key->is_regex = is_match;
    key->path = ap_getword_conf(p, &args);
    /* The core reads "~" first in <Directory...>, but takes it for the
     * regex itself in <LocationMatch>. */
    if ((is_dir || !is_match) && strcmp(key->path, "~") == 0) {
        key->is_regex = 1;
        key->path = ap_getword_conf(p, &args);
    }
    if (key->is_regex || !is_dir || strcmp(key->path, "/") == 0)
        return 1;
    /* As the core's dirsection(): canonical, with a trailing slash. */
    rv = apr_filepath_merge(&path, NULL, key->path, APR_FILEPATH_TRUENAME, p);
    if (rv != APR_SUCCESS && rv != APR_EPATHWILD)
        return 0;
    if (path[0] == '\0' || path[strlen(path) - 1] != '/')
        path = apr_pstrcat(p, path, "/", NULL);
    key->path = path;
    return 1;
}

static int same_key(const section_key *a, const section_key *b)
{
    return a->is_dir == b->is_dir && a->is_regex == b->is_regex &&
           strcmp(a->path, b->path) == 0;
}

/* The section like KEY that *NTH (counted down) says, among NODE, its
 * siblings and their descendants; <VirtualHost> sections are other
 * servers and are not looked into. */
static const ap_directive_t *find_section(const ap_directive_t *node,
                                          const section_key *key, int *nth,
                                          apr_pool_t *p)
{
    for (; node != NULL; node = node->next) {
        const ap_directive_t *found;
        section_key k;

        if (strcasecmp(node->directive, "<VirtualHost") == 0)
            continue;
        if (node_key(node, key->is_dir, p, &k) && same_key(&k, key) &&
            (*nth)-- == 0)
            return node;
        found = find_section(node->first_child, key, nth, p);
        if (found != NULL)
            return found;
    }
    return NULL;
}

/* The <VirtualHost> section that made the virtual host S. */
static const ap_directive_t *find_vhost(const ap_directive_t *node,
                                        const server_rec *s)
{
    for (; node != NULL; node = node->next) {
        const ap_directive_t *found;

        if (strcasecmp(node->directive, "<VirtualHost") == 0) {
            if ((unsigned)node->line_num == s->defn_line_number &&
                node->filename != NULL &&
                strcmp(node->filename, s->defn_name) == 0)
                return node;
            continue;
        }
        found = find_vhost(node->first_child, s);
        if (found != NULL)
            return found;
    }
    return NULL;
}

/* KEY as the core made it for the configuration vector SEC. */
static int vector_key(ap_conf_vector_t *sec, int is_dir, section_key *key)
{
    const core_dir_config *d = ap_get_core_module_config(sec);

    if (d == NULL || d->d == NULL)
        return 0;
    key->is_dir = is_dir;
    key->is_regex = d->r != NULL;
    key->path = d->d;
    return 1;
}

const ap_directive_t *authgate_section_node(server_rec *s,
                                            const apr_array_header_t *sections,
                                            int i, int is_dir, apr_pool_t *p)
{
    ap_conf_vector_t **secs = (ap_conf_vector_t **)sections->elts;
    const ap_directive_t *found, *vhost;
    section_key key, other;
    int nth = 0, j;

    if (!vector_key(secs[i], is_dir, &key))
        return NULL;
    for (j = 0; j < i; j++)
        if (vector_key(secs[j], is_dir, &other) && same_key(&other, &key))
            nth++;
    found = find_section(ap_conftree, &key, &nth, p);
    if (found != NULL || !s->is_virtual || s->defn_name == NULL)
        return found;
    vhost = find_vhost(ap_conftree, s);
    return vhost ? find_section(vhost->first_child, &key, &nth, p) : NULL;
}
