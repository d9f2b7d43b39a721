/* Tables for money.h and hours.h: parsing, formatting, rounding. */
#include "check.h"
#include "hours.h"
#include "money.h"

#include <json-c/json.h>

struct money_case {
	const char *text;
	int flags;
	int ok;
	int64_t kopecks;
};

static const struct money_case money_cases[] = {
    {"30500.00", 0, 1, 3050000},
    {"30500", 0, 1, 3050000},
    {"30500.5", 0, 1, 3050050},
    {"30500.05", 0, 1, 3050005},
    {"0", 0, 1, 0},
    {"0.01", 0, 1, 1},
    {"0.1", 0, 1, 10},
    {"9999999999999.99", 0, 1, INT64_C(999999999999999)},
    {"10000000000000", 0, 0, 0},
    {"99999999999999999999999", 0, 0, 0},
    {"30500.001", 0, 0, 0},
    {"30500.", 0, 0, 0},
    {".5", 0, 0, 0},
    {"", 0, 0, 0},
    {" 1", 0, 0, 0},
    {"1 ", 0, 0, 0},
    {"1 000", 0, 0, 0},
    {"+1", 0, 0, 0},
    {"+1", MONEY_ALLOW_NEGATIVE, 0, 0},
    {"1e3", 0, 0, 0},
    {"1E3", 0, 0, 0},
    {"1,5", 0, 0, 0},
    {"007", 0, 0, 0},
    {"0.00", 0, 1, 0},
    {"-1", 0, 0, 0},
    {"-1.25", MONEY_ALLOW_NEGATIVE, 1, -125},
    {"-0.01", MONEY_ALLOW_NEGATIVE, 1, -1},
    {"-", MONEY_ALLOW_NEGATIVE, 0, 0},
    {"--1", MONEY_ALLOW_NEGATIVE, 0, 0},
    {"-9999999999999.99", MONEY_ALLOW_NEGATIVE, 1, -INT64_C(999999999999999)},
    {"0x10", 0, 0, 0},
    {"NaN", 0, 0, 0},
    {"1.2.3", 0, 0, 0},
};

TEST(test_money_parse)
{
	size_t i;

	for (i = 0; i < sizeof(money_cases) / sizeof(money_cases[0]); i++) {
		const struct money_case *c = &money_cases[i];
		int64_t v = -777;
		int rc = money_parse(c->text, c->flags, &v);

		if ((rc == 0) != c->ok)
			fprintf(stderr, "money_parse(\"%s\")\n", c->text);
		CHECK_INT(rc == 0, c->ok);
		CHECK_INT(v, c->ok ? c->kopecks : -777);
	}
	CHECK(money_parse(NULL, 0, NULL) == -1);
}

struct format_case {
	int64_t kopecks;
	const char *api;
	const char *ru;
};

static const struct format_case format_cases[] = {
    {0, "0.00", "0,00\u00a0₽"},
    {1, "0.01", "0,01\u00a0₽"},
    {10, "0.10", "0,10\u00a0₽"},
    {3050000, "30500.00", "30\u00a0500,00\u00a0₽"},
    {123456789, "1234567.89", "1\u00a0234\u00a0567,89\u00a0₽"},
    {-123400, "-1234.00", "-1\u00a0234,00\u00a0₽"},
    {-5, "-0.05", "-0,05\u00a0₽"},
    {99999, "999.99", "999,99\u00a0₽"},
    {100000, "1000.00", "1\u00a0000,00\u00a0₽"},
    {INT64_C(999999999999999), "9999999999999.99", "9\u00a0999\u00a0999\u00a0999\u00a0999,99\u00a0₽"},
    {-INT64_C(999999999999999), "-9999999999999.99", "-9\u00a0999\u00a0999\u00a0999\u00a0999,99\u00a0₽"},
};

TEST(test_money_format)
{
	size_t i;
	char a[MONEY_BUFSZ], r[MONEY_RU_BUFSZ];

	for (i = 0; i < sizeof(format_cases) / sizeof(format_cases[0]); i++) {
		int64_t back;

		money_format(format_cases[i].kopecks, a);
		money_format_ru(format_cases[i].kopecks, r);
		CHECK_STR(a, format_cases[i].api);
		CHECK_STR(r, format_cases[i].ru);
		CHECK(money_parse(a, MONEY_ALLOW_NEGATIVE, &back) == 0);
		CHECK_INT(back, format_cases[i].kopecks);
	}
	/* INT64_MIN does not crash (it is outside numeric(15,2) anyway). */
	money_format(INT64_MIN, a);
	CHECK_STR(a, "-92233720368547758.08");
}

/* Amounts as people type them into forms (money_parse_input). */
static const struct money_case money_input_cases[] = {
    {"80000", 0, 1, 8000000},
    {"80 000", 0, 1, 8000000},
    {"80000,50", 0, 1, 8000050},
    {"80000.50", 0, 1, 8000050},
    {"80 000,00 ₽", 0, 1, 8000000},
    {"80\u00a0000,00\u00a0₽", 0, 1, 8000000},
    {"80\u202f000", 0, 1, 8000000},
    {"1 234 567,8", 0, 1, 123456780},
    {" 1 234,5 ", 0, 1, 123450},
    {"30000₽", 0, 1, 3000000},
    {"30 000 руб.", 0, 1, 3000000},
    {"30 000 руб", 0, 1, 3000000},
    {"30 000 р.", 0, 1, 3000000},
    {"0,5", 0, 1, 50},
    {"-1 000,00", MONEY_ALLOW_NEGATIVE, 1, -100000},
    {"-1 000,00", 0, 0, 0},
    {"80 00", 0, 0, 0},
    {"8 0000", 0, 0, 0},
    {"1234 567", 0, 0, 0},
    {"80 000,001", 0, 0, 0},
    {"80 000,", 0, 0, 0},
    {",5", 0, 0, 0},
    {"", 0, 0, 0},
    {"   ", 0, 0, 0},
    {"₽", 0, 0, 0},
    {"80 000 $", 0, 0, 0},
    {"80 000 ₽ ₽", 0, 0, 0},
    {"1e3", 0, 0, 0},
    {"007", 0, 0, 0},
    {"сто", 0, 0, 0},
    {"10 000 000 000 000", 0, 0, 0},
};

TEST(test_money_parse_input)
{
	for (size_t i = 0; i < sizeof(money_input_cases) / sizeof(money_input_cases[0]); i++) {
		const struct money_case *c = &money_input_cases[i];
		int64_t v = -777;
		int rc = money_parse_input(c->text, c->flags, &v);

		if ((rc == 0) != c->ok)
			fprintf(stderr, "money_parse_input(\"%s\")\n", c->text);
		CHECK_INT(rc == 0, c->ok);
		CHECK_INT(v, c->ok ? c->kopecks : -777);
	}
	CHECK(money_parse_input(NULL, 0, NULL) == -1);
	/* what the pages show is read back */
	for (size_t i = 0; i < sizeof(format_cases) / sizeof(format_cases[0]); i++) {
		int64_t back;
		CHECK(money_parse_input(format_cases[i].ru, MONEY_ALLOW_NEGATIVE, &back) == 0);
		CHECK_INT(back, format_cases[i].kopecks);
	}
}

struct muldiv_case {
	int64_t a, b, c, want;
};

static const struct muldiv_case muldiv_cases[] = {
    {3000000, 11, 24, 1375000}, /* 30000 × 11 / 24 = 13 750.00 */
    {3000000, 13, 24, 1625000},
    {1, 1, 2, 1},   /* 0.5 -> 1 */
    {-1, 1, 2, -1}, /* -0.5 -> -1 (away from zero) */
    {1, 1, -2, -1},
    {-1, -1, 2, 1},
    {1, 1, 3, 0}, /* 0.333 -> 0 */
    {2, 1, 3, 1}, /* 0.667 -> 1 */
    {-2, 1, 3, -1},
    {5, 1, 10, 1}, /* 0.5 -> 1 */
    {4, 1, 10, 0}, /* 0.4 -> 0 */
    {-4, 1, 10, 0},
    {15, 1, 10, 2}, /* 1.5 -> 2 */
    {25, 1, 10, 3}, /* 2.5 -> 3, not banker's 2 */
    {-25, 1, 10, -3},
    {INT64_C(999999999999999), INT64_C(999999999), INT64_C(999999999), INT64_C(999999999999999)},
    {INT64_C(999999999999999), 3100, 3100, INT64_C(999999999999999)},
    {0, 5, 7, 0},
};

TEST(test_money_muldiv)
{
	size_t i;
	int64_t r;

	for (i = 0; i < sizeof(muldiv_cases) / sizeof(muldiv_cases[0]); i++) {
		const struct muldiv_case *c = &muldiv_cases[i];

		CHECK(money_muldiv(c->a, c->b, c->c, &r) == 0);
		CHECK_INT(r, c->want);
	}
	CHECK(money_muldiv(1, 1, 0, &r) == -1);
	CHECK(money_muldiv(INT64_MAX, INT64_MAX, 1, &r) == -1);
	CHECK(money_muldiv(INT64_MAX, INT64_MAX, INT64_MAX, &r) == 0);
	CHECK_INT(r, INT64_MAX);
	CHECK_INT(money_muldiv_exact(7200000, 800, 14400), 400000);
}

/* Brute force: rounding matches the definition floor(x + 1/2) for x >= 0. */
TEST(test_money_muldiv_half_up_exhaustive)
{
	int64_t a, c, r;
	int bad = 0;

	for (a = -300; a <= 300; a++)
		for (c = 1; c <= 40; c++) {
			/* q = a/c rounded half away from zero: compare 2|a| with (2k+1)c. */
			int64_t abs_a = a < 0 ? -a : a;
			int64_t k = (2 * abs_a + c) / (2 * c);
			int64_t want = a < 0 ? -k : k;

			if (money_muldiv(a, 1, c, &r) != 0 || r != want)
				bad++;
		}
	CHECK_INT(bad, 0);
}

struct hours_case {
	const char *text;
	int ok;
	int32_t value;
};

static const struct hours_case hours_cases[] = {
    {"8", 1, 800},        {"7.2", 1, 720},
    {"0.25", 1, 25},      {"0.5", 1, 50},
    {"0", 1, 0},          {"24", 1, 2400},
    {"8.00", 1, 800},     {"7.20", 1, 720},
    {"12.34", 1, 1234},   {"1000000", 1, HOURS_MAX},
    {"1000000.01", 0, 0}, {"1000001", 0, 0},
    {"7.255", 0, 0},      {"-1", 0, 0},
    {"+1", 0, 0},         {"1e2", 0, 0},
    {".5", 0, 0},         {"5.", 0, 0},
    {"08", 0, 0},         {"", 0, 0},
    {" 8", 0, 0},         {"8 ", 0, 0},
    {"8h", 0, 0},         {"99999999999999999999", 0, 0},
};

TEST(test_hours_parse)
{
	size_t i;

	for (i = 0; i < sizeof(hours_cases) / sizeof(hours_cases[0]); i++) {
		int32_t v = -7;
		int rc = hours_parse(hours_cases[i].text, &v);

		if ((rc == 0) != hours_cases[i].ok)
			fprintf(stderr, "hours_parse(\"%s\")\n", hours_cases[i].text);
		CHECK_INT(rc == 0, hours_cases[i].ok);
		CHECK_INT(v, hours_cases[i].ok ? hours_cases[i].value : -7);
	}
}

TEST(test_hours_parse_input)
{
	static const struct hours_case cases[] = {
	    {"2,5", 1, 250}, {"2.5", 1, 250}, {" 8 ", 1, 800}, {"7,25", 1, 725},
	    {"0,5", 1, 50},  {"", 0, 0},      {" ", 0, 0},     {"2,,5", 0, 0},
	    {",5", 0, 0},    {"8 ч", 0, 0},   {"-1", 0, 0},    {"2,555", 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int32_t v = -7;
		int rc = hours_parse_input(cases[i].text, &v);
		if ((rc == 0) != cases[i].ok)
			fprintf(stderr, "hours_parse_input(\"%s\")\n", cases[i].text);
		CHECK_INT(rc == 0, cases[i].ok);
		CHECK_INT(v, cases[i].ok ? cases[i].value : -7);
	}
	CHECK(hours_parse_input(NULL, NULL) == -1);
}

TEST(test_hours_format)
{
	char b[HOURS_BUFSZ];
	int32_t v, back;

	hours_format(800, b);
	CHECK_STR(b, "8");
	hours_format(720, b);
	CHECK_STR(b, "7.2");
	hours_format(25, b);
	CHECK_STR(b, "0.25");
	hours_format(5, b);
	CHECK_STR(b, "0.05");
	hours_format(0, b);
	CHECK_STR(b, "0");
	hours_format(177440, b);
	CHECK_STR(b, "1774.4");
	hours_format(-150, b);
	CHECK_STR(b, "-1.5");
	for (v = 0; v <= 5000; v++) {
		hours_format(v, b);
		CHECK(hours_parse(b, &back) == 0 && back == v);
	}
}

/* json-c keeps the text of a parsed number, so hours never pass through binary fractions. */
TEST(test_hours_from_json_text)
{
	json_object *o = json_tokener_parse("{\"a\": 7.2, \"b\": 8, \"c\": 7.20, \"d\": 0.1, "
	                                    "\"e\": 1e2, \"f\": 0.29, \"g\": 7.255}");
	json_object *v;
	int32_t h;

	CHECK(o != NULL);
	CHECK(json_object_object_get_ex(o, "a", &v));
	CHECK_STR(json_object_get_string(v), "7.2");
	CHECK(hours_parse(json_object_get_string(v), &h) == 0 && h == 720);
	CHECK(json_object_object_get_ex(o, "b", &v));
	CHECK(hours_parse(json_object_get_string(v), &h) == 0 && h == 800);
	CHECK(json_object_object_get_ex(o, "c", &v));
	CHECK_STR(json_object_get_string(v), "7.20");
	CHECK(hours_parse(json_object_get_string(v), &h) == 0 && h == 720);
	CHECK(json_object_object_get_ex(o, "d", &v));
	CHECK(hours_parse(json_object_get_string(v), &h) == 0 && h == 10);
	CHECK(json_object_object_get_ex(o, "e", &v));
	CHECK(hours_parse(json_object_get_string(v), &h) == -1); /* exponent refused */
	CHECK(json_object_object_get_ex(o, "f", &v));
	CHECK(hours_parse(json_object_get_string(v), &h) == 0 && h == 29); /* 0.29 exactly */
	CHECK(json_object_object_get_ex(o, "g", &v));
	CHECK(hours_parse(json_object_get_string(v), &h) == -1);
	json_object_put(o);
}

int main(void)
{
	RUN(test_money_parse);
	RUN(test_money_format);
	RUN(test_money_parse_input);
	RUN(test_money_muldiv);
	RUN(test_money_muldiv_half_up_exhaustive);
	RUN(test_hours_parse);
	RUN(test_hours_parse_input);
	RUN(test_hours_format);
	RUN(test_hours_from_json_text);
	return check_report();
}
