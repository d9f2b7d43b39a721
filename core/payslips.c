/*
 * payslips.c - payslips (расчетный листок) from the stored payroll
 * documents, and the vacation balance.
 *
 * An employee sees the payslips of closed months only (a draft can still
 * change); the administrator sees drafts too. paid is the cash of the
 * month's payments (payments.c) and balance = net − paid, in a draft and a
 * closed month alike: closing a month records no payment.
 *
 * Vacation balance as of a date (inclusive; default today in the
 * organization's time zone): 28 days a year accrue as 28/12 per month of
 * service counted from the hire date; the last, incomplete month counts as a
 * full one when it has 15 days or more and is dropped otherwise. The service
 * leaves out (art. 121) truancy (ПР), suspension without pay (НБ), parental
 * leave (ОЖ) and unpaid leave (ДО, ОЗ, ДБ) beyond 14 days a working year
 * (counted from the hire anniversary); those days shift the service's end.
 * Used: calendar days of ОТ deviations from the hire date up to the date,
 * the public holidays of the employee's own calendar (the schedule's, 5.7)
 * inside them excluded (they extend a vacation rather than use it), and the
 * days of a sickness inside a vacation (art. 124: returned). The arithmetic
 * is in twelfths of a day; the balance is shown with one decimal, rounded
 * half up ("18,7").
 */
#include "average.h"
#include "buf.h"
#include "calendars.h"
#include "date.h"
#include "hours.h"
#include "jsonx.h"
#include "money.h"
#include "ndfl_pay.h"
#include "org.h"
#include "paycache.h"
#include "payrun.h"
#include "ru.h"
#include "schedules.h"
#include "t13.h"
#include "worktime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VACATION_DAYS_A_YEAR 28

static const char *payslips_kind_title(const char *kind, const char *pay_by)
{
	if (strcmp(kind, "salary") == 0)
		return strcmp(pay_by, "hours") == 0 ? "Оплата по окладу (по часам)"
		                                    : "Оплата по окладу (по дням)";
	if (strcmp(kind, "overtime") == 0)
		return "Сверхурочная работа";
	if (strcmp(kind, "holiday_work") == 0)
		return "Работа в выходные и праздничные дни";
	if (strcmp(kind, "night") == 0)
		return "Работа в ночное время";
	if (strcmp(kind, "bonus") == 0)
		return "Премия";
	if (strcmp(kind, "material_aid") == 0)
		return "Материальная помощь";
	if (strcmp(kind, "district_coefficient") == 0)
		return "Районный коэффициент";
	if (strcmp(kind, "northern_allowance") == 0)
		return "Северная надбавка";
	if (strcmp(kind, "vacation_pay") == 0)
		return "Отпускные";
	if (strcmp(kind, "sick_pay") == 0)
		return "Пособие по временной нетрудоспособности (за счёт работодателя)";
	if (strcmp(kind, "vacation_compensation") == 0)
		return "Компенсация за неиспользованный отпуск";
	return kind;
}

static void payslips_put_money(struct ctx *ctx, json_object *o, const char *key, const char *text)
{
	const char *ru, *v = payrun_money(ctx, text, &ru);

	jsonx_set_str(o, key, v);
	jsonx_set_str(o, arena_printf(ctx->arena, "%s_ru", key), ru);
}

/* The month's standard tax deductions (payroll_employees.deduction: the
 * child deductions the НДФЛ base got, ndfl_pay.h) as the payslip's НДФЛ
 * part: "tax_deductions": [{"code", "title", "amount"}] and the НДФЛ
 * line's "note" «Вычеты: код 126 — 1 400,00 ₽», so the tax can be
 * reconciled from the payslip (trial-user 4, F4). 0, or -1 after ctx_fail. */
static int payslips_tax_deductions(struct ctx *ctx, json_object *o, json_object *ndfl_line,
                                   int64_t employee_id, int year, int month, const char *text)
{
	json_object *list = json_object_new_array();
	int64_t total = 0, by_code[2][4] = {{0}};
	struct buf note = BUF_INIT;
	char b[MONEY_BUFSZ], r[MONEY_RU_BUFSZ];
	PGresult *kids;

	json_object_object_add(o, "tax_deductions", list);
	if (money_parse(text, MONEY_ALLOW_NEGATIVE, &total) < 0 || total <= 0)
		return 0;
	if ((kids = ndfl_children_rows(ctx, employee_id)) == NULL)
		return -1;
	if (!ndfl_children_split(kids, year, month, total, by_code)) {
		memset(by_code, 0, sizeof(by_code));
		by_code[0][0] = -total; /* no codes: one line of the total */
	}
	for (int s = 0; s < 2; s++)
		for (int k = 0; k < 4; k++) {
			json_object *d;
			int64_t v = by_code[s][k] < 0 ? -by_code[s][k] : by_code[s][k];
			int coded = by_code[s][k] > 0;
			if (v == 0)
				continue;
			d = json_object_new_object();
			money_format(v, b);
			money_format_ru(v, r);
			if (coded)
				jsonx_set_int(d, "code", ndfl_child_codes[s][k]);
			else
				json_object_object_add(d, "code", NULL);
			jsonx_set_str(d, "title", "стандартный вычет на детей");
			jsonx_set_str(d, "amount", b);
			jsonx_set_str(d, "amount_ru", r);
			json_object_array_add(list, d);
			if (coded)
				buf_printf(&note, "%sкод %d — %s", note.len ? "; " : "",
				           ndfl_child_codes[s][k], r);
			else
				buf_printf(&note, "%sна детей — %s", note.len ? "; " : "", r);
		}
	if (note.len && ndfl_line)
		jsonx_set_str(ndfl_line, "note",
		              arena_printf(ctx->arena, "Вычеты: %.*s", (int)note.len, note.data));
	buf_free(&note);
	return 0;
}

static json_object *payslips_hours(const char *text)
{
	char b[HOURS_BUFSZ];
	int32_t h = (int32_t)atoi(text);

	if (h % 100 == 0)
		return json_object_new_int64(h / 100);
	hours_format(h, b);
	return json_tokener_parse(b); /* prints the exact decimal text */
}

static const char *payslips_date_ru(struct ctx *ctx, const char *iso)
{
	char b[DATE_BUFSZ];
	int d;

	if (date_parse(iso, &d) < 0)
		return iso;
	date_format_ru(d, b);
	return arena_strdup(ctx->arena, b);
}

/* The payslip of one employee and month; NULL after ctx_fail. */
/* A sick-pay line's daily benefit as it is computed (average.h): "60 % от
 * 890,73 ₽", and when the MROT rule gave the day instead, what the percent
 * gave and the rule: "60 % от 890,73 ₽ = 534,44 ₽, не ниже МРОТ: 27 093,00 ₽
 * / 30 дн. = 903,10 ₽" (so the line computes as written). */
static const char *payslips_sick_rule(struct ctx *ctx, const char *from_iso, const char *average,
                                      int percent, const char *daily)
{
	char ar[MONEY_RU_BUFSZ], pr[MONEY_RU_BUFSZ], dr[MONEY_RU_BUFSZ], mr[MONEY_RU_BUFSZ];
	int64_t avg = 0, day = 0, by_percent, mrot;
	int from, y, m, d, days;
	const char *rule;

	money_parse(average, 0, &avg);
	money_parse(daily, 0, &day);
	money_format_ru(avg, ar);
	rule = arena_printf(ctx->arena, "%d %% от %s", percent, ar);
	by_percent = money_muldiv_exact(avg, percent, 100);
	if (by_percent == day || date_parse(from_iso, &from) < 0)
		return rule;
	money_format_ru(by_percent, pr);
	money_format_ru(day, dr);
	date_to_ymd(from, &y, &m, &d);
	days = date_days_in_month(y, m);
	if (average_mrot(from, &mrot) == 0 && money_muldiv_exact(mrot, 1, days) == day) {
		money_format_ru(mrot, mr);
		return arena_printf(ctx->arena, "%s = %s, %s МРОТ: %s / %d дн. = %s", rule, pr,
		                    day > by_percent ? "не ниже" : "при стаже до 6 месяцев не выше",
		                    mr, days, dr);
	}
	return arena_printf(ctx->arena, "%s = %s, %s МРОТ в день: %s", rule, pr,
	                    day > by_percent ? "не ниже" : "при стаже до 6 месяцев не выше", dr);
}

/* The insurance record a sick-pay line was computed with (sql/0083): whole
 * months on the leave's first day and where they came from - the record
 * entered in the card (plus the time since its date), or, when none was
 * entered, the service with this employer since the hire. Lines computed
 * before 0083 have neither. */
static void payslips_sick_record(struct ctx *ctx, json_object *l, PGresult *res, int i, int cm,
                                 int cs)
{
	int months, y, mo;
	const char *text, *since;

	if (PQgetisnull(res, i, cm))
		return;
	months = atoi(PQgetvalue(res, i, cm));
	y = months / 12;
	mo = months % 12;
	jsonx_set_int(l, "insurance_months", months);
	jsonx_set_str(l, "insurance_source", PQgetisnull(res, i, cs) ? "entered" : "employment");
	if (y && mo)
		text =
		    arena_printf(ctx->arena, "%d %s %d %s", y, ru_plural(y, "год", "года", "лет"),
		                 mo, ru_plural(mo, "месяц", "месяца", "месяцев"));
	else if (y)
		text = arena_printf(ctx->arena, "%d %s", y, ru_plural(y, "год", "года", "лет"));
	else if (mo)
		text = arena_printf(ctx->arena, "%d %s", mo,
		                    ru_plural(mo, "месяц", "месяца", "месяцев"));
	else
		text = "меньше месяца";
	if (PQgetisnull(res, i, cs)) {
		jsonx_set_str(l, "insurance_ru",
		              arena_printf(ctx->arena, "Страховой стаж: %s (по карточке)", text));
		return;
	}
	since = payslips_date_ru(ctx, PQgetvalue(res, i, cs));
	jsonx_set_str(l, "insurance_ru",
	              arena_printf(ctx->arena,
	                           "Страховой стаж: %s — в карточке не указан, взят стаж в "
	                           "организации с %s",
	                           text, since));
}

static json_object *payslips_build(struct ctx *ctx, int64_t employee_id, int year, int month,
                                   int closed_only)
{
	char first[DATE_BUFSZ], m[DATE_MONTH_BUFSZ];
	const char *tenant = ctx_i64(ctx, ctx->tenant_id), *emp = ctx_i64(ctx, employee_id);
	json_object *o, *acc, *ded, *e, *ndfl_line = NULL;
	PGresult *res, *lines;
	int64_t accrued = 0, ndfl = 0, paid = 0, withheld = 0, carried = 0;
	char b[MONEY_BUFSZ], r[MONEY_RU_BUFSZ];

	date_format(date_month_first(year, month), first);
	date_format_month(year, month, m);
	/* one statement (the payslip is the employee's hottest read): the
	 * header and its payments on every row, then the lines by number */
	res = ctx_sql(
	    ctx,
	    "WITH h AS (SELECT d.status, pe.accrued::text AS accrued, pe.ndfl::text AS ndfl, "
	    "pe.net::text AS net, pe.paid::text AS paid, pe.source, pe.norm, pe.pay_by, "
	    "pe.rate::text AS rate, e.full_name, coalesce(e.personnel_number, '') AS pn, "
	    "coalesce(e.position, '') AS pos, pe.document_id, pe.base_ytd::text AS base, "
	    "(SELECT coalesce(json_agg(json_build_array(p.date::text, p.kind, p.amount::text, "
	    "p.ndfl::text, (p.amount - p.ndfl)::text) ORDER BY p.date, p.id), '[]') FROM "
	    "payroll_payments p WHERE p.tenant_id = pe.tenant_id AND p.employee_id = "
	    "pe.employee_id AND p.month = pe.month)::text AS payments, pe.tenant_id, "
	    "pe.employee_id, (SELECT coalesce(max(b.carried), 0) FROM payroll_debts(pe.tenant_id, "
	    "pe.month, pe.employee_id) b)::text AS carried, pe.deduction::text AS ded FROM "
	    "payroll_employees pe JOIN "
	    "payroll_documents d ON d.tenant_id = "
	    "pe.tenant_id AND d.id = pe.document_id JOIN employees e ON e.tenant_id = pe.tenant_id "
	    "AND e.id = pe.employee_id WHERE pe.tenant_id = $1 AND pe.employee_id = $2 AND "
	    "pe.month = $3::date AND ($4 = 'f' OR d.status = 'closed')) "
	    "SELECT h.status, h.accrued, h.ndfl, h.net, h.paid, h.source, h.norm, h.pay_by, "
	    "h.rate, "
	    "h.full_name, h.pn, h.pos, h.document_id, h.base, h.payments, l.kind, l.date_from, "
	    "l.date_to, coalesce(s.name, ''), l.worked_days, l.norm_days, l.worked_hours, "
	    "l.norm_hours, l.hours, l.amount::text, l.days, l.average::text, l.percent, "
	    "l.daily::text, l.fund_days, l.title, l.twelfths, l.fallback, l.planned_hours, "
	    "l.insurance_months, l.insurance_since::text, h.carried, h.ded FROM h "
	    "LEFT JOIN payroll_lines l ON l.tenant_id = h.tenant_id AND l.document_id = "
	    "h.document_id AND l.employee_id = h.employee_id LEFT JOIN schedules s ON s.tenant_id "
	    "= l.tenant_id AND s.id = l.schedule_id ORDER BY l.n",
	    tenant, emp, first, closed_only ? "t" : "f");
	if (res == NULL)
		return NULL;
	if (PQntuples(res) == 0) {
		ctx_fail(ctx, PROTO_ERR_not_found, "Расчётный листок за %s ещё не сформирован",
		         payrun_month_title(ctx, year, month));
		return NULL;
	}
	lines = res;
	o = arena_own(ctx->arena, json_object_new_object());
	jsonx_set_str(o, "month", m);
	jsonx_set_str(o, "month_title", payrun_month_title(ctx, year, month));
	jsonx_set_str(o, "status", PQgetvalue(res, 0, 0));
	jsonx_set_bool(o, "closed", strcmp(PQgetvalue(res, 0, 0), "closed") == 0);
	e = json_object_new_object();
	jsonx_set_int(e, "id", employee_id);
	jsonx_set_str(e, "full_name", PQgetvalue(res, 0, 9));
	jsonx_set_str(e, "personnel_number", PQgetvalue(res, 0, 10));
	jsonx_set_str(e, "position", PQgetvalue(res, 0, 11));
	json_object_object_add(o, "employee", e);
	payslips_put_money(ctx, o, "rate", PQgetvalue(res, 0, 8));
	jsonx_set_str(o, "pay_by", PQgetvalue(res, 0, 7));
	jsonx_set_str(o, "norm", PQgetvalue(res, 0, 6));
	jsonx_set_str(o, "source", PQgetvalue(res, 0, 5));

	acc = json_object_new_array();
	json_object_object_add(o, "accruals", acc);
	for (int i = 0; i < PQntuples(lines) && !PQgetisnull(lines, i, 15); i++) {
		json_object *l = json_object_new_object();
		const char *kind = PQgetvalue(lines, i, 15);
		int salary = strcmp(kind, "salary") == 0;
		jsonx_set_str(l, "kind", kind);
		jsonx_set_str(l, "title", payslips_kind_title(kind, PQgetvalue(res, 0, 7)));
		if (salary) {
			jsonx_set_str(l, "from", PQgetvalue(lines, i, 16));
			jsonx_set_str(l, "to", PQgetvalue(lines, i, 17));
			jsonx_set_str(
			    l, "period_ru",
			    arena_printf(ctx->arena, "%s–%s",
			                 payslips_date_ru(ctx, PQgetvalue(lines, i, 16)),
			                 payslips_date_ru(ctx, PQgetvalue(lines, i, 17))));
			jsonx_set_str(l, "schedule", PQgetvalue(lines, i, 18));
			jsonx_set_int(l, "worked_days", atoi(PQgetvalue(lines, i, 19)));
			jsonx_set_int(l, "norm_days", atoi(PQgetvalue(lines, i, 20)));
			json_object_object_add(l, "worked_hours",
			                       payslips_hours(PQgetvalue(lines, i, 21)));
			json_object_object_add(l, "norm_hours",
			                       payslips_hours(PQgetvalue(lines, i, 22)));
			jsonx_set_str(l, "worked_hours_ru",
			              worktime_hours_ru(ctx, atoi(PQgetvalue(lines, i, 21))));
			jsonx_set_str(l, "norm_hours_ru",
			              worktime_hours_ru(ctx, atoi(PQgetvalue(lines, i, 22))));
			jsonx_set_bool(l, "salary", 1);
		} else if (!PQgetisnull(lines, i, 25)) {
			/* vacation pay, sick pay, compensation: from average earnings */
			const char *ru;
			int sick = strcmp(kind, "sick_pay") == 0;
			jsonx_set_str(l, "from", PQgetvalue(lines, i, 16));
			jsonx_set_str(l, "to", PQgetvalue(lines, i, 17));
			jsonx_set_str(
			    l, "period_ru",
			    strcmp(PQgetvalue(lines, i, 16), PQgetvalue(lines, i, 17)) == 0
			        ? payslips_date_ru(ctx, PQgetvalue(lines, i, 16))
			        : arena_printf(ctx->arena, "%s–%s",
			                       payslips_date_ru(ctx, PQgetvalue(lines, i, 16)),
			                       payslips_date_ru(ctx, PQgetvalue(lines, i, 17))));
			jsonx_set_int(l, "days", atoi(PQgetvalue(lines, i, 25)));
			jsonx_set_str(l, "average_daily",
			              payrun_money(ctx, PQgetvalue(lines, i, 26), &ru));
			jsonx_set_str(l, "average_daily_ru", ru);
			if (sick) {
				jsonx_set_int(l, "percent", atoi(PQgetvalue(lines, i, 27)));
				jsonx_set_str(l, "daily",
				              payrun_money(ctx, PQgetvalue(lines, i, 28), &ru));
				jsonx_set_str(l, "daily_ru", ru);
				jsonx_set_str(l, "daily_rule_ru",
				              payslips_sick_rule(ctx, PQgetvalue(lines, i, 16),
				                                 PQgetvalue(lines, i, 26),
				                                 atoi(PQgetvalue(lines, i, 27)),
				                                 PQgetvalue(lines, i, 28)));
				jsonx_set_int(l, "fund_days", atoi(PQgetvalue(lines, i, 29)));
				payslips_sick_record(ctx, l, lines, i, 34, 35);
				if (atoi(PQgetvalue(lines, i, 29)) > 0)
					jsonx_set_str(
					    l, "fund_note",
					    arena_printf(ctx->arena,
					                 "Остальные %d дн. оплачивает Социальный "
					                 "фонд России (не начисляются здесь)",
					                 atoi(PQgetvalue(lines, i, 29))));
			}
			if (!PQgetisnull(lines, i, 31)) {
				/* the unused days are exact twelfths (28/12 a month, art.
				 * 127); the amount is average × them, so the page shows
				 * the fraction, not a rounded figure that would not
				 * multiply to the amount */
				int64_t tw = atoll(PQgetvalue(lines, i, 31));
				int num = (int)(tw % 12), den = 12;
				for (int k = 6; k > 1; k--)
					if (num % k == 0 && den % k == 0) {
						num /= k;
						den /= k;
					}
				/* "days": the decimal text to two places, half up
				 * (81 2/3 is 81.67, not a truncated 81.66), as
				 * payslips_hours prints hours (no floating point);
				 * "days_twelfths": the exact days the amount uses */
				int64_t h = (tw * 100 + 6) / 12;
				json_object_object_add(
				    l, "days",
				    json_tokener_parse(arena_printf(ctx->arena, "%lld.%02lld",
				                                    (long long)(h / 100),
				                                    (long long)(h % 100))));
				jsonx_set_int(l, "days_twelfths", tw);
				jsonx_set_str(
				    l, "unused_days_ru",
				    num ? arena_printf(ctx->arena, "%lld %d/%d",
				                       (long long)(tw / 12), num, den)
				        : arena_printf(ctx->arena, "%lld", (long long)(tw / 12)));
			}
			if (strcmp(PQgetvalue(lines, i, 32), "t") == 0)
				jsonx_set_str(
				    l, "note",
				    "В расчётном периоде нет заработка (нет расчётов и входящих "
				    "остатков за эти месяцы), поэтому средний дневной заработок "
				    "посчитан от оклада: оклад / 29,3");
		} else if (strcmp(kind, "bonus") == 0 || strcmp(kind, "material_aid") == 0 ||
		           strcmp(kind, "district_coefficient") == 0 ||
		           strcmp(kind, "northern_allowance") == 0) {
			jsonx_set_str(l, "period_ru", payrun_month_title(ctx, year, month));
			if (!PQgetisnull(lines, i, 30)) {
				/* "Премия: за ноябрь", but not "Премия: Премия за ноябрь" */
				const char *kt = payslips_kind_title(kind, ""),
				           *t = PQgetvalue(lines, i, 30);
				jsonx_set_str(l, "title",
				              strncmp(t, kt, strlen(kt)) == 0
				                  ? t
				                  : arena_printf(ctx->arena, "%s: %s", kt, t));
			}
			if (!PQgetisnull(lines, i, 27))
				jsonx_set_int(l, "percent", atoi(PQgetvalue(lines, i, 27)));
		} else {
			jsonx_set_str(l, "date", PQgetvalue(lines, i, 16));
			jsonx_set_str(l, "period_ru",
			              payslips_date_ru(ctx, PQgetvalue(lines, i, 16)));
			json_object_object_add(l, "hours",
			                       payslips_hours(PQgetvalue(lines, i, 23)));
			jsonx_set_str(l, "hours_ru",
			              worktime_hours_ru(ctx, atoi(PQgetvalue(lines, i, 23))));
			if (!PQgetisnull(lines, i, 33) && atoi(PQgetvalue(lines, i, 33)) > 0)
				json_object_object_add(l, "planned_hours",
				                       payslips_hours(PQgetvalue(lines, i, 33)));
		}
		payslips_put_money(ctx, l, "amount", PQgetvalue(lines, i, 24));
		json_object_array_add(acc, l);
	}
	money_parse(PQgetvalue(res, 0, 1), MONEY_ALLOW_NEGATIVE, &accrued);
	money_parse(PQgetvalue(res, 0, 2), MONEY_ALLOW_NEGATIVE, &ndfl);
	money_parse(PQgetvalue(res, 0, 4), MONEY_ALLOW_NEGATIVE, &paid);
	ded = json_object_new_array();
	json_object_object_add(o, "deductions", ded);
	{
		json_object *d = json_object_new_object();
		ndfl_line = d;
		jsonx_set_str(d, "kind", "ndfl");
		jsonx_set_str(d, "title", "НДФЛ");
		payslips_put_money(ctx, d, "amount", PQgetvalue(res, 0, 2));
		json_object_array_add(ded, d);
	}
	if (payslips_tax_deductions(ctx, o, ndfl_line, employee_id, year, month,
	                            PQgetvalue(res, 0, 37)) < 0)
		return NULL;
	payslips_put_money(ctx, o, "accrued", PQgetvalue(res, 0, 1));
	payslips_put_money(ctx, o, "deducted", PQgetvalue(res, 0, 2));
	payslips_put_money(ctx, o, "net", PQgetvalue(res, 0, 3));
	payslips_put_money(ctx, o, "paid", PQgetvalue(res, 0, 4));
	payslips_put_money(ctx, o, "ndfl_base_ytd", PQgetvalue(res, 0, 13));
	/* an overpayment of earlier months is the employee's debt
	 * (payroll_debts(), sql/0094): it lowers this month's amount due */
	money_parse(PQgetvalue(res, 0, 36), MONEY_ALLOW_NEGATIVE, &carried);
	if (carried > 0) {
		payslips_put_money(ctx, o, "carried", PQgetvalue(res, 0, 36));
		money_format(accrued - ndfl - carried, b);
		money_format_ru(accrued - ndfl - carried, r);
		jsonx_set_str(o, "due", b);
		jsonx_set_str(o, "due_ru", r);
	}
	money_format(accrued - ndfl - carried - paid, b);
	money_format_ru(accrued - ndfl - carried - paid, r);
	jsonx_set_str(o, "balance", b);
	jsonx_set_str(o, "balance_ru", r);
	/* G1: paid more than the month owes (a recalculation lowered it after
	 * the payments): shown, never silent, and carried into the next month */
	if (accrued - ndfl - carried - paid < 0) {
		money_format(paid + ndfl + carried - accrued, b);
		money_format_ru(paid + ndfl + carried - accrued, r);
		jsonx_set_str(o, "overpaid", b);
		jsonx_set_str(o, "overpaid_ru", r);
		jsonx_set_str(
		    o, "overpaid_message",
		    arena_printf(ctx->arena,
		                 "Выплачено больше, чем причитается к выплате: переплата %s. "
		                 "Она переносится в следующий месяц как долг сотрудника и "
		                 "уменьшает сумму к выплате; переплату удерживают из следующих "
		                 "выплат или сотрудник её возвращает (ст. 137 ТК РФ)",
		                 r));
	}
	/* the month's payments: advances, vacation pay, the salary, the final */
	{
		json_object *pay =
		    arena_own(ctx->arena, json_tokener_parse(PQgetvalue(res, 0, 14)));
		json_object *list = json_object_new_array();
		size_t n = pay && json_object_is_type(pay, json_type_array)
		               ? json_object_array_length(pay)
		               : 0;

		json_object_object_add(o, "payments", list);
		jsonx_set_bool(o, "has_payments", n > 0);
		for (size_t i = 0; i < n; i++) {
			json_object *row = json_object_array_get_idx(pay, i),
			            *p = json_object_new_object();
			const char *kind =
			    json_object_get_string(json_object_array_get_idx(row, 1));
			const char *date =
			    json_object_get_string(json_object_array_get_idx(row, 0));

			jsonx_set_str(p, "date", date);
			jsonx_set_str(p, "date_ru", payslips_date_ru(ctx, date));
			jsonx_set_str(p, "kind", kind);
			jsonx_set_str(p, "title",
			              strcmp(kind, "advance") == 0        ? "Аванс"
			              : strcmp(kind, "vacation_pay") == 0 ? "Отпускные"
			              : strcmp(kind, "final") == 0 ? "Окончательный расчёт"
			                                           : "Зарплата");
			payslips_put_money(
			    ctx, p, "amount",
			    json_object_get_string(json_object_array_get_idx(row, 2)));
			payslips_put_money(
			    ctx, p, "ndfl",
			    json_object_get_string(json_object_array_get_idx(row, 3)));
			{
				int64_t t = 0;
				money_parse(
				    json_object_get_string(json_object_array_get_idx(row, 3)), 0,
				    &t);
				withheld += t;
			}
			payslips_put_money(
			    ctx, p, "net",
			    json_object_get_string(json_object_array_get_idx(row, 4)));
			json_object_array_add(list, p);
		}
		/* the month's tax is withheld from its payments: what they
		 * withheld and what the rest's payment will (ndfl_pay.h) */
		if (n > 0 && ndfl > withheld && ndfl_line) {
			char w[MONEY_RU_BUFSZ], l[MONEY_RU_BUFSZ];
			money_format_ru(withheld, w);
			money_format_ru(ndfl - withheld, l);
			jsonx_set_str(ndfl_line, "title",
			              arena_printf(ctx->arena,
			                           "НДФЛ (удержан из выплат %s, будет удержан при "
			                           "выплате остатка %s)",
			                           w, l));
		}
	}
	return o;
}

static int payslips_need_employee(struct ctx *ctx)
{
	if (ctx->employee_id == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found,
		                "Кабинет не связан с сотрудником: расчётных листков нет");
	return 0;
}

/* GET /api/payslips/{month}: the signed-in employee's own, closed months.
 * The answer is kept by cabinetd (paycache.h): a repeated read is served
 * from memory until anything is written in the organization, without
 * sending a statement (so without a transaction) to PostgreSQL. */
static int payslips_get(struct ctx *ctx)
{
	struct paycache_gen gen;
	struct buf cached = BUF_INIT;
	const char *text;
	size_t len;
	int year, month;

	if (payslips_need_employee(ctx) < 0 || payrun_month_arg(ctx, &year, &month) < 0)
		return -1;
	if (paycache_get(ctx->cfg->payslip_cache_size, ctx->cfg->payslip_cache_ttl_s,
	                 ctx->tenant_id, ctx->employee_id, year * 100 + month, &cached) == 0) {
		ctx->result = arena_own(ctx->arena, json_tokener_parse(cached.data));
		buf_free(&cached);
		if (ctx->result)
			return 0;
	}
	/* read before the statement: a write committed meanwhile keeps this
	 * answer out of the cache */
	paycache_generation(ctx->tenant_id, &gen);
	ctx->result = payslips_build(ctx, ctx->employee_id, year, month, 1);
	if (ctx->result == NULL)
		return -1;
	if (ctx->error >= 0)
		return 0;
	text = jsonx_dump(ctx->result, &len);
	paycache_put(ctx->cfg->payslip_cache_size, ctx->tenant_id, ctx->employee_id,
	             year * 100 + month, text, len, &gen);
	return 0;
}

/* GET /api/payslips: the months with a payslip, newest first ("payslips"),
 * and "not_calculated": the closed months of the employment without one
 * (the payroll left the employee out), newest first, at most 12, and
 * "not_calculated_ru" when the newest of them is after the last payslip:
 * «За ноябрь 2026 г. расчёт для вас не выполнялся — обратитесь в
 * бухгалтерию.» (the pages show it instead of «not closed yet»). */
static int payslips_list(struct ctx *ctx)
{
	PGresult *res, *last;
	json_object *list;

	if (payslips_need_employee(ctx) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT to_char(pe.month, 'YYYY-MM'), pe.accrued::text, pe.ndfl::text, "
	              "pe.net::text, extract(year FROM pe.month)::int, "
	              "extract(month FROM pe.month)::int FROM payroll_employees pe "
	              "JOIN payroll_documents d ON d.tenant_id = pe.tenant_id AND d.id = "
	              "pe.document_id WHERE pe.tenant_id = $1 AND pe.employee_id = $2 AND "
	              "d.status = 'closed' ORDER BY pe.month DESC",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->employee_id));
	if (res == NULL)
		return -1;
	list = json_object_new_array();
	json_object_object_add(ctx_result(ctx), "payslips", list);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *p = json_object_new_object();
		jsonx_set_str(p, "month", PQgetvalue(res, i, 0));
		jsonx_set_str(p, "month_title",
		              payrun_month_title(ctx, atoi(PQgetvalue(res, i, 4)),
		                                 atoi(PQgetvalue(res, i, 5))));
		payslips_put_money(ctx, p, "accrued", PQgetvalue(res, i, 1));
		payslips_put_money(ctx, p, "ndfl", PQgetvalue(res, i, 2));
		payslips_put_money(ctx, p, "net", PQgetvalue(res, i, 3));
		json_object_array_add(list, p);
	}
	/* closed months of the employment the payroll left this employee out
	 * of (no pay terms, not published then): the page says so instead of
	 * «not closed yet» */
	last = res;
	res = ctx_sql(ctx,
	              "SELECT to_char(d.month, 'YYYY-MM'), extract(year FROM d.month)::int, "
	              "extract(month FROM d.month)::int FROM payroll_documents d JOIN employees e "
	              "ON e.tenant_id = d.tenant_id AND e.id = $2 WHERE d.tenant_id = $1 AND "
	              "d.status = 'closed' AND (e.hired IS NULL OR e.hired < d.month + interval "
	              "'1 month') AND (e.dismissed IS NULL OR e.dismissed >= d.month) AND NOT "
	              "EXISTS (SELECT 1 FROM payroll_employees pe WHERE pe.tenant_id = d.tenant_id "
	              "AND pe.document_id = d.id AND pe.employee_id = $2) ORDER BY d.month DESC "
	              "LIMIT 12",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->employee_id));
	if (res == NULL)
		return -1;
	list = json_object_new_array();
	json_object_object_add(ctx_result(ctx), "not_calculated", list);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *p = json_object_new_object();
		jsonx_set_str(p, "month", PQgetvalue(res, i, 0));
		jsonx_set_str(p, "month_title",
		              payrun_month_title(ctx, atoi(PQgetvalue(res, i, 1)),
		                                 atoi(PQgetvalue(res, i, 2))));
		json_object_array_add(list, p);
	}
	/* the newest such month after the last payslip, in words */
	if (PQntuples(res) > 0 &&
	    (PQntuples(last) == 0 || strcmp(PQgetvalue(res, 0, 0), PQgetvalue(last, 0, 0)) > 0))
		jsonx_set_str(ctx_result(ctx), "not_calculated_ru",
		              arena_printf(ctx->arena,
		                           "За %s расчёт для вас не выполнялся — обратитесь в "
		                           "бухгалтерию.",
		                           payrun_month_title(ctx, atoi(PQgetvalue(res, 0, 1)),
		                                              atoi(PQgetvalue(res, 0, 2)))));
	return 0;
}

/* GET /api/admin/payslips/{employee_id}/{month}: drafts too. */
static int payslips_admin_get(struct ctx *ctx)
{
	int64_t id;
	int year, month;

	if (ctx_arg_int(ctx, "employee_id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0 ||
	    payrun_month_arg(ctx, &year, &month) < 0)
		return -1;
	ctx->result = payslips_build(ctx, id, year, month, 0);
	return ctx->result ? 0 : -1;
}

/* GET /api/admin/payroll/{month}/payslips: every payslip of the month's
 * payroll (drafts included), by full name, to print them at once. */
static int payslips_admin_month(struct ctx *ctx)
{
	char first[DATE_BUFSZ], m[DATE_MONTH_BUFSZ];
	json_object *r = ctx_result(ctx), *list = json_object_new_array();
	int year, month;
	PGresult *res;

	json_object_object_add(r, "payslips", list);
	if (payrun_month_arg(ctx, &year, &month) < 0)
		return -1;
	date_format(date_month_first(year, month), first);
	date_format_month(year, month, m);
	jsonx_set_str(r, "month", m);
	jsonx_set_str(r, "month_title", payrun_month_title(ctx, year, month));
	res =
	    ctx_sql(ctx,
	            "SELECT pe.employee_id FROM payroll_employees pe JOIN employees e ON "
	            "e.tenant_id = pe.tenant_id AND e.id = pe.employee_id WHERE pe.tenant_id = $1 "
	            "AND pe.month = $2::date ORDER BY e.search_name, e.full_name, e.id LIMIT 2000",
	            ctx_i64(ctx, ctx->tenant_id), first);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Зарплата за %s ещё не рассчитана",
		                payrun_month_title(ctx, year, month));
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *p =
		    payslips_build(ctx, strtoll(PQgetvalue(res, i, 0), NULL, 10), year, month, 0);
		if (p == NULL)
			return -1;
		json_object_array_add(list, json_object_get(p)); /* p belongs to the arena */
	}
	jsonx_set_int(r, "count", PQntuples(res));
	return 0;
}

/* ------------------------------------------------------------ vacation */

/* Full years from hired to date (anniversaries reached). */
static int vacation_years(int hired, int date)
{
	int k = 0;

	while (date_add_months(hired, 12 * (k + 1)) <= date)
		k++;
	return k;
}

int payslips_vacation(struct ctx *ctx, int64_t employee_id, int date, struct vacation_balance *out)
{
	const char *tenant = ctx_i64(ctx, ctx->tenant_id), *emp = ctx_i64(ctx, employee_id);
	int hired, dismissed, end, months, next, used = 0, excluded = 0, service_end;
	int span, *code, returned = 0, from_date;
	int32_t opening_h = 0;
	struct schedules_calendars cache = {0};
	PGresult *devs, *vac, *ob;

	memset(out, 0, sizeof(*out));
	out->date = date;
	out->as_of = DATE_NONE;
	if (worktime_employment(ctx, employee_id, &hired, &dismissed) < 0)
		return -1;
	if (hired == DATE_NONE)
		return ctx_field(ctx, "hired", "Не указана дата приёма сотрудника");
	out->hired = hired;
	end = dismissed != DATE_NONE && dismissed < date ? dismissed : date;

	/* art. 121: truancy, suspension without pay and parental leave are out of
	 * the service; unpaid leave too beyond 14 days a working year. The days
	 * shift the service (and its working years). */
	span = end >= hired ? end - hired + 1 : 0;
	code = arena_alloc(ctx->arena, sizeof(int) * (size_t)(span + 1));
	memset(code, 0, sizeof(int) * (size_t)(span + 1));
	devs =
	    ctx_sql(ctx,
	            "SELECT code, greatest(date_from, $3::date), least(date_to, $4::date) FROM "
	            "deviations WHERE tenant_id = $1 AND employee_id = $2 AND whole_day AND "
	            "date_to >= $3::date AND date_from <= $4::date AND code = ANY($5::smallint[])",
	            tenant, emp, worktime_date_iso(ctx, hired), worktime_date_iso(ctx, end),
	            "{24,35,15,16,17,18,19}");
	if (devs == NULL)
		return -1;
	for (int i = 0; i < PQntuples(devs); i++) {
		int c = atoi(PQgetvalue(devs, i, 0)), f = worktime_pg_date(devs, i, 1),
		    t = worktime_pg_date(devs, i, 2);
		for (int d = f; d <= t; d++)
			if (c != T13_B)
				code[d - hired] = c;
	}
	{
		int year = 0, unpaid = 0;

		for (int d = hired; d <= end; d++) {
			int c = code[d - hired], y = vacation_years(hired, d - excluded);

			if (y != year) {
				year = y;
				unpaid = 0;
			}
			if (c == T13_PR || c == T13_NB || c == T13_OZH)
				excluded++;
			else if ((c == T13_DO || c == T13_OZ || c == T13_DB) && ++unpaid > 14)
				excluded++;
		}
	}
	service_end = end - excluded;

	/* whole months of service, then the remainder: 15 days or more is a month */
	months = 0;
	if (service_end >= hired) {
		while ((next = date_add_months(hired, months + 1)) - 1 <= service_end)
			months++;
		if (service_end - date_add_months(hired, months) + 1 >= 15)
			months++;
	}

	/* an opening balance: the days used up to its date; documents after it */
	ob = ctx_sql(ctx,
	             "SELECT as_of, vacation_days_used::text FROM opening_balances WHERE "
	             "tenant_id = $1 AND employee_id = $2",
	             tenant, emp);
	if (ob == NULL)
		return -1;
	from_date = hired;
	if (PQntuples(ob)) {
		out->as_of = worktime_pg_date(ob, 0, 0);
		hours_parse(PQgetvalue(ob, 0, 1), &opening_h);
		if (out->as_of + 1 > from_date)
			from_date = out->as_of + 1;
	}

	/* used: vacation days of ОТ documents, without the public holidays of the
	 * employee's calendar (the one of the schedule in force at the vacation's
	 * start) and without the days of a sickness inside (art. 120, 124) */
	vac = ctx_sql(
	    ctx,
	    "SELECT greatest(d.date_from, $3::date), least(d.date_to, $4::date), "
	    "coalesce((SELECT s.calendar_id FROM schedule_assignments a JOIN schedules s ON "
	    "s.tenant_id = a.tenant_id AND s.id = a.schedule_id WHERE a.tenant_id = d.tenant_id "
	    "AND a.employee_id = d.employee_id ORDER BY a.date_from <= d.date_from DESC, "
	    "CASE WHEN a.date_from <= d.date_from THEN a.date_from END DESC, a.date_from "
	    "LIMIT 1), 0) FROM deviations d WHERE d.tenant_id = $1 AND d.employee_id = $2 AND "
	    "d.code = $5 AND d.date_to >= $3::date AND d.date_from <= $4::date",
	    tenant, emp, worktime_date_iso(ctx, from_date), worktime_date_iso(ctx, end),
	    ctx_i64(ctx, T13_OT));
	if (vac == NULL)
		return -1;
	for (int i = 0; i < PQntuples(vac); i++) {
		int from = worktime_pg_date(vac, i, 0), to = worktime_pg_date(vac, i, 1);
		struct calendar *cal = schedules_calendar(ctx, &cache, PQgetvalue(vac, i, 2));

		if (cal == NULL ||
		    worktime_cover(ctx, cal, date_year(from), date_year(to), out->provisional,
		                   &out->nprovisional, "calendar") < 0)
			return -1;
		for (int d = from; d <= to; d++) {
			if (CALENDAR_KIND(calendar_day(cal, d)) == CALENDAR_HOLIDAY)
				continue;
			if (d - hired <= span && d >= hired && code[d - hired] == 0) {
				/* a Б inside the vacation returns the day */
				int sick = 0;
				for (int k = 0; k < PQntuples(devs) && !sick; k++)
					sick = atoi(PQgetvalue(devs, k, 0)) == T13_B &&
					       worktime_pg_date(devs, k, 1) <= d &&
					       worktime_pg_date(devs, k, 2) >= d;
				if (sick) {
					returned++;
					continue;
				}
			}
			used++;
		}
	}
	out->months = months;
	out->excluded = excluded;
	out->service_end = service_end;
	out->used = used;
	out->returned = returned;
	out->opening_used_twelfths = ((int64_t)opening_h * 12 + 50) / 100;
	out->accrued_twelfths = (int64_t)VACATION_DAYS_A_YEAR * months;
	out->twelfths = out->accrued_twelfths - 12 * (int64_t)used - out->opening_used_twelfths;
	return 0;
}

/* "3–16 марта", "28 февраля – 13 марта", with " 2027 г." when the period
 * ends in another year than `date`'s. */
static const char *vacation_period_ru(struct ctx *ctx, int from, int to, int date)
{
	int y1, m1, d1, y2, m2, d2;
	const char *year;

	date_to_ymd(from, &y1, &m1, &d1);
	date_to_ymd(to, &y2, &m2, &d2);
	year = y2 != date_year(date) ? arena_printf(ctx->arena, " %d г.", y2) : "";
	if (y1 == y2 && m1 == m2)
		return arena_printf(ctx->arena, "%d–%d %s%s", d1, d2, ru_month_genitive(m2), year);
	if (y1 == y2)
		return arena_printf(ctx->arena, "%d %s – %d %s%s", d1, ru_month_genitive(m1), d2,
		                    ru_month_genitive(m2), year);
	return arena_printf(ctx->arena, "%d %s %d г. – %d %s %d г.", d1, ru_month_genitive(m1), y1,
	                    d2, ru_month_genitive(m2), y2);
}

/*
 * The annual vacations scheduled after `date`: the ОТ days of the timesheet
 * after it (a done request's, or the administrator's) and the annual
 * vacation requests approved but not yet done (approved, in_progress), each
 * {"date_from", "date_to", "period_ru", "days"} - days without the public
 * holidays of the employee's calendar (art. 120), as the balance counts
 * them, and without the days of a sickness inside (art. 124: returned, as
 * "returned_days" of the vacation). Adds "scheduled" to o and returns the
 * days in all, or -1.
 */
static int vacation_scheduled(struct ctx *ctx, int64_t employee_id, int date, json_object *o)
{
	const char *after = worktime_date_iso(ctx, date);
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT greatest(date_from, $3::date + 1), date_to FROM deviations WHERE tenant_id = "
	    "$1 AND employee_id = $2 AND code = $4 AND whole_day AND date_to > $3::date "
	    "UNION ALL SELECT greatest(date_from, $3::date + 1), date_to FROM requests WHERE "
	    "tenant_id = $1 AND employee_id = $2 AND type = 'vacation' AND coalesce(data->>'kind', "
	    "'annual') = 'annual' AND state IN ('approved', 'in_progress') AND date_to > $3::date "
	    "ORDER BY 1, 2",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee_id), after, ctx_i64(ctx, T13_OT));
	json_object *list = json_object_new_array();
	struct calendar *cal;
	PGresult *sick;
	int total = 0;

	json_object_object_add(o, "scheduled", list);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	/* art. 124: the days of a sickness inside a scheduled vacation are not
	 * spent (returned), as payslips_vacation() counts the past ones */
	sick = ctx_sql(ctx,
	               "SELECT date_from, date_to FROM deviations WHERE tenant_id = $1 AND "
	               "employee_id = $2 AND code = $4 AND whole_day AND date_to > $3::date",
	               ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee_id), after,
	               ctx_i64(ctx, T13_B));
	if (sick == NULL)
		return -1;
	cal = worktime_employee_calendar(ctx, employee_id, worktime_pg_date(res, 0, 0),
	                                 worktime_pg_date(res, PQntuples(res) - 1, 1));
	if (cal == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		int from = worktime_pg_date(res, i, 0), to = worktime_pg_date(res, i, 1), days = 0;
		int returned = 0;
		json_object *v = json_object_new_object();

		for (int d = from; d <= to; d++) {
			int ill = 0;

			if (CALENDAR_KIND(calendar_day(cal, d)) == CALENDAR_HOLIDAY)
				continue;
			for (int k = 0; k < PQntuples(sick) && !ill; k++)
				ill = worktime_pg_date(sick, k, 0) <= d &&
				      worktime_pg_date(sick, k, 1) >= d;
			if (ill)
				returned++;
			else
				days++;
		}
		if (returned > 0)
			jsonx_set_int(v, "returned_days", returned);
		jsonx_set_str(v, "date_from", worktime_date_iso(ctx, from));
		jsonx_set_str(v, "date_to", worktime_date_iso(ctx, to));
		jsonx_set_str(v, "period_ru", vacation_period_ru(ctx, from, to, date));
		jsonx_set_int(v, "days", days);
		json_object_array_add(list, v);
		total += days;
	}
	return total;
}

/* "17.0" and "17,0" of tenths of a day. */
static void vacation_set_days(struct ctx *ctx, json_object *o, const char *key, int64_t tenths)
{
	int64_t a = tenths < 0 ? -tenths : tenths;
	const char *sign = tenths < 0 ? "-" : "";
	char ru[32];

	jsonx_set_str(o, key,
	              arena_printf(ctx->arena, "%s%lld.%lld", sign, (long long)(a / 10),
	                           (long long)(a % 10)));
	/* "35", "35,5": never "35,0" */
	jsonx_set_str(o, arena_printf(ctx->arena, "%s_ru", key),
	              ru_format_tenths(tenths, ru, sizeof ru));
}

/* The vacation days a request asks for, as the balance spends them
 * (worktime_vacation_days: the holidays inside do not count): what the
 * employee's form and the approver compare with the balance. */
static int vacation_set_requested(struct ctx *ctx, json_object *o, int64_t employee_id, int from,
                                  int to)
{
	int holidays, days;

	if (from == DATE_NONE || to == DATE_NONE || to < from)
		return 0;
	days = worktime_vacation_days(ctx, employee_id, from, to, &holidays);
	if (days < 0)
		return -1;
	jsonx_set_int(o, "requested_days", days);
	jsonx_set_int(o, "requested_calendar_days", to - from + 1);
	jsonx_set_int(o, "requested_holidays", holidays);
	return 0;
}

/*
 * No opening balance for someone hired before the service knew the
 * organization's months (the first calculated month, or the month of
 * `date` before any: PAYRUN_NO_OPENBAL_SQL, the rule of the payroll's
 * warning): the vacations before then are unknown, so the balance is an
 * upper bound, not a fact. Adds "opening_missing": {"known_from",
 * "known_from_ru", "text_ru"} to o; nothing otherwise. 0 or -1.
 */
static int vacation_opening_missing(struct ctx *ctx, int64_t employee_id, int date, json_object *o)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT least((SELECT min(pe.month) FROM payroll_employees pe WHERE pe.tenant_id = "
	    "e.tenant_id), date_trunc('month', $3::date)::date) FROM employees e WHERE "
	    "e.tenant_id = $1 AND e.id = $2 AND " PAYRUN_NO_OPENBAL_SQL(
	        "date_trunc('month', $3::date)::date"),
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee_id), worktime_date_iso(ctx, date));
	json_object *m;
	int from;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0 || (from = worktime_pg_date(res, 0, 0)) == DATE_NONE)
		return 0;
	m = json_object_new_object();
	jsonx_set_str(m, "known_from", worktime_date_iso(ctx, from));
	jsonx_set_str(m, "known_from_ru", worktime_date_ru(ctx, from));
	jsonx_set_str(m, "text_ru",
	              arena_printf(ctx->arena,
	                           "Начальные остатки ещё не введены: отпуска до %s сервису не "
	                           "известны, остаток посчитан без них и может быть меньше. Точный "
	                           "остаток — в отделе кадров.",
	                           worktime_date_ru(ctx, from)));
	json_object_object_add(o, "opening_missing", m);
	return 0;
}

static int vacation_balance_of(struct ctx *ctx, int64_t employee_id, int req_from, int req_to)
{
	const char *s = ctx_arg_str(ctx, "date", 32, 0);
	struct vacation_balance v;
	int64_t tenths;
	int date, hired, dismissed, scheduled;
	json_object *o;
	char b[DATE_BUFSZ];

	if (s == NULL || !*s) {
		if (ctx->error_fields)
			return -1;
		if ((date = org_today(ctx)) == DATE_NONE)
			return -1;
	} else if (date_parse_input(s, &date) < 0) {
		return ctx_field(
		    ctx, "date", "%s",
		    date_input_why(s, "Укажите дату в виде ГГГГ-ММ-ДД или ДД.ММ.ГГГГ"));
	}
	if (worktime_employment(ctx, employee_id, &hired, &dismissed) < 0)
		return -1;
	if (hired == DATE_NONE) {
		/* not an error of the request: the balance is not known (the
		 * responsible person who connected the service starts so) */
		o = ctx_result(ctx);
		date_format(date, b);
		jsonx_set_str(o, "date", b);
		jsonx_set_str(o, "hired", NULL);
		jsonx_set_int(o, "employee_id", employee_id);
		jsonx_set_str(o, "balance", NULL);
		jsonx_set_str(o, "balance_ru", NULL);
		jsonx_set_str(o, "reason",
		              "Остаток отпуска не рассчитан: в карточке сотрудника не указана дата "
		              "приёма.");
		return 0;
	}
	if (payslips_vacation(ctx, employee_id, date, &v) < 0)
		return -1;
	/* tenths of a day, half up (away from zero) */
	tenths = v.twelfths >= 0 ? (v.twelfths * 10 + 6) / 12 : -((-v.twelfths * 10 + 6) / 12);
	o = ctx_result(ctx);
	date_format(date, b);
	jsonx_set_str(o, "date", b);
	date_format(v.hired, b);
	jsonx_set_str(o, "hired", b);
	jsonx_set_int(o, "employee_id", employee_id);
	jsonx_set_int(o, "service_months", v.months);
	jsonx_set_int(o, "excluded_days", v.excluded);
	jsonx_set_str(o, "service_end", worktime_date_iso(ctx, v.service_end));
	jsonx_set_int(o, "accrued_twelfths", v.accrued_twelfths);
	jsonx_set_int(o, "used_days", v.used);
	jsonx_set_int(o, "returned_days", v.returned);
	if (v.as_of != DATE_NONE) {
		jsonx_set_str(o, "opening_as_of", worktime_date_iso(ctx, v.as_of));
		jsonx_set_int(o, "opening_used_twelfths", v.opening_used_twelfths);
	}
	jsonx_set_int(o, "balance_twelfths", v.twelfths);
	vacation_set_days(ctx, o, "balance", tenths);
	if (v.as_of == DATE_NONE && vacation_opening_missing(ctx, employee_id, date, o) < 0)
		return -1;
	/* the scheduled vacations and the balance after them (without what
	 * accrues meanwhile): "после запланированного отпуска 3–16 марта" */
	scheduled = vacation_scheduled(ctx, employee_id, date, o);
	if (scheduled < 0)
		return -1;
	if (scheduled > 0) {
		vacation_set_days(ctx, o, "balance_after", tenths - 10 * (int64_t)scheduled);
	} else {
		jsonx_set_str(o, "balance_after", NULL);
		jsonx_set_str(o, "balance_after_ru", NULL);
	}
	{
		struct worktime_month note = {0};

		memcpy(note.provisional, v.provisional, sizeof(v.provisional));
		note.nprovisional = v.nprovisional;
		worktime_note_calendar(ctx, &note, o);
	}
	return vacation_set_requested(ctx, o, employee_id, req_from, req_to);
}

/* The optional period of a vacation being filled in (?date_from=&date_to=):
 * DATE_NONE both when not given; 0 or -1 (422 naming the field). */
static int vacation_arg_period(struct ctx *ctx, int *from, int *to)
{
	const char *f = ctx_arg_str(ctx, "date_from", 32, 0), *t = ctx_arg_str(ctx, "date_to", 32, 0);

	*from = *to = DATE_NONE;
	if (ctx->error_fields)
		return -1;
	if (f == NULL || !*f || t == NULL || !*t)
		return 0;
	if (date_parse_input(f, from) < 0)
		return ctx_field(ctx, "date_from", "%s",
		                 date_input_why(f, "Укажите дату начала отпуска в виде ДД.ММ.ГГГГ"));
	if (date_parse_input(t, to) < 0)
		return ctx_field(ctx, "date_to", "%s",
		                 date_input_why(t, "Укажите дату окончания отпуска в виде ДД.ММ.ГГГГ"));
	if (*to < *from)
		return ctx_field(ctx, "date_to", "Дата окончания отпуска раньше даты начала");
	if (*to - *from > 730)
		return ctx_field(ctx, "date_to", "Отпуск длиннее двух лет: проверьте даты");
	return 0;
}

/* GET /api/vacation/balance?date=YYYY-MM-DD[&date_from=&date_to=]: with a
 * period, also the vacation days it asks for (requested_days, ...). */
static int vacation_balance(struct ctx *ctx)
{
	int from, to;

	if (ctx->employee_id == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Кабинет не связан с сотрудником");
	if (vacation_arg_period(ctx, &from, &to) < 0)
		return -1;
	return vacation_balance_of(ctx, ctx->employee_id, from, to);
}

/* GET /api/admin/employees/{id}/vacation-balance?date= */
static int vacation_admin_balance(struct ctx *ctx)
{
	int64_t id;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	return vacation_balance_of(ctx, id, DATE_NONE, DATE_NONE);
}

/* GET /api/tasks/{id}/vacation-balance: the vacation balance (as
 * vacation.balance, today) of the employee whose request the caller's task
 * is about, and the request's "kind" (a vacation's: annual, ...), so the
 * manager and the performer see it next to a vacation request (access: the
 * task's assignee, access.h). */
static int vacation_task_balance(struct ctx *ctx)
{
	int64_t id;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT r.employee_id, r.data->>'kind', r.date_from, r.date_to FROM "
	              "request_tasks t JOIN requests r "
	              "ON r.tenant_id = "
	              "t.tenant_id AND r.id = t.request_id WHERE t.tenant_id = $1 AND t.id = $2",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Нет такой задачи");
	if (vacation_balance_of(ctx, atoll(PQgetvalue(res, 0, 0)),
	                        PQgetisnull(res, 0, 2) ? DATE_NONE : worktime_pg_date(res, 0, 2),
	                        PQgetisnull(res, 0, 3) ? DATE_NONE : worktime_pg_date(res, 0, 3)) < 0)
		return -1;
	/* the request's vacation kind: the balance is of the annual one */
	jsonx_set_str(ctx_result(ctx), "kind",
	              PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1));
	return 0;
}

static const struct op_arg payslips_get_args[] = {ARG_ROW_MONTH("month", ARG_REQUIRED), ARG_END};
static const struct op_arg payslips_admin_get_args[] = {
    ARG_ROW_ID("employee_id", ARG_REQUIRED),
    ARG_ROW_MONTH("month", ARG_REQUIRED),
    ARG_END,
};
static const struct op_arg vacation_balance_args[] = {
    ARG_ROW_DATE("date", 0),
    ARG_ROW_DATE("date_from", 0),
    ARG_ROW_DATE("date_to", 0),
    ARG_END,
};
static const struct op_arg vacation_task_balance_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
static const struct op_arg vacation_admin_balance_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_ROW_DATE("date", 0),
    ARG_END,
};

const struct op payslips_ops[] = {
    {"payslips.get", OP_EMPLOYEE, payslips_get, 0, payslips_get_args, WHO(WHO_SELF)},
    {"payslips.list", OP_EMPLOYEE, payslips_list, 0, args_none, WHO(WHO_SELF)},
    {"payslips.admin_get", OP_ADMIN, payslips_admin_get, 0, payslips_admin_get_args},
    {"payslips.admin_month", OP_ADMIN, payslips_admin_month, 0, payslips_get_args},
    {"vacation.balance", OP_EMPLOYEE, vacation_balance, 0, vacation_balance_args, WHO(WHO_SELF)},
    {"vacation.admin_balance", OP_ADMIN, vacation_admin_balance, 0, vacation_admin_balance_args},
    {"vacation.task_balance", OP_EMPLOYEE, vacation_task_balance, 0, vacation_task_balance_args,
     WHO_ON(WHO_ASSIGNEE, OBJ_TASK, "id")},
    {NULL, 0, NULL, 0, NULL},
};
