/*
 * deductions.c - the standard child deductions of НДФЛ an employee has
 * applied for (table ndfl_children, sql/0031_ndfl_children.sql), kept by
 * the administrator and read by the monthly payroll (payrun.c).
 *
 *   GET /api/admin/employees/{id}/ndfl-children
 *   PUT /api/admin/employees/{id}/ndfl-children
 *       {"children": [{"order": 1, "disabled": false, "sole_parent": false,
 *                      "from": "2025-01-01", "to": null}]}
 * PUT replaces the employee's whole list (audited). A payroll already
 * computed is not changed: recalculate the month. A change touching a closed
 * payroll month is refused (423), as for the other payroll inputs.
 */
#include "audit.h"
#include "date.h"
#include "jsonx.h"
#include "ops.h"
#include "payrun.h"
#include "worktime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEDUCTIONS_MAX_CHILDREN 20

static int deductions_employee(struct ctx *ctx, int64_t *id)
{
	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, id) < 0)
		return -1;
	return worktime_employee_check(ctx, *id, ctx->op->flags & OP_WRITE);
}

static int deductions_list(struct ctx *ctx, int64_t id)
{
	PGresult *res = ctx_sql(ctx,
	                        "SELECT child_order, disabled, sole_parent, date_from, date_to "
	                        "FROM ndfl_children WHERE tenant_id = $1 AND employee_id = $2 "
	                        "ORDER BY child_order",
	                        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	json_object *list;

	if (res == NULL)
		return -1;
	list = json_object_new_array();
	jsonx_set_int(ctx_result(ctx), "employee_id", id);
	json_object_object_add(ctx_result(ctx), "children", list);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *c = json_object_new_object();
		jsonx_set_int(c, "order", atoi(PQgetvalue(res, i, 0)));
		jsonx_set_bool(c, "disabled", strcmp(PQgetvalue(res, i, 1), "t") == 0);
		jsonx_set_bool(c, "sole_parent", strcmp(PQgetvalue(res, i, 2), "t") == 0);
		jsonx_set_str(c, "from", PQgetvalue(res, i, 3));
		jsonx_set_str(c, "to", PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4));
		json_object_array_add(list, c);
	}
	return 0;
}

/* GET /api/admin/employees/{id}/ndfl-children */
static int deductions_children_get(struct ctx *ctx)
{
	int64_t id;

	if (deductions_employee(ctx, &id) < 0)
		return -1;
	return deductions_list(ctx, id);
}

struct deductions_child {
	int order, disabled, sole_parent;
	const char *from, *to; /* to: NULL for no end */
};

/* One child of the PUT body; 0, or -1 after field errors. */
static int deductions_read_child(struct ctx *ctx, json_object *c, size_t i, int *seen,
                                 struct deductions_child *out)
{
	const char *at = arena_printf(ctx->arena, "children[%zu]", i);
	int64_t order = 0;
	int disabled = 0, sole = 0, from, to = DATE_NONE, bad = 0;
	const char *f, *t;

	if (!json_object_is_type(c, json_type_object))
		return ctx_field(ctx, at,
		                 "Ожидается объект {\"order\": 1, \"from\": \"ГГГГ-ММ-ДД\"}");
	json_object_object_foreach(c, key, val)
	{
		(void)val;
		if (strcmp(key, "order") && strcmp(key, "disabled") && strcmp(key, "sole_parent") &&
		    strcmp(key, "from") && strcmp(key, "to"))
			bad |=
			    ctx_field(ctx, arena_printf(ctx->arena, "%s.%s", at, key),
			              "Неизвестное поле: допустимы order, disabled, sole_parent, "
			              "from, to");
	}
	if (jsonx_get_int64(c, "order", &order) < 0 || order < 1 || order > DEDUCTIONS_MAX_CHILDREN)
		bad |= ctx_field(ctx, arena_printf(ctx->arena, "%s.order", at),
		                 "Очерёдность ребёнка — целое число от 1 до %d",
		                 DEDUCTIONS_MAX_CHILDREN);
	else if (seen[order])
		bad |= ctx_field(ctx, arena_printf(ctx->arena, "%s.order", at),
		                 "Ребёнок с очерёдностью %d уже указан", (int)order);
	else
		seen[order] = 1;
	if (jsonx_get(c, "disabled") && jsonx_get_bool(c, "disabled", &disabled) < 0)
		bad |= ctx_field(ctx, arena_printf(ctx->arena, "%s.disabled", at),
		                 "Ожидается true или false");
	if (jsonx_get(c, "sole_parent") && jsonx_get_bool(c, "sole_parent", &sole) < 0)
		bad |= ctx_field(ctx, arena_printf(ctx->arena, "%s.sole_parent", at),
		                 "Ожидается true или false");
	f = jsonx_get_str(c, "from");
	if (f == NULL || !json_object_is_type(jsonx_get(c, "from"), json_type_string) ||
	    date_parse_input(f, &from) < 0)
		bad |= ctx_field(
		    ctx, arena_printf(ctx->arena, "%s.from", at), "%s",
		    date_input_why(f, "Укажите дату начала в виде ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"));
	t = jsonx_get_str(c, "to");
	/* not a string (a number, an object) is an error, not "no end"; null is no end */
	if ((t == NULL && jsonx_get(c, "to") != NULL) || (t && date_parse_input(t, &to) < 0))
		bad |= ctx_field(ctx, arena_printf(ctx->arena, "%s.to", at), "%s",
		                 date_input_why(t, "Укажите дату окончания в виде ДД.ММ.ГГГГ, "
		                                   "ГГГГ-ММ-ДД или null"));
	else if (!bad && to != DATE_NONE && to < from)
		bad |= ctx_field(ctx, arena_printf(ctx->arena, "%s.to", at),
		                 "Дата окончания раньше даты начала");
	if (bad)
		return -1;
	out->order = (int)order;
	out->disabled = disabled;
	out->sole_parent = sole;
	out->from = worktime_date_iso(ctx, from); /* the SQL reads ISO only */
	out->to = t ? worktime_date_iso(ctx, to) : NULL;
	return 0;
}

/* The list's children read into out (DEDUCTIONS_MAX_CHILDREN of them at
 * most), every bad one a field error: *n read, 0 or -1. */
static int deductions_read_children(struct ctx *ctx, json_object *list,
                                    struct deductions_child *out, size_t *n)
{
	int seen[DEDUCTIONS_MAX_CHILDREN + 1] = {0}, bad = 0;

	if (!json_object_is_type(list, json_type_array) ||
	    (*n = json_object_array_length(list)) > DEDUCTIONS_MAX_CHILDREN)
		return ctx_field(ctx, "children",
		                 "Укажите список детей (не больше %d), пустой — без вычетов",
		                 DEDUCTIONS_MAX_CHILDREN);
	for (size_t i = 0; i < *n; i++)
		if (deductions_read_child(ctx, json_object_array_get_idx(list, i), i, seen,
		                          &out[i]) < 0)
			bad = -1;
	return bad;
}

int deductions_children_check(struct ctx *ctx, json_object *list)
{
	struct deductions_child c[DEDUCTIONS_MAX_CHILDREN] = {{0}};
	size_t n = 0;

	return deductions_read_children(ctx, list, c, &n);
}

/* The children that change (added, removed or edited rows) must not touch a
 * closed payroll month: its НДФЛ was computed and paid with the old list.
 * 0, or -1 after 423. */
static int deductions_open(struct ctx *ctx, int64_t id, const char *orders, const char *dis,
                           const char *sole, const char *from, const char *to)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "WITH n AS (SELECT * FROM unnest($3::smallint[], $4::boolean[], $5::boolean[], "
	    "$6::date[], $7::date[]) AS u(o, d, s, f, t)), o AS (SELECT child_order, disabled, "
	    "sole_parent, date_from, date_to FROM ndfl_children WHERE tenant_id = $1 AND "
	    "employee_id = $2) SELECT f, t FROM ((SELECT * FROM n EXCEPT SELECT * FROM o) "
	    "UNION ALL (SELECT * FROM o EXCEPT SELECT * FROM n)) AS x(o, d, s, f, t)",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id), orders, dis, sole, from, to);

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		int f, t = date_month_last(DATE_MAX_YEAR, 12);
		if (date_parse(PQgetvalue(res, i, 0), &f) < 0 ||
		    (!PQgetisnull(res, i, 1) && date_parse(PQgetvalue(res, i, 1), &t) < 0))
			return ctx_fail(ctx, PROTO_ERR_internal, NULL);
		if (payrun_check_open_for(ctx, id, f, t) < 0)
			return -1;
	}
	return 0;
}

/* PUT /api/admin/employees/{id}/ndfl-children {"children": [...]} */
static int deductions_children_set(struct ctx *ctx)
{
	json_object *list = jsonx_get(ctx->args, "children");
	struct deductions_child kids[DEDUCTIONS_MAX_CHILDREN] = {{0}};
	const char *orders = "{", *dis = "{", *sole = "{", *from = "{", *to = "{";
	int64_t id;
	size_t n = 0;

	if (deductions_employee(ctx, &id) < 0)
		return -1;
	if (deductions_read_children(ctx, list, kids, &n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct deductions_child *c = &kids[i];
		const char *sep = i ? "," : "";
		orders = arena_printf(ctx->arena, "%s%s%d", orders, sep, c->order);
		dis = arena_printf(ctx->arena, "%s%s%s", dis, sep, c->disabled ? "t" : "f");
		sole = arena_printf(ctx->arena, "%s%s%s", sole, sep, c->sole_parent ? "t" : "f");
		from = arena_printf(ctx->arena, "%s%s%s", from, sep, c->from);
		to = arena_printf(ctx->arena, "%s%s%s", to, sep, c->to ? c->to : "NULL");
	}
	orders = arena_printf(ctx->arena, "%s}", orders);
	dis = arena_printf(ctx->arena, "%s}", dis);
	sole = arena_printf(ctx->arena, "%s}", sole);
	from = arena_printf(ctx->arena, "%s}", from);
	to = arena_printf(ctx->arena, "%s}", to);
	if (deductions_open(ctx, id, orders, dis, sole, from, to) < 0)
		return -1;
	if (ctx_sql(ctx, "DELETE FROM ndfl_children WHERE tenant_id = $1 AND employee_id = $2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id)) == NULL ||
	    ctx_sql(ctx,
	            "INSERT INTO ndfl_children (tenant_id, employee_id, child_order, disabled, "
	            "sole_parent, date_from, date_to) SELECT $1, $2, u.* FROM "
	            "unnest($3::smallint[], $4::boolean[], $5::boolean[], $6::date[], $7::date[]) "
	            "AS u",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id), orders, dis, sole, from,
	            to) == NULL)
		return -1;
	{
		json_object *details = json_object_new_object();
		jsonx_set_int(details, "children", (int64_t)n);
		if (audit_log(ctx, "ndfl.children_set", 1, "employee", ctx_i64(ctx, id), details) <
		    0)
			return -1;
	}
	return deductions_list(ctx, id);
}

static const struct op_arg deductions_get_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
/* a child: its order and dates, whether disabled, a sole parent's (ops.h) */
const struct op_arg deductions_child_fields[] = {
    {"order", ARG_INT, ARG_REQUIRED, .min = 1, .max = DEDUCTIONS_MAX_CHILDREN,
     .hint = "Очерёдность ребёнка — целое число от 1 до 20"},
    {.name = "disabled", .type = ARG_BOOL, .hint = "Ожидается true или false"},
    {.name = "sole_parent", .type = ARG_BOOL, .hint = "Ожидается true или false"},
    {"from", ARG_DATE, ARG_REQUIRED,
     .hint = "Укажите дату начала в виде ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"},
    {"to", ARG_DATE, 0, .hint = "Укажите дату окончания в виде ДД.ММ.ГГГГ, ГГГГ-ММ-ДД или null"},
    ARG_END,
};
static const struct op_arg deductions_set_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    {"children", ARG_ARRAY, ARG_REQUIRED, .min = 0, .max = DEDUCTIONS_MAX_CHILDREN,
     .example = "[{\"order\": 1, \"from\": \"2025-01-01\"}]", .items = deductions_child_fields,
     .hint = "Укажите список детей (не больше 20), пустой — без вычетов"},
    ARG_END,
};

const struct op deductions_ops[] = {
    {"deductions.children_get", OP_ADMIN, deductions_children_get, 0, deductions_get_args},
    {"deductions.children_set", OP_ADMIN, deductions_children_set, OP_WRITE, deductions_set_args},
    {NULL, 0, NULL, 0, NULL},
};
