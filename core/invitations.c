/*
 * invitations.c - an employee's first sign-in through the invitation's
 * one-time link <tenant URL>/invite/<token> (cabinets.h makes and sends
 * the links; the page is cgi/www/invite.html). On the tenant's host,
 * without a session:
 *
 *   POST /api/auth/invite/info {"token"}
 *        -> {"full_name", "organization", "code_to", "ask_login",
 *           "consent": {"version", "text"}}: what the page shows
 *   POST /api/auth/invite {"token"}
 *        -> 202 {"status": "sent", "message", "channel", "expires_in_s"}:
 *           a 6-digit code to the phone (to the email without a phone)
 *   POST /api/auth/invite/activate {"token", "code", "password", "login"?,
 *        "consent": true} -> 200, the same answer as /api/me, signed in
 *
 * A link is good for CABINETS_INVITE_DAYS days and once; a newer
 * invitation of the same employee replaces it; a disabled cabinet's links
 * stop. Any other link answers 410 saying which it is and what to do (ask
 * the administrator for a new invitation); an unknown one 404.
 * Activation needs the consent to the processing of personal data (152-FZ):
 * it is recorded (consents) with its moment, the address and the version
 * of the text. "login" is asked for when the organization's settings say
 * so (cabinets.h, ask_login) and may be given anyway. The cabinet's state
 * becomes signed_in (the trigger on users.activated_at).
 */
#include "audit.h"
#include "auth.h"
#include "cabinets.h"
#include "jsonx.h"
#include "ops.h"
#include "outbox.h"
#include "password.h"
#include "session.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The consent's text and its version: a change of the text is a new
 * version, and the recorded consents say which one was agreed to. */
#define INVITATIONS_CONSENT_VERSION "2026-11-30"
static const char INVITATIONS_CONSENT_TEXT[] =
    "Я даю согласие %s (работодателю) на обработку моих персональных данных: фамилии, имени, "
    "отчества, даты рождения, мобильного телефона и адреса электронной почты, сведений о "
    "трудовой деятельности, стаже, отпусках, заработной плате и удержаниях, — в целях "
    "ведения кадрового учёта и расчёта заработной платы, предоставления мне расчётных "
    "листков, справок и сведений об отпусках и рассмотрения моих заявлений в кабинете "
    "сотрудника, включая сбор, запись, систематизацию, хранение, уточнение, использование и "
    "удаление, в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных "
    "данных». Согласие действует до его отзыва; отозвать его можно письменным заявлением "
    "работодателю.";

struct invitations_link {
	int64_t id, user_id, employee_id;
	const char *full_name, *organization, *email, *phone, *login, *status;
	int ask_login;
};

/* "\x..." of the SHA-256 of the token, as invitations.token_hash keeps it. */
static const char *invitations_hash(struct ctx *ctx, const char *token)
{
	unsigned char d[32];
	unsigned int n = 0;
	char *out = arena_alloc(ctx->arena, 2 + 64 + 1);

	EVP_Digest(token, strlen(token), d, &n, EVP_sha256(), NULL);
	out[0] = '\\';
	out[1] = 'x';
	hex_encode(out + 2, d, 32);
	return out;
}

/* Finds the invitation of args.token and checks it is good: 0 (l filled),
 * or -1 after ctx_fail: 404 unknown (another organization's too), 410 used,
 * replaced, expired or closed, each with what to do. */
static int invitations_find(struct ctx *ctx, struct invitations_link *l)
{
	const char *token = ctx_arg_str(ctx, "token", 200, 1), *why = NULL;
	struct cabinets_settings s;
	PGresult *res;

	memset(l, 0, sizeof(*l));
	if (token == NULL)
		return -1;
	res = ctx_sql(
	    ctx,
	    "SELECT v.id, v.user_id, v.employee_id, u.full_name, coalesce(o.name, t.name), "
	    "u.email, u.phone, u.login, u.status, CASE WHEN v.used_at IS NOT NULL OR "
	    "u.activated_at IS NOT NULL THEN 'used' WHEN c.state = 'disabled' OR u.status = "
	    "'blocked' THEN 'closed' WHEN v.revoked_at IS NOT NULL THEN 'replaced' WHEN "
	    "v.expires_at <= now() THEN 'expired' ELSE 'good' END, to_char(v.expires_at AT "
	    "TIME ZONE app_timezone(), 'DD.MM.YYYY HH24:MI') FROM invitations v JOIN users u "
	    "ON u.tenant_id = v.tenant_id AND u.id = v.user_id JOIN tenants t ON t.id = "
	    "v.tenant_id JOIN employees e ON e.tenant_id = v.tenant_id AND e.id = "
	    "v.employee_id LEFT JOIN organizations o ON o.tenant_id = e.tenant_id AND o.id "
	    "= e.organization_id LEFT JOIN cabinets c ON c.tenant_id = v.tenant_id AND "
	    "c.employee_id = v.employee_id WHERE v.tenant_id = $1 AND v.token_hash = $2",
	    ctx_i64(ctx, ctx->tenant_id), invitations_hash(ctx, token));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(
		    ctx, PROTO_ERR_not_found,
		    "Такого приглашения нет: проверьте, что ссылка скопирована целиком, "
		    "или попросите администратора кабинета прислать новое приглашение");
	l->id = atoll(PQgetvalue(res, 0, 0));
	l->user_id = atoll(PQgetvalue(res, 0, 1));
	l->employee_id = atoll(PQgetvalue(res, 0, 2));
	l->full_name = PQgetvalue(res, 0, 3);
	l->organization = PQgetvalue(res, 0, 4);
	l->email = PQgetisnull(res, 0, 5) ? NULL : PQgetvalue(res, 0, 5);
	l->phone = PQgetisnull(res, 0, 6) ? NULL : PQgetvalue(res, 0, 6);
	l->login = PQgetisnull(res, 0, 7) ? NULL : PQgetvalue(res, 0, 7);
	l->status = PQgetvalue(res, 0, 8);
	switch (PQgetvalue(res, 0, 9)[0]) {
	case 'u':
		why = "Это приглашение уже использовано: кабинет активирован. Войдите со своим "
		      "паролем; если вы его не помните, восстановите его по коду из SMS";
		break;
	case 'c':
		why = "Доступ к кабинету закрыт администратором организации. Если это ошибка, "
		      "обратитесь к администратору кабинета";
		break;
	case 'r':
		why = "Эта ссылка заменена более новым приглашением: откройте ссылку из последнего "
		      "письма или SMS или попросите администратора кабинета прислать приглашение "
		      "ещё раз";
		break;
	case 'e':
		why = arena_printf(ctx->arena,
		                   "Срок действия приглашения истёк (ссылка действовала до %s). "
		                   "Попросите администратора кабинета прислать новое приглашение",
		                   PQgetvalue(res, 0, 10));
		break;
	}
	if (why)
		return ctx_fail(ctx, PROTO_ERR_gone, "%s", why);
	if (cabinets_settings_load(ctx, &s) < 0)
		return -1;
	l->ask_login = s.ask_login;
	return 0;
}

/* "+7 *** ***-45-67", "i***@mail.ru": where the code goes, for the page. */
static const char *invitations_code_to(struct ctx *ctx, const struct invitations_link *l)
{
	if (l->phone) {
		size_t n = strlen(l->phone);
		return arena_printf(ctx->arena, "по SMS на номер +7 *** ***-%.2s-%.2s",
		                    n >= 4 ? l->phone + n - 4 : "", n >= 2 ? l->phone + n - 2 : "");
	}
	if (l->email) {
		const char *at = strchr(l->email, '@');
		return arena_printf(ctx->arena, "на почту %.1s***%s", l->email, at ? at : "");
	}
	return "—";
}

/* --------------------------------------------------------------------
 * One-time codes and the password. Until the accounts' rework of codes
 * (6+ digits, per-account limits across identifiers, Retry-After) is on
 * main, the invitation's code path is these three functions; they then
 * become calls of codes_send / codes_check / auth_password_store.
 */

static const char *invitations_code_hash(struct ctx *ctx, const unsigned char *salt, size_t n,
                                         const char *code)
{
	unsigned char d[32];
	unsigned int dn = 0;
	char hex[65];
	EVP_MD_CTX *md = EVP_MD_CTX_new();

	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	EVP_DigestUpdate(md, salt, n);
	EVP_DigestUpdate(md, code, strlen(code));
	EVP_DigestFinal_ex(md, d, &dn);
	EVP_MD_CTX_free(md);
	hex_encode(hex, d, 32);
	return arena_printf(ctx->arena, "\\x%s", hex);
}

/* A new 6-digit code for the invitation's account (replacing its older
 * ones), queued by SMS, or email without a phone; a second one within
 * code_cooldown_s answers 429. */
static int invitations_code_send(struct ctx *ctx, const struct invitations_link *l)
{
	unsigned char salt[16];
	char code[7], salthex[33];
	const char *channel = l->phone ? "sms" : "email", *text;
	PGresult *res;
	uint32_t v;
	int rc;

	res = ctx_sql(
	    ctx,
	    "SELECT ceil(extract(epoch FROM max(created_at) + make_interval(secs => $3) - "
	    "now())) FROM auth_codes WHERE tenant_id = $1 AND user_id = $2 AND created_at > "
	    "now() - make_interval(secs => $3)",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, l->user_id),
	    ctx_i64(ctx, ctx->cfg->code_cooldown_s));
	if (res == NULL)
		return -1;
	if (!PQgetisnull(res, 0, 0))
		return ctx_fail(ctx, PROTO_ERR_too_many_requests,
		                "Код уже отправлен: новый можно запросить через %s с",
		                PQgetvalue(res, 0, 0));
	do {
		if (RAND_bytes((unsigned char *)&v, sizeof(v)) != 1)
			return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	} while (v >= 4294000000u); /* a multiple of 10^6: no bias */
	snprintf(code, sizeof(code), "%06u", v % 1000000);
	if (RAND_bytes(salt, sizeof(salt)) != 1)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	hex_encode(salthex, salt, sizeof(salt));
	text =
	    arena_printf(ctx->arena,
	                 "Код подтверждения: %s. Кабинет сотрудника: %s. Никому не сообщайте этот "
	                 "код. Действует %ld мин.",
	                 code, l->organization, ctx->cfg->code_ttl_s / 60);
	rc =
	    ctx_sql(
	        ctx,
	        "UPDATE auth_codes SET used_at = now() WHERE tenant_id = $1 AND user_id = $2 AND "
	        "used_at IS NULL",
	        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, l->user_id)) &&
	            ctx_sql(ctx,
	                    "INSERT INTO auth_codes (tenant_id, user_id, purpose, code_hash, salt, "
	                    "channel, expires_at) VALUES ($1, $2, 'activate', $3, $4, $5, now() + "
	                    "make_interval(secs => $6))",
	                    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, l->user_id),
	                    invitations_code_hash(ctx, salt, sizeof(salt), code),
	                    arena_printf(ctx->arena, "\\x%s", salthex), channel,
	                    ctx_i64(ctx, ctx->cfg->code_ttl_s))
	        ? outbox_enqueue_secret(ctx, channel, l->phone ? l->phone : l->email,
	                                "Код подтверждения для кабинета сотрудника", text, "code",
	                                l->user_id, code, ctx->cfg->code_ttl_s)
	        : -1;
	OPENSSL_cleanse(code, sizeof(code));
	return rc;
}

/* 1 when code is the account's live code (it is used up then), 0 when it
 * is wrong, expired or burnt (a wrong entry counts against it), -1 on
 * failure. */
static int invitations_code_check(struct ctx *ctx, const struct invitations_link *l,
                                  const char *code)
{
	PGresult *res = ctx_sql(ctx,
	                        "SELECT id, code_hash, salt, attempts FROM auth_codes WHERE "
	                        "tenant_id = $1 AND user_id = $2 AND used_at IS NULL AND "
	                        "expires_at > now() ORDER BY id DESC LIMIT 1 FOR UPDATE",
	                        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, l->user_id));
	unsigned char *salt;
	size_t saltlen = 0;
	const char *want, *got;
	int ok;

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0 || atoi(PQgetvalue(res, 0, 3)) >= ctx->cfg->code_attempts)
		return 0;
	want = PQgetvalue(res, 0, 1);
	salt = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 2), &saltlen);
	got = salt ? invitations_code_hash(ctx, salt, saltlen, code) : "";
	PQfreemem(salt);
	ok = strlen(want) == strlen(got) && CRYPTO_memcmp(want, got, strlen(want)) == 0;
	if (ctx_sql(
	        ctx,
	        "UPDATE auth_codes SET attempts = attempts + CASE WHEN $3 THEN 0 ELSE 1 END, "
	        "used_at = CASE WHEN $3 OR attempts + 1 >= $4 THEN now() END WHERE tenant_id = $1 "
	        "AND id = $2",
	        ctx_i64(ctx, ctx->tenant_id), PQgetvalue(res, 0, 0), ok ? "true" : "false",
	        ctx_i64(ctx, ctx->cfg->code_attempts)) == NULL)
		return -1;
	return ok;
}

/* Checks the password against the policy and the common list (a field
 * error and -1), then, when store, sets it, activates the account and ends
 * its other sessions. */
static int invitations_password(struct ctx *ctx, const struct invitations_link *l,
                                const char *login, const char *password, int store)
{
	const char *personal[] = {login ? login : l->login, l->email, l->phone}, *code, *why;
	char hash[PASSWORD_HASH_MAX];
	PGresult *res;

	if (password_check(password, personal, 3, &code, &why) < 0)
		return ctx_field_code(ctx, "password", code, "%s", why);
	res = ctx_sql(ctx, "SELECT 1 FROM common_passwords WHERE password = lower($1)", password);
	if (res == NULL)
		return -1;
	if (PQntuples(res))
		return ctx_field_code(ctx, "password", "common",
		                      "Этот пароль слишком распространён и легко подбирается. %s",
		                      PASSWORD_ADVICE);
	if (!store)
		return 0;
	if (password_hash(password, ctx->cfg->password_argon2_memory_kib,
	                  ctx->cfg->password_argon2_passes, hash, sizeof(hash)) < 0)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	res = ctx_sql(
	    ctx,
	    "UPDATE users SET password_hash = $3, status = 'active', activated_at = "
	    "coalesce(activated_at, now()), password_changed_at = now() WHERE tenant_id = $1 "
	    "AND id = $2",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, l->user_id), hash);
	OPENSSL_cleanse(hash, sizeof(hash));
	if (res == NULL ||
	    ctx_sql(ctx, "DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, l->user_id)) == NULL)
		return -1;
	return 0;
}

/* ------------------------------------------------------------ operations */

/* POST /api/auth/invite/info {"token"} */
static int invitations_info(struct ctx *ctx)
{
	struct invitations_link l;
	json_object *r, *consent;

	if (invitations_find(ctx, &l) < 0)
		return -1;
	r = ctx_result(ctx);
	jsonx_set_str(r, "full_name", l.full_name);
	jsonx_set_str(r, "organization", l.organization);
	jsonx_set_str(r, "code_to", invitations_code_to(ctx, &l));
	jsonx_set_bool(r, "ask_login", l.ask_login);
	consent = json_object_new_object();
	jsonx_set_str(consent, "version", INVITATIONS_CONSENT_VERSION);
	jsonx_set_str(consent, "text",
	              arena_printf(ctx->arena, INVITATIONS_CONSENT_TEXT, l.organization));
	json_object_object_add(r, "consent", consent);
	return 0;
}

/* POST /api/auth/invite {"token"}: a code to the phone (email without one). */
static int invitations_send_code(struct ctx *ctx)
{
	struct invitations_link l;
	json_object *r;

	if (invitations_find(ctx, &l) < 0 || invitations_code_send(ctx, &l) < 0 ||
	    audit_log(ctx, "invitation.code_requested", 1, "user", ctx_i64(ctx, l.user_id), NULL) <
	        0)
		return -1;
	ctx->status = 202;
	r = ctx_result(ctx);
	jsonx_set_str(r, "status", "sent");
	jsonx_set_str(r, "channel", l.phone ? "sms" : "email");
	jsonx_set_str(r, "message",
	              arena_printf(ctx->arena, "Код подтверждения отправлен %s",
	                           invitations_code_to(ctx, &l)));
	jsonx_set_int(r, "expires_in_s", ctx->cfg->code_ttl_s);
	return 0;
}

/* The login of args (lower case): NULL when none was given (with a field
 * error when the organization asks for one or it does not fit). */
static const char *invitations_login(struct ctx *ctx, const struct invitations_link *l)
{
	const char *in = ctx_arg_str(ctx, "login", 64, 0);
	char *out;
	PGresult *res;
	size_t n;

	if (in == NULL || *in == '\0') {
		if (l->ask_login)
			ctx_field_code(ctx, "login", "required", "Придумайте логин для входа");
		return NULL;
	}
	n = strlen(in);
	out = arena_strdup(ctx->arena, in);
	for (size_t i = 0; i < n; i++)
		out[i] = (out[i] >= 'A' && out[i] <= 'Z') ? (char)(out[i] - 'A' + 'a') : out[i];
	if (n < 3 || strspn(out, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n) {
		ctx_field_code(ctx, "login", "format",
		               "Логин — от 3 до 64 латинских букв, цифр, точек, дефисов и "
		               "подчёркиваний");
		return NULL;
	}
	res = ctx_sql(ctx, "SELECT 1 FROM users WHERE tenant_id = $1 AND login = $2 AND id <> $3",
	              ctx_i64(ctx, ctx->tenant_id), out, ctx_i64(ctx, l->user_id));
	if (res == NULL)
		return NULL;
	if (PQntuples(res)) {
		ctx_field_code(ctx, "login", "taken", "Этот логин уже занят, придумайте другой");
		return NULL;
	}
	return out;
}

/* POST /api/auth/invite/activate {"token", "code", "password", "login"?, "consent"} */
static int invitations_activate(struct ctx *ctx)
{
	const char *code = ctx_arg_str(ctx, "code", 16, 1);
	const char *password = ctx_arg_str(ctx, "password", PASSWORD_MAX, 1), *login;
	const char *ip = jsonx_get_str(ctx->auth, "ip");
	struct invitations_link l;
	int consent, right;

	if (invitations_find(ctx, &l) < 0)
		return -1;
	consent = cabinets_arg_flag(ctx, "consent", 0);
	if (consent == 0)
		ctx_field_code(ctx, "consent", "required",
		               "Без согласия на обработку персональных данных кабинет нельзя "
		               "активировать: отметьте согласие");
	login = invitations_login(ctx, &l);
	if (code && (strlen(code) != 6 || strspn(code, "0123456789") != 6))
		ctx_field_code(ctx, "code", "format",
		               "Код подтверждения — 6 цифр из SMS или письма");
	/* a password the policy refuses is refused before the code is looked at */
	if (password && invitations_password(ctx, &l, login, password, 0) < 0 &&
	    ctx->error != PROTO_ERR_validation)
		return -1;
	if (ctx->error >= 0)
		return -1;
	right = invitations_code_check(ctx, &l, code);
	if (right < 0)
		return -1;
	if (!right) {
		audit_log(ctx, "invitation.activated", 0, "user", ctx_i64(ctx, l.user_id),
		          audit_detail("reason", "wrong_code"));
		ctx_field_code(ctx, "code", "invalid",
		               "Неверный код или срок его действия истёк. Проверьте код или "
		               "запросите новый");
		return 0; /* the wrong entry stays counted */
	}
	if (invitations_password(ctx, &l, login, password, 1) < 0 ||
	    (login &&
	     ctx_sql(ctx, "UPDATE users SET login = $3 WHERE tenant_id = $1 AND id = $2",
	             ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, l.user_id), login) == NULL) ||
	    ctx_sql(
	        ctx,
	        "UPDATE invitations SET used_at = CASE WHEN id = $3 THEN now() ELSE used_at END, "
	        "revoked_at = CASE WHEN id <> $3 AND used_at IS NULL THEN coalesce(revoked_at, "
	        "now()) ELSE revoked_at END WHERE tenant_id = $1 AND employee_id = $2",
	        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, l.employee_id),
	        ctx_i64(ctx, l.id)) == NULL ||
	    ctx_sql(
	        ctx,
	        "INSERT INTO consents (tenant_id, user_id, employee_id, kind, version, ip) VALUES "
	        "($1, $2, $3, 'personal_data', $4, nullif($5, '')::inet)",
	        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, l.user_id), ctx_i64(ctx, l.employee_id),
	        INVITATIONS_CONSENT_VERSION,
	        ip && (strchr(ip, '.') || strchr(ip, ':')) ? ip : "") == NULL ||
	    session_open(ctx, l.user_id) < 0 ||
	    audit_log(ctx, "invitation.activated", 1, "user", ctx_i64(ctx, l.user_id),
	              audit_detail("consent_version", INVITATIONS_CONSENT_VERSION)) < 0)
		return -1;
	ctx->user_id = l.user_id;
	return auth_describe(ctx);
}

const struct op invitations_ops[] = {
    {"invitations.info", OP_TENANT, invitations_info, 0},
    {"invitations.send_code", OP_TENANT, invitations_send_code, OP_WRITE},
    {"invitations.activate", OP_TENANT, invitations_activate, OP_WRITE},
    {NULL, 0, NULL, 0},
};
