/*
 * auth.c - accounts: who am I, sign-in, sign-out, one-time codes,
 * activation, passwords, administrator rights.
 */
#include "audit.h"
#include "jsonx.h"
#include "ops.h"
#include "session.h"

#include <stdlib.h>

/* GET /api/me: the signed-in user, their roles and their organization. */
static int auth_me(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx), *user, *roles, *tenant;
	PGresult *res;

	res = ctx_sql(ctx,
		      "SELECT u.id, u.full_name, u.email, u.phone, u.login, u.employee_id, t.subdomain, "
		      "t.name FROM users u JOIN tenants t ON t.id = u.tenant_id "
		      "WHERE u.tenant_id = $1 AND u.id = $2",
		      ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->user_id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		return ctx_fail(ctx, PROTO_ERR_unauthorized, NULL);
	user = json_object_new_object();
	jsonx_set_int(user, "id", ctx->user_id);
	jsonx_set_str(user, "full_name", PQgetvalue(res, 0, 1));
	jsonx_set_str(user, "email", PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2));
	jsonx_set_str(user, "phone", PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3));
	jsonx_set_str(user, "login", PQgetisnull(res, 0, 4) ? NULL : PQgetvalue(res, 0, 4));
	if (PQgetisnull(res, 0, 5))
		json_object_object_add(user, "employee_id", NULL);
	else
		jsonx_set_int(user, "employee_id", atoll(PQgetvalue(res, 0, 5)));
	json_object_object_add(r, "user", user);
	roles = json_object_new_array();
	json_object_array_add(roles, json_object_new_string("employee"));
	if (ctx->roles & ROLE_ADMIN)
		json_object_array_add(roles, json_object_new_string("admin"));
	json_object_object_add(r, "roles", roles);
	tenant = json_object_new_object();
	jsonx_set_str(tenant, "subdomain", PQgetvalue(res, 0, 6));
	jsonx_set_str(tenant, "name", PQgetvalue(res, 0, 7));
	json_object_object_add(r, "tenant", tenant);
	return 0;
}

/* POST /api/auth/logout */
static int auth_logout(struct ctx *ctx)
{
	if (session_close(ctx) < 0)
		return -1;
	jsonx_set_bool(ctx_result(ctx), "signed_out", 1);
	return audit_log(ctx, "auth.logout", 1, "user", ctx_i64(ctx, ctx->user_id), NULL);
}

const struct op auth_ops[] = {
	{"auth.me", OP_EMPLOYEE, auth_me, 0},
	{"auth.logout", OP_EMPLOYEE, auth_logout, OP_WRITE},
	{NULL, 0, NULL, 0},
};
