/*
 * db.h - one PostgreSQL connection, owned by one worker thread.
 *
 * The connection is opened lazily and reopened after it breaks (a restarted
 * server is picked up without restarting cabinetd); attempts are spaced so a
 * database that is down costs a request at most one quick connect try.
 */
#ifndef CABINET_DB_H
#define CABINET_DB_H

#include <libpq-fe.h>
#include <stdint.h>

/* A statement prepared on the connection (db_exec). */
struct db_stmt {
	uint64_t hash; /* 0: an empty slot */
	char *sql;     /* owned copy */
	int number;    /* prepared as "s<number>" */
};

#define DB_STMT_SLOTS 1024 /* open addressing; at most half of them used */

/* A statement queued by db_queue: sent with the next one. */
struct db_queued {
	const char *sql;
	int nparams;
	const char *const *params; /* the caller's until the flight is read */
};

#define DB_QUEUE_MAX 8

struct db {
	PGconn *conn;
	char *conninfo;
	int64_t next_attempt_ms;
	struct db_stmt *stmts; /* DB_STMT_SLOTS of them, NULL until the first */
	int nstmts;
	const char *begin;     /* db_begin's command, not sent yet; a static string */
	char begin_tenant[24]; /* db_begin_tenant's app.tenant_id, sent with it; "": none */
	int deferred;          /* db_end's commands sent and not read back yet */
	struct db_queued queue[DB_QUEUE_MAX]; /* db_queue's, not sent yet */
	int nqueue;
	int flight_new; /* statements prepared in the flight being sent */
};

void db_init(struct db *db, const char *conninfo);
/* 0 when connected (connecting if needed), -1 when the database is down.
 * Reads back what db_end left unread first. */
int db_ensure(struct db *db);
/* Drops a broken connection so the next db_ensure() reconnects. */
void db_check_broken(struct db *db);
int db_is_broken(const struct db *db);
/*
 * Runs a parameterized statement as a prepared one: the first call with a
 * given SQL text prepares it on this connection ("s<n>"), later calls only
 * execute it, so PostgreSQL parses and plans the text once per connection
 * instead of at every request (the hot paths - session resolution, payslips
 * - spent most of their database time planning). Up to DB_STMT_SLOTS / 2
 * texts a connection; beyond them, and when preparing fails, the statement
 * is run unprepared. The cache is dropped with the connection. The result is
 * the caller's (PQclear).
 */
PGresult *db_exec(struct db *db, const char *sql, int nparams, const char *const *params);

/*
 * Transactions in fewer round trips. db_begin() only notes the BEGIN (or
 * BEGIN READ ONLY): it goes to PostgreSQL in one flight with the
 * transaction's first statement (libpq's pipeline mode: BEGIN, the
 * statement, one Sync), so it costs no round trip of its own. When that
 * flight finds the connection broken (the server restarted while the worker
 * was idle), nothing has run yet: db_exec reconnects and sends it once
 * more.
 *
 * db_end() commits (commit != 0) or rolls back. With wait != 0 it waits for
 * PostgreSQL's answer: 0, or -1 when the commit failed (a write's commit
 * must be known to have succeeded before the answer says so). With wait ==
 * 0 the command is sent and its answer is read at the connection's next use
 * (db_ensure, db_exec, db_command), off the request's path: for a read-only
 * transaction's commit, which has nothing to make durable, and for any
 * rollback. A failure found then is logged (SQLSTATE only) and a broken
 * connection is dropped. A transaction that never ran a statement sends
 * nothing at all.
 */
void db_begin(struct db *db, int read_only);
/*
 * Queues a statement of the transaction whose answer the caller does not
 * need (an UPDATE, a row lock): it is sent in the flight of the next
 * db_exec, before that statement, so it costs no round trip of its own. A
 * failure of a queued statement is what that db_exec returns (the rest of
 * the flight did not run). sql and params must live until then (the
 * caller's arena). db_command and a commit by db_end send what is queued
 * first; a rollback drops it. -1 when the queue is full (run it now).
 */
int db_queue(struct db *db, const char *sql, int nparams, const char *const *params);
/* The noted BEGIN also sets app.tenant_id (set_config(..., true), for the
 * transaction) in the same flight, before the first statement: how a
 * request whose session came from the cache (sesscache.h) gets its tenant
 * without a round trip of its own. -1 when no BEGIN is pending (the caller
 * sets it with a statement). */
int db_begin_tenant(struct db *db, int64_t tenant_id);
int db_end(struct db *db, int commit, int wait);

/* Runs a statement without parameters; 0 on success (result discarded). */
int db_command(struct db *db, const char *sql);
void db_close(struct db *db);

/* The proto error id (PROTO_ERR_*) for a SQLSTATE: unique violation ->
 * conflict, check/foreign key/data errors -> validation, serialization
 * failure and deadlock -> conflict (retried by the dispatcher first),
 * connection errors -> unavailable, anything else -> internal. */
int db_sqlstate_error(const char *sqlstate);
/* True for SQLSTATEs worth retrying the whole transaction for. */
int db_sqlstate_retry(const char *sqlstate);

#endif
