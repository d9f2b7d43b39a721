#include "slotmap.h"

#include "log.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a of the key's bytes. */
static uint64_t slotmap_hash(const struct slotmap *m, const void *key)
{
	const unsigned char *p = key;
	uint64_t h = 1469598103934665603ULL;

	for (size_t i = 0; i < m->key_size; i++)
		h = (h ^ p[i]) * 1099511628211ULL;
	return h;
}

static int32_t *slotmap_bucket(const struct slotmap *m, const void *key)
{
	return &m->buckets[slotmap_hash(m, key) & (uint64_t)(m->nbuckets - 1)];
}

const void *slotmap_key(const struct slotmap *m, int32_t i)
{
	return m->keys + (size_t)i * m->key_size;
}

void *slotmap_value(const struct slotmap *m, int32_t i)
{
	return m->values + (size_t)i * m->value_size;
}

int slotmap_used(const struct slotmap *m, int32_t i)
{
	return m->used != NULL && m->used[i];
}

int slotmap_ready(struct slotmap *m, long size)
{
	if (m->keys)
		return 0;
	if (size <= 0 || m->failed)
		return -1;
	m->nbuckets = 1;
	while (m->nbuckets < size)
		m->nbuckets <<= 1;
	m->keys = calloc((size_t)size, m->key_size);
	m->values = calloc((size_t)size, m->value_size);
	m->next = malloc((size_t)size * sizeof(*m->next));
	m->used = calloc((size_t)size, 1);
	m->ref = calloc((size_t)size, 1);
	m->buckets = malloc((size_t)m->nbuckets * sizeof(*m->buckets));
	if (!m->keys || !m->values || !m->next || !m->used || !m->ref || !m->buckets) {
		m->size = 0;
		slotmap_free(m);
		m->failed = 1;
		log_error("cache_unavailable", "cache=%s size=%ld", m->name, size);
		return -1;
	}
	for (long i = 0; i < m->nbuckets; i++)
		m->buckets[i] = -1;
	for (long i = 0; i < size; i++)
		m->next[i] = -1;
	m->size = size;
	m->hand = 0;
	return 0;
}

int32_t slotmap_find(const struct slotmap *m, const void *key)
{
	if (m->keys == NULL)
		return -1;
	for (int32_t i = *slotmap_bucket(m, key); i >= 0; i = m->next[i])
		if (memcmp(slotmap_key(m, i), key, m->key_size) == 0)
			return i;
	return -1;
}

void slotmap_drop(struct slotmap *m, int32_t i)
{
	int32_t *link = slotmap_bucket(m, slotmap_key(m, i));

	while (*link >= 0 && *link != i)
		link = &m->next[*link];
	if (*link == i)
		*link = m->next[i];
	if (m->release)
		m->release(slotmap_value(m, i));
	memset(slotmap_value(m, i), 0, m->value_size);
	memset(m->keys + (size_t)i * m->key_size, 0, m->key_size);
	m->next[i] = -1;
	m->used[i] = 0;
	m->ref[i] = 0;
}

/* A free slot: an unused one, else the first the clock hand finds not used
 * since it last passed (dropped). */
static int32_t slotmap_victim(struct slotmap *m)
{
	for (long n = 0; n < 2 * m->size + 1; n++) {
		int32_t i = (int32_t)m->hand;

		m->hand = (m->hand + 1) % m->size;
		if (!m->used[i])
			return i;
		if (m->ref[i]) {
			m->ref[i] = 0;
			continue;
		}
		slotmap_drop(m, i);
		return i;
	}
	return -1; /* cannot happen: the second round finds a cleared ref */
}

int32_t slotmap_take(struct slotmap *m, const void *key)
{
	int32_t i, *bucket;

	if (m->keys == NULL)
		return -1;
	if ((i = slotmap_find(m, key)) >= 0)
		return i;
	if ((i = slotmap_victim(m)) < 0)
		return -1;
	memcpy(m->keys + (size_t)i * m->key_size, key, m->key_size);
	bucket = slotmap_bucket(m, key);
	m->next[i] = *bucket;
	*bucket = i;
	m->used[i] = 1;
	m->ref[i] = 1;
	return i;
}

void slotmap_touch(struct slotmap *m, int32_t i)
{
	m->ref[i] = 1;
}

void slotmap_clear(struct slotmap *m)
{
	for (long i = 0; m->keys && i < m->size; i++)
		if (m->used[i])
			slotmap_drop(m, (int32_t)i);
}

void slotmap_free(struct slotmap *m)
{
	slotmap_clear(m);
	free(m->keys);
	free(m->values);
	free(m->next);
	free(m->used);
	free(m->ref);
	free(m->buckets);
	m->keys = m->values = m->used = m->ref = NULL;
	m->next = m->buckets = NULL;
	m->size = 0;
}
