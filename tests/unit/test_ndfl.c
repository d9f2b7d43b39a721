/* ndfl.h: the 2025 scale, cumulative withholding, child deductions. */
#include "check.h"
#include "date.h"
#include "ndfl.h"

#include <stdlib.h>
#include <string.h>

#define RUB(x) ((int64_t)(x)*100)

/* Runs twelve months of a constant income in a tax year (0: 2025 rules);
 * taxes into tax[12]. */
static void year_in(int year, int64_t monthly, const struct ndfl_child *kids, int nkids, int sole,
                    int64_t *tax, int64_t *deduction)
{
	struct ndfl_input in = {0, 0, 0, monthly, kids, nkids, sole, year};
	int m;

	for (m = 0; m < 12; m++) {
		struct ndfl_result r;

		CHECK(ndfl_month(&in, &r) == 0);
		tax[m] = r.tax;
		if (deduction)
			deduction[m] = r.deduction;
		in.ytd_income += monthly;
		in.ytd_deductions += r.deduction;
		in.ytd_tax += r.tax;
	}
}

static void year_of(int64_t monthly, const struct ndfl_child *kids, int nkids, int sole,
                    int64_t *tax, int64_t *deduction)
{
	year_in(0, monthly, kids, nkids, sole, tax, deduction);
}

TEST(test_scale_points)
{
	CHECK_INT(ndfl_scale(0), 0);
	CHECK_INT(ndfl_scale(-5), 0);
	CHECK_INT(ndfl_scale(RUB(2400000)), RUB(312000));
	CHECK_INT(ndfl_scale(RUB(5000000)), RUB(702000));
	CHECK_INT(ndfl_scale(RUB(20000000)), RUB(3402000));
	CHECK_INT(ndfl_scale(RUB(50000000)), RUB(9402000));
	CHECK_INT(ndfl_scale(RUB(60000000)), RUB(9402000 + 2200000));
	CHECK_INT(ndfl_scale(RUB(2500000)), RUB(327000));
	/* rounding to whole rubles, half up */
	CHECK_INT(ndfl_scale(1000050), RUB(1300));  /* 10 000.50 -> 1 300.065 */
	CHECK_INT(ndfl_scale(1000385), RUB(1301));  /* 10 003.85 -> 1 300.5005 */
	CHECK_INT(ndfl_scale(1000384), RUB(1300));  /* 10 003.84 -> 1 300.4992 */
	CHECK_INT(ndfl_scale(RUB(50)), RUB(7));     /* 6.50 -> 7 */
	CHECK_INT(ndfl_scale(RUB(46)), RUB(6));     /* 5.98 -> 6 */
	CHECK_INT(ndfl_scale(RUB(23)), RUB(3));     /* 2.99 -> 3 */
	CHECK_INT(ndfl_scale(RUB(3)), 0);           /* 0.39 -> 0 */
	CHECK_INT(ndfl_scale(RUB(4) - 15), RUB(1)); /* 3.85 -> 0.5005 -> 1 */
}

TEST(test_250k_a_month)
{
	int64_t tax[12];
	int m;

	year_of(RUB(250000), NULL, 0, 0, tax, NULL);
	for (m = 0; m < 9; m++)
		CHECK_INT(tax[m], RUB(32500));
	CHECK_INT(tax[9], RUB(34500));
	CHECK_INT(tax[10], RUB(37500));
	CHECK_INT(tax[11], RUB(37500));
}

TEST(test_threshold_crossings)
{
	int64_t tax[12];

	/* 1.2 M a month: May crosses 5 M (200 000 at 15%, 1 000 000 at 18%). */
	year_of(RUB(1200000), NULL, 0, 0, tax, NULL);
	CHECK_INT(tax[0], RUB(156000));
	CHECK_INT(tax[1], RUB(156000));
	CHECK_INT(tax[2], RUB(180000)); /* 3.6 M: 312 000 + 15% of 1.2 M, less 312 000 */
	CHECK_INT(tax[3], RUB(180000));
	CHECK_INT(tax[4], RUB(30000 + 180000));
	CHECK_INT(tax[5], RUB(216000));
	/* 3 M a month: July crosses 20 M (2 M at 18%, 1 M at 20%). */
	year_of(RUB(3000000), NULL, 0, 0, tax, NULL);
	CHECK_INT(tax[5], RUB(540000));
	CHECK_INT(tax[6], RUB(360000 + 200000));
	CHECK_INT(tax[7], RUB(600000));
	/* 7 M a month: August crosses 50 M (1 M at 20%, 6 M at 22%). */
	year_of(RUB(7000000), NULL, 0, 0, tax, NULL);
	CHECK_INT(tax[6], RUB(1400000));
	CHECK_INT(tax[7], RUB(200000 + 1320000));
	CHECK_INT(tax[8], RUB(1540000));
}

TEST(test_child_deductions)
{
	static const struct ndfl_child two[2] = {{1, 0}, {2, 0}};
	static const struct ndfl_child three[3] = {{1, 0}, {2, 0}, {3, 1}};
	int64_t tax[12], ded[12];
	int m;

	CHECK_INT(ndfl_child_deduction(two, 2, 0), RUB(4200));
	CHECK_INT(ndfl_child_deduction(two, 2, 1), RUB(8400));
	CHECK_INT(ndfl_child_deduction(three, 3, 0), RUB(1400 + 2800 + 6000 + 12000));
	CHECK_INT(ndfl_child_deduction(three, 3, 1), RUB(2 * 22200));
	/* 100 000 a month, two children: Jan-Apr (400 000 <= 450 000) deduct 4 200,
	 * May (500 000) does not: base 483 200, tax 62 816 - 4 x 12 454 = 13 000. */
	year_of(RUB(100000), two, 2, 0, tax, ded);
	for (m = 0; m < 4; m++) {
		CHECK_INT(ded[m], RUB(4200));
		CHECK_INT(tax[m], RUB(12454));
	}
	CHECK_INT(ded[4], 0);
	CHECK_INT(tax[4], RUB(13000));
	CHECK_INT(tax[5], RUB(13000));
	/* 90 000 a month: 450 000 in May exactly still deducts; June does not. */
	year_of(RUB(90000), two, 2, 0, tax, ded);
	CHECK_INT(ded[4], RUB(4200));
	CHECK_INT(ded[5], 0);
	/* Sole parent of a disabled third child, 50 000 a month: 44 400 deducted
	 * Jan-Sep (450 000 in September), none from October. */
	year_of(RUB(50000), three, 3, 1, tax, ded);
	CHECK_INT(ded[8], RUB(44400));
	CHECK_INT(ded[9], 0);
	CHECK_INT(tax[0], RUB(728)); /* 13% of 5 600 */
	/* Deductions larger than income: the base does not go negative. */
	{
		struct ndfl_input in = {0, 0, 0, RUB(10000), three, 3, 1, 0};
		struct ndfl_result r;

		CHECK(ndfl_month(&in, &r) == 0);
		CHECK_INT(r.base_ytd, 0);
		CHECK_INT(r.tax, 0);
	}
}

TEST(test_month_inputs)
{
	struct ndfl_input in = {RUB(2250000), 0, RUB(292500), RUB(250000), NULL, 0, 0, 0};
	struct ndfl_result r;
	static const struct ndfl_child bad[1] = {{0, 0}};

	CHECK(ndfl_month(&in, &r) == 0);
	CHECK_INT(r.base_ytd, RUB(2500000));
	CHECK_INT(r.tax_ytd, RUB(327000));
	CHECK_INT(r.tax, RUB(34500));
	/* Over-withheld earlier: nothing this month. */
	in.ytd_tax = RUB(400000);
	CHECK(ndfl_month(&in, &r) == 0);
	CHECK_INT(r.tax, 0);
	in.income = -1;
	CHECK(ndfl_month(&in, &r) == -1);
	in.income = 0;
	in.children = bad;
	in.nchildren = 1;
	CHECK(ndfl_month(&in, &r) == -1);
}

/* Payrolls of past months follow the rules of their year. */
TEST(test_earlier_years)
{
	const struct ndfl_child two[] = {{1, 0}, {2, 0}}, disabled[] = {{1, 1}};
	int64_t tax[12], ded[12];
	int m;

	/* 2021-2024: 15% over 5 000 000 only; 450 000 a month crosses it in
	 * December: 650 000 + 15% x 400 000 - 11 x 58 500 */
	year_in(2024, RUB(450000), NULL, 0, 0, tax, NULL);
	for (m = 0; m < 11; m++)
		CHECK_INT(tax[m], RUB(58500));
	CHECK_INT(tax[11], RUB(66500));
	CHECK_INT(ndfl_scale_year(2024, RUB(2500000)), RUB(325000)); /* 13%, not 327 000 */
	CHECK_INT(ndfl_scale_year(2021, RUB(6000000)), RUB(800000));
	/* up to 2020: 13% flat, whatever the income */
	CHECK_INT(ndfl_scale_year(2020, RUB(10000000)), RUB(1300000));
	CHECK_INT(ndfl_scale_year(2017, RUB(60000000)), RUB(7800000));
	CHECK_INT(ndfl_scale_year(2025, RUB(2500000)), ndfl_scale(RUB(2500000)));
	CHECK_INT(ndfl_scale_year(2026, RUB(2500000)), RUB(327000));

	/* children, 2024: 1 400 + 1 400 while income so far is at most 350 000 */
	year_in(2024, RUB(100000), two, 2, 0, tax, ded);
	CHECK_INT(ded[0], RUB(2800));
	CHECK_INT(tax[0], RUB(12636)); /* (100 000 - 2 800) x 13% */
	CHECK_INT(ded[2], RUB(2800));  /* 300 000 so far */
	CHECK_INT(ded[3], 0);          /* 400 000 > 350 000 */
	/* the same in 2025: 1 400 + 2 800, limit 450 000 */
	year_in(2025, RUB(100000), two, 2, 0, tax, ded);
	CHECK_INT(ded[0], RUB(4200));
	CHECK_INT(tax[0], RUB(12454));
	CHECK_INT(ded[3], RUB(4200));
	CHECK_INT(ded[4], 0);
	/* 2015: a disabled child adds 3 000; limit 280 000 */
	year_in(2015, RUB(50000), disabled, 1, 0, tax, ded);
	CHECK_INT(ded[0], RUB(4400));
	CHECK_INT(tax[0], RUB(5928)); /* (50 000 - 4 400) x 13% */
	CHECK_INT(ded[4], RUB(4400)); /* 250 000 so far */
	CHECK_INT(ded[5], 0);         /* 300 000 > 280 000 */
	/* 2016: a disabled child adds 12 000 */
	year_in(2016, RUB(50000), disabled, 1, 0, tax, ded);
	CHECK_INT(ded[0], RUB(13400));
}

TEST(test_child_parts_and_rates)
{
	struct ndfl_child first = {1, 0}, second = {2, 1}, fourth = {4, 0};
	int64_t o, d;
	int rates[8], n;

	ndfl_child_parts(2026, &first, &o, &d);
	CHECK_INT(o, RUB(1400));
	CHECK_INT(d, 0);
	ndfl_child_parts(2025, &second, &o, &d);
	CHECK_INT(o, RUB(2800));
	CHECK_INT(d, RUB(12000));
	ndfl_child_parts(2025, &fourth, &o, &d);
	CHECK_INT(o, RUB(6000));
	ndfl_child_parts(2024, &second, &o, &d);
	CHECK_INT(o, RUB(1400));
	CHECK_INT(d, RUB(12000));
	ndfl_child_parts(2024, &fourth, &o, &d);
	CHECK_INT(o, RUB(3000));
	/* the parts add up to what the month deducts */
	{
		struct ndfl_child kids[] = {{1, 0}, {2, 1}, {3, 0}};
		int64_t sum = 0;
		for (int i = 0; i < 3; i++) {
			ndfl_child_parts(2025, &kids[i], &o, &d);
			sum += o + d;
		}
		CHECK_INT(sum, ndfl_child_deduction(kids, 3, 0));
	}
	n = ndfl_rates(2026, RUB(720000), rates, 8);
	CHECK_INT(n, 1);
	CHECK_INT(rates[0], 13);
	n = ndfl_rates(2026, RUB(2400000), rates, 8);
	CHECK_INT(n, 1);
	n = ndfl_rates(2026, RUB(2400001), rates, 8);
	CHECK_INT(n, 2);
	CHECK_INT(rates[1], 15);
	n = ndfl_rates(2025, RUB(60000000), rates, 8);
	CHECK_INT(n, 5);
	CHECK_INT(rates[4], 22);
	n = ndfl_rates(2024, RUB(6000000), rates, 8);
	CHECK_INT(n, 2);
	CHECK_INT(rates[1], 15);
	n = ndfl_rates(2019, RUB(60000000), rates, 8);
	CHECK_INT(n, 1);
	n = ndfl_rates(2026, 0, rates, 8);
	CHECK_INT(n, 1);
}

/* НДФЛ by the income date (ndfl_year_run): payments as tax events. */
static void test_year_of_payments(void)
{
	struct ndfl_event ev[24];
	struct ndfl_year y;
	int n = 0;

	/* 250 000 a month: the advance 100 000 on the 25th, the rest on the 10th
	 * of the next month (the December rest falls in the next year) */
	memset(ev, 0, sizeof(ev));
	memset(&y, 0, sizeof(y));
	y.year = 2025;
	for (int m = 1; m <= 12; m++) {
		ev[n].date = date_month_first(2025, m) + 24;
		ev[n++].amount = RUB(100000);
		if (m < 12) {
			ev[n].date = date_month_first(2025, m + 1) + 9;
			ev[n++].amount = RUB(150000);
		}
	}
	qsort(ev, (size_t)n, sizeof(ev[0]), ndfl_event_cmp);
	ndfl_year_run(&y, ev, n);
	CHECK_INT(ev[0].tax, RUB(13000));  /* 25 January */
	CHECK_INT(ev[1].tax, RUB(19500));  /* 10 February */
	CHECK_INT(ev[18].tax, RUB(13000)); /* 25 October: 2 350 000 */
	CHECK_INT(ev[19].tax, RUB(21500)); /* 10 November crosses 2 400 000 */
	CHECK_INT(ev[20].tax, RUB(15000));
	CHECK_INT(ev[21].tax, RUB(22500));
	CHECK_INT(ev[22].tax, RUB(15000));
	CHECK_INT(y.income, RUB(2850000));
	CHECK_INT(y.tax, RUB(379500));

	/* a child: the limit is crossed in the month the money is paid; the
	 * months before the first payment count (art. 218 p. 3) */
	memset(ev, 0, sizeof(ev));
	memset(&y, 0, sizeof(y));
	y.year = 2025;
	for (int m = 1; m <= 12; m++)
		y.child[m] = RUB(1400);
	n = 0;
	for (int m = 2; m <= 7; m++) {
		ev[n].date = date_month_first(2025, m) + 9;
		ev[n++].amount = RUB(100000);
	}
	ndfl_year_run(&y, ev, n);
	CHECK_INT(ev[0].tax, RUB(12636)); /* 13 % x (100 000 - 2 x 1 400) */
	CHECK_INT(ev[1].tax, RUB(12818));
	CHECK_INT(ev[3].tax, RUB(12818)); /* May: 400 000 */
	CHECK_INT(ev[4].tax, RUB(13000)); /* June: 500 000, no June deduction */
	CHECK_INT(y.applied[5], RUB(1400));
	CHECK_INT(y.applied[6], 0);

	/* material aid in two parts: 4 000 exempt once; a fixed (stored) tax is
	 * kept; the opening balance counts */
	memset(ev, 0, sizeof(ev));
	memset(&y, 0, sizeof(y));
	y.year = 2025;
	y.ob_income = RUB(120000);
	y.ob_tax = RUB(15600);
	ev[0].date = date_month_first(2025, 4) + 4;
	ev[0].amount = RUB(65000);
	ev[0].aid = RUB(5000);
	ev[1].date = date_month_first(2025, 4) + 9;
	ev[1].amount = RUB(5000);
	ev[1].aid = RUB(5000);
	ndfl_year_run(&y, ev, 2);
	CHECK_INT(ev[0].exempt, RUB(4000));
	CHECK_INT(ev[0].tax, RUB(7930));
	CHECK_INT(ev[1].exempt, 0);
	CHECK_INT(ev[1].tax, RUB(650));
	ev[0].fixed = 1;
	ev[0].tax = RUB(8450);
	ndfl_year_run(&y, ev, 2);
	CHECK_INT(ev[1].tax, RUB(130));
}

int main(void)
{
	RUN(test_scale_points);
	RUN(test_250k_a_month);
	RUN(test_threshold_crossings);
	RUN(test_child_deductions);
	RUN(test_month_inputs);
	RUN(test_earlier_years);
	RUN(test_child_parts_and_rates);
	RUN(test_year_of_payments);
	return check_report();
}
