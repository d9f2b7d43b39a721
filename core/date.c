#include "date.h"

#include <stddef.h>
#include <string.h>

int date_is_leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int date_days_in_month(int year, int month)
{
	static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	if (month < 1 || month > 12)
		return 0;
	if (month == 2 && date_is_leap(year))
		return 29;
	return days[month - 1];
}

int date_valid(int year, int month, int day)
{
	return year >= DATE_MIN_YEAR && year <= DATE_MAX_YEAR && month >= 1 && month <= 12 &&
	       day >= 1 && day <= date_days_in_month(year, month);
}

/* days_from_civil: http://howardhinnant.github.io/date_algorithms.html */
int date_from_ymd(int year, int month, int day)
{
	int y = month <= 2 ? year - 1 : year;
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

void date_to_ymd(int date, int *year, int *month, int *day)
{
	int z = date + 719468;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp < 10 ? mp + 3 : mp - 9;

	if (year != NULL)
		*year = yoe + era * 400 + (m <= 2);
	if (month != NULL)
		*month = m;
	if (day != NULL)
		*day = d;
}

int date_year(int date)
{
	int y;

	date_to_ymd(date, &y, NULL, NULL);
	return y;
}

int date_weekday(int date)
{
	/* 1970-01-01 was a Thursday (4). */
	int w = (date + 3) % 7;

	if (w < 0)
		w += 7;
	return w + 1;
}

int date_month_first(int year, int month)
{
	return date_from_ymd(year, month, 1);
}

int date_month_last(int year, int month)
{
	return date_from_ymd(year, month, date_days_in_month(year, month));
}

int date_add_days(int date, int n)
{
	return date + n;
}

int date_add_months(int date, int n)
{
	int y, m, d, idx, dim;

	date_to_ymd(date, &y, &m, &d);
	idx = y * 12 + (m - 1) + n;
	y = idx >= 0 ? idx / 12 : -((-idx + 11) / 12);
	m = idx - y * 12 + 1;
	dim = date_days_in_month(y, m);
	if (d > dim)
		d = dim;
	return date_from_ymd(y, m, d);
}

/* Reads exactly n digits. Returns the value or -1. */
static int date_digits(const char *s, int n)
{
	int v = 0, i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

int date_parse_month(const char *s, int *year, int *month)
{
	int y, m;

	if (s == NULL)
		return -1;
	y = date_digits(s, 4);
	if (y < 0 || s[4] != '-')
		return -1;
	m = date_digits(s + 5, 2);
	if (m < 0 || s[7] != '\0' || !date_valid(y, m, 1))
		return -1;
	*year = y;
	*month = m;
	return 0;
}

int date_parse(const char *s, int *out)
{
	int y, m, d;

	if (s == NULL)
		return -1;
	y = date_digits(s, 4);
	if (y < 0 || s[4] != '-')
		return -1;
	m = date_digits(s + 5, 2);
	if (m < 0 || s[7] != '-')
		return -1;
	d = date_digits(s + 8, 2);
	if (d < 0 || s[10] != '\0' || !date_valid(y, m, d))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

int date_parse_input(const char *s, int *out)
{
	int y, m, d;

	if (date_parse(s, out) == 0)
		return 0;
	if (s == NULL)
		return -1;
	d = date_digits(s, 2);
	if (d < 0 || s[2] != '.')
		return -1;
	m = date_digits(s + 3, 2);
	if (m < 0 || s[5] != '.')
		return -1;
	y = date_digits(s + 6, 4);
	if (y < 0 || s[10] != '\0' || !date_valid(y, m, d))
		return -1;
	*out = date_from_ymd(y, m, d);
	return 0;
}

int date_input_no_such_day(const char *s)
{
	int y, m, d;

	if (s == NULL || strlen(s) != 10)
		return 0;
	if (s[4] == '-' && s[7] == '-') {
		y = date_digits(s, 4);
		m = date_digits(s + 5, 2);
		d = date_digits(s + 8, 2);
	} else if (s[2] == '.' && s[5] == '.') {
		d = date_digits(s, 2);
		m = date_digits(s + 3, 2);
		y = date_digits(s + 6, 4);
	} else {
		return 0;
	}
	return y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR && m >= 1 && m <= 12 && d >= 1 && d <= 31 &&
	       !date_valid(y, m, d);
}

const char *date_input_why(const char *s, const char *otherwise)
{
	return date_input_no_such_day(s) ? DATE_NO_SUCH_DAY : otherwise;
}

/* Writes v as exactly n digits (v is reduced modulo 10^n). */
static char *date_put(char *o, int v, int n)
{
	int i;

	if (v < 0)
		v = -v;
	for (i = n - 1; i >= 0; i--) {
		o[i] = (char)('0' + v % 10);
		v /= 10;
	}
	return o + n;
}

void date_format(int date, char *out)
{
	int y, m, d;
	char *o = out;

	date_to_ymd(date, &y, &m, &d);
	o = date_put(o, y, 4);
	*o++ = '-';
	o = date_put(o, m, 2);
	*o++ = '-';
	o = date_put(o, d, 2);
	*o = '\0';
}

void date_format_ru(int date, char *out)
{
	int y, m, d;
	char *o = out;

	date_to_ymd(date, &y, &m, &d);
	o = date_put(o, d, 2);
	*o++ = '.';
	o = date_put(o, m, 2);
	*o++ = '.';
	o = date_put(o, y, 4);
	*o = '\0';
}

void date_format_month(int year, int month, char *out)
{
	char *o = out;

	o = date_put(o, year, 4);
	*o++ = '-';
	o = date_put(o, month, 2);
	*o = '\0';
}
