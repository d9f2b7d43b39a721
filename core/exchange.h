/*
 * exchange.h - the exchange with an accounting system (1C:ZUP or any
 * other): idempotent upserts by external id, the API keys that allow them,
 * the exchange log; operations in exchange_ops (ops.h).
 *
 *   PUT /api/exchange/v1/{organizations|departments|positions|employees|personal-file|kpi}
 *       body {"items": [...]} -> 200 {"created", "updated", "unchanged"}
 *   GET /api/exchange/v1/log?limit=&offset=
 *       -> {"items": [{"at", "key", "route", "created", "updated", "unchanged", "errors"}]}
 *   POST /api/admin/api-keys {"name"} -> 201 {"id", "key"} (shown once, stored hashed)
 *   GET /api/admin/api-keys, DELETE /api/admin/api-keys/{id}
 *   POST /api/admin/employees, PUT /api/admin/employees/{id}: one employee
 *       item, references also as department_id/position_id/organization_id
 *
 * The items' keys are listed in docs/exchange.openapi.yaml and staff.h.
 * The rules:
 *  - a batch is validated whole before anything is written: one bad item
 *    answers 422 and writes nothing; each bad field is named in
 *    error.fields as "items[3].email" and in error.items as {"3": {"email"}};
 *  - a key left out keeps the stored value, an explicit null clears it
 *    (a required one - a name - cannot be cleared); unknown keys are errors;
 *  - references (organization, department, parent, position, head,
 *    employee) are external ids of objects stored earlier or, for a
 *    department's parent, of the same batch, in any order; a missing one is
 *    named;
 *  - an item equal to what is stored is "unchanged" and not written, so the
 *    same batch twice answers unchanged for everything;
 *  - an employee's "schedules" and "pay" are the whole list of their
 *    schedule assignments and pay terms from dates: the rows that differ are
 *    written through schedules.c and payterms.c; a change effective in a
 *    closed payroll month is that item's error;
 *  - a new employee with the phone or email of the responsible person who
 *    connected the service is merged into the responsible's employee row,
 *    so they keep their one cabinet.
 * Each call is logged (exchange_log) with its counts and number of bad items.
 *
 * Memory: a body is read item by item (exchange_items.h) and a batch is
 * checked and written in chunks (exchange.c), so a batch of 10 000
 * employees takes a few MiB besides its body, not a tree of the whole.
 */
#ifndef CABINET_EXCHANGE_H
#define CABINET_EXCHANGE_H

#include "dispatch.h"
#include "exchange_items.h"

/* Items validated and written together; the statements of a batch are a
 * fixed number per chunk (exchange.c). */
#define EXCHANGE_CHUNK 500

struct exchange_counts {
	int created, updated, unchanged, errors;
};

/* Where a batch's items come from: n items, item(arg, i) gives item i as
 * a new reference (NULL for a JSON null, or when it fails after
 * ctx_fail); it is called for i = 0, 1, ..., n - 1 in order, and may be
 * called over again from 0 (the batch is read more than once). */
struct exchange_source {
	int n;
	json_object *(*item)(void *arg, int i);
	void *arg;
};

enum exchange_flags {
	EXCHANGE_ADMIN = 1 << 0,         /* the admin form: one item without an external id
	                                    (gets local-<id>) */
	EXCHANGE_VALIDATE_ONLY = 1 << 1, /* check and count, write nothing (a preview) */
};

struct exchange_opts {
	unsigned flags; /* EXCHANGE_* */
	/* VALIDATE_ONLY: external ids (keys of an object) of the objects an
	 * earlier validate-only batch would create, taken as existing
	 * references, e.g. the departments of a CSV import's preview */
	json_object *pending[XR_EMP + 1];
	int64_t *ids;  /* (may be NULL) each item's row id, 0 when new and not written */
	char *actions; /* (may be NULL) each item's outcome: 'c' created, 'u' updated,
	                  'n' unchanged, 'x' refused, 'm' merged into the responsible
	                  person's waiting employee (counted as created; ids has it) */
	/* employees of a CSV import (may be NULL; objects the caller owns):
	 * base: external id -> {field: value} the last import wrote; a field
	 * sent as it was then whose stored value the service changed since
	 * keeps the stored value (reported in changes with "kept": true);
	 * changes: item index ("3") -> [{"field", "old", "new", "kept"?}] of a
	 * stored item's fields that the write changes (or keeps);
	 * sent: external id -> {field: value} as the item gave them */
	json_object *base, *changes, *sent;
};

/*
 * Validates and stores one batch of items of a kind, chunk by chunk inside
 * the request's one transaction. Field errors are set on ctx as
 * "items[i].key"; then nothing is written after the first bad chunk, the
 * rest is still checked so every bad item is named, and the call returns
 * -1 (the caller's transaction rolls back what earlier chunks wrote).
 * Memory: the items of one chunk at a time, plus an index of the batch's
 * external ids. 0 or -1.
 */
int exchange_upsert_source(struct ctx *ctx, enum exchange_kind kind,
                           const struct exchange_source *src, const struct exchange_opts *opts,
                           struct exchange_counts *counts);

/* The same for items given as a JSON array (lent); admin: EXCHANGE_ADMIN;
 * ids (may be NULL) receives the row id of each item. */
int exchange_upsert(struct ctx *ctx, enum exchange_kind kind, json_object *items, int admin,
                    struct exchange_counts *counts, int64_t *ids);

/*
 * For the item kinds other modules keep (opening balances, accruals): the
 * batch's items as one array (the raw body's "items" through the reader of
 * exchange_items.h, or args.items), NULL after a field error - these
 * batches are small (an item per employee and month); and a monotonic clock in microseconds for exchange_log_write().
 * Such a module validates every item (field errors "items[i].key", so
 * error.items names them), writes nothing when one is bad, counts
 * created/updated/unchanged and logs the call.
 */
json_object *exchange_body_items(struct ctx *ctx);

/*
 * One item of kind from an admin form (EXCHANGE_ADMIN: without an external
 * id it is new and gets local-<id>; with one, that object is updated), its
 * field errors named as the form's fields ("email", not "items[0].email").
 * item is lent. *id: the row. 0 or -1.
 */
int exchange_admin_save(struct ctx *ctx, enum exchange_kind kind, json_object *item,
                        struct exchange_counts *c, int64_t *id);

/* Writes one exchange_log row for a call of route (e.g. "employees",
 * "csv"), by the request's key or user. 0 or -1. */
int exchange_log_write(struct ctx *ctx, const char *route, int status,
                       const struct exchange_counts *counts, int64_t started_us);

#endif
