#include "migrate.h"

#include "buf.h"
#include "calendars.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <libpq-fe.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MIGRATE_LOCK_KEY "7231977151" /* pg_advisory_lock key of the migrator */

struct migration {
	int version;
	int applied;
	char name[256];
	char checksum[65];
	struct buf sql;
};

static int migrate_is_file_name(const char *name)
{
	size_t n = strlen(name);

	if (n < 10 || strcmp(name + n - 4, ".sql") != 0 || name[4] != '_')
		return 0;
	for (int i = 0; i < 4; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	for (size_t i = 5; i < n - 4; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '_'))
			return 0;
	return 1;
}

static int migrate_filter(const struct dirent *d)
{
	return migrate_is_file_name(d->d_name);
}

static int migrate_read(const char *dir, const char *name, struct migration *m)
{
	char path[4096], chunk[8192];
	unsigned char digest[32];
	unsigned int dlen = 0;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (f == NULL) {
		log_error("migration_unreadable", "file=%s errno=%d", path, errno);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&m->sql, chunk, n);
	fclose(f);
	EVP_Digest(m->sql.data ? m->sql.data : "", m->sql.len, digest, &dlen, EVP_sha256(), NULL);
	hex_encode(m->checksum, digest, dlen);
	m->version = atoi(name);
	snprintf(m->name, sizeof(m->name), "%s", name);
	return 0;
}

static int migrate_exec(PGconn *conn, const char *sql, const char *what)
{
	PGresult *res = PQexec(conn, sql);
	ExecStatusType st = PQresultStatus(res);
	char why[512];

	if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK && st != PGRES_EMPTY_QUERY) {
		log_error("migration_failed", "step=%s error=%s", what,
			  log_quote(PQresultErrorMessage(res), why, sizeof(why)));
		PQclear(res);
		return -1;
	}
	PQclear(res);
	return 0;
}

static int migrate_apply(PGconn *conn, struct migration *m)
{
	char version[16];
	const char *params[3] = {version, m->name, m->checksum};
	PGresult *res;
	int ok;

	snprintf(version, sizeof(version), "%d", m->version);
	if (migrate_exec(conn, "BEGIN", "begin") < 0)
		return -1;
	if (migrate_exec(conn, m->sql.data ? m->sql.data : "", m->name) < 0)
		goto fail;
	res = PQexecParams(conn,
			   "INSERT INTO schema_migrations (version, name, checksum) "
			   "VALUES ($1, $2, $3)",
			   3, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_COMMAND_OK;
	PQclear(res);
	if (!ok || migrate_exec(conn, "COMMIT", "commit") < 0)
		goto fail;
	log_info("migration_applied", "version=%d file=%s", m->version, m->name);
	return 0;
fail:
	migrate_exec(conn, "ROLLBACK", "rollback");
	return -1;
}

int migrate_run(const struct cfg *cfg)
{
	struct dirent **names = NULL;
	struct migration *ms = NULL;
	PGconn *conn = NULL;
	PGresult *done = NULL;
	int count = -1, applied = 0, rc = -1;
	char why[512];

	conn = PQconnectdb(cfg->db_migrate_conninfo);
	if (PQstatus(conn) != CONNECTION_OK) {
		log_error("migrate_connect_failed", "error=%s",
			  log_quote(PQerrorMessage(conn), why, sizeof(why)));
		goto out;
	}
	if (migrate_exec(conn, "SET client_min_messages = warning", "settings") < 0 ||
	    migrate_exec(conn, "SELECT pg_advisory_lock(" MIGRATE_LOCK_KEY ")", "lock") < 0 ||
	    migrate_exec(conn,
			 "CREATE TABLE IF NOT EXISTS schema_migrations ("
			 " version integer PRIMARY KEY,"
			 " name text NOT NULL,"
			 " checksum text NOT NULL,"
			 " applied_at timestamptz NOT NULL DEFAULT now())",
			 "schema_migrations") < 0)
		goto out;

	count = scandir(cfg->sql_dir, &names, migrate_filter, alphasort);
	if (count < 0) {
		log_error("migrate_failed", "reason=sql_dir_unreadable dir=%s errno=%d",
			  cfg->sql_dir, errno);
		goto out;
	}
	ms = calloc((size_t)count + 1, sizeof(*ms));
	if (ms == NULL)
		abort();
	for (int i = 0; i < count; i++) {
		if (migrate_read(cfg->sql_dir, names[i]->d_name, &ms[i]) < 0)
			goto out;
		if (i > 0 && ms[i].version == ms[i - 1].version) {
			log_error("migrate_failed", "reason=duplicate_version version=%d files=%s,%s",
				  ms[i].version, ms[i - 1].name, ms[i].name);
			goto out;
		}
	}

	done = PQexec(conn, "SELECT version, name, checksum FROM schema_migrations ORDER BY version");
	if (PQresultStatus(done) != PGRES_TUPLES_OK)
		goto out;
	for (int r = 0; r < PQntuples(done); r++) {
		int version = atoi(PQgetvalue(done, r, 0));
		struct migration *m = NULL;
		for (int i = 0; i < count; i++)
			if (ms[i].version == version)
				m = &ms[i];
		if (m == NULL) {
			log_warn("migration_missing", "version=%d file=%s note=applied_but_not_in_sql_dir",
				 version, PQgetvalue(done, r, 1));
			continue;
		}
		if (strcmp(m->checksum, PQgetvalue(done, r, 2)) != 0) {
			log_error("migrate_failed",
				  "reason=applied_migration_changed file=%s recorded=%s now=%s "
				  "hint=\"never edit an applied migration; add a new one\"",
				  m->name, PQgetvalue(done, r, 2), m->checksum);
			goto out;
		}
		m->applied = 1;
	}
	for (int i = 0; i < count; i++) {
		if (ms[i].applied)
			continue;
		if (migrate_apply(conn, &ms[i]) < 0)
			goto out;
		applied++;
	}
	log_info("migrate_done", "applied=%d total=%d", applied, count);
	/* reference data that lives beside the migrations, in one transaction */
	if (migrate_exec(conn, "BEGIN", "begin") < 0)
		goto out;
	if (calendars_load_reference(conn, cfg->sql_dir) < 0) {
		migrate_exec(conn, "ROLLBACK", "rollback");
		goto out;
	}
	if (migrate_exec(conn, "COMMIT", "commit") < 0)
		goto out;
	rc = 0;
out:
	PQclear(done);
	for (int i = 0; i < count; i++) {
		free(names[i]);
		if (ms)
			buf_free(&ms[i].sql);
	}
	free(names);
	free(ms);
	PQfinish(conn);
	return rc;
}
