/* calendar.h: the shipped Russian calendars, norms, traps, round trips, errors. */
#include "calendar.h"
#include "check.h"
#include "date.h"
#include "testutil.h"

static struct calendar *ru;

static unsigned day_bits(int y, int m, int d)
{
	return calendar_day(ru, date_from_ymd(y, m, d));
}

TEST(test_all_years_load)
{
	int y, first, last;

	CHECK(ru != NULL);
	if (ru == NULL)
		return;
	CHECK_INT(calendar_years(ru, &first, &last), TEST_RU_LAST - TEST_RU_FIRST + 1);
	CHECK_INT(first, 2013);
	CHECK_INT(last, 2026);
	for (y = TEST_RU_FIRST; y <= TEST_RU_LAST; y++) {
		struct calendar_norm n;

		CHECK(calendar_has_year(ru, y));
		CHECK(calendar_year_norm(ru, y, CALENDAR_WEEK_40, &n) == 0);
		/* Every Russian year of the period has 247 or 248 working days. */
		CHECK(n.days == 247 || n.days == 248);
	}
	CHECK(!calendar_has_year(ru, 2012));
	CHECK(!calendar_has_year(ru, 2027));
}

struct year_total {
	int year, days;
	int32_t hours;
};

/* Official totals (calendars/README.md; 2013-2021 from the Ministry of Labour). */
static const struct year_total year_totals[] = {
    {2013, 247, 197000}, {2014, 247, 197000}, {2015, 247, 197100}, {2016, 247, 197400},
    {2017, 247, 197300}, {2018, 247, 197000}, {2019, 247, 197000}, {2020, 248, 197900},
    {2021, 247, 197200}, {2022, 247, 197300}, {2023, 247, 197300}, {2024, 248, 197900},
    {2025, 247, 197200}, {2026, 247, 197200},
};

TEST(test_year_totals)
{
	size_t i;
	struct calendar_norm n;

	for (i = 0; i < sizeof(year_totals) / sizeof(year_totals[0]); i++) {
		CHECK(calendar_year_norm(ru, year_totals[i].year, CALENDAR_WEEK_40, &n) == 0);
		if (n.days != year_totals[i].days || n.hours != year_totals[i].hours)
			fprintf(stderr, "year %d\n", year_totals[i].year);
		CHECK_INT(n.days, year_totals[i].days);
		CHECK_INT(n.hours, year_totals[i].hours);
	}
	CHECK(calendar_year_norm(ru, 2025, CALENDAR_WEEK_36, &n) == 0);
	CHECK_INT(n.hours, 177440); /* 1774.4 h */
	CHECK(calendar_year_norm(ru, 2025, CALENDAR_WEEK_24, &n) == 0);
	CHECK_INT(n.hours, 118160); /* 1181.6 h */
	CHECK_INT(n.shortened, 4);
	CHECK(calendar_year_norm(ru, 2026, CALENDAR_WEEK_40, &n) == 0);
	CHECK_INT(n.days, 247);
	CHECK_INT(n.hours, 197200);
	CHECK(calendar_year_norm(ru, 2025, 3333, &n) == -1); /* not divisible by 5 */
	CHECK(calendar_year_norm(ru, 2025, 0, &n) == -1);
	CHECK(calendar_year_norm(ru, 2027, CALENDAR_WEEK_40, &n) == -1);
}

/* Official months of 2025 (days / hours at 40 h). */
TEST(test_months_2025)
{
	static const int days[12] = {17, 20, 21, 22, 18, 19, 23, 21, 22, 23, 19, 22};
	static const int hours[12] = {136, 160, 167, 175, 144, 151, 184, 168, 176, 184, 151, 176};
	struct calendar_norm n;
	int m;

	for (m = 1; m <= 12; m++) {
		CHECK(calendar_month_norm(ru, 2025, m, CALENDAR_WEEK_40, &n) == 0);
		CHECK_INT(n.days, days[m - 1]);
		CHECK_INT(n.hours, hours[m - 1] * 100);
	}
	/* 36-hour week, May 2025: 18 days x 7.2 = 129.6, one shortened day less 1 h. */
	CHECK(calendar_month_norm(ru, 2025, 4, CALENDAR_WEEK_36, &n) == 0);
	CHECK_INT(n.hours, 22 * 720 - 100);
	CHECK(calendar_month_norm(ru, 2025, 13, CALENDAR_WEEK_40, &n) == -1);
}

TEST(test_paid_non_working_days)
{
	struct calendar_norm n;

	/* April 2020: all days paid non-working, the official norm is 22 days / 175 h. */
	CHECK(calendar_month_norm(ru, 2020, 4, CALENDAR_WEEK_40, &n) == 0);
	CHECK_INT(n.days, 22);
	CHECK_INT(n.hours, 17500);
	CHECK(calendar_month_norm(ru, 2020, 5, CALENDAR_WEEK_40, &n) == 0);
	CHECK_INT(n.days, 17);
	CHECK_INT(n.hours, 13500);
	CHECK(calendar_month_norm(ru, 2020, 7, CALENDAR_WEEK_40, &n) == 0);
	CHECK_INT(n.days, 23);
	CHECK_INT(CALENDAR_KIND(day_bits(2020, 4, 1)), CALENDAR_PAID_OFF);
	CHECK_INT(day_bits(2020, 4, 30) & (CALENDAR_KIND_MASK | CALENDAR_SHORT),
	          CALENDAR_PAID_OFF | CALENDAR_SHORT);
	CHECK_INT(day_bits(2020, 5, 8) & (CALENDAR_KIND_MASK | CALENDAR_SHORT),
	          CALENDAR_PAID_OFF | CALENDAR_SHORT);
	CHECK_INT(day_bits(2020, 5, 7) & (CALENDAR_KIND_MASK | CALENDAR_SHORT), CALENDAR_PAID_OFF);
	CHECK_INT(CALENDAR_KIND(day_bits(2020, 4, 4)), CALENDAR_WEEKEND); /* Saturday */
	CHECK_INT(CALENDAR_KIND(day_bits(2020, 5, 4)), CALENDAR_DAY_OFF); /* transferred */
	CHECK_INT(CALENDAR_KIND(day_bits(2020, 5, 1)), CALENDAR_HOLIDAY);
	CHECK_INT(CALENDAR_KIND(day_bits(2020, 6, 24)), CALENDAR_PAID_OFF); /* parade */
	CHECK_INT(CALENDAR_KIND(day_bits(2020, 7, 1)), CALENDAR_PAID_OFF);  /* the vote */
	CHECK_INT(CALENDAR_KIND(day_bits(2021, 10, 30)), CALENDAR_WEEKEND);
	CHECK_INT(day_bits(2021, 11, 3) & (CALENDAR_KIND_MASK | CALENDAR_SHORT),
	          CALENDAR_PAID_OFF | CALENDAR_SHORT);
	CHECK_INT(CALENDAR_KIND(day_bits(2021, 11, 5)), CALENDAR_DAY_OFF);
	CHECK_INT(calendar_transfer_from(ru, date_from_ymd(2021, 11, 5)),
	          date_from_ymd(2021, 1, 2));
	CHECK_STR(calendar_title(ru, date_from_ymd(2020, 4, 6)),
	          "Нерабочие дни (Указ Президента от 02.04.2020 №239)");
	CHECK(calendar_title_is_paid_off("Нерабочая неделя"));
	CHECK(!calendar_title_is_paid_off("День России"));
	CHECK(!calendar_title_is_paid_off(NULL));
}

TEST(test_traps)
{
	int end;

	/* Transferred days off are not holidays. */
	CHECK_INT(CALENDAR_KIND(day_bits(2025, 6, 13)), CALENDAR_DAY_OFF);
	CHECK_INT(CALENDAR_KIND(day_bits(2025, 12, 31)), CALENDAR_DAY_OFF);
	CHECK_INT(CALENDAR_KIND(day_bits(2026, 1, 9)), CALENDAR_DAY_OFF);
	CHECK_INT(CALENDAR_KIND(day_bits(2025, 6, 12)), CALENDAR_HOLIDAY);
	CHECK_INT(calendar_transfer_from(ru, date_from_ymd(2025, 12, 31)),
	          date_from_ymd(2025, 1, 5));
	CHECK_INT(calendar_transfer_from(ru, date_from_ymd(2025, 6, 12)), DATE_NONE);
	/* Only a holiday inside a vacation extends it: 14 days from 09.06.2025 include
	 * 12.06 (holiday, +1) and 13.06 (transferred, counted): 09.06..23.06. */
	CHECK(calendar_vacation_end(ru, date_from_ymd(2025, 6, 9), 14, &end) == 0);
	CHECK_INT(end, date_from_ymd(2025, 6, 23));
	/* 7 days from 29.12.2025: 31.12 counts, 01.01-07.01 (7 holidays) and 08.01
	 * (holiday) do not; 09.01 (transferred) counts: 29,30,31,09,10,11,12. */
	CHECK(calendar_vacation_end(ru, date_from_ymd(2025, 12, 29), 7, &end) == 0);
	CHECK_INT(end, date_from_ymd(2026, 1, 12));
	CHECK(calendar_vacation_end(ru, date_from_ymd(2026, 12, 28), 28, &end) == -1);
	/* A shortened day precedes a holiday, never a transferred day off. */
	CHECK_INT(day_bits(2025, 12, 30) & (CALENDAR_KIND_MASK | CALENDAR_SHORT), CALENDAR_WORK);
	/* Saturdays made working. */
	CHECK_INT(day_bits(2025, 11, 1) &
	              (CALENDAR_KIND_MASK | CALENDAR_SHORT | CALENDAR_MADE_WORKING),
	          CALENDAR_WORK | CALENDAR_SHORT | CALENDAR_MADE_WORKING);
	CHECK_INT(day_bits(2024, 11, 2) &
	              (CALENDAR_KIND_MASK | CALENDAR_SHORT | CALENDAR_MADE_WORKING),
	          CALENDAR_WORK | CALENDAR_SHORT | CALENDAR_MADE_WORKING);
	CHECK_INT(day_bits(2024, 4, 27) &
	              (CALENDAR_KIND_MASK | CALENDAR_SHORT | CALENDAR_MADE_WORKING),
	          CALENDAR_WORK | CALENDAR_MADE_WORKING);
	CHECK_INT(day_bits(2024, 12, 28) &
	              (CALENDAR_KIND_MASK | CALENDAR_SHORT | CALENDAR_MADE_WORKING),
	          CALENDAR_WORK | CALENDAR_MADE_WORKING);
	/* Plain days. */
	CHECK_INT(day_bits(2025, 11, 5), CALENDAR_WORK | CALENDAR_COVERED);
	CHECK_INT(day_bits(2025, 11, 8), CALENDAR_WEEKEND | CALENDAR_COVERED);
	CHECK_INT(day_bits(2027, 1, 4), 0);
	CHECK_INT(day_bits(2012, 12, 31), 0);
}

/* Strips what the emitter normalises: indentation, spaces before "/>", line ends. */
static void normalise(const char *in, struct buf *out)
{
	const char *p = in;

	buf_reset(out);
	while (*p) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		size_t i;

		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		while (len > 0 && (p[len - 1] == ' ' || p[len - 1] == '\r' || p[len - 1] == '\t'))
			len--;
		for (i = 0; i < len; i++) {
			if (p[i] == ' ' && i + 2 < len + 1 && p[i + 1] == '/' && p[i + 2] == '>')
				continue;
			buf_putc(out, p[i]);
		}
		if (len > 0)
			buf_putc(out, '\n');
		p += eol ? (size_t)(eol - p) + 1 : strlen(p);
	}
}

TEST(test_round_trip)
{
	int y;

	for (y = TEST_RU_FIRST; y <= TEST_RU_LAST; y++) {
		struct buf src = BUF_INIT, a = BUF_INIT, b = BUF_INIT, c = BUF_INIT;
		struct buf na = BUF_INIT, ns = BUF_INIT;
		struct calendar *x = calendar_new(), *j = calendar_new();
		struct calendar_error err;
		json_object *js, *js2;
		char rel[64], path[4096];
		int d, first = date_from_ymd(y, 1, 1), last = date_from_ymd(y, 12, 31), same = 1;

		snprintf(rel, sizeof(rel), "sql/calendars/ru/%d.xml", y);
		test_path(path, sizeof(path), rel);
		CHECK(test_read_file(path, &src) == 0);
		CHECK(calendar_emit_xml(ru, y, &a) == 0);
		/* The emission is the source up to spacing. */
		normalise(src.data, &ns);
		normalise(a.data, &na);
		if (strcmp(ns.data, na.data) != 0)
			fprintf(stderr, "year %d: emission differs from the source\n%s\n", y,
			        na.data);
		CHECK_STR(na.data, ns.data);
		/* xml -> calendar -> xml is stable and keeps every day. */
		CHECK(calendar_load_xml(x, a.data, a.len, &err) == 0);
		CHECK(calendar_emit_xml(x, y, &b) == 0);
		CHECK_STR(b.data, a.data);
		for (d = first; d <= last; d++)
			if (calendar_day(x, d) != calendar_day(ru, d))
				same = 0;
		CHECK(same);
		/* xml -> json -> calendar -> xml. */
		js = calendar_to_json(ru, y);
		CHECK(js != NULL);
		CHECK(calendar_load_json(j, js, &err) == 0);
		CHECK(calendar_emit_xml(j, y, &c) == 0);
		CHECK_STR(c.data, a.data);
		js2 = calendar_to_json(j, y);
		CHECK_STR(json_object_to_json_string(js2), json_object_to_json_string(js));
		/* The JSON text itself parses back (no reference sharing). */
		{
			json_object *re = json_tokener_parse(json_object_to_json_string(js));
			struct calendar *k = calendar_new();
			struct buf e = BUF_INIT;

			CHECK(calendar_load_json(k, re, &err) == 0);
			CHECK(calendar_emit_xml(k, y, &e) == 0);
			CHECK_STR(e.data, a.data);
			buf_free(&e);
			calendar_free(k);
			json_object_put(re);
		}
		json_object_put(js);
		json_object_put(js2);
		calendar_free(x);
		calendar_free(j);
		buf_free(&src);
		buf_free(&a);
		buf_free(&b);
		buf_free(&c);
		buf_free(&na);
		buf_free(&ns);
	}
}

TEST(test_json_sample)
{
	json_object *js = calendar_to_json(ru, 2025), *days, *d;

	CHECK(json_object_object_get_ex(js, "days", &days));
	d = json_object_array_get_idx(days, 0);
	CHECK_STR(
	    json_object_to_json_string_ext(d,
	                                   JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE),
	    "{\"date\":\"2025-01-01\",\"kind\":\"holiday\",\"title\":\"Новогодние каникулы\"}");
	d = json_object_array_get_idx(days, 9);
	CHECK_STR(json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN),
	          "{\"date\":\"2025-03-07\",\"kind\":\"work\",\"short\":true}");
	d = json_object_array_get_idx(days, 13);
	CHECK_STR(json_object_to_json_string_ext(d, JSON_C_TO_STRING_PLAIN),
	          "{\"date\":\"2025-05-02\",\"kind\":\"day_off\",\"from\":\"2025-01-04\"}");
	json_object_put(js);
	CHECK(calendar_to_json(ru, 2030) == NULL);
}

struct bad_xml {
	const char *text;
	int line;
	const char *needle;
};

static const struct bad_xml bad_xmls[] = {
    {"", 1, "ожидается <calendar>"},
    {"<calendar year=\"2025\">\n<days>\n<day d=\"01.01\" t=\"4\"/>\n</days>\n</calendar>", 3,
     "атрибут t"},
    {"<calendar year=\"2025\">\n<days>\n<day d=\"02.30\" t=\"1\"/>\n</days>\n</calendar>", 3,
     "атрибут d"},
    {"<calendar year=\"2025\">\n<days>\n<day t=\"1\"/>\n</days>\n</calendar>", 3, "атрибут d"},
    {"<calendar year=\"2025\">\n<days>\n<day d=\"01.01\" t=\"1\" x=\"1\"/>\n</days>\n</calendar>",
     3, "неизвестный атрибут x"},
    {"<calendar year=\"2025\">\n<days>\n<day d=\"01.01\" t=\"1\"/>\n\n<day d=\"01.01\" "
     "t=\"2\"/>\n</days>\n</calendar>",
     5, "уже описан в строке 3"},
    {"<calendar year=\"2025\">\n<days>\n<day d=\"01.01\" t=\"1\" h=\"3\"/>\n</days>\n</calendar>",
     3, "id 3"},
    {"<calendar year=\"2025\">\n<days>\n<day d=\"01.01\" t=\"2\" h=\"1\"/>\n</days>\n</calendar>",
     3, "атрибут h"},
    {"<calendar year=\"2025\">\n<days>\n<day d=\"05.02\" t=\"1\" "
     "f=\"13.01\"/>\n</days>\n</calendar>",
     3, "атрибут f"},
    {"<calendar year=\"20x5\">\n</calendar>", 1, "атрибут year"},
    {"<calendar>\n</calendar>", 1, "атрибут year"},
    {"<calendar year=\"2025\">\n<holidays>\n<holiday id=\"1\" title=\"A\"/>\n<holiday id=\"1\" "
     "title=\"B\"/>\n</holidays>\n</calendar>",
     4, "id 1 повторяется"},
    {"<calendar year=\"2025\">\n<holidays>\n<holiday id=\"1\"/>\n</holidays>\n</calendar>", 3,
     "title"},
    {"<calendar year=\"2025\">\n<holidays>\n<holiday id=\"1\" title=\"A\"/>\n<holiday id=\"2\" "
     "title=\"A\"/>\n</holidays>\n</calendar>",
     4, "название повторяется (id 1)"},
    {"<calendar year=\"2025\">\n<days>\n<day d=\"01.01\" t=\"1\" t=\"1\"/>\n</days>\n</calendar>",
     3, "атрибут t повторяется"},
    {"<calendar year=\"2025\">\n<days>\n<day d=\"01.01\" t=1/>\n</days>\n</calendar>", 3,
     "кавычках"},
    {"<calendar year=\"2025\">\n<days>\n<day d=\"01.01\" t=\"1\"/>\n</days>\n", 5,
     "до </calendar>"},
    {"<calendar year=\"2025\">\n<days>\n<week/>\n</days>\n</calendar>", 3, "ожидается <day>"},
    {"<calendar year=\"2025\">\n<days>\nhello\n</days>\n</calendar>", 3, "текст вне тегов"},
    {"<calendar year=\"2025\">\n<!-- open\n\n", 2, "комментарий не закрыт"},
    {"<calendar year=\"2025\"></calendar>\n<calendar year=\"2026\"></calendar>", 2, "лишнее"},
    {"<calendar year=\"2025\">\n<holidays>\n<holiday id=\"1\" title=\"&bogus;\"/>\n</holidays>\n"
     "</calendar>",
     3, "ссылка"},
    {"<calendar year=\"2025\">\n<days>\n<day d=\"01.01\" t=\"1\"\n", 3, "не закрыт"},
    {"<calendar year=\"2025\" era=\"x\"></calendar>", 1, "неизвестный атрибут era"},
};

/* The listed days of one year as lines "YYYY-MM-DD bits[ from=YYYY-MM-DD][ title]". */
static void dump_year(const struct calendar *cal, int y, struct buf *out)
{
	int d;

	for (d = date_from_ymd(y, 1, 1); d <= date_from_ymd(y, 12, 31); d++) {
		unsigned bits = calendar_day(cal, d);
		const char *title = calendar_title(cal, d);
		int from = calendar_transfer_from(cal, d), yy, mm, dd;
		char line[512];

		if ((bits & ~CALENDAR_COVERED) == 0 && title == NULL && from == DATE_NONE)
			continue;
		date_to_ymd(d, &yy, &mm, &dd);
		snprintf(line, sizeof(line), "%04d-%02d-%02d %02x", yy, mm, dd, bits);
		buf_puts(out, line);
		if (from != DATE_NONE) {
			date_to_ymd(from, &yy, &mm, &dd);
			snprintf(line, sizeof(line), " from=%04d-%02d-%02d", yy, mm, dd);
			buf_puts(out, line);
		}
		if (title != NULL) {
			buf_putc(out, ' ');
			buf_puts(out, title);
		}
		buf_putc(out, '\n');
	}
}

/*
 * The shipped calendars read by libexpat give every day the bits, title and
 * source date the former hand-written lexer gave (tests/unit/data/
 * calendar_ru_days.txt was written by it), and so does each year emitted by
 * calendar_emit_xml and read again.
 */
TEST(test_shipped_days_unchanged)
{
	struct buf want = BUF_INIT, got = BUF_INIT, again = BUF_INIT;
	char path[4096];
	int y;

	test_path(path, sizeof(path), "tests/unit/data/calendar_ru_days.txt");
	CHECK(test_read_file(path, &want) == 0);
	buf_putc(&want, '\0');
	for (y = TEST_RU_FIRST; y <= TEST_RU_LAST; y++) {
		struct calendar *x = calendar_new();
		struct calendar_error err;
		struct buf xml = BUF_INIT;

		dump_year(ru, y, &got);
		CHECK(calendar_emit_xml(ru, y, &xml) == 0);
		CHECK(calendar_load_xml(x, xml.data, xml.len, &err) == 0);
		dump_year(x, y, &again);
		buf_free(&xml);
		calendar_free(x);
	}
	buf_putc(&got, '\0');
	buf_putc(&again, '\0');
	CHECK(got.len > 1000);
	CHECK_STR(got.data, want.data);
	CHECK_STR(again.data, want.data);
	buf_free(&want);
	buf_free(&got);
	buf_free(&again);
}

/* No DOCTYPE: no entity is declared, expanded or fetched. */
TEST(test_doctype_refused)
{
	static const char *const texts[] = {
	    /* billion laughs */
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE calendar [\n"
	    " <!ENTITY lol \"lol\">\n"
	    " <!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n"
	    " <!ENTITY lol2 \"&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;\">\n"
	    " <!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">\n"
	    "]>\n"
	    "<calendar year=\"2025\"><holidays><holiday id=\"1\" title=\"&lol3;\"/></holidays>"
	    "</calendar>",
	    /* an external entity */
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE calendar [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
	    "<calendar year=\"2025\"><holidays><holiday id=\"1\" title=\"&x;\"/></holidays>"
	    "</calendar>",
	    /* an external DTD */
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE calendar SYSTEM \"file:///etc/passwd\">\n<calendar year=\"2025\"/>",
	    "<?xml version=\"1.0\"?>\n"
	    "<!DOCTYPE calendar PUBLIC \"-//x//y\" \"http://127.0.0.1/x.dtd\">\n"
	    "<calendar year=\"2025\"/>",
	    /* a bare DOCTYPE */
	    "<?xml version=\"1.0\"?>\n<!DOCTYPE calendar>\n<calendar year=\"2025\"/>",
	};
	size_t i;

	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		struct calendar *c = calendar_new();
		struct calendar_error err = {0, "", ""};

		CHECK_INT(calendar_load_xml(c, texts[i], strlen(texts[i]), &err), -1);
		if (strstr(err.message, "Файл календаря с объявлением DOCTYPE не принимается") ==
		    NULL)
			fprintf(stderr, "doctype case %zu: %s\n", i, err.message);
		CHECK(strstr(err.message, "Файл календаря с объявлением DOCTYPE не принимается") !=
		      NULL);
		CHECK(strstr(err.message, "строка 2") != NULL);
		CHECK_INT(err.line, 2);
		CHECK(!calendar_has_year(c, 2025));
		calendar_free(c);
	}
}

/* An import converted to UTF-8 keeps its declaration; the text is read as UTF-8. */
TEST(test_declared_encoding)
{
	const char *text = "<?xml version=\"1.0\" encoding=\"windows-1251\"?>\n"
	                   "<calendar year=\"2030\"><holidays><holiday id=\"1\" "
	                   "title=\"Рождество Христово\"/></holidays>"
	                   "<days><day d=\"01.07\" t=\"1\" h=\"1\"/></days></calendar>";
	struct calendar *c = calendar_new();
	struct calendar_error err = {0, "", ""};

	CHECK_INT(calendar_load_xml(c, text, strlen(text), &err), 0);
	CHECK_STR(calendar_title(c, date_from_ymd(2030, 1, 7)), "Рождество Христово");
	calendar_free(c);
}

TEST(test_malformed_xml)
{
	size_t i;

	for (i = 0; i < sizeof(bad_xmls) / sizeof(bad_xmls[0]); i++) {
		struct calendar *c = calendar_new();
		struct calendar_error err = {0, "", ""};
		char want_line[32];
		int rc = calendar_load_xml(c, bad_xmls[i].text, strlen(bad_xmls[i].text), &err);

		CHECK_INT(rc, -1);
		if (err.line != bad_xmls[i].line || strstr(err.message, bad_xmls[i].needle) == NULL)
			fprintf(stderr, "case %zu: line %d: %s\n", i, err.line, err.message);
		CHECK_INT(err.line, bad_xmls[i].line);
		snprintf(want_line, sizeof(want_line), "строка %d", bad_xmls[i].line);
		CHECK(strstr(err.message, want_line) != NULL);
		CHECK(strstr(err.message, bad_xmls[i].needle) != NULL);
		CHECK(!calendar_has_year(c, 2025));
		calendar_free(c);
	}
}

TEST(test_lenient_xml)
{
	/* Attribute order, single quotes, entities, comments, BOM, open/close pairs. */
	const char *text = "\xEF\xBB\xBF<?xml version='1.0'?>\n<!-- c -->\n"
	                   "<calendar country='ru' year='2030'>\n"
	                   "  <holidays><holiday title=\"A &amp; B &#1046;\" id=\"2\"></holiday>"
	                   "</holidays>\n"
	                   "  <!-- days -->\n"
	                   "  <days>\n"
	                   "    <day t = \"1\"   h=\"2\" d=\"01.01\" />\n"
	                   "    <day t=\"2\" d=\"12.31\"></day>\n"
	                   "  </days>\n"
	                   "</calendar>\n<!-- end -->\n";
	struct calendar *c = calendar_new();
	struct calendar_error err;
	struct buf out = BUF_INIT;

	CHECK(calendar_load_xml(c, text, strlen(text), &err) == 0);
	CHECK_INT(CALENDAR_KIND(calendar_day(c, date_from_ymd(2030, 1, 1))), CALENDAR_HOLIDAY);
	CHECK_STR(calendar_title(c, date_from_ymd(2030, 1, 1)), "A & B Ж");
	CHECK(calendar_day(c, date_from_ymd(2030, 12, 31)) & CALENDAR_SHORT);
	CHECK(calendar_emit_xml(c, 2030, &out) == 0);
	CHECK(strstr(out.data, "<holiday id=\"2\" title=\"A &amp; B Ж\"/>") != NULL);
	CHECK(strstr(out.data, "<calendar year=\"2030\" country=\"ru\">") != NULL);
	/* Loading a year again replaces it. */
	CHECK(calendar_load_xml(c, "<calendar year='2030'/>", 23, &err) == 0);
	CHECK_INT(CALENDAR_KIND(calendar_day(c, date_from_ymd(2030, 1, 1))), CALENDAR_WORK);
	buf_free(&out);
	calendar_free(c);
}

struct bad_json {
	const char *text;
	const char *field;
};

static const struct bad_json bad_jsons[] = {
    {"{\"year\": 2025, \"dayz\": []}", "dayz"},
    {"{\"days\": []}", "year"},
    {"{\"year\": 2025, \"days\": [{\"date\": \"2025-02-30\", \"kind\": \"holiday\"}]}",
     "days[0].date"},
    {"{\"year\": 2025, \"days\": [{\"date\": \"2024-02-03\", \"kind\": \"holiday\"}]}",
     "days[0].date"},
    {"{\"year\": 2025, \"days\": [{\"date\": \"2025-01-01\", \"kind\": \"party\"}]}",
     "days[0].kind"},
    {"{\"year\": 2025, \"days\": [{\"date\": \"2025-01-01\", \"kind\": \"holiday\"}, {\"date\": "
     "\"2025-01-01\", \"kind\": \"holiday\"}]}",
     "days[1].date"},
    {"{\"year\": 2025, \"days\": [{\"date\": \"2025-01-08\", \"kind\": \"weekend\"}]}",
     "days[0].kind"},
    {"{\"year\": 2025, \"days\": [{\"date\": \"2025-01-08\", \"kind\": \"holiday\", \"short\": "
     "true}]}",
     "days[0].short"},
    {"{\"year\": 2025, \"days\": [{\"date\": \"2025-01-08\", \"kind\": \"work\", \"from\": "
     "\"2025-01-01\"}]}",
     "days[0].from"},
    {"{\"year\": 2025, \"days\": [{\"date\": \"2025-01-08\", \"kind\": \"holiday\", \"title\": "
     "\"Нерабочий день\"}]}",
     "days[0].title"},
    {"{\"year\": 2025, \"days\": [{\"date\": \"2025-01-08\", \"kind\": \"work\", \"colour\": "
     "1}]}",
     "days[0].colour"},
};

TEST(test_json_errors)
{
	size_t i;

	for (i = 0; i < sizeof(bad_jsons) / sizeof(bad_jsons[0]); i++) {
		json_object *o = json_tokener_parse(bad_jsons[i].text);
		struct calendar *c = calendar_new();
		struct calendar_error err = {0, "", ""};

		CHECK(o != NULL);
		CHECK_INT(calendar_load_json(c, o, &err), -1);
		if (strcmp(err.field, bad_jsons[i].field) != 0)
			fprintf(stderr, "case %zu: %s\n", i, err.message);
		CHECK_STR(err.field, bad_jsons[i].field);
		CHECK(err.message[0] != '\0');
		json_object_put(o);
		calendar_free(c);
	}
}

TEST(test_custom_days)
{
	struct calendar *c = calendar_new();
	struct calendar_norm n;
	int first = date_from_ymd(2031, 3, 1);

	CHECK(calendar_set_day(c, first, CALENDAR_HOLIDAY, 0, NULL, DATE_NONE) == -1);
	CHECK(calendar_add_default_year(c, 2031) == 0);
	CHECK(calendar_add_default_year(c, 1899) == -1);
	CHECK(calendar_month_norm(c, 2031, 3, CALENDAR_WEEK_40, &n) == 0);
	CHECK_INT(n.days, 21);
	CHECK(calendar_set_day(c, date_from_ymd(2031, 3, 10), CALENDAR_HOLIDAY, 0, NULL,
	                       DATE_NONE) == 0);
	CHECK(calendar_set_day(c, date_from_ymd(2031, 3, 7), CALENDAR_WORK, CALENDAR_SHORT, NULL,
	                       DATE_NONE) == 0);
	CHECK(calendar_set_day(c, date_from_ymd(2031, 3, 15), CALENDAR_WORK, 0, NULL, DATE_NONE) ==
	      0); /* Saturday made working */
	CHECK(calendar_set_day(c, date_from_ymd(2031, 3, 17), CALENDAR_DAY_OFF, 0, NULL,
	                       DATE_NONE) == 0);
	CHECK(calendar_set_day(c, date_from_ymd(2031, 3, 18), CALENDAR_WEEKEND, 0, NULL,
	                       DATE_NONE) == -1); /* a Tuesday */
	CHECK(calendar_set_day(c, date_from_ymd(2031, 3, 18), CALENDAR_PAID_OFF, 0, "День России",
	                       DATE_NONE) == -1);
	CHECK(calendar_month_norm(c, 2031, 3, CALENDAR_WEEK_40, &n) == 0);
	CHECK_INT(n.days, 20);
	CHECK_INT(n.hours, 20 * 800 - 100);
	CHECK(calendar_day(c, date_from_ymd(2031, 3, 15)) & CALENDAR_MADE_WORKING);
	CHECK_STR(calendar_title(c, date_from_ymd(2031, 3, 10)), "Праздничный день");
	/* A second year makes a span with a gap: the gap is not covered. */
	CHECK(calendar_add_default_year(c, 2033) == 0);
	CHECK_INT(calendar_day(c, date_from_ymd(2032, 6, 1)), 0);
	CHECK(calendar_day(c, date_from_ymd(2033, 6, 1)) & CALENDAR_COVERED);
	CHECK(calendar_day(c, date_from_ymd(2031, 3, 10)) & CALENDAR_COVERED);
	CHECK_INT(CALENDAR_KIND(calendar_day(c, date_from_ymd(2031, 3, 10))), CALENDAR_HOLIDAY);
	calendar_free(c);
}

/* Random damage to a real file: refused with a line and a message, or loaded; never a crash. */
TEST(test_mutations_do_not_crash)
{
	static const char junk[] = "<>/=\"' \n&;#x1t.09";
	struct buf src = BUF_INIT;
	char path[4096];
	uint64_t state = 12345;
	int i, bad = 0;

	test_path(path, sizeof(path), "sql/calendars/ru/2025.xml");
	CHECK(test_read_file(path, &src) == 0);
	for (i = 0; i < 3000; i++) {
		struct buf m = BUF_INIT;
		struct calendar *c = calendar_new();
		struct calendar_error err = {0, "", ""};
		int k, edits = 1 + i % 4;

		buf_append(&m, src.data, src.len);
		for (k = 0; k < edits; k++) {
			size_t pos;

			state = state * 6364136223846793005ULL + 1442695040888963407ULL;
			pos = (size_t)(state >> 33) % m.len;
			if ((state >> 20) % 5 == 0)
				m.len = pos; /* truncate */
			else
				m.data[pos] = junk[(state >> 40) % (sizeof(junk) - 1)];
			if (m.len == 0)
				break;
		}
		if (calendar_load_xml(c, m.data ? m.data : "", m.len, &err) != 0 &&
		    (err.line < 1 || err.message[0] == '\0'))
			bad++;
		calendar_free(c);
		buf_free(&m);
	}
	CHECK_INT(bad, 0);
	buf_free(&src);
}

/* payroll.md: a year after the last official one is the Labor Code's. */
TEST(test_provisional_years)
{
	struct calendar *cal = test_load_ru();
	int d, holidays_official = 0, same = 1;
	unsigned b;

	CHECK(cal != NULL);
	if (cal == NULL)
		return;
	CHECK_INT(calendar_last_official(cal), 2026);
	CHECK_INT(calendar_cover(cal, 2026), 0);
	CHECK_INT(calendar_cover(cal, 2012), -1); /* before the first: only an import helps */
	CHECK_INT(calendar_cover(cal, 2027), 1);
	CHECK(calendar_is_provisional(cal, 2027));
	CHECK(!calendar_is_provisional(cal, 2026));
	/* 2027: 1-8 January holidays, no moves in January */
	for (d = date_from_ymd(2027, 1, 1); d <= date_from_ymd(2027, 1, 8); d++)
		CHECK_INT(CALENDAR_KIND(calendar_day(cal, d)), CALENDAR_HOLIDAY);
	CHECK_INT(CALENDAR_KIND(calendar_day(cal, date_from_ymd(2027, 1, 11))), CALENDAR_WORK);
	CHECK_STR(calendar_title(cal, date_from_ymd(2027, 1, 7)), "Рождество Христово");
	/* 1 May 2027 is a Saturday: the day off moves to Monday 3 May; 9 May a
	 * Sunday: to Monday 10 May; 12 June a Saturday: to Monday 14 June */
	CHECK_INT(CALENDAR_KIND(calendar_day(cal, date_from_ymd(2027, 5, 3))), CALENDAR_DAY_OFF);
	CHECK_INT(calendar_transfer_from(cal, date_from_ymd(2027, 5, 3)),
	          date_from_ymd(2027, 5, 1));
	CHECK_INT(CALENDAR_KIND(calendar_day(cal, date_from_ymd(2027, 5, 10))), CALENDAR_DAY_OFF);
	CHECK_INT(CALENDAR_KIND(calendar_day(cal, date_from_ymd(2027, 6, 14))), CALENDAR_DAY_OFF);
	/* the working day right before a holiday is shorter; not a Friday before a
	 * weekend that precedes a Monday holiday */
	b = calendar_day(cal, date_from_ymd(2027, 4, 30));
	CHECK(b & CALENDAR_SHORT);
	CHECK(calendar_day(cal, date_from_ymd(2027, 6, 11)) & CALENDAR_SHORT);
	CHECK(calendar_day(cal, date_from_ymd(2027, 2, 22)) & CALENDAR_SHORT);
	CHECK(calendar_day(cal, date_from_ymd(2027, 11, 3)) & CALENDAR_SHORT);
	CHECK(calendar_day(cal, date_from_ymd(2027, 12, 31)) & CALENDAR_SHORT);
	CHECK(
	    !(calendar_day(cal, date_from_ymd(2027, 3, 5)) & CALENDAR_SHORT)); /* 8 Mar a Monday */
	/* the vacation 01-10.01.2027: 10 calendar days, 2 of them vacation */
	{
		int end;
		CHECK(calendar_vacation_end(cal, date_from_ymd(2027, 1, 1), 2, &end) == 0);
		CHECK_INT(end, date_from_ymd(2027, 1, 10));
	}
	/* its holidays are the official ones of a year the decree set: 2025 */
	{
		struct calendar *p = calendar_new();

		calendar_add_provisional_year(p, 2025);
		for (d = date_from_ymd(2025, 1, 1); d <= date_from_ymd(2025, 12, 31); d++) {
			int o = CALENDAR_KIND(calendar_day(cal, d)) == CALENDAR_HOLIDAY;
			holidays_official += o;
			same &= o == (CALENDAR_KIND(calendar_day(p, d)) == CALENDAR_HOLIDAY);
		}
		CHECK_INT(holidays_official, 14);
		CHECK(same);
		/* 8 March 2025 a Saturday: the Code moves it to Monday 10 March (the
		 * decree moved it to 13 June instead) */
		CHECK_INT(CALENDAR_KIND(calendar_day(p, date_from_ymd(2025, 3, 10))),
		          CALENDAR_DAY_OFF);
		calendar_free(p);
	}
	/* a copy is independent and keeps the marks */
	{
		struct calendar *c = calendar_copy(cal);

		CHECK(calendar_is_provisional(c, 2027));
		CHECK_INT(calendar_day(c, date_from_ymd(2025, 5, 2)),
		          calendar_day(cal, date_from_ymd(2025, 5, 2)));
		calendar_free(c);
	}
	calendar_free(cal);
}

int main(void)
{
	ru = test_load_ru();
	RUN(test_all_years_load);
	if (ru == NULL)
		return check_report();
	RUN(test_year_totals);
	RUN(test_months_2025);
	RUN(test_paid_non_working_days);
	RUN(test_traps);
	RUN(test_round_trip);
	RUN(test_json_sample);
	RUN(test_shipped_days_unchanged);
	RUN(test_doctype_refused);
	RUN(test_declared_encoding);
	RUN(test_malformed_xml);
	RUN(test_lenient_xml);
	RUN(test_json_errors);
	RUN(test_custom_days);
	RUN(test_mutations_do_not_crash);
	RUN(test_provisional_years);
	calendar_free(ru);
	return check_report();
}
