/*
 * auth.h - accounts: what other modules (invitations, the task table) use
 * of auth.c.
 */
#ifndef CABINET_AUTH_H
#define CABINET_AUTH_H

#include "dispatch.h"

#include <stdint.h>

/* A user as sign-in sees it; strings belong to the request. */
struct auth_user {
	int64_t id;
	const char *status, *hash, *email, *phone, *login, *full_name;
};

/* The password policy (password.h) and the common-password list; a field
 * error on field and -1 when password is refused. u gives the personal
 * values it must not equal (login, email, phone; any may be NULL). */
int auth_password_policy(struct ctx *ctx, const char *field, const char *password,
                         const struct auth_user *u);

enum auth_store_flags {
	AUTH_KEEP_SESSION = 1 << 0, /* the request's own session stays (a password change) */
	AUTH_CONSENT = 1 << 1,      /* the person agreed to AUTH_CONSENT_TEXT in this request */
	AUTH_OPERATOR = 1 << 2,     /* cabinetctl: the operator answers for the consent */
};

/* The consent to the processing of personal data (152-FZ, art. 9): the
 * text (printf form, %s = the employer's name) and its version. A change
 * of the text is a new version; consents record which one was agreed to.
 * The invitation page and the admin's activation and reset pages show it. */
#define AUTH_CONSENT_VERSION "2026-11-30"
extern const char AUTH_CONSENT_TEXT[];

/* {"version", "text"} of the consent for the employer named organization. */
json_object *auth_consent_describe(struct ctx *ctx, const char *organization);

/* Sets the user's password (checked by the caller) and activates the
 * cabinet. Every path that sets a password goes through here, and so does
 * the one rule of the consent: an employee's account is not activated
 * (its first password) without a consent recorded in consents. With
 * AUTH_CONSENT the consent is recorded here (moment, address, version);
 * without it and none recorded: a field error "consent" (validation) and
 * -1. The operator's `cabinetctl user password` passes AUTH_OPERATOR.
 * A new
 * credential ends the others: every session of the user (but the request's
 * own with AUTH_KEEP_SESSION) and every outstanding one-time code. When the
 * user had a password before, they are told by email (SMS without one).
 * 0 or -1. */
int auth_password_store(struct ctx *ctx, int64_t user_id, const char *password, unsigned flags);

/* The signed-in user (ctx->user_id), their roles and organization into the
 * result: the answer of GET /api/me and of every sign-in (an invitation's
 * activation too, invitations.c). 0 or -1. */
int auth_describe(struct ctx *ctx);

/* The task "auth.cleanup" (every cleanup_interval_s): removes expired
 * sessions, sign-in counters whose window has passed and whose wait ended,
 * code counters older than a day and codes expired more than a day ago,
 * devices unused for device_ttl_s and the files import previews kept
 * (import.h). */
void auth_cleanup_task(struct db *db, struct arena *arena, void *arg);

#endif
