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
};

/* Sets the user's password (checked by the caller) and activates the
 * cabinet. Every path that sets a password goes through here, and a new
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
