/*
 * cabinet-admin - the administrator's HTML pages (everything under /admin/).
 *
 * A page is a row of admin_pages[]: method + path -> core operation ->
 * template. A GET renders the template with the operation's result; a POST
 * (an HTML form, with the CSRF token in the hidden field _csrf) runs the
 * operation and redirects on success, or renders the form again with the
 * errors next to the fields. Every value reaches the page HTML-escaped (the
 * template renderer escapes by default).
 *
 * A GET whose operation refuses its parameters (422, e.g. ?month=2026-13)
 * renders the page itself with the errors next to the fields, not a dead
 * end; other failures (404, 403, ...) render the error page.
 *
 * Template context: {"data": result, "error": {...}, "form": the submitted
 * fields of a POST, or the query of a GET (never passwords or sign-in
 * codes), "is": {"<field>": {"<value>": true}} for choosing the selected
 * option of a select ({{#is.kind.week}} selected{{/is.kind.week}}) and the
 * ticked checkboxes of a list "<field>[]" ({{#is.scopes.staff}} checked
 * {{/is.scopes.staff}}; a value's characters other than [A-Za-z0-9_-]
 * become "_"; an option or box of the page's data is marked by the
 * template's match section, {{#form.kind=id}} selected{{/form.kind=id}},
 * tmpl.h), "csrf": token, "path":
 * current path, "status": code, "title": the page's title, "me": the
 * signed-in user (from auth.me, when there is one: me.open_tasks her open
 * tasks), "is_admin": true for administrators, "has_tasks": true for a
 * manager, a routing performer or anyone with an open task, "tasks_open":
 * their number when there are any (the menu's "Задачи (N)"), "form_list":
 * {"field": [{"n", "value"}]} for inputs named "field[]", and the page's
 * vars ("print": the print style sheet,
 * /assets/print-NAME.css)}. error.fields has, besides the core's field
 * names, each nested name's last part ("days[0].rows[0].code" is also
 * "code") so a one-row form shows it next to its field; error.list is every
 * field error as [{"field", "message"}]. A failed POST's reload op gets the
 * field errors as the argument "_errors" ({"months[2].earnings": "..."}), so
 * a table's page data can put each row's message at that row.
 *
 * With debug_ops = on, GET /admin/debug/pages answers the page table as JSON
 * (the browser tests walk every page from it).
 */
#include "httpparse.h"
#include "jsonx.h"
#include "log.h"
#include "proto.h"
#include "tmpl.h"
#include "web.h"

#include <stdio.h>
#include <string.h>

#define HTML_TYPE "text/html; charset=utf-8"

enum admin_page_flags {
	PAGE_AUTH = 1 << 0,     /* sign-in needed: without a session, go to /admin/login */
	PAGE_RENDER = 1 << 1,   /* POST: render the template with the result, no redirect */
	PAGE_UPLOAD = 1 << 2,   /* POST: a multipart form whose "file" part goes to the core
	                           as a blob (its other fields are arguments) */
	PAGE_ANY_HOST = 1 << 3, /* shown on any host, also one of no organization (the
	                           operators' /admin/status); other pages say there
	                           «Организация не найдена» (404) */
	PAGE_MONTH_LIST = 1 << 4, /* GET of a month's document not made yet (404): the
	                             section's page of that month, with its «Рассчитать»
	                             (a bookmark or Back after a deleted draft) */
};

struct admin_page {
	const char *method;
	const char *pattern;
	const char *op;	       /* NULL: just the template */
	const char *tmpl;      /* rendered for GET, and for a POST that failed */
	const char *redirect;  /* POST: where to go on success (NULL: same path) */
	const char *title;     /* the page's <title> and heading */
	unsigned flags;
	const char *reload_op; /* POST failed: the data of the page again (its GET's op) */
	const char *vars;      /* JSON object merged into the template context */
};

/* page.redirect of the sign-in forms: see admin_home() */
#define ADMIN_HOME "{home}"
#define T13_VARS      "{\"print\": \"t13\"}"
#define PAYSLIP_VARS  "{\"print\": \"payslip\"}"
/* the payslip page's two forms share field names: which one was sent */
#define ACCRUAL_VARS  "{\"print\": \"payslip\", \"is_accrual\": true}"
#define PAYMENT_VARS  "{\"print\": \"payslip\", \"is_payment\": true}"
#define ACTIVATE_VARS                                                                              \
	"{\"base\": \"/admin/activate\", \"submit\": \"Активировать и войти\", \"ask_consent\": true}"
#define RESET_VARS    "{\"base\": \"/admin/reset\", \"submit\": \"Сменить пароль и войти\"}"
#define EDIT_VARS     "{\"edit\": true}"
#define STAFF_TITLE   "Сотрудники"
#define KEYS_TITLE    "Ключи API для обмена"
#define IMPORT_TITLE  "Загрузка сотрудников из файла"
#define ASSIGN_TITLE  "Графики работы сотрудника"
#define KPI_TITLE     "Показатели эффективности (KPI)"
#define OPENBAL_TITLE "Начальные остатки"
#define PAYSET_TITLE  "Настройки зарплаты"
#define SLIP_TITLE    "Расчётный листок"
#define SLIP_PATH     "/admin/payroll/{month}/employees/{employee_id}"
#define SLIP_OP       "payments.employee_page"

static const struct admin_page admin_pages[] = {
	{"GET", "/admin", "dashboard.get", "home", NULL, "Главная", PAGE_AUTH, NULL, NULL},
	/* for operators: the service, its database and version */
	{"GET", "/admin/status", "system.health", "status", NULL, "Состояние сервиса",
	 PAGE_ANY_HOST, NULL, NULL},
	/* signing in */
	{"GET", "/admin/login", NULL, "login", NULL, "Вход в кабинет", 0, NULL, NULL},
	{"POST", "/admin/login", "auth.login", "login", ADMIN_HOME, "Вход в кабинет", 0, NULL, NULL},
	{"POST", "/admin/logout", "auth.logout", "login", "/admin/login", "Вход в кабинет", 0, NULL,
	 NULL},
	{"GET", "/admin/activate", "auth.consent", "code", NULL, "Активация кабинета", 0, NULL,
	 ACTIVATE_VARS},
	{"POST", "/admin/activate/code", "auth.code", "code", NULL, "Активация кабинета",
	 PAGE_RENDER, NULL, ACTIVATE_VARS},
	{"POST", "/admin/activate", "auth.activate", "code", ADMIN_HOME, "Активация кабинета", 0,
	 "auth.consent", ACTIVATE_VARS},
	{"GET", "/admin/reset", NULL, "code", NULL, "Восстановление пароля", 0, NULL, RESET_VARS},
	{"POST", "/admin/reset/code", "auth.code", "code", NULL, "Восстановление пароля",
	 PAGE_RENDER, NULL, RESET_VARS},
	{"POST", "/admin/reset", "auth.reset", "code", ADMIN_HOME, "Восстановление пароля", 0,
	 "auth.consent", RESET_VARS},
	{"GET", "/admin/password", NULL, "password", NULL, "Смена пароля", PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/password", "auth.password", "password", NULL, "Смена пароля",
	 PAGE_AUTH | PAGE_RENDER, NULL, NULL},
	/* administration */
	{"GET", "/admin/users", "users.list", "users", NULL, "Пользователи и права", PAGE_AUTH, NULL,
	 NULL},
	{"POST", "/admin/users/{id}/grant", "users.grant_admin", "users", "/admin/users",
	 "Пользователи и права", PAGE_AUTH, "users.list", NULL},
	{"POST", "/admin/users/{id}/revoke", "users.revoke_admin", "users", "/admin/users",
	 "Пользователи и права", PAGE_AUTH, "users.list", NULL},
	{"GET", "/admin/audit", "audit.list", "audit", NULL, "Журнал действий", PAGE_AUTH, NULL,
	 NULL},
	{"GET", "/admin/outbox", "outbox.list", "outbox", NULL, "Письма и SMS", PAGE_AUTH, NULL,
	 NULL},
	/* time */
	{"GET", "/admin/calendars", "calendars.list", "calendars", NULL, "Производственные календари",
	 PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/calendars/{id}/import", "calendars.import", "calendars", "/admin/calendars",
	 "Производственные календари", PAGE_AUTH | PAGE_UPLOAD, "calendars.list", NULL},
	{"GET", "/admin/calendars/{id}/{year}", "calendars.year", "calendar_year", NULL,
	 "Производственный календарь", PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/calendars/{id}/{year}", "calendars.edit", "calendar_year", NULL,
	 "Производственный календарь", PAGE_AUTH, "calendars.year", NULL},
	{"GET", "/admin/schedules", "schedules.list", "schedules", NULL, "Графики работы", PAGE_AUTH,
	 NULL, NULL},
	{"POST", "/admin/schedules", "schedules.create", "schedules", "/admin/schedules",
	 "Графики работы", PAGE_AUTH, "schedules.list", NULL},
	{"GET", "/admin/schedules/{id}", "schedules.days", "schedule_year", NULL, "График работы",
	 PAGE_AUTH, NULL, NULL},
	{"GET", "/admin/deviations", "deviations.list", "deviations", NULL, "Отклонения: больничные, "
	 "отпуска, неявки, сверхурочные", PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/deviations", "deviations.create", "deviations", "/admin/deviations",
	 "Отклонения: больничные, отпуска, неявки, сверхурочные", PAGE_AUTH, "deviations.list",
	 NULL},
	{"POST", "/admin/deviations/{id}/delete", "deviations.delete", "deviations",
	 "/admin/deviations", "Отклонения: больничные, отпуска, неявки, сверхурочные", PAGE_AUTH,
	 "deviations.list", NULL},
	{"GET", "/admin/timesheets", "t13.get", "t13", NULL, "Табель Т-13", PAGE_AUTH, NULL,
	 T13_VARS},
	{"GET", "/admin/timesheets/{month}", "t13.get", "t13", NULL, "Табель Т-13", PAGE_AUTH, NULL,
	 T13_VARS},
	{"GET", "/admin/timesheets/{month}/{employee_id}", "timesheets.get", "timesheet", NULL,
	 "Табель сотрудника", PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/timesheets/{month}/{employee_id}", "timesheets.action", "timesheet", NULL,
	 "Табель сотрудника", PAGE_AUTH | PAGE_RENDER, "timesheets.get", NULL},
	/* payroll */
	{"GET", "/admin/payroll", "payroll.list", "payroll", NULL, "Зарплата", PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/payroll/calculate", "payroll.calculate", "payroll", "/admin/payroll/{month}",
	 "Зарплата", PAGE_AUTH, "payroll.list", NULL},
	/* the organization's payroll settings: the advance, regional pay */
	{"GET", "/admin/payroll/settings", "payroll.settings_get", "payroll_settings", NULL,
	 PAYSET_TITLE, PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/payroll/settings", "payroll.settings_set", "payroll_settings",
	 "/admin/payroll/settings", PAYSET_TITLE, PAGE_AUTH, "payroll.settings_get", NULL},
	{"GET", "/admin/payroll/{month}", "payroll.get", "payroll_doc", "/admin/payroll?month={month}",
	 "Расчёт зарплаты", PAGE_AUTH | PAGE_MONTH_LIST, NULL, NULL},
	{"POST", "/admin/payroll/{month}/calculate", "payroll.calculate", "payroll_doc",
	 "/admin/payroll/{month}", "Расчёт зарплаты", PAGE_AUTH, "payroll.get", NULL},
	{"POST", "/admin/payroll/{month}/close", "payroll.close", "payroll_doc",
	 "/admin/payroll/{month}", "Расчёт зарплаты", PAGE_AUTH, "payroll.get", NULL},
	{"POST", "/admin/payroll/{month}/reopen", "payroll.reopen", "payroll_doc",
	 "/admin/payroll/{month}", "Расчёт зарплаты", PAGE_AUTH, "payroll.get", NULL},
	{"POST", "/admin/payroll/{month}/delete", "payroll.delete", "payroll_doc", "/admin/payroll",
	 "Расчёт зарплаты", PAGE_AUTH, "payroll.get", NULL},
	/* the payslip and the month's inputs: accruals and payments */
	{"GET", "/admin/payroll/{month}/employees/{employee_id}", "payments.employee_page",
	 "payslip", NULL, SLIP_TITLE, PAGE_AUTH, NULL, PAYSLIP_VARS},
	{"POST", "/admin/payroll/{month}/employees/{employee_id}/accruals", "accruals.create",
	 "payslip", SLIP_PATH, SLIP_TITLE, PAGE_AUTH, SLIP_OP, ACCRUAL_VARS},
	{"POST", "/admin/payroll/{month}/employees/{employee_id}/accruals/{id}/delete",
	 "accruals.delete", "payslip", SLIP_PATH, SLIP_TITLE, PAGE_AUTH, SLIP_OP, PAYSLIP_VARS},
	{"POST", "/admin/payroll/{month}/employees/{employee_id}/payments", "payments.create",
	 "payslip", SLIP_PATH, SLIP_TITLE, PAGE_AUTH, SLIP_OP, PAYMENT_VARS},
	{"POST", "/admin/payroll/{month}/employees/{employee_id}/payments/{id}/delete",
	 "payments.delete", "payslip", SLIP_PATH, SLIP_TITLE, PAGE_AUTH, SLIP_OP, PAYSLIP_VARS},
	{"GET", "/admin/payroll/{month}/payslips", "payslips.admin_month", "payslips", NULL,
	 "Расчётные листки", PAGE_AUTH, NULL, PAYSLIP_VARS},
	/* staff (the "new" page before the card's {id}) */
	{"GET", "/admin/employees", "staff.index", "employees", NULL, STAFF_TITLE, PAGE_AUTH, NULL,
	 NULL},
	{"GET", "/admin/employees/new", "staff.form", "employee_form", NULL, "Новый сотрудник",
	 PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/employees/bulk", "staff.page_bulk", "employees", NULL, STAFF_TITLE,
	 PAGE_AUTH | PAGE_RENDER, "staff.index", NULL},
	{"POST", "/admin/employees/new", "staff.create", "employee_form", "/admin/employees/{id}",
	 "Новый сотрудник", PAGE_AUTH, "staff.form", NULL},
	{"GET", "/admin/employees/{id}", "staff.card", "employee", NULL, "Карточка сотрудника",
	 PAGE_AUTH, NULL, NULL},
	{"GET", "/admin/employees/{id}/edit", "staff.form", "employee_form", NULL,
	 "Изменение данных сотрудника", PAGE_AUTH, NULL, EDIT_VARS},
	{"POST", "/admin/employees/{id}/edit", "staff.update", "employee_form",
	 "/admin/employees/{id}", "Изменение данных сотрудника", PAGE_AUTH, "staff.form", EDIT_VARS},
	{"GET", "/admin/departments", "staff.structure", "departments", NULL,
	 "Организации и подразделения", PAGE_AUTH, NULL, NULL},
	{"GET", "/admin/positions", "staff.structure", "positions", NULL, "Должности", PAGE_AUTH,
	 NULL, NULL},
	/* the structure's add and edit forms ("new" before {id}) */
	{"GET", "/admin/organizations/new", "structure.organization_form", "organization_form", NULL,
	 "Новая организация", PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/organizations/new", "structure.organization_save", "organization_form",
	 "/admin/departments", "Новая организация", PAGE_AUTH, "structure.organization_form", NULL},
	{"GET", "/admin/organizations/{id}/edit", "structure.organization_form", "organization_form",
	 NULL, "Изменение организации", PAGE_AUTH, NULL, EDIT_VARS},
	{"POST", "/admin/organizations/{id}/edit", "structure.organization_save",
	 "organization_form", "/admin/departments", "Изменение организации", PAGE_AUTH,
	 "structure.organization_form", EDIT_VARS},
	{"GET", "/admin/departments/new", "structure.department_form", "department_form", NULL,
	 "Новое подразделение", PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/departments/new", "structure.department_save", "department_form",
	 "/admin/departments", "Новое подразделение", PAGE_AUTH, "structure.department_form", NULL},
	{"GET", "/admin/departments/{id}/edit", "structure.department_form", "department_form", NULL,
	 "Изменение подразделения", PAGE_AUTH, NULL, EDIT_VARS},
	{"POST", "/admin/departments/{id}/edit", "structure.department_save", "department_form",
	 "/admin/departments", "Изменение подразделения", PAGE_AUTH, "structure.department_form",
	 EDIT_VARS},
	{"GET", "/admin/positions/new", "structure.position_form", "position_form", NULL,
	 "Новая должность", PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/positions/new", "structure.position_save", "position_form",
	 "/admin/positions", "Новая должность", PAGE_AUTH, "structure.position_form", NULL},
	{"GET", "/admin/positions/{id}/edit", "structure.position_form", "position_form", NULL,
	 "Изменение должности", PAGE_AUTH, NULL, EDIT_VARS},
	{"POST", "/admin/positions/{id}/edit", "structure.position_save", "position_form",
	 "/admin/positions", "Изменение должности", PAGE_AUTH, "structure.position_form", EDIT_VARS},
	{"GET", "/admin/import", "import.form", "import", NULL, IMPORT_TITLE, PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/import", "import.preview", "import", NULL, IMPORT_TITLE,
	 PAGE_AUTH | PAGE_RENDER | PAGE_UPLOAD, "import.form", NULL},
	/* the log then says what was loaded (the counts of the result) */
	{"POST", "/admin/import/run", "import.employees", "import",
	 "/admin/exchange-log?imported=csv&created={created}&merged={merged}&updated={updated}"
	 "&unchanged={unchanged}"
	 "&departments={departments_created}&positions={positions_created}",
	 IMPORT_TITLE, PAGE_AUTH, "import.preview", NULL},
	{"GET", "/admin/api-keys", "api_keys.list", "api_keys", NULL, KEYS_TITLE, PAGE_AUTH, NULL,
	 NULL},
	{"POST", "/admin/api-keys", "api_keys.create", "api_keys", NULL, KEYS_TITLE,
	 PAGE_AUTH | PAGE_RENDER, "api_keys.list", NULL},
	{"POST", "/admin/api-keys/{id}/delete", "api_keys.delete", "api_keys", "/admin/api-keys",
	 KEYS_TITLE, PAGE_AUTH, "api_keys.list", NULL},
	{"GET", "/admin/exchange-log", "exchange.log_admin", "exchange_log", NULL, "Журнал обмена",
	 PAGE_AUTH, NULL, NULL},
	{"GET", "/admin/employees/{id}/pay", "payterms.list", "payterms", NULL, "Условия оплаты",
	 PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/employees/{id}/pay", "payterms.set", "payterms", "/admin/employees/{id}/pay",
	 "Условия оплаты", PAGE_AUTH, "payterms.list", NULL},
	{"POST", "/admin/employees/{id}/pay/{date_from}/delete", "payterms.delete", "payterms",
	 "/admin/employees/{id}/pay", "Условия оплаты", PAGE_AUTH, "payterms.list", NULL},
	{"GET", "/admin/employees/{id}/opening-balance", "opening_balance.page", "opening_balance",
	 NULL, OPENBAL_TITLE, PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/employees/{id}/opening-balance", "opening_balance.form", "opening_balance",
	 "/admin/employees/{id}/opening-balance?saved=1", OPENBAL_TITLE, PAGE_AUTH, "opening_balance.page",
	 NULL},
	/* publication, cabinets, the jobs' schedule, the organization's settings */
	{"GET", "/admin/publication", "publication.get", "publication", NULL,
	 "Публикация сотрудников", PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/publication", "publication.set", "publication", "/admin/publication",
	 "Публикация сотрудников", PAGE_AUTH, "publication.get", NULL},
	{"POST", "/admin/publication/apply", "publication.apply", "publication_applied", NULL,
	 "Публикация обновлена", PAGE_AUTH | PAGE_RENDER, "publication.get", NULL},
	{"GET", "/admin/publication/employees", "publication.employees", "publication_employees",
	 NULL, "Публикуемые сотрудники", PAGE_AUTH, NULL, NULL},
	{"GET", "/admin/cabinets", "cabinets.page", "cabinets", NULL, "Кабинеты сотрудников",
	 PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/cabinets/create", "cabinets.page_create", "cabinets", NULL,
	 "Кабинеты сотрудников", PAGE_AUTH | PAGE_RENDER, "cabinets.page", NULL},
	{"POST", "/admin/cabinets/invite", "cabinets.page_invite", "cabinets", NULL,
	 "Кабинеты сотрудников", PAGE_AUTH | PAGE_RENDER, "cabinets.page", NULL},
	{"GET", "/admin/cabinets/settings", "cabinets.settings_get", "cabinets_settings", NULL,
	 "Настройки кабинетов и приглашений", PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/cabinets/settings", "cabinets.settings_set", "cabinets_settings",
	 "/admin/cabinets/settings", "Настройки кабинетов и приглашений", PAGE_AUTH,
	 "cabinets.settings_get", NULL},
	{"GET", "/admin/jobs", "jobs.get", "jobs", NULL, "Расписание заданий", PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/jobs", "jobs.set", "jobs", "/admin/jobs", "Расписание заданий", PAGE_AUTH,
	 "jobs.get", NULL},
	{"POST", "/admin/jobs/run", "jobs.run", "jobs", "/admin/jobs", "Расписание заданий",
	 PAGE_AUTH, "jobs.get", NULL},
	{"GET", "/admin/settings", "settings.get", "settings", NULL, "Настройки организации",
	 PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/settings", "settings.set", "settings", "/admin/settings",
	 "Настройки организации", PAGE_AUTH, "settings.get", NULL},
	/* routing of requests (core/routing.h) */
	/* the organization's requests: the list and one with its history */
	{"GET", "/admin/requests", "requests.admin_list", "requests", NULL, "Заявки", PAGE_AUTH, NULL,
	 NULL},
	{"GET", "/admin/requests/{id}", "requests.get", "request", NULL, "Заявка", PAGE_AUTH, NULL,
	 NULL},
	{"GET", "/admin/routing", "routing.page", "routing", NULL, "Адресация заявок", PAGE_AUTH, NULL,
	 NULL},
	{"POST", "/admin/routing/performers", "routing.performer_add", "routing", "/admin/routing",
	 "Адресация заявок", PAGE_AUTH, "routing.page", NULL},
	{"POST", "/admin/routing/performers/delete", "routing.performer_remove", "routing",
	 "/admin/routing", "Адресация заявок", PAGE_AUTH, "routing.page", NULL},
	{"POST", "/admin/routing/chains", "routing.chain_set", "routing", "/admin/routing",
	 "Адресация заявок", PAGE_AUTH, "routing.page", NULL},
	{"POST", "/admin/routing/deadlines", "routing.deadline_set", "routing", "/admin/routing",
	 "Адресация заявок", PAGE_AUTH, "routing.page", NULL},
	{"POST", "/admin/routing/substitutes", "substitutes.admin_add", "routing", "/admin/routing",
	 "Адресация заявок", PAGE_AUTH, "routing.page", NULL},
	{"POST", "/admin/routing/substitutes/{id}/delete", "substitutes.admin_delete", "routing",
	 "/admin/routing", "Адресация заявок", PAGE_AUTH, "routing.page", NULL},
	/* a task whose holder cannot act, taken back and passed on */
	{"POST", "/admin/routing/tasks/{id}/forward", "requests.task_forward", "routing",
	 "/admin/routing", "Адресация заявок", PAGE_AUTH, "routing.page", NULL},
	/* KPIs entered by hand (core/kpi.c; the exchange's upsert) */
	{"GET", "/admin/kpi", "kpi.admin_list", "kpi", NULL, KPI_TITLE, PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/kpi", "kpi.create", "kpi", "/admin/kpi", KPI_TITLE, PAGE_AUTH,
	 "kpi.admin_list", NULL},
	{"GET", "/admin/kpi/{id}/edit", "kpi.form", "kpi_form", NULL, "Изменение показателя",
	 PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/kpi/{id}/edit", "kpi.update", "kpi_form", "/admin/kpi",
	 "Изменение показателя", PAGE_AUTH, "kpi.form", NULL},
	{"POST", "/admin/kpi/{id}/delete", "kpi.delete", "kpi", "/admin/kpi", KPI_TITLE, PAGE_AUTH,
	 "kpi.admin_list", NULL},
	{"GET", "/admin/employees/{id}/schedules", "schedules.assignments_page", "assignments", NULL,
	 ASSIGN_TITLE, PAGE_AUTH, NULL, NULL},
	{"POST", "/admin/employees/{id}/schedules", "schedules.assign", "assignments",
	 "/admin/employees/{id}/schedules", ASSIGN_TITLE, PAGE_AUTH, "schedules.assignments_page",
	 NULL},
	{"POST", "/admin/employees/{id}/schedules/{assignment_id}/delete", "schedules.unassign",
	 "assignments", "/admin/employees/{id}/schedules", ASSIGN_TITLE, PAGE_AUTH,
	 "schedules.assignments_page", NULL},
	{NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL},
};

/* The route table web_main checks, derived once from admin_pages. */
static struct web_route admin_routes[sizeof(admin_pages) / sizeof(admin_pages[0])];

static struct tmpl_set *admin_templates;

static void admin_render(struct web_request *req, int status, const char *name, json_object *ctx)
{
	struct buf out = BUF_INIT;

	jsonx_set_str(ctx, "path", req->path);
	if (tmpl_render(admin_templates, name, ctx, &out) != 0) {
		log_error("render_failed", "template=%s", name);
		buf_reset(&out);
		buf_puts(&out, "<!doctype html><meta charset=\"utf-8\"><p>Ошибка отображения страницы</p>");
		status = 500;
	}
	web_send(req, status, HTML_TYPE, out.data, out.len);
	buf_free(&out);
}

/* The heading of the error page: what happened, in a few words. */
static const char *admin_error_title(int status)
{
	switch (status) {
	case 401:
		return "Нужно войти";
	case 403:
		return "Нет доступа";
	case 404:
		return "Страница не найдена";
	case 405:
		return "Метод не поддерживается";
	case 503:
		return "Сервис временно недоступен";
	default:
		return "Ошибка";
	}
}

/* The error page: the title by status, the message once (not when it says
 * what the title says). is_admin chooses where "На главную" leads. */
static void admin_error_page_as(struct web_request *req, int status, const char *message,
				int is_admin)
{
	json_object *ctx = json_object_new_object();
	const char *title = admin_error_title(status);

	jsonx_set_str(ctx, "title", title);
	if (message && strcmp(message, title) != 0)
		jsonx_set_str(ctx, "message", message);
	jsonx_set_int(ctx, "status", status);
	jsonx_set_str(ctx, "home", is_admin ? "/admin/" : "/");
	admin_render(req, status, "error", ctx);
	json_object_put(ctx);
}

static void admin_error_page(struct web_request *req, int status, const char *message)
{
	admin_error_page_as(req, status, message, 1);
}

/* A host of no organization (a mistyped address, a cabinet not created
 * yet): 404 «Организация не найдена» and what to check. nginx answers the
 * employee site's pages there with the same words (www/errors/). */
static void admin_no_tenant_page(struct web_request *req)
{
	json_object *ctx = json_object_new_object();

	jsonx_set_str(ctx, "title", "Организация не найдена");
	jsonx_set_str(ctx, "base_domain", web_cfg->base_domain);
	jsonx_set_int(ctx, "status", 404);
	admin_render(req, 404, "no_tenant", ctx);
	json_object_put(ctx);
}

/* A field of the query or the form whose text is not UTF-8: 422 naming it. */
static void admin_encoding_page(struct web_request *req, const char *field)
{
	char message[256];

	snprintf(message, sizeof(message), "Поле «%.64s»: текст не в кодировке UTF-8", field);
	admin_error_page(req, 422, message);
}

/* One core call with the request's auth; the reply is the caller's. 0, or
 * an error page has been sent and -1 is returned. */
static int admin_call_blob(struct web_request *req, const char *op, json_object *args,
                           json_object *auth, const char *blob, size_t blob_len,
                           struct core_reply *reply, int64_t *status)
{
	if (web_call(req, op, args, auth, blob, blob_len, 0, reply) != CORE_OK) {
		admin_error_page(req, 503, proto_errors[PROTO_ERR_unavailable].message);
		return -1;
	}
	*status = 500;
	jsonx_get_int64(reply->msg, "status", status);
	web_apply_reply(req, reply->msg);
	return 0;
}

static int admin_call(struct web_request *req, const char *op, json_object *args, json_object *auth,
                      struct core_reply *reply, int64_t *status)
{
	return admin_call_blob(req, op, args, auth, NULL, 0, reply, status);
}

/* Where a sign-in lands: the admin pages for an administrator, the
 * employee's own site otherwise (roles of the sign-in's result). */
static const char *admin_home(json_object *msg)
{
	json_object *roles = jsonx_get(jsonx_get_obj(msg, "result"), "roles");

	for (size_t i = 0; json_object_is_type(roles, json_type_array) &&
			   i < json_object_array_length(roles);
	     i++)
		if (strcmp(json_object_get_string(json_object_array_get_idx(roles, i)), "admin") == 0)
			return "/admin/";
	return "/";
}

/* A redirect target with {name} replaced by the request's argument (route
 * parameter or form field) of that name, else by the operation's result's
 * (the id of what a form created); only [A-Za-z0-9_-] is copied, so the
 * target stays a path on this site. */
static const char *admin_redirect_target(const char *pattern, json_object *args,
                                         json_object *result, char *out, size_t n)
{
	size_t o = 0;

	for (const char *p = pattern; *p && o + 1 < n;) {
		const char *end = *p == '{' ? strchr(p, '}') : NULL;
		if (end) {
			char name[64];
			const char *v;
			snprintf(name, sizeof(name), "%.*s", (int)(end - p - 1), p + 1);
			v = jsonx_get(args, name) ? json_object_get_string(jsonx_get(args, name))
			    : jsonx_get(result, name)
			        ? json_object_get_string(jsonx_get(result, name))
			        : NULL;
			for (; v && *v && o + 1 < n; v++)
				if ((*v >= 'a' && *v <= 'z') || (*v >= 'A' && *v <= 'Z') ||
				    (*v >= '0' && *v <= '9') || *v == '-' || *v == '_')
					out[o++] = *v;
			p = end + 1;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
	return out;
}

/* The submitted fields to show again in a form: never secrets (passwords,
 * and the one-time code of the sign-in pages; a T-13 "code" is shown). */
static json_object *admin_form_echo(const struct admin_page *page, json_object *args)
{
	int signin = page->op && strncmp(page->op, "auth.", 5) == 0;
	json_object *form = json_object_new_object();

	json_object_object_foreach(args, key, val) {
		if (strstr(key, "password") || (signin && strcmp(key, "code") == 0) || key[0] == '_')
			continue;
		json_object_object_add(form, key, json_object_get(val));
	}
	return form;
}

/* Marks value v of a field in o: {"<v>": true}, v's characters other than
 * [A-Za-z0-9-] as "_"; an empty or too long value marks nothing. */
static void admin_form_is_mark(json_object *o, const char *v)
{
	char name[65];
	size_t i;

	for (i = 0; v[i] && i < sizeof(name) - 1; i++)
		name[i] = (char)(((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') ||
		                  (v[i] >= '0' && v[i] <= '9') || v[i] == '-')
		                     ? v[i]
		                     : '_');
	name[i] = '\0';
	if (i > 0 && !v[i])
		jsonx_set_bool(o, name, 1);
}

/* {"field": {"value": true}} of the form's values (see the top): a
 * select's option or a radio button of a single value, and every ticked
 * checkbox of a list ("scopes[]": {{#is.scopes.staff}} checked{{/...}}). */
static json_object *admin_form_is(json_object *form)
{
	json_object *is = json_object_new_object();

	json_object_object_foreach(form, key, val) {
		json_object *o = json_object_new_object();
		if (json_object_is_type(val, json_type_string)) {
			admin_form_is_mark(o, json_object_get_string(val));
		} else if (json_object_is_type(val, json_type_array)) {
			for (size_t i = 0; i < json_object_array_length(val); i++) {
				json_object *item = json_object_array_get_idx(val, i);
				if (json_object_is_type(item, json_type_string))
					admin_form_is_mark(o, json_object_get_string(item));
			}
		}
		if (json_object_object_length(o) > 0)
			json_object_object_add(is, key, o);
		else
			json_object_put(o);
	}
	return is;
}

/* {"field": [{"n": 1, "value": "8"}, ...]} of the form's lists (inputs
 * named "field[]"), so a template can number them again. */
static json_object *admin_form_list(json_object *form)
{
	json_object *lists = json_object_new_object();

	json_object_object_foreach(form, key, val) {
		json_object *items;
		if (!json_object_is_type(val, json_type_array))
			continue;
		items = json_object_new_array();
		for (size_t i = 0; i < json_object_array_length(val); i++) {
			json_object *o = json_object_new_object();
			jsonx_set_int(o, "n", (int64_t)i + 1);
			json_object_object_add(o, "value",
					       json_object_get(json_object_array_get_idx(val, i)));
			json_object_array_add(items, o);
		}
		json_object_object_add(lists, key, items);
	}
	return lists;
}

/* A copy of the core's error with error.fields aliased and listed (see the
 * top of this file). */
static json_object *admin_error_for_page(json_object *e)
{
	json_object *out = json_object_new_object(), *fields = jsonx_get_obj(e, "fields");
	json_object *all = json_object_new_object(), *list = json_object_new_array();

	json_object_object_foreach(e, key, val) {
		if (strcmp(key, "fields") != 0)
			json_object_object_add(out, key, json_object_get(val));
	}
	if (fields == NULL) {
		json_object_put(all);
		json_object_put(list);
		return out;
	}
	json_object_object_foreach(fields, name, message) {
		json_object *item = json_object_new_object();
		json_object_object_add(all, name, json_object_get(message));
		jsonx_set_str(item, "field", name);
		json_object_object_add(item, "message", json_object_get(message));
		json_object_array_add(list, item);
	}
	json_object_object_foreach(fields, nested, text) {
		const char *last = strrchr(nested, '.');
		char alias[65];
		size_t n = 0;
		last = last ? last + 1 : strchr(nested, '[') ? nested : NULL;
		if (last == NULL)
			continue;
		for (; *last && *last != '[' && n < sizeof(alias) - 1; last++)
			alias[n++] = *last;
		alias[n] = '\0';
		if (n > 0 && !jsonx_get(all, alias))
			json_object_object_add(all, alias, json_object_get(text));
	}
	json_object_object_add(out, "fields", all);
	json_object_object_add(out, "list", list);
	return out;
}

/* A reply as the core's 422 naming one field (a form refused before it
 * reaches the core). */
static json_object *admin_field_error(const char *field, const char *text)
{
	json_object *o = json_object_new_object(), *e = json_object_new_object();
	json_object *fields = json_object_new_object();

	jsonx_set_int(o, "status", 422);
	jsonx_set_str(e, "code", proto_errors[PROTO_ERR_validation].code);
	jsonx_set_str(e, "message", proto_errors[PROTO_ERR_validation].message);
	jsonx_set_str(fields, field, text);
	json_object_object_add(e, "fields", fields);
	json_object_object_add(o, "error", e);
	return o;
}

/* A multipart form (PAGE_UPLOAD): its "file" part as the blob (lent from
 * the body; an empty one is no file chosen), the other fields into *form
 * (a new object); *form stays NULL when the body is not multipart. 0, or
 * an HTTP_E* code of http_multipart_upload (err as it says). */
static int admin_read_upload(struct web_request *req, json_object **form, const char **blob,
                             size_t *blob_len, char *err, size_t errlen)
{
	struct http_ctype ct;
	int rc;

	*form = NULL;
	if (http_ctype_parse(req->content_type, strlen(req->content_type), &ct) != 0 ||
	    strcmp(ct.type, "multipart/form-data") != 0)
		return 0;
	if (ct.boundary[0] == '\0')
		return HTTP_EINVAL;
	*form = json_object_new_object();
	rc = http_multipart_upload(req->body, req->body_len, ct.boundary, *form, blob, blob_len,
	                           err, errlen);
	if (rc != 0 && rc != HTTP_EMULTIPLE) {
		json_object_put(*form);
		*form = NULL;
	} else if (rc == 0 && *blob_len == 0) {
		*blob = NULL; /* no file chosen */
		json_object_object_del(*form, "filename");
	}
	return rc;
}

/* GET /admin/debug/pages (debug_ops = on): the page table as JSON. */
static void admin_debug_pages(struct web_request *req);

/* Who is signed in: adds "me" and "is_admin" to ctx. -1 when the tenant is
 * switched off or there is no organization at the host (a page saying so
 * has been sent; not for a PAGE_ANY_HOST page). */
static int admin_who(struct web_request *req, const struct admin_page *page, json_object *auth,
                     json_object *ctx)
{
	json_object *empty = json_object_new_object(), *result, *roles;
	struct core_reply reply = {0};
	int64_t status;
	int rc = 0;

	if (admin_call(req, "auth.me", empty, auth, &reply, &status) < 0) {
		json_object_put(empty);
		return -1;
	}
	result = jsonx_get_obj(reply.msg, "result");
	if (status == 200 && result) {
		json_object_object_add(ctx, "me", json_object_get(result));
		roles = jsonx_get_array(result, "roles");
		for (size_t i = 0; roles && i < json_object_array_length(roles); i++) {
			const char *role =
			    json_object_get_string(json_object_array_get_idx(roles, i));
			if (strcmp(role, "admin") == 0)
				jsonx_set_bool(ctx, "is_admin", 1);
			else if (strcmp(role, "manager") == 0 || strcmp(role, "performer") == 0)
				jsonx_set_bool(ctx, "has_tasks", 1);
		}
		{
			int64_t open = 0;
			jsonx_get_int64(result, "open_tasks", &open);
			if (open > 0) { /* an HR task is given to anyone */
				jsonx_set_bool(ctx, "has_tasks", 1);
				jsonx_set_int(ctx, "tasks_open", open);
			}
		}
	} else if (status == 403) {
		json_object *e = jsonx_get_obj(reply.msg, "error");
		admin_error_page(req, 403,
				 jsonx_get_str(e, "message") ?: "Кабинет организации отключён");
		rc = -1;
	} else if (status == 404 && !(page->flags & PAGE_ANY_HOST) &&
	           strcmp(jsonx_get_str(jsonx_get_obj(reply.msg, "error"), "code") ?: "",
	                  proto_errors[PROTO_ERR_tenant_not_found].code) == 0) {
		admin_no_tenant_page(req);
		rc = -1;
	}
	core_reply_free(&reply);
	json_object_put(empty);
	return rc;
}

/* A GET of a form's POST-only address (the page a form answered is
 * reloaded, or its address opened again from the history: «Получить код»
 * answers at /admin/activate/code) goes to the nearest page above it that
 * has a GET (/admin/activate; /admin/users/5/grant -> /admin/users), not to
 * «Метод не поддерживается». 1 when redirected. */
static int admin_reload_redirect(struct web_request *req)
{
	char path[512];
	const char *saved_path = req->path, *saved_method = req->method;
	json_object *params;
	int found = 0, wrong;
	char *slash;

	if (strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0)
		return 0;
	if (strlen(req->path) >= sizeof(path))
		return 0;
	strcpy(path, req->path);
	req->method = "GET";
	while (!found && (slash = strrchr(path, '/')) != NULL && slash != path) {
		*slash = '\0';
		params = json_object_new_object();
		req->path = path;
		found = web_route_find(admin_routes, req, params, &wrong) != NULL;
		json_object_put(params);
	}
	req->path = saved_path;
	req->method = saved_method;
	if (!found)
		return 0;
	web_redirect(req, path);
	return 1;
}

static void admin_handle(struct web_request *req)
{
	json_object *params = json_object_new_object(), *args = NULL, *auth = NULL, *ctx = NULL;
	const struct admin_page *page = NULL;
	const struct web_route *route;
	struct core_reply reply = {0};
	const char *csrf = NULL, *blob = NULL;
	size_t blob_len = 0;
	char err[256], cookie_csrf[128] = "";
	int wrong_method, is_post, rc, one_file = 0;
	int64_t status = 200;

	if (web_cfg->debug_ops && strcmp(req->method, "GET") == 0 &&
	    strcmp(req->path, "/admin/debug/pages") == 0) {
		admin_debug_pages(req);
		goto out;
	}
	route = web_route_find(admin_routes, req, params, &wrong_method);
	if (route == NULL && wrong_method && admin_reload_redirect(req))
		goto out;
	if (route == NULL) {
		admin_error_page(req, wrong_method ? 405 : 404,
				 wrong_method ? "Метод не поддерживается" : "Страница не найдена");
		goto out;
	}
	page = &admin_pages[route - admin_routes];
	is_post = strcmp(req->method, "POST") == 0;
	rc = http_query_parse(req->query, strlen(req->query), &args, err, sizeof(err));
	if (rc == HTTP_EENCODING) {
		admin_encoding_page(req, err);
		goto out;
	}
	if (rc != 0) {
		admin_error_page(req, 400, "Некорректные параметры адреса");
		goto out;
	}
	if (is_post) {
		json_object *form = NULL;
		rc = web_read_body(req);
		if (rc) {
			admin_error_page(req, rc, rc == 413 ? "Слишком большой запрос"
							    : "Не удалось прочитать форму");
			goto out;
		}
		rc = page->flags & PAGE_UPLOAD
		         ? admin_read_upload(req, &form, &blob, &blob_len, err, sizeof(err))
		         : 0;
		if (rc == HTTP_EMULTIPLE) {
			one_file = 1; /* the form again, the error at its file field */
			rc = 0;
		} else if (rc == HTTP_EINVAL || rc == HTTP_ELIMIT) {
			admin_error_page(req, 400, "Некорректная загрузка файла");
			goto out;
		}
		if (rc == 0 && form == NULL)
			rc = http_form_parse(req->body, req->body_len, NULL, &form, err, sizeof(err));
		if (rc == HTTP_EENCODING) {
			admin_encoding_page(req, err);
			goto out;
		}
		if (rc != 0) {
			admin_error_page(req, 400, "Некорректная форма");
			goto out;
		}
		json_object_object_foreach(form, key, val)
			json_object_object_add(args, key, json_object_get(val));
		json_object_put(form);
		csrf = jsonx_get_str(args, "_csrf");
	}
	json_object_object_foreach(params, key, val)
		json_object_object_add(args, key, json_object_get(val));
	web_cookie(req, web_csrf_cookie(req), cookie_csrf, sizeof(cookie_csrf));

	ctx = json_object_new_object();
	jsonx_set_str(ctx, "csrf", cookie_csrf);
	jsonx_set_str(ctx, "title", page->title);
	if (page->vars) {
		const char *why;
		json_object *vars = jsonx_parse_object(page->vars, strlen(page->vars), &why);
		json_object_object_foreach(vars, name, value)
			json_object_object_add(ctx, name, json_object_get(value));
		json_object_put(vars);
	}
	auth = web_auth(req, csrf);
	if (admin_who(req, page, auth, ctx) < 0)
		goto out;
	if ((page->flags & PAGE_AUTH) && !jsonx_get(ctx, "me")) {
		web_redirect(req, "/admin/login");
		goto out;
	}
	if (page->op) {
		if (one_file) {
			/* refused as cabinet-api refuses it, not the last file kept */
			reply.msg = admin_field_error("file", HTTP_ONE_FILE_RU);
			status = 422;
		} else if (admin_call_blob(req, page->op, args, auth, blob, blob_len, &reply,
		                           &status) < 0) {
			goto out;
		}
		if (!is_post && status == 401) {
			web_redirect(req, "/admin/login");
			goto out;
		}
		if (!is_post && status == 404 && (page->flags & PAGE_MONTH_LIST) &&
		    strcmp(jsonx_get_str(jsonx_get_obj(reply.msg, "error"), "code") ?: "",
		           proto_errors[PROTO_ERR_not_found].code) == 0) {
			char target[512];
			web_redirect(req, admin_redirect_target(page->redirect, args, NULL, target,
			                                        sizeof(target)));
			goto out;
		}
		json_object *warned =
		    is_post && status < 300 && !(page->flags & PAGE_RENDER) && page->reload_op
		        ? jsonx_get(jsonx_get_obj(reply.msg, "result"), "warnings")
		        : NULL;
		if (warned && json_object_is_type(warned, json_type_array) &&
		    json_object_array_length(warned) > 0) {
			/* saved with warnings (an overtime beyond art. 99, a posted
			 * timesheet that shows otherwise, ...): the page again, its
			 * data loaded afresh and its form empty, with the warnings
			 * the redirect would lose */
			int64_t reload_status;
			int called;

			json_object_object_add(ctx, "warnings", json_object_get(warned));
			core_reply_free(&reply);
			json_object_put(args);
			args = json_object_new_object();
			called =
			    admin_call(req, page->reload_op, args, auth, &reply, &reload_status);
			if (called < 0)
				goto out;
			status = reload_status;
		} else if (is_post && status < 300 && !(page->flags & PAGE_RENDER)) {
			char target[512];
			if (page->redirect && strcmp(page->redirect, ADMIN_HOME) == 0)
				web_redirect(req, admin_home(reply.msg));
			else
				web_redirect(req, page->redirect
						      ? admin_redirect_target(
							    page->redirect, args,
							    jsonx_get_obj(reply.msg, "result"), target,
							    sizeof(target))
						      : req->path);
			goto out;
		}
		if (jsonx_get(reply.msg, "error")) {
			json_object *e = jsonx_get_obj(reply.msg, "error");
			if (status >= 500 || (!is_post && status != 422)) {
				admin_error_page_as(req, (int)status,
						    jsonx_get_str(e, "message") ?: "Ошибка",
						    jsonx_get(ctx, "is_admin") != NULL);
				goto out;
			}
			/* a form with problems (or a page asked for with a bad
			 * parameter): the same page, the problems next to the fields,
			 * the page's own data loaded again */
			json_object_object_add(ctx, "error", admin_error_for_page(e));
			if (is_post && page->reload_op) {
				/* the page's op sees the refused fields as "_errors"
				 * (the core's names -> messages), so a table can put a
				 * row's message at that row's input */
				json_object *rargs = json_object_new_object();
				json_object *fields = jsonx_get(e, "fields");
				int64_t reload_status;
				int called;
				json_object_object_foreach(args, an, av)
					json_object_object_add(rargs, an, json_object_get(av));
				if (fields)
					json_object_object_add(rargs, "_errors",
							       json_object_get(fields));
				core_reply_free(&reply);
				called = admin_call(req, page->reload_op, rargs, auth, &reply,
						    &reload_status);
				json_object_put(rargs);
				if (called < 0)
					goto out;
			}
		} else if (is_post) {
			status = 200; /* a page, whatever the operation's 2xx */
		}
		if (jsonx_get(reply.msg, "result"))
			json_object_object_add(ctx, "data",
					       json_object_get(jsonx_get(reply.msg, "result")));
	}
	{
		json_object *form = admin_form_echo(page, args);
		json_object_object_add(ctx, "is", admin_form_is(form));
		json_object_object_add(ctx, "form_list", admin_form_list(form));
		json_object_object_add(ctx, "form", form);
	}
	jsonx_set_int(ctx, "status", status);
	admin_render(req, (int)status, page->tmpl, ctx);
out:
	if (reply.msg)
		core_reply_free(&reply);
	json_object_put(ctx);
	json_object_put(params);
	json_object_put(args);
	json_object_put(auth);
}

static void admin_debug_pages(struct web_request *req)
{
	json_object *list = json_object_new_array();
	const char *text;
	size_t len;

	for (size_t i = 0; admin_pages[i].method; i++) {
		json_object *p = json_object_new_object();
		jsonx_set_str(p, "method", admin_pages[i].method);
		jsonx_set_str(p, "pattern", admin_pages[i].pattern);
		jsonx_set_str(p, "title", admin_pages[i].title);
		jsonx_set_str(p, "op", admin_pages[i].op);
		jsonx_set_bool(p, "auth", (admin_pages[i].flags & PAGE_AUTH) != 0);
		json_object_array_add(list, p);
	}
	text = jsonx_dump(list, &len);
	web_send(req, 200, "application/json; charset=utf-8", text, len);
	json_object_put(list);
}

static const char *admin_socket(const struct cfg *cfg)
{
	return cfg->admin_socket;
}

static int admin_init(const struct cfg *cfg)
{
	char err[512], quoted[600];

	admin_templates = tmpl_set_load(cfg->templates_dir, err, sizeof(err));
	if (admin_templates == NULL) {
		log_error("templates_invalid", "dir=%s error=%s", cfg->templates_dir,
			  log_quote(err, quoted, sizeof(quoted)));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static const struct web_responder admin = {
		.name = "cabinet-admin",
		.socket_path = admin_socket,
		.init = admin_init,
		.handle = admin_handle,
		.routes = admin_routes,
	};

	for (size_t i = 0; admin_pages[i].method; i++) {
		admin_routes[i].method = admin_pages[i].method;
		admin_routes[i].pattern = admin_pages[i].pattern;
		admin_routes[i].op = admin_pages[i].op;
	}
	return web_main(argc, argv, &admin);
}
