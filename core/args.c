#include "args.h"

#include "date.h"
#include "hours.h"
#include "jsonx.h"
#include "money.h"
#include "ru.h"
#include "textenc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <unistr.h>

const struct op_arg args_none[] = {ARG_END};

static const char *const args_type_names[] = {
    [ARG_INT] = "int",       [ARG_STR] = "string",  [ARG_BOOL] = "bool",   [ARG_DATE] = "date",
    [ARG_MONTH] = "month",   [ARG_MONEY] = "money", [ARG_HOURS] = "hours", [ARG_ENUM] = "enum",
    [ARG_OBJECT] = "object", [ARG_ARRAY] = "array",
};

const char *args_type_name(enum arg_type t)
{
	return (unsigned)t < sizeof(args_type_names) / sizeof(args_type_names[0])
	           ? args_type_names[t]
	           : "unknown";
}

static int args_is_str(json_object *v)
{
	return json_object_is_type(v, json_type_string);
}

/* A string's checks: UTF-8, no NUL or control characters but TAB (and CR
 * and LF when lines), no invisible format characters (textenc.h: bidi
 * controls, zero-width ones), at most max characters (0: ARGS_TEXT_MAX bytes).
 * NULL, or the failure's code. */
int args_blank(const char *s, size_t len)
{
	const uint8_t *p = (const uint8_t *)s, *end = p + len;

	if (!textenc_utf8_valid(s, len))
		return 0;
	if (textenc_blank(s, len))
		return 1;
	/* by Unicode's properties: white space, default-ignorable code points
	 * (U+034F, variation selectors, U+17B4, ...), marks (a combining mark
	 * with no letter before it shows nothing), controls; textenc_blank()
	 * adds the fillers that are none of these (U+3164, U+2800, ...) */
	while (p < end) {
		ucs4_t c;
		int n = u8_mbtouc(&c, p, (size_t)(end - p));
		if (!uc_is_property_white_space(c) &&
		    !uc_is_property_default_ignorable_code_point(c) &&
		    !uc_is_general_category(c, UC_CATEGORY_M) &&
		    !uc_is_general_category(c, UC_CATEGORY_Cc) &&
		    !textenc_blank((const char *)p, (size_t)n))
			return 0;
		p += n;
	}
	return 1;
}

static const char *args_check_text(json_object *v, int64_t max, int lines, const char **why,
                                   char *buf, size_t len)
{
	const char *s = json_object_get_string(v);
	size_t bytes = (size_t)json_object_get_string_len(v), chars = 0;

	unsigned cp;
	if (!textenc_utf8_valid(s, bytes)) {
		*why = "Текст не в кодировке UTF-8";
		return "encoding";
	}
	if (textenc_noncharacter(s, bytes, &cp)) {
		/* a lone surrogate escape arrives as U+FFFF (jsonx.h) */
		snprintf(buf, len,
		         "Текст не в кодировке UTF-8: недопустимый символ U+%04X (одиночный "
		         "суррогат или несимвол Юникода)",
		         cp);
		*why = buf;
		return "encoding";
	}
	const char *what;
	if (textenc_invisible_at(s, bytes, lines, &cp, &what) < bytes) {
		*why = textenc_invisible_why(cp, what, buf, len);
		return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) ? "control" : "invisible";
	}
	for (size_t i = 0; i < bytes; i++)
		chars += ((unsigned char)s[i] & 0xc0) != 0x80; /* characters, not bytes */
	if ((max > 0 && chars > (uint64_t)max) || (max <= 0 && bytes > ARGS_TEXT_MAX)) {
		long long most = max > 0 ? max : ARGS_TEXT_MAX;
		snprintf(buf, len, "Не длиннее %lld %s", most,
		         ru_plural(most, "символа", "символов", "символов"));
		*why = buf;
		return "too_long";
	}
	return NULL;
}

static enum args_verdict args_int(const struct op_arg *a, json_object *v, json_object **out)
{
	long long n;

	if (json_object_is_type(v, json_type_int)) {
		n = json_object_get_int64(v);
	} else if (args_is_str(v)) {
		const char *s = json_object_get_string(v);
		char *end;
		errno = 0;
		n = strtoll(s, &end, 10);
		if (errno || end == s || *end || *s == ' ' || *s == '+')
			return ARGS_BAD;
	} else {
		return ARGS_BAD;
	}
	if (n < a->min || n > a->max)
		return ARGS_BAD;
	if (args_is_str(v)) {
		*out = json_object_new_int64(n);
		return ARGS_REPLACE;
	}
	return ARGS_KEEP;
}

static enum args_verdict args_bool(json_object *v, json_object **out)
{
	static const char *const yes[] = {"true", "on", "1", NULL}, *const no[] = {"false", "0",
	                                                                           NULL};

	if (json_object_is_type(v, json_type_boolean))
		return ARGS_KEEP;
	if (!args_is_str(v))
		return ARGS_BAD;
	for (int i = 0; yes[i]; i++)
		if (strcmp(json_object_get_string(v), yes[i]) == 0) {
			*out = json_object_new_boolean(1);
			return ARGS_REPLACE;
		}
	for (int i = 0; no[i]; i++)
		if (strcmp(json_object_get_string(v), no[i]) == 0) {
			*out = json_object_new_boolean(0);
			return ARGS_REPLACE;
		}
	return ARGS_BAD;
}

static enum args_verdict args_date(json_object *v, json_object **out)
{
	char iso[DATE_BUFSZ];
	int d;

	if (!args_is_str(v) || date_parse_input(json_object_get_string(v), &d) < 0)
		return ARGS_BAD;
	date_format(d, iso);
	if (strcmp(iso, json_object_get_string(v)) == 0)
		return ARGS_KEEP;
	*out = json_object_new_string(iso);
	return ARGS_REPLACE;
}

static enum args_verdict args_money(const struct op_arg *a, json_object *v, json_object **out)
{
	char text[MONEY_BUFSZ];
	int64_t k;

	if (!(args_is_str(v) || json_object_is_type(v, json_type_int) ||
	      json_object_is_type(v, json_type_double)))
		return ARGS_BAD;
	/* a parsed JSON number keeps the text it was written as */
	if (money_parse_input(json_object_get_string(v), a->min < 0 ? MONEY_ALLOW_NEGATIVE : 0,
			      &k) < 0 ||
	    k < a->min || k > (a->max ? a->max : MONEY_MAX))
		return ARGS_BAD;
	money_format(k, text);
	*out = json_object_new_string(text);
	return ARGS_REPLACE;
}

static enum args_verdict args_hours(const struct op_arg *a, json_object *v)
{
	int32_t h;

	if (!(args_is_str(v) || json_object_is_type(v, json_type_int) ||
	      json_object_is_type(v, json_type_double)))
		return ARGS_BAD;
	/* a parsed JSON number keeps its text; "7,2" as people write it */
	if (hours_parse_input(json_object_get_string(v), &h) < 0 || h < a->min ||
	    (a->max && h > a->max))
		return ARGS_BAD;
	return ARGS_KEEP;
}

/* The Russian text of a type or value error of a. */
static const char *args_explain(const struct op_arg *a, char *buf, size_t len)
{
	size_t used = 0;

	if (a->hint)
		return a->hint;
	switch (a->type) {
	case ARG_INT:
		if (a->max == INT64_MAX)
			snprintf(buf, len, "Целое число не меньше %lld", (long long)a->min);
		else
			snprintf(buf, len, "Целое число от %lld до %lld", (long long)a->min,
			         (long long)a->max);
		return buf;
	case ARG_STR:
		return "Ожидается строка";
	case ARG_BOOL:
		return "Да или нет: true или false";
	case ARG_DATE:
		snprintf(buf, len, "Дата в виде ДД.ММ.ГГГГ или ГГГГ-ММ-ДД с %d по %d год",
		         DATE_MIN_YEAR, DATE_MAX_YEAR);
		return buf;
	case ARG_MONTH:
		snprintf(buf, len, "Месяц в виде ГГГГ-ММ с %d по %d год", DATE_MIN_YEAR,
		         DATE_MAX_YEAR);
		return buf;
	case ARG_MONEY: {
		char lo[MONEY_RU_BUFSZ], hi[MONEY_RU_BUFSZ];
		money_format_ru(a->min, lo);
		money_format_ru(a->max ? a->max : MONEY_MAX, hi);
		snprintf(buf, len, "Сумма в рублях, например 80 000 или 80 000,50: от %s до %s", lo,
		         hi);
		return buf;
	}
	case ARG_HOURS: {
		char lo[HOURS_BUFSZ], hi[HOURS_BUFSZ], *p;
		hours_format((int32_t)a->min, lo);
		hours_format(a->max ? (int32_t)a->max : HOURS_MAX, hi);
		for (p = lo; (p = strchr(p, '.')) != NULL;) /* "7,2" in Russian text */
			*p = ',';
		for (p = hi; (p = strchr(p, '.')) != NULL;)
			*p = ',';
		snprintf(buf, len, "Часы: от %s до %s", lo, hi);
		return buf;
	}
	case ARG_ENUM:
		used = (size_t)snprintf(buf, len, "Допустимые значения:");
		for (int i = 0; a->values && a->values[i] && used < len; i++)
			used += (size_t)snprintf(buf + used, len - used, "%s %s", i ? "," : "",
			                         a->values[i]);
		return buf;
	case ARG_OBJECT:
		return "Ожидается объект";
	case ARG_ARRAY:
		snprintf(buf, len, "Ожидается список от %lld до %lld %s", (long long)a->min,
		         (long long)a->max,
		         ru_plural(a->max, "элемента", "элементов", "элементов"));
		return buf;
	}
	return "Недопустимое значение";
}

static const char *args_type_code(enum arg_type t)
{
	switch (t) {
	case ARG_DATE:
		return "date";
	case ARG_MONTH:
		return "month";
	case ARG_MONEY:
		return "money";
	case ARG_HOURS:
		return "hours";
	case ARG_STR:
	case ARG_BOOL:
	case ARG_OBJECT:
		return "type";
	default:
		return "invalid";
	}
}

enum args_verdict args_check_value(const struct op_arg *a, json_object *v, json_object **out,
                                   const char **code, const char **why, char *why_buf,
                                   size_t why_len)
{
	enum args_verdict r = ARGS_BAD;

	*out = NULL;
	*code = NULL;
	*why = NULL;
	if (v == NULL || json_object_is_type(v, json_type_null) ||
	    (a->type != ARG_STR && !(a->flags & ARG_EMPTY) && args_is_str(v) &&
	     json_object_get_string_len(v) == 0) ||
	    (a->type == ARG_STR && (a->flags & ARG_REQUIRED) && args_is_str(v) &&
	     ((a->flags & ARG_SECRET) ? json_object_get_string_len(v) == 0
	                              : args_blank(json_object_get_string(v),
	                                           (size_t)json_object_get_string_len(v))))) {
		if (!(a->flags & ARG_REQUIRED))
			return v == NULL ? ARGS_KEEP : ARGS_ABSENT;
		*code = "required";
		*why = a->missing ? a->missing : "Обязательное поле";
		return ARGS_BAD;
	}
	if (args_is_str(v) && a->type == ARG_STR && (a->flags & ARG_SECRET)) {
		/* a password: only its length, in bytes */
		if (a->max > 0 && json_object_get_string_len(v) > a->max) {
			snprintf(why_buf, why_len, "Не длиннее %lld байт", (long long)a->max);
			*why = why_buf;
			*code = "too_long";
			return ARGS_BAD;
		}
		return ARGS_KEEP;
	}
	if (args_is_str(v) && (a->type == ARG_STR || (a->flags & ARG_OR_TEXT))) {
		const char *c = args_check_text(v, a->type == ARG_STR ? a->max : 0,
		                                (a->flags & (ARG_MULTILINE | ARG_OR_TEXT)) != 0,
		                                why, why_buf, why_len);
		if (c) {
			/* a string's own limit said in its words ("Серия паспорта —
			 * 4 цифры", the file name's 255 characters) */
			if ((strcmp(c, "too_long") == 0 || (a->flags & ARG_HINT_ALL)) &&
			    a->type == ARG_STR && a->hint)
				*why = a->hint;
			*code = c;
			return ARGS_BAD;
		}
		return ARGS_KEEP;
	}
	if ((a->flags & ARG_EMPTY) && args_is_str(v) && json_object_get_string_len(v) == 0)
		return ARGS_KEEP;
	if (args_is_str(v) &&
	    !textenc_utf8_valid(json_object_get_string(v), (size_t)json_object_get_string_len(v))) {
		*code = "encoding";
		*why = "Текст не в кодировке UTF-8";
		return ARGS_BAD;
	}
	switch (a->type) {
	case ARG_INT:
		r = args_int(a, v, out);
		break;
	case ARG_STR:
		r = ARGS_BAD;
		break; /* not a string */
	case ARG_BOOL:
		r = args_bool(v, out);
		break;
	case ARG_DATE:
		r = args_date(v, out);
		break;
	case ARG_MONTH: {
		int y, m;
		r = args_is_str(v) && date_parse_month(json_object_get_string(v), &y, &m) == 0
		        ? ARGS_KEEP
		        : ARGS_BAD;
		break;
	}
	case ARG_MONEY:
		r = args_money(a, v, out);
		break;
	case ARG_HOURS:
		r = args_hours(a, v);
		break;
	case ARG_ENUM:
		for (int i = 0; args_is_str(v) && a->values && a->values[i]; i++)
			if (strcmp(json_object_get_string(v), a->values[i]) == 0)
				r = ARGS_KEEP;
		break;
	case ARG_OBJECT:
		r = json_object_is_type(v, json_type_object) ? ARGS_KEEP : ARGS_BAD;
		break;
	case ARG_ARRAY:
		r = json_object_is_type(v, json_type_array) &&
		            (int64_t)json_object_array_length(v) >= a->min &&
		            (a->max == 0 || (int64_t)json_object_array_length(v) <= a->max)
		        ? ARGS_KEEP
		        : ARGS_BAD;
		break;
	}
	if (r == ARGS_BAD) {
		*code = args_type_code(a->type);
		/* a day the month has not is said so, whatever the hint says
		 * of the format (the format was right) */
		*why = a->type == ARG_DATE && args_is_str(v) &&
		               date_input_no_such_day(json_object_get_string(v))
		           ? DATE_NO_SUCH_DAY
		           : args_explain(a, why_buf, why_len);
	}
	return r;
}

/* "name[i]" or "name.member" for a report, in buf. */
static const char *args_field(char *buf, size_t len, const char *name, const char *member, size_t i)
{
	int n;

	if (member)
		n = snprintf(buf, len, "%s.%s", name, member);
	else
		n = snprintf(buf, len, "%s[%zu]", name, i);
	/* the declared names are short: a cut one still names the field */
	if (n < 0)
		buf[0] = '\0';
	return buf;
}

/* The members of object o as the list decl declares them. */
static int args_check_members(const struct op_arg *decl, json_object *o, const char *name,
                              args_report_fn report, void *data)
{
	int bad = 0;

	for (const struct op_arg *m = decl; m->name; m++) {
		json_object *v = jsonx_get(o, m->name), *norm = NULL;
		const char *code, *why;
		char why_buf[512], field[512];

		args_field(field, sizeof(field), name, m->name, 0);
		switch (args_check_value(m, v, &norm, &code, &why, why_buf, sizeof(why_buf))) {
		case ARGS_KEEP:
			break;
		case ARGS_REPLACE:
			json_object_object_add(o, m->name, norm);
			v = norm;
			break;
		case ARGS_ABSENT:
			json_object_object_del(o, m->name);
			v = NULL;
			break;
		case ARGS_BAD:
			report(data, field, code, why);
			json_object_object_del(o, m->name);
			v = NULL;
			bad++;
			break;
		}
		if (v)
			bad += args_check_nested(m, v, field, report, data);
	}
	return bad;
}

int args_check_nested(const struct op_arg *a, json_object *v, const char *name,
                      args_report_fn report, void *data)
{
	int bad = 0;

	if (a->items == NULL || v == NULL)
		return 0;
	if (a->type == ARG_OBJECT)
		return json_object_is_type(v, json_type_object)
		           ? args_check_members(a->items, v, name, report, data)
		           : 0;
	if (a->type != ARG_ARRAY || !json_object_is_type(v, json_type_array))
		return 0; /* the text form of ARG_OR_TEXT is the handler's */
	for (size_t i = 0; i < json_object_array_length(v); i++) {
		json_object *e = json_object_array_get_idx(v, i), *norm = NULL;
		const char *code, *why;
		char why_buf[512], field[512];

		args_field(field, sizeof(field), name, NULL, i);
		if (a->items[0].name && a->items[0].name[0] == '\0') {
			/* scalar elements: a bad or empty one stays where it is */
			switch (args_check_value(&a->items[0], e, &norm, &code, &why, why_buf,
			                         sizeof(why_buf))) {
			case ARGS_REPLACE:
				json_object_array_put_idx(v, i, norm);
				e = norm;
				break;
			case ARGS_BAD:
				report(data, field, code, why);
				bad++;
				continue;
			case ARGS_KEEP:
			case ARGS_ABSENT:
				break;
			}
			bad += args_check_nested(&a->items[0], e, field, report, data);
		} else if (!json_object_is_type(e, json_type_object)) {
			report(data, field, "type", "Ожидается объект");
			bad++;
		} else {
			bad += args_check_members(a->items, e, field, report, data);
		}
	}
	return bad;
}

json_object *args_describe(const struct op_arg *a)
{
	json_object *o = json_object_new_object();

	jsonx_set_str(o, "name", a->name);
	jsonx_set_str(o, "type", args_type_name(a->type));
	jsonx_set_bool(o, "required", (a->flags & ARG_REQUIRED) != 0);
	if (a->flags & ARG_OR_TEXT)
		jsonx_set_bool(o, "or_text", 1);
	if (a->flags & ARG_MULTILINE)
		jsonx_set_bool(o, "multiline", 1);
	if (a->flags & ARG_EMPTY)
		jsonx_set_bool(o, "empty_clears", 1);
	if (a->type == ARG_INT || a->type == ARG_MONEY || a->type == ARG_HOURS ||
	    a->type == ARG_ARRAY) {
		jsonx_set_int(o, "min", a->min);
		if (a->max)
			jsonx_set_int(o, "max", a->max);
	}
	if (a->type == ARG_STR)
		jsonx_set_int(o, "max_length", a->max > 0 ? a->max : ARGS_TEXT_MAX);
	if (a->values) {
		json_object *vals = json_object_new_array();
		for (int i = 0; a->values[i]; i++)
			json_object_array_add(vals, json_object_new_string(a->values[i]));
		json_object_object_add(o, "values", vals);
	}
	if (a->example)
		json_object_object_add(o, "example", json_tokener_parse(a->example));
	if (a->items) {
		json_object *items = json_object_new_array();
		for (const struct op_arg *m = a->items; m->name; m++)
			json_object_array_add(items, args_describe(m));
		json_object_object_add(o, "items", items);
	}
	return o;
}

static void args_count_problem(void *data, const char *field, const char *code, const char *why)
{
	(void)field;
	(void)code;
	(void)why;
	(*(int *)data)++;
}

/* The nested declarations: enums with values, no required member without
 * an example (members need none: the argument's example holds them). */
static int args_selfcheck_items(const struct op_arg *items, const char **bad)
{
	for (const struct op_arg *m = items; m->name; m++) {
		*bad = m->name;
		if (m->type == ARG_ENUM && m->values == NULL)
			return -1;
		if (m->items && args_selfcheck_items(m->items, bad) < 0)
			return -1;
	}
	return 0;
}

int args_selfcheck(const struct op_arg *list, const char **bad)
{
	for (const struct op_arg *a = list; a->name; a++) {
		json_object *ex, *norm = NULL;
		const char *code, *why;
		char buf[256];
		enum args_verdict r;
		int problems = 0;

		*bad = a->name;
		if (a->type == ARG_ENUM && a->values == NULL)
			return -1;
		if (a->example == NULL) {
			if ((a->flags & ARG_REQUIRED) || a->items)
				return -1;
			continue;
		}
		ex = json_tokener_parse(a->example);
		r = ex ? args_check_value(a, ex, &norm, &code, &why, buf, sizeof(buf)) : ARGS_BAD;
		if (r != ARGS_BAD && r != ARGS_ABSENT && a->items &&
		    (args_check_nested(a, norm ? norm : ex, a->name, args_count_problem,
		                       &problems) ||
		     (a->type == ARG_ARRAY && json_object_is_type(ex, json_type_array) &&
		      json_object_array_length(ex) == 0) ||
		     args_selfcheck_items(a->items, bad) < 0))
			r = ARGS_BAD;
		json_object_put(ex);
		json_object_put(norm);
		if (r == ARGS_BAD || r == ARGS_ABSENT)
			return -1;
	}
	*bad = NULL;
	return 0;
}

const char *args_file_base(const char *name)
{
	const char *slash, *back;

	if (name == NULL)
		return NULL;
	slash = strrchr(name, '/');
	back = strrchr(name, '\\');
	if (back && (slash == NULL || back > slash))
		slash = back;
	name = slash ? slash + 1 : name;
	return *name ? name : NULL;
}
