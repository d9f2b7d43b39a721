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
