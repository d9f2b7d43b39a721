#include "idempotency.h"

#include "buf.h"
#include "jsonx.h"
#include "log.h"
#include "ru.h"

#include <openssl/evp.h>
#include <stdlib.h>
#include <string.h>

int idempotency_key_valid(const char *key, size_t len)
{
	if (len == 0 || len > IDEMPOTENCY_KEY_MAX)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (key[i] < 0x20 || key[i] > 0x7e)
			return 0;
	return 1;
}

static int idempotency_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* v as JSON with the members of every object in key order, so the same
 * arguments hash the same whatever order a client sent them in. Members
 * whose name starts with '_' (a form's _csrf) are not the request's. */
static void idempotency_canon(struct buf *b, json_object *v, int top)
{
	if (json_object_is_type(v, json_type_object)) {
		size_t n = 0, k = 0;
		const char **keys;

		n = (size_t)json_object_object_length(v);
		keys = calloc(n ? n : 1, sizeof(*keys));
		if (keys == NULL)
			abort();
		json_object_object_foreach(v, name2, val2)
		{
			(void)val2;
			if (!(top && name2[0] == '_'))
				keys[k++] = name2;
		}
		qsort(keys, k, sizeof(*keys), idempotency_cmp);
		buf_putc(b, '{');
		for (size_t i = 0; i < k; i++) {
			json_object *quoted = json_object_new_string(keys[i]);
			buf_printf(b, "%s%s:", i ? "," : "",
			           json_object_to_json_string_ext(quoted, JSON_C_TO_STRING_PLAIN));
			json_object_put(quoted);
			idempotency_canon(b, jsonx_get(v, keys[i]), 0);
		}
		buf_putc(b, '}');
		free(keys);
	} else if (json_object_is_type(v, json_type_array)) {
		buf_putc(b, '[');
		for (size_t i = 0; i < json_object_array_length(v); i++) {
			if (i)
				buf_putc(b, ',');
			idempotency_canon(b, json_object_array_get_idx(v, i), 0);
		}
		buf_putc(b, ']');
	} else {
		buf_puts(b, v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN) : "null");
	}
}

/* "\x..." of the SHA-256 of the operation, its arguments and its file. */
static const char *idempotency_request_hash(struct ctx *ctx)
{
	unsigned char d[32];
	unsigned int n = 0;
	struct buf b = BUF_INIT;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	char *hex = arena_alloc(ctx->arena, 2 + 64 + 1);

	if (md == NULL)
		abort();
	buf_puts(&b, ctx->op->name);
	buf_putc(&b, '\n');
	idempotency_canon(&b, ctx->args, 1);
	buf_printf(&b, "\n%zu\n", ctx->blob_len);
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, b.data, b.len);
	if (ctx->blob_len)
		EVP_DigestUpdate(md, ctx->blob, ctx->blob_len);
	EVP_DigestFinal_ex(md, d, &n);
	EVP_MD_CTX_free(md);
	buf_free(&b);
	hex[0] = '\\';
	hex[1] = 'x';
	hex_encode(hex + 2, d, 32);
	return hex;
}

/* Answers again with what a key carried over from before sql/0006 created:
 * the replay's operation (schedules.get, ...) run with its arguments. */
static int idempotency_replay(struct ctx *ctx, const char *replay_text, int status)
{
	json_object *replay = arena_own(ctx->arena, json_tokener_parse(replay_text));
	const struct op *op = dispatch_find(jsonx_get_str(replay, "op") ?: ""), *self = ctx->op;
	json_object *args = jsonx_get_obj(replay, "args"), *own = ctx->args;
	int rc;

	if (op == NULL || args == NULL) {
		log_error("idempotency_replay_invalid", "req=%u op=%s", ctx->req, ctx->op->name);
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	}
	ctx->op = op;
	ctx->args = args;
	rc = op->handler(ctx);
	ctx->op = self;
	ctx->args = own;
	if (rc == 0 && ctx->error < 0)
		ctx->status = status;
	return rc;
}

int idempotency_begin(struct ctx *ctx, struct idempotency *st)
{
	json_object *k = jsonx_get(ctx->auth, "idempotency_key");
	const char *ip = jsonx_get_str(ctx->auth, "ip"), *hash;
	PGresult *res;
	int status;

	memset(st, 0, sizeof(*st));
	if (k == NULL)
		return 0;
	if (!json_object_is_type(k, json_type_string) ||
	    !idempotency_key_valid(json_object_get_string(k),
	                           (size_t)json_object_get_string_len(k)))
		return ctx_field_code(ctx, IDEMPOTENCY_FIELD, "invalid",
		                      "Ключ идемпотентности: от 1 до %d %s ASCII "
		                      "(латинские буквы, цифры, знаки)",
		                      IDEMPOTENCY_KEY_MAX,
		                      ru_plural(IDEMPOTENCY_KEY_MAX, "печатного символа",
		                                "печатных символов", "печатных символов"));
	if (ctx->error >= 0)
		return 0; /* the request fails anyway: no key is taken */
	st->key = json_object_get_string(k);
	/* the caller's own keys: an API key's, a signed-in user's, else the
	 * client address's; two users of a tenant never share one (trial-break
	 * F11: the second one got the first one's answer, and their data) */
	st->tenant = ctx->tenant_id ? ctx_i64(ctx, ctx->tenant_id) : "0";
	if (ctx->tenant_id && ctx->api_key_id)
		st->scope = arena_printf(ctx->arena, "key:%lld", (long long)ctx->api_key_id);
	else if (ctx->tenant_id && ctx->user_id)
		st->scope = arena_printf(ctx->arena, "user:%lld", (long long)ctx->user_id);
	else
		st->scope = ip && *ip ? arena_printf(ctx->arena, "ip:%s", ip)
		                      : arena_printf(ctx->arena, "uid:%u", (unsigned)ctx->peer_uid);
	hash = idempotency_request_hash(ctx);
	/* a live row of the key, committed or not, makes this insert wait for
	 * its transaction and then insert nothing; an expired one is taken over.
	 * A key carried over by sql/0006 (scope '', a replay) still answers
	 * whoever sends it until it expires. */
	res = ctx_sql(ctx,
	              "INSERT INTO idempotency_keys (tenant_id, scope, key, op, request_hash) "
	              "SELECT $1::bigint, $2::text, $3::text, $4::text, $5::bytea WHERE NOT EXISTS "
	              "(SELECT 1 FROM idempotency_keys o WHERE o.tenant_id = $1 AND o.scope = '' "
	              "AND o.key = $3 AND o.replay IS NOT NULL AND o.created_at >= now() - "
	              "make_interval(hours => $6)) ON CONFLICT (tenant_id, scope, key) DO UPDATE "
	              "SET op = EXCLUDED.op, request_hash = EXCLUDED.request_hash, status = NULL, "
	              "response = NULL, replay = NULL, created_at = now() "
	              "WHERE idempotency_keys.created_at < now() - make_interval(hours => $6) "
	              "RETURNING 1",
	              st->tenant, st->scope, st->key, ctx->op->name, hash,
	              ctx_i64(ctx, IDEMPOTENCY_TTL_HOURS));
	if (res == NULL)
		return -1;
	if (PQntuples(res)) {
		st->active = 1;
		return 0;
	}
	res = ctx_sql(ctx,
	              "SELECT op = $4 AND (request_hash IS NULL OR request_hash = $5), status, "
	              "response, replay FROM idempotency_keys WHERE tenant_id = $1 AND scope IN "
	              "($2, '') AND key = $3 ORDER BY scope = $2 DESC LIMIT 1",
	              st->tenant, st->scope, st->key, ctx->op->name, hash);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0 || PQgetisnull(res, 0, 1)) /* expired and deleted meanwhile */
		return ctx_fail(ctx, PROTO_ERR_conflict, "Повторите запрос");
	if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
		return ctx_field_code(ctx, IDEMPOTENCY_FIELD, "reused",
		                      "Этот ключ уже использован для другого запроса: у каждого "
		                      "нового запроса свой ключ");
	status = atoi(PQgetvalue(res, 0, 1));
	if (ctx->reply_extra == NULL)
		ctx->reply_extra = arena_own(ctx->arena, json_object_new_object());
	jsonx_set_bool(ctx->reply_extra, "idempotent_replay", 1);
	if (!PQgetisnull(res, 0, 3))
		return idempotency_replay(ctx, PQgetvalue(res, 0, 3), status) < 0 ? -1 : 1;
	ctx->result = arena_own(ctx->arena, json_tokener_parse(PQgetvalue(res, 0, 2)));
	ctx->status = status;
	return 1;
}

int idempotency_finish(struct ctx *ctx, const struct idempotency *st)
{
	if (!st->active)
		return 0;
	return ctx_sql(ctx,
	               "UPDATE idempotency_keys SET status = $4, response = $5 "
	               "WHERE tenant_id = $1 AND scope = $2 AND key = $3",
	               st->tenant, st->scope, st->key, ctx_i64(ctx, ctx->status),
	               jsonx_dump(ctx_result(ctx), NULL))
	           ? 0
	           : -1;
}

static int idempotency_expire_one(struct ctx *ctx, void *arg)
{
	PGresult *res = ctx_sql(ctx,
	                        "DELETE FROM idempotency_keys WHERE created_at < now() - "
	                        "make_interval(hours => $1)",
	                        ctx_i64(ctx, IDEMPOTENCY_TTL_HOURS));

	(void)arg;
	if (res == NULL)
		return -1;
	if (atoi(PQcmdTuples(res)) > 0)
		log_info("idempotency_expired", "keys=%s", PQcmdTuples(res));
	return 0;
}

void idempotency_expire(struct db *db, struct arena *arena, void *arg)
{
	(void)arg;
	dispatch_system(db, arena, "idempotency.expire", idempotency_expire_one, NULL);
}
