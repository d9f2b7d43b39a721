#include "ndfl.h"

#include "money.h"

struct ndfl_bracket {
	int64_t from; /* kopecks */
	int64_t tax;  /* tax at `from`, kopecks */
	int64_t percent;
};

static const struct ndfl_bracket ndfl_brackets[] = {
    {INT64_C(0), INT64_C(0), 13},
    {INT64_C(240000000), INT64_C(31200000), 15},
    {INT64_C(500000000), INT64_C(70200000), 18},
    {INT64_C(2000000000), INT64_C(340200000), 20},
    {INT64_C(5000000000), INT64_C(940200000), 22},
};

int64_t ndfl_scale(int64_t base)
{
	int i = (int)(sizeof(ndfl_brackets) / sizeof(ndfl_brackets[0])) - 1;
	int64_t hundredths;

	if (base <= 0)
		return 0;
	while (base < ndfl_brackets[i].from)
		i--;
	/* in hundredths of a kopeck: exact */
	hundredths =
	    ndfl_brackets[i].tax * 100 + ndfl_brackets[i].percent * (base - ndfl_brackets[i].from);
	return money_muldiv_exact(hundredths, 1, 10000) * 100;
}

int64_t ndfl_child_deduction(const struct ndfl_child *children, int n, int sole_parent)
{
	int64_t sum = 0;
	int i;

	for (i = 0; i < n; i++) {
		const struct ndfl_child *c = &children[i];
		int64_t d = c->order <= 1 ? 140000 : c->order == 2 ? 280000 : 600000;

		if (c->disabled)
			d += 1200000;
		sum += d;
	}
	return sole_parent ? 2 * sum : sum;
}

int ndfl_month(const struct ndfl_input *in, struct ndfl_result *out)
{
	int64_t income_ytd, base, tax;
	int i;

	if (in->ytd_income < 0 || in->ytd_deductions < 0 || in->ytd_tax < 0 || in->income < 0 ||
	    in->ytd_income > MONEY_MAX || in->ytd_deductions > MONEY_MAX ||
	    in->ytd_tax > MONEY_MAX || in->income > MONEY_MAX || in->nchildren < 0 ||
	    in->nchildren > 100)
		return -1;
	for (i = 0; i < in->nchildren; i++)
		if (in->children[i].order < 1)
			return -1;
	income_ytd = in->ytd_income + in->income;
	out->deduction = 0;
	if (income_ytd <= NDFL_CHILD_INCOME_LIMIT)
		out->deduction = ndfl_child_deduction(in->children, in->nchildren, in->sole_parent);
	base = income_ytd - in->ytd_deductions - out->deduction;
	out->base_ytd = base > 0 ? base : 0;
	out->tax_ytd = ndfl_scale(out->base_ytd);
	tax = out->tax_ytd - in->ytd_tax;
	out->tax = tax > 0 ? tax : 0;
	return 0;
}
