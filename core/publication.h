/*
 * publication.h - which employees the service publishes (seed 000,
 * "Публикация кабинетов"; sql/0045_cabinets.sql, table publication).
 *
 *   GET  /api/admin/publication            the draft, the setting in force, the
 *        structure with checkboxes, counts, the responsible person, a warning
 *   PUT  /api/admin/publication            {"all": true} or
 *        {"departments": [external ids], "positions": [external ids]}: the draft
 *   GET  /api/admin/publication/employees?q=&flagged=&limit=&offset=
 *        the employees the draft publishes ("Публикуемые сотрудники")
 *   POST /api/admin/publication/apply      "Обновить публикацию": the draft
 *        comes into force, cabinets follow it (below)
 *
 * An employee is published when
 *  - they are in the scope: everyone ("all"), or the union of the listed
 *    departments (each with all its sub-departments) and positions;
 *  - they have an email or a mobile phone (rows without either are flagged
 *    in red and are not published);
 *  - they are not dismissed (dismissed before today in the organization's
 *    time zone).
 * No publication set: everyone. Managers count only when published
 * (staff.h); a cabinet is not needed for that.
 *
 * Cabinets follow the publication in force (publication_enforce, on apply
 * and at every scheduled run, jobs.h): the cabinet of an employee who left
 * its scope or was dismissed goes to the ninth state, disabled (the account
 * is blocked, its sessions end, its invitations stop working; the data is
 * kept); back in the scope and working, it comes back (signed_in, or
 * created_* to be invited anew). A cabinet that exists keeps its own
 * sign-in details, so an employee whose email and phone were cleared in the
 * accounting system is not published (no new cabinet, not a manager) but
 * keeps the cabinet they have. Administrators' cabinets are never disabled
 * this way (the responsible person left out of the publication keeps
 * administering, with a warning), so nobody locks the organization out.
 */
#ifndef CABINET_PUBLICATION_H
#define CABINET_PUBLICATION_H

#include "dispatch.h"

#include <stdint.h>

/*
 * SQL of the scope, for statements whose $1 is the tenant: two CTEs,
 *   pub (all_staff, deps, poss, today): one row, the setting ("applied" or
 *       "draft") and today in the organization's zone;
 *   pubdep (id, depth): the listed departments with their sub-departments.
 * Begin with "WITH RECURSIVE " PUBLICATION_CTE("applied") and CROSS JOIN
 * pub; the conditions below are over the employee row `e`.
 */
#define PUBLICATION_CTE(which)                                                                     \
	"pub AS (SELECT coalesce(p." which "_all, true) AS all_staff, coalesce(p." which           \
	"_departments, '{}') AS deps, coalesce(p." which "_positions, '{}') AS poss, "             \
	"app_today() AS today FROM (SELECT 1) one LEFT JOIN publication p ON p.tenant_id = $1), "  \
	"pubdep (id, depth) AS (SELECT d.id, 0 FROM departments d, pub WHERE d.tenant_id = $1 "    \
	"AND d.id = ANY (pub.deps) UNION SELECT c.id, pubdep.depth + 1 FROM departments c JOIN "   \
	"pubdep ON c.parent_id = pubdep.id WHERE c.tenant_id = $1 AND pubdep.depth < 50)"
#define PUBLICATION_IN_SCOPE                                                                       \
	"(pub.all_staff OR e.department_id IN (SELECT id FROM pubdep) OR "                         \
	"coalesce(e.position_id = ANY (pub.poss), false))"
#define PUBLICATION_HAS_CONTACT "(e.email IS NOT NULL OR e.phone IS NOT NULL)"
#define PUBLICATION_WORKING     "(e.dismissed IS NULL OR e.dismissed >= pub.today)"
#define PUBLICATION_PUBLISHED                                                                      \
	"(" PUBLICATION_IN_SCOPE " AND " PUBLICATION_HAS_CONTACT " AND " PUBLICATION_WORKING ")"

/* Whether the employee is published by the setting in force: 1, 0, or -1
 * after ctx_fail. */
int publication_is_published(struct ctx *ctx, int64_t employee_id);

/* Brings the tenant's cabinets in line with the publication in force (see
 * above). Counts what changed; either pointer may be NULL. 0 or -1. */
int publication_enforce(struct ctx *ctx, int *disabled, int *restored);
/* The same for some employees only: employees is a bigint[] text
 * ("{12,40}"; NULL: all). The staff's writers call it for the employees
 * whose dismissal date they changed, so a dismissal dated before today
 * closes the cabinet and ends its sessions in the writing transaction, not
 * at the next scheduled run (trial-break F10). */
int publication_enforce_for(struct ctx *ctx, const char *employees, int *disabled, int *restored);

#endif
