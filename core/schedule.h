/*
 * schedule.h - work schedules (графики работы): planned hours per date.
 *
 * Two kinds, as in payroll.md:
 *  - SCHEDULE_WEEK: pattern[0..6] are Monday..Sunday. With
 *    SCHEDULE_HOLIDAYS_CALENDAR: public holidays and transferred days off
 *    are 0 h; a Saturday/Sunday the calendar makes working gets the
 *    pattern's Monday; a shortened pre-holiday day is one hour shorter; an
 *    ordinary Saturday/Sunday keeps the pattern's own hours (0 for a
 *    five-day week, the Saturday hours of a six-day week); a paid
 *    non-working day (2020-2021) keeps the pattern's hours and is flagged
 *    SCHEDULE_PAID_OFF, so it stays in the norm and, with nothing recorded
 *    against it, in worked time. With SCHEDULE_HOLIDAYS_IGNORE it is the
 *    bare pattern.
 *  - SCHEDULE_CYCLE: pattern[0..n-1] repeated day by day, pattern[0] falling
 *    on `start` (which may be before or after the dates asked for; the cycle
 *    extends both ways). With SCHEDULE_HOLIDAYS_CALENDAR public holidays
 *    (not transferred days off) are 0 h and the calendar's shortened
 *    pre-holiday days are one hour shorter.
 * A day that loses an hour keeps its night hours up to its new length.
 *
 * Every day carries total hours and night hours (22:00-06:00, included in
 * the total), both in hundredths of an hour (hours.h). Planned time for any
 * range of dates comes from schedule_fill(): a few ns a day, so a year
 * is well under a millisecond.
 *
 * Ownership: a struct schedule only points at the caller's name and pattern
 * (a database layer keeps them in its row buffers); nothing is copied or
 * freed here.
 */
#ifndef CABINET_SCHEDULE_H
#define CABINET_SCHEDULE_H

#include "calendar.h"

#include <stdint.h>

enum schedule_kind {
	SCHEDULE_WEEK,
	SCHEDULE_CYCLE,
};

enum schedule_holidays {
	SCHEDULE_HOLIDAYS_CALENDAR,
	SCHEDULE_HOLIDAYS_IGNORE,
};

/* Longest cycle pattern. */
#define SCHEDULE_MAX_PATTERN 366
/* Longest day: 24 h. */
#define SCHEDULE_MAX_DAY 2400

/* schedule_day.flags (set by schedule_fill, ignored in patterns). */
#define SCHEDULE_PAID_OFF 0x1u /* a paid non-working day of the calendar */

struct schedule_day {
	int32_t hours; /* hundredths */
	int32_t night; /* hundredths, <= hours */
	unsigned flags;
};

struct schedule {
	const char *name;
	enum schedule_kind kind;
	enum schedule_holidays holidays;
	int start; /* cycle: the date of pattern[0] (date.h day number) */
	const struct schedule_day *pattern;
	int npattern; /* week: 7; cycle: 1..SCHEDULE_MAX_PATTERN */
};

/*
 * NULL when the schedule is well formed, else a Russian reason: the kind,
 * pattern length, hours 0..24 and night <= hours per day, a cycle start.
 */
const char *schedule_check(const struct schedule *s);

/*
 * Planned days for from..to (inclusive) into out[0..to-from]. cal may be
 * NULL for SCHEDULE_HOLIDAYS_IGNORE. Returns 0, or -1 when the schedule is
 * malformed or needs a calendar date that cal does not cover.
 */
int schedule_fill(const struct schedule *s, const struct calendar *cal, int from, int to,
                  struct schedule_day *out);

/* Days with hours > 0 and the sum of hours over days[0..n-1]. */
void schedule_sum(const struct schedule_day *days, int n, int *ndays, int32_t *hours);

#endif
