/*
 * notifications.c - the in-app list, the preferences, and the delivery task
 * that sends the email/SMS a person opted into and pushes an event to
 * their open pages through nginx's nchan (notifications.h).
 */
#include "notifications.h"

#include "audit.h"
#include "jsonx.h"
#include "log.h"
#include "monotime.h"
#include "notify.h"
#include "org.h"
#include "outbox.h"
#include "tasks.h"
#include "tenants.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NOTIFICATIONS_PAGE_MAX 100
#define NOTIFICATIONS_IDS_MAX  500
/* Rows one pass of the task delivers; a full pass kicks the next one. */
#define NOTIFICATIONS_BATCH 500
/* Pushes of marks (another page read some) waiting for the task; more are
 * dropped: an event is only a hint, the next one carries the count. */
#define NOTIFICATIONS_PUSHES_MAX 1024

static const char *notifications_tenant(struct ctx *ctx)
{
	return ctx_i64(ctx, ctx->tenant_id);
}

/* ---- the list ---- */

/* GET /api/notifications?limit=&offset=&unread= */
static int notifications_list(struct ctx *ctx)
{
	json_object *items = json_object_new_array(), *o;
	int64_t limit, offset, unread = 0, total = 0;
	int only_unread = 0;
	PGresult *res;

	json_object_object_add(ctx_result(ctx), "items", items);
	if (ctx_arg_int(ctx, "limit", 0, NOTIFICATIONS_PAGE_MAX, 20, &limit) < 0 ||
	    ctx_arg_int(ctx, "offset", 0, INT32_MAX, 0, &offset) < 0)
		return -1;
	jsonx_get_bool(ctx->args, "unread", &only_unread);
	if (ctx->employee_id) {
		res = ctx_sql(ctx,
		              "SELECT count(*), count(*) FILTER (WHERE read_at IS NULL) FROM "
		              "notifications WHERE tenant_id = $1 AND employee_id = $2",
		              notifications_tenant(ctx), ctx_i64(ctx, ctx->employee_id));
		if (res == NULL)
			return -1;
		total = atoll(PQgetvalue(res, 0, 0));
		unread = atoll(PQgetvalue(res, 0, 1));
	}
	jsonx_set_int(ctx_result(ctx), "total", only_unread ? unread : total);
	jsonx_set_int(ctx_result(ctx), "unread", unread);
	if (limit == 0 || (only_unread ? unread : total) == 0)
		return 0;
	res =
	    ctx_sql(ctx,
	            "SELECT id, kind, text, request_id, task_id, to_char(created_at AT TIME ZONE "
	            "'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), to_char(created_at AT TIME ZONE $3, "
	            "'DD.MM.YYYY HH24:MI'), read_at IS NOT NULL FROM notifications WHERE tenant_id "
	            "= $1 AND employee_id = $2 AND (NOT $4 OR read_at IS NULL) ORDER BY id DESC "
	            "LIMIT $5 OFFSET $6",
	            notifications_tenant(ctx), ctx_i64(ctx, ctx->employee_id), org_time_zone(ctx),
	            only_unread ? "t" : "f", ctx_i64(ctx, limit), ctx_i64(ctx, offset));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		o = json_object_new_object();
		jsonx_set_int(o, "id", atoll(PQgetvalue(res, i, 0)));
		jsonx_set_str(o, "kind", PQgetvalue(res, i, 1));
		jsonx_set_str(o, "text", PQgetvalue(res, i, 2));
		json_object_object_add(o, "request_id",
		                       PQgetisnull(res, i, 3)
		                           ? NULL
		                           : json_object_new_int64(atoll(PQgetvalue(res, i, 3))));
		json_object_object_add(o, "task_id",
		                       PQgetisnull(res, i, 4)
		                           ? NULL
		                           : json_object_new_int64(atoll(PQgetvalue(res, i, 4))));
		jsonx_set_str(o, "created_at", PQgetvalue(res, i, 5));
		jsonx_set_str(o, "created_ru", PQgetvalue(res, i, 6));
		jsonx_set_bool(o, "read", PQgetvalue(res, i, 7)[0] == 't');
		json_object_array_add(items, o);
	}
	return 0;
}

/* ---- pushes of marks ---- */

struct notifications_push {
	int64_t tenant, user;
};

static pthread_mutex_t notifications_pushes_lock = PTHREAD_MUTEX_INITIALIZER;
static struct notifications_push notifications_pushes[NOTIFICATIONS_PUSHES_MAX];
static int notifications_pushes_n;

/* The user's pages hear of the change once the task runs (after this
 * request's commit: tasks_kick holds the kick until then). */
static void notifications_push_later(int64_t tenant, int64_t user)
{
	pthread_mutex_lock(&notifications_pushes_lock);
	if (notifications_pushes_n < NOTIFICATIONS_PUSHES_MAX)
		notifications_pushes[notifications_pushes_n++] =
		    (struct notifications_push){tenant, user};
	pthread_mutex_unlock(&notifications_pushes_lock);
	tasks_kick("notify.deliver");
}

/* ---- ends of streams ---- */

static size_t notifications_discard(char *data, size_t size, size_t n, void *arg);

static struct notifications_push notifications_ends[NOTIFICATIONS_PUSHES_MAX];
static int notifications_ends_n;

void notifications_end_streams(int64_t tenant, int64_t user)
{
	int kept = 1;

	pthread_mutex_lock(&notifications_pushes_lock);
	for (int i = 0; i < notifications_ends_n; i++)
		if (notifications_ends[i].tenant == tenant && notifications_ends[i].user == user)
			goto queued;
	if (notifications_ends_n < NOTIFICATIONS_PUSHES_MAX)
		notifications_ends[notifications_ends_n++] =
		    (struct notifications_push){tenant, user};
	else
		kept = 0;
queued:
	pthread_mutex_unlock(&notifications_pushes_lock);
	if (!kept)
		log_warn("notify_end_streams", "error=\"queue full\" tenant=%lld",
		         (long long)tenant);
	tasks_kick("notify.deliver");
}

/* Ends the queued users' open event streams: nchan's publisher deletes
 * each one's channel, which closes its subscribers (the pages reconnect,
 * and nginx asks notifications.channel about the session again: 401 for
 * the one that ended, a new stream for the user's other sessions). */
static void notifications_end_queued(const struct cfg *cfg)
{
	struct notifications_push ends[NOTIFICATIONS_PUSHES_MAX];
	int n, failed = 0;
	CURL *c;

	pthread_mutex_lock(&notifications_pushes_lock);
	n = notifications_ends_n;
	memcpy(ends, notifications_ends, (size_t)n * sizeof(ends[0]));
	notifications_ends_n = 0;
	pthread_mutex_unlock(&notifications_pushes_lock);
	if (n == 0 || cfg->notify_publish_socket[0] == '\0')
		return;
	if ((c = curl_easy_init()) == NULL) {
		log_error("notify_end_streams", "error=\"curl_easy_init failed\"");
		return;
	}
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, cfg->notify_publish_socket);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, cfg->notify_publish_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, cfg->notify_publish_timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "DELETE");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, notifications_discard);
	for (int i = 0; i < n; i++) {
		char url[128];
		long code = 0;
		CURLcode rc;

		snprintf(url, sizeof(url), "http://localhost/pub/%lldu%lld",
		         (long long)ends[i].tenant, (long long)ends[i].user);
		curl_easy_setopt(c, CURLOPT_URL, url);
		rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		/* 404: nobody listens, nothing to end */
		if (rc != CURLE_OK || (code != 404 && (code < 200 || code > 299))) {
			log_warn("notify_end_streams", "error=\"%s\" status=%ld left=%d",
			         rc != CURLE_OK ? curl_easy_strerror(rc) : "refused", code, n - i);
			failed = 1;
			break;
		}
	}
	curl_easy_cleanup(c);
	if (!failed)
		log_debug("notify_end_streams", "users=%d", n);
}

/* POST /api/notifications/read {"ids": [...]} | {"all": true} */
static int notifications_read(struct ctx *ctx)
{
	json_object *ids = jsonx_get(ctx->args, "ids"), *list = json_object_new_array();
	int all = 0;
	PGresult *res;
	int64_t marked;

	arena_own(ctx->arena, list);
	jsonx_get_bool(ctx->args, "all", &all);
	if (ids && json_object_is_type(ids, json_type_string)) {
		/* a form's "1,2,3" */
		const char *p = json_object_get_string(ids);
		while (*p) {
			char *end;
			long long v = strtoll(p, &end, 10);
			if (end == p || v <= 0 || (*end && *end != ',')) {
				return ctx_field(ctx, "ids",
				                 "Номера уведомлений — целые числа через запятую");
			}
			json_object_array_add(list, json_object_new_int64(v));
			p = *end ? end + 1 : end;
		}
	} else if (ids) {
		for (size_t i = 0; i < json_object_array_length(ids); i++) {
			json_object *v = json_object_array_get_idx(ids, i);
			if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0)
				return ctx_field(ctx, arena_printf(ctx->arena, "ids[%zu]", i),
				                 "Номер уведомления — целое число больше нуля");
			json_object_array_add(list, json_object_get(v));
		}
	}
	if (!all && json_object_array_length(list) == 0)
		return ctx_field(ctx, "ids",
		                 "Укажите номера уведомлений (ids) или отметьте все (all: true)");
	if (ctx->employee_id == 0) {
		if (!all)
			return ctx_fail(ctx, PROTO_ERR_not_found, "Уведомление не найдено");
		marked = 0;
	} else if (all) {
		res = ctx_sql(ctx,
		              "UPDATE notifications SET read_at = now() WHERE tenant_id = $1 AND "
		              "employee_id = $2 AND read_at IS NULL",
		              notifications_tenant(ctx), ctx_i64(ctx, ctx->employee_id));
		if (res == NULL)
			return -1;
		marked = atoll(PQcmdTuples(res));
	} else {
		/* every id must be the caller's own: another person's is as absent
		 * as one that does not exist, and nothing is marked */
		res = ctx_sql(
		    ctx,
		    "WITH want AS (SELECT DISTINCT x FROM jsonb_array_elements_text($3::jsonb) "
		    "AS j(x)), mine AS (SELECT n.id, n.read_at FROM notifications n JOIN want "
		    "ON n.id = want.x::bigint WHERE n.tenant_id = $1 AND n.employee_id = $2 "
		    "FOR UPDATE OF n) SELECT (SELECT count(*) FROM want), (SELECT count(*) "
		    "FROM mine)",
		    notifications_tenant(ctx), ctx_i64(ctx, ctx->employee_id),
		    jsonx_dump(list, NULL));
		if (res == NULL)
			return -1;
		if (strcmp(PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1)) != 0)
			return ctx_fail(ctx, PROTO_ERR_not_found, "Уведомление не найдено");
		res = ctx_sql(ctx,
		              "UPDATE notifications SET read_at = now() WHERE tenant_id = $1 AND "
		              "employee_id = $2 AND read_at IS NULL AND id IN (SELECT "
		              "x::bigint FROM jsonb_array_elements_text($3::jsonb) AS j(x))",
		              notifications_tenant(ctx), ctx_i64(ctx, ctx->employee_id),
		              jsonx_dump(list, NULL));
		if (res == NULL)
			return -1;
		marked = atoll(PQcmdTuples(res));
	}
	jsonx_set_int(ctx_result(ctx), "marked", marked);
	res =
	    ctx_sql(ctx,
	            "SELECT count(*) FROM notifications WHERE tenant_id = $1 AND employee_id = $2 "
	            "AND read_at IS NULL",
	            notifications_tenant(ctx), ctx_i64(ctx, ctx->employee_id));
	if (res == NULL)
		return -1;
	jsonx_set_int(ctx_result(ctx), "unread", atoll(PQgetvalue(res, 0, 0)));
	if (marked > 0)
		notifications_push_later(ctx->tenant_id, ctx->user_id);
	return 0;
}

/* ---- the channel of the event stream ---- */

/* GET /api/notifications/channel: nginx's auth_request before it lets a
 * page subscribe (the responder copies "channel" into X-Cabinet-Channel).
 * The channel follows from the session alone. */
static int notifications_channel(struct ctx *ctx)
{
	jsonx_set_str(ctx_result(ctx), "channel",
	              arena_printf(ctx->arena, "%lldu%lld", (long long)ctx->tenant_id,
	                           (long long)ctx->user_id));
	return 0;
}

/* ---- preferences ---- */

static int notifications_prefs_answer(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx);
	PGresult *res = ctx_sql(
	    ctx,
	    "SELECT coalesce(p.email, false), coalesce(p.sms, false), coalesce(u.email, e.email), "
	    "coalesce(u.phone, e.phone) FROM users u LEFT JOIN employees e ON e.tenant_id = "
	    "u.tenant_id AND e.id = u.employee_id LEFT JOIN notification_prefs p ON p.tenant_id "
	    "= u.tenant_id AND p.user_id = u.id WHERE u.tenant_id = $1 AND u.id = $2",
	    notifications_tenant(ctx), ctx_i64(ctx, ctx->user_id));

	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_fail(ctx, PROTO_ERR_not_found, NULL);
	jsonx_set_bool(r, "in_app", 1);
	jsonx_set_bool(r, "email", PQgetvalue(res, 0, 0)[0] == 't');
	jsonx_set_bool(r, "sms", PQgetvalue(res, 0, 1)[0] == 't');
	jsonx_set_str(r, "email_to", PQgetisnull(res, 0, 2) ? NULL : PQgetvalue(res, 0, 2));
	jsonx_set_str(r, "sms_to", PQgetisnull(res, 0, 3) ? NULL : PQgetvalue(res, 0, 3));
	return 0;
}

/* GET /api/profile/notifications */
static int notifications_prefs_get(struct ctx *ctx)
{
	return notifications_prefs_answer(ctx);
}

/* PUT /api/profile/notifications {"email", "sms"} */
static int notifications_prefs_put(struct ctx *ctx)
{
	int in_app = 1, email = -1, sms = -1, had, email_given, sms_given;
	json_object *r, *d;

	jsonx_get_bool(ctx->args, "in_app", &in_app);
	if (!in_app)
		ctx_field(ctx, "in_app", "Уведомления в кабинете отключить нельзя");
	if (jsonx_get_bool(ctx->args, "email", &had) == 0)
		email = had;
	if (jsonx_get_bool(ctx->args, "sms", &had) == 0)
		sms = had;
	email_given = email >= 0;
	sms_given = sms >= 0;
	if (notifications_prefs_answer(ctx) < 0)
		return -1;
	r = ctx_result(ctx);
	if (email < 0)
		email = json_object_get_boolean(jsonx_get(r, "email"));
	if (sms < 0)
		sms = json_object_get_boolean(jsonx_get(r, "sms"));
	if (email && jsonx_get_str(r, "email_to") == NULL)
		ctx_field(ctx, "email",
		          "В профиле нет адреса электронной почты: попросите администратора "
		          "добавить его");
	if (sms && jsonx_get_str(r, "sms_to") == NULL)
		ctx_field(ctx, "sms",
		          "В профиле нет номера телефона: попросите администратора добавить его");
	if (ctx->error_fields)
		return -1;
	/* the keys sent only: a key left out keeps what another change at the
	 * same moment wrote (the values above were read without a lock) */
	if (ctx_sql(ctx,
	            "INSERT INTO notification_prefs (tenant_id, user_id, email, sms) VALUES ($1, "
	            "$2, $3, $4) ON CONFLICT (tenant_id, user_id) DO UPDATE SET email = CASE "
	            "WHEN $5 THEN excluded.email ELSE notification_prefs.email END, sms = CASE "
	            "WHEN $6 THEN excluded.sms ELSE notification_prefs.sms END, updated_at = now()",
	            notifications_tenant(ctx), ctx_i64(ctx, ctx->user_id), email ? "t" : "f",
	            sms ? "t" : "f", email_given ? "t" : "f", sms_given ? "t" : "f") == NULL)
		return -1;
	jsonx_set_bool(r, "email", email);
	jsonx_set_bool(r, "sms", sms);
	d = json_object_new_object();
	jsonx_set_bool(d, "email", email);
	jsonx_set_bool(d, "sms", sms);
	return audit_log(ctx, "notifications.prefs", 1, "user", ctx_i64(ctx, ctx->user_id), d);
}

/* ---- delivery ---- */

/* The email's subject by kind. */
static const char *notifications_subject(const char *kind)
{
	if (strcmp(kind, "task_new") == 0)
		return "Новая задача";
	if (strcmp(kind, "task_reminder") == 0)
		return "Напоминание о сроке задачи";
	if (strcmp(kind, "task_escalated") == 0)
		return "Срок задачи истёк";
	if (strcmp(kind, "request_state") == 0)
		return "Заявка: новое состояние";
	if (strcmp(kind, "task_overdue") == 0)
		return "Срок задания истёк";
	if (strcmp(kind, "hr_task_done") == 0)
		return "Задание выполнено";
	if (strcmp(kind, "hr_task_cancelled") == 0)
		return "Задание отменено";
	if (strcmp(kind, "request_forwarded") == 0)
		return "Заявка передана другому исполнителю";
	return "Уведомление";
}

/* The SMS of a notification: its short text (notify_sms(), one segment);
 * a row queued before it had one: "Кабинет сотрудника: <text>" cut to one
 * segment with "…". */
static const char *notifications_sms_text(struct ctx *ctx, const char *sms, const char *text)
{
	size_t chars = 0, i;

	if (sms)
		return sms;
	sms = arena_printf(ctx->arena, "Кабинет сотрудника: %s", text);
	for (i = 0; sms[i]; i++)
		if (((unsigned char)sms[i] & 0xc0) != 0x80 && chars++ == NOTIFY_SMS_MAX - 1)
			return arena_printf(ctx->arena, "%.*s…", (int)i, sms);
	return sms;
}

/* What one pass collected for after its commit: the channels to push to,
 * each with its count (owned by the task, not the arena: the arena is reset
 * when the transaction ends). */
struct notifications_pass {
	json_object *events; /* [{"channel", "unread", "latest"}] */
	int full;            /* the batch was full: run again */
	int delivered;
};

/* The pushes of marks queued since the last pass, as a JSON list of
 * {"tenant_id", "user_id"} (taken: the queue is empty after). */
static json_object *notifications_pushes_take(void)
{
	json_object *list = json_object_new_array();

	pthread_mutex_lock(&notifications_pushes_lock);
	for (int i = 0; i < notifications_pushes_n; i++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "tenant_id", notifications_pushes[i].tenant);
		jsonx_set_int(o, "user_id", notifications_pushes[i].user);
		json_object_array_add(list, o);
	}
	notifications_pushes_n = 0;
	pthread_mutex_unlock(&notifications_pushes_lock);
	return list;
}

static int notifications_deliver(struct ctx *ctx, void *arg)
{
	struct notifications_pass *pass = arg;
	json_object *users = arena_own(ctx->arena, notifications_pushes_take());
	PGresult *res;
	int n;

	/* The pass commits without waiting for its WAL flush: its worker is
	 * back for requests at once (the flush waited behind the requests' own
	 * commits: a pass held a worker 43 ms at the median at load 11-16).
	 * What it writes is derived (the rows' delivered_at, the outbox rows of
	 * their emails and SMS, together): a crash may lose the pass as a
	 * whole (PostgreSQL flushes it within wal_writer_delay, or with any
	 * durable commit after it), and the next pass delivers the same rows
	 * again: an email sent in that window may go twice, as one whose
	 * sender crashed before its own commit already may (the outbox sends
	 * at least once).
	 * And no bitmap scans: when the planner read the few undelivered rows
	 * by a bitmap of notifications_undelivered, every pass visited the
	 * entries of every row delivered since the table's last vacuum (773
	 * to 1 518 entries for 3 to 34 rows in tests/bench; a bitmap scan
	 * never marks an entry dead). A plain index scan in the index's order
	 * marks them once seen, and the next pass skips them (18-72 entries
	 * read on the same data). */
	if (ctx_queue(ctx,
	              "SELECT set_config('synchronous_commit', 'off', true), "
	              "set_config('enable_bitmapscan', 'off', true)",
	              0, NULL) < 0)
		return -1;
	/* the rows not delivered yet, marked delivered in this transaction
	 * (a concurrent pass skips them), with who gets them and where */
	res = ctx_sql(
	    ctx,
	    "WITH d AS (UPDATE notifications n SET delivered_at = now() FROM (SELECT tenant_id, "
	    "id FROM notifications WHERE delivered_at IS NULL ORDER BY tenant_id, id LIMIT $1 FOR "
	    "UPDATE SKIP LOCKED) x WHERE n.tenant_id = x.tenant_id AND n.id = x.id RETURNING "
	    "n.tenant_id, n.id, n.employee_id, n.kind, n.text, n.sms) SELECT d.tenant_id, d.id, "
	    "d.kind, d.text, u.id, coalesce(p.email, false) AND coalesce(u.email, e.email) IS NOT "
	    "NULL, "
	    "coalesce(p.sms, false) AND coalesce(u.phone, e.phone) IS NOT NULL, coalesce(u.email, "
	    "e.email), coalesce(u.phone, e.phone), t.subdomain, d.sms FROM d JOIN tenants t ON "
	    "t.id = "
	    "d.tenant_id LEFT JOIN users u ON u.tenant_id = d.tenant_id AND u.employee_id = "
	    "d.employee_id AND u.status <> 'blocked' LEFT JOIN employees e ON e.tenant_id = "
	    "d.tenant_id AND e.id = d.employee_id LEFT JOIN notification_prefs p ON p.tenant_id = "
	    "d.tenant_id AND p.user_id = u.id ORDER BY d.tenant_id, d.id",
	    ctx_i64(ctx, NOTIFICATIONS_BATCH));
	if (res == NULL)
		return -1;
	n = PQntuples(res);
	pass->full = n == NOTIFICATIONS_BATCH;
	pass->delivered = n;
	for (int i = 0; i < n; i++) {
		int64_t tenant = atoll(PQgetvalue(res, i, 0));
		int64_t user = PQgetisnull(res, i, 4) ? 0 : atoll(PQgetvalue(res, i, 4));
		const char *kind = PQgetvalue(res, i, 2), *text = PQgetvalue(res, i, 3);
		int by_email = PQgetvalue(res, i, 5)[0] == 't',
		    by_sms = PQgetvalue(res, i, 6)[0] == 't';
		json_object *o;

		if (user == 0)
			continue; /* no cabinet: nobody to tell yet (the list keeps it) */
		o = json_object_new_object();
		jsonx_set_int(o, "tenant_id", tenant);
		jsonx_set_int(o, "user_id", user);
		json_object_array_add(users, o);
		if (!by_email && !by_sms)
			continue;
		if (tenant != ctx->tenant_id && ctx_use_tenant(ctx, tenant) < 0)
			return -1;
		if (by_email) {
			const char *url = tenants_url(ctx, PQgetvalue(res, i, 9));
			if (outbox_enqueue(
			        ctx, "email", PQgetvalue(res, i, 7),
			        arena_printf(ctx->arena, "%s — Кабинет сотрудника",
			                     notifications_subject(kind)),
			        arena_printf(ctx->arena,
			                     "%s\n\nОткрыть кабинет: %s\n\nПисьма с уведомлениями "
			                     "отключаются в профиле кабинета.\n",
			                     text, url),
			        "notification", user) < 0)
				return -1;
		}
		if (by_sms &&
		    outbox_enqueue(
		        ctx, "sms", PQgetvalue(res, i, 8), NULL,
		        notifications_sms_text(
		            ctx, PQgetisnull(res, i, 10) ? NULL : PQgetvalue(res, i, 10), text),
		        "notification", user) < 0)
			return -1;
	}
	if (json_object_array_length(users) == 0)
		return 0;
	/* one event per person: their unread count and newest notification.
	 * Each person's account is found by its key (the LATERAL with LIMIT
	 * keeps it a nested loop): joined as a table, the generic plan read
	 * every user of every tenant through the row policy and sorted them
	 * (30 ms a pass with 10 000 users, against 1.5 ms) */
	res = ctx_sql(
	    ctx,
	    "SELECT x.tenant_id, x.user_id, (SELECT count(*) FROM notifications n WHERE "
	    "n.tenant_id = x.tenant_id AND n.employee_id = u.employee_id AND n.read_at IS NULL), "
	    "coalesce((SELECT n.id FROM notifications n WHERE n.tenant_id = x.tenant_id AND "
	    "n.employee_id = u.employee_id ORDER BY n.id DESC LIMIT 1), 0) FROM (SELECT DISTINCT "
	    "tenant_id, user_id FROM jsonb_to_recordset($1::jsonb) AS x(tenant_id bigint, user_id "
	    "bigint)) x CROSS JOIN LATERAL (SELECT u.employee_id FROM users u WHERE u.tenant_id = "
	    "x.tenant_id AND u.id = x.user_id LIMIT 1) u",
	    jsonx_dump(users, NULL));
	if (res == NULL)
		return -1;
	for (int i = 0; i < PQntuples(res); i++) {
		json_object *e = json_object_new_object();
		jsonx_set_str(e, "channel",
		              arena_printf(ctx->arena, "%su%s", PQgetvalue(res, i, 0),
		                           PQgetvalue(res, i, 1)));
		jsonx_set_int(e, "unread", atoll(PQgetvalue(res, i, 2)));
		jsonx_set_int(e, "latest", atoll(PQgetvalue(res, i, 3)));
		json_object_array_add(pass->events, e);
	}
	return 0;
}

static size_t notifications_discard(char *data, size_t size, size_t n, void *arg)
{
	(void)data;
	(void)arg;
	return size * n;
}

/* Publishes the pass's events to nchan: one POST per channel on one
 * connection to notify_publish_socket. A failure is logged and dropped:
 * the rows are in the list, and the page's next fetch shows them. */
static void notifications_publish(const struct cfg *cfg, json_object *events)
{
	size_t n = json_object_array_length(events), sent = 0;
	struct curl_slist *headers = NULL;
	CURL *c;

	if (n == 0 || cfg->notify_publish_socket[0] == '\0')
		return;
	c = curl_easy_init();
	if (c == NULL) {
		log_error("notify_publish", "error=\"curl_easy_init failed\"");
		return;
	}
	headers = curl_slist_append(headers, "Content-Type: application/json");
	curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, cfg->notify_publish_socket);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, cfg->notify_publish_timeout_ms);
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, cfg->notify_publish_timeout_ms);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, notifications_discard);
	for (size_t i = 0; i < n; i++) {
		json_object *e = json_object_array_get_idx(events, i),
		            *body = json_object_new_object();
		char url[128];
		long code = 0;
		CURLcode rc;

		jsonx_set_int(body, "unread", json_object_get_int64(jsonx_get(e, "unread")));
		jsonx_set_int(body, "latest", json_object_get_int64(jsonx_get(e, "latest")));
		snprintf(url, sizeof(url), "http://localhost/pub/%s", jsonx_get_str(e, "channel"));
		curl_easy_setopt(c, CURLOPT_URL, url);
		curl_easy_setopt(c, CURLOPT_COPYPOSTFIELDS, json_object_to_json_string(body));
		json_object_put(body);
		rc = curl_easy_perform(c);
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
		if (rc != CURLE_OK || code < 200 || code > 299) {
			log_warn("notify_publish", "error=\"%s\" status=%ld left=%zu",
			         rc != CURLE_OK ? curl_easy_strerror(rc) : "refused", code, n - i);
			break; /* nginx is down or busy: do not wait for each channel */
		}
		sent++;
	}
	curl_slist_free_all(headers);
	curl_easy_cleanup(c);
	if (sent)
		log_debug("notify_publish", "events=%zu", sent);
}

/* ---- the publisher ---- */

/* The passes' events go to nchan from a thread of their own, not from the
 * pass's worker: the publishes wait for nginx, which is busy with the same
 * traffic (16 POSTs a pass at 16 writers: 37 ms at the median and up to
 * 0.57 s at load 17, tests/bench/README.md), and held one of cabinetd's
 * four workers away from the requests queued behind it. The thread sends
 * the events in the order of the passes; what waits for it is merged by
 * channel (an event carries the person's current count and newest id, so
 * the last one of a channel says all); streams to end go after. */
#define NOTIFICATIONS_PUBLISH_PENDING_MAX 10000

static pthread_mutex_t notifications_pub_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t notifications_pub_cond = PTHREAD_COND_INITIALIZER;
static json_object *notifications_pub_events; /* waiting for the thread, or NULL */
static int notifications_pub_wake;
static pthread_once_t notifications_pub_once = PTHREAD_ONCE_INIT;
static int notifications_pub_running;

static void *notifications_publisher(void *arg)
{
	(void)arg;
	for (;;) {
		json_object *events;
		const struct cfg *cfg;

		pthread_mutex_lock(&notifications_pub_lock);
		while (!notifications_pub_wake)
			pthread_cond_wait(&notifications_pub_cond, &notifications_pub_lock);
		notifications_pub_wake = 0;
		events = notifications_pub_events;
		notifications_pub_events = NULL;
		pthread_mutex_unlock(&notifications_pub_lock);
		cfg = cfg_current_acquire();
		if (events)
			notifications_publish(cfg, events);
		notifications_end_queued(cfg);
		cfg_current_release(cfg);
		json_object_put(events);
	}
	return NULL;
}

static void notifications_publisher_start(void)
{
	pthread_t thread;
	pthread_attr_t attr;

	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	if (pthread_create(&thread, &attr, notifications_publisher, NULL) == 0)
		notifications_pub_running = 1;
	else
		log_error("notify_publisher", "error=\"pthread_create failed\" action=publish_in_pass");
	pthread_attr_destroy(&attr);
}

/* Hands a pass's events (taken) and the queued ends of streams to the
 * publisher; without the thread (it could not start), publishes them here. */
static void notifications_publish_later(json_object *events)
{
	size_t n = json_object_array_length(events), dropped = 0;

	pthread_once(&notifications_pub_once, notifications_publisher_start);
	if (!notifications_pub_running) {
		const struct cfg *cfg = cfg_current_acquire();
		notifications_publish(cfg, events);
		notifications_end_queued(cfg);
		cfg_current_release(cfg);
		json_object_put(events);
		return;
	}
	pthread_mutex_lock(&notifications_pub_lock);
	if (notifications_pub_events == NULL) {
		notifications_pub_events = events;
		events = NULL;
	} else {
		json_object *pending = notifications_pub_events;
		for (size_t i = 0; i < n; i++) {
			json_object *e = json_object_array_get_idx(events, i);
			const char *channel = jsonx_get_str(e, "channel");
			size_t m = json_object_array_length(pending), j;
			for (j = 0; j < m; j++)
				if (strcmp(jsonx_get_str(json_object_array_get_idx(pending, j), "channel"),
				           channel) == 0)
					break;
			if (j < m)
				json_object_array_put_idx(pending, j, json_object_get(e));
			else if (m < NOTIFICATIONS_PUBLISH_PENDING_MAX)
				json_object_array_add(pending, json_object_get(e));
			else
				dropped++;
		}
	}
	notifications_pub_wake = 1;
	pthread_cond_signal(&notifications_pub_cond);
	pthread_mutex_unlock(&notifications_pub_lock);
	json_object_put(events);
	if (dropped) /* only hints: the pages' next fetch shows the rows */
		log_warn("notify_publish", "error=\"queue full\" dropped=%zu", dropped);
}

void notifications_deliver_task(struct db *db, struct arena *arena, void *arg)
{
	struct notifications_pass pass = {.events = json_object_new_array()};
	int64_t started = monotime_us();

	(void)arg;
	if (dispatch_system(db, arena, "notify.deliver", notifications_deliver, &pass) >= 0) {
		if (pass.delivered)
			log_info("notify_delivered", "notifications=%d events=%zu", pass.delivered,
			         json_object_array_length(pass.events));
		log_debug("notify_pass", "us=%lld", (long long)(monotime_us() - started));
		notifications_publish_later(pass.events); /* taken */
		pass.events = NULL;
		if (pass.full)
			tasks_kick("notify.deliver");
	}
	json_object_put(pass.events);
}

/* ---- the table ---- */

static const struct op_arg notifications_list_args[] = {
    {"limit", ARG_INT, 0, .min = 0, .max = NOTIFICATIONS_PAGE_MAX},
    {"offset", ARG_INT, 0, .min = 0, .max = INT32_MAX},
    {"unread", ARG_BOOL, 0},
    ARG_END,
};
static const struct op_arg notifications_id_item[] = {
    ARG_ITEM(ARG_INT, .min = 1, .max = INT64_MAX,
             .hint = "Номер уведомления — целое число больше нуля"),
    ARG_END,
};
static const struct op_arg notifications_read_args[] = {
    {"ids", ARG_ARRAY, ARG_OR_TEXT, .min = 1, .max = NOTIFICATIONS_IDS_MAX, .example = "[1]",
     .items = notifications_id_item, .hint = "Список номеров уведомлений: [1, 2, 3]"},
    {"all", ARG_BOOL, 0},
    ARG_END,
};
static const struct op_arg notifications_prefs_args[] = {
    {"in_app", ARG_BOOL, 0},
    {"email", ARG_BOOL, 0},
    {"sms", ARG_BOOL, 0},
    ARG_END,
};

const struct op notifications_ops[] = {
    {"notifications.list", OP_EMPLOYEE, notifications_list, 0, notifications_list_args,
     WHO(WHO_USER)},
    {"notifications.read", OP_EMPLOYEE, notifications_read, OP_WRITE, notifications_read_args,
     WHO(WHO_USER)},
    {"notifications.channel", OP_EMPLOYEE, notifications_channel, 0, args_none, WHO(WHO_USER)},
    {"notifications.prefs_get", OP_EMPLOYEE, notifications_prefs_get, 0, args_none, WHO(WHO_USER)},
    {"notifications.prefs_put", OP_EMPLOYEE, notifications_prefs_put, OP_WRITE,
     notifications_prefs_args, WHO(WHO_USER)},
    {NULL, 0, NULL, 0, NULL},
};
