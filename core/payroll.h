/*
 * payroll.h - time-norm payroll for one employee and one month.
 *
 * salary = rate × worked / norm per period of the month with the same
 * assignment, plus premium lines (overtime, weekend/holiday work, night
 * hours), following shared/reference/payroll.md. The same function serves
 * the JSON preview (preview.h) and the monthly payroll of a whole tenant:
 * it allocates nothing, keeps its scratch on the stack (about 15 KB) and
 * writes into a caller-owned result, so a loop over 10,000 employees costs
 * a few microseconds each.
 *
 * Units: money in kopecks (money.h), hours in hundredths (hours.h), dates
 * as day numbers (date.h). No floating point anywhere.
 *
 * Ownership: every pointer in struct payroll_input is borrowed for the
 * duration of payroll_run() only and is never written or freed. Arrays are
 * plain C arrays with counts, schedules are referenced by index into
 * input.schedules, names are the caller's strings - a database layer fills
 * them straight from its rows. The calendar may be shared between threads.
 *
 * The rules, and the decisions where payroll.md leaves room:
 *
 * Periods. Assignments (sorted by `from`, strictly ascending) say which
 * schedule applies from a date on; one before the month carries into it.
 * Each maximal run of days with the same assignment is a salary line, cut
 * to the employment dates (terms.hired .. terms.dismissed): a re-assignment
 * of the same schedule still starts a new line. Days before the first
 * assignment have no schedule: nothing is planned or worked on them.
 *
 * Norm. PAYROLL_NORM_PER_PERIOD: a line divides by the full-month norm of
 * its schedule. PAYROLL_NORM_SUMMED: one norm for the month, each day
 * counted by the schedule applying on it, days before the first assignment
 * by the first assignment's schedule; only this mode pays exactly the rate
 * for a fully worked month. Hired/dismissed never change the norm. The
 * norm is in days or hours as terms.pay_by says; hours always give the
 * hourly cost for premiums: rate / norm hours (per-period: of the schedule
 * applying on the premium's date; summed: the summed norm), never rounded.
 *
 * Individual schedule (индивидуальный график). When input.individual is
 * set it holds the planned day of every date of the month and replaces the
 * assigned schedules for the whole month: it is both the plan and the norm
 * (in either norm mode). Assignments may still be given to cut lines (a rate
 * or position change); without any, the month is one line whose schedule
 * index is PAYROLL_INDIVIDUAL.
 *
 * Worked time, registration of deviations (no timesheet): planned time of
 * each employed day, minus days covered by a whole-day deviation (Б, ОТ,
 * ДО, К, ... - T13_CLASS_ABSENCE codes; their from..to may reach outside
 * the month and is clipped). Hour deviations add premiums: С overtime, РВ
 * weekend/holiday work, Н extra night hours (added to the schedule's own
 * night hours of a worked day). They must fall inside the month and the
 * employment.
 *
 * Worked time, continuous registration (has_timesheet): the timesheet rows
 * ARE the month (they have priority over deviation documents), and all
 * deviations are ignored. Я and ВМ rows are worked time; С, РВ and Н rows
 * are premium hours as above (Н counts hours inside the day's work, as in
 * 1C); absence and partial codes carry no worked time. A row needs a
 * schedule on its date (an assignment, or the individual schedule). An
 * empty timesheet means nothing was worked.
 *
 * Paid non-working days (2020-2021 decrees). The calendar counts them in the
 * norm (the official norm did), and a week schedule following the calendar
 * plans them with the pattern's hours. They count as worked time too, so a
 * salaried employee keeps the full salary: with deviations nothing special
 * is needed (a sick leave or vacation over them still removes them); with a
 * timesheet a planned paid non-working day without any row on its date
 * counts as worked with its planned hours, and any row on that date decides
 * instead.
 *
 * Premiums (one line per date and kind, each rounded on its own):
 *   overtime (С, art. 152): per day the first 2 h at 1.5×, the rest at 2×;
 *   holiday_work (РВ, art. 153): the dates in order; hours at 1× while the
 *     month's worked hours (all salary lines) plus the РВ hours so far stay
 *     within the norm hours, at 2× beyond; these hours are not salary time;
 *   night (Н, art. 154): +night_percent % of the hourly cost per hour.
 * Every amount is rate × (hours × weight) / (norm × divisor) in one
 * money_muldiv(): half up, once per line. total = sum of the lines.
 */
#ifndef CABINET_PAYROLL_H
#define CABINET_PAYROLL_H

#include "calendar.h"
#include "schedule.h"

#include <stdint.h>

enum payroll_pay_by {
	PAYROLL_BY_DAYS,
	PAYROLL_BY_HOURS,
};

enum payroll_norm_mode {
	PAYROLL_NORM_PER_PERIOD,
	PAYROLL_NORM_SUMMED,
};

enum payroll_line_kind {
	PAYROLL_LINE_SALARY,
	PAYROLL_LINE_OVERTIME,
	PAYROLL_LINE_HOLIDAY_WORK,
	PAYROLL_LINE_NIGHT,
};

/* The default and the least night premium (percent of the hourly cost). */
#define PAYROLL_NIGHT_PERCENT     20
#define PAYROLL_NIGHT_PERCENT_MAX 1000

/* Salary lines at most one per day; premium lines one per day and kind. */
#define PAYROLL_MAX_LINES (31 + 3 * 31)

/* payroll_line.schedule of a line planned by the individual schedule. */
#define PAYROLL_INDIVIDUAL (-1)

struct payroll_terms {
	int64_t rate; /* monthly rate, kopecks, 0..MONEY_MAX */
	enum payroll_pay_by pay_by;
	int hired;     /* first day employed, or DATE_NONE */
	int dismissed; /* last day employed, or DATE_NONE */
};

struct payroll_assignment {
	int from;     /* the schedule applies from this date on */
	int schedule; /* index into payroll_input.schedules */
};

/* A deviation: whole days (from..to) or hours on one date (from == to). */
struct payroll_deviation {
	int code; /* T-13 number (t13.h) */
	int from, to;
	int32_t hours; /* hour codes (С, РВ, Н): hundredths; else ignored */
};

/* A timesheet row. */
struct payroll_time {
	int date;
	int code; /* T-13 number */
	int32_t hours;
};

struct payroll_input {
	int year, month;
	const struct calendar *calendar; /* may be NULL if no schedule needs it */
	const struct schedule *schedules;
	int nschedules;
	struct payroll_terms terms;
	const struct payroll_assignment *assignments;
	int nassignments;
	/* NULL, or the planned day of each date of the month (flags ignored). */
	const struct schedule_day *individual;
	enum payroll_norm_mode norm;
	const struct payroll_deviation *deviations;
	int ndeviations;
	int has_timesheet;
	const struct payroll_time *timesheet;
	int ntimesheet;
	int night_percent; /* 0 for the default 20; else 20..1000 */
};

struct payroll_line {
	enum payroll_line_kind kind;
	int from, to;         /* salary: the period; premiums: from == to == the date */
	int schedule;         /* salary: index into schedules, or PAYROLL_INDIVIDUAL */
	int assignment;       /* salary: index into assignments, or -1 */
	int worked_days;      /* salary */
	int norm_days;        /* salary */
	int32_t worked_hours; /* salary */
	int32_t norm_hours;   /* salary; premiums: the hourly cost's divisor */
	int32_t hours;        /* premiums */
	int64_t amount;       /* kopecks, rounded */
};

struct payroll_result {
	int nlines;
	int64_t total;
	struct payroll_line lines[PAYROLL_MAX_LINES];
};

enum payroll_errcode {
	PAYROLL_E_INPUT = 1,   /* a malformed input value */
	PAYROLL_E_NO_SCHEDULE, /* no schedule for the month, or for a timesheet date */
	PAYROLL_E_CALENDAR,    /* a schedule needs calendar dates that are not loaded */
	PAYROLL_E_ZERO_NORM,   /* time to pay against a norm of zero */
	PAYROLL_E_DAY_HOURS,   /* more than 24 hours on one date */
	PAYROLL_E_OVERFLOW,    /* an amount outside numeric(15,2) */
};

/*
 * Which input failed: field is a static name ("month", "rate", "pay_by",
 * "hired", "dismissed", "norm", "night_percent", "calendar", "schedules",
 * "assignments", "individual", "deviations", "timesheet"), index the
 * element of that array or -1, message a Russian sentence.
 */
struct payroll_error {
	enum payroll_errcode code;
	const char *field;
	int index;
	char message[256];
};

/* Computes the month. Returns 0, or -1 with *err set (out is then garbage). */
int payroll_run(const struct payroll_input *in, struct payroll_result *out,
                struct payroll_error *err);

/* "salary", "overtime", "holiday_work", "night". */
const char *payroll_line_kind_name(enum payroll_line_kind kind);

#endif
