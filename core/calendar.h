/*
 * calendar.h - production calendars (производственный календарь).
 *
 * A struct calendar holds any number of years; every date of a loaded year
 * has a kind and flags, looked up by day number (date.h) in O(1), so a cycle
 * schedule crossing a year boundary just reads both years. Dates of years
 * not loaded are "not covered": calendar_day() returns 0 for them and the
 * norm functions fail rather than guess.
 *
 * Kinds of day:
 *   CALENDAR_WORK      a working day: a weekday, or a Saturday/Sunday made
 *                      working by a transfer (flag CALENDAR_MADE_WORKING);
 *   CALENDAR_WEEKEND   Saturday or Sunday;
 *   CALENDAR_HOLIDAY   a public non-working holiday (Labor Code art. 112), on
 *                      any weekday - only these extend a vacation;
 *   CALENDAR_DAY_OFF   a day off moved here by a transfer (Government decree,
 *                      or art. 112 when a holiday falls on a weekend);
 *   CALENDAR_PAID_OFF  a paid non-working day declared by the President
 *                      (30.03-08.05.2020, 24.06.2020, 01.07.2020, 04-07.05.2021,
 *                      01-05.11.2021 ...). Nobody works, pay is kept, and the
 *                      official norm of working time counts it as a working
 *                      day (April 2020: 22 days; 2020: 248 days / 1979 h).
 * plus CALENDAR_SHORT: a pre-holiday day one hour shorter.
 *
 * Paid non-working days in the xmlcalendar files are t="1" days whose holiday
 * title starts with "Нерабоч" ("Нерабочие дни (Указ Президента ...)") or
 * names a presidential decree ("Указ Президента"): 01.07.2020, the day of
 * the vote on the constitution, is titled "Общероссийское голосование ...
 * (Указ Президента ...)" and the official 248 days of 2020 need it counted.
 * Such a day falling on a Saturday or Sunday stays a weekend. The files also
 * lose the shortening of the paid days that preceded a holiday (30.04.2020,
 * 08.05.2020, 03.11.2021); a paid non-working day immediately followed by a
 * public holiday is therefore marked CALENDAR_SHORT when an xmlcalendar file
 * is loaded (the JSON form states it explicitly).
 *
 * Norms (Order 588n of 13.08.2009): weekly hours / 5 per working day, one
 * hour less on a shortened day; paid non-working days count. Hours are
 * hundredths (hours.h): a 40-hour week is 4000, its day 800; 36 h -> 720.
 *
 * The xmlcalendar format (https://xmlcalendar.ru/, "ru/YYYY.xml"):
 *   <calendar year="2025" lang="ru" date="2024.12.01" country="ru">
 *     <holidays><holiday id="1" title="Новогодние каникулы"/>...</holidays>
 *     <days><day d="01.01" t="1" h="1"/><day d="05.02" t="1" f="01.04"/>
 *           <day d="03.07" t="2"/><day d="04.27" t="3"/>...</days>
 *   </calendar>
 * t="1" a day off (h = holiday id, f = "MM.DD" it was moved from), t="2" a
 * shortened working day, t="3" a Saturday/Sunday made a full working day.
 * libexpat reads the text (attributes in any order, single or double quotes,
 * the five predefined entities and &#...;, an XML declaration and comments,
 * an optional UTF-8 BOM); the text is taken as UTF-8 whatever its declaration
 * says. A DOCTYPE is refused (no entity is declared, expanded or fetched).
 * Anything else - unknown elements or attributes, text between tags, bad
 * values, duplicate days or holiday titles (the JSON form names holidays by
 * title) - is refused with a Russian message that names the line and the
 * attribute.
 *
 * The JSON form of a year (what the API and the database store):
 *   {"year": 2025,
 *    "lang": "ru", "issued": "2024.12.01", "country": "ru",   (optional)
 *    "holidays": ["Новогодние каникулы", "Рождество Христово", ...],
 *                            (optional: holiday titles, id = position + 1)
 *    "days": [                              (only days that differ from
 *                                            Mon-Fri working, Sat/Sun off)
 *      {"date": "2025-01-01", "kind": "holiday", "title": "Новогодние каникулы"},
 *      {"date": "2025-03-07", "kind": "work", "short": true},
 *      {"date": "2025-05-02", "kind": "day_off", "from": "2025-01-04"},
 *      {"date": "2024-04-27", "kind": "work"},        (a Saturday made working)
 *      {"date": "2020-04-30", "kind": "paid_off", "title": "Нерабочие дни ...",
 *       "short": true},
 *      {"date": "2020-05-02", "kind": "weekend"}]}    (listed, no effect)
 * kind is one of work, weekend, holiday, day_off, paid_off; "short" is
 * allowed on work and paid_off, "from" on day_off, "title" on holiday,
 * paid_off and weekend. A holiday without a title gets "Праздничный день", a
 * paid_off one "Нерабочий день". Both forms round-trip: xml -> calendar ->
 * json -> calendar -> xml gives the same text as the first emission.
 *
 * Ownership and threads: a calendar owns everything in it (titles are
 * copied). Loading and calendar_set_day() modify it; every other function
 * only reads, so one loaded calendar may be shared by threads.
 */
#ifndef CABINET_CALENDAR_H
#define CABINET_CALENDAR_H

#include "buf.h"

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>

enum calendar_kind {
	CALENDAR_WORK = 0,
	CALENDAR_WEEKEND = 1,
	CALENDAR_HOLIDAY = 2,
	CALENDAR_DAY_OFF = 3,
	CALENDAR_PAID_OFF = 4,
};

/* The bits of calendar_day(). */
#define CALENDAR_KIND_MASK    0x07u
#define CALENDAR_SHORT        0x08u /* pre-holiday: one hour shorter */
#define CALENDAR_MADE_WORKING 0x10u /* a Saturday/Sunday made working */
#define CALENDAR_LISTED       0x20u /* the day has its own entry in the source */
#define CALENDAR_COVERED      0x40u /* the day's year is loaded */

#define CALENDAR_KIND(day) ((enum calendar_kind)((day)&CALENDAR_KIND_MASK))

/* Weekly norms in hundredths of an hour. */
#define CALENDAR_WEEK_40 4000
#define CALENDAR_WEEK_36 3600
#define CALENDAR_WEEK_24 2400

struct calendar;

/* Where loading failed: line (xmlcalendar, else 0) or field (JSON path). */
struct calendar_error {
	int line;
	char field[64];
	char message[256];
};

struct calendar_norm {
	int days;      /* working days, paid non-working days included */
	int32_t hours; /* hundredths of an hour */
	int shortened; /* shortened days among them */
	int calendar_days;
};

struct calendar *calendar_new(void);
void calendar_free(struct calendar *cal);

/*
 * Adds a year of plain weeks (Mon-Fri working, Sat/Sun off) unless the year
 * is already there. Returns 0, or -1 for a year outside 1900..2199.
 */
int calendar_add_default_year(struct calendar *cal, int year);

/* Loads (or replaces) one year from xmlcalendar text. 0 or -1 with *err. */
int calendar_load_xml(struct calendar *cal, const char *text, size_t len,
                      struct calendar_error *err);
int calendar_load_xml_file(struct calendar *cal, const char *path, struct calendar_error *err);
/* Loads (or replaces) one year from the JSON form (borrowed). 0 or -1. */
int calendar_load_json(struct calendar *cal, json_object *year, struct calendar_error *err);

/* Appends the year as xmlcalendar text. 0, or -1 if the year is not loaded. */
int calendar_emit_xml(const struct calendar *cal, int year, struct buf *out);
/* The year in the JSON form (a new reference for the caller), or NULL. */
json_object *calendar_to_json(const struct calendar *cal, int year);

int calendar_has_year(const struct calendar *cal, int year);

/*
 * Provisional years (payroll.md "Production calendar"): for a year after the
 * last official one, a calendar built from the Labor Code - the holidays of
 * art. 112 (1-6 and 8 January "Новогодние каникулы", 7 January, 23
 * February, 8 March, 1 and 9 May, 12 June, 4 November); a holiday falling
 * on a Saturday or Sunday moves its day off to the next working day (kind
 * DAY_OFF, from = the holiday), except the January ones, whose moves the
 * Government's decree decides; the working day right before a holiday is an
 * hour shorter (art. 95; 31 December too). It is marked provisional until
 * the decree's calendar is imported (loading a year replaces it).
 *
 * calendar_add_provisional_year: adds the year unless loaded (0, -1 outside
 * 1900..2199). calendar_is_provisional: 1 for such a year.
 * calendar_last_official: the highest year that is not provisional, 0 if none.
 * calendar_cover: makes the year usable: 0 when loaded and official, 1 when
 * provisional (added now if needed: the year is after the last official one,
 * or there is none), -1 when missing (a year before the last official one
 * that was never loaded: only an import helps).
 * calendar_copy: a deep copy (the caller frees it).
 */
int calendar_add_provisional_year(struct calendar *cal, int year);

/* The Russian sentences every answer uses for a provisional year and for a
 * year no calendar covers: the year and what to do (import the decree's
 * calendar on the calendars page). CALENDAR_NOTE_BUFSZ bytes. */
#define CALENDAR_NOTE_BUFSZ 1024
void calendar_provisional_note(int year, char *out, size_t n);
void calendar_missing_note(int year, char *out, size_t n);
int calendar_is_provisional(const struct calendar *cal, int year);
int calendar_last_official(const struct calendar *cal);
int calendar_cover(struct calendar *cal, int year);
struct calendar *calendar_copy(const struct calendar *cal);
/* Lowest and highest loaded year; 0 and -1 when empty. Returns the count. */
int calendar_years(const struct calendar *cal, int *first, int *last);

/* The day's bits (CALENDAR_*), 0 when its year is not loaded. */
unsigned calendar_day(const struct calendar *cal, int date);
/* The title of a holiday or paid non-working day (borrowed), else NULL. */
const char *calendar_title(const struct calendar *cal, int date);
/* The date a transferred day off was moved from, else DATE_NONE. */
int calendar_transfer_from(const struct calendar *cal, int date);

/*
 * Marks one date of a loaded year (custom calendars, admin edits):
 * kind WORK (flags may have CALENDAR_SHORT; a Saturday/Sunday becomes
 * "made working"), WEEKEND (Saturday/Sunday only), HOLIDAY, DAY_OFF (from =
 * source date or DATE_NONE), PAID_OFF (flags may have CALENDAR_SHORT).
 * title (copied; NULL for the default) applies to HOLIDAY and PAID_OFF.
 * Returns 0, or -1 if the year is not loaded or the combination is invalid.
 */
int calendar_set_day(struct calendar *cal, int date, enum calendar_kind kind, unsigned flags,
                     const char *title, int from);

/*
 * Norm of working time for dates from..to (inclusive) at week_hours
 * (hundredths, divisible by 5: 4000, 3600, 2400, ...). Returns 0, or -1 when
 * a date is not covered or week_hours is invalid.
 */
int calendar_norm(const struct calendar *cal, int from, int to, int32_t week_hours,
                  struct calendar_norm *out);
int calendar_month_norm(const struct calendar *cal, int year, int month, int32_t week_hours,
                        struct calendar_norm *out);
int calendar_year_norm(const struct calendar *cal, int year, int32_t week_hours,
                       struct calendar_norm *out);

/*
 * Last day of a vacation of `days` calendar days from start: public holidays
 * inside it are not counted and extend it (art. 120); transferred days off
 * and paid non-working days count as vacation days. 0, or -1 if not covered.
 */
int calendar_vacation_end(const struct calendar *cal, int start, int days, int *end);

/* 1 if the holiday title marks a presidential paid non-working day. */
int calendar_title_is_paid_off(const char *title);

#endif
