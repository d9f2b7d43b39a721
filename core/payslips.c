/*
 * payslips.c - payslips (расчетный листок) from the stored payroll
 * documents, and the vacation balance.
 *
 * An employee sees the payslips of closed months only (a draft can still
 * change); the administrator sees drafts too. paid is the net of a closed
 * month (closing records the payment), so a closed month's balance is 0
 * and a draft's is its net.
 *
 * Vacation balance as of a date (inclusive): 28 days a year accrue as 28/12
 * per month of service counted from the hire date; the last, incomplete
 * month counts as a full one when it has 15 days or more and is dropped
 * otherwise. Used: calendar days of ОТ deviations from the hire date up to
 * the date, the public holidays of the tenant's default calendar inside
 * them excluded (they extend a vacation rather than use it). The arithmetic
 * is in twelfths of a day; the balance is shown with one decimal, rounded
 * half up ("18,7").
 */
#include "calendars.h"
#include "date.h"
#include "hours.h"
#include "jsonx.h"
#include "money.h"
#include "org.h"
#include "payrun.h"
#include "worktime.h"
#include "t13.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VACATION_DAYS_A_YEAR 28

static const char *payslips_kind_title(const char *kind, const char *pay_by)
{
	if (strcmp(kind, "salary") == 0)
		return strcmp(pay_by, "hours") == 0 ? "Оплата по окладу (по часам)"
		                                    : "Оплата по окладу (по дням)";
	if (strcmp(kind, "overtime") == 0)
		return "Сверхурочная работа";
	if (strcmp(kind, "holiday_work") == 0)
		return "Работа в выходные и праздничные дни";
	if (strcmp(kind, "night") == 0)
		return "Работа в ночное время";
	return kind;
}

static void payslips_put_money(struct ctx *ctx, json_object *o, const char *key, const char *text)
{
	const char *ru, *v = payrun_money(ctx, text, &ru);

	jsonx_set_str(o, key, v);
	jsonx_set_str(o, arena_printf(ctx->arena, "%s_ru", key), ru);
}

static json_object *payslips_hours(const char *text)
{
	char b[HOURS_BUFSZ];
	int32_t h = (int32_t)atoi(text);

	if (h % 100 == 0)
		return json_object_new_int64(h / 100);
	hours_format(h, b);
	return json_tokener_parse(b); /* prints the exact decimal text */
}

static const char *payslips_date_ru(struct ctx *ctx, const char *iso)
{
	char b[DATE_BUFSZ];
	int d;

	if (date_parse(iso, &d) < 0)
		return iso;
	date_format_ru(d, b);
	return arena_strdup(ctx->arena, b);
}

/* The payslip of one employee and month; NULL after ctx_fail. */
static json_object *payslips_build(struct ctx *ctx, int64_t employee_id, int year, int month,
                                   int closed_only)
{
	char first[DATE_BUFSZ], m[DATE_MONTH_BUFSZ];
	const char *tenant = ctx_i64(ctx, ctx->tenant_id), *emp = ctx_i64(ctx, employee_id);
	json_object *o, *acc, *ded, *e;
	PGresult *res, *lines;
	int64_t accrued = 0, ndfl = 0, paid = 0;
	char b[MONEY_BUFSZ], r[MONEY_RU_BUFSZ];

	date_format(date_month_first(year, month), first);
	date_format_month(year, month, m);
	res = ctx_sql(
	    ctx,
	    "SELECT d.status, pe.accrued::text, pe.ndfl::text, pe.net::text, "
	    "pe.paid::text, pe.source, pe.norm, pe.pay_by, pe.rate::text, e.full_name, "
	    "coalesce(e.personnel_number, ''), coalesce(e.position, ''), pe.document_id, "
	    "pe.base_ytd::text FROM payroll_employees pe "
	    "JOIN payroll_documents d ON d.tenant_id = pe.tenant_id AND d.id = pe.document_id "
	    "JOIN employees e ON e.tenant_id = pe.tenant_id AND e.id = pe.employee_id "
	    "WHERE pe.tenant_id = $1 AND pe.employee_id = $2 AND pe.month = $3::date "
	    "AND ($4 = 'f' OR d.status = 'closed')",
	    tenant, emp, first, closed_only ? "t" : "f");
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		ctx_fail(ctx, PROTO_ERR_not_found, "Расчётный листок за %s ещё не сформирован",
		         payrun_month_title(ctx, year, month));
		return NULL;
	}
	lines = ctx_sql(ctx,
	                "SELECT l.kind, l.date_from, l.date_to, coalesce(s.name, ''), "
	                "l.worked_days, l.norm_days, l.worked_hours, l.norm_hours, l.hours, "
	                "l.amount::text FROM payroll_lines l LEFT JOIN schedules s ON "
	                "s.tenant_id = l.tenant_id AND s.id = l.schedule_id WHERE l.tenant_id = $1 "
	                "AND l.document_id = $2 AND l.employee_id = $3 ORDER BY l.n",
	                tenant, PQgetvalue(res, 0, 12), emp);
	if (lines == NULL)
		return NULL;
	o = arena_own(ctx->arena, json_object_new_object());
	jsonx_set_str(o, "month", m);
	jsonx_set_str(o, "month_title", payrun_month_title(ctx, year, month));
	jsonx_set_str(o, "status", PQgetvalue(res, 0, 0));
	jsonx_set_bool(o, "closed", strcmp(PQgetvalue(res, 0, 0), "closed") == 0);
	e = json_object_new_object();
	jsonx_set_int(e, "id", employee_id);
	jsonx_set_str(e, "full_name", PQgetvalue(res, 0, 9));
	jsonx_set_str(e, "personnel_number", PQgetvalue(res, 0, 10));
	jsonx_set_str(e, "position", PQgetvalue(res, 0, 11));
	json_object_object_add(o, "employee", e);
	payslips_put_money(ctx, o, "rate", PQgetvalue(res, 0, 8));
	jsonx_set_str(o, "pay_by", PQgetvalue(res, 0, 7));
	jsonx_set_str(o, "norm", PQgetvalue(res, 0, 6));
	jsonx_set_str(o, "source", PQgetvalue(res, 0, 5));

	acc = json_object_new_array();
	json_object_object_add(o, "accruals", acc);
	for (int i = 0; i < PQntuples(lines); i++) {
		json_object *l = json_object_new_object();
		const char *kind = PQgetvalue(lines, i, 0);
		int salary = strcmp(kind, "salary") == 0;
		jsonx_set_str(l, "kind", kind);
		jsonx_set_str(l, "title", payslips_kind_title(kind, PQgetvalue(res, 0, 7)));
		if (salary) {
			jsonx_set_str(l, "from", PQgetvalue(lines, i, 1));
			jsonx_set_str(l, "to", PQgetvalue(lines, i, 2));
			jsonx_set_str(l, "period_ru",
			              arena_printf(ctx->arena, "%s–%s",
			                           payslips_date_ru(ctx, PQgetvalue(lines, i, 1)),
			                           payslips_date_ru(ctx, PQgetvalue(lines, i, 2))));
			jsonx_set_str(l, "schedule", PQgetvalue(lines, i, 3));
			jsonx_set_int(l, "worked_days", atoi(PQgetvalue(lines, i, 4)));
			jsonx_set_int(l, "norm_days", atoi(PQgetvalue(lines, i, 5)));
			json_object_object_add(l, "worked_hours",
			                       payslips_hours(PQgetvalue(lines, i, 6)));
			json_object_object_add(l, "norm_hours",
			                       payslips_hours(PQgetvalue(lines, i, 7)));
			jsonx_set_str(l, "worked_hours_ru",
			              worktime_hours_ru(ctx, atoi(PQgetvalue(lines, i, 6))));
			jsonx_set_str(l, "norm_hours_ru",
			              worktime_hours_ru(ctx, atoi(PQgetvalue(lines, i, 7))));
			jsonx_set_bool(l, "salary", 1);
		} else {
			jsonx_set_str(l, "date", PQgetvalue(lines, i, 1));
			jsonx_set_str(l, "period_ru",
			              payslips_date_ru(ctx, PQgetvalue(lines, i, 1)));
			json_object_object_add(l, "hours", payslips_hours(PQgetvalue(lines, i, 8)));
			jsonx_set_str(l, "hours_ru", worktime_hours_ru(ctx, atoi(PQgetvalue(lines, i, 8))));
		}
		payslips_put_money(ctx, l, "amount", PQgetvalue(lines, i, 9));
		json_object_array_add(acc, l);
	}
	money_parse(PQgetvalue(res, 0, 1), MONEY_ALLOW_NEGATIVE, &accrued);
	money_parse(PQgetvalue(res, 0, 2), MONEY_ALLOW_NEGATIVE, &ndfl);
	money_parse(PQgetvalue(res, 0, 4), MONEY_ALLOW_NEGATIVE, &paid);
	ded = json_object_new_array();
	json_object_object_add(o, "deductions", ded);
	{
		json_object *d = json_object_new_object();
		jsonx_set_str(d, "kind", "ndfl");
		jsonx_set_str(d, "title", "НДФЛ");
		payslips_put_money(ctx, d, "amount", PQgetvalue(res, 0, 2));
		json_object_array_add(ded, d);
	}
	payslips_put_money(ctx, o, "accrued", PQgetvalue(res, 0, 1));
	payslips_put_money(ctx, o, "deducted", PQgetvalue(res, 0, 2));
	payslips_put_money(ctx, o, "net", PQgetvalue(res, 0, 3));
	payslips_put_money(ctx, o, "paid", PQgetvalue(res, 0, 4));
	payslips_put_money(ctx, o, "ndfl_base_ytd", PQgetvalue(res, 0, 13));
	money_format(accrued - ndfl - paid, b);
	money_format_ru(accrued - ndfl - paid, r);
	jsonx_set_str(o, "balance", b);
	jsonx_set_str(o, "balance_ru", r);
	return o;
}

static int payslips_need_employee(struct ctx *ctx)
{
	if (ctx->employee_id == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found,
		                "Кабинет не связан с сотрудником: расчётных листков нет");
	return 0;
}

/* GET /api/payslips/{month}: the signed-in employee's own, closed months. */
static int payslips_get(struct ctx *ctx)
{
	int year, month;

	if (payslips_need_employee(ctx) < 0 || payrun_month_arg(ctx, &year, &month) < 0)
		return -1;
	ctx->result = payslips_build(ctx, ctx->employee_id, year, month, 1);
	return ctx->result ? 0 : -1;
}

/* GET /api/payslips: the months with a payslip, newest first. */
static int payslips_list(struct ctx *ctx)
{
	PGresult *res;
	json_object *list;

	if (payslips_need_employee(ctx) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT to_char(pe.month, 'YYYY-MM'), pe.accrued::text, pe.ndfl::text, "
	              "pe.net::text, extract(year FROM pe.month)::int, "
	              "extract(month FROM pe.month)::int FROM payroll_employees pe "
	              "JOIN payroll_documents d ON d.tenant_id = pe.tenant_id AND d.id = "
	              "pe.document_id WHERE pe.tenant_id = $1 AND pe.employee_id = $2 AND "
	              "d.status = 'closed' ORDER BY pe.month DESC",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->employee_id));
	if (res == NULL)
		return -1;
	list = json_object_new_array();
	json_object_object_add(ctx_result(ctx), "payslips", list);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *p = json_object_new_object();
		jsonx_set_str(p, "month", PQgetvalue(res, i, 0));
		jsonx_set_str(p, "month_title",
		              payrun_month_title(ctx, atoi(PQgetvalue(res, i, 4)),
		                                 atoi(PQgetvalue(res, i, 5))));
		payslips_put_money(ctx, p, "accrued", PQgetvalue(res, i, 1));
		payslips_put_money(ctx, p, "ndfl", PQgetvalue(res, i, 2));
		payslips_put_money(ctx, p, "net", PQgetvalue(res, i, 3));
		json_object_array_add(list, p);
	}
	return 0;
}

/* GET /api/admin/payslips/{employee_id}/{month}: drafts too. */
static int payslips_admin_get(struct ctx *ctx)
{
	int64_t id;
	int year, month;

	if (ctx_arg_int(ctx, "employee_id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0 ||
	    payrun_month_arg(ctx, &year, &month) < 0)
		return -1;
	ctx->result = payslips_build(ctx, id, year, month, 0);
	return ctx->result ? 0 : -1;
}

/* GET /api/admin/payroll/{month}/payslips: every payslip of the month's
 * payroll (drafts included), by full name, to print them at once. */
static int payslips_admin_month(struct ctx *ctx)
{
	char first[DATE_BUFSZ], m[DATE_MONTH_BUFSZ];
	json_object *r = ctx_result(ctx), *list = json_object_new_array();
	int year, month;
	PGresult *res;

	json_object_object_add(r, "payslips", list);
	if (payrun_month_arg(ctx, &year, &month) < 0)
		return -1;
	date_format(date_month_first(year, month), first);
	date_format_month(year, month, m);
	jsonx_set_str(r, "month", m);
	jsonx_set_str(r, "month_title", payrun_month_title(ctx, year, month));
	res = ctx_sql(ctx,
	              "SELECT pe.employee_id FROM payroll_employees pe JOIN employees e ON "
	              "e.tenant_id = pe.tenant_id AND e.id = pe.employee_id WHERE pe.tenant_id = $1 "
	              "AND pe.month = $2::date ORDER BY e.full_name, e.id LIMIT 2000",
	              ctx_i64(ctx, ctx->tenant_id), first);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Зарплата за %s ещё не рассчитана",
		                payrun_month_title(ctx, year, month));
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *p =
		    payslips_build(ctx, strtoll(PQgetvalue(res, i, 0), NULL, 10), year, month, 0);
		if (p == NULL)
			return -1;
		json_object_array_add(list, json_object_get(p)); /* p belongs to the arena */
	}
	jsonx_set_int(r, "count", PQntuples(res));
	return 0;
}

/* ------------------------------------------------------------ vacation */

static int vacation_balance_of(struct ctx *ctx, int64_t employee_id)
{
	const char *s = ctx_arg_str(ctx, "date", 10, 0);
	int date, hired, dismissed, end, months, next, used = 0;
	int64_t twelfths, tenths;
	struct calendar *cal;
	PGresult *res;
	json_object *o;
	char b[DATE_BUFSZ];

	if (s == NULL) {
		if (ctx->error_fields)
			return -1;
		/* today where the organization is */
		if ((date = org_today(ctx)) == DATE_NONE)
			return -1;
	} else if (date_parse_input(s, &date) < 0)
		return ctx_field(ctx, "date", "Укажите дату в виде ГГГГ-ММ-ДД");
	res =
	    ctx_sql(ctx, "SELECT hired, dismissed FROM employees WHERE tenant_id = $1 AND id = $2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee_id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Сотрудник не найден");
	if (PQgetisnull(res, 0, 0) || date_parse(PQgetvalue(res, 0, 0), &hired) < 0)
		return ctx_field(ctx, "hired", "Не указана дата приёма сотрудника");
	dismissed = DATE_NONE;
	if (!PQgetisnull(res, 0, 1))
		date_parse(PQgetvalue(res, 0, 1), &dismissed);
	end = dismissed != DATE_NONE && dismissed < date ? dismissed : date;

	/* whole months of service, then the remainder: 15 days or more is a month */
	months = 0;
	if (end >= hired) {
		while ((next = date_add_months(hired, months + 1)) - 1 <= end)
			months++;
		if (end - date_add_months(hired, months) + 1 >= 15)
			months++;
	}
	cal = calendars_load(ctx, 0);
	if (cal == NULL)
		return -1;
	res = ctx_sql(
	    ctx,
	    "SELECT greatest(date_from, $3::date), least(date_to, $4::date) FROM deviations "
	    "WHERE tenant_id = $1 AND employee_id = $2 AND code = $5 AND date_to >= "
	    "$3::date AND date_from <= $4::date",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee_id), PQgetvalue(res, 0, 0),
	    (date_format(end, b), b), ctx_i64(ctx, T13_OT));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		int from, to;
		if (date_parse(PQgetvalue(res, i, 0), &from) < 0 ||
		    date_parse(PQgetvalue(res, i, 1), &to) < 0)
			continue;
		for (int d = from; d <= to; d++)
			if (CALENDAR_KIND(calendar_day(cal, d)) != CALENDAR_HOLIDAY ||
			    !(calendar_day(cal, d) & CALENDAR_COVERED))
				used++;
	}
	twelfths = (int64_t)VACATION_DAYS_A_YEAR * months - 12 * (int64_t)used;
	/* tenths of a day, half up (away from zero) */
	tenths = twelfths >= 0 ? (twelfths * 10 + 6) / 12 : -((-twelfths * 10 + 6) / 12);
	o = ctx_result(ctx);
	date_format(date, b);
	jsonx_set_str(o, "date", b);
	date_format(hired, b);
	jsonx_set_str(o, "hired", b);
	jsonx_set_int(o, "employee_id", employee_id);
	jsonx_set_int(o, "service_months", months);
	jsonx_set_int(o, "accrued_twelfths", (int64_t)VACATION_DAYS_A_YEAR * months);
	jsonx_set_int(o, "used_days", used);
	jsonx_set_int(o, "balance_twelfths", twelfths);
	{
		int64_t a = tenths < 0 ? -tenths : tenths;
		const char *sign = tenths < 0 ? "-" : "";
		jsonx_set_str(o, "balance",
		              arena_printf(ctx->arena, "%s%lld.%lld", sign, (long long)(a / 10),
		                           (long long)(a % 10)));
		jsonx_set_str(o, "balance_ru",
		              arena_printf(ctx->arena, "%s%lld,%lld", sign, (long long)(a / 10),
		                           (long long)(a % 10)));
	}
	return 0;
}

/* GET /api/vacation/balance?date=YYYY-MM-DD */
static int vacation_balance(struct ctx *ctx)
{
	if (ctx->employee_id == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Кабинет не связан с сотрудником");
	return vacation_balance_of(ctx, ctx->employee_id);
}

/* GET /api/admin/employees/{id}/vacation-balance?date= */
static int vacation_admin_balance(struct ctx *ctx)
{
	int64_t id;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	return vacation_balance_of(ctx, id);
}

static const struct op_arg payslips_get_args[] = {ARG_ROW_MONTH("month", ARG_REQUIRED), ARG_END};
static const struct op_arg payslips_admin_get_args[] = {
    ARG_ROW_ID("employee_id", ARG_REQUIRED),
    ARG_ROW_MONTH("month", ARG_REQUIRED),
    ARG_END,
};
static const struct op_arg vacation_balance_args[] = {ARG_ROW_DATE("date", 0), ARG_END};
static const struct op_arg vacation_admin_balance_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_ROW_DATE("date", 0),
    ARG_END,
};

const struct op payslips_ops[] = {
    {"payslips.get", OP_EMPLOYEE, payslips_get, 0, payslips_get_args, WHO(WHO_SELF)},
    {"payslips.list", OP_EMPLOYEE, payslips_list, 0, args_none, WHO(WHO_SELF)},
    {"payslips.admin_get", OP_ADMIN, payslips_admin_get, 0, payslips_admin_get_args},
    {"payslips.admin_month", OP_ADMIN, payslips_admin_month, 0, payslips_get_args},
    {"vacation.balance", OP_EMPLOYEE, vacation_balance, 0, vacation_balance_args, WHO(WHO_SELF)},
    {"vacation.admin_balance", OP_ADMIN, vacation_admin_balance, 0, vacation_admin_balance_args},
    {NULL, 0, NULL, 0, NULL},
};
