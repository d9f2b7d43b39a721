/*
 * staff.h - the staff: organizations, the department tree with heads,
 * positions, employees and their personal file (sql/0040_staff.sql);
 * operations in staff_ops (ops.h).
 *
 *   GET  /api/admin/employees?q=&department=&status=working|dismissed&state=&limit=&offset=
 *        -> {"items": [{"id", "external_id", "personnel_number", "full_name",
 *           "department": {"id", "name"}, "position": {"id", "name"},
 *           "cabinet_state"}], "total"}
 *        q: part of the full name (any case, ё = е) or of the personnel number;
 *        department: an id or an external id, sub-departments included;
 *        status: working (not dismissed as of today, the default: both) or
 *        dismissed; state: a cabinet state (below).
 *   GET  /api/admin/employees/{id}              the card with the personal file;
 *        phone (+79121112233) and phone_ru (+7 912 111-22-33), email, address
 *        (set by a done personal_data request; not shown to a manager)
 *   GET  /api/admin/employees/{id}/manager      {"manager_id", "rule", ...}
 *   GET  /api/admin/structure                   organizations, the department tree, positions
 *   GET  /api/me/employee      the caller's own card (staff.self, an employee)
 *   GET  /api/employees?q=     {"items": [{"id", "full_name", "personnel_number",
 *                              "department", "position"}]}: up to 10 working people by
 *                              name or number, to hand a task to (staff.lookup; a
 *                              manager, a performer or the administrator)
 *
 * Creating and changing employees and the structure is the exchange's
 * upsert (exchange.h), also behind the admin forms.
 *
 * Personal file kinds and their own fields (besides external_id, employee,
 * kind, date_from, date_to):
 *   employment  event (hire | transfer | position_change | dismissal),
 *               position, department, order_number, order_date
 *   vacation    type, days
 *   trip        destination, purpose
 *   seniority   type (total | continuous | northern), years, months, days
 *               (as of date_from)
 *   attestation result, next_date
 *   education   institution, speciality, qualification, document_number, year
 *   training    course, organization, hours, document
 *
 * The card's "vacation" section also lists the timesheet's vacations (leave
 * codes ОТ, ОД, У, УД, Р, ОЖ, ДО, ОЗ, ДБ; a done vacation request's among
 * them), taken and scheduled, that the file has no record of the same dates
 * for: {"source": "timesheet", "code", "type", "days" (calendar), "scheduled"}.
 * The card's phone also comes as phone_ru ("+7 912 111-22-33", ru.h).
 *
 * SNILS and INN are never answered in full: the card has snils_masked and
 * inn_masked ("***-***-*** 64", "********1234").
 */
#ifndef CABINET_STAFF_H
#define CABINET_STAFF_H

#include "dispatch.h"

#include <stdint.h>

/*
 * The LIKE pattern of a search text given as the parameter `param` ("$2"):
 * its words anywhere, any case, ё as е, LIKE's own characters escaped; it
 * matches employees.search_name and lower(personnel_number).
 */
#define STAFF_LIKE_SQL(param)                                                                      \
	"'%' || replace(replace(replace(translate(lower(" param "), 'ё', 'е'), '\\', '\\\\'), "  \
	"'%', '\\%'), '_', '\\_') || '%'"

/*
 * The cabinet state of an employee (cabinets.h) as one SQL expression over
 * the cabinet row `c` (LEFT JOIN cabinets c ON c.tenant_id = e.tenant_id
 * AND c.employee_id = e.id): no row is not_created.
 */
#define STAFF_CABINET_STATE_SQL "coalesce(c.state, 'not_created')"

/* Who approves the employee's requests (seed 000, "Публикация кабинетов"):
 *  - the head of the employee's department, when set and published
 *    (publication_is_published, publication.h);
 *  - else the organization's head (the employee's organization, else the
 *    department's), when set and published;
 *  - a department's head: the head of the parent department, then the
 *    organization's head;
 *  - nobody (STAFF_RULE_NONE): approval is skipped and the skip recorded.
 * Nobody is their own manager. 0 (with *manager_id 0 for none), or -1 after
 * ctx_fail (404 for another tenant's employee). */
enum staff_rule { STAFF_RULE_NONE, STAFF_RULE_DEPARTMENT_HEAD, STAFF_RULE_ORGANIZATION_HEAD };
int staff_manager(struct ctx *ctx, int64_t employee_id, int64_t *manager_id, enum staff_rule *rule);
const char *staff_rule_name(enum staff_rule rule);

/* The arguments of staff.search (its filters), also the list page's. */
extern const struct op_arg staff_search_args[];

/* "***-***-*** 64" for an 11-digit SNILS, "********1234" for an INN, in
 * arena memory; NULL for NULL. */
const char *staff_mask_snils(struct ctx *ctx, const char *snils);
const char *staff_mask_inn(struct ctx *ctx, const char *inn);

/* The most employees "all by the filter" takes at once. */
#define STAFF_FILTER_MAX 100000

/* Every employee the list's filter (args q, department, status, state as
 * GET /api/admin/employees takes them) finds, in the list's order: the
 * staff list's "all by the filter". 0, or -1 (none: 422 at employees). */
int staff_filter_ids(struct ctx *ctx, int64_t **ids, size_t *n);

#endif
