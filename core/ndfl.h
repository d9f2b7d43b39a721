/*
 * ndfl.h - personal income tax (НДФЛ) on a resident's labor income.
 *
 * Cumulative from 1 January (Tax Code art. 225, 226): the tax for a month is
 * the scale applied to the year-to-date base including this month, rounded
 * to whole rubles (half up), minus the tax already withheld this year.
 * Scale on the annual base B (rubles):
 *   13% up to 2 400 000;
 *   312 000 + 15% over 2 400 000 up to 5 000 000;
 *   702 000 + 18% over 5 000 000 up to 20 000 000;
 *   3 402 000 + 20% over 20 000 000 up to 50 000 000;
 *   9 402 000 + 22% above.
 * Standard child deductions per month (art. 218): 1 400 for the first child,
 * 2 800 for the second, 6 000 for the third and each next, plus 12 000 for
 * a disabled child; all doubled for a sole parent. They apply in each month
 * whose year-to-date income including the month is at most 450 000.
 *
 * Earlier years (ndfl_input.year; a payroll of a past month is computed by
 * the rules of its year):
 *   2021-2024: 13% up to 5 000 000, 650 000 + 15% above; children 1 400,
 *              1 400, 3 000 (third and next), +12 000 disabled; income limit
 *              350 000;
 *   2016-2020: 13% flat; children as 2021; limit 350 000;
 *   up to 2015: 13% flat; children 1 400, 1 400, 3 000, +3 000 disabled;
 *              limit 280 000.
 *
 * Amounts are kopecks (money.h). A month whose cumulative tax is below what
 * was withheld gives 0 here (the excess is for the employer to offset or
 * refund under art. 231, not for the monthly withholding).
 */
#ifndef CABINET_NDFL_H
#define CABINET_NDFL_H

#include <stdint.h>

/* Year-to-date income up to which child deductions apply: 450 000.00. */
#define NDFL_CHILD_INCOME_LIMIT INT64_C(45000000)

struct ndfl_child {
	int order;    /* 1 = first child, 2 = second, 3.. */
	int disabled; /* a disabled child: +12 000 */
};

struct ndfl_input {
	int64_t ytd_income;                /* earlier months of this year */
	int64_t ytd_deductions;            /* deductions applied in the earlier months */
	int64_t ytd_tax;                   /* tax withheld in the earlier months */
	int64_t income;                    /* this month */
	const struct ndfl_child *children; /* borrowed */
	int nchildren;
	int sole_parent;
	int year; /* the tax year; 0: the 2025 rules */
};

struct ndfl_result {
	int64_t deduction; /* applied this month */
	int64_t base_ytd;  /* year-to-date base including this month */
	int64_t tax_ytd;   /* scale(base_ytd), whole rubles */
	int64_t tax;       /* to withhold this month */
};

/* The scale on an annual base (kopecks), rounded to whole rubles half up:
 * the 2025 one, and the one of a given year. */
int64_t ndfl_scale(int64_t base);
int64_t ndfl_scale_year(int year, int64_t base);

/* Child deductions for one month by the 2025 rules (before the income limit). */
int64_t ndfl_child_deduction(const struct ndfl_child *children, int n, int sole_parent);

/*
 * One child's monthly deduction by the rules of the year, in the two parts
 * the tax agent's certificate (КНД 1175018) codes apart: the part for the
 * child's order (*order_part; codes 126, 127, 128 for the first, second,
 * third and next) and the part for a disabled child (*disabled_part; code
 * 129; 0 when not disabled). Not doubled: a sole parent's double amounts
 * are codes 134, 136, 138, 140.
 */
void ndfl_child_parts(int year, const struct ndfl_child *c, int64_t *order_part,
                      int64_t *disabled_part);

/* The percents of the year's scale that an annual base reaches: {13} up to
 * the first step, {13, 15} above it, ...; into rates (at most max); returns
 * how many (at least 1). */
int ndfl_rates(int year, int64_t base, int *rates, int max);

/* This month's tax. Returns 0, or -1 for negative or out-of-range inputs. */
int ndfl_month(const struct ndfl_input *in, struct ndfl_result *out);

/*
 * НДФЛ by the income date (issue 11 item 4). Since 2023 the income date of
 * labor income is the day it is paid (Tax Code art. 223 p. 2 as amended by
 * federal law No. 263-FZ of 14.07.2022, in force from 2023), and the tax agent withholds the tax
 * from each payment (art. 226 p. 4), cumulative over the calendar year of the
 * payment's date (art. 225 p. 3). The tax events of a year Y are its
 * payments in the order (date, id); for each:
 *   I = the opening balance's income of Y + the taxable amount of every
 *       earlier event of Y + this event's taxable amount;
 *   D = the opening balance's deductions + the standard child deductions of
 *       each month of Y from the first of employment (after the opening
 *       balance's date) to the event's month (at most the dismissal's), each
 *       while the year's income up to that month's end (for the event's own
 *       month: up to this event) is within the year's limit (art. 218 p. 1
 *       sub. 4: 450 000 from 2025; p. 3: cumulative from the tax period's
 *       start, months without income included);
 *   W = the opening balance's tax + the tax of the earlier events of Y;
 *   tax = scale_Y(max(0, I - D)) rounded to whole rubles - W, clamped to
 *         [0, amount].
 * Material aid is not income for its first 4 000 a year (art. 217 p. 28),
 * in the order paid. A stored payment's tax is a document (fixed): it enters
 * W as withheld and is never recomputed. An organization that records no
 * payments: the part of a calculated month no payment has paid is taken as
 * paid on the month's last day (an event after that day's payments), or,
 * when payments settling the month were made later in the same year, on the
 * latest of their dates (the rest is paid after what was paid of it).
 */

/* Material aid exempt a year (art. 217 p. 28): 4 000.00. */
#define NDFL_AID_EXEMPT INT64_C(400000)

struct ndfl_event {
	int date;       /* the income date (date.h day number) */
	int order;      /* ties on one date: 0 payments, then 1 a month's unpaid rest */
	int64_t id;     /* ties: the payment's id (0 for a rest) */
	int64_t amount; /* income paid, kopecks */
	int64_t aid;    /* of which material aid */
	int fixed;      /* 1: tax is the stored withheld tax of a payment */
	int64_t tax;    /* in when fixed; out otherwise */
	/* out */
	int64_t exempt;    /* the exempt part of its material aid */
	int64_t deduction; /* D after it */
	int64_t base;      /* max(0, I - D) after it */
};

struct ndfl_year {
	int year;
	int64_t ob_income, ob_deductions, ob_tax; /* the opening balance of the year */
	int64_t child[13];           /* [1..12]: the month's child deduction before the limit */
	int first_month, last_month; /* of employment in the year; 0: 1 and 12 */
	/* out of ndfl_year_run */
	int has[13];                           /* the month has income */
	int64_t income_to[13];                 /* the year's income up to the month's end */
	int64_t applied[13];                   /* the child deduction the month got */
	int64_t income, deductions, base, tax; /* totals after the last event */
	/* in: a day; out: the state after the last event up to it */
	int snap_date;
	int64_t snap_base, snap_applied[13];
};

/* Computes the tax of every event that is not fixed, in place; ev must be
 * sorted by (date, order, id) (ndfl_event_cmp) and dated in y->year. */
void ndfl_year_run(struct ndfl_year *y, struct ndfl_event *ev, int n);
int ndfl_event_cmp(const void *a, const void *b);

/* One month's child deduction by the rules of the year (before the limit). */
int64_t ndfl_child_deduction_year(int year, const struct ndfl_child *children, int n,
                                  int sole_parent);

#endif
