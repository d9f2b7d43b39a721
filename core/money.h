/*
 * money.h - amounts of money as int64_t kopecks.
 *
 * Money never goes through floating point: amounts are whole kopecks, text is
 * parsed and printed digit by digit, and every computed amount comes from
 * money_muldiv(), which rounds a×b/c half up (away from zero) once, with a
 * 128-bit intermediate so no product overflows.
 *
 * The range is that of PostgreSQL numeric(15,2): at most 13 digits before the
 * point, |amount| <= MONEY_MAX (9 999 999 999 999.99).
 */
#ifndef CABINET_MONEY_H
#define CABINET_MONEY_H

#include <stdint.h>

#define MONEY_MAX INT64_C(999999999999999)

/* The largest amount one input of the payroll may have (a rate, an
 * accrual, a payment): 999 999 999,99. What a month adds up from such
 * inputs (the lines, premiums, coefficients) stays far inside MONEY_MAX,
 * so an amount too large is refused at its own field when it is entered,
 * never later by the calculation. MONEY_INPUT_MAX_RU says it in messages. */
#define MONEY_INPUT_MAX    INT64_C(99999999999)
#define MONEY_INPUT_MAX_RU "999 999 999,99"

/* Buffer sizes for the formatters, NUL included. */
#define MONEY_BUFSZ    24 /* "-9999999999999.99" */
#define MONEY_RU_BUFSZ 48 /* "-9 999 999 999 999,99 ₽" with 2-byte no-break spaces */

/* The no-break space (U+00A0) of money_format_ru(), in UTF-8. */
#define MONEY_NBSP "\xc2\xa0"

/* money_parse() flags. */
#define MONEY_ALLOW_NEGATIVE 0x1

/*
 * Parses "30500.00", "30500", "30500.5" into kopecks. Refused: an empty
 * string, spaces anywhere, a leading '+', a leading zero before other digits
 * ("007"), a point without digits on either side, more than two decimals,
 * exponents, more than 13 integer digits, and a '-' unless flags has
 * MONEY_ALLOW_NEGATIVE. Returns 0, or -1 with *out untouched.
 */
int money_parse(const char *s, int flags, int64_t *out);

/* "30500.00", "-5.10": the API form. out has MONEY_BUFSZ bytes. */
void money_format(int64_t kopecks, char *out);

/*
 * "30 500,00 ₽", "0,00 ₽", "-1 234,00 ₽" for people: the thousands are
 * separated and the ₽ is preceded by a no-break space (U+00A0, MONEY_NBSP),
 * so an amount never breaks across lines in a page. out has MONEY_RU_BUFSZ
 * bytes.
 */
void money_format_ru(int64_t kopecks, char *out);

/* "30 500,00" without the sign (columns of documents whose heading names
 * the currency); the same no-break spaces. out has MONEY_RU_BUFSZ bytes. */
void money_format_ru_bare(int64_t kopecks, char *out);

/*
 * Parses an amount as a person types it into a form: "80000", "80 000",
 * "80000,50", "80 000,00 ₽", "80 000.00 руб.", " 1 234,5 " (surrounding
 * spaces, a decimal comma or point, groups of three digits separated by a
 * space, a no-break or a thin space, an optional ₽ / руб / р sign). What
 * money_parse() refuses after the separators are removed is refused too
 * (three decimals, exponents, "007", ...), and so are groups that are not
 * three digits ("80 00"). Returns 0, or -1 with *out untouched.
 */
int money_parse_input(const char *s, int flags, int64_t *out);

/*
 * a × b / c rounded half up, away from zero for negative results
 * (2.5 -> 3, -2.5 -> -3). The product is exact (128 bits). Returns 0, or -1
 * when c is 0 or the result does not fit in int64_t.
 */
int money_muldiv(int64_t a, int64_t b, int64_t c, int64_t *out);

/* The same for callers that know the result fits and c != 0 (aborts if not). */
int64_t money_muldiv_exact(int64_t a, int64_t b, int64_t c);

#endif
