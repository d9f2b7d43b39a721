#include "db.h"

#include "log.h"
#include "proto.h"

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
