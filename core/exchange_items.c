/*
 * exchange_items.c - the exchange's fields, the check of one item as sent,
 * the rules across one item's fields, and the batch reader. No database;
 * see exchange_items.h.
 */
#include "exchange_items.h"

#include "buf.h"
#include "date.h"
#include "jsonx.h"
#include "money.h"
#include "ru.h"
#include "textenc.h"
#include "validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the kinds ---- */

static const struct exchange_field x_org_fields[] = {
    [OF_EXTID] = {"external_id", XT_EXTID, XR_NONE, 100, XF_REQUIRED, 0, NULL, NULL},
    [OF_NAME] = {"name", XT_TEXT, XR_NONE, 300, XF_REQUIRED, 0, NULL, NULL},
    [OF_INN] = {"inn", XT_INN_ORG, XR_NONE, 0, 0, 0, NULL, NULL},
    [OF_KPP] = {"kpp", XT_KPP, XR_NONE, 0, 0, 0, NULL, NULL},
    [OF_OKPO] = {"okpo", XT_OKPO, XR_NONE, 0, 0, 0, NULL, NULL},
    [OF_ADDRESS] = {"address", XT_TEXT, XR_NONE, 500, 0, 0, NULL, NULL},
    [OF_HEAD] = {"head", XT_REF, XR_EMP, 100, 0, 0, NULL, NULL},
};

static const struct exchange_field x_dep_fields[] = {
    [DF_EXTID] = {"external_id", XT_EXTID, XR_NONE, 100, XF_REQUIRED, 0, NULL, NULL},
    [DF_NAME] = {"name", XT_TEXT, XR_NONE, 300, XF_REQUIRED, 0, NULL, NULL},
    [DF_ORG] = {"organization", XT_REF, XR_ORG, 100, 0, 0, NULL, NULL},
    [DF_PARENT] = {"parent", XT_REF, XR_DEP, 100, 0, 0, NULL, NULL},
    [DF_HEAD] = {"head", XT_REF, XR_EMP, 100, 0, 0, NULL, NULL},
};

static const struct exchange_field x_pos_fields[] = {
    {"external_id", XT_EXTID, XR_NONE, 100, XF_REQUIRED, 0, NULL, NULL},
    {"name", XT_TEXT, XR_NONE, 300, XF_REQUIRED, 0, NULL, NULL},
};

static const struct exchange_field x_emp_fields[] = {
    [EF_EXTID] = {"external_id", XT_EXTID, XR_NONE, 100, XF_REQUIRED, 0, NULL, NULL},
    [EF_NUMBER] = {"personnel_number", XT_TEXT, XR_NONE, 50, 0, 0, NULL, NULL},
    [EF_NAME] = {"full_name", XT_NAME, XR_NONE, 300, XF_REQUIRED, 0, NULL, NULL},
    [EF_BIRTH] = {"birth_date", XT_DATE, XR_NONE, 0, 0, 0, NULL, NULL},
    [EF_ORG] = {"organization", XT_REF, XR_ORG, 100, 0, 0, NULL, NULL},
    [EF_DEP] = {"department", XT_REF, XR_DEP, 100, 0, 0, NULL, NULL},
    [EF_POS] = {"position", XT_REF, XR_POS, 100, 0, 0, NULL, NULL},
    [EF_HIRED] = {"hired", XT_DATE, XR_NONE, 0, 0, 0, NULL, NULL},
    [EF_DISMISSED] = {"dismissed", XT_DATE, XR_NONE, 0, 0, 0, NULL, NULL},
    [EF_PHONE] = {"phone", XT_PHONE, XR_NONE, 0, 0, 0, NULL, NULL},
    [EF_EMAIL] = {"email", XT_EMAIL, XR_NONE, 0, 0, 0, NULL, NULL},
    [EF_SNILS] = {"snils", XT_SNILS, XR_NONE, 0, 0, 0, NULL, NULL},
    [EF_INN] = {"inn", XT_INN_PERSON, XR_NONE, 0, 0, 0, NULL, NULL},
    [EF_INSURANCE] = {"insurance_record", XT_INSURANCE, XR_NONE, 0, 0, 0, NULL, NULL},
    [EF_SCHEDULES] = {"schedules", XT_SCHEDULES, XR_NONE, 0, XF_EXTRA, 0, NULL, NULL},
    [EF_PAY] = {"pay", XT_PAY, XR_NONE, 0, XF_EXTRA, 0, NULL, NULL},
};

static const struct exchange_field x_pf_fields[] = {
    [PFF_EXTID] = {"external_id", XT_EXTID, XR_NONE, 100, XF_REQUIRED, 0, NULL, NULL},
    [PFF_EMPLOYEE] = {"employee", XT_REF, XR_EMP, 100, XF_REQUIRED, 0, NULL, NULL},
    [PFF_KIND] = {"kind", XT_ENUM, XR_NONE, 0, XF_REQUIRED, 0,
                  "employment|vacation|trip|seniority|attestation|education|training",
                  "Вид записи: employment, vacation, trip, seniority, attestation, education или "
                  "training"},
    [PFF_FROM] = {"date_from", XT_DATE, XR_NONE, 0, 0, 0, NULL, NULL},
    [PFF_TO] = {"date_to", XT_DATE, XR_NONE, 0, 0, 0, NULL, NULL},
    {"event", XT_ENUM, XR_NONE, 0, 0, PF_EMPLOYMENT, "hire|transfer|position_change|dismissal",
     "Событие: hire (приём), transfer (перевод), position_change (смена должности) или "
     "dismissal (увольнение)"},
    {"position", XT_TEXT, XR_NONE, 300, 0, PF_EMPLOYMENT, NULL, NULL},
    {"department", XT_TEXT, XR_NONE, 300, 0, PF_EMPLOYMENT, NULL, NULL},
    {"order_number", XT_TEXT, XR_NONE, 50, 0, PF_EMPLOYMENT, NULL, NULL},
    {"order_date", XT_DATE, XR_NONE, 0, 0, PF_EMPLOYMENT, NULL, NULL},
    [PFF_TYPE] = {"type", XT_TEXT, XR_NONE, 100, 0, PF_VACATION | PF_SENIORITY, NULL, NULL},
    {"days", XT_INT, XR_NONE, 36600, 0, PF_VACATION | PF_SENIORITY, NULL, NULL},
    {"destination", XT_TEXT, XR_NONE, 300, 0, PF_TRIP, NULL, NULL},
    {"purpose", XT_TEXT, XR_NONE, 500, 0, PF_TRIP, NULL, NULL},
    {"years", XT_INT, XR_NONE, 99, 0, PF_SENIORITY, NULL, NULL},
    {"months", XT_INT, XR_NONE, 11, 0, PF_SENIORITY, NULL, NULL},
    {"result", XT_TEXT, XR_NONE, 300, 0, PF_ATTESTATION, NULL, NULL},
    {"next_date", XT_DATE, XR_NONE, 0, 0, PF_ATTESTATION, NULL, NULL},
    {"institution", XT_TEXT, XR_NONE, 300, 0, PF_EDUCATION, NULL, NULL},
    {"speciality", XT_TEXT, XR_NONE, 300, 0, PF_EDUCATION, NULL, NULL},
    {"qualification", XT_TEXT, XR_NONE, 300, 0, PF_EDUCATION, NULL, NULL},
    {"document_number", XT_TEXT, XR_NONE, 100, 0, PF_EDUCATION, NULL, NULL},
    {"year", XT_INT, XR_NONE, 2100, 0, PF_EDUCATION, NULL, NULL},
    {"course", XT_TEXT, XR_NONE, 300, 0, PF_TRAINING, NULL, NULL},
    {"organization", XT_TEXT, XR_NONE, 300, 0, PF_TRAINING, NULL, NULL},
    {"hours", XT_INT, XR_NONE, 10000, 0, PF_TRAINING, NULL, NULL},
    {"document", XT_TEXT, XR_NONE, 300, 0, PF_TRAINING, NULL, NULL},
};

/* KPIs (kpi.c): plan and fact of an employee for a month, quarter or year */
static const struct exchange_field x_kpi_fields[] = {
    [KF_EXTID] = {"external_id", XT_EXTID, XR_NONE, 100, XF_REQUIRED, 0, NULL, NULL},
    [KF_EMPLOYEE] = {"employee", XT_REF, XR_EMP, 100, XF_REQUIRED, 0, NULL, NULL},
    [KF_PERIOD] = {"period", XT_PERIOD, XR_NONE, 20, XF_REQUIRED, 0, NULL, NULL},
    [KF_NAME] = {"name", XT_TEXT, XR_NONE, 300, XF_REQUIRED, 0, NULL, NULL},
    [KF_UNIT] = {"unit", XT_TEXT, XR_NONE, 50, 0, 0, NULL, NULL},
    [KF_PLAN] = {"plan", XT_NUMBER, XR_NONE, 0, 0, 0, NULL, NULL},
    [KF_FACT] = {"fact", XT_NUMBER, XR_NONE, 0, 0, 0, NULL, NULL},
};

#define NF(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const struct {
	const char *route;
	const struct exchange_field *fields;
	int n;
} x_kinds[EXCHANGE_KINDS] = {
    [EXCHANGE_ORGANIZATIONS] = {"organizations", x_org_fields, NF(x_org_fields)},
    [EXCHANGE_DEPARTMENTS] = {"departments", x_dep_fields, NF(x_dep_fields)},
    [EXCHANGE_POSITIONS] = {"positions", x_pos_fields, NF(x_pos_fields)},
    [EXCHANGE_EMPLOYEES] = {"employees", x_emp_fields, NF(x_emp_fields)},
    [EXCHANGE_PERSONAL_FILE] = {"personal-file", x_pf_fields, NF(x_pf_fields)},
    [EXCHANGE_KPI] = {"kpi", x_kpi_fields, NF(x_kpi_fields)},
};

static const char *const x_pf_kinds[] = {"employment",  "vacation",  "trip",     "seniority",
                                         "attestation", "education", "training", NULL};

const struct exchange_field *exchange_fields(enum exchange_kind kind, int *n)
{
	*n = x_kinds[kind].n;
	return x_kinds[kind].fields;
}

int exchange_field_index(enum exchange_kind kind, const char *name)
{
	for (int f = 0; f < x_kinds[kind].n; f++)
		if (strcmp(x_kinds[kind].fields[f].name, name) == 0)
			return f;
	return -1;
}

const char *exchange_kind_route(enum exchange_kind kind)
{
	return x_kinds[kind].route;
}

/* ---- one item ---- */

struct xcheck {
	struct arena *a;
	const struct exchange_errors *err;
	int index;
	struct exchange_item *it;
};

static int x_bad(struct xcheck *c, const char *key, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int x_bad(struct xcheck *c, const char *key, const char *code, const char *fmt, ...)
{
	char text[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (c->it)
		c->it->bad = 1;
	c->err->add(c->err->arg, c->index, key, code, text);
	return -1;
}

/* An unknown key as it is named in an error: "" would make "items[0]."
 * that names no field. */
static const char *x_key_name(const char *key)
{
	return *key ? key : "\"\"";
}

int exchange_parse_date(const char *s, int *out)
{
	char iso[DATE_BUFSZ];

	if (date_parse(s, out) == 0)
		return 0;
	if (strlen(s) == 10 && s[2] == '.' && s[5] == '.') {
		snprintf(iso, sizeof(iso), "%.4s-%.2s-%.2s", s + 6, s + 3, s);
		return date_parse(iso, out);
	}
	return -1;
}

static const char *x_iso(struct arena *a, int date)
{
	char *out = arena_alloc(a, DATE_BUFSZ);

	date_format(date, out);
	return out;
}

/* The text of a plain string value (no control characters, at most max
 * characters, spaces at both ends dropped); NULL after a field error. */
static const char *x_text(struct xcheck *c, const char *key, json_object *v, int max)
{
	const char *s;
	size_t chars = 0, n;

	if (!json_object_is_type(v, json_type_string)) {
		x_bad(c, key, "type", "Ожидается строка");
		return NULL;
	}
	s = json_object_get_string(v);
	if ((size_t)json_object_get_string_len(v) != strlen(s)) {
		x_bad(c, key, "invalid", "Недопустимые управляющие символы");
		return NULL;
	}
	{
		unsigned cp;
		const char *what;
		char why[160];
		if (strchr(s, '\t') != NULL) { /* one line of text, no tabs either */
			x_bad(c, key, "invalid", "Недопустимые управляющие символы");
			return NULL;
		}
		if (textenc_invisible_at(s, strlen(s), 0, &cp, &what) < strlen(s)) {
			x_bad(c, key, "invalid", "%s",
			      textenc_invisible_why(cp, what, why, sizeof(why)));
			return NULL;
		}
		if (textenc_noncharacter(s, strlen(s), &cp)) { /* a lone surrogate too (jsonx.h) */
			x_bad(c, key, "encoding",
			      "Текст не в кодировке UTF-8: недопустимый символ U+%04X (одиночный "
			      "суррогат или несимвол Юникода)",
			      cp);
			return NULL;
		}
	}
	while (*s == ' ')
		s++;
	n = strlen(s);
	while (n && s[n - 1] == ' ')
		n--;
	for (size_t i = 0; i < n; i++)
		chars += ((unsigned char)s[i] & 0xc0) != 0x80;
	if (chars > (size_t)max) {
		x_bad(c, key, "too_long", "Не длиннее %d %s", max,
		      ru_plural(max, "символа", "символов", "символов"));
		return NULL;
	}
	return arena_strndup(c->a, s, n);
}

static int x_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Rows "YYYY-MM-DD:..." sorted by date and joined by sep; a second row of
 * the same date is an error of key. */
static const char *x_join_rows(struct xcheck *c, const char **rows, size_t n, const char *key,
                               const char *what, char sep)
{
	struct buf out = BUF_INIT;
	const char *res;

	qsort(rows, n, sizeof(*rows), x_cmp_str);
	for (size_t j = 0; j < n; j++) {
		if (j && strncmp(rows[j], rows[j - 1], 10) == 0) {
			x_bad(c, key, "duplicate", "%s с одной даты %.10s", what, rows[j]);
			buf_free(&out);
			return NULL;
		}
		if (j)
			buf_append(&out, &sep, 1);
		buf_append(&out, rows[j], strlen(rows[j]));
	}
	res = arena_strndup(c->a, out.data ? out.data : "", out.len);
	buf_free(&out);
	return res;
}

/* Unknown keys of a nested object: allowed is "a|b|c". */
static int x_nested_keys(struct xcheck *c, const char *key, json_object *el, const char *allowed)
{
	int bad = 0;

	json_object_object_foreach(el, ek, ev)
	{
		size_t n = strlen(ek);
		int ok = 0;
		(void)ev;
		for (const char *p = allowed; p && !ok;
		     p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL)
			ok = strncmp(p, ek, n) == 0 && (p[n] == '|' || p[n] == '\0');
		if (!ok)
			bad = x_bad(c, arena_printf(c->a, "%s.%s", key, x_key_name(ek)), "unknown",
			            "Неизвестное поле");
	}
	return bad;
}

/* "date:j:#id" or "date:j:=name" rows (j: the index in the list as sent),
 * by date, one a line; the names are resolved by exchange.c. 0 (*out NULL for an empty list) or -1.
 */
static int x_schedules(struct xcheck *c, json_object *v, const char **out)
{
	size_t n = json_object_array_length(v);
	const char **rows;
	int bad = 0;

	if (n == 0)
		return 0;
	rows = arena_alloc(c->a, sizeof(*rows) * n);
	for (size_t j = 0; j < n; j++) {
		json_object *el = json_object_array_get_idx(v, j), *d, *s;
		const char *key = arena_printf(c->a, "schedules[%zu]", j), *name;
		const char *skey = arena_printf(c->a, "%s.schedule", key);
		int date;
		if (!json_object_is_type(el, json_type_object)) {
			bad =
			    x_bad(c, key, "type", "Ожидается объект {\"date_from\", \"schedule\"}");
			continue;
		}
		if (x_nested_keys(c, key, el, "date_from|schedule"))
			bad = -1;
		d = jsonx_get(el, "date_from");
		s = jsonx_get(el, "schedule");
		if (!json_object_is_type(d, json_type_string) ||
		    exchange_parse_date(json_object_get_string(d), &date) < 0) {
			bad = x_bad(
			    c, arena_printf(c->a, "%s.date_from", key), "date", "%s",
			    date_input_why(json_object_get_string(d), "Дата в виде ГГГГ-ММ-ДД"));
			continue;
		}
		if (json_object_is_type(s, json_type_int) && json_object_get_int64(s) > 0) {
			rows[j] = arena_printf(c->a, "%s:%zu:#%lld", x_iso(c->a, date), j,
			                       (long long)json_object_get_int64(s));
			continue;
		}
		if (!json_object_is_type(s, json_type_string)) {
			bad = x_bad(c, skey, "type",
			            "График работы: его номер (id) или точное название");
			continue;
		}
		name = x_text(c, skey, s, 300);
		if (name == NULL) {
			bad = -1;
			continue;
		}
		if (*name == '\0') {
			bad = x_bad(c, skey, "required",
			            "График работы: его номер (id) или точное название");
			continue;
		}
		rows[j] = arena_printf(c->a, "%s:%zu:=%s", x_iso(c->a, date), j, name);
	}
	if (bad)
		return -1;
	*out = x_join_rows(c, rows, n, "schedules", "Два графика", '\n');
	return *out ? 0 : -1;
}

/* "date_from:rate:pay_by:norm,..." sorted by date. 0 (*out NULL for an
 * empty list) or -1. */
static int x_pay(struct xcheck *c, json_object *v, const char **out)
{
	size_t n = json_object_array_length(v);
	const char **rows;
	int bad = 0;

	if (n == 0)
		return 0;
	rows = arena_alloc(c->a, sizeof(*rows) * n);
	for (size_t j = 0; j < n; j++) {
		json_object *el = json_object_array_get_idx(v, j), *d, *r, *p, *nm;
		const char *key = arena_printf(c->a, "pay[%zu]", j), *norm = "";
		char money[MONEY_BUFSZ];
		int64_t kop = 0;
		int date = 0, this_bad = 0;
		if (!json_object_is_type(el, json_type_object)) {
			bad = x_bad(
			    c, key, "type",
			    "Ожидается объект {\"date_from\", \"rate\", \"pay_by\", \"norm\"}");
			continue;
		}
		if (x_nested_keys(c, key, el, "date_from|rate|pay_by|norm"))
			bad = -1;
		d = jsonx_get(el, "date_from");
		r = jsonx_get(el, "rate");
		p = jsonx_get(el, "pay_by");
		nm = jsonx_get(el, "norm");
		if (!json_object_is_type(d, json_type_string) ||
		    exchange_parse_date(json_object_get_string(d), &date) < 0)
			this_bad = x_bad(
			    c, arena_printf(c->a, "%s.date_from", key), "date", "%s",
			    date_input_why(json_object_get_string(d), "Дата в виде ГГГГ-ММ-ДД"));
		if (!(json_object_is_type(r, json_type_string) ||
		      json_object_is_type(r, json_type_int) ||
		      json_object_is_type(r, json_type_double)) ||
		    money_parse(json_object_get_string(r), 0, &kop) < 0 || kop <= 0 ||
		    kop > MONEY_INPUT_MAX)
			this_bad = x_bad(c, arena_printf(c->a, "%s.rate", key), "money",
			                 "Оклад — сумма в рублях больше нуля, с копейками через точку, "
			                 "например \"30000.00\", не больше " MONEY_INPUT_MAX_RU);
		if (!json_object_is_type(p, json_type_string) ||
		    (strcmp(json_object_get_string(p), "days") &&
		     strcmp(json_object_get_string(p), "hours")))
			this_bad = x_bad(c, arena_printf(c->a, "%s.pay_by", key), "invalid",
			                 "Оплата по дням (days) или по часам (hours)");
		if (nm && !json_object_is_type(nm, json_type_null)) {
			norm = json_object_get_string(nm);
			if (!json_object_is_type(nm, json_type_string) ||
			    (strcmp(norm, "per_period") && strcmp(norm, "summed")))
				this_bad =
				    x_bad(c, arena_printf(c->a, "%s.norm", key), "invalid",
				          "Норма: per_period, summed или null (как принято в "
				          "организации)");
		}
		if (this_bad) {
			bad = -1;
			continue;
		}
		money_format(kop, money);
		rows[j] = arena_printf(c->a, "%s:%s:%s:%s", x_iso(c->a, date), money,
		                       json_object_get_string(p), norm);
	}
	if (bad)
		return -1;
	*out = x_join_rows(c, rows, n, "pay", "Два условия оплаты", ',');
	return *out ? 0 : -1;
}

static int x_insurance(struct xcheck *c, const struct exchange_field *f, json_object *v,
                       const char **out)
{
	json_object *y = jsonx_get(v, "years"), *m = jsonx_get(v, "months"),
	            *at = jsonx_get(v, "as_of");
	int64_t yy = -1, mm = -1;
	int date;

	if (!json_object_is_type(v, json_type_object))
		return x_bad(c, f->name, "type",
		             "Ожидается объект {\"years\", \"months\", \"as_of\"}");
	if (x_nested_keys(c, f->name, v, "years|months|as_of"))
		return -1;
	if (json_object_is_type(y, json_type_int))
		yy = json_object_get_int64(y);
	if (json_object_is_type(m, json_type_int))
		mm = json_object_get_int64(m);
	if (yy < 0 || yy > 99)
		return x_bad(c, "insurance_record.years", "invalid",
		             "Полных лет стажа: целое число от 0 до 99");
	if (mm < 0 || mm > 11)
		return x_bad(c, "insurance_record.months", "invalid",
		             "Месяцев сверх полных лет: целое число от 0 до 11");
	if (!json_object_is_type(at, json_type_string) ||
	    exchange_parse_date(json_object_get_string(at), &date) < 0)
		return x_bad(c, "insurance_record.as_of", "date", "%s",
		             date_input_why(json_object_get_string(at),
		                            "Дата, на которую посчитан стаж: ГГГГ-ММ-ДД"));
	*out = arena_printf(c->a, "%lld|%lld|%s", (long long)yy, (long long)mm, x_iso(c->a, date));
	return 0;
}

/* One value, checked and normalized into text; *out NULL for null. 0, or
 * -1 after a field error. */
static int x_value(struct xcheck *c, const struct exchange_field *f, json_object *v,
                   const char **out)
{
	char norm[VALIDATE_EMAIL_MAX + 1];
	const char *s, *code = NULL, *why = NULL;
	int date, rc = -1;

	*out = NULL;
	if (json_object_is_type(v, json_type_null)) {
		if (f->flags & XF_REQUIRED)
			return x_bad(c, f->name, "required",
			             "Обязательное поле: его нельзя очистить");
		return 0;
	}
	switch (f->type) {
	case XT_SCHEDULES:
	case XT_PAY:
		if (!json_object_is_type(v, json_type_array))
			return x_bad(c, f->name, "type", "Ожидается список");
		return f->type == XT_PAY ? x_pay(c, v, out) : x_schedules(c, v, out);
	case XT_INSURANCE:
		return x_insurance(c, f, v, out);
	case XT_NUMBER: {
		char text[MONEY_BUFSZ];
		int64_t k;
		/* a parsed JSON number keeps the text it was written as */
		if (!(json_object_is_type(v, json_type_int) ||
		      json_object_is_type(v, json_type_double) ||
		      json_object_is_type(v, json_type_string)) ||
		    money_parse(json_object_get_string(v), MONEY_ALLOW_NEGATIVE, &k) < 0)
			return x_bad(c, f->name, "number",
			             "Число, не больше двух знаков после точки: 95, 95.5 или "
			             "\"1200000.00\"");
		money_format(k, text);
		*out = arena_strdup(c->a, text);
		return 0;
	}
	case XT_INT: {
		int64_t n;
		if (!json_object_is_type(v, json_type_int) || (n = json_object_get_int64(v)) < 0 ||
		    n > f->max)
			return x_bad(c, f->name, "invalid", "Целое число от 0 до %d", f->max);
		*out = arena_printf(c->a, "%lld", (long long)n);
		return 0;
	}
	default:
		break;
	}
	s = x_text(c, f->name, v, f->max ? f->max : 300);
	if (s == NULL)
		return -1;
	if (*s == '\0' && f->type != XT_TEXT)
		return x_bad(c, f->name, "required", "Пустое значение: укажите его или null");
	switch (f->type) {
	case XT_EXTID:
	case XT_REF:
		*out = s;
		return 0;
	case XT_TEXT:
		if ((f->flags & XF_REQUIRED) && textenc_blank(s, strlen(s)))
			return x_bad(c, f->name, "required", "Обязательное поле");
		*out = *s ? s : NULL;
		return 0;
	case XT_NAME:
		rc = validate_full_name(s, norm, sizeof(norm), &code, &why);
		break;
	case XT_PERIOD: {
		size_t n = strlen(s);
		int year = 0, ok = n == 4 || (n == 7 && s[4] == '-');
		char *norm_period;
		for (size_t i = 0; ok && i < 4; i++)
			ok = s[i] >= '0' && s[i] <= '9';
		if (ok)
			year = atoi(s);
		if (ok && n == 7) {
			if (s[5] == 'Q' || s[5] == 'q')
				ok = s[6] >= '1' && s[6] <= '4';
			else
				ok = s[5] >= '0' && s[5] <= '1' && s[6] >= '0' && s[6] <= '9' &&
				     (s[5] - '0') * 10 + (s[6] - '0') >= 1 &&
				     (s[5] - '0') * 10 + (s[6] - '0') <= 12;
		}
		if (!ok || year < 2000 || year > 2100)
			return x_bad(
			    c, f->name, "period",
			    "Период: месяц ГГГГ-ММ, квартал ГГГГ-Qn или год ГГГГ (2000–2100), "
			    "например 2026-03, 2026-Q1, 2026");
		norm_period = arena_strdup(c->a, s);
		if (n == 7 && norm_period[5] == 'q')
			norm_period[5] = 'Q';
		*out = norm_period;
		return 0;
	}
	case XT_DATE:
		if (exchange_parse_date(s, &date) < 0)
			return x_bad(c, f->name, "date", "%s",
			             date_input_why(s, "Дата в виде ГГГГ-ММ-ДД (или ДД.ММ.ГГГГ)"));
		*out = x_iso(c->a, date);
		return 0;
	case XT_INN_ORG:
		rc = validate_inn(s, 0, norm, sizeof(norm), &code, &why);
		break;
	case XT_INN_PERSON:
		rc = validate_inn(s, 12, norm, sizeof(norm), &code, &why);
		break;
	case XT_KPP:
		rc = validate_kpp(s, norm, sizeof(norm), &code, &why);
		break;
	case XT_OKPO:
		rc = validate_okpo(s, norm, sizeof(norm), &code, &why);
		break;
	case XT_SNILS:
		rc = validate_snils(s, norm, sizeof(norm), &code, &why);
		break;
	case XT_PHONE:
		rc = validate_phone(s, norm, sizeof(norm), &code, &why);
		break;
	case XT_EMAIL:
		rc = validate_email(s, norm, sizeof(norm), &code, &why);
		break;
	case XT_ENUM: {
		size_t n = strlen(s);
		for (const char *p = f->allowed; p; p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL)
			if (strncmp(p, s, n) == 0 && (p[n] == '|' || p[n] == '\0')) {
				*out = s;
				return 0;
			}
		return x_bad(c, f->name, "invalid", "%s", f->hint);
	}
	default:
		return x_bad(c, f->name, "invalid", "Недопустимое значение");
	}
	if (rc < 0)
		return x_bad(c, f->name, code, "%s", why);
	*out = arena_strdup(c->a, norm);
	return 0;
}

int exchange_item_check(struct arena *a, enum exchange_kind kind, int index, json_object *in,
                        int may_omit_ext, struct exchange_item *out,
                        const struct exchange_errors *err)
{
	const struct exchange_field *fields = x_kinds[kind].fields;
	int nf = x_kinds[kind].n;
	struct xcheck c = {.a = a, .err = err, .index = index, .it = out};

	memset(out, 0, sizeof(*out));
	out->in = in;
	out->val = arena_alloc(a, sizeof(char *) * (size_t)nf);
	out->given = arena_alloc(a, (size_t)nf);
	if (!json_object_is_type(in, json_type_object))
		return x_bad(&c, NULL, "type", "Ожидается объект");
	json_object_object_foreach(in, key, val)
	{
		int f = exchange_field_index(kind, key);
		if (f < 0) {
			x_bad(&c, x_key_name(key), "unknown", "Неизвестное поле");
			continue;
		}
		out->given[f] = 1;
		x_value(&c, &fields[f], val, &out->val[f]);
	}
	if (out->given[0])
		out->ext = out->val[0];
	else if (!may_omit_ext)
		x_bad(&c, fields[0].name, "required", "Обязательное поле");
	return out->bad ? -1 : 0;
}

/* ---- rules across the fields of one item ---- */

int exchange_item_rules(enum exchange_kind kind, int index, json_object *in, const char **v,
                        const struct exchange_errors *err)
{
	struct xcheck c = {.err = err, .index = index};
	int bad = 0;

	if (kind == EXCHANGE_EMPLOYEES) {
		if (v[EF_HIRED] && v[EF_DISMISSED] && strcmp(v[EF_DISMISSED], v[EF_HIRED]) < 0)
			bad = x_bad(&c, "dismissed", "order", "Дата увольнения раньше даты приёма");
	} else if (kind == EXCHANGE_PERSONAL_FILE) {
		unsigned mask = 0;
		for (int k = 0; x_pf_kinds[k]; k++)
			if (v[PFF_KIND] && strcmp(v[PFF_KIND], x_pf_kinds[k]) == 0)
				mask = 1u << k;
		for (int f = PFF_TO + 1; f < NF(x_pf_fields); f++) {
			json_object *given = jsonx_get(in, x_pf_fields[f].name);
			if (x_pf_fields[f].kinds & mask)
				continue;
			if (given && !json_object_is_type(given, json_type_null))
				bad = x_bad(&c, x_pf_fields[f].name, "kind",
				            "Поле не относится к записи вида «%s»",
				            v[PFF_KIND] ? v[PFF_KIND] : "");
			v[f] = NULL; /* a changed kind drops the fields of the old one */
		}
		if (mask == PF_SENIORITY && v[PFF_TYPE] && strcmp(v[PFF_TYPE], "total") &&
		    strcmp(v[PFF_TYPE], "continuous") && strcmp(v[PFF_TYPE], "northern"))
			bad =
			    x_bad(&c, "type", "invalid",
			          "Вид стажа: total (общий), continuous (непрерывный) или northern "
			          "(северный)");
		if (v[PFF_FROM] && v[PFF_TO] && strcmp(v[PFF_TO], v[PFF_FROM]) < 0)
			bad = x_bad(&c, "date_to", "order", "Дата окончания раньше даты начала");
	}
	return bad;
}

/* ---- the batch reader ---- */

json_object *exchange_parse_value(struct json_tokener *tok, const char *text, size_t len,
                                  size_t *end, const char **why)
{
	json_object *v;

	if (len > INT32_MAX) {
		*why = JSONX_ERR_TOO_LARGE;
		return NULL;
	}
	json_tokener_reset(tok);
	v = json_tokener_parse_ex(tok, text, (int)len);
	if (v == NULL) {
		enum json_tokener_error e = json_tokener_get_error(tok);
		/* a JSON null is a value too: json-c answers NULL with success */
		if (e == json_tokener_success) {
			*end = json_tokener_get_parse_end(tok);
			*why = NULL;
			return NULL;
		}
		*why = e == json_tokener_continue ? JSONX_ERR_END : json_tokener_error_desc(e);
		return NULL;
	}
	*end = json_tokener_get_parse_end(tok);
	return v;
}

static size_t x_skip_ws(const char *t, size_t len, size_t p)
{
	while (p < len && (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r'))
		p++;
	return p;
}

/* A value at p: *at gets the offset after it; the value (a new reference,
 * NULL for JSON null) in *out when out is given. 0 or -1 (*why). */
static int x_value_at(struct exchange_reader *r, size_t p, size_t *at, json_object **out,
                      const char **why)
{
	size_t used = 0;
	json_object *v;

	if (p >= r->len) {
		r->err_at = p;
		*why = JSONX_ERR_END;
		return -1;
	}
	v = exchange_parse_value(r->tok, r->text + p, r->len - p, &used, why);
	if (v == NULL && *why) {
		r->err_at = p + json_tokener_get_parse_end(r->tok);
		return -1;
	}
	*at = p + used;
	if (out)
		*out = v;
	else
		json_object_put(v);
	return 0;
}

int exchange_reader_open(struct exchange_reader *r, const char *text, size_t len,
                         const struct exchange_errors *err, const char **why)
{
	size_t p;
	int have_items = 0, items_bad = 0;

	memset(r, 0, sizeof(*r));
	r->text = text;
	r->len = len;
	/* items sit two levels down: the body's depth stays JSONX_MAX_DEPTH */
	r->tok = json_tokener_new_ex(JSONX_MAX_DEPTH - 2);
	if (r->tok == NULL) {
		r->err_at = 0;
		*why = "out of memory";
		return -1;
	}
	json_tokener_set_flags(r->tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
	                                   JSON_TOKENER_VALIDATE_UTF8);
	p = x_skip_ws(text, len, 0);
	if (p >= len || text[p] != '{') {
		r->err_at = p;
		*why = JSONX_ERR_NOT_OBJECT;
		return -1;
	}
	p = x_skip_ws(text, len, p + 1);
	if (p < len && text[p] == '}')
		goto end;
	for (;;) {
		json_object *key = NULL;
		const char *name;
		if (p >= len || text[p] != '"') {
			r->err_at = p;
			*why = "object key expected";
			return -1;
		}
		if (x_value_at(r, p, &p, &key, why) < 0)
			return -1;
		name = json_object_get_string(key);
		p = x_skip_ws(text, len, p);
		if (p >= len || text[p] != ':') {
			json_object_put(key);
			r->err_at = p;
			*why = "':' expected after an object key";
			return -1;
		}
		p = x_skip_ws(text, len, p + 1);
		if (strcmp(name, "items") != 0 || have_items) {
			if (strcmp(name, "items") != 0)
				err->add(err->arg, -1, x_key_name(name), "unknown",
				         "Неизвестное поле: ожидается {\"items\": [...]}");
			else
				err->add(err->arg, -1, name, "duplicate",
				         "Поле items встречается дважды");
			json_object_put(key);
			if (x_value_at(r, p, &p, NULL, why) < 0)
				return -1;
		} else if (p < len && text[p] == '[') {
			json_object_put(key);
			have_items = 1;
			r->items_at = p + 1;
			p = x_skip_ws(text, len, p + 1);
			if (p < len && text[p] == ']') {
				p++;
			} else {
				for (;;) {
					size_t from = p;
					char dup[JSONX_PATH_MAX], at[JSONX_PATH_MAX + 32];
					if (x_value_at(r, p, &p, NULL, why) < 0)
						return -1;
					/* json-c keeps the last of a member named twice
					 * (jsonx.h): refused, naming it */
					if (jsonx_duplicate_key(text + from, p - from, dup,
					                        sizeof(dup)) == 1) {
						snprintf(at, sizeof(at), "items[%d].%s", r->count,
						         dup);
						err->add(err->arg, -1, at, "duplicate",
						         "Поле указано дважды: оставьте одно "
						         "значение");
					}
					r->count++;
					p = x_skip_ws(text, len, p);
					if (p < len && text[p] == ',') {
						p = x_skip_ws(text, len, p + 1);
						continue;
					}
					if (p < len && text[p] == ']') {
						p++;
						break;
					}
					r->err_at = p;
					*why = "',' or ']' expected in the items array";
					return -1;
				}
			}
		} else {
			json_object_put(key);
			have_items = items_bad = 1;
			if (x_value_at(r, p, &p, NULL, why) < 0)
				return -1;
		}
		p = x_skip_ws(text, len, p);
		if (p < len && text[p] == ',') {
			p = x_skip_ws(text, len, p + 1);
			continue;
		}
		if (p < len && text[p] == '}')
			break;
		r->err_at = p;
		*why = "',' or '}' expected in the object";
		return -1;
	}
end:
	p = x_skip_ws(text, len, p + 1);
	if (p != len) {
		r->err_at = p;
		*why = "trailing characters after JSON";
		return -1;
	}
	exchange_reader_rewind(r);
	if (!have_items)
		return -2;
	return items_bad ? -3 : 0;
}

void exchange_reader_rewind(struct exchange_reader *r)
{
	r->pos = r->items_at;
	r->next = 0;
}

int exchange_reader_next(struct exchange_reader *r, json_object **item)
{
	const char *why;
	size_t p;

	*item = NULL;
	if (r->next >= r->count || r->items_at == 0)
		return 0;
	p = x_skip_ws(r->text, r->len, r->pos);
	if (x_value_at(r, p, &p, item, &why) < 0)
		return 0; /* cannot happen: open parsed it */
	p = x_skip_ws(r->text, r->len, p);
	r->pos = p + 1; /* past the ',' or the ']' */
	r->next++;
	return 1;
}

void exchange_reader_close(struct exchange_reader *r)
{
	if (r->tok)
		json_tokener_free(r->tok);
	r->tok = NULL;
}
