/*
 * notify.c - the queue of notifications (notify.h): the notifications of
 * one operation are written in one statement before its commit.
 */
#include "notify.h"

#include "jsonx.h"
#include "tasks.h"

#include <string.h>

#define NOTIFY_TEXT_MAX 1000

struct notify_queue {
	json_object *rows; /* arena-owned array */
};

static int notify_flush(struct ctx *ctx, void *mem)
{
	struct notify_queue *q = mem;

	if (q->rows == NULL || json_object_array_length(q->rows) == 0)
		return 0;
	/* delivered (email, SMS, the pages' event) once this commits */
	tasks_kick("notify.deliver");
	return ctx_sql(ctx,
	               "INSERT INTO notifications (tenant_id, employee_id, kind, request_id, task_id, "
	               "text) SELECT $1, x.employee_id, x.kind, x.request_id, x.task_id, x.text FROM "
	               "jsonb_to_recordset($2::jsonb) AS x(employee_id bigint, kind text, request_id "
	               "bigint, task_id bigint, text text)",
	               ctx_i64(ctx, ctx->tenant_id), jsonx_dump(q->rows, NULL))
	           ? 0
	           : -1;
}

int notify(struct ctx *ctx, int64_t employee_id, const char *kind, int64_t request_id,
           int64_t task_id, const char *text)
{
	struct notify_queue *q;
	json_object *row;
	size_t chars = 0, i;

	if (employee_id == 0)
		return 0;
	/* cut at a character, not inside one */
	for (i = 0; text[i]; i++) {
		if (((unsigned char)text[i] & 0xc0) != 0x80 && chars++ == NOTIFY_TEXT_MAX)
			break;
	}
	q = ctx_before_commit(ctx, notify_flush, sizeof(*q));
	if (q->rows == NULL)
		q->rows = arena_own(ctx->arena, json_object_new_array());
	row = json_object_new_object();
	jsonx_set_int(row, "employee_id", employee_id);
	jsonx_set_str(row, "kind", kind);
	if (request_id)
		jsonx_set_int(row, "request_id", request_id);
	if (task_id)
		jsonx_set_int(row, "task_id", task_id);
	json_object_object_add(row, "text", json_object_new_string_len(text, (int)i));
	json_object_array_add(q->rows, row);
	return 0;
}
