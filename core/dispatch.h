/*
 * dispatch.h - operations, the request context and the dispatcher.
 *
 * Each business module exports a table of struct op ending with {NULL}; the
 * dispatcher gathers them (dispatch.c), checks access, opens the
 * transaction, checks the arguments against the row's declaration
 * (args.h), calls the handler, and commits or rolls back. Adding an
 * operation is adding a row (with its arguments) and a function.
 *
 * One rule for every operation, whatever its handler returns: a request
 * that ends with an error (ctx_fail, or any field error: then the answer is
 * 422) writes nothing, its transaction is rolled back, so no half-done
 * change and no audit row of a success stays. The one exception is asked
 * for explicitly (ctx_fail_commit, ctx_keep): the bookkeeping of a
 * refused attempt (a sign-in failure counter, the audit row of a wrong
 * code) must stay.
 *
 * Handlers report through the context: `return ctx_fail(ctx, PROTO_ERR_x,
 * "message")` or, for field errors, `return ctx_field(ctx, "subdomain",
 * "…")`. Everything a handler allocates comes from ctx->arena and dies with
 * the request.
 */
#ifndef CABINET_DISPATCH_H
#define CABINET_DISPATCH_H

#include "access.h"
#include "arena.h"
#include "args.h"
#include "buf.h"
#include "cfg.h"
#include "db.h"
#include "proto.h"

#include <json-c/json.h>
#include <libpq-fe.h>
#include <stdint.h>
#include <sys/types.h>

struct ctx;

enum op_access {
	OP_ANYONE,   /* no tenant, no session: health, connection requests */
	OP_TENANT,   /* on a tenant's host, no session needed: sign-in */
	OP_EMPLOYEE, /* a signed-in user of the host's tenant */
	OP_ADMIN,    /* an administrator of the host's tenant */
	OP_OPERATOR, /* cabinetctl from a user listed in operator_uids */
	OP_EXCHANGE, /* an API key of the host's tenant (Bearer ck_...), never a session */
};

enum role_bits {
	ROLE_ADMIN = 1 << 0,
	ROLE_MANAGER = 1 << 1,   /* head of a department or organization (access_load_roles) */
	ROLE_PERFORMER = 1 << 2, /* a performer of a routing role (access_load_roles) */
	ROLE_LOADED = 1 << 3,    /* ROLE_MANAGER and ROLE_PERFORMER have been looked up */
};

enum op_flags {
	OP_NO_TX = 1 << 0,      /* the handler manages the database itself */
	OP_DEBUG = 1 << 1,      /* exists only with debug_ops = on */
	OP_WRITE = 1 << 2,      /* changes state: a cookie session must send its CSRF token;
	                           without it the handler's transaction is read-only */
	OP_SIGNIN = 1 << 3,     /* a sign-in form: works whatever session the browser holds (no
	                           CSRF token needed); a new session ends the old one */
	OP_IDEMPOTENT = 1 << 4, /* creates something: accepts an Idempotency-Key (idempotency.h) */
};

struct op {
	const char *name;
	enum op_access access;
	int (*handler)(struct ctx *ctx);
	unsigned flags;
	const struct op_arg *args; /* declared arguments ending with ARG_END; args_none: none */
	struct op_who who;         /* who may call it, on what object (access.h) */
	const char *scope;         /* OP_EXCHANGE: the API key's scope it needs (access.h) */
	/* How long the operation may work, in ms: each statement of its
	 * transaction gets it as statement_timeout, and no statement starts
	 * after it has passed (503). 0: core_timeout_ms less a tenth of it (at
	 * least 0.5 s), so the worker stops before the responder gives up waiting. An operation the
	 * responders wait longer for (their route's timeout: payroll, imports,
	 * the exchange) declares the same larger budget here. */
	int budget_ms;
};

/* budget_ms of an operation whose responder route waits route_ms (cgi/api.c) */
#define OP_BUDGET(route_ms) ((route_ms)*9 / 10)
#define OP_BUDGET_EXCHANGE  OP_BUDGET(300000) /* cgi/api.c EXCHANGE_TIMEOUT_MS */
/* An operation whose budget is over this is a long one (imports, exchange
 * batches, payroll calculation, publication, bulk actions on cabinets):
 * at most one runs per tenant and at most workers - 1 in all, so a short
 * request of every other tenant always finds a worker (and a responder)
 * free. The rest are answered 429 with Retry-After at once, before their
 * handler runs (dispatch.c, dispatch_long_enter). */
#define OP_LONG_MS          60000
#define OP_LONG_RETRY_AFTER 10

#define CTX_FORGETS 4
/* At most this many field errors are answered (a batch of 100 000 bad
 * items would be a body of tens of megabytes); error.fields_total counts
 * them all. */
#define CTX_FIELDS_MAX 100

struct ctx {
	struct arena *arena;
	struct db *db;
	const struct cfg *cfg;
	const struct op *op;
	json_object *args; /* lent by the request; always an object */
	json_object *auth; /* lent; always an object */
	const unsigned char *blob;
	size_t blob_len;
	uid_t peer_uid;
	int peer_operator;
	uint32_t req;
	int retry;  /* a serialization failure or deadlock: run the transaction again */
	int system; /* a background task, not a request */

	/* who is asking, filled by the dispatcher before the handler runs */
	int64_t tenant_id;	   /* 0: no tenant (base host, operator) */
	const char *subdomain;	   /* the tenant's, from the host */
	int64_t user_id;	   /* 0: nobody signed in */
	int64_t employee_id;	   /* the user's employee, 0 if none */
	unsigned roles;		   /* ROLE_* of the user */
	const char *session_hash;  /* hex SHA-256 of the session token, or NULL */
	const char *session_due;   /* a session to mark seen or end after the
	                            * transaction (session_after), or NULL */
	int session_due_end;       /* 1: session_due has expired: end it */
	/* sessions to drop from the cache again when the transaction has
	 * ended (sesscache.h) */
	struct ctx_forget {
		int64_t tenant_id, user_id; /* user_id 0: all of the tenant's */
		char token_hash[67];        /* "": by tenant and user */
	} forget[CTX_FORGETS];
	int nforget;
	int forget_all; /* more than fit: drop every entry */
	/* the transaction may have written beyond ctx->tenant_id's rows (system
	 * scope, or a change of tenant): its commit moves the payslip cache's
	 * global generation (paycache.h) */
	int any_tenant;
	int64_t api_key_id;	   /* OP_EXCHANGE: the key's id */
	const char *api_key_name;  /* OP_EXCHANGE: the key's name */
	const char *api_key_scopes; /* OP_EXCHANGE: the key's scopes, as text[] ("{staff,kpi}") */
	/* the object of the row's declaration (access.h), resolved before the handler */
	int64_t object_id;          /* 0: none */
	int64_t object_employee_id; /* the employee the object belongs to */
	unsigned who_matched;       /* the WHO_* bit that admitted the caller */
	unsigned who_held;          /* the row's WHO_* bits whose role the caller holds */
	struct ctx_hook *hooks;     /* ctx_before_commit(), in the arena */
	const char *time_zone;      /* org_time_zone(), asked once per transaction */
	int64_t deadline_us;        /* monotime_us() past which no statement starts; 0: none */
	int long_held;              /* the request holds a long operation's slot (OP_LONG_MS) */
	int64_t long_tenant;        /* ... taken for this tenant */

	/* the reply */
	int status;
	json_object *result;	    /* owned by the arena */
	json_object *reply_extra;   /* members added beside "result", e.g. "session" */
	int error;		    /* PROTO_ERR_* or -1 */
	const char *error_message;  /* NULL: the code's default message */
	json_object *error_fields;  /* field -> Russian text, owned by the arena */
	json_object *error_codes;   /* field -> stable code, owned by the arena */
	int64_t error_fields_more;  /* field errors past CTX_FIELDS_MAX, counted, not kept */
	int64_t retry_after;        /* > 0: seconds to wait, error.retry_after (Retry-After) */
	const char *locked_month;   /* a 423 of a closed payroll month: its "YYYY-MM", as
	                               error.locked_month (the pages link to it) */
	int keep;                   /* commit the writes although the answer is an error */
	int error_about;            /* error_fields say what the error is about (ctx_fail_about) */
	struct buf *download;	    /* a file to send after the response */
	const char *download_type;
	const char *download_name;
};

/* Fails the request with an error code and an optional message (NULL: the
 * code's default). Returns -1 so handlers can `return ctx_fail(...)`. */
int ctx_fail(struct ctx *ctx, int error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Like ctx_fail but returns 0: the error is answered and the transaction
 * still commits (a failed sign-in keeps its audit row and its counter). */
int ctx_fail_commit(struct ctx *ctx, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A failure that is no validation error although its error.fields name
 * what it is about (409 "stale" naming employees.<id>, 409 "early_close"
 * naming confirm_early): its status stays, the fields recorded before go
 * with it, nothing is written. Returns -1. */
int ctx_fail_about(struct ctx *ctx, int error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* 429 with error.retry_after = seconds (the responders send it as the
 * Retry-After header). Returns -1: nothing of the request is written. */
int ctx_fail_wait(struct ctx *ctx, int64_t seconds, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Marks the request's writes to commit although it answers an error (a
 * wrong one-time code keeps its counters and audit row). Returns 0, so a
 * handler can `return ctx_keep(ctx)` after a ctx_field. */
int ctx_keep(struct ctx *ctx);
/* Adds a field error (validation, 422); may be called for several fields.
 * The answer's error.fields maps each field to its Russian text and
 * error.field_codes to a stable code ("invalid" unless ctx_field_code). */
int ctx_field(struct ctx *ctx, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int ctx_field_code(struct ctx *ctx, const char *field, const char *code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/*
 * Work a module leaves to the end of the operation: fn(ctx, mem) runs once,
 * after a handler that succeeded and before the commit (in the order the
 * hooks were first asked for), so rows a request writes many times (its
 * history, audit rows, notifications) go in one statement. The first call
 * for a fn gives size zeroed bytes of the request's arena; later calls in
 * the same request give the same memory. A hook that fails fails the
 * request (nothing is written). Background tasks (dispatch_system) run their
 * hooks too.
 */
void *ctx_before_commit(struct ctx *ctx, int (*fn)(struct ctx *ctx, void *mem), size_t size);

/* The operation's budget in ms (struct op's budget_ms, or core_timeout_ms
 * less its margin). */
int dispatch_budget_ms(const struct ctx *ctx);

/* The result object, created on first use. */
json_object *ctx_result(struct ctx *ctx);

/*
 * Where a page of a list is, for the administrator's list pages:
 * {"from", "to", "total", "prev"?, "next"?}, prev and next being
 * base?key=value&...&offset=N with this request's values of keys
 * (NULL-terminated; empty ones left out), percent-encoded. Memory: a new
 * object the caller adds to its result.
 */
json_object *ctx_page(struct ctx *ctx, const char *base, const char *const *keys, int64_t total,
                      int64_t limit, int64_t offset);

/* Argument readers. A missing argument gives def (or, for def ==
 * CTX_REQUIRED / required = 1, a field error); a wrong type or a value out
 * of range gives a field error naming the argument and what is allowed.
 * Integers may come as JSON numbers or as decimal strings (query strings).
 * They check as args.h does; a declared argument has been checked (and
 * normalized) by the dispatcher before the handler runs. */
#define CTX_REQUIRED INT64_MIN
int ctx_arg_int(struct ctx *ctx, const char *name, int64_t min, int64_t max, int64_t def,
		int64_t *out);
/* A string argument of at most maxlen characters (and no control characters), or
 * NULL when missing/invalid (with a field error when required or invalid). */
const char *ctx_arg_str(struct ctx *ctx, const char *name, size_t maxlen, int required);
/* The same for a password (ARG_SECRET): any characters, maxlen bytes. */
const char *ctx_arg_secret(struct ctx *ctx, const char *name, size_t maxlen, int required);

/* Runs a parameterized statement; params are text or NULL. On failure sets
 * the error from the SQLSTATE, logs once, and returns NULL. The result
 * belongs to the arena. */
PGresult *ctx_query(struct ctx *ctx, const char *sql, int nparams, const char *const *params);
/* ctx_sql(ctx, sql, p1, p2, ...): the same with the parameters inline. */
#define ctx_sql(ctx, sql, ...)                                                                     \
	ctx_query(ctx, sql, (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)),   \
		  (const char *const[]){__VA_ARGS__})
#define ctx_sql0(ctx, sql) ctx_query(ctx, sql, 0, NULL)
/* A statement of a write whose answer is not needed (an UPDATE, a row
 * lock): sent with the transaction's next statement, in its round trip
 * (db_queue); its failure is that statement's (ctx_query then fails as for
 * its own). sql must be a literal; params are copied. 0 or -1. */
int ctx_queue(struct ctx *ctx, const char *sql, int nparams, const char *const *params);
#define ctx_sql_queue(ctx, sql, ...)                                                               \
	ctx_queue(ctx, sql, (int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)),   \
		  (const char *const[]){__VA_ARGS__})
/* Text of an integer in arena memory, for parameters. */
const char *ctx_i64(struct ctx *ctx, int64_t value);

/* Makes the rest of the transaction see every tenant's rows (app.scope =
 * system): cross-tenant registry work only (connections, background tasks,
 * operator commands). 0 or -1. */
int ctx_system_scope(struct ctx *ctx);
/* Makes the transaction one tenant's (app.tenant_id) and sets ctx->tenant_id. */
int ctx_use_tenant(struct ctx *ctx, int64_t tenant_id);

/* For background tasks: runs fn(ctx, arg) in one transaction in system
 * scope on the worker's connection. Returns fn's result (>= 0 commits), or
 * -1 when fn failed or the database is down (rolled back, logged). */
int dispatch_system(struct db *db, struct arena *arena, const char *name,
		    int (*fn)(struct ctx *ctx, void *arg), void *arg);

/*
 * Runs another operation's handler inside this request's transaction, with
 * args (taken over by the call) checked against that operation's declared
 * arguments: one module reusing another's rules as part of its own
 * operation (a done vacation request makes the deviation document exactly
 * as deviations.create does). The inner operation's access is not
 * checked: the calling operation's was. *result gets the inner result
 * (arena-owned; may be NULL); the caller's result and status are kept.
 * 0, or -1 with the inner error (or field errors) on ctx.
 */
int ctx_call(struct ctx *ctx, const char *op, json_object *args, json_object **result);

/* Builds the operation index; 0, or -1 when two tables name the same op or
 * an operation's declaration is missing or wrong (a required argument
 * without a valid example). */
int dispatch_init(void);
const struct op *dispatch_find(const char *name);
/* Every operation this configuration offers (debug ones only with
 * debug_ops) with its access, flags and declared arguments: a new array. */
json_object *dispatch_describe(const struct cfg *cfg);
/* Serves one request frame: request is the parsed JSON, the reply frames are
 * appended to out. */
void dispatch_request(struct db *db, struct arena *arena, json_object *request, uint32_t frame_id,
		      const unsigned char *blob, size_t blob_len, uid_t peer_uid, int peer_operator,
		      struct buf *out);
/* Appends a response frame with an error (used before any dispatch, e.g. for
 * an unparseable request or a version mismatch). */
void dispatch_error_frame(struct buf *out, uint32_t frame_id, int error, const char *message);

#endif
