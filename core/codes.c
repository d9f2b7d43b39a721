#include "codes.h"

#include "jsonx.h"
#include "outbox.h"
#include "ru.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CODES_MAX_DIGITS 9

static const char *codes_hex(struct ctx *ctx, const unsigned char *in, size_t n)
{
	char *out = arena_alloc(ctx->arena, 2 * n + 1);

	hex_encode(out, in, n);
	return out;
}

const char *codes_ident_key(struct ctx *ctx, const char *login_key)
{
	unsigned char d[32];
	unsigned int n = 0;

	EVP_Digest(login_key, strlen(login_key), d, &n, EVP_sha256(), NULL);
	return arena_printf(ctx->arena, "login:%s", codes_hex(ctx, d, 16));
}

static const char *codes_subject_key(struct ctx *ctx, const struct codes_account *a)
{
	if (a->user_id)
		return arena_printf(ctx->arena, "user:%lld", (long long)a->user_id);
	return codes_ident_key(ctx, a->login_key);
}

static const char *codes_ip_key(struct ctx *ctx)
{
	const char *ip = jsonx_get_str(ctx->auth, "ip");

	return arena_printf(ctx->arena, "ip:%s", ip && *ip ? ip : "unknown");
}

/* Seconds until key may count one more event of kind: its hour and day
 * windows hold fewer than per_hour and per_day events, and the last one is
 * at least gap_s old. 0 now, -1 on failure; *gap (when not NULL): the
 * seconds of the gap alone. The caller holds the key's lock (codes_lock). */
static int64_t codes_wait(struct ctx *ctx, const char *key, const char *kind, long per_hour,
                          long per_day, long gap_s, int64_t *gap)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT coalesce(max(w), 0), coalesce(max(w) FILTER (WHERE g), 0) FROM ("
	    "(SELECT ceil(extract(epoch FROM at + interval '1 hour' - now())) AS w, "
	    " false AS g "
	    " FROM auth_events WHERE tenant_id = $1 AND key = $2 AND kind = $3 "
	    " AND at > now() - interval '1 hour' ORDER BY at DESC OFFSET $4 - 1 LIMIT 1) "
	    "UNION ALL "
	    "(SELECT ceil(extract(epoch FROM at + interval '1 day' - now())), false "
	    " FROM auth_events WHERE tenant_id = $1 AND key = $2 AND kind = $3 "
	    " AND at > now() - interval '1 day' ORDER BY at DESC OFFSET $5 - 1 LIMIT 1) "
	    "UNION ALL "
	    "(SELECT ceil(extract(epoch FROM at + make_interval(secs => $6) - now())), true "
	    " FROM auth_events WHERE tenant_id = $1 AND key = $2 AND kind = $3 "
	    " AND at > now() - make_interval(secs => $6) ORDER BY at DESC LIMIT 1)) x",
	    ctx_i64(ctx, ctx->tenant_id), key, kind, ctx_i64(ctx, per_hour), ctx_i64(ctx, per_day),
	    ctx_i64(ctx, gap_s));

	if (res == NULL)
		return -1;
	if (gap)
		*gap = atoll(PQgetvalue(res, 0, 1));
	return atoll(PQgetvalue(res, 0, 0));
}

/* Serializes the counting of one key for the rest of the transaction. */
static int codes_lock(struct ctx *ctx, const char *key)
{
	return ctx_sql(ctx, "SELECT pg_advisory_xact_lock(hashtextextended($1 || '/' || $2, 0))",
	               ctx_i64(ctx, ctx->tenant_id), key)
	           ? 0
	           : -1;
}

/* Checks the limits of the subject and of the address for one event of
 * kind ("send" or "check"); 0 when it may happen, else -1 (429 or a
 * database error). A send that only the subject's cooldown holds back (a
 * code went out less than code_cooldown_s ago, no other limit is near) is
 * no error: the seconds left, and nothing is counted (codes_send). */
static int64_t codes_limits(struct ctx *ctx, const char *subject, const char *ip, const char *kind)
{
	const struct cfg *c = ctx->cfg;
	int send = strcmp(kind, "send") == 0;
	int64_t wait, wait_ip, gap = 0;
	char when[64];

	if (codes_lock(ctx, subject) < 0 || codes_lock(ctx, ip) < 0)
		return -1;
	wait =
	    codes_wait(ctx, subject, kind, send ? c->code_sends_per_hour : c->code_checks_per_hour,
	               send ? c->code_sends_per_day : c->code_checks_per_day,
	               send ? c->code_cooldown_s : 0, &gap);
	if (wait < 0)
		return -1;
	wait_ip =
	    codes_wait(ctx, ip, kind, send ? c->code_ip_sends_per_hour : c->code_ip_checks_per_hour,
	               send ? c->code_ip_sends_per_day : c->code_ip_checks_per_day, 0, NULL);
	if (wait_ip < 0)
		return -1;
	if (wait_ip > wait)
		wait = wait_ip;
	if (wait == 0)
		return 0;
	if (send && wait == gap)
		return gap;
	if (send)
		return ctx_fail_wait(ctx, wait, "Новый код можно запросить %s",
		                     ru_wait(wait, when, sizeof(when)));
	return ctx_fail_wait(ctx, wait, "Слишком много попыток ввести код. Повторите %s",
	                     ru_wait(wait, when, sizeof(when)));
}

static int codes_count(struct ctx *ctx, const char *subject, const char *ip, const char *kind,
                       int ok)
{
	return ctx_sql(ctx,
	               "INSERT INTO auth_events (tenant_id, key, kind, ok) "
	               "VALUES ($1, $2, $4, $5), ($1, $3, $4, $5)",
	               ctx_i64(ctx, ctx->tenant_id), subject, ip, kind, ok ? "true" : "false")
	           ? 0
	           : -1;
}

/* A uniformly random code of n digits. */
static int codes_random(char *out, int n)
{
	uint32_t v, mod = 1;

	for (int i = 0; i < n; i++)
		mod *= 10;
	do {
		if (RAND_bytes((unsigned char *)&v, sizeof(v)) != 1)
			return -1;
	} while (v >= UINT32_MAX - UINT32_MAX % mod); /* a multiple of mod: no bias */
	snprintf(out, (size_t)n + 1, "%0*u", n, v % mod);
	return 0;
}

static const char *codes_hash(struct ctx *ctx, const unsigned char *salt, size_t n,
                              const char *code)
{
	unsigned char d[32];
	unsigned int dn = 0;
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, salt, n);
	EVP_DigestUpdate(md, code, strlen(code));
	EVP_DigestFinal_ex(md, d, &dn);
	EVP_MD_CTX_free(md);
	return arena_printf(ctx->arena, "\\x%s", codes_hex(ctx, d, 32));
}

static const char *codes_org(struct ctx *ctx)
{
	PGresult *res =
	    ctx_sql(ctx, "SELECT name FROM tenants WHERE id = $1", ctx_i64(ctx, ctx->tenant_id));

	return res && PQntuples(res) ? PQgetvalue(res, 0, 0) : NULL;
}

void codes_put_retry(struct ctx *ctx, int64_t wait)
{
	char when[64];

	jsonx_set_int(ctx_result(ctx), "retry_after", wait);
	jsonx_set_str(ctx_result(ctx), "retry_after_ru",
	              arena_strdup(ctx->arena, ru_wait(wait, when, sizeof(when))));
}

void codes_already_sent(struct ctx *ctx, int64_t wait)
{
	json_object *r = ctx_result(ctx);
	char when[64];

	ctx->status = 200;
	jsonx_set_str(r, "status", "already_sent");
	jsonx_set_bool(r, "already_sent", 1);
	jsonx_set_str(r, "message",
	              arena_printf(ctx->arena, "Код уже отправлен, новый можно запросить %s.",
	                           ru_wait(wait, when, sizeof(when))));
	codes_put_retry(ctx, wait);
}

int codes_send(struct ctx *ctx, const struct codes_account *a, const char *purpose,
               const char *channel)
{
	const char *subject = codes_subject_key(ctx, a), *ip = codes_ip_key(ctx), *org, *text;
	unsigned char salt[16];
	char code[CODES_MAX_DIGITS + 1];
	int digits = (int)ctx->cfg->code_digits, rc;

	int64_t wait = codes_limits(ctx, subject, ip, "send");

	if (wait != 0)
		return wait < 0 ? -1 : (int)wait;
	if (codes_count(ctx, subject, ip, "send", 1) < 0)
		return -1;
	if (a->user_id == 0)
		return 0;
	if (channel == NULL)
		channel = a->phone ? "sms" : "email";
	if ((strcmp(channel, "sms") == 0 ? a->phone : a->email) == NULL)
		return 0; /* a cabinet with a login only: nowhere to send, and nothing said */
	if (digits > CODES_MAX_DIGITS || codes_random(code, digits) < 0 ||
	    RAND_bytes(salt, sizeof(salt)) != 1)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	if ((org = codes_org(ctx)) == NULL || codes_revoke(ctx, a->user_id) < 0 ||
	    ctx_sql(
	        ctx,
	        "INSERT INTO auth_codes (tenant_id, user_id, purpose, code_hash, salt, channel, "
	        "expires_at) VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(secs => $7))",
	        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, a->user_id), purpose,
	        codes_hash(ctx, salt, sizeof(salt), code),
	        arena_printf(ctx->arena, "\\x%s", codes_hex(ctx, salt, sizeof(salt))), channel,
	        ctx_i64(ctx, ctx->cfg->code_ttl_s)) == NULL) {
		OPENSSL_cleanse(code, sizeof(code));
		return -1;
	}
	text = arena_printf(ctx->arena,
	                    "Код подтверждения: %s. Кабинет сотрудника: %s. Никому не сообщайте "
	                    "этот код. Действует %ld мин.",
	                    code, org, ctx->cfg->code_ttl_s / 60);
	/* the outbox keeps the code only until it is sent or no longer valid */
	rc = outbox_enqueue_secret(ctx, channel, strcmp(channel, "sms") == 0 ? a->phone : a->email,
	                           "Код подтверждения для кабинета сотрудника", text, "code",
	                           a->user_id, code, ctx->cfg->code_ttl_s);
	OPENSSL_cleanse(code, sizeof(code));
	return rc;
}

int codes_format(struct ctx *ctx, const char *field, const char *code)
{
	size_t n = (size_t)ctx->cfg->code_digits;

	if (strlen(code) != n || strspn(code, "0123456789") != n)
		return ctx_field_code(ctx, field, "format", "Код подтверждения — %zu %s", n,
		                      ru_plural((long long)n, "цифра", "цифры", "цифр"));
	return 0;
}

/* Tells the account that its codes are being guessed, on the channel the
 * code did not go by (the same one when it has no other). */
static int codes_alert(struct ctx *ctx, const struct codes_account *a, const char *code_channel,
                       long wrong)
{
	const char *channel = strcmp(code_channel, "sms") == 0 ? "email" : "sms";
	const char *to = strcmp(channel, "sms") == 0 ? a->phone : a->email, *org, *text;

	if (to == NULL) {
		channel = code_channel;
		to = strcmp(channel, "sms") == 0 ? a->phone : a->email;
	}
	if (to == NULL || (org = codes_org(ctx)) == NULL)
		return to == NULL ? 0 : -1;
	text =
	    arena_printf(ctx->arena,
	                 "За последний час в кабинете сотрудника «%s» %ld %s ввели неверный код "
	                 "подтверждения для вашей учётной записи. Если это были не вы, никому не "
	                 "сообщайте коды из SMS и писем и предупредите администратора кабинета.",
	                 org, wrong, ru_plural(wrong, "раз", "раза", "раз"));
	return outbox_enqueue(ctx, channel, to, "Попытки подобрать код к вашему кабинету", text,
	                      "code_alert", a->user_id);
}

int codes_check(struct ctx *ctx, const struct codes_account *a, const char *purposes,
                const char *code, int64_t *code_id)
{
	static const unsigned char dummy_salt[16] = "cabinet-no-code";
	const char *subject = codes_subject_key(ctx, a), *ip = codes_ip_key(ctx);
	const char *want = "", *got, *channel = a->phone ? "sms" : "email";
	unsigned char *salt = NULL;
	size_t saltlen = 0;
	int64_t id = 0;
	PGresult *res;
	int ok;

	*code_id = 0;
	if (codes_limits(ctx, subject, ip, "check") < 0)
		return -1;
	/* the same statements whether the account, or its code, exists */
	res = ctx_sql(ctx,
	              "SELECT id, code_hash, salt, channel FROM auth_codes "
	              "WHERE tenant_id = $1 AND user_id = $2 AND used_at IS NULL "
	              "AND expires_at > now() AND purpose = ANY (string_to_array($3, ',')) "
	              "ORDER BY id DESC LIMIT 1 FOR UPDATE",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, a->user_id), purposes);
	if (res == NULL)
		return -1;
	if (PQntuples(res)) {
		id = atoll(PQgetvalue(res, 0, 0));
		want = PQgetvalue(res, 0, 1);
		salt = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 2), &saltlen);
		channel = PQgetvalue(res, 0, 3);
	}
	got = salt ? codes_hash(ctx, salt, saltlen, code)
	           : codes_hash(ctx, dummy_salt, sizeof(dummy_salt), code);
	PQfreemem(salt);
	ok = id != 0 && strlen(want) == strlen(got) && CRYPTO_memcmp(want, got, strlen(want)) == 0;
	if (codes_count(ctx, subject, ip, "check", ok) < 0)
		return -1;
	if (ok) {
		*code_id = id;
		return 1;
	}
	/* a wrong entry wears the code out */
	if (ctx_sql(ctx,
	            "UPDATE auth_codes SET attempts = attempts + 1, used_at = CASE WHEN "
	            "attempts + 1 >= $3 THEN now() END WHERE tenant_id = $1 AND id = $2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id),
	            ctx_i64(ctx, ctx->cfg->code_attempts)) == NULL)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT count(*) FROM auth_events WHERE tenant_id = $1 AND key = $2 "
	              "AND kind = 'check' AND NOT ok AND at > now() - interval '1 hour'",
	              ctx_i64(ctx, ctx->tenant_id), subject);
	if (res == NULL)
		return -1;
	if (a->user_id && atol(PQgetvalue(res, 0, 0)) == ctx->cfg->code_wrong_notify &&
	    codes_alert(ctx, a, channel, ctx->cfg->code_wrong_notify) < 0)
		return -1;
	return 0;
}

int codes_wrong(struct ctx *ctx, const char *field)
{
	ctx_field_code(ctx, field, "invalid",
	               "Неверный код или срок его действия истёк. Проверьте код или запросите "
	               "новый");
	return ctx_keep(ctx);
}

int codes_revoke(struct ctx *ctx, int64_t user_id)
{
	return ctx_sql(
	           ctx,
	           "UPDATE auth_codes SET used_at = now() WHERE tenant_id = $1 AND user_id = $2 "
	           "AND used_at IS NULL",
	           ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, user_id))
	           ? 0
	           : -1;
}

int codes_cleanup(struct ctx *ctx)
{
	return ctx_sql0(ctx, "DELETE FROM auth_events WHERE at < now() - interval '1 day'") &&
	               ctx_sql0(ctx, "DELETE FROM auth_codes "
	                             "WHERE expires_at < now() - interval '1 day'")
	           ? 0
	           : -1;
}
