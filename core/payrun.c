/*
 * payrun.c - the monthly payroll document and the payroll preview
 * operations (payrun.h says what is decided and why).
 */
#include "payrun.h"

#include "audit.h"
#include "buf.h"
#include "calendars.h"
#include "date.h"
#include "hours.h"
#include "jsonx.h"
#include "log.h"
#include "money.h"
#include "ndfl_pay.h"
#include "org.h"
#include "payroll.h"
#include "preview.h"
#include "ru.h"
#include "worktime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* At most this many employees in an explicit list, and field errors shown. */
#define PAYRUN_MAX_LIST   10000
#define PAYRUN_MAX_ERRORS 50

const char *payrun_month_title(struct ctx *ctx, int year, int month)
{
	return arena_printf(ctx->arena, "%s %d г.", ru_month_name(month), year);
}

int payrun_month_arg(struct ctx *ctx, int *year, int *month)
{
	const char *s = ctx_arg_str(ctx, "month", 16, 1);

	if (s == NULL)
		return -1;
	if (date_parse_month(s, year, month) < 0)
		return ctx_field(ctx, "month", "Укажите месяц в виде ГГГГ-ММ, например 2025-04");
	return 0;
}

const char *payrun_money(struct ctx *ctx, const char *numeric_text, const char **ru)
{
	char b[MONEY_BUFSZ], r[MONEY_RU_BUFSZ];
	int64_t v = 0;

	if (numeric_text && *numeric_text)
		money_parse(numeric_text, MONEY_ALLOW_NEGATIVE, &v);
	money_format(v, b);
	if (ru) {
		money_format_ru(v, r);
		*ru = arena_strdup(ctx->arena, r);
	}
	return arena_strdup(ctx->arena, b);
}

/* key and key_ru ("30 500,00 ₽") of a numeric's text */
static void payrun_put_money(struct ctx *ctx, json_object *o, const char *key, const char *text)
{
	const char *ru, *v = payrun_money(ctx, text, &ru);

	jsonx_set_str(o, key, v);
	jsonx_set_str(o, arena_printf(ctx->arena, "%s_ru", key), ru);
}

const char *payrun_stale_title(const char *reason)
{
	static const struct {
		const char *reason, *title;
	} titles[] = {
	    {"deviation", "изменились документы-отклонения"},
	    {"timesheet", "изменился проведённый табель"},
	    {"assignment", "изменилось назначение графика"},
	    {"schedule", "изменился график работы"},
	    {"pay_terms", "изменились условия оплаты"},
	    {"children", "изменились вычеты на детей"},
	    {"employee", "изменились даты приёма или увольнения"},
	    {"insurance", "изменился страховой стаж"},
	    {"calendar", "изменился производственный календарь"},
	    {"ndfl", "пересчитан более ранний месяц года: НДФЛ нарастающим итогом другой"},
	    {"opening_balance", "изменились начальные остатки"},
	    {"accrual", "изменились разовые начисления"},
	    {"payment", "изменились выплаты"},
	    {"average", "изменился заработок месяцев, из которых считается средний заработок"},
	};

	for (size_t i = 0; reason && i < sizeof(titles) / sizeof(titles[0]); i++)
		if (strcmp(titles[i].reason, reason) == 0)
			return titles[i].title;
	return "изменились данные расчёта";
}

static const char *payrun_status_title(const char *status)
{
	return strcmp(status, "closed") == 0 ? "закрыт" : "черновик";
}

/* ------------------------------------------------------------ loading */

/* Pay terms from a date on (employee_pay). */
struct payrun_pay {
	int from;
	int64_t rate;
	enum payroll_pay_by pay_by;
	int norm;          /* -1: the tenant's default */
	int district_x100; /* -1: the tenant's */
	int northern;      /* -1: the tenant's */
};

/* The most pay terms one employee may have in force within a month, and the
 * most assignments once the month is cut at their changes. */
#define PAYRUN_MAX_TERMS  8
#define PAYRUN_MAX_ASSIGN 128

struct payrun_emp {
	int64_t id;
	const char *name; /* full name, for the messages that name the employee */
	int hired, dismissed;
	int p0,
	    np; /* pay terms: the one in force on the 1st (or the month's first), then later ones */
	int skip; /* left out of an everyone's calculation (listed in "skipped") */
	struct worktime_employee *w; /* the month's time (worktime.h) */
	/* the extras (payroll_extras): one-off accruals,
	 * the average earnings' history, sick pay's
	 * earnings and insurance record, unused vacation on dismissal */
	struct payroll_accrual *acc;
	int nacc;
	int hist_lo, hist_hi; /* the months needed (year*12 + month - 1), lo > hi: none */
	struct average_month *hist;
	int nhist;
	int sick;
	int64_t sick_earnings[2];
	int32_t insurance_m100;
	int insurance_since; /* the hire date when the record is the service here
	                        (none entered), else DATE_NONE */
	int64_t compensation_twelfths;
};

struct payrun {
	struct ctx *ctx;
	int year, month, first, last;
	const char *p_tenant, *p_ids, *p_first, *p_last, *p_jan;
	int list; /* an explicit list of employees */
	int64_t *ids;
	int nids;
	struct payrun_emp *emps;
	int nemps;
	struct worktime_month wm;
	struct payrun_pay *pay;
	struct ndfl_emp *ny; /* НДФЛ's year of each computed employee (ndfl_pay.h) */
	int nny;
	enum payroll_norm_mode tenant_norm;
	int night_percent;
	int district_x100, northern; /* the tenant's regional pay */
	int nerrors;
	json_object *skipped; /* [{"employee_id", "full_name", "reason"}] */
	const char *p_calc;   /* {ids} of the employees computed */
};

static int payrun_cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

static struct payrun_emp *payrun_find_id(struct payrun *r, int64_t id)
{
	int lo = 0, hi = r->nemps - 1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2;
		if (r->emps[mid].id == id)
			return &r->emps[mid];
		if (r->emps[mid].id < id)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

static struct payrun_emp *payrun_find(struct payrun *r, const char *id_text)
{
	return payrun_find_id(r, strtoll(id_text, NULL, 10));
}

static int payrun_date(const PGresult *res, int row, int col)
{
	int d;

	if (PQgetisnull(res, row, col) || date_parse(PQgetvalue(res, row, col), &d) < 0)
		return DATE_NONE;
	return d;
}

/* An employee's problem: one field error naming the employee (a page lists
 * the messages without their fields: an id alone tells a person nothing),
 * counted. Returns -1. */
static int payrun_emp_error(struct payrun *r, int64_t id, const char *name, const char *field,
                            const char *msg)
{
	char low[512];

	r->nerrors++;
	if (r->nerrors <= PAYRUN_MAX_ERRORS)
		ctx_field(
		    r->ctx,
		    field ? arena_printf(r->ctx->arena, "employees.%lld.%s", (long long)id, field)
		          : arena_printf(r->ctx->arena, "employees.%lld", (long long)id),
		    "%s: %s", name, ru_after_colon(msg, low, sizeof(low)));
	return -1;
}

/*
 * An employee the calculation cannot compute (no pay terms, no schedule, an
 * input the engine refuses): with an explicit list a field error (422,
 * nothing stored); for everyone, the employee is left out and listed in
 * "skipped" with the reason (issue 11 item 6). Returns -1.
 */
static int payrun_problem(struct payrun *r, struct payrun_emp *e, const char *field,
                          const char *msg)
{
	json_object *o;

	if (r->list)
		return payrun_emp_error(r, e->id, e->name, field, msg);
	e->skip = 1;
	o = json_object_new_object();
	jsonx_set_int(o, "employee_id", e->id);
	jsonx_set_str(o, "full_name", e->name);
	jsonx_set_str(o, "reason", msg);
	/* where the administrator fixes it: the pay terms or the schedules page
	 * of that employee (the payroll page links the name there) */
	jsonx_set_str(o, "fix_url",
	              arena_printf(r->ctx->arena, "/admin/employees/%lld/%s", (long long)e->id,
	                           strcmp(field, "schedule") == 0 ? "schedules" : "pay"));
	json_object_array_add(r->skipped, o);
	return -1;
}

/* {a,b,c} of the list, for a bigint[] parameter */
static const char *payrun_ids_param(struct payrun *r)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_putc(&b, '{');
	for (int i = 0; i < r->nids; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)r->ids[i]);
	buf_putc(&b, '}');
	out = arena_strndup(r->ctx->arena, b.data, b.len);
	buf_free(&b);
	return out;
}

/* "1.50" (a numeric's text) into hundredths; -1 when it is not one. */
static int payrun_x100(const char *text)
{
	int32_t v;

	return *text && hours_parse(text, &v) == 0 ? v : -1;
}

static int payrun_load_settings(struct payrun *r)
{
	PGresult *res =
	    ctx_sql(r->ctx,
	            "SELECT coalesce(settings->>'payroll_norm', ''), "
	            "coalesce(settings->>'night_percent', ''), "
	            "coalesce(settings->>'district_coefficient', ''), "
	            "coalesce(settings->>'northern_percent', '') FROM tenants WHERE id = $1",
	            r->p_tenant);
	const char *norm, *night;

	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		return ctx_fail(r->ctx, PROTO_ERR_not_found, NULL);
	norm = PQgetvalue(res, 0, 0);
	night = PQgetvalue(res, 0, 1);
	r->tenant_norm =
	    strcmp(norm, "summed") == 0 ? PAYROLL_NORM_SUMMED : PAYROLL_NORM_PER_PERIOD;
	if (*norm && strcmp(norm, "summed") != 0 && strcmp(norm, "per_period") != 0)
		return ctx_field(r->ctx, "settings.payroll_norm",
		                 "Режим нормы в настройках организации: per_period или summed");
	r->night_percent = PAYROLL_NIGHT_PERCENT;
	if (*night) {
		char *end;
		long v = strtol(night, &end, 10);
		if (*end || v < PAYROLL_NIGHT_PERCENT || v > PAYROLL_NIGHT_PERCENT_MAX)
			return ctx_field(r->ctx, "settings.night_percent",
			                 "Надбавка за ночные часы в настройках организации — целое "
			                 "число процентов от 20 до 1000");
		r->night_percent = (int)v;
	}
	r->district_x100 = payrun_x100(PQgetvalue(res, 0, 2));
	if (r->district_x100 < 0)
		r->district_x100 = 0;
	r->northern = *PQgetvalue(res, 0, 3) ? atoi(PQgetvalue(res, 0, 3)) : 0;
	return 0;
}

/* The listed ids that are nobody employed in the month: named when they are
 * the tenant's employees (hired later, dismissed earlier), by the id when
 * they are not (another tenant's employee is not found either). */
static int payrun_not_employed(struct payrun *r)
{
	PGresult *res = ctx_sql(r->ctx,
	                        "SELECT id, full_name FROM employees WHERE tenant_id = $1 AND id = "
	                        "ANY($2::bigint[])",
	                        r->p_tenant, r->p_ids);

	if (res == NULL)
		return -1;
	for (int i = 0; i < r->nids; i++) {
		char id[24];
		const char *name = NULL;

		snprintf(id, sizeof(id), "%lld", (long long)r->ids[i]);
		if (payrun_find(r, id) != NULL)
			continue;
		for (int k = 0; k < PQntuples(res) && name == NULL; k++)
			if (strcmp(PQgetvalue(res, k, 0), id) == 0)
				name = PQgetvalue(res, k, 1);
		if (name)
			payrun_emp_error(r, r->ids[i], name, NULL,
			                 "не числится в штате в этом месяце (см. даты приёма и "
			                 "увольнения)");
		else
			payrun_emp_error(r, r->ids[i],
			                 arena_printf(r->ctx->arena, "Сотрудник %s", id), NULL,
			                 "не найден");
	}
	return 0;
}

static int payrun_load_employees(struct payrun *r)
{
	PGresult *res, *pay;
	int n;

	res = ctx_sql(r->ctx,
	              "SELECT id, hired, dismissed, full_name FROM employees WHERE tenant_id = $1 "
	              "AND ($2::bigint[] IS NULL OR id = ANY($2::bigint[])) "
	              "AND (hired IS NULL OR hired <= $4::date) "
	              "AND (dismissed IS NULL OR dismissed >= $3::date) ORDER BY id",
	              r->p_tenant, r->p_ids, r->p_first, r->p_last);
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	r->emps = arena_alloc(r->ctx->arena, sizeof(*r->emps) * (size_t)(n + 1));
	memset(r->emps, 0, sizeof(*r->emps) * (size_t)(n + 1));
	for (int i = 0; i < n; i++) {
		struct payrun_emp *e = &r->emps[i];
		e->id = strtoll(PQgetvalue(res, i, 0), NULL, 10);
		e->hired = payrun_date(res, i, 1);
		e->dismissed = payrun_date(res, i, 2);
		e->name = PQgetvalue(res, i, 3); /* the result belongs to the arena */
	}
	r->nemps = n;
	/* an explicit list: every id must be someone employed in the month */
	if (r->list && n < r->nids && payrun_not_employed(r) < 0)
		return -1;

	pay = ctx_sql(r->ctx,
	              "SELECT employee_id, date_from, rate::text, pay_by, coalesce(norm, ''), "
	              "coalesce(district_coefficient::text, ''), coalesce(northern_percent, -1) "
	              "FROM employee_pay WHERE tenant_id = $1 "
	              "AND ($2::bigint[] IS NULL OR employee_id = ANY($2::bigint[])) "
	              "AND date_from <= $3::date ORDER BY employee_id, date_from",
	              r->p_tenant, r->p_ids, r->p_last);
	if (pay == NULL)
		return -1;
	r->pay = arena_alloc(r->ctx->arena, sizeof(*r->pay) * (size_t)(PQntuples(pay) + 1));
	for (int i = 0; i < PQntuples(pay); i++) {
		struct payrun_emp *e = payrun_find(r, PQgetvalue(pay, i, 0));
		struct payrun_pay *p = &r->pay[i];
		const char *norm = PQgetvalue(pay, i, 4);
		if (e == NULL)
			continue;
		p->from = payrun_date(pay, i, 1);
		if (money_parse(PQgetvalue(pay, i, 2), 0, &p->rate) < 0)
			payrun_emp_error(r, e->id, e->name, "rate",
			                 "Оклад должен быть суммой в рублях с копейками, не больше "
			                 "9 999 999 999 999,99");
		p->pay_by = strcmp(PQgetvalue(pay, i, 3), "hours") == 0 ? PAYROLL_BY_HOURS
		                                                        : PAYROLL_BY_DAYS;
		p->norm = !*norm                        ? -1
		          : strcmp(norm, "summed") == 0 ? PAYROLL_NORM_SUMMED
		                                        : PAYROLL_NORM_PER_PERIOD;
		p->district_x100 = payrun_x100(PQgetvalue(pay, i, 5));
		p->northern = atoi(PQgetvalue(pay, i, 6));
		/* rows come by date: one in force on the 1st replaces the earlier ones */
		if (e->np == 0 || p->from <= r->first) {
			e->p0 = i;
			e->np = 1;
		} else {
			e->np++;
		}
	}
	return 0;
}

/* The month's time of the employees (worktime.h, the one loader), then who
 * can be computed: pay terms and a schedule. */
static int payrun_load_time(struct payrun *r)
{
	int64_t *ids = arena_alloc(r->ctx->arena, sizeof(int64_t) * (size_t)(r->nemps + 1));
	int n = 0;

	for (int i = 0; i < r->nemps; i++)
		ids[i] = r->emps[i].id;
	if (r->nemps > 0 && worktime_month_load(r->ctx, r->year, r->month, ids, r->nemps,
	                                        WORKTIME_POSTED | WORKTIME_NO_DAYS, &r->wm) < 0)
		return -1;
	for (int i = 0; i < r->nemps; i++) {
		struct payrun_emp *e = &r->emps[i];

		e->w = worktime_find(&r->wm, e->id);
		if (e->np > PAYRUN_MAX_TERMS)
			payrun_problem(
			    r, e, "rate",
			    "Слишком много изменений оклада в одном месяце (не больше 7)");
		else if (e->np == 0)
			payrun_problem(r, e, "rate",
			               "Не заданы условия оплаты (оклад) на этот месяц");
		else if (e->w == NULL || !e->w->scheduled)
			payrun_problem(r, e, "schedule", "Не назначен график работы на этот месяц");
	}
	/* everyone: only those who can be computed stay */
	for (int i = 0; i < r->nemps; i++)
		if (!r->emps[i].skip)
			r->emps[n++] = r->emps[i];
	r->nemps = n;
	return 0;
}

/* НДФЛ's year (ndfl_pay.h): the events of the month's year (the payments,
 * the unpaid rest of the other calculated months, the opening balance);
 * payrun_one adds the month's own rest (the later events do not change its
 * tax). */
static int payrun_load_ytd(struct payrun *r)
{
	struct ndfl_pay_opts o = {.year = r->year,
	                          .until = date_month_last(r->year, 12),
	                          .focus = r->first,
	                          .skip_focus = 1};

	return ndfl_pay_load(r->ctx, r->p_calc, &o, &r->ny, &r->nny);
}

/* year*12 + month - 1 of a month index, and back */
static int payrun_mi(int year, int month)
{
	return year * 12 + month - 1;
}

/* The one-off accruals of the month of the employees ids ("{1,2}") into
 * their e->acc. 0, or -1 after a database error. */
static int payrun_load_accruals(struct payrun *r, const char *ids)
{
	struct ctx *ctx = r->ctx;
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT employee_id, kind, amount::text, coalesce(title, '') FROM "
	            "payroll_accruals WHERE tenant_id = $1 AND employee_id = ANY($2::bigint[]) AND "
	            "month = $3::date ORDER BY employee_id, id",
	            r->p_tenant, ids, r->p_first);
	if (res == NULL)
		return -1;
	struct payroll_accrual *acc =
	    arena_alloc(ctx->arena, sizeof(*acc) * (size_t)(PQntuples(res) + 1));
	for (int i = 0; i < PQntuples(res); i++) {
		struct payrun_emp *e = payrun_find(r, PQgetvalue(res, i, 0));
		const char *title = PQgetvalue(res, i, 3);
		int bonus = strcmp(PQgetvalue(res, i, 1), "bonus") == 0;

		if (e == NULL || e->nacc == PAYROLL_MAX_ACCRUALS)
			continue;
		if (e->nacc == 0)
			e->acc = &acc[i];
		e->acc[e->nacc].kind = bonus ? PAYROLL_LINE_BONUS : PAYROLL_LINE_MATERIAL_AID;
		e->acc[e->nacc].date = r->last;
		money_parse(PQgetvalue(res, i, 2), 0, &e->acc[e->nacc].amount);
		e->acc[e->nacc].title = *title ? title : NULL;
		e->nacc++;
	}
	return 0;
}

static int payrun_history_fill(struct payrun *r, int msel);

/* Widens e's months needed (hist_lo..hist_hi) to lo..hi. */
static void payrun_need(struct payrun_emp *e, int lo, int hi)
{
	if (lo < e->hist_lo)
		e->hist_lo = lo;
	if (hi > e->hist_hi)
		e->hist_hi = hi;
}

/*
 * A month's earnings for averages (average.h struct average_month), the one
 * loader of vacation pay, compensation and sick pay: every month of each
 * employee's hist_lo..hist_hi into e->hist, from the stored result, else the
 * opening balance, else computed from its time where the employee was
 * employed in it (payrun_history_fill), else nothing (every day excluded,
 * 0 earned). The month msel itself is left out (it comes from this run,
 * payroll.h history_self). 0, or -1 after a database error.
 */
static int payrun_average_months(struct payrun *r, int msel)
{
	struct ctx *ctx = r->ctx;
	int lo = INT32_MAX, hi = INT32_MIN;
	struct buf ids = BUF_INIT;
	const char *need, *from, *to;
	PGresult *st, *op;

	buf_putc(&ids, '{');
	for (int i = 0; i < r->nemps; i++) {
		const struct payrun_emp *e = &r->emps[i];

		if (e->hist_lo > e->hist_hi)
			continue;
		if (e->hist_lo < lo)
			lo = e->hist_lo;
		if (e->hist_hi > hi)
			hi = e->hist_hi;
		buf_printf(&ids, "%s%lld", ids.len > 1 ? "," : "", (long long)e->id);
	}
	buf_putc(&ids, '}');
	need = arena_strndup(ctx->arena, ids.data, ids.len);
	buf_free(&ids);
	if (lo > hi)
		return 0;
	from = arena_printf(ctx->arena, "%04d-%02d-01", lo / 12, lo % 12 + 1);
	to = arena_printf(ctx->arena, "%04d-%02d-01", hi / 12, hi % 12 + 1);
	st = ctx_sql(ctx,
	             "SELECT employee_id, extract(year FROM month)::int, extract(month FROM "
	             "month)::int, earnings::text, excluded_days, insured::text FROM "
	             "payroll_employees WHERE tenant_id = $1 AND employee_id = ANY($2::bigint[]) "
	             "AND month BETWEEN $3::date AND $4::date AND month <> $5::date",
	             r->p_tenant, need, from, to, r->p_first);
	op = ctx_sql(
	    ctx,
	    "SELECT employee_id, extract(year FROM month)::int, extract(month FROM "
	    "month)::int, earnings::text, excluded_days, coalesce(insured_earnings, "
	    "earnings)::text FROM opening_balance_months WHERE tenant_id = $1 AND employee_id = "
	    "ANY($2::bigint[]) AND month BETWEEN $3::date AND $4::date",
	    r->p_tenant, need, from, to);
	if (st == NULL || op == NULL)
		return -1;
	for (int i = 0; i < r->nemps; i++) {
		struct payrun_emp *e = &r->emps[i];
		int n;

		if (e->hist_lo > e->hist_hi) /* none needed (INT32_MAX > INT32_MIN) */
			continue;
		n = e->hist_hi - e->hist_lo + 1;
		e->hist = arena_alloc(ctx->arena, sizeof(*e->hist) * (size_t)n);
		for (int k = 0; k < n; k++) {
			int mi = e->hist_lo + k, y = mi / 12, m = mi % 12 + 1;

			/* no data yet (-1): a month of the employment before this one
			 * is computed from its time below; before the hire or after
			 * this month every day is excluded */
			e->hist[k] = (struct average_month){y, m, -1, date_days_in_month(y, m), 0};
		}
		e->nhist = n;
	}
	/* opening balances first, stored results over them */
	for (int pass = 0; pass < 2; pass++) {
		PGresult *q = pass ? st : op;
		for (int i = 0; i < PQntuples(q); i++) {
			struct payrun_emp *e = payrun_find(r, PQgetvalue(q, i, 0));
			int mi = payrun_mi(atoi(PQgetvalue(q, i, 1)), atoi(PQgetvalue(q, i, 2)));
			struct average_month *h;

			if (e == NULL || mi < e->hist_lo || mi > e->hist_hi)
				continue;
			h = &e->hist[mi - e->hist_lo];
			if (money_parse(PQgetvalue(q, i, 3), 0, &h->earnings) < 0 ||
			    h->earnings < 0)
				h->earnings = 0;
			h->excluded_days = atoi(PQgetvalue(q, i, 4));
			if (money_parse(PQgetvalue(q, i, 5), MONEY_ALLOW_NEGATIVE, &h->insured) < 0)
				h->insured = 0;
		}
	}
	if (payrun_history_fill(r, msel) < 0)
		return -1;
	/* the month itself comes from this run (payroll.h history_self) */
	for (int i = 0; i < r->nemps; i++) {
		struct payrun_emp *e = &r->emps[i];
		if (e->nhist > 0 && msel >= e->hist_lo && msel <= e->hist_hi) {
			int k = msel - e->hist_lo;
			memmove(&e->hist[k], &e->hist[k + 1],
			        sizeof(e->hist[0]) * (size_t)(e->nhist - k - 1));
			e->nhist--;
		}
	}
	return 0;
}

/* The extras' inputs of every employee computed, one query per table. */
static int payrun_load_extras(struct payrun *r)
{
	struct ctx *ctx = r->ctx;
	int msel = payrun_mi(r->year, r->month), sick_year = 1;
	int64_t mrot, lim;

	/* one-off accruals of the month */
	if (payrun_load_accruals(r, r->p_calc) < 0)
		return -1;
	/* sick pay: leaves starting in the month of a year whose MROT and base
	 * limits are known (average.h) */
	if (average_mrot(r->first, &mrot) < 0 || average_base_limit(r->year - 2, &lim) < 0 ||
	    average_base_limit(r->year - 1, &lim) < 0)
		sick_year = 0;
	for (int i = 0; sick_year && i < r->nemps; i++) {
		const struct payroll_input *in = &r->emps[i].w->in;
		for (int k = 0; k < in->ndeviations; k++)
			if (in->deviations[k].code == T13_B && in->deviations[k].from >= r->first &&
			    in->deviations[k].from <= r->last && !r->emps[i].sick)
				r->emps[i].sick = in->deviations[k].from; /* its first day */
	}
	/* whose averages are needed: vacations paid in the month (the 12 months
	 * before each start month), a dismissal in it (compensation: the 12
	 * months before the month), a sick leave starting in it (the two
	 * calendar years before) */
	for (int i = 0; i < r->nemps; i++) {
		struct payrun_emp *e = &r->emps[i];
		const struct payroll_input *in = &e->w->in;

		e->hist_lo = INT32_MAX;
		e->hist_hi = INT32_MIN;
		for (int k = 0; k < in->ndeviations; k++) {
			const struct payroll_deviation *d = &in->deviations[k];
			int paid = d->paid == 0 || d->paid == DATE_NONE ? d->from - 3 : d->paid, y,
			    m, dd;
			if ((d->code != T13_OT && d->code != T13_OD) || paid < r->first ||
			    paid > r->last)
				continue;
			date_to_ymd(d->from, &y, &m, &dd);
			payrun_need(e, payrun_mi(y, m) - 12, payrun_mi(y, m) - 1);
		}
		if (e->dismissed != DATE_NONE && e->dismissed >= r->first &&
		    e->dismissed <= r->last && e->hired != DATE_NONE) {
			struct vacation_balance v;

			if (payslips_vacation(ctx, e->id, e->dismissed, &v) < 0)
				return -1;
			e->compensation_twelfths = v.twelfths > 0 ? v.twelfths : 0;
			if (e->compensation_twelfths > 0)
				payrun_need(e, msel - 12, msel - 1);
		}
		if (e->sick)
			payrun_need(e, payrun_mi(r->year - 2, 1), payrun_mi(r->year - 1, 12));
	}
	if (payrun_average_months(r, msel) < 0)
		return -1;
	if (sick_year) {
		struct buf ids = BUF_INIT;
		const char *sickids;

		/* the insured earnings of the two years before, by year: the same
		 * months as vacation pay's */
		buf_putc(&ids, '{');
		for (int i = 0; i < r->nemps; i++) {
			struct payrun_emp *e = &r->emps[i];

			if (!e->sick)
				continue;
			buf_printf(&ids, "%s%lld", ids.len > 1 ? "," : "", (long long)e->id);
			for (int k = 0; k < e->nhist; k++)
				if (e->hist[k].year >= r->year - 2 && e->hist[k].year < r->year)
					e->sick_earnings[e->hist[k].year - (r->year - 2)] +=
					    e->hist[k].insured;
		}
		buf_putc(&ids, '}');
		sickids = arena_strndup(ctx->arena, ids.data, ids.len);
		buf_free(&ids);
		/* the insurance record on the leave's first day: the one entered
		 * as of its date plus the time since, or, when none is entered, at
		 * least the service with this employer (hire date to the leave) */
		PGresult *rec =
		    ctx_sql(ctx,
		            "SELECT id, coalesce(insurance_years, 0), coalesce("
		            "insurance_months, 0), insurance_as_of, insurance_years IS NULL AND "
		            "insurance_months IS NULL, hired FROM employees WHERE "
		            "tenant_id = $1 AND id = ANY($2::bigint[])",
		            r->p_tenant, sickids);

		if (rec == NULL)
			return -1;
		for (int i = 0; i < PQntuples(rec); i++) {
			struct payrun_emp *e = payrun_find(r, PQgetvalue(rec, i, 0));
			int as_of = payrun_date(rec, i, 3), months;

			if (e == NULL || !e->sick)
				continue;
			months = atoi(PQgetvalue(rec, i, 1)) * 12 + atoi(PQgetvalue(rec, i, 2));
			e->insurance_since = DATE_NONE;
			if (strcmp(PQgetvalue(rec, i, 4), "t") == 0) {
				/* none entered: the service here, whole months */
				as_of = payrun_date(rec, i, 5);
				months = 0;
				e->insurance_since = as_of;
			}
			/* whole months from the record's date to the leave's first day */
			if (as_of != DATE_NONE)
				for (int k = 1; date_add_months(as_of, k) <= e->sick && k < 1200;
				     k++)
					months++;
			e->insurance_m100 = months * 100;
		}
	}
	return 0;
}

/* ---------------------------------------------------------- computing */

/* A PostgreSQL array literal built element by element. */
struct payrun_arr {
	struct buf b;
	int n;
};

static void payrun_arr_add(struct payrun_arr *a, const char *text)
{
	buf_putc(&a->b, a->n++ ? ',' : '{');
	buf_puts(&a->b, text);
}

static void payrun_arr_i64(struct payrun_arr *a, int64_t v)
{
	char t[24];
	snprintf(t, sizeof(t), "%lld", (long long)v);
	payrun_arr_add(a, t);
}

static void payrun_arr_money(struct payrun_arr *a, int64_t v)
{
	char t[MONEY_BUFSZ];
	money_format(v, t);
	payrun_arr_add(a, t);
}

static void payrun_arr_date(struct payrun_arr *a, int d)
{
	char t[DATE_BUFSZ];
	date_format(d, t);
	payrun_arr_add(a, t);
}

/* A text element, quoted for an array literal. */
static void payrun_arr_text(struct payrun_arr *a, const char *text)
{
	buf_putc(&a->b, a->n++ ? ',' : '{');
	if (text == NULL) {
		buf_puts(&a->b, "NULL");
		return;
	}
	buf_putc(&a->b, '"');
	for (const char *p = text; *p; p++) {
		if (*p == '"' || *p == '\\')
			buf_putc(&a->b, '\\');
		buf_putc(&a->b, *p);
	}
	buf_putc(&a->b, '"');
}

static const char *payrun_arr_end(struct ctx *ctx, struct payrun_arr *a)
{
	const char *out;

	if (a->n == 0)
		buf_putc(&a->b, '{');
	buf_putc(&a->b, '}');
	out = arena_strndup(ctx->arena, a->b.data, a->b.len);
	buf_free(&a->b);
	a->n = 0;
	return out;
}

enum {
	E_ID,
	E_SOURCE,
	E_NORM,
	E_PAYBY,
	E_RATE,
	E_ACCRUED,
	E_DED,
	E_BASE,
	E_NDFL,
	E_NET,
	E_EARNINGS,
	E_EXCLUDED,
	E_INSURED,
	E_AVG_FROM,
	E_AVG_TO,
	E_COUNT
};
enum {
	L_EMP,
	L_N,
	L_KIND,
	L_FROM,
	L_TO,
	L_SCHED,
	L_WD,
	L_ND,
	L_WH,
	L_NH,
	L_HOURS,
	L_AMOUNT,
	L_PLANNED,
	L_DAYS,
	L_AVERAGE,
	L_PERCENT,
	L_DAILY,
	L_FUND,
	L_TWELFTHS,
	L_FALLBACK,
	L_TITLE,
	L_INS_MONTHS,
	L_INS_SINCE,
	L_COUNT
};

/* Cuts the month's assignments at the dates pay terms change, so no line
 * spans two rates: a cut repeats the schedule in force on its date. Returns
 * the number of assignments in out. */
static int payrun_cut(const struct payrun *r, const struct payrun_emp *e,
                      const struct payroll_assignment *asg, int na, struct payroll_assignment *out)
{
	int n = 0, k = 1;

	/* an individual schedule without assignments: any schedule index will do */
	if (na == 0) {
		out[n++] = (struct payroll_assignment){r->first, 0};
		for (; k < e->np && n < PAYRUN_MAX_ASSIGN; k++)
			out[n++] = (struct payroll_assignment){r->pay[e->p0 + k].from, 0};
		return n;
	}
	for (int i = 0; i < na && n < PAYRUN_MAX_ASSIGN; i++) {
		int until = i + 1 < na ? asg[i + 1].from : r->last + 1;
		out[n++] = asg[i];
		for (; k < e->np; k++) {
			int c = r->pay[e->p0 + k].from;
			if (c >= until)
				break;
			if (c > asg[i].from && n < PAYRUN_MAX_ASSIGN)
				out[n++] = (struct payroll_assignment){c, asg[i].schedule};
		}
	}
	return n;
}

/* A schedule for an individual schedule's lines when the month has no
 * assigned schedule at all (never planned: the individual one replaces it). */
static const struct schedule_day payrun_none_day = {0, 0, 0};
static const struct schedule payrun_none = {
    "individual", SCHEDULE_CYCLE, SCHEDULE_HOLIDAYS_IGNORE, 0, &payrun_none_day, 1};

/* The engine's complaint as the employee's field. */
static int payrun_engine_error(struct payrun *r, struct payrun_emp *e,
                               const struct payroll_error *err)
{
	const char *field = err->field ? err->field : "input";

	if (err->index >= 0)
		field = arena_printf(r->ctx->arena, "%s[%d]", field, err->index);
	return payrun_problem(r, e, field, err->message);
}

/* A month's income subject to insurance contributions (sick pay's earnings,
 * 255-FZ art. 14 part 2): everything accrued but sick pay and material aid. */
static int64_t payrun_insured(const struct payroll_result *out)
{
	int64_t insured = out->total;

	for (int i = 0; i < out->nlines; i++)
		if (out->lines[i].kind == PAYROLL_LINE_SICK_PAY ||
		    out->lines[i].kind == PAYROLL_LINE_MATERIAL_AID)
			insured -= out->lines[i].amount;
	return insured;
}

/* Appends one employee's stored rows. */
static void payrun_rows(struct payrun *r, struct payrun_emp *e, const struct payroll_result *out,
                        const struct ndfl_result *nr, enum payroll_norm_mode norm,
                        struct payrun_arr *ea, struct payrun_arr *la)
{
	const struct payrun_pay *last = &r->pay[e->p0 + e->np - 1];

	payrun_arr_i64(&ea[E_ID], e->id);
	payrun_arr_add(&ea[E_SOURCE], e->w->in.has_timesheet ? "timesheet" : "deviations");
	payrun_arr_add(&ea[E_NORM], norm == PAYROLL_NORM_SUMMED ? "summed" : "per_period");
	payrun_arr_add(&ea[E_PAYBY], last->pay_by == PAYROLL_BY_HOURS ? "hours" : "days");
	payrun_arr_money(&ea[E_RATE], last->rate);
	payrun_arr_money(&ea[E_ACCRUED], out->total);
	payrun_arr_money(&ea[E_DED], nr->deduction);
	payrun_arr_money(&ea[E_BASE], nr->base_ytd);
	payrun_arr_money(&ea[E_NDFL], nr->tax);
	payrun_arr_money(&ea[E_NET], out->total - nr->tax);
	payrun_arr_money(&ea[E_EARNINGS], out->summary.earnings);
	payrun_arr_i64(&ea[E_EXCLUDED], out->summary.excluded_days);
	payrun_arr_money(&ea[E_INSURED], payrun_insured(out));
	/* the months its averages read (sql/0073: their changes make it stale) */
	if (e->hist_lo <= e->hist_hi) {
		char m[32];

		snprintf(m, sizeof(m), "%04d-%02d-01", e->hist_lo / 12, e->hist_lo % 12 + 1);
		payrun_arr_add(&ea[E_AVG_FROM], m);
		snprintf(m, sizeof(m), "%04d-%02d-01", e->hist_hi / 12, e->hist_hi % 12 + 1);
		payrun_arr_add(&ea[E_AVG_TO], m);
	} else {
		payrun_arr_add(&ea[E_AVG_FROM], "NULL");
		payrun_arr_add(&ea[E_AVG_TO], "NULL");
	}
	for (int i = 0; i < out->nlines; i++) {
		const struct payroll_line *l = &out->lines[i];
		int salary = l->kind == PAYROLL_LINE_SALARY;
		int premium = l->kind == PAYROLL_LINE_OVERTIME ||
		              l->kind == PAYROLL_LINE_HOLIDAY_WORK || l->kind == PAYROLL_LINE_NIGHT;
		int average = l->kind == PAYROLL_LINE_VACATION_PAY ||
		              l->kind == PAYROLL_LINE_SICK_PAY ||
		              l->kind == PAYROLL_LINE_COMPENSATION;

		payrun_arr_i64(&la[L_EMP], e->id);
		payrun_arr_i64(&la[L_N], i + 1);
		payrun_arr_add(&la[L_KIND], payroll_line_kind_name(l->kind));
		payrun_arr_date(&la[L_FROM], l->from);
		payrun_arr_date(&la[L_TO], l->to);
		if (salary && l->schedule >= 0 && l->schedule < r->wm.nschedules)
			payrun_arr_i64(&la[L_SCHED], r->wm.schedule_ids[l->schedule]);
		else
			payrun_arr_add(&la[L_SCHED], "NULL");
		if (salary) {
			payrun_arr_i64(&la[L_WD], l->worked_days);
			payrun_arr_i64(&la[L_ND], l->norm_days);
			payrun_arr_i64(&la[L_WH], l->worked_hours);
		} else {
			payrun_arr_add(&la[L_WD], "NULL");
			payrun_arr_add(&la[L_ND], "NULL");
			payrun_arr_add(&la[L_WH], "NULL");
		}
		if (premium)
			payrun_arr_i64(&la[L_HOURS], l->hours);
		else
			payrun_arr_add(&la[L_HOURS], "NULL");
		if (salary || premium)
			payrun_arr_i64(&la[L_NH], l->norm_hours);
		else
			payrun_arr_add(&la[L_NH], "NULL");
		payrun_arr_money(&la[L_AMOUNT], l->amount);
		if (l->kind == PAYROLL_LINE_HOLIDAY_WORK)
			payrun_arr_i64(&la[L_PLANNED], l->planned_hours);
		else
			payrun_arr_add(&la[L_PLANNED], "NULL");
		if (average) {
			payrun_arr_i64(&la[L_DAYS], l->days);
			payrun_arr_money(&la[L_AVERAGE], l->average);
		} else {
			payrun_arr_add(&la[L_DAYS], "NULL");
			payrun_arr_add(&la[L_AVERAGE], "NULL");
		}
		if (l->kind == PAYROLL_LINE_SICK_PAY || l->kind == PAYROLL_LINE_DISTRICT ||
		    l->kind == PAYROLL_LINE_NORTHERN)
			payrun_arr_i64(&la[L_PERCENT], l->percent);
		else
			payrun_arr_add(&la[L_PERCENT], "NULL");
		if (l->kind == PAYROLL_LINE_SICK_PAY) {
			payrun_arr_money(&la[L_DAILY], l->daily);
			payrun_arr_i64(&la[L_FUND], l->fund_days);
		} else {
			payrun_arr_add(&la[L_DAILY], "NULL");
			payrun_arr_add(&la[L_FUND], "NULL");
		}
		if (l->kind == PAYROLL_LINE_COMPENSATION)
			payrun_arr_i64(&la[L_TWELFTHS], l->twelfths);
		else
			payrun_arr_add(&la[L_TWELFTHS], "NULL");
		payrun_arr_add(&la[L_FALLBACK], average ? (l->fallback ? "t" : "f") : "NULL");
		payrun_arr_text(&la[L_TITLE], l->title);
		if (l->kind == PAYROLL_LINE_SICK_PAY) {
			payrun_arr_i64(&la[L_INS_MONTHS], e->insurance_m100 / 100);
			if (e->sick && e->insurance_since != DATE_NONE)
				payrun_arr_date(&la[L_INS_SINCE], e->insurance_since);
			else
				payrun_arr_add(&la[L_INS_SINCE], "NULL");
		} else {
			payrun_arr_add(&la[L_INS_MONTHS], "NULL");
			payrun_arr_add(&la[L_INS_SINCE], "NULL");
		}
	}
}

/* Runs the engine for one employee (the time part once per pay terms in
 * force in the month, each line taken from the run of the terms in force on
 * its first day; then the extras once with the last terms) and appends the
 * results. res has PAYRUN_MAX_TERMS + 1 elements. */
/*
 * One employee's lines of the month into res[0] (res has PAYRUN_MAX_TERMS +
 * 1 elements: one run per pay terms in force, then merged): the time part
 * per terms, then the extras with the terms in force at the month's end.
 * history: a month computed only for the averages of a later one (no
 * vacation pay, sick pay or compensation: its earnings and excluded days).
 * 0, or -1 after payrun_problem.
 */
static int payrun_lines(struct payrun *r, struct payrun_emp *e, struct payroll_result *res,
                        int history, enum payroll_norm_mode *norm)
{
	struct payroll_assignment cut[PAYRUN_MAX_ASSIGN];
	struct payroll_result *out = res;
	struct payroll_input in = e->w->in;
	struct payroll_error err;
	const struct payrun_pay *last = &r->pay[e->p0 + e->np - 1];
	enum payroll_norm_mode last_norm = r->tenant_norm;
	int starts[PAYRUN_MAX_TERMS];

	if (in.nschedules == 0) {
		in.schedules = &payrun_none;
		in.nschedules = 1;
	}
	in.night_percent = r->night_percent;
	in.ngroup_starts = 0;
	in.group_starts = starts;
	if (e->np > 1) {
		in.nassignments = payrun_cut(r, e, in.assignments, in.nassignments, cut);
		in.assignments = in.nassignments ? cut : NULL;
		for (int k = 1; k < e->np; k++)
			starts[in.ngroup_starts++] = r->pay[e->p0 + k].from;
	}
	for (int k = 0; k < e->np; k++) {
		const struct payrun_pay *p = &r->pay[e->p0 + k];
		struct payroll_result *rk = e->np > 1 ? &res[k + 1] : res;
		in.terms.rate = p->rate;
		in.terms.pay_by = p->pay_by;
		in.norm = p->norm >= 0 ? (enum payroll_norm_mode)p->norm : r->tenant_norm;
		last_norm = in.norm;
		if (payroll_time(&in, rk, &err) < 0)
			return payrun_engine_error(r, e, &err);
	}
	if (e->np > 1) {
		/* salary lines first, then premiums, each in date order */
		out->nlines = 0;
		out->total = 0;
		out->summary = res[1].summary;
		for (int pass = 0; pass < 2; pass++) {
			for (int k = 0; k < e->np; k++) {
				int from = k ? r->pay[e->p0 + k].from : r->first;
				int to = k + 1 < e->np ? r->pay[e->p0 + k + 1].from - 1 : r->last;
				for (int i = 0; i < res[k + 1].nlines; i++) {
					const struct payroll_line *l = &res[k + 1].lines[i];
					if ((l->kind == PAYROLL_LINE_SALARY) != (pass == 0) ||
					    l->from < from || l->from > to ||
					    out->nlines == PAYROLL_MAX_LINES)
						continue;
					out->lines[out->nlines++] = *l;
				}
			}
		}
	}
	/* the extras with the terms in force at the month's end */
	in.district_x100 = last->district_x100 >= 0 ? last->district_x100 : r->district_x100;
	in.northern_percent = last->northern >= 0 ? last->northern : r->northern;
	in.accruals = e->acc;
	in.naccruals = e->nacc;
	in.vacation_pay = !history;
	in.history = e->hist;
	in.nhistory = e->nhist;
	in.history_self = 1;
	in.sick_pay = !history && e->sick != 0;
	in.sick_earnings[0] = e->sick_earnings[0];
	in.sick_earnings[1] = e->sick_earnings[1];
	in.insurance_m100 = e->insurance_m100;
	in.compensation_twelfths = history ? 0 : e->compensation_twelfths;
	if (payroll_extras(&in, out, &err) < 0)
		return payrun_engine_error(r, e, &err);
	*norm = last_norm;
	return 0;
}

/* decree 922 items 4-5, 255-FZ art. 14: a month of an average's period
 * (vacation pay's 12 months, sick pay's two calendar years) with neither a
 * stored result nor an opening balance, in which the employee was employed
 * (the hire month partly worked, a month never calculated, a month before
 * the organization's first calculated one), counts its days and its pay:
 * computed from its time as the monthly payroll would (salary, premiums,
 * bonuses; the days before the hire excluded; its insured income without
 * material aid), not stored. Not in it: a vacation pay or sick pay of that
 * month (each would need its own earlier period). One run per such month
 * for everyone who needs it; the employees it cannot compute (no pay terms
 * or schedule then) keep the month with every day excluded and 0 earned. */
static int payrun_history_month(struct payrun *r, int mi, const char *ids)
{
	struct ctx *ctx = r->ctx;
	struct payrun s = {.ctx = ctx};
	char first[DATE_BUFSZ], last[DATE_BUFSZ];
	struct payroll_result *res;
	enum payroll_norm_mode norm;

	s.year = mi / 12;
	s.month = mi % 12 + 1;
	s.first = date_month_first(s.year, s.month);
	s.last = date_month_last(s.year, s.month);
	date_format(s.first, first);
	date_format(s.last, last);
	s.p_tenant = r->p_tenant;
	s.p_first = first;
	s.p_last = last;
	s.p_ids = ids;
	s.tenant_norm = r->tenant_norm;
	s.night_percent = r->night_percent;
	s.district_x100 = r->district_x100;
	s.northern = r->northern;
	s.skipped = arena_own(ctx->arena, json_object_new_array());
	if (payrun_load_employees(&s) < 0 || payrun_load_time(&s) < 0 ||
	    payrun_load_accruals(&s, ids) < 0)
		return -1;
	res = malloc(sizeof(*res) * (PAYRUN_MAX_TERMS + 1));
	if (res == NULL)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	for (int i = 0; i < s.nemps; i++) {
		struct payrun_emp *e = &s.emps[i], *pe = payrun_find_id(r, e->id);

		if (pe == NULL || payrun_lines(&s, e, res, 1, &norm) < 0)
			continue;
		pe->hist[mi - pe->hist_lo].earnings = res->summary.earnings;
		pe->hist[mi - pe->hist_lo].excluded_days = res->summary.excluded_days;
		pe->hist[mi - pe->hist_lo].insured = payrun_insured(res);
	}
	free(res);
	return 0;
}

/* The months of the employees' periods still without data (-1, see
 * payrun_load_extras) before the month msel: computed where the employee
 * was employed in them (payrun_history_month), the rest every day excluded. */
static int payrun_history_fill(struct payrun *r, int msel)
{
	int lo = INT32_MAX, hi = INT32_MIN;

	for (int i = 0; i < r->nemps; i++) {
		if (r->emps[i].nhist > 0 && r->emps[i].hist_lo < lo)
			lo = r->emps[i].hist_lo;
		if (r->emps[i].nhist > 0 && r->emps[i].hist_hi > hi)
			hi = r->emps[i].hist_hi;
	}
	for (int mi = lo; mi <= hi && mi < msel; mi++) {
		int first = date_month_first(mi / 12, mi % 12 + 1),
		    last = date_month_last(mi / 12, mi % 12 + 1);
		struct buf ids = BUF_INIT;
		const char *p;

		buf_putc(&ids, '{');
		for (int i = 0; i < r->nemps; i++) {
			const struct payrun_emp *e = &r->emps[i];
			if (e->nhist > 0 && mi >= e->hist_lo && mi <= e->hist_hi &&
			    e->hist[mi - e->hist_lo].earnings < 0 &&
			    (e->hired == DATE_NONE || e->hired <= last) &&
			    (e->dismissed == DATE_NONE || e->dismissed >= first))
				buf_printf(&ids, "%s%lld", ids.len > 1 ? "," : "",
				           (long long)e->id);
		}
		buf_putc(&ids, '}');
		p = ids.len > 2 ? arena_strndup(r->ctx->arena, ids.data, ids.len) : NULL;
		buf_free(&ids);
		if (p && payrun_history_month(r, mi, p) < 0)
			return -1;
	}
	for (int i = 0; i < r->nemps; i++)
		for (int k = 0; k < r->emps[i].nhist; k++)
			if (r->emps[i].hist[k].earnings < 0)
				r->emps[i].hist[k].earnings = 0;
	return 0;
}

static int payrun_one(struct payrun *r, struct payrun_emp *e, struct payroll_result *res,
                      struct payrun_arr *ea, struct payrun_arr *la, int64_t *count)
{
	struct payroll_result *out = res;
	struct ndfl_result nr;
	enum payroll_norm_mode last_norm;

	if (payrun_lines(r, e, res, 0, &last_norm) < 0)
		return -1;
	{
		/* the month's НДФЛ: what its payments withheld and the tax of its
		 * unpaid rest as paid on its last day (ndfl.h) */
		struct ndfl_emp *ny = ndfl_pay_find(r->ny, r->nny, e->id);
		struct ndfl_event ev = {.order = 1};
		struct ndfl_src src = {.settles = r->first, .kind = ""};
		int64_t aid = 0;

		for (int i = 0; i < out->nlines; i++)
			if (out->lines[i].kind == PAYROLL_LINE_MATERIAL_AID)
				aid += out->lines[i].amount;
		if (ny == NULL || out->total < 0 || out->total > MONEY_MAX)
			return payrun_problem(
			    r, e, "ndfl",
			    "Не удалось рассчитать НДФЛ: суммы вне допустимого диапазона");
		ev.date = ny->y.snap_date = ndfl_pay_rest_date(r->first, ny->focus_last);
		src.pos = ny->focus_paid;
		src.accrued = out->total;
		ev.amount = out->total - ny->focus_paid;
		ev.aid = ndfl_pay_aid_share(out->total, aid, src.pos, ev.amount);
		if (ev.amount > 0)
			ndfl_pay_add(r->ctx, ny, &ev, &src);
		ndfl_pay_run(ny);
		nr.tax = ndfl_pay_month(ny, r->first);
		nr.deduction = ny->y.snap_applied[r->month];
		nr.base_ytd = ny->y.snap_base;
		nr.tax_ytd = 0;
	}
	payrun_rows(r, e, out, &nr, last_norm, ea, la);
	(*count)++;
	return 0;
}

#define PAYRUN_SKIPPED_NAMES 10 /* names in "skipped_ru", then «и ещё N» */

/* "skipped_ru" and "skipped_count" of an open document whose calculation
 * left employees out: «Без расчёта остаются 3 сотрудника: Петрова Ольга
 * Ивановна, …. Расчётных листков за декабрь 2026 г. у них не будет.», for
 * the page to say before the month is closed (the close's confirmation). */
static void payrun_skipped_ru(struct ctx *ctx, json_object *o, int year, int month)
{
	json_object *skipped = jsonx_get(o, "skipped");
	struct buf names = BUF_INIT;
	long long n = 0;
	size_t len = skipped && json_object_is_type(skipped, json_type_array)
	                 ? json_object_array_length(skipped)
	                 : 0;

	for (size_t i = 0; i < len; i++) {
		json_object *x = json_object_array_get_idx(skipped, i);
		const char *name = jsonx_get_str(x, "full_name");

		if (!jsonx_get(x, "employee_id") || name == NULL)
			continue;
		if (n++ < PAYRUN_SKIPPED_NAMES)
			buf_printf(&names, "%s%s", n > 1 ? ", " : "", name);
	}
	if (n > PAYRUN_SKIPPED_NAMES)
		buf_printf(&names, " и ещё %lld", n - PAYRUN_SKIPPED_NAMES);
	if (n > 0)
		jsonx_set_str(o, "skipped_ru",
		              arena_printf(ctx->arena,
		                           "Без расчёта %s %lld %s: %.*s. %s за %s %s не будет.",
		                           ru_plural(n, "остаётся", "остаются", "остаются"), n,
		                           ru_plural(n, "сотрудник", "сотрудника", "сотрудников"),
		                           (int)names.len, names.data ? names.data : "",
		                           n == 1 ? "Расчётного листка" : "Расчётных листков",
		                           payrun_month_title(ctx, year, month),
		                           n == 1 ? "у этого сотрудника" : "у них"));
	jsonx_set_int(o, "skipped_count", n);
	buf_free(&names);
}

/* The month's overpayments (payroll_debts(), sql/0094: the payslip's
 * «переплата», carried as the employee's debt into the next month):
 * "overpaid_employees" [{"employee_id", "full_name", "overpaid(_ru)"}],
 * "overpaid_count", "overpaid_total(_ru)" and "overpaid_summary_ru", the sentence
 * the page shows and the close's confirmation says: «Переплата у 2
 * сотрудников на 1 500,00 ₽: Петрова О. И. — 1 000,00 ₽, …». */
static int payrun_overpaid(struct ctx *ctx, json_object *o, const char *first)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT b.employee_id, e.full_name, b.overpaid::text FROM payroll_debts($1, "
	    "$2::date) b JOIN employees e ON e.tenant_id = $1 AND e.id = b.employee_id WHERE "
	    "b.overpaid > 0 ORDER BY e.search_name, e.full_name, b.employee_id",
	    ctx_i64(ctx, ctx->tenant_id), first);
	json_object *list;
	struct buf names = BUF_INIT;
	int64_t total = 0;
	char b[MONEY_BUFSZ], r[MONEY_RU_BUFSZ];
	int n;

	if (res == NULL)
		return -1;
	n = PQntuples(res);
	list = json_object_new_array();
	json_object_object_add(o, "overpaid_employees", list);
	for (int i = 0; i < n; i++) {
		json_object *x = json_object_new_object();
		int64_t v = 0;

		money_parse(PQgetvalue(res, i, 2), MONEY_ALLOW_NEGATIVE, &v);
		total += v;
		money_format_ru(v, r);
		jsonx_set_int(x, "employee_id", strtoll(PQgetvalue(res, i, 0), NULL, 10));
		jsonx_set_str(x, "full_name", PQgetvalue(res, i, 1));
		payrun_put_money(ctx, x, "overpaid", PQgetvalue(res, i, 2));
		json_object_array_add(list, x);
		if (i < PAYRUN_SKIPPED_NAMES)
			buf_printf(&names, "%s%s — %s", i ? ", " : "", PQgetvalue(res, i, 1), r);
	}
	if (n > PAYRUN_SKIPPED_NAMES)
		buf_printf(&names, " и ещё %d", n - PAYRUN_SKIPPED_NAMES);
	jsonx_set_int(o, "overpaid_count", n);
	money_format(total, b);
	money_format_ru(total, r);
	jsonx_set_str(o, "overpaid_total", b);
	jsonx_set_str(o, "overpaid_total_ru", r);
	if (n > 0)
		jsonx_set_str(
		    o, "overpaid_summary_ru",
		    arena_printf(ctx->arena,
		                 "Выплачено больше, чем причитается, у %d %s — переплата %s: "
		                 "%.*s. Переплата остаётся долгом сотрудника и уменьшает "
		                 "сумму к выплате следующего месяца (удержание — по ст. 137 "
		                 "ТК РФ).",
		                 n, ru_plural(n, "сотрудника", "сотрудников", "сотрудников"), r,
		                 (int)names.len, names.data ? names.data : ""));
	buf_free(&names);
	return 0;
}

/* The document's header as JSON, or NULL (404 when there is none). */
static json_object *payrun_header(struct ctx *ctx, int year, int month, const char **doc_id)
{
	char m[DATE_BUFSZ];
	PGresult *res;
	json_object *o;

	date_format(date_month_first(year, month), m);
	res = ctx_sql(
	    ctx,
	    "SELECT id, status, scope, employees, accrued::text, ndfl::text, net::text, "
	    "to_char(calculated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	    "coalesce(to_char(closed_at AT TIME ZONE 'UTC', "
	    "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''), " ORG_TIME_SQL(
	        "calculated_at",
	        "$3") ", coalesce(" ORG_TIME_SQL("closed_at",
	                                         "$3") ", ''), skipped::text "
	                                               "FROM payroll_documents WHERE tenant_id = "
	                                               "$1 AND month = $2::date",
	    ctx_i64(ctx, ctx->tenant_id), m, org_time_zone(ctx));
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		ctx_fail(ctx, PROTO_ERR_not_found, "Зарплата за %s ещё не рассчитана",
		         payrun_month_title(ctx, year, month));
		return NULL;
	}
	o = arena_own(ctx->arena, json_object_new_object());
	date_format_month(year, month, m);
	jsonx_set_str(o, "month", m);
	jsonx_set_str(o, "month_title", payrun_month_title(ctx, year, month));
	jsonx_set_str(o, "status", PQgetvalue(res, 0, 1));
	jsonx_set_str(o, "status_title", payrun_status_title(PQgetvalue(res, 0, 1)));
	if (strcmp(PQgetvalue(res, 0, 1), "closed") == 0)
		jsonx_set_bool(o, "closed", 1);
	else {
		/* "not_ended": closing needs confirm_early (item 6), so the page
		 * asks once, before sending, instead of after a 409 */
		int today = org_today(ctx);

		if (today == DATE_NONE)
			return NULL;
		if (today <= date_month_last(year, month))
			jsonx_set_bool(o, "not_ended", 1);
	}
	jsonx_set_str(o, "scope", PQgetvalue(res, 0, 2));
	jsonx_set_int(o, "employees_count", strtoll(PQgetvalue(res, 0, 3), NULL, 10));
	payrun_put_money(ctx, o, "accrued", PQgetvalue(res, 0, 4));
	payrun_put_money(ctx, o, "ndfl", PQgetvalue(res, 0, 5));
	payrun_put_money(ctx, o, "net", PQgetvalue(res, 0, 6));
	jsonx_set_str(o, "calculated_at", PQgetvalue(res, 0, 7));
	jsonx_set_str(o, "calculated_at_ru", PQgetvalue(res, 0, 9));
	if (*PQgetvalue(res, 0, 8)) {
		jsonx_set_str(o, "closed_at", PQgetvalue(res, 0, 8));
		jsonx_set_str(o, "closed_at_ru", PQgetvalue(res, 0, 10));
	}
	json_object_object_add(o, "skipped", json_tokener_parse(PQgetvalue(res, 0, 11)));
	if (!jsonx_get(o, "closed"))
		payrun_skipped_ru(ctx, o, year, month);
	date_format(date_month_first(year, month), m);
	if (payrun_overpaid(ctx, o, m) < 0)
		return NULL;
	if (doc_id)
		*doc_id = PQgetvalue(res, 0, 0);
	return o;
}

/* The closed month of a 423, for the pages' link to it (error.locked_month). */
static void payrun_locked_month(struct ctx *ctx, int year, int month)
{
	ctx->locked_month = arena_printf(ctx->arena, "%04d-%02d", year, month);
}

static int payrun_locked(struct ctx *ctx, int year, int month)
{
	payrun_locked_month(ctx, year, month);
	return ctx_fail(ctx, PROTO_ERR_locked,
	                "Месяц %s закрыт: его расчёт зарплаты и данные, по которым он "
	                "сделан (табель, отклонения, графики, условия оплаты), не меняются. "
	                "Чтобы внести изменения, откройте месяц.",
	                payrun_month_title(ctx, year, month));
}

int payrun_check_open_for(struct ctx *ctx, int64_t employee, int from, int to)
{
	char f[DATE_BUFSZ], t[DATE_BUFSZ];
	PGresult *res;

	date_format(from, f);
	date_format(to, t);
	/* a closed month locks the results it holds: with an employee, only
	 * the months that hold theirs (a newcomer's past is not locked).
	 * Every month document of the period is held (FOR KEY SHARE) until the
	 * write commits, and a close takes its document FOR UPDATE: so a close
	 * waits for a write that passed this check and then sees the results
	 * the write made stale (409), and a write that comes after a close
	 * waits for it and sees the month closed (423); never both at once
	 * (trial-break F24). Locked in month order, as every such write does. */
	res =
	    ctx_sql(ctx,
	            "SELECT extract(year FROM d.month)::int, extract(month FROM d.month)::int, "
	            "d.status = 'closed' AND ($4::bigint = 0 OR EXISTS (SELECT 1 FROM "
	            "payroll_employees pe WHERE pe.tenant_id = d.tenant_id AND pe.document_id = "
	            "d.id AND pe.employee_id = $4)) FROM payroll_documents d WHERE d.tenant_id = "
	            "$1 AND d.month <= $3::date AND d.month >= date_trunc('month', $2::date)::date "
	            "ORDER BY d.month FOR KEY SHARE OF d",
	            ctx_i64(ctx, ctx->tenant_id), f, t, ctx_i64(ctx, employee));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		if (*PQgetvalue(res, i, 2) == 't') {
			int y = atoi(PQgetvalue(res, i, 0)), m = atoi(PQgetvalue(res, i, 1));

			if (date_month_first(y, m) <= from)
				return payrun_locked(ctx, y, m);
			/* a later month: say why a change before it touches it
			 * (trial-break 2's note) */
			payrun_locked_month(ctx, y, m);
			return ctx_fail(
			    ctx, PROTO_ERR_locked,
			    "Месяц %s закрыт: изменение с %s затронуло бы его расчёт (средний "
			    "заработок, остаток отпуска, НДФЛ с начала года или расчёт этого "
			    "месяца), а закрытый расчёт не меняется. Чтобы внести изменение, "
			    "откройте месяц.",
			    payrun_month_title(ctx, y, m), worktime_date_ru(ctx, from));
		}
	return 0;
}

int payrun_check_open(struct ctx *ctx, int from, int to)
{
	return payrun_check_open_for(ctx, 0, from, to);
}

int payrun_closed_until_for(struct ctx *ctx, int64_t employee, int *last)
{
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT extract(year FROM max(d.month))::int, extract(month FROM "
	            "max(d.month))::int FROM payroll_documents d WHERE d.tenant_id = $1 "
	            "AND d.status = 'closed' AND ($2::bigint = 0 OR EXISTS (SELECT 1 "
	            "FROM payroll_employees pe WHERE pe.tenant_id = d.tenant_id AND "
	            "pe.document_id = d.id AND pe.employee_id = $2))",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee));

	if (res == NULL)
		return -1;
	*last = PQgetisnull(res, 0, 0)
	            ? DATE_NONE
	            : date_month_last(atoi(PQgetvalue(res, 0, 0)), atoi(PQgetvalue(res, 0, 1)));
	return 0;
}

int payrun_closed_until(struct ctx *ctx, int *last)
{
	return payrun_closed_until_for(ctx, 0, last);
}

int payrun_refresh_paid(struct ctx *ctx, int64_t employee, int month_first)
{
	int y, m, d;
	struct ndfl_pay_opts o = {.focus = month_first};
	struct ndfl_emp *e;
	int n;
	int64_t tax;
	char tx[MONEY_BUFSZ], ded[MONEY_BUFSZ], base[MONEY_BUFSZ];
	const char *month = worktime_date_iso(ctx, month_first);

	date_to_ymd(month_first, &y, &m, &d);
	o.year = y;
	o.until = date_month_last(y, 12);
	if (ndfl_pay_load(ctx, arena_printf(ctx->arena, "{%lld}", (long long)employee), &o, &e,
	                  &n) < 0)
		return -1;
	e->y.snap_date = ndfl_pay_rest_date(month_first, e->focus_last);
	ndfl_pay_run(e);
	/* the month's НДФЛ: what its payments withheld and the tax of the rest */
	tax = ndfl_pay_month(e, month_first);
	money_format(tax, tx);
	money_format(e->y.snap_applied[m], ded);
	money_format(e->y.snap_base, base);
	if (ctx_sql(ctx,
	            "UPDATE payroll_employees pe SET ndfl = $4::numeric, net = pe.accrued - "
	            "$4::numeric, deduction = $5::numeric, base_ytd = $6::numeric, paid = "
	            "coalesce((SELECT sum(amount - ndfl) FROM payroll_payments p WHERE "
	            "p.tenant_id = pe.tenant_id AND p.employee_id = pe.employee_id AND p.month = "
	            "pe.month), 0) WHERE pe.tenant_id = $1 AND pe.employee_id = $2 AND pe.month = "
	            "$3::date",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), month, tx, ded,
	            base) == NULL)
		return -1;
	return ctx_sql(ctx,
	               "UPDATE payroll_documents d SET ndfl = s.t, net = s.net FROM (SELECT "
	               "coalesce(sum(pe.ndfl), 0) AS t, coalesce(sum(pe.net), 0) AS net FROM "
	               "payroll_employees pe JOIN payroll_documents x ON x.tenant_id = "
	               "pe.tenant_id AND x.id = pe.document_id WHERE x.tenant_id = $1 AND "
	               "x.month = $2::date) s WHERE d.tenant_id = $1 AND d.month = $2::date",
	               ctx_i64(ctx, ctx->tenant_id), month)
	           ? 0
	           : -1;
}

int payrun_advance(struct ctx *ctx, int64_t employee, int date, int64_t *amount)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT coalesce(t.settings->>'advance_mode', 'percent'), "
	    "coalesce(t.settings->>'advance_percent', '40'), p.rate::text, p.pay_by FROM tenants t "
	    "LEFT JOIN LATERAL (SELECT rate, pay_by FROM employee_pay WHERE tenant_id = t.id AND "
	    "employee_id = $2 AND date_from <= $3::date ORDER BY date_from DESC LIMIT 1) p ON true "
	    "WHERE t.id = $1",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), worktime_date_iso(ctx, date));
	int64_t rate;

	if (res == NULL)
		return -1;
	if (PQgetisnull(res, 0, 2))
		return ctx_field_code(ctx, "amount", "no_terms",
		                      "Не заданы условия оплаты на %s: укажите сумму аванса",
		                      worktime_date_ru(ctx, date));
	money_parse(PQgetvalue(res, 0, 2), 0, &rate);
	if (strcmp(PQgetvalue(res, 0, 0), "first_half") != 0) {
		/* a percent of the rate */
		*amount = money_muldiv_exact(rate, atoi(PQgetvalue(res, 0, 1)), 100);
		return 0;
	}
	/* the pay for the first half's worked time: the month's salary lines
	 * with the employment cut at the 15th (the norm stays the month's) */
	{
		struct worktime_month m;
		struct payroll_result *out;
		struct payroll_error err;
		struct payroll_input in;
		int y, mo, d, rc;

		date_to_ymd(date, &y, &mo, &d);
		if (worktime_month_load(ctx, y, mo, &employee, 1,
		                        WORKTIME_POSTED | WORKTIME_NO_DAYS, &m) < 0)
			return -1;
		in = m.emp[0].in;
		if (!m.emp[0].scheduled)
			return ctx_field_code(ctx, "amount", "no_schedule",
			                      "Не назначен график работы: укажите сумму аванса");
		in.terms.rate = rate;
		in.terms.pay_by = strcmp(PQgetvalue(res, 0, 3), "hours") == 0 ? PAYROLL_BY_HOURS
		                                                              : PAYROLL_BY_DAYS;
		if (in.terms.dismissed == DATE_NONE ||
		    in.terms.dismissed > date_from_ymd(y, mo, 15))
			in.terms.dismissed = date_from_ymd(y, mo, 15);
		if (in.terms.hired != DATE_NONE && in.terms.hired > in.terms.dismissed)
			in.terms.hired = in.terms.dismissed;
		out = arena_alloc(ctx->arena, sizeof(*out));
		rc = payroll_time(&in, out, &err);
		if (rc < 0)
			return ctx_field_code(ctx, "amount", "input", "%s", err.message);
		*amount = 0;
		for (int i = 0; i < out->nlines; i++)
			if (out->lines[i].kind == PAYROLL_LINE_SALARY)
				*amount += out->lines[i].amount;
	}
	return 0;
}

/* The employees argument: absent (everyone) or an array of ids. */
static int payrun_read_ids(struct payrun *r)
{
	json_object *v = jsonx_get(r->ctx->args, "employees");
	size_t n;

	if (v == NULL || json_object_is_type(v, json_type_null))
		return 0;
	if (!json_object_is_type(v, json_type_array) || (n = json_object_array_length(v)) == 0 ||
	    n > PAYRUN_MAX_LIST)
		return ctx_field(r->ctx, "employees",
		                 "Укажите список идентификаторов сотрудников (от 1 до %d) или не "
		                 "указывайте его, чтобы рассчитать всех",
		                 PAYRUN_MAX_LIST);
	r->ids = arena_alloc(r->ctx->arena, sizeof(int64_t) * n);
	for (size_t i = 0; i < n; i++) {
		json_object *el = json_object_array_get_idx(v, i);
		int64_t id = json_object_get_int64(el);
		if (!json_object_is_type(el, json_type_int) || id <= 0)
			return ctx_field(r->ctx, arena_printf(r->ctx->arena, "employees[%zu]", i),
			                 "Идентификатор сотрудника — целое положительное число");
		r->ids[i] = id;
	}
	qsort(r->ids, n, sizeof(int64_t), payrun_cmp_i64);
	r->nids = 0;
	for (size_t i = 0; i < n; i++)
		if (r->nids == 0 || r->ids[r->nids - 1] != r->ids[i])
			r->ids[r->nids++] = r->ids[i];
	r->list = 1;
	return 0;
}

/* POST /api/admin/payroll/{month}/calculate {"employees": [ids]} */
static int payroll_calculate(struct ctx *ctx)
{
	struct payrun r = {.ctx = ctx};
	struct payrun_arr ea[E_COUNT], la[L_COUNT];
	struct payroll_result *res = NULL;
	const char *ep[E_COUNT + 2], *lp[L_COUNT + 2], *doc_id;
	char first[DATE_BUFSZ], last[DATE_BUFSZ], jan[DATE_BUFSZ], m[DATE_MONTH_BUFSZ];
	PGresult *q;
	int64_t count = 0;
	int rc = -1;
	json_object *details;

	memset(ea, 0, sizeof(ea));
	memset(la, 0, sizeof(la));
	if (payrun_month_arg(ctx, &r.year, &r.month) < 0 || payrun_read_ids(&r) < 0)
		return -1;
	r.first = date_month_first(r.year, r.month);
	r.last = date_month_last(r.year, r.month);
	date_format(r.first, first);
	date_format(r.last, last);
	date_format(date_month_first(r.year, 1), jan);
	date_format_month(r.year, r.month, m);
	r.p_tenant = ctx_i64(ctx, ctx->tenant_id);
	r.p_first = first;
	r.p_last = last;
	r.p_jan = jan;
	r.p_ids = r.list ? payrun_ids_param(&r) : NULL;

	/* the month's document, created or locked against concurrent runs */
	q = ctx_sql(ctx,
	            "INSERT INTO payroll_documents (tenant_id, month, scope) VALUES ($1, $2::date, "
	            "$3) ON CONFLICT (tenant_id, month) DO UPDATE SET calculated_at = now() "
	            "RETURNING id, status",
	            r.p_tenant, first, r.list ? "list" : "all");
	if (q == NULL)
		return -1;
	if (strcmp(PQgetvalue(q, 0, 1), "closed") == 0)
		return payrun_locked(ctx, r.year, r.month);
	doc_id = PQgetvalue(q, 0, 0);

	r.skipped = arena_own(ctx->arena, json_object_new_array());
	if (payrun_load_settings(&r) < 0 || payrun_load_employees(&r) < 0)
		goto out;
	if (r.nerrors == 0 && payrun_load_time(&r) < 0)
		goto out;
	{
		struct buf b = BUF_INIT;
		buf_putc(&b, '{');
		for (int i = 0; i < r.nemps; i++)
			buf_printf(&b, "%s%lld", i ? "," : "", (long long)r.emps[i].id);
		buf_putc(&b, '}');
		r.p_calc = arena_strndup(ctx->arena, b.data, b.len);
		buf_free(&b);
	}
	if (r.nerrors == 0 && (payrun_load_ytd(&r) < 0 || payrun_load_extras(&r) < 0))
		goto out;
	if (r.nerrors == 0) {
		res = malloc(sizeof(*res) * (PAYRUN_MAX_TERMS + 1));
		if (res == NULL) {
			ctx_fail(ctx, PROTO_ERR_internal, NULL);
			goto out;
		}
		for (int i = 0; i < r.nemps; i++)
			payrun_one(&r, &r.emps[i], res, ea, la, &count);
	}
	if (r.nerrors) {
		ctx_fail(ctx, PROTO_ERR_validation,
		         "Зарплата за %s не рассчитана, ничего не сохранено: ошибки в данных %d %s",
		         payrun_month_title(ctx, r.year, r.month), r.nerrors,
		         ru_plural(r.nerrors, "сотрудника", "сотрудников", "сотрудников"));
		goto out;
	}

	/* replace the covered employees' results in place (sql/0066: the
	 * update trigger marks later months stale only where a result changed);
	 * a covered employee not calculated now loses the result */
	ep[0] = r.p_tenant;
	ep[1] = doc_id;
	for (int i = 0; i < E_COUNT; i++)
		ep[i + 2] = payrun_arr_end(ctx, &ea[i]);
	q = r.list ? ctx_sql(ctx,
	                     "DELETE FROM payroll_employees WHERE tenant_id = $1 AND document_id "
	                     "= $2 AND employee_id = ANY($3::bigint[]) AND NOT employee_id = "
	                     "ANY($4::bigint[])",
	                     r.p_tenant, doc_id, r.p_ids, ep[2 + E_ID])
	           : ctx_sql(ctx,
	                     "DELETE FROM payroll_employees WHERE tenant_id = $1 AND document_id "
	                     "= $2 AND NOT employee_id = ANY($3::bigint[])",
	                     r.p_tenant, doc_id, ep[2 + E_ID]);
	if (q == NULL ||
	    ctx_sql(ctx,
	            "DELETE FROM payroll_lines WHERE tenant_id = $1 AND document_id = $2 AND "
	            "employee_id = ANY($3::bigint[])",
	            r.p_tenant, doc_id, ep[2 + E_ID]) == NULL)
		goto out;
	/* paid: what the month's payments have paid (payments.c) */
	if (ctx_query(ctx,
	              "INSERT INTO payroll_employees (tenant_id, document_id, month, employee_id, "
	              "source, norm, pay_by, rate, accrued, deduction, base_ytd, ndfl, net, "
	              "earnings, excluded_days, insured, average_from, average_to, paid) "
	              "SELECT $1, $2, d.month, u.*, coalesce((SELECT sum(p.amount - p.ndfl) FROM "
	              "payroll_payments p WHERE p.tenant_id = $1 AND p.employee_id = u.e AND "
	              "p.month = d.month), 0) FROM payroll_documents d, unnest($3::bigint[], "
	              "$4::text[], $5::text[], $6::text[], $7::numeric[], $8::numeric[], "
	              "$9::numeric[], $10::numeric[], $11::numeric[], $12::numeric[], "
	              "$13::numeric[], $14::smallint[], $15::numeric[], $16::date[], "
	              "$17::date[]) AS u(e) "
	              "WHERE d.tenant_id = $1 AND d.id = $2 "
	              "ON CONFLICT (tenant_id, employee_id, month) DO UPDATE SET "
	              "document_id = excluded.document_id, source = excluded.source, norm = "
	              "excluded.norm, pay_by = excluded.pay_by, rate = excluded.rate, accrued = "
	              "excluded.accrued, deduction = excluded.deduction, base_ytd = "
	              "excluded.base_ytd, ndfl = excluded.ndfl, net = excluded.net, earnings = "
	              "excluded.earnings, excluded_days = excluded.excluded_days, insured = "
	              "excluded.insured, average_from = excluded.average_from, average_to = "
	              "excluded.average_to, paid = excluded.paid, stale = false, stale_reason = "
	              "NULL",
	              E_COUNT + 2, ep) == NULL)
		goto out;
	lp[0] = r.p_tenant;
	lp[1] = doc_id;
	for (int i = 0; i < L_COUNT; i++)
		lp[i + 2] = payrun_arr_end(ctx, &la[i]);
	if (ctx_query(ctx,
	              "INSERT INTO payroll_lines (tenant_id, document_id, employee_id, n, kind, "
	              "date_from, date_to, schedule_id, worked_days, norm_days, worked_hours, "
	              "norm_hours, hours, amount, planned_hours, days, average, percent, daily, "
	              "fund_days, twelfths, fallback, title, insurance_months, insurance_since) "
	              "SELECT $1, $2, u.* FROM "
	              "unnest($3::bigint[], $4::smallint[], $5::text[], $6::date[], $7::date[], "
	              "$8::bigint[], $9::integer[], $10::integer[], $11::integer[], "
	              "$12::integer[], $13::integer[], $14::numeric[], $15::integer[], "
	              "$16::integer[], $17::numeric[], $18::smallint[], $19::numeric[], "
	              "$20::integer[], $21::bigint[], $22::boolean[], $23::text[], $24::integer[], "
	              "$25::date[]) AS u",
	              L_COUNT + 2, lp) == NULL)
		goto out;
	q = ctx_sql(ctx,
	            "UPDATE payroll_documents d SET employees = s.n, accrued = s.a, ndfl = s.t, "
	            "net = s.net, calculated_at = now(), calculated_by = nullif($3, '0')::bigint, "
	            "scope = CASE WHEN $4 = 'all' THEN 'all' ELSE d.scope END, "
	            "skipped = CASE WHEN $4 = 'all' THEN $5::jsonb ELSE (SELECT coalesce("
	            "jsonb_agg(x), '[]') FROM jsonb_array_elements(d.skipped) x WHERE NOT "
	            "(x->>'employee_id')::bigint = ANY($6::bigint[])) END "
	            "FROM (SELECT count(*) AS n, coalesce(sum(accrued), 0) AS a, "
	            "coalesce(sum(ndfl), 0) AS t, coalesce(sum(net), 0) AS net "
	            "FROM payroll_employees WHERE tenant_id = $1 AND document_id = $2) s "
	            "WHERE d.tenant_id = $1 AND d.id = $2",
	            r.p_tenant, doc_id, ctx_i64(ctx, ctx->user_id), r.list ? "list" : "all",
	            json_object_to_json_string_ext(r.skipped, JSON_C_TO_STRING_PLAIN),
	            r.list ? r.p_ids : "{}");
	if (q == NULL)
		goto out;
	details = json_object_new_object();
	jsonx_set_int(details, "employees", count);
	jsonx_set_str(details, "scope", r.list ? "list" : "all");
	if (audit_log(ctx, "payroll.calculated", 1, "payroll", m, details) < 0)
		goto out;
	{
		json_object *o = payrun_header(ctx, r.year, r.month, NULL);
		if (o == NULL)
			goto out;
		jsonx_set_int(o, "calculated", count);
		worktime_note_calendar(ctx, &r.wm, o);
		ctx->result = o;
	}
	log_info("payroll_calculated", "req=%u tenant=%lld month=%s employees=%lld", ctx->req,
	         (long long)ctx->tenant_id, m, (long long)count);
	rc = 0;
out:
	for (int i = 0; i < E_COUNT; i++)
		buf_free(&ea[i].b);
	for (int i = 0; i < L_COUNT; i++)
		buf_free(&la[i].b);
	free(res);
	return rc;
}

/* GET /api/admin/payroll/{month}: the document with every employee's result. */
static int payroll_get(struct ctx *ctx)
{
	int year, month;
	const char *doc_id;
	json_object *o, *list;
	PGresult *res;

	if (payrun_month_arg(ctx, &year, &month) < 0)
		return -1;
	o = payrun_header(ctx, year, month, &doc_id);
	if (o == NULL)
		return -1;
	res = ctx_sql(
	    ctx,
	    "SELECT pe.employee_id, e.full_name, coalesce(e.personnel_number, ''), "
	    "pe.accrued::text, pe.ndfl::text, pe.net::text, pe.source, pe.norm, pe.stale, "
	    "pe.stale_reason, pe.paid::text, coalesce(b.carried, 0)::text, "
	    "coalesce(b.overpaid, 0)::text, (pe.net - coalesce(b.carried, 0))::text, "
	    "coalesce(b.carried > 0, false), coalesce(b.overpaid > 0, false) FROM "
	    "payroll_employees pe JOIN employees e ON e.tenant_id = pe.tenant_id AND e.id = "
	    "pe.employee_id LEFT JOIN payroll_debts($1, $3::date) b ON b.employee_id = "
	    "pe.employee_id WHERE pe.tenant_id = $1 AND pe.document_id = $2 "
	    "ORDER BY e.search_name, e.full_name, pe.employee_id",
	    ctx_i64(ctx, ctx->tenant_id), doc_id,
	    worktime_date_iso(ctx, date_month_first(year, month)));
	if (res == NULL)
		return -1;
	list = json_object_new_array();
	json_object_object_add(o, "employees", list);
	json_object *stale = json_object_new_array();
	json_object_object_add(o, "stale", stale);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *e = json_object_new_object();
		int is_stale = strcmp(PQgetvalue(res, i, 8), "t") == 0;
		jsonx_set_bool(e, "stale", is_stale);
		if (is_stale) {
			json_object *x = json_object_new_object();
			const char *why = payrun_stale_title(PQgetvalue(res, i, 9));
			jsonx_set_str(e, "stale_reason", PQgetvalue(res, i, 9));
			jsonx_set_str(e, "stale_title", why);
			jsonx_set_int(x, "employee_id", strtoll(PQgetvalue(res, i, 0), NULL, 10));
			jsonx_set_str(x, "full_name", PQgetvalue(res, i, 1));
			jsonx_set_str(x, "reason", PQgetvalue(res, i, 9));
			jsonx_set_str(x, "title", why);
			json_object_array_add(stale, x);
		}
		jsonx_set_int(e, "id", strtoll(PQgetvalue(res, i, 0), NULL, 10));
		jsonx_set_str(e, "full_name", PQgetvalue(res, i, 1));
		jsonx_set_str(e, "personnel_number", PQgetvalue(res, i, 2));
		payrun_put_money(ctx, e, "accrued", PQgetvalue(res, i, 3));
		payrun_put_money(ctx, e, "ndfl", PQgetvalue(res, i, 4));
		payrun_put_money(ctx, e, "net", PQgetvalue(res, i, 5));
		jsonx_set_str(e, "source", PQgetvalue(res, i, 6));
		jsonx_set_str(e, "norm", PQgetvalue(res, i, 7));
		/* paid, and the overpayment carried in and out (payroll_debts()) */
		payrun_put_money(ctx, e, "paid", PQgetvalue(res, i, 10));
		if (*PQgetvalue(res, i, 14) == 't') {
			payrun_put_money(ctx, e, "carried", PQgetvalue(res, i, 11));
			payrun_put_money(ctx, e, "due", PQgetvalue(res, i, 13));
		}
		if (*PQgetvalue(res, i, 15) == 't')
			payrun_put_money(ctx, e, "overpaid", PQgetvalue(res, i, 12));
		jsonx_set_str(e, "month", jsonx_get_str(o, "month"));
		json_object_array_add(list, e);
	}
	if (!jsonx_get(o, "closed") && openbal_missing(ctx, year, month, o) < 0)
		return -1;
	/* art. 99: who worked overtime beyond its limits (worktime.h) */
	if (worktime_overtime_marks(ctx, year, month, list, o) < 0)
		return -1;
	jsonx_set_int(o, "stale_count", (int64_t)json_object_array_length(stale));
	jsonx_set_bool(o, "has_stale", json_object_array_length(stale) > 0);
	ctx->result = o;
	return 0;
}

/* GET /api/admin/payroll[?month=YYYY-MM]: every document, newest month
 * first, and "month" (the calculation form's month: the one asked for,
 * else the current one) with its "openbal_missing" (openbal_missing), so
 * the page warns before calculating. */
static int payroll_list(struct ctx *ctx)
{
	const char *asked = ctx_arg_str(ctx, "month", 16, 0);
	int year, month, today;
	char m[DATE_MONTH_BUFSZ];
	PGresult *res;

	/* a month the form could not send is not an error here: the
	 * calculation itself refuses it next to its field */
	if (asked == NULL || date_parse_month(asked, &year, &month) < 0) {
		if ((today = org_today(ctx)) == DATE_NONE)
			return -1;
		date_to_ymd(today, &year, &month, &(int){0});
	}
	date_format_month(year, month, m);
	jsonx_set_str(ctx_result(ctx), "month", m);
	jsonx_set_str(ctx_result(ctx), "month_title", payrun_month_title(ctx, year, month));
	if (openbal_missing(ctx, year, month, ctx_result(ctx)) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT to_char(month, 'YYYY-MM'), status, employees, accrued::text, "
	              "ndfl::text, net::text, extract(year FROM month)::int, "
	              "extract(month FROM month)::int FROM payroll_documents "
	              "WHERE tenant_id = $1 ORDER BY month DESC",
	              ctx_i64(ctx, ctx->tenant_id));
	json_object *list;

	if (res == NULL)
		return -1;
	list = json_object_new_array();
	json_object_object_add(ctx_result(ctx), "documents", list);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *d = json_object_new_object();
		jsonx_set_str(d, "month", PQgetvalue(res, i, 0));
		jsonx_set_str(d, "month_title",
		              payrun_month_title(ctx, atoi(PQgetvalue(res, i, 6)),
		                                 atoi(PQgetvalue(res, i, 7))));
		jsonx_set_str(d, "status", PQgetvalue(res, i, 1));
		jsonx_set_str(d, "status_title", payrun_status_title(PQgetvalue(res, i, 1)));
		jsonx_set_bool(d, "closed", strcmp(PQgetvalue(res, i, 1), "closed") == 0);
		jsonx_set_int(d, "employees_count", strtoll(PQgetvalue(res, i, 2), NULL, 10));
		payrun_put_money(ctx, d, "accrued", PQgetvalue(res, i, 3));
		payrun_put_money(ctx, d, "ndfl", PQgetvalue(res, i, 4));
		payrun_put_money(ctx, d, "net", PQgetvalue(res, i, 5));
		json_object_array_add(list, d);
	}
	return 0;
}

/* Moves the month's document from status `from` to `to` (close/reopen). */
static int payrun_transition(struct ctx *ctx, const char *from, const char *to, const char *action)
{
	int year, month;
	char first[DATE_BUFSZ], m[DATE_MONTH_BUFSZ];
	PGresult *res;

	if (payrun_month_arg(ctx, &year, &month) < 0)
		return -1;
	date_format(date_month_first(year, month), first);
	date_format_month(year, month, m);
	res = ctx_sql(ctx,
	              "SELECT id, status FROM payroll_documents WHERE tenant_id = $1 AND month = "
	              "$2::date FOR UPDATE",
	              ctx_i64(ctx, ctx->tenant_id), first);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Зарплата за %s ещё не рассчитана",
		                payrun_month_title(ctx, year, month));
	if (strcmp(PQgetvalue(res, 0, 1), from) != 0) {
		if (strcmp(from, "draft") == 0)
			return payrun_locked(ctx, year, month);
		return ctx_fail(ctx, PROTO_ERR_conflict, "Месяц %s не закрыт",
		                payrun_month_title(ctx, year, month));
	}
	const char *doc = arena_strdup(ctx->arena, PQgetvalue(res, 0, 0));
	if (strcmp(to, "closed") == 0) {
		/* results that an input change made stale: 409 naming each (5.6) */
		PGresult *st = ctx_sql(
		    ctx,
		    "SELECT pe.employee_id, e.full_name, pe.stale_reason FROM payroll_employees pe "
		    "JOIN employees e ON e.tenant_id = pe.tenant_id AND e.id = pe.employee_id "
		    "WHERE pe.tenant_id = $1 AND pe.document_id = $2 AND pe.stale ORDER BY "
		    "e.full_name",
		    ctx_i64(ctx, ctx->tenant_id), doc);
		int today, n;
		json_object *confirm = jsonx_get(ctx->args, "confirm_early");

		if (st == NULL)
			return -1;
		n = PQntuples(st);
		for (int i = 0; i < n; i++)
			ctx_field_code(
			    ctx, arena_printf(ctx->arena, "employees.%s", PQgetvalue(st, i, 0)),
			    "stale", "%s: после расчёта %s — пересчитайте", PQgetvalue(st, i, 1),
			    payrun_stale_title(PQgetvalue(st, i, 2)));
		if (n > 0)
			return ctx_fail_about(
			    ctx, PROTO_ERR_stale,
			    "Месяц %s не закрыт: результаты %d %s устарели — после "
			    "расчёта изменились их данные. Пересчитайте их и закройте "
			    "месяц снова.",
			    payrun_month_title(ctx, year, month), n,
			    ru_plural(n, "сотрудника", "сотрудников", "сотрудников"));
		/* a month that has not ended: only when confirmed (item 6) */
		if ((today = org_today(ctx)) == DATE_NONE)
			return -1;
		if (today <= date_month_last(year, month) &&
		    !(confirm && json_object_get_boolean(confirm))) {
			/* the page offers the confirmation next to this field */
			ctx_field_code(ctx, "confirm_early", "required",
			               "Месяц ещё не закончился: подтвердите досрочное закрытие");
			return ctx_fail_about(
			    ctx, PROTO_ERR_early_close,
			    "Месяц %s ещё не закончился (последний день — %s). Закрыть "
			    "его досрочно? Данные оставшихся дней могут измениться: "
			    "подтвердите закрытие.",
			    payrun_month_title(ctx, year, month),
			    worktime_date_ru(ctx, date_month_last(year, month)));
		}
	} else {
		/* reopening: never under a later closed month */
		PGresult *later = ctx_sql(
		    ctx,
		    "SELECT extract(year FROM month)::int, extract(month FROM month)::int, "
		    "to_char(month, 'YYYY-MM') FROM payroll_documents WHERE tenant_id = $1 AND "
		    "month > $2::date AND status = 'closed' ORDER BY month DESC LIMIT 1",
		    ctx_i64(ctx, ctx->tenant_id), first);
		if (later == NULL)
			return -1;
		if (PQntuples(later)) {
			const char *title = payrun_month_title(ctx, atoi(PQgetvalue(later, 0, 0)),
			                                       atoi(PQgetvalue(later, 0, 1)));
			ctx_field_code(ctx, "later_month", "closed", "%s", PQgetvalue(later, 0, 2));
			return ctx_fail_about(
			    ctx, PROTO_ERR_conflict,
			    "Месяц %s не открыть: закрыт более поздний месяц %s Сначала "
			    "откройте его.",
			    payrun_month_title(ctx, year, month), title);
		}
	}
	res = ctx_sql(ctx,
	              "UPDATE payroll_documents SET status = $3, closed_at = CASE WHEN $3 = "
	              "'closed' THEN now() END, closed_by = CASE WHEN $3 = 'closed' THEN "
	              "nullif($4, '0')::bigint END WHERE tenant_id = $1 AND id = $2",
	              ctx_i64(ctx, ctx->tenant_id), doc, to, ctx_i64(ctx, ctx->user_id));
	if (res == NULL)
		return -1;
	/* paid is the month's payments only (issue 11 item 4): closing a month
	 * pays nothing, its unpaid rest stays the payslip's «Остаток» */
	if (audit_log(ctx, action, 1, "payroll", m, NULL) < 0)
		return -1;
	ctx->result = payrun_header(ctx, year, month, NULL);
	if (ctx->result == NULL)
		return -1;
	/* an overpayment does not stop a close (a real payroll closes the
	 * month and carries it as the employee's debt): it is warned */
	if (strcmp(to, "closed") == 0 && jsonx_get_str(ctx->result, "overpaid_summary_ru")) {
		json_object *w = json_object_new_array();

		json_object_array_add(
		    w, json_object_new_string(jsonx_get_str(ctx->result, "overpaid_summary_ru")));
		json_object_object_add(ctx->result, "warnings", w);
	}
	return 0;
}

static int payroll_close(struct ctx *ctx)
{
	return payrun_transition(ctx, "draft", "closed", "payroll.closed");
}

static int payroll_reopen(struct ctx *ctx)
{
	return payrun_transition(ctx, "closed", "draft", "payroll.reopened");
}

/* DELETE /api/admin/payroll/{month}: a draft only. */
static int payroll_delete(struct ctx *ctx)
{
	int year, month;
	char first[DATE_BUFSZ], m[DATE_MONTH_BUFSZ];
	PGresult *res;

	if (payrun_month_arg(ctx, &year, &month) < 0)
		return -1;
	date_format(date_month_first(year, month), first);
	date_format_month(year, month, m);
	res = ctx_sql(ctx,
	              "SELECT id, status FROM payroll_documents WHERE tenant_id = $1 AND month = "
	              "$2::date FOR UPDATE",
	              ctx_i64(ctx, ctx->tenant_id), first);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Зарплата за %s ещё не рассчитана",
		                payrun_month_title(ctx, year, month));
	if (strcmp(PQgetvalue(res, 0, 1), "closed") == 0)
		return payrun_locked(ctx, year, month);
	if (ctx_sql(ctx, "DELETE FROM payroll_documents WHERE tenant_id = $1 AND id = $2",
	            ctx_i64(ctx, ctx->tenant_id), PQgetvalue(res, 0, 0)) == NULL ||
	    audit_log(ctx, "payroll.deleted", 1, "payroll", m, NULL) < 0)
		return -1;
	jsonx_set_str(ctx_result(ctx), "month", m);
	jsonx_set_bool(ctx_result(ctx), "deleted", 1);
	return 0;
}

/* ----------------------------------------------------------- settings */

static int payroll_settings_reply(struct ctx *ctx)
{
	struct payrun r = {.ctx = ctx};
	json_object *o = ctx_result(ctx);
	PGresult *res;

	r.p_tenant = ctx_i64(ctx, ctx->tenant_id);
	if (payrun_load_settings(&r) < 0)
		return -1;
	jsonx_set_str(o, "payroll_norm",
	              r.tenant_norm == PAYROLL_NORM_SUMMED ? "summed" : "per_period");
	jsonx_set_int(o, "night_percent", r.night_percent);
	res = ctx_sql(ctx,
	              "SELECT coalesce(lower(settings->>'warn_dayoff_attendance'), 'true') "
	              "FROM tenants WHERE id = $1",
	              r.p_tenant);
	if (res == NULL)
		return -1;
	jsonx_set_bool(o, "warn_dayoff_attendance", strcmp(PQgetvalue(res, 0, 0), "false") != 0);
	res = ctx_sql(ctx,
	              "SELECT coalesce(settings->>'advance_mode', 'percent'), "
	              "coalesce(settings->>'advance_percent', '40') FROM tenants WHERE id = $1",
	              r.p_tenant);
	if (res == NULL)
		return -1;
	jsonx_set_str(o, "advance_mode", PQgetvalue(res, 0, 0));
	jsonx_set_bool(o, "advance_first_half", strcmp(PQgetvalue(res, 0, 0), "first_half") == 0);
	jsonx_set_int(o, "advance_percent", atoi(PQgetvalue(res, 0, 1)));
	if (r.district_x100 > 0) {
		char b[HOURS_BUFSZ];
		hours_format(r.district_x100, b);
		json_object_object_add(o, "district_coefficient", json_tokener_parse(b));
		/* as people read and type it: "1,15" */
		jsonx_set_str(o, "district_coefficient_ru",
		              worktime_hours_ru(ctx, r.district_x100));
	} else {
		json_object_object_add(o, "district_coefficient", NULL);
	}
	jsonx_set_int(o, "northern_percent", r.northern);
	return 0;
}

/* GET /api/admin/payroll/settings */
static int payroll_settings_get(struct ctx *ctx)
{
	return payroll_settings_reply(ctx);
}

/* PUT /api/admin/payroll/settings {"payroll_norm": "summed", "night_percent": 40,
 * "warn_dayoff_attendance": false}: the tenant's defaults (tenants.settings);
 * a member left out stays. warn_dayoff_attendance: saving attendance on a
 * planned day off in a timesheet answers with warnings (timesheet.c). */
static int payroll_settings_set(struct ctx *ctx)
{
	const char *norm = ctx_arg_str(ctx, "payroll_norm", 16, 0), *warn = NULL;
	json_object *details, *wv = jsonx_get(ctx->args, "warn_dayoff_attendance");
	int64_t night = 0;

	if (wv && json_object_is_type(wv, json_type_boolean))
		warn = json_object_get_boolean(wv) ? "true" : "false";
	else if (wv && json_object_is_type(wv, json_type_string) &&
	         (strcmp(json_object_get_string(wv), "true") == 0 ||
	          strcmp(json_object_get_string(wv), "false") == 0))
		warn = json_object_get_string(wv);
	else if (wv && !json_object_is_type(wv, json_type_null))
		ctx_field(ctx, "warn_dayoff_attendance", "true или false");

	if (ctx_arg_int(ctx, "night_percent", PAYROLL_NIGHT_PERCENT, PAYROLL_NIGHT_PERCENT_MAX, 0,
	                &night) < 0)
		return -1;
	if (norm && strcmp(norm, "per_period") != 0 && strcmp(norm, "summed") != 0)
		return ctx_field(ctx, "payroll_norm",
		                 "Норма времени: per_period (по каждому периоду) или summed "
		                 "(суммированная)");
	/* the advance (payments.c) and regional pay (payroll.md "Regional pay") */
	const char *amode = ctx_arg_str(ctx, "advance_mode", 16, 0);
	int64_t apct = 0, north = -1;
	json_object *dv = jsonx_get(ctx->args, "district_coefficient");
	const char *district = NULL;
	if (amode && strcmp(amode, "percent") != 0 && strcmp(amode, "first_half") != 0)
		ctx_field(
		    ctx, "advance_mode",
		    "Аванс: percent (процент оклада) или first_half (за отработанное в первой "
		    "половине месяца)");
	if (ctx_arg_int(ctx, "advance_percent", 1, 100, 0, &apct) < 0 ||
	    ctx_arg_int(ctx, "northern_percent", 0, 100, -1, &north) < 0)
		return -1;
	if (dv && !json_object_is_type(dv, json_type_null)) {
		char text[32], *comma;
		int32_t x;
		snprintf(text, sizeof(text), "%s", json_object_get_string(dv));
		if ((comma = strchr(text, ',')) != NULL)
			*comma = '.';
		if (json_object_is_type(dv, json_type_boolean) || hours_parse(text, &x) < 0 ||
		    x < 100 || x > 300)
			ctx_field(ctx, "district_coefficient",
			          "Районный коэффициент: от 1 до 3, например 1.15 или 1,5");
		else
			district = arena_printf(ctx->arena, "%d.%02d", x / 100, x % 100);
	}
	if (ctx->error_fields)
		return -1;
	if (ctx_sql(
	        ctx,
	        "UPDATE tenants SET settings = settings || jsonb_strip_nulls(jsonb_build_object("
	        "'payroll_norm', $2::text, 'night_percent', nullif($3, '0')::int, "
	        "'warn_dayoff_attendance', $4::boolean, 'advance_mode', $5::text, "
	        "'advance_percent', nullif($6, '0')::int, 'district_coefficient', $7::text, "
	        "'northern_percent', nullif($8, '-1')::int)) WHERE id = $1",
	        ctx_i64(ctx, ctx->tenant_id), norm, ctx_i64(ctx, night), warn, amode,
	        ctx_i64(ctx, apct), district, ctx_i64(ctx, north)) == NULL)
		return -1;
	details = json_object_new_object();
	if (norm)
		jsonx_set_str(details, "payroll_norm", norm);
	if (night)
		jsonx_set_int(details, "night_percent", night);
	if (warn)
		jsonx_set_str(details, "warn_dayoff_attendance", warn);
	if (audit_log(ctx, "payroll.settings_set", 1, "tenant", NULL, details) < 0)
		return -1;
	return payroll_settings_reply(ctx);
}

/* ------------------------------------------------------------ preview */

static int payrun_preview(struct ctx *ctx, int night_percent)
{
	struct preview_options opt = {.night_percent = night_percent};
	struct preview_error err;
	struct calendar *ru = NULL;
	json_object *out = NULL;
	const char *cal = jsonx_get_str(ctx->args, "calendar");

	/* the Russian calendar only when the scenario asks for it */
	if (cal == NULL || strcmp(cal, "RU") == 0) {
		ru = calendars_load_ru(ctx);
		if (ru == NULL)
			return -1;
	}
	if (preview_run(ctx->args, ru, &opt, &out, &err) < 0)
		return ctx_field(ctx, err.field[0] ? err.field : "scenario", "%s", err.message);
	ctx->result = arena_own(ctx->arena, out);
	return 0;
}

/* POST /api/payroll/preview (administrator): the tenant's night percent. */
static int payroll_preview(struct ctx *ctx)
{
	struct payrun r = {.ctx = ctx};

	r.p_tenant = ctx_i64(ctx, ctx->tenant_id);
	if (payrun_load_settings(&r) < 0)
		return -1;
	return payrun_preview(ctx, r.night_percent);
}

/* cabinetctl payroll preview FILE: no tenant, the default 20 %. */
static int payroll_preview_operator(struct ctx *ctx)
{
	return payrun_preview(ctx, 0);
}

static const struct op_arg payrun_month_args[] = {ARG_ROW_MONTH("month", ARG_REQUIRED), ARG_END};
/* the calculation form's month, read leniently (payroll_list) */
static const struct op_arg payrun_list_args[] = {{"month", ARG_STR, 0, .max = 16}, ARG_END};
static const struct op_arg payrun_employee_item[] = {
    ARG_ITEM(ARG_INT, .min = 1, .max = INT64_MAX,
             .hint = "Идентификатор сотрудника — целое положительное число"),
    ARG_END,
};
static const struct op_arg payrun_calculate_args[] = {
    ARG_ROW_MONTH("month", ARG_REQUIRED),
    {"employees", ARG_ARRAY, 0, .min = 1, .max = PAYRUN_MAX_LIST, .example = "[1]",
     .items = payrun_employee_item,
     .hint = "Укажите список идентификаторов сотрудников (от 1 до 10000) или не указывайте "
             "его, чтобы рассчитать всех"},
    ARG_END,
};
static const char *const payrun_norms[] = {"per_period", "summed", NULL};
static const char *const payrun_advance_modes[] = {"percent", "first_half", NULL};
static const struct op_arg payrun_settings_args[] = {
    {"payroll_norm", ARG_ENUM, 0, .values = payrun_norms,
     .hint = "Норма времени: per_period (по каждому периоду) или summed (суммированная)"},
    {"night_percent", ARG_INT, 0, .min = PAYROLL_NIGHT_PERCENT, .max = PAYROLL_NIGHT_PERCENT_MAX},
    {.name = "warn_dayoff_attendance", .type = ARG_BOOL, .flags = 0},
    {"advance_mode", ARG_ENUM, 0, .values = payrun_advance_modes,
     .hint = "Аванс: percent (процент оклада) или first_half (за отработанное в первой половине "
             "месяца)"},
    {"advance_percent", ARG_INT, 0, .min = 1, .max = 100},
    {"district_coefficient", ARG_HOURS, 0, .max = 300,
     .hint = "Районный коэффициент: от 1 до 3, например 1.15 или 1,5"},
    {"northern_percent", ARG_INT, 0, .min = 0, .max = 100},
    ARG_END,
};
static const struct op_arg payrun_close_args[] = {
    ARG_ROW_MONTH("month", ARG_REQUIRED),
    /* a month that has not ended in the organization's zone (item 6) */
    {.name = "confirm_early", .type = ARG_BOOL, .flags = 0},
    ARG_END,
};
/* The scenario of reference/payroll.md; preview.c checks what is inside. */
static const struct op_arg payrun_preview_args[] = {
    {"month", ARG_MONTH, ARG_REQUIRED, .example = "\"2025-05\"",
     .hint = "ожидается месяц ГГГГ-ММ (1900–2199), например \"2025-05\""},
    {.name = "calendar", .type = ARG_OBJECT, .flags = ARG_OR_TEXT},
    {"schedules", ARG_OBJECT, ARG_REQUIRED,
     .example = "{\"пятидневка\": {\"kind\": \"week\", \"holidays\": \"calendar\", "
                "\"hours\": [8, 8, 8, 8, 8, 0, 0]}}"},
    {"employee", ARG_OBJECT, ARG_REQUIRED,
     .example = "{\"rate\": \"30000.00\", \"pay_by\": \"days\"}"},
    {"assignments", ARG_ARRAY, ARG_REQUIRED, .min = 0, .max = 0,
     .example = "[{\"from\": \"2025-05-01\", \"schedule\": \"пятидневка\"}]"},
    {"norm", ARG_ENUM, 0, .values = payrun_norms},
    {"deviations", ARG_ARRAY, 0, .min = 0, .max = 0},
    {"timesheet", ARG_ARRAY, 0, .min = 0, .max = 0},
    {.name = "ndfl", .type = ARG_OBJECT, .flags = 0},
    /* vacation pay's 12 months, sick pay's two years, one-off accruals */
    {"history", ARG_ARRAY, 0, .min = 0, .max = 0},
    {.name = "sick", .type = ARG_OBJECT, .flags = 0},
    {"accruals", ARG_ARRAY, 0, .min = 0, .max = 0},
    ARG_END,
};

const struct op payrun_ops[] = {
    {"payroll.calculate", OP_ADMIN, payroll_calculate, OP_WRITE, payrun_calculate_args,
     .budget_ms = OP_BUDGET(120000)},
    {"payroll.get", OP_ADMIN, payroll_get, 0, payrun_month_args, .budget_ms = OP_BUDGET(30000)},
    {"payroll.list", OP_ADMIN, payroll_list, 0, payrun_list_args},
    {"payroll.close", OP_ADMIN, payroll_close, OP_WRITE, payrun_close_args},
    {"payroll.reopen", OP_ADMIN, payroll_reopen, OP_WRITE, payrun_month_args},
    {"payroll.delete", OP_ADMIN, payroll_delete, OP_WRITE, payrun_month_args},
    {"payroll.settings_get", OP_ADMIN, payroll_settings_get, 0, args_none},
    {"payroll.settings_set", OP_ADMIN, payroll_settings_set, OP_WRITE, payrun_settings_args},
    {"payroll.preview", OP_ADMIN, payroll_preview, 0, payrun_preview_args},
    {"payroll.preview_operator", OP_OPERATOR, payroll_preview_operator, 0, payrun_preview_args},
    {NULL, 0, NULL, 0, NULL},
};
