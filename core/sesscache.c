#include "sesscache.h"

#include "dispatch.h"
#include "log.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SESSCACHE_HASH_LEN 66 /* "\\x" + 64 hex digits */

struct sesscache_slot {
	char subdomain[64];
	char token_hash[SESSCACHE_HASH_LEN + 1];
	struct sesscache_entry e;
	int32_t next; /* the bucket's next slot, -1: none */
	int used;
	int ref; /* used since the clock hand passed */
};

static pthread_mutex_t sesscache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct sesscache_slot *sesscache_slots;
static int32_t *sesscache_buckets;
static long sesscache_size; /* slots; 0 until the first put */
static long sesscache_nbuckets;
static long sesscache_hand;
static uint64_t sesscache_gen = 1;
static int sesscache_failed; /* the memory could not be had: no cache */

int64_t sesscache_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* FNV-1a of the subdomain and the hash. */
static uint64_t sesscache_key(const char *subdomain, const char *token_hash)
{
	uint64_t h = 1469598103934665603ULL;

	for (const char *s = subdomain; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h = (h ^ 0xff) * 1099511628211ULL;
	for (const char *s = token_hash; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Allocates the table on first use (under the lock); 0 when there is one. */
static int sesscache_ready(long size)
{
	if (sesscache_slots)
		return 0;
	if (size <= 0 || sesscache_failed)
		return -1;
	sesscache_nbuckets = 1;
	while (sesscache_nbuckets < size)
		sesscache_nbuckets <<= 1;
	sesscache_slots = calloc((size_t)size, sizeof(*sesscache_slots));
	sesscache_buckets = malloc((size_t)sesscache_nbuckets * sizeof(*sesscache_buckets));
	if (sesscache_slots == NULL || sesscache_buckets == NULL) {
		free(sesscache_slots);
		free(sesscache_buckets);
		sesscache_slots = NULL;
		sesscache_buckets = NULL;
		sesscache_failed = 1;
		log_error("session_cache_unavailable", "size=%ld", size);
		return -1;
	}
	for (long i = 0; i < sesscache_nbuckets; i++)
		sesscache_buckets[i] = -1;
	sesscache_size = size;
	return 0;
}

static int32_t sesscache_find(const char *subdomain, const char *token_hash)
{
	uint64_t h = sesscache_key(subdomain, token_hash);
	int32_t i = sesscache_buckets[h & (uint64_t)(sesscache_nbuckets - 1)];

	for (; i >= 0; i = sesscache_slots[i].next)
		if (strcmp(sesscache_slots[i].token_hash, token_hash) == 0 &&
		    strcmp(sesscache_slots[i].subdomain, subdomain) == 0)
			return i;
	return -1;
}

/* Takes slot i out of its bucket and frees it. */
static void sesscache_drop(int32_t i)
{
	struct sesscache_slot *s = &sesscache_slots[i];
	uint64_t h = sesscache_key(s->subdomain, s->token_hash);
	int32_t *link = &sesscache_buckets[h & (uint64_t)(sesscache_nbuckets - 1)];

	while (*link >= 0 && *link != i)
		link = &sesscache_slots[*link].next;
	if (*link == i)
		*link = s->next;
	memset(s, 0, sizeof(*s));
	s->next = -1;
}

/* A free slot: an unused one, else the first the clock hand finds not
 * used since it last passed. */
static int32_t sesscache_victim(void)
{
	for (long n = 0; n < 2 * sesscache_size + 1; n++) {
		int32_t i = (int32_t)sesscache_hand;
		sesscache_hand = (sesscache_hand + 1) % sesscache_size;
		if (!sesscache_slots[i].used)
			return i;
		if (sesscache_slots[i].ref) {
			sesscache_slots[i].ref = 0;
			continue;
		}
		sesscache_drop(i);
		return i;
	}
	return -1; /* cannot happen: the second round finds a cleared ref */
}

uint64_t sesscache_generation(void)
{
	uint64_t g;

	pthread_mutex_lock(&sesscache_lock);
	g = sesscache_gen;
	pthread_mutex_unlock(&sesscache_lock);
	return g;
}

int sesscache_get(long size, const char *subdomain, const char *token_hash, long ttl_s, long idle_s,
                  struct sesscache_entry *out)
{
	int64_t now = sesscache_now_ms();
	int32_t i;
	int rc = -1;

	if (size <= 0 || strlen(token_hash) != SESSCACHE_HASH_LEN)
		return -1;
	pthread_mutex_lock(&sesscache_lock);
	if (sesscache_slots == NULL || (i = sesscache_find(subdomain, token_hash)) < 0)
		goto out;
	*out = sesscache_slots[i].e;
	if (now - out->stored_ms >= ttl_s * 1000 || now >= out->expires_ms ||
	    now - out->seen_ms >= idle_s * 1000) {
		/* PostgreSQL is asked again: it knows, and ends what has ended */
		sesscache_drop(i);
		goto out;
	}
	sesscache_slots[i].ref = 1;
	rc = 0;
out:
	pthread_mutex_unlock(&sesscache_lock);
	return rc;
}

void sesscache_put(long size, const char *subdomain, const char *token_hash,
                   const struct sesscache_entry *e, uint64_t gen)
{
	struct sesscache_slot *s;
	int32_t i;
	uint64_t h;

	if (size <= 0 || strlen(token_hash) != SESSCACHE_HASH_LEN ||
	    strlen(subdomain) >= sizeof(s->subdomain))
		return;
	pthread_mutex_lock(&sesscache_lock);
	/* something was forgotten while PostgreSQL answered: what it said may
	 * be from before that change */
	if (gen != sesscache_gen || sesscache_ready(size) < 0)
		goto out;
	if ((i = sesscache_find(subdomain, token_hash)) >= 0) {
		sesscache_slots[i].e = *e;
		sesscache_slots[i].ref = 1;
		goto out;
	}
	if ((i = sesscache_victim()) < 0)
		goto out;
	s = &sesscache_slots[i];
	memcpy(s->subdomain, subdomain, strlen(subdomain) + 1);
	memcpy(s->token_hash, token_hash, SESSCACHE_HASH_LEN + 1);
	s->e = *e;
	s->used = 1;
	s->ref = 1;
	h = sesscache_key(subdomain, token_hash);
	s->next = sesscache_buckets[h & (uint64_t)(sesscache_nbuckets - 1)];
	sesscache_buckets[h & (uint64_t)(sesscache_nbuckets - 1)] = i;
out:
	pthread_mutex_unlock(&sesscache_lock);
}

void sesscache_seen(const char *subdomain, const char *token_hash, int64_t seen_ms)
{
	int32_t i;

	if (subdomain == NULL || token_hash == NULL)
		return;
	pthread_mutex_lock(&sesscache_lock);
	if (sesscache_slots && (i = sesscache_find(subdomain, token_hash)) >= 0 &&
	    sesscache_slots[i].e.seen_ms < seen_ms)
		sesscache_slots[i].e.seen_ms = seen_ms;
	pthread_mutex_unlock(&sesscache_lock);
}

/* Drops the entries matching: a token's hash (any subdomain), or a tenant's
 * (user_id 0) or a user's; everything when all. Moves the generation. */
static void sesscache_forget(const char *token_hash, int64_t tenant_id, int64_t user_id, int all)
{
	pthread_mutex_lock(&sesscache_lock);
	sesscache_gen++;
	for (long i = 0; sesscache_slots && i < sesscache_size; i++) {
		struct sesscache_slot *s = &sesscache_slots[i];
		if (!s->used)
			continue;
		if (all || (token_hash && strcmp(s->token_hash, token_hash) == 0) ||
		    (!token_hash && s->e.tenant_id == tenant_id &&
		     (user_id == 0 || s->e.user_id == user_id)))
			sesscache_drop((int32_t)i);
	}
	pthread_mutex_unlock(&sesscache_lock);
}

/* Notes a forget to apply again after ctx's transaction. */
static void sesscache_note(struct ctx *ctx, const char *token_hash, int64_t tenant_id,
                           int64_t user_id)
{
	struct ctx_forget *f;

	if (ctx->nforget >= CTX_FORGETS) {
		ctx->forget_all = 1;
		return;
	}
	f = &ctx->forget[ctx->nforget++];
	memset(f, 0, sizeof(*f));
	f->tenant_id = tenant_id;
	f->user_id = user_id;
	if (token_hash && strlen(token_hash) == SESSCACHE_HASH_LEN)
		memcpy(f->token_hash, token_hash, SESSCACHE_HASH_LEN + 1);
	else if (token_hash)
		ctx->forget_all = 1;
}

void sesscache_forget_session(struct ctx *ctx, const char *token_hash)
{
	if (token_hash == NULL)
		return;
	sesscache_forget(token_hash, 0, 0, 0);
	sesscache_note(ctx, token_hash, 0, 0);
}

void sesscache_forget_user(struct ctx *ctx, int64_t tenant_id, int64_t user_id)
{
	sesscache_forget(NULL, tenant_id, user_id, 0);
	sesscache_note(ctx, NULL, tenant_id, user_id);
}

void sesscache_forget_tenant(struct ctx *ctx, int64_t tenant_id)
{
	sesscache_forget_user(ctx, tenant_id, 0);
}

void sesscache_after(struct ctx *ctx)
{
	if (ctx->forget_all)
		sesscache_forget(NULL, 0, 0, 1);
	else
		for (int i = 0; i < ctx->nforget; i++)
			sesscache_forget(ctx->forget[i].token_hash[0] ? ctx->forget[i].token_hash
			                                              : NULL,
			                 ctx->forget[i].tenant_id, ctx->forget[i].user_id, 0);
	ctx->nforget = 0;
	ctx->forget_all = 0;
}

void sesscache_flush(void)
{
	sesscache_forget(NULL, 0, 0, 1);
}

void sesscache_free(void)
{
	pthread_mutex_lock(&sesscache_lock);
	free(sesscache_slots);
	free(sesscache_buckets);
	sesscache_slots = NULL;
	sesscache_buckets = NULL;
	sesscache_size = 0;
	pthread_mutex_unlock(&sesscache_lock);
}
