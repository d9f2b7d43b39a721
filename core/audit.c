#include "audit.h"

#include "jsonx.h"

#include <string.h>

int audit_log(struct ctx *ctx, const char *action, int success, const char *object_type,
	      const char *object_id, json_object *details)
{
	const char *ip = jsonx_get_str(ctx->auth, "ip");
	const char *kind = ctx->user_id		    ? "user"
			   : ctx->op->access == OP_OPERATOR ? "operator"
							    : "anonymous";
	PGresult *res;

	if (details == NULL)
		details = json_object_new_object();
	arena_own(ctx->arena, details);
	res = ctx_sql(ctx,
		      "INSERT INTO audit_log (tenant_id, actor_kind, actor_user_id, action, success, "
		      "object_type, object_id, ip, details) VALUES ($1, $2, nullif($3, '0')::bigint, "
		      "$4, $5, $6, $7, nullif($8, '')::inet, $9::jsonb)",
		      ctx_i64(ctx, ctx->tenant_id), kind, ctx_i64(ctx, ctx->user_id), action,
		      success ? "true" : "false", object_type, object_id,
		      ip && (strchr(ip, '.') || strchr(ip, ':')) ? ip : "", jsonx_dump(details, NULL));
	return res ? 0 : -1;
}
