/*
 * import.c - employees from a CSV file: the file (kept between a preview
 * and the import), the column mapping, departments and positions by name,
 * employees found by personnel number, then the exchange's upsert. The
 * rules are in import.h.
 */
#include "import.h"

#include "audit.h"
#include "csvread.h"
#include "date.h"
#include "exchange.h"
#include "jsonx.h"
#include "log.h"
#include "monotime.h"
#include "ops.h"
#include "staff.h"
#include "ru.h"

#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* One department or position name of the file. */
struct iname {
	const char *name; /* as first written */
	const char *ext;  /* the object's external id: found, or new */
	int found;        /* 1: the tenant has it; 2: two objects have it */
	int created;      /* a new object (its item in the batch) */
	int item;         /* its index in the batch of new objects */
};

struct import {
	struct ctx *ctx;
	struct csvread_table t;
	int map[CSVREAD_FIELDS];
	int64_t org_id;    /* 0: none */
	const char *org;   /* its external id */
	int orgs;          /* organizations of the tenant */
	json_object *deps; /* name key -> index into dep[] */
	json_object *poss;
	struct iname *dep, *pos;
	int ndep, npos;
	const char **ext;        /* each row's external id */
	int64_t *ids;            /* each row's stored employee (exchange_opts.ids) */
	json_object *row_errors; /* line -> {field -> text} */
	int bad_rows;
	json_object *base;    /* external id -> {field: value} the last import wrote */
	json_object *changes; /* row index -> [{"field", "old", "new", "kept"?}] (exchange.h) */
	json_object *sent;    /* external id -> {field: value} of this file */
	json_object *names;   /* external id -> name of organizations, departments, positions */
};


/* A field error of a row, kept for the answer (the first per field). */
static void import_row_error(struct import *im, int r, const char *field, const char *text)
{
	const char *line = ctx_i64(im->ctx, im->t.lines[r]);
	json_object *e = jsonx_get(im->row_errors, line);

	if (e == NULL) {
		e = json_object_new_object();
		json_object_object_add(im->row_errors, line, e);
		im->bad_rows++;
	}
	if (jsonx_get(e, field) == NULL)
		jsonx_set_str(e, field, text);
}

/* The cell of field f in row r as a value (csvread_clean; "" when the
 * field is not mapped). */
static const char *import_cell(struct import *im, int r, int f)
{
	if (im->map[f] < 0)
		return "";
	return csvread_clean(im->ctx->arena, im->t.rows[r][im->map[f]]);
}

static const char *import_key(struct import *im, const char *name)
{
	char *key = arena_alloc(im->ctx->arena, strlen(name) + 1);

	csvread_name_key(name, key, strlen(name) + 1);
	return key;
}

/* ---- the file ---- */

static int import_truthy(json_object *v)
{
	const char *s;

	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v);
	if (json_object_is_type(v, json_type_int))
		return json_object_get_int64(v) != 0;
	s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : "";
	return strcmp(s, "1") == 0 || strcmp(s, "true") == 0 || strcmp(s, "on") == 0 ||
	       strcmp(s, "yes") == 0;
}

/* The file's text: the request's file, or a kept one (args.upload). Reads
 * it into im->t. *upload gets the kept file's id (0 for a new file that is
 * not kept). 0 or -1. */
static int import_read(struct import *im, int keep, int64_t *upload, const char **filename)
{
	struct ctx *ctx = im->ctx;
	const char *why, *enc;
	int line;
	int64_t id = 0;
	PGresult *res;

	*upload = 0;
	*filename = args_file_base(ctx_arg_str(ctx, "filename", ARGS_FILE_NAME_MAX, 0));
	if (ctx->blob == NULL) {
		if (ctx_arg_int(ctx, "upload", 1, INT64_MAX, 0, &id) < 0)
			return -1;
		if (id == 0)
			return ctx_field_code(ctx, "file", "required",
			                      "Выберите файл CSV со списком сотрудников");
		res = ctx_sql(
		    ctx,
		    "SELECT content, encoding, filename FROM import_uploads WHERE tenant_id "
		    "= $1 AND id = $2 AND created_at > now() - " IMPORT_KEEP_SQL,
		    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
		if (res == NULL)
			return -1;
		if (PQntuples(res) == 0)
			return ctx_field_code(
			    ctx, "file", "expired",
			    "Загруженный файл больше не хранится (файлы хранятся сутки): "
			    "выберите его снова");
		if (csvread_parse(ctx->arena, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0),
		                  &im->t, &line, &why) < 0)
			return ctx_field_code(ctx, "file", "format", "%s",
			                      why); /* was read before */
		im->t.encoding = PQgetvalue(res, 0, 1);
		*filename = PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2);
		*upload = id;
		return 0;
	}
	if (csvread_parse(ctx->arena, (const char *)ctx->blob, ctx->blob_len, &im->t, &line, &why) <
	    0) {
		char low[256];
		if (line > 0)
			return ctx_field_code(ctx, "file", "format", "Строка %d: %s", line,
			                      ru_after_colon(why, low, sizeof(low)));
		return ctx_field_code(ctx, "file", "format", "%s", why);
	}
	if (!keep)
		return 0;
	/* kept for the import after the preview: its text in UTF-8, the lines
	 * as they were, so the lines named stay the same */
	enc = im->t.encoding;
	res = ctx_sql(
	    ctx,
	    "WITH old AS (DELETE FROM import_uploads WHERE tenant_id = $1 AND created_at "
	    "< now() - " IMPORT_KEEP_SQL ") INSERT INTO import_uploads (tenant_id, user_id, "
	    "filename, encoding, content) VALUES ($1, nullif($2, '0')::bigint, $3, $4, $5) "
	    "RETURNING id",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->user_id), *filename, enc, im->t.text);
	if (res == NULL)
		return -1;
	*upload = atoll(PQgetvalue(res, 0, 0));
	return 0;
}

/* ---- the mapping ---- */

/* A column given for a field: its number from 1, or its header; -1 for
 * none; -2 when there is no such column. */
static int import_column(struct import *im, json_object *v)
{
	const char *s;
	char *end;
	long n;

	if (v == NULL || json_object_is_type(v, json_type_null))
		return -1;
	if (json_object_is_type(v, json_type_int)) {
		n = (long)json_object_get_int64(v);
		return n == 0 ? -1 : n >= 1 && n <= im->t.ncols ? (int)n - 1 : -2;
	}
	if (!json_object_is_type(v, json_type_string))
		return -2;
	s = json_object_get_string(v);
	if (*s == '\0')
		return -1;
	n = strtol(s, &end, 10);
	if (*end == '\0')
		return n == 0 ? -1 : n >= 1 && n <= im->t.ncols ? (int)n - 1 : -2;
	for (int c = 0; c < im->t.ncols; c++)
		if (strcmp(im->t.header[c], s) == 0)
			return c;
	return -2;
}

/* The mapping: guessed from the header, then what the request says
 * (args.mapping, or the form's map_<field>). 0, or -1 with field errors
 * "mapping.<field>". */
static int import_mapping(struct import *im)
{
	struct ctx *ctx = im->ctx;
	json_object *given = jsonx_get(ctx->args, "mapping");
	const char *why;
	int err = 0;

	csvread_guess(&im->t, im->map);
	if (json_object_is_type(given, json_type_string) && json_object_get_string_len(given)) {
		given = jsonx_parse_object(json_object_get_string(given),
		                           (size_t)json_object_get_string_len(given), &why);
		if (given == NULL)
			return ctx_field(ctx, "mapping",
			                 "Ожидается объект {\"поле\": номер столбца}: %s", why);
		arena_own(ctx->arena, given);
	} else if (given && !json_object_is_type(given, json_type_object)) {
		given = NULL;
	}
	if (given) {
		json_object_object_foreach(given, key, val)
		{
			int f = csvread_field_index(key), c;
			if (f < 0) {
				err =
				    ctx_field_code(ctx, arena_printf(ctx->arena, "mapping.%s", key),
				                   "unknown", "Неизвестное поле");
				continue;
			}
			c = import_column(im, val);
			if (c == -2)
				err =
				    ctx_field(ctx, arena_printf(ctx->arena, "mapping.%s", key),
				              "Нет такого столбца: номер от 1 до %d или заголовок",
				              im->t.ncols);
			else
				im->map[f] = c;
		}
	}
	json_object_object_foreach(ctx->args, key, val)
	{
		int f, c;
		if (strncmp(key, "map_", 4) != 0)
			continue;
		f = csvread_field_index(key + 4);
		if (f < 0)
			continue; /* a form's other field */
		c = import_column(im, val);
		if (c == -2)
			err = ctx_field(ctx, arena_printf(ctx->arena, "mapping.%s", key + 4),
			                "Нет такого столбца");
		else
			im->map[f] = c;
	}
	for (int f = 0; f < CSVREAD_FIELDS; f++)
		for (int g = f + 1; g < CSVREAD_FIELDS; g++)
			if (im->map[f] >= 0 && im->map[f] == im->map[g])
				err = ctx_field(
				    ctx,
				    arena_printf(ctx->arena, "mapping.%s", csvread_fields[g].name),
				    "Столбец %d («%s») уже выбран для поля «%s»", im->map[g] + 1,
				    im->t.header[im->map[g]], csvread_fields[f].title);
	if (im->map[CF_NAME] < 0 && im->map[CF_LAST] < 0)
		err = ctx_field_code(
		    ctx, "mapping.full_name", "required",
		    "Выберите столбец с ФИО (или столбцы фамилии, имени и отчества)");
	if (im->map[CF_NUMBER] < 0 && im->map[CF_EXTID] < 0)
		err = ctx_field_code(ctx, "mapping.personnel_number", "required",
		                     "Выберите столбец с табельным номером: по нему сотрудник "
		                     "находится при следующей загрузке");
	return err;
}

/* ---- the organization, departments, positions, employees ---- */

/* args.organization_id, or the tenant's only organization. */
static int import_organization(struct import *im)
{
	struct ctx *ctx = im->ctx;
	PGresult *res;
	int64_t id;

	if (ctx_arg_int(ctx, "organization_id", 1, INT64_MAX, 0, &id) < 0)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT id, external_id FROM organizations WHERE tenant_id = $1 ORDER BY id",
	              ctx_i64(ctx, ctx->tenant_id));
	if (res == NULL)
		return -1;
	im->orgs = PQntuples(res);
	for (int r = 0; r < PQntuples(res); r++)
		if (id ? atoll(PQgetvalue(res, r, 0)) == id : PQntuples(res) == 1) {
			im->org_id = atoll(PQgetvalue(res, r, 0));
			im->org = PQgetvalue(res, r, 1);
		}
	if (id && im->org_id == 0)
		return ctx_field_code(ctx, "organization_id", "not_found",
		                      "Организация не найдена");
	if (im->org_id == 0 && im->orgs > 1)
		return ctx_field_code(ctx, "organization_id", "required",
		                      "Выберите организацию, в которую загружаются сотрудники");
	return 0;
}

/* The file's department (or position) names, and what the tenant has by
 * those names. sql: "SELECT external_id, name FROM ... WHERE tenant_id = $1". */
static int import_names(struct import *im, int field, const char *sql, json_object **keys,
                        struct iname **list, int *n)
{
	struct ctx *ctx = im->ctx;
	PGresult *res;

	*keys = arena_own(ctx->arena, json_object_new_object());
	*n = 0;
	*list = arena_alloc(ctx->arena, sizeof(**list) * (size_t)(im->t.nrows + 1));
	for (int r = 0; r < im->t.nrows && im->map[field] >= 0; r++) {
		const char *name = import_cell(im, r, field), *key;
		if (*name == '\0')
			continue;
		key = import_key(im, name);
		if (jsonx_get(*keys, key))
			continue;
		(*list)[*n].name = name;
		jsonx_set_int(*keys, key, *n);
		(*n)++;
	}
	if (*n == 0)
		return 0;
	res = ctx_sql(ctx, sql, ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, im->org_id));
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		int64_t i;
		struct iname *in;
		if (jsonx_get_int64(*keys, import_key(im, PQgetvalue(res, r, 1)), &i) < 0)
			continue;
		in = &(*list)[i];
		in->found = in->found ? 2 : 1;
		in->ext = PQgetvalue(res, r, 0);
	}
	for (int i = 0; i < *n; i++) {
		struct iname *in = &(*list)[i];
		unsigned char md[SHA256_DIGEST_LENGTH];
		const char *key = import_key(im, in->name);
		char hex[17];
		if (in->found)
			continue;
		SHA256((const unsigned char *)key, strlen(key), md);
		for (int k = 0; k < 8; k++)
			snprintf(hex + 2 * k, 3, "%02x", md[k]);
		in->ext = arena_printf(ctx->arena, "csv-%s", hex);
		in->created = 1;
	}
	return 0;
}

/* The name's entry of row r's cell, or NULL. */
static struct iname *import_name_of(struct import *im, int r, int field, json_object *keys,
                                    struct iname *list)
{
	const char *name = import_cell(im, r, field);
	int64_t i;

	if (*name == '\0' || jsonx_get_int64(keys, import_key(im, name), &i) < 0)
		return NULL;
	return &list[i];
}

/* Each row's external id: its own column, else the employee with the
 * personnel number in the organization, else csv-<number>. */
static int import_employees_found(struct import *im)
{
	struct ctx *ctx = im->ctx;
	json_object *nums = arena_own(ctx->arena, json_object_new_object()),
	            *seen = arena_own(ctx->arena, json_object_new_object()), *list;
	PGresult *res;

	im->ext = arena_alloc(ctx->arena, sizeof(char *) * (size_t)(im->t.nrows + 1));
	for (int r = 0; r < im->t.nrows; r++) {
		const char *ext = import_cell(im, r, CF_EXTID),
		           *num = import_cell(im, r, CF_NUMBER);
		const char *key = *ext ? ext : num;
		int64_t prev;
		if (*key && jsonx_get_int64(seen, key, &prev) == 0) {
			import_row_error(im, r, *ext ? "external_id" : "personnel_number",
			                 arena_printf(ctx->arena, "%s %s уже в строке %lld",
			                              *ext ? "Внешний код" : "Табельный номер", key,
			                              (long long)prev));
			continue;
		}
		if (*key)
			jsonx_set_int(seen, key, im->t.lines[r]);
		if (*ext)
			im->ext[r] = ext;
		else if (*num)
			json_object_object_add(nums, num, NULL);
		else
			import_row_error(im, r, "personnel_number",
			                 "Нужен табельный номер: по нему сотрудник находится при "
			                 "следующей загрузке");
	}
	if (json_object_object_length(nums) == 0)
		return 0;
	list = arena_own(ctx->arena, json_object_new_array());
	json_object_object_foreach(nums, key, val)
	{
		(void)val;
		json_object_array_add(list, json_object_new_string(key));
	}
	res =
	    ctx_sql(ctx,
	            "SELECT personnel_number, external_id FROM employees WHERE tenant_id = $1 AND "
	            "coalesce(organization_id, 0) = $2::bigint AND personnel_number = ANY "
	            "(ARRAY(SELECT jsonb_array_elements_text($3::jsonb)))",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, im->org_id), jsonx_dump(list, NULL));
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++)
		json_object_object_add(nums, PQgetvalue(res, r, 0),
		                       json_object_new_string(PQgetvalue(res, r, 1)));
	for (int r = 0; r < im->t.nrows; r++) {
		const char *num = import_cell(im, r, CF_NUMBER), *found;
		if (im->ext[r] || *num == '\0')
			continue;
		found = jsonx_get_str(nums, num);
		im->ext[r] = found          ? found
		             : im->orgs > 1 ? arena_printf(ctx->arena, "csv-%lld-%s",
		                                           (long long)im->org_id, num)
		                            : arena_printf(ctx->arena, "csv-%s", num);
	}
	return 0;
}

/* Row r as the exchange's employee item. */
static json_object *import_item(void *arg, int r)
{
	struct import *im = arg;
	json_object *item = csvread_item(&im->t, r, im->map);
	struct iname *d = import_name_of(im, r, CF_DEP, im->deps, im->dep),
	             *p = import_name_of(im, r, CF_POS, im->poss, im->pos);

	/* a row without its key (an error of its own) is still checked, under
	 * a name of its own; an ambiguous name is left out (its own error too) */
	jsonx_set_str(item, "external_id",
	              im->ext[r] ? im->ext[r]
	                         : arena_printf(im->ctx->arena, "csv-row-%d", im->t.lines[r]));
	if (im->org)
		jsonx_set_str(item, "organization", im->org);
	json_object_object_del(item, "department");
	json_object_object_del(item, "position");
	if (d && d->found != 2)
		jsonx_set_str(item, "department", d->ext);
	if (p && p->found != 2)
		jsonx_set_str(item, "position", p->ext);
	return item;
}

/* The new departments or positions as a batch of the exchange. */
static json_object *import_new_items(struct import *im, struct iname *list, int n, int deps)
{
	json_object *items = arena_own(im->ctx->arena, json_object_new_array());

	for (int i = 0; i < n; i++) {
		json_object *o;
		if (!list[i].created)
			continue;
		o = json_object_new_object();
		jsonx_set_str(o, "external_id", list[i].ext);
		jsonx_set_str(o, "name", list[i].name);
		if (deps && im->org)
			jsonx_set_str(o, "organization", im->org);
		list[i].item = (int)json_object_array_length(items);
		json_object_array_add(items, o);
	}
	return items;
}

/* ---- running it ---- */

/* A batch given as a JSON array, with options. */
static json_object *import_array_item(void *arg, int i)
{
	return json_object_get(json_object_array_get_idx(arg, (size_t)i));
}

static int import_upsert(struct ctx *ctx, enum exchange_kind kind, json_object *items,
                         const struct exchange_opts *opts, struct exchange_counts *c)
{
	struct exchange_source src = {(int)json_object_array_length(items), import_array_item,
	                              items};

	if (src.n == 0) {
		memset(c, 0, sizeof(*c));
		return 0;
	}
	return exchange_upsert_source(ctx, kind, &src, opts, c);
}

/* Takes the field errors the exchange left on ctx ("items[i].field") off
 * it: the request goes on. 0, or -1 when the failure was not about fields. */
static int import_take_errors(struct ctx *ctx, json_object **fields)
{
	*fields = NULL;
	if (ctx->error < 0)
		return 0;
	if (ctx->error != PROTO_ERR_validation)
		return -1;
	*fields = ctx->error_fields;
	ctx->error = -1;
	ctx->status = 200;
	ctx->error_message = NULL;
	ctx->error_fields = ctx->error_codes = NULL;
	ctx->error_fields_more = 0;
	return 0;
}

/* An exchange error key "items[3].email" -> 3 and "email". */
static int import_error_item(const char *key, const char **field)
{
	char *end;
	long i;

	if (strncmp(key, "items[", 6) != 0)
		return -1;
	i = strtol(key + 6, &end, 10);
	if (end[0] != ']' || end[1] != '.')
		return -1;
	*field = end + 2;
	return (int)i;
}

/* The errors of the batch of new departments or positions, on every row
 * that names the object. */
static void import_name_errors(struct import *im, json_object *fields, int field, json_object *keys,
                               struct iname *list)
{
	if (fields == NULL)
		return;
	json_object_object_foreach(fields, key, val)
	{
		const char *f;
		int item = import_error_item(key, &f);
		for (int r = 0; r < im->t.nrows && item >= 0; r++) {
			struct iname *in = import_name_of(im, r, field, keys, list);
			if (in && in->created && in->item == item)
				import_row_error(im, r, csvread_fields[field].name,
				                 json_object_get_string(val));
		}
	}
}

/* The values the last import wrote to the rows' stored employees
 * (employees.imported): the base of the three-way comparison. */
static int import_base(struct import *im)
{
	struct ctx *ctx = im->ctx;
	json_object *list = arena_own(ctx->arena, json_object_new_array());
	PGresult *res;

	im->base = arena_own(ctx->arena, json_object_new_object());
	im->changes = arena_own(ctx->arena, json_object_new_object());
	im->sent = arena_own(ctx->arena, json_object_new_object());
	for (int r = 0; r < im->t.nrows; r++)
		if (im->ext[r])
			json_object_array_add(list, json_object_new_string(im->ext[r]));
	res = ctx_sql(ctx,
	              "SELECT external_id, imported::text FROM employees WHERE tenant_id = $1 AND "
	              "imported IS NOT NULL AND external_id = ANY (ARRAY(SELECT "
	              "jsonb_array_elements_text($2::jsonb)))",
	              ctx_i64(ctx, ctx->tenant_id), jsonx_dump(list, NULL));
	if (res == NULL)
		return -1;
	for (int r = 0; r < PQntuples(res); r++) {
		json_object *v = json_tokener_parse(PQgetvalue(res, r, 1));
		if (v)
			json_object_object_add(im->base, PQgetvalue(res, r, 0), v);
	}
	return 0;
}

/* After the write: each written employee remembers what this file gave. */
static int import_remember(struct import *im)
{
	struct ctx *ctx = im->ctx;

	return ctx_sql(ctx,
	               "UPDATE employees e SET imported = v.value FROM jsonb_each($2::jsonb) v "
	               "WHERE e.tenant_id = $1 AND e.external_id = v.key",
	               ctx_i64(ctx, ctx->tenant_id), jsonx_dump(im->sent, NULL))
	           ? 0
	           : -1;
}

/* A stored value as a person reads it: a name for a reference, a date in
 * Russian, СНИЛС and ИНН masked, «пусто» for none. */
static const char *import_shown(struct import *im, const char *field, const char *v)
{
	struct ctx *ctx = im->ctx;
	int d;

	if (v == NULL || *v == '\0')
		return "пусто";
	if (strcmp(field, "organization") == 0 || strcmp(field, "department") == 0 ||
	    strcmp(field, "position") == 0) {
		const char *name = jsonx_get_str(im->names, v);
		return name ? name : v;
	}
	if (strcmp(field, "snils") == 0)
		return staff_mask_snils(ctx, v);
	if (strcmp(field, "inn") == 0)
		return staff_mask_inn(ctx, v);
	if (strlen(v) == 10 && date_parse(v, &d) == 0) {
		char b[DATE_BUFSZ];
		date_format_ru(d, b);
		return arena_strdup(ctx->arena, b);
	}
	return v;
}

/* The names of the organizations, departments and positions by external id
 * (the file's new ones as the file names them), for the preview's changes. */
static int import_load_names(struct import *im)
{
	struct ctx *ctx = im->ctx;
	PGresult *res = ctx_sql(ctx,
	                        "SELECT external_id, name FROM organizations WHERE tenant_id = $1 "
	                        "AND external_id IS NOT NULL UNION ALL SELECT external_id, name "
	                        "FROM departments WHERE tenant_id = $1 AND external_id IS NOT NULL "
	                        "UNION ALL SELECT external_id, name FROM positions WHERE tenant_id "
	                        "= $1 AND external_id IS NOT NULL",
	                        ctx_i64(ctx, ctx->tenant_id));

	if (res == NULL)
		return -1;
	im->names = arena_own(ctx->arena, json_object_new_object());
	for (int r = 0; r < PQntuples(res); r++)
		jsonx_set_str(im->names, PQgetvalue(res, r, 0), PQgetvalue(res, r, 1));
	for (int i = 0; i < im->ndep; i++)
		jsonx_set_str(im->names, im->dep[i].ext, im->dep[i].name);
	for (int i = 0; i < im->npos; i++)
		jsonx_set_str(im->names, im->pos[i].ext, im->pos[i].name);
	return 0;
}

/* Row r's changes as the preview shows them: [{"field", "title", "old",
 * "new", "kept", "conflict", "text"}]; *kept: 1 when a field keeps the
 * service's value. "conflict": the service changed the field since the
 * last import and the file changes it too (the file's value is written). */
static json_object *import_row_changes(struct import *im, int r, int *kept)
{
	struct ctx *ctx = im->ctx;
	json_object *out = json_object_new_array(),
	            *list = jsonx_get(im->changes, ctx_i64(ctx, r)),
	            *base = im->ext[r] ? jsonx_get(im->base, im->ext[r]) : NULL;

	*kept = 0;
	for (size_t i = 0; list && i < json_object_array_length(list); i++) {
		json_object *c = json_object_array_get_idx(list, i), *o = json_object_new_object(), *bv;
		const char *field = jsonx_get_str(c, "field");
		const char *was = import_shown(im, field, jsonx_get_str(c, "old"));
		const char *now = import_shown(im, field, jsonx_get_str(c, "new"));
		int f = csvread_field_index(field), k = 0;
		int conflict = base && json_object_object_get_ex(base, field, &bv) &&
		               strcmp(bv ? json_object_get_string(bv) : "",
		                      jsonx_get_str(c, "old") ? jsonx_get_str(c, "old") : "") != 0;
		const char *title = f >= 0                                 ? csvread_fields[f].title
		                    : strcmp(field, "organization") == 0 ? "Организация"
		                                                          : field;
		jsonx_get_bool(c, "kept", &k);
		conflict = conflict && !k;
		*kept |= k;
		jsonx_set_str(o, "field", field);
		jsonx_set_str(o, "title", title);
		jsonx_set_str(o, "old", was);
		jsonx_set_str(o, "new", now);
		jsonx_set_bool(o, "kept", k);
		jsonx_set_bool(o, "conflict", conflict);
		jsonx_set_str(
		    o, "text",
		    k ? arena_printf(ctx->arena,
		                     "%s: в сервисе изменено после прошлой загрузки на «%s», в файле "
		                     "прежнее «%s» — остаётся «%s»",
		                     title, was, now, was)
		    : conflict ? arena_printf(ctx->arena,
		                              "%s: «%s» → «%s». Внимание: в сервисе это поле изменено "
		                              "после прошлой загрузки, файл его заменит",
		                              title, was, now)
		               : arena_printf(ctx->arena, "%s: «%s» → «%s»", title, was, now));
		json_object_array_add(out, o);
	}
	return out;
}

/* What a preview shows of a row: its mapped values (СНИЛС, ИНН masked). */
static json_object *import_row_values(struct import *im, int r)
{
	json_object *item = csvread_item(&im->t, r, im->map), *v = json_object_new_object();

	json_object_object_foreach(item, key, val)
	{
		const char *s = json_object_get_string(val);
		if (strcmp(key, "snils") == 0)
			s = staff_mask_snils(im->ctx, s);
		else if (strcmp(key, "inn") == 0)
			s = staff_mask_inn(im->ctx, s);
		jsonx_set_str(v, key, s);
	}
	json_object_put(item);
	return v;
}

/* "«Склад», «Цех №2»" of a list of names, or NULL. */
static const char *import_joined(struct ctx *ctx, json_object *names)
{
	struct buf b = BUF_INIT;
	const char *out;

	for (size_t i = 0; i < json_object_array_length(names); i++)
		buf_printf(&b, "%s«%s»", i ? ", " : "",
		           json_object_get_string(json_object_array_get_idx(names, i)));
	out = b.len ? arena_strndup(ctx->arena, b.data, b.len) : NULL;
	buf_free(&b);
	return out;
}

/* What the preview says of a row the import merges into the employee
 * already there for the responsible person who connected the service (the
 * same phone or email: exchange's 'm'): «объединить с «ФИО»», NULL after
 * ctx_fail. */
static const char *import_merge_title(struct import *im, int r)
{
	struct ctx *ctx = im->ctx;
	PGresult *res =
	    ctx_sql(ctx, "SELECT full_name FROM employees WHERE tenant_id = $1 AND id = $2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, im->ids[r]));

	if (res == NULL)
		return NULL;
	return PQntuples(res) == 1
	           ? arena_printf(ctx->arena, "объединить с «%s»", PQgetvalue(res, 0, 0))
	           : "объединить с уже заведённым";
}

/* The preview's answer: the file, the mapping, the rows. 0, or -1 after
 * ctx_fail. */
static int import_preview_result(struct import *im, int64_t upload, const char *filename,
                                 const char *actions, const struct exchange_counts *n,
                                 json_object *mapping_errors)
{
	struct ctx *ctx = im->ctx;
	json_object *r = ctx_result(ctx), *cols = json_object_new_array(),
	            *fields = json_object_new_array(), *rows = json_object_new_array(),
	            *counts = json_object_new_object(), *dn = json_object_new_array(),
	            *pn = json_object_new_array();
	int shown = 0, merged = 0, kept = 0;

	if (actions && import_load_names(im) < 0)
		return -1;
	jsonx_set_int(r, "upload", upload);
	jsonx_set_str(r, "filename", filename);
	jsonx_set_str(r, "encoding", im->t.encoding);
	jsonx_set_str(r, "delimiter", im->t.delimiter == ';' ? ";" : ",");
	for (int c = 0; c < im->t.ncols; c++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "n", c + 1);
		jsonx_set_str(o, "name", im->t.header[c]);
		for (int f = 0; f < CSVREAD_FIELDS; f++)
			if (im->map[f] == c)
				jsonx_set_str(o, "field", csvread_fields[f].name);
		json_object_array_add(cols, o);
	}
	json_object_object_add(r, "columns", cols);
	for (int f = 0; f < CSVREAD_FIELDS; f++) {
		json_object *o = json_object_new_object(), *opts = json_object_new_array();
		const char *err = jsonx_get_str(
		    mapping_errors, arena_printf(ctx->arena, "mapping.%s", csvread_fields[f].name));
		jsonx_set_str(o, "name", csvread_fields[f].name);
		jsonx_set_str(o, "title", csvread_fields[f].title);
		if (im->map[f] >= 0)
			jsonx_set_int(o, "column", im->map[f] + 1);
		else
			json_object_object_add(o, "column", NULL);
		jsonx_set_bool(o, "required", f == CF_NAME || f == CF_NUMBER);
		if (err)
			jsonx_set_str(o, "error", err);
		/* the page's select of the column (the template marks "column") */
		for (int c = 0; c < im->t.ncols; c++) {
			json_object *opt = json_object_new_object();
			jsonx_set_int(opt, "n", c + 1);
			jsonx_set_str(opt, "name", im->t.header[c]);
			json_object_array_add(opts, opt);
		}
		json_object_object_add(o, "options", opts);
		json_object_array_add(fields, o);
	}
	json_object_object_add(r, "fields", fields);
	if (mapping_errors)
		json_object_object_add(r, "mapping_errors", json_object_get(mapping_errors));
	for (int i = 0; i < im->ndep; i++)
		if (im->dep[i].created)
			json_object_array_add(dn, json_object_new_string(im->dep[i].name));
	for (int i = 0; i < im->npos; i++)
		if (im->pos[i].created)
			json_object_array_add(pn, json_object_new_string(im->pos[i].name));
	json_object_object_add(r, "departments_new", dn);
	json_object_object_add(r, "positions_new", pn);
	jsonx_set_str(r, "new_departments", import_joined(ctx, dn));
	jsonx_set_str(r, "new_positions", import_joined(ctx, pn));
	for (int i = 0; i < im->t.nrows && actions; i++) {
		json_object *o, *e = jsonx_get(im->row_errors, ctx_i64(ctx, im->t.lines[i]));
		static const char *const names[] = {"create", "update", "unchanged", "error",
		                                    "merge"};
		const char *act = e                   ? names[3]
		                  : actions[i] == 'c' ? names[0]
		                  : actions[i] == 'm' ? names[4]
		                  : actions[i] == 'u' ? names[1]
		                                      : names[2];
		const char *title = e                 ? "ошибка"
		                    : act == names[0] ? "добавить"
		                    : act == names[4] ? import_merge_title(im, i)
		                    : act == names[1] ? "изменить"
		                                      : "без изменений";
		if (title == NULL)
			return -1;
		if (!e && shown >= IMPORT_PREVIEW_ROWS)
			continue;
		shown += !e;
		o = json_object_new_object();
		jsonx_set_int(o, "line", im->t.lines[i]);
		jsonx_set_str(o, "action", act);
		jsonx_set_str(o, "action_title", title);
		jsonx_set_bool(o, "is_error", e != NULL);
		jsonx_set_bool(o, "is_create", act == names[0]);
		if (e) {
			json_object *list = json_object_new_array();
			json_object_object_foreach(e, field, text)
			{
				json_object *x = json_object_new_object();
				int f = csvread_field_index(field);
				jsonx_set_str(x, "title",
				              f >= 0                       ? csvread_fields[f].title
				              : strcmp(field, "file") == 0 ? "Строка"
				              : strcmp(field, "organization") == 0 ? "Организация"
				                                                   : field);
				json_object_object_add(x, "message", json_object_get(text));
				json_object_array_add(list, x);
			}
			json_object_object_add(o, "error_list", list);
		}
		if (!e) {
			int keeps;
			json_object *ch = import_row_changes(im, i, &keeps);
			json_object_object_add(o, "changes", ch);
			jsonx_set_bool(o, "has_changes", json_object_array_length(ch) > 0);
			if (keeps && act == names[2])
				jsonx_set_str(o, "action_title",
				              "без изменений: сохранены изменения из сервиса");
		}
		json_object_object_add(o, "values", import_row_values(im, i));
		json_object_object_add(o, "errors",
		                       e ? json_object_get(e) : json_object_new_object());
		json_object_array_add(rows, o);
	}
	json_object_object_add(r, "rows", rows);
	jsonx_set_int(r, "total", im->t.nrows);
	for (int i = 0; i < im->t.nrows && actions; i++) {
		json_object *list = jsonx_get(im->changes, ctx_i64(ctx, i));
		int k = 0;
		merged += actions[i] == 'm';
		for (size_t j = 0; list && j < json_object_array_length(list) && !k; j++)
			jsonx_get_bool(json_object_array_get_idx(list, j), "kept", &k);
		kept += k;
	}
	/* a merged row is "created" to the exchange, not to a person reading
	 * the preview: said apart */
	jsonx_set_int(counts, "created", n->created - merged);
	jsonx_set_int(counts, "merged", merged);
	/* the template renderer takes a 0 for true: the check page says
	 * «объединено …» only when there is something merged (F10) */
	jsonx_set_bool(r, "any_merged", merged > 0);
	jsonx_set_int(counts, "updated", n->updated);
	jsonx_set_int(counts, "unchanged", n->unchanged);
	jsonx_set_int(counts, "errors", im->bad_rows);
	jsonx_set_int(counts, "kept", kept);
	jsonx_set_bool(r, "any_kept", kept > 0);
	json_object_object_add(r, "counts", counts);
	jsonx_set_bool(r, "ok", mapping_errors == NULL && im->bad_rows == 0 && actions != NULL);
	return 0;
}

/* POST /api/admin/import/employees[?preview=1] */
static int import_employees(struct ctx *ctx)
{
	struct import im = {.ctx = ctx};
	int preview = import_truthy(jsonx_get(ctx->args, "preview"));
	int64_t upload, started = monotime_us();
	const char *filename;
	struct exchange_counts cp = {0}, cd = {0}, ce = {0};
	struct exchange_opts opts = {.flags = preview ? EXCHANGE_VALIDATE_ONLY : 0u};
	json_object *errors, *deps_new, *pos_new;
	char *actions;

	/* a declared argument refused before the handler (a file name past
	 * ARGS_FILE_NAME_MAX, a bad id): the preview fails as the import does,
	 * it is not one of the file's own mistakes that the preview lists */
	if (ctx->error >= 0)
		return -1;
	im.row_errors = arena_own(ctx->arena, json_object_new_object());
	if (import_read(&im, preview, &upload, &filename) < 0)
		return -1;
	import_organization(&im);
	import_mapping(&im);
	if (ctx->error >= 0) {
		if (!preview || import_take_errors(ctx, &errors) < 0)
			return -1;
		return import_preview_result(&im, upload, filename, NULL, &ce, errors);
	}
	if (import_names(
	        &im, CF_DEP,
	        "SELECT external_id, name FROM departments WHERE tenant_id = $1 AND "
	        "($2::bigint = 0 OR organization_id IS NULL OR organization_id = $2::bigint)",
	        &im.deps, &im.dep, &im.ndep) < 0 ||
	    import_names(&im, CF_POS,
	                 "SELECT external_id, name FROM positions WHERE tenant_id = $1 AND "
	                 "$2::bigint IS NOT NULL",
	                 &im.poss, &im.pos, &im.npos) < 0 ||
	    import_employees_found(&im) < 0)
		return -1;
	for (int r = 0; r < im.t.nrows; r++) {
		struct iname *d = import_name_of(&im, r, CF_DEP, im.deps, im.dep),
		             *p = import_name_of(&im, r, CF_POS, im.poss, im.pos);
		if (d && d->found == 2)
			import_row_error(&im, r, "department",
			                 arena_printf(ctx->arena,
			                              "Подразделений с названием «%s» несколько: "
			                              "переименуйте одно из них",
			                              d->name));
		if (p && p->found == 2)
			import_row_error(
			    &im, r, "position",
			    arena_printf(ctx->arena,
			                 "Должностей с названием «%s» несколько: переименуйте "
			                 "одну из них",
			                 p->name));
		if (im.t.widths[r] > im.t.ncols)
			import_row_error(
			    &im, r, "file",
			    arena_printf(ctx->arena,
			                 "В строке %d %s, а в заголовке %d: значение с "
			                 "разделителем «%c» нужно заключить в кавычки",
			                 im.t.widths[r],
			                 ru_plural(im.t.widths[r], "ячейка", "ячейки", "ячеек"),
			                 im.t.ncols, im.t.delimiter));
	}
	if (!preview && ctx_sql0(ctx, "SAVEPOINT csv_import") == NULL)
		return -1;
	/* positions, then departments, then the employees that name them */
	pos_new = import_new_items(&im, im.pos, im.npos, 0);
	deps_new = import_new_items(&im, im.dep, im.ndep, 1);
	if (import_upsert(ctx, EXCHANGE_POSITIONS, pos_new, &opts, &cp) < 0 &&
	    ctx->error != PROTO_ERR_validation)
		return -1;
	if (import_take_errors(ctx, &errors) < 0)
		return -1;
	import_name_errors(&im, errors, CF_POS, im.poss, im.pos);
	if (import_upsert(ctx, EXCHANGE_DEPARTMENTS, deps_new, &opts, &cd) < 0 &&
	    ctx->error != PROTO_ERR_validation)
		return -1;
	if (import_take_errors(ctx, &errors) < 0)
		return -1;
	import_name_errors(&im, errors, CF_DEP, im.deps, im.dep);
	{
		struct exchange_source src = {im.t.nrows, import_item, &im};
		json_object *pending_dep = arena_own(ctx->arena, json_object_new_object()),
		            *pending_pos = arena_own(ctx->arena, json_object_new_object());
		for (int i = 0; i < im.ndep; i++)
			if (im.dep[i].created)
				json_object_object_add(pending_dep, im.dep[i].ext, NULL);
		for (int i = 0; i < im.npos; i++)
			if (im.pos[i].created)
				json_object_object_add(pending_pos, im.pos[i].ext, NULL);
		if (preview) {
			opts.pending[XR_DEP] = pending_dep;
			opts.pending[XR_POS] = pending_pos;
		}
		if (import_base(&im) < 0)
			return -1;
		opts.base = im.base;
		opts.changes = im.changes;
		opts.sent = im.sent;
		actions = arena_alloc(ctx->arena, (size_t)im.t.nrows + 1);
		opts.actions = actions;
		im.ids = arena_alloc(ctx->arena, sizeof(*im.ids) * ((size_t)im.t.nrows + 1));
		opts.ids = im.ids;
		if (exchange_upsert_source(ctx, EXCHANGE_EMPLOYEES, &src, &opts, &ce) < 0 &&
		    ctx->error != PROTO_ERR_validation)
			return -1;
	}
	if (import_take_errors(ctx, &errors) < 0)
		return -1;
	if (errors) {
		json_object_object_foreach(errors, key, val)
		{
			const char *f;
			int r = import_error_item(key, &f);
			if (r >= 0 && r < im.t.nrows)
				import_row_error(&im, r, f, json_object_get_string(val));
		}
	}
	if (preview) {
		return import_preview_result(&im, upload, filename, actions, &ce, NULL);
	}
	if (im.bad_rows) {
		struct exchange_counts refused = {.errors = im.bad_rows};
		/* nothing of it stays but the log row */
		if (ctx_sql0(ctx, "ROLLBACK TO SAVEPOINT csv_import") == NULL)
			return -1;
		json_object_object_foreach(im.row_errors, line, fields)
		{
			json_object_object_foreach(fields, field, text) ctx_field_code(
			    ctx, arena_printf(ctx->arena, "rows[%s].%s", line, field), "invalid",
			    "%s", json_object_get_string(text));
		}
		ctx->error_message = arena_printf(
		    ctx->arena, "Файл не принят: ошибки в %d из %d %s, ничего не записано",
		    im.bad_rows, im.t.nrows, ru_plural(im.t.nrows, "строки", "строк", "строк"));
		if (exchange_log_write(ctx, "csv", 422, &refused, started) < 0)
			return -1;
		return ctx_keep(ctx);
	}
	{
		json_object *r = ctx_result(ctx), *details = json_object_new_object();
		/* a row merged into an existing card (the preview's «объединить
		 * с …») is "created" to the exchange, but no one was added: said
		 * apart, and logged as a change of that card (trial-user4 F9) */
		struct exchange_counts logged = ce;
		int merged = 0;

		for (int i = 0; i < im.t.nrows; i++)
			merged += actions[i] == 'm';
		logged.created -= merged;
		logged.updated += merged;
		jsonx_set_int(r, "created", logged.created);
		jsonx_set_int(r, "merged", merged);
		jsonx_set_int(r, "updated", ce.updated);
		jsonx_set_int(r, "unchanged", ce.unchanged);
		jsonx_set_int(r, "departments_created", cd.created);
		jsonx_set_int(r, "positions_created", cp.created);
		jsonx_set_int(details, "rows", im.t.nrows);
		jsonx_set_int(details, "created", logged.created);
		jsonx_set_int(details, "merged", merged);
		jsonx_set_int(details, "updated", ce.updated);
		if (import_remember(&im) < 0 ||
		    audit_log(ctx, "import.employees", 1, "import",
		              upload ? ctx_i64(ctx, upload) : NULL, details) < 0 ||
		    exchange_log_write(ctx, "csv", 200, &logged, started) < 0)
			return -1;
		if (upload &&
		    ctx_sql(ctx, "DELETE FROM import_uploads WHERE tenant_id = $1 AND id = $2",
		            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, upload)) == NULL)
			return -1;
	}
	return 0;
}

int import_cleanup(struct ctx *ctx)
{
	PGresult *res =
	    ctx_sql(ctx, "DELETE FROM import_uploads WHERE created_at < now() - " IMPORT_KEEP_SQL);

	if (res == NULL)
		return -1;
	if (atoi(PQcmdTuples(res)))
		log_info("import_cleanup", "uploads=%s", PQcmdTuples(res));
	return 0;
}

/* GET /admin/import: the organizations to choose from. */
static int import_form(struct ctx *ctx)
{
	PGresult *res = ctx_sql(ctx,
	                        "SELECT id, name FROM organizations WHERE tenant_id = $1 ORDER BY "
	                        "name, id",
	                        ctx_i64(ctx, ctx->tenant_id));
	json_object *list = json_object_new_array();

	json_object_object_add(ctx_result(ctx), "organizations", list);
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(o, "name", PQgetvalue(res, i, 1));
		json_object_array_add(list, o);
	}
	jsonx_set_bool(ctx_result(ctx), "choose_organization", PQntuples(res) > 1);
	return 0;
}

/* POST /admin/import (the page): always a preview. */
static int import_preview(struct ctx *ctx)
{
	jsonx_set_str(ctx->args, "preview", "1");
	return import_employees(ctx);
}

/* The file is the request's blob (or a kept one: upload); the form's
 * map_<field> fields are read by import_mapping. */
static const struct op_arg import_args[] = {
    {"preview", ARG_BOOL, 0, .hint = "1, true или on: проверить файл, ничего не записывая"},
    ARG_ROW_ID("upload", 0),
    {"mapping", ARG_OBJECT, ARG_OR_TEXT,
     .hint = "Сопоставление столбцов: {\"поле\": номер столбца или его заголовок}"},
    ARG_ROW_ID("organization_id", 0),
    ARG_ROW_FILE_NAME,
    ARG_END,
};

const struct op import_ops[] = {
    {"import.employees", OP_ADMIN, import_employees, OP_WRITE, import_args,
     .budget_ms = OP_BUDGET_EXCHANGE},
    {"import.preview", OP_ADMIN, import_preview, OP_WRITE, import_args},
    {"import.form", OP_ADMIN, import_form, 0, args_none},
    {NULL, 0, NULL, 0, NULL},
};
