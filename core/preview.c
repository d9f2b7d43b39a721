#include "preview.h"

#include "date.h"
#include "average.h"
#include "hours.h"
#include "money.h"
#include "ndfl.h"
#include "payroll.h"
#include "ru.h"
#include "schedule.h"
#include "t13.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREVIEW_MAX_SCHEDULES   64
#define PREVIEW_MAX_ASSIGNMENTS 64
#define PREVIEW_MAX_ROWS        1000
#define PREVIEW_MAX_CHILDREN    20
#define PREVIEW_MAX_NAME        64

struct preview_ctx {
	struct preview_error *err;
	int year, month, first, last;
	const struct calendar *cal;
	struct calendar *own_cal;
	int nschedules;
	struct schedule schedules[PREVIEW_MAX_SCHEDULES];
	struct schedule_day *patterns[PREVIEW_MAX_SCHEDULES];
	struct payroll_input in;
	struct payroll_assignment assignments[PREVIEW_MAX_ASSIGNMENTS];
	int assign_src[PREVIEW_MAX_ASSIGNMENTS]; /* scenario index of each sorted one */
	struct payroll_deviation *deviations;
	struct payroll_time *timesheet;
	int has_ndfl;
	struct ndfl_input ndfl;
	struct ndfl_child children[PREVIEW_MAX_CHILDREN];
	int custom_cal;     /* the scenario's own calendar object */
	int provisional[8]; /* years of the Labor Code's provisional calendar used */
	int nprovisional;
	struct average_month history[12];
	struct payroll_accrual accruals[PAYROLL_MAX_ACCRUALS];
};

static int preview_fail(struct preview_ctx *c, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int preview_fail(struct preview_ctx *c, const char *field, const char *fmt, ...)
{
	va_list ap;

	snprintf(c->err->field, sizeof(c->err->field), "%s", field);
	va_start(ap, fmt);
	vsnprintf(c->err->message, sizeof(c->err->message), fmt, ap);
	va_end(ap);
	return -1;
}

static int preview_is_string(json_object *v)
{
	return v != NULL && json_object_is_type(v, json_type_string);
}

/*
 * A JSON number (json-c's int or decimal node). Its text, as written in the
 * scenario, is what hours_parse() reads: no binary fractions on the way.
 */
static int preview_is_number(json_object *v)
{
	enum json_type t = v ? json_object_get_type(v) : json_type_null;

	return t != json_type_null && t != json_type_boolean && t != json_type_object &&
	       t != json_type_array && t != json_type_string;
}

/* Appends text to out (size n), truncating. */
static void preview_cat(char *out, size_t n, const char *text)
{
	size_t have = strlen(out), add = strlen(text);

	if (have + 1 >= n)
		return;
	if (add > n - have - 1)
		add = n - have - 1;
	memcpy(out + have, text, add);
	out[have + add] = '\0';
}

/* path + "." + key (just key at the top). */
static void preview_key(char *out, size_t n, const char *path, const char *key)
{
	out[0] = '\0';
	preview_cat(out, n, path);
	if (path[0] != '\0')
		preview_cat(out, n, ".");
	preview_cat(out, n, key);
}

/* path + "[i]" */
static void preview_idx(char *out, size_t n, const char *path, int i)
{
	char idx[16];

	snprintf(idx, sizeof(idx), "[%d]", i);
	out[0] = '\0';
	preview_cat(out, n, path);
	preview_cat(out, n, idx);
}

/* Every key of o must be in the NULL-terminated list. */
static int preview_keys(struct preview_ctx *c, json_object *o, const char *path,
                        const char *const *allowed)
{
	json_object_object_foreach(o, key, val)
	{
		char field[160], list[256] = "";
		size_t used = 0;
		int k;

		(void)val;
		for (k = 0; allowed[k] != NULL; k++)
			if (strcmp(key, allowed[k]) == 0)
				break;
		if (allowed[k] != NULL)
			continue;
		for (k = 0; allowed[k] != NULL && used < sizeof(list); k++)
			used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s",
			                         k ? ", " : "", allowed[k]);
		preview_key(field, sizeof(field), path, key);
		return preview_fail(c, field, "неизвестный ключ; допустимы: %s", list);
	}
	return 0;
}

/* The member, or NULL; when required and absent, an error. */
static int preview_get(struct preview_ctx *c, json_object *o, const char *path, const char *key,
                       int required, json_object **out)
{
	char field[160];

	*out = NULL;
	if (json_object_object_get_ex(o, key, out) && *out != NULL)
		return 0;
	*out = NULL;
	if (!required)
		return 0;
	preview_key(field, sizeof(field), path, key);
	return preview_fail(c, field, "обязательный ключ не задан");
}

static int preview_object(struct preview_ctx *c, json_object *v, const char *field,
                          const char *what)
{
	if (json_object_is_type(v, json_type_object))
		return 0;
	return preview_fail(c, field, "ожидается объект %s", what);
}

static int preview_string(struct preview_ctx *c, json_object *v, const char *field,
                          const char *what, const char **out)
{
	if (!json_object_is_type(v, json_type_string))
		return preview_fail(c, field, "ожидается строка: %s", what);
	*out = json_object_get_string(v);
	return 0;
}

/* One of the NULL-terminated choices; returns its index. */
static int preview_choice(struct preview_ctx *c, json_object *v, const char *field,
                          const char *const *choices, int *out)
{
	const char *s = preview_is_string(v) ? json_object_get_string(v) : NULL;
	char list[128] = "";
	size_t used = 0;
	int k;

	for (k = 0; choices[k] != NULL; k++) {
		if (s != NULL && strcmp(s, choices[k]) == 0) {
			*out = k;
			return 0;
		}
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s\"%s\"",
		                         k ? " или " : "", choices[k]);
	}
	return preview_fail(c, field, "допустимо %s", list);
}

static int preview_date(struct preview_ctx *c, json_object *v, const char *field, int *out)
{
	const char *s = preview_is_string(v) ? json_object_get_string(v) : NULL;

	if (s == NULL || date_parse_input(s, out) != 0)
		return preview_fail(c, field,
		                    "ожидается дата ГГГГ-ММ-ДД (настоящая дата 1900–2199 годов), "
		                    "например \"2025-05-12\"");
	return 0;
}

static int preview_date_in_month(struct preview_ctx *c, json_object *v, const char *field, int *out)
{
	char m[DATE_MONTH_BUFSZ];

	if (preview_date(c, v, field, out) != 0)
		return -1;
	if (*out >= c->first && *out <= c->last)
		return 0;
	date_format_month(c->year, c->month, m);
	return preview_fail(c, field, "дата должна быть в расчётном месяце %s", m);
}

/* Hours as a JSON number, 0..max hundredths, read from its text. */
static int preview_hours(struct preview_ctx *c, json_object *v, const char *field, int32_t max,
                         int32_t *out)
{
	int32_t h;

	if (!preview_is_number(v) || hours_parse(json_object_get_string(v), &h) != 0 || h > max)
		return preview_fail(c, field,
		                    "ожидается число часов от 0 до %d, не больше двух знаков после "
		                    "точки (8, 7.2, 0.25)",
		                    max / 100);
	*out = h;
	return 0;
}

static int preview_money(struct preview_ctx *c, json_object *v, const char *field, int64_t *out)
{
	const char *s = preview_is_string(v) ? json_object_get_string(v) : NULL;

	if (s == NULL || money_parse(s, 0, out) != 0)
		return preview_fail(
		    c, field,
		    "ожидается сумма строкой: рубли и не больше двух знаков копеек "
		    "через точку, не меньше 0 и не больше 9999999999999.99, например "
		    "\"30500.00\"");
	return 0;
}

static int preview_bool(struct preview_ctx *c, json_object *v, const char *field, int *out)
{
	if (!json_object_is_type(v, json_type_boolean))
		return preview_fail(c, field, "ожидается true или false");
	*out = json_object_get_boolean(v);
	return 0;
}

static int preview_array(struct preview_ctx *c, json_object *v, const char *field, int max, int *n)
{
	*n = 0; /* defined on every path (the optimizer cannot see preview_fail's answer) */
	if (!json_object_is_type(v, json_type_array))
		return preview_fail(c, field, "ожидается массив");
	*n = (int)json_object_array_length(v);
	if (*n > max)
		return preview_fail(c, field, "не больше %d %s", max,
		                    ru_plural(max, "элемента", "элементов", "элементов"));
	return 0;
}

/* ---- month, calendar ---- */

static int preview_month(struct preview_ctx *c, json_object *sc)
{
	json_object *v;
	const char *s;

	if (preview_get(c, sc, "", "month", 1, &v) != 0)
		return -1;
	s = preview_is_string(v) ? json_object_get_string(v) : NULL;
	if (s == NULL || date_parse_month(s, &c->year, &c->month) != 0)
		return preview_fail(c, "month",
		                    "ожидается месяц ГГГГ-ММ (1900–2199), например \"2025-05\"");
	c->first = date_month_first(c->year, c->month);
	c->last = date_month_last(c->year, c->month);
	return 0;
}

static const char *const preview_cal_lists[] = {"holidays", "days_off", "preholidays", "workdays",
                                                NULL};

static int preview_custom_calendar(struct preview_ctx *c, json_object *o)
{
	json_object *lists[4];
	int l, i, n;

	if (preview_keys(c, o, "calendar", preview_cal_lists) != 0)
		return -1;
	c->own_cal = calendar_new();
	calendar_add_default_year(c->own_cal, c->year);
	/* years first: every listed date's year becomes a plain year */
	for (l = 0; l < 4; l++) {
		char field[64];

		preview_key(field, sizeof(field), "calendar", preview_cal_lists[l]);
		if (preview_get(c, o, "calendar", preview_cal_lists[l], 0, &lists[l]) != 0)
			return -1;
		if (lists[l] == NULL)
			continue;
		if (preview_array(c, lists[l], field, 400, &n) != 0)
			return -1;
		for (i = 0; i < n; i++) {
			char f[80];
			int d;

			preview_idx(f, sizeof(f), field, i);
			if (preview_date(c, json_object_array_get_idx(lists[l], (size_t)i), f, &d))
				return -1;
			calendar_add_default_year(c->own_cal, date_year(d));
		}
	}
	for (l = 0; l < 4; l++) {
		char field[64];

		if (lists[l] == NULL)
			continue;
		preview_key(field, sizeof(field), "calendar", preview_cal_lists[l]);
		n = (int)json_object_array_length(lists[l]);
		for (i = 0; i < n; i++) {
			char f[80], ds[DATE_BUFSZ];
			int d, rc = 0, weekend;
			unsigned bits;

			preview_idx(f, sizeof(f), field, i);
			preview_date(c, json_object_array_get_idx(lists[l], (size_t)i), f, &d);
			date_format(d, ds);
			bits = calendar_day(c->own_cal, d);
			weekend = date_weekday(d) >= DATE_SAT;
			if (bits & CALENDAR_LISTED) {
				int merge = (l == 3 && (bits & CALENDAR_SHORT)) ||
				            (l == 2 && (bits & CALENDAR_MADE_WORKING) &&
				             CALENDAR_KIND(bits) == CALENDAR_WORK);

				if (!merge)
					return preview_fail(c, f,
					                    "дата %s уже указана в другом списке "
					                    "календаря",
					                    ds);
			}
			switch (l) {
			case 0:
				rc = calendar_set_day(c->own_cal, d, CALENDAR_HOLIDAY, 0, NULL,
				                      DATE_NONE);
				break;
			case 1:
				rc = calendar_set_day(c->own_cal, d, CALENDAR_DAY_OFF, 0, NULL,
				                      DATE_NONE);
				break;
			case 2:
				rc = calendar_set_day(c->own_cal, d, CALENDAR_WORK, CALENDAR_SHORT,
				                      NULL, DATE_NONE);
				break;
			case 3:
				if (!weekend)
					return preview_fail(c, f,
					                    "%s не суббота и не воскресенье: "
					                    "рабочим можно сделать только выходной",
					                    ds);
				rc = calendar_set_day(c->own_cal, d, CALENDAR_WORK,
				                      bits & CALENDAR_SHORT, NULL, DATE_NONE);
				break;
			}
			if (rc != 0)
				return preview_fail(c, f, "дату %s нельзя так отметить", ds);
		}
	}
	c->cal = c->own_cal;
	return 0;
}

static int preview_calendar(struct preview_ctx *c, json_object *sc, const struct calendar *ru)
{
	json_object *v;

	if (preview_get(c, sc, "", "calendar", 0, &v) != 0)
		return -1;
	if (v != NULL && json_object_is_type(v, json_type_object)) {
		c->custom_cal = 1;
		return preview_custom_calendar(c, v);
	}
	if (v != NULL && (!preview_is_string(v) || strcmp(json_object_get_string(v), "RU") != 0))
		return preview_fail(c, "calendar",
		                    "допустимо \"RU\" (производственный календарь РФ) или объект "
		                    "{\"holidays\", \"days_off\", \"preholidays\", \"workdays\"}");
	c->cal = ru;
	return 0;
}

/* ---- schedules ---- */

static int preview_pattern_day(struct preview_ctx *c, json_object *e, const char *field,
                               struct schedule_day *out)
{
	static const char *const keys[] = {"hours", "night", NULL};
	json_object *h, *n;
	char f[200];

	out->flags = 0;
	out->night = 0;
	if (!json_object_is_type(e, json_type_object))
		return preview_hours(c, e, field, SCHEDULE_MAX_DAY, &out->hours);
	if (preview_keys(c, e, field, keys) != 0 || preview_get(c, e, field, "hours", 1, &h) != 0)
		return -1;
	preview_key(f, sizeof(f), field, "hours");
	if (preview_hours(c, h, f, SCHEDULE_MAX_DAY, &out->hours) != 0)
		return -1;
	if (preview_get(c, e, field, "night", 0, &n) != 0)
		return -1;
	if (n == NULL)
		return 0;
	preview_key(f, sizeof(f), field, "night");
	if (preview_hours(c, n, f, SCHEDULE_MAX_DAY, &out->night) != 0)
		return -1;
	if (out->night > out->hours)
		return preview_fail(c, f, "ночных часов не может быть больше часов дня");
	return 0;
}

static int preview_schedule(struct preview_ctx *c, const char *name, json_object *o)
{
	static const char *const keys[] = {"kind", "hours", "holidays", "start", NULL};
	static const char *const kinds[] = {"week", "cycle", NULL};
	static const char *const holidays[] = {"calendar", "ignore", NULL};
	struct schedule *s = &c->schedules[c->nschedules];
	json_object *v, *hours;
	char path[128], f[200];
	int kind, hol, n, i;

	snprintf(path, sizeof(path), "schedules.%s", name);
	if (strlen(name) == 0 || strlen(name) > PREVIEW_MAX_NAME)
		return preview_fail(c, path, "имя графика: от 1 до %d %s", PREVIEW_MAX_NAME,
		                    ru_plural(PREVIEW_MAX_NAME, "байта", "байт", "байт"));
	if (preview_object(c, o, path, "{\"kind\", \"hours\", \"holidays\", \"start\"}") ||
	    preview_keys(c, o, path, keys))
		return -1;
	if (preview_get(c, o, path, "kind", 1, &v) != 0)
		return -1;
	preview_key(f, sizeof(f), path, "kind");
	if (preview_choice(c, v, f, kinds, &kind) != 0)
		return -1;
	if (preview_get(c, o, path, "holidays", 1, &v) != 0)
		return -1;
	preview_key(f, sizeof(f), path, "holidays");
	if (preview_choice(c, v, f, holidays, &hol) != 0)
		return -1;
	s->name = name;
	s->kind = kind ? SCHEDULE_CYCLE : SCHEDULE_WEEK;
	s->holidays = hol ? SCHEDULE_HOLIDAYS_IGNORE : SCHEDULE_HOLIDAYS_CALENDAR;
	s->start = DATE_NONE;
	if (preview_get(c, o, path, "start", s->kind == SCHEDULE_CYCLE, &v) != 0)
		return -1;
	preview_key(f, sizeof(f), path, "start");
	if (v != NULL && s->kind == SCHEDULE_WEEK)
		return preview_fail(c, f, "start бывает только у графика \"cycle\"");
	if (v != NULL && preview_date(c, v, f, &s->start) != 0)
		return -1;
	if (preview_get(c, o, path, "hours", 1, &hours) != 0)
		return -1;
	preview_key(f, sizeof(f), path, "hours");
	if (preview_array(c, hours, f, SCHEDULE_MAX_PATTERN, &n) != 0)
		return -1;
	if (s->kind == SCHEDULE_WEEK && n != 7)
		return preview_fail(c, f,
		                    "у графика \"week\" ровно 7 чисел: часы с понедельника по "
		                    "воскресенье");
	if (n == 0)
		return preview_fail(c, f, "у графика \"cycle\" от 1 до %d %s в цикле",
		                    SCHEDULE_MAX_PATTERN,
		                    ru_plural(SCHEDULE_MAX_PATTERN, "дня", "дней", "дней"));
	c->patterns[c->nschedules] = calloc((size_t)n, sizeof(struct schedule_day));
	if (c->patterns[c->nschedules] == NULL)
		abort();
	for (i = 0; i < n; i++) {
		char e[220];

		preview_idx(e, sizeof(e), f, i);
		if (preview_pattern_day(c, json_object_array_get_idx(hours, (size_t)i), e,
		                        &c->patterns[c->nschedules][i]) != 0) {
			c->nschedules++; /* so the pattern is freed */
			return -1;
		}
	}
	s->pattern = c->patterns[c->nschedules];
	s->npattern = n;
	c->nschedules++;
	return 0;
}

static int preview_schedules(struct preview_ctx *c, json_object *sc)
{
	json_object *o;

	if (preview_get(c, sc, "", "schedules", 1, &o) != 0 ||
	    preview_object(c, o, "schedules", "{\"имя\": {график}, ...}"))
		return -1;
	if (json_object_object_length(o) == 0)
		return preview_fail(c, "schedules", "нужен хотя бы один график");
	if (json_object_object_length(o) > PREVIEW_MAX_SCHEDULES)
		return preview_fail(
		    c, "schedules", "не больше %d %s", PREVIEW_MAX_SCHEDULES,
		    ru_plural(PREVIEW_MAX_SCHEDULES, "графика", "графиков", "графиков"));
	{
		json_object_object_foreach(o, name, val)
		{
			if (preview_schedule(c, name, val) != 0)
				return -1;
		}
	}
	return 0;
}

/* ---- employee, assignments, norm ---- */

static int preview_employee(struct preview_ctx *c, json_object *sc)
{
	static const char *const keys[] = {
	    "rate", "pay_by", "hired", "dismissed", "district_coefficient", "northern_percent",
	    NULL};
	static const char *const pay_by[] = {"days", "hours", NULL};
	struct payroll_terms *t = &c->in.terms;
	json_object *o, *v;
	int k;

	if (preview_get(c, sc, "", "employee", 1, &o) != 0 ||
	    preview_object(c, o, "employee", "{\"rate\", \"pay_by\", \"hired\", \"dismissed\"}") ||
	    preview_keys(c, o, "employee", keys))
		return -1;
	if (preview_get(c, o, "employee", "rate", 1, &v) != 0 ||
	    preview_money(c, v, "employee.rate", &t->rate) != 0)
		return -1;
	if (preview_get(c, o, "employee", "pay_by", 1, &v) != 0 ||
	    preview_choice(c, v, "employee.pay_by", pay_by, &k) != 0)
		return -1;
	t->pay_by = k ? PAYROLL_BY_HOURS : PAYROLL_BY_DAYS;
	t->hired = t->dismissed = DATE_NONE;
	if (preview_get(c, o, "employee", "hired", 0, &v) != 0 ||
	    (v != NULL && preview_date(c, v, "employee.hired", &t->hired) != 0))
		return -1;
	if (preview_get(c, o, "employee", "dismissed", 0, &v) != 0 ||
	    (v != NULL && preview_date(c, v, "employee.dismissed", &t->dismissed) != 0))
		return -1;
	if (t->hired != DATE_NONE && t->dismissed != DATE_NONE && t->dismissed < t->hired)
		return preview_fail(c, "employee.dismissed", "дата увольнения раньше даты приёма");
	/* regional pay (payroll.md "Regional pay"): coefficient 1..3, allowance 0..100 % */
	if (preview_get(c, o, "employee", "district_coefficient", 0, &v) != 0)
		return -1;
	if (v != NULL) {
		int32_t x;
		const char *text = json_object_get_string(v);

		if ((!preview_is_number(v) && !preview_is_string(v)) ||
		    hours_parse(text, &x) != 0 || x < 100 || x > 300)
			return preview_fail(c, "employee.district_coefficient",
			                    "районный коэффициент: число от 1 до 3, не больше двух "
			                    "знаков после точки (1.15, 1.5)");
		c->in.district_x100 = x;
	}
	if (preview_get(c, o, "employee", "northern_percent", 0, &v) != 0)
		return -1;
	if (v != NULL) {
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0 ||
		    json_object_get_int64(v) > 100)
			return preview_fail(c, "employee.northern_percent",
			                    "северная надбавка: целое число процентов от 0 до 100");
		c->in.northern_percent = (int)json_object_get_int64(v);
	}
	if (t->hired != DATE_NONE && t->hired > c->last)
		return preview_fail(c, "employee.hired",
		                    "сотрудник принят после расчётного месяца");
	if (t->dismissed != DATE_NONE && t->dismissed < c->first)
		return preview_fail(c, "employee.dismissed",
		                    "сотрудник уволен до расчётного месяца");
	return 0;
}

static int preview_find_schedule(const struct preview_ctx *c, const char *name)
{
	int i;

	for (i = 0; i < c->nschedules; i++)
		if (strcmp(c->schedules[i].name, name) == 0)
			return i;
	return -1;
}

static int preview_assignments(struct preview_ctx *c, json_object *sc)
{
	static const char *const keys[] = {"from", "schedule", NULL};
	json_object *arr;
	int n, i, j;

	if (preview_get(c, sc, "", "assignments", 1, &arr) != 0 ||
	    preview_array(c, arr, "assignments", PREVIEW_MAX_ASSIGNMENTS, &n) != 0)
		return -1;
	if (n == 0)
		return preview_fail(
		    c, "assignments",
		    "нужно хотя бы одно назначение графика {\"from\", \"schedule\"}");
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, (size_t)i), *v;
		char path[32], f[64];
		const char *name = NULL;
		struct payroll_assignment a;

		preview_idx(path, sizeof(path), "assignments", i);
		if (preview_object(c, e, path, "{\"from\", \"schedule\"}") ||
		    preview_keys(c, e, path, keys))
			return -1;
		preview_key(f, sizeof(f), path, "from");
		if (preview_get(c, e, path, "from", 1, &v) || preview_date(c, v, f, &a.from))
			return -1;
		preview_key(f, sizeof(f), path, "schedule");
		if (preview_get(c, e, path, "schedule", 1, &v) ||
		    preview_string(c, v, f, "имя графика из schedules", &name))
			return -1;
		a.schedule = preview_find_schedule(c, name);
		if (a.schedule < 0)
			return preview_fail(c, f, "нет графика \"%.64s\" в schedules", name);
		/* insertion by date; equal dates are an error */
		for (j = i; j > 0 && c->assignments[j - 1].from > a.from; j--) {
			c->assignments[j] = c->assignments[j - 1];
			c->assign_src[j] = c->assign_src[j - 1];
		}
		if (j > 0 && c->assignments[j - 1].from == a.from) {
			preview_key(f, sizeof(f), path, "from");
			return preview_fail(c, f, "на эту дату уже есть назначение assignments[%d]",
			                    c->assign_src[j - 1]);
		}
		c->assignments[j] = a;
		c->assign_src[j] = i;
	}
	if (c->assignments[0].from > c->last) {
		char m[DATE_MONTH_BUFSZ];

		date_format_month(c->year, c->month, m);
		return preview_fail(c, "assignments",
		                    "на месяц %s не назначен ни один график: первое назначение "
		                    "позже месяца",
		                    m);
	}
	c->in.assignments = c->assignments;
	c->in.nassignments = n;
	return 0;
}

static int preview_norm(struct preview_ctx *c, json_object *sc)
{
	static const char *const norms[] = {"per_period", "summed", NULL};
	json_object *v;
	int k = 0;

	if (preview_get(c, sc, "", "norm", 0, &v) != 0 ||
	    (v != NULL && preview_choice(c, v, "norm", norms, &k) != 0))
		return -1;
	c->in.norm = k ? PAYROLL_NORM_SUMMED : PAYROLL_NORM_PER_PERIOD;
	return 0;
}

/* ---- deviations, timesheet ---- */

static int preview_code(struct preview_ctx *c, json_object *v, const char *field,
                        const struct t13_code **out)
{
	const char *s = preview_is_string(v) ? json_object_get_string(v) : NULL;

	*out = s ? t13_find(s) : NULL;
	if (*out == NULL)
		return preview_fail(c, field,
		                    "неизвестный код \"%.16s\"; допустимы буквенные коды табеля "
		                    "Т-13: Я, Н, РВ, С, ВМ, К, ОТ, ОД, Б, ДО, НН, ПР, В и другие",
		                    s ? s : "");
	return 0;
}

static int preview_deviations(struct preview_ctx *c, json_object *sc)
{
	static const char *const day_keys[] = {"code", "from", "to", NULL};
	static const char *const vacation_keys[] = {"code", "from", "to", "paid", NULL};
	static const char *const sick_keys[] = {"code", "from", "to", "cause", NULL};
	static const char *const hour_keys[] = {"code", "date", "hours", NULL};
	json_object *arr;
	int n, i;

	if (preview_get(c, sc, "", "deviations", 0, &arr) != 0)
		return -1;
	if (arr == NULL)
		return 0;
	if (preview_array(c, arr, "deviations", PREVIEW_MAX_ROWS, &n) != 0)
		return -1;
	c->deviations = calloc((size_t)n + 1, sizeof(*c->deviations));
	if (c->deviations == NULL)
		abort();
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, (size_t)i), *v;
		struct payroll_deviation *d = &c->deviations[i];
		const struct t13_code *code;
		char path[32], f[64];

		preview_idx(path, sizeof(path), "deviations", i);
		if (preview_object(c, e, path, "{\"code\", ...}"))
			return -1;
		preview_key(f, sizeof(f), path, "code");
		if (preview_get(c, e, path, "code", 1, &v) || preview_code(c, v, f, &code))
			return -1;
		d->code = code->number;
		d->paid = DATE_NONE;
		if (code->cls == T13_CLASS_ABSENCE) {
			int vacation = code->number == T13_OT || code->number == T13_OD;

			if (preview_keys(c, e, path,
			                 vacation                ? vacation_keys
			                 : code->number == T13_B ? sick_keys
			                                         : day_keys))
				return -1;
			preview_key(f, sizeof(f), path, "from");
			if (preview_get(c, e, path, "from", 1, &v) ||
			    preview_date(c, v, f, &d->from))
				return -1;
			preview_key(f, sizeof(f), path, "to");
			if (preview_get(c, e, path, "to", 1, &v) || preview_date(c, v, f, &d->to))
				return -1;
			if (d->to < d->from)
				return preview_fail(c, f, "конец периода раньше начала");
			if (d->to - d->from > 730)
				return preview_fail(c, f, "период не длиннее двух лет");
			preview_key(f, sizeof(f), path, "paid");
			if (preview_get(c, e, path, "paid", 0, &v) ||
			    (v != NULL && preview_date(c, v, f, &d->paid)))
				return -1;
			if (v != NULL && d->paid > d->from)
				return preview_fail(
				    c, f, "отпускные выплачивают не позже начала отпуска");
			preview_key(f, sizeof(f), path, "cause");
			if (preview_get(c, e, path, "cause", 0, &v))
				return -1;
			if (v != NULL) {
				int k;

				if (preview_choice(c, v, f, average_cause_names, &k))
					return -1;
				d->cause = (enum average_cause)k;
			}
			if (d->to < c->first || d->from > c->last) {
				/* a vacation paid in the month may lie after it (art. 136) */
				int paid = d->paid != DATE_NONE ? d->paid : d->from - 3;

				if (!vacation || paid < c->first || paid > c->last) {
					preview_key(f, sizeof(f), path,
					            d->to < c->first ? "to" : "from");
					return preview_fail(c, f,
					                    "период не задевает расчётный месяц");
				}
			}
		} else if (code->cls == T13_CLASS_OVERTIME || code->cls == T13_CLASS_HOLIDAY_WORK ||
		           code->cls == T13_CLASS_NIGHT) {
			if (preview_keys(c, e, path, hour_keys))
				return -1;
			preview_key(f, sizeof(f), path, "date");
			if (preview_get(c, e, path, "date", 1, &v) ||
			    preview_date_in_month(c, v, f, &d->from))
				return -1;
			d->to = d->from;
			preview_key(f, sizeof(f), path, "hours");
			if (preview_get(c, e, path, "hours", 1, &v) ||
			    preview_hours(c, v, f, SCHEDULE_MAX_DAY, &d->hours))
				return -1;
			if (d->hours == 0)
				return preview_fail(c, f, "часов должно быть больше 0");
		} else {
			return preview_fail(
			    c, f,
			    "код %s не является отклонением: в отклонениях целые дни "
			    "(Б, ОТ, ОД, НН, ПР, К, ДО, ...) с from/to или часы (С, "
			    "РВ, Н) с date/hours",
			    code->letter);
		}
	}
	c->in.deviations = c->deviations;
	c->in.ndeviations = n;
	return 0;
}

static int preview_timesheet(struct preview_ctx *c, json_object *sc)
{
	static const char *const keys[] = {"date", "code", "hours", NULL};
	json_object *arr;
	int n, i;

	if (preview_get(c, sc, "", "timesheet", 0, &arr) != 0)
		return -1;
	if (arr == NULL)
		return 0;
	if (preview_array(c, arr, "timesheet", PREVIEW_MAX_ROWS, &n) != 0)
		return -1;
	c->timesheet = calloc((size_t)n + 1, sizeof(*c->timesheet));
	if (c->timesheet == NULL)
		abort();
	for (i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, (size_t)i), *v;
		struct payroll_time *t = &c->timesheet[i];
		const struct t13_code *code;
		char path[32], f[64];

		preview_idx(path, sizeof(path), "timesheet", i);
		if (preview_object(c, e, path, "{\"date\", \"code\", \"hours\"}") ||
		    preview_keys(c, e, path, keys))
			return -1;
		preview_key(f, sizeof(f), path, "date");
		if (preview_get(c, e, path, "date", 1, &v) ||
		    preview_date_in_month(c, v, f, &t->date))
			return -1;
		preview_key(f, sizeof(f), path, "code");
		if (preview_get(c, e, path, "code", 1, &v) || preview_code(c, v, f, &code))
			return -1;
		t->code = code->number;
		preview_key(f, sizeof(f), path, "hours");
		if (preview_get(c, e, path, "hours", 1, &v) ||
		    preview_hours(c, v, f, SCHEDULE_MAX_DAY, &t->hours))
			return -1;
	}
	c->in.has_timesheet = 1;
	c->in.timesheet = c->timesheet;
	c->in.ntimesheet = n;
	return 0;
}

/* ---- history (vacation pay), sick, accruals ---- */

static int preview_history(struct preview_ctx *c, json_object *sc)
{
	static const char *const keys[] = {"month", "earnings", "excluded_days", NULL};
	json_object *arr;
	int n;

	if (preview_get(c, sc, "", "history", 0, &arr) != 0)
		return -1;
	if (arr == NULL)
		return 0;
	if (preview_array(c, arr, "history", 12, &n) != 0)
		return -1;
	if (n != 12)
		return preview_fail(c, "history",
		                    "ровно 12 месяцев перед месяцем начала отпуска, по порядку");
	for (int i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, (size_t)i), *v;
		struct average_month *m = &c->history[i];
		char path[32], f[64];
		const char *s;
		int days;

		preview_idx(path, sizeof(path), "history", i);
		if (preview_object(c, e, path, "{\"month\", \"earnings\", \"excluded_days\"}") ||
		    preview_keys(c, e, path, keys))
			return -1;
		preview_key(f, sizeof(f), path, "month");
		if (preview_get(c, e, path, "month", 1, &v))
			return -1;
		s = preview_is_string(v) ? json_object_get_string(v) : NULL;
		if (s == NULL || date_parse_month(s, &m->year, &m->month) != 0)
			return preview_fail(c, f, "ожидается месяц ГГГГ-ММ, например \"2024-07\"");
		if (i > 0) {
			int py = c->history[i - 1].year, pm = c->history[i - 1].month + 1;

			if (pm == 13) {
				pm = 1;
				py++;
			}
			if (m->year != py || m->month != pm)
				return preview_fail(c, f, "месяцы идут подряд, по порядку");
		}
		preview_key(f, sizeof(f), path, "earnings");
		if (preview_get(c, e, path, "earnings", 1, &v) ||
		    preview_money(c, v, f, &m->earnings))
			return -1;
		preview_key(f, sizeof(f), path, "excluded_days");
		if (preview_get(c, e, path, "excluded_days", 1, &v))
			return -1;
		days = date_days_in_month(m->year, m->month);
		if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0 ||
		    json_object_get_int64(v) > days)
			return preview_fail(c, f, "целое число дней от 0 до %d", days);
		m->excluded_days = (int)json_object_get_int64(v);
	}
	c->in.vacation_pay = 1;
	c->in.history = c->history;
	c->in.nhistory = n;
	return 0;
}

static int preview_sick(struct preview_ctx *c, json_object *sc)
{
	static const char *const keys[] = {"insurance_years", "earnings", NULL};
	json_object *o, *v;
	int32_t years;

	if (preview_get(c, sc, "", "sick", 0, &o) != 0)
		return -1;
	if (o == NULL)
		return 0;
	if (preview_object(c, o, "sick", "{\"insurance_years\", \"earnings\"}") ||
	    preview_keys(c, o, "sick", keys) ||
	    preview_get(c, o, "sick", "insurance_years", 1, &v) != 0)
		return -1;
	if (!preview_is_number(v) || hours_parse(json_object_get_string(v), &years) != 0 ||
	    years > 10000)
		return preview_fail(c, "sick.insurance_years",
		                    "страховой стаж в годах: число от 0 до 100, не больше двух "
		                    "знаков после точки (6.5)");
	c->in.insurance_m100 = years * 12; /* hundredths of a year -> of a month */
	if (preview_get(c, o, "sick", "earnings", 0, &v) != 0)
		return -1;
	if (v != NULL) {
		if (preview_object(c, v, "sick.earnings", "{\"2023\": \"600000.00\", ...}"))
			return -1;
		json_object_object_foreach(v, key, val)
		{
			char f[64];
			int64_t amount;
			int y = 0;

			preview_key(f, sizeof(f), "sick.earnings", key);
			for (const char *p = key; *p; p++)
				y = *p >= '0' && *p <= '9' && y < 100000 ? y * 10 + (*p - '0') : -1;
			if (strlen(key) != 4 || y < DATE_MIN_YEAR || y > DATE_MAX_YEAR)
				return preview_fail(c, f, "ключ — год, например \"2024\"");
			if (preview_money(c, val, f, &amount) != 0)
				return -1;
			if (y == c->year - 2 || y == c->year - 1)
				c->in.sick_earnings[y - (c->year - 2)] = amount;
		}
	}
	c->in.sick_pay = 1;
	return 0;
}

static int preview_accruals(struct preview_ctx *c, json_object *sc)
{
	static const char *const keys[] = {"kind", "date", "amount", "title", NULL};
	static const char *const kinds[] = {"bonus", "material_aid", NULL};
	json_object *arr;
	int n;

	if (preview_get(c, sc, "", "accruals", 0, &arr) != 0)
		return -1;
	if (arr == NULL)
		return 0;
	if (preview_array(c, arr, "accruals", PAYROLL_MAX_ACCRUALS, &n) != 0)
		return -1;
	for (int i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(arr, (size_t)i), *v;
		struct payroll_accrual *a = &c->accruals[i];
		char path[32], f[64];
		int k;

		preview_idx(path, sizeof(path), "accruals", i);
		if (preview_object(c, e, path, "{\"kind\", \"date\", \"amount\", \"title\"}") ||
		    preview_keys(c, e, path, keys))
			return -1;
		preview_key(f, sizeof(f), path, "kind");
		if (preview_get(c, e, path, "kind", 1, &v) || preview_choice(c, v, f, kinds, &k))
			return -1;
		a->kind = k ? PAYROLL_LINE_MATERIAL_AID : PAYROLL_LINE_BONUS;
		preview_key(f, sizeof(f), path, "date");
		a->date = c->first;
		if (preview_get(c, e, path, "date", 0, &v) ||
		    (v != NULL && preview_date_in_month(c, v, f, &a->date)))
			return -1;
		preview_key(f, sizeof(f), path, "amount");
		if (preview_get(c, e, path, "amount", 1, &v) || preview_money(c, v, f, &a->amount))
			return -1;
		preview_key(f, sizeof(f), path, "title");
		if (preview_get(c, e, path, "title", 0, &v) ||
		    (v != NULL && preview_string(c, v, f, "название", &a->title)))
			return -1;
	}
	c->in.accruals = c->accruals;
	c->in.naccruals = n;
	return 0;
}

/* The calendar covers the month and every vacation paid in it: a year after
 * the last official one is the Labor Code's provisional calendar (marked in
 * the output); a custom calendar gets plain weeks. */
static int preview_cover(struct preview_ctx *c)
{
	int years[2 + 2 * 16], n = 0;

	years[n++] = c->year;
	for (int i = 0; i < c->in.ndeviations && n + 2 <= (int)(sizeof(years) / sizeof(years[0]));
	     i++) {
		const struct payroll_deviation *d = &c->in.deviations[i];

		if (d->code != T13_OT && d->code != T13_OD)
			continue;
		years[n++] = date_year(d->from);
		years[n++] = date_year(d->to);
	}
	for (int i = 0; i < n; i++) {
		int rc;

		if (c->custom_cal) {
			calendar_add_default_year(c->own_cal, years[i]);
			continue;
		}
		if (c->cal == NULL)
			return 0; /* the caller has no Russian calendar: the engine says so */
		if (calendar_has_year(c->cal, years[i]) &&
		    !calendar_is_provisional(c->cal, years[i]))
			continue;
		if (c->own_cal == NULL) {
			c->own_cal = calendar_copy(c->cal);
			c->cal = c->own_cal;
		}
		rc = calendar_cover(c->own_cal, years[i]);
		if (rc < 0) {
			char msg[CALENDAR_NOTE_BUFSZ];

			calendar_missing_note(years[i], msg, sizeof(msg));
			return preview_fail(c, "calendar", "%s", msg);
		}
		if (rc == 1) {
			int seen = 0;

			for (int k = 0; k < c->nprovisional; k++)
				seen |= c->provisional[k] == years[i];
			if (!seen && c->nprovisional < 8)
				c->provisional[c->nprovisional++] = years[i];
		}
	}
	return 0;
}

/* ---- ndfl ---- */

static int preview_ndfl(struct preview_ctx *c, json_object *sc)
{
	static const char *const keys[] = {"ytd_income", "ytd_deductions", "ytd_tax",
	                                   "children",   "sole_parent",    NULL};
	static const char *const child_keys[] = {"order", "disabled", NULL};
	static const char *const money_keys[] = {"ytd_income", "ytd_deductions", "ytd_tax"};
	int64_t *money_dst[] = {&c->ndfl.ytd_income, &c->ndfl.ytd_deductions, &c->ndfl.ytd_tax};
	json_object *o, *v;
	int i, n;

	if (preview_get(c, sc, "", "ndfl", 0, &o) != 0)
		return -1;
	if (o == NULL)
		return 0;
	if (preview_object(c, o, "ndfl",
	                   "{\"ytd_income\", \"ytd_deductions\", \"ytd_tax\", \"children\", "
	                   "\"sole_parent\"}") ||
	    preview_keys(c, o, "ndfl", keys))
		return -1;
	c->ndfl.year = c->year; /* the scale, child amounts and limit of the year (ndfl.h) */
	for (i = 0; i < 3; i++) {
		char f[64];

		preview_key(f, sizeof(f), "ndfl", money_keys[i]);
		if (preview_get(c, o, "ndfl", money_keys[i], 0, &v) != 0 ||
		    (v != NULL && preview_money(c, v, f, money_dst[i]) != 0))
			return -1;
	}
	if (preview_get(c, o, "ndfl", "sole_parent", 0, &v) != 0 ||
	    (v != NULL && preview_bool(c, v, "ndfl.sole_parent", &c->ndfl.sole_parent) != 0))
		return -1;
	if (preview_get(c, o, "ndfl", "children", 0, &v) != 0)
		return -1;
	if (v != NULL) {
		if (preview_array(c, v, "ndfl.children", PREVIEW_MAX_CHILDREN, &n) != 0)
			return -1;
		for (i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(v, (size_t)i), *x;
			char path[40], f[64];

			preview_idx(path, sizeof(path), "ndfl.children", i);
			if (preview_object(c, e, path, "{\"order\", \"disabled\"}") ||
			    preview_keys(c, e, path, child_keys))
				return -1;
			preview_key(f, sizeof(f), path, "order");
			if (preview_get(c, e, path, "order", 1, &x) != 0)
				return -1;
			if (!json_object_is_type(x, json_type_int) ||
			    json_object_get_int64(x) < 1 || json_object_get_int64(x) > 99)
				return preview_fail(c, f,
				                    "ожидается номер ребёнка по старшинству: 1, 2, "
				                    "3, ...");
			c->children[i].order = (int)json_object_get_int64(x);
			preview_key(f, sizeof(f), path, "disabled");
			if (preview_get(c, e, path, "disabled", 0, &x) != 0 ||
			    (x != NULL && preview_bool(c, x, f, &c->children[i].disabled) != 0))
				return -1;
		}
		c->ndfl.children = c->children;
		c->ndfl.nchildren = n;
	}
	c->has_ndfl = 1;
	return 0;
}

/* ---- engine errors, output ---- */

static int preview_engine_error(struct preview_ctx *c, const struct payroll_error *pe)
{
	char f[128];
	const char *field = pe->field ? pe->field : "";

	if (strcmp(field, "assignments") == 0 && pe->index >= 0) {
		snprintf(f, sizeof(f), "assignments[%d]", c->assign_src[pe->index]);
	} else if (strcmp(field, "schedules") == 0 && pe->index >= 0) {
		snprintf(f, sizeof(f), "schedules.%s", c->schedules[pe->index].name);
	} else if ((strcmp(field, "deviations") == 0 || strcmp(field, "timesheet") == 0 ||
	            strcmp(field, "accruals") == 0) &&
	           pe->index >= 0) {
		snprintf(f, sizeof(f), "%s[%d]%s", field, pe->index,
		         pe->code == PAYROLL_E_DAY_HOURS     ? ".hours"
		         : pe->code == PAYROLL_E_NO_SCHEDULE ? ".date"
		                                             : "");
	} else if (strcmp(field, "sick") == 0 && pe->index >= 0) {
		snprintf(f, sizeof(f), "deviations[%d]", pe->index);
	} else if (strcmp(field, "rate") == 0 || strcmp(field, "pay_by") == 0 ||
	           strcmp(field, "hired") == 0 || strcmp(field, "dismissed") == 0) {
		snprintf(f, sizeof(f), "employee.%s", field);
	} else if (strcmp(field, "regional") == 0) {
		snprintf(f, sizeof(f), "employee.district_coefficient");
	} else {
		snprintf(f, sizeof(f), "%s", field);
	}
	if (pe->code == PAYROLL_E_CALENDAR && !c->custom_cal)
		return preview_fail(c, "calendar", "%s",
		                    strstr(pe->message, "календарь")
		                        ? pe->message
		                        : "производственный календарь РФ "
		                          "не загружен");
	return preview_fail(c, f, "%s", pe->message);
}

static json_object *preview_json_hours(int32_t h)
{
	char b[HOURS_BUFSZ];

	if (h % 100 == 0)
		return json_object_new_int64(h / 100);
	/* a number node that prints exactly the decimal text (no binary float) */
	hours_format(h, b);
	return json_tokener_parse(b);
}

static void preview_add_money(json_object *o, const char *key, int64_t v)
{
	char b[MONEY_BUFSZ];

	money_format(v, b);
	json_object_object_add(o, key, json_object_new_string(b));
}

static void preview_add_date(json_object *o, const char *key, int d)
{
	char b[DATE_BUFSZ];

	date_format(d, b);
	json_object_object_add(o, key, json_object_new_string(b));
}

static json_object *preview_output(const struct preview_ctx *c, const struct payroll_result *r,
                                   const struct ndfl_result *nr, int64_t ndfl_income)
{
	json_object *out = json_object_new_object(), *lines = json_object_new_array();
	char m[DATE_MONTH_BUFSZ];
	int i;

	date_format_month(c->year, c->month, m);
	json_object_object_add(out, "month", json_object_new_string(m));
	for (i = 0; i < r->nlines; i++) {
		const struct payroll_line *l = &r->lines[i];
		json_object *o = json_object_new_object();

		json_object_object_add(o, "kind",
		                       json_object_new_string(payroll_line_kind_name(l->kind)));
		switch (l->kind) {
		case PAYROLL_LINE_SALARY:
			preview_add_date(o, "from", l->from);
			preview_add_date(o, "to", l->to);
			json_object_object_add(
			    o, "schedule",
			    json_object_new_string(l->schedule >= 0 ? c->schedules[l->schedule].name
			                                            : "individual"));
			json_object_object_add(o, "worked_days",
			                       json_object_new_int(l->worked_days));
			json_object_object_add(o, "norm_days", json_object_new_int(l->norm_days));
			json_object_object_add(o, "worked_hours",
			                       preview_json_hours(l->worked_hours));
			json_object_object_add(o, "norm_hours", preview_json_hours(l->norm_hours));
			break;
		case PAYROLL_LINE_OVERTIME:
		case PAYROLL_LINE_HOLIDAY_WORK:
		case PAYROLL_LINE_NIGHT:
			preview_add_date(o, "date", l->from);
			json_object_object_add(o, "hours", preview_json_hours(l->hours));
			break;
		case PAYROLL_LINE_BONUS:
		case PAYROLL_LINE_MATERIAL_AID:
			preview_add_date(o, "date", l->from);
			if (l->title)
				json_object_object_add(o, "title",
				                       json_object_new_string(l->title));
			break;
		case PAYROLL_LINE_DISTRICT:
		case PAYROLL_LINE_NORTHERN:
			json_object_object_add(o, "percent", json_object_new_int(l->percent));
			break;
		case PAYROLL_LINE_VACATION_PAY:
			preview_add_date(o, "from", l->from);
			preview_add_date(o, "to", l->to);
			json_object_object_add(o, "days", json_object_new_int(l->days));
			preview_add_money(o, "average_daily", l->average);
			break;
		case PAYROLL_LINE_SICK_PAY:
			preview_add_date(o, "from", l->from);
			preview_add_date(o, "to", l->to);
			json_object_object_add(o, "days", json_object_new_int(l->days));
			preview_add_money(o, "average_daily", l->average);
			json_object_object_add(o, "percent", json_object_new_int(l->percent));
			preview_add_money(o, "daily", l->daily);
			break;
		case PAYROLL_LINE_COMPENSATION:
			preview_add_money(o, "average_daily", l->average);
			break;
		}
		preview_add_money(o, "amount", l->amount);
		if (l->kind == PAYROLL_LINE_SICK_PAY &&
		    (i == 0 || r->lines[i - 1].kind != PAYROLL_LINE_SICK_PAY ||
		     r->lines[i - 1].source != l->source))
			json_object_object_add(o, "fund_days", json_object_new_int(l->fund_days));
		json_object_array_add(lines, o);
	}
	json_object_object_add(out, "lines", lines);
	preview_add_money(out, "total", r->total);
	if (nr != NULL) {
		json_object *n = json_object_new_object();

		preview_add_money(n, "income", ndfl_income);
		preview_add_money(n, "deduction", nr->deduction);
		preview_add_money(n, "base_ytd", nr->base_ytd);
		preview_add_money(n, "tax", nr->tax);
		json_object_object_add(out, "ndfl", n);
		preview_add_money(out, "net", r->total - nr->tax);
	}
	if (c->nprovisional > 0) {
		json_object *years = json_object_new_array(), *w = json_object_new_array();
		char msg[CALENDAR_NOTE_BUFSZ];

		for (i = 0; i < c->nprovisional; i++) {
			json_object_array_add(years, json_object_new_int(c->provisional[i]));
			calendar_provisional_note(c->provisional[i], msg, sizeof(msg));
			json_object_array_add(w, json_object_new_string(msg));
		}
		json_object_object_add(out, "provisional_calendar", years);
		json_object_object_add(out, "warnings", w);
	}
	return out;
}

static void preview_ctx_free(struct preview_ctx *c)
{
	int i;

	for (i = 0; i < c->nschedules; i++)
		free(c->patterns[i]);
	free(c->deviations);
	free(c->timesheet);
	calendar_free(c->own_cal);
	free(c);
}

int preview_run(json_object *scenario, const struct calendar *ru, const struct preview_options *opt,
                json_object **out, struct preview_error *err)
{
	static const char *const keys[] = {
	    "month",     "calendar", "schedules", "employee", "assignments", "norm", "deviations",
	    "timesheet", "ndfl",     "history",   "sick",     "accruals",    NULL};
	struct preview_ctx *c = calloc(1, sizeof(*c));
	struct payroll_result *r = NULL;
	struct payroll_error pe;
	struct ndfl_result nr;
	int rc = -1;

	if (c == NULL)
		abort();
	*out = NULL;
	err->field[0] = '\0';
	err->message[0] = '\0';
	c->err = err;
	if (scenario == NULL || !json_object_is_type(scenario, json_type_object)) {
		preview_fail(c, "", "сценарий должен быть JSON-объектом");
		goto done;
	}
	if (preview_keys(c, scenario, "", keys) || preview_month(c, scenario) ||
	    preview_calendar(c, scenario, ru) || preview_schedules(c, scenario) ||
	    preview_employee(c, scenario) || preview_assignments(c, scenario) ||
	    preview_norm(c, scenario) || preview_deviations(c, scenario) ||
	    preview_timesheet(c, scenario) || preview_ndfl(c, scenario) ||
	    preview_history(c, scenario) || preview_sick(c, scenario) ||
	    preview_accruals(c, scenario) || preview_cover(c))
		goto done;
	c->in.year = c->year;
	c->in.month = c->month;
	c->in.calendar = c->cal;
	c->in.schedules = c->schedules;
	c->in.nschedules = c->nschedules;
	c->in.night_percent = opt ? opt->night_percent : 0;
	r = malloc(sizeof(*r));
	if (r == NULL)
		abort();
	if (payroll_run(&c->in, r, &pe) != 0) {
		preview_engine_error(c, &pe);
		goto done;
	}
	if (c->has_ndfl) {
		/* material aid up to 4 000 a year is not income (Tax Code art. 217
		 * item 28); the scenario's year so far has none */
		int64_t aid = 0;

		for (int i = 0; i < r->nlines; i++)
			if (r->lines[i].kind == PAYROLL_LINE_MATERIAL_AID)
				aid += r->lines[i].amount;
		c->ndfl.income = r->total - (aid < 400000 ? aid : 400000);
		if (ndfl_month(&c->ndfl, &nr) != 0) {
			preview_fail(c, "ndfl", "НДФЛ не рассчитать: суммы вне допустимого");
			goto done;
		}
	}
	*out = preview_output(c, r, c->has_ndfl ? &nr : NULL, c->ndfl.income);
	rc = 0;
done:
	free(r);
	preview_ctx_free(c);
	return rc;
}
