#include "ops.h"

const struct op *const ops_tables[] = {
	system_ops,
	NULL,
};

int ops_before(struct ctx *ctx)
{
	switch (ctx->op->access) {
	case OP_ANYONE:
	case OP_OPERATOR:
		return 0;
	default:
		/* tenants and sessions arrive with the accounts module */
		return ctx_fail(ctx, PROTO_ERR_not_found, NULL);
	}
}
