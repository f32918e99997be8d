/* The authgate-status counters and their Prometheus text. */
#include <string.h>

#include "ag_metrics.h"
#include "tap.h"

/* 1 when TEXT holds LINE as a whole line. */
static int has_line(const char *text, const char *line)
{
    apr_size_t n = strlen(line);
    const char *at = text;

    while ((at = strstr(at, line)) != NULL) {
        if ((at == text || at[-1] == '\n') && at[n] == '\n')
            return 1;
        at += n;
    }
    return 0;
}

static unsigned count_lines(const char *text, const char *prefix)
{
    unsigned n = 0;
    const char *line = text;

    while (*line != '\0') {
        if (strncmp(line, prefix, strlen(prefix)) == 0)
            n++;
        line = strchr(line, '\n');
        if (line == NULL)
            break;
        line++;
    }
    return n;
}

int main(void)
{
    ag_metrics m;
    ag_store_stats st = {7, 100, 2, 0, 1, 0};
    const char *text;

    memset(&m, 0, sizeof(m));
    ag_metrics_request(&m, AG_SCHEME_BASIC, 1);
    ag_metrics_request(&m, AG_SCHEME_BASIC, 1);
    ag_metrics_request(&m, AG_SCHEME_BASIC, 0);
    ag_metrics_request(&m, AG_SCHEME_NONE, 0);
    ag_metrics_request(&m, (ag_scheme_id)99, 0);
    ag_metrics_denial(&m, AG_R_BASIC_BAD_PASSWORD);
    ag_metrics_denial(&m, AG_R_NO_CREDENTIALS);
    ag_metrics_denial(&m, AG_R_NO_CREDENTIALS);
    ag_metrics_denial(&m, AG_OK);
    ag_metrics_denial(&m, AG_R__COUNT);
    ag_metrics_inc(&m.key_reloads);
    ag_metrics_inc(&m.token_cache_hits);
    ag_metrics_inc(&m.token_cache_hits);
    ag_metrics_inc(&m.token_cache_misses);
    text = ag_metrics_render(&m, &st, tap_pool());

    ok(has_line(text, "authgate_requests_total{scheme=\"basic\","
                      "outcome=\"granted\"} 2"), "granted, by scheme");
    ok(has_line(text, "authgate_requests_total{scheme=\"basic\","
                      "outcome=\"denied\"} 1"), "denied, by scheme");
    ok(has_line(text, "authgate_requests_total{scheme=\"none\","
                      "outcome=\"denied\"} 2"),
       "no scheme, and one out of range, count as none");
    ok(has_line(text, "authgate_requests_total{scheme=\"bearer\","
                      "outcome=\"granted\"} 0"),
       "a counter never added to is written, as 0");
    ok(count_lines(text, "authgate_requests_total{") == 10,
       "every scheme and none, each outcome: 10 samples");
    ok(has_line(text, "authgate_denials_total{reason=\"no_credentials\"} 2"),
       "denials by reason");
    ok(has_line(text, "authgate_denials_total{reason=\"basic_bad_password\"} "
                      "1"), "mod_authgate's own Basic codes too");
    ok(count_lines(text, "authgate_denials_total{") == AG_R__COUNT - 1,
       "one sample per reason code, none for ok");
    ok(strstr(text, "reason=\"ok\"") == NULL &&
       strstr(text, "reason=\"unknown\"") == NULL,
       "neither ok nor a reason out of range is a denial");
    ok(has_line(text, "authgate_store_entries 7"), "the store's entries");
    ok(has_line(text, "authgate_store_evictions_total 2"),
       "the store's evictions");
    ok(has_line(text, "authgate_store_errors_total 1"), "the store's errors");
    ok(has_line(text, "authgate_key_reloads_total 1"), "reloads");
    ok(has_line(text, "authgate_token_cache_hits_total 2"), "cache hits");
    ok(has_line(text, "authgate_token_cache_misses_total 1"), "cache misses");
    ok(has_line(text, "# TYPE authgate_requests_total counter") &&
       has_line(text, "# TYPE authgate_store_entries gauge"),
       "each family has its TYPE");
    ok(count_lines(text, "# HELP ") == 8, "and its HELP: 8 families");
    ok(text[strlen(text) - 1] == '\n', "the text ends with a newline");

    st.errors_only = 1;
    st.errors = 4;
    text = ag_metrics_render(&m, &st, tap_pool());
    ok(has_line(text, "authgate_store_errors_total 4") &&
       strstr(text, "authgate_store_entries") == NULL &&
       strstr(text, "authgate_store_evictions") == NULL,
       "a store that could not be read: its errors alone, not 0 entries");
    ok(count_lines(text, "# HELP ") == 6, "six families then");
    return tap_done();
}
