#include "schedule.h"

#include "date.h"

#include <stddef.h>

const char *schedule_check(const struct schedule *s)
{
	int i;

	if (s->kind == SCHEDULE_WEEK) {
		if (s->npattern != 7 || s->pattern == NULL)
			return "у недельного графика 7 дней: с понедельника по воскресенье";
	} else if (s->kind == SCHEDULE_CYCLE) {
		if (s->npattern < 1 || s->npattern > SCHEDULE_MAX_PATTERN || s->pattern == NULL)
			return "у циклического графика от 1 до 366 дней в цикле";
		if (s->start == DATE_NONE)
			return "у циклического графика нужна дата начала цикла";
	} else {
		return "вид графика: week или cycle";
	}
	if (s->holidays != SCHEDULE_HOLIDAYS_CALENDAR && s->holidays != SCHEDULE_HOLIDAYS_IGNORE)
		return "праздники: calendar или ignore";
	for (i = 0; i < s->npattern; i++) {
		const struct schedule_day *d = &s->pattern[i];

		if (d->hours < 0 || d->hours > SCHEDULE_MAX_DAY)
			return "часы дня графика: от 0 до 24";
		if (d->night < 0 || d->night > d->hours)
			return "ночные часы дня графика: от 0 до числа часов дня";
	}
	return NULL;
}

/* One hour less (not below zero), night clipped to the new length. */
static void schedule_shorten(struct schedule_day *d)
{
	d->hours = d->hours > 100 ? d->hours - 100 : 0;
	if (d->night > d->hours)
		d->night = d->hours;
}

static int schedule_fill_week(const struct schedule *s, const struct calendar *cal, int from,
                              int to, struct schedule_day *out)
{
	int d, wd = date_weekday(from) - 1;

	for (d = from; d <= to; d++, out++) {
		unsigned bits;

		*out = s->pattern[wd];
		out->flags = 0;
		if (s->holidays == SCHEDULE_HOLIDAYS_CALENDAR) {
			bits = cal ? calendar_day(cal, d) : 0;
			if (!(bits & CALENDAR_COVERED))
				return -1;
			switch (CALENDAR_KIND(bits)) {
			case CALENDAR_HOLIDAY:
			case CALENDAR_DAY_OFF:
				out->hours = 0;
				out->night = 0;
				break;
			case CALENDAR_PAID_OFF:
				out->flags = SCHEDULE_PAID_OFF;
				break;
			case CALENDAR_WORK:
				if (bits & CALENDAR_MADE_WORKING)
					*out = s->pattern[0];
				out->flags = 0;
				break;
			case CALENDAR_WEEKEND:
				break;
			}
			if ((bits & CALENDAR_SHORT) && out->hours > 0)
				schedule_shorten(out);
		}
		if (++wd == 7)
			wd = 0;
	}
	return 0;
}

static int schedule_fill_cycle(const struct schedule *s, const struct calendar *cal, int from,
                               int to, struct schedule_day *out)
{
	int n = s->npattern, d;
	int i = (int)(((long long)from - s->start) % n);

	if (i < 0)
		i += n;
	for (d = from; d <= to; d++, out++) {
		*out = s->pattern[i];
		out->flags = 0;
		if (s->holidays == SCHEDULE_HOLIDAYS_CALENDAR) {
			unsigned bits = cal ? calendar_day(cal, d) : 0;

			if (!(bits & CALENDAR_COVERED))
				return -1;
			if (CALENDAR_KIND(bits) == CALENDAR_HOLIDAY) {
				out->hours = 0;
				out->night = 0;
			} else if ((bits & CALENDAR_SHORT) && out->hours > 0) {
				schedule_shorten(out);
			}
		}
		if (++i == n)
			i = 0;
	}
	return 0;
}

int schedule_fill(const struct schedule *s, const struct calendar *cal, int from, int to,
                  struct schedule_day *out)
{
	if (to < from || schedule_check(s) != NULL)
		return -1;
	if (s->kind == SCHEDULE_WEEK)
		return schedule_fill_week(s, cal, from, to, out);
	return schedule_fill_cycle(s, cal, from, to, out);
}

void schedule_sum(const struct schedule_day *days, int n, int *ndays, int32_t *hours)
{
	int i, c = 0;
	int32_t h = 0;

	for (i = 0; i < n; i++) {
		if (days[i].hours > 0)
			c++;
		h += days[i].hours;
	}
	*ndays = c;
	*hours = h;
}
