#include "dispatch.h"

#include "monotime.h"
#include "sesscache.h"

#include "idempotency.h"
#include "jsonx.h"
#include "log.h"
#include "ops.h"
#include "paycache.h"
#include "sesscache.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DISPATCH_MAX_OPS   512
#define DISPATCH_TX_TRIES  3

static const struct op *dispatch_index[DISPATCH_MAX_OPS];
static int dispatch_count;

/* The long operations running now (OP_LONG_MS): each one's tenant (0: the
 * operator's). workers is at most 64 (cfg.c), so is the number of them. */
static pthread_mutex_t dispatch_long_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t dispatch_long_tenants[64];
static int dispatch_long_count;

static int dispatch_cmp(const void *a, const void *b)
{
	const struct op *x = *(const struct op *const *)a, *y = *(const struct op *const *)b;

	return strcmp(x->name, y->name);
}

/* Every operation declares its arguments, and a required one carries a
 * valid example (args.h): tests build their requests from them. */
static int dispatch_check_declaration(const struct op *op)
{
	const char *bad;

	if (op->args == NULL) {
		log_error("dispatch_init", "error=no_declared_args op=%s", op->name);
		return -1;
	}
	if ((op->flags & OP_IDEMPOTENT) && ((op->flags & OP_NO_TX) || !(op->flags & OP_WRITE))) {
		log_error("dispatch_init", "error=idempotent_needs_write_tx op=%s", op->name);
		return -1;
	}
	if (args_selfcheck(op->args, &bad) < 0) {
		log_error("dispatch_init", "error=bad_declared_arg op=%s arg=%s", op->name, bad);
		return -1;
	}
	if ((bad = access_row_error(op)) != NULL) {
		log_error("dispatch_init", "error=%s op=%s", bad, op->name);
		return -1;
	}
	return 0;
}

int dispatch_init(void)
{
	dispatch_count = 0;
	for (int t = 0; ops_tables[t]; t++) {
		for (const struct op *op = ops_tables[t]; op->name; op++) {
			if (dispatch_count == DISPATCH_MAX_OPS) {
				log_error("dispatch_init", "error=too_many_ops");
				return -1;
			}
			if (dispatch_check_declaration(op) < 0)
				return -1;
			dispatch_index[dispatch_count++] = op;
		}
	}
	qsort(dispatch_index, (size_t)dispatch_count, sizeof(dispatch_index[0]), dispatch_cmp);
	for (int i = 1; i < dispatch_count; i++) {
		if (strcmp(dispatch_index[i - 1]->name, dispatch_index[i]->name) == 0) {
			log_error("dispatch_init", "error=duplicate_op op=%s",
				  dispatch_index[i]->name);
			return -1;
		}
	}
	return 0;
}

const struct op *dispatch_find(const char *name)
{
	const struct op key = {.name = name}, *pkey = &key, *const *found;

	found = bsearch(&pkey, dispatch_index, (size_t)dispatch_count, sizeof(dispatch_index[0]),
			dispatch_cmp);
	return found ? *found : NULL;
}

static const char *dispatch_access_name(enum op_access a)
{
	switch (a) {
	case OP_ANYONE:
		return "anyone";
	case OP_TENANT:
		return "tenant";
	case OP_EMPLOYEE:
		return "employee";
	case OP_ADMIN:
		return "admin";
	case OP_OPERATOR:
		return "operator";
	case OP_EXCHANGE:
		return "exchange";
	}
	return "unknown";
}

/* {"roles": ["self", "admin"], "object": "request", "arg": "id"} (access.h),
 * and "not_self": true when the caller's own record is refused (422);
 * the roles of an OP_ADMIN row are ["admin"], of the levels without a user
 * []. */
static json_object *dispatch_describe_who(const struct op *op)
{
	json_object *o = json_object_new_object(), *roles = json_object_new_array();
	unsigned bits = op->who.bits | (op->access == OP_ADMIN ? WHO_ADMIN : 0);

	for (unsigned bit = 1; bit <= WHO_LAST; bit <<= 1)
		if (bits & bit)
			json_object_array_add(roles, json_object_new_string(access_bit_name(bit)));
	json_object_object_add(o, "roles", roles);
	if (op->who.object != OBJ_NONE) {
		jsonx_set_str(o, "object", access_object_name(op->who.object));
		jsonx_set_str(o, "arg", op->who.arg);
		if (op->who.not_self)
			json_object_object_add(o, "not_self", json_object_new_boolean(1));
	}
	return o;
}

json_object *dispatch_describe(const struct cfg *cfg)
{
	static const struct {
		unsigned bit;
		const char *name;
	} flags[] = {{OP_NO_TX, "no_tx"},
	             {OP_DEBUG, "debug"},
	             {OP_WRITE, "write"},
	             {OP_IDEMPOTENT, "idempotent"}};
	json_object *list = json_object_new_array();

	for (int i = 0; i < dispatch_count; i++) {
		const struct op *op = dispatch_index[i];
		json_object *o, *f, *args;

		if ((op->flags & OP_DEBUG) && !cfg->debug_ops)
			continue;
		o = json_object_new_object();
		f = json_object_new_array();
		args = json_object_new_array();
		jsonx_set_str(o, "name", op->name);
		jsonx_set_str(o, "access", dispatch_access_name(op->access));
		for (size_t k = 0; k < sizeof(flags) / sizeof(flags[0]); k++)
			if (op->flags & flags[k].bit)
				json_object_array_add(f, json_object_new_string(flags[k].name));
		json_object_object_add(o, "flags", f);
		for (const struct op_arg *a = op->args; a->name; a++)
			json_object_array_add(args, args_describe(a));
		json_object_object_add(o, "args", args);
		json_object_object_add(o, "who", dispatch_describe_who(op));
		if (op->scope)
			jsonx_set_str(o, "scope", op->scope);
		if (op->budget_ms)
			jsonx_set_int(o, "budget_ms", op->budget_ms);
		json_object_array_add(list, o);
	}
	return list;
}

__attribute__((format(printf, 3, 0))) static void ctx_vfail(struct ctx *ctx, int error,
							    const char *fmt, va_list ap)
{
	char text[1024];

	ctx->error = error;
	ctx->status = proto_errors[error].status;
	if (fmt) {
		vsnprintf(text, sizeof(text), fmt, ap);
		ctx->error_message = arena_strdup(ctx->arena, text);
	}
}

int ctx_fail(struct ctx *ctx, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_vfail(ctx, error, fmt, ap);
	va_end(ap);
	return -1;
}

int ctx_fail_commit(struct ctx *ctx, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_vfail(ctx, error, fmt, ap);
	va_end(ap);
	return ctx_keep(ctx);
}

int ctx_fail_about(struct ctx *ctx, int error, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_vfail(ctx, error, fmt, ap);
	va_end(ap);
	ctx->error_about = 1;
	return -1;
}

int ctx_fail_wait(struct ctx *ctx, int64_t seconds, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_vfail(ctx, PROTO_ERR_too_many_requests, fmt, ap);
	va_end(ap);
	ctx->retry_after = seconds < 1 ? 1 : seconds;
	return -1;
}

int ctx_keep(struct ctx *ctx)
{
	ctx->keep = 1;
	return 0;
}

__attribute__((format(printf, 4, 0))) static int
ctx_vfield(struct ctx *ctx, const char *field, const char *code, const char *fmt, va_list ap)
{
	char text[1024];

	vsnprintf(text, sizeof(text), fmt, ap);
	if (ctx->error_fields == NULL) {
		ctx->error_fields = arena_own(ctx->arena, json_object_new_object());
		ctx->error_codes = arena_own(ctx->arena, json_object_new_object());
	}
	/* the first problem of a field is the one to show; past
	 * CTX_FIELDS_MAX fields they are only counted */
	if (!jsonx_get(ctx->error_fields, field) &&
	    json_object_object_length(ctx->error_fields) >= CTX_FIELDS_MAX)
		ctx->error_fields_more++;
	else if (!jsonx_get(ctx->error_fields, field)) {
		jsonx_set_str(ctx->error_fields, field, text);
		jsonx_set_str(ctx->error_codes, field, code);
	}
	ctx->error = PROTO_ERR_validation;
	ctx->status = proto_errors[PROTO_ERR_validation].status;
	return -1;
}

int ctx_field(struct ctx *ctx, const char *field, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_vfield(ctx, field, "invalid", fmt, ap);
	va_end(ap);
	return -1;
}

int ctx_field_code(struct ctx *ctx, const char *field, const char *code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ctx_vfield(ctx, field, code, fmt, ap);
	va_end(ap);
	return -1;
}

struct ctx_hook {
	int (*fn)(struct ctx *ctx, void *mem);
	void *mem;
	struct ctx_hook *next;
};

void *ctx_before_commit(struct ctx *ctx, int (*fn)(struct ctx *ctx, void *mem), size_t size)
{
	struct ctx_hook **h = &ctx->hooks;

	for (; *h; h = &(*h)->next)
		if ((*h)->fn == fn)
			return (*h)->mem;
	*h = arena_alloc(ctx->arena, sizeof(**h));
	(*h)->fn = fn;
	(*h)->mem = arena_alloc(ctx->arena, size);
	memset((*h)->mem, 0, size);
	(*h)->next = NULL;
	return (*h)->mem;
}

/* Runs the hooks of ctx_before_commit once; 0 or -1. */
static int dispatch_run_hooks(struct ctx *ctx)
{
	struct ctx_hook *h = ctx->hooks;

	ctx->hooks = NULL;
	for (; h; h = h->next)
		if (h->fn(ctx, h->mem) < 0 || ctx->error >= 0)
			return -1;
	return 0;
}

json_object *ctx_result(struct ctx *ctx)
{
	if (ctx->result == NULL)
		ctx->result = arena_own(ctx->arena, json_object_new_object());
	return ctx->result;
}

/* s percent-encoded for a query string, appended to b. */
static void ctx_urlenc(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-_.~", *p)) {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

/* The list's address with the filters of this request and another offset. */
static const char *ctx_page_href(struct ctx *ctx, const char *base, const char *const *keys,
                                 int64_t offset)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_printf(&b, "%s?", base);
	for (size_t k = 0; keys[k]; k++) {
		const char *v = jsonx_get_str(ctx->args, keys[k]);
		if (v == NULL || *v == '\0')
			continue;
		buf_printf(&b, "%s=", keys[k]);
		ctx_urlenc(&b, v);
		buf_putc(&b, '&');
	}
	buf_printf(&b, "offset=%lld", (long long)offset);
	out = arena_strndup(ctx->arena, b.data, b.len);
	buf_free(&b);
	return out;
}

json_object *ctx_page(struct ctx *ctx, const char *base, const char *const *keys, int64_t total,
                      int64_t limit, int64_t offset)
{
	json_object *page = json_object_new_object();

	jsonx_set_int(page, "from", total ? offset + 1 : 0);
	jsonx_set_int(page, "to", offset + limit < total ? offset + limit : total);
	jsonx_set_int(page, "total", total);
	jsonx_set_bool(page, "found", total > 0); /* a section: 0 would render */
	if (offset > 0)
		jsonx_set_str(page, "prev",
		              ctx_page_href(ctx, base, keys, offset > limit ? offset - limit : 0));
	if (offset + limit < total)
		jsonx_set_str(page, "next", ctx_page_href(ctx, base, keys, offset + limit));
	return page;
}

/* One value through its declaration: 0 with *v the value to read (NULL:
 * missing), or -1 after the field error. */
static int ctx_arg_value(struct ctx *ctx, const struct op_arg *a, json_object **v)
{
	json_object *norm = NULL;
	const char *code, *why;
	char buf[512];
	enum args_verdict r;

	*v = jsonx_get(ctx->args, a->name);
	r = args_check_value(a, *v, &norm, &code, &why, buf, sizeof(buf));
	if (r == ARGS_BAD)
		return ctx_field_code(ctx, a->name, code, "%s", why);
	if (r == ARGS_ABSENT)
		*v = NULL;
	if (r == ARGS_REPLACE)
		*v = arena_own(ctx->arena, norm);
	return 0;
}

int ctx_arg_int(struct ctx *ctx, const char *name, int64_t min, int64_t max, int64_t def,
		int64_t *out)
{
	const struct op_arg a = {.name = name,
	                         .type = ARG_INT,
	                         .flags = def == CTX_REQUIRED ? ARG_REQUIRED : 0,
	                         .min = min,
	                         .max = max};
	json_object *v;

	if (ctx_arg_value(ctx, &a, &v) < 0)
		return -1;
	*out = v ? json_object_get_int64(v) : def;
	return 0;
}

const char *ctx_arg_secret(struct ctx *ctx, const char *name, size_t maxlen, int required)
{
	const struct op_arg a = {.name = name,
	                         .type = ARG_STR,
	                         .flags = ARG_SECRET | (required ? ARG_REQUIRED : 0),
	                         .max = (int64_t)maxlen};
	json_object *v;

	if (ctx_arg_value(ctx, &a, &v) < 0 || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

const char *ctx_arg_str(struct ctx *ctx, const char *name, size_t maxlen, int required)
{
	const struct op_arg a = {.name = name,
	                         .type = ARG_STR,
	                         .flags = required ? ARG_REQUIRED : 0,
	                         .max = (int64_t)maxlen};
	json_object *v;

	if (ctx_arg_value(ctx, &a, &v) < 0 || v == NULL)
		return NULL;
	return json_object_get_string(v);
}

int dispatch_budget_ms(const struct ctx *ctx)
{
	long wait = ctx->cfg->core_timeout_ms, margin = wait / 10 > 500 ? wait / 10 : 500;
	long ms = ctx->op->budget_ms > 0 ? ctx->op->budget_ms : wait - margin;

	return ms < 100 ? 100 : (int)ms;
}

/* The answer to an operation that ran out of its budget: the transaction
 * is rolled back, nothing of it stays. */
static const char dispatch_too_long[] =
    "Операция выполнялась слишком долго и прервана, ничего не изменено. Повторите позже или "
    "сузьте запрос (поиск, фильтр, меньший пакет)";

static void dispatch_pqclear(void *res)
{
	PQclear(res);
}

PGresult *ctx_query(struct ctx *ctx, const char *sql, int nparams, const char *const *params)
{
	PGresult *res;
	ExecStatusType st;
	const char *state;
	char why[300];

	if (ctx->db->conn == NULL)
		goto down;
	if (ctx->deadline_us > 0 && monotime_us() > ctx->deadline_us) {
		if (ctx->error < 0) {
			log_warn("op_budget_exceeded", "req=%u op=%s budget_ms=%d", ctx->req,
			         ctx->op->name, dispatch_budget_ms(ctx));
			ctx_fail(ctx, PROTO_ERR_unavailable, dispatch_too_long);
		}
		return NULL;
	}
	if ((res = db_exec(ctx->db, sql, nparams, params)) == NULL && ctx->db->conn == NULL)
		goto down; /* the connection broke and a fresh one could not be had */
	st = PQresultStatus(res);
	if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
		arena_defer(ctx->arena, dispatch_pqclear, res);
		return res;
	}
	state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	if (ctx->error < 0) {
		int error = db_sqlstate_error(state);
		/* the detail may hold data values: log only the SQLSTATE and the
		 * constraint, never the message */
		log_warn("query_failed", "req=%u op=%s sqlstate=%s constraint=%s", ctx->req,
			 ctx->op->name, state ? state : "none",
			 log_quote(PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME), why,
				   sizeof(why)));
		if (state && strcmp(state, "57014") == 0)
			ctx_fail(ctx, error, dispatch_too_long); /* statement_timeout */
		else
			ctx_fail(ctx, error, NULL);
		ctx->retry = db_sqlstate_retry(state);
	}
	PQclear(res);
	db_check_broken(ctx->db);
	return NULL;
down:
	ctx_fail(ctx, PROTO_ERR_unavailable, "База данных недоступна");
	return NULL;
}

int ctx_queue(struct ctx *ctx, const char *sql, int nparams, const char *const *params)
{
	const char **copy =
	    arena_alloc(ctx->arena, sizeof(*copy) * (size_t)(nparams ? nparams : 1));

	for (int i = 0; i < nparams; i++)
		copy[i] = params[i] ? arena_strdup(ctx->arena, params[i]) : NULL;
	if (ctx->db->conn && db_queue(ctx->db, sql, nparams, copy) == 0)
		return 0;
	return ctx_query(ctx, sql, nparams, params) ? 0 : -1;
}

static void dispatch_reset_reply(struct ctx *ctx);

/* A long operation takes its slot once its caller is known (the tenant
 * from the host, the role checked), before its arguments are checked and
 * its handler runs: a second long operation of the same tenant, or one
 * past workers - 1 in all, is answered 429 at once instead of holding a
 * worker and a responder while it waits on the first one's locks
 * (trial-break4 B2: six exchange batches of one tenant stalled another
 * tenant's GET /api/me for 50 s). 0, or -1 with the 429. */
static int dispatch_long_enter(struct ctx *ctx)
{
	long cap = ctx->cfg->workers - 1;
	int busy_tenant = 0, busy_all;

	if (ctx->op->budget_ms <= OP_LONG_MS || ctx->long_held)
		return 0;
	if (cap < 1)
		cap = 1;
	pthread_mutex_lock(&dispatch_long_lock);
	busy_all = dispatch_long_count >= cap ||
	           dispatch_long_count >=
	               (int)(sizeof(dispatch_long_tenants) / sizeof(dispatch_long_tenants[0]));
	for (int i = 0; i < dispatch_long_count && ctx->tenant_id != 0; i++)
		if (dispatch_long_tenants[i] == ctx->tenant_id)
			busy_tenant = 1;
	if (!busy_tenant && !busy_all) {
		dispatch_long_tenants[dispatch_long_count++] = ctx->tenant_id;
		ctx->long_held = 1;
		ctx->long_tenant = ctx->tenant_id;
	}
	pthread_mutex_unlock(&dispatch_long_lock);
	if (ctx->long_held)
		return 0;
	log_info("long_op_refused", "req=%u op=%s tenant=%lld reason=%s", ctx->req, ctx->op->name,
	         (long long)ctx->tenant_id, busy_tenant ? "tenant_busy" : "all_busy");
	if (busy_tenant)
		return ctx_fail_wait(ctx, OP_LONG_RETRY_AFTER,
		                     "Уже выполняется загрузка, обмен, расчёт или публикация "
		                     "организации, повторите позже");
	return ctx_fail_wait(ctx, OP_LONG_RETRY_AFTER,
	                     "Сейчас выполняется много загрузок и расчётов, повторите позже");
}

static void dispatch_long_leave(struct ctx *ctx)
{
	if (!ctx->long_held)
		return;
	pthread_mutex_lock(&dispatch_long_lock);
	for (int i = 0; i < dispatch_long_count; i++)
		if (dispatch_long_tenants[i] == ctx->long_tenant) {
			dispatch_long_tenants[i] = dispatch_long_tenants[--dispatch_long_count];
			break;
		}
	pthread_mutex_unlock(&dispatch_long_lock);
	ctx->long_held = 0;
}

int ctx_system_scope(struct ctx *ctx)
{
	ctx->any_tenant = 1;
	return ctx_sql0(ctx, "SELECT set_config('app.scope', 'system', true)") ? 0 : -1;
}

int ctx_use_tenant(struct ctx *ctx, int64_t tenant_id)
{
	if (ctx_sql(ctx, "SELECT set_config('app.tenant_id', $1, true)", ctx_i64(ctx, tenant_id)) ==
	    NULL)
		return -1;
	if (ctx->tenant_id != 0 && ctx->tenant_id != tenant_id)
		ctx->any_tenant = 1;
	ctx->tenant_id = tenant_id;
	ctx->time_zone = NULL; /* org_time_zone(): the new tenant's */
	return 0;
}

int dispatch_system(struct db *db, struct arena *arena, const char *name,
		    int (*fn)(struct ctx *ctx, void *arg), void *arg)
{
	struct op op = {name, OP_OPERATOR, NULL, 0, args_none};
	struct ctx ctx = {.arena = arena, .db = db, .op = &op, .system = 1};
	PGresult *wrote;
	int rc = -1;

	ctx.cfg = cfg_current_acquire();
	dispatch_reset_reply(&ctx);
	ctx.args = arena_own(arena, json_object_new_object());
	ctx.auth = arena_own(arena, json_object_new_object());
	if (db_ensure(db) < 0)
		goto out;
	db_begin(db, 0);
	if (ctx_system_scope(&ctx) == 0)
		rc = fn(&ctx, arg);
	if (rc >= 0 && ctx.error < 0 && dispatch_run_hooks(&ctx) < 0)
		rc = -1;
	if (rc >= 0 && ctx.error < 0 &&
	    (wrote = ctx_sql0(&ctx, "SELECT pg_current_xact_id_if_assigned() IS NOT NULL")) != NULL) {
		int ended = db_end(db, 1, 1);
		/* a background task runs in system scope (any tenant's rows); most
		 * passes find nothing to do, and a transaction that wrote nothing
		 * has no transaction id: only a task that wrote drops the cached
		 * payslips (paycache.h) */
		if (strcmp(PQgetvalue(wrote, 0, 0), "f") != 0)
			paycache_written(0);
		if (ended == 0) {
			sesscache_after(&ctx);
			goto out;
		}
	}
	if (rc >= 0)
		rc = -1;
	if (db_end(db, 0, 0) < 0)
		db_check_broken(db);
	sesscache_after(&ctx);
	if (ctx.error >= 0)
		log_error("task_failed", "task=%s error=%s", name, proto_errors[ctx.error].code);
out:
	cfg_current_release(ctx.cfg);
	arena_reset(arena);
	return rc;
}

const char *ctx_i64(struct ctx *ctx, int64_t value)
{
	return arena_printf(ctx->arena, "%lld", (long long)value);
}


static void dispatch_put_frame(struct buf *out, uint16_t type, uint32_t frame_id, const void *data,
			       size_t len)
{
	unsigned char hdr[PROTO_HEADER_SIZE];

	proto_header_encode(hdr, type, frame_id, (uint32_t)len);
	buf_append(out, hdr, sizeof(hdr));
	buf_append(out, data, len);
}

/* A batch's field errors "items[3].email" are also given by item:
 * error.items = {"3": {"email": "..."}}. */
static void dispatch_error_items(json_object *e, json_object *fields)
{
	json_object *items = NULL;

	json_object_object_foreach(fields, key, val) {
		char index[24], *end;
		unsigned long n;
		json_object *item;
		if (strncmp(key, "items[", 6) != 0)
			continue;
		n = strtoul(key + 6, &end, 10);
		if (end == key + 6 || end[0] != ']' || end[1] != '.' || end[2] == '\0')
			continue;
		if (items == NULL) {
			items = json_object_new_object();
			json_object_object_add(e, "items", items);
		}
		snprintf(index, sizeof(index), "%lu", n);
		item = jsonx_get(items, index);
		if (item == NULL) {
			item = json_object_new_object();
			json_object_object_add(items, index, item);
		}
		json_object_object_add(item, end + 2, json_object_get(val));
	}
}

static json_object *dispatch_error_object(int error, const char *message, json_object *fields,
					  json_object *codes)
{
	json_object *e = json_object_new_object();

	jsonx_set_str(e, "code", proto_errors[error].code);
	jsonx_set_str(e, "message", message ? message : proto_errors[error].message);
	if (fields) {
		json_object_object_add(e, "fields", json_object_get(fields));
		dispatch_error_items(e, fields);
	}
	if (codes)
		json_object_object_add(e, "field_codes", json_object_get(codes));
	return e;
}

void dispatch_error_frame(struct buf *out, uint32_t frame_id, int error, const char *message)
{
	json_object *resp = json_object_new_object();
	const char *text;
	size_t len;

	jsonx_set_int(resp, "id", frame_id);
	jsonx_set_int(resp, "status", proto_errors[error].status);
	if (error == PROTO_ERR_version_mismatch)
		jsonx_set_int(resp, "version", PROTO_VERSION);
	json_object_object_add(resp, "error", dispatch_error_object(error, message, NULL, NULL));
	text = jsonx_dump(resp, &len);
	dispatch_put_frame(out, PROTO_RESPONSE, frame_id, text, len);
	json_object_put(resp);
}

/* Checks whether the caller may run the operation at all. */
static int dispatch_check_access(struct ctx *ctx)
{
	const struct op *op = ctx->op;

	if ((op->flags & OP_DEBUG) && !ctx->cfg->debug_ops)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Операция не найдена");
	if (op->access == OP_OPERATOR && !ctx->peer_operator)
		return ctx_fail(ctx, PROTO_ERR_forbidden, "Операция доступна только оператору");
	return 0;
}

static void dispatch_report(void *data, const char *field, const char *code, const char *why)
{
	ctx_field_code(data, field, code, "%s", why);
}

/* Checks the request's args against the operation's declaration and
 * normalizes them in place (args.h), nested values included; every problem
 * is a field error, and the bad value is removed so the handler never
 * reads it. */
static int dispatch_check_args(struct ctx *ctx)
{
	for (const struct op_arg *a = ctx->op->args; a->name; a++) {
		json_object *v = jsonx_get(ctx->args, a->name), *norm = NULL;
		const char *code, *why;
		char buf[512];

		switch (args_check_value(a, v, &norm, &code, &why, buf, sizeof(buf))) {
		case ARGS_KEEP:
			args_check_nested(a, v, a->name, dispatch_report, ctx);
			break;
		case ARGS_REPLACE:
			json_object_object_add(ctx->args, a->name, norm);
			args_check_nested(a, norm, a->name, dispatch_report, ctx);
			break;
		case ARGS_ABSENT:
			json_object_object_del(ctx->args, a->name);
			break;
		case ARGS_BAD:
			ctx_field_code(ctx, a->field ? a->field : a->name, code, "%s", why);
			json_object_object_del(ctx->args, a->name);
			break;
		}
	}
	return 0;
}

int ctx_call(struct ctx *ctx, const char *name, json_object *args, json_object **result)
{
	const struct op *op = dispatch_find(name), *outer = ctx->op;
	json_object *outer_args = ctx->args, *outer_result = ctx->result;
	int outer_status = ctx->status, rc;

	*result = NULL;
	arena_own(ctx->arena, args);
	if (op == NULL || (op->flags & OP_NO_TX)) {
		log_error("ctx_call", "req=%u op=%s error=no_such_op", ctx->req, name);
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	}
	ctx->op = op;
	ctx->args = args;
	ctx->result = NULL;
	dispatch_check_args(ctx);
	rc = ctx->error_fields && json_object_object_length(ctx->error_fields) > 0
	         ? -1
	         : op->handler(ctx);
	*result = ctx->result;
	ctx->op = outer;
	ctx->args = outer_args;
	ctx->result = outer_result;
	if (rc < 0 || ctx->error >= 0 ||
	    (ctx->error_fields && json_object_object_length(ctx->error_fields) > 0)) {
		if (ctx->error < 0)
			ctx_fail(ctx, PROTO_ERR_validation, NULL);
		return -1;
	}
	ctx->status = outer_status;
	return 0;
}

/* 1 when the request recorded a field error (a handler may have made the
 * object ahead, empty, to collect them). */
static int dispatch_has_field_errors(const struct ctx *ctx)
{
	return ctx->error_fields && json_object_object_length(ctx->error_fields) > 0;
}

/* The rule of every operation (dispatch.h): a request that recorded a field
 * error answers 422, and one that ends with any error writes nothing,
 * whatever the handler returned, unless it asked to keep its bookkeeping
 * (ctx_keep). Returns 0 to commit, -1 to roll back. */
static int dispatch_outcome(struct ctx *ctx, int rc)
{
	if (dispatch_has_field_errors(ctx) && ctx->status < 500 && !ctx->error_about) {
		ctx->error = PROTO_ERR_validation;
		ctx->status = proto_errors[PROTO_ERR_validation].status;
	}
	if (ctx->error < 0)
		return rc;
	if (ctx->keep)
		return 0;
	if (rc == 0) /* a handler that reported an error and went on: nothing of it stays */
		log_info("failed_request_rolled_back", "req=%u op=%s error=%s", ctx->req,
		         ctx->op->name, proto_errors[ctx->error].code);
	return -1;
}

/* An operation that does not declare OP_WRITE changes nothing: its whole
 * transaction is BEGIN READ ONLY (the session's bookkeeping is done after
 * it, session.h), so a write that a reading operation would make fails
 * loudly instead of passing without the CSRF and cross-site checks that
 * OP_WRITE brings (session.c). The exchange's operations are called with
 * API keys, never by a browser, and their upserts write. */
static int dispatch_read_only(const struct op *op)
{
	return !(op->flags & OP_WRITE) && op->access != OP_EXCHANGE;
}

/* One attempt of a transactional operation. Returns 0 on success, -1 on
 * failure (ctx holds the error).
 *
 * Round trips: the BEGIN travels with the session's resolution (db.h), and
 * a reading operation's COMMIT is not waited for (it has nothing to make
 * durable; its answer is read at the worker's next statement), so a signed-in
 * read costs one round trip plus its own statements. A write's COMMIT is
 * waited for: a 2xx answer means the change is durable. */
static int dispatch_in_tx(struct ctx *ctx)
{
	struct idempotency idem = {0};
	int rc, answered = 0, read_only = dispatch_read_only(ctx->op);

	if (db_ensure(ctx->db) < 0)
		return ctx_fail(ctx, PROTO_ERR_unavailable, "База данных недоступна");
	db_begin(ctx->db, read_only);
	/* the budget travels with the BEGIN (queued: no round trip of its own);
	 * SET LOCAL ends with the transaction */
	rc = ctx_queue(ctx, "SELECT set_config('statement_timeout', $1, true)", 1,
	               (const char *[]){ctx_i64(ctx, dispatch_budget_ms(ctx))});
	if (rc == 0)
		rc = ops_before(ctx);
	/* the declared access (access.h): the role before the arguments, the
	 * object after them */
	if (rc == 0)
		rc = access_check_role(ctx);
	if (rc == 0)
		rc = dispatch_long_enter(ctx);
	if (rc == 0)
		rc = dispatch_check_args(ctx);
	if (rc == 0)
		rc = access_check_object(ctx);
	if (rc == 0 && (ctx->op->flags & OP_IDEMPOTENT)) {
		rc = idempotency_begin(ctx, &idem);
		answered = rc == 1;
		rc = rc < 0 ? -1 : 0;
	}
	if (rc == 0 && !answered)
		rc = ctx->op->handler(ctx);
	if (rc == 0 && !answered && ctx->error < 0)
		rc = dispatch_run_hooks(ctx);
	if (rc == 0 && !answered && ctx->error < 0)
		rc = idempotency_finish(ctx, &idem);
	/* statements still queued (ctx_queue) run before the commit, their
	 * failures reported as any statement's (a deadlock is retried); a
	 * write sends them with its COMMIT, below */
	if (rc == 0 && ctx->error < 0 && ctx->db->nqueue > 0 && read_only &&
	    ctx_sql0(ctx, "SELECT 1") == NULL)
		rc = -1;
	rc = dispatch_outcome(ctx, rc);
	if (rc == 0 && !read_only && ctx->db->nqueue > 0) {
		/* the queued statements (the journal and notifications written
		 * before the commit, a last UPDATE) and the COMMIT in one flight:
		 * a failure of either is a statement's, reported and retried as
		 * any (the transaction is then ended by the ROLLBACK below) */
		if (ctx_sql0(ctx, "COMMIT") == NULL)
			rc = -1;
		paycache_written(ctx->any_tenant ? 0 : ctx->tenant_id);
	} else if (rc == 0) {
		int ended = db_end(ctx->db, 1, !read_only);
		/* a read-write transaction tried to commit, whatever the outcome:
		 * the payslips cached before it are not served again (paycache.h) */
		if (!read_only)
			paycache_written(ctx->any_tenant ? 0 : ctx->tenant_id);
		if (ended < 0) {
			db_check_broken(ctx->db);
			ops_after(ctx, -1);
			return ctx_fail(ctx,
			                db_is_broken(ctx->db) ? PROTO_ERR_unavailable
			                                      : PROTO_ERR_conflict,
			                NULL);
		}
	}
	if (rc != 0 && db_end(ctx->db, 0, 0) < 0)
		db_check_broken(ctx->db);
	ops_after(ctx, rc);
	return rc;
}

static void dispatch_reset_reply(struct ctx *ctx)
{
	ctx->status = 200;
	ctx->result = NULL;
	ctx->reply_extra = NULL;
	ctx->error = -1;
	ctx->error_message = NULL;
	ctx->error_fields = NULL;
	ctx->error_codes = NULL;
	ctx->error_fields_more = 0;
	ctx->retry_after = 0;
	ctx->locked_month = NULL;
	ctx->keep = 0;
	ctx->error_about = 0;
	ctx->retry = 0;
	ctx->time_zone = NULL;
	ctx->tenant_id = 0;
	ctx->subdomain = NULL;
	ctx->user_id = 0;
	ctx->employee_id = 0;
	ctx->roles = 0;
	ctx->session_hash = NULL;
	ctx->session_due = NULL;
	ctx->session_due_end = 0;
	ctx->nforget = 0;
	ctx->forget_all = 0;
	ctx->any_tenant = 0;
	ctx->api_key_id = 0;
	ctx->api_key_name = NULL;
	ctx->api_key_scopes = NULL;
	ctx->object_id = 0;
	ctx->object_employee_id = 0;
	ctx->who_matched = 0;
	ctx->who_held = 0;
	ctx->hooks = NULL;
	if (ctx->download)
		buf_reset(ctx->download);
}

static void dispatch_encode(struct ctx *ctx, json_object *request, uint32_t frame_id,
			    struct buf *out)
{
	json_object *resp = json_object_new_object(), *id = jsonx_get(request, "id");
	const char *text;
	size_t len;
	int has_blob = ctx->download_type != NULL && ctx->error < 0;

	json_object_object_add(resp, "id", id ? json_object_get(id) : json_object_new_int(0));
	jsonx_set_int(resp, "status", ctx->status);
	if (ctx->error >= 0) {
		json_object *e = dispatch_error_object(ctx->error, ctx->error_message,
		                                       ctx->error_fields, ctx->error_codes);
		if (ctx->retry_after > 0)
			jsonx_set_int(e, "retry_after", ctx->retry_after);
		if (ctx->locked_month)
			jsonx_set_str(e, "locked_month", ctx->locked_month);
		if (ctx->error_fields_more > 0) {
			int64_t total =
			    json_object_object_length(ctx->error_fields) + ctx->error_fields_more;
			jsonx_set_int(e, "fields_total", total);
			if (ctx->error_message == NULL)
				jsonx_set_str(
				    e, "message",
				    arena_printf(ctx->arena,
				                 "Проверьте введённые данные: ошибок — %lld, "
				                 "показаны первые %d",
				                 (long long)total, CTX_FIELDS_MAX));
		}
		json_object_object_add(resp, "error", e);
	} else {
		json_object_object_add(resp, "result", json_object_get(ctx_result(ctx)));
	}
	if (ctx->reply_extra) {
		json_object_object_foreach(ctx->reply_extra, key, val)
			json_object_object_add(resp, key, json_object_get(val));
	}
	if (has_blob) {
		json_object *b = json_object_new_object();
		jsonx_set_str(b, "content_type", ctx->download_type);
		jsonx_set_str(b, "filename", ctx->download_name);
		json_object_object_add(resp, "blob", b);
	}
	text = jsonx_dump(resp, &len);
	dispatch_put_frame(out, PROTO_RESPONSE, frame_id, text, len);
	if (has_blob)
		dispatch_put_frame(out, PROTO_BLOB, frame_id, ctx->download->data,
				   ctx->download->len);
	json_object_put(resp);
}

void dispatch_request(struct db *db, struct arena *arena, json_object *request, uint32_t frame_id,
		      const unsigned char *blob, size_t blob_len, uid_t peer_uid, int peer_operator,
		      struct buf *out)
{
	struct buf download = BUF_INIT;
	struct ctx ctx = {
		.arena = arena,
		.db = db,
		.blob = blob,
		.blob_len = blob_len,
		.peer_uid = peer_uid,
		.peer_operator = peer_operator,
		.req = frame_id,
		.download = &download,
	};
	int64_t started = monotime_us();
	const char *name = jsonx_get_str(request, "op");
	static const struct op unknown = {"unknown", OP_ANYONE, NULL, 0, args_none};

	ctx.cfg = cfg_current_acquire();
	ctx.op = &unknown;
	dispatch_reset_reply(&ctx);
	/* missing args and auth become empty objects owned by the request, so
	 * handlers never see NULL */
	if (jsonx_get(request, "args") == NULL)
		json_object_object_add(request, "args", json_object_new_object());
	if (jsonx_get_obj(request, "auth") == NULL)
		json_object_object_add(request, "auth", json_object_new_object());
	ctx.args = jsonx_get(request, "args");
	ctx.auth = jsonx_get(request, "auth");

	if (name == NULL) {
		ctx_fail(&ctx, PROTO_ERR_bad_request, "В запросе нет операции (op)");
		goto reply;
	}
	if (!json_object_is_type(ctx.args, json_type_object)) {
		ctx_fail(&ctx, PROTO_ERR_bad_request, "args должен быть объектом");
		goto reply;
	}
	ctx.op = dispatch_find(name);
	if (ctx.op == NULL) {
		ctx.op = &unknown;
		ctx_fail(&ctx, PROTO_ERR_not_found, "Операция не найдена");
		goto reply;
	}
	if (dispatch_check_access(&ctx) < 0)
		goto reply;
	if (ctx.op->flags & OP_NO_TX) {
		if (dispatch_check_args(&ctx) == 0)
			ctx.op->handler(&ctx);
		if (dispatch_has_field_errors(&ctx)) {
			ctx.error = PROTO_ERR_validation;
			ctx.status = proto_errors[PROTO_ERR_validation].status;
		}
		goto reply;
	}
	ctx.deadline_us = started + (int64_t)dispatch_budget_ms(&ctx) * 1000;
	for (int attempt = 1;; attempt++) {
		if (dispatch_in_tx(&ctx) == 0 || !ctx.retry || attempt == DISPATCH_TX_TRIES)
			break;
		/* serialization failure or deadlock: the whole transaction again */
		log_info("tx_retry", "req=%u op=%s attempt=%d", frame_id, ctx.op->name, attempt);
		arena_reset(arena);
		dispatch_reset_reply(&ctx);
	}
reply:
	dispatch_long_leave(&ctx);
	dispatch_encode(&ctx, request, frame_id, out);
	{
		int64_t us = monotime_us() - started;
		if (ctx.status >= 500)
			log_error("request", "req=%u op=%s status=%d us=%lld tenant=%lld user=%lld",
				  frame_id, ctx.op->name, ctx.status, (long long)us,
				  (long long)ctx.tenant_id, (long long)ctx.user_id);
		else
			log_debug("request", "req=%u op=%s status=%d us=%lld tenant=%lld user=%lld",
				  frame_id, ctx.op->name, ctx.status, (long long)us,
				  (long long)ctx.tenant_id, (long long)ctx.user_id);
	}
	buf_free(&download);
	cfg_current_release(ctx.cfg);
}
