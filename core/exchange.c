/*
 * exchange.c - the batch upsert of the exchange (and of the admin forms and
 * the CSV import), API keys and the exchange log. The rules are in
 * exchange.h.
 *
 * How a batch runs, whatever its size, in a fixed number of statements:
 *  1. every item's keys are checked against the kind's field table;
 *  2. the stored rows of the batch's external ids are read in one query,
 *     each as the text of every field (references as external ids), so an
 *     item is merged onto its stored row and compared as text;
 *  3. references are looked up in one query per referenced kind;
 *  4. with no error: the new rows are inserted (their required columns),
 *     then every changed row is updated from one JSON recordset, so
 *     references to rows of the same batch resolve whatever their order;
 *     an employee's schedules and pay terms go through schedules.c and
 *     payterms.c in bulk.
 */
#include "exchange.h"

#include "audit.h"
#include "date.h"
#include "jsonx.h"
#include "log.h"
#include "money.h"
#include "ops.h"
#include "payrun.h"
#include "payterms.h"
#include "schedules.h"
#include "session.h"
#include "staff.h"
#include "validate.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

enum xtype {
	XT_EXTID,
	XT_TEXT,
	XT_NAME,
	XT_DATE,
	XT_INT,
	XT_INN_ORG,
	XT_INN_PERSON,
	XT_KPP,
	XT_OKPO,
	XT_SNILS,
	XT_PHONE,
	XT_EMAIL,
	XT_REF,
	XT_INSURANCE,
	XT_SCHEDULES,
	XT_PAY,
	XT_ENUM,
};

enum xref { XR_NONE, XR_ORG, XR_DEP, XR_POS, XR_EMP };

#define XF_REQUIRED 0x1u /* needed to create, never cleared */
#define XF_EXTRA    0x2u /* not a column of the update (schedules, pay) */

/* personal file kinds, as a mask of the fields that belong to them */
#define PF_EMPLOYMENT  0x01u
#define PF_VACATION    0x02u
#define PF_TRIP        0x04u
#define PF_SENIORITY   0x08u
#define PF_ATTESTATION 0x10u
#define PF_EDUCATION   0x20u
#define PF_TRAINING    0x40u
#define PF_ALL         0x7fu

struct xfield {
	const char *name;
	enum xtype type;
	enum xref ref;
	int max;             /* XT_TEXT: characters; XT_INT: the largest value */
	unsigned flags;      /* XF_* */
	unsigned kinds;      /* personal file: the kinds it belongs to (0: all) */
	const char *allowed; /* XT_ENUM: "a|b|c" */
	const char *hint;    /* XT_ENUM: the Russian sentence */
};

struct xkind {
	const char *route;
	const char *title; /* "сотрудник" for messages */
	const struct xfield *fields;
	int nfields;
	const char *load_sql;   /* "SELECT id, <fields> ... WHERE x.tenant_id = $1 AND " */
	const char *insert_sql; /* $1 tenant, $2 recordset of new rows -> id, external_id */
	const char *update_sql; /* $1 tenant, $2 recordset of changed rows (id + fields) */
};

/* ---- the kinds ---- */

static const struct xfield x_org_fields[] = {
    {"external_id", XT_EXTID, XR_NONE, 100, XF_REQUIRED, 0, NULL, NULL},
    {"name", XT_TEXT, XR_NONE, 300, XF_REQUIRED, 0, NULL, NULL},
    {"inn", XT_INN_ORG, XR_NONE, 0, 0, 0, NULL, NULL},
    {"kpp", XT_KPP, XR_NONE, 0, 0, 0, NULL, NULL},
    {"okpo", XT_OKPO, XR_NONE, 0, 0, 0, NULL, NULL},
    {"address", XT_TEXT, XR_NONE, 500, 0, 0, NULL, NULL},
    {"head", XT_REF, XR_EMP, 100, 0, 0, NULL, NULL},
};

static const struct xfield x_dep_fields[] = {
    {"external_id", XT_EXTID, XR_NONE, 100, XF_REQUIRED, 0, NULL, NULL},
    {"name", XT_TEXT, XR_NONE, 300, XF_REQUIRED, 0, NULL, NULL},
    {"organization", XT_REF, XR_ORG, 100, 0, 0, NULL, NULL},
    {"parent", XT_REF, XR_DEP, 100, 0, 0, NULL, NULL},
    {"head", XT_REF, XR_EMP, 100, 0, 0, NULL, NULL},
};

static const struct xfield x_pos_fields[] = {
    {"external_id", XT_EXTID, XR_NONE, 100, XF_REQUIRED, 0, NULL, NULL},
    {"name", XT_TEXT, XR_NONE, 300, XF_REQUIRED, 0, NULL, NULL},
};

enum {
	EF_EXTID,
	EF_NUMBER,
	EF_NAME,
	EF_BIRTH,
	EF_ORG,
	EF_DEP,
	EF_POS,
	EF_HIRED,
	EF_DISMISSED,
	EF_PHONE,
	EF_EMAIL,
	EF_SNILS,
	EF_INN,
	EF_INSURANCE,
	EF_SCHEDULES,
	EF_PAY,
};

static const struct xfield x_emp_fields[] = {
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

enum { PFF_EXTID, PFF_EMPLOYEE, PFF_KIND, PFF_FROM, PFF_TO, PFF_TYPE = 10 };

static const struct xfield x_pf_fields[] = {
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

#define NF(a)   ((int)(sizeof(a) / sizeof((a)[0])))
#define RS(...) "jsonb_to_recordset($2::jsonb) AS r(" __VA_ARGS__ ")"
#define REF(table, col)                                                                            \
	"(SELECT z.id FROM " table " z WHERE z.tenant_id = $1 AND z.external_id = r." col ")"

static const struct xkind x_kinds[] = {
    [EXCHANGE_ORGANIZATIONS] =
        {"organizations", "организация", x_org_fields, NF(x_org_fields),
         "SELECT x.id, x.external_id, x.name, x.inn, x.kpp, x.okpo, x.address, h.external_id FROM "
         "organizations x LEFT JOIN employees h ON h.tenant_id = x.tenant_id AND h.id = x.head_id "
         "WHERE x.tenant_id = $1 AND ",
         "INSERT INTO organizations (tenant_id, external_id, name) SELECT $1, r.external_id, "
         "r.name "
         "FROM " RS("external_id text, name text") " RETURNING id, external_id",
         "UPDATE organizations x SET external_id = r.external_id, name = r.name, inn = r.inn, "
         "kpp = r.kpp, okpo = r.okpo, address = r.address, head_id = " REF(
             "employees", "head") ", updated_at = now() FROM " RS("id bigint, external_id text, "
                                                                  "name text, inn text, kpp "
                                                                  "text, okpo text, address text, "
                                                                  "head text") " WHERE x.tenant_id "
                                                                               "= $1 AND x.id = "
                                                                               "r.id"},
    [EXCHANGE_DEPARTMENTS] =
        {"departments", "подразделение", x_dep_fields, NF(x_dep_fields),
         "SELECT x.id, x.external_id, x.name, o.external_id, p.external_id, h.external_id FROM "
         "departments x LEFT JOIN organizations o ON o.tenant_id = x.tenant_id AND o.id = "
         "x.organization_id LEFT JOIN departments p ON p.tenant_id = x.tenant_id AND p.id = "
         "x.parent_id LEFT JOIN employees h ON h.tenant_id = x.tenant_id AND h.id = x.head_id "
         "WHERE x.tenant_id = $1 AND ",
         "INSERT INTO departments (tenant_id, external_id, name) SELECT $1, r.external_id, "
         "r.name "
         "FROM " RS("external_id text, name text") " RETURNING id, external_id",
         "UPDATE departments x SET external_id = r.external_id, name = r.name, organization_id "
         "= " REF("organizations", "organization") ", parent_id = " REF(
             "departments",
             "parent") ", head_id = " REF("employees",
                                          "head") ", updated_at = now() FROM " RS("id bigint, "
                                                                                  "external_id "
                                                                                  "text, name "
                                                                                  "text, "
                                                                                  "organization "
                                                                                  "text, parent "
                                                                                  "text, head "
                                                                                  "text") " WHER"
                                                                                          "E "
                                                                                          "x."
                                                                                          "tenan"
                                                                                          "t_id "
                                                                                          "= $1 "
                                                                                          "AND "
                                                                                          "x.id "
                                                                                          "= "
                                                                                          "r."
                                                                                          "id"},
    [EXCHANGE_POSITIONS] =
        {"positions", "должность", x_pos_fields, NF(x_pos_fields),
         "SELECT x.id, x.external_id, x.name FROM positions x WHERE x.tenant_id = $1 AND ",
         "INSERT INTO positions (tenant_id, external_id, name) SELECT $1, r.external_id, r.name "
         "FROM " RS("external_id text, name text") " RETURNING id, external_id",
         "UPDATE positions x SET external_id = r.external_id, name = r.name, updated_at = now() "
         "FROM " RS("id bigint, external_id text, name text") " WHERE x.tenant_id = $1 AND x.id = "
                                                              "r.id"},
    [EXCHANGE_EMPLOYEES] =
        {"employees", "сотрудник", x_emp_fields, NF(x_emp_fields),
         "SELECT x.id, x.external_id, x.personnel_number, x.full_name, x.birth_date::text, "
         "o.external_id, d.external_id, p.external_id, x.hired::text, x.dismissed::text, "
         "x.phone, "
         "x.email, x.snils, x.inn, CASE WHEN x.insurance_years IS NOT NULL THEN "
         "x.insurance_years "
         "|| '|' || x.insurance_months || '|' || x.insurance_as_of END, "
         "(SELECT string_agg(a.date_from || ':' || a.schedule_id, ',' ORDER BY a.date_from) "
         "FROM "
         "schedule_assignments a WHERE a.tenant_id = x.tenant_id AND a.employee_id = x.id), "
         "(SELECT string_agg(t.date_from || ':' || t.rate || ':' || t.pay_by || ':' || "
         "coalesce(t.norm, ''), ',' ORDER BY t.date_from) FROM employee_pay t WHERE t.tenant_id "
         "= "
         "x.tenant_id AND t.employee_id = x.id) "
         "FROM employees x LEFT JOIN organizations o ON o.tenant_id = x.tenant_id AND o.id = "
         "x.organization_id LEFT JOIN departments d ON d.tenant_id = x.tenant_id AND d.id = "
         "x.department_id LEFT JOIN positions p ON p.tenant_id = x.tenant_id AND p.id = "
         "x.position_id WHERE x.tenant_id = $1 AND ",
         "INSERT INTO employees (tenant_id, external_id, full_name) SELECT $1, r.external_id, "
         "r.full_name FROM " RS("external_id text, full_name text") " RETURNING id, external_id",
         "UPDATE employees x SET external_id = r.external_id, personnel_number = "
         "r.personnel_number, full_name = r.full_name, birth_date = r.birth_date::date, "
         "organization_id = " REF("organizations", "organization") ", department_id = " REF(
             "departments",
             "department") ", position_id = " REF("positions",
                                                  "position") ", hired = r.hired::date, "
                                                              "dismissed = r.dismissed::date, "
                                                              "phone = r.phone, email = "
                                                              "r.email, snils = r.snils, inn = "
                                                              "r.inn, insurance_years = "
                                                              "nullif(split_part(r.insurance, "
                                                              "'|', 1), '')::int, "
                                                              "insurance_months = "
                                                              "nullif(split_part(r.insurance, "
                                                              "'|', 2), '')::int, "
                                                              "insurance_as_of = "
                                                              "nullif(split_part(r.insurance, "
                                                              "'|', 3), '')::date, "
                                                              "awaiting_match = "
                                                              "false, updated_at = now() "
                                                              "FROM " RS(
                                                                  "id bigint, external_id text, "
                                                                  "personnel_number text, "
                                                                  "full_name text, birth_date "
                                                                  "text, "
                                                                  "organization text, "
                                                                  "department text, position "
                                                                  "text, hired text, dismissed "
                                                                  "text, "
                                                                  "phone text, email text, "
                                                                  "snils text, inn text, "
                                                                  "insurance text") " WHERE "
                                                                                    "x.tenant_"
                                                                                    "id = $1 "
                                                                                    "AND x.id = "
                                                                                    "r.id"},
    [EXCHANGE_PERSONAL_FILE] =
        {"personal-file", "запись личного дела", x_pf_fields, NF(x_pf_fields),
         "SELECT x.id, x.external_id, e.external_id, x.kind, x.date_from::text, x.date_to::text, "
         "x.data->>'event', x.data->>'position', x.data->>'department', x.data->>'order_number', "
         "x.data->>'order_date', x.data->>'type', x.data->>'days', x.data->>'destination', "
         "x.data->>'purpose', x.data->>'years', x.data->>'months', x.data->>'result', "
         "x.data->>'next_date', x.data->>'institution', x.data->>'speciality', "
         "x.data->>'qualification', x.data->>'document_number', x.data->>'year', "
         "x.data->>'course', x.data->>'organization', x.data->>'hours', x.data->>'document' "
         "FROM personal_file x JOIN employees e ON e.tenant_id = x.tenant_id AND e.id = "
         "x.employee_id WHERE x.tenant_id = $1 AND ",
         "INSERT INTO personal_file (tenant_id, external_id, employee_id, kind) SELECT $1, "
         "r.external_id, " REF("employees", "employee") ", r.kind FROM " RS(
             "external_id text, employee text, kind text") " RETURNING id, external_id",
         "UPDATE personal_file x SET external_id = r.external_id, employee_id = " REF(
             "employees",
             "employee") ", kind = r.kind, date_from = r.date_from::date, date_to = "
                         "r.date_to::date, data = jsonb_strip_nulls(jsonb_build_object('event', "
                         "r.event, "
                         "'position', r.position, 'department', r.department, 'order_number', "
                         "r.order_number, "
                         "'order_date', r.order_date, 'type', r.type, 'days', r.days::int, "
                         "'destination', "
                         "r.destination, 'purpose', r.purpose, 'years', r.years::int, 'months', "
                         "r.months::int, "
                         "'result', r.result, 'next_date', r.next_date, 'institution', "
                         "r.institution, "
                         "'speciality', r.speciality, 'qualification', r.qualification, "
                         "'document_number', "
                         "r.document_number, 'year', r.year::int, 'course', r.course, "
                         "'organization', "
                         "r.organization, 'hours', r.hours::int, 'document', r.document)), "
                         "updated_at = now() "
                         "FROM " RS(
                             "id bigint, external_id text, employee text, kind text, date_from "
                             "text, "
                             "date_to text, event text, position text, department text, "
                             "order_number text, "
                             "order_date text, type text, days text, destination text, purpose "
                             "text, years "
                             "text, months text, result text, next_date text, institution text, "
                             "speciality "
                             "text, qualification text, document_number text, year text, course "
                             "text, "
                             "organization text, hours text, document text") " WHERE x.tenant_id = "
                                                                             "$1 AND x.id = r.id"},
};

static const char *const x_pf_kinds[] = {"employment",  "vacation",  "trip",     "seniority",
                                         "attestation", "education", "training", NULL};

/* ---- one batch ---- */

struct xitem {
	json_object *in;  /* the item as sent (lent) */
	const char *ext;  /* its external id (an internal key when made on a page) */
	int64_t id;       /* the stored row, 0 when new */
	const char **old; /* the stored row's fields as text, NULL when new */
	const char **val; /* the merged fields */
	int changed, bad;
	int64_t matched; /* merged into the responsible person's employee */
};

struct xbatch {
	struct ctx *ctx;
	const struct xkind *k;
	enum exchange_kind kind;
	int admin;
	int n;
	struct xitem *it;
	json_object *index;             /* external id -> item index */
	json_object *known[XR_EMP + 1]; /* referenced external ids found -> extra text */
	json_object *schedules;         /* schedule id text / name -> id text */
	int closed_until;               /* DATE_NONE: no closed month */
	int closed_loaded;
};

#define XCTX(b) ((b)->ctx)

static int x_field(struct xbatch *b, int i, const char *key, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int x_field(struct xbatch *b, int i, const char *key, const char *code, const char *fmt, ...)
{
	char text[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	b->it[i].bad = 1;
	return ctx_field_code(b->ctx, arena_printf(b->ctx->arena, "items[%d].%s", i, key), code,
	                      "%s", text);
}

static int x_findex(const struct xkind *k, const char *name)
{
	for (int f = 0; f < k->nfields; f++)
		if (strcmp(k->fields[f].name, name) == 0)
			return f;
	return -1;
}

/* JSON of a list of strings, for "= ANY (ARRAY(SELECT jsonb_array_elements_text($2)))":
 * the array is built once, then each element is an index lookup. */
static const char *x_json_list(struct ctx *ctx, json_object *keys)
{
	json_object *arr = json_object_new_array();

	json_object_object_foreach(keys, key, val)
	{
		(void)val;
		json_object_array_add(arr, json_object_new_string(key));
	}
	arena_own(ctx->arena, arr);
	return jsonx_dump(arr, NULL);
}

/* A date "YYYY-MM-DD" or "DD.MM.YYYY" into out (ISO); 0 or -1. */
static int x_date(const char *s, int *out)
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

static const char *x_iso(struct ctx *ctx, int date)
{
	char *out = arena_alloc(ctx->arena, DATE_BUFSZ);

	date_format(date, out);
	return out;
}

/* The text of a plain string value (no control characters, at most max
 * characters); NULL after a field error. */
static const char *x_text(struct xbatch *b, int i, const char *key, json_object *v, int max)
{
	const char *s;
	size_t chars = 0;

	if (!json_object_is_type(v, json_type_string)) {
		x_field(b, i, key, "type", "Ожидается строка");
		return NULL;
	}
	s = json_object_get_string(v);
	if ((size_t)json_object_get_string_len(v) != strlen(s)) {
		x_field(b, i, key, "invalid", "Недопустимые управляющие символы");
		return NULL;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x20) {
			x_field(b, i, key, "invalid", "Недопустимые управляющие символы");
			return NULL;
		}
		chars += (*p & 0xc0) != 0x80;
	}
	while (*s == ' ')
		s++, chars--;
	if (chars > (size_t)max) {
		x_field(b, i, key, "too_long", "Не длиннее %d символов", max);
		return NULL;
	}
	{
		size_t n = strlen(s);
		while (n && s[n - 1] == ' ')
			n--;
		return arena_strndup(b->ctx->arena, s, n);
	}
}

/* "date_from:schedule_id,..." sorted by date, from the item's list. */
static int x_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static const char *x_schedules(struct xbatch *b, int i, json_object *v)
{
	size_t n = json_object_array_length(v);
	const char **rows;
	struct buf out = BUF_INIT;
	const char *res;
	int bad = 0;

	if (n == 0)
		return NULL;
	rows = arena_alloc(b->ctx->arena, sizeof(*rows) * n);
	for (size_t j = 0; j < n; j++) {
		json_object *el = json_object_array_get_idx(v, j), *d, *s;
		const char *key = arena_printf(b->ctx->arena, "schedules[%zu]", j), *sid = NULL;
		int date;
		if (!json_object_is_type(el, json_type_object)) {
			bad = x_field(b, i, key, "type",
			              "Ожидается объект {\"date_from\", \"schedule\"}");
			continue;
		}
		json_object_object_foreach(el, ek, ev)
		{
			(void)ev;
			if (strcmp(ek, "date_from") && strcmp(ek, "schedule"))
				bad = x_field(b, i, arena_printf(b->ctx->arena, "%s.%s", key, ek),
				              "unknown", "Неизвестное поле");
		}
		d = jsonx_get(el, "date_from");
		s = jsonx_get(el, "schedule");
		if (!json_object_is_type(d, json_type_string) ||
		    x_date(json_object_get_string(d), &date) < 0) {
			bad = x_field(b, i, arena_printf(b->ctx->arena, "%s.date_from", key),
			              "date", "Дата в виде ГГГГ-ММ-ДД");
			continue;
		}
		if (json_object_is_type(s, json_type_int))
			sid = jsonx_get_str(b->schedules,
			                    arena_printf(b->ctx->arena, "#%lld",
			                                 (long long)json_object_get_int64(s)));
		else if (json_object_is_type(s, json_type_string))
			sid = jsonx_get_str(b->schedules, json_object_get_string(s));
		if (sid == NULL) {
			bad = x_field(b, i, arena_printf(b->ctx->arena, "%s.schedule", key),
			              "not_found",
			              "График работы не найден: укажите его номер (id) или точное "
			              "название");
			continue;
		}
		rows[j] = arena_printf(b->ctx->arena, "%s:%s", x_iso(b->ctx, date), sid);
	}
	if (bad)
		return NULL;
	qsort(rows, n, sizeof(*rows), x_cmp_str);
	for (size_t j = 0; j < n; j++) {
		if (j && strncmp(rows[j], rows[j - 1], 10) == 0) {
			x_field(b, i, "schedules", "duplicate", "Два графика с одной даты %.10s",
			        rows[j]);
			buf_free(&out);
			return NULL;
		}
		buf_printf(&out, "%s%s", j ? "," : "", rows[j]);
	}
	res = arena_strndup(b->ctx->arena, out.data, out.len);
	buf_free(&out);
	return res;
}

/* "date_from:rate:pay_by:norm,..." sorted by date. */
static const char *x_pay(struct xbatch *b, int i, json_object *v)
{
	size_t n = json_object_array_length(v);
	const char **rows;
	struct buf out = BUF_INIT;
	const char *res;
	int bad = 0;

	if (n == 0)
		return NULL;
	rows = arena_alloc(b->ctx->arena, sizeof(*rows) * n);
	for (size_t j = 0; j < n; j++) {
		json_object *el = json_object_array_get_idx(v, j), *d, *r, *p, *nm;
		const char *key = arena_printf(b->ctx->arena, "pay[%zu]", j), *norm = "";
		char money[MONEY_BUFSZ];
		int64_t kop;
		int date;
		if (!json_object_is_type(el, json_type_object)) {
			bad = x_field(b, i, key, "type",
			              "Ожидается объект {\"date_from\", \"rate\", \"pay_by\", "
			              "\"norm\"}");
			continue;
		}
		json_object_object_foreach(el, ek, ev)
		{
			(void)ev;
			if (strcmp(ek, "date_from") && strcmp(ek, "rate") && strcmp(ek, "pay_by") &&
			    strcmp(ek, "norm"))
				bad = x_field(b, i, arena_printf(b->ctx->arena, "%s.%s", key, ek),
				              "unknown", "Неизвестное поле");
		}
		d = jsonx_get(el, "date_from");
		r = jsonx_get(el, "rate");
		p = jsonx_get(el, "pay_by");
		nm = jsonx_get(el, "norm");
		if (!json_object_is_type(d, json_type_string) ||
		    x_date(json_object_get_string(d), &date) < 0)
			bad = x_field(b, i, arena_printf(b->ctx->arena, "%s.date_from", key),
			              "date", "Дата в виде ГГГГ-ММ-ДД");
		if (!(json_object_is_type(r, json_type_string) ||
		      json_object_is_type(r, json_type_int) ||
		      json_object_is_type(r, json_type_double)) ||
		    money_parse(json_object_get_string(r), 0, &kop) < 0 || kop > MONEY_MAX)
			bad = x_field(b, i, arena_printf(b->ctx->arena, "%s.rate", key), "money",
			              "Оклад — сумма в рублях с копейками через точку, например "
			              "\"30000.00\"");
		if (!json_object_is_type(p, json_type_string) ||
		    (strcmp(json_object_get_string(p), "days") &&
		     strcmp(json_object_get_string(p), "hours")))
			bad = x_field(b, i, arena_printf(b->ctx->arena, "%s.pay_by", key),
			              "invalid", "Оплата по дням (days) или по часам (hours)");
		if (nm && !json_object_is_type(nm, json_type_null)) {
			norm = json_object_get_string(nm);
			if (!json_object_is_type(nm, json_type_string) ||
			    (strcmp(norm, "per_period") && strcmp(norm, "summed")))
				bad = x_field(b, i, arena_printf(b->ctx->arena, "%s.norm", key),
				              "invalid",
				              "Норма: per_period, summed или null (как принято в "
				              "организации)");
		}
		if (bad)
			continue;
		money_format(kop, money);
		rows[j] = arena_printf(b->ctx->arena, "%s:%s:%s:%s", x_iso(b->ctx, date), money,
		                       json_object_get_string(p), norm);
	}
	if (bad)
		return NULL;
	qsort(rows, n, sizeof(*rows), x_cmp_str);
	for (size_t j = 0; j < n; j++) {
		if (j && strncmp(rows[j], rows[j - 1], 10) == 0) {
			x_field(b, i, "pay", "duplicate", "Два условия оплаты с одной даты %.10s",
			        rows[j]);
			buf_free(&out);
			return NULL;
		}
		buf_printf(&out, "%s%s", j ? "," : "", rows[j]);
	}
	res = arena_strndup(b->ctx->arena, out.data, out.len);
	buf_free(&out);
	return res;
}

/* One value of an item, checked and normalized into text; *out NULL for
 * null. 0, or -1 after a field error. */
static int x_value(struct xbatch *b, int i, const struct xfield *f, json_object *v,
                   const char **out)
{
	struct ctx *ctx = b->ctx;
	char norm[VALIDATE_EMAIL_MAX + 1];
	const char *s, *code, *why;
	int date, rc = -1;

	*out = NULL;
	if (json_object_is_type(v, json_type_null)) {
		if (f->flags & XF_REQUIRED)
			return x_field(b, i, f->name, "required",
			               "Обязательное поле: его нельзя очистить");
		return 0;
	}
	switch (f->type) {
	case XT_SCHEDULES:
	case XT_PAY:
		if (!json_object_is_type(v, json_type_array))
			return x_field(b, i, f->name, "type", "Ожидается список");
		*out = f->type == XT_PAY ? x_pay(b, i, v) : x_schedules(b, i, v);
		return b->it[i].bad ? -1 : 0;
	case XT_INSURANCE: {
		json_object *y = jsonx_get(v, "years"), *m = jsonx_get(v, "months"),
		            *a = jsonx_get(v, "as_of");
		int64_t yy = -1, mm = -1;
		if (!json_object_is_type(v, json_type_object))
			return x_field(b, i, f->name, "type",
			               "Ожидается объект {\"years\", \"months\", \"as_of\"}");
		json_object_object_foreach(v, ek, ev)
		{
			(void)ev;
			if (strcmp(ek, "years") && strcmp(ek, "months") && strcmp(ek, "as_of"))
				return x_field(b, i, arena_printf(ctx->arena, "%s.%s", f->name, ek),
				               "unknown", "Неизвестное поле");
		}
		if (json_object_is_type(y, json_type_int))
			yy = json_object_get_int64(y);
		if (json_object_is_type(m, json_type_int))
			mm = json_object_get_int64(m);
		if (yy < 0 || yy > 99)
			return x_field(b, i, "insurance_record.years", "invalid",
			               "Полных лет стажа: целое число от 0 до 99");
		if (mm < 0 || mm > 11)
			return x_field(b, i, "insurance_record.months", "invalid",
			               "Месяцев сверх полных лет: целое число от 0 до 11");
		if (!json_object_is_type(a, json_type_string) ||
		    x_date(json_object_get_string(a), &date) < 0)
			return x_field(b, i, "insurance_record.as_of", "date",
			               "Дата, на которую посчитан стаж: ГГГГ-ММ-ДД");
		*out = arena_printf(ctx->arena, "%lld|%lld|%s", (long long)yy, (long long)mm,
		                    x_iso(ctx, date));
		return 0;
	}
	case XT_INT: {
		int64_t n;
		if (!json_object_is_type(v, json_type_int) || (n = json_object_get_int64(v)) < 0 ||
		    n > f->max)
			return x_field(b, i, f->name, "invalid", "Целое число от 0 до %d", f->max);
		*out = arena_printf(ctx->arena, "%lld", (long long)n);
		return 0;
	}
	default:
		break;
	}
	s = x_text(b, i, f->name, v, f->max ? f->max : 300);
	if (s == NULL)
		return -1;
	if (*s == '\0' && f->type != XT_TEXT)
		return x_field(b, i, f->name, "required", "Пустое значение: укажите его или null");
	switch (f->type) {
	case XT_EXTID:
		if (*s == '\0')
			return x_field(b, i, f->name, "required", "Обязательное поле");
		*out = s;
		return 0;
	case XT_TEXT:
		if ((f->flags & XF_REQUIRED) && *s == '\0')
			return x_field(b, i, f->name, "required", "Обязательное поле");
		*out = *s ? s : NULL;
		return 0;
	case XT_NAME:
		rc = validate_full_name(s, norm, sizeof(norm), &code, &why);
		break;
	case XT_DATE:
		if (x_date(s, &date) < 0)
			return x_field(b, i, f->name, "date",
			               "Дата в виде ГГГГ-ММ-ДД (или ДД.ММ.ГГГГ)");
		*out = x_iso(ctx, date);
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
		return x_field(b, i, f->name, "invalid", "%s", f->hint);
	}
	case XT_REF:
		*out = s;
		return 0;
	default:
		return x_field(b, i, f->name, "invalid", "Недопустимое значение");
	}
	if (rc < 0)
		return x_field(b, i, f->name, code, "%s", why);
	*out = arena_strdup(ctx->arena, norm);
	return 0;
}

/* ---- loading ---- */

static int x_load_rows(struct xbatch *b, PGresult *res, int match)
{
	for (int r = 0; r < PQntuples(res); r++) {
		int64_t idx;
		struct xitem *it;
		if (jsonx_get_int64(b->index, PQgetvalue(res, r, 1), &idx) < 0)
			continue;
		it = &b->it[idx];
		if (it->old && match)
			continue;
		it->id = atoll(PQgetvalue(res, r, 0));
		it->old = arena_alloc(b->ctx->arena, sizeof(char *) * (size_t)b->k->nfields);
		for (int f = 0; f < b->k->nfields; f++)
			it->old[f] = PQgetisnull(res, r, f + 1) ? NULL : PQgetvalue(res, r, f + 1);
	}
	return 0;
}

/* Reads the stored rows of the batch's external ids. */
static int x_load(struct xbatch *b)
{
	PGresult *res = ctx_sql(
	    b->ctx,
	    arena_printf(
	        b->ctx->arena,
	        "%sx.external_id = ANY (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))",
	        b->k->load_sql),
	    ctx_i64(b->ctx, b->ctx->tenant_id), x_json_list(b->ctx, b->index));

	if (res == NULL)
		return -1;
	return x_load_rows(b, res, 0);
}

/* The responsible person's employee, waiting for its match: a new employee
 * with the same phone or email takes it over (its row becomes theirs). */
static int x_match_responsible(struct xbatch *b)
{
	PGresult *res =
	    ctx_sql(b->ctx, arena_printf(b->ctx->arena, "%sx.awaiting_match", b->k->load_sql),
	            ctx_i64(b->ctx, b->ctx->tenant_id));

	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		const char *phone =
		    PQgetisnull(res, r, EF_PHONE + 1) ? NULL : PQgetvalue(res, r, EF_PHONE + 1);
		const char *email =
		    PQgetisnull(res, r, EF_EMAIL + 1) ? NULL : PQgetvalue(res, r, EF_EMAIL + 1);
		for (int i = 0; i < b->n; i++) {
			struct xitem *it = &b->it[i];
			const char *p = it->val[EF_PHONE], *e = it->val[EF_EMAIL];
			if (it->old || it->bad ||
			    !((phone && p && strcmp(phone, p) == 0) ||
			      (email && e && strcasecmp(email, e) == 0)))
				continue;
			it->id = atoll(PQgetvalue(res, r, 0));
			it->matched = it->id;
			it->old =
			    arena_alloc(b->ctx->arena, sizeof(char *) * (size_t)b->k->nfields);
			for (int f = 0; f < b->k->nfields; f++)
				it->old[f] =
				    PQgetisnull(res, r, f + 1) ? NULL : PQgetvalue(res, r, f + 1);
			break;
		}
	}
	return 0;
}

/* The external ids referenced by the batch that exist: one query per
 * referenced kind; known[ref] maps each to extra text (for a department:
 * its organization's external id, or ""). */
static int x_load_refs(struct xbatch *b)
{
	static const char *const sql[] = {
	    [XR_ORG] = "SELECT z.external_id, '' FROM organizations z WHERE z.tenant_id = $1 AND ",
	    [XR_DEP] = "SELECT z.external_id, coalesce(o.external_id, '') FROM departments z LEFT "
	               "JOIN organizations o ON o.tenant_id = z.tenant_id AND o.id = "
	               "z.organization_id WHERE z.tenant_id = $1 AND ",
	    [XR_POS] = "SELECT z.external_id, '' FROM positions z WHERE z.tenant_id = $1 AND ",
	    [XR_EMP] = "SELECT z.external_id, '' FROM employees z WHERE z.tenant_id = $1 AND ",
	};
	json_object *wanted[XR_EMP + 1] = {0};

	for (int i = 0; i < b->n; i++)
		for (int f = 0; f < b->k->nfields; f++) {
			const struct xfield *fd = &b->k->fields[f];
			if (fd->type != XT_REF || b->it[i].val[f] == NULL)
				continue;
			if (wanted[fd->ref] == NULL)
				wanted[fd->ref] =
				    arena_own(b->ctx->arena, json_object_new_object());
			json_object_object_add(wanted[fd->ref], b->it[i].val[f], NULL);
		}
	if (b->kind == EXCHANGE_DEPARTMENTS) /* the whole tree: parents, cycles */
		wanted[XR_DEP] = NULL;
	for (int r = XR_ORG; r <= XR_EMP; r++) {
		PGresult *res;
		b->known[r] = arena_own(b->ctx->arena, json_object_new_object());
		if (wanted[r] == NULL && !(r == XR_DEP && b->kind == EXCHANGE_DEPARTMENTS))
			continue;
		if (r == XR_DEP && b->kind == EXCHANGE_DEPARTMENTS) {
			res = ctx_sql(b->ctx,
			              "SELECT z.external_id, coalesce(o.external_id, ''), "
			              "coalesce(p.external_id, '') FROM departments z LEFT JOIN "
			              "organizations o ON o.tenant_id = z.tenant_id AND o.id = "
			              "z.organization_id LEFT JOIN departments p ON p.tenant_id = "
			              "z.tenant_id AND p.id = z.parent_id WHERE z.tenant_id = $1",
			              ctx_i64(b->ctx, b->ctx->tenant_id));
		} else {
			res = ctx_sql(b->ctx,
			              arena_printf(b->ctx->arena,
			                           "%sz.external_id = ANY (ARRAY(SELECT "
			                           "jsonb_array_elements_text($2::jsonb)))",
			                           sql[r]),
			              ctx_i64(b->ctx, b->ctx->tenant_id),
			              x_json_list(b->ctx, wanted[r]));
		}
		if (res == NULL)
			return -1;
		for (int row = 0; row < PQntuples(res); row++) {
			const char *extra = PQgetvalue(res, row, 1);
			if (PQnfields(res) > 2) /* org|parent of every department */
				extra =
				    arena_printf(b->ctx->arena, "%s|%s", PQgetvalue(res, row, 1),
				                 PQgetvalue(res, row, 2));
			jsonx_set_str(b->known[r], PQgetvalue(res, row, 0), extra);
		}
	}
	return 0;
}

static int x_load_schedules(struct xbatch *b)
{
	PGresult *res = ctx_sql(b->ctx, "SELECT id, name FROM schedules WHERE tenant_id = $1",
	                        ctx_i64(b->ctx, b->ctx->tenant_id));

	if (res == NULL)
		return -1;
	b->schedules = arena_own(b->ctx->arena, json_object_new_object());
	for (int r = 0; r < PQntuples(res); r++) {
		jsonx_set_str(b->schedules, PQgetvalue(res, r, 1), PQgetvalue(res, r, 0));
		jsonx_set_str(b->schedules,
		              arena_printf(b->ctx->arena, "#%s", PQgetvalue(res, r, 0)),
		              PQgetvalue(res, r, 0));
	}
	return 0;
}

/* ---- checks across fields and items ---- */

static const char *x_dep_org(struct xbatch *b, const char *dep)
{
	int64_t idx;
	const char *extra;

	if (b->kind == EXCHANGE_DEPARTMENTS && jsonx_get_int64(b->index, dep, &idx) == 0)
		return b->it[idx].val[2];
	extra = jsonx_get_str(b->known[XR_DEP], dep);
	if (extra == NULL)
		return NULL;
	if (b->kind == EXCHANGE_DEPARTMENTS) {
		const char *bar = strchr(extra, '|');
		return bar && bar != extra
		           ? arena_strndup(b->ctx->arena, extra, (size_t)(bar - extra))
		           : NULL;
	}
	return *extra ? extra : NULL;
}

static const char *x_dep_parent(struct xbatch *b, const char *dep)
{
	int64_t idx;
	const char *extra;

	if (jsonx_get_int64(b->index, dep, &idx) == 0)
		return b->it[idx].val[3];
	extra = jsonx_get_str(b->known[XR_DEP], dep);
	extra = extra ? strchr(extra, '|') : NULL;
	return extra && extra[1] ? extra + 1 : NULL;
}

static int x_check_refs(struct xbatch *b, int i)
{
	static const char *const missing[][2] = {
	    [XR_ORG] = {"Организация", "не найдена"},
	    [XR_DEP] = {"Подразделение", "не найдено"},
	    [XR_POS] = {"Должность", "не найдена"},
	    [XR_EMP] = {"Сотрудник", "не найден"},
	};
	struct xitem *it = &b->it[i];
	int64_t idx;

	for (int f = 0; f < b->k->nfields; f++) {
		const struct xfield *fd = &b->k->fields[f];
		const char *v = it->val[f];
		char text[300];
		if (fd->type != XT_REF || v == NULL)
			continue;
		if (jsonx_get(b->known[fd->ref], v) != NULL ||
		    (fd->ref == XR_DEP && b->kind == EXCHANGE_DEPARTMENTS &&
		     jsonx_get_int64(b->index, v, &idx) == 0))
			continue;
		snprintf(text, sizeof(text), "%s «%s» %s", missing[fd->ref][0], v,
		         missing[fd->ref][1]);
		x_field(b, i, fd->name, "not_found",
		        "%s: передайте этот объект раньше (или, для подразделений, в этом же "
		        "пакете); ссылки — внешние коды",
		        text);
	}
	return it->bad ? -1 : 0;
}

static int x_check_employee(struct xbatch *b, int i)
{
	struct xitem *it = &b->it[i];
	const char **v = it->val;

	if (v[EF_DEP]) {
		const char *org = x_dep_org(b, v[EF_DEP]);
		if (v[EF_ORG] == NULL)
			v[EF_ORG] = org;
		else if (org && strcmp(org, v[EF_ORG]) != 0)
			x_field(b, i, "department", "organization",
			        "Подразделение «%s» относится к другой организации", v[EF_DEP]);
	}
	if (v[EF_HIRED] && v[EF_DISMISSED] && strcmp(v[EF_DISMISSED], v[EF_HIRED]) < 0)
		x_field(b, i, "dismissed", "order", "Дата увольнения раньше даты приёма");
	return it->bad ? -1 : 0;
}

static int x_check_department(struct xbatch *b, int i)
{
	struct xitem *it = &b->it[i];
	const char **v = it->val;

	if (v[3]) {
		const char *porg = x_dep_org(b, v[3]);
		if (strcmp(v[3], v[0]) == 0)
			return x_field(b, i, "parent", "cycle",
			               "Подразделение не может входить само в себя");
		if (v[2] == NULL && porg)
			v[2] = porg; /* a new sub-department is in its parent's organization */
		else if (porg && v[2] && strcmp(porg, v[2]) != 0)
			x_field(b, i, "parent", "organization",
			        "Вышестоящее подразделение «%s» относится к другой организации",
			        v[3]);
		/* no cycles: walking up from the parent never comes back */
		for (const char *p = v[3], *q; p; p = q) {
			int steps = 0;
			q = x_dep_parent(b, p);
			if (q && strcmp(q, v[0]) == 0)
				return x_field(b, i, "parent", "cycle",
				               "Подразделение «%s» уже входит в «%s»: получился бы "
				               "замкнутый круг",
				               v[3], v[0]);
			if (++steps > 10000)
				break;
		}
	}
	return it->bad ? -1 : 0;
}

static int x_check_pf(struct xbatch *b, int i)
{
	struct xitem *it = &b->it[i];
	const char **v = it->val;
	unsigned mask = 0;

	for (int k = 0; x_pf_kinds[k]; k++)
		if (v[PFF_KIND] && strcmp(v[PFF_KIND], x_pf_kinds[k]) == 0)
			mask = 1u << k;
	for (int f = PFF_TO + 1; f < b->k->nfields; f++) {
		const struct xfield *fd = &b->k->fields[f];
		if (fd->kinds & mask)
			continue;
		if (jsonx_get(it->in, fd->name) &&
		    !json_object_is_type(jsonx_get(it->in, fd->name), json_type_null))
			x_field(b, i, fd->name, "kind", "Поле не относится к записи вида «%s»",
			        v[PFF_KIND] ? v[PFF_KIND] : "");
		v[f] = NULL; /* a changed kind drops the fields of the old one */
	}
	if (mask == PF_SENIORITY && v[PFF_TYPE] && strcmp(v[PFF_TYPE], "total") &&
	    strcmp(v[PFF_TYPE], "continuous") && strcmp(v[PFF_TYPE], "northern"))
		x_field(b, i, "type", "invalid",
		        "Вид стажа: total (общий), continuous (непрерывный) или northern "
		        "(северный)");
	if (v[PFF_FROM] && v[PFF_TO] && strcmp(v[PFF_TO], v[PFF_FROM]) < 0)
		x_field(b, i, "date_to", "order", "Дата окончания раньше даты начала");
	return it->bad ? -1 : 0;
}

/* Whether a "row,row,..." list has exactly row (n bytes), or, with
 * date_only, a row of the same date. */
static int x_list_has(const char *list, const char *row, size_t n, int date_only)
{
	for (const char *p = list; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		if (date_only ? len > 10 && strncmp(p, row, 10) == 0
		              : len == n && strncmp(p, row, n) == 0)
			return 1;
	}
	return 0;
}

/* ---- the driver ---- */

static int x_closed(struct xbatch *b)
{
	if (!b->closed_loaded && payrun_closed_until(b->ctx, &b->closed_until) < 0)
		return -1;
	b->closed_loaded = 1;
	return 0;
}

/* The dates whose row differs between two "date:...,date:..." lists; a
 * change effective up to a closed month is an error of the item. */
static int x_check_locked(struct xbatch *b, int i, const char *key, const char *oldl,
                          const char *newl)
{
	const char *lists[2] = {oldl, newl};

	if ((oldl == NULL && newl == NULL) || (oldl && newl && strcmp(oldl, newl) == 0))
		return 0;
	if (x_closed(b) < 0)
		return -1;
	if (b->closed_until == DATE_NONE)
		return 0;
	for (int l = 0; l < 2; l++) {
		const char *other = lists[1 - l];
		for (const char *p = lists[l]; p && *p;
		     p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
			const char *end = strchr(p, ',');
			size_t n = end ? (size_t)(end - p) : strlen(p);
			char row[200];
			int date;
			snprintf(row, sizeof(row), "%.*s", (int)n, p);
			if (x_list_has(other, row, strlen(row), 0)) /* the same on both sides */
				continue;
			row[10] = '\0';
			if (date_parse(row, &date) == 0 && date <= b->closed_until) {
				char ru[DATE_BUFSZ];
				date_format_ru(date, ru);
				return x_field(
				    b, i, key, "locked",
				    "Изменение с %s затрагивает закрытый месяц зарплаты: "
				    "сначала откройте его",
				    ru);
			}
		}
	}
	return 0;
}

/* Personnel numbers are unique within an organization. */
static int x_check_numbers(struct xbatch *b)
{
	json_object *seen = arena_own(b->ctx->arena, json_object_new_object()),
	            *nums = arena_own(b->ctx->arena, json_object_new_object());
	PGresult *res;

	for (int i = 0; i < b->n; i++)
		if (b->it[i].val[EF_NUMBER])
			json_object_object_add(nums, b->it[i].val[EF_NUMBER], NULL);
	if (json_object_object_length(nums) == 0)
		return 0;
	res = ctx_sql(b->ctx,
	              /* every number of the tenant, matched here: the planner has
	               * no estimate of a list's length and joins it badly */
	              "SELECT e.external_id, coalesce(o.external_id, ''), e.personnel_number "
	              "FROM employees e LEFT JOIN organizations o ON o.tenant_id = e.tenant_id "
	              "AND o.id = e.organization_id WHERE e.tenant_id = $1 AND "
	              "e.personnel_number IS NOT NULL",
	              ctx_i64(b->ctx, b->ctx->tenant_id));
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		int64_t idx;
		if (jsonx_get(nums, PQgetvalue(res, r, 2)) == NULL ||
		    jsonx_get_int64(b->index, PQgetvalue(res, r, 0), &idx) == 0)
			continue; /* another number, or in the batch: its new number counts */
		jsonx_set_str(seen,
		              arena_printf(b->ctx->arena, "%s|%s", PQgetvalue(res, r, 1),
		                           PQgetvalue(res, r, 2)),
		              PQgetvalue(res, r, 0));
	}
	for (int i = 0; i < b->n; i++) {
		struct xitem *it = &b->it[i];
		const char *key, *owner;
		if (it->val[EF_NUMBER] == NULL || it->bad)
			continue;
		key = arena_printf(b->ctx->arena, "%s|%s", it->val[EF_ORG] ? it->val[EF_ORG] : "",
		                   it->val[EF_NUMBER]);
		owner = jsonx_get_str(seen, key);
		if (owner && strcmp(owner, it->ext) != 0 &&
		    !(it->matched && strcmp(owner, it->old[EF_EXTID]) == 0)) {
			x_field(b, i, "personnel_number", "taken",
			        "Табельный номер %s уже у другого сотрудника организации (внешний "
			        "код «%s»)",
			        it->val[EF_NUMBER], owner);
			continue;
		}
		jsonx_set_str(seen, key, it->ext);
	}
	return 0;
}

/* Items of the batch: parse, merge onto the stored row, check. 0 (maybe
 * with field errors) or -1 on a database failure. */
static int x_prepare(struct xbatch *b, json_object *items)
{
	struct ctx *ctx = b->ctx;
	int nf = b->k->nfields;

	b->n = (int)json_object_array_length(items);
	b->it = arena_alloc(ctx->arena, sizeof(*b->it) * (size_t)(b->n ? b->n : 1));
	b->index = arena_own(ctx->arena, json_object_new_object());
	/* 1. the keys, the external ids */
	for (int i = 0; i < b->n; i++) {
		struct xitem *it = &b->it[i];
		json_object *ext;
		int64_t prev;
		it->in = json_object_array_get_idx(items, i);
		it->val = arena_alloc(ctx->arena, sizeof(char *) * (size_t)nf);
		if (!json_object_is_type(it->in, json_type_object)) {
			b->it[i].bad = 1;
			ctx_field_code(ctx, arena_printf(ctx->arena, "items[%d]", i), "type",
			               "Ожидается объект");
			continue;
		}
		json_object_object_foreach(it->in, key, val)
		{
			(void)val;
			if (x_findex(b->k, key) < 0)
				x_field(b, i, key, "unknown", "Неизвестное поле");
		}
		ext = jsonx_get(it->in, "external_id");
		if (ext == NULL && b->admin && b->n == 1) {
			it->ext = "\001new"; /* made on a page: local-<id> */
		} else if (ext == NULL) {
			x_field(b, i, "external_id", "required", "Обязательное поле");
			continue;
		} else if (x_value(b, i, &b->k->fields[0], ext, &it->ext) < 0) {
			continue;
		}
		if (jsonx_get_int64(b->index, it->ext, &prev) == 0) {
			x_field(b, i, "external_id", "duplicate",
			        "Внешний код «%s» уже есть в этом пакете (элемент %lld)", it->ext,
			        (long long)prev);
			continue;
		}
		jsonx_set_int(b->index, it->ext, i);
	}
	if (b->kind == EXCHANGE_EMPLOYEES && x_load_schedules(b) < 0)
		return -1;
	/* 2. the stored rows */
	if (x_load(b) < 0)
		return -1;
	/* 3. the values, merged onto the stored row */
	for (int i = 0; i < b->n; i++) {
		struct xitem *it = &b->it[i];
		if (it->ext == NULL || !json_object_is_type(it->in, json_type_object))
			continue;
		if (it->old == NULL && strncmp(it->ext, "local-", 6) == 0) {
			x_field(b, i, "external_id", "not_found",
			        "Коды local-… даёт сервис объектам, созданным на его страницах; "
			        "объекта «%s» нет",
			        it->ext);
			continue;
		}
		for (int f = 1; f < nf; f++) {
			json_object *v = NULL;
			/* a key left out keeps the stored value; null clears it */
			if (!json_object_object_get_ex(it->in, b->k->fields[f].name, &v))
				it->val[f] = it->old ? it->old[f] : NULL;
			else
				x_value(b, i, &b->k->fields[f], v, &it->val[f]);
		}
		it->val[0] = it->ext[0] == '\001' ? NULL : it->ext;
		for (int f = 1; f < nf && it->old == NULL; f++)
			if ((b->k->fields[f].flags & XF_REQUIRED) && it->val[f] == NULL &&
			    !json_object_object_get_ex(it->in, b->k->fields[f].name, NULL))
				x_field(b, i, b->k->fields[f].name, "required",
				        "Обязательное поле для нового объекта");
	}
	/* 4. the responsible person, then references and cross-field rules */
	if (b->kind == EXCHANGE_EMPLOYEES && x_match_responsible(b) < 0)
		return -1;
	if (x_load_refs(b) < 0)
		return -1;
	for (int i = 0; i < b->n; i++) {
		struct xitem *it = &b->it[i];
		if (it->ext == NULL || !json_object_is_type(it->in, json_type_object))
			continue;
		if (x_check_refs(b, i) < 0)
			continue; /* every reference named; the rules below need them */
		if (b->kind == EXCHANGE_EMPLOYEES) {
			x_check_employee(b, i);
			if (!it->bad)
				x_check_locked(b, i, "schedules",
				               it->old ? it->old[EF_SCHEDULES] : NULL,
				               it->val[EF_SCHEDULES]);
			if (!it->bad)
				x_check_locked(b, i, "pay", it->old ? it->old[EF_PAY] : NULL,
				               it->val[EF_PAY]);
		} else if (b->kind == EXCHANGE_DEPARTMENTS) {
			x_check_department(b, i);
		} else if (b->kind == EXCHANGE_PERSONAL_FILE) {
			x_check_pf(b, i);
		}
	}
	if (b->kind == EXCHANGE_EMPLOYEES && ctx->error < 0 && x_check_numbers(b) < 0)
		return -1;
	/* 5. what changes */
	for (int i = 0; i < b->n && ctx->error < 0; i++) {
		struct xitem *it = &b->it[i];
		it->changed = it->old == NULL || it->matched;
		for (int f = 0; f < nf && !it->changed; f++) {
			const char *a = it->old[f], *c = it->val[f];
			it->changed = (a == NULL) != (c == NULL) || (a && strcmp(a, c) != 0);
		}
	}
	return 0;
}

static void x_set(json_object *row, const char *key, const char *v)
{
	json_object_object_add(row, key, v ? json_object_new_string(v) : NULL);
}

/* ---- writing ---- */

/* The schedules and pay terms rows of an employee that differ. */
static void x_diff(struct ctx *ctx, int64_t emp, const char *oldl, const char *newl,
                   json_object *set, json_object *drop, int pay)
{
	const char *lists[2] = {oldl, newl};

	for (int l = 0; l < 2; l++) {
		const char *other = lists[1 - l];
		for (const char *p = lists[l]; p && *p;
		     p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
			const char *end = strchr(p, ',');
			char row[200], *f[4] = {0};
			json_object *o;
			int nfld = 0;
			snprintf(row, sizeof(row), "%.*s", (int)(end ? end - p : (long)strlen(p)),
			         p);
			if (x_list_has(other, row, strlen(row), 0))
				continue; /* unchanged */
			if (l == 0 && x_list_has(other, row, 0, 1))
				continue; /* an old row whose date is in the new list: replaced */
			for (char *t = row, *s; nfld < 4 && (s = strsep(&t, ":")) != NULL;)
				f[nfld++] = s;
			o = json_object_new_object();
			jsonx_set_int(o, "employee_id", emp);
			jsonx_set_str(o, "date_from", f[0]);
			if (l == 0) {
				json_object_array_add(drop, o);
				continue;
			}
			if (pay) {
				jsonx_set_str(o, "rate", f[1]);
				jsonx_set_str(o, "pay_by", f[2]);
				jsonx_set_str(o, "norm", f[3] && *f[3] ? f[3] : NULL);
			} else {
				jsonx_set_int(o, "schedule_id", atoll(f[1]));
			}
			json_object_array_add(set, o);
		}
	}
	(void)ctx;
}

static int x_write(struct xbatch *b, struct exchange_counts *c)
{
	struct ctx *ctx = b->ctx;
	json_object *news = arena_own(ctx->arena, json_object_new_array()),
	            *rows = arena_own(ctx->arena, json_object_new_array());
	int nf = b->k->nfields;
	PGresult *res;

	for (int i = 0; i < b->n; i++) {
		struct xitem *it = &b->it[i];
		json_object *row;
		if (!it->changed) {
			c->unchanged++;
			continue;
		}
		if (it->old == NULL || it->matched)
			c->created++;
		else
			c->updated++;
		if (it->old != NULL)
			continue;
		row = json_object_new_object();
		x_set(row, "external_id", it->val[0]);
		x_set(row, "name", it->val[1]);
		if (b->kind == EXCHANGE_EMPLOYEES)
			x_set(row, "full_name", it->val[EF_NAME]);
		if (b->kind == EXCHANGE_PERSONAL_FILE) {
			x_set(row, "employee", it->val[PFF_EMPLOYEE]);
			x_set(row, "kind", it->val[PFF_KIND]);
		}
		json_object_array_add(news, row);
	}
	if (json_object_array_length(news) > 0) {
		res = ctx_sql(ctx, b->k->insert_sql, ctx_i64(ctx, ctx->tenant_id),
		              jsonx_dump(news, NULL));
		if (res == NULL)
			return -1;
		for (int r = 0; r < PQntuples(res); r++) {
			int64_t idx;
			if (jsonx_get_int64(b->index, PQgetvalue(res, r, 1), &idx) < 0)
				idx = 0; /* made on a page: the only item */
			b->it[idx].id = atoll(PQgetvalue(res, r, 0));
			if (b->it[idx].val[0] == NULL)
				b->it[idx].val[0] = PQgetvalue(res, r, 1);
		}
	}
	for (int i = 0; i < b->n; i++) {
		struct xitem *it = &b->it[i];
		json_object *row;
		if (!it->changed)
			continue;
		row = json_object_new_object();
		jsonx_set_int(row, "id", it->id);
		for (int f = 0; f < nf; f++)
			if (!(b->k->fields[f].flags & XF_EXTRA))
				x_set(row,
				      f == EF_INSURANCE && b->kind == EXCHANGE_EMPLOYEES
				          ? "insurance"
				          : b->k->fields[f].name,
				      it->val[f]);
		json_object_array_add(rows, row);
	}
	if (json_object_array_length(rows) > 0 &&
	    ctx_sql(ctx, b->k->update_sql, ctx_i64(ctx, ctx->tenant_id), jsonx_dump(rows, NULL)) ==
	        NULL)
		return -1;
	if (b->kind == EXCHANGE_EMPLOYEES) {
		json_object *sset = arena_own(ctx->arena, json_object_new_array()),
		            *sdrop = arena_own(ctx->arena, json_object_new_array()),
		            *pset = arena_own(ctx->arena, json_object_new_array()),
		            *pdrop = arena_own(ctx->arena, json_object_new_array());
		for (int i = 0; i < b->n; i++) {
			struct xitem *it = &b->it[i];
			if (!it->changed)
				continue;
			x_diff(ctx, it->id, it->old ? it->old[EF_SCHEDULES] : NULL,
			       it->val[EF_SCHEDULES], sset, sdrop, 0);
			x_diff(ctx, it->id, it->old ? it->old[EF_PAY] : NULL, it->val[EF_PAY], pset,
			       pdrop, 1);
		}
		if (schedules_assignments_write(ctx, sset, sdrop) < 0 ||
		    payterms_write(ctx, pset, pdrop) < 0)
			return -1;
	}
	return 0;
}

int exchange_upsert(struct ctx *ctx, enum exchange_kind kind, json_object *items, int admin,
                    struct exchange_counts *counts, int64_t *ids)
{
	struct xbatch b = {.ctx = ctx, .k = &x_kinds[kind], .kind = kind, .admin = admin};

	memset(counts, 0, sizeof(*counts));
	if (!json_object_is_type(items, json_type_array))
		return ctx_field(ctx, "items", "Ожидается список объектов: {\"items\": [...]}");
	if (json_object_array_length(items) > EXCHANGE_MAX_ITEMS)
		return ctx_field(ctx, "items", "Не больше %d объектов в одном пакете",
		                 EXCHANGE_MAX_ITEMS);
	if (x_prepare(&b, items) < 0)
		return -1;
	if (ctx->error >= 0) {
		for (int i = 0; i < b.n; i++)
			counts->errors += b.it[i].bad;
		if (ctx->error == PROTO_ERR_validation)
			ctx->error_message = arena_printf(
			    ctx->arena,
			    "Пакет не принят: ошибки в %d из %d объектов, ничего не записано",
			    counts->errors, b.n);
		return -1;
	}
	if (x_write(&b, counts) < 0)
		return -1;
	for (int i = 0; ids && i < b.n; i++)
		ids[i] = b.it[i].id;
	return 0;
}

/* ---- the log ---- */

static int64_t x_now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

int exchange_log_write(struct ctx *ctx, const char *route, int status,
                       const struct exchange_counts *c, int64_t started_us)
{
	return ctx_sql(ctx,
	               "INSERT INTO exchange_log (tenant_id, api_key_id, key_name, user_id, route, "
	               "status, created, updated, unchanged, errors, duration_ms) VALUES ($1, "
	               "nullif($2, '0')::bigint, $3, nullif($4, '0')::bigint, $5, $6, $7, $8, $9, "
	               "$10, $11)",
	               ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->api_key_id),
	               ctx->api_key_name, ctx_i64(ctx, ctx->user_id), route, ctx_i64(ctx, status),
	               ctx_i64(ctx, c->created), ctx_i64(ctx, c->updated),
	               ctx_i64(ctx, c->unchanged), ctx_i64(ctx, c->errors),
	               ctx_i64(ctx, (x_now_us() - started_us) / 1000))
	           ? 0
	           : -1;
}

/* ---- operations ---- */

/* The batch's items: the raw JSON body (a blob, up to exchange_max_body)
 * or args.items. */
static json_object *x_items(struct ctx *ctx)
{
	json_object *body, *items;
	const char *why;

	if (ctx->blob == NULL)
		return jsonx_get(ctx->args, "items");
	body = jsonx_parse_object((const char *)ctx->blob, ctx->blob_len, &why);
	if (body == NULL) {
		ctx_fail(ctx, PROTO_ERR_bad_request, "Тело запроса должно быть JSON-объектом: %s",
		         why);
		return NULL;
	}
	arena_own(ctx->arena, body);
	json_object_object_foreach(body, key, val)
	{
		(void)val;
		if (strcmp(key, "items") != 0)
			ctx_field_code(ctx, key, "unknown",
			               "Неизвестное поле: ожидается {\"items\": "
			               "[...]}");
	}
	items = jsonx_get(body, "items");
	if (items == NULL)
		ctx_field_code(ctx, "items", "required", "Обязательное поле");
	return ctx->error >= 0 ? NULL : items;
}

static int x_run(struct ctx *ctx, enum exchange_kind kind)
{
	struct exchange_counts c = {0};
	int64_t started = x_now_us();
	json_object *items = x_items(ctx);
	int rc;

	if (items == NULL && ctx->error < 0)
		ctx_field_code(ctx, "items", "required", "Обязательное поле");
	rc = items ? exchange_upsert(ctx, kind, items, 0, &c, NULL) : -1;
	if (rc == 0) {
		json_object *r = ctx_result(ctx);
		jsonx_set_int(r, "created", c.created);
		jsonx_set_int(r, "updated", c.updated);
		jsonx_set_int(r, "unchanged", c.unchanged);
		if ((c.created || c.updated) && audit_log(ctx, "exchange.upserted", 1, "exchange",
		                                          x_kinds[kind].route, NULL) < 0)
			return -1;
		return exchange_log_write(ctx, x_kinds[kind].route, 200, &c, started);
	}
	if (ctx->error != PROTO_ERR_validation && ctx->error != PROTO_ERR_bad_request)
		return -1; /* a database failure: rolled back, nothing to log */
	/* a refused batch wrote nothing but its log row */
	if (exchange_log_write(ctx, x_kinds[kind].route, ctx->status, &c, started) < 0)
		return -1;
	return 0;
}

static int exchange_organizations(struct ctx *ctx)
{
	return x_run(ctx, EXCHANGE_ORGANIZATIONS);
}

static int exchange_departments(struct ctx *ctx)
{
	return x_run(ctx, EXCHANGE_DEPARTMENTS);
}

static int exchange_positions(struct ctx *ctx)
{
	return x_run(ctx, EXCHANGE_POSITIONS);
}

static int exchange_employees(struct ctx *ctx)
{
	return x_run(ctx, EXCHANGE_EMPLOYEES);
}

static int exchange_personal_file(struct ctx *ctx)
{
	return x_run(ctx, EXCHANGE_PERSONAL_FILE);
}

/* GET /api/exchange/v1/log, GET /api/admin/exchange-log */
static int exchange_log_list(struct ctx *ctx)
{
	int64_t limit, offset;
	json_object *items;
	PGresult *res;

	if (ctx_arg_int(ctx, "limit", 1, 1000, 50, &limit) < 0 ||
	    ctx_arg_int(ctx, "offset", 0, INT32_MAX, 0, &offset) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "
	              "l.key_name, l.route, l.created, l.updated, l.unchanged, l.errors, l.status, "
	              "to_char(l.at AT TIME ZONE 'Europe/Moscow', 'DD.MM.YYYY HH24:MI'), "
	              "u.full_name, l.duration_ms, count(*) OVER () FROM exchange_log l LEFT JOIN "
	              "users u ON u.tenant_id = l.tenant_id AND u.id = l.user_id WHERE l.tenant_id "
	              "= $1 ORDER BY l.at DESC, l.id DESC LIMIT $2 OFFSET $3",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, limit), ctx_i64(ctx, offset));
	if (res == NULL)
		return -1;
	items = json_object_new_array();
	json_object_object_add(ctx_result(ctx), "items", items);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_str(o, "at", PQgetvalue(res, i, 0));
		jsonx_set_str(o, "key", PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1));
		jsonx_set_str(o, "route", PQgetvalue(res, i, 2));
		jsonx_set_int(o, "created", atoi(PQgetvalue(res, i, 3)));
		jsonx_set_int(o, "updated", atoi(PQgetvalue(res, i, 4)));
		jsonx_set_int(o, "unchanged", atoi(PQgetvalue(res, i, 5)));
		jsonx_set_int(o, "errors", atoi(PQgetvalue(res, i, 6)));
		jsonx_set_int(o, "status", atoi(PQgetvalue(res, i, 7)));
		jsonx_set_str(o, "at_ru", PQgetvalue(res, i, 8));
		jsonx_set_str(o, "user", PQgetisnull(res, i, 9) ? NULL : PQgetvalue(res, i, 9));
		jsonx_set_int(o, "duration_ms", atoi(PQgetvalue(res, i, 10)));
		jsonx_set_bool(o, "ok", atoi(PQgetvalue(res, i, 7)) < 300);
		json_object_array_add(items, o);
	}
	jsonx_set_int(ctx_result(ctx), "total", PQntuples(res) ? atoll(PQgetvalue(res, 0, 11)) : 0);
	return 0;
}

/* ---- API keys ---- */

static int exchange_keys_list(struct ctx *ctx)
{
	PGresult *res =
	    ctx_sql(ctx,
	            "SELECT k.id, k.name, k.prefix, to_char(k.created_at AT TIME ZONE "
	            "'Europe/Moscow', 'DD.MM.YYYY HH24:MI'), to_char(k.last_used_at AT "
	            "TIME ZONE 'Europe/Moscow', 'DD.MM.YYYY HH24:MI'), u.full_name FROM "
	            "api_keys k LEFT JOIN users u ON u.tenant_id = k.tenant_id AND u.id = "
	            "k.created_by WHERE k.tenant_id = $1 AND k.revoked_at IS NULL ORDER "
	            "BY k.id",
	            ctx_i64(ctx, ctx->tenant_id));
	json_object *items;

	if (res == NULL)
		return -1;
	items = json_object_new_array();
	json_object_object_add(ctx_result(ctx), "items", items);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(o, "name", PQgetvalue(res, i, 1));
		jsonx_set_str(o, "prefix", PQgetvalue(res, i, 2));
		jsonx_set_str(o, "created_ru", PQgetvalue(res, i, 3));
		jsonx_set_str(o, "last_used_ru",
		              PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4));
		jsonx_set_str(o, "created_by",
		              PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5));
		json_object_array_add(items, o);
	}
	return 0;
}

/* POST /api/admin/api-keys {"name"} -> 201 {"id", "key"}: the key is
 * shown this once; only its SHA-256 is kept. */
static int exchange_keys_create(struct ctx *ctx)
{
	const char *name = ctx_arg_str(ctx, "name", 100, 1), *key;
	PGresult *res;

	if (name == NULL)
		return -1;
	key = session_new_api_key(ctx);
	if (key == NULL)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	res = ctx_sql(ctx,
	              "INSERT INTO api_keys (tenant_id, name, key_hash, prefix, created_by) VALUES "
	              "($1, $2, $3, $4, nullif($5, '0')::bigint) RETURNING id",
	              ctx_i64(ctx, ctx->tenant_id), name, session_token_hash(ctx, key),
	              arena_strndup(ctx->arena, key, 7), ctx_i64(ctx, ctx->user_id));
	if (res == NULL ||
	    audit_log(ctx, "api_keys.created", 1, "api_key", PQgetvalue(res, 0, 0), NULL) < 0)
		return -1;
	ctx->status = 201;
	jsonx_set_int(ctx_result(ctx), "id", atoll(PQgetvalue(res, 0, 0)));
	jsonx_set_str(ctx_result(ctx), "key", key);
	jsonx_set_str(ctx_result(ctx), "name", name);
	return 0;
}

static int exchange_keys_delete(struct ctx *ctx)
{
	int64_t id;
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "UPDATE api_keys SET revoked_at = now() WHERE tenant_id = $1 AND id = $2 AND "
	              "revoked_at IS NULL RETURNING id",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Ключ не найден");
	if (audit_log(ctx, "api_keys.revoked", 1, "api_key", ctx_i64(ctx, id), NULL) < 0)
		return -1;
	return exchange_keys_list(ctx);
}

/* ---- one employee from the admin pages ---- */

/* args -> an employee item: *_id numbers become references, route and
 * form keys are dropped, empty form fields clear (SNILS and INN: keep). */
static json_object *x_admin_item(struct ctx *ctx, const char *ext)
{
	static const char *const refs[][3] = {
	    {"department_id", "department", "departments"},
	    {"position_id", "position", "positions"},
	    {"organization_id", "organization", "organizations"},
	};
	json_object *item = arena_own(ctx->arena, json_object_new_object());

	json_object_object_foreach(ctx->args, key, val)
	{
		int skip = strcmp(key, "id") == 0 || key[0] == '_';
		for (size_t r = 0; r < 3; r++)
			if (strcmp(key, refs[r][0]) == 0) {
				skip = 1;
				if (json_object_is_type(val, json_type_null) ||
				    (json_object_is_type(val, json_type_string) &&
				     json_object_get_string_len(val) == 0)) {
					json_object_object_add(item, refs[r][1], NULL);
				} else {
					PGresult *res = ctx_sql(
					    ctx,
					    arena_printf(
					        ctx->arena,
					        "SELECT external_id FROM %s WHERE tenant_id = "
					        "$1 AND id::text = $2",
					        refs[r][2]),
					    ctx_i64(ctx, ctx->tenant_id),
					    json_object_get_string(val));
					if (res == NULL)
						return NULL;
					if (PQntuples(res) == 0)
						ctx_field_code(ctx, key, "not_found", "Не найдено");
					else
						jsonx_set_str(item, refs[r][1],
						              PQgetvalue(res, 0, 0));
				}
			}
		if (skip)
			continue;
		if (json_object_is_type(val, json_type_string) &&
		    json_object_get_string_len(val) == 0) {
			if (strcmp(key, "snils") && strcmp(key, "inn"))
				json_object_object_add(item, key, NULL);
			continue;
		}
		json_object_object_add(item, key, json_object_get(val));
	}
	if (ext)
		jsonx_set_str(item, "external_id", ext);
	return ctx->error >= 0 ? NULL : item;
}

static int x_admin_save(struct ctx *ctx, const char *ext)
{
	json_object *items = arena_own(ctx->arena, json_object_new_array()), *item;
	struct exchange_counts c;
	int64_t id = 0;

	item = x_admin_item(ctx, ext);
	if (item == NULL)
		return -1;
	json_object_array_add(items, json_object_get(item));
	if (exchange_upsert(ctx, EXCHANGE_EMPLOYEES, items, 1, &c, &id) < 0) {
		/* the item's fields are the form's: items[0].email -> email */
		json_object *f = ctx->error_fields, *k = ctx->error_codes;
		if (f) {
			json_object *nf = arena_own(ctx->arena, json_object_new_object()),
			            *nk = arena_own(ctx->arena, json_object_new_object());
			json_object_object_foreach(f, key, val)
			{
				const char *name =
				    strncmp(key, "items[0].", 9) == 0 ? key + 9 : key;
				json_object_object_add(nf, name, json_object_get(val));
				json_object_object_add(nk, name,
				                       json_object_get(jsonx_get(k, key)));
			}
			ctx->error_fields = nf;
			ctx->error_codes = nk;
		}
		return -1;
	}
	if (audit_log(ctx, ext ? "staff.employee_updated" : "staff.employee_created", 1, "employee",
	              ctx_i64(ctx, id), NULL) < 0)
		return -1;
	jsonx_set_int(ctx_result(ctx), "id", id);
	jsonx_set_int(ctx_result(ctx), "created", c.created);
	jsonx_set_int(ctx_result(ctx), "updated", c.updated);
	jsonx_set_int(ctx_result(ctx), "unchanged", c.unchanged);
	return 0;
}

/* POST /api/admin/employees -> 201 {"id", ...} */
static int exchange_employee_create(struct ctx *ctx)
{
	json_object *ext = jsonx_get(ctx->args, "external_id");

	if (x_admin_save(ctx, ext && json_object_is_type(ext, json_type_string) &&
	                              json_object_get_string_len(ext)
	                          ? json_object_get_string(ext)
	                          : NULL) < 0)
		return -1;
	ctx->status = 201;
	return 0;
}

/* PUT /api/admin/employees/{id} */
static int exchange_employee_update(struct ctx *ctx)
{
	int64_t id;
	PGresult *res;
	json_object *ext = jsonx_get(ctx->args, "external_id");

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, &id) < 0)
		return -1;
	res = ctx_sql(ctx, "SELECT external_id FROM employees WHERE tenant_id = $1 AND id = $2",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Сотрудник не найден");
	if (ext && !(json_object_is_type(ext, json_type_string) &&
	             strcmp(json_object_get_string(ext), PQgetvalue(res, 0, 0)) == 0))
		return ctx_field(ctx, "external_id", "Внешний код сотрудника не меняется");
	json_object_object_del(ctx->args, "external_id");
	return x_admin_save(ctx, PQgetvalue(res, 0, 0));
}

const struct op exchange_ops[] = {
    {"exchange.organizations", OP_EXCHANGE, exchange_organizations, 0},
    {"exchange.departments", OP_EXCHANGE, exchange_departments, 0},
    {"exchange.positions", OP_EXCHANGE, exchange_positions, 0},
    {"exchange.employees", OP_EXCHANGE, exchange_employees, 0},
    {"exchange.personal_file", OP_EXCHANGE, exchange_personal_file, 0},
    {"exchange.log", OP_EXCHANGE, exchange_log_list, 0},
    {"exchange.log_admin", OP_ADMIN, exchange_log_list, 0},
    {"api_keys.list", OP_ADMIN, exchange_keys_list, 0},
    {"api_keys.create", OP_ADMIN, exchange_keys_create, OP_WRITE},
    {"api_keys.delete", OP_ADMIN, exchange_keys_delete, OP_WRITE},
    {"staff.create", OP_ADMIN, exchange_employee_create, OP_WRITE},
    {"staff.update", OP_ADMIN, exchange_employee_update, OP_WRITE},
    {NULL, 0, NULL, 0},
};
