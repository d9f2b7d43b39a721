#include "payroll.h"

#include "date.h"
#include "money.h"
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
	int32_t worked[PAYROLL_DAYS];
	int32_t night[PAYROLL_DAYS];
	int32_t overtime[PAYROLL_DAYS];
	int32_t holiday[PAYROLL_DAYS];
	int source[PAYROLL_DAYS]; /* last deviation/timesheet index touching the day */
	int month_norm_days;      /* summed or individual norm */
	int32_t month_norm_hours;
	int nplans;
	struct payroll_plan plans[PAYROLL_DAYS];
};

static void payroll_fail(struct payroll_error *err, enum payroll_errcode code, const char *field,
                         int index, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void payroll_fail(struct payroll_error *err, enum payroll_errcode code, const char *field,
                         int index, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->code = code;
	err->field = field;
	err->index = index;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

const char *payroll_line_kind_name(enum payroll_line_kind kind)
{
	switch (kind) {
	case PAYROLL_LINE_SALARY:
		return "salary";
	case PAYROLL_LINE_OVERTIME:
		return "overtime";
	case PAYROLL_LINE_HOLIDAY_WORK:
		return "holiday_work";
	case PAYROLL_LINE_NIGHT:
		return "night";
	}
	return "?";
}

static int payroll_check_terms(const struct payroll_input *in, struct payroll_error *err)
{
	const struct payroll_terms *t = &in->terms;

	if (in->month < 1 || in->month > 12 || !date_valid(in->year, in->month, 1)) {
		payroll_fail(err, PAYROLL_E_INPUT, "month", -1, "месяц вне 1900-01..2199-12");
		return -1;
	}
	if (t->rate < 0 || t->rate > MONEY_MAX) {
		payroll_fail(err, PAYROLL_E_INPUT, "rate", -1,
		             "оклад: от 0 до 9999999999999.99 рублей");
		return -1;
	}
	if (t->pay_by != PAYROLL_BY_DAYS && t->pay_by != PAYROLL_BY_HOURS) {
		payroll_fail(err, PAYROLL_E_INPUT, "pay_by", -1, "оплата по дням или по часам");
		return -1;
	}
	if (t->hired != DATE_NONE && t->dismissed != DATE_NONE && t->hired > t->dismissed) {
		payroll_fail(err, PAYROLL_E_INPUT, "dismissed", -1,
		             "дата увольнения раньше даты приёма");
		return -1;
	}
	if (in->norm != PAYROLL_NORM_PER_PERIOD && in->norm != PAYROLL_NORM_SUMMED) {
		payroll_fail(err, PAYROLL_E_INPUT, "norm", -1, "норма: per_period или summed");
		return -1;
	}
	if (in->night_percent != 0 && (in->night_percent < PAYROLL_NIGHT_PERCENT ||
	                               in->night_percent > PAYROLL_NIGHT_PERCENT_MAX)) {
		payroll_fail(err, PAYROLL_E_INPUT, "night_percent", -1,
		             "доплата за ночные часы: от %d до %d процентов", PAYROLL_NIGHT_PERCENT,
		             PAYROLL_NIGHT_PERCENT_MAX);
		return -1;
	}
	return 0;
}

/* Which assignment applies on each day; the plans of the schedules used. */
static int payroll_plan_month(struct payroll_work *w, struct payroll_error *err)
{
	const struct payroll_input *in = w->in;
	int i, k = -1, next = 0;

	for (i = 0; i < in->nassignments; i++) {
		const struct payroll_assignment *a = &in->assignments[i];

		if (a->schedule < 0 || a->schedule >= in->nschedules) {
			payroll_fail(err, PAYROLL_E_INPUT, "assignments", i, "нет такого графика");
			return -1;
		}
		if (a->from == DATE_NONE || (i > 0 && a->from <= in->assignments[i - 1].from)) {
			payroll_fail(err, PAYROLL_E_INPUT, "assignments", i,
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
		payroll_fail(err, PAYROLL_E_NO_SCHEDULE, "assignments", -1,
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

			sc = &in->schedules[s];
			why = schedule_check(sc);
			if (why != NULL) {
				payroll_fail(err, PAYROLL_E_INPUT, "schedules", s, "%s", why);
				return -1;
			}
			if (schedule_fill(sc, in->calendar, w->first, w->first + w->n - 1,
			                  pl->days) != 0) {
				payroll_fail(err, PAYROLL_E_CALENDAR, "calendar", -1,
				             "производственный календарь на %d год не загружен",
				             in->year);
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
			payroll_fail(err, PAYROLL_E_INPUT, "individual", i,
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

static int payroll_add_hours(struct payroll_work *w, enum t13_class cls, int i, int32_t hours,
                             int source)
{
	switch (cls) {
	case T13_CLASS_WORK:
		w->worked[i] += hours;
		break;
	case T13_CLASS_NIGHT:
		w->night[i] += hours;
		break;
	case T13_CLASS_OVERTIME:
		w->overtime[i] += hours;
		break;
	case T13_CLASS_HOLIDAY_WORK:
		w->holiday[i] += hours;
		break;
	default:
		return 0;
	}
	w->source[i] = source;
	return 1;
}

static int payroll_from_deviations(struct payroll_work *w, struct payroll_error *err)
{
	const struct payroll_input *in = w->in;
	uint32_t absent = 0;
	int i;

	for (i = 0; i < in->ndeviations; i++) {
		const struct payroll_deviation *dv = &in->deviations[i];
		const struct t13_code *c = t13_get(dv->code);
		int d;

		if (c == NULL) {
			payroll_fail(err, PAYROLL_E_INPUT, "deviations", i, "неизвестный код");
			return -1;
		}
		if (dv->from == DATE_NONE || dv->to == DATE_NONE || dv->from > dv->to) {
			payroll_fail(err, PAYROLL_E_INPUT, "deviations", i,
			             "период отклонения: начало не позже конца");
			return -1;
		}
		if (c->cls == T13_CLASS_ABSENCE) {
			int a = dv->from < w->first ? w->first : dv->from;
			int b = dv->to > w->first + w->n - 1 ? w->first + w->n - 1 : dv->to;

			for (d = a; d <= b; d++)
				absent |= UINT32_C(1) << (d - w->first);
			continue;
		}
		if (c->cls == T13_CLASS_WORK || c->cls == T13_CLASS_PARTIAL) {
			payroll_fail(err, PAYROLL_E_INPUT, "deviations", i,
			             "код %s бывает только в табеле", c->letter);
			return -1;
		}
		if (dv->from != dv->to || !payroll_in_month(w, dv->from)) {
			payroll_fail(err, PAYROLL_E_INPUT, "deviations", i,
			             "часы по коду %s указываются на одну дату месяца", c->letter);
			return -1;
		}
		if (dv->hours <= 0 || dv->hours > SCHEDULE_MAX_DAY) {
			payroll_fail(err, PAYROLL_E_INPUT, "deviations", i,
			             "часы: больше 0 и не больше 24");
			return -1;
		}
		if (!w->employed[dv->from - w->first]) {
			payroll_fail(err, PAYROLL_E_INPUT, "deviations", i,
			             "дата вне периода работы сотрудника");
			return -1;
		}
		payroll_add_hours(w, c->cls, dv->from - w->first, dv->hours, i);
	}
	for (i = 0; i < w->n; i++) {
		const struct schedule_day *p = w->planned[i];

		if (p == NULL || !w->employed[i] || (absent & (UINT32_C(1) << i)))
			continue;
		w->worked[i] += p->hours;
		w->night[i] += p->night;
	}
	return 0;
}

static int payroll_from_timesheet(struct payroll_work *w, struct payroll_error *err)
{
	const struct payroll_input *in = w->in;
	uint32_t rows = 0;
	int i;

	for (i = 0; i < in->ntimesheet; i++) {
		const struct payroll_time *t = &in->timesheet[i];
		const struct t13_code *c = t13_get(t->code);
		int k;

		if (c == NULL) {
			payroll_fail(err, PAYROLL_E_INPUT, "timesheet", i, "неизвестный код");
			return -1;
		}
		if (!payroll_in_month(w, t->date)) {
			payroll_fail(err, PAYROLL_E_INPUT, "timesheet", i, "дата вне месяца");
			return -1;
		}
		if (t->hours < 0 || t->hours > SCHEDULE_MAX_DAY) {
			payroll_fail(err, PAYROLL_E_INPUT, "timesheet", i, "часы: от 0 до 24");
			return -1;
		}
		k = t->date - w->first;
		rows |= UINT32_C(1) << k;
		if (t->hours == 0 || c->cls == T13_CLASS_ABSENCE || c->cls == T13_CLASS_PARTIAL)
			continue;
		if (!w->employed[k]) {
			payroll_fail(err, PAYROLL_E_INPUT, "timesheet", i,
			             "дата вне периода работы сотрудника");
			return -1;
		}
		if (w->planned[k] == NULL) {
			payroll_fail(err, PAYROLL_E_NO_SCHEDULE, "timesheet", i,
			             "на эту дату не назначен график");
			return -1;
		}
		payroll_add_hours(w, c->cls, k, t->hours, i);
	}
	/* A paid non-working day nobody recorded anything on is paid as planned. */
	for (i = 0; i < w->n; i++) {
		const struct schedule_day *p = w->planned[i];

		if (p == NULL || in->individual != NULL || !(p->flags & SCHEDULE_PAID_OFF) ||
		    !w->employed[i] || (rows & (UINT32_C(1) << i)))
			continue;
		w->worked[i] += p->hours;
		w->night[i] += p->night;
	}
	return 0;
}

static int payroll_check_days(const struct payroll_work *w, struct payroll_error *err)
{
	const char *field = w->in->has_timesheet ? "timesheet" : "deviations";
	int i;

	for (i = 0; i < w->n; i++) {
		int32_t total = w->worked[i] + w->overtime[i] + w->holiday[i];
		char d[DATE_BUFSZ];

		date_format(w->first + i, d);
		if (total > SCHEDULE_MAX_DAY) {
			payroll_fail(err, PAYROLL_E_DAY_HOURS, field, w->source[i],
			             "%s: больше 24 часов работы за день", d);
			return -1;
		}
		if (w->night[i] > total) {
			payroll_fail(err, PAYROLL_E_DAY_HOURS, field, w->source[i],
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
		payroll_fail(err, PAYROLL_E_ZERO_NORM, field, index,
		             "норма времени равна нулю, а оплатить нужно %lld", (long long)num);
		return -1;
	}
	if (money_muldiv(rate, num, den, out) != 0 || *out > MONEY_MAX || *out < -MONEY_MAX) {
		payroll_fail(err, PAYROLL_E_OVERFLOW, field, index,
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
	return l;
}

static int payroll_salary_lines(const struct payroll_work *w, struct payroll_result *out,
                                int32_t *worked_total, struct payroll_error *err)
{
	const struct payroll_input *in = w->in;
	int i = 0;

	*worked_total = 0;
	while (i < w->n) {
		int key = w->assign[i] >= 0 ? w->assign[i] : w->first_assign;
		int j = i, a, b, k, nd;
		int32_t nh;
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
		if (in->terms.pay_by == PAYROLL_BY_DAYS) {
			if (payroll_amount(in->terms.rate, l->worked_days, nd, &l->amount, err,
			                   "assignments", key))
				return -1;
		} else {
			if (payroll_amount(in->terms.rate, l->worked_hours, nh, &l->amount, err,
			                   "assignments", key))
				return -1;
		}
		*worked_total += l->worked_hours;
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
		if (payroll_amount(rate, weight, 2 * (int64_t)nh, &l->amount, err, field,
		                   w->source[i]))
			return -1;
	}
	for (i = 0; i < w->n; i++) {
		int32_t h = w->holiday[i];
		int64_t within, room;
		struct payroll_line *l;

		if (h == 0)
			continue;
		payroll_norm_of_day(w, i, &nd, &nh);
		room = nh - cum;
		within = room < 0 ? 0 : (room < h ? room : h);
		cum += h;
		l = payroll_line_new(out, PAYROLL_LINE_HOLIDAY_WORK);
		l->from = l->to = w->first + i;
		l->hours = h;
		l->norm_hours = nh;
		if (payroll_amount(rate, within + 2 * (h - within), nh, &l->amount, err, field,
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
		if (payroll_amount(rate, (int64_t)h * pct, 100 * (int64_t)nh, &l->amount, err,
		                   field, w->source[i]))
			return -1;
	}
	return 0;
}

int payroll_run(const struct payroll_input *in, struct payroll_result *out,
                struct payroll_error *err)
{
	struct payroll_work w;
	int32_t worked_total;
	int i;

	out->nlines = 0;
	out->total = 0;
	if (payroll_check_terms(in, err) != 0)
		return -1;
	w.in = in;
	w.first = date_month_first(in->year, in->month);
	w.n = date_days_in_month(in->year, in->month);
	if (in->individual != NULL && payroll_check_individual(in, w.n, err) != 0)
		return -1;
	if (payroll_plan_month(&w, err) != 0)
		return -1;
	payroll_norms(&w);
	for (i = 0; i < w.n; i++) {
		int d = w.first + i;

		w.employed[i] = (in->terms.hired == DATE_NONE || d >= in->terms.hired) &&
		                (in->terms.dismissed == DATE_NONE || d <= in->terms.dismissed);
		w.worked[i] = w.night[i] = w.overtime[i] = w.holiday[i] = 0;
		w.source[i] = -1;
	}
	if (in->has_timesheet ? payroll_from_timesheet(&w, err) : payroll_from_deviations(&w, err))
		return -1;
	if (payroll_check_days(&w, err) != 0)
		return -1;
	if (payroll_salary_lines(&w, out, &worked_total, err) != 0)
		return -1;
	if (payroll_premium_lines(&w, out, worked_total, err) != 0)
		return -1;
	for (i = 0; i < out->nlines; i++)
		out->total += out->lines[i].amount;
	if (out->total > MONEY_MAX) {
		payroll_fail(err, PAYROLL_E_OVERFLOW, "rate", -1,
		             "итог не помещается в numeric(15,2)");
		return -1;
	}
	return 0;
}
