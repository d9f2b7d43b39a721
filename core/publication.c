/*
 * publication.c - the publication of the staff: the draft and the setting
 * in force, the list of published employees, "Обновить публикацию", and
 * cabinets following it. See publication.h for the rules.
 */
#include "publication.h"

#include "audit.h"
#include "buf.h"
#include "cabinets.h"
#include "jobs.h"
#include "jsonx.h"
#include "ops.h"
#include "sesscache.h"

#include <stdlib.h>
#include <string.h>

#define PUBLICATION_PAGE_MAX 1000

static int publication_check(struct ctx *ctx, int draft, int64_t employee_id)
{
	PGresult *res = ctx_sql(ctx,
	                        draft ? "WITH RECURSIVE " PUBLICATION_CTE(
	                                    "draft") " SELECT " PUBLICATION_PUBLISHED
	                                             " FROM employees e CROSS JOIN pub WHERE "
	                                             "e.tenant_id = $1 AND e.id = $2"
	                              : "WITH RECURSIVE " PUBLICATION_CTE(
	                                    "applied") " SELECT " PUBLICATION_PUBLISHED
	                                               " FROM employees e CROSS JOIN pub WHERE "
	                                               "e.tenant_id = $1 AND e.id = $2",
	                        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee_id));

	if (res == NULL)
		return -1;
	return PQntuples(res) == 1 && strcmp(PQgetvalue(res, 0, 0), "t") == 0;
}

int publication_is_published(struct ctx *ctx, int64_t employee_id)
{
	return publication_check(ctx, 0, employee_id);
}

int publication_enforce(struct ctx *ctx, int *disabled, int *restored)
{
	return publication_enforce_for(ctx, NULL, disabled, restored);
}

int publication_enforce_for(struct ctx *ctx, const char *employees, int *disabled, int *restored)
{
	/* one statement: cabinets off and back, their accounts blocked and
	 * unblocked, sessions and live invitations of the blocked ended */
	PGresult *res = ctx_sql(
	    ctx,
	    "WITH RECURSIVE " PUBLICATION_CTE(
	        "applied") ", "
	                   "cur AS (SELECT c.employee_id, c.state, u.id AS "
	                   "user_id, " PUBLICATION_IN_SCOPE " AND " PUBLICATION_WORKING
	                   " AS published, u.activated_at IS NOT NULL AS activated, u.email IS NOT "
	                   "NULL AS "
	                   "has_email, EXISTS (SELECT 1 FROM user_roles r WHERE r.tenant_id = "
	                   "u.tenant_id AND "
	                   "r.user_id = u.id AND r.role = 'admin') AS admin FROM cabinets c JOIN "
	                   "employees e ON "
	                   "e.tenant_id = c.tenant_id AND e.id = c.employee_id JOIN users u ON "
	                   "u.tenant_id = "
	                   "c.tenant_id AND u.employee_id = c.employee_id CROSS JOIN pub WHERE "
	                   "c.tenant_id = $1 AND ($2::bigint[] IS NULL OR c.employee_id = ANY "
	                   "($2))), "
	                   "off AS (UPDATE cabinets c SET state = 'disabled', error = NULL, "
	                   "disabled_at = now(), "
	                   "state_at = now() FROM cur WHERE c.tenant_id = $1 AND c.employee_id = "
	                   "cur.employee_id "
	                   "AND cur.state <> 'disabled' AND NOT cur.published AND NOT cur.admin "
	                   "RETURNING cur.user_id), "
	                   "back AS (UPDATE cabinets c SET state = CASE WHEN cur.activated THEN "
	                   "'signed_in' WHEN "
	                   "cur.has_email THEN 'created_email' ELSE 'created_sms' END, error = "
	                   "NULL, disabled_at = "
	                   "NULL, state_at = now() FROM cur WHERE c.tenant_id = $1 AND "
	                   "c.employee_id = "
	                   "cur.employee_id AND cur.state = 'disabled' AND (cur.published OR "
	                   "cur.admin) "
	                   "RETURNING cur.user_id), "
	                   "blocked AS (UPDATE users u SET status = 'blocked' FROM off WHERE "
	                   "u.tenant_id = $1 AND "
	                   "u.id = off.user_id RETURNING u.id), "
	                   "unblocked AS (UPDATE users u SET status = CASE WHEN u.activated_at IS "
	                   "NOT NULL THEN "
	                   "'active' ELSE 'created' END FROM back WHERE u.tenant_id = $1 AND u.id "
	                   "= back.user_id "
	                   "AND u.status = 'blocked' RETURNING u.id), "
	                   "ended AS (DELETE FROM sessions s USING off WHERE s.tenant_id = $1 AND "
	                   "s.user_id = "
	                   "off.user_id RETURNING 1), "
	                   "revoked AS (UPDATE invitations v SET revoked_at = now() FROM off WHERE "
	                   "v.tenant_id = $1 "
	                   "AND v.user_id = off.user_id AND v.used_at IS NULL AND v.revoked_at IS "
	                   "NULL RETURNING 1) "
	                   "SELECT (SELECT count(*) FROM off), (SELECT count(*) FROM back), "
	                   "(SELECT count(*) FROM "
	                   "blocked) + (SELECT count(*) FROM unblocked) + (SELECT count(*) FROM "
	                   "ended) + (SELECT "
	                   "count(*) FROM revoked)",
	    ctx_i64(ctx, ctx->tenant_id), employees);

	if (res == NULL)
		return -1;
	/* the blocked accounts' sessions have ended */
	if (atoi(PQgetvalue(res, 0, 0)) > 0)
		sesscache_forget_tenant(ctx, ctx->tenant_id);
	if (disabled)
		*disabled = atoi(PQgetvalue(res, 0, 0));
	if (restored)
		*restored = atoi(PQgetvalue(res, 0, 1));
	return 0;
}

/* ------------------------------------------------------------- reading */

/* A JSON array from the database's text (json_agg), owned by the caller. */
static json_object *publication_array(const char *text)
{
	json_object *a = json_tokener_parse(text);

	if (!json_object_is_type(a, json_type_array)) {
		json_object_put(a);
		return json_object_new_array();
	}
	return a;
}

/* The responsible person: the employee of the first administrator (the
 * one who connected the service), with whether the draft publishes them. */
static int publication_responsible(struct ctx *ctx, json_object *r)
{
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT u.employee_id, u.full_name FROM users u JOIN user_roles x ON "
	            "x.tenant_id = u.tenant_id AND x.user_id = u.id AND x.role = 'admin' "
	            "WHERE u.tenant_id = $1 ORDER BY u.id LIMIT 1",
	            ctx_i64(ctx, ctx->tenant_id));
	json_object *o;
	int in;

	jsonx_set_str(r, "warning", NULL);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		json_object_object_add(r, "responsible", NULL);
		return 0;
	}
	o = json_object_new_object();
	json_object_object_add(r, "responsible", o);
	jsonx_set_str(o, "full_name", PQgetvalue(res, 0, 1));
	if (PQgetisnull(res, 0, 0)) {
		json_object_object_add(o, "employee_id", NULL);
		in = 0;
	} else {
		int64_t id = atoll(PQgetvalue(res, 0, 0));
		jsonx_set_int(o, "employee_id", id);
		if ((in = publication_check(ctx, 1, id)) < 0)
			return -1;
	}
	jsonx_set_bool(o, "included", in);
	if (!in)
		jsonx_set_str(
		    r, "warning",
		    arena_printf(ctx->arena,
		                 "Ответственный за сервис (%s) не попадает в публикацию: "
		                 "выберите его подразделение или должность и проверьте, что "
		                 "у него указаны почта или телефон. Права администратора он "
		                 "сохранит, но как сотрудник опубликован не будет: не увидит "
		                 "своих расчётных листков и не будет согласовывать заявления.",
		                 PQgetvalue(res, 0, 1)));
	return 0;
}

/* GET /api/admin/publication */
static int publication_get(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx), *applied = json_object_new_object(), *dl, *pl;
	PGresult *res, *tree, *pos, *counts;

	json_object_object_add(r, "applied", applied);
	res = ctx_sql(
	    ctx,
	    "SELECT coalesce(p.draft_all, true), coalesce(p.applied_all, true), "
	    "(SELECT coalesce(json_agg(d.external_id ORDER BY d.name), '[]') FROM departments d "
	    "WHERE d.tenant_id = $1 AND d.id = ANY (p.draft_departments))::text, "
	    "(SELECT coalesce(json_agg(x.external_id ORDER BY x.name), '[]') FROM positions x "
	    "WHERE x.tenant_id = $1 AND x.id = ANY (p.draft_positions))::text, "
	    "(SELECT coalesce(json_agg(d.external_id ORDER BY d.name), '[]') FROM departments d "
	    "WHERE d.tenant_id = $1 AND d.id = ANY (p.applied_departments))::text, "
	    "(SELECT coalesce(json_agg(x.external_id ORDER BY x.name), '[]') FROM positions x "
	    "WHERE x.tenant_id = $1 AND x.id = ANY (p.applied_positions))::text, "
	    "p.applied_at, to_char(p.applied_at AT TIME ZONE app_timezone(), 'DD.MM.YYYY "
	    "HH24:MI'), "
	    "coalesce(p.draft_all IS DISTINCT FROM p.applied_all OR p.draft_departments IS "
	    "DISTINCT FROM p.applied_departments OR p.draft_positions IS DISTINCT FROM "
	    "p.applied_positions, false), coalesce(p.draft_departments, '{}')::text, "
	    "coalesce(p.draft_positions, '{}')::text "
	    "FROM (SELECT 1) one LEFT JOIN publication p ON p.tenant_id = $1",
	    ctx_i64(ctx, ctx->tenant_id));
	if (res == NULL)
		return -1;
	jsonx_set_bool(r, "all", strcmp(PQgetvalue(res, 0, 0), "t") == 0);
	json_object_object_add(r, "departments", publication_array(PQgetvalue(res, 0, 2)));
	json_object_object_add(r, "positions", publication_array(PQgetvalue(res, 0, 3)));
	jsonx_set_bool(applied, "all", strcmp(PQgetvalue(res, 0, 1), "t") == 0);
	json_object_object_add(applied, "departments", publication_array(PQgetvalue(res, 0, 4)));
	json_object_object_add(applied, "positions", publication_array(PQgetvalue(res, 0, 5)));
	jsonx_set_str(applied, "at", PQgetisnull(res, 0, 6) ? NULL : PQgetvalue(res, 0, 6));
	jsonx_set_str(applied, "at_ru", PQgetisnull(res, 0, 7) ? NULL : PQgetvalue(res, 0, 7));
	jsonx_set_bool(r, "pending", strcmp(PQgetvalue(res, 0, 8), "t") == 0);
	/* the checkboxes: the department tree depth-first, positions */
	tree = ctx_sql(
	    ctx,
	    "WITH RECURSIVE t AS (SELECT d.id, 0 AS level, ARRAY[lower(d.name), d.id::text] AS "
	    "path, "
	    "d.id = ANY ($2::bigint[]) AS sel, false AS inherited FROM departments d WHERE "
	    "d.tenant_id = $1 AND d.parent_id IS NULL UNION ALL SELECT c.id, t.level + 1, t.path "
	    "|| "
	    "ARRAY[lower(c.name), c.id::text], c.id = ANY ($2::bigint[]), t.sel OR t.inherited "
	    "FROM "
	    "departments c JOIN t ON c.parent_id = t.id WHERE c.tenant_id = $1 AND t.level < 50) "
	    "SELECT d.id, d.external_id, d.name, t.level, t.sel, t.inherited, o.name, (SELECT "
	    "count(*) FROM employees e WHERE e.tenant_id = d.tenant_id AND e.department_id = d.id) "
	    "FROM t JOIN departments d ON d.tenant_id = $1 AND d.id = t.id LEFT JOIN organizations "
	    "o "
	    "ON o.tenant_id = d.tenant_id AND o.id = d.organization_id "
	    "ORDER BY lower(coalesce(o.name, '')), t.path",
	    ctx_i64(ctx, ctx->tenant_id), PQgetvalue(res, 0, 9));
	pos =
	    ctx_sql(ctx,
	            "SELECT p.id, p.external_id, p.name, p.id = ANY ($2::bigint[]), (SELECT "
	            "count(*) FROM employees e WHERE e.tenant_id = p.tenant_id AND e.position_id = "
	            "p.id) FROM positions p WHERE p.tenant_id = $1 ORDER BY lower(p.name), p.id",
	            ctx_i64(ctx, ctx->tenant_id), PQgetvalue(res, 0, 10));
	counts = ctx_sql(ctx,
	                 "WITH RECURSIVE " PUBLICATION_CTE(
	                     "draft") " SELECT count(*) FILTER (WHERE " PUBLICATION_IN_SCOPE
	                              " AND " PUBLICATION_WORKING
	                              "), count(*) FILTER (WHERE " PUBLICATION_PUBLISHED
	                              "), count(*) FILTER (WHERE " PUBLICATION_IN_SCOPE
	                              " AND " PUBLICATION_WORKING
	                              " AND NOT " PUBLICATION_HAS_CONTACT ") "
	                              "FROM employees e CROSS JOIN pub WHERE e.tenant_id = $1",
	                 ctx_i64(ctx, ctx->tenant_id));
	if (tree == NULL || pos == NULL || counts == NULL)
		return -1;
	dl = json_object_new_array();
	pl = json_object_new_array();
	json_object_object_add(r, "department_tree", dl);
	json_object_object_add(r, "position_list", pl);
	for (int i = 0; i < PQntuples(tree); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(tree, i, 0)));
		jsonx_set_str(o, "external_id", PQgetvalue(tree, i, 1));
		jsonx_set_str(o, "name", PQgetvalue(tree, i, 2));
		jsonx_set_int(o, "level", atoi(PQgetvalue(tree, i, 3)));
		jsonx_set_bool(o, "selected", strcmp(PQgetvalue(tree, i, 4), "t") == 0);
		jsonx_set_bool(o, "inherited", strcmp(PQgetvalue(tree, i, 5), "t") == 0);
		jsonx_set_str(o, "organization",
		              PQgetisnull(tree, i, 6) ? NULL : PQgetvalue(tree, i, 6));
		jsonx_set_int(o, "employees", atoll(PQgetvalue(tree, i, 7)));
		json_object_array_add(dl, o);
	}
	for (int i = 0; i < PQntuples(pos); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(pos, i, 0)));
		jsonx_set_str(o, "external_id", PQgetvalue(pos, i, 1));
		jsonx_set_str(o, "name", PQgetvalue(pos, i, 2));
		jsonx_set_bool(o, "selected", strcmp(PQgetvalue(pos, i, 3), "t") == 0);
		jsonx_set_int(o, "employees", atoll(PQgetvalue(pos, i, 4)));
		json_object_array_add(pl, o);
	}
	jsonx_set_int(r, "selected", atoll(PQgetvalue(counts, 0, 0)));
	jsonx_set_int(r, "published", atoll(PQgetvalue(counts, 0, 1)));
	jsonx_set_int(r, "flagged", atoll(PQgetvalue(counts, 0, 2)));
	/* the pages warn only when there is someone (a 0 is no warning) */
	jsonx_set_bool(r, "any_flagged", atoll(PQgetvalue(counts, 0, 2)) > 0);
	return publication_responsible(ctx, r);
}

/* GET /api/admin/publication/employees?q=&flagged=1&limit=&offset=: the
 * employees the draft selects (working ones), flagged when they have
 * neither email nor phone. */
static int publication_employees(struct ctx *ctx)
{
	const char *q = ctx_arg_str(ctx, "q", 200, 0);
	int flagged = cabinets_arg_flag(ctx, "flagged", 0);
	json_object *items = json_object_new_array(), *r = ctx_result(ctx);
	int64_t limit, offset;
	PGresult *res;

	json_object_object_add(r, "items", items);
	if (ctx_arg_int(ctx, "limit", 1, PUBLICATION_PAGE_MAX, 100, &limit) < 0 ||
	    ctx_arg_int(ctx, "offset", 0, INT32_MAX, 0, &offset) < 0)
		return -1;
	res = ctx_sql(
	    ctx,
	    "WITH RECURSIVE " PUBLICATION_CTE(
	        "draft") ", pat AS (SELECT '%' || replace(replace(replace(translate(lower($2), "
	                 "'ё', 'е'), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' AS p) "
	                 "SELECT e.id, e.full_name, e.personnel_number, d.id, d.name, p.id, "
	                 "p.name, "
	                 "e.email IS NOT NULL, e.phone IS NOT NULL, count(*) OVER () "
	                 "FROM employees e CROSS JOIN pub CROSS JOIN pat "
	                 "LEFT JOIN departments d ON d.tenant_id = e.tenant_id AND d.id = "
	                 "e.department_id LEFT JOIN positions p ON p.tenant_id = e.tenant_id AND "
	                 "p.id = e.position_id WHERE e.tenant_id = $1 AND " PUBLICATION_IN_SCOPE
	                 " AND " PUBLICATION_WORKING " AND ($2::text IS NULL OR "
	                 "e.search_name LIKE pat.p OR "
	                 "lower(e.personnel_number) LIKE pat.p) AND (NOT $3 OR "
	                 "NOT " PUBLICATION_HAS_CONTACT ") ORDER BY e.search_name, e.id "
	                 "LIMIT $4 OFFSET $5",
	    ctx_i64(ctx, ctx->tenant_id), q && *q ? q : NULL, flagged > 0 ? "true" : "false",
	    ctx_i64(ctx, limit), ctx_i64(ctx, offset));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *it = json_object_new_object(), *o;
		int email = strcmp(PQgetvalue(res, i, 7), "t") == 0,
		    phone = strcmp(PQgetvalue(res, i, 8), "t") == 0;
		jsonx_set_int(it, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(it, "full_name", PQgetvalue(res, i, 1));
		jsonx_set_str(it, "personnel_number",
		              PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2));
		for (int k = 0; k < 2; k++) {
			int col = 3 + 2 * k;
			if (PQgetisnull(res, i, col)) {
				json_object_object_add(it, k ? "position" : "department", NULL);
				continue;
			}
			o = json_object_new_object();
			jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, col)));
			jsonx_set_str(o, "name", PQgetvalue(res, i, col + 1));
			json_object_object_add(it, k ? "position" : "department", o);
		}
		jsonx_set_bool(it, "has_email", email);
		jsonx_set_bool(it, "has_phone", phone);
		jsonx_set_str(it, "contacts",
		              email && phone ? "почта и телефон"
		              : email        ? "почта"
		              : phone        ? "телефон"
		                             : "нет ни почты, ни телефона");
		jsonx_set_bool(it, "published", email || phone);
		jsonx_set_bool(it, "flagged", !email && !phone);
		json_object_array_add(items, it);
	}
	jsonx_set_int(r, "total", PQntuples(res) ? atoll(PQgetvalue(res, 0, 9)) : 0);
	jsonx_set_str(r, "q", q && *q ? q : NULL);
	jsonx_set_bool(r, "flagged_only", flagged > 0);
	jsonx_set_int(r, "limit", limit);
	jsonx_set_int(r, "offset", offset);
	return 0;
}

/* ------------------------------------------------------------- writing */

/* A flag from JSON (true/false) or a form ("1", "on", "true"; "0", "off",
 * "false", ""). -1 with a field error otherwise. */
static int publication_flag(struct ctx *ctx, const char *name, int def)
{
	json_object *v = jsonx_get(ctx->args, name);
	const char *s;

	if (v == NULL || json_object_is_type(v, json_type_null))
		return def;
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v);
	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		if (!strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "true"))
			return 1;
		if (!*s || !strcmp(s, "0") || !strcmp(s, "off") || !strcmp(s, "false"))
			return 0;
	}
	ctx_field(ctx, name, "true или false");
	return -1;
}

/* The ids of a list argument of external ids (strings) or ids (numbers),
 * as "{1,2}"; each unknown one is a field error "name[i]". NULL on
 * failure. */
static const char *publication_ids(struct ctx *ctx, const char *name, const char *table,
                                   const char *what)
{
	json_object *v = jsonx_get(ctx->args, name), *list;
	PGresult *res;
	const char *sql;
	int bad = 0;

	if (v == NULL || json_object_is_type(v, json_type_null))
		return "{}";
	if (json_object_is_type(v, json_type_string)) { /* a form with one value */
		list = arena_own(ctx->arena, json_object_new_array());
		if (*json_object_get_string(v))
			json_object_array_add(list, json_object_get(v));
	} else if (json_object_is_type(v, json_type_array)) {
		list = v;
	} else {
		ctx_field(ctx, name, "Список кодов (external_id): [\"dep-1\", \"dep-2\"]");
		return NULL;
	}
	if (json_object_array_length(list) > 10000) {
		ctx_field(ctx, name, "Не больше 10000 элементов");
		return NULL;
	}
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		json_object *x = json_object_array_get_idx(list, i);
		if (!json_object_is_type(x, json_type_string) &&
		    !json_object_is_type(x, json_type_int)) {
			ctx_field(ctx, arena_printf(ctx->arena, "%s[%zu]", name, i),
			          "Код (external_id) строкой или номер числом");
			bad = 1;
		}
	}
	if (bad)
		return NULL;
	sql =
	    arena_printf(ctx->arena,
	                 "SELECT x.n - 1, t.id, x.v #>> '{}' FROM jsonb_array_elements($2::jsonb) "
	                 "WITH ORDINALITY x(v, n) LEFT JOIN %s t ON t.tenant_id = $1 AND CASE WHEN "
	                 "jsonb_typeof(x.v) = 'number' THEN t.id = (x.v #>> '{}')::bigint ELSE "
	                 "t.external_id = x.v #>> '{}' END ORDER BY x.n",
	                 table);
	res = ctx_sql(ctx, sql, ctx_i64(ctx, ctx->tenant_id), jsonx_dump(list, NULL));
	if (res == NULL)
		return NULL;
	{
		struct buf b = BUF_INIT;
		const char *out;
		buf_putc(&b, '{');
		for (int i = 0; i < PQntuples(res); i++) {
			if (PQgetisnull(res, i, 1)) {
				ctx_field(
				    ctx,
				    arena_printf(ctx->arena, "%s[%s]", name, PQgetvalue(res, i, 0)),
				    "Нет %s с кодом «%s»", what, PQgetvalue(res, i, 2));
				bad = 1;
				continue;
			}
			if (b.len > 1)
				buf_putc(&b, ',');
			buf_puts(&b, PQgetvalue(res, i, 1));
		}
		buf_putc(&b, '}');
		out = arena_strndup(ctx->arena, b.data, b.len);
		buf_free(&b);
		return bad ? NULL : out;
	}
}

/* PUT /api/admin/publication {"all": true} | {"departments": [...], "positions": [...]} */
static int publication_set(struct ctx *ctx)
{
	int all = publication_flag(ctx, "all", 0);
	const char *deps = publication_ids(ctx, "departments", "departments", "подразделения");
	const char *poss = publication_ids(ctx, "positions", "positions", "должности");
	json_object *details;

	if (all < 0 || deps == NULL || poss == NULL || ctx->error >= 0)
		return -1;
	if (all)
		deps = poss = "{}";
	if (ctx_sql(
	        ctx,
	        "INSERT INTO publication (tenant_id, draft_all, draft_departments, "
	        "draft_positions, changed_by) VALUES ($1, $2, $3, $4, nullif($5, '0')::bigint) "
	        "ON CONFLICT (tenant_id) DO UPDATE SET draft_all = EXCLUDED.draft_all, "
	        "draft_departments = EXCLUDED.draft_departments, draft_positions = "
	        "EXCLUDED.draft_positions, changed_at = now(), changed_by = EXCLUDED.changed_by",
	        ctx_i64(ctx, ctx->tenant_id), all ? "true" : "false", deps, poss,
	        ctx_i64(ctx, ctx->user_id)) == NULL)
		return -1;
	details = json_object_new_object();
	jsonx_set_bool(details, "all", all);
	jsonx_set_str(details, "departments", deps);
	jsonx_set_str(details, "positions", poss);
	if (audit_log(ctx, "publication.changed", 1, "tenant", NULL, details) < 0)
		return -1;
	return publication_get(ctx);
}

/* POST /api/admin/publication/apply: "Обновить публикацию" */
static int publication_apply(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx), *run = json_object_new_object(), *details;
	PGresult *res;

	json_object_object_add(r, "run", run);
	if (ctx_sql(ctx,
	            "INSERT INTO publication AS p (tenant_id, applied_at, applied_by) VALUES ($1, "
	            "now(), nullif($2, '0')::bigint) ON CONFLICT (tenant_id) DO UPDATE SET "
	            "applied_all = p.draft_all, applied_departments = p.draft_departments, "
	            "applied_positions = p.draft_positions, applied_at = now(), applied_by = "
	            "EXCLUDED.applied_by",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->user_id)) == NULL)
		return -1;
	/* the cabinets follow at once: disabled and back, then (when the
	 * settings say so) created and invited, logged as a job run */
	if (jobs_run(ctx, "publication", run) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "WITH RECURSIVE " PUBLICATION_CTE(
	                  "applied") " SELECT count(*) FILTER "
	                             "(WHERE " PUBLICATION_PUBLISHED
	                             "), count(*) FILTER (WHERE " PUBLICATION_IN_SCOPE
	                             " AND " PUBLICATION_WORKING " AND NOT " PUBLICATION_HAS_CONTACT
	                             ") FROM employees e CROSS JOIN pub "
	                             "WHERE e.tenant_id = $1",
	              ctx_i64(ctx, ctx->tenant_id));
	if (res == NULL)
		return -1;
	jsonx_set_int(r, "published", atoll(PQgetvalue(res, 0, 0)));
	jsonx_set_int(r, "flagged", atoll(PQgetvalue(res, 0, 1)));
	jsonx_set_bool(r, "any_flagged", atoll(PQgetvalue(res, 0, 1)) > 0);
	details = json_object_new_object();
	jsonx_set_int(details, "published", atoll(PQgetvalue(res, 0, 0)));
	json_object_object_foreach(run, key, val)
	{
		if (json_object_is_type(val, json_type_int) && strcmp(key, "id") != 0)
			json_object_object_add(details, key, json_object_get(val));
	}
	if (audit_log(ctx, "publication.applied", 1, "tenant", NULL, details) < 0)
		return -1;
	/* the warning about the responsible person, as the page shows it */
	{
		json_object *tmp = arena_own(ctx->arena, json_object_new_object());
		if (publication_responsible(ctx, tmp) < 0)
			return -1;
		jsonx_set_str(r, "warning", jsonx_get_str(tmp, "warning"));
	}
	return 0;
}

/* departments and positions: external ids (strings) or ids (numbers); a
 * form with one box sends a string */
static const struct op_arg publication_set_args[] = {
    {"all", ARG_BOOL, 0, .min = 0},
    {"departments", ARG_ARRAY, ARG_OR_TEXT, .min = 0, .max = 10000},
    {"positions", ARG_ARRAY, ARG_OR_TEXT, .min = 0, .max = 10000},
    ARG_END,
};
static const struct op_arg publication_employees_args[] = {
    {"q", ARG_STR, 0, .max = 200},
    {"flagged", ARG_BOOL, 0, .min = 0},
    {"limit", ARG_INT, 0, .min = 1, .max = PUBLICATION_PAGE_MAX},
    {"offset", ARG_INT, 0, .min = 0, .max = INT32_MAX},
    ARG_END,
};

const struct op publication_ops[] = {
    {"publication.get", OP_ADMIN, publication_get, 0, args_none},
    {"publication.set", OP_ADMIN, publication_set, OP_WRITE, publication_set_args},
    {"publication.employees", OP_ADMIN, publication_employees, 0, publication_employees_args},
    {"publication.apply", OP_ADMIN, publication_apply, OP_WRITE, args_none,
     .budget_ms = OP_BUDGET(120000)},
    {NULL, 0, NULL, 0, NULL},
};
