/* Whole numbers written in the configuration. */
#ifndef AG_NUMBER_H
#define AG_NUMBER_H

#include <apr.h>

/* 1 and *OUT when S is a decimal number from LO to HI (0 <= LO <= HI):
 * digits alone, no sign, no space.  0, and *OUT untouched, otherwise. */
int ag_number_parse(const char *s, apr_int64_t lo, apr_int64_t hi,
                    apr_int64_t *out);

#endif
