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

#include "buf.h"

#include <stddef.h>

/* 1 if s[0..len) is UTF-8 (RFC 3629: no overlong forms, no surrogates,
 * nothing past U+10FFFF), else 0. */
int textenc_utf8_valid(const char *s, size_t len);

/* The offset of the first byte of s[0..len) that does not start a valid
 * UTF-8 sequence, or len when all of it is valid. */
size_t textenc_utf8_bad_at(const char *s, size_t len);

/*
 * Characters that text typed for people must not hold, because nobody sees
 * them and they change what others see: control characters (C0 but TAB, and
 * CR and LF when lines is set; DEL; C1 U+0080-U+009F) and the invisible
 * format characters - the bidirectional controls that reorder a file name,
 * a name or a comment on pages and in PDFs ("счёт\u202Efdp.exe" shows as
 * "счётexe.pdf": U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C),
 * zero-width characters that make two equal-looking names differ (U+200B,
 * U+200C, U+200D, U+2060-U+2064, U+FEFF, U+00AD soft hyphen, U+180E), the
 * deprecated format controls U+206A-U+206F, U+FFF9-U+FFFB, the separators
 * U+2028/U+2029 (a line break no one typed) and the tag characters
 * U+E0000-U+E007F. Letters of every script, Cyrillic and ё included,
 * punctuation, no-break and thin spaces, emoji stay: a U+200D joining two
 * emoji (👨‍💻, 🏳️‍🌈) is part of the picture and is kept.
 *
 * s[0..len) must be UTF-8 (textenc_utf8_valid). Returns the offset of the
 * first such character, or len when there is none; *cp gets its code point
 * and *what its Russian name ("смена направления текста", "управляющий
 * символ") for the error that names the field.
 */
size_t textenc_invisible_at(const char *s, size_t len, int lines, unsigned *cp, const char **what);
/* "Невидимый символ U+202E (смена направления текста): удалите его" (or, for
 * a control character, "Недопустимые управляющие символы", as before) into
 * out (size n); returns out. */
char *textenc_invisible_why(unsigned cp, const char *what, char *out, size_t n);

/* 1 when s[0..len) (UTF-8) shows nothing: only Unicode white space (the
 * no-break, ideographic and other spaces, line breaks), control characters
 * and the invisible characters above, or nothing at all. A required text
 * that is blank is missing (args.c). */
int textenc_blank(const char *s, size_t len);

/* 1 with *cp when s[0..len) (UTF-8) holds a noncharacter (U+FDD0-U+FDEF,
 * U+xFFFE and U+xFFFF of every plane): no text holds one. A lone UTF-16
 * surrogate escape in JSON ("\ud800") reaches the service as U+FFFF
 * (jsonx.h), so it is refused the same way. */
int textenc_noncharacter(const char *s, size_t len, unsigned *cp);

/*
 * An uploaded text file as UTF-8 (iconv from glibc does the converting).
 * declared: the encoding the file names (the encoding="..." of its XML
 * declaration, a charset), or NULL.
 *   - a UTF-8 byte-order mark is dropped, and the rest must be UTF-8;
 *   - a UTF-16 byte-order mark (LE or BE): converted from UTF-16;
 *   - declared Windows-1251 ("windows-1251", "cp1251"): converted;
 *   - declared UTF-8 or US-ASCII, or nothing: checked as UTF-8;
 *   - another declared encoding: refused (line 1).
 * A NUL byte is refused too (no text column can hold it).
 * Returns 0 with the text appended to out (lines as they were, so a later
 * parser's line numbers still point into the file), or -1 with *line the
 * 1-based line of the first byte that is not valid in its encoding and
 * *why a static Russian sentence saying what is wrong and what is
 * accepted; out then holds what it held (its memory may have grown: the
 * caller frees out either way).
 */
int textenc_to_utf8(const char *data, size_t len, const char *declared, struct buf *out, int *line,
                    const char **why);

/* The encoding named by an XML declaration at the start of data
 * (<?xml version="1.0" encoding="windows-1251"?>), copied to out; "" when
 * there is none or it does not fit. Only ASCII-compatible text is read (a
 * UTF-16 file has a byte-order mark instead). */
void textenc_xml_encoding(const char *data, size_t len, char *out, size_t outlen);

#endif
