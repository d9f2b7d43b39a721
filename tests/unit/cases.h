/*
 * cases.h - helpers for the data-driven tests: load a table of cases from
 * tests/unit/data/ and expand the text fields of a case.
 *
 * A text field is a JSON string, an array of strings joined with a separator
 * the test chooses (lines), or {"prefix": "", "repeat": "x", "times": N,
 * "suffix": ""} for the large hostile inputs.
 */
#ifndef CABINET_CASES_H
#define CABINET_CASES_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "buf.h"

/* The parsed file (caller puts it), or NULL with a message on stderr. */
static inline json_object *cases_load(const char *file)
{
	const char *dir = getenv("CABINET_SOURCE_DIR");
	char path[4096];
	json_object *root;

	snprintf(path, sizeof(path), "%s/tests/unit/data/%s", dir ? dir : ".", file);
	root = json_object_from_file(path);
	if (root == NULL)
		fprintf(stderr, "%s: %s\n", path, json_util_get_last_err());
	return root;
}

/* The path of a file or folder under tests/unit/data/. */
static inline void cases_path(const char *rel, char *out, size_t outlen)
{
	const char *dir = getenv("CABINET_SOURCE_DIR");

	snprintf(out, outlen, "%s/tests/unit/data/%s", dir ? dir : ".", rel);
}

static inline void cases_append(struct buf *out, json_object *s)
{
	if (json_object_is_type(s, json_type_string))
		buf_append(out, json_object_get_string(s), (size_t)json_object_get_string_len(s));
}

/*
 * Appends text field `key` of c to out (see above). Returns 1 if the field
 * is there, 0 if not (out then holds "" rather than NULL data).
 */
static inline int cases_text(json_object *c, const char *key, const char *sep, struct buf *out)
{
	json_object *v, *x;
	size_t i, n;

	buf_append(out, "", 0); /* data is never NULL */
	if (!json_object_object_get_ex(c, key, &v) || v == NULL)
		return 0;
	if (json_object_is_type(v, json_type_array)) {
		n = json_object_array_length(v);
		for (i = 0; i < n; i++) {
			if (i)
				buf_puts(out, sep);
			cases_append(out, json_object_array_get_idx(v, i));
		}
	} else if (json_object_is_type(v, json_type_object)) {
		if (json_object_object_get_ex(v, "prefix", &x))
			cases_append(out, x);
		n = json_object_object_get_ex(v, "times", &x) ? (size_t)json_object_get_int(x) : 0;
		json_object_object_get_ex(v, "repeat", &x);
		for (i = 0; i < n; i++)
			cases_append(out, x);
		if (json_object_object_get_ex(v, "suffix", &x))
			cases_append(out, x);
	} else {
		cases_append(out, v);
	}
	return 1;
}

/* String field key of c, or NULL. */
static inline const char *cases_str(json_object *c, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(c, key, &v) || !json_object_is_type(v, json_type_string))
		return NULL;
	return json_object_get_string(v);
}

#endif
