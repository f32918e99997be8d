/* What `Require scope` and `Require claim` ask of an identity, and what
 * AuthGateClaimEnv exports: pure functions over the granted scopes (a
 * space-separated string) and the claims (a cJSON object). */
#ifndef AG_CLAIMS_H
#define AG_CLAIMS_H

#include <apr_pools.h>

#include <cjson/cJSON.h>

/* The next space-separated word of *S, moving *S past it: its start and
 * *LEN, or NULL when only spaces are left. */
const char *ag_word_next(const char **s, apr_size_t *len);

/* 1 when the space-separated GRANTED holds the scope WANTED (exactly,
 * case-sensitively). */
int ag_scope_has(const char *granted, const char *wanted);

/* The claim NAME of CLAIMS: the member of that exact name if there is
 * one, else a dotted path into nested objects ("realm_access.roles").
 * NULL when there is none. */
const cJSON *ag_claim_find(const cJSON *claims, const char *name);

/* 1 when ITEM matches VALUE: a string exactly and case-sensitively, a
 * number or boolean by its JSON text ("42", "true"), an array when one of
 * its elements does. */
int ag_claim_match(const cJSON *item, const char *value);

/* A `Require claim` word "name:value" into *NAME and *VALUE (the first
 * colon splits; the value may be empty, the name may not). */
apr_status_t ag_claim_requirement_parse(const char *word, const char **name,
                                        const char **value, apr_pool_t *p);

/* AUTHGATE_CLAIM_<NAME>: upper case, characters other than letters and
 * digits as '_'. */
const char *ag_claim_env_name(const char *claim, apr_pool_t *p);

/* A claim's value for the environment: a string as it is (control
 * characters as '?'), anything else as compact JSON. */
const char *ag_claim_env_value(const cJSON *item, apr_pool_t *p);

#endif
