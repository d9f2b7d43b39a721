/*
 * ops.h - the list of every module's operation table.
 *
 * A module with operations declares its table here and adds it to
 * ops_tables[] in ops.c; nothing else changes to add an operation.
 */
#ifndef CABINET_OPS_H
#define CABINET_OPS_H

#include "dispatch.h"

extern const struct op system_ops[];
extern const struct op auth_ops[];
extern const struct op tenants_ops[];
extern const struct op calendars_ops[];
extern const struct op schedules_ops[];
extern const struct op deviations_ops[];
extern const struct op timesheet_ops[];
extern const struct op t13_ops[];
extern const struct op payrun_ops[];
extern const struct op payslips_ops[];
extern const struct op deductions_ops[];
/* a child of deductions.children_set's list (order, disabled, sole_parent,
 * from, to): a tax deduction request carries the same list */
extern const struct op_arg deductions_child_fields[];
/* A children's list checked by the rules deductions.children_set applies
 * (deductions_read_child): a tax deduction request is checked by it when it
 * is filed and again when it is done. 0, or -1 after 422 naming
 * children[i].<member>. */
int deductions_children_check(struct ctx *ctx, json_object *list);
extern const struct op payterms_ops[];
extern const struct op openbal_ops[];
extern const struct op payments_ops[];
extern const struct op staff_ops[];
extern const struct op exchange_ops[];
extern const struct op dashboard_ops[];
extern const struct op import_ops[];
extern const struct op staff_page_ops[];
extern const struct op staff_bulk_ops[];
/* the staff list's bulk action's arguments (staff_bulk.c), also its page's */
extern const struct op_arg staff_bulk_args[];
extern const struct op structure_form_ops[];
extern const struct op settings_ops[];
extern const struct op publication_ops[];
extern const struct op cabinets_ops[];
extern const struct op jobs_ops[];
extern const struct op invitations_ops[];
extern const struct op routing_ops[];
extern const struct op requests_ops[];
extern const struct op requests_feed_ops[];
extern const struct op requests_files_ops[];
extern const struct op certificates_ops[];
extern const struct op team_ops[];
extern const struct op hrtasks_ops[];
extern const struct op kpi_ops[];
extern const struct op notifications_ops[];

extern const struct op *const ops_tables[];

/* Runs inside the transaction before the handler: resolves the tenant from
 * the host and the user from the session as the op's access level needs, and
 * fails the request when they do not fit. */
int ops_before(struct ctx *ctx);
/* Runs after the transaction ended (rc: the attempt's outcome, 0 when it
 * committed): the session's bookkeeping that ops_before found due. */
void ops_after(struct ctx *ctx, int rc);

#endif
