/*
 * jobs.h - the organization's background jobs on its own schedule (seed
 * 000, "Расписание обмена"): the publication kept in force (dismissed
 * employees' cabinets disabled, publication.h), automatic creation and
 * invitation of cabinets (cabinets.h), and the retry of the organization's
 * messages waiting in the outbox. Tables tenant_jobs and job_runs.
 *
 *   GET  /api/admin/jobs      {"interval_min", "next_run_at", "next_run_ru",
 *                              "runs": [{"id", "trigger", "started_at", "status",
 *                              "disabled", "restored", "created", "create_failed",
 *                              "invited", "retried", "error", ...}]}
 *   PUT  /api/admin/jobs      {"interval_min": 10} (1..1440 minutes)
 *   POST /api/admin/jobs/run  "Выполнить сейчас": one run at once -> {"run": {...}}
 *
 * Every run is logged (the newest JOBS_KEEP_RUNS per organization are
 * kept): by the schedule (default every 10 minutes, the first 10 minutes
 * after the organization was ready), by hand, or right after "Обновить
 * публикацию". Runs of one organization never overlap.
 */
#ifndef CABINET_JOBS_H
#define CABINET_JOBS_H

#include "dispatch.h"
#include "worker.h"

#define JOBS_DEFAULT_INTERVAL_MIN 10
#define JOBS_KEEP_RUNS            200

/* One run in the current transaction (ctx in the tenant): trigger is
 * "schedule", "manual" or "publication". The run's row (as the API shows
 * it) goes into out (may be NULL). Moves the next scheduled run to
 * interval_min from now. 0 or -1. */
int jobs_run(struct ctx *ctx, const char *trigger, json_object *out);

/* The task "jobs.scheduled": runs the organizations whose time has come. */
void jobs_task(struct db *db, struct arena *arena, void *arg);

#endif
