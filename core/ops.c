#include "ops.h"

#include "session.h"
#include "settings.h"

const struct op *const ops_tables[] = {
    system_ops,     auth_ops,        tenants_ops,       calendars_ops,      schedules_ops,
    deviations_ops, timesheet_ops,   t13_ops,           payrun_ops,         payslips_ops,
    deductions_ops, payterms_ops,    openbal_ops,       payments_ops,       staff_ops,
    exchange_ops,   dashboard_ops,   import_ops,        staff_page_ops,     structure_form_ops,
    settings_ops,   publication_ops, cabinets_ops,      jobs_ops,           invitations_ops,
    routing_ops,    requests_ops,    requests_feed_ops, requests_files_ops, certificates_ops,
    team_ops,       hrtasks_ops,     kpi_ops,           notifications_ops,  staff_bulk_ops,
    NULL,
};

int ops_before(struct ctx *ctx)
{
	if (session_resolve(ctx) != 0)
		return -1;
	return settings_clock_apply(ctx);
}

void ops_after(struct ctx *ctx, int rc)
{
	session_after(ctx, rc);
}
