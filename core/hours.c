#include "hours.h"

#include "money.h"

#include <stdio.h>
#include <string.h>

int hours_parse(const char *s, int32_t *out)
{
	int64_t v;

	/* the same text as an amount of money: digits, at most two decimals */
	if (money_parse(s, 0, &v) < 0 || v > HOURS_MAX)
		return -1;
	*out = (int32_t)v;
	return 0;
}

int hours_parse_input(const char *s, int32_t *out)
{
	char text[32];
	size_t n;

	if (s == NULL)
		return -1;
	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 0 || n >= sizeof(text))
		return -1;
	memcpy(text, s, n);
	text[n] = '\0';
	for (char *c = text; *c; c++)
		if (*c == ',')
			*c = '.';
	return hours_parse(text, out);
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
