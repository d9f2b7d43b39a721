/*
 * outbox.h - email and SMS: queued in the transaction of the change that
 * causes them, delivered by the task "outbox.send" with retries.
 *
 * Drivers (cabinet.conf): email = file | smtp (libcurl, STARTTLS, login);
 * sms = file | sms_http (a POST to a gateway with a body template). A
 * message is tried up to outbox_max_attempts times, waiting outbox_retry_s
 * (10 s), then twice as long each time up to 1 h; a permanent refusal (SMTP 5xx, HTTP
 * 4xx) fails it at once. Its status (pending, sent, failed), attempts and
 * last error stay in the table for the administrator's pages.
 */
#ifndef CABINET_OUTBOX_H
#define CABINET_OUTBOX_H

#include "dispatch.h"

#include <stdint.h>

/* Queues a message of ctx->tenant_id. channel: "email" or "sms"; subject
 * only for email; kind names the reason ("connection", "code", ...);
 * user_id may be 0. */
int outbox_enqueue(struct ctx *ctx, const char *channel, const char *to, const char *subject,
		   const char *text, const char *kind, int64_t user_id);

/* The task: delivers what is due. */
void outbox_task(struct db *db, struct arena *arena, void *arg);

/* Called once at start-up (libcurl's global init is not thread-safe). */
int outbox_init(void);
void outbox_cleanup(void);

#endif
