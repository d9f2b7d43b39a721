/*
 * staff_pages.c - what the administrator's staff pages show besides the
 * API's answers (cgi/admin.c renders them): the employee list with its
 * filters and pages, the card with Russian titles and dates, the data of
 * the add and edit forms. Each operation runs the API's
 * own operation (staff.search, staff.get) and adds to its result; nothing
 * here changes data. Operations in staff_page_ops (ops.h).
 */
#include "dispatch.h"
#include "jsonx.h"
#include "money.h"
#include "ops.h"
#include "ru.h"
#include "staff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The cabinet states for people: the filter's options and the list's tags. */
static const char *const staff_page_states[][2] = {
    {"not_created", "Не создан"},      {"created_email", "Создан: почта"},
    {"created_sms", "Создан: SMS"},    {"create_failed", "Ошибка создания"},
    {"email_failed", "Ошибка письма"}, {"sms_failed", "Ошибка SMS"},
    {"invited", "Приглашён"},          {"signed_in", "Вошёл"},
    {"disabled", "Отключён"},
};
#define STAFF_PAGE_NSTATES (sizeof(staff_page_states) / sizeof(staff_page_states[0]))

static const char *staff_page_state_title(const char *state)
{
	for (size_t i = 0; state && i < STAFF_PAGE_NSTATES; i++)
		if (strcmp(staff_page_states[i][0], state) == 0)
			return staff_page_states[i][1];
	return state;
}

/* Runs another operation's handler on this request (its result is ours). */
static int staff_page_run(struct ctx *ctx, const char *op)
{
	const struct op *o = dispatch_find(op);

	return o ? o->handler(ctx) : ctx_fail(ctx, PROTO_ERR_internal, NULL);
}

/* The departments for a select: the tree in order, indented by level (the
 * template marks the chosen one). */
static int staff_page_departments(struct ctx *ctx, json_object *r)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "WITH RECURSIVE t AS (SELECT d.id, 0 AS level, ARRAY[lower(d.name), d.id::text] AS "
	    "path "
	    "FROM departments d WHERE d.tenant_id = $1 AND d.parent_id IS NULL UNION ALL SELECT "
	    "c.id, t.level + 1, t.path || ARRAY[lower(c.name), c.id::text] FROM departments c JOIN "
	    "t ON c.parent_id = t.id WHERE c.tenant_id = $1 AND t.level < 50) SELECT d.id, d.name, "
	    "t.level, d.external_id FROM t JOIN departments d ON d.tenant_id = $1 AND d.id = t.id "
	    "ORDER BY t.path",
	    ctx_i64(ctx, ctx->tenant_id));
	json_object *list = json_object_new_array();

	json_object_object_add(r, "departments", list);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		int level = atoi(PQgetvalue(res, i, 2));
		jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
		/* the tree's depth as no-break spaces: a select has no other indent */
		jsonx_set_str(
		    o, "name",
		    arena_printf(ctx->arena, "%.*s%s", level * 4 * 2,
		                 "\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"
		                 "\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"
		                 "\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"
		                 "\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0"
		                 "\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0\xc2\xa0",
		                 PQgetvalue(res, i, 1)));
		json_object_array_add(list, o);
	}
	return 0;
}

/* The schedules the bulk action offers (not archived) into r's "schedules":
 * [{"id", "name"}]. 0 or -1. */
static int staff_page_schedules(struct ctx *ctx, json_object *r)
{
	json_object *list = json_object_new_array();
	PGresult *res = ctx_sql(ctx,
	                        "SELECT id, name FROM schedules WHERE tenant_id = $1 AND NOT "
	                        "archived ORDER BY lower(name), id",
	                        ctx_i64(ctx, ctx->tenant_id));

	json_object_object_add(r, "schedules", list);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(o, "name", PQgetvalue(res, i, 1));
		json_object_array_add(list, o);
	}
	return 0;
}

/* GET /admin/employees: staff.search, the filters' options, the schedules
 * of the bulk action, the pages. */
static int staff_index(struct ctx *ctx)
{
	int rc = staff_page_run(ctx, "staff.search");
	json_object *r = ctx_result(ctx), *states = json_object_new_array(), *items, *page;
	int64_t total = 0, limit = 50, offset = 0;

	if (ctx->error >= 0 && ctx->error != PROTO_ERR_validation)
		return -1;
	if (staff_page_departments(ctx, r) < 0 || staff_page_schedules(ctx, r) < 0)
		return -1;
	for (size_t i = 0; i < STAFF_PAGE_NSTATES; i++) {
		json_object *o = json_object_new_object();
		jsonx_set_str(o, "value", staff_page_states[i][0]);
		jsonx_set_str(o, "title", staff_page_states[i][1]);
		json_object_array_add(states, o);
	}
	json_object_object_add(r, "states", states);
	/* a refused bulk action's page: each employee who refused it, by name
	 * (the reload's "_errors": employees[i].date_from -> the reason) */
	{
		json_object *errs = jsonx_get(ctx->args, "_errors"), *refused = NULL;
		if (errs && json_object_is_type(errs, json_type_object)) {
			json_object_object_foreach(errs, k, v)
			{
				if (strncmp(k, "employees[", 10) != 0 || !strchr(k, '.'))
					continue;
				if (refused == NULL) {
					refused = json_object_new_array();
					json_object_object_add(r, "refused", refused);
				}
				json_object_array_add(refused, json_object_get(v));
			}
		}
	}
	items = jsonx_get_array(r, "items");
	for (size_t i = 0; items && i < json_object_array_length(items); i++) {
		json_object *it = json_object_array_get_idx(items, i);
		jsonx_set_str(it, "cabinet_state_title",
		              staff_page_state_title(jsonx_get_str(it, "cabinet_state")));
	}
	jsonx_get_int64(r, "total", &total);
	jsonx_get_int64(r, "limit", &limit);
	jsonx_get_int64(r, "offset", &offset);
	page = ctx_page(ctx, "/admin/employees",
	                (const char *const[]){"q", "department", "status", "state", NULL}, total,
	                limit, offset);
	json_object_object_add(r, "page", page);
	return rc;
}

/* POST /admin/employees/bulk (the list's bulk action, staff_bulk.c): the
 * schedule or pay terms given, then the list as the filter shows it with
 * "done": {"summary"}. */
static int staff_page_bulk(struct ctx *ctx)
{
	const char *summary;

	if (staff_page_run(ctx, "staff.bulk_terms") < 0)
		return -1;
	summary = jsonx_get_str(ctx_result(ctx), "summary");
	if (staff_index(ctx) < 0)
		return -1;
	json_object *done = json_object_new_object();
	jsonx_set_str(done, "summary", summary);
	json_object_object_add(ctx_result(ctx), "done", done);
	return 0;
}

/* ---- the card ---- */

static const char *staff_page_event(const char *event)
{
	static const char *const t[][2] = {{"hire", "Приём"},
	                                   {"transfer", "Перевод"},
	                                   {"position_change", "Смена должности"},
	                                   {"dismissal", "Увольнение"}};

	for (size_t i = 0; event && i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i][0], event) == 0)
			return t[i][1];
	return event;
}

static const char *staff_page_seniority(const char *type)
{
	if (type && strcmp(type, "total") == 0)
		return "Общий";
	if (type && strcmp(type, "continuous") == 0)
		return "Непрерывный";
	if (type && strcmp(type, "northern") == 0)
		return "Северный";
	return type;
}

/* "7 лет 3 месяца" */
static const char *staff_page_years(struct ctx *ctx, int64_t y, int64_t m, int64_t d)
{
	struct buf b = BUF_INIT;
	const char *out;

	if (y)
		buf_printf(&b, "%lld %s", (long long)y, ru_plural(y, "год", "года", "лет"));
	if (m)
		buf_printf(&b, "%s%lld %s", b.len ? " " : "", (long long)m,
		           ru_plural(m, "месяц", "месяца", "месяцев"));
	if (d)
		buf_printf(&b, "%s%lld %s", b.len ? " " : "", (long long)d,
		           ru_plural(d, "день", "дня", "дней"));
	out = arena_strdup(ctx->arena, b.len ? b.data : "0 лет");
	buf_free(&b);
	return out;
}

/* "2025-01-01" -> "01.01.2025" (NULL stays NULL). */
static const char *staff_page_date(struct ctx *ctx, const char *iso)
{
	if (iso == NULL || strlen(iso) != 10)
		return iso;
	return arena_printf(ctx->arena, "%.2s.%.2s.%.4s", iso + 8, iso + 5, iso);
}

static void staff_page_record(struct ctx *ctx, json_object *rec)
{
	const char *kind = jsonx_get_str(rec, "kind"), *from = jsonx_get_str(rec, "date_from_ru"),
	           *to = jsonx_get_str(rec, "date_to_ru");
	int64_t y = 0, m = 0, d = 0;

	if (from && to)
		jsonx_set_str(rec, "period_ru", arena_printf(ctx->arena, "%s — %s", from, to));
	else if (from)
		jsonx_set_str(rec, "period_ru", arena_printf(ctx->arena, "с %s", from));
	else if (to)
		jsonx_set_str(rec, "period_ru", arena_printf(ctx->arena, "по %s", to));
	if (jsonx_get_str(rec, "event"))
		jsonx_set_str(rec, "event_title", staff_page_event(jsonx_get_str(rec, "event")));
	if (jsonx_get_str(rec, "order_date"))
		jsonx_set_str(rec, "order_date_ru",
		              staff_page_date(ctx, jsonx_get_str(rec, "order_date")));
	if (jsonx_get_str(rec, "next_date"))
		jsonx_set_str(rec, "next_date_ru",
		              staff_page_date(ctx, jsonx_get_str(rec, "next_date")));
	if (kind && strcmp(kind, "seniority") == 0) {
		jsonx_get_int64(rec, "years", &y);
		jsonx_get_int64(rec, "months", &m);
		jsonx_get_int64(rec, "days", &d);
		jsonx_set_str(rec, "type_title", staff_page_seniority(jsonx_get_str(rec, "type")));
		jsonx_set_str(rec, "length_ru", staff_page_years(ctx, y, m, d));
	} else if (jsonx_get_int64(rec, "days", &d) == 0) {
		jsonx_set_str(rec, "days_ru",
		              arena_printf(ctx->arena, "%lld %s", (long long)d,
		                           ru_plural(d, "день", "дня", "дней")));
	}
	if (jsonx_get_int64(rec, "hours", &d) == 0)
		jsonx_set_str(rec, "hours_ru",
		              arena_printf(ctx->arena, "%lld %s", (long long)d,
		                           ru_plural(d, "час", "часа", "часов")));
}

/* GET /admin/employees/{id}: staff.get with titles and Russian dates. */
static int staff_card(struct ctx *ctx)
{
	json_object *r, *list, *ins, *m;
	int64_t y = 0, mo = 0;

	if (staff_page_run(ctx, "staff.get") < 0)
		return -1;
	r = ctx_result(ctx);
	jsonx_set_str(r, "cabinet_state_title",
	              staff_page_state_title(jsonx_get_str(r, "cabinet_state")));
	ins = jsonx_get_obj(r, "insurance_record");
	if (ins) {
		jsonx_get_int64(ins, "years", &y);
		jsonx_get_int64(ins, "months", &mo);
		jsonx_set_str(ins, "text_ru",
		              arena_printf(ctx->arena, "%s на %s", staff_page_years(ctx, y, mo, 0),
		                           staff_page_date(ctx, jsonx_get_str(ins, "as_of"))));
	}
	m = jsonx_get_obj(r, "manager");
	if (m) {
		const char *rule = jsonx_get_str(m, "rule");
		jsonx_set_str(m, "rule_title",
		              rule && strcmp(rule, "department_head") == 0
		                  ? "руководитель подразделения"
		              : rule && strcmp(rule, "organization_head") == 0
		                  ? "руководитель организации"
		                  : "согласующего нет: заявления проходят без согласования");
	}
	list = jsonx_get_array(r, "pay");
	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		json_object *t = json_object_array_get_idx(list, i);
		const char *by = jsonx_get_str(t, "pay_by"), *norm = jsonx_get_str(t, "norm");
		char ru[MONEY_RU_BUFSZ];
		int64_t kop;
		if (money_parse(jsonx_get_str(t, "rate"), 0, &kop) == 0) {
			money_format_ru(kop, ru);
			jsonx_set_str(t, "rate_ru", ru);
		}
		jsonx_set_str(t, "pay_by_title",
		              by && strcmp(by, "hours") == 0 ? "по часам" : "по дням");
		jsonx_set_str(t, "norm_title",
		              norm == NULL ? "как принято в организации"
		              : strcmp(norm, "summed") == 0 ? "суммированная"
		                                            : "по каждому периоду");
	}
	list = jsonx_get_array(r, "personal_file_sections");
	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		json_object *sec = json_object_array_get_idx(list, i),
		            *recs = jsonx_get_array(sec, "records");
		jsonx_set_bool(sec, "any", recs && json_object_array_length(recs) > 0);
		for (size_t k = 0; recs && k < json_object_array_length(recs); k++)
			staff_page_record(ctx, json_object_array_get_idx(recs, k));
	}
	return 0;
}

/* ---- the forms ---- */

/* The choices of the employee form: organizations, departments, positions,
 * and "chosen": the id each select shows chosen (the template marks it),
 * the refused form's or else the card's. */
static int staff_page_choices(struct ctx *ctx, json_object *r, json_object *card)
{
	static const char *const fields[][2] = {
	    {"organization_id", "organization"},
	    {"department_id", "department"},
	    {"position_id", "position"},
	};
	PGresult *orgs, *pos;
	json_object *ol = json_object_new_array(), *pl = json_object_new_array();
	json_object *chosen = json_object_new_object();

	json_object_object_add(r, "chosen", chosen);
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
		json_object *v = jsonx_get(ctx->args, fields[f][0]); /* after a refused form */
		int64_t id = 0;
		if (v)
			json_object_object_add(chosen, fields[f][0], json_object_get(v));
		else if (jsonx_get_int64(jsonx_get_obj(card, fields[f][1]), "id", &id) == 0)
			jsonx_set_int(chosen, fields[f][0], id);
	}
	json_object_object_add(r, "organizations", ol);
	json_object_object_add(r, "positions", pl);
	orgs = ctx_sql(ctx,
	               "SELECT id, name FROM organizations WHERE tenant_id = $1 ORDER BY name, id",
	               ctx_i64(ctx, ctx->tenant_id));
	pos = ctx_sql(
	    ctx, "SELECT id, name FROM positions WHERE tenant_id = $1 ORDER BY lower(name), id",
	    ctx_i64(ctx, ctx->tenant_id));
	if (orgs == NULL || pos == NULL || staff_page_departments(ctx, r) < 0)
		return -1;
	for (int i = 0; i < PQntuples(orgs); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(orgs, i, 0)));
		jsonx_set_str(o, "name", PQgetvalue(orgs, i, 1));
		json_object_array_add(ol, o);
	}
	for (int i = 0; i < PQntuples(pos); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(pos, i, 0)));
		jsonx_set_str(o, "name", PQgetvalue(pos, i, 1));
		json_object_array_add(pl, o);
	}
	return 0;
}

/* GET /admin/employees/new and /admin/employees/{id}/edit: the choices,
 * and for an employee the card's values ("values", dates as people type
 * them). */
static int staff_form(struct ctx *ctx)
{
	json_object *r, *card = NULL, *v, *ins;
	static const char *const keys[] = {"full_name", "personnel_number", "phone", "email"};
	static const char *const dates[][2] = {
	    {"birth_date", "birth_date_ru"}, {"hired", "hired_ru"}, {"dismissed", "dismissed_ru"}};

	if (jsonx_get(ctx->args, "id")) {
		if (staff_page_run(ctx, "staff.get") < 0)
			return -1;
		card = ctx_result(ctx);
	}
	r = ctx_result(ctx);
	if (staff_page_choices(ctx, r, card) < 0)
		return -1;
	v = json_object_new_object();
	for (size_t k = 0; card && k < sizeof(keys) / sizeof(keys[0]); k++)
		jsonx_set_str(v, keys[k], jsonx_get_str(card, keys[k]));
	if (card && jsonx_get_str(card, "phone_ru")) /* as people see and type it */
		jsonx_set_str(v, "phone", jsonx_get_str(card, "phone_ru"));
	for (size_t k = 0; card && k < sizeof(dates) / sizeof(dates[0]); k++)
		jsonx_set_str(v, dates[k][0], jsonx_get_str(card, dates[k][1]));
	/* the insurance record as stored (years and months on its date) */
	if (card && (ins = jsonx_get(card, "insurance_record")) != NULL &&
	    json_object_is_type(ins, json_type_object)) {
		jsonx_set_str(v, "insurance_years",
		              json_object_get_string(jsonx_get(ins, "years")));
		jsonx_set_str(v, "insurance_months",
		              json_object_get_string(jsonx_get(ins, "months")));
	}
	json_object_object_add(r, "values", v);
	return 0;
}

static const struct op_arg staff_page_card_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
/* the edit form's employee (none: the add form); after a refused form the
 * submitted fields come too, as staff.create/staff.update declared them */
static const struct op_arg staff_page_form_args[] = {ARG_ROW_ID("id", 0), ARG_END};

const struct op staff_page_ops[] = {
    {"staff.index", OP_ADMIN, staff_index, 0, staff_search_args},
    {"staff.page_bulk", OP_ADMIN, staff_page_bulk, OP_WRITE, staff_bulk_args},
    {"staff.card", OP_ADMIN, staff_card, 0, staff_page_card_args},
    {"staff.form", OP_ADMIN, staff_form, 0, staff_page_form_args},
    {NULL, 0, NULL, 0, NULL},
};
