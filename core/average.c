/*
 * average.c - vacation pay and sick pay from average earnings (average.h).
 */
#include "average.h"

#include "date.h"
#include "money.h"

#include <stdio.h>

/* 10 × lcm(28, 29, 30, 31): every month's share of 29.3 days is a whole
 * number over it. */
#define AVERAGE_LCM  INT64_C(377580)
#define AVERAGE_DEN  (10 * AVERAGE_LCM)
#define AVERAGE_29_3 293 /* tenths of a day */

const char *const average_cause_names[] = {"illness", "care", "quarantine", "work_injury", NULL};

int average_daily_922(const struct average_month *months, int n, int64_t rate, int64_t *average,
                      int *fallback)
{
	int64_t earnings = 0, divisor = 0; /* divisor in 1/AVERAGE_DEN days */

	if (n < 0 || n > 12 || rate < 0 || rate > MONEY_MAX)
		return -1;
	for (int i = 0; i < n; i++) {
		int days = date_days_in_month(months[i].year, months[i].month);

		if (days == 0 || months[i].excluded_days < 0 || months[i].excluded_days > days ||
		    months[i].earnings < 0 || months[i].earnings > MONEY_MAX)
			return -1;
		earnings += months[i].earnings;
		divisor +=
		    AVERAGE_29_3 * (int64_t)(days - months[i].excluded_days) * (AVERAGE_LCM / days);
	}
	*fallback = divisor == 0;
	if (divisor == 0)
		return money_muldiv(rate, 10, AVERAGE_29_3, average);
	return money_muldiv(earnings, AVERAGE_DEN, divisor, average);
}

/* MROT (minimum wage) from a date on, rubles. */
static const struct {
	int year, month, day;
	int64_t rubles;
} average_mrot_table[] = {
    {2023, 1, 1, 16242},
    {2024, 1, 1, 19242},
    {2025, 1, 1, 22440},
    {2026, 1, 1, 27093},
};

/* The base limit of insurance contributions by year, rubles. */
static const struct {
	int year;
	int64_t rubles;
} average_limit_table[] = {
    {2021, 966000},  {2022, 1032000}, {2023, 1917000},
    {2024, 2225000}, {2025, 2759000}, {2026, 2979000},
};

int average_mrot(int date, int64_t *mrot)
{
	int n = (int)(sizeof(average_mrot_table) / sizeof(average_mrot_table[0]));

	/* known through the end of the last table year */
	if (date > date_from_ymd(average_mrot_table[n - 1].year, 12, 31))
		return -1;
	for (int i = n - 1; i >= 0; i--)
		if (date >= date_from_ymd(average_mrot_table[i].year, average_mrot_table[i].month,
		                          average_mrot_table[i].day)) {
			*mrot = average_mrot_table[i].rubles * 100;
			return 0;
		}
	return -1;
}

int average_base_limit(int year, int64_t *limit)
{
	for (size_t i = 0; i < sizeof(average_limit_table) / sizeof(average_limit_table[0]); i++)
		if (average_limit_table[i].year == year) {
			*limit = average_limit_table[i].rubles * 100;
			return 0;
		}
	return -1;
}

int average_sick(const struct average_sick_input *in, struct average_sick_result *out, char *why,
                 size_t nwhy)
{
	int y = date_year(in->from), coef = in->coefficient_x100 ? in->coefficient_x100 : 100;
	int64_t mrot, lim[2], base = 0, floor;
	int last_employer;

	*out = (struct average_sick_result){0};
	if (in->to < in->from || (unsigned)in->cause > AVERAGE_WORK_INJURY || coef < 100 ||
	    coef > 300 || in->record_m100 < 0) {
		snprintf(why, nwhy, "неверные данные больничного");
		return -1;
	}
	if (average_mrot(in->from, &mrot) < 0 || average_base_limit(y - 2, &lim[0]) < 0 ||
	    average_base_limit(y - 1, &lim[1]) < 0) {
		snprintf(why, nwhy,
		         "пособие по болезни считается для больничных, начавшихся с 2023 по 2026 "
		         "год: на %d год не известны МРОТ или предельные базы %d и %d годов",
		         y, y - 2, y - 1);
		return -1;
	}
	for (int i = 0; i < 2; i++) {
		if (in->earnings[i] < 0 || in->earnings[i] > MONEY_MAX) {
			snprintf(why, nwhy, "заработок за %d год вне допустимого", y - 2 + i);
			return -1;
		}
		base += in->earnings[i] < lim[i] ? in->earnings[i] : lim[i];
	}
	out->average = money_muldiv_exact(base, 1, 730);
	floor = money_muldiv_exact(mrot * coef, 24, 730 * 100);
	if (out->average < floor)
		out->average = floor;
	out->percent = in->record_m100 < 6000 ? 60 : in->record_m100 < 9600 ? 80 : 100;
	if (in->cause == AVERAGE_ILLNESS) {
		last_employer = in->to < in->from + 2 ? in->to : in->from + 2;
		out->employer_days = last_employer - in->from + 1;
	} else {
		last_employer = in->from - 1;
	}
	out->fund_days = in->to - in->from + 1 - out->employer_days;
	for (int d = in->from; d <= last_employer;) {
		int yy, mm, dd, days, end;
		struct average_sick_piece *p = &out->pieces[out->npieces++];
		int64_t a, m;

		date_to_ymd(d, &yy, &mm, &dd);
		days = date_days_in_month(yy, mm);
		end = date_month_last(yy, mm);
		if (end > last_employer)
			end = last_employer;
		a = money_muldiv_exact(out->average, out->percent, 100);
		m = money_muldiv_exact(mrot * coef, 1, (int64_t)days * 100);
		p->daily = a > m ? a : m;
		if (in->record_m100 < 600 && p->daily > m)
			p->daily = m;
		p->from = d;
		p->to = end;
		p->days = end - d + 1;
		p->amount = p->daily * p->days;
		d = end + 1;
	}
	return 0;
}
