/* Declared arguments of operations (core/args.h): what each type accepts,
 * what it is normalized to, and the field error of what it refuses; and
 * every operation table passing dispatch_init's checks. */
#include "args.h"
#include "check.h"
#include "date.h"
#include "dispatch.h"
#include "ops.h"

#include <stdio.h>
#include <string.h>

static const char *const kinds[] = {"week", "cycle", NULL};

static const struct op_arg decls[] = {
    /* 0 */ {"id", ARG_INT, ARG_REQUIRED, .min = 1, .max = 1000, .example = "1"},
    /* 1 */ {"note", ARG_STR, 0, .max = 5},
    /* 2 */ {.name = "flag", .type = ARG_BOOL},
    /* 3 */ ARG_ROW_DATE("from", 0),
    /* 4 */ ARG_ROW_MONTH("month", ARG_REQUIRED),
    /* 5 */ {"rate", ARG_MONEY, 0, .min = 0, .max = 100000000},
    /* 6 */ {"hours", ARG_HOURS, 0, .max = 2400},
    /* 7 */ {"kind", ARG_ENUM, 0, .values = kinds, .hint = "Вид графика: week или cycle"},
    /* 8 */ {.name = "obj", .type = ARG_OBJECT},
    /* 9 */ {"list", ARG_ARRAY, 0, .min = 1, .max = 3},
    /* 10 */ {"ids", ARG_ARRAY, ARG_OR_TEXT, .min = 0, .max = 3},
    /* 11 */ {"name", ARG_STR, ARG_REQUIRED, .max = 10, .example = "\"x\""},
    /* 12 */ {"text", ARG_STR, ARG_MULTILINE, .max = 10},
    ARG_END,
};

struct acase {
	int decl;
	const char *in; /* JSON text; NULL: the argument is missing */
	enum args_verdict want;
	const char *out;  /* ARGS_REPLACE: the normalized JSON text; ARGS_BAD: the code */
	const char *hint; /* ARGS_BAD: a fragment of the sentence */
};

static const struct acase cases[] = {
    /* integers: JSON numbers and decimal text (query strings, forms) */
    {0, "5", ARGS_KEEP, NULL, NULL},
    {0, "\"42\"", ARGS_REPLACE, "42", NULL},
    {0, "0", ARGS_BAD, "invalid", "от 1 до 1000"},
    {0, "1001", ARGS_BAD, "invalid", NULL},
    {0, "\"4x\"", ARGS_BAD, "invalid", NULL},
    {0, "\" 4\"", ARGS_BAD, "invalid", NULL},
    {0, "4.0", ARGS_BAD, "invalid", NULL},
    {0, "true", ARGS_BAD, "invalid", NULL},
    {0, NULL, ARGS_BAD, "required", "Обязательное"},
    {0, "null", ARGS_BAD, "required", NULL},
    {0, "\"\"", ARGS_BAD, "required", NULL},
    /* strings: type, characters (not bytes), control characters, UTF-8 */
    {1, "\"абвгд\"", ARGS_KEEP, NULL, NULL},
    {1, "\"абвгде\"", ARGS_BAD, "too_long", "Не длиннее 5"},
    {1, "12345", ARGS_BAD, "type", "строка"},
    {1, "\"a\\u0000b\"", ARGS_BAD, "control", NULL},
    {1, "\"a\\nb\"", ARGS_BAD, "control", NULL},
    {1, "\"a\\tb\"", ARGS_KEEP, NULL, NULL},
    {1, "\"\"", ARGS_KEEP, NULL, NULL},
    {1, "null", ARGS_KEEP, NULL, NULL}, /* json-c: a null member is NULL, as missing */
    {1, NULL, ARGS_KEEP, NULL, NULL},
    {11, "\"\"", ARGS_BAD, "required", NULL},
    /* a required text that shows nothing is missing (F3) */
    {11, "\"   \"", ARGS_BAD, "required", NULL},
    {11, "\"\\u00a0\\u3000\"", ARGS_BAD, "required", NULL},
    {11, "\"\\u200b \\u00a0\"", ARGS_BAD, "required", NULL},
    {11, "\"\\u2800\\u3164\"", ARGS_BAD, "required", NULL},
    /* default-ignorable code points and marks without a base (trial-break3) */
    {11, "\"\\u034f\"", ARGS_BAD, "required", NULL},
    {11, "\"\\ufe0f\"", ARGS_BAD, "required", NULL},
    {11, "\"\\u17b4\"", ARGS_BAD, "required", NULL},
    {11, "\"\\u0301\\u0301\"", ARGS_BAD, "required", NULL},
    {11, "\"\\u115f \\u1160\\uffa0\"", ARGS_BAD, "required", NULL},
    {11, "\"\\u00e9\\u0301\"", ARGS_KEEP, NULL, NULL},
    {11, "\" a \"", ARGS_KEEP, NULL, NULL},
    {1, "\"   \"", ARGS_KEEP, NULL, NULL},
    /* noncharacters, and a lone surrogate escape (json-c gives U+FFFD;
     * jsonx_parse_object turns it into U+FFFF first): encoding (F4) */
    {1, "\"a\\uffffb\"", ARGS_BAD, "encoding", "U+FFFF"},
    {1, "\"a\\ufdd0\"", ARGS_BAD, "encoding", "U+FDD0"},
    {1, "\"a\\ufffdb\"", ARGS_KEEP, NULL, NULL},
    {12, "\"a\\r\\nb\"", ARGS_KEEP, NULL, NULL},
    {12, "\"a\\u0001\"", ARGS_BAD, "control", NULL},
    /* invisible characters that change what people see: refused, named */
    {1, "\"ab\\u202ec\"", ARGS_BAD, "invisible", "U+202E (смена направления текста)"},
    {1, "\"a\\u200fb\"", ARGS_BAD, "invisible", "U+200F"},
    {1, "\"a\\u2066b\"", ARGS_BAD, "invisible", "U+2066"},
    {1, "\"a\\u200bb\"", ARGS_BAD, "invisible", "U+200B (пробел нулевой ширины)"},
    {1, "\"a\\ufeff\"", ARGS_BAD, "invisible", "U+FEFF"},
    {1, "\"a\\u0085\"", ARGS_BAD, "control", "управляющие"},
    {12, "\"a\\nb\\u202a\"", ARGS_BAD, "invisible", "U+202A"},
    {12, "\"a\\u2028b\"", ARGS_BAD, "invisible", "U+2028"},
    {1, "\"Ёж-№1\"", ARGS_KEEP, NULL, NULL},
    {12, "\"ёлка,\\n«ёж»\"", ARGS_KEEP, NULL, NULL},
    {1, "\"1\\u00a0000\"", ARGS_KEEP, NULL, NULL}, /* a no-break space */
    /* booleans: JSON, or what HTML forms send */
    {2, "true", ARGS_KEEP, NULL, NULL},
    {2, "\"on\"", ARGS_REPLACE, "true", NULL},
    {2, "\"1\"", ARGS_REPLACE, "true", NULL},
    {2, "\"true\"", ARGS_REPLACE, "true", NULL},
    {2, "\"false\"", ARGS_REPLACE, "false", NULL},
    {2, "\"0\"", ARGS_REPLACE, "false", NULL},
    {2, "\"yes\"", ARGS_BAD, "type", "true или false"},
    {2, "1", ARGS_BAD, "type", NULL},
    {2, "\"\"", ARGS_ABSENT, NULL, NULL},
    /* dates: ISO or DD.MM.YYYY in, ISO out */
    {3, "\"2025-04-01\"", ARGS_KEEP, NULL, NULL},
    {3, "\"01.04.2025\"", ARGS_REPLACE, "\"2025-04-01\"", NULL},
    {3, "\"29.02.2024\"", ARGS_REPLACE, "\"2024-02-29\"", NULL},
    /* a day the month has not: said so, not the format again */
    {3, "\"29.02.2025\"", ARGS_BAD, "date", "нет в календаре"},
    {3, "\"2025-04-31\"", ARGS_BAD, "date", "нет в календаре"},
    {3, "\"32.01.2025\"", ARGS_BAD, "date", "ДД.ММ.ГГГГ"},
    {3, "\"1.4.2025\"", ARGS_BAD, "date", NULL},
    {3, "\"01.04.2025 \"", ARGS_BAD, "date", NULL},
    {3, "\"2025-4-1\"", ARGS_BAD, "date", NULL},
    {3, "20250401", ARGS_BAD, "date", NULL},
    {3, "\"\"", ARGS_ABSENT, NULL, NULL},
    /* months */
    {4, "\"2025-04\"", ARGS_KEEP, NULL, NULL},
    {4, "\"2025-13\"", ARGS_BAD, "month", "ГГГГ-ММ"},
    {4, "\"04.2025\"", ARGS_BAD, "month", NULL},
    {4, "\"\"", ARGS_BAD, "required", NULL},
    /* money: text or a JSON number, to the API's text */
    {5, "\"30000\"", ARGS_REPLACE, "\"30000.00\"", NULL},
    {5, "30000.5", ARGS_REPLACE, "\"30000.50\"", NULL},
    {5, "\"30 000\"", ARGS_REPLACE, "\"30000.00\"", NULL},
    {5, "\"80 000,50 \u20bd\"", ARGS_REPLACE, "\"80000.50\"", NULL},
    {5, "\"80 00\"", ARGS_BAD, "money", "80 000,50"},
    {5, "\"1000000.01\"", ARGS_BAD, "money", NULL},
    {5, "\"-5\"", ARGS_BAD, "money", NULL},
    {5, "\"много\"", ARGS_BAD, "money", NULL},
    /* hours */
    {6, "8", ARGS_KEEP, NULL, NULL},
    {6, "7.2", ARGS_KEEP, NULL, NULL},
    {6, "\"7,2\"", ARGS_KEEP, NULL, NULL},
    {6, "24.01", ARGS_BAD, "hours", "Часы: от 0 до 24"},
    {6, "\"x\"", ARGS_BAD, "hours", NULL},
    {6, "-1", ARGS_BAD, "hours", NULL},
    /* enums: the hint is the message */
    {7, "\"cycle\"", ARGS_KEEP, NULL, NULL},
    {7, "\"month\"", ARGS_BAD, "invalid", "Вид графика: week или cycle"},
    {7, "7", ARGS_BAD, "invalid", NULL},
    {7, "\"\"", ARGS_ABSENT, NULL, NULL},
    /* objects and arrays */
    {8, "{}", ARGS_KEEP, NULL, NULL},
    {8, "[]", ARGS_BAD, "type", "объект"},
    {8, "\"{}\"", ARGS_BAD, "type", NULL},
    {9, "[1]", ARGS_KEEP, NULL, NULL},
    {9, "[]", ARGS_BAD, "invalid", "от 1 до 3"},
    {9, "[1, 2, 3, 4]", ARGS_BAD, "invalid", NULL},
    {9, "\"1,2\"", ARGS_BAD, "invalid", NULL},
    {10, "\"1,2\"", ARGS_KEEP, NULL, NULL},
    {10, "[1, 2]", ARGS_KEEP, NULL, NULL},
    {10, "\"a\\u0001\"", ARGS_BAD, "control", NULL},
};

TEST(test_arg_cases)
{
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct acase *c = &cases[i];
		json_object *in = c->in ? json_tokener_parse(c->in) : NULL, *out = NULL;
		const char *code, *why;
		char buf[256];
		enum args_verdict r;

		if (c->in && in == NULL && strcmp(c->in, "null") != 0) {
			fprintf(stderr, "case %zu: bad JSON %s\n", i, c->in);
			CHECK(0);
			continue;
		}
		r = args_check_value(&decls[c->decl], in, &out, &code, &why, buf, sizeof(buf));
		if (r != c->want)
			fprintf(stderr, "case %zu (%s %s): verdict %d, want %d (%s)\n", i,
			        decls[c->decl].name, c->in ? c->in : "missing", r, c->want,
			        why ? why : "");
		CHECK_INT(r, c->want);
		if (r == ARGS_REPLACE && c->want == ARGS_REPLACE)
			CHECK_STR(json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN),
			          c->out);
		if (r == ARGS_BAD && c->want == ARGS_BAD) {
			CHECK_STR(code, c->out);
			CHECK(why && *why);
			if (c->hint && (why == NULL || strstr(why, c->hint) == NULL)) {
				fprintf(stderr, "case %zu: \"%s\" lacks \"%s\"\n", i, why, c->hint);
				CHECK(0);
			}
		}
		json_object_put(in);
		json_object_put(out);
	}
}

/* Bytes that are not UTF-8 in a string are named as such (json-c builds
 * such strings when a caller does; the frame parser refuses them). */
/* A count shown to people agrees with its noun: "Не длиннее 21 символа",
 * "Не длиннее 22 символов" (the genitive after a comparative). */
TEST(test_limits_are_said_with_the_right_plural)
{
	static const struct {
		int64_t max;
		const char *why;
	} lim[] = {
	    {1, "Не длиннее 1 символа"},    {2, "Не длиннее 2 символов"},
	    {5, "Не длиннее 5 символов"},   {11, "Не длиннее 11 символов"},
	    {21, "Не длиннее 21 символа"},  {22, "Не длиннее 22 символов"},
	    {25, "Не длиннее 25 символов"}, {101, "Не длиннее 101 символа"},
	};

	for (size_t i = 0; i < sizeof(lim) / sizeof(lim[0]); i++) {
		struct op_arg a = {"title", ARG_STR, 0, .max = lim[i].max};
		char text[512] = "\"", buf[256];
		const char *code = NULL, *why = NULL;
		json_object *out = NULL, *in;
		for (int64_t k = 0; k <= lim[i].max; k++)
			strcat(text, "я");
		strcat(text, "\"");
		in = json_tokener_parse(text);
		CHECK_INT(args_check_value(&a, in, &out, &code, &why, buf, sizeof(buf)), ARGS_BAD);
		CHECK_STR(code, "too_long");
		CHECK_STR(why, lim[i].why);
		json_object_put(in);
	}
}

TEST(test_arg_not_utf8)
{
	json_object *v = json_object_new_string("caf\xe9"), *out = NULL;
	const char *code, *why;
	char buf[128];

	CHECK_INT(args_check_value(&decls[1], v, &out, &code, &why, buf, sizeof(buf)), ARGS_BAD);
	CHECK_STR(code, "encoding");
	CHECK_INT(args_check_value(&decls[3], v, &out, &code, &why, buf, sizeof(buf)), ARGS_BAD);
	CHECK_STR(code, "encoding");
	json_object_put(v);
}

TEST(test_selfcheck)
{
	static const struct op_arg no_example[] = {
	    {"id", ARG_INT, ARG_REQUIRED, .min = 1, .max = 9}, ARG_END};
	static const struct op_arg bad_example[] = {
	    {"id", ARG_INT, ARG_REQUIRED, .min = 1, .max = 9, .example = "10"}, ARG_END};
	const char *bad;

	CHECK_INT(args_selfcheck(decls, &bad), 0);
	if (bad)
		fprintf(stderr, "selfcheck: %s\n", bad);
	CHECK_INT(args_selfcheck(no_example, &bad), -1);
	CHECK_STR(bad, "id");
	CHECK_INT(args_selfcheck(bad_example, &bad), -1);
}

/* Nested declarations (.items): members of object elements, scalar
 * elements, members of an object, recursively; each problem named by its
 * place, normal forms written in place, bad members removed. */
struct seen {
	char fields[8][64];
	char codes[8][16];
	int n;
};

static void nested_report(void *data, const char *field, const char *code, const char *why)
{
	struct seen *s = data;

	CHECK(why && *why);
	if (s->n < 8) {
		snprintf(s->fields[s->n], sizeof(s->fields[0]), "%s", field);
		snprintf(s->codes[s->n], sizeof(s->codes[0]), "%s", code);
	}
	s->n++;
}

/* the sentences of the problems, in order */
struct whys {
	char why[4][128];
	int n;
};

static void nested_report_why(void *data, const char *field, const char *code, const char *why)
{
	struct whys *w = data;

	(void)field;
	(void)code;
	if (w->n < 4)
		snprintf(w->why[w->n], sizeof(w->why[0]), "%s", why);
	w->n++;
}

TEST(test_nested)
{
	static const struct op_arg row[] = {
	    {"code", ARG_STR, 0, .max = 4}, {"hours", ARG_HOURS, 0, .max = 2400}, ARG_END};
	static const struct op_arg day[] = {
	    ARG_ROW_DATE("date", 0),
	    {"rows", ARG_ARRAY, 0, .min = 0, .max = 2, .items = row},
	    ARG_END};
	static const struct op_arg ints[] = {ARG_ITEM(ARG_INT, .min = 1, .max = 99), ARG_END};
	static const struct op_arg person[] = {{"email", ARG_STR, 0, .max = 10}, ARG_END};
	static const struct op_arg decls2[] = {
	    {"days", ARG_ARRAY, 0, .min = 1, .max = 3, .items = day,
	     .example = "[{\"date\": \"2025-01-01\", \"rows\": [{\"code\": \"Я\"}]}]"},
	    {"ids", ARG_ARRAY, 0, .min = 1, .max = 3, .items = ints, .example = "[1]"},
	    {"who", ARG_OBJECT, 0, .items = person, .example = "{\"email\": \"a@b.ru\"}"},
	    ARG_END};
	static const struct op_arg empty_example[] = {
	    {"ids", ARG_ARRAY, 0, .min = 0, .max = 3, .items = ints, .example = "[]"}, ARG_END};
	static const struct op_arg no_example[] = {
	    {"ids", ARG_ARRAY, 0, .min = 0, .max = 3, .items = ints}, ARG_END};
	json_object *days = json_tokener_parse(
	    "[{\"date\": \"31.12.2025\", \"rows\": [{\"code\": \"Я\", \"hours\": \"7,5\"}, "
	    "{\"code\": 12, \"hours\": \"x\"}]}, 5, {\"date\": \"\", \"rows\": [1, 2, 3]}]");
	json_object *ids = json_tokener_parse("[\"7\", 0, \"\"]");
	json_object *who = json_tokener_parse("{\"email\": \"too-long@mail.example\", \"x\": 1}");
	struct seen s = {0};
	const char *bad;

	CHECK_INT(args_check_nested(&decls2[0], days, "days", nested_report, &s), 4);
	CHECK_STR(s.fields[0], "days[0].rows[1].code");
	CHECK_STR(s.codes[0], "type");
	CHECK_STR(s.fields[1], "days[0].rows[1].hours");
	CHECK_STR(s.codes[1], "hours");
	CHECK_STR(s.fields[2], "days[1]");
	CHECK_STR(s.codes[2], "type");
	CHECK_STR(s.fields[3], "days[2].rows");
	CHECK_STR(s.codes[3], "invalid");
	CHECK_INT(s.n, 4); /* days[2].date "" is an empty field: absent, not bad */
	/* the normal form in place, the bad members gone, the bad element kept */
	CHECK_STR(
	    json_object_to_json_string_ext(days, JSON_C_TO_STRING_PLAIN),
	    "[{\"date\":\"2025-12-31\",\"rows\":[{\"code\":\"Я\",\"hours\":\"7,5\"},{}]},5,{}]");
	memset(&s, 0, sizeof(s));
	CHECK_INT(args_check_nested(&decls2[1], ids, "ids", nested_report, &s), 1);
	CHECK_STR(s.fields[0], "ids[1]");
	CHECK_STR(json_object_to_json_string_ext(ids, JSON_C_TO_STRING_PLAIN), "[7,0,\"\"]");
	memset(&s, 0, sizeof(s));
	CHECK_INT(args_check_nested(&decls2[2], who, "who", nested_report, &s), 1);
	CHECK_STR(s.fields[0], "who.email");
	CHECK_STR(s.codes[0], "too_long");
	/* a day the month has not is named so, hint or not */
	{
		static const struct op_arg child[] = {
		    {"from", ARG_DATE, 0, .hint = "Укажите дату начала"}, ARG_END};
		static const struct op_arg children = {"children", ARG_ARRAY, 0,
		                                       .min = 0,   .max = 2,  .items = child};
		json_object *c =
		    json_tokener_parse("[{\"from\": \"31.02.2025\"}, {\"from\": \"x\"}]");
		struct whys w = {0};

		CHECK_INT(args_check_nested(&children, c, "children", nested_report_why, &w), 2);
		CHECK_STR(w.why[0], DATE_NO_SUCH_DAY);
		CHECK_STR(w.why[1], "Укажите дату начала");
		json_object_put(c);
	}
	/* an argument with items needs an example with an element that passes */
	CHECK_INT(args_selfcheck(decls2, &bad), 0);
	CHECK_INT(args_selfcheck(empty_example, &bad), -1);
	CHECK_INT(args_selfcheck(no_example, &bad), -1);
	CHECK_STR(bad, "ids");
	json_object_put(days);
	json_object_put(ids);
	json_object_put(who);
}

/* Every operation of every module: a declaration whose required arguments
 * carry valid examples, and no name twice. */
TEST(test_every_operation_declares)
{
	int ops = 0;

	CHECK_INT(dispatch_init(), 0);
	for (int t = 0; ops_tables[t]; t++)
		for (const struct op *op = ops_tables[t]; op->name; op++) {
			CHECK(op->args != NULL);
			CHECK(dispatch_find(op->name) == op);
			ops++;
		}
	CHECK(ops > 50);
}

int main(void)
{
	RUN(test_arg_cases);
	RUN(test_limits_are_said_with_the_right_plural);
	RUN(test_arg_not_utf8);
	RUN(test_selfcheck);
	RUN(test_nested);
	RUN(test_every_operation_declares);
	return check_report();
}
