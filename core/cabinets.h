/*
 * cabinets.h - employees' cabinets (seed 000, "Создание кабинетов в
 * сервисе"): their states, creating and inviting in bulk, the settings
 * under the gear, and what the delivery of an invitation makes of its
 * cabinet. Tables cabinets and invitations (sql/0045_cabinets.sql).
 *
 *   GET  /api/admin/cabinets?state=&q=&limit=&offset=
 *        -> {"items": [{"employee_id", "full_name", "personnel_number", "state",
 *           "error"}], "total", "counts": {"<state>": n, ...}}
 *        published employees and those whose cabinet was tried already;
 *        disabled cabinets only with ?state=disabled; q: part of the name
 *        (ё = е) or of the personnel number
 *   POST /api/admin/cabinets/create {"employees": [ids]}
 *   POST /api/admin/cabinets/invite {"employees": [ids], "channel": "email" | "sms"}
 *        -> {"results": [{"employee_id", "state", "error"}]} in the order asked;
 *           error null when none. An unknown id is a 422 naming employees[i].
 *   GET  /api/admin/cabinets/settings, PUT with any of
 *        {"auto_create", "auto_invite", "invitation_text", "ask_login"}
 *
 * States (CABINETS_STATES):
 *   not_created    no cabinet yet (no row)
 *   created_email  created; has an email, so it can be invited by email
 *   created_sms    created; a phone only, so it can be invited by SMS only
 *   create_failed  could not be created; error says why (no email and no
 *                  phone, dismissed, not in the publication, the email or
 *                  phone is another person's cabinet's)
 *   email_failed   the invitation email failed: no email, or the mail
 *                  server refused it (its reason in error); invite again
 *   sms_failed     the invitation SMS failed: no phone, or the gateway
 *                  refused it
 *   invited        the invitation went out; the employee has not signed in
 *   signed_in      the employee signed in (activated) at least once
 *   disabled       not published or dismissed: access closed, data kept
 *                  (publication.h)
 *
 * Creating a cabinet creates its account (users, status created) from the
 * employee's name, email and phone; it is idempotent (an existing cabinet
 * answers its state). With auto_invite on, new cabinets are invited at
 * once. Inviting makes a one-time link <tenant URL>/invite/<token> valid
 * CABINETS_INVITE_DAYS days (a newer invitation replaces the older one) and
 * queues the invitation text (placeholders {ФИО}, {ссылка}, {организация})
 * by email or SMS; without "channel" (automatic invitations) email when
 * there is one, else SMS. The state is invited at once; the delivery result
 * (cabinets_delivered) turns a refused message into email_failed or
 * sms_failed with the server's reason.
 */
#ifndef CABINET_CABINETS_H
#define CABINET_CABINETS_H

#include "dispatch.h"

#include <stdint.h>

#define CABINETS_INVITE_DAYS 7
#define CABINETS_MAX_BATCH   100000

struct cabinets_settings {
	int auto_create;  /* create cabinets of published employees by the schedule */
	int auto_invite;  /* invite cabinets once they are created */
	int ask_login;    /* activation asks for a login of the employee's choice */
	const char *text; /* the invitation text with its placeholders */
};

/* The employees of the argument "employees" (an array of ids, or one id as
 * a form's single box sends it), each once in the order asked; each bad
 * or unknown one named at employees[i]. The cabinets page's and the staff
 * list's bulk actions. 0 or -1. */
int cabinets_read_ids(struct ctx *ctx, int64_t **ids, size_t *n);

/* The tenant's settings (defaults: off, off, off, the default text). 0 or -1. */
int cabinets_settings_load(struct ctx *ctx, struct cabinets_settings *s);

/* What a bulk action answers per employee, in the order asked: kept
 * compact in the request's arena (10 000 json-c objects would cost cabinetd
 * some 10 MiB) and written as JSON when the reply is. */
struct cabinets_results {
	size_t n, cap;
	int64_t *ids;
	const char **states, **errors; /* errors[i] NULL when none */
	int other_channel; /* invited by the other channel: no contact for the one asked */
};

/* Room for cap results, in arena memory. */
void cabinets_results_init(struct ctx *ctx, struct cabinets_results *r, size_t cap);

/* Creates the cabinets of employees (ids of ctx->tenant_id, checked by the
 * caller), then invites the new ones when auto_invite is on. results (may be
 * NULL) gets one {"employee_id", "state", "error"} per id; counts (created,
 * failed, invited at once) may be NULL. 0 or -1. */
int cabinets_create(struct ctx *ctx, const int64_t *ids, size_t n, struct cabinets_results *results,
                    int *created, int *failed, int *invited);

/* Invites the cabinets of employees by channel ("email", "sms", or NULL:
 * email when there is one, else SMS). results and counts as above. */
int cabinets_invite(struct ctx *ctx, const int64_t *ids, size_t n, const char *channel,
                    struct cabinets_results *results, int *invited, int *failed);

/*
 * Sign-in contacts. An employee's cabinet signs in with, and receives its
 * one-time codes and notifications on, its account's email and phone
 * (users). Whoever changes the card's email or phone (a done personal_data
 * request, the administrator's pages and API, the exchange, the CSV
 * import) brings the account along through these two functions, in the
 * same transaction:
 *
 * cabinets_contact_taken: whether email or phone (canonical forms; either
 * may be NULL) is the sign-in contact of another account of the tenant
 * than employee's own. 0 free; 1 taken, *field "email" or "phone" and *who
 * the other account's name (arena); -1 with the ctx failed.
 *
 * cabinets_contacts_follow: after the cards of old[0..n) were written, each
 * account's email and phone that equal the card's value before the write
 * (old: read from the row before its update; no value and no value alike,
 * email in any case) follow the card: a changed contact moves to the new
 * value, a removed one leaves the account, so the person no longer signs
 * in or gets codes with what the organization took off the card; an
 * account without the contact takes the card's new one. A
 * contact the card never held (the connecting administrator's, one set by
 * hand) stays, and so does the account's last way to sign in (users
 * needs one). A value that is another account's is refused: 409 naming
 * email or phone. The employee is told on the old and the new contact
 * (outbox, kind "contact_changed"). *changed (may be NULL) counts the
 * accounts changed. 0 or -1.
 */
struct cabinets_contacts_old {
	int64_t employee;
	const char *email, *phone; /* the card's before the write; NULL: none */
};
int cabinets_contact_taken(struct ctx *ctx, int64_t employee, const char *email, const char *phone,
                           const char **field, const char **who);
int cabinets_contacts_follow(struct ctx *ctx, const struct cabinets_contacts_old *old, size_t n,
                             int *changed);

/* The scheduled part (jobs.h): with auto_create, the cabinets of published
 * employees who have none; with auto_invite, the created cabinets never
 * invited. Counts may be NULL. 0 or -1. */
int cabinets_auto(struct ctx *ctx, int *created, int *create_failed, int *invited);

/* The outbox's hook for messages of kind "invitation" (outbox.ref_id =
 * invitations.id): the final outcome of the delivery (ok, or failed for
 * good with the server's words in error). The newest invitation of the
 * employee decides the state: invited, or email_failed / sms_failed with
 * the reason. Runs in the sender's transaction (system scope). 0 or -1. */
int cabinets_delivered(struct ctx *ctx, int64_t tenant_id, int64_t invitation_id, int ok,
                       const char *error);

/* A flag argument: JSON true/false, or a form's "1"/"on"/"true" and
 * "0"/"off"/"false"/"". def when absent; -1 with a field error otherwise. */
int cabinets_arg_flag(struct ctx *ctx, const char *name, int def);

#endif
