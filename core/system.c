/*
 * system.c - operations about the service itself: health and version, and
 * the debug.* operations the test suite uses (only with debug_ops = on).
 */
#include "audit.h"
#include "jsonx.h"
#include "ops.h"
#include "paycache.h"
#include "sesscache.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static time_t system_started;

void system_mark_started(void);
void system_mark_started(void)
{
	system_started = time(NULL);
}

static int64_t system_schema_version(struct db *db)
{
	PGresult *res;
	int64_t version = -1;

	if (db_ensure(db) < 0)
		return -1;
	/* prepared once per connection by db.c's statement cache (PostgreSQL
	 * spent more time planning max() than running it, at every health
	 * check), without asking for a statement that does not exist yet */
	if ((res = db_exec(db, "SELECT coalesce(max(version), 0) FROM schema_migrations", 0,
	                   NULL)) == NULL)
		return -1;
	if (PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1)
		version = atoll(PQgetvalue(res, 0, 0));
	PQclear(res);
	return version;
}

/* Works without a transaction so it can report a database that is down. */
static int system_health(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx);
	int64_t version = system_schema_version(ctx->db);

	if (version < 0 && db_is_broken(ctx->db)) {
		/* a connection left stale by a server restart: one fresh try */
		db_check_broken(ctx->db);
		version = system_schema_version(ctx->db);
	}
	jsonx_set_str(r, "core", "ok");
	if (version >= 0) {
		jsonx_set_str(r, "status", "ok");
		jsonx_set_str(r, "db", "ok");
		jsonx_set_int(r, "schema_version", version);
	} else {
		jsonx_set_str(r, "status", "degraded");
		jsonx_set_str(r, "db", "down");
		json_object_object_add(r, "schema_version", NULL);
		ctx->status = 503;
	}
	jsonx_set_int(r, "uptime_s", (int64_t)(time(NULL) - system_started));
	jsonx_set_str(r, "version", CABINET_VERSION);
	return 0;
}

static int system_version(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx);

	jsonx_set_str(r, "version", CABINET_VERSION);
	jsonx_set_int(r, "protocol", PROTO_VERSION);
	return 0;
}

/* Holds a worker for args.ms milliseconds: lets the tests have requests in
 * flight when they kill or stop the core. */
static int debug_sleep(struct ctx *ctx)
{
	int64_t ms = 0;

	if (ctx_arg_int(ctx, "ms", 0, 60000, 0, &ms) < 0)
		return -1;
	usleep((useconds_t)(ms * 1000));
	jsonx_set_int(ctx_result(ctx), "slept_ms", ms);
	return 0;
}

/* The operations with their access, flags and declared arguments (args.h):
 * what `cabinetctl call system.ops` shows an operator, and what the tests
 * build their requests from. */
static int system_ops_list(struct ctx *ctx)
{
	json_object_object_add(ctx_result(ctx), "ops", dispatch_describe(ctx->cfg));
	return 0;
}

/* Writes an audit row, then reports a field error and returns 0 as a
 * careless handler would: the dispatcher must answer 422 and keep nothing
 * (tests/integration/test_dispatch.py). */
static int debug_write_field_error(struct ctx *ctx)
{
	if (audit_log(ctx, "debug.written", 1, NULL, NULL, NULL) < 0)
		return -1;
	ctx_field(ctx, "note", "Поле с ошибкой после записи");
	ctx->status = 201;
	return 0;
}

/* Writes an audit row although its row does not declare OP_WRITE, as a
 * reading operation that writes by mistake would: the dispatcher runs it
 * read-only, so it fails and nothing is kept (test_dispatch.py). */
static int debug_write_unflagged(struct ctx *ctx)
{
	if (audit_log(ctx, "debug.written_unflagged", 1, NULL, NULL, NULL) < 0)
		return -1;
	jsonx_set_bool(ctx_result(ctx), "written", 1);
	return 0;
}

/* debug.session_cache_flush: the tests write sessions, users and payroll
 * straight into the database, behind the caches' back (sesscache.h,
 * paycache.h): both are dropped. */
static int debug_session_cache_flush(struct ctx *ctx)
{
	sesscache_flush();
	paycache_flush();
	jsonx_set_bool(ctx_result(ctx), "flushed", 1);
	return 0;
}

/* Writes an audit row, then keeps the database busy for ms: past the
 * operation's budget (dispatch.h) the statement is cancelled, the answer is
 * 503 and the row is not kept (tests/integration/test_failures.py). */
static int debug_pg_sleep(struct ctx *ctx)
{
	int64_t ms;

	if (ctx_arg_int(ctx, "ms", 0, 60000, CTX_REQUIRED, &ms) < 0)
		return -1;
	if (audit_log(ctx, "debug.written", 1, NULL, NULL, NULL) < 0)
		return -1;
	if (ctx_sql(ctx, "SELECT pg_sleep($1::int / 1000.0)", ctx_i64(ctx, ms)) == NULL)
		return -1;
	jsonx_set_bool(ctx_result(ctx), "slept", 1);
	return 0;
}

static const struct op_arg debug_sleep_args[] = {
    {"ms", ARG_INT, 0, .min = 0, .max = 60000},
    ARG_END,
};

const struct op system_ops[] = {
    {"system.health", OP_ANYONE, system_health, OP_NO_TX, args_none},
    {"system.version", OP_ANYONE, system_version, OP_NO_TX, args_none},
    {"system.ops", OP_OPERATOR, system_ops_list, OP_NO_TX, args_none},
    {"debug.sleep", OP_ANYONE, debug_sleep, OP_NO_TX | OP_DEBUG, debug_sleep_args},
    {"debug.session_cache_flush", OP_ANYONE, debug_session_cache_flush, OP_NO_TX | OP_DEBUG,
     args_none},
    {"debug.write_field_error", OP_ADMIN, debug_write_field_error, OP_WRITE | OP_DEBUG, args_none},
    {"debug.pg_sleep", OP_ADMIN, debug_pg_sleep, OP_WRITE | OP_DEBUG, debug_sleep_args},
    {"debug.write_unflagged", OP_ADMIN, debug_write_unflagged, OP_DEBUG, args_none},
    {NULL, 0, NULL, 0, NULL},
};
