/* The payslip cache's own rules (core/paycache.h): an answer is served to
 * its key only, until its TTL or a write of its tenant (or one without a
 * known tenant); an answer computed before a write is not stored; a full
 * cache gives way to new entries. */
#include "buf.h"
#include "check.h"
#include "paycache.h"

#include <stdio.h>
#include <string.h>

/* The cached text of the key, "" when none. */
static const char *cached(long ttl_s, int64_t tenant, int64_t employee, int month)
{
	static char out[64];
	struct buf b = BUF_INIT;

	out[0] = '\0';
	if (paycache_get(8, ttl_s, tenant, employee, month, &b) == 0)
		snprintf(out, sizeof(out), "%s", b.data);
	buf_free(&b);
	return out;
}

static void put(int64_t tenant, int64_t employee, int month, const char *text)
{
	struct paycache_gen gen;

	paycache_generation(tenant, &gen);
	paycache_put(8, tenant, employee, month, text, strlen(text), &gen);
}

TEST(test_served_to_its_key_only)
{
	struct buf b = BUF_INIT;

	paycache_flush();
	put(1, 10, 202503, "{\"net\":\"1.00\"}");
	put(1, 11, 202503, "{\"net\":\"2.00\"}");
	CHECK_STR(cached(5, 1, 10, 202503), "{\"net\":\"1.00\"}");
	CHECK_STR(cached(5, 1, 11, 202503), "{\"net\":\"2.00\"}"); /* another employee's own */
	CHECK_STR(cached(5, 1, 10, 202504), "");                   /* another month */
	CHECK_STR(cached(5, 2, 10, 202503), "");                   /* another tenant */
	CHECK(paycache_get(0, 5, 1, 10, 202503, &b) < 0);          /* size 0: no cache */
	CHECK_INT(b.len, 0);
	buf_free(&b);
}

TEST(test_a_write_of_the_tenant_drops_its_answers)
{
	paycache_flush();
	put(1, 10, 202503, "a");
	put(2, 20, 202503, "b");
	paycache_written(1);
	CHECK_STR(cached(5, 1, 10, 202503), "");
	CHECK_STR(cached(5, 2, 20, 202503), "b"); /* another tenant's stays */
	put(1, 10, 202503, "a2");
	CHECK_STR(cached(5, 1, 10, 202503), "a2");
	/* a write without a known tenant (a background task): every tenant's */
	paycache_written(0);
	CHECK_STR(cached(5, 1, 10, 202503), "");
	CHECK_STR(cached(5, 2, 20, 202503), "");
	/* tenants sharing a stripe drop each other's: more often, never less */
	put(1, 10, 202503, "a3");
	paycache_written(1 + PAYCACHE_STRIPES);
	CHECK_STR(cached(5, 1, 10, 202503), "");
}

TEST(test_an_answer_older_than_a_write_is_not_stored)
{
	struct paycache_gen gen;

	paycache_flush();
	paycache_generation(1, &gen); /* read before asking PostgreSQL */
	paycache_written(1);          /* a payment committed meanwhile */
	paycache_put(8, 1, 10, 202503, "old", 3, &gen);
	CHECK_STR(cached(5, 1, 10, 202503), "");
	paycache_generation(1, &gen);
	paycache_written(0); /* the same with a background task's write */
	paycache_put(8, 1, 10, 202503, "old", 3, &gen);
	CHECK_STR(cached(5, 1, 10, 202503), "");
	paycache_generation(1, &gen);
	paycache_put(8, 1, 10, 202503, "new", 3, &gen);
	CHECK_STR(cached(5, 1, 10, 202503), "new");
}

TEST(test_ttl)
{
	paycache_flush();
	put(1, 10, 202503, "a");
	CHECK_STR(cached(1, 1, 10, 202503), "a");
	CHECK_STR(cached(0, 1, 10, 202503), ""); /* past its TTL: asked again, and dropped */
	CHECK_STR(cached(1, 1, 10, 202503), "");
}

TEST(test_too_large_or_empty_is_not_kept)
{
	static char big[PAYCACHE_MAX_TEXT + 2];
	struct paycache_gen gen;

	paycache_flush();
	memset(big, 'x', sizeof(big) - 1);
	paycache_generation(1, &gen);
	paycache_put(8, 1, 10, 202503, big, sizeof(big) - 1, &gen);
	CHECK_STR(cached(5, 1, 10, 202503), "");
	paycache_put(8, 1, 10, 202503, "", 0, &gen);
	CHECK_STR(cached(5, 1, 10, 202503), "");
}

TEST(test_a_full_cache_gives_way)
{
	int kept = 0;
	char text[16];

	paycache_flush();
	for (int i = 100; i < 120; i++) {
		snprintf(text, sizeof(text), "%d", i);
		put(1, i, 202503, text);
	}
	for (int i = 100; i < 120; i++)
		kept += cached(5, 1, i, 202503)[0] != '\0';
	CHECK_INT(kept, 8);                          /* bounded by its size */
	CHECK_STR(cached(5, 1, 119, 202503), "119"); /* the newest is there */
	/* a key stored again replaces its answer, it does not take two slots */
	put(1, 119, 202503, "119b");
	CHECK_STR(cached(5, 1, 119, 202503), "119b");
	kept = 0;
	for (int i = 100; i < 120; i++)
		kept += cached(5, 1, i, 202503)[0] != '\0';
	CHECK_INT(kept, 8);
}

int main(void)
{
	RUN(test_served_to_its_key_only);
	RUN(test_a_write_of_the_tenant_drops_its_answers);
	RUN(test_an_answer_older_than_a_write_is_not_stored);
	RUN(test_ttl);
	RUN(test_too_large_or_empty_is_not_kept);
	RUN(test_a_full_cache_gives_way);
	paycache_free();
	return check_report();
}
