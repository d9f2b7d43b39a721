/*
 * session.h - who is asking: the tenant from the Host header and the user
 * from the session token, resolved once per request before the handler.
 *
 * Tokens are 256-bit random values, base64url in the cookie; only their
 * SHA-256 is stored. A session carries its own CSRF token, which a
 * state-changing call authenticated by the cookie must echo (X-CSRF-Token
 * or the form field _csrf). Bearer-token calls need no CSRF token: a
 * browser never adds that header on its own.
 *
 * Every state-changing operation (OP_WRITE), sign-in included, is refused
 * (403 csrf) when the browser says it comes from another site: an Origin
 * other than the request's own host, or Sec-Fetch-Site cross-site or
 * same-site (the responders pass both in the auth block as "origin" and
 * "fetch_site"). Requests without either header and bearer-token requests
 * pass.
 *
 * Lifetime: session_max_s after sign-in, and session_idle_s without the
 * user's activity; a request marked background (auth.background, from the
 * X-Cabinet-Background: 1 header of a page's polling) is served but does
 * not count as activity.
 */
#ifndef CABINET_SESSION_H
#define CABINET_SESSION_H

#include "dispatch.h"

/* Fills ctx->tenant_id, user_id, roles... as the op's access level needs;
 * fails the request (404 unknown host or another tenant's session, 403
 * disabled tenant or missing role or CSRF, 401 no session) otherwise. */
int session_resolve(struct ctx *ctx);
/* After the request's transaction (rc 0: it committed): ends the session
 * session_resolve found expired, or refreshes its last_seen_at (at most once
 * a minute, requests not marked background only) - one statement of its own,
 * so resolving writes nothing and a reading transaction is read-only from
 * its BEGIN (sql/0065). A failure is logged; the answer stands. */
void session_after(struct ctx *ctx, int rc);

/* API keys of the exchange: "ck_" + 43 base64url characters (256 random
 * bits), 46 in all; a session token is 43, so the two never mix. */
#define SESSION_KEY_PREFIX "ck_"
#define SESSION_KEY_LEN    46
int session_is_api_key(const char *token);
/* A new key in arena memory (NULL when the random source fails). */
const char *session_new_api_key(struct ctx *ctx);
/* "\\x<hex of SHA-256(token)>", the bytea parameter of a stored token or key. */
const char *session_token_hash(struct ctx *ctx, const char *token);
/* The subdomain of a Host header value under base_domain, into out; -1 when
 * the host is not a tenant host. */
int session_host_subdomain(const char *host, const char *base_domain, char *out, size_t outlen);
/* The organization of the request's host: *tenant_id and *status ("ready"
 * or "disabled"), or 0 and NULL on the base host itself; 404
 * tenant_not_found (ctx_fail) for a host of no organization (none, or one
 * still being created or failed). Switches the transaction to the system
 * scope. 0 or -1. */
int session_host_tenant(struct ctx *ctx, int64_t *tenant_id, const char **status);
/* Opens a session for user_id of ctx->tenant_id and adds the "session"
 * directive (token, csrf) to the reply: the responder turns it into
 * browser-session cookies (no Max-Age; the core ends the session). The
 * token never appears in a result or a log. */
int session_open(struct ctx *ctx, int64_t user_id);
/* Ends the current session (sign-out) and tells the responder to clear the
 * cookies. */
int session_close(struct ctx *ctx);

/*
 * Device cookies (sql/0010): a browser that signed in as a user holds a
 * random token (cookie cabinet_device, __Host-cabinet_device over TLS,
 * HttpOnly, SameSite=Strict, kept device_ttl_s after its last sign-in and
 * not cleared by signing out; the responders pass it as auth.device). It
 * is no credential: it only lets that browser's failed sign-ins count on
 * their own instead of the account's (auth.c, auth_login).
 *
 * session_open makes the browser a device of the user: its directive
 * carries a new "device" token (none when the browser's cookie is the
 * user's already) and "device_max_age" (seconds).
 */
/* *key = "device:<hex>" when the request's device cookie is a live device
 * of user_id, else NULL (also for user_id 0); -1 on a database error. */
int session_device_key(struct ctx *ctx, int64_t user_id, const char **key);
/* Removes the user's devices but the one this request came from. */
int session_devices_revoke(struct ctx *ctx, int64_t user_id);

#endif
