/*
 * textenc.h - text encodings where text enters the service.
 *
 * Everything inside is UTF-8: PostgreSQL refuses other bytes, and it does
 * so late and without naming the field or the line. So text is checked (or
 * converted) where it comes in: the declared string arguments of an
 * operation (args.c), query strings and forms (cgi/httpparse.c), uploaded
 * files (calendars, CSV imports).
 */
#ifndef CABINET_TEXTENC_H
#define CABINET_TEXTENC_H

#include <stddef.h>

/* 1 if s[0..len) is UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF), else 0. */
int textenc_utf8_valid(const char *s, size_t len);

/* The offset of the first byte of s[0..len) that does not start a valid
 * UTF-8 sequence, or len when all of it is valid. */
size_t textenc_utf8_bad_at(const char *s, size_t len);

#endif
