#include "ops.h"

#include "session.h"

const struct op *const ops_tables[] = {
	system_ops,
	auth_ops,
	tenants_ops,
	calendars_ops,
	schedules_ops,
	deviations_ops,
	timesheet_ops,
	t13_ops,
	payrun_ops,
	payslips_ops,
	deductions_ops,
	payterms_ops,
	staff_ops,
	exchange_ops,
	dashboard_ops,
	staff_page_ops,
	routing_ops,
	requests_ops,
	requests_feed_ops,
	requests_files_ops,
	team_ops,
	NULL,
};

int ops_before(struct ctx *ctx)
{
	return session_resolve(ctx);
}
