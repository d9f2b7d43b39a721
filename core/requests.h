/*
 * requests.h - employees' requests: their types, states and transitions,
 * their tasks, files and history, and what a done request changes
 * (issue 12; seed 000 "Адресация заявок"; sql/0050_requests.sql). Who
 * gets a task is routing.h's; who may call what is declared in the
 * operation rows (access.h).
 *
 * Types and their fields (besides "comment", optional for every type, up
 * to 2000 characters):
 *   vacation                    date_from, date_to, kind: annual | additional | unpaid
 *                               ("from"/"to" are accepted for date_from/date_to;
 *                               date_from/date_to are the names the API answers)
 *   absence                     date_from, date_to, reason (REQUESTS_REASONS below)
 *   business_trip               date_from, date_to, destination, purpose
 *   personal_data               changes: any of phone, email, address,
 *                               full_name, passport {series, number, issued_by,
 *                               issued_on, division_code}; scans as files
 *   tax_deduction               children: [{order, disabled, sole_parent, from, to}]
 *                               (the shape of the НДФЛ child deductions, deductions.c)
 *   certificate_employment      purpose (where it is to be presented), copies 1..10
 *   certificate_ndfl            year (КНД 1175018 for that year)
 *   certificate_vacation_balance date (as of; today by default)
 *   question                    text
 *
 * States: draft -> (submit) -> awaiting_approval while an approval task is
 * open, then approved; or submitted when the chain has no approval (or
 * every approver was skipped: the staff's rule found nobody, recorded in
 * the history). A performer who takes the execution task makes it
 * in_progress; completing it makes it done. rejected (with a reason) by an
 * approver or a performer; cancelled by the employee at any time before
 * done, rejected or cancelled. A transition that does not apply to the
 * current state answers 409 naming both. Every transition is one
 * transaction and one row of the history (who, when, what, comment) and of
 * the audit log.
 *
 * Completion runs the type's effect in the same transaction; if it fails
 * (a closed payroll month: 423; an overlapping document: 409; a field of
 * the request the effect refuses: 422) the completion fails with that
 * error and nothing changes:
 *   vacation        a deviation document ОТ (annual), ОД (additional) or ДО
 *                   (unpaid) over its dates: in the timesheet, paid by the
 *                   payroll, lowering the vacation balance (ОТ)
 *   absence         the deviation of its reason (REQUESTS_REASONS)
 *   business_trip   a К deviation (the days keep average earnings)
 *   personal_data   the employee's record (phone, email, address, passport,
 *                   full name); a new phone or email becomes the account's
 *                   sign-in contact (cabinets_contacts_follow: the employee
 *                   told on the old and the new one); one another account
 *                   signs in with is refused when filed (422 changes.email /
 *                   changes.phone) and when completed (409); the request,
 *                   with its changes, is in the exchange feed for the
 *                   accounting system
 *   tax_deduction   the employee's НДФЛ child deductions become its list
 *   certificate_*   the certificate's PDF is made and attached, numbered and
 *                   signed (certificates.h)
 *   question        none: the answer is the completion's comment
 *
 * API (the employee's own; the tasks of whoever holds them):
 *   POST /api/requests {"type", ...fields, "draft"?: true} -> 201 {"id", "state", "request"}
 *   GET  /api/requests?state=&type=&limit=&offset= -> {"items": [request], "total"}
 *   GET  /api/requests/{id}          -> {"request": {... "history", "tasks", "files"}}
 *   POST /api/requests/{id}/submit   a draft
 *   POST /api/requests/{id}/cancel   {"comment"?}
 *   POST /api/requests/{id}/files    multipart "file" (attachments_* keys) -> 201 {"file"}
 *   GET  /api/requests/{request_id}/files/{id}   the file
 *   GET  /api/tasks?state=open|done|forwarded|rejected|cancelled|all&limit=&offset=
 *        -> {"items": [{"id", "request_id", "type", "step": approval | execution | hr_task,
 *           "state": open | done | forwarded | rejected | cancelled, "employee": {"id",
 *           "full_name"}, ...}], "total"}   (open ones by default)
 *   POST /api/tasks/{id}/approve  {"comment"?}
 *   POST /api/tasks/{id}/reject   {"reason"}
 *   POST /api/tasks/{id}/forward  {"to": employee id, "comment"?}
 *   POST /api/tasks/{id}/take     {"comment"?}   the performer starts: in_progress
 *   POST /api/tasks/{id}/complete {"comment"?}   files first, to the request
 * HR tasks (hrtasks.h) are tasks too, without a request: listed by
 * GET /api/tasks (request_id null, step and type "hr_task", with "title"
 * and "given_by") and completed by POST /api/tasks/{id}/complete; the other
 * verbs answer 409 for them.
 *   GET  /api/exchange/v1/requests?cursor=&limit=  -> {"items", "cursor"} (API key)
 *   POST /api/exchange/v1/requests/{id}/state {"state": in_progress | done | rejected,
 *        "comment"} with an Idempotency-Key (API key)
 */
#ifndef CABINET_REQUESTS_H
#define CABINET_REQUESTS_H

#include "dispatch.h"

#include <stddef.h>
#include <stdint.h>

/* Request types. role: the routing role that executes it (routing.h);
 * approval: whether the default chain asks the employee's manager first;
 * period: whether it has date_from..date_to. */
struct request_type {
	const char *name, *title; /* "vacation", "Отпуск" */
	const char *role;
	int approval;
	int period;
};

/* The type of name, or NULL. */
const struct request_type *requests_type_find(const char *name);
/* Every type, ending with a zeroed entry. */
extern const struct request_type requests_types[];

/* The Russian title of a state ("На согласовании"), or the name. */
const char *requests_state_title(const char *state);

/* Absence reasons and the T-13 code each becomes. */
#define REQUESTS_REASONS                                                                           \
	"sick (Б), day_off (ОВ: paid day off, e.g. a donor's), unpaid (ДО), "                 \
	"public_duty (Г), study (У)"

/* Who may see a request and its files and documents (access.h). */
#define REQUEST_VIEWERS (WHO_SELF | WHO_ASSIGNEE | WHO_MANAGER | WHO_ADMIN)

/* The T-13 code a vacation kind ("annual") or an absence reason ("sick")
 * becomes, with its Russian title in *title ("ежегодный оплачиваемый",
 * "болезнь"); 0 when unknown. */
int requests_kind_code(const char *kind, const char **title);

/* The days of a request's period from..to (day numbers) as every text about
 * it states them (its subject in notifications, emails and SMS, the request
 * page, the approver's task, the application PDF): a paid vacation (type
 * "vacation", kind not "unpaid") as the balance spends it - the public
 * holidays of the employee's calendar inside do not count (art. 120 ТК РФ,
 * worktime_vacation_days), *holidays gets how many were left out; anything
 * else in calendar days (*holidays 0). The count, or -1 after ctx_fail. */
int requests_period_days(struct ctx *ctx, int64_t employee, const char *type, const char *kind,
                         int from, int to, int *holidays);
int requests_reason_code(const char *reason, const char **title);
/* The deviation code a period request of type with data's kind (vacation)
 * or reason (absence) becomes when done; 0: none. */
int requests_type_code(const char *type, const char *kind, const char *reason);

/*
 * Opens the task of the request's current chain step, skipping approval
 * steps with nobody to approve (history: approval_skipped), and sets the
 * request's state (awaiting_approval, approved or submitted). Used by
 * submission, approval and the exchange. 0 or -1.
 */
int requests_route(struct ctx *ctx, int64_t request_id);

/*
 * Closes the open task as forwarded and gives its step to `to` (its
 * substitute when `to` is away), with the history's action ("forwarded",
 * "escalated") and comment; notifies the new assignee. *next: the new
 * task. 0 or -1.
 */
int requests_task_pass(struct ctx *ctx, int64_t task_id, int64_t to, const char *action,
                       const char *comment, int64_t *next);

/* A row of the request's history in this transaction: action (e.g.
 * "reminded"), the task (0: none), comment (NULL: none), details (taken
 * over; NULL: none). 0 or -1. */
int requests_event(struct ctx *ctx, int64_t request_id, int64_t task_id, const char *action,
                   const char *comment, json_object *details);

/* Files of one request (or HR task), at most. */
#define REQUESTS_FILES_MAX 20

/*
 * Stores the request's upload (ctx->blob, its name in args "filename") as a
 * file of request_id, or of the HR task task_id when request_id is 0 (a
 * request's file may name its task too): its kind told by its first bytes
 * and allowed by attachments_types, at most attachments_max_size bytes, in
 * PostgreSQL or in attachments_dir (requests_files.c). *id: the file;
 * *file: {"id", "name", "content_type", "size"} (arena-owned). 0, or -1
 * after ctx_fail (422 naming "file": missing, too large, of a kind not
 * allowed).
 */
int requests_file_store(struct ctx *ctx, int64_t request_id, int64_t task_id, int64_t *id,
                        json_object **file);

/* Sends the file of row `row` of res (columns: name, content_type, content,
 * path) as the answer's download. 0 or -1. */
int requests_file_send(struct ctx *ctx, PGresult *res, int row);

/*
 * Attaches a file made by the service (a certificate, certificates.h) to a
 * request: kept as an upload is (PostgreSQL or attachments_dir), task_id 0
 * for none, name and content_type as given (the caller's to choose),
 * uploaded by the caller. *id: the file's id. 0 or -1.
 */
int requests_file_put(struct ctx *ctx, int64_t request_id, int64_t task_id, const char *name,
                      const char *content_type, const unsigned char *data, size_t len, int64_t *id);

/* What may be attached, as people say it, from the config keys
 * attachments_types and attachments_max_size: "PDF, JPEG, PNG до 10 МБ"
 * (the one place every message about files takes it from); arena memory. */
const char *requests_files_allowed(struct ctx *ctx);
/* The same for the pages (GET /api/me "attachments"): {"types": ["pdf",
 * "jpeg", "png"], "accept": ".pdf,.jpg,.jpeg,.jpe,.png" (an <input
 * type=file>'s), "max_size": bytes, "text": "PDF, JPEG, PNG до 10 МБ"}; a
 * new object. */
json_object *requests_files_limits(struct ctx *ctx);

/* A request's text for notifications: "Отпуск № 12 с 16.03.2026 по
 * 20.03.2026 (5 дней), Иванов Иван Иванович" (calendar days, ru_plural), or
 * "Вопрос № 13, Иванов Иван Иванович" for a type without dates; in arena
 * memory; NULL after ctx_fail. */
const char *requests_describe(struct ctx *ctx, int64_t request_id);
/* The request's number people see (unique per tenant, sql/0068), or -1
 * (404 when missing). */
int64_t requests_number(struct ctx *ctx, int64_t request_id);

#endif
