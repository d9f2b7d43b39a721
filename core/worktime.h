/*
 * worktime.h - the one reading of employees' months (issue 11 item 7): the
 * timesheet filling (timesheet.c), the T-13 report (t13_report.c) and the
 * monthly payroll (payrun.c) all read an employee's month here, and all of
 * them turn it into days and pay with the same engine (payroll.h).
 *
 * worktime_month_load() reads everything for one month with one query per
 * table (employees, assignments, schedules, individual schedules, deviation
 * documents, posted timesheets), whatever the number of employees, and
 * builds each employee's engine input (struct payroll_input: the schedules,
 * the assignments in force in the month, the individual schedule, the
 * deviations - those touching the month and the vacations paid in it - and
 * with WORKTIME_POSTED the posted timesheet, which has priority; the
 * employee's calendar is the one of the schedule in force at the month's
 * start, else the tenant's default), then the T-13 days with
 * payroll_days(): one set of rules, so a payslip and the T-13 never disagree
 * about a day.
 *
 * A year the calendar has no official data for is the Labor Code's
 * provisional one (calendar.h), listed in provisional[] for the answer to
 * say so; a year before the last official one that was never loaded fails
 * with a field error naming the year and what to do.
 *
 * Everything belongs to the request's arena.
 */
#ifndef CABINET_WORKTIME_H
#define CABINET_WORKTIME_H

#include "dispatch.h"
#include "payroll.h"
#include "workday.h"

#include <stdint.h>

/* worktime_month_load flags */
#define WORKTIME_POSTED  0x1u /* posted timesheets replace the plan */
#define WORKTIME_NO_DAYS 0x2u /* the inputs only (the payroll runs the engine itself) */

struct worktime_employee {
	int64_t id;
	const char *full_name, *personnel_number, *position; /* "" when unknown */
	int hired, dismissed;                                /* DATE_NONE when unknown */
	int64_t timesheet_id;                                /* the posted one used, or 0 */
	int uncovered; /* first employed date with no schedule, or DATE_NONE */
	int scheduled; /* an assignment or an individual schedule covers some day */
	/* the engine's input: every pointer into the month's arrays; terms has
	 * hired and dismissed (the payroll sets the rate) */
	struct payroll_input in;
	int64_t *deviation_ids; /* in.deviations[i]'s document id */
	int64_t calendar_id;    /* the employee's calendar (0: the tenant's default) */
	/* the days (NULL with WORKTIME_NO_DAYS); deviation_id is the document's id */
	struct workday *days;
	/* the month cannot be read for this employee (codes sharing a date that
	 * may not, a row outside the employment): Russian, NULL when fine */
	const char *error;
	int error_date;
};

struct worktime_month {
	int year, month, first, last, ndays;
	int n;
	struct worktime_employee *emp; /* ordered by id */
	int nschedules;
	struct schedule *schedules;
	int64_t *schedule_ids;
	int provisional[8]; /* years of provisional calendars used */
	int nprovisional;
};

/*
 * Loads the month for employees ids[0..nids) (nids 0: every employee
 * employed in some day of the month, ordered by id). An id that is not an
 * employee of the tenant fails with 404; a calendar year that cannot be
 * covered with 422 (field "month"). 0, or -1 after ctx_fail.
 */
int worktime_month_load(struct ctx *ctx, int year, int month, const int64_t *ids, int nids,
                        unsigned flags, struct worktime_month *out);

/*
 * The planned days of one employee's month (the schedules and the calendar
 * only, no deviations or timesheet): *days gets ndays days with their flags
 * and planned hours (no WORKDAY_PLANNED without a schedule). For the rule of
 * where a code may stand (workday_place()) when documents and timesheet rows
 * are saved. 0, or -1 after ctx_fail.
 */
int worktime_plan_days(struct ctx *ctx, int year, int month, int64_t employee,
                       struct workday **days, int *ndays);

/* The employee of id in m, or NULL. */
struct worktime_employee *worktime_find(struct worktime_month *m, int64_t id);

/*
 * Adds "provisional_calendar": [years] and "calendar_warnings": [sentences]
 * to an answer when the month used a provisional calendar (nothing
 * otherwise).
 */
void worktime_note_calendar(struct ctx *ctx, const struct worktime_month *m, json_object *o);

/* ---- overtime limits (art. 99 TC RF) ---- */

/*
 * The limits of overtime: 4 h in two consecutive days, 120 h a year
 * (sql/0095 overtime_over_limits(): the С hours as the payroll reads them,
 * a posted timesheet's month from its rows, else the documents; timesheet,
 * a draft being edited, or 0). The law binds the employer: the fact is
 * recorded and paid, and warned, never refused.
 *
 * worktime_overtime_warnings(): after a write of employee's overtime on
 * from..to, a warning {"code": "overtime_limit", "kind": "two_days" |
 * "year", "message"} for each excess touching those dates (a pair of days
 * including one of them; the year of any of them over 120 h) appended to
 * warnings. 0 or -1.
 *
 * worktime_overtime_marks(): the month's marks for a list of employee
 * objects (each with "id"): "overtime_limit_ru", the sentences of the
 * excesses of year/month (a pair of days touching the month; the year's
 * 120 h passed by the month's end), on each employee that has one; and the
 * count of them as "overtime_limit_count" on o. 0 or -1.
 */
int worktime_overtime_warnings(struct ctx *ctx, int64_t employee, int64_t timesheet, int from,
                               int to, json_object *warnings);
int worktime_overtime_marks(struct ctx *ctx, int year, int month, json_object *employees,
                            json_object *o);

/* ---- calendars ---- */

/*
 * Makes cal cover the years first..last (calendar_cover()); each
 * provisional year is added to years[0..*n) (at most 8). 0, or -1 after a
 * field error on field naming the missing year and what to do.
 */
int worktime_cover(struct ctx *ctx, struct calendar *cal, int first, int last, int *years, int *n,
                   const char *field);

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
 * A text that matches several people is refused: "Найдено 2 сотрудника с
 * таким ФИО — выберите из списка" (a personnel number outranks a namesake).
 * A text that is none of these may be the start of a name, as the pickers'
 * suggestions take it («Петров», «Петров С»; whole words first): one
 * person is taken, several are refused naming them with their personnel
 * numbers ("Найдено 2 сотрудника по «Петров»: Петров Олег Ильич (таб. № 7),
 * … — уточните ФИО или укажите табельный номер").
 * 0 with *out set (0 when neither is given and required is 0), or -1 with a
 * field error on text_name (nobody or several people match) or id_name.
 */
int worktime_arg_employee(struct ctx *ctx, const char *id_name, const char *text_name, int required,
                          int64_t *out);

/* Finds the employee (404 when not the tenant's), optionally locking its row
 * (FOR UPDATE: serializes documents of one employee). 0 or -1. */
int worktime_employee_check(struct ctx *ctx, int64_t id, int lock);

/*
 * The employee's own calendar on a date (issue 11 5.7): the calendar of the
 * schedule assigned on that date (the first assignment when the date is
 * before it), else the tenant's default; covered (provisional years added)
 * from first to last. NULL after ctx_fail (a year that cannot be covered:
 * 422 naming it).
 */
struct calendar *worktime_employee_calendar(struct ctx *ctx, int64_t employee, int first, int last);

/* The vacation days of from..to for the employee: the public holidays of
 * their calendar (worktime_employee_calendar on `from`) inside do not count
 * (art. 120 ТК РФ), as in the vacation balance. *holidays (may be NULL)
 * gets the holidays left out. The count or -1 after ctx_fail. */
int worktime_vacation_days(struct ctx *ctx, int64_t employee, int from, int to, int *holidays);

/* The employee's hire and dismissal dates (DATE_NONE when unknown); 404 when
 * not the tenant's. 0 or -1. */
int worktime_employment(struct ctx *ctx, int64_t id, int *hired, int *dismissed);
/* "20.03.2025 — вне периода работы сотрудника (уволен 14.03.2025)" in arena
 * memory: the sentence every refusal of a date outside the employment uses. */
const char *worktime_outside_employment(struct ctx *ctx, int date, int hired, int dismissed);

/* The short title of a deviation document of a code: "Больничный",
 * "Отпуск основной", ...; the code's meaning for the others. */
const char *worktime_document_title(int code);

#endif
