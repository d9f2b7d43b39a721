#include "ru.h"

#include "date.h"

#include <stdio.h>
#include <string.h>

const char *ru_plural(long long n, const char *one, const char *few, const char *many)
{
	unsigned long long a = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
	unsigned long long d10 = a % 10, d100 = a % 100;

	if (d100 >= 11 && d100 <= 14)
		return many;
	if (d10 == 1)
		return one;
	if (d10 >= 2 && d10 <= 4)
		return few;
	return many;
}

char *ru_format_tenths(long long tenths, char *out, size_t n)
{
	unsigned long long a =
	    tenths < 0 ? 0ULL - (unsigned long long)tenths : (unsigned long long)tenths;

	if (a % 10)
		snprintf(out, n, "%s%llu,%llu", tenths < 0 ? "-" : "", a / 10, a % 10);
	else
		snprintf(out, n, "%s%llu", tenths < 0 ? "-" : "", a / 10);
	return out;
}

const char *ru_plural_tenths(long long tenths, const char *one, const char *few, const char *many,
                             const char *fraction)
{
	if (tenths % 10)
		return fraction;
	return ru_plural(tenths / 10, one, few, many);
}

static const char *const ru_months[12] = {"январь",   "февраль", "март",   "апрель",
                                          "май",      "июнь",    "июль",   "август",
                                          "сентябрь", "октябрь", "ноябрь", "декабрь"};
static const char *const ru_months_gen[12] = {"января",   "февраля", "марта",  "апреля",
                                              "мая",      "июня",    "июля",   "августа",
                                              "сентября", "октября", "ноября", "декабря"};
static const char *const ru_months_title[12] = {"Январь",   "Февраль", "Март",   "Апрель",
                                                "Май",      "Июнь",    "Июль",   "Август",
                                                "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"};

const char *ru_month_name(int month)
{
	return month >= 1 && month <= 12 ? ru_months[month - 1] : NULL;
}

const char *ru_month_genitive(int month)
{
	return month >= 1 && month <= 12 ? ru_months_gen[month - 1] : NULL;
}

const char *ru_month_title(int month)
{
	return month >= 1 && month <= 12 ? ru_months_title[month - 1] : NULL;
}

const char *ru_weekday_short(int weekday)
{
	static const char *const names[7] = {"пн", "вт", "ср", "чт", "пт", "сб", "вс"};

	return weekday >= 1 && weekday <= 7 ? names[weekday - 1] : NULL;
}

char *ru_format_date_long(int date, char *out, size_t n)
{
	int y, m, d;

	date_to_ymd(date, &y, &m, &d);
	snprintf(out, n, "%d %s %d г.", d, ru_months_gen[m - 1], y);
	return out;
}

char *ru_wait(long long seconds, char *out, size_t n)
{
	if (seconds < 1)
		seconds = 1;
	if (seconds < 120) {
		snprintf(out, n, "через %lld %s", seconds,
		         ru_plural(seconds, "секунду", "секунды", "секунд"));
	} else if (seconds < 7200) {
		seconds = (seconds + 59) / 60;
		snprintf(out, n, "через %lld %s", seconds,
		         ru_plural(seconds, "минуту", "минуты", "минут"));
	} else {
		seconds = (seconds + 3599) / 3600;
		snprintf(out, n, "через %lld %s", seconds,
		         ru_plural(seconds, "час", "часа", "часов"));
	}
	return out;
}

char *ru_format_size(long long bytes, char *out, size_t n)
{
	const long long mib = 1LL << 20;

	if (bytes >= mib && (bytes % mib) * 10 / mib)
		snprintf(out, n, "%lld,%lld МБ", bytes / mib, (bytes % mib) * 10 / mib);
	else if (bytes >= mib)
		snprintf(out, n, "%lld МБ", bytes / mib);
	else if (bytes >= 1024)
		snprintf(out, n, "%lld КБ", bytes / 1024);
	else
		snprintf(out, n, "%lld %s", bytes, ru_plural(bytes, "байт", "байта", "байт"));
	return out;
}

char *ru_format_phone(const char *phone, char *out, size_t n)
{
	size_t len = phone ? strlen(phone) : 0;
	int digits = len == 12 && phone[0] == '+' && phone[1] == '7';

	for (size_t i = 1; digits && i < len; i++)
		digits = phone[i] >= '0' && phone[i] <= '9';
	if (digits)
		snprintf(out, n, "+7 %.3s %.3s-%.2s-%.2s", phone + 2, phone + 5, phone + 8,
		         phone + 10);
	else
		snprintf(out, n, "%s", phone ? phone : "");
	return out;
}

/* 1 when word (n bytes) ends with the UTF-8 suffix. */
static int ru_ends(const char *word, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(word + n - k, suffix, k) == 0;
}

enum ru_gender ru_gender_of(const char *full_name)
{
	const char *w[8];
	size_t len[8];
	int n = 0;

	/* the words, split at spaces */
	for (const char *p = full_name; p && *p && n < 8;) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		w[n] = p;
		len[n] = strcspn(p, " \t");
		p += len[n++];
	}
	if (n < 3)
		return RU_GENDER_UNKNOWN;
	/* Turkic patronymics: "Алиев Рашид Ахмед оглы", "Алиева Лейла Ахмед кызы" */
	if (ru_ends(w[n - 1], len[n - 1], "оглы") || ru_ends(w[n - 1], len[n - 1], "улы"))
		return RU_GENDER_MASCULINE;
	if (ru_ends(w[n - 1], len[n - 1], "кызы") || ru_ends(w[n - 1], len[n - 1], "гызы"))
		return RU_GENDER_FEMININE;
	if (ru_ends(w[2], len[2], "ич") || ru_ends(w[2], len[2], "ИЧ"))
		return RU_GENDER_MASCULINE;
	if (ru_ends(w[2], len[2], "вна") || ru_ends(w[2], len[2], "чна") ||
	    ru_ends(w[2], len[2], "ВНА") || ru_ends(w[2], len[2], "ЧНА"))
		return RU_GENDER_FEMININE;
	return RU_GENDER_UNKNOWN;
}

const char *ru_past(const char *full_name, const char *masculine, const char *feminine)
{
	switch (ru_gender_of(full_name)) {
	case RU_GENDER_MASCULINE:
		return masculine;
	case RU_GENDER_FEMININE:
		return feminine;
	default:
		return NULL;
	}
}

/* The lower case of a capital letter at p (Latin, Cyrillic А-Я, Ё) in
 * UTF-8 into lc (its length in *len); 0 when p is not a capital. */
static int ru_lower_at(const unsigned char *p, unsigned char lc[2], size_t *len)
{
	if (p[0] >= 'A' && p[0] <= 'Z') {
		lc[0] = (unsigned char)(p[0] + 32);
		*len = 1;
		return 1;
	}
	if (p[0] == 0xd0 && p[1] >= 0x90 && p[1] <= 0x9f) { /* А..П */
		lc[0] = 0xd0;
		lc[1] = (unsigned char)(p[1] + 0x20);
	} else if (p[0] == 0xd0 && p[1] >= 0xa0 && p[1] <= 0xaf) { /* Р..Я */
		lc[0] = 0xd1;
		lc[1] = (unsigned char)(p[1] - 0x20);
	} else if (p[0] == 0xd0 && p[1] == 0x81) { /* Ё */
		lc[0] = 0xd1;
		lc[1] = 0x91;
	} else {
		return 0;
	}
	*len = 2;
	return 1;
}

const char *ru_after_colon(const char *s, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char lc[2], next[2];
	size_t len, nlen;

	if (s == NULL || !ru_lower_at(p, lc, &len))
		return s;
	if (ru_lower_at(p + len, next, &nlen))
		return s; /* an abbreviation */
	snprintf(out, n, "%.*s%s", (int)len, (const char *)lc, s + len);
	return out;
}
