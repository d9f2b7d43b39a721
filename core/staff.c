/*
 * staff.c - reading the staff: the employee search, the card with the
 * personal file, the structure, and who approves an employee's requests.
 * See staff.h for the routes and the rules; writes are exchange.c's.
 */
#include "staff.h"

#include "jsonx.h"
#include "ops.h"
#include "publication.h"
#include "routing.h"
#include "ru.h"
#include "t13.h"

#include <stdlib.h>
#include <string.h>

#define STAFF_PAGE_MAX 1000

static const char *const staff_states[] = {
    "not_created", "created_email", "created_sms", "create_failed", "email_failed",
    "sms_failed",  "invited",       "signed_in",   "disabled",      NULL,
};

const char *staff_rule_name(enum staff_rule rule)
{
	switch (rule) {
	case STAFF_RULE_DEPARTMENT_HEAD:
		return "department_head";
	case STAFF_RULE_ORGANIZATION_HEAD:
		return "organization_head";
	default:
		return "none";
	}
}

const char *staff_mask_snils(struct ctx *ctx, const char *snils)
{
	if (snils == NULL)
		return NULL;
	return arena_printf(ctx->arena, "***-***-*** %s",
	                    strlen(snils) >= 2 ? snils + strlen(snils) - 2 : "");
}

const char *staff_mask_inn(struct ctx *ctx, const char *inn)
{
	size_t n;

	if (inn == NULL)
		return NULL;
	n = strlen(inn);
	return arena_printf(ctx->arena, "%.*s%s", (int)(n > 4 ? n - 4 : 0), "************",
	                    n > 4 ? inn + n - 4 : inn);
}

static const char *staff_value(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* {"id", "name"} of a joined object, or null. */
static json_object *staff_ref(PGresult *res, int row, int id_col)
{
	json_object *o;

	if (PQgetisnull(res, row, id_col))
		return NULL;
	o = json_object_new_object();
	jsonx_set_int(o, "id", atoll(PQgetvalue(res, row, id_col)));
	jsonx_set_str(o, "name", PQgetvalue(res, row, id_col + 1));
	return o;
}

/* One page of the search, each row with the number of all matches.
 * can_act: only those who can act on a task now (ROUTING_CAN_ACT_SQL, the
 * rule routing_check_assignee refuses the others by), for the pickers of
 * whom to hand a task to. */
static PGresult *staff_search_query(struct ctx *ctx, const char *q, const char *dep,
                                    const char *status, const char *state, int can_act,
                                    int64_t limit, int64_t offset)
{
	/* the department filter takes its sub-departments too; q is matched
	 * as text (LIKE's own characters escaped), ё as е */
	return ctx_sql(
	    ctx,
	    "WITH RECURSIVE dep AS (SELECT d.id FROM departments d WHERE d.tenant_id = $1 AND "
	    "$3::text IS NOT NULL AND (d.external_id = $3 OR d.id::text = $3) UNION SELECT c.id "
	    "FROM "
	    "departments c JOIN dep ON c.parent_id = dep.id WHERE c.tenant_id = $1), "
	    "pat AS (SELECT " STAFF_LIKE_SQL(
	        "$2") " AS p), today AS (SELECT app_today() AS d) "
	              "SELECT e.id, e.external_id, e.personnel_number, e.full_name, d.id, d.name, "
	              "p.id, "
	              "p.name, " STAFF_CABINET_STATE_SQL ", count(*) OVER () "
	              "FROM employees e CROSS JOIN pat CROSS JOIN today "
	              "LEFT JOIN departments d ON d.tenant_id = e.tenant_id AND d.id = "
	              "e.department_id "
	              "LEFT JOIN positions p ON p.tenant_id = e.tenant_id AND p.id = e.position_id "
	              "LEFT JOIN cabinets c ON c.tenant_id = e.tenant_id AND c.employee_id = e.id "
	              "WHERE e.tenant_id = $1 AND ($2::text IS NULL OR e.search_name LIKE pat.p OR "
	              "lower(e.personnel_number) LIKE pat.p) "
	              "AND ($3::text IS NULL OR e.department_id IN (SELECT id FROM dep)) "
	              "AND ($4::text IS NULL OR ($4 = 'dismissed') = (e.dismissed IS NOT NULL AND "
	              "e.dismissed "
	              "< today.d)) AND ($5::text IS NULL OR " STAFF_CABINET_STATE_SQL " = $5) "
	              "AND (NOT $8::boolean OR " ROUTING_CAN_ACT_SQL(
	                  "$1",
	                  "e.id") ") "
	                          "ORDER BY e.search_name, e.full_name, e.id LIMIT $6 OFFSET $7",
	    ctx_i64(ctx, ctx->tenant_id), q, dep, status, state, ctx_i64(ctx, limit),
	    ctx_i64(ctx, offset), can_act ? "true" : "false");
}

int staff_filter_ids(struct ctx *ctx, int64_t **ids, size_t *n)
{
	const char *a[4] = {jsonx_get_str(ctx->args, "q"), jsonx_get_str(ctx->args, "department"),
	                    jsonx_get_str(ctx->args, "status"), jsonx_get_str(ctx->args, "state")};
	PGresult *res;

	for (int i = 0; i < 4; i++)
		if (a[i] && !*a[i])
			a[i] = NULL;
	res = staff_search_query(ctx, a[0], a[1], a[2], a[3], 0, STAFF_FILTER_MAX, 0);
	if (res == NULL)
		return -1;
	*ids = arena_alloc(ctx->arena, sizeof(int64_t) * ((size_t)PQntuples(res) + 1));
	*n = 0;
	for (int i = 0; i < PQntuples(res); i++)
		(*ids)[(*n)++] = atoll(PQgetvalue(res, i, 0));
	if (*n == 0)
		return ctx_field_code(ctx, "employees", "required", "По этому фильтру никого нет");
	return 0;
}

/* GET /api/admin/employees?q=&department=&status=&state=&can_act=&limit=&offset= */
static int staff_search(struct ctx *ctx)
{
	const char *q = ctx_arg_str(ctx, "q", 200, 0),
	           *dep = ctx_arg_str(ctx, "department", 100, 0),
	           *status = ctx_arg_str(ctx, "status", 20, 0),
	           *state = ctx_arg_str(ctx, "state", 20, 0);
	int64_t limit, offset;
	json_object *items;
	PGresult *res, *total;
	int ok = 0, can_act = 0;

	ctx_arg_int(ctx, "limit", 1, STAFF_PAGE_MAX, 50, &limit);
	ctx_arg_int(ctx, "offset", 0, INT32_MAX, 0, &offset);
	jsonx_get_bool(ctx->args, "can_act", &can_act);
	if (status && *status && strcmp(status, "working") != 0 && strcmp(status, "dismissed") != 0)
		ctx_field(ctx, "status",
		          "Состояние сотрудника: working (работает) или dismissed "
		          "(уволен)");
	for (int i = 0; state && *state && staff_states[i]; i++)
		ok |= strcmp(staff_states[i], state) == 0;
	if (state && *state && !ok)
		ctx_field(
		    ctx, "state",
		    "Состояние кабинета: not_created, created_email, created_sms, "
		    "create_failed, email_failed, sms_failed, invited, signed_in или disabled");
	if (ctx->error >= 0)
		return -1;
	res = staff_search_query(ctx, q && *q ? q : NULL, dep && *dep ? dep : NULL,
	                         status && *status ? status : NULL, state && *state ? state : NULL,
	                         can_act, limit, offset);
	if (res && PQntuples(res) == 0 && offset > 0) /* past the end: still tell the total */
		total = staff_search_query(ctx, q && *q ? q : NULL, dep && *dep ? dep : NULL,
		                           status && *status ? status : NULL,
		                           state && *state ? state : NULL, can_act, 1, 0);
	else
		total = res;
	if (res == NULL || total == NULL)
		return -1;
	items = json_object_new_array();
	json_object_object_add(ctx_result(ctx), "items", items);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *it = json_object_new_object();
		jsonx_set_int(it, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(it, "external_id", PQgetvalue(res, i, 1));
		jsonx_set_str(it, "personnel_number", staff_value(res, i, 2));
		jsonx_set_str(it, "full_name", PQgetvalue(res, i, 3));
		json_object_object_add(it, "department", staff_ref(res, i, 4));
		json_object_object_add(it, "position", staff_ref(res, i, 6));
		jsonx_set_str(it, "cabinet_state", PQgetvalue(res, i, 8));
		json_object_array_add(items, it);
	}
	jsonx_set_int(ctx_result(ctx), "total",
	              PQntuples(total) ? atoll(PQgetvalue(total, 0, 9)) : 0);
	jsonx_set_int(ctx_result(ctx), "limit", limit);
	jsonx_set_int(ctx_result(ctx), "offset", offset);
	return 0;
}

/* ---- managers ---- */

/* One statement (a request's submission asks it every time): the
 * department's head, or for its head the parent department's head; the
 * organization's head (the employee's organization, else the
 * department's); and whether each of the two is published. (CASE, not
 * coalesce(): under the tables' row-level security a row is found by an
 * index only through a leakproof condition, and coalesce() is not one.) */
#define STAFF_MANAGER_CANDIDATES                                                                   \
	"x AS (SELECT CASE WHEN d.head_id IS DISTINCT FROM e.id THEN d.head_id WHEN d.parent_id "  \
	"IS NOT NULL THEN p.head_id END AS head, CASE WHEN o.head_id IS NOT NULL THEN o.head_id "  \
	"ELSE od.head_id END AS org_head FROM employees e LEFT JOIN organizations o ON "           \
	"o.tenant_id = e.tenant_id AND o.id = e.organization_id LEFT JOIN departments d ON "       \
	"d.tenant_id = e.tenant_id AND d.id = e.department_id LEFT JOIN organizations od ON "      \
	"od.tenant_id = d.tenant_id AND od.id = d.organization_id LEFT JOIN departments p ON "     \
	"p.tenant_id = d.tenant_id AND p.id = d.parent_id WHERE e.tenant_id = $1 AND e.id = $2)"
#define STAFF_PUBLISHED_SQL(who)                                                                   \
	"coalesce((SELECT " PUBLICATION_PUBLISHED " FROM employees e CROSS JOIN pub WHERE "        \
	"e.tenant_id = $1 AND e.id = " who "), false)"
#define STAFF_HEAD_PUBLISHED     STAFF_PUBLISHED_SQL("x.head")
#define STAFF_ORG_HEAD_PUBLISHED STAFF_PUBLISHED_SQL("x.org_head")
#define STAFF_PUBLICATION        "WITH RECURSIVE " PUBLICATION_CTE("applied")

int staff_manager(struct ctx *ctx, int64_t employee_id, int64_t *manager_id, enum staff_rule *rule)
{
	PGresult *res = ctx_sql(
	    ctx,
	    STAFF_PUBLICATION ", " STAFF_MANAGER_CANDIDATES " SELECT x.head, " STAFF_HEAD_PUBLISHED
	                      ", x.org_head, " STAFF_ORG_HEAD_PUBLISHED " FROM x",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee_id));
	int64_t head, org_head;

	*manager_id = 0;
	*rule = STAFF_RULE_NONE;
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Сотрудник не найден");
	head = PQgetisnull(res, 0, 0) ? 0 : atoll(PQgetvalue(res, 0, 0));
	org_head = PQgetisnull(res, 0, 2) ? 0 : atoll(PQgetvalue(res, 0, 2));
	/* nobody is their own manager, the organization's head has none (a
	 * department of theirs with a head of its own does not make them that
	 * head's subordinate); a manager is published */
	if (org_head == employee_id)
		return 0;
	if (head && head != employee_id && strcmp(PQgetvalue(res, 0, 1), "t") == 0) {
		*manager_id = head;
		*rule = STAFF_RULE_DEPARTMENT_HEAD;
	} else if (org_head && org_head != employee_id && strcmp(PQgetvalue(res, 0, 3), "t") == 0) {
		*manager_id = org_head;
		*rule = STAFF_RULE_ORGANIZATION_HEAD;
	}
	return 0;
}

/* GET /api/admin/employees/{id}/manager */
static int staff_manager_get(struct ctx *ctx)
{
	int64_t id, manager;
	enum staff_rule rule;
	json_object *r = ctx_result(ctx);
	static const char *const why[] = {
	    [STAFF_RULE_NONE] = "Согласующего нет: руководитель подразделения и руководитель "
	                        "организации не заданы или не опубликованы; заявления проходят "
	                        "без согласования",
	    [STAFF_RULE_DEPARTMENT_HEAD] = "Руководитель подразделения",
	    [STAFF_RULE_ORGANIZATION_HEAD] = "Руководитель организации: у подразделения нет "
	                                     "опубликованного руководителя",
	};

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0 ||
	    staff_manager(ctx, id, &manager, &rule) < 0)
		return -1;
	if (manager) {
		PGresult *res =
		    ctx_sql(ctx, "SELECT full_name FROM employees WHERE tenant_id = $1 AND id = $2",
		            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, manager));
		if (res == NULL)
			return -1;
		jsonx_set_int(r, "manager_id", manager);
		jsonx_set_str(r, "full_name", PQntuples(res) ? PQgetvalue(res, 0, 0) : NULL);
	} else {
		json_object_object_add(r, "manager_id", NULL);
		jsonx_set_str(r, "full_name", NULL);
	}
	jsonx_set_str(r, "rule", staff_rule_name(rule));
	jsonx_set_str(r, "reason", why[rule]);
	return 0;
}

/* ---- the card ---- */

static const char *const staff_pf_titles[][2] = {
    {"employment", "Трудовая деятельность"},
    {"vacation", "Отпуска"},
    {"trip", "Командировки"},
    {"seniority", "Стаж"},
    {"attestation", "Аттестации"},
    {"education", "Образование"},
    {"training", "Повышение квалификации"},
};

/* Orders the records of a section by date_from (ISO dates; none first). */
static int staff_pf_by_date(const void *a, const void *b)
{
	const char *x = jsonx_get_str(*(json_object *const *)a, "date_from"),
	           *y = jsonx_get_str(*(json_object *const *)b, "date_from");
	return strcmp(x ? x : "", y ? y : "");
}

/*
 * The vacations of the timesheet in the file's "Отпуска": the whole-day
 * deviations whose T-13 code is a leave (ОТ, ОД, У, УД, Р, ОЖ, ДО, ОЗ, ДБ -
 * what a done vacation request or the administrator enters), taken and
 * scheduled, unless the accounting system's file already has a record of the
 * same dates. Each: {"kind": "vacation", "source": "timesheet", "code",
 * "type" (the code's meaning), "days" (calendar days), "date_from",
 * "date_to", "scheduled" (starts after today in the organization's zone)}.
 */
static int staff_card_vacations(struct ctx *ctx, int64_t id, json_object *list)
{
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT d.code, d.date_from, d.date_to, to_char(d.date_from, 'DD.MM.YYYY'), "
	            "to_char(d.date_to, 'DD.MM.YYYY'), d.date_to - d.date_from + 1, "
	            "d.date_from > app_today() FROM deviations d WHERE d.tenant_id = $1 AND "
	            "d.employee_id = $2 AND d.whole_day AND d.code = ANY ($3::smallint[]) AND NOT "
	            "EXISTS (SELECT 1 FROM personal_file p WHERE p.tenant_id = d.tenant_id AND "
	            "p.employee_id = d.employee_id AND p.kind = 'vacation' AND p.date_from = "
	            "d.date_from AND p.date_to = d.date_to) ORDER BY d.date_from, d.id",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id),
	            arena_printf(ctx->arena, "{%d,%d,%d,%d,%d,%d,%d,%d,%d}", T13_OT, T13_OD, T13_U,
	                         T13_UD, T13_R, T13_OZH, T13_DO, T13_OZ, T13_DB));

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const struct t13_code *c = t13_get(atoi(PQgetvalue(res, i, 0)));
		json_object *rec = json_object_new_object();
		jsonx_set_str(rec, "kind", "vacation");
		jsonx_set_str(rec, "source", "timesheet");
		jsonx_set_str(rec, "code", c ? c->letter : NULL);
		jsonx_set_str(rec, "type", c ? c->meaning : NULL);
		jsonx_set_int(rec, "days", atoll(PQgetvalue(res, i, 5)));
		jsonx_set_str(rec, "date_from", PQgetvalue(res, i, 1));
		jsonx_set_str(rec, "date_to", PQgetvalue(res, i, 2));
		jsonx_set_str(rec, "date_from_ru", PQgetvalue(res, i, 3));
		jsonx_set_str(rec, "date_to_ru", PQgetvalue(res, i, 4));
		jsonx_set_bool(rec, "scheduled", strcmp(PQgetvalue(res, i, 6), "t") == 0);
		json_object_array_add(list, rec);
	}
	if (PQntuples(res))
		json_object_array_sort(list, staff_pf_by_date);
	return 0;
}

static int staff_card_file(struct ctx *ctx, int64_t id, json_object *card)
{
	PGresult *res = ctx_sql(ctx,
	                        "SELECT kind, id, external_id, date_from, date_to, data::text, "
	                        "to_char(date_from, 'DD.MM.YYYY'), to_char(date_to, 'DD.MM.YYYY') "
	                        "FROM personal_file WHERE tenant_id = $1 AND employee_id = $2 "
	                        "ORDER BY kind, date_from NULLS FIRST, id",
	                        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	json_object *file = json_object_new_object(), *sections = json_object_new_array();

	json_object_object_add(card, "personal_file", file);
	json_object_object_add(card, "personal_file_sections", sections);
	if (res == NULL)
		return -1;
	for (size_t k = 0; k < sizeof(staff_pf_titles) / sizeof(staff_pf_titles[0]); k++) {
		json_object *list = json_object_new_array(), *sec = json_object_new_object();
		json_object_object_add(file, staff_pf_titles[k][0], list);
		jsonx_set_str(sec, "kind", staff_pf_titles[k][0]);
		jsonx_set_str(sec, "title", staff_pf_titles[k][1]);
		json_object_object_add(sec, "records", json_object_get(list));
		json_object_array_add(sections, sec);
		for (int i = 0; i < PQntuples(res); i++) {
			const char *why;
			json_object *rec, *data;
			if (strcmp(PQgetvalue(res, i, 0), staff_pf_titles[k][0]) != 0)
				continue;
			data = jsonx_parse_object(PQgetvalue(res, i, 5),
			                          strlen(PQgetvalue(res, i, 5)), &why);
			rec = data ? data : json_object_new_object();
			jsonx_set_int(rec, "id", atoll(PQgetvalue(res, i, 1)));
			jsonx_set_str(rec, "external_id", PQgetvalue(res, i, 2));
			jsonx_set_str(rec, "kind", staff_pf_titles[k][0]);
			jsonx_set_str(rec, "date_from", staff_value(res, i, 3));
			jsonx_set_str(rec, "date_to", staff_value(res, i, 4));
			jsonx_set_str(rec, "date_from_ru", staff_value(res, i, 6));
			jsonx_set_str(rec, "date_to_ru", staff_value(res, i, 7));
			json_object_array_add(list, rec);
		}
		if (strcmp(staff_pf_titles[k][0], "vacation") == 0 &&
		    staff_card_vacations(ctx, id, list) < 0)
			return -1;
	}
	return 0;
}

static int staff_card_terms(struct ctx *ctx, int64_t id, json_object *card)
{
	PGresult *sch = ctx_sql(ctx,
	                        "SELECT a.date_from, s.id, s.name, to_char(a.date_from, "
	                        "'DD.MM.YYYY') FROM schedule_assignments a JOIN schedules s ON "
	                        "s.tenant_id = a.tenant_id AND s.id = a.schedule_id WHERE "
	                        "a.tenant_id = $1 AND a.employee_id = $2 ORDER BY a.date_from",
	                        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	PGresult *pay = ctx_sql(ctx,
	                        "SELECT date_from, rate::text, pay_by, norm, to_char(date_from, "
	                        "'DD.MM.YYYY') FROM employee_pay WHERE tenant_id = $1 AND "
	                        "employee_id = $2 ORDER BY date_from",
	                        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	json_object *s = json_object_new_array(), *p = json_object_new_array();

	json_object_object_add(card, "schedules", s);
	json_object_object_add(card, "pay", p);
	if (sch == NULL || pay == NULL)
		return -1;
	for (int i = 0; i < PQntuples(sch); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_str(o, "date_from", PQgetvalue(sch, i, 0));
		jsonx_set_int(o, "schedule", atoll(PQgetvalue(sch, i, 1)));
		jsonx_set_str(o, "schedule_name", PQgetvalue(sch, i, 2));
		jsonx_set_str(o, "date_from_ru", PQgetvalue(sch, i, 3));
		json_object_array_add(s, o);
	}
	for (int i = 0; i < PQntuples(pay); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_str(o, "date_from", PQgetvalue(pay, i, 0));
		jsonx_set_str(o, "rate", PQgetvalue(pay, i, 1));
		jsonx_set_str(o, "pay_by", PQgetvalue(pay, i, 2));
		jsonx_set_str(o, "norm", staff_value(pay, i, 3));
		jsonx_set_str(o, "date_from_ru", PQgetvalue(pay, i, 4));
		json_object_array_add(p, o);
	}
	return 0;
}

/* GET /api/admin/employees/{id} */
static int staff_get(struct ctx *ctx)
{
	int64_t id, manager;
	enum staff_rule rule;
	json_object *c = ctx_result(ctx), *ins;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	res = ctx_sql(
	    ctx,
	    "SELECT e.id, e.external_id, e.personnel_number, e.full_name, e.birth_date, "
	    "o.id, o.name, d.id, d.name, p.id, p.name, e.hired, e.dismissed, e.phone, e.email, "
	    "e.snils, e.inn, e.insurance_years, e.insurance_months, "
	    "e.insurance_as_of, " STAFF_CABINET_STATE_SQL ", to_char(e.birth_date, 'DD.MM.YYYY'), "
	    "to_char(e.hired, 'DD.MM.YYYY'), to_char(e.dismissed, 'DD.MM.YYYY'), o.external_id, "
	    "d.external_id, p.external_id, u.id, e.address "
	    "FROM employees e "
	    "LEFT JOIN organizations o ON o.tenant_id = e.tenant_id AND o.id = e.organization_id "
	    "LEFT JOIN departments d ON d.tenant_id = e.tenant_id AND d.id = e.department_id "
	    "LEFT JOIN positions p ON p.tenant_id = e.tenant_id AND p.id = e.position_id "
	    "LEFT JOIN users u ON u.tenant_id = e.tenant_id AND u.employee_id = e.id "
	    "LEFT JOIN cabinets c ON c.tenant_id = e.tenant_id AND c.employee_id = e.id "
	    "WHERE e.tenant_id = $1 AND e.id = $2",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Сотрудник не найден");
	jsonx_set_int(c, "id", id);
	jsonx_set_str(c, "external_id", PQgetvalue(res, 0, 1));
	jsonx_set_str(c, "personnel_number", staff_value(res, 0, 2));
	jsonx_set_str(c, "full_name", PQgetvalue(res, 0, 3));
	jsonx_set_str(c, "birth_date", staff_value(res, 0, 4));
	jsonx_set_str(c, "birth_date_ru", staff_value(res, 0, 21));
	json_object_object_add(c, "organization", staff_ref(res, 0, 5));
	json_object_object_add(c, "department", staff_ref(res, 0, 7));
	json_object_object_add(c, "position", staff_ref(res, 0, 9));
	if (!PQgetisnull(res, 0, 5))
		jsonx_set_str(jsonx_get(c, "organization"), "external_id", PQgetvalue(res, 0, 24));
	if (!PQgetisnull(res, 0, 7))
		jsonx_set_str(jsonx_get(c, "department"), "external_id", PQgetvalue(res, 0, 25));
	if (!PQgetisnull(res, 0, 9))
		jsonx_set_str(jsonx_get(c, "position"), "external_id", PQgetvalue(res, 0, 26));
	jsonx_set_str(c, "hired", staff_value(res, 0, 11));
	jsonx_set_str(c, "hired_ru", staff_value(res, 0, 22));
	jsonx_set_str(c, "dismissed", staff_value(res, 0, 12));
	jsonx_set_str(c, "dismissed_ru", staff_value(res, 0, 23));
	jsonx_set_str(c, "phone", staff_value(res, 0, 13));
	if (staff_value(res, 0, 13)) { /* as every page shows a phone: +7 912 111-22-33 */
		char ph[RU_PHONE_BUFSZ];
		jsonx_set_str(c, "phone_ru",
		              ru_format_phone(staff_value(res, 0, 13), ph, sizeof ph));
	}
	jsonx_set_str(c, "email", staff_value(res, 0, 14));
	jsonx_set_str(c, "address", staff_value(res, 0, 28));
	jsonx_set_str(c, "snils_masked", staff_mask_snils(ctx, staff_value(res, 0, 15)));
	jsonx_set_str(c, "inn_masked", staff_mask_inn(ctx, staff_value(res, 0, 16)));
	if (PQgetisnull(res, 0, 17)) {
		json_object_object_add(c, "insurance_record", NULL);
	} else {
		ins = json_object_new_object();
		jsonx_set_int(ins, "years", atoi(PQgetvalue(res, 0, 17)));
		jsonx_set_int(ins, "months", atoi(PQgetvalue(res, 0, 18)));
		jsonx_set_str(ins, "as_of", PQgetvalue(res, 0, 19));
		json_object_object_add(c, "insurance_record", ins);
	}
	jsonx_set_str(c, "cabinet_state", PQgetvalue(res, 0, 20));
	if (PQgetisnull(res, 0, 27))
		json_object_object_add(c, "user_id", NULL);
	else
		jsonx_set_int(c, "user_id", atoll(PQgetvalue(res, 0, 27)));
	if (staff_card_file(ctx, id, c) < 0 || staff_card_terms(ctx, id, c) < 0 ||
	    staff_manager(ctx, id, &manager, &rule) < 0)
		return -1;
	{
		json_object *m = json_object_new_object();
		if (manager)
			jsonx_set_int(m, "manager_id", manager);
		else
			json_object_object_add(m, "manager_id", NULL);
		jsonx_set_str(m, "rule", staff_rule_name(rule));
		json_object_object_add(c, "manager", m);
		if (manager) {
			PGresult *who = ctx_sql(
			    ctx, "SELECT full_name FROM employees WHERE tenant_id = $1 AND id = $2",
			    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, manager));
			if (who == NULL)
				return -1;
			jsonx_set_str(m, "full_name",
			              PQntuples(who) ? PQgetvalue(who, 0, 0) : NULL);
		}
	}
	return 0;
}

/* ---- the structure ---- */

/* GET /api/admin/structure: organizations with their department tree
 * (depth-first, "level" for indentation), positions. */
static int staff_structure(struct ctx *ctx)
{
	PGresult *orgs, *deps, *pos;
	json_object *r = ctx_result(ctx), *ol = json_object_new_array(),
	            *dl = json_object_new_array(), *pl = json_object_new_array();

	json_object_object_add(r, "organizations", ol);
	json_object_object_add(r, "departments", dl);
	json_object_object_add(r, "positions", pl);
	orgs = ctx_sql(ctx,
	               "SELECT o.id, o.external_id, o.name, o.inn, o.kpp, o.okpo, o.address, "
	               "o.head_id, h.full_name FROM organizations o LEFT JOIN employees h ON "
	               "h.tenant_id = o.tenant_id AND h.id = o.head_id WHERE o.tenant_id = $1 "
	               "ORDER BY o.name, o.id",
	               ctx_i64(ctx, ctx->tenant_id));
	deps = ctx_sql(
	    ctx,
	    "WITH RECURSIVE t AS (SELECT d.id, 0 AS level, ARRAY[lower(d.name), d.id::text] AS "
	    "path "
	    "FROM departments d WHERE d.tenant_id = $1 AND d.parent_id IS NULL UNION ALL "
	    "SELECT c.id, t.level + 1, t.path || ARRAY[lower(c.name), c.id::text] FROM departments "
	    "c "
	    "JOIN t ON c.parent_id = t.id WHERE c.tenant_id = $1 AND t.level < 50) "
	    "SELECT d.id, d.external_id, d.name, d.organization_id, o.name, d.parent_id, "
	    "d.head_id, "
	    "h.full_name, t.level, (SELECT count(*) FROM employees e WHERE e.tenant_id = "
	    "d.tenant_id "
	    "AND e.department_id = d.id) FROM t JOIN departments d ON d.tenant_id = $1 AND d.id = "
	    "t.id LEFT JOIN organizations o ON o.tenant_id = d.tenant_id AND o.id = "
	    "d.organization_id LEFT JOIN employees h ON h.tenant_id = d.tenant_id AND h.id = "
	    "d.head_id ORDER BY lower(coalesce(o.name, '')), t.path",
	    ctx_i64(ctx, ctx->tenant_id));
	pos = ctx_sql(ctx,
	              "SELECT p.id, p.external_id, p.name, (SELECT count(*) FROM employees e WHERE "
	              "e.tenant_id = p.tenant_id AND e.position_id = p.id) FROM positions p WHERE "
	              "p.tenant_id = $1 ORDER BY lower(p.name), p.id",
	              ctx_i64(ctx, ctx->tenant_id));
	if (orgs == NULL || deps == NULL || pos == NULL)
		return -1;
	for (int i = 0; i < PQntuples(orgs); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(orgs, i, 0)));
		jsonx_set_str(o, "external_id", PQgetvalue(orgs, i, 1));
		jsonx_set_str(o, "name", PQgetvalue(orgs, i, 2));
		jsonx_set_str(o, "inn", staff_value(orgs, i, 3));
		jsonx_set_str(o, "kpp", staff_value(orgs, i, 4));
		jsonx_set_str(o, "okpo", staff_value(orgs, i, 5));
		jsonx_set_str(o, "address", staff_value(orgs, i, 6));
		json_object_object_add(o, "head", staff_ref(orgs, i, 7));
		json_object_array_add(ol, o);
	}
	for (int i = 0; i < PQntuples(deps); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(deps, i, 0)));
		jsonx_set_str(o, "external_id", PQgetvalue(deps, i, 1));
		jsonx_set_str(o, "name", PQgetvalue(deps, i, 2));
		json_object_object_add(o, "organization", staff_ref(deps, i, 3));
		if (PQgetisnull(deps, i, 5))
			json_object_object_add(o, "parent_id", NULL);
		else
			jsonx_set_int(o, "parent_id", atoll(PQgetvalue(deps, i, 5)));
		json_object_object_add(o, "head", staff_ref(deps, i, 6));
		jsonx_set_int(o, "level", atoi(PQgetvalue(deps, i, 8)));
		jsonx_set_int(o, "employees", atoll(PQgetvalue(deps, i, 9)));
		json_object_array_add(dl, o);
	}
	for (int i = 0; i < PQntuples(pos); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(pos, i, 0)));
		jsonx_set_str(o, "external_id", PQgetvalue(pos, i, 1));
		jsonx_set_str(o, "name", PQgetvalue(pos, i, 2));
		jsonx_set_int(o, "employees", atoll(PQgetvalue(pos, i, 3)));
		json_object_array_add(pl, o);
	}
	return 0;
}

static const char *const staff_status_values[] = {"working", "dismissed", NULL};
/* also the list page's (staff_pages.c) */
const struct op_arg staff_search_args[] = {
    {"q", ARG_STR, 0, .max = 200},
    {"department", ARG_STR, 0, .max = 100},
    {"status", ARG_ENUM, 0, .values = staff_status_values,
     .hint = "Состояние сотрудника: working (работает) или dismissed (уволен)"},
    {"state", ARG_ENUM, 0, .values = staff_states,
     .hint = "Состояние кабинета: not_created, created_email, created_sms, create_failed, "
             "email_failed, sms_failed, invited, signed_in или disabled"},
    {"can_act", ARG_BOOL, 0, .hint = "Только те, кто может выполнить задачу: true или false"},
    {"limit", ARG_INT, 0, .min = 1, .max = STAFF_PAGE_MAX},
    {"offset", ARG_INT, 0, .min = 0, .max = INT32_MAX},
    ARG_END,
};
static const struct op_arg staff_id_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};

/* GET /api/me/employee: the caller's own card with the personal file (seed
 * 003: access to one's own personal file), as the staff pages show it
 * (staff.card: GET /api/admin/employees/{id} with titles and Russian
 * dates), without what only the administrator manages (the cabinet's user
 * id and state) */
static int staff_self(struct ctx *ctx)
{
	json_object *args = json_object_new_object(), *out;

	jsonx_set_int(args, "id", ctx->employee_id);
	if (ctx_call(ctx, "staff.card", args, &out) < 0)
		return -1;
	if (out) {
		json_object_object_del(out, "user_id");
		json_object_object_del(out, "cabinet_state");
		json_object_object_del(out, "cabinet_state_title");
		ctx->result = out;
	}
	return 0;
}

/* GET /api/employees?q=&can_act=: people to hand a task to, by part of
 * the name or the personnel number, working ones only (can_act: only those
 * who can act on a task now, staff.search's filter); names and places,
 * nothing of the personal file (staff.search's rows cut down) */
static int staff_lookup(struct ctx *ctx)
{
	json_object *args = json_object_new_object(), *out, *items, *list;
	const char *q = jsonx_get_str(ctx->args, "q");
	int can_act = 0;

	if (q)
		jsonx_set_str(args, "q", q);
	jsonx_get_bool(ctx->args, "can_act", &can_act);
	jsonx_set_bool(args, "can_act", can_act);
	jsonx_set_str(args, "status", "working");
	jsonx_set_int(args, "limit", 10);
	if (ctx_call(ctx, "staff.search", args, &out) < 0)
		return -1;
	list = json_object_new_array();
	json_object_object_add(ctx_result(ctx), "items", list);
	items = out ? jsonx_get(out, "items") : NULL;
	for (size_t i = 0; items && i < json_object_array_length(items); i++) {
		json_object *e = json_object_array_get_idx(items, i), *o = json_object_new_object();
		json_object *dep = jsonx_get(e, "department"), *pos = jsonx_get(e, "position");
		int64_t id = 0;
		jsonx_get_int64(e, "id", &id);
		jsonx_set_int(o, "id", id);
		jsonx_set_str(o, "full_name", jsonx_get_str(e, "full_name"));
		jsonx_set_str(o, "personnel_number", jsonx_get_str(e, "personnel_number"));
		jsonx_set_str(o, "department", dep ? jsonx_get_str(dep, "name") : NULL);
		jsonx_set_str(o, "position", pos ? jsonx_get_str(pos, "name") : NULL);
		json_object_array_add(list, o);
	}
	return 0;
}

static const struct op_arg staff_lookup_args[] = {
    {"q", ARG_STR, 0, .max = 200},
    {"can_act", ARG_BOOL, 0, .hint = "Только те, кто может выполнить задачу: true или false"},
    ARG_END,
};

const struct op staff_ops[] = {
    {"staff.search", OP_ADMIN, staff_search, 0, staff_search_args},
    {"staff.get", OP_ADMIN, staff_get, 0, staff_id_args},
    {"staff.self", OP_EMPLOYEE, staff_self, 0, args_none, WHO(WHO_SELF)},
    {"staff.lookup", OP_EMPLOYEE, staff_lookup, 0, staff_lookup_args,
     WHO(WHO_MANAGER | WHO_PERFORMER | WHO_ADMIN)},
    {"staff.manager", OP_ADMIN, staff_manager_get, 0, staff_id_args},
    {"staff.structure", OP_ADMIN, staff_structure, 0, args_none},
    {NULL, 0, NULL, 0, NULL},
};
