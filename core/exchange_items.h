/*
 * exchange_items.h - the part of the exchange (exchange.h) that needs no
 * database: the fields of each kind of item, the check of one item as sent
 * (unknown keys, types, formats, each value normalized to text), the rules
 * across the fields of one merged item, and the reader of a batch body that
 * gives its items one at a time.
 *
 * It is fuzzed (tests/fuzz/fuzz_exchange.c) and used by exchange.c, which
 * adds what needs the database: stored rows, references, schedules by
 * name, personnel numbers, closed months, the writes.
 *
 * Errors go to a sink as (item index, key, code, Russian text); the
 * exchange names them "items[3].email" (error.fields) and groups them by
 * item (error.items {"3": {"email": ...}}). key is a field name, or a path
 * inside one ("schedules[0].date_from", "insurance_record.years"), or NULL
 * for the item itself (not an object). code is a stable word ("unknown",
 * "type", "required", "date", "format", ...).
 */
#ifndef CABINET_EXCHANGE_ITEMS_H
#define CABINET_EXCHANGE_ITEMS_H

#include "arena.h"

#include <json-c/json.h>
#include <stddef.h>

/* Largest batch, in items. */
#define EXCHANGE_MAX_ITEMS 100000

enum exchange_kind {
	EXCHANGE_ORGANIZATIONS,
	EXCHANGE_DEPARTMENTS,
	EXCHANGE_POSITIONS,
	EXCHANGE_EMPLOYEES,
	EXCHANGE_PERSONAL_FILE,
	EXCHANGE_KPI, /* an employee's KPI for a period (kpi.c) */
};
#define EXCHANGE_KINDS 6

enum exchange_type {
	XT_EXTID,   /* an external id: 1..max characters */
	XT_TEXT,    /* text, at most max characters; "" is null */
	XT_NAME,    /* a person's full name (validate_full_name) */
	XT_DATE,    /* "YYYY-MM-DD" or "DD.MM.YYYY" -> "YYYY-MM-DD" */
	XT_INT,     /* a JSON integer 0..max -> its decimal text */
	XT_INN_ORG, /* ИНН of an organization (10 digits) or a person (12) */
	XT_INN_PERSON,
	XT_KPP,
	XT_OKPO,
	XT_SNILS,
	XT_PHONE, /* -> "+79123456789" */
	XT_EMAIL,
	XT_REF,       /* an external id of another object (resolved by exchange.c) */
	XT_INSURANCE, /* {"years", "months", "as_of"} -> "7|3|2025-01-01" */
	XT_SCHEDULES, /* [{"date_from", "schedule"}] -> "2024-01-15:0:#3\n2025-01-01:1:=Пятидневка"
	                 (date, index as sent, schedule id or name; by date) */
	XT_PAY,  /* [{"date_from", "rate", "pay_by", "norm"?}] -> "2024-01-15:60000.00:days:,..." */
	XT_ENUM, /* one of allowed ("a|b|c") */
	XT_PERIOD, /* "YYYY-MM", "YYYY-Qn" (or "YYYY-qn") or "YYYY", years 2000..2100
	              -> the same with an upper-case Q */
	XT_NUMBER, /* a JSON number or a string "1200000.5": at most two decimals,
	              |x| <= 9 999 999 999 999.99 (money.h's range and form) -> "1200000.50" */
};

enum exchange_ref { XR_NONE, XR_ORG, XR_DEP, XR_POS, XR_EMP };

#define XF_REQUIRED 0x1u /* needed to create, never cleared */
#define XF_EXTRA    0x2u /* not a column of the update (schedules, pay) */

/* personal file kinds, as a mask of the fields that belong to them */
#define PF_EMPLOYMENT  0x01u
#define PF_VACATION    0x02u
#define PF_TRIP        0x04u
#define PF_SENIORITY   0x08u
#define PF_ATTESTATION 0x10u
#define PF_EDUCATION   0x20u
#define PF_TRAINING    0x40u

struct exchange_field {
	const char *name;
	enum exchange_type type;
	enum exchange_ref ref;
	int max;             /* XT_TEXT, XT_EXTID, XT_REF: characters; XT_INT: the largest value */
	unsigned flags;      /* XF_* */
	unsigned kinds;      /* personal file: the kinds it belongs to (0: all) */
	const char *allowed; /* XT_ENUM: "a|b|c" */
	const char *hint;    /* XT_ENUM: the Russian sentence */
};

/* Field indexes of the kinds that exchange.c reads by position. */
enum { OF_EXTID, OF_NAME, OF_INN, OF_KPP, OF_OKPO, OF_ADDRESS, OF_HEAD };
enum { DF_EXTID, DF_NAME, DF_ORG, DF_PARENT, DF_HEAD };
enum {
	EF_EXTID,
	EF_NUMBER,
	EF_NAME,
	EF_BIRTH,
	EF_ORG,
	EF_DEP,
	EF_POS,
	EF_HIRED,
	EF_DISMISSED,
	EF_PHONE,
	EF_EMAIL,
	EF_SNILS,
	EF_INN,
	EF_INSURANCE,
	EF_SCHEDULES,
	EF_PAY,
};
enum { PFF_EXTID, PFF_EMPLOYEE, PFF_KIND, PFF_FROM, PFF_TO, PFF_TYPE = 10 };
enum { KF_EXTID, KF_EMPLOYEE, KF_PERIOD, KF_NAME, KF_UNIT, KF_PLAN, KF_FACT };

/* The fields of a kind, external_id first; *n gets their number. */
const struct exchange_field *exchange_fields(enum exchange_kind kind, int *n);
/* The kind's index of a field name, or -1. */
int exchange_field_index(enum exchange_kind kind, const char *name);
/* The route's name of a kind ("personal-file", "kpi"). */
const char *exchange_kind_route(enum exchange_kind kind);

/* Where field errors go. key: see the top of this file. */
struct exchange_errors {
	void (*add)(void *arg, int index, const char *key, const char *code, const char *text);
	void *arg;
};

/* One item as sent, checked. val[f] is the normalized text of field f when
 * it was given (NULL for null), given[f] whether the key was there. */
struct exchange_item {
	json_object *in; /* lent */
	const char *ext; /* the external id; NULL when missing or bad */
	const char **val;
	unsigned char *given;
	int bad; /* a field error was reported */
};

/*
 * Checks one item (in, lent) of kind as sent: an object, no unknown keys,
 * external_id present (unless may_omit_ext: an object made on a page) and
 * every given value of its field's type and form. Fills *out (arrays in
 * arena memory). Reports each bad field to err with the item's index.
 * Returns 0, or -1 when something was reported.
 */
int exchange_item_check(struct arena *a, enum exchange_kind kind, int index, json_object *in,
                        int may_omit_ext, struct exchange_item *out,
                        const struct exchange_errors *err);

/*
 * The rules across the fields of one merged item (what was sent over what
 * is stored; val has a text or NULL for every field of the kind), each bad
 * field reported to err:
 *  - employees: dismissed not before hired;
 *  - personal file: a field given that does not belong to the record's
 *    kind (and the fields of another kind are dropped from val), the
 *    seniority type, date_to not before date_from.
 * in: the item as sent (which keys were given). 0 or -1.
 */
int exchange_item_rules(enum exchange_kind kind, int index, json_object *in, const char **val,
                        const struct exchange_errors *err);

/* "YYYY-MM-DD" or "DD.MM.YYYY" -> the day number of date.h; 0 or -1. */
int exchange_parse_date(const char *s, int *out);

/*
 * The reader of a batch body {"items": [...]}, item by item.
 *
 * json-c parses a whole document into one tree; it has no reader that
 * gives the elements of an array one at a time, and a batch of 10 000
 * employees as one tree takes about 200 MiB. So the top level is walked
 * here - the object's braces, keys, colons and commas, and the items
 * array's brackets and commas, nothing more - and every value (each key,
 * each item, any other member) is parsed by json-c's own tokener, which
 * says where the value ends. The syntax of the values is json-c's (strict,
 * UTF-8 checked, nesting limited); the reader only finds the boundaries.
 */
struct exchange_reader {
	const char *text;
	size_t len;
	size_t items_at; /* the first byte after the items array's '[' */
	size_t pos;      /* where the next item starts */
	int count;       /* items in the array */
	int next;        /* the index of the next item */
	struct json_tokener *tok;
	size_t err_at; /* after -1 from exchange_reader_open: the error's byte offset */
};

/*
 * Opens a body: checks the whole of it (every value parsed once and
 * dropped), counts the items. Each member other than "items" is reported
 * to err as an unknown key (index -1, key = its name). Returns 0; -1 with
 * *why (a static English phrase) when the body is not JSON or not one
 * object; -2 when it has no "items" member; -3 when "items" is not an
 * array.
 */
int exchange_reader_open(struct exchange_reader *r, const char *text, size_t len,
                         const struct exchange_errors *err, const char **why);
/* The next item: 1 with *item a new reference (NULL for a JSON null), 0
 * after the last. Starts over after exchange_reader_rewind. */
int exchange_reader_next(struct exchange_reader *r, json_object **item);
void exchange_reader_rewind(struct exchange_reader *r);
void exchange_reader_close(struct exchange_reader *r);

/* Parses exactly one JSON value of any type from text[0..len) (strict,
 * UTF-8 checked, depth limited); *end gets the offset after it. A new
 * reference, or NULL (*why set). Used by the reader; exposed for tests. */
json_object *exchange_parse_value(struct json_tokener *tok, const char *text, size_t len,
                                  size_t *end, const char **why);

#endif
