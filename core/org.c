#include "org.h"

#include "date.h"
#include "jsonx.h"

#include <string.h>

const char *org_time_zone(struct ctx *ctx)
{
	(void)ctx; /* the staff issue: the organization's own setting */
	return "Europe/Moscow";
}

int org_today(struct ctx *ctx)
{
	PGresult *res =
	    ctx_sql(ctx, "SELECT (now() AT TIME ZONE $1)::date::text", org_time_zone(ctx));
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
	PGresult *res = ctx_sql(ctx,
	                        "SELECT name, nullif(btrim(settings->>'okpo'), '') FROM tenants "
	                        "WHERE id = $1",
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
