/*
 * settings.h - the organization's settings that are not any one area's,
 * and "today" in the organization's time zone.
 *
 *   GET /api/admin/settings  -> {"timezone", "today", "now", "zones": [{"name", "title"}]}
 *   PUT /api/admin/settings  {"timezone": "Asia/Vladivostok"} (any IANA zone
 *                            PostgreSQL knows; default Europe/Moscow)
 *
 * One zone for what is shown and what is filtered: "today", month
 * boundaries, default dates (the vacation balance's), every time shown and
 * every date filter are in the organization's zone. In C: org_time_zone()
 * and org_today() (org.h); in SQL, app_timezone(), app_today() and app_now()
 * (sql/0045_cabinets.sql); use those once per statement (a CTE or a
 * parameter), not per row.
 *
 * For tests (debug_ops = on only), debug.clock {"now": "2026-11-30T17:16:00Z"}
 * fixes the service's "now" for every later transaction (app_now(), hence
 * app_today() and org_today()); {"now": null} lets the clock run again.
 */
#ifndef CABINET_SETTINGS_H
#define CABINET_SETTINGS_H

#include "dispatch.h"

/* Makes the transaction see the debug clock, when a test fixed one (no
 * statement otherwise). The dispatcher calls it before every handler;
 * background jobs call it at the start of their transaction. 0 or -1. */
int settings_clock_apply(struct ctx *ctx);

#endif
