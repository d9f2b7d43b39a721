/*
 * schedules.h - work schedules in the database (table schedules), their
 * assignment to employees and individual monthly schedules; operations in
 * schedules_ops (ops.h).
 */
#ifndef CABINET_SCHEDULES_H
#define CABINET_SCHEDULES_H

#include "calendar.h"
#include "dispatch.h"
#include "schedule.h"

#include <stdint.h>

/*
 * A schedule row as the engine's struct schedule: kind and holidays text,
 * cycle_start (NULL for a week) and the pattern's jsonb text. The pattern
 * is in arena memory. 0, or -1 (a stored row that does not load: logged,
 * internal error).
 */
int schedules_from_row(struct ctx *ctx, const char *kind, const char *holidays,
                       const char *cycle_start, const char *pattern, struct schedule *out);

/* Calendars already loaded by a request (a cache the caller keeps). */
struct schedules_calendars {
	int n;
	const char *id[16];
	struct calendar *cal[16];
};

/* The calendar a schedule follows: calendar_id text (NULL or "": the
 * tenant's default), loaded once per cache. NULL after ctx_fail. */
struct calendar *schedules_calendar(struct ctx *ctx, struct schedules_calendars *cache,
                                    const char *calendar_id);

/* Writes schedule assignments in bulk (the exchange): set is a JSON array
 * of {"employee_id", "schedule_id", "date_from"} (a row of the same date is
 * replaced), drop of {"employee_id", "date_from"}. The caller has checked
 * the employees, the schedules and the closed months. 0 or -1. */
int schedules_assignments_write(struct ctx *ctx, json_object *set, json_object *drop);

/* 0 when the tenant has the schedule, else -1 after 422 at schedule_id. */
int schedules_check(struct ctx *ctx, int64_t schedule);

#endif
