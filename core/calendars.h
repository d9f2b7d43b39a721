/*
 * calendars.h - production calendars in the database (sql/0020_time.sql).
 *
 * The shipped Russian calendars (sql/calendars/ru/YYYY.xml) are reference
 * data: `cabinetd migrate` loads them into ru_calendar_years after the
 * migrations, reloading a year whose file changed (its SHA-256 differs).
 * A tenant's calendar (table calendars) reads every year it has no row of
 * its own for from that reference when base_ru is set; its own years
 * (calendar_years: an administrator's edit or import) win.
 *
 * Calendars handed to a request belong to the request (freed with its
 * arena); nothing is cached across requests, so an edit is seen at once.
 */
#ifndef CABINET_CALENDARS_H
#define CABINET_CALENDARS_H

#include "calendar.h"

#include <libpq-fe.h>
#include <stdint.h>

struct ctx;

/*
 * Loads or refreshes ru_calendar_years from <sql_dir>/calendars/ru/YYYY.xml on
 * the migration connection (the owner of the tables). Returns the number of
 * years (re)loaded (0 without that folder), or -1 after logging why (a
 * file that does not parse names its line).
 */
int calendars_load_reference(PGconn *conn, const char *sql_dir);

/*
 * The tenant's calendar calendar_id (0: the tenant's default calendar, or
 * the shipped Russian one when the tenant has none) with every year it has,
 * owned by the request. NULL after ctx_fail (404 for an unknown id).
 */
struct calendar *calendars_load(struct ctx *ctx, int64_t calendar_id);

/* The shipped Russian calendar, every year, owned by the request. */
struct calendar *calendars_load_ru(struct ctx *ctx);

#endif
