/*
 * jsonx.h - small helpers over json-c.
 *
 * json-c ownership, the three rules this code relies on:
 *  1. Adding a child (json_object_object_add, json_object_array_add) hands
 *     YOUR reference to the parent: do not put the child afterwards.
 *  2. Getters (json_object_object_get_ex, json_object_array_get_idx,
 *     json_object_get_string) LEND: the pointer lives as long as the parent.
 *  3. Call json_object_get() only to keep a child past its parent (or to add
 *     it to a second parent), and put that reference yourself.
 * Strings returned by jsonx_dump() belong to the object they came from.
 */
#ifndef CABINET_JSONX_H
#define CABINET_JSONX_H

#include "buf.h"

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

#define JSONX_MAX_DEPTH 32

/* Parses exactly one JSON object (strict syntax, valid UTF-8, nothing after
 * it but whitespace, nesting at most JSONX_MAX_DEPTH, no member named twice
 * in one object). Returns a new reference, or NULL with *err set to a
 * static description: JSONX_ERR_DUPLICATE for a member named twice
 * (jsonx_duplicate_key then names it). */
json_object *jsonx_parse_object(const char *data, size_t len, const char **err);
/* The same with *at, the byte offset of a syntax error in data. */
json_object *jsonx_parse_object_at(const char *data, size_t len, const char **err, size_t *at);

/* The same without the check of members named twice, for what cabinetd
 * wrote (json-c's objects, whose members are unique): the responders'
 * reading of the core's answers, where the walk cost a tenth of a long
 * list's CPU in the responder. Never for what a client sent. */
json_object *jsonx_parse_reply(const char *data, size_t len, const char **err);

extern const char JSONX_ERR_DUPLICATE[];
extern const char JSONX_ERR_NOT_OBJECT[]; /* valid JSON, not an object */
extern const char JSONX_ERR_TOO_LARGE[];
extern const char JSONX_ERR_END[]; /* the text ended inside a value */

/* What a parse error (*err of the parsers here and of the exchange's
 * reader, at: its byte offset in data) means for people, in Russian:
 * «Тело запроса — не JSON: ошибка в позиции 14» (characters, from 1),
 * «Тело запроса должно быть JSON-объектом», «Слишком глубокая вложенность
 * JSON…». json-c's English stays out of answers (trial-break F5). */
const char *jsonx_error_ru(const char *why, const char *data, size_t at, char *buf, size_t n);

/* Rewrites each lone UTF-16 surrogate escape in the strings of the JSON
 * text data[0..len) ("\ud800" without its pair) as "\uffff", in place
 * (the same length: offsets stay). json-c would turn it into U+FFFD
 * silently; U+FFFF is a noncharacter that the text checks refuse at the
 * field, 422 encoding, as bad UTF-8 is (args.c, trial-break F4). Returns
 * how many. */
size_t jsonx_mark_lone_surrogates(char *data, size_t len);

/*
 * The first member named twice in one object of the JSON text data[0..len)
 * ({"amount": 1, "amount": 2}; "a" and "\u0061" are one name), which must
 * be valid JSON (json-c parsed it). Returns 1 with its path in out (size n,
 * cut to fit): "amount", "days[3].title", "responsible.email" - the names
 * the declared arguments' field errors use (args.h); 0 when every name is
 * unique; -1 when out of memory.
 *
 * Why our own walk: json-c keeps the last of a repeated member
 * (json_object_object_add replaces the value) and json-c 0.16 offers no
 * flag of its tokener and no callback per member to refuse it, so the text
 * json-c accepted is walked once more here - strings, brackets, colons and
 * commas only; each object's names decoded and sorted when it closes.
 */
#define JSONX_PATH_MAX 256
int jsonx_duplicate_key(const char *data, size_t len, char *out, size_t n);

/* Serializes compactly without escaping '/'. The string is owned by obj. */
const char *jsonx_dump(json_object *obj, size_t *len);

/* A value whose JSON text is already written: text[0..len) goes into the
 * serialization of its parent as it is (a long list written row by row
 * from a query's result, without an object per row and member). The
 * caller vouches for the text being one valid JSON value (jsonx_put_str
 * for its strings). The data is taken over from text (left empty). For
 * serialization only: to json-c's getters it is an empty array. */
json_object *jsonx_new_raw(struct buf *text);
/* Appends s as a JSON string (quoted, escaped as json-c does, '/' as it
 * is), or null for NULL. */
void jsonx_put_str(struct buf *b, const char *s);

/* Member getters: NULL / -1 when the key is missing or has another type. */
json_object *jsonx_get(json_object *obj, const char *key);
const char *jsonx_get_str(json_object *obj, const char *key);
json_object *jsonx_get_obj(json_object *obj, const char *key);
json_object *jsonx_get_array(json_object *obj, const char *key);
int jsonx_get_int64(json_object *obj, const char *key, int64_t *out);
int jsonx_get_bool(json_object *obj, const char *key, int *out);

/* Setters that take C values (new children owned by obj). NULL str sets null. */
void jsonx_set_str(json_object *obj, const char *key, const char *str);
void jsonx_set_int(json_object *obj, const char *key, int64_t value);
void jsonx_set_bool(json_object *obj, const char *key, int value);

/* A list's page links for an admin page: obj gets "pages": [{"number" (from
 * 1), "offset", "current"}] for at most max_pages pages of limit rows of
 * total, and "has_pages" (more than one). */
void jsonx_set_pages(json_object *obj, int64_t total, int64_t limit, int64_t offset,
                     int64_t max_pages);

/* A JSON number from the decimal text of a numeric column ("40.00",
 * "12.50", "1.15"), printed without trailing zeros (40, 12.5, 1.15) and
 * without a round trip through a double ("0.1" stays 0.1). NULL when text
 * is not a plain decimal (digits, one optional point, an optional leading
 * '-'). A new object owned by the caller. */
json_object *jsonx_new_decimal(const char *text);

#endif
