/*
 * notifications.h - what a person is told (issue 12, item 8): the in-app
 * list with its unread count, the push to open pages, and email or SMS by
 * the person's preference. The queue itself is notify.h: every change that
 * tells someone writes its rows with notify() in its own transaction.
 *
 * The API (cgi/api.c; README.md, "Notifications"):
 *
 *   GET  /api/notifications?limit=20&offset=0&unread=true   notifications.list
 *        -> {"items": [{"id", "kind", "text", "request_id"|null, "task_id"|null,
 *            "created_at" (ISO 8601, UTC: "2026-11-22T11:05:00Z"), "created_ru" ("22.11.2026 14:05", the
 *            organization's time zone), "read": bool}], "total", "unread"}
 *        the caller's own, newest first; limit 0..100 (0: only the counts);
 *        unread=true: only the unread ones. kind: task_new, task_reminder,
 *        task_escalated, request_state, task_overdue, hr_task_done,
 *        hr_task_cancelled (notify.h); request_id is null for an HR task's.
 *   POST /api/notifications/read {"ids": [1, 2]} | {"all": true}      notifications.read
 *        -> {"marked": n, "unread": n}: marks the caller's notifications
 *        read (already read ones stay as they are); an id that is not the
 *        caller's is 404 and nothing is marked; neither ids nor all: 422.
 *   GET  /api/notifications/events                    (nginx: nchan, not a responder)
 *        text/event-stream: one event each time the caller's notifications
 *        change (a new one; another page marked some read), data
 *        {"unread": n, "latest": id}: a hint; the page then fetches the list.
 *        401 without a session, 404 with another tenant's (told as 403 to
 *        the auth_request, which passes nothing else on). nginx asks
 *        notifications.channel (GET /api/notifications/channel, internal)
 *        who the caller is. Signing out, a new password and an expired
 *        session end the user's streams (notifications_end_streams).
 *   GET  /api/profile/notifications                   notifications.prefs_get
 *   PUT  /api/profile/notifications {"email": bool, "sms": bool}  notifications.prefs_put
 *        -> {"in_app": true, "email": bool, "sms": bool, "email_to": str|null,
 *            "sms_to": str|null}: in the cabinet always; by email and SMS
 *        when the person opts in (stored per user). email_to / sms_to: where
 *        they go (the user's sign-in email and phone, else the employee's);
 *        opting into a channel without an address is 422 at the field.
 *
 * Who: every signed-in user (WHO_USER); a user without an employee record
 * has no notifications (an empty list) but may hold the event stream.
 * Another user's or tenant's notification is 404 / absent.
 *
 * Delivery ("notify.deliver", a background task kicked by every commit that
 * queued notifications, at most one kicked pass per 200 ms (tasks.h: the
 * commits of that time share it; when nothing else runs, up to the next
 * second), and every 10 s as a safety net): for
 * each undelivered row it queues the email or SMS the person opted into
 * through the outbox (outbox.h: its retries, timeouts and SMS limit), marks
 * the row delivered, commits (without waiting for the WAL flush: a pass
 * lost in a crash is delivered again by the next), then hands one event
 * per person to the publisher, a thread of its own that posts them to
 * nginx's nchan publisher on the Unix socket notify_publish_socket in
 * the passes' order, the waiting ones merged by channel, so the pass's
 * worker is back for requests at once (libcurl; empty: no push, pages
 * only see news when they fetch). The
 * channel of a person is "<tenant>u<user>", told to nginx by
 * notifications.channel from the session (auth_request), never chosen by
 * the page.
 */
#ifndef CABINET_NOTIFICATIONS_H
#define CABINET_NOTIFICATIONS_H

#include "dispatch.h"
#include "worker.h"

extern const struct op notifications_ops[];

/* Ends the user's open event streams at once (sign-out, a new password,
 * an expired session): queued, and done by the publisher after the next
 * "notify.deliver" pass, which the caller's commit starts (tasks_kick
 * waits for it), by deleting the user's nchan
 * channel. Every page of the user reconnects: the signed-out session's
 * gets 401, the user's other sessions a new stream (a page then fetches
 * the list, so nothing is lost). Without notify_publish_socket, nothing. */
void notifications_end_streams(int64_t tenant, int64_t user);

/* The task "notify.deliver". */
void notifications_deliver_task(struct db *db, struct arena *arena, void *arg);

#endif
