#include "jsonx.h"

#include "buf.h"

#include <ctype.h>
#include <json-c/printbuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char JSONX_ERR_DUPLICATE[] = "duplicate key in an object";

static int jsonx_hex4_at(const char *p, size_t left, unsigned *v)
{
	*v = 0;
	if (left < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
		        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                               : -1;
		if (d < 0)
			return -1;
		*v = *v << 4 | (unsigned)d;
	}
	return 0;
}

size_t jsonx_mark_lone_surrogates(char *data, size_t len)
{
	size_t n = 0;
	int in_string = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned hi, lo;
		if (data[i] == '"') {
			in_string = !in_string;
			continue;
		}
		if (!in_string || data[i] != '\\')
			continue;
		if (i + 1 >= len)
			break;
		if (data[i + 1] != 'u' || jsonx_hex4_at(data + i + 2, len - i - 2, &hi) < 0) {
			i++; /* \", \\ and the like: one escape */
			continue;
		}
		if (hi >= 0xD800 && hi <= 0xDBFF && i + 11 < len && data[i + 6] == '\\' &&
		    data[i + 7] == 'u' && jsonx_hex4_at(data + i + 8, len - i - 8, &lo) == 0 &&
		    lo >= 0xDC00 && lo <= 0xDFFF) {
			i += 11; /* a pair: one character */
			continue;
		}
		if (hi >= 0xD800 && hi <= 0xDFFF) {
			memcpy(data + i + 2, "ffff", 4); /* as long: offsets stay */
			n++;
		}
		i += 5;
	}
	return n;
}

const char *jsonx_error_ru(const char *why, const char *data, size_t at, char *buf, size_t n)
{
	size_t chars = 1;

	for (size_t i = 0; data && i < at; i++)
		chars += ((unsigned char)data[i] & 0xC0) != 0x80;
	if (why == NULL)
		snprintf(buf, n, "Тело запроса — не JSON");
	else if (strcmp(why, JSONX_ERR_NOT_OBJECT) == 0)
		snprintf(buf, n, "Тело запроса должно быть JSON-объектом");
	else if (strcmp(why, json_tokener_error_desc(json_tokener_error_depth)) == 0)
		snprintf(buf, n, "Слишком глубокая вложенность JSON: не больше %d уровней",
		         JSONX_MAX_DEPTH);
	else if (strcmp(why, json_tokener_error_desc(json_tokener_error_parse_utf8_string)) == 0)
		snprintf(buf, n, "Тело запроса не в кодировке UTF-8: ошибка в позиции %zu", chars);
	else if (strcmp(why, JSONX_ERR_TOO_LARGE) == 0)
		snprintf(buf, n, "Тело запроса слишком большое");
	else if (strcmp(why, JSONX_ERR_END) == 0)
		snprintf(buf, n, "Тело запроса — не JSON: текст оборвался в позиции %zu", chars);
	else
		snprintf(buf, n, "Тело запроса — не JSON: ошибка в позиции %zu", chars);
	return buf;
}

const char JSONX_ERR_NOT_OBJECT[] = "JSON must be an object";
const char JSONX_ERR_TOO_LARGE[] = "JSON too large";
const char JSONX_ERR_END[] = "unexpected end of JSON";

json_object *jsonx_parse_object(const char *data, size_t len, const char **err)
{
	size_t at;

	return jsonx_parse_object_at(data, len, err, &at);
}

static json_object *jsonx_parse(const char *data, size_t len, const char **err, size_t *at,
                                int duplicates);

json_object *jsonx_parse_object_at(const char *data, size_t len, const char **err, size_t *at)
{
	return jsonx_parse(data, len, err, at, 1);
}

json_object *jsonx_parse_reply(const char *data, size_t len, const char **err)
{
	size_t at;

	return jsonx_parse(data, len, err, &at, 0);
}

/* duplicates: refuse a member named twice (a walk of the text once more) */
static json_object *jsonx_parse(const char *data, size_t len, const char **err, size_t *at,
                                int duplicates)
{
	struct json_tokener *tok;
	json_object *obj;
	size_t used;

	*err = NULL;
	*at = 0;
	if (len > INT32_MAX) {
		*err = JSONX_ERR_TOO_LARGE;
		return NULL;
	}
	tok = json_tokener_new_ex(JSONX_MAX_DEPTH);
	if (tok == NULL) {
		*err = "out of memory";
		return NULL;
	}
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_ALLOW_TRAILING_CHARS |
	                                JSON_TOKENER_VALIDATE_UTF8);
	obj = json_tokener_parse_ex(tok, data, (int)len);
	if (obj == NULL) {
		enum json_tokener_error e = json_tokener_get_error(tok);
		*err = e == json_tokener_continue ? JSONX_ERR_END : json_tokener_error_desc(e);
		*at = json_tokener_get_parse_end(tok);
		goto fail;
	}
	for (used = json_tokener_get_parse_end(tok); used < len; used++) {
		if (!isspace((unsigned char)data[used])) {
			*err = "trailing characters after JSON";
			*at = used;
			goto fail;
		}
	}
	if (!json_object_is_type(obj, json_type_object)) {
		*err = JSONX_ERR_NOT_OBJECT;
		goto fail;
	}
	if (duplicates && jsonx_duplicate_key(data, len, NULL, 0) != 0) {
		*err = JSONX_ERR_DUPLICATE;
		goto fail;
	}
	json_tokener_free(tok);
	return obj;
fail:
	json_object_put(obj);
	json_tokener_free(tok);
	return NULL;
}

/* ---- members named twice (jsonx.h says why this is ours) ---- */

struct jsonx_name {
	size_t off, len; /* in the walk's buffer of decoded names */
	const char *base;
};

struct jsonx_level {
	int object;   /* 1: an object, 0: an array */
	size_t first; /* its first name in the walk's list */
	size_t mark;  /* the buffer's length when it opened */
	long index;   /* an array's element */
	long key;     /* an object's current member: its name in the list, -1 none */
};

static int jsonx_name_cmp(const void *a, const void *b)
{
	const struct jsonx_name *x = a, *y = b;

	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	return memcmp(x->base + x->off, y->base + y->off, x->len);
}

static int jsonx_hex4(const char *s, const char *end, unsigned *out)
{
	unsigned v = 0;

	if (end - s < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = s[i];
		v = v * 16 + (unsigned)(c >= '0' && c <= '9'   ? c - '0'
		                        : c >= 'a' && c <= 'f' ? c - 'a' + 10
		                        : c >= 'A' && c <= 'F' ? c - 'A' + 10
		                                               : 0);
	}
	*out = v;
	return 0;
}

static void jsonx_put_utf8(struct buf *b, unsigned cp)
{
	char u[4];
	size_t n;

	if (cp >= 0xd800 && cp < 0xe000)
		cp = 0xfffd; /* a lone surrogate: no UTF-8 text can hold it */
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3f));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	buf_append(b, u, n);
}

/* The string at *p (its opening quote) past its closing quote; decoded
 * into b when b is given. */
static void jsonx_walk_string(const char **p, const char *end, struct buf *b)
{
	const char *s = *p + 1;
	unsigned cp, lo;

	while (s < end && *s != '"') {
		if (*s != '\\') {
			if (b)
				buf_putc(b, *s);
			s++;
			continue;
		}
		if (s + 1 >= end)
			break;
		switch (s[1]) {
		case 'b':
			cp = '\b';
			break;
		case 'f':
			cp = '\f';
			break;
		case 'n':
			cp = '\n';
			break;
		case 'r':
			cp = '\r';
			break;
		case 't':
			cp = '\t';
			break;
		case 'u':
			cp = 0;
			break;
		default:
			cp = (unsigned char)s[1];
			break; /* " \\ / */
		}
		if (s[1] != 'u') {
			if (b)
				buf_putc(b, (char)cp);
			s += 2;
			continue;
		}
		if (jsonx_hex4(s + 2, end, &cp) < 0)
			break;
		s += 6;
		if (cp >= 0xd800 && cp < 0xdc00 && end - s >= 6 && s[0] == '\\' && s[1] == 'u' &&
		    jsonx_hex4(s + 2, end, &lo) == 0 && lo >= 0xdc00 && lo < 0xe000) {
			cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			s += 6;
		}
		if (b)
			jsonx_put_utf8(b, cp);
	}
	*p = s < end ? s + 1 : end;
}

/* levels[0..depth] and the repeated name as "days[3].title" into out. */
static void jsonx_path(const struct jsonx_level *lv, int depth, const struct jsonx_name *names,
                       const char *base, const struct jsonx_name *dup, char *out, size_t n)
{
	struct buf b = BUF_INIT;

	for (int i = 0; i < depth; i++) {
		if (!lv[i].object) {
			buf_printf(&b, "[%ld]", lv[i].index);
		} else if (lv[i].key >= 0) {
			if (b.len)
				buf_putc(&b, '.');
			buf_append(&b, base + names[lv[i].key].off, names[lv[i].key].len);
		}
	}
	if (b.len)
		buf_putc(&b, '.');
	buf_append(&b, base + dup->off, dup->len);
	if (b.len >= n) /* cut to fit, never inside a character */
		for (b.len = n - 1; b.len > 0 && ((unsigned char)b.data[b.len] & 0xc0) == 0x80;)
			b.len--;
	if (b.len)
		memcpy(out, b.data, b.len);
	out[b.len] = '\0';
	buf_free(&b);
}

int jsonx_duplicate_key(const char *data, size_t len, char *out, size_t n)
{
	struct jsonx_level lv[JSONX_MAX_DEPTH + 2];
	struct jsonx_name *names = NULL, *sorted = NULL;
	size_t nnames = 0, cap = 0;
	struct buf keys = BUF_INIT;
	const char *p = data, *end = data + len;
	int depth = -1, expect_key = 0, rc = 0;

	while (p < end && rc == 0) {
		switch (*p) {
		case '{':
		case '[':
			if (depth + 1 >= (int)(sizeof(lv) / sizeof(lv[0]))) {
				p = end; /* deeper than json-c allows: not ours to judge */
				break;
			}
			depth++;
			lv[depth] = (struct jsonx_level){*p == '{', nnames, keys.len, 0, -1};
			expect_key = *p == '{';
			p++;
			break;
		case '}':
		case ']':
			if (depth < 0) {
				p = end;
				break;
			}
			if (*p == '}' && nnames - lv[depth].first > 1) {
				size_t k = nnames - lv[depth].first;
				struct jsonx_name *s = realloc(sorted, k * sizeof(*s));
				if (s == NULL) {
					rc = -1;
					break;
				}
				sorted = s;
				memcpy(s, names + lv[depth].first, k * sizeof(*s));
				for (size_t i = 0; i < k; i++)
					s[i].base = keys.data;
				qsort(s, k, sizeof(*s), jsonx_name_cmp);
				for (size_t i = 1; i < k && rc == 0; i++) {
					if (jsonx_name_cmp(&s[i - 1], &s[i]) != 0)
						continue;
					if (out && n)
						jsonx_path(lv, depth, names, keys.data, &s[i], out,
						           n);
					rc = 1;
				}
				if (rc)
					break;
			}
			nnames = lv[depth].first;
			keys.len = lv[depth].mark;
			depth--;
			expect_key = 0;
			p++;
			break;
		case ',':
			if (depth >= 0 && lv[depth].object)
				expect_key = 1;
			else if (depth >= 0)
				lv[depth].index++;
			p++;
			break;
		case '"':
			if (depth >= 0 && lv[depth].object && expect_key) {
				size_t at = keys.len;
				if (nnames == cap) {
					size_t c = cap ? cap * 2 : 32;
					struct jsonx_name *g = realloc(names, c * sizeof(*g));
					if (g == NULL) {
						rc = -1;
						break;
					}
					names = g;
					cap = c;
				}
				jsonx_walk_string(&p, end, &keys);
				names[nnames] = (struct jsonx_name){at, keys.len - at, NULL};
				lv[depth].key = (long)nnames++;
				expect_key = 0;
			} else {
				jsonx_walk_string(&p, end, NULL);
			}
			break;
		default:
			p++;
			break;
		}
	}
	free(names);
	free(sorted);
	buf_free(&keys);
	return rc;
}

const char *jsonx_dump(json_object *obj, size_t *len)
{
	size_t n = 0;
	const char *s = json_object_to_json_string_length(
	    obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE, &n);

	if (len)
		*len = n;
	return s;
}

static int jsonx_raw_serialize(json_object *obj, struct printbuf *pb, int level, int flags)
{
	const struct buf *text = json_object_get_userdata(obj);

	(void)level;
	(void)flags;
	if (text == NULL || text->len == 0)
		return printbuf_memappend(pb, "null", 4) < 0 ? -1 : 0;
	return printbuf_memappend(pb, text->data, (int)text->len) < 0 ? -1 : 0;
}

static void jsonx_raw_free(json_object *obj, void *userdata)
{
	struct buf *text = userdata;

	(void)obj;
	buf_free(text);
	free(text);
}

json_object *jsonx_new_raw(struct buf *text)
{
	json_object *obj = json_object_new_array();
	struct buf *own = malloc(sizeof(*own));

	if (own == NULL)
		abort(); /* as buf does */
	*own = *text;
	*text = (struct buf)BUF_INIT;
	json_object_set_serializer(obj, jsonx_raw_serialize, own, jsonx_raw_free);
	return obj;
}

void jsonx_put_str(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const char *run;

	if (s == NULL) {
		buf_append(b, "null", 4);
		return;
	}
	buf_putc(b, '"');
	for (run = s; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[6] = {'\\', 0, '0', '0', 0, 0};
		size_t n = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		buf_append(b, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"':
		case '\\':
			esc[1] = (char)c;
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			esc[1] = 'u';
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			n = 6;
			break;
		}
		buf_append(b, esc, n);
	}
	buf_append(b, run, (size_t)(s - run));
	buf_putc(b, '"');
}

json_object *jsonx_get(json_object *obj, const char *key)
{
	json_object *v = NULL;

	if (obj == NULL || !json_object_object_get_ex(obj, key, &v))
		return NULL;
	return v;
}

const char *jsonx_get_str(json_object *obj, const char *key)
{
	json_object *v = jsonx_get(obj, key);

	return json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
}

json_object *jsonx_get_obj(json_object *obj, const char *key)
{
	json_object *v = jsonx_get(obj, key);

	return json_object_is_type(v, json_type_object) ? v : NULL;
}

json_object *jsonx_get_array(json_object *obj, const char *key)
{
	json_object *v = jsonx_get(obj, key);

	return json_object_is_type(v, json_type_array) ? v : NULL;
}

int jsonx_get_int64(json_object *obj, const char *key, int64_t *out)
{
	json_object *v = jsonx_get(obj, key);

	if (!json_object_is_type(v, json_type_int))
		return -1;
	*out = json_object_get_int64(v);
	return 0;
}

int jsonx_get_bool(json_object *obj, const char *key, int *out)
{
	json_object *v = jsonx_get(obj, key);

	if (!json_object_is_type(v, json_type_boolean))
		return -1;
	*out = json_object_get_boolean(v);
	return 0;
}

void jsonx_set_str(json_object *obj, const char *key, const char *str)
{
	json_object_object_add(obj, key, str ? json_object_new_string(str) : NULL);
}

void jsonx_set_int(json_object *obj, const char *key, int64_t value)
{
	json_object_object_add(obj, key, json_object_new_int64(value));
}

void jsonx_set_bool(json_object *obj, const char *key, int value)
{
	json_object_object_add(obj, key, json_object_new_boolean(value));
}

void jsonx_set_pages(json_object *obj, int64_t total, int64_t limit, int64_t offset,
                     int64_t max_pages)
{
	json_object *pages = json_object_new_array();

	for (int64_t p = 0; limit > 0 && p * limit < total && p < max_pages; p++) {
		json_object *o = json_object_new_object();
		jsonx_set_int(o, "number", p + 1);
		jsonx_set_int(o, "offset", p * limit);
		jsonx_set_bool(o, "current", p * limit == offset);
		json_object_array_add(pages, o);
	}
	jsonx_set_bool(obj, "has_pages", json_object_array_length(pages) > 1);
	json_object_object_add(obj, "pages", pages);
}

json_object *jsonx_new_decimal(const char *text)
{
	char t[64];
	size_t n = text ? strlen(text) : 0, i = text && *text == '-' ? 1 : 0, digits = 0;
	const char *dot = NULL;

	if (n == 0 || n >= sizeof(t))
		return NULL;
	for (; i < n; i++) {
		if (text[i] == '.' && dot == NULL && digits > 0)
			dot = text + i;
		else if (text[i] >= '0' && text[i] <= '9')
			digits++;
		else
			return NULL;
	}
	if (digits == 0 || text[n - 1] == '.')
		return NULL;
	memcpy(t, text, n + 1);
	if (dot) {
		while (n > 0 && t[n - 1] == '0')
			t[--n] = '\0';
		if (t[n - 1] == '.')
			t[--n] = '\0';
	}
	if (strchr(t, '.') == NULL)
		return json_object_new_int64(strtoll(t, NULL, 10));
	/* parsed, the number prints the text as written (json-c keeps it): no
	 * double of ours, 0.1 never prints 0.10000000000000001 */
	return json_tokener_parse(t);
}
