/*
 * deviations.c - deviation documents (registration of deviations): whole
 * days date_from..date_to with an absence code (ОТ, ОД, Б, НН, ПР, К, ДО,
 * простой РП/НП/ВП, ...) or hours on one date for С, РВ, Н.
 *
 * Whole-day documents of one employee never overlap: the employee's row is
 * locked (FOR UPDATE) so two requests for the same person take turns, and
 * an overlap is refused with 409 naming both documents; the exclusion
 * constraints of sql/0032 are the backstop. One exception, illness during a
 * vacation (art. 124): a Б may lie on an ОТ/ОД. Its days then go back to the
 * vacation balance ("vacation": "return", the default) or the vacation is
 * extended by them ("extend": its end moves by the vacation days the
 * sickness took, holidays skipped).
 *
 * The one rule for codes sharing a date (workday.h) holds for documents too:
 * a whole-day document and an hour document (С, РВ, Н) on the same date are
 * refused (409 naming the date and the other document), and so is a
 * document outside the employment period (422 naming the date).
 *
 * A document on dates a posted timesheet covers is saved, but the timesheet
 * has priority (seed 004): the answer warns that the timesheet differs on
 * those dates and offers to unpost and refill it (timesheets.refill).
 */
#include "audit.h"
#include "average.h"
#include "calendars.h"
#include "date.h"
#include "jsonx.h"
#include "ops.h"
#include "payrun.h"
#include "requests.h"
#include "ru.h"
#include "t13.h"
#include "worktime.h"

#include <stdlib.h>
#include <string.h>

/* The longest whole-day document: two years. */
#define DEVIATIONS_MAX_DAYS 731

/* "«Больничный (Б)» № 12 с 17.04.2017 по 19.04.2017" */
static const char *deviations_describe(struct ctx *ctx, int code, const char *id, int from, int to)
{
	const struct t13_code *c = t13_get(code);
	const char *num = id ? arena_printf(ctx->arena, " № %s", id) : "";

	if (from == to)
		return arena_printf(ctx->arena, "«%s (%s)»%s на %s", worktime_document_title(code),
		                    c ? c->letter : "?", num, worktime_date_ru(ctx, from));
	return arena_printf(ctx->arena, "«%s (%s)»%s с %s по %s", worktime_document_title(code),
	                    c ? c->letter : "?", num, worktime_date_ru(ctx, from),
	                    worktime_date_ru(ctx, to));
}

static json_object *deviations_json(struct ctx *ctx, PGresult *res, int r)
{
	json_object *o = json_object_new_object();
	int code = atoi(PQgetvalue(res, r, 2));
	const struct t13_code *c = t13_get(code);
	int from = worktime_pg_date(res, r, 3), to = worktime_pg_date(res, r, 4);

	jsonx_set_int(o, "id", atoll(PQgetvalue(res, r, 0)));
	jsonx_set_int(o, "employee_id", atoll(PQgetvalue(res, r, 1)));
	jsonx_set_str(o, "code", c ? c->letter : "?");
	jsonx_set_str(o, "title", worktime_document_title(code));
	jsonx_set_str(o, "date_from", PQgetvalue(res, r, 3));
	jsonx_set_str(o, "date_to", PQgetvalue(res, r, 4));
	jsonx_set_bool(o, "whole_day", strcmp(PQgetvalue(res, r, 6), "t") == 0);
	if (PQgetisnull(res, r, 5))
		json_object_object_add(o, "hours", NULL);
	else
		json_object_object_add(o, "hours",
		                       worktime_hours_json(atoi(PQgetvalue(res, r, 5))));
	jsonx_set_str(o, "hours_ru",
	              PQgetisnull(res, r, 5) ? NULL
	                                     : worktime_hours_ru(ctx, atoi(PQgetvalue(res, r, 5))));
	jsonx_set_str(o, "note", PQgetisnull(res, r, 7) ? NULL : PQgetvalue(res, r, 7));
	jsonx_set_str(o, "describe",
	              deviations_describe(ctx, code, PQgetvalue(res, r, 0), from, to));
	jsonx_set_str(o, "date_from_ru", worktime_date_ru(ctx, from));
	jsonx_set_str(o, "date_to_ru", worktime_date_ru(ctx, to));
	if (!PQgetisnull(res, r, 8))
		jsonx_set_str(o, "paid", PQgetvalue(res, r, 8));
	if (!PQgetisnull(res, r, 9))
		jsonx_set_str(o, "cause", PQgetvalue(res, r, 9));
	if (PQnfields(res) > 10)
		jsonx_set_str(o, "employee", PQgetvalue(res, r, 10));
	return o;
}

#define DEVIATIONS_COLUMNS                                                                         \
	"id, employee_id, code, date_from, date_to, hours, whole_day, note, paid, cause"

/* Whole-day codes: absences (not В, which is the plan's own day off). */
static int deviations_whole_day_code(const struct t13_code *c)
{
	return c->cls == T13_CLASS_ABSENCE && c->number != T13_V;
}

static int deviations_hour_code(const struct t13_code *c)
{
	return c->number == T13_S || c->number == T13_RV || c->number == T13_N;
}

/* Illness during a vacation, "extend": moves the end of the vacation row
 * (id, from, to) by the vacation days the sickness sick_from..sick_to took
 * (art. 124; the employee's calendar: holidays are not vacation days).
 * Adds {"id", "date_to"} to extended. 0 or -1. */
static int deviations_extend(struct ctx *ctx, int64_t employee, const char *id, int from, int to,
                             int sick_from, int sick_to, json_object *extended)
{
	int a = sick_from > from ? sick_from : from, b = sick_to < to ? sick_to : to;
	int lost = 0, start = (sick_to > to ? sick_to : to) + 1, end;
	struct calendar *cal;
	PGresult *res;

	cal = worktime_employee_calendar(ctx, employee, from, date_add_days(to, 400));
	if (cal == NULL)
		return -1;
	for (int d = a; d <= b; d++)
		if (CALENDAR_KIND(calendar_day(cal, d)) != CALENDAR_HOLIDAY)
			lost++;
	if (lost == 0)
		return 0;
	if (calendar_vacation_end(cal, start, lost, &end) < 0)
		return ctx_fail(ctx, PROTO_ERR_validation,
		                "Нет календаря на даты продления отпуска");
	res = ctx_sql(ctx,
	              "SELECT id, code, date_from, date_to FROM deviations WHERE tenant_id = $1 "
	              "AND employee_id = $2 AND whole_day AND id <> $3 AND code <> $6 AND "
	              "date_from <= $5::date AND date_to >= $4::date ORDER BY date_from LIMIT 1",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), id,
	              worktime_date_iso(ctx, to + 1), worktime_date_iso(ctx, end),
	              ctx_i64(ctx, T13_B));
	if (res == NULL)
		return -1;
	if (PQntuples(res))
		return ctx_fail(
		    ctx, PROTO_ERR_conflict,
		    "Отпуск № %s не продлить до %s: даты заняты документом %s", id,
		    worktime_date_ru(ctx, end),
		    deviations_describe(ctx, atoi(PQgetvalue(res, 0, 1)), PQgetvalue(res, 0, 0),
		                        worktime_pg_date(res, 0, 2), worktime_pg_date(res, 0, 3)));
	if (payrun_check_open_for(ctx, employee, to + 1, end) < 0 ||
	    ctx_sql(ctx,
	            "UPDATE deviations SET date_to = $3::date WHERE tenant_id = $1 AND id = $2",
	            ctx_i64(ctx, ctx->tenant_id), id, worktime_date_iso(ctx, end)) == NULL ||
	    audit_log(ctx, "deviations.extended", 1, "deviation", id,
	              audit_detail("date_to", worktime_date_iso(ctx, end))) < 0)
		return -1;
	json_object *o = json_object_new_object();
	jsonx_set_int(o, "id", atoll(id));
	jsonx_set_str(o, "date_to", worktime_date_iso(ctx, end));
	json_object_array_add(extended, o);
	return 0;
}

/* Whole-day documents overlapping from..to: 409 naming the first that may
 * not (only a Б on an ОТ/ОД may); the vacations a Б lies on are returned. */
static int deviations_overlaps(struct ctx *ctx, int64_t employee, const struct t13_code *c,
                               int from, int to, PGresult **vacations)
{
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT id, code, date_from, date_to FROM deviations WHERE tenant_id = $1 "
	            "AND employee_id = $2 AND whole_day AND date_from <= $4::date AND "
	            "date_to >= $3::date ORDER BY date_from",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee),
	            worktime_date_iso(ctx, from), worktime_date_iso(ctx, to));

	*vacations = res;
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		int other = atoi(PQgetvalue(res, i, 1));

		if (workday_may_overlay(c->number, other))
			continue; /* illness during a vacation, art. 124 */
		/* a vacation agreed by a request before the sickness came: its
		 * completion lays it over the Б, the sick days returned as in
		 * a done one (the Б wins on its days); a vacation entered
		 * straight over a known sickness stays refused */
		if (workday_may_overlay(other, c->number)) {
			PGresult *agreed = ctx_sql(
			    ctx,
			    "SELECT 1 FROM requests WHERE tenant_id = $1 AND employee_id = $2 AND "
			    "type = 'vacation' AND state IN ('approved', 'in_progress') AND "
			    "date_from = $3::date AND date_to = $4::date",
			    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee),
			    worktime_date_iso(ctx, from), worktime_date_iso(ctx, to));

			if (agreed == NULL)
				return -1;
			if (PQntuples(agreed) > 0)
				continue;
		}
		return ctx_fail(
		    ctx, PROTO_ERR_conflict, "Документ %s: период пересекается с документом %s",
		    deviations_describe(ctx, c->number, NULL, from, to),
		    deviations_describe(ctx, other, PQgetvalue(res, i, 0),
		                        worktime_pg_date(res, i, 2), worktime_pg_date(res, i, 3)));
	}
	return 0;
}

/* The one rule for codes on a date (workday.h): a whole-day document and an
 * hour document never share a date. 0, or 409 naming the date and the other. */
static int deviations_day_rule(struct ctx *ctx, int64_t employee, const struct t13_code *c,
                               int from, int to)
{
	int whole = deviations_whole_day_code(c);
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT id, code, date_from, date_to FROM deviations WHERE tenant_id = $1 AND "
	            "employee_id = $2 AND whole_day <> $5::boolean AND date_from <= $4::date AND "
	            "date_to >= $3::date ORDER BY date_from LIMIT 1",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee),
	            worktime_date_iso(ctx, from), worktime_date_iso(ctx, to), whole ? "t" : "f");
	int of, ot, day;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	of = worktime_pg_date(res, 0, 2);
	ot = worktime_pg_date(res, 0, 3);
	day = whole ? of : from;
	return ctx_fail(
	    ctx, PROTO_ERR_conflict,
	    "%s: %s и %s не бывают в один день — целый день неявки и часы работы. "
	    "Уже есть документ %s",
	    worktime_date_ru(ctx, day), c->letter, t13_get(atoi(PQgetvalue(res, 0, 1)))->letter,
	    deviations_describe(ctx, atoi(PQgetvalue(res, 0, 1)), PQgetvalue(res, 0, 0), of, ot));
}

/* Where an hour code may stand by the employee's plan (workday_place()):
 * С only on a working day, РВ only on a day off or a non-working holiday.
 * 0, or 422 at date naming the date and the right code. */
static int deviations_place(struct ctx *ctx, int64_t employee, const struct t13_code *c, int date,
                            int32_t other, int32_t hours)
{
	struct workday *days;
	int y, m, d, ndays;
	int32_t plan;
	char msg[512];

	date_to_ymd(date, &y, &m, &d);
	if (worktime_plan_days(ctx, y, m, employee, &days, &ndays) < 0)
		return -1;
	if (workday_place(&days[d - 1], c->number, msg, sizeof(msg)) != 0)
		return ctx_field_code(ctx, "date", "day_kind", "%s", msg);
	/* G3: the day's planned hours, the С and РВ already entered and this
	 * document at most 24 h, as the payroll loader counts them (Н is hours
	 * inside the work, not more of it) */
	plan = days[d - 1].plan_hours;
	if (c->number == T13_N || plan + other + hours <= 2400)
		return 0;
	return ctx_field_code(
	    ctx, "hours", "day_total",
	    "%s: по графику %s ч%s, вместе со сверхурочными и работой в выходной не больше 24 ч — "
	    "не больше %s ч",
	    worktime_date_ru(ctx, date), worktime_hours_ru(ctx, plan),
	    other ? arena_printf(ctx->arena, " и уже введено %s ч", worktime_hours_ru(ctx, other))
	          : "",
	    worktime_hours_ru(ctx, 2400 - plan - other > 0 ? 2400 - plan - other : 0));
}

/* Posted timesheets of the months of from..to that show something else on
 * the document's dates: a warning each, with the refill route (5a.3). */
static int deviations_posted_warnings(struct ctx *ctx, int64_t employee, const struct t13_code *c,
                                      int from, int to, json_object *warnings)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT t.id, to_char(t.month, 'YYYY-MM'), r.date, r.code FROM timesheets t "
	    "LEFT JOIN timesheet_rows r ON r.tenant_id = t.tenant_id AND r.timesheet_id = t.id "
	    "AND r.date BETWEEN $3::date AND $4::date WHERE t.tenant_id = $1 AND "
	    "t.employee_id = $2 AND t.status = 'posted' AND t.month BETWEEN "
	    "date_trunc('month', $3::date) AND $4::date ORDER BY t.month, r.date, r.code",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), worktime_date_iso(ctx, from),
	    worktime_date_iso(ctx, to));
	int i = 0, n;

	if (res == NULL)
		return -1;
	n = PQntuples(res);
	while (i < n) {
		const char *ts = PQgetvalue(res, i, 0), *month = PQgetvalue(res, i, 1);
		int y, mo, first, last, k = i;
		json_object *dates = json_object_new_array();
		struct buf list = BUF_INIT;

		while (k < n && strcmp(PQgetvalue(res, k, 0), ts) == 0)
			k++;
		date_parse_month(month, &y, &mo);
		first = date_month_first(y, mo) > from ? date_month_first(y, mo) : from;
		last = date_month_last(y, mo) < to ? date_month_last(y, mo) : to;
		for (int d = first; d <= last; d++) {
			int has = 0, others = 0;

			for (int j = i; j < k; j++) {
				if (PQgetisnull(res, j, 2) || worktime_pg_date(res, j, 2) != d)
					continue;
				if (atoi(PQgetvalue(res, j, 3)) == c->number)
					has = 1;
				else
					others++;
			}
			if (has && (others == 0 || !deviations_whole_day_code(c)))
				continue;
			json_object_array_add(dates,
			                      json_object_new_string(worktime_date_iso(ctx, d)));
			buf_printf(&list, "%s%s", list.len ? ", " : "", worktime_date_ru(ctx, d));
		}
		if (json_object_array_length(dates) > 0) {
			json_object *w = json_object_new_object();
			jsonx_set_str(w, "code", "posted_timesheet");
			jsonx_set_str(w, "month", month);
			jsonx_set_int(w, "timesheet_id", atoll(ts));
			json_object_object_add(w, "dates", dates);
			jsonx_set_str(
			    w, "message",
			    arena_printf(
			        ctx->arena,
			        "Табель за %s проведён и на %s показывает другое. Проведённый "
			        "табель важнее документов: расчёт зарплаты и Т-13 возьмут "
			        "его. Отмените проведение и заполните табель заново.",
			        payrun_month_title(ctx, y, mo), list.data));
			jsonx_set_str(w, "refill",
			              arena_printf(ctx->arena,
			                           "/api/admin/timesheets/%lld/%s/refill",
			                           (long long)employee, month));
			json_object_array_add(warnings, w);
		} else {
			json_object_put(dates);
		}
		buf_free(&list);
		i = k;
	}
	return 0;
}

/* Running requests of the employee for a period (requests.h) over a
 * whole-day document's dates: a warning each, naming the request. The
 * document is saved, but that request can no longer be completed (its
 * effect, a document on the same dates, would overlap this one: 409 at
 * completion): reject the request or delete this document. */
static int deviations_request_warnings(struct ctx *ctx, int64_t employee, int code, int from,
                                       int to, json_object *warnings)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT id, number, type, to_char(date_from, 'DD.MM.YYYY'), to_char(date_to, "
	    "'DD.MM.YYYY'), data->>'kind', data->>'reason' FROM requests WHERE tenant_id = $1 AND "
	    "employee_id = $2 AND state IN "
	    "('submitted', 'awaiting_approval', 'approved', 'in_progress') AND date_from <= "
	    "$4::date AND date_to >= $3::date ORDER BY date_from, id",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), worktime_date_iso(ctx, from),
	    worktime_date_iso(ctx, to));

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const struct request_type *t = requests_type_find(PQgetvalue(res, i, 2));
		json_object *w;

		/* a sick leave over a vacation request not done yet: it can
		 * still be completed (its vacation laid with the sick days
		 * returned, workday_may_share()) */
		if (workday_may_share(
		        code,
		        requests_type_code(PQgetvalue(res, i, 2),
		                           PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5),
		                           PQgetisnull(res, i, 6) ? NULL : PQgetvalue(res, i, 6))))
			continue;
		w = json_object_new_object();
		jsonx_set_str(w, "code", "running_request");
		jsonx_set_int(w, "request_id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_int(w, "request_number", atoll(PQgetvalue(res, i, 1)));
		jsonx_set_str(
		    w, "message",
		    arena_printf(ctx->arena,
		                 "Документ пересекается с заявкой № %s (%s с %s по %s), она ещё "
		                 "не выполнена. Выполнить её теперь не получится: отклоните "
		                 "заявку или удалите этот документ.",
		                 PQgetvalue(res, i, 1), t ? t->title : PQgetvalue(res, i, 2),
		                 PQgetvalue(res, i, 3), PQgetvalue(res, i, 4)));
		json_object_array_add(warnings, w);
	}
	return 0;
}

/* POST /api/admin/deviations {employee_id, code, date_from, date_to} or
 * {employee_id, code, date, hours} (С, РВ, Н), note optional; ОТ/ОД may
 * have "paid" (the payment date, default 3 days before); Б may have "cause"
 * (illness, care, quarantine, work_injury) and, on a vacation, "vacation":
 * "return" (default) or "extend". An Idempotency-Key is the dispatcher's. */
static int deviations_create(struct ctx *ctx)
{
	const char *letter = ctx_arg_str(ctx, "code", 16, 1),
	           *note = ctx_arg_str(ctx, "note", 500, 0);
	const struct t13_code *c = letter ? t13_find(letter) : NULL;
	int from = DATE_NONE, to = DATE_NONE, paid = DATE_NONE, bad = 0, hired, dismissed;
	const char *cause = NULL, *vacation = NULL;
	int32_t hours = 0, other = 0;
	int64_t employee;
	PGresult *res, *vacations = NULL;
	json_object *warnings, *extended;

	if (worktime_arg_employee(ctx, "employee_id", "employee", 1, &employee) < 0)
		bad = -1;
	if (letter && (c == NULL || !(deviations_whole_day_code(c) || deviations_hour_code(c))))
		return ctx_field_code(ctx, "code", "unknown_code",
		                      "Код «%s» нельзя указать в документе: целые дни — ОТ, ОД, Б, "
		                      "НН, ПР, К, ДО и другие коды неявок, часы — С, РВ, Н",
		                      letter);
	if (c == NULL)
		return -1;
	if (deviations_whole_day_code(c)) {
		if (worktime_arg_date(ctx, "date_from", 1, &from) < 0)
			bad = -1;
		if (worktime_arg_date(ctx, "date_to", 1, &to) < 0)
			bad = -1;
		json_object *hv = jsonx_get(ctx->args, "hours");
		if (hv && !json_object_is_type(hv, json_type_null) &&
		    !(json_object_is_type(hv, json_type_string) && !*json_object_get_string(hv)))
			bad = ctx_field_code(ctx, "hours", "invalid",
			                     "Для кода %s часы не указываются: он на целые дни",
			                     c->letter);
		if (bad == 0 && to < from)
			bad = ctx_field_code(ctx, "date_to", "range",
			                     "Дата окончания раньше даты начала");
		else if (bad == 0 && to - from >= DEVIATIONS_MAX_DAYS)
			bad = ctx_field_code(ctx, "date_to", "range", "Документ не длиннее %d %s",
			                     DEVIATIONS_MAX_DAYS,
			                     ru_plural(DEVIATIONS_MAX_DAYS, "дня", "дней", "дней"));
	} else {
		if (worktime_arg_date(ctx, "date", 1, &from) < 0)
			bad = -1;
		to = from;
		if (worktime_hours(jsonx_get(ctx->args, "hours"), 2400, &hours) < 0 || hours <= 0)
			bad = ctx_field_code(ctx, "hours", "hours",
			                     "Часы за день: больше 0 и не больше 24");
	}
	if (c->number == T13_OT || c->number == T13_OD) {
		if (worktime_arg_date(ctx, "paid", 0, &paid) < 0)
			bad = -1;
		else if (paid != DATE_NONE && from != DATE_NONE && paid > from)
			bad =
			    ctx_field_code(ctx, "paid", "range",
			                   "Отпускные выплачивают не позже начала отпуска (ст. 136 "
			                   "ТК РФ: за 3 дня)");
	} else if (jsonx_get(ctx->args, "paid")) {
		bad = ctx_field_code(ctx, "paid", "invalid",
		                     "Дата выплаты бывает только у отпуска (ОТ, ОД)");
	}
	if (c->number == T13_B) {
		cause = ctx_arg_str(ctx, "cause", 16, 0);
		vacation = ctx_arg_str(ctx, "vacation", 8, 0);
		if (cause && *cause) {
			int ok = 0;
			for (int k = 0; average_cause_names[k]; k++)
				ok |= strcmp(cause, average_cause_names[k]) == 0;
			if (!ok)
				bad = ctx_field_code(
				    ctx, "cause", "invalid",
				    "Причина: illness (своя болезнь или травма), care "
				    "(уход за членом семьи), quarantine (карантин) или "
				    "work_injury (производственная травма)");
		} else {
			cause = NULL;
		}
		if (vacation && *vacation && strcmp(vacation, "return") != 0 &&
		    strcmp(vacation, "extend") != 0)
			bad = ctx_field_code(
			    ctx, "vacation", "invalid",
			    "Болезнь в отпуске: return (дни вернуть в остаток отпуска) "
			    "или extend (продлить отпуск)");
	} else if (jsonx_get(ctx->args, "cause")) {
		bad = ctx_field_code(ctx, "cause", "invalid",
		                     "Причина бывает только у больничного (Б)");
	}
	if (bad < 0)
		return -1;
	if (worktime_employee_check(ctx, employee, 1) < 0 ||
	    worktime_employment(ctx, employee, &hired, &dismissed) < 0)
		return -1;
	/* the employment period (issue 11 5a.2) */
	if (hired != DATE_NONE && from < hired)
		return ctx_field_code(ctx, deviations_whole_day_code(c) ? "date_from" : "date",
		                      "employment", "%s",
		                      worktime_outside_employment(ctx, from, hired, dismissed));
	if (dismissed != DATE_NONE && to > dismissed)
		return ctx_field_code(
		    ctx, deviations_whole_day_code(c) ? "date_to" : "date", "employment", "%s",
		    worktime_outside_employment(ctx, dismissed + 1 > from ? dismissed + 1 : from,
		                                hired, dismissed));
	if (payrun_check_open_for(ctx, employee, from, to) < 0)
		return -1;
	if (deviations_whole_day_code(c)) {
		if (deviations_overlaps(ctx, employee, c, from, to, &vacations) < 0)
			return -1;
	} else {
		/* the same document entered twice (a double click, a second
		 * person): refused, naming the one that exists */
		res = ctx_sql(ctx,
		              "SELECT id FROM deviations WHERE tenant_id = $1 AND employee_id = $2 "
		              "AND NOT whole_day AND code = $3 AND date_from = $4 AND hours = $5 "
		              "ORDER BY id LIMIT 1",
		              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee),
		              ctx_i64(ctx, c->number), worktime_date_iso(ctx, from),
		              ctx_i64(ctx, hours));
		if (res == NULL)
			return -1;
		if (PQntuples(res))
			return ctx_fail(
			    ctx, PROTO_ERR_conflict, "Такой документ уже введён: %s, %s ч",
			    deviations_describe(ctx, c->number, PQgetvalue(res, 0, 0), from, from),
			    worktime_hours_ru(ctx, hours));
		/* hour documents of a date add up: С and РВ together at most 24 h a
		 * day; Н (hours inside the day's work) at most 24 h on its own */
		res = ctx_sql(
		    ctx,
		    "SELECT coalesce(sum(hours), 0) FROM deviations WHERE tenant_id = $1 AND "
		    "employee_id = $2 AND NOT whole_day AND date_from = $4 AND "
		    "(code = $3 OR ($3 <> $5 AND code <> $5))",
		    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), ctx_i64(ctx, c->number),
		    worktime_date_iso(ctx, from), ctx_i64(ctx, T13_N));
		if (res == NULL)
			return -1;
		other = atoi(PQgetvalue(res, 0, 0));
		if (other + hours > 2400)
			return ctx_field_code(
			    ctx, "hours", "hours",
			    "С уже введёнными документами за %s получается больше "
			    "24 часов",
			    worktime_date_ru(ctx, from));
	}
	if (deviations_day_rule(ctx, employee, c, from, to) < 0 ||
	    (!deviations_whole_day_code(c) &&
	     deviations_place(ctx, employee, c, from, other, hours) < 0))
		return -1;
	res = ctx_sql(ctx,
	              "INSERT INTO deviations (tenant_id, employee_id, code, date_from, date_to, "
	              "hours, whole_day, note, created_by, paid, cause) VALUES ($1, $2, $3, $4, "
	              "$5, $6, $7, nullif($8, ''), $9, $10, $11) RETURNING " DEVIATIONS_COLUMNS,
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), ctx_i64(ctx, c->number),
	              worktime_date_iso(ctx, from), worktime_date_iso(ctx, to),
	              deviations_whole_day_code(c) ? NULL : ctx_i64(ctx, hours),
	              deviations_whole_day_code(c) ? "t" : "f", note,
	              ctx->user_id ? ctx_i64(ctx, ctx->user_id) : NULL,
	              paid != DATE_NONE ? worktime_date_iso(ctx, paid) : NULL, cause);
	if (res == NULL)
		return -1;
	json_object *detail = audit_detail("code", c->letter);
	jsonx_set_int(detail, "employee_id", employee);
	if (audit_log(ctx, "deviations.created", 1, "deviation", PQgetvalue(res, 0, 0), detail) < 0)
		return -1;
	ctx->status = 201;
	json_object_object_add(ctx_result(ctx), "deviation", deviations_json(ctx, res, 0));
	/* illness during a vacation: return the days (nothing to do: the Б wins
	 * on them) or extend the vacation */
	extended = json_object_new_array();
	json_object_object_add(ctx_result(ctx), "extended", extended);
	for (int i = 0; vacations && c->number == T13_B && vacation &&
	                strcmp(vacation, "extend") == 0 && i < PQntuples(vacations);
	     i++)
		if (deviations_extend(ctx, employee, PQgetvalue(vacations, i, 0),
		                      worktime_pg_date(vacations, i, 2),
		                      worktime_pg_date(vacations, i, 3), from, to, extended) < 0)
			return -1;
	warnings = json_object_new_array();
	json_object_object_add(ctx_result(ctx), "warnings", warnings);
	/* (a request's own effect, ctx_call from requests.c, finds its request
	 * here too: its caller keeps only the document) */
	if (deviations_whole_day_code(c) && c->number != 26 &&
	    deviations_request_warnings(ctx, employee, c->number, from, to, warnings) < 0)
		return -1;
	/* art. 99: overtime beyond its limits is recorded, and warned */
	if (c->number == T13_S &&
	    worktime_overtime_warnings(ctx, employee, 0, from, to, warnings) < 0)
		return -1;
	return deviations_posted_warnings(ctx, employee, c, from, to, warnings);
}

/* GET /api/admin/deviations?employee_id=&month=YYYY-MM (both optional) */
static int deviations_list(struct ctx *ctx)
{
	json_object *items = json_object_new_array();
	int64_t employee;
	int year = 0, month = 0;
	const char *first = NULL, *last = NULL, *mtext = jsonx_get_str(ctx->args, "month");
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "deviations", items);
	/* an empty field of the page's filter form means "any" */
	if (worktime_arg_employee(ctx, "employee_id", "employee", 0, &employee) < 0)
		return -1;
	if (jsonx_get(ctx->args, "month") && !(mtext && !*mtext)) {
		if (worktime_arg_month(ctx, "month", &year, &month) < 0)
			return -1;
		first = worktime_date_iso(ctx, date_month_first(year, month));
		last = worktime_date_iso(ctx, date_month_last(year, month));
	}
	res = ctx_sql(
	    ctx,
	    "SELECT d.id, d.employee_id, d.code, d.date_from, d.date_to, d.hours, "
	    "d.whole_day, d.note, d.paid, d.cause, e.full_name FROM deviations d JOIN employees e "
	    "ON "
	    "e.tenant_id = d.tenant_id AND e.id = d.employee_id WHERE d.tenant_id = $1 AND "
	    "($2::bigint IS NULL OR d.employee_id = $2) AND ($3::date IS NULL OR "
	    "(d.date_to >= $3::date AND d.date_from <= $4::date)) "
	    "ORDER BY d.date_from, d.employee_id, d.id LIMIT 5000",
	    ctx_i64(ctx, ctx->tenant_id), employee ? ctx_i64(ctx, employee) : NULL, first, last);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++)
		json_object_array_add(items, deviations_json(ctx, res, r));
	return 0;
}

/* GET /api/admin/deviations/{id} */
static int deviations_get(struct ctx *ctx)
{
	int64_t id;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	res = ctx_sql(
	    ctx, "SELECT " DEVIATIONS_COLUMNS " FROM deviations WHERE tenant_id = $1 AND id = $2",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Документ не найден");
	json_object_object_add(ctx_result(ctx), "deviation", deviations_json(ctx, res, 0));
	return 0;
}

/* DELETE /api/admin/deviations/{id} */
static int deviations_delete(struct ctx *ctx)
{
	int64_t id;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "DELETE FROM deviations WHERE tenant_id = $1 AND id = $2 "
	              "RETURNING code, date_from, date_to, employee_id",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Документ не найден");
	/* a closed month's document stays: the failure rolls the delete back */
	if (payrun_check_open_for(ctx, atoll(PQgetvalue(res, 0, 3)), worktime_pg_date(res, 0, 1),
	                          worktime_pg_date(res, 0, 2)) < 0)
		return -1;
	const struct t13_code *c = t13_get(atoi(PQgetvalue(res, 0, 0)));
	json_object *detail = audit_detail("code", c ? c->letter : "?");
	jsonx_set_int(detail, "employee_id", atoll(PQgetvalue(res, 0, 3)));
	if (audit_log(ctx, "deviations.deleted", 1, "deviation", ctx_i64(ctx, id), detail) < 0)
		return -1;
	jsonx_set_bool(ctx_result(ctx), "deleted", 1);
	return 0;
}

/* an employee by id, or by full name or personnel number (the picker's
 * text, worktime_arg_employee) */
#define DEVIATIONS_EMPLOYEE_ARGS                                                                   \
	{"employee_id", ARG_INT, 0, .min = 1, .max = INT64_MAX},                                   \
	{                                                                                          \
		"employee", ARG_STR, 0, .max = 400                                                 \
	}

static const struct op_arg deviations_list_args[] = {
    DEVIATIONS_EMPLOYEE_ARGS,
    ARG_ROW_MONTH("month", 0),
    ARG_END,
};
static const struct op_arg deviations_id_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
static const char *const deviations_vacation_modes[] = {"return", "extend", NULL};
static const struct op_arg deviations_create_args[] = {
    DEVIATIONS_EMPLOYEE_ARGS,
    {"code", ARG_STR, ARG_REQUIRED, .max = 16, .example = "\"Б\""},
    ARG_ROW_DATE("date_from", 0),
    ARG_ROW_DATE("date_to", 0),
    ARG_ROW_DATE("date", 0),
    {"hours", ARG_HOURS, 0, .max = 2400, .hint = "Часы за день: больше 0 и не больше 24"},
    {"note", ARG_STR, 0, .max = 500},
    /* ОТ/ОД: the payment date of the vacation pay (art. 136) */
    ARG_ROW_DATE("paid", 0),
    /* Б: the cause (255-FZ: who pays from which day), illness in a vacation */
    {"cause", ARG_ENUM, 0, .values = average_cause_names,
     .hint = "Причина: illness (своя болезнь или травма), care (уход за членом семьи), "
             "quarantine (карантин) или work_injury (производственная травма)"},
    {"vacation", ARG_ENUM, 0, .values = deviations_vacation_modes,
     .hint = "Болезнь в отпуске: return (дни вернуть в остаток отпуска) или extend (продлить "
             "отпуск)"},
    ARG_END,
};

const struct op deviations_ops[] = {
    {"deviations.list", OP_ADMIN, deviations_list, 0, deviations_list_args},
    {"deviations.get", OP_ADMIN, deviations_get, 0, deviations_id_args},
    {"deviations.create", OP_ADMIN, deviations_create, OP_WRITE | OP_IDEMPOTENT,
     deviations_create_args},
    {"deviations.delete", OP_ADMIN, deviations_delete, OP_WRITE, deviations_id_args},
    {NULL, 0, NULL, 0, NULL},
};
