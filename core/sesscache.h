/*
 * sesscache.h - resolved sessions kept in cabinetd's memory.
 *
 * Why: every signed-in request used to start with app_session() in
 * PostgreSQL (the tenant, the session, the user and the roles), which was
 * the largest part of the database's CPU for a read such as a payslip
 * (tests/bench/README.md). cabinetd is one process whose worker threads
 * share this cache, so a session resolved once is served from memory until
 * it ends, changes or its entry gets old; the transaction still gets
 * app.tenant_id, sent with its BEGIN (db_begin_tenant), so row-level
 * security is what it was, and access is checked before the handler as
 * before.
 *
 * What an entry holds: the tenant, the user, their employee, the admin
 * role, the SHA-256 of the session's CSRF token, and the session's absolute
 * end and last use, turned from PostgreSQL's clock into cabinetd's
 * monotonic one. Keyed by the token's hash and the host's subdomain; only
 * valid sessions of ready tenants and not blocked users are kept.
 *
 * When an entry is not used:
 * - past the session's end (session_max_s) or its idle timeout
 *   (session_idle_s, counted from the last use cabinetd knows, which is
 *   never later than the stored one): PostgreSQL is asked, and ends it;
 * - older than session_cache_ttl_s (a few seconds): PostgreSQL is asked
 *   again. This bounds how long a change made behind cabinetd's back
 *   (psql, another cabinetd on the same database) can go unseen.
 * Everything in cabinetd that ends or changes a session or its user drops
 * the entries at once, with one of the sesscache_forget_* calls below:
 * sign-in over a session and sign-out (the session), a new password by
 * change, reset, invitation or operator (every session of the user), rights
 * granted or revoked (the user), cabinets disabled by publication (the
 * tenant), a tenant disabled, enabled or activated (the tenant).
 *
 * A forget applies at once and again after the transaction ends
 * (sesscache_after, called by the dispatcher), and it moves a generation
 * counter: an entry resolved from PostgreSQL before a forget is not
 * stored after it, so a resolution that read the old row cannot bring the
 * old state back once the change has committed.
 *
 * The size is session_cache_size entries (0: no cache), chosen at start;
 * when full, the least recently used entry gives way (clock). One mutex
 * guards it; a lookup copies the entry out.
 */
#ifndef CABINET_SESSCACHE_H
#define CABINET_SESSCACHE_H

#include <stdint.h>

struct ctx;

struct sesscache_entry {
	int64_t tenant_id;
	int64_t user_id;
	int64_t employee_id; /* 0: none */
	int admin;
	unsigned char csrf_sha256[32];
	int64_t expires_ms; /* monotonic ms: the session's absolute end */
	int64_t seen_ms;    /* monotonic ms: its last use as cabinetd knows it */
	int64_t stored_ms;  /* monotonic ms: when it was resolved in PostgreSQL */
};

/* The generation to pass to sesscache_put, read before asking PostgreSQL. */
uint64_t sesscache_generation(void);
/* 0 and *out filled when the session of token_hash ("\\x<hex>") on the
 * host's subdomain is cached, younger than ttl_s, not past its end and not
 * idle longer than idle_s; -1 otherwise (an entry past its time is dropped). */
int sesscache_get(long size, const char *subdomain, const char *token_hash, long ttl_s, long idle_s,
                  struct sesscache_entry *out);
/* Stores a session just resolved, unless something was forgotten since gen. */
void sesscache_put(long size, const char *subdomain, const char *token_hash,
                   const struct sesscache_entry *e, uint64_t gen);
/* The session's last_seen_at was just refreshed (session_after). */
void sesscache_seen(const char *subdomain, const char *token_hash, int64_t seen_ms);

/* Invalidation, for ctx's transaction (applied now and after it ends). */
void sesscache_forget_session(struct ctx *ctx, const char *token_hash);
/* user_id 0: every session of the tenant. */
void sesscache_forget_user(struct ctx *ctx, int64_t tenant_id, int64_t user_id);
void sesscache_forget_tenant(struct ctx *ctx, int64_t tenant_id);
/* Applies ctx's forgets again once its transaction has ended. */
void sesscache_after(struct ctx *ctx);
/* Drops every entry (debug.session_cache_flush: the tests' direct writes). */
void sesscache_flush(void);
/* Frees the memory at exit. */
void sesscache_free(void);

#endif
