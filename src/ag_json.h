/* JSON as the gate reads it: cJSON, with the checks a security parser
 * needs on top (RFC 7519 §4 and RFC 7515 §4: member names unique; the
 * top level an object), and the cJSON tree owned by an APR pool. */
#ifndef AG_JSON_H
#define AG_JSON_H

#include <apr_pools.h>

#include <cjson/cJSON.h>

/* Parses LEN bytes of DATA, which must be exactly one JSON object whose
 * member names are unique and whose strings hold no NUL (not even as
 * \u0000), into *OUT, freed with P.  APR_EINVAL otherwise. */
apr_status_t ag_json_parse_object(const char *data, apr_size_t len,
                                  cJSON **out, apr_pool_t *p);

/* 1 when OBJ (an object) names a member twice. */
int ag_json_has_duplicates(const cJSON *obj, apr_pool_t *p);

/* The member NAME of OBJ, compared case-sensitively, or NULL. */
const cJSON *ag_json_get(const cJSON *obj, const char *name);

/* The member NAME as a string, or NULL when absent or not a string. */
const char *ag_json_get_string(const cJSON *obj, const char *name);

/* OBJ as compact JSON text, allocated from P. */
const char *ag_json_print(const cJSON *item, apr_pool_t *p);

#endif
