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
	openbal_ops,
	payments_ops,
	staff_ops,
	exchange_ops,
	dashboard_ops,
	import_ops,
	staff_page_ops,
	NULL,
};

int ops_before(struct ctx *ctx)
{
	return session_resolve(ctx);
}
