/*
 * args.h - the declared arguments of an operation.
 *
 * Every row of an operation table (dispatch.h) points at an array of
 * struct op_arg ending with {NULL}: each argument's name, type, limits and
 * whether it is required. The dispatcher checks the request's args against
 * it after access and before the handler (args_check): a missing required
 * argument, a value of the wrong type, out of its range, too long, not
 * UTF-8, with control characters or invisible format characters (bidi
 * controls, zero-width ones: textenc_invisible_at) is a field error naming
 * the argument,
 * and the handler does not run. What passes is normalized in place, so a
 * handler reads one form whatever the client sent:
 *
 *   type        accepted                                   normalized to
 *   ARG_INT     JSON integer, decimal text ("12")          JSON integer
 *   ARG_STR     JSON string                                 (as is)
 *   ARG_BOOL    true/false, "true"/"false", the "on"/"1"   JSON boolean
 *               of an HTML checkbox, "0"
 *   ARG_DATE    "YYYY-MM-DD" or "DD.MM.YYYY"                "YYYY-MM-DD"
 *   ARG_MONTH   "YYYY-MM"                                   (as is)
 *   ARG_MONEY   "30500.00", "80 000,50 ₽" (money_parse_input) "30500.00"
 *               or a JSON number, in kopecks min..max
 *   ARG_HOURS   8, 7.2, "7,2" (hours_parse_input),          (as is)
 *               hundredths up to max
 *   ARG_ENUM    one of values[]                             (as is)
 *   ARG_OBJECT  a JSON object (ARG_OR_TEXT: or a string)    (as is)
 *   ARG_ARRAY   a JSON array of min..max items (ARG_OR_TEXT: (as is)
 *               or a string); its items as .items declares
 *
 * A JSON null is a missing argument; so is "" for every type but
 * ARG_STR (an HTML form sends its empty fields), unless ARG_EMPTY. Strings: at most max
 * characters (UTF-8 characters, not bytes), no control characters but
 * TAB (and line breaks with ARG_MULTILINE or ARG_OR_TEXT), no NUL, no
 * invisible format characters ("invisible": U+202E and the other bidi
 * controls, U+200B and the other zero-width ones; textenc.h); a
 * required string is not empty. Arguments that are not declared are left
 * alone (a form's _csrf, a submit button's name).
 *
 * Nested values are declared the same way, so no handler checks a field by
 * hand and the generated test reaches every field (system.ops lists the
 * declarations): .items of an ARG_ARRAY declares its elements, either the
 * members of object elements (a list of op_arg ending with ARG_END; an
 * element that is no object is a field error "days[3]") or, as a list of
 * one entry named "" (ARG_ITEM), a scalar element; .items of an ARG_OBJECT
 * declares its members. Members and elements are checked, normalized and
 * removed when bad exactly like arguments, named "days[3].title",
 * "days[3].rows[0].code", "employees[2]", "responsible.email" (a bad or
 * empty element of an array stays in place, so the indexes keep their
 * meaning). An argument with .items needs an example (with at least one
 * element for an array) that passes the whole declaration.
 *
 * An argument that fails is removed from args, and the handler still runs
 * on what is left, so its own field errors (a subdomain taken, a date range
 * backwards) come in the same answer; the dispatcher then answers 422 and
 * rolls back whatever the handler did (dispatch.h).
 *
 * example: a valid value as JSON text. Every required argument has one
 * (dispatch_init refuses a table without, and checks each against its own
 * declaration): tests build valid requests from them (system.ops lists the
 * declarations), so a new operation is tested by adding its row.
 */
#ifndef CABINET_ARGS_H
#define CABINET_ARGS_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

enum arg_type {
	ARG_INT,
	ARG_STR,
	ARG_BOOL,
	ARG_DATE,
	ARG_MONTH,
	ARG_MONEY,
	ARG_HOURS,
	ARG_ENUM,
	ARG_OBJECT,
	ARG_ARRAY,
};

enum arg_flags {
	ARG_REQUIRED = 1 << 0,
	ARG_OR_TEXT = 1 << 1,   /* ARG_OBJECT/ARG_ARRAY: a string is accepted too (the handler
	                           parses it: "1,2,3", the text of a JSON object) */
	ARG_MULTILINE = 1 << 2, /* ARG_STR: line breaks (CR, LF) allowed: a file's text */
	ARG_EMPTY = 1 << 3,     /* "" is a value, kept for the handler (a form that clears
	                           a field with it), not a missing argument */
	ARG_SECRET = 1 << 4,    /* ARG_STR: a password - compared, not shown, so not text:
	                           any characters (no control, invisible or blank checks),
	                           max in bytes; "" is missing. A new password's own
	                           rules are password_check()'s */
	ARG_HINT_ALL = 1 << 5,  /* ARG_STR: the hint says every refusal of the text (too
	                           long, control or invisible characters, not UTF-8), not
	                           only its length: an upload's file name */
};

/* The longest string an ARG_OR_TEXT argument may be, in bytes. */
#define ARGS_TEXT_MAX (1024 * 1024)

struct op_arg {
	const char *name;
	enum arg_type type;
	unsigned flags;
	/* ARG_INT: the range; ARG_STR: max = characters (0: ARGS_TEXT_MAX bytes);
	 * ARG_MONEY: kopecks; ARG_HOURS: max hundredths; ARG_ARRAY: items */
	int64_t min, max;
	const char *const *values;  /* ARG_ENUM: NULL-terminated */
	const char *example;        /* a valid value as JSON text (required arguments) */
	const char *hint;           /* Russian text of a type/value error (else by type) */
	const char *missing;        /* Russian text when a required one is missing or empty:
	                               what to give and why (else "Обязательное поле") */
	const struct op_arg *items; /* ARG_ARRAY: its elements; ARG_OBJECT: its members */
	const char *field;          /* the field its refusal is reported on, when not its
	                               name: the file name's is the form's "file" */
};

/* Readable rows for the common cases. */
#define ARG_ROW_ID(name_, flags_)                                                                  \
	{                                                                                          \
		.name = name_, .type = ARG_INT, .flags = flags_, .min = 1, .max = INT64_MAX,       \
		.example = "1"                                                                     \
	}
#define ARG_ROW_DATE(name_, flags_)                                                                \
	{                                                                                          \
		.name = name_, .type = ARG_DATE, .flags = flags_, .example = "\"2025-04-01\""      \
	}
#define ARG_ROW_MONTH(name_, flags_)                                                               \
	{                                                                                          \
		.name = name_, .type = ARG_MONTH, .flags = flags_, .example = "\"2025-04\""        \
	}
/* The declaration of an array's scalar elements: .items = (const struct op_arg[]){ARG_ITEM(...)} */
#define ARG_ITEM(type_, ...)                                                                       \
	{                                                                                          \
		.name = "", .type = type_, __VA_ARGS__                                             \
	}
#define ARG_END                                                                                    \
	{                                                                                          \
		.name = NULL                                                                       \
	}

/* An upload's file name: the cgi passes the multipart part's filename as
 * "filename" (cut past 1024 bytes: cgi/httpparse.h; its control characters
 * kept). At most ARGS_FILE_NAME_MAX characters, the limit of every column
 * that keeps one (request_files.name, import_uploads.filename), and no
 * control or invisible characters (\x01, DEL; a tab is taken and given back
 * as "_": requests_files.c): such a name is refused by
 * the declaration (422 at the form's field "file", the hint saying what a
 * name may be), never cut in silence, failed by the database or answered
 * as a malformed body. Every operation that takes a file declares it with
 * this row. */
#define ARGS_FILE_NAME_MAX 255
#define ARGS_FILE_NAME_HINT                                                                                                                      \
	"Имя файла — не длиннее 255 символов, без управляющих и невидимых символов: " \
	"переименуйте файл и приложите его снова"
#define ARG_ROW_FILE_NAME                                                                          \
	{                                                                                          \
		.name = "filename", .type = ARG_STR, .flags = ARG_HINT_ALL,                        \
		.max = ARGS_FILE_NAME_MAX, .hint = ARGS_FILE_NAME_HINT, .field = "file"            \
	}

/* An upload's name without the sender's folders ("../x/a.csv",
 * "C:\\x\\a.csv" -> "a.csv"); NULL for NULL, and NULL for a name that is
 * only folders. Points into name. */
const char *args_file_base(const char *name);

/* 1 when a text shows nothing (textenc_blank(): only Unicode white space
 * and invisible characters): a required text that is blank is missing,
 * "required" with the field's own sentence, as "" is (trial-break F3). Every
 * required free text is checked with it: the declared ARG_REQUIRED strings
 * here, and the texts a handler requires itself (a question's text). */
int args_blank(const char *s, size_t len);

/* No arguments. */
extern const struct op_arg args_none[];

/* What checking one value gives. */
enum args_verdict {
	ARGS_KEEP,    /* valid as it is */
	ARGS_REPLACE, /* valid; *out is its normal form (a new reference) */
	ARGS_ABSENT,  /* null or an empty form field: as if not sent */
	ARGS_BAD,     /* *code and *why say what is wrong */
};

/*
 * Checks v (lent; NULL = missing) against one declaration. For ARGS_BAD,
 * *code is a stable code ("required", "type", "too_long", "range", "date",
 * "month", "money", "hours", "invalid", "control", "invisible", "encoding") and *why the
 * Russian sentence, in why_buf (why_len bytes) or static. A missing
 * required argument is ARGS_BAD with code "required".
 */
enum args_verdict args_check_value(const struct op_arg *a, json_object *v, json_object **out,
                                   const char **code, const char **why, char *why_buf,
                                   size_t why_len);

/* Where args_check_nested reports a problem: the field's full name, the
 * code and the sentence (as args_check_value's). */
typedef void (*args_report_fn)(void *data, const char *field, const char *code, const char *why);

/*
 * Checks what a->items declares inside v (v passed a's own check): the
 * members of each object element of an array, each scalar element, or the
 * members of an object, recursively; field names start with name. Each
 * problem is reported (the bad member removed, a bad element left in
 * place), normal forms replace their values in place. Returns the number
 * of problems (0 when a declares no items or v is text of ARG_OR_TEXT).
 */
int args_check_nested(const struct op_arg *a, json_object *v, const char *name,
                      args_report_fn report, void *data);

/* The type's name in system.ops ("int", "string", ...). */
const char *args_type_name(enum arg_type t);
/* One declaration as JSON (a new object), for system.ops. */
json_object *args_describe(const struct op_arg *a);
/* 0 when every required argument has an example and every example passes
 * its own declaration; else -1 with *bad naming the argument. */
int args_selfcheck(const struct op_arg *list, const char **bad);

#endif
