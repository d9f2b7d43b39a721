/*
 * date.h - civil dates as day numbers.
 *
 * A date is an int: the number of days since 1970-01-01 (negative before),
 * in the proleptic Gregorian calendar (H. Hinnant's days_from_civil). Day
 * numbers subtract and compare as plain integers, so a range of dates is a
 * pair of ints and a date index into a month is `day - date_month_first()`.
 *
 * Text forms are strict: "YYYY-MM-DD" and "YYYY-MM" with years
 * DATE_MIN_YEAR..DATE_MAX_YEAR and real calendar dates only; input from
 * people and clients may also be "DD.MM.YYYY" (date_parse_input).
 */
#ifndef CABINET_DATE_H
#define CABINET_DATE_H

#include <limits.h>

#define DATE_MIN_YEAR 1900
#define DATE_MAX_YEAR 2199

/* "no date" (an open end, an optional date not given). */
#define DATE_NONE INT_MIN

/* Buffer sizes, NUL included. */
#define DATE_BUFSZ       11 /* "2026-11-22", "22.11.2026" */
#define DATE_MONTH_BUFSZ 8  /* "2026-11" */

/* ISO weekdays. */
enum date_weekday {
	DATE_MON = 1,
	DATE_TUE,
	DATE_WED,
	DATE_THU,
	DATE_FRI,
	DATE_SAT,
	DATE_SUN,
};

int date_is_leap(int year);
/* 28..31; 0 for a month outside 1..12. */
int date_days_in_month(int year, int month);
/* 1 when y-m-d is a real date with y in DATE_MIN_YEAR..DATE_MAX_YEAR. */
int date_valid(int year, int month, int day);

/* No checks: any y, 1..12, 1..31 is mapped arithmetically. */
int date_from_ymd(int year, int month, int day);
void date_to_ymd(int date, int *year, int *month, int *day);
int date_year(int date);

/* 1 = Monday .. 7 = Sunday. */
int date_weekday(int date);

/* First and last day of a month. */
int date_month_first(int year, int month);
int date_month_last(int year, int month);

/* Adds n calendar days. */
int date_add_days(int date, int n);
/*
 * Adds n months (n may be negative), keeping the day of month or, when the
 * target month is shorter, taking its last day (31.01 + 1 month = 28/29.02).
 */
int date_add_months(int date, int n);

/* Strict "YYYY-MM-DD". Returns 0, or -1 with *out untouched. */
int date_parse(const char *s, int *out);
/* What people and clients type: "YYYY-MM-DD" or "DD.MM.YYYY" (DESIGN.md:
 * answers are ISO, input takes both). Returns 0, or -1 with *out untouched. */
int date_parse_input(const char *s, int *out);
/* 1 when s is typed as a date ("DD.MM.YYYY" or "YYYY-MM-DD", a year served,
 * a month 1..12, a day 1..31) but that day is not in the month: 31.11.2026,
 * 29.02.2027. Lets a message say so instead of repeating the format. */
int date_input_no_such_day(const char *s);
#define DATE_NO_SUCH_DAY "Такой даты нет в календаре: в этом месяце меньше дней"
/* The message for a date field whose text s did not parse: DATE_NO_SUCH_DAY
 * when s is a day the month has not, else otherwise (what the field takes).
 * Every date field answers through it, so 31.06.2026 is named the same way
 * on every page and in the exchange. */
const char *date_input_why(const char *s, const char *otherwise);
/* Strict "YYYY-MM". Returns 0, or -1. */
int date_parse_month(const char *s, int *year, int *month);

/* "2026-11-22"; out has DATE_BUFSZ bytes. */
void date_format(int date, char *out);
/* "22.11.2026"; out has DATE_BUFSZ bytes. */
void date_format_ru(int date, char *out);
/* "2026-11"; out has DATE_MONTH_BUFSZ bytes. */
void date_format_month(int year, int month, char *out);

#endif
