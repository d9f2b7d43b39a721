/*
 * hours.h - durations as int32_t hundredths of an hour.
 *
 * 8 h = 800, 7.2 h = 720, 0.25 h = 25. Every hour count in the engine (plans,
 * norms, worked time, premiums) uses this unit, so sums and comparisons are
 * exact and no floating point is involved. A 36-hour week's day (7.2 h) and a
 * quarter hour are both exact.
 *
 * Text in: JSON numbers keep the text they were written as (json-c's
 * json_object_get_string() on a parsed number gives "7.2" back), and that text
 * goes through hours_parse(), so 7.2 never becomes 7.19999.
 */
#ifndef CABINET_HOURS_H
#define CABINET_HOURS_H

#include <stdint.h>

/* The largest value hours_parse() accepts: 1 000 000 h. */
#define HOURS_MAX INT32_C(100000000)
/* Hundredths in one hour. */
#define HOURS_ONE 100

#define HOURS_BUFSZ 16

/*
 * Parses a non-negative decimal with at most two decimals: "8", "7.2",
 * "0.25", "8.00". Refused: signs, exponents, spaces, ".5", "5.", leading
 * zeros ("08"), more than two decimals, values above HOURS_MAX. Returns 0,
 * or -1 with *out untouched.
 */
int hours_parse(const char *s, int32_t *out);

/*
 * Hours as a person types them: hours_parse() after surrounding spaces are
 * dropped and a decimal comma is read as the point ("2,5", " 8 ", "7,25").
 * Returns 0, or -1 with *out untouched.
 */
int hours_parse_input(const char *s, int32_t *out);

/* "8", "7.2", "0.25", "0" (no trailing zeros); negative values get a '-'. */
void hours_format(int32_t hundredths, char *out);

#endif
