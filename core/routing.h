/*
 * routing.h - who gets the tasks of a request (issue 12; seed 000
 * "Адресация заявок"): routing roles and their performers, the approval
 * chain and the deadline of each request type, substitutes, and the
 * deadlines job (reminders at half time, escalation past the deadline).
 *
 * Roles (seed 000, "Роли и исполнители задач"): coordinator (Координатор
 * выполнения задач), vacation, personal_data, tax_deduction, absence,
 * certificate_ndfl, certificate_vacation_balance, certificate_employment;
 * each with one or more performers. A type without a role of its own
 * (business_trip, question) goes to the coordinator; a role with no
 * performer to the coordinator; with no coordinator either, to the
 * administrator who connected the service (seed 000: "По умолчанию все
 * заявки приходят на пользователя, подключавшего сервис"). The performers of
 * a role take new tasks in turn (the one present who got one longest ago,
 * then in the administrator's order); nobody gets a task of their own
 * request while someone else can take it.
 *
 * Chains: each request type has a chain of steps, each a task in turn:
 * "manager" (the employee's manager by the staff's rule, staff.h: the
 * department's head, else the organization's; nobody: the step is skipped
 * and the skip recorded) or "role:<role>". Every step but the last is an
 * approval, the last one executes. Defaults: ["manager", "role:<type's
 * role>"] for vacation, absence and business_trip, ["role:<type's role>"]
 * for the others. A request keeps the chain it was submitted with.
 *
 * Substitutes: a manager or performer names a substitute for a period
 * (POST /api/substitutes; an administrator for anyone). A person is away on
 * a day covered by one of their substitutes' periods, or on a day of a
 * whole-day absence of theirs in the timesheet (a vacation, a sick leave, a
 * business trip: any whole-day deviation); an away person's new tasks go to
 * their substitute (the one whose period covers the day, else the one
 * named last), and their open tasks move there when the substitution is
 * named and at every run of the deadlines job. The task records whom the
 * substitute acts for (on_behalf_of) and the history says so.
 *
 * Deadlines: PUT /api/admin/routing/deadlines {"<type>": {"days": 3}}
 * (null: none) gives every task of the type a deadline: the end of the
 * N-th working day after the day the task was given, working days of the
 * organization's production calendar (the tenant's default calendar; a
 * year it lacks counts Monday to Friday). At half of that time the holder
 * gets a reminder (a notification); past the deadline the task goes up:
 * an approval to the next head up (the head of the holder's department,
 * or of its parent when the holder heads it, then the organization's
 * head), else to the coordinator; an execution to the coordinator, else
 * the next head up. The new task gets a deadline of its own. With nobody
 * to go to, the task stays and is marked so it is not tried again.
 * An HR task (hrtasks.h) has the deadline its giver chose: it is reminded
 * the same way, never escalated nor moved to a substitute; past its
 * deadline its giver is told once (task_overdue).
 * The job (routing.deadlines) runs every minute; debug.routing_deadlines
 * {"now"?: ISO 8601 moment} runs it at once for the host's tenant, at that
 * moment (debug_ops only: how the tests move time).
 *
 * API (administrators):
 *   GET  /api/admin/routing -> {"roles": {"<role>": [employee ids]}, "details": [...],
 *        "default_performer": {"id", "full_name"} | null}
 *   PUT  /api/admin/routing {"roles": {"<role>": [employee ids]}}   each role named is
 *        replaced; [] leaves it without performers
 *   GET/PUT /api/admin/routing/chains {"<type>": ["manager", "role:vacation", ...] | null}
 *   GET/PUT /api/admin/routing/deadlines {"<type>": {"days": 3} | null}
 *   GET  /api/admin/routing/substitutes, POST {employee_id, substitute_id, date_from,
 *        date_to}, DELETE /api/admin/routing/substitutes/{id}
 * A manager or performer:
 *   GET  /api/substitutes, POST /api/substitutes {"substitute_id", "date_from",
 *        "date_to"} -> 201, DELETE /api/substitutes/{id}
 */
#ifndef CABINET_ROUTING_H
#define CABINET_ROUTING_H

#include "dispatch.h"
#include "worker.h"

#include <stdint.h>

struct routing_role {
	const char *name, *title;
};

/* The eight roles, ending with {NULL}. */
extern const struct routing_role routing_roles[];
/* The role of name, or NULL. */
const struct routing_role *routing_role_find(const char *name);

/* SQL of "now" for the service: the real clock, or the transaction's
 * app.now when a test fixed one (debug operations only: debug.clock, and
 * debug.routing_deadlines {"now"} runs the deadlines job at a moment of its
 * choosing). The one definition is app_now() (sql/0045). */
#define ROUTING_NOW_SQL "app_now()"
/* SQL of today's date in the organization's time zone (its setting,
 * settings.h; the same as org_today()). */
#define ROUTING_TODAY_SQL "app_today()"

/* SQL of the chain configured for request type t of tenant tn (parameter
 * references or columns): a text[], NULL when the type has none. */
#define ROUTING_CHAIN_SQL(tn, t)                                                                   \
	"(SELECT chain FROM routing_types WHERE tenant_id = " tn " AND type = " t " AND chain IS " \
	"NOT NULL)"

/* The chain of steps for a request type, in arena memory: *steps[0..*n):
 * `configured`, the text of ROUTING_CHAIN_SQL (read with the request), or
 * the type's default when it is NULL or empty. 0 or -1. */
int routing_chain(struct ctx *ctx, const char *type, const char *configured, const char ***steps,
                  int *n);

/*
 * The person a chain step gives the task to for a request of `employee`:
 * *assignee (0: nobody: a "manager" step with no manager) and *how for
 * the history ("department_head", "organization_head", "performer",
 * "coordinator", "default"). Not yet resolved for substitutes. 0 or -1
 * (409 when nobody at all can take a role's task).
 */
int routing_step_assignee(struct ctx *ctx, const char *step, int64_t employee, int64_t *assignee,
                          const char **how);

/* SQL: whether employee e (a parameter reference or a column) of tenant t
 * is away today: a substitution of theirs covers the day, or a whole-day
 * absence of theirs in the timesheet does. */
#define ROUTING_AWAY_SQL(t, e)                                                                     \
	"(EXISTS (SELECT 1 FROM substitutes s WHERE s.tenant_id = " t " AND s.employee_id = " e    \
	" AND " ROUTING_TODAY_SQL " BETWEEN s.date_from AND s.date_to) OR EXISTS (SELECT 1 FROM "  \
	"deviations d WHERE d.tenant_id = " t " AND d.employee_id = " e " AND d.whole_day AND "    \
	"d.code <> 26 AND " ROUTING_TODAY_SQL " BETWEEN d.date_from AND d.date_to))"
/* SQL of routing_substitute(): the substitute of employee e of tenant t
 * when they are away today (the substitution covering today, else the one
 * named last), NULL when not away or without a substitute. */
#define ROUTING_SUBSTITUTE_SQL(t, e)                                                               \
	"(CASE WHEN " ROUTING_AWAY_SQL(t, e) " THEN (SELECT substitute_id FROM substitutes WHERE " \
	                                     "tenant_id = " t " AND employee_id = " e              \
	                                     " ORDER BY (" ROUTING_TODAY_SQL " BETWEEN "           \
	                                     "date_from AND date_to) DESC, id DESC LIMIT 1) END)"

/* SQL: whether employee e (a parameter reference or a column) of tenant t
 * can act on a task: not dismissed before today, an account (users) that
 * is not blocked, and no closed (disabled) cabinet. A task given to anyone
 * else would wait for someone who can never sign in. */
#define ROUTING_CAN_ACT_SQL(t, e)                                                                  \
	"(EXISTS (SELECT 1 FROM employees ca_e JOIN users ca_u ON ca_u.tenant_id = ca_e.tenant_id " \
	"AND ca_u.employee_id = ca_e.id AND ca_u.status <> 'blocked' WHERE ca_e.tenant_id = " t    \
	" AND ca_e.id = " e " AND (ca_e.dismissed IS NULL OR ca_e.dismissed >= " ROUTING_TODAY_SQL \
	") AND NOT EXISTS (SELECT 1 FROM cabinets ca_c WHERE ca_c.tenant_id = ca_e.tenant_id AND " \
	"ca_c.employee_id = ca_e.id AND ca_c.state = 'disabled')))"

/*
 * The check of an employee named as who will hold tasks (a forwarding's
 * "to", a routing role's performer, a substitute) at the field: 0, or -1
 * after a 422 naming it: «Сотрудник не найден», «Сотрудник уволен …»,
 * «У сотрудника нет личного кабинета …» or «Личный кабинет сотрудника
 * закрыт …» (ROUTING_CAN_ACT_SQL's rule, said). planned (a role's
 * performer): an employee whose cabinet is not made yet is accepted; the
 * role passes them over until they can act.
 */
int routing_check_assignee(struct ctx *ctx, const char *field, int64_t employee, int planned);

/* The substitute of employee when they are away today: *sub (0: not away,
 * or no substitute). 0 or -1. */
int routing_substitute(struct ctx *ctx, int64_t employee, int64_t *sub);

/* The deadline of a task given today with a type's deadline of `days`
 * working days: *due_at and *remind_at as timestamptz texts (NULL for days
 * 0: no deadline). 0 or -1. */
int routing_deadline(struct ctx *ctx, int days, const char **due_at, const char **remind_at);

/* The deadline at the end of the day `date` (date.h) in the organization's
 * zone, for a task given now: *due_at and *remind_at (half of the time from
 * now) as timestamptz texts. 0 or -1. */
int routing_due(struct ctx *ctx, int date, const char **due_at, const char **remind_at);

/* SQL of the deadline in working days of request type t of tenant tn
 * (parameter references or columns); 0 without one. */
#define ROUTING_DEADLINE_DAYS_SQL(tn, t)                                                           \
	"coalesce((SELECT deadline_days FROM routing_types WHERE tenant_id = " tn " AND type = " t \
	"), 0)"

/* One pass of reminders and escalations over the transaction's tenant
 * (ctx_use_tenant). *done: tasks reminded or moved. 0 or -1. */
int routing_deadlines_run(struct ctx *ctx, int *done);
/* The background task: a pass over every tenant with a task due. */
void routing_deadlines_task(struct db *db, struct arena *arena, void *arg);

#endif
