#include "outbox.h"

#include "buf.h"
#include "jsonx.h"
#include "log.h"
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

#define OUTBOX_BATCH	  50
#define OUTBOX_MAX_WAIT	  3600

struct outbox_msg {
	int64_t tenant_id, id;
	const char *channel, *to, *subject, *text, *kind;
	int attempts;
};

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

int outbox_enqueue(struct ctx *ctx, const char *channel, const char *to, const char *subject,
		   const char *text, const char *kind, int64_t user_id)
{
	if (ctx_sql(ctx,
		    "INSERT INTO outbox (tenant_id, channel, recipient, subject, body, kind, user_id) "
		    "VALUES ($1, $2, $3, $4, $5, $6, nullif($7, '0')::bigint)",
		    ctx_i64(ctx, ctx->tenant_id), channel, to, subject, text, kind,
		    ctx_i64(ctx, user_id)) == NULL)
		return -1;
	/* wakes the sender at the next tick; it sees the row once we commit */
	tasks_kick("outbox.send");
	return 0;
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
		snprintf(r->error, sizeof(r->error), "cannot open outbox_file: %s", strerror(errno));
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

static void outbox_via_smtp(const struct cfg *cfg, const struct outbox_msg *m,
			    struct outbox_result *r)
{
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
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, cfg->outbox_timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
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

static void outbox_via_sms_http(const struct cfg *cfg, const struct outbox_msg *m,
				struct outbox_result *r)
{
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
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, cfg->outbox_timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK && code >= 200 && code < 300) {
		r->ok = 1;
	} else if (rc == CURLE_OK) {
		snprintf(r->error, sizeof(r->error), "sms gateway answered HTTP %ld", code);
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

/* One due message, in its own transaction: 1 when one was handled, 0 when
 * none is due. */
static int outbox_send_one(struct ctx *ctx, void *arg)
{
	struct outbox_result r = {0};
	struct outbox_msg m;
	PGresult *res;
	int64_t wait;

	(void)arg;
	res = ctx_sql0(ctx, "SELECT tenant_id, id, channel, recipient, subject, body, kind, attempts "
			    "FROM outbox WHERE status = 'pending' AND next_attempt_at <= now() "
			    "ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED");
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

	outbox_deliver(ctx->cfg, &m, &r);
	if (r.ok) {
		res = ctx_sql(ctx,
			      "UPDATE outbox SET status = 'sent', attempts = $3, sent_at = now(), "
			      "last_error = NULL WHERE tenant_id = $1 AND id = $2",
			      ctx_i64(ctx, m.tenant_id), ctx_i64(ctx, m.id), ctx_i64(ctx, m.attempts));
		log_info("outbox_sent", "tenant=%lld msg=%lld channel=%s kind=%s attempt=%d",
			 (long long)m.tenant_id, (long long)m.id, m.channel, m.kind, m.attempts);
		return res ? 1 : -1;
	}
	wait = ctx->cfg->outbox_retry_s;
	for (int i = 1; i < m.attempts && wait < OUTBOX_MAX_WAIT; i++)
		wait *= 2;
	if (wait > OUTBOX_MAX_WAIT)
		wait = OUTBOX_MAX_WAIT;
	int failed = r.permanent || m.attempts >= ctx->cfg->outbox_max_attempts;
	res = ctx_sql(ctx,
		      "UPDATE outbox SET status = $3, attempts = $4, last_error = $5, "
		      "next_attempt_at = now() + make_interval(secs => $6) "
		      "WHERE tenant_id = $1 AND id = $2",
		      ctx_i64(ctx, m.tenant_id), ctx_i64(ctx, m.id), failed ? "failed" : "pending",
		      ctx_i64(ctx, m.attempts), r.error, ctx_i64(ctx, wait));
	/* the error text may name the address: not in the log */
	log_warn("outbox_attempt_failed", "tenant=%lld msg=%lld channel=%s attempt=%d final=%d",
		 (long long)m.tenant_id, (long long)m.id, m.channel, m.attempts, failed);
	return res ? 1 : -1;
}

void outbox_task(struct db *db, struct arena *arena, void *arg)
{
	(void)arg;
	for (int i = 0; i < OUTBOX_BATCH; i++)
		if (dispatch_system(db, arena, "outbox.send", outbox_send_one, NULL) <= 0)
			break;
}
