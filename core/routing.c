/*
 * routing.c - routing roles, chains, deadlines, substitutes and the
 * deadlines job (routing.h).
 */
#include "routing.h"

#include "audit.h"
#include "calendars.h"
#include "date.h"
#include "jsonx.h"
#include "log.h"
#include "notify.h"
#include "ops.h"
#include "org.h"
#include "requests.h"
#include "ru.h"
#include "staff.h"
#include "t13.h"
#include "worktime.h"

#include <stdlib.h>
#include <string.h>

#define ROUTING_MAX_PERFORMERS 50
#define ROUTING_MAX_STEPS      10
#define ROUTING_MAX_DAYS       250
/* substitutions are named for at most this long */
#define ROUTING_SUBSTITUTE_MAX_DAYS 366

const struct routing_role routing_roles[] = {
    {"coordinator", "Координатор выполнения задач"},
    {"vacation", "Ответственный за заявления на отпуск"},
    {"personal_data", "Ответственный за изменение личных данных"},
    {"tax_deduction", "Ответственный за налоговые вычеты"},
    {"absence", "Ответственный за заявления на отсутствие"},
    {"certificate_ndfl", "Ответственный за справки о доходах (2-НДФЛ)"},
    {"certificate_vacation_balance", "Ответственный за справки об остатке отпуска"},
    {"certificate_employment", "Ответственный за справки с места работы"},
    {NULL, NULL},
};

const struct routing_role *routing_role_find(const char *name)
{
	for (const struct routing_role *r = routing_roles; name && r->name; r++)
		if (strcmp(r->name, name) == 0)
			return r;
	return NULL;
}

static const char *routing_tenant(struct ctx *ctx)
{
	return ctx_i64(ctx, ctx->tenant_id);
}

/* ---- chains ---- */

/* "manager" or "role:<role>": 1 when valid. */
static int routing_step_valid(const char *step)
{
	return strcmp(step, "manager") == 0 ||
	       (strncmp(step, "role:", 5) == 0 && routing_role_find(step + 5) != NULL);
}

/* Why step number n (1-based) of a chain is wrong, naming it and what may
 * stand there: "Шаг 2: роль «vacaton» не существует; можно: manager, role:coordinator,
 * role:vacation, …". */
static const char *routing_step_why(struct ctx *ctx, size_t n, const char *text)
{
	const char *can = "manager (руководитель сотрудника)";

	for (const struct routing_role *r = routing_roles; r->name; r++)
		can = arena_printf(ctx->arena, "%s, role:%s", can, r->name);
	if (text == NULL)
		return arena_printf(ctx->arena, "Шаг %zu: ожидается строка; можно: %s", n, can);
	if (strncmp(text, "role:", 5) == 0)
		return arena_printf(ctx->arena, "Шаг %zu: роль «%s» не существует; можно: %s", n,
		                    text + 5, can);
	return arena_printf(ctx->arena, "Шаг %zu: «%s» — не шаг цепочки; можно: %s", n, text, can);
}

static const char **routing_default_chain(struct ctx *ctx, const struct request_type *t, int *n)
{
	const char **steps = arena_alloc(ctx->arena, 2 * sizeof(*steps));

	*n = 0;
	if (t->approval)
		steps[(*n)++] = "manager";
	steps[(*n)++] = arena_printf(ctx->arena, "role:%s", t->role);
	return steps;
}

/* Parses a text[] column ("{manager,role:vacation}"): the elements are
 * [a-z_:] only, never quoted. */
static const char **routing_parse_array(struct ctx *ctx, const char *text, int *n)
{
	size_t len = strlen(text);
	const char **out = arena_alloc(ctx->arena, (len / 2 + 1) * sizeof(*out));
	char *copy, *save = NULL, *tok;

	*n = 0;
	if (len < 2)
		return out;
	copy = arena_strndup(ctx->arena, text + 1, len - 2);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
		out[(*n)++] = tok;
	return out;
}

int routing_chain(struct ctx *ctx, const char *type, const char *configured, const char ***steps,
                  int *n)
{
	const struct request_type *t = requests_type_find(type);

	if (t == NULL)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	if (configured == NULL) {
		*steps = routing_default_chain(ctx, t, n);
		return 0;
	}
	*steps = routing_parse_array(ctx, configured, n);
	if (*n == 0)
		*steps = routing_default_chain(ctx, t, n);
	return 0;
}

/* ---- who ---- */

/* The administrator who connected the service: the first administrator
 * with an employee record, another one when that is the request's
 * `employee` (the author only when no other administrator has one: an
 * organization of one). *who 0 when there is none. */
static int routing_default_performer(struct ctx *ctx, int64_t employee, int64_t *who)
{
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT u.employee_id FROM user_roles r JOIN users u ON u.tenant_id = "
	            "r.tenant_id AND u.id = r.user_id WHERE r.tenant_id = $1 AND r.role = "
	            "'admin' AND u.employee_id IS NOT NULL ORDER BY u.employee_id = $2, u.id "
	            "LIMIT 1",
	            routing_tenant(ctx), ctx_i64(ctx, employee));

	*who = 0;
	if (res == NULL)
		return -1;
	if (PQntuples(res))
		*who = atoll(PQgetvalue(res, 0, 0));
	return 0;
}

static const char *routing_today(struct ctx *ctx)
{
	int today = org_today(ctx);

	return today == DATE_NONE ? NULL : worktime_date_iso(ctx, today);
}

int routing_substitute(struct ctx *ctx, int64_t employee, int64_t *sub)
{
	PGresult *res = ctx_sql(ctx, "SELECT " ROUTING_SUBSTITUTE_SQL("$1", "$2"),
	                        routing_tenant(ctx), ctx_i64(ctx, employee));

	*sub = 0;
	if (res == NULL)
		return -1;
	if (!PQgetisnull(res, 0, 0))
		*sub = atoll(PQgetvalue(res, 0, 0));
	return 0;
}

/* The performer of a role for a request of `employee`, in turn: never the
 * employee (no one acts on their own request: trial-break F7; the role's
 * next performer, else the coordinator, else the administrator), present
 * ones first, then the one who got a task of the role longest ago (then the
 * administrator's order); everyone away: the first of them, whose
 * substitute takes it. The
 * chosen one's turn is taken (assigned_at) under a row lock that concurrent
 * requests skip, so they go to the next performers. Only performers who
 * can act (ROUTING_CAN_ACT_SQL: a cabinet not closed, not dismissed): one
 * named before the cabinets were made is passed over until then. *who 0
 * when the role has no such performer. */
static int routing_performer(struct ctx *ctx, const char *role, int64_t employee, int64_t *who)
{
	static const char order[] = " AND p.employee_id <> $3 ORDER BY " ROUTING_AWAY_SQL(
	    "$1", "p.employee_id") ", p.assigned_at NULLS FIRST, p.position, p.employee_id LIMIT 1";
	PGresult *res;

	*who = 0;
	res = ctx_query(
	    ctx,
	    arena_printf(ctx->arena,
	                 "WITH p AS (SELECT p.employee_id FROM routing_performers p WHERE "
	                 "p.tenant_id = $1 AND p.role = $2 AND " ROUTING_CAN_ACT_SQL(
	                     "$1", "p.employee_id") "%s FOR UPDATE SKIP LOCKED) "
	                 "UPDATE routing_performers x SET assigned_at = " ROUTING_NOW_SQL
	                 " FROM p WHERE x.tenant_id = $1 AND x.role = $2 AND "
	                 "x.employee_id = p.employee_id RETURNING x.employee_id",
	                 order),
	    3, (const char *const[]){routing_tenant(ctx), role, ctx_i64(ctx, employee)});
	if (res && PQntuples(res) == 0)
		/* every performer is being given a task right now: the first in
		 * turn, without taking the turn */
		res = ctx_query(
		    ctx,
		    arena_printf(ctx->arena,
		                 "SELECT p.employee_id FROM routing_performers p WHERE "
		                 "p.tenant_id = $1 AND p.role = $2 AND " ROUTING_CAN_ACT_SQL(
		                     "$1", "p.employee_id") "%s",
		                 order),
		    3, (const char *const[]){routing_tenant(ctx), role, ctx_i64(ctx, employee)});
	if (res == NULL)
		return -1;
	if (PQntuples(res))
		*who = atoll(PQgetvalue(res, 0, 0));
	return 0;
}

int routing_step_assignee(struct ctx *ctx, const char *step, int64_t employee, int64_t *assignee,
                          const char **how)
{
	enum staff_rule rule;

	*assignee = 0;
	*how = "none";
	if (strcmp(step, "manager") == 0) {
		if (staff_manager(ctx, employee, assignee, &rule) < 0)
			return -1;
		*how = staff_rule_name(rule);
		return 0;
	}
	if (strncmp(step, "role:", 5) != 0 || routing_role_find(step + 5) == NULL)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	if (routing_performer(ctx, step + 5, employee, assignee) < 0)
		return -1;
	*how = "performer";
	if (*assignee == 0 && strcmp(step + 5, "coordinator") != 0) {
		if (routing_performer(ctx, "coordinator", employee, assignee) < 0)
			return -1;
		*how = "coordinator";
	}
	if (*assignee == 0) {
		if (routing_default_performer(ctx, employee, assignee) < 0)
			return -1;
		*how = "default";
	}
	if (*assignee == 0)
		return ctx_fail(ctx, PROTO_ERR_conflict,
		                "Заявку некому исполнить: администратор не назначил исполнителей "
		                "(раздел «Адресация заявок»)");
	return 0;
}

/* ---- deadlines ---- */

/* 1 when date is a working day of the calendar (a year it lacks: Monday
 * to Friday). */
static int routing_working_day(const struct calendar *cal, int date)
{
	unsigned day = calendar_day(cal, date);

	if (!(day & CALENDAR_COVERED))
		return date_weekday(date) < 5;
	return CALENDAR_KIND(day) == CALENDAR_WORK;
}

int routing_due(struct ctx *ctx, int date, const char **due_at, const char **remind_at)
{
	/* the end of the day in the organization's zone; the reminder at half
	 * of the time from now */
	PGresult *res = ctx_sql(
	    ctx,
	    "WITH x AS (SELECT (($1::date + 1)::timestamp AT TIME ZONE $2) AS due) "
	    "SELECT due::text, (" ROUTING_NOW_SQL " + (due - " ROUTING_NOW_SQL ") / 2)::text "
	    "FROM x",
	    worktime_date_iso(ctx, date), org_time_zone(ctx));

	if (res == NULL)
		return -1;
	*due_at = PQgetvalue(res, 0, 0);
	*remind_at = PQgetvalue(res, 0, 1);
	return 0;
}

int routing_deadline(struct ctx *ctx, int days, const char **due_at, const char **remind_at)
{
	struct calendar *cal;
	int today, d;

	*due_at = NULL;
	*remind_at = NULL;
	if (days <= 0)
		return 0;
	if ((today = org_today(ctx)) == DATE_NONE || (cal = calendars_load(ctx, 0)) == NULL)
		return -1;
	for (d = today; days > 0;) {
		d = date_add_days(d, 1);
		if (routing_working_day(cal, d))
			days--;
	}
	return routing_due(ctx, d, due_at, remind_at);
}

/* The next head up from a person: their manager by the staff's rule (the
 * head of their department, or of its parent when they head it, then the
 * organization's head). */
static int routing_head_up(struct ctx *ctx, int64_t who, int64_t *head)
{
	enum staff_rule rule;

	return staff_manager(ctx, who, head, &rule);
}

/* Where an overdue task goes: *to 0 when nowhere. */
static int routing_escalation_target(struct ctx *ctx, const char *step, int64_t holder,
                                     int64_t employee, int64_t *to)
{
	int64_t coordinator = 0, head = 0;

	*to = 0;
	if (routing_performer(ctx, "coordinator", employee, &coordinator) < 0 ||
	    routing_head_up(ctx, holder, &head) < 0)
		return -1;
	if (coordinator == holder)
		coordinator = 0;
	if (head == holder)
		head = 0;
	if (strcmp(step, "approval") == 0)
		*to = head ? head : coordinator;
	else
		*to = coordinator ? coordinator : head;
	return 0;
}

/* Moves the away people's open tasks to their substitutes. */
static int routing_move_to_substitutes(struct ctx *ctx, int64_t only_employee, int *done)
{
	int64_t last = 0, sub = 0;
	/* the open tasks of people away today who have a substitute */
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT t.id, t.assignee_id FROM request_tasks t WHERE t.tenant_id = "
	            "$1 AND t.state = 'open' AND t.request_id IS NOT NULL AND ($2::bigint "
	            "IS NULL OR t.assignee_id = "
	            "$2) AND EXISTS (SELECT 1 FROM substitutes x WHERE x.tenant_id = $1 "
	            "AND x.employee_id = t.assignee_id) AND " ROUTING_AWAY_SQL(
	                "$1", "t.assignee_id") " ORDER BY t.assignee_id, t.id",
	            routing_tenant(ctx), only_employee ? ctx_i64(ctx, only_employee) : NULL);

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		int64_t task = atoll(PQgetvalue(res, i, 0)), holder = atoll(PQgetvalue(res, i, 1));
		int64_t next;
		if (holder != last && routing_substitute(ctx, holder, &sub) < 0)
			return -1;
		last = holder;
		if (sub == 0 || sub == holder)
			continue;
		if (requests_task_pass(ctx, task, sub, "substituted", NULL, &next) < 0)
			return -1;
		(*done)++;
	}
	return 0;
}

int routing_deadlines_run(struct ctx *ctx, int *done)
{
	PGresult *res;

	*done = 0;
	/* reminders at half time */
	res = ctx_sql(ctx,
	              "UPDATE request_tasks SET reminded_at = " ROUTING_NOW_SQL
	              " WHERE tenant_id = $1 "
	              "AND state = 'open' AND reminded_at IS NULL AND remind_at <= " ROUTING_NOW_SQL
	              " RETURNING id, coalesce(request_id, 0), assignee_id, "
	              "to_char(due_at AT TIME ZONE $2, 'DD.MM.YYYY HH24:MI'), title",
	              routing_tenant(ctx), org_time_zone(ctx));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		int64_t task = atoll(PQgetvalue(res, i, 0)), request = atoll(PQgetvalue(res, i, 1));
		const char *what;
		if (request == 0) { /* an HR task (hrtasks.h): no request, no history */
			if (notify(ctx, atoll(PQgetvalue(res, i, 2)), "task_reminder", 0, task,
			           arena_printf(ctx->arena,
			                        "Напоминание: задание «%s» нужно выполнить до %s",
			                        PQgetvalue(res, i, 4), PQgetvalue(res, i, 3)),
			           notify_sms(ctx->arena, "task_reminder", 0,
			                      PQgetvalue(res, i, 3))) < 0)
				return -1;
			(*done)++;
			continue;
		}
		what = requests_describe(ctx, request);
		if (what == NULL ||
		    notify(ctx, atoll(PQgetvalue(res, i, 2)), "task_reminder", request, task,
		           arena_printf(ctx->arena,
		                        "Напоминание: задача по заявке «%s» должна быть "
		                        "выполнена до %s",
		                        what, PQgetvalue(res, i, 3)),
		           notify_sms(ctx->arena, "task_reminder", requests_number(ctx, request),
		                      PQgetvalue(res, i, 3))) < 0 ||
		    requests_event(ctx, request, task, "reminded", NULL, NULL) < 0)
			return -1;
		(*done)++;
	}
	/* an HR task past its deadline stays with its employee; its giver is
	 * told, once */
	res = ctx_sql(ctx,
	              "UPDATE request_tasks t SET escalated_at = " ROUTING_NOW_SQL
	              " FROM employees e WHERE t.tenant_id = $1 AND t.step = 'hr_task' AND "
	              "t.state = 'open' AND t.escalated_at IS NULL AND t.due_at <= " ROUTING_NOW_SQL
	              " AND e.tenant_id = t.tenant_id AND e.id = t.assignee_id RETURNING t.id, "
	              "coalesce(t.given_by_employee, 0), t.title, e.full_name, to_char(t.due_at AT "
	              "TIME ZONE $2, 'DD.MM.YYYY HH24:MI')",
	              routing_tenant(ctx), org_time_zone(ctx));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		if (notify(ctx, atoll(PQgetvalue(res, i, 1)), "task_overdue", 0,
		           atoll(PQgetvalue(res, i, 0)),
		           arena_printf(
		               ctx->arena, "Срок задания «%s» (%s) истёк %s: оно не выполнено",
		               PQgetvalue(res, i, 2), PQgetvalue(res, i, 3), PQgetvalue(res, i, 4)),
		           NULL) < 0)
			return -1;
		(*done)++;
	}
	/* escalation past the deadline */
	res =
	    ctx_sql(ctx,
	            "SELECT t.id, t.step, t.assignee_id, r.employee_id, t.request_id, "
	            "to_char(t.due_at AT TIME ZONE $2, 'DD.MM.YYYY HH24:MI') FROM request_tasks t "
	            "JOIN requests r ON r.tenant_id = t.tenant_id AND r.id = t.request_id WHERE "
	            "t.tenant_id = $1 AND t.state = 'open' AND t.escalated_at IS NULL AND "
	            "t.due_at <= " ROUTING_NOW_SQL " ORDER BY t.due_at, t.id",
	            routing_tenant(ctx), org_time_zone(ctx));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		int64_t task = atoll(PQgetvalue(res, i, 0)), holder = atoll(PQgetvalue(res, i, 2));
		int64_t to, next;
		if (routing_escalation_target(ctx, PQgetvalue(res, i, 1), holder,
		                              atoll(PQgetvalue(res, i, 3)), &to) < 0)
			return -1;
		if (to == 0) {
			if (ctx_sql(ctx,
			            "UPDATE request_tasks SET escalated_at = " ROUTING_NOW_SQL
			            " WHERE tenant_id = $1 AND id = $2",
			            routing_tenant(ctx), ctx_i64(ctx, task)) == NULL)
				return -1;
			continue;
		}
		if (requests_task_pass(
		        ctx, task, to, "escalated",
		        arena_printf(ctx->arena, "Срок истёк %s", PQgetvalue(res, i, 5)),
		        &next) < 0 ||
		    notify(ctx, holder, "task_escalated", atoll(PQgetvalue(res, i, 4)), task,
		           arena_printf(ctx->arena,
		                        "Срок задачи по заявке «%s» истёк %s: задача передана выше",
		                        requests_describe(ctx, atoll(PQgetvalue(res, i, 4))),
		                        PQgetvalue(res, i, 5)),
		           notify_sms(ctx->arena, "task_escalated",
		                      requests_number(ctx, atoll(PQgetvalue(res, i, 4))), NULL)) <
		        0)
			return -1;
		(*done)++;
	}
	/* substitutes take over the tasks of people who went away */
	return routing_move_to_substitutes(ctx, 0, done);
}

/* Every tenant with a task to remind, escalate or move: one transaction
 * per tenant, so one tenant's failure leaves the others alone. */
static int routing_due_tenants(struct ctx *ctx, void *arg)
{
	json_object *list = arg;
	PGresult *res =
	    ctx_sql0(ctx, "SELECT DISTINCT tenant_id FROM request_tasks WHERE state = 'open' "
	                  "AND ((reminded_at IS NULL AND remind_at <= " ROUTING_NOW_SQL
	                  ") OR (escalated_at IS NULL AND due_at <= " ROUTING_NOW_SQL ")) "
	                  /* "today" of each tenant in its own time zone (app_today()
	                   * needs a tenant of the transaction; this scan has none) */
	                  "UNION SELECT DISTINCT t.tenant_id FROM request_tasks t JOIN tenants tn "
	                  "ON tn.id = t.tenant_id CROSS JOIN LATERAL (SELECT (app_now() AT TIME "
	                  "ZONE coalesce(tn.settings->>'timezone', 'Europe/Moscow'))::date AS day) "
	                  "td JOIN substitutes s ON s.tenant_id = t.tenant_id AND s.employee_id = "
	                  "t.assignee_id WHERE t.state = 'open' AND t.request_id IS NOT NULL AND "
	                  "((td.day BETWEEN s.date_from AND s.date_to) OR EXISTS (SELECT 1 FROM "
	                  "deviations d WHERE d.tenant_id = t.tenant_id AND d.employee_id = "
	                  "t.assignee_id AND d.whole_day AND d.code <> 26 AND td.day BETWEEN "
	                  "d.date_from AND d.date_to))");

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(list, json_object_new_int64(atoll(PQgetvalue(res, i, 0))));
	return 0;
}

static int routing_tenant_pass(struct ctx *ctx, void *arg)
{
	int64_t tenant = *(int64_t *)arg;
	int done = 0;

	if (ctx_use_tenant(ctx, tenant) < 0 || routing_deadlines_run(ctx, &done) < 0)
		return -1;
	if (done)
		log_info("routing_deadlines", "tenant=%lld tasks=%d", (long long)tenant, done);
	return 0;
}

void routing_deadlines_task(struct db *db, struct arena *arena, void *arg)
{
	json_object *list = json_object_new_array();

	(void)arg;
	if (dispatch_system(db, arena, "routing.deadlines", routing_due_tenants, list) >= 0) {
		for (size_t i = 0; i < json_object_array_length(list); i++) {
			int64_t tenant = json_object_get_int64(json_object_array_get_idx(list, i));
			dispatch_system(db, arena, "routing.deadlines", routing_tenant_pass,
			                &tenant);
		}
	}
	json_object_put(list);
}

/* ---- operations: roles ---- */

static json_object *routing_person(PGresult *res, int row, int col)
{
	json_object *o;

	if (PQgetisnull(res, row, col))
		return NULL;
	o = json_object_new_object();
	jsonx_set_int(o, "id", atoll(PQgetvalue(res, row, col)));
	jsonx_set_str(o, "full_name", PQgetvalue(res, row, col + 1));
	return o;
}

/* GET /api/admin/routing */
static int routing_get(struct ctx *ctx)
{
	json_object *roles = json_object_new_object(), *details = json_object_new_array();
	int64_t fallback;
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "roles", roles);
	json_object_object_add(ctx_result(ctx), "details", details);
	res =
	    ctx_sql(ctx,
	            "SELECT p.role, e.id, e.full_name, coalesce(e.position, '') FROM "
	            "routing_performers p JOIN employees e ON e.tenant_id = p.tenant_id AND e.id = "
	            "p.employee_id WHERE p.tenant_id = $1 ORDER BY p.role, p.position, e.id",
	            routing_tenant(ctx));
	if (res == NULL)
		return -1;
	for (const struct routing_role *r = routing_roles; r->name; r++) {
		json_object *ids = json_object_new_array(), *people = json_object_new_array();
		json_object *d = json_object_new_object();
		for (int i = 0; i < PQntuples(res); i++) {
			json_object *p;
			if (strcmp(PQgetvalue(res, i, 0), r->name) != 0)
				continue;
			json_object_array_add(ids,
			                      json_object_new_int64(atoll(PQgetvalue(res, i, 1))));
			p = routing_person(res, i, 1);
			jsonx_set_str(p, "position", PQgetvalue(res, i, 3));
			json_object_array_add(people, p);
		}
		json_object_object_add(roles, r->name, ids);
		jsonx_set_str(d, "role", r->name);
		jsonx_set_str(d, "title", r->title);
		jsonx_set_bool(d, "empty", json_object_array_length(ids) == 0);
		json_object_object_add(d, "performers", people);
		json_object_array_add(details, d);
	}
	if (routing_default_performer(ctx, 0, &fallback) < 0)
		return -1;
	if (fallback) {
		res = ctx_sql(
		    ctx, "SELECT id, full_name FROM employees WHERE tenant_id = $1 AND id = $2",
		    routing_tenant(ctx), ctx_i64(ctx, fallback));
		if (res == NULL)
			return -1;
		json_object_object_add(ctx_result(ctx), "default_performer",
		                       PQntuples(res) ? routing_person(res, 0, 0) : NULL);
	} else {
		json_object_object_add(ctx_result(ctx), "default_performer", NULL);
	}
	return 0;
}

int routing_check_assignee(struct ctx *ctx, const char *field, int64_t employee, int planned)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT e.dismissed IS NOT NULL AND e.dismissed < " ROUTING_TODAY_SQL
	    ", to_char(e.dismissed, 'DD.MM.YYYY'), EXISTS (SELECT 1 FROM users u WHERE "
	    "u.tenant_id = e.tenant_id AND u.employee_id = e.id), " ROUTING_CAN_ACT_SQL("$1", "$2")
	    " FROM employees e WHERE e.tenant_id = $1 AND e.id = $2",
	    routing_tenant(ctx), ctx_i64(ctx, employee));

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_field_code(ctx, field, "not_found", "Сотрудник не найден");
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0)
		return ctx_field_code(ctx, field, "dismissed",
		                      "Сотрудник уволен %s — он не сможет выполнить задачу",
		                      PQgetvalue(res, 0, 1));
	if (strcmp(PQgetvalue(res, 0, 2), "t") != 0 && planned)
		return 0; /* a role's performer before the cabinets are made */
	if (strcmp(PQgetvalue(res, 0, 2), "t") != 0)
		return ctx_field_code(ctx, field, "no_cabinet",
		                      "У сотрудника нет личного кабинета — он не сможет выполнить "
		                      "задачу. Создайте и отправьте ему приглашение в разделе "
		                      "«Кабинеты» или выберите другого сотрудника");
	if (strcmp(PQgetvalue(res, 0, 3), "t") != 0)
		return ctx_field_code(ctx, field, "no_cabinet",
		                      "Личный кабинет сотрудника закрыт — он не сможет выполнить "
		                      "задачу. Выберите другого сотрудника");
	return 0;
}

/* An employee id of the tenant in a list item who can hold tasks
 * (routing_check_assignee); 0 after a field error. */
static int64_t routing_employee_item(struct ctx *ctx, json_object *v, const char *field)
{
	int64_t id = 0;

	if (json_object_is_type(v, json_type_int))
		id = json_object_get_int64(v);
	else if (json_object_is_type(v, json_type_string)) {
		char *end;
		id = strtoll(json_object_get_string(v), &end, 10);
		if (*end)
			id = 0;
	}
	if (id <= 0) {
		ctx_field(ctx, field, "Укажите номер сотрудника (id)");
		return 0;
	}
	if (routing_check_assignee(ctx, field, id, 1) < 0)
		return 0;
	return id;
}

/* PUT /api/admin/routing {"roles": {"<role>": [ids]}} */
static int routing_put(struct ctx *ctx)
{
	json_object *roles = jsonx_get(ctx->args, "roles");
	int bad = 0;

	if (!json_object_is_type(roles, json_type_object))
		return ctx_field(
		    ctx, "roles",
		    "Ожидается объект {\"роль\": [номера сотрудников]}: роли coordinator, "
		    "vacation, personal_data, tax_deduction, absence, certificate_ndfl, "
		    "certificate_vacation_balance, certificate_employment");
	json_object_object_foreach(roles, name, list)
	{
		const char *field = arena_printf(ctx->arena, "roles.%s", name);
		size_t n;
		if (routing_role_find(name) == NULL) {
			bad = ctx_field(ctx, field,
			                "Нет такой роли: coordinator, vacation, personal_data, "
			                "tax_deduction, absence, certificate_ndfl, "
			                "certificate_vacation_balance или certificate_employment");
			continue;
		}
		if (list && !json_object_is_type(list, json_type_array)) {
			bad = ctx_field(ctx, field, "Ожидается список номеров сотрудников");
			continue;
		}
		n = list ? json_object_array_length(list) : 0;
		if (n > ROUTING_MAX_PERFORMERS) {
			bad = ctx_field(ctx, field, "Не больше %d %s", ROUTING_MAX_PERFORMERS,
			                ru_plural(ROUTING_MAX_PERFORMERS, "исполнителя",
			                          "исполнителей", "исполнителей"));
			continue;
		}
		for (size_t i = 0; i < n; i++)
			if (routing_employee_item(ctx, json_object_array_get_idx(list, i),
			                          arena_printf(ctx->arena, "%s[%zu]", field, i)) ==
			    0)
				bad = -1;
	}
	if (bad < 0 || ctx->error >= 0)
		return -1;
	json_object_object_foreach(roles, role, ids)
	{
		const char *arr = "{";
		size_t n = ids ? json_object_array_length(ids) : 0;
		for (size_t i = 0; i < n; i++)
			arr = arena_printf(ctx->arena, "%s%s%lld", arr, i ? "," : "",
			                   (long long)routing_employee_item(
			                       ctx, json_object_array_get_idx(ids, i), "roles"));
		arr = arena_printf(ctx->arena, "%s}", arr);
		if (ctx_sql(ctx,
		            "DELETE FROM routing_performers WHERE tenant_id = $1 AND role = $2",
		            routing_tenant(ctx), role) == NULL ||
		    ctx_sql(
		        ctx,
		        "INSERT INTO routing_performers (tenant_id, role, employee_id, position) "
		        "SELECT $1, $2, u.id, min(u.n) FROM unnest($3::bigint[]) WITH ORDINALITY "
		        "AS u(id, n) GROUP BY u.id",
		        routing_tenant(ctx), role, arr) == NULL)
			return -1;
		json_object *d = audit_detail("role", role);
		jsonx_set_int(d, "performers", (int64_t)n);
		if (audit_log(ctx, "routing.roles_set", 1, "routing_role", role, d) < 0)
			return -1;
	}
	return routing_get(ctx);
}

/* ---- operations: chains and deadlines ---- */

/* {"<type>": chain or deadline} into out; with pages, also the list for
 * the admin page (each type's title, steps in force and deadline) as
 * pages.chains or pages.deadlines. */
static int routing_types_into(struct ctx *ctx, int chains, json_object *out, json_object *pages)
{
	json_object *items = json_object_new_array();
	PGresult *res = ctx_sql(ctx,
	                        "SELECT type, chain, deadline_days FROM routing_types WHERE "
	                        "tenant_id = $1",
	                        routing_tenant(ctx));

	if (res == NULL)
		return -1;
	for (const struct request_type *t = requests_types; t->name; t++) {
		json_object *item = json_object_new_object(), *v = NULL, *steps;
		const char **def, **conf = NULL;
		int nd, nc = 0, row = -1;
		for (int i = 0; i < PQntuples(res); i++)
			if (strcmp(PQgetvalue(res, i, 0), t->name) == 0)
				row = i;
		def = routing_default_chain(ctx, t, &nd);
		if (row >= 0 && !PQgetisnull(res, row, 1))
			conf = routing_parse_array(ctx, PQgetvalue(res, row, 1), &nc);
		if (chains) {
			if (conf) {
				v = json_object_new_array();
				for (int i = 0; i < nc; i++)
					json_object_array_add(v, json_object_new_string(conf[i]));
			}
		} else if (row >= 0 && !PQgetisnull(res, row, 2)) {
			v = json_object_new_object();
			jsonx_set_int(v, "days", atoi(PQgetvalue(res, row, 2)));
		}
		json_object_object_add(out, t->name, v ? json_object_get(v) : NULL);
		/* for pages: the type's title, the chain in force, the deadline */
		jsonx_set_str(item, "type", t->name);
		jsonx_set_str(item, "title", t->title);
		steps = json_object_new_array();
		for (int i = 0; i < (conf ? nc : nd); i++) {
			const char *s = conf ? conf[i] : def[i];
			const struct routing_role *r = routing_role_find(s + 5);
			json_object *st = json_object_new_object();
			jsonx_set_str(st, "step", s);
			jsonx_set_str(st, "title",
			              strcmp(s, "manager") == 0 ? "Руководитель сотрудника"
			                                        : (r ? r->title : s));
			json_object_array_add(steps, st);
		}
		json_object_object_add(item, "steps", steps);
		jsonx_set_bool(item, "default_chain", conf == NULL);
		if (row >= 0 && !PQgetisnull(res, row, 2))
			jsonx_set_int(item, "days", atoi(PQgetvalue(res, row, 2)));
		json_object_array_add(items, item);
		if (v)
			json_object_put(v);
	}
	if (pages)
		json_object_object_add(pages, chains ? "chains" : "deadlines", items);
	else
		json_object_put(items);
	return 0;
}

static int routing_chains_get(struct ctx *ctx)
{
	return routing_types_into(ctx, 1, ctx_result(ctx), NULL);
}

static int routing_deadlines_get(struct ctx *ctx)
{
	return routing_types_into(ctx, 0, ctx_result(ctx), NULL);
}

/* The members of the body that name request types, skipping what the
 * transport adds. */
static int routing_is_type_key(const char *key)
{
	return requests_type_find(key) != NULL;
}

static int routing_unknown_key(struct ctx *ctx, const char *key)
{
	if (key[0] == '_' || strcmp(key, "id") == 0)
		return 0; /* a form's _csrf, a submit button */
	return ctx_field(ctx, key,
	                 "Нет такого вида заявки: vacation, absence, business_trip, personal_data, "
	                 "tax_deduction, certificate_employment, certificate_ndfl, "
	                 "certificate_vacation_balance или question");
}

/* PUT /api/admin/routing/chains {"<type>": [steps] | null} */
static int routing_chains_put(struct ctx *ctx)
{
	json_object_object_foreach(ctx->args, key, val)
	{
		const char *list = "{";
		size_t n;
		int bad = 0;
		if (!routing_is_type_key(key)) {
			routing_unknown_key(ctx, key);
			continue;
		}
		if (val && !json_object_is_type(val, json_type_array)) {
			ctx_field(
			    ctx, key,
			    "Ожидается список шагов, например [\"manager\", \"role:vacation\"], "
			    "или null — цепочка по умолчанию");
			continue;
		}
		n = val ? json_object_array_length(val) : 0;
		if (val && (n == 0 || n > ROUTING_MAX_STEPS)) {
			ctx_field(ctx, key, "От 1 до %d %s", ROUTING_MAX_STEPS,
			          ru_plural(ROUTING_MAX_STEPS, "шага", "шагов", "шагов"));
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			json_object *s = json_object_array_get_idx(val, i);
			const char *text = json_object_is_type(s, json_type_string)
			                       ? json_object_get_string(s)
			                       : NULL;
			if (text == NULL || !routing_step_valid(text)) {
				bad = ctx_field(ctx, arena_printf(ctx->arena, "%s[%zu]", key, i),
				                "%s", routing_step_why(ctx, i + 1, text));
				continue;
			}
			list = arena_printf(ctx->arena, "%s%s%s", list, i ? "," : "", text);
		}
		if (bad)
			continue;
		list = arena_printf(ctx->arena, "%s}", list);
		if (ctx_sql(
		        ctx,
		        "INSERT INTO routing_types (tenant_id, type, chain) VALUES ($1, $2, $3) "
		        "ON CONFLICT (tenant_id, type) DO UPDATE SET chain = EXCLUDED.chain, "
		        "updated_at = now()",
		        routing_tenant(ctx), key, val ? list : NULL) == NULL ||
		    audit_log(ctx, "routing.chain_set", 1, "request_type", key,
		              audit_detail("chain", val ? list : "default")) < 0)
			return -1;
	}
	if (ctx->error >= 0)
		return -1;
	return routing_chains_get(ctx);
}

/* PUT /api/admin/routing/deadlines {"<type>": {"days": 3} | null} */
static int routing_deadlines_put(struct ctx *ctx)
{
	json_object_object_foreach(ctx->args, key, val)
	{
		int64_t days = 0;
		if (!routing_is_type_key(key)) {
			routing_unknown_key(ctx, key);
			continue;
		}
		if (val && (!json_object_is_type(val, json_type_object) ||
		            jsonx_get_int64(val, "days", &days) < 0 || days < 1 ||
		            days > ROUTING_MAX_DAYS)) {
			ctx_field(
			    ctx, key,
			    "Ожидается {\"days\": число рабочих дней от 1 до %d} или null — без "
			    "срока",
			    ROUTING_MAX_DAYS);
			continue;
		}
		if (ctx_sql(ctx,
		            "INSERT INTO routing_types (tenant_id, type, deadline_days) VALUES "
		            "($1, $2, "
		            "$3) ON CONFLICT (tenant_id, type) DO UPDATE SET deadline_days = "
		            "EXCLUDED.deadline_days, updated_at = now()",
		            routing_tenant(ctx), key, val ? ctx_i64(ctx, days) : NULL) == NULL ||
		    audit_log(ctx, "routing.deadline_set", 1, "request_type", key,
		              audit_detail("days", val ? ctx_i64(ctx, days) : "none")) < 0)
			return -1;
	}
	if (ctx->error >= 0)
		return -1;
	return routing_deadlines_get(ctx);
}

/* ---- operations: substitutes ---- */

#define ROUTING_SUBSTITUTE_COLUMNS                                                                 \
	"s.id, s.employee_id, e.full_name, s.substitute_id, x.full_name, s.date_from, "            \
	"s.date_to, $2::date BETWEEN s.date_from AND s.date_to"
#define ROUTING_SUBSTITUTE_FROM                                                                    \
	" FROM substitutes s JOIN employees e ON e.tenant_id = s.tenant_id AND e.id = "            \
	"s.employee_id JOIN employees x ON x.tenant_id = s.tenant_id AND x.id = s.substitute_id "

static json_object *routing_substitute_json(struct ctx *ctx, PGresult *res, int i)
{
	json_object *o = json_object_new_object();
	int from = worktime_pg_date(res, i, 5), to = worktime_pg_date(res, i, 6);

	jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
	json_object_object_add(o, "employee", routing_person(res, i, 1));
	json_object_object_add(o, "substitute", routing_person(res, i, 3));
	jsonx_set_int(o, "employee_id", atoll(PQgetvalue(res, i, 1)));
	jsonx_set_int(o, "substitute_id", atoll(PQgetvalue(res, i, 3)));
	jsonx_set_str(o, "date_from", PQgetvalue(res, i, 5));
	jsonx_set_str(o, "date_to", PQgetvalue(res, i, 6));
	jsonx_set_str(o, "date_from_ru", worktime_date_ru(ctx, from));
	jsonx_set_str(o, "date_to_ru", worktime_date_ru(ctx, to));
	jsonx_set_bool(o, "active", strcmp(PQgetvalue(res, i, 7), "t") == 0);
	return o;
}

/* The substitutions of one employee (0: everyone's), current and future. */
static int routing_substitutes_list(struct ctx *ctx, int64_t employee)
{
	json_object *items = json_object_new_array();
	const char *today = routing_today(ctx);
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "items", items);
	if (today == NULL)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT " ROUTING_SUBSTITUTE_COLUMNS ROUTING_SUBSTITUTE_FROM
	              "WHERE s.tenant_id = $1 AND s.date_to >= $2::date AND ($3::bigint IS NULL OR "
	              "s.employee_id = $3) ORDER BY s.date_from, s.id LIMIT 1000",
	              routing_tenant(ctx), today, employee ? ctx_i64(ctx, employee) : NULL);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, routing_substitute_json(ctx, res, i));
	return 0;
}

/* GET /api/substitutes: the caller's own */
static int routing_substitutes_mine(struct ctx *ctx)
{
	return routing_substitutes_list(ctx, ctx->employee_id);
}

/* GET /api/admin/routing/substitutes?employee_id= */
static int routing_substitutes_admin(struct ctx *ctx)
{
	int64_t employee = 0;

	if (worktime_arg_employee(ctx, "employee_id", "employee", 0, &employee) < 0)
		return -1;
	return routing_substitutes_list(ctx, employee);
}

/* When the substitute is away themselves on some of the days (a whole-day
 * absence in the timesheet, a vacation or business trip agreed by a
 * request, a substitution of their own: what makes a person away,
 * routing.h), the answer's "warnings" say when and why; the substitution
 * is saved all the same (it may be meant for the other days). Each warning:
 * {"code": "substitute_away", "message"}. 0 or -1. */
static int routing_substitute_away(struct ctx *ctx, int64_t sub, int from, int to)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT x.full_name, a.what, a.code, greatest(a.date_from, $3::date), "
	    "least(a.date_to, $4::date) FROM employees x CROSS JOIN LATERAL ("
	    "SELECT 'deviation' AS what, d.code, d.date_from, d.date_to FROM deviations d "
	    "WHERE d.tenant_id = $1 AND d.employee_id = $2 AND d.whole_day AND d.code <> 26 "
	    "AND d.date_from <= $4::date AND d.date_to >= $3::date "
	    "UNION ALL SELECT r.type, 0, r.date_from, r.date_to FROM requests r WHERE "
	    "r.tenant_id = $1 AND r.employee_id = $2 AND r.type IN ('vacation', "
	    "'business_trip') AND r.state IN ('approved', 'in_progress') "
	    "AND r.date_from <= $4::date AND r.date_to >= $3::date "
	    "UNION ALL SELECT 'substituted', 0, s.date_from, s.date_to FROM substitutes s "
	    "WHERE s.tenant_id = $1 AND s.employee_id = $2 AND s.date_from <= $4::date "
	    "AND s.date_to >= $3::date) a WHERE x.tenant_id = $1 AND x.id = $2 "
	    "ORDER BY 4, 5 LIMIT 5",
	    routing_tenant(ctx), ctx_i64(ctx, sub), worktime_date_iso(ctx, from),
	    worktime_date_iso(ctx, to));
	json_object *warnings;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	warnings = json_object_new_array();
	for (int i = 0; i < PQntuples(res); i++) {
		const char *what = PQgetvalue(res, i, 1), *why;
		const struct t13_code *c = t13_get(atoi(PQgetvalue(res, i, 2)));
		int a = 0, b = 0;
		const char *days;
		json_object *w = json_object_new_object();

		date_parse(PQgetvalue(res, i, 3), &a);
		date_parse(PQgetvalue(res, i, 4), &b);
		days = a == b ? worktime_date_ru(ctx, a)
		              : arena_printf(ctx->arena, "%s–%s", worktime_date_ru(ctx, a),
		                             worktime_date_ru(ctx, b));

		if (strcmp(what, "deviation") == 0)
			why = c ? arena_printf(ctx->arena, "%s (%s)", c->meaning, c->letter)
			        : "отсутствие по табелю";
		else if (strcmp(what, "vacation") == 0)
			why = "отпуск по согласованной заявке";
		else if (strcmp(what, "business_trip") == 0)
			why = "командировка по согласованной заявке";
		else
			why = "назначил себе заместителя";
		jsonx_set_str(w, "code", "substitute_away");
		jsonx_set_str(w, "message",
		              arena_printf(ctx->arena,
		                           "Заместитель %s в эти дни сам отсутствует: %s — %s. "
		                           "Задачи, пришедшие в эти дни, будут ждать его "
		                           "возвращения; на них лучше назначить другого "
		                           "заместителя.",
		                           PQgetvalue(res, i, 0), days, why));
		json_object_array_add(warnings, w);
	}
	json_object_object_add(ctx_result(ctx), "warnings", warnings);
	return 0;
}

static int routing_substitute_add(struct ctx *ctx, int64_t employee)
{
	int64_t sub = 0;
	int from, to, today, moved = 0, bad = 0;
	PGresult *res;

	if (worktime_arg_employee(ctx, "substitute_id", "substitute", 1, &sub) < 0)
		bad = -1;
	if (worktime_arg_date(ctx, "date_from", 1, &from) < 0)
		bad = -1;
	if (worktime_arg_date(ctx, "date_to", 1, &to) < 0)
		bad = -1;
	if (bad)
		return -1;
	if (sub == employee)
		return ctx_field(ctx, "substitute_id", "Заместитель — другой сотрудник");
	if (to < from)
		return ctx_field_code(ctx, "date_to", "range", "Дата окончания раньше даты начала");
	if (to - from >= ROUTING_SUBSTITUTE_MAX_DAYS)
		return ctx_field_code(ctx, "date_to", "range", "Замещение не длиннее %d %s",
		                      ROUTING_SUBSTITUTE_MAX_DAYS,
		                      ru_plural(ROUTING_SUBSTITUTE_MAX_DAYS, "дня", "дней", "дней"));
	if ((today = org_today(ctx)) == DATE_NONE)
		return -1;
	if (to < today)
		return ctx_field_code(ctx, "date_to", "range", "Период замещения уже прошёл");
	if (routing_check_assignee(ctx, "substitute_id", sub, 0) < 0)
		return -1;
	res =
	    ctx_sql(ctx,
	            "WITH s AS (INSERT INTO substitutes (tenant_id, employee_id, substitute_id, "
	            "date_from, date_to, created_by) VALUES ($1, $3, $4, $5, $6, $7) RETURNING *) "
	            "SELECT " ROUTING_SUBSTITUTE_COLUMNS " FROM s JOIN employees e ON e.tenant_id "
	            "= s.tenant_id AND e.id = s.employee_id JOIN employees x ON x.tenant_id = "
	            "s.tenant_id AND x.id = s.substitute_id",
	            routing_tenant(ctx), worktime_date_iso(ctx, today), ctx_i64(ctx, employee),
	            ctx_i64(ctx, sub), worktime_date_iso(ctx, from), worktime_date_iso(ctx, to),
	            ctx_i64(ctx, ctx->user_id));
	if (res == NULL)
		return -1;
	json_object *d = audit_detail("date_from", worktime_date_iso(ctx, from));
	jsonx_set_str(d, "date_to", worktime_date_iso(ctx, to));
	jsonx_set_int(d, "employee_id", employee);
	jsonx_set_int(d, "substitute_id", sub);
	if (audit_log(ctx, "routing.substitute_added", 1, "substitute", PQgetvalue(res, 0, 0), d) <
	    0)
		return -1;
	json_object_object_add(ctx_result(ctx), "substitute", routing_substitute_json(ctx, res, 0));
	if (routing_substitute_away(ctx, sub, from, to) < 0)
		return -1;
	/* away from today: the open tasks go to the substitute now */
	if (from <= today && routing_move_to_substitutes(ctx, employee, &moved) < 0)
		return -1;
	jsonx_set_int(ctx_result(ctx), "moved_tasks", moved);
	ctx->status = 201;
	return 0;
}

/* POST /api/substitutes {"substitute_id", "date_from", "date_to"} */
static int routing_substitutes_add_mine(struct ctx *ctx)
{
	return routing_substitute_add(ctx, ctx->employee_id);
}

/* POST /api/admin/routing/substitutes {"employee_id", "substitute_id", ...} */
static int routing_substitutes_add_admin(struct ctx *ctx)
{
	int64_t employee = 0;
	PGresult *res;

	if (worktime_arg_employee(ctx, "employee_id", "employee", 1, &employee) < 0)
		return -1;
	/* an unknown (or another tenant's) id is told at its field, not as
	 * the insert's foreign key failure */
	res = ctx_sql(ctx, "SELECT 1 FROM employees WHERE tenant_id = $1 AND id = $2",
	              routing_tenant(ctx), ctx_i64(ctx, employee));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_field(ctx, "employee_id", "Сотрудник не найден");
	return routing_substitute_add(ctx, employee);
}

/* DELETE /api/substitutes/{id}, /api/admin/routing/substitutes/{id}: the
 * object is resolved by the dispatcher (own, or the administrator's). */
static int routing_substitutes_delete(struct ctx *ctx)
{
	if (ctx_sql(ctx, "DELETE FROM substitutes WHERE tenant_id = $1 AND id = $2",
	            routing_tenant(ctx), ctx_i64(ctx, ctx->object_id)) == NULL ||
	    audit_log(ctx, "routing.substitute_deleted", 1, "substitute",
	              ctx_i64(ctx, ctx->object_id), NULL) < 0)
		return -1;
	jsonx_set_bool(ctx_result(ctx), "deleted", 1);
	return 0;
}

/* ---- the administrator's page (/admin/routing) ---- */

/* Open tasks of requests whose holder cannot act (ROUTING_CAN_ACT_SQL:
 * dismissed, no cabinet or a closed one) into out's "stuck_tasks", for the
 * administrator to forward (requests.task_forward). 0 or -1. */
static int routing_stuck_tasks(struct ctx *ctx, json_object *out)
{
	json_object *items = json_object_new_array();
	PGresult *res;

	json_object_object_add(out, "stuck_tasks", items);
	res = ctx_sql(ctx,
	              "SELECT t.id, t.step, r.number, r.type, e.full_name, a.id, a.full_name FROM "
	              "request_tasks t JOIN requests r ON r.tenant_id = t.tenant_id AND r.id = "
	              "t.request_id JOIN employees e ON e.tenant_id = r.tenant_id AND e.id = "
	              "r.employee_id JOIN employees a ON a.tenant_id = t.tenant_id AND a.id = "
	              "t.assignee_id WHERE t.tenant_id = $1 AND t.state = 'open' AND NOT "
	              "" ROUTING_CAN_ACT_SQL("$1", "t.assignee_id") " ORDER BY t.id LIMIT 500",
	              routing_tenant(ctx));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *t = json_object_new_object();
		const struct request_type *type = requests_type_find(PQgetvalue(res, i, 3));
		jsonx_set_int(t, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(t, "step_title", strcmp(PQgetvalue(res, i, 1), "approval") == 0
		                                   ? "согласование"
		                                   : "исполнение");
		jsonx_set_int(t, "request_number", atoll(PQgetvalue(res, i, 2)));
		jsonx_set_str(t, "type_title", type ? type->title : PQgetvalue(res, i, 3));
		jsonx_set_str(t, "employee", PQgetvalue(res, i, 4));
		json_object_object_add(t, "assignee",
		                       routing_person(res, i, 5));
		json_object_array_add(items, t);
	}
	return 0;
}

/* GET /admin/routing: the roles with their performers, each type's chain
 * and deadline, the substitutions, the tasks nobody can act on. */
static int routing_page(struct ctx *ctx)
{
	json_object *pages = json_object_new_object(), *scratch = json_object_new_object();
	json_object *subs;

	if (routing_get(ctx) < 0)
		goto fail;
	if (routing_types_into(ctx, 1, scratch, pages) < 0 ||
	    routing_types_into(ctx, 0, scratch, pages) < 0)
		goto fail;
	/* one list of types: title, the steps in force, the deadline */
	json_object_object_add(ctx_result(ctx), "types",
	                       json_object_get(jsonx_get(pages, "chains")));
	{
		json_object *types = jsonx_get(pages, "chains"),
		            *deadlines = jsonx_get(pages, "deadlines");
		for (size_t i = 0; i < json_object_array_length(types); i++) {
			json_object *t = json_object_array_get_idx(types, i),
			            *steps = jsonx_get(t, "steps");
			json_object *d = json_object_array_get_idx(deadlines, i);
			const char *text = "", *titles = "";
			int64_t days;
			for (size_t k = 0; k < json_object_array_length(steps); k++) {
				json_object *st = json_object_array_get_idx(steps, k);
				text = arena_printf(ctx->arena, "%s%s%s", text, k ? ", " : "",
				                    jsonx_get_str(st, "step"));
				titles = arena_printf(ctx->arena, "%s%s%s", titles, k ? " → " : "",
				                      jsonx_get_str(st, "title"));
			}
			jsonx_set_str(t, "chain_text", text);
			jsonx_set_str(t, "chain_ru", titles);
			if (jsonx_get_int64(d, "days", &days) == 0) {
				jsonx_set_int(t, "days", days);
				jsonx_set_str(
				    t, "days_ru",
				    arena_printf(ctx->arena, "%lld %s", (long long)days,
				                 ru_plural(days, "рабочий день", "рабочих дня",
				                           "рабочих дней")));
			}
		}
	}
	subs = ctx_result(ctx);
	if (routing_substitutes_list(ctx, 0) < 0)
		goto fail;
	json_object_object_add(subs, "substitutes", json_object_get(jsonx_get(subs, "items")));
	json_object_object_del(subs, "items");
	if (routing_stuck_tasks(ctx, subs) < 0)
		goto fail;
	json_object_put(pages);
	json_object_put(scratch);
	return 0;
fail:
	json_object_put(pages);
	json_object_put(scratch);
	return -1;
}

/* POST /admin/routing/performers {role, performer_id | performer} */
static int routing_performer_add(struct ctx *ctx)
{
	const char *role = jsonx_get_str(ctx->args, "role");
	int64_t employee = 0;

	if (worktime_arg_employee(ctx, "performer_id", "performer", 1, &employee) < 0 ||
	    role == NULL ||
	    routing_employee_item(ctx, arena_own(ctx->arena, json_object_new_int64(employee)),
	                          "performer") == 0)
		return -1;
	if (ctx_sql(
	        ctx,
	        "INSERT INTO routing_performers (tenant_id, role, employee_id, position) VALUES "
	        "($1, $2, $3, (SELECT coalesce(max(position), 0) + 1 FROM routing_performers "
	        "WHERE tenant_id = $1 AND role = $2)) ON CONFLICT DO NOTHING",
	        routing_tenant(ctx), role, ctx_i64(ctx, employee)) == NULL)
		return -1;
	json_object *d = audit_detail("role", role);
	jsonx_set_int(d, "employee_id", employee);
	if (audit_log(ctx, "routing.performer_added", 1, "routing_role", role, d) < 0)
		return -1;
	return routing_get(ctx);
}

/* POST /admin/routing/performers/delete {role, employee_id} */
static int routing_performer_remove(struct ctx *ctx)
{
	const char *role = jsonx_get_str(ctx->args, "role");
	int64_t employee;

	if (role == NULL ||
	    ctx_arg_int(ctx, "employee_id", 1, INT64_MAX, CTX_REQUIRED, &employee) < 0)
		return -1;
	if (ctx_sql(ctx,
	            "DELETE FROM routing_performers WHERE tenant_id = $1 AND role = $2 AND "
	            "employee_id = $3",
	            routing_tenant(ctx), role, ctx_i64(ctx, employee)) == NULL)
		return -1;
	json_object *d = audit_detail("role", role);
	jsonx_set_int(d, "employee_id", employee);
	if (audit_log(ctx, "routing.performer_removed", 1, "routing_role", role, d) < 0)
		return -1;
	return routing_get(ctx);
}

/* POST /admin/routing/chains {chain_type, chain_step: ["manager",
 * "role:vacation", "", ...]} (the page's selects, in order; empty ones
 * skipped) or {chain_type, chain: "manager, role:vacation"} (text) */
static int routing_chain_set(struct ctx *ctx)
{
	const char *type = jsonx_get_str(ctx->args, "chain_type");
	const char *text = jsonx_get_str(ctx->args, "chain");
	json_object *steps = jsonx_get(ctx->args, "chain_step");
	json_object *body = json_object_new_object(), *list = NULL, *saved = ctx->args;
	char *copy, *save = NULL, *tok;
	int rc;

	if (type == NULL)
		return -1;
	if (json_object_is_type(steps, json_type_array)) {
		for (size_t i = 0; i < json_object_array_length(steps); i++) {
			const char *step = json_object_get_string(json_object_array_get_idx(steps, i));
			if (step == NULL || *step == '\0')
				continue;
			if (list == NULL)
				list = json_object_new_array();
			json_object_array_add(list, json_object_new_string(step));
		}
	} else if (text && *text) {
		list = json_object_new_array();
		copy = arena_strdup(ctx->arena, text);
		for (tok = strtok_r(copy, ", ;\n\t", &save); tok;
		     tok = strtok_r(NULL, ", ;\n\t", &save))
			json_object_array_add(list, json_object_new_string(tok));
	}
	json_object_object_add(body, type, list);
	arena_own(ctx->arena, body);
	ctx->args = body;
	rc = routing_chains_put(ctx);
	ctx->args = saved;
	if (ctx->error_fields && jsonx_get(ctx->error_fields, type) == NULL) {
		/* "vacation[1]" of the API is the form's "chain" */
		json_object_object_foreach(ctx->error_fields, key, val)
		{
			(void)key;
			ctx_field(ctx, "chain", "%s", json_object_get_string(val));
			break;
		}
	} else if (ctx->error_fields) {
		ctx_field(ctx, "chain", "%s",
		          json_object_get_string(jsonx_get(ctx->error_fields, type)));
	}
	return rc;
}

/* POST /admin/routing/deadlines {deadline_type, days: "3" | ""} */
static int routing_deadline_set(struct ctx *ctx)
{
	const char *type = jsonx_get_str(ctx->args, "deadline_type");
	json_object *body = json_object_new_object(), *saved = ctx->args, *v = NULL;
	int64_t days = 0;
	int rc;

	if (type == NULL || ctx_arg_int(ctx, "days", 1, ROUTING_MAX_DAYS, 0, &days) < 0)
		return -1;
	if (days) {
		v = json_object_new_object();
		jsonx_set_int(v, "days", days);
	}
	json_object_object_add(body, type, v);
	arena_own(ctx->arena, body);
	ctx->args = body;
	rc = routing_deadlines_put(ctx);
	ctx->args = saved;
	return rc;
}

/* debug.routing_deadlines: the job's pass over the host's tenant, now (on
 * the tests' clock). */
static int routing_debug_deadlines(struct ctx *ctx)
{
	const char *now = jsonx_get_str(ctx->args, "now");
	json_object *list;
	int done = 0, due = 0;

	if (now &&
	    ctx_sql(ctx, "SELECT set_config('app.now', $1::timestamptz::text, true)", now) == NULL)
		return -1;
	/* the job acts, not the administrator who asked for it: the history and
	 * the audit log say "the service" */
	ctx->system = 1;
	/* the job's own choice of tenants first: a tenant it would skip at
	 * that moment is skipped here too */
	list = json_object_new_array();
	if (routing_due_tenants(ctx, list) < 0) {
		json_object_put(list);
		return -1;
	}
	for (size_t i = 0; i < json_object_array_length(list); i++)
		due |= json_object_get_int64(json_object_array_get_idx(list, i)) == ctx->tenant_id;
	json_object_put(list);
	if (due && routing_deadlines_run(ctx, &done) < 0)
		return -1;
	jsonx_set_int(ctx_result(ctx), "tasks", done);
	return 0;
}

static const struct op_arg routing_debug_args[] = {
    {"now", ARG_STR, 0, .max = 40, .hint = "Момент ISO 8601: 2026-12-01T09:00:00Z"},
    ARG_END,
};
static const struct op_arg routing_put_args[] = {
    {"roles", ARG_OBJECT, ARG_REQUIRED, .example = "{\"coordinator\": []}",
     .hint = "Ожидается объект {\"роль\": [номера сотрудников]}"},
    ARG_END,
};
static const struct op_arg routing_substitute_args[] = {
    {"substitute_id", ARG_INT, 0, .min = 1, .max = INT64_MAX},
    {"substitute", ARG_STR, 0, .max = 400},
    ARG_ROW_DATE("date_from", ARG_REQUIRED),
    ARG_ROW_DATE("date_to", ARG_REQUIRED),
    ARG_END,
};
static const struct op_arg routing_substitute_admin_args[] = {
    {"employee_id", ARG_INT, 0, .min = 1, .max = INT64_MAX},
    {"employee", ARG_STR, 0, .max = 400},
    {"substitute_id", ARG_INT, 0, .min = 1, .max = INT64_MAX},
    {"substitute", ARG_STR, 0, .max = 400},
    ARG_ROW_DATE("date_from", ARG_REQUIRED),
    ARG_ROW_DATE("date_to", ARG_REQUIRED),
    ARG_END,
};
static const struct op_arg routing_substitutes_admin_list_args[] = {
    {"employee_id", ARG_INT, 0, .min = 1, .max = INT64_MAX},
    {"employee", ARG_STR, 0, .max = 400},
    ARG_END,
};
static const struct op_arg routing_id_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
static const char *const routing_role_names[] = {"coordinator",
                                                 "vacation",
                                                 "personal_data",
                                                 "tax_deduction",
                                                 "absence",
                                                 "certificate_ndfl",
                                                 "certificate_vacation_balance",
                                                 "certificate_employment",
                                                 NULL};
static const char *const routing_type_names[] = {"vacation",         "absence",
                                                 "business_trip",    "personal_data",
                                                 "tax_deduction",    "certificate_employment",
                                                 "certificate_ndfl", "certificate_vacation_balance",
                                                 "question",         NULL};
#define ROUTING_ROLE_ARG                                                                              \
	{                                                                                             \
		"role", ARG_ENUM, ARG_REQUIRED, .values = routing_role_names,                         \
		                                .example = "\"coordinator\"",                         \
		                                .hint = "Выберите роль из списка" \
	}
#define ROUTING_TYPE_ARG(name_)                                                                                 \
	{                                                                                                       \
		name_, ARG_ENUM, ARG_REQUIRED, .values = routing_type_names,                                    \
		                               .example = "\"question\"",                                       \
		                               .hint = "Выберите вид заявки из списка" \
	}
static const struct op_arg routing_performer_args[] = {
    ROUTING_ROLE_ARG,
    {"performer_id", ARG_INT, 0, .min = 1, .max = INT64_MAX},
    {"performer", ARG_STR, 0, .max = 400},
    ARG_END,
};
static const struct op_arg routing_performer_remove_args[] = {
    ROUTING_ROLE_ARG,
    ARG_ROW_ID("employee_id", ARG_REQUIRED),
    ARG_END,
};
static const struct op_arg routing_chain_step_item[] = {
    ARG_ITEM(ARG_STR, .flags = ARG_EMPTY, .max = 64, .hint = "Шаг: manager или role:<роль>"),
    ARG_END,
};
static const struct op_arg routing_chain_set_args[] = {
    ROUTING_TYPE_ARG("chain_type"),
    {"chain", ARG_STR, ARG_EMPTY, .max = 500},
    {"chain_step", ARG_ARRAY, 0, .min = 0, .max = 8, .example = "[\"manager\", \"role:vacation\"]",
     .items = routing_chain_step_item},
    ARG_END,
};
static const struct op_arg routing_deadline_set_args[] = {
    ROUTING_TYPE_ARG("deadline_type"),
    {"days", ARG_INT, 0, .min = 1, .max = ROUTING_MAX_DAYS,
     .hint = "Срок — число рабочих дней от 1 до 250; пусто — без срока"},
    ARG_END,
};

const struct op routing_ops[] = {
    {"routing.get", OP_ADMIN, routing_get, 0, args_none},
    {"routing.put", OP_ADMIN, routing_put, OP_WRITE, routing_put_args},
    {"routing.chains_get", OP_ADMIN, routing_chains_get, 0, args_none},
    {"routing.chains_put", OP_ADMIN, routing_chains_put, OP_WRITE, args_none},
    {"routing.deadlines_get", OP_ADMIN, routing_deadlines_get, 0, args_none},
    {"routing.deadlines_put", OP_ADMIN, routing_deadlines_put, OP_WRITE, args_none},
    {"substitutes.admin_list", OP_ADMIN, routing_substitutes_admin, 0,
     routing_substitutes_admin_list_args},
    {"substitutes.admin_add", OP_ADMIN, routing_substitutes_add_admin, OP_WRITE | OP_IDEMPOTENT,
     routing_substitute_admin_args},
    {"substitutes.admin_delete", OP_ADMIN, routing_substitutes_delete, OP_WRITE, routing_id_args,
     WHO_ON(WHO_ADMIN, OBJ_SUBSTITUTE, "id")},
    {"substitutes.list", OP_EMPLOYEE, routing_substitutes_mine, 0, args_none,
     WHO(WHO_MANAGER | WHO_PERFORMER)},
    {"substitutes.add", OP_EMPLOYEE, routing_substitutes_add_mine, OP_WRITE | OP_IDEMPOTENT,
     routing_substitute_args, WHO(WHO_MANAGER | WHO_PERFORMER)},
    {"substitutes.delete", OP_EMPLOYEE, routing_substitutes_delete, OP_WRITE, routing_id_args,
     WHO_ON(WHO_SELF, OBJ_SUBSTITUTE, "id")},
    {"routing.page", OP_ADMIN, routing_page, 0, args_none},
    {"routing.performer_add", OP_ADMIN, routing_performer_add, OP_WRITE, routing_performer_args},
    {"routing.performer_remove", OP_ADMIN, routing_performer_remove, OP_WRITE,
     routing_performer_remove_args},
    {"routing.chain_set", OP_ADMIN, routing_chain_set, OP_WRITE, routing_chain_set_args},
    {"routing.deadline_set", OP_ADMIN, routing_deadline_set, OP_WRITE, routing_deadline_set_args},
    {"debug.routing_deadlines", OP_ADMIN, routing_debug_deadlines, OP_WRITE | OP_DEBUG,
     routing_debug_args},
    {NULL, 0, NULL, 0, NULL},
};
