#include "org.h"

#include "date.h"
#include "jsonx.h"

#include <string.h>

const char *org_time_zone(struct ctx *ctx)
{
	PGresult *res = ctx_sql0(ctx, "SELECT app_timezone()"); /* settings.h */

	return res ? PQgetvalue(res, 0, 0) : "Europe/Moscow";
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
