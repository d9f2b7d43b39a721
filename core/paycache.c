#include "paycache.h"

#include "buf.h"
#include "monotime.h"
#include "slotmap.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

struct paycache_key {
	int64_t tenant_id, employee_id;
	int64_t month;
};

struct paycache_value {
	struct paycache_gen gen;
	int64_t stored_ms; /* monotonic */
	char *text;        /* malloc'd */
	size_t len;
};

static void paycache_release(void *value)
{
	free(((struct paycache_value *)value)->text);
}

static pthread_mutex_t paycache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slotmap paycache_map = {
    .name = "payslip",
    .key_size = sizeof(struct paycache_key),
    .value_size = sizeof(struct paycache_value),
    .release = paycache_release,
};
static uint64_t paycache_global = 1;
static uint64_t paycache_stripes[PAYCACHE_STRIPES];

static size_t paycache_stripe(int64_t tenant_id)
{
	return (size_t)((uint64_t)tenant_id % PAYCACHE_STRIPES);
}

static struct paycache_key paycache_key(int64_t tenant_id, int64_t employee_id, int month)
{
	struct paycache_key k;

	memset(&k, 0, sizeof(k));
	k.tenant_id = tenant_id;
	k.employee_id = employee_id;
	k.month = month;
	return k;
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
	struct paycache_key k = paycache_key(tenant_id, employee_id, month);
	int64_t now = monotime_ms();
	struct paycache_value *v;
	int32_t i;
	int rc = -1;

	if (size <= 0)
		return -1;
	pthread_mutex_lock(&paycache_lock);
	if ((i = slotmap_find(&paycache_map, &k)) < 0)
		goto out;
	v = slotmap_value(&paycache_map, i);
	if (!paycache_current(tenant_id, &v->gen) || now - v->stored_ms >= ttl_s * 1000) {
		slotmap_drop(&paycache_map, i);
		goto out;
	}
	buf_append(out, v->text, v->len);
	slotmap_touch(&paycache_map, i);
	rc = 0;
out:
	pthread_mutex_unlock(&paycache_lock);
	return rc;
}

void paycache_put(long size, int64_t tenant_id, int64_t employee_id, int month, const char *text,
                  size_t len, const struct paycache_gen *gen)
{
	struct paycache_key k = paycache_key(tenant_id, employee_id, month);
	struct paycache_value *v;
	char *copy;
	int32_t i;

	if (size <= 0 || len == 0 || len > PAYCACHE_MAX_TEXT || (copy = malloc(len)) == NULL)
		return;
	memcpy(copy, text, len);
	pthread_mutex_lock(&paycache_lock);
	/* a write moved a generation while PostgreSQL answered: the answer may
	 * be from before it */
	if (!paycache_current(tenant_id, gen) || slotmap_ready(&paycache_map, size) < 0 ||
	    (i = slotmap_take(&paycache_map, &k)) < 0)
		goto out;
	v = slotmap_value(&paycache_map, i);
	free(v->text); /* the key's earlier answer, if it had one */
	v->gen = *gen;
	v->stored_ms = monotime_ms();
	v->text = copy;
	v->len = len;
	slotmap_touch(&paycache_map, i);
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
	slotmap_clear(&paycache_map);
	pthread_mutex_unlock(&paycache_lock);
}

void paycache_free(void)
{
	pthread_mutex_lock(&paycache_lock);
	slotmap_free(&paycache_map);
	pthread_mutex_unlock(&paycache_lock);
}
