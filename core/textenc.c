#include "textenc.h"

#include <errno.h>
#include <iconv.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

size_t textenc_utf8_bad_at(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + len;

	while (p < end) {
		unsigned c = *p, cp, min;
		size_t n;

		if (c < 0x80) {
			p++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			n = 1;
			cp = c & 0x1F;
			min = 0x80;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
			min = 0x800;
		} else if (c >= 0xF0 && c <= 0xF4) {
			n = 3;
			cp = c & 0x07;
			min = 0x10000;
		} else {
			break;
		}
		if ((size_t)(end - p) <= n)
			break;
		size_t i;
		for (i = 1; i <= n && (p[i] & 0xC0) == 0x80; i++)
			cp = (cp << 6) | (p[i] & 0x3F);
		if (i <= n || cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			break;
		p += n + 1;
	}
	return (size_t)(p - (const unsigned char *)s);
}

int textenc_utf8_valid(const char *s, size_t len)
{
	return textenc_utf8_bad_at(s, len) == len;
}

/* The code point at p (valid UTF-8), its length in *n. */
static unsigned textenc_decode(const unsigned char *p, size_t *n)
{
	if (p[0] < 0x80) {
		*n = 1;
		return p[0];
	}
	if (p[0] < 0xE0) {
		*n = 2;
		return (unsigned)(p[0] & 0x1F) << 6 | (p[1] & 0x3F);
	}
	if (p[0] < 0xF0) {
		*n = 3;
		return (unsigned)(p[0] & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
	}
	*n = 4;
	return (unsigned)(p[0] & 0x07) << 18 | (unsigned)(p[1] & 0x3F) << 12 |
	       (unsigned)(p[2] & 0x3F) << 6 | (p[3] & 0x3F);
}

static const struct {
	unsigned from, to;
	const char *what;
} textenc_invisible[] = {
    {0x00AD, 0x00AD, "мягкий перенос"},
    {0x061C, 0x061C, "смена направления текста"},
    {0x180E, 0x180E, "невидимый разделитель"},
    {0x200B, 0x200B, "пробел нулевой ширины"},
    {0x200C, 0x200D, "невидимый соединитель"},
    {0x200E, 0x200F, "смена направления текста"},
    {0x2028, 0x2029, "разделитель строк"},
    {0x202A, 0x202E, "смена направления текста"},
    {0x2060, 0x2064, "невидимый символ форматирования"},
    {0x2066, 0x2069, "смена направления текста"},
    {0x206A, 0x206F, "невидимый символ форматирования"},
    {0xFEFF, 0xFEFF, "пробел нулевой ширины"},
    {0xFFF9, 0xFFFB, "невидимый символ форматирования"},
    {0xE0000, 0xE007F, "невидимый символ-тег"},
};

/* A pictograph or a variation selector: what a U+200D may join. */
static int textenc_emoji(unsigned cp)
{
	return (cp >= 0x2190 && cp <= 0x2BFF) || (cp >= 0x1F000 && cp <= 0x1FAFF) || cp == 0xFE0F;
}

size_t textenc_invisible_at(const char *s, size_t len, int lines, unsigned *cp, const char **what)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned prev = 0;
	size_t i = 0, n;

	while (i < len) {
		unsigned c = textenc_decode(p + i, &n);
		const char *w = NULL;
		if ((c < 0x20 && c != '\t' && !(lines && (c == '\n' || c == '\r'))) ||
		    (c >= 0x7F && c <= 0x9F)) {
			w = "управляющий символ";
		} else if (c >= 0xAD) {
			for (size_t k = 0;
			     k < sizeof(textenc_invisible) / sizeof(textenc_invisible[0]); k++)
				if (c >= textenc_invisible[k].from && c <= textenc_invisible[k].to)
					w = textenc_invisible[k].what;
		}
		if (w && c == 0x200D && textenc_emoji(prev) && i + n < len) {
			size_t m;
			if (textenc_emoji(textenc_decode(p + i + n, &m)))
				w = NULL; /* 👨‍💻: one picture */
		}
		if (w) {
			*cp = c;
			*what = w;
			return i;
		}
		prev = c;
		i += n;
	}
	return len;
}

/* Unicode white space (White_Space) and the blank-looking fillers. */
static int textenc_white(unsigned c)
{
	return (c >= 0x09 && c <= 0x0D) || c == 0x20 || c == 0x85 || c == 0xA0 || c == 0x1680 ||
	       (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
	       c == 0x205F || c == 0x3000 || c == 0x115F || c == 0x1160 || c == 0x3164 ||
	       c == 0xFFA0 || c == 0x2800;
}

int textenc_blank(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		unsigned c = textenc_decode(p + i, &n);
		int blank = textenc_white(c) || c < 0x20 || (c >= 0x7F && c <= 0x9F);
		for (size_t k = 0;
		     !blank && k < sizeof(textenc_invisible) / sizeof(textenc_invisible[0]); k++)
			blank = c >= textenc_invisible[k].from && c <= textenc_invisible[k].to;
		if (!blank)
			return 0;
		i += n;
	}
	return 1;
}

int textenc_noncharacter(const char *s, size_t len, unsigned *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		unsigned c = textenc_decode(p + i, &n);
		if ((c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE) {
			*cp = c;
			return 1;
		}
		i += n;
	}
	return 0;
}

char *textenc_invisible_why(unsigned cp, const char *what, char *out, size_t n)
{
	if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F))
		snprintf(out, n, "Недопустимые управляющие символы");
	else
		snprintf(out, n, "Невидимый символ U+%04X (%s): удалите его", cp, what);
	return out;
}

static int textenc_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* 1 + the number of line feeds in s[0..n). */
static int textenc_line_of(const char *s, size_t n)
{
	int line = 1;

	for (size_t i = 0; i < n; i++)
		line += s[i] == '\n';
	return line;
}

static int textenc_is(const char *declared, const char *const *names)
{
	for (int i = 0; names[i]; i++)
		if (strcasecmp(declared, names[i]) == 0)
			return 1;
	return 0;
}

/* Converts from an encoding iconv knows; a byte that is not valid in it
 * gives the line of the output so far. */
static int textenc_iconv(const char *from, const char *data, size_t len, struct buf *out, int *line,
                         const char **why, const char *bad)
{
	iconv_t cd = iconv_open("UTF-8", from);
	size_t start = out->len;
	char *in = (char *)data;
	size_t left = len;

	if (cd == (iconv_t)-1) {
		*line = 1;
		*why = "Кодировка файла не поддерживается: сохраните его в UTF-8 или Windows-1251";
		return -1;
	}
	while (left > 0) {
		char chunk[4096], *o = chunk;
		size_t room = sizeof(chunk);
		size_t r = iconv(cd, &in, &left, &o, &room);

		buf_append(out, chunk, (size_t)(o - chunk));
		if (r == (size_t)-1 && errno != E2BIG) {
			/* EILSEQ: not a character of the encoding; EINVAL: cut short */
			*line = textenc_line_of(out->data + start, out->len - start);
			*why = bad;
			iconv_close(cd);
			out->len = start;
			if (out->data)
				out->data[start] = '\0';
			return -1;
		}
	}
	iconv_close(cd);
	return 0;
}

int textenc_to_utf8(const char *data, size_t len, const char *declared, struct buf *out, int *line,
                    const char **why)
{
	static const char *const cp1251[] = {"windows-1251", "cp1251", "x-cp1251", NULL};
	static const char *const utf8[] = {"utf-8", "utf8", "us-ascii", "ascii", NULL};
	const unsigned char *u = (const unsigned char *)data;
	size_t start = out->len, bad;

	*line = 0;
	*why = NULL;
	if (len >= 2 && ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
		/* the byte-order mark goes too: iconv's "UTF-16" reads and drops it */
		if (textenc_iconv(
		        "UTF-16", data, len, out, line, why,
		        "Неверный символ UTF-16: сохраните файл в UTF-8 или Windows-1251") < 0)
			return -1;
	} else if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
		data += 3, len -= 3;
		goto check_utf8;
	} else if (declared && *declared && textenc_is(declared, cp1251)) {
		if (textenc_iconv(
		        "CP1251", data, len, out, line, why,
		        "Байт, которого нет в кодировке Windows-1251, указанной в файле") < 0)
			return -1;
	} else if (declared && *declared && !textenc_is(declared, utf8)) {
		*line = 1;
		*why = "Кодировка, указанная в файле, не поддерживается: сохраните его в UTF-8 или "
		       "Windows-1251";
		return -1;
	} else {
	check_utf8:
		bad = textenc_utf8_bad_at(data, len);
		if (bad < len) {
			*line = textenc_line_of(data, bad);
			*why = "Текст не в кодировке UTF-8: сохраните файл в UTF-8 или укажите его "
			       "кодировку (encoding=\"windows-1251\")";
			return -1;
		}
		buf_append(out, data, len);
	}
	{
		const char *nul =
		    memchr(out->data ? out->data + start : "", '\0', out->len - start);
		if (nul) {
			*line =
			    textenc_line_of(out->data + start, (size_t)(nul - (out->data + start)));
			*why = "В тексте нулевой байт: это не текстовый файл";
			out->len = start;
			out->data[start] = '\0';
			return -1;
		}
	}
	return 0;
}

void textenc_xml_encoding(const char *data, size_t len, char *out, size_t outlen)
{
	const char *end, *p, *q;
	size_t n;

	out[0] = '\0';
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		data += 3, len -= 3;
	if (len < 5 || memcmp(data, "<?xml", 5) != 0)
		return;
	end = memchr(data, '>', len < 512 ? len : 512);
	if (end == NULL)
		return;
	for (p = data + 5; p + 8 < end; p++) {
		if (memcmp(p, "encoding", 8) != 0 || !textenc_space(p[-1]))
			continue;
		p += 8;
		while (p < end && textenc_space(*p))
			p++;
		if (p >= end || *p++ != '=')
			return;
		while (p < end && textenc_space(*p))
			p++;
		if (p >= end || (*p != '"' && *p != '\''))
			return;
		q = memchr(p + 1, *p, (size_t)(end - p - 1));
		if (q == NULL || (n = (size_t)(q - p - 1)) >= outlen)
			return;
		memcpy(out, p + 1, n);
		out[n] = '\0';
		return;
	}
}
