/*
 * preview.h - the payroll preview ("what-if") JSON contract of
 * shared/reference/payroll.md: one scenario in, the month's lines out,
 * through the same engine (payroll.h, ndfl.h) as the monthly payroll.
 *
 * Scenario keys (unknown keys are an error at every level):
 *   month        "YYYY-MM" (required)
 *   calendar     "RU" (default: the calendar the caller passes) or
 *                {"holidays": [dates], "days_off": [dates],
 *                 "preholidays": [dates], "workdays": [dates]} - every key
 *                optional; weeks are Mon-Fri otherwise. A preholiday on a
 *                Saturday/Sunday is also a working day; workdays must be
 *                Saturdays or Sundays; a date may be in one list only
 *                (preholidays + workdays together is allowed).
 *   schedules    {"name": {"kind": "week"|"cycle", "hours": [...],
 *                 "holidays": "calendar"|"ignore", "start": date}} (required,
 *                at most 64). week: 7 elements Mon..Sun, no start; cycle:
 *                1..366 elements and start. An element is hours (a number
 *                0..24, two decimals at most) or {"hours": 12, "night": 2}
 *                (night hours 22:00-06:00 inside the day's hours).
 *                holidays is required.
 *   employee     {"rate": "30000.00", "pay_by": "days"|"hours",
 *                 "hired": date, "dismissed": date} (rate, pay_by required)
 *   assignments  [{"from": date, "schedule": name}] (required, 1..64,
 *                distinct dates, any order)
 *   norm         "per_period" (default) | "summed"
 *   deviations   [{"code": "Б", "from": date, "to": date}] for whole-day
 *                codes (T-13 absence codes), [{"code": "С"|"РВ"|"Н",
 *                "date": date, "hours": n}] for hour codes. A period must
 *                touch the month; a date must be in it.
 *   timesheet    [{"date": date, "code": "Я", "hours": 8}] - when present it
 *                is the month's worked time and deviations are ignored.
 *   ndfl         {"ytd_income": "0.00", "ytd_deductions": "0.00",
 *                 "ytd_tax": "0.00", "children": [{"order": 1,
 *                 "disabled": false}], "sole_parent": false} (all optional;
 *                months from 2025 on)
 *
 * Output: {"month", "lines": [...], "total"} and, with ndfl,
 * "ndfl": {"income", "deduction", "base_ytd", "tax"} and "net". A salary
 * line has kind, from, to, schedule, worked_days, norm_days, worked_hours,
 * norm_hours, amount; a premium line (overtime, holiday_work, night) has
 * kind, date, hours, amount. Hours are JSON numbers (88, 7.2), amounts
 * strings with two decimals.
 *
 * Errors: preview_error.field is the key path ("employee.rate",
 * "schedules.shift.hours[2]", "deviations[1].code") and message says in
 * Russian what is wrong and what is allowed.
 *
 * Ownership: the scenario and the calendar are borrowed; *out is a new
 * json-c reference the caller puts. Nothing else outlives the call.
 */
#ifndef CABINET_PREVIEW_H
#define CABINET_PREVIEW_H

#include "calendar.h"

#include <json-c/json.h>

/* Tenant settings that are not part of a scenario. */
struct preview_options {
	int night_percent; /* 0 for the default 20 */
};

struct preview_error {
	char field[128];
	char message[512];
};

/*
 * Runs a scenario. ru is the Russian calendar for "RU" (from the database in
 * the daemon; may be NULL when no scenario uses it); opt may be NULL.
 * Returns 0 with *out set, or -1 with *err set and *out NULL.
 */
int preview_run(json_object *scenario, const struct calendar *ru, const struct preview_options *opt,
                json_object **out, struct preview_error *err);

#endif
