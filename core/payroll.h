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
 * The month's days (payroll_days(), the one set of rules the T-13 and the
 * timesheet filling show, workday.h): each employed and planned day gets its
 * rows from the plan and the deviation documents, or from the timesheet.
 *
 * Registration of deviations (no timesheet): planned time of each employed
 * day (Я, or РВ for planned hours on a non-working public holiday), minus
 * days covered by a whole-day deviation (Б, ОТ, ДО, К, ... - T13_CLASS_ABSENCE
 * codes; their from..to may reach outside the month and is clipped; a Б
 * inside an ОТ/ОД is illness during a vacation, art. 124, and wins on its
 * days). Hour deviations add premiums: С overtime, РВ weekend/holiday work,
 * Н extra night hours (added to the schedule's own night hours of a worked
 * day). They must fall inside the month and the employment.
 *
 * Continuous registration (has_timesheet): the timesheet rows ARE the month
 * (they have priority over deviation documents), and all deviations are
 * ignored for time (an ОТ/ОД or Б document still gives its vacation or sick
 * pay). Я and ВМ rows are worked time; С, РВ and Н rows are premium hours as
 * above (Н counts hours inside the day's work, as in 1C); absence and
 * partial codes carry no worked time. A row needs a schedule on its date (an
 * assignment, or the individual schedule) and a date inside the employment.
 * An empty timesheet means nothing was worked.
 *
 * One rule for which codes share a date (workday_clash()): a whole-day
 * deviation and an hour deviation on the same date, or timesheet rows of a
 * whole-day code with any other code, are refused (PAYROLL_E_CLASH) naming
 * the date - the documents and timesheet modules refuse them when saved.
 * So are, by the day's plan (workday_place()), overtime С on a day off or a
 * non-working holiday (art. 152: only beyond a working day's hours) and РВ
 * on a working day (art. 153: only on a day off or a non-working holiday),
 * naming the date and the right code.
 *
 * Holiday work planned by the schedule (art. 153, payroll.md): where the plan
 * has hours on a non-working public holiday of the employee's calendar
 * (input.calendar; transferred days off are ordinary days off) and the
 * employee works them, those hours are worked time of the salary line and
 * earn the holiday premium on top at 1× (always within the norm). On such a
 * date, work hours (Я, ВМ) and РВ hours up to the planned hours are the
 * planned ones; РВ hours beyond them are an РВ document's. No document is
 * needed.
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
 * Salary lines, rounded cumulatively (payroll.md "Rounding of salary
 * lines"): consecutive salary lines of one group (input.group_starts: a line
 * starting on one of those dates starts a new group - the monthly payroll
 * starts one at each change of pay terms) are rounded as line k =
 * round(rate × F_k) − round(rate × F_(k−1)), F_k the exact sum of
 * worked/norm of lines 1..k; so they add up to the rounded whole, and a
 * fully worked month in the summed mode pays exactly the rate.
 *
 * Premiums (one line per date and kind, each rounded on its own):
 *   overtime (С, art. 152): per day the first 2 h at 1.5×, the rest at 2×;
 *   holiday_work (РВ, art. 153): planned holiday hours at 1×; then the РВ
 *     documents' hours, the dates in order, at 1× while the month's worked
 *     hours (all salary lines) plus the РВ hours so far stay within the norm
 *     hours, at 2× beyond; the documents' hours are not salary time. The
 *     line's planned_hours are the planned part;
 *   night (Н, art. 154): +night_percent % of the hourly cost per hour.
 * Every amount is rate × (hours × weight) / (norm × divisor) in one
 * money_muldiv(): half up, once per line.
 *
 * Then, in this order: one-off accruals (input.accruals: bonus and
 * material aid, as given); regional pay (art. 315-317: district coefficient
 * and northern allowance on the month's earned pay - salary, premiums,
 * bonuses - each its own line); vacation pay (average.h, decree 922) for
 * every ОТ/ОД deviation whose payment date falls in the month, one line for
 * the whole vacation, its days the calendar days minus the calendar's public
 * holidays and the days a Б inside it covers (art. 124); sick pay (average.h)
 * for every Б deviation starting in the month, one line per calendar month
 * of the employer's days; the compensation for unused vacation on dismissal
 * (art. 127). total = sum of the lines.
 */
#ifndef CABINET_PAYROLL_H
#define CABINET_PAYROLL_H

#include "average.h"
#include "calendar.h"
#include "schedule.h"
#include "workday.h"

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
	PAYROLL_LINE_BONUS,
	PAYROLL_LINE_MATERIAL_AID,
	PAYROLL_LINE_DISTRICT, /* district coefficient (районный коэффициент) */
	PAYROLL_LINE_NORTHERN, /* northern allowance (северная надбавка) */
	PAYROLL_LINE_VACATION_PAY, /* отпускные */
	PAYROLL_LINE_SICK_PAY,     /* the employer's days of a sick leave */
	PAYROLL_LINE_COMPENSATION, /* unused vacation on dismissal (art. 127) */
};
#define PAYROLL_LINE_KINDS 11

/* The default and the least night premium (percent of the hourly cost). */
#define PAYROLL_NIGHT_PERCENT     20
#define PAYROLL_NIGHT_PERCENT_MAX 1000

/* One-off accruals of a month, vacations and sick leaves paid in it. */
#define PAYROLL_MAX_ACCRUALS  32
#define PAYROLL_MAX_VACATIONS 16
#define PAYROLL_MAX_SICK      16

/* Salary lines at most one per day; premium lines one per day and kind;
 * accruals; two regional lines; vacations; up to two lines a sick leave;
 * the compensation. */
#define PAYROLL_MAX_LINES                                                                          \
	(31 + 3 * 31 + PAYROLL_MAX_ACCRUALS + 2 + PAYROLL_MAX_VACATIONS + 2 * PAYROLL_MAX_SICK + 1)

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
	int paid;      /* ОТ/ОД: the payment date; 0 or DATE_NONE: from − 3 days (art. 136) */
	enum average_cause cause; /* Б: the cause (default own illness) */
};

/* A one-off accrual of the month. */
struct payroll_accrual {
	enum payroll_line_kind kind; /* PAYROLL_LINE_BONUS or PAYROLL_LINE_MATERIAL_AID */
	int date;                    /* shown on the line; any date of the month */
	int64_t amount;              /* kopecks, 0..MONEY_MAX */
	const char *title;           /* borrowed; may be NULL */
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

	/* Salary rounding groups: a salary line starting on one of these dates
	 * starts a new group (NULL: one group for the month). */
	const int *group_starts;
	int ngroup_starts;

	const struct payroll_accrual *accruals;
	int naccruals;

	/* Regional pay: district coefficient in hundredths (0 or 100: none;
	 * 100..300) and the northern allowance, percent 0..100. */
	int district_x100;
	int northern_percent;

	/* Vacation pay: 1 to price ОТ/ОД deviations paid in the month from
	 * history (months ascending, any span; each vacation needs the 12
	 * months before its start month). history_self: the month itself, when a
	 * vacation needs it, is taken from this run (the monthly payroll). */
	int vacation_pay;
	const struct average_month *history;
	int nhistory;
	int history_self;

	/* Sick pay: 1 to price Б deviations starting in the month. */
	int sick_pay;
	int32_t
	    insurance_m100; /* insurance record on the month's first day, hundredths of a month */
	int64_t sick_earnings[2]; /* years in.year − 2 and in.year − 1 */

	/* Compensation for unused vacation (final settlement): twelfths of a day,
	 * 0: none; the average from the 12 months before the month (history). */
	int64_t compensation_twelfths;
};

struct payroll_line {
	enum payroll_line_kind kind;
	int from, to;          /* salary: the period; premiums: from == to == the date */
	int schedule;          /* salary: index into schedules, or PAYROLL_INDIVIDUAL */
	int assignment;        /* salary: index into assignments, or -1 */
	int worked_days;       /* salary */
	int norm_days;         /* salary */
	int32_t worked_hours;  /* salary */
	int32_t norm_hours;    /* salary; premiums: the hourly cost's divisor */
	int32_t hours;         /* premiums */
	int32_t planned_hours; /* holiday_work: the planned part (inside the salary line) */
	int64_t amount;        /* kopecks, rounded */
	/* vacation_pay, sick_pay, compensation */
	int days;          /* vacation days; the employer's days in the month; compensation: 0 */
	int64_t average;   /* average daily earnings, kopecks */
	int percent;       /* sick_pay: 60, 80, 100 */
	int64_t daily;     /* sick_pay: the daily benefit */
	int fund_days;     /* sick_pay, the leave's first line: days the Social Fund pays */
	int fallback;      /* vacation_pay: the average is the rate / 29.3 (no earnings) */
	int64_t twelfths;  /* compensation: unused days in twelfths */
	int source;        /* deviation or accrual index, -1 */
	const char *title; /* accruals: the caller's title (borrowed), else NULL */
};

/* What the month was, by the pay rules (the property test compares it with
 * the T-13 of the same input): days with worked time and their hours (salary
 * time, РВ document hours and overtime), days of each whole-day code. */
struct payroll_summary {
	int worked_days;
	int32_t worked_hours;
	int absent_days[T13_COUNT + 1];
	/* decree 922: the month's earnings and excluded days (for the next months' averages) */
	int64_t earnings;
	int excluded_days;
};

struct payroll_result {
	int nlines;
	int64_t total;
	struct payroll_summary summary;
	struct payroll_line lines[PAYROLL_MAX_LINES];
};

enum payroll_errcode {
	PAYROLL_E_INPUT = 1,   /* a malformed input value */
	PAYROLL_E_NO_SCHEDULE, /* no schedule for the month, or for a timesheet date */
	PAYROLL_E_CALENDAR,    /* a schedule needs calendar dates that are not loaded */
	PAYROLL_E_ZERO_NORM,   /* time to pay against a norm of zero */
	PAYROLL_E_DAY_HOURS,   /* more than 24 hours on one date */
	PAYROLL_E_OVERFLOW,    /* an amount outside numeric(15,2) */
	PAYROLL_E_CLASH,       /* codes that may not share a date, or a date outside employment */
	PAYROLL_E_AVERAGE,     /* vacation or sick pay: missing or bad history */
};

/*
 * Which input failed: field is a static name ("month", "rate", "pay_by",
 * "hired", "dismissed", "norm", "night_percent", "calendar", "schedules",
 * "assignments", "individual", "deviations", "timesheet", "accruals",
 * "regional", "history", "sick"), index the element of that array or -1,
 * date the day concerned or DATE_NONE, message a Russian sentence.
 */
struct payroll_error {
	enum payroll_errcode code;
	const char *field;
	int index;
	int date;
	char message[512];
};

/* Computes the month. Returns 0, or -1 with *err set (out is then garbage). */
int payroll_run(const struct payroll_input *in, struct payroll_result *out,
                struct payroll_error *err);

/*
 * payroll_run() in two halves, for a month with several pay terms (the
 * monthly payroll runs the time part once per terms, keeps each line from
 * the run of the terms in force on its first day, then adds the extras once
 * with the last terms): payroll_time() writes the salary and premium lines
 * and out->summary; payroll_extras() appends the accruals, regional pay,
 * vacation pay, sick pay and compensation to the lines already in out and
 * sets the total. 0, or -1 with *err.
 */
int payroll_time(const struct payroll_input *in, struct payroll_result *out,
                 struct payroll_error *err);
int payroll_extras(const struct payroll_input *in, struct payroll_result *out,
                   struct payroll_error *err);

/*
 * The month's days as the T-13 shows them, by the same rules and from the
 * same input as payroll_run(): days[0..days in month) with date, flags
 * (WORKDAY_*), plan and rows; deviation_id is the index + 1 of the whole-day
 * deviation on the day (0: none). Returns 0, or -1 with *err.
 */
int payroll_days(const struct payroll_input *in, struct workday *days, struct payroll_error *err);

/* "salary", "overtime", "holiday_work", "night", "bonus", "material_aid",
 * "district_coefficient", "northern_allowance", "vacation_pay", "sick_pay",
 * "vacation_compensation"; NULL for anything else. */
const char *payroll_line_kind_name(enum payroll_line_kind kind);
/* The kind of a name, or -1. */
int payroll_line_kind_of(const char *name);

#endif
