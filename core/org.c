#include "org.h"

#include "date.h"
#include "jsonx.h"

#include <stdlib.h>
#include <string.h>

const char *org_time_zone(struct ctx *ctx)
{
	PGresult *res;

	/* asked once per transaction: an operation may ask it for each
	 * statement it runs (settings.c forgets it when it changes it) */
	if (ctx->time_zone)
		return ctx->time_zone;
	res = ctx_sql0(ctx, "SELECT app_timezone()"); /* settings.h */
	if (res == NULL)
		return "Europe/Moscow";
	return ctx->time_zone = PQgetvalue(res, 0, 0);
}

int org_today(struct ctx *ctx)
{
	PGresult *res = ctx_sql0(ctx, "SELECT app_today()::text"); /* the debug clock too */
	int d;

	if (res == NULL)
		return DATE_NONE;
	if (date_parse(PQgetvalue(res, 0, 0), &d) < 0) {
		ctx_fail(ctx, PROTO_ERR_internal, NULL);
		return DATE_NONE;
	}
	return d;
}

json_object *org_details(struct ctx *ctx)
{
	/* the organization of the staff (sql/0040) when the tenant has exactly
	 * one; else the tenant as connected (its name; ОКПО if an operator set
	 * it in the tenant's settings) */
	PGresult *res = ctx_sql(ctx,
	                        "SELECT name, okpo, 0 AS k FROM organizations WHERE tenant_id = $1 "
	                        "AND (SELECT count(*) FROM organizations WHERE tenant_id = $1) = 1 "
	                        "UNION ALL SELECT name, nullif(btrim(settings->>'okpo'), ''), 1 "
	                        "FROM tenants WHERE id = $1 ORDER BY k LIMIT 1",
	                        ctx_i64(ctx, ctx->tenant_id));
	json_object *o;

	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		ctx_fail(ctx, PROTO_ERR_not_found, NULL);
		return NULL;
	}
	o = arena_own(ctx->arena, json_object_new_object());
	jsonx_set_str(o, "name", PQgetvalue(res, 0, 0));
	jsonx_set_str(o, "okpo", PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1));
	return o;
}

/* a column's text, NULL when SQL NULL or empty */
static const char *org_col(PGresult *res, int col)
{
	return PQgetisnull(res, 0, col) || !*PQgetvalue(res, 0, col) ? NULL
	                                                             : PQgetvalue(res, 0, col);
}

int org_of_employee(struct ctx *ctx, int64_t employee_id, struct org_info *out)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT coalesce(o.name, t.name), o.inn, o.kpp, coalesce(o.okpo, "
	    "nullif(btrim(t.settings->>'okpo'), '')), o.address, h.id, h.full_name, h.position "
	    "FROM employees e JOIN tenants t ON t.id = e.tenant_id LEFT JOIN departments d ON "
	    "d.tenant_id = e.tenant_id AND d.id = e.department_id LEFT JOIN organizations o ON "
	    "o.tenant_id = e.tenant_id AND o.id = coalesce(e.organization_id, d.organization_id, "
	    "(SELECT min(x.id) FROM organizations x WHERE x.tenant_id = e.tenant_id HAVING "
	    "count(*) = 1)) LEFT JOIN employees h ON h.tenant_id = o.tenant_id AND h.id = "
	    "o.head_id WHERE e.tenant_id = $1 AND e.id = $2",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee_id));

	memset(out, 0, sizeof(*out));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Сотрудник не найден");
	out->name = org_col(res, 0);
	out->inn = org_col(res, 1);
	out->kpp = org_col(res, 2);
	out->okpo = org_col(res, 3);
	out->address = org_col(res, 4);
	out->head_id = org_col(res, 5) ? atoll(org_col(res, 5)) : 0;
	out->head_name = org_col(res, 6);
	out->head_position = org_col(res, 7);
	return 0;
}
