/*
 * staff_bulk.c - a work schedule or pay terms given to many employees at
 * once: the staff list's bulk action (/admin/employees, staff_pages.c).
 *
 *   POST /api/admin/employees/bulk {"employees": [ids] | "scope": "filter"
 *        with the list's "q", "department", "status", "state";
 *        "what": "schedule" with "schedule_id" and "date_from", or "pay"
 *        with "date_from", "rate", "pay_by", "norm"?,
 *        "district_coefficient"?, "northern_percent"? (the card's forms'
 *        fields, checked by the same rules: schedules_check, payterms_read)}
 *     -> {"what", "employees": n, "date_from", "summary": Russian text}
 *
 * One operation, one transaction: every chosen employee gets the rows
 * (a row of the same date is replaced, as on the card), or nobody does.
 * An employee who cannot take them refuses the whole action (422), each
 * named at "employees[i].date_from" with their full name: a closed payroll
 * month holding their results from the date on (payrun.h), a dismissal
 * before the date. Audited per employee as the card's forms are
 * (schedules.assigned, payterms.set: the date, not the amount).
 */
#include "audit.h"
#include "buf.h"
#include "cabinets.h"
#include "date.h"
#include "jsonx.h"
#include "money.h"
#include "ops.h"
#include "payrun.h"
#include "payterms.h"
#include "ru.h"
#include "schedules.h"
#include "staff.h"
#include "worktime.h"

#include <stdlib.h>
#include <string.h>

/* The chosen employees, locked, with their names and dismissal dates in
 * the order chosen. NULL after an error. */
static PGresult *staff_bulk_employees(struct ctx *ctx, size_t *n)
{
	const char *scope = jsonx_get_str(ctx->args, "scope");
	struct buf list = BUF_INIT;
	int64_t *ids;
	PGresult *res;

	if ((scope && strcmp(scope, "filter") == 0 ? staff_filter_ids(ctx, &ids, n)
	                                           : cabinets_read_ids(ctx, &ids, n)) < 0)
		return NULL;
	buf_putc(&list, '{');
	for (size_t i = 0; i < *n; i++)
		buf_printf(&list, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&list, '}');
	res = ctx_sql(ctx,
	              "SELECT e.id, e.full_name, e.dismissed, u.n - 1 FROM unnest($2::bigint[]) "
	              "WITH ORDINALITY u(id, n) JOIN employees e ON e.tenant_id = $1 AND e.id = "
	              "u.id ORDER BY u.n FOR UPDATE OF e",
	              ctx_i64(ctx, ctx->tenant_id), arena_strndup(ctx->arena, list.data, list.len));
	buf_free(&list);
	return res;
}

/* Why employee row i cannot take rows from the date (NULL: it can). */
static const char *staff_bulk_problem(struct ctx *ctx, PGresult *res, int i, int from)
{
	int dismissed = worktime_pg_date(res, i, 2), closed;

	if (dismissed != DATE_NONE && dismissed < from)
		return arena_printf(ctx->arena, "%s: уволен(а) %s, раньше даты %s",
		                    PQgetvalue(res, i, 1), worktime_date_ru(ctx, dismissed),
		                    worktime_date_ru(ctx, from));
	if (payrun_closed_until_for(ctx, atoll(PQgetvalue(res, i, 0)), &closed) < 0)
		return NULL;
	if (closed != DATE_NONE && from <= closed)
		return arena_printf(ctx->arena,
		                    "%s: изменение с %s затрагивает закрытый месяц зарплаты: "
		                    "сначала откройте его или выберите дату позже %s",
		                    PQgetvalue(res, i, 1), worktime_date_ru(ctx, from),
		                    worktime_date_ru(ctx, closed));
	return NULL;
}

/* POST /api/admin/employees/bulk */
static int staff_bulk_terms(struct ctx *ctx)
{
	const char *what = jsonx_get_str(ctx->args, "what"), *day, *name = NULL;
	json_object *set = arena_own(ctx->arena, json_object_new_array()),
	            *drop = arena_own(ctx->arena, json_object_new_array()),
	            *terms = arena_own(ctx->arena, json_object_new_object());
	int pay = what && strcmp(what, "pay") == 0, from = 0, bad, refused = 0;
	int64_t schedule = 0;
	size_t n = 0;
	PGresult *res;

	if (what == NULL || (!pay && strcmp(what, "schedule") != 0))
		return ctx_field_code(ctx, "what", "required",
		                      "Что назначить: график работы (schedule) или условия оплаты "
		                      "(pay)");
	bad = worktime_arg_date(ctx, "date_from", 1, &from);
	if (pay ? payterms_read(ctx, terms) < 0
	        : ctx_arg_int(ctx, "schedule_id", 1, INT64_MAX, CTX_REQUIRED, &schedule) < 0)
		bad = -1;
	if (bad < 0 || (!pay && schedules_check(ctx, schedule) < 0))
		return -1;
	if ((res = staff_bulk_employees(ctx, &n)) == NULL)
		return -1;
	day = worktime_date_iso(ctx, from);
	for (int i = 0; i < PQntuples(res); i++) {
		const char *why = staff_bulk_problem(ctx, res, i, from);
		json_object *row;
		if (why) {
			ctx_field_code(ctx,
			               arena_printf(ctx->arena, "employees[%s].date_from",
			                            PQgetvalue(res, i, 3)),
			               "refused", "%s", why);
			refused++;
			continue;
		}
		if (ctx->error >= 0 && ctx->error != PROTO_ERR_validation)
			return -1;
		row = json_object_new_object();
		if (pay) {
			json_object_object_foreach(terms, k, v)
			{
				json_object_object_add(row, k, json_object_get(v));
			}
		} else {
			jsonx_set_int(row, "schedule_id", schedule);
		}
		jsonx_set_int(row, "employee_id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(row, "date_from", day);
		json_object_array_add(set, row);
	}
	if (refused) {
		ctx->error_message = arena_printf(
		    ctx->arena,
		    "Ничего не назначено: %d из %zu %s не могут получить %s с %s (ниже)", refused,
		    n, ru_plural((long)n, "сотрудника", "сотрудников", "сотрудников"),
		    pay ? "условия оплаты" : "график", worktime_date_ru(ctx, from));
		return -1;
	}
	if ((pay ? payterms_write(ctx, set, drop) : schedules_assignments_write(ctx, set, drop)) <
	    0)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		if (audit_log(ctx, pay ? "payterms.set" : "schedules.assigned", 1, "employee",
		              PQgetvalue(res, i, 0),
		              pay ? audit_detail("date_from", day)
		                  : audit_detail("schedule_id", ctx_i64(ctx, schedule))) < 0)
			return -1;
	if (!pay) {
		PGresult *s =
		    ctx_sql(ctx, "SELECT name FROM schedules WHERE tenant_id = $1 AND id = $2",
		            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, schedule));
		if (s == NULL)
			return -1;
		name = PQgetvalue(s, 0, 0);
	}
	jsonx_set_str(ctx_result(ctx), "what", pay ? "pay" : "schedule");
	jsonx_set_int(ctx_result(ctx), "employees", (int64_t)n);
	jsonx_set_str(ctx_result(ctx), "date_from", day);
	jsonx_set_str(
	    ctx_result(ctx), "summary",
	    pay ? arena_printf(ctx->arena, "Условия оплаты с %s назначены %zu %s.",
	                       worktime_date_ru(ctx, from), n,
	                       ru_plural((long)n, "сотруднику", "сотрудникам", "сотрудникам"))
	        : arena_printf(ctx->arena, "График «%s» с %s назначен %zu %s.", name,
	                       worktime_date_ru(ctx, from), n,
	                       ru_plural((long)n, "сотруднику", "сотрудникам", "сотрудникам")));
	return 0;
}

static const char *const staff_bulk_what[] = {"schedule", "pay", NULL};
static const char *const staff_bulk_pay_by[] = {"days", "hours", NULL};
static const struct op_arg staff_bulk_employee_item[] = {
    ARG_ITEM(ARG_INT, .min = 1, .max = INT64_MAX,
             .hint = "Номер сотрудника — целое положительное число"),
    ARG_END,
};
/* also the list page's bulk form (staff_pages.c) */
const struct op_arg staff_bulk_args[] = {
    {"employees", ARG_ARRAY, ARG_OR_TEXT, .min = 0, .max = STAFF_FILTER_MAX, .example = "[1]",
     .items = staff_bulk_employee_item},
    {"scope", ARG_STR, 0, .max = 10},
    {"q", ARG_STR, 0, .max = 200},
    {"department", ARG_STR, 0, .max = 100},
    {"status", ARG_STR, 0, .max = 20},
    {"state", ARG_STR, 0, .max = 20},
    {"what", ARG_ENUM, ARG_REQUIRED, .values = staff_bulk_what, .example = "\"schedule\"",
     .hint = "Что назначить: график работы (schedule) или условия оплаты (pay)"},
    ARG_ROW_DATE("date_from", ARG_REQUIRED),
    {"schedule_id", ARG_INT, 0, .min = 1, .max = INT64_MAX},
    {"rate", ARG_MONEY, 0, .min = 1, .max = MONEY_INPUT_MAX},
    {"pay_by", ARG_ENUM, 0, .values = staff_bulk_pay_by,
     .hint = "Оплата по дням (days) или по часам (hours)"},
    {"norm", ARG_STR, ARG_EMPTY, .max = 16},
    {"district_coefficient", ARG_HOURS, ARG_EMPTY, .max = 300,
     .hint = "Районный коэффициент: от 1 до 3, например 1.15 или 1,5"},
    {"northern_percent", ARG_INT, ARG_EMPTY, .min = 0, .max = 100},
    ARG_END,
};

const struct op staff_bulk_ops[] = {
    {"staff.bulk_terms", OP_ADMIN, staff_bulk_terms, OP_WRITE | OP_IDEMPOTENT, staff_bulk_args,
     .budget_ms = OP_BUDGET(120000)},
    {NULL, 0, NULL, 0, NULL},
};
