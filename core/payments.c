/*
 * payments.c - one-off accruals and payments (issue 11 item 4).
 *
 * Accruals: a bonus or material aid of an employee's payroll month, their
 * own payslip lines (payroll.h: bonus, material_aid), in the НДФЛ base
 * (material aid above 4 000 a year).
 *   POST /api/admin/accruals {"employee_id", "month", "kind": "bonus" |
 *        "material_aid", "amount", "title"} -> 201 {"accrual"}
 *   GET /api/admin/accruals?month=&employee_id=, DELETE /api/admin/accruals/{id}
 *   PUT /api/exchange/v1/accruals {"items": [{"external_id", "employee",
 *        "month", "kind", "amount", "title"}]} (upsert by external_id)
 * An accrual needs the employee employed in some day of the month and the
 * month open (423); it makes the month's result stale (sql/0034).
 *
 * Payments: the money paid, each its own document.
 *   POST /api/admin/payments {"employee_id", "date", "kind": "advance" |
 *        "vacation_pay" | "final" | "salary", "amount"?} -> 201 {"payment"}
 *   GET /api/admin/payments?employee_id=&month=, DELETE /api/admin/payments/{id}
 * amount is the income paid (before НДФЛ); left out it is:
 *   advance      the tenant's advance setting (payroll settings): a percent of
 *                the rate in force on the date (advance_percent, default 40),
 *                or the pay for the first half's worked time (advance_mode
 *                first_half: the month's salary lines cut at the 15th);
 *   vacation_pay the vacation pay line of the vacation paid on that date in
 *                the calculated month (art. 136: the date is the vacation's
 *                payment date, at least 3 days before it);
 *   final        on the dismissal day only (art. 140): what the dismissal
 *                month's calculation (the salary to the last day and the
 *                compensation for unused vacation, art. 127) has not paid yet;
 *   salary       what the month settled has not paid yet.
 * The month a payment settles: the month of its date, for a salary the
 * latest calculated month up to it with something left to pay. A payment
 * never makes a calculated (not stale) month's balance negative: its amount
 * is at most the month's accrued less the payments already settling it
 * (422 at amount naming what is left). Before the month is calculated (or
 * while its result is stale) only an advance may be paid, within the
 * advance setting; anything else asks for the calculation first (409).
 * Dates: a payment is recorded when the money leaves, so a date after today
 * (org.h, the organization's zone) is refused (no planned payments: they
 * would count as paid and withhold НДФЛ before the income exists), as is a
 * date before the hire. "month" (optional, the payslip page's month) names
 * the month the payment must belong to: an advance, vacation pay or final
 * settlement dated in it, a salary dated in it or later (settling it).
 * НДФЛ is withheld from each payment (the income date is the payment date,
 * Tax Code art. 223 p. 2 since 2023): the tax on the year of the payment's
 * date, cumulative over that year's earlier payments, the rest of its
 * calculated months no payment settles (as paid on their last day; a month
 * with recorded payments is paid by them only) and the opening balance
 * (ndfl.h "НДФЛ by the income date", ndfl_pay.h). A December salary paid
 * on 10 January is January's income, taxed on the new year's scale. The
 * stored tax of a payment is a document: later recalculations do not
 * rewrite it. The month's НДФЛ on the payslip follows (payrun.h
 * payrun_refresh_paid): what its payments withheld plus the tax of its
 * unpaid rest. The payslip shows paid = the payments' cash (amount −
 * ndfl) of the month and balance = net − paid.
 */
#include "audit.h"
#include "date.h"
#include "exchange.h"
#include "jsonx.h"
#include "money.h"
#include "monotime.h"
#include "ndfl_pay.h"
#include "ops.h"
#include "org.h"
#include "payrun.h"
#include "worktime.h"

#include <stdlib.h>
#include <string.h>


/* What an amount may be (trial-break 8, 14): positive, at most two
 * decimals, at most MONEY_INPUT_MAX. */
#define PAYMENTS_AMOUNT_MSG                                                                      \
	"Сумма в рублях: больше 0, не больше " MONEY_INPUT_MAX_RU ", копейки — не больше двух "   \
	"знаков: 10000.00 или 10 000,00"
#define PAYMENTS_PAYMENT_MSG                                                                     \
	"Сумма в рублях: больше 0, не больше " MONEY_INPUT_MAX_RU ", копейки — не больше двух "   \
	"знаков (10000.00 или 10 000,00), или не указывайте её"
/* ------------------------------------------------------------ accruals */

#define ACCRUAL_COLUMNS                                                                            \
	"a.id, a.employee_id, to_char(a.month, 'YYYY-MM'), a.kind, a.amount::text, "               \
	"coalesce(a.title, ''), coalesce(a.external_id, ''), e.full_name"

static const char *accruals_kind_title(const char *kind)
{
	return strcmp(kind, "bonus") == 0 ? "Премия" : "Материальная помощь";
}

static json_object *accruals_json(struct ctx *ctx, PGresult *res, int r)
{
	json_object *o = json_object_new_object();
	const char *ru;

	jsonx_set_int(o, "id", atoll(PQgetvalue(res, r, 0)));
	jsonx_set_int(o, "employee_id", atoll(PQgetvalue(res, r, 1)));
	jsonx_set_str(o, "month", PQgetvalue(res, r, 2));
	jsonx_set_str(o, "kind", PQgetvalue(res, r, 3));
	jsonx_set_str(o, "kind_title", accruals_kind_title(PQgetvalue(res, r, 3)));
	jsonx_set_str(o, "amount", payrun_money(ctx, PQgetvalue(res, r, 4), &ru));
	jsonx_set_str(o, "amount_ru", ru);
	jsonx_set_str(o, "title", *PQgetvalue(res, r, 5) ? PQgetvalue(res, r, 5) : NULL);
	jsonx_set_str(o, "external_id", *PQgetvalue(res, r, 6) ? PQgetvalue(res, r, 6) : NULL);
	jsonx_set_str(o, "employee", PQgetvalue(res, r, 7));
	return o;
}

struct accrual_in {
	int64_t employee;
	int year, month;
	const char *kind, *title, *external_id;
	int64_t amount;
};

/* One accrual's fields from o; errors under prefix. 0 or -1. */
static int accruals_parse(struct ctx *ctx, json_object *o, const char *prefix, int item,
                          struct accrual_in *a)
{
	const char *ms = jsonx_get_str(o, "month");
	json_object *amount = jsonx_get(o, "amount");
	int bad = 0;

	memset(a, 0, sizeof(*a));
	json_object_object_foreach(o, key, val)
	{
		(void)val;
		if (key[0] == '_' && !item)
			continue; /* a form's _csrf (the admin page) */
		if (strcmp(key, "month") && strcmp(key, "kind") && strcmp(key, "amount") &&
		    strcmp(key, "title") &&
		    !(item && (strcmp(key, "employee") == 0 || strcmp(key, "external_id") == 0)) &&
		    !(!item && strcmp(key, "employee_id") == 0))
			bad = ctx_field_code(
			    ctx, arena_printf(ctx->arena, "%s%s", prefix, key), "unknown",
			    "Неизвестное поле: допустимы %s, month, kind, amount, title",
			    item ? "external_id, employee" : "employee_id");
	}
	if (ms == NULL || date_parse_month(ms, &a->year, &a->month) < 0)
		bad = ctx_field_code(ctx, arena_printf(ctx->arena, "%smonth", prefix), "month",
		                     "Месяц начисления: ГГГГ-ММ");
	a->kind = jsonx_get_str(o, "kind");
	if (a->kind == NULL || (strcmp(a->kind, "bonus") && strcmp(a->kind, "material_aid")))
		bad =
		    ctx_field_code(ctx, arena_printf(ctx->arena, "%skind", prefix), "invalid",
		                   "Вид начисления: bonus (премия) или material_aid (материальная "
		                   "помощь)");
	if (amount == NULL || !json_object_is_type(amount, json_type_string) ||
	    money_parse_input(json_object_get_string(amount), 0, &a->amount) < 0 ||
	    a->amount <= 0 || a->amount > MONEY_INPUT_MAX)
		bad = ctx_field_code(ctx, arena_printf(ctx->arena, "%samount", prefix), "money",
		                     "%s", PAYMENTS_AMOUNT_MSG);
	a->title = jsonx_get_str(o, "title");
	if (a->title && strlen(a->title) > 200)
		bad = ctx_field_code(ctx, arena_printf(ctx->arena, "%stitle", prefix), "invalid",
		                     "Название: не длиннее 200 символов");
	if (a->title && !*a->title)
		a->title = NULL;
	return bad;
}

/* The employee works some day of the month. 0, or a field error. */
static int accruals_employed(struct ctx *ctx, const char *field, int64_t employee, int year,
                             int month)
{
	int hired, dismissed;

	if (worktime_employment(ctx, employee, &hired, &dismissed) < 0)
		return -1;
	if ((hired != DATE_NONE && hired > date_month_last(year, month)) ||
	    (dismissed != DATE_NONE && dismissed < date_month_first(year, month)))
		return ctx_field_code(ctx, field, "employment",
		                      "В %s сотрудник не работал в организации (принят %s%s%s)",
		                      payrun_month_title(ctx, year, month),
		                      hired != DATE_NONE ? worktime_date_ru(ctx, hired) : "—",
		                      dismissed != DATE_NONE ? ", уволен " : "",
		                      dismissed != DATE_NONE ? worktime_date_ru(ctx, dismissed)
		                                             : "");
	return 0;
}

static PGresult *accruals_insert(struct ctx *ctx, const struct accrual_in *a)
{
	char m[DATE_BUFSZ], amount[MONEY_BUFSZ];

	date_format(date_month_first(a->year, a->month), m);
	money_format(a->amount, amount);
	return ctx_sql(
	    ctx,
	    "WITH x AS (INSERT INTO payroll_accruals (tenant_id, employee_id, month, kind, "
	    "amount, title, external_id, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, "
	    "$8) RETURNING *) SELECT " ACCRUAL_COLUMNS " FROM x a JOIN employees e ON "
	    "e.tenant_id = a.tenant_id AND e.id = a.employee_id",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, a->employee), m, a->kind, amount, a->title,
	    a->external_id, ctx->user_id ? ctx_i64(ctx, ctx->user_id) : NULL);
}

/* POST /api/admin/accruals */
static int accruals_create(struct ctx *ctx)
{
	struct accrual_in a;
	PGresult *res;
	int bad = accruals_parse(ctx, ctx->args, "", 0, &a);

	if (ctx_arg_int(ctx, "employee_id", 1, INT64_MAX, CTX_REQUIRED, &a.employee) < 0 || bad < 0)
		return -1;
	if (worktime_employee_check(ctx, a.employee, 1) < 0 ||
	    accruals_employed(ctx, "month", a.employee, a.year, a.month) < 0 ||
	    payrun_check_open_for(ctx, a.employee, date_month_first(a.year, a.month),
	                          date_month_last(a.year, a.month)) < 0)
		return -1;
	res = accruals_insert(ctx, &a);
	if (res == NULL || audit_log(ctx, "payroll.accrual_created", 1, "accrual",
	                             PQgetvalue(res, 0, 0), audit_detail("kind", a.kind)) < 0)
		return -1;
	ctx->status = 201;
	json_object_object_add(ctx_result(ctx), "accrual", accruals_json(ctx, res, 0));
	return 0;
}

/* GET /api/admin/accruals?month=&employee_id= */
static int accruals_list(struct ctx *ctx)
{
	const char *mtext = jsonx_get_str(ctx->args, "month"),
	           *etext = jsonx_get_str(ctx->args, "employee_id");
	json_object *items = json_object_new_array();
	int64_t employee = 0;
	int year, month;
	const char *first = NULL;
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "accruals", items);
	if (!(etext && !*etext) && ctx_arg_int(ctx, "employee_id", 1, INT64_MAX, 0, &employee) < 0)
		return -1;
	if (mtext && *mtext) {
		if (worktime_arg_month(ctx, "month", &year, &month) < 0)
			return -1;
		first = worktime_date_iso(ctx, date_month_first(year, month));
	}
	res =
	    ctx_sql(ctx,
	            "SELECT " ACCRUAL_COLUMNS " FROM payroll_accruals a JOIN employees e ON "
	            "e.tenant_id = a.tenant_id AND e.id = a.employee_id WHERE a.tenant_id = $1 AND "
	            "($2::bigint IS NULL OR a.employee_id = $2) AND ($3::date IS NULL OR a.month = "
	            "$3::date) ORDER BY a.month DESC, e.search_name, e.full_name, a.id LIMIT 5000",
	            ctx_i64(ctx, ctx->tenant_id), employee ? ctx_i64(ctx, employee) : NULL, first);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, accruals_json(ctx, res, i));
	return 0;
}

/* DELETE /api/admin/accruals/{id} */
static int accruals_delete(struct ctx *ctx)
{
	int64_t id;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	res = ctx_sql(
	    ctx,
	    "DELETE FROM payroll_accruals WHERE tenant_id = $1 AND id = $2 RETURNING month, "
	    "employee_id",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Начисление не найдено");
	{
		int m = worktime_pg_date(res, 0, 0), y, mo, d;
		date_to_ymd(m, &y, &mo, &d);
		/* a closed month keeps it: the failure rolls the delete back */
		if (payrun_check_open_for(ctx, atoll(PQgetvalue(res, 0, 1)), m,
		                          date_month_last(y, mo)) < 0)
			return -1;
	}
	if (audit_log(ctx, "payroll.accrual_deleted", 1, "accrual", ctx_i64(ctx, id), NULL) < 0)
		return -1;
	jsonx_set_bool(ctx_result(ctx), "deleted", 1);
	return 0;
}

/* PUT /api/exchange/v1/accruals {"items": [...]}: upsert by external_id. */
static int accruals_exchange(struct ctx *ctx)
{
	struct exchange_counts c = {0};
	int64_t started = monotime_us();
	json_object *items = exchange_body_items(ctx);
	struct accrual_in *a;
	int64_t *existing;
	int *same;
	size_t n = 0;
	int bad = 0, closed = DATE_NONE;
	PGresult *res;

	if (items == NULL) {
		if (ctx->error < 0)
			ctx_field_code(ctx, "items", "required", "Обязательное поле");
		goto refused;
	}
	if (!json_object_is_type(items, json_type_array) ||
	    (n = json_object_array_length(items)) > EXCHANGE_MAX_ITEMS) {
		ctx_field_code(ctx, "items", "invalid", "Список начислений, не больше %d",
		               EXCHANGE_MAX_ITEMS);
		goto refused;
	}
	res = ctx_sql(ctx,
	              "SELECT (max(month) + interval '1 month' - interval '1 day')::date FROM "
	              "payroll_documents WHERE tenant_id = $1 AND status = 'closed'",
	              ctx_i64(ctx, ctx->tenant_id));
	if (res == NULL)
		return -1;
	closed = worktime_pg_date(res, 0, 0);
	a = arena_alloc(ctx->arena, sizeof(*a) * (n ? n : 1));
	existing = arena_alloc(ctx->arena, sizeof(int64_t) * (n ? n : 1));
	same = arena_alloc(ctx->arena, sizeof(int) * (n ? n : 1));
	for (size_t i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(items, i);
		const char *prefix = arena_printf(ctx->arena, "items[%zu].", i);
		const char *emp;

		existing[i] = 0;
		same[i] = 0;
		if (!json_object_is_type(it, json_type_object)) {
			bad = ctx_field_code(ctx, arena_printf(ctx->arena, "items[%zu].item", i),
			                     "invalid", "Ожидается объект");
			continue;
		}
		if (accruals_parse(ctx, it, prefix, 1, &a[i]) < 0)
			bad = -1;
		a[i].external_id = jsonx_get_str(it, "external_id");
		emp = jsonx_get_str(it, "employee");
		if (a[i].external_id == NULL || !*a[i].external_id ||
		    strlen(a[i].external_id) > 200)
			bad = ctx_field_code(ctx, arena_printf(ctx->arena, "%sexternal_id", prefix),
			                     "required", "Внешний код начисления, до 200 символов");
		for (size_t k = 0; a[i].external_id && k < i; k++)
			if (a[k].external_id && strcmp(a[k].external_id, a[i].external_id) == 0)
				bad = ctx_field_code(
				    ctx, arena_printf(ctx->arena, "%sexternal_id", prefix),
				    "duplicate", "Внешний код указан в пакете дважды");
		if (emp == NULL || !*emp) {
			bad = ctx_field_code(ctx, arena_printf(ctx->arena, "%semployee", prefix),
			                     "required", "Внешний код сотрудника");
			continue;
		}
		res = ctx_sql(ctx,
		              "SELECT id FROM employees WHERE tenant_id = $1 AND external_id = $2",
		              ctx_i64(ctx, ctx->tenant_id), emp);
		if (res == NULL)
			return -1;
		if (PQntuples(res) == 0) {
			bad = ctx_field_code(ctx, arena_printf(ctx->arena, "%semployee", prefix),
			                     "not_found", "Нет сотрудника с таким внешним кодом");
			continue;
		}
		a[i].employee = atoll(PQgetvalue(res, 0, 0));
		if (a[i].year && accruals_employed(ctx, arena_printf(ctx->arena, "%smonth", prefix),
		                                   a[i].employee, a[i].year, a[i].month) < 0)
			bad = -1;
		if (a[i].external_id == NULL)
			continue;
		char amt[MONEY_BUFSZ];
		money_format(a[i].amount, amt);
		res = ctx_sql(
		    ctx,
		    "SELECT id, employee_id = $3 AND to_char(month, 'YYYY-MM') = $4 AND "
		    "kind = $5 AND amount = $6::numeric AND title IS NOT DISTINCT FROM $7, "
		    "month FROM payroll_accruals WHERE tenant_id = $1 AND external_id = $2",
		    ctx_i64(ctx, ctx->tenant_id), a[i].external_id, ctx_i64(ctx, a[i].employee),
		    jsonx_get_str(it, "month"), a[i].kind, amt, a[i].title);
		if (res == NULL)
			return -1;
		if (PQntuples(res)) {
			existing[i] = atoll(PQgetvalue(res, 0, 0));
			same[i] = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
			/* a changed accrual of a closed month (its old month or new) */
			if (!same[i] && closed != DATE_NONE &&
			    worktime_pg_date(res, 0, 2) <= closed)
				bad = ctx_field_code(
				    ctx, arena_printf(ctx->arena, "%smonth", prefix), "locked",
				    "Начисление закрытого месяца не меняется");
		}
		if (!same[i] && closed != DATE_NONE && a[i].year &&
		    date_month_first(a[i].year, a[i].month) <= closed)
			bad = ctx_field_code(ctx, arena_printf(ctx->arena, "%smonth", prefix),
			                     "locked", "Месяц %s закрыт: откройте его",
			                     payrun_month_title(ctx, a[i].year, a[i].month));
	}
	if (bad < 0)
		goto refused;
	for (size_t i = 0; i < n; i++) {
		if (same[i]) {
			c.unchanged++;
			continue;
		}
		if (existing[i] &&
		    ctx_sql(ctx, "DELETE FROM payroll_accruals WHERE tenant_id = $1 AND id = $2",
		            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, existing[i])) == NULL)
			return -1;
		if (accruals_insert(ctx, &a[i]) == NULL)
			return -1;
		if (existing[i])
			c.updated++;
		else
			c.created++;
	}
	jsonx_set_int(ctx_result(ctx), "created", c.created);
	jsonx_set_int(ctx_result(ctx), "updated", c.updated);
	jsonx_set_int(ctx_result(ctx), "unchanged", c.unchanged);
	if ((c.created || c.updated) &&
	    audit_log(ctx, "exchange.upserted", 1, "exchange", "accruals", NULL) < 0)
		return -1;
	return exchange_log_write(ctx, "accruals", 200, &c, started);
refused:
	if (ctx->error != PROTO_ERR_validation && ctx->error != PROTO_ERR_bad_request)
		return -1;
	return exchange_log_write(ctx, "accruals", ctx->status, &c, started);
}

/* ------------------------------------------------------------ payments */

static const char *const payments_kinds[] = {"advance", "vacation_pay", "final", "salary", NULL};

static const char *payments_kind_title(const char *kind)
{
	if (strcmp(kind, "advance") == 0)
		return "Аванс";
	if (strcmp(kind, "vacation_pay") == 0)
		return "Отпускные";
	if (strcmp(kind, "final") == 0)
		return "Окончательный расчёт";
	return "Зарплата";
}

#define PAYMENT_COLUMNS                                                                            \
	"p.id, p.employee_id, p.date, to_char(p.month, 'YYYY-MM'), p.kind, p.amount::text, "       \
	"p.ndfl::text, (p.amount - p.ndfl)::text, e.full_name"

static json_object *payments_json(struct ctx *ctx, PGresult *res, int r)
{
	json_object *o = json_object_new_object();
	const char *ru;

	jsonx_set_int(o, "id", atoll(PQgetvalue(res, r, 0)));
	jsonx_set_int(o, "employee_id", atoll(PQgetvalue(res, r, 1)));
	jsonx_set_str(o, "date", PQgetvalue(res, r, 2));
	jsonx_set_str(o, "date_ru", worktime_date_ru(ctx, worktime_pg_date(res, r, 2)));
	jsonx_set_str(o, "month", PQgetvalue(res, r, 3));
	jsonx_set_str(o, "kind", PQgetvalue(res, r, 4));
	jsonx_set_str(o, "kind_title", payments_kind_title(PQgetvalue(res, r, 4)));
	jsonx_set_str(o, "amount", payrun_money(ctx, PQgetvalue(res, r, 5), &ru));
	jsonx_set_str(o, "amount_ru", ru);
	jsonx_set_str(o, "ndfl", payrun_money(ctx, PQgetvalue(res, r, 6), &ru));
	jsonx_set_str(o, "ndfl_ru", ru);
	jsonx_set_str(o, "net", payrun_money(ctx, PQgetvalue(res, r, 7), &ru));
	jsonx_set_str(o, "net_ru", ru);
	jsonx_set_str(o, "employee", PQgetvalue(res, r, 8));
	return o;
}

/* The calculated result of (employee, month): accrued and what payments
 * settling it have paid (gross). 1 found, 0 none, -1 error. */
static int payments_month_left(struct ctx *ctx, int64_t employee, int month_first, int64_t *accrued,
                               int64_t *paid_gross)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT pe.accrued::text, coalesce((SELECT sum(amount) FROM payroll_payments p WHERE "
	    "p.tenant_id = pe.tenant_id AND p.employee_id = pe.employee_id AND p.month = "
	    "pe.month), "
	    "0)::text FROM payroll_employees pe WHERE pe.tenant_id = $1 AND pe.employee_id = $2 "
	    "AND "
	    "pe.month = $3::date",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee),
	    worktime_date_iso(ctx, month_first));

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	money_parse(PQgetvalue(res, 0, 0), MONEY_ALLOW_NEGATIVE, accrued);
	money_parse(PQgetvalue(res, 0, 1), MONEY_ALLOW_NEGATIVE, paid_gross);
	return 1;
}

/* A payment never exceeds what its month can owe (F23, G1). With the
 * month's result current, amount (gross) may be at most what is accrued and
 * not yet paid; else 422 at amount naming what may still be paid. Without a
 * current result (not calculated yet, or stale) nothing bounds it but the
 * rules known before the calculation: an advance (paid before the month is
 * calculated by definition) with the month's earlier advances at most the
 * tenant's advance rule (payrun_advance(): the percent of the rate or the
 * first half's pay) on its date, 422 at amount (a stale month's advance
 * also within what its last result left); any other payment is refused
 * with 409 asking to calculate the month first. */
static int payments_check_left(struct ctx *ctx, int64_t employee, const char *kind, int date,
                               int month_first, int64_t amount)
{
	/* one statement (D1): the result's stale flag and accrued, what the
	 * month's payments paid (gross) and its advances, the name */
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT pe.stale, coalesce(sum(p.amount) FILTER (WHERE p.kind = 'advance'), "
	    "0)::text, e.full_name, pe.accrued::text, coalesce(sum(p.amount), 0)::text FROM "
	    "employees e LEFT JOIN payroll_employees pe ON pe.tenant_id = e.tenant_id AND "
	    "pe.employee_id = e.id AND pe.month = $3::date LEFT JOIN payroll_payments p ON "
	    "p.tenant_id = e.tenant_id AND p.employee_id = e.id AND p.month = $3::date WHERE "
	    "e.tenant_id = $1 AND e.id = $2 GROUP BY e.id, e.full_name, pe.stale, pe.accrued",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee),
	    worktime_date_iso(ctx, month_first));
	int64_t accrued, paid, left;
	int y, m, d;
	char ls[MONEY_RU_BUFSZ], as[MONEY_RU_BUFSZ], ps[MONEY_RU_BUFSZ];

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) /* checked before; never without its row */
		return ctx_field_code(ctx, "employee_id", "not_found", "Сотрудник не найден");
	date_to_ymd(month_first, &y, &m, &d);
	if (PQgetisnull(res, 0, 0) || strcmp(PQgetvalue(res, 0, 0), "t") == 0) {
		int none = PQgetisnull(res, 0, 0);
		const char *why = none ? "ещё не выполнен" : "устарел";
		int64_t rule, advanced = 0;

		if (strcmp(kind, "advance") != 0)
			return ctx_fail(
			    ctx, PROTO_ERR_stale,
			    "Сначала рассчитайте месяц: расчёт за %s (%s) %s, а выплата не может "
			    "превысить начисленное — пересчитайте месяц перед выплатой",
			    payrun_month_title(ctx, y, m), PQgetvalue(res, 0, 2), why);
		money_parse(PQgetvalue(res, 0, 1), MONEY_ALLOW_NEGATIVE, &advanced);
		if (payrun_advance(ctx, employee, date, &rule) < 0)
			return -1;
		if (advanced + amount <= rule) {
			if (none)
				return 0;
			goto stored; /* stale: and within what the last result left */
		}
		money_format_ru(rule, ls);
		money_format_ru(advanced, ps);
		money_format_ru(amount, as);
		return ctx_field_code(ctx, "amount", "advance",
		                      "Аванс за %s — не больше %s по настройке аванса (уже выплачено "
		                      "%s, указано %s): %s; больше можно выплатить после "
		                      "расчёта",
		                      payrun_month_title(ctx, y, m), ls, ps, as,
		                      none ? "месяц ещё не рассчитан" : "расчёт месяца устарел");
	}
stored:
	money_parse(PQgetvalue(res, 0, 3), MONEY_ALLOW_NEGATIVE, &accrued);
	money_parse(PQgetvalue(res, 0, 4), MONEY_ALLOW_NEGATIVE, &paid);
	left = accrued - paid;
	if (amount <= left)
		return 0;
	if (left <= 0)
		return ctx_field_code(ctx, "amount", "nothing", "За %s всё уже выплачено",
		                      payrun_month_title(ctx, y, m));
	money_format_ru(left, ls);
	money_format_ru(amount, as);
	return ctx_field_code(ctx, "amount", "over",
	                      "За %s осталось выплатить не больше %s (до НДФЛ), а указано %s",
	                      payrun_month_title(ctx, y, m), ls, as);
}

/* The НДФЛ withheld from the payment id just stored with a zero tax, by the
 * rule of ndfl.h ("НДФЛ by the income date") on the year of its date. */
static int payments_ndfl(struct ctx *ctx, int64_t employee, int64_t id, int date, int64_t *tax)
{
	int year = date_year(date);
	struct ndfl_pay_opts o = {
	    .year = year, .until = date_month_last(year, 12), .focus = DATE_NONE};
	struct ndfl_emp *e;
	int n;

	*tax = 0;
	if (ndfl_pay_load(ctx, arena_printf(ctx->arena, "{%lld}", (long long)employee), &o, &e,
	                  &n) < 0)
		return -1;
	for (int i = 0; i < e->nev; i++)
		if (e->ev[i].order == 0 && e->ev[i].id == id)
			e->ev[i].fixed = 0;
	ndfl_pay_run(e);
	for (int i = 0; i < e->nev; i++)
		if (e->ev[i].order == 0 && e->ev[i].id == id)
			*tax = e->ev[i].tax;
	return 0;
}

/* The default amount of a payment, or -1 after a field error. */
static int payments_default(struct ctx *ctx, int64_t employee, const char *kind, int date,
                            int *month_first, int64_t *amount)
{
	int y, m, d;
	int64_t accrued, paid;
	int found;

	/* the month named in the messages is the one the payment is for (a
	 * salary may settle an earlier month than its date's) */
	date_to_ymd(*month_first, &y, &m, &d);
	if (strcmp(kind, "advance") == 0)
		return payrun_advance(ctx, employee, date, amount);
	if (strcmp(kind, "vacation_pay") == 0) {
		PGresult *res = ctx_sql(
		    ctx,
		    "SELECT l.amount::text FROM payroll_lines l JOIN payroll_documents d ON "
		    "d.tenant_id "
		    "= l.tenant_id AND d.id = l.document_id JOIN deviations v ON v.tenant_id = "
		    "l.tenant_id AND v.employee_id = l.employee_id AND v.code IN (9, 10) AND "
		    "v.date_from "
		    "= l.date_from AND coalesce(v.paid, v.date_from - 3) = $4::date WHERE "
		    "l.tenant_id = "
		    "$1 AND l.employee_id = $2 AND d.month = $3::date AND l.kind = 'vacation_pay'",
		    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee),
		    worktime_date_iso(ctx, *month_first), worktime_date_iso(ctx, date));
		*amount = 0;
		if (res == NULL)
			return -1;
		for (int i = 0; i < PQntuples(res); i++) {
			int64_t v;
			money_parse(PQgetvalue(res, i, 0), 0, &v);
			*amount += v;
		}
		if (PQntuples(res) == 0)
			return ctx_field_code(
			    ctx, "amount", "not_calculated",
			    "Отпускные этого дня ещё не рассчитаны: рассчитайте зарплату "
			    "за %s (можно одного сотрудника), затем выплатите",
			    payrun_month_title(ctx, y, m));
		return 0;
	}
	found = payments_month_left(ctx, employee, *month_first, &accrued, &paid);
	if (found < 0)
		return -1;
	if (found == 0)
		return ctx_field_code(
		    ctx, "amount", "not_calculated",
		    "Зарплата за %s ещё не рассчитана: рассчитайте её, затем выплатите",
		    payrun_month_title(ctx, y, m));
	*amount = accrued - paid;
	if (*amount <= 0)
		return ctx_field_code(ctx, "amount", "nothing", "За %s всё уже выплачено",
		                      payrun_month_title(ctx, y, m));
	return 0;
}

/* POST /api/admin/payments {"employee_id", "date", "kind", "amount"?} */
static int payments_create(struct ctx *ctx)
{
	const char *ds = ctx_arg_str(ctx, "date", 32, 1), *kind = ctx_arg_str(ctx, "kind", 16, 1);
	json_object *av = jsonx_get(ctx->args, "amount");
	int64_t employee, amount = 0, tax, id;
	const char *mtext = jsonx_get_str(ctx->args, "month");
	int date = DATE_NONE, month_first, y, m, d, hired, dismissed, bad = 0, k, today;
	int page_y = 0, page_m = 0;
	char amt[MONEY_BUFSZ], tx[MONEY_BUFSZ];
	PGresult *res;

	if (ctx_arg_int(ctx, "employee_id", 1, INT64_MAX, CTX_REQUIRED, &employee) < 0)
		bad = -1;
	if (ds && date_parse_input(ds, &date) < 0)
		bad = ctx_field_code(ctx, "date", "date", "%s",
		                     date_input_why(ds, "Дата выплаты: ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"));
	for (k = 0; kind && payments_kinds[k] && strcmp(kind, payments_kinds[k]); k++)
		;
	if (kind && payments_kinds[k] == NULL)
		bad =
		    ctx_field_code(ctx, "kind", "invalid",
		                   "Вид выплаты: advance (аванс), vacation_pay (отпускные), final "
		                   "(окончательный расчёт), salary (зарплата)");
	if (av && !json_object_is_type(av, json_type_null) &&
	    !(json_object_is_type(av, json_type_string) && !*json_object_get_string(av)) &&
	    (!json_object_is_type(av, json_type_string) ||
	     money_parse_input(json_object_get_string(av), 0, &amount) < 0 || amount <= 0 ||
	     amount > MONEY_INPUT_MAX))
		bad = ctx_field_code(ctx, "amount", "money", "%s", PAYMENTS_PAYMENT_MSG);
	if (mtext && *mtext && worktime_arg_month(ctx, "month", &page_y, &page_m) < 0)
		bad = -1;
	if (bad < 0 || ds == NULL || kind == NULL)
		return -1;
	/* a payment is recorded when the money leaves: a date after today (the
	 * organization's zone) is a typo or a plan, and a planned payment would
	 * count as paid and withhold НДФЛ before the income exists */
	if ((today = org_today(ctx)) == DATE_NONE)
		return -1;
	if (date > today)
		return ctx_field_code(ctx, "date", "future",
		                      "Выплату записывают в день, когда деньги выплачены: дата "
		                      "%s ещё не наступила (сегодня %s)",
		                      worktime_date_ru(ctx, date), worktime_date_ru(ctx, today));
	if (worktime_employee_check(ctx, employee, 1) < 0 ||
	    worktime_employment(ctx, employee, &hired, &dismissed) < 0)
		return -1;
	date_to_ymd(date, &y, &m, &d);
	month_first = date_month_first(y, m);
	if (page_y) {
		/* the payslip page's month: the payment must be one of that month's
		 * (an advance, vacation pay or final settlement dated in it, a salary
		 * dated in it or after it), else it would land on another month */
		int page_first = date_month_first(page_y, page_m);
		int salary = strcmp(kind, "salary") == 0;

		if (salary ? date < page_first : month_first != page_first)
			return ctx_field_code(
			    ctx, "date", "month",
			    salary
			        ? "Зарплату за %s выплачивают не раньше %s, а дата выплаты %s"
			        : "Дата выплаты за %s — в этом месяце (с %s по %s), а указана %s",
			    payrun_month_title(ctx, page_y, page_m),
			    worktime_date_ru(ctx, page_first),
			    salary ? worktime_date_ru(ctx, date)
			           : worktime_date_ru(ctx, date_month_last(page_y, page_m)),
			    worktime_date_ru(ctx, date));
	}
	if (strcmp(kind, "final") == 0 && dismissed != date)
		return ctx_field_code(
		    ctx, "date", "final",
		    dismissed == DATE_NONE
		        ? "Окончательный расчёт выплачивают в день увольнения (ст. 140 "
		          "ТК РФ), а дата увольнения сотрудника не указана"
		        : "Окончательный расчёт выплачивают в день увольнения (ст. 140 "
		          "ТК РФ): %s",
		    dismissed == DATE_NONE ? "" : worktime_date_ru(ctx, dismissed));
	if (strcmp(kind, "vacation_pay") == 0) {
		/* the vacation paid that day; a later date breaks art. 136 */
		res = ctx_sql(
		    ctx,
		    "SELECT coalesce(paid, date_from - 3) = $3::date, date_from, "
		    "date_from - 3 FROM deviations WHERE tenant_id = $1 AND employee_id = $2 "
		    "AND code IN (9, 10) AND date_from > $3::date - 3 AND "
		    "coalesce(paid, date_from - 3) >= $3::date - 31 ORDER BY 1 DESC, "
		    "date_from LIMIT 1",
		    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee),
		    worktime_date_iso(ctx, date));
		if (res == NULL)
			return -1;
		if (PQntuples(res) == 0)
			return ctx_field_code(
			    ctx, "date", "no_vacation",
			    "Нет отпуска (ОТ, ОД) с выплатой %s: введите отпуск или "
			    "проверьте дату",
			    worktime_date_ru(ctx, date));
		if (strcmp(PQgetvalue(res, 0, 0), "t") != 0 && date > worktime_pg_date(res, 0, 2))
			return ctx_field_code(
			    ctx, "date", "late",
			    "Отпускные выплачивают не позже чем за 3 дня до отпуска (ст. "
			    "136 ТК РФ): отпуск с %s, выплата не позже %s",
			    worktime_date_ru(ctx, worktime_pg_date(res, 0, 1)),
			    worktime_date_ru(ctx, worktime_pg_date(res, 0, 2)));
	}
	if (strcmp(kind, "salary") == 0 && page_y)
		month_first = date_month_first(page_y, page_m);
	else if (strcmp(kind, "salary") == 0) {
		/* the latest calculated month up to the date with something to pay */
		res = ctx_sql(
		    ctx,
		    "SELECT pe.month FROM payroll_employees pe WHERE pe.tenant_id = $1 AND "
		    "pe.employee_id = $2 AND pe.month <= $3::date AND pe.accrued > "
		    "coalesce((SELECT sum(amount) FROM payroll_payments p WHERE p.tenant_id = "
		    "pe.tenant_id AND p.employee_id = pe.employee_id AND p.month = pe.month), 0) "
		    "ORDER BY pe.month DESC LIMIT 1",
		    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee),
		    worktime_date_iso(ctx, month_first));
		if (res == NULL)
			return -1;
		if (PQntuples(res))
			month_first = worktime_pg_date(res, 0, 0);
	}
	if ((hired != DATE_NONE && date < hired) ||
	    (dismissed != DATE_NONE && date > dismissed && strcmp(kind, "salary") != 0))
		return ctx_field_code(ctx, "date", "employment", "%s",
		                      worktime_outside_employment(ctx, date, hired, dismissed));
	/* a payment is no input of the calculation: a closed month's salary is
	 * paid after the month is closed */
	if (amount == 0 && payments_default(ctx, employee, kind, date, &month_first, &amount) < 0)
		return -1;
	if (amount <= 0 || amount > MONEY_MAX)
		return ctx_field_code(ctx, "amount", "nothing", "Нечего выплачивать");
	if (payments_check_left(ctx, employee, kind, date, month_first, amount) < 0)
		return -1;
	money_format(amount, amt);
	/* stored first: the month's unpaid rest it pays is then no income of
	 * its own, and the year's events are read as they will stand */
	res = ctx_sql(ctx,
	              "INSERT INTO payroll_payments (tenant_id, employee_id, date, month, kind, "
	              "amount, ndfl, created_by) VALUES ($1, $2, $3, $4, $5, $6, 0, $7) "
	              "RETURNING id",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee),
	              worktime_date_iso(ctx, date), worktime_date_iso(ctx, month_first), kind, amt,
	              ctx->user_id ? ctx_i64(ctx, ctx->user_id) : NULL);
	if (res == NULL)
		return -1;
	id = atoll(PQgetvalue(res, 0, 0));
	if (payments_ndfl(ctx, employee, id, date, &tax) < 0)
		return -1;
	money_format(tax, tx);
	res = ctx_sql(ctx,
	              "WITH x AS (UPDATE payroll_payments SET ndfl = $3 WHERE tenant_id = $1 AND "
	              "id = $2 RETURNING *) SELECT " PAYMENT_COLUMNS " FROM x p JOIN employees e "
	              "ON e.tenant_id = p.tenant_id AND e.id = p.employee_id",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id), tx);
	if (res == NULL || payrun_refresh_paid(ctx, employee, month_first) < 0 ||
	    audit_log(ctx, "payroll.payment_created", 1, "payment", PQgetvalue(res, 0, 0),
	              audit_detail("kind", kind)) < 0)
		return -1;
	ctx->status = 201;
	json_object_object_add(ctx_result(ctx), "payment", payments_json(ctx, res, 0));
	return 0;
}

/* GET /api/admin/payments?employee_id=&month= */
static int payments_list(struct ctx *ctx)
{
	const char *mtext = jsonx_get_str(ctx->args, "month"),
	           *etext = jsonx_get_str(ctx->args, "employee_id");
	json_object *items = json_object_new_array();
	int64_t employee = 0;
	int year, month;
	const char *first = NULL;
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "payments", items);
	if (!(etext && !*etext) && ctx_arg_int(ctx, "employee_id", 1, INT64_MAX, 0, &employee) < 0)
		return -1;
	if (mtext && *mtext) {
		if (worktime_arg_month(ctx, "month", &year, &month) < 0)
			return -1;
		first = worktime_date_iso(ctx, date_month_first(year, month));
	}
	res =
	    ctx_sql(ctx,
	            "SELECT " PAYMENT_COLUMNS " FROM payroll_payments p JOIN employees e ON "
	            "e.tenant_id = p.tenant_id AND e.id = p.employee_id WHERE p.tenant_id = $1 AND "
	            "($2::bigint IS NULL OR p.employee_id = $2) AND ($3::date IS NULL OR p.month = "
	            "$3::date) ORDER BY p.date DESC, p.id DESC LIMIT 5000",
	            ctx_i64(ctx, ctx->tenant_id), employee ? ctx_i64(ctx, employee) : NULL, first);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, payments_json(ctx, res, i));
	return 0;
}

/* DELETE /api/admin/payments/{id}: a payment entered by mistake (audited). */
static int payments_delete(struct ctx *ctx)
{
	int64_t id;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	res = ctx_sql(
	    ctx,
	    "DELETE FROM payroll_payments WHERE tenant_id = $1 AND id = $2 RETURNING month, "
	    "employee_id",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Выплата не найдена");
	if (payrun_refresh_paid(ctx, atoll(PQgetvalue(res, 0, 1)), worktime_pg_date(res, 0, 0)) <
	        0 ||
	    audit_log(ctx, "payroll.payment_deleted", 1, "payment", ctx_i64(ctx, id), NULL) < 0)
		return -1;
	jsonx_set_bool(ctx_result(ctx), "deleted", 1);
	return 0;
}

/* The admin page of an employee's payroll month (/admin/payroll/{month}/
 * employees/{employee_id}): the payslip when the month is calculated
 * (payslips.admin_get), and the month's inputs to add or delete — the
 * accruals and the payments (their own operations above). {"employee":
 * {"id", "full_name"}, "month", "month_title", "closed", "stale"?,
 * "stale_title"?, "payslip"?, "accruals", "payments"}; another tenant's
 * employee is 404. */
static int payments_employee_page(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx), *e, *slip;
	int64_t employee;
	int year, month;
	char m[DATE_MONTH_BUFSZ];
	PGresult *res;

	if (ctx_arg_int(ctx, "employee_id", 1, INT64_MAX, CTX_REQUIRED, &employee) < 0 ||
	    payrun_month_arg(ctx, &year, &month) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT e.full_name, pe.employee_id IS NOT NULL, coalesce(pe.stale, false), "
	              "pe.stale_reason, EXISTS (SELECT 1 FROM payroll_documents d WHERE "
	              "d.tenant_id = e.tenant_id AND d.month = $3::date AND d.status = 'closed') "
	              "FROM employees e LEFT JOIN payroll_employees pe ON pe.tenant_id = "
	              "e.tenant_id AND pe.employee_id = e.id AND pe.month = $3::date WHERE "
	              "e.tenant_id = $1 AND e.id = $2",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee),
	              worktime_date_iso(ctx, date_month_first(year, month)));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Нет такого сотрудника");
	date_format_month(year, month, m);
	jsonx_set_str(r, "month", m);
	jsonx_set_str(r, "month_title", payrun_month_title(ctx, year, month));
	e = json_object_new_object();
	jsonx_set_int(e, "id", employee);
	jsonx_set_str(e, "full_name", PQgetvalue(res, 0, 0));
	json_object_object_add(r, "employee", e);
	/* a closed month takes no accruals (the page says so instead of the
	 * form); a stale result is said above its totals */
	jsonx_set_bool(r, "closed", strcmp(PQgetvalue(res, 0, 4), "t") == 0);
	if (strcmp(PQgetvalue(res, 0, 2), "t") == 0) {
		jsonx_set_bool(r, "stale", 1);
		jsonx_set_str(
		    r, "stale_title",
		    payrun_stale_title(PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3)));
	}
	if (strcmp(PQgetvalue(res, 0, 1), "t") == 0) {
		json_object *args = json_object_new_object();
		jsonx_set_int(args, "employee_id", employee);
		jsonx_set_str(args, "month", m);
		if (ctx_call(ctx, "payslips.admin_get", args, &slip) < 0)
			return -1;
		json_object_object_add(r, "payslip", json_object_get(slip));
	}
	return accruals_list(ctx) < 0 || payments_list(ctx) < 0 ? -1 : 0;
}

static const char *const accruals_kinds[] = {"bonus", "material_aid", NULL};
static const struct op_arg payments_id_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
static const struct op_arg payments_list_args[] = {
    ARG_ROW_ID("employee_id", 0),
    ARG_ROW_MONTH("month", 0),
    ARG_END,
};
static const struct op_arg payments_page_args[] = {
    ARG_ROW_ID("employee_id", ARG_REQUIRED),
    ARG_ROW_MONTH("month", ARG_REQUIRED),
    ARG_END,
};
static const struct op_arg accruals_create_args[] = {
    ARG_ROW_ID("employee_id", ARG_REQUIRED),
    ARG_ROW_MONTH("month", ARG_REQUIRED),
    {"kind", ARG_ENUM, ARG_REQUIRED, .values = accruals_kinds, .example = "\"bonus\"",
     .hint = "Вид начисления: bonus (премия) или material_aid (материальная помощь)"},
    {"amount", ARG_MONEY, ARG_REQUIRED, .min = 1, .max = MONEY_INPUT_MAX,
     .example = "\"10000.00\"", .hint = PAYMENTS_AMOUNT_MSG},
    {"title", ARG_STR, 0, .max = 200},
    ARG_END,
};
static const struct op_arg accruals_batch_args[] = {
    {"items", ARG_ARRAY, 0, .min = 0, .max = EXCHANGE_MAX_ITEMS},
    ARG_END,
};
static const struct op_arg payments_create_args[] = {
    ARG_ROW_ID("employee_id", ARG_REQUIRED),
    ARG_ROW_DATE("date", ARG_REQUIRED),
    {"kind", ARG_ENUM, ARG_REQUIRED, .values = payments_kinds, .example = "\"advance\"",
     .hint = "Вид выплаты: advance (аванс), vacation_pay (отпускные), final (окончательный "
             "расчёт), salary (зарплата)"},
    {"amount", ARG_MONEY, 0, .min = 1, .max = MONEY_INPUT_MAX, .hint = PAYMENTS_PAYMENT_MSG},
    ARG_ROW_MONTH("month", 0),
    ARG_END,
};

const struct op payments_ops[] = {
    {"accruals.list", OP_ADMIN, accruals_list, 0, payments_list_args},
    {"accruals.create", OP_ADMIN, accruals_create, OP_WRITE, accruals_create_args},
    {"accruals.delete", OP_ADMIN, accruals_delete, OP_WRITE, payments_id_args},
    {"exchange.accruals", OP_EXCHANGE, accruals_exchange, 0, accruals_batch_args,
     .scope = "payroll", .budget_ms = OP_BUDGET_EXCHANGE},
    {"payments.list", OP_ADMIN, payments_list, 0, payments_list_args},
    {"payments.create", OP_ADMIN, payments_create, OP_WRITE, payments_create_args},
    {"payments.delete", OP_ADMIN, payments_delete, OP_WRITE, payments_id_args},
    {"payments.employee_page", OP_ADMIN, payments_employee_page, 0, payments_page_args},
    {NULL, 0, NULL, 0, NULL},
};
