/*
 * arena.h - per-request memory.
 *
 * Everything a request allocates from its arena is released at once by
 * arena_reset() when the reply has been written. json-c trees handed to
 * arena_own() are put at the same moment (and arena_defer() runs any other
 * cleanup, e.g. PQclear), so a handler never frees anything
 * itself. An arena is used by one thread at a time.
 */
#ifndef CABINET_ARENA_H
#define CABINET_ARENA_H

#include <json-c/json.h>
#include <stddef.h>

struct arena;

struct arena *arena_new(void);
/* Memory aligned for any type, zeroed; never NULL (aborts on exhaustion). */
void *arena_alloc(struct arena *a, size_t size);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Runs fn(ptr) at reset, newest first (e.g. PQclear for a result). */
void arena_defer(struct arena *a, void (*fn)(void *), void *ptr);
/* The arena takes the caller's reference to obj; returns obj. */
json_object *arena_own(struct arena *a, json_object *obj);
/* Wipes secrets kept in arena memory (OPENSSL_cleanse) and frees it all. */
void arena_reset(struct arena *a);
void arena_free(struct arena *a);

#endif
