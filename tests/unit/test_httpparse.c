#include "cases.h"
#include "check.h"
#include "httpparse.h"

#include <stdlib.h>

/*
 * The tables of data/httpparse_cases.json, one section per function. Inputs
 * are text fields (see cases.h): multipart bodies are lines joined with CRLF.
 */

static int code_of(const char *s)
{
	if (s == NULL)
		return HTTP_OK;
	if (strcmp(s, "invalid") == 0)
		return HTTP_EINVAL;
	if (strcmp(s, "limit") == 0)
		return HTTP_ELIMIT;
	if (strcmp(s, "notfound") == 0)
		return HTTP_ENOTFOUND;
	if (strcmp(s, "nomatch") == 0)
		return HTTP_ENOMATCH;
	if (strcmp(s, "encoding") == 0)
		return HTTP_EENCODING;
	return 1;
}

static int flag(json_object *c, const char *key)
{
	json_object *v;

	return json_object_object_get_ex(c, key, &v) && json_object_get_boolean(v);
}

static void fail_case(const char *section, json_object *c, const char *what)
{
	const char *name = cases_str(c, "name");

	fprintf(stderr, "%s case \"%s\": %s\n", section, name ? name : "?", what);
}

static void case_pct(json_object *c)
{
	struct buf in = BUF_INIT, want = BUF_INIT, out = BUF_INIT;
	int rc;

	cases_text(c, "in", "", &in);
	buf_puts(&out, "keep:");
	rc = http_pct_decode(in.data, in.len, flag(c, "form") ? HTTP_PCT_FORM : 0, &out);
	if (cases_text(c, "out", "", &want)) {
		if (rc != 0 || out.len != want.len + 5 || memcmp(out.data + 5, want.data, want.len))
			fail_case("pct_decode", c, out.data);
		CHECK_INT(rc, 0);
		CHECK_INT(out.len, want.len + 5);
		CHECK(memcmp(out.data + 5, want.data, want.len) == 0);
	} else {
		int code = cases_str(c, "code") ? code_of(cases_str(c, "code")) : HTTP_EINVAL;
		if (rc != code)
			fail_case("pct_decode", c, "decoded, want an error");
		CHECK_INT(rc, code);
		CHECK_STR(out.data, "keep:");
	}
	buf_free(&in);
	buf_free(&want);
	buf_free(&out);
}

static void case_form(json_object *c)
{
	struct buf in = BUF_INIT;
	json_object *out = (json_object *)1, *want = NULL;
	const char *lim = cases_str(c, "limits"), *want_err = cases_str(c, "error");
	char err[256] = "";
	int rc;

	cases_text(c, "in", "", &in);
	if (lim != NULL && strcmp(lim, "query") == 0)
		rc = http_query_parse(in.data, in.len, &out, err, sizeof(err));
	else
		rc = http_form_parse(in.data, in.len, NULL, &out, err, sizeof(err));
	if (want_err != NULL) {
		int code = cases_str(c, "code") ? code_of(cases_str(c, "code")) : HTTP_EINVAL;

		if (rc != code || strstr(err, want_err) == NULL)
			fail_case("form", c, err);
		CHECK_INT(rc, code);
		CHECK(strstr(err, want_err) != NULL);
		CHECK(out == NULL);
	} else if (json_object_object_get_ex(c, "out_sizes", &want)) {
		/* for large results: {name: length of the string or the array} */
		CHECK_INT(rc, 0);
		CHECK_INT(json_object_object_length(out), json_object_object_length(want));
		json_object_object_foreach(want, key, size)
		{
			json_object *got = NULL;
			size_t len = 0;

			json_object_object_get_ex(out, key, &got);
			if (json_object_is_type(got, json_type_array))
				len = json_object_array_length(got);
			else if (json_object_is_type(got, json_type_string))
				len = (size_t)json_object_get_string_len(got);
			if (len != (size_t)json_object_get_int(size))
				fail_case("form", c, key);
			CHECK_INT(len, json_object_get_int(size));
		}
		json_object_put(out);
	} else {
		json_object_object_get_ex(c, "out", &want);
		if (rc != 0 || !json_object_equal(out, want))
			fail_case("form", c, rc ? err : json_object_to_json_string(out));
		CHECK_INT(rc, 0);
		CHECK(json_object_equal(out, want));
		json_object_put(out);
	}
	buf_free(&in);
}

static void case_cookie(json_object *c)
{
	struct buf header = BUF_INIT;
	const char *want = cases_str(c, "value"), *value = NULL;
	size_t len = 0;
	int have = cases_text(c, "header", "", &header);
	int rc = http_cookie_get(have ? header.data : NULL, header.len, cases_str(c, "cookie_name"),
	                         &value, &len);

	if (want == NULL) {
		if (rc != HTTP_ENOTFOUND)
			fail_case("cookie", c, "found, want none");
		CHECK_INT(rc, HTTP_ENOTFOUND);
	} else {
		if (rc != 0 || len != strlen(want) || memcmp(value, want, len) != 0)
			fail_case("cookie", c, "wrong value");
		CHECK_INT(rc, 0);
		CHECK(len == strlen(want) && memcmp(value, want, len) == 0);
	}
	buf_free(&header);
}

static void case_route(json_object *c)
{
	struct buf path = BUF_INIT;
	const char *pattern = cases_str(c, "pattern");
	json_object *params = json_object_new_object(), *want = NULL;
	int code = code_of(cases_str(c, "result"));
	int rc;

	cases_text(c, "path", "", &path);
	rc = http_route_match(pattern, path.data, path.len, params);
	if (!json_object_object_get_ex(c, "params", &want))
		want = NULL;
	if (rc != code || (want && !json_object_equal(params, want)) ||
	    (!want && json_object_object_length(params) != 0))
		fail_case("route", c, json_object_to_json_string(params));
	CHECK_INT(rc, code);
	if (want)
		CHECK(json_object_equal(params, want));
	else
		CHECK_INT(json_object_object_length(params), 0);
	CHECK_INT(http_route_valid(pattern), flag(c, "bad_pattern") ? HTTP_EINVAL : 0);
	json_object_put(params);
	buf_free(&path);
}

static void case_ctype(json_object *c)
{
	struct buf in = BUF_INIT;
	struct http_ctype ct;
	int rc;

	cases_text(c, "in", "", &in);
	rc = http_ctype_parse(in.data, in.len, &ct);
	if (flag(c, "error")) {
		if (rc != HTTP_EINVAL)
			fail_case("ctype", c, "parsed, want an error");
		CHECK_INT(rc, HTTP_EINVAL);
		CHECK_STR(ct.type, "");
	} else {
		if (rc != 0 || strcmp(ct.type, cases_str(c, "type")) != 0 ||
		    strcmp(ct.charset, cases_str(c, "charset") ? cases_str(c, "charset") : "") ||
		    strcmp(ct.boundary, cases_str(c, "boundary") ? cases_str(c, "boundary") : ""))
			fail_case("ctype", c, ct.type);
		CHECK_INT(rc, 0);
		CHECK_STR(ct.type, cases_str(c, "type"));
		CHECK_STR(ct.charset, cases_str(c, "charset") ? cases_str(c, "charset") : "");
		CHECK_STR(ct.boundary, cases_str(c, "boundary") ? cases_str(c, "boundary") : "");
	}
	buf_free(&in);
}

static void case_ctype_param(json_object *c)
{
	struct buf in = BUF_INIT;
	char out[16] = "";
	json_object *v;
	size_t outlen = sizeof(out);
	int rc, code = code_of(cases_str(c, "result"));

	if (json_object_object_get_ex(c, "outlen", &v))
		outlen = (size_t)json_object_get_int(v);
	cases_text(c, "in", "", &in);
	rc = http_ctype_param(in.data, in.len, cases_str(c, "param"), out, outlen);
	if (rc != code || (code == 0 && strcmp(out, cases_str(c, "value")) != 0))
		fail_case("ctype_param", c, out);
	CHECK_INT(rc, code);
	if (code == 0)
		CHECK_STR(out, cases_str(c, "value"));
	buf_free(&in);
}

static void case_boundary(json_object *c)
{
	struct buf in = BUF_INIT;
	char b[HTTP_BOUNDARY_MAX + 1];
	const char *want = cases_str(c, "boundary");
	int rc;

	cases_text(c, "in", "", &in);
	rc = http_multipart_boundary(in.data, in.len, b);
	if (want == NULL) {
		if (rc != HTTP_EINVAL)
			fail_case("boundary", c, b);
		CHECK_INT(rc, HTTP_EINVAL);
		CHECK_STR(b, "");
	} else {
		if (rc != 0 || strcmp(b, want) != 0)
			fail_case("boundary", c, b);
		CHECK_INT(rc, 0);
		CHECK_STR(b, want);
	}
	buf_free(&in);
}

static void check_part(json_object *c, const struct http_part *got, json_object *want)
{
	const char *filename = cases_str(want, "filename");
	struct buf data = BUF_INIT;

	cases_text(want, "data", "\r\n", &data);
	if (strcmp(got->name, cases_str(want, "name")) != 0 ||
	    got->has_filename != (filename != NULL) ||
	    strcmp(got->filename, filename ? filename : "") != 0 ||
	    strcmp(got->content_type,
	           cases_str(want, "content_type") ? cases_str(want, "content_type") : "") != 0 ||
	    got->len != data.len || memcmp(got->data, data.data, data.len) != 0)
		fail_case("multipart", c, got->name);
	CHECK_STR(got->name, cases_str(want, "name"));
	CHECK_INT(got->has_filename, filename != NULL);
	CHECK_STR(got->filename, filename ? filename : "");
	CHECK_STR(got->content_type,
	          cases_str(want, "content_type") ? cases_str(want, "content_type") : "");
	CHECK_INT(got->len, data.len);
	CHECK(memcmp(got->data, data.data, data.len) == 0);
	buf_free(&data);
}

static void case_multipart(json_object *c)
{
	struct buf body = BUF_INIT, boundary = BUF_INIT;
	struct http_part parts[16];
	size_t n = 99, max = 16, i;
	json_object *v, *want = NULL;
	const char *want_err = cases_str(c, "error");
	char err[256] = "";
	int rc;

	if (json_object_object_get_ex(c, "max_parts", &v))
		max = (size_t)json_object_get_int(v);
	cases_text(c, "boundary", "", &boundary);
	cases_text(c, "body", "\r\n", &body);
	/* a copy of exactly the body's size, so reads past it are caught */
	{
		char *copy = malloc(body.len ? body.len : 1);

		memcpy(copy, body.data, body.len);
		rc = http_multipart_parse(copy, body.len, boundary.data, parts, max, &n, err,
		                          sizeof(err));
		for (i = 0; rc == 0 && i < n; i++)
			parts[i].data = body.data + (parts[i].data - copy);
		free(copy);
	}
	if (want_err != NULL) {
		int code = cases_str(c, "code") ? code_of(cases_str(c, "code")) : HTTP_EINVAL;

		if (rc != code || strstr(err, want_err) == NULL)
			fail_case("multipart", c, err);
		CHECK_INT(rc, code);
		CHECK(strstr(err, want_err) != NULL);
		CHECK_INT(n, 0);
	} else {
		json_object_object_get_ex(c, "parts", &want);
		if (rc != 0 || n != json_object_array_length(want))
			fail_case("multipart", c, err);
		CHECK_INT(rc, 0);
		CHECK_INT(n, json_object_array_length(want));
		for (i = 0; rc == 0 && i < n && i < json_object_array_length(want); i++)
			check_part(c, &parts[i], json_object_array_get_idx(want, i));
	}
	buf_free(&body);
	buf_free(&boundary);
}

static const struct {
	const char *section;
	void (*run)(json_object *c);
} sections[] = {
    {"pct_decode", case_pct},    {"form", case_form},           {"cookie", case_cookie},
    {"route", case_route},       {"ctype", case_ctype},         {"ctype_param", case_ctype_param},
    {"boundary", case_boundary}, {"multipart", case_multipart},
};

TEST(test_cases)
{
	json_object *root = cases_load("httpparse_cases.json"), *cases;
	size_t s, i, n;

	CHECK(root != NULL);
	if (root == NULL)
		return;
	for (s = 0; s < sizeof(sections) / sizeof(sections[0]); s++) {
		if (!json_object_object_get_ex(root, sections[s].section, &cases)) {
			fprintf(stderr, "no section %s\n", sections[s].section);
			CHECK(0);
			continue;
		}
		n = json_object_array_length(cases);
		CHECK(n > 0);
		for (i = 0; i < n; i++)
			sections[s].run(json_object_array_get_idx(cases, i));
	}
	json_object_put(root);
}

/* Inputs a JSON file cannot hold: bytes that are not UTF-8. */
TEST(test_raw_bytes)
{
	const char body[] =
	    "--b\r\nContent-Disposition: form-data; name=\"\xff\"\r\n\r\nx\r\n--b--";
	const char body2[] = "--b\r\nContent-Disposition: form-data; name=\"f\"; "
	                     "filename=\"\xd0\x9e\xd1\x82\xd1\x87\xd1\x91\xd1\x82.csv\"\r\n\r\n"
	                     "\x00\xff\r\n\r\n--b--\r\n";
	struct http_part parts[2];
	size_t n;
	char err[256];
	struct buf out = BUF_INIT;
	const char *v;
	size_t vlen;

	CHECK_INT(http_multipart_parse(body, sizeof(body) - 1, "b", parts, 2, &n, err, sizeof(err)),
	          HTTP_EINVAL);
	CHECK_STR(err, "part 1: control character or invalid UTF-8 in name or filename");
	CHECK_INT(
	    http_multipart_parse(body2, sizeof(body2) - 1, "b", parts, 2, &n, err, sizeof(err)), 0);
	CHECK_INT(n, 1);
	CHECK_STR(parts[0].filename, "Отчёт.csv");
	CHECK_INT(parts[0].len, 4);
	CHECK(memcmp(parts[0].data, "\x00\xff\r\n", 4) == 0);

	CHECK_INT(http_pct_decode("a\0b", 3, 0, &out), HTTP_EINVAL);
	CHECK_INT(http_pct_decode("\xd0\x9c", 2, 0, &out), 0);
	CHECK_INT(http_pct_decode("\xd0", 1, 0, &out), HTTP_EENCODING);
	CHECK_STR(out.data, "М");
	CHECK(http_utf8_valid("\xef\xbb\xbf", 3));
	CHECK(!http_utf8_valid("\xf8\x88\x80\x80\x80", 5));
	CHECK(!http_utf8_valid("\x80", 1));
	buf_free(&out);

	/* a NUL inside a cookie header is just a byte of a value */
	CHECK_INT(http_cookie_get("a=\0; sid=1", 10, "sid", &v, &vlen), 0);
	CHECK_INT(vlen, 1);
	CHECK_STR(http_strerror(HTTP_ENOMATCH), "route does not match");
}

/* An upload form as both responders take it: one "file" part, a second
 * one refused (never the last kept in silence), text parts as fields. */
TEST(test_multipart_upload)
{
	const char one[] =
	    "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nок\r\n"
	    "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
	    "\r\nA\r\n--b--\r\n";
	const char two[] =
	    "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
	    "\r\nA\r\n"
	    "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"b.csv\"\r\n"
	    "\r\nB\r\n--b--\r\n";
	const char bad[] =
	    "--b\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\n\xff\r\n--b--";
	json_object *fields = json_object_new_object();
	const char *file;
	size_t len;
	char err[64];

	CHECK_INT(
	    http_multipart_upload(one, sizeof(one) - 1, "b", fields, &file, &len, err, sizeof(err)),
	    0);
	CHECK_INT(len, 1);
	CHECK(file && file[0] == 'A');
	CHECK_STR(json_object_get_string(json_object_object_get(fields, "filename")), "a.csv");
	CHECK_STR(json_object_get_string(json_object_object_get(fields, "note")), "ок");
	CHECK_INT(
	    http_multipart_upload(two, sizeof(two) - 1, "b", fields, &file, &len, err, sizeof(err)),
	    HTTP_EMULTIPLE);
	CHECK_STR(err, "file");
	CHECK_INT(
	    http_multipart_upload(bad, sizeof(bad) - 1, "b", fields, &file, &len, err, sizeof(err)),
	    HTTP_EENCODING);
	CHECK_STR(err, "note");
	CHECK_INT(http_multipart_upload("x", 1, "b", fields, &file, &len, NULL, 0), HTTP_EINVAL);
	json_object_put(fields);
}

/* An err buffer may be NULL or tiny; a result is still right. */
TEST(test_err_buffers)
{
	json_object *out;
	char tiny[4];
	struct http_part parts[1];
	size_t n;

	CHECK_INT(http_form_parse("=x", 2, NULL, &out, NULL, 0), HTTP_EINVAL);
	CHECK_INT(http_form_parse("=x", 2, NULL, &out, tiny, sizeof(tiny)), HTTP_EINVAL);
	CHECK_STR(tiny, "par");
	CHECK_INT(http_multipart_parse("x", 1, "b", parts, 1, &n, NULL, 0), HTTP_EINVAL);
	CHECK_INT(http_multipart_parse("--b--", 5, "b", parts, 0, &n, NULL, 0), 0);
	CHECK_INT(n, 0);
}

int main(void)
{
	RUN(test_cases);
	RUN(test_raw_bytes);
	RUN(test_multipart_upload);
	RUN(test_err_buffers);
	return check_report();
}
