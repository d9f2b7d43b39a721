#include "hours.h"

#include <stdio.h>

int hours_parse(const char *s, int32_t *out)
{
	const char *p = s;
	int64_t v = 0;
	int fracdigits = 0;

	if (s == NULL || *p < '0' || *p > '9')
		return -1;
	if (*p == '0' && p[1] >= '0' && p[1] <= '9')
		return -1;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p++ - '0');
		if (v * 100 > HOURS_MAX)
			return -1;
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
	if (*p != '\0' || v > HOURS_MAX)
		return -1;
	*out = (int32_t)v;
	return 0;
}

void hours_format(int32_t hundredths, char *out)
{
	int64_t v = hundredths;
	const char *sign = "";
	int whole, frac;

	if (v < 0) {
		sign = "-";
		v = -v;
	}
	whole = (int)(v / 100);
	frac = (int)(v % 100);
	if (frac == 0)
		snprintf(out, HOURS_BUFSZ, "%s%d", sign, whole);
	else if (frac % 10 == 0)
		snprintf(out, HOURS_BUFSZ, "%s%d.%d", sign, whole, frac / 10);
	else
		snprintf(out, HOURS_BUFSZ, "%s%d.%02d", sign, whole, frac);
}
