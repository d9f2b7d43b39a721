/*
 * requests_files.c - files attached to requests: scans of a personal-data
 * change, a performer's result (requests.h).
 *
 *   POST /api/requests/{id}/files               multipart "file" -> 201 {"file"}
 *   GET  /api/requests/{request_id}/files/{id}  the file itself
 *
 * Who: the employee on their own request until it is done, rejected or
 * cancelled; the holder of an open task of it. The files of HR tasks
 * (hrtasks.c) are stored and served by the same two functions
 * (requests.h: requests_file_store, requests_file_send). Files are served only to
 * those who may see the request (the operation rows' declarations,
 * access.h), as attachments (never rendered inline by the browser).
 *
 * A file is at most attachments_max_size bytes and of one of the kinds in
 * attachments_types, told by its first bytes, not by its name or the
 * browser's word: pdf (%PDF-), jpeg (FF D8 FF), png (89 50 4E 47 0D 0A 1A
 * 0A), tiff (II*\0 or MM\0*). It is kept in PostgreSQL, or, when
 * attachments_dir is set, in that folder as <tenant>/<SHA-256 in hex>
 * (written to a temporary name and renamed, so a half-written file is
 * never served; the same content is kept once).
 */
#include "audit.h"
#include "jsonx.h"
#include "log.h"
#include "ops.h"
#include "requests.h"
#include "ru.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const struct {
	const char *kind, *content_type, *ext;
	const char *exts; /* the extensions a name of this kind may keep: "|pdf|" */
	const unsigned char *magic;
	size_t len;
} files_kinds[] = {
    {"pdf", "application/pdf", "pdf", "|pdf|", (const unsigned char *)"%PDF-", 5},
    {"jpeg", "image/jpeg", "jpg", "|jpg|jpeg|jpe|", (const unsigned char *)"\xff\xd8\xff", 3},
    {"png", "image/png", "png", "|png|", (const unsigned char *)"\x89PNG\r\n\x1a\n", 8},
    {"tiff", "image/tiff", "tif", "|tif|tiff|", (const unsigned char *)"II*\0", 4},
    {"tiff", "image/tiff", "tif", "|tif|tiff|", (const unsigned char *)"MM\0*", 4},
};

/* "1,5 МБ", "200 КБ", "12 байт" */
static const char *requests_files_size_ru(struct ctx *ctx, long long bytes)
{
	if (bytes >= 1024 * 1024) {
		long long tenths = (bytes * 10 + 512 * 1024) / (1024 * 1024);
		return tenths % 10
		           ? arena_printf(ctx->arena, "%lld,%lld МБ", tenths / 10, tenths % 10)
		           : arena_printf(ctx->arena, "%lld МБ", tenths / 10);
	}
	if (bytes >= 1024)
		return arena_printf(ctx->arena, "%lld КБ", (bytes + 512) / 1024);
	return arena_printf(ctx->arena, "%lld %s", bytes,
	                    ru_plural(bytes, "байт", "байта", "байт"));
}

/* 1 when kind is named in the comma-separated list. */
static int files_kind_allowed(const char *list, const char *kind)
{
	size_t n = strlen(kind);

	for (const char *p = list; p && *p;) {
		p += strspn(p, " ,");
		if (strncmp(p, kind, n) == 0 && (p[n] == '\0' || p[n] == ',' || p[n] == ' '))
			return 1;
		p += strcspn(p, ",");
	}
	return 0;
}

/* The configured kinds (attachments_types) as people name them, "PDF,
 * JPEG", and with types (may be NULL) their names and accept their
 * extensions, ".pdf,.jpg,.jpeg,.jpe" (an <input type=file>'s accept). */
static const char *files_kinds_ru(struct ctx *ctx, json_object *types, const char **accept)
{
	const char *list = "", *exts = "";

	for (size_t i = 0; i < sizeof(files_kinds) / sizeof(files_kinds[0]); i++) {
		char up[8];
		size_t n = strlen(files_kinds[i].kind);
		if ((i > 0 && strcmp(files_kinds[i].kind, files_kinds[i - 1].kind) == 0) ||
		    !files_kind_allowed(ctx->cfg->attachments_types, files_kinds[i].kind) ||
		    n >= sizeof(up))
			continue;
		for (size_t k = 0; k <= n; k++)
			up[k] =
			    (char)(files_kinds[i].kind[k] >= 'a' && files_kinds[i].kind[k] <= 'z'
			               ? files_kinds[i].kind[k] - 32
			               : files_kinds[i].kind[k]);
		list = arena_printf(ctx->arena, "%s%s%s", list, *list ? ", " : "", up);
		if (types)
			json_object_array_add(types, json_object_new_string(files_kinds[i].kind));
		/* "|jpg|jpeg|jpe|" -> ".jpg,.jpeg,.jpe" */
		for (const char *e = files_kinds[i].exts + 1; *e; e += strcspn(e, "|") + 1)
			exts = arena_printf(ctx->arena, "%s%s.%.*s", exts, *exts ? "," : "",
			                    (int)strcspn(e, "|"), e);
	}
	if (accept)
		*accept = exts;
	return list;
}

/* The size limit as people say it: "10 МБ", "1,5 МБ", "512 КБ" (never
 * more than the limit). */
static const char *files_max_ru(struct ctx *ctx)
{
	char b[32];

	return arena_strdup(ctx->arena,
	                    ru_format_size(ctx->cfg->attachments_max_size, b, sizeof(b)));
}

const char *requests_files_allowed(struct ctx *ctx)
{
	return arena_printf(ctx->arena, "%s до %s", files_kinds_ru(ctx, NULL, NULL),
	                    files_max_ru(ctx));
}

json_object *requests_files_limits(struct ctx *ctx)
{
	json_object *o = json_object_new_object(), *types = json_object_new_array();
	const char *accept;

	json_object_object_add(o, "types", types);
	files_kinds_ru(ctx, types, &accept);
	jsonx_set_str(o, "accept", accept);
	jsonx_set_int(o, "max_size", ctx->cfg->attachments_max_size);
	jsonx_set_str(o, "text", requests_files_allowed(ctx));
	return o;
}

/* The kind of the content, or -1. */
static int files_sniff(const unsigned char *data, size_t len)
{
	for (size_t i = 0; i < sizeof(files_kinds) / sizeof(files_kinds[0]); i++)
		if (len >= files_kinds[i].len &&
		    memcmp(data, files_kinds[i].magic, files_kinds[i].len) == 0)
			return (int)i;
	return -1;
}

/* 1 when the name ends with an extension of the kind ("Скан.PDF"). */
static int files_ext_of_kind(const char *name, int kind)
{
	const char *dot = strrchr(name, '.');
	char ext[8];
	size_t n;

	if (dot == NULL || (n = strlen(dot + 1)) == 0 || n > 4)
		return 0;
	ext[0] = '|';
	for (size_t i = 0; i < n; i++)
		ext[i + 1] =
		    (char)(dot[1 + i] >= 'A' && dot[1 + i] <= 'Z' ? dot[1 + i] + 32 : dot[1 + i]);
	ext[n + 1] = '|';
	ext[n + 2] = '\0';
	return strstr(files_kinds[kind].exts, ext) != NULL;
}

/* A name safe to give back: no path, no control characters, ending with an
 * extension of the kind the content is: "отчёт.html" of a PDF is given back
 * as "отчёт.html.pdf", so a download saved by its name opens as what was
 * checked, never as a page or a program. The name came in at most
 * ARGS_FILE_NAME_MAX characters (its declaration); only a name that the
 * added extension would take past them loses characters before it. */
static const char *files_clean_name(struct ctx *ctx, const char *name, int kind)
{
	const char *base = args_file_base(name);
	char *out;
	size_t n = 0, chars = 0, keep, ext;

	if (base == NULL)
		base = "file";
	out = arena_alloc(ctx->arena, strlen(base) + 8);
	for (const unsigned char *p = (const unsigned char *)base; *p; p++) {
		chars += (*p & 0xc0) != 0x80;
		out[n++] = *p < 0x20 || *p == 0x7f || *p == '"' ? '_' : (char)*p;
	}
	out[n] = '\0';
	if (files_ext_of_kind(out, kind))
		return out;
	ext = strlen(files_kinds[kind].ext) + 1;
	if (chars + ext > ARGS_FILE_NAME_MAX) {
		/* the first ARGS_FILE_NAME_MAX - ext characters */
		keep = ARGS_FILE_NAME_MAX - ext;
		for (n = 0, chars = 0; out[n]; n++)
			if (((unsigned char)out[n] & 0xc0) != 0x80 && chars++ == keep)
				break;
	}
	snprintf(out + n, 8, ".%s", files_kinds[kind].ext);
	return out;
}

static void files_hex(const unsigned char *in, size_t n, char *out)
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Writes the content to <dir>/<tenant>/<sha hex> unless it is there. */
static int files_store_dir(struct ctx *ctx, const char *rel, const unsigned char *data, size_t len)
{
	const char *dir = ctx->cfg->attachments_dir;
	const char *path = arena_printf(ctx->arena, "%s/%s", dir, rel);
	const char *sub = arena_strndup(ctx->arena, path, (size_t)(strrchr(path, '/') - path));
	const char *tmp = arena_printf(ctx->arena, "%s.%d.tmp", path, (int)getpid());
	size_t off = 0;
	int fd;

	if (access(path, R_OK) == 0)
		return 0;
	if (mkdir(sub, 0750) < 0 && errno != EEXIST)
		goto fail;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
	if (fd < 0)
		goto fail;
	while (off < len) {
		ssize_t w = write(fd, data + off, len - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			goto fail;
		}
		off += (size_t)w;
	}
	if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		goto fail;
	}
	return 0;
fail:
	log_error("attachment_write_failed", "req=%u errno=%d", ctx->req, errno);
	return ctx_fail(ctx, PROTO_ERR_unavailable,
	                "Не удалось сохранить файл: хранилище файлов недоступно");
}

int requests_file_put(struct ctx *ctx, int64_t request_id, int64_t task_id, const char *name,
                      const char *content_type, const unsigned char *data, size_t len, int64_t *id)
{
	unsigned char digest[32];
	char hex[65];
	unsigned int dlen = 0;
	const char *rel = NULL;
	char *content = NULL;
	PGresult *res;

	EVP_Digest(data, len, digest, &dlen, EVP_sha256(), NULL);
	files_hex(digest, sizeof(digest), hex);
	if (ctx->cfg->attachments_dir[0]) {
		rel = arena_printf(ctx->arena, "%lld/%s", (long long)ctx->tenant_id, hex);
		if (files_store_dir(ctx, rel, data, len) < 0)
			return -1;
	} else {
		/* bytea parameters as text: '\x' and the hex digits */
		content = arena_alloc(ctx->arena, 2 * len + 3);
		content[0] = '\\';
		content[1] = 'x';
		files_hex(data, len, content + 2);
	}
	res = ctx_sql(
	    ctx,
	    "INSERT INTO request_files (tenant_id, request_id, task_id, name, "
	    "content_type, size, sha256, content, path, uploaded_by, employee_id) "
	    "VALUES ($1, nullif($2, '0')::bigint, nullif($3, '0')::bigint, $4, $5, $6, "
	    "$7::bytea, $8::bytea, $9, nullif($10, '0')::bigint, nullif($11, '0')::bigint) "
	    "RETURNING id",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, request_id), ctx_i64(ctx, task_id), name,
	    content_type, ctx_i64(ctx, (int64_t)len), arena_printf(ctx->arena, "\\x%s", hex),
	    content, rel, ctx_i64(ctx, ctx->user_id), ctx_i64(ctx, ctx->employee_id));
	if (res == NULL)
		return -1;
	*id = atoll(PQgetvalue(res, 0, 0));
	return 0;
}

int requests_file_store(struct ctx *ctx, int64_t request_id, int64_t task_id, int64_t *id,
                        json_object **file)
{
	int kind;
	const char *name;
	json_object *f;

	*file = NULL;
	if ((ctx->blob == NULL || ctx->blob_len == 0) && jsonx_get_str(ctx->args, "filename"))
		return ctx_field_code(ctx, "file", "empty",
		                      "Файл пустой (0 байт): приложите файл с содержимым");
	if (ctx->blob == NULL || ctx->blob_len == 0)
		return ctx_field_code(ctx, "file", "required", "Приложите файл");
	if ((long)ctx->blob_len > ctx->cfg->attachments_max_size)
		return ctx_field_code(ctx, "file", "too_large",
		                      "Файл слишком большой: можно приложить файлы %s",
		                      requests_files_allowed(ctx));
	kind = files_sniff(ctx->blob, ctx->blob_len);
	if (kind < 0 || !files_kind_allowed(ctx->cfg->attachments_types, files_kinds[kind].kind))
		return ctx_field_code(ctx, "file", "type", "Можно приложить файлы %s",
		                      requests_files_allowed(ctx));
	name = files_clean_name(ctx, jsonx_get_str(ctx->args, "filename"), kind);
	if (requests_file_put(ctx, request_id, task_id, name, files_kinds[kind].content_type,
	                      ctx->blob, ctx->blob_len, id) < 0)
		return -1;
	f = arena_own(ctx->arena, json_object_new_object());
	jsonx_set_int(f, "id", *id);
	jsonx_set_str(f, "name", name);
	jsonx_set_str(f, "content_type", files_kinds[kind].content_type);
	jsonx_set_int(f, "size", (int64_t)ctx->blob_len);
	*file = f;
	return 0;
}

int requests_file_send(struct ctx *ctx, PGresult *res, int row)
{
	buf_reset(ctx->download);
	if (!PQgetisnull(res, row, 2)) {
		size_t n = 0;
		unsigned char *raw =
		    PQunescapeBytea((const unsigned char *)PQgetvalue(res, row, 2), &n);
		if (raw == NULL)
			return ctx_fail(ctx, PROTO_ERR_internal, NULL);
		buf_append(ctx->download, raw, n);
		PQfreemem(raw);
	} else {
		const char *path = arena_printf(ctx->arena, "%s/%s", ctx->cfg->attachments_dir,
		                                PQgetvalue(res, row, 3));
		char chunk[65536];
		ssize_t r;
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0) {
			log_error("attachment_read_failed", "req=%u errno=%d", ctx->req, errno);
			return ctx_fail(ctx, PROTO_ERR_unavailable,
			                "Файл недоступен: хранилище файлов не отвечает");
		}
		while ((r = read(fd, chunk, sizeof(chunk))) > 0)
			buf_append(ctx->download, chunk, (size_t)r);
		close(fd);
	}
	ctx->download_type = PQgetvalue(res, row, 1);
	ctx->download_name = PQgetvalue(res, row, 0);
	return 0;
}

/* POST /api/requests/{id}/files (multipart "file") */
/* attachments_bytes_per_employee: the caller's own files on their own open
 * requests and this one together, or 422 on "file" naming the key. */
static int requests_files_quota(struct ctx *ctx)
{
	long quota = ctx->cfg->attachments_bytes_per_employee;
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT coalesce(sum(f.size), 0) FROM requests r JOIN request_files f ON f.tenant_id = "
	    "r.tenant_id AND f.request_id = r.id AND f.employee_id = $2 WHERE r.tenant_id = $1 AND "
	    "r.employee_id = $2 AND r.state NOT IN ('done', 'rejected', 'cancelled')",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->employee_id));
	long long used;

	if (res == NULL)
		return -1;
	used = atoll(PQgetvalue(res, 0, 0));
	if (used + (long long)ctx->blob_len <= quota)
		return 0;
	return ctx_field_code(ctx, "file", "quota",
	                      "Файлы ваших незавершённых заявок — не больше %s вместе (настройка "
	                      "attachments_bytes_per_employee); уже приложено %s, этот файл — %s. "
	                      "Дождитесь завершения заявок или отзовите ненужные",
	                      requests_files_size_ru(ctx, quota), requests_files_size_ru(ctx, used),
	                      requests_files_size_ru(ctx, (long long)ctx->blob_len));
}

static int requests_file_add(struct ctx *ctx)
{
	static const char *const open_states[] = {"draft",    "submitted",   "awaiting_approval",
	                                          "approved", "in_progress", NULL};
	int ok = 0;
	int64_t task = 0, id;
	json_object *f, *d;
	PGresult *res;

	res =
	    ctx_sql(ctx,
	            "SELECT r.state, r.employee_id, (SELECT t.id FROM request_tasks t WHERE "
	            "t.tenant_id = r.tenant_id AND t.request_id = r.id AND t.assignee_id = $3 AND "
	            "t.state = 'open' ORDER BY t.id DESC LIMIT 1), (SELECT count(*) FROM "
	            "request_files f WHERE f.tenant_id = r.tenant_id AND f.request_id = r.id) FROM "
	            "requests r WHERE r.tenant_id = $1 AND r.id = $2 FOR UPDATE",
	            ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->object_id),
	            ctx_i64(ctx, ctx->employee_id));
	if (res == NULL)
		return -1;
	if (!PQgetisnull(res, 0, 2))
		task = atoll(PQgetvalue(res, 0, 2));
	for (int i = 0; open_states[i]; i++)
		if (strcmp(PQgetvalue(res, 0, 0), open_states[i]) == 0)
			ok = 1;
	if (!ok || (task == 0 && atoll(PQgetvalue(res, 0, 1)) != ctx->employee_id))
		return ctx_fail(ctx, PROTO_ERR_conflict,
		                "К заявке в состоянии «%s» файлы не прикладываются",
		                requests_state_title(PQgetvalue(res, 0, 0)));
	if (atoi(PQgetvalue(res, 0, 3)) >= REQUESTS_FILES_MAX)
		return ctx_field_code(ctx, "file", "too_many", "К заявке — не больше %d %s",
		                      REQUESTS_FILES_MAX,
		                      ru_plural(REQUESTS_FILES_MAX, "файла", "файлов", "файлов"));
	if (atoll(PQgetvalue(res, 0, 1)) == ctx->employee_id && requests_files_quota(ctx) < 0)
		return -1;
	if (requests_file_store(ctx, ctx->object_id, task, &id, &f) < 0)
		return -1;
	jsonx_set_str(f, "url",
	              arena_printf(ctx->arena, "/api/requests/%lld/files/%lld",
	                           (long long)ctx->object_id, (long long)id));
	json_object_object_add(ctx_result(ctx), "file", json_object_get(f));
	d = json_object_new_object();
	jsonx_set_int(d, "file_id", id);
	jsonx_set_int(d, "size", (int64_t)ctx->blob_len);
	if (requests_event(ctx, ctx->object_id, task, "file_added", NULL, d) < 0)
		return -1;
	ctx->status = 201;
	return 0;
}

/* GET /api/requests/{request_id}/files/{id} */
static int requests_file_get(struct ctx *ctx)
{
	int64_t request;
	PGresult *res;

	if (ctx_arg_int(ctx, "request_id", 1, INT64_MAX, CTX_REQUIRED, &request) < 0)
		return -1;
	res = ctx_sql(
	    ctx,
	    "SELECT name, content_type, content, path FROM request_files WHERE tenant_id = "
	    "$1 AND id = $2 AND request_id = $3",
	    ctx_i64(ctx, ctx->tenant_id), ctx_i64(ctx, ctx->object_id), ctx_i64(ctx, request));
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, "Файл не найден");
	return requests_file_send(ctx, res, 0);
}

static const struct op_arg requests_file_add_args[] = {
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_ROW_FILE_NAME,
    ARG_END,
};
static const struct op_arg requests_file_get_args[] = {
    ARG_ROW_ID("request_id", ARG_REQUIRED),
    ARG_ROW_ID("id", ARG_REQUIRED),
    ARG_END,
};

const struct op requests_files_ops[] = {
    {"requests.file_add", OP_EMPLOYEE, requests_file_add, OP_WRITE, requests_file_add_args,
     WHO_ON(WHO_SELF | WHO_ASSIGNEE, OBJ_REQUEST, "id")},
    {"requests.file_get", OP_EMPLOYEE, requests_file_get, 0, requests_file_get_args,
     WHO_ON(REQUEST_VIEWERS, OBJ_ATTACHMENT, "id")},
    {NULL, 0, NULL, 0, NULL},
};
