/*
 * cabinets.c - employees' cabinets: the list with its states, creating and
 * inviting in bulk, the settings under the gear, the delivery hook. See
 * cabinets.h for the routes and the states.
 *
 * Bulk work is set-based (a few statements per call, whatever the number
 * of employees) so 10 000 cabinets with their invitations are created in
 * seconds; invitations are written in chunks to keep cabinetd's memory
 * small.
 */
#include "cabinets.h"

#include "audit.h"
#include "buf.h"
#include "jsonx.h"
#include "log.h"
#include "ops.h"
#include "org.h"
#include "outbox.h"
#include "publication.h"
#include "ru.h"
#include "tenants.h"
#include "textenc.h"

#include <json-c/printbuf.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdlib.h>
#include <string.h>

#define CABINETS_PAGE_MAX    1000
#define CABINETS_CHUNK       200
#define CABINETS_TEXT_MAX    2000
#define CABINETS_TOKEN_BYTES 32

static const struct {
	const char *state, *title, *short_title;
} cabinets_states[] = {
    {"not_created", "Кабинет пока не создавался", "Не создан"},
    {"created_email", "Кабинет создан, можно отправлять приглашение на почту", "Создан: почта"},
    {"created_sms", "Кабинет создан, можно отправлять приглашение по SMS", "Создан: SMS"},
    {"create_failed", "Кабинет не получилось создать", "Не создан: ошибка"},
    {"email_failed", "Не получилось отправить приглашение на почту", "Ошибка письма"},
    {"sms_failed", "Не получилось отправить приглашение по SMS", "Ошибка SMS"},
    {"invited", "Приглашение отправлено, но сотрудник ещё не заходил в свой кабинет", "Приглашён"},
    {"signed_in", "Сотрудник зашёл в свой кабинет", "Вошёл"},
    {"disabled", "Доступ закрыт: сотрудник не опубликован или уволен, данные сохранены",
     "Отключён"},
};
#define CABINETS_NSTATES (sizeof(cabinets_states) / sizeof(cabinets_states[0]))

static const char CABINETS_DEFAULT_TEXT[] =
    "Здравствуйте, {ФИО}!\n\n"
    "{организация} приглашает вас в кабинет сотрудника: расчётные листки, остаток отпуска, "
    "табель, заявления и справки — в одном месте.\n\n"
    "Чтобы войти, откройте ссылку (она действует 7 дней):\n{ссылка}\n\n"
    "На ваш мобильный телефон придёт SMS с кодом подтверждения (или письмо, если телефона "
    "нет). Введите код и придумайте пароль.";
/* The default for SMS: two segments at most (134 Cyrillic characters) with
 * a usual organization name and link; a text of the administrator's goes
 * by both channels as written. */
static const char CABINETS_DEFAULT_SMS_TEXT[] =
    "{организация}: ваш кабинет сотрудника, ссылка на 7 дней {ссылка}";

/* The text an invitation by channel ("email", "sms") goes with. */
static const char *cabinets_text_for(const struct cabinets_settings *s, const char *channel)
{
	return s->text == CABINETS_DEFAULT_TEXT && strcmp(channel, "sms") == 0
	           ? CABINETS_DEFAULT_SMS_TEXT
	           : s->text;
}

static int cabinets_state_index(const char *state)
{
	for (size_t i = 0; i < CABINETS_NSTATES; i++)
		if (strcmp(cabinets_states[i].state, state) == 0)
			return (int)i;
	return -1;
}

/* ------------------------------------------------------------- arguments */

int cabinets_arg_flag(struct ctx *ctx, const char *name, int def)
{
	json_object *v = jsonx_get(ctx->args, name);
	const char *s;

	if (v == NULL || json_object_is_type(v, json_type_null))
		return def;
	if (json_object_is_type(v, json_type_boolean))
		return json_object_get_boolean(v);
	if (json_object_is_type(v, json_type_string)) {
		s = json_object_get_string(v);
		if (!strcmp(s, "1") || !strcmp(s, "on") || !strcmp(s, "true"))
			return 1;
		if (!*s || !strcmp(s, "0") || !strcmp(s, "off") || !strcmp(s, "false"))
			return 0;
	}
	ctx_field(ctx, name, "Да или нет: true или false");
	return -1;
}

/* args.employees: ids (JSON numbers, or digit strings from a form), each
 * once, in order; each must be an employee of the tenant (else a field
 * error employees[i], the same for another tenant's id). 0 or -1. */
int cabinets_read_ids(struct ctx *ctx, int64_t **ids, size_t *n)
{
	json_object *v = jsonx_get(ctx->args, "employees"), *list;
	struct buf b = BUF_INIT;
	PGresult *res;
	size_t len;
	int bad = 0;

	*ids = NULL;
	*n = 0;
	if (json_object_is_type(v, json_type_string) || json_object_is_type(v, json_type_int)) {
		list = arena_own(ctx->arena, json_object_new_array()); /* a form with one box */
		json_object_array_add(list, json_object_get(v));
	} else if (json_object_is_type(v, json_type_array)) {
		list = v;
	} else {
		return ctx_field_code(ctx, "employees", "required",
		                      "Выберите сотрудников: список их номеров, например [12, 15]");
	}
	len = json_object_array_length(list);
	if (len == 0)
		return ctx_field_code(ctx, "employees", "required",
		                      "Выберите хотя бы одного сотрудника");
	if (len > CABINETS_MAX_BATCH)
		return ctx_field(
		    ctx, "employees", "Не больше %d %s за раз", CABINETS_MAX_BATCH,
		    ru_plural(CABINETS_MAX_BATCH, "сотрудника", "сотрудников", "сотрудников"));
	buf_putc(&b, '{');
	for (size_t i = 0; i < len; i++) {
		json_object *x = json_object_array_get_idx(list, i);
		int64_t id = 0;
		if (json_object_is_type(x, json_type_int)) {
			id = json_object_get_int64(x);
		} else if (json_object_is_type(x, json_type_string)) {
			const char *s = json_object_get_string(x);
			char *end;
			id = *s ? strtoll(s, &end, 10) : 0;
			if (*s == '\0' || *end)
				id = 0;
		}
		if (id <= 0) {
			ctx_field(ctx, arena_printf(ctx->arena, "employees[%zu]", i),
			          "Номер сотрудника — целое положительное число");
			bad = 1;
			continue;
		}
		buf_printf(&b, "%s%lld", b.len > 1 ? "," : "", (long long)id);
	}
	buf_putc(&b, '}');
	if (bad) {
		buf_free(&b);
		return -1;
	}
	/* unknown ids, and each id once in the order first asked */
	res = ctx_sql(
	    ctx,
	    "SELECT x.id, x.n - 1, e.id IS NOT NULL FROM (SELECT DISTINCT ON (id) id, n FROM "
	    "unnest($2::bigint[]) WITH ORDINALITY u(id, n) ORDER BY id, n) x LEFT JOIN "
	    "employees e ON e.tenant_id = $1 AND e.id = x.id ORDER BY x.n",
	    ctx_i64(ctx, ctx->tenant_id), arena_strndup(ctx->arena, b.data, b.len));
	buf_free(&b);
	if (res == NULL)
		return -1;
	*ids = arena_alloc(ctx->arena, sizeof(int64_t) * ((size_t)PQntuples(res) + 1));
	for (int i = 0; i < PQntuples(res); i++) {
		if (strcmp(PQgetvalue(res, i, 2), "t") != 0) {
			ctx_field_code(
			    ctx, arena_printf(ctx->arena, "employees[%s]", PQgetvalue(res, i, 1)),
			    "not_found", "Нет сотрудника с номером %s", PQgetvalue(res, i, 0));
			bad = 1;
		}
		(*ids)[(*n)++] = atoll(PQgetvalue(res, i, 0));
	}
	return bad ? -1 : 0;
}

/* "{1,2,3}" of ids, in arena memory. */
static const char *cabinets_id_array(struct ctx *ctx, const int64_t *ids, size_t n)
{
	struct buf b = BUF_INIT;
	const char *out;

	buf_putc(&b, '{');
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i ? "," : "", (long long)ids[i]);
	buf_putc(&b, '}');
	out = arena_strndup(ctx->arena, b.data, b.len);
	buf_free(&b);
	return out;
}

void cabinets_results_init(struct ctx *ctx, struct cabinets_results *r, size_t cap)
{
	r->n = 0;
	r->other_channel = 0;
	r->cap = cap;
	r->ids = arena_alloc(ctx->arena, sizeof(*r->ids) * (cap + 1));
	r->states = arena_alloc(ctx->arena, sizeof(*r->states) * (cap + 1));
	r->errors = arena_alloc(ctx->arena, sizeof(*r->errors) * (cap + 1));
}

static void cabinets_result(struct cabinets_results *r, int64_t id, const char *state,
                            const char *error)
{
	if (r == NULL || r->n == r->cap)
		return;
	r->ids[r->n] = id;
	r->states[r->n] = state;
	r->errors[r->n++] = error;
}

/* A JSON string literal of s. Written here because json-c's escaper is
 * not public; the rest of the reply is json-c's. */
static void cabinets_json_string(struct printbuf *pb, const char *s)
{
	static const char hex[] = "0123456789abcdef";

	printbuf_strappend(pb, "\"");
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			char esc[2] = {'\\', (char)*p};
			printbuf_memappend(pb, esc, 2);
		} else if (*p < 0x20) {
			char esc[6] = {'\\', 'u', '0', '0', hex[*p >> 4], hex[*p & 15]};
			printbuf_memappend(pb, esc, 6);
		} else {
			printbuf_memappend(pb, (const char *)p, 1);
		}
	}
	printbuf_strappend(pb, "\"");
}

static int cabinets_results_write(json_object *jso, struct printbuf *pb, int level, int flags)
{
	const struct cabinets_results *r = json_object_get_userdata(jso);

	(void)level;
	(void)flags;
	printbuf_strappend(pb, "[");
	for (size_t i = 0; i < r->n; i++) {
		sprintbuf(pb, "%s{\"employee_id\":%lld,\"state\":", i ? "," : "",
		          (long long)r->ids[i]);
		cabinets_json_string(pb, r->states[i]);
		printbuf_strappend(pb, ",\"error\":");
		if (r->errors[i])
			cabinets_json_string(pb, r->errors[i]);
		else
			printbuf_strappend(pb, "null");
		printbuf_strappend(pb, "}");
	}
	printbuf_strappend(pb, "]");
	return 0;
}

/* The results as the reply's "results": an array written straight from r
 * (which lives in the request's arena, as the reply does). */
static json_object *cabinets_results_json(const struct cabinets_results *r)
{
	json_object *o = json_object_new_array();

	json_object_set_serializer(o, cabinets_results_write, (void *)r, NULL);
	return o;
}

/* ------------------------------------------------------ sign-in contacts */

int cabinets_contact_taken(struct ctx *ctx, int64_t employee, const char *email, const char *phone,
                           const char **field, const char **who)
{
	PGresult *res;

	if (email == NULL && phone == NULL)
		return 0;
	res = ctx_sql(ctx,
	              "SELECT CASE WHEN lower(o.email) = lower($3) THEN 'email' ELSE 'phone' END, "
	              "o.full_name FROM users o WHERE o.tenant_id = $1 AND o.employee_id IS "
	              "DISTINCT FROM $2 AND (lower(o.email) = lower($3) OR o.phone = $4) ORDER BY "
	              "1 LIMIT 1",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, employee), email, phone);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	*field = arena_strdup(ctx->arena, PQgetvalue(res, 0, 0));
	*who = arena_strdup(ctx->arena, PQgetvalue(res, 0, 1));
	return 1;
}

/* One element of a PostgreSQL text array literal: NULL, or the text quoted
 * with its quotes and backslashes escaped. */
static void cabinets_array_item(struct buf *b, const char *v)
{
	if (v == NULL) {
		buf_puts(b, "NULL");
		return;
	}
	buf_putc(b, '"');
	for (; *v; v++) {
		if (*v == '"' || *v == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *v);
	}
	buf_putc(b, '"');
}

/* Tells the account's owner on one contact (old or new) that the sign-in
 * email or phone changed (to_v NULL: was removed). */
static int cabinets_contact_notice(struct ctx *ctx, int64_t user, const char *org, const char *when,
                                   const char *channel, const char *to, const char *what,
                                   const char *from_v, const char *to_v)
{
	const char *text;

	if (to == NULL || *to == '\0')
		return 0;
	if (channel[0] == 's' && to_v) /* short: one or two SMS */
		text = arena_printf(ctx->arena,
		                    "%s: вход в кабинет сотрудника теперь по номеру %s. Не вы? "
		                    "Сообщите отделу кадров.",
		                    org, to_v);
	else if (channel[0] == 's')
		text = arena_printf(
		    ctx->arena,
		    "%s: вход в кабинет сотрудника по этому номеру больше не действует. "
		    "Не вы? Сообщите отделу кадров.",
		    org);
	else if (to_v)
		text = arena_printf(
		    ctx->arena,
		    "Кабинет сотрудника (%s), %s: %s изменён — был %s, теперь %s. Вход в кабинет, "
		    "коды подтверждения и уведомления теперь идут на новый.\n\nЕсли вы не просили "
		    "это изменение, сразу сообщите отделу кадров или администратору кабинета.",
		    org, when, what, from_v ? from_v : "не указан", to_v);
	else
		text = arena_printf(
		    ctx->arena,
		    "Кабинет сотрудника (%s), %s: %s %s удалён из карточки сотрудника. Вход в "
		    "кабинет, коды подтверждения и уведомления на него больше не идут.\n\nЕсли "
		    "это ошибка, сообщите отделу кадров или администратору кабинета.",
		    org, when, what, from_v);
	return outbox_enqueue(ctx, channel, to, "Изменён контакт для входа в кабинет сотрудника",
	                      text, "contact_changed", user);
}

int cabinets_contacts_follow(struct ctx *ctx, const struct cabinets_contacts_old *old, size_t n,
                             int *changed)
{
	struct buf ids = BUF_INIT, emails = BUF_INIT, phones = BUF_INIT;
	PGresult *res, *org;
	int bad = 0;

	if (changed)
		*changed = 0;
	if (n == 0)
		return 0;
	buf_putc(&ids, '{');
	buf_putc(&emails, '{');
	buf_putc(&phones, '{');
	for (size_t i = 0; i < n; i++) {
		buf_printf(&ids, "%s%lld", i ? "," : "", (long long)old[i].employee);
		buf_puts(&emails, i ? "," : "");
		buf_puts(&phones, i ? "," : "");
		cabinets_array_item(&emails, old[i].email);
		cabinets_array_item(&phones, old[i].phone);
	}
	buf_putc(&ids, '}');
	buf_putc(&emails, '}');
	buf_putc(&phones, '}');
	/* an account's contact follows the card where it was the card's old
	 * value (none and none alike): a change moves it, a removal drops it;
	 * an account without one takes the card's new one; a contact the card
	 * never held (the connecting administrator's, one set by hand) stays. The last way to sign
	 * in stays too (users' check). 0 user, 1/2 old email/phone, 3/4 new email/phone, 5/6
	 * whether they change, 7/8 the name of another account with the new
	 * email/phone */
	res = ctx_sql(
	    ctx,
	    "WITH o AS (SELECT * FROM unnest($2::bigint[], $3::text[], $4::text[]) AS o(emp, oe, "
	    "op)), f AS (SELECT u.id, u.email AS ue, u.phone AS up, u.login, CASE WHEN "
	    "lower(u.email) IS NOT DISTINCT FROM lower(o.oe) OR (u.email IS NULL AND "
	    "lower(e.email) IS DISTINCT FROM lower(o.oe)) THEN CASE WHEN e.email ~ "
	    "'^[^@\\s]+@[^@\\s]+$' THEN e.email END ELSE u.email END AS ne, CASE WHEN u.phone IS "
	    "NOT DISTINCT FROM o.op OR (u.phone IS NULL AND e.phone IS DISTINCT FROM o.op) THEN "
	    "CASE WHEN e.phone ~ '^\\+7[0-9]{10}$' THEN e.phone END "
	    "ELSE u.phone END AS np FROM o JOIN users u ON u.tenant_id = $1 AND u.employee_id = "
	    "o.emp JOIN employees e ON e.tenant_id = u.tenant_id AND e.id = u.employee_id FOR "
	    "UPDATE OF u), c AS (SELECT id, ue, up, CASE WHEN ne IS NULL AND np IS NULL AND login "
	    "IS NULL THEN ue ELSE ne END AS ne, CASE WHEN ne IS NULL AND np IS NULL AND login IS "
	    "NULL THEN up ELSE np END AS np FROM f) "
	    "SELECT c.id, c.ue, c.up, c.ne, c.np, lower(c.ne) IS DISTINCT FROM lower(c.ue), c.np "
	    "IS "
	    "DISTINCT FROM c.up, (SELECT min(o.full_name) FROM users o WHERE o.tenant_id = $1 AND "
	    "o.id <> c.id AND lower(o.email) = lower(c.ne)), (SELECT min(o.full_name) FROM users o "
	    "WHERE o.tenant_id = $1 AND o.id <> c.id AND o.phone = c.np) FROM c WHERE lower(c.ne) "
	    "IS DISTINCT FROM lower(c.ue) OR c.np IS DISTINCT FROM c.up ORDER BY c.id",
	    ctx_i64(ctx, ctx->tenant_id), arena_strndup(ctx->arena, ids.data, ids.len),
	    arena_strndup(ctx->arena, emails.data, emails.len),
	    arena_strndup(ctx->arena, phones.data, phones.len));
	buf_free(&ids);
	buf_free(&emails);
	buf_free(&phones);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	for (int i = 0; i < PQntuples(res); i++) {
		if (!PQgetisnull(res, i, 3) && !PQgetisnull(res, i, 7))
			bad = ctx_field_code(ctx, "email", "taken",
			                     "Эта почта — адрес входа другого кабинета (%s)",
			                     PQgetvalue(res, i, 7));
		if (!PQgetisnull(res, i, 4) && !PQgetisnull(res, i, 8))
			bad = ctx_field_code(ctx, "phone", "taken",
			                     "Этот телефон — телефон входа другого кабинета (%s)",
			                     PQgetvalue(res, i, 8));
	}
	if (bad)
		return ctx_fail_about(ctx, PROTO_ERR_conflict,
		                      "Почта или телефон уже служат для входа в другой кабинет");
	org =
	    ctx_sql(ctx, "SELECT name, " ORG_TIME_SQL("now()", "$2") " FROM tenants WHERE id = $1",
	            ctx_i64(ctx, ctx->tenant_id), org_time_zone(ctx));
	if (org == NULL || PQntuples(org) != 1)
		return org ? ctx_fail(ctx, PROTO_ERR_internal, NULL) : -1;
	for (int i = 0; i < PQntuples(res); i++) {
		int64_t user = atoll(PQgetvalue(res, i, 0));
		const char *oe = PQgetisnull(res, i, 1) ? NULL : PQgetvalue(res, i, 1),
		           *op = PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2),
		           *ne = PQgetisnull(res, i, 3) ? NULL : PQgetvalue(res, i, 3),
		           *np = PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4);
		int de = strcmp(PQgetvalue(res, i, 5), "t") == 0,
		    dp = strcmp(PQgetvalue(res, i, 6), "t") == 0;
		const char *name = PQgetvalue(org, 0, 0), *when = PQgetvalue(org, 0, 1);
		char a[RU_PHONE_BUFSZ], b[RU_PHONE_BUFSZ];
		if (ctx_sql(ctx,
		            "UPDATE users SET email = CASE WHEN $5 THEN $3 ELSE email END, phone = "
		            "CASE WHEN $6 THEN $4 ELSE phone END WHERE tenant_id = $1 AND id = $2",
		            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, user), ne, np,
		            de ? "true" : "false", dp ? "true" : "false") == NULL)
			return -1;
		if (de && (cabinets_contact_notice(ctx, user, name, when, "email", oe,
		                                   "адрес почты для входа", oe, ne) < 0 ||
		           cabinets_contact_notice(ctx, user, name, when, "email", ne,
		                                   "адрес почты для входа", oe, ne) < 0))
			return -1;
		if (dp) {
			const char *of = op ? ru_format_phone(op, a, sizeof a) : NULL,
			           *nf = np ? ru_format_phone(np, b, sizeof b) : NULL;
			if (cabinets_contact_notice(ctx, user, name, when, "sms", op,
			                            "телефон для входа", of, nf) < 0 ||
			    cabinets_contact_notice(ctx, user, name, when, "sms", np,
			                            "телефон для входа", of, nf) < 0)
				return -1;
		}
		if (audit_log(ctx, "auth.contacts_changed", 1, "user", ctx_i64(ctx, user),
		              audit_detail("fields", de && dp ? "email,phone"
		                                     : de     ? "email"
		                                              : "phone")) < 0)
			return -1;
	}
	if (changed)
		*changed = PQntuples(res);
	return 0;
}

/* -------------------------------------------------------------- settings */

/* The settings; with lock, the tenant's row is locked as it is read (a
 * change merges onto them: the second of two changes at once waits and
 * reads the first one's values, so keys it leaves out keep them). One
 * table, so the read after a wait is the row as the first one left it. */
static int cabinets_settings_read(struct ctx *ctx, struct cabinets_settings *s, int lock)
{
	PGresult *res = ctx_sql(
	    ctx,
	    arena_printf(ctx->arena,
	                 "SELECT coalesce((settings->>'cabinets_auto_create')::boolean, "
	                 "false), coalesce((settings->>'cabinets_auto_invite')::boolean, "
	                 "false), coalesce((settings->>'invitation_ask_login')::boolean, "
	                 "false), settings->>'invitation_text' FROM tenants WHERE id = $1%s",
	                 lock ? " FOR NO KEY UPDATE" : ""),
	    ctx_i64(ctx, ctx->tenant_id));

	memset(s, 0, sizeof(*s));
	s->text = CABINETS_DEFAULT_TEXT;
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, NULL);
	s->auto_create = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
	s->auto_invite = strcmp(PQgetvalue(res, 0, 1), "t") == 0;
	s->ask_login = strcmp(PQgetvalue(res, 0, 2), "t") == 0;
	if (!PQgetisnull(res, 0, 3) && *PQgetvalue(res, 0, 3))
		s->text = PQgetvalue(res, 0, 3);
	return 0;
}

int cabinets_settings_load(struct ctx *ctx, struct cabinets_settings *s)
{
	return cabinets_settings_read(ctx, s, 0);
}

static const char *const cabinets_placeholders[] = {"{ФИО}", "{ссылка}", "{организация}"};

/* The text with its placeholders filled (one pass: a value is never read
 * as a placeholder), appended to b. */
static void cabinets_render(struct buf *b, const char *text, const char *name, const char *link,
                            const char *org)
{
	const char *values[] = {name, link, org};

	for (const char *p = text; *p;) {
		size_t k = 0;
		for (; *p == '{' && k < 3; k++)
			if (strncmp(p, cabinets_placeholders[k],
			            strlen(cabinets_placeholders[k])) == 0)
				break;
		if (*p == '{' && k < 3) {
			buf_puts(b, values[k]);
			p += strlen(cabinets_placeholders[k]);
		} else {
			buf_putc(b, *p++);
		}
	}
}

static int cabinets_settings_reply(struct ctx *ctx)
{
	struct cabinets_settings s;
	json_object *r = ctx_result(ctx), *ph;

	if (cabinets_settings_load(ctx, &s) < 0)
		return -1;
	ph = json_object_new_array();
	jsonx_set_bool(r, "auto_create", s.auto_create);
	jsonx_set_bool(r, "auto_invite", s.auto_invite);
	jsonx_set_bool(r, "ask_login", s.ask_login);
	jsonx_set_str(r, "invitation_text", s.text);
	jsonx_set_bool(r, "invitation_text_default", s.text == CABINETS_DEFAULT_TEXT);
	for (size_t i = 0; i < 3; i++)
		json_object_array_add(ph, json_object_new_string(cabinets_placeholders[i]));
	json_object_object_add(r, "placeholders", ph);
	jsonx_set_str(r, "invitation_sms_text", cabinets_text_for(&s, "sms"));
	for (int sms = 0; sms < 2; sms++) {
		struct buf b = BUF_INIT;
		cabinets_render(
		    &b, cabinets_text_for(&s, sms ? "sms" : "email"), "Иванова Анна Сергеевна",
		    arena_printf(ctx->arena, "%sinvite/…",
		                 tenants_url(ctx, ctx->subdomain ? ctx->subdomain : "demo")),
		    "ООО «Ромашка»");
		jsonx_set_str(r, sms ? "example_sms" : "example",
		              arena_strndup(ctx->arena, b.data, b.len));
		buf_free(&b);
	}
	return 0;
}

/* GET /api/admin/cabinets/settings */
static int cabinets_settings_get(struct ctx *ctx)
{
	return cabinets_settings_reply(ctx);
}

/* Checks an invitation text: the link is there, placeholders are known. */
static int cabinets_check_text(struct ctx *ctx, const char *text)
{
	if (strstr(text, "{ссылка}") == NULL)
		return ctx_field_code(ctx, "invitation_text", "required",
		                      "В тексте приглашения должна быть ссылка: вставьте {ссылка}");
	for (const char *p = strchr(text, '{'); p; p = strchr(p + 1, '{')) {
		const char *end = strchr(p, '}');
		size_t k;
		if (end == NULL)
			break;
		for (k = 0; k < 3; k++)
			if (strncmp(p, cabinets_placeholders[k],
			            strlen(cabinets_placeholders[k])) == 0)
				break;
		if (k == 3 && end - p < 40)
			return ctx_field_code(ctx, "invitation_text", "format",
			                      "Неизвестная подстановка %.*s: можно {ФИО}, {ссылка} "
			                      "и {организация}",
			                      (int)(end - p + 1), p);
	}
	return 0;
}

/* The invitation text of a request: several lines (a form's CR LF become
 * LF), no other control characters, at most CABINETS_TEXT_MAX characters.
 * NULL with a field error. */
static const char *cabinets_read_text(struct ctx *ctx, json_object *v)
{
	struct buf b = BUF_INIT;
	const char *s, *out;
	size_t chars = 0;

	if (!json_object_is_type(v, json_type_string)) {
		ctx_field_code(ctx, "invitation_text", "type", "Текст приглашения — строка");
		return NULL;
	}
	s = json_object_get_string(v);
	if ((size_t)json_object_get_string_len(v) != strlen(s)) {
		ctx_field(ctx, "invitation_text", "Недопустимые управляющие символы");
		return NULL;
	}
	{
		unsigned cp;
		const char *what;
		char why[160];
		if (textenc_invisible_at(s, strlen(s), 1, &cp, &what) < strlen(s)) {
			ctx_field(ctx, "invitation_text", "%s",
			          textenc_invisible_why(cp, what, why, sizeof(why)));
			return NULL;
		}
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\r')
			continue;
		chars += (*p & 0xc0) != 0x80;
		buf_putc(&b, (char)*p);
	}
	if (chars > CABINETS_TEXT_MAX) {
		buf_free(&b);
		ctx_field_code(ctx, "invitation_text", "too_long", "Не длиннее %d %s",
		               CABINETS_TEXT_MAX,
		               ru_plural(CABINETS_TEXT_MAX, "символа", "символов", "символов"));
		return NULL;
	}
	out = b.len ? arena_strndup(ctx->arena, b.data, b.len) : "";
	buf_free(&b);
	return out;
}

/* PUT /api/admin/cabinets/settings {"auto_create", "auto_invite", "ask_login",
 * "invitation_text"}: keys left out keep their values; an empty text is the
 * default one again. */
static int cabinets_settings_set(struct ctx *ctx)
{
	struct cabinets_settings s;
	json_object *set = json_object_new_object(), *tv;
	const char *text = NULL;
	int a, i, l;

	arena_own(ctx->arena, set);
	if (cabinets_settings_read(ctx, &s, 1) < 0)
		return -1;
	a = cabinets_arg_flag(ctx, "auto_create", s.auto_create);
	i = cabinets_arg_flag(ctx, "auto_invite", s.auto_invite);
	l = cabinets_arg_flag(ctx, "ask_login", s.ask_login);
	tv = jsonx_get(ctx->args, "invitation_text");
	if (tv && !json_object_is_type(tv, json_type_null)) {
		text = cabinets_read_text(ctx, tv);
		if (text && *text && cabinets_check_text(ctx, text) < 0)
			text = NULL;
	} else if (tv == NULL) {
		text = s.text == CABINETS_DEFAULT_TEXT ? "" : s.text;
	} else {
		text = "";
	}
	if (a < 0 || i < 0 || l < 0 || text == NULL || ctx->error >= 0)
		return -1;
	jsonx_set_bool(set, "cabinets_auto_create", a);
	jsonx_set_bool(set, "cabinets_auto_invite", i);
	jsonx_set_bool(set, "invitation_ask_login", l);
	if (ctx_sql(
	        ctx,
	        "UPDATE tenants SET settings = (settings || $2::jsonb) - CASE WHEN $3 = '' THEN "
	        "'invitation_text' ELSE '' END || CASE WHEN $3 = '' THEN '{}'::jsonb ELSE "
	        "jsonb_build_object('invitation_text', $3::text) END WHERE id = $1",
	        ctx_i64(ctx, ctx->tenant_id), jsonx_dump(set, NULL), text) == NULL)
		return -1;
	json_object_object_del(set, "invitation_text");
	jsonx_set_bool(set, "invitation_text_changed",
	               strcmp(text, s.text == CABINETS_DEFAULT_TEXT ? "" : s.text) != 0);
	if (audit_log(ctx, "cabinets.settings_set", 1, "tenant", NULL, json_object_get(set)) < 0)
		return -1;
	return cabinets_settings_reply(ctx);
}

/* ------------------------------------------------------------------ list */

/* The list's filter, for statements whose $1 is the tenant, $2 the state
 * (NULL: all but disabled) and $3 the search text (NULL: none): the CTEs
 * to begin with, then the FROM and WHERE over employees e and cabinets c. */
#define CABINETS_LIST_CTE                                                                          \
	"WITH RECURSIVE " PUBLICATION_CTE(                                                         \
	    "applied") ", pat AS (SELECT '%' || "                                                  \
	               "replace(replace(replace(translate(lower($3), 'ё', 'е'), '\\', '\\\\'), " \
	               "'%', '\\%'), '_', "                                                        \
	               "'\\_') || '%' AS p) "
#define CABINETS_LIST_FROM                                                                         \
	" FROM employees e CROSS JOIN pub CROSS JOIN pat LEFT JOIN cabinets c ON c.tenant_id = "   \
	"e.tenant_id AND c.employee_id = e.id WHERE e.tenant_id = $1 AND CASE WHEN $2::text = "    \
	"'disabled' THEN c.state = 'disabled' ELSE coalesce(c.state, '') <> 'disabled' AND "       \
	"(c.state IS NOT NULL OR " PUBLICATION_PUBLISHED ") AND ($2::text IS NULL OR "             \
	"coalesce(c.state, 'not_created') = $2) END AND ($3::text IS NULL OR "                     \
	"e.search_name LIKE pat.p OR lower(e.personnel_number) LIKE "                              \
	"pat.p)"

/* Reads ?state= and ?q= of the list; -1 with a field error. */
static int cabinets_filter_args(struct ctx *ctx, const char **state, const char **q)
{
	*q = ctx_arg_str(ctx, "q", 200, 0);
	*state = ctx_arg_str(ctx, "state", 20, 0);
	if (*q && !**q)
		*q = NULL;
	if (*state && !**state)
		*state = NULL;
	if (*state && cabinets_state_index(*state) < 0)
		return ctx_field(ctx, "state",
		                 "Состояние кабинета: not_created, created_email, created_sms, "
		                 "create_failed, email_failed, sms_failed, invited, signed_in или "
		                 "disabled");
	return ctx->error >= 0 ? -1 : 0;
}

/* The list of cabinets into the result; page: what the admin page adds
 * (titles, the legend, pages). */
static int cabinets_list_fill(struct ctx *ctx, int page)
{
	const char *q, *state;
	json_object *r = ctx_result(ctx), *items = json_object_new_array(),
	            *counts = json_object_new_object();
	int64_t limit, offset, all = 0;
	PGresult *res;

	json_object_object_add(r, "items", items);
	json_object_object_add(r, "counts", counts); /* owned by the result from here */
	ctx_arg_int(ctx, "limit", 1, CABINETS_PAGE_MAX, page ? 100 : 50, &limit);
	ctx_arg_int(ctx, "offset", 0, INT32_MAX, 0, &offset);
	if (cabinets_filter_args(ctx, &state, &q) < 0)
		return -1;
	/* one pass: the visible cabinets (base, materialized), the filtered
	 * list and its page, the total and the counts by state; the columns of
	 * the page (department, time) only for its rows */
	res = ctx_sql(
	    ctx,
	    CABINETS_LIST_CTE
	    ", base AS (SELECT e.id, e.full_name, e.search_name, e.personnel_number, "
	    "e.department_id, "
	    "e.email IS NOT NULL AS has_email, e.phone IS NOT NULL AS has_phone, coalesce(c.state, "
	    "'not_created') AS state, c.error, c.state_at FROM employees e CROSS JOIN pub LEFT "
	    "JOIN cabinets c ON c.tenant_id = e.tenant_id AND c.employee_id = e.id WHERE "
	    "e.tenant_id = $1 AND (c.state IS NOT NULL OR " PUBLICATION_PUBLISHED "))"
	    ", list AS (SELECT base.*, base.search_name AS sort FROM base "
	    "CROSS JOIN pat WHERE CASE WHEN $2::text = 'disabled' THEN base.state = 'disabled' "
	    "ELSE base.state <> 'disabled' AND ($2::text IS NULL OR base.state = $2) END AND "
	    "($3::text IS NULL OR base.search_name LIKE pat.p OR "
	    "lower(base.personnel_number) LIKE pat.p))"
	    ", page AS (SELECT * FROM list ORDER BY sort, id LIMIT $4 OFFSET $5)"
	    " SELECT t.total, t.counts, page.id, page.full_name, page.personnel_number, "
	    "page.state, page.error, d.name, to_char(page.state_at AT TIME ZONE t.tz, "
	    "'DD.MM.YYYY HH24:MI'), page.has_email, page.has_phone FROM (SELECT (SELECT count(*) "
	    "FROM list) AS total, (SELECT json_object_agg(x.state, x.n) FROM (SELECT state, "
	    "count(*) AS n FROM base GROUP BY state) x)::text AS counts, app_timezone() AS tz) t "
	    "LEFT JOIN page ON true LEFT JOIN departments d ON d.tenant_id = $1 AND d.id = "
	    "page.department_id ORDER BY page.sort, page.id",
	    ctx_i64(ctx, ctx->tenant_id), state, q, ctx_i64(ctx, limit), ctx_i64(ctx, offset));
	if (res == NULL)
		return -1;
	for (size_t i = 0; i < CABINETS_NSTATES; i++)
		jsonx_set_int(counts, cabinets_states[i].state, 0);
	if (!PQgetisnull(res, 0, 1)) {
		json_object *got = json_tokener_parse(PQgetvalue(res, 0, 1));
		json_object_object_foreach(got, key, val)
		{
			jsonx_set_int(counts, key, json_object_get_int64(val));
			if (strcmp(key, "disabled") != 0)
				all += json_object_get_int64(val);
		}
		json_object_put(got);
	}
	jsonx_set_int(r, "total", atoll(PQgetvalue(res, 0, 0)));
	for (int i = 0; i < PQntuples(res) && !PQgetisnull(res, i, 2); i++) {
		json_object *it = json_object_new_object();
		const char *st = PQgetvalue(res, i, 5);
		jsonx_set_int(it, "employee_id", atoll(PQgetvalue(res, i, 2)));
		jsonx_set_str(it, "full_name", PQgetvalue(res, i, 3));
		jsonx_set_str(it, "personnel_number",
		              PQgetisnull(res, i, 4) ? NULL : PQgetvalue(res, i, 4));
		jsonx_set_str(it, "state", st);
		jsonx_set_str(it, "error", PQgetisnull(res, i, 6) ? NULL : PQgetvalue(res, i, 6));
		if (page) {
			int k = cabinets_state_index(st);
			jsonx_set_str(it, "problem",
			              PQgetisnull(res, i, 6) ? NULL : PQgetvalue(res, i, 6));
			jsonx_set_str(it, "state_title", k >= 0 ? cabinets_states[k].title : st);
			jsonx_set_str(it, "department",
			              PQgetisnull(res, i, 7) ? NULL : PQgetvalue(res, i, 7));
			jsonx_set_str(it, "state_at_ru",
			              PQgetisnull(res, i, 8) ? NULL : PQgetvalue(res, i, 8));
			jsonx_set_bool(it, "has_email", strcmp(PQgetvalue(res, i, 9), "t") == 0);
			jsonx_set_bool(it, "has_phone", strcmp(PQgetvalue(res, i, 10), "t") == 0);
		}
		json_object_array_add(items, it);
	}
	jsonx_set_int(r, "limit", limit);
	jsonx_set_int(r, "offset", offset);
	if (page) {
		/* the legend and the filter buttons; pages of the list */
		json_object *legend = json_object_new_array();
		int64_t total = json_object_get_int64(jsonx_get(r, "total"));
		for (size_t i = 0; i < CABINETS_NSTATES; i++) {
			json_object *l = json_object_new_object();
			jsonx_set_str(l, "state", cabinets_states[i].state);
			jsonx_set_str(l, "title", cabinets_states[i].title);
			jsonx_set_str(l, "short", cabinets_states[i].short_title);
			jsonx_set_int(
			    l, "count",
			    json_object_get_int64(jsonx_get(counts, cabinets_states[i].state)));
			jsonx_set_bool(l, "active",
			               state && strcmp(state, cabinets_states[i].state) == 0);
			json_object_array_add(legend, l);
		}
		json_object_object_add(r, "legend", legend);
		jsonx_set_int(r, "all", all);
		jsonx_set_bool(r, "no_filter", state == NULL);
		jsonx_set_str(r, "state", state);
		jsonx_set_str(r, "q", q && *q ? q : NULL);
		jsonx_set_pages(r, total, limit, offset, 200);
	}
	return 0;
}

/* GET /api/admin/cabinets */
static int cabinets_list(struct ctx *ctx)
{
	return cabinets_list_fill(ctx, 0);
}

/* GET /admin/cabinets (the page) */
static int cabinets_page(struct ctx *ctx)
{
	return cabinets_list_fill(ctx, 1);
}

/* The employees the list's filter shows, all of them (the page's "all by
 * the filter"). 0 or -1. */
static int cabinets_filter_ids(struct ctx *ctx, int64_t **ids, size_t *n)
{
	const char *q, *state;
	PGresult *res;

	if (cabinets_filter_args(ctx, &state, &q) < 0)
		return -1;
	res = ctx_sql(ctx,
	              CABINETS_LIST_CTE "SELECT e.id" CABINETS_LIST_FROM
	                                " ORDER BY e.search_name, e.id LIMIT $4",
	              ctx_i64(ctx, ctx->tenant_id), state, q, ctx_i64(ctx, CABINETS_MAX_BATCH));
	if (res == NULL)
		return -1;
	*ids = arena_alloc(ctx->arena, sizeof(int64_t) * ((size_t)PQntuples(res) + 1));
	*n = 0;
	for (int i = 0; i < PQntuples(res); i++)
		(*ids)[(*n)++] = atoll(PQgetvalue(res, i, 0));
	if (*n == 0)
		return ctx_field_code(ctx, "employees", "required", "По этому фильтру никого нет");
	return 0;
}

/* ---------------------------------------------------------------- create */

/* Why an employee's cabinet cannot be created, from the candidate row of
 * cabinets_create (NULL: it can). */
static const char *cabinets_create_problem(struct ctx *ctx, PGresult *res, int i)
{
#define V(col)   PQgetvalue(res, i, col)
#define T(col)   (strcmp(V(col), "t") == 0)
#define NUL(col) PQgetisnull(res, i, col)
	if (!T(2))
		return "Сотрудник уволен: кабинет не создаётся";
	if (!T(3))
		return "Не указаны ни электронная почта, ни мобильный телефон: добавьте хотя бы "
		       "одно, чтобы создать кабинет";
	if (!T(1))
		return "Сотрудник не включён в публикацию: выберите его подразделение или "
		       "должность в настройке публикации и обновите публикацию";
	if (!NUL(4) && !T(6))
		return arena_printf(ctx->arena,
		                    "Электронная почта «%s» не подходит для входа в кабинет", V(4));
	if (!NUL(5) && !T(7))
		return arena_printf(ctx->arena,
		                    "Телефон «%s» не подходит для входа: нужен мобильный номер "
		                    "России, +7 и 10 цифр",
		                    V(5));
	if (!NUL(8))
		return arena_printf(ctx->arena,
		                    "Почта %s уже указана в кабинете другого человека (%s): "
		                    "исправьте почту сотрудника",
		                    V(4), V(8));
	if (!NUL(9))
		return arena_printf(ctx->arena,
		                    "Телефон %s уже указан в кабинете другого человека (%s): "
		                    "исправьте телефон сотрудника",
		                    V(5), V(9));
	if (T(10))
		return arena_printf(ctx->arena,
		                    "Почта %s указана и у другого сотрудника из этого списка: "
		                    "кабинет с ней создан для него",
		                    V(4));
	if (T(11))
		return arena_printf(ctx->arena,
		                    "Телефон %s указан и у другого сотрудника из этого списка: "
		                    "кабинет с ним создан для него",
		                    V(5));
	return NULL;
#undef V
#undef T
#undef NUL
}

int cabinets_create(struct ctx *ctx, const int64_t *ids, size_t n, struct cabinets_results *results,
                    int *created, int *failed, int *invited)
{
	struct cabinets_settings s;
	json_object *bad = arena_own(ctx->arena, json_object_new_array());
	int64_t *made = arena_alloc(ctx->arena, sizeof(int64_t) * (n + 1));
	size_t nmade = 0;
	const char **states, **errors;
	int *row_of;
	PGresult *res;
	int nfailed = 0;

	if (created)
		*created = 0;
	if (failed)
		*failed = 0;
	if (invited)
		*invited = 0;
	if (n == 0)
		return 0;
	if (cabinets_settings_load(ctx, &s) < 0)
		return -1;
	/* every candidate with what decides: 0 id, 1 in scope, 2 working,
	 * 3 has a contact, 4 email, 5 phone, 6/7 their forms fit an account,
	 * 8/9 the name of another cabinet with that email/phone, 10/11 the
	 * email/phone is an earlier candidate's, 12 state, 13 has a cabinet */
	res = ctx_sql(
	    ctx,
	    "WITH RECURSIVE " PUBLICATION_CTE(
	        "applied") ", cand AS (SELECT x.n, e.id, e.email, e.phone, c.state, u.id AS "
	                   "uid, " PUBLICATION_IN_SCOPE " AS scope, " PUBLICATION_WORKING
	                   " AS working, " PUBLICATION_HAS_CONTACT
	                   " AS contact FROM unnest($2::bigint[]) WITH ORDINALITY x(id, n) JOIN "
	                   "employees e ON e.tenant_id = $1 AND e.id = x.id CROSS JOIN pub LEFT "
	                   "JOIN "
	                   "cabinets c ON c.tenant_id = $1 AND c.employee_id = e.id LEFT JOIN "
	                   "users u "
	                   "ON u.tenant_id = $1 AND u.employee_id = e.id), "
	                   "ue AS (SELECT lower(o.email) AS k, min(o.full_name) AS who FROM users "
	                   "o "
	                   "WHERE o.tenant_id = $1 AND o.email IS NOT NULL GROUP BY 1), "
	                   "up AS (SELECT o.phone AS k, min(o.full_name) AS who FROM users o WHERE "
	                   "o.tenant_id = $1 AND o.phone IS NOT NULL GROUP BY 1), "
	                   "ok AS (SELECT cand.*, cand.uid IS NULL AND cand.scope AND cand.working "
	                   "AND "
	                   "cand.contact AS eligible FROM cand) "
	                   "SELECT ok.id, ok.scope, ok.working, ok.contact, ok.email, ok.phone, "
	                   "ok.email ~ '^[^@\\s]+@[^@\\s]+$', ok.phone ~ '^\\+7[0-9]{10}$', "
	                   "ue.who, "
	                   "up.who, ok.email IS NOT NULL AND ok.eligible AND row_number() OVER "
	                   "(PARTITION BY ok.eligible, lower(ok.email) ORDER BY ok.n) > 1, "
	                   "ok.phone IS "
	                   "NOT NULL AND ok.eligible AND row_number() OVER (PARTITION BY "
	                   "ok.eligible, "
	                   "ok.phone ORDER BY ok.n) > 1, ok.state, ok.uid IS NOT NULL "
	                   "FROM ok LEFT JOIN ue ON ok.uid IS NULL AND ue.k = lower(ok.email) "
	                   "LEFT JOIN up ON ok.uid IS NULL AND up.k = ok.phone ORDER BY ok.n",
	    ctx_i64(ctx, ctx->tenant_id), cabinets_id_array(ctx, ids, n));
	if (res == NULL)
		return -1;
	/* each row's answer: its state now (an existing cabinet keeps its own),
	 * or why it cannot be created */
	states = arena_alloc(ctx->arena, sizeof(*states) * ((size_t)PQntuples(res) + 1));
	errors = arena_alloc(ctx->arena, sizeof(*errors) * ((size_t)PQntuples(res) + 1));
	row_of = arena_alloc(ctx->arena, sizeof(*row_of) * ((size_t)PQntuples(res) + 1));
	for (int i = 0; i < PQntuples(res); i++) {
		const char *why;
		json_object *o;
		errors[i] = NULL;
		if (strcmp(PQgetvalue(res, i, 13), "t") == 0) {
			states[i] = PQgetvalue(res, i, 12); /* a cabinet already */
			continue;
		}
		why = cabinets_create_problem(ctx, res, i);
		if (why == NULL) {
			states[i] = PQgetisnull(res, i, 4) ? "created_sms" : "created_email";
			row_of[nmade] = i;
			made[nmade++] = atoll(PQgetvalue(res, i, 0));
			continue;
		}
		states[i] = "create_failed";
		errors[i] = why;
		o = json_object_new_object();
		jsonx_set_int(o, "employee_id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(o, "error", why);
		json_object_array_add(bad, o);
		nfailed++;
	}
	/* the accounts; their cabinets (created_*) come with them (trigger
	 * users_cabinets, sql/0045_cabinets.sql) */
	if (nmade &&
	    ctx_sql(ctx,
	            "INSERT INTO users (tenant_id, employee_id, full_name, email, phone) "
	            "SELECT e.tenant_id, e.id, e.full_name, e.email, e.phone FROM employees "
	            "e WHERE e.tenant_id = $1 AND e.id = ANY ($2::bigint[])",
	            ctx_i64(ctx, ctx->tenant_id), cabinets_id_array(ctx, made, nmade)) == NULL)
		return -1;
	if (nfailed && ctx_sql(ctx,
	                       "INSERT INTO cabinets AS c (tenant_id, employee_id, state, error) "
	                       "SELECT $1, r.employee_id, 'create_failed', r.error FROM "
	                       "jsonb_to_recordset($2::jsonb) AS r(employee_id bigint, error text) "
	                       "ON CONFLICT (tenant_id, employee_id) DO UPDATE SET state = "
	                       "'create_failed', error = EXCLUDED.error, state_at = now()",
	                       ctx_i64(ctx, ctx->tenant_id), jsonx_dump(bad, NULL)) == NULL)
		return -1;
	if (created)
		*created = (int)nmade;
	if (failed)
		*failed = nfailed;
	{
		json_object *d = json_object_new_object();
		jsonx_set_int(d, "employees", (int64_t)n);
		jsonx_set_int(d, "created", (int64_t)nmade);
		jsonx_set_int(d, "failed", nfailed);
		if (audit_log(ctx, "cabinets.created", 1, n == 1 ? "employee" : NULL,
		              n == 1 ? ctx_i64(ctx, ids[0]) : NULL, d) < 0)
			return -1;
	}
	if (nmade && s.auto_invite) {
		struct cabinets_results inv;
		if (results)
			cabinets_results_init(ctx, &inv, nmade);
		if (cabinets_invite(ctx, made, nmade, NULL, results ? &inv : NULL, invited, NULL) <
		    0)
			return -1;
		for (size_t k = 0; results && k < inv.n; k++) {
			states[row_of[k]] = inv.states[k];
			errors[row_of[k]] = inv.errors[k];
		}
	}
	for (int i = 0; results && i < PQntuples(res); i++)
		cabinets_result(results, atoll(PQgetvalue(res, i, 0)), states[i], errors[i]);
	return 0;
}

/* POST /api/admin/cabinets/create {"employees": [ids]} */
static int cabinets_create_op(struct ctx *ctx)
{
	struct cabinets_results *results = arena_alloc(ctx->arena, sizeof(*results));
	int64_t *ids;
	size_t n;
	int created, failed;

	if (cabinets_read_ids(ctx, &ids, &n) < 0)
		return -1;
	cabinets_results_init(ctx, results, n);
	json_object_object_add(ctx_result(ctx), "results", cabinets_results_json(results));
	if (cabinets_create(ctx, ids, n, results, &created, &failed, NULL) < 0)
		return -1;
	jsonx_set_int(ctx_result(ctx), "created", created);
	jsonx_set_int(ctx_result(ctx), "failed", failed);
	return 0;
}

/* ---------------------------------------------------------------- invite */

/* A one-time token (base64url of 32 random bytes) and the hex of its
 * SHA-256, as invitations.token_hash stores it. */
static int cabinets_token(char token[64], char hash[65])
{
	unsigned char raw[CABINETS_TOKEN_BYTES], d[32];
	unsigned int dn = 0;
	int len;

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return -1;
	len = EVP_EncodeBlock((unsigned char *)token, raw, sizeof(raw));
	while (len > 0 && token[len - 1] == '=')
		len--;
	token[len] = '\0';
	for (int i = 0; i < len; i++)
		token[i] = token[i] == '+' ? '-' : token[i] == '/' ? '_' : token[i];
	EVP_Digest(token, (size_t)len, d, &dn, EVP_sha256(), NULL);
	hex_encode(hash, d, 32);
	return 0;
}

struct cabinets_sent {
	int64_t employee_id;
	int index; /* into the chunk's messages */
};

static int cabinets_sent_cmp(const void *a, const void *b)
{
	const struct cabinets_sent *x = a, *y = b;

	return x->employee_id < y->employee_id ? -1 : x->employee_id > y->employee_id;
}

/* Writes one chunk: the invitations (older live ones of the same employees
 * revoked), their messages, the cabinets' states. inv: [{"employee_id",
 * "user_id", "channel", "hash"}], msgs: the messages in the same order
 * (ref_id filled here), states: [{"employee_id", "state", "error",
 * "channel"}]. */
static int cabinets_invite_write(struct ctx *ctx, json_object *inv, json_object *msgs,
                                 json_object *states)
{
	size_t n = json_object_array_length(inv), nstates = json_object_array_length(states);
	struct cabinets_sent *sent;
	PGresult *res;
	char *done;

	/* the states first, one statement per (state, channel, error): a
	 * handful (a message refused at once, over the SMS limit, then
	 * changes its cabinet through the delivery hook) */
	done = arena_alloc(ctx->arena, nstates + 1);
	memset(done, 0, nstates + 1);
	for (size_t i = 0; i < nstates; i++) {
		json_object *first = json_object_array_get_idx(states, i);
		const char *st = jsonx_get_str(first, "state"),
		           *ch = jsonx_get_str(first, "channel"),
		           *err = jsonx_get_str(first, "error");
		int64_t *ids = arena_alloc(ctx->arena, sizeof(int64_t) * (nstates - i));
		size_t k = 0;
		if (done[i])
			continue;
		for (size_t j = i; j < nstates; j++) {
			json_object *o = json_object_array_get_idx(states, j);
			const char *e2 = jsonx_get_str(o, "error");
			if (done[j] || strcmp(jsonx_get_str(o, "state"), st) != 0 ||
			    strcmp(jsonx_get_str(o, "channel"), ch) != 0 ||
			    (err == NULL) != (e2 == NULL) || (err && strcmp(err, e2) != 0))
				continue;
			done[j] = 1;
			ids[k++] = json_object_get_int64(jsonx_get(o, "employee_id"));
		}
		if (ctx_sql(ctx,
		            "UPDATE cabinets SET state = $3, error = $4, state_at = now(), "
		            "invited_at = "
		            "CASE WHEN $3 = 'invited' THEN now() ELSE invited_at END, "
		            "invited_channel = "
		            "$5 WHERE tenant_id = $1 AND employee_id = ANY ($2::bigint[])",
		            ctx_i64(ctx, ctx->tenant_id), cabinets_id_array(ctx, ids, k), st, err,
		            ch) == NULL)
			return -1;
	}
	if (n) {
		int64_t *ids = arena_alloc(ctx->arena, sizeof(int64_t) * n);
		sent = calloc(n, sizeof(*sent));
		if (sent == NULL)
			return ctx_fail(ctx, PROTO_ERR_internal, NULL);
		for (size_t i = 0; i < n; i++) {
			sent[i].employee_id = json_object_get_int64(
			    jsonx_get(json_object_array_get_idx(inv, i), "employee_id"));
			sent[i].index = (int)i;
			ids[i] = sent[i].employee_id;
		}
		qsort(sent, n, sizeof(*sent), cabinets_sent_cmp);
		/* no join of a JSON recordset with a table: its plan goes wrong
		 * on the tables' statistics of before this transaction */
		res = ctx_sql(
		    ctx,
		    "WITH old AS (UPDATE invitations SET revoked_at = now() WHERE tenant_id = $1 "
		    "AND employee_id = ANY ($5::bigint[]) AND used_at IS NULL AND revoked_at IS "
		    "NULL RETURNING 1), "
		    "ins AS (INSERT INTO invitations (tenant_id, employee_id, user_id, channel, "
		    "token_hash, expires_at, created_by) SELECT $1, r.employee_id, r.user_id, "
		    "r.channel, decode(r.hash, 'hex'), now() + make_interval(days => $3), "
		    "nullif($4, '0')::bigint FROM jsonb_to_recordset($2::jsonb) AS r(employee_id "
		    "bigint, user_id bigint, channel text, hash text) RETURNING id, employee_id) "
		    "SELECT ins.id, ins.employee_id, (SELECT count(*) FROM old) FROM ins ORDER "
		    "BY ins.employee_id",
		    ctx_i64(ctx, ctx->tenant_id), jsonx_dump(inv, NULL),
		    ctx_i64(ctx, CABINETS_INVITE_DAYS), ctx_i64(ctx, ctx->user_id),
		    cabinets_id_array(ctx, ids, n));
		if (res == NULL || (size_t)PQntuples(res) != n) {
			free(sent);
			return res ? ctx_fail(ctx, PROTO_ERR_internal, NULL) : -1;
		}
		for (size_t i = 0; i < n; i++)
			jsonx_set_int(json_object_array_get_idx(msgs, sent[i].index), "ref_id",
			              atoll(PQgetvalue(res, (int)i, 0)));
		free(sent);
		if (outbox_enqueue_many(ctx, msgs) < 0)
			return -1;
	}
	return 0;
}

int cabinets_invite(struct ctx *ctx, const int64_t *ids, size_t n, const char *channel,
                    struct cabinets_results *results, int *invited, int *failed)
{
	struct cabinets_settings s;
	const char *base, *subject_org;
	PGresult *res, *t;
	int ninvited = 0, nfailed = 0;

	if (invited)
		*invited = 0;
	if (failed)
		*failed = 0;
	if (n == 0)
		return 0;
	if (cabinets_settings_load(ctx, &s) < 0)
		return -1;
	t = ctx_sql(ctx, "SELECT subdomain, name FROM tenants WHERE id = $1",
	            ctx_i64(ctx, ctx->tenant_id));
	if (t == NULL)
		return -1;
	base = tenants_url(ctx, PQgetvalue(t, 0, 0));
	subject_org = PQgetvalue(t, 0, 1);
	/* 0 id, 1 state, 2 user, 3 email, 4 phone, 5 full name, 6 organization */
	res =
	    ctx_sql(ctx,
	            "SELECT x.id, coalesce(c.state, 'not_created'), u.id, u.email, u.phone, "
	            "e.full_name, coalesce(o.name, $3) FROM unnest($2::bigint[]) WITH ORDINALITY "
	            "x(id, n) JOIN employees e ON e.tenant_id = $1 AND e.id = x.id LEFT JOIN "
	            "cabinets c ON c.tenant_id = $1 AND c.employee_id = e.id LEFT JOIN users u ON "
	            "u.tenant_id = $1 AND u.employee_id = e.id LEFT JOIN organizations o ON "
	            "o.tenant_id = $1 AND o.id = e.organization_id ORDER BY x.n",
	            ctx_i64(ctx, ctx->tenant_id), cabinets_id_array(ctx, ids, n), subject_org);
	if (res == NULL)
		return -1;
	for (int from = 0; from < PQntuples(res); from += CABINETS_CHUNK) {
		json_object *inv = json_object_new_array(), *msgs = json_object_new_array(),
		            *states = json_object_new_array();
		size_t first = results ? results->n : 0; /* this chunk's results */
		int rc;
		for (int i = from; i < PQntuples(res) && i < from + CABINETS_CHUNK; i++) {
			int64_t id = atoll(PQgetvalue(res, i, 0));
			const char *state = PQgetvalue(res, i, 1), *ch = channel, *error = NULL;
			int has_email = !PQgetisnull(res, i, 3),
			    has_phone = !PQgetisnull(res, i, 4);
			json_object *st;
			if (PQgetisnull(res, i, 2)) {
				cabinets_result(results, id, state,
				                "Кабинет ещё не создан: сначала создайте его");
				continue;
			}
			if (strcmp(state, "disabled") == 0 || strcmp(state, "signed_in") == 0) {
				cabinets_result(results, id, state,
				                state[0] == 'd'
				                    ? "Кабинет отключён: сотрудник не опубликован "
				                      "или уволен"
				                    : "Сотрудник уже вошёл в кабинет: приглашение "
				                      "не нужно");
				continue;
			}
			if (ch == NULL)
				ch = has_email ? "email" : "sms";
			/* no contact for the channel asked: the other one, as the
			 * automatic invitation picks (a selection of everyone
			 * invited "на почту" reaches the phone-only by SMS) */
			if ((ch[0] == 'e' && !has_email && has_phone) ||
			    (ch[0] == 's' && !has_phone && has_email)) {
				ch = ch[0] == 'e' ? "sms" : "email";
				if (results)
					results->other_channel++;
			}
			if (strcmp(ch, "email") == 0 && !has_email)
				error = "Не указана электронная почта: пригласите по SMS или "
				        "добавьте почту";
			else if (strcmp(ch, "sms") == 0 && !has_phone)
				error = "Не указан мобильный телефон: пригласите по почте или "
				        "добавьте телефон";
			st = json_object_new_object();
			jsonx_set_int(st, "employee_id", id);
			jsonx_set_str(st, "channel", ch);
			if (error) {
				jsonx_set_str(st, "state",
				              ch[0] == 'e' ? "email_failed" : "sms_failed");
				jsonx_set_str(st, "error", error);
				cabinets_result(results, id,
				                ch[0] == 'e' ? "email_failed" : "sms_failed",
				                error);
				nfailed++;
			} else {
				char token[64], hash[65];
				struct buf text = BUF_INIT, link = BUF_INIT;
				json_object *iv = json_object_new_object(), *m;
				if (cabinets_token(token, hash) < 0) {
					json_object_put(iv);
					json_object_put(st);
					json_object_put(inv);
					json_object_put(msgs);
					json_object_put(states);
					return ctx_fail(ctx, PROTO_ERR_internal, NULL);
				}
				buf_printf(&link, "%sinvite/%s", base, token);
				cabinets_render(&text, cabinets_text_for(&s, ch),
				                PQgetvalue(res, i, 5), link.data,
				                PQgetvalue(res, i, 6));
				jsonx_set_int(iv, "employee_id", id);
				jsonx_set_int(iv, "user_id", atoll(PQgetvalue(res, i, 2)));
				jsonx_set_str(iv, "channel", ch);
				jsonx_set_str(iv, "hash", hash);
				json_object_array_add(inv, iv);
				m = json_object_new_object();
				jsonx_set_str(m, "channel", ch);
				jsonx_set_str(m, "to", PQgetvalue(res, i, ch[0] == 'e' ? 3 : 4));
				jsonx_set_str(m, "subject",
				              arena_printf(ctx->arena,
				                           "Приглашение в кабинет сотрудника — %s",
				                           PQgetvalue(res, i, 6)));
				json_object_object_add(
				    m, "text",
				    json_object_new_string_len(text.data, (int)text.len));
				jsonx_set_str(m, "kind", "invitation");
				/* the link's token: kept in the outbox only until sent */
				jsonx_set_str(m, "secret", token);
				jsonx_set_int(m, "ttl_s", (int64_t)CABINETS_INVITE_DAYS * 86400);
				jsonx_set_int(m, "user_id", atoll(PQgetvalue(res, i, 2)));
				json_object_array_add(msgs, m);
				jsonx_set_str(st, "state", "invited");
				json_object_object_add(st, "error", NULL);
				cabinets_result(results, id, "invited", NULL);
				ninvited++;
				memset(token, 0, sizeof(token));
				buf_free(&text);
				buf_free(&link);
			}
			json_object_array_add(states, st);
		}
		rc = cabinets_invite_write(ctx, inv, msgs, states);
		/* the SMS over the day's limit failed in the outbox at once (its
		 * hook made the cabinet sms_failed): the answer says so too */
		for (size_t m = 0; rc == 0 && m < json_object_array_length(msgs); m++) {
			json_object *o = json_object_array_get_idx(msgs, m);
			const char *status = jsonx_get_str(o, "status");
			int64_t id = json_object_get_int64(
			    jsonx_get(json_object_array_get_idx(inv, m), "employee_id"));
			if (status == NULL || strcmp(status, "failed") != 0)
				continue;
			ninvited--;
			nfailed++;
			for (size_t r = first; results && r < results->n; r++)
				if (results->ids[r] == id) {
					results->states[r] = "sms_failed";
					results->errors[r] = arena_strdup(
					    ctx->arena, jsonx_get_str(o, "last_error"));
				}
		}
		json_object_put(inv);
		json_object_put(msgs);
		json_object_put(states);
		if (rc < 0)
			return -1;
	}
	if (invited)
		*invited = ninvited;
	if (failed)
		*failed = nfailed;
	{
		json_object *d = json_object_new_object();
		jsonx_set_int(d, "employees", (int64_t)n);
		jsonx_set_int(d, "invited", ninvited);
		jsonx_set_int(d, "failed", nfailed);
		jsonx_set_str(d, "channel", channel ? channel : "auto");
		return audit_log(ctx, "cabinets.invited", 1, n == 1 ? "employee" : NULL,
		                 n == 1 ? ctx_i64(ctx, ids[0]) : NULL, d);
	}
}

/* POST /api/admin/cabinets/invite {"employees": [ids], "channel": "email" | "sms"} */
static int cabinets_invite_op(struct ctx *ctx)
{
	const char *channel = ctx_arg_str(ctx, "channel", 10, 1);
	struct cabinets_results *results = arena_alloc(ctx->arena, sizeof(*results));
	int64_t *ids;
	size_t n;
	int invited, failed;

	if (channel && strcmp(channel, "email") != 0 && strcmp(channel, "sms") != 0)
		ctx_field(ctx, "channel", "Как приглашать: email (на почту) или sms");
	if (cabinets_read_ids(ctx, &ids, &n) < 0 || channel == NULL || ctx->error >= 0)
		return -1;
	cabinets_results_init(ctx, results, n);
	json_object_object_add(ctx_result(ctx), "results", cabinets_results_json(results));
	if (cabinets_invite(ctx, ids, n, channel, results, &invited, &failed) < 0)
		return -1;
	jsonx_set_int(ctx_result(ctx), "invited", invited);
	jsonx_set_int(ctx_result(ctx), "failed", failed);
	return 0;
}

/* POST /admin/cabinets/create and /admin/cabinets/invite (the page's bulk
 * actions): the chosen employees (employees[]) or all the filter shows
 * (scope=filter), then the list as it is now with "done": what happened,
 * and each employee it did not work for with the reason. */
static int cabinets_page_action(struct ctx *ctx)
{
	int create = strcmp(ctx->op->name, "cabinets.page_create") == 0;
	const char *scope = jsonx_get_str(ctx->args, "scope"), *channel = NULL;
	struct cabinets_results results;
	json_object *done, *bad;
	int ok = 0, failed = 0, shown = 0;
	struct buf ids_bad = BUF_INIT;
	int64_t *ids;
	size_t n;
	PGresult *names;

	if (!create) {
		channel = ctx_arg_str(ctx, "channel", 10, 1);
		if (channel && strcmp(channel, "email") != 0 && strcmp(channel, "sms") != 0)
			return ctx_field(ctx, "channel",
			                 "Как приглашать: email (на почту) или sms");
		if (channel == NULL)
			return -1;
	}
	if ((scope && strcmp(scope, "filter") == 0 ? cabinets_filter_ids(ctx, &ids, &n)
	                                           : cabinets_read_ids(ctx, &ids, &n)) < 0)
		return -1;
	cabinets_results_init(ctx, &results, n);
	if (create ? cabinets_create(ctx, ids, n, &results, &ok, &failed, NULL)
	           : cabinets_invite(ctx, ids, n, channel, &results, &ok, &failed))
		return -1;
	done = json_object_new_object();
	bad = json_object_new_array();
	jsonx_set_str(done, "title",
	              create              ? "Создание кабинетов"
	              : channel[0] == 'e' ? "Приглашения на почту"
	                                  : "Приглашения по SMS");
	jsonx_set_str(
	    done, "summary",
	    /* those who already had a cabinet are neither created nor failed:
	     * said, so the numbers add up (F10) */
	    create ? arena_printf(ctx->arena,
	                          "Выбрано сотрудников: %zu. Создано кабинетов: "
	                          "%d. Не удалось создать: %d.%s",
	                          n, ok, failed,
	                          (int)n - ok - failed > 0
	                              ? arena_printf(ctx->arena, " Кабинет уже был: %d.",
	                                             (int)n - ok - failed)
	                              : "")
	    : results.other_channel
	        ? arena_printf(ctx->arena,
	                       "Выбрано сотрудников: %zu. Приглашения отправлены: %d, "
	                       "из них %s: %d. Не отправлены: %d.",
	                       n, ok,
	                       channel[0] == 'e' ? "по SMS (почты нет)" : "на почту (телефона нет)",
	                       results.other_channel, (int)n - ok)
	        : arena_printf(ctx->arena,
	                       "Выбрано сотрудников: %zu. Приглашения "
	                       "отправлены: %d. Не отправлены: %d.",
	                       n, ok, (int)n - ok));
	buf_putc(&ids_bad, '{');
	for (size_t i = 0; i < results.n && shown < 100; i++) {
		if (results.errors[i] == NULL)
			continue;
		buf_printf(&ids_bad, "%s%lld", shown++ ? "," : "", (long long)results.ids[i]);
	}
	buf_putc(&ids_bad, '}');
	names = ctx_sql(ctx,
	                "SELECT id, full_name FROM employees WHERE tenant_id = $1 AND id = ANY "
	                "($2::bigint[])",
	                ctx_i64(ctx, ctx->tenant_id), ids_bad.data);
	buf_free(&ids_bad);
	if (names == NULL) {
		json_object_put(done);
		json_object_put(bad);
		return -1;
	}
	for (size_t i = 0; i < results.n; i++) {
		for (int k = 0; results.errors[i] && k < PQntuples(names); k++) {
			json_object *o;
			if (atoll(PQgetvalue(names, k, 0)) != results.ids[i])
				continue;
			o = json_object_new_object();
			jsonx_set_str(o, "full_name", PQgetvalue(names, k, 1));
			jsonx_set_str(o, "error", results.errors[i]);
			json_object_array_add(bad, o);
		}
	}
	/* by the count: an item can fail without an error line of its own */
	jsonx_set_bool(done, "has_failed", (create ? failed : (int)n - ok) > 0 ||
	                                       json_object_array_length(bad) > 0);
	json_object_object_add(done, "failed_items", bad);
	json_object_object_add(ctx_result(ctx), "done", done);
	return cabinets_list_fill(ctx, 1);
}

/* ------------------------------------------------------------- scheduled */

/* The employee ids of a query's first column. */
static int64_t *cabinets_column_ids(struct ctx *ctx, PGresult *res, size_t *n)
{
	int64_t *ids = arena_alloc(ctx->arena, sizeof(int64_t) * ((size_t)PQntuples(res) + 1));

	*n = 0;
	for (int i = 0; i < PQntuples(res); i++)
		ids[(*n)++] = atoll(PQgetvalue(res, i, 0));
	return ids;
}

int cabinets_auto(struct ctx *ctx, int *created, int *create_failed, int *invited)
{
	struct cabinets_settings s;
	PGresult *res;
	int64_t *ids;
	size_t n;
	int c = 0, f = 0, inv = 0, inv2 = 0;

	if (created)
		*created = 0;
	if (create_failed)
		*create_failed = 0;
	if (invited)
		*invited = 0;
	if (cabinets_settings_load(ctx, &s) < 0)
		return -1;
	if (s.auto_create) {
		res = ctx_sql(ctx,
		              "WITH RECURSIVE " PUBLICATION_CTE(
		                  "applied") " SELECT e.id FROM "
		                             "employees e CROSS JOIN pub WHERE e.tenant_id = $1 "
		                             "AND " PUBLICATION_PUBLISHED
		                             " AND NOT EXISTS (SELECT 1 FROM cabinets c WHERE "
		                             "c.tenant_id = e.tenant_id AND c.employee_id = e.id) "
		                             "ORDER BY e.id",
		              ctx_i64(ctx, ctx->tenant_id));
		if (res == NULL)
			return -1;
		ids = cabinets_column_ids(ctx, res, &n);
		if (n && cabinets_create(ctx, ids, n, NULL, &c, &f, &inv) < 0)
			return -1;
	}
	if (s.auto_invite) {
		res = ctx_sql(ctx,
		              "SELECT employee_id FROM cabinets WHERE tenant_id = $1 AND state IN "
		              "('created_email', 'created_sms') AND invited_at IS NULL ORDER BY "
		              "employee_id",
		              ctx_i64(ctx, ctx->tenant_id));
		if (res == NULL)
			return -1;
		ids = cabinets_column_ids(ctx, res, &n);
		if (n && cabinets_invite(ctx, ids, n, NULL, NULL, &inv2, NULL) < 0)
			return -1;
		inv += inv2;
	}
	if (created)
		*created = c;
	if (create_failed)
		*create_failed = f;
	if (invited)
		*invited = inv;
	return 0;
}

/* -------------------------------------------------------------- delivery */

int cabinets_delivered(struct ctx *ctx, int64_t tenant_id, int64_t invitation_id, int ok,
                       const char *error)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "WITH v AS (UPDATE invitations SET delivery = CASE WHEN $3 THEN 'sent' ELSE 'failed' "
	    "END, delivery_error = $4 WHERE tenant_id = $1 AND id = $2 RETURNING employee_id, "
	    "channel) "
	    "UPDATE cabinets c SET state = CASE WHEN $3 THEN 'invited' ELSE v.channel || '_failed' "
	    "END, error = CASE WHEN $3 THEN NULL WHEN $4 LIKE 'Не %' THEN $4 WHEN v.channel = "
	    "'email' THEN 'Письмо не доставлено: ' || $4 ELSE 'SMS не доставлено: ' || $4 END, "
	    "state_at = now() FROM v "
	    "WHERE c.tenant_id = $1 AND c.employee_id = v.employee_id AND c.state IN ('invited', "
	    "'email_failed', 'sms_failed') AND NOT EXISTS (SELECT 1 FROM invitations n WHERE "
	    "n.tenant_id = $1 AND n.employee_id = v.employee_id AND n.id > $2) RETURNING c.state",
	    ctx_i64(ctx, tenant_id), ctx_i64(ctx, invitation_id), ok ? "true" : "false",
	    error ? error : "причина не известна");

	if (res == NULL)
		return -1;
	if (!ok && PQntuples(res))
		log_info("invitation_failed", "tenant=%lld invitation=%lld", (long long)tenant_id,
		         (long long)invitation_id);
	return 0;
}

static const char *const cabinets_state_values[] = {
    "not_created", "created_email", "created_sms", "create_failed", "email_failed",
    "sms_failed",  "invited",       "signed_in",   "disabled",      NULL};
static const char *const cabinets_channel_values[] = {"email", "sms", NULL};
#define CABINETS_STATE_ARG                                                                                   \
	{                                                                                                    \
		"state", ARG_ENUM, 0,                                                                        \
		    .values = cabinets_state_values,                                                         \
		    .hint = "Состояние кабинета: not_created, created_email, created_sms, " \
		            "create_failed, "                                                                \
		            "email_failed, sms_failed, invited, signed_in или disabled"                   \
	}
#define CABINETS_LIST_ARGS                                                                         \
	CABINETS_STATE_ARG, {"q", ARG_STR, 0, .max = 200},                                         \
	    {"limit", ARG_INT, 0, .min = 1, .max = CABINETS_PAGE_MAX},                             \
	{                                                                                          \
		"offset", ARG_INT, 0, .min = 0, .max = INT32_MAX                                   \
	}
/* employees: ids as numbers or, from a form, digit strings (one box: a string) */
static const struct op_arg cabinets_employee_item[] = {
    ARG_ITEM(ARG_INT, .min = 1, .max = INT64_MAX,
             .hint = "Номер сотрудника — целое положительное число"),
    ARG_END,
};
#define CABINETS_EMPLOYEES_ARG(flags_)                                                             \
	{                                                                                          \
		"employees", ARG_ARRAY, ARG_OR_TEXT | (flags_),                                    \
		    .min = 0, .max = CABINETS_MAX_BATCH, .example = "[1]",                         \
		    .items = cabinets_employee_item                                                \
	}
#define CABINETS_CHANNEL_ARG(flags_)                                                                                   \
	{                                                                                                              \
		"channel", ARG_ENUM, flags_, .values = cabinets_channel_values,                                        \
		                             .example = "\"email\"",                                                   \
		                             .hint = "Как приглашать: email (на почту) или sms" \
	}
static const struct op_arg cabinets_list_args[] = {CABINETS_LIST_ARGS, ARG_END};
static const struct op_arg cabinets_page_action_args[] = {CABINETS_LIST_ARGS,
                                                          CABINETS_EMPLOYEES_ARG(0),
                                                          CABINETS_CHANNEL_ARG(0),
                                                          {"scope", ARG_STR, 0, .max = 10},
                                                          ARG_END};
static const struct op_arg cabinets_create_args[] = {CABINETS_EMPLOYEES_ARG(ARG_REQUIRED), ARG_END};
static const struct op_arg cabinets_invite_args[] = {CABINETS_EMPLOYEES_ARG(ARG_REQUIRED),
                                                     CABINETS_CHANNEL_ARG(ARG_REQUIRED), ARG_END};
static const struct op_arg cabinets_settings_args[] = {
    {"auto_create", ARG_BOOL, 0, .min = 0},
    {"auto_invite", ARG_BOOL, 0, .min = 0},
    {"ask_login", ARG_BOOL, 0, .min = 0},
    /* its own reader keeps the lines and counts CABINETS_TEXT_MAX characters */
    {"invitation_text", ARG_STR, ARG_MULTILINE | ARG_EMPTY, .max = 2 * CABINETS_TEXT_MAX},
    ARG_END,
};

const struct op cabinets_ops[] = {
    {"cabinets.list", OP_ADMIN, cabinets_list, 0, cabinets_list_args},
    {"cabinets.page", OP_ADMIN, cabinets_page, 0, cabinets_list_args},
    {"cabinets.page_create", OP_ADMIN, cabinets_page_action, OP_WRITE, cabinets_page_action_args},
    {"cabinets.page_invite", OP_ADMIN, cabinets_page_action, OP_WRITE, cabinets_page_action_args},
    {"cabinets.create", OP_ADMIN, cabinets_create_op, OP_WRITE, cabinets_create_args,
     .budget_ms = OP_BUDGET(120000)},
    {"cabinets.invite", OP_ADMIN, cabinets_invite_op, OP_WRITE, cabinets_invite_args,
     .budget_ms = OP_BUDGET(120000)},
    {"cabinets.settings_get", OP_ADMIN, cabinets_settings_get, 0, args_none},
    {"cabinets.settings_set", OP_ADMIN, cabinets_settings_set, OP_WRITE, cabinets_settings_args},
    {NULL, 0, NULL, 0, NULL},
};
