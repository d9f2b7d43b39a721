/*
 * paycache.h - an employee's payslip answers kept in cabinetd's memory.
 *
 * Why: with the session cached (sesscache.h), the PostgreSQL time of a
 * payslip read (GET /api/payslips/{month}) was almost all its own statement
 * plus BEGIN READ ONLY, set_config and COMMIT (tests/bench/README.md). The
 * answer of a payslip changes only when something is written, so cabinetd
 * keeps the exact JSON the handler produced and serves it again without
 * opening a transaction at all: on a hit the request sends nothing to
 * PostgreSQL (a cached session's BEGIN is only noted and never sent).
 *
 * Keyed by tenant, employee and month. It sits inside the operation
 * (payslips.get), after the dispatcher has checked access as always, and
 * the key's employee is the signed-in user's own: an employee can only
 * reach their own entries.
 *
 * When an entry is not used (the rule is generations, not business events):
 * - a generation counter per tenant is moved after EVERY read-write
 *   transaction of that tenant that tried to commit (dispatch.c: requests
 *   with OP_WRITE and the exchange); read-write transactions without one
 *   known tenant (background tasks that wrote, which run in system scope -
 *   a pass that found nothing to do has no transaction id and moves
 *   nothing; operator operations without a tenant; a transaction that
 *   switched tenants) move a global generation. An entry carries the two generations read BEFORE its
 *   statement ran and is used only while both are unchanged, so a write
 *   that commits while the payslip is being read cannot leave the old
 *   answer cached: it moves the generation after its commit, and either
 *   the read's statement saw the commit or its generations are already old.
 *   The counters per tenant are stripes (tenant_id modulo
 *   PAYCACHE_STRIPES): two tenants sharing one only invalidate each
 *   other's entries more often, never less.
 * - older than payslip_cache_ttl_s: bounds what is written behind
 *   cabinetd's back (psql, another cabinetd on the same database).
 * Not counted as writes: the session's own bookkeeping after a read
 * (session_after: last_seen_at, ending an expired session), which no
 * payslip shows.
 *
 * Which months: any month the handler answers. An employee is answered
 * closed months only; closing, reopening, recalculating a month, a payment,
 * a change of the employee's name or position are all committed through
 * cabinetd and move the generation, so a draft that becomes closed (or the
 * reverse) is never served from an older answer. Only answers (200) are
 * kept, never an error ("not formed yet"), and none larger than
 * PAYCACHE_MAX_TEXT.
 *
 * The size is payslip_cache_size entries (0: no cache), chosen at start;
 * when full, the least recently used entry gives way (clock). One mutex
 * guards it; a lookup copies the text out.
 */
#ifndef CABINET_PAYCACHE_H
#define CABINET_PAYCACHE_H

#include <stddef.h>
#include <stdint.h>

struct buf;

#define PAYCACHE_STRIPES  256
#define PAYCACHE_MAX_TEXT (16 * 1024)

/* The generations an answer is computed under, read before asking
 * PostgreSQL. */
struct paycache_gen {
	uint64_t tenant;
	uint64_t global;
};

void paycache_generation(int64_t tenant_id, struct paycache_gen *out);
/* 0 and the answer's text appended to out when the tenant's employee's
 * month (year * 100 + month) is cached, younger than ttl_s and no write
 * has happened since it was computed; -1 otherwise. */
int paycache_get(long size, long ttl_s, int64_t tenant_id, int64_t employee_id, int month,
                 struct buf *out);
/* Stores an answer just computed under gen, unless a write moved a
 * generation since (or it is empty or larger than PAYCACHE_MAX_TEXT). */
void paycache_put(long size, int64_t tenant_id, int64_t employee_id, int month, const char *text,
                  size_t len, const struct paycache_gen *gen);
/* A read-write transaction of the tenant (0: unknown, any tenant) tried to
 * commit: moves its generation. */
void paycache_written(int64_t tenant_id);
/* Drops every entry (debug.session_cache_flush: the tests' direct writes). */
void paycache_flush(void);
/* Frees the memory at exit. */
void paycache_free(void);

#endif
