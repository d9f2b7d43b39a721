/*
 * structure_forms.c - organizations, departments and positions made and
 * changed on the admin pages (or through the admin API), for an
 * organization without an accounting system. Each save is one item of the
 * exchange's own upsert (exchange_admin_save): the same checks, the same
 * "unchanged", objects made here get the external id local-<id>, so a
 * later exchange can refer to them. Operations in structure_form_ops
 * (ops.h).
 *
 *   POST /api/admin/organizations, PUT /api/admin/organizations/{id}
 *       {"name", "inn"?, "kpp"?, "okpo"?, "address"?, "head_id"? | "head"?}
 *   POST /api/admin/departments, PUT /api/admin/departments/{id}
 *       {"name", "organization_id"?, "parent_id"? | "parent"?, "head_id"? | "head"?}
 *   POST /api/admin/positions, PUT /api/admin/positions/{id} {"name"}
 *   -> 201 (new) or 200 {"id", "created", "updated", "unchanged"}
 *
 * The head is an employee: head_id, or head as a person types it (full
 * name, personnel number or the picker's label; worktime_arg_employee).
 * The parent is a department: parent_id, or parent as its name (any case)
 * or external id. An empty field clears the value (the name cannot be
 * cleared); a field left out keeps it. Field errors are named as the
 * form's fields (head, parent, organization_id, inn, ...).
 */
#include "audit.h"
#include "dispatch.h"
#include "exchange.h"
#include "jsonx.h"
#include "ops.h"
#include "worktime.h"

#include <stdlib.h>
#include <string.h>

enum sf_kind { SF_ORG, SF_DEP, SF_POS };

static const char *const sf_tables[] = {"organizations", "departments", "positions"};
static const char *const sf_objects[] = {"organization", "department", "position"};
static const enum exchange_kind sf_kinds[] = {EXCHANGE_ORGANIZATIONS, EXCHANGE_DEPARTMENTS,
                                              EXCHANGE_POSITIONS};

/* The external id of the tenant's row id of table; NULL with *found = 0
 * when there is none. NULL with ctx->error set on a database failure. */
static const char *sf_ext(struct ctx *ctx, const char *table, const char *id, int *found)
{
	PGresult *res =
	    ctx_sql(ctx,
	            arena_printf(
	                ctx->arena,
	                "SELECT external_id FROM %s WHERE tenant_id = $1 AND id::text = $2", table),
	            ctx_i64(ctx, ctx->tenant_id), id);

	*found = 0;
	if (res == NULL || PQntuples(res) == 0)
		return NULL;
	*found = 1;
	return arena_strdup(ctx->arena, PQgetvalue(res, 0, 0));
}

/* Is the argument given (a form sends empty fields: given, to clear)? */
static int sf_given(struct ctx *ctx, const char *name)
{
	return jsonx_get(ctx->args, name) != NULL;
}

/* An argument as text, whether a form's string or a JSON number. */
static const char *sf_arg(struct ctx *ctx, const char *name)
{
	json_object *v = jsonx_get(ctx->args, name);

	return v == NULL || json_object_is_type(v, json_type_null) ? NULL
	                                                           : json_object_get_string(v);
}

static int sf_empty(struct ctx *ctx, const char *name)
{
	const char *v = sf_arg(ctx, name);

	return v == NULL || *v == '\0';
}

/* item.head from head_id or the typed head; left out when neither is sent. */
static void sf_head(struct ctx *ctx, json_object *item)
{
	int64_t emp = 0;
	int found;
	const char *ext;

	if (!sf_given(ctx, "head_id") && !sf_given(ctx, "head"))
		return;
	if (sf_empty(ctx, "head_id") && sf_empty(ctx, "head")) {
		json_object_object_add(item, "head", NULL);
		return;
	}
	if (worktime_arg_employee(ctx, "head_id", "head", 0, &emp) < 0 || emp == 0)
		return;
	ext = sf_ext(ctx, "employees", ctx_i64(ctx, emp), &found);
	if (!found) {
		if (ctx->error < 0)
			ctx_field_code(ctx, "head", "not_found", "Сотрудник не найден");
		return;
	}
	jsonx_set_str(item, "head", ext);
}

/* item.parent from parent_id or the typed name; left out when neither. */
static void sf_parent(struct ctx *ctx, json_object *item)
{
	const char *text = jsonx_get_str(ctx->args, "parent"), *ext;
	PGresult *res;
	int found;

	if (!sf_given(ctx, "parent_id") && !sf_given(ctx, "parent"))
		return;
	if (!sf_empty(ctx, "parent_id")) {
		ext = sf_ext(ctx, "departments", sf_arg(ctx, "parent_id"), &found);
		if (found)
			jsonx_set_str(item, "parent", ext);
		else if (ctx->error < 0)
			ctx_field_code(ctx, "parent", "not_found", "Подразделение не найдено");
		return;
	}
	if (text == NULL || *text == '\0') {
		json_object_object_add(item, "parent", NULL);
		return;
	}
	res = ctx_sql(ctx,
	              "SELECT external_id FROM departments WHERE tenant_id = $1 AND "
	              "(external_id = btrim($2) OR lower(regexp_replace(btrim(name), '\\s+', ' ', "
	              "'g')) = lower(regexp_replace(btrim($2), '\\s+', ' ', 'g'))) "
	              "ORDER BY (external_id = btrim($2)) DESC, id LIMIT 2",
	              ctx_i64(ctx, ctx->tenant_id), text);
	if (res == NULL)
		return;
	if (PQntuples(res) == 0)
		ctx_field_code(ctx, "parent", "not_found",
		               "Подразделение «%s» не найдено: выберите его из подсказок", text);
	else if (PQntuples(res) > 1 && strcmp(PQgetvalue(res, 0, 0), text) != 0)
		ctx_field_code(ctx, "parent", "ambiguous",
		               "Подразделений «%s» несколько: выберите нужное из подсказок", text);
	else
		jsonx_set_str(item, "parent", PQgetvalue(res, 0, 0));
}

/* A text field: "" clears it, left out keeps it. */
static void sf_text(struct ctx *ctx, json_object *item, const char *name)
{
	json_object *v = jsonx_get(ctx->args, name);

	if (v == NULL)
		return;
	if (sf_empty(ctx, name))
		json_object_object_add(item, name, NULL);
	else
		json_object_object_add(item, name, json_object_get(v));
}

static int sf_save(struct ctx *ctx, enum sf_kind kind)
{
	json_object *item = arena_own(ctx->arena, json_object_new_object()), *f;
	struct exchange_counts c;
	const char *ext = NULL;
	int64_t id = 0;

	if (sf_given(ctx, "id")) {
		int found;
		ext = sf_ext(ctx, sf_tables[kind], sf_arg(ctx, "id"), &found);
		if (!found)
			return ctx->error >= 0
			           ? -1
			           : ctx_fail(ctx, PROTO_ERR_not_found,
			                      kind == SF_ORG ? "Организация не найдена"
			                      : kind == SF_DEP ? "Подразделение не найдено"
			                                       : "Должность не найдена");
		jsonx_set_str(item, "external_id", ext);
	}
	/* the name: required, and not blank (the exchange's own check is for
	 * an item's key left out or null) */
	if (sf_given(ctx, "name") || ext == NULL) {
		const char *name = sf_arg(ctx, "name");
		if (name == NULL || name[strspn(name, " \t")] == '\0')
			ctx_field_code(ctx, "name", "required", "Укажите наименование");
		else
			sf_text(ctx, item, "name");
	}
	if (kind == SF_ORG) {
		static const char *const keys[] = {"inn", "kpp", "okpo", "address"};
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			sf_text(ctx, item, keys[k]);
	}
	if (kind != SF_POS)
		sf_head(ctx, item);
	if (kind == SF_DEP) {
		sf_parent(ctx, item);
		if (sf_given(ctx, "organization_id")) {
			int found;
			const char *org;
			if (sf_empty(ctx, "organization_id")) {
				json_object_object_add(item, "organization", NULL);
			} else {
				org = sf_ext(ctx, "organizations", sf_arg(ctx, "organization_id"),
				             &found);
				if (found)
					jsonx_set_str(item, "organization", org);
				else if (ctx->error < 0)
					ctx_field_code(ctx, "organization_id", "not_found",
					               "Организация не найдена");
			}
		}
	}
	if (ctx->error >= 0)
		return -1;
	if (exchange_admin_save(ctx, sf_kinds[kind], item, &c, &id) < 0) {
		/* the organization is the form's select */
		f = ctx->error_fields;
		if (f && jsonx_get(f, "organization") && !jsonx_get(f, "organization_id"))
			json_object_object_add(f, "organization_id",
			                       json_object_get(jsonx_get(f, "organization")));
		return -1;
	}
	if (c.created + c.updated > 0 &&
	    audit_log(ctx,
	              arena_printf(ctx->arena, "staff.%s_%s", sf_objects[kind],
	                           c.created ? "created" : "updated"),
	              1, sf_objects[kind], ctx_i64(ctx, id), NULL) < 0)
		return -1;
	jsonx_set_int(ctx_result(ctx), "id", id);
	jsonx_set_int(ctx_result(ctx), "created", c.created);
	jsonx_set_int(ctx_result(ctx), "updated", c.updated);
	jsonx_set_int(ctx_result(ctx), "unchanged", c.unchanged);
	if (c.created)
		ctx->status = 201;
	return 0;
}

static int sf_org_save(struct ctx *ctx)
{
	return sf_save(ctx, SF_ORG);
}

static int sf_dep_save(struct ctx *ctx)
{
	return sf_save(ctx, SF_DEP);
}

static int sf_pos_save(struct ctx *ctx)
{
	return sf_save(ctx, SF_POS);
}

/* ---- the forms' data ---- */

/* An employee's full name by row id (NULL: none): the head field of an
 * edit form (its hidden head_id names the person; the name alone fits a
 * phone's field, the picker's label with the number may not). */
static const char *sf_person(struct ctx *ctx, PGresult *res, int col)
{
	PGresult *p;

	if (PQgetisnull(res, 0, col))
		return NULL;
	p = ctx_sql(ctx, "SELECT full_name FROM employees WHERE tenant_id = $1 AND id = $2",
	            ctx_i64(ctx, ctx->tenant_id), PQgetvalue(res, 0, col));
	if (p == NULL || PQntuples(p) == 0)
		return NULL;
	return arena_strdup(ctx->arena, PQgetvalue(p, 0, 0));
}

/* GET the add or edit form: {"id"?, "values": {...}, "organizations": [...],
 * "organization_id": the chosen one}. */
static int sf_form(struct ctx *ctx, enum sf_kind kind)
{
	static const char *const sql[] = {
	    "SELECT name, inn, kpp, okpo, address, head_id FROM organizations WHERE tenant_id = $1 "
	    "AND id = $2",
	    "SELECT d.name, d.organization_id, p.name, d.parent_id, d.head_id FROM departments d "
	    "LEFT JOIN departments p ON p.tenant_id = d.tenant_id AND p.id = d.parent_id WHERE "
	    "d.tenant_id = $1 AND d.id = $2",
	    "SELECT name FROM positions WHERE tenant_id = $1 AND id = $2",
	};
	json_object *r = ctx_result(ctx), *v = json_object_new_object();
	const char *sel = sf_arg(ctx, "organization_id");
	int64_t id = 0;

	json_object_object_add(r, "values", v);
	if (jsonx_get_int64(ctx->args, "id", &id) == 0) {
		PGresult *res =
		    ctx_sql(ctx, sql[kind], ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
		if (res == NULL)
			return -1;
		if (PQntuples(res) == 0)
			return ctx_fail(ctx, PROTO_ERR_not_found,
			                kind == SF_ORG ? "Организация не найдена"
			                : kind == SF_DEP ? "Подразделение не найдено"
			                                 : "Должность не найдена");
		jsonx_set_int(r, "id", id);
		jsonx_set_str(v, "name", PQgetvalue(res, 0, 0));
		if (kind == SF_ORG) {
			static const char *const keys[] = {"inn", "kpp", "okpo", "address"};
			for (int k = 0; k < 4; k++)
				jsonx_set_str(
				    v, keys[k],
				    PQgetisnull(res, 0, k + 1) ? NULL : PQgetvalue(res, 0, k + 1));
			jsonx_set_str(v, "head", sf_person(ctx, res, 5));
			jsonx_set_str(v, "head_id",
			              PQgetisnull(res, 0, 5) ? NULL : PQgetvalue(res, 0, 5));
		} else if (kind == SF_DEP) {
			if (sel == NULL && !PQgetisnull(res, 0, 1))
				sel = arena_strdup(ctx->arena, PQgetvalue(res, 0, 1));
			jsonx_set_str(v, "parent",
			              PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2));
			jsonx_set_str(v, "parent_id",
			              PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3));
			jsonx_set_str(v, "head", sf_person(ctx, res, 4));
			jsonx_set_str(v, "head_id",
			              PQgetisnull(res, 0, 4) ? NULL : PQgetvalue(res, 0, 4));
		}
	} else if (kind == SF_ORG) {
		/* the first organization: the name given at the connection */
		PGresult *res =
		    ctx_sql(ctx,
		            "SELECT t.name FROM tenants t WHERE t.id = $1 AND NOT EXISTS "
		            "(SELECT 1 FROM organizations o WHERE o.tenant_id = $1)",
		            ctx_i64(ctx, ctx->tenant_id));
		if (res == NULL)
			return -1;
		if (PQntuples(res))
			jsonx_set_str(v, "name", PQgetvalue(res, 0, 0));
	}
	if (kind == SF_DEP) {
		PGresult *orgs = ctx_sql(
		    ctx,
		    "SELECT id, name FROM organizations WHERE tenant_id = $1 ORDER BY name, id",
		    ctx_i64(ctx, ctx->tenant_id));
		json_object *ol = json_object_new_array();
		json_object_object_add(r, "organizations", ol);
		if (orgs == NULL)
			return -1;
		for (int i = 0; i < PQntuples(orgs); i++) {
			json_object *o = json_object_new_object();
			jsonx_set_int(o, "id", atoll(PQgetvalue(orgs, i, 0)));
			jsonx_set_str(o, "name", PQgetvalue(orgs, i, 1));
			json_object_array_add(ol, o);
		}
		/* the one the select shows chosen (the template marks it): the
		 * refused form's, the stored one, or for a new department the
		 * only organization, the obvious one */
		if (sel == NULL && id == 0 && PQntuples(orgs) == 1)
			sel = PQgetvalue(orgs, 0, 0);
		jsonx_set_str(r, "organization_id", sel);
	}
	return 0;
}

static int sf_org_form(struct ctx *ctx)
{
	return sf_form(ctx, SF_ORG);
}

static int sf_dep_form(struct ctx *ctx)
{
	return sf_form(ctx, SF_DEP);
}

static int sf_pos_form(struct ctx *ctx)
{
	return sf_form(ctx, SF_POS);
}

/* Lengths as the tables' checks (sql/0040_staff.sql); the forms of values
 * (ИНН of 10 or 12 digits, ...) are the exchange's checks. */
#define SF_NAME                                                                                    \
	{                                                                                          \
		"name", ARG_STR, 0, .max = 300                                                     \
	}
#define SF_HEAD                                                                                    \
	{"head_id", ARG_INT, ARG_EMPTY, .min = 1, .max = INT64_MAX},                               \
	{                                                                                          \
		"head", ARG_STR, 0, .max = 400                                                     \
	}
static const struct op_arg sf_org_args[] = {
    ARG_ROW_ID("id", 0),
    SF_NAME,
    {"inn", ARG_STR, 0, .max = 12},
    {"kpp", ARG_STR, 0, .max = 9},
    {"okpo", ARG_STR, 0, .max = 10},
    {"address", ARG_STR, 0, .max = 500},
    SF_HEAD,
    ARG_END,
};
static const struct op_arg sf_dep_args[] = {
    ARG_ROW_ID("id", 0),
    SF_NAME,
    {"organization_id", ARG_INT, ARG_EMPTY, .min = 1, .max = INT64_MAX},
    {"parent_id", ARG_INT, ARG_EMPTY, .min = 1, .max = INT64_MAX},
    {"parent", ARG_STR, 0, .max = 300},
    SF_HEAD,
    ARG_END,
};
static const struct op_arg sf_pos_args[] = {ARG_ROW_ID("id", 0), SF_NAME, ARG_END};
static const struct op_arg sf_form_args[] = {
    ARG_ROW_ID("id", 0),
    {"organization_id", ARG_INT, ARG_EMPTY, .min = 1, .max = INT64_MAX},
    ARG_END,
};

const struct op structure_form_ops[] = {
    {"structure.organization_save", OP_ADMIN, sf_org_save, OP_WRITE, sf_org_args},
    {"structure.department_save", OP_ADMIN, sf_dep_save, OP_WRITE, sf_dep_args},
    {"structure.position_save", OP_ADMIN, sf_pos_save, OP_WRITE, sf_pos_args},
    {"structure.organization_form", OP_ADMIN, sf_org_form, 0, sf_form_args},
    {"structure.department_form", OP_ADMIN, sf_dep_form, 0, sf_form_args},
    {"structure.position_form", OP_ADMIN, sf_pos_form, 0, sf_form_args},
    {NULL, 0, NULL, 0, NULL},
};
