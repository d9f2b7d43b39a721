#include "textenc.h"

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
