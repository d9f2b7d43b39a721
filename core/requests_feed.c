/*
 * requests_feed.c - the exchange feed of requests: the accounting system
 * pulls new and changed requests with an API key (requests.h).
 *
 *   GET /api/exchange/v1/requests?cursor=&limit=
 *       -> {"items": [request], "cursor": "..."}
 *
 * Every change of a request is a row of its history (request_events) with
 * the writing transaction's id (xid8). A pull reads the rows after the
 * cursor, in (xid, id) order, of transactions older than every
 * transaction still running (pg_snapshot_xmin of the statement's
 * snapshot): a transaction that commits later has a larger xid than any
 * row handed out, so no change is ever skipped, whatever order the
 * transactions commit in; a change still being written waits for the next
 * pull. The cursor is the last (xid, id) read, opaque to the client: send
 * back what the last answer gave (none the first time). Each request
 * appears once per page, as it is now; drafts are the employee's own and
 * never appear (a submitted one does).
 */
#include "jsonx.h"
#include "ops.h"
#include "requests.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FEED_PAGE_DEFAULT  500
#define FEED_PAGE_MAX      5000
#define FEED_CURSOR_PREFIX "rq1."

/* "rq1.<xid>.<event id>" -> the two numbers; 0, or -1 when it is not one
 * this service gave. */
static int feed_cursor_parse(const char *s, uint64_t *xid, int64_t *id)
{
	char *end;
	unsigned long long x;
	long long n;

	if (strncmp(s, FEED_CURSOR_PREFIX, strlen(FEED_CURSOR_PREFIX)) != 0)
		return -1;
	s += strlen(FEED_CURSOR_PREFIX);
	if (*s < '0' || *s > '9')
		return -1;
	x = strtoull(s, &end, 10);
	if (*end != '.' || end[1] < '0' || end[1] > '9')
		return -1;
	n = strtoll(end + 1, &end, 10);
	if (*end || n < 0)
		return -1;
	*xid = x;
	*id = n;
	return 0;
}

static int requests_feed(struct ctx *ctx)
{
	const char *cursor = jsonx_get_str(ctx->args, "cursor");
	json_object *items = json_object_new_array();
	const char *tenant = ctx_i64(ctx, ctx->tenant_id), *list;
	uint64_t xid = 0;
	int64_t after = 0, limit;
	PGresult *ev, *res;
	char next[64];
	int n;

	json_object_object_add(ctx_result(ctx), "items", items);
	if (ctx_arg_int(ctx, "limit", 1, FEED_PAGE_MAX, FEED_PAGE_DEFAULT, &limit) < 0)
		return -1;
	if (cursor && *cursor && feed_cursor_parse(cursor, &xid, &after) < 0)
		return ctx_field(
		    ctx, "cursor",
		    "Курсор не распознан: передайте cursor из предыдущего ответа или не "
		    "передавайте его, чтобы начать сначала");
	ev =
	    ctx_sql(ctx,
	            "SELECT xid::text, id, request_id FROM request_events WHERE tenant_id = $1 AND "
	            "(xid, id) > ($2::xid8, $3::bigint) AND xid < "
	            "pg_snapshot_xmin(pg_current_snapshot()) ORDER BY xid, id LIMIT $4",
	            tenant, arena_printf(ctx->arena, "%" PRIu64, xid), ctx_i64(ctx, after),
	            ctx_i64(ctx, limit));
	if (ev == NULL)
		return -1;
	n = PQntuples(ev);
	if (n)
		snprintf(next, sizeof(next), FEED_CURSOR_PREFIX "%s.%s", PQgetvalue(ev, n - 1, 0),
		         PQgetvalue(ev, n - 1, 1));
	else
		snprintf(next, sizeof(next), FEED_CURSOR_PREFIX "%" PRIu64 ".%" PRId64, xid, after);
	jsonx_set_str(ctx_result(ctx), "cursor", next);
	jsonx_set_bool(ctx_result(ctx), "more", n == limit);
	if (n == 0)
		return 0;
	/* the requests of the page, in the order of their last change */
	list = "{";
	for (int i = 0; i < n; i++)
		list = arena_printf(ctx->arena, "%s%s%s", list, i ? "," : "", PQgetvalue(ev, i, 2));
	list = arena_printf(ctx->arena, "%s}", list);
	res = ctx_sql(
	    ctx,
	    "WITH ids AS (SELECT id, max(n) AS n FROM unnest($2::bigint[]) WITH ORDINALITY AS "
	    "u(id, n) GROUP BY id) SELECT r.id, r.type, r.state, r.employee_id, e.external_id, "
	    "e.personnel_number, e.full_name, r.data, r.date_from, r.date_to, r.reason, r.result, "
	    "to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "to_char(r.updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "(SELECT coalesce(json_agg(json_build_object('id', f.id, 'name', f.name, "
	    "'content_type', f.content_type, 'size', f.size) ORDER BY f.id), '[]') FROM "
	    "request_files f WHERE f.tenant_id = r.tenant_id AND f.request_id = r.id), r.number "
	    "FROM ids "
	    "JOIN requests r ON r.tenant_id = $1 AND r.id = ids.id JOIN employees e ON e.tenant_id "
	    "= r.tenant_id AND e.id = r.employee_id WHERE r.state <> 'draft' ORDER BY ids.n",
	    tenant, list);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object(), *e = json_object_new_object();
		const char *why;
		jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
		/* the number people see (sql/0054) */
		jsonx_set_int(o, "number", atoll(PQgetvalue(res, i, 15)));
		jsonx_set_str(o, "type", PQgetvalue(res, i, 1));
		jsonx_set_str(o, "state", PQgetvalue(res, i, 2));
		jsonx_set_int(e, "id", atoll(PQgetvalue(res, i, 3)));
		jsonx_set_str(e, "external_id", PQgetvalue(res, i, 4));
		jsonx_set_str(e, "personnel_number",
		              PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5));
		jsonx_set_str(e, "full_name", PQgetvalue(res, i, 6));
		json_object_object_add(o, "employee", e);
		json_object_object_add(o, "data",
		                       jsonx_parse_object(PQgetvalue(res, i, 7),
		                                          (size_t)PQgetlength(res, i, 7), &why));
		jsonx_set_str(o, "date_from",
		              PQgetisnull(res, i, 8) ? NULL : PQgetvalue(res, i, 8));
		jsonx_set_str(o, "date_to", PQgetisnull(res, i, 9) ? NULL : PQgetvalue(res, i, 9));
		jsonx_set_str(o, "reason", PQgetisnull(res, i, 10) ? NULL : PQgetvalue(res, i, 10));
		json_object_object_add(o, "result",
		                       PQgetisnull(res, i, 11)
		                           ? NULL
		                           : jsonx_parse_object(PQgetvalue(res, i, 11),
		                                                (size_t)PQgetlength(res, i, 11),
		                                                &why));
		jsonx_set_str(o, "created_at", PQgetvalue(res, i, 12));
		jsonx_set_str(o, "updated_at", PQgetvalue(res, i, 13));
		json_object_object_add(o, "files", json_tokener_parse(PQgetvalue(res, i, 14)));
		json_object_array_add(items, o);
	}
	return 0;
}

static const struct op_arg requests_feed_args[] = {
    {"cursor", ARG_STR, 0, .max = 100},
    {"limit", ARG_INT, 0, .min = 1, .max = FEED_PAGE_MAX},
    ARG_END,
};

const struct op requests_feed_ops[] = {
    {"requests.feed", OP_EXCHANGE, requests_feed, 0, requests_feed_args, .scope = "requests"},
    {NULL, 0, NULL, 0, NULL},
};
