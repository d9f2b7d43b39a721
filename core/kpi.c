/*
 * kpi.c - employees' KPIs (issue 12 item 7; seed 003, Парус «Личный
 * кабинет»: "доступ к индивидуальным плановым и фактическим показателям
 * эффективности деятельности"): plan and fact of an employee for a month,
 * a quarter or a year (table kpis, sql/0053_hr_tasks_kpi.sql).
 *
 * They come from the accounting system through the exchange (one more kind
 * of its batch upsert, exchange.h):
 *   PUT /api/exchange/v1/kpi {"items": [{"external_id", "employee" (the
 *       employee's external id), "period": "YYYY-MM" | "YYYY-Qn" | "YYYY",
 *       "name", "unit", "plan", "fact"}]} -> {"created", "updated", "unchanged"}
 * plan and fact: numbers with at most two decimals (a JSON number or a
 * string), null when not known yet; name, period and employee are needed
 * for a new KPI; errors name the item ("items[3].period"). Or an
 * administrator enters them, through the same upsert (exchange_admin_save):
 *   GET    /api/admin/kpi?employee_id=&year=&period=&limit=&offset= -> {"items", "total"}
 *   POST   /api/admin/kpi {"employee_id", "period", "name", "unit"?, "plan"?, "fact"?,
 *          "external_id"?} -> 201 {"id", "kpi"}   (without external_id: local-<id>)
 *   PUT    /api/admin/kpi/{id} {any of those} -> {"id", "kpi"}   ("" clears unit, plan, fact)
 *   DELETE /api/admin/kpi/{id}
 * (employee_id, or "employee": a full name or personnel number as typed in
 * the admin page's picker, worktime_arg_employee), and the admin page
 * /admin/kpi (cgi/templates/kpi.html: the list with a filter, the add form,
 * /admin/kpi/{id}/edit, delete), whose edit form reads kpi.form.
 * and the employee and their managers see them (declared in the rows):
 *   GET /api/kpi?year=&period=             the caller's own (WHO_SELF)
 *   GET /api/team/{id}/kpi?year=&period=   a manager's employee (WHO_MANAGER)
 *   -> {"items": [kpi], "years": [2026, 2025], "periods": [{"period",
 *   "title"}] (every period the employee has KPIs of, in the items' order:
 *   the pages' period select), "employee": {"id", "full_name"}}
 * kpi: {"id", "external_id", "employee": {"id", "full_name"}, "period",
 *   "period_title" ("март 2026 г.", "I квартал 2026 г.", "2026 г."), "name",
 *   "unit", "plan", "fact" ("1200000.50" or null), "plan_ru", "fact_ru"
 *   (by the unit: money "1 200 000,50", else as entered "95,5", "12";
 *   no-break spaces between the thousands; kpi_number_ru),
 *   "percent" (fact / plan, %, one decimal; null without both or with a
 *   zero plan), "percent_ru" ("95,5", "105"), "source": "exchange" | "admin"}.
 * Ordered newest period first, then months before quarters before years,
 * then by name.
 */
#include "audit.h"
#include "exchange.h"
#include "jsonx.h"
#include "money.h"
#include "ops.h"
#include "payrun.h"
#include "ru.h"
#include "worktime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define KPI_PAGE_MAX 1000

static const char *kpi_tenant(struct ctx *ctx)
{
	return ctx_i64(ctx, ctx->tenant_id);
}

/* "март 2026 г.", "I квартал 2026 г.", "2026 г." (the month as every
 * page names one: payrun_month_title) */
static const char *kpi_period_title(struct ctx *ctx, const char *p)
{
	static const char *const quarters[] = {"I", "II", "III", "IV"};

	if (strlen(p) == 7 && p[5] == 'Q' && p[6] >= '1' && p[6] <= '4')
		return arena_printf(ctx->arena, "%s квартал %.4s г.", quarters[p[6] - '1'], p);
	if (strlen(p) == 7 && ru_month_name(atoi(p + 5)))
		return payrun_month_title(ctx, atoi(p), atoi(p + 5));
	return arena_printf(ctx->arena, "%.4s г.", p);
}

/*
 * 1 when the unit is money (its value then shows with kopecks, "1 200 000,50"):
 * a ruble sign or word, with a scale ("тыс. руб.") or without. The same
 * rule as kpiMoneyUnit() in cgi/www/assets/lib.js.
 */
static int kpi_money_unit(const char *unit)
{
	static const char *const marks[] = {"₽", "руб", "Руб", "РУБ", "rub", "RUB", "Rub", NULL};

	if (unit == NULL)
		return 0;
	for (int i = 0; marks[i]; i++)
		if (strstr(unit, marks[i]))
			return 1;
	/* "р." alone, or after a scale ("тыс. р.") */
	return strcmp(unit, "р.") == 0 || strcmp(unit, "р") == 0 ||
	       (strlen(unit) > 4 && strcmp(unit + strlen(unit) - 4, " р.") == 0);
}

/* A KPI value for people, by its unit (the guide's rule, "Показатели"):
 * money with two decimals ("1 200 000,50"), anything else (percents,
 * pieces, points) as entered, without trailing zeros ("95,5", "12");
 * no-break spaces between the thousands. */
static const char *kpi_number_ru(struct ctx *ctx, const char *text, const char *unit)
{
	char buf[MONEY_RU_BUFSZ], *end;
	int64_t k;
	size_t n;

	if (money_parse(text, MONEY_ALLOW_NEGATIVE, &k) < 0)
		return text;
	money_format_ru(k, buf);
	if ((end = strstr(buf, MONEY_NBSP "₽")) != NULL)
		*end = '\0';
	if (kpi_money_unit(unit))
		return arena_strdup(ctx->arena, buf);
	n = strlen(buf);
	if (n > 3 && strcmp(buf + n - 3, ",00") == 0)
		buf[n - 3] = '\0';
	else if (n > 1 && buf[n - 1] == '0')
		buf[n - 1] = '\0';
	return arena_strdup(ctx->arena, buf);
}

/* fact / plan in percent with one decimal, as a JSON number; NULL when it
 * has no meaning. */
static json_object *kpi_percent(const char *plan, const char *fact)
{
	int64_t p, f, tenths;
	char text[32];

	if (plan == NULL || fact == NULL || money_parse(plan, MONEY_ALLOW_NEGATIVE, &p) < 0 ||
	    money_parse(fact, MONEY_ALLOW_NEGATIVE, &f) < 0 || p == 0 ||
	    money_muldiv(f, 1000, p, &tenths) < 0)
		return NULL;
	snprintf(text, sizeof(text), "%s%lld.%lld", tenths < 0 ? "-" : "",
	         (long long)(llabs(tenths) / 10), (long long)(llabs(tenths) % 10));
	/* the text as written: a double of 0.1 would print 0.10000000000000001 */
	return json_object_new_double_s((double)tenths / 10.0, text);
}

#define KPI_COLUMNS                                                                                \
	"k.id, k.external_id, k.employee_id, e.full_name, k.period, k.name, k.unit, "              \
	"k.plan::text, k.fact::text FROM kpis k JOIN employees e ON e.tenant_id = k.tenant_id "    \
	"AND e.id = k.employee_id "
#define KPI_ORDER " ORDER BY k.period_start DESC, k.period_months, k.name, k.id"

static json_object *kpi_json(struct ctx *ctx, PGresult *res, int i)
{
	json_object *o = json_object_new_object(), *who = json_object_new_object(), *pct;
	const char *plan = PQgetisnull(res, i, 7) ? NULL : PQgetvalue(res, i, 7);
	const char *fact = PQgetisnull(res, i, 8) ? NULL : PQgetvalue(res, i, 8);

	jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
	jsonx_set_str(o, "external_id", PQgetvalue(res, i, 1));
	jsonx_set_int(who, "id", atoll(PQgetvalue(res, i, 2)));
	jsonx_set_str(who, "full_name", PQgetvalue(res, i, 3));
	json_object_object_add(o, "employee", who);
	jsonx_set_str(o, "period", PQgetvalue(res, i, 4));
	jsonx_set_str(o, "period_title", kpi_period_title(ctx, PQgetvalue(res, i, 4)));
	jsonx_set_str(o, "name", PQgetvalue(res, i, 5));
	jsonx_set_str(o, "unit", PQgetisnull(res, i, 6) ? NULL : PQgetvalue(res, i, 6));
	jsonx_set_str(o, "plan", plan);
	jsonx_set_str(o, "fact", fact);
	const char *unit = PQgetisnull(res, i, 6) ? NULL : PQgetvalue(res, i, 6);
	jsonx_set_str(o, "plan_ru", plan ? kpi_number_ru(ctx, plan, unit) : NULL);
	jsonx_set_str(o, "fact_ru", fact ? kpi_number_ru(ctx, fact, unit) : NULL);
	pct = kpi_percent(plan, fact);
	if (pct) {
		char *t = arena_strdup(ctx->arena, json_object_to_json_string(pct)), *dot;
		if ((dot = strchr(t, '.')) != NULL)
			*dot = strcmp(dot, ".0") == 0 ? '\0' : ','; /* "105", "102,6" */
		jsonx_set_str(o, "percent_ru", t);
	} else {
		jsonx_set_str(o, "percent_ru", NULL);
	}
	json_object_object_add(o, "percent", pct);
	jsonx_set_str(o, "source",
	              strncmp(PQgetvalue(res, i, 1), "local-", 6) == 0 ? "admin" : "exchange");
	return o;
}

/* The KPIs of one employee (args year, period) with the years and the
 * periods they have. */
static int kpi_of(struct ctx *ctx, int64_t employee)
{
	json_object *items = json_object_new_array(), *years = json_object_new_array(), *who;
	json_object *periods = json_object_new_array();
	int64_t year;
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "items", items);
	json_object_object_add(ctx_result(ctx), "years", years);
	json_object_object_add(ctx_result(ctx), "periods", periods);
	if (ctx_arg_int(ctx, "year", 2000, 2100, 0, &year) < 0)
		return -1;
	res =
	    ctx_sql(ctx,
	            "SELECT " KPI_COLUMNS "WHERE k.tenant_id = $1 AND k.employee_id = $2 AND "
	            "(nullif($3, '0') IS NULL OR extract(year FROM k.period_start) = $3::int) AND "
	            "($4::text IS NULL OR k.period = $4)" KPI_ORDER " LIMIT $5",
	            kpi_tenant(ctx), ctx_i64(ctx, employee), ctx_i64(ctx, year),
	            jsonx_get_str(ctx->args, "period"), ctx_i64(ctx, KPI_PAGE_MAX));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, kpi_json(ctx, res, i));
	res = ctx_sql(ctx,
	              "SELECT DISTINCT extract(year FROM period_start)::int AS y FROM kpis WHERE "
	              "tenant_id = $1 AND employee_id = $2 ORDER BY y DESC",
	              kpi_tenant(ctx), ctx_i64(ctx, employee));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(years, json_object_new_int(atoi(PQgetvalue(res, i, 0))));
	res = ctx_sql(ctx,
	              "SELECT period FROM kpis WHERE tenant_id = $1 AND employee_id = $2 GROUP BY "
	              "period, period_start, period_months ORDER BY period_start DESC, "
	              "period_months",
	              kpi_tenant(ctx), ctx_i64(ctx, employee));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_str(o, "period", PQgetvalue(res, i, 0));
		jsonx_set_str(o, "title", kpi_period_title(ctx, PQgetvalue(res, i, 0)));
		json_object_array_add(periods, o);
	}
	res = ctx_sql(ctx, "SELECT full_name FROM employees WHERE tenant_id = $1 AND id = $2",
	              kpi_tenant(ctx), ctx_i64(ctx, employee));
	if (res == NULL)
		return -1;
	who = json_object_new_object();
	jsonx_set_int(who, "id", employee);
	jsonx_set_str(who, "full_name", PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
	json_object_object_add(ctx_result(ctx), "employee", who);
	return 0;
}

/* GET /api/kpi */
static int kpi_mine(struct ctx *ctx)
{
	return kpi_of(ctx, ctx->employee_id);
}

/* GET /api/team/{id}/kpi */
static int kpi_team(struct ctx *ctx)
{
	return kpi_of(ctx, ctx->object_id);
}

/* GET /api/admin/kpi?employee_id=&year=&period=&limit=&offset= */
static int kpi_admin_list(struct ctx *ctx)
{
	json_object *items = json_object_new_array();
	int64_t employee, year, limit, offset;
	const char *period = jsonx_get_str(ctx->args, "period");
	PGresult *res, *total;

	json_object_object_add(ctx_result(ctx), "items", items);
	if (worktime_arg_employee(ctx, "employee_id", "employee", 0, &employee) < 0 ||
	    ctx_arg_int(ctx, "year", 2000, 2100, 0, &year) < 0 ||
	    ctx_arg_int(ctx, "limit", 1, KPI_PAGE_MAX, 200, &limit) < 0 ||
	    ctx_arg_int(ctx, "offset", 0, INT32_MAX, 0, &offset) < 0)
		return -1;
#define KPI_ADMIN_WHERE                                                                            \
	"WHERE k.tenant_id = $1 AND (nullif($2, '0') IS NULL OR k.employee_id = $2::bigint) AND "  \
	"(nullif($3, '0') IS NULL OR extract(year FROM k.period_start) = $3::int) AND ($4::text "  \
	"IS NULL OR k.period = $4)"
	res = ctx_sql(ctx, "SELECT " KPI_COLUMNS KPI_ADMIN_WHERE KPI_ORDER " LIMIT $5 OFFSET $6",
	              kpi_tenant(ctx), ctx_i64(ctx, employee), ctx_i64(ctx, year), period,
	              ctx_i64(ctx, limit), ctx_i64(ctx, offset));
	total = res ? ctx_sql(ctx, "SELECT count(*) FROM kpis k " KPI_ADMIN_WHERE, kpi_tenant(ctx),
	                      ctx_i64(ctx, employee), ctx_i64(ctx, year), period)
	            : NULL;
	if (total == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, kpi_json(ctx, res, i));
	jsonx_set_int(ctx_result(ctx), "total", atoll(PQgetvalue(total, 0, 0)));
	return 0;
}

/* The KPI as the answer's "kpi", and its id. */
static int kpi_answer(struct ctx *ctx, int64_t id)
{
	PGresult *res = ctx_sql(ctx, "SELECT " KPI_COLUMNS "WHERE k.tenant_id = $1 AND k.id = $2",
	                        kpi_tenant(ctx), ctx_i64(ctx, id));

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Показатель не найден");
	jsonx_set_int(ctx_result(ctx), "id", id);
	json_object_object_add(ctx_result(ctx), "kpi", kpi_json(ctx, res, 0));
	return 0;
}

/* GET /admin/kpi/{id}/edit: the KPI ("kpi") and the values of its form
 * ("values": the numbers as people type them, "1200000,5") */
static int kpi_form(struct ctx *ctx)
{
	json_object *k, *who, *v;
	static const char *const keys[] = {"period", "name", "unit", "plan", "fact"};
	int64_t id;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0 || kpi_answer(ctx, id) < 0)
		return -1;
	v = json_object_new_object();
	k = jsonx_get(ctx_result(ctx), "kpi");
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		const char *x = jsonx_get_str(k, keys[i]);
		char *t = x ? arena_strdup(ctx->arena, x) : NULL, *dot;
		if (t && i >= 3) {
			if ((dot = strchr(t, '.')) != NULL) {
				*dot = ',';
				if (strcmp(dot, ",00") == 0)
					*dot = '\0';
				else if (t[strlen(t) - 1] == '0')
					t[strlen(t) - 1] = '\0';
			}
		}
		jsonx_set_str(v, keys[i], t);
	}
	who = jsonx_get(k, "employee");
	jsonx_set_str(v, "employee", jsonx_get_str(who, "full_name"));
	json_object_object_add(ctx_result(ctx), "values", v);
	return 0;
}

/* The form's arguments as a KPI item of the exchange (ext: the stored
 * KPI's external id when it is updated): employee_id becomes the
 * employee's external id; "" clears unit, plan and fact. */
static json_object *kpi_item(struct ctx *ctx, const char *ext)
{
	static const char *const keys[] = {"period", "name", "unit", "plan", "fact", NULL};
	json_object *item = arena_own(ctx->arena, json_object_new_object()), *v;
	int64_t employee;

	/* by id, or as the admin page's picker types it (a full name, a
	 * personnel number: worktime_arg_employee); a new KPI needs one */
	if (worktime_arg_employee(ctx, "employee_id", "employee", ext == NULL, &employee) < 0)
		return NULL;
	if (employee) {
		PGresult *res = ctx_sql(
		    ctx, "SELECT external_id FROM employees WHERE tenant_id = $1 AND id = $2",
		    kpi_tenant(ctx), ctx_i64(ctx, employee));
		if (res == NULL)
			return NULL;
		if (PQntuples(res) == 0) {
			ctx_field_code(ctx, "employee_id", "not_found", "Сотрудник не найден");
			return NULL;
		}
		jsonx_set_str(item, "employee", PQgetvalue(res, 0, 0));
	}
	for (int i = 0; keys[i]; i++) {
		if ((v = jsonx_get(ctx->args, keys[i])) == NULL)
			continue;
		if (json_object_is_type(v, json_type_string) && json_object_get_string_len(v) == 0)
			json_object_object_add(item, keys[i], NULL);
		else
			json_object_object_add(item, keys[i], json_object_get(v));
	}
	if (ext)
		jsonx_set_str(item, "external_id", ext);
	else if ((v = jsonx_get(ctx->args, "external_id")) != NULL &&
	         json_object_get_string_len(v) > 0)
		json_object_object_add(item, "external_id", json_object_get(v));
	return item;
}

static int kpi_save(struct ctx *ctx, const char *ext)
{
	struct exchange_counts c;
	json_object *item;
	int64_t id;

	/* a declared argument that failed is named already and left out of
	 * the item; the item's own checks name the rest, nothing is written */
	if ((item = kpi_item(ctx, ext)) == NULL ||
	    exchange_admin_save(ctx, EXCHANGE_KPI, item, &c, &id) < 0)
		return -1;
	if ((c.created || c.updated) && audit_log(ctx, c.created ? "kpi.created" : "kpi.updated", 1,
	                                          "kpi", ctx_i64(ctx, id), NULL) < 0)
		return -1;
	return kpi_answer(ctx, id);
}

/* POST /api/admin/kpi */
static int kpi_create(struct ctx *ctx)
{
	if (kpi_save(ctx, NULL) < 0)
		return -1;
	ctx->status = 201;
	return 0;
}

/* PUT /api/admin/kpi/{id} */
static int kpi_update(struct ctx *ctx)
{
	int64_t id;
	json_object *ext = jsonx_get(ctx->args, "external_id");
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	res = ctx_sql(ctx, "SELECT external_id FROM kpis WHERE tenant_id = $1 AND id = $2",
	              kpi_tenant(ctx), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Показатель не найден");
	if (ext && strcmp(json_object_get_string(ext), PQgetvalue(res, 0, 0)) != 0)
		return ctx_field(ctx, "external_id", "Внешний код показателя не меняется");
	return kpi_save(ctx, PQgetvalue(res, 0, 0));
}

/* DELETE /api/admin/kpi/{id} */
static int kpi_delete(struct ctx *ctx)
{
	int64_t id;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	res = ctx_sql(ctx, "DELETE FROM kpis WHERE tenant_id = $1 AND id = $2 RETURNING id",
	              kpi_tenant(ctx), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Показатель не найден");
	if (audit_log(ctx, "kpi.deleted", 1, "kpi", ctx_i64(ctx, id), NULL) < 0)
		return -1;
	jsonx_set_int(ctx_result(ctx), "deleted", id);
	return 0;
}

/* ---- declarations ---- */

#define KPI_NUMBER_HINT "Число, не больше двух знаков после запятой: 95, 95,5 или 1 200 000"
#define KPI_FILTER_ARGS                                                                            \
	{"year", ARG_INT, 0, .min = 2000, .max = 2100},                                            \
	{                                                                                          \
		"period", ARG_STR, 0, .max = 7                                                     \
	}
/* the item's own checks (exchange_items.c) name a bad period, name, ... */
#define KPI_FORM_ARGS                                                                              \
	{"unit", ARG_STR, 0, .max = 50},                                                           \
	    {"plan", ARG_MONEY, ARG_EMPTY, .min = -MONEY_MAX, .hint = KPI_NUMBER_HINT},            \
	{                                                                                          \
		"fact", ARG_MONEY, ARG_EMPTY, .min = -MONEY_MAX, .hint = KPI_NUMBER_HINT           \
	}

static const struct op_arg kpi_of_args[] = {KPI_FILTER_ARGS, ARG_END};
static const struct op_arg kpi_team_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), KPI_FILTER_ARGS,
                                              ARG_END};
/* an employee by id, or by full name or personnel number (the picker's text) */
#define KPI_EMPLOYEE_ARGS                                                                          \
	{"employee_id", ARG_INT, 0, .min = 1, .max = INT64_MAX},                                   \
	{                                                                                          \
		"employee", ARG_STR, 0, .max = 400                                                 \
	}
static const struct op_arg kpi_admin_list_args[] = {
    KPI_EMPLOYEE_ARGS,
    KPI_FILTER_ARGS,
    {"limit", ARG_INT, 0, .min = 1, .max = KPI_PAGE_MAX},
    {"offset", ARG_INT, 0, .min = 0, .max = INT32_MAX},
    ARG_END,
};
static const struct op_arg kpi_create_args[] = {
    KPI_EMPLOYEE_ARGS,
    {"period", ARG_STR, ARG_REQUIRED, .max = 20, .example = "\"2026-03\""},
    {"name", ARG_STR, ARG_REQUIRED, .max = 300, .example = "\"Выполнение плана продаж\""},
    {"external_id", ARG_STR, 0, .max = 100},
    KPI_FORM_ARGS,
    ARG_END,
};
static const struct op_arg kpi_update_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    KPI_EMPLOYEE_ARGS,
    {"period", ARG_STR, 0, .max = 20},
    {"name", ARG_STR, 0, .max = 300},
    {"external_id", ARG_STR, 0, .max = 100},
    KPI_FORM_ARGS,
    ARG_END,
};
static const struct op_arg kpi_id_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};

const struct op kpi_ops[] = {
    {"kpi.mine", OP_EMPLOYEE, kpi_mine, 0, kpi_of_args, WHO(WHO_SELF)},
    {"kpi.team", OP_EMPLOYEE, kpi_team, 0, kpi_team_args, WHO_ON(WHO_MANAGER, OBJ_EMPLOYEE, "id")},
    {"kpi.admin_list", OP_ADMIN, kpi_admin_list, 0, kpi_admin_list_args},
    {"kpi.form", OP_ADMIN, kpi_form, 0, kpi_id_args},
    {"kpi.create", OP_ADMIN, kpi_create, OP_WRITE | OP_IDEMPOTENT, kpi_create_args},
    {"kpi.update", OP_ADMIN, kpi_update, OP_WRITE, kpi_update_args},
    {"kpi.delete", OP_ADMIN, kpi_delete, OP_WRITE, kpi_id_args},
    {NULL, 0, NULL, 0, NULL},
};
