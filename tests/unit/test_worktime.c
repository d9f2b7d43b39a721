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

int main(void)
{
	RUN(test_hours);
	RUN(test_hours_json);
	RUN(test_titles);
	return check_report();
}
