/*
 * auth.c - accounts: who am I, sign-in and sign-out, one-time codes
 * (activation, password reset), password change, administrator rights,
 * the audit and outbox lists of the administrator, and the clean-up of
 * expired sessions, codes and counters.
 *
 * Nothing here tells whether a login exists: unknown logins get the same
 * answers, the same limits and counters (keyed by what was typed, see
 * codes.h) and the same password-hashing work as real ones.
 */
#include "auth.h"

#include "access.h"
#include "audit.h"
#include "cabinets.h"
#include "codes.h"
#include "date.h"
#include "import.h"
#include "jsonx.h"
#include "log.h"
#include "monotime.h"
#include "notifications.h"
#include "ops.h"
#include "org.h"
#include "outbox.h"
#include "password.h"
#include "requests.h"
#include "routing.h"
#include "ru.h"
#include "sesscache.h"
#include "session.h"
#include "validate.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* -------------------------------------------------------------- helpers */

/* Reads args.login into its lookup form; NULL with a field error. */
static const char *auth_read_login(struct ctx *ctx)
{
	const char *login = ctx_arg_str(ctx, "login", 254, 1);
	char *key = arena_alloc(ctx->arena, 512);

	if (login == NULL)
		return NULL;
	if (validate_login_key(login, key, 512) < 0) {
		ctx_field_code(ctx, "login", "required",
		               "Укажите мобильный телефон, электронную почту или логин");
		return NULL;
	}
	return key;
}

/* Finds the user a login names (its lookup form); 1 found, 0 not, -1 error. */
static int auth_find_user(struct ctx *ctx, const char *key, struct auth_user *u)
{
	PGresult *res = ctx_sql(ctx,
	                        "SELECT id, status, password_hash, email, phone, login, full_name "
	                        "FROM users WHERE tenant_id = $1 AND (email = $2 OR phone = $2 "
	                        "OR login = $2) ORDER BY id LIMIT 1",
	                        ctx_i64(ctx, ctx->tenant_id), key);

	memset(u, 0, sizeof(*u));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	u->id = atoll(PQgetvalue(res, 0, 0));
	u->status = PQgetvalue(res, 0, 1);
	u->hash = PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2);
	u->email = PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3);
	u->phone = PQgetisnull(res, 0, 4) ? NULL : PQgetvalue(res, 0, 4);
	u->login = PQgetisnull(res, 0, 5) ? NULL : PQgetvalue(res, 0, 5);
	u->full_name = PQgetvalue(res, 0, 6);
	return 1;
}

/* The account whose code limits count: the user, or (unknown or blocked)
 * only what was typed. */
static struct codes_account auth_code_account(const char *key, const struct auth_user *u, int found)
{
	struct codes_account a = {0, key, NULL, NULL};

	if (found && strcmp(u->status, "blocked") != 0) {
		a.user_id = u->id;
		a.phone = u->phone;
		a.email = u->email;
	}
	return a;
}

/* The throttle key of an account: "user:<id>", whichever of its
 * identifiers was typed, or the typed identifier when it names no account
 * (the same counting, so a lock tells nothing). */
static const char *auth_account_key(struct ctx *ctx, const char *key, const struct auth_user *u,
                                    int found)
{
	return found ? arena_printf(ctx->arena, "user:%lld", (long long)u->id)
	             : codes_ident_key(ctx, key);
}

/* 1 when a + b (folded, validate_fold) is the folded password. */
static int auth_folded_is(const char *fp, const char *a, const char *b)
{
	size_t la = strlen(a);

	return *a && strncmp(fp, a, la) == 0 && strcmp(fp + la, b) == 0;
}

/* 1 when s is not empty and has no letter: digits and punctuation only
 * (what people add to a word to pass a length rule: «2026», «!!»). */
static int auth_no_letters(const char *s)
{
	if (*s == '\0')
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80 || isalpha((unsigned char)*s))
			return 0;
	return 1;
}

/* auth_no_letters of the first n bytes of s. */
static int auth_no_letters_n(const char *s, size_t n)
{
	char head[1024];

	if (n == 0 || n >= sizeof(head))
		return 0;
	memcpy(head, s, n);
	head[n] = '\0';
	return auth_no_letters(head);
}

/* The password may not be the user's full name, or a part of it (the
 * surname, the first name with either, in either order), alone, with the
 * birth date before or after it in any usual form («Иванов17051990»), or
 * with only digits and punctuation added («Приглашённая2026»), in any
 * case, spaces left out (trial-break F15). 0, or -1 with the field's
 * error. */
static int auth_password_not_name(struct ctx *ctx, const char *field, const char *password,
                                  const struct auth_user *u)
{
	char fp[1024], full[1024], words[3][256];
	const char *forms[6];
	const char *dates[7] = {""};
	int nwords = 0, nforms = 0, ndates = 1;
	PGresult *res;

	if (u->id == 0 || validate_fold(password, fp, sizeof(fp)) < 0)
		return 0;
	res =
	    ctx_sql(ctx,
	            "SELECT coalesce(e.full_name, u.full_name), to_char(e.birth_date, 'DDMMYYYY'), "
	            "to_char(e.birth_date, 'YYYYMMDD'), to_char(e.birth_date, 'DDMMYY'), "
	            "to_char(e.birth_date, 'YYYY'), to_char(e.birth_date, 'DDMM'), "
	            "to_char(e.birth_date, 'YYYYDDMM') FROM users u LEFT JOIN employees e ON "
	            "e.tenant_id = u.tenant_id AND e.id = u.employee_id WHERE u.tenant_id = $1 "
	            "AND u.id = $2",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, u->id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || PQgetisnull(res, 0, 0) ||
	    validate_fold(PQgetvalue(res, 0, 0), full, sizeof(full)) < 0)
		return 0;
	for (int c = 1; c <= 6; c++)
		if (!PQgetisnull(res, 0, c))
			dates[ndates++] = PQgetvalue(res, 0, c);
	/* the words of the name, each folded */
	{
		char copy[1024], *save = NULL;
		snprintf(copy, sizeof(copy), "%s", PQgetvalue(res, 0, 0));
		for (char *w = strtok_r(copy, " \t", &save); w && nwords < 3;
		     w = strtok_r(NULL, " \t", &save))
			if (validate_fold(w, words[nwords], sizeof(words[0])) == 0 &&
			    words[nwords][0])
				nwords++;
	}
	forms[nforms++] = arena_strdup(ctx->arena, full);
	for (int i = 0; i < nwords && i < 2; i++)
		forms[nforms++] = arena_strdup(ctx->arena, words[i]);
	if (nwords >= 2) {
		forms[nforms++] = arena_printf(ctx->arena, "%s%s", words[0], words[1]);
		forms[nforms++] = arena_printf(ctx->arena, "%s%s", words[1], words[0]);
	}
	if (nwords >= 3)
		forms[nforms++] = arena_printf(ctx->arena, "%s%s", words[1], words[2]);
	for (int f = 0; f < nforms; f++)
		for (int d = 0; d < ndates; d++)
			if (auth_folded_is(fp, forms[f], dates[d]) ||
			    (*dates[d] && auth_folded_is(fp, dates[d], forms[f])))
				return ctx_field_code(ctx, field, "personal",
				                      "Пароль не должен совпадать с вашим ФИО%s",
				                      d ? " и датой рождения" : "");
	for (int f = 0; f < nforms; f++) {
		size_t lf = strlen(forms[f]), lp = strlen(fp);

		if (lf == 0 || lf >= lp)
			continue;
		if ((strncmp(fp, forms[f], lf) == 0 && auth_no_letters(fp + lf)) ||
		    (strcmp(fp + lp - lf, forms[f]) == 0 && auth_no_letters_n(fp, lp - lf)))
			return ctx_field_code(
			    ctx, field, "personal",
			    "Пароль не должен состоять из вашего имени или фамилии "
			    "и цифр. %s",
			    PASSWORD_ADVICE);
	}
	return 0;
}

static void auth_common_form(void *arg, const char *form)
{
	json_object_object_add(arg, form, NULL);
}

int auth_password_policy(struct ctx *ctx, const char *field, const char *password,
                         const struct auth_user *u)
{
	const char *personal[] = {u->login, u->email, u->phone};
	const char *code, *why;
	json_object *forms;
	PGresult *res;

	if (password_check(password, personal, 3, &code, &why) < 0)
		return ctx_field_code(ctx, field, code, "%s", why);
	if (auth_password_not_name(ctx, field, password, u) < 0)
		return -1;
	/* the password and the forms derived from it (password.h), one lookup */
	forms = arena_own(ctx->arena, json_object_new_object());
	password_common_forms(password, auth_common_form, forms);
	json_object_object_add(forms, password, NULL);
	res = ctx_sql(ctx,
	              "SELECT 1 FROM common_passwords WHERE password = ANY (ARRAY(SELECT "
	              "lower(f) FROM jsonb_object_keys($1::jsonb) f)) LIMIT 1",
	              jsonx_dump(forms, NULL));
	if (res == NULL)
		return -1;
	if (PQntuples(res))
		return ctx_field_code(ctx, field, "common",
		                      "Этот пароль слишком распространён и легко подбирается. %s",
		                      PASSWORD_ADVICE);
	return 0;
}

/* Tells the user that their password changed (email, or SMS without one). */
static int auth_password_notice(struct ctx *ctx, int64_t user_id, const char *email,
                                const char *phone)
{
	PGresult *res =
	    ctx_sql(ctx, "SELECT name, " ORG_TIME_SQL("now()", "$2") " FROM tenants WHERE id = $1",
	            ctx_i64(ctx, ctx->tenant_id), org_time_zone(ctx));
	const char *text;

	if (res == NULL || PQntuples(res) != 1)
		return res ? ctx_fail(ctx, PROTO_ERR_internal, NULL) : -1;
	if (email == NULL && phone == NULL)
		return 0;
	text = arena_printf(ctx->arena,
	                    "Пароль вашего кабинета сотрудника (%s) изменён %s. Все другие входы в "
	                    "кабинет завершены. Если пароль меняли не вы, восстановите его по коду "
	                    "на странице входа и сообщите администратору кабинета.",
	                    PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1));
	return outbox_enqueue(ctx, email ? "email" : "sms", email ? email : phone,
	                      "Пароль кабинета сотрудника изменён", text, "password_changed",
	                      user_id);
}

const char AUTH_CONSENT_TEXT[] =
    "Я даю согласие %s (работодателю) на обработку моих персональных данных: фамилии, имени, "
    "отчества, даты рождения, мобильного телефона и адреса электронной почты, сведений о "
    "трудовой деятельности, стаже, отпусках, заработной плате и удержаниях, — в целях "
    "ведения кадрового учёта и расчёта заработной платы, предоставления мне расчётных "
    "листков, справок и сведений об отпусках и рассмотрения моих заявлений в кабинете "
    "сотрудника, включая сбор, запись, систематизацию, хранение, уточнение, использование и "
    "удаление, в соответствии с Федеральным законом от 27.07.2006 № 152-ФЗ «О персональных "
    "данных». Согласие действует до его отзыва; отозвать его можно письменным заявлением "
    "работодателю.";

json_object *auth_consent_describe(struct ctx *ctx, const char *organization)
{
	json_object *c = json_object_new_object();

	jsonx_set_str(c, "version", AUTH_CONSENT_VERSION);
	jsonx_set_str(c, "text", arena_printf(ctx->arena, AUTH_CONSENT_TEXT, organization));
	return c;
}

/* The one rule of the consent (auth.h): an employee's account gets its
 * first password only with a consent recorded. 0 (recorded now, before, or
 * not needed) or -1 (a field error "consent", or a failure). */
static int auth_consent_check(struct ctx *ctx, int64_t user_id, unsigned flags)
{
	const char *ip = jsonx_get_str(ctx->auth, "ip");
	PGresult *res;

	if (flags & AUTH_OPERATOR)
		return 0;
	/* the administrator (the person who connected the organization, or one
	 * granted the role) acts for the employer, who answers for the
	 * consents: her activation is the connection's contract, {login,
	 * code, password}, and records a consent only when she gives one */
	res = ctx_sql(ctx,
	              "SELECT u.employee_id IS NOT NULL AND u.activated_at IS NULL AND NOT EXISTS "
	              "(SELECT 1 FROM user_roles r WHERE r.tenant_id = u.tenant_id AND "
	              "r.user_id = u.id AND r.role = 'admin'), u.employee_id, "
	              "EXISTS (SELECT 1 FROM consents c WHERE c.tenant_id = u.tenant_id AND "
	              "c.user_id = u.id AND c.kind = 'personal_data') FROM users u "
	              "WHERE u.tenant_id = $1 AND u.id = $2",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, user_id));
	if (res == NULL || PQntuples(res) != 1)
		return res ? ctx_fail(ctx, PROTO_ERR_not_found, NULL) : -1;
	if (strcmp(PQgetvalue(res, 0, 2), "t") == 0)
		return 0;
	if (!(flags & AUTH_CONSENT)) {
		if (strcmp(PQgetvalue(res, 0, 0), "t") != 0)
			return 0;
		ctx_field_code(ctx, "consent", "required",
		               "Без согласия на обработку персональных данных кабинет нельзя "
		               "активировать: отметьте согласие");
		return -1;
	}
	if (ctx_sql(
	        ctx,
	        "INSERT INTO consents (tenant_id, user_id, employee_id, kind, version, ip) VALUES "
	        "($1, $2, $3, 'personal_data', $4, nullif($5, '')::inet)",
	        ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, user_id),
	        PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1), AUTH_CONSENT_VERSION,
	        ip && (strchr(ip, '.') || strchr(ip, ':')) ? ip : "") == NULL)
		return -1;
	return audit_log(ctx, "consent.given", 1, "user", ctx_i64(ctx, user_id),
	                 audit_detail("consent_version", AUTH_CONSENT_VERSION));
}

int auth_password_store(struct ctx *ctx, int64_t user_id, const char *password, unsigned flags)
{
	char hash[PASSWORD_HASH_MAX];
	PGresult *res;
	int had;

	if (auth_consent_check(ctx, user_id, flags) < 0)
		return -1;
	if (password_hash(password, ctx->cfg->password_argon2_memory_kib,
	                  ctx->cfg->password_argon2_passes, hash, sizeof(hash)) < 0)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	res = ctx_sql(ctx,
	              "UPDATE users u SET password_hash = $3, status = 'active', "
	              "activated_at = coalesce(u.activated_at, now()), password_changed_at = now() "
	              "FROM (SELECT password_hash IS NOT NULL AS had FROM users "
	              "WHERE tenant_id = $1 AND id = $2 FOR UPDATE) o "
	              "WHERE u.tenant_id = $1 AND u.id = $2 RETURNING o.had, u.email, u.phone",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, user_id), hash);
	OPENSSL_cleanse(hash, sizeof(hash));
	if (res == NULL || PQntuples(res) != 1)
		return res ? ctx_fail(ctx, PROTO_ERR_not_found, NULL) : -1;
	had = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	/* a new credential ends every other: sessions and outstanding codes */
	if (ctx_sql(ctx,
	            "DELETE FROM sessions WHERE tenant_id = $1 AND user_id = $2 "
	            "AND token_hash IS DISTINCT FROM $3::bytea",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, user_id),
	            (flags & AUTH_KEEP_SESSION) ? ctx->session_hash : NULL) == NULL ||
	    codes_revoke(ctx, user_id) < 0 || session_devices_revoke(ctx, user_id) < 0)
		return -1;
	sesscache_forget_user(ctx, ctx->tenant_id, user_id);
	/* the ended sessions' open pages stop hearing at once */
	notifications_end_streams(ctx->tenant_id, user_id);
	if (had && auth_password_notice(ctx, user_id,
	                                PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1),
	                                PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2)) < 0)
		return -1;
	return 0;
}

/* The signed-in user, their roles and organization into the result. */
int auth_describe(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx), *user, *roles, *tenant;
	PGresult *res;

	res = ctx_sql(
	    ctx,
	    "SELECT u.id, u.full_name, u.email, u.phone, u.login, u.employee_id, t.subdomain, "
	    "t.name, EXISTS (SELECT 1 FROM user_roles r WHERE r.tenant_id = u.tenant_id "
	    "AND r.user_id = u.id AND r.role = 'admin'), app_timezone(), app_today()::text, "
	    "e.hired::text, e.dismissed::text "
	    "FROM users u JOIN tenants t ON t.id = u.tenant_id LEFT JOIN employees e ON "
	    "e.tenant_id = u.tenant_id AND e.id = u.employee_id "
	    "WHERE u.tenant_id = $1 AND u.id = $2",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->user_id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1)
		return ctx_fail(ctx, PROTO_ERR_unauthorized, NULL);
	user = json_object_new_object();
	jsonx_set_int(user, "id", ctx->user_id);
	jsonx_set_str(user, "full_name", PQgetvalue(res, 0, 1));
	jsonx_set_str(user, "email", PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2));
	jsonx_set_str(user, "phone", PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3));
	if (!PQgetisnull(res, 0, 3)) { /* as every page shows a phone */
		char ph[RU_PHONE_BUFSZ];
		jsonx_set_str(user, "phone_ru",
		              ru_format_phone(PQgetvalue(res, 0, 3), ph, sizeof ph));
	}
	jsonx_set_str(user, "login", PQgetisnull(res, 0, 4) ? NULL : PQgetvalue(res, 0, 4));
	if (PQgetisnull(res, 0, 5))
		json_object_object_add(user, "employee_id", NULL);
	else
		jsonx_set_int(user, "employee_id", atoll(PQgetvalue(res, 0, 5)));
	/* the employment's dates (ISO or null): the site's year pickers
	 * start at the hire year (the timesheet, a 2-НДФЛ certificate) */
	jsonx_set_str(user, "hired", PQgetisnull(res, 0, 11) ? NULL : PQgetvalue(res, 0, 11));
	jsonx_set_str(user, "dismissed", PQgetisnull(res, 0, 12) ? NULL : PQgetvalue(res, 0, 12));
	json_object_object_add(r, "user", user);
	roles = json_object_new_array();
	json_object_array_add(roles, json_object_new_string("employee"));
	if (strcmp(PQgetvalue(res, 0, 8), "t") == 0)
		json_object_array_add(roles, json_object_new_string("admin"));
	json_object_object_add(r, "roles", roles);
	tenant = json_object_new_object();
	jsonx_set_str(tenant, "subdomain", PQgetvalue(res, 0, 6));
	jsonx_set_str(tenant, "name", PQgetvalue(res, 0, 7));
	/* the organization's zone and today in it: what the site shows and
	 * filters by (settings.h) */
	jsonx_set_str(tenant, "timezone", PQgetvalue(res, 0, 9));
	jsonx_set_str(tenant, "today", PQgetvalue(res, 0, 10));
	json_object_object_add(r, "tenant", tenant);
	return 0;
}

/* ---------------------------------------------------------- who am I */

/* GET /api/me */
static int auth_me(struct ctx *ctx)
{
	json_object *roles;

	if (auth_describe(ctx) < 0 || access_load_roles(ctx) < 0)
		return -1;
	/* the pages show a manager's and a performer's sections by these */
	roles = jsonx_get(ctx_result(ctx), "roles");
	if (ctx->roles & ROLE_MANAGER)
		json_object_array_add(roles, json_object_new_string("manager"));
	if (ctx->roles & ROLE_PERFORMER)
		json_object_array_add(roles, json_object_new_string("performer"));
	/* what the pages' file inputs accept and say (the config keys) */
	json_object_object_add(ctx_result(ctx), "attachments", requests_files_limits(ctx));
	/* the person's open tasks (GET /api/tasks?state=open's total): the
	 * admin pages' menu names them for an administrator who also has
	 * tasks ("Задачи (2)") */
	if (ctx->employee_id) {
		PGresult *res =
		    ctx_sql(ctx,
		            "SELECT count(*) FROM request_tasks WHERE tenant_id = $1 AND "
		            "assignee_id = $2 AND state = 'open'",
		            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->employee_id));
		if (res == NULL)
			return -1;
		jsonx_set_int(ctx_result(ctx), "open_tasks", atoll(PQgetvalue(res, 0, 0)));
	}
	return 0;
}

/* POST /api/auth/logout */
static int auth_logout(struct ctx *ctx)
{
	if (session_close(ctx) < 0)
		return -1;
	/* its open pages' event streams end now, not at their next check */
	notifications_end_streams(ctx->tenant_id, ctx->user_id);
	jsonx_set_bool(ctx_result(ctx), "signed_out", 1);
	return audit_log(ctx, "auth.logout", 1, "user", ctx_i64(ctx, ctx->user_id), NULL);
}

/* ------------------------------------------------------ one-time codes */

/* The consent's text for the organization of the host into the result
 * ({"consent": {"version", "text"}}): the activation and reset pages. */
static int auth_consent_of_host(struct ctx *ctx)
{
	PGresult *res =
	    ctx_sql(ctx, "SELECT name FROM tenants WHERE id = $1", ctx_i64(ctx, ctx->tenant_id));

	if (res == NULL || PQntuples(res) != 1)
		return res ? ctx_fail(ctx, PROTO_ERR_not_found, NULL) : -1;
	json_object_object_add(ctx_result(ctx), "consent",
	                       auth_consent_describe(ctx, PQgetvalue(res, 0, 0)));
	return 0;
}

/* GET /admin/activate, /admin/reset */
static int auth_consent(struct ctx *ctx)
{
	return auth_consent_of_host(ctx);
}

/* POST /api/auth/code {"login"}: a code for activation or password reset. */
static int auth_code(struct ctx *ctx)
{
	const char *key = auth_read_login(ctx);
	struct codes_account a;
	struct auth_user u;
	json_object *r;
	int found, sent;

	if (key == NULL)
		return -1;
	found = auth_find_user(ctx, key, &u);
	if (found < 0)
		return -1;
	a = auth_code_account(key, &u, found);
	sent = codes_send(
	    ctx, &a, a.user_id && strcmp(u.status, "created") == 0 ? "activate" : "reset", NULL);
	if (sent < 0)
		return -1;
	if (sent > 0) { /* asked again at once (the page reloaded): the code sent stands */
		codes_already_sent(ctx, sent);
		return auth_consent_of_host(ctx);
	}
	if (audit_log(ctx, "auth.code_requested", a.user_id != 0, a.user_id ? "user" : NULL,
	              a.user_id ? ctx_i64(ctx, a.user_id) : NULL, NULL) < 0)
		return -1;
	ctx->status = 202;
	r = ctx_result(ctx);
	jsonx_set_str(r, "status", "sent");
	jsonx_set_str(r, "message",
	              "Если в организации есть кабинет с этим телефоном или почтой, мы "
	              "отправили код подтверждения по SMS или на электронную почту.");
	jsonx_set_int(r, "cooldown_s", ctx->cfg->code_cooldown_s);
	codes_put_retry(ctx, ctx->cfg->code_cooldown_s);
	jsonx_set_int(r, "expires_in_s", ctx->cfg->code_ttl_s);
	return auth_consent_of_host(ctx); /* the next form asks for it */
}

/* POST /api/auth/activate and /api/auth/reset {"login", "code", "password"}:
 * checks the code, sets the password, signs in. */
static int auth_with_code(struct ctx *ctx, const char *action)
{
	const char *key = auth_read_login(ctx);
	const char *code = ctx_arg_str(ctx, "code", 16, 1);
	const char *password = ctx_arg_secret(ctx, "password", PASSWORD_MAX, 1);
	struct auth_user u, typed = {0};
	struct codes_account a;
	int64_t code_id;
	int found, right, consent;

	if (key == NULL || code == NULL || password == NULL || codes_format(ctx, "code", code) < 0)
		return -1;
	consent = cabinets_arg_flag(ctx, "consent", 0);
	if (consent < 0 || ctx->error >= 0) /* a bad argument: the code is not looked at */
		return -1;
	/* the consent is asked after the code (auth_password_store): only then
	 * is it known whose account this is, and an employee's first password
	 * needs it while the administrator's does not (the connection's
	 * contract); a missing consent keeps the code valid for the next try */
	/* a password the policy refuses is refused before the code is looked
	 * at: nothing is counted and nothing is learnt about the code */
	typed.login = key;
	if (auth_password_policy(ctx, "password", password, &typed) < 0)
		return -1;
	found = auth_find_user(ctx, key, &u);
	if (found < 0)
		return -1;
	a = auth_code_account(key, &u, found);
	right = codes_check(ctx, &a, "activate,reset", code, &code_id);
	if (right < 0)
		return -1;
	if (!right) {
		if (audit_log(ctx, action, 0, a.user_id ? "user" : NULL,
		              a.user_id ? ctx_i64(ctx, a.user_id) : NULL,
		              audit_detail("reason", "wrong_code")) < 0)
			return -1;
		return codes_wrong(ctx, "code");
	}
	/* the account's own details: the code stays valid for a better
	 * password, and the entry stays counted */
	if (auth_password_policy(ctx, "password", password, &u) < 0)
		return ctx->error == PROTO_ERR_validation ? ctx_keep(ctx) : -1;
	/* the owner proved themselves: the account's sign-in counters start
	 * over; a missing consent keeps the code valid like a weak password */
	if (auth_password_store(ctx, u.id, password, consent ? AUTH_CONSENT : 0) < 0)
		return ctx->error == PROTO_ERR_validation ? ctx_keep(ctx) : -1;
	if (ctx_sql(ctx, "DELETE FROM auth_throttle WHERE tenant_id = $1 AND key IN ($2, $3)",
	            ctx_i64(ctx, ctx->tenant_id), codes_ident_key(ctx, key),
	            auth_account_key(ctx, key, &u, 1)) == NULL ||
	    session_open(ctx, u.id) < 0 ||
	    audit_log(ctx, action, 1, "user", ctx_i64(ctx, u.id), NULL) < 0)
		return -1;
	return auth_describe(ctx);
}

/* GET /admin/activate, /admin/reset: the consent's text for the
 * organization of the host, {"consent": {"version", "text"}}. */

static int auth_activate(struct ctx *ctx)
{
	return auth_with_code(ctx, "auth.activated");
}

static int auth_reset(struct ctx *ctx)
{
	return auth_with_code(ctx, "auth.password_reset");
}

/* -------------------------------------------------------------- sign-in */

/* Counts a failure against a throttle key. Counts live in windows of
 * login_window_s from the window's first failure; a window that has passed
 * starts over and ends any wait, so no count and no lock outlives it. When
 * the count reaches max, the next tries wait login_delay_s, doubling with
 * each further failure up to login_lock_s. */
static int auth_count_failure(struct ctx *ctx, const char *key, long max)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "INSERT INTO auth_throttle (tenant_id, key, failures, window_start, last_failure_at) "
	    "VALUES ($1, $2, 1, now(), now()) ON CONFLICT (tenant_id, key) DO UPDATE SET "
	    "failures = CASE WHEN auth_throttle.window_start <= now() - make_interval(secs => $3) "
	    "THEN 1 ELSE auth_throttle.failures + 1 END, "
	    "locked_until = CASE WHEN auth_throttle.window_start <= now() - make_interval(secs => "
	    "$3) "
	    "THEN NULL ELSE auth_throttle.locked_until END, "
	    "window_start = CASE WHEN auth_throttle.window_start <= now() - make_interval(secs => "
	    "$3) "
	    "THEN now() ELSE auth_throttle.window_start END, "
	    "last_failure_at = now() RETURNING failures",
	    ctx_i64(ctx, ctx->tenant_id), key, ctx_i64(ctx, ctx->cfg->login_window_s));
	long failures, wait;

	if (res == NULL)
		return -1;
	failures = atol(PQgetvalue(res, 0, 0));
	if (failures < max)
		return 0;
	wait = ctx->cfg->login_delay_s;
	for (long i = max; i < failures && wait < ctx->cfg->login_lock_s; i++)
		wait *= 2;
	if (wait > ctx->cfg->login_lock_s)
		wait = ctx->cfg->login_lock_s;
	return ctx_sql(ctx,
	               "UPDATE auth_throttle SET locked_until = now() + make_interval(secs => $3) "
	               "WHERE tenant_id = $1 AND key = $2",
	               ctx_i64(ctx, ctx->tenant_id), key, ctx_i64(ctx, wait))
	           ? 0
	           : -1;
}

/* Counts one failed sign-in: on the browser's own key when it is a device
 * of the account, else on the account's and on the address's. */
static int auth_count_login_failure(struct ctx *ctx, const char *dkey, const char *akey,
                                    const char *ikey)
{
	if (dkey)
		return auth_count_failure(ctx, dkey, ctx->cfg->login_max_failures);
	if (auth_count_failure(ctx, akey, ctx->cfg->login_max_failures) < 0)
		return -1;
	return auth_count_failure(ctx, ikey, ctx->cfg->login_ip_max_failures);
}

/* POST /api/auth/login {"login", "password"}
 *
 * Failures are counted per account (all its identifiers together) and per
 * client address, except from a browser that has signed in to the account
 * before (its device cookie, session.h): that browser's failures count on
 * its own key, and neither the account's nor the address's lock holds it.
 * So nobody can lock a person out of their own browser by failing on
 * purpose, while a stranger's guesses stay capped per account. */
static int auth_login(struct ctx *ctx)
{
	const char *key = auth_read_login(ctx);
	const char *password = ctx_arg_secret(ctx, "password", PASSWORD_MAX, 1);
	const char *ip = jsonx_get_str(ctx->auth, "ip"), *akey, *ikey, *dkey;
	struct auth_user u;
	PGresult *res;
	int found, ok;

	if (key == NULL || password == NULL)
		return -1;
	found = auth_find_user(ctx, key, &u);
	if (found < 0 || session_device_key(ctx, found ? u.id : 0, &dkey) < 0)
		return -1;
	akey = auth_account_key(ctx, key, &u, found);
	ikey = arena_printf(ctx->arena, "ip:%s", ip && *ip ? ip : "unknown");
	res =
	    ctx_sql(ctx,
	            "SELECT max(ceil(extract(epoch FROM locked_until - now()))) FROM auth_throttle "
	            "WHERE tenant_id = $1 AND key IN ($2, $3) AND locked_until > now()",
	            ctx_i64(ctx, ctx->tenant_id), dkey ? dkey : akey, dkey ? dkey : ikey);
	if (res == NULL)
		return -1;
	if (!PQgetisnull(res, 0, 0)) {
		int64_t wait = atoll(PQgetvalue(res, 0, 0));
		char when[64];
		if (audit_log(ctx, "auth.login", 0, NULL, NULL,
		              audit_detail("reason", "throttled")) < 0)
			return -1;
		ctx_fail_wait(ctx, wait, "Слишком много неудачных попыток входа. Повторите %s",
		              ru_wait(wait, when, sizeof(when)));
		return ctx_keep(ctx); /* the audit row stays */
	}
	/* the hash work is done for unknown logins too */
	ok = password_verify(found ? u.hash : NULL, password) && found &&
	     strcmp(u.status, "active") == 0;
	if (!ok) {
		if (auth_count_login_failure(ctx, dkey, akey, ikey) < 0 ||
		    audit_log(ctx, "auth.login", 0, found ? "user" : NULL,
		              found ? ctx_i64(ctx, u.id) : NULL, NULL) < 0)
			return -1;
		return ctx_fail_commit(ctx, PROTO_ERR_unauthorized, "Неверный логин или пароль");
	}
	if (ctx_sql(ctx, "DELETE FROM auth_throttle WHERE tenant_id = $1 AND key = $2",
	            ctx_i64(ctx, ctx->tenant_id), dkey ? dkey : akey) == NULL ||
	    session_open(ctx, u.id) < 0 ||
	    audit_log(ctx, "auth.login", 1, "user", ctx_i64(ctx, u.id), NULL) < 0)
		return -1;
	return auth_describe(ctx);
}

/* POST /api/auth/password {"old_password", "new_password"}: ends the
 * user's other sessions and codes, tells the user. */
static int auth_password(struct ctx *ctx)
{
	const char *old = ctx_arg_secret(ctx, "old_password", PASSWORD_MAX, 1);
	const char *new = ctx_arg_secret(ctx, "new_password", PASSWORD_MAX, 1);
	struct auth_user u;
	PGresult *res;

	if (old == NULL || new == NULL)
		return -1;
	res = ctx_sql(ctx,
	              "SELECT password_hash, email, phone, login FROM users "
	              "WHERE tenant_id = $1 AND id = $2",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->user_id));
	if (res == NULL || PQntuples(res) != 1)
		return res ? ctx_fail(ctx, PROTO_ERR_unauthorized, NULL) : -1;
	memset(&u, 0, sizeof(u));
	u.id = ctx->user_id;
	u.email = PQgetisnull(res, 0, 1) ? NULL : PQgetvalue(res, 0, 1);
	u.phone = PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2);
	u.login = PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3);
	if (!password_verify(PQgetisnull(res, 0, 0) ? NULL : PQgetvalue(res, 0, 0), old)) {
		if (audit_log(ctx, "auth.password_changed", 0, "user", ctx_i64(ctx, ctx->user_id),
		              NULL) < 0)
			return -1;
		ctx_field_code(ctx, "old_password", "wrong", "Неверный текущий пароль");
		return ctx_keep(ctx); /* the audit row stays */
	}
	if (strcmp(old, new) == 0)
		return ctx_field_code(ctx, "new_password", "same",
		                      "Новый пароль должен отличаться от текущего");
	if (auth_password_policy(ctx, "new_password", new, &u) < 0 ||
	    auth_password_store(ctx, ctx->user_id, new, AUTH_KEEP_SESSION) < 0 ||
	    audit_log(ctx, "auth.password_changed", 1, "user", ctx_i64(ctx, ctx->user_id), NULL) <
	        0)
		return -1;
	jsonx_set_bool(ctx_result(ctx), "changed", 1);
	return 0;
}

/* ------------------------------------------------------------ clean-up */

static int auth_cleanup(struct ctx *ctx, void *arg)
{
	PGresult *sessions, *counters;

	(void)arg;
	/* a window that has passed holds no count, and a lock that ended
	 * nothing: such a row is the same as none */
	counters = ctx_sql(ctx,
	                   "DELETE FROM auth_throttle WHERE window_start <= now() - "
	                   "make_interval(secs => $1) AND (locked_until IS NULL OR "
	                   "locked_until <= now())",
	                   ctx_i64(ctx, ctx->cfg->login_window_s));
	sessions = ctx_sql(ctx,
	                   "DELETE FROM sessions WHERE expires_at < now() "
	                   "OR last_seen_at < now() - make_interval(secs => $1) "
	                   "RETURNING tenant_id, user_id",
	                   ctx_i64(ctx, ctx->cfg->session_idle_s));
	/* an expired session's open pages stop hearing too */
	for (int i = 0; sessions && i < PQntuples(sessions); i++)
		notifications_end_streams(atoll(PQgetvalue(sessions, i, 0)),
		                          atoll(PQgetvalue(sessions, i, 1)));
	if (counters == NULL || sessions == NULL || codes_cleanup(ctx) < 0 ||
	    import_cleanup(ctx) < 0 ||
	    ctx_sql(
	        ctx,
	        "DELETE FROM auth_devices WHERE last_used_at < now() - make_interval(secs => $1)",
	        ctx_i64(ctx, ctx->cfg->device_ttl_s)) == NULL)
		return -1;
	if (atoi(PQcmdTuples(counters)) || atoi(PQcmdTuples(sessions)))
		log_info("auth_cleanup", "sessions=%s counters=%s", PQcmdTuples(sessions),
		         PQcmdTuples(counters));
	return 0;
}

void auth_cleanup_task(struct db *db, struct arena *arena, void *arg)
{
	static int64_t last_ms;
	const struct cfg *cfg = cfg_current_acquire();
	int64_t now_ms = monotime_ms(), every_ms = cfg ? cfg->cleanup_interval_s * 1000 : 60000;

	cfg_current_release(cfg);
	if (last_ms && now_ms - last_ms < every_ms)
		return;
	last_ms = now_ms;
	dispatch_system(db, arena, "auth.cleanup", auth_cleanup, arg);
}

/* ------------------------------------------------------------- rights */

/* GET /api/admin/users?q=: the cabinets of the organization. */
static int users_list(struct ctx *ctx)
{
	const char *q = ctx_arg_str(ctx, "q", 100, 0);
	json_object *items = json_object_new_array();
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "users", items);
	if (ctx->error >= 0)
		return -1;
	res = ctx_sql(ctx,
		      "SELECT u.id, u.full_name, u.email, u.phone, u.status, u.employee_id, "
		      ORG_DATE_SQL("u.activated_at", "$3") ", "
		      "EXISTS (SELECT 1 FROM user_roles r WHERE r.tenant_id = u.tenant_id "
		      "AND r.user_id = u.id AND r.role = 'admin') "
		      "FROM users u WHERE u.tenant_id = $1 AND ($2::text IS NULL OR "
		      "u.full_name ILIKE '%' || $2 || '%' OR u.email ILIKE '%' || $2 || '%' "
		      "OR u.phone LIKE '%' || $2 || '%') ORDER BY u.full_name, u.id LIMIT 500",
		      ctx_i64(ctx, ctx->tenant_id), q && *q ? q : NULL, org_time_zone(ctx));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *u = json_object_new_object();
		int admin = strcmp(PQgetvalue(res, i, 7), "t") == 0;
		jsonx_set_int(u, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(u, "full_name", PQgetvalue(res, i, 1));
		jsonx_set_str(u, "email", PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2));
		jsonx_set_str(u, "phone", PQgetisnull(res, i, 3) ? NULL : PQgetvalue(res, i, 3));
		if (!PQgetisnull(res, i, 3)) {
			char ph[RU_PHONE_BUFSZ];
			jsonx_set_str(u, "phone_ru",
			              ru_format_phone(PQgetvalue(res, i, 3), ph, sizeof ph));
		}
		jsonx_set_str(u, "status", PQgetvalue(res, i, 4));
		jsonx_set_str(u, "activated", PQgetisnull(res, i, 6) ? NULL : PQgetvalue(res, i, 6));
		jsonx_set_bool(u, "admin", admin);
		jsonx_set_bool(u, "is_me", atoll(PQgetvalue(res, i, 0)) == ctx->user_id);
		json_object_array_add(items, u);
	}
	return 0;
}

/* Locks the tenant's rights (two administrators removing each other at
 * once must not leave none) and checks the user exists. */
static int users_lock_target(struct ctx *ctx, int64_t *user_id)
{
	PGresult *res;

	if (ctx_arg_int(ctx, "id", 1, INT64_MAX, CTX_REQUIRED, user_id) < 0)
		return -1;
	if (ctx_sql(ctx, "SELECT 1 FROM tenants WHERE id = $1 FOR UPDATE",
		    ctx_i64(ctx, ctx->tenant_id)) == NULL)
		return -1;
	res = ctx_sql(ctx, "SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2",
		      ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, *user_id));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Нет такого пользователя");
	return 0;
}

/* POST /api/admin/users/{id}/admin */
static int users_grant_admin(struct ctx *ctx)
{
	int64_t id;

	if (users_lock_target(ctx, &id) < 0 ||
	    ctx_sql(ctx,
		    "INSERT INTO user_roles (tenant_id, user_id, role, granted_by) "
		    "VALUES ($1, $2, 'admin', $3) ON CONFLICT DO NOTHING",
		    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id), ctx_i64(ctx, ctx->user_id)) == NULL ||
	    audit_log(ctx, "rights.granted", 1, "user", ctx_i64(ctx, id),
		      audit_detail("role", "admin")) < 0)
		return -1;
	sesscache_forget_user(ctx, ctx->tenant_id, id);
	jsonx_set_int(ctx_result(ctx), "id", id);
	jsonx_set_bool(ctx_result(ctx), "admin", 1);
	return 0;
}

/* DELETE /api/admin/users/{id}/admin: never the last administrator. */
static int users_revoke_admin(struct ctx *ctx)
{
	PGresult *res;
	int64_t id;

	if (users_lock_target(ctx, &id) < 0)
		return -1;
	res = ctx_sql(ctx,
		      "SELECT count(*), bool_or(user_id = $2) FROM user_roles "
		      "WHERE tenant_id = $1 AND role = 'admin'",
		      ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id));
	if (res == NULL)
		return -1;
	if (strcmp(PQgetvalue(res, 0, 1), "t") == 0 && atoi(PQgetvalue(res, 0, 0)) <= 1)
		return ctx_fail(ctx, PROTO_ERR_conflict,
				"Нельзя снять права с последнего администратора: сначала назначьте "
				"другого");
	if (ctx_sql(ctx,
		    "DELETE FROM user_roles WHERE tenant_id = $1 AND user_id = $2 AND role = 'admin'",
		    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, id)) == NULL ||
	    audit_log(ctx, "rights.revoked", 1, "user", ctx_i64(ctx, id),
		      audit_detail("role", "admin")) < 0)
		return -1;
	sesscache_forget_user(ctx, ctx->tenant_id, id);
	jsonx_set_int(ctx_result(ctx), "id", id);
	jsonx_set_bool(ctx_result(ctx), "admin", 0);
	return 0;
}

/* cabinetctl user password SUBDOMAIN LOGIN (the password on stdin): sets a
 * password and activates the cabinet, for operators and the demo; ends the
 * user's sessions and codes like every change of password. */
static int users_set_password(struct ctx *ctx)
{
	const char *sub = ctx_arg_str(ctx, "subdomain", 63, 1);
	const char *password = ctx_arg_secret(ctx, "password", PASSWORD_MAX, 1);
	const char *key = auth_read_login(ctx);
	struct auth_user u;
	PGresult *res;
	int found;

	if (sub == NULL || password == NULL || key == NULL || ctx_system_scope(ctx) < 0)
		return -1;
	res = ctx_sql(ctx, "SELECT id FROM tenants WHERE subdomain = lower($1)", sub);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Нет организации %s", sub);
	if (ctx_use_tenant(ctx, atoll(PQgetvalue(res, 0, 0))) < 0)
		return -1;
	found = auth_find_user(ctx, key, &u);
	if (found <= 0)
		return found < 0 ? -1 : ctx_fail(ctx, PROTO_ERR_not_found, "Нет такого пользователя");
	if (auth_password_policy(ctx, "password", password, &u) < 0 ||
	    auth_password_store(ctx, u.id, password, AUTH_OPERATOR) < 0 ||
	    audit_log(ctx, "auth.password_set", 1, "user", ctx_i64(ctx, u.id), NULL) < 0)
		return -1;
	jsonx_set_int(ctx_result(ctx), "user_id", u.id);
	jsonx_set_str(ctx_result(ctx), "status", "active");
	return 0;
}

/* ------------------------------------------------------- admin lists */

/* The object of an audit row as the journal names it: "Иванова Анна
 * Петровна", "График «Пятидневка»", "Табель: Петров П. С., ноябрь 2026".
 * name is what the query found for the object (NULL: gone or none). */
static const char *audit_object_title(struct ctx *ctx, const char *type, const char *id,
				      const char *name, const char *month, json_object *details)
{
	const char *code = jsonx_get_str(details, "code");
	int y = 0, m = 0;

	if (type == NULL)
		return NULL;
	if (month && sscanf(month, "%4d-%2d", &y, &m) == 2 && ru_month_name(m))
		month = arena_printf(ctx->arena, "%s %d", ru_month_name(m), y);
	else
		month = NULL;
	if (strcmp(type, "user") == 0 || strcmp(type, "employee") == 0)
		return name ? name : arena_printf(ctx->arena, "%s № %s",
						  *type == 'u' ? "Пользователь" : "Сотрудник", id);
	if (strcmp(type, "calendar") == 0)
		return name ? arena_printf(ctx->arena, "Календарь «%s»", name) : "Календарь";
	if (strcmp(type, "schedule") == 0)
		return name ? arena_printf(ctx->arena, "График «%s»", name) : "График работы";
	if (strcmp(type, "deviation") == 0)
		return arena_printf(ctx->arena, "Документ № %s%s%s%s%s", id ? id : "",
				    code ? " (" : "", code ? code : "", code ? ")" : "",
				    name ? arena_printf(ctx->arena, ": %s", name) : "");
	if (strcmp(type, "timesheet") == 0)
		return arena_printf(ctx->arena, "Табель%s%s%s%s", name ? ": " : "", name ? name : "",
				    month ? ", " : "", month ? month : "");
	if (strcmp(type, "payroll") == 0 && id && sscanf(id, "%4d-%2d", &y, &m) == 2 &&
	    ru_month_name(m))
		return arena_printf(ctx->arena, "Зарплата за %s %d", ru_month_name(m), y);
	if (strcmp(type, "tenant") == 0)
		return "Организация";
	if (strcmp(type, "organization") == 0 || strcmp(type, "department") == 0 ||
	    strcmp(type, "position") == 0) {
		const char *what = *type == 'o'   ? "Организация"
		                   : *type == 'd' ? "Подразделение"
		                                  : "Должность";
		return name ? arena_printf(ctx->arena, "%s «%s»", what, name)
		            : arena_printf(ctx->arena, "%s № %s", what, id ? id : "");
	}
	if (strcmp(type, "routing_role") == 0) {
		const struct routing_role *r = routing_role_find(id);
		return r ? arena_printf(ctx->arena, "Роль «%s»", r->title) : "Роль исполнителей";
	}
	if (strcmp(type, "request_type") == 0) {
		const struct request_type *t = requests_type_find(id);
		return t ? arena_printf(ctx->arena, "Заявки «%s»", t->title) : "Вид заявок";
	}
	if (strcmp(type, "exchange") == 0)
		return "Обмен с учётной системой";
	{
		/* objects named by their number */
		static const struct {
			const char *type, *title;
		} numbered[] = {
		    {"request", "Заявка"},           {"hr_task", "Задание"},
		    {"payment", "Выплата"},          {"accrual", "Начисление"},
		    {"substitute", "Замещение"},     {"api_key", "Ключ API"},
		    {"import", "Загрузка из файла"}, {"kpi", "Показатель эффективности"},
		};
		for (size_t i = 0; i < sizeof(numbered) / sizeof(numbered[0]); i++)
			if (strcmp(type, numbered[i].type) == 0)
				return arena_printf(ctx->arena, "%s № %s", numbered[i].title,
				                    id ? id : "");
	}
	return arena_printf(ctx->arena, "%s %s", type, id ? id : "");
}

/* GET /api/admin/audit?action=&success=&user_id=&from=&to=&limit=&offset=
 * user_id is the user who acted. Rows name their objects in Russian
 * ("object_title"); "actors" lists the users who appear as actors, for the
 * filter "who". */
static int audit_list(struct ctx *ctx)
{
	const char *action = ctx_arg_str(ctx, "action", 64, 0);
	const char *from = ctx_arg_str(ctx, "from", 10, 0), *to = ctx_arg_str(ctx, "to", 10, 0);
	const char *success = ctx_arg_str(ctx, "success", 5, 0);
	json_object *items = json_object_new_array(), *actors = json_object_new_array();
	json_object *r = ctx_result(ctx);
	int64_t limit, offset, user_id;
	PGresult *res;

	json_object_object_add(r, "items", items);
	json_object_object_add(r, "actors", actors);
	const char *who = jsonx_get_str(ctx->args, "user_id");

	user_id = 0; /* the page's filter sends an empty "who" for everyone */
	if (ctx_arg_int(ctx, "limit", 1, 500, 100, &limit) < 0 ||
	    ctx_arg_int(ctx, "offset", 0, 1000000, 0, &offset) < 0 ||
	    (!(who && !*who) && ctx_arg_int(ctx, "user_id", 0, INT64_MAX, 0, &user_id) < 0))
		return -1;
	if (success && *success && strcmp(success, "true") && strcmp(success, "false"))
		return ctx_field(ctx, "success", "true или false");
	for (int i = 0; i < 2; i++) {
		const char *d = i ? to : from;
		int day;
		if (d && *d && date_parse(d, &day) < 0)
			return ctx_field(ctx, i ? "to" : "from", "%s",
			                 date_input_why(d, "Дата в виде ДД.ММ.ГГГГ"));
	}
	if (ctx->error >= 0)
		return -1;
	res = ctx_sql(ctx,
		      "SELECT DISTINCT u.id, u.full_name FROM audit_log a JOIN users u "
		      "ON u.tenant_id = a.tenant_id AND u.id = a.actor_user_id "
		      "WHERE a.tenant_id = $1 ORDER BY u.full_name, u.id",
		      ctx_i64(ctx, ctx->tenant_id));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *a = json_object_new_object();
		jsonx_set_int(a, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(a, "full_name", PQgetvalue(res, i, 1));
		json_object_array_add(actors, a);
	}
#define AUDIT_OBJECT_ID "CASE WHEN a.object_id ~ '^[0-9]{1,18}$' THEN a.object_id::bigint END"
	res = ctx_sql(
	    ctx,
	    "SELECT a.id, " ORG_TIME_SQL("a.at", "$9") ", "
	    "a.at, a.actor_kind, a.actor_user_id, u.full_name, a.action, a.success, "
	    "a.object_type, a.object_id, host(a.ip), a.details, count(*) OVER (), "
	    "CASE a.object_type "
	    "WHEN 'user' THEN (SELECT x.full_name FROM users x WHERE x.tenant_id = a.tenant_id "
	    "AND x.id = " AUDIT_OBJECT_ID ") "
	    "WHEN 'employee' THEN (SELECT x.full_name FROM employees x WHERE x.tenant_id = "
	    "a.tenant_id AND x.id = " AUDIT_OBJECT_ID ") "
	    "WHEN 'calendar' THEN (SELECT x.name FROM calendars x WHERE x.tenant_id = a.tenant_id "
	    "AND x.id = " AUDIT_OBJECT_ID ") "
	    "WHEN 'schedule' THEN (SELECT x.name FROM schedules x WHERE x.tenant_id = a.tenant_id "
	    "AND x.id = " AUDIT_OBJECT_ID ") "
	    "WHEN 'organization' THEN (SELECT x.name FROM organizations x WHERE x.tenant_id = "
	    "a.tenant_id AND x.id = " AUDIT_OBJECT_ID ") "
	    "WHEN 'department' THEN (SELECT x.name FROM departments x WHERE x.tenant_id = "
	    "a.tenant_id AND x.id = " AUDIT_OBJECT_ID ") "
	    "WHEN 'position' THEN (SELECT x.name FROM positions x WHERE x.tenant_id = "
	    "a.tenant_id AND x.id = " AUDIT_OBJECT_ID ") "
	    "WHEN 'deviation' THEN (SELECT x.full_name FROM employees x WHERE x.tenant_id = "
	    "a.tenant_id AND x.id = CASE WHEN a.details->>'employee_id' ~ '^[0-9]{1,18}$' "
	    "THEN (a.details->>'employee_id')::bigint END) "
	    "WHEN 'timesheet' THEN (SELECT e.full_name FROM timesheets t JOIN employees e ON "
	    "e.tenant_id = t.tenant_id AND e.id = t.employee_id WHERE t.tenant_id = a.tenant_id "
	    "AND t.id = " AUDIT_OBJECT_ID ") END, "
	    "CASE a.object_type WHEN 'timesheet' THEN (SELECT to_char(t.month, 'YYYY-MM') FROM "
	    "timesheets t WHERE t.tenant_id = a.tenant_id AND t.id = " AUDIT_OBJECT_ID ") END "
	    "FROM audit_log a LEFT JOIN users u ON u.tenant_id = a.tenant_id "
	    "AND u.id = a.actor_user_id "
	    "WHERE a.tenant_id = $1 AND ($2::text IS NULL OR a.action LIKE $2 || '%') "
	    "AND ($3::boolean IS NULL OR a.success = $3) "
	    "AND ($4::bigint = 0 OR a.actor_user_id = $4) "
	    "AND ($5::date IS NULL OR a.at >= ($5::date::timestamp AT TIME ZONE $9)) "
	    "AND ($6::date IS NULL OR a.at < (($6::date + 1)::timestamp AT TIME ZONE $9)) "
	    "ORDER BY a.at DESC, a.id DESC LIMIT $7 OFFSET $8",
	    ctx_i64(ctx, ctx->tenant_id), action && *action ? action : NULL,
	    success && *success ? success : NULL, ctx_i64(ctx, user_id),
	    from && *from ? from : NULL, to && *to ? to : NULL, ctx_i64(ctx, limit),
	    ctx_i64(ctx, offset), org_time_zone(ctx));
#undef AUDIT_OBJECT_ID
	if (res == NULL)
		return -1;
	jsonx_set_int(r, "total", PQntuples(res) ? atoll(PQgetvalue(res, 0, 12)) : 0);
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *a = json_object_new_object(), *details;
		const char *err;
		details = jsonx_parse_object(PQgetvalue(res, i, 11), strlen(PQgetvalue(res, i, 11)),
					     &err);
		jsonx_set_int(a, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(a, "when", PQgetvalue(res, i, 1));
		jsonx_set_str(a, "at", PQgetvalue(res, i, 2));
		jsonx_set_str(a, "actor_kind", PQgetvalue(res, i, 3));
		jsonx_set_str(a, "actor", PQgetisnull(res, i, 5) ? NULL : PQgetvalue(res, i, 5));
		jsonx_set_str(a, "action", PQgetvalue(res, i, 6));
		jsonx_set_str(a, "title", audit_action_title(PQgetvalue(res, i, 6)));
		jsonx_set_str(a, "actor_title", audit_actor_title(PQgetvalue(res, i, 3)));
		jsonx_set_bool(a, "success", strcmp(PQgetvalue(res, i, 7), "t") == 0);
		jsonx_set_str(a, "object_type", PQgetisnull(res, i, 8) ? NULL : PQgetvalue(res, i, 8));
		jsonx_set_str(a, "object_id", PQgetisnull(res, i, 9) ? NULL : PQgetvalue(res, i, 9));
		jsonx_set_str(a, "object_title",
			      audit_object_title(
				  ctx, PQgetisnull(res, i, 8) ? NULL : PQgetvalue(res, i, 8),
				  PQgetisnull(res, i, 9) ? NULL : PQgetvalue(res, i, 9),
				  PQgetisnull(res, i, 13) ? NULL : PQgetvalue(res, i, 13),
				  PQgetisnull(res, i, 14) ? NULL : PQgetvalue(res, i, 14), details));
		jsonx_set_str(a, "ip", PQgetisnull(res, i, 10) ? NULL : PQgetvalue(res, i, 10));
		json_object_object_add(a, "details", details);
		json_object_array_add(items, a);
	}
	return 0;
}

/* GET /api/admin/outbox?status=&channel=: delivery of emails and SMS. */
static int outbox_list(struct ctx *ctx)
{
	const char *status = ctx_arg_str(ctx, "status", 16, 0);
	const char *channel = ctx_arg_str(ctx, "channel", 16, 0);
	json_object *items = json_object_new_array();
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "items", items);
	if (ctx->error >= 0)
		return -1;
	res = ctx_sql(ctx,
		      "SELECT id, channel, recipient, subject, kind, status, attempts, last_error, "
		      ORG_TIME_SQL("created_at", "$4") ", " ORG_TIME_SQL("sent_at", "$4") ", user_id "
		      "FROM outbox WHERE tenant_id = $1 AND ($2::text IS NULL OR status = $2) "
		      "AND ($3::text IS NULL OR channel = $3) ORDER BY id DESC LIMIT 200",
		      ctx_i64(ctx, ctx->tenant_id), status && *status ? status : NULL,
		      channel && *channel ? channel : NULL, org_time_zone(ctx));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *m = json_object_new_object();
		jsonx_set_int(m, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(m, "channel", PQgetvalue(res, i, 1));
		jsonx_set_str(m, "to", PQgetvalue(res, i, 2));
		if (strcmp(PQgetvalue(res, i, 1), "sms") == 0) { /* +7 912 111-22-33 */
			char ph[RU_PHONE_BUFSZ];
			jsonx_set_str(m, "to_ru", ru_format_phone(PQgetvalue(res, i, 2), ph, sizeof ph));
		} else {
			jsonx_set_str(m, "to_ru", PQgetvalue(res, i, 2));
		}
		jsonx_set_str(m, "subject", PQgetisnull(res, i, 3) ? NULL : PQgetvalue(res, i, 3));
		jsonx_set_str(m, "kind", PQgetvalue(res, i, 4));
		jsonx_set_str(m, "status", PQgetvalue(res, i, 5));
		jsonx_set_str(m, "status_title",
			      strcmp(PQgetvalue(res, i, 5), "sent") == 0	 ? "отправлено"
			      : strcmp(PQgetvalue(res, i, 5), "failed") == 0 ? "не доставлено"
									 : "в очереди");
		jsonx_set_str(m, "status_class",
			      strcmp(PQgetvalue(res, i, 5), "sent") == 0     ? "ok"
			      : strcmp(PQgetvalue(res, i, 5), "failed") == 0 ? "bad"
									 : "warn");
		jsonx_set_str(m, "channel_title",
			      strcmp(PQgetvalue(res, i, 1), "sms") == 0 ? "SMS" : "почта");
		jsonx_set_int(m, "attempts", atoll(PQgetvalue(res, i, 6)));
		jsonx_set_str(m, "last_error", PQgetisnull(res, i, 7) ? NULL : PQgetvalue(res, i, 7));
		jsonx_set_str(m, "created", PQgetvalue(res, i, 8));
		jsonx_set_str(m, "sent", PQgetisnull(res, i, 9) ? NULL : PQgetvalue(res, i, 9));
		json_object_array_add(items, m);
	}
	return 0;
}

#define AUTH_LOGIN_ARG                                                                             \
	{                                                                                          \
		.name = "login", .type = ARG_STR, .flags = ARG_REQUIRED, .max = 254,               \
		.example = "\"admin@example.ru\""                                                  \
	}
#define AUTH_PASSWORD_ARG(name_)                                                                   \
	{                                                                                          \
		.name = name_, .type = ARG_STR, .flags = ARG_REQUIRED | ARG_SECRET,                \
		.max = PASSWORD_MAX,                                                               \
		.example = "\"Пример-пароля-2025\""                                                \
	}

static const struct op_arg auth_code_args[] = {AUTH_LOGIN_ARG, ARG_END};
static const struct op_arg auth_with_code_args[] = {
    AUTH_LOGIN_ARG,
    {"code", ARG_STR, ARG_REQUIRED, .max = 16, .example = "\"123456\""},
    AUTH_PASSWORD_ARG("password"),
    {"consent", ARG_BOOL, 0, .min = 0},
    ARG_END,
};
static const struct op_arg auth_login_args[] = {AUTH_LOGIN_ARG, AUTH_PASSWORD_ARG("password"),
                                                ARG_END};
static const struct op_arg auth_password_args[] = {
    AUTH_PASSWORD_ARG("old_password"),
    AUTH_PASSWORD_ARG("new_password"),
    ARG_END,
};
static const struct op_arg users_list_args[] = {{"q", ARG_STR, 0, .max = 100}, ARG_END};
static const struct op_arg users_id_args[] = {ARG_ROW_ID("id", ARG_REQUIRED), ARG_END};
static const struct op_arg users_set_password_args[] = {
    {"subdomain", ARG_STR, ARG_REQUIRED, .max = 63, .example = "\"example\""},
    AUTH_LOGIN_ARG,
    AUTH_PASSWORD_ARG("password"),
    ARG_END,
};
static const char *const audit_success_values[] = {"true", "false", NULL};
static const struct op_arg audit_list_args[] = {
    {"action", ARG_STR, 0, .max = 64},
    ARG_ROW_DATE("from", 0),
    ARG_ROW_DATE("to", 0),
    {"success", ARG_ENUM, 0, .values = audit_success_values},
    {"limit", ARG_INT, 0, .min = 1, .max = 500},
    {"offset", ARG_INT, 0, .min = 0, .max = 1000000},
    {"user_id", ARG_INT, 0, .min = 0, .max = INT64_MAX},
    ARG_END,
};
static const struct op_arg outbox_list_args[] = {
    {"status", ARG_STR, 0, .max = 16},
    {"channel", ARG_STR, 0, .max = 16},
    ARG_END,
};

const struct op auth_ops[] = {
    {"auth.me", OP_EMPLOYEE, auth_me, 0, args_none, WHO(WHO_USER)},
    {"auth.logout", OP_EMPLOYEE, auth_logout, OP_WRITE, args_none, WHO(WHO_USER)},
    {"auth.code", OP_TENANT, auth_code, OP_WRITE | OP_SIGNIN, auth_code_args},
    {"auth.consent", OP_TENANT, auth_consent, OP_SIGNIN, args_none},
    {"auth.activate", OP_TENANT, auth_activate, OP_WRITE | OP_SIGNIN, auth_with_code_args},
    {"auth.reset", OP_TENANT, auth_reset, OP_WRITE | OP_SIGNIN, auth_with_code_args},
    {"auth.login", OP_TENANT, auth_login, OP_WRITE | OP_SIGNIN, auth_login_args},
    {"auth.password", OP_EMPLOYEE, auth_password, OP_WRITE, auth_password_args, WHO(WHO_USER)},
    {"users.list", OP_ADMIN, users_list, 0, users_list_args},
    {"users.grant_admin", OP_ADMIN, users_grant_admin, OP_WRITE, users_id_args},
    {"users.revoke_admin", OP_ADMIN, users_revoke_admin, OP_WRITE, users_id_args},
    {"users.set_password", OP_OPERATOR, users_set_password, OP_WRITE, users_set_password_args},
    {"audit.list", OP_ADMIN, audit_list, 0, audit_list_args},
    {"outbox.list", OP_ADMIN, outbox_list, 0, outbox_list_args},
    {NULL, 0, NULL, 0, NULL},
};
