#include "db.h"

#include "log.h"
#include "proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DB_RETRY_MS 1000

static int64_t db_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void db_init(struct db *db, const char *conninfo)
{
	memset(db, 0, sizeof(*db));
	db->conninfo = strdup(conninfo);
}

/* Forgets the prepared statements (their connection is gone). */
static void db_stmts_clear(struct db *db)
{
	if (db->stmts == NULL)
		return;
	for (int i = 0; i < DB_STMT_SLOTS; i++)
		free(db->stmts[i].sql);
	memset(db->stmts, 0, sizeof(*db->stmts) * DB_STMT_SLOTS);
	db->nstmts = 0;
}

/* FNV-1a, never 0. */
static uint64_t db_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ? h : 1;
}

PGresult *db_exec(struct db *db, const char *sql, int nparams, const char *const *params)
{
	uint64_t h = db_hash(sql);
	char name[24];
	size_t i;
	PGresult *res;

	if (db->stmts == NULL && (db->stmts = calloc(DB_STMT_SLOTS, sizeof(*db->stmts))) == NULL)
		return PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	for (i = h % DB_STMT_SLOTS; db->stmts[i].hash; i = (i + 1) % DB_STMT_SLOTS)
		if (db->stmts[i].hash == h && strcmp(db->stmts[i].sql, sql) == 0) {
			snprintf(name, sizeof(name), "s%d", db->stmts[i].number);
			return PQexecPrepared(db->conn, name, nparams, params, NULL, NULL, 0);
		}
	if (db->nstmts >= DB_STMT_SLOTS / 2)
		return PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	snprintf(name, sizeof(name), "s%d", db->nstmts);
	res = PQprepare(db->conn, name, sql, nparams, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK) {
		/* the text does not prepare (or the transaction is aborted): run it
		 * as it is, which reports the same error */
		PQclear(res);
		return PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	}
	PQclear(res);
	db->stmts[i].hash = h;
	db->stmts[i].sql = strdup(sql);
	db->stmts[i].number = db->nstmts++;
	if (db->stmts[i].sql == NULL) {
		db->stmts[i].hash = 0;
		return PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	}
	return PQexecPrepared(db->conn, name, nparams, params, NULL, NULL, 0);
}

static void db_notice_quiet(void *arg, const PGresult *res)
{
	(void)arg;
	(void)res;
}

int db_ensure(struct db *db)
{
	char why[256];

	if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	if (db->conn) {
		PQfinish(db->conn);
		db->conn = NULL;
	}
	db_stmts_clear(db);
	if (db_now_ms() < db->next_attempt_ms)
		return -1;
	db->conn = PQconnectdb(db->conninfo);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		log_warn("db_connect_failed", "error=%s",
		         log_quote(PQerrorMessage(db->conn), why, sizeof(why)));
		PQfinish(db->conn);
		db->conn = NULL;
		db->next_attempt_ms = db_now_ms() + DB_RETRY_MS;
		return -1;
	}
	PQsetNoticeReceiver(db->conn, db_notice_quiet, NULL);
	log_info("db_connected", "server_version=%d", PQserverVersion(db->conn));
	return 0;
}

int db_is_broken(const struct db *db)
{
	return db->conn == NULL || PQstatus(db->conn) != CONNECTION_OK;
}

void db_check_broken(struct db *db)
{
	if (db->conn && PQstatus(db->conn) != CONNECTION_OK) {
		log_warn("db_connection_lost", "action=reconnect");
		PQfinish(db->conn);
		db->conn = NULL;
	}
}

int db_command(struct db *db, const char *sql)
{
	PGresult *res;
	int ok;

	if (db->conn == NULL)
		return -1;
	res = PQexec(db->conn, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
	PQclear(res);
	return ok ? 0 : -1;
}

void db_close(struct db *db)
{
	if (db->conn)
		PQfinish(db->conn);
	db->conn = NULL;
	db_stmts_clear(db);
	free(db->stmts);
	db->stmts = NULL;
	free(db->conninfo);
	db->conninfo = NULL;
}

int db_sqlstate_error(const char *sqlstate)
{
	if (sqlstate == NULL)
		return PROTO_ERR_unavailable; /* no SQLSTATE: the connection failed */
	if (strcmp(sqlstate, "23505") == 0 || strcmp(sqlstate, "23P01") == 0 ||
	    strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0)
		return PROTO_ERR_conflict;
	if (strncmp(sqlstate, "23", 2) == 0 || strncmp(sqlstate, "22", 2) == 0)
		return PROTO_ERR_validation;
	if (strncmp(sqlstate, "08", 2) == 0 || strcmp(sqlstate, "57P01") == 0 ||
	    strcmp(sqlstate, "57P03") == 0)
		return PROTO_ERR_unavailable;
	if (strcmp(sqlstate, "57014") == 0)
		return PROTO_ERR_unavailable; /* statement timeout */
	return PROTO_ERR_internal;
}

int db_sqlstate_retry(const char *sqlstate)
{
	return sqlstate && (strcmp(sqlstate, "40001") == 0 || strcmp(sqlstate, "40P01") == 0);
}
