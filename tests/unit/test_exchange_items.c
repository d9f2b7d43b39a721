/*
 * test_exchange_items.c - core/exchange_items.h: the batch reader and the
 * check of one item as sent, by a table of cases. The properties over any
 * input are fuzzed (tests/fuzz/fuzz_exchange.c); these are the answers.
 */
#include "check.h"
#include "date.h"
#include "exchange_items.h"
#include "jsonx.h"

#include <stdlib.h>

struct errs {
	char text[2000];
};

static void errs_add(void *arg, int index, const char *key, const char *code, const char *text)
{
	struct errs *e = arg;
	size_t n = strlen(e->text);

	(void)text;
	snprintf(e->text + n, sizeof(e->text) - n, "%s%d:%s:%s", n ? " " : "", index,
	         key ? key : "-", code);
}

/* The reader: what it answers for a body, and the items as JSON texts. */
TEST(reader_cases)
{
	static const struct {
		const char *body;
		int rc;
		int count;
		const char *items; /* the items re-serialized, joined by ' ' */
		const char *errors;
	} cases[] = {
	    {"{\"items\": []}", 0, 0, "", ""},
	    {" {\"items\" : [ {\"a\":1} , null,7,\"x\" ] } \n", 0, 4, "{\"a\":1} null 7 \"x\"", ""},
	    {"{\"\\u0069tems\": [{}]}", 0, 1, "{}", ""},
	    {"{\"items\": [], \"extra\": {\"deep\": [1]}}", 0, 0, "", "-1:extra:unknown"},
	    {"{\"items\": [], \"\": 1}", 0, 0, "", "-1:\"\":unknown"},
	    {"{\"items\": [], \"items\": [{}]}", 0, 0, "", "-1:items:duplicate"},
	    {"{\"items\": [{\"a\": 1}, {\"b\": {\"c\": 1, \"c\": 2}, \"a\": 1}]}", 0, 2,
	     "{\"a\":1} {\"b\":{\"c\":2},\"a\":1}", "-1:items[1].b.c:duplicate"},
	    {"{}", -2, 0, "", ""},
	    {"{\"items\": {}}", -3, 0, "", ""},
	    {"{\"items\": [1 2]}", -1, 0, "", ""},
	    {"{\"items\": [1,]}", -1, 0, "", ""},
	    {"{\"items\": [1]} x", -1, 0, "", ""},
	    {"{\"items\": [1]", -1, 0, "", ""},
	    {"[]", -1, 0, "", ""},
	    {"{\"items\": [\"\\u0418\"]}", 0, 1, "\"И\"", ""},
	    {"{\"items\": [\"\xff\"]}", -1, 0, "", ""},
	    {"", -1, 0, "", ""},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct errs e = {{0}};
		struct exchange_errors sink = {errs_add, &e};
		struct exchange_reader r;
		const char *why = NULL;
		char items[500] = "";
		json_object *v;
		int rc =
		    exchange_reader_open(&r, cases[i].body, strlen(cases[i].body), &sink, &why);
		if (rc != cases[i].rc)
			fprintf(stderr, "case %zu: %s\n", i, cases[i].body);
		CHECK_INT(rc, cases[i].rc);
		CHECK(rc != -1 || (why && *why));
		if (rc == 0) {
			CHECK_INT(r.count, cases[i].count);
			while (exchange_reader_next(&r, &v)) {
				size_t n = strlen(items);
				snprintf(items + n, sizeof(items) - n, "%s%s", n ? " " : "",
				         jsonx_dump(v, NULL));
				json_object_put(v);
			}
			CHECK_STR(items, cases[i].items);
		}
		CHECK_STR(e.text, cases[i].errors);
		exchange_reader_close(&r);
	}
}

/* Parses a JSON object from a literal (test input is well-formed). */
static json_object *obj(const char *text)
{
	const char *why;
	json_object *o = jsonx_parse_object(text, strlen(text), &why);

	if (o == NULL) {
		fprintf(stderr, "bad test JSON: %s\n", why);
		abort();
	}
	return o;
}

/* One employee item: the normalized values. */
TEST(employee_values)
{
	struct arena *a = arena_new();
	struct errs e = {{0}};
	struct exchange_errors sink = {errs_add, &e};
	struct exchange_item it;
	json_object *in = obj(
	    "{\"external_id\": \" e-1 \", \"full_name\": \"  Иванов  Иван \", \"birth_date\": "
	    "\"17.05.1990\", \"phone\": \"8 (912) 345-67-89\", \"snils\": \"112-233-445 95\", "
	    "\"department\": null, \"insurance_record\": {\"years\": 7, \"months\": 3, \"as_of\": "
	    "\"01.01.2025\"}, \"schedules\": [{\"date_from\": \"2025-01-01\", \"schedule\": "
	    "\"Пятидневка\"}, {\"date_from\": \"15.01.2024\", \"schedule\": 3}], \"pay\": "
	    "[{\"date_from\": \"2025-01-01\", \"rate\": 70000, \"pay_by\": \"days\", \"norm\": "
	    "\"summed\"}, {\"date_from\": \"2024-01-15\", \"rate\": \"60000.5\", \"pay_by\": "
	    "\"hours\"}]}");

	CHECK_INT(exchange_item_check(a, EXCHANGE_EMPLOYEES, 0, in, 0, &it, &sink), 0);
	CHECK_STR(e.text, "");
	CHECK_STR(it.ext, "e-1");
	CHECK_STR(it.val[EF_NAME], "Иванов Иван");
	CHECK_STR(it.val[EF_BIRTH], "1990-05-17");
	CHECK_STR(it.val[EF_PHONE], "+79123456789");
	CHECK_STR(it.val[EF_SNILS], "11223344595");
	CHECK(it.given[EF_DEP] && it.val[EF_DEP] == NULL); /* null clears */
	CHECK(!it.given[EF_EMAIL] && it.val[EF_EMAIL] == NULL);
	CHECK_STR(it.val[EF_INSURANCE], "7|3|2025-01-01");
	CHECK_STR(it.val[EF_SCHEDULES], "2024-01-15:1:#3\n2025-01-01:0:=Пятидневка");
	CHECK_STR(it.val[EF_PAY], "2024-01-15:60000.50:hours:,2025-01-01:70000.00:days:summed");
	json_object_put(in);
	arena_free(a);
}

/* Bad values: every field named, with its code, paths inside lists. */
TEST(employee_errors)
{
	struct arena *a = arena_new();
	struct errs e = {{0}};
	struct exchange_errors sink = {errs_add, &e};
	struct exchange_item it;
	json_object *in =
	    obj("{\"email\": \"x\", \"colour\": 1, \"full_name\": null, \"hired\": \"2025-13-01\", "
	        "\"schedules\": [{\"date_from\": \"2024-01-15\", \"schedule\": 0}, {\"date_from\": "
	        "\"2024-02-01\", \"schedule\": \"A\", \"x\": 1}], \"pay\": [{\"date_from\": "
	        "\"2024-01-15\", \"rate\": \"1.00\", \"pay_by\": \"days\"}, {\"date_from\": "
	        "\"2024-01-15\", \"rate\": \"2.00\", \"pay_by\": \"days\"}]}");

	CHECK_INT(exchange_item_check(a, EXCHANGE_EMPLOYEES, 3, in, 0, &it, &sink), -1);
	CHECK(it.bad && it.ext == NULL);
	CHECK_STR(e.text, "3:email:format 3:colour:unknown 3:full_name:required 3:hired:date "
	                  "3:schedules[0].schedule:type 3:schedules[1].x:unknown 3:pay:duplicate "
	                  "3:external_id:required");
	json_object_put(in);
	/* the rules across one item's fields */
	e.text[0] = '\0';
	{
		const char *val[16] = {0};
		val[EF_HIRED] = "2025-02-01";
		val[EF_DISMISSED] = "2025-01-31";
		CHECK_INT(exchange_item_rules(EXCHANGE_EMPLOYEES, 4, NULL, val, &sink), -1);
		CHECK_STR(e.text, "4:dismissed:order");
	}
	arena_free(a);
}

static void msgs_add(void *arg, int index, const char *key, const char *code, const char *text)
{
	struct errs *e = arg;
	size_t n = strlen(e->text);

	(void)index;
	(void)code;
	snprintf(e->text + n, sizeof(e->text) - n, "%s%s: %s", n ? "\n" : "", key ? key : "-",
	         text);
}

/* A day the month has not is named as such, in the employee's own dates and
 * in the lists; a date in another form is told the form. */
TEST(date_messages)
{
	struct arena *a = arena_new();
	struct errs e = {{0}};
	struct exchange_errors sink = {msgs_add, &e};
	struct exchange_item it;
	json_object *in = obj(
	    "{\"external_id\": \"e-1\", \"full_name\": \"Иванов Иван\", \"hired\": \"31.06.2026\", "
	    "\"birth_date\": \"1990/01/01\", \"schedules\": [{\"date_from\": \"2026-02-30\", "
	    "\"schedule\": 1}], \"pay\": [{\"date_from\": \"31.04.2026\", \"rate\": 1000, "
	    "\"pay_by\": \"days\"}]}");

	CHECK_INT(exchange_item_check(a, EXCHANGE_EMPLOYEES, 0, in, 0, &it, &sink), -1);
	CHECK_STR(e.text, "hired: " DATE_NO_SUCH_DAY "\n"
	                  "birth_date: Дата в виде ГГГГ-ММ-ДД (или ДД.ММ.ГГГГ)\n"
	                  "schedules[0].date_from: " DATE_NO_SUCH_DAY "\n"
	                  "pay[0].date_from: " DATE_NO_SUCH_DAY);
	json_object_put(in);
	arena_free(a);
}

/* A personal-file record: fields of another kind are errors. */
TEST(personal_file_rules)
{
	struct arena *a = arena_new();
	struct errs e = {{0}};
	struct exchange_errors sink = {errs_add, &e};
	struct exchange_item it;
	json_object *in = obj("{\"external_id\": \"r\", \"employee\": \"e\", \"kind\": \"trip\", "
	                      "\"course\": \"x\", \"destination\": \"Казань\", \"date_from\": "
	                      "\"2025-02-02\", \"date_to\": \"2025-02-01\"}");

	CHECK_INT(exchange_item_check(a, EXCHANGE_PERSONAL_FILE, 0, in, 0, &it, &sink), 0);
	CHECK_INT(exchange_item_rules(EXCHANGE_PERSONAL_FILE, 0, in, it.val, &sink), -1);
	CHECK_STR(e.text, "0:course:kind 0:date_to:order");
	CHECK(it.val[exchange_field_index(EXCHANGE_PERSONAL_FILE, "course")] == NULL);
	CHECK_STR(it.val[exchange_field_index(EXCHANGE_PERSONAL_FILE, "destination")], "Казань");
	json_object_put(in);
	arena_free(a);
}

/* A KPI: the period's three forms, numbers to two decimals, each bad value named. */
TEST(kpi_values)
{
	static const struct {
		const char *item;
		const char *period, *plan, *fact; /* normalized, when good */
		const char *errors;
	} cases[] = {
	    {"{\"external_id\": \"k\", \"employee\": \"e\", \"period\": \"2026-03\", \"name\": "
	     "\"Продажи\", \"unit\": \"руб.\", \"plan\": 1200000, \"fact\": \"1150000.5\"}",
	     "2026-03", "1200000.00", "1150000.50", ""},
	    {"{\"external_id\": \"k\", \"period\": \"2026-q2\", \"plan\": 95.5, \"fact\": null}",
	     "2026-Q2", "95.50", NULL, ""},
	    {"{\"external_id\": \"k\", \"period\": \"2026\", \"plan\": -3.25}", "2026", "-3.25",
	     NULL, ""},
	    {"{\"external_id\": \"k\", \"period\": \"2026-13\", \"plan\": 1.005, \"fact\": "
	     "\"много\"}",
	     NULL, NULL, NULL, "0:period:period 0:plan:number 0:fact:number"},
	    {"{\"external_id\": \"k\", \"period\": \"2026-Q5\", \"plan\": 1e3, \"fact\": true}",
	     NULL, NULL, NULL, "0:period:period 0:plan:number 0:fact:number"},
	    {"{\"external_id\": \"k\", \"period\": \"1999\", \"name\": null}", NULL, NULL, NULL,
	     "0:period:period 0:name:required"},
	    {"{\"external_id\": \"k\", \"period\": \"26-03\", \"plan\": 10000000000000}", NULL,
	     NULL, NULL, "0:period:period 0:plan:number"},
	};
	struct arena *a = arena_new();
	int fp = exchange_field_index(EXCHANGE_KPI, "period");

	CHECK_INT(fp, KF_PERIOD);
	CHECK_STR(exchange_kind_route(EXCHANGE_KPI), "kpi");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct errs e = {{0}};
		struct exchange_errors sink = {errs_add, &e};
		struct exchange_item it;
		json_object *in = obj(cases[i].item);
		exchange_item_check(a, EXCHANGE_KPI, 0, in, 0, &it, &sink);
		if (strcmp(e.text, cases[i].errors) != 0)
			fprintf(stderr, "case %zu: %s\n", i, cases[i].item);
		CHECK_STR(e.text, cases[i].errors);
		if (cases[i].period) {
			CHECK_STR(it.val[KF_PERIOD], cases[i].period);
			CHECK_STR(it.val[KF_PLAN], cases[i].plan);
			if (cases[i].fact)
				CHECK_STR(it.val[KF_FACT], cases[i].fact);
			else
				CHECK(it.val[KF_FACT] == NULL);
		}
		json_object_put(in);
	}
	arena_free(a);
}

int main(void)
{
	RUN(reader_cases);
	RUN(employee_values);
	RUN(employee_errors);
	RUN(date_messages);
	RUN(personal_file_rules);
	RUN(kpi_values);
	return check_report();
}
