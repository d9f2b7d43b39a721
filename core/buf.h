/*
 * buf.h - a growable byte buffer.
 *
 * A struct buf owns its data; buf_free() releases it. The data is always
 * NUL-terminated (the NUL is not counted in len), so text can be handed to
 * string functions directly. Allocation failure aborts: the process cannot
 * do anything useful without memory, and checking every append hides logic.
 */
#ifndef CABINET_BUF_H
#define CABINET_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
/* Appends s with &, <, >, " and ' replaced by HTML entities. */
void buf_put_html(struct buf *b, const char *s, size_t len);
/* Writes the lower-case hex of in[0..n-1] and a NUL into out[2n+1]. */
void hex_encode(char *out, const void *in, size_t n);
/* Drops the first n bytes (consumed input). */
void buf_consume(struct buf *b, size_t n);
void buf_reset(struct buf *b);
/* Hands the data to the caller (who frees it) and leaves b empty. */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);

#endif
