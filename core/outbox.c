#include "outbox.h"

#include "buf.h"
#include "cabinets.h"
#include "jsonx.h"
#include "log.h"
#include "monotime.h"
#include "ops.h"
#include "tasks.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#define OUTBOX_BATCH    50
#define OUTBOX_MAX_WAIT 3600
#define OUTBOX_REDACTED "••••••"

struct outbox_msg {
	int64_t tenant_id, id, ref_id;
	const char *channel, *to, *subject, *text, *kind;
	int attempts;
};

/* See outbox.h, delivery hooks. */
static const struct {
	const char *kind;
	int (*delivered)(struct ctx *ctx, int64_t tenant_id, int64_t ref_id, int ok,
	                 const char *error);
} outbox_hooks[] = {
    {"invitation", cabinets_delivered},
};

/* The delivery hook of a message's kind, if any (outbox.h). */
static int outbox_hook(struct ctx *ctx, int64_t tenant_id, const char *kind, int64_t ref_id, int ok,
                       const char *error)
{
	if (ref_id == 0)
		return 0;
	for (size_t i = 0; i < sizeof(outbox_hooks) / sizeof(outbox_hooks[0]); i++)
		if (strcmp(outbox_hooks[i].kind, kind) == 0)
			return outbox_hooks[i].delivered(ctx, tenant_id, ref_id, ok, error);
	return 0;
}

/* The outcome of one delivery attempt. */
struct outbox_result {
	int ok;
	int permanent;
	char error[300];
};

int outbox_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void outbox_cleanup(void)
{
	curl_global_cleanup();
}

static int outbox_priority(const char *kind)
{
	if (strcmp(kind, "code") == 0)
		return OUTBOX_URGENT;
	if (strcmp(kind, "invitation") == 0)
		return OUTBOX_BULK;
	return OUTBOX_NORMAL;
}

/* text with every occurrence of secret replaced */
static const char *outbox_redact(struct ctx *ctx, const char *text, const char *secret)
{
	struct buf b = BUF_INIT;
	size_t n = strlen(secret);
	const char *p = text, *hit, *out;

	while ((hit = strstr(p, secret)) != NULL) {
		buf_append(&b, p, (size_t)(hit - p));
		buf_puts(&b, OUTBOX_REDACTED);
		p = hit + n;
	}
	buf_puts(&b, p);
	out = arena_printf(ctx->arena, "%s", b.data);
	buf_free(&b);
	return out;
}

/* Counts one more SMS of the tenant today: 1 when it is within
 * sms_daily_limit_per_tenant, 0 when over it (not counted), -1 on error.
 * The row lock serializes concurrent senders, so the limit is exact. */
static int outbox_sms_allowed(struct ctx *ctx)
{
	PGresult *res = ctx_sql(
	    ctx,
	    "INSERT INTO sms_daily (tenant_id, day, count) "
	    "VALUES ($1, app_today(), 1) "
	    "ON CONFLICT (tenant_id, day) DO UPDATE SET count = sms_daily.count + 1 "
	    "WHERE $2 = 0 OR sms_daily.count < $2 RETURNING count",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->cfg->sms_daily_limit_per_tenant));

	if (res == NULL)
		return -1;
	return PQntuples(res) == 1;
}

int outbox_enqueue_secret(struct ctx *ctx, const char *channel, const char *to, const char *subject,
                          const char *text, const char *kind, int64_t user_id, const char *secret,
                          long ttl_s)
{
	const char *redacted = secret && *secret ? outbox_redact(ctx, text, secret) : NULL;
	const char *status = "pending", *reason = NULL;

	if (strcmp(channel, "sms") == 0) {
		int allowed = outbox_sms_allowed(ctx);
		if (allowed < 0)
			return -1;
		if (!allowed) {
			/* stored as it would be after delivery: no secret */
			status = "failed";
			reason =
			    arena_printf(ctx->arena,
			                 "Не отправлено: организация исчерпала дневной лимит SMS "
			                 "(%ld в сутки, настройка sms_daily_limit_per_tenant)",
			                 ctx->cfg->sms_daily_limit_per_tenant);
			if (redacted)
				text = redacted;
			redacted = NULL;
			log_warn("outbox_sms_limit", "tenant=%lld kind=%s limit=%ld",
			         (long long)ctx->tenant_id, kind,
			         ctx->cfg->sms_daily_limit_per_tenant);
		}
	}
	if (ctx_sql(
	        ctx,
	        "INSERT INTO outbox (tenant_id, channel, recipient, subject, body, kind, user_id, "
	        "priority, redacted_body, expires_at, status, last_error) "
	        "VALUES ($1, $2, $3, $4, $5, $6, nullif($7, '0')::bigint, $8, $9, "
	        "CASE WHEN $10::bigint > 0 THEN now() + make_interval(secs => $10) END, $11, $12)",
	        ctx_i64(ctx, ctx->tenant_id), channel, to, subject, text, kind,
	        ctx_i64(ctx, user_id), ctx_i64(ctx, outbox_priority(kind)), redacted,
	        ctx_i64(ctx, ttl_s), status, reason) == NULL)
		return -1;
	/* wakes the channel's sender at the next tick; it sees the row once we
	 * commit */
	if (reason == NULL)
		tasks_kick(strcmp(channel, "sms") == 0 ? "outbox.sms" : "outbox.email");
	return 0;
}

int outbox_enqueue(struct ctx *ctx, const char *channel, const char *to, const char *subject,
                   const char *text, const char *kind, int64_t user_id)
{
	return outbox_enqueue_secret(ctx, channel, to, subject, text, kind, user_id, NULL, 0);
}

/* Takes up to want SMS from the tenant's daily limit: how many fit. */
static int64_t outbox_sms_take(struct ctx *ctx, int64_t want)
{
	PGresult *res;
	int64_t have, limit = ctx->cfg->sms_daily_limit_per_tenant, take;

	if (ctx_sql(ctx,
	            "INSERT INTO sms_daily (tenant_id, day, count) VALUES ($1, app_today(), 0) ON "
	            "CONFLICT (tenant_id, day) DO NOTHING",
	            ctx_i64(ctx, ctx->tenant_id)) == NULL ||
	    (res = ctx_sql(ctx,
	                   "SELECT count FROM sms_daily WHERE tenant_id = $1 AND day = app_today() "
	                   "FOR UPDATE",
	                   ctx_i64(ctx, ctx->tenant_id))) == NULL)
		return -1;
	have = atoll(PQgetvalue(res, 0, 0));
	take = limit == 0 ? want : have >= limit ? 0 : want < limit - have ? want : limit - have;
	if (take &&
	    ctx_sql(ctx,
	            "UPDATE sms_daily SET count = count + $2 WHERE tenant_id = $1 AND day = "
	            "app_today()",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, take)) == NULL)
		return -1;
	return take;
}

int outbox_enqueue_many(struct ctx *ctx, json_object *msgs)
{
	size_t n = json_object_array_length(msgs);
	int64_t sms = 0, fit;
	int email = 0, sms_pending = 0;
	const char *reason = NULL;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (strcmp(jsonx_get_str(json_object_array_get_idx(msgs, i), "channel"), "sms") ==
		    0)
			sms++;
	if ((fit = sms ? outbox_sms_take(ctx, sms) : 0) < 0)
		return -1;
	if (fit < sms)
		reason =
		    arena_printf(ctx->arena,
		                 "Не отправлено: организация исчерпала дневной лимит SMS (%ld в "
		                 "сутки, настройка sms_daily_limit_per_tenant)",
		                 ctx->cfg->sms_daily_limit_per_tenant);
	/* each message's priority, text without its secret, status */
	for (size_t i = 0; i < n; i++) {
		json_object *m = json_object_array_get_idx(msgs, i);
		const char *secret = jsonx_get_str(m, "secret"), *text = jsonx_get_str(m, "text");
		int is_sms = strcmp(jsonx_get_str(m, "channel"), "sms") == 0;
		jsonx_set_int(m, "priority", outbox_priority(jsonx_get_str(m, "kind")));
		if (secret && *secret)
			jsonx_set_str(m, "redacted", outbox_redact(ctx, text, secret));
		json_object_object_del(m, "secret");
		if (is_sms && fit-- <= 0) {
			/* over the daily limit: stored as it would be after delivery */
			jsonx_set_str(m, "status", "failed");
			jsonx_set_str(m, "last_error", reason);
			if (jsonx_get_str(m, "redacted"))
				jsonx_set_str(m, "text", jsonx_get_str(m, "redacted"));
			json_object_object_del(m, "redacted");
		} else {
			jsonx_set_str(m, "status", "pending");
			email |= !is_sms;
			sms_pending |= is_sms;
		}
	}
	if (ctx_sql(
	        ctx,
	        "INSERT INTO outbox (tenant_id, channel, recipient, subject, body, kind, user_id, "
	        "ref_id, priority, redacted_body, expires_at, status, last_error) SELECT $1, "
	        "m.channel, m.\"to\", m.subject, m.text, m.kind, m.user_id, m.ref_id, "
	        "m.priority, m.redacted, CASE WHEN m.ttl_s > 0 THEN now() + make_interval(secs "
	        "=> m.ttl_s) END, m.status, m.last_error FROM jsonb_to_recordset($2::jsonb) AS "
	        "m(channel text, \"to\" text, subject text, text text, kind text, user_id bigint, "
	        "ref_id bigint, priority smallint, redacted text, ttl_s bigint, status text, "
	        "last_error text)",
	        ctx_i64(ctx, ctx->tenant_id), jsonx_dump(msgs, NULL)) == NULL)
		return -1;
	/* the ones over the SMS limit failed already: their objects hear it now */
	for (size_t i = 0; reason && i < n; i++) {
		json_object *m = json_object_array_get_idx(msgs, i);
		int64_t ref = 0;
		if (strcmp(jsonx_get_str(m, "status"), "failed") != 0)
			continue;
		jsonx_get_int64(m, "ref_id", &ref);
		if (outbox_hook(ctx, ctx->tenant_id, jsonx_get_str(m, "kind"), ref, 0, reason) < 0)
			return -1;
	}
	if (email)
		tasks_kick("outbox.email");
	if (sms_pending)
		tasks_kick("outbox.sms");
	return 0;
}

/* Every delivery: a connect timeout (for SMTP libcurl counts the greeting,
 * STARTTLS and login as connecting), a silence timeout and a total one. */
static void outbox_timeouts(CURL *c, const struct cfg *cfg)
{
	long silence_s = (cfg->outbox_read_timeout_ms + 999) / 1000;

	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, cfg->outbox_connect_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, cfg->outbox_timeout_ms);
	/* less than a byte a second for that long: the peer went silent */
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, silence_s);
	/* each SMTP reply */
	curl_easy_setopt(c, CURLOPT_SERVER_RESPONSE_TIMEOUT, silence_s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
}

/* ---------------------------------------------------------------- file */

static void outbox_via_file(const struct cfg *cfg, const struct outbox_msg *m,
                            struct outbox_result *r)
{
	json_object *o = json_object_new_object();
	const char *line;
	size_t len;
	int fd;

	jsonx_set_str(o, "channel", m->channel);
	jsonx_set_str(o, "to", m->to);
	jsonx_set_str(o, "subject", m->subject);
	jsonx_set_str(o, "text", m->text);
	jsonx_set_str(o, "kind", m->kind);
	jsonx_set_int(o, "tenant_id", m->tenant_id);
	jsonx_set_int(o, "id", m->id);
	line = jsonx_dump(o, &len);
	fd = open(cfg->outbox_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
	if (fd < 0) {
		snprintf(r->error, sizeof(r->error), "cannot open outbox_file: %s",
		         strerror(errno));
	} else {
		struct buf b = BUF_INIT;
		buf_append(&b, line, len);
		buf_putc(&b, '\n');
		flock(fd, LOCK_EX); /* one whole line per message, whoever else appends */
		r->ok = write(fd, b.data, b.len) == (ssize_t)b.len;
		if (!r->ok)
			snprintf(r->error, sizeof(r->error), "write failed: %s", strerror(errno));
		close(fd);
		buf_free(&b);
	}
	json_object_put(o);
}

/* ---------------------------------------------------------------- smtp */

struct outbox_upload {
	const char *data;
	size_t len, pos;
};

static size_t outbox_read(char *out, size_t size, size_t nitems, void *arg)
{
	struct outbox_upload *u = arg;
	size_t n = size * nitems;

	if (n > u->len - u->pos)
		n = u->len - u->pos;
	memcpy(out, u->data + u->pos, n);
	u->pos += n;
	return n;
}

static void outbox_base64(struct buf *b, const char *s, size_t n)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		buf_putc(b, al[p[i] >> 2]);
		buf_putc(b, al[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
		buf_putc(b, al[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)]);
		buf_putc(b, al[p[i + 2] & 63]);
	}
	if (n - i == 1) {
		buf_putc(b, al[p[i] >> 2]);
		buf_putc(b, al[(p[i] & 3) << 4]);
		buf_puts(b, "==");
	} else if (n - i == 2) {
		buf_putc(b, al[p[i] >> 2]);
		buf_putc(b, al[((p[i] & 3) << 4) | (p[i + 1] >> 4)]);
		buf_putc(b, al[(p[i + 1] & 15) << 2]);
		buf_putc(b, '=');
	}
}

/* The whole message: headers (Subject in RFC 2047 base64, the body in
 * base64 lines), so nothing a user typed can add a header. */
static void outbox_compose(const struct cfg *cfg, const struct outbox_msg *m, struct buf *b)
{
	char date[64], id[33];
	unsigned char rnd[16];
	time_t now = time(NULL);
	struct tm tm;
	struct buf body = BUF_INIT;

	gmtime_r(&now, &tm);
	strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S +0000", &tm);
	RAND_bytes(rnd, sizeof(rnd));
	hex_encode(id, rnd, 16);
	buf_printf(b, "Date: %s\r\nFrom: <%s>\r\nTo: <%s>\r\nMessage-ID: <%s@cabinet>\r\n", date,
	           cfg->smtp_from, m->to, id);
	buf_puts(b, "Subject: =?UTF-8?B?");
	outbox_base64(b, m->subject ? m->subject : "", m->subject ? strlen(m->subject) : 0);
	buf_puts(b, "?=\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n"
	            "Content-Transfer-Encoding: base64\r\n\r\n");
	outbox_base64(&body, m->text, strlen(m->text));
	for (size_t i = 0; i < body.len; i += 76) {
		buf_append(b, body.data + i, body.len - i < 76 ? body.len - i : 76);
		buf_puts(b, "\r\n");
	}
	buf_free(&body);
}

/* Keeps the server's last error reply (4xx/5xx) of an SMTP dialogue: curl
 * itself says only "RCPT failed: 550", the administrator needs the reason. */
static int outbox_smtp_trace(CURL *c, curl_infotype type, char *data, size_t size, void *arg)
{
	char *reply = arg;
	size_t n = size;

	(void)c;
	if (type != CURLINFO_HEADER_IN || size < 4 || (data[0] != '4' && data[0] != '5'))
		return 0;
	while (n && (data[n - 1] == '\r' || data[n - 1] == '\n'))
		n--;
	if (n > 250)
		n = 250;
	for (size_t i = 0; i < n; i++) /* one line, printable */
		reply[i] = (unsigned char)data[i] < 0x20 ? ' ' : data[i];
	reply[n] = '\0';
	return 0;
}

static void outbox_via_smtp(const struct cfg *cfg, const struct outbox_msg *m,
                            struct outbox_result *r)
{
	char reply[256] = "";
	CURL *c = curl_easy_init();
	struct curl_slist *rcpt = NULL;
	struct buf msg = BUF_INIT;
	struct outbox_upload up;
	char from[300], to[300], errbuf[CURL_ERROR_SIZE] = "";
	long code = 0;
	CURLcode rc;

	if (c == NULL) {
		snprintf(r->error, sizeof(r->error), "curl_easy_init failed");
		return;
	}
	outbox_compose(cfg, m, &msg);
	up = (struct outbox_upload){msg.data, msg.len, 0};
	snprintf(from, sizeof(from), "<%s>", cfg->smtp_from);
	snprintf(to, sizeof(to), "<%s>", m->to);
	rcpt = curl_slist_append(rcpt, to);
	curl_easy_setopt(c, CURLOPT_URL, cfg->smtp_url);
	curl_easy_setopt(c, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(c, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(c, CURLOPT_READFUNCTION, outbox_read);
	curl_easy_setopt(c, CURLOPT_READDATA, &up);
	curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
	outbox_timeouts(c, cfg);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_DEBUGFUNCTION, outbox_smtp_trace);
	curl_easy_setopt(c, CURLOPT_DEBUGDATA, (void *)reply);
	curl_easy_setopt(c, CURLOPT_VERBOSE, 1L);
	if (cfg->smtp_starttls)
		curl_easy_setopt(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
	if (*cfg->smtp_ca_file)
		curl_easy_setopt(c, CURLOPT_CAINFO, cfg->smtp_ca_file);
	if (*cfg->smtp_user) {
		curl_easy_setopt(c, CURLOPT_USERNAME, cfg->smtp_user);
		curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->smtp_password);
	}
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK) {
		r->ok = 1;
	} else {
		if (*reply) /* the server's own words */
			snprintf(r->error, sizeof(r->error), "%s", reply);
		else
			snprintf(r->error, sizeof(r->error), "smtp: %s (%ld)",
			         *errbuf ? errbuf : curl_easy_strerror(rc), code);
		/* 5xx is the server's final word (550 no such mailbox...) */
		r->permanent = code >= 500 && code < 600;
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(c);
	buf_free(&msg);
}

/* ------------------------------------------------------------ sms_http */

static void outbox_put_escaped(struct buf *b, const char *s, int json)
{
	static const char hex[] = "0123456789ABCDEF";

	if (json) {
		json_object *str = json_object_new_string(s);
		size_t len;
		const char *q = jsonx_dump(str, &len);
		buf_append(b, q + 1, len - 2); /* without the quotes of the template */
		json_object_put(str);
		return;
	}
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (isalnum(*p) || strchr("-_.~", *p)) {
			buf_putc(b, (char)*p);
		} else {
			buf_putc(b, '%');
			buf_putc(b, hex[*p >> 4]);
			buf_putc(b, hex[*p & 15]);
		}
	}
}

/* The gateway's answer: its first 200 bytes are kept, for the reason of a
 * refusal (and nothing goes to cabinetd's stdout). */
struct outbox_answer {
	char text[201];
	size_t len;
};

static size_t outbox_answer_write(char *data, size_t size, size_t nitems, void *arg)
{
	struct outbox_answer *a = arg;
	size_t n = size * nitems, room = sizeof(a->text) - 1 - a->len;

	for (size_t i = 0; i < n && i < room; i++) /* one line, printable */
		a->text[a->len++] = (unsigned char)data[i] < 0x20 ? ' ' : data[i];
	a->text[a->len] = '\0';
	return n;
}

static void outbox_via_sms_http(const struct cfg *cfg, const struct outbox_msg *m,
                                struct outbox_result *r)
{
	struct outbox_answer answer = {"", 0};
	int json = strstr(cfg->sms_content_type, "json") != NULL;
	struct curl_slist *headers = NULL;
	struct buf body = BUF_INIT, ctype = BUF_INIT;
	char errbuf[CURL_ERROR_SIZE] = "";
	CURL *c = curl_easy_init();
	long code = 0;
	CURLcode rc;

	if (c == NULL) {
		snprintf(r->error, sizeof(r->error), "curl_easy_init failed");
		return;
	}
	for (const char *p = cfg->sms_body; *p;) {
		if (strncmp(p, "{to}", 4) == 0) {
			outbox_put_escaped(&body, m->to, json);
			p += 4;
		} else if (strncmp(p, "{text}", 6) == 0) {
			outbox_put_escaped(&body, m->text, json);
			p += 6;
		} else {
			buf_putc(&body, *p++);
		}
	}
	buf_printf(&ctype, "Content-Type: %s", cfg->sms_content_type);
	headers = curl_slist_append(headers, ctype.data);
	if (*cfg->sms_auth_header)
		headers = curl_slist_append(headers, cfg->sms_auth_header);
	curl_easy_setopt(c, CURLOPT_URL, cfg->sms_url);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE, (long)body.len);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	outbox_timeouts(c, cfg);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, outbox_answer_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK && code >= 200 && code < 300) {
		r->ok = 1;
	} else if (rc == CURLE_OK) {
		snprintf(r->error, sizeof(r->error), "шлюз SMS ответил HTTP %ld%s%s", code,
		         answer.len ? ": " : "", answer.text);
		r->permanent = code >= 400 && code < 500 && code != 408 && code != 429;
	} else {
		snprintf(r->error, sizeof(r->error), "sms gateway: %s",
		         *errbuf ? errbuf : curl_easy_strerror(rc));
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	buf_free(&body);
	buf_free(&ctype);
}

/* --------------------------------------------------------------- sender */

static void outbox_deliver(const struct cfg *cfg, const struct outbox_msg *m,
                           struct outbox_result *r)
{
	const char *driver = strcmp(m->channel, "email") == 0 ? cfg->outbox_email : cfg->outbox_sms;

	if (strcmp(driver, "file") == 0)
		outbox_via_file(cfg, m, r);
	else if (strcmp(driver, "smtp") == 0)
		outbox_via_smtp(cfg, m, r);
	else
		outbox_via_sms_http(cfg, m, r);
}

/* A channel's sender: its name, task and when it may try again after its
 * server failed an attempt (monotonic ms; only its own task touches it,
 * and a task never runs twice at once). */
struct outbox_channel {
	const char *name;
	int64_t rest_until_ms;
};

static struct outbox_channel outbox_email = {"email", 0}, outbox_sms = {"sms", 0};


/* The final state of a message, sent or failed, keeps no secret. */
#define OUTBOX_FORGET "body = coalesce(redacted_body, body), redacted_body = NULL"

/* Fails the channel's pending messages whose time is up (a code that no
 * longer works), and forgets old daily SMS counts. */
static int outbox_expire(struct ctx *ctx, void *arg)
{
	const struct outbox_channel *ch = arg;
	PGresult *res = ctx_sql(ctx,
	                        "UPDATE outbox SET status = 'failed', " OUTBOX_FORGET ", "
	                        "last_error = 'Не отправлено: срок действия истёк до отправки' "
	                        "WHERE status = 'pending' AND channel = $1 AND expires_at <= now() "
	                        "RETURNING tenant_id, id, kind, ref_id",
	                        ch->name);

	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		log_warn("outbox_expired", "tenant=%s msg=%s channel=%s", PQgetvalue(res, i, 0),
		         PQgetvalue(res, i, 1), ch->name);
		if (!PQgetisnull(res, i, 3) &&
		    outbox_hook(ctx, atoll(PQgetvalue(res, i, 0)), PQgetvalue(res, i, 2),
		                atoll(PQgetvalue(res, i, 3)), 0,
		                "Не отправлено: срок действия истёк до отправки") < 0)
			return -1;
	}
	if (strcmp(ch->name, "sms") == 0 &&
	    ctx_sql(ctx, "DELETE FROM sms_daily WHERE day < current_date - 7") == NULL)
		return -1;
	return 0;
}

/* One due message of the channel, codes first, in its own transaction: 1
 * when it was delivered or failed for good, 2 when the attempt failed and
 * will be retried, 0 when none is due. */
static int outbox_send_one(struct ctx *ctx, void *arg)
{
	const struct outbox_channel *ch = arg;
	struct outbox_result r = {0};
	struct outbox_msg m;
	PGresult *res;
	int64_t wait;

	res = ctx_sql(ctx,
	              "SELECT tenant_id, id, channel, recipient, subject, body, kind, attempts, "
	              "ref_id FROM outbox WHERE status = 'pending' AND channel = $1 "
	              "AND next_attempt_at <= now() AND (expires_at IS NULL OR expires_at > now()) "
	              "ORDER BY priority, next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED",
	              ch->name);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return 0;
	m.tenant_id = atoll(PQgetvalue(res, 0, 0));
	m.id = atoll(PQgetvalue(res, 0, 1));
	m.channel = PQgetvalue(res, 0, 2);
	m.to = PQgetvalue(res, 0, 3);
	m.subject = PQgetisnull(res, 0, 4) ? NULL : PQgetvalue(res, 0, 4);
	m.text = PQgetvalue(res, 0, 5);
	m.kind = PQgetvalue(res, 0, 6);
	m.attempts = atoi(PQgetvalue(res, 0, 7)) + 1;
	m.ref_id = PQgetisnull(res, 0, 8) ? 0 : atoll(PQgetvalue(res, 0, 8));

	outbox_deliver(ctx->cfg, &m, &r);
	if (r.ok) {
		res = ctx_sql(
		    ctx,
		    "UPDATE outbox SET status = 'sent', attempts = $3, sent_at = now(), "
		    "last_error = NULL, " OUTBOX_FORGET " WHERE tenant_id = $1 AND id = $2",
		    ctx_i64(ctx, m.tenant_id), ctx_i64(ctx, m.id), ctx_i64(ctx, m.attempts));
		log_info("outbox_sent", "tenant=%lld msg=%lld channel=%s kind=%s attempt=%d",
		         (long long)m.tenant_id, (long long)m.id, m.channel, m.kind, m.attempts);
		if (res == NULL || outbox_hook(ctx, m.tenant_id, m.kind, m.ref_id, 1, NULL) < 0)
			return -1;
		return 1;
	}
	wait = ctx->cfg->outbox_retry_s;
	for (int i = 1; i < m.attempts && wait < OUTBOX_MAX_WAIT; i++)
		wait *= 2;
	if (wait > OUTBOX_MAX_WAIT)
		wait = OUTBOX_MAX_WAIT;
	int failed = r.permanent || m.attempts >= ctx->cfg->outbox_max_attempts;
	res = ctx_sql(ctx,
	              "UPDATE outbox SET status = $3, attempts = $4, last_error = $5, "
	              "next_attempt_at = now() + make_interval(secs => $6) WHERE tenant_id = $1 "
	              "AND id = $2",
	              ctx_i64(ctx, m.tenant_id), ctx_i64(ctx, m.id), failed ? "failed" : "pending",
	              ctx_i64(ctx, m.attempts), r.error, ctx_i64(ctx, wait));
	if (res && failed)
		res = ctx_sql(
		    ctx, "UPDATE outbox SET " OUTBOX_FORGET " WHERE tenant_id = $1 AND id = $2",
		    ctx_i64(ctx, m.tenant_id), ctx_i64(ctx, m.id));
	if (res && failed && outbox_hook(ctx, m.tenant_id, m.kind, m.ref_id, 0, r.error) < 0)
		res = NULL;
	/* the error text may name the address: not in the log */
	log_warn("outbox_attempt_failed", "tenant=%lld msg=%lld channel=%s attempt=%d final=%d",
	         (long long)m.tenant_id, (long long)m.id, m.channel, m.attempts, failed);
	if (res == NULL)
		return -1;
	return r.permanent ? 1 : 2;
}

static void outbox_run(struct db *db, struct arena *arena, struct outbox_channel *ch)
{
	const struct cfg *cfg;
	int rc = 1;

	dispatch_system(db, arena, "outbox.expire", outbox_expire, ch);
	if (monotime_ms() < ch->rest_until_ms)
		return;
	for (int i = 0; i < OUTBOX_BATCH && rc == 1; i++)
		rc = dispatch_system(db, arena, "outbox.send", outbox_send_one, ch);
	if (rc == 2) {
		/* the server failed: it gets a rest before the next message
		 * (the failed one waits its own retry time) */
		cfg = cfg_current_acquire();
		ch->rest_until_ms = monotime_ms() + cfg->outbox_retry_s * 1000;
		cfg_current_release(cfg);
	}
}

void outbox_email_task(struct db *db, struct arena *arena, void *arg)
{
	(void)arg;
	outbox_run(db, arena, &outbox_email);
}

void outbox_sms_task(struct db *db, struct arena *arena, void *arg)
{
	(void)arg;
	outbox_run(db, arena, &outbox_sms);
}
