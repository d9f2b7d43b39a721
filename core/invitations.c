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
 * The code and its limits are the accounts' (codes.h: code_digits digits,
 * limits per account and per address, 429 with Retry-After); the password
 * is stored as every password is (auth.h: the other sessions and codes of
 * the account end).
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
#include "codes.h"
#include "jsonx.h"
#include "ops.h"
#include "password.h"
#include "session.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The account of the invitation, as the one-time codes count it (codes.h:
 * limits per account, whatever identifier; the link names the account). */
static struct codes_account invitations_account(const struct invitations_link *l)
{
	struct codes_account a = {l->user_id, l->email ? l->email : l->phone, l->phone, l->email};

	return a;
}

/* The account's values a password must not be (auth.h). */
static struct auth_user invitations_user(const struct invitations_link *l, const char *login)
{
	struct auth_user u = {l->user_id,  l->status, NULL,
	                      l->email,    l->phone,  login ? login : l->login,
	                      l->full_name};

	return u;
}

/* ------------------------------------------------------------ operations */

/* POST /api/auth/invite/info {"token"} */
static int invitations_info(struct ctx *ctx)
{
	struct invitations_link l;
	json_object *r;

	if (invitations_find(ctx, &l) < 0)
		return -1;
	r = ctx_result(ctx);
	jsonx_set_str(r, "full_name", l.full_name);
	jsonx_set_str(r, "organization", l.organization);
	jsonx_set_str(r, "code_to", invitations_code_to(ctx, &l));
	jsonx_set_bool(r, "ask_login", l.ask_login);
	json_object_object_add(r, "consent", auth_consent_describe(ctx, l.organization));
	return 0;
}

/* POST /api/auth/invite {"token"}: a code to the phone (email without one). */
static int invitations_send_code(struct ctx *ctx)
{
	struct invitations_link l;
	struct codes_account a;
	json_object *r;
	int sent;

	if (invitations_find(ctx, &l) < 0)
		return -1;
	a = invitations_account(&l);
	sent = codes_send(ctx, &a, "invite", NULL);
	if (sent < 0)
		return -1;
	if (sent > 0) { /* asked again at once (the page reloaded): the code sent stands */
		codes_already_sent(ctx, sent);
		jsonx_set_str(ctx_result(ctx), "channel", l.phone ? "sms" : "email");
		return 0;
	}
	if (audit_log(ctx, "invitation.code_requested", 1, "user", ctx_i64(ctx, l.user_id), NULL) <
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
	codes_put_retry(ctx, ctx->cfg->code_cooldown_s);
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
	const char *password = ctx_arg_secret(ctx, "password", PASSWORD_MAX, 1), *login;
	struct invitations_link l;
	struct codes_account a;
	struct auth_user u;
	int64_t code_id;
	int consent, right;

	if (invitations_find(ctx, &l) < 0)
		return -1;
	consent = cabinets_arg_flag(ctx, "consent", 0);
	if (consent == 0)
		ctx_field_code(ctx, "consent", "required",
		               "Без согласия на обработку персональных данных кабинет нельзя "
		               "активировать: отметьте согласие");
	login = invitations_login(ctx, &l);
	u = invitations_user(&l, login);
	if (code)
		codes_format(ctx, "code", code);
	/* a password the policy refuses is refused before the code is looked
	 * at: nothing is counted and nothing is learnt about the code */
	if (password && auth_password_policy(ctx, "password", password, &u) < 0 &&
	    ctx->error != PROTO_ERR_validation)
		return -1;
	if (ctx->error >= 0)
		return -1;
	a = invitations_account(&l);
	right = codes_check(ctx, &a, "invite", code, &code_id);
	if (right < 0)
		return -1;
	if (!right) {
		if (audit_log(ctx, "invitation.activated", 0, "user", ctx_i64(ctx, l.user_id),
		              audit_detail("reason", "wrong_code")) < 0)
			return -1;
		return codes_wrong(ctx, "code"); /* the entry stays counted */
	}
	if ((login &&
	     ctx_sql(ctx, "UPDATE users SET login = $3 WHERE tenant_id = $1 AND id = $2",
	             ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, l.user_id), login) == NULL) ||
	    auth_password_store(ctx, l.user_id, password, AUTH_CONSENT) < 0 ||
	    ctx_sql(
	        ctx,
	        "UPDATE invitations SET used_at = CASE WHEN id = $3 THEN now() ELSE used_at END, "
	        "revoked_at = CASE WHEN id <> $3 AND used_at IS NULL THEN coalesce(revoked_at, "
	        "now()) ELSE revoked_at END WHERE tenant_id = $1 AND employee_id = $2",
	        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, l.employee_id),
	        ctx_i64(ctx, l.id)) == NULL ||
	    session_open(ctx, l.user_id) < 0 ||
	    audit_log(ctx, "invitation.activated", 1, "user", ctx_i64(ctx, l.user_id),
	              audit_detail("consent_version", AUTH_CONSENT_VERSION)) < 0)
		return -1;
	ctx->user_id = l.user_id;
	return auth_describe(ctx);
}

#define INVITATIONS_TOKEN_ARG                                                                      \
	{                                                                                          \
		"token", ARG_STR, ARG_REQUIRED,                                                    \
		    .max = 200, .example = "\"2vQ7yXc0mJ9kL3pR8sT1uW4zA6bD5eF0gH2iK7nM9oP\""       \
	}
static const struct op_arg invitations_token_args[] = {INVITATIONS_TOKEN_ARG, ARG_END};
static const struct op_arg invitations_activate_args[] = {
    INVITATIONS_TOKEN_ARG,
    {"code", ARG_STR, ARG_REQUIRED, .max = 16, .example = "\"123456\""},
    {"password", ARG_STR, ARG_REQUIRED | ARG_SECRET, .max = PASSWORD_MAX,
     .example = "\"Sotrudnik-2026-pass\""},
    {"login", ARG_STR, 0, .max = 64},
    {"consent", ARG_BOOL, 0, .min = 0},
    ARG_END,
};

const struct op invitations_ops[] = {
    {"invitations.info", OP_TENANT, invitations_info, OP_SIGNIN, invitations_token_args},
    {"invitations.send_code", OP_TENANT, invitations_send_code, OP_WRITE | OP_SIGNIN,
     invitations_token_args},
    {"invitations.activate", OP_TENANT, invitations_activate, OP_WRITE | OP_SIGNIN,
     invitations_activate_args},
    {NULL, 0, NULL, 0, NULL},
};
