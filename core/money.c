#include "money.h"

#include <stdlib.h>
#include <string.h>

int money_parse(const char *s, int flags, int64_t *out)
{
	const char *p = s;
	int negative = 0, intdigits = 0, fracdigits = 0;
	int64_t v = 0;

	if (s == NULL)
		return -1;
	if (*p == '-') {
		if (!(flags & MONEY_ALLOW_NEGATIVE))
			return -1;
		negative = 1;
		p++;
	}
	if (*p < '0' || *p > '9')
		return -1;
	if (*p == '0' && p[1] >= '0' && p[1] <= '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		if (++intdigits > 13)
			return -1;
		v = v * 10 + (*p++ - '0');
	}
	v *= 100;
	if (*p == '.') {
		p++;
		if (*p < '0' || *p > '9')
			return -1;
		while (*p >= '0' && *p <= '9') {
			if (++fracdigits > 2)
				return -1;
			v += (*p++ - '0') * (fracdigits == 1 ? 10 : 1);
		}
	}
	if (*p != '\0')
		return -1;
	*out = negative ? -v : v;
	return 0;
}

/* Writes the digits of |kopecks| / 100 with sep every three digits (NULL: none). */
static char *money_put_units(char *o, uint64_t units, const char *sep)
{
	char digits[24];
	int n = 0, i;

	do {
		digits[n++] = (char)('0' + units % 10);
		units /= 10;
	} while (units > 0);
	for (i = n - 1; i >= 0; i--) {
		*o++ = digits[i];
		if (sep != NULL && i > 0 && i % 3 == 0) {
			size_t l = strlen(sep);
			memcpy(o, sep, l);
			o += l;
		}
	}
	return o;
}

static void money_format_with(int64_t kopecks, char *out, const char *sep, char point,
                              const char *suffix)
{
	uint64_t a = kopecks < 0 ? (uint64_t)0 - (uint64_t)kopecks : (uint64_t)kopecks;
	char *o = out;

	if (kopecks < 0)
		*o++ = '-';
	o = money_put_units(o, a / 100, sep);
	*o++ = point;
	*o++ = (char)('0' + a % 100 / 10);
	*o++ = (char)('0' + a % 10);
	strcpy(o, suffix);
}

void money_format(int64_t kopecks, char *out)
{
	money_format_with(kopecks, out, NULL, '.', "");
}

void money_format_ru(int64_t kopecks, char *out)
{
	money_format_with(kopecks, out, MONEY_NBSP, ',', MONEY_NBSP "₽");
}

void money_format_ru_bare(int64_t kopecks, char *out)
{
	money_format_with(kopecks, out, MONEY_NBSP, ',', "");
}

/* The length of a space a person may type between digit groups or before
 * the ruble sign at s (ASCII space, U+00A0, U+2009 thin, U+202F narrow
 * no-break), or 0. */
static size_t money_space_len(const char *s)
{
	if (*s == ' ')
		return 1;
	if ((unsigned char)s[0] == 0xc2 && (unsigned char)s[1] == 0xa0)
		return 2;
	if ((unsigned char)s[0] == 0xe2 && (unsigned char)s[1] == 0x80 &&
	    ((unsigned char)s[2] == 0x89 || (unsigned char)s[2] == 0xaf))
		return 3;
	return 0;
}

static const char *money_skip_spaces(const char *s)
{
	size_t n;

	while ((n = money_space_len(s)) > 0)
		s += n;
	return s;
}

int money_parse_input(const char *s, int flags, int64_t *out)
{
	static const char *const signs[] = {"₽", "руб.", "руб", "р.", "р"};
	char canon[64];
	size_t o = 0, group = 0;
	int grouped = 0;
	const char *p;

	if (s == NULL)
		return -1;
	p = money_skip_spaces(s);
	if (*p == '-')
		canon[o++] = *p++;
	/* the integer part: digits, maybe in groups of three after the first */
	for (;;) {
		size_t sp;
		if (*p >= '0' && *p <= '9') {
			if (o + 1 >= sizeof(canon))
				return -1;
			canon[o++] = *p++;
			group++;
			continue;
		}
		sp = money_space_len(p);
		if (sp == 0 || !(p[sp] >= '0' && p[sp] <= '9'))
			break;
		/* a separator: the group before it is the first (1..3 digits) or
		 * exactly three; the one after must be three digits */
		if (group == 0 || group > 3 || (grouped && group != 3))
			return -1;
		grouped = 1;
		group = 0;
		p += sp;
	}
	if (grouped && group != 3)
		return -1;
	if (*p == ',' || *p == '.') {
		canon[o++] = '.';
		p++;
		while (*p >= '0' && *p <= '9' && o + 1 < sizeof(canon))
			canon[o++] = *p++;
	}
	canon[o] = '\0';
	p = money_skip_spaces(p);
	for (size_t i = 0; i < sizeof(signs) / sizeof(signs[0]); i++)
		if (strncmp(p, signs[i], strlen(signs[i])) == 0) {
			p = money_skip_spaces(p + strlen(signs[i]));
			break;
		}
	if (*p != '\0')
		return -1;
	return money_parse(canon, flags, out);
}

int money_muldiv(int64_t a, int64_t b, int64_t c, int64_t *out)
{
	__int128 num, den, q, r;
	int negative;

	if (c == 0)
		return -1;
	num = (__int128)a * b;
	den = c;
	negative = (num < 0) != (den < 0);
	if (num < 0)
		num = -num;
	if (den < 0)
		den = -den;
	q = num / den;
	r = num % den;
	if (r * 2 >= den)
		q++;
	if (negative)
		q = -q;
	if (q > INT64_MAX || q < INT64_MIN)
		return -1;
	*out = (int64_t)q;
	return 0;
}

int64_t money_muldiv_exact(int64_t a, int64_t b, int64_t c)
{
	int64_t r;

	if (money_muldiv(a, b, c, &r) != 0)
		abort();
	return r;
}
