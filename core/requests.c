/*
 * requests.c - employees' requests: types and their fields, states and
 * transitions, tasks, history and effects (requests.h).
 */
#include "requests.h"

#include "audit.h"
#include "cabinets.h"
#include "certificates.h"
#include "date.h"
#include "hrtasks.h"
#include "jsonx.h"
#include "log.h"
#include "notify.h"
#include "ops.h"
#include "org.h"
#include "payrun.h"
#include "routing.h"
#include "ru.h"
#include "staff.h"
#include "t13.h"
#include "validate.h"
#include "worktime.h"

#include <stdlib.h>
#include <string.h>

/* The longest period a request may name: a year and a day. */
#define REQUESTS_MAX_DAYS 366
#define REQUESTS_TEXT_MAX 2000
#define REQUESTS_PAGE_MAX 200

const struct request_type requests_types[] = {
    {"vacation", "Отпуск", "vacation", 1, 1},
    {"absence", "Отсутствие", "absence", 1, 1},
    {"business_trip", "Командировка", "coordinator", 1, 1},
    {"personal_data", "Изменение личных данных", "personal_data", 0, 0},
    {"tax_deduction", "Налоговый вычет на детей", "tax_deduction", 0, 0},
    {"certificate_employment", "Справка с места работы", "certificate_employment", 0, 0},
    {"certificate_ndfl", "Справка о доходах и суммах налога", "certificate_ndfl", 0, 0},
    {"certificate_vacation_balance", "Справка об остатке отпуска", "certificate_vacation_balance",
     0, 0},
    {"question", "Вопрос", "coordinator", 0, 0},
    {NULL, NULL, NULL, 0, 0},
};

const struct request_type *requests_type_find(const char *name)
{
	for (const struct request_type *t = requests_types; name && t->name; t++)
		if (strcmp(t->name, name) == 0)
			return t;
	return NULL;
}

static const char *const requests_type_names[] = {
    "vacation",         "absence",
    "business_trip",    "personal_data",
    "tax_deduction",    "certificate_employment",
    "certificate_ndfl", "certificate_vacation_balance",
    "question",         NULL,
};

static const struct {
	const char *state, *title;
} requests_states[] = {
    {"draft", "Черновик"},
    {"submitted", "Отправлена исполнителю"},
    {"awaiting_approval", "На согласовании"},
    {"approved", "Согласована, ждёт исполнителя"},
    {"rejected", "Отклонена"},
    {"in_progress", "В работе"},
    {"done", "Выполнена"},
    {"cancelled", "Отозвана"},
};

const char *requests_state_title(const char *state)
{
	for (size_t i = 0; i < sizeof(requests_states) / sizeof(requests_states[0]); i++)
		if (strcmp(requests_states[i].state, state) == 0)
			return requests_states[i].title;
	return state;
}

static const char *requests_task_state_title(const char *state)
{
	static const struct {
		const char *state, *title;
	} t[] = {{"open", "Открыта"},
	         {"done", "Выполнена"},
	         {"forwarded", "Передана"},
	         {"rejected", "Отклонена"},
	         {"cancelled", "Заявка отозвана"}};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].state, state) == 0)
			return t[i].title;
	return state;
}

/* vacation kinds and absence reasons: the deviation each becomes */
static const struct {
	const char *name, *title;
	int code;
} requests_kinds[] =
    {
        {"annual", "ежегодный оплачиваемый", T13_OT},
        {"additional", "дополнительный оплачиваемый", T13_OD},
        {"unpaid", "без сохранения заработной платы", T13_DO},
},
  requests_reasons[] = {
      {"sick", "болезнь", T13_B},
      {"day_off", "оплачиваемый день отдыха", T13_OV},
      {"unpaid", "за свой счёт", T13_DO},
      {"public_duty", "исполнение государственных обязанностей", T13_G},
      {"study", "учебный отпуск", T13_U},
};
static const char *const requests_kind_names[] = {"annual", "additional", "unpaid", NULL};
static const char *const requests_reason_names[] = {"sick",        "day_off", "unpaid",
                                                    "public_duty", "study",   NULL};

int requests_kind_code(const char *kind, const char **title)
{
	for (size_t i = 0; i < sizeof(requests_kinds) / sizeof(requests_kinds[0]); i++)
		if (kind && strcmp(requests_kinds[i].name, kind) == 0) {
			*title = requests_kinds[i].title;
			return requests_kinds[i].code;
		}
	return 0;
}

int requests_reason_code(const char *reason, const char **title)
{
	for (size_t i = 0; i < sizeof(requests_reasons) / sizeof(requests_reasons[0]); i++)
		if (reason && strcmp(requests_reasons[i].name, reason) == 0) {
			*title = requests_reasons[i].title;
			return requests_reasons[i].code;
		}
	return 0;
}

static const char *requests_tenant(struct ctx *ctx)
{
	return ctx_i64(ctx, ctx->tenant_id);
}

/* ---- a request in memory ---- */

struct request {
	int64_t id, employee;
	int64_t number; /* the number people see, the tenant's (sql/0054, 0068) */
	const struct request_type *type;
	const char *state;
	json_object *data; /* arena-owned */
	const char **chain;
	const char *chain_text; /* chain as the text[] it is stored as */
	const char *type_chain; /* ROUTING_CHAIN_SQL: its type's configured chain, or NULL */
	int nchain, step, approved;
	const char *date_from, *date_to; /* ISO or NULL */
	const char *what;                /* requests_describe(), once asked */
	const char *subject;             /* the same without the employee's name */
	const char *who;                 /* the employee's full name */
	int deadline_days;               /* its type's (routing.h); 0: none */
	int hired, dismissed;            /* the employee's (DATE_NONE: none) */
	/* a creation that submits at once: no row yet, id and number 0; its
	 * row is inserted in its first step's state with its first task
	 * (requests_route_loaded) */
	int pending;
	/* the answer's row (REQUESTS_COLUMNS_TZ) as the request's last write
	 * returned it (requests_route_loaded), or NULL: requests_answer()
	 * reads it */
	PGresult *answer;
	const char *reply;               /* a question's answer when it is done: told with
	                                    the state (requests_state_told) */
};

/* Parses a text[] of chain steps ([a-z_:] only, never quoted). */
static const char **requests_parse_chain(struct ctx *ctx, const char *text, int *n)
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

int requests_period_days(struct ctx *ctx, int64_t employee, const char *type, const char *kind,
                         int from, int to, int *holidays)
{
	*holidays = 0;
	if (strcmp(type, "vacation") == 0 && (kind == NULL || strcmp(kind, "unpaid") != 0))
		return worktime_vacation_days(ctx, employee, from, to, holidays);
	return to - from + 1;
}

/* "Отпуск № 12 с 01.07.2031 по 14.07.2031 (14 дней)", a paid vacation with
 * holidays inside "(12 дней, не считая 2 праздничных)"
 * (requests_period_days), or "Вопрос № 13" without dates (from_iso NULL):
 * what the request is, for anyone; requests_what() adds whose it is for
 * other people. NULL after ctx_fail. */
static const char *requests_subject_text(struct ctx *ctx, const char *title, int64_t number,
                                         int64_t employee, const char *type, const char *kind,
                                         const char *from_iso, const char *to_iso)
{
	int from, to, days, holidays;
	char f[DATE_BUFSZ], t[DATE_BUFSZ];

	if (from_iso == NULL)
		return arena_printf(ctx->arena, "%s № %lld", title, (long long)number);
	if (date_parse(from_iso, &from) < 0 || date_parse(to_iso, &to) < 0) {
		ctx_fail(ctx, PROTO_ERR_internal, NULL);
		return NULL;
	}
	days = requests_period_days(ctx, employee, type, kind, from, to, &holidays);
	if (days < 0)
		return NULL;
	date_format_ru(from, f);
	date_format_ru(to, t);
	return arena_printf(ctx->arena, "%s № %lld с %s по %s (%d %s%s)", title, (long long)number,
	                    f, t, days, ru_plural(days, "день", "дня", "дней"),
	                    holidays ? arena_printf(ctx->arena, ", не считая %d %s", holidays,
	                                            ru_plural(holidays, "праздничного",
	                                                      "праздничных", "праздничных"))
	                             : "");
}

/* The lower-case phrase of a state inside a sentence: "Ваша заявка …
 * согласована и ждёт исполнителя" (the titles are for headings). */
static const char *requests_state_phrase(const char *state)
{
	static const struct {
		const char *state, *phrase;
	} t[] = {
	    {"draft", "сохранена черновиком"},
	    {"submitted", "отправлена исполнителю"},
	    {"awaiting_approval", "отправлена на согласование"},
	    {"approved", "согласована и ждёт исполнителя"},
	    {"rejected", "отклонена"},
	    {"in_progress", "взята в работу"},
	    {"done", "выполнена"},
	    {"cancelled", "отозвана"},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].state, state) == 0)
			return t[i].phrase;
	return state;
}

/* A request as requests_fill() reads it: the row `r` joined with its
 * employee `e` (REQUESTS_LOAD_JOIN), with what its notifications say, its
 * type's deadline and configured chain. */
#define REQUESTS_LOAD_DEADLINE ROUTING_DEADLINE_DAYS_SQL("r.tenant_id", "r.type")
#define REQUESTS_LOAD_CHAIN    ROUTING_CHAIN_SQL("r.tenant_id", "r.type")
#define REQUESTS_LOAD_COLUMNS                                                                      \
	"r.id, r.employee_id, r.type, r.state, r.data, r.date_from, r.date_to, r.chain, r.step, "  \
	"r.approved, e.full_name, " REQUESTS_LOAD_DEADLINE ", " REQUESTS_LOAD_CHAIN ", r.number, " \
	"e.hired, e.dismissed"
#define REQUESTS_LOAD_JOIN                                                                         \
	" JOIN employees e ON e.tenant_id = r.tenant_id AND e.id = r.employee_id "

/* r->subject and r->what from its number, type, data and dates and r->who.
 * 0 or -1. */
static int requests_fill_texts(struct ctx *ctx, struct request *r)
{
	r->subject =
	    requests_subject_text(ctx, r->type->title, r->number, r->employee, r->type->name,
	                          jsonx_get_str(r->data, "kind"), r->date_from, r->date_to);
	if (r->subject == NULL)
		return -1;
	r->what = arena_printf(ctx->arena, "%s, %s", r->subject, r->who);
	return 0;
}

/* The columns of requests_json() with the organization's zone `tz` (SQL:
 * a parameter reference or a column). */
#define REQUESTS_COLUMNS_TZ(tz)                                                                    \
	"r.id, r.type, r.state, r.employee_id, e.full_name, r.data, r.date_from, r.date_to, "      \
	"r.reason, r.result, to_char(r.created_at AT TIME ZONE 'UTC', "                            \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), to_char(r.updated_at AT TIME ZONE 'UTC', "             \
	"'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), to_char(r.created_at AT TIME ZONE " tz                 \
	", 'DD.MM.YYYY "                                                                           \
	"HH24:MI'), to_char(r.updated_at AT TIME ZONE " tz ", 'DD.MM.YYYY HH24:MI'), "             \
	"to_char(r.finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), r.number"
#define REQUESTS_COLUMNS REQUESTS_COLUMNS_TZ("$2")
#define REQUESTS_FROM                                                                              \
	" FROM requests r JOIN employees e ON e.tenant_id = r.tenant_id AND e.id = r.employee_id "

/* The request of row 0 from column c on (REQUESTS_LOAD_COLUMNS). 0 or -1. */
static int requests_fill(struct ctx *ctx, PGresult *res, int c, struct request *r)
{
	const char *why;

	memset(r, 0, sizeof(*r));
	r->id = atoll(PQgetvalue(res, 0, c));
	r->employee = atoll(PQgetvalue(res, 0, c + 1));
	r->type = requests_type_find(PQgetvalue(res, 0, c + 2));
	r->state = PQgetvalue(res, 0, c + 3);
	r->data =
	    arena_own(ctx->arena, jsonx_parse_object(PQgetvalue(res, 0, c + 4),
	                                             (size_t)PQgetlength(res, 0, c + 4), &why));
	r->date_from = PQgetisnull(res, 0, c + 5) ? NULL : PQgetvalue(res, 0, c + 5);
	r->date_to = PQgetisnull(res, 0, c + 6) ? NULL : PQgetvalue(res, 0, c + 6);
	r->chain_text = PQgetvalue(res, 0, c + 7);
	r->chain = requests_parse_chain(ctx, r->chain_text, &r->nchain);
	r->step = atoi(PQgetvalue(res, 0, c + 8));
	r->approved = strcmp(PQgetvalue(res, 0, c + 9), "t") == 0;
	r->deadline_days = atoi(PQgetvalue(res, 0, c + 11));
	r->type_chain = PQgetisnull(res, 0, c + 12) ? NULL : PQgetvalue(res, 0, c + 12);
	r->number = atoll(PQgetvalue(res, 0, c + 13));
	r->hired = worktime_pg_date(res, 0, c + 14);
	r->dismissed = worktime_pg_date(res, 0, c + 15);
	if (r->type == NULL || r->data == NULL)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	r->who = PQgetvalue(res, 0, c + 10);
	return requests_fill_texts(ctx, r);
}

/* Loads and locks the request (requests_fill). 0, or -1 (404 when
 * missing). */
static int requests_load(struct ctx *ctx, int64_t id, struct request *r)
{
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT " REQUESTS_LOAD_COLUMNS " FROM requests r" REQUESTS_LOAD_JOIN
	            "WHERE r.tenant_id = $1 AND r.id = $2 FOR UPDATE OF r",
	            requests_tenant(ctx), ctx_i64(ctx, id));

	memset(r, 0, sizeof(*r));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Заявка не найдена");
	return requests_fill(ctx, res, 0, r);
}

static int requests_in(const char *state, const char *const *states)
{
	for (; *states; states++)
		if (strcmp(state, *states) == 0)
			return 1;
	return 0;
}

/* 409: the action does not apply to the request's state. */
static int requests_refuse(struct ctx *ctx, const struct request *r, const char *action)
{
	return ctx_fail(
	    ctx, PROTO_ERR_conflict, "Заявка № %lld %s: %s нельзя", (long long)r->number,
	    arena_printf(ctx->arena, "в состоянии «%s»", requests_state_title(r->state)), action);
}

/* The request's subject, its employee's name and its number; 0 or -1. */
static int requests_texts(struct ctx *ctx, int64_t request_id, const char **subject,
                          const char **who, int64_t *number)
{
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT r.type, e.full_name, r.date_from, r.date_to, r.data->>'kind', "
	            "r.number, r.employee_id FROM requests r JOIN employees e ON e.tenant_id = "
	            "r.tenant_id AND e.id = r.employee_id WHERE r.tenant_id = $1 AND "
	            "r.id = $2",
	            requests_tenant(ctx), ctx_i64(ctx, request_id));
	const struct request_type *t;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Заявка не найдена");
	t = requests_type_find(PQgetvalue(res, 0, 0));
	*number = atoll(PQgetvalue(res, 0, 5));
	*who = PQgetvalue(res, 0, 1);
	*subject = requests_subject_text(
	    ctx, t ? t->title : "Заявка", *number, atoll(PQgetvalue(res, 0, 6)),
	    PQgetvalue(res, 0, 0), PQgetisnull(res, 0, 4) ? NULL : PQgetvalue(res, 0, 4),
	    PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2), PQgetvalue(res, 0, 3));
	return *subject ? 0 : -1;
}

const char *requests_describe(struct ctx *ctx, int64_t request_id)
{
	const char *subject, *who;
	int64_t number;

	if (requests_texts(ctx, request_id, &subject, &who, &number) < 0)
		return NULL;
	return arena_printf(ctx->arena, "%s, %s", subject, who);
}

int64_t requests_number(struct ctx *ctx, int64_t request_id)
{
	const char *subject, *who;
	int64_t number;

	return requests_texts(ctx, request_id, &subject, &who, &number) < 0 ? -1 : number;
}

/* The request's text for notifications ("Отпуск № 12 …, Иванов Иван
 * Иванович"), looked up once per request; r->subject and r->who too. */
static const char *requests_what(struct ctx *ctx, struct request *r)
{
	if (r->what == NULL) {
		if (requests_texts(ctx, r->id, &r->subject, &r->who, &r->number) < 0)
			return NULL;
		r->what = arena_printf(ctx->arena, "%s, %s", r->subject, r->who);
	}
	return r->what;
}

/* ---- history ---- */

/* The request's history, its audit rows and its notifications of one
 * operation, written in one statement before the commit
 * (ctx_before_commit): a transition makes several of each, and each
 * statement is a round trip. The history row's state is the request's when
 * the operation ends. */
struct requests_journal {
	json_object *events, *audit, *notes; /* arena-owned arrays */
};

static struct requests_journal *requests_journal(struct ctx *ctx);

static int requests_journal_flush(struct ctx *ctx, void *mem)
{
	struct requests_journal *j = mem;
	const char *kind = ctx->system ? "system" : ctx->api_key_id ? "api_key" : "user";
	const char *audit_kind, *audit_user, *audit_ip;

	if (json_object_array_length(j->events) == 0 && json_object_array_length(j->notes) == 0)
		return 0;
	audit_rows_actor(ctx, &audit_kind, &audit_user, &audit_ip);
	/* nothing reads its answer: sent with the COMMIT (or the next
	 * statement), in its round trip */
	return ctx_sql_queue(
	           ctx,
	           "WITH a AS (" AUDIT_ROWS_SQL(
	               "$1", "$7", "$8", "$9",
	               "$10") "), n AS (" NOTIFY_ROWS_SQL("$1",
	                                                  "$11") ") INSERT INTO request_events "
	                                                         "(tenant_id, request_id, task_id, "
	                                                         "at, "
	                                                         "actor_kind, actor_user_id, "
	                                                         "actor_employee_id, api_key_id, "
	                                                         "action, "
	                                                         "state, comment, details) SELECT "
	                                                         "$1, x.request_id, "
	                                                         "x.task_id, " ROUTING_NOW_SQL
	                                                         ", $2, nullif($3, '0')::bigint, "
	                                                         "nullif($4, '0')::bigint, "
	                                                         "nullif($5, '0')::bigint, "
	                                                         "x.action, (SELECT r.state FROM "
	                                                         "requests r WHERE r.tenant_id = "
	                                                         "$1 AND r.id = x.request_id), "
	                                                         "x.comment, coalesce(x.details, "
	                                                         "'{}') FROM ROWS FROM "
	                                                         "(jsonb_to_recordset($6::jsonb) "
	                                                         "AS (request_id bigint, task_id "
	                                                         "bigint, action text, comment "
	                                                         "text, details jsonb)) WITH "
	                                                         "ORDINALITY AS x(request_id, "
	                                                         "task_id, action, comment, "
	                                                         "details, n) ORDER BY x.n",
	           requests_tenant(ctx), kind, ctx_i64(ctx, ctx->system ? 0 : ctx->user_id),
	           ctx_i64(ctx, ctx->system ? 0 : ctx->employee_id), ctx_i64(ctx, ctx->api_key_id),
	           jsonx_dump(j->events, NULL), audit_kind, audit_user, audit_ip,
	           jsonx_dump(j->audit, NULL), jsonx_dump(j->notes, NULL));
}

static struct requests_journal *requests_journal(struct ctx *ctx)
{
	struct requests_journal *j =
	    ctx_before_commit(ctx, requests_journal_flush, sizeof(struct requests_journal));

	if (j->events == NULL) {
		j->events = arena_own(ctx->arena, json_object_new_array());
		j->audit = arena_own(ctx->arena, json_object_new_array());
		j->notes = arena_own(ctx->arena, json_object_new_array());
	}
	return j;
}

/* notify() through the journal: written with the history (notify.h). */
static int requests_notify(struct ctx *ctx, int64_t employee_id, const char *kind,
                           int64_t request_id, int64_t task_id, const char *text, const char *sms)
{
	json_object *row = notify_row(ctx, employee_id, kind, request_id, task_id, text, sms);

	if (row)
		json_object_array_add(requests_journal(ctx)->notes, row);
	return 0;
}

int requests_event(struct ctx *ctx, int64_t request_id, int64_t task_id, const char *action,
                   const char *comment, json_object *details)
{
	struct requests_journal *j = requests_journal(ctx);
	json_object *ev = json_object_new_object(), *audit = json_object_new_object(), *d;

	jsonx_set_int(ev, "request_id", request_id);
	if (task_id)
		jsonx_set_int(ev, "task_id", task_id);
	jsonx_set_str(ev, "action", action);
	if (comment)
		jsonx_set_str(ev, "comment", comment);
	if (details)
		json_object_object_add(ev, "details", details);
	json_object_array_add(j->events, ev);
	/* every step in the audit log too, with its comment (the issue asks
	 * for who, when, what and the comment of each step) */
	d = json_object_new_object();
	jsonx_set_int(d, "request_id", request_id);
	if (task_id)
		jsonx_set_int(d, "task_id", task_id);
	if (comment)
		jsonx_set_str(d, "comment", comment);
	jsonx_set_str(audit, "action", arena_printf(ctx->arena, "requests.%s", action));
	jsonx_set_str(audit, "object_type", "request");
	jsonx_set_str(audit, "object_id", ctx_i64(ctx, request_id));
	json_object_object_add(audit, "details", d);
	json_object_array_add(j->audit, audit);
	return 0;
}

/* ---- state ---- */

/* Tells the employee the request's new state unless they did it
 * themselves. */
static int requests_state_told(struct ctx *ctx, struct request *r, const char *state,
                               const char *reason)
{
	if (r->employee != ctx->employee_id || ctx->system || ctx->api_key_id) {
		/* to the employee: their request, not their name */
		const char *phrase = requests_state_phrase(state);
		if (requests_what(ctx, r) == NULL)
			return -1;
		return requests_notify(
		    ctx, r->employee, "request_state", r->id, 0,
		    arena_printf(ctx->arena, "Ваша заявка «%s» %s%s%s%s%s", r->subject, phrase,
		                 reason ? ". Причина: " : "", reason ? reason : "",
		                 r->reply ? ". Ответ: " : "", r->reply ? r->reply : ""),
		    notify_sms(ctx->arena, "request_state", r->number, phrase));
	}
	return 0;
}

/* Sets the request's state (and step, approved, reason); tells the
 * employee unless they did it themselves. A step's state is written with
 * its task instead (requests_task_insert). */
static int requests_set_state(struct ctx *ctx, struct request *r, const char *state,
                              const char *reason)
{
	int final = strcmp(state, "done") == 0 || strcmp(state, "rejected") == 0 ||
	            strcmp(state, "cancelled") == 0;

	/* the chain, step and approval too: a submission's chain and an
	 * approval's next step are written here, not by statements of their
	 * own */
	/* sent with the next statement (ctx_queue): nothing here reads it */
	if (ctx_sql_queue(
	        ctx,
	        "UPDATE requests SET state = $3, step = $4, approved = $5, reason = "
	        "coalesce($6, reason), updated_at = " ROUTING_NOW_SQL ", submitted_at = "
	        "CASE WHEN submitted_at IS NULL AND $3 <> 'draft' THEN " ROUTING_NOW_SQL
	        " ELSE submitted_at END, finished_at = CASE WHEN $7 THEN " ROUTING_NOW_SQL
	        " END, chain = coalesce($8::text[], chain) WHERE tenant_id = $1 AND id = $2",
	        requests_tenant(ctx), ctx_i64(ctx, r->id), state, ctx_i64(ctx, r->step),
	        r->approved ? "t" : "f", reason, final ? "t" : "f", r->chain_text) < 0)
		return -1;
	r->state = state;
	return requests_state_told(ctx, r, state, reason);
}

/* ---- tasks ---- */

struct task {
	int64_t id, request, assignee, on_behalf_of;
	const char *step, *state, *route;
	int chain_index;
};

/* A task's columns as requests_task_fill() reads them (the row `t`). */
#define REQUESTS_TASK_COLUMNS                                                                      \
	"t.id, coalesce(t.request_id, 0), t.assignee_id, coalesce(t.on_behalf_of, 0), t.step, "    \
	"t.state, t.route, t.chain_index"
#define REQUESTS_TASK_NCOLUMNS 8

static void requests_task_fill(PGresult *res, struct task *t)
{
	memset(t, 0, sizeof(*t));
	t->id = atoll(PQgetvalue(res, 0, 0));
	t->request = atoll(PQgetvalue(res, 0, 1));
	t->assignee = atoll(PQgetvalue(res, 0, 2));
	t->on_behalf_of = atoll(PQgetvalue(res, 0, 3));
	t->step = PQgetvalue(res, 0, 4);
	t->state = PQgetvalue(res, 0, 5);
	t->route = PQgetvalue(res, 0, 6);
	t->chain_index = atoi(PQgetvalue(res, 0, 7));
}

/* Every transition locks the request row first, then its tasks
 * (requests_cancel, the task operations): a task's operation takes its
 * request's lock before the task's, or the two would deadlock
 * (trial-break3). Queued: it travels with the next statement. */
static int requests_lock_task_request(struct ctx *ctx, int64_t task_id)
{
	return ctx_sql_queue(ctx,
	                     "SELECT 1 FROM requests WHERE tenant_id = $1 AND id = (SELECT "
	                     "request_id FROM request_tasks WHERE tenant_id = $1 AND id = $2) FOR "
	                     "UPDATE",
	                     requests_tenant(ctx), ctx_i64(ctx, task_id));
}

static int requests_task_load(struct ctx *ctx, int64_t id, struct task *t)
{
	PGresult *res;

	if (requests_lock_task_request(ctx, id) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT " REQUESTS_TASK_COLUMNS " FROM request_tasks t WHERE "
	              "t.tenant_id = $1 AND t.id = $2 FOR UPDATE",
	              requests_tenant(ctx), ctx_i64(ctx, id));

	memset(t, 0, sizeof(*t));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Задача не найдена");
	requests_task_fill(res, t);
	return 0;
}

/* What a new task's holder is told: whose request and what to do, the
 * verb agreeing with the employee (ru_past), or a noun phrase when the
 * name does not tell ("Согласование: заявка «…», Ли Мин"); a forwarded
 * one says who passed it and why (note). */
static const char *requests_task_text(struct ctx *ctx, const struct request *r, const char *step,
                                      const char *how, const char *note)
{
	int approval = strcmp(step, "approval") == 0;
	const char *verb = ru_past(r->who, "подал", "подала");
	const char *text;

	if (strcmp(how, "forwarded") == 0 || strcmp(how, "escalated") == 0)
		text = arena_printf(ctx->arena, "Вам передана задача (%s) по заявке «%s», %s",
		                    approval ? "согласование" : "исполнение", r->subject, r->who);
	else if (verb)
		text = arena_printf(ctx->arena, "%s %s заявку «%s»: %s", r->who, verb, r->subject,
		                    approval ? "нужно ваше согласование" : "нужно её исполнить");
	else
		text = arena_printf(ctx->arena, "%s: заявка «%s», %s",
		                    approval ? "Согласование" : "Исполнение", r->subject, r->who);
	if (note && *note)
		text = arena_printf(ctx->arena, "%s. Комментарий: %s", text, note);
	return text;
}

#define REQUESTS_TASK_SUBSTITUTE ROUTING_SUBSTITUTE_SQL("$1", "$5")

/* The task's INSERT of requests_task_insert(): the substitute of an
 * assignee away today (routing_substitute(), in the same statement), unless
 * it is the request's own employee; its request `req` (SQL: the id). $1
 * tenant, $2 step, $3 chain index, $4 route, $5 assignee, $6 employee, $7
 * due, $8 remind, $9 resolve. */
#define REQUESTS_TASK_INSERT(req, from)                                                            \
	"s AS (SELECT CASE WHEN $9::boolean THEN " REQUESTS_TASK_SUBSTITUTE " END AS sub), "     \
	"a AS (SELECT CASE WHEN s.sub <> $6::bigint THEN s.sub ELSE $5::bigint END AS "            \
	"assignee, CASE WHEN s.sub <> $6::bigint THEN $5::bigint END AS on_behalf_of FROM s), "    \
	"t AS (INSERT INTO request_tasks (tenant_id, request_id, step, chain_index, route, "        \
	"assignee_id, on_behalf_of, created_at, due_at, remind_at) SELECT $1::bigint, " req        \
	", $2::text, $3::smallint, $4::text, a.assignee, a.on_behalf_of, " ROUTING_NOW_SQL         \
	", $7::timestamptz, $8::timestamptz FROM a" from " RETURNING id, assignee_id, "           \
	"coalesce(on_behalf_of, 0) AS on_behalf_of) "
/* The request's row u as the answer reads it (REQUESTS_COLUMNS_TZ), then
 * the task's id, assignee and on whose behalf. */
#define REQUESTS_TASK_ANSWER                                                                       \
	"SELECT " REQUESTS_COLUMNS_TZ("z.tz") ", t.id, t.assignee_id, t.on_behalf_of FROM t, u r "  \
	"JOIN employees e ON e.tenant_id = r.tenant_id AND e.id = r.employee_id CROSS JOIN "        \
	"(SELECT app_timezone() AS tz) z"
#define REQUESTS_TASK_ANSWER_NCOLUMNS 16

/* Opens a task for `assignee` (or their substitute when they are away and
 * resolve is set), with the type's deadline. With `state`, the request's
 * own write goes in the same statement: its row inserted in that state
 * when it is pending (a creation that submits at once: r->id and
 * r->number are set), else its state, step, approval and chain updated;
 * and the answer's row is kept (r->answer). *id, *assignee_out,
 * *on_behalf_of: the task's. */
static int requests_task_insert(struct ctx *ctx, struct request *r, const char *step,
                                const char *route, int64_t assignee, int resolve,
                                const char *state, int64_t *id, int64_t *assignee_out,
                                int64_t *on_behalf_of)
{
	const char *due, *remind;
	PGresult *res;
	int c = 0;

	if (routing_deadline(ctx, r->deadline_days, &due, &remind) < 0)
		return -1;
#define REQUESTS_TASK_PARAMS                                                                       \
	requests_tenant(ctx), step, ctx_i64(ctx, r->step), route, ctx_i64(ctx, assignee),          \
	    ctx_i64(ctx, r->employee), due, remind, resolve ? "t" : "f"
	if (state == NULL)
		res = ctx_sql(ctx,
		              "WITH " REQUESTS_TASK_INSERT("$10::bigint", "") "SELECT id, assignee_id, "
		                                                              "on_behalf_of FROM t",
		              REQUESTS_TASK_PARAMS, ctx_i64(ctx, r->id));
	else if (r->pending)
		/* the number: the next of the tenant's sequence (sql/0068),
		 * which never waits on another creation; a creation refused
		 * after this leaves a gap */
		res = ctx_sql(
		    ctx,
		    "WITH u AS (INSERT INTO requests (tenant_id, number, employee_id, type, state, "
		    "data, date_from, date_to, created_by, created_at, updated_at, submitted_at, "
		    "chain, step, approved) VALUES ($1, request_number_next(), $6, $13, $10, "
		    "$14::jsonb, $15::date, $16::date, $17::bigint, " ROUTING_NOW_SQL
		    ", " ROUTING_NOW_SQL ", " ROUTING_NOW_SQL ", $12::text[], $3::smallint, "
		    "$11::boolean) RETURNING *), " REQUESTS_TASK_INSERT("u.id", ", u") REQUESTS_TASK_ANSWER,
		    REQUESTS_TASK_PARAMS, state, r->approved ? "t" : "f", r->chain_text, r->type->name,
		    jsonx_dump(r->data, NULL), r->date_from, r->date_to, ctx_i64(ctx, ctx->user_id));
	else
		res = ctx_sql(ctx,
		              "WITH u AS (UPDATE requests SET state = $11, step = $3::smallint, "
		              "approved = $12::boolean, updated_at = " ROUTING_NOW_SQL
		              ", submitted_at = coalesce(submitted_at, " ROUTING_NOW_SQL
		              "), finished_at = NULL, chain = coalesce($13::text[], chain) WHERE "
		              "tenant_id = $1 AND id = $10 RETURNING *), " REQUESTS_TASK_INSERT(
		                  "u.id", ", u") REQUESTS_TASK_ANSWER,
		              REQUESTS_TASK_PARAMS, ctx_i64(ctx, r->id), state,
		              r->approved ? "t" : "f", r->chain_text);
#undef REQUESTS_TASK_PARAMS
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) /* the request's row: loaded and locked before */
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	if (state) {
		c = REQUESTS_TASK_ANSWER_NCOLUMNS;
		r->answer = res;
		r->state = state;
		if (r->pending) {
			r->id = atoll(PQgetvalue(res, 0, 0));
			r->number = atoll(PQgetvalue(res, 0, 15));
			r->pending = 0;
			if (requests_fill_texts(ctx, r) < 0)
				return -1;
		}
	}
	*id = atoll(PQgetvalue(res, 0, c));
	*assignee_out = atoll(PQgetvalue(res, 0, c + 1));
	*on_behalf_of = atoll(PQgetvalue(res, 0, c + 2));
	return 0;
}

/* Tells a new task's holder (with note, the comment of a forwarding;
 * NULL: none) and records the assignment when record is set. */
static int requests_task_told(struct ctx *ctx, struct request *r, int64_t id, const char *step,
                              const char *how, int64_t assignee, int64_t on_behalf_of,
                              const char *note, int record)
{
	json_object *d = json_object_new_object();

	jsonx_set_int(d, "assignee_id", assignee);
	jsonx_set_str(d, "step", step);
	jsonx_set_str(d, "how", how);
	if (on_behalf_of)
		jsonx_set_int(d, "on_behalf_of", on_behalf_of);
	if (!record)
		json_object_put(d);
	else if (requests_event(ctx, r->id, id, "assigned", NULL, d) < 0)
		return -1;
	if (requests_what(ctx, r) == NULL)
		return -1;
	return requests_notify(
	    ctx, assignee, "task_new", r->id, id, requests_task_text(ctx, r, step, how, note),
	    notify_sms(ctx->arena, "task_new", r->number,
	               strcmp(step, "approval") == 0 ? "согласование" : "исполнение"));
}

/* Opens a task (requests_task_insert, without the request's write) and
 * tells its holder (requests_task_told). *id: the task. */
static int requests_task_open(struct ctx *ctx, struct request *r, const char *step,
                              const char *route, int64_t assignee, int resolve, const char *how,
                              const char *note, int record, int64_t *id)
{
	int64_t on_behalf_of;

	if (requests_task_insert(ctx, r, step, route, assignee, resolve, NULL, id, &assignee,
	                         &on_behalf_of) < 0)
		return -1;
	return requests_task_told(ctx, r, *id, step, how, assignee, on_behalf_of, note, record);
}

static int requests_task_close(struct ctx *ctx, int64_t task, const char *state,
                               const char *comment, int64_t next)
{
	/* sent with the next statement (ctx_queue) */
	return ctx_sql_queue(ctx,
	                     "UPDATE request_tasks SET state = $3, closed_at = " ROUTING_NOW_SQL
	                     ", closed_by = nullif($4, '0')::bigint, comment = $5, next_id = "
	                     "nullif($6, '0')::bigint WHERE tenant_id = $1 AND id = $2",
	                     requests_tenant(ctx), ctx_i64(ctx, task), state,
	                     ctx_i64(ctx, ctx->system ? 0 : ctx->user_id), comment,
	                     ctx_i64(ctx, next));
}

/* requests_route() on a request loaded (and locked) in this transaction,
 * whose step is the one to open, or pending (a creation that submits at
 * once: its row is inserted here, in the state of the step, with its
 * task). The request's state is written with the task, in one statement
 * (requests_task_insert), whose answer's row r->answer keeps. */
static int requests_route_loaded(struct ctx *ctx, struct request *rp)
{
	struct request r = *rp;
	int64_t assignee = 0, task, on_behalf_of;
	const char *how = NULL, *step = NULL, *state;
	int first = r.step, pending = r.pending;

	for (; r.step < r.nchain; r.step++) {
		step = r.step < r.nchain - 1 ? "approval" : "execution";
		if (routing_step_assignee(ctx, r.chain[r.step], r.employee, &assignee, &how) < 0)
			return -1;
		/* the staff's rule found nobody to approve: skipped and
		 * recorded below (staff.h); an execution step always finds
		 * someone or fails */
		if (assignee == 0 && strcmp(step, "approval") == 0)
			continue;
		if (assignee == 0 && strcmp(step, "execution") == 0 &&
		    routing_step_assignee(ctx, "role:coordinator", r.employee, &assignee, &how) < 0)
			return -1;
		break;
	}
	if (r.step >= r.nchain)
		/* no step left: the chain had only approvals nobody could give */
		return ctx_fail(
		    ctx, PROTO_ERR_conflict,
		    "Заявку некому исполнить: проверьте цепочку согласования вида заявки");
	state = strcmp(step, "approval") == 0 ? "awaiting_approval"
	        : r.approved                  ? "approved"
	                                      : "submitted";
	if (requests_task_insert(ctx, &r, step, r.chain[r.step], assignee, 1, state, &task,
	                         &assignee, &on_behalf_of) < 0)
		return -1;
	/* the history in its order: a creation's own steps (its row exists
	 * only now), the approvals skipped, the assignment */
	if (pending && (requests_event(ctx, r.id, 0, "created", NULL,
	                               audit_detail("type", r.type->name)) < 0 ||
	                requests_event(ctx, r.id, 0, "submitted", NULL, NULL) < 0))
		return -1;
	for (int s = first; s < r.step; s++)
		if (requests_event(ctx, r.id, 0, "approval_skipped",
		                   "Руководитель не определён: согласование пропущено",
		                   audit_detail("step", r.chain[s])) < 0)
			return -1;
	if (requests_task_told(ctx, &r, task, step, how, assignee, on_behalf_of, NULL, 1) < 0 ||
	    requests_state_told(ctx, &r, state, NULL) < 0)
		return -1;
	*rp = r;
	return 0;
}

int requests_route(struct ctx *ctx, int64_t request_id)
{
	struct request r;

	if (requests_load(ctx, request_id, &r) < 0)
		return -1;
	return requests_route_loaded(ctx, &r);
}

int requests_task_pass(struct ctx *ctx, int64_t task_id, int64_t to, const char *action,
                       const char *comment, int64_t *next)
{
	struct task t;
	struct request r;
	json_object *d;
	int substituted = strcmp(action, "substituted") == 0;

	*next = 0;
	if (requests_task_load(ctx, task_id, &t) < 0 || requests_load(ctx, t.request, &r) < 0)
		return -1;
	if (strcmp(t.state, "open") != 0)
		return ctx_fail(ctx, PROTO_ERR_conflict, "Задача уже закрыта (%s)",
		                requests_task_state_title(t.state));
	r.step = t.chain_index;
	if (requests_task_open(ctx, &r, t.step, t.route, to, !substituted, action, comment, 0,
	                       next) < 0)
		return -1;
	if (substituted) {
		/* the substitute continues the same task: its deadline and for
		 * whom */
		if (ctx_sql(
		        ctx,
		        "UPDATE request_tasks n SET due_at = o.due_at, remind_at = o.remind_at, "
		        "reminded_at = o.reminded_at, on_behalf_of = o.assignee_id FROM "
		        "request_tasks o WHERE n.tenant_id = $1 AND n.id = $2 AND o.tenant_id = $1 "
		        "AND o.id = $3",
		        requests_tenant(ctx), ctx_i64(ctx, *next), ctx_i64(ctx, task_id)) == NULL)
			return -1;
	}
	if (requests_task_close(ctx, task_id, "forwarded", comment, *next) < 0)
		return -1;
	d = json_object_new_object();
	jsonx_set_int(d, "from", t.assignee);
	jsonx_set_int(d, "to", to);
	/* the history names the new holder (requests_detail) */
	jsonx_set_int(d, "assignee_id", to);
	jsonx_set_int(d, "next_task_id", *next);
	return requests_event(ctx, r.id, task_id, action, comment, d);
}

/* ---- fields of a request ---- */

static int requests_has_error(struct ctx *ctx, const char *field)
{
	return ctx->error_fields && jsonx_get(ctx->error_fields, field) != NULL;
}

/* The date of date_from/date_to, or of its alias from/to (the outside
 * check's names); 0 found, 1 missing, -1 field error (named by the
 * canonical name). */
static int requests_arg_date(struct ctx *ctx, const char *name, const char *alias, int *out)
{
	const char *use = jsonx_get(ctx->args, name) ? name : alias;
	int r = worktime_arg_date(ctx, use, 0, out);

	if (r < 0 && use == alias) {
		json_object_object_del(ctx->error_fields, alias);
		return ctx_field(ctx, name, "%s",
		                 date_input_why(jsonx_get_str(ctx->args, alias),
		                                "Укажите дату в виде ДД.ММ.ГГГГ или ГГГГ-ММ-ДД"));
	}
	return r;
}

/* The period of date_from and date_to; a draft may leave either out (the
 * one given is checked and kept in data, the columns wait for both). */
static int requests_read_period(struct ctx *ctx, json_object *data, int draft,
                                const char **from_iso, const char **to_iso)
{
	int from = DATE_NONE, to = DATE_NONE, bad = 0, rf, rt;

	rf = requests_arg_date(ctx, "date_from", "from", &from);
	if (rf < 0 || (rf > 0 && !draft)) {
		if (!requests_has_error(ctx, "date_from") && !requests_has_error(ctx, "from"))
			ctx_field_code(ctx, "date_from", "required", "Укажите дату начала");
		bad = -1;
	}
	rt = requests_arg_date(ctx, "date_to", "to", &to);
	if (rt < 0 || (rt > 0 && !draft)) {
		if (!requests_has_error(ctx, "date_to") && !requests_has_error(ctx, "to"))
			ctx_field_code(ctx, "date_to", "required", "Укажите дату окончания");
		bad = -1;
	}
	if (bad)
		return -1;
	if (rf > 0 || rt > 0) { /* a draft's part of a period */
		if (rf == 0)
			jsonx_set_str(data, "date_from", worktime_date_iso(ctx, from));
		if (rt == 0)
			jsonx_set_str(data, "date_to", worktime_date_iso(ctx, to));
		return 0;
	}
	if (to < from)
		return ctx_field_code(ctx, "date_to", "range", "Дата окончания раньше даты начала");
	if (to - from >= REQUESTS_MAX_DAYS)
		return ctx_field_code(ctx, "date_to", "range", "Период не длиннее %d %s",
		                      REQUESTS_MAX_DAYS,
		                      ru_plural(REQUESTS_MAX_DAYS, "дня", "дней", "дней"));
	*from_iso = worktime_date_iso(ctx, from);
	*to_iso = worktime_date_iso(ctx, to);
	jsonx_set_str(data, "date_from", *from_iso);
	jsonx_set_str(data, "date_to", *to_iso);
	return 0;
}

/* A declared string field (checked by the dispatcher) into data; required:
 * a field error when missing. */
static int requests_text(struct ctx *ctx, json_object *data, const char *name, int required)
{
	const char *v = jsonx_get_str(ctx->args, name);

	if (requests_has_error(ctx, name))
		return -1;
	if (v && !args_blank(v, strlen(v))) {
		jsonx_set_str(data, name, v);
		return 0;
	}
	return required ? ctx_field_code(ctx, name, "required", "Обязательное поле") : 0;
}

/* A series or number as people type it ("45 00", "123 456"): the spaces
 * (and no-break spaces) dropped. */
static const char *requests_digits_typed(struct ctx *ctx, const char *v)
{
	char *out = arena_strdup(ctx->arena, v), *o = out;

	for (const char *p = v; *p; p++) {
		if (*p == ' ')
			continue;
		if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0) {
			p++;
			continue;
		}
		*o++ = *p;
	}
	*o = '\0';
	return out;
}

/* personal_data: a new email or phone may not be another account's sign-in
 * contact (cabinets_contact_taken): 422 naming changes.email or
 * changes.phone, without the other person's name. 0, or -1 (ctx failed). */
static int requests_contacts_free(struct ctx *ctx, int64_t employee, json_object *changes)
{
	const char *field, *who;
	int rc = cabinets_contact_taken(ctx, employee, jsonx_get_str(changes, "email"),
	                                jsonx_get_str(changes, "phone"), &field, &who);

	if (rc <= 0)
		return rc;
	return ctx_field_code(
	    ctx, field[0] == 'e' ? "changes.email" : "changes.phone", "taken", "%s",
	    field[0] == 'e'
	        ? "Эта почта уже служит для входа в кабинет другого сотрудника — укажите свою"
	        : "Этот телефон уже служит для входа в кабинет другого сотрудника — укажите "
	          "свой");
}

/* The birth date of the request's employee (DATE_NONE when not known):
 * what a passport's issue date is checked against. 0 or -1. */
static int requests_birth_date(struct ctx *ctx, int *birth)
{
	PGresult *res =
	    ctx_sql(ctx, "SELECT birth_date FROM employees WHERE tenant_id = $1 AND id = $2",
	            requests_tenant(ctx), ctx_i64(ctx, ctx->employee_id));

	if (res == NULL)
		return -1;
	*birth = PQntuples(res) ? worktime_pg_date(res, 0, 0) : DATE_NONE;
	return 0;
}

/* personal_data: changes {phone, email, address, full_name, passport}; a
 * draft may have none yet */
static int requests_read_changes(struct ctx *ctx, json_object *data, int draft)
{
	json_object *ch = jsonx_get(ctx->args, "changes"), *out;
	char buf[VALIDATE_NAME_MAX * 4 + 1];
	const char *code, *why;
	int bad = 0, n = 0;

	if (draft && ch == NULL)
		return 0;
	if (!json_object_is_type(ch, json_type_object))
		return ctx_field_code(ctx, "changes", "required",
		                      "Укажите, что изменить: phone, email, address, full_name или "
		                      "passport");
	out = json_object_new_object();
	json_object_object_add(data, "changes", out);
	json_object_object_foreach(ch, key, val)
	{
		const char *field = arena_printf(ctx->arena, "changes.%s", key);
		const char *s =
		    json_object_is_type(val, json_type_string) ? json_object_get_string(val) : NULL;
		n++;
		if (strcmp(key, "phone") == 0) {
			if (s == NULL || validate_phone(s, buf, sizeof(buf), &code, &why) < 0)
				bad = ctx_field_code(ctx, field, s ? code : "type", "%s",
				                     s ? why : "Ожидается строка");
			else
				jsonx_set_str(out, key, buf);
		} else if (strcmp(key, "email") == 0) {
			if (s == NULL || validate_email(s, buf, sizeof(buf), &code, &why) < 0)
				bad = ctx_field_code(ctx, field, s ? code : "type", "%s",
				                     s ? why : "Ожидается строка");
			else
				jsonx_set_str(out, key, buf);
		} else if (strcmp(key, "full_name") == 0) {
			if (s == NULL || validate_full_name(s, buf, sizeof(buf), &code, &why) < 0)
				bad = ctx_field_code(ctx, field, s ? code : "type", "%s",
				                     s ? why : "Ожидается строка");
			else
				jsonx_set_str(out, key, buf);
		} else if (strcmp(key, "address") == 0) {
			if (s == NULL || !*s || strlen(s) > 1500)
				bad = ctx_field(ctx, field, "Адрес: строка до 500 символов");
			else
				jsonx_set_str(out, key, s);
		} else if (strcmp(key, "passport") == 0) {
			static const char *const keys[] = {
			    "series", "number", "issued_by", "issued_on", "division_code", NULL};
			json_object *p;
			if (!json_object_is_type(val, json_type_object)) {
				bad = ctx_field(
				    ctx, field,
				    "Ожидается объект {\"series\", \"number\", \"issued_by\", "
				    "\"issued_on\", \"division_code\"}");
				continue;
			}
			p = json_object_new_object();
			json_object_object_add(out, key, p);
			for (int k = 0; keys[k]; k++) {
				const char *v = jsonx_get_str(val, keys[k]);
				const char *f = arena_printf(ctx->arena, "%s.%s", field, keys[k]);
				int d;
				if (v == NULL || args_blank(v, strlen(v))) {
					bad =
					    ctx_field_code(ctx, f, "required", "Обязательное поле");
					continue;
				}
				if (strcmp(keys[k], "series") == 0 ||
				    strcmp(keys[k], "number") == 0)
					v = requests_digits_typed(ctx, v);
				if ((strcmp(keys[k], "series") == 0 &&
				     (strlen(v) != 4 || strspn(v, "0123456789") != 4)) ||
				    (strcmp(keys[k], "number") == 0 &&
				     (strlen(v) != 6 || strspn(v, "0123456789") != 6))) {
					bad = ctx_field_code(ctx, f, "format", "%s",
					                     strcmp(keys[k], "series") == 0
					                         ? "Серия паспорта — 4 цифры"
					                         : "Номер паспорта — 6 цифр");
					continue;
				}
				if (strcmp(keys[k], "issued_on") == 0) {
					int today, birth;
					char why_issued[512];
					if (date_parse_input(v, &d) < 0) {
						bad = ctx_field(
						    ctx, f, "%s",
						    date_input_why(v, "Дата в виде ДД.ММ.ГГГГ"));
						continue;
					}
					if ((today = org_today(ctx)) == DATE_NONE ||
					    requests_birth_date(ctx, &birth) < 0)
						return -1;
					/* not in the future, not before the 14th birthday */
					if (validate_passport_issued(d, birth, today, &code,
					                             why_issued,
					                             sizeof(why_issued)) < 0) {
						bad =
						    ctx_field_code(ctx, f, code, "%s", why_issued);
						continue;
					}
					v = worktime_date_iso(ctx, d);
				}
				if (strlen(v) > 600) {
					bad = ctx_field_code(ctx, f, "too_long",
					                     "Не длиннее 200 символов");
					continue;
				}
				jsonx_set_str(p, keys[k], v);
			}
		} else {
			bad = ctx_field(
			    ctx, field,
			    "Изменить можно phone, email, address, full_name или passport");
		}
	}
	if (n == 0 && !draft)
		return ctx_field_code(ctx, "changes", "required",
		                      "Укажите, что изменить: phone, email, address, full_name или "
		                      "passport");
	if (bad == 0 && requests_contacts_free(ctx, ctx->employee_id, out) < 0)
		return -1;
	return bad;
}

/* tax_deduction: the children's list is checked by the deductions' own
 * rules when the request is done (deductions.children_set); here its
 * shape, and only the declared members are kept (a member the deductions
 * do not know would make the request fail when it is done). */
static int requests_read_children(struct ctx *ctx, json_object *data, int draft)
{
	json_object *list = jsonx_get(ctx->args, "children"), *kept;
	size_t n;

	if (draft && list == NULL)
		return 0;
	if (!json_object_is_type(list, json_type_array) ||
	    (n = json_object_array_length(list)) == 0)
		return ctx_field_code(ctx, "children", "required",
		                      "Укажите детей: [{\"order\": 1, \"from\": \"ГГГГ-ММ-ДД\"}]");
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(list, i);
		int64_t order;
		int d;
		const char *f;
		if (!json_object_is_type(c, json_type_object))
			return ctx_field(
			    ctx, arena_printf(ctx->arena, "children[%zu]", i),
			    "Ожидается объект {\"order\": 1, \"from\": \"ГГГГ-ММ-ДД\"}");
		if (jsonx_get_int64(c, "order", &order) < 0 || order < 1 || order > 20)
			return ctx_field(ctx, arena_printf(ctx->arena, "children[%zu].order", i),
			                 "Очерёдность ребёнка — целое число от 1 до 20");
		f = jsonx_get_str(c, "from");
		if (f == NULL || date_parse_input(f, &d) < 0)
			return ctx_field(
			    ctx, arena_printf(ctx->arena, "children[%zu].from", i), "%s",
			    date_input_why(f, "Укажите дату начала в виде ДД.ММ.ГГГГ или "
			                      "ГГГГ-ММ-ДД"));
	}
	kept = json_object_new_array_ext((int)n);
	json_object_object_add(data, "children", kept);
	for (size_t i = 0; i < n; i++) {
		json_object *c = json_object_array_get_idx(list, i), *k = json_object_new_object();
		json_object_array_add(kept, k);
		for (const struct op_arg *m = deductions_child_fields; m->name; m++)
			if (jsonx_get(c, m->name))
				json_object_object_add(k, m->name,
				                       json_object_get(jsonx_get(c, m->name)));
	}
	return 0;
}

/* The type's fields from ctx->args into data; the period's dates in
 * *from and *to (NULL until a draft has both). A draft (draft set) may
 * leave required fields out; what it gives is checked as at submission.
 * 0, or -1 after field errors. */
static int requests_read_fields(struct ctx *ctx, const struct request_type *t, json_object *data,
                                int draft, const char **from, const char **to)
{
	const char *s, *title;
	int bad = 0;
	int64_t n;

	*from = *to = NULL;
	if (requests_text(ctx, data, "comment", 0) < 0)
		bad = -1;
	if (t->period && requests_read_period(ctx, data, draft, from, to) < 0)
		bad = -1;
	if (strcmp(t->name, "vacation") == 0) {
		s = jsonx_get_str(ctx->args, "kind");
		jsonx_set_str(data, "kind", s ? s : "annual");
		if (requests_kind_code(s ? s : "annual", &title) == 0)
			bad = ctx_field(
			    ctx, "kind",
			    "Вид отпуска: annual (ежегодный), additional (дополнительный) "
			    "или unpaid (без сохранения заработной платы)");
	} else if (strcmp(t->name, "absence") == 0) {
		s = jsonx_get_str(ctx->args, "reason");
		if (s)
			jsonx_set_str(data, "reason", s);
		else if (!draft)
			bad = ctx_field_code(ctx, "reason", "required",
			                     "Укажите причину: " REQUESTS_REASONS);
	} else if (strcmp(t->name, "business_trip") == 0) {
		if (requests_text(ctx, data, "destination", !draft) < 0)
			bad = -1;
		if (requests_text(ctx, data, "purpose", !draft) < 0)
			bad = -1;
	} else if (strcmp(t->name, "personal_data") == 0) {
		if (requests_read_changes(ctx, data, draft) < 0)
			bad = -1;
	} else if (strcmp(t->name, "tax_deduction") == 0) {
		if (requests_read_children(ctx, data, draft) < 0)
			bad = -1;
	} else if (strcmp(t->name, "certificate_employment") == 0) {
		if (requests_text(ctx, data, "purpose", 0) < 0)
			bad = -1;
		if (ctx_arg_int(ctx, "copies", 1, 10, 1, &n) < 0)
			bad = -1;
		else
			jsonx_set_int(data, "copies", n);
	} else if (strcmp(t->name, "certificate_ndfl") == 0) {
		/* a year at all here; the years of the employment are checked with
		 * the employee's dates (requests_check_input), one message */
		if (ctx_arg_int(ctx, "year", DATE_MIN_YEAR, DATE_MAX_YEAR, draft ? 0 : CTX_REQUIRED,
		                &n) < 0)
			bad = -1;
		else if (!draft || jsonx_get(ctx->args, "year"))
			jsonx_set_int(data, "year", n);
	} else if (strcmp(t->name, "certificate_vacation_balance") == 0) {
		int d;
		int r = worktime_arg_date(ctx, "date", 0, &d);
		if (r < 0)
			bad = -1;
		else if (r == 0)
			jsonx_set_str(data, "date", worktime_date_iso(ctx, d));
	} else if (strcmp(t->name, "question") == 0) {
		if (requests_text(ctx, data, "text", !draft) < 0)
			bad = -1;
	}
	return bad;
}

int requests_type_code(const char *type, const char *kind, const char *reason)
{
	const char *title;
	int code;

	if (strcmp(type, "vacation") == 0) {
		code = requests_kind_code(kind, &title);
		return code ? code : T13_OT;
	}
	if (strcmp(type, "absence") == 0)
		return requests_reason_code(reason, &title);
	if (strcmp(type, "business_trip") == 0)
		return T13_K;
	return 0;
}

/* The deviation code a period request becomes when done (0: none). */
static int requests_deviation_code(const struct request *r)
{
	return requests_type_code(r->type->name, jsonx_get_str(r->data, "kind"),
	                          jsonx_get_str(r->data, "reason"));
}

/* The employee's absence as a person names it, in the instrumental case
 * after «Пересекается с»: «вашим отпуском», «вашим больничным»; a code
 * without a plain name goes by its document title in quotes. */
static const char *requests_absence_words(struct ctx *ctx, int code)
{
	static const struct {
		int code;
		const char *words;
	} words[] = {
	    {T13_B, "вашим больничным"},
	    {T13_T, "вашим больничным"},
	    {T13_OT, "вашим отпуском"},
	    {T13_OD, "вашим дополнительным отпуском"},
	    {T13_DO, "вашим отпуском без сохранения оплаты"},
	    {T13_OZ, "вашим отпуском без сохранения оплаты"},
	    {T13_DB, "вашим отпуском без сохранения оплаты"},
	    {T13_U, "вашим учебным отпуском"},
	    {T13_UD, "вашим учебным отпуском"},
	    {T13_R, "вашим отпуском по беременности и родам"},
	    {T13_OZH, "вашим отпуском по уходу за ребёнком"},
	    {T13_K, "вашей командировкой"},
	    {T13_RP, "простоем"},
	    {T13_NP, "простоем"},
	    {T13_VP, "простоем"},
	    {T13_NN, "неявкой"},
	    {T13_PR, "прогулом"},
	};

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (words[i].code == code)
			return words[i].words;
	return arena_printf(ctx->arena, "отметкой табеля «%s»", worktime_document_title(code));
}

/* A period request that overlaps another running one of the employee, or
 * a whole-day document of theirs its document may not lie on (the
 * documents' rule, workday_may_overlay(): a sick absence inside a vacation
 * is accepted, art. 124): 409 naming it in the employee's words
 * («Пересекается с вашим отпуском по заявке № 1 (21.12.2026–25.12.2026)»),
 * the same text at date_from (code "overlap"), where the form shows it. */
static int requests_check_overlap(struct ctx *ctx, const struct request *r)
{
	PGresult *res;
	const char *text, *under = "{";
	int code = requests_deviation_code(r), n = 0, i;

	if (!r->type->period)
		return 0;
	for (int u = 1; u <= T13_COUNT; u++)
		if (workday_may_overlay(code, u))
			under = arena_printf(ctx->arena, "%s%s%d", under, n++ ? "," : "", u);
	under = arena_printf(ctx->arena, "%s}", under);
	/* other running requests of a period, then a whole-day document (and
	 * the request it came from, if any); a request not done yet whose
	 * document this one's may lie on (a sick absence over a vacation
	 * request: its completion then lays the vacation with the sick days
	 * returned, as a done one's) is no overlap */
	res = ctx_sql(
	    ctx,
	    "(SELECT 'r', number::text, type, to_char(date_from, 'DD.MM.YYYY'), to_char(date_to, "
	    "'DD.MM.YYYY'), NULL, data->>'kind', data->>'reason' FROM requests WHERE tenant_id = "
	    "$1 AND employee_id = $2 AND id <> $3 AND state IN ('submitted', 'awaiting_approval', "
	    "'approved', 'in_progress') AND date_from <= $5::date AND date_to >= $4::date ORDER BY "
	    "date_from) UNION ALL (SELECT 'd', d.code::text, '', to_char(d.date_from, "
	    "'DD.MM.YYYY'), to_char(d.date_to, 'DD.MM.YYYY'), q.number::text, NULL, NULL FROM "
	    "deviations d LEFT JOIN requests q ON q.tenant_id = d.tenant_id AND q.id = "
	    "d.request_id WHERE d.tenant_id = $1 AND d.employee_id = $2 AND d.whole_day AND "
	    "d.code <> 26 AND d.date_from <= $5::date AND d.date_to >= $4::date AND d.code <> "
	    "ALL($6::int[]) ORDER BY d.date_from LIMIT 1)",
	    requests_tenant(ctx), ctx_i64(ctx, r->employee), ctx_i64(ctx, r->id), r->date_from,
	    r->date_to, under);
	if (res == NULL)
		return -1;
	for (i = 0; i < PQntuples(res); i++)
		if (strcmp(PQgetvalue(res, i, 0), "r") != 0 ||
		    !workday_may_overlay(
		        code,
		        requests_type_code(PQgetvalue(res, i, 2),
		                           PQgetisnull(res, i, 6) ? NULL : PQgetvalue(res, i, 6),
		                           PQgetisnull(res, i, 7) ? NULL : PQgetvalue(res, i, 7))))
			break;
	if (i == PQntuples(res))
		return 0;
	if (strcmp(PQgetvalue(res, i, 0), "r") == 0) {
		const struct request_type *o = requests_type_find(PQgetvalue(res, i, 2));
		text = arena_printf(ctx->arena, "Пересекается с вашей заявкой № %s «%s» (%s–%s)",
		                    PQgetvalue(res, i, 1), o ? o->title : "", PQgetvalue(res, i, 3),
		                    PQgetvalue(res, i, 4));
	} else if (!PQgetisnull(res, i, 5)) {
		text = arena_printf(ctx->arena, "Пересекается с %s по заявке № %s (%s–%s)",
		                    requests_absence_words(ctx, atoi(PQgetvalue(res, i, 1))),
		                    PQgetvalue(res, i, 5), PQgetvalue(res, i, 3),
		                    PQgetvalue(res, i, 4));
	} else {
		text = arena_printf(ctx->arena, "Пересекается с %s (%s–%s)",
		                    requests_absence_words(ctx, atoi(PQgetvalue(res, i, 1))),
		                    PQgetvalue(res, i, 3), PQgetvalue(res, i, 4));
	}
	ctx_field_code(ctx, "date_from", "overlap", "%s", text);
	return ctx_fail_about(ctx, PROTO_ERR_conflict, "%s", text);
}

/*
 * What completing the request would refuse about its own input, checked by
 * the same function when it is filed (created or submitted) and when it is
 * completed (requests_finish), so a request that could never be done is
 * refused to the employee at the field they can correct: a period inside
 * the employment (as deviations.create, the effect, checks it), a tax
 * deduction's children by the deductions' own rules (deductions.h in ops.h).
 * 0, or -1 after 422 naming the field.
 */
static int requests_check_input(struct ctx *ctx, const struct request *r)
{
	if (r->type->period && r->date_from && r->date_to) {
		/* the employment as the request was loaded with, in this
		 * transaction (requests_fill): no statement of its own */
		int from, to, hired = r->hired, dismissed = r->dismissed;
		if (date_parse(r->date_from, &from) < 0 || date_parse(r->date_to, &to) < 0)
			return ctx_fail(ctx, PROTO_ERR_internal, NULL);
		if (hired != DATE_NONE && from < hired)
			return ctx_field_code(ctx, "date_from", "employment", "%s",
			                      worktime_outside_employment(ctx, from, hired, dismissed));
		if (dismissed != DATE_NONE && to > dismissed)
			return ctx_field_code(
			    ctx, "date_to", "employment", "%s",
			    worktime_outside_employment(ctx, dismissed + 1 > from ? dismissed + 1 : from,
			                                hired, dismissed));
		/* its document would change a closed payroll month: 423 naming
		 * it, at filing as at completion (trial-break F16) */
		if (payrun_check_open_for(ctx, r->employee, from, to) < 0)
			return -1;
	}
	if (strcmp(r->type->name, "certificate_ndfl") == 0 && jsonx_get(r->data, "year")) {
		/* F14: the years of the employment up to this one, one message */
		int64_t year = 0;
		int hired, dismissed, today = org_today(ctx), lo, hi;
		if (today == DATE_NONE ||
		    worktime_employment(ctx, r->employee, &hired, &dismissed) < 0)
			return -1;
		jsonx_get_int64(r->data, "year", &year);
		lo = hired != DATE_NONE && date_year(hired) > 2000 ? date_year(hired) : 2000;
		hi = date_year(today);
		if (dismissed != DATE_NONE && date_year(dismissed) < hi)
			hi = date_year(dismissed);
		if (year < lo || year > hi)
			return ctx_field_code(
			    ctx, "year", "range",
			    "Год справки — от %d до %d (годы работы в организации)", lo,
			    hi < lo ? lo : hi);
	}
	if (strcmp(r->type->name, "certificate_vacation_balance") == 0 &&
	    jsonx_get_str(r->data, "date")) {
		/* F14: a balance on a date of the employment */
		int d, hired, dismissed;
		if (date_parse(jsonx_get_str(r->data, "date"), &d) < 0)
			return ctx_fail(ctx, PROTO_ERR_internal, NULL);
		if (worktime_employment(ctx, r->employee, &hired, &dismissed) < 0)
			return -1;
		if ((hired != DATE_NONE && d < hired) || (dismissed != DATE_NONE && d > dismissed))
			return ctx_field_code(
			    ctx, "date", "employment", "%s",
			    worktime_outside_employment(ctx, d, hired, dismissed));
	}
	if (strcmp(r->type->name, "tax_deduction") == 0)
		return deductions_children_check(ctx, jsonx_get(r->data, "children"));
	return 0;
}

/*
 * The one lock order of a person's requests and absences: the employee's
 * row (FOR UPDATE, as deviations.create takes it) before anything else of
 * theirs is read or written. A creation takes it before its insert (whose
 * foreign key would otherwise hold a KEY SHARE on the row and deadlock
 * against another creation's FOR UPDATE), a submission before its overlap
 * check, a completion before its effect; so two of them for one person take
 * turns, and the second one's overlap check and quota count see the first.
 */
static int requests_locked_none(struct ctx *ctx, void *mem)
{
	(void)ctx;
	(void)mem;
	return 0;
}

static int requests_lock_employee(struct ctx *ctx, int64_t employee)
{
	/* the transaction's memory (ctx_before_commit, nothing to do before
	 * the commit): the employee whose row it holds already, as a creation
	 * that submits at once asks twice */
	int64_t *locked = ctx_before_commit(ctx, requests_locked_none, sizeof(*locked));

	if (*locked == employee)
		return 0;
	*locked = employee;
	/* queued: it goes to PostgreSQL with the next statement, in its round
	 * trip, and is taken before that statement runs */
	return ctx_sql_queue(ctx, "SELECT 1 FROM employees WHERE tenant_id = $1 AND id = $2 FOR UPDATE",
	                     requests_tenant(ctx), ctx_i64(ctx, employee));
}

/* Submits a loaded draft: the input's check, the chain, the overlap check,
 * the first task, under the employee's lock (requests_lock_employee). */
static int requests_submit_loaded(struct ctx *ctx, struct request *r)
{
	const char **steps, *list = "{";
	int n;

	if (requests_lock_employee(ctx, r->employee) < 0 || requests_check_input(ctx, r) < 0)
		return -1;
	if (requests_check_overlap(ctx, r) < 0 ||
	    routing_chain(ctx, r->type->name, r->type_chain, &steps, &n) < 0)
		return -1;
	for (int i = 0; i < n; i++)
		list = arena_printf(ctx->arena, "%s%s%s", list, i ? "," : "", steps[i]);
	list = arena_printf(ctx->arena, "%s}", list);
	/* the chain, step 0 and no approval are written with the state of the
	 * first step (requests_route_loaded); a pending creation's history is
	 * written once its row is */
	if (!r->pending && requests_event(ctx, r->id, 0, "submitted", NULL, NULL) < 0)
		return -1;
	r->chain_text = list;
	r->chain = steps;
	r->nchain = n;
	r->step = 0;
	r->approved = 0;
	return requests_route_loaded(ctx, r);
}

/* ---- JSON ---- */


static json_object *requests_person(int64_t id, const char *name)
{
	json_object *o = json_object_new_object();

	jsonx_set_int(o, "id", id);
	jsonx_set_str(o, "full_name", name);
	return o;
}

static json_object *requests_json(struct ctx *ctx, PGresult *res, int i)
{
	json_object *o = json_object_new_object(), *data;
	const struct request_type *t = requests_type_find(PQgetvalue(res, i, 1));
	const char *why, *state = PQgetvalue(res, i, 2);

	jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
	jsonx_set_int(o, "number", atoll(PQgetvalue(res, i, 15)));
	jsonx_set_str(o, "type", PQgetvalue(res, i, 1));
	jsonx_set_str(o, "type_title", t ? t->title : PQgetvalue(res, i, 1));
	jsonx_set_str(o, "state", state);
	jsonx_set_str(o, "state_title", requests_state_title(state));
	json_object_object_add(
	    o, "employee", requests_person(atoll(PQgetvalue(res, i, 3)), PQgetvalue(res, i, 4)));
	data = jsonx_parse_object(PQgetvalue(res, i, 5), (size_t)PQgetlength(res, i, 5), &why);
	json_object_object_add(o, "data", data ? data : json_object_new_object());
	if (!PQgetisnull(res, i, 6)) {
		jsonx_set_str(o, "date_from", PQgetvalue(res, i, 6));
		jsonx_set_str(o, "date_to", PQgetvalue(res, i, 7));
		jsonx_set_str(o, "date_from_ru",
		              worktime_date_ru(ctx, worktime_pg_date(res, i, 6)));
		jsonx_set_str(o, "date_to_ru", worktime_date_ru(ctx, worktime_pg_date(res, i, 7)));
	}
	jsonx_set_str(o, "reason", PQgetisnull(res, i, 8) ? NULL : PQgetvalue(res, i, 8));
	if (PQgetisnull(res, i, 9))
		json_object_object_add(o, "result", NULL);
	else
		json_object_object_add(o, "result",
		                       jsonx_parse_object(PQgetvalue(res, i, 9),
		                                          (size_t)PQgetlength(res, i, 9), &why));
	/* its document to download (certificates.h): an application while it
	 * means something, a made certificate */
	if (t && (certificates_is_certificate(t->name)
	              ? jsonx_get_obj(jsonx_get_obj(o, "result"), "document") != NULL
	              : certificates_no_document(t->name, state, 0) == NULL))
		jsonx_set_str(
		    o, "document_url",
		    arena_printf(ctx->arena, "/api/requests/%s/document", PQgetvalue(res, i, 0)));
	jsonx_set_str(o, "created_at", PQgetvalue(res, i, 10));
	jsonx_set_str(o, "updated_at", PQgetvalue(res, i, 11));
	jsonx_set_str(o, "created_at_ru", PQgetvalue(res, i, 12));
	jsonx_set_str(o, "updated_at_ru", PQgetvalue(res, i, 13));
	jsonx_set_str(o, "finished_at", PQgetisnull(res, i, 14) ? NULL : PQgetvalue(res, i, 14));
	return o;
}

static const char *requests_action_title(const char *action)
{
	static const struct {
		const char *action, *title;
	} t[] = {
	    {"created", "Создана"},
	    {"submitted", "Отправлена"},
	    {"assigned", "Назначена"},
	    {"approval_skipped", "Согласование пропущено"},
	    {"approved", "Согласована"},
	    {"rejected", "Отклонена"},
	    {"forwarded", "Передана другому сотруднику"},
	    {"escalated", "Передана выше: срок истёк"},
	    {"substituted", "Передана заместителю"},
	    {"reminded", "Напоминание о сроке"},
	    {"taken", "Взята в работу"},
	    {"completed", "Выполнена"},
	    {"cancelled", "Отозвана"},
	    {"file_added", "Приложен файл"},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].action, action) == 0)
			return t[i].title;
	return action;
}

/* The request's history, tasks and files into o. */
static int requests_detail(struct ctx *ctx, int64_t id, json_object *o)
{
	const char *zone = org_time_zone(ctx), *type = jsonx_get_str(o, "type");
	int question = type && strcmp(type, "question") == 0;
	json_object *list = json_object_new_array();
	PGresult *res;

	json_object_object_add(o, "history", list);
	res =
	    ctx_sql(ctx,
	            "SELECT v.id, v.action, v.state, to_char(v.at AT TIME ZONE 'UTC', "
	            "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), to_char(v.at AT TIME ZONE $3, 'DD.MM.YYYY "
	            "HH24:MI'), v.actor_kind, coalesce(e.full_name, ''), v.comment, v.task_id, "
	            "v.details, coalesce(a.full_name, '') FROM request_events v LEFT JOIN "
	            "employees e ON e.tenant_id = v.tenant_id AND e.id = v.actor_employee_id "
	            "LEFT JOIN employees a ON a.tenant_id = v.tenant_id AND a.id = "
	            "(v.details->>'assignee_id')::bigint WHERE v.tenant_id = $1 AND v.request_id "
	            "= $2 ORDER BY v.id",
	            requests_tenant(ctx), ctx_i64(ctx, id), zone);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *h = json_object_new_object(), *d;
		const char *kind = PQgetvalue(res, i, 5), *why;
		/* a question's answer: the comment it was completed with
		 * (requests_finish), shown apart from the history */
		if (question && strcmp(PQgetvalue(res, i, 1), "completed") == 0 &&
		    !PQgetisnull(res, i, 7) && *PQgetvalue(res, i, 7)) {
			json_object *a = json_object_new_object();
			jsonx_set_str(a, "text", PQgetvalue(res, i, 7));
			jsonx_set_str(a, "at_ru", PQgetvalue(res, i, 4));
			jsonx_set_str(a, "who",
			              *PQgetvalue(res, i, 6) ? PQgetvalue(res, i, 6) : NULL);
			json_object_object_add(o, "answer", a);
		}
		jsonx_set_int(h, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(h, "action", PQgetvalue(res, i, 1));
		jsonx_set_str(h, "action_title", requests_action_title(PQgetvalue(res, i, 1)));
		jsonx_set_str(h, "at", PQgetvalue(res, i, 3));
		jsonx_set_str(h, "at_ru", PQgetvalue(res, i, 4));
		jsonx_set_str(h, "who",
		              strcmp(kind, "system") == 0    ? "Сервис"
		              : strcmp(kind, "api_key") == 0 ? "Учётная система"
		              : *PQgetvalue(res, i, 6)       ? PQgetvalue(res, i, 6)
		                                             : "Пользователь");
		jsonx_set_str(h, "comment", PQgetisnull(res, i, 7) ? NULL : PQgetvalue(res, i, 7));
		if (!PQgetisnull(res, i, 8))
			jsonx_set_int(h, "task_id", atoll(PQgetvalue(res, i, 8)));
		d = jsonx_parse_object(PQgetvalue(res, i, 9), (size_t)PQgetlength(res, i, 9), &why);
		if (d && *PQgetvalue(res, i, 10))
			jsonx_set_str(d, "assignee", PQgetvalue(res, i, 10));
		json_object_object_add(h, "details", d ? d : json_object_new_object());
		json_object_array_add(list, h);
	}
	list = json_object_new_array();
	json_object_object_add(o, "tasks", list);
	res = ctx_sql(ctx,
	              "SELECT t.id, t.step, t.state, t.assignee_id, e.full_name, t.on_behalf_of, "
	              "coalesce(b.full_name, ''), to_char(t.due_at AT TIME ZONE $3, 'DD.MM.YYYY "
	              "HH24:MI'), t.comment, t.state <> 'open' OR " ROUTING_CAN_ACT_SQL(
	                  "$1", "t.assignee_id") " FROM request_tasks t JOIN employees e ON e.tenant_id = "
	              "t.tenant_id AND e.id = t.assignee_id LEFT JOIN employees b ON b.tenant_id = "
	              "t.tenant_id AND b.id = t.on_behalf_of WHERE t.tenant_id = $1 AND "
	              "t.request_id = $2 ORDER BY t.id",
	              requests_tenant(ctx), ctx_i64(ctx, id), zone);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *t = json_object_new_object();
		jsonx_set_int(t, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(t, "step", PQgetvalue(res, i, 1));
		jsonx_set_str(t, "state", PQgetvalue(res, i, 2));
		jsonx_set_str(t, "state_title", requests_task_state_title(PQgetvalue(res, i, 2)));
		json_object_object_add(
		    t, "assignee",
		    requests_person(atoll(PQgetvalue(res, i, 3)), PQgetvalue(res, i, 4)));
		if (!PQgetisnull(res, i, 5))
			json_object_object_add(
			    t, "on_behalf_of",
			    requests_person(atoll(PQgetvalue(res, i, 5)), PQgetvalue(res, i, 6)));
		jsonx_set_str(t, "due_ru", PQgetisnull(res, i, 7) ? NULL : PQgetvalue(res, i, 7));
		jsonx_set_str(t, "comment", PQgetisnull(res, i, 8) ? NULL : PQgetvalue(res, i, 8));
		/* an open task whose holder can never sign in (routing.h): the
		 * administrator forwards it (requests.task_forward) */
		json_object_object_add(t, "assignee_can_act",
		                       json_object_new_boolean(strcmp(PQgetvalue(res, i, 9), "t") == 0));
		json_object_array_add(list, t);
	}
	list = json_object_new_array();
	json_object_object_add(o, "files", list);
	res =
	    ctx_sql(ctx,
	            "SELECT f.id, f.name, f.content_type, f.size, coalesce(e.full_name, ''), "
	            "to_char(f.created_at AT TIME ZONE $3, 'DD.MM.YYYY HH24:MI') FROM "
	            "request_files f LEFT JOIN employees e ON e.tenant_id = f.tenant_id AND e.id = "
	            "f.employee_id WHERE f.tenant_id = $1 AND f.request_id = $2 ORDER BY f.id",
	            requests_tenant(ctx), ctx_i64(ctx, id), zone);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *f = json_object_new_object();
		jsonx_set_int(f, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(f, "name", PQgetvalue(res, i, 1));
		jsonx_set_str(f, "content_type", PQgetvalue(res, i, 2));
		jsonx_set_int(f, "size", atoll(PQgetvalue(res, i, 3)));
		jsonx_set_str(f, "uploaded_by", PQgetvalue(res, i, 4));
		jsonx_set_str(f, "uploaded_at_ru", PQgetvalue(res, i, 5));
		jsonx_set_str(f, "url",
		              arena_printf(ctx->arena, "/api/requests/%lld/files/%s", (long long)id,
		                           PQgetvalue(res, i, 0)));
		json_object_array_add(list, f);
	}
	return 0;
}

static int requests_answer_row(struct ctx *ctx, PGresult *res, int detail);

/* The request as the answer's "request" (with its history, tasks and
 * files when detail is set), and its id and state at the top. */
static int requests_answer(struct ctx *ctx, int64_t id, int detail)
{
	/* the zone in the statement: a transition asks nothing else of it */
	PGresult *res = ctx_sql(ctx,
	                        "SELECT " REQUESTS_COLUMNS_TZ("z.tz") REQUESTS_FROM
	                        "CROSS JOIN (SELECT app_timezone() AS tz) z WHERE r.tenant_id = $1 "
	                        "AND r.id = $2",
	                        requests_tenant(ctx), ctx_i64(ctx, id));

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Заявка не найдена");
	return requests_answer_row(ctx, res, detail);
}

/* requests_answer() of a request whose last write returned its answer's row
 * (r->answer: nothing changed it since), without reading it again. */
static int requests_answer_of(struct ctx *ctx, const struct request *r, int detail)
{
	return r->answer ? requests_answer_row(ctx, r->answer, detail)
	                 : requests_answer(ctx, r->id, detail);
}

/* requests_answer() from the row 0 of res (REQUESTS_COLUMNS_TZ first). */
static int requests_answer_row(struct ctx *ctx, PGresult *res, int detail)
{
	int64_t id = atoll(PQgetvalue(res, 0, 0));
	json_object *o = requests_json(ctx, res, 0);

	/* a paid vacation's days as the balance spends them: without the
	 * public holidays inside (art. 120; worktime_vacation_days) */
	if (detail && strcmp(PQgetvalue(res, 0, 1), "vacation") == 0 && !PQgetisnull(res, 0, 6)) {
		const char *kind = jsonx_get_str(jsonx_get_obj(o, "data"), "kind");

		if (kind == NULL || strcmp(kind, "unpaid") != 0) {
			int from = worktime_pg_date(res, 0, 6), to = worktime_pg_date(res, 0, 7);
			int holidays,
			    days = requests_period_days(ctx, atoll(PQgetvalue(res, 0, 3)),
			                                "vacation", kind, from, to, &holidays);

			if (days < 0)
				return -1;
			jsonx_set_int(o, "vacation_days", days);
			jsonx_set_int(o, "vacation_holidays", holidays);
		}
	}
	json_object_object_add(ctx_result(ctx), "request", o);
	jsonx_set_int(ctx_result(ctx), "id", id);
	jsonx_set_str(ctx_result(ctx), "state", PQgetvalue(res, 0, 2));
	return detail ? requests_detail(ctx, id, o) : 0;
}

/* ---- operations: the employee's requests ---- */

/* POST /api/requests {"type", ...fields, "draft"?: true} */
/* requests_per_day: an employee's requests (drafts too) in the last 24
 * hours, or 429 with the wait until the oldest of them leaves the window.
 * Counted under the employee's lock (requests_lock_employee), so filings at
 * once cannot all see room for one more. */
static int requests_quota(struct ctx *ctx, const struct request_type *t, struct request *r)
{
	/* with what a request of the employee's carries besides its own
	 * fields (requests_fill: the employee's name and employment, the
	 * type's deadline and chain), for a creation that submits at once,
	 * whose row is written only with its first step */
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT q.n, q.wait, e.full_name, " ROUTING_DEADLINE_DAYS_SQL(
	        "$1", "$4::text") ", " ROUTING_CHAIN_SQL("$1", "$4::text") ", e.hired, e.dismissed "
	                                                                   "FROM (SELECT count(*) "
	                                                                   "AS n, "
	    "coalesce(ceil(extract(epoch FROM min(created_at) + interval '1 day' "
	    "- " ROUTING_NOW_SQL "))::bigint, 0) AS wait FROM (SELECT created_at FROM requests WHERE "
	    "tenant_id = $1 AND employee_id = $2 AND created_at > " ROUTING_NOW_SQL
	    " - interval '1 day' ORDER BY created_at DESC LIMIT $3) x) q JOIN employees e ON "
	    "e.tenant_id = $1 AND e.id = $2",
	    requests_tenant(ctx), ctx_i64(ctx, ctx->employee_id),
	    ctx_i64(ctx, ctx->cfg->requests_per_day), t->name);
	int64_t wait;
	char when[64];

	memset(r, 0, sizeof(*r));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) /* no employee row: the dispatcher said there was */
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	r->pending = 1;
	r->employee = ctx->employee_id;
	r->type = t;
	r->state = "draft";
	r->who = PQgetvalue(res, 0, 2);
	r->deadline_days = atoi(PQgetvalue(res, 0, 3));
	r->type_chain = PQgetisnull(res, 0, 4) ? NULL : PQgetvalue(res, 0, 4);
	r->hired = worktime_pg_date(res, 0, 5);
	r->dismissed = worktime_pg_date(res, 0, 6);
	if (atoll(PQgetvalue(res, 0, 0)) < ctx->cfg->requests_per_day)
		return 0;
	wait = atoll(PQgetvalue(res, 0, 1));
	if (wait < 1)
		wait = 1;
	return ctx_fail_wait(ctx, wait,
	                     "Не больше %ld %s за сутки от одного сотрудника (настройка "
	                     "requests_per_day): следующую можно подать %s",
	                     ctx->cfg->requests_per_day,
	                     ru_plural(ctx->cfg->requests_per_day, "заявки", "заявок", "заявок"),
	                     ru_wait(wait, when, sizeof(when)));
}

static int requests_create(struct ctx *ctx)
{
	const struct request_type *t = requests_type_find(jsonx_get_str(ctx->args, "type"));
	json_object *data = arena_own(ctx->arena, json_object_new_object());
	const char *from, *to;
	int draft = 0;
	struct request r;
	PGresult *res;

	if (t == NULL)
		return -1; /* the declared enum said why */
	if (requests_lock_employee(ctx, ctx->employee_id) < 0 || requests_quota(ctx, t, &r) < 0)
		return -1;
	jsonx_get_bool(ctx->args, "draft", &draft);
	if (requests_read_fields(ctx, t, data, draft, &from, &to) < 0)
		return -1;
	if (!draft) {
		/* submitted at once: its checks and its first step's assignee
		 * first, then its row in that step's state with the step's task,
		 * in one statement that also reads the answer
		 * (requests_route_loaded), not a draft's row updated */
		r.data = data;
		r.date_from = from;
		r.date_to = to;
		if (requests_submit_loaded(ctx, &r) < 0)
			return -1;
		ctx->status = 201;
		return requests_answer_of(ctx, &r, 0);
	}
	/* the number: the next of the tenant's sequence (sql/0068), which
	 * never waits on another creation. The new row read back as
	 * requests_load() reads one (it is ours). */
	res = ctx_sql(
	    ctx,
	    "WITH r AS (INSERT INTO requests (tenant_id, number, employee_id, type, state, "
	    "data, date_from, date_to, created_by, created_at, updated_at) VALUES ($1, "
	    "request_number_next(), $2, $3, 'draft', $4::jsonb, $5, $6, $7, " ROUTING_NOW_SQL
	    ", " ROUTING_NOW_SQL ") RETURNING *) SELECT " REQUESTS_LOAD_COLUMNS
	    " FROM r" REQUESTS_LOAD_JOIN,
	    requests_tenant(ctx), ctx_i64(ctx, ctx->employee_id), t->name, jsonx_dump(data, NULL),
	    from, to, ctx_i64(ctx, ctx->user_id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) /* no employee row: the dispatcher said there was */
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	if (requests_fill(ctx, res, 0, &r) < 0 ||
	    requests_event(ctx, r.id, 0, "created", NULL, audit_detail("type", t->name)) < 0)
		return -1;
	ctx->status = 201;
	return requests_answer(ctx, r.id, 0);
}

/* A draft's fields read again as a submission reads them: 422 naming the
 * required fields it still lacks; kept as read (dates in their columns). */
static int requests_read_draft(struct ctx *ctx, struct request *r)
{
	json_object *saved = ctx->args, *data = arena_own(ctx->arena, json_object_new_object());
	const char *from, *to;
	int rc;

	ctx->args = r->data;
	rc = requests_read_fields(ctx, r->type, data, 0, &from, &to);
	ctx->args = saved;
	if (rc < 0)
		return -1;
	if (ctx_sql(ctx,
	            "UPDATE requests SET data = $3::jsonb, date_from = $4, date_to = $5 WHERE "
	            "tenant_id = $1 AND id = $2",
	            requests_tenant(ctx), ctx_i64(ctx, r->id), jsonx_dump(data, NULL), from,
	            to) == NULL)
		return -1;
	r->data = data;
	r->date_from = from;
	r->date_to = to;
	r->what = NULL; /* said again with its dates */
	return 0;
}

/* POST /api/requests/{id}/submit */
static int requests_submit(struct ctx *ctx)
{
	struct request r;

	if (requests_load(ctx, ctx->object_id, &r) < 0)
		return -1;
	if (strcmp(r.state, "draft") != 0)
		return requests_refuse(ctx, &r, "отправить");
	if (requests_read_draft(ctx, &r) < 0 || requests_submit_loaded(ctx, &r) < 0)
		return -1;
	return requests_answer_of(ctx, &r, 0);
}

/* POST /api/requests/{id}/cancel {"comment"?} */
static int requests_cancel(struct ctx *ctx)
{
	static const char *const can[] = {"draft",    "submitted",   "awaiting_approval",
	                                  "approved", "in_progress", NULL};
	const char *comment = jsonx_get_str(ctx->args, "comment");
	struct request r;

	if (requests_load(ctx, ctx->object_id, &r) < 0)
		return -1;
	if (!requests_in(r.state, can))
		return requests_refuse(ctx, &r, "отозвать");
	if (ctx_sql(ctx,
	            "UPDATE request_tasks SET state = 'cancelled', closed_at = " ROUTING_NOW_SQL
	            ", closed_by = $3 WHERE tenant_id = $1 AND request_id = $2 AND state = 'open'",
	            requests_tenant(ctx), ctx_i64(ctx, r.id), ctx_i64(ctx, ctx->user_id)) == NULL ||
	    requests_set_state(ctx, &r, "cancelled", NULL) < 0 ||
	    requests_event(ctx, r.id, 0, "cancelled", comment, NULL) < 0)
		return -1;
	return requests_answer(ctx, r.id, 0);
}

/* GET /api/requests/{id} */
static int requests_get(struct ctx *ctx)
{
	return requests_answer(ctx, ctx->object_id, 1);
}

/* GET /api/requests?state=&type=&limit=&offset= : the caller's own */
static int requests_list(struct ctx *ctx)
{
	const char *state = jsonx_get_str(ctx->args, "state"),
	           *type = jsonx_get_str(ctx->args, "type");
	json_object *items = json_object_new_array();
	int64_t limit, offset;
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "items", items);
	if (ctx_arg_int(ctx, "limit", 1, REQUESTS_PAGE_MAX, 50, &limit) < 0 ||
	    ctx_arg_int(ctx, "offset", 0, INT32_MAX, 0, &offset) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT " REQUESTS_COLUMNS ", count(*) OVER () " REQUESTS_FROM
	              "WHERE r.tenant_id = $1 AND r.employee_id = $3 AND ($4::text IS NULL OR "
	              "r.state = $4) AND ($5::text IS NULL OR r.type = $5) ORDER BY r.id DESC "
	              "LIMIT $6 OFFSET $7",
	              requests_tenant(ctx), org_time_zone(ctx), ctx_i64(ctx, ctx->employee_id),
	              state, type, ctx_i64(ctx, limit), ctx_i64(ctx, offset));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, requests_json(ctx, res, i));
	jsonx_set_int(ctx_result(ctx), "total", PQntuples(res) ? atoll(PQgetvalue(res, 0, 16)) : 0);
	return 0;
}

/* the employee search of the list: x.p */
#define REQUESTS_ADMIN_PATTERN "(SELECT " STAFF_LIKE_SQL("$5") " AS p) x "

/* GET /admin/requests?state=&type=&q=&from=&to=&offset= : the tenant's
 * requests for its administrator, newest first, drafts left out (not yet
 * filed): each with who holds it now (the open tasks' people), the
 * filters' options and the page's links. from/to: the day it was filed, in
 * the organization's zone. */
static int requests_admin_list(struct ctx *ctx)
{
	static const char *const keys[] = {"state", "type", "q", "from", "to", NULL};
	const char *q = jsonx_get_str(ctx->args, "q"), *from = jsonx_get_str(ctx->args, "from"),
	           *to = jsonx_get_str(ctx->args, "to");
	json_object *r = ctx_result(ctx), *items = json_object_new_array(), *list;
	int64_t limit, offset, total = 0;
	PGresult *res;

	json_object_object_add(r, "items", items);
	list = json_object_new_array();
	for (size_t i = 0; i < sizeof(requests_states) / sizeof(requests_states[0]); i++) {
		json_object *o;
		if (strcmp(requests_states[i].state, "draft") == 0)
			continue;
		o = json_object_new_object();
		jsonx_set_str(o, "value", requests_states[i].state);
		jsonx_set_str(o, "title", requests_states[i].title);
		json_object_array_add(list, o);
	}
	json_object_object_add(r, "states", list);
	list = json_object_new_array();
	for (const struct request_type *t = requests_types; t->name; t++) {
		json_object *o = json_object_new_object();
		jsonx_set_str(o, "value", t->name);
		jsonx_set_str(o, "title", t->title);
		json_object_array_add(list, o);
	}
	json_object_object_add(r, "types", list);
	if (ctx_arg_int(ctx, "limit", 1, REQUESTS_PAGE_MAX, 50, &limit) < 0 ||
	    ctx_arg_int(ctx, "offset", 0, INT32_MAX, 0, &offset) < 0)
		return -1;
	/* ISO dates after the declaration: their order is the text's */
	if (from && to && strcmp(from, to) > 0)
		return ctx_field(ctx, "to", "Дата «по» раньше даты «с»");
	res = ctx_sql(
	    ctx,
	    "SELECT " REQUESTS_COLUMNS ", count(*) OVER (), (SELECT string_agg(a.full_name, ', ' "
	    "ORDER BY t.id) FROM request_tasks t JOIN employees a ON a.tenant_id = t.tenant_id AND "
	    "a.id = t.assignee_id WHERE t.tenant_id = r.tenant_id AND t.request_id = r.id AND "
	    "t.state = 'open'), e.personnel_number " REQUESTS_FROM
	    "CROSS JOIN " REQUESTS_ADMIN_PATTERN
	    "WHERE r.tenant_id = $1 AND r.state <> 'draft' AND ($3::text IS NULL OR r.state = $3) "
	    "AND ($4::text IS NULL OR r.type = $4) AND ($5::text IS NULL OR e.search_name LIKE "
	    "x.p OR lower(e.personnel_number) LIKE x.p) AND ($6::date IS NULL OR (r.created_at "
	    "AT TIME ZONE $2)::date >= $6) AND ($7::date IS NULL OR (r.created_at AT TIME ZONE "
	    "$2)::date <= $7) ORDER BY r.id DESC LIMIT $8 OFFSET $9",
	    requests_tenant(ctx), org_time_zone(ctx), jsonx_get_str(ctx->args, "state"),
	    jsonx_get_str(ctx->args, "type"), q && *q ? q : NULL, from, to, ctx_i64(ctx, limit),
	    ctx_i64(ctx, offset));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = requests_json(ctx, res, i);
		if (!PQgetisnull(res, i, 17))
			jsonx_set_str(o, "holders", PQgetvalue(res, i, 17));
		jsonx_set_str(jsonx_get_obj(o, "employee"), "personnel_number",
		              PQgetisnull(res, i, 18) ? NULL : PQgetvalue(res, i, 18));
		json_object_array_add(items, o);
	}
	if (PQntuples(res))
		total = atoll(PQgetvalue(res, 0, 16));
	jsonx_set_int(r, "total", total);
	json_object_object_add(r, "page",
	                       ctx_page(ctx, "/admin/requests", keys, total, limit, offset));
	return 0;
}

/* ---- effects ---- */

/* A deviation document over the request's dates, as deviations.create
 * makes it (its rules: an overlap 409, a closed month 423). */
static int requests_effect_deviation(struct ctx *ctx, const struct request *r, int code,
                                     json_object *result)
{
	const struct t13_code *c = t13_get(code);
	json_object *args = json_object_new_object(), *out, *dev;

	jsonx_set_int(args, "employee_id", r->employee);
	jsonx_set_str(args, "code", c->letter);
	jsonx_set_str(args, "date_from", r->date_from);
	jsonx_set_str(args, "date_to", r->date_to);
	jsonx_set_str(args, "note",
	              arena_printf(ctx->arena, "Заявка № %lld", (long long)r->number));
	if (ctx_call(ctx, "deviations.create", args, &out) < 0)
		return -1;
	dev = jsonx_get_obj(out, "deviation");
	if (dev == NULL)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	json_object_object_add(result, "deviation_id", json_object_get(jsonx_get(dev, "id")));
	jsonx_set_str(result, "code", c->letter);
	return ctx_sql(
	           ctx, "UPDATE deviations SET request_id = $3 WHERE tenant_id = $1 AND id = $2",
	           requests_tenant(ctx), ctx_i64(ctx, json_object_get_int64(jsonx_get(dev, "id"))),
	           ctx_i64(ctx, r->id))
	           ? 0
	           : -1;
}

/* personal_data: the employee's record gets the changes. */
static int requests_effect_personal(struct ctx *ctx, const struct request *r, json_object *result)
{
	json_object *ch = jsonx_get_obj(r->data, "changes"), *p;
	struct cabinets_contacts_old before;
	PGresult *upd;

	if (ch == NULL)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	/* the contact may have become another account's since filing: 409,
	 * the request stays as it was */
	if (requests_contacts_free(ctx, r->employee, ch) < 0)
		return ctx->error == PROTO_ERR_validation
		           ? ctx_fail_about(ctx, PROTO_ERR_conflict,
		                            "Почта или телефон из заявки уже служат для входа в "
		                            "кабинет другого сотрудника: отклоните заявку или "
		                            "попросите сотрудника подать новую")
		           : -1;
	p = jsonx_get_obj(ch, "passport");
	/* the card's contacts before the write, read from its row in the same
	 * statement: the account's sign-in contact that was the old one
	 * follows (cabinets_contacts_follow) */
	upd = ctx_sql(
	    ctx,
	    "WITH o AS (SELECT id, email, phone FROM employees WHERE tenant_id = $1 AND id = $2 "
	    "FOR UPDATE) UPDATE employees e SET phone = coalesce($3, e.phone), email = "
	    "coalesce($4, e.email), address = coalesce($5, e.address), full_name = coalesce($6, "
	    "e.full_name), passport = coalesce($7::jsonb, e.passport), updated_at = now() FROM o "
	    "WHERE e.tenant_id = $1 AND e.id = o.id RETURNING o.email, o.phone",
	    requests_tenant(ctx), ctx_i64(ctx, r->employee), jsonx_get_str(ch, "phone"),
	    jsonx_get_str(ch, "email"), jsonx_get_str(ch, "address"),
	    jsonx_get_str(ch, "full_name"), p ? jsonx_dump(p, NULL) : NULL);
	if (upd == NULL)
		return -1;
	if (PQntuples(upd) != 1)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Сотрудник не найден");
	before = (struct cabinets_contacts_old){
	    r->employee, PQgetisnull(upd, 0, 0) ? NULL : PQgetvalue(upd, 0, 0),
	    PQgetisnull(upd, 0, 1) ? NULL : PQgetvalue(upd, 0, 1)};
	if (jsonx_get_str(ch, "full_name") &&
	    ctx_sql(ctx,
	            "UPDATE users SET full_name = $3 WHERE tenant_id = $1 AND employee_id = $2",
	            requests_tenant(ctx), ctx_i64(ctx, r->employee),
	            jsonx_get_str(ch, "full_name")) == NULL)
		return -1;
	/* the account signs in with the new contacts (and is told so) */
	if ((jsonx_get_str(ch, "email") || jsonx_get_str(ch, "phone")) &&
	    cabinets_contacts_follow(ctx, &before, 1, NULL) < 0)
		return -1;
	jsonx_set_int(result, "employee_id", r->employee);
	json_object *fields = json_object_new_array();
	json_object_object_foreach(ch, key, val)
	{
		(void)val;
		json_object_array_add(fields, json_object_new_string(key));
	}
	json_object_object_add(result, "changed", fields);
	return audit_log(ctx, "staff.employee_updated", 1, "employee", ctx_i64(ctx, r->employee),
	                 audit_detail("request_id", ctx_i64(ctx, r->id)));
}

/* tax_deduction: the employee's child deductions become the request's
 * list, by the deductions' own rules (a closed month 423). */
static int requests_effect_children(struct ctx *ctx, const struct request *r, json_object *result)
{
	json_object *args = json_object_new_object(), *out;

	jsonx_set_int(args, "id", r->employee);
	json_object_object_add(args, "children", json_object_get(jsonx_get(r->data, "children")));
	if (ctx_call(ctx, "deductions.children_set", args, &out) < 0)
		return -1;
	jsonx_set_int(result, "children",
	              (int64_t)json_object_array_length(jsonx_get(r->data, "children")));
	return 0;
}

/* What a done request changes; the result is kept with the request. task:
 * the execution task being completed (0: none). */
static int requests_effect(struct ctx *ctx, const struct request *r, int64_t task)
{
	json_object *result = arena_own(ctx->arena, json_object_new_object());
	int rc = 0, code;

	if (r->type->period) {
		code = requests_deviation_code(r);
		rc = code ? requests_effect_deviation(ctx, r, code, result)
		          : ctx_fail(ctx, PROTO_ERR_internal, NULL);
	} else if (strcmp(r->type->name, "personal_data") == 0) {
		rc = requests_effect_personal(ctx, r, result);
	} else if (strcmp(r->type->name, "tax_deduction") == 0) {
		rc = requests_effect_children(ctx, r, result);
	} else if (certificates_is_certificate(r->type->name)) {
		struct certificate_request c = {r->id, r->employee, task, r->type->name, r->data};
		rc = certificates_issue(ctx, &c, result);
	}
	if (rc < 0)
		return -1;
	return ctx_sql(ctx,
	               "UPDATE requests SET result = $3::jsonb WHERE tenant_id = $1 AND id = $2",
	               requests_tenant(ctx), ctx_i64(ctx, r->id), jsonx_dump(result, NULL))
	           ? 0
	           : -1;
}

/* Makes the request done: the effect, the open execution task closed. */
static int requests_finish(struct ctx *ctx, struct request *r, int64_t task, const char *comment)
{
	if (requests_lock_employee(ctx, r->employee) < 0 || requests_check_input(ctx, r) < 0 ||
	    requests_effect(ctx, r, task) < 0)
		return -1;
	if (task && requests_task_close(ctx, task, "done", comment, 0) < 0)
		return -1;
	/* a question's answer is the completing comment: in the notification
	 * and as the request's "answer" (requests_detail) */
	if (strcmp(r->type->name, "question") == 0 && comment &&
	    !args_blank(comment, strlen(comment)))
		r->reply = comment;
	if (requests_set_state(ctx, r, "done", NULL) < 0 ||
	    requests_event(ctx, r->id, task, "completed", comment, NULL) < 0)
		return -1;
	return 0;
}

/* ---- operations: tasks ---- */

/* The task of the row's object with its request, both locked; refuses
 * (409) a task that is not open or not of the wanted step (NULL: any). */
static int requests_task_for(struct ctx *ctx, const char *step, const char *verb, struct task *t,
                             struct request *r)
{
	/* the request locked first (requests_lock_task_request), then the
	 * task and its request in one statement; no row: an HR task or none,
	 * told apart by the task alone */
	PGresult *res =
	    requests_lock_task_request(ctx, ctx->object_id) < 0
	        ? NULL
	        : ctx_sql(ctx,
	                  "SELECT " REQUESTS_TASK_COLUMNS ", " REQUESTS_LOAD_COLUMNS
	                  " FROM request_tasks t JOIN requests r ON r.tenant_id = t.tenant_id "
	                  "AND r.id = t.request_id" REQUESTS_LOAD_JOIN "WHERE t.tenant_id = $1 "
	                  "AND t.id = $2 FOR UPDATE OF t, r",
	                  requests_tenant(ctx), ctx_i64(ctx, ctx->object_id));

	if (res == NULL)
		return -1;
	if (PQntuples(res)) {
		requests_task_fill(res, t);
		if (requests_fill(ctx, res, REQUESTS_TASK_NCOLUMNS, r) < 0)
			return -1;
	} else if (requests_task_load(ctx, ctx->object_id, t) < 0) {
		return -1;
	} else if (t->request == 0) { /* an HR task (hrtasks.h): only completed */
		return ctx_fail(ctx, PROTO_ERR_conflict, "Задача № %lld — задание: %s нельзя",
		                (long long)t->id, verb);
	} else if (requests_load(ctx, t->request, r) < 0) {
		return -1;
	}
	if (strcmp(t->state, "open") != 0)
		return ctx_fail(ctx, PROTO_ERR_conflict,
		                "Задача № %lld уже закрыта (%s): %s нельзя", (long long)t->id,
		                requests_task_state_title(t->state), verb);
	if (step && strcmp(t->step, step) != 0)
		return ctx_fail(
		    ctx, PROTO_ERR_conflict, "Задача № %lld — %s: %s нельзя", (long long)t->id,
		    strcmp(t->step, "approval") == 0 ? "согласование" : "исполнение", verb);
	return 0;
}

static int requests_task_answer(struct ctx *ctx, int64_t task, const struct request *r)
{
	jsonx_set_int(ctx_result(ctx), "task_id", task);
	return requests_answer_of(ctx, r, 0);
}

/* POST /api/tasks/{id}/approve {"comment"?} */
static int requests_task_approve(struct ctx *ctx)
{
	const char *comment = jsonx_get_str(ctx->args, "comment");
	struct task t;
	struct request r;

	if (requests_task_for(ctx, "approval", "согласовать", &t, &r) < 0)
		return -1;
	if (strcmp(r.state, "awaiting_approval") != 0)
		return requests_refuse(ctx, &r, "согласовать");
	/* what the completion would refuse (a closed payroll month: 423
	 * naming it) is refused at approval too, not approved for nobody to
	 * complete (trial-break F16) */
	if (requests_check_input(ctx, &r) < 0)
		return -1;
	r.approved = 1;
	r.step = t.chain_index + 1;
	/* approved and the step are written with the next step's state
	 * (requests_route_loaded, requests_set_state) */
	if (requests_task_close(ctx, t.id, "done", comment, 0) < 0 ||
	    requests_event(ctx, r.id, t.id, "approved", comment, NULL) < 0 ||
	    requests_route_loaded(ctx, &r) < 0)
		return -1;
	return requests_task_answer(ctx, t.id, &r);
}

/* POST /api/tasks/{id}/reject {"reason"} */
static int requests_task_reject(struct ctx *ctx)
{
	static const char *const can[] = {"submitted", "awaiting_approval", "approved",
	                                  "in_progress", NULL};
	const char *reason = jsonx_get_str(ctx->args, "reason");
	struct task t;
	struct request r;

	if (reason == NULL)
		return -1;
	if (requests_task_for(ctx, NULL, "отклонить", &t, &r) < 0)
		return -1;
	if (!requests_in(r.state, can))
		return requests_refuse(ctx, &r, "отклонить");
	if (requests_task_close(ctx, t.id, "rejected", reason, 0) < 0 ||
	    requests_set_state(ctx, &r, "rejected", reason) < 0 ||
	    requests_event(ctx, r.id, t.id, "rejected", reason, NULL) < 0)
		return -1;
	return requests_task_answer(ctx, t.id, &r);
}

/* POST /api/tasks/{id}/forward {"to", "comment"?} */
static int requests_task_forward(struct ctx *ctx)
{
	const char *comment = jsonx_get_str(ctx->args, "comment");
	struct task t;
	struct request r;
	int64_t to = 0, next;
	PGresult *res;

	if (worktime_arg_employee(ctx, "to", "to_name", 1, &to) < 0)
		return -1;
	if (requests_task_for(ctx, NULL, "передать", &t, &r) < 0)
		return -1;
	/* someone who can act on it: not dismissed, with a cabinet */
	if (routing_check_assignee(ctx, "to", to, 0) < 0)
		return -1;
	res = ctx_sql(ctx, "SELECT full_name FROM employees WHERE tenant_id = $1 AND id = $2",
	              requests_tenant(ctx), ctx_i64(ctx, to));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_field_code(ctx, "to", "not_found", "Сотрудник не найден");
	if (to == t.assignee)
		return ctx_field(ctx, "to", "Задача уже у этого сотрудника");
	if (to == r.employee)
		return ctx_field(ctx, "to", "Нельзя передать задачу автору заявки");
	if (requests_task_pass(ctx, t.id, to, "forwarded", comment, &next) < 0)
		return -1;
	/* the employee learns who has their request now, and why */
	if (requests_what(ctx, &r) == NULL ||
	    requests_notify(ctx, r.employee, "request_forwarded", r.id, next,
	                    arena_printf(ctx->arena,
	                                 "Ваша заявка «%s» передана другому исполнителю: %s%s%s",
	                                 r.subject, PQgetvalue(res, 0, 0),
	                                 comment && *comment ? ". Комментарий: " : "",
	                                 comment && *comment ? comment : ""),
	                    notify_sms(ctx->arena, "request_forwarded", r.number, NULL)) < 0)
		return -1;
	jsonx_set_int(ctx_result(ctx), "next_task_id", next);
	return requests_task_answer(ctx, t.id, &r);
}

/* POST /api/tasks/{id}/take {"comment"?}: the performer starts */
static int requests_task_take(struct ctx *ctx)
{
	static const char *const can[] = {"submitted", "approved", NULL};
	const char *comment = jsonx_get_str(ctx->args, "comment");
	struct task t;
	struct request r;

	if (requests_task_for(ctx, "execution", "взять в работу", &t, &r) < 0)
		return -1;
	if (!requests_in(r.state, can))
		return requests_refuse(ctx, &r, "взять в работу");
	if (requests_set_state(ctx, &r, "in_progress", NULL) < 0 ||
	    requests_event(ctx, r.id, t.id, "taken", comment, NULL) < 0)
		return -1;
	return requests_task_answer(ctx, t.id, &r);
}

/* POST /api/tasks/{id}/complete {"comment"?}: a request's execution task,
 * or an HR task (its answer, hrtasks.h) */
static int requests_task_complete(struct ctx *ctx)
{
	static const char *const can[] = {"submitted", "approved", "in_progress", NULL};
	const char *comment = jsonx_get_str(ctx->args, "comment");
	struct task t;
	struct request r;

	if (requests_task_load(ctx, ctx->object_id, &t) < 0)
		return -1;
	if (t.request == 0)
		return hrtasks_complete(ctx, t.id, comment);
	if (requests_task_for(ctx, "execution", "выполнить", &t, &r) < 0)
		return -1;
	if (!requests_in(r.state, can))
		return requests_refuse(ctx, &r, "выполнить");
	if (requests_finish(ctx, &r, t.id, comment) < 0)
		return -1;
	return requests_task_answer(ctx, t.id, &r);
}

/* GET /api/tasks?state=open|done|forwarded|rejected|cancelled|all
 * (Under the tables' row-level security only a leakproof condition finds
 * rows by an index: y.id = coalesce(...) scanned all employees per row,
 * hence the name by the request's employee or, for an HR task, the
 * assignee. The request by a LATERAL fenced with OFFSET 0: by its key per
 * row of the page, never a hash of the table.) A forwarded task names who
 * has it now (nx); a task that came by forwarding, who passed it and why
 * (pv). */
#define REQUESTS_TASK_LIST_SQL(states)                                                             \
	"WITH z AS MATERIALIZED (SELECT app_timezone() AS tz), n AS (SELECT count(*) AS total "    \
	"FROM request_tasks WHERE tenant_id = $1 AND assignee_id = $2 AND " states "), t AS "      \
	"MATERIALIZED (SELECT * FROM request_tasks WHERE tenant_id = $1 AND assignee_id = $2 "     \
	"AND " states " ORDER BY id DESC LIMIT $4 OFFSET $5), p AS (SELECT t.id AS task_id, "      \
	"t.request_id, coalesce(r.type, t.step), t.step, t.state, coalesce(r.employee_id, "        \
	"t.assignee_id), (SELECT y.full_name FROM employees y WHERE y.tenant_id = t.tenant_id "    \
	"AND y.id = r.employee_id UNION ALL SELECT y.full_name FROM employees y WHERE "            \
	"t.request_id IS NULL AND y.tenant_id = t.tenant_id AND y.id = t.assignee_id), r.state, "  \
	"to_char(r.date_from, 'YYYY-MM-DD'), to_char(r.date_to, 'YYYY-MM-DD'), "                   \
	"to_char(t.created_at AT TIME ZONE z.tz, 'DD.MM.YYYY HH24:MI'), CASE WHEN t.request_id "   \
	"IS NULL THEN to_char(((t.due_at AT TIME ZONE z.tz) - interval '1 second')::date, "        \
	"'DD.MM.YYYY') ELSE to_char(t.due_at AT TIME ZONE z.tz, 'DD.MM.YYYY HH24:MI') END, "       \
	"t.due_at < " ROUTING_NOW_SQL ", t.on_behalf_of, (SELECT b.full_name FROM employees b "    \
	"WHERE b.tenant_id = t.tenant_id AND b.id = t.on_behalf_of), t.title, "                    \
	"t.given_by_employee, (SELECT coalesce(g.full_name, u.full_name) FROM users u LEFT JOIN "  \
	"employees g ON g.tenant_id = t.tenant_id AND g.id = t.given_by_employee WHERE "           \
	"u.tenant_id = t.tenant_id AND u.id = t.given_by), r.number, t.comment, nx.assignee_id "   \
	"AS next_assignee, nx.full_name AS next_name, pv.assignee_id AS prev_assignee, "           \
	"pv.full_name AS prev_name, pv.comment AS prev_comment FROM t CROSS JOIN z LEFT JOIN "     \
	"LATERAL (SELECT * FROM requests x WHERE x.tenant_id = t.tenant_id AND x.id = "            \
	"t.request_id OFFSET 0) r ON true LEFT JOIN LATERAL (SELECT n.assignee_id, f.full_name "   \
	"FROM request_tasks n JOIN employees f ON f.tenant_id = n.tenant_id AND f.id = "           \
	"n.assignee_id WHERE n.tenant_id = t.tenant_id AND n.id = t.next_id AND t.state = "        \
	"'forwarded') nx ON true LEFT JOIN LATERAL (SELECT p.assignee_id, f.full_name, p.comment " \
	"FROM request_tasks p JOIN employees f ON f.tenant_id = p.tenant_id AND f.id = "           \
	"p.assignee_id WHERE p.tenant_id = t.tenant_id AND p.request_id = t.request_id AND "       \
	"p.next_id = t.id AND p.state = 'forwarded' LIMIT 1) pv ON true) SELECT p.*, n.total "     \
	"FROM n LEFT JOIN p ON true ORDER BY p.task_id DESC"
#define REQUESTS_TASK_LIST_TOTAL 25 /* the column of the count */

/* {"id": ..., "full_name": ...} of columns id_col and name_col into b: the
 * id null when its column is, the name "" when its column is null. */
static void requests_put_person(struct buf *b, PGresult *res, int i, int id_col, int name_col)
{
	buf_append(b, "{\"id\":", 6);
	if (PQgetisnull(res, i, id_col))
		buf_append(b, "null", 4);
	else
		buf_append(b, PQgetvalue(res, i, id_col), (size_t)PQgetlength(res, i, id_col));
	buf_append(b, ",\"full_name\":", 13);
	jsonx_put_str(b, PQgetvalue(res, i, name_col));
	buf_putc(b, '}');
}

/* A column as a JSON string, null when it is null. */
static void requests_put_col(struct buf *b, PGresult *res, int i, int col)
{
	jsonx_put_str(b, PQgetisnull(res, i, col) ? NULL : PQgetvalue(res, i, col));
}

/* An integer column as a JSON number (0 when null). */
static void requests_put_int(struct buf *b, PGresult *res, int i, int col)
{
	if (PQgetisnull(res, i, col) || PQgetlength(res, i, col) == 0)
		buf_putc(b, '0');
	else
		buf_append(b, PQgetvalue(res, i, col), (size_t)PQgetlength(res, i, col));
}

/* One task of the list as JSON into b. Written as text from the row, not
 * built as json-c objects: a page of 100 tasks was some 2 000 objects and
 * their hash tables, then serialized, which cost cabinetd more CPU than
 * PostgreSQL spent on the statement (tests/bench/README.md, the task
 * list's profile). The members and their order are what the objects had. */
static void requests_task_row(struct buf *b, PGresult *res, int i)
{
	const char *type = PQgetvalue(res, i, 2), *state = PQgetvalue(res, i, 4);
	const struct request_type *t = requests_type_find(type);
	int hr = PQgetisnull(res, i, 1);

	buf_puts(b, "{\"id\":");
	requests_put_int(b, res, i, 0);
	buf_puts(b, ",\"request_id\":");
	if (hr)
		buf_puts(b, "null");
	else
		requests_put_int(b, res, i, 1);
	buf_puts(b, ",\"type\":");
	jsonx_put_str(b, type);
	buf_puts(b, ",\"type_title\":");
	jsonx_put_str(b, t ? t->title : hr ? "Задание" : type);
	buf_puts(b, ",\"step\":");
	jsonx_put_str(b, PQgetvalue(res, i, 3));
	buf_puts(b, ",\"state\":");
	jsonx_put_str(b, state);
	buf_puts(b, ",\"state_title\":");
	jsonx_put_str(b, hr ? hrtasks_state_title(state) : requests_task_state_title(state));
	buf_puts(b, ",\"employee\":");
	requests_put_person(b, res, i, 5, 6);
	if (hr) {
		buf_puts(b, ",\"title\":");
		jsonx_put_str(b, PQgetvalue(res, i, 15));
		buf_puts(b, ",\"given_by\":");
		requests_put_person(b, res, i, 16, 17);
	} else {
		buf_puts(b, ",\"request_number\":");
		requests_put_int(b, res, i, 18);
		buf_puts(b, ",\"request_state\":");
		jsonx_put_str(b, PQgetvalue(res, i, 7));
		buf_puts(b, ",\"request_state_title\":");
		jsonx_put_str(b, requests_state_title(PQgetvalue(res, i, 7)));
	}
	if (!PQgetisnull(res, i, 8)) {
		buf_puts(b, ",\"date_from\":");
		jsonx_put_str(b, PQgetvalue(res, i, 8));
		buf_puts(b, ",\"date_to\":");
		jsonx_put_str(b, PQgetvalue(res, i, 9));
	}
	buf_puts(b, ",\"created_at_ru\":");
	jsonx_put_str(b, PQgetvalue(res, i, 10));
	buf_puts(b, ",\"due_ru\":");
	requests_put_col(b, res, i, 11);
	buf_puts(b, strcmp(PQgetvalue(res, i, 12), "t") == 0 ? ",\"overdue\":true"
	                                                     : ",\"overdue\":false");
	if (!PQgetisnull(res, i, 13)) {
		buf_puts(b, ",\"on_behalf_of\":");
		requests_put_person(b, res, i, 13, 14);
	}
	/* a forwarded task names who has it now and why; a task that came by
	 * forwarding, who passed it and why */
	if (!hr) {
		buf_puts(b, ",\"comment\":");
		requests_put_col(b, res, i, 19);
	}
	if (!PQgetisnull(res, i, 20)) {
		buf_puts(b, ",\"forwarded_to\":");
		requests_put_person(b, res, i, 20, 21);
	}
	if (!PQgetisnull(res, i, 22)) {
		buf_puts(b, ",\"forwarded_from\":");
		requests_put_person(b, res, i, 22, 23);
		buf_puts(b, ",\"forward_comment\":");
		requests_put_col(b, res, i, 24);
	}
	buf_putc(b, '}');
}

static int requests_task_list(struct ctx *ctx)
{
	const char *state = jsonx_get_str(ctx->args, "state");
	struct buf items = BUF_INIT;
	int64_t limit, offset;
	PGresult *res;
	int all, n = 0;

	if (ctx_arg_int(ctx, "limit", 1, REQUESTS_PAGE_MAX, 100, &limit) < 0 ||
	    ctx_arg_int(ctx, "offset", 0, INT32_MAX, 0, &offset) < 0)
		return -1;
	if (state == NULL)
		state = "open";
	all = strcmp(state, "all") == 0;
	/* one statement: the count, and the page of the person's tasks by
	 * their index (one state: in the index's order, the page's rows
	 * only), then the requests and people of that page only, by their
	 * keys (a page past the end: one row with the count alone); an HR task
	 * has no request: its employee is the assignee, its giver and title
	 * come along */
	res = ctx_sql(ctx,
	              all ? REQUESTS_TASK_LIST_SQL("state = ANY ($3::text[])")
	                  : REQUESTS_TASK_LIST_SQL("state = $3"),
	              requests_tenant(ctx), ctx_i64(ctx, ctx->employee_id),
	              all ? "{open,done,forwarded,rejected,cancelled}" : state, ctx_i64(ctx, limit),
	              ctx_i64(ctx, offset));
	if (res == NULL)
		return -1;
	buf_reserve(&items, 64 + (size_t)PQntuples(res) * 640);
	buf_putc(&items, '[');
	for (int i = 0; i < PQntuples(res); i++) {
		if (PQgetisnull(res, i, 0)) /* the count alone */
			continue;
		if (n++)
			buf_putc(&items, ',');
		requests_task_row(&items, res, i);
	}
	buf_putc(&items, ']');
	json_object_object_add(ctx_result(ctx), "items", jsonx_new_raw(&items));
	jsonx_set_int(ctx_result(ctx), "total",
	              PQntuples(res) ? atoll(PQgetvalue(res, 0, REQUESTS_TASK_LIST_TOTAL)) : 0);
	return 0;
}

/* ---- the exchange: states pushed by the accounting system ---- */

/* POST /api/exchange/v1/requests/{id}/state {"state", "comment"} with an
 * Idempotency-Key */
static int requests_exchange_state(struct ctx *ctx)
{
	static const char *const can_take[] = {"submitted", "approved", NULL};
	static const char *const can_done[] = {"submitted", "approved", "in_progress", NULL};
	static const char *const can_reject[] = {"submitted", "awaiting_approval", "approved",
	                                         "in_progress", NULL};
	const char *state = jsonx_get_str(ctx->args, "state");
	const char *comment = jsonx_get_str(ctx->args, "comment");
	const char *key = jsonx_get_str(ctx->auth, "idempotency_key");
	int64_t id, task = 0;
	struct request r;
	PGresult *res;

	if (key == NULL || !*key)
		return ctx_field_code(ctx, "Idempotency-Key", "required",
		                      "Нужен заголовок Idempotency-Key: повтор того же запроса не "
		                      "изменит заявку дважды");
	if (state == NULL || ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	res = ctx_sql(ctx, "SELECT state FROM requests WHERE tenant_id = $1 AND id = $2",
	              requests_tenant(ctx), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0 || strcmp(PQgetvalue(res, 0, 0), "draft") == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Заявка не найдена");
	if (requests_load(ctx, id, &r) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT id FROM request_tasks WHERE tenant_id = $1 AND request_id = $2 AND "
	              "state = 'open' ORDER BY id DESC LIMIT 1 FOR UPDATE",
	              requests_tenant(ctx), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res))
		task = atoll(PQgetvalue(res, 0, 0));
	if (strcmp(state, "in_progress") == 0) {
		if (!requests_in(r.state, can_take))
			return requests_refuse(ctx, &r, "перевести в работу");
		if (requests_set_state(ctx, &r, "in_progress", NULL) < 0 ||
		    requests_event(ctx, r.id, task, "taken", comment, NULL) < 0)
			return -1;
	} else if (strcmp(state, "done") == 0) {
		if (!requests_in(r.state, can_done))
			return requests_refuse(ctx, &r, "отметить выполненной");
		if (requests_finish(ctx, &r, task, comment) < 0)
			return -1;
	} else {
		if (comment == NULL || !*comment)
			return ctx_field_code(ctx, "comment", "required",
			                      "Укажите причину отказа в comment");
		if (!requests_in(r.state, can_reject))
			return requests_refuse(ctx, &r, "отклонить");
		if ((task && requests_task_close(ctx, task, "rejected", comment, 0) < 0) ||
		    requests_set_state(ctx, &r, "rejected", comment) < 0 ||
		    requests_event(ctx, r.id, task, "rejected", comment, NULL) < 0)
			return -1;
	}
	jsonx_set_int(ctx_result(ctx), "id", r.id);
	jsonx_set_str(ctx_result(ctx), "state", r.state);
	return 0;
}

/* ---- declarations ---- */

static const char *const requests_state_names[] = {"draft",    "submitted", "awaiting_approval",
                                                   "approved", "rejected",  "in_progress",
                                                   "done",     "cancelled", NULL};
static const char *const requests_task_states[] = {"open",      "done", "forwarded", "rejected",
                                                   "cancelled", "all",  NULL};
static const char *const requests_pushed_states[] = {"in_progress", "done", "rejected", NULL};

/* personal_data's changes (requests_read_changes checks their forms) */
static const struct op_arg requests_passport_fields[] = {
    /* as printed and typed, "45 00", "123 456": the spaces are dropped */
    {"series", ARG_STR, 0, .max = 12, .hint = "Серия паспорта — 4 цифры"},
    {"number", ARG_STR, 0, .max = 12, .hint = "Номер паспорта — 6 цифр"},
    {"issued_by", ARG_STR, 0, .max = 200},
    ARG_ROW_DATE("issued_on", 0),
    {"division_code", ARG_STR, 0, .max = 20},
    ARG_END,
};
static const struct op_arg requests_change_fields[] = {
    {"phone", ARG_STR, 0, .max = 32},
    {"email", ARG_STR, 0, .max = VALIDATE_EMAIL_MAX},
    {"address", ARG_STR, 0, .max = 500},
    {"full_name", ARG_STR, 0, .max = VALIDATE_NAME_MAX},
    {"passport", ARG_OBJECT, 0, .items = requests_passport_fields},
    ARG_END,
};
static const struct op_arg requests_create_args[] = {
    {"type", ARG_ENUM, ARG_REQUIRED, .values = requests_type_names, .example = "\"question\"",
     .hint = "Вид заявки: vacation, absence, business_trip, personal_data, tax_deduction, "
             "certificate_employment, certificate_ndfl, certificate_vacation_balance или "
             "question"},
    {"draft", ARG_BOOL, 0},
    {"comment", ARG_STR, ARG_MULTILINE, .max = REQUESTS_TEXT_MAX},
    ARG_ROW_DATE("date_from", 0),
    ARG_ROW_DATE("date_to", 0),
    ARG_ROW_DATE("from", 0),
    ARG_ROW_DATE("to", 0),
    {"kind", ARG_ENUM, 0, .values = requests_kind_names,
     .hint = "Вид отпуска: annual (ежегодный), additional (дополнительный) или unpaid (без "
             "сохранения заработной платы)"},
    {"reason", ARG_ENUM, 0, .values = requests_reason_names, .hint = "Причина: " REQUESTS_REASONS},
    {"destination", ARG_STR, 0, .max = 300},
    {"purpose", ARG_STR, ARG_MULTILINE, .max = 1000},
    {"changes", ARG_OBJECT, 0, .items = requests_change_fields,
     .example = "{\"phone\": \"+79123456789\", \"passport\": {\"series\": \"4510\", "
                "\"number\": \"123456\", \"issued_by\": \"ОВД района Пресненский\", "
                "\"issued_on\": \"2015-06-01\", \"division_code\": \"770-001\"}}"},
    {"children", ARG_ARRAY, 0, .min = 1, .max = 20, .items = deductions_child_fields,
     .example = "[{\"order\": 1, \"from\": \"2025-01-01\"}]"},
    {"year", ARG_INT, 0, .min = DATE_MIN_YEAR, .max = DATE_MAX_YEAR},
    ARG_ROW_DATE("date", 0),
    {"copies", ARG_INT, 0, .min = 1, .max = 10},
    {"text", ARG_STR, ARG_MULTILINE, .max = 4000},
    ARG_END,
};
static const struct op_arg requests_list_args[] = {
    {"state", ARG_ENUM, 0, .values = requests_state_names},
    {"type", ARG_ENUM, 0, .values = requests_type_names},
    {"limit", ARG_INT, 0, .min = 1, .max = REQUESTS_PAGE_MAX},
    {"offset", ARG_INT, 0, .min = 0, .max = INT32_MAX},
    ARG_END,
};
static const struct op_arg requests_admin_list_args[] = {
    {"state", ARG_ENUM, 0, .values = requests_state_names},
    {"type", ARG_ENUM, 0, .values = requests_type_names},
    {"q", ARG_STR, 0, .max = 200},
    ARG_ROW_DATE("from", 0),
    ARG_ROW_DATE("to", 0),
    {"limit", ARG_INT, 0, .min = 1, .max = REQUESTS_PAGE_MAX},
    {"offset", ARG_INT, 0, .min = 0, .max = INT32_MAX},
    ARG_END,
};
static const struct op_arg requests_id_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
static const struct op_arg requests_comment_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    {"comment", ARG_STR, ARG_MULTILINE, .max = REQUESTS_TEXT_MAX},
    ARG_END,
};
static const struct op_arg requests_reject_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    {"reason", ARG_STR, ARG_REQUIRED | ARG_MULTILINE, .max = REQUESTS_TEXT_MAX,
     .example = "\"Нет замены на эти дни\"", .missing = "Укажите причину — её увидит сотрудник"},
    ARG_END,
};
static const struct op_arg requests_forward_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    {"to", ARG_INT, 0, .min = 1, .max = INT64_MAX},
    {"to_name", ARG_STR, 0, .max = 400},
    {"comment", ARG_STR, ARG_MULTILINE, .max = REQUESTS_TEXT_MAX},
    ARG_END,
};
static const struct op_arg requests_task_list_args[] = {
    {"state", ARG_ENUM, 0, .values = requests_task_states},
    {"limit", ARG_INT, 0, .min = 1, .max = REQUESTS_PAGE_MAX},
    {"offset", ARG_INT, 0, .min = 0, .max = INT32_MAX},
    ARG_END,
};
static const struct op_arg requests_push_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    {"state", ARG_ENUM, ARG_REQUIRED, .values = requests_pushed_states, .example = "\"done\"",
     .hint = "Состояние: in_progress, done или rejected"},
    {"comment", ARG_STR, ARG_MULTILINE, .max = REQUESTS_TEXT_MAX},
    ARG_END,
};

const struct op requests_ops[] = {
    {"requests.create", OP_EMPLOYEE, requests_create, OP_WRITE | OP_IDEMPOTENT,
     requests_create_args, WHO(WHO_SELF)},
    {"requests.list", OP_EMPLOYEE, requests_list, 0, requests_list_args, WHO(WHO_SELF)},
    /* the administrator's list of the tenant's requests (/admin/requests) */
    {"requests.admin_list", OP_ADMIN, requests_admin_list, 0, requests_admin_list_args},
    {"requests.get", OP_EMPLOYEE, requests_get, 0, requests_id_args,
     WHO_ON(REQUEST_VIEWERS, OBJ_REQUEST, "id")},
    {"requests.submit", OP_EMPLOYEE, requests_submit, OP_WRITE, requests_id_args,
     WHO_ON(WHO_SELF, OBJ_REQUEST, "id")},
    {"requests.cancel", OP_EMPLOYEE, requests_cancel, OP_WRITE, requests_comment_args,
     WHO_ON(WHO_SELF, OBJ_REQUEST, "id")},
    {"requests.task_list", OP_EMPLOYEE, requests_task_list, 0, requests_task_list_args,
     WHO(WHO_SELF)},
    {"requests.task_approve", OP_EMPLOYEE, requests_task_approve, OP_WRITE, requests_comment_args,
     WHO_ON(WHO_ASSIGNEE, OBJ_TASK, "id")},
    {"requests.task_reject", OP_EMPLOYEE, requests_task_reject, OP_WRITE, requests_reject_args,
     WHO_ON(WHO_ASSIGNEE, OBJ_TASK, "id")},
    /* the administrator too: takes back a task whose holder cannot act
     * (assignee_can_act false) and gives it to someone who can */
    {"requests.task_forward", OP_EMPLOYEE, requests_task_forward, OP_WRITE, requests_forward_args,
     WHO_ON(WHO_ASSIGNEE | WHO_ADMIN, OBJ_TASK, "id")},
    {"requests.task_take", OP_EMPLOYEE, requests_task_take, OP_WRITE, requests_comment_args,
     WHO_ON(WHO_ASSIGNEE, OBJ_TASK, "id")},
    {"requests.task_complete", OP_EMPLOYEE, requests_task_complete, OP_WRITE, requests_comment_args,
     WHO_ON(WHO_ASSIGNEE, OBJ_TASK, "id")},
    {"requests.push_state", OP_EXCHANGE, requests_exchange_state, OP_WRITE | OP_IDEMPOTENT,
     requests_push_args, .scope = "requests"},
    {NULL, 0, NULL, 0, NULL},
};
