#include "session.h"

#include "jsonx.h"
#include "log.h"
#include "monotime.h"
#include "sesscache.h"

#include <ctype.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#define SESSION_TOKEN_BYTES 32

int session_host_subdomain(const char *host, const char *base_domain, char *out, size_t outlen)
{
	size_t hlen, blen = strlen(base_domain), sub;
	const char *colon;

	if (host == NULL)
		return -1;
	colon = strrchr(host, ':');
	hlen = colon && !strchr(colon, ']') ? (size_t)(colon - host) : strlen(host);
	if (hlen <= blen + 1 || host[hlen - blen - 1] != '.' ||
	    strncasecmp(host + hlen - blen, base_domain, blen) != 0)
		return -1;
	sub = hlen - blen - 1;
	if (sub >= outlen || sub > 63)
		return -1;
	for (size_t i = 0; i < sub; i++) {
		unsigned char c = (unsigned char)tolower((unsigned char)host[i]);
		if (!(isalnum(c) || c == '-'))
			return -1; /* also refuses a second label: a.b.localhost */
		out[i] = (char)c;
	}
	out[sub] = '\0';
	return 0;
}

/* Is host (a Host header, port aside) the base domain itself: the
 * service's own host, the connection page's, no organization's? */
static int session_host_is_base(const char *host, const char *base_domain)
{
	const char *colon = host ? strrchr(host, ':') : NULL;
	size_t hlen = colon && !strchr(colon, ']') ? (size_t)(colon - host)
	              : host                       ? strlen(host)
	                                           : 0;

	return host && hlen == strlen(base_domain) && strncasecmp(host, base_domain, hlen) == 0;
}

int session_host_tenant(struct ctx *ctx, int64_t *tenant_id, const char **status)
{
	const char *host = jsonx_get_str(ctx->auth, "host");
	char subdomain[64];
	PGresult *res;

	*tenant_id = 0;
	*status = NULL;
	if (session_host_subdomain(host, ctx->cfg->base_domain, subdomain, sizeof(subdomain)) < 0)
		return session_host_is_base(host, ctx->cfg->base_domain)
		           ? 0
		           : ctx_fail(ctx, PROTO_ERR_tenant_not_found, NULL);
	if (ctx_system_scope(ctx) < 0)
		return -1;
	res = ctx_sql(ctx, "SELECT id, status FROM tenants WHERE subdomain = $1", subdomain);
	if (res == NULL)
		return -1;
	if (PQntuples(res) != 1 || (strcmp(PQgetvalue(res, 0, 1), "ready") != 0 &&
	                            strcmp(PQgetvalue(res, 0, 1), "disabled") != 0))
		return ctx_fail(ctx, PROTO_ERR_tenant_not_found, NULL);
	*tenant_id = atoll(PQgetvalue(res, 0, 0));
	*status = arena_strdup(ctx->arena, PQgetvalue(res, 0, 1));
	return 0;
}

static void session_hex(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/* "\\x<hex of sha256(token)>" for a bytea parameter */
const char *session_token_hash(struct ctx *ctx, const char *token)
{
	unsigned char digest[32];
	unsigned int len = 0;
	char *out = arena_alloc(ctx->arena, 2 + 64 + 1);

	EVP_Digest(token, strlen(token), digest, &len, EVP_sha256(), NULL);
	out[0] = '\\';
	out[1] = 'x';
	session_hex(digest, 32, out + 2);
	return out;
}

static void session_sha256(const char *text, unsigned char out[32])
{
	unsigned int len = 0;

	EVP_Digest(text, strlen(text), out, &len, EVP_sha256(), NULL);
}

/* The CSRF token sent matches the session's, known by its SHA-256. */
static int session_csrf_ok(const unsigned char want[32], const char *got)
{
	unsigned char digest[32];

	if (got == NULL || *got == '\0')
		return 0;
	session_sha256(got, digest);
	return CRYPTO_memcmp(want, digest, 32) == 0;
}

int session_is_api_key(const char *token)
{
	return strncmp(token, SESSION_KEY_PREFIX, 3) == 0 && strlen(token) == SESSION_KEY_LEN;
}

/* OP_EXCHANGE: an API key of the host's tenant as a Bearer token; a
 * session, however valid, is not accepted. */
static int session_api_key(struct ctx *ctx, const char *token, const char *via)
{
	PGresult *res;

	ctx->user_id = 0;
	ctx->employee_id = 0;
	ctx->roles = 0;
	ctx->session_hash = NULL;
	if (token == NULL || via == NULL || strcmp(via, "bearer") != 0 ||
	    !session_is_api_key(token))
		return ctx_fail(ctx, PROTO_ERR_unauthorized,
				"Нужен ключ API: заголовок Authorization: Bearer ck_...");
	res = ctx_sql(ctx,
	              "SELECT id, name, scopes FROM api_keys WHERE tenant_id = $1 AND "
	              "key_hash = $2 AND revoked_at IS NULL",
	              ctx_i64(ctx, ctx->tenant_id), session_token_hash(ctx, token));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_unauthorized, "Ключ API не действует");
	/* when the key was last used, without waiting for its row: two
	 * requests with one key would otherwise queue on it until the first
	 * one's transaction ends (an exchange batch: minutes, each holding a
	 * worker; trial-break4 B2); the one that finds the row taken leaves
	 * the time to the other */
	if (ctx_sql_queue(ctx,
	                  "UPDATE api_keys SET last_used_at = now() WHERE tenant_id = $1 AND id = "
	                  "(SELECT id FROM api_keys WHERE tenant_id = $1 AND id = $2 "
	                  "FOR UPDATE SKIP LOCKED)",
	                  ctx_i64(ctx, ctx->tenant_id), PQgetvalue(res, 0, 0)) < 0)
		return -1;
	ctx->api_key_id = atoll(PQgetvalue(res, 0, 0));
	ctx->api_key_name = PQgetvalue(res, 0, 1);
	ctx->api_key_scopes = PQgetvalue(res, 0, 2);
	return 0;
}

/* Cross-site writes and login CSRF: a state-changing request that a browser
 * sent from another site is refused whatever it carries (the CSRF token
 * guards signed-in requests only; a sign-in has none). Browsers send Origin
 * with every POST and Sec-Fetch-Site with every request; a request with
 * neither (curl, servers) passes, and so does one authenticated by a bearer
 * token or an API key, which a browser never adds by itself.
 * The Origin's host name must be the request's own (nginx passes the Host
 * without its port, and a proxy in front may change the port, so the port
 * is not compared); an https request also needs an https Origin. */
static int session_same_origin(struct ctx *ctx)
{
	const char *origin = jsonx_get_str(ctx->auth, "origin");
	const char *site = jsonx_get_str(ctx->auth, "fetch_site");
	const char *via = jsonx_get_str(ctx->auth, "via");
	const char *host = jsonx_get_str(ctx->auth, "host"), *rest = NULL;
	size_t n, hn;
	int https = 0;

	if (!(ctx->op->flags & OP_WRITE) || (via && *via && strcmp(via, "cookie") != 0))
		return 0;
	if (site && (strcmp(site, "cross-site") == 0 || strcmp(site, "same-site") == 0))
		goto refuse;
	if (origin == NULL || *origin == '\0')
		return 0;
	jsonx_get_bool(ctx->auth, "https", &https);
	if (strncasecmp(origin, "https://", 8) == 0)
		rest = origin + 8;
	else if (!https && strncasecmp(origin, "http://", 7) == 0)
		rest = origin + 7;
	if (rest == NULL || host == NULL)
		goto refuse;
	n = strcspn(rest, ":/");
	hn = strcspn(host, ":");
	if (n == hn && strncasecmp(rest, host, n) == 0 &&
	    (rest[n] == '\0' ||
	     (rest[n] == ':' && strspn(rest + n + 1, "0123456789") == strlen(rest + n + 1))))
		return 0;
refuse:
	log_warn("cross_site_refused", "req=%u op=%s", ctx->req, ctx->op->name);
	return ctx_fail(ctx, PROTO_ERR_csrf,
	                "Запрос отправлен с другого сайта и отклонён. Откройте кабинет по его "
	                "адресу и повторите действие");
}

/* The session of a cache entry or of app_session's answer, found valid:
 * the signed-in user, unless a write from the browser lacks its CSRF
 * token. */
static int session_signed_in(struct ctx *ctx, const struct sesscache_entry *e, const char *hash,
                             const char *via)
{
	ctx->user_id = e->user_id;
	ctx->employee_id = e->employee_id;
	ctx->session_hash = hash;
	if (e->admin)
		ctx->roles |= ROLE_ADMIN;
	if ((ctx->op->flags & OP_WRITE) && via && strcmp(via, "cookie") == 0 &&
	    !session_csrf_ok(e->csrf_sha256, jsonx_get_str(ctx->auth, "csrf"))) {
		if (!(ctx->op->flags & OP_SIGNIN))
			return ctx_fail(ctx, PROTO_ERR_csrf, NULL);
		/* a sign-in form in a browser that holds a session: it acts as
		 * nobody; a new session replaces that one */
		ctx->user_id = 0;
		ctx->employee_id = 0;
		ctx->roles = 0;
	}
	return 0;
}

/* From the cache (sesscache.h): 1 when the session was found there and
 * ctx filled (the tenant goes with the transaction's BEGIN), 0 when
 * PostgreSQL must be asked, -1 on failure. */
static int session_cached(struct ctx *ctx, const char *subdomain, const char *hash, int background,
                          const char *via)
{
	struct sesscache_entry e;

	if (hash == NULL ||
	    sesscache_get(ctx->cfg->session_cache_size, subdomain, hash,
	                  ctx->cfg->session_cache_ttl_s, ctx->cfg->session_idle_s, &e) < 0)
		return 0;
	if (db_begin_tenant(ctx->db, e.tenant_id) < 0 && ctx_use_tenant(ctx, e.tenant_id) < 0)
		return -1;
	ctx->tenant_id = e.tenant_id;
	ctx->subdomain = arena_strdup(ctx->arena, subdomain);
	/* last_seen_at at most once a minute, as app_session decides it */
	if (!background && monotime_ms() - e.seen_ms >= 60000) {
		ctx->session_due = hash;
		ctx->session_due_end = 0;
	}
	return session_signed_in(ctx, &e, hash, via) < 0 ? -1 : 1;
}

int session_resolve(struct ctx *ctx)
{
	enum op_access access = ctx->op->access;
	const char *token = jsonx_get_str(ctx->auth, "session");
	const char *via = jsonx_get_str(ctx->auth, "via");
	char subdomain[64];
	const char *state, *status, *hash = NULL;
	int background = 0, rc;
	uint64_t gen;
	PGresult *res;

	if (access == OP_OPERATOR)
		return 0;
	if (session_same_origin(ctx) < 0)
		return -1;
	if (access == OP_ANYONE)
		return 0;
	/* no organization at this host: said so (the base host itself is no
	 * organization's: plain not found) */
	if (session_host_subdomain(jsonx_get_str(ctx->auth, "host"), ctx->cfg->base_domain,
				   subdomain, sizeof(subdomain)) < 0)
		return ctx_fail(
		    ctx,
		    session_host_is_base(jsonx_get_str(ctx->auth, "host"), ctx->cfg->base_domain)
		        ? PROTO_ERR_not_found
		        : PROTO_ERR_tenant_not_found,
		    NULL);
	if (token && *token && strlen(token) < 200)
		hash = session_token_hash(ctx, token);
	/* a page's background polling does not keep an idle session alive */
	jsonx_get_bool(ctx->auth, "background", &background);
	if ((rc = session_cached(ctx, subdomain, hash, background, via)) < 0)
		return -1;
	if (rc > 0)
		goto access;
	gen = sesscache_generation();
	/* writes nothing (a reading operation's transaction is read-only from its
	 * BEGIN, which travels with this statement): what is due for the
	 * session is done after the transaction, session_after() */
	res = ctx_sql(ctx, "SELECT * FROM app_session($1, $2, $3, $4)", subdomain, hash,
	              ctx_i64(ctx, ctx->cfg->session_idle_s), background ? "false" : "true");
	if (res == NULL)
		return -1;
	if (PQgetisnull(res, 0, 0))
		return ctx_fail(ctx, PROTO_ERR_tenant_not_found, NULL);
	status = PQgetvalue(res, 0, 1);
	if (strcmp(status, "disabled") == 0)
		return ctx_fail(ctx, PROTO_ERR_tenant_disabled, NULL);
	if (strcmp(status, "ready") != 0) /* still being created, or failed */
		return ctx_fail(ctx, PROTO_ERR_tenant_not_found, NULL);
	ctx->tenant_id = atoll(PQgetvalue(res, 0, 0));
	ctx->subdomain = arena_strdup(ctx->arena, subdomain);

	state = PQgetvalue(res, 0, 2);
	if (strcmp(state, "expired") == 0 || strcmp(PQgetvalue(res, 0, 8), "t") == 0) {
		ctx->session_due = hash;
		ctx->session_due_end = strcmp(state, "expired") == 0;
	}
	if (strcmp(state, "foreign") == 0) {
		/* another tenant's session on this host: this tenant has nothing
		 * for it, not even a "forbidden" */
		log_warn("foreign_session", "req=%u op=%s tenant=%lld", ctx->req, ctx->op->name,
			 (long long)ctx->tenant_id);
		return ctx_fail(ctx, PROTO_ERR_not_found, NULL);
	}
	if (strcmp(state, "valid") == 0 && strcmp(PQgetvalue(res, 0, 5), "blocked") != 0) {
		int64_t now = monotime_ms();
		struct sesscache_entry e = {
		    .tenant_id = ctx->tenant_id,
		    .user_id = atoll(PQgetvalue(res, 0, 3)),
		    .employee_id = PQgetisnull(res, 0, 4) ? 0 : atoll(PQgetvalue(res, 0, 4)),
		    .admin = strstr(PQgetvalue(res, 0, 7), "admin") != NULL,
		    /* PostgreSQL's clock turned into cabinetd's monotonic one */
		    .expires_ms = now + (int64_t)(atof(PQgetvalue(res, 0, 9)) * 1000),
		    .seen_ms = now - (int64_t)(atof(PQgetvalue(res, 0, 10)) * 1000) - 1,
		    .stored_ms = now,
		};
		session_sha256(PQgetvalue(res, 0, 6), e.csrf_sha256);
		sesscache_put(ctx->cfg->session_cache_size, subdomain, hash, &e, gen);
		if (session_signed_in(ctx, &e, hash, via) < 0)
			return -1;
	}
access:
	if (access == OP_EXCHANGE)
		return session_api_key(ctx, token, via);
	if (token && session_is_api_key(token))
		/* a key is good for the exchange routes only */
		return ctx_fail(ctx, PROTO_ERR_unauthorized,
				"Ключ API действует только для обмена (/api/exchange/v1/)");
	if (access == OP_TENANT)
		return 0;
	if (ctx->user_id == 0)
		return ctx_fail(ctx, PROTO_ERR_unauthorized, NULL);
	if (access == OP_ADMIN && !(ctx->roles & ROLE_ADMIN))
		return ctx_fail(ctx, PROTO_ERR_forbidden, NULL);
	return 0;
}

void session_after(struct ctx *ctx, int rc)
{
	const char *params[3];
	PGresult *res;

	/* what the transaction ended or changed leaves the cache (sesscache.h) */
	sesscache_after(ctx);
	/* an expired session is ended whatever the request's outcome; a live
	 * one counts as active after a request that succeeded (as when this
	 * was written in the request's own transaction) */
	if (ctx->session_due == NULL || (rc != 0 && !ctx->session_due_end) || ctx->db->conn == NULL)
		return;
	params[0] = ctx->session_due;
	params[1] = ctx_i64(ctx, ctx->cfg->session_idle_s);
	params[2] = ctx->session_due_end ? "true" : "false";
	ctx->session_due = NULL;
	/* outside any transaction: its own, committed before the answer goes */
	res = db_exec(ctx->db, "SELECT app_session_end_or_touch($1, $2, $3)", 3, params);
	if (PQresultStatus(res) == PGRES_TUPLES_OK && !ctx->session_due_end)
		sesscache_seen(ctx->subdomain, params[0], monotime_ms());
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		log_warn("session_touch_failed", "req=%u sqlstate=%s", ctx->req,
		         PQresultErrorField(res, PG_DIAG_SQLSTATE)
		             ? PQresultErrorField(res, PG_DIAG_SQLSTATE)
		             : "none");
	PQclear(res);
	db_check_broken(ctx->db);
}

/* base64url without padding */
static void session_b64url(const unsigned char *in, size_t n, char *out)
{
	static const char al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
	size_t i, o = 0;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8 | in[i + 2];
		out[o++] = al[v >> 18];
		out[o++] = al[(v >> 12) & 63];
		out[o++] = al[(v >> 6) & 63];
		out[o++] = al[v & 63];
	}
	if (n - i == 1) {
		unsigned v = (unsigned)in[i] << 16;
		out[o++] = al[v >> 18];
		out[o++] = al[(v >> 12) & 63];
	} else if (n - i == 2) {
		unsigned v = (unsigned)in[i] << 16 | (unsigned)in[i + 1] << 8;
		out[o++] = al[v >> 18];
		out[o++] = al[(v >> 12) & 63];
		out[o++] = al[(v >> 6) & 63];
	}
	out[o] = '\0';
}

const char *session_new_api_key(struct ctx *ctx)
{
	unsigned char raw[SESSION_TOKEN_BYTES];
	char *key = arena_alloc(ctx->arena, SESSION_KEY_LEN + 1);

	if (RAND_bytes(raw, sizeof(raw)) != 1)
		return NULL;
	memcpy(key, SESSION_KEY_PREFIX, 3);
	session_b64url(raw, sizeof(raw), key + 3);
	OPENSSL_cleanse(raw, sizeof(raw));
	return key;
}

/* The browser's device cookie (auth.device) as a stored hash, NULL when
 * it sent none. */
static const char *session_device_hash(struct ctx *ctx)
{
	const char *token = jsonx_get_str(ctx->auth, "device");

	return token && *token && strlen(token) < 200 ? session_token_hash(ctx, token) : NULL;
}

int session_device_key(struct ctx *ctx, int64_t user_id, const char **key)
{
	const char *hash = session_device_hash(ctx);
	PGresult *res;

	*key = NULL;
	/* the same statement whether or not there is a cookie or an account */
	res = ctx_sql(ctx,
	              "SELECT 1 FROM auth_devices WHERE tenant_id = $1 AND token_hash = $2 "
	              "AND user_id = $3 AND last_used_at > now() - make_interval(secs => $4)",
	              ctx_i64(ctx, ctx->tenant_id), hash, ctx_i64(ctx, user_id),
	              ctx_i64(ctx, ctx->cfg->device_ttl_s));
	if (res == NULL)
		return -1;
	if (PQntuples(res))
		*key = arena_printf(ctx->arena, "device:%s", hash + 2);
	return 0;
}

int session_devices_revoke(struct ctx *ctx, int64_t user_id)
{
	return ctx_sql(ctx,
	               "DELETE FROM auth_devices WHERE tenant_id = $1 AND user_id = $2 "
	               "AND token_hash IS DISTINCT FROM $3::bytea",
	               ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, user_id),
	               session_device_hash(ctx))
	           ? 0
	           : -1;
}

/* The browser that signs in as user_id becomes one of the account's
 * devices: its cookie is kept (its time renewed) when it is the user's
 * already, else a new one goes into the directive. */
static int session_device_issue(struct ctx *ctx, int64_t user_id, json_object *directive)
{
	const char *hash = session_device_hash(ctx);
	unsigned char raw[SESSION_TOKEN_BYTES];
	char token[64];
	PGresult *res;

	res = ctx_sql(ctx,
	              "UPDATE auth_devices SET last_used_at = now() WHERE tenant_id = $1 "
	              "AND token_hash = $2 AND user_id = $3 "
	              "AND last_used_at > now() - make_interval(secs => $4) RETURNING 1",
	              ctx_i64(ctx, ctx->tenant_id), hash, ctx_i64(ctx, user_id),
	              ctx_i64(ctx, ctx->cfg->device_ttl_s));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		if (RAND_bytes(raw, sizeof(raw)) != 1)
			return ctx_fail(ctx, PROTO_ERR_internal, NULL);
		session_b64url(raw, sizeof(raw), token);
		OPENSSL_cleanse(raw, sizeof(raw));
		if (ctx_sql(ctx,
		            "INSERT INTO auth_devices (tenant_id, token_hash, user_id) "
		            "VALUES ($1, $2, $3)",
		            ctx_i64(ctx, ctx->tenant_id), session_token_hash(ctx, token),
		            ctx_i64(ctx, user_id)) == NULL)
			return -1;
		jsonx_set_str(directive, "device", token);
	}
	jsonx_set_int(directive, "device_max_age", ctx->cfg->device_ttl_s);
	return 0;
}

int session_open(struct ctx *ctx, int64_t user_id)
{
	unsigned char raw[SESSION_TOKEN_BYTES], raw_csrf[24];
	char *token = arena_alloc(ctx->arena, 64), csrf[40];
	const char *ip = jsonx_get_str(ctx->auth, "ip"), *ua = jsonx_get_str(ctx->auth, "user_agent");
	json_object *directive;

	if (RAND_bytes(raw, sizeof(raw)) != 1 || RAND_bytes(raw_csrf, sizeof(raw_csrf)) != 1)
		return ctx_fail(ctx, PROTO_ERR_internal, NULL);
	/* signing in (again, or as someone else) ends the browser's old session */
	if (ctx->session_hash &&
	    ctx_sql(ctx, "DELETE FROM sessions WHERE tenant_id = $1 AND token_hash = $2",
		    ctx_i64(ctx, ctx->tenant_id), ctx->session_hash) == NULL)
		return -1;
	sesscache_forget_session(ctx, ctx->session_hash);
	session_b64url(raw, sizeof(raw), token);
	session_b64url(raw_csrf, sizeof(raw_csrf), csrf);
	OPENSSL_cleanse(raw, sizeof(raw));
	if (ctx_sql(ctx,
		    "INSERT INTO sessions (tenant_id, token_hash, user_id, csrf, expires_at, ip, "
		    "user_agent) VALUES ($1, $2, $3, $4, now() + make_interval(secs => $5), "
		    "nullif($6, '')::inet, $7)",
		    ctx_i64(ctx, ctx->tenant_id), session_token_hash(ctx, token),
		    ctx_i64(ctx, user_id), csrf, ctx_i64(ctx, ctx->cfg->session_max_s),
		    ip && strchr(ip, '.') ? ip : "", ua) == NULL)
		return -1;
	if (ctx->reply_extra == NULL)
		ctx->reply_extra = arena_own(ctx->arena, json_object_new_object());
	directive = json_object_new_object();
	jsonx_set_str(directive, "token", token);
	jsonx_set_str(directive, "csrf", csrf);
	json_object_object_add(ctx->reply_extra, "session", directive);
	if (session_device_issue(ctx, user_id, directive) < 0)
		return -1;
	jsonx_set_str(ctx_result(ctx), "csrf", csrf);
	ctx->user_id = user_id;
	return 0;
}

static void session_clear_cookies(struct ctx *ctx)
{
	json_object *directive = json_object_new_object();

	if (ctx->reply_extra == NULL)
		ctx->reply_extra = arena_own(ctx->arena, json_object_new_object());
	jsonx_set_bool(directive, "clear", 1);
	json_object_object_add(ctx->reply_extra, "session", directive);
}

int session_close(struct ctx *ctx)
{
	if (ctx->session_hash &&
	    ctx_sql(ctx, "DELETE FROM sessions WHERE tenant_id = $1 AND token_hash = $2",
		    ctx_i64(ctx, ctx->tenant_id), ctx->session_hash) == NULL)
		return -1;
	sesscache_forget_session(ctx, ctx->session_hash);
	session_clear_cookies(ctx);
	return 0;
}
