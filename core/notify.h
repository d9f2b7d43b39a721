/*
 * notify.h - notifications to people, queued in the transaction of the
 * change that causes them (table notifications, sql/0050_requests.sql), so
 * a notification exists exactly when its change does.
 *
 * Kinds queued today:
 *   task_new        a new task for a manager or performer (also a forwarded
 *                   or escalated one, and a substitute's)
 *   task_reminder   half of a task's deadline has passed (routing.h)
 *   task_escalated  the task went up past its deadline (to its old holder)
 *   request_state   the employee's request changed its state
 *   task_overdue    an HR task's deadline passed (to its giver; hrtasks.h)
 *   hr_task_done    the employee answered an HR task (to its giver)
 *   hr_task_cancelled  an HR task was cancelled (to its employee)
 * (task_new and task_reminder are also sent for HR tasks, without a request)
 * Delivery (in the page without a reload, email or SMS by the person's
 * preference) is the notifications module's, reading this queue; notify()
 * is the one function that fills it. The rows of one operation are written
 * in one statement just before its commit (ctx_before_commit).
 */
#ifndef CABINET_NOTIFY_H
#define CABINET_NOTIFY_H

#include "dispatch.h"

#include <stdint.h>

/* Queues text (Russian, at most 1000 characters: longer is cut) for the
 * employee; request_id and task_id may be 0. 0 or -1. */
int notify(struct ctx *ctx, int64_t employee_id, const char *kind, int64_t request_id,
           int64_t task_id, const char *text);

#endif
