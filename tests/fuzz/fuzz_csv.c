/*
 * fuzz_csv.c - the CSV reader of the employee import (core/csvread.h).
 *
 * Input: a file as an administrator uploads it.
 *
 * Checked promises:
 *  - a refused file comes with a Russian sentence and a line within it;
 *  - a read file has the documented shape: ';' or ',', an encoding named,
 *    1..64 columns, rows that start on increasing lines after the header,
 *    every cell UTF-8 without NUL and at most 4 096 bytes, header names
 *    trimmed;
 *  - the round trip: the table written back by libcsv (every cell quoted)
 *    reads again as the same table;
 *  - the header's mapping takes each column once, and every row's item
 *    has values without control characters or spaces at either end;
 *  - the name keys and header forms are UTF-8 and no longer than their
 *    input.
 */
#include "buf.h"
#include "csvread.h"
#include "fuzz.h"
#include "jsonx.h"
#include "textenc.h"

#include <csv.h>

static void fuzz_text_ok(const char *s)
{
	size_t n = strlen(s);

	FUZZ_ASSERT(textenc_utf8_valid(s, n));
	FUZZ_ASSERT(n == 0 || (s[0] != ' ' && s[n - 1] != ' '));
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT((unsigned char)s[i] >= 0x20);
}

static void fuzz_put_cell(struct buf *out, const char *cell)
{
	size_t n = strlen(cell), cap = 2 * n + 3;
	char *q = malloc(cap);

	if (q == NULL)
		abort();
	n = csv_write2(q, cap, cell, n, '"');
	buf_append(out, q, n);
	free(q);
}

static void fuzz_write(const struct csvread_table *t, struct buf *out)
{
	for (int c = 0; c < t->ncols; c++) {
		if (c)
			buf_putc(out, t->delimiter);
		fuzz_put_cell(out, t->header[c]);
	}
	buf_puts(out, "\r\n");
	for (int r = 0; r < t->nrows; r++) {
		for (int c = 0; c < t->ncols || c < t->widths[r]; c++) {
			if (c)
				buf_putc(out, t->delimiter);
			fuzz_put_cell(out, t->rows[r][c]);
		}
		buf_puts(out, "\n");
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct csvread_table t, u;
	const char *why;
	int line, map[CSVREAD_FIELDS];

	if (csvread_parse(a, (const char *)data, size, &t, &line, &why) < 0) {
		FUZZ_ASSERT(why && *why && textenc_utf8_valid(why, strlen(why)));
		FUZZ_ASSERT(line >= 0 && (size_t)line <= size + 1);
		arena_free(a);
		return 0;
	}
	FUZZ_ASSERT(t.delimiter == ';' || t.delimiter == ',');
	FUZZ_ASSERT(t.encoding && *t.encoding);
	FUZZ_ASSERT(t.ncols >= 1 && t.ncols <= CSVREAD_MAX_COLUMNS && t.nrows >= 1);
	FUZZ_ASSERT(t.text && strlen(t.text) == t.text_len);
	for (int c = 0; c < t.ncols; c++) {
		size_t n = strlen(t.header[c]);
		FUZZ_ASSERT(textenc_utf8_valid(t.header[c], n) && n <= CSVREAD_MAX_CELL);
		FUZZ_ASSERT(n == 0 || (t.header[c][0] != ' ' && t.header[c][n - 1] != ' '));
	}
	for (int r = 0; r < t.nrows; r++) {
		FUZZ_ASSERT(t.lines[r] >= 2 && (r == 0 || t.lines[r] > t.lines[r - 1]));
		FUZZ_ASSERT(t.widths[r] >= 1);
		for (int c = 0; c < t.ncols || c < t.widths[r]; c++) {
			size_t n = strlen(t.rows[r][c]);
			FUZZ_ASSERT(textenc_utf8_valid(t.rows[r][c], n) && n <= CSVREAD_MAX_CELL);
		}
	}

	/* written back, read again: the same table */
	{
		struct buf out = BUF_INIT;
		fuzz_write(&t, &out);
		FUZZ_ASSERT(csvread_parse(a, out.data, out.len, &u, &line, &why) == 0);
		int wide = t.ncols > 1;
		for (int r = 0; r < t.nrows; r++)
			wide |= t.widths[r] > 1;
		FUZZ_ASSERT(u.ncols == t.ncols && u.nrows == t.nrows);
		/* one column everywhere: no delimiter in the file to tell them apart */
		FUZZ_ASSERT(u.delimiter == t.delimiter || !wide);
		for (int c = 0; c < t.ncols; c++)
			FUZZ_ASSERT(strcmp(u.header[c], t.header[c]) == 0);
		for (int r = 0; r < t.nrows; r++) {
			FUZZ_ASSERT(u.widths[r] == (t.widths[r] > t.ncols ? t.widths[r] : t.ncols));
			for (int c = 0; c < u.widths[r]; c++)
				FUZZ_ASSERT(strcmp(u.rows[r][c], t.rows[r][c]) == 0);
		}
		buf_free(&out);
	}

	/* the mapping and the items */
	csvread_guess(&t, map);
	for (int f = 0; f < CSVREAD_FIELDS; f++) {
		FUZZ_ASSERT(map[f] >= -1 && map[f] < t.ncols);
		for (int g = f + 1; g < CSVREAD_FIELDS; g++)
			FUZZ_ASSERT(map[f] < 0 || map[f] != map[g]);
	}
	for (int r = 0; r < t.nrows && r < 20; r++) {
		json_object *item = csvread_item(&t, r, map);
		json_object_object_foreach(item, key, val)
		{
			(void)key;
			FUZZ_ASSERT(json_object_is_type(val, json_type_string));
			fuzz_text_ok(json_object_get_string(val));
			FUZZ_ASSERT(*json_object_get_string(val) != '\0');
		}
		json_object_put(item);
	}
	for (int c = 0; c < t.ncols; c++) {
		size_t n = strlen(t.header[c]) + 1;
		char *k = malloc(n), *m = malloc(n);
		if (k == NULL || m == NULL)
			abort();
		csvread_name_key(t.header[c], k, n);
		csvread_norm(t.header[c], m, n);
		FUZZ_ASSERT(textenc_utf8_valid(k, strlen(k)) && strlen(k) < n);
		FUZZ_ASSERT(textenc_utf8_valid(m, strlen(m)) && strlen(m) < n);
		free(k);
		free(m);
	}
	arena_free(a);
	return 0;
}
