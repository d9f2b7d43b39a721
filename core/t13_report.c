/*
 * t13_report.c - the timesheet of the unified form T-13 for a month: every
 * employee (or a list of ids) by day, codes and hours, with the form's
 * totals: days and hours worked in the first half (1-15), the second half
 * and the month, and the days (hours) of each absence code. As JSON (the
 * admin page prints it) and as an XLSX download (libxlsxwriter).
 *
 * Employees are listed by full name. A day's codes come from the posted timesheet if there is one,
 * else from the schedule and the deviation documents (worktime.c): one query per table for the
 * whole month.
 *
 * Worked: Я, ВМ, РВ and С hours (Н is inside the day's work and shown,
 * not added); a day counts as worked when it has any of them.
 */
#include "calendars.h"
#include "date.h"
#include "jsonx.h"
#include "log.h"
#include "ops.h"
#include "org.h"
#include "ru.h"
#include "t13.h"
#include "worktime.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define T13_MAX_IDS 5000

/* The cell texts of a day in arena memory. */
static void t13_cell(struct ctx *ctx, const struct workday *day, const char **codes,
                     const char **hours)
{
	char c[WORKDAY_MAX_ROWS * 8], h[WORKDAY_MAX_ROWS * 16];

	workday_cell(day, c, sizeof(c), h, sizeof(h));
	*codes = arena_strdup(ctx->arena, c);
	*hours = arena_strdup(ctx->arena, h);
}

/* The ids argument: "1,2,3" or [1, 2, 3], deduplicated; none: all. */
static int t13_ids(struct ctx *ctx, int64_t **ids, int *n)
{
	json_object *v = jsonx_get(ctx->args, "ids");
	int64_t *out;
	int k = 0;

	*ids = NULL;
	*n = 0;
	if (v == NULL || (json_object_is_type(v, json_type_string) && !*json_object_get_string(v)))
		return 0;
	out = arena_alloc(ctx->arena, sizeof(int64_t) * T13_MAX_IDS);
	if (json_object_is_type(v, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			json_object *x = json_object_array_get_idx(v, i);
			int64_t id = json_object_get_int64(x);
			if (!json_object_is_type(x, json_type_int) || id <= 0 || k >= T13_MAX_IDS)
				goto bad;
			out[k++] = id;
		}
	} else if (json_object_is_type(v, json_type_string)) {
		const char *s = json_object_get_string(v);
		char *end;
		while (*s) {
			errno = 0;
			long long id = strtoll(s, &end, 10);
			if (errno || end == s || id <= 0 || k >= T13_MAX_IDS ||
			    (*end && *end != ','))
				goto bad;
			out[k++] = id;
			s = *end ? end + 1 : end;
		}
	} else {
		goto bad;
	}
	/* deduplicate (small lists: quadratic is fine up to a few thousand) */
	int m = 0;
	for (int i = 0; i < k; i++) {
		int seen = 0;
		for (int j = 0; j < m && !seen; j++)
			seen = out[j] == out[i];
		if (!seen)
			out[m++] = out[i];
	}
	*ids = out;
	*n = m;
	return 0;
bad:
	return ctx_field_code(ctx, "ids", "invalid",
	                      "Список сотрудников: номера через запятую, не больше %d",
	                      T13_MAX_IDS);
}

/* The form lists people alphabetically as every list of people does
 * (employees.search_name: Ё as Е): the byte order of UTF-8 is the Russian
 * alphabet's but for Ё/ё, compared here as Е/е; then by id. */
static int t13_letter(const unsigned char **p)
{
	const unsigned char *s = *p;

	if (s[0] == 0xd0 && s[1] == 0x81) { /* Ё -> Е */
		*p += 2;
		return 0xd095;
	}
	if (s[0] == 0xd1 && s[1] == 0x91) { /* ё -> е */
		*p += 2;
		return 0xd0b5;
	}
	if (s[0] == 0xd0 || s[0] == 0xd1) {
		*p += 2;
		return s[0] << 8 | s[1];
	}
	*p += 1;
	return s[0];
}

static int t13_by_name(const void *a, const void *b)
{
	const struct worktime_employee *x = a, *y = b;
	const unsigned char *p = (const unsigned char *)x->full_name,
	                    *q = (const unsigned char *)y->full_name;

	while (*p && *q) {
		int c = t13_letter(&p), d = t13_letter(&q);
		if (c != d)
			return c < d ? -1 : 1;
	}
	if (*p || *q)
		return *p ? 1 : -1;
	return (x->id > y->id) - (x->id < y->id);
}

/* A month the one set of rules refuses for someone (documents or rows that
 * may not share a date, saved before the rule): 422 naming each employee
 * and the date, rather than a form that disagrees with the payroll. */
static int t13_check(struct ctx *ctx, const struct worktime_month *m)
{
	int bad = 0;

	for (int i = 0; i < m->n; i++)
		if (m->emp[i].error != NULL)
			bad = ctx_field_code(
			    ctx,
			    arena_printf(ctx->arena, "employees.%lld", (long long)m->emp[i].id),
			    "clash", "%s: %s", m->emp[i].full_name, m->emp[i].error);
	if (bad < 0)
		return ctx_fail(
		    ctx, PROTO_ERR_validation,
		    "Табель не построить: документы или строки табеля противоречат друг "
		    "другу; исправьте их (поля называют сотрудника и дату)");
	return 0;
}

static int t13_load(struct ctx *ctx, struct worktime_month *m)
{
	int year, month, nids;
	int64_t *ids;

	const char *mtext = jsonx_get_str(ctx->args, "month");

	if (mtext == NULL || !*mtext) { /* the page without a month: the current one */
		int today = org_today(ctx), day;
		if (today == DATE_NONE)
			return -1;
		date_to_ymd(today, &year, &month, &day);
	} else if (worktime_arg_month(ctx, "month", &year, &month) < 0) {
		return -1;
	}
	if (t13_ids(ctx, &ids, &nids) < 0)
		return -1;
	if (worktime_month_load(ctx, year, month, ids, nids, WORKTIME_POSTED, m) < 0 ||
	    t13_check(ctx, m) < 0)
		return -1;
	qsort(m->emp, (size_t)m->n, sizeof(m->emp[0]), t13_by_name);
	return 0;
}

static json_object *t13_half_json(struct ctx *ctx, int days, int32_t hours)
{
	json_object *o = json_object_new_object();

	jsonx_set_int(o, "days", days);
	json_object_object_add(o, "hours", worktime_hours_json(hours));
	jsonx_set_str(o, "hours_ru", worktime_hours_ru(ctx, hours));
	return o;
}

/* The month's header members of a T-13 answer. */
static void t13_month_json(struct ctx *ctx, const struct worktime_month *m, json_object *r)
{
	json_object *header = json_object_new_array();
	char mtext[DATE_MONTH_BUFSZ];

	date_format_month(m->year, m->month, mtext);
	jsonx_set_str(r, "month", mtext);
	jsonx_set_str(r, "title",
	              arena_printf(ctx->arena, "%s %d", ru_month_title(m->month), m->year));
	jsonx_set_str(r, "from", worktime_date_ru(ctx, m->first));
	jsonx_set_str(r, "to", worktime_date_ru(ctx, m->last));
	jsonx_set_int(r, "days_in_month", m->ndays);
	for (int d = 0; d < m->ndays; d++)
		json_object_array_add(header, json_object_new_int(d + 1));
	json_object_object_add(r, "day_numbers", header);
}

/* The absences of totals by code: [{"code", "meaning", "number", "days",
 * "hours"}]. */
static json_object *t13_absences_json(const struct workday_totals *t)
{
	json_object *abs = json_object_new_array();

	for (int c = 1; c <= T13_COUNT; c++) {
		if (t->absence_days[c] == 0)
			continue;
		json_object *a = json_object_new_object();
		jsonx_set_str(a, "code", t13_get(c)->letter);
		jsonx_set_str(a, "meaning", t13_get(c)->meaning);
		jsonx_set_int(a, "number", c);
		jsonx_set_int(a, "days", t->absence_days[c]);
		json_object_object_add(a, "hours", worktime_hours_json(t->absence_hours[c]));
		json_object_array_add(abs, a);
	}
	return abs;
}

/* One employee's line of the form: the days' codes and hours, the totals of
 * the halves and the month, the absences by code, over the first upto days
 * (m->ndays: the whole month; fewer: the days that have come). */
static json_object *t13_employee_json(struct ctx *ctx, const struct worktime_month *m,
                                      const struct worktime_employee *e, int upto)
{
	json_object *o = json_object_new_object(), *days = json_object_new_array();
	struct workday_totals t;

	workday_totals(e->days, upto, &t);
	jsonx_set_int(o, "id", e->id);
	jsonx_set_str(o, "full_name", e->full_name);
	jsonx_set_str(o, "personnel_number", e->personnel_number);
	jsonx_set_str(o, "position", e->position);
	jsonx_set_str(o, "source", e->timesheet_id ? "timesheet" : "plan");
	for (int d = 0; d < m->ndays; d++) {
		json_object *day = json_object_new_object();
		const char *codes, *hours;
		t13_cell(ctx, &e->days[d], &codes, &hours);
		jsonx_set_int(day, "day", d + 1);
		jsonx_set_str(day, "codes", codes);
		jsonx_set_str(day, "hours", hours);
		json_object_array_add(days, day);
	}
	json_object_object_add(o, "days", days);
	json_object_object_add(o, "first_half", t13_half_json(ctx, t.days[0], t.hours[0]));
	json_object_object_add(o, "second_half", t13_half_json(ctx, t.days[1], t.hours[1]));
	json_object_object_add(o, "total", t13_half_json(ctx, t.days[2], t.hours[2]));
	jsonx_set_int(o, "days_off", t.days_off);
	json_object_object_add(o, "absences", t13_absences_json(&t));
	return o;
}

/* The header of the unified form: "organization" {name, okpo} and
 * "document" {number: the month's number, date: today in the organization's
 * zone, "DD.MM.YYYY"}, "okud": "0301008". */
static int t13_document_json(struct ctx *ctx, const struct worktime_month *m, json_object *r)
{
	json_object *org = org_details(ctx), *doc;
	int today = org_today(ctx);

	if (org == NULL || today == DATE_NONE)
		return -1;
	json_object_object_add(r, "organization", json_object_get(org));
	doc = json_object_new_object();
	jsonx_set_str(doc, "number", arena_printf(ctx->arena, "%d", m->month));
	jsonx_set_str(doc, "date", worktime_date_ru(ctx, today));
	json_object_object_add(r, "document", doc);
	jsonx_set_str(r, "okud", "0301008");
	return 0;
}

/* GET /api/admin/t13/{month}[?ids=1,2] */
static int t13_get_op(struct ctx *ctx)
{
	struct worktime_month m;
	json_object *r, *list;

	if (t13_load(ctx, &m) < 0)
		return -1;
	r = ctx_result(ctx);
	t13_month_json(ctx, &m, r);
	if (t13_document_json(ctx, &m, r) < 0)
		return -1;
	worktime_note_calendar(ctx, &m, r);
	list = json_object_new_array();
	json_object_object_add(r, "employees", list);
	for (int i = 0; i < m.n; i++) {
		json_object *o = t13_employee_json(ctx, &m, &m.emp[i], m.ndays);
		jsonx_set_int(o, "row", i + 1);
		json_object_array_add(list, o);
	}
	jsonx_set_int(r, "count", m.n);
	/* art. 99: who worked overtime beyond its limits */
	return worktime_overtime_marks(ctx, m.year, m.month, list, r);
}

/* GET /api/timesheet/{month}: the signed-in employee's own line of the
 * T-13 - the posted timesheet, else the plan with the deviation documents. */
/* Adds to each day of days the kind of the date in the organization's
 * default production calendar ("work", "weekend", "holiday", "day_off",
 * "paid_off"), "short" for a pre-holiday day and the holiday's "title", so
 * a month grid can mark public holidays. */
static int t13_day_kinds(struct ctx *ctx, const struct worktime_month *m, json_object *days)
{
	static const char *const kinds[] = {"work", "weekend", "holiday", "day_off", "paid_off"};
	struct calendar *cal = calendars_load(ctx, 0);

	if (cal == NULL)
		return -1;
	for (int d = 0; d < m->ndays && (size_t)d < json_object_array_length(days); d++) {
		json_object *day = json_object_array_get_idx(days, (size_t)d);
		unsigned bits = calendar_day(cal, m->first + d);
		const char *title = calendar_title(cal, m->first + d);
		if (!(bits & CALENDAR_COVERED))
			continue;
		jsonx_set_str(day, "kind", kinds[CALENDAR_KIND(bits) % 5]);
		if (bits & CALENDAR_SHORT)
			jsonx_set_bool(day, "short", 1);
		if (title)
			jsonx_set_str(day, "title", title);
	}
	return 0;
}

/*
 * A month that has not ended (in the organization's zone): the days from
 * today on have not been worked yet, so "total" counts the days before
 * today, "plan" is the whole month's worked time by the plan, "absences"
 * the whole month's (a vacation ahead included),
 * "worked_through" the last day counted ("30.11.2026", absent when none),
 * "started" whether the month has begun (today, the 1st, it has: nothing
 * is counted yet, but it is not a month ahead) and each day from today on
 * is "planned": true. A month that has ended is all fact: no "plan".
 * A month read from the plan with employed days no schedule covers says
 * so: "no_schedule": "all" (no day has one: the grid is empty because the
 * schedule is not assigned yet) or "from" with "no_schedule_from", the
 * first such day ("15.12.2026").
 */
static int t13_mine_op(struct ctx *ctx)
{
	struct worktime_month m;
	int year, month, today, upto;
	json_object *r, *emp, *days;

	if (ctx->employee_id == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found,
		                "Кабинет не связан с сотрудником: табеля нет");
	if (worktime_arg_month(ctx, "month", &year, &month) < 0 ||
	    worktime_month_load(ctx, year, month, &ctx->employee_id, 1, WORKTIME_POSTED, &m) < 0 ||
	    t13_check(ctx, &m) < 0 || (today = org_today(ctx)) == DATE_NONE)
		return -1;
	upto = today > m.last ? m.ndays : today < m.first ? 0 : today - m.first;
	r = ctx_result(ctx);
	t13_month_json(ctx, &m, r);
	worktime_note_calendar(ctx, &m, r);
	emp = t13_employee_json(ctx, &m, &m.emp[0], upto);
	json_object_object_add(r, "employee", emp);
	days = jsonx_get(emp, "days");
	if (m.emp[0].timesheet_id == 0 && m.emp[0].uncovered != DATE_NONE) {
		jsonx_set_str(emp, "no_schedule", m.emp[0].scheduled ? "from" : "all");
		if (m.emp[0].scheduled)
			jsonx_set_str(emp, "no_schedule_from",
			              worktime_date_ru(ctx, m.emp[0].uncovered));
	}
	if (upto < m.ndays) {
		struct workday_totals plan;

		workday_totals(m.emp[0].days, m.ndays, &plan);
		json_object_object_add(emp, "plan",
		                       t13_half_json(ctx, plan.days[2], plan.hours[2]));
		/* absences: the whole month's, planned ones too (a vacation ahead) */
		json_object_object_add(emp, "absences", t13_absences_json(&plan));
		jsonx_set_bool(emp, "started", today >= m.first);
		if (upto > 0)
			jsonx_set_str(emp, "worked_through",
			              worktime_date_ru(ctx, m.first + upto - 1));
		for (int d = upto; d < m.ndays; d++)
			jsonx_set_bool(json_object_array_get_idx(days, (size_t)d), "planned", 1);
	}
	return t13_day_kinds(ctx, &m, days);
}

/* The workbook into ctx->download through a private temporary file. */
static int t13_write_xlsx(struct ctx *ctx, const struct worktime_month *m)
{
	char path[] = "/tmp/cabinet-t13-XXXXXX";
	int fd = mkstemp(path), rc = -1;
	lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *cell, *bold, *note;
	FILE *f;

	if (fd < 0) {
		log_error("t13_xlsx_failed", "reason=mkstemp errno=%d", errno);
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	}
	close(fd);
	wb = workbook_new_opt(path, &opt);
	if (wb == NULL)
		goto out;
	ws = workbook_add_worksheet(wb, "Т-13");
	head = workbook_add_format(wb);
	format_set_bold(head);
	format_set_border(head, LXW_BORDER_THIN);
	format_set_align(head, LXW_ALIGN_CENTER);
	format_set_text_wrap(head);
	cell = workbook_add_format(wb);
	format_set_border(cell, LXW_BORDER_THIN);
	format_set_align(cell, LXW_ALIGN_CENTER);
	note = workbook_add_format(wb);
	format_set_border(note, LXW_BORDER_THIN);
	format_set_text_wrap(note);
	format_set_font_color(note, LXW_COLOR_RED);
	bold = workbook_add_format(wb);
	format_set_bold(bold);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9); /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_set_column(ws, 0, 0, 5, NULL);
	worksheet_set_column(ws, 1, 1, 32, NULL);
	worksheet_set_column(ws, 2, 2, 10, NULL);
	worksheet_set_column(ws, 3, (lxw_col_t)(2 + m->ndays), 5, NULL);

	worksheet_write_string(ws, 0, 0,
	                       arena_printf(ctx->arena,
	                                    "Табель учёта рабочего времени (форма Т-13) "
	                                    "за %s %d г.",
	                                    ru_month_name(m->month), m->year),
	                       bold);
	worksheet_write_string(ws, 1, 0,
	                       arena_printf(ctx->arena, "Отчётный период: с %s по %s",
	                                    worktime_date_ru(ctx, m->first),
	                                    worktime_date_ru(ctx, m->last)),
	                       NULL);
	int hr = 3, col;
	worksheet_write_string(ws, hr, 0, "№", head);
	worksheet_write_string(ws, hr, 1, "Сотрудник, должность", head);
	worksheet_write_string(ws, hr, 2, "Таб. №", head);
	for (int d = 0; d < m->ndays; d++)
		worksheet_write_number(ws, hr, (lxw_col_t)(3 + d), d + 1, head);
	col = 3 + m->ndays;
	static const char *const totals[] = {
	    "Дни I пол.", "Часы I пол.", "Дни II пол.",       "Часы II пол.",
	    "Дни месяц",  "Часы месяц",  "Неявки (код: дни)", "Сверхурочные сверх ст. 99 ТК РФ"};
	for (int i = 0; i < 8; i++)
		worksheet_write_string(ws, hr, (lxw_col_t)(col + i), totals[i], head);
	worksheet_set_column(ws, (lxw_col_t)(col + 7), (lxw_col_t)(col + 7), 48, NULL);

	/* art. 99: the marks of the printable T-13 and the month's view */
	json_object *marks = json_object_new_array(), *counted = json_object_new_object();
	int64_t over = 0;
	for (int i = 0; i < m->n; i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", m->emp[i].id);
		json_object_array_add(marks, o);
	}
	if (worktime_overtime_marks(ctx, m->year, m->month, marks, counted) < 0) {
		json_object_put(marks);
		json_object_put(counted);
		workbook_close(wb);
		wb = NULL;
		unlink(path);
		return -1;
	}
	jsonx_get_int64(counted, "overtime_limit_count", &over);
	json_object_put(counted);

	int row = hr + 1;
	for (int i = 0; i < m->n; i++, row += 2) {
		const struct worktime_employee *e = &m->emp[i];
		struct workday_totals t;
		struct buf abs = BUF_INIT;

		workday_totals(e->days, m->ndays, &t);
		worksheet_write_number(ws, (lxw_row_t)row, 0, i + 1, cell);
		worksheet_write_string(
		    ws, (lxw_row_t)row, 1,
		    *e->position ? arena_printf(ctx->arena, "%s, %s", e->full_name, e->position)
		                 : e->full_name,
		    cell);
		worksheet_write_string(ws, (lxw_row_t)row, 2, e->personnel_number, cell);
		for (int d = 0; d < m->ndays; d++) {
			const char *codes, *hours;
			t13_cell(ctx, &e->days[d], &codes, &hours);
			worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)(3 + d), codes, cell);
		}
		for (int k = 0; k < 3; k++) {
			worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(col + 2 * k),
			                       t.days[k], cell);
			worksheet_write_number(ws, (lxw_row_t)row, (lxw_col_t)(col + 2 * k + 1),
			                       t.hours[k] / 100.0, cell);
		}
		for (int c = 1; c <= T13_COUNT; c++)
			if (t.absence_days[c])
				buf_printf(&abs, "%s%s: %d", abs.len ? "; " : "",
				           t13_get(c)->letter, t.absence_days[c]);
		worksheet_write_string(ws, (lxw_row_t)row, (lxw_col_t)(col + 6),
		                       abs.len ? arena_strndup(ctx->arena, abs.data, abs.len) : "",
		                       cell);
		buf_free(&abs);
		worksheet_write_string(
		    ws, (lxw_row_t)row, (lxw_col_t)(col + 7),
		    jsonx_get_str(json_object_array_get_idx(marks, (size_t)i), "overtime_limit_ru")
		        ?: "",
		    note);
		/* the second line of the employee: hours of each day */
		for (int d = 0; d < m->ndays; d++) {
			const char *codes, *hours;
			t13_cell(ctx, &e->days[d], &codes, &hours);
			worksheet_write_string(ws, (lxw_row_t)(row + 1), (lxw_col_t)(3 + d), hours,
			                       cell);
		}
	}
	if (over > 0)
		worksheet_write_string(
		    ws, (lxw_row_t)(row + 1), 0,
		    arena_printf(ctx->arena,
		                 "Сверхурочная работа сверх пределов ст. 99 ТК РФ (4 ч за два дня "
		                 "подряд, 120 ч в год): %lld %s",
		                 (long long)over,
		                 ru_plural(over, "сотрудник", "сотрудника", "сотрудников")),
		    bold);
	json_object_put(marks);
	if (workbook_close(wb) != LXW_NO_ERROR) {
		wb = NULL;
		goto out;
	}
	wb = NULL;
	if ((f = fopen(path, "rb")) != NULL) {
		char chunk[65536];
		size_t n;
		while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
			buf_append(ctx->download, chunk, n);
		fclose(f);
		rc = 0;
	}
out:
	unlink(path);
	if (rc < 0) {
		log_error("t13_xlsx_failed", "reason=write");
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	}
	return 0;
}

/* GET /api/admin/t13/{month}/export.xlsx[?ids=1,2] */
static int t13_xlsx_op(struct ctx *ctx)
{
	struct worktime_month m;
	char mtext[DATE_MONTH_BUFSZ];

	if (t13_load(ctx, &m) < 0 || t13_write_xlsx(ctx, &m) < 0)
		return -1;
	date_format_month(m.year, m.month, mtext);
	ctx->download_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	ctx->download_name = arena_printf(ctx->arena, "T-13-%s.xlsx", mtext);
	jsonx_set_int(ctx_result(ctx), "count", m.n);
	return 0;
}

static const struct op_arg t13_args[] = {
    ARG_ROW_MONTH("month", 0),
    {"ids", ARG_ARRAY, ARG_OR_TEXT, .min = 0, .max = T13_MAX_IDS},
    ARG_END,
};
static const struct op_arg t13_mine_args[] = {ARG_ROW_MONTH("month", ARG_REQUIRED), ARG_END};

const struct op t13_ops[] = {
    {"t13.get", OP_ADMIN, t13_get_op, 0, t13_args},
    {"t13.xlsx", OP_ADMIN, t13_xlsx_op, 0, t13_args},
    {"t13.mine", OP_EMPLOYEE, t13_mine_op, 0, t13_mine_args, WHO(WHO_SELF)},
    {NULL, 0, NULL, 0, NULL},
};
