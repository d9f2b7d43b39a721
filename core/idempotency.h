/*
 * idempotency.h - Idempotency-Key for the operations that create things
 * (OP_IDEMPOTENT), once, in the dispatcher (sql/0006_idempotency.sql).
 *
 * The key travels in auth.idempotency_key (the responders copy the
 * Idempotency-Key header). It is 1..255 printable ASCII characters (space
 * to '~'); anything else is a field error on "Idempotency-Key" (422). Its
 * scope is the caller within the tenant: the exchange's API key, else the
 * signed-in user, else (no one signed in, or no tenant: POST /api/connect)
 * the client's address, so one caller cannot learn another's answer by
 * using the same key (scope 'key:<id>', 'user:<id>', 'ip:<address>').
 *
 * Inside the request's transaction, after the arguments are checked and
 * before the handler:
 *   - the key's row is inserted; a concurrent request with the same key
 *     waits on the unique key until the first commits or rolls back;
 *   - a key already answered gives its stored status and result, and the
 *     handler does not run (the same key with another operation or other
 *     arguments: 422 on "Idempotency-Key");
 *   - after a successful handler, the answer is stored with the row; a
 *     failed request rolls its row back, so a retry runs again.
 * Keys older than IDEMPOTENCY_TTL_HOURS are forgotten (idempotency_expire,
 * a background task) and may be used again.
 */
#ifndef CABINET_IDEMPOTENCY_H
#define CABINET_IDEMPOTENCY_H

#include "dispatch.h"

#define IDEMPOTENCY_TTL_HOURS 24
#define IDEMPOTENCY_KEY_MAX   PROTO_IDEMPOTENCY_KEY_MAX
/* The field a bad or reused key is reported on. */
#define IDEMPOTENCY_FIELD "Idempotency-Key"

struct idempotency {
	int active; /* this request holds a new key's row */
	const char *tenant, *scope, *key;
};

/* Before the handler of an OP_IDEMPOTENT operation. 0: run the handler
 * (st->active when a key was claimed); 1: answered from the stored answer
 * (ctx->status and ctx->result set); -1: failed (ctx holds the error). */
int idempotency_begin(struct ctx *ctx, struct idempotency *st);
/* After a handler that succeeded: stores the answer with the key. 0 or -1. */
int idempotency_finish(struct ctx *ctx, const struct idempotency *st);

/* The background task: deletes the expired keys. */
void idempotency_expire(struct db *db, struct arena *arena, void *arg);

/* 1 when key is 1..IDEMPOTENCY_KEY_MAX printable ASCII characters. */
int idempotency_key_valid(const char *key, size_t len);

#endif
