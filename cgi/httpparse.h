/*
 * httpparse.h - the pieces of an HTTP request the responders read:
 * percent-decoding, query strings and urlencoded forms, cookies, route
 * patterns, Content-Type values and multipart/form-data bodies.
 *
 * Our own because fcgi2 hands over the raw query and body and Debian 12
 * packages no C library for forms or multipart bodies (libcurl builds them,
 * it does not parse them); kept to what browsers and the exchange send, and
 * fuzzed (tests/fuzz/fuzz_httpparse.c).
 *
 * No I/O, no globals, no allocation beyond what a result needs: every
 * function works on the bytes it is given (pointer + length, no NUL needed)
 * and is safe to call from several threads. Nothing here logs; the error
 * texts written to err name positions and counts, never the values, so they
 * may go to a log or a 400 answer as they are.
 *
 * json-c ownership: a json_object ** result is a new object the caller owns
 * (json_object_put); a json_object * argument is lent, and the function only
 * adds new string children to it.
 *
 * Decisions
 * - Percent-decoding rejects a malformed escape ("%", "%4", "%zz"), a NUL
 *   byte (raw or %00) and a result that is not valid UTF-8 (overlong forms,
 *   surrogates and code points past U+10FFFF included): everything decoded
 *   here ends up in a JSON request to the core, and PostgreSQL refuses bad
 *   UTF-8 later with a less clear error. A form field's value that is not
 *   UTF-8 is HTTP_EENCODING naming the field, so the answer can say which.
 *   '+' is a space only in forms and query strings (HTTP_PCT_FORM), never
 *   in paths.
 * - Query strings and forms: pairs split on '&' (not ';'); empty pairs are
 *   skipped; "name" without '=' has the value ""; an empty name is an error.
 *   A repeated name: the last value wins (so a hidden "0" before a checkbox
 *   "1" works as in HTML forms). A name ending in "[]" collects all its
 *   values, in order, into an array under the name without "[]"; using one
 *   name both ways is an error.
 * - Cookies: the first cookie of the name wins (browsers send the most
 *   specific path first); blanks around names and values are ignored, one
 *   pair of double quotes around a value is removed, pairs without '=' are
 *   skipped; values are not percent-decoded.
 * - Routes: see http_route_match.
 * - multipart/form-data: CRLF line ends only (as browsers and curl send);
 *   see http_multipart_parse.
 */
#ifndef CABINET_HTTPPARSE_H
#define CABINET_HTTPPARSE_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"

/* Return codes: 0 or one of these. */
enum {
	HTTP_OK = 0,
	HTTP_EINVAL = -1,    /* malformed input (400) */
	HTTP_ELIMIT = -2,    /* a count or size limit exceeded (400 or 413) */
	HTTP_ENOTFOUND = -3, /* the cookie or parameter is absent */
	HTTP_ENOMATCH = -4,  /* the route pattern does not match the path */
	HTTP_EENCODING = -5, /* a well-formed value that is not UTF-8 (422 naming the field) */
	HTTP_EMULTIPLE = -6, /* an upload with two "file" parts (422 at the field file) */
};

/* What an upload with two "file" parts is told, at the form's field file
 * (cabinet-api and cabinet-admin alike). */
#define HTTP_ONE_FILE_RU "Один файл на одну загрузку: отправьте файлы по одному"

/* A short English text for an HTTP_E* code. */
const char *http_strerror(int rc);

/* 1 if s[0..len) is valid UTF-8 (RFC 3629: no overlongs, no surrogates). */
int http_utf8_valid(const char *s, size_t len);

#define HTTP_PCT_FORM 0x1 /* '+' decodes to a space */

/*
 * Percent-decodes src[0..len) and appends the result to out. Returns 0, or
 * HTTP_EINVAL for a bad escape or a NUL, HTTP_EENCODING for a result that
 * is not UTF-8; on error out is restored to the length it had.
 */
int http_pct_decode(const char *src, size_t len, unsigned flags, struct buf *out);

/* Bounds for http_form_parse. */
struct http_form_limits {
	size_t max_params; /* name=value pairs, each list item counted */
	size_t max_name;   /* bytes of a decoded name, "[]" included */
	size_t max_value;  /* bytes of a decoded value */
};

/* For query strings: 64 pairs, names of 64 bytes, values of 4 KiB. */
extern const struct http_form_limits http_limits_query;
/* For urlencoded bodies: 256 pairs, names of 64 bytes, values of 64 KiB. */
extern const struct http_form_limits http_limits_form;

/*
 * Parses application/x-www-form-urlencoded text (a query string without the
 * '?', or a request body) into *out: a new object, owned by the caller, of
 * strings and arrays of strings (see "Decisions" above). lim NULL means
 * http_limits_form. Returns 0, or HTTP_EINVAL / HTTP_ELIMIT with *out NULL
 * and a message in err (err may be NULL), or HTTP_EENCODING with err
 * holding the name (without "[]") of the field whose value is not UTF-8.
 */
int http_form_parse(const char *src, size_t len, const struct http_form_limits *lim,
                    json_object **out, char *err, size_t errlen);

/* http_form_parse with http_limits_query. */
int http_query_parse(const char *qs, size_t len, json_object **out, char *err, size_t errlen);

/*
 * Finds cookie `name` in a Cookie header value (header may be NULL). On 0,
 * *value points into header (lent, not NUL-terminated) for *value_len bytes.
 * Returns HTTP_ENOTFOUND if there is no such cookie.
 */
int http_cookie_get(const char *header, size_t len, const char *name, const char **value,
                    size_t *value_len);

#define HTTP_ROUTE_MAX_PARAMS 8   /* {params} in one pattern */
#define HTTP_ROUTE_MAX_VALUE  256 /* bytes of one decoded parameter */

/*
 * Checks a route pattern: "/" or "/" followed by segments joined by "/",
 * each a literal (bytes other than '/', '{', '}', '%', '?') or a whole-segment
 * parameter "{name}" with name [a-z_][a-z0-9_]*, at most 32 bytes, each name
 * once, at most HTTP_ROUTE_MAX_PARAMS of them. No empty segment, no trailing
 * slash. Returns 0 or HTTP_EINVAL. Call it on the route table at start-up.
 */
int http_route_valid(const char *pattern);

/*
 * Matches the raw (still percent-encoded) request path path[0..len) against
 * pattern. Anything from a '?' on is ignored, so REQUEST_URI may be passed as
 * it is. One trailing slash on the path is ignored ("/api/me/" matches
 * "/api/me"); empty segments ("//") never match. Literal segments compare
 * byte for byte with the raw path (no decoding, no case folding); a
 * parameter matches one non-empty segment and is percent-decoded (no '+'
 * rule) into a string. On a match the parameters are added to params (lent;
 * may be NULL) and 0 is returned; otherwise params is left untouched and the
 * result is HTTP_ENOMATCH, HTTP_EINVAL (bad pattern, or a parameter with a
 * bad escape, NUL or invalid UTF-8) or HTTP_ELIMIT (a parameter longer than
 * HTTP_ROUTE_MAX_VALUE).
 */
int http_route_match(const char *pattern, const char *path, size_t len, json_object *params);

#define HTTP_BOUNDARY_MAX 70 /* RFC 2046 */

/* A parsed Content-Type value. */
struct http_ctype {
	char type[128];                       /* "type/subtype", lowercased */
	char charset[64];                     /* lowercased; "" if absent */
	char boundary[HTTP_BOUNDARY_MAX + 1]; /* as sent; "" if absent */
};

/*
 * Parses a Content-Type header value: type "/" subtype, then ";" name=value
 * parameters (value a token or a quoted string with backslash escapes;
 * parameter names compare case-insensitively; other parameters are
 * skipped). Returns 0, or HTTP_EINVAL if malformed, if charset or boundary
 * is given twice, or if a field does not fit in struct http_ctype.
 */
int http_ctype_parse(const char *value, size_t len, struct http_ctype *ct);

/*
 * Copies parameter `param` of a Content-Type value, unquoted, as a
 * NUL-terminated string into out. Returns 0, HTTP_ENOTFOUND, HTTP_EINVAL
 * (malformed value or the parameter given twice) or HTTP_ELIMIT (does not
 * fit in outlen).
 */
int http_ctype_param(const char *value, size_t len, const char *param, char *out, size_t outlen);

/*
 * The boundary of a multipart/form-data Content-Type value, into out. The
 * type must be multipart/form-data and the boundary 1..70 printable ASCII
 * characters not ending in a space. Returns 0 or HTTP_EINVAL.
 */
int http_multipart_boundary(const char *value, size_t len, char out[HTTP_BOUNDARY_MAX + 1]);

/* A file name is kept to HTTP_PART_FILENAME_MAX bytes: a longer one is cut
 * to its first bytes (at a character), still longer than any name the core
 * keeps (ARGS_FILE_NAME_MAX, core/args.h: 255 characters, at most 1020
 * bytes), so the core refuses it with 422 naming the field and the limit
 * rather than the parser with a bare 400. The header line holds a name of
 * 255 characters of any script with room to spare. */
#define HTTP_PART_NAME_MAX     128
#define HTTP_PART_FILENAME_MAX 1024
#define HTTP_PART_CTYPE_MAX    127
#define HTTP_PART_HEADER_MAX   4096 /* bytes of one part header line */
#define HTTP_PART_HEADERS_MAX  16   /* header lines of one part */

/* One part of a multipart/form-data body. */
struct http_part {
	char name[HTTP_PART_NAME_MAX + 1];          /* non-empty */
	char filename[HTTP_PART_FILENAME_MAX + 1];  /* "" if none; a longer one cut */
	int has_filename;                           /* 1 if filename= was sent (even "") */
	char content_type[HTTP_PART_CTYPE_MAX + 1]; /* trimmed header value; "" if none */
	const char *data;                           /* lent: points into the caller's body */
	size_t len;
};

/*
 * Splits a multipart/form-data body (RFC 7578) with the given boundary (as
 * from http_multipart_boundary) into parts[0..*nparts), at most max_parts.
 * Names and filenames are copied as sent between the quotes of
 * Content-Disposition: browsers send '"', CR and LF there as %22, %0D, %0A
 * and never backslash escapes, so none are decoded. They must be valid UTF-8
 * and a name has no control characters. A filename may hold them (a file
 * named with a tab or \x01 is sent so by browsers, in a quoted value): it is
 * kept as sent, so that the upload's own check refuses it in the user's
 * words at the form's file field (core args.h ARG_ROW_FILE_NAME), not as
 * a malformed body; CR, LF and NUL still end the header. A filename longer
 * than HTTP_PART_FILENAME_MAX bytes keeps its first bytes (see there). Each
 * part needs a Content-Disposition: form-data header with a non-empty name;
 * other headers than it and Content-Type are ignored. The preamble and epilogue are ignored.
 * Returns 0, or HTTP_EINVAL (malformed: no delimiter, truncated part, bad headers) / HTTP_ELIMIT
 * (more than max_parts parts, a too long header or field) with a message in err (err may be NULL).
 */
int http_multipart_parse(const char *body, size_t len, const char *boundary,
                         struct http_part *parts, size_t max_parts, size_t *nparts, char *err,
                         size_t errlen);

/*
 * An upload form (multipart/form-data with the given boundary), as both
 * responders take it: its text parts are added to fields as strings (a
 * repeated name keeps the last), its one "file" part (name "file", with
 * filename=) is *file / *file_len (lent from body; NULL when there is
 * none) and its file name fields' "filename". Parts with a filename= under
 * another name are ignored. Returns 0; HTTP_EINVAL / HTTP_ELIMIT for a
 * malformed body (see http_multipart_parse; the message in err);
 * HTTP_EENCODING for a text part that is not UTF-8 (its name in err);
 * HTTP_EMULTIPLE for a second "file" part (never the last one kept in
 * silence: "file" in err). On an error fields may hold some parts already.
 */
int http_multipart_upload(const char *body, size_t len, const char *boundary, json_object *fields,
                          const char **file, size_t *file_len, char *err, size_t errlen);

#endif
