/*
 * audit.h - the append-only audit log (table audit_log).
 *
 * A row is written in the request's own transaction, so it is durable
 * exactly when the change it describes is. For a failure that must leave a
 * trace (a wrong password, a wrong code) the handler writes the row and
 * returns ctx_fail_commit(), which answers the error but commits.
 * Never put secrets or personal data values in details: ids, codes of
 * outcomes, counts.
 */
#ifndef CABINET_AUDIT_H
#define CABINET_AUDIT_H

#include "dispatch.h"

/* action: "area.verb" (e.g. "auth.login"); object_type/object_id may be
 * NULL; details (may be NULL) is taken over by the call. The actor is the
 * signed-in user, else the operator (cabinetctl), else anonymous. */
int audit_log(struct ctx *ctx, const char *action, int success, const char *object_type,
              const char *object_id, json_object *details);

/* Several rows of one actor in one statement: rows is an array of
 * {"action", "object_type", "object_id", "details"} (lent), successes. 0 or
 * -1. */
int audit_log_rows(struct ctx *ctx, json_object *rows);

/* SQL of audit_log_rows() for tenant t, usable as a data-modifying WITH of
 * another statement (requests.c: with the history). The arguments are
 * parameter references: the actor's kind, user (text of an id, '0': none)
 * and ip ('' when none), as audit_rows_actor() gives them, and rows (as
 * audit_log_rows() takes them, as JSON text). */
#define AUDIT_ROWS_SQL(t, kind, user, ip, rows)                                                    \
	"INSERT INTO audit_log (tenant_id, actor_kind, actor_user_id, action, success, "           \
	"object_type, object_id, ip, details) SELECT " t ", " kind ", nullif(" user ", '0')::"     \
	"bigint, x.action, true, x.object_type, x.object_id, nullif(" ip ", '')::inet, "           \
	"coalesce(x.details, '{}') FROM jsonb_to_recordset(" rows "::jsonb) AS x(action text, "    \
	"object_type text, object_id text, details jsonb)"

/* The actor of this operation's audit rows, for AUDIT_ROWS_SQL. */
void audit_rows_actor(struct ctx *ctx, const char **kind, const char **user, const char **ip);

/* The Russian title of an action for the administrator's journal (the
 * action itself when it has none), and of an actor kind. */
const char *audit_action_title(const char *action);
const char *audit_actor_title(const char *kind);

/* {"<key>": "<value>"}, a new object for details. */
json_object *audit_detail(const char *key, const char *value);

#endif
