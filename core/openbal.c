/*
 * openbal.c - opening balances of employees (issue 11 item 3): for an
 * organization that starts mid-year or mid-life, as of a date, the vacation
 * days used up to it, the earnings of the months before it (for average
 * earnings: vacation pay, sick pay) and the НДФЛ year so far.
 *
 *   GET /api/admin/employees/{id}/opening-balance
 *   PUT /api/admin/employees/{id}/opening-balance
 *       {"as_of": "2025-06-30", "vacation_days_used": 12.5,
 *        "months": [{"month": "2025-01", "earnings": "60000.00", "excluded_days": 0,
 *                    "insured_earnings": "56000.00"}],
 *        "ndfl": {"year": 2025, "income": "360000.00", "deductions": "0.00",
 *                 "tax": "46800.00"}}
 *   PUT /api/exchange/v1/opening-balances {"items": [{"employee": "<external id>", ...}]}
 *   POST /api/admin/opening-balances/csv (a CSV file, see openbal_csv())
 *
 * What uses them: the vacation balance (days used up to as_of, then the ОТ
 * documents after it), the averages (a month without a stored payroll
 * result takes its opening earnings; sick pay its insured_earnings, absent:
 * the earnings), the НДФЛ year so far (the opening
 * year's income, deductions and tax, then the stored results of the later
 * months). The body replaces what is stored (its months whole). Months are
 * at most 24 and not after as_of's month; a change that would move a closed
 * payroll month is refused (423). An input of every month of the employee:
 * their results become stale (sql/0034).
 */
#include "audit.h"
#include "csvread.h"
#include "date.h"
#include "exchange.h"
#include "hours.h"
#include "jsonx.h"
#include "money.h"
#include "monotime.h"
#include "ndfl.h"
#include "ops.h"
#include "org.h"
#include "payrun.h"
#include "worktime.h"
#include "ru.h"

#include <stdlib.h>
#include <string.h>

#define OPENBAL_MAX_MONTHS 24
/* Annual vacation days an employee may take before earning them (art. 122:
 * the working year's vacation in advance). */
#define OPENBAL_ADVANCE_DAYS 28

struct openbal_month {
	int year, month;
	int64_t earnings;
	int excluded_days;
	int has_insured; /* insured_earnings given (else it is earnings) */
	int64_t insured; /* kopecks; 0 without has_insured */
};

struct openbal {
	int as_of;
	int32_t days_used; /* hundredths of a day */
	int has_ndfl;
	int ndfl_year;
	int64_t ndfl_income, ndfl_deductions, ndfl_tax;
	int nmonths;
	struct openbal_month months[OPENBAL_MAX_MONTHS];
};

/* A field error on prefix + key. Returns -1. */
static int openbal_field(struct ctx *ctx, const char *prefix, const char *key, const char *code,
                         const char *msg)
{
	return ctx_field_code(ctx, arena_printf(ctx->arena, "%s%s", prefix, key), code, "%s", msg);
}

static int openbal_money(json_object *v, int64_t *out)
{
	return v != NULL && json_object_is_type(v, json_type_string) &&
	               money_parse_input(json_object_get_string(v), 0, out) == 0
	           ? 0
	           : -1;
}

#define OPENBAL_MONEY_MSG "Сумма строкой в рублях, не меньше 0: \"60000.00\", \"60 000,00\""
static const char openbal_insured_msg[] =
    "Заработок для больничных (облагаемый страховыми взносами): сумма строкой в рублях от 0 до "
    "9 999 999 999 999,99, например \"56000.00\"; не указан — равен заработку";

/* The year's НДФЛ so far must be possible (F1, G2): deductions at most the
 * income, and the tax at most the year's scale (ndfl_scale_year()) on income
 * less deductions, plus 1 ruble for each month of the year up to as_of's:
 * the cumulative tax is the scale on the year-to-date base, whole rubles
 * (ndfl.h), so only the per-payment rounding may leave a ruble over a month.
 * 0, or -1 after a field error at ndfl.deductions or ndfl.tax. */
static int openbal_check_ndfl(struct ctx *ctx, const char *p, const struct openbal *b)
{
	int y, m = 12, d;
	int64_t scale, bound;
	char inc[MONEY_RU_BUFSZ], tax[MONEY_RU_BUFSZ], max[MONEY_RU_BUFSZ];

	money_format_ru(b->ndfl_income, inc);
	if (b->ndfl_deductions > b->ndfl_income)
		return openbal_field(ctx, p, "deductions", "range",
		                     arena_printf(ctx->arena, "Вычеты не больше дохода (%s)", inc));
	if (b->as_of != 0)
		date_to_ymd(b->as_of, &y, &m, &d);
	scale = ndfl_scale_year(b->ndfl_year, b->ndfl_income - b->ndfl_deductions);
	bound = scale + (int64_t)m * 100;
	if (b->ndfl_tax <= bound)
		return 0;
	money_format_ru(b->ndfl_income - b->ndfl_deductions, inc);
	money_format_ru(scale, tax);
	money_format_ru(bound, max);
	return openbal_field(
	    ctx, p, "tax", "range",
	    arena_printf(ctx->arena,
	                 "Налог больше возможного: по шкале %d года налог с %s (доход за вычетом "
	                 "вычетов) — %s; с округлением по выплатам не больше %s",
	                 b->ndfl_year, inc, tax, max));
}

/* Days in hundredths as Russian text: "55,33", "28". */
static const char *openbal_days_ru(struct ctx *ctx, int64_t hundredths)
{
	if (hundredths % 100 == 0)
		return arena_printf(ctx->arena, "%lld", (long long)(hundredths / 100));
	return arena_printf(ctx->arena, "%lld,%02lld", (long long)(hundredths / 100),
	                    (long long)(hundredths % 100));
}

/* The balance must fit the employment (F2, G4): as_of within [the hire
 * date, today in the organization's zone], no month wholly before the hire,
 * and the vacation days used at most those earned by as_of (payslips_vacation())
 * plus one working year's days given in advance (art. 122). 0, or -1 after a
 * field error (under prefix). */
static int openbal_check_employment(struct ctx *ctx, const char *prefix, int64_t employee,
                                    const struct openbal *b)
{
	int hired, dismissed, today = org_today(ctx), as_of = b->as_of, bad = 0;

	if (today == DATE_NONE || worktime_employment(ctx, employee, &hired, &dismissed) < 0)
		return -1;
	if (hired != DATE_NONE && as_of < hired)
		return openbal_field(
		    ctx, prefix, "as_of", "employment",
		    arena_printf(
		        ctx->arena,
		        "Дата остатков %s — до приёма на работу %s: укажите дату не раньше "
		        "приёма",
		        worktime_date_ru(ctx, as_of), worktime_date_ru(ctx, hired)));
	if (as_of > today)
		return openbal_field(
		    ctx, prefix, "as_of", "future",
		    arena_printf(ctx->arena, "Дата остатков %s ещё не наступила (сегодня %s)",
		                 worktime_date_ru(ctx, as_of), worktime_date_ru(ctx, today)));
	if (hired == DATE_NONE)
		return 0;
	for (int i = 0; i < b->nmonths; i++) {
		char m[DATE_MONTH_BUFSZ];

		if (date_month_last(b->months[i].year, b->months[i].month) >= hired)
			continue;
		date_format_month(b->months[i].year, b->months[i].month, m);
		bad = openbal_field(
		    ctx, arena_printf(ctx->arena, "%smonths[%d].", prefix, i), "month",
		    "employment",
		    arena_printf(ctx->arena,
		                 "%s — до приёма на работу %s: заработок у этого работодателя "
		                 "начинается с месяца приёма",
		                 m, worktime_date_ru(ctx, hired)));
	}
	if (b->days_used > 0) {
		struct vacation_balance v;
		int64_t earned, most;

		if (payslips_vacation(ctx, employee, as_of, &v) < 0)
			return -1;
		earned = v.accrued_twelfths * 100 / 12;
		most = earned + OPENBAL_ADVANCE_DAYS * 100;
		if (b->days_used > most)
			bad = openbal_field(
			    ctx, prefix, "vacation_days_used", "range",
			    arena_printf(ctx->arena,
			                 "Использовано дней отпуска больше возможного: к %s "
			                 "заработано %s (стаж %d мес.), вместе с отпуском авансом "
			                 "за рабочий год (%d) — не больше %s",
			                 worktime_date_ru(ctx, as_of), openbal_days_ru(ctx, earned),
			                 v.months, OPENBAL_ADVANCE_DAYS,
			                 openbal_days_ru(ctx, most)));
	}
	return bad;
}

/* Reads one body (the admin's or an exchange item) into *b; field errors
 * under prefix ("" or "items[3]."). 0 or -1. */
static int openbal_parse(struct ctx *ctx, json_object *o, const char *prefix, int item,
                         struct openbal *b)
{
	json_object *v, *months, *ndfl;
	const char *s;
	int bad = 0;

	memset(b, 0, sizeof(*b));
	json_object_object_foreach(o, key, val)
	{
		(void)val;
		if (strcmp(key, "as_of") && strcmp(key, "vacation_days_used") &&
		    strcmp(key, "months") && strcmp(key, "ndfl") &&
		    !(item && strcmp(key, "employee") == 0))
			bad =
			    openbal_field(ctx, prefix, key, "unknown",
			                  "Неизвестное поле: допустимы as_of, vacation_days_used, "
			                  "months, ndfl");
	}
	s = jsonx_get_str(o, "as_of");
	if (s == NULL || date_parse_input(s, &b->as_of) < 0)
		bad =
		    openbal_field(ctx, prefix, "as_of", "date",
		                  date_input_why(s, "Дата, на которую даны остатки: ГГГГ-ММ-ДД или "
		                                    "ДД.ММ.ГГГГ"));
	v = jsonx_get(o, "vacation_days_used");
	if (v != NULL && !json_object_is_type(v, json_type_null)) {
		char text[32], *comma;

		snprintf(text, sizeof(text), "%s", json_object_get_string(v));
		if ((comma = strchr(text, ',')) != NULL)
			*comma = '.';
		if (json_object_is_type(v, json_type_boolean) ||
		    hours_parse(text, &b->days_used) < 0 || b->days_used > 100000)
			bad = openbal_field(
			    ctx, prefix, "vacation_days_used", "invalid",
			    "Использованные дни отпуска: число от 0 до 1000, не больше "
			    "двух знаков после запятой");
	}
	months = jsonx_get(o, "months");
	if (months != NULL && !json_object_is_type(months, json_type_null)) {
		size_t n = json_object_is_type(months, json_type_array)
		               ? json_object_array_length(months)
		               : (size_t)-1;

		if (n == (size_t)-1 || n > OPENBAL_MAX_MONTHS)
			bad = openbal_field(ctx, prefix, "months", "invalid",
			                    "Месяцы: список до 24 месяцев {month, earnings, "
			                    "excluded_days}");
		for (size_t i = 0; n != (size_t)-1 && i < n && i < OPENBAL_MAX_MONTHS; i++) {
			json_object *m = json_object_array_get_idx(months, i);
			struct openbal_month *bm = &b->months[b->nmonths];
			const char *p = arena_printf(ctx->arena, "%smonths[%zu].", prefix, i);
			const char *ms = jsonx_get_str(m, "month");
			int64_t ex;

			if (ms == NULL || date_parse_month(ms, &bm->year, &bm->month) < 0) {
				bad = openbal_field(ctx, p, "month", "month", "Месяц ГГГГ-ММ");
				continue;
			}
			if (b->as_of != 0 && date_month_first(bm->year, bm->month) > b->as_of) {
				bad = openbal_field(
				    ctx, p, "month", "range",
				    "Месяц после даты остатков: его заработок посчитает "
				    "сервис");
				continue;
			}
			for (int k = 0; k < b->nmonths; k++)
				if (b->months[k].year == bm->year &&
				    b->months[k].month == bm->month)
					bad = openbal_field(ctx, p, "month", "duplicate",
					                    "Месяц указан дважды");
			if (openbal_money(jsonx_get(m, "earnings"), &bm->earnings) < 0)
				bad = openbal_field(ctx, p, "earnings", "money", OPENBAL_MONEY_MSG);
			if (jsonx_get_int64(m, "excluded_days", &ex) < 0 || ex < 0 ||
			    ex > date_days_in_month(bm->year, bm->month))
				bad = openbal_field(
				    ctx, p, "excluded_days", "invalid",
				    "Исключаемые дни месяца: целое число от 0 до числа "
				    "дней месяца");
			bm->excluded_days = (int)ex;
			/* sick pay's base (255-FZ art. 14): absent or null is the earnings */
			v = jsonx_get(m, "insured_earnings");
			if (v != NULL && !json_object_is_type(v, json_type_null)) {
				bm->has_insured = 1;
				if (openbal_money(v, &bm->insured) < 0)
					bad = openbal_field(ctx, p, "insured_earnings", "money",
					                    openbal_insured_msg);
			}
			json_object_object_foreach(m, mk, mv)
			{
				(void)mv;
				if (strcmp(mk, "month") && strcmp(mk, "earnings") &&
				    strcmp(mk, "excluded_days") && strcmp(mk, "insured_earnings"))
					bad = openbal_field(
					    ctx, p, mk, "unknown",
					    "Неизвестное поле: допустимы month, earnings, "
					    "excluded_days, insured_earnings");
			}
			b->nmonths++;
		}
	}
	ndfl = jsonx_get(o, "ndfl");
	if (ndfl != NULL && !json_object_is_type(ndfl, json_type_null)) {
		const char *p = arena_printf(ctx->arena, "%sndfl.", prefix);
		int64_t year;

		b->has_ndfl = 1;
		if (!json_object_is_type(ndfl, json_type_object))
			return openbal_field(ctx, prefix, "ndfl", "invalid",
			                     "НДФЛ с начала года: {year, income, deductions, tax}");
		if (jsonx_get_int64(ndfl, "year", &year) < 0 || year < DATE_MIN_YEAR ||
		    year > DATE_MAX_YEAR)
			bad = openbal_field(ctx, p, "year", "invalid", "Год, например 2025");
		b->ndfl_year = (int)year;
		if (b->as_of != 0 && year != date_year(b->as_of))
			bad =
			    openbal_field(ctx, p, "year", "range", "Год НДФЛ — год даты остатков");
		if (openbal_money(jsonx_get(ndfl, "income"), &b->ndfl_income) < 0)
			bad = openbal_field(ctx, p, "income", "money", OPENBAL_MONEY_MSG);
		if (openbal_money(jsonx_get(ndfl, "deductions"), &b->ndfl_deductions) < 0)
			bad = openbal_field(ctx, p, "deductions", "money", OPENBAL_MONEY_MSG);
		if (openbal_money(jsonx_get(ndfl, "tax"), &b->ndfl_tax) < 0)
			bad = openbal_field(ctx, p, "tax", "money", OPENBAL_MONEY_MSG);
		json_object_object_foreach(ndfl, nk, nv)
		{
			(void)nv;
			if (strcmp(nk, "year") && strcmp(nk, "income") &&
			    strcmp(nk, "deductions") && strcmp(nk, "tax"))
				bad = openbal_field(
				    ctx, p, nk, "unknown",
				    "Неизвестное поле: допустимы year, income, deductions, "
				    "tax");
		}
		if (bad == 0 && openbal_check_ndfl(ctx, p, b) < 0)
			bad = -1;
	}
	return bad;
}

/* The stored opening balance as the body's JSON, or NULL when none (or
 * after a database error: ctx->error says which). */
static json_object *openbal_json(struct ctx *ctx, int64_t employee)
{
	const char *tenant = ctx_i64(ctx, ctx->tenant_id), *emp = ctx_i64(ctx, employee);
	PGresult *h = ctx_sql(
	             ctx,
	             "SELECT as_of, vacation_days_used::text, ndfl_year, ndfl_income::text, "
	             "ndfl_deductions::text, ndfl_tax::text FROM opening_balances "
	             "WHERE tenant_id = $1 AND employee_id = $2",
	             tenant, emp),
	         *m;
	json_object *o, *months;

	if (h == NULL || PQntuples(h) == 0)
		return NULL;
	m = ctx_sql(ctx,
	            "SELECT to_char(month, 'YYYY-MM'), earnings::text, excluded_days, "
	            "insured_earnings::text FROM opening_balance_months WHERE tenant_id = $1 AND "
	            "employee_id = $2 ORDER BY month",
	            tenant, emp);
	if (m == NULL)
		return NULL;
	o = json_object_new_object();
	jsonx_set_int(o, "employee_id", employee);
	jsonx_set_str(o, "as_of", PQgetvalue(h, 0, 0));
	/* a number as the PUT takes it: 40, 12.5 (not the column's 40.00) */
	json_object_object_add(o, "vacation_days_used", jsonx_new_decimal(PQgetvalue(h, 0, 1)));
	months = json_object_new_array();
	for (int i = 0; i < PQntuples(m); i++) {
		json_object *x = json_object_new_object();
		jsonx_set_str(x, "month", PQgetvalue(m, i, 0));
		jsonx_set_str(x, "earnings", payrun_money(ctx, PQgetvalue(m, i, 1), NULL));
		jsonx_set_int(x, "excluded_days", atoi(PQgetvalue(m, i, 2)));
		/* only where given: a balance without it keeps its shape */
		if (!PQgetisnull(m, i, 3))
			jsonx_set_str(x, "insured_earnings",
			              payrun_money(ctx, PQgetvalue(m, i, 3), NULL));
		json_object_array_add(months, x);
	}
	json_object_object_add(o, "months", months);
	if (PQgetisnull(h, 0, 2)) {
		json_object_object_add(o, "ndfl", NULL);
	} else {
		json_object *n = json_object_new_object();
		jsonx_set_int(n, "year", atoi(PQgetvalue(h, 0, 2)));
		jsonx_set_str(n, "income", payrun_money(ctx, PQgetvalue(h, 0, 3), NULL));
		jsonx_set_str(n, "deductions", payrun_money(ctx, PQgetvalue(h, 0, 4), NULL));
		jsonx_set_str(n, "tax", payrun_money(ctx, PQgetvalue(h, 0, 5), NULL));
		json_object_object_add(o, "ndfl", n);
	}
	return arena_own(ctx->arena, o);
}

static int openbal_cmp_month(const void *x, const void *y)
{
	const struct openbal_month *a = x, *b = y;

	return (a->year * 12 + a->month) - (b->year * 12 + b->month);
}

/* The stored balance of employee into *b (months by date). 1 found, 0 none,
 * -1 error. */
static int openbal_load(struct ctx *ctx, int64_t employee, struct openbal *b)
{
	const char *tenant = ctx_i64(ctx, ctx->tenant_id), *emp = ctx_i64(ctx, employee);
	PGresult *h = ctx_sql(
	             ctx,
	             "SELECT as_of, vacation_days_used::text, ndfl_year, ndfl_income::text, "
	             "ndfl_deductions::text, ndfl_tax::text FROM opening_balances "
	             "WHERE tenant_id = $1 AND employee_id = $2",
	             tenant, emp),
	         *m;

	memset(b, 0, sizeof(*b));
	if (h == NULL)
		return -1;
	if (PQntuples(h) == 0)
		return 0;
	m = ctx_sql(
	    ctx,
	    "SELECT extract(year FROM month)::int, extract(month FROM month)::int, "
	    "earnings::text, excluded_days, insured_earnings::text FROM opening_balance_months "
	    "WHERE tenant_id = $1 "
	    "AND employee_id = $2 ORDER BY month",
	    tenant, emp);
	if (m == NULL)
		return -1;
	b->as_of = worktime_pg_date(h, 0, 0);
	hours_parse(PQgetvalue(h, 0, 1), &b->days_used);
	b->has_ndfl = !PQgetisnull(h, 0, 2);
	if (b->has_ndfl) {
		b->ndfl_year = atoi(PQgetvalue(h, 0, 2));
		money_parse(PQgetvalue(h, 0, 3), 0, &b->ndfl_income);
		money_parse(PQgetvalue(h, 0, 4), 0, &b->ndfl_deductions);
		money_parse(PQgetvalue(h, 0, 5), 0, &b->ndfl_tax);
	}
	for (int i = 0; i < PQntuples(m) && i < OPENBAL_MAX_MONTHS; i++) {
		struct openbal_month *x = &b->months[b->nmonths++];
		x->year = atoi(PQgetvalue(m, i, 0));
		x->month = atoi(PQgetvalue(m, i, 1));
		money_parse(PQgetvalue(m, i, 2), 0, &x->earnings);
		x->excluded_days = atoi(PQgetvalue(m, i, 3));
		x->has_insured = !PQgetisnull(m, i, 4);
		if (x->has_insured)
			money_parse(PQgetvalue(m, i, 4), 0, &x->insured);
	}
	return 1;
}

/* The first month a balance moves (its earliest month, or as_of's). */
static int openbal_first_date(const struct openbal *b)
{
	int first = b->as_of;

	for (int i = 0; i < b->nmonths; i++)
		if (date_month_first(b->months[i].year, b->months[i].month) < first)
			first = date_month_first(b->months[i].year, b->months[i].month);
	return first;
}

/* Stores b for employee (replacing). *changed: 0 when equal to what was
 * stored (nothing written), 1 updated, 2 created. The caller checked that
 * no closed month is moved. 0 or -1. */
static int openbal_store(struct ctx *ctx, int64_t employee, struct openbal *b, int *changed)
{
	const char *tenant = ctx_i64(ctx, ctx->tenant_id), *emp = ctx_i64(ctx, employee);
	struct buf mm = BUF_INIT, ee = BUF_INIT, xx = BUF_INIT, ii = BUF_INIT;
	char days[HOURS_BUFSZ], m[DATE_MONTH_BUFSZ], money[MONEY_BUFSZ];
	char inc[MONEY_BUFSZ], ded[MONEY_BUFSZ], tax[MONEY_BUFSZ];
	struct openbal *old = arena_alloc(ctx->arena, sizeof(*old));
	int found, rc = -1;

	qsort(b->months, (size_t)b->nmonths, sizeof(b->months[0]), openbal_cmp_month);
	found = openbal_load(ctx, employee, old);
	if (found < 0)
		return -1;
	if (found && old->as_of == b->as_of && old->days_used == b->days_used &&
	    old->has_ndfl == b->has_ndfl &&
	    (!b->has_ndfl ||
	     (old->ndfl_year == b->ndfl_year && old->ndfl_income == b->ndfl_income &&
	      old->ndfl_deductions == b->ndfl_deductions && old->ndfl_tax == b->ndfl_tax)) &&
	    old->nmonths == b->nmonths &&
	    memcmp(old->months, b->months, sizeof(b->months[0]) * (size_t)b->nmonths) == 0) {
		*changed = 0;
		return 0; /* the same balance again changes nothing */
	}
	hours_format(b->days_used, days);
	money_format(b->ndfl_income, inc);
	money_format(b->ndfl_deductions, ded);
	money_format(b->ndfl_tax, tax);
	buf_putc(&mm, '{');
	buf_putc(&ee, '{');
	buf_putc(&xx, '{');
	buf_putc(&ii, '{');
	for (int i = 0; i < b->nmonths; i++) {
		date_format_month(b->months[i].year, b->months[i].month, m);
		money_format(b->months[i].earnings, money);
		buf_printf(&mm, "%s%s-01", i ? "," : "", m);
		buf_printf(&ee, "%s%s", i ? "," : "", money);
		buf_printf(&xx, "%s%d", i ? "," : "", b->months[i].excluded_days);
		if (b->months[i].has_insured)
			money_format(b->months[i].insured, money);
		buf_printf(&ii, "%s%s", i ? "," : "", b->months[i].has_insured ? money : "NULL");
	}
	buf_putc(&mm, '}');
	buf_putc(&ee, '}');
	buf_putc(&xx, '}');
	buf_putc(&ii, '}');
	if (ctx_sql(
	        ctx,
	        "INSERT INTO opening_balances (tenant_id, employee_id, as_of, vacation_days_used, "
	        "ndfl_year, ndfl_income, ndfl_deductions, ndfl_tax, updated_by) VALUES ($1, $2, "
	        "$3, $4, $5, $6, $7, $8, $9) ON CONFLICT (tenant_id, employee_id) DO UPDATE SET "
	        "as_of = EXCLUDED.as_of, vacation_days_used = EXCLUDED.vacation_days_used, "
	        "ndfl_year = EXCLUDED.ndfl_year, ndfl_income = EXCLUDED.ndfl_income, "
	        "ndfl_deductions = EXCLUDED.ndfl_deductions, ndfl_tax = EXCLUDED.ndfl_tax, "
	        "updated_at = now(), updated_by = EXCLUDED.updated_by",
	        tenant, emp, worktime_date_iso(ctx, b->as_of), days,
	        b->has_ndfl ? ctx_i64(ctx, b->ndfl_year) : NULL, b->has_ndfl ? inc : NULL,
	        b->has_ndfl ? ded : NULL, b->has_ndfl ? tax : NULL,
	        ctx->user_id ? ctx_i64(ctx, ctx->user_id) : NULL) == NULL ||
	    ctx_sql(ctx,
	            "DELETE FROM opening_balance_months WHERE tenant_id = $1 AND employee_id = $2",
	            tenant, emp) == NULL ||
	    ctx_sql(ctx,
	            "INSERT INTO opening_balance_months (tenant_id, employee_id, month, earnings, "
	            "excluded_days, insured_earnings) SELECT $1, $2, m, e, x, i FROM "
	            "unnest($3::date[], $4::numeric[], $5::smallint[], $6::numeric[]) AS "
	            "u(m, e, x, i)",
	            tenant, emp, arena_strndup(ctx->arena, mm.data, mm.len),
	            arena_strndup(ctx->arena, ee.data, ee.len),
	            arena_strndup(ctx->arena, xx.data, xx.len),
	            arena_strndup(ctx->arena, ii.data, ii.len)) == NULL)
		goto out;
	*changed = found ? 1 : 2;
	rc = audit_log(ctx, "payroll.opening_balance_set", 1, "employee", emp,
	               audit_detail("as_of", worktime_date_iso(ctx, b->as_of)));
out:
	buf_free(&mm);
	buf_free(&ee);
	buf_free(&xx);
	buf_free(&ii);
	return rc;
}

/* GET /api/admin/employees/{id}/opening-balance */
static int openbal_get(struct ctx *ctx)
{
	int64_t id;
	json_object *o;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0 ||
	    worktime_employee_check(ctx, id, 0) < 0)
		return -1;
	o = openbal_json(ctx, id);
	if (o == NULL)
		return ctx->error >= 0 ? -1
		                       : ctx_fail(ctx, PROTO_ERR_not_found,
		                                  "Начальные остатки сотрудника не заданы");
	ctx->result = o;
	return 0;
}

/* PUT /api/admin/employees/{id}/opening-balance */
static int openbal_set(struct ctx *ctx)
{
	struct openbal *b = arena_alloc(ctx->arena, sizeof(*b));
	int64_t id;
	int changed;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	/* the body's keys are the args (the route's {id} among them) */
	json_object *body = arena_own(ctx->arena, json_object_new_object());
	json_object_object_foreach(ctx->args, key, val)
	{
		if (strcmp(key, "id") != 0)
			json_object_object_add(body, key, json_object_get(val));
	}
	if (openbal_parse(ctx, body, "", 0, b) < 0 || worktime_employee_check(ctx, id, 1) < 0 ||
	    openbal_check_employment(ctx, "", id, b) < 0)
		return -1;
	/* a bad value is told at its field; the closed month (423) only for
	 * valid input, or its headline hides the real problem (trial-break3) */
	if (ctx->error_fields && json_object_object_length(ctx->error_fields) > 0)
		return -1;
	/* the balance moves every later month: none of them may be closed */
	if (payrun_check_open_for(ctx, id, openbal_first_date(b),
	                          date_from_ymd(DATE_MAX_YEAR, 12, 31)) < 0 ||
	    openbal_store(ctx, id, b, &changed) < 0)
		return -1;
	ctx->result = openbal_json(ctx, id);
	return ctx->result ? 0 : -1;
}

/* Renames the field errors "items[i].x" to "rows[<row of item i>].x" (the
 * CSV's rows: what a person fixes in the file). */
static void openbal_rename_items(struct ctx *ctx, const int *row_of, size_t n)
{
	json_object *renamed, *codes;

	if (ctx->error_fields == NULL || row_of == NULL)
		return;
	renamed = arena_own(ctx->arena, json_object_new_object());
	codes = arena_own(ctx->arena, json_object_new_object());
	json_object_object_foreach(ctx->error_fields, key, val)
	{
		char *end;
		unsigned long i = strncmp(key, "items[", 6) == 0 ? strtoul(key + 6, &end, 10) : n;
		const char *name = i < n && *end == ']'
		                       ? arena_printf(ctx->arena, "rows[%d]%s", row_of[i], end + 1)
		                       : key;
		json_object_object_add(renamed, name, json_object_get(val));
		json_object *code = jsonx_get(ctx->error_codes, key);
		if (code)
			json_object_object_add(codes, name, json_object_get(code));
	}
	ctx->error_fields = renamed;
	ctx->error_codes = codes;
}

/* Validates and stores a batch of items (the exchange's rules: all or
 * nothing, created/updated/unchanged, logged as route). row_of: the CSV row of
 * each item (errors named by row), or NULL. */
static int openbal_batch(struct ctx *ctx, json_object *items, const char *route, const int *row_of,
                         int64_t started)
{
	struct exchange_counts c = {0};
	int64_t *ids;
	struct openbal *b;
	size_t n;
	int bad = 0;

	if (items == NULL) {
		if (ctx->error < 0)
			ctx_field_code(ctx, "items", "required", "Обязательное поле");
		goto refused;
	}
	if (!json_object_is_type(items, json_type_array) ||
	    (n = json_object_array_length(items)) > EXCHANGE_MAX_ITEMS) {
		ctx_field_code(ctx, "items", "invalid", "Список остатков, не больше %d",
		               EXCHANGE_MAX_ITEMS);
		goto refused;
	}
	b = arena_alloc(ctx->arena, sizeof(*b) * (n ? n : 1));
	ids = arena_alloc(ctx->arena, sizeof(int64_t) * (n ? n : 1));
	for (size_t i = 0; i < n; i++) {
		json_object *it = json_object_array_get_idx(items, i);
		const char *prefix = arena_printf(ctx->arena, "items[%zu].", i);
		const char *ext = jsonx_get_str(it, "employee");
		PGresult *res;

		ids[i] = 0;
		if (!json_object_is_type(it, json_type_object)) {
			bad = ctx_field_code(ctx, arena_printf(ctx->arena, "items[%zu].item", i),
			                     "invalid", "Ожидается объект");
			continue;
		}
		if (openbal_parse(ctx, it, prefix, 1, &b[i]) < 0)
			bad = -1;
		if (ext == NULL || !*ext) {
			bad = openbal_field(ctx, prefix, "employee", "required",
			                    "Внешний код сотрудника");
			continue;
		}
		res = ctx_sql(ctx,
		              "SELECT id FROM employees WHERE tenant_id = $1 AND external_id = $2",
		              ctx_i64(ctx, ctx->tenant_id), ext);
		if (res == NULL)
			return -1;
		if (PQntuples(res) == 0)
			bad = openbal_field(ctx, prefix, "employee", "not_found",
			                    "Нет сотрудника с таким внешним кодом");
		else
			ids[i] = atoll(PQgetvalue(res, 0, 0));
		if (ids[i] && b[i].as_of != 0 &&
		    openbal_check_employment(ctx, prefix, ids[i], &b[i]) < 0)
			bad = -1;
		for (size_t k = 0; k < i; k++)
			if (ids[k] && ids[k] == ids[i])
				bad = openbal_field(ctx, prefix, "employee", "duplicate",
				                    "Сотрудник указан в пакете дважды");
	}
	/* a balance that would move a closed payroll month holding the
	 * employee's results: that item's error (payrun_check_open_for) */
	for (size_t i = 0; bad == 0 && i < n; i++) {
		int closed;

		if (payrun_closed_until_for(ctx, ids[i], &closed) < 0)
			return -1;
		if (closed != DATE_NONE && openbal_first_date(&b[i]) <= closed)
			bad = openbal_field(ctx, arena_printf(ctx->arena, "items[%zu].", i),
			                    "as_of", "locked",
			                    arena_printf(ctx->arena,
			                                 "Остатки меняют закрытый месяц зарплаты "
			                                 "(закрыт по %s): откройте его",
			                                 worktime_date_ru(ctx, closed)));
	}
	if (bad < 0) {
		openbal_rename_items(ctx, row_of, n);
		goto refused;
	}
	for (size_t i = 0; i < n; i++) {
		int changed;

		if (openbal_store(ctx, ids[i], &b[i], &changed) < 0)
			return -1;
		if (changed == 2)
			c.created++;
		else if (changed == 1)
			c.updated++;
		else
			c.unchanged++;
	}
	jsonx_set_int(ctx_result(ctx), "created", c.created);
	jsonx_set_int(ctx_result(ctx), "updated", c.updated);
	jsonx_set_int(ctx_result(ctx), "unchanged", c.unchanged);
	return exchange_log_write(ctx, route, 200, &c, started);
refused:
	if (ctx->error != PROTO_ERR_validation && ctx->error != PROTO_ERR_bad_request)
		return -1;
	/* a refused batch writes nothing but its log row (committed with the 422) */
	return exchange_log_write(ctx, route, ctx->status, &c, started);
}

/* PUT /api/exchange/v1/opening-balances {"items": [{"employee": "<external id>", ...}]} */
static int openbal_exchange(struct ctx *ctx)
{
	int64_t started = monotime_us();

	return openbal_batch(ctx, exchange_body_items(ctx), "opening-balances", NULL, started);
}

/* ---- CSV ---- */

/*
 * POST /api/admin/opening-balances/csv (a file: multipart "file", or a
 * text/csv body): one row per employee and month, a header row naming the
 * columns, "," or ";" between fields (what Excel writes):
 *   employee (external id) or personnel_number, as_of, vacation_days_used,
 *   month, earnings, excluded_days, ndfl_year, ndfl_income, ndfl_deductions,
 *   ndfl_tax, insured_earnings (optional: the month's earnings for sick pay,
 *   an empty cell is the earnings)
 * An employee's rows repeat their balance's columns (or leave them empty
 * after the first); each row with a month adds that month. Stored as the
 * exchange's batch (all or nothing, created/updated/unchanged); errors are
 * named rows[N].column, N the employee's first row of the file (the header
 * is row 1: N is the line the row starts on; months[k] is the employee's
 * k-th row with a month). The file is read as the employees' import reads
 * one (csvread.h: UTF-8 or Windows-1251, ';' or ',', quotes as RFC 4180 by
 * libcsv).
 */
#define OPENBAL_CSV_COLUMNS 12

static const char *const openbal_csv_names[OPENBAL_CSV_COLUMNS] = {
    "employee",    "personnel_number", "as_of",         "vacation_days_used",
    "month",       "earnings",         "excluded_days", "ndfl_year",
    "ndfl_income", "ndfl_deductions",  "ndfl_tax",      "insured_earnings"};

/* Cell k (a column of openbal_csv_names) of row r, NULL when the column is
 * absent or the cell empty (spaces at both ends dropped). */
static const char *openbal_csv_cell(struct ctx *ctx, const struct csvread_table *t, int r,
                                    const int *col, int k)
{
	const char *v;

	if (col[k] < 0 || col[k] >= t->widths[r])
		return NULL;
	v = csvread_clean(ctx->arena, t->rows[r][col[k]]);
	return *v ? v : NULL;
}

/* An integer cell as a JSON int, or the text (the validation names it). */
static json_object *openbal_csv_int(const char *v)
{
	char *end;
	long long n = strtoll(v, &end, 10);

	return *end == '\0' && end != v ? json_object_new_int64(n) : json_object_new_string(v);
}

static int openbal_csv(struct ctx *ctx)
{
	int64_t started = monotime_us();
	const char *text = (const char *)ctx->blob, *why;
	size_t len = ctx->blob_len;
	json_object *items = arena_own(ctx->arena, json_object_new_array()), *byemp;
	struct csvread_table t;
	int col[OPENBAL_CSV_COLUMNS], *row_of, bad = 0, line;

	if (text == NULL && (text = jsonx_get_str(ctx->args, "csv")) != NULL)
		len = strlen(text);
	if (text == NULL || len == 0)
		return ctx_field_code(
		    ctx, "file", "required",
		    "Приложите файл CSV (столбцы: employee, as_of, "
		    "vacation_days_used, month, earnings, excluded_days, ndfl_year, "
		    "ndfl_income, ndfl_deductions, ndfl_tax, insured_earnings)");
	/* the employees' import's reader (csvread.h): encoding, delimiter, libcsv */
	if (csvread_parse(ctx->arena, text, len, &t, &line, &why) < 0) {
		char low[256];
		why = ru_after_colon(why, low, sizeof(low));
		return line > 0
		           ? ctx_field_code(ctx, "file", "csv",
		                            "Файл не разбирается как CSV: строка %d: %s", line, why)
		           : ctx_field_code(ctx, "file", "csv", "Файл не разбирается как CSV: %s",
		                            why);
	}
	if (t.nrows < 1)
		return ctx_field_code(ctx, "file", "csv", "В файле нет строк после заголовка");
	for (int k = 0; k < OPENBAL_CSV_COLUMNS; k++) {
		col[k] = -1;
		for (int i = 0; i < t.ncols; i++)
			if (strcmp(t.header[i], openbal_csv_names[k]) == 0)
				col[k] = i;
	}
	for (int i = 0; i < t.ncols; i++) {
		int known = 0;

		for (int k = 0; k < OPENBAL_CSV_COLUMNS; k++)
			known |= strcmp(t.header[i], openbal_csv_names[k]) == 0;
		if (!known)
			bad = ctx_field_code(
			    ctx, arena_printf(ctx->arena, "rows[1].%s", t.header[i]), "unknown",
			    "Неизвестный столбец: допустимы employee, personnel_number, "
			    "as_of, vacation_days_used, month, earnings, excluded_days, "
			    "ndfl_year, ndfl_income, ndfl_deductions, ndfl_tax, "
			    "insured_earnings");
	}
	if ((col[0] < 0) == (col[1] < 0))
		bad = ctx_field_code(ctx, "rows[1]", "required",
		                     "Нужен столбец employee (внешний код) или personnel_number "
		                     "(табельный номер), один из них");
	if (bad < 0)
		return -1;
	byemp = arena_own(ctx->arena, json_object_new_object());
	row_of = arena_alloc(ctx->arena, sizeof(int) * (size_t)t.nrows);
	for (int r = 0; r < t.nrows; r++) {
		json_object *it;
		const char *who = openbal_csv_cell(ctx, &t, r, col, col[0] >= 0 ? 0 : 1), *ext,
		           *cell;

		line = t.lines[r]; /* rows with every cell empty are skipped by csvread */
		if (who == NULL) {
			bad = ctx_field_code(ctx,
			                     arena_printf(ctx->arena, "rows[%d].%s", line,
			                                  openbal_csv_names[col[0] >= 0 ? 0 : 1]),
			                     "required", "Кто: внешний код или табельный номер");
			continue;
		}
		ext = who;
		if (col[0] < 0) {
			PGresult *res =
			    ctx_sql(ctx,
			            "SELECT external_id FROM employees WHERE tenant_id = $1 "
			            "AND personnel_number = $2",
			            ctx_i64(ctx, ctx->tenant_id), who);
			if (res == NULL)
				return -1;
			if (PQntuples(res) == 0) {
				bad = ctx_field_code(
				    ctx,
				    arena_printf(ctx->arena, "rows[%d].personnel_number", line),
				    "not_found", "Нет сотрудника с таким табельным номером");
				continue;
			}
			ext = arena_strdup(ctx->arena, PQgetvalue(res, 0, 0));
		}
		it = jsonx_get(byemp, ext);
		if (it == NULL) {
			it = json_object_new_object();
			jsonx_set_str(it, "employee", ext);
			row_of[json_object_array_length(items)] = line;
			json_object_array_add(items, it);
			json_object_object_add(byemp, ext, json_object_get(it));
		}
		/* the balance's columns: from the employee's first row that has them */
		if ((cell = openbal_csv_cell(ctx, &t, r, col, 2)) && !jsonx_get(it, "as_of"))
			jsonx_set_str(it, "as_of", cell);
		if ((cell = openbal_csv_cell(ctx, &t, r, col, 3)) &&
		    !jsonx_get(it, "vacation_days_used"))
			jsonx_set_str(it, "vacation_days_used", cell);
		if ((cell = openbal_csv_cell(ctx, &t, r, col, 7)) && !jsonx_get(it, "ndfl")) {
			json_object *n = json_object_new_object();
			const char *inc = openbal_csv_cell(ctx, &t, r, col, 8),
			           *ded = openbal_csv_cell(ctx, &t, r, col, 9),
			           *tax = openbal_csv_cell(ctx, &t, r, col, 10);
			json_object_object_add(n, "year", openbal_csv_int(cell));
			jsonx_set_str(n, "income", inc ? inc : "");
			jsonx_set_str(n, "deductions", ded ? ded : "0");
			jsonx_set_str(n, "tax", tax ? tax : "");
			json_object_object_add(it, "ndfl", n);
		}
		if ((cell = openbal_csv_cell(ctx, &t, r, col, 4)) != NULL) {
			json_object *m = json_object_new_object(),
			            *months = jsonx_get(it, "months");
			const char *ex = openbal_csv_cell(ctx, &t, r, col, 6),
			           *earn = openbal_csv_cell(ctx, &t, r, col, 5),
			           *ins = openbal_csv_cell(ctx, &t, r, col, 11);

			if (months == NULL) {
				months = json_object_new_array();
				json_object_object_add(it, "months", months);
			}
			jsonx_set_str(m, "month", cell);
			jsonx_set_str(m, "earnings", earn ? earn : "");
			json_object_object_add(m, "excluded_days", openbal_csv_int(ex ? ex : "0"));
			if (ins)
				jsonx_set_str(m, "insured_earnings", ins);
			json_object_array_add(months, m);
		}
	}
	if (bad < 0)
		return -1;
	return openbal_batch(ctx, items, "csv-opening-balances", row_of, started);
}

/* ------------------------------------------------------------ admin page */

/* The form's i-th value of the list field name ("earnings[]"), "" when
 * there is none. */
static const char *openbal_form_item(json_object *args, const char *name, size_t i)
{
	json_object *a = jsonx_get(args, name);

	if (a == NULL || !json_object_is_type(a, json_type_array) ||
	    i >= json_object_array_length(a))
		return "";
	return json_object_get_string(json_object_array_get_idx(a, i));
}

/* The rows of the form's table (month[], earnings[], excluded_days[]): the
 * number of rows sent, at most OPENBAL_MAX_MONTHS. */
static size_t openbal_form_rows(json_object *args)
{
	size_t n = 0;
	const char *names[] = {"month", "earnings", "excluded_days", "insured_earnings"};

	for (size_t k = 0; k < 4; k++) {
		json_object *a = jsonx_get(args, names[k]);
		if (a && json_object_is_type(a, json_type_array) && json_object_array_length(a) > n)
			n = json_object_array_length(a);
	}
	return n < OPENBAL_MAX_MONTHS ? n : OPENBAL_MAX_MONTHS;
}

/* "60000.50" as the page shows it in an input: "60 000,50" (no-break
 * spaces, which money_parse_input reads back). */
static const char *openbal_money_ru(struct ctx *ctx, const char *text)
{
	char b[MONEY_RU_BUFSZ];
	int64_t v;

	if (text == NULL || money_parse(text, 0, &v) < 0)
		return text;
	money_format_ru_bare(v, b);
	return arena_strdup(ctx->arena, b);
}

/* The stored balance as the page's inputs show it ("shown"): the date
 * 28.02.2025, the days 12,5, money 115 000,50 - as people type them, each
 * read back by the form (decimal comma or point). */
static int openbal_page_shown(struct ctx *ctx, json_object *stored, json_object *r)
{
	json_object *o = json_object_new_object(), *n = jsonx_get(stored, "ndfl");
	int as_of;
	int32_t days = 0;

	json_object_object_add(r, "shown", o);
	if (date_parse(jsonx_get_str(stored, "as_of"), &as_of) == 0)
		jsonx_set_str(o, "as_of", worktime_date_ru(ctx, as_of));
	if (hours_parse(json_object_get_string(jsonx_get(stored, "vacation_days_used")), &days) ==
	    0)
		jsonx_set_str(o, "vacation_days_used", worktime_hours_ru(ctx, days));
	if (n && !json_object_is_type(n, json_type_null)) {
		jsonx_set_str(o, "ndfl_year", json_object_get_string(jsonx_get(n, "year")));
		jsonx_set_str(o, "ndfl_income", openbal_money_ru(ctx, jsonx_get_str(n, "income")));
		jsonx_set_str(o, "ndfl_deductions",
		              openbal_money_ru(ctx, jsonx_get_str(n, "deductions")));
		jsonx_set_str(o, "ndfl_tax", openbal_money_ru(ctx, jsonx_get_str(n, "tax")));
	}
	return 0;
}

/* GET /admin/employees/{id}/opening-balance: the employee, the stored
 * balance (or none yet) and the rows of the months' table to show — what
 * was typed (a form sent back with errors), else the stored months, padded
 * with empty rows to 12, or to 24 when 12 or more are used. A row the post
 * refused carries its messages (error_month, error_earnings,
 * error_excluded_days) from the "_errors" the admin pages pass. */
static int openbal_page(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx), *rows = json_object_new_array(), *stored, *months;
	json_object *errors = jsonx_get_obj(ctx->args, "_errors");
	int64_t id;
	size_t n, shown;
	PGresult *res;

	json_object_object_add(r, "rows", rows);
	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0 ||
	    worktime_employee_check(ctx, id, 0) < 0)
		return -1;
	res = ctx_sql(ctx, "SELECT full_name FROM employees WHERE tenant_id = $1 AND id = $2",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	if (res == NULL || PQntuples(res) == 0)
		return res ? ctx_fail(ctx, PROTO_ERR_not_found, NULL) : -1;
	jsonx_set_int(r, "employee_id", id);
	jsonx_set_str(r, "full_name", PQgetvalue(res, 0, 0));
	stored = openbal_json(ctx, id);
	if (stored == NULL && ctx->error >= 0)
		return -1;
	json_object_object_add(r, "balance", stored ? json_object_get(stored) : NULL);
	if (stored && openbal_page_shown(ctx, stored, r) < 0)
		return -1;
	months = stored ? jsonx_get(stored, "months") : NULL;
	n = openbal_form_rows(ctx->args);
	shown = n ? n : months ? json_object_array_length(months) : 0;
	/* 12 rows; all 24 once 12 are used (averages of sick pay: two years) */
	for (size_t i = 0; i < (shown < 12 ? 12 : OPENBAL_MAX_MONTHS); i++) {
		json_object *row = json_object_new_object(), *m = NULL;
		jsonx_set_int(row, "n", (int64_t)i + 1);
		/* the refused post's messages at their row's inputs (admin.c) */
		for (size_t c = 0; c < 4; c++) {
			static const char *const cols[] = {"month", "earnings", "excluded_days",
			                                   "insured_earnings"};
			const char *msg = jsonx_get_str(
			    errors, arena_printf(ctx->arena, "months[%zu].%s", i, cols[c]));
			if (msg)
				jsonx_set_str(row, arena_printf(ctx->arena, "error_%s", cols[c]),
				              msg);
		}
		if (n) {
			jsonx_set_str(row, "month", openbal_form_item(ctx->args, "month", i));
			jsonx_set_str(row, "earnings", openbal_form_item(ctx->args, "earnings", i));
			jsonx_set_str(row, "excluded_days",
			              openbal_form_item(ctx->args, "excluded_days", i));
			jsonx_set_str(row, "insured_earnings",
			              openbal_form_item(ctx->args, "insured_earnings", i));
		} else if (months && i < json_object_array_length(months)) {
			m = json_object_array_get_idx(months, i);
			jsonx_set_str(row, "month", jsonx_get_str(m, "month"));
			jsonx_set_str(row, "earnings",
			              openbal_money_ru(ctx, jsonx_get_str(m, "earnings")));
			jsonx_set_str(row, "excluded_days",
			              json_object_get_string(jsonx_get(m, "excluded_days")));
			if (jsonx_get_str(m, "insured_earnings"))
				jsonx_set_str(
				    row, "insured_earnings",
				    openbal_money_ru(ctx, jsonx_get_str(m, "insured_earnings")));
		}
		json_object_array_add(rows, row);
	}
	return 0;
}

/* POST /admin/employees/{id}/opening-balance: the page's form (flat fields:
 * as_of, vacation_days_used, the table's month[]/earnings[]/excluded_days[]/
 * insured_earnings[],
 * ndfl_year/ndfl_income/ndfl_deductions/ndfl_tax) as the body of
 * opening_balance.set, the one mechanism of the API. Empty rows are left
 * out, an empty excluded_days is 0, the НДФЛ is sent when any of its fields
 * is filled. A row's errors ("months[2].earnings", the third non-empty row)
 * come back named by the page's row ("months[4].earnings" for the fifth row
 * of the table), which the page (openbal_page, from "_errors") puts at that
 * row's input; an error of a whole row names it in one message at the
 * table, "months". */
static int openbal_form(struct ctx *ctx)
{
	json_object *body = json_object_new_object(), *months = json_object_new_array(), *out;
	const char *ndfl_names[] = {"year", "income", "deductions", "tax"};
	int64_t id;
	int any_ndfl = 0, rc;
	int row_of[OPENBAL_MAX_MONTHS];
	size_t n = openbal_form_rows(ctx->args), k = 0;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0) {
		json_object_put(body);
		json_object_put(months);
		return -1;
	}
	jsonx_set_int(body, "id", id);
	if (jsonx_get(ctx->args, "as_of"))
		json_object_object_add(body, "as_of",
		                       json_object_get(jsonx_get(ctx->args, "as_of")));
	if (jsonx_get(ctx->args, "vacation_days_used"))
		json_object_object_add(body, "vacation_days_used",
		                       json_object_get(jsonx_get(ctx->args, "vacation_days_used")));
	for (size_t i = 0; i < n; i++) {
		const char *m = openbal_form_item(ctx->args, "month", i),
		           *e = openbal_form_item(ctx->args, "earnings", i),
		           *x = openbal_form_item(ctx->args, "excluded_days", i),
		           *ins = openbal_form_item(ctx->args, "insured_earnings", i);
		json_object *row;
		if (!*m && !*e && !*x && !*ins)
			continue;
		row = json_object_new_object();
		jsonx_set_str(row, "month", m);
		jsonx_set_str(row, "earnings", e);
		jsonx_set_str(row, "excluded_days", *x ? x : "0");
		if (*ins) /* empty: the same as the earnings */
			jsonx_set_str(row, "insured_earnings", ins);
		json_object_array_add(months, row);
		row_of[k++] = (int)i + 1;
	}
	json_object_object_add(body, "months", months);
	for (size_t i = 0; i < 4; i++) {
		const char *v =
		    jsonx_get_str(ctx->args, arena_printf(ctx->arena, "ndfl_%s", ndfl_names[i]));
		any_ndfl |= v && *v;
	}
	if (any_ndfl) {
		json_object *nd = json_object_new_object();
		for (size_t i = 0; i < 4; i++)
			jsonx_set_str(nd, ndfl_names[i],
			              jsonx_get_str(ctx->args, arena_printf(ctx->arena, "ndfl_%s",
			                                                    ndfl_names[i])));
		json_object_object_add(body, "ndfl", nd);
	}
	rc = ctx_call(ctx, "opening_balance.set", body, &out);
	if (rc < 0 && ctx->error_fields) {
		/* the table's rows and the НДФЛ block as the page's fields */
		json_object *renamed = arena_own(ctx->arena, json_object_new_object()),
		            *codes = arena_own(ctx->arena, json_object_new_object());
		struct buf rows = BUF_INIT;
		json_object_object_foreach(ctx->error_fields, key, val)
		{
			char *end;
			unsigned long i = strncmp(key, "months[", 7) == 0
			                      ? strtoul(key + 7, &end, 10)
			                      : OPENBAL_MAX_MONTHS;
			if (i < k && *end == ']' && end[1] == '.') {
				/* at the page's row: months[<its row - 1>].<column> */
				const char *name = arena_printf(ctx->arena, "months[%d].%s",
				                                row_of[i] - 1, end + 2);
				json_object *code = jsonx_get(ctx->error_codes, key);
				json_object_object_add(renamed, name, json_object_get(val));
				if (code)
					json_object_object_add(codes, name, json_object_get(code));
			} else if (i < k && *end == ']') {
				buf_printf(&rows, "%sстрока %d: %s", rows.len ? "; " : "",
				           row_of[i], json_object_get_string(val));
			} else {
				const char *name =
				    strncmp(key, "ndfl.", 5) == 0
				        ? arena_printf(ctx->arena, "ndfl_%s", key + 5)
				        : key;
				json_object *code = jsonx_get(ctx->error_codes, key);
				json_object_object_add(renamed, name, json_object_get(val));
				if (code)
					json_object_object_add(codes, name, json_object_get(code));
			}
		}
		if (rows.len) {
			json_object_object_add(
			    renamed, "months",
			    json_object_new_string_len(rows.data, (int)rows.len));
			jsonx_set_str(codes, "months", "invalid");
		}
		buf_free(&rows);
		ctx->error_fields = renamed;
		ctx->error_codes = codes;
	}
	if (rc < 0)
		return -1;
	ctx->result = out;
	return 0;
}

#define OPENBAL_MISSING_NAMES 10 /* people listed by name, then «и ещё N» */

int openbal_missing(struct ctx *ctx, int year, int month, json_object *o)
{
	char first[DATE_BUFSZ], first_ru[DATE_BUFSZ];
	const char *lacks, *title, *names = "";
	json_object *m, *people;
	long long n;
	PGresult *res;

	date_format(date_month_first(year, month), first);
	date_format_ru(date_month_first(year, month), first_ru);
	res = ctx_sql(
	    ctx,
	    "SELECT e.id, e.full_name, count(*) OVER () FROM employees e WHERE "
	    "e.tenant_id = $1 AND (e.dismissed IS NULL OR e.dismissed >= $2::date) "
	    "AND " PAYRUN_NO_OPENBAL_SQL("$2::date") " ORDER BY e.search_name, e.full_name, e.id "
	                                             "LIMIT $3",
	    ctx_i64(ctx, ctx->tenant_id), first, ctx_i64(ctx, OPENBAL_MISSING_NAMES));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	n = atoll(PQgetvalue(res, 0, 2));
	m = json_object_new_object();
	json_object_object_add(o, "openbal_missing", m);
	people = json_object_new_array();
	json_object_object_add(m, "people", people);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *p = json_object_new_object();
		jsonx_set_str(p, "full_name", PQgetvalue(res, i, 1));
		jsonx_set_str(p, "href",
		              arena_printf(ctx->arena, "/admin/employees/%s/opening-balance",
		                           PQgetvalue(res, i, 0)));
		json_object_array_add(people, p);
		names =
		    arena_printf(ctx->arena, "%s%s%s", names, i ? ", " : "", PQgetvalue(res, i, 1));
	}
	if (n > PQntuples(res)) {
		jsonx_set_int(m, "more", n - PQntuples(res));
		names = arena_printf(ctx->arena, "%s и ещё %lld", names, n - PQntuples(res));
	}
	/* January starts the НДФЛ year: nothing of it is before the month */
	lacks = month == 1 ? "заработка прежних месяцев и использованных дней отпуска"
	                   : "доходов и НДФЛ с 1 января, заработка прежних месяцев и "
	                     "использованных дней отпуска";
	title = ru_plural(n, "сотрудник без входящих остатков", "сотрудника без входящих остатков",
	                  "сотрудников без входящих остатков");
	jsonx_set_int(m, "count", n);
	jsonx_set_str(m, "title", arena_printf(ctx->arena, "%lld %s", n, title));
	jsonx_set_str(
	    m, "text_ru",
	    arena_printf(ctx->arena,
	                 "Приняты до %s, а сервис не знает их %s. Без входящих остатков "
	                 "НДФЛ посчитается без прежних доходов года, а вычеты на детей — "
	                 "только с месяца, с которого сервис считает зарплату; отпускные и "
	                 "больничные — по окладу и графику, остаток отпуска — без "
	                 "использованных дней. Внесите остатки до расчёта: на странице "
	                 "сотрудника (ссылки ниже) или из учётной системы через обмен.",
	                 first_ru, lacks));
	jsonx_set_str(m, "close_ru",
	              arena_printf(ctx->arena,
	                           "Без входящих остатков %lld %s: %s — их НДФЛ, отпускные и "
	                           "больничные посчитаны без данных прежних месяцев.",
	                           n, ru_plural(n, "сотрудник", "сотрудника", "сотрудников"),
	                           names));
	return 0;
}

static const struct op_arg openbal_get_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
/* the body of PUT .../opening-balance; openbal_parse() checks what depends
 * on more than one field (a month after as_of, twice, the days of that
 * month; the year of ndfl) and an exchange item's fields */
static const struct op_arg openbal_month_fields[] = {
    ARG_ROW_MONTH("month", ARG_REQUIRED),
    {"earnings", ARG_MONEY, ARG_REQUIRED, .min = 0, .max = MONEY_MAX, .hint = OPENBAL_MONEY_MSG},
    {"excluded_days", ARG_INT, ARG_REQUIRED, .min = 0, .max = 31,
     .hint = "Исключаемые дни месяца: целое число от 0 до числа дней месяца"},
    {"insured_earnings", ARG_MONEY, 0, .min = 0, .max = MONEY_MAX, .hint = openbal_insured_msg},
    ARG_END,
};
static const struct op_arg openbal_ndfl_fields[] = {
    {"year", ARG_INT, ARG_REQUIRED, .min = DATE_MIN_YEAR, .max = DATE_MAX_YEAR,
     .hint = "Год, например 2025"},
    {"income", ARG_MONEY, ARG_REQUIRED, .min = 0, .max = MONEY_MAX, .hint = OPENBAL_MONEY_MSG},
    {"deductions", ARG_MONEY, ARG_REQUIRED, .min = 0, .max = MONEY_MAX, .hint = OPENBAL_MONEY_MSG},
    {"tax", ARG_MONEY, ARG_REQUIRED, .min = 0, .max = MONEY_MAX, .hint = OPENBAL_MONEY_MSG},
    ARG_END,
};
static const struct op_arg openbal_set_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_ROW_DATE("as_of", ARG_REQUIRED),
    {"vacation_days_used", ARG_HOURS, 0, .max = 100000,
     .hint = "Использованные дни отпуска: число от 0 до 1000, не больше двух знаков после "
             "запятой"},
    {"months", ARG_ARRAY, 0, .min = 0, .max = OPENBAL_MAX_MONTHS, .items = openbal_month_fields,
     .example = "[{\"month\": \"2024-12\", \"earnings\": \"60000.00\", \"excluded_days\": 0}]",
     .hint = "Месяцы: список до 24 месяцев {month, earnings, excluded_days, "
             "insured_earnings?}"},
    {"ndfl", ARG_OBJECT, 0, .items = openbal_ndfl_fields,
     .example = "{\"year\": 2025, \"income\": \"120000.00\", \"deductions\": \"0.00\", "
                "\"tax\": \"15600.00\"}"},
    ARG_END,
};
static const struct op_arg openbal_batch_args[] = {
    {"items", ARG_ARRAY, 0, .min = 0, .max = EXCHANGE_MAX_ITEMS},
    ARG_END,
};
/* the file is the request's raw body; "csv": its text (cabinetctl call) */
static const struct op_arg openbal_csv_args[] = {
    {"csv", ARG_STR, ARG_MULTILINE, .max = 0},
    ARG_ROW_FILE_NAME,
    ARG_END,
};

const struct op openbal_ops[] = {
    {"opening_balance.get", OP_ADMIN, openbal_get, 0, openbal_get_args},
    {"opening_balance.set", OP_ADMIN, openbal_set, OP_WRITE, openbal_set_args},
    {"exchange.opening_balances", OP_EXCHANGE, openbal_exchange, 0, openbal_batch_args,
     .scope = "payroll", .budget_ms = OP_BUDGET_EXCHANGE},
    {"opening_balance.csv", OP_ADMIN, openbal_csv, OP_WRITE, openbal_csv_args},
    {"opening_balance.page", OP_ADMIN, openbal_page, 0, openbal_get_args},
    {"opening_balance.form", OP_ADMIN, openbal_form, OP_WRITE, openbal_get_args},
    {NULL, 0, NULL, 0, NULL},
};
