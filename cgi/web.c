#include "web.h"

#include "httpparse.h"
#include "jsonx.h"
#include "log.h"
#include "proto.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define WEB_BACKLOG_PER_RESPONDER 64

const struct cfg *web_cfg;
struct core_client web_core;

static volatile sig_atomic_t web_stop;

static const char *web_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 202: return "Accepted";
	case 204: return "No Content";
	case 303: return "See Other";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Payload Too Large";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Entity";
	case 423: return "Locked";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	default: return status >= 500 ? "Internal Server Error" : "Unknown";
	}
}

/* ------------------------------------------------------------- requests */

static const char *web_param(FCGX_Request *f, const char *name)
{
	const char *v = FCGX_GetParam(name, f->envp);

	return v ? v : "";
}

/* TLS as the browser sees it: nginx terminated it (HTTPS=on, from $https),
 * or a proxy that nginx trusts did and says so in X-Forwarded-Proto. nginx
 * passes the connection's own peer as CABINET_PEER_ADDR
 * ($realip_remote_addr); it differs from REMOTE_ADDR only when the realip
 * module replaced the address, which it does only for a peer listed in
 * set_real_ip_from: a trusted proxy. Anyone else's X-Forwarded-Proto is
 * ignored. */
static int web_is_https(FCGX_Request *f)
{
	const char *peer = web_param(f, "CABINET_PEER_ADDR");

	if (strcmp(web_param(f, "HTTPS"), "on") == 0)
		return 1;
	return *peer && strcmp(peer, web_param(f, "REMOTE_ADDR")) != 0 &&
	       strcasecmp(web_param(f, "HTTP_X_FORWARDED_PROTO"), "https") == 0;
}

static void web_request_init(struct web_request *req, FCGX_Request *f)
{
	const char *uri, *q;
	char *path;

	memset(req, 0, sizeof(*req));
	req->fcgi = f;
	req->method = web_param(f, "REQUEST_METHOD");
	uri = web_param(f, "REQUEST_URI");
	req->uri = uri;
	q = strchr(uri, '?');
	path = strndup(uri, q ? (size_t)(q - uri) : strlen(uri));
	if (path == NULL)
		abort();
	req->path = path;
	req->query = web_param(f, "QUERY_STRING");
	req->host = web_param(f, "HTTP_HOST");
	req->remote_addr = web_param(f, "REMOTE_ADDR");
	req->cookie = web_param(f, "HTTP_COOKIE");
	req->content_type = web_param(f, "CONTENT_TYPE");
	req->user_agent = web_param(f, "HTTP_USER_AGENT");
	req->csrf_header = web_param(f, "HTTP_X_CSRF_TOKEN");
	req->authorization = web_param(f, "HTTP_AUTHORIZATION");
	req->idempotency_key = FCGX_GetParam("HTTP_IDEMPOTENCY_KEY", f->envp); /* NULL: none */
	req->origin = web_param(f, "HTTP_ORIGIN");
	req->fetch_site = web_param(f, "HTTP_SEC_FETCH_SITE");
	req->background = strcmp(web_param(f, "HTTP_X_CABINET_BACKGROUND"), "1") == 0;
	req->auth_request = strcmp(web_param(f, "CABINET_AUTH_REQUEST"), "1") == 0;
	req->https = web_is_https(f);
	req->content_length = atol(web_param(f, "CONTENT_LENGTH"));
}

static void web_request_free(struct web_request *req)
{
	free((char *)req->path);
	free(req->body);
	buf_free(&req->headers);
}

int web_read_body(struct web_request *req)
{
	return web_read_body_max(req, web_cfg->max_body);
}

int web_read_body_max(struct web_request *req, long max)
{
	long want = req->content_length;
	int n;

	if (want < 0)
		return 400;
	if (want > max)
		return 413;
	req->body = malloc((size_t)want + 1);
	if (req->body == NULL)
		return 413;
	req->body_len = 0;
	while ((long)req->body_len < want) {
		n = FCGX_GetStr(req->body + req->body_len, (int)(want - (long)req->body_len),
				req->fcgi->in);
		if (n <= 0)
			return 400; /* the client went away mid-body */
		req->body_len += (size_t)n;
	}
	req->body[req->body_len] = '\0';
	return 0;
}

const struct web_route *web_route_find(const struct web_route *routes, struct web_request *req,
				       json_object *params, int *wrong_method)
{
	*wrong_method = 0;
	for (const struct web_route *r = routes; r->method; r++) {
		if (http_route_match(r->pattern, req->path, strlen(req->path), NULL) != 0)
			continue;
		if (strcmp(r->method, req->method) != 0 &&
		    !(strcmp(r->method, "GET") == 0 && strcmp(req->method, "HEAD") == 0)) {
			*wrong_method = 1;
			continue;
		}
		http_route_match(r->pattern, req->path, strlen(req->path), params);
		return r;
	}
	return NULL;
}

const char *web_session_cookie(const struct web_request *req)
{
	return req->https ? WEB_SESSION_COOKIE_TLS : WEB_SESSION_COOKIE;
}

const char *web_csrf_cookie(const struct web_request *req)
{
	return req->https ? WEB_CSRF_COOKIE_TLS : WEB_CSRF_COOKIE;
}

int web_cookie(struct web_request *req, const char *name, char *out, size_t outlen)
{
	const char *v;
	size_t n;

	if (http_cookie_get(req->cookie, strlen(req->cookie), name, &v, &n) != 0 || n >= outlen)
		return -1;
	memcpy(out, v, n);
	out[n] = '\0';
	return 0;
}

json_object *web_auth(struct web_request *req, const char *csrf)
{
	json_object *auth = json_object_new_object();
	char token[256];

	/* a bearer token (API clients) or the session cookie (browsers); only
	 * the cookie needs the CSRF token, the core knows which one it got */
	if (strncmp(req->authorization, "Bearer ", 7) == 0) {
		jsonx_set_str(auth, "session", req->authorization + 7);
		jsonx_set_str(auth, "via", "bearer");
	} else if (web_cookie(req, web_session_cookie(req), token, sizeof(token)) == 0) {
		jsonx_set_str(auth, "session", token);
		jsonx_set_str(auth, "via", "cookie");
	}
	if (web_cookie(req, req->https ? WEB_DEVICE_COOKIE_TLS : WEB_DEVICE_COOKIE, token,
	               sizeof(token)) == 0)
		jsonx_set_str(auth, "device", token);
	jsonx_set_str(auth, "host", req->host);
	jsonx_set_str(auth, "ip", req->remote_addr);
	if (csrf && *csrf)
		jsonx_set_str(auth, "csrf", csrf);
	else if (*req->csrf_header)
		jsonx_set_str(auth, "csrf", req->csrf_header);
	if (*req->user_agent) {
		char ua[201];
		snprintf(ua, sizeof(ua), "%s", req->user_agent);
		if (http_utf8_valid(ua, strlen(ua)))
			jsonx_set_str(auth, "user_agent", ua);
	}
	jsonx_set_bool(auth, "https", req->https);
	/* where a browser says the request comes from: the core refuses a
	 * state change from another site (login CSRF included) */
	if (*req->origin)
		jsonx_set_str(auth, "origin",
		              strlen(req->origin) < 300 &&
		                      http_utf8_valid(req->origin, strlen(req->origin))
		                  ? req->origin
		                  : "invalid");
	if (*req->fetch_site && strlen(req->fetch_site) < 32)
		jsonx_set_str(auth, "fetch_site", req->fetch_site);
	if (req->background)
		jsonx_set_bool(auth, "background", 1);
	if (req->idempotency_key) {
		/* the core checks the key; a byte that is not printable ASCII goes
		 * as DEL and a longer key is cut just past the limit, so the core
		 * still refuses it (422 naming Idempotency-Key) */
		char key[PROTO_IDEMPOTENCY_KEY_MAX + 2];
		size_t n = 0;
		for (const char *p = req->idempotency_key; *p && n + 1 < sizeof(key); p++)
			key[n++] = *p >= 0x20 && *p <= 0x7e ? *p : 0x7f;
		key[n] = '\0';
		jsonx_set_str(auth, "idempotency_key", key);
	}
	return auth;
}

int web_call(struct web_request *req, const char *op, json_object *args, json_object *auth,
	     const void *blob, size_t blob_len, int timeout_ms, struct core_reply *reply)
{
	json_object *call = json_object_new_object();
	int r;

	jsonx_set_str(call, "op", op);
	json_object_object_add(call, "auth", json_object_get(auth));
	json_object_object_add(call, "args", json_object_get(args));
	r = core_client_call(&web_core, call, blob, blob_len,
			     timeout_ms > 0 ? timeout_ms : (int)web_cfg->core_timeout_ms, reply);
	json_object_put(call);
	if (r != CORE_OK)
		log_warn("core_unavailable", "op=%s reason=%s path=%s", op, core_result_name(r),
			 web_core.path);
	(void)req;
	return r;
}

/* A browser-session cookie (no Max-Age: it ends with the browser; the
 * core ends the session itself), or with clear a cookie that expires now. */
static void web_set_cookie(struct web_request *req, const char *name, const char *value, int clear,
                           int http_only)
{
	buf_printf(&req->headers, "Set-Cookie: %s=%s; Path=/%s; SameSite=Lax%s%s\r\n", name, value,
	           clear ? "; Max-Age=0" : "", http_only ? "; HttpOnly" : "",
	           req->https ? "; Secure" : "");
}

/* Cookie values come from the core; still, nothing that could split a
 * header line gets through. */
static int web_cookie_value_ok(const char *v)
{
	for (; *v; v++)
		if (*v <= ' ' || *v == ';' || *v == ',' || *v == '"' || *v == '\\' || *v > '~')
			return 0;
	return 1;
}

static void web_apply_session(struct web_request *req, json_object *reply_msg)
{
	json_object *s = jsonx_get_obj(reply_msg, "session");
	const char *token, *csrf;
	int64_t max_age = 0;
	int clear = 0;

	if (s == NULL)
		return;
	if (jsonx_get_bool(s, "clear", &clear) == 0 && clear) {
		web_set_cookie(req, web_session_cookie(req), "", 1, 1);
		web_set_cookie(req, web_csrf_cookie(req), "", 1, 0);
		return;
	}
	token = jsonx_get_str(s, "token");
	csrf = jsonx_get_str(s, "csrf");
	if (token && web_cookie_value_ok(token))
		web_set_cookie(req, web_session_cookie(req), token, 0, 1);
	if (csrf && web_cookie_value_ok(csrf))
		web_set_cookie(req, web_csrf_cookie(req), csrf, 0, 0);
	/* the device cookie outlives the browser and signing out (it is no
	 * credential: core/session.h); only same-site requests carry it */
	token = jsonx_get_str(s, "device");
	if (token && web_cookie_value_ok(token) &&
	    jsonx_get_int64(s, "device_max_age", &max_age) == 0)
		buf_printf(
		    &req->headers,
		    "Set-Cookie: %s=%s; Path=/; Max-Age=%lld; SameSite=Strict; HttpOnly%s\r\n",
		    req->https ? WEB_DEVICE_COOKIE_TLS : WEB_DEVICE_COOKIE, token,
		    (long long)max_age, req->https ? "; Secure" : "");
}

void web_apply_reply(struct web_request *req, json_object *reply_msg)
{
	int64_t wait = 0;

	web_apply_session(req, reply_msg);
	/* a limit says how long to wait (RFC 9110 Retry-After, seconds) */
	if (jsonx_get_int64(jsonx_get_obj(reply_msg, "error"), "retry_after", &wait) == 0 &&
	    wait > 0 && wait < 10000000)
		buf_printf(&req->headers, "Retry-After: %lld\r\n", (long long)wait);
}

void web_send(struct web_request *req, int status, const char *content_type, const void *body,
	      size_t len)
{
	struct buf head = BUF_INIT;

	if (req->answered)
		return;
	req->answered = 1;
	/* composed here: libfcgi's own printf does not know every conversion */
	buf_printf(&head, "Status: %d %s\r\nContent-Type: %s\r\nCache-Control: no-store\r\n",
		   status, web_status_text(status), content_type);
	buf_append(&head, req->headers.data, req->headers.len);
	buf_printf(&head, "Content-Length: %zu\r\n\r\n", len);
	FCGX_PutStr(head.data, (int)head.len, req->fcgi->out);
	if (len && strcmp(req->method, "HEAD") != 0)
		FCGX_PutStr(body, (int)len, req->fcgi->out);
	buf_free(&head);
}

void web_send_json_error(struct web_request *req, int status, const char *code,
			 const char *message)
{
	json_object *o = json_object_new_object(), *e = json_object_new_object();
	const char *text;
	size_t len;

	jsonx_set_str(e, "code", code);
	jsonx_set_str(e, "message", message);
	json_object_object_add(o, "error", e);
	text = jsonx_dump(o, &len);
	web_send(req, status, "application/json; charset=utf-8", text, len);
	json_object_put(o);
}

void web_redirect(struct web_request *req, const char *location)
{
	/* only local paths: never an open redirect */
	if (location[0] != '/' || location[1] == '/' || location[1] == '\\' ||
	    strpbrk(location, "\r\n"))
		location = "/";
	buf_printf(&req->headers, "Location: %s\r\n", location);
	web_send(req, 303, "text/plain; charset=utf-8", "", 0);
}

/* ------------------------------------------------------------ processes */

static void web_on_term(int sig)
{
	(void)sig;
	web_stop = 1;
}

static void web_child(int listen_fd, const struct web_responder *responder)
{
	struct sigaction sa = {.sa_handler = web_on_term}; /* no SA_RESTART: accept returns */
	FCGX_Request fcgi;
	sigset_t none;

	sigemptyset(&none);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGCHLD, SIG_DFL);
	sigprocmask(SIG_SETMASK, &none, NULL);

	core_client_init(&web_core, web_cfg->socket_path, (int)web_cfg->core_connect_timeout_ms);
	FCGX_InitRequest(&fcgi, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR);
	while (!web_stop && FCGX_Accept_r(&fcgi) >= 0) {
		struct web_request req;
		web_request_init(&req, &fcgi);
		responder->handle(&req);
		if (!req.answered)
			web_send_json_error(&req, 500, "internal", proto_errors[PROTO_ERR_internal].message);
		web_request_free(&req);
		FCGX_Finish_r(&fcgi);
	}
	FCGX_Free(&fcgi, 1);
	core_client_free(&web_core);
	cfg_free((struct cfg *)web_cfg);
	exit(0);
}

static pid_t web_spawn(int listen_fd, const struct web_responder *responder)
{
	pid_t pid = fork();

	if (pid == 0)
		web_child(listen_fd, responder);
	if (pid < 0)
		log_error("fork_failed", "errno=%d", errno);
	return pid;
}

static int web_check_routes(const struct web_route *routes)
{
	for (const struct web_route *r = routes; r && r->method; r++) {
		if (http_route_valid(r->pattern) != 0) {
			log_error("bad_route", "pattern=%s", r->pattern);
			return -1;
		}
	}
	return 0;
}

int web_main(int argc, char **argv, const struct web_responder *responder)
{
	const char *path = "/etc/cabinet/cabinet.conf", *sock;
	int opt, verbose = 0, fd, n, alive = 0;
	pid_t *kids;
	char err[1024], quoted[1100];
	struct cfg *cfg;
	sigset_t mask;

	log_init(responder->name);
	while ((opt = getopt(argc, argv, "c:vh")) != -1) {
		switch (opt) {
		case 'c': path = optarg; break;
		case 'v': verbose = 1; break;
		default:
			fprintf(opt == 'h' ? stdout : stderr, "usage: %s [-c FILE] [-v]\n",
				responder->name);
			return opt == 'h' ? 0 : 2;
		}
	}
	cfg = cfg_load(path, err, sizeof(err));
	if (cfg == NULL) {
		log_error("config_invalid", "error=%s", log_quote(err, quoted, sizeof(quoted)));
		return 1;
	}
	web_cfg = cfg;
	log_set_level(verbose ? LOG_DEBUG : (enum log_level)cfg->log_level);
	if (web_check_routes(responder->routes) < 0 || (responder->init && responder->init(cfg) < 0))
		goto fail;

	FCGX_Init();
	sock = responder->socket_path(cfg);
	unlink(sock);
	/* the queue in front of the processes grows with them: a request
	 * takes milliseconds, so 64 waiting per process wait well under a
	 * second, and nginx lets one client have at most 10 at once; beyond
	 * the queue nginx answers 503 at once instead of queueing without
	 * end. The kernel caps it at net.core.somaxconn. */
	fd = FCGX_OpenSocket(sock, (int)cfg->responders * WEB_BACKLOG_PER_RESPONDER);
	if (fd < 0 || chmod(sock, (mode_t)cfg->responder_socket_mode) < 0) {
		log_error("listen_failed", "socket=%s errno=%d", sock, errno);
		goto fail;
	}

	/* the parent only supervises: signals are taken synchronously */
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigaddset(&mask, SIGCHLD);
	sigprocmask(SIG_BLOCK, &mask, NULL);

	n = (int)cfg->responders;
	kids = calloc((size_t)n, sizeof(pid_t));
	if (kids == NULL)
		abort();
	for (int i = 0; i < n; i++)
		if ((kids[i] = web_spawn(fd, responder)) > 0)
			alive++;
	log_info("listening", "socket=%s processes=%d core=%s", sock, alive, cfg->socket_path);

	for (;;) {
		siginfo_t si;
		int sig = sigwaitinfo(&mask, &si), status;
		pid_t pid;
		if (sig < 0)
			continue;
		if (sig == SIGTERM || sig == SIGINT)
			break;
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			for (int i = 0; i < n; i++) {
				if (kids[i] != pid)
					continue;
				log_warn("child_exited", "pid=%d status=%d action=respawn", (int)pid,
					 status);
				sleep(1); /* a child that dies at once must not spin */
				kids[i] = web_spawn(fd, responder);
			}
		}
	}
	log_info("stopping", "processes=%d", n);
	for (int i = 0; i < n; i++)
		if (kids[i] > 0)
			kill(kids[i], SIGTERM);
	for (int i = 0; i < n; i++)
		if (kids[i] > 0)
			waitpid(kids[i], NULL, 0);
	unlink(sock);
	free(kids);
	cfg_free(cfg);
	return 0;
fail:
	cfg_free(cfg);
	return 1;
}
