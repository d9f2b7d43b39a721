/*
 * payroll.c - the time-norm payroll of one employee-month (payroll.h).
 *
 * Three steps on a work area on the caller's stack: plan the month (the
 * schedules' days and norms), build the days (the T-13 rows, workday.h, from
 * the plan and the deviations or the timesheet: payroll_days() stops here),
 * then price them: salary and premium lines (payroll_time()), and the
 * accruals, regional pay, vacation pay, sick pay and compensation on top
 * (payroll_extras()).
 */
#include "payroll.h"

#include "date.h"
#include "money.h"
#include "ru.h"
#include "t13.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define PAYROLL_DAYS 31

/* A schedule's plan for the whole month, and its month norm. */
struct payroll_plan {
	int schedule;
	int norm_days;
	int32_t norm_hours;
	struct schedule_day days[PAYROLL_DAYS];
};

/* Everything one run needs, on the caller's stack. */
struct payroll_work {
	const struct payroll_input *in;
	int first, n;
	int assign[PAYROLL_DAYS];  /* assignment applying on the day, -1 */
	int plan_of[PAYROLL_DAYS]; /* index into plans (-1: none) */
	int first_assign;          /* first assignment applying in the month, -1 */
	const struct schedule_day *planned[PAYROLL_DAYS]; /* NULL: nothing planned */
	unsigned char employed[PAYROLL_DAYS];
	unsigned char holiday[PAYROLL_DAYS]; /* a non-working public holiday */
	int whole[PAYROLL_DAYS];             /* whole-day code of the day, 0 */
	struct workday days[PAYROLL_DAYS];
	int32_t worked[PAYROLL_DAYS]; /* salary time */
	int32_t night[PAYROLL_DAYS];
	int32_t overtime[PAYROLL_DAYS];
	int32_t rv_plan[PAYROLL_DAYS]; /* planned holiday hours worked */
	int32_t rv_doc[PAYROLL_DAYS];  /* РВ beyond them */
	int source[PAYROLL_DAYS];      /* last deviation/timesheet index touching the day */
	int month_norm_days;           /* summed or individual norm */
	int32_t month_norm_hours;
	int nplans;
	struct payroll_plan plans[PAYROLL_DAYS];
};

static void payroll_fail(struct payroll_error *err, enum payroll_errcode code, const char *field,
                         int index, int date, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

static void payroll_fail(struct payroll_error *err, enum payroll_errcode code, const char *field,
                         int index, int date, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->code = code;
	err->field = field;
	err->index = index;
	err->date = date;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

static const char *const payroll_kind_names[PAYROLL_LINE_KINDS] = {
    "salary",       "overtime",     "holiday_work",          "night",
    "bonus",        "material_aid", "district_coefficient",  "northern_allowance",
    "vacation_pay", "sick_pay",     "vacation_compensation",
};

const char *payroll_line_kind_name(enum payroll_line_kind kind)
{
	return (unsigned)kind < PAYROLL_LINE_KINDS ? payroll_kind_names[kind] : NULL;
}

int payroll_line_kind_of(const char *name)
{
	for (int i = 0; name && i < PAYROLL_LINE_KINDS; i++)
		if (strcmp(name, payroll_kind_names[i]) == 0)
			return i;
	return -1;
}

static int payroll_check_terms(const struct payroll_input *in, struct payroll_error *err)
{
	const struct payroll_terms *t = &in->terms;

	if (in->month < 1 || in->month > 12 || !date_valid(in->year, in->month, 1)) {
		payroll_fail(err, PAYROLL_E_INPUT, "month", -1, DATE_NONE,
		             "месяц вне 1900-01..2199-12");
		return -1;
	}
	if (t->rate < 0 || t->rate > MONEY_MAX) {
		payroll_fail(err, PAYROLL_E_INPUT, "rate", -1, DATE_NONE,
		             "оклад: от 0 до 9999999999999.99 рублей");
		return -1;
	}
	if (t->pay_by != PAYROLL_BY_DAYS && t->pay_by != PAYROLL_BY_HOURS) {
		payroll_fail(err, PAYROLL_E_INPUT, "pay_by", -1, DATE_NONE,
		             "оплата по дням или по часам");
		return -1;
	}
	if (t->hired != DATE_NONE && t->dismissed != DATE_NONE && t->hired > t->dismissed) {
		payroll_fail(err, PAYROLL_E_INPUT, "dismissed", -1, DATE_NONE,
		             "дата увольнения раньше даты приёма");
		return -1;
	}
	if (in->norm != PAYROLL_NORM_PER_PERIOD && in->norm != PAYROLL_NORM_SUMMED) {
		payroll_fail(err, PAYROLL_E_INPUT, "norm", -1, DATE_NONE,
		             "норма: per_period или summed");
		return -1;
	}
	if (in->night_percent != 0 && (in->night_percent < PAYROLL_NIGHT_PERCENT ||
	                               in->night_percent > PAYROLL_NIGHT_PERCENT_MAX)) {
		payroll_fail(
		    err, PAYROLL_E_INPUT, "night_percent", -1, DATE_NONE,
		    "доплата за ночные часы: от %d до %d %s", PAYROLL_NIGHT_PERCENT,
		    PAYROLL_NIGHT_PERCENT_MAX,
		    ru_plural(PAYROLL_NIGHT_PERCENT_MAX, "процента", "процентов", "процентов"));
		return -1;
	}
	if ((in->district_x100 != 0 && (in->district_x100 < 100 || in->district_x100 > 300)) ||
	    in->northern_percent < 0 || in->northern_percent > 100) {
		payroll_fail(err, PAYROLL_E_INPUT, "regional", -1, DATE_NONE,
		             "районный коэффициент от 1 до 3, северная надбавка от 0 до 100 %%");
		return -1;
	}
	return 0;
}

static const char *payroll_year_missing(int year, char *buf, size_t n)
{
	calendar_missing_note(year, buf, n);
	return buf;
}

/* Which assignment applies on each day; the plans of the schedules used. */
static int payroll_plan_month(struct payroll_work *w, struct payroll_error *err)
{
	const struct payroll_input *in = w->in;
	int i, k = -1, next = 0;

	for (i = 0; i < in->nassignments; i++) {
		const struct payroll_assignment *a = &in->assignments[i];

		if (a->schedule < 0 || a->schedule >= in->nschedules) {
			payroll_fail(err, PAYROLL_E_INPUT, "assignments", i, DATE_NONE,
			             "нет такого графика");
			return -1;
		}
		if (a->from == DATE_NONE || (i > 0 && a->from <= in->assignments[i - 1].from)) {
			payroll_fail(err, PAYROLL_E_INPUT, "assignments", i, DATE_NONE,
			             "даты назначений должны возрастать");
			return -1;
		}
	}
	w->first_assign = -1;
	for (i = 0; i < w->n; i++) {
		int d = w->first + i;

		while (next < in->nassignments && in->assignments[next].from <= d)
			k = next++;
		w->assign[i] = k;
		w->plan_of[i] = -1;
		if (k >= 0 && w->first_assign < 0)
			w->first_assign = k;
	}
	if (w->first_assign < 0 && in->individual == NULL) {
		char m[DATE_MONTH_BUFSZ];

		date_format_month(in->year, in->month, m);
		payroll_fail(err, PAYROLL_E_NO_SCHEDULE, "assignments", -1, DATE_NONE,
		             "на %s не назначен ни один график", m);
		return -1;
	}
	w->nplans = 0;
	if (in->individual != NULL)
		return 0; /* it replaces the assigned schedules */
	for (i = 0; i < w->n; i++) {
		int a = w->assign[i] >= 0 ? w->assign[i] : w->first_assign, s, p;
		const struct schedule *sc;
		const char *why;

		if (a < 0)
			continue;
		s = in->assignments[a].schedule;
		for (p = 0; p < w->nplans; p++)
			if (w->plans[p].schedule == s)
				break;
		if (p == w->nplans) {
			struct payroll_plan *pl = &w->plans[p];
			char msg[CALENDAR_NOTE_BUFSZ];

			sc = &in->schedules[s];
			why = schedule_check(sc);
			if (why != NULL) {
				payroll_fail(err, PAYROLL_E_INPUT, "schedules", s, DATE_NONE, "%s",
				             why);
				return -1;
			}
			if (schedule_fill(sc, in->calendar, w->first, w->first + w->n - 1,
			                  pl->days) != 0) {
				payroll_fail(err, PAYROLL_E_CALENDAR, "calendar", -1, DATE_NONE,
				             "%s",
				             payroll_year_missing(in->year, msg, sizeof(msg)));
				return -1;
			}
			pl->schedule = s;
			schedule_sum(pl->days, w->n, &pl->norm_days, &pl->norm_hours);
			w->nplans++;
		}
		w->plan_of[i] = p;
	}
	return 0;
}

static int payroll_check_individual(const struct payroll_input *in, int n,
                                    struct payroll_error *err)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct schedule_day *d = &in->individual[i];

		if (d->hours < 0 || d->hours > SCHEDULE_MAX_DAY || d->night < 0 ||
		    d->night > d->hours) {
			payroll_fail(err, PAYROLL_E_INPUT, "individual", i, DATE_NONE,
			             "часы дня: от 0 до 24, ночные не больше часов дня");
			return -1;
		}
	}
	return 0;
}

static void payroll_norms(struct payroll_work *w)
{
	const struct payroll_input *in = w->in;
	int i;

	w->month_norm_days = 0;
	w->month_norm_hours = 0;
	for (i = 0; i < w->n; i++) {
		const struct schedule_day *d;

		if (in->individual != NULL) {
			d = &in->individual[i];
			w->planned[i] = d;
		} else {
			/* plan_of covers days before the first assignment (summed norm) */
			d = &w->plans[w->plan_of[i]].days[i];
			w->planned[i] = w->assign[i] >= 0 ? d : NULL;
		}
		if (d->hours > 0)
			w->month_norm_days++;
		w->month_norm_hours += d->hours;
	}
}

/* The norm a day's time divides by: days and hours. */
static void payroll_norm_of_day(const struct payroll_work *w, int i, int *days, int32_t *hours)
{
	if (w->in->individual != NULL || w->in->norm == PAYROLL_NORM_SUMMED) {
		*days = w->month_norm_days;
		*hours = w->month_norm_hours;
	} else {
		const struct payroll_plan *p = &w->plans[w->plan_of[i]];

		*days = p->norm_days;
		*hours = p->norm_hours;
	}
}

static int payroll_in_month(const struct payroll_work *w, int date)
{
	return date >= w->first && date < w->first + w->n;
}

static int payroll_is_holiday(const struct calendar *cal, int date)
{
	unsigned bits = cal ? calendar_day(cal, date) : 0;

	return (bits & CALENDAR_COVERED) && CALENDAR_KIND(bits) == CALENDAR_HOLIDAY;
}

/* ---- the days ---- */

static void payroll_day_init(struct payroll_work *w, int i)
{
	struct workday *day = &w->days[i];
	const struct schedule_day *p = w->planned[i];

	memset(day, 0, sizeof(*day));
	day->date = w->first + i;
	if (w->employed[i])
		day->flags |= WORKDAY_EMPLOYED;
	if (p != NULL) {
		day->flags |= WORKDAY_PLANNED;
		day->plan_hours = p->hours;
		day->plan_night = p->night;
		if ((p->flags & SCHEDULE_PAID_OFF) && w->in->individual == NULL)
			day->flags |= WORKDAY_PAID_OFF;
	}
	if (w->holiday[i])
		day->flags |= WORKDAY_HOLIDAY;
}

static int payroll_clash(struct payroll_error *err, const char *field, int index, int date, int a,
                         int b)
{
	const struct t13_code *x = t13_get(a), *y = t13_get(b);
	char d[DATE_BUFSZ];

	date_format_ru(date, d);
	payroll_fail(err, PAYROLL_E_CLASH, field, index, date,
	             "%s: код %s (целый день) не может быть в один день с кодом %s", d,
	             x ? x->letter : "?", y ? y->letter : "?");
	return -1;
}

/* Where an hour code may stand by the day's plan (workday_place()). */
static int payroll_place(struct payroll_error *err, const char *field, int index,
                         const struct workday *day, int code)
{
	char msg[512];

	if (workday_place(day, code, msg, sizeof(msg)) == 0)
		return 0;
	payroll_fail(err, PAYROLL_E_CLASH, field, index, day->date, "%s", msg);
	return -1;
}

static int payroll_days_from_deviations(struct payroll_work *w, struct payroll_error *err)
{
	const struct payroll_input *in = w->in;
	int i, d, pass;

	for (i = 0; i < in->ndeviations; i++) {
		const struct payroll_deviation *dv = &in->deviations[i];
		const struct t13_code *c = t13_get(dv->code);

		if (c == NULL) {
			payroll_fail(err, PAYROLL_E_INPUT, "deviations", i, DATE_NONE,
			             "неизвестный код");
			return -1;
		}
		if (dv->from == DATE_NONE || dv->to == DATE_NONE || dv->from > dv->to) {
			payroll_fail(err, PAYROLL_E_INPUT, "deviations", i, DATE_NONE,
			             "период отклонения: начало не позже конца");
			return -1;
		}
		if (c->cls == T13_CLASS_ABSENCE)
			continue;
		if (c->cls == T13_CLASS_WORK || c->cls == T13_CLASS_PARTIAL) {
			payroll_fail(err, PAYROLL_E_INPUT, "deviations", i, DATE_NONE,
			             "код %s бывает только в табеле", c->letter);
			return -1;
		}
		if (dv->from != dv->to || !payroll_in_month(w, dv->from)) {
			payroll_fail(err, PAYROLL_E_INPUT, "deviations", i, DATE_NONE,
			             "часы по коду %s указываются на одну дату месяца", c->letter);
			return -1;
		}
		if (dv->hours <= 0 || dv->hours > SCHEDULE_MAX_DAY) {
			payroll_fail(err, PAYROLL_E_INPUT, "deviations", i, DATE_NONE,
			             "часы: больше 0 и не больше 24");
			return -1;
		}
		if (!w->employed[dv->from - w->first]) {
			char ds[DATE_BUFSZ];

			date_format_ru(dv->from, ds);
			payroll_fail(err, PAYROLL_E_CLASH, "deviations", i, dv->from,
			             "%s вне периода работы сотрудника (приём и увольнение)", ds);
			return -1;
		}
	}
	/* whole days: other codes first, then a Б (which wins inside a vacation) */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < in->ndeviations; i++) {
			const struct payroll_deviation *dv = &in->deviations[i];
			int a, b;

			if (!workday_whole_day_code(dv->code) || (dv->code == T13_B) != (pass == 1))
				continue;
			a = dv->from < w->first ? w->first : dv->from;
			b = dv->to > w->first + w->n - 1 ? w->first + w->n - 1 : dv->to;
			for (d = a; d <= b; d++) {
				int k = d - w->first;

				if (!w->employed[k])
					continue;
				if (w->whole[k] && !workday_may_overlay(dv->code, w->whole[k]))
					return payroll_clash(err, "deviations", i, d, dv->code,
					                     w->whole[k]);
				w->whole[k] = dv->code;
				w->source[k] = i;
			}
		}
	}
	for (i = 0; i < w->n; i++) {
		struct workday *day = &w->days[i];

		if (w->whole[i]) {
			workday_deviation(day, w->whole[i], 1, 0, w->source[i] + 1);
			continue;
		}
		if (w->employed[i] && w->planned[i] != NULL)
			workday_plan(day);
	}
	for (i = 0; i < in->ndeviations; i++) {
		const struct payroll_deviation *dv = &in->deviations[i];
		int k;

		if (workday_whole_day_code(dv->code))
			continue;
		k = dv->from - w->first;
		if (w->whole[k])
			return payroll_clash(err, "deviations", i, dv->from, w->whole[k], dv->code);
		if (payroll_place(err, "deviations", i, &w->days[k], dv->code) != 0)
			return -1;
		workday_deviation(&w->days[k], dv->code, 0, dv->hours, 0);
		w->source[k] = i;
	}
	return 0;
}

static int payroll_days_from_timesheet(struct payroll_work *w, struct payroll_error *err)
{
	const struct payroll_input *in = w->in;
	uint32_t rows = 0;
	int i;

	for (i = 0; i < in->ntimesheet; i++) {
		const struct payroll_time *t = &in->timesheet[i];
		const struct t13_code *c = t13_get(t->code);
		int k;

		if (c == NULL) {
			payroll_fail(err, PAYROLL_E_INPUT, "timesheet", i, DATE_NONE,
			             "неизвестный код");
			return -1;
		}
		if (!payroll_in_month(w, t->date)) {
			payroll_fail(err, PAYROLL_E_INPUT, "timesheet", i, DATE_NONE,
			             "дата вне месяца");
			return -1;
		}
		if (t->hours < 0 || t->hours > SCHEDULE_MAX_DAY) {
			payroll_fail(err, PAYROLL_E_INPUT, "timesheet", i, DATE_NONE,
			             "часы: от 0 до 24");
			return -1;
		}
		k = t->date - w->first;
		if (!w->employed[k]) {
			char ds[DATE_BUFSZ];

			date_format_ru(t->date, ds);
			payroll_fail(err, PAYROLL_E_CLASH, "timesheet", i, t->date,
			             "%s вне периода работы сотрудника (приём и увольнение)", ds);
			return -1;
		}
		if (t->hours > 0 && w->planned[k] == NULL &&
		    (c->cls == T13_CLASS_WORK || c->cls == T13_CLASS_NIGHT ||
		     c->cls == T13_CLASS_OVERTIME || c->cls == T13_CLASS_HOLIDAY_WORK)) {
			payroll_fail(err, PAYROLL_E_NO_SCHEDULE, "timesheet", i, t->date,
			             "на эту дату не назначен график");
			return -1;
		}
		rows |= UINT32_C(1) << k;
		if (workday_find(&w->days[k], t->code) == NULL &&
		    w->days[k].nrows == WORKDAY_MAX_ROWS) {
			payroll_fail(err, PAYROLL_E_INPUT, "timesheet", i, t->date,
			             "больше %d %s на одну дату", WORKDAY_MAX_ROWS,
			             ru_plural(WORKDAY_MAX_ROWS, "кода", "кодов", "кодов"));
			return -1;
		}
		workday_add(&w->days[k], t->code, t->hours);
		w->source[k] = i;
		if (workday_whole_day_code(t->code))
			w->whole[k] = t->code;
	}
	for (i = 0; i < w->n; i++) {
		struct workday *day = &w->days[i];
		int codes[WORKDAY_MAX_ROWS], a, b;

		for (int r = 0; r < day->nrows; r++)
			codes[r] = day->rows[r].code;
		if (workday_clash(codes, day->nrows, &a, &b) != 0)
			return payroll_clash(err, "timesheet", w->source[i], day->date, a, b);
		for (int r = 0; r < day->nrows; r++)
			if (payroll_place(err, "timesheet", w->source[i], day, codes[r]) != 0)
				return -1;
		/* a paid non-working day nobody recorded anything on is worked as planned */
		if (!(rows & (UINT32_C(1) << i)) && (day->flags & WORKDAY_PAID_OFF) &&
		    w->employed[i])
			workday_plan(day);
	}
	return 0;
}

/* Plans the month and builds its days. */
static int payroll_prepare(struct payroll_work *w, const struct payroll_input *in,
                           struct payroll_error *err)
{
	int i;

	if (payroll_check_terms(in, err) != 0)
		return -1;
	w->in = in;
	w->first = date_month_first(in->year, in->month);
	w->n = date_days_in_month(in->year, in->month);
	if (in->individual != NULL && payroll_check_individual(in, w->n, err) != 0)
		return -1;
	if (payroll_plan_month(w, err) != 0)
		return -1;
	payroll_norms(w);
	for (i = 0; i < w->n; i++) {
		int d = w->first + i;

		w->employed[i] = (in->terms.hired == DATE_NONE || d >= in->terms.hired) &&
		                 (in->terms.dismissed == DATE_NONE || d <= in->terms.dismissed);
		w->holiday[i] = (unsigned char)payroll_is_holiday(in->calendar, d);
		w->whole[i] = 0;
		w->worked[i] = w->night[i] = w->overtime[i] = w->rv_plan[i] = w->rv_doc[i] = 0;
		w->source[i] = -1;
		payroll_day_init(w, i);
	}
	return in->has_timesheet ? payroll_days_from_timesheet(w, err)
	                         : payroll_days_from_deviations(w, err);
}

int payroll_days(const struct payroll_input *in, struct workday *days, struct payroll_error *err)
{
	struct payroll_work w;

	if (payroll_prepare(&w, in, err) != 0)
		return -1;
	memcpy(days, w.days, sizeof(w.days[0]) * (size_t)w.n);
	return 0;
}

/* The pay quantities of each day from its rows (one reading for both modes). */
static void payroll_quantities(struct payroll_work *w, struct payroll_summary *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < w->n; i++) {
		const struct workday *day = &w->days[i];
		int32_t work = 0, rv = 0, p, hp, mw;

		for (int r = 0; r < day->nrows; r++) {
			const struct t13_code *c = t13_get(day->rows[r].code);

			switch (c ? c->cls : T13_CLASS_ABSENCE) {
			case T13_CLASS_WORK:
				work += day->rows[r].hours;
				break;
			case T13_CLASS_HOLIDAY_WORK:
				rv += day->rows[r].hours;
				break;
			case T13_CLASS_OVERTIME:
				w->overtime[i] += day->rows[r].hours;
				break;
			case T13_CLASS_NIGHT:
				w->night[i] += day->rows[r].hours;
				break;
			default:
				break;
			}
		}
		/* planned holiday hours: work and РВ up to them are the plan's */
		p = w->holiday[i] && w->planned[i] != NULL && w->employed[i] ? w->planned[i]->hours
		                                                             : 0;
		hp = p < work + rv ? p : work + rv;
		mw = p < work ? p : work;
		w->worked[i] = work + (hp - mw);
		w->rv_plan[i] = hp;
		w->rv_doc[i] = rv - (hp - mw);
		if (w->worked[i] + w->rv_doc[i] + w->overtime[i] > 0)
			s->worked_days++;
		s->worked_hours += w->worked[i] + w->rv_doc[i] + w->overtime[i];
		if (w->whole[i] && w->whole[i] != T13_V)
			s->absent_days[w->whole[i]]++;
		if (!w->employed[i] || (w->whole[i] && t13_average_excluded(w->whole[i])))
			s->excluded_days++;
	}
}

static int payroll_check_days(const struct payroll_work *w, struct payroll_error *err)
{
	const char *field = w->in->has_timesheet ? "timesheet" : "deviations";
	int i;

	for (i = 0; i < w->n; i++) {
		int32_t total = w->worked[i] + w->overtime[i] + w->rv_doc[i];
		char d[DATE_BUFSZ];

		date_format_ru(w->first + i, d);
		if (total > SCHEDULE_MAX_DAY) {
			payroll_fail(err, PAYROLL_E_DAY_HOURS, field, w->source[i], w->first + i,
			             "%s: больше 24 часов работы за день", d);
			return -1;
		}
		if (w->night[i] > total) {
			payroll_fail(err, PAYROLL_E_DAY_HOURS, field, w->source[i], w->first + i,
			             "%s: ночных часов больше, чем отработано за день", d);
			return -1;
		}
	}
	return 0;
}

static int payroll_amount(int64_t rate, int64_t num, int64_t den, int64_t *out,
                          struct payroll_error *err, const char *field, int index)
{
	if (num == 0) {
		*out = 0;
		return 0;
	}
	if (den == 0) {
		payroll_fail(err, PAYROLL_E_ZERO_NORM, field, index, DATE_NONE,
		             "норма времени равна нулю, а оплатить нужно %lld", (long long)num);
		return -1;
	}
	if (money_muldiv(rate, num, den, out) != 0 || *out > MONEY_MAX || *out < -MONEY_MAX) {
		payroll_fail(err, PAYROLL_E_OVERFLOW, field, index, DATE_NONE,
		             "сумма не помещается в numeric(15,2)");
		return -1;
	}
	return 0;
}

static struct payroll_line *payroll_line_new(struct payroll_result *out,
                                             enum payroll_line_kind kind)
{
	struct payroll_line *l = &out->lines[out->nlines++];

	memset(l, 0, sizeof(*l));
	l->kind = kind;
	l->assignment = -1;
	l->source = -1;
	return l;
}

/* ---- cumulative rounding of salary lines (exact rationals) ---- */

typedef __int128 payroll_i128;

/* F = num / den >= 0, den > 0, kept reduced. */
struct payroll_frac {
	payroll_i128 num, den;
};

static payroll_i128 payroll_gcd(payroll_i128 a, payroll_i128 b)
{
	while (b != 0) {
		payroll_i128 t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* f += a / b; -1 when the denominator grows past 2^62 (more different norms
 * in one month than the exact arithmetic holds). */
static int payroll_frac_add(struct payroll_frac *f, int64_t a, int64_t b)
{
	payroll_i128 g = payroll_gcd(f->den, b), l = f->den / g * b, k;

	if (l > ((payroll_i128)1 << 62))
		return -1;
	f->num = f->num * (l / f->den) + (payroll_i128)a * (l / b);
	f->den = l;
	k = payroll_gcd(f->num, f->den);
	if (k > 1) {
		f->num /= k;
		f->den /= k;
	}
	return 0;
}

/* rate × F rounded half up; -1 when it does not fit in int64_t. */
static int payroll_frac_round(const struct payroll_frac *f, int64_t rate, int64_t *out)
{
	payroll_i128 den = f->den, whole = f->num / den, rest = f->num % den;
	payroll_i128 v =
	    (payroll_i128)rate * whole + (2 * (payroll_i128)rate * rest + den) / (2 * den);

	if (v > INT64_MAX)
		return -1;
	*out = (int64_t)v;
	return 0;
}

static int payroll_group_start(const struct payroll_input *in, int date)
{
	for (int i = 0; i < in->ngroup_starts; i++)
		if (in->group_starts[i] == date)
			return 1;
	return 0;
}

static int payroll_salary_lines(const struct payroll_work *w, struct payroll_result *out,
                                int32_t *worked_total, struct payroll_error *err)
{
	const struct payroll_input *in = w->in;
	struct payroll_frac f = {0, 1};
	int64_t rounded = 0; /* rate × F of the group so far, rounded */
	int i = 0;

	*worked_total = 0;
	while (i < w->n) {
		int key = w->assign[i] >= 0 ? w->assign[i] : w->first_assign;
		int j = i, a, b, k, nd;
		int32_t nh;
		int64_t num, den, now;
		struct payroll_line *l;

		if (in->individual == NULL && w->assign[i] < 0) {
			i++;
			continue;
		}
		while (j + 1 < w->n &&
		       (w->assign[j + 1] >= 0 ? w->assign[j + 1] : w->first_assign) == key)
			j++;
		a = i;
		b = j;
		i = j + 1;
		while (a <= b && !w->employed[a])
			a++;
		while (b >= a && !w->employed[b])
			b--;
		if (a > b)
			continue;
		l = payroll_line_new(out, PAYROLL_LINE_SALARY);
		l->from = w->first + a;
		l->to = w->first + b;
		l->assignment = key;
		l->schedule =
		    in->individual != NULL ? PAYROLL_INDIVIDUAL : in->assignments[key].schedule;
		for (k = a; k <= b; k++) {
			if (w->worked[k] > 0)
				l->worked_days++;
			l->worked_hours += w->worked[k];
		}
		payroll_norm_of_day(w, a, &nd, &nh);
		l->norm_days = nd;
		l->norm_hours = nh;
		*worked_total += l->worked_hours;
		num = in->terms.pay_by == PAYROLL_BY_DAYS ? l->worked_days : l->worked_hours;
		den = in->terms.pay_by == PAYROLL_BY_DAYS ? nd : nh;
		if (payroll_group_start(in, l->from)) {
			f = (struct payroll_frac){0, 1};
			rounded = 0;
		}
		if (num == 0)
			continue; /* adds nothing to the group */
		if (den == 0) {
			payroll_fail(err, PAYROLL_E_ZERO_NORM, "assignments", key, DATE_NONE,
			             "норма времени равна нулю, а оплатить нужно %lld",
			             (long long)num);
			return -1;
		}
		if (payroll_frac_add(&f, num, den) != 0 ||
		    payroll_frac_round(&f, in->terms.rate, &now) != 0 || now > MONEY_MAX) {
			payroll_fail(err, PAYROLL_E_OVERFLOW, "assignments", key, DATE_NONE,
			             "сумма не помещается в numeric(15,2)");
			return -1;
		}
		l->amount = now - rounded;
		rounded = now;
	}
	return 0;
}

static int payroll_premium_lines(const struct payroll_work *w, struct payroll_result *out,
                                 int32_t worked_total, struct payroll_error *err)
{
	const struct payroll_input *in = w->in;
	const char *field = in->has_timesheet ? "timesheet" : "deviations";
	int64_t rate = in->terms.rate;
	int pct = in->night_percent ? in->night_percent : PAYROLL_NIGHT_PERCENT;
	int64_t cum = worked_total;
	int i, nd;
	int32_t nh;

	for (i = 0; i < w->n; i++) {
		int32_t h = w->overtime[i];
		int64_t weight;
		struct payroll_line *l;

		if (h == 0)
			continue;
		payroll_norm_of_day(w, i, &nd, &nh);
		/* first 2 h at 1.5, the rest at 2: in halves of the hourly cost */
		weight = 3 * (int64_t)(h < 200 ? h : 200) + 4 * (int64_t)(h > 200 ? h - 200 : 0);
		l = payroll_line_new(out, PAYROLL_LINE_OVERTIME);
		l->from = l->to = w->first + i;
		l->hours = h;
		l->norm_hours = nh;
		l->source = w->source[i];
		if (payroll_amount(rate, weight, 2 * (int64_t)nh, &l->amount, err, field,
		                   w->source[i]))
			return -1;
	}
	for (i = 0; i < w->n; i++) {
		int32_t h = w->rv_doc[i], hp = w->rv_plan[i];
		int64_t within, room;
		struct payroll_line *l;

		if (h == 0 && hp == 0)
			continue;
		payroll_norm_of_day(w, i, &nd, &nh);
		/* planned holiday hours are inside the norm: 1x; the documents' hours
		 * use the rest of it at 1x, 2x beyond */
		room = nh - cum;
		within = room < 0 ? 0 : (room < h ? room : h);
		cum += h;
		l = payroll_line_new(out, PAYROLL_LINE_HOLIDAY_WORK);
		l->from = l->to = w->first + i;
		l->hours = h + hp;
		l->planned_hours = hp;
		l->norm_hours = nh;
		l->source = w->source[i];
		if (payroll_amount(rate, hp + within + 2 * (h - within), nh, &l->amount, err, field,
		                   w->source[i]))
			return -1;
	}
	for (i = 0; i < w->n; i++) {
		int32_t h = w->night[i];
		struct payroll_line *l;

		if (h == 0)
			continue;
		payroll_norm_of_day(w, i, &nd, &nh);
		l = payroll_line_new(out, PAYROLL_LINE_NIGHT);
		l->from = l->to = w->first + i;
		l->hours = h;
		l->norm_hours = nh;
		l->source = w->source[i];
		if (payroll_amount(rate, (int64_t)h * pct, 100 * (int64_t)nh, &l->amount, err,
		                   field, w->source[i]))
			return -1;
	}
	return 0;
}

static int payroll_total(struct payroll_result *out, struct payroll_error *err)
{
	out->total = 0;
	for (int i = 0; i < out->nlines; i++) {
		out->total += out->lines[i].amount;
		if (out->total > MONEY_MAX) {
			payroll_fail(err, PAYROLL_E_OVERFLOW, "rate", -1, DATE_NONE,
			             "итог не помещается в numeric(15,2)");
			return -1;
		}
	}
	return 0;
}

/* Salary and premium lines only (the monthly payroll runs this once per pay
 * terms in force and merges the lines, then adds payroll_extras()). */
int payroll_time(const struct payroll_input *in, struct payroll_result *out,
                 struct payroll_error *err)
{
	struct payroll_work w;
	int32_t worked_total;

	out->nlines = 0;
	out->total = 0;
	if (payroll_prepare(&w, in, err) != 0)
		return -1;
	payroll_quantities(&w, &out->summary);
	if (payroll_check_days(&w, err) != 0)
		return -1;
	if (payroll_salary_lines(&w, out, &worked_total, err) != 0)
		return -1;
	if (payroll_premium_lines(&w, out, worked_total, err) != 0)
		return -1;
	return payroll_total(out, err);
}

/* ---- accruals, regional pay, vacation pay, sick pay, compensation ---- */

static int payroll_accrual_lines(const struct payroll_input *in, struct payroll_result *out,
                                 struct payroll_error *err)
{
	int first = date_month_first(in->year, in->month),
	    last = date_month_last(in->year, in->month);

	if (in->naccruals < 0 || in->naccruals > PAYROLL_MAX_ACCRUALS) {
		payroll_fail(err, PAYROLL_E_INPUT, "accruals", -1, DATE_NONE,
		             "не больше %d %s в месяц", PAYROLL_MAX_ACCRUALS,
		             ru_plural(PAYROLL_MAX_ACCRUALS, "разового начисления",
		                       "разовых начислений", "разовых начислений"));
		return -1;
	}
	for (int i = 0; i < in->naccruals; i++) {
		const struct payroll_accrual *a = &in->accruals[i];
		struct payroll_line *l;

		if ((a->kind != PAYROLL_LINE_BONUS && a->kind != PAYROLL_LINE_MATERIAL_AID) ||
		    a->amount < 0 || a->amount > MONEY_MAX || a->date < first || a->date > last) {
			payroll_fail(
			    err, PAYROLL_E_INPUT, "accruals", i, DATE_NONE,
			    "разовое начисление: премия или материальная помощь, сумма от 0, "
			    "дата в расчётном месяце");
			return -1;
		}
		l = payroll_line_new(out, a->kind);
		l->from = l->to = a->date;
		l->amount = a->amount;
		l->title = a->title;
		l->source = i;
	}
	return 0;
}

/* Earned pay of the month for regional pay and decree 922. */
static int64_t payroll_earned(const struct payroll_result *out, int with_regional)
{
	int64_t s = 0;

	for (int i = 0; i < out->nlines; i++) {
		switch (out->lines[i].kind) {
		case PAYROLL_LINE_SALARY:
		case PAYROLL_LINE_OVERTIME:
		case PAYROLL_LINE_HOLIDAY_WORK:
		case PAYROLL_LINE_NIGHT:
		case PAYROLL_LINE_BONUS:
			s += out->lines[i].amount;
			break;
		case PAYROLL_LINE_DISTRICT:
		case PAYROLL_LINE_NORTHERN:
			if (with_regional)
				s += out->lines[i].amount;
			break;
		default:
			break;
		}
	}
	return s;
}

static int payroll_regional_lines(const struct payroll_input *in, struct payroll_result *out,
                                  struct payroll_error *err)
{
	int64_t earned = payroll_earned(out, 0);
	int last = date_month_last(in->year, in->month);
	struct payroll_line *l;

	if (in->district_x100 > 100) {
		l = payroll_line_new(out, PAYROLL_LINE_DISTRICT);
		l->from = date_month_first(in->year, in->month);
		l->to = last;
		l->percent = in->district_x100 - 100;
		if (payroll_amount(earned, in->district_x100 - 100, 100, &l->amount, err,
		                   "regional", -1))
			return -1;
	}
	if (in->northern_percent > 0) {
		l = payroll_line_new(out, PAYROLL_LINE_NORTHERN);
		l->from = date_month_first(in->year, in->month);
		l->to = last;
		l->percent = in->northern_percent;
		if (payroll_amount(earned, in->northern_percent, 100, &l->amount, err, "regional",
		                   -1))
			return -1;
	}
	return 0;
}

/* The 12 months before (year, month) from the history (and this month's own
 * result where allowed). -1 with the field error naming the first missing. */
static int payroll_period(const struct payroll_input *in, int year, int month,
                          const struct payroll_result *self, struct average_month *out,
                          struct payroll_error *err, int index)
{
	int y = year, m = month;

	for (int k = 11; k >= 0; k--) {
		int found = 0;

		if (--m == 0) {
			m = 12;
			y--;
		}
		for (int i = 0; i < in->nhistory && !found; i++)
			if (in->history[i].year == y && in->history[i].month == m) {
				out[k] = in->history[i];
				found = 1;
			}
		if (!found && self != NULL && y == in->year && m == in->month) {
			out[k] = (struct average_month){y, m, payroll_earned(self, 1),
			                                self->summary.excluded_days};
			found = 1;
		}
		if (!found) {
			char want[DATE_MONTH_BUFSZ], a[DATE_MONTH_BUFSZ], b[DATE_MONTH_BUFSZ];
			int fy = year, fm = month - 12, ly = year, lm = month - 1;

			if (fm <= 0) {
				fm += 12;
				fy--;
			}
			if (lm == 0) {
				lm = 12;
				ly--;
			}
			date_format_month(y, m, want);
			date_format_month(fy, fm, a);
			date_format_month(ly, lm, b);
			payroll_fail(err, PAYROLL_E_AVERAGE, "history", index, DATE_NONE,
			             "нет заработка за %s: для среднего заработка нужны 12 месяцев "
			             "перед месяцем начала, %s…%s",
			             want, a, b);
			return -1;
		}
	}
	return 0;
}

static int payroll_vacation_lines(const struct payroll_input *in, struct payroll_result *out,
                                  struct payroll_error *err)
{
	int first = date_month_first(in->year, in->month),
	    last = date_month_last(in->year, in->month);
	int n = 0;

	for (int i = 0; i < in->ndeviations; i++) {
		const struct payroll_deviation *dv = &in->deviations[i];
		int paid = dv->paid == 0 || dv->paid == DATE_NONE ? dv->from - 3 : dv->paid;
		int y, m, dd, days = 0;
		struct average_month period[12];
		struct payroll_line *l;
		int64_t avg;
		int fallback;

		if ((dv->code != T13_OT && dv->code != T13_OD) || paid < first || paid > last)
			continue;
		if (++n > PAYROLL_MAX_VACATIONS) {
			payroll_fail(
			    err, PAYROLL_E_INPUT, "deviations", i, DATE_NONE,
			    "не больше %d %s с выплатой в одном месяце", PAYROLL_MAX_VACATIONS,
			    ru_plural(PAYROLL_MAX_VACATIONS, "отпуска", "отпусков", "отпусков"));
			return -1;
		}
		date_to_ymd(dv->from, &y, &m, &dd);
		if (payroll_period(in, y, m, in->history_self ? out : NULL, period, err, i) != 0)
			return -1;
		if (average_daily_922(period, 12, in->terms.rate, &avg, &fallback) != 0) {
			payroll_fail(err, PAYROLL_E_AVERAGE, "history", i, DATE_NONE,
			             "заработок или исключённые дни вне допустимого");
			return -1;
		}
		for (int d = dv->from; d <= dv->to; d++) {
			unsigned bits = in->calendar ? calendar_day(in->calendar, d) : 0;
			int sick = 0;

			if (!(bits & CALENDAR_COVERED)) {
				char msg[CALENDAR_NOTE_BUFSZ];

				payroll_fail(err, PAYROLL_E_CALENDAR, "calendar", -1, d, "%s",
				             payroll_year_missing(date_year(d), msg, sizeof(msg)));
				return -1;
			}
			if (CALENDAR_KIND(bits) == CALENDAR_HOLIDAY)
				continue; /* art. 120 */
			for (int k = 0; k < in->ndeviations && !sick; k++)
				sick = in->deviations[k].code == T13_B &&
				       in->deviations[k].from <= d && in->deviations[k].to >= d;
			if (!sick) /* art. 124: the sickness's days are not vacation */
				days++;
		}
		l = payroll_line_new(out, PAYROLL_LINE_VACATION_PAY);
		l->from = dv->from;
		l->to = dv->to;
		l->days = days;
		l->average = avg;
		l->fallback = fallback;
		l->source = i;
		if (payroll_amount(avg, days, 1, &l->amount, err, "deviations", i))
			return -1;
	}
	return 0;
}

static int payroll_sick_lines(const struct payroll_input *in, struct payroll_result *out,
                              struct payroll_error *err)
{
	int first = date_month_first(in->year, in->month),
	    last = date_month_last(in->year, in->month);
	int n = 0;

	for (int i = 0; i < in->ndeviations; i++) {
		const struct payroll_deviation *dv = &in->deviations[i];
		struct average_sick_input si;
		struct average_sick_result sr;
		char why[256];

		if (dv->code != T13_B || dv->from < first || dv->from > last)
			continue;
		if (++n > PAYROLL_MAX_SICK) {
			payroll_fail(
			    err, PAYROLL_E_INPUT, "deviations", i, DATE_NONE,
			    "не больше %d %s, начатых в одном месяце", PAYROLL_MAX_SICK,
			    ru_plural(PAYROLL_MAX_SICK, "больничного", "больничных", "больничных"));
			return -1;
		}
		si = (struct average_sick_input){
		    dv->from,           dv->to,
		    dv->cause,          {in->sick_earnings[0], in->sick_earnings[1]},
		    in->insurance_m100, in->district_x100};
		if (average_sick(&si, &sr, why, sizeof(why)) != 0) {
			payroll_fail(err, PAYROLL_E_AVERAGE, "sick", i, dv->from, "%s", why);
			return -1;
		}
		for (int k = 0; k < sr.npieces; k++) {
			struct payroll_line *l = payroll_line_new(out, PAYROLL_LINE_SICK_PAY);

			l->from = sr.pieces[k].from;
			l->to = sr.pieces[k].to;
			l->days = sr.pieces[k].days;
			l->average = sr.average;
			l->percent = sr.percent;
			l->daily = sr.pieces[k].daily;
			l->amount = sr.pieces[k].amount;
			l->fund_days = k == 0 ? sr.fund_days : 0;
			l->source = i;
		}
	}
	return 0;
}

static int payroll_compensation_line(const struct payroll_input *in, struct payroll_result *out,
                                     struct payroll_error *err)
{
	struct average_month period[12];
	struct payroll_line *l;
	int64_t avg;
	int fallback;

	if (in->compensation_twelfths <= 0)
		return 0;
	if (payroll_period(in, in->year, in->month, NULL, period, err, -1) != 0 ||
	    average_daily_922(period, 12, in->terms.rate, &avg, &fallback) != 0) {
		if (err && err->code != PAYROLL_E_AVERAGE)
			payroll_fail(err, PAYROLL_E_AVERAGE, "history", -1, DATE_NONE,
			             "заработок или исключённые дни вне допустимого");
		return -1;
	}
	l = payroll_line_new(out, PAYROLL_LINE_COMPENSATION);
	l->from = l->to = in->terms.dismissed != DATE_NONE ? in->terms.dismissed
	                                                   : date_month_last(in->year, in->month);
	l->average = avg;
	l->fallback = fallback;
	l->twelfths = in->compensation_twelfths;
	return payroll_amount(avg, in->compensation_twelfths, 12, &l->amount, err, "compensation",
	                      -1);
}

int payroll_extras(const struct payroll_input *in, struct payroll_result *out,
                   struct payroll_error *err)
{
	if (payroll_accrual_lines(in, out, err) != 0 || payroll_regional_lines(in, out, err) != 0)
		return -1;
	out->summary.earnings = payroll_earned(out, 1);
	if ((in->vacation_pay && payroll_vacation_lines(in, out, err) != 0) ||
	    (in->sick_pay && payroll_sick_lines(in, out, err) != 0) ||
	    payroll_compensation_line(in, out, err) != 0)
		return -1;
	return payroll_total(out, err);
}

int payroll_run(const struct payroll_input *in, struct payroll_result *out,
                struct payroll_error *err)
{
	if (payroll_time(in, out, err) != 0)
		return -1;
	return payroll_extras(in, out, err);
}
