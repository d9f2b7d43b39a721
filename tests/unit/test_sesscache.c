/* The session cache's own rules (core/sesscache.h): an entry is served
 * until its TTL, the session's end or its idle time; forgets drop by
 * session, user and tenant; a resolution older than a forget is not
 * stored; a full cache gives way to new entries. */
#include "check.h"
#include "dispatch.h"
#include "monotime.h"
#include "sesscache.h"

#include <stdio.h>
#include <string.h>

static void hash_of(int n, char out[67])
{
	snprintf(out, 67, "\\x%064d", n);
}

static struct sesscache_entry entry(int64_t tenant, int64_t user)
{
	int64_t now = monotime_ms();
	struct sesscache_entry e = {
	    .tenant_id = tenant,
	    .user_id = user,
	    .expires_ms = now + 3600 * 1000,
	    .seen_ms = now,
	    .stored_ms = now,
	};
	return e;
}

static int cached(const char *sub, int n)
{
	struct sesscache_entry e;
	char h[67];

	hash_of(n, h);
	return sesscache_get(8, sub, h, 5, 1800, &e) == 0;
}

static void put(const char *sub, int n, int64_t tenant, int64_t user)
{
	struct sesscache_entry e = entry(tenant, user);
	char h[67];

	hash_of(n, h);
	sesscache_put(8, sub, h, &e, sesscache_generation());
}

TEST(test_served_until_its_time)
{
	struct sesscache_entry e = entry(1, 1), got;
	char h[67];

	sesscache_flush();
	hash_of(1, h);
	sesscache_put(8, "a", h, &e, sesscache_generation());
	CHECK(sesscache_get(8, "a", h, 5, 1800, &got) == 0);
	CHECK_INT(got.user_id, 1);
	CHECK(sesscache_get(8, "b", h, 5, 1800, &got) < 0); /* another host: not this entry */
	CHECK(sesscache_get(0, "a", h, 5, 1800, &got) < 0); /* size 0: no cache */
	/* past the TTL, the session's end, its idle time: asked again */
	e.stored_ms -= 5000;
	sesscache_put(8, "a", h, &e, sesscache_generation());
	CHECK(sesscache_get(8, "a", h, 5, 1800, &got) < 0);
	e = entry(1, 1);
	e.expires_ms = monotime_ms() - 1;
	sesscache_put(8, "a", h, &e, sesscache_generation());
	CHECK(sesscache_get(8, "a", h, 5, 1800, &got) < 0);
	e = entry(1, 1);
	e.seen_ms -= 1800 * 1000;
	sesscache_put(8, "a", h, &e, sesscache_generation());
	CHECK(sesscache_get(8, "a", h, 5, 1800, &got) < 0);
	/* a refreshed last use keeps it */
	e.seen_ms = monotime_ms() - 1799 * 1000;
	sesscache_put(8, "a", h, &e, sesscache_generation());
	sesscache_seen("a", h, monotime_ms());
	CHECK(sesscache_get(8, "a", h, 5, 1800, &got) == 0);
	CHECK(monotime_ms() - got.seen_ms < 1000);
}

TEST(test_forgets)
{
	struct ctx ctx;
	char h[67];

	memset(&ctx, 0, sizeof(ctx));
	sesscache_flush();
	put("a", 1, 1, 10);
	put("a", 2, 1, 10);
	put("a", 3, 1, 11);
	put("b", 4, 2, 20);
	hash_of(1, h);
	sesscache_forget_session(&ctx, h);
	CHECK(!cached("a", 1) && cached("a", 2));
	put("a", 1, 1, 10);
	sesscache_forget_user(&ctx, 1, 10);
	CHECK(!cached("a", 1) && !cached("a", 2) && cached("a", 3) && cached("b", 4));
	sesscache_forget_tenant(&ctx, 1);
	CHECK(!cached("a", 3) && cached("b", 4));
	/* applied again after the transaction: an entry stored meanwhile goes */
	CHECK_INT(ctx.nforget, 3);
	put("a", 2, 1, 10);
	sesscache_after(&ctx);
	CHECK(!cached("a", 2) && cached("b", 4));
	CHECK_INT(ctx.nforget, 0);
}

TEST(test_a_resolution_older_than_a_forget_is_not_stored)
{
	struct sesscache_entry e = entry(1, 10);
	struct ctx ctx;
	uint64_t gen;
	char h[67];

	memset(&ctx, 0, sizeof(ctx));
	sesscache_flush();
	hash_of(5, h);
	gen = sesscache_generation();       /* read before asking PostgreSQL */
	sesscache_forget_user(&ctx, 1, 10); /* the user changed meanwhile */
	sesscache_put(8, "a", h, &e, gen);
	CHECK(!cached("a", 5));
	sesscache_put(8, "a", h, &e, sesscache_generation());
	CHECK(cached("a", 5));
}

TEST(test_a_full_cache_gives_way)
{
	int kept = 0;

	sesscache_flush();
	for (int i = 100; i < 120; i++)
		put("a", i, 1, i);
	for (int i = 100; i < 120; i++)
		kept += cached("a", i);
	CHECK_INT(kept, 8);      /* bounded by its size */
	CHECK(cached("a", 119)); /* the newest is there */
}

int main(void)
{
	RUN(test_served_until_its_time);
	RUN(test_forgets);
	RUN(test_a_resolution_older_than_a_forget_is_not_stored);
	RUN(test_a_full_cache_gives_way);
	sesscache_free();
	return check_report();
}
