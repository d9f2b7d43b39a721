/*
 * hrtasks.c - HR tasks given to employees, their files and answers
 * (hrtasks.h). The storage is the requests' (request_tasks with step
 * "hr_task", request_files), and so are the task list and the completion
 * route (requests.c).
 */
#include "hrtasks.h"

#include "audit.h"
#include "date.h"
#include "jsonx.h"
#include "notify.h"
#include "ops.h"
#include "org.h"
#include "requests.h"
#include "routing.h"
#include "ru.h"
#include "worktime.h"

#include <stdlib.h>
#include <string.h>

#define HRTASKS_TITLE_MAX       300
#define HRTASKS_DESCRIPTION_MAX 4000
#define HRTASKS_COMMENT_MAX     2000 /* request_tasks.comment */
#define HRTASKS_PAGE_MAX        200

/* The columns of a task: $1 tenant, $2 the organization's time zone. */
#define HRTASKS_COLUMNS                                                                            \
	"t.id, t.title, coalesce(t.description, ''), t.state, t.assignee_id, a.full_name, "        \
	"t.given_by_employee, (SELECT coalesce(g.full_name, u.full_name) FROM users u LEFT JOIN "  \
	"employees g ON g.tenant_id = t.tenant_id AND g.id = t.given_by_employee WHERE "           \
	"u.tenant_id = t.tenant_id AND u.id = t.given_by), to_char(t.created_at AT TIME ZONE "     \
	"'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), to_char(t.created_at AT TIME ZONE $2, "         \
	"'DD.MM.YYYY HH24:MI'), to_char(((t.due_at AT TIME ZONE $2) - interval '1 "                \
	"second')::date, "                                                                         \
	"'YYYY-MM-DD'), to_char(((t.due_at AT TIME ZONE $2) - interval '1 second')::date, "        \
	"'DD.MM.YYYY'), coalesce(t.state = 'open' AND t.due_at < " ROUTING_NOW_SQL ", false), "    \
	"to_char(t.closed_at AT TIME ZONE $2, 'DD.MM.YYYY HH24:MI'), t.comment, t.given_by, "      \
	"(SELECT count(*) FROM request_files f WHERE f.tenant_id = t.tenant_id AND f.task_id = "   \
	"t.id AND f.request_id IS NULL) FROM request_tasks t JOIN employees a ON a.tenant_id = "   \
	"t.tenant_id AND a.id = t.assignee_id "
enum {
	HC_ID,
	HC_TITLE,
	HC_DESCRIPTION,
	HC_STATE,
	HC_ASSIGNEE,
	HC_ASSIGNEE_NAME,
	HC_GIVER,
	HC_GIVER_NAME,
	HC_CREATED,
	HC_CREATED_RU,
	HC_DUE,
	HC_DUE_RU,
	HC_OVERDUE,
	HC_CLOSED_RU,
	HC_COMMENT,
	HC_GIVEN_BY,
	HC_FILES,
};

const char *hrtasks_state_title(const char *state)
{
	if (strcmp(state, "open") == 0)
		return "Поставлено";
	if (strcmp(state, "done") == 0)
		return "Выполнено";
	if (strcmp(state, "cancelled") == 0)
		return "Отменено";
	return state;
}

json_object *hrtasks_person(PGresult *res, int row, int id_col, int name_col)
{
	json_object *o = json_object_new_object();

	if (PQgetisnull(res, row, id_col))
		json_object_object_add(o, "id", NULL);
	else
		jsonx_set_int(o, "id", atoll(PQgetvalue(res, row, id_col)));
	jsonx_set_str(o, "full_name", PQgetvalue(res, row, name_col));
	return o;
}

static const char *hrtasks_tenant(struct ctx *ctx)
{
	return ctx_i64(ctx, ctx->tenant_id);
}

static const char *hrtasks_null(PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL : PQgetvalue(res, row, col);
}

/* A task of a row of HRTASKS_COLUMNS. */
static json_object *hrtasks_json(PGresult *res, int i)
{
	json_object *o = json_object_new_object();
	const char *state = PQgetvalue(res, i, HC_STATE);

	jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, HC_ID)));
	jsonx_set_str(o, "title", PQgetvalue(res, i, HC_TITLE));
	jsonx_set_str(o, "state", state);
	jsonx_set_str(o, "state_title", hrtasks_state_title(state));
	json_object_object_add(o, "employee",
	                       hrtasks_person(res, i, HC_ASSIGNEE, HC_ASSIGNEE_NAME));
	json_object_object_add(o, "given_by", hrtasks_person(res, i, HC_GIVER, HC_GIVER_NAME));
	jsonx_set_str(o, "created_at", PQgetvalue(res, i, HC_CREATED));
	jsonx_set_str(o, "created_at_ru", PQgetvalue(res, i, HC_CREATED_RU));
	jsonx_set_str(o, "due", hrtasks_null(res, i, HC_DUE));
	jsonx_set_str(o, "due_ru", hrtasks_null(res, i, HC_DUE_RU));
	jsonx_set_bool(o, "overdue", strcmp(PQgetvalue(res, i, HC_OVERDUE), "t") == 0);
	jsonx_set_str(o, "closed_at_ru", hrtasks_null(res, i, HC_CLOSED_RU));
	jsonx_set_str(o, "answer", hrtasks_null(res, i, HC_COMMENT));
	jsonx_set_int(o, "files_count", atoll(PQgetvalue(res, i, HC_FILES)));
	return o;
}

/* Loads the task (FOR UPDATE when lock) as *res row 0. 0, or -1 (404). */
static int hrtasks_load(struct ctx *ctx, int64_t id, int lock, PGresult **res)
{
	*res = ctx_sql(ctx,
	               lock ? "SELECT " HRTASKS_COLUMNS "WHERE t.tenant_id = $1 AND t.id = $3 AND "
	                      "t.step = 'hr_task' FOR UPDATE OF t"
	                    : "SELECT " HRTASKS_COLUMNS "WHERE t.tenant_id = $1 AND t.id = $3 AND "
	                      "t.step = 'hr_task'",
	               hrtasks_tenant(ctx), org_time_zone(ctx), ctx_i64(ctx, id));
	if (*res == NULL)
		return -1;
	if (PQntuples(*res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Задание не найдено");
	return 0;
}

/* 1 when the caller may download the task's files: its employee and the
 * one who gave it (the relation the declaration matched), nobody else (not
 * an administrator who did not give it: hrtasks.file_get's declaration). */
static int hrtasks_may_download(struct ctx *ctx)
{
	return ctx->who_matched == WHO_ASSIGNEE || ctx->who_matched == WHO_GIVER;
}

/* The answer: {"id", "state", "task"} with the description and the files
 * (a file's "url" only for those who may download it). */
static int hrtasks_answer(struct ctx *ctx, int64_t id)
{
	json_object *o, *files;
	PGresult *res;
	int download;

	if (hrtasks_load(ctx, id, 0, &res) < 0)
		return -1;
	download = hrtasks_may_download(ctx);
	o = hrtasks_json(res, 0);
	jsonx_set_str(o, "description", PQgetvalue(res, 0, HC_DESCRIPTION));
	json_object_object_add(ctx_result(ctx), "task", o);
	jsonx_set_int(ctx_result(ctx), "id", id);
	jsonx_set_str(ctx_result(ctx), "state", PQgetvalue(res, 0, HC_STATE));
	files = json_object_new_array();
	json_object_object_add(o, "files", files);
	res =
	    ctx_sql(ctx,
	            "SELECT f.id, f.name, f.content_type, f.size, coalesce(e.full_name, ''), "
	            "f.employee_id IS NOT DISTINCT FROM t.assignee_id, to_char(f.created_at AT "
	            "TIME ZONE $3, 'DD.MM.YYYY HH24:MI') FROM request_files f JOIN request_tasks t "
	            "ON t.tenant_id = f.tenant_id AND t.id = f.task_id LEFT JOIN employees e ON "
	            "e.tenant_id = f.tenant_id AND e.id = f.employee_id WHERE f.tenant_id = $1 AND "
	            "f.task_id = $2 AND f.request_id IS NULL ORDER BY f.id",
	            hrtasks_tenant(ctx), ctx_i64(ctx, id), org_time_zone(ctx));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *f = json_object_new_object();
		jsonx_set_int(f, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(f, "name", PQgetvalue(res, i, 1));
		jsonx_set_str(f, "content_type", PQgetvalue(res, i, 2));
		jsonx_set_int(f, "size", atoll(PQgetvalue(res, i, 3)));
		jsonx_set_str(f, "uploaded_by", PQgetvalue(res, i, 4));
		jsonx_set_str(f, "from",
		              strcmp(PQgetvalue(res, i, 5), "t") == 0 ? "employee" : "giver");
		jsonx_set_str(f, "uploaded_at_ru", PQgetvalue(res, i, 6));
		jsonx_set_str(f, "url",
		              download ? arena_printf(ctx->arena, "/api/hr-tasks/%lld/files/%s",
		                                      (long long)id, PQgetvalue(res, i, 0))
		                       : NULL);
		json_object_array_add(files, f);
	}
	return 0;
}

/* 1 when the text has a character other than spaces. */
static int hrtasks_has_text(const char *s)
{
	return s && !args_blank(s, strlen(s));
}

/* ---- operations ---- */

/* POST /api/hr-tasks {"employee_id", "title", "description"?, "due"?} */
static int hrtasks_give(struct ctx *ctx)
{
	const char *title = jsonx_get_str(ctx->args, "title");
	const char *description = jsonx_get_str(ctx->args, "description");
	const char *due_at = NULL, *remind_at = NULL, *giver, *text;
	int64_t employee = ctx->object_id, id;
	int due = DATE_NONE, today = org_today(ctx);
	PGresult *res;

	if (today == DATE_NONE || worktime_arg_date(ctx, "due", 0, &due) < 0)
		return -1;
	if (title == NULL)
		return -1; /* required: the declaration named it */
	if (!hrtasks_has_text(title))
		return ctx_field_code(ctx, "title", "required", "Обязательное поле");
	/* oneself: refused at employee_id by the row's declaration (access.h) */
	res =
	    ctx_sql(ctx,
	            "SELECT e.dismissed IS NOT NULL AND e.dismissed < $3::date, (SELECT "
	            "coalesce(g.full_name, u.full_name) FROM users u LEFT JOIN employees g ON "
	            "g.tenant_id = u.tenant_id AND g.id = u.employee_id WHERE u.tenant_id = $1 AND "
	            "u.id = $4) FROM employees e WHERE e.tenant_id = $1 AND e.id = $2",
	            hrtasks_tenant(ctx), ctx_i64(ctx, employee), worktime_date_iso(ctx, today),
	            ctx_i64(ctx, ctx->user_id));
	if (res == NULL)
		return -1;
	if (strcmp(PQgetvalue(res, 0, 0), "t") == 0)
		return ctx_field(ctx, "employee_id", "Сотрудник уволен: задание ему не поставить");
	/* «от Белова Игоря Семёновича»: the genitive after «от» (F14) */
	giver = ru_genitive_name(PQgetvalue(res, 0, 1), 0, arena_alloc(ctx->arena, 512), 512);
	if (due != DATE_NONE) {
		if (due < today)
			return ctx_field_code(ctx, "due", "past",
			                      "Срок — не раньше сегодняшнего дня, %s",
			                      worktime_date_ru(ctx, today));
		if (routing_due(ctx, due, &due_at, &remind_at) < 0)
			return -1;
	}
	res =
	    ctx_sql(ctx,
	            "INSERT INTO request_tasks (tenant_id, step, route, assignee_id, created_at, "
	            "due_at, remind_at, title, description, given_by, given_by_employee) VALUES "
	            "($1, 'hr_task', $2, $3, " ROUTING_NOW_SQL ", $4, $5, $6, nullif($7, ''), $8, "
	            "nullif($9, '0')::bigint) RETURNING id",
	            hrtasks_tenant(ctx),
	            arena_printf(ctx->arena, "hr_task:%s", access_bit_name(ctx->who_matched)),
	            ctx_i64(ctx, employee), due_at, remind_at, title, description,
	            ctx_i64(ctx, ctx->user_id), ctx_i64(ctx, ctx->employee_id));
	if (res == NULL)
		return -1;
	id = atoll(PQgetvalue(res, 0, 0));
	text = due == DATE_NONE
	           ? arena_printf(ctx->arena, "Новое задание от %s: «%s»", giver, title)
	           : arena_printf(ctx->arena, "Новое задание от %s: «%s», срок — %s", giver, title,
	                          worktime_date_ru(ctx, due));
	if (notify(ctx, employee, "task_new", 0, id, text,
	           notify_sms(ctx->arena, "task_new", 0,
	                      due == DATE_NONE ? NULL : worktime_date_ru(ctx, due))) < 0 ||
	    audit_log(ctx, "hr_tasks.given", 1, "hr_task", ctx_i64(ctx, id),
	              audit_detail("employee_id", ctx_i64(ctx, employee))) < 0)
		return -1;
	ctx->status = 201;
	return hrtasks_answer(ctx, id);
}

/* GET /api/hr-tasks?state=&employee_id=&limit=&offset= */
static int hrtasks_list(struct ctx *ctx)
{
	const char *state = jsonx_get_str(ctx->args, "state"), *states;
	json_object *items = json_object_new_array();
	int64_t limit, offset, employee;
	int all = (ctx->roles & ROLE_ADMIN) != 0;
	PGresult *res, *total;

	json_object_object_add(ctx_result(ctx), "items", items);
	if (ctx_arg_int(ctx, "limit", 1, HRTASKS_PAGE_MAX, 100, &limit) < 0 ||
	    ctx_arg_int(ctx, "offset", 0, INT32_MAX, 0, &offset) < 0 ||
	    ctx_arg_int(ctx, "employee_id", 1, INT64_MAX, 0, &employee) < 0)
		return -1;
	states = state == NULL || strcmp(state, "all") == 0
	             ? "{open,done,cancelled}"
	             : arena_printf(ctx->arena, "{%s}", state);
	/* an administrator sees every HR task of the tenant, the others those
	 * they gave */
	res = ctx_sql(
	    ctx,
	    "SELECT " HRTASKS_COLUMNS "WHERE t.tenant_id = $1 AND t.step = 'hr_task' AND "
	    "($3 OR t.given_by = $4) AND t.state = ANY ($5::text[]) AND (nullif($6, "
	    "'0')::bigint IS NULL OR t.assignee_id = $6::bigint) ORDER BY t.id DESC LIMIT "
	    "$7 OFFSET $8",
	    hrtasks_tenant(ctx), org_time_zone(ctx), all ? "t" : "f", ctx_i64(ctx, ctx->user_id),
	    states, ctx_i64(ctx, employee), ctx_i64(ctx, limit), ctx_i64(ctx, offset));
	total =
	    res ? ctx_sql(ctx,
	                  "SELECT count(*) FROM request_tasks t WHERE t.tenant_id = $1 AND "
	                  "t.step = 'hr_task' AND ($2 OR t.given_by = $3) AND t.state = ANY "
	                  "($4::text[]) AND (nullif($5, '0')::bigint IS NULL OR t.assignee_id = "
	                  "$5::bigint)",
	                  hrtasks_tenant(ctx), all ? "t" : "f", ctx_i64(ctx, ctx->user_id), states,
	                  ctx_i64(ctx, employee))
	        : NULL;
	if (total == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		json_object_array_add(items, hrtasks_json(res, i));
	jsonx_set_int(ctx_result(ctx), "total", atoll(PQgetvalue(total, 0, 0)));
	return 0;
}

/* GET /api/hr-tasks/{id} */
static int hrtasks_get(struct ctx *ctx)
{
	return hrtasks_answer(ctx, ctx->object_id);
}

/* POST /api/hr-tasks/{id}/files (multipart "file") */
static int hrtasks_file_add(struct ctx *ctx)
{
	json_object *f;
	int64_t id;
	PGresult *res;

	if (hrtasks_load(ctx, ctx->object_id, 1, &res) < 0)
		return -1;
	if (strcmp(PQgetvalue(res, 0, HC_STATE), "open") != 0)
		return ctx_fail(
		    ctx, PROTO_ERR_conflict, "Задание «%s» %s: файлы к нему не прикладываются",
		    PQgetvalue(res, 0, HC_TITLE),
		    strcmp(PQgetvalue(res, 0, HC_STATE), "done") == 0 ? "выполнено" : "отменено");
	if (atoi(PQgetvalue(res, 0, HC_FILES)) >= REQUESTS_FILES_MAX)
		return ctx_field_code(ctx, "file", "too_many", "К заданию — не больше %d %s",
		                      REQUESTS_FILES_MAX,
		                      ru_plural(REQUESTS_FILES_MAX, "файла", "файлов", "файлов"));
	if (requests_file_store(ctx, 0, ctx->object_id, &id, &f) < 0)
		return -1;
	jsonx_set_str(f, "url",
	              arena_printf(ctx->arena, "/api/hr-tasks/%lld/files/%lld",
	                           (long long)ctx->object_id, (long long)id));
	json_object_object_add(ctx_result(ctx), "file", json_object_get(f));
	if (audit_log(ctx, "hr_tasks.file_added", 1, "hr_task", ctx_i64(ctx, ctx->object_id),
	              audit_detail("file_id", ctx_i64(ctx, id))) < 0)
		return -1;
	ctx->status = 201;
	return 0;
}

/* GET /api/hr-tasks/{task_id}/files/{id} */
static int hrtasks_file_get(struct ctx *ctx)
{
	int64_t file;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &file) < 0)
		return -1;
	res =
	    ctx_sql(ctx,
	            "SELECT name, content_type, content, path FROM request_files WHERE tenant_id = "
	            "$1 AND id = $2 AND task_id = $3 AND request_id IS NULL",
	            hrtasks_tenant(ctx), ctx_i64(ctx, file), ctx_i64(ctx, ctx->object_id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Файл не найден");
	return requests_file_send(ctx, res, 0);
}

/* Closes the open task as state with comment; tells whom. */
static int hrtasks_close(struct ctx *ctx, int64_t task, const char *state, const char *comment)
{
	return ctx_sql(ctx,
	               "UPDATE request_tasks SET state = $3, closed_at = " ROUTING_NOW_SQL
	               ", closed_by = $4, comment = $5 WHERE tenant_id = $1 AND id = $2",
	               hrtasks_tenant(ctx), ctx_i64(ctx, task), state, ctx_i64(ctx, ctx->user_id),
	               comment && *comment ? comment : NULL)
	           ? 0
	           : -1;
}

/* The open task locked, or 409 naming what cannot be done. */
static int hrtasks_open_one(struct ctx *ctx, int64_t task, const char *verb, PGresult **res)
{
	const char *state;

	if (hrtasks_load(ctx, task, 1, res) < 0)
		return -1;
	state = PQgetvalue(*res, 0, HC_STATE);
	if (strcmp(state, "open") != 0)
		return ctx_fail(ctx, PROTO_ERR_conflict, "Задание «%s» уже %s: %s нельзя",
		                PQgetvalue(*res, 0, HC_TITLE),
		                strcmp(state, "done") == 0 ? "выполнено" : "отменено", verb);
	return 0;
}

int hrtasks_complete(struct ctx *ctx, int64_t task, const char *comment)
{
	PGresult *res;

	if (hrtasks_open_one(ctx, task, "выполнить", &res) < 0 ||
	    hrtasks_close(ctx, task, "done", comment) < 0)
		return -1;
	if (!PQgetisnull(res, 0, HC_GIVER)) {
		/* the verb agrees with the employee, or a noun phrase (ru_past) */
		const char *name = PQgetvalue(res, 0, HC_ASSIGNEE_NAME);
		const char *verb = ru_past(name, "выполнил", "выполнила");
		const char *text = verb ? arena_printf(ctx->arena, "%s %s задание «%s»", name, verb,
		                                       PQgetvalue(res, 0, HC_TITLE))
		                        : arena_printf(ctx->arena, "Задание «%s» выполнено: %s",
		                                       PQgetvalue(res, 0, HC_TITLE), name);
		if (comment && *comment)
			text = arena_printf(ctx->arena, "%s. Ответ: %s", text, comment);
		if (notify(ctx, atoll(PQgetvalue(res, 0, HC_GIVER)), "hr_task_done", 0, task, text,
		           NULL) < 0)
			return -1;
	}
	if (audit_log(ctx, "hr_tasks.completed", 1, "hr_task", ctx_i64(ctx, task), NULL) < 0)
		return -1;
	jsonx_set_int(ctx_result(ctx), "task_id", task);
	return hrtasks_answer(ctx, task);
}

/* POST /api/hr-tasks/{id}/cancel {"comment"?} */
static int hrtasks_cancel(struct ctx *ctx)
{
	const char *comment = jsonx_get_str(ctx->args, "comment");
	PGresult *res;

	if (hrtasks_open_one(ctx, ctx->object_id, "отменить", &res) < 0)
		return -1;
	if (hrtasks_close(ctx, ctx->object_id, "cancelled", comment) < 0 ||
	    notify(
	        ctx, atoll(PQgetvalue(res, 0, HC_ASSIGNEE)), "hr_task_cancelled", 0, ctx->object_id,
	        arena_printf(ctx->arena, "Задание «%s» отменено%s%s", PQgetvalue(res, 0, HC_TITLE),
	                     comment && *comment ? ": " : "", comment && *comment ? comment : ""),
	        NULL) < 0 ||
	    audit_log(ctx, "hr_tasks.cancelled", 1, "hr_task", ctx_i64(ctx, ctx->object_id), NULL) <
	        0)
		return -1;
	return hrtasks_answer(ctx, ctx->object_id);
}

/* ---- declarations ---- */

static const char *const hrtasks_states[] = {"open", "done", "cancelled", "all", NULL};

static const struct op_arg hrtasks_give_args[] = {
    ARG_ROW_ID("employee_id", ARG_REQUIRED),
    {"title", ARG_STR, ARG_REQUIRED, .max = HRTASKS_TITLE_MAX,
     .example = "\"Пройти инструктаж по охране труда\""},
    {"description", ARG_STR, ARG_MULTILINE, .max = HRTASKS_DESCRIPTION_MAX},
    ARG_ROW_DATE("due", 0),
    ARG_END,
};
static const struct op_arg hrtasks_list_args[] = {
    {"state", ARG_ENUM, 0, .values = hrtasks_states,
     .hint = "Состояние: open, done, cancelled или all"},
    ARG_ROW_ID("employee_id", 0),
    {"limit", ARG_INT, 0, .min = 1, .max = HRTASKS_PAGE_MAX},
    {"offset", ARG_INT, 0, .min = 0, .max = INT32_MAX},
    ARG_END,
};
static const struct op_arg hrtasks_id_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
static const struct op_arg hrtasks_file_add_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_ROW_FILE_NAME,
    ARG_END,
};
static const struct op_arg hrtasks_file_get_args[] = {
    ARG_ROW_ID("task_id", ARG_REQUIRED),
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_END,
};
static const struct op_arg hrtasks_cancel_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    {"comment", ARG_STR, ARG_MULTILINE, .max = HRTASKS_COMMENT_MAX},
    ARG_END,
};

/* HR (a performer, an administrator) and managers give; a task is its
 * employee's and its giver's, and the administrator's as every object of
 * the tenant (access.h); its files download for the first two only */
#define HRTASKS_GIVERS  (WHO_MANAGER | WHO_PERFORMER | WHO_ADMIN)
#define HRTASKS_VIEWERS (WHO_ASSIGNEE | WHO_GIVER | WHO_ADMIN)

const struct op hrtasks_ops[] = {
    {"hrtasks.give", OP_EMPLOYEE, hrtasks_give, OP_WRITE | OP_IDEMPOTENT, hrtasks_give_args,
     WHO_ON_NOT_SELF(HRTASKS_GIVERS, OBJ_EMPLOYEE, "employee_id",
                     "Задание нельзя поставить самому себе")},
    {"hrtasks.list", OP_EMPLOYEE, hrtasks_list, 0, hrtasks_list_args, WHO(HRTASKS_GIVERS)},
    {"hrtasks.get", OP_EMPLOYEE, hrtasks_get, 0, hrtasks_id_args,
     WHO_ON(HRTASKS_VIEWERS, OBJ_HR_TASK, "id")},
    {"hrtasks.file_add", OP_EMPLOYEE, hrtasks_file_add, OP_WRITE, hrtasks_file_add_args,
     WHO_ON(HRTASKS_VIEWERS, OBJ_HR_TASK, "id")},
    {"hrtasks.file_get", OP_EMPLOYEE, hrtasks_file_get, 0, hrtasks_file_get_args,
     WHO_ON(WHO_ASSIGNEE | WHO_GIVER, OBJ_HR_TASK, "task_id")},
    {"hrtasks.cancel", OP_EMPLOYEE, hrtasks_cancel, OP_WRITE, hrtasks_cancel_args,
     WHO_ON(WHO_GIVER | WHO_ADMIN, OBJ_HR_TASK, "id")},
    {NULL, 0, NULL, 0, NULL},
};
