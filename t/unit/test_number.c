#include "ag_number.h"
#include "tap.h"

int main(void)
{
    apr_int64_t v = -1;

    ok(ag_number_parse("0", 0, 10, &v) && v == 0, "0");
    ok(ag_number_parse("10", 0, 10, &v) && v == 10, "the highest");
    ok(ag_number_parse("007", 1, 10, &v) && v == 7, "leading zeros");
    v = -1;
    ok(!ag_number_parse("11", 0, 10, &v) && v == -1,
       "above HI: refused, OUT untouched");
    ok(!ag_number_parse("0", 1, 10, &v), "below LO");
    ok(!ag_number_parse("", 0, 10, &v), "empty");
    ok(!ag_number_parse("-1", 0, 10, &v) && !ag_number_parse("+1", 0, 10, &v),
       "no sign");
    ok(!ag_number_parse(" 1", 0, 10, &v) && !ag_number_parse("1 ", 0, 10, &v),
       "no space");
    ok(!ag_number_parse("1x", 0, 10, &v), "no other character");
    ok(!ag_number_parse("99999999999999999999999", 0,
                        APR_INT64_C(9223372036854775807), &v),
       "beyond 64 bits: refused, no overflow");
    ok(ag_number_parse("9223372036854775807", 0,
                       APR_INT64_C(9223372036854775807), &v) &&
       v == APR_INT64_C(9223372036854775807), "the largest 64-bit number");
    return tap_done();
}
