/*
 * tenants.c - connecting organizations (the base host's connection page)
 * and the operator's tenant commands.
 *
 * A connection request takes the subdomain at once (a tenant row in status
 * pending) and answers 202 with an id the page polls; the task
 * "tenants.create" then builds the cabinet: the responsible person's
 * account with administrator rights, and the email with the link. The
 * responsible activates it on the tenant's host with a one-time code
 * (auth.c).
 */
#include "audit.h"
#include "jsonx.h"
#include "log.h"
#include "session.h"
#include "ops.h"
#include "outbox.h"
#include "sesscache.h"
#include "tasks.h"
#include "tenants.h"
#include "validate.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TENANTS_MAX_PER_IP_HOUR 10

const char *tenants_url(struct ctx *ctx, const char *subdomain)
{
	const struct cfg *cfg = ctx->cfg;

	if (cfg->public_port)
		return arena_printf(ctx->arena, "%s://%s.%s:%ld/", cfg->public_scheme, subdomain,
				    cfg->base_domain, cfg->public_port);
	return arena_printf(ctx->arena, "%s://%s.%s/", cfg->public_scheme, subdomain,
			    cfg->base_domain);
}

static const char *tenants_hex(struct ctx *ctx, const unsigned char *in, size_t n)
{
	char *out = arena_alloc(ctx->arena, 2 * n + 1);

	hex_encode(out, in, n);
	return out;
}

/* "\\x..." of the SHA-256 of s, for a bytea parameter */
static const char *tenants_sha256(struct ctx *ctx, const char *s)
{
	unsigned char d[32];
	unsigned int n = 0;

	EVP_Digest(s, strlen(s), d, &n, EVP_sha256(), NULL);
	return arena_printf(ctx->arena, "\\x%s", tenants_hex(ctx, d, 32));
}

/* Checks a subdomain's form and availability; 0 when it can be taken, else
 * a field error on `field`. out gets the normalized form. */
static int tenants_check_subdomain(struct ctx *ctx, const char *field, const char *in, char *out,
				   size_t outlen)
{
	const char *code, *why;
	PGresult *res;

	if (validate_subdomain(in, out, outlen, &code, &why) < 0)
		return ctx_field_code(ctx, field, code, "%s", why);
	res = ctx_sql(ctx, "SELECT 1 FROM tenants WHERE subdomain = $1", out);
	if (res == NULL)
		return -1;
	if (PQntuples(res))
		return ctx_field_code(ctx, field, "taken", "Адрес %s.%s уже занят, выберите другой",
				      out, ctx->cfg->base_domain);
	return 0;
}

/* GET /api/connect: what the connection page needs to know. */
static int connect_info(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx);

	jsonx_set_str(r, "policy", ctx->cfg->connect_policy);
	jsonx_set_str(r, "base_domain", ctx->cfg->base_domain);
	return 0;
}

/* GET /api/host: nginx asks it (auth_request) before it serves a page of
 * the employee site. 200 on the base host and on an organization's host
 * (ready or disabled: the pages say which); 404 tenant_not_found on a host
 * of no organization, which nginx answers with «Организация не найдена». */
static int connect_host(struct ctx *ctx)
{
	const char *status;
	int64_t id;

	if (session_host_tenant(ctx, &id, &status) < 0)
		return -1;
	jsonx_set_str(ctx_result(ctx), "host", id ? "organization" : "base");
	if (status)
		jsonx_set_str(ctx_result(ctx), "status", status);
	return 0;
}

/* GET /api/connect/check?subdomain=: availability while typing. */
static int connect_check(struct ctx *ctx)
{
	const char *in = ctx_arg_str(ctx, "subdomain", 200, 1);
	json_object *r;
	char sub[64];

	if (in == NULL || ctx_system_scope(ctx) < 0)
		return -1;
	r = ctx_result(ctx);
	if (tenants_check_subdomain(ctx, "subdomain", in, sub, sizeof(sub)) < 0) {
		if (ctx->error != PROTO_ERR_validation)
			return -1;
		/* not an error of the request: the answer is "not available" */
		jsonx_set_bool(r, "available", 0);
		jsonx_set_str(r, "code", json_object_get_string(jsonx_get(ctx->error_codes, "subdomain")));
		jsonx_set_str(r, "reason",
			      json_object_get_string(jsonx_get(ctx->error_fields, "subdomain")));
		ctx->error = -1;
		ctx->status = 200;
		ctx->error_fields = ctx->error_codes = NULL;
		return 0;
	}
	jsonx_set_str(r, "subdomain", sub);
	jsonx_set_bool(r, "available", 1);
	jsonx_set_str(r, "url", tenants_url(ctx, sub));
	return 0;
}

/* The status of a connection for the page and the API. */
static int connect_describe(struct ctx *ctx, const char *id)
{
	json_object *r = ctx_result(ctx);
	const char *status;
	PGresult *res;

	res = ctx_sql(ctx,
		      "SELECT t.status, t.subdomain, t.failure_reason FROM connections c "
		      "JOIN tenants t ON t.id = c.tenant_id WHERE c.id = $1",
		      id);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Заявка на подключение не найдена");
	status = PQgetvalue(res, 0, 0);
	jsonx_set_str(r, "id", id);
	jsonx_set_str(r, "status", status);
	jsonx_set_str(r, "subdomain", PQgetvalue(res, 0, 1));
	if (strcmp(status, "ready") == 0)
		jsonx_set_str(r, "url", tenants_url(ctx, PQgetvalue(res, 0, 1)));
	if (strcmp(status, "failed") == 0)
		jsonx_set_str(r, "reason", PQgetvalue(res, 0, 2));
	return 0;
}

/* GET /api/connect/{id} */
static int connect_status(struct ctx *ctx)
{
	const char *id = ctx_arg_str(ctx, "id", 64, 1);

	if (id == NULL || ctx_system_scope(ctx) < 0)
		return -1;
	return connect_describe(ctx, id);
}

struct tenants_request {
	char subdomain[64];
	const char *name;
	char full_name[VALIDATE_NAME_MAX * 2 + 1];
	char phone[16];
	char email[VALIDATE_EMAIL_MAX + 1];
};

/* Reads and checks every field, reporting all problems at once. */
static int tenants_read_request(struct ctx *ctx, json_object *args, struct tenants_request *q)
{
	json_object *resp = jsonx_get(args, "responsible");
	const char *code, *why, *v;
	int bad = 0;

	if (!json_object_is_type(resp, json_type_object)) {
		ctx_field_code(ctx, "responsible", "required",
			       "Укажите ответственного: ФИО, мобильный телефон и почту");
		resp = NULL;
		bad = 1;
	}
	v = jsonx_get_str(args, "subdomain");
	if (tenants_check_subdomain(ctx, "subdomain", v ? v : "", q->subdomain,
				    sizeof(q->subdomain)) < 0) {
		if (ctx->error != PROTO_ERR_validation)
			return -1;
		bad = 1;
	}
	q->name = ctx_arg_str(ctx, "name", 300, 1);
	bad |= q->name == NULL;
	if (resp) {
		v = jsonx_get_str(resp, "full_name");
		if (validate_full_name(v, q->full_name, sizeof(q->full_name), &code, &why) < 0)
			bad = ctx_field_code(ctx, "responsible.full_name", code, "%s", why);
		v = jsonx_get_str(resp, "phone");
		if (validate_phone(v, q->phone, sizeof(q->phone), &code, &why) < 0)
			bad = ctx_field_code(ctx, "responsible.phone", code, "%s", why);
		v = jsonx_get_str(resp, "email");
		if (validate_email(v, q->email, sizeof(q->email), &code, &why) < 0)
			bad = ctx_field_code(ctx, "responsible.email", code, "%s", why);
	}
	return bad ? -1 : 0;
}

/* Takes the subdomain: a pending tenant and its connection request.
 * Returns the new connection id, or NULL (error set). */
static const char *tenants_register(struct ctx *ctx, const struct tenants_request *q,
                                    const char *via)
{
	unsigned char raw[16];
	const char *id, *ip = jsonx_get_str(ctx->auth, "ip");
	PGresult *res;

	res = ctx_sql(ctx, "INSERT INTO tenants (subdomain, name) VALUES ($1, $2) RETURNING id",
		      q->subdomain, q->name);
	if (res == NULL) {
		if (ctx->error == PROTO_ERR_conflict) /* taken in the meantime */
			ctx_field_code(ctx, "subdomain", "taken", "Адрес уже занят, выберите другой");
		return NULL;
	}
	if (ctx_use_tenant(ctx, atoll(PQgetvalue(res, 0, 0))) < 0 || RAND_bytes(raw, 16) != 1)
		return NULL;
	id = tenants_hex(ctx, raw, 16);
	if (ctx_sql(ctx,
	            "INSERT INTO connections (tenant_id, id, responsible_name, responsible_phone, "
	            "responsible_email, ip, via) "
	            "VALUES ($1, $2, $3, $4, $5, nullif($6, '')::inet, $7)",
	            ctx_i64(ctx, ctx->tenant_id), id, q->full_name, q->phone, q->email,
	            ip && (strchr(ip, '.') || strchr(ip, ':')) ? ip : "", via) == NULL)
		return NULL;
	if (audit_log(ctx, "tenant.connect_requested", 1, "tenant", ctx_i64(ctx, ctx->tenant_id),
		      NULL) < 0)
		return NULL;
	return id;
}

/* POST /api/connect {"subdomain", "name", "responsible": {...}} -> 202 (an
 * Idempotency-Key, scoped to the client's address, is the dispatcher's) */
static int connect_request(struct ctx *ctx)
{
	const char *policy = ctx->cfg->connect_policy, *token = NULL, *id, *ip;
	const char *via = "page";
	struct tenants_request q;
	PGresult *res;

	if (strcmp(policy, "closed") == 0)
		return ctx_fail(ctx, PROTO_ERR_forbidden,
				"Подключение организаций закрыто: обратитесь к оператору сервиса");
	if (ctx_system_scope(ctx) < 0)
		return -1;
	ip = jsonx_get_str(ctx->auth, "ip");
	if (ip && *ip) {
		res = ctx_sql(ctx,
			      "SELECT count(*) FROM connections WHERE ip = $1::inet "
			      "AND created_at > now() - interval '1 hour'",
			      ip);
		if (res && atoi(PQgetvalue(res, 0, 0)) >= TENANTS_MAX_PER_IP_HOUR)
			return ctx_fail(ctx, PROTO_ERR_too_many_requests,
					"Слишком много заявок с вашего адреса, повторите через час");
	}
	if (strcmp(policy, "token") == 0) {
		token = ctx_arg_str(ctx, "token", 200, 0);
		res = token ? ctx_sql(ctx,
				      "SELECT 1 FROM connect_tokens WHERE token_hash = $1 "
				      "AND used_at IS NULL FOR UPDATE",
				      tenants_sha256(ctx, token))
			    : NULL;
		if (token && res == NULL)
			return -1;
		if (res == NULL || PQntuples(res) == 0)
			ctx_field_code(ctx, "token", "invalid",
				       "Нужен действующий код подключения от оператора сервиса");
		via = "token";
	}
	if (tenants_read_request(ctx, ctx->args, &q) < 0 || ctx->error >= 0)
		return -1;
	id = tenants_register(ctx, &q, via);
	if (id == NULL)
		return -1;
	if (token && ctx_sql(ctx,
			     "UPDATE connect_tokens SET used_at = now(), tenant_id = $2 "
			     "WHERE token_hash = $1",
			     tenants_sha256(ctx, token), ctx_i64(ctx, ctx->tenant_id)) == NULL)
		return -1;
	tasks_kick("tenants.create");
	ctx->status = 202;
	jsonx_set_str(ctx_result(ctx), "id", id);
	jsonx_set_str(ctx_result(ctx), "status", "pending");
	jsonx_set_str(ctx_result(ctx), "subdomain", q.subdomain);
	return 0;
}

/* Builds the cabinet of a pending tenant (ctx in that tenant): the
 * responsible's account with administrator rights, status ready, the
 * email with the link. */
static int tenants_build(struct ctx *ctx)
{
	const char *url, *name, *full_name, *email, *sub, *text;
	PGresult *res;
	int64_t user_id;

	res = ctx_sql(ctx,
		      "SELECT t.subdomain, t.name, c.responsible_name, c.responsible_phone, "
		      "c.responsible_email FROM tenants t JOIN connections c ON c.tenant_id = t.id "
		      "WHERE t.id = $1",
		      ctx_i64(ctx, ctx->tenant_id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		return ctx_fail(ctx, PROTO_ERR_internal, "Нет заявки на подключение");
	sub = PQgetvalue(res, 0, 0);
	name = PQgetvalue(res, 0, 1);
	full_name = PQgetvalue(res, 0, 2);
	email = PQgetvalue(res, 0, 4);
	/* the responsible person is an employee of the organization: the first
	 * employee with the same phone or email to arrive is merged into this
	 * one (awaiting_match, exchange.c), so they keep one cabinet */
	res = ctx_sql(ctx,
		      "WITH e AS (INSERT INTO employees (tenant_id, full_name, phone, email, "
		      "awaiting_match) VALUES ($1, $2, $3, $4, true) RETURNING id) "
		      "INSERT INTO users (tenant_id, full_name, phone, email, employee_id) "
		      "SELECT $1, $2, $3, $4, e.id FROM e RETURNING id",
		      ctx_i64(ctx, ctx->tenant_id), full_name, PQgetvalue(res, 0, 3), email);
	if (res == NULL)
		return -1;
	user_id = atoll(PQgetvalue(res, 0, 0));
	if (ctx_sql(ctx, "INSERT INTO user_roles (tenant_id, user_id, role) VALUES ($1, $2, 'admin')",
		    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, user_id)) == NULL ||
	    ctx_sql(ctx,
		    "UPDATE tenants SET status = 'ready', ready_at = now(), failure_reason = NULL "
		    "WHERE id = $1",
		    ctx_i64(ctx, ctx->tenant_id)) == NULL)
		return -1;
	url = tenants_url(ctx, sub);
	text = arena_printf(ctx->arena,
			    "Здравствуйте, %s!\n\n"
			    "Кабинет сотрудника организации %s подключён и доступен по адресу:\n"
			    "%s\n\n"
			    "Перейдите по ссылке и нажмите «Активировать кабинет»: на ваш телефон "
			    "придёт SMS с кодом подтверждения (или письмо, если телефона нет). "
			    "Введите код и придумайте пароль — вы станете администратором кабинета.\n\n"
			    "Рекомендуем сложный пароль: латинские буквы верхнего и нижнего регистров "
			    "и цифры.\n",
			    full_name, name, url);
	if (outbox_enqueue(ctx, "email", email, "Кабинет сотрудника подключён", text, "connection",
			   user_id) < 0)
		return -1;
	return audit_log(ctx, "tenant.ready", 1, "tenant", ctx_i64(ctx, ctx->tenant_id), NULL);
}

struct tenants_job {
	int64_t tenant_id;
	int error;
};

static int tenants_create_one(struct ctx *ctx, void *arg)
{
	struct tenants_job *job = arg;
	PGresult *res;

	res = ctx_sql0(ctx, "SELECT id FROM tenants WHERE status = 'pending' ORDER BY id LIMIT 1 "
			    "FOR UPDATE SKIP LOCKED");
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	job->tenant_id = atoll(PQgetvalue(res, 0, 0));
	if (ctx_use_tenant(ctx, job->tenant_id) < 0 || tenants_build(ctx) < 0) {
		job->error = ctx->error;
		return -1;
	}
	log_info("tenant_ready", "tenant=%lld", (long long)job->tenant_id);
	return 1;
}

static int tenants_mark_failed(struct ctx *ctx, void *arg)
{
	struct tenants_job *job = arg;
	const char *reason =
		job->error == PROTO_ERR_conflict
			? "Не удалось создать кабинет: данные ответственного совпадают с уже "
			  "существующим пользователем. Обратитесь к оператору сервиса."
			: "Не удалось создать кабинет из-за внутренней ошибки. Обратитесь к оператору "
			  "сервиса.";

	if (ctx_use_tenant(ctx, job->tenant_id) < 0 ||
	    ctx_sql(ctx,
		    "UPDATE tenants SET status = 'failed', failure_reason = $2 WHERE id = $1 "
		    "AND status = 'pending'",
		    ctx_i64(ctx, job->tenant_id), reason) == NULL)
		return -1;
	log_error("tenant_failed", "tenant=%lld error=%s", (long long)job->tenant_id,
		  job->error >= 0 ? proto_errors[job->error].code : "db");
	return audit_log(ctx, "tenant.failed", 0, "tenant", ctx_i64(ctx, job->tenant_id), NULL);
}

void tenants_task(struct db *db, struct arena *arena, void *arg)
{
	(void)arg;
	for (int i = 0; i < 20; i++) {
		struct tenants_job job = {0, -1};
		int rc = dispatch_system(db, arena, "tenants.create", tenants_create_one, &job);
		if (rc == 0)
			break;
		if (rc < 0 && job.tenant_id)
			dispatch_system(db, arena, "tenants.create", tenants_mark_failed, &job);
		else if (rc < 0)
			break;
	}
}

/* ------------------------------------------------------------ operator */

/* cabinetctl tenant create SUBDOMAIN NAME FULL_NAME PHONE EMAIL: ready at
 * once, without the page and the policy. */
static int tenants_create(struct ctx *ctx)
{
	struct tenants_request q;

	if (ctx_system_scope(ctx) < 0 || tenants_read_request(ctx, ctx->args, &q) < 0 ||
	    tenants_register(ctx, &q, "operator") == NULL || tenants_build(ctx) < 0)
		return -1;
	ctx->status = 201;
	jsonx_set_int(ctx_result(ctx), "id", ctx->tenant_id);
	jsonx_set_str(ctx_result(ctx), "subdomain", q.subdomain);
	jsonx_set_str(ctx_result(ctx), "status", "ready");
	jsonx_set_str(ctx_result(ctx), "url", tenants_url(ctx, q.subdomain));
	return 0;
}

static int tenants_list(struct ctx *ctx)
{
	json_object *list = json_object_new_array();
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "tenants", list);
	if (ctx_system_scope(ctx) < 0)
		return -1;
	res = ctx_sql0(ctx, "SELECT t.id, t.subdomain, t.name, t.status, t.created_at, "
			    "(SELECT count(*) FROM users u WHERE u.tenant_id = t.id) "
			    "FROM tenants t ORDER BY t.subdomain");
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *t = json_object_new_object();
		jsonx_set_int(t, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(t, "subdomain", PQgetvalue(res, i, 1));
		jsonx_set_str(t, "name", PQgetvalue(res, i, 2));
		jsonx_set_str(t, "status", PQgetvalue(res, i, 3));
		jsonx_set_str(t, "created_at", PQgetvalue(res, i, 4));
		jsonx_set_int(t, "users", atoll(PQgetvalue(res, i, 5)));
		jsonx_set_str(t, "url", tenants_url(ctx, PQgetvalue(res, i, 1)));
		json_object_array_add(list, t);
	}
	return 0;
}

static int tenants_set_status(struct ctx *ctx, const char *from, const char *to,
			      const char *action)
{
	const char *sub = ctx_arg_str(ctx, "subdomain", 63, 1);
	PGresult *res;

	if (sub == NULL || ctx_system_scope(ctx) < 0)
		return -1;
	res = ctx_sql(ctx,
		      "UPDATE tenants SET status = $3, disabled_at = CASE WHEN $3 = 'disabled' "
		      "THEN now() END WHERE subdomain = lower($1) AND status = $2 RETURNING id",
		      sub, from, to);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Нет организации %s в статусе %s", sub,
				from);
	if (ctx_use_tenant(ctx, atoll(PQgetvalue(res, 0, 0))) < 0)
		return -1;
	/* its people's sessions are refused (or served again) at once */
	sesscache_forget_tenant(ctx, ctx->tenant_id);
	jsonx_set_str(ctx_result(ctx), "subdomain", sub);
	jsonx_set_str(ctx_result(ctx), "status", to);
	return audit_log(ctx, action, 1, "tenant", ctx_i64(ctx, ctx->tenant_id), NULL);
}

static int tenants_disable(struct ctx *ctx)
{
	return tenants_set_status(ctx, "ready", "disabled", "tenant.disabled");
}

static int tenants_enable(struct ctx *ctx)
{
	return tenants_set_status(ctx, "disabled", "ready", "tenant.enabled");
}

/* cabinetctl connect-token [NOTE]: a one-time token for connect_policy = token */
static int tenants_issue_token(struct ctx *ctx)
{
	unsigned char raw[18];
	const char *note = ctx_arg_str(ctx, "note", 200, 0), *token;

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	token = tenants_hex(ctx, raw, sizeof(raw));
	if (ctx_sql(ctx, "INSERT INTO connect_tokens (token_hash, note) VALUES ($1, $2)",
		    tenants_sha256(ctx, token), note) == NULL)
		return -1;
	jsonx_set_str(ctx_result(ctx), "token", token);
	return 0;
}

/* the members of "responsible" (validate.h checks their form) */
static const struct op_arg tenants_responsible_fields[] = {
    {"full_name", ARG_STR, 0, .max = VALIDATE_NAME_MAX},
    {"phone", ARG_STR, 0, .max = 32},
    {"email", ARG_STR, 0, .max = VALIDATE_EMAIL_MAX},
    ARG_END,
};

#define TENANTS_REQUEST_ARGS                                                                               \
	{"subdomain", ARG_STR, ARG_REQUIRED, .max = 200, .example = "\"primer-org\""},                     \
	    {"name", ARG_STR, ARG_REQUIRED, .max = 300, .example = "\"ООО «Пример»\""},                    \
	{                                                                                                  \
		"responsible", ARG_OBJECT, ARG_REQUIRED,                                                   \
		    .example = "{\"full_name\": \"Иванова Анна Петровна\", \"phone\": " \
		               "\"+79123456789\", \"email\": \"anna@example.ru\"}",                        \
		    .items = tenants_responsible_fields                                                    \
	}

static const struct op_arg connect_check_args[] = {
    {"subdomain", ARG_STR, ARG_REQUIRED, .max = 200, .example = "\"primer-org\""},
    ARG_END,
};
static const struct op_arg connect_request_args[] = {
    TENANTS_REQUEST_ARGS,
    {"token", ARG_STR, 0, .max = 200},
    ARG_END,
};
static const struct op_arg connect_status_args[] = {
    {"id", ARG_STR, ARG_REQUIRED, .max = 64, .example = "\"0123456789abcdef0123456789abcdef\""},
    ARG_END,
};
static const struct op_arg tenants_create_args[] = {TENANTS_REQUEST_ARGS, ARG_END};
static const struct op_arg tenants_subdomain_args[] = {
    {"subdomain", ARG_STR, ARG_REQUIRED, .max = 63, .example = "\"primer-org\""},
    ARG_END,
};
static const struct op_arg tenants_issue_token_args[] = {{"note", ARG_STR, 0, .max = 200}, ARG_END};

const struct op tenants_ops[] = {
    {"connect.info", OP_ANYONE, connect_info, OP_NO_TX, args_none},
    {"connect.host", OP_ANYONE, connect_host, 0, args_none},
    {"connect.check", OP_ANYONE, connect_check, 0, connect_check_args},
    {"connect.request", OP_ANYONE, connect_request, OP_WRITE | OP_IDEMPOTENT, connect_request_args},
    {"connect.status", OP_ANYONE, connect_status, 0, connect_status_args},
    {"tenants.create", OP_OPERATOR, tenants_create, OP_WRITE | OP_IDEMPOTENT, tenants_create_args},
    {"tenants.list", OP_OPERATOR, tenants_list, 0, args_none},
    {"tenants.disable", OP_OPERATOR, tenants_disable, OP_WRITE, tenants_subdomain_args},
    {"tenants.enable", OP_OPERATOR, tenants_enable, OP_WRITE, tenants_subdomain_args},
    {"tenants.issue_token", OP_OPERATOR, tenants_issue_token, OP_WRITE, tenants_issue_token_args},
    {NULL, 0, NULL, 0, NULL},
};
