/*
 * settings.c - the organization's time zone and "today" in it, the debug
 * clock of the tests. See settings.h.
 */
#include "settings.h"

#include "audit.h"
#include "date.h"
#include "jsonx.h"
#include "ops.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The fixed "now" of debug.clock ("" = the real clock). */
static pthread_mutex_t settings_clock_lock = PTHREAD_MUTEX_INITIALIZER;
static char settings_clock[64];

/* Zones offered in the page's list (any other IANA name may be typed). */
static const char *const settings_zones[][2] = {
    {"Europe/Kaliningrad", "Калининград (UTC+2)"},
    {"Europe/Moscow", "Москва (UTC+3)"},
    {"Europe/Samara", "Самара (UTC+4)"},
    {"Asia/Yekaterinburg", "Екатеринбург (UTC+5)"},
    {"Asia/Omsk", "Омск (UTC+6)"},
    {"Asia/Novosibirsk", "Новосибирск (UTC+7)"},
    {"Asia/Krasnoyarsk", "Красноярск (UTC+7)"},
    {"Asia/Irkutsk", "Иркутск (UTC+8)"},
    {"Asia/Yakutsk", "Якутск (UTC+9)"},
    {"Asia/Vladivostok", "Владивосток (UTC+10)"},
    {"Asia/Magadan", "Магадан (UTC+11)"},
    {"Asia/Kamchatka", "Петропавловск-Камчатский (UTC+12)"},
};

int settings_clock_apply(struct ctx *ctx)
{
	char now[sizeof(settings_clock)];

	if (!ctx->cfg->debug_ops)
		return 0;
	pthread_mutex_lock(&settings_clock_lock);
	memcpy(now, settings_clock, sizeof(now));
	pthread_mutex_unlock(&settings_clock_lock);
	if (now[0] == '\0')
		return 0;
	return ctx_sql(ctx, "SELECT set_config('app.now', $1, true)", now) ? 0 : -1;
}

static int settings_reply(struct ctx *ctx)
{
	json_object *r = ctx_result(ctx), *zones = json_object_new_array();
	PGresult *res = ctx_sql0(ctx, "SELECT app_timezone(), app_today()::text, "
	                              "to_char(app_now() AT TIME ZONE app_timezone(), "
	                              "'DD.MM.YYYY HH24:MI'), to_char(app_today(), 'DD.MM.YYYY')");

	json_object_object_add(r, "zones", zones);
	if (res == NULL)
		return -1;
	jsonx_set_str(r, "timezone", PQgetvalue(res, 0, 0));
	jsonx_set_str(r, "today", PQgetvalue(res, 0, 1));
	jsonx_set_str(r, "today_ru", PQgetvalue(res, 0, 3));
	jsonx_set_str(r, "now_ru", PQgetvalue(res, 0, 2));
	for (size_t i = 0; i < sizeof(settings_zones) / sizeof(settings_zones[0]); i++) {
		json_object *z = json_object_new_object();
		jsonx_set_str(z, "name", settings_zones[i][0]);
		jsonx_set_str(z, "title", settings_zones[i][1]);
		jsonx_set_bool(z, "selected",
		               strcmp(settings_zones[i][0], PQgetvalue(res, 0, 0)) == 0);
		json_object_array_add(zones, z);
	}
	return 0;
}

/* GET /api/admin/settings */
static int settings_get(struct ctx *ctx)
{
	return settings_reply(ctx);
}

/* PUT /api/admin/settings {"timezone"} */
static int settings_set(struct ctx *ctx)
{
	const char *tz = ctx_arg_str(ctx, "timezone", 64, 1);
	PGresult *res;

	if (tz == NULL)
		return -1;
	/* IANA Area/City names and UTC only: AT TIME ZONE would also take
	 * abbreviations and POSIX strings ("UTC+3" means UTC-3 there), and the
	 * database also lists localtime (the server's own zone), posixrules,
	 * Factory ("-00"), Etc/GMT+3 (inverted sign) and old aliases (F17) */
	res = ctx_sql(ctx,
	              "SELECT name FROM pg_timezone_names WHERE lower(name) = lower($1) "
	              "AND (name = 'UTC' OR name ~ '^(Africa|America|Antarctica|Arctic|Asia|"
	              "Atlantic|Australia|Europe|Indian|Pacific)/[A-Za-z]') "
	              "ORDER BY name = $1 DESC LIMIT 1",
	              tz);
	if (res == NULL)
		return -1;
	if (PQntuples(res) == 0)
		return ctx_field_code(ctx, "timezone", "format",
		                      "Неизвестный часовой пояс «%s»: укажите название из базы "
		                      "IANA вида Регион/Город, например Europe/Moscow или "
		                      "Asia/Vladivostok, или UTC",
		                      tz);
	tz = PQgetvalue(res, 0, 0);
	if (ctx_sql(ctx,
	            "UPDATE tenants SET settings = settings || jsonb_build_object('timezone', "
	            "$2::text) WHERE id = $1",
	            ctx_i64(ctx, ctx->tenant_id), tz) == NULL ||
	    audit_log(ctx, "settings.timezone_set", 1, "tenant", NULL,
	              audit_detail("timezone", tz)) < 0)
		return -1;
	ctx->time_zone = NULL; /* org_time_zone(): the new one from now on */
	return settings_reply(ctx);
}

/* 1 when s is an ISO 8601 moment with its offset: 2026-11-30T17:16:00Z,
 * 2026-12-01T03:16:00+10:00 (what app.now will be cast from). */
static int settings_moment_valid(const char *s)
{
	int y, mo, d, h, mi, sec, n = 0, oh, om;

	if (strlen(s) < 20 ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6 ||
	    n != 19 || !date_valid(y, mo, d) || h > 23 || mi > 59 || sec > 59)
		return 0;
	if (strcmp(s + 19, "Z") == 0)
		return 1;
	n = 0;
	return (s[19] == '+' || s[19] == '-') && sscanf(s + 20, "%2d:%2d%n", &oh, &om, &n) == 2 &&
	       n == 5 && s[25] == '\0' && oh <= 14 && om <= 59;
}

/* debug.clock {"now": "2026-11-30T17:16:00Z" | null} */
static int settings_debug_clock(struct ctx *ctx)
{
	json_object *v = jsonx_get(ctx->args, "now");
	const char *now = NULL;

	if (v && !json_object_is_type(v, json_type_null)) {
		now = ctx_arg_str(ctx, "now", 40, 1);
		if (now == NULL)
			return -1;
		if (!settings_moment_valid(now))
			return ctx_field(ctx, "now",
			                 "Момент времени ISO 8601: 2026-11-30T17:16:00Z");
	}
	pthread_mutex_lock(&settings_clock_lock);
	snprintf(settings_clock, sizeof(settings_clock), "%s", now ? now : "");
	pthread_mutex_unlock(&settings_clock_lock);
	if (now)
		jsonx_set_str(ctx_result(ctx), "now", now);
	else
		json_object_object_add(ctx_result(ctx), "now", NULL);
	return 0;
}

static const struct op_arg settings_set_args[] = {
    {"timezone", ARG_STR, ARG_REQUIRED, .max = 64, .example = "\"Asia/Vladivostok\""},
    ARG_END,
};
static const struct op_arg settings_clock_args[] = {{"now", ARG_STR, 0, .max = 40}, ARG_END};

const struct op settings_ops[] = {
    {"settings.get", OP_ADMIN, settings_get, 0, args_none},
    {"settings.set", OP_ADMIN, settings_set, OP_WRITE, settings_set_args},
    {"debug.clock", OP_ANYONE, settings_debug_clock, OP_DEBUG | OP_NO_TX, settings_clock_args},
    {NULL, 0, NULL, 0, NULL},
};
