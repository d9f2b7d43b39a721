#include "sesscache.h"

#include "dispatch.h"
#include "monotime.h"
#include "slotmap.h"

#include <pthread.h>
#include <string.h>

#define SESSCACHE_HASH_LEN 66 /* "\\x" + 64 hex digits */

/* Chars only: no padding, so a zeroed key compares as bytes. */
struct sesscache_key {
	char subdomain[64];
	char token_hash[SESSCACHE_HASH_LEN + 1];
};

static pthread_mutex_t sesscache_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slotmap sesscache_map = {
    .name = "session",
    .key_size = sizeof(struct sesscache_key),
    .value_size = sizeof(struct sesscache_entry),
};
static uint64_t sesscache_gen = 1;

/* Fills *k; -1 when the arguments cannot be a key. */
static int sesscache_key(struct sesscache_key *k, const char *subdomain, const char *token_hash)
{
	memset(k, 0, sizeof(*k));
	if (strlen(token_hash) != SESSCACHE_HASH_LEN || strlen(subdomain) >= sizeof(k->subdomain))
		return -1;
	memcpy(k->subdomain, subdomain, strlen(subdomain));
	memcpy(k->token_hash, token_hash, SESSCACHE_HASH_LEN);
	return 0;
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
	struct sesscache_key k;
	int64_t now = monotime_ms();
	int32_t i;
	int rc = -1;

	if (size <= 0 || sesscache_key(&k, subdomain, token_hash) < 0)
		return -1;
	pthread_mutex_lock(&sesscache_lock);
	if ((i = slotmap_find(&sesscache_map, &k)) < 0)
		goto out;
	*out = *(struct sesscache_entry *)slotmap_value(&sesscache_map, i);
	if (now - out->stored_ms >= ttl_s * 1000 || now >= out->expires_ms ||
	    now - out->seen_ms >= idle_s * 1000) {
		/* PostgreSQL is asked again: it knows, and ends what has ended */
		slotmap_drop(&sesscache_map, i);
		goto out;
	}
	slotmap_touch(&sesscache_map, i);
	rc = 0;
out:
	pthread_mutex_unlock(&sesscache_lock);
	return rc;
}

void sesscache_put(long size, const char *subdomain, const char *token_hash,
                   const struct sesscache_entry *e, uint64_t gen)
{
	struct sesscache_key k;
	int32_t i;

	if (size <= 0 || sesscache_key(&k, subdomain, token_hash) < 0)
		return;
	pthread_mutex_lock(&sesscache_lock);
	/* something was forgotten while PostgreSQL answered: what it said may
	 * be from before that change */
	if (gen == sesscache_gen && slotmap_ready(&sesscache_map, size) == 0 &&
	    (i = slotmap_take(&sesscache_map, &k)) >= 0) {
		*(struct sesscache_entry *)slotmap_value(&sesscache_map, i) = *e;
		slotmap_touch(&sesscache_map, i);
	}
	pthread_mutex_unlock(&sesscache_lock);
}

void sesscache_seen(const char *subdomain, const char *token_hash, int64_t seen_ms)
{
	struct sesscache_key k;
	struct sesscache_entry *e;
	int32_t i;

	if (subdomain == NULL || token_hash == NULL || sesscache_key(&k, subdomain, token_hash) < 0)
		return;
	pthread_mutex_lock(&sesscache_lock);
	if ((i = slotmap_find(&sesscache_map, &k)) >= 0) {
		e = slotmap_value(&sesscache_map, i);
		if (e->seen_ms < seen_ms)
			e->seen_ms = seen_ms;
	}
	pthread_mutex_unlock(&sesscache_lock);
}

/* Drops the entries matching: a token's hash (any subdomain), or a tenant's
 * (user_id 0) or a user's; everything when all. Moves the generation. */
static void sesscache_forget(const char *token_hash, int64_t tenant_id, int64_t user_id, int all)
{
	pthread_mutex_lock(&sesscache_lock);
	sesscache_gen++;
	for (int32_t i = 0; i < sesscache_map.size; i++) {
		const struct sesscache_key *k = slotmap_key(&sesscache_map, i);
		const struct sesscache_entry *e = slotmap_value(&sesscache_map, i);

		if (!slotmap_used(&sesscache_map, i))
			continue;
		if (all || (token_hash && strcmp(k->token_hash, token_hash) == 0) ||
		    (!token_hash && e->tenant_id == tenant_id &&
		     (user_id == 0 || e->user_id == user_id)))
			slotmap_drop(&sesscache_map, i);
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
	slotmap_free(&sesscache_map);
	pthread_mutex_unlock(&sesscache_lock);
}
