/*
 * workday.h - one employee's day as the T-13 form shows it: rows of (code,
 * hours), made from the plan and the deviation documents, and the form's
 * totals over a month of such days. Pure: no database, no allocation.
 *
 * The rules (the payroll engine builds every day of a month with them,
 * payroll_days(); the timesheet filling and the T-13 report show them):
 *  - a planned day with hours gives Я with the day's hours and, when it has
 *    night hours, Н with them (Н counts hours inside the day's work, as in
 *    1C and payroll.h); a planned day without hours gives В;
 *  - planned hours on a non-working public holiday (WORKDAY_HOLIDAY: a
 *    schedule that ignores holidays, payroll.md "Holiday work planned by the
 *    schedule") give РВ with those hours instead of Я;
 *  - a whole-day deviation replaces the day's rows with its code (hours 0);
 *  - hour deviations add С, РВ (which replaces В) and Н hours to the day; an
 *    РВ document on a day with planned holiday hours adds only its hours
 *    beyond the planned ones (8 h planned + an РВ document of 8 h is РВ 8).
 * Which codes may share a date (one rule for documents, timesheet rows and
 * the loader, workday_clash()): a whole-day code - an absence (Б, ОТ, ДО,
 * К, ...) or В - stands alone; the hour codes (Я, ВМ, Н, РВ, С and the
 * shortened-time codes ЛЧ, НС, УВ) combine with each other. Where an
 * hour code may stand by the day's plan (workday_place()): overtime С only on
 * a working day of the employee's schedule (art. 152: hours beyond the
 * planned ones), work on a day off РВ only on a day off of the schedule or a
 * non-working public holiday of the calendar (art. 153); a date without a
 * schedule is left to the check that a schedule is needed.
 * Totals: worked days and hours for days 1-15, 16-end and the month (Я, ВМ,
 * РВ and С hours; a day with hours of any of them is a worked day), days and hours
 * of each absence or partial code, and the days off (В).
 */
#ifndef CABINET_WORKDAY_H
#define CABINET_WORKDAY_H

#include "t13.h"

#include <stddef.h>
#include <stdint.h>

#define WORKDAY_MAX_ROWS 8

/* workday.flags */
#define WORKDAY_EMPLOYED 0x1u /* between hired and dismissed */
#define WORKDAY_PLANNED  0x2u /* a schedule covers the date */
#define WORKDAY_PAID_OFF 0x4u /* a paid non-working day of the calendar */
#define WORKDAY_HOLIDAY  0x8u /* a non-working public holiday of the employee's calendar */

struct workday_row {
	int code; /* T13_* */
	int32_t hours;
};

struct workday {
	int date;
	unsigned flags;
	int32_t plan_hours, plan_night; /* hundredths */
	int64_t deviation_id;           /* the whole-day deviation, 0 if none */
	int32_t rv_docs;                /* hours of РВ documents on the date */
	int nrows;
	struct workday_row rows[WORKDAY_MAX_ROWS];
};

struct workday_totals {
	int days[3]; /* first half (1-15), second half, month */
	int32_t hours[3];
	int absence_days[T13_COUNT + 1]; /* by code number */
	int32_t absence_hours[T13_COUNT + 1];
	int days_off;
};

/* Adds hours of code (summed with a row of the same code; rows beyond
 * WORKDAY_MAX_ROWS are dropped). */
void workday_add(struct workday *d, int code, int32_t hours);
/* The row of code, or NULL. */
struct workday_row *workday_find(struct workday *d, int code);
void workday_remove(struct workday *d, int code);

/* The rows of a planned day from plan_hours/plan_night (Я [+ Н], or В). */
void workday_plan(struct workday *d);
/* Applies a deviation document: whole (code, id) or hours of code. */
void workday_deviation(struct workday *d, int code, int whole, int32_t hours, int64_t id);

/* 1 for a whole-day code: the absence codes and В (t13.h). */
int workday_whole_day_code(int code);
/* 1 when a whole-day document of code may lie on days of a whole-day
 * document of under: only Б on ОТ/ОД (illness during a vacation, art. 124;
 * the vacation's days go back or it is extended). One rule for documents,
 * requests and the payroll engine. */
int workday_may_overlay(int code, int under);
/* 1 when whole-day documents of codes a and b may lie on the same days in
 * one order or the other (workday_may_overlay() either way): a sick leave
 * over a vacation request not done yet does not block the request, whose
 * completion lays the vacation over the Б (deviations.c); the Б wins on
 * its days (the vacation's days go back). */
int workday_may_share(int a, int b);
/* The rule for which codes may share a date: 0 when codes[0..n) may, else
 * -1 with *a and *b two codes that may not (a whole-day code with another
 * code). */
int workday_clash(const int *codes, int n, int *a, int *b);

/* The most hours a day holds with its plan: 24 h (hundredths). */
#define WORKDAY_MAX_HOURS 2400
/* A day's hours as that rule counts them: its rows but Н (night hours lie
 * inside the work, payroll.h). One count for the timesheet's form, its fill
 * and the payroll engine. */
int32_t workday_rows_hours(const struct workday_row *rows, int n);

/* Where code may stand on day d by its plan (see above): 0 when it may (or
 * the code or the day's plan does not matter), else -1 with the Russian
 * refusal naming the date and the right code in msg (n bytes). */
int workday_place(const struct workday *d, int code, char *msg, size_t n);

/* 1 for the codes of worked time in the totals: Я, ВМ, РВ, С. */
int workday_worked_code(int code);
/* The form's totals over days[0..n). */
void workday_totals(const struct workday *days, int n, struct workday_totals *t);

/* The cell texts of a day: codes "Я/Н" and hours "8/2" (hours "" when no
 * row has hours; hours written as people read them: "7,2"). */
void workday_cell(const struct workday *d, char *codes, size_t ncodes, char *hours, size_t nhours);

#endif
