/*
 * notify.c - the queue of notifications (notify.h): the notifications of
 * one operation are written in one statement before its commit.
 */
#include "notify.h"

#include "jsonx.h"
#include "tasks.h"

#include <string.h>

const char *const notify_kinds[] = {"task_new",          "task_reminder",     "task_escalated",
                                    "request_state",     "task_overdue",      "hr_task_done",
                                    "hr_task_cancelled", "request_forwarded", NULL};

#define NOTIFY_SMS_PREFIX "Кабинет сотрудника: "

size_t notify_chars(const char *text)
{
	size_t n = 0;

	for (; text && *text; text++)
		if (((unsigned char)*text & 0xc0) != 0x80)
			n++;
	return n;
}

/* The kind's short text, without the prefix. */
static const char *notify_sms_body(struct arena *a, const char *kind, long long number,
                                   const char *detail)
{
	const char *d = detail ? detail : "";

	if (strcmp(kind, "task_new") == 0)
		return number ? arena_printf(a, "новая задача по заявке № %lld%s%s", number,
		                             detail ? ": " : "", d)
		              : arena_printf(a, "новое задание%s%s", detail ? ", срок " : "", d);
	if (strcmp(kind, "task_reminder") == 0)
		return number ? arena_printf(a, "задача по заявке № %lld до %s", number, d)
		              : arena_printf(a, "задание нужно выполнить до %s", d);
	if (strcmp(kind, "task_escalated") == 0)
		return arena_printf(a, "срок задачи по заявке № %lld истёк", number);
	if (strcmp(kind, "request_state") == 0)
		return arena_printf(a, "заявка № %lld %s", number, d);
	if (strcmp(kind, "request_forwarded") == 0)
		return arena_printf(a, "заявка № %lld передана другому исполнителю", number);
	if (strcmp(kind, "task_overdue") == 0)
		return "срок задания истёк, оно не выполнено";
	if (strcmp(kind, "hr_task_done") == 0)
		return "задание выполнено, ответ в кабинете";
	if (strcmp(kind, "hr_task_cancelled") == 0)
		return "задание отменено";
	return "новое уведомление";
}

const char *notify_sms(struct arena *a, const char *kind, int64_t number, const char *detail)
{
	const char *body = notify_sms_body(a, kind, (long long)number, detail);
	const char *sms = arena_printf(a, NOTIFY_SMS_PREFIX "%s", body);
	size_t chars = 0, i;

	if (notify_chars(sms) <= NOTIFY_SMS_MAX)
		return sms;
	if (notify_chars(body) <= NOTIFY_SMS_MAX)
		return body;
	for (i = 0; body[i]; i++)
		if (((unsigned char)body[i] & 0xc0) != 0x80 && chars++ == NOTIFY_SMS_MAX - 1)
			break;
	return arena_printf(a, "%.*s…", (int)i, body);
}

#define NOTIFY_TEXT_MAX 1000

struct notify_queue {
	json_object *rows; /* arena-owned array */
};

static int notify_flush(struct ctx *ctx, void *mem)
{
	struct notify_queue *q = mem;

	if (q->rows == NULL || json_object_array_length(q->rows) == 0)
		return 0;
	/* nothing reads its answer: sent with the COMMIT (or the next
	 * statement), in its round trip */
	return ctx_sql_queue(ctx, NOTIFY_ROWS_SQL("$1", "$2"), ctx_i64(ctx, ctx->tenant_id),
	                     jsonx_dump(q->rows, NULL));
}

json_object *notify_row(struct ctx *ctx, int64_t employee_id, const char *kind, int64_t request_id,
                        int64_t task_id, const char *text, const char *sms)
{
	json_object *row;
	size_t chars = 0, i;

	if (employee_id == 0)
		return NULL;
	/* cut at a character, not inside one */
	for (i = 0; text[i]; i++) {
		if (((unsigned char)text[i] & 0xc0) != 0x80 && chars++ == NOTIFY_TEXT_MAX)
			break;
	}
	row = json_object_new_object();
	jsonx_set_int(row, "employee_id", employee_id);
	jsonx_set_str(row, "kind", kind);
	if (request_id)
		jsonx_set_int(row, "request_id", request_id);
	if (task_id)
		jsonx_set_int(row, "task_id", task_id);
	json_object_object_add(row, "text", json_object_new_string_len(text, (int)i));
	jsonx_set_str(row, "sms", sms ? sms : notify_sms(ctx->arena, kind, 0, NULL));
	/* delivered (email, SMS, the pages' event) once this commits */
	tasks_kick("notify.deliver");
	return row;
}

int notify(struct ctx *ctx, int64_t employee_id, const char *kind, int64_t request_id,
           int64_t task_id, const char *text, const char *sms)
{
	json_object *row = notify_row(ctx, employee_id, kind, request_id, task_id, text, sms);
	struct notify_queue *q;

	if (row == NULL)
		return 0;
	q = ctx_before_commit(ctx, notify_flush, sizeof(*q));
	if (q->rows == NULL)
		q->rows = arena_own(ctx->arena, json_object_new_array());
	json_object_array_add(q->rows, row);
	return 0;
}
