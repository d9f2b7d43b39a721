#include "audit.h"

#include "jsonx.h"

#include <string.h>

static const char *audit_actor_kind(struct ctx *ctx)
{
	return ctx->system                      ? "system"
	       : ctx->user_id                   ? "user"
	       : ctx->op->access == OP_OPERATOR ? "operator"
	       : ctx->api_key_id                ? "api_key"
	                                        : "anonymous";
}

void audit_rows_actor(struct ctx *ctx, const char **kind, const char **user, const char **ip)
{
	const char *from = jsonx_get_str(ctx->auth, "ip");

	*kind = audit_actor_kind(ctx);
	*user = ctx_i64(ctx, ctx->user_id);
	*ip = from && (strchr(from, '.') || strchr(from, ':')) ? from : "";
}

int audit_log_rows(struct ctx *ctx, json_object *rows)
{
	const char *kind, *user, *ip;

	if (json_object_array_length(rows) == 0)
		return 0;
	audit_rows_actor(ctx, &kind, &user, &ip);
	return ctx_sql(ctx, AUDIT_ROWS_SQL("$1", "$2", "$3", "$4", "$5"),
	               ctx_i64(ctx, ctx->tenant_id), kind, user, ip, jsonx_dump(rows, NULL))
	           ? 0
	           : -1;
}

int audit_log(struct ctx *ctx, const char *action, int success, const char *object_type,
              const char *object_id, json_object *details)
{
	const char *ip = jsonx_get_str(ctx->auth, "ip");
	const char *kind = audit_actor_kind(ctx);
	PGresult *res;

	if (details == NULL)
		details = json_object_new_object();
	arena_own(ctx->arena, details);
	res = ctx_sql(
	    ctx,
	    "INSERT INTO audit_log (tenant_id, actor_kind, actor_user_id, action, success, "
	    "object_type, object_id, ip, details) VALUES ($1, $2, nullif($3, '0')::bigint, "
	    "$4, $5, $6, $7, nullif($8, '')::inet, $9::jsonb)",
	    ctx_i64(ctx, ctx->tenant_id), kind, ctx_i64(ctx, ctx->user_id), action,
	    success ? "true" : "false", object_type, object_id,
	    ip && (strchr(ip, '.') || strchr(ip, ':')) ? ip : "", jsonx_dump(details, NULL));
	return res ? 0 : -1;
}

json_object *audit_detail(const char *key, const char *value)
{
	json_object *o = json_object_new_object();

	jsonx_set_str(o, key, value);
	return o;
}

static const struct {
	const char *action, *title;
} audit_titles[] = {
    {"auth.login", "Вход"},
    {"auth.logout", "Выход"},
    {"auth.code_requested", "Запрос кода подтверждения"},
    {"auth.activated", "Активация кабинета"},
    {"auth.password_reset", "Восстановление пароля"},
    {"auth.password_changed", "Смена пароля"},
    {"auth.password_set", "Пароль задан оператором"},
    {"auth.contacts_changed", "Изменены почта или телефон для входа"},
    {"rights.granted", "Назначены права администратора"},
    {"rights.revoked", "Сняты права администратора"},
    {"tenant.connect_requested", "Заявка на подключение"},
    {"tenant.ready", "Кабинет организации создан"},
    {"tenant.failed", "Ошибка создания кабинета"},
    {"tenant.disabled", "Кабинет организации отключён"},
    {"tenant.enabled", "Кабинет организации включён"},
    {"calendars.created", "Создан производственный календарь"},
    {"calendars.copied", "Календарь скопирован для региона"},
    {"calendars.year_edited", "Изменены дни производственного календаря"},
    {"calendars.year_imported", "Загружен год производственного календаря"},
    {"schedules.created", "Создан график работы"},
    {"schedules.updated", "Изменён график работы"},
    {"schedules.assigned", "Сотруднику назначен график"},
    {"schedules.unassigned", "Отменено назначение графика"},
    {"schedules.individual_set", "Задан индивидуальный график"},
    {"schedules.individual_deleted", "Удалён индивидуальный график"},
    {"deviations.created", "Введён документ отклонения"},
    {"deviations.deleted", "Удалён документ отклонения"},
    {"timesheets.filled", "Табель заполнен по графику"},
    {"timesheets.filled_all", "Табели месяца заполнены по графикам"},
    {"timesheets.edited", "Табель изменён"},
    {"timesheets.posted", "Табель проведён"},
    {"timesheets.unposted", "Отменено проведение табеля"},
    {"payroll.calculated", "Расчёт зарплаты"},
    {"payroll.closed", "Месяц зарплаты закрыт"},
    {"payroll.reopened", "Месяц зарплаты открыт снова"},
    {"payroll.deleted", "Расчёт зарплаты удалён"},
    {"payroll.settings_set", "Изменены настройки расчёта зарплаты"},
    {"ndfl.children_set", "Изменены вычеты НДФЛ на детей"},
    {"payterms.set", "Изменены условия оплаты сотрудника"},
    {"payterms.deleted", "Удалены условия оплаты сотрудника"},
    {"exchange.upserted", "Обмен: данные приняты"},
    {"api_keys.created", "Создан ключ API"},
    {"api_keys.revoked", "Ключ API отозван"},
    {"staff.employee_created", "Добавлен сотрудник"},
    {"staff.employee_updated", "Изменены данные сотрудника"},
    {"staff.organization_created", "Добавлена организация"},
    {"staff.organization_updated", "Изменены данные организации"},
    {"staff.department_created", "Добавлено подразделение"},
    {"staff.department_updated", "Изменено подразделение"},
    {"staff.position_created", "Добавлена должность"},
    {"staff.position_updated", "Изменена должность"},
    {"import.employees", "Загрузка сотрудников из файла CSV"},
    {"publication.changed", "Изменена настройка публикации"},
    {"publication.applied", "Публикация обновлена"},
    {"cabinets.created", "Созданы кабинеты сотрудников"},
    {"cabinets.invited", "Отправлены приглашения в кабинеты"},
    {"cabinets.settings_set", "Изменены настройки кабинетов и приглашений"},
    {"invitation.code_requested", "Запрошен код по приглашению"},
    {"invitation.activated", "Кабинет активирован по приглашению"},
    {"jobs.schedule_set", "Изменено расписание заданий"},
    {"jobs.run", "Задания выполнены вручную"},
    {"settings.timezone_set", "Изменён часовой пояс организации"},
    {"hr_tasks.given", "Сотруднику поставлено задание"},
    {"hr_tasks.completed", "Задание выполнено"},
    {"hr_tasks.cancelled", "Задание отменено"},
    {"hr_tasks.file_added", "К заданию приложен файл"},
    {"kpi.created", "Добавлен показатель эффективности"},
    {"kpi.updated", "Изменён показатель эффективности"},
    {"kpi.deleted", "Удалён показатель эффективности"},
    {"consent.given", "Согласие на обработку персональных данных"},
    {"deviations.extended", "Продлён документ отклонения"},
    {"payroll.accrual_created", "Добавлено начисление"},
    {"payroll.accrual_deleted", "Удалено начисление"},
    {"payroll.payment_created", "Записана выплата"},
    {"payroll.payment_deleted", "Удалена выплата"},
    {"payroll.opening_balance_set", "Изменены начальные остатки сотрудника"},
    {"notifications.prefs", "Изменены настройки уведомлений"},
    {"routing.roles_set", "Изменены исполнители роли"},
    {"routing.performer_added", "Добавлен исполнитель роли"},
    {"routing.performer_removed", "Исполнитель роли удалён"},
    {"routing.chain_set", "Изменена цепочка согласования"},
    {"routing.deadline_set", "Изменён срок выполнения заявок"},
    {"routing.substitute_added", "Назначен заместитель"},
    {"routing.substitute_deleted", "Заместитель снят"},
    /* requests.<the request's event> (requests_event(), requests.c) */
    {"requests.created", "Заявка создана"},
    {"requests.submitted", "Заявка отправлена"},
    {"requests.assigned", "Заявка назначена исполнителю"},
    {"requests.approval_skipped", "Согласование заявки пропущено"},
    {"requests.approved", "Заявка согласована"},
    {"requests.rejected", "Заявка отклонена"},
    {"requests.forwarded", "Заявка передана другому сотруднику"},
    {"requests.escalated", "Заявка передана выше: срок истёк"},
    {"requests.substituted", "Заявка передана заместителю"},
    {"requests.reminded", "Напоминание о сроке заявки"},
    {"requests.taken", "Заявка взята в работу"},
    {"requests.completed", "Заявка выполнена"},
    {"requests.cancelled", "Заявка отозвана"},
    {"requests.file_added", "К заявке приложен файл"},
    /* the debug build's test operations (system.c) */
    {"debug.written", "Отладка: запись"},
    {"debug.written_unflagged", "Отладка: запись без отметки"},
};

/* The Russian title of an action; every action the code writes has one
 * (tests/integration/test_audit_titles.py walks them), else the code. */
const char *audit_action_title(const char *action)
{
	for (size_t i = 0; i < sizeof(audit_titles) / sizeof(audit_titles[0]); i++)
		if (strcmp(audit_titles[i].action, action) == 0)
			return audit_titles[i].title;
	return action;
}

const char *audit_actor_title(const char *kind)
{
	if (strcmp(kind, "system") == 0)
		return "Сервис";
	if (strcmp(kind, "operator") == 0)
		return "Оператор";
	if (strcmp(kind, "api_key") == 0)
		return "Обмен по ключу API";
	if (strcmp(kind, "anonymous") == 0)
		return "Не выполнен вход";
	return "Пользователь";
}
