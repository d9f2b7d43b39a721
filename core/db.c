#include "db.h"

#include "log.h"
#include "monotime.h"
#include "proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DB_RETRY_MS 1000


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

/* Closes the connection and forgets what lived on it: its prepared
 * statements and the answers it still owed (a noted BEGIN stays: it has not
 * been sent, the next flight takes it to a fresh connection). */
static void db_drop(struct db *db)
{
	if (db->conn)
		PQfinish(db->conn);
	db->conn = NULL;
	db->deferred = 0;
	db->nqueue = 0;
	db_stmts_clear(db);
}

/* FNV-1a, never 0. */
static uint64_t db_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h ? h : 1;
}

/* The statement's number when this connection has prepared it, else -1
 * with *slot the free slot to record it in (-1 when the cache is full or
 * cannot be had: run it unprepared). */
static int db_stmt_find(struct db *db, const char *sql, uint64_t h, int *slot)
{
	size_t i;

	*slot = -1;
	if (db->stmts == NULL && (db->stmts = calloc(DB_STMT_SLOTS, sizeof(*db->stmts))) == NULL)
		return -1;
	for (i = h % DB_STMT_SLOTS; db->stmts[i].hash; i = (i + 1) % DB_STMT_SLOTS)
		if (db->stmts[i].hash == h && strcmp(db->stmts[i].sql, sql) == 0)
			return db->stmts[i].number;
	if (db->nstmts < DB_STMT_SLOTS / 2)
		*slot = (int)i;
	return -1;
}

/* Records a statement just prepared as "s<db->nstmts>" (the name is used
 * up either way); 0, or -1 when its text cannot be kept (then it is not
 * reused). */
static int db_stmt_record(struct db *db, int slot, const char *sql, uint64_t h)
{
	int number = db->nstmts++;

	free(db->stmts[slot].sql); /* a text new twice in one flight: the later one */
	if ((db->stmts[slot].sql = strdup(sql)) == NULL)
		return -1;
	db->stmts[slot].hash = h;
	db->stmts[slot].number = number;
	return 0;
}

/* db_exec without a pending BEGIN: one statement, one round trip (two the
 * first time a text is prepared on the connection). */
static PGresult *db_exec_one(struct db *db, const char *sql, int nparams, const char *const *params)
{
	uint64_t h = db_hash(sql);
	char name[24];
	int number, slot;
	PGresult *res;

	if ((number = db_stmt_find(db, sql, h, &slot)) >= 0) {
		snprintf(name, sizeof(name), "s%d", number);
		return PQexecPrepared(db->conn, name, nparams, params, NULL, NULL, 0);
	}
	if (slot < 0)
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
	if (db_stmt_record(db, slot, sql, h) < 0)
		return PQexecParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
	return PQexecPrepared(db->conn, name, nparams, params, NULL, NULL, 0);
}

/* Reads the answers of one pipeline segment: n statements, then its Sync.
 * res[i] gets statement i's result (the caller's to PQclear; after a failed
 * statement the rest are PGRES_PIPELINE_ABORTED). -1 when the connection
 * broke on the way: it is dropped and res[] holds nothing. */
static int db_read_segment(struct db *db, int n, PGresult **res)
{
	PGresult *r;
	int i;

	for (i = 0; i < n; i++)
		res[i] = NULL;
	for (i = 0; i < n; i++) {
		if ((res[i] = PQgetResult(db->conn)) == NULL)
			goto broken;
		/* a statement's answer ends with a NULL */
		while ((r = PQgetResult(db->conn)) != NULL) {
			PQclear(r);
			if (PQstatus(db->conn) == CONNECTION_BAD)
				goto broken;
		}
	}
	r = PQgetResult(db->conn);
	if (r == NULL || PQresultStatus(r) != PGRES_PIPELINE_SYNC) {
		PQclear(r);
		goto broken;
	}
	PQclear(r);
	return 0;
broken:
	for (i = 0; i < n; i++) {
		PQclear(res[i]);
		res[i] = NULL;
	}
	log_warn("db_connection_lost", "action=reconnect");
	db_drop(db);
	return -1;
}

/* Reads the answers db_end left unread and leaves pipeline mode, so the
 * connection is ready for the next statement. */
static void db_settle(struct db *db)
{
	PGresult *res;
	char why[300];

	while (db->conn && db->deferred > 0) {
		if (db_read_segment(db, 1, &res) < 0)
			return;
		db->deferred--;
		if (PQresultStatus(res) != PGRES_COMMAND_OK)
			log_warn(
			    "db_deferred_failed", "sqlstate=%s",
			    log_quote(PQresultErrorField(res, PG_DIAG_SQLSTATE), why, sizeof(why)));
		PQclear(res);
	}
	if (db->conn && PQpipelineStatus(db->conn) != PQ_PIPELINE_OFF &&
	    PQexitPipelineMode(db->conn) != 1) {
		log_warn("db_pipeline_stuck", "action=reconnect");
		db_drop(db);
	}
}

#define DB_SET_TENANT "SELECT set_config('app.tenant_id', $1, true)"

/* The name of DB_SET_TENANT prepared on this connection (once, with a
 * round trip of its own, the first time a flight needs it); "" when it
 * cannot be: then it is sent unprepared. */
static void db_tenant_stmt(struct db *db, char *name, size_t size)
{
	uint64_t h = db_hash(DB_SET_TENANT);
	int number, slot;
	PGresult *res;

	name[0] = '\0';
	if ((number = db_stmt_find(db, DB_SET_TENANT, h, &slot)) >= 0) {
		snprintf(name, size, "s%d", number);
		return;
	}
	if (slot < 0)
		return;
	snprintf(name, size, "s%d", db->nstmts);
	res = PQprepare(db->conn, name, DB_SET_TENANT, 1, NULL);
	if (PQresultStatus(res) != PGRES_COMMAND_OK ||
	    db_stmt_record(db, slot, DB_SET_TENANT, h) < 0)
		name[0] = '\0';
	PQclear(res);
}

/* One statement of a flight and where its answers are. */
struct db_sent {
	const char *sql;
	uint64_t h;
	int slot;     /* >= 0: prepared in this flight, to record when it worked */
	int first;    /* index of its first answer in the flight's */
	int prepared; /* 1: a Parse went before it (its own answer first) */
};

/* Sends one statement of a flight, prepared when it can be (the Parse
 * travels in the same flight the first time). 1 when sent. */
static int db_send(struct db *db, struct db_sent *s, const char *sql, int nparams,
                   const char *const *params, int *nres)
{
	char name[24];
	int number;

	s->sql = sql;
	s->h = db_hash(sql);
	s->slot = -1;
	s->prepared = 0;
	s->first = *nres;
	if ((number = db_stmt_find(db, sql, s->h, &s->slot)) >= 0) {
		snprintf(name, sizeof(name), "s%d", number);
		(*nres)++;
		return PQsendQueryPrepared(db->conn, name, nparams, params, NULL, NULL, 0);
	}
	if (s->slot >= 0) {
		/* the name is taken now, so two texts new in one flight differ */
		snprintf(name, sizeof(name), "s%d", db->nstmts + db->flight_new++);
		s->prepared = 1;
		*nres += 2;
		return PQsendPrepare(db->conn, name, sql, nparams, NULL) &&
		       PQsendQueryPrepared(db->conn, name, nparams, params, NULL, NULL, 0);
	}
	(*nres)++;
	return PQsendQueryParams(db->conn, sql, nparams, NULL, params, NULL, NULL, 0);
}

#define DB_FLIGHT_MAX (DB_QUEUE_MAX + 1)

/* The noted BEGIN [, the tenant's set_config], the statements queued
 * (db_queue) and the statement in one flight: BEGIN, [Bind/Execute,]
 * [[Parse,] Bind/Execute ...,] [Parse,] Bind/Execute, Sync. Returns the
 * statement's result, or the first failed one before it (after a failure
 * the rest did not run). NULL when the connection broke (it is dropped;
 * nothing of the flight has run). begin NULL: none; tenant "": none. */
static PGresult *db_flight(struct db *db, const char *begin, const char *tenant,
                           const struct db_queued *queue, int nqueue, const char *sql, int nparams,
                           const char *const *params)
{
	PGresult *res[2 + 2 * DB_FLIGHT_MAX], *out = NULL;
	struct db_sent sent[DB_FLIGHT_MAX];
	const char *tparams[1] = {tenant};
	char tname[24] = "";
	int ok = 1, t = tenant[0] != '\0', n = 0, nsent = 0;

	if (t)
		db_tenant_stmt(db, tname, sizeof(tname));
	if (PQenterPipelineMode(db->conn) != 1) {
		/* not idle: cannot happen after db_settle; the old way */
		if (begin) {
			res[0] = PQexec(db->conn, begin);
			if (PQresultStatus(res[0]) != PGRES_COMMAND_OK)
				return res[0];
			PQclear(res[0]);
		}
		if (t) {
			res[0] =
			    PQexecParams(db->conn, DB_SET_TENANT, 1, NULL, tparams, NULL, NULL, 0);
			if (PQresultStatus(res[0]) != PGRES_TUPLES_OK)
				return res[0];
			PQclear(res[0]);
		}
		for (int i = 0; i < nqueue; i++) {
			ExecStatusType st;
			res[0] = db_exec_one(db, queue[i].sql, queue[i].nparams, queue[i].params);
			st = PQresultStatus(res[0]);
			if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK)
				return res[0];
			PQclear(res[0]);
		}
		return db_exec_one(db, sql, nparams, params);
	}
	db->flight_new = 0;
	if (begin) {
		ok = PQsendQueryParams(db->conn, begin, 0, NULL, NULL, NULL, NULL, 0);
		n++;
	}
	if (t && tname[0])
		ok = ok && PQsendQueryPrepared(db->conn, tname, 1, tparams, NULL, NULL, 0);
	else if (t)
		ok = ok &&
		     PQsendQueryParams(db->conn, DB_SET_TENANT, 1, NULL, tparams, NULL, NULL, 0);
	n += t;
	for (int i = 0; i < nqueue; i++)
		ok = ok && db_send(db, &sent[nsent++], queue[i].sql, queue[i].nparams,
		                   queue[i].params, &n);
	ok = ok && db_send(db, &sent[nsent++], sql, nparams, params, &n);
	ok = ok && PQpipelineSync(db->conn);
	if (!ok) {
		log_warn("db_connection_lost", "action=reconnect");
		db_drop(db);
		return NULL;
	}
	if (db_read_segment(db, n, res) < 0)
		return NULL;
	if (PQexitPipelineMode(db->conn) != 1) {
		for (int i = 0; i < n; i++)
			PQclear(res[i]);
		log_warn("db_pipeline_stuck", "action=reconnect");
		db_drop(db);
		return NULL;
	}
	if (begin && PQresultStatus(res[0]) != PGRES_COMMAND_OK)
		out = res[0]; /* the BEGIN's own error */
	else if (t && PQresultStatus(res[begin != NULL]) != PGRES_TUPLES_OK)
		out = res[begin != NULL]; /* the tenant's set_config failed: nothing after it ran */
	for (int i = 0; out == NULL && i < nsent; i++) {
		struct db_sent *s = &sent[i];
		PGresult *r = res[s->first + s->prepared];
		ExecStatusType st = PQresultStatus(r);
		if (s->prepared && PQresultStatus(res[s->first]) != PGRES_COMMAND_OK)
			out = res[s->first]; /* the text does not prepare: the error running it
			                        gives */
		else if (i == nsent - 1 || (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK))
			out = r;
	}
	/* the names taken in this flight are recorded in the order they were
	 * taken (s<nstmts>, s<nstmts + 1>, ...); one whose Parse failed is
	 * used up, not kept (prepared again next time) */
	for (int i = 0; i < nsent; i++) {
		struct db_sent *s = &sent[i];
		if (!s->prepared)
			continue;
		if (PQresultStatus(res[s->first]) == PGRES_COMMAND_OK)
			db_stmt_record(db, s->slot, s->sql, s->h);
		else
			db->nstmts++;
	}
	for (int i = 0; i < n; i++)
		if (res[i] != out)
			PQclear(res[i]);
	return out;
}

PGresult *db_exec(struct db *db, const char *sql, int nparams, const char *const *params)
{
	const char *begin = db->begin;
	char tenant[sizeof(db->begin_tenant)];
	struct db_queued queue[DB_QUEUE_MAX];
	int nqueue = db->nqueue;
	PGresult *res;

	db_settle(db);
	if (begin == NULL && nqueue == 0)
		return db->conn ? db_exec_one(db, sql, nparams, params) : NULL;
	memcpy(tenant, db->begin_tenant, sizeof(tenant));
	memcpy(queue, db->queue, sizeof(queue[0]) * (size_t)nqueue);
	db->begin = NULL;
	db->begin_tenant[0] = '\0';
	db->nqueue = 0;
	for (int attempt = 0; attempt < 2; attempt++) {
		/* a connection that broke while the worker was idle (the server
		 * restarted): nothing has run, so a fresh one gets the flight once
		 * more (only when the flight holds the BEGIN: queued statements
		 * belong to a transaction that is gone with the connection) */
		if (db->conn == NULL && (begin == NULL || db_ensure(db) < 0))
			return NULL;
		if ((res = db_flight(db, begin, tenant, queue, nqueue, sql, nparams, params)) !=
		        NULL ||
		    db->conn)
			return res;
	}
	return NULL;
}

int db_queue(struct db *db, const char *sql, int nparams, const char *const *params)
{
	if (db->nqueue == DB_QUEUE_MAX)
		return -1;
	db->queue[db->nqueue].sql = sql;
	db->queue[db->nqueue].nparams = nparams;
	db->queue[db->nqueue].params = params;
	db->nqueue++;
	return 0;
}

void db_begin(struct db *db, int read_only)
{
	db->begin = read_only ? "BEGIN READ ONLY" : "BEGIN";
	db->begin_tenant[0] = '\0';
}

int db_begin_tenant(struct db *db, int64_t tenant_id)
{
	if (db->begin == NULL)
		return -1;
	snprintf(db->begin_tenant, sizeof(db->begin_tenant), "%lld", (long long)tenant_id);
	return 0;
}

/* Sends what db_queue kept, alone: 0, or -1 when a queued statement failed. */
static int db_flush_queue(struct db *db)
{
	PGresult *res;
	int ok;

	if (db->nqueue == 0)
		return 0;
	res = db_exec(db, "SELECT 1", 0, NULL);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	PQclear(res);
	return ok ? 0 : -1;
}

int db_end(struct db *db, int commit, int wait)
{
	const char *sql = commit ? "COMMIT" : "ROLLBACK";

	if (!commit)
		db->nqueue = 0; /* never sent: nothing to undo */
	else if (db_flush_queue(db) < 0) {
		db_command(db, "ROLLBACK");
		return -1;
	}

	if (db->begin) {
		db->begin = NULL; /* nothing was sent: nothing to end */
		db->begin_tenant[0] = '\0';
		return 0;
	}
	if (db->conn == NULL)
		return -1;
	if (wait)
		return db_command(db, sql);
	if ((PQpipelineStatus(db->conn) == PQ_PIPELINE_OFF && PQenterPipelineMode(db->conn) != 1) ||
	    !PQsendQueryParams(db->conn, sql, 0, NULL, NULL, NULL, NULL, 0) ||
	    !PQpipelineSync(db->conn)) {
		log_warn("db_connection_lost", "action=reconnect");
		db_drop(db);
		return -1;
	}
	db->deferred++;
	return 0;
}

static void db_notice_quiet(void *arg, const PGresult *res)
{
	(void)arg;
	(void)res;
}

int db_ensure(struct db *db)
{
	char why[256];

	db_settle(db);
	if (db->conn && PQstatus(db->conn) == CONNECTION_OK)
		return 0;
	db_drop(db);
	if (monotime_ms() < db->next_attempt_ms)
		return -1;
	db->conn = PQconnectdb(db->conninfo);
	if (PQstatus(db->conn) != CONNECTION_OK) {
		log_warn("db_connect_failed", "error=%s",
		         log_quote(PQerrorMessage(db->conn), why, sizeof(why)));
		PQfinish(db->conn);
		db->conn = NULL;
		db->next_attempt_ms = monotime_ms() + DB_RETRY_MS;
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
		db_drop(db);
	}
}

int db_command(struct db *db, const char *sql)
{
	PGresult *res;
	int ok;

	db_settle(db);
	if (db->conn == NULL || db_flush_queue(db) < 0)
		return -1;
	if (db->begin) {
		const char *begin = db->begin;
		char tenant[sizeof(db->begin_tenant)];
		const char *tparams[1] = {tenant};
		memcpy(tenant, db->begin_tenant, sizeof(tenant));
		db->begin = NULL;
		db->begin_tenant[0] = '\0';
		if (db_command(db, begin) < 0)
			return -1;
		if (tenant[0]) {
			res =
			    PQexecParams(db->conn, DB_SET_TENANT, 1, NULL, tparams, NULL, NULL, 0);
			ok = PQresultStatus(res) == PGRES_TUPLES_OK;
			PQclear(res);
			if (!ok)
				return -1;
		}
	}
	res = PQexec(db->conn, sql);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
	PQclear(res);
	return ok ? 0 : -1;
}

void db_close(struct db *db)
{
	db_drop(db);
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
