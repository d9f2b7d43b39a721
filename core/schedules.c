/*
 * schedules.c - work schedules (графики работы) of a tenant: create, change,
 * list, the days of a year; assignment to employees from a date; individual
 * monthly schedules that replace the assigned ones for a month.
 *
 * A schedule's days travel as "days": [{"hours": 8, "night": 0}, ...]: 7 of
 * them (Monday..Sunday) for a week, 1..366 for a cycle whose first day falls
 * on cycle_start. Hours are JSON numbers with at most two decimals (7.2);
 * the table keeps hundredths (hours.h).
 */
#include "schedules.h"

#include "audit.h"
#include "calendars.h"
#include "date.h"
#include "hours.h"
#include "jsonx.h"
#include "log.h"
#include "ops.h"
#include "org.h"
#include "payrun.h"
#include "ru.h"
#include "worktime.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SCHEDULES_COLUMNS                                                                          \
	"id, name, kind, holidays, cycle_start, pattern, week_hours, calendar_id, archived"

int schedules_from_row(struct ctx *ctx, const char *kind, const char *holidays,
                       const char *cycle_start, const char *pattern, struct schedule *out)
{
	json_object *arr = json_tokener_parse(pattern);
	struct schedule_day *days;
	size_t n;

	memset(out, 0, sizeof(*out));
	if (arr == NULL || !json_object_is_type(arr, json_type_array) ||
	    (n = json_object_array_length(arr)) == 0 || n > SCHEDULE_MAX_PATTERN)
		goto bad;
	days = arena_alloc(ctx->arena, n * sizeof(*days));
	for (size_t i = 0; i < n; i++) {
		json_object *pair = json_object_array_get_idx(arr, i);
		if (!json_object_is_type(pair, json_type_array) ||
		    json_object_array_length(pair) != 2)
			goto bad;
		days[i].hours = json_object_get_int(json_object_array_get_idx(pair, 0));
		days[i].night = json_object_get_int(json_object_array_get_idx(pair, 1));
	}
	json_object_put(arr);
	arr = NULL; /* put once: the checks below may still goto bad */
	out->kind = strcmp(kind, "cycle") == 0 ? SCHEDULE_CYCLE : SCHEDULE_WEEK;
	out->holidays =
	    strcmp(holidays, "ignore") == 0 ? SCHEDULE_HOLIDAYS_IGNORE : SCHEDULE_HOLIDAYS_CALENDAR;
	out->start = DATE_NONE;
	if (cycle_start && date_parse(cycle_start, &out->start) < 0)
		goto bad;
	out->pattern = days;
	out->npattern = (int)n;
	if (schedule_check(out) != NULL)
		goto bad;
	return 0;
bad:
	json_object_put(arr);
	log_error("schedule_stored_invalid", "kind=%s", kind);
	return ctx_fail(ctx, PROTO_ERR_internal, NULL);
}

struct calendar *schedules_calendar(struct ctx *ctx, struct schedules_calendars *cache,
                                    const char *calendar_id)
{
	const char *key = calendar_id && *calendar_id ? calendar_id : "0";
	struct calendar *cal;

	for (int i = 0; i < cache->n; i++)
		if (strcmp(cache->id[i], key) == 0)
			return cache->cal[i];
	cal = calendars_load(ctx, atoll(key));
	if (cal && cache->n < (int)(sizeof(cache->id) / sizeof(cache->id[0]))) {
		cache->id[cache->n] = arena_strdup(ctx->arena, key);
		cache->cal[cache->n++] = cal;
	}
	return cal;
}

/* ---- reading ---- */

static json_object *schedules_json(struct ctx *ctx, PGresult *res, int r)
{
	json_object *o = json_object_new_object(), *days = json_object_new_array();
	json_object *pattern = json_tokener_parse(PQgetvalue(res, r, 5));

	jsonx_set_int(o, "id", atoll(PQgetvalue(res, r, 0)));
	jsonx_set_str(o, "name", PQgetvalue(res, r, 1));
	jsonx_set_str(o, "kind", PQgetvalue(res, r, 2));
	jsonx_set_str(o, "kind_title",
	              strcmp(PQgetvalue(res, r, 2), "week") == 0 ? "пятидневка / по дням недели"
	                                                         : "сменный (цикл)");
	jsonx_set_str(o, "holidays", PQgetvalue(res, r, 3));
	jsonx_set_str(o, "holidays_title",
	              strcmp(PQgetvalue(res, r, 3), "ignore") == 0
	                  ? "не учитываются"
	                  : "по производственному календарю");
	jsonx_set_str(o, "cycle_start", PQgetisnull(res, r, 4) ? NULL : PQgetvalue(res, r, 4));
	jsonx_set_str(o, "cycle_start_ru",
	              PQgetisnull(res, r, 4) ? NULL
	                                     : worktime_date_ru(ctx, worktime_pg_date(res, r, 4)));
	for (size_t i = 0; pattern && i < json_object_array_length(pattern); i++) {
		json_object *pair = json_object_array_get_idx(pattern, i),
		            *d = json_object_new_object();
		int32_t h = json_object_get_int(json_object_array_get_idx(pair, 0));
		int32_t n = json_object_get_int(json_object_array_get_idx(pair, 1));
		json_object_object_add(d, "hours", worktime_hours_json(h));
		json_object_object_add(d, "night", worktime_hours_json(n));
		jsonx_set_str(d, "hours_ru", worktime_hours_ru(ctx, h));
		json_object_array_add(days, d);
	}
	json_object_put(pattern);
	json_object_object_add(o, "days", days);
	json_object_object_add(o, "week_hours", worktime_hours_json(atoi(PQgetvalue(res, r, 6))));
	jsonx_set_str(o, "week_hours_ru", worktime_hours_ru(ctx, atoi(PQgetvalue(res, r, 6))));
	if (PQgetisnull(res, r, 7))
		json_object_object_add(o, "calendar_id", NULL);
	else
		jsonx_set_int(o, "calendar_id", atoll(PQgetvalue(res, r, 7)));
	jsonx_set_bool(o, "archived", strcmp(PQgetvalue(res, r, 8), "t") == 0);
	return o;
}

static PGresult *schedules_fetch(struct ctx *ctx, int64_t id)
{
	PGresult *res = ctx_sql(ctx,
	                        "SELECT " SCHEDULES_COLUMNS " FROM schedules "
	                        "WHERE tenant_id = $1 AND id = $2",
	                        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));

	if (res && PQntuples(res) == 0) {
		ctx_fail(ctx, PROTO_ERR_not_found, "График работы не найден");
		return NULL;
	}
	return res;
}

/* GET /api/admin/schedules */
static int schedules_list(struct ctx *ctx)
{
	json_object *items = json_object_new_array();
	PGresult *res = ctx_sql(ctx,
	                        "SELECT " SCHEDULES_COLUMNS " FROM schedules WHERE tenant_id = $1 "
	                        "ORDER BY archived, lower(name)",
	                        ctx_i64(ctx, ctx->tenant_id));

	json_object_object_add(ctx_result(ctx), "schedules", items);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++)
		json_object_array_add(items, schedules_json(ctx, res, r));
	return 0;
}

/* GET /api/admin/schedules/{id} */
static int schedules_get(struct ctx *ctx)
{
	int64_t id;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0 ||
	    (res = schedules_fetch(ctx, id)) == NULL)
		return -1;
	json_object_object_add(ctx_result(ctx), "schedule", schedules_json(ctx, res, 0));
	return 0;
}

/* ---- writing ---- */

struct schedules_input {
	const char *name, *kind, *holidays, *cycle_start, *pattern, *week_hours, *calendar_id;
	int archived;
};

/* The days of an HTML form: "hours[]" and "night[]" lists of text (empty =
 * 0; a cycle ends at its last non-empty day). NULL when there is none. */
static json_object *schedules_form_days(struct ctx *ctx)
{
	json_object *hours = jsonx_get(ctx->args, "hours"), *night = jsonx_get(ctx->args, "night");
	json_object *days;
	const char *kind = jsonx_get_str(ctx->args, "kind");
	size_t n;

	if (hours == NULL || !json_object_is_type(hours, json_type_array))
		return NULL;
	n = json_object_array_length(hours);
	if (kind && strcmp(kind, "cycle") == 0)
		while (n > 0) {
			/* a JSON null element has no string: empty too */
			const char *h =
			    json_object_get_string(json_object_array_get_idx(hours, n - 1));
			if (h && *h)
				break;
			n--;
		}
	days = arena_own(ctx->arena, json_object_new_array());
	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_new_object();
		const char *h = json_object_get_string(json_object_array_get_idx(hours, i));
		const char *nt = night && json_object_is_type(night, json_type_array)
		                     ? json_object_get_string(json_object_array_get_idx(night, i))
		                     : NULL;
		jsonx_set_str(d, "hours", h && *h ? h : "0");
		if (nt && *nt)
			jsonx_set_str(d, "night", nt);
		json_object_array_add(days, d);
	}
	return days;
}

/* Reads and checks the fields of a schedule; field errors for all of them. */
static int schedules_read(struct ctx *ctx, int64_t self, struct schedules_input *in)
{
	json_object *days = jsonx_get(ctx->args, "days"), *wh = jsonx_get(ctx->args, "week_hours");
	struct schedule_day *pattern = NULL;
	struct schedule s = {0};
	int start = DATE_NONE, bad = 0;
	int64_t calendar_id = 0;
	int32_t week_hours = CALENDAR_WEEK_40;
	size_t n = 0;

	memset(in, 0, sizeof(*in));
	if (days == NULL)
		days = schedules_form_days(ctx);
	if (wh && json_object_is_type(wh, json_type_string) && json_object_get_string_len(wh) == 0)
		wh = NULL;
	in->name = ctx_arg_str(ctx, "name", 200, 1);
	in->kind = ctx_arg_str(ctx, "kind", 10, 0);
	in->holidays = ctx_arg_str(ctx, "holidays", 10, 0);
	if (in->kind == NULL)
		in->kind = "week";
	if (in->holidays == NULL)
		in->holidays = "calendar";
	if (strcmp(in->kind, "week") != 0 && strcmp(in->kind, "cycle") != 0)
		bad = ctx_field_code(ctx, "kind", "invalid", "Вид графика: week или cycle");
	if (strcmp(in->holidays, "calendar") != 0 && strcmp(in->holidays, "ignore") != 0)
		bad = ctx_field_code(ctx, "holidays", "invalid",
		                     "Праздники: calendar (учитывать) или ignore (не учитывать)");
	if (strcmp(in->kind, "cycle") == 0) {
		if (worktime_arg_date(ctx, "cycle_start", 1, &start) < 0)
			bad = -1;
	} else if (jsonx_get(ctx->args, "cycle_start") &&
	           !json_object_is_type(jsonx_get(ctx->args, "cycle_start"), json_type_null) &&
	           *json_object_get_string(jsonx_get(ctx->args, "cycle_start"))) {
		bad = ctx_field_code(ctx, "cycle_start", "invalid",
		                     "Дата начала цикла задаётся только для сменного графика");
	}
	if (wh &&
	    (worktime_hours(wh, 16800, &week_hours) < 0 || week_hours <= 0 || week_hours % 5 != 0))
		bad = ctx_field_code(ctx, "week_hours", "invalid",
		                     "Часов в неделю: от 0,05 до 168, например 40 или 36");
	if (ctx_arg_int(ctx, "calendar_id", 0, INT64_MAX, 0, &calendar_id) < 0)
		bad = -1;
	if (days == NULL || !json_object_is_type(days, json_type_array) ||
	    (n = json_object_array_length(days)) == 0 || n > SCHEDULE_MAX_PATTERN) {
		bad =
		    ctx_field_code(ctx, "days", "invalid",
		                   "Дни графика: список из 7 дней (пн..вс) или цикла до 366 дней");
		n = 0;
	}
	pattern = arena_alloc(ctx->arena, (n ? n : 1) * sizeof(*pattern));
	for (size_t i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(days, i);
		json_object *night = jsonx_get(d, "night");
		if (worktime_hours(jsonx_get(d, "hours"), SCHEDULE_MAX_DAY, &pattern[i].hours) < 0)
			bad = ctx_field_code(
			    ctx, arena_printf(ctx->arena, "days[%zu].hours", i), "hours",
			    "День %zu: часы от 0 до 24, например 8 или 7,2", i + 1);
		if (night && worktime_hours(night, SCHEDULE_MAX_DAY, &pattern[i].night) < 0)
			bad = ctx_field_code(ctx, arena_printf(ctx->arena, "days[%zu].night", i),
			                     "hours", "День %zu: ночные часы от 0 до 24", i + 1);
		else if (pattern[i].night > pattern[i].hours)
			bad = ctx_field_code(
			    ctx, arena_printf(ctx->arena, "days[%zu].night", i), "night",
			    "День %zu: ночных часов не больше, чем часов за день", i + 1);
	}
	if (in->name == NULL || bad < 0)
		return -1;
	s.kind = strcmp(in->kind, "cycle") == 0 ? SCHEDULE_CYCLE : SCHEDULE_WEEK;
	s.holidays = strcmp(in->holidays, "ignore") == 0 ? SCHEDULE_HOLIDAYS_IGNORE
	                                                 : SCHEDULE_HOLIDAYS_CALENDAR;
	s.start = start;
	s.pattern = pattern;
	s.npattern = (int)n;
	const char *why = schedule_check(&s);
	if (why)
		return ctx_field_code(ctx, "days", "invalid", "%s", why);

	struct buf b = BUF_INIT;
	buf_putc(&b, '[');
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s[%d,%d]", i ? "," : "", pattern[i].hours, pattern[i].night);
	buf_putc(&b, ']');
	in->pattern = arena_strndup(ctx->arena, b.data, b.len);
	buf_free(&b);
	in->cycle_start = start == DATE_NONE ? NULL : worktime_date_iso(ctx, start);
	in->week_hours = ctx_i64(ctx, week_hours);
	in->calendar_id = calendar_id ? ctx_i64(ctx, calendar_id) : NULL;
	if (jsonx_get_bool(ctx->args, "archived", &in->archived) < 0)
		in->archived = 0;
	if (in->calendar_id) {
		PGresult *res =
		    ctx_sql(ctx, "SELECT 1 FROM calendars WHERE tenant_id = $1 AND id = $2",
		            ctx_i64(ctx, ctx->tenant_id), in->calendar_id);
		if (res == NULL)
			return -1;
		if (PQntuples(res) == 0)
			return ctx_field_code(ctx, "calendar_id", "not_found",
			                      "Производственный календарь не найден");
	}
	/* the name is unique in the tenant */
	PGresult *res = ctx_sql(ctx,
	                        "SELECT 1 FROM schedules WHERE tenant_id = $1 AND lower(name) = "
	                        "lower($2) AND id <> coalesce($3::bigint, 0)",
	                        ctx_i64(ctx, ctx->tenant_id), in->name, ctx_i64(ctx, self));
	if (res == NULL)
		return -1;
	if (PQntuples(res))
		return ctx_field_code(ctx, "name", "taken", "График с таким названием уже есть");
	return 0;
}

/* POST /api/admin/schedules (an Idempotency-Key is the dispatcher's) */
static int schedules_create(struct ctx *ctx)
{
	struct schedules_input in;
	PGresult *res;

	if (schedules_read(ctx, 0, &in) < 0)
		return -1;
	res = ctx_sql(
	    ctx,
	    "INSERT INTO schedules (tenant_id, name, kind, holidays, cycle_start, pattern, "
	    "week_hours, calendar_id, archived) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
	    "RETURNING " SCHEDULES_COLUMNS,
	    ctx_i64(ctx, ctx->tenant_id), in.name, in.kind, in.holidays, in.cycle_start, in.pattern,
	    in.week_hours, in.calendar_id, in.archived ? "t" : "f");
	if (res == NULL ||
	    audit_log(ctx, "schedules.created", 1, "schedule", PQgetvalue(res, 0, 0), NULL) < 0)
		return -1;
	ctx->status = 201;
	/* the new schedule's id beside it (what a client creating one needs first) */
	jsonx_set_int(ctx_result(ctx), "id", atoll(PQgetvalue(res, 0, 0)));
	json_object_object_add(ctx_result(ctx), "schedule", schedules_json(ctx, res, 0));
	return 0;
}

/* PUT /api/admin/schedules/{id}: replaces the schedule's fields. */
static int schedules_update(struct ctx *ctx)
{
	struct schedules_input in;
	PGresult *res;
	int64_t id;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0 ||
	    schedules_fetch(ctx, id) == NULL || schedules_read(ctx, id, &in) < 0)
		return -1;
	/* a closed payroll month computed with this schedule keeps its plan: the
	 * name and the archive mark may change, the days and the calendar not */
	res = ctx_sql(ctx,
	              "SELECT extract(year FROM d.month)::int, extract(month FROM d.month)::int "
	              "FROM schedules s, payroll_documents d WHERE s.tenant_id = $1 AND s.id = $2 "
	              "AND (s.kind, s.holidays, s.cycle_start, s.pattern, s.week_hours, "
	              "s.calendar_id) IS DISTINCT FROM ($3::text, $4::text, $5::date, $6::jsonb, "
	              "$7::integer, $8::bigint) AND d.tenant_id = $1 AND d.status = 'closed' AND "
	              "EXISTS (SELECT 1 FROM payroll_lines l WHERE l.tenant_id = $1 AND "
	              "l.document_id = d.id AND l.schedule_id = $2) ORDER BY d.month LIMIT 1",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id), in.kind, in.holidays,
	              in.cycle_start, in.pattern, in.week_hours, in.calendar_id);
	if (res == NULL)
		return -1;
	if (PQntuples(res)) {
		int y = atoi(PQgetvalue(res, 0, 0)), m = atoi(PQgetvalue(res, 0, 1));
		if (payrun_check_open(ctx, date_month_first(y, m), date_month_last(y, m)) < 0)
			return -1;
	}
	res = ctx_sql(ctx,
	              "UPDATE schedules SET name = $3, kind = $4, holidays = $5, cycle_start = $6, "
	              "pattern = $7, week_hours = $8, calendar_id = $9, archived = $10 "
	              "WHERE tenant_id = $1 AND id = $2 RETURNING " SCHEDULES_COLUMNS,
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id), in.name, in.kind, in.holidays,
	              in.cycle_start, in.pattern, in.week_hours, in.calendar_id,
	              in.archived ? "t" : "f");
	if (res == NULL ||
	    audit_log(ctx, "schedules.updated", 1, "schedule", ctx_i64(ctx, id), NULL) < 0)
		return -1;
	json_object_object_add(ctx_result(ctx), "schedule", schedules_json(ctx, res, 0));
	return 0;
}

/* GET /api/admin/schedules/{id}/days?year=YYYY: the schedule over a year. */
static int schedules_days(struct ctx *ctx)
{
	struct schedules_calendars cache = {0};
	struct schedule_day days[366];
	struct calendar *cal = NULL;
	json_object *r, *months;
	struct schedule s;
	PGresult *res;
	int64_t id, year;
	int first, last, ndays_year = 0;
	int32_t hours_year = 0, night_year = 0;
	int today;

	if ((today = org_today(ctx)) == DATE_NONE ||
	    ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0 ||
	    ctx_arg_int(ctx, "year", DATE_MIN_YEAR, DATE_MAX_YEAR, date_year(today), &year) < 0 ||
	    (res = schedules_fetch(ctx, id)) == NULL ||
	    schedules_from_row(ctx, PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3),
	                       PQgetisnull(res, 0, 4) ? NULL : PQgetvalue(res, 0, 4),
	                       PQgetvalue(res, 0, 5), &s) < 0)
		return -1;
	if (s.holidays == SCHEDULE_HOLIDAYS_CALENDAR &&
	    (cal = schedules_calendar(
	         ctx, &cache, PQgetisnull(res, 0, 7) ? NULL : PQgetvalue(res, 0, 7))) == NULL)
		return -1;
	first = date_from_ymd((int)year, 1, 1);
	last = date_from_ymd((int)year, 12, 31);
	if (cal != NULL && worktime_cover(ctx, cal, (int)year, (int)year, NULL, NULL, "year") < 0)
		return -1;
	if (schedule_fill(&s, cal, first, last, days) < 0)
		return ctx_field_code(ctx, "year", "calendar",
		                      "Производственный календарь на %lld год не загружен: "
		                      "импортируйте его на странице «Производственные календари»",
		                      (long long)year);
	r = ctx_result(ctx);
	json_object_object_add(r, "schedule", schedules_json(ctx, res, 0));
	jsonx_set_int(r, "year", year);
	months = json_object_new_array();
	json_object_object_add(r, "months", months);
	for (int m = 1; m <= 12; m++) {
		json_object *mo = json_object_new_object(), *list = json_object_new_array();
		int mf = date_month_first((int)year, m), ml = date_month_last((int)year, m), nd;
		int32_t h, night = 0;

		jsonx_set_int(mo, "month", m);
		jsonx_set_str(mo, "title", ru_month_title(m));
		for (int d = mf; d <= ml; d++) {
			json_object *o = json_object_new_object();
			struct schedule_day *sd = &days[d - first];
			jsonx_set_str(o, "date", worktime_date_iso(ctx, d));
			jsonx_set_int(o, "day", d - mf + 1);
			json_object_object_add(o, "hours", worktime_hours_json(sd->hours));
			json_object_object_add(o, "night", worktime_hours_json(sd->night));
			jsonx_set_str(o, "hours_ru",
			              sd->hours ? worktime_hours_ru(ctx, sd->hours) : "");
			if (sd->flags & SCHEDULE_PAID_OFF)
				jsonx_set_bool(o, "paid_off", 1);
			jsonx_set_bool(o, "off", sd->hours == 0);
			night += sd->night;
			json_object_array_add(list, o);
		}
		schedule_sum(&days[mf - first], ml - mf + 1, &nd, &h);
		json_object_object_add(mo, "days", list);
		jsonx_set_int(mo, "work_days", nd);
		json_object_object_add(mo, "hours", worktime_hours_json(h));
		json_object_object_add(mo, "night", worktime_hours_json(night));
		jsonx_set_str(mo, "hours_ru", worktime_hours_ru(ctx, h));
		ndays_year += nd;
		hours_year += h;
		night_year += night;
		json_object_array_add(months, mo);
	}
	jsonx_set_int(r, "work_days", ndays_year);
	json_object_object_add(r, "hours", worktime_hours_json(hours_year));
	json_object_object_add(r, "night", worktime_hours_json(night_year));
	jsonx_set_str(r, "hours_ru", worktime_hours_ru(ctx, hours_year));
	return 0;
}

/* ---- assignments ---- */

static int schedules_assignments_json(struct ctx *ctx, int64_t employee)
{
	json_object *items = json_object_new_array();
	PGresult *res = ctx_sql(ctx,
	                        "SELECT a.id, a.schedule_id, s.name, a.date_from "
	                        "FROM schedule_assignments a JOIN schedules s ON s.tenant_id = "
	                        "a.tenant_id AND s.id = a.schedule_id WHERE a.tenant_id = $1 AND "
	                        "a.employee_id = $2 ORDER BY a.date_from",
	                        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee));

	json_object_object_add(ctx_result(ctx), "assignments", items);
	if (res == NULL)
		return -1;
	jsonx_set_int(ctx_result(ctx), "employee_id", employee);
	for (int r = 0; r < PQntuples(res); r++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(res, r, 0)));
		jsonx_set_int(o, "schedule_id", atoll(PQgetvalue(res, r, 1)));
		jsonx_set_str(o, "schedule", PQgetvalue(res, r, 2));
		jsonx_set_str(o, "date_from", PQgetvalue(res, r, 3));
		json_object_array_add(items, o);
	}
	return 0;
}

/* GET /api/admin/employees/{id}/schedule-assignments */
static int schedules_assignments(struct ctx *ctx)
{
	int64_t employee;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &employee) < 0 ||
	    worktime_employee_check(ctx, employee, 0) < 0)
		return -1;
	return schedules_assignments_json(ctx, employee);
}

/* POST /api/admin/employees/{id}/schedule-assignments {schedule_id,
 * date_from}: from that date on the employee works by the schedule (a row
 * of the same date is replaced). */
/* An assignment applies from its date on: no closed month may follow it. */
static int schedules_open_from(struct ctx *ctx, int64_t employee, int from)
{
	return payrun_check_open_for(ctx, employee, from, date_month_last(DATE_MAX_YEAR, 12));
}

int schedules_assignments_write(struct ctx *ctx, json_object *set, json_object *drop)
{
	if (json_object_array_length(drop) > 0 &&
	    ctx_sql(
	        ctx,
	        /* the list read once, the rows found by their employees (the
	         * exchange writes in chunks: see UPDATE_FROM in exchange.c) */
	        "WITH r AS MATERIALIZED (SELECT * FROM jsonb_to_recordset($2::jsonb) AS "
	        "r(employee_id bigint, date_from date)) DELETE FROM schedule_assignments a USING r "
	        "WHERE a.tenant_id = $1 AND a.employee_id = ANY (ARRAY(SELECT r.employee_id FROM "
	        "r)) AND a.employee_id = r.employee_id AND a.date_from = r.date_from",
	        ctx_i64(ctx, ctx->tenant_id), jsonx_dump(drop, NULL)) == NULL)
		return -1;
	if (json_object_array_length(set) > 0 &&
	    ctx_sql(ctx,
	            "INSERT INTO schedule_assignments (tenant_id, employee_id, schedule_id, "
	            "date_from) SELECT $1, r.employee_id, r.schedule_id, r.date_from FROM "
	            "jsonb_to_recordset($2::jsonb) AS r(employee_id bigint, schedule_id bigint, "
	            "date_from date) ON CONFLICT (tenant_id, employee_id, date_from) DO UPDATE SET "
	            "schedule_id = EXCLUDED.schedule_id",
	            ctx_i64(ctx, ctx->tenant_id), jsonx_dump(set, NULL)) == NULL)
		return -1;
	return 0;
}

int schedules_check(struct ctx *ctx, int64_t schedule)
{
	PGresult *res = ctx_sql(ctx, "SELECT 1 FROM schedules WHERE tenant_id = $1 AND id = $2",
	                        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, schedule));

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_field_code(ctx, "schedule_id", "not_found", "График работы не найден");
	return 0;
}

static int schedules_assign(struct ctx *ctx)
{
	int64_t employee, schedule;
	int from;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &employee) < 0)
		return -1;
	int bad = ctx_arg_int(ctx, "schedule_id", 1, INT64_MAX, CTX_REQUIRED, &schedule);
	if (worktime_arg_date(ctx, "date_from", 1, &from) < 0 || bad < 0)
		return -1;
	if (worktime_employee_check(ctx, employee, 1) < 0 ||
	    schedules_open_from(ctx, employee, from) < 0 || schedules_check(ctx, schedule) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "INSERT INTO schedule_assignments (tenant_id, employee_id, schedule_id, "
	              "date_from) VALUES ($1, $2, $3, $4) ON CONFLICT (tenant_id, employee_id, "
	              "date_from) DO UPDATE SET schedule_id = EXCLUDED.schedule_id RETURNING id",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), ctx_i64(ctx, schedule),
	              worktime_date_iso(ctx, from));
	if (res == NULL ||
	    audit_log(ctx, "schedules.assigned", 1, "employee", ctx_i64(ctx, employee),
	              audit_detail("schedule_id", ctx_i64(ctx, schedule))) < 0)
		return -1;
	ctx->status = 201;
	jsonx_set_int(ctx_result(ctx), "id", atoll(PQgetvalue(res, 0, 0)));
	return schedules_assignments_json(ctx, employee);
}

/* DELETE /api/admin/employees/{id}/schedule-assignments/{assignment_id} */
static int schedules_unassign(struct ctx *ctx)
{
	int64_t employee, id;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &employee) < 0 ||
	    ctx_arg_int(ctx, "assignment_id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "DELETE FROM schedule_assignments WHERE tenant_id = $1 AND employee_id = $2 "
	              "AND id = $3 RETURNING id, date_from",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Назначение графика не найдено");
	if (schedules_open_from(ctx, employee, worktime_pg_date(res, 0, 1)) < 0)
		return -1; /* rolls the delete back */
	if (audit_log(ctx, "schedules.unassigned", 1, "employee", ctx_i64(ctx, employee),
	              audit_detail("assignment_id", ctx_i64(ctx, id))) < 0)
		return -1;
	return schedules_assignments_json(ctx, employee);
}

/* The admin page /admin/employees/{id}/schedules: the employee ("full_name",
 * "personnel_number"), the assignments as schedules.assignments answers them
 * with "date_from_ru", and "choices": the schedules that are not archived
 * ({"id", "name"}; the template marks the one chosen in a refused form),
 * "can_assign" when there is one. Nothing here changes data. */
static int schedules_assignments_page(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx), *choices = json_object_new_array(), *list;
	int64_t employee;
	PGresult *who, *res;

	json_object_object_add(r, "choices", choices);
	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &employee) < 0 ||
	    worktime_employee_check(ctx, employee, 0) < 0 ||
	    schedules_assignments_json(ctx, employee) < 0)
		return -1;
	who = ctx_sql(ctx,
	              "SELECT full_name, personnel_number FROM employees WHERE tenant_id = $1 AND "
	              "id = $2",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee));
	res = ctx_sql(ctx,
	              "SELECT id, name FROM schedules WHERE tenant_id = $1 AND NOT archived "
	              "ORDER BY lower(name), id",
	              ctx_i64(ctx, ctx->tenant_id));
	if (who == NULL || res == NULL)
		return -1;
	jsonx_set_str(r, "full_name", PQgetvalue(who, 0, 0));
	jsonx_set_str(r, "personnel_number", PQgetisnull(who, 0, 1) ? NULL : PQgetvalue(who, 0, 1));
	list = jsonx_get_array(r, "assignments");
	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		json_object *a = json_object_array_get_idx(list, i);
		int from;
		if (date_parse(jsonx_get_str(a, "date_from"), &from) == 0)
			jsonx_set_str(a, "date_from_ru", worktime_date_ru(ctx, from));
	}
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(o, "name", PQgetvalue(res, i, 1));
		json_object_array_add(choices, o);
	}
	jsonx_set_bool(r, "can_assign", PQntuples(res) > 0);
	return 0;
}

/* ---- individual schedules ---- */

static int schedules_individual_args(struct ctx *ctx, int64_t *employee, int *year, int *month)
{
	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, employee) < 0 ||
	    worktime_arg_month(ctx, "month", year, month) < 0)
		return -1;
	if ((ctx->op->flags & OP_WRITE) &&
	    payrun_check_open_for(ctx, *employee, date_month_first(*year, *month),
	                          date_month_last(*year, *month)) < 0)
		return -1;
	return worktime_employee_check(ctx, *employee, ctx->op->flags & OP_WRITE);
}

/* GET /api/admin/employees/{id}/individual-schedules/{month} */
static int schedules_individual_get(struct ctx *ctx)
{
	int64_t employee;
	int year, month;
	char mtext[DATE_MONTH_BUFSZ];
	json_object *r, *days;
	PGresult *res;
	int32_t hours[31] = {0}, night[31] = {0}, total = 0;

	if (schedules_individual_args(ctx, &employee, &year, &month) < 0)
		return -1;
	date_format_month(year, month, mtext);
	res = ctx_sql(ctx,
	              "SELECT array_to_json(hours), array_to_json(night) FROM individual_schedules "
	              "WHERE tenant_id = $1 AND employee_id = $2 AND month = ($3 || '-01')::date",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), mtext);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Индивидуального графика на %s нет",
		                mtext);
	json_object *h = json_tokener_parse(PQgetvalue(res, 0, 0));
	json_object *n = json_tokener_parse(PQgetvalue(res, 0, 1));
	int nd = date_days_in_month(year, month);
	for (int i = 0; i < nd; i++) {
		hours[i] = json_object_get_int(json_object_array_get_idx(h, (size_t)i));
		night[i] = json_object_get_int(json_object_array_get_idx(n, (size_t)i));
	}
	json_object_put(h);
	json_object_put(n);
	r = ctx_result(ctx);
	jsonx_set_int(r, "employee_id", employee);
	jsonx_set_str(r, "month", mtext);
	days = json_object_new_array();
	for (int i = 0; i < nd; i++) {
		json_object *o = json_object_new_object();
		jsonx_set_str(o, "date", worktime_date_iso(ctx, date_from_ymd(year, month, i + 1)));
		json_object_object_add(o, "hours", worktime_hours_json(hours[i]));
		json_object_object_add(o, "night", worktime_hours_json(night[i]));
		total += hours[i];
		json_object_array_add(days, o);
	}
	json_object_object_add(r, "days", days);
	json_object_object_add(r, "hours", worktime_hours_json(total));
	return 0;
}

/* PUT /api/admin/employees/{id}/individual-schedules/{month} {"days":
 * [{"hours", "night"} for every day of the month]} */
static int schedules_individual_put(struct ctx *ctx)
{
	json_object *days = jsonx_get(ctx->args, "days");
	struct buf h = BUF_INIT, n = BUF_INIT;
	int64_t employee;
	int year, month, nd, bad = 0;
	char mtext[DATE_MONTH_BUFSZ];
	PGresult *res;

	if (schedules_individual_args(ctx, &employee, &year, &month) < 0)
		return -1;
	nd = date_days_in_month(year, month);
	date_format_month(year, month, mtext);
	if (days == NULL || !json_object_is_type(days, json_type_array) ||
	    (int)json_object_array_length(days) != nd)
		return ctx_field_code(ctx, "days", "invalid", "Нужны часы каждого из %d %s месяца",
		                      nd, ru_plural(nd, "дня", "дней", "дней"));
	buf_putc(&h, '{');
	buf_putc(&n, '{');
	for (int i = 0; i < nd; i++) {
		json_object *d = json_object_array_get_idx(days, (size_t)i);
		int32_t hours = 0, night = 0;
		if (worktime_hours(jsonx_get(d, "hours"), SCHEDULE_MAX_DAY, &hours) < 0)
			bad = ctx_field_code(ctx, arena_printf(ctx->arena, "days[%d].hours", i),
			                     "hours", "Часы за день: от 0 до 24");
		if (jsonx_get(d, "night") &&
		    (worktime_hours(jsonx_get(d, "night"), SCHEDULE_MAX_DAY, &night) < 0 ||
		     night > hours))
			bad =
			    ctx_field_code(ctx, arena_printf(ctx->arena, "days[%d].night", i),
			                   "night", "Ночных часов от 0 и не больше часов за день");
		buf_printf(&h, "%s%d", i ? "," : "", hours);
		buf_printf(&n, "%s%d", i ? "," : "", night);
	}
	buf_putc(&h, '}');
	buf_putc(&n, '}');
	const char *htext = arena_strndup(ctx->arena, h.data, h.len);
	const char *ntext = arena_strndup(ctx->arena, n.data, n.len);
	buf_free(&h);
	buf_free(&n);
	if (bad < 0)
		return -1;
	res = ctx_sql(
	    ctx,
	    "INSERT INTO individual_schedules (tenant_id, employee_id, month, hours, night) "
	    "VALUES ($1, $2, ($3 || '-01')::date, $4, $5) ON CONFLICT (tenant_id, "
	    "employee_id, month) DO UPDATE SET hours = EXCLUDED.hours, night = "
	    "EXCLUDED.night, updated_at = now()",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), mtext, htext, ntext);
	if (res == NULL || audit_log(ctx, "schedules.individual_set", 1, "employee",
	                             ctx_i64(ctx, employee), audit_detail("month", mtext)) < 0)
		return -1;
	return schedules_individual_get(ctx);
}

/* DELETE /api/admin/employees/{id}/individual-schedules/{month} */
static int schedules_individual_delete(struct ctx *ctx)
{
	int64_t employee;
	int year, month;
	char mtext[DATE_MONTH_BUFSZ];
	PGresult *res;

	if (schedules_individual_args(ctx, &employee, &year, &month) < 0)
		return -1;
	date_format_month(year, month, mtext);
	res = ctx_sql(ctx,
	              "DELETE FROM individual_schedules WHERE tenant_id = $1 AND employee_id = $2 "
	              "AND month = ($3 || '-01')::date RETURNING 1",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), mtext);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Индивидуального графика на %s нет",
		                mtext);
	if (audit_log(ctx, "schedules.individual_deleted", 1, "employee", ctx_i64(ctx, employee),
	              audit_detail("month", mtext)) < 0)
		return -1;
	jsonx_set_bool(ctx_result(ctx), "deleted", 1);
	return 0;
}

static const char *const schedules_kinds[] = {"week", "cycle", NULL};
static const char *const schedules_holidays[] = {"calendar", "ignore", NULL};
/* a day of a schedule: {"hours", "night"} */
static const struct op_arg schedules_day_fields[] = {
    {"hours", ARG_HOURS, 0, .max = SCHEDULE_MAX_DAY},
    {"night", ARG_HOURS, 0, .max = SCHEDULE_MAX_DAY},
    ARG_END,
};
/* an element of hours[] and night[], the admin page's form of the days
 * as lists of text (empty: 0) */
static const struct op_arg schedules_form_hours[] = {
    ARG_ITEM(ARG_HOURS, .max = SCHEDULE_MAX_DAY),
    ARG_END,
};
#define SCHEDULES_WEEK_EXAMPLE                                                                     \
	"[{\"hours\": 8}, {\"hours\": 8}, {\"hours\": 8}, {\"hours\": 8}, {\"hours\": 8}, "        \
	"{\"hours\": 0}, {\"hours\": 0}]"
#define SCHEDULES_FIELDS                                                                           \
	{"name", ARG_STR, ARG_REQUIRED, .max = 200, .example = "\"Пятидневка\""},                  \
	    {"kind", ARG_ENUM, 0, .values = schedules_kinds,                                       \
	     .hint = "Вид графика: week или cycle"},                                               \
	    {"holidays", ARG_ENUM, 0, .values = schedules_holidays,                                \
	     .hint = "Праздники: calendar (учитывать) или ignore (не учитывать)"},                 \
	    ARG_ROW_DATE("cycle_start", 0),                                                        \
	    {"week_hours",                                                                         \
	     ARG_HOURS,                                                                            \
	     0,                                                                                    \
	     .min = 5,                                                                             \
	     .max = 16800,                                                                         \
	     .hint = "Часов в неделю: от 0,05 до 168, например 40 или 36"},                        \
	    {"calendar_id", ARG_INT, 0, .min = 0, .max = INT64_MAX},                               \
	    {"days",                                                                               \
	     ARG_ARRAY,                                                                            \
	     0,                                                                                    \
	     .min = 1,                                                                             \
	     .max = SCHEDULE_MAX_PATTERN,                                                          \
	     .example = SCHEDULES_WEEK_EXAMPLE,                                                    \
	     .items = schedules_day_fields},                                                       \
	    {"hours",                                                                              \
	     ARG_ARRAY,                                                                            \
	     0,                                                                                    \
	     .min = 0,                                                                             \
	     .max = SCHEDULE_MAX_PATTERN,                                                          \
	     .example = "[\"8\", \"8\", \"8\", \"8\", \"8\", \"\", \"\"]",                         \
	     .items = schedules_form_hours},                                                       \
	    {"night",                                                                              \
	     ARG_ARRAY,                                                                            \
	     0,                                                                                    \
	     .min = 0,                                                                             \
	     .max = SCHEDULE_MAX_PATTERN,                                                          \
	     .example = "[\"0\", \"0\", \"0\", \"0\", \"2\"]",                                     \
	     .items = schedules_form_hours},                                                       \
	{                                                                                          \
		.name = "archived", .type = ARG_BOOL                                               \
	}

static const struct op_arg schedules_id_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
static const struct op_arg schedules_create_args[] = {SCHEDULES_FIELDS, ARG_END};
static const struct op_arg schedules_update_args[] = {ARG_ROW_ID("id", ARG_REQUIRED),
                                                      SCHEDULES_FIELDS, ARG_END};
static const struct op_arg schedules_days_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    {"year", ARG_INT, 0, .min = DATE_MIN_YEAR, .max = DATE_MAX_YEAR},
    ARG_END,
};
static const struct op_arg schedules_assign_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_ROW_ID("schedule_id", ARG_REQUIRED),
    ARG_ROW_DATE("date_from", ARG_REQUIRED),
    ARG_END,
};
static const struct op_arg schedules_unassign_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_ROW_ID("assignment_id", ARG_REQUIRED),
    ARG_END,
};
static const struct op_arg schedules_month_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_ROW_MONTH("month", ARG_REQUIRED),
    ARG_END,
};
static const struct op_arg schedules_individual_put_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_ROW_MONTH("month", ARG_REQUIRED),
    {"days", ARG_ARRAY, ARG_REQUIRED, .min = 28, .max = 31, .items = schedules_day_fields,
     .example = "[{\"hours\": 8}, {\"hours\": 8}, {\"hours\": 8}, {\"hours\": 8}, "
                "{\"hours\": 8}, {\"hours\": 0}, {\"hours\": 0}, {\"hours\": 8}, {\"hours\": 8}, "
                "{\"hours\": 8}, {\"hours\": 8}, {\"hours\": 8}, {\"hours\": 0}, {\"hours\": 0}, "
                "{\"hours\": 8}, {\"hours\": 8}, {\"hours\": 8}, {\"hours\": 8}, {\"hours\": 8}, "
                "{\"hours\": 0}, {\"hours\": 0}, {\"hours\": 8}, {\"hours\": 8}, {\"hours\": 8}, "
                "{\"hours\": 8}, {\"hours\": 8}, {\"hours\": 0}, {\"hours\": 0}, {\"hours\": 8}, "
                "{\"hours\": 8}]"},
    ARG_END,
};

const struct op schedules_ops[] = {
    {"schedules.list", OP_ADMIN, schedules_list, 0, args_none},
    {"schedules.get", OP_ADMIN, schedules_get, 0, schedules_id_args},
    {"schedules.create", OP_ADMIN, schedules_create, OP_WRITE | OP_IDEMPOTENT,
     schedules_create_args},
    {"schedules.update", OP_ADMIN, schedules_update, OP_WRITE, schedules_update_args},
    {"schedules.days", OP_ADMIN, schedules_days, 0, schedules_days_args},
    {"schedules.assignments", OP_ADMIN, schedules_assignments, 0, schedules_id_args},
    {"schedules.assign", OP_ADMIN, schedules_assign, OP_WRITE | OP_IDEMPOTENT,
     schedules_assign_args},
    {"schedules.unassign", OP_ADMIN, schedules_unassign, OP_WRITE, schedules_unassign_args},
    /* the admin page of an employee's schedules (cgi/admin.c) */
    {"schedules.assignments_page", OP_ADMIN, schedules_assignments_page, 0, schedules_id_args},
    {"schedules.individual_get", OP_ADMIN, schedules_individual_get, 0, schedules_month_args},
    {"schedules.individual_put", OP_ADMIN, schedules_individual_put, OP_WRITE,
     schedules_individual_put_args},
    {"schedules.individual_delete", OP_ADMIN, schedules_individual_delete, OP_WRITE,
     schedules_month_args},
    {NULL, 0, NULL, 0, NULL},
};
