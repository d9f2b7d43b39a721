/* The slot map under the caches (core/slotmap.h): keys found by their bytes,
 * values zeroed when taken, a full map giving the slot not used since the
 * clock hand passed, and every value released exactly once. */
#include "check.h"
#include "slotmap.h"

#include <stdint.h>

struct key {
	int64_t a, b;
};

static int released;

static void release(void *value)
{
	if (*(int *)value)
		released++;
}

static struct slotmap map = {
    .name = "test", .key_size = sizeof(struct key), .value_size = sizeof(int), .release = release};

static int32_t take(int64_t a, int value)
{
	struct key k = {a, -a};
	int32_t i = slotmap_take(&map, &k);

	if (i >= 0 && value)
		*(int *)slotmap_value(&map, i) = value;
	return i;
}

static int value_of(int64_t a)
{
	struct key k = {a, -a};
	int32_t i = slotmap_find(&map, &k);

	return i < 0 ? -1 : *(int *)slotmap_value(&map, i);
}

TEST(test_not_ready_finds_nothing)
{
	struct key k = {1, -1};

	CHECK_INT(slotmap_find(&map, &k), -1);
	CHECK_INT(slotmap_take(&map, &k), -1);
	CHECK(slotmap_ready(&map, 0) < 0);
}

TEST(test_keys_values_and_drop)
{
	CHECK_INT(slotmap_ready(&map, 4), 0);
	take(1, 11);
	take(2, 22);
	CHECK_INT(value_of(1), 11);
	CHECK_INT(value_of(2), 22);
	CHECK_INT(value_of(3), -1);
	/* the same key's slot again, its value kept for the caller */
	CHECK_INT(*(int *)slotmap_value(&map, take(1, 0)), 11);
	slotmap_drop(&map, slotmap_find(&map, &(struct key){1, -1}));
	CHECK_INT(released, 1);
	CHECK_INT(value_of(1), -1);
	CHECK_INT(value_of(2), 22);
	/* a key taken anew starts from a zeroed value */
	CHECK_INT(*(int *)slotmap_value(&map, take(1, 0)), 0);
	slotmap_clear(&map);
	CHECK_INT(released, 2);
	CHECK_INT(value_of(2), -1);
}

TEST(test_a_full_map_evicts_what_was_not_used)
{
	released = 0;
	for (int a = 1; a <= 4; a++)
		take(a, a * 10);
	/* the hand passes all four (each used once), clears their marks, and
	 * takes the first on its second round */
	take(5, 50);
	CHECK_INT(released, 1);
	CHECK_INT(value_of(1), -1);
	/* 2 used again since: spared; 3 is the next victim */
	slotmap_touch(&map, slotmap_find(&map, &(struct key){2, -2}));
	take(6, 60);
	CHECK_INT(value_of(2), 20);
	CHECK_INT(value_of(3), -1);
	CHECK_INT(value_of(5), 50);
	CHECK_INT(value_of(6), 60);
	CHECK_INT(released, 2);
	slotmap_free(&map);
	CHECK_INT(released, 2 + 4);
	CHECK_INT(value_of(6), -1);
	/* ready again after free */
	CHECK_INT(slotmap_ready(&map, 2), 0);
	take(7, 70);
	CHECK_INT(value_of(7), 70);
	slotmap_free(&map);
}

TEST(test_many_keys_in_few_buckets)
{
	CHECK_INT(slotmap_ready(&map, 300), 0);
	for (int a = 1; a <= 300; a++)
		take(a, a);
	for (int a = 1; a <= 300; a++)
		CHECK_INT(value_of(a), a);
	slotmap_free(&map);
}

int main(void)
{
	RUN(test_not_ready_finds_nothing);
	RUN(test_keys_values_and_drop);
	RUN(test_a_full_map_evicts_what_was_not_used);
	RUN(test_many_keys_in_few_buckets);
	return check_report();
}
