/*
 * exchange.c - the batch upsert of the exchange (and of the admin forms and
 * the CSV import), API keys and the exchange log. The rules are in
 * exchange.h; what needs no database (the fields, the check of one item as
 * sent, the reader of a body) is exchange_items.c.
 *
 * A batch is read, checked and written in chunks of EXCHANGE_CHUNK items,
 * so the memory it takes is that of one chunk (and an index of the batch's
 * external ids), whatever its size. Each chunk costs a fixed number of
 * statements:
 *  1. every item is checked as sent (exchange_items.h);
 *  2. the stored rows of the chunk's external ids are read in one query,
 *     each as the text of every field (references as external ids), so an
 *     item is merged onto its stored row and compared as text;
 *  3. references are looked up in one query per referenced kind, personnel
 *     numbers in one more;
 *  4. while no item of the batch so far is bad: the new rows are inserted
 *     (their required columns), then every changed row is updated from one
 *     JSON recordset, so references to rows of the same chunk resolve
 *     whatever their order; an employee's schedules and pay terms go
 *     through schedules.c and payterms.c in bulk.
 * Once an item is bad nothing more is written, but the rest is still
 * checked so the answer names every bad item; the caller's transaction
 * then undoes the chunks written before (exchange's own operations roll
 * back to a savepoint and keep the log row).
 * Across chunks: the index of the batch's external ids (duplicates), the
 * personnel numbers claimed so far, and for departments every item's
 * parent and organization, read in a first pass, so a parent may come
 * later in the batch (a cycle is found at the item that closes it); the
 * parent of a department whose parent is written by a later chunk is set
 * by one more update at the end.
 */
#include "exchange.h"

#include "audit.h"
#include "cabinets.h"
#include "date.h"
#include "jsonx.h"
#include "log.h"
#include "money.h"
#include "monotime.h"
#include "ops.h"
#include "org.h"
#include "payrun.h"
#include "payterms.h"
#include "publication.h"
#include "ru.h"
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
struct xkind {
	const char *load_sql;   /* "SELECT id, <fields> ... WHERE x.tenant_id = $1 AND " */
	const char *insert_sql; /* $1 tenant, $2 recordset of new rows -> id, external_id */
	const char *update_sql; /* $1 tenant, $2 recordset of changed rows (id + fields) */
	int insert_whole;       /* the insert writes every field (else: the required ones,
	                           then the update: departments refer to each other) */
	const char *table;      /* the stored rows' table (x_lock) */
};

/* ---- the kinds: their statements (their fields: exchange_items.c) ---- */

#define RS(...) "jsonb_to_recordset($2::jsonb) AS r(" __VA_ARGS__ ")"
#define REF(table, col)                                                                            \
	"(SELECT z.id FROM " table " z WHERE z.tenant_id = $1 AND z.external_id = r." col ")"
/*
 * An update from a chunk's recordset: the recordset is read once
 * (MATERIALIZED) and the rows are found by their ids through the primary
 * key. Inside the batch's transaction the table's statistics are those of
 * before the batch (often: empty), so the planner takes the table for one
 * row and would otherwise read the recordset's JSON again for every row of
 * the tenant (seen: 5 s for a chunk of 500 employees once 8 000 were
 * stored).
 */
#define UPDATE_FROM(table, cols, set)                                                              \
	"WITH r AS MATERIALIZED (SELECT * FROM " RS(                                               \
	    cols) ") UPDATE " table " x SET " set " FROM r WHERE x.tenant_id = $1 AND x.id = ANY " \
	          "(ARRAY(SELECT r.id FROM r)) AND x.id = r.id"

/* the personal file: the recordset's columns, the data of a record */
#define PF_COLUMNS                                                                                 \
	"external_id text, employee text, kind text, date_from text, date_to text, event text, "   \
	"position text, department text, order_number text, order_date text, type text, days "     \
	"text, destination text, purpose text, years text, months text, result text, next_date "   \
	"text, institution text, speciality text, qualification text, document_number text, year " \
	"text, course text, organization text, hours text, document text"
#define PF_DATA                                                                                    \
	"jsonb_strip_nulls(jsonb_build_object('event', r.event, 'position', r.position, "          \
	"'department', r.department, 'order_number', r.order_number, 'order_date', r.order_date, " \
	"'type', r.type, 'days', r.days::int, 'destination', r.destination, 'purpose', "           \
	"r.purpose, "                                                                              \
	"'years', r.years::int, 'months', r.months::int, 'result', r.result, 'next_date', "        \
	"r.next_date, 'institution', r.institution, 'speciality', r.speciality, 'qualification', " \
	"r.qualification, 'document_number', r.document_number, 'year', r.year::int, 'course', "   \
	"r.course, 'organization', r.organization, 'hours', r.hours::int, 'document', "            \
	"r.document))"

/* KPIs: the recordset's columns */
#define KPI_COLUMNS                                                                                \
	"external_id text, employee text, period text, name text, unit text, plan text, fact text"

/* clang-format off */
static const struct xkind x_kinds[] = {
    [EXCHANGE_ORGANIZATIONS] = {
        "SELECT x.id, x.external_id, x.name, x.inn, x.kpp, x.okpo, x.address, h.external_id "
        "FROM organizations x LEFT JOIN employees h ON h.tenant_id = x.tenant_id AND h.id = "
        "x.head_id WHERE x.tenant_id = $1 AND ",
        "INSERT INTO organizations (tenant_id, external_id, name, inn, kpp, okpo, address, "
        "head_id) SELECT $1, r.external_id, r.name, r.inn, r.kpp, r.okpo, r.address, "
        REF("employees", "head") " FROM " RS("external_id text, name text, inn text, kpp text, "
        "okpo text, address text, head text") " RETURNING id, external_id",
        UPDATE_FROM("organizations",
                    "id bigint, external_id text, name text, inn text, kpp text, okpo text, "
                    "address text, head text",
                    "external_id = r.external_id, name = r.name, inn = r.inn, kpp = r.kpp, "
                    "okpo = r.okpo, address = r.address, head_id = " REF("employees", "head") ", "
                    "updated_at = now()"),
        1,
        "organizations",
    },
    [EXCHANGE_DEPARTMENTS] = {
        "SELECT x.id, x.external_id, x.name, o.external_id, p.external_id, h.external_id FROM "
        "departments x LEFT JOIN organizations o ON o.tenant_id = x.tenant_id AND o.id = "
        "x.organization_id LEFT JOIN departments p ON p.tenant_id = x.tenant_id AND p.id = "
        "x.parent_id LEFT JOIN employees h ON h.tenant_id = x.tenant_id AND h.id = x.head_id "
        "WHERE x.tenant_id = $1 AND ",
        "INSERT INTO departments (tenant_id, external_id, name) SELECT $1, r.external_id, r.name "
        "FROM " RS("external_id text, name text") " RETURNING id, external_id",
        UPDATE_FROM("departments",
                    "id bigint, external_id text, name text, organization text, parent text, "
                    "head text",
                    "external_id = r.external_id, name = r.name, organization_id = "
                    REF("organizations", "organization") ", parent_id = "
                    REF("departments", "parent") ", head_id = " REF("employees", "head") ", "
                    "updated_at = now()"),
        0,
        "departments",
    },
    [EXCHANGE_POSITIONS] = {
        "SELECT x.id, x.external_id, x.name FROM positions x WHERE x.tenant_id = $1 AND ",
        "INSERT INTO positions (tenant_id, external_id, name) SELECT $1, r.external_id, r.name "
        "FROM " RS("external_id text, name text") " RETURNING id, external_id",
        UPDATE_FROM("positions", "id bigint, external_id text, name text",
                    "external_id = r.external_id, name = r.name, updated_at = now()"),
        1,
        "positions",
    },
    [EXCHANGE_EMPLOYEES] = {
        "SELECT x.id, x.external_id, x.personnel_number, x.full_name, x.birth_date::text, "
        "o.external_id, d.external_id, p.external_id, x.hired::text, x.dismissed::text, x.phone, "
        "x.email, x.snils, x.inn, CASE WHEN x.insurance_years IS NOT NULL THEN x.insurance_years "
        "|| '|' || x.insurance_months || '|' || x.insurance_as_of END, "
        "(SELECT string_agg(a.date_from || ':' || a.schedule_id, ',' ORDER BY a.date_from) FROM "
        "schedule_assignments a WHERE a.tenant_id = x.tenant_id AND a.employee_id = x.id), "
        "(SELECT string_agg(t.date_from || ':' || t.rate || ':' || t.pay_by || ':' || "
        "coalesce(t.norm, ''), ',' ORDER BY t.date_from) FROM employee_pay t WHERE t.tenant_id = "
        "x.tenant_id AND t.employee_id = x.id) "
        "FROM employees x LEFT JOIN organizations o ON o.tenant_id = x.tenant_id AND o.id = "
        "x.organization_id LEFT JOIN departments d ON d.tenant_id = x.tenant_id AND d.id = "
        "x.department_id LEFT JOIN positions p ON p.tenant_id = x.tenant_id AND p.id = "
        "x.position_id WHERE x.tenant_id = $1 AND ",
        "INSERT INTO employees (tenant_id, external_id, personnel_number, full_name, birth_date, "
        "organization_id, department_id, position_id, hired, dismissed, phone, email, snils, inn, "
        "insurance_years, insurance_months, insurance_as_of) SELECT $1, r.external_id, "
        "r.personnel_number, r.full_name, r.birth_date::date, " REF("organizations", "organization")
        ", " REF("departments", "department") ", " REF("positions", "position") ", r.hired::date, "
        "r.dismissed::date, r.phone, r.email, r.snils, r.inn, nullif(split_part(r.insurance, '|', "
        "1), '')::int, nullif(split_part(r.insurance, '|', 2), '')::int, "
        "nullif(split_part(r.insurance, '|', 3), '')::date FROM "
        RS("external_id text, personnel_number text, full_name text, birth_date text, "
        "organization text, department text, position text, hired text, dismissed text, phone "
        "text, email text, snils text, inn text, insurance text") " RETURNING id, external_id",
        UPDATE_FROM("employees",
                    "id bigint, external_id text, personnel_number text, full_name text, "
                    "birth_date text, organization text, department text, position text, "
                    "hired text, dismissed text, phone text, email text, snils text, inn text, "
                    "insurance text",
                    "external_id = r.external_id, personnel_number = r.personnel_number, "
                    "full_name = r.full_name, birth_date = r.birth_date::date, organization_id = "
                    REF("organizations", "organization") ", department_id = "
                    REF("departments", "department") ", position_id = "
                    REF("positions", "position") ", hired = r.hired::date, dismissed = "
                    "r.dismissed::date, phone = r.phone, email = r.email, snils = r.snils, "
                    "inn = r.inn, insurance_years = nullif(split_part(r.insurance, '|', 1), "
                    "'')::int, insurance_months = nullif(split_part(r.insurance, '|', 2), "
                    "'')::int, insurance_as_of = nullif(split_part(r.insurance, '|', 3), "
                    "'')::date, awaiting_match = false, updated_at = now()"),
        1,
        "employees",
    },
    [EXCHANGE_PERSONAL_FILE] = {
        "SELECT x.id, x.external_id, e.external_id, x.kind, x.date_from::text, x.date_to::text, "
        "x.data->>'event', x.data->>'position', x.data->>'department', x.data->>'order_number', "
        "x.data->>'order_date', x.data->>'type', x.data->>'days', x.data->>'destination', "
        "x.data->>'purpose', x.data->>'years', x.data->>'months', x.data->>'result', "
        "x.data->>'next_date', x.data->>'institution', x.data->>'speciality', "
        "x.data->>'qualification', x.data->>'document_number', x.data->>'year', "
        "x.data->>'course', x.data->>'organization', x.data->>'hours', x.data->>'document' "
        "FROM personal_file x JOIN employees e ON e.tenant_id = x.tenant_id AND e.id = "
        "x.employee_id WHERE x.tenant_id = $1 AND ",
        "INSERT INTO personal_file (tenant_id, external_id, employee_id, kind, date_from, "
        "date_to, data) SELECT $1, r.external_id, " REF("employees", "employee") ", r.kind, "
        "r.date_from::date, r.date_to::date, " PF_DATA " FROM " RS(PF_COLUMNS)
        " RETURNING id, external_id",
        UPDATE_FROM("personal_file", "id bigint, " PF_COLUMNS,
                    "external_id = r.external_id, employee_id = " REF("employees", "employee")
                    ", kind = r.kind, date_from = r.date_from::date, date_to = r.date_to::date, "
                    "data = " PF_DATA ", updated_at = now()"),
        1,
        "personal_file",
    },
    [EXCHANGE_KPI] = {
        "SELECT x.id, x.external_id, e.external_id, x.period, x.name, x.unit, x.plan::text, "
        "x.fact::text FROM kpis x JOIN employees e ON e.tenant_id = x.tenant_id AND e.id = "
        "x.employee_id WHERE x.tenant_id = $1 AND ",
        "INSERT INTO kpis (tenant_id, external_id, employee_id, period, name, unit, plan, fact) "
        "SELECT $1, r.external_id, " REF("employees", "employee") ", r.period, r.name, r.unit, "
        "r.plan::numeric, r.fact::numeric FROM " RS(KPI_COLUMNS) " RETURNING id, external_id",
        UPDATE_FROM("kpis", "id bigint, " KPI_COLUMNS,
                    "external_id = r.external_id, employee_id = " REF("employees", "employee")
                    ", period = r.period, name = r.name, unit = r.unit, plan = r.plan::numeric, "
                    "fact = r.fact::numeric, updated_at = now()"),
        1,
        "kpis",
    },
};
/* clang-format on */

/* ---- one batch ---- */

/* One item of the chunk being processed. */
struct xitem {
	struct exchange_item sent; /* as sent, checked (exchange_items.h) */
	const char *ext;           /* its external id (an internal key when made on a page) */
	int64_t id;                /* the stored row, 0 when new */
	const char **old;          /* the stored row's fields as text, NULL when new */
	const char **val;          /* the merged fields */
	int changed, bad;
	int64_t matched; /* merged into the responsible person's employee */
};

struct xbatch {
	struct ctx *ctx;
	struct arena *main; /* the request's arena: what lives across chunks */
	const struct xkind *k;
	const struct exchange_field *fields;
	int nf;
	enum exchange_kind kind;
	const struct exchange_opts *opts;
	const struct exchange_source *src;
	int n;    /* items in the batch */
	int base; /* the chunk: items base .. base + cn - 1 */
	int cn;
	struct xitem *it;
	json_object *index; /* external id -> index, every item so far (main) */
	json_object *deps;  /* departments: ext -> {"i", "o"?, "p"?} of every item (main) */
	json_object *known[XR_EMP + 1]; /* referenced external ids found -> extra text */
	json_object *schedules;         /* schedule "#id" / name -> id text (main) */
	json_object *numbers;           /* "org|number" -> the item's external id (main) */
	json_object *deferred;          /* departments whose parent comes in a later chunk (main) */
	PGresult *awaiting;             /* the responsible person's employee rows (main) */
	unsigned char *awaiting_taken;
	int closed_until; /* DATE_NONE: no closed month */
	int closed_loaded;
	int today; /* the organization's, asked once (0: not yet) */
	const char *only_org; /* the tenant's one organization's external id (main) */
	int only_org_loaded;
};

static void x_error_sink(void *arg, int index, const char *key, const char *code, const char *text)
{
	struct xbatch *b = arg;
	const char *field;

	if (index < 0)
		field = key;
	else if (key == NULL)
		field = arena_printf(b->ctx->arena, "items[%d]", index);
	else
		field = arena_printf(b->ctx->arena, "items[%d].%s", index, key);
	if (index >= b->base && index < b->base + b->cn)
		b->it[index - b->base].bad = 1;
	ctx_field_code(b->ctx, field, code, "%s", text);
}

static int x_field(struct xbatch *b, int j, const char *key, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* A field error of the chunk's item j. */
static int x_field(struct xbatch *b, int j, const char *key, const char *code, const char *fmt, ...)
{
	char text[600];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	x_error_sink(b, b->base + j, key, code, text);
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

/* The chunk's item of a stored row's external id, or NULL. */
static struct xitem *x_chunk_item(struct xbatch *b, const char *ext)
{
	int64_t idx;

	if (jsonx_get_int64(b->index, ext, &idx) < 0 || idx < b->base || idx >= b->base + b->cn)
		return NULL;
	return &b->it[idx - b->base];
}

/* ---- loading ---- */

static const char **x_row_fields(struct xbatch *b, PGresult *res, int r)
{
	const char **old = arena_alloc(b->ctx->arena, sizeof(char *) * (size_t)b->nf);

	for (int f = 0; f < b->nf; f++)
		old[f] = PQgetisnull(res, r, f + 1) ? NULL : PQgetvalue(res, r, f + 1);
	return old;
}

/*
 * Locks the stored rows that cond ($2: param) selects, before they are read:
 * an item is merged onto its stored row in C and the row written whole, so
 * two writers of one row (two forms, the exchange and a form, a dismissal
 * and a phone) would otherwise both merge onto the same old row and the
 * later write would undo the earlier one's fields. With the lock the
 * second waits for the first's commit, and its read, the next statement
 * (a new snapshot under READ COMMITTED), sees the first's change. Not in
 * the read itself: after a wait PostgreSQL rechecks only the locked row,
 * the joined references and the lists would stay as they were. FOR NO KEY
 * UPDATE is the lock the UPDATE takes anyway (foreign keys to the row do
 * not wait), and FOR UPDATE of the employee's other writers
 * (worktime_employee_check, requests' completions) waits for it; taken in
 * id order, so two batches of the same rows never wait crosswise.
 */
static int x_lock(struct xbatch *b, const char *cond, const char *param)
{
	return ctx_sql(b->ctx,
	               arena_printf(b->ctx->arena,
	                            "SELECT 1 FROM %s x WHERE x.tenant_id = $1 AND %s ORDER BY "
	                            "x.id FOR NO KEY UPDATE",
	                            b->k->table, cond),
	               ctx_i64(b->ctx, b->ctx->tenant_id), param)
	           ? 0
	           : -1;
}

#define X_BY_EXTS "x.external_id = ANY (ARRAY(SELECT jsonb_array_elements_text($2::jsonb)))"

/* Reads the stored rows of the chunk's external ids, locked (x_lock). */
static int x_load(struct xbatch *b)
{
	json_object *exts = arena_own(b->ctx->arena, json_object_new_object());
	const char *list;
	PGresult *res;

	for (int j = 0; j < b->cn; j++)
		if (b->it[j].ext && b->it[j].ext[0] != '\001')
			json_object_object_add(exts, b->it[j].ext, NULL);
	if (json_object_object_length(exts) == 0)
		return 0;
	list = x_json_list(b->ctx, exts);
	if (x_lock(b, X_BY_EXTS, list) < 0)
		return -1;
	res = ctx_sql(b->ctx, arena_printf(b->ctx->arena, "%s" X_BY_EXTS, b->k->load_sql),
	              ctx_i64(b->ctx, b->ctx->tenant_id), list);
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		struct xitem *it = x_chunk_item(b, PQgetvalue(res, r, 1));
		if (it == NULL)
			continue;
		it->id = atoll(PQgetvalue(res, r, 0));
		it->old = x_row_fields(b, res, r);
	}
	return 0;
}

/* The responsible person's employee, waiting for its match: the first new
 * employee of the batch with the same phone or email takes it over (its
 * row becomes theirs). The rows are read once per batch. */
static int x_match_responsible(struct xbatch *b)
{
	PGresult *res = b->awaiting, *now;

	for (int r = 0; r < PQntuples(res); r++) {
		const char *phone =
		    PQgetisnull(res, r, EF_PHONE + 1) ? NULL : PQgetvalue(res, r, EF_PHONE + 1);
		const char *email =
		    PQgetisnull(res, r, EF_EMAIL + 1) ? NULL : PQgetvalue(res, r, EF_EMAIL + 1);
		if (b->awaiting_taken[r])
			continue;
		for (int j = 0; j < b->cn; j++) {
			struct xitem *it = &b->it[j];
			const char *p, *e;
			if (it->old || it->bad || it->val == NULL)
				continue;
			p = it->val[EF_PHONE];
			e = it->val[EF_EMAIL];
			if (!((phone && p && strcmp(phone, p) == 0) ||
			      (email && e && strcasecmp(email, e) == 0)))
				continue;
			/* a contact alone is not the person: another name with
			 * the responsible person's email is a new employee, whom
			 * the contact check then refuses (their cabinet signs in
			 * with it), not a rename of the responsible's card */
			if (!validate_same_surname(PQgetvalue(res, r, EF_NAME + 1), it->val[EF_NAME]))
				continue;
			/* the row as it is now, locked (x_lock): read unlocked
			 * at the batch's start, it may have been edited since,
			 * or matched by another batch */
			now = x_lock(b, "x.id = $2::bigint", PQgetvalue(res, r, 0)) < 0
			          ? NULL
			          : ctx_sql(b->ctx,
			                    arena_printf(b->ctx->arena,
			                                 "%sx.id = $2::bigint AND x.awaiting_match",
			                                 b->k->load_sql),
			                    ctx_i64(b->ctx, b->ctx->tenant_id),
			                    PQgetvalue(res, r, 0));
			if (now == NULL)
				return -1;
			b->awaiting_taken[r] = 1;
			if (PQntuples(now) == 0)
				break;
			it->id = atoll(PQgetvalue(now, 0, 0));
			it->matched = it->id;
			it->old = x_row_fields(b, now, 0);
			if (it->val[EF_EXTID] == NULL) /* made on a page: keeps its local-<id> */
				it->val[EF_EXTID] = it->old[EF_EXTID];
			break;
		}
	}
	return 0;
}

/* The external ids referenced by the chunk that exist: one query per
 * referenced kind; known[ref] maps each to extra text (for a department:
 * its organization's external id, or ""). A departments batch reads the
 * whole tree once instead (parents, cycles: x_load_tree). */
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

	for (int j = 0; j < b->cn; j++)
		for (int f = 0; f < b->nf && b->it[j].val; f++) {
			const struct exchange_field *fd = &b->fields[f];
			if (fd->type != XT_REF || b->it[j].val[f] == NULL)
				continue;
			if (wanted[fd->ref] == NULL)
				wanted[fd->ref] =
				    arena_own(b->ctx->arena, json_object_new_object());
			json_object_object_add(wanted[fd->ref], b->it[j].val[f], NULL);
		}
	for (int r = XR_ORG; r <= XR_EMP; r++) {
		PGresult *res;
		if (r == XR_DEP && b->kind == EXCHANGE_DEPARTMENTS)
			continue; /* the whole tree, read once */
		b->known[r] = arena_own(b->ctx->arena, json_object_new_object());
		if (wanted[r] == NULL)
			continue;
		res = ctx_sql(b->ctx,
		              arena_printf(b->ctx->arena,
		                           "%sz.external_id = ANY (ARRAY(SELECT "
		                           "jsonb_array_elements_text($2::jsonb)))",
		                           sql[r]),
		              ctx_i64(b->ctx, b->ctx->tenant_id), x_json_list(b->ctx, wanted[r]));
		if (res == NULL)
			return -1;
		for (int row = 0; row < PQntuples(res); row++)
			jsonx_set_str(b->known[r], PQgetvalue(res, row, 0),
			              PQgetvalue(res, row, 1));
	}
	return 0;
}

/* A departments batch: the stored tree (ext -> "org|parent"), read once. */
static int x_load_tree(struct xbatch *b)
{
	PGresult *res = ctx_sql(b->ctx,
	                        "SELECT z.external_id, coalesce(o.external_id, ''), "
	                        "coalesce(p.external_id, '') FROM departments z LEFT JOIN "
	                        "organizations o ON o.tenant_id = z.tenant_id AND o.id = "
	                        "z.organization_id LEFT JOIN departments p ON p.tenant_id = "
	                        "z.tenant_id AND p.id = z.parent_id WHERE z.tenant_id = $1",
	                        ctx_i64(b->ctx, b->ctx->tenant_id));

	if (res == NULL)
		return -1;
	b->known[XR_DEP] = arena_own(b->ctx->arena, json_object_new_object());
	for (int row = 0; row < PQntuples(res); row++)
		jsonx_set_str(b->known[XR_DEP], PQgetvalue(res, row, 0),
		              arena_printf(b->ctx->arena, "%s|%s", PQgetvalue(res, row, 1),
		                           PQgetvalue(res, row, 2)));
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
		jsonx_set_str(b->schedules,
		              arena_printf(b->ctx->arena, "=%s", PQgetvalue(res, r, 1)),
		              PQgetvalue(res, r, 0));
		jsonx_set_str(b->schedules,
		              arena_printf(b->ctx->arena, "#%s", PQgetvalue(res, r, 0)),
		              PQgetvalue(res, r, 0));
	}
	return 0;
}

/* The schedules as sent ("date:j:#id" / "date:j:=name" lines, by date)
 * -> "date:schedule_id,..." as stored; NULL after a field error. */
static const char *x_resolve_schedules(struct xbatch *b, int j, const char *sent)
{
	struct buf out = BUF_INIT;
	const char *res;
	int bad = 0;

	for (const char *p = sent; p && *p;) {
		const char *nl = strchr(p, '\n'), *colon = strchr(p + 11, ':');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *ref =
		    arena_strndup(b->ctx->arena, colon + 1, n - (size_t)(colon + 1 - p));
		const char *sid = jsonx_get_str(b->schedules, ref);
		if (sid == NULL)
			bad = x_field(b, j,
			              arena_printf(b->ctx->arena, "schedules[%.*s].schedule",
			                           (int)(colon - p - 11), p + 11),
			              "not_found",
			              "График работы не найден: укажите его номер (id) или точное "
			              "название");
		else
			buf_printf(&out, "%s%.10s:%s", out.len ? "," : "", p, sid);
		p = nl ? nl + 1 : NULL;
	}
	res = bad ? NULL : arena_strndup(b->ctx->arena, out.data ? out.data : "", out.len);
	buf_free(&out);
	return res;
}

/* ---- checks across fields and items ---- */

/* What the batch says of a department: its item's {"i", "o"?, "p"?}. */
static json_object *x_batch_dep(struct xbatch *b, const char *dep)
{
	return b->deps ? jsonx_get(b->deps, dep) : NULL;
}

/* A department's organization: as its item of this batch sent it, else as stored. */
static const char *x_dep_org(struct xbatch *b, const char *dep)
{
	json_object *sent = x_batch_dep(b, dep), *o;
	const char *extra;

	if (sent && json_object_object_get_ex(sent, "o", &o))
		return json_object_get_string(o);
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

/* A department's parent, the same way. */
static const char *x_dep_parent(struct xbatch *b, const char *dep)
{
	json_object *sent = x_batch_dep(b, dep), *p;
	const char *extra;

	if (sent && json_object_object_get_ex(sent, "p", &p))
		return json_object_get_string(p);
	extra = jsonx_get_str(b->known[XR_DEP], dep);
	extra = extra ? strchr(extra, '|') : NULL;
	return extra && extra[1] ? extra + 1 : NULL;
}

static int x_check_refs(struct xbatch *b, int j)
{
	static const char *const missing[][2] = {
	    [XR_ORG] = {"Организация", "не найдена"},
	    [XR_DEP] = {"Подразделение", "не найдено"},
	    [XR_POS] = {"Должность", "не найдена"},
	    [XR_EMP] = {"Сотрудник", "не найден"},
	};
	struct xitem *it = &b->it[j];

	for (int f = 0; f < b->nf; f++) {
		const struct exchange_field *fd = &b->fields[f];
		const char *v = it->val[f];
		json_object *pending = b->opts->pending[fd->ref];
		char text[300];
		if (fd->type != XT_REF || v == NULL)
			continue;
		if (jsonx_get(b->known[fd->ref], v) != NULL ||
		    (pending && json_object_object_get_ex(pending, v, NULL)) ||
		    (fd->ref == XR_DEP && x_batch_dep(b, v) != NULL))
			continue;
		snprintf(text, sizeof(text), "%s «%s» %s", missing[fd->ref][0], v,
		         missing[fd->ref][1]);
		x_field(b, j, fd->name, "not_found",
		        "%s: передайте этот объект раньше (или, для подразделений, в этом же "
		        "пакете); ссылки — внешние коды",
		        text);
	}
	return it->bad ? -1 : 0;
}

static int x_check_employee(struct xbatch *b, int j)
{
	const char **v = b->it[j].val;
	int birth, hired, y, m, d;

	/* a birth date that can be: not after today, and at least 14 years
	 * before the hiring (art. 63 of the Labor Code: work from 16, from 14
	 * with a parent's consent) */
	if (v[EF_BIRTH] && date_parse(v[EF_BIRTH], &birth) == 0) {
		if (b->today == 0 && (b->today = org_today(b->ctx)) == DATE_NONE)
			return -1;
		date_to_ymd(birth, &y, &m, &d);
		if (birth > b->today)
			x_field(b, j, "birth_date", "future",
			        "Дата рождения позже сегодняшнего дня: проверьте год");
		else if (v[EF_HIRED] && date_parse(v[EF_HIRED], &hired) == 0 &&
		         hired < date_from_ymd(y + 14, m, m == 2 && d == 29 ? 28 : d))
			x_field(b, j, "birth_date", "order",
			        "Дата рождения меньше чем за 14 лет до даты приёма (ст. 63 ТК РФ): "
			        "проверьте обе даты");
	}

	if (v[EF_DEP]) {
		const char *org = x_dep_org(b, v[EF_DEP]);
		if (v[EF_ORG] == NULL)
			v[EF_ORG] = org;
		else if (org && strcmp(org, v[EF_ORG]) != 0)
			x_field(b, j, "department", "organization",
			        "Подразделение «%s» относится к другой организации", v[EF_DEP]);
	}
	return b->it[j].bad ? -1 : 0;
}

/* An employee's new email or phone may not be another account's sign-in
 * contact: a stored employee's own account takes it when written
 * (cabinets_contacts_follow). */
static int x_check_contacts(struct xbatch *b, int j)
{
	struct xitem *it = &b->it[j];
	const char *e = it->val[EF_EMAIL], *p = it->val[EF_PHONE], *field, *who;
	int rc;

	/* a new employee has no account yet, but another person's account with
	 * the contact would keep one from being created (cabinets.h): said here,
	 * where the contact is typed, not at the cabinet's creation */
	if (it->old && e && it->old[EF_EMAIL] && strcasecmp(e, it->old[EF_EMAIL]) == 0)
		e = NULL;
	if (it->old && p && it->old[EF_PHONE] && strcmp(p, it->old[EF_PHONE]) == 0)
		p = NULL;
	rc = cabinets_contact_taken(b->ctx, it->id, e, p, &field, &who);
	if (rc <= 0)
		return rc;
	return x_field(b, j, field, "taken",
	               "%s уже служит для входа в кабинет другого человека: %s",
	               field[0] == 'e' ? "Эта почта" : "Этот телефон", who);
}

static int x_check_department(struct xbatch *b, int j)
{
	struct xitem *it = &b->it[j];
	const char **v = it->val;
	json_object *pd;
	int64_t pidx;

	if (v[DF_PARENT] == NULL)
		return 0;
	/* made on a page (no external id until written: local-<id>): new, so
	 * nothing is under it yet and no cycle can close through it */
	if (v[DF_EXTID] != NULL && strcmp(v[DF_PARENT], v[DF_EXTID]) == 0)
		return x_field(b, j, "parent", "cycle",
		               "Подразделение не может входить само в себя");
	{
		const char *porg = x_dep_org(b, v[DF_PARENT]);
		if (v[DF_ORG] == NULL && porg)
			v[DF_ORG] = porg; /* a new sub-department is in its parent's organization */
		else if (porg && v[DF_ORG] && strcmp(porg, v[DF_ORG]) != 0)
			x_field(b, j, "parent", "organization",
			        "Вышестоящее подразделение «%s» относится к другой организации",
			        v[DF_PARENT]);
	}
	/* no cycles: walking up from the parent never comes back (the batch's
	 * parents are known for every item, so a cycle closed by a later item
	 * is found at that item) */
	{
		int steps = 0;
		for (const char *p = v[DF_PARENT], *q; p && steps < 100000; p = q, steps++) {
			q = x_dep_parent(b, p);
			if (q && v[DF_EXTID] != NULL && strcmp(q, v[DF_EXTID]) == 0)
				return x_field(b, j, "parent", "cycle",
				               "Подразделение «%s» уже входит в «%s»: получился бы "
				               "замкнутый круг",
				               v[DF_PARENT], v[DF_EXTID]);
		}
	}
	/* a parent that comes in a later chunk is set after it is written */
	pd = x_batch_dep(b, v[DF_PARENT]);
	if (pd && jsonx_get_int64(pd, "i", &pidx) == 0 && pidx >= b->base + b->cn)
		it->changed |= 2;
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

static int x_closed(struct xbatch *b)
{
	if (!b->closed_loaded && payrun_closed_until(b->ctx, &b->closed_until) < 0)
		return -1;
	b->closed_loaded = 1;
	return 0;
}

/* The dates whose row differs between two "date:...,date:..." lists (or
 * two dates: the employment's); a change effective up to a closed month
 * holding the employee's results is an error of the item (code "locked"),
 * the one rule of the batch for the inputs of a closed month. */
static int x_check_locked(struct xbatch *b, int j, const char *key, const char *oldl,
                          const char *newl)
{
	const char *lists[2] = {oldl, newl};
	int closed, first = DATE_NONE;

	if ((oldl == NULL && newl == NULL) || (oldl && newl && strcmp(oldl, newl) == 0))
		return 0;
	if (x_closed(b) < 0)
		return -1;
	/* a new employee has no results in a closed month; an existing one is
	 * locked by the closed months holding theirs (payrun_check_open_for) */
	if (b->closed_until == DATE_NONE || b->it[j].id == 0)
		return 0;
	if (payrun_closed_until_for(b->ctx, b->it[j].id, &closed) < 0)
		return -1;
	if (closed == DATE_NONE)
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
			if (date_parse(row, &date) == 0 && date <= closed &&
			    (first == DATE_NONE || date < first))
				first = date;
		}
	}
	if (first != DATE_NONE) {
		/* the change's earliest date: where it starts to touch */
		char ru[DATE_BUFSZ];
		date_format_ru(first, ru);
		return x_field(b, j, key, "locked",
		               "Изменение с %s затрагивает закрытый месяц зарплаты: "
		               "сначала откройте его",
		               ru);
	}
	return 0;
}

/* Whether a personnel number's holder of organization a (its external id,
 * "" for none) and one of organization b are in the same numbering: the
 * same organization, or either has none (an employee without an
 * organization cannot be told apart from any organization's). */
static int x_same_numbering(const char *a, const char *b)
{
	return *a == '\0' || *b == '\0' || strcmp(a, b) == 0;
}

/* Personnel numbers are unique within an organization: against the stored
 * employees that hold the chunk's numbers (one query) and the items of the
 * batch so far. An item without an organization takes a number held in any
 * organization, an item of an organization one held without any: refused
 * too. The message names the holder (for the admin form, where the taken
 * number was typed by hand; the exchange gets the external id as well). */
static int x_check_numbers(struct xbatch *b)
{
	json_object *nums = arena_own(b->ctx->arena, json_object_new_object());
	PGresult *res;

	for (int j = 0; j < b->cn; j++)
		if (b->it[j].val && !b->it[j].bad && b->it[j].val[EF_NUMBER])
			json_object_object_add(nums, b->it[j].val[EF_NUMBER], NULL);
	if (json_object_object_length(nums) == 0)
		return 0;
	res =
	    ctx_sql(b->ctx,
	            "SELECT e.external_id, coalesce(o.external_id, ''), e.personnel_number, "
	            "e.full_name FROM employees e LEFT JOIN organizations o ON o.tenant_id = "
	            "e.tenant_id AND o.id = e.organization_id WHERE e.tenant_id = $1 AND "
	            "e.personnel_number = ANY (ARRAY(SELECT jsonb_array_elements_text($2::jsonb))) "
	            "ORDER BY e.id",
	            ctx_i64(b->ctx, b->ctx->tenant_id), x_json_list(b->ctx, nums));
	if (res == NULL)
		return -1;
	for (int j = 0; j < b->cn; j++) {
		struct xitem *it = &b->it[j];
		const char *org, *num, *owner = NULL, *name = NULL;
		if (it->val == NULL || it->val[EF_NUMBER] == NULL || it->bad)
			continue;
		org = it->val[EF_ORG] ? it->val[EF_ORG] : "";
		num = it->val[EF_NUMBER];
		/* the batch so far: "org|number" and "*|number" of every item */
		owner = jsonx_get_str(b->numbers,
		                      arena_printf(b->ctx->arena, "%s|%s", *org ? org : "*", num));
		if (owner == NULL && *org)
			owner = jsonx_get_str(b->numbers, arena_printf(b->ctx->arena, "|%s", num));
		if (owner && (strcmp(owner, it->ext) == 0 ||
		              (it->matched && strcmp(owner, it->old[EF_EXTID]) == 0)))
			owner = NULL;
		/* the stored holders not in the batch (in it, their new numbers count) */
		for (int r = 0; owner == NULL && r < PQntuples(res); r++) {
			const char *ext = PQgetvalue(res, r, 0);
			if (strcmp(PQgetvalue(res, r, 2), num) != 0 ||
			    jsonx_get(b->index, ext) != NULL ||
			    !x_same_numbering(org, PQgetvalue(res, r, 1)) ||
			    strcmp(ext, it->ext) == 0 ||
			    (it->matched && strcmp(ext, it->old[EF_EXTID]) == 0))
				continue;
			owner = ext;
			name = PQgetvalue(res, r, 3);
		}
		if (owner) {
			if (name)
				x_field(b, j, "personnel_number", "taken",
				        "Табельный номер %s уже у другого сотрудника: %s. Укажите "
				        "другой номер",
				        num, name);
			else
				x_field(b, j, "personnel_number", "taken",
				        "Табельный номер %s уже у другого сотрудника организации "
				        "(внешний код «%s»)",
				        num, owner);
			continue;
		}
		jsonx_set_str(b->numbers, arena_printf(b->ctx->arena, "%s|%s", org, num), it->ext);
		jsonx_set_str(b->numbers, arena_printf(b->ctx->arena, "*|%s", num), it->ext);
	}
	return 0;
}

/* One entry of opts->changes for item i: {"field", "old", "new"} (+ "kept"). */
static void x_change_add(struct xbatch *b, int i, const char *field, const char *old,
                         const char *val, int kept)
{
	json_object *list, *o = json_object_new_object();
	char key[24];

	snprintf(key, sizeof(key), "%d", i);
	list = jsonx_get(b->opts->changes, key);
	if (list == NULL) {
		list = json_object_new_array();
		json_object_object_add(b->opts->changes, key, list);
	}
	jsonx_set_str(o, "field", field);
	json_object_object_add(o, "old", old ? json_object_new_string(old) : NULL);
	json_object_object_add(o, "new", val ? json_object_new_string(val) : NULL);
	if (kept)
		jsonx_set_bool(o, "kept", 1);
	json_object_array_add(list, o);
}

static int x_changed(const char *a, const char *c)
{
	return (a == NULL) != (c == NULL) || (a && strcmp(a, c) != 0);
}

/* opts->base (a CSV import): a stored employee's field that the service
 * changed since the last import (stored != what that import wrote), sent
 * again as that import wrote it (the same file), keeps the service's value:
 * the file did not change it. Listed as kept in opts->changes. */
static void x_keep_service_changes(struct xbatch *b, int j)
{
	struct xitem *it = &b->it[j];
	json_object *base;

	if (b->opts->base == NULL || it->old == NULL || b->kind != EXCHANGE_EMPLOYEES ||
	    (base = jsonx_get(b->opts->base, it->ext)) == NULL)
		return;
	for (int f = 1; f < b->nf; f++) {
		json_object *bv;
		const char *was;
		if (!it->sent.given[f] || f == EF_SCHEDULES || f == EF_PAY ||
		    !json_object_object_get_ex(base, b->fields[f].name, &bv))
			continue;
		was = bv ? json_object_get_string(bv) : NULL;
		if (x_changed(was, it->sent.val[f]) || !x_changed(it->old[f], it->sent.val[f]))
			continue;
		it->val[f] = it->old[f];
		if (b->opts->changes)
			x_change_add(b, b->base + j, b->fields[f].name, it->old[f], it->sent.val[f], 1);
	}
}

/* opts->changes: what a stored item's write changes, field by field
 * (opts->sent: the values the item gave, for the import's base). */
static void x_note_changes(struct xbatch *b, int j)
{
	struct xitem *it = &b->it[j];

	if (b->opts->sent && it->ext && it->ext[0] != '\001') {
		json_object *o = json_object_new_object();
		for (int f = 1; f < b->nf; f++)
			if (it->sent.given[f] && f != EF_SCHEDULES && f != EF_PAY)
				json_object_object_add(o, b->fields[f].name,
				                       it->sent.val[f]
				                           ? json_object_new_string(it->sent.val[f])
				                           : NULL);
		json_object_object_add(b->opts->sent, it->ext, o);
	}
	if (b->opts->changes == NULL || it->old == NULL || it->matched || !it->changed)
		return;
	for (int f = 1; f < b->nf; f++)
		if (x_changed(it->old[f], it->val[f]))
			x_change_add(b, b->base + j, b->fields[f].name, it->old[f], it->val[f], 0);
}

/* The chunk's items: read, check as sent, merge onto the stored row, check
 * the rest. 0 (maybe with field errors) or -1 on a failure. */
/* The external id of the tenant's organization when it has exactly one,
 * else NULL (none, or several: then the item's own choice stands). Asked
 * once a batch. 0 or -1. */
static int x_only_org(struct xbatch *b, const char **ext)
{
	if (!b->only_org_loaded) {
		PGresult *res = ctx_sql(b->ctx,
		                        "SELECT min(external_id) FROM organizations WHERE tenant_id = "
		                        "$1 HAVING count(*) = 1",
		                        ctx_i64(b->ctx, b->ctx->tenant_id));
		if (res == NULL)
			return -1;
		if (PQntuples(res) == 1 && !PQgetisnull(res, 0, 0))
			b->only_org = arena_strdup(b->main, PQgetvalue(res, 0, 0));
		b->only_org_loaded = 1;
	}
	*ext = b->only_org;
	return 0;
}

/* Organizations written: when the tenant has exactly one, the departments
 * and employees without an organization (made before it existed) are in
 * it (F11). 0 or -1. */
static int x_adopt_orphans(struct ctx *ctx)
{
	return ctx_sql(ctx,
	               "WITH o AS (SELECT min(id) AS id FROM organizations WHERE tenant_id = $1 "
	               "HAVING count(*) = 1), d AS (UPDATE departments x SET organization_id = o.id "
	               "FROM o WHERE x.tenant_id = $1 AND x.organization_id IS NULL RETURNING 1) "
	               "UPDATE employees x SET organization_id = o.id FROM o WHERE x.tenant_id = $1 "
	               "AND x.organization_id IS NULL",
	               ctx_i64(ctx, ctx->tenant_id)) == NULL
	           ? -1
	           : 0;
}

static int x_prepare(struct xbatch *b)
{
	struct ctx *ctx = b->ctx;
	struct exchange_errors sink = {x_error_sink, b};
	int nf = b->nf, may_omit = (b->opts->flags & EXCHANGE_ADMIN) && b->n == 1;

	/* 1. as sent: keys, types, forms; the external ids */
	for (int j = 0; j < b->cn; j++) {
		struct xitem *it = &b->it[j];
		int i = b->base + j;
		int64_t prev;
		json_object *in = b->src->item(b->src->arg, i);
		if (in == NULL && ctx->error >= 0 && ctx->error != PROTO_ERR_validation)
			return -1;
		arena_own(ctx->arena, in);
		exchange_item_check(ctx->arena, b->kind, i, in, may_omit, &it->sent, &sink);
		it->bad |= it->sent.bad;
		if (!json_object_is_type(in, json_type_object))
			continue;
		if (it->sent.ext == NULL && !it->sent.given[0] && may_omit)
			it->ext = "\001new"; /* made on a page: local-<id> */
		else if (it->sent.ext == NULL)
			continue;
		else
			it->ext = it->sent.ext;
		if (jsonx_get_int64(b->index, it->ext, &prev) == 0) {
			x_field(b, j, "external_id", "duplicate",
			        "Внешний код «%s» уже есть в этом пакете (элемент %lld)", it->ext,
			        (long long)prev);
			it->ext = NULL;
			continue;
		}
		jsonx_set_int(b->index, it->ext, i);
	}
	/* 2. the stored rows */
	if (x_load(b) < 0)
		return -1;
	/* 3. the values, merged onto the stored row */
	for (int j = 0; j < b->cn; j++) {
		struct xitem *it = &b->it[j];
		if (it->ext == NULL)
			continue;
		if (it->old == NULL && strncmp(it->ext, "local-", 6) == 0) {
			x_field(b, j, "external_id", "not_found",
			        "Коды local-… даёт сервис объектам, созданным на его страницах; "
			        "объекта «%s» нет",
			        it->ext);
			continue;
		}
		it->val = arena_alloc(ctx->arena, sizeof(char *) * (size_t)nf);
		/* a key left out keeps the stored value; null clears it */
		for (int f = 1; f < nf; f++)
			it->val[f] = it->sent.given[f] ? it->sent.val[f]
			             : it->old         ? it->old[f]
			                               : NULL;
		it->val[0] = it->ext[0] == '\001' ? NULL : it->ext;
		x_keep_service_changes(b, j);
		if (b->kind == EXCHANGE_EMPLOYEES && it->sent.given[EF_SCHEDULES] &&
		    it->sent.val[EF_SCHEDULES])
			it->val[EF_SCHEDULES] =
			    x_resolve_schedules(b, j, it->sent.val[EF_SCHEDULES]);
		/* a tenant with one organization: a department or an employee
		 * left without one is in it (the page's empty select, the CSV
		 * import's column, the exchange's omitted key alike - F11) */
		if (b->kind == EXCHANGE_EMPLOYEES || b->kind == EXCHANGE_DEPARTMENTS) {
			int of = b->kind == EXCHANGE_EMPLOYEES ? EF_ORG : DF_ORG;
			if (it->val[of] == NULL && x_only_org(b, &it->val[of]) < 0)
				return -1;
		}
		for (int f = 1; f < nf && it->old == NULL; f++)
			if ((b->fields[f].flags & XF_REQUIRED) && it->val[f] == NULL &&
			    !it->sent.given[f])
				x_field(b, j, b->fields[f].name, "required",
				        "Обязательное поле для нового объекта");
	}
	/* 4. the responsible person, then references and cross-field rules */
	if (b->kind == EXCHANGE_EMPLOYEES && x_match_responsible(b) < 0)
		return -1;
	if (x_load_refs(b) < 0)
		return -1;
	for (int j = 0; j < b->cn; j++) {
		struct xitem *it = &b->it[j];
		if (it->val == NULL)
			continue;
		if (x_check_refs(b, j) < 0)
			continue; /* every reference named; the rules below need them */
		exchange_item_rules(b->kind, b->base + j, it->sent.in, it->val, &sink);
		if (b->kind == EXCHANGE_EMPLOYEES) {
			if (x_check_employee(b, j) < 0 && ctx->error != PROTO_ERR_validation)
				return -1;
			if (!it->bad && x_check_contacts(b, j) < 0 &&
			    ctx->error != PROTO_ERR_validation)
				return -1;
			if (!it->bad &&
			    x_check_locked(b, j, "schedules",
			                   it->old ? it->old[EF_SCHEDULES] : NULL,
			                   it->val[EF_SCHEDULES]) < 0 &&
			    ctx->error != PROTO_ERR_validation)
				return -1;
			if (!it->bad &&
			    x_check_locked(b, j, "pay", it->old ? it->old[EF_PAY] : NULL,
			                   it->val[EF_PAY]) < 0 &&
			    ctx->error != PROTO_ERR_validation)
				return -1;
			/* the employment dates: a change touches the months
			 * from the earlier of its old and new dates on (the
			 * calculation, vacation service, averages and the НДФЛ
			 * year read them; sql/0072 marks the same months stale) */
			if (!it->bad &&
			    x_check_locked(b, j, "hired", it->old ? it->old[EF_HIRED] : NULL,
			                   it->val[EF_HIRED]) < 0 &&
			    ctx->error != PROTO_ERR_validation)
				return -1;
			if (!it->bad &&
			    x_check_locked(b, j, "dismissed",
			                   it->old ? it->old[EF_DISMISSED] : NULL,
			                   it->val[EF_DISMISSED]) < 0 &&
			    ctx->error != PROTO_ERR_validation)
				return -1;
		} else if (b->kind == EXCHANGE_DEPARTMENTS) {
			x_check_department(b, j);
		}
	}
	if (b->kind == EXCHANGE_EMPLOYEES && x_check_numbers(b) < 0)
		return -1;
	/* 5. what changes */
	for (int j = 0; j < b->cn; j++) {
		struct xitem *it = &b->it[j];
		if (it->val == NULL || it->bad)
			continue;
		it->changed |= it->old == NULL || it->matched;
		for (int f = 0; f < nf && !(it->changed & 1); f++) {
			const char *a = it->old[f], *c = it->val[f];
			it->changed |= (a == NULL) != (c == NULL) || (a && strcmp(a, c) != 0);
		}
		if (!(it->changed & 1))
			it->changed = 0; /* a parent deferred but nothing changed */
		x_note_changes(b, j);
	}
	return 0;
}

static void x_set(json_object *row, const char *key, const char *v)
{
	json_object_object_add(row, key, v ? json_object_new_string(v) : NULL);
}

/* ---- writing ---- */

/* The schedules and pay terms rows of an employee that differ. */
static void x_diff(int64_t emp, const char *oldl, const char *newl, json_object *set,
                   json_object *drop, int pay)
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
}

/* An item's row for the insert or the update: every field that is a column. */
static json_object *x_row(struct xbatch *b, struct xitem *it)
{
	json_object *row = json_object_new_object();

	for (int f = 0; f < b->nf; f++)
		if (!(b->fields[f].flags & XF_EXTRA))
			x_set(row,
			      f == EF_INSURANCE && b->kind == EXCHANGE_EMPLOYEES
			          ? "insurance"
			          : b->fields[f].name,
			      it->val[f]);
	return row;
}

/* The accounts of the chunk's stored employees whose email or phone
 * changed or was removed follow the card from its values before the write
 * (it->old, read from the row before the update: cabinets_contacts_follow). */
static int x_follow_contacts(struct xbatch *b)
{
	struct cabinets_contacts_old *old =
	    arena_alloc(b->ctx->arena, sizeof(*old) * ((size_t)b->cn + 1));
	size_t n = 0;

	for (int j = 0; j < b->cn; j++) {
		struct xitem *it = &b->it[j];
		const char *oe, *op, *ne, *np;
		if (!it->changed || it->old == NULL)
			continue;
		oe = it->old[EF_EMAIL], op = it->old[EF_PHONE];
		ne = it->val[EF_EMAIL], np = it->val[EF_PHONE];
		if ((ne == NULL) != (oe == NULL) || (ne && strcasecmp(ne, oe) != 0) ||
		    (np == NULL) != (op == NULL) || (np && strcmp(np, op) != 0) || it->matched)
			old[n++] = (struct cabinets_contacts_old){it->id, oe, op};
	}
	return cabinets_contacts_follow(b->ctx, old, n, NULL);
}

/* Writes the chunk: one insert of its new rows, one update of its changed
 * ones, one bulk write each of schedule assignments and pay terms. */
static int x_write(struct xbatch *b)
{
	struct ctx *ctx = b->ctx;
	json_object *news = arena_own(ctx->arena, json_object_new_array()),
	            *rows = arena_own(ctx->arena, json_object_new_array());
	PGresult *res;

	for (int j = 0; j < b->cn; j++) {
		struct xitem *it = &b->it[j];
		json_object *row;
		if (!it->changed || it->old != NULL)
			continue;
		if (b->k->insert_whole) {
			json_object_array_add(news, x_row(b, it));
			continue;
		}
		row = json_object_new_object();
		x_set(row, "external_id", it->val[0]);
		x_set(row, "name", it->val[1]);
		json_object_array_add(news, row);
	}
	if (json_object_array_length(news) > 0) {
		res = ctx_sql(ctx, b->k->insert_sql, ctx_i64(ctx, ctx->tenant_id),
		              jsonx_dump(news, NULL));
		if (res == NULL)
			return -1;
		for (int r = 0; r < PQntuples(res); r++) {
			struct xitem *it = x_chunk_item(b, PQgetvalue(res, r, 1));
			if (it == NULL)
				it = &b->it[0]; /* made on a page: the only item */
			it->id = atoll(PQgetvalue(res, r, 0));
			if (it->val[0] == NULL)
				it->val[0] = PQgetvalue(res, r, 1);
		}
	}
	for (int j = 0; j < b->cn; j++) {
		struct xitem *it = &b->it[j];
		json_object *row;
		if (!it->changed || (b->k->insert_whole && it->old == NULL))
			continue;
		row = x_row(b, it);
		jsonx_set_int(row, "id", it->id);
		json_object_array_add(rows, row);
		if (it->changed & 2) { /* the parent comes later: set at the end */
			json_object *d = json_object_new_object();
			jsonx_set_int(d, "id", it->id);
			jsonx_set_str(d, "parent", it->val[DF_PARENT]);
			json_object_array_add(b->deferred, d);
		}
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
		for (int j = 0; j < b->cn; j++) {
			struct xitem *it = &b->it[j];
			if (!it->changed)
				continue;
			x_diff(it->id, it->old ? it->old[EF_SCHEDULES] : NULL,
			       it->val[EF_SCHEDULES], sset, sdrop, 0);
			x_diff(it->id, it->old ? it->old[EF_PAY] : NULL, it->val[EF_PAY], pset,
			       pdrop, 1);
		}
		if (schedules_assignments_write(ctx, sset, sdrop) < 0 ||
		    payterms_write(ctx, pset, pdrop) < 0)
			return -1;
		if (x_follow_contacts(b) < 0)
			return -1;
	}
	return 0;
}

/* The departments whose parent came in a later chunk: one update. */
static int x_write_deferred(struct xbatch *b)
{
	if (b->deferred == NULL || json_object_array_length(b->deferred) == 0)
		return 0;
	return ctx_sql(b->ctx,
	               "UPDATE departments x SET parent_id = p.id FROM " RS(
	                   "id bigint, parent text") " JOIN departments p ON p.tenant_id = $1 "
	                                             "AND p.external_id = r.parent WHERE "
	                                             "x.tenant_id = $1 AND x.id = r.id",
	               ctx_i64(b->ctx, b->ctx->tenant_id), jsonx_dump(b->deferred, NULL))
	           ? 0
	           : -1;
}

/* ---- the driver ---- */

static void x_quiet(void *arg, int index, const char *key, const char *code, const char *text)
{
	(void)arg, (void)index, (void)key, (void)code, (void)text;
}

/* Once per batch, before the chunks: what every chunk needs (in the main
 * arena). A departments batch also reads every item once for its external
 * id, organization and parent, so a parent may come later in the batch. */
static int x_start(struct xbatch *b)
{
	struct ctx *ctx = b->ctx;

	b->index = arena_own(ctx->arena, json_object_new_object());
	if (b->kind == EXCHANGE_EMPLOYEES) {
		b->numbers = arena_own(ctx->arena, json_object_new_object());
		if (x_load_schedules(b) < 0)
			return -1;
		b->awaiting =
		    ctx_sql(ctx, arena_printf(ctx->arena, "%sx.awaiting_match", b->k->load_sql),
		            ctx_i64(ctx, ctx->tenant_id));
		if (b->awaiting == NULL)
			return -1;
		b->awaiting_taken = arena_alloc(ctx->arena, (size_t)PQntuples(b->awaiting) + 1);
	}
	if (b->kind == EXCHANGE_DEPARTMENTS) {
		struct arena *scratch = arena_new();
		struct exchange_errors quiet = {x_quiet, NULL};
		b->deferred = arena_own(ctx->arena, json_object_new_array());
		b->deps = arena_own(ctx->arena, json_object_new_object());
		/* the tree is checked for cycles as read: two batches (or forms)
		 * of one tenant's departments take turns, or each could close
		 * half of a cycle the other's check does not see yet */
		if (ctx_sql(
		        ctx,
		        "SELECT pg_advisory_xact_lock(hashtextextended('departments/' || $1, 0))",
		        ctx_i64(ctx, ctx->tenant_id)) == NULL ||
		    x_load_tree(b) < 0) {
			arena_free(scratch);
			return -1;
		}
		for (int i = 0; i < b->n; i++) {
			json_object *in = b->src->item(b->src->arg, i), *d;
			struct exchange_item it;
			if (in == NULL && ctx->error >= 0 && ctx->error != PROTO_ERR_validation) {
				arena_free(scratch);
				return -1;
			}
			exchange_item_check(scratch, b->kind, i, in, 0, &it, &quiet);
			if (it.ext && jsonx_get(b->deps, it.ext) == NULL) {
				d = json_object_new_object();
				jsonx_set_int(d, "i", i);
				if (it.given[DF_ORG])
					jsonx_set_str(d, "o", it.val[DF_ORG]);
				if (it.given[DF_PARENT])
					jsonx_set_str(d, "p", it.val[DF_PARENT]);
				json_object_object_add(b->deps, it.ext, d);
			}
			json_object_put(in);
			if (i % EXCHANGE_CHUNK == EXCHANGE_CHUNK - 1)
				arena_reset(scratch);
		}
		arena_free(scratch);
	}
	return 0;
}

/* Whether a field's stored value a and written value c differ. */
/* The tenant's structure within its configured size (max_positions,
 * max_departments, max_employees): counted after the batch's inserts, in
 * its transaction, so every way of adding (exchange, import, the admin's
 * forms) is bounded alike. 0, or -1 after 422 at items naming the key. */
static int x_check_limit(struct ctx *ctx, enum exchange_kind kind)
{
	const char *sql, *key, *what[2];
	long limit;
	PGresult *res;
	long n;

	switch (kind) {
	case EXCHANGE_POSITIONS:
		sql = "SELECT count(*) FROM positions WHERE tenant_id = $1";
		key = "max_positions", what[0] = "должности", what[1] = "должностей",
		limit = ctx->cfg->max_positions;
		break;
	case EXCHANGE_DEPARTMENTS:
		sql = "SELECT count(*) FROM departments WHERE tenant_id = $1";
		key = "max_departments", what[0] = "подразделения", what[1] = "подразделений",
		limit = ctx->cfg->max_departments;
		break;
	case EXCHANGE_EMPLOYEES:
		sql = "SELECT count(*) FROM employees WHERE tenant_id = $1";
		key = "max_employees", what[0] = "сотрудника", what[1] = "сотрудников",
		limit = ctx->cfg->max_employees;
		break;
	default:
		return 0;
	}
	if ((res = ctx_sql(ctx, sql, ctx_i64(ctx, ctx->tenant_id))) == NULL)
		return -1;
	n = atol(PQgetvalue(res, 0, 0));
	if (n <= limit)
		return 0;
	return ctx_field_code(ctx, "items", "limit",
	                      "В организации может быть не больше %ld %s (настройка %s), а стало "
	                      "бы %ld: ничего не записано. Удалите лишнее или попросите "
	                      "администратора сервиса увеличить %s",
	                      limit, ru_plural(limit, what[0], what[1], what[1]), key, n, key);
}

int exchange_upsert_source(struct ctx *ctx, enum exchange_kind kind,
                           const struct exchange_source *src, const struct exchange_opts *opts,
                           struct exchange_counts *counts)
{
	static const struct exchange_opts none = {0};
	struct xbatch b = {.ctx = ctx,
	                   .main = ctx->arena,
	                   .k = &x_kinds[kind],
	                   .kind = kind,
	                   .opts = opts ? opts : &none,
	                   .src = src,
	                   .n = src->n};
	struct arena *chunk;
	const char *dismissals = NULL; /* employees whose dismissal changed */
	int rc = 0;

	memset(counts, 0, sizeof(*counts));
	b.fields = exchange_fields(kind, &b.nf);
	if (b.n > EXCHANGE_MAX_ITEMS)
		return ctx_field(ctx, "items", "Не больше %d %s в одном пакете", EXCHANGE_MAX_ITEMS,
		                 ru_plural(EXCHANGE_MAX_ITEMS, "объекта", "объектов", "объектов"));
	if (x_start(&b) < 0)
		return -1;
	/* field errors outlive the chunks: their objects belong to the request */
	if (ctx->error_fields == NULL) {
		ctx->error_fields = arena_own(ctx->arena, json_object_new_object());
		ctx->error_codes = arena_own(ctx->arena, json_object_new_object());
	}
	b.it = arena_alloc(ctx->arena, sizeof(*b.it) * EXCHANGE_CHUNK);
	chunk = arena_new();
	for (b.base = 0; b.base < b.n && rc == 0; b.base += EXCHANGE_CHUNK) {
		int clean = ctx->error < 0;
		b.cn = b.n - b.base < EXCHANGE_CHUNK ? b.n - b.base : EXCHANGE_CHUNK;
		memset(b.it, 0, sizeof(*b.it) * (size_t)b.cn);
		ctx->arena = chunk;
		rc = x_prepare(&b);
		if (rc == 0 && clean && ctx->error < 0 && !(b.opts->flags & EXCHANGE_VALIDATE_ONLY))
			rc = x_write(&b);
		for (int j = 0; j < b.cn && rc == 0; j++) {
			struct xitem *it = &b.it[j];
			char act = it->bad || it->val == NULL ? 'x'
			           : !it->changed             ? 'n'
			           : it->matched              ? 'm'
			           : it->old == NULL          ? 'c'
			                                      : 'u';
			counts->errors += act == 'x';
			/* the responsible person's own employee, met in the batch:
			 * "created" as the accounting system sees it */
			counts->created += act == 'c' || act == 'm';
			counts->updated += act == 'u';
			counts->unchanged += act == 'n';
			if (b.opts->ids)
				b.opts->ids[b.base + j] = it->id;
			if (b.opts->actions)
				b.opts->actions[b.base + j] = act;
			if (kind == EXCHANGE_EMPLOYEES && act != 'x' && act != 'n' && it->id &&
			    x_changed(it->old ? it->old[EF_DISMISSED] : NULL,
			              it->val[EF_DISMISSED]))
				dismissals =
				    arena_printf(b.main, "%s%s%lld", dismissals ? dismissals : "{",
				                 dismissals ? "," : "", (long long)it->id);
		}
		ctx->arena = b.main;
		if (ctx->error_message)
			ctx->error_message = arena_strdup(b.main, ctx->error_message);
		arena_reset(chunk);
	}
	arena_free(chunk);
	if (rc < 0)
		return -1;
	if (ctx->error >= 0) {
		counts->created = counts->updated = counts->unchanged = 0;
		if (ctx->error == PROTO_ERR_validation && counts->errors)
			ctx->error_message = arena_printf(
			    ctx->arena, "Пакет не принят: ошибки в %d из %d %s, ничего не записано",
			    counts->errors, b.n, ru_plural(b.n, "объекта", "объектов", "объектов"));
		return -1;
	}
	if (!(b.opts->flags & EXCHANGE_VALIDATE_ONLY) && counts->created > 0 &&
	    x_check_limit(ctx, kind) < 0)
		return -1;
	if (!(b.opts->flags & EXCHANGE_VALIDATE_ONLY) && x_write_deferred(&b) < 0)
		return -1;
	if (!(b.opts->flags & EXCHANGE_VALIDATE_ONLY) && kind == EXCHANGE_ORGANIZATIONS &&
	    counts->created > 0 && x_adopt_orphans(ctx) < 0)
		return -1;
	/* a dismissal dated before today closes the cabinet and ends its
	 * sessions now, by the publication's rule (publication.h) */
	if (dismissals && !(b.opts->flags & EXCHANGE_VALIDATE_ONLY) &&
	    publication_enforce_for(ctx, arena_printf(ctx->arena, "%s}", dismissals), NULL, NULL) <
	        0)
		return -1;
	return 0;
}

/* A JSON array as the source of a batch. */
static json_object *x_array_item(void *arg, int i)
{
	return json_object_get(json_object_array_get_idx(arg, (size_t)i));
}

int exchange_upsert(struct ctx *ctx, enum exchange_kind kind, json_object *items, int admin,
                    struct exchange_counts *counts, int64_t *ids)
{
	struct exchange_source src = {0, x_array_item, items};
	struct exchange_opts opts = {.flags = admin ? EXCHANGE_ADMIN : 0u, .ids = ids};

	memset(counts, 0, sizeof(*counts));
	if (!json_object_is_type(items, json_type_array))
		return ctx_field(ctx, "items", "Ожидается список объектов: {\"items\": [...]}");
	src.n = (int)json_object_array_length(items);
	return exchange_upsert_source(ctx, kind, &src, &opts, counts);
}

/* ---- the log ---- */


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
	               ctx_i64(ctx, (monotime_us() - started_us) / 1000))
	           ? 0
	           : -1;
}

/* ---- operations ---- */

/* A batch body's top level: its unknown keys are field errors. */
static void x_top_error(void *arg, int index, const char *key, const char *code, const char *text)
{
	(void)index;
	ctx_field_code(arg, key, code, "%s", text);
}

/* The items of a body, read one at a time (exchange_items.h). */
static json_object *x_reader_item(void *arg, int i)
{
	json_object *v = NULL;

	if (i == 0)
		exchange_reader_rewind(arg);
	exchange_reader_next(arg, &v);
	return v;
}

/* The batch: the raw JSON body (a blob, up to exchange_max_body), read
 * item by item, or args.items (cabinetctl call). */
static int x_upsert_request(struct ctx *ctx, enum exchange_kind kind, struct exchange_counts *c)
{
	struct exchange_errors top = {x_top_error, ctx};
	struct exchange_reader r;
	struct exchange_source src = {0, x_reader_item, &r};
	const char *why = NULL;
	char msg[200];
	int rc;

	if (ctx->blob == NULL) {
		json_object *items = jsonx_get(ctx->args, "items");
		if (items == NULL)
			return ctx_field_code(ctx, "items", "required", "Обязательное поле");
		return exchange_upsert(ctx, kind, items, 0, c, NULL);
	}
	rc = exchange_reader_open(&r, (const char *)ctx->blob, ctx->blob_len, &top, &why);
	if (rc == -1)
		rc = ctx_fail(
		    ctx, PROTO_ERR_bad_request, "%s",
		    jsonx_error_ru(why, (const char *)ctx->blob, r.err_at, msg, sizeof(msg)));
	else if (rc == -2)
		rc = ctx_field_code(ctx, "items", "required", "Обязательное поле");
	else if (rc == -3)
		rc = ctx_field(ctx, "items", "Ожидается список объектов: {\"items\": [...]}");
	else if (ctx->error >= 0)
		rc = -1;
	else {
		src.n = r.count;
		rc = exchange_upsert_source(ctx, kind, &src, NULL, c);
	}
	exchange_reader_close(&r);
	return rc;
}

json_object *exchange_body_items(struct ctx *ctx)
{
	struct exchange_errors top = {x_top_error, ctx};
	struct exchange_reader r;
	const char *why = NULL;
	json_object *items, *v;
	char msg[200];
	int rc;

	if (ctx->blob == NULL) {
		items = jsonx_get(ctx->args, "items");
		if (items == NULL)
			ctx_field_code(ctx, "items", "required", "Обязательное поле");
		else if (!json_object_is_type(items, json_type_array))
			ctx_field(ctx, "items", "Ожидается список объектов: {\"items\": [...]}");
		return ctx->error >= 0 ? NULL : items;
	}
	rc = exchange_reader_open(&r, (const char *)ctx->blob, ctx->blob_len, &top, &why);
	if (rc == -1)
		ctx_fail(ctx, PROTO_ERR_bad_request, "%s",
		         jsonx_error_ru(why, (const char *)ctx->blob, r.err_at, msg, sizeof(msg)));
	else if (rc == -2)
		ctx_field_code(ctx, "items", "required", "Обязательное поле");
	else if (rc == -3)
		ctx_field(ctx, "items", "Ожидается список объектов: {\"items\": [...]}");
	if (rc < 0 || ctx->error >= 0) {
		exchange_reader_close(&r);
		return NULL;
	}
	items = arena_own(ctx->arena, json_object_new_array());
	while (exchange_reader_next(&r, &v) == 1)
		json_object_array_add(items, v);
	exchange_reader_close(&r);
	return items;
}

static int x_run(struct ctx *ctx, enum exchange_kind kind)
{
	struct exchange_counts c = {0};
	int64_t started = monotime_us();
	const char *route = exchange_kind_route(kind);

	/* chunks are written as they pass: a refused batch undoes them but
	 * keeps its log row */
	if (ctx_sql0(ctx, "SAVEPOINT exchange_batch") == NULL)
		return -1;
	if (x_upsert_request(ctx, kind, &c) == 0) {
		json_object *r = ctx_result(ctx);
		jsonx_set_int(r, "created", c.created);
		jsonx_set_int(r, "updated", c.updated);
		jsonx_set_int(r, "unchanged", c.unchanged);
		if ((c.created || c.updated) &&
		    audit_log(ctx, "exchange.upserted", 1, "exchange", route, NULL) < 0)
			return -1;
		return exchange_log_write(ctx, route, 200, &c, started);
	}
	if (ctx->error != PROTO_ERR_validation && ctx->error != PROTO_ERR_bad_request)
		return -1; /* a database failure: rolled back, nothing to log */
	/* a refused batch: what earlier chunks wrote is undone, its log row stays */
	if (ctx_sql0(ctx, "ROLLBACK TO SAVEPOINT exchange_batch") == NULL ||
	    exchange_log_write(ctx, route, ctx->status, &c, started) < 0)
		return -1;
	return ctx_keep(ctx);
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

static int exchange_kpi(struct ctx *ctx)
{
	return x_run(ctx, EXCHANGE_KPI);
}

/* What a log row's route was, for people. */
static const char *x_route_title(const char *route)
{
	static const char *const t[][2] = {
	    {"organizations", "Организации"},    {"departments", "Подразделения"},
	    {"positions", "Должности"},          {"employees", "Сотрудники"},
	    {"personal-file", "Личное дело"},    {"csv", "Загрузка из файла CSV"},
	    {"kpi", "Показатели эффективности"},
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i][0], route) == 0)
			return t[i][1];
	return route;
}

/* the log's page, $4 the organization's time zone (org.h); the key's
 * name as it was at the exchange, and whether it is revoked since */
#define EXCHANGE_LOG_SQL                                                                           \
	"SELECT to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), "              \
	"nullif(l.key_name, ''), l.route, l.created, l.updated, l.unchanged, l.errors, "           \
	"l.status, " ORG_TIME_SQL("l.at", "$4") ", u.full_name, l.duration_ms, count(*) OVER (), " \
	                                        "k.revoked_at IS NOT NULL FROM exchange_log l "    \
	                                        "LEFT JOIN users u ON u.tenant_id = "              \
	                                        "l.tenant_id AND u.id = l.user_id LEFT JOIN "      \
	                                        "api_keys k ON k.tenant_id = l.tenant_id AND "     \
	                                        "k.id = l.api_key_id WHERE l.tenant_id = $1 "      \
	                                        "ORDER BY l.at DESC, l.id DESC LIMIT $2 "          \
	                                        "OFFSET $3"

/* Who exchanged, for the administrator's page: the key by its name with
 * "ключ API" (or "ключ API, отозван") beside it, not in quotes of its own
 * (a name such as Бухгалтерия «1С» is not quoted again), the person who
 * loaded a file by their name, or the operator's cabinetctl (neither). */
static void exchange_log_who(json_object *o, PGresult *res, int i)
{
	if (!PQgetisnull(res, i, 1)) {
		jsonx_set_str(o, "who_ru", PQgetvalue(res, i, 1));
		jsonx_set_str(o, "who_note_ru",
		              strcmp(PQgetvalue(res, i, 12), "t") == 0 ? "ключ API, отозван"
		                                                       : "ключ API");
	} else if (!PQgetisnull(res, i, 9)) {
		jsonx_set_str(o, "who_ru", PQgetvalue(res, i, 9));
	} else {
		jsonx_set_str(o, "who_ru", "Оператор сервиса");
		jsonx_set_str(o, "who_note_ru", "cabinetctl");
	}
}

/* GET /api/exchange/v1/log, GET /api/admin/exchange-log. A key sees the
 * counts and the keys' names, never a person's name (its scope is any:
 * the log holds no one's data for it); the administrator also who loaded
 * a file, and the page's words and page links. */
static int exchange_log_list(struct ctx *ctx)
{
	int admin = ctx->op->access == OP_ADMIN;
	int64_t limit, offset, total;
	json_object *items, *r = ctx_result(ctx);
	PGresult *res;

	if (ctx_arg_int(ctx, "limit", 1, 1000, 50, &limit) < 0 ||
	    ctx_arg_int(ctx, "offset", 0, INT32_MAX, 0, &offset) < 0)
		return -1;
	res = ctx_sql(ctx, EXCHANGE_LOG_SQL, ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, limit),
	              ctx_i64(ctx, offset), org_time_zone(ctx));
	if (res == NULL)
		return -1;
	items = json_object_new_array();
	json_object_object_add(r, "items", items);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_str(o, "at", PQgetvalue(res, i, 0));
		jsonx_set_str(o, "key", PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1));
		jsonx_set_str(o, "route", PQgetvalue(res, i, 2));
		jsonx_set_str(o, "route_title", x_route_title(PQgetvalue(res, i, 2)));
		jsonx_set_int(o, "created", atoi(PQgetvalue(res, i, 3)));
		jsonx_set_int(o, "updated", atoi(PQgetvalue(res, i, 4)));
		jsonx_set_int(o, "unchanged", atoi(PQgetvalue(res, i, 5)));
		jsonx_set_int(o, "errors", atoi(PQgetvalue(res, i, 6)));
		jsonx_set_int(o, "status", atoi(PQgetvalue(res, i, 7)));
		jsonx_set_str(o, "at_ru", PQgetvalue(res, i, 8));
		if (admin) {
			jsonx_set_str(o, "user",
			              PQgetisnull(res, i, 9) ? NULL : PQgetvalue(res, i, 9));
			exchange_log_who(o, res, i);
		}
		jsonx_set_int(o, "duration_ms", atoi(PQgetvalue(res, i, 10)));
		jsonx_set_bool(o, "ok", atoi(PQgetvalue(res, i, 7)) < 300);
		json_object_array_add(items, o);
	}
	total = PQntuples(res) ? atoll(PQgetvalue(res, 0, 11)) : 0;
	if (total == 0 && offset > 0) {
		/* past the end: the count still says how many there are */
		res = ctx_sql(ctx, "SELECT count(*) FROM exchange_log WHERE tenant_id = $1",
		              ctx_i64(ctx, ctx->tenant_id));
		if (res == NULL)
			return -1;
		total = atoll(PQgetvalue(res, 0, 0));
	}
	jsonx_set_int(r, "total", total);
	if (admin) {
		/* "57 записей, показаны 1–50" */
		const char *count = arena_printf(ctx->arena, "%lld %s", (long long)total,
		                                 ru_plural(total, "запись", "записи", "записей"));
		int64_t shown = (int64_t)json_object_array_length(items);
		if (shown == 1 && total > 1)
			count = arena_printf(ctx->arena, "%s, показана %lld-я", count,
			                     (long long)offset + 1);
		else if (shown > 0 && shown < total)
			count = arena_printf(ctx->arena, "%s, показаны %lld–%lld", count,
			                     (long long)offset + 1, (long long)(offset + shown));
		jsonx_set_str(r, "total_ru", count);
		jsonx_set_pages(r, total, limit, offset, 200);
	}
	return 0;
}

/* ---- API keys ---- */

/* the tenant's live keys, $2 the organization's time zone (org.h) */
#define EXCHANGE_KEYS_SQL                                                                          \
	"SELECT k.id, k.name, k.prefix, " ORG_TIME_SQL("k.created_at", "$2") ", " ORG_TIME_SQL(    \
	    "k.last_used_at", "$2") ", u.full_name, array_to_json(k.scopes) FROM api_keys k "      \
	                            "LEFT JOIN users u ON "                                        \
	                            "u.tenant_id = k.tenant_id AND u.id = k.created_by WHERE "     \
	                            "k.tenant_id = $1 AND k.revoked_at IS NULL ORDER BY k.id"

static int exchange_keys_list(struct ctx *ctx)
{
	PGresult *res =
	    ctx_sql(ctx, EXCHANGE_KEYS_SQL, ctx_i64(ctx, ctx->tenant_id), org_time_zone(ctx));
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
		json_object *scopes =
		    arena_own(ctx->arena, json_tokener_parse(PQgetvalue(res, i, 6)));
		json_object *titles = json_object_new_array();
		for (size_t k = 0; scopes && k < json_object_array_length(scopes); k++)
			json_object_array_add(
			    titles,
			    json_object_new_string(access_scope_title(
			        json_object_get_string(json_object_array_get_idx(scopes, k)))));
		json_object_object_add(o, "scopes", json_object_get(scopes));
		json_object_object_add(o, "scopes_ru", titles);
		json_object_array_add(items, o);
	}
	return 0;
}

/* The scopes of a new key as a text[] literal: the list given (each a
 * known scope; "" skipped), all without one (the key of issue 10's
 * contract, {"name"}); NULL after a field error. */
static const char *exchange_key_scopes(struct ctx *ctx)
{
	json_object *list = jsonx_get(ctx->args, "scopes");
	struct buf b = {0};
	const char *out;
	int n = 0;

	if (list == NULL || json_object_is_type(list, json_type_null))
		return "{staff,payroll,requests,kpi}";
	buf_putc(&b, '{');
	for (size_t i = 0; i < json_object_array_length(list); i++) {
		const char *s = json_object_get_string(json_object_array_get_idx(list, i));
		size_t k;
		if (s == NULL || *s == '\0')
			continue;
		for (k = 0; access_scopes[k] && strcmp(access_scopes[k], s) != 0; k++)
			;
		if (access_scopes[k] == NULL) {
			ctx_field(ctx, arena_printf(ctx->arena, "scopes[%zu]", i),
			          "Нет такого раздела: разделы ключа — staff (сотрудники и "
			          "структура), payroll (зарплата), requests (заявки), kpi "
			          "(показатели эффективности)");
			continue;
		}
		if (strstr(b.data ? b.data : "", s) == NULL) {
			buf_puts(&b, n++ ? "," : "");
			buf_puts(&b, s);
		}
	}
	buf_putc(&b, '}');
	if (n == 0 && !(ctx->error_fields && json_object_object_length(ctx->error_fields)))
		ctx_field_code(ctx, "scopes", "required",
		               "Выберите хотя бы один раздел, к которому у ключа будет доступ");
	out = arena_strdup(ctx->arena, b.data);
	buf_free(&b);
	return ctx->error_fields && json_object_object_length(ctx->error_fields) ? NULL : out;
}

/* POST /api/admin/api-keys {"name", "scopes"?} -> 201 {"id", "key"}: the
 * key is shown this once; only its SHA-256 is kept. */
static int exchange_keys_create(struct ctx *ctx)
{
	const char *name = ctx_arg_str(ctx, "name", 100, 1), *key;
	const char *scopes = exchange_key_scopes(ctx);
	PGresult *res;

	if (name == NULL || scopes == NULL)
		return -1;
	key = session_new_api_key(ctx);
	if (key == NULL)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	res =
	    ctx_sql(ctx,
	            "INSERT INTO api_keys (tenant_id, name, key_hash, prefix, created_by, scopes) "
	            "VALUES ($1, $2, $3, $4, nullif($5, '0')::bigint, $6::text[]) RETURNING id",
	            ctx_i64(ctx, ctx->tenant_id), name, session_token_hash(ctx, key),
	            arena_strndup(ctx->arena, key, 7), ctx_i64(ctx, ctx->user_id), scopes);
	if (res == NULL || audit_log(ctx, "api_keys.created", 1, "api_key", PQgetvalue(res, 0, 0),
	                             audit_detail("scopes", scopes)) < 0)
		return -1;
	ctx->status = 201;
	jsonx_set_int(ctx_result(ctx), "id", atoll(PQgetvalue(res, 0, 0)));
	jsonx_set_str(ctx_result(ctx), "key", key);
	jsonx_set_str(ctx_result(ctx), "name", name);
	/* the keys, the new one among them: the page shows both */
	return exchange_keys_list(ctx);
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

/* A form's whole number from 0 to max ("" is 0), or -1. */
static int x_admin_small_int(json_object *v, int max)
{
	const char *s = v ? json_object_get_string(v) : "";
	char *end;
	long n;

	s += strspn(s, " ");
	if (*s == '\0')
		return 0;
	n = strtol(s, &end, 10);
	end += strspn(end, " ");
	return *s >= '0' && *s <= '9' && *end == '\0' && n <= max ? (int)n : -1;
}

/* The insurance record (issue 11 item 2) as the admin form types it:
 * insurance_years (0-80) and insurance_months (0-11) counted today, into the
 * item's insurance_record; values equal to the stored ones keep the stored
 * date (an edit does not restart the count); both empty clear it. 0, or -1
 * after a field error. */
static int x_admin_insurance(struct ctx *ctx, const char *ext, json_object *item)
{
	json_object *y = jsonx_get(ctx->args, "insurance_years"),
	            *m = jsonx_get(ctx->args, "insurance_months"), *rec;
	const char *as_of = NULL;
	int years, months, bad = 0;

	if (y == NULL && m == NULL)
		return 0;
	if (x_admin_small_int(y, 80) < 0 || x_admin_small_int(m, 11) < 0) {
		if (x_admin_small_int(y, 80) < 0)
			bad = ctx_field_code(ctx, "insurance_years", "invalid",
			                     "Полных лет страхового стажа: целое число от 0 до 80");
		if (x_admin_small_int(m, 11) < 0)
			bad = ctx_field_code(ctx, "insurance_months", "invalid",
			                     "Месяцев сверх полных лет: целое число от 0 до 11");
		return bad;
	}
	if ((y == NULL ||
	     json_object_get_string(y)[strspn(json_object_get_string(y), " ")] == '\0') &&
	    (m == NULL ||
	     json_object_get_string(m)[strspn(json_object_get_string(m), " ")] == '\0')) {
		json_object_object_add(item, "insurance_record", NULL);
		return 0;
	}
	years = x_admin_small_int(y, 80);
	months = x_admin_small_int(m, 11);
	if (ext) {
		PGresult *res = ctx_sql(
		    ctx,
		    "SELECT insurance_as_of::text FROM employees WHERE tenant_id = "
		    "$1 AND external_id = $2 AND insurance_years = $3::int AND "
		    "insurance_months = $4::int",
		    ctx_i64(ctx, ctx->tenant_id), ext, ctx_i64(ctx, years), ctx_i64(ctx, months));
		if (res == NULL)
			return -1;
		if (PQntuples(res) && !PQgetisnull(res, 0, 0))
			as_of = arena_strdup(ctx->arena, PQgetvalue(res, 0, 0));
	}
	if (as_of == NULL) {
		int today = org_today(ctx);
		char iso[DATE_BUFSZ];
		if (today == DATE_NONE)
			return -1;
		date_format(today, iso);
		as_of = arena_strdup(ctx->arena, iso);
	}
	rec = json_object_new_object();
	jsonx_set_int(rec, "years", years);
	jsonx_set_int(rec, "months", months);
	jsonx_set_str(rec, "as_of", as_of);
	json_object_object_add(item, "insurance_record", rec);
	return 0;
}

/* args -> an employee item: *_id numbers become references, route and
 * form keys are dropped, empty form fields clear (SNILS and INN: keep);
 * the form's insurance_years and insurance_months become insurance_record. */
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
		int skip =
		    strcmp(key, "id") == 0 || key[0] == '_' || strncmp(key, "insurance_", 10) == 0;
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
	if (x_admin_insurance(ctx, ext, item) < 0)
		return NULL;
	if (ext)
		jsonx_set_str(item, "external_id", ext);
	return ctx->error >= 0 ? NULL : item;
}

int exchange_admin_save(struct ctx *ctx, enum exchange_kind kind, json_object *item,
                        struct exchange_counts *c, int64_t *id)
{
	json_object *items = arena_own(ctx->arena, json_object_new_array());

	*id = 0;
	json_object_array_add(items, json_object_get(item));
	if (exchange_upsert(ctx, kind, items, 1, c, id) < 0) {
		/* the item's fields are the form's: items[0].email -> email; the
		 * batch's message ("Пакет не принят...") is not the form's */
		json_object *f = ctx->error_fields, *k = ctx->error_codes;
		if (ctx->error == PROTO_ERR_validation)
			ctx->error_message = NULL;
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
			/* a change that only touches a closed payroll month is
			 * refused as the other inputs of a closed month are: 423,
			 * its message the field's */
			if (ctx->error == PROTO_ERR_validation && json_object_object_length(nk)) {
				int locked = 1;
				const char *msg = NULL;
				json_object_object_foreach(nk, fkey, code)
				{
					if (!json_object_is_type(code, json_type_string) ||
					    strcmp(json_object_get_string(code), "locked") != 0)
						locked = 0;
					else if (msg == NULL)
						msg = jsonx_get_str(nf, fkey);
				}
				if (locked)
					ctx_fail_about(ctx, PROTO_ERR_locked, "%s",
					               msg ? msg : "Период закрыт для изменений");
			}
		}
		return -1;
	}
	return 0;
}

static int x_admin_save(struct ctx *ctx, const char *ext)
{
	json_object *item;
	struct exchange_counts c;
	int64_t id = 0;

	item = x_admin_item(ctx, ext);
	if (item == NULL)
		return -1;
	if (exchange_admin_save(ctx, EXCHANGE_EMPLOYEES, item, &c, &id) < 0)
		return -1;
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
	/* locked before anything of the card is read (the insurance record's
	 * date, then the upsert's x_lock again) */
	res = ctx_sql(ctx,
	              "SELECT external_id FROM employees WHERE tenant_id = $1 AND id = $2 FOR NO "
	              "KEY UPDATE",
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

/* The items' own fields are checked by the kinds' tables above (the
 * batch's nested declaration); the top-level arguments are these. */
static const struct op_arg exchange_batch_args[] = {
    {"items", ARG_ARRAY, 0, .min = 0, .max = EXCHANGE_MAX_ITEMS},
    ARG_END,
};
static const struct op_arg exchange_log_args[] = {
    {"limit", ARG_INT, 0, .min = 1, .max = 1000},
    {"offset", ARG_INT, 0, .min = 0, .max = INT32_MAX},
    ARG_END,
};
/* a scope's name; "" is none (the admin form's list always sends one, so
 * that a form with no box ticked is told to tick one) */
static const struct op_arg exchange_key_scope_item[] = {
    ARG_ITEM(ARG_STR, .max = 20, .hint = "Раздел: staff, payroll, requests или kpi"),
    ARG_END,
};
static const struct op_arg exchange_key_create_args[] = {
    {"name", ARG_STR, ARG_REQUIRED, .max = 100, .example = "\"1С:ЗУП\""},
    {"scopes", ARG_ARRAY, 0, .max = 8, .items = exchange_key_scope_item,
     .example = "[\"staff\", \"requests\"]",
     .hint = "Разделы ключа: staff, payroll, requests, kpi (без списка — все)"},
    ARG_END,
};
static const struct op_arg exchange_key_delete_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
/* one employee item (x_emp_fields checks its fields), references also as
 * ids; "" clears a reference, as the admin form sends it */
#define EXCHANGE_ADMIN_ARGS                                                                        \
	{"external_id", ARG_STR, 0, .max = 100},                                                   \
	    {"organization_id", ARG_INT, ARG_EMPTY, .min = 1, .max = INT64_MAX},                   \
	    {"department_id", ARG_INT, ARG_EMPTY, .min = 1, .max = INT64_MAX},                     \
	{                                                                                          \
		"position_id", ARG_INT, ARG_EMPTY, .min = 1, .max = INT64_MAX                      \
	}
static const struct op_arg exchange_staff_create_args[] = {EXCHANGE_ADMIN_ARGS, ARG_END};
static const struct op_arg exchange_staff_update_args[] = {ARG_ROW_ID("id", ARG_REQUIRED),
                                                           EXCHANGE_ADMIN_ARGS, ARG_END};

const struct op exchange_ops[] = {
    {"exchange.organizations", OP_EXCHANGE, exchange_organizations, 0, exchange_batch_args,
     .scope = "staff", .budget_ms = OP_BUDGET_EXCHANGE},
    {"exchange.departments", OP_EXCHANGE, exchange_departments, 0, exchange_batch_args,
     .scope = "staff", .budget_ms = OP_BUDGET_EXCHANGE},
    {"exchange.positions", OP_EXCHANGE, exchange_positions, 0, exchange_batch_args,
     .scope = "staff", .budget_ms = OP_BUDGET_EXCHANGE},
    {"exchange.employees", OP_EXCHANGE, exchange_employees, 0, exchange_batch_args,
     .scope = "staff", .budget_ms = OP_BUDGET_EXCHANGE},
    {"exchange.personal_file", OP_EXCHANGE, exchange_personal_file, 0, exchange_batch_args,
     .scope = "staff", .budget_ms = OP_BUDGET_EXCHANGE},
    {"exchange.kpi", OP_EXCHANGE, exchange_kpi, 0, exchange_batch_args, .scope = "kpi",
     .budget_ms = OP_BUDGET_EXCHANGE},
    {"exchange.log", OP_EXCHANGE, exchange_log_list, 0, exchange_log_args,
     .scope = ACCESS_SCOPE_ANY},
    {"exchange.log_admin", OP_ADMIN, exchange_log_list, 0, exchange_log_args},
    {"api_keys.list", OP_ADMIN, exchange_keys_list, 0, args_none},
    /* not OP_IDEMPOTENT: the answer holds the new key, which is never stored */
    {"api_keys.create", OP_ADMIN, exchange_keys_create, OP_WRITE, exchange_key_create_args},
    {"api_keys.delete", OP_ADMIN, exchange_keys_delete, OP_WRITE, exchange_key_delete_args},
    {"staff.create", OP_ADMIN, exchange_employee_create, OP_WRITE | OP_IDEMPOTENT,
     exchange_staff_create_args},
    {"staff.update", OP_ADMIN, exchange_employee_update, OP_WRITE, exchange_staff_update_args},
    {NULL, 0, NULL, 0, NULL},
};
