/*
 * team.c - a manager's staff (seed 003: "руководитель видит личные дела
 * подчинённых"): the people in their charge and each one's card with the
 * personal file.
 *
 *   GET /api/team             -> {"items": [{"id", "full_name", "position",
 *                                 "department", "absent_today"}]}
 *   GET /api/team/{id}        -> the card as GET /api/admin/employees/{id}
 *
 * In charge (access.h, WHO_MANAGER): the employees of the departments the
 * manager heads, with their sub-departments, and of the organizations they
 * head. The card's SNILS and INN stay masked (staff.h).
 */
#include "date.h"
#include "jsonx.h"
#include "ops.h"
#include "org.h"
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
	    "$1 AND head_id = $2)) ORDER BY e.full_name, e.id LIMIT $4",
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

/* GET /api/team/{id}: the card, by the staff's own operation */
static int team_get(struct ctx *ctx)
{
	json_object *args = json_object_new_object(), *out;

	jsonx_set_int(args, "id", ctx->object_id);
	if (ctx_call(ctx, "staff.get", args, &out) < 0)
		return -1;
	if (out)
		ctx->result = out;
	return 0;
}

static const struct op_arg team_id_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};

const struct op team_ops[] = {
    {"team.list", OP_EMPLOYEE, team_list, 0, args_none, WHO(WHO_MANAGER)},
    {"team.get", OP_EMPLOYEE, team_get, 0, team_id_args, WHO_ON(WHO_MANAGER, OBJ_EMPLOYEE, "id")},
    {NULL, 0, NULL, 0, NULL},
};
