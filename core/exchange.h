/*
 * exchange.h - the exchange with an accounting system (1C:ZUP or any
 * other): idempotent upserts by external id, the API keys that allow them,
 * the exchange log; operations in exchange_ops (ops.h).
 *
 *   PUT /api/exchange/v1/{organizations|departments|positions|employees|personal-file}
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
 */
#ifndef CABINET_EXCHANGE_H
#define CABINET_EXCHANGE_H

#include "dispatch.h"

/* Largest batch, in items. */
#define EXCHANGE_MAX_ITEMS 100000

enum exchange_kind {
	EXCHANGE_ORGANIZATIONS,
	EXCHANGE_DEPARTMENTS,
	EXCHANGE_POSITIONS,
	EXCHANGE_EMPLOYEES,
	EXCHANGE_PERSONAL_FILE,
};

struct exchange_counts {
	int created, updated, unchanged, errors;
};

/*
 * Validates and stores one batch of items of a kind (items: a JSON array,
 * lent). Field errors are set on ctx as "items[i].key" (and the call
 * returns -1 with nothing written). admin != 0 allows what the admin forms
 * need: one item without an external id (gets local-<id>), references as
 * *_id numbers. ids (may be NULL) receives the row id of each item.
 * 0 or -1.
 */
int exchange_upsert(struct ctx *ctx, enum exchange_kind kind, json_object *items, int admin,
                    struct exchange_counts *counts, int64_t *ids);

/* Writes one exchange_log row for a call of route (e.g. "employees",
 * "csv"), by the request's key or user. 0 or -1. */
int exchange_log_write(struct ctx *ctx, const char *route, int status,
                       const struct exchange_counts *counts, int64_t started_us);

#endif
