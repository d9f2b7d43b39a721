/*
 * slotmap.h - a fixed number of slots found by a fixed-size key, for
 * cabinetd's in-memory caches (sesscache.h, paycache.h).
 *
 * Keys are compared as bytes: a caller fills its key struct after a memset
 * to zero, so padding compares equal. Each slot holds a value of
 * value_size bytes, zeroed when the slot is taken. A full map gives a slot
 * to a new key by the clock rule (second chance): the hand skips and clears
 * the slots used since it last passed and takes the first that was not -
 * close to least recently used at O(1) memory per slot.
 *
 * Not locked: the caller holds its own lock around every call. Memory is
 * taken at the first slotmap_ready(); if it cannot be had, the map stays
 * off (slotmap_ready answers -1 for good) and one line is logged.
 */
#ifndef CABINET_SLOTMAP_H
#define CABINET_SLOTMAP_H

#include <stddef.h>
#include <stdint.h>

struct slotmap {
	/* set by the caller (a static initializer) */
	const char *name;             /* in the log line when memory fails */
	size_t key_size, value_size;  /* bytes */
	void (*release)(void *value); /* frees what a value owns; NULL: nothing */
	/* the map's own */
	long size, nbuckets, hand;
	unsigned char *keys, *values;
	int32_t *next, *buckets;
	unsigned char *used, *ref;
	int failed;
};

/* Allocates size slots on first use; 0 when the map is ready. */
int slotmap_ready(struct slotmap *m, long size);
/* The slot of key, -1 when none (or the map is not ready). */
int32_t slotmap_find(const struct slotmap *m, const void *key);
/* The slot of key, taken (value zeroed) when key had none: a free one, else
 * the clock's victim, whose value is released first. -1 when not ready. */
int32_t slotmap_take(struct slotmap *m, const void *key);
/* Releases slot i's value and frees the slot. */
void slotmap_drop(struct slotmap *m, int32_t i);
/* Marks slot i used (the clock hand spares it once). */
void slotmap_touch(struct slotmap *m, int32_t i);
/* 1 when slot i holds a key; its key and value. */
int slotmap_used(const struct slotmap *m, int32_t i);
const void *slotmap_key(const struct slotmap *m, int32_t i);
void *slotmap_value(const struct slotmap *m, int32_t i);
/* Drops every slot (memory kept). */
void slotmap_clear(struct slotmap *m);
/* Drops every slot and frees the memory; the map may be made ready again. */
void slotmap_free(struct slotmap *m);

#endif
