#include "tasks.h"

#include "auth.h"
#include "idempotency.h"
#include "jobs.h"
#include "notifications.h"
#include "outbox.h"
#include "routing.h"
#include "tenants.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

struct task {
	const char *name;
	int64_t interval_ms;
	void (*run)(struct db *db, struct arena *arena, void *arg);
	/* state, main thread only except `kicked` */
	int64_t next_ms;
	int running;
	atomic_int kicked;
	/* a kick starts the task no sooner than this after its last start
	 * (0: at once): the kicks of that time are served by one run */
	int64_t kick_gap_ms;
	int64_t started_ms;
};

/* The delivery of notifications is kicked by every commit that queued one:
 * at 16 writers at once that was a pass (its transaction, the unread counts,
 * a publish per person) every 3 to 8 submissions; one pass per 200 ms
 * serves all the submissions of that time; the page hears of them at most
 * that much later under traffic, up to the main loop's next tick (1 s) when
 * nothing else runs (issue 12 item 8 allows 2 s). */
#define TASKS_NOTIFY_GAP_MS 200

static struct task tasks[] = {
    {"tenants.create", 1000, tenants_task, 0, 0, 0, 0, 0},
    /* one sender per channel: an SMS never waits for a mail server */
    {"outbox.email", 1000, outbox_email_task, 0, 0, 0, 0, 0},
    {"outbox.sms", 1000, outbox_sms_task, 0, 0, 0, 0, 0},
    {"auth.cleanup", 1000, auth_cleanup_task, 0, 0, 0, 0, 0}, /* every cleanup_interval_s */
    {"idempotency.expire", 3600 * 1000, idempotency_expire, 0, 0, 0, 0, 0},
    {"jobs.scheduled", 5000, jobs_task, 0, 0, 0, 0, 0},
    /* reminders, escalations and substitutes of request tasks (routing.h) */
    {"routing.deadlines", 60 * 1000, routing_deadlines_task, 0, 0, 0, 0, 0},
    /* notifications: email/SMS by preference and the pages' events, kicked
     * by each commit that queued some (notifications.h) */
    {"notify.deliver", 10 * 1000, notifications_deliver_task, 0, 0, 0, TASKS_NOTIFY_GAP_MS, 0},
    {NULL, 0, NULL, 0, 0, 0, 0, 0},
};

struct job *tasks_due(int64_t now_ms)
{
	for (struct task *t = tasks; t->name; t++) {
		struct job *job;
		if (t->running || (now_ms < t->next_ms && (!atomic_load(&t->kicked) ||
		                                            now_ms < t->started_ms + t->kick_gap_ms)))
			continue;
		atomic_store(&t->kicked, 0);
		t->running = 1;
		t->started_ms = now_ms;
		t->next_ms = now_ms + t->interval_ms;
		job = calloc(1, sizeof(*job));
		if (job == NULL)
			abort();
		job->task = t->run;
		job->task_arg = t;
		return job;
	}
	return NULL;
}

void tasks_finished(void *task_arg)
{
	struct task *t = task_arg;

	t->running = 0;
}

_Static_assert(sizeof(tasks) / sizeof(tasks[0]) <= 32, "tasks_held has a bit per task");

/* The kicks of the job running on this thread, by index in tasks[]. */
static _Thread_local unsigned tasks_held;
static _Thread_local int tasks_in_job;

void tasks_kick(const char *name)
{
	for (struct task *t = tasks; t->name; t++) {
		if (strcmp(t->name, name) != 0)
			continue;
		if (tasks_in_job)
			tasks_held |= 1u << (t - tasks);
		else
			atomic_store(&t->kicked, 1);
	}
}

void tasks_job_begin(void)
{
	tasks_in_job = 1;
	tasks_held = 0;
}

void tasks_job_end(void)
{
	for (struct task *t = tasks; t->name; t++)
		if (tasks_held & (1u << (t - tasks)))
			atomic_store(&t->kicked, 1);
	tasks_held = 0;
	tasks_in_job = 0;
}
