#include <stddef.h>
#include <strings.h>

#include "ag_scheme.h"

static const struct {
    const char *name;
    const char *lname;
} schemes[AG_SCHEME__COUNT] = {
    [AG_SCHEME_BEARER] = {"Bearer", "bearer"},
    [AG_SCHEME_APIKEY] = {"ApiKey", "apikey"},
    [AG_SCHEME_DIGEST] = {"Digest", "digest"},
    [AG_SCHEME_BASIC] = {"Basic", "basic"},
};

ag_scheme_id ag_scheme_lookup(const char *name)
{
    int i;

    if (name == NULL)
        return AG_SCHEME_NONE;
    /* the first letter (any case) rules out all names but one, or two
     * for 'b', before a call */
    for (i = 0; i < AG_SCHEME__COUNT; i++)
        if ((name[0] | 0x20) == schemes[i].lname[0] &&
            strcasecmp(schemes[i].name, name) == 0)
            return (ag_scheme_id)i;
    return AG_SCHEME_NONE;
}

const char *ag_scheme_name(ag_scheme_id id)
{
    if (id < 0 || id >= AG_SCHEME__COUNT)
        return "-";
    return schemes[id].name;
}

const char *ag_scheme_lname(ag_scheme_id id)
{
    if (id < 0 || id >= AG_SCHEME__COUNT)
        return "-";
    return schemes[id].lname;
}
