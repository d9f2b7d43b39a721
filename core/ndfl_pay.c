#include "ndfl_pay.h"

#include "date.h"
#include "money.h"
#include "worktime.h"

#include <stdlib.h>
#include <string.h>

struct ndfl_emp *ndfl_pay_find(struct ndfl_emp *e, int n, int64_t employee)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (e[mid].employee == employee)
			return &e[mid];
		if (e[mid].employee < employee)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

void ndfl_pay_add(struct ctx *ctx, struct ndfl_emp *e, const struct ndfl_event *ev,
                  const struct ndfl_src *src)
{
	if (e->nev == e->cap) {
		int cap = e->cap ? 2 * e->cap : 4;
		struct ndfl_event *nev = arena_alloc(ctx->arena, sizeof(*nev) * (size_t)cap);
		struct ndfl_src *nsrc = arena_alloc(ctx->arena, sizeof(*nsrc) * (size_t)cap);
		if (e->nev) {
			memcpy(nev, e->ev, sizeof(*nev) * (size_t)e->nev);
			memcpy(nsrc, e->src, sizeof(*nsrc) * (size_t)e->nev);
		}
		e->ev = nev;
		e->src = nsrc;
		e->cap = cap;
	}
	e->ev[e->nev] = *ev;
	e->src[e->nev] = *src;
	e->nev++;
}

int64_t ndfl_pay_aid_share(int64_t accrued, int64_t aid, int64_t pos, int64_t amount)
{
	int64_t hi = pos + amount < accrued ? pos + amount : accrued;
	int64_t lo = pos > accrued - aid ? pos : accrued - aid;

	return hi > lo ? hi - lo : 0;
}

/* events and sources sorted together */
struct ndfl_pair {
	struct ndfl_event ev;
	struct ndfl_src src;
};

static int ndfl_pair_cmp(const void *a, const void *b)
{
	return ndfl_event_cmp(&((const struct ndfl_pair *)a)->ev,
	                      &((const struct ndfl_pair *)b)->ev);
}

void ndfl_pay_run(struct ndfl_emp *e)
{
	struct ndfl_pair *p;

	if (e->nev > 1 && (p = malloc(sizeof(*p) * (size_t)e->nev)) != NULL) {
		for (int i = 0; i < e->nev; i++) {
			p[i].ev = e->ev[i];
			p[i].src = e->src[i];
		}
		qsort(p, (size_t)e->nev, sizeof(*p), ndfl_pair_cmp);
		for (int i = 0; i < e->nev; i++) {
			e->ev[i] = p[i].ev;
			e->src[i] = p[i].src;
		}
		free(p);
	}
	ndfl_year_run(&e->y, e->ev, e->nev);
}

static int64_t ndfl_money(PGresult *res, int r, int c)
{
	int64_t v = 0;

	if (!PQgetisnull(res, r, c))
		money_parse(PQgetvalue(res, r, c), MONEY_ALLOW_NEGATIVE, &v);
	return v;
}

/* The child deductions of each month of the year (ndfl_children rows
 * touching the month; a sole parent's amounts doubled when any of them
 * says so). */
static int ndfl_pay_children(struct ctx *ctx, const char *ids, int year, struct ndfl_emp *emps,
                             int n)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT employee_id, child_order, disabled, sole_parent, date_from, date_to FROM "
	    "ndfl_children WHERE tenant_id = $1 AND employee_id = ANY($2::bigint[]) AND "
	    "date_from < make_date($3::int + 1, 1, 1) AND (date_to IS NULL OR date_to >= "
	    "make_date($3::int, 1, 1)) ORDER BY employee_id, child_order",
	    ctx_i64(ctx, ctx->tenant_id), ids, ctx_i64(ctx, year));
	int rows;

	if (res == NULL)
		return -1;
	rows = PQntuples(res);
	for (int i = 0; i < rows;) {
		int64_t id = atoll(PQgetvalue(res, i, 0));
		struct ndfl_emp *e = ndfl_pay_find(emps, n, id);
		int j = i;

		while (j < rows && atoll(PQgetvalue(res, j, 0)) == id)
			j++;
		for (int m = 1; e && m <= 12; m++) {
			struct ndfl_child kids[32];
			int nk = 0, sole = 0;
			int first = date_month_first(year, m), last = date_month_last(year, m);
			for (int k = i; k < j && nk < 32; k++) {
				int from = worktime_pg_date(res, k, 4),
				    to = worktime_pg_date(res, k, 5);
				if (from > last || (to != DATE_NONE && to < first))
					continue;
				kids[nk].order = atoi(PQgetvalue(res, k, 1));
				kids[nk].disabled = strcmp(PQgetvalue(res, k, 2), "t") == 0;
				if (strcmp(PQgetvalue(res, k, 3), "t") == 0)
					sole = 1;
				nk++;
			}
			e->y.child[m] = ndfl_child_deduction_year(year, kids, nk, sole);
		}
		i = j;
	}
	return 0;
}

int ndfl_pay_load(struct ctx *ctx, const char *ids, const struct ndfl_pay_opts *o,
                  struct ndfl_emp **out, int *n)
{
	const char *tenant = ctx_i64(ctx, ctx->tenant_id), *yr = ctx_i64(ctx, o->year);
	const char *until = worktime_date_iso(ctx, o->until);
	const char *focus = o->focus != DATE_NONE ? worktime_date_iso(ctx, o->focus) : NULL;
	struct ndfl_emp *emps;
	PGresult *res;
	int ne;

	res = ctx_sql(ctx, "SELECT unnest($1::bigint[])", ids);
	if (res == NULL)
		return -1;
	ne = PQntuples(res);
	emps = arena_alloc(ctx->arena, sizeof(*emps) * (size_t)(ne + 1));
	memset(emps, 0, sizeof(*emps) * (size_t)(ne + 1));
	for (int i = 0; i < ne; i++) {
		emps[i].employee = atoll(PQgetvalue(res, i, 0));
		emps[i].as_of = DATE_NONE;
		emps[i].focus_last = DATE_NONE;
		emps[i].y.year = o->year;
	}
	*out = emps;
	*n = ne;

	res = ctx_sql(ctx,
	              "SELECT employee_id, as_of, ndfl_income::text, ndfl_deductions::text, "
	              "ndfl_tax::text FROM opening_balances WHERE tenant_id = $1 AND employee_id "
	              "= ANY($2::bigint[]) AND ndfl_year = $3::int",
	              tenant, ids, yr);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		struct ndfl_emp *e = ndfl_pay_find(emps, ne, atoll(PQgetvalue(res, i, 0)));
		if (e == NULL)
			continue;
		e->as_of = worktime_pg_date(res, i, 1);
		e->y.ob_income = ndfl_money(res, i, 2);
		e->y.ob_deductions = ndfl_money(res, i, 3);
		e->y.ob_tax = ndfl_money(res, i, 4);
	}
	if (ndfl_pay_children(ctx, ids, o->year, emps, ne) < 0)
		return -1;
	/* the months of employment in the year (child deductions) */
	res = ctx_sql(ctx,
	              "SELECT id, hired, dismissed FROM employees WHERE tenant_id = $1 AND id = "
	              "ANY($2::bigint[])",
	              tenant, ids);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		struct ndfl_emp *e = ndfl_pay_find(emps, ne, atoll(PQgetvalue(res, i, 0)));
		int hired = worktime_pg_date(res, i, 1), dismissed = worktime_pg_date(res, i, 2);
		int first = 1, last = 12, y, m, d;
		if (e == NULL)
			continue;
		if (hired != DATE_NONE && date_year(hired) >= o->year) {
			date_to_ymd(hired, &y, &m, &d);
			first = y > o->year ? 13 : m;
		}
		/* the opening balance covers the months paid up to its date: a
		 * month whose last day is after it (paid then) is the service's */
		if (e->as_of != DATE_NONE && date_year(e->as_of) == o->year) {
			date_to_ymd(e->as_of, &y, &m, &d);
			if (e->as_of == date_month_last(y, m))
				m++;
			first = first > m ? first : m;
		}
		if (dismissed != DATE_NONE && date_year(dismissed) <= o->year) {
			date_to_ymd(dismissed, &y, &m, &d);
			last = y < o->year ? 0 : m;
			if (last == 0)
				first = 13;
		}
		e->y.first_month = first;
		e->y.last_month = last;
	}
	/* child deductions only for the months the service knows (trial-user
	 * 4, F4): the opening balance's (its deductions) and, after it, from
	 * the first month of the year the service calculated or pays (or the
	 * month being calculated) on. A month before that, with neither, has an
	 * unknown income: granting its deduction blindly could pass the
	 * year's income limit (openbal_missing() warns of the balance) */
	res = ctx_sql(ctx,
	              "SELECT employee_id, extract(month FROM min(month))::int FROM (SELECT "
	              "employee_id, month FROM payroll_employees WHERE tenant_id = $1 AND "
	              "employee_id = ANY($2::bigint[]) AND month >= make_date($3::int, 1, 1) AND "
	              "month <= $4::date UNION ALL SELECT employee_id, month FROM "
	              "payroll_payments WHERE tenant_id = $1 AND employee_id = ANY($2::bigint[]) "
	              "AND month >= make_date($3::int, 1, 1) AND date <= $4::date UNION ALL "
	              "SELECT unnest($2::bigint[]), $5::date WHERE $5::date IS NOT NULL AND "
	              "extract(year FROM $5::date) = $3::int) k GROUP BY employee_id",
	              tenant, ids, yr, until, focus);
	if (res == NULL)
		return -1;
	for (int i = 0; i < ne; i++)
		emps[i].known_month = 13;
	for (int i = 0; i < PQntuples(res); i++) {
		struct ndfl_emp *e = ndfl_pay_find(emps, ne, atoll(PQgetvalue(res, i, 0)));
		if (e)
			e->known_month = atoi(PQgetvalue(res, i, 1));
	}
	for (int i = 0; i < ne; i++)
		if (emps[i].y.first_month < emps[i].known_month)
			emps[i].y.first_month = emps[i].known_month;

	/* the payments of the months that payments of the year settle (from
	 * two years before), each with what its month paid before it; the
	 * stored months from the year's first or the first month a payment of
	 * the year settles, whichever is earlier (only those are read below:
	 * the months the year's payments settle and the rests of the year's
	 * months; reading all two years cost 240 000 rows for 10 000
	 * employees, issue 11 item 9) */
	res = ctx_sql(
	    ctx,
	    "WITH pay AS (SELECT p.employee_id, p.id, p.date, p.month, p.kind, p.amount, p.ndfl, "
	    "sum(p.amount) OVER (PARTITION BY p.employee_id, p.month ORDER BY p.date, p.id) - "
	    "p.amount AS pos FROM payroll_payments p WHERE p.tenant_id = $1 AND p.employee_id = "
	    "ANY($2::bigint[]) AND p.month >= make_date($3::int - 2, 1, 1) AND p.month <= "
	    "$4::date), "
	    "paid AS (SELECT employee_id, month, sum(amount) AS amount, max(date) AS last FROM pay "
	    "GROUP BY 1, 2), "
	    "mon AS (SELECT pe.employee_id, pe.month, pe.accrued, d.status, coalesce(pd.amount, 0) "
	    "AS paid, CASE WHEN extract(year FROM pd.last) = extract(year FROM pe.month) THEN "
	    "greatest(pd.last, (pe.month + interval '1 month' - interval '1 day')::date) ELSE "
	    "(pe.month + interval '1 month' - interval '1 day')::date END AS rest_date, "
	    "coalesce((SELECT sum(a.amount) FROM payroll_accruals a WHERE a.tenant_id = "
	    "pe.tenant_id AND a.employee_id = pe.employee_id AND a.month = pe.month AND a.kind = "
	    "'material_aid'), 0) AS aid FROM payroll_employees pe JOIN payroll_documents d ON "
	    "d.tenant_id = pe.tenant_id AND d.id = pe.document_id LEFT JOIN paid pd ON "
	    "pd.employee_id = pe.employee_id AND pd.month = pe.month WHERE pe.tenant_id = $1 AND "
	    "pe.employee_id = ANY($2::bigint[]) AND pe.month >= (SELECT least(make_date($3::int, "
	    "1, "
	    "1), min(q.month)) FROM pay q WHERE q.date >= make_date($3::int, 1, 1)) AND "
	    "pe.month <= $4::date) "
	    "SELECT 0, p.employee_id, p.id, p.date, p.month, p.amount::text, p.ndfl::text, "
	    "p.pos::text, m.accrued::text, m.aid::text, p.kind FROM pay p LEFT JOIN mon m ON "
	    "m.employee_id = p.employee_id AND m.month = p.month WHERE p.date >= "
	    "make_date($3::int, "
	    "1, 1) AND p.date <= $4::date "
	    "UNION ALL SELECT 1, m.employee_id, 0, m.rest_date, m.month, (m.accrued - "
	    "m.paid)::text, '0', m.paid::text, m.accrued::text, m.aid::text, '' FROM mon m "
	    "WHERE (m.paid = 0 OR m.month = $5::date) AND "
	    "m.month >= make_date($3::int, 1, 1) AND m.rest_date <= $4::date AND m.accrued > "
	    "m.paid AND "
	    "($5::date IS NULL OR NOT $6::bool OR m.month <> $5::date) AND (NOT $7::bool OR "
	    "m.status = 'closed') ORDER BY 2",
	    tenant, ids, yr, until, focus, o->skip_focus ? "t" : "f", o->closed_only ? "t" : "f");
	if (res == NULL)
		return -1;
	/* each employee's events in one piece, room for one more (the payroll's
	 * month rest) */
	for (int i = 0, j; i < PQntuples(res); i = j) {
		struct ndfl_emp *e = ndfl_pay_find(emps, ne, atoll(PQgetvalue(res, i, 1)));
		for (j = i + 1; j < PQntuples(res) &&
		                strcmp(PQgetvalue(res, j, 1), PQgetvalue(res, i, 1)) == 0;
		     j++)
			;
		if (e) {
			e->cap = j - i + 1;
			e->ev = arena_alloc(ctx->arena, sizeof(*e->ev) * (size_t)e->cap);
			e->src = arena_alloc(ctx->arena, sizeof(*e->src) * (size_t)e->cap);
		}
	}
	for (int i = 0; i < PQntuples(res); i++) {
		struct ndfl_emp *e = ndfl_pay_find(emps, ne, atoll(PQgetvalue(res, i, 1)));
		struct ndfl_event ev = {0};
		struct ndfl_src src = {0};
		int64_t aid;

		if (e == NULL)
			continue;
		ev.order = atoi(PQgetvalue(res, i, 0));
		ev.id = atoll(PQgetvalue(res, i, 2));
		ev.date = worktime_pg_date(res, i, 3);
		ev.amount = ndfl_money(res, i, 5);
		ev.tax = ndfl_money(res, i, 6);
		ev.fixed = ev.order == 0;
		src.settles = worktime_pg_date(res, i, 4);
		src.pos = ndfl_money(res, i, 7);
		src.accrued = PQgetisnull(res, i, 8) ? -1 : ndfl_money(res, i, 8);
		src.kind = PQgetvalue(res, i, 10);
		aid = ndfl_money(res, i, 9);
		/* the opening balance covers what was paid up to its date (its
		 * income is by the income date too): a payment dated up to it, a
		 * month's rest paid up to it. A month that starts on or before the
		 * date but is paid after it (a balance as of 01.11 and November
		 * paid on 30.11) is the service's income (trial-user 1). */
		if (e->as_of != DATE_NONE && ev.date <= e->as_of)
			continue;
		ev.aid =
		    src.accrued < 0 ? 0 : ndfl_pay_aid_share(src.accrued, aid, src.pos, ev.amount);
		ndfl_pay_add(ctx, e, &ev, &src);
	}
	if (focus == NULL)
		return 0;
	res = ctx_sql(ctx,
	              "SELECT employee_id, sum(amount)::text, sum(ndfl)::text, max(date) FROM "
	              "payroll_payments WHERE tenant_id = $1 AND employee_id = ANY($2::bigint[]) "
	              "AND month = $3::date GROUP BY employee_id",
	              tenant, ids, focus);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		struct ndfl_emp *e = ndfl_pay_find(emps, ne, atoll(PQgetvalue(res, i, 0)));
		if (e) {
			e->focus_paid = ndfl_money(res, i, 1);
			e->focus_withheld = ndfl_money(res, i, 2);
			e->focus_last = worktime_pg_date(res, i, 3);
		}
	}
	return 0;
}

int ndfl_pay_rest_date(int month_first, int last_payment)
{
	int y, m, d, last;

	date_to_ymd(month_first, &y, &m, &d);
	last = date_month_last(y, m);
	return last_payment != DATE_NONE && last_payment > last && date_year(last_payment) == y
	           ? last_payment
	           : last;
}

int64_t ndfl_pay_month(struct ndfl_emp *e, int month_first)
{
	int64_t tax = e->focus_withheld;

	for (int i = 0; i < e->nev; i++)
		if (e->ev[i].order == 1 && e->src[i].settles == month_first)
			tax += e->ev[i].tax;
	return tax;
}

const int ndfl_child_codes[2][4] = {{126, 127, 128, 129}, {134, 136, 138, 140}};

PGresult *ndfl_children_rows(struct ctx *ctx, int64_t employee)
{
	return ctx_sql(ctx,
	               "SELECT child_order, disabled, sole_parent, date_from, date_to FROM "
	               "ndfl_children WHERE tenant_id = $1 AND employee_id = $2 ORDER BY "
	               "child_order",
	               ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee));
}

/* Whether the child of row i (its from and to dates in columns 3 and 4)
 * is on record for some day of the month first..last. */
static int ndfl_child_in_month(PGresult *kids, int i, int first, int last)
{
	int from, to = DATE_NONE;

	if (date_parse(PQgetvalue(kids, i, 3), &from) < 0 ||
	    (!PQgetisnull(kids, i, 4) && date_parse(PQgetvalue(kids, i, 4), &to) < 0))
		return 0;
	return from <= last && (to == DATE_NONE || to >= first);
}

int ndfl_children_split(PGresult *kids, int year, int month, int64_t stored, int64_t by_code[2][4])
{
	int64_t parts[2][4] = {{0}}, sum = 0;
	int first = date_month_first(year, month), last = date_month_last(year, month);
	int sole = 0;

	for (int i = 0; i < PQntuples(kids); i++) {
		if (!ndfl_child_in_month(kids, i, first, last))
			continue;
		if (strcmp(PQgetvalue(kids, i, 2), "t") == 0)
			sole = 1;
	}
	for (int i = 0; i < PQntuples(kids); i++) {
		struct ndfl_child c = {atoi(PQgetvalue(kids, i, 0)),
		                       strcmp(PQgetvalue(kids, i, 1), "t") == 0};
		int64_t o, d;
		if (!ndfl_child_in_month(kids, i, first, last))
			continue;
		ndfl_child_parts(year, &c, &o, &d);
		parts[sole][c.order <= 1 ? 0 : c.order == 2 ? 1 : 2] += sole ? 2 * o : o;
		parts[sole][3] += sole ? 2 * d : d;
		sum += sole ? 2 * (o + d) : o + d;
	}
	if (sum != stored)
		return 0;
	for (int s = 0; s < 2; s++)
		for (int k = 0; k < 4; k++)
			by_code[s][k] += parts[s][k];
	return 1;
}
