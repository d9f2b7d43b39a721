/*
 * tasks.h - background tasks run by the workers on a schedule.
 *
 * A task is a row of the table in tasks.c: a name, an interval and a
 * function that runs on a worker with its own database connection (and so
 * its own transactions). The main loop asks every second which tasks are
 * due; a task never runs twice at once. tasks_kick() makes a task due now
 * (e.g. the outbox sender right after a message was queued).
 */
#ifndef CABINET_TASKS_H
#define CABINET_TASKS_H

#include "worker.h"

#include <stdint.h>

/* A job for the next due task, or NULL. Main thread only. */
struct job *tasks_due(int64_t now_ms);
/* The job of a task has come back. Main thread only. */
void tasks_finished(void *task_arg);
/* Any thread: run the named task at the next tick. */
void tasks_kick(const char *name);

#endif
