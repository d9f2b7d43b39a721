/*
 * tasks.h - background tasks run by the workers on a schedule.
 *
 * A task is a row of the table in tasks.c: a name, an interval and a
 * function that runs on a worker with its own database connection (and so
 * its own transactions). The main loop asks which tasks are due every
 * second and whenever a request or task has finished; a task never runs
 * twice at once. tasks_kick() makes a task due now (e.g. the outbox sender
 * right after a message was queued): it starts as soon as the request or
 * task that queued the message is done, so it sees what was committed. A
 * task may have a gap: kicked sooner than that after its last start, it
 * starts at the main loop's first look after the gap's end (the next
 * finished job, or the second's tick when nothing else runs); the
 * notifications' delivery has one of 200 ms.
 */
#ifndef CABINET_TASKS_H
#define CABINET_TASKS_H

#include "worker.h"

#include <stdint.h>

/* A job for the next due task, or NULL. Main thread only. */
struct job *tasks_due(int64_t now_ms);
/* The job of a task has come back. Main thread only. */
void tasks_finished(void *task_arg);
/* Any thread: run the named task soon. Inside a job (between
 * tasks_job_begin and tasks_job_end on a worker) the kick takes effect when
 * the job ends, after its transaction committed: a task started earlier
 * would not see the work queued for it. */
void tasks_kick(const char *name);
/* A worker runs a job: the kicks it makes are held until tasks_job_end. */
void tasks_job_begin(void);
void tasks_job_end(void);

#endif
