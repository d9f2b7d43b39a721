/*
 * access.c - the check of an operation's declared access (access.h).
 */
#include "access.h"

#include "dispatch.h"
#include "jsonx.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	unsigned bit;
	const char *name;
} access_bits[] = {
    {WHO_USER, "user"},       {WHO_SELF, "self"},           {WHO_ASSIGNEE, "assignee"},
    {WHO_MANAGER, "manager"}, {WHO_PERFORMER, "performer"}, {WHO_ADMIN, "admin"},
    {WHO_GIVER, "giver"},
};

const char *access_bit_name(unsigned bit)
{
	for (size_t i = 0; i < sizeof(access_bits) / sizeof(access_bits[0]); i++)
		if (access_bits[i].bit == bit)
			return access_bits[i].name;
	return "unknown";
}

static const struct {
	const char *name;
	unsigned bits;    /* the relations this kind of object admits */
	const char *lost; /* the 404's text */
} access_objects[] = {
    [OBJ_NONE] = {"none",
                  WHO_USER | WHO_SELF | WHO_ASSIGNEE | WHO_MANAGER | WHO_PERFORMER | WHO_ADMIN |
                      WHO_GIVER,
                  NULL},
    [OBJ_EMPLOYEE] = {"employee", WHO_SELF | WHO_MANAGER | WHO_PERFORMER | WHO_ADMIN,
                      "Сотрудник не найден"},
    [OBJ_REQUEST] = {"request", WHO_SELF | WHO_ASSIGNEE | WHO_MANAGER | WHO_ADMIN,
                     "Заявка не найдена"},
    [OBJ_TASK] = {"task", WHO_ASSIGNEE | WHO_ADMIN, "Задача не найдена"},
    [OBJ_ATTACHMENT] = {"attachment", WHO_SELF | WHO_ASSIGNEE | WHO_MANAGER | WHO_ADMIN,
                        "Файл не найден"},
    [OBJ_SUBSTITUTE] = {"substitute", WHO_SELF | WHO_ADMIN, "Замещение не найдено"},
    [OBJ_HR_TASK] = {"hr_task", WHO_ASSIGNEE | WHO_GIVER | WHO_ADMIN, "Задание не найдено"},
};

const char *const access_scopes[] = {"staff", "payroll", "requests", "kpi", NULL};

const char *access_scope_title(const char *scope)
{
	static const char *const titles[][2] = {{"staff", "сотрудники и структура"},
	                                        {"payroll", "зарплата"},
	                                        {"requests", "заявки"},
	                                        {"kpi", "показатели эффективности"}};
	for (size_t i = 0; i < sizeof(titles) / sizeof(titles[0]); i++)
		if (strcmp(titles[i][0], scope) == 0)
			return titles[i][1];
	return scope;
}

/* 1 when scope is among the text[] literal's ("{staff,kpi}"): the names
 * are plain words, never quoted. */
static int access_scope_held(const char *held, const char *scope)
{
	size_t n = strlen(scope);

	for (const char *p = held; p && *p; p++) {
		if (*p == '{' || *p == ',')
			continue;
		if (strncmp(p, scope, n) == 0 && (p[n] == ',' || p[n] == '}'))
			return 1;
		p += strcspn(p, ",}");
		if (*p == '\0')
			break;
	}
	return 0;
}

/* OP_EXCHANGE: the key holds the row's scope, or 403 naming it. */
static int access_check_scope(struct ctx *ctx)
{
	const char *scope = ctx->op->scope;

	if (scope == NULL || strcmp(scope, ACCESS_SCOPE_ANY) == 0 ||
	    access_scope_held(ctx->api_key_scopes, scope))
		return 0;
	return ctx_fail(ctx, PROTO_ERR_forbidden,
	                "Ключ API «%s» не даёт доступа к разделу «%s» (%s): администратор "
	                "выбирает разделы ключа при его создании на странице «Ключи API»",
	                ctx->api_key_name ? ctx->api_key_name : "", access_scope_title(scope),
	                scope);
}

unsigned access_object_bits(enum who_object object)
{
	return access_objects[object].bits;
}

const char *access_object_name(enum who_object object)
{
	return access_objects[object].name;
}

int access_load_roles(struct ctx *ctx)
{
	PGresult *res;

	if (ctx->roles & ROLE_LOADED)
		return 0;
	ctx->roles |= ROLE_LOADED;
	if (ctx->employee_id == 0)
		return 0;
	res = ctx_sql(
	    ctx,
	    "SELECT EXISTS (SELECT 1 FROM departments WHERE tenant_id = $1 AND head_id = $2) "
	    "OR EXISTS (SELECT 1 FROM organizations WHERE tenant_id = $1 AND head_id = $2), "
	    "EXISTS (SELECT 1 FROM routing_performers WHERE tenant_id = $1 AND "
	    "employee_id = $2)",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->employee_id));
	if (res == NULL)
		return -1;
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0)
		ctx->roles |= ROLE_MANAGER;
	if (strcmp(PQgetvalue(res, 0, 1), "t") == 0)
		ctx->roles |= ROLE_PERFORMER;
	return 0;
}

/* 1 when the caller holds the role of the bit, 0 if not, -1 on failure. */
static int access_has_role(struct ctx *ctx, unsigned bit)
{
	switch (bit) {
	case WHO_USER:
		return ctx->user_id != 0;
	case WHO_SELF:
	case WHO_ASSIGNEE:
		return ctx->employee_id != 0;
	case WHO_ADMIN:
		return (ctx->roles & ROLE_ADMIN) != 0;
	case WHO_GIVER:
		if (ctx->roles & ROLE_ADMIN)
			return 1;
		if (ctx->employee_id == 0)
			return 0;
		if (access_load_roles(ctx) < 0)
			return -1;
		return (ctx->roles & (ROLE_MANAGER | ROLE_PERFORMER)) != 0;
	case WHO_MANAGER:
	case WHO_PERFORMER:
		if (ctx->employee_id == 0)
			return 0;
		if (access_load_roles(ctx) < 0)
			return -1;
		return (ctx->roles & (bit == WHO_MANAGER ? ROLE_MANAGER : ROLE_PERFORMER)) != 0;
	}
	return 0;
}

int access_in_charge(struct ctx *ctx, int64_t manager, int64_t employee)
{
	PGresult *res;

	if (manager == 0 || employee == 0 || manager == employee)
		return 0;
	res =
	    ctx_sql(ctx,
	            "WITH RECURSIVE charge AS (SELECT id FROM departments WHERE tenant_id = $1 "
	            "AND head_id = $2 UNION SELECT d.id FROM departments d JOIN charge c ON "
	            "d.tenant_id = $1 AND d.parent_id = c.id) "
	            "SELECT EXISTS (SELECT 1 FROM employees e WHERE e.tenant_id = $1 AND e.id = $3 "
	            "AND (e.department_id IN (SELECT id FROM charge) OR e.organization_id IN "
	            "(SELECT id FROM organizations WHERE tenant_id = $1 AND head_id = $2)))",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, manager), ctx_i64(ctx, employee));
	if (res == NULL)
		return -1;
	return strcmp(PQgetvalue(res, 0, 0), "t") == 0;
}

/* The object: whether it exists in the tenant, whose it is, whether a
 * task of it is (or was) the caller's, whether the caller gave it (an HR
 * task), whether it is a draft, and whether
 * the owner's manager has a part in it (a request, or its file, whose chain
 * has a "manager" step: the approvals of vacations, absences and business
 * trips by default; never personal data, tax deductions, certificates or
 * questions unless an administrator's chain asks the manager). 1 found, 0
 * not, -1 failure. */
static int access_resolve(struct ctx *ctx, enum who_object object, int64_t id, int64_t *owner,
                          int *assigned, int *gave, int *draft, int *managed)
{
	const char *tenant = ctx_i64(ctx, ctx->tenant_id), *oid = ctx_i64(ctx, id);
	const char *me = ctx_i64(ctx, ctx->employee_id);
	PGresult *res = NULL;

	*owner = 0;
	*assigned = 0;
	*gave = 0;
	*draft = 0;
	*managed = 1;
	switch (object) {
	case OBJ_NONE:
		return 1;
	case OBJ_EMPLOYEE:
		res = ctx_sql(
		    ctx, "SELECT id, false, false FROM employees WHERE tenant_id = $1 AND id = $2",
		    tenant, oid);
		break;
	case OBJ_REQUEST:
		res = ctx_sql(ctx,
		              "SELECT r.employee_id, EXISTS (SELECT 1 FROM request_tasks t WHERE "
		              "t.tenant_id = $1 AND t.request_id = r.id AND t.assignee_id = $3), "
		              "r.state = 'draft', 'manager' = ANY (r.chain) FROM requests r WHERE "
		              "r.tenant_id = $1 AND r.id = $2",
		              tenant, oid, me);
		break;
	case OBJ_TASK:
		/* an HR task has no request: it is its assignee's */
		res = ctx_sql(
		    ctx,
		    "SELECT coalesce(r.employee_id, t.assignee_id), t.assignee_id = $3, "
		    "false FROM request_tasks t LEFT JOIN requests r ON r.tenant_id = "
		    "t.tenant_id AND r.id = t.request_id WHERE t.tenant_id = $1 AND t.id = $2",
		    tenant, oid, me);
		break;
	case OBJ_HR_TASK:
		/* the giver by their user: an administrator without an employee
		 * record gives tasks too */
		res = ctx_sql(ctx,
		              "SELECT assignee_id, assignee_id = $3, false, false, given_by = $4 "
		              "FROM request_tasks WHERE tenant_id = $1 AND id = $2 AND step = "
		              "'hr_task'",
		              tenant, oid, me, ctx_i64(ctx, ctx->user_id));
		break;
	case OBJ_ATTACHMENT:
		res = ctx_sql(
		    ctx,
		    "SELECT r.employee_id, EXISTS (SELECT 1 FROM request_tasks t WHERE "
		    "t.tenant_id = $1 AND t.request_id = r.id AND t.assignee_id = $3), "
		    "r.state = 'draft', 'manager' = ANY (r.chain) FROM request_files f JOIN "
		    "requests r ON r.tenant_id = "
		    "f.tenant_id AND r.id = f.request_id WHERE f.tenant_id = $1 AND f.id = $2",
		    tenant, oid, me);
		break;
	case OBJ_SUBSTITUTE:
		res = ctx_sql(
		    ctx,
		    "SELECT employee_id, false, false FROM substitutes WHERE tenant_id = $1 "
		    "AND id = $2",
		    tenant, oid);
		break;
	}
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	*owner = atoll(PQgetvalue(res, 0, 0));
	*assigned = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	*draft = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	if (PQnfields(res) > 3)
		*managed = strcmp(PQgetvalue(res, 0, 3), "t") == 0;
	if (PQnfields(res) > 4)
		*gave = strcmp(PQgetvalue(res, 0, 4), "t") == 0;
	return 1;
}

/* The bits of the row, with the administrator's implied by OP_ADMIN; 0
 * for access levels without a user. */
static unsigned access_row_bits(const struct op *op)
{
	if (op->access == OP_ADMIN)
		return op->who.bits | WHO_ADMIN;
	if (op->access == OP_EMPLOYEE)
		return op->who.bits;
	return 0;
}

int access_check_role(struct ctx *ctx)
{
	unsigned bits = access_row_bits(ctx->op), held = 0;
	int r;

	ctx->who_held = 0;
	if (ctx->op->access == OP_EXCHANGE)
		return access_check_scope(ctx);
	if (bits == 0)
		return 0; /* no user to check: anyone, tenant, operator */
	for (size_t i = 0; i < sizeof(access_bits) / sizeof(access_bits[0]); i++) {
		if (!(bits & access_bits[i].bit))
			continue;
		if ((r = access_has_role(ctx, access_bits[i].bit)) < 0)
			return -1;
		if (r)
			held |= access_bits[i].bit;
	}
	if (held == 0)
		return ctx_fail(ctx, PROTO_ERR_forbidden, NULL);
	ctx->who_held = held;
	/* without an object, the first role held (the cheapest first) */
	ctx->who_matched = held & -held;
	return 0;
}

int access_check_object(struct ctx *ctx)
{
	const struct op_who *who = &ctx->op->who;
	unsigned held = ctx->who_held;
	json_object *v;
	int64_t id, owner;
	int assigned, gave, draft, managed, r;

	if (access_row_bits(ctx->op) == 0 || who->object == OBJ_NONE)
		return 0;
	ctx->who_matched = 0;
	/* an argument that failed its declaration answers 422 before the
	 * object is looked at (it tells nothing about the object), and the
	 * handler does not run on an unchecked object */
	if (ctx->error_fields && json_object_object_length(ctx->error_fields) > 0)
		return -1;
	/* the object, named by a declared argument the dispatcher checked */
	v = jsonx_get(ctx->args, who->arg);
	if (v == NULL || !json_object_is_type(v, json_type_int))
		return ctx_field_code(ctx, who->arg, "required", "Обязательное поле");
	id = json_object_get_int64(v);
	if ((r = access_resolve(ctx, who->object, id, &owner, &assigned, &gave, &draft,
	                        &managed)) <= 0)
		return r < 0 ? -1
		             : ctx_fail(ctx, PROTO_ERR_not_found, "%s",
		                        access_objects[who->object].lost);
	if (who->not_self && ctx->employee_id && owner == ctx->employee_id)
		return ctx_field_code(ctx, who->arg, "self", "%s", who->not_self);
	ctx->object_id = id;
	ctx->object_employee_id = owner;
	if ((held & WHO_SELF) && owner == ctx->employee_id)
		ctx->who_matched = WHO_SELF;
	else if ((held & WHO_ASSIGNEE) && assigned)
		ctx->who_matched = WHO_ASSIGNEE;
	else if ((held & WHO_GIVER) && gave)
		ctx->who_matched = WHO_GIVER;
	else if ((held & WHO_ADMIN))
		ctx->who_matched = WHO_ADMIN;
	else if ((held & WHO_PERFORMER) && (access_objects[who->object].bits & WHO_PERFORMER))
		ctx->who_matched = WHO_PERFORMER;
	else if ((held & WHO_MANAGER) && !draft && managed) {
		if ((r = access_in_charge(ctx, ctx->employee_id, owner)) < 0)
			return -1;
		if (r)
			ctx->who_matched = WHO_MANAGER;
	}
	if (ctx->who_matched == 0) {
		ctx->object_id = 0;
		ctx->object_employee_id = 0;
		return ctx_fail(ctx, PROTO_ERR_not_found, "%s", access_objects[who->object].lost);
	}
	return 0;
}

const char *access_row_error(const struct op *op)
{
	const struct op_who *who = &op->who;
	const struct op_arg *a;

	if (op->access == OP_EXCHANGE) {
		int known = op->scope && strcmp(op->scope, ACCESS_SCOPE_ANY) == 0;
		for (size_t i = 0; op->scope && access_scopes[i]; i++)
			known |= strcmp(access_scopes[i], op->scope) == 0;
		if (!known)
			return op->scope ? "unknown_scope" : "exchange_without_scope";
	} else if (op->scope) {
		return "scope_without_exchange";
	}
	if (op->access == OP_EMPLOYEE && who->bits == 0)
		return "no_declared_access";
	if (op->access != OP_EMPLOYEE && op->access != OP_ADMIN && (who->bits || who->object))
		return "access_without_user";
	if (op->access == OP_ADMIN && (who->bits & ~WHO_ADMIN))
		return "admin_row_with_other_roles";
	if (who->object == OBJ_NONE)
		return who->arg ? "object_arg_without_object" : NULL;
	if ((who->bits | (op->access == OP_ADMIN ? WHO_ADMIN : 0)) &
	    ~access_object_bits(who->object))
		return "relation_not_of_object";
	if (who->arg == NULL)
		return "object_without_arg";
	for (a = op->args; a && a->name; a++)
		if (strcmp(a->name, who->arg) == 0)
			return a->type == ARG_INT && (a->flags & ARG_REQUIRED)
			           ? NULL
			           : "object_arg_not_required_int";
	return "object_arg_not_declared";
}
