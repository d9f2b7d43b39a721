/*
 * team.c - a manager's staff (seed 003: "руководитель видит личные дела
 * подчинённых"): the people in their charge and each one's card with the
 * personal file.
 *
 *   GET /api/team             -> {"items": [{"id", "full_name", "position",
 *                                 "department", "absent_today"}]}
 *   GET /api/team/{id}        -> the card as GET /api/admin/employees/{id}
 *                                without "pay" and "user_id", with "absences":
 *                                [{"code", "title", "date_from", "date_to",
 *                                "date_from_ru", "date_to_ru", "now"}] (whole-day
 *                                documents from a month ago to half a year ahead)
 *
 * In charge (access.h, WHO_MANAGER): the employees of the departments the
 * manager heads, with their sub-departments, and of the organizations they
 * head. The card's SNILS and INN stay masked (staff.h).
 */
#include "date.h"
#include "jsonx.h"
#include "ops.h"
#include "org.h"
#include "t13.h"
#include "worktime.h"

#include <stdlib.h>
#include <string.h>

#define TEAM_MAX 5000

/* GET /api/team */
static int team_list(struct ctx *ctx)
{
	json_object *items = json_object_new_array();
	int today = org_today(ctx);
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "items", items);
	if (today == DATE_NONE)
		return -1;
	res = ctx_sql(
	    ctx,
	    "WITH RECURSIVE charge AS (SELECT id FROM departments WHERE tenant_id = $1 AND head_id "
	    "= $2 UNION SELECT d.id FROM departments d JOIN charge c ON d.tenant_id = $1 AND "
	    "d.parent_id = c.id) SELECT e.id, e.full_name, coalesce(e.position, ''), "
	    "coalesce(d.name, ''), EXISTS (SELECT 1 FROM deviations v WHERE v.tenant_id = $1 AND "
	    "v.employee_id = e.id AND v.whole_day AND v.code <> 26 AND $3::date BETWEEN "
	    "v.date_from AND v.date_to) FROM employees e LEFT JOIN departments d ON d.tenant_id = "
	    "e.tenant_id AND d.id = e.department_id WHERE e.tenant_id = $1 AND e.id <> $2 AND "
	    "(e.dismissed IS NULL OR e.dismissed >= $3::date) AND (e.department_id IN (SELECT id "
	    "FROM charge) OR e.organization_id IN (SELECT id FROM organizations WHERE tenant_id = "
	    "$1 AND head_id = $2)) ORDER BY e.search_name, e.full_name, e.id LIMIT $4",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->employee_id),
	    worktime_date_iso(ctx, today), ctx_i64(ctx, TEAM_MAX));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(o, "full_name", PQgetvalue(res, i, 1));
		jsonx_set_str(o, "position", PQgetvalue(res, i, 2));
		jsonx_set_str(o, "department", PQgetvalue(res, i, 3));
		jsonx_set_bool(o, "absent_today", strcmp(PQgetvalue(res, i, 4), "t") == 0);
		json_object_array_add(items, o);
	}
	return 0;
}

/* The employee's whole-day absences (vacations, sick leaves, trips, ...)
 * from TEAM_PAST_DAYS ago to TEAM_AHEAD_DAYS ahead into card["absences"]. */
#define TEAM_PAST_DAYS  31
#define TEAM_AHEAD_DAYS 183
static int team_absences(struct ctx *ctx, int64_t id, json_object *card)
{
	json_object *list = json_object_new_array();
	int today = org_today(ctx);
	PGresult *res;

	json_object_object_add(card, "absences", list);
	if (today == DATE_NONE)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT code, date_from, date_to FROM deviations WHERE tenant_id = $1 AND "
	              "employee_id = $2 AND whole_day AND code <> 26 AND date_to >= $3::date AND "
	              "date_from <= $4::date ORDER BY date_from, id LIMIT 100",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id),
	              worktime_date_iso(ctx, today - TEAM_PAST_DAYS),
	              worktime_date_iso(ctx, today + TEAM_AHEAD_DAYS));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		const struct t13_code *c = t13_get(atoi(PQgetvalue(res, i, 0)));
		int from = worktime_pg_date(res, i, 1), to = worktime_pg_date(res, i, 2);
		json_object *o = json_object_new_object();
		jsonx_set_str(o, "code", c ? c->letter : "");
		jsonx_set_str(o, "title", worktime_document_title(c ? c->number : 0));
		jsonx_set_str(o, "date_from", worktime_date_iso(ctx, from));
		jsonx_set_str(o, "date_to", worktime_date_iso(ctx, to));
		jsonx_set_str(o, "date_from_ru", worktime_date_ru(ctx, from));
		jsonx_set_str(o, "date_to_ru", worktime_date_ru(ctx, to));
		jsonx_set_bool(o, "now", from <= today && today <= to);
		json_object_array_add(list, o);
	}
	return 0;
}

/* GET /api/team/{id}: the card as the staff pages show it (staff.card:
 * titles and Russian dates), with the absences around today; the pay
 * terms and the home address stay the administrator's (a manager sees the
 * personal file, not the pay) */
static int team_get(struct ctx *ctx)
{
	json_object *args = json_object_new_object(), *out;

	jsonx_set_int(args, "id", ctx->object_id);
	if (ctx_call(ctx, "staff.card", args, &out) < 0)
		return -1;
	if (out) {
		json_object_object_del(out, "pay");
		json_object_object_del(out, "address"); /* the home address: not the manager's */
		json_object_object_del(out, "user_id");
		json_object_object_del(out, "cabinet_state");
		json_object_object_del(out, "cabinet_state_title");
		ctx->result = out;
	}
	return team_absences(ctx, ctx->object_id, ctx_result(ctx));
}

static const struct op_arg team_id_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};

const struct op team_ops[] = {
    {"team.list", OP_EMPLOYEE, team_list, 0, args_none, WHO(WHO_MANAGER)},
    {"team.get", OP_EMPLOYEE, team_get, 0, team_id_args, WHO_ON(WHO_MANAGER, OBJ_EMPLOYEE, "id")},
    {NULL, 0, NULL, 0, NULL},
};
