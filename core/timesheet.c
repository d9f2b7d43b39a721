/*
 * timesheet.c - timesheet documents (continuous registration): one per
 * employee and month. "fill" writes the month from the schedule and the
 * deviation documents (worktime.c, the same filling as the T-13 report),
 * then the administrator sets the rows of dates, and posts it. A posted
 * timesheet has priority over deviation documents (payroll reads posted
 * timesheets only) and is not changed until unposted.
 *
 * Hours of a date: the rows other than Н add up to at most 24 h; Н counts
 * night hours inside the day's work (payroll.h), at most 24 h.
 */
#include "audit.h"
#include "date.h"
#include "jsonx.h"
#include "ops.h"
#include "payrun.h"
#include "ru.h"
#include "t13.h"
#include "worktime.h"

#include <stdlib.h>
#include <string.h>

struct timesheet_doc {
	int64_t employee;
	int year, month;
	const char *month_text;  /* "2025-04" */
	const char *month_title; /* "апрель 2025 г.", for messages */
	const char *first;       /* "2025-04-01" */
	int64_t id;              /* 0: none yet */
	int posted;
};

static int timesheet_args(struct ctx *ctx, struct timesheet_doc *doc)
{
	char m[DATE_MONTH_BUFSZ];
	int bad = 0;

	memset(doc, 0, sizeof(*doc));
	if (ctx_arg_int(ctx, "employee_id", 1, INT64_MAX, CTX_REQUIRED, &doc->employee) < 0)
		bad = -1;
	if (worktime_arg_month(ctx, "month", &doc->year, &doc->month) < 0 || bad < 0)
		return -1;
	date_format_month(doc->year, doc->month, m);
	doc->month_text = arena_strdup(ctx->arena, m);
	doc->month_title = payrun_month_title(ctx, doc->year, doc->month);
	doc->first = arena_printf(ctx->arena, "%s-01", m);
	return worktime_employee_check(ctx, doc->employee, ctx->op->flags & OP_WRITE);
}

/* Finds the document (locking it for writes); create: make a draft. */
static int timesheet_find(struct ctx *ctx, struct timesheet_doc *doc, int create)
{
	PGresult *res;

	if (create &&
	    ctx_sql(ctx,
	            "INSERT INTO timesheets (tenant_id, employee_id, month) VALUES ($1, $2, "
	            "$3::date) ON CONFLICT (tenant_id, employee_id, month) DO NOTHING",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, doc->employee), doc->first) == NULL)
		return -1;
	res = ctx_sql(ctx,
	              (ctx->op->flags & OP_WRITE)
	                  ? "SELECT id, status FROM timesheets WHERE tenant_id = $1 AND "
	                    "employee_id = $2 AND month = $3::date FOR UPDATE"
	                  : "SELECT id, status FROM timesheets WHERE tenant_id = $1 AND "
	                    "employee_id = $2 AND month = $3::date",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, doc->employee), doc->first);
	if (res == NULL)
		return -1;
	if (PQntuples(res)) {
		doc->id = atoll(PQgetvalue(res, 0, 0));
		doc->posted = strcmp(PQgetvalue(res, 0, 1), "posted") == 0;
	}
	return 0;
}

static int timesheet_not_posted(struct ctx *ctx, const struct timesheet_doc *doc)
{
	if (doc->posted)
		return ctx_fail(ctx, PROTO_ERR_conflict,
		                "Табель за %s проведён: чтобы изменить его, отмените проведение",
		                doc->month_title);
	return 0;
}

/* The document as the answer: status and every date's rows. */
static int timesheet_answer(struct ctx *ctx, const struct timesheet_doc *doc)
{
	json_object *r = ctx_result(ctx), *days = json_object_new_array();
	int first = date_month_first(doc->year, doc->month);
	int last = date_month_last(doc->year, doc->month);
	PGresult *head, *rows;

	head = ctx_sql(ctx,
	               "SELECT id, status, posted_at FROM timesheets WHERE tenant_id = $1 AND "
	               "employee_id = $2 AND month = $3::date",
	               ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, doc->employee), doc->first);
	if (head == NULL)
		return -1;
	PGresult *who =
	    ctx_sql(ctx, "SELECT full_name FROM employees WHERE tenant_id = $1 AND id = $2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, doc->employee));
	if (who == NULL)
		return -1;
	jsonx_set_int(r, "employee_id", doc->employee);
	jsonx_set_str(r, "full_name", PQntuples(who) ? PQgetvalue(who, 0, 0) : "");
	jsonx_set_str(r, "month", doc->month_text);
	jsonx_set_str(r, "month_title", doc->month_title);
	json_object_object_add(r, "days", days);
	if (PQntuples(head) == 0) {
		jsonx_set_bool(r, "exists", 0);
		jsonx_set_bool(r, "posted", 0);
		json_object_object_add(r, "status", NULL);
		return 0;
	}
	jsonx_set_bool(r, "exists", 1);
	jsonx_set_int(r, "id", atoll(PQgetvalue(head, 0, 0)));
	jsonx_set_str(r, "status", PQgetvalue(head, 0, 1));
	jsonx_set_str(r, "status_title",
	              strcmp(PQgetvalue(head, 0, 1), "posted") == 0 ? "проведён" : "черновик");
	jsonx_set_bool(r, "posted", strcmp(PQgetvalue(head, 0, 1), "posted") == 0);
	jsonx_set_str(r, "posted_at", PQgetisnull(head, 0, 2) ? NULL : PQgetvalue(head, 0, 2));
	rows = ctx_sql(ctx,
	               "SELECT date, code, hours FROM timesheet_rows WHERE tenant_id = $1 AND "
	               "timesheet_id = $2 ORDER BY date, code",
	               ctx_i64(ctx, ctx->tenant_id), PQgetvalue(head, 0, 0));
	if (rows == NULL)
		return -1;
	int k = 0, n = PQntuples(rows), nd = last - first + 1;
	struct workday wd[31];
	struct workday_totals t;
	memset(wd, 0, sizeof(wd));
	for (int d = 0; d < nd; d++) {
		json_object *o = json_object_new_object(), *list = json_object_new_array();
		char codes[WORKDAY_MAX_ROWS * 8], hours[WORKDAY_MAX_ROWS * 16];

		wd[d].date = first + d;
		jsonx_set_str(o, "date", worktime_date_iso(ctx, first + d));
		jsonx_set_str(o, "date_ru", worktime_date_ru(ctx, first + d));
		jsonx_set_str(o, "weekday", ru_weekday_short(date_weekday(first + d)));
		jsonx_set_int(o, "day", d + 1);
		for (; k < n && worktime_pg_date(rows, k, 0) == first + d; k++) {
			json_object *row = json_object_new_object();
			const struct t13_code *c = t13_get(atoi(PQgetvalue(rows, k, 1)));
			int32_t h = atoi(PQgetvalue(rows, k, 2));
			jsonx_set_str(row, "code", c ? c->letter : "?");
			json_object_object_add(row, "hours", worktime_hours_json(h));
			json_object_array_add(list, row);
			if (c)
				workday_add(&wd[d], c->number, h);
		}
		workday_cell(&wd[d], codes, sizeof(codes), hours, sizeof(hours));
		jsonx_set_str(o, "codes", codes);
		jsonx_set_str(o, "hours", hours);
		json_object_object_add(o, "rows", list);
		json_object_array_add(days, o);
	}
	workday_totals(wd, nd, &t);
	jsonx_set_int(r, "worked_days", t.days[2]);
	json_object_object_add(r, "worked_hours", worktime_hours_json(t.hours[2]));
	jsonx_set_str(r, "worked_hours_ru", worktime_hours_ru(ctx, t.hours[2]));
	return 0;
}

/* GET /api/admin/timesheets/{employee_id}/{month} */
static int timesheet_get(struct ctx *ctx)
{
	struct timesheet_doc doc;

	if (timesheet_args(ctx, &doc) < 0)
		return -1;
	return timesheet_answer(ctx, &doc);
}

/* GET /api/admin/timesheets?month=YYYY-MM: every employee employed in the
 * month with the status of their timesheet (none, draft, posted). */
static int timesheet_list(struct ctx *ctx)
{
	json_object *items = json_object_new_array();
	int year, month;
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "timesheets", items);
	if (worktime_arg_month(ctx, "month", &year, &month) < 0)
		return -1;
	const char *first = worktime_date_iso(ctx, date_month_first(year, month));
	const char *last = worktime_date_iso(ctx, date_month_last(year, month));
	res = ctx_sql(ctx,
	              "SELECT e.id, e.full_name, coalesce(e.personnel_number, ''), t.id, t.status, "
	              "t.posted_at FROM employees e LEFT JOIN timesheets t ON t.tenant_id = "
	              "e.tenant_id AND t.employee_id = e.id AND t.month = $2::date "
	              "WHERE e.tenant_id = $1 AND (e.hired IS NULL OR e.hired <= $3::date) AND "
	              "(e.dismissed IS NULL OR e.dismissed >= $2::date) ORDER BY e.search_name, "
	              "e.full_name, e.id",
	              ctx_i64(ctx, ctx->tenant_id), first, last);
	if (res == NULL)
		return -1;
	jsonx_set_str(ctx_result(ctx), "month", arena_strndup(ctx->arena, first, 7));
	for (int r = 0; r < PQntuples(res); r++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "employee_id", atoll(PQgetvalue(res, r, 0)));
		jsonx_set_str(o, "full_name", PQgetvalue(res, r, 1));
		jsonx_set_str(o, "personnel_number", PQgetvalue(res, r, 2));
		if (PQgetisnull(res, r, 3)) {
			json_object_object_add(o, "id", NULL);
			jsonx_set_str(o, "status", "none");
		} else {
			jsonx_set_int(o, "id", atoll(PQgetvalue(res, r, 3)));
			jsonx_set_str(o, "status", PQgetvalue(res, r, 4));
		}
		jsonx_set_str(o, "posted_at",
		              PQgetisnull(res, r, 5) ? NULL : PQgetvalue(res, r, 5));
		json_object_array_add(items, o);
	}
	return 0;
}

/* Writes the rows of one date (the date's old rows go). */
static int timesheet_put_date(struct ctx *ctx, const struct timesheet_doc *doc, int date,
                              const struct workday_row *rows, int n)
{
	struct buf codes = BUF_INIT, hours = BUF_INIT;
	const char *d = worktime_date_iso(ctx, date), *tenant = ctx_i64(ctx, ctx->tenant_id);
	const char *id = ctx_i64(ctx, doc->id);

	if (ctx_sql(ctx,
	            "DELETE FROM timesheet_rows WHERE tenant_id = $1 AND timesheet_id = $2 AND "
	            "date = $3",
	            tenant, id, d) == NULL)
		return -1;
	if (n == 0)
		return 0;
	buf_putc(&codes, '{');
	buf_putc(&hours, '{');
	for (int i = 0; i < n; i++) {
		buf_printf(&codes, "%s%d", i ? "," : "", rows[i].code);
		buf_printf(&hours, "%s%d", i ? "," : "", rows[i].hours);
	}
	buf_putc(&codes, '}');
	buf_putc(&hours, '}');
	const char *c = arena_strndup(ctx->arena, codes.data, codes.len);
	const char *h = arena_strndup(ctx->arena, hours.data, hours.len);
	buf_free(&codes);
	buf_free(&hours);
	return ctx_sql(
	           ctx,
	           "INSERT INTO timesheet_rows (tenant_id, timesheet_id, date, code, hours) "
	           "SELECT $1, $2, $3, c, h FROM unnest($4::smallint[], $5::integer[]) AS u(c, h)",
	           tenant, id, d, c, h)
	           ? 0
	           : -1;
}

/* Writes every date of a whole month with one statement. */
static int timesheet_put_month(struct ctx *ctx, const struct timesheet_doc *doc,
                               const struct worktime_employee *e, int ndays)
{
	struct buf dates = BUF_INIT, codes = BUF_INIT, hours = BUF_INIT;
	int n = 0;
	PGresult *res;

	if (ctx_sql(ctx, "DELETE FROM timesheet_rows WHERE tenant_id = $1 AND timesheet_id = $2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, doc->id)) == NULL)
		return -1;
	buf_putc(&dates, '{');
	buf_putc(&codes, '{');
	buf_putc(&hours, '{');
	for (int d = 0; d < ndays; d++)
		for (int i = 0; i < e->days[d].nrows; i++, n++) {
			buf_printf(&dates, "%s%s", n ? "," : "",
			           worktime_date_iso(ctx, e->days[d].date));
			buf_printf(&codes, "%s%d", n ? "," : "", e->days[d].rows[i].code);
			buf_printf(&hours, "%s%d", n ? "," : "", e->days[d].rows[i].hours);
		}
	buf_putc(&dates, '}');
	buf_putc(&codes, '}');
	buf_putc(&hours, '}');
	res = ctx_sql(ctx,
	              "INSERT INTO timesheet_rows (tenant_id, timesheet_id, date, code, hours) "
	              "SELECT $1, $2, d, c, h FROM unnest($3::date[], $4::smallint[], "
	              "$5::integer[]) AS u(d, c, h)",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, doc->id),
	              arena_strndup(ctx->arena, dates.data, dates.len),
	              arena_strndup(ctx->arena, codes.data, codes.len),
	              arena_strndup(ctx->arena, hours.data, hours.len));
	buf_free(&dates);
	buf_free(&codes);
	buf_free(&hours);
	return res ? 0 : -1;
}

/* POST /api/admin/timesheets/{employee_id}/{month}/fill: the month from the
 * schedule and the deviation documents (replacing the draft's rows). */
/* A month whose payroll is closed keeps its timesheets as they were paid. */
static int timesheet_month_open(struct ctx *ctx, const struct timesheet_doc *doc)
{
	return payrun_check_open_for(ctx, doc->employee, date_month_first(doc->year, doc->month),
	                             date_month_last(doc->year, doc->month));
}

/* The 24-hour rule on a filled month (timesheet_read_rows() on a saved
 * day, deviations_place() on a document): a day whose plan and hour
 * documents (С, РВ) add up to more than 24 h — a schedule changed after
 * the documents, or documents made before the rule — is refused at field,
 * naming the employee and the day; 0 when none is. */
static int timesheet_day_limit(struct ctx *ctx, const struct worktime_employee *e, int ndays,
                               const char *field)
{
	for (int d = 0; d < ndays; d++) {
		int32_t h = workday_rows_hours(e->days[d].rows, e->days[d].nrows);

		if (h > WORKDAY_MAX_HOURS)
			return ctx_field_code(ctx, field, "day_total",
			                      "%s, %s: по графику и документам-отклонениям за день "
			                      "получается %s ч, а "
			                      "в дне не больше 24 ч. Исправьте документ "
			                      "(сверхурочная работа, работа в "
			                      "выходной) или график и заполните табель снова",
			                      e->full_name, worktime_date_ru(ctx, e->days[d].date),
			                      worktime_hours_ru(ctx, h));
	}
	return 0;
}

/* The month of doc's employee from the schedule and the deviation documents,
 * checked as the fill checks it (employed, no clash, a schedule for every
 * day, at most 24 h a day). 0 with m loaded; lenient: 1 when the employee
 * was not employed or has no schedule for the month (nothing to fill from,
 * no error set); otherwise -1 with the error set at "month". */
static int timesheet_plan_month(struct ctx *ctx, const struct timesheet_doc *doc,
                                struct worktime_month *m, int lenient)
{
	struct worktime_employee *e;
	int planned = 0, employed = 0;

	if (worktime_month_load(ctx, doc->year, doc->month, &doc->employee, 1, 0, m) < 0)
		return -1;
	e = &m->emp[0];
	for (int d = 0; d < m->ndays; d++) {
		planned += (e->days[d].flags & WORKDAY_PLANNED) != 0;
		employed += (e->days[d].flags & WORKDAY_EMPLOYED) != 0;
	}
	if (employed == 0)
		return lenient ? 1
		               : ctx_field_code(ctx, "month", "not_employed",
		                                "За %s сотрудник не работал в организации (даты "
		                                "приёма и увольнения)",
		                                doc->month_title);
	if (e->error != NULL)
		return ctx_field_code(ctx, "month", "clash", "%s", e->error);
	if (e->uncovered != DATE_NONE || planned == 0)
		return lenient ? 1
		               : ctx_field_code(ctx, "month", "no_schedule",
		                                "Нет графика работы на %s: назначьте сотруднику "
		                                "график или индивидуальный график на месяц",
		                                planned ? worktime_date_ru(ctx, e->uncovered)
		                                        : doc->month_title);
	return timesheet_day_limit(ctx, e, m->ndays, "month") != 0 ? -1 : 0;
}

static int timesheet_fill(struct ctx *ctx)
{
	struct timesheet_doc doc;
	struct worktime_month m;

	if (timesheet_args(ctx, &doc) < 0 || timesheet_month_open(ctx, &doc) < 0 ||
	    timesheet_plan_month(ctx, &doc, &m, 0) < 0)
		return -1;
	if (timesheet_find(ctx, &doc, 1) < 0 || timesheet_not_posted(ctx, &doc) < 0 ||
	    timesheet_put_month(ctx, &doc, &m.emp[0], m.ndays) < 0 ||
	    audit_log(ctx, "timesheets.filled", 1, "timesheet", ctx_i64(ctx, doc.id),
	              audit_detail("month", doc.month_text)) < 0)
		return -1;
	return timesheet_answer(ctx, &doc);
}

/* The number of rows the document holds. */
static int timesheet_row_count(struct ctx *ctx, const struct timesheet_doc *doc)
{
	PGresult *res = ctx_sql(ctx,
	                        "SELECT count(*) FROM timesheet_rows WHERE tenant_id = $1 AND "
	                        "timesheet_id = $2",
	                        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, doc->id));

	return res ? atoi(PQgetvalue(res, 0, 0)) : -1;
}

/* An edit of a timesheet that holds no rows yet (never filled) first fills
 * the whole month from the schedule and the documents, as the fill does, in
 * the same transaction: a day edit never leaves the other days empty (a
 * month paid as 0 days). Without a schedule the days given stand alone.
 * *filled: 1 when it filled. */
static int timesheet_fill_first(struct ctx *ctx, const struct timesheet_doc *doc, int *filled)
{
	struct worktime_month m;
	int n = timesheet_row_count(ctx, doc), rc;

	*filled = 0;
	if (n != 0)
		return n < 0 ? -1 : 0;
	if ((rc = timesheet_plan_month(ctx, doc, &m, 1)) != 0)
		return rc < 0 ? -1 : 0;
	if (timesheet_put_month(ctx, doc, &m.emp[0], m.ndays) < 0 ||
	    audit_log(ctx, "timesheets.filled", 1, "timesheet", ctx_i64(ctx, doc->id),
	              audit_detail("month", doc->month_text)) < 0)
		return -1;
	*filled = 1;
	return 0;
}

/* Posting refuses a timesheet with days left empty where the schedule has
 * work (a cleared working day would be paid as not worked without a
 * word): 422 at month naming the first days; the admin marks them (Я, НН,
 * ...) or fills the timesheet again. */
static int timesheet_empty_work_days(struct ctx *ctx, const struct timesheet_doc *doc)
{
	struct workday *days;
	struct buf names = BUF_INIT;
	int ndays, count = 0, rc = 0;
	PGresult *res;

	if (worktime_plan_days(ctx, doc->year, doc->month, doc->employee, &days, &ndays) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT DISTINCT date FROM timesheet_rows WHERE tenant_id = $1 AND "
	              "timesheet_id = $2 ORDER BY date",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, doc->id));
	if (res == NULL)
		return -1;
	for (int d = 0, k = 0; d < ndays; d++) {
		const struct workday *day = &days[d];
		int date = day->date, has = 0;

		for (; k < PQntuples(res) && worktime_pg_date(res, k, 0) <= date; k++)
			has |= worktime_pg_date(res, k, 0) == date;
		if (has || !(day->flags & WORKDAY_PLANNED) || !(day->flags & WORKDAY_EMPLOYED) ||
		    day->plan_hours <= 0)
			continue;
		if (count++ < 5)
			buf_printf(&names, "%s%s", count > 1 ? ", " : "", worktime_date_ru(ctx, date));
	}
	if (count > 0) {
		if (count > 5)
			buf_printf(&names, " и ещё %d", count - 5);
		buf_putc(&names, '\0');
		rc = ctx_field_code(ctx, "month", "empty_work_days",
		                    "В табеле %s без отметок — по графику %s: %s. Отметьте, "
		                    "что было (Я, НН, ОТ…), или заполните табель заново по графику и "
		                    "отклонениям, затем проведите",
		                    ru_plural(count, "остался рабочий день", "остались рабочие дни",
		                              "остались рабочие дни"),
		                    count == 1 ? "рабочий" : "рабочие", names.data);
	}
	buf_free(&names);
	return rc;
}

/* Appends "a,b,c" text of an int64 array element to b (for unnest). */
static void timesheet_arr(struct buf *b, long long v)
{
	buf_printf(b, "%s%lld", b->len > 1 ? "," : "", v);
}

/* POST /api/admin/timesheets/fill {"month"}: fills the timesheets of every
 * employee employed in the month from schedules and deviations, in a few
 * statements whatever their number; posted timesheets are left alone and
 * employees without a schedule for some employed day are listed as
 * skipped with the reason. */
static int timesheet_fill_all(struct ctx *ctx)
{
	struct buf emp = BUF_INIT, dates = BUF_INIT, codes = BUF_INIT, hours = BUF_INIT;
	struct buf drafts = BUF_INIT;
	json_object *r, *skipped = json_object_new_array();
	struct worktime_month m;
	int year, month, filled = 0, posted = 0, over = 0, rc = -1;
	PGresult *res;

	if (worktime_arg_month(ctx, "month", &year, &month) < 0 ||
	    payrun_check_open(ctx, date_month_first(year, month), date_month_last(year, month)) <
	        0 ||
	    worktime_month_load(ctx, year, month, NULL, 0, 0, &m) < 0) {
		json_object_put(skipped);
		return -1;
	}
	r = ctx_result(ctx);
	json_object_object_add(r, "skipped", skipped);
	const char *tenant = ctx_i64(ctx, ctx->tenant_id);
	const char *first = worktime_date_iso(ctx, m.first);
	char *ok = arena_alloc(ctx->arena, (size_t)(m.n ? m.n : 1));

	buf_putc(&emp, '{');
	for (int i = 0; i < m.n; i++) {
		struct worktime_employee *e = &m.emp[i];
		int planned = 0;
		for (int d = 0; d < m.ndays; d++)
			planned += (e->days[d].flags & WORKDAY_PLANNED) != 0;
		if (e->error != NULL || e->uncovered != DATE_NONE || planned == 0) {
			json_object *o = json_object_new_object();
			jsonx_set_int(o, "employee_id", e->id);
			jsonx_set_str(o, "full_name", e->full_name);
			jsonx_set_str(
			    o, "reason",
			    e->error != NULL
			        ? e->error
			        : arena_printf(ctx->arena, "Нет графика работы на %s",
			                       e->uncovered != DATE_NONE
			                           ? worktime_date_ru(ctx, e->uncovered)
			                           : arena_strndup(ctx->arena, first, 7)));
			json_object_array_add(skipped, o);
			continue;
		}
		/* nothing is written when a day breaks the 24-hour rule: each
		 * such employee is named at employees.<id> */
		if (timesheet_day_limit(
		        ctx, e, m.ndays,
		        arena_printf(ctx->arena, "employees.%lld", (long long)e->id)))
			over++;
		ok[i] = 1;
		timesheet_arr(&emp, e->id);
	}
	buf_putc(&emp, '}');
	if (over > 0) {
		ctx_fail_about(ctx, PROTO_ERR_validation,
		               "Табели за %s не заполнены: у %d %s за день получается больше 24 "
		               "часов (по графику и документам-отклонениям). Исправьте документы "
		               "или графики и заполните снова",
		               payrun_month_title(ctx, year, month), over,
		               ru_plural(over, "сотрудника", "сотрудников", "сотрудников"));
		goto out;
	}
	const char *ids = arena_strndup(ctx->arena, emp.data, emp.len);
	/* the documents: drafts made where missing; posted ones stay as they are */
	if (ctx_sql(ctx,
	            "INSERT INTO timesheets (tenant_id, employee_id, month) SELECT $1, u, $3::date "
	            "FROM unnest($2::bigint[]) AS u ON CONFLICT (tenant_id, employee_id, month) DO "
	            "NOTHING",
	            tenant, ids, first) == NULL)
		goto out;
	res =
	    ctx_sql(ctx,
	            "SELECT t.employee_id, t.id, t.status FROM timesheets t WHERE t.tenant_id = $1 "
	            "AND t.month = $3::date AND t.employee_id = ANY ($2::bigint[]) "
	            "ORDER BY t.employee_id FOR UPDATE",
	            tenant, ids, first);
	if (res == NULL)
		goto out;
	buf_reset(&emp);
	buf_putc(&emp, '{');
	buf_putc(&dates, '{');
	buf_putc(&codes, '{');
	buf_putc(&hours, '{');
	buf_putc(&drafts, '{');
	for (int k = 0, i = 0; k < PQntuples(res); k++) {
		int64_t eid = atoll(PQgetvalue(res, k, 0)), tid = atoll(PQgetvalue(res, k, 1));
		if (strcmp(PQgetvalue(res, k, 2), "posted") == 0) {
			posted++;
			continue;
		}
		while (i < m.n && m.emp[i].id < eid)
			i++;
		if (i >= m.n || m.emp[i].id != eid || !ok[i])
			continue;
		filled++;
		for (int d = 0; d < m.ndays; d++)
			for (int j = 0; j < m.emp[i].days[d].nrows; j++) {
				timesheet_arr(&emp, tid);
				buf_printf(&dates, "%s%s", dates.len > 1 ? "," : "",
				           worktime_date_iso(ctx, m.emp[i].days[d].date));
				timesheet_arr(&codes, m.emp[i].days[d].rows[j].code);
				timesheet_arr(&hours, m.emp[i].days[d].rows[j].hours);
			}
		timesheet_arr(&drafts, tid);
	}
	buf_putc(&emp, '}');
	buf_putc(&dates, '}');
	buf_putc(&codes, '}');
	buf_putc(&hours, '}');
	buf_putc(&drafts, '}');
	/* the drafts keep no old rows */
	if (ctx_sql(ctx,
	            "DELETE FROM timesheet_rows WHERE tenant_id = $1 AND timesheet_id = ANY "
	            "($2::bigint[])",
	            tenant, arena_strndup(ctx->arena, drafts.data, drafts.len)) == NULL)
		goto out;
	if (ctx_sql(ctx,
	            "INSERT INTO timesheet_rows (tenant_id, timesheet_id, date, code, hours) "
	            "SELECT $1, t, d, c, h FROM unnest($2::bigint[], $3::date[], $4::smallint[], "
	            "$5::integer[]) AS u(t, d, c, h)",
	            tenant, arena_strndup(ctx->arena, emp.data, emp.len),
	            arena_strndup(ctx->arena, dates.data, dates.len),
	            arena_strndup(ctx->arena, codes.data, codes.len),
	            arena_strndup(ctx->arena, hours.data, hours.len)) == NULL)
		goto out;
	json_object *detail = audit_detail("month", arena_strndup(ctx->arena, first, 7));
	jsonx_set_int(detail, "filled", filled);
	if (audit_log(ctx, "timesheets.filled_all", 1, NULL, NULL, detail) < 0)
		goto out;
	jsonx_set_str(r, "month", arena_strndup(ctx->arena, first, 7));
	jsonx_set_int(r, "filled", filled);
	jsonx_set_int(r, "posted", posted);
	rc = 0;
out:
	buf_free(&drafts);
	buf_free(&emp);
	buf_free(&dates);
	buf_free(&codes);
	buf_free(&hours);
	return rc;
}

/* Reads days[i].rows into rows; field errors name days[i].rows[j].*. */
static int timesheet_read_rows(struct ctx *ctx, json_object *list, int i, struct workday_row *rows,
                               int *n)
{
	int bad = 0;

	*n = 0;
	if (list == NULL || !json_object_is_type(list, json_type_array) ||
	    json_object_array_length(list) > WORKDAY_MAX_ROWS)
		return ctx_field_code(ctx, arena_printf(ctx->arena, "days[%d].rows", i), "invalid",
		                      "Строки дня: список до %d %s (код, часы)", WORKDAY_MAX_ROWS,
		                      ru_plural(WORKDAY_MAX_ROWS, "пары", "пар", "пар"));
	for (size_t j = 0; j < json_object_array_length(list); j++) {
		json_object *row = json_object_array_get_idx(list, j);
		const char *letter = jsonx_get_str(row, "code");
		const struct t13_code *c = letter ? t13_find(letter) : NULL;
		json_object *hv = jsonx_get(row, "hours");
		int32_t h = 0;

		if (c == NULL) {
			bad = ctx_field_code(
			    ctx, arena_printf(ctx->arena, "days[%d].rows[%zu].code", i, j),
			    "unknown_code", "Неизвестный код табеля «%s»", letter ? letter : "");
			continue;
		}
		if (hv && worktime_hours(hv, 2400, &h) < 0) {
			bad = ctx_field_code(
			    ctx, arena_printf(ctx->arena, "days[%d].rows[%zu].hours", i, j),
			    "hours", "Часы: от 0 до 24");
			continue;
		}
		for (int k = 0; k < *n; k++)
			if (rows[k].code == c->number)
				bad = ctx_field_code(
				    ctx, arena_printf(ctx->arena, "days[%d].rows[%zu].code", i, j),
				    "duplicate", "Код %s указан за день дважды", c->letter);
		rows[(*n)++] = (struct workday_row){c->number, h};
	}
	if (bad == 0 && workday_rows_hours(rows, *n) > WORKDAY_MAX_HOURS)
		bad = ctx_field_code(ctx, arena_printf(ctx->arena, "days[%d].rows", i), "hours",
		                     "За день получается больше 24 часов");
	if (bad == 0) {
		int codes[WORKDAY_MAX_ROWS], a, b;

		for (int k = 0; k < *n; k++)
			codes[k] = rows[k].code;
		if (workday_clash(codes, *n, &a, &b) < 0)
			bad = ctx_field_code(ctx, arena_printf(ctx->arena, "days[%d].rows", i),
			                     "clash",
			                     "Код %s — целый день, он не ставится в один день с "
			                     "кодом %s",
			                     t13_get(a)->letter, t13_get(b)->letter);
	}
	return bad;
}

/* Where an hour code may stand by the plan (workday_place()): С only on a
 * working day, РВ only on a day off or a non-working holiday; 422 at the
 * day's rows naming the date and the right code. */
static int timesheet_places(struct ctx *ctx, const struct timesheet_doc *doc, const int *dates,
                            struct workday_row (*rows)[WORKDAY_MAX_ROWS], const int *nrows, int n)
{
	struct workday *days;
	int ndays, bad = 0;
	char msg[512];

	if (worktime_plan_days(ctx, doc->year, doc->month, doc->employee, &days, &ndays) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const struct workday *day =
		    &days[dates[i] - date_month_first(doc->year, doc->month)];
		for (int j = 0; j < nrows[i]; j++)
			if (workday_place(day, rows[i][j].code, msg, sizeof(msg)) != 0) {
				bad = ctx_field_code(ctx,
				                     arena_printf(ctx->arena, "days[%d].rows", i),
				                     "day_kind", "%s", msg);
				break;
			}
	}
	return bad;
}

/* Warns about attendance on a planned day off, if the tenant wants that. */
static int timesheet_warnings(struct ctx *ctx, const struct timesheet_doc *doc, const int *dates,
                              struct workday_row (*rows)[WORKDAY_MAX_ROWS], const int *nrows, int n,
                              json_object *out)
{
	struct worktime_month m;
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT coalesce(lower(settings->>'warn_dayoff_attendance'), 'true') "
	            "NOT IN ('false', 'f', '0', 'off', 'no') FROM tenants WHERE id = $1",
	            ctx_i64(ctx, ctx->tenant_id));

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		return 0;
	if (worktime_month_load(ctx, doc->year, doc->month, &doc->employee, 1, 0, &m) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const struct workday *day = &m.emp[0].days[dates[i] - m.first];
		if (!(day->flags & WORKDAY_PLANNED) || day->plan_hours > 0)
			continue;
		for (int j = 0; j < nrows[i]; j++) {
			const struct t13_code *c = t13_get(rows[i][j].code);
			if (c == NULL || !(c->cls == T13_CLASS_WORK || c->cls == T13_CLASS_NIGHT ||
			                   c->cls == T13_CLASS_OVERTIME))
				continue;
			json_object *w = json_object_new_object();
			jsonx_set_str(w, "date", worktime_date_iso(ctx, dates[i]));
			jsonx_set_str(w, "code", "dayoff_attendance");
			jsonx_set_str(w, "message",
			              arena_printf(ctx->arena,
			                           "%s — выходной день по графику, а отмечена явка "
			                           "(%s). Работу в выходной отмечают кодом РВ",
			                           worktime_date_ru(ctx, dates[i]), c->letter));
			json_object_array_add(out, w);
			break;
		}
	}
	return 0;
}

/* A date cleared (no rows) that is a day off by the plan gets В, as the
 * filling gives it: the form never shows an empty day off. */
static int timesheet_cleared_days_off(struct ctx *ctx, const struct timesheet_doc *doc,
                                      const int *dates,
                                      struct workday_row (*rows)[WORKDAY_MAX_ROWS], int *nrows,
                                      int n)
{
	struct worktime_month m;
	int any = 0;

	for (int i = 0; i < n; i++)
		any |= nrows[i] == 0;
	if (!any)
		return 0;
	if (worktime_month_load(ctx, doc->year, doc->month, &doc->employee, 1, 0, &m) < 0)
		return -1;
	for (int i = 0; i < n; i++) {
		const struct workday *day = &m.emp[0].days[dates[i] - m.first];
		if (nrows[i] == 0 && (day->flags & WORKDAY_PLANNED) && day->plan_hours == 0) {
			rows[i][0] = (struct workday_row){T13_V, 0};
			nrows[i] = 1;
		}
	}
	return 0;
}

/* PUT /api/admin/timesheets/{employee_id}/{month} {"days": [{"date",
 * "rows": [{"code": "Я", "hours": 8}, ...]}]}: sets the rows of each date
 * given (an empty list clears the date). Creates the draft if needed; a
 * timesheet with no rows yet is first filled (timesheet_fill_first()). */
static int timesheet_save_days(struct ctx *ctx, json_object *days)
{
	json_object *warnings;
	struct timesheet_doc doc;
	int first, last, n, filled = 0, bad = 0;

	if (timesheet_args(ctx, &doc) < 0 || timesheet_month_open(ctx, &doc) < 0)
		return -1;
	if (days == NULL || !json_object_is_type(days, json_type_array) ||
	    (n = (int)json_object_array_length(days)) == 0 || n > 31)
		return ctx_field_code(ctx, "days", "invalid", "Дни табеля: список от 1 до 31 дня");
	first = date_month_first(doc.year, doc.month);
	last = date_month_last(doc.year, doc.month);
	int *dates = arena_alloc(ctx->arena, sizeof(int) * (size_t)n);
	int *nrows = arena_alloc(ctx->arena, sizeof(int) * (size_t)n);
	struct workday_row(*rows)[WORKDAY_MAX_ROWS] =
	    arena_alloc(ctx->arena, sizeof(*rows) * (size_t)n);
	for (int i = 0; i < n; i++) {
		json_object *d = json_object_array_get_idx(days, (size_t)i);
		const char *ds = jsonx_get_str(d, "date");
		if (ds == NULL || date_parse_input(ds, &dates[i]) < 0 || dates[i] < first ||
		    dates[i] > last) {
			bad = ctx_field_code(ctx, arena_printf(ctx->arena, "days[%d].date", i),
			                     "date", "Дата из месяца табеля (%s), например %s",
			                     doc.month_title, worktime_date_ru(ctx, first));
			continue;
		}
		for (int k = 0; k < i; k++)
			if (dates[k] == dates[i])
				bad = ctx_field_code(ctx,
				                     arena_printf(ctx->arena, "days[%d].date", i),
				                     "duplicate", "Дата указана дважды");
		if (timesheet_read_rows(ctx, jsonx_get(d, "rows"), i, rows[i], &nrows[i]) < 0)
			bad = -1;
	}
	if (bad < 0)
		return -1;
	/* rows outside the employment period are refused naming the date */
	{
		int hired, dismissed;

		if (worktime_employment(ctx, doc.employee, &hired, &dismissed) < 0)
			return -1;
		for (int i = 0; i < n; i++)
			if (nrows[i] > 0 && ((hired != DATE_NONE && dates[i] < hired) ||
			                     (dismissed != DATE_NONE && dates[i] > dismissed)))
				bad = ctx_field_code(
				    ctx, arena_printf(ctx->arena, "days[%d].date", i), "employment",
				    "%s",
				    worktime_outside_employment(ctx, dates[i], hired, dismissed));
		if (bad < 0)
			return -1;
	}
	if (timesheet_places(ctx, &doc, dates, rows, nrows, n) < 0)
		return -1;
	if (timesheet_find(ctx, &doc, 1) < 0 || timesheet_not_posted(ctx, &doc) < 0 ||
	    timesheet_fill_first(ctx, &doc, &filled) < 0)
		return -1;
	if (timesheet_cleared_days_off(ctx, &doc, dates, rows, nrows, n) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		if (timesheet_put_date(ctx, &doc, dates[i], rows[i], nrows[i]) < 0)
			return -1;
	warnings = json_object_new_array();
	json_object_object_add(ctx_result(ctx), "warnings", warnings);
	if (filled) {
		json_object *w = json_object_new_object();
		jsonx_set_str(w, "code", "filled_first");
		jsonx_set_str(w, "message",
		              arena_printf(ctx->arena,
		                           "Табель за %s не был заполнен: сначала он заполнен по "
		                           "графику и отклонениям, затем изменены указанные дни",
		                           doc.month_title));
		json_object_array_add(warnings, w);
	}
	if (timesheet_warnings(ctx, &doc, dates, rows, nrows, n, warnings) < 0)
		return -1;
	/* art. 99: the overtime rows written, with the month's draft as its
	 * source, beyond the limits: warned */
	{
		int lo = DATE_NONE, hi = DATE_NONE;

		for (int i = 0; i < n; i++)
			for (int j = 0; j < nrows[i]; j++)
				if (rows[i][j].code == T13_S) {
					lo = lo == DATE_NONE || dates[i] < lo ? dates[i] : lo;
					hi = hi == DATE_NONE || dates[i] > hi ? dates[i] : hi;
				}
		if (lo != DATE_NONE &&
		    worktime_overtime_warnings(ctx, doc.employee, doc.id, lo, hi, warnings) < 0)
			return -1;
	}
	json_object *detail = audit_detail("month", doc.month_text);
	jsonx_set_int(detail, "dates", n);
	if (audit_log(ctx, "timesheets.edited", 1, "timesheet", ctx_i64(ctx, doc.id), detail) < 0)
		return -1;
	return timesheet_answer(ctx, &doc);
}

/* POST .../post and .../unpost */
static int timesheet_set_status(struct ctx *ctx, int post)
{
	struct timesheet_doc doc;
	PGresult *res;

	if (timesheet_args(ctx, &doc) < 0 || timesheet_month_open(ctx, &doc) < 0 ||
	    timesheet_find(ctx, &doc, 0) < 0)
		return -1;
	if (doc.id == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Табеля за %s нет: сначала заполните его",
		                doc.month_title);
	if (post == doc.posted)
		return ctx_fail(ctx, PROTO_ERR_conflict,
		                post ? "Табель уже проведён" : "Табель не проведён");
	if (post) {
		int n = timesheet_row_count(ctx, &doc);

		if (n < 0)
			return -1;
		if (n == 0)
			return ctx_field_code(ctx, "month", "empty",
			                      "Табель пуст: заполните его перед проведением");
		if (timesheet_empty_work_days(ctx, &doc) != 0)
			return -1;
	}
	res = post ? ctx_sql(ctx,
	                     "UPDATE timesheets SET status = 'posted', posted_at = now(), "
	                     "posted_by = $3 WHERE tenant_id = $1 AND id = $2",
	                     ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, doc.id),
	                     ctx->user_id ? ctx_i64(ctx, ctx->user_id) : NULL)
	           : ctx_sql(ctx,
	                     "UPDATE timesheets SET status = 'draft', posted_at = NULL, "
	                     "posted_by = NULL WHERE tenant_id = $1 AND id = $2",
	                     ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, doc.id));
	if (res == NULL ||
	    audit_log(ctx, post ? "timesheets.posted" : "timesheets.unposted", 1, "timesheet",
	              ctx_i64(ctx, doc.id), audit_detail("month", doc.month_text)) < 0)
		return -1;
	return timesheet_answer(ctx, &doc);
}

static int timesheet_save(struct ctx *ctx)
{
	return timesheet_save_days(ctx, jsonx_get(ctx->args, "days"));
}

/* POST /api/admin/timesheets/{employee_id}/{month}/refill: a posted
 * timesheet that a later document contradicts (issue 11 5a.3) is unposted and
 * filled again from the schedule and the documents, left as a draft to check
 * and post. */
static int timesheet_refill(struct ctx *ctx)
{
	struct timesheet_doc doc;

	if (timesheet_args(ctx, &doc) < 0 || timesheet_month_open(ctx, &doc) < 0 ||
	    timesheet_find(ctx, &doc, 0) < 0)
		return -1;
	if (doc.id != 0 && doc.posted &&
	    (ctx_sql(ctx,
	             "UPDATE timesheets SET status = 'draft', posted_at = NULL, posted_by = NULL "
	             "WHERE tenant_id = $1 AND id = $2",
	             ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, doc.id)) == NULL ||
	     audit_log(ctx, "timesheets.unposted", 1, "timesheet", ctx_i64(ctx, doc.id),
	               audit_detail("month", doc.month_text)) < 0))
		return -1;
	return timesheet_fill(ctx);
}

static int timesheet_post(struct ctx *ctx)
{
	return timesheet_set_status(ctx, 1);
}

static int timesheet_unpost(struct ctx *ctx)
{
	return timesheet_set_status(ctx, 0);
}

/* POST /admin/timesheets/{month}/{employee_id} (the admin page's buttons
 * and its one-date form): action = fill, post, unpost, or set with date,
 * code and hours (code empty: clear the date). */
static int timesheet_action(struct ctx *ctx)
{
	const char *action = ctx_arg_str(ctx, "action", 10, 1);

	if (action == NULL)
		return -1;
	if (strcmp(action, "fill") == 0)
		return timesheet_fill(ctx);
	if (strcmp(action, "post") == 0)
		return timesheet_post(ctx);
	if (strcmp(action, "unpost") == 0)
		return timesheet_unpost(ctx);
	if (strcmp(action, "refill") == 0)
		return timesheet_refill(ctx);
	if (strcmp(action, "set") != 0)
		return ctx_field_code(ctx, "action", "invalid",
		                      "Действие: fill, post, unpost, refill или set");

	const char *code = jsonx_get_str(ctx->args, "code");
	json_object *days = arena_own(ctx->arena, json_object_new_array());
	json_object *day = json_object_new_object(), *rows = json_object_new_array();
	json_object *date = jsonx_get(ctx->args, "date"), *hours = jsonx_get(ctx->args, "hours");

	json_object_object_add(day, "date", date ? json_object_get(date) : NULL);
	if (code && *code) {
		json_object *row = json_object_new_object();
		jsonx_set_str(row, "code", code);
		if (hours && *json_object_get_string(hours))
			json_object_object_add(row, "hours", json_object_get(hours));
		json_object_array_add(rows, row);
	}
	json_object_object_add(day, "rows", rows);
	json_object_array_add(days, day);
	return timesheet_save_days(ctx, days);
}

#define TIMESHEET_DOC_ARGS                                                                         \
	ARG_ROW_ID("employee_id", ARG_REQUIRED), ARG_ROW_MONTH("month", ARG_REQUIRED)

static const char *const timesheet_actions[] = {"fill", "post", "unpost", "set", NULL};
static const struct op_arg timesheet_month_args[] = {ARG_ROW_MONTH("month", ARG_REQUIRED), ARG_END};
static const struct op_arg timesheet_doc_args[] = {TIMESHEET_DOC_ARGS, ARG_END};
/* a row of a date: {"code", "hours"}; a date: {"date", "rows"} */
static const struct op_arg timesheet_row_fields[] = {
    {"code", ARG_STR, 0, .max = 16},
    {"hours", ARG_HOURS, 0, .max = 2400},
    ARG_END,
};
static const struct op_arg timesheet_day_fields[] = {
    ARG_ROW_DATE("date", 0),
    {"rows", ARG_ARRAY, 0, .min = 0, .max = WORKDAY_MAX_ROWS,
     .example = "[{\"code\": \"Я\", \"hours\": 8}]", .items = timesheet_row_fields},
    ARG_END,
};
static const struct op_arg timesheet_save_args[] = {
    TIMESHEET_DOC_ARGS,
    {"days", ARG_ARRAY, ARG_REQUIRED, .min = 1, .max = 31, .items = timesheet_day_fields,
     .example = "[{\"date\": \"2025-04-01\", \"rows\": [{\"code\": \"Я\", \"hours\": 8}]}]"},
    ARG_END,
};
static const struct op_arg timesheet_action_args[] = {
    TIMESHEET_DOC_ARGS,
    {"action", ARG_ENUM, ARG_REQUIRED, .values = timesheet_actions, .example = "\"fill\"",
     .hint = "Действие: fill, post, unpost или set"},
    ARG_ROW_DATE("date", 0),
    {"code", ARG_STR, 0, .max = 16},
    {"hours", ARG_HOURS, 0, .max = 2400},
    ARG_END,
};

const struct op timesheet_ops[] = {
    {"timesheets.list", OP_ADMIN, timesheet_list, 0, timesheet_month_args},
    {"timesheets.get", OP_ADMIN, timesheet_get, 0, timesheet_doc_args},
    {"timesheets.fill", OP_ADMIN, timesheet_fill, OP_WRITE, timesheet_doc_args},
    {"timesheets.fill_all", OP_ADMIN, timesheet_fill_all, OP_WRITE, timesheet_month_args},
    {"timesheets.save", OP_ADMIN, timesheet_save, OP_WRITE, timesheet_save_args},
    {"timesheets.post", OP_ADMIN, timesheet_post, OP_WRITE, timesheet_doc_args},
    {"timesheets.unpost", OP_ADMIN, timesheet_unpost, OP_WRITE, timesheet_doc_args},
    {"timesheets.refill", OP_ADMIN, timesheet_refill, OP_WRITE, timesheet_doc_args},
    {"timesheets.action", OP_ADMIN, timesheet_action, OP_WRITE, timesheet_action_args},
    {NULL, 0, NULL, 0, NULL},
};
