/*
 * notify.c - the queue of notifications (notify.h).
 */
#include "notify.h"

#include <string.h>

#define NOTIFY_TEXT_MAX 1000

int notify(struct ctx *ctx, int64_t employee_id, const char *kind, int64_t request_id,
           int64_t task_id, const char *text)
{
	size_t chars = 0, i;

	if (employee_id == 0)
		return 0;
	/* cut at a character, not inside one */
	for (i = 0; text[i]; i++) {
		if (((unsigned char)text[i] & 0xc0) != 0x80 && chars++ == NOTIFY_TEXT_MAX)
			break;
	}
	if (text[i])
		text = arena_strndup(ctx->arena, text, i);
	return ctx_sql(
	           ctx,
	           "INSERT INTO notifications (tenant_id, employee_id, kind, request_id, task_id, "
	           "text) VALUES ($1, $2, $3, nullif($4, '0')::bigint, nullif($5, '0')::bigint, "
	           "$6)",
	           ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee_id), kind,
	           ctx_i64(ctx, request_id), ctx_i64(ctx, task_id), text)
	           ? 0
	           : -1;
}
