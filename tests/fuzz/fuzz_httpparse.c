/*
 * fuzz_httpparse.c - cgi/httpparse.h on untrusted request bytes.
 *
 * The whole input goes, as it is, through every parser that takes request
 * bytes: percent-decoding (path and form rules), query strings, forms,
 * Cookie headers, Content-Type values, route matching (as a path against
 * the patterns below, and as a pattern) and multipart bodies. For a
 * multipart body the first line of the input is the boundary (used only if
 * http_multipart_boundary accepts it) and the rest is the body.
 *
 * Checked promises: results and errors agree (*out NULL on error, out
 * restored on error), decoded text is valid UTF-8 without NUL, lent
 * pointers stay inside the input.
 */
#include "fuzz.h"
#include "httpparse.h"

static const char *const fuzz_routes[] = {
    "/",
    "/api/me",
    "/api/staff/{id}",
    "/api/staff/{id}/documents/{doc}",
    "/admin/{tenant}/calendars/{year}",
};

static void fuzz_pct(const char *s, size_t n, unsigned flags)
{
	struct buf out = BUF_INIT;

	buf_puts(&out, "keep");
	if (http_pct_decode(s, n, flags, &out) == HTTP_OK) {
		FUZZ_ASSERT(out.len >= 4 && out.len - 4 <= n);
		FUZZ_ASSERT(memchr(out.data + 4, 0, out.len - 4) == NULL);
		FUZZ_ASSERT(http_utf8_valid(out.data + 4, out.len - 4));
	} else {
		FUZZ_ASSERT(out.len == 4 && memcmp(out.data, "keep", 4) == 0);
	}
	buf_free(&out);
}

static void fuzz_form(const char *s, size_t n, int query)
{
	json_object *out = (json_object *)&out; /* must be overwritten */
	char err[128];
	int rc;

	rc = query ? http_query_parse(s, n, &out, err, sizeof(err))
	           : http_form_parse(s, n, NULL, &out, err, sizeof(err));
	if (rc == HTTP_OK) {
		FUZZ_ASSERT(out != NULL && json_object_is_type(out, json_type_object));
		json_object_object_foreach(out, key, val)
		{
			FUZZ_ASSERT(*key != '\0');
			FUZZ_ASSERT(json_object_is_type(val, json_type_string) ||
			            json_object_is_type(val, json_type_array));
		}
		json_object_put(out);
	} else {
		FUZZ_ASSERT(rc == HTTP_EINVAL || rc == HTTP_ELIMIT || rc == HTTP_EENCODING);
		FUZZ_ASSERT(out == NULL);
		/* a field whose value is not UTF-8 is named, and the name is UTF-8 */
		FUZZ_ASSERT(rc != HTTP_EENCODING || http_utf8_valid(err, strlen(err)));
		FUZZ_ASSERT(memchr(err, 0, sizeof(err)) != NULL);
	}
}

static void fuzz_cookie(const char *s, size_t n, const char *name)
{
	const char *v = NULL;
	size_t vlen = 0;

	if (http_cookie_get(s, n, name, &v, &vlen) == HTTP_OK)
		FUZZ_ASSERT(v >= s && v + vlen <= s + n);
}

static void fuzz_ctype(const char *s, size_t n)
{
	struct http_ctype ct;
	char param[32], boundary[HTTP_BOUNDARY_MAX + 1];

	if (http_ctype_parse(s, n, &ct) == HTTP_OK) {
		FUZZ_ASSERT(memchr(ct.type, 0, sizeof(ct.type)) != NULL);
		FUZZ_ASSERT(memchr(ct.charset, 0, sizeof(ct.charset)) != NULL);
		FUZZ_ASSERT(memchr(ct.boundary, 0, sizeof(ct.boundary)) != NULL);
	}
	if (http_ctype_param(s, n, "charset", param, sizeof(param)) == HTTP_OK)
		FUZZ_ASSERT(memchr(param, 0, sizeof(param)) != NULL);
	if (http_multipart_boundary(s, n, boundary) == HTTP_OK) {
		size_t bl = strlen(boundary);
		FUZZ_ASSERT(bl >= 1 && bl <= HTTP_BOUNDARY_MAX && boundary[bl - 1] != ' ');
	}
}

static void fuzz_routes_match(const char *s, size_t n)
{
	for (size_t i = 0; i < sizeof(fuzz_routes) / sizeof(fuzz_routes[0]); i++) {
		json_object *params = json_object_new_object();
		int rc = http_route_match(fuzz_routes[i], s, n, params);

		FUZZ_ASSERT(rc == HTTP_OK || rc == HTTP_ENOMATCH || rc == HTTP_EINVAL ||
		            rc == HTTP_ELIMIT);
		if (rc != HTTP_OK)
			FUZZ_ASSERT(json_object_object_length(params) == 0);
		json_object_put(params);
	}
}

static void fuzz_multipart(const char *s, size_t n)
{
	const char *nl = memchr(s, '\n', n);
	char ctype[HTTP_BOUNDARY_MAX + 64], boundary[HTTP_BOUNDARY_MAX + 1], err[128];
	struct http_part parts[8];
	size_t line, nparts = 0;

	if (nl == NULL)
		return;
	line = (size_t)(nl - s);
	if (line && s[line - 1] == '\r')
		line--;
	if (line > HTTP_BOUNDARY_MAX)
		return;
	snprintf(ctype, sizeof(ctype), "multipart/form-data; boundary=%.*s", (int)line, s);
	if (http_multipart_boundary(ctype, strlen(ctype), boundary) != HTTP_OK)
		return;
	const char *body = nl + 1;
	size_t blen = n - (size_t)(body - s);
	/* the body in its own exact-size buffer, so an overread is caught */
	char *copy = malloc(blen ? blen : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, body, blen);
	if (http_multipart_parse(copy, blen, boundary, parts, 8, &nparts, err, sizeof(err)) ==
	    HTTP_OK) {
		FUZZ_ASSERT(nparts <= 8);
		for (size_t i = 0; i < nparts; i++) {
			FUZZ_ASSERT(parts[i].name[0] != '\0');
			FUZZ_ASSERT(parts[i].data >= copy &&
			            parts[i].data + parts[i].len <= copy + blen);
			FUZZ_ASSERT(http_utf8_valid(parts[i].name, strlen(parts[i].name)));
			FUZZ_ASSERT(http_utf8_valid(parts[i].filename, strlen(parts[i].filename)));
		}
	}
	free(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;

	(void)http_utf8_valid(s, size);
	fuzz_pct(s, size, 0);
	fuzz_pct(s, size, HTTP_PCT_FORM);
	fuzz_form(s, size, 0);
	fuzz_form(s, size, 1);
	fuzz_cookie(s, size, "session");
	fuzz_cookie(s, size, "csrf");
	fuzz_cookie(NULL, 0, "session");
	fuzz_ctype(s, size);
	fuzz_routes_match(s, size);
	fuzz_multipart(s, size);

	char *pattern = fuzz_strdup(data, size);
	if (http_route_valid(pattern) == HTTP_OK)
		(void)http_route_match(pattern, "/a/b/c", 6, NULL);
	free(pattern);
	return 0;
}
