/*
 * cabinet-api - the JSON API (everything under /api/): HTTP in, one core operation, HTTP out.
 *
 * args of the operation = query parameters, then the body's members (JSON
 * object, urlencoded form, or a multipart upload whose "file" part goes to
 * the core as a blob; on an upload route a raw application/xml or text/csv
 * body is the blob itself), then the route's {params}, each overriding the one
 * before. The answer is the operation's result, or {"error": {...}} with the
 * core's status; a core that is down or silent gives 503 JSON.
 */
#include "httpparse.h"
#include "jsonx.h"
#include "log.h"
#include "proto.h"
#include "ru.h"
#include "web.h"

#include <stdio.h>
#include <string.h>

#define JSON_TYPE "application/json; charset=utf-8"

/* How long an exchange batch may take in the core (10 000 employees take a
 * few seconds; tests/bench/README.md). */
#define EXCHANGE_TIMEOUT_MS 300000

/* The route table: outside clients rely on these paths (README.md lists them). */
static const struct web_route api_routes[] = {
    {"GET", "/api/health", "system.health", 0, 0},
    {"GET", "/api/version", "system.version", 0, 0},
    {"GET", "/api/debug/sleep", "debug.sleep", 0, 0},
    {"POST", "/api/debug/pg-sleep", "debug.pg_sleep", 0, 0},
    {"POST", "/api/debug/clock", "debug.clock", 0, 0},
    /* connecting an organization (the base host) */
    {"GET", "/api/connect", "connect.info", 0, 0},
    {"GET", "/api/connect/check", "connect.check", 0, 0},
    {"POST", "/api/connect", "connect.request", 0, 0},
    {"GET", "/api/connect/{id}", "connect.status", 0, 0},
    /* accounts (a tenant's host) */
    {"POST", "/api/auth/code", "auth.code", 0, 0},
    /* an invitation's one-time link (cabinets: invitations.c) */
    {"POST", "/api/auth/invite/info", "invitations.info", 0, 0},
    {"POST", "/api/auth/invite", "invitations.send_code", 0, 0},
    {"POST", "/api/auth/invite/activate", "invitations.activate", 0, 0},
    {"POST", "/api/auth/activate", "auth.activate", 0, 0},
    {"POST", "/api/auth/reset", "auth.reset", 0, 0},
    {"POST", "/api/auth/login", "auth.login", 0, 0},
    {"POST", "/api/auth/logout", "auth.logout", 0, 0},
    {"POST", "/api/auth/password", "auth.password", 0, 0},
    {"GET", "/api/me", "auth.me", 0, 0},
    /* nginx's check of the host before a page of the employee site */
    {"GET", "/api/host", "connect.host", 0, 0},
    {"GET", "/api/me/employee", "staff.self", 0, 0},
    {"GET", "/api/employees", "staff.lookup", 0, 0},
    /* administration */
    {"GET", "/api/admin/users", "users.list", 0, 0},
    {"POST", "/api/admin/users/{id}/admin", "users.grant_admin", 0, 0},
    {"DELETE", "/api/admin/users/{id}/admin", "users.revoke_admin", 0, 0},
    {"GET", "/api/admin/audit", "audit.list", 0, 0},
    {"GET", "/api/admin/outbox", "outbox.list", 0, 0},
    /* time: production calendars, schedules, deviations, timesheets, T-13 */
    {"GET", "/api/admin/calendars", "calendars.list", 0, 0},
    {"GET", "/api/admin/calendars/{id}/years/{year}", "calendars.year", 0, 0},
    {"PUT", "/api/admin/calendars/{id}/years/{year}", "calendars.edit", 0, 0},
    {"GET", "/api/admin/calendars/{id}/years/{year}/export.xml", "calendars.export_xml", 0,
     WEB_ROUTE_DOWNLOAD},
    {"GET", "/api/admin/calendars/{id}/years/{year}/export.json", "calendars.export_json", 0,
     WEB_ROUTE_DOWNLOAD},
    {"POST", "/api/admin/calendars/{id}/import", "calendars.import", 0, WEB_ROUTE_UPLOAD},
    {"POST", "/api/admin/calendars/{id}/copy", "calendars.copy", 0, 0},
    {"GET", "/api/admin/schedules", "schedules.list", 0, 0},
    {"POST", "/api/admin/schedules", "schedules.create", 0, 0},
    {"GET", "/api/admin/schedules/{id}", "schedules.get", 0, 0},
    {"PUT", "/api/admin/schedules/{id}", "schedules.update", 0, 0},
    {"GET", "/api/admin/schedules/{id}/days", "schedules.days", 0, 0},
    {"POST", "/api/admin/employees/bulk", "staff.bulk_terms", 0, 0},
    {"GET", "/api/admin/employees/{id}/schedule-assignments", "schedules.assignments", 0, 0},
    {"POST", "/api/admin/employees/{id}/schedule-assignments", "schedules.assign", 0, 0},
    {"DELETE", "/api/admin/employees/{id}/schedule-assignments/{assignment_id}",
     "schedules.unassign", 0, 0},
    {"GET", "/api/admin/employees/{id}/individual-schedules/{month}", "schedules.individual_get", 0,
     0},
    {"PUT", "/api/admin/employees/{id}/individual-schedules/{month}", "schedules.individual_put", 0,
     0},
    {"DELETE", "/api/admin/employees/{id}/individual-schedules/{month}",
     "schedules.individual_delete", 0, 0},
    {"GET", "/api/admin/deviations", "deviations.list", 0, 0},
    {"POST", "/api/admin/deviations", "deviations.create", 0, 0},
    {"GET", "/api/admin/deviations/{id}", "deviations.get", 0, 0},
    {"DELETE", "/api/admin/deviations/{id}", "deviations.delete", 0, 0},
    {"GET", "/api/admin/timesheets", "timesheets.list", 0, 0},
    {"POST", "/api/admin/timesheets/fill", "timesheets.fill_all", 0, 0},
    {"GET", "/api/admin/timesheets/{employee_id}/{month}", "timesheets.get", 0, 0},
    {"PUT", "/api/admin/timesheets/{employee_id}/{month}", "timesheets.save", 0, 0},
    {"POST", "/api/admin/timesheets/{employee_id}/{month}/fill", "timesheets.fill", 0, 0},
    {"POST", "/api/admin/timesheets/{employee_id}/{month}/post", "timesheets.post", 0, 0},
    {"POST", "/api/admin/timesheets/{employee_id}/{month}/unpost", "timesheets.unpost", 0, 0},
    {"POST", "/api/admin/timesheets/{employee_id}/{month}/refill", "timesheets.refill", 0, 0},
    {"GET", "/api/admin/t13/{month}", "t13.get", 0, 0},
    {"GET", "/api/admin/t13/{month}/export.xlsx", "t13.xlsx", 0, WEB_ROUTE_DOWNLOAD},
    /* payroll, payslips, vacation balance, preview */
    {"GET", "/api/admin/payroll", "payroll.list", 0, 0},
    {"GET", "/api/admin/payroll/settings", "payroll.settings_get", 0, 0},
    {"PUT", "/api/admin/payroll/settings", "payroll.settings_set", 0, 0},
    {"POST", "/api/admin/payroll/{month}/calculate", "payroll.calculate", 120000, 0},
    {"GET", "/api/admin/payroll/{month}", "payroll.get", 30000, 0},
    {"DELETE", "/api/admin/payroll/{month}", "payroll.delete", 0, 0},
    {"POST", "/api/admin/payroll/{month}/close", "payroll.close", 0, 0},
    {"POST", "/api/admin/payroll/{month}/reopen", "payroll.reopen", 0, 0},
    {"GET", "/api/admin/payslips/{employee_id}/{month}", "payslips.admin_get", 0, 0},
    {"GET", "/api/admin/payroll/{month}/payslips", "payslips.admin_month", 0, 0},
    {"GET", "/api/admin/employees/{id}/vacation-balance", "vacation.admin_balance", 0, 0},
    {"GET", "/api/admin/employees/{id}/opening-balance", "opening_balance.get", 0, 0},
    {"PUT", "/api/admin/employees/{id}/opening-balance", "opening_balance.set", 0, 0},
    {"POST", "/api/admin/opening-balances/csv", "opening_balance.csv", 0, WEB_ROUTE_UPLOAD},
    {"GET", "/api/admin/accruals", "accruals.list", 0, 0},
    {"POST", "/api/admin/accruals", "accruals.create", 0, 0},
    {"DELETE", "/api/admin/accruals/{id}", "accruals.delete", 0, 0},
    {"GET", "/api/admin/payments", "payments.list", 0, 0},
    {"POST", "/api/admin/payments", "payments.create", 0, 0},
    {"DELETE", "/api/admin/payments/{id}", "payments.delete", 0, 0},
    {"GET", "/api/admin/employees/{id}/pay", "payterms.list", 0, 0},
    {"POST", "/api/admin/employees/{id}/pay", "payterms.set", 0, 0},
    {"DELETE", "/api/admin/employees/{id}/pay/{date_from}", "payterms.delete", 0, 0},
    {"GET", "/api/admin/employees/{id}/ndfl-children", "deductions.children_get", 0, 0},
    {"PUT", "/api/admin/employees/{id}/ndfl-children", "deductions.children_set", 0, 0},
    /* staff */
    {"GET", "/api/admin/employees", "staff.search", 0, 0},
    {"GET", "/api/admin/employees/{id}", "staff.get", 0, 0},
    {"GET", "/api/admin/employees/{id}/manager", "staff.manager", 0, 0},
    {"GET", "/api/admin/structure", "staff.structure", 0, 0},
    {"POST", "/api/admin/organizations", "structure.organization_save", 0, 0},
    {"PUT", "/api/admin/organizations/{id}", "structure.organization_save", 0, 0},
    {"POST", "/api/admin/departments", "structure.department_save", 0, 0},
    {"PUT", "/api/admin/departments/{id}", "structure.department_save", 0, 0},
    {"POST", "/api/admin/positions", "structure.position_save", 0, 0},
    {"PUT", "/api/admin/positions/{id}", "structure.position_save", 0, 0},
    {"POST", "/api/admin/employees", "staff.create", 0, 0},
    {"PUT", "/api/admin/employees/{id}", "staff.update", 0, 0},
    {"GET", "/api/admin/api-keys", "api_keys.list", 0, 0},
    {"POST", "/api/admin/api-keys", "api_keys.create", 0, 0},
    {"DELETE", "/api/admin/api-keys/{id}", "api_keys.delete", 0, 0},
    {"GET", "/api/admin/exchange-log", "exchange.log_admin", 0, 0},
    /* routing of requests (core/routing.h) */
    {"GET", "/api/admin/routing", "routing.get", 0, 0},
    {"PUT", "/api/admin/routing", "routing.put", 0, 0},
    {"GET", "/api/admin/routing/chains", "routing.chains_get", 0, 0},
    {"PUT", "/api/admin/routing/chains", "routing.chains_put", 0, 0},
    {"GET", "/api/admin/routing/deadlines", "routing.deadlines_get", 0, 0},
    {"PUT", "/api/admin/routing/deadlines", "routing.deadlines_put", 0, 0},
    {"GET", "/api/admin/routing/substitutes", "substitutes.admin_list", 0, 0},
    {"POST", "/api/admin/routing/substitutes", "substitutes.admin_add", 0, 0},
    {"DELETE", "/api/admin/routing/substitutes/{id}", "substitutes.admin_delete", 0, 0},
    {"POST", "/api/debug/routing-deadlines", "debug.routing_deadlines", 0, 0},
    {"POST", "/api/admin/import/employees", "import.employees", EXCHANGE_TIMEOUT_MS,
     WEB_ROUTE_UPLOAD},
    /* the exchange with an accounting system: API keys only, large bodies,
     * their own core timeout */
    {"PUT", "/api/exchange/v1/organizations", "exchange.organizations", EXCHANGE_TIMEOUT_MS,
     WEB_ROUTE_EXCHANGE},
    {"PUT", "/api/exchange/v1/departments", "exchange.departments", EXCHANGE_TIMEOUT_MS,
     WEB_ROUTE_EXCHANGE},
    {"PUT", "/api/exchange/v1/positions", "exchange.positions", EXCHANGE_TIMEOUT_MS,
     WEB_ROUTE_EXCHANGE},
    {"PUT", "/api/exchange/v1/employees", "exchange.employees", EXCHANGE_TIMEOUT_MS,
     WEB_ROUTE_EXCHANGE},
    {"PUT", "/api/exchange/v1/personal-file", "exchange.personal_file", EXCHANGE_TIMEOUT_MS,
     WEB_ROUTE_EXCHANGE},
    {"PUT", "/api/exchange/v1/kpi", "exchange.kpi", EXCHANGE_TIMEOUT_MS, WEB_ROUTE_EXCHANGE},
    {"PUT", "/api/exchange/v1/opening-balances", "exchange.opening_balances", EXCHANGE_TIMEOUT_MS,
     WEB_ROUTE_EXCHANGE},
    {"PUT", "/api/exchange/v1/accruals", "exchange.accruals", EXCHANGE_TIMEOUT_MS,
     WEB_ROUTE_EXCHANGE},
    {"GET", "/api/exchange/v1/log", "exchange.log", 0, 0},
    {"GET", "/api/exchange/v1/requests", "requests.feed", 0, 0},
    {"POST", "/api/exchange/v1/requests/{id}/state", "requests.push_state", 0, 0},
    /* publication, cabinets, invitations, the jobs' schedule, settings */
    {"GET", "/api/admin/publication", "publication.get", 0, 0},
    {"PUT", "/api/admin/publication", "publication.set", 0, 0},
    {"GET", "/api/admin/publication/employees", "publication.employees", 0, 0},
    {"POST", "/api/admin/publication/apply", "publication.apply", 120000, 0},
    {"GET", "/api/admin/cabinets", "cabinets.list", 0, 0},
    {"POST", "/api/admin/cabinets/create", "cabinets.create", 120000, 0},
    {"POST", "/api/admin/cabinets/invite", "cabinets.invite", 120000, 0},
    {"GET", "/api/admin/cabinets/settings", "cabinets.settings_get", 0, 0},
    {"PUT", "/api/admin/cabinets/settings", "cabinets.settings_set", 0, 0},
    {"GET", "/api/admin/jobs", "jobs.get", 0, 0},
    {"PUT", "/api/admin/jobs", "jobs.set", 0, 0},
    {"POST", "/api/admin/jobs/run", "jobs.run", 120000, 0},
    {"GET", "/api/admin/settings", "settings.get", 0, 0},
    {"PUT", "/api/admin/settings", "settings.set", 0, 0},
    {"POST", "/api/payroll/preview", "payroll.preview", 0, 0},
    {"GET", "/api/timesheet/{month}", "t13.mine", 0, 0},
    {"GET", "/api/payslips", "payslips.list", 0, 0},
    {"GET", "/api/payslips/{month}", "payslips.get", 0, 0},
    {"GET", "/api/vacation/balance", "vacation.balance", 0, 0},
    /* requests, tasks and substitutes (core/requests.h, core/routing.h) */
    {"POST", "/api/requests", "requests.create", 0, 0},
    {"GET", "/api/requests", "requests.list", 0, 0},
    {"GET", "/api/requests/{id}", "requests.get", 0, 0},
    {"POST", "/api/requests/{id}/submit", "requests.submit", 0, 0},
    {"POST", "/api/requests/{id}/cancel", "requests.cancel", 0, 0},
    {"POST", "/api/requests/{id}/files", "requests.file_add", 0,
     WEB_ROUTE_UPLOAD | WEB_ROUTE_ATTACHMENT},
    {"GET", "/api/requests/{request_id}/files/{id}", "requests.file_get", 0, WEB_ROUTE_DOWNLOAD},
    {"GET", "/api/requests/{id}/document", "requests.document", 0, WEB_ROUTE_DOWNLOAD},
    {"GET", "/api/tasks", "requests.task_list", 0, 0},
    {"GET", "/api/tasks/{id}/vacation-balance", "vacation.task_balance", 0, 0},
    {"POST", "/api/tasks/{id}/approve", "requests.task_approve", 0, 0},
    {"POST", "/api/tasks/{id}/reject", "requests.task_reject", 0, 0},
    {"POST", "/api/tasks/{id}/forward", "requests.task_forward", 0, 0},
    {"POST", "/api/tasks/{id}/take", "requests.task_take", 0, 0},
    {"POST", "/api/tasks/{id}/complete", "requests.task_complete", 0, 0},
    {"GET", "/api/substitutes", "substitutes.list", 0, 0},
    {"POST", "/api/substitutes", "substitutes.add", 0, 0},
    {"DELETE", "/api/substitutes/{id}", "substitutes.delete", 0, 0},
    {"GET", "/api/team", "team.list", 0, 0},
    {"GET", "/api/team/{id}", "team.get", 0, 0},
    /* HR tasks and KPIs (core/hrtasks.h, core/kpi.c) */
    {"POST", "/api/hr-tasks", "hrtasks.give", 0, 0},
    {"GET", "/api/hr-tasks", "hrtasks.list", 0, 0},
    {"GET", "/api/hr-tasks/{id}", "hrtasks.get", 0, 0},
    {"POST", "/api/hr-tasks/{id}/files", "hrtasks.file_add", 0,
     WEB_ROUTE_UPLOAD | WEB_ROUTE_ATTACHMENT},
    {"GET", "/api/hr-tasks/{task_id}/files/{id}", "hrtasks.file_get", 0, WEB_ROUTE_DOWNLOAD},
    {"POST", "/api/hr-tasks/{id}/cancel", "hrtasks.cancel", 0, 0},
    {"GET", "/api/kpi", "kpi.mine", 0, 0},
    {"GET", "/api/team/{id}/kpi", "kpi.team", 0, 0},
    {"GET", "/api/admin/kpi", "kpi.admin_list", 0, 0},
    {"POST", "/api/admin/kpi", "kpi.create", 0, 0},
    {"PUT", "/api/admin/kpi/{id}", "kpi.update", 0, 0},
    {"DELETE", "/api/admin/kpi/{id}", "kpi.delete", 0, 0},
    /* notifications (core/notifications.h); the event stream
     * /api/notifications/events is nginx's (nchan), which asks
     * /api/notifications/channel who the caller is */
    {"GET", "/api/notifications", "notifications.list", 0, 0},
    {"POST", "/api/notifications/read", "notifications.read", 0, 0},
    {"GET", "/api/notifications/channel", "notifications.channel", 0, WEB_ROUTE_CHANNEL},
    {"GET", "/api/profile/notifications", "notifications.prefs_get", 0, 0},
    {"PUT", "/api/profile/notifications", "notifications.prefs_put", 0, 0},
    {NULL, NULL, NULL, 0, 0},
};

/* 422 naming one field: its code, its sentence, and the answer's message
 * (NULL: the usual "Проверьте введённые данные"). */
static void api_send_field_error(struct web_request *req, const char *field, const char *code,
                                 const char *text, const char *message)
{
	json_object *o = json_object_new_object(), *e = json_object_new_object();
	json_object *fields = json_object_new_object(), *codes = json_object_new_object();
	const char *out;
	size_t len;

	jsonx_set_str(e, "code", proto_errors[PROTO_ERR_validation].code);
	jsonx_set_str(e, "message", message ? message : proto_errors[PROTO_ERR_validation].message);
	jsonx_set_str(fields, field, text);
	jsonx_set_str(codes, field, code);
	json_object_object_add(e, "fields", fields);
	json_object_object_add(e, "field_codes", codes);
	json_object_object_add(o, "error", e);
	out = jsonx_dump(o, &len);
	web_send(req, 422, JSON_TYPE, out, len);
	json_object_put(o);
}

/* 422 naming a field of the query or the form whose text is not UTF-8. */
static void api_send_encoding_error(struct web_request *req, const char *field)
{
	api_send_field_error(req, field, "encoding", "Текст не в кодировке UTF-8", NULL);
}

/* 422 naming a member the JSON body gives twice ({"amount": 1, "amount":
 * 2}): json-c would keep the last one in silence (jsonx.h). */
static void api_send_duplicate_error(struct web_request *req)
{
	char path[JSONX_PATH_MAX], message[JSONX_PATH_MAX + 128];

	if (jsonx_duplicate_key(req->body, req->body_len, path, sizeof(path)) != 1)
		snprintf(path, sizeof(path), "body");
	snprintf(message, sizeof(message),
	         "Поле «%s» указано в запросе дважды: оставьте одно значение", path);
	api_send_field_error(req, path, "duplicate", "Поле указано дважды: оставьте одно значение",
	                     message);
}

/* 413 saying the limit, in the words nginx's own 413 of the same location
 * says it (conf/nginx-site.conf.in, @api_413*): a file of a request or an
 * HR task is limited by attachments_max_size, an exchange batch by
 * exchange_max_body, any other body by max_body. */
static void api_send_too_large(struct web_request *req, const struct web_route *route)
{
	char size[32], message[128];

	if (route->flags & WEB_ROUTE_ATTACHMENT)
		snprintf(message, sizeof(message), "Слишком большой файл: не больше %s",
		         ru_format_size(web_cfg->attachments_max_size, size, sizeof(size)));
	else
		snprintf(message, sizeof(message), "Слишком большой запрос: не больше %s",
		         ru_format_size(route->flags & WEB_ROUTE_EXCHANGE
		                            ? web_cfg->exchange_max_body
		                            : web_cfg->max_body,
		                        size, sizeof(size)));
	web_send_json_error(req, 413, proto_errors[PROTO_ERR_payload_too_large].code, message);
}

static void api_merge(json_object *into, json_object *from)
{
	json_object_object_foreach(from, key, val)
	    json_object_object_add(into, key, json_object_get(val));
}

/* The body's members into args, and a multipart "file" part as the blob.
 * 0, or answers the request itself and returns -1. */
static int api_read_args(struct web_request *req, const struct web_route *route, json_object *args,
                         const char **blob, size_t *blob_len)
{
	struct http_ctype ct;
	json_object *body = NULL;
	const char *why;
	char err[256];
	int rc = route->flags & WEB_ROUTE_EXCHANGE
	             ? web_read_body_max(req, web_cfg->exchange_max_body)
	         : route->flags & WEB_ROUTE_ATTACHMENT
	             ? web_read_body_max(req, web_cfg->attachments_max_size + (1L << 20))
	             : web_read_body(req);

	if (rc == 413) {
		api_send_too_large(req, route);
		return -1;
	}
	if (rc) {
		web_send_json_error(req, 400, "bad_request", "Не удалось прочитать тело запроса");
		return -1;
	}
	if (req->body_len == 0)
		return 0;
	if (http_ctype_parse(req->content_type, strlen(req->content_type), &ct) != 0)
		goto unsupported;
	if (strcmp(ct.type, "application/json") == 0)
		jsonx_mark_lone_surrogates(req->body, req->body_len);
	if (strcmp(ct.type, "application/json") == 0 && (route->flags & WEB_ROUTE_EXCHANGE)) {
		*blob = req->body; /* parsed once, by the core */
		*blob_len = req->body_len;
		return 0;
	} else if (strcmp(ct.type, "application/json") == 0) {
		size_t at;
		body = jsonx_parse_object_at(req->body, req->body_len, &why, &at);
		if (body == NULL && why == JSONX_ERR_DUPLICATE) {
			api_send_duplicate_error(req);
			return -1;
		}
		if (body == NULL) {
			char msg[200];
			web_send_json_error(req, 400, "bad_request",
			                    jsonx_error_ru(why, req->body, at, msg, sizeof(msg)));
			return -1;
		}
	} else if (strcmp(ct.type, "application/x-www-form-urlencoded") == 0) {
		rc = http_form_parse(req->body, req->body_len, NULL, &body, err, sizeof(err));
		if (rc == HTTP_EENCODING) {
			api_send_encoding_error(req, err);
			return -1;
		}
		if (rc != 0) {
			web_send_json_error(req, 400, "bad_request", "Некорректная форма");
			return -1;
		}
	} else if ((strcmp(ct.type, "application/xml") == 0 || strcmp(ct.type, "text/xml") == 0 ||
	            strcmp(ct.type, "text/csv") == 0) &&
	           (route->flags & WEB_ROUTE_UPLOAD)) {
		*blob = req->body; /* a raw file upload */
		*blob_len = req->body_len;
		return 0;
	} else if (strcmp(ct.type, "multipart/form-data") == 0 &&
	           (route->flags & WEB_ROUTE_UPLOAD)) {
		rc = ct.boundary[0] == '\0'
		         ? HTTP_EINVAL
		         : http_multipart_upload(req->body, req->body_len, ct.boundary, args, blob,
		                                 blob_len, err, sizeof(err));
		if (rc == HTTP_EMULTIPLE) {
			api_send_field_error(req, "file", "multiple", HTTP_ONE_FILE_RU, NULL);
			return -1;
		}
		if (rc == HTTP_EENCODING) {
			api_send_encoding_error(req, err);
			return -1;
		}
		if (rc != 0) {
			web_send_json_error(req, 400, "bad_request", "Некорректная загрузка файла");
			return -1;
		}
		return 0;
	} else {
		goto unsupported;
	}
	api_merge(args, body);
	json_object_put(body);
	return 0;
unsupported:
	web_send_json_error(req, 415, "unsupported_media_type",
	                    "Ожидается application/json или форма");
	return -1;
}

/* Content-Disposition with an ASCII fallback and the UTF-8 name (RFC 6266). */
static void api_put_disposition(struct buf *h, const char *name)
{
	static const char hex[] = "0123456789ABCDEF";

	buf_puts(h, "Content-Disposition: attachment; filename=\"");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		buf_putc(h, *p < 0x80 && *p >= 0x20 && *p != '"' && *p != '\\' ? (char)*p : '_');
	buf_puts(h, "\"; filename*=UTF-8''");
	for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr(".-_", *p)) {
			buf_putc(h, (char)*p);
		} else {
			buf_putc(h, '%');
			buf_putc(h, hex[*p >> 4]);
			buf_putc(h, hex[*p & 15]);
		}
	}
	buf_puts(h, "\r\n");
}

/* X-Cabinet-Channel for nginx's auth_request (the notifications' event
 * stream subscribes to it): only a channel name of digits and "u". */
static void api_put_channel(struct buf *h, const char *channel)
{
	if (channel == NULL || *channel == '\0' || strlen(channel) > 64 ||
	    strspn(channel, "0123456789u") != strlen(channel))
		return;
	buf_puts(h, "X-Cabinet-Channel: ");
	buf_puts(h, channel);
	buf_puts(h, "\r\n");
}

static void api_answer(struct web_request *req, const struct web_route *route,
                       struct core_reply *reply)
{
	json_object *result = jsonx_get(reply->msg, "result"),
	            *error = jsonx_get(reply->msg, "error");
	json_object *blob = jsonx_get_obj(reply->msg, "blob");
	int64_t status = 500;
	const char *text;
	size_t len;

	jsonx_get_int64(reply->msg, "status", &status);
	if (status < 200 || status > 599)
		status = 500;
	web_apply_reply(req, reply->msg);
	if (json_object_get_boolean(jsonx_get(reply->msg, "idempotent_replay")))
		buf_puts(&req->headers, "Idempotent-Replayed: true\r\n");
	if ((route->flags & WEB_ROUTE_CHANNEL) && status == 200)
		api_put_channel(&req->headers, jsonx_get_str(result, "channel"));
	/* nginx's auth_request passes on only 2xx, 401 and 403 (anything else
	 * becomes a 500, an error-log line and our 503): a 404 (another
	 * tenant's session on the events' stream, a host of no organization
	 * before a page) is told it as 403, which the asking location answers
	 * as its 404 */
	if (req->auth_request && status == 404)
		status = 403;
	if (blob && reply->blob) {
		const char *type = jsonx_get_str(blob, "content_type");
		const char *name = jsonx_get_str(blob, "filename");
		api_put_disposition(&req->headers, name ? name : "download");
		web_send(req, (int)status, type ? type : "application/octet-stream", reply->blob,
		         reply->blob_len);
		return;
	}
	if (error) {
		json_object *o = json_object_new_object();
		json_object_object_add(o, "error", json_object_get(error));
		text = jsonx_dump(o, &len);
		web_send(req, (int)status, JSON_TYPE, text, len);
		json_object_put(o);
		return;
	}
	if (status == 204) {
		web_send(req, 204, JSON_TYPE, "", 0);
		return;
	}
	text = result ? jsonx_dump(result, &len) : "{}";
	web_send(req, (int)status, JSON_TYPE, text, result ? len : 2);
}

static void api_handle(struct web_request *req)
{
	json_object *params = json_object_new_object(), *args = NULL, *auth = NULL;
	const struct web_route *route;
	struct core_reply reply;
	const char *blob = NULL;
	size_t blob_len = 0;
	int wrong_method, rc;
	char err[256];

	route = web_route_find(api_routes, req, params, &wrong_method);
	if (route == NULL) {
		if (wrong_method)
			web_send_json_error(req, 405, "method_not_allowed",
			                    proto_errors[PROTO_ERR_method_not_allowed].message);
		else
			web_send_json_error(req, 404, "not_found", "Нет такого адреса API");
		goto out;
	}
	rc = http_query_parse(req->query, strlen(req->query), &args, err, sizeof(err));
	if (rc == HTTP_EENCODING) {
		api_send_encoding_error(req, err);
		goto out;
	}
	if (rc != 0) {
		web_send_json_error(req, 400, "bad_request", "Некорректные параметры адреса");
		goto out;
	}
	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0 &&
	    api_read_args(req, route, args, &blob, &blob_len) < 0)
		goto out;
	api_merge(args, params);
	auth = web_auth(req, NULL);
	if (web_call(req, route->op, args, auth, blob, blob_len, route->timeout_ms, &reply) !=
	    CORE_OK) {
		web_send_json_error(req, 503, "unavailable",
		                    proto_errors[PROTO_ERR_unavailable].message);
		goto out;
	}
	api_answer(req, route, &reply);
	core_reply_free(&reply);
out:
	json_object_put(params);
	json_object_put(args);
	json_object_put(auth);
}

static const char *api_socket(const struct cfg *cfg)
{
	return cfg->api_socket;
}

int main(int argc, char **argv)
{
	static const struct web_responder api = {
	    .name = "cabinet-api",
	    .socket_path = api_socket,
	    .handle = api_handle,
	    .routes = api_routes,
	};

	return web_main(argc, argv, &api);
}
