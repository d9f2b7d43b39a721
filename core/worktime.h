/*
 * worktime.h - the time of employees for a month, as the time documents
 * (timesheet.c) and the T-13 report (t13_report.c) both need it, and the
 * argument helpers the time modules share (dates, months, hours).
 *
 * worktime_month_load() reads everything for one month with one query per
 * table (employees, assignments, schedules, individual schedules,
 * deviations, posted timesheets), whatever the number of employees, and
 * fills every employee's days the one way the service knows: the plan of a
 * date is the individual schedule of the month if there is one, else the
 * schedule assigned on that date (schedule_fill over the schedule's
 * calendar, or the tenant's default calendar); the rows of the day come from
 * the plan and the deviation documents by the rules of workday.h.
 * With WORKTIME_POSTED a posted timesheet replaces all of that for its
 * employee (it has priority, payroll.md).
 *
 * Everything belongs to the request's arena.
 */
#ifndef CABINET_WORKTIME_H
#define CABINET_WORKTIME_H

#include "dispatch.h"
#include "workday.h"

#include <stdint.h>

/* worktime_month_load flags */
#define WORKTIME_POSTED 0x1u /* posted timesheets replace the plan */

struct worktime_employee {
	int64_t id;
	const char *full_name, *personnel_number, *position; /* "" when unknown */
	int hired, dismissed;                                /* DATE_NONE when unknown */
	int64_t timesheet_id;                                /* the posted one used, or 0 */
	int uncovered; /* first employed date with no schedule, or DATE_NONE */
	struct workday days[31];
};

struct worktime_month {
	int year, month, first, last, ndays;
	int n;
	struct worktime_employee *emp; /* ordered by id */
};

/*
 * Loads the month for employees ids[0..nids) (nids 0: every employee
 * employed in some day of the month, ordered by id). An id that is not an
 * employee of the tenant fails with 404. 0, or -1 after ctx_fail.
 */
int worktime_month_load(struct ctx *ctx, int year, int month, const int64_t *ids, int nids,
                        unsigned flags, struct worktime_month *out);

/* ---- arguments ---- */

/* A "YYYY-MM-DD" or "DD.MM.YYYY" argument. 0 (found), 1 (missing and optional: *out =
 * DATE_NONE) or -1 (field error). */
int worktime_arg_date(struct ctx *ctx, const char *name, int required, int *out);
/* A "YYYY-MM" argument. 0 or -1 (field error). */
int worktime_arg_month(struct ctx *ctx, const char *name, int *year, int *month);
/* An hours value: a JSON number or string "8", "7.2" (two decimals at
 * most) up to max hundredths. 0, or -1 (no error set: the caller names the
 * field). */
int worktime_hours(json_object *v, int32_t max, int32_t *out);
/* Hours as a JSON number written exactly ("7.2", "8"). */
json_object *worktime_hours_json(int32_t hundredths);
/* Hours for people: "7,2", "8". In arena memory. */
const char *worktime_hours_ru(struct ctx *ctx, int32_t hundredths);
/* A date as "YYYY-MM-DD" / "DD.MM.YYYY" in arena memory. */
const char *worktime_date_iso(struct ctx *ctx, int date);
const char *worktime_date_ru(struct ctx *ctx, int date);
/* A date column's text into a day number (DATE_NONE for NULL/invalid). */
int worktime_pg_date(PGresult *res, int row, int col);

/*
 * The employee a form or a call names: the argument `id_name` (an internal
 * id, as the API and the pages' picker send it) or, when that is absent or
 * empty, the text of `text_name` as a person types it: a personnel number,
 * a full name (any case), or the picker's label "ФИО (таб. № 0001)".
 * 0 with *out set (0 when neither is given and required is 0), or -1 with a
 * field error on text_name (nobody or several people match) or id_name.
 */
int worktime_arg_employee(struct ctx *ctx, const char *id_name, const char *text_name,
                          int required, int64_t *out);

/* Finds the employee (404 when not the tenant's), optionally locking its row
 * (FOR UPDATE: serializes documents of one employee). 0 or -1. */
int worktime_employee_check(struct ctx *ctx, int64_t id, int lock);

/* The short title of a deviation document of a code: "Больничный",
 * "Отпуск основной", ...; the code's meaning for the others. */
const char *worktime_document_title(int code);

#endif
