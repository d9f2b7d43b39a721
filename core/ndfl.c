#include "ndfl.h"

#include "date.h"
#include "money.h"

#include <string.h>

struct ndfl_bracket {
	int64_t from; /* kopecks */
	int64_t tax;  /* tax at `from`, kopecks */
	int64_t percent;
};

static const struct ndfl_bracket ndfl_brackets_2025[] = {
    {INT64_C(0), INT64_C(0), 13},
    {INT64_C(240000000), INT64_C(31200000), 15},
    {INT64_C(500000000), INT64_C(70200000), 18},
    {INT64_C(2000000000), INT64_C(340200000), 20},
    {INT64_C(5000000000), INT64_C(940200000), 22},
};
static const struct ndfl_bracket ndfl_brackets_2021[] = {
    {INT64_C(0), INT64_C(0), 13},
    {INT64_C(500000000), INT64_C(65000000), 15},
};
static const struct ndfl_bracket ndfl_brackets_flat[] = {
    {INT64_C(0), INT64_C(0), 13},
};

/* What changes from year to year (kopecks). */
struct ndfl_rules {
	const struct ndfl_bracket *brackets;
	int nbrackets;
	int64_t child[3]; /* first, second, third and each next */
	int64_t disabled; /* added for a disabled child */
	int64_t income_limit;
};

#define NDFL_BRACKETS(b) b, (int)(sizeof(b) / sizeof(b[0]))

static const struct ndfl_rules ndfl_rules_2025 = {
    NDFL_BRACKETS(ndfl_brackets_2025), {140000, 280000, 600000}, 1200000, NDFL_CHILD_INCOME_LIMIT};
static const struct ndfl_rules ndfl_rules_2021 = {
    NDFL_BRACKETS(ndfl_brackets_2021), {140000, 140000, 300000}, 1200000, INT64_C(35000000)};
static const struct ndfl_rules ndfl_rules_2016 = {
    NDFL_BRACKETS(ndfl_brackets_flat), {140000, 140000, 300000}, 1200000, INT64_C(35000000)};
static const struct ndfl_rules ndfl_rules_2012 = {
    NDFL_BRACKETS(ndfl_brackets_flat), {140000, 140000, 300000}, 300000, INT64_C(28000000)};

static const struct ndfl_rules *ndfl_rules_for(int year)
{
	if (year == 0 || year >= 2025)
		return &ndfl_rules_2025;
	if (year >= 2021)
		return &ndfl_rules_2021;
	return year >= 2016 ? &ndfl_rules_2016 : &ndfl_rules_2012;
}

static int64_t ndfl_scale_rules(const struct ndfl_rules *r, int64_t base)
{
	int i = r->nbrackets - 1;
	int64_t hundredths;

	if (base <= 0)
		return 0;
	while (base < r->brackets[i].from)
		i--;
	/* in hundredths of a kopeck: exact */
	hundredths =
	    r->brackets[i].tax * 100 + r->brackets[i].percent * (base - r->brackets[i].from);
	return money_muldiv_exact(hundredths, 1, 10000) * 100;
}

static int64_t ndfl_children_rules(const struct ndfl_rules *r, const struct ndfl_child *children,
                                   int n, int sole_parent)
{
	int64_t sum = 0;

	for (int i = 0; i < n; i++) {
		const struct ndfl_child *c = &children[i];
		int64_t d = r->child[c->order <= 1 ? 0 : c->order == 2 ? 1 : 2];

		if (c->disabled)
			d += r->disabled;
		sum += d;
	}
	return sole_parent ? 2 * sum : sum;
}

int64_t ndfl_scale(int64_t base)
{
	return ndfl_scale_rules(&ndfl_rules_2025, base);
}

int64_t ndfl_scale_year(int year, int64_t base)
{
	return ndfl_scale_rules(ndfl_rules_for(year), base);
}

int64_t ndfl_child_deduction(const struct ndfl_child *children, int n, int sole_parent)
{
	return ndfl_children_rules(&ndfl_rules_2025, children, n, sole_parent);
}

void ndfl_child_parts(int year, const struct ndfl_child *c, int64_t *order_part,
                      int64_t *disabled_part)
{
	const struct ndfl_rules *r = ndfl_rules_for(year);

	*order_part = r->child[c->order <= 1 ? 0 : c->order == 2 ? 1 : 2];
	*disabled_part = c->disabled ? r->disabled : 0;
}

int ndfl_rates(int year, int64_t base, int *rates, int max)
{
	const struct ndfl_rules *r = ndfl_rules_for(year);
	int n = 0;

	for (int i = 0; i < r->nbrackets && n < max; i++)
		if (i == 0 || base > r->brackets[i].from)
			rates[n++] = (int)r->brackets[i].percent;
	return n;
}

int ndfl_month(const struct ndfl_input *in, struct ndfl_result *out)
{
	const struct ndfl_rules *rules;
	int64_t income_ytd, base, tax;
	int i;

	if (in->year < 0 || in->ytd_income < 0 || in->ytd_deductions < 0 || in->ytd_tax < 0 ||
	    in->income < 0 || in->ytd_income > MONEY_MAX || in->ytd_deductions > MONEY_MAX ||
	    in->ytd_tax > MONEY_MAX || in->income > MONEY_MAX || in->nchildren < 0 ||
	    in->nchildren > 100)
		return -1;
	for (i = 0; i < in->nchildren; i++)
		if (in->children[i].order < 1)
			return -1;
	rules = ndfl_rules_for(in->year);
	income_ytd = in->ytd_income + in->income;
	out->deduction = 0;
	if (income_ytd <= rules->income_limit)
		out->deduction =
		    ndfl_children_rules(rules, in->children, in->nchildren, in->sole_parent);
	base = income_ytd - in->ytd_deductions - out->deduction;
	out->base_ytd = base > 0 ? base : 0;
	out->tax_ytd = ndfl_scale_rules(rules, out->base_ytd);
	tax = out->tax_ytd - in->ytd_tax;
	out->tax = tax > 0 ? tax : 0;
	return 0;
}

int64_t ndfl_child_deduction_year(int year, const struct ndfl_child *children, int n,
                                  int sole_parent)
{
	return ndfl_children_rules(ndfl_rules_for(year), children, n, sole_parent);
}

int ndfl_event_cmp(const void *a, const void *b)
{
	const struct ndfl_event *x = a, *y = b;

	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The year's deductions D for an event of month m with the income I so far
 * (ndfl.h): the opening balance's and each month of employment up to m whose
 * income up to its end (m: up to now) is within the limit. */
static int64_t ndfl_year_deductions(struct ndfl_year *y, const struct ndfl_rules *r, int m,
                                    int64_t income)
{
	int64_t d = y->ob_deductions;
	int from = y->first_month > 0 ? y->first_month : 1;
	int to = y->last_month > 0 && y->last_month < m ? y->last_month : m;

	for (int k = 1; k <= 12; k++)
		y->applied[k] = 0;
	for (int k = from; k <= to; k++) {
		if ((k == m ? income : y->income_to[k]) > r->income_limit)
			continue;
		y->applied[k] = y->child[k];
		d += y->child[k];
	}
	return d;
}

void ndfl_year_run(struct ndfl_year *y, struct ndfl_event *ev, int n)
{
	const struct ndfl_rules *r = ndfl_rules_for(y->year);
	int64_t income = y->ob_income, withheld = y->ob_tax, aid = 0, d = y->ob_deductions;
	memset(y->has, 0, sizeof(y->has));
	for (int k = 0; k <= 12; k++)
		y->income_to[k] = y->ob_income;
	memset(y->applied, 0, sizeof(y->applied));
	for (int i = 0; i < n; i++) {
		struct ndfl_event *e = &ev[i];
		int yy, m, dd;
		int64_t left = NDFL_AID_EXEMPT - aid, t;

		date_to_ymd(e->date, &yy, &m, &dd);
		e->exempt = left <= 0 ? 0 : left > e->aid ? e->aid : left;
		aid += e->aid;
		income += e->amount - e->exempt;
		y->has[m] = 1;
		/* the income up to each month's end: final once a later month's
		 * event comes */
		for (int k = m; k <= 12; k++)
			y->income_to[k] = income;
		d = ndfl_year_deductions(y, r, m, income);
		e->deduction = d;
		e->base = income - d > 0 ? income - d : 0;
		if (!e->fixed) {
			t = ndfl_scale_rules(r, e->base) - withheld;
			e->tax = t < 0 ? 0 : t > e->amount ? e->amount : t;
		}
		withheld += e->tax;
		if (e->date <= y->snap_date) {
			y->snap_base = e->base;
			memcpy(y->snap_applied, y->applied, sizeof(y->applied));
		}
	}
	y->income = income;
	y->deductions = d;
	y->base = income - d > 0 ? income - d : 0;
	y->tax = withheld;
}
