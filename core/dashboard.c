/*
 * dashboard.c - the administrator's home page: what to do next.
 *
 * dashboard.get answers, for the previous and the current month of the
 * organization's calendar (org.h), the state of the timesheets (employees
 * employed in the month, drafts, posted) and of the payroll document, and a
 * list of "todo" items, each {"title", "detail", "href", "level": "warn" |
 * "info"}: employees without pay terms, a schedule or a hire date (with
 * "people": the first of them by name, each linked to the page that fixes
 * it, and "more"), employees hired before the first calculated month
 * without opening balances, employees without an insurance record,
 * organizations without ИНН or КПП (each linked to its form), cabinets
 * not activated, messages not delivered. Later areas (requests, documents
 * to sign) add their unanswered items to that list here.
 */
#include "buf.h"
#include "date.h"
#include "jsonx.h"
#include "ops.h"
#include "org.h"
#include "payrun.h"
#include "ru.h"
#include "worktime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_object *dashboard_todo(struct ctx *ctx, json_object *list, long long n,
                                   const char *title, const char *detail, const char *href,
                                   const char *level)
{
	json_object *o;

	if (n <= 0)
		return NULL;
	o = json_object_new_object();
	jsonx_set_str(o, "title", title);
	jsonx_set_str(o, "detail", detail);
	jsonx_set_int(o, "count", n);
	jsonx_set_str(o, "href", href);
	jsonx_set_str(o, "level", level);
	(void)ctx;
	json_object_array_add(list, o);
	return o;
}

#define DASHBOARD_PEOPLE 10 /* names listed under a todo item */

/* Adds to a todo item (when there is one) "people": the first employees the
 * query finds ({"full_name", "href"}: /admin/employees/ID/page, the page
 * that fixes it) and "more": how many are not listed. The query's
 * parameters: $1 the tenant, $2 today, $3 how many. */
static int dashboard_people(struct ctx *ctx, json_object *todo, long long n, const char *sql,
                            const char *page, const char *today)
{
	json_object *people;
	PGresult *res;

	if (todo == NULL)
		return 0;
	res =
	    ctx_sql(ctx, sql, ctx_i64(ctx, ctx->tenant_id), today, ctx_i64(ctx, DASHBOARD_PEOPLE));
	if (res == NULL)
		return -1;
	people = json_object_new_array();
	json_object_object_add(todo, "people", people);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		char href[96];
		snprintf(href, sizeof(href), "/admin/employees/%lld/%s",
		         atoll(PQgetvalue(res, i, 0)), page);
		jsonx_set_str(o, "full_name", PQgetvalue(res, i, 1));
		jsonx_set_str(o, "href", href);
		json_object_array_add(people, o);
	}
	if (n > PQntuples(res))
		jsonx_set_int(todo, "more", n - PQntuples(res));
	return 0;
}

/* The employees employed today ($2). */
#define DASHBOARD_EMPLOYED                                                                         \
	"FROM employees e WHERE e.tenant_id = $1 AND (e.hired IS NULL OR e.hired <= $2::date) "    \
	"AND (e.dismissed IS NULL OR e.dismissed >= $2::date) "

/*
 * The todo items about employees, in the order shown: which employees
 * (employed today, $1 the tenant, $2 today: a FROM employees e WHERE ...
 * fragment), the title by ru_plural, the detail, and the page of an
 * employee that fixes it (/admin/employees/ID/page). Each is counted in one
 * query with the others; its first DASHBOARD_PEOPLE are listed by name.
 */
static const struct dashboard_check {
	const char *employees;
	const char *one, *few, *many;
	const char *detail;
	const char *page;
} dashboard_checks[] = {
    {DASHBOARD_EMPLOYED "AND NOT EXISTS (SELECT 1 FROM schedule_assignments a WHERE "
                        "a.tenant_id = e.tenant_id AND a.employee_id = e.id AND a.date_from <= "
                        "$2::date)",
     "сотрудник без графика работы", "сотрудника без графика работы",
     "сотрудников без графика работы",
     "Без графика табель не заполняется по плану и не попадает в расчёт зарплаты. "
     "Назначьте график на странице сотрудника:",
     "schedules"},
    {DASHBOARD_EMPLOYED "AND NOT EXISTS (SELECT 1 FROM employee_pay p WHERE p.tenant_id = "
                        "e.tenant_id AND p.employee_id = e.id AND p.date_from <= $2::date)",
     "сотрудник без условий оплаты", "сотрудника без условий оплаты",
     "сотрудников без условий оплаты",
     "Без оклада сотрудник не попадёт в расчёт зарплаты. Укажите условия оплаты:", "pay"},
    /* hired before the first month the organization calculated, with no
     * opening balances: the averages (vacation, sick pay) compute the
     * months before from their time (payrun.c payrun_average_months), which
     * knows no earlier bonuses, vacation or sick pay, and nothing where the
     * pay terms or schedule start later (then the rate / 29,3, the MROT) */
    {DASHBOARD_EMPLOYED "AND " PAYRUN_NO_OPENBAL_SQL("NULL"), "сотрудник без входящих остатков",
     "сотрудника без входящих остатков", "сотрудников без входящих остатков",
     "Приняты раньше первого рассчитанного месяца, а начислений до него сервис не знает: "
     "для отпускных и больничных заработок тех месяцев посчитается по окладу и графику — "
     "без прежних премий, отпускных и больничных, а где оклад или график тогда не заданы, "
     "отпускные посчитаются от оклада, больничные — от МРОТ. Внесите входящие остатки:",
     "opening-balance"},
    /* no hire date: the vacation balance and the service here are not
     * counted (the employee's own cabinet says so: the connecting
     * administrator's card starts without one) */
    {DASHBOARD_EMPLOYED "AND e.hired IS NULL", "сотрудник без даты приёма",
     "сотрудника без даты приёма", "сотрудников без даты приёма",
     "Без даты приёма не рассчитываются остаток отпуска и стаж в организации. Укажите дату "
     "приёма в карточке:",
     "edit"},
    /* no insurance record: sick pay takes the service with this employer
     * since the hire (payrun.c), without earlier employers */
    {DASHBOARD_EMPLOYED "AND e.insurance_years IS NULL", "сотрудник без страхового стажа",
     "сотрудника без страхового стажа", "сотрудников без страхового стажа",
     "Больничные посчитаются по стажу в организации с даты приёма, без прежних мест "
     "работы. Укажите страховой стаж в карточке:",
     "edit"},
};

#define DASHBOARD_NCHECKS ((int)(sizeof(dashboard_checks) / sizeof(dashboard_checks[0])))

/* The todo items of dashboard_checks (counted in one query), then
 * *inactive (cabinets not activated) and *failed (messages not delivered)
 * from the same query. 0, or -1 after a database error. */
static int dashboard_employee_checks(struct ctx *ctx, json_object *todo, const char *today,
                                     long long *inactive, long long *failed)
{
	struct buf sql = BUF_INIT;
	const char *q;
	PGresult *res;

	buf_puts(&sql, "SELECT ");
	for (int i = 0; i < DASHBOARD_NCHECKS; i++)
		buf_printf(&sql, "(SELECT count(*) %s), ", dashboard_checks[i].employees);
	buf_puts(&sql, "(SELECT count(*) FROM users u WHERE u.tenant_id = $1 AND u.status = "
	               "'created'), (SELECT count(*) FROM outbox o WHERE o.tenant_id = $1 AND "
	               "o.status = 'failed')");
	q = arena_strndup(ctx->arena, sql.data, sql.len);
	buf_free(&sql);
	res = ctx_sql(ctx, q, ctx_i64(ctx, ctx->tenant_id), today);
	if (res == NULL)
		return -1;
	for (int i = 0; i < DASHBOARD_NCHECKS; i++) {
		const struct dashboard_check *c = &dashboard_checks[i];
		long long n = atoll(PQgetvalue(res, 0, i));
		json_object *item =
		    dashboard_todo(ctx, todo, n, ru_plural(n, c->one, c->few, c->many), c->detail,
		                   "/admin/employees", "warn");

		if (item != NULL &&
		    dashboard_people(ctx, item, n,
		                     arena_printf(ctx->arena,
		                                  "SELECT e.id, e.full_name %s ORDER BY "
		                                  "e.search_name, e.full_name, e.id LIMIT $3",
		                                  c->employees),
		                     c->page, today) < 0)
			return -1;
	}
	*inactive = atoll(PQgetvalue(res, 0, DASHBOARD_NCHECKS));
	*failed = atoll(PQgetvalue(res, 0, DASHBOARD_NCHECKS + 1));
	return 0;
}

/* The organizations without ИНН or КПП (certificates print «—»), each
 * linked to its form. A tenant with employees and no organization row yet
 * has one all the same - the one connected, by its name: the item names it
 * and links to its form (filled with that name), whose saving puts the
 * departments and employees without an organization in it (exchange.c). */
static int dashboard_org_details(struct ctx *ctx, json_object *todo)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT o.id, o.name FROM organizations o WHERE o.tenant_id = $1 AND (coalesce(o.inn, "
	    "'') = '' OR coalesce(o.kpp, '') = '') UNION ALL SELECT 0, t.name FROM tenants t WHERE "
	    "t.id = $1 AND NOT EXISTS (SELECT 1 FROM organizations WHERE tenant_id = $1) AND "
	    "EXISTS (SELECT 1 FROM employees WHERE tenant_id = $1) ORDER BY 2, 1",
	    ctx_i64(ctx, ctx->tenant_id));
	json_object *item, *people;
	int n;

	if (res == NULL)
		return -1;
	n = PQntuples(res);
	item = dashboard_todo(
	    ctx, todo, n,
	    ru_plural(n, "организация без ИНН или КПП", "организации без ИНН или КПП",
	              "организаций без ИНН или КПП"),
	    "В справках о доходах и с места работы вместо реквизитов будет «—». Заполните их:",
	    "/admin/organizations", "warn");
	if (item == NULL)
		return 0;
	people = json_object_new_array();
	json_object_object_add(item, "people", people);
	for (int i = 0; i < n; i++) {
		json_object *o = json_object_new_object();
		jsonx_set_str(o, "full_name", PQgetvalue(res, i, 1));
		jsonx_set_str(o, "href",
		              atoll(PQgetvalue(res, i, 0)) == 0
		                  ? "/admin/organizations/new"
		                  : arena_printf(ctx->arena, "/admin/organizations/%s/edit",
		                                 PQgetvalue(res, i, 0)));
		json_object_array_add(people, o);
	}
	return 0;
}

/* The timesheets of a month in words, after "Табель:" on the home page:
 * "проведено 1 из 3, 1 черновик, 1 не заполнен." (ru_plural; parts that are
 * 0 left out). */
static const char *dashboard_timesheets_ru(struct ctx *ctx, long long all, long long draft,
                                           long long posted)
{
	long long none = all - draft - posted;
	const char *s;

	if (all == 0)
		return "сотрудников в этом месяце нет.";
	s = arena_printf(ctx->arena, "проведено %lld из %lld", posted, all);
	if (draft)
		s = arena_printf(ctx->arena, "%s, %lld %s", s, draft,
		                 ru_plural(draft, "черновик", "черновика", "черновиков"));
	if (none)
		s = arena_printf(ctx->arena, "%s, %lld %s", s, none,
		                 ru_plural(none, "не заполнен", "не заполнены", "не заполнено"));
	return arena_printf(ctx->arena, "%s.", s);
}

/* {"month", "month_title", "employees", "timesheets": {none, draft, posted,
 * text_ru}, "payroll": {status, status_title, net_ru} or null} of one month */
static json_object *dashboard_month(struct ctx *ctx, int first)
{
	json_object *o = json_object_new_object(), *ts = json_object_new_object();
	char m[DATE_MONTH_BUFSZ];
	int y, mo, d;
	PGresult *res;

	date_to_ymd(first, &y, &mo, &d);
	date_format_month(y, mo, m);
	jsonx_set_str(o, "month", m);
	jsonx_set_str(o, "month_title", payrun_month_title(ctx, y, mo));
	json_object_object_add(o, "timesheets", ts);
	res =
	    ctx_sql(ctx,
	            "SELECT count(*), count(t.id) FILTER (WHERE t.status = 'draft'), "
	            "count(t.id) FILTER (WHERE t.status = 'posted') FROM employees e "
	            "LEFT JOIN timesheets t ON t.tenant_id = e.tenant_id AND t.employee_id = e.id "
	            "AND t.month = $2::date WHERE e.tenant_id = $1 AND (e.hired IS NULL OR "
	            "e.hired <= $3::date) AND (e.dismissed IS NULL OR e.dismissed >= $2::date)",
	            ctx_i64(ctx, ctx->tenant_id), worktime_date_iso(ctx, first),
	            worktime_date_iso(ctx, date_month_last(y, mo)));
	if (res == NULL)
		return NULL;
	long long all = atoll(PQgetvalue(res, 0, 0)), draft = atoll(PQgetvalue(res, 0, 1)),
	          posted = atoll(PQgetvalue(res, 0, 2));
	jsonx_set_int(o, "employees", all);
	jsonx_set_int(ts, "none", all - draft - posted);
	jsonx_set_int(ts, "draft", draft);
	jsonx_set_int(ts, "posted", posted);
	jsonx_set_bool(ts, "all_posted", all > 0 && posted == all);
	jsonx_set_str(ts, "text_ru", dashboard_timesheets_ru(ctx, all, draft, posted));
	res = ctx_sql(ctx,
	              "SELECT status, net::text FROM payroll_documents WHERE tenant_id = $1 AND "
	              "month = $2::date",
	              ctx_i64(ctx, ctx->tenant_id), worktime_date_iso(ctx, first));
	if (res == NULL)
		return NULL;
	if (PQntuples(res)) {
		json_object *p = json_object_new_object();
		int closed = strcmp(PQgetvalue(res, 0, 0), "closed") == 0;
		jsonx_set_str(p, "status", PQgetvalue(res, 0, 0));
		jsonx_set_str(p, "status_title", closed ? "закрыт" : "черновик");
		jsonx_set_bool(p, "closed", closed);
		const char *ru;
		jsonx_set_str(p, "net", payrun_money(ctx, PQgetvalue(res, 0, 1), &ru));
		jsonx_set_str(p, "net_ru", ru);
		json_object_object_add(o, "payroll", p);
	} else {
		json_object_object_add(o, "payroll", NULL);
	}
	return o;
}

/* A freshly connected organization (no employee but the connecting
 * administrator's own card): "first_steps": true, the page says what to
 * do first (load the staff, publish, create cabinets). */
static int dashboard_first_steps(struct ctx *ctx, json_object *r)
{
	PGresult *res = ctx_sql(ctx, "SELECT count(*) <= 1 FROM employees WHERE tenant_id = $1",
	                        ctx_i64(ctx, ctx->tenant_id));

	if (res == NULL)
		return -1;
	jsonx_set_bool(r, "first_steps", PQgetvalue(res, 0, 0)[0] == 't');
	return 0;
}

/* GET /admin/ (the page only) */
static int dashboard_get(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx), *months = json_object_new_array(),
	            *todo = json_object_new_array(), *cur, *prev;
	int today = org_today(ctx), y, m, d;
	long long inactive, failed;

	json_object_object_add(r, "months", months);
	json_object_object_add(r, "todo", todo);
	if (today == DATE_NONE)
		return -1;
	date_to_ymd(today, &y, &m, &d);
	jsonx_set_str(r, "today", worktime_date_ru(ctx, today));
	prev = dashboard_month(ctx, date_add_months(date_month_first(y, m), -1));
	cur = prev ? dashboard_month(ctx, date_month_first(y, m)) : NULL;
	if (cur == NULL) {
		json_object_put(prev);
		return -1;
	}
	jsonx_set_bool(prev, "previous", 1);
	jsonx_set_bool(cur, "current", 1);
	json_object_array_add(months, prev);
	json_object_array_add(months, cur);

	if (dashboard_first_steps(ctx, r) < 0)
		return -1;
	if (dashboard_employee_checks(ctx, todo, worktime_date_iso(ctx, today), &inactive,
	                              &failed) < 0)
		return -1;
	if (dashboard_org_details(ctx, todo) < 0)
		return -1;
	dashboard_todo(ctx, todo, failed,
	               ru_plural(failed, "письмо или SMS не доставлено",
	                         "письма или SMS не доставлены", "писем или SMS не доставлено"),
	               "Проверьте адрес или телефон получателя.", "/admin/outbox?status=failed",
	               "warn");
	dashboard_todo(ctx, todo, inactive,
	               ru_plural(inactive, "кабинет не активирован", "кабинета не активированы",
	                         "кабинетов не активировано"),
	               "Сотрудник активирует кабинет сам по коду из SMS.", "/admin/users", "info");
	return 0;
}

const struct op dashboard_ops[] = {
    {"dashboard.get", OP_ADMIN, dashboard_get, 0, args_none},
    {NULL, 0, NULL, 0, NULL},
};
