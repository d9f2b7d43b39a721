#include "calendar.h"

#include "date.h"
#include "ru.h"

#include <errno.h>
#include <expat.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALENDAR_MAX_TITLES 256 /* ids 1..255 */
#define CALENDAR_VALUE_MAX  512 /* longest attribute value (bytes, decoded) */
#define CALENDAR_FILE_MAX   (4 * 1024 * 1024)

static const char CALENDAR_DEFAULT_HOLIDAY[] = "Праздничный день";
static const char CALENDAR_DEFAULT_PAID_OFF[] = "Нерабочий день";

struct calendar_year {
	int year;
	int first; /* day number of 1 January */
	int ndays; /* 365 or 366 */
	uint8_t day[366];
	uint8_t hid[366]; /* holiday title id, 0 = none */
	int from[366];    /* where a day off was moved from, DATE_NONE */
	char *titles[CALENDAR_MAX_TITLES];
	char *lang, *issued, *country;
	int provisional; /* built by the Labor Code, not an official calendar */
};

struct calendar {
	struct calendar_year **years; /* sorted by year */
	int nyears;
	uint8_t *flat; /* day bits from flat_first on, all loaded years' span */
	int flat_first;
	int flat_len;
};

static void calendar_fail(struct calendar_error *err, int line, const char *field, const char *fmt,
                          ...) __attribute__((format(printf, 4, 5)));
static int calendar_year_set(struct calendar_year *y, int idx, enum calendar_kind kind,
                             unsigned flags, int hid, int from);

static void calendar_fail(struct calendar_error *err, int line, const char *field, const char *fmt,
                          ...)
{
	va_list ap;

	if (err == NULL)
		return;
	err->line = line;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

int calendar_title_is_paid_off(const char *title)
{
	return title != NULL && (strncmp(title, "Нерабоч", strlen("Нерабоч")) == 0 ||
	                         strstr(title, "Указ Президента") != NULL);
}

/* ---- years ---- */

static uint8_t calendar_default_bits(int date)
{
	return date_weekday(date) >= DATE_SAT ? CALENDAR_WEEKEND : CALENDAR_WORK;
}

static struct calendar_year *calendar_year_new(int year)
{
	struct calendar_year *y = calloc(1, sizeof(*y));
	int i;

	if (y == NULL)
		abort();
	y->year = year;
	y->first = date_from_ymd(year, 1, 1);
	y->ndays = date_is_leap(year) ? 366 : 365;
	for (i = 0; i < 366; i++) {
		y->day[i] = i < y->ndays ? calendar_default_bits(y->first + i) : 0;
		y->from[i] = DATE_NONE;
	}
	return y;
}

static void calendar_year_free(struct calendar_year *y)
{
	int i;

	if (y == NULL)
		return;
	for (i = 0; i < CALENDAR_MAX_TITLES; i++)
		free(y->titles[i]);
	free(y->lang);
	free(y->issued);
	free(y->country);
	free(y);
}

static char *calendar_strdup(const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		abort();
	return d;
}

/* The id of title in y, added if new. Returns 0 when the table is full. */
static int calendar_title_id(struct calendar_year *y, const char *title)
{
	int i;

	for (i = 1; i < CALENDAR_MAX_TITLES; i++)
		if (y->titles[i] != NULL && strcmp(y->titles[i], title) == 0)
			return i;
	for (i = 1; i < CALENDAR_MAX_TITLES; i++)
		if (y->titles[i] == NULL) {
			y->titles[i] = calendar_strdup(title);
			return i;
		}
	return 0;
}

static struct calendar_year *calendar_find(const struct calendar *cal, int year)
{
	int lo = 0, hi = cal->nyears - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;

		if (cal->years[mid]->year == year)
			return cal->years[mid];
		if (cal->years[mid]->year < year)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static void calendar_rebuild_flat(struct calendar *cal)
{
	int i, first, last;

	free(cal->flat);
	cal->flat = NULL;
	cal->flat_first = 0;
	cal->flat_len = 0;
	if (cal->nyears == 0)
		return;
	first = cal->years[0]->first;
	last = date_from_ymd(cal->years[cal->nyears - 1]->year, 12, 31);
	cal->flat_first = first;
	cal->flat_len = last - first + 1;
	cal->flat = calloc((size_t)cal->flat_len, 1);
	if (cal->flat == NULL)
		abort();
	for (i = 0; i < cal->nyears; i++) {
		struct calendar_year *y = cal->years[i];
		int k;

		for (k = 0; k < y->ndays; k++)
			cal->flat[y->first - first + k] = (uint8_t)(y->day[k] | CALENDAR_COVERED);
	}
}

/* Puts y into cal, replacing a loaded year of the same number. */
static void calendar_install(struct calendar *cal, struct calendar_year *y)
{
	int i;
	struct calendar_year **n;

	for (i = 0; i < cal->nyears; i++) {
		if (cal->years[i]->year == y->year) {
			calendar_year_free(cal->years[i]);
			cal->years[i] = y;
			calendar_rebuild_flat(cal);
			return;
		}
		if (cal->years[i]->year > y->year)
			break;
	}
	n = realloc(cal->years, sizeof(*n) * (size_t)(cal->nyears + 1));
	if (n == NULL)
		abort();
	cal->years = n;
	memmove(&n[i + 1], &n[i], sizeof(*n) * (size_t)(cal->nyears - i));
	n[i] = y;
	cal->nyears++;
	calendar_rebuild_flat(cal);
}

struct calendar *calendar_new(void)
{
	struct calendar *cal = calloc(1, sizeof(*cal));

	if (cal == NULL)
		abort();
	return cal;
}

void calendar_free(struct calendar *cal)
{
	int i;

	if (cal == NULL)
		return;
	for (i = 0; i < cal->nyears; i++)
		calendar_year_free(cal->years[i]);
	free(cal->years);
	free(cal->flat);
	free(cal);
}

int calendar_add_default_year(struct calendar *cal, int year)
{
	if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
		return -1;
	if (calendar_find(cal, year) == NULL)
		calendar_install(cal, calendar_year_new(year));
	return 0;
}

/* ---- provisional years (Labor Code art. 112, 95) ---- */

static const struct {
	int month, day;
	const char *title;
} calendar_art112[] = {
    {1, 1, "Новогодние каникулы"},
    {1, 2, "Новогодние каникулы"},
    {1, 3, "Новогодние каникулы"},
    {1, 4, "Новогодние каникулы"},
    {1, 5, "Новогодние каникулы"},
    {1, 6, "Новогодние каникулы"},
    {1, 7, "Рождество Христово"},
    {1, 8, "Новогодние каникулы"},
    {2, 23, "День защитника Отечества"},
    {3, 8, "Международный женский день"},
    {5, 1, "Праздник Весны и Труда"},
    {5, 9, "День Победы"},
    {6, 12, "День России"},
    {11, 4, "День народного единства"},
};

static void calendar_build_provisional(struct calendar_year *y)
{
	size_t i, n = sizeof(calendar_art112) / sizeof(calendar_art112[0]);

	y->provisional = 1;
	for (i = 0; i < n; i++) {
		int idx = date_from_ymd(y->year, calendar_art112[i].month, calendar_art112[i].day) -
		          y->first;

		calendar_year_set(y, idx, CALENDAR_HOLIDAY, 0,
		                  calendar_title_id(y, calendar_art112[i].title), DATE_NONE);
	}
	/* a holiday on a Saturday or Sunday moves the day off to the next working day
	 * (art. 112 part 2); the January ones are left to the Government's decree */
	for (i = 0; i < n; i++) {
		int h = date_from_ymd(y->year, calendar_art112[i].month, calendar_art112[i].day);
		int d;

		if (calendar_art112[i].month == 1 || date_weekday(h) < DATE_SAT)
			continue;
		for (d = h + 1; d < y->first + y->ndays; d++)
			if (CALENDAR_KIND(y->day[d - y->first]) == CALENDAR_WORK) {
				calendar_year_set(y, d - y->first, CALENDAR_DAY_OFF, 0, 0, h);
				break;
			}
	}
	/* the working day right before a holiday is an hour shorter (art. 95);
	 * 31 December comes before 1 January of the next year */
	for (i = 0; i < (size_t)y->ndays; i++) {
		int next_holiday =
		    i + 1 == (size_t)y->ndays || CALENDAR_KIND(y->day[i + 1]) == CALENDAR_HOLIDAY;

		if (next_holiday && CALENDAR_KIND(y->day[i]) == CALENDAR_WORK &&
		    !(y->day[i] & CALENDAR_MADE_WORKING))
			y->day[i] |= CALENDAR_SHORT | CALENDAR_LISTED;
	}
}

int calendar_add_provisional_year(struct calendar *cal, int year)
{
	struct calendar_year *y;

	if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR)
		return -1;
	if (calendar_find(cal, year) != NULL)
		return 0;
	y = calendar_year_new(year);
	calendar_build_provisional(y);
	calendar_install(cal, y);
	return 0;
}

void calendar_provisional_note(int year, char *out, size_t n)
{
	snprintf(out, n,
	         "Календарь на %d год предварительный: построен по Трудовому кодексу (праздники "
	         "ст. 112, перенос выходного с праздника на следующий рабочий день, кроме "
	         "январских, сокращённые предпраздничные дни). Импортируйте календарь по "
	         "постановлению Правительства на %d год на странице «Производственные "
	         "календари».",
	         year, year);
}

void calendar_missing_note(int year, char *out, size_t n)
{
	snprintf(out, n,
	         "Производственный календарь на %d год не загружен: импортируйте его (файл "
	         "xmlcalendar или JSON) на странице «Производственные календари».",
	         year);
}

int calendar_is_provisional(const struct calendar *cal, int year)
{
	const struct calendar_year *y = calendar_find(cal, year);

	return y != NULL && y->provisional;
}

int calendar_last_official(const struct calendar *cal)
{
	int i;

	for (i = cal->nyears - 1; i >= 0; i--)
		if (!cal->years[i]->provisional)
			return cal->years[i]->year;
	return 0;
}

int calendar_cover(struct calendar *cal, int year)
{
	const struct calendar_year *y = calendar_find(cal, year);

	if (y != NULL)
		return y->provisional ? 1 : 0;
	if (year < DATE_MIN_YEAR || year > DATE_MAX_YEAR || year < calendar_last_official(cal))
		return -1;
	calendar_add_provisional_year(cal, year);
	return 1;
}

struct calendar *calendar_copy(const struct calendar *cal)
{
	struct calendar *c = calendar_new();
	int i, k;

	for (i = 0; i < cal->nyears; i++) {
		const struct calendar_year *from = cal->years[i];
		struct calendar_year *y = calendar_year_new(from->year);

		memcpy(y->day, from->day, sizeof(y->day));
		memcpy(y->hid, from->hid, sizeof(y->hid));
		memcpy(y->from, from->from, sizeof(y->from));
		for (k = 0; k < CALENDAR_MAX_TITLES; k++)
			y->titles[k] = from->titles[k] ? calendar_strdup(from->titles[k]) : NULL;
		y->lang = from->lang ? calendar_strdup(from->lang) : NULL;
		y->issued = from->issued ? calendar_strdup(from->issued) : NULL;
		y->country = from->country ? calendar_strdup(from->country) : NULL;
		y->provisional = from->provisional;
		calendar_install(c, y);
	}
	return c;
}

int calendar_has_year(const struct calendar *cal, int year)
{
	return calendar_find(cal, year) != NULL;
}

int calendar_years(const struct calendar *cal, int *first, int *last)
{
	*first = cal->nyears ? cal->years[0]->year : 0;
	*last = cal->nyears ? cal->years[cal->nyears - 1]->year : -1;
	return cal->nyears;
}

unsigned calendar_day(const struct calendar *cal, int date)
{
	long i = (long)date - cal->flat_first;

	if (i < 0 || i >= cal->flat_len)
		return 0;
	return cal->flat[i];
}

const char *calendar_title(const struct calendar *cal, int date)
{
	struct calendar_year *y;
	int hid;

	if (!(calendar_day(cal, date) & CALENDAR_COVERED))
		return NULL;
	y = calendar_find(cal, date_year(date));
	hid = y->hid[date - y->first];
	return hid ? y->titles[hid] : NULL;
}

int calendar_transfer_from(const struct calendar *cal, int date)
{
	struct calendar_year *y;

	if (!(calendar_day(cal, date) & CALENDAR_COVERED))
		return DATE_NONE;
	y = calendar_find(cal, date_year(date));
	return y->from[date - y->first];
}

/*
 * Sets one day of y from a kind and flags. Checks the combination; the
 * title id must already be in y. Returns 0 or -1.
 */
static int calendar_year_set(struct calendar_year *y, int idx, enum calendar_kind kind,
                             unsigned flags, int hid, int from)
{
	int weekend = date_weekday(y->first + idx) >= DATE_SAT;
	unsigned bits = (unsigned)kind | CALENDAR_LISTED;

	switch (kind) {
	case CALENDAR_WORK:
		if (hid || from != DATE_NONE)
			return -1;
		bits |= flags & CALENDAR_SHORT;
		if (weekend)
			bits |= CALENDAR_MADE_WORKING;
		break;
	case CALENDAR_WEEKEND:
		if (!weekend || (flags & CALENDAR_SHORT) || from != DATE_NONE)
			return -1;
		break;
	case CALENDAR_HOLIDAY:
		if (!hid || (flags & CALENDAR_SHORT) || from != DATE_NONE)
			return -1;
		break;
	case CALENDAR_DAY_OFF:
		if (hid || (flags & CALENDAR_SHORT))
			return -1;
		break;
	case CALENDAR_PAID_OFF:
		if (!hid || weekend || from != DATE_NONE)
			return -1;
		bits |= flags & CALENDAR_SHORT;
		break;
	default:
		return -1;
	}
	y->day[idx] = (uint8_t)bits;
	y->hid[idx] = (uint8_t)hid;
	y->from[idx] = from;
	return 0;
}

int calendar_set_day(struct calendar *cal, int date, enum calendar_kind kind, unsigned flags,
                     const char *title, int from)
{
	struct calendar_year *y = calendar_find(cal, date_year(date));
	int hid = 0, idx;

	if (y == NULL)
		return -1;
	idx = date - y->first;
	if (kind == CALENDAR_HOLIDAY || kind == CALENDAR_PAID_OFF) {
		if (title == NULL)
			title = kind == CALENDAR_HOLIDAY ? CALENDAR_DEFAULT_HOLIDAY
			                                 : CALENDAR_DEFAULT_PAID_OFF;
		if (calendar_title_is_paid_off(title) != (kind == CALENDAR_PAID_OFF))
			return -1;
		hid = calendar_title_id(y, title);
		if (hid == 0)
			return -1;
	} else if (title != NULL) {
		return -1;
	}
	if (calendar_year_set(y, idx, kind, flags, hid, from) != 0)
		return -1;
	cal->flat[date - cal->flat_first] = (uint8_t)(y->day[idx] | CALENDAR_COVERED);
	return 0;
}

/* ---- norms ---- */

int calendar_norm(const struct calendar *cal, int from, int to, int32_t week_hours,
                  struct calendar_norm *out)
{
	int32_t per_day;
	int d;

	if (week_hours <= 0 || week_hours % 5 != 0 || week_hours > 7 * 2400)
		return -1;
	per_day = week_hours / 5;
	memset(out, 0, sizeof(*out));
	for (d = from; d <= to; d++) {
		unsigned bits = calendar_day(cal, d);
		enum calendar_kind kind = CALENDAR_KIND(bits);

		if (!(bits & CALENDAR_COVERED))
			return -1;
		out->calendar_days++;
		if (kind != CALENDAR_WORK && kind != CALENDAR_PAID_OFF)
			continue;
		out->days++;
		if (bits & CALENDAR_SHORT) {
			out->shortened++;
			out->hours += per_day > 100 ? per_day - 100 : 0;
		} else {
			out->hours += per_day;
		}
	}
	return 0;
}

int calendar_month_norm(const struct calendar *cal, int year, int month, int32_t week_hours,
                        struct calendar_norm *out)
{
	if (month < 1 || month > 12)
		return -1;
	return calendar_norm(cal, date_month_first(year, month), date_month_last(year, month),
	                     week_hours, out);
}

int calendar_year_norm(const struct calendar *cal, int year, int32_t week_hours,
                       struct calendar_norm *out)
{
	return calendar_norm(cal, date_from_ymd(year, 1, 1), date_from_ymd(year, 12, 31),
	                     week_hours, out);
}

int calendar_vacation_end(const struct calendar *cal, int start, int days, int *end)
{
	int d = start, counted = 0;

	if (days <= 0)
		return -1;
	for (;;) {
		unsigned bits = calendar_day(cal, d);

		if (!(bits & CALENDAR_COVERED))
			return -1;
		if (CALENDAR_KIND(bits) != CALENDAR_HOLIDAY && ++counted == days)
			break;
		d++;
	}
	*end = d;
	return 0;
}

/* ---- xmlcalendar: reading with libexpat ---- */

/*
 * libexpat tokenizes the text (attributes, quotes, entities, comments, the
 * XML declaration, the BOM, line numbers); the handlers below check the
 * structure as it comes. A DOCTYPE is refused before anything in it is
 * read, so no entity is ever declared, expanded or fetched.
 */

/* One start tag as expat reports it. */
struct calendar_tag {
	int line;
	int empty; /* <x/> rather than <x>...</x> */
	const char *name;
	const XML_Char **atts; /* name, value, ..., NULL */
};

struct calendar_xml {
	XML_Parser parser;
	const char *text;
	size_t len;
	struct calendar_error *err;
	int failed;
	int depth;
	int root_seen;
	int seen_holidays, seen_days;
	const char *list, *item; /* the open <holidays> or <days> and its item */
	struct calendar_year *y;
	struct calendar_raw_day *raw;
};

/* ---- xmlcalendar: structure ---- */

/* Checks that every attribute of t is in the NULL-terminated list. */
static int calendar_check_attrs(const struct calendar_tag *t, const char *const *allowed,
                                struct calendar_error *err)
{
	int i, k;

	for (i = 0; t->atts[i] != NULL; i += 2) {
		for (k = 0; allowed[k] != NULL; k++)
			if (strcmp(t->atts[i], allowed[k]) == 0)
				break;
		if (allowed[k] == NULL) {
			calendar_fail(err, t->line, t->atts[i],
			              "строка %d: <%.32s>: неизвестный атрибут %.32s", t->line,
			              t->name, t->atts[i]);
			return -1;
		}
	}
	return 0;
}

static const char *calendar_attr(const struct calendar_tag *t, const char *name)
{
	int i;

	for (i = 0; t->atts[i] != NULL; i += 2)
		if (strcmp(t->atts[i], name) == 0)
			return t->atts[i + 1];
	return NULL;
}

static int calendar_parse_int(const char *s, int lo, int hi, int *out)
{
	long v = 0;
	int n = 0;

	if (*s == '0' && s[1] != '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || ++n > 6)
			return -1;
		v = v * 10 + (*s - '0');
	}
	if (n == 0 || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

/* "MM.DD" of year y -> day number. */
static int calendar_parse_md(const char *s, int year, int *out)
{
	int m, d;

	if (strlen(s) != 5 || s[2] != '.')
		return -1;
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9' || s[3] < '0' || s[3] > '9' ||
	    s[4] < '0' || s[4] > '9')
		return -1;
	m = (s[0] - '0') * 10 + (s[1] - '0');
	d = (s[3] - '0') * 10 + (s[4] - '0');
	if (!date_valid(year, m, d))
		return -1;
	*out = date_from_ymd(year, m, d);
	return 0;
}

/*
 * After all entries of a year: paid non-working days that immediately
 * precede a public holiday were shortened in the official norm.
 */
static void calendar_mark_paid_short(struct calendar_year *y)
{
	int i;

	for (i = 0; i + 1 < y->ndays; i++)
		if (CALENDAR_KIND(y->day[i]) == CALENDAR_PAID_OFF &&
		    CALENDAR_KIND(y->day[i + 1]) == CALENDAR_HOLIDAY)
			y->day[i] |= CALENDAR_SHORT;
}

struct calendar_raw_day {
	int line;
	int t, h, from;
};

static int calendar_parse_day(struct calendar_year *y, const struct calendar_tag *t,
                              struct calendar_raw_day *raw, struct calendar_error *err)
{
	static const char *const allowed[] = {"d", "t", "h", "f", NULL};
	const char *d = calendar_attr(t, "d"), *ts = calendar_attr(t, "t");
	const char *h = calendar_attr(t, "h"), *f = calendar_attr(t, "f");
	int date, idx, tv, hv = 0, fv = DATE_NONE;

	if (calendar_check_attrs(t, allowed, err) != 0)
		return -1;
	if (d == NULL || calendar_parse_md(d, y->year, &date) != 0) {
		calendar_fail(err, t->line, "d",
		              "строка %d: <day>: атрибут d должен быть датой ММ.ДД %d года, а не "
		              "\"%.32s\"",
		              t->line, y->year, d ? d : "");
		return -1;
	}
	idx = date - y->first;
	if (raw[idx].line) {
		calendar_fail(err, t->line, "d", "строка %d: <day>: день %s уже описан в строке %d",
		              t->line, d, raw[idx].line);
		return -1;
	}
	if (ts == NULL || calendar_parse_int(ts, 1, 3, &tv) != 0) {
		calendar_fail(err, t->line, "t",
		              "строка %d: <day d=\"%s\">: атрибут t должен быть 1, 2 или 3, а не "
		              "\"%.32s\"",
		              t->line, d, ts ? ts : "");
		return -1;
	}
	if (h != NULL) {
		if (tv != 1) {
			calendar_fail(err, t->line, "h",
			              "строка %d: <day d=\"%s\">: атрибут h допустим только при "
			              "t=\"1\"",
			              t->line, d);
			return -1;
		}
		if (calendar_parse_int(h, 1, CALENDAR_MAX_TITLES - 1, &hv) != 0) {
			calendar_fail(err, t->line, "h",
			              "строка %d: <day d=\"%s\">: атрибут h должен быть номером "
			              "праздника 1..%d, а не \"%.32s\"",
			              t->line, d, CALENDAR_MAX_TITLES - 1, h);
			return -1;
		}
	}
	if (f != NULL) {
		if (tv != 1 || h != NULL) {
			calendar_fail(err, t->line, "f",
			              "строка %d: <day d=\"%s\">: атрибут f допустим только при "
			              "t=\"1\" без h",
			              t->line, d);
			return -1;
		}
		if (calendar_parse_md(f, y->year, &fv) != 0) {
			calendar_fail(
			    err, t->line, "f",
			    "строка %d: <day d=\"%s\">: атрибут f должен быть датой ММ.ДД "
			    "%d года, а не \"%.32s\"",
			    t->line, d, y->year, f);
			return -1;
		}
	}
	raw[idx].line = t->line;
	raw[idx].t = tv;
	raw[idx].h = hv;
	raw[idx].from = fv;
	return 0;
}

static int calendar_parse_holiday(struct calendar_year *y, const struct calendar_tag *t,
                                  struct calendar_error *err)
{
	static const char *const allowed[] = {"id", "title", NULL};
	const char *ids = calendar_attr(t, "id"), *title = calendar_attr(t, "title");
	int id;

	if (calendar_check_attrs(t, allowed, err) != 0)
		return -1;
	if (ids == NULL || calendar_parse_int(ids, 1, CALENDAR_MAX_TITLES - 1, &id) != 0) {
		calendar_fail(err, t->line, "id",
		              "строка %d: <holiday>: атрибут id должен быть числом 1..%d, а не "
		              "\"%.32s\"",
		              t->line, CALENDAR_MAX_TITLES - 1, ids ? ids : "");
		return -1;
	}
	if (y->titles[id] != NULL) {
		calendar_fail(err, t->line, "id", "строка %d: <holiday>: id %d повторяется",
		              t->line, id);
		return -1;
	}
	if (title == NULL || title[0] == '\0') {
		calendar_fail(err, t->line, "title",
		              "строка %d: <holiday id=\"%d\">: нужен непустой атрибут title",
		              t->line, id);
		return -1;
	}
	/* the JSON form names holidays by title, so a title must be unique */
	for (int k = 1; k < CALENDAR_MAX_TITLES; k++)
		if (y->titles[k] != NULL && strcmp(y->titles[k], title) == 0) {
			calendar_fail(
			    err, t->line, "title",
			    "строка %d: <holiday id=\"%d\">: название повторяется (id %d)", t->line,
			    id, k);
			return -1;
		}
	y->titles[id] = calendar_strdup(title);
	return 0;
}

/* Reads the children of an open <holidays> or <days> up to its end tag. */
static char *calendar_dup_attr(const struct calendar_tag *t, const char *name)
{
	const char *v = calendar_attr(t, name);

	return v ? calendar_strdup(v) : NULL;
}

/* Turns the raw entries into kinds. */
static int calendar_apply_raw(struct calendar_year *y, const struct calendar_raw_day *raw,
                              struct calendar_error *err)
{
	int i;

	for (i = 0; i < y->ndays; i++) {
		const struct calendar_raw_day *r = &raw[i];
		int weekend = date_weekday(y->first + i) >= DATE_SAT;
		enum calendar_kind kind;
		unsigned flags = 0;

		if (!r->line)
			continue;
		if (r->h && y->titles[r->h] == NULL) {
			calendar_fail(err, r->line, "h",
			              "строка %d: <day>: праздника с id %d нет в <holidays>",
			              r->line, r->h);
			return -1;
		}
		if (r->t == 2) {
			kind = CALENDAR_WORK;
			flags = CALENDAR_SHORT;
		} else if (r->t == 3) {
			kind = CALENDAR_WORK;
		} else if (r->h && calendar_title_is_paid_off(y->titles[r->h])) {
			kind = weekend ? CALENDAR_WEEKEND : CALENDAR_PAID_OFF;
		} else if (r->h) {
			kind = CALENDAR_HOLIDAY;
		} else if (weekend && r->from == DATE_NONE) {
			kind = CALENDAR_WEEKEND;
		} else {
			kind = CALENDAR_DAY_OFF;
		}
		if (calendar_year_set(y, i, kind, flags, r->h, r->from) != 0) {
			calendar_fail(err, r->line, "t", "строка %d: <day>: недопустимое сочетание",
			              r->line);
			return -1;
		}
	}
	calendar_mark_paid_short(y);
	return 0;
}

static int calendar_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void calendar_xml_stop(struct calendar_xml *x)
{
	x->failed = 1;
	XML_StopParser(x->parser, XML_FALSE);
}

/* The <calendar> element: the year and its attributes. */
static int calendar_xml_root(struct calendar_xml *x, const struct calendar_tag *t)
{
	static const char *const allowed[] = {"year", "lang", "date", "country", NULL};
	const char *ys;
	int year;

	if (strcmp(t->name, "calendar") != 0) {
		calendar_fail(x->err, t->line, "", "строка %d: ожидается <calendar>", t->line);
		return -1;
	}
	if (calendar_check_attrs(t, allowed, x->err) != 0)
		return -1;
	ys = calendar_attr(t, "year");
	if (ys == NULL || calendar_parse_int(ys, DATE_MIN_YEAR, DATE_MAX_YEAR, &year) != 0) {
		calendar_fail(x->err, t->line, "year",
		              "строка %d: <calendar>: атрибут year должен быть годом %d..%d, а не "
		              "\"%.32s\"",
		              t->line, DATE_MIN_YEAR, DATE_MAX_YEAR, ys ? ys : "");
		return -1;
	}
	x->y = calendar_year_new(year);
	x->y->lang = calendar_dup_attr(t, "lang");
	x->y->issued = calendar_dup_attr(t, "date");
	x->y->country = calendar_dup_attr(t, "country");
	x->raw = calloc(366, sizeof(*x->raw));
	if (x->raw == NULL)
		abort();
	return 0;
}

/* A child of <calendar>: one <holidays> and one <days> (empty ones any number). */
static int calendar_xml_list(struct calendar_xml *x, const struct calendar_tag *t)
{
	int holidays = strcmp(t->name, "holidays") == 0, days = strcmp(t->name, "days") == 0;

	if (t->atts[0] == NULL && (holidays || days) &&
	    (t->empty || (holidays ? !x->seen_holidays : !x->seen_days))) {
		if (!t->empty)
			*(holidays ? &x->seen_holidays : &x->seen_days) = 1;
		x->list = holidays ? "holidays" : "days";
		x->item = holidays ? "holiday" : "day";
		return 0;
	}
	calendar_fail(x->err, t->line, "",
	              "строка %d: в <calendar> ожидается <holidays> или <days> (по одному) или "
	              "</calendar>",
	              t->line);
	return -1;
}

static void XMLCALL calendar_xml_start(void *data, const XML_Char *name, const XML_Char **atts)
{
	struct calendar_xml *x = data;
	struct calendar_tag t = {(int)XML_GetCurrentLineNumber(x->parser), 0, name, atts};
	XML_Index at = XML_GetCurrentByteIndex(x->parser);
	int count = XML_GetCurrentByteCount(x->parser), depth = x->depth++, rc, i;

	if (x->failed)
		return;
	if (at >= 0 && count >= 2 && (size_t)at + (size_t)count <= x->len)
		t.empty = x->text[at + count - 2] == '/';
	for (i = 0; atts[i] != NULL; i += 2)
		if (strlen(atts[i + 1]) > CALENDAR_VALUE_MAX - 5) {
			calendar_fail(x->err, t.line, atts[i],
			              "строка %d: атрибут %.32s: значение длиннее %d %s", t.line,
			              atts[i], CALENDAR_VALUE_MAX - 5,
			              ru_plural(CALENDAR_VALUE_MAX - 5, "байта", "байт", "байт"));
			calendar_xml_stop(x);
			return;
		}
	if (depth == 0) {
		x->root_seen = 1;
		rc = calendar_xml_root(x, &t);
	} else if (depth == 1) {
		rc = calendar_xml_list(x, &t);
	} else if (depth == 2 && strcmp(name, x->item) == 0) {
		rc = strcmp(x->item, "day") == 0 ? calendar_parse_day(x->y, &t, x->raw, x->err)
		                                 : calendar_parse_holiday(x->y, &t, x->err);
	} else if (depth == 2) {
		calendar_fail(x->err, t.line, "", "строка %d: в <%s> ожидается <%s> или </%s>",
		              t.line, x->list, x->item, x->list);
		rc = -1;
	} else {
		calendar_fail(x->err, t.line, "", "строка %d: ожидается </%s>", t.line, x->item);
		rc = -1;
	}
	if (rc != 0)
		calendar_xml_stop(x);
}

static void XMLCALL calendar_xml_end(void *data, const XML_Char *name)
{
	struct calendar_xml *x = data;

	(void)name;
	x->depth--;
}

/* Only whitespace may stand between the tags. */
static void XMLCALL calendar_xml_text(void *data, const XML_Char *s, int len)
{
	struct calendar_xml *x = data;
	int i;

	if (x->failed)
		return;
	for (i = 0; i < len; i++)
		if (!calendar_xml_space(s[i])) {
			int line = (int)XML_GetCurrentLineNumber(x->parser);

			calendar_fail(x->err, line, "", "строка %d: текст вне тегов (ожидается <)",
			              line);
			calendar_xml_stop(x);
			return;
		}
}

static void calendar_xml_refuse_doctype(struct calendar_xml *x)
{
	int line = (int)XML_GetCurrentLineNumber(x->parser);

	if (x->failed)
		return;
	calendar_fail(x->err, line, "",
	              "строка %d: Файл календаря с объявлением DOCTYPE не принимается: "
	              "объявления сущностей и внешние ссылки (SYSTEM, PUBLIC) запрещены",
	              line);
	calendar_xml_stop(x);
}

static void XMLCALL calendar_xml_doctype(void *data, const XML_Char *name, const XML_Char *sysid,
                                         const XML_Char *pubid, int has_internal_subset)
{
	(void)name, (void)sysid, (void)pubid, (void)has_internal_subset;
	calendar_xml_refuse_doctype(data);
}

static void XMLCALL calendar_xml_entity(void *data, const XML_Char *name, int is_parameter,
                                        const XML_Char *value, int value_length,
                                        const XML_Char *base, const XML_Char *sysid,
                                        const XML_Char *pubid, const XML_Char *notation)
{
	(void)name, (void)is_parameter, (void)value, (void)value_length, (void)base;
	(void)sysid, (void)pubid, (void)notation;
	calendar_xml_refuse_doctype(data);
}

static int XMLCALL calendar_xml_external(XML_Parser parser, const XML_Char *context,
                                         const XML_Char *base, const XML_Char *sysid,
                                         const XML_Char *pubid)
{
	(void)context, (void)base, (void)sysid, (void)pubid;
	calendar_xml_refuse_doctype(XML_GetUserData(parser));
	return XML_STATUS_ERROR;
}

/* The name (tag or attribute) starting at s, for messages. */
static void calendar_xml_name_at(const char *s, const char *end, char *out, size_t n)
{
	size_t i = 0;

	while (s < end && i + 1 < n && !calendar_xml_space(*s) && *s != '=' && *s != '>' &&
	       *s != '/' && *s != '"' && *s != '\'')
		out[i++] = *s++;
	out[i] = '\0';
}

/* expat's error as a Russian sentence with the line. */
static void calendar_xml_error(struct calendar_xml *x)
{
	enum XML_Error code = XML_GetErrorCode(x->parser);
	int line = (int)XML_GetCurrentLineNumber(x->parser);
	XML_Index at = XML_GetCurrentByteIndex(x->parser);
	const char *p = at >= 0 && (size_t)at <= x->len ? x->text + at : x->text + x->len;
	const char *end = x->text + x->len;
	size_t left = (size_t)(end - p);
	char name[40];

	switch (code) {
	case XML_ERROR_NO_ELEMENTS:
		if (!x->root_seen)
			calendar_fail(x->err, line, "", "строка %d: ожидается <calendar>", line);
		else
			calendar_fail(x->err, line, "", "строка %d: файл кончился до </calendar>",
			              line);
		return;
	case XML_ERROR_UNCLOSED_TOKEN:
	case XML_ERROR_PARTIAL_CHAR:
	case XML_ERROR_UNCLOSED_CDATA_SECTION:
		if (left >= 4 && memcmp(p, "<!--", 4) == 0) {
			calendar_fail(x->err, line, "", "строка %d: комментарий не закрыт", line);
		} else if (left >= 2 && memcmp(p, "<?", 2) == 0) {
			calendar_fail(x->err, line, "", "строка %d: объявление <? не закрыто",
			              line);
		} else if (left >= 2 && p[0] == '<' && p[1] != '!') {
			calendar_xml_name_at(p + 1, end, name, sizeof(name));
			calendar_fail(x->err, line, "", "строка %d: тег <%s не закрыт", line, name);
		} else {
			calendar_fail(x->err, line, "", "строка %d: файл кончился внутри разметки",
			              line);
		}
		return;
	case XML_ERROR_JUNK_AFTER_DOC_ELEMENT:
		calendar_fail(x->err, line, "", "строка %d: лишнее после </calendar>", line);
		return;
	case XML_ERROR_UNDEFINED_ENTITY:
	case XML_ERROR_BAD_CHAR_REF:
	case XML_ERROR_RECURSIVE_ENTITY_REF:
	case XML_ERROR_ASYNC_ENTITY:
	case XML_ERROR_BINARY_ENTITY_REF:
	case XML_ERROR_ATTRIBUTE_EXTERNAL_ENTITY_REF:
		calendar_fail(x->err, line, "",
		              "строка %d: неизвестная ссылка &...; (допустимы &lt; &gt; &amp; "
		              "&quot; &apos; и &#...; символа XML)",
		              line);
		return;
	case XML_ERROR_DUPLICATE_ATTRIBUTE:
		calendar_xml_name_at(p, end, name, sizeof(name));
		calendar_fail(x->err, line, name, "строка %d: атрибут %s повторяется", line, name);
		return;
	case XML_ERROR_TAG_MISMATCH:
		calendar_xml_name_at(left >= 2 && p[0] == '<' && p[1] == '/' ? p + 2 : p, end, name,
		                     sizeof(name));
		calendar_fail(x->err, line, "",
		              "строка %d: закрывающий тег </%s> не соответствует открытому", line,
		              name);
		return;
	case XML_ERROR_MISPLACED_XML_PI:
		calendar_fail(x->err, line, "",
		              "строка %d: объявление <?xml ...?> допустимо только в начале файла",
		              line);
		return;
	default:
		break;
	}
	/* an attribute's value without quotes: name=value */
	{
		const char *q = p;

		while (q > x->text && calendar_xml_space(q[-1]))
			q--;
		if (q > x->text && q[-1] == '=' && left > 0 && *p != '"' && *p != '\'') {
			calendar_fail(x->err, line, "",
			              "строка %d: значение атрибута должно быть в кавычках", line);
			return;
		}
	}
	/* text before <calendar>: expat stops at the tag after it */
	if (x->depth == 0 && ((left > 0 && *p != '<' && !calendar_xml_space(*p)) ||
	                      (p > x->text && p[-1] != '>' && !calendar_xml_space(p[-1])))) {
		calendar_fail(x->err, line, "", "строка %d: текст вне тегов (ожидается <)", line);
		return;
	}
	if (code == XML_ERROR_INVALID_TOKEN && left > 0 && *p == '<') {
		calendar_fail(x->err, line, "", "строка %d: ошибка в теге (ожидается <имя ...>)",
		              line);
		return;
	}
	calendar_fail(x->err, line, "",
	              "строка %d: нарушена разметка XML (недопустимый символ, не UTF-8 или "
	              "ошибка в теге)",
	              line);
}

int calendar_load_xml(struct calendar *cal, const char *text, size_t len,
                      struct calendar_error *err)
{
	struct calendar_xml x;
	enum XML_Status st;

	memset(&x, 0, sizeof(x));
	x.text = text;
	x.len = len;
	x.err = err;
	if (memchr(text, '\0', len) != NULL) {
		calendar_fail(err, 1, "", "строка 1: в файле есть нулевые байты");
		return -1;
	}
	if (len > CALENDAR_FILE_MAX) {
		calendar_fail(err, 1, "", "строка 1: файл больше %d %s", CALENDAR_FILE_MAX,
		              ru_plural(CALENDAR_FILE_MAX, "байта", "байт", "байт"));
		return -1;
	}
	/* The text is UTF-8 (calendars.c converts an import first), whatever its
	 * declaration says. */
	x.parser = XML_ParserCreate("UTF-8");
	if (x.parser == NULL)
		abort();
	XML_SetUserData(x.parser, &x);
	XML_SetElementHandler(x.parser, calendar_xml_start, calendar_xml_end);
	XML_SetCharacterDataHandler(x.parser, calendar_xml_text);
	XML_SetStartDoctypeDeclHandler(x.parser, calendar_xml_doctype);
	XML_SetEntityDeclHandler(x.parser, calendar_xml_entity);
	XML_SetExternalEntityRefHandler(x.parser, calendar_xml_external);
	XML_SetParamEntityParsing(x.parser, XML_PARAM_ENTITY_PARSING_NEVER);
	st = XML_Parse(x.parser, text, (int)len, XML_TRUE);
	if (st != XML_STATUS_OK && !x.failed)
		calendar_xml_error(&x);
	if (st != XML_STATUS_OK || x.failed || x.y == NULL ||
	    calendar_apply_raw(x.y, x.raw, err) != 0) {
		if (x.y == NULL && !x.failed && st == XML_STATUS_OK)
			calendar_fail(err, 1, "", "строка 1: ожидается <calendar>");
		XML_ParserFree(x.parser);
		free(x.raw);
		if (x.y != NULL)
			calendar_year_free(x.y);
		return -1;
	}
	XML_ParserFree(x.parser);
	free(x.raw);
	calendar_install(cal, x.y);
	return 0;
}

int calendar_load_xml_file(struct calendar *cal, const char *path, struct calendar_error *err)
{
	FILE *f = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	int rc;

	if (f == NULL) {
		calendar_fail(err, 0, "", "не открыть %s: %s", path, strerror(errno));
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		buf_append(&b, chunk, n);
		if (b.len > CALENDAR_FILE_MAX) {
			fclose(f);
			buf_free(&b);
			calendar_fail(err, 0, "", "%s: файл больше %d %s", path, CALENDAR_FILE_MAX,
			              ru_plural(CALENDAR_FILE_MAX, "байта", "байт", "байт"));
			return -1;
		}
	}
	if (ferror(f)) {
		fclose(f);
		buf_free(&b);
		calendar_fail(err, 0, "", "ошибка чтения %s", path);
		return -1;
	}
	fclose(f);
	rc = calendar_load_xml(cal, b.data ? b.data : "", b.len, err);
	buf_free(&b);
	return rc;
}

/* ---- xmlcalendar: emitter ---- */

static void calendar_put_escaped(struct buf *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&':
			buf_puts(out, "&amp;");
			break;
		case '<':
			buf_puts(out, "&lt;");
			break;
		case '>':
			buf_puts(out, "&gt;");
			break;
		case '"':
			buf_puts(out, "&quot;");
			break;
		case '\n':
			buf_puts(out, "&#10;");
			break;
		case '\t':
			buf_puts(out, "&#9;");
			break;
		case '\r':
			buf_puts(out, "&#13;");
			break;
		default:
			buf_putc(out, *s);
		}
	}
}

static void calendar_put_attr(struct buf *out, const char *name, const char *value)
{
	if (value == NULL)
		return;
	buf_printf(out, " %s=\"", name);
	calendar_put_escaped(out, value);
	buf_putc(out, '"');
}

static void calendar_put_md(struct buf *out, const char *name, int date)
{
	int m, d;

	date_to_ymd(date, NULL, &m, &d);
	buf_printf(out, " %s=\"%02d.%02d\"", name, m, d);
}

/* The t attribute for a day (0: no entry). */
static int calendar_xml_t(unsigned bits)
{
	switch (CALENDAR_KIND(bits)) {
	case CALENDAR_WORK:
		if (bits & CALENDAR_SHORT)
			return 2;
		return (bits & (CALENDAR_MADE_WORKING | CALENDAR_LISTED)) ? 3 : 0;
	case CALENDAR_WEEKEND:
		return (bits & CALENDAR_LISTED) ? 1 : 0;
	default:
		return 1;
	}
}

int calendar_emit_xml(const struct calendar *cal, int year, struct buf *out)
{
	const struct calendar_year *y = calendar_find(cal, year);
	int i;

	if (y == NULL)
		return -1;
	buf_puts(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
	buf_printf(out, "<calendar year=\"%d\"", y->year);
	calendar_put_attr(out, "lang", y->lang);
	calendar_put_attr(out, "date", y->issued);
	calendar_put_attr(out, "country", y->country);
	buf_puts(out, ">\n    <holidays>\n");
	for (i = 1; i < CALENDAR_MAX_TITLES; i++) {
		if (y->titles[i] == NULL)
			continue;
		buf_printf(out, "        <holiday id=\"%d\"", i);
		calendar_put_attr(out, "title", y->titles[i]);
		buf_puts(out, "/>\n");
	}
	buf_puts(out, "    </holidays>\n    <days>\n");
	for (i = 0; i < y->ndays; i++) {
		int t = calendar_xml_t(y->day[i]);

		if (t == 0)
			continue;
		buf_puts(out, "        <day");
		calendar_put_md(out, "d", y->first + i);
		buf_printf(out, " t=\"%d\"", t);
		if (t == 1 && y->hid[i])
			buf_printf(out, " h=\"%d\"", y->hid[i]);
		if (t == 1 && y->from[i] != DATE_NONE)
			calendar_put_md(out, "f", y->from[i]);
		buf_puts(out, "/>\n");
	}
	buf_puts(out, "    </days>\n</calendar>\n");
	return 0;
}

/* ---- JSON form ---- */

static const char *const calendar_kind_names[] = {"work", "weekend", "holiday", "day_off",
                                                  "paid_off"};

static void calendar_json_date(json_object *o, const char *key, int date)
{
	char b[DATE_BUFSZ];

	date_format(date, b);
	json_object_object_add(o, key, json_object_new_string(b));
}

json_object *calendar_to_json(const struct calendar *cal, int year)
{
	const struct calendar_year *y = calendar_find(cal, year);
	json_object *root, *titles, *days;
	int i, last_id = 0;

	if (y == NULL)
		return NULL;
	root = json_object_new_object();
	json_object_object_add(root, "year", json_object_new_int(y->year));
	if (y->lang)
		json_object_object_add(root, "lang", json_object_new_string(y->lang));
	if (y->issued)
		json_object_object_add(root, "issued", json_object_new_string(y->issued));
	if (y->country)
		json_object_object_add(root, "country", json_object_new_string(y->country));
	for (i = 1; i < CALENDAR_MAX_TITLES; i++)
		if (y->titles[i] != NULL)
			last_id = i;
	titles = json_object_new_array();
	for (i = 1; i <= last_id; i++)
		json_object_array_add(titles,
		                      y->titles[i] ? json_object_new_string(y->titles[i]) : NULL);
	json_object_object_add(root, "holidays", titles);
	days = json_object_new_array();
	for (i = 0; i < y->ndays; i++) {
		unsigned bits = y->day[i];
		enum calendar_kind kind = CALENDAR_KIND(bits);
		json_object *d;

		if (calendar_xml_t(bits) == 0)
			continue;
		d = json_object_new_object();
		calendar_json_date(d, "date", y->first + i);
		json_object_object_add(d, "kind",
		                       json_object_new_string(calendar_kind_names[kind]));
		if (y->hid[i])
			json_object_object_add(d, "title",
			                       json_object_new_string(y->titles[y->hid[i]]));
		if (y->from[i] != DATE_NONE)
			calendar_json_date(d, "from", y->from[i]);
		if (bits & CALENDAR_SHORT)
			json_object_object_add(d, "short", json_object_new_boolean(1));
		json_object_array_add(days, d);
	}
	json_object_object_add(root, "days", days);
	return root;
}

static int calendar_json_string(json_object *o, const char *key, const char **out)
{
	json_object *v;

	*out = NULL;
	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	if (!json_object_is_type(v, json_type_string))
		return -1;
	*out = json_object_get_string(v);
	return 0;
}

static int calendar_json_day(struct calendar_year *y, json_object *d, int i,
                             struct calendar_error *err)
{
	char field[64];
	const char *ds, *ks, *title, *fs;
	json_object *shortv = NULL;
	int date, from = DATE_NONE, hid = 0, k;
	unsigned flags = 0;
	enum calendar_kind kind;

	snprintf(field, sizeof(field), "days[%d]", i);
	if (!json_object_is_type(d, json_type_object)) {
		calendar_fail(err, 0, field, "%s: ожидается объект {\"date\", \"kind\", ...}",
		              field);
		return -1;
	}
	{
		json_object_object_foreach(d, key, val)
		{
			(void)val;
			if (strcmp(key, "date") && strcmp(key, "kind") && strcmp(key, "title") &&
			    strcmp(key, "from") && strcmp(key, "short")) {
				snprintf(field, sizeof(field), "days[%d].%.32s", i, key);
				calendar_fail(err, 0, field,
				              "%s: неизвестный ключ (допустимы date, kind, title, "
				              "from, short)",
				              field);
				return -1;
			}
		}
	}
	snprintf(field, sizeof(field), "days[%d].date", i);
	if (calendar_json_string(d, "date", &ds) || ds == NULL || date_parse(ds, &date) ||
	    date_year(date) != y->year) {
		calendar_fail(err, 0, field, "%s: ожидается дата ГГГГ-ММ-ДД %d года", field,
		              y->year);
		return -1;
	}
	if (y->day[date - y->first] & CALENDAR_LISTED) {
		calendar_fail(err, 0, field, "%s: дата %s уже описана", field, ds);
		return -1;
	}
	snprintf(field, sizeof(field), "days[%d].kind", i);
	if (calendar_json_string(d, "kind", &ks) || ks == NULL)
		ks = "";
	for (k = 0; k < 5; k++)
		if (strcmp(ks, calendar_kind_names[k]) == 0)
			break;
	if (k == 5) {
		calendar_fail(err, 0, field,
		              "%s: допустимы work, weekend, holiday, day_off, paid_off", field);
		return -1;
	}
	kind = (enum calendar_kind)k;
	snprintf(field, sizeof(field), "days[%d].title", i);
	if (calendar_json_string(d, "title", &title) || (title != NULL && title[0] == '\0')) {
		calendar_fail(err, 0, field, "%s: ожидается непустая строка", field);
		return -1;
	}
	if (title != NULL && kind != CALENDAR_HOLIDAY && kind != CALENDAR_PAID_OFF &&
	    kind != CALENDAR_WEEKEND) {
		calendar_fail(err, 0, field, "%s: название бывает у holiday, paid_off и weekend",
		              field);
		return -1;
	}
	if (title == NULL && kind == CALENDAR_HOLIDAY)
		title = CALENDAR_DEFAULT_HOLIDAY;
	if (title == NULL && kind == CALENDAR_PAID_OFF)
		title = CALENDAR_DEFAULT_PAID_OFF;
	if (title != NULL && calendar_title_is_paid_off(title) != (kind != CALENDAR_HOLIDAY)) {
		calendar_fail(err, 0, field,
		              kind != CALENDAR_HOLIDAY
		                  ? "%s: название нерабочего оплачиваемого дня начинается с "
		                    "«Нерабоч» или называет указ Президента"
		                  : "%s: такое название означает нерабочий оплачиваемый день "
		                    "(kind paid_off)",
		              field);
		return -1;
	}
	if (title != NULL) {
		hid = calendar_title_id(y, title);
		if (hid == 0) {
			calendar_fail(
			    err, 0, field, "%s: больше %d %s праздников", field,
			    CALENDAR_MAX_TITLES - 1,
			    ru_plural(CALENDAR_MAX_TITLES - 1, "названия", "названий", "названий"));
			return -1;
		}
	}
	snprintf(field, sizeof(field), "days[%d].from", i);
	if (calendar_json_string(d, "from", &fs)) {
		calendar_fail(err, 0, field, "%s: ожидается дата ГГГГ-ММ-ДД", field);
		return -1;
	}
	if (fs != NULL) {
		if (kind != CALENDAR_DAY_OFF) {
			calendar_fail(err, 0, field, "%s: from бывает только у day_off", field);
			return -1;
		}
		if (date_parse(fs, &from) || date_year(from) != y->year) {
			calendar_fail(err, 0, field, "%s: ожидается дата ГГГГ-ММ-ДД %d года", field,
			              y->year);
			return -1;
		}
	}
	snprintf(field, sizeof(field), "days[%d].short", i);
	if (json_object_object_get_ex(d, "short", &shortv)) {
		if (!json_object_is_type(shortv, json_type_boolean)) {
			calendar_fail(err, 0, field, "%s: ожидается true или false", field);
			return -1;
		}
		if (json_object_get_boolean(shortv)) {
			if (kind != CALENDAR_WORK && kind != CALENDAR_PAID_OFF) {
				calendar_fail(err, 0, field,
				              "%s: сокращённым бывает только work или paid_off",
				              field);
				return -1;
			}
			flags |= CALENDAR_SHORT;
		}
	}
	if (calendar_year_set(y, date - y->first, kind, flags, hid, from) != 0) {
		snprintf(field, sizeof(field), "days[%d].kind", i);
		calendar_fail(err, 0, field, "%s: %s не может быть %s (день недели %d)", field, ds,
		              ks, date_weekday(date));
		return -1;
	}
	return 0;
}

int calendar_load_json(struct calendar *cal, json_object *root, struct calendar_error *err)
{
	json_object *v, *days = NULL, *titles = NULL;
	struct calendar_year *y = NULL;
	int year, i, n;

	if (!json_object_is_type(root, json_type_object)) {
		calendar_fail(err, 0, "", "ожидается объект {\"year\", \"days\"}");
		return -1;
	}
	{
		json_object_object_foreach(root, key, val)
		{
			(void)val;
			if (strcmp(key, "year") && strcmp(key, "lang") && strcmp(key, "issued") &&
			    strcmp(key, "country") && strcmp(key, "holidays") &&
			    strcmp(key, "days")) {
				calendar_fail(err, 0, key,
				              "%.40s: неизвестный ключ (допустимы year, lang, "
				              "issued, country, holidays, days)",
				              key);
				return -1;
			}
		}
	}
	if (!json_object_object_get_ex(root, "year", &v) ||
	    !json_object_is_type(v, json_type_int) || json_object_get_int64(v) < DATE_MIN_YEAR ||
	    json_object_get_int64(v) > DATE_MAX_YEAR) {
		calendar_fail(err, 0, "year", "year: ожидается год %d..%d", DATE_MIN_YEAR,
		              DATE_MAX_YEAR);
		return -1;
	}
	year = (int)json_object_get_int64(v);
	y = calendar_year_new(year);
	{
		static const char *const keys[] = {"lang", "issued", "country"};
		char **dst[] = {&y->lang, &y->issued, &y->country};
		int k;

		for (k = 0; k < 3; k++) {
			const char *s;

			if (calendar_json_string(root, keys[k], &s)) {
				calendar_fail(err, 0, keys[k], "%s: ожидается строка", keys[k]);
				goto fail;
			}
			if (s != NULL)
				*dst[k] = calendar_strdup(s);
		}
	}
	if (json_object_object_get_ex(root, "holidays", &titles)) {
		if (!json_object_is_type(titles, json_type_array) ||
		    json_object_array_length(titles) >= CALENDAR_MAX_TITLES) {
			calendar_fail(err, 0, "holidays",
			              "holidays: ожидается массив названий (не больше %d)",
			              CALENDAR_MAX_TITLES - 1);
			goto fail;
		}
		n = (int)json_object_array_length(titles);
		for (i = 0; i < n; i++) {
			json_object *t = json_object_array_get_idx(titles, (size_t)i);
			char field[32];
			int k;

			if (t == NULL)
				continue;
			snprintf(field, sizeof(field), "holidays[%d]", i);
			if (!json_object_is_type(t, json_type_string) ||
			    json_object_get_string_len(t) == 0) {
				calendar_fail(err, 0, field,
				              "%s: ожидается непустая строка или null", field);
				goto fail;
			}
			for (k = 1; k <= i; k++)
				if (y->titles[k] &&
				    strcmp(y->titles[k], json_object_get_string(t)) == 0) {
					calendar_fail(err, 0, field, "%s: название повторяется",
					              field);
					goto fail;
				}
			y->titles[i + 1] = calendar_strdup(json_object_get_string(t));
		}
	}
	if (json_object_object_get_ex(root, "days", &days)) {
		if (!json_object_is_type(days, json_type_array)) {
			calendar_fail(err, 0, "days", "days: ожидается массив");
			goto fail;
		}
		n = (int)json_object_array_length(days);
		for (i = 0; i < n; i++)
			if (calendar_json_day(y, json_object_array_get_idx(days, (size_t)i), i,
			                      err) != 0)
				goto fail;
	}
	calendar_install(cal, y);
	return 0;
fail:
	calendar_year_free(y);
	return -1;
}
