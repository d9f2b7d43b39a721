/*
 * testutil.h - helpers shared by the engine's unit tests: finding data files
 * under CABINET_SOURCE_DIR and loading the shipped Russian calendars.
 */
#ifndef CABINET_TESTUTIL_H
#define CABINET_TESTUTIL_H

#include "buf.h"
#include "calendar.h"

#include <stdio.h>
#include <stdlib.h>

#define TEST_RU_FIRST 2013
#define TEST_RU_LAST  2026

/* CABINET_SOURCE_DIR/rel into out. */
static inline void test_path(char *out, size_t n, const char *rel)
{
	const char *root = getenv("CABINET_SOURCE_DIR");

	snprintf(out, n, "%s/%s", root ? root : ".", rel);
}

/* Reads a whole file into b (appending). Returns 0 or -1. */
static inline int test_read_file(const char *path, struct buf *b)
{
	FILE *f = fopen(path, "rb");
	char chunk[8192];
	size_t n;

	if (f == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(b, chunk, n);
	fclose(f);
	return 0;
}

/* A calendar with sql/calendars/ru/2013..2026.xml, or NULL (printed). */
static inline struct calendar *test_load_ru(void)
{
	struct calendar *cal = calendar_new();
	int y;

	for (y = TEST_RU_FIRST; y <= TEST_RU_LAST; y++) {
		char rel[64], path[4096];
		struct calendar_error err;

		snprintf(rel, sizeof(rel), "sql/calendars/ru/%d.xml", y);
		test_path(path, sizeof(path), rel);
		if (calendar_load_xml_file(cal, path, &err) != 0) {
			fprintf(stderr, "%s: %s\n", path, err.message);
			calendar_free(cal);
			return NULL;
		}
	}
	return cal;
}

#endif
