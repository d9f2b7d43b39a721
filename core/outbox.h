/*
 * outbox.h - email and SMS: queued in the transaction of the change that
 * causes them, delivered by two tasks, "outbox.email" and "outbox.sms",
 * with retries.
 *
 * Drivers (cabinet.conf): email = file | smtp (libcurl, STARTTLS, login);
 * sms = file | sms_http (a POST to a gateway with a body template). A
 * message is tried up to outbox_max_attempts times, waiting outbox_retry_s
 * (10 s), then twice as long each time up to 1 h; a permanent refusal (SMTP 5xx, HTTP
 * 4xx) fails it at once. Its status (pending, sent, failed), attempts and
 * last error stay in the table for the administrator's pages.
 *
 * Delivery never stalls: every attempt has a connect timeout
 * (outbox_connect_timeout_ms, for SMTP up to the greeting, STARTTLS and
 * login), a silence timeout (outbox_read_timeout_ms) and a total one
 * (outbox_timeout_ms); each channel has its own sender, so an SMS never
 * waits for a mail server; a channel whose server failed an attempt rests
 * outbox_retry_s before the next one; and each sender takes one-time codes
 * first (priority by kind: "code" 0, "invitation" 2, any other 1).
 *
 * Secrets: a message queued with outbox_enqueue_secret() keeps its secret
 * (a one-time code) only until it is sent, fails or expires; then its stored
 * text has the secret replaced by "••••••". The list, the logs and the
 * administrator's pages never show a message's text.
 *
 * Cost: an SMS over sms_daily_limit_per_tenant (SMS of the tenant that
 * organization's day, in its time zone: app_today(), org.h; every kind
 * counted) is stored failed, unsent, with the reason
 * in Russian for the administrator's outbox list.
 */
#ifndef CABINET_OUTBOX_H
#define CABINET_OUTBOX_H

#include "dispatch.h"

#include <stdint.h>

/* Priorities: lower goes first within a channel. */
enum outbox_priority {
	OUTBOX_URGENT = 0, /* one-time codes: kind "code" */
	OUTBOX_NORMAL = 1, /* notices: every other kind */
	OUTBOX_BULK = 2,   /* many at once: kind "invitation" */
};

/* Queues a message of ctx->tenant_id. channel: "email" or "sms"; subject
 * only for email; kind names the reason ("connection", "code",
 * "invitation", ...) and sets the priority; user_id may be 0. 0, or -1
 * with the ctx failed (database). An SMS over the tenant's daily limit is
 * stored failed and still returns 0: the change that caused it stands. */
int outbox_enqueue(struct ctx *ctx, const char *channel, const char *to, const char *subject,
                   const char *text, const char *kind, int64_t user_id);

/* The same for a text that carries a secret (a one-time code, a link's
 * token): every occurrence of `secret` in text is kept only until the
 * message is sent, fails or expires; a message still pending ttl_s seconds
 * after now (the secret's validity; 0: never) fails unsent. */
int outbox_enqueue_secret(struct ctx *ctx, const char *channel, const char *to, const char *subject,
                          const char *text, const char *kind, int64_t user_id, const char *secret,
                          long ttl_s);

/* Queues many messages in a few statements (bulk work: thousands of
 * invitations), with the same rules as outbox_enqueue_secret: the kind's
 * priority, a secret kept only until the message is sent, fails or
 * expires, the SMS daily limit (the SMS over it are stored failed, and
 * their delivery hooks hear it at once). msgs (lent, changed) is a JSON
 * array of {"channel", "to", "subject", "text", "kind", "user_id",
 * "ref_id"?, "secret"?, "ttl_s"?}; ref_id names the object the message is
 * about for kinds with a delivery hook (below). 0 or -1. */
int outbox_enqueue_many(struct ctx *ctx, json_object *msgs);

/*
 * Delivery hooks: the final outcome of a message whose kind has a hook
 * (sent, or failed for good: a permanent refusal, the last attempt, expiry,
 * the SMS limit) is handed to it in the sender's own transaction, with the
 * message's ref_id and the server's words (an SMTP reply such as
 * "550 5.1.1 <x@y>: Recipient address rejected", the gateway's status and
 * answer). Kinds with a hook:
 *   "invitation"  cabinets_delivered (cabinets.h): the cabinet's state
 */

/* The tasks: deliver what is due on one channel. */
void outbox_email_task(struct db *db, struct arena *arena, void *arg);
void outbox_sms_task(struct db *db, struct arena *arena, void *arg);

/* Called once at start-up (libcurl's global init is not thread-safe). */
int outbox_init(void);
void outbox_cleanup(void);

#endif
