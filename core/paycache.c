#include "paycache.h"

#include "buf.h"
#include "log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct paycache_slot {
	int64_t tenant_id, employee_id;
	int month;
	int used;
	int ref;      /* used since the clock hand passed */
	int32_t next; /* the bucket's next slot, -1: none */
	struct paycache_gen gen;
	int64_t stored_ms; /* monotonic */
	char *text;        /* malloc'd */
	size_t len;
};

static pthread_mutex_t paycache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct paycache_slot *paycache_slots;
static int32_t *paycache_buckets;
static long paycache_size; /* slots; 0 until the first put */
static long paycache_nbuckets;
static long paycache_hand;
static int paycache_failed; /* the memory could not be had: no cache */
static uint64_t paycache_global = 1;
static uint64_t paycache_stripes[PAYCACHE_STRIPES];

static int64_t paycache_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static size_t paycache_stripe(int64_t tenant_id)
{
	return (size_t)((uint64_t)tenant_id % PAYCACHE_STRIPES);
}

static uint64_t paycache_key(int64_t tenant_id, int64_t employee_id, int month)
{
	uint64_t h = 1469598103934665603ULL;
	uint64_t parts[3] = {(uint64_t)tenant_id, (uint64_t)employee_id, (uint64_t)month};

	for (int i = 0; i < 3; i++)
		for (int b = 0; b < 8; b++)
			h = (h ^ ((parts[i] >> (8 * b)) & 0xff)) * 1099511628211ULL;
	return h;
}

/* Allocates the table on first use (under the lock); 0 when there is one. */
static int paycache_ready(long size)
{
	if (paycache_slots)
		return 0;
	if (size <= 0 || paycache_failed)
		return -1;
	paycache_nbuckets = 1;
	while (paycache_nbuckets < size)
		paycache_nbuckets <<= 1;
	paycache_slots = calloc((size_t)size, sizeof(*paycache_slots));
	paycache_buckets = malloc((size_t)paycache_nbuckets * sizeof(*paycache_buckets));
	if (paycache_slots == NULL || paycache_buckets == NULL) {
		free(paycache_slots);
		free(paycache_buckets);
		paycache_slots = NULL;
		paycache_buckets = NULL;
		paycache_failed = 1;
		log_error("payslip_cache_unavailable", "size=%ld", size);
		return -1;
	}
	for (long i = 0; i < paycache_nbuckets; i++)
		paycache_buckets[i] = -1;
	paycache_size = size;
	return 0;
}

static int32_t *paycache_bucket(int64_t tenant_id, int64_t employee_id, int month)
{
	uint64_t h = paycache_key(tenant_id, employee_id, month);

	return &paycache_buckets[h & (uint64_t)(paycache_nbuckets - 1)];
}

static int32_t paycache_find(int64_t tenant_id, int64_t employee_id, int month)
{
	int32_t i = *paycache_bucket(tenant_id, employee_id, month);

	for (; i >= 0; i = paycache_slots[i].next)
		if (paycache_slots[i].tenant_id == tenant_id &&
		    paycache_slots[i].employee_id == employee_id &&
		    paycache_slots[i].month == month)
			return i;
	return -1;
}

/* Takes slot i out of its bucket and frees it. */
static void paycache_drop(int32_t i)
{
	struct paycache_slot *s = &paycache_slots[i];
	int32_t *link = paycache_bucket(s->tenant_id, s->employee_id, s->month);

	while (*link >= 0 && *link != i)
		link = &paycache_slots[*link].next;
	if (*link == i)
		*link = s->next;
	free(s->text);
	memset(s, 0, sizeof(*s));
	s->next = -1;
}

/* A free slot: an unused one, else the first the clock hand finds not used
 * since it last passed. */
static int32_t paycache_victim(void)
{
	for (long n = 0; n < 2 * paycache_size + 1; n++) {
		int32_t i = (int32_t)paycache_hand;
		paycache_hand = (paycache_hand + 1) % paycache_size;
		if (!paycache_slots[i].used)
			return i;
		if (paycache_slots[i].ref) {
			paycache_slots[i].ref = 0;
			continue;
		}
		paycache_drop(i);
		return i;
	}
	return -1; /* cannot happen: the second round finds a cleared ref */
}

/* 1 when no write has moved a generation of tenant_id since gen. */
static int paycache_current(int64_t tenant_id, const struct paycache_gen *gen)
{
	return gen->global == paycache_global &&
	       gen->tenant == paycache_stripes[paycache_stripe(tenant_id)];
}

void paycache_generation(int64_t tenant_id, struct paycache_gen *out)
{
	pthread_mutex_lock(&paycache_lock);
	out->global = paycache_global;
	out->tenant = paycache_stripes[paycache_stripe(tenant_id)];
	pthread_mutex_unlock(&paycache_lock);
}

int paycache_get(long size, long ttl_s, int64_t tenant_id, int64_t employee_id, int month,
                 struct buf *out)
{
	int64_t now = paycache_now_ms();
	int32_t i;
	int rc = -1;

	if (size <= 0)
		return -1;
	pthread_mutex_lock(&paycache_lock);
	if (paycache_slots == NULL || (i = paycache_find(tenant_id, employee_id, month)) < 0)
		goto out;
	if (!paycache_current(tenant_id, &paycache_slots[i].gen) ||
	    now - paycache_slots[i].stored_ms >= ttl_s * 1000) {
		paycache_drop(i);
		goto out;
	}
	buf_append(out, paycache_slots[i].text, paycache_slots[i].len);
	paycache_slots[i].ref = 1;
	rc = 0;
out:
	pthread_mutex_unlock(&paycache_lock);
	return rc;
}

void paycache_put(long size, int64_t tenant_id, int64_t employee_id, int month, const char *text,
                  size_t len, const struct paycache_gen *gen)
{
	struct paycache_slot *s;
	char *copy;
	int32_t i, *bucket;

	if (size <= 0 || len == 0 || len > PAYCACHE_MAX_TEXT || (copy = malloc(len)) == NULL)
		return;
	memcpy(copy, text, len);
	pthread_mutex_lock(&paycache_lock);
	/* a write moved a generation while PostgreSQL answered: the answer may
	 * be from before it */
	if (!paycache_current(tenant_id, gen) || paycache_ready(size) < 0)
		goto out;
	if ((i = paycache_find(tenant_id, employee_id, month)) >= 0) {
		/* the key's slot takes the new answer */
		s = &paycache_slots[i];
		free(s->text);
	} else {
		if ((i = paycache_victim()) < 0)
			goto out;
		s = &paycache_slots[i];
		s->tenant_id = tenant_id;
		s->employee_id = employee_id;
		s->month = month;
		s->used = 1;
		bucket = paycache_bucket(tenant_id, employee_id, month);
		s->next = *bucket;
		*bucket = i;
	}
	s->gen = *gen;
	s->stored_ms = paycache_now_ms();
	s->text = copy;
	s->len = len;
	s->ref = 1;
	copy = NULL;
out:
	pthread_mutex_unlock(&paycache_lock);
	free(copy);
}

void paycache_written(int64_t tenant_id)
{
	pthread_mutex_lock(&paycache_lock);
	if (tenant_id > 0)
		paycache_stripes[paycache_stripe(tenant_id)]++;
	else
		paycache_global++;
	pthread_mutex_unlock(&paycache_lock);
}

void paycache_flush(void)
{
	pthread_mutex_lock(&paycache_lock);
	paycache_global++;
	for (long i = 0; paycache_slots && i < paycache_size; i++)
		if (paycache_slots[i].used)
			paycache_drop((int32_t)i);
	pthread_mutex_unlock(&paycache_lock);
}

void paycache_free(void)
{
	pthread_mutex_lock(&paycache_lock);
	for (long i = 0; paycache_slots && i < paycache_size; i++)
		free(paycache_slots[i].text);
	free(paycache_slots);
	free(paycache_buckets);
	paycache_slots = NULL;
	paycache_buckets = NULL;
	paycache_size = 0;
	pthread_mutex_unlock(&paycache_lock);
}
