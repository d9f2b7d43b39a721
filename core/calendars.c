/*
 * calendars.c - production calendars in the database: the shipped reference
 * years (loaded by `cabinetd migrate`) and a tenant's calendars.
 */
#include "calendars.h"

#include "buf.h"
#include "dispatch.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALENDARS_RU_DIR "calendars/ru"

/* "2025.xml" -> 2025; anything else -> 0. */
static int calendars_file_year(const char *name)
{
	if (strlen(name) != 8 || strcmp(name + 4, ".xml") != 0)
		return 0;
	for (int i = 0; i < 4; i++)
		if (name[i] < '0' || name[i] > '9')
			return 0;
	return atoi(name);
}

static int calendars_filter(const struct dirent *d)
{
	return calendars_file_year(d->d_name) != 0;
}

static int calendars_read(const char *path, struct buf *text)
{
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(text, chunk, n);
	fclose(f);
	return 0;
}

static void calendars_sha256_hex(const struct buf *text, char hex[65])
{
	unsigned char digest[32];
	unsigned int dlen = 0;

	EVP_Digest(text->data ? text->data : "", text->len, digest, &dlen, EVP_sha256(), NULL);
	hex_encode(hex, digest, dlen);
}

/* Loads one file into ru_calendar_years unless its checksum is recorded. 1
 * when (re)loaded, 0 when unchanged, -1 on failure (logged). */
static int calendars_load_file(PGconn *conn, const char *dir, const char *name, int year)
{
	struct buf text = {0};
	struct calendar *cal = NULL;
	struct calendar_error err = {0};
	json_object *json = NULL;
	PGresult *res = NULL;
	char path[4400], sha[65], yeartext[16];
	int rc = -1;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(yeartext, sizeof(yeartext), "%d", year);
	if (calendars_read(path, &text) < 0) {
		log_error("calendar_unreadable", "file=%s errno=%d", path, errno);
		goto out;
	}
	calendars_sha256_hex(&text, sha);

	const char *check[] = {yeartext, sha};
	res = PQexecParams(conn,
	                   "SELECT 1 FROM ru_calendar_years WHERE year = $1 AND source_sha256 = $2",
	                   2, NULL, check, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		goto db_fail;
	if (PQntuples(res) == 1) {
		rc = 0;
		goto out;
	}
	PQclear(res);
	res = NULL;

	cal = calendar_new();
	if (calendar_load_xml(cal, text.data, text.len, &err) < 0) {
		log_error("calendar_invalid", "file=%s line=%d field=%s", path, err.line,
		          err.field[0] ? err.field : "-");
		goto out;
	}
	if (!calendar_has_year(cal, year)) {
		log_error("calendar_invalid", "file=%s reason=year_differs_from_file_name", path);
		goto out;
	}
	json = calendar_to_json(cal, year);
	const char *upsert[] = {yeartext,
	                        json_object_to_json_string_ext(json, JSON_C_TO_STRING_PLAIN), sha};
	res = PQexecParams(conn,
	                   "INSERT INTO ru_calendar_years (year, data, source_sha256) "
	                   "VALUES ($1, $2, $3) ON CONFLICT (year) DO UPDATE "
	                   "SET data = EXCLUDED.data, source_sha256 = EXCLUDED.source_sha256, "
	                   "loaded_at = now()",
	                   3, NULL, upsert, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		goto db_fail;
	rc = 1;
	goto out;
db_fail : {
	char why[512];
	log_error("calendar_load_failed", "file=%s error=%s", path,
	          log_quote(PQerrorMessage(conn), why, sizeof(why)));
}
out:
	PQclear(res);
	json_object_put(json);
	calendar_free(cal);
	buf_free(&text);
	return rc;
}

int calendars_load_reference(PGconn *conn, const char *sql_dir)
{
	struct dirent **names = NULL;
	char dir[4096];
	int count, loaded = 0;

	snprintf(dir, sizeof(dir), "%s/%s", sql_dir, CALENDARS_RU_DIR);
	count = scandir(dir, &names, calendars_filter, alphasort);
	if (count < 0 && errno == ENOENT) {
		log_warn("calendars_missing", "dir=%s note=no_reference_calendars_loaded", dir);
		return 0;
	}
	if (count < 0) {
		log_error("calendars_failed", "reason=dir_unreadable dir=%s errno=%d", dir, errno);
		return -1;
	}
	for (int i = 0; i < count && loaded >= 0; i++) {
		int rc = calendars_load_file(conn, dir, names[i]->d_name,
		                             calendars_file_year(names[i]->d_name));
		loaded = rc < 0 ? -1 : loaded + rc;
	}
	for (int i = 0; i < count; i++)
		free(names[i]);
	free(names);
	if (loaded >= 0)
		log_info("calendars_loaded", "files=%d reloaded=%d", count, loaded);
	return loaded;
}

static void calendars_free(void *cal)
{
	calendar_free(cal);
}

/* Adds every row (year, data) of res to cal; a stored year that does not
 * load is a fault of the data, answered as an internal error. */
static int calendars_add_rows(struct ctx *ctx, struct calendar *cal, PGresult *res)
{
	for (int r = 0; r < PQntuples(res); r++) {
		struct calendar_error err = {0};
		json_object *year = json_tokener_parse(PQgetvalue(res, r, 1));
		int rc = year ? calendar_load_json(cal, year, &err) : -1;

		json_object_put(year);
		if (rc < 0) {
			log_error("calendar_stored_invalid", "year=%s field=%s",
			          PQgetvalue(res, r, 0), err.field[0] ? err.field : "-");
			return ctx_fail(ctx, PROTO_ERR_internal, NULL);
		}
	}
	return 0;
}

static struct calendar *calendars_new_owned(struct ctx *ctx)
{
	struct calendar *cal = calendar_new();

	arena_defer(ctx->arena, calendars_free, cal);
	return cal;
}

struct calendar *calendars_load_ru(struct ctx *ctx)
{
	struct calendar *cal = calendars_new_owned(ctx);
	PGresult *res = ctx_sql0(ctx, "SELECT year, data FROM ru_calendar_years ORDER BY year");

	if (res == NULL || calendars_add_rows(ctx, cal, res) < 0)
		return NULL;
	return cal;
}

struct calendar *calendars_load(struct ctx *ctx, int64_t calendar_id)
{
	struct calendar *cal;
	PGresult *head, *res;

	const char *tenant = ctx_i64(ctx, ctx->tenant_id);

	head = calendar_id ? ctx_sql(ctx,
	                             "SELECT id, base_ru FROM calendars "
	                             "WHERE tenant_id = $1 AND id = $2",
	                             tenant, ctx_i64(ctx, calendar_id))
	                   : ctx_sql(ctx,
	                             "SELECT id, base_ru FROM calendars "
	                             "WHERE tenant_id = $1 AND is_default",
	                             tenant);
	if (head == NULL)
		return NULL;
	if (PQntuples(head) == 0) {
		if (calendar_id) {
			ctx_fail(ctx, PROTO_ERR_not_found, "Производственный календарь не найден");
			return NULL;
		}
		return calendars_load_ru(ctx); /* a tenant that never edited one */
	}
	cal = strcmp(PQgetvalue(head, 0, 1), "t") == 0 ? calendars_load_ru(ctx)
	                                               : calendars_new_owned(ctx);
	if (cal == NULL)
		return NULL;
	res = ctx_sql(ctx,
	              "SELECT year, data FROM calendar_years "
	              "WHERE tenant_id = $1 AND calendar_id = $2 ORDER BY year",
	              tenant, PQgetvalue(head, 0, 0));
	if (res == NULL || calendars_add_rows(ctx, cal, res) < 0)
		return NULL;
	return cal;
}
