/*
 * ndfl_pay.h - an employee's НДФЛ year from the stored payments and
 * payroll results: the tax of a payment, of a month's unpaid rest, the
 * income of the year by income date (ndfl.h "НДФЛ by the income date" for
 * the rule and its sources).
 *
 * The events of a year Y (one employee):
 *  - every payment dated in Y (payroll_payments; its stored ndfl is the tax
 *    withheld, a document), after the opening balance's date;
 *  - the unpaid rest of each calculated month of Y (payroll_employees:
 *    accrued minus what the payments settling the month paid, whatever
 *    their dates), as paid on the month's last day (ndfl_pay_rest_date):
 *    an organization that records no payments pays each month on its last
 *    day. Only the months no recorded payment settles (and the focus
 *    month, whose tax the payroll computes to be withheld): once payments
 *    of a month are recorded, its unpaid rest is not paid, so it is not
 *    income yet (Tax Code art. 223 p. 2: the income date of pay is the day
 *    it is paid). A rest dated after the opening balance's date is the
 *    service's, whenever its month starts (a balance as of 01.11 leaves
 *    November, paid on 30.11, to the service); the child deductions start
 *    with the month of that date unless the date is its month's last day.
 *  - only events dated up to opts.until: the income certificate passes its
 *    own date, so a month's rest due later (a month closed early) is not
 *    income nor withheld yet.
 * Material aid in an event: a month's accrued is paid in the order of its
 * lines with the material aid last (payroll_accruals of kind material_aid
 * of the month), so a payment's share of it is where its amount falls in
 * the month's accrued, after the payments before it (date, id).
 * Amounts are kopecks; memory is the request's arena.
 */
#ifndef CABINET_NDFL_PAY_H
#define CABINET_NDFL_PAY_H

#include "dispatch.h"
#include "ndfl.h"

/* Where an event's money comes from. */
struct ndfl_src {
	int settles;      /* the first day of the payroll month it pays */
	int64_t pos;      /* the month's accrued paid before it */
	int64_t accrued;  /* the month's accrued; -1: the month is not calculated */
	const char *kind; /* the payment's kind; "" for a month's rest */
};

struct ndfl_emp {
	int64_t employee;
	int as_of;       /* the opening balance's date of the year, or DATE_NONE */
	int known_month; /* the year's first month the service calculated or pays; 13: none */
	struct ndfl_year y;
	struct ndfl_event *ev; /* sorted (ndfl_event_cmp) after ndfl_pay_run */
	struct ndfl_src *src;  /* src[i] belongs to ev[i] (moved with it) */
	int nev, cap;
	/* the focus month (ndfl_pay_load): what its payments paid and withheld,
	 * whatever their dates */
	int64_t focus_paid, focus_withheld;
	int focus_last; /* the latest date of them, or DATE_NONE */
};

/* Options of ndfl_pay_load. */
struct ndfl_pay_opts {
	int year;
	int until;       /* events dated up to this day (inclusive) */
	int focus;       /* a month's first day, or DATE_NONE */
	int skip_focus;  /* leave the focus month's rest out (the caller adds it) */
	int closed_only; /* rests of closed months only (the income certificate) */
};

/* The year's events of the employees ids ("{1,2}", ascending), unsorted,
 * with their opening balances and child deductions; *out has one element
 * per id in ids' order. 0, or -1 after a database error. */
int ndfl_pay_load(struct ctx *ctx, const char *ids, const struct ndfl_pay_opts *o,
                  struct ndfl_emp **out, int *n);

/* Appends an event (arena memory). */
void ndfl_pay_add(struct ctx *ctx, struct ndfl_emp *e, const struct ndfl_event *ev,
                  const struct ndfl_src *src);

/* The material aid share of amount paid at pos of a month accrued with aid
 * (paid last). */
int64_t ndfl_pay_aid_share(int64_t accrued, int64_t aid, int64_t pos, int64_t amount);

/* Sorts the events and computes the taxes (ndfl_year_run). */
void ndfl_pay_run(struct ndfl_emp *e);

/* The day a month's unpaid rest counts as paid: its last day, or the latest
 * payment settling it (last_payment, DATE_NONE: none) when later in the
 * same year. */
int ndfl_pay_rest_date(int month_first, int last_payment);

/* A month's НДФЛ after ndfl_pay_run with the month as focus: what its
 * payments withheld and the tax of its unpaid rest. */
int64_t ndfl_pay_month(struct ndfl_emp *e, int month_first);

/* The element of e for an employee id, or NULL. */
struct ndfl_emp *ndfl_pay_find(struct ndfl_emp *e, int n, int64_t employee);

/* Child deduction codes (order ММВ-7-11/387@): by order 126, 127, 128, a
 * disabled child 129; doubled for a sole parent 134, 136, 138, 140:
 * [sole][order index 0..2, 3 disabled]. */
extern const int ndfl_child_codes[2][4];

/* The employee's children (ndfl_children: child_order, disabled,
 * sole_parent, date_from, date_to), NULL after ctx_fail. */
PGresult *ndfl_children_rows(struct ctx *ctx, int64_t employee);

/* A month's child deduction by code added into by_code[sole][k]
 * (ndfl_child_codes), when the children of kids (ndfl_children_rows)
 * touching the month add up to the stored deduction: 1; else 0 (the
 * deduction stays a total without codes). */
int ndfl_children_split(PGresult *kids, int year, int month, int64_t stored, int64_t by_code[2][4]);

#endif
