/* worktime.h: the hours arguments of the time operations and document titles. */
#include "check.h"
#include "t13.h"
#include "worktime.h"

#include <string.h>

static int parse(json_object *v, int32_t max, int32_t *out)
{
	int rc = worktime_hours(v, max, out);

	json_object_put(v);
	return rc;
}

TEST(test_hours)
{
	int32_t h = -1;

	CHECK_INT(parse(json_object_new_int(8), 2400, &h), 0);
	CHECK_INT(h, 800);
	CHECK_INT(parse(json_object_new_double_s(7.2, "7.2"), 2400, &h), 0);
	CHECK_INT(h, 720);
	CHECK_INT(parse(json_object_new_string("7,25"), 2400, &h), 0); /* as people type it */
	CHECK_INT(h, 725);
	CHECK_INT(parse(json_object_new_string("24"), 2400, &h), 0);
	CHECK_INT(h, 2400);
	h = 1;
	CHECK_INT(parse(json_object_new_string("24.01"), 2400, &h), -1);
	CHECK_INT(h, 1); /* untouched */
	CHECK_INT(parse(json_object_new_int(-1), 2400, &h), -1);
	CHECK_INT(parse(json_object_new_string("8.125"), 2400, &h), -1);
	CHECK_INT(parse(json_object_new_string(""), 2400, &h), -1);
	CHECK_INT(parse(json_object_new_string("восемь"), 2400, &h), -1);
	CHECK_INT(parse(json_object_new_boolean(1), 2400, &h), -1);
	CHECK_INT(worktime_hours(NULL, 2400, &h), -1);
	CHECK_INT(parse(json_object_new_string("168"), 16800, &h), 0);
	CHECK_INT(h, 16800);
}

TEST(test_hours_json)
{
	json_object *v = worktime_hours_json(720);

	CHECK_STR(json_object_to_json_string(v), "7.2");
	json_object_put(v);
	v = worktime_hours_json(1972 * 100);
	CHECK_STR(json_object_to_json_string(v), "1972");
	json_object_put(v);
}

TEST(test_titles)
{
	CHECK_STR(worktime_document_title(T13_B), "Больничный");
	CHECK_STR(worktime_document_title(T13_OT), "Отпуск основной");
	CHECK(strlen(worktime_document_title(T13_ZB)) > 0); /* the code's meaning */
	CHECK_STR(worktime_document_title(99), "Документ");
}

/* T-13 codes as people type them: any case, spaces, Latin look-alikes. */
TEST(test_code_input)
{
	static const struct {
		const char *typed;
		int number;
	} cases[] = {
	    {"РВ", T13_RV}, {"рв", T13_RV}, {"Рв", T13_RV}, {" р в ", T13_RV}, {"PB", T13_RV},
	    {"pb", T13_RV}, {"Б", T13_B},   {"б", T13_B},   {"C", T13_S},     {"c", T13_S},
	    {"H", T13_N},   {"HH", T13_NN}, {"нН", T13_NN}, {"OT", T13_OT},   {"от", T13_OT},
	    {"K", T13_K},   {"T", T13_T},   {"B", T13_V},   {"BM", T13_VM},   {"ОЖ", T13_OZH},
	    {"я", T13_YA},  {"ЯЯ", 0},      {"", 0},        {"  ", 0},        {"X1", 0},
	    {"Q", 0},       {"ё", 0},
	};
	char norm[16];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct t13_code *c = t13_find(cases[i].typed);
		if ((c ? c->number : 0) != cases[i].number)
			fprintf(stderr, "t13_find(\"%s\")\n", cases[i].typed);
		CHECK_INT(c ? c->number : 0, cases[i].number);
	}
	CHECK(t13_find(NULL) == NULL);
	CHECK_INT(t13_normalize("рв", norm, sizeof(norm)), 0);
	CHECK_STR(norm, "РВ");
	CHECK_INT(t13_normalize("ВМ", norm, 4), -1); /* out too short */
}

int main(void)
{
	RUN(test_code_input);
	RUN(test_hours);
	RUN(test_hours_json);
	RUN(test_titles);
	return check_report();
}
