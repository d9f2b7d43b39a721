/*
 * calendars.c - production calendars in the database: the shipped reference
 * years (loaded by `cabinetd migrate`) and a tenant's calendars.
 */
#include "calendars.h"

#include "audit.h"
#include "buf.h"
#include "date.h"
#include "dispatch.h"
#include "jsonx.h"
#include "log.h"
#include "ops.h"
#include "org.h"
#include "payrun.h"
#include "ru.h"
#include "textenc.h"
#include "worktime.h"

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

/* ---- administration: list, view, edit, copy, import, export ---- */

#define CALENDARS_RU_NAME "Российская Федерация"

/* The calendar row of id (0: the tenant's default, which may not exist:
 * then *row_id = 0). 0, or -1 (404 for an unknown id). */
static int calendars_head(struct ctx *ctx, int64_t id, int lock, int64_t *row_id,
                          json_object **info)
{
	const char *tenant = ctx_i64(ctx, ctx->tenant_id);
	PGresult *res =
	    id ? ctx_sql(ctx,
	                 lock ? "SELECT id, name, region, base_ru, is_default FROM calendars "
	                        "WHERE tenant_id = $1 AND id = $2 FOR UPDATE"
	                      : "SELECT id, name, region, base_ru, is_default FROM calendars "
	                        "WHERE tenant_id = $1 AND id = $2",
	                 tenant, ctx_i64(ctx, id))
	       : ctx_sql(ctx,
	                 lock ? "SELECT id, name, region, base_ru, is_default FROM calendars "
	                        "WHERE tenant_id = $1 AND is_default FOR UPDATE"
	                      : "SELECT id, name, region, base_ru, is_default FROM calendars "
	                        "WHERE tenant_id = $1 AND is_default",
	                 tenant);
	json_object *o = json_object_new_object();

	arena_own(ctx->arena, o);
	*info = o;
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0) {
		if (id)
			return ctx_fail(ctx, PROTO_ERR_not_found,
			                "Производственный календарь не найден");
		*row_id = 0;
		jsonx_set_int(o, "id", 0);
		jsonx_set_str(o, "name", CALENDARS_RU_NAME);
		json_object_object_add(o, "region", NULL);
		jsonx_set_bool(o, "base_ru", 1);
		jsonx_set_bool(o, "is_default", 1);
		jsonx_set_bool(o, "implicit", 1);
		return 0;
	}
	*row_id = atoll(PQgetvalue(res, 0, 0));
	jsonx_set_int(o, "id", *row_id);
	jsonx_set_str(o, "name", PQgetvalue(res, 0, 1));
	jsonx_set_str(o, "region", PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2));
	jsonx_set_bool(o, "base_ru", strcmp(PQgetvalue(res, 0, 3), "t") == 0);
	jsonx_set_bool(o, "is_default", strcmp(PQgetvalue(res, 0, 4), "t") == 0);
	jsonx_set_bool(o, "implicit", 0);
	return 0;
}

/* The row to write into: id, or for 0 the default row, created on the first
 * edit ("Российская Федерация" over the shipped years). */
static int calendars_writable(struct ctx *ctx, int64_t id, int64_t *row_id)
{
	json_object *info;
	PGresult *res;

	if (calendars_head(ctx, id, 1, row_id, &info) < 0)
		return -1;
	if (*row_id)
		return 0;
	res = ctx_sql(ctx,
	              "INSERT INTO calendars (tenant_id, name, base_ru, is_default) "
	              "VALUES ($1, $2, true, true) RETURNING id",
	              ctx_i64(ctx, ctx->tenant_id), CALENDARS_RU_NAME);
	if (res == NULL)
		return -1;
	*row_id = atoll(PQgetvalue(res, 0, 0));
	return audit_log(ctx, "calendars.created", 1, "calendar", PQgetvalue(res, 0, 0),
	                 audit_detail("source", "default"));
}

static json_object *calendars_norm_json(struct ctx *ctx, const struct calendar_norm *n)
{
	json_object *o = json_object_new_object();

	jsonx_set_int(o, "days", n->days);
	json_object_object_add(o, "hours", worktime_hours_json(n->hours));
	jsonx_set_str(o, "hours_ru", worktime_hours_ru(ctx, n->hours));
	jsonx_set_int(o, "shortened", n->shortened);
	jsonx_set_int(o, "calendar_days", n->calendar_days);
	return o;
}

/* {"w40": {...}, "w36": {...}, "w24": {...}} for a month (month 0: year). */
static json_object *calendars_norms(struct ctx *ctx, const struct calendar *cal, int year,
                                    int month)
{
	static const int32_t weeks[] = {CALENDAR_WEEK_40, CALENDAR_WEEK_36, CALENDAR_WEEK_24};
	json_object *o = json_object_new_object();

	for (size_t i = 0; i < 3; i++) {
		struct calendar_norm n = {0};
		if (month ? calendar_month_norm(cal, year, month, weeks[i], &n)
		          : calendar_year_norm(cal, year, weeks[i], &n))
			continue;
		json_object_object_add(o, arena_printf(ctx->arena, "w%d", weeks[i] / 100),
		                       calendars_norm_json(ctx, &n));
	}
	return o;
}

static const char *calendars_kind_name(enum calendar_kind k)
{
	static const char *const names[] = {"work", "weekend", "holiday", "day_off", "paid_off"};

	return (unsigned)k < 5 ? names[k] : "work";
}

/* The year's view: the JSON form, every day, the norms by month and year. */
static void calendars_year_json(struct ctx *ctx, const struct calendar *cal, int year,
                                json_object *r)
{
	static const char *const titles[] = {"рабочий", "выходной", "праздник",
	                                     "перенесённый выходной", "нерабочий оплачиваемый"};
	json_object *months = json_object_new_array();

	jsonx_set_int(r, "year", year);
	if (calendar_is_provisional(cal, year)) {
		char msg[CALENDAR_NOTE_BUFSZ];

		calendar_provisional_note(year, msg, sizeof(msg));
		jsonx_set_bool(r, "provisional", 1);
		jsonx_set_str(r, "provisional_note", msg);
	}
	json_object_object_add(r, "data", calendar_to_json(cal, year));
	json_object_object_add(r, "norms", calendars_norms(ctx, cal, year, 0));
	for (int m = 1; m <= 12; m++) {
		json_object *mo = json_object_new_object(), *days = json_object_new_array();
		int first = date_month_first(year, m), last = date_month_last(year, m);

		jsonx_set_int(mo, "month", m);
		jsonx_set_str(mo, "title", ru_month_title(m));
		jsonx_set_int(mo, "lead", date_weekday(first) - 1); /* blank cells before day 1 */
		json_object *lead = json_object_new_array();
		for (int i = 1; i < date_weekday(first); i++)
			json_object_array_add(lead, json_object_new_int(i));
		json_object_object_add(mo, "blanks", lead);
		for (int d = first; d <= last; d++) {
			unsigned bits = calendar_day(cal, d);
			enum calendar_kind k = CALENDAR_KIND(bits);
			json_object *o = json_object_new_object();
			const char *title = calendar_title(cal, d);

			jsonx_set_str(o, "date", worktime_date_iso(ctx, d));
			jsonx_set_int(o, "day", d - first + 1);
			jsonx_set_str(o, "kind", calendars_kind_name(k));
			jsonx_set_str(o, "kind_title", titles[k < 5 ? k : 0]);
			jsonx_set_bool(o, "off", k != CALENDAR_WORK);
			/* always present, so a template never finds the month's own
			 * "title" instead */
			jsonx_set_bool(o, "short", (bits & CALENDAR_SHORT) != 0);
			jsonx_set_str(o, "title", title);
			jsonx_set_str(o, "date_ru", worktime_date_ru(ctx, d));
			json_object_array_add(days, o);
		}
		/* the same days as rows of a week from Monday, {} for the cells of
		 * the neighbour months: a month table as people read it */
		json_object *weeks = json_object_new_array(), *week = NULL;
		int nlead = date_weekday(first) - 1;
		for (int i = 0; i < nlead + (last - first + 1); i++) {
			if (i % 7 == 0) {
				week = json_object_new_array();
				json_object_array_add(weeks, week);
			}
			json_object_array_add(week, i < nlead
			                                ? json_object_new_object()
			                                : json_object_get(json_object_array_get_idx(
			                                      days, (size_t)(i - nlead))));
		}
		while (json_object_array_length(week) < 7)
			json_object_array_add(week, json_object_new_object());
		json_object_object_add(mo, "weeks", weeks);
		json_object_object_add(mo, "days", days);
		json_object_object_add(mo, "norms", calendars_norms(ctx, cal, year, m));
		json_object_array_add(months, mo);
	}
	json_object_object_add(r, "months", months);
}

static int calendars_arg_id(struct ctx *ctx, int64_t *id)
{
	return ctx_arg_int(ctx, "id", 0, INT64_MAX, 0, id);
}

/* GET /api/admin/calendars: each calendar with its own years and every
 * year it has (its own and, over the shipped calendar, the shipped ones). */
/* The years after a calendar's last official one up to next year: the
 * Labor Code's provisional calendar is used for them until an import
 * (payroll.md). Adds "provisional_years" and, when there are any, a note
 * saying what to do. */
static void calendars_provisional_years(json_object *o, int this_year)
{
	json_object *years = jsonx_get(o, "years"), *list = json_object_new_array();
	int last = 0;

	for (size_t i = 0; years && i < json_object_array_length(years); i++) {
		int y = json_object_get_int(json_object_array_get_idx(years, i));
		if (y > last)
			last = y;
	}
	for (int y = last + 1; last && y <= this_year + 1; y++)
		json_object_array_add(list, json_object_new_int(y));
	if (json_object_array_length(list) > 0) {
		char msg[CALENDAR_NOTE_BUFSZ];

		calendar_provisional_note(last + 1, msg, sizeof(msg));
		jsonx_set_str(o, "provisional_note", msg);
	}
	json_object_object_add(o, "provisional_years", list);
}

static int calendars_list(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx), *items = json_object_new_array(), *ru = NULL;
	PGresult *res, *years;
	int has_default = 0, today;

	json_object_object_add(r, "calendars", items);
	res = ctx_sql(
	    ctx,
	    "SELECT c.id, c.name, c.region, c.base_ru, c.is_default, "
	    "(SELECT coalesce(json_agg(y.year ORDER BY y.year), '[]') FROM calendar_years "
	    "y WHERE y.tenant_id = c.tenant_id AND y.calendar_id = c.id), "
	    "(SELECT coalesce(json_agg(u.year ORDER BY u.year), '[]') FROM (SELECT year FROM "
	    "calendar_years y WHERE y.tenant_id = c.tenant_id AND y.calendar_id = c.id UNION "
	    "SELECT year FROM ru_calendar_years WHERE c.base_ru) u) "
	    "FROM calendars c WHERE c.tenant_id = $1 ORDER BY NOT c.is_default, lower(c.name)",
	    ctx_i64(ctx, ctx->tenant_id));
	years = ctx_sql0(ctx, "SELECT coalesce(json_agg(year ORDER BY year), '[]') "
	                      "FROM ru_calendar_years");
	if (res == NULL || years == NULL || (today = org_today(ctx)) == DATE_NONE)
		return -1;
	ru = json_tokener_parse(PQgetvalue(years, 0, 0));
	json_object_object_add(r, "reference_years", ru);
	for (int i = 0; i < PQntuples(res); i++)
		has_default |= strcmp(PQgetvalue(res, i, 4), "t") == 0;
	if (!has_default) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", 0);
		jsonx_set_str(o, "name", CALENDARS_RU_NAME);
		json_object_object_add(o, "region", NULL);
		jsonx_set_bool(o, "base_ru", 1);
		jsonx_set_bool(o, "is_default", 1);
		jsonx_set_bool(o, "implicit", 1);
		json_object_object_add(o, "own_years", json_object_new_array());
		json_object_object_add(o, "years", json_object_get(ru));
		calendars_provisional_years(o, date_year(today));
		json_object_array_add(items, o);
	}
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(o, "name", PQgetvalue(res, i, 1));
		jsonx_set_str(o, "region", PQgetisnull(res, i, 2) ? NULL : PQgetvalue(res, i, 2));
		jsonx_set_bool(o, "base_ru", strcmp(PQgetvalue(res, i, 3), "t") == 0);
		jsonx_set_bool(o, "is_default", strcmp(PQgetvalue(res, i, 4), "t") == 0);
		jsonx_set_bool(o, "implicit", 0);
		json_object_object_add(o, "own_years", json_tokener_parse(PQgetvalue(res, i, 5)));
		json_object_object_add(o, "years", json_tokener_parse(PQgetvalue(res, i, 6)));
		calendars_provisional_years(o, date_year(today));
		json_object_array_add(items, o);
	}
	return 0;
}

/* The year of cal: loaded, or the Labor Code's provisional one after the
 * last official year; else 404 naming the year and what to do. */
static int calendars_cover_year(struct ctx *ctx, struct calendar *cal, int year, int answer404)
{
	if (calendar_cover(cal, year) >= 0)
		return 0;
	if (!answer404)
		return calendar_add_default_year(cal, year);
	char msg[CALENDAR_NOTE_BUFSZ];
	calendar_missing_note(year, msg, sizeof(msg));
	return ctx_fail(ctx, PROTO_ERR_not_found, "%s", msg);
}

/* GET /api/admin/calendars/{id}/years/{year} */
static int calendars_year(struct ctx *ctx)
{
	struct calendar *cal;
	json_object *info, *r;
	int64_t id, row, year;

	if (calendars_arg_id(ctx, &id) < 0 ||
	    ctx_arg_int(ctx, "year", DATE_MIN_YEAR, DATE_MAX_YEAR, CTX_REQUIRED, &year) < 0 ||
	    calendars_head(ctx, id, 0, &row, &info) < 0 || (cal = calendars_load(ctx, row)) == NULL)
		return -1;
	if (calendars_cover_year(ctx, cal, (int)year, 1) < 0)
		return -1;
	r = ctx_result(ctx);
	json_object_object_add(r, "calendar", json_object_get(info));
	calendars_year_json(ctx, cal, (int)year, r);
	return 0;
}

/* Stores the year of cal as the calendar's own. */
/* A day of a month whose payroll is closed keeps its kind: the month was
 * paid against the norm it gave. Compares the stored year with the new one
 * (what the day means for time, not titles) month by month; 0, or -1 after
 * 423 naming the month. */
static int calendars_closed_months_kept(struct ctx *ctx, int64_t row, const struct calendar *cal,
                                        int year)
{
	const unsigned meaning = CALENDAR_KIND_MASK | CALENDAR_SHORT | CALENDAR_MADE_WORKING;
	struct calendar *old = calendars_load(ctx, row);

	if (old == NULL)
		return -1;
	if (!calendar_has_year(old, year) && calendar_cover(old, year) != 1)
		return 0; /* a year the calendar never had priced nothing */
	for (int month = 1; month <= 12; month++) {
		int first = date_month_first(year, month), last = date_month_last(year, month);
		for (int d = first; d <= last; d++) {
			if ((calendar_day(old, d) & meaning) == (calendar_day(cal, d) & meaning))
				continue;
			if (payrun_check_open(ctx, first, last) < 0)
				return -1;
			break;
		}
	}
	return 0;
}

static int calendars_store_year(struct ctx *ctx, int64_t row, const struct calendar *cal, int year)
{
	json_object *j;
	PGresult *res;

	if (calendars_closed_months_kept(ctx, row, cal, year) < 0)
		return -1;
	j = calendar_to_json(cal, year);
	arena_own(ctx->arena, j);
	res = ctx_sql(ctx,
	              "INSERT INTO calendar_years (tenant_id, calendar_id, year, data, updated_by) "
	              "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (tenant_id, calendar_id, year) DO "
	              "UPDATE SET data = EXCLUDED.data, updated_at = now(), updated_by = "
	              "EXCLUDED.updated_by",
	              ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, row), ctx_i64(ctx, year),
	              json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN),
	              ctx->user_id ? ctx_i64(ctx, ctx->user_id) : NULL);
	return res ? 0 : -1;
}

/* One change of a day: {"date", "kind", "short", "title", "from"}. */
static int calendars_apply_day(struct ctx *ctx, struct calendar *cal, int year, json_object *d,
                               const char *prefix)
{
	static const char *const kinds[] = {"work", "weekend", "holiday", "day_off", "paid_off"};
	const char *date_s = jsonx_get_str(d, "date"), *kind_s = jsonx_get_str(d, "kind");
	const char *title = jsonx_get_str(d, "title"), *from_s = jsonx_get_str(d, "from");
	json_object *shortv = jsonx_get(d, "short");
	int date, from = DATE_NONE, kind = -1, is_short = 0;

	if (date_s == NULL || date_parse_input(date_s, &date) < 0 || date_year(date) != year)
		return ctx_field_code(
		    ctx, arena_printf(ctx->arena, "%sdate", prefix), "date", "%s",
		    date_input_why(
		        date_s, arena_printf(ctx->arena, "Дата %d года в виде ГГГГ-ММ-ДД", year)));
	for (int i = 0; kind_s && i < 5; i++)
		if (strcmp(kind_s, kinds[i]) == 0)
			kind = i;
	if (kind < 0)
		return ctx_field_code(ctx, arena_printf(ctx->arena, "%skind", prefix), "invalid",
		                      "Вид дня: work, weekend, holiday, day_off или paid_off");
	if (shortv) {
		const char *s = json_object_get_string(shortv);
		is_short = json_object_get_boolean(shortv) && strcmp(s, "0") != 0 &&
		           strcmp(s, "false") != 0 && strcmp(s, "") != 0;
	}
	if (from_s && *from_s && date_parse_input(from_s, &from) < 0)
		return ctx_field_code(ctx, arena_printf(ctx->arena, "%sfrom", prefix), "date", "%s",
		                      date_input_why(from_s, "Дата переноса в виде ГГГГ-ММ-ДД"));
	if (title && !*title)
		title = NULL;
	if (calendar_set_day(cal, date, (enum calendar_kind)kind, is_short ? CALENDAR_SHORT : 0,
	                     title, from) < 0)
		return ctx_field_code(
		    ctx, arena_printf(ctx->arena, "%skind", prefix), "invalid",
		    "Так отметить %s нельзя: выходным (weekend) может быть только "
		    "суббота или воскресенье, сокращённым — только рабочий день",
		    worktime_date_ru(ctx, date));
	return 0;
}

/* PUT /api/admin/calendars/{id}/years/{year} {"days": [{date, kind, short,
 * title, from}]} (or one day as date/kind/short/title/from: the admin
 * page's form): marks the days and stores the whole year as the
 * calendar's own. */
static int calendars_edit(struct ctx *ctx)
{
	json_object *days = jsonx_get(ctx->args, "days"), *info, *r;
	struct calendar *cal;
	int64_t id, row, year;
	int n = 0;

	if (calendars_arg_id(ctx, &id) < 0 ||
	    ctx_arg_int(ctx, "year", DATE_MIN_YEAR, DATE_MAX_YEAR, CTX_REQUIRED, &year) < 0)
		return -1;
	if (days && (!json_object_is_type(days, json_type_array) ||
	             json_object_array_length(days) == 0 || json_object_array_length(days) > 366))
		return ctx_field_code(ctx, "days", "invalid", "Список дней: от 1 до 366");
	if (days == NULL && jsonx_get(ctx->args, "date") == NULL)
		return ctx_field_code(ctx, "days", "required", "Укажите дни, которые меняются");
	if (calendars_writable(ctx, id, &row) < 0 || (cal = calendars_load(ctx, row)) == NULL)
		return -1;
	/* a year not loaded starts from the provisional one (or plain weeks) */
	if (calendars_cover_year(ctx, cal, (int)year, 0) < 0)
		return -1;
	if (days) {
		for (size_t i = 0; i < json_object_array_length(days); i++) {
			json_object *d = json_object_array_get_idx(days, i);
			if (!json_object_is_type(d, json_type_object))
				return ctx_field_code(ctx, arena_printf(ctx->arena, "days[%zu]", i),
				                      "invalid", "Ожидается объект дня");
			if (calendars_apply_day(ctx, cal, (int)year, d,
			                        arena_printf(ctx->arena, "days[%zu].", i)) < 0)
				return -1;
			n++;
		}
	} else {
		if (calendars_apply_day(ctx, cal, (int)year, ctx->args, "") < 0)
			return -1;
		n = 1;
	}
	if (calendars_store_year(ctx, row, cal, (int)year) < 0)
		return -1;
	json_object *detail = audit_detail("year", ctx_i64(ctx, year)); /* audit_log takes it */
	jsonx_set_int(detail, "days", n);
	if (audit_log(ctx, "calendars.year_edited", 1, "calendar", ctx_i64(ctx, row), detail) < 0 ||
	    calendars_head(ctx, row, 0, &row, &info) < 0)
		return -1;
	r = ctx_result(ctx);
	json_object_object_add(r, "calendar", json_object_get(info));
	calendars_year_json(ctx, cal, (int)year, r);
	return 0;
}

/* POST /api/admin/calendars/{id}/import: one year from xmlcalendar text (the
 * request's file, or "xml") or from the JSON form ("json": an object, or
 * its text). The year replaces the calendar's own year. A file may be in
 * UTF-8, in the Windows-1251 its XML declaration names, or in UTF-16 with a
 * byte-order mark (textenc.h). */
static int calendars_import(struct ctx *ctx)
{
	json_object *jv = jsonx_get(ctx->args, "json"), *parsed = NULL, *info, *r;
	const char *xml = jsonx_get_str(ctx->args, "xml"), *text = jsonx_get_str(ctx->args, "text");
	struct calendar *cal = calendar_new();
	struct calendar_error err = {0};
	int64_t id, row, want = 0;
	int first = 0, last = -1, rc;
	const char *field = "xml";
	int from_text = 0; /* errors of the page's text are named "text" */

	arena_defer(ctx->arena, calendars_free, cal);
	if (calendars_arg_id(ctx, &id) < 0 ||
	    ctx_arg_int(ctx, "year", DATE_MIN_YEAR, DATE_MAX_YEAR, 0, &want) < 0)
		return -1;
	/* "text": the admin page's upload or pasted text, either form */
	if (text && *text && !xml && !jv) {
		const char *p = text;
		while (*p == ' ' || *p == '\n' || *p == '\r' || *p == '\t')
			p++;
		if (*p == '{')
			jv = jsonx_get(ctx->args, "text");
		else
			xml = text;
		from_text = 1;
	}
	if (ctx->blob && ctx->blob_len) {
		/* a file in Windows-1251 or with a byte-order mark is converted,
		 * other bytes that are not UTF-8 are refused here, naming the line,
		 * rather than by the database without a word */
		struct buf utf8 = BUF_INIT;
		char declared[32];
		const char *why;
		int line;

		field = "file";
		textenc_xml_encoding((const char *)ctx->blob, ctx->blob_len, declared,
		                     sizeof(declared));
		if (textenc_to_utf8((const char *)ctx->blob, ctx->blob_len, declared, &utf8, &line,
		                    &why) < 0) {
			buf_free(&utf8);
			{
				char low[256];
				return ctx_field_code(ctx, field, "encoding", "Строка %d: %s", line,
				                      ru_after_colon(why, low, sizeof(low)));
			}
		}
		rc = calendar_load_xml(cal, utf8.data ? utf8.data : "", utf8.len, &err);
		buf_free(&utf8);
	} else if (xml) {
		field = from_text ? "text" : "xml";
		rc = calendar_load_xml(cal, xml, strlen(xml), &err);
	} else if (jv) {
		field = from_text ? "text" : "json";
		if (json_object_is_type(jv, json_type_string)) {
			parsed = json_tokener_parse(json_object_get_string(jv));
			arena_own(ctx->arena, parsed);
			jv = parsed;
		}
		if (jv == NULL || !json_object_is_type(jv, json_type_object))
			return ctx_field_code(ctx, field, "invalid",
			                      "Ожидается год календаря в форме JSON (объект)");
		rc = calendar_load_json(cal, jv, &err);
	} else {
		return ctx_field_code(ctx, "file", "required",
		                      "Приложите файл календаря (xmlcalendar) или JSON");
	}
	if (rc < 0) {
		if (jv != NULL && err.field[0])
			return ctx_field_code(ctx, field, "invalid", "%s: %s", err.field,
			                      err.message);
		return ctx_field_code(ctx, field, "invalid", "%s", err.message);
	}
	if (calendar_years(cal, &first, &last) != 1)
		return ctx_field_code(ctx, field, "invalid", "В файле должен быть ровно один год");
	if (want && want != first)
		return ctx_field_code(ctx, "year", "invalid", "В файле %d год, а не %lld", first,
		                      (long long)want);
	if (calendars_writable(ctx, id, &row) < 0 ||
	    calendars_store_year(ctx, row, cal, first) < 0 ||
	    audit_log(ctx, "calendars.year_imported", 1, "calendar", ctx_i64(ctx, row),
	              audit_detail("year", ctx_i64(ctx, first))) < 0 ||
	    calendars_head(ctx, row, 0, &row, &info) < 0)
		return -1;
	r = ctx_result(ctx);
	json_object_object_add(r, "calendar", json_object_get(info));
	calendars_year_json(ctx, cal, first, r);
	return 0;
}

/* GET /api/admin/calendars/{id}/years/{year}/export.xml and export.json */
static int calendars_export(struct ctx *ctx, const char *format)
{
	struct calendar *cal;
	json_object *info;
	int64_t id, row, year;

	if (calendars_arg_id(ctx, &id) < 0 ||
	    ctx_arg_int(ctx, "year", DATE_MIN_YEAR, DATE_MAX_YEAR, CTX_REQUIRED, &year) < 0)
		return -1;
	if (calendars_head(ctx, id, 0, &row, &info) < 0 ||
	    (cal = calendars_load(ctx, row)) == NULL ||
	    calendars_cover_year(ctx, cal, (int)year, 1) < 0)
		return -1;
	if (strcmp(format, "xml") == 0) {
		calendar_emit_xml(cal, (int)year, ctx->download);
		ctx->download_type = "application/xml; charset=utf-8";
		ctx->download_name = arena_printf(ctx->arena, "calendar-%lld.xml", (long long)year);
	} else {
		json_object *j = arena_own(ctx->arena, calendar_to_json(cal, (int)year));
		buf_puts(ctx->download, json_object_to_json_string_ext(j, JSON_C_TO_STRING_PRETTY));
		ctx->download_type = "application/json; charset=utf-8";
		ctx->download_name =
		    arena_printf(ctx->arena, "calendar-%lld.json", (long long)year);
	}
	jsonx_set_int(ctx_result(ctx), "year", year);
	return 0;
}

static int calendars_export_xml(struct ctx *ctx)
{
	return calendars_export(ctx, "xml");
}

static int calendars_export_json(struct ctx *ctx)
{
	return calendars_export(ctx, "json");
}

/* POST /api/admin/calendars/{id}/copy {"name", "region"}: a calendar for a
 * region, starting as a copy of this one (its own years included). */
static int calendars_copy(struct ctx *ctx)
{
	const char *name = ctx_arg_str(ctx, "name", 200, 1);
	const char *region = ctx_arg_str(ctx, "region", 200, 0);
	json_object *info;
	int64_t id, row;
	PGresult *res;
	const char *base_ru, *new_id;

	if (calendars_arg_id(ctx, &id) < 0 || name == NULL)
		return -1;
	if (calendars_head(ctx, id, 0, &row, &info) < 0)
		return -1;
	res =
	    ctx_sql(ctx, "SELECT 1 FROM calendars WHERE tenant_id = $1 AND lower(name) = lower($2)",
	            ctx_i64(ctx, ctx->tenant_id), name);
	if (res == NULL)
		return -1;
	if (PQntuples(res) || strcmp(name, CALENDARS_RU_NAME) == 0)
		return ctx_field_code(ctx, "name", "taken", "Календарь с таким названием уже есть");
	base_ru = json_object_get_boolean(jsonx_get(info, "base_ru")) ? "t" : "f";
	res = ctx_sql(ctx,
	              "INSERT INTO calendars (tenant_id, name, region, base_ru, is_default) "
	              "VALUES ($1, $2, nullif($3, ''), $4, false) RETURNING id",
	              ctx_i64(ctx, ctx->tenant_id), name, region, base_ru);
	if (res == NULL)
		return -1;
	new_id = arena_strdup(ctx->arena, PQgetvalue(res, 0, 0));
	if (row && ctx_sql(ctx,
	                   "INSERT INTO calendar_years (tenant_id, calendar_id, year, data, "
	                   "updated_by) SELECT tenant_id, $3, year, data, $4 FROM calendar_years "
	                   "WHERE tenant_id = $1 AND calendar_id = $2",
	                   ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, row), new_id,
	                   ctx->user_id ? ctx_i64(ctx, ctx->user_id) : NULL) == NULL)
		return -1;
	if (audit_log(ctx, "calendars.copied", 1, "calendar", new_id,
	              audit_detail("source", ctx_i64(ctx, row))) < 0 ||
	    calendars_head(ctx, atoll(new_id), 0, &row, &info) < 0)
		return -1;
	ctx->status = 201;
	json_object_object_add(ctx_result(ctx), "calendar", json_object_get(info));
	return 0;
}

#define CALENDARS_ID_ARG                                                                           \
	{                                                                                          \
		"id", ARG_INT, 0, .min = 0, .max = INT64_MAX                                       \
	}
#define CALENDARS_YEAR_ARG(flags_)                                                                 \
	{                                                                                          \
		"year", ARG_INT, flags_, .min = DATE_MIN_YEAR, .max = DATE_MAX_YEAR,               \
		                         .example = "2025"                                         \
	}

static const char *const calendars_kinds[] = {"work",    "weekend",  "holiday",
                                              "day_off", "paid_off", NULL};
static const struct op_arg calendars_year_args[] = {CALENDARS_ID_ARG,
                                                    CALENDARS_YEAR_ARG(ARG_REQUIRED), ARG_END};
/* one day of "days" (and of the admin page's form below) */
#define CALENDARS_DAY_FIELDS                                                                       \
	ARG_ROW_DATE("date", 0),                                                                   \
	    {"kind", ARG_ENUM, 0, .values = calendars_kinds,                                       \
	     .hint = "Вид дня: work, weekend, holiday, day_off или paid_off"},                     \
	    {.name = "short", .type = ARG_BOOL, .flags = 0}, {"title", ARG_STR, 0, .max = 200},    \
	    ARG_ROW_DATE("from", 0)
static const struct op_arg calendars_day_fields[] = {CALENDARS_DAY_FIELDS, ARG_END};
static const struct op_arg calendars_edit_args[] = {
    CALENDARS_ID_ARG,
    CALENDARS_YEAR_ARG(ARG_REQUIRED),
    {"days", ARG_ARRAY, 0, .min = 1, .max = 366,
     .example = "[{\"date\": \"2025-03-10\", \"kind\": \"holiday\", \"title\": \"День города\"}]",
     .items = calendars_day_fields},
    /* one day, as the admin page's form sends it */
    CALENDARS_DAY_FIELDS,
    ARG_END,
};
static const struct op_arg calendars_import_args[] = {
    CALENDARS_ID_ARG,
    CALENDARS_YEAR_ARG(0),
    {"xml", ARG_STR, ARG_MULTILINE, .max = 0},
    {.name = "json", .type = ARG_OBJECT, .flags = ARG_OR_TEXT},
    ARG_ROW_FILE_NAME,
    /* the admin page: a file's text or pasted text, either form */
    {"text", ARG_STR, ARG_MULTILINE, .max = 0},
    ARG_END,
};
static const struct op_arg calendars_copy_args[] = {
    CALENDARS_ID_ARG,
    {"name", ARG_STR, ARG_REQUIRED, .max = 200, .example = "\"Татарстан\""},
    {"region", ARG_STR, 0, .max = 200},
    ARG_END,
};

const struct op calendars_ops[] = {
    {"calendars.list", OP_ADMIN, calendars_list, 0, args_none},
    {"calendars.year", OP_ADMIN, calendars_year, 0, calendars_year_args},
    {"calendars.edit", OP_ADMIN, calendars_edit, OP_WRITE, calendars_edit_args},
    {"calendars.import", OP_ADMIN, calendars_import, OP_WRITE, calendars_import_args},
    {"calendars.export_xml", OP_ADMIN, calendars_export_xml, 0, calendars_year_args},
    {"calendars.export_json", OP_ADMIN, calendars_export_json, 0, calendars_year_args},
    {"calendars.copy", OP_ADMIN, calendars_copy, OP_WRITE | OP_IDEMPOTENT, calendars_copy_args},
    {NULL, 0, NULL, 0, NULL},
};
