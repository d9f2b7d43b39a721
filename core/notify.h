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
 *   request_forwarded  a task of the employee's request went to another
 *                   person (to the employee: who has it now, and why)
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
 * employee, with sms, its SMS (notify_sms(); NULL: the kind's text without
 * a request); request_id and task_id may be 0. The text is written for
 * its reader: it does not name them ("ваша заявка") and a state inside a
 * sentence is lower-case. 0 or -1. */
int notify(struct ctx *ctx, int64_t employee_id, const char *kind, int64_t request_id,
           int64_t task_id, const char *text, const char *sms);

/* The row notify() queues (NULL when employee_id is 0), for an operation
 * that writes its notifications in a statement it makes anyway
 * (requests.c: with the history): an element of the JSON array of
 * NOTIFY_ROWS_SQL. Wakes the delivery, which reads the rows once they
 * commit. The caller owns it. */
json_object *notify_row(struct ctx *ctx, int64_t employee_id, const char *kind, int64_t request_id,
                        int64_t task_id, const char *text, const char *sms);

/* SQL inserting for tenant t the notifications of rows (parameter
 * references; rows: a JSON array of notify_row()s), usable as a
 * data-modifying WITH of another statement. */
#define NOTIFY_ROWS_SQL(t, rows)                                                                   \
	"INSERT INTO notifications (tenant_id, employee_id, kind, request_id, task_id, text, "     \
	"sms) "                                                                                    \
	"SELECT " t ", x.employee_id, x.kind, x.request_id, x.task_id, x.text, x.sms FROM "        \
	"jsonb_to_recordset(" rows "::jsonb) AS x(employee_id bigint, kind text, request_id "      \
	"bigint, task_id bigint, text text, sms text)"

/* An SMS is one Cyrillic segment (UCS-2: 70 characters), so a message is
 * never split and billed twice. */
#define NOTIFY_SMS_MAX 70

/*
 * The SMS of a notification of kind: "Кабинет сотрудника: " and the kind's
 * short template with the request's number (0: none, an HR task) and
 * detail (the kind's one variable part: a state's phrase "согласована и
 * ждёт исполнителя", a step "согласование", a deadline "22.11.2026 18:00";
 * NULL: none). At most NOTIFY_SMS_MAX characters (the templates fit with a
 * 7-digit number and their longest detail, tests/unit/test_notify.c);
 * anything longer loses the prefix, then is cut with "…". Arena-owned.
 */
const char *notify_sms(struct arena *arena, const char *kind, int64_t number, const char *detail);

/* The kinds notify() is called with, NULL-terminated (for tests). */
extern const char *const notify_kinds[];

/* The number of characters (code points) of UTF-8 text. */
size_t notify_chars(const char *text);

#endif
