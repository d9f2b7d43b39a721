/*
 * web.h - the HTTP glue shared by cabinet-api and cabinet-admin.
 *
 * A responder is a prefork FastCGI server: the parent binds the socket that
 * nginx talks to, keeps `responders` child processes alive and stops them on
 * SIGTERM; each child serves one request at a time and keeps one connection
 * to the core (reopened after any failure, so a restarted core is picked up
 * without restarting the responder). The responders hold no business rules:
 * a request becomes one core operation (route table), its answer becomes the
 * HTTP answer.
 */
#ifndef CABINET_WEB_H
#define CABINET_WEB_H

#include "buf.h"
#include "cfg.h"
#include "client.h"

#include <fcgiapp.h>
#include <json-c/json.h>
#include <stddef.h>

/* The cookies: browser-session cookies (no Max-Age; the core ends the
 * session). Over TLS they carry the __Host- prefix (Secure, Path=/, no
 * Domain: no other host can set or read them); over plain HTTP, in
 * development, the plain names. */
#define WEB_SESSION_COOKIE     "cabinet_session"
#define WEB_CSRF_COOKIE        "cabinet_csrf"
#define WEB_SESSION_COOKIE_TLS "__Host-cabinet_session"
#define WEB_CSRF_COOKIE_TLS    "__Host-cabinet_csrf"
/* the browser as a device of the account it signed in to (core/session.h) */
#define WEB_DEVICE_COOKIE      "cabinet_device"
#define WEB_DEVICE_COOKIE_TLS  "__Host-cabinet_device"

/* One HTTP request. Strings are lent by FastCGI for the request's length. */
struct web_request {
	FCGX_Request *fcgi;
	const char *method;
	const char *uri;   /* REQUEST_URI as sent (percent-encoded, with query) */
	const char *path;  /* uri up to '?', NUL-terminated copy */
	const char *query; /* QUERY_STRING, "" if none */
	const char *host;
	const char *remote_addr;
	const char *cookie;
	const char *content_type;
	const char *user_agent;
	const char *csrf_header;   /* X-CSRF-Token */
	const char *authorization; /* Authorization */
	const char *idempotency_key; /* Idempotency-Key, NULL when not sent */
	const char *origin;          /* Origin */
	const char *fetch_site;      /* Sec-Fetch-Site */
	int background;              /* X-Cabinet-Background: 1 (a page's polling) */
	int auth_request;            /* nginx's auth_request of the notifications' events
	                                (CABINET_AUTH_REQUEST=1, set by the site, never by a client) */
	int https; /* nginx's own TLS, or X-Forwarded-Proto: https of a trusted proxy */
	long content_length;
	char *body; /* owned; NUL-terminated; NULL until web_read_body */
	size_t body_len;
	struct buf headers; /* extra response headers (Set-Cookie, ...) */
	int answered;
};

enum web_route_flags {
	WEB_ROUTE_UPLOAD = 1 << 0, /* multipart body: the "file" part goes to the core as a blob */
	WEB_ROUTE_DOWNLOAD = 1 << 1,   /* the answer may be a file */
	WEB_ROUTE_ATTACHMENT = 1 << 3, /* a file attached to a request: a body up to
	                                  attachments_max_size and 1 MiB of form around it */
	WEB_ROUTE_EXCHANGE = 1 << 2,   /* a JSON body up to exchange_max_body, sent to the core
	                                  unparsed as a blob (the core parses it once) */
	WEB_ROUTE_CHANNEL = 1 << 4,    /* the answer's "channel" also as the X-Cabinet-Channel
	                                  header (nginx's auth_request of the notifications' events) */
};

/* A route: method + path pattern (see http_route_match) -> core operation. */
struct web_route {
	const char *method;
	const char *pattern;
	const char *op;
	int timeout_ms; /* 0: core_timeout_ms from the configuration */
	unsigned flags;
};

/* The configuration and the core connection of this process. */
extern const struct cfg *web_cfg;
extern struct core_client web_core;

struct web_responder {
	const char *name;				 /* for logs and usage */
	const char *(*socket_path)(const struct cfg *cfg); /* where to listen */
	int (*init)(const struct cfg *cfg);		 /* once, in the parent; 0 = ok */
	void (*handle)(struct web_request *req);	 /* per request, in a child */
	const struct web_route *routes;			 /* checked at start-up */
};

/* Parses -c/-v, binds the socket, runs the children; returns the exit status. */
int web_main(int argc, char **argv, const struct web_responder *responder);

/* Finds the route of the request; fills params from the pattern. NULL when
 * none matches, with *wrong_method set when the path exists for another
 * method. */
const struct web_route *web_route_find(const struct web_route *routes, struct web_request *req,
				       json_object *params, int *wrong_method);

/* Reads the body (bounded by max_body). 0, or the HTTP status to answer
 * (413 too large, 400 unreadable). */
int web_read_body(struct web_request *req);
/* The same with another bound (the exchange routes: exchange_max_body). */
int web_read_body_max(struct web_request *req, long max);

/* The auth block of a core request. csrf overrides the X-CSRF-Token header
 * (a form's hidden field). Returns a new object. */
json_object *web_auth(struct web_request *req, const char *csrf);

/* Calls the core; the reply is the caller's on CORE_OK. Logs failures. */
int web_call(struct web_request *req, const char *op, json_object *args, json_object *auth,
	     const void *blob, size_t blob_len, int timeout_ms, struct core_reply *reply);

/* The headers a core reply asks for: its "session" member as Set-Cookie
 * headers, an error's retry_after as Retry-After. */
void web_apply_reply(struct web_request *req, json_object *reply_msg);

/* Writes the whole answer. */
void web_send(struct web_request *req, int status, const char *content_type, const void *body,
	      size_t len);
/* A JSON error answer {"error": {"code", "message"}}. */
void web_send_json_error(struct web_request *req, int status, const char *code,
			 const char *message);
/* A 303 redirect to location (a path on the same host). */
void web_redirect(struct web_request *req, const char *location);

/* Reads one cookie into out (NUL-terminated); 0 or -1 when absent/too long. */
int web_cookie(struct web_request *req, const char *name, char *out, size_t outlen);
/* The names of the session and CSRF cookies for this request (TLS or not). */
const char *web_session_cookie(const struct web_request *req);
const char *web_csrf_cookie(const struct web_request *req);

#endif
