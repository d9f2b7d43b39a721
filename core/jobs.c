/*
 * jobs.c - the organization's scheduled jobs, run by hand too, each run
 * logged. See jobs.h.
 */
#include "jobs.h"

#include "audit.h"
#include "cabinets.h"
#include "jsonx.h"
#include "log.h"
#include "ops.h"
#include "publication.h"
#include "settings.h"
#include "tasks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The columns of a run as the API shows it, over job_runs r. */
#define JOBS_RUN_COLUMNS                                                                           \
	"r.id, r.trigger, r.started_at, to_char(r.started_at AT TIME ZONE app_timezone(), "        \
	"'DD.MM.YYYY HH24:MI:SS'), r.status, r.disabled, r.restored, r.created, r.create_failed, " \
	"r.invited, r.retried, r.error, (SELECT u.full_name FROM users u WHERE u.tenant_id = "     \
	"r.tenant_id AND u.id = r.user_id), ceil(extract(epoch FROM r.finished_at - "              \
	"r.started_at) * 1000)"

static json_object *jobs_run_json(PGresult *res, int i)
{
	static const char *const counts[] = {"disabled",      "restored", "created",
	                                     "create_failed", "invited",  "retried"};
	json_object *o = json_object_new_object();
	const char *trigger = PQgetvalue(res, i, 1), *status = PQgetvalue(res, i, 4);

	jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
	jsonx_set_str(o, "trigger", trigger);
	jsonx_set_str(o, "trigger_title",
	              strcmp(trigger, "manual") == 0        ? "вручную"
	              : strcmp(trigger, "publication") == 0 ? "после публикации"
	                                                    : "по расписанию");
	jsonx_set_str(o, "started_at", PQgetvalue(res, i, 2));
	jsonx_set_str(o, "started_ru", PQgetvalue(res, i, 3));
	jsonx_set_str(o, "status", status);
	jsonx_set_str(o, "status_title", strcmp(status, "ok") == 0 ? "выполнено" : "ошибка");
	jsonx_set_bool(o, "failed", strcmp(status, "ok") != 0);
	for (int k = 0; k < 6; k++)
		jsonx_set_int(o, counts[k], atoll(PQgetvalue(res, i, 5 + k)));
	jsonx_set_str(o, "error", PQgetisnull(res, i, 11) ? NULL : PQgetvalue(res, i, 11));
	jsonx_set_str(o, "who", PQgetisnull(res, i, 12) ? NULL : PQgetvalue(res, i, 12));
	jsonx_set_int(o, "duration_ms",
	              PQgetisnull(res, i, 13) ? 0 : atoll(PQgetvalue(res, i, 13)));
	return o;
}

/* The tenant's schedule row, locked: runs of one tenant never overlap. */
static int jobs_lock(struct ctx *ctx, int64_t *interval)
{
	PGresult *res;

	if (ctx_sql(ctx, "INSERT INTO tenant_jobs (tenant_id) VALUES ($1) ON CONFLICT DO NOTHING",
	            ctx_i64(ctx, ctx->tenant_id)) == NULL)
		return -1;
	res = ctx_sql(ctx, "SELECT interval_min FROM tenant_jobs WHERE tenant_id = $1 FOR UPDATE",
	              ctx_i64(ctx, ctx->tenant_id));
	if (res == NULL)
		return -1;
	*interval = atoll(PQgetvalue(res, 0, 0));
	return 0;
}

/* Logs a run, moves the next one, keeps the newest runs; the run into out. */
static int jobs_log(struct ctx *ctx, const char *trigger, const char *status, const int n[6],
                    const char *error, int64_t interval, json_object *out)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "WITH r AS (INSERT INTO job_runs (tenant_id, trigger, user_id, finished_at, status, "
	    "disabled, restored, created, create_failed, invited, retried, error) VALUES ($1, $2, "
	    "nullif($3, '0')::bigint, clock_timestamp(), $4, $5, $6, $7, $8, $9, $10, $11) "
	    "RETURNING *) SELECT " JOBS_RUN_COLUMNS " FROM r",
	    ctx_i64(ctx, ctx->tenant_id), trigger, ctx_i64(ctx, ctx->user_id), status,
	    ctx_i64(ctx, n[0]), ctx_i64(ctx, n[1]), ctx_i64(ctx, n[2]), ctx_i64(ctx, n[3]),
	    ctx_i64(ctx, n[4]), ctx_i64(ctx, n[5]), error);

	if (res == NULL ||
	    ctx_sql(ctx,
	            "UPDATE tenant_jobs SET next_run_at = now() + make_interval(mins => $2) WHERE "
	            "tenant_id = $1",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, interval)) == NULL ||
	    ctx_sql(ctx,
	            "DELETE FROM job_runs WHERE tenant_id = $1 AND id < (SELECT id FROM job_runs "
	            "WHERE tenant_id = $1 ORDER BY id DESC OFFSET $2 LIMIT 1)",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, JOBS_KEEP_RUNS - 1)) == NULL)
		return -1;
	if (out) {
		json_object *o = jobs_run_json(res, 0);
		json_object_object_foreach(o, key, val)
		    json_object_object_add(out, key, json_object_get(val));
		json_object_put(o);
	}
	return 0;
}

int jobs_run(struct ctx *ctx, const char *trigger, json_object *out)
{
	int n[6] = {0}; /* disabled, restored, created, create_failed, invited, retried */
	int64_t interval;
	PGresult *res;

	if (jobs_lock(ctx, &interval) < 0 || publication_enforce(ctx, &n[0], &n[1]) < 0 ||
	    cabinets_auto(ctx, &n[2], &n[3], &n[4]) < 0)
		return -1;
	/* the organization's messages waiting for their next attempt go now */
	res =
	    ctx_sql(ctx,
	            "WITH m AS (UPDATE outbox SET next_attempt_at = now() WHERE tenant_id = $1 AND "
	            "status = 'pending' AND attempts > 0 AND next_attempt_at > now() RETURNING 1) "
	            "SELECT count(*) FROM m",
	            ctx_i64(ctx, ctx->tenant_id));
	if (res == NULL)
		return -1;
	n[5] = atoi(PQgetvalue(res, 0, 0));
	if (n[5]) {
		tasks_kick("outbox.email");
		tasks_kick("outbox.sms");
	}
	log_info("jobs_run",
	         "tenant=%lld trigger=%s disabled=%d restored=%d created=%d failed=%d "
	         "invited=%d retried=%d",
	         (long long)ctx->tenant_id, trigger, n[0], n[1], n[2], n[3], n[4], n[5]);
	return jobs_log(ctx, trigger, "ok", n, NULL, interval, out);
}

/* ------------------------------------------------------------- the task */

struct jobs_due {
	int64_t tenant_id;
	char error[300];
};

static int jobs_run_due(struct ctx *ctx, void *arg)
{
	struct jobs_due *job = arg;
	PGresult *res;

	/* an organization's first run comes one default interval after it was
	 * ready (nothing is written for it before: a new organization is left
	 * alone while it is being set up) */
	res =
	    ctx_sql(ctx,
	            "INSERT INTO tenant_jobs (tenant_id, next_run_at) SELECT t.id, now() FROM "
	            "tenants t WHERE t.status = 'ready' AND coalesce(t.ready_at, t.created_at) <= "
	            "now() - make_interval(mins => $1) AND NOT EXISTS (SELECT 1 FROM tenant_jobs j "
	            "WHERE j.tenant_id = t.id) ON CONFLICT DO NOTHING",
	            ctx_i64(ctx, JOBS_DEFAULT_INTERVAL_MIN));
	if (res == NULL)
		return -1;
	res = ctx_sql0(ctx, "SELECT j.tenant_id FROM tenant_jobs j JOIN tenants t ON t.id = "
	                    "j.tenant_id AND t.status = 'ready' WHERE j.next_run_at <= now() ORDER "
	                    "BY j.next_run_at LIMIT 1 FOR UPDATE OF j SKIP LOCKED");
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	job->tenant_id = atoll(PQgetvalue(res, 0, 0));
	if (ctx_use_tenant(ctx, job->tenant_id) < 0 || settings_clock_apply(ctx) < 0 ||
	    jobs_run(ctx, "schedule", NULL) < 0) {
		snprintf(job->error, sizeof(job->error), "%s",
		         ctx->error_message ? ctx->error_message
		         : ctx->error >= 0  ? proto_errors[ctx->error].message
		                            : "Внутренняя ошибка");
		return -1;
	}
	return 1;
}

static int jobs_mark_failed(struct ctx *ctx, void *arg)
{
	struct jobs_due *job = arg;
	int n[6] = {0};
	int64_t interval;

	if (ctx_use_tenant(ctx, job->tenant_id) < 0 || jobs_lock(ctx, &interval) < 0)
		return -1;
	log_error("jobs_failed", "tenant=%lld", (long long)job->tenant_id);
	return jobs_log(ctx, "schedule", "failed", n, job->error, interval, NULL);
}

void jobs_task(struct db *db, struct arena *arena, void *arg)
{
	(void)arg;
	for (int i = 0; i < 20; i++) {
		struct jobs_due job = {0, ""};
		int rc = dispatch_system(db, arena, "jobs.scheduled", jobs_run_due, &job);
		if (rc == 0)
			break;
		if (rc < 0 && job.tenant_id)
			dispatch_system(db, arena, "jobs.scheduled", jobs_mark_failed, &job);
		else if (rc < 0)
			break;
	}
}

/* ----------------------------------------------------------- operations */

static int jobs_reply(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx), *runs = json_object_new_array();
	PGresult *res, *list;

	json_object_object_add(r, "runs", runs);
	res = ctx_sql(ctx,
	              "WITH n AS (SELECT coalesce(j.interval_min, $2) AS interval_min, "
	              "coalesce(j.next_run_at, coalesce(t.ready_at, t.created_at) + make_interval("
	              "mins => $2)) AS at FROM tenants t LEFT JOIN tenant_jobs j ON j.tenant_id = "
	              "t.id WHERE t.id = $1) SELECT interval_min, at, to_char(at AT TIME ZONE "
	              "app_timezone(), 'DD.MM.YYYY HH24:MI') FROM n",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, JOBS_DEFAULT_INTERVAL_MIN));
	list =
	    ctx_sql(ctx,
	            "SELECT " JOBS_RUN_COLUMNS " FROM job_runs r WHERE r.tenant_id = $1 ORDER BY "
	            "r.id DESC LIMIT 50",
	            ctx_i64(ctx, ctx->tenant_id));
	if (res == NULL || list == NULL)
		return -1;
	jsonx_set_int(r, "interval_min", atoll(PQgetvalue(res, 0, 0)));
	jsonx_set_str(r, "next_run_at", PQgetvalue(res, 0, 1));
	jsonx_set_str(r, "next_run_ru", PQgetvalue(res, 0, 2));
	for (int i = 0; i < PQntuples(list); i++)
		json_object_array_add(runs, jobs_run_json(list, i));
	return 0;
}

/* GET /api/admin/jobs */
static int jobs_get(struct ctx *ctx)
{
	return jobs_reply(ctx);
}

/* PUT /api/admin/jobs {"interval_min"} */
static int jobs_set(struct ctx *ctx)
{
	int64_t interval;

	if (ctx_arg_int(ctx, "interval_min", 1, 1440, CTX_REQUIRED, &interval) < 0)
		return -1;
	if (ctx_sql(
	        ctx,
	        "INSERT INTO tenant_jobs AS j (tenant_id, interval_min, next_run_at) VALUES ($1, "
	        "$2, now() + make_interval(mins => $2)) ON CONFLICT (tenant_id) DO UPDATE SET "
	        "interval_min = EXCLUDED.interval_min, next_run_at = least(j.next_run_at, "
	        "EXCLUDED.next_run_at)",
	        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, interval)) == NULL ||
	    audit_log(ctx, "jobs.schedule_set", 1, "tenant", NULL,
	              audit_detail("interval_min", ctx_i64(ctx, interval))) < 0)
		return -1;
	return jobs_reply(ctx);
}

/* POST /api/admin/jobs/run: "Выполнить сейчас" */
static int jobs_run_now(struct ctx *ctx)
{
	json_object *run = json_object_new_object();

	json_object_object_add(ctx_result(ctx), "run", run);
	if (jobs_run(ctx, "manual", run) < 0 ||
	    audit_log(ctx, "jobs.run", 1, "tenant", NULL, NULL) < 0)
		return -1;
	return 0;
}

static const struct op_arg jobs_set_args[] = {
    {"interval_min", ARG_INT, ARG_REQUIRED, .min = 1, .max = 1440, .example = "10",
     .hint = "Интервал в минутах: от 1 до 1440 (сутки)"},
    ARG_END,
};

const struct op jobs_ops[] = {
    {"jobs.get", OP_ADMIN, jobs_get, 0, args_none},
    {"jobs.set", OP_ADMIN, jobs_set, OP_WRITE, jobs_set_args},
    {"jobs.run", OP_ADMIN, jobs_run_now, OP_WRITE, args_none, .budget_ms = OP_BUDGET(120000)},
    {NULL, 0, NULL, 0, NULL},
};
