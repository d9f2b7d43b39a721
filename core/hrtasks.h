/*
 * hrtasks.h - HR tasks (issue 12 item 7; seed 003, Парус «Личный кабинет»:
 * "формирование новых и исполнение поставленных задач", "обмен документами
 * с помощью механизма присоединенных документов"): HR - an administrator
 * or a performer of a routing role (routing.h) - or a manager gives an
 * employee a task with a title, a description, a deadline and documents;
 * the employee sees it among their tasks, answers, attaches files and
 * completes it; the giver sees the answer.
 *
 * An HR task is a task of the requests' machinery (request_tasks, step
 * "hr_task", no request; sql/0053_hr_tasks_kpi.sql): it is listed by
 * GET /api/tasks with the tasks of requests, completed by
 * POST /api/tasks/{id}/complete, its files are the requests' files
 * (requests_file_store), its deadline and reminder at half of the time are
 * the routing's (routing_due, the deadlines job), its notifications go
 * through notify(). It is never forwarded, escalated or moved to a
 * substitute: it is the employee's own. Past its deadline it stays open
 * and its giver is told once (notification task_overdue).
 *
 * Who (the operation rows' declarations, access.h): a manager gives tasks
 * to the people in their charge, HR (a performer, an administrator) to
 * anyone of the tenant; nobody to themselves. The task is its employee's
 * (WHO_ASSIGNEE) and its giver's (WHO_GIVER), and the administrator's, who
 * sees every object of the tenant; not the employee's other managers nor
 * the performers of routing roles who did not give it (404, as for a task
 * that does not exist; access.h). Files are attached by the employee, the
 * giver or an administrator while it is open and downloaded by the
 * employee and the giver only (the administrator gets no "url" and 404);
 * the giver or an administrator cancels it.
 *
 * API:
 *   POST /api/hr-tasks {"employee_id", "title", "description"?, "due"?: date}
 *        -> 201 {"id", "state": "open", "task"}
 *   GET  /api/hr-tasks?state=open|done|cancelled|all&employee_id=&limit=&offset=
 *        -> {"items": [task without description and files], "total"}: the tasks
 *        the caller gave (an administrator: every one of the tenant)
 *   GET  /api/hr-tasks/{id} -> {"task"}
 *   POST /api/hr-tasks/{id}/files   multipart "file" -> 201 {"file"}
 *   GET  /api/hr-tasks/{task_id}/files/{id}   the file
 *   POST /api/hr-tasks/{id}/cancel {"comment"?} -> {"id", "state": "cancelled", "task"}
 *   POST /api/tasks/{id}/complete {"comment"?}: the employee's answer
 *        -> {"task_id", "id", "state": "done", "task"}
 * task: {"id", "title", "description", "state": open | done | cancelled,
 *   "state_title", "employee": {"id", "full_name"}, "given_by": {"id" (null
 *   for an administrator without an employee record), "full_name"},
 *   "created_at", "created_at_ru", "due" (YYYY-MM-DD or null), "due_ru",
 *   "overdue", "closed_at_ru", "answer" (the completion's comment, or the
 *   cancellation's), "files": [{"id", "name", "content_type", "size",
 *   "from": "employee" | "giver", "uploaded_by", "uploaded_at_ru", "url"
 *   (null for those who may not download it)}]}
 * In GET /api/tasks an HR task is {"id", "request_id": null, "type":
 * "hr_task", "step": "hr_task", "state", "employee" (the assignee),
 * "title", "given_by", "due_ru", "overdue", ...}.
 */
#ifndef CABINET_HRTASKS_H
#define CABINET_HRTASKS_H

#include "dispatch.h"

#include <stdint.h>

/* The employee's answer: completes the open HR task `task` (locked here)
 * with comment (may be NULL), tells the giver; the result is the task.
 * 0, or -1 (409 when it is not open). Called by requests.task_complete. */
int hrtasks_complete(struct ctx *ctx, int64_t task, const char *comment);

/* The Russian title of an HR task's state ("Выполнено"), or the name. */
const char *hrtasks_state_title(const char *state);

/* {"id" (null when the column is NULL), "full_name"} of a row's columns. */
json_object *hrtasks_person(PGresult *res, int row, int id_col, int name_col);

#endif
