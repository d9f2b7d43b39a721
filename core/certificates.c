/*
 * certificates.c - certificates of done requests and applications of
 * vacation and absence requests, as PDF (certificates.h).
 */
#include "certificates.h"

#include "date.h"
#include "jsonx.h"
#include "money.h"
#include "ndfl_pay.h"
#include "ops.h"
#include "org.h"
#include "pdf.h"
#include "requests.h"
#include "ru.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ people */

/* An employee as documents name them: strings in arena memory ("" when
 * not known), dates DATE_NONE when not known. */
struct cert_person {
	const char *full_name, *personnel_number, *position, *department;
	const char *inn, *passport_series, *passport_number;
	int hired, dismissed, birth_date;
};

static int cert_date_col(PGresult *res, int col)
{
	int d;

	return PQgetisnull(res, 0, col) || date_parse(PQgetvalue(res, 0, col), &d) < 0 ? DATE_NONE
	                                                                               : d;
}

static int cert_person_load(struct ctx *ctx, int64_t employee, struct cert_person *p)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT e.full_name, coalesce(e.personnel_number, ''), coalesce(e.position, ''), "
	    "coalesce(d.name, ''), coalesce(e.inn, ''), coalesce(e.passport->>'series', ''), "
	    "coalesce(e.passport->>'number', ''), e.hired, e.dismissed, e.birth_date FROM "
	    "employees e LEFT JOIN departments d ON d.tenant_id = e.tenant_id AND d.id = "
	    "e.department_id WHERE e.tenant_id = $1 AND e.id = $2",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee));

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Сотрудник не найден");
	p->full_name = PQgetvalue(res, 0, 0);
	p->personnel_number = PQgetvalue(res, 0, 1);
	p->position = PQgetvalue(res, 0, 2);
	p->department = PQgetvalue(res, 0, 3);
	p->inn = PQgetvalue(res, 0, 4);
	p->passport_series = PQgetvalue(res, 0, 5);
	p->passport_number = PQgetvalue(res, 0, 6);
	p->hired = cert_date_col(res, 7);
	p->dismissed = cert_date_col(res, 8);
	p->birth_date = cert_date_col(res, 9);
	return 0;
}

/* "Иванов И. И." of "Иванов Иван Иванович" (the surname and the first
 * letters of the other words), in arena memory. */
static const char *cert_initials(struct ctx *ctx, const char *full_name)
{
	const char *p = full_name, *word_end = p + strcspn(p, " ");
	char *out = arena_alloc(ctx->arena, strlen(full_name) + 16);
	size_t n = (size_t)(word_end - p);

	memcpy(out, p, n);
	for (p = word_end; *p;) {
		size_t len;
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		len = (unsigned char)*p < 0x80 ? 1 : (unsigned char)*p < 0xe0 ? 2 : 3;
		if (strlen(p) < len)
			break;
		out[n++] = ' ';
		memcpy(out + n, p, len);
		n += len;
		out[n++] = '.';
		p += strcspn(p, " ");
	}
	out[n] = '\0';
	return out;
}

/* "30 500,00" (no-break spaces) in arena memory. */
static const char *cert_money(struct ctx *ctx, int64_t kopecks)
{
	char b[MONEY_RU_BUFSZ];

	money_format_ru_bare(kopecks, b);
	return arena_strdup(ctx->arena, b);
}

static int64_t cert_money_col(PGresult *res, int row, int col)
{
	int64_t v = 0;

	if (!PQgetisnull(res, row, col))
		money_parse(PQgetvalue(res, row, col), MONEY_ALLOW_NEGATIVE, &v);
	return v;
}

/* The sentence of where a certificate is presented (ru_certificate_purpose):
 * the form's 300 characters and the words around them. */
#define CERT_PURPOSE_MAX 1400

static const char *cert_date(struct ctx *ctx, int date)
{
	char b[DATE_BUFSZ];

	if (date == DATE_NONE)
		return "";
	date_format_ru(date, b);
	return arena_strdup(ctx->arena, b);
}

/* -------------------------------------------------------- the layout */

/* The organization's block at the top of a document. */
static void cert_header(struct ctx *ctx, struct pdf *p, const struct org_info *org)
{
	const char *line = "";

	pdf_text(p, PDF_BOLD, PDF_LEFT, 0, org->name ? org->name : "");
	if (org->inn)
		line = arena_printf(ctx->arena, "ИНН %s", org->inn);
	if (org->kpp)
		line = arena_printf(ctx->arena, "%s%sКПП %s", line, *line ? ", " : "", org->kpp);
	if (org->okpo)
		line = arena_printf(ctx->arena, "%s%sОКПО %s", line, *line ? ", " : "", org->okpo);
	if (*line)
		pdf_text(p, PDF_SMALL, PDF_LEFT, 0, line);
	if (org->address)
		pdf_text(p, PDF_SMALL, PDF_LEFT, 0,
		         arena_printf(ctx->arena, "Адрес: %s", org->address));
	pdf_gap(p, 1);
	pdf_rule(p);
}

/* "Должность ____ И. О. Фамилия" with captions under the lines. */
static void cert_signature(struct ctx *ctx, struct pdf *p, const char *position, const char *name)
{
	static const struct pdf_col cols[] = {{70, PDF_LEFT}, {45, PDF_CENTER}, {55, PDF_RIGHT}};
	const char *line[] = {position && *position ? position : "Руководитель организации",
	                      "____________________",
	                      name && *name ? cert_initials(ctx, name) : ""};
	const char *caption[] = {"(должность)", "(подпись)", "(расшифровка подписи)"};

	pdf_keep(p, 25);
	pdf_gap(p, 8);
	pdf_table(p, cols, 3, line, 1, PDF_NORMAL, 0);
	pdf_table(p, cols, 3, caption, 1, PDF_SMALL, 0);
}

/* A two-column table of what and its value, ruled. */
static void cert_facts(struct pdf *p, const char *const *cells, int rows)
{
	static const struct pdf_col cols[] = {{65, PDF_LEFT}, {105, PDF_LEFT}};

	pdf_table(p, cols, 2, cells, rows, PDF_NORMAL, PDF_TABLE_RULED);
}

/* The same with long names and amounts on the right. */
static void cert_sums(struct pdf *p, const char *const *cells, int rows)
{
	static const struct pdf_col cols[] = {{115, PDF_LEFT}, {55, PDF_RIGHT}};

	pdf_table(p, cols, 2, cells, rows, PDF_NORMAL, PDF_TABLE_RULED);
}

/* ----------------------------------------------------- certificates */

struct cert_doc {
	struct org_info org;
	struct cert_person who;
	const char *signer_name, *signer_position;
	int number, date;
};

/* справка с места работы */
static int cert_employment(struct ctx *ctx, const struct certificate_request *r, struct cert_doc *d,
                           struct pdf *p)
{
	const char *purpose = jsonx_get_str(r->data, "purpose"), *past = NULL;
	int64_t copies = 1;
	const char *cells[16];
	int n = 0, working = d->who.dismissed == DATE_NONE || d->who.dismissed >= d->date;

	jsonx_get_int64(r->data, "copies", &copies);
	pdf_text(p, PDF_TITLE, PDF_CENTER, 0, "СПРАВКА");
	pdf_text(p, PDF_BOLD, PDF_CENTER, 0, "с места работы");
	pdf_gap(p, 4);
	if (d->who.hired == DATE_NONE)
		return ctx_fail(ctx, PROTO_ERR_conflict,
		                "Справку не составить: у сотрудника %s не указана дата приёма",
		                d->who.full_name);
	/* the verb agrees with the person (ru_past); without a patronymic the
	 * period is said as a noun phrase */
	if (!working)
		past = ru_past(d->who.full_name, "работал", "работала");
	pdf_text(p, PDF_NORMAL, PDF_LEFT, 0,
	         working ? arena_printf(ctx->arena,
	                                "Настоящая справка подтверждает, что %s работает в %s с %s "
	                                "по настоящее время.",
	                                d->who.full_name, d->org.name, cert_date(ctx, d->who.hired))
	         : past
	             ? arena_printf(ctx->arena,
	                            "Настоящая справка подтверждает, что %s %s в %s с %s по %s.",
	                            d->who.full_name, past, d->org.name,
	                            cert_date(ctx, d->who.hired), cert_date(ctx, d->who.dismissed))
	             : arena_printf(ctx->arena,
	                            "Настоящая справка подтверждает период работы: %s, %s, с %s "
	                            "по %s.",
	                            d->who.full_name, d->org.name, cert_date(ctx, d->who.hired),
	                            cert_date(ctx, d->who.dismissed)));
	pdf_gap(p, 3);
	cells[n++] = "Фамилия, имя, отчество";
	cells[n++] = d->who.full_name;
	if (*d->who.personnel_number) {
		cells[n++] = "Табельный номер";
		cells[n++] = d->who.personnel_number;
	}
	cells[n++] = "Должность";
	cells[n++] = *d->who.position ? d->who.position : "—";
	cells[n++] = "Подразделение";
	cells[n++] = *d->who.department ? d->who.department : "—";
	cells[n++] = "Дата приёма на работу";
	cells[n++] = cert_date(ctx, d->who.hired);
	if (!working) {
		cells[n++] = "Дата увольнения";
		cells[n++] = cert_date(ctx, d->who.dismissed);
	}
	cert_facts(p, cells, n / 2);
	pdf_gap(p, 3);
	pdf_text(p, PDF_NORMAL, PDF_LEFT, 0,
	         ru_certificate_purpose(purpose, arena_alloc(ctx->arena, CERT_PURPOSE_MAX),
	                                CERT_PURPOSE_MAX));
	if (copies > 1)
		pdf_text(
		    p, PDF_NORMAL, PDF_LEFT, 0,
		    arena_printf(ctx->arena, "Количество экземпляров: %lld.", (long long)copies));
	return 0;
}

/* "12,3" (or "12") of a balance in twelfths of a day: tenths, half up. */
static const char *cert_days(struct ctx *ctx, int64_t twelfths)
{
	int64_t tenths = twelfths >= 0 ? (twelfths * 10 + 6) / 12 : -((-twelfths * 10 + 6) / 12);
	char b[32];

	return arena_strdup(ctx->arena, ru_format_tenths(tenths, b, sizeof b));
}

/* "календарных дня" for a number of days as text ("12,3", "5"). */
static const char *cert_days_word(const char *days)
{
	const char *comma = strchr(days, ',');
	long long tenths = atoll(days) * 10;

	if (comma)
		tenths += (days[0] == '-' ? -1 : 1) * (comma[1] - '0');
	return ru_plural_tenths(tenths, "календарный день", "календарных дня", "календарных дней",
	                        "календарного дня");
}

/* справка об остатке отпуска: the balance as vacation.admin_balance reads it */
static int cert_vacation_balance(struct ctx *ctx, const struct certificate_request *r,
                                 struct cert_doc *d, struct pdf *p)
{
	json_object *args = json_object_new_object(), *out = NULL, *missing;
	const char *date = jsonx_get_str(r->data, "date"), *balance, *shown;
	int64_t months = 0, accrued = 0, used = 0, opening = 0;
	const char *cells[16];
	int n = 0, on;

	jsonx_set_int(args, "id", r->employee);
	if (date)
		jsonx_set_str(args, "date", date);
	if (ctx_call(ctx, "vacation.admin_balance", args, &out) < 0)
		return -1;
	if (out == NULL || (date = jsonx_get_str(out, "date")) == NULL ||
	    date_parse(date, &on) < 0 || (balance = jsonx_get_str(out, "balance_ru")) == NULL)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	jsonx_get_int64(out, "service_months", &months);
	jsonx_get_int64(out, "accrued_twelfths", &accrued);
	jsonx_get_int64(out, "used_days", &used);
	jsonx_get_int64(out, "opening_used_twelfths", &opening);
	shown = strcmp(balance + strcspn(balance, ","), ",0") == 0
	            ? arena_strndup(ctx->arena, balance, strcspn(balance, ","))
	            : balance;
	pdf_text(p, PDF_TITLE, PDF_CENTER, 0, "СПРАВКА");
	pdf_text(p, PDF_BOLD, PDF_CENTER, 0, "об остатке ежегодного оплачиваемого отпуска");
	pdf_gap(p, 4);
	pdf_text(p, PDF_NORMAL, PDF_LEFT, 0,
	         arena_printf(ctx->arena,
	                      "Сотрудник: %s. Остаток ежегодного оплачиваемого отпуска на %s "
	                      "составляет %s %s.",
	                      d->who.full_name, cert_date(ctx, on), shown, cert_days_word(shown)));
	pdf_gap(p, 3);
	cells[n++] = "Фамилия, имя, отчество";
	cells[n++] = d->who.full_name;
	cells[n++] = "Должность, подразделение";
	cells[n++] =
	    arena_printf(ctx->arena, "%s%s%s", d->who.position,
	                 *d->who.position && *d->who.department ? ", " : "", d->who.department);
	cells[n++] = "Дата приёма на работу";
	cells[n++] = cert_date(ctx, d->who.hired);
	cells[n++] = "Стаж, дающий право на отпуск (ст. 121 ТК РФ)";
	cells[n++] = arena_printf(ctx->arena, "%lld %s", (long long)months,
	                          ru_plural(months, "месяц", "месяца", "месяцев"));
	cells[n++] = "Положено за стаж (28 дней в год)";
	cells[n++] = arena_printf(ctx->arena, "%s", cert_days(ctx, accrued));
	cells[n++] = "Использовано";
	cells[n++] = arena_printf(ctx->arena, "%lld", (long long)used);
	if (opening) {
		cells[n++] = "Использовано до начала учёта в сервисе";
		cells[n++] = cert_days(ctx, opening);
	} else if ((missing = jsonx_get_obj(out, "opening_missing")) != NULL) {
		/* not entered: the certificate says so rather than state the
		 * balance as a fact (trial-user4 F6) */
		cells[n++] =
		    arena_printf(ctx->arena, "Использовано до %s (до начала учёта в сервисе)",
		                 jsonx_get_str(missing, "known_from_ru"));
		cells[n++] = "не введено: остаток может быть меньше";
	}
	cells[n++] = arena_printf(ctx->arena, "Остаток на %s", cert_date(ctx, on));
	cells[n++] = balance;
	cert_facts(p, cells, n / 2);
	pdf_gap(p, 2);
	pdf_text(p, PDF_SMALL, PDF_LEFT, 0,
	         "Дни — календарные; нерабочие праздничные дни, пришедшиеся на отпуск, в число "
	         "дней отпуска не включаются (ст. 120 ТК РФ).");
	return 0;
}

/* ----------------------------------------------- справка о доходах */

/* Income codes of the payroll's lines (the ФНС's codes of incomes, order
 * ММВ-7-11/387@): pay for work with its premiums and regional lines 2000,
 * bonuses 2002, vacation pay 2012, compensation for unused vacation 2013,
 * the employer's sick pay 2300, material aid 2760. */
static const struct {
	const char *kind;
	int code;
} cert_income_kinds[] = {
    {"salary", 2000},
    {"overtime", 2000},
    {"holiday_work", 2000},
    {"night", 2000},
    {"district_coefficient", 2000},
    {"northern_allowance", 2000},
    {"bonus", 2002},
    {"vacation_pay", 2012},
    {"vacation_compensation", 2013},
    {"sick_pay", 2300},
    {"material_aid", 2760},
};
static const int cert_income_codes[] = {2000, 2002, 2012, 2013, 2300, 2760, 4800};
#define CERT_NCODES (int)(sizeof(cert_income_codes) / sizeof(cert_income_codes[0]))
#define CERT_AID    5 /* index of 2760 */
#define CERT_OTHER  6 /* 4800: a kind this table does not know */

/* The order in which a payment pays its month's lines, by code index, by
 * the payment's kind (what was paid decides the code): an advance, a salary,
 * a final settlement and a month's unpaid rest pay the pay for work (2000)
 * first, then the bonuses, vacation pay, compensation, sick pay and the
 * rest; a vacation pay payment pays the vacation pay (2012) first. Material
 * aid is last in both (as ndfl_pay.h takes its share). */
static const int cert_fill_pay[CERT_NCODES] = {0, 1, 2, 3, 4, 6, CERT_AID};
static const int cert_fill_vacation[CERT_NCODES] = {2, 0, 1, 3, 4, 6, CERT_AID};

/* What is left to pay of a payroll month's lines, by code index. */
struct cert_left {
	int settles; /* the month's first day */
	int seen;    /* an event of the year has paid some of it */
	int64_t left[CERT_NCODES];
};

/* Takes amount from a month's lines in fill order into income[]; what is
 * beyond the lines goes to 2000. */
static void cert_take(struct cert_left *l, const int *fill, int64_t amount, int64_t *income)
{
	for (int f = 0; f < CERT_NCODES && amount > 0; f++) {
		int k = fill[f];
		int64_t t = l->left[k] < amount ? l->left[k] : amount;
		if (t <= 0)
			continue;
		l->left[k] -= t;
		if (income)
			income[k] += t;
		amount -= t;
	}
	if (amount > 0 && income)
		income[0] += amount;
}

/* The index in cert_income_codes of a line kind's code. */
static int cert_code_index(const char *kind)
{
	for (size_t j = 0; j < sizeof(cert_income_kinds) / sizeof(cert_income_kinds[0]); j++)
		if (strcmp(cert_income_kinds[j].kind, kind) == 0)
			for (int k = 0; k < CERT_NCODES; k++)
				if (cert_income_codes[k] == cert_income_kinds[j].code)
					return k;
	return CERT_OTHER;
}

struct cert_month {
	int month; /* 1..12 */
	int64_t income[CERT_NCODES];
	int64_t aid_free; /* deduction 503 of this month's material aid */
	int64_t deduction;
};

/* «Справка о доходах и суммах налога физического лица» (КНД 1175018)
 * from the closed months of the year's stored payroll. */
static int cert_ndfl(struct ctx *ctx, const struct certificate_request *r, struct cert_doc *d,
                     struct pdf *p)
{
	int64_t year = 0, ob_income = 0, ob_ded = 0, ob_tax = 0;
	int64_t income = 0, computed = 0, withheld = 0, base = 0, children[2][4] = {{0}};
	int64_t uncoded = 0;
	struct cert_month *m;
	const char *ob_as_of = NULL, *stale = NULL, *cells[5 * 96];
	int nm, n, rates[8], nrates, until;
	char until_iso[DATE_BUFSZ];
	PGresult *res, *lines, *kids, *ob, *unpaid;
	struct ndfl_emp *ny;
	struct cert_left *left;
	int nleft;

	jsonx_get_int64(r->data, "year", &year);
	ob =
	    ctx_sql(ctx,
	            "SELECT as_of, ndfl_income::text, ndfl_deductions::text, ndfl_tax::text FROM "
	            "opening_balances WHERE tenant_id = $1 AND employee_id = $2 AND ndfl_year = $3",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, r->employee), ctx_i64(ctx, year));
	if (ob == NULL)
		return -1;
	if (PQntuples(ob) == 1) {
		int as_of;
		ob_as_of =
		    date_parse(PQgetvalue(ob, 0, 0), &as_of) == 0 ? cert_date(ctx, as_of) : "";
		ob_income = cert_money_col(ob, 0, 1);
		ob_ded = cert_money_col(ob, 0, 2);
		ob_tax = cert_money_col(ob, 0, 3);
	}
	/* a stale result of the year would make the certificate wrong */
	res = ctx_sql(
	    ctx,
	    "SELECT extract(month FROM pe.month)::int FROM payroll_employees pe JOIN "
	    "payroll_documents pd ON pd.tenant_id = pe.tenant_id AND pd.id = pe.document_id WHERE "
	    "pe.tenant_id = $1 AND pe.employee_id = $2 AND pd.status = 'closed' AND pe.stale AND "
	    "pe.month >= make_date($3, 1, 1) AND pe.month < make_date($3 + 1, 1, 1) ORDER BY "
	    "pe.month",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, r->employee), ctx_i64(ctx, year));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++)
		stale = arena_printf(ctx->arena, "%s%s%s", stale ? stale : "", stale ? ", " : "",
		                     ru_month_name(atoi(PQgetvalue(res, i, 0))));
	if (stale)
		return ctx_fail(
		    ctx, PROTO_ERR_conflict,
		    "Справку о доходах за %lld год не составить: расчёт зарплаты устарел "
		    "(%s) — пересчитайте эти месяцы",
		    (long long)year, stale);
	/* the year's income by income date (ndfl.h): its payments, and the
	 * rest of its closed months as paid on their last day, up to the
	 * certificate's date: a month closed early and not paid yet (its last
	 * day ahead) is neither income nor withheld tax yet (trial-user 17) */
	until = date_month_last((int)year, 12);
	if (d->date < until)
		until = d->date;
	date_format(until, until_iso);
	{
		struct ndfl_pay_opts o = {.year = (int)year,
		                          .until = until,
		                          .focus = DATE_NONE,
		                          .closed_only = 1};
		int ne;
		if (ndfl_pay_load(ctx, arena_printf(ctx->arena, "{%lld}", (long long)r->employee),
		                  &o, &ny, &ne) < 0)
			return -1;
		ndfl_pay_run(ny);
	}
	/* what is accrued and not paid yet (its income date is the day it is
	 * paid, ndfl_pay.h): the rest of a month with recorded payments, and
	 * of a closed month without them whose last day is after the
	 * certificate's date; not in the sums */
	unpaid = ctx_sql(
	    ctx,
	    "WITH p AS (SELECT month, sum(amount) AS amount, sum(ndfl) AS ndfl FROM "
	    "payroll_payments WHERE tenant_id = $1 AND employee_id = $2 GROUP BY month) SELECT "
	    "extract(month FROM pe.month)::int, (pe.accrued - coalesce(p.amount, 0))::text, "
	    "greatest(pe.ndfl - coalesce(p.ndfl, 0), 0)::text FROM payroll_employees pe JOIN "
	    "payroll_documents d ON d.tenant_id = pe.tenant_id AND d.id = pe.document_id LEFT JOIN "
	    "p ON p.month = pe.month WHERE pe.tenant_id = $1 AND pe.employee_id = $2 AND pe.month "
	    ">= make_date($3, 1, 1) AND pe.month < make_date($3 + 1, 1, 1) AND pe.accrued > "
	    "coalesce(p.amount, 0) AND (p.amount IS NOT NULL OR (d.status = 'closed' AND "
	    "(pe.month + interval '1 month - 1 day')::date > $4::date)) ORDER BY pe.month",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, r->employee), ctx_i64(ctx, year),
	    until_iso);
	if (unpaid == NULL)
		return -1;
	if (ny->nev == 0 && PQntuples(ob) == 0 && PQntuples(unpaid) == 0)
		return ctx_fail(
		    ctx, PROTO_ERR_conflict,
		    "Справку о доходах за %lld год не составить: в этом году нет закрытых "
		    "месяцев расчёта зарплаты сотрудника",
		    (long long)year);
	/* the lines of the months the events pay, by kind */
	lines =
	    ctx_sql(ctx,
	            "SELECT pe.month, l.kind, sum(l.amount)::text FROM payroll_lines l JOIN "
	            "payroll_employees pe ON pe.tenant_id = l.tenant_id AND pe.document_id = "
	            "l.document_id AND pe.employee_id = l.employee_id WHERE l.tenant_id = $1 AND "
	            "l.employee_id = $2 AND pe.month >= make_date($3 - 2, 1, 1) AND pe.month < "
	            "make_date($3 + 1, 1, 1) GROUP BY 1, 2 ORDER BY 1, 2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, r->employee), ctx_i64(ctx, year));
	kids = ndfl_children_rows(ctx, r->employee);
	if (lines == NULL || kids == NULL)
		return -1;
	m = arena_alloc(ctx->arena, sizeof(*m) * 13);
	memset(m, 0, sizeof(*m) * 13);
	/* the months' lines by code (from two years before: a payment of the
	 * year may settle an earlier year's month) */
	left = arena_alloc(ctx->arena, sizeof(*left) * (size_t)(PQntuples(lines) + 1));
	nleft = 0;
	for (int j = 0; j < PQntuples(lines); j++) {
		int lm = DATE_NONE;
		if (date_parse(PQgetvalue(lines, j, 0), &lm) < 0)
			continue;
		if (nleft == 0 || left[nleft - 1].settles != lm) {
			memset(&left[nleft], 0, sizeof(left[nleft]));
			left[nleft++].settles = lm;
		}
		left[nleft - 1].left[cert_code_index(PQgetvalue(lines, j, 1))] +=
		    cert_money_col(lines, j, 2);
	}
	for (int i = 0; i < ny->nev; i++) {
		const struct ndfl_event *e = &ny->ev[i];
		const struct ndfl_src *src = &ny->src[i];
		struct cert_left *l = NULL, none;
		int yy, mm, dd;

		date_to_ymd(e->date, &yy, &mm, &dd);
		for (int j = 0; j < nleft && l == NULL; j++)
			if (left[j].settles == src->settles)
				l = &left[j];
		if (l == NULL) {
			memset(&none, 0, sizeof(none));
			l = &none;
		} else if (!l->seen) {
			/* the first event of its month here: what the month's
			 * earlier payments (of an earlier year, or before the opening
			 * balance) paid is taken as paid in the salary's order */
			cert_take(l, cert_fill_pay, src->pos, NULL);
			l->seen = 1;
		}
		cert_take(
		    l, strcmp(src->kind, "vacation_pay") == 0 ? cert_fill_vacation : cert_fill_pay,
		    e->amount, m[mm].income);
		m[mm].month = mm;
		m[mm].aid_free += e->exempt;
		income += e->amount;
	}
	for (int k = 1; k <= 12; k++) {
		m[k].deduction = ny->y.applied[k];
		if (m[k].deduction &&
		    !ndfl_children_split(kids, (int)year, k, m[k].deduction, children))
			uncoded += m[k].deduction;
	}
	/* tax computed = withheld: each payment's by the rule (the opening
	 * balance's included) */
	computed = withheld = ny->y.tax;
	base = ny->y.base;
	income += ob_income;
	/* the months with income, in order */
	nm = 0;
	for (int k = 1; k <= 12; k++)
		if (m[k].month)
			m[nm++] = m[k];
	nrates = ndfl_rates((int)year, base, rates, 8);

	/* the form */
	pdf_text(p, PDF_SMALL, PDF_RIGHT, 0, "Форма по КНД 1175018");
	pdf_text(p, PDF_TITLE, PDF_CENTER, 0, "Справка о доходах и суммах налога физического лица");
	pdf_text(p, PDF_BOLD, PDF_CENTER, 0,
	         arena_printf(ctx->arena, "за %lld год от %s № %d", (long long)year,
	                      cert_date(ctx, d->date), d->number));
	pdf_gap(p, 3);
	n = 0;
	cells[n++] = "Налоговый агент";
	cells[n++] = d->org.name;
	cells[n++] = "ИНН / КПП";
	cells[n++] = arena_printf(ctx->arena, "%s / %s", d->org.inn ? d->org.inn : "—",
	                          d->org.kpp ? d->org.kpp : "—");
	cert_facts(p, cells, n / 2);
	pdf_gap(p, 3);
	pdf_text(p, PDF_BOLD, PDF_LEFT, 0, "1. Данные о физическом лице — получателе дохода");
	n = 0;
	cells[n++] = "ИНН в Российской Федерации";
	cells[n++] = *d->who.inn ? d->who.inn : "—";
	cells[n++] = "Фамилия, имя, отчество";
	cells[n++] = d->who.full_name;
	cells[n++] = "Статус налогоплательщика";
	cells[n++] = "1 (налоговый резидент Российской Федерации)";
	cells[n++] = "Дата рождения";
	cells[n++] = d->who.birth_date != DATE_NONE ? cert_date(ctx, d->who.birth_date) : "—";
	cells[n++] = "Гражданство (код страны)";
	cells[n++] = "643";
	cells[n++] = "Код вида документа, удостоверяющего личность";
	cells[n++] = *d->who.passport_number ? "21 (паспорт гражданина Российской Федерации)" : "—";
	cells[n++] = "Серия и номер документа";
	cells[n++] =
	    *d->who.passport_number
	        ? arena_printf(ctx->arena, "%s %s", d->who.passport_series, d->who.passport_number)
	        : "—";
	cert_facts(p, cells, n / 2);
	pdf_gap(p, 3);
	pdf_text(p, PDF_BOLD, PDF_LEFT, 0,
	         "2. Общие суммы дохода и налога по итогам налогового периода");
	{
		const char *rate = "";
		for (int i = 0; i < nrates; i++)
			rate = arena_printf(ctx->arena, "%s%s%d", rate, i ? ", " : "", rates[i]);
		n = 0;
		cells[n++] = "Ставка налога, %";
		cells[n++] =
		    nrates > 1 ? arena_printf(ctx->arena, "%s (шкала ст. 224 НК РФ)", rate) : rate;
		cells[n++] = "Общая сумма дохода";
		cells[n++] = cert_money(ctx, income);
		cells[n++] = "Налоговая база";
		cells[n++] = cert_money(ctx, base);
		cells[n++] = "Сумма налога исчисленная";
		cells[n++] = cert_money(ctx, computed);
		cells[n++] = "Сумма налога удержанная";
		cells[n++] = cert_money(ctx, withheld);
		cells[n++] = "Сумма налога, излишне удержанная налоговым агентом";
		cells[n++] = cert_money(ctx, withheld > computed ? withheld - computed : 0);
		cells[n++] = "Сумма налога, не удержанная налоговым агентом";
		cells[n++] = cert_money(ctx, computed > withheld ? computed - withheld : 0);
		cert_sums(p, cells, n / 2);
	}
	res = unpaid;
	for (int i = 0; i < PQntuples(res); i++)
		pdf_text(p, PDF_SMALL, PDF_LEFT, 0,
		         arena_printf(ctx->arena,
		                      "Начислено за %s и ещё не выплачено: %s ₽, НДФЛ с этой "
		                      "суммы "
		                      "%s ₽ будет удержан при выплате (доход войдёт в справку по "
		                      "дню "
		                      "выплаты, ст. 223 НК РФ).",
		                      ru_month_name(atoi(PQgetvalue(res, i, 0))),
		                      cert_money(ctx, cert_money_col(res, i, 1)),
		                      cert_money(ctx, cert_money_col(res, i, 2))));
	pdf_gap(p, 3);
	pdf_text(p, PDF_BOLD, PDF_LEFT, 0,
	         "3. Стандартные, социальные и имущественные налоговые вычеты");
	{
		static const struct pdf_col cols[] = {{40, PDF_CENTER}, {60, PDF_RIGHT}};
		n = 0;
		cells[n++] = "Код вычета";
		cells[n++] = "Сумма вычета";
		for (int s = 0; s < 2; s++)
			for (int k = 0; k < 4; k++)
				if (children[s][k]) {
					cells[n++] =
					    arena_printf(ctx->arena, "%d", ndfl_child_codes[s][k]);
					cells[n++] = cert_money(ctx, children[s][k]);
				}
		if (uncoded) {
			cells[n++] = "на детей (без кода)";
			cells[n++] = cert_money(ctx, uncoded);
		}
		if (ob_ded) {
			cells[n++] = arena_printf(ctx->arena, "по %s (остатки)", ob_as_of);
			cells[n++] = cert_money(ctx, ob_ded);
		}
		if (n == 2)
			pdf_text(p, PDF_NORMAL, PDF_LEFT, 0, "Не предоставлялись.");
		else
			pdf_table(p, cols, 2, cells, n / 2, PDF_NORMAL,
			          PDF_TABLE_HEADER | PDF_TABLE_RULED);
	}
	pdf_gap(p, 5);
	pdf_keep(p, 30);
	pdf_text(p, PDF_BOLD, PDF_LEFT, 0,
	         "Приложение. Сведения о доходах и соответствующих вычетах по месяцам налогового "
	         "периода");
	if (ob_income)
		pdf_text(p, PDF_SMALL, PDF_LEFT, 0,
		         arena_printf(ctx->arena,
		                      "Доходы, выплаченные по %s включительно, учтены по входящим "
		                      "остаткам без разбивки по месяцам: доход %s, вычеты %s, налог "
		                      "%s.",
		                      ob_as_of, cert_money(ctx, ob_income), cert_money(ctx, ob_ded),
		                      cert_money(ctx, ob_tax)));
	{
		static const struct pdf_col cols[] = {{22, PDF_CENTER},
		                                      {30, PDF_CENTER},
		                                      {45, PDF_RIGHT},
		                                      {30, PDF_CENTER},
		                                      {43, PDF_RIGHT}};
		n = 0;
		cells[n++] = "Месяц";
		cells[n++] = "Код дохода";
		cells[n++] = "Сумма дохода";
		cells[n++] = "Код вычета";
		cells[n++] = "Сумма вычета";
		for (int i = 0;
		     i < nm && n + 5 * CERT_NCODES <= (int)(sizeof(cells) / sizeof(cells[0])); i++)
			for (int k = 0; k < CERT_NCODES; k++) {
				if (m[i].income[k] == 0)
					continue;
				cells[n++] = arena_printf(ctx->arena, "%02d", m[i].month);
				cells[n++] = arena_printf(ctx->arena, "%d", cert_income_codes[k]);
				cells[n++] = cert_money(ctx, m[i].income[k]);
				cells[n++] = k == CERT_AID && m[i].aid_free ? "503" : "";
				cells[n++] = k == CERT_AID && m[i].aid_free
				                 ? cert_money(ctx, m[i].aid_free)
				                 : "";
			}
		pdf_table(p, cols, 5, cells, n / 5, PDF_NORMAL, PDF_TABLE_HEADER | PDF_TABLE_RULED);
	}
	return 0;
}

int certificates_is_certificate(const char *type)
{
	return strcmp(type, "certificate_employment") == 0 ||
	       strcmp(type, "certificate_ndfl") == 0 ||
	       strcmp(type, "certificate_vacation_balance") == 0;
}

/* The certificate's title for its file name. */
static const char *cert_file_title(struct ctx *ctx, const struct certificate_request *r)
{
	int64_t year = 0;

	if (strcmp(r->type, "certificate_employment") == 0)
		return "Справка с места работы";
	if (strcmp(r->type, "certificate_vacation_balance") == 0)
		return "Справка об остатке отпуска";
	jsonx_get_int64(r->data, "year", &year);
	return arena_printf(ctx->arena, "Справка о доходах за %lld год", (long long)year);
}

/* The next number of the tenant's journal for the year. */
static int cert_next_number(struct ctx *ctx, const char *journal, int year, int *number)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "INSERT INTO document_numbers (tenant_id, journal, year, last) VALUES ($1, $2, $3, 1) "
	    "ON CONFLICT (tenant_id, journal, year) DO UPDATE SET last = document_numbers.last + 1 "
	    "RETURNING last",
	    ctx_i64(ctx, ctx->tenant_id), journal, ctx_i64(ctx, year));

	if (res == NULL)
		return -1;
	*number = atoi(PQgetvalue(res, 0, 0));
	return 0;
}

/* Who signs: the caller (the performer), else the organization's head. */
static int cert_signer(struct ctx *ctx, struct cert_doc *d)
{
	PGresult *res;

	d->signer_name = d->org.head_name;
	d->signer_position =
	    d->org.head_position ? d->org.head_position : "Руководитель организации";
	if (ctx->employee_id == 0)
		return 0;
	res =
	    ctx_sql(ctx,
	            "SELECT full_name, coalesce(position, '') FROM employees WHERE tenant_id = $1 "
	            "AND id = $2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->employee_id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 1) {
		d->signer_name = PQgetvalue(res, 0, 0);
		d->signer_position = PQgetvalue(res, 0, 1);
	}
	return 0;
}

int certificates_issue(struct ctx *ctx, const struct certificate_request *r, json_object *result)
{
	struct cert_doc d = {0};
	struct buf pdf = {0};
	struct pdf *p;
	const char *name;
	int64_t file;
	int rc;
	json_object *doc;
	PGresult *res;

	if (org_of_employee(ctx, r->employee, &d.org) < 0 ||
	    cert_person_load(ctx, r->employee, &d.who) < 0 || cert_signer(ctx, &d) < 0)
		return -1;
	if ((d.date = org_today(ctx)) == DATE_NONE ||
	    cert_next_number(ctx, "certificate", date_year(d.date), &d.number) < 0)
		return -1;
	/* the certificate's own register number, and the request's number the
	 * employee sees on the page: "Справка с места работы № 3 по заявке № 5" */
	res = ctx_sql(ctx, "SELECT number FROM requests WHERE tenant_id = $1 AND id = $2",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, r->id));
	if (res == NULL)
		return -1;
	name = arena_printf(ctx->arena, "%s № %d%s%s.pdf", cert_file_title(ctx, r), d.number,
	                    PQntuples(res) && !PQgetisnull(res, 0, 0) ? " по заявке № " : "",
	                    PQntuples(res) && !PQgetisnull(res, 0, 0) ? PQgetvalue(res, 0, 0) : "");
	p = pdf_new(&pdf, name);
	if (p == NULL)
		return ctx_fail(ctx, PROTO_ERR_unavailable,
		                "Справку не составить: на сервере нет шрифта с кириллицей "
		                "(пакет fonts-dejavu-core)");
	cert_header(ctx, p, &d.org);
	if (strcmp(r->type, "certificate_ndfl") != 0) /* the form has them in its title */
		pdf_text(p, PDF_NORMAL, PDF_LEFT, 0,
		         arena_printf(ctx->arena, "№ %d от %s", d.number, cert_date(ctx, d.date)));
	pdf_gap(p, 6);
	if (strcmp(r->type, "certificate_employment") == 0)
		rc = cert_employment(ctx, r, &d, p);
	else if (strcmp(r->type, "certificate_vacation_balance") == 0)
		rc = cert_vacation_balance(ctx, r, &d, p);
	else if (strcmp(r->type, "certificate_ndfl") == 0)
		rc = cert_ndfl(ctx, r, &d, p);
	else
		rc = ctx_fail(ctx, PROTO_ERR_internal, NULL);
	if (rc == 0)
		cert_signature(ctx, p, d.signer_position, d.signer_name);
	if (pdf_finish(p) < 0 && rc == 0)
		rc = ctx_fail(ctx, PROTO_ERR_internal, "Не удалось составить PDF справки");
	if (rc == 0)
		rc = requests_file_put(ctx, r->id, r->task, name, "application/pdf",
		                       (const unsigned char *)pdf.data, pdf.len, &file);
	buf_free(&pdf);
	if (rc < 0)
		return -1;
	doc = json_object_new_object();
	jsonx_set_int(doc, "file_id", file);
	jsonx_set_int(doc, "number", d.number);
	jsonx_set_str(doc, "date", cert_date(ctx, d.date));
	jsonx_set_str(doc, "name", name);
	jsonx_set_str(doc, "url",
	              arena_printf(ctx->arena, "/api/requests/%lld/document", (long long)r->id));
	json_object_object_add(result, "document", doc);
	return 0;
}

/* ------------------------------------------------------ applications */

/* The application (заявление) of a vacation or absence request. */
static int cert_application(struct ctx *ctx, PGresult *req)
{
	int64_t id = atoll(PQgetvalue(req, 0, 0)), employee = atoll(PQgetvalue(req, 0, 2));
	int64_t number = atoll(PQgetvalue(req, 0, 9));
	const char *type = PQgetvalue(req, 0, 1), *absent;
	char low[256], pos[256], to_pos[512], to_name[512], gen_pos[512], gen_name[512];
	json_object *data = arena_own(ctx->arena, json_tokener_parse(PQgetvalue(req, 0, 3)));
	const char *comment = jsonx_get_str(data, "comment"), *title = "", *what, *name;
	struct org_info org;
	struct cert_person who;
	int from, to, holidays, vacation = strcmp(type, "vacation") == 0;
	long long days;
	struct buf pdf = {0};
	struct pdf *p;
	PGresult *res;

	if (date_parse(PQgetvalue(req, 0, 4), &from) < 0 ||
	    date_parse(PQgetvalue(req, 0, 5), &to) < 0)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	if (org_of_employee(ctx, employee, &org) < 0 || cert_person_load(ctx, employee, &who) < 0)
		return -1;
	/* a paid vacation's days without the holidays inside (art. 120), as
	 * its notifications and the balance count them */
	days = requests_period_days(ctx, employee, type, jsonx_get_str(data, "kind"), from, to,
	                            &holidays);
	if (days < 0)
		return -1;
	if (vacation) {
		requests_kind_code(jsonx_get_str(data, "kind"), &title);
		what = arena_printf(
		    ctx->arena, "Прошу предоставить мне %s отпуск с %s по %s (%lld %s%s).", title,
		    cert_date(ctx, from), cert_date(ctx, to), days,
		    ru_plural(days, "календарный день", "календарных дня", "календарных дней"),
		    holidays
		        ? arena_printf(ctx->arena, ", не считая %d %s", holidays,
		                       ru_plural(holidays, "нерабочего праздничного",
		                                 "нерабочих праздничных", "нерабочих праздничных"))
		        : "");
	} else {
		requests_reason_code(jsonx_get_str(data, "reason"), &title);
		/* the form agrees with the person (ru_past); without a
		 * patronymic, a noun phrase */
		absent = ru_past(who.full_name, "отсутствующим", "отсутствующей");
		what = arena_printf(
		    ctx->arena, "%s на работе с %s по %s (%lld %s) по причине: %s.",
		    absent ? arena_printf(ctx->arena, "Прошу считать меня %s", absent)
		           : "Прошу учесть моё отсутствие",
		    cert_date(ctx, from), cert_date(ctx, to), days,
		    ru_plural(days, "календарный день", "календарных дня", "календарных дней"),
		    title);
	}
	name = arena_printf(ctx->arena, "Заявление на %s № %lld.pdf",
	                    vacation ? "отпуск" : "отсутствие", (long long)number);
	p = pdf_new(&pdf, name);
	if (p == NULL)
		return ctx_fail(ctx, PROTO_ERR_unavailable,
		                "Заявление не составить: на сервере нет шрифта с кириллицей "
		                "(пакет fonts-dejavu-core)");
	cert_header(ctx, p, &org);
	pdf_gap(p, 4);
	/* the addressee in the dative (ru.h's rule): «Генеральному директору
	 * ООО «Ромашка» Петровой О. И.» */
	pdf_text(
	    p, PDF_NORMAL, PDF_LEFT, 85,
	    arena_printf(ctx->arena, "%s %s%s%s",
	                 ru_dative_position(org.head_position ? org.head_position : "Руководитель",
	                                    to_pos, sizeof to_pos),
	                 org.name, org.head_name ? " " : "",
	                 org.head_name ? ru_dative_initials(org.head_name, to_name, sizeof to_name)
	                               : ""));
	pdf_gap(p, 1);
	/* the applicant in the genitive, as 1C's printed form: «от менеджера
	 * по продажам Кузнецова А. П.» (ru.h's rule), then where they work */
	ru_genitive_position(ru_after_colon(who.position, pos, sizeof pos), gen_pos,
	                     sizeof gen_pos);
	pdf_text(p, PDF_NORMAL, PDF_LEFT, 85,
	         arena_printf(ctx->arena, "от %s%s%s", gen_pos, *gen_pos ? " " : "",
	                      ru_genitive_name(who.full_name, 1, gen_name, sizeof gen_name)));
	if (*who.department || *who.personnel_number)
		pdf_text(p, PDF_NORMAL, PDF_LEFT, 85,
		         arena_printf(
		             ctx->arena, "%s%s%s%s%s", *who.department ? "подразделение: " : "",
		             who.department, *who.department && *who.personnel_number ? ", " : "",
		             *who.personnel_number ? "таб. № " : "", who.personnel_number));
	pdf_gap(p, 8);
	pdf_text(p, PDF_TITLE, PDF_CENTER, 0, "ЗАЯВЛЕНИЕ");
	pdf_gap(p, 4);
	pdf_text(p, PDF_NORMAL, PDF_LEFT, 0, what);
	if (comment && *comment) {
		pdf_gap(p, 2);
		pdf_text(p, PDF_NORMAL, PDF_LEFT, 0,
		         arena_printf(ctx->arena, "Комментарий: %s", comment));
	}
	pdf_gap(p, 4);
	pdf_text(p, PDF_SMALL, PDF_LEFT, 0,
	         arena_printf(ctx->arena,
	                      "Заявка № %lld подана в кабинете сотрудника %s; состояние: %s.",
	                      (long long)number, PQgetvalue(req, 0, 7),
	                      ru_after_colon(requests_state_title(PQgetvalue(req, 0, 6)), low,
	                                     sizeof(low))));
	/* the approvals so far */
	res = ctx_sql(ctx,
	              "SELECT coalesce(e.full_name, ''), coalesce(e.position, ''), " ORG_DATE_SQL(
	                  "v.at", "$3") " FROM request_events v LEFT JOIN employees e ON "
	                                "e.tenant_id = v.tenant_id AND e.id = v.actor_employee_id "
	                                "WHERE v.tenant_id = $1 AND v.request_id = $2 AND "
	                                "v.action = 'approved' ORDER BY v.id",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id), org_time_zone(ctx));
	if (res == NULL) {
		pdf_finish(p);
		buf_free(&pdf);
		return -1;
	}
	for (int i = 0; i < PQntuples(res); i++)
		pdf_text(p, PDF_SMALL, PDF_LEFT, 0,
		         arena_printf(ctx->arena, "Согласовано: %s%s%s, %s.", PQgetvalue(res, i, 0),
		                      *PQgetvalue(res, i, 1) ? ", " : "", PQgetvalue(res, i, 1),
		                      PQgetvalue(res, i, 2)));
	{
		static const struct pdf_col cols[] = {
		    {70, PDF_LEFT}, {45, PDF_CENTER}, {55, PDF_RIGHT}};
		const char *line[] = {"«____» ______________ 20___ г.", "____________________",
		                      cert_initials(ctx, who.full_name)};
		const char *caption[] = {"(дата)", "(подпись)", "(расшифровка подписи)"};
		pdf_keep(p, 25);
		pdf_gap(p, 12);
		pdf_table(p, cols, 3, line, 1, PDF_NORMAL, 0);
		pdf_table(p, cols, 3, caption, 1, PDF_SMALL, 0);
	}
	if (pdf_finish(p) < 0) {
		buf_free(&pdf);
		return ctx_fail(ctx, PROTO_ERR_internal, "Не удалось составить PDF заявления");
	}
	buf_reset(ctx->download);
	buf_append(ctx->download, pdf.data, pdf.len);
	buf_free(&pdf);
	ctx->download_type = "application/pdf";
	ctx->download_name = name;
	return 0;
}

const char *certificates_no_document(const char *type, const char *state, int has_certificate)
{
	if (strcmp(type, "vacation") == 0 || strcmp(type, "absence") == 0) {
		if (strcmp(state, "draft") == 0)
			return "Заявление можно распечатать, когда заявка отправлена: сейчас это "
			       "черновик";
		if (strcmp(state, "cancelled") == 0)
			return "Заявка отозвана: заявление по ней не подаётся";
		if (strcmp(state, "rejected") == 0)
			return "Заявка отклонена: заявление по ней не подаётся";
		return NULL;
	}
	if (!certificates_is_certificate(type))
		return "У заявки этого вида нет документа: документы есть у справок и "
		       "заявлений на отпуск и отсутствие";
	if (strcmp(state, "done") != 0)
		return NULL; /* the handler says when it will be ready */
	if (!has_certificate)
		return "Справка по этой заявке не составлялась: её приложил исполнитель, "
		       "см. файлы заявки";
	return NULL;
}

/* GET /api/requests/{id}/document */
static int certificates_document(struct ctx *ctx)
{
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT r.id, r.type, r.employee_id, r.data, r.date_from, r.date_to, "
	            "r.state, " ORG_TIME_SQL(
	                "r.created_at",
	                "$3") ", r.result->'document'->>'file_id', r.number FROM requests r "
	                      "WHERE r.tenant_id = $1 AND r.id = $2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->object_id), org_time_zone(ctx));
	const char *type, *state, *why;
	char low[256];

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Заявка не найдена");
	type = PQgetvalue(res, 0, 1);
	state = PQgetvalue(res, 0, 6);
	why = certificates_no_document(type, state, !PQgetisnull(res, 0, 8));
	if (why)
		return ctx_fail(ctx, PROTO_ERR_conflict, "%s", why);
	if (strcmp(type, "vacation") == 0 || strcmp(type, "absence") == 0)
		return cert_application(ctx, res);
	if (strcmp(state, "done") != 0)
		return ctx_fail(
		    ctx, PROTO_ERR_conflict,
		    "Справка будет готова, когда исполнитель выполнит заявку (сейчас: %s)",
		    ru_after_colon(requests_state_title(state), low, sizeof(low)));
	res =
	    ctx_sql(ctx,
	            "SELECT name, content_type, content, path FROM request_files WHERE tenant_id = "
	            "$1 AND id = $2 AND request_id = $3",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, atoll(PQgetvalue(res, 0, 8))),
	            ctx_i64(ctx, ctx->object_id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Файл справки не найден");
	return requests_file_send(ctx, res, 0);
}

static const struct op_arg certificates_document_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_END,
};

const struct op certificates_ops[] = {
    {"requests.document", OP_EMPLOYEE, certificates_document, 0, certificates_document_args,
     WHO_ON(REQUEST_VIEWERS, OBJ_REQUEST, "id")},
    {NULL, 0, NULL, 0, NULL},
};
