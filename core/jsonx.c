#include "jsonx.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

json_object *jsonx_parse_object(const char *data, size_t len, const char **err)
{
	struct json_tokener *tok;
	json_object *obj;
	size_t used;

	*err = NULL;
	if (len > INT32_MAX) {
		*err = "JSON too large";
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
		*err = e == json_tokener_continue ? "unexpected end of JSON"
		                                  : json_tokener_error_desc(e);
		goto fail;
	}
	for (used = json_tokener_get_parse_end(tok); used < len; used++) {
		if (!isspace((unsigned char)data[used])) {
			*err = "trailing characters after JSON";
			goto fail;
		}
	}
	if (!json_object_is_type(obj, json_type_object)) {
		*err = "JSON must be an object";
		goto fail;
	}
	json_tokener_free(tok);
	return obj;
fail:
	json_object_put(obj);
	json_tokener_free(tok);
	return NULL;
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
