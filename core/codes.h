/*
 * codes.h - one-time codes (activation, password reset, invitation) and the
 * limits that make guessing one hopeless.
 *
 * A code is code_digits random digits (at least 6), kept only as a salted
 * SHA-256, valid code_ttl_s seconds, burnt after code_attempts wrong
 * entries; a new code replaces the account's older ones; a change of
 * password ends them all (codes_revoke).
 *
 * Limits (cabinet.conf, README "Security"), each over a sliding hour and 24
 * hours of the table auth_events:
 *   - per account, whatever identifier (phone, email, login) was typed:
 *     code_sends_per_hour/day codes sent, code_cooldown_s between two, and
 *     code_checks_per_hour/day code entries, wrong or right;
 *   - per client address: code_ip_sends_per_hour/day, code_ip_checks_*.
 * A typed identifier that matches no account is counted under its own
 * normalized form with exactly the same limits, and every path runs the same
 * statements, so neither the answers, the limits nor the timing tell
 * whether an account exists. Over a limit: 429 with Retry-After
 * (ctx_fail_wait), and nothing is counted. At the code_wrong_notify-th wrong
 * entry in an hour the account is told on its other channel (email when
 * the code went by SMS, and the other way round).
 */
#ifndef CABINET_CODES_H
#define CABINET_CODES_H

#include "dispatch.h"

#include <stdint.h>

/* Whose limits count: an account, or an identifier that matches none. */
struct codes_account {
	int64_t user_id;       /* 0: the typed identifier matches no account */
	const char *login_key; /* the typed identifier, normalized (validate_login_key) */
	const char *phone;     /* the account's channels; NULL when absent */
	const char *email;
};

/* The counter key of a typed identifier ("login:" and a hash of its
 * normalized form; the text itself is never stored). */
const char *codes_ident_key(struct ctx *ctx, const char *login_key);

/* Counts one code request against the limits of a and of the client
 * address; over one: 429 (ctx_fail_wait) and -1, nothing counted. Then,
 * for an account, a new code for purpose ("activate", "reset", "invite")
 * replaces its older ones and is queued on channel ("sms" or "email"; NULL:
 * SMS when the account has a phone). 0 or -1. When only the cooldown holds
 * it back (the page asked again, e.g. reloaded, less than code_cooldown_s
 * after a code went out): nothing is sent or counted and the seconds left
 * are returned (> 0), for the caller to answer codes_already_sent. */
int codes_send(struct ctx *ctx, const struct codes_account *a, const char *purpose,
               const char *channel);

/* The calm answer to a request that codes_send held back wait seconds:
 * 200 {"status": "already_sent", "message": «Код уже отправлен, новый
 * можно запросить через 45 секунд.», "retry_after": wait, "retry_after_ru"} - the code sent
 * before is still the one to type; no error, no Retry-After. */
void codes_already_sent(struct ctx *ctx, int64_t wait);

/* "retry_after" (seconds) and "retry_after_ru" («через 45 секунд») into the
 * result: when the page may ask for a new code (its countdown). */
void codes_put_retry(struct ctx *ctx, int64_t wait);

/* Checks the form of a typed code (code_digits digits); a field error on
 * field and -1 otherwise. */
int codes_format(struct ctx *ctx, const char *field, const char *code);

/* Counts one code entry against the limits of a and of the client address
 * (over one: 429 and -1, nothing counted), then compares code with the
 * account's newest live code whose purpose is in purposes (comma-separated,
 * "activate,reset"). Returns 1 when right (*code_id set; the code stays
 * live until codes_revoke), 0 when wrong, expired, burnt, absent or there
 * is no account (answer with codes_wrong), -1 on failure. */
int codes_check(struct ctx *ctx, const struct codes_account *a, const char *purposes,
                const char *code, int64_t *code_id);

/* The one answer to every wrong code, whatever the reason: a field error on
 * field ("invalid"), and the request's counters and audit rows are kept.
 * Returns 0 for the handler to return. */
int codes_wrong(struct ctx *ctx, const char *field);

/* Ends every outstanding code of the user (a credential changed). 0 or -1. */
int codes_revoke(struct ctx *ctx, int64_t user_id);

/* Background clean-up (system scope): counters older than a day, codes
 * expired more than a day ago. 0 or -1. */
int codes_cleanup(struct ctx *ctx);

#endif
