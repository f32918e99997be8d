/* Whole numbers written in the configuration (ag_number.h). */
#include "ag_number.h"

int ag_number_parse(const char *s, apr_int64_t lo, apr_int64_t hi,
                    apr_int64_t *out)
{
    apr_int64_t v = 0;

    if (*s == '\0')
        return 0;
    for (; *s != '\0'; s++) {
        int d = *s - '0';

        if (d < 0 || d > 9)
            return 0;
        /* past HI is refused before it can overflow */
        if (v > (hi - d) / 10)
            return 0;
        v = v * 10 + d;
    }
    if (v < lo || v > hi)
        return 0;
    *out = v;
    return 1;
}
