/*
 * worktime.c - an employee-month of time from schedules, deviations and
 * posted timesheets, in one query per table (see worktime.h).
 */
#include "worktime.h"

#include "buf.h"
#include "date.h"
#include "hours.h"
#include "jsonx.h"
#include "log.h"
#include "ru.h"
#include "schedules.h"
#include "average.h"
#include "calendars.h"
#include "t13.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- arguments and formatting ---- */

int worktime_arg_date(struct ctx *ctx, const char *name, int required, int *out)
{
	json_object *v = jsonx_get(ctx->args, name);

	*out = DATE_NONE;
	if (v == NULL || json_object_is_type(v, json_type_null) ||
	    (json_object_is_type(v, json_type_string) && !required &&
	     json_object_get_string_len(v) == 0)) {
		if (required)
			return ctx_field_code(ctx, name, "required", "Обязательное поле");
		return 1;
	}
	if (!json_object_is_type(v, json_type_string) ||
	    date_parse_input(json_object_get_string(v), out) < 0)
		return ctx_field_code(
		    ctx, name, "date", "%s",
		    date_input_why(
		        json_object_get_string(v),
		        arena_printf(ctx->arena,
		                     "Дата в виде ДД.ММ.ГГГГ или ГГГГ-ММ-ДД с %d по %d год",
		                     DATE_MIN_YEAR, DATE_MAX_YEAR)));
	return 0;
}

int worktime_arg_month(struct ctx *ctx, const char *name, int *year, int *month)
{
	json_object *v = jsonx_get(ctx->args, name);

	if (v == NULL)
		return ctx_field_code(ctx, name, "required", "Обязательное поле");
	if (!json_object_is_type(v, json_type_string) ||
	    date_parse_month(json_object_get_string(v), year, month) < 0)
		return ctx_field_code(ctx, name, "month", "Месяц в виде ГГГГ-ММ с %d по %d год",
		                      DATE_MIN_YEAR, DATE_MAX_YEAR);
	return 0;
}

int worktime_hours(json_object *v, int32_t max, int32_t *out)
{
	int32_t h;

	if (v == NULL ||
	    !(json_object_is_type(v, json_type_int) || json_object_is_type(v, json_type_double) ||
	      json_object_is_type(v, json_type_string)))
		return -1;
	/* a parsed number keeps its text (hours.h); "7,2" is accepted too */
	if (hours_parse_input(json_object_get_string(v), &h) < 0 || h > max)
		return -1;
	*out = h;
	return 0;
}

json_object *worktime_hours_json(int32_t hundredths)
{
	char text[HOURS_BUFSZ];

	if (hundredths % 100 == 0)
		return json_object_new_int64(hundredths / 100);
	hours_format(hundredths, text);
	return json_tokener_parse(text); /* a number printed as its exact text */
}

const char *worktime_hours_ru(struct ctx *ctx, int32_t hundredths)
{
	char text[HOURS_BUFSZ], *dot;

	hours_format(hundredths, text);
	if ((dot = strchr(text, '.')) != NULL)
		*dot = ',';
	return arena_strdup(ctx->arena, text);
}

const char *worktime_date_iso(struct ctx *ctx, int date)
{
	char *s = arena_alloc(ctx->arena, DATE_BUFSZ);

	date_format(date, s);
	return s;
}

const char *worktime_date_ru(struct ctx *ctx, int date)
{
	char *s = arena_alloc(ctx->arena, DATE_BUFSZ);

	date_format_ru(date, s);
	return s;
}

int worktime_pg_date(PGresult *res, int row, int col)
{
	int d;

	if (PQgetisnull(res, row, col) || date_parse(PQgetvalue(res, row, col), &d) < 0)
		return DATE_NONE;
	return d;
}

/* The candidates a prefix search offers at most, in its refusal. */
#define WORKTIME_PREFIX_SHOWN 5

/*
 * A text that is neither a personnel number nor a whole full name: the
 * start of one («Петров», «Петров С», any case, ё as е), as the pickers'
 * suggestions find people. Whole words first: «Петров» is Петров Сергей
 * Иванович even beside Петрова Анна. One person: *out; nobody: not found;
 * several: 422 naming them (up to WORKTIME_PREFIX_SHOWN, with their
 * personnel numbers).
 */
static int worktime_employee_by_prefix(struct ctx *ctx, const char *text_name, const char *text,
                                       int64_t *out)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "WITH t AS (SELECT replace(replace(replace(translate(lower(regexp_replace(btrim($2), "
	    "'\\s+', ' ', 'g')), 'ё', 'е'), '\\', '\\\\'), '%', '\\%'), '_', '\\_') AS p) "
	    "SELECT e.id, e.full_name, coalesce(e.personnel_number, ''), e.search_name LIKE t.p || "
	    "' %' FROM employees e CROSS JOIN t WHERE e.tenant_id = $1 AND t.p <> '' AND "
	    "e.search_name LIKE t.p || '%' ORDER BY e.search_name LIKE t.p || ' %' DESC, "
	    "e.search_name, e.id LIMIT $3",
	    ctx_i64(ctx, ctx->tenant_id), text, ctx_i64(ctx, 100));
	struct buf b = BUF_INIT;
	int n, whole = 0, rc;

	if (res == NULL)
		return -1;
	n = PQntuples(res);
	for (int i = 0; i < n; i++)
		whole += strcmp(PQgetvalue(res, i, 3), "t") == 0;
	if (whole > 0)
		n = whole; /* whole words outrank a longer surname */
	if (n == 1) {
		*out = atoll(PQgetvalue(res, 0, 0));
		return 0;
	}
	if (n == 0)
		return ctx_field_code(ctx, text_name, "not_found",
		                      "Сотрудник «%s» не найден: укажите ФИО или табельный номер",
		                      text);
	for (int i = 0; i < n && i < WORKTIME_PREFIX_SHOWN; i++) {
		buf_printf(&b, "%s%s", i ? ", " : "", PQgetvalue(res, i, 1));
		if (*PQgetvalue(res, i, 2))
			buf_printf(&b, " (таб. № %s)", PQgetvalue(res, i, 2));
	}
	if (n > WORKTIME_PREFIX_SHOWN)
		buf_puts(&b, " и другие");
	rc = ctx_field_code(
	    ctx, text_name, "ambiguous",
	    "Найдено %d %s по «%s»: %.*s — уточните ФИО или укажите табельный номер", n,
	    ru_plural(n, "сотрудник", "сотрудника", "сотрудников"), text, (int)b.len, b.data);
	buf_free(&b);
	return rc;
}

int worktime_arg_employee(struct ctx *ctx, const char *id_name, const char *text_name, int required,
                          int64_t *out)
{
	const char *idtext = jsonx_get_str(ctx->args, id_name);
	const char *text = ctx_arg_str(ctx, text_name, 400, 0);
	const char *number = NULL, *mark;
	int n, by_number = 0;
	PGresult *res;

	*out = 0;
	if (jsonx_get(ctx->args, id_name) && !(idtext && !*idtext))
		return ctx_arg_int(ctx, id_name, 1, INT64_MAX, CTX_REQUIRED, out);
	if (text == NULL || !*text) {
		if (!required)
			return ctx->error >= 0 ? -1 : 0;
		return ctx_field_code(ctx, text_name, "required",
		                      "Укажите сотрудника: ФИО или табельный номер");
	}
	/* the picker's label: "Иванова Мария Петровна (таб. № 0001)" */
	if ((mark = strstr(text, "(таб. № ")) != NULL && text[strlen(text) - 1] == ')')
		number = arena_strndup(ctx->arena, mark + strlen("(таб. № "),
		                       strlen(mark + strlen("(таб. № ")) - 1);
	/* every match counts: a personnel number first (the label's, or the
	 * text itself), else the full name; one match or a clear refusal */
	res = ctx_sql(ctx,
	              "SELECT id, personnel_number = btrim($2) FROM employees WHERE tenant_id = $1 "
	              "AND (personnel_number = btrim($2) OR ($3::text IS NULL AND "
	              "lower(regexp_replace(btrim(full_name), '\\s+', ' ', 'g')) = "
	              "lower(regexp_replace(btrim($2), '\\s+', ' ', 'g')))) "
	              "ORDER BY (personnel_number = btrim($2)) DESC NULLS LAST, id LIMIT 100",
	              ctx_i64(ctx, ctx->tenant_id), number ? number : text, number);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	for (int i = 0; i < n; i++)
		by_number += strcmp(PQgetvalue(res, i, 1), "t") == 0;
	if (by_number > 0)
		n = by_number; /* a personnel number outranks a namesake */
	/* nobody by number or whole name: the start of a name (a picker's
	 * label "ФИО (таб. № 0001)" of nobody matches none and is not found) */
	if (n == 0)
		return worktime_employee_by_prefix(ctx, text_name, text, out);
	if (n > 1)
		return ctx_field_code(ctx, text_name, "ambiguous",
		                      "Найдено %d %s с %s — выберите из списка", n,
		                      ru_plural(n, "сотрудник", "сотрудника", "сотрудников"),
		                      by_number ? "таким табельным номером" : "таким ФИО");
	*out = atoll(PQgetvalue(res, 0, 0));
	return 0;
}

int worktime_employee_check(struct ctx *ctx, int64_t id, int lock)
{
	PGresult *res = ctx_sql(ctx,
	                        lock ? "SELECT 1 FROM employees WHERE tenant_id = $1 AND id = $2 "
	                               "FOR UPDATE"
	                             : "SELECT 1 FROM employees WHERE tenant_id = $1 AND id = $2",
	                        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Сотрудник не найден");
	return 0;
}

struct calendar *worktime_employee_calendar(struct ctx *ctx, int64_t employee, int first, int last)
{
	struct calendar *cal;
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT coalesce(s.calendar_id, 0) FROM schedule_assignments a JOIN schedules s ON "
	    "s.tenant_id = a.tenant_id AND s.id = a.schedule_id WHERE a.tenant_id = $1 AND "
	    "a.employee_id = $2 ORDER BY a.date_from <= $3::date DESC, "
	    "CASE WHEN a.date_from <= $3::date THEN a.date_from END DESC, a.date_from LIMIT 1",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), worktime_date_iso(ctx, first));

	if (res == NULL)
		return NULL;
	cal = calendars_load(ctx, PQntuples(res) ? atoll(PQgetvalue(res, 0, 0)) : 0);
	if (cal == NULL ||
	    worktime_cover(ctx, cal, date_year(first), date_year(last), NULL, NULL, "calendar") < 0)
		return NULL;
	return cal;
}

int worktime_vacation_days(struct ctx *ctx, int64_t employee, int from, int to, int *holidays)
{
	struct calendar *cal = worktime_employee_calendar(ctx, employee, from, to);
	int days = 0, skipped = 0;

	if (cal == NULL)
		return -1;
	for (int d = from; d <= to; d++) {
		if (CALENDAR_KIND(calendar_day(cal, d)) == CALENDAR_HOLIDAY)
			skipped++;
		else
			days++;
	}
	if (holidays)
		*holidays = skipped;
	return days;
}

int worktime_employment(struct ctx *ctx, int64_t id, int *hired, int *dismissed)
{
	PGresult *res =
	    ctx_sql(ctx, "SELECT hired, dismissed FROM employees WHERE tenant_id = $1 AND id = $2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Сотрудник не найден");
	*hired = worktime_pg_date(res, 0, 0);
	*dismissed = worktime_pg_date(res, 0, 1);
	return 0;
}

const char *worktime_outside_employment(struct ctx *ctx, int date, int hired, int dismissed)
{
	if (hired != DATE_NONE && date < hired)
		return arena_printf(ctx->arena, "%s — вне периода работы сотрудника: принят %s",
		                    worktime_date_ru(ctx, date), worktime_date_ru(ctx, hired));
	return arena_printf(ctx->arena, "%s — вне периода работы сотрудника: уволен %s",
	                    worktime_date_ru(ctx, date), worktime_date_ru(ctx, dismissed));
}

const char *worktime_document_title(int code)
{
	static const struct {
		int code;
		const char *title;
	} titles[] = {
	    {T13_B, "Больничный"},
	    {T13_T, "Больничный без пособия"},
	    {T13_OT, "Отпуск основной"},
	    {T13_OD, "Отпуск дополнительный"},
	    {T13_DO, "Отпуск без сохранения оплаты"},
	    {T13_OZ, "Отпуск без сохранения оплаты по закону"},
	    {T13_DB, "Дополнительный отпуск без оплаты"},
	    {T13_U, "Учебный отпуск"},
	    {T13_UD, "Учебный отпуск без оплаты"},
	    {T13_R, "Отпуск по беременности и родам"},
	    {T13_OZH, "Отпуск по уходу за ребёнком"},
	    {T13_K, "Командировка"},
	    {T13_NN, "Неявка по невыясненным причинам"},
	    {T13_PR, "Прогул"},
	    {T13_RP, "Простой по вине работодателя"},
	    {T13_NP, "Простой по независящим причинам"},
	    {T13_VP, "Простой по вине работника"},
	    {T13_S, "Сверхурочная работа"},
	    {T13_RV, "Работа в выходной день"},
	    {T13_N, "Работа в ночное время"},
	};
	const struct t13_code *c;

	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (titles[i].code == code)
			return titles[i].title;
	c = t13_get(code);
	return c ? c->meaning : "Документ";
}

/* ---- calendars ---- */

int worktime_cover(struct ctx *ctx, struct calendar *cal, int first, int last, int *years, int *n,
                   const char *field)
{
	for (int y = first; y <= last; y++) {
		int rc = calendar_cover(cal, y), seen = 0;

		if (rc < 0) {
			char msg[CALENDAR_NOTE_BUFSZ];

			calendar_missing_note(y, msg, sizeof(msg));
			return ctx_field_code(ctx, field, "calendar", "%s", msg);
		}
		if (rc == 0 || years == NULL)
			continue;
		for (int k = 0; k < *n; k++)
			seen |= years[k] == y;
		if (!seen && *n < 8)
			years[(*n)++] = y;
	}
	return 0;
}

void worktime_note_calendar(struct ctx *ctx, const struct worktime_month *m, json_object *o)
{
	json_object *years, *notes;

	(void)ctx;
	if (m->nprovisional == 0)
		return;
	years = json_object_new_array();
	notes = json_object_new_array();
	for (int i = 0; i < m->nprovisional; i++) {
		char msg[CALENDAR_NOTE_BUFSZ];

		calendar_provisional_note(m->provisional[i], msg, sizeof(msg));
		json_object_array_add(years, json_object_new_int(m->provisional[i]));
		json_object_array_add(notes, json_object_new_string(msg));
	}
	json_object_object_add(o, "provisional_calendar", years);
	json_object_object_add(o, "calendar_warnings", notes);
}

/* ---- the month ---- */

struct worktime_employee *worktime_find(struct worktime_month *m, int64_t id)
{
	int lo = 0, hi = m->n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (m->emp[mid].id == id)
			return &m->emp[mid];
		if (m->emp[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/* "{1,2,3}" of the ids, or NULL for all. */
static const char *worktime_id_array(struct ctx *ctx, const int64_t *ids, int nids)
{
	struct buf b = BUF_INIT;
	const char *s;

	if (nids <= 0)
		return NULL;
	buf_putc(&b, '{');
	for (int i = 0; i < nids; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&b, '}');
	s = arena_strndup(ctx->arena, b.data, b.len);
	buf_free(&b);
	return s;
}

/* Parses "{800,720,...}" into out[0..n). 0 when exactly n integers. */
static int worktime_int_array(const char *s, int32_t *out, int n)
{
	int i = 0;
	char *end;

	if (*s++ != '{')
		return -1;
	while (*s && *s != '}') {
		long v = strtol(s, &end, 10);
		if (end == s || i >= n)
			return -1;
		out[i++] = (int32_t)v;
		s = *end == ',' ? end + 1 : end;
	}
	return i == n ? 0 : -1;
}

static int worktime_load_employees(struct ctx *ctx, struct worktime_month *m, const char *tenant,
                                   const char *ids, int nids, const char *first, const char *last)
{
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT id, full_name, coalesce(personnel_number, ''), coalesce(position, ''), "
	            "hired, dismissed FROM employees WHERE tenant_id = $1 AND "
	            "($2::bigint[] IS NULL OR id = ANY ($2::bigint[])) AND "
	            "($2::bigint[] IS NOT NULL OR ((hired IS NULL OR hired <= $4::date) AND "
	            "(dismissed IS NULL OR dismissed >= $3::date))) ORDER BY id",
	            tenant, ids, first, last);

	if (res == NULL)
		return -1;
	m->n = PQntuples(res);
	if (nids > 0 && m->n != nids)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Сотрудник не найден");
	m->emp = arena_alloc(ctx->arena, sizeof(*m->emp) * (size_t)(m->n ? m->n : 1));
	memset(m->emp, 0, sizeof(*m->emp) * (size_t)(m->n ? m->n : 1));
	for (int i = 0; i < m->n; i++) {
		struct worktime_employee *e = &m->emp[i];
		e->id = atoll(PQgetvalue(res, i, 0));
		e->full_name = PQgetvalue(res, i, 1);
		e->personnel_number = PQgetvalue(res, i, 2);
		e->position = PQgetvalue(res, i, 3);
		e->hired = worktime_pg_date(res, i, 4);
		e->dismissed = worktime_pg_date(res, i, 5);
		e->uncovered = DATE_NONE;
		e->error_date = DATE_NONE;
		e->in.year = m->year;
		e->in.month = m->month;
		e->in.terms.hired = e->hired;
		e->in.terms.dismissed = e->dismissed;
		e->in.terms.pay_by = PAYROLL_BY_DAYS;
	}
	return 0;
}

/* Schedules, assignments and calendars; then individual schedules. */
static int worktime_load_plans(struct ctx *ctx, struct worktime_month *m, const char *tenant,
                               const char *ids, const char *first, const char *last)
{
	struct schedules_calendars cache = {0};
	int64_t *sched_cal;
	PGresult *as, *sc, *ind;
	int na;

	as = ctx_sql(ctx,
	             "SELECT a.employee_id, a.schedule_id, a.date_from FROM schedule_assignments a "
	             "WHERE a.tenant_id = $1 AND ($2::bigint[] IS NULL OR a.employee_id = ANY "
	             "($2::bigint[])) AND a.date_from <= $4::date AND (a.date_from >= $3::date OR "
	             "a.date_from = (SELECT max(b.date_from) FROM schedule_assignments b "
	             "WHERE b.tenant_id = a.tenant_id AND b.employee_id = a.employee_id "
	             "AND b.date_from <= $3::date)) ORDER BY a.employee_id, a.date_from",
	             tenant, ids, first, last);
	if (as == NULL)
		return -1;
	sc = ctx_sql(
	    ctx,
	    "SELECT id, kind, holidays, cycle_start, pattern, coalesce(calendar_id, 0), name "
	    "FROM schedules WHERE tenant_id = $1 AND id IN (SELECT a.schedule_id FROM "
	    "schedule_assignments a WHERE a.tenant_id = $1 AND ($2::bigint[] IS NULL OR "
	    "a.employee_id = ANY ($2::bigint[])) AND a.date_from <= $3::date) ORDER BY id",
	    tenant, ids, last);
	if (sc == NULL)
		return -1;
	m->nschedules = PQntuples(sc);
	m->schedules = arena_alloc(ctx->arena, sizeof(*m->schedules) * (size_t)(m->nschedules + 1));
	m->schedule_ids = arena_alloc(ctx->arena, sizeof(int64_t) * (size_t)(m->nschedules + 1));
	sched_cal = arena_alloc(ctx->arena, sizeof(int64_t) * (size_t)(m->nschedules + 1));
	for (int i = 0; i < m->nschedules; i++) {
		m->schedule_ids[i] = atoll(PQgetvalue(sc, i, 0));
		sched_cal[i] = atoll(PQgetvalue(sc, i, 5));
		if (schedules_from_row(ctx, PQgetvalue(sc, i, 1), PQgetvalue(sc, i, 2),
		                       PQgetisnull(sc, i, 3) ? NULL : PQgetvalue(sc, i, 3),
		                       PQgetvalue(sc, i, 4), &m->schedules[i]) < 0)
			return -1;
		m->schedules[i].name = PQgetvalue(sc, i, 6);
	}

	/* each employee's assignments in force in the month, by schedule index */
	na = PQntuples(as);
	struct payroll_assignment *asg = arena_alloc(ctx->arena, sizeof(*asg) * (size_t)(na + 1));
	for (int r = 0, k = 0; r < na; r++) {
		struct worktime_employee *e = worktime_find(m, atoll(PQgetvalue(as, r, 0)));
		int64_t sid = atoll(PQgetvalue(as, r, 1));
		int lo = 0, hi = m->nschedules - 1, idx = -1;

		while (lo <= hi && idx < 0) {
			int mid = (lo + hi) / 2;
			if (m->schedule_ids[mid] == sid)
				idx = mid;
			else if (m->schedule_ids[mid] < sid)
				lo = mid + 1;
			else
				hi = mid - 1;
		}
		if (e == NULL || idx < 0)
			continue;
		if (e->in.nassignments == 0) {
			e->in.assignments = &asg[k];
			e->calendar_id = sched_cal[idx];
		}
		asg[k++] = (struct payroll_assignment){worktime_pg_date(as, r, 2), idx};
		e->in.nassignments++;
	}

	ind = ctx_sql(
	    ctx,
	    "SELECT employee_id, hours, night FROM individual_schedules WHERE tenant_id = $1 "
	    "AND ($2::bigint[] IS NULL OR employee_id = ANY ($2::bigint[])) "
	    "AND month = $3::date",
	    tenant, ids, first);
	if (ind == NULL)
		return -1;
	for (int r = 0; r < PQntuples(ind); r++) {
		struct worktime_employee *e = worktime_find(m, atoll(PQgetvalue(ind, r, 0)));
		int32_t hours[31], night[31];
		struct schedule_day *days;

		if (e == NULL || worktime_int_array(PQgetvalue(ind, r, 1), hours, m->ndays) < 0 ||
		    worktime_int_array(PQgetvalue(ind, r, 2), night, m->ndays) < 0)
			continue;
		days = arena_alloc(ctx->arena, sizeof(*days) * (size_t)m->ndays);
		for (int d = 0; d < m->ndays; d++)
			days[d] = (struct schedule_day){hours[d], night[d], 0};
		e->in.individual = days;
	}

	/* every employee's calendar: the one of the schedule in force at the
	 * month's start (the engine plans the month with it) */
	for (int i = 0; i < m->n; i++) {
		struct worktime_employee *e = &m->emp[i];
		struct calendar *cal;

		e->in.schedules = m->schedules;
		e->in.nschedules = m->nschedules;
		e->scheduled = e->in.nassignments > 0 || e->in.individual != NULL;
		for (int k = 1; k < e->in.nassignments; k++)
			if (e->in.assignments[k].from <= m->first)
				e->calendar_id = sched_cal[e->in.assignments[k].schedule];
		cal = schedules_calendar(ctx, &cache, ctx_i64(ctx, e->calendar_id));
		/* the month's year (and the next one: vacations paid in this month) */
		if (cal == NULL ||
		    worktime_cover(ctx, cal, m->year, m->month == 12 ? m->year + 1 : m->year,
		                   m->provisional, &m->nprovisional, "month") < 0)
			return -1;
		e->in.calendar = cal;
	}
	return 0;
}

/* Deviation documents touching the month, and vacations paid in it. */
static int worktime_load_deviations(struct ctx *ctx, struct worktime_month *m, const char *tenant,
                                    const char *ids, const char *first, const char *last)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT employee_id, id, code, date_from, date_to, coalesce(hours, 0), paid, "
	    "coalesce(cause, 'illness') FROM deviations WHERE tenant_id = $1 AND ($2::bigint[] IS "
	    "NULL OR employee_id = ANY ($2::bigint[])) AND ((date_from <= $4::date AND date_to >= "
	    "$3::date) OR (code IN (9, 10) AND coalesce(paid, date_from - 3) BETWEEN $3::date AND "
	    "$4::date)) ORDER BY employee_id, date_from, id",
	    tenant, ids, first, last);
	int n;

	if (res == NULL)
		return -1;
	n = PQntuples(res);
	struct payroll_deviation *dv = arena_alloc(ctx->arena, sizeof(*dv) * (size_t)(n + 1));
	int64_t *dids = arena_alloc(ctx->arena, sizeof(int64_t) * (size_t)(n + 1));
	for (int r = 0; r < n; r++) {
		struct worktime_employee *e = worktime_find(m, atoll(PQgetvalue(res, r, 0)));
		int cause = 0;

		if (e == NULL)
			continue;
		if (e->in.ndeviations == 0) {
			e->in.deviations = &dv[r];
			e->deviation_ids = &dids[r];
		}
		for (int c = 0; average_cause_names[c]; c++)
			if (strcmp(average_cause_names[c], PQgetvalue(res, r, 7)) == 0)
				cause = c;
		dv[r] = (struct payroll_deviation){
		    atoi(PQgetvalue(res, r, 2)), worktime_pg_date(res, r, 3),
		    worktime_pg_date(res, r, 4), atoi(PQgetvalue(res, r, 5)),
		    worktime_pg_date(res, r, 6), (enum average_cause)cause};
		dids[r] = atoll(PQgetvalue(res, r, 1));
		e->in.ndeviations++;
	}
	return 0;
}

static int worktime_load_posted(struct ctx *ctx, struct worktime_month *m, const char *tenant,
                                const char *ids, const char *first)
{
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT t.employee_id, t.id, r.date, r.code, r.hours FROM timesheets t "
	            "LEFT JOIN timesheet_rows r ON r.tenant_id = t.tenant_id AND "
	            "r.timesheet_id = t.id WHERE t.tenant_id = $1 AND ($2::bigint[] IS NULL "
	            "OR t.employee_id = ANY ($2::bigint[])) AND t.month = $3::date AND "
	            "t.status = 'posted' ORDER BY t.employee_id, r.date, r.code",
	            tenant, ids, first);
	int n;

	if (res == NULL)
		return -1;
	n = PQntuples(res);
	struct payroll_time *rows = arena_alloc(ctx->arena, sizeof(*rows) * (size_t)(n + 1));
	for (int r = 0, k = 0; r < n; r++) {
		struct worktime_employee *e = worktime_find(m, atoll(PQgetvalue(res, r, 0)));

		if (e == NULL)
			continue;
		if (e->timesheet_id == 0) { /* the document replaces the plan */
			e->timesheet_id = atoll(PQgetvalue(res, r, 1));
			e->in.has_timesheet = 1;
			e->in.timesheet = &rows[k];
		}
		if (PQgetisnull(res, r, 2)) /* a posted timesheet without rows */
			continue;
		rows[k++] =
		    (struct payroll_time){worktime_pg_date(res, r, 2), atoi(PQgetvalue(res, r, 3)),
		                          atoi(PQgetvalue(res, r, 4))};
		e->in.ntimesheet++;
	}
	return 0;
}

/* The T-13 days of every employee by the engine's rules. */
static void worktime_days(struct ctx *ctx, struct worktime_month *m)
{
	for (int i = 0; i < m->n; i++) {
		struct worktime_employee *e = &m->emp[i];
		struct payroll_error err;

		e->days = arena_alloc(ctx->arena, sizeof(*e->days) * (size_t)m->ndays);
		memset(e->days, 0, sizeof(*e->days) * (size_t)m->ndays);
		for (int d = 0; d < m->ndays; d++) {
			int date = m->first + d;
			e->days[d].date = date;
			if ((e->hired == DATE_NONE || date >= e->hired) &&
			    (e->dismissed == DATE_NONE || date <= e->dismissed))
				e->days[d].flags |= WORKDAY_EMPLOYED;
		}
		if (!e->scheduled) {
			for (int d = 0; d < m->ndays; d++)
				if ((e->days[d].flags & WORKDAY_EMPLOYED) &&
				    e->uncovered == DATE_NONE)
					e->uncovered = m->first + d;
			continue;
		}
		if (payroll_days(&e->in, e->days, &err) != 0) {
			e->error = arena_strdup(ctx->arena, err.message);
			e->error_date = err.date;
			continue;
		}
		for (int d = 0; d < m->ndays; d++) {
			struct workday *day = &e->days[d];

			if ((day->flags & WORKDAY_EMPLOYED) && !(day->flags & WORKDAY_PLANNED) &&
			    e->uncovered == DATE_NONE)
				e->uncovered = day->date;
			if (day->deviation_id > 0 && day->deviation_id <= e->in.ndeviations)
				day->deviation_id = e->deviation_ids[day->deviation_id - 1];
		}
	}
}

int worktime_month_load(struct ctx *ctx, int year, int month, const int64_t *ids, int nids,
                        unsigned flags, struct worktime_month *out)
{
	const char *tenant = ctx_i64(ctx, ctx->tenant_id),
	           *idarr = worktime_id_array(ctx, ids, nids);
	const char *first, *last;

	memset(out, 0, sizeof(*out));
	out->year = year;
	out->month = month;
	out->first = date_month_first(year, month);
	out->last = date_month_last(year, month);
	out->ndays = out->last - out->first + 1;
	first = worktime_date_iso(ctx, out->first);
	last = worktime_date_iso(ctx, out->last);
	if (worktime_load_employees(ctx, out, tenant, idarr, nids, first, last) < 0 ||
	    worktime_load_plans(ctx, out, tenant, idarr, first, last) < 0 ||
	    worktime_load_deviations(ctx, out, tenant, idarr, first, last) < 0)
		return -1;
	if ((flags & WORKTIME_POSTED) && worktime_load_posted(ctx, out, tenant, idarr, first) < 0)
		return -1;
	if (!(flags & WORKTIME_NO_DAYS))
		worktime_days(ctx, out);
	return 0;
}

int worktime_plan_days(struct ctx *ctx, int year, int month, int64_t employee,
                       struct workday **days, int *ndays)
{
	struct worktime_month m;
	struct worktime_employee *e;
	struct payroll_input in;
	struct payroll_error err;

	if (worktime_month_load(ctx, year, month, &employee, 1, WORKTIME_NO_DAYS, &m) < 0)
		return -1;
	*ndays = m.ndays;
	*days = arena_alloc(ctx->arena, sizeof(**days) * (size_t)m.ndays);
	memset(*days, 0, sizeof(**days) * (size_t)m.ndays);
	for (int d = 0; d < m.ndays; d++)
		(*days)[d].date = m.first + d;
	e = worktime_find(&m, employee);
	if (e == NULL || !e->scheduled)
		return 0;
	in = e->in;
	in.deviations = NULL;
	in.ndeviations = 0;
	in.has_timesheet = 0;
	in.timesheet = NULL;
	in.ntimesheet = 0;
	if (payroll_days(&in, *days, &err) != 0) {
		/* the plan itself cannot be read: nothing planned is known */
		memset(*days, 0, sizeof(**days) * (size_t)m.ndays);
		for (int d = 0; d < m.ndays; d++)
			(*days)[d].date = m.first + d;
	}
	return 0;
}

/* ------------------------------------------------- overtime limits */

/* The sentence of one excess (row r of worktime_overtime_rows()). */
static const char *worktime_overtime_text(struct ctx *ctx, PGresult *res, int r)
{
	int from = worktime_pg_date(res, r, 2), to = worktime_pg_date(res, r, 3);
	int32_t h = atoi(PQgetvalue(res, r, 4));

	if (strcmp(PQgetvalue(res, r, 1), "year") == 0)
		return arena_printf(
		    ctx->arena,
		    "Сверхурочная работа за %d г. — %s ч: больше 120 ч в год (с %s; "
		    "ст. 99 ТК РФ)",
		    date_year(from), worktime_hours_ru(ctx, h), worktime_date_ru(ctx, from));
	return arena_printf(ctx->arena,
	                    "Сверхурочная работа %s и %s — %s ч: больше 4 ч за два дня подряд "
	                    "(ст. 99 ТК РФ)",
	                    worktime_date_ru(ctx, from), worktime_date_ru(ctx, to),
	                    worktime_hours_ru(ctx, h));
}

static PGresult *worktime_overtime_rows(struct ctx *ctx, int year, int64_t employee,
                                        int64_t timesheet)
{
	return ctx_sql(ctx,
	               "SELECT employee_id, kind, date_from, date_to, hours FROM "
	               "overtime_over_limits($1, $2::int, nullif($3, '0')::bigint, nullif($4, "
	               "'0')::bigint) ORDER BY employee_id, kind DESC, date_from",
	               ctx_i64(ctx, ctx->tenant_id), arena_printf(ctx->arena, "%d", year),
	               ctx_i64(ctx, employee), ctx_i64(ctx, timesheet));
}

int worktime_overtime_warnings(struct ctx *ctx, int64_t employee, int64_t timesheet, int from,
                               int to, json_object *warnings)
{
	for (int y = date_year(from); y <= date_year(to); y++) {
		PGresult *res = worktime_overtime_rows(ctx, y, employee, timesheet);

		if (res == NULL)
			return -1;
		for (int i = 0; i < PQntuples(res); i++) {
			const char *kind = PQgetvalue(res, i, 1);
			int a = worktime_pg_date(res, i, 2), b = worktime_pg_date(res, i, 3);
			json_object *w;

			if (strcmp(kind, "two_days") == 0 && (a > to || b < from))
				continue;
			/* 31 Dec + 1 Jan is a pair of both years: said once */
			if (strcmp(kind, "two_days") == 0 && y > date_year(from) &&
			    date_year(a) < y)
				continue;
			w = json_object_new_object();
			jsonx_set_str(w, "code", "overtime_limit");
			jsonx_set_str(w, "kind", kind);
			jsonx_set_str(w, "date_from", worktime_date_iso(ctx, a));
			jsonx_set_str(
			    w, "message",
			    arena_printf(ctx->arena,
			                 "%s. Сохранено и будет оплачено: соблюдать предел — "
			                 "обязанность работодателя",
			                 worktime_overtime_text(ctx, res, i)));
			json_object_array_add(warnings, w);
		}
	}
	return 0;
}

int worktime_overtime_marks(struct ctx *ctx, int year, int month, json_object *employees,
                            json_object *o)
{
	int first = date_month_first(year, month), last = date_month_last(year, month), count = 0;
	PGresult *res = worktime_overtime_rows(ctx, year, 0, 0);
	size_t n = employees ? json_object_array_length(employees) : 0;

	if (res == NULL)
		return -1;
	for (size_t k = 0; k < n; k++) {
		json_object *e = json_object_array_get_idx(employees, k);
		json_object *idv = jsonx_get(e, "id");
		int64_t id = idv ? json_object_get_int64(idv) : 0;
		struct buf b = BUF_INIT;

		for (int i = 0; i < PQntuples(res); i++) {
			int a = worktime_pg_date(res, i, 2), z = worktime_pg_date(res, i, 3);

			if (atoll(PQgetvalue(res, i, 0)) != id)
				continue;
			if (strcmp(PQgetvalue(res, i, 1), "year") == 0 ? a > last
			                                               : (a > last || z < first))
				continue;
			buf_printf(&b, "%s%s", b.len ? ". " : "",
			           worktime_overtime_text(ctx, res, i));
		}
		if (b.len) {
			jsonx_set_str(e, "overtime_limit_ru",
			              arena_strndup(ctx->arena, b.data, b.len));
			count++;
		}
		buf_free(&b);
	}
	if (o)
		jsonx_set_int(o, "overtime_limit_count", count);
	return 0;
}
