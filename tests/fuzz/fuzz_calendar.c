/*
 * fuzz_calendar.c - core/calendar.h calendar_load_xml on an imported file.
 *
 * The input is an xmlcalendar year as an administrator would upload it.
 * When it loads, the round trip calendar.h promises must hold: the year
 * emitted as XML loads again and emits the same text, and so does its JSON
 * form; and the year's norms can be computed.
 */
#include "calendar.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct calendar *cal = calendar_new(), *again = NULL, *from_json = NULL;
	struct calendar_error err;
	struct calendar_norm norm;
	struct buf x1 = BUF_INIT, x2 = BUF_INIT, x3 = BUF_INIT;
	json_object *js = NULL;
	int first, last;

	memset(&err, 0, sizeof(err));
	if (calendar_load_xml(cal, (const char *)data, size, &err) != 0) {
		FUZZ_ASSERT(err.message[0] != '\0');
		FUZZ_ASSERT(memchr(err.message, 0, sizeof(err.message)) != NULL);
		FUZZ_ASSERT(memchr(err.field, 0, sizeof(err.field)) != NULL);
		goto done;
	}
	FUZZ_ASSERT(calendar_years(cal, &first, &last) == 1 && first == last);
	FUZZ_ASSERT(calendar_emit_xml(cal, first, &x1) == 0);
	FUZZ_ASSERT(calendar_year_norm(cal, first, CALENDAR_WEEK_40, &norm) == 0);
	FUZZ_ASSERT(calendar_year_norm(cal, first, CALENDAR_WEEK_24, &norm) == 0);
	for (int month = 1; month <= 12; month++)
		FUZZ_ASSERT(calendar_month_norm(cal, first, month, CALENDAR_WEEK_36, &norm) == 0);

	again = calendar_new();
	if (calendar_load_xml(again, x1.data, x1.len, &err) != 0) {
		fprintf(stderr, "emitted XML does not load: line %d: %s\n%.*s\n", err.line,
		        err.message, (int)x1.len, x1.data);
		abort();
	}
	FUZZ_ASSERT(calendar_emit_xml(again, first, &x2) == 0);
	FUZZ_ASSERT(x1.len == x2.len && memcmp(x1.data, x2.data, x1.len) == 0);

	js = calendar_to_json(cal, first);
	FUZZ_ASSERT(js != NULL);
	from_json = calendar_new();
	if (calendar_load_json(from_json, js, &err) != 0) {
		fprintf(stderr, "JSON form does not load: %s: %s\n%s\n", err.field, err.message,
		        json_object_to_json_string(js));
		abort();
	}
	FUZZ_ASSERT(calendar_emit_xml(from_json, first, &x3) == 0);
	FUZZ_ASSERT(x1.len == x3.len && memcmp(x1.data, x3.data, x1.len) == 0);
done:
	json_object_put(js);
	buf_free(&x1);
	buf_free(&x2);
	buf_free(&x3);
	calendar_free(from_json);
	calendar_free(again);
	calendar_free(cal);
	return 0;
}
