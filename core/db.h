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

struct db {
	PGconn *conn;
	char *conninfo;
	int64_t next_attempt_ms;
	struct db_stmt *stmts; /* DB_STMT_SLOTS of them, NULL until the first */
	int nstmts;
};

void db_init(struct db *db, const char *conninfo);
/* 0 when connected (connecting if needed), -1 when the database is down. */
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
