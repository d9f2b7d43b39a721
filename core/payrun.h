/*
 * payrun.h - the monthly payroll of a tenant, stored as a payroll document
 * (sql/0030_payroll.sql), and the payroll preview operations.
 *
 * A calculation reads the input of every employee it covers in a handful of
 * bulk queries (employees, pay terms, schedules, assignments, individual
 * schedules, deviations, posted timesheets, the year's earlier results),
 * runs payroll_run() and ndfl_year_run() per employee in memory, and writes
 * the results with three multi-row statements (INSERT ... SELECT FROM
 * unnest(...)), all in the request's transaction: a payroll is stored
 * whole or not at all.
 *
 * Decisions (README.md "Payroll" repeats them for administrators):
 *  - Pay terms: the employee_pay row in force on the first day of the
 *    month (for someone whose first terms start later in the month, the
 *    month's first row, which then also prices the days before it) and the
 *    rows starting later in the month. A change of terms inside the month
 *    cuts the salary line on its date (an extra assignment of the schedule
 *    in force then): the engine runs once per terms, and each line - salary
 *    or premium - is taken from the run of the terms in force on its first
 *    day. Norms do not depend on the rate, so the pieces add up exactly as
 *    one run with two rates would. At most 8 terms in force in one month.
 *  - Norm mode: employee_pay.norm, else tenants.settings->>'payroll_norm',
 *    else per_period. Night premium: tenants.settings->>'night_percent'
 *    (20..1000, default 20).
 *  - Calendar: the calendar of the schedule in force at the start of the
 *    month (schedules.calendar_id, else the tenant's default).
 *  - Worked time: the posted timesheet of the month if there is one, else
 *    the deviation documents.
 *  - Scope: everyone employed in the month who has pay terms, or a list of
 *    employee ids (each must be employed in the month and have terms).
 *  - Any employee's error refuses the whole calculation (422, one field
 *    "employees.<id>.<input>" per problem), nothing is stored.
 *  - НДФЛ by the income date (ndfl.h, ndfl_pay.h): the month's НДФЛ is
 *    what the payments settling it withheld plus the tax of its unpaid
 *    rest as paid on its last day (or on its latest payment's day when
 *    later in the year), on the scale and year so far of that day's year:
 *    the year's payments before it, the unpaid rest of the other
 *    calculated months, the opening balance. Material aid's 4 000 a year
 *    exempt goes in the order paid. Standard child deductions come from
 *    ndfl_children (deductions.c): each month of employment up to the
 *    event's, the children whose dates touch the month, doubled when any
 *    of them is marked sole_parent, while the year's income up to the
 *    month's end is at most the year's limit (450 000 from 2025). Without
 *    payments this is the tax of the month on the year-to-date of the
 *    calculated months.
 *    Recalculating an earlier month does not recalculate the later ones:
 *    run them again in order (their НДФЛ reads the new year so far).
 *  - Closing a month records its net pay as paid; a closed month answers
 *    423 to a recalculation, a change or a delete until it is reopened.
 */
#ifndef CABINET_PAYRUN_H
#define CABINET_PAYRUN_H

#include "dispatch.h"

extern const struct op payrun_ops[];
extern const struct op payslips_ops[];

/* "апрель 2017 г." into arena memory. */
const char *payrun_month_title(struct ctx *ctx, int year, int month);

/* Russian for a stale_reason of payroll_employees (sql/0033): "изменились
 * разовые начисления"; a general phrase for NULL or an unknown reason. */
const char *payrun_stale_title(const char *reason);

/*
 * For the modules that change what a payroll is computed from (deviations,
 * timesheets, individual schedules, pay terms): 0 when no month touching
 * from..to (day numbers, inclusive) is closed, else -1 after answering 423
 * with a Russian message naming the closed month.
 */
int payrun_check_open(struct ctx *ctx, int from, int to);
/* The same for the inputs of one employee (deviations, their schedule, pay
 * terms, timesheet, accruals, opening balance): only the closed months
 * that hold a result of theirs are locked, so a newcomer's past (hired
 * before the organization's last closed month) can be entered. */
int payrun_check_open_for(struct ctx *ctx, int64_t employee, int from, int to);
/* The last day of the latest closed month (DATE_NONE when none): a change
 * effective from a date up to it is locked (the bulk form of
 * payrun_check_open for the exchange). 0 or -1. */
int payrun_closed_until(struct ctx *ctx, int *last);
/* The same, of the closed months that hold a result of employee. */
int payrun_closed_until_for(struct ctx *ctx, int64_t employee, int *last);

/* The employees e hired before the organization's first calculated month
 * (or before month_sql, a date expression: the month about to be
 * calculated, "NULL" for none, when that is earlier) who have no opening
 * balances: what they earned and paid in tax before it is unknown
 * (openbal.c). A condition to AND into "FROM employees e WHERE ...": the
 * home page's todo item and the payroll pages' warning (openbal_missing). */
#define PAYRUN_NO_OPENBAL_SQL(month_sql)                                                           \
	"e.hired < least((SELECT min(pe.month) FROM payroll_employees pe WHERE pe.tenant_id = "    \
	"e.tenant_id), " month_sql ") AND NOT EXISTS (SELECT 1 FROM opening_balances b WHERE "     \
	"b.tenant_id = e.tenant_id AND b.employee_id = e.id)"

/* "openbal_missing" into o for the payroll month year-month about to be
 * calculated or closed: the employees employed in it who match
 * PAYRUN_NO_OPENBAL_SQL of it, {"count", "title", "text_ru" (before the
 * calculation: who lacks what and where to enter it), "close_ru" (the
 * close's confirmation), "people": [{"full_name", "href" (their opening
 * balance page)}], "more"}; nothing when there are none. 0, or -1. */
int openbal_missing(struct ctx *ctx, int year, int month, json_object *o);

/* Reads args.month ("YYYY-MM"); 0, or -1 after a field error. */
int payrun_month_arg(struct ctx *ctx, int *year, int *month);

/* "30500.00" from a numeric's text, and "30 500,00 ₽", in arena memory; NULL
 * text gives "0.00". */
const char *payrun_money(struct ctx *ctx, const char *numeric_text, const char **ru);

/*
 * An employee's vacation balance on a date (payslips.c, "Vacation"): months
 * of service after the art. 121 exclusions, days used (ОТ documents after
 * the opening balance's date, holidays of the employee's calendar and days
 * of a sickness inside not counted) and the opening balance's days; all in
 * twelfths of a day. 0, or -1 after ctx_fail.
 */
struct vacation_balance {
	int date, hired, as_of; /* as_of: the opening balance's date, DATE_NONE */
	int months, excluded, service_end, used, returned;
	int64_t accrued_twelfths, opening_used_twelfths, twelfths;
	int provisional[8], nprovisional;
};
int payslips_vacation(struct ctx *ctx, int64_t employee_id, int date, struct vacation_balance *out);

/*
 * Payments (payments.c) ask the payroll: the default advance of an employee
 * on a date (the tenant's advance setting), and after a payment (recorded or
 * deleted) the month's stored result follows it: paid (the payments' cash),
 * ndfl = what the month's payments withheld + the tax of its unpaid rest as
 * paid on its last day (ndfl.h "НДФЛ by the income date"), net = accrued −
 * ndfl, so a fully paid month has balance 0; the document's totals too.
 * 0, or -1 after ctx_fail.
 */
int payrun_advance(struct ctx *ctx, int64_t employee, int date, int64_t *amount);
int payrun_refresh_paid(struct ctx *ctx, int64_t employee, int month_first);

#endif
