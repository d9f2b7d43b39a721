#include "arena.h"

#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_CHUNK 8192
#define ARENA_ALIGN 16

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	size_t cap;
	_Alignas(ARENA_ALIGN) unsigned char data[];
};

struct arena_defer {
	struct arena_defer *next;
	void (*fn)(void *);
	void *ptr;
};

struct arena {
	struct arena_chunk *cur;  /* small allocations come from here */
	struct arena_chunk *full; /* retired and oversized chunks, freed on reset */
	struct arena_defer *deferred;
};

static struct arena_chunk *arena_chunk_new(size_t cap)
{
	struct arena_chunk *c = malloc(sizeof(*c) + cap);

	if (c == NULL)
		abort();
	c->next = NULL;
	c->used = 0;
	c->cap = cap;
	return c;
}

struct arena *arena_new(void)
{
	struct arena *a = calloc(1, sizeof(*a));

	if (a == NULL)
		abort();
	a->cur = arena_chunk_new(ARENA_CHUNK);
	return a;
}

void *arena_alloc(struct arena *a, size_t size)
{
	struct arena_chunk *c = a->cur;
	size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
	void *p;

	if (need < size)
		abort();
	if (c->cap - c->used < need) {
		if (need > ARENA_CHUNK / 2) {
			/* a big block gets a chunk of its own */
			struct arena_chunk *big = arena_chunk_new(need);
			big->used = need;
			big->next = a->full;
			a->full = big;
			memset(big->data, 0, need);
			return big->data;
		}
		c->next = a->full;
		a->full = c;
		c = a->cur = arena_chunk_new(ARENA_CHUNK);
	}
	p = c->data + c->used;
	c->used += need;
	memset(p, 0, need);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char *p;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return arena_strdup(a, "");
	p = arena_alloc(a, (size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_defer(struct arena *a, void (*fn)(void *), void *ptr)
{
	struct arena_defer *d = arena_alloc(a, sizeof(*d));

	d->fn = fn;
	d->ptr = ptr;
	d->next = a->deferred;
	a->deferred = d;
}

static void arena_json_put(void *obj)
{
	json_object_put(obj);
}

json_object *arena_own(struct arena *a, json_object *obj)
{
	if (obj)
		arena_defer(a, arena_json_put, obj);
	return obj;
}

void arena_reset(struct arena *a)
{
	struct arena_chunk *c, *next;

	/* the list lives in arena memory: detach it before running it */
	struct arena_defer *d = a->deferred;
	a->deferred = NULL;
	for (; d; d = d->next)
		d->fn(d->ptr);
	for (c = a->full; c; c = next) {
		next = c->next;
		OPENSSL_cleanse(c->data, c->used);
		free(c);
	}
	a->full = NULL;
	OPENSSL_cleanse(a->cur->data, a->cur->used);
	a->cur->used = 0;
}

void arena_free(struct arena *a)
{
	if (a == NULL)
		return;
	arena_reset(a);
	free(a->cur);
	free(a);
}
