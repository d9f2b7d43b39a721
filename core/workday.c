/*
 * workday.c - T-13 rows of a day from the plan and deviations, and the
 * form's totals (workday.h).
 */
#include "workday.h"

#include "date.h"
#include "hours.h"

#include <stdio.h>
#include <string.h>

struct workday_row *workday_find(struct workday *d, int code)
{
	for (int i = 0; i < d->nrows; i++)
		if (d->rows[i].code == code)
			return &d->rows[i];
	return NULL;
}

void workday_add(struct workday *d, int code, int32_t hours)
{
	struct workday_row *r = workday_find(d, code);

	if (r) {
		r->hours += hours;
		return;
	}
	if (d->nrows < WORKDAY_MAX_ROWS)
		d->rows[d->nrows++] = (struct workday_row){code, hours};
}

void workday_remove(struct workday *d, int code)
{
	for (int i = 0; i < d->nrows; i++)
		if (d->rows[i].code == code) {
			memmove(&d->rows[i], &d->rows[i + 1],
			        (size_t)(d->nrows - i - 1) * sizeof(d->rows[0]));
			d->nrows--;
			return;
		}
}

void workday_plan(struct workday *d)
{
	if (d->plan_hours > 0) {
		workday_add(d, (d->flags & WORKDAY_HOLIDAY) ? T13_RV : T13_YA, d->plan_hours);
		if (d->plan_night > 0)
			workday_add(d, T13_N, d->plan_night);
	} else {
		workday_add(d, T13_V, 0);
	}
}

void workday_deviation(struct workday *d, int code, int whole, int32_t hours, int64_t id)
{
	if (whole) {
		d->nrows = 0;
		d->deviation_id = id;
		workday_add(d, code, 0);
		return;
	}
	if (code == T13_RV) {
		/* planned holiday hours (payroll.md): the documents add only what
		 * goes beyond them */
		int32_t planned =
		    (d->flags & WORKDAY_HOLIDAY) && d->deviation_id == 0 ? d->plan_hours : 0;
		int32_t before = d->rv_docs > planned ? d->rv_docs - planned : 0;
		int32_t after;

		d->rv_docs += hours;
		after = d->rv_docs > planned ? d->rv_docs - planned : 0;
		workday_remove(d, T13_V);
		if (after > before)
			workday_add(d, T13_RV, after - before);
		return;
	}
	workday_add(d, code, hours);
}

int workday_whole_day_code(int code)
{
	const struct t13_code *c = t13_get(code);

	return c != NULL && c->cls == T13_CLASS_ABSENCE;
}

int workday_may_overlay(int code, int under)
{
	return code == T13_B && (under == T13_OT || under == T13_OD);
}

int workday_may_share(int a, int b)
{
	return workday_may_overlay(a, b) || workday_may_overlay(b, a);
}

int workday_clash(const int *codes, int n, int *a, int *b)
{
	for (int i = 0; i < n; i++) {
		if (!workday_whole_day_code(codes[i]))
			continue;
		for (int j = 0; j < n; j++) {
			if (j == i)
				continue;
			*a = codes[i];
			*b = codes[j];
			return -1;
		}
	}
	return 0;
}

int32_t workday_rows_hours(const struct workday_row *rows, int n)
{
	int32_t sum = 0;

	for (int i = 0; i < n; i++)
		if (rows[i].code != T13_N)
			sum += rows[i].hours;
	return sum;
}

int workday_place(const struct workday *d, int code, char *msg, size_t n)
{
	char ds[DATE_BUFSZ];
	int off;

	if ((code != T13_S && code != T13_RV) || !(d->flags & WORKDAY_PLANNED))
		return 0;
	off = d->plan_hours <= 0 || (d->flags & WORKDAY_HOLIDAY);
	if (code == T13_S ? !off : off)
		return 0;
	date_format_ru(d->date, ds);
	if (code == T13_RV)
		snprintf(msg, n,
		         "%s — рабочий день по графику сотрудника: работа в выходной или "
		         "праздник (РВ) бывает только в его выходной или нерабочий праздничный "
		         "день; сверхурочная работа в рабочий день — код С",
		         ds);
	else
		snprintf(msg, n,
		         "%s — %s: сверхурочная работа (С) бывает только в рабочий день по "
		         "графику сотрудника; работа в выходной или праздник — код РВ",
		         ds,
		         (d->flags & WORKDAY_HOLIDAY) ? "нерабочий праздничный день"
		                                      : "выходной день по графику сотрудника");
	return -1;
}

int workday_worked_code(int code)
{
	return code == T13_YA || code == T13_VM || code == T13_RV || code == T13_S;
}

void workday_totals(const struct workday *days, int n, struct workday_totals *t)
{
	memset(t, 0, sizeof(*t));
	for (int d = 0; d < n; d++) {
		const struct workday *day = &days[d];
		int half = d < 15 ? 0 : 1, worked = 0;

		for (int i = 0; i < day->nrows; i++) {
			const struct workday_row *r = &day->rows[i];
			const struct t13_code *c = t13_get(r->code);

			if (workday_worked_code(r->code)) {
				t->hours[half] += r->hours;
				worked |= r->hours > 0;
			} else if (r->code == T13_V) {
				t->days_off++;
			} else if (c &&
			           (c->cls == T13_CLASS_ABSENCE || c->cls == T13_CLASS_PARTIAL)) {
				t->absence_days[r->code]++;
				t->absence_hours[r->code] += r->hours;
			}
		}
		t->days[half] += worked;
	}
	t->days[2] = t->days[0] + t->days[1];
	t->hours[2] = t->hours[0] + t->hours[1];
}

void workday_cell(const struct workday *d, char *codes, size_t ncodes, char *hours, size_t nhours)
{
	size_t c = 0, h = 0;
	int any_hours = 0;

	codes[0] = hours[0] = '\0';
	for (int i = 0; i < d->nrows; i++) {
		const struct t13_code *code = t13_get(d->rows[i].code);
		int n = snprintf(codes + c, ncodes - c, "%s%s", i ? "/" : "",
		                 code ? code->letter : "?");
		if (n < 0 || (size_t)n >= ncodes - c)
			break;
		c += (size_t)n;
		any_hours |= d->rows[i].hours > 0;
	}
	for (int i = 0; any_hours && i < d->nrows; i++) {
		char text[HOURS_BUFSZ] = "", *dot;

		if (d->rows[i].hours) {
			hours_format(d->rows[i].hours, text);
			if ((dot = strchr(text, '.')) != NULL)
				*dot = ',';
		}
		int n = snprintf(hours + h, nhours - h, "%s%s", i ? "/" : "", text);
		if (n < 0 || (size_t)n >= nhours - h)
			break;
		h += (size_t)n;
	}
}
