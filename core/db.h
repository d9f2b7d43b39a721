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

struct db {
	PGconn *conn;
	char *conninfo;
	int64_t next_attempt_ms;
};

void db_init(struct db *db, const char *conninfo);
/* 0 when connected (connecting if needed), -1 when the database is down. */
int db_ensure(struct db *db);
/* Drops a broken connection so the next db_ensure() reconnects. */
void db_check_broken(struct db *db);
int db_is_broken(const struct db *db);
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
