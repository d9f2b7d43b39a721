/*
 * payterms.c - an employee's pay terms (table employee_pay,
 * sql/0020_time.sql): from a date on, the monthly rate, paid by days or by
 * hours, and the employee's own norm mode (none: the tenant's default).
 * The monthly payroll (payrun.c) reads them; a change inside a month cuts
 * the salary line on its date.
 *
 *   GET    /api/admin/employees/{id}/pay              the terms, oldest first
 *   POST   /api/admin/employees/{id}/pay              {"date_from", "rate",
 *          "pay_by", "norm"?, "district_coefficient"?, "northern_percent"?}:
 *          adds the terms from that date (replaces terms of the same date);
 *          the regional pay left out is the organization's (payroll settings)
 *   DELETE /api/admin/employees/{id}/pay/{date_from}
 * and the admin page /admin/employees/{id}/pay (cgi/templates/payterms.html).
 * Changes are audited and refused (423) when a closed payroll month
 * follows the date: those months were paid on the old terms.
 */
#include "audit.h"
#include "date.h"
#include "hours.h"
#include "jsonx.h"
#include "money.h"
#include "ops.h"
#include "payrun.h"
#include "payterms.h"
#include "worktime.h"

#include <stdlib.h>
#include <string.h>

/* the rate's limits (money.h MONEY_INPUT_MAX) */
#define PAYTERMS_RATE_MSG                                                                        \
	"Оклад — сумма в рублях больше нуля, например 80 000 или 80 000,50, не больше " \
	MONEY_INPUT_MAX_RU

/* No closed month from this date on. */
static int payterms_open_from(struct ctx *ctx, int64_t employee, int from)
{
	return payrun_check_open_for(ctx, employee, from, date_month_last(DATE_MAX_YEAR, 12));
}

static int payterms_answer(struct ctx *ctx, int64_t employee)
{
	PGresult *res = ctx_sql(ctx,
	                        "SELECT date_from, rate::text, pay_by, norm, "
	                        "district_coefficient::text, northern_percent FROM employee_pay "
	                        "WHERE tenant_id = $1 AND employee_id = $2 ORDER BY date_from",
	                        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee));
	json_object *list;

	PGresult *who =
	    ctx_sql(ctx, "SELECT full_name FROM employees WHERE tenant_id = $1 AND id = $2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee));

	if (res == NULL || who == NULL)
		return -1;
	list = json_object_new_array();
	jsonx_set_int(ctx_result(ctx), "employee_id", employee);
	jsonx_set_str(ctx_result(ctx), "full_name", PQntuples(who) ? PQgetvalue(who, 0, 0) : "");
	json_object_object_add(ctx_result(ctx), "terms", list);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *t = json_object_new_object();
		const char *ru, *rate = payrun_money(ctx, PQgetvalue(res, i, 1), &ru);

		jsonx_set_str(t, "date_from", PQgetvalue(res, i, 0));
		jsonx_set_str(t, "date_from_ru",
		              worktime_date_ru(ctx, worktime_pg_date(res, i, 0)));
		jsonx_set_str(t, "rate", rate);
		jsonx_set_str(t, "rate_ru", ru);
		jsonx_set_str(t, "pay_by", PQgetvalue(res, i, 2));
		jsonx_set_str(t, "pay_by_ru",
		              strcmp(PQgetvalue(res, i, 2), "hours") == 0 ? "по часам" : "по дням");
		jsonx_set_str(t, "norm", PQgetisnull(res, i, 3) ? NULL : PQgetvalue(res, i, 3));
		jsonx_set_str(t, "norm_ru",
		              PQgetisnull(res, i, 3) ? "как принято в организации"
		              : strcmp(PQgetvalue(res, i, 3), "summed") == 0
		                  ? "суммированная"
		                  : "по каждому периоду");
		if (!PQgetisnull(res, i, 4))
			json_object_object_add(t, "district_coefficient",
			                       jsonx_new_decimal(PQgetvalue(res, i, 4)));
		if (!PQgetisnull(res, i, 5))
			jsonx_set_int(t, "northern_percent", atoi(PQgetvalue(res, i, 5)));
		/* for people: "коэффициент 1,15; надбавка 30 %", the organization's
		 * where the row sets none */
		{
			char *k =
			    PQgetisnull(res, i, 4)
			        ? NULL
			        : arena_printf(ctx->arena, "коэффициент %s", PQgetvalue(res, i, 4));
			for (char *c = k ? strchr(k, '.') : NULL; c; c = NULL)
				*c = ',';
			jsonx_set_str(t, "regional_ru",
			              arena_printf(ctx->arena, "%s%s%s",
			                           k ? k : "коэффициент как в организации", "; ",
			                           PQgetisnull(res, i, 5)
			                               ? "надбавка как в организации"
			                               : arena_printf(ctx->arena, "надбавка %s %%",
			                                              PQgetvalue(res, i, 5))));
		}
		json_object_array_add(list, t);
	}
	return 0;
}

int payterms_write(struct ctx *ctx, json_object *set, json_object *drop)
{
	if (json_object_array_length(drop) > 0 &&
	    ctx_sql(ctx,
	            /* read once, rows by their employees: see schedules_assignments_write */
	            "WITH r AS MATERIALIZED (SELECT * FROM jsonb_to_recordset($2::jsonb) AS "
	            "r(employee_id bigint, date_from date)) DELETE FROM employee_pay p USING r "
	            "WHERE p.tenant_id = $1 AND p.employee_id = ANY (ARRAY(SELECT r.employee_id "
	            "FROM r)) AND p.employee_id = r.employee_id AND p.date_from = r.date_from",
	            ctx_i64(ctx, ctx->tenant_id), jsonx_dump(drop, NULL)) == NULL)
		return -1;
	if (json_object_array_length(set) > 0 &&
	    ctx_sql(
	        ctx,
	        "INSERT INTO employee_pay (tenant_id, employee_id, date_from, rate, pay_by, norm, "
	        "district_coefficient, northern_percent) SELECT $1, r.employee_id, r.date_from, "
	        "r.rate, r.pay_by, r.norm, r.district_coefficient, r.northern_percent FROM "
	        "jsonb_to_recordset($2::jsonb) AS r(employee_id bigint, date_from date, rate "
	        "numeric, pay_by text, norm text, district_coefficient numeric, northern_percent "
	        "smallint) ON CONFLICT (tenant_id, employee_id, date_from) DO UPDATE SET rate = "
	        "EXCLUDED.rate, pay_by = EXCLUDED.pay_by, norm = EXCLUDED.norm, "
	        "district_coefficient = EXCLUDED.district_coefficient, northern_percent = "
	        "EXCLUDED.northern_percent",
	        ctx_i64(ctx, ctx->tenant_id), jsonx_dump(set, NULL)) == NULL)
		return -1;
	return 0;
}

/* GET /api/admin/employees/{id}/pay */
static int payterms_list(struct ctx *ctx)
{
	int64_t employee;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &employee) < 0 ||
	    worktime_employee_check(ctx, employee, 0) < 0)
		return -1;
	return payterms_answer(ctx, employee);
}

int payterms_read(struct ctx *ctx, json_object *row)
{
	const char *rate = ctx_arg_str(ctx, "rate", 32, 1),
	           *pay_by = ctx_arg_str(ctx, "pay_by", 8, 1),
	           *norm = ctx_arg_str(ctx, "norm", 16, 0);
	int64_t kopecks = 0;
	int bad = rate == NULL || pay_by == NULL ? -1 : 0;
	char text[MONEY_BUFSZ];

	if (rate && (money_parse_input(rate, 0, &kopecks) < 0 || kopecks <= 0 ||
	             kopecks > MONEY_INPUT_MAX))
		bad = ctx_field_code(ctx, "rate", "money", "%s", PAYTERMS_RATE_MSG);
	if (pay_by && strcmp(pay_by, "days") != 0 && strcmp(pay_by, "hours") != 0)
		bad = ctx_field_code(ctx, "pay_by", "invalid",
		                     "Оплата по дням (days) или по часам (hours)");
	if (norm && *norm && strcmp(norm, "per_period") != 0 && strcmp(norm, "summed") != 0)
		bad = ctx_field_code(ctx, "norm", "invalid",
		                     "Норма: per_period (по графику каждого периода), summed "
		                     "(суммированная) или пусто (как принято в организации)");
	/* regional pay of the employee (payroll.md): coefficient 1..3, allowance % */
	json_object *dv = jsonx_get(ctx->args, "district_coefficient");
	int64_t north = -1;
	int32_t district = 0;
	if (dv && !json_object_is_type(dv, json_type_null) &&
	    !(json_object_is_type(dv, json_type_string) && !*json_object_get_string(dv))) {
		char t[32], *comma;
		snprintf(t, sizeof(t), "%s", json_object_get_string(dv));
		if ((comma = strchr(t, ',')) != NULL)
			*comma = '.';
		if (json_object_is_type(dv, json_type_boolean) || hours_parse(t, &district) < 0 ||
		    district < 100 || district > 300)
			bad = ctx_field_code(
			    ctx, "district_coefficient", "invalid",
			    "Районный коэффициент: от 1 до 3, например 1.15 или 1,5");
	}
	{
		const char *nt = jsonx_get_str(ctx->args, "northern_percent");
		if (!(nt && !*nt) && ctx_arg_int(ctx, "northern_percent", 0, 100, -1, &north) < 0)
			bad = -1;
	}
	if (bad < 0)
		return -1;
	money_format(kopecks, text);
	jsonx_set_str(row, "rate", text);
	jsonx_set_str(row, "pay_by", pay_by);
	jsonx_set_str(row, "norm", norm && *norm ? norm : NULL);
	if (district)
		jsonx_set_str(row, "district_coefficient",
		              arena_printf(ctx->arena, "%d.%02d", district / 100, district % 100));
	if (north >= 0)
		jsonx_set_int(row, "northern_percent", north);
	return 0;
}

/* POST /api/admin/employees/{id}/pay */
static int payterms_set(struct ctx *ctx)
{
	json_object *set = arena_own(ctx->arena, json_object_new_array()),
	            *drop = arena_own(ctx->arena, json_object_new_array()),
	            *row = json_object_new_object();
	int64_t employee;
	int from, bad;

	json_object_array_add(set, row);
	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &employee) < 0)
		return -1;
	bad = worktime_arg_date(ctx, "date_from", 1, &from);
	if (payterms_read(ctx, row) < 0 || bad < 0)
		return -1;
	if (worktime_employee_check(ctx, employee, 1) < 0 ||
	    payterms_open_from(ctx, employee, from) < 0)
		return -1;
	jsonx_set_int(row, "employee_id", employee);
	jsonx_set_str(row, "date_from", worktime_date_iso(ctx, from));
	if (payterms_write(ctx, set, drop) < 0)
		return -1;
	/* the amount is the employee's personal data: the audit keeps the date only */
	if (audit_log(ctx, "payterms.set", 1, "employee", ctx_i64(ctx, employee),
	              audit_detail("date_from", worktime_date_iso(ctx, from))) < 0)
		return -1;
	ctx->status = 201;
	return payterms_answer(ctx, employee);
}

/* DELETE /api/admin/employees/{id}/pay/{date_from} */
static int payterms_delete(struct ctx *ctx)
{
	int64_t employee;
	int from;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &employee) < 0 ||
	    worktime_arg_date(ctx, "date_from", 1, &from) < 0 ||
	    worktime_employee_check(ctx, employee, 1) < 0 ||
	    payterms_open_from(ctx, employee, from) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "DELETE FROM employee_pay WHERE tenant_id = $1 AND employee_id = $2 "
	              "AND date_from = $3 RETURNING 1",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee),
	              worktime_date_iso(ctx, from));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Условий оплаты с этой даты нет");
	if (audit_log(ctx, "payterms.deleted", 1, "employee", ctx_i64(ctx, employee),
	              audit_detail("date_from", worktime_date_iso(ctx, from))) < 0)
		return -1;
	return payterms_answer(ctx, employee);
}

static const char *const payterms_pay_by[] = {"days", "hours", NULL};
static const char *const payterms_norms[] = {"per_period", "summed", NULL};
static const struct op_arg payterms_list_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
static const struct op_arg payterms_set_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_ROW_DATE("date_from", ARG_REQUIRED),
    {"rate", ARG_MONEY, ARG_REQUIRED, .min = 1, .max = MONEY_INPUT_MAX, .example = "\"30000.00\"",
     .hint = PAYTERMS_RATE_MSG},
    {"pay_by", ARG_ENUM, ARG_REQUIRED, .values = payterms_pay_by, .example = "\"days\"",
     .hint = "Оплата по дням (days) или по часам (hours)"},
    {"norm", ARG_ENUM, 0, .values = payterms_norms,
     .hint = "Норма: per_period (по графику каждого периода), summed (суммированная) или "
             "пусто (как принято в организации)"},
    /* regional pay of the employee; left out: the organization's */
    {"district_coefficient", ARG_HOURS, 0, .max = 300,
     .hint = "Районный коэффициент: от 1 до 3, например 1.15 или 1,5"},
    {"northern_percent", ARG_INT, 0, .min = 0, .max = 100},
    ARG_END,
};
static const struct op_arg payterms_delete_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_ROW_DATE("date_from", ARG_REQUIRED),
    ARG_END,
};

const struct op payterms_ops[] = {
    {"payterms.list", OP_ADMIN, payterms_list, 0, payterms_list_args},
    {"payterms.set", OP_ADMIN, payterms_set, OP_WRITE | OP_IDEMPOTENT, payterms_set_args},
    {"payterms.delete", OP_ADMIN, payterms_delete, OP_WRITE, payterms_delete_args},
    {NULL, 0, NULL, 0, NULL},
};
