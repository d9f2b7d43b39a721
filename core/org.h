/*
 * org.h - the organization as pages and documents show it: its time zone,
 * today's date there, and its details for the headers of documents (the
 * T-13's organization and ОКПО).
 *
 * This is the one place these come from. The time zone is the
 * organization's setting (settings.h: any IANA zone, Europe/Moscow by
 * default; app_timezone() and app_today() in SQL say the same); "today" is
 * the date there, on the tests' debug clock when one is fixed. The details
 * are those of the tenant's organization (table organizations) when it has
 * exactly one, else the tenant's name (ОКПО from tenants.settings->>'okpo'
 * when an operator set it).
 */
#ifndef CABINET_ORG_H
#define CABINET_ORG_H

#include "dispatch.h"

/* The IANA name of the organization's time zone ("Europe/Moscow"), for
 * `AT TIME ZONE $n` in SQL. Lent (the request's); never NULL (the default
 * after ctx_fail). */
const char *org_time_zone(struct ctx *ctx);

/* SQL text of a timestamptz column `col` in the organization's zone as
 * people read it ("30.11.2026 17:16"), with $n the zone parameter:
 * ORG_TIME_SQL("a.at", "$3") */
#define ORG_TIME_SQL(col, zone) "to_char(" col " AT TIME ZONE " zone ", 'DD.MM.YYYY HH24:MI')"
#define ORG_DATE_SQL(col, zone) "to_char(" col " AT TIME ZONE " zone ", 'DD.MM.YYYY')"

/* Today in the organization's zone as a date.h day number, or DATE_NONE
 * after ctx_fail. */
int org_today(struct ctx *ctx);

/* {"name": "ООО «Ромашка»", "okpo": "12345678" or null}: a new object owned
 * by the arena, or NULL after ctx_fail. */
json_object *org_details(struct ctx *ctx);

/* An organization's details for a document about one of its employees
 * (certificates, applications): strings in arena memory, NULL where not
 * known. */
struct org_info {
	const char *name, *inn, *kpp, *okpo, *address;
	int64_t head_id;                       /* 0: no head */
	const char *head_name, *head_position; /* the head's */
};

/*
 * The organization of an employee: theirs (employees.organization_id), else
 * their department's, else the tenant's only one, else the tenant as
 * connected (its name; ОКПО from its settings). 0, or -1 after ctx_fail.
 */
int org_of_employee(struct ctx *ctx, int64_t employee_id, struct org_info *out);

#endif
