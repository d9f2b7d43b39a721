/*
 * httpparse.c - see httpparse.h for the decisions.
 */
#include "httpparse.h"

#include "textenc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

const struct http_form_limits http_limits_query = {64, 64, 4096};
const struct http_form_limits http_limits_form = {256, 64, 65536};

static void http_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void http_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

const char *http_strerror(int rc)
{
	switch (rc) {
	case HTTP_OK:
		return "ok";
	case HTTP_EINVAL:
		return "malformed request data";
	case HTTP_ELIMIT:
		return "request data over a limit";
	case HTTP_ENOTFOUND:
		return "not found";
	case HTTP_ENOMATCH:
		return "route does not match";
	case HTTP_EENCODING:
		return "text that is not UTF-8";
	case HTTP_EMULTIPLE:
		return "more than one file in an upload";
	}
	return "unknown HTTP parse error";
}

/* ---- UTF-8 and percent-decoding ---- */

int http_utf8_valid(const char *s, size_t len)
{
	return textenc_utf8_valid(s, len);
}

static int http_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int http_pct_decode(const char *src, size_t len, unsigned flags, struct buf *out)
{
	size_t start = out->len, i;

	buf_reserve(out, len);
	for (i = 0; i < len; i++) {
		char c = src[i];

		if (c == '%') {
			int hi, lo;

			if (len - i < 3)
				goto fail;
			hi = http_hexval(src[i + 1]);
			lo = http_hexval(src[i + 2]);
			if (hi < 0 || lo < 0)
				goto fail;
			c = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && (flags & HTTP_PCT_FORM)) {
			c = ' ';
		}
		if (c == '\0')
			goto fail;
		out->data[out->len++] = c;
	}
	out->data[out->len] = '\0';
	if (!http_utf8_valid(out->data + start, out->len - start)) {
		out->len = start;
		out->data[start] = '\0';
		return HTTP_EENCODING;
	}
	return HTTP_OK;
fail:
	out->len = start;
	out->data[start] = '\0';
	return HTTP_EINVAL;
}

/* ---- query strings and urlencoded forms ---- */

static int http_form_pair(json_object *obj, const char *p, size_t plen, size_t idx,
                          const struct http_form_limits *lim, struct buf *name, struct buf *value,
                          char *err, size_t errlen)
{
	const char *eq = memchr(p, '=', plen);
	size_t nlen = eq ? (size_t)(eq - p) : plen;
	json_object *old = NULL, *arr;
	int list, rc;

	buf_reset(name);
	buf_reset(value);
	if (http_pct_decode(p, nlen, HTTP_PCT_FORM, name) < 0) {
		http_seterr(err, errlen,
		            "parameter %zu: bad escape, NUL or invalid UTF-8 in the name", idx);
		return HTTP_EINVAL;
	}
	if (name->len > lim->max_name) {
		http_seterr(err, errlen, "parameter %zu: name longer than %zu bytes", idx,
		            lim->max_name);
		return HTTP_ELIMIT;
	}
	if (eq && (rc = http_pct_decode(eq + 1, plen - nlen - 1, HTTP_PCT_FORM, value)) < 0) {
		if (rc == HTTP_EENCODING && name->len >= 2 &&
		    memcmp(name->data + name->len - 2, "[]", 2) == 0)
			name->data[name->len - 2] = '\0';
		if (rc == HTTP_EENCODING) /* the field is named: the name is UTF-8 */
			http_seterr(err, errlen, "%s", name->data);
		else
			http_seterr(err, errlen, "parameter %zu: bad escape or NUL in the value",
			            idx);
		return rc;
	}
	if (value->len > lim->max_value) {
		http_seterr(err, errlen, "parameter %zu: value longer than %zu bytes", idx,
		            lim->max_value);
		return HTTP_ELIMIT;
	}
	list = name->len >= 2 && memcmp(name->data + name->len - 2, "[]", 2) == 0;
	if (list) {
		name->len -= 2;
		name->data[name->len] = '\0';
	}
	if (name->len == 0) {
		http_seterr(err, errlen, "parameter %zu: empty name", idx);
		return HTTP_EINVAL;
	}
	json_object_object_get_ex(obj, name->data, &old);
	if (old != NULL && list != json_object_is_type(old, json_type_array)) {
		http_seterr(err, errlen, "parameter %zu: name used both with and without []", idx);
		return HTTP_EINVAL;
	}
	if (!list) {
		json_object_object_add(
		    obj, name->data,
		    json_object_new_string_len(value->data ? value->data : "", (int)value->len));
		return HTTP_OK;
	}
	arr = old;
	if (arr == NULL) {
		arr = json_object_new_array();
		json_object_object_add(obj, name->data, arr);
	}
	json_object_array_add(
	    arr, json_object_new_string_len(value->data ? value->data : "", (int)value->len));
	return HTTP_OK;
}

int http_form_parse(const char *src, size_t len, const struct http_form_limits *lim,
                    json_object **out, char *err, size_t errlen)
{
	json_object *obj = json_object_new_object();
	struct buf name = BUF_INIT, value = BUF_INIT;
	size_t pos = 0, count = 0;
	int rc = HTTP_OK;

	if (lim == NULL)
		lim = &http_limits_form;
	*out = NULL;
	while (pos < len) {
		const char *amp = memchr(src + pos, '&', len - pos);
		size_t end = amp ? (size_t)(amp - src) : len;

		if (end > pos) {
			if (++count > lim->max_params) {
				http_seterr(err, errlen, "more than %zu parameters",
				            lim->max_params);
				rc = HTTP_ELIMIT;
				goto fail;
			}
			rc = http_form_pair(obj, src + pos, end - pos, count, lim, &name, &value,
			                    err, errlen);
			if (rc < 0)
				goto fail;
		}
		pos = end + 1;
	}
	buf_free(&name);
	buf_free(&value);
	*out = obj;
	return HTTP_OK;
fail:
	buf_free(&name);
	buf_free(&value);
	json_object_put(obj);
	return rc;
}

int http_query_parse(const char *qs, size_t len, json_object **out, char *err, size_t errlen)
{
	return http_form_parse(qs, len, &http_limits_query, out, err, errlen);
}

/* ---- cookies ---- */

static int http_ows(char c)
{
	return c == ' ' || c == '\t';
}

int http_cookie_get(const char *header, size_t len, const char *name, const char **value,
                    size_t *value_len)
{
	size_t nlen = strlen(name), pos = 0;

	if (header == NULL || nlen == 0)
		return HTTP_ENOTFOUND;
	while (pos < len) {
		const char *semi = memchr(header + pos, ';', len - pos);
		size_t end = semi ? (size_t)(semi - header) : len;
		const char *eq = memchr(header + pos, '=', end - pos);
		size_t a = pos, b, c, d;

		pos = end + 1;
		if (eq == NULL)
			continue;
		b = (size_t)(eq - header);
		c = b + 1;
		d = end;
		while (a < b && http_ows(header[a]))
			a++;
		while (b > a && http_ows(header[b - 1]))
			b--;
		if (b - a != nlen || memcmp(header + a, name, nlen) != 0)
			continue;
		while (c < d && http_ows(header[c]))
			c++;
		while (d > c && http_ows(header[d - 1]))
			d--;
		if (d - c >= 2 && header[c] == '"' && header[d - 1] == '"') {
			c++;
			d--;
		}
		*value = header + c;
		*value_len = d - c;
		return HTTP_OK;
	}
	return HTTP_ENOTFOUND;
}

/* ---- routes ---- */

#define HTTP_ROUTE_NAME_MAX 32

struct http_route_param {
	const char *name; /* into the pattern, after '{' */
	size_t nlen;
	const char *val; /* into the path, still encoded */
	size_t vlen;
};

/* "{name}" with a valid name: returns the name length, else 0. */
static size_t http_route_param_name(const char *s, size_t len)
{
	size_t i;

	if (len < 3 || s[0] != '{' || s[len - 1] != '}' || len - 2 > HTTP_ROUTE_NAME_MAX)
		return 0;
	for (i = 1; i < len - 1; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || c == '_' || (i > 1 && c >= '0' && c <= '9')))
			return 0;
	}
	return len - 2;
}

int http_route_valid(const char *pattern)
{
	const char *names[HTTP_ROUTE_MAX_PARAMS];
	size_t nlens[HTTP_ROUTE_MAX_PARAMS];
	size_t nparams = 0, k;
	const char *p, *end;

	if (pattern == NULL || pattern[0] != '/')
		return HTTP_EINVAL;
	if (pattern[1] == '\0')
		return HTTP_OK;
	p = pattern + 1;
	end = p + strlen(p);
	for (;;) {
		const char *slash = memchr(p, '/', (size_t)(end - p));
		const char *e = slash ? slash : end;
		size_t len = (size_t)(e - p), nlen, i;

		if (len == 0)
			return HTTP_EINVAL;
		if (p[0] == '{') {
			nlen = http_route_param_name(p, len);
			if (nlen == 0 || nparams == HTTP_ROUTE_MAX_PARAMS)
				return HTTP_EINVAL;
			for (k = 0; k < nparams; k++)
				if (nlens[k] == nlen && memcmp(names[k], p + 1, nlen) == 0)
					return HTTP_EINVAL;
			names[nparams] = p + 1;
			nlens[nparams++] = nlen;
		} else {
			for (i = 0; i < len; i++)
				if (strchr("{}%?", p[i]) != NULL || (unsigned char)p[i] <= 0x20 ||
				    p[i] == 0x7f)
					return HTTP_EINVAL;
		}
		if (slash == NULL)
			return HTTP_OK;
		p = slash + 1;
	}
}

int http_route_match(const char *pattern, const char *path, size_t len, json_object *params)
{
	struct http_route_param found[HTTP_ROUTE_MAX_PARAMS];
	json_object *vals[HTTP_ROUTE_MAX_PARAMS];
	size_t nfound = 0, k, i;
	const char *p, *pend, *q;
	struct buf b = BUF_INIT;
	int rc;

	if (http_route_valid(pattern) < 0)
		return HTTP_EINVAL;
	q = memchr(path, '?', len);
	if (q != NULL)
		len = (size_t)(q - path);
	if (len == 0 || path[0] != '/')
		return HTTP_ENOMATCH;
	if (len > 1 && path[len - 1] == '/')
		len--;
	if (pattern[1] == '\0')
		return len == 1 ? HTTP_OK : HTTP_ENOMATCH;
	if (len == 1)
		return HTTP_ENOMATCH;

	p = pattern + 1;
	pend = p + strlen(p);
	i = 1;
	for (;;) {
		const char *ps = memchr(p, '/', (size_t)(pend - p));
		const char *pe = ps ? ps : pend;
		const char *qs = memchr(path + i, '/', len - i);
		size_t qe = qs ? (size_t)(qs - path) : len;

		if (p[0] == '{') {
			if (qe == i)
				return HTTP_ENOMATCH;
			found[nfound].name = p + 1;
			found[nfound].nlen = (size_t)(pe - p) - 2;
			found[nfound].val = path + i;
			found[nfound].vlen = qe - i;
			nfound++;
		} else if ((size_t)(pe - p) != qe - i || memcmp(p, path + i, qe - i) != 0) {
			return HTTP_ENOMATCH;
		}
		if ((pe == pend) != (qe == len))
			return HTTP_ENOMATCH;
		if (pe == pend)
			break;
		p = pe + 1;
		i = qe + 1;
	}

	for (k = 0; k < nfound; k++) {
		buf_reset(&b);
		rc = http_pct_decode(found[k].val, found[k].vlen, 0, &b);
		if (rc == HTTP_EENCODING) /* a path is not a field: it just does not match */
			rc = HTTP_EINVAL;
		if (rc == 0 && b.len > HTTP_ROUTE_MAX_VALUE)
			rc = HTTP_ELIMIT;
		if (rc < 0)
			goto fail;
		vals[k] = json_object_new_string_len(b.data, (int)b.len);
	}
	buf_free(&b);
	for (k = 0; k < nfound; k++) {
		char name[HTTP_ROUTE_NAME_MAX + 1];

		memcpy(name, found[k].name, found[k].nlen);
		name[found[k].nlen] = '\0';
		if (params != NULL)
			json_object_object_add(params, name, vals[k]);
		else
			json_object_put(vals[k]);
	}
	return HTTP_OK;
fail:
	while (k-- > 0)
		json_object_put(vals[k]);
	buf_free(&b);
	return rc;
}

/* ---- header values with parameters ---- */

static int http_tchar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* A byte allowed inside a quoted string (RFC 9110 qdtext and obs-text). */
static int http_qdtext(char c)
{
	unsigned char u = (unsigned char)c;

	return u == '\t' || (u >= 0x20 && u != 0x7f && u != '"');
}

/* A control character that a quoted multipart filename may hold (every one
 * but NUL, CR and LF, which end a header): HTTP_HV_CONTROLS. */
static int http_ctl_kept(char c)
{
	unsigned char u = (unsigned char)c;

	return (u < 0x20 || u == 0x7f) && u != '\0' && u != '\r' && u != '\n';
}

/* A byte of an unquoted parameter value: tolerant, any VCHAR but ; " \ */
static int http_vchar(char c)
{
	unsigned char u = (unsigned char)c;

	return u > 0x20 && u < 0x7f && u != ';' && u != '"' && u != '\\';
}

typedef int (*http_param_cb)(void *arg, const char *name, size_t nlen, const char *val, size_t vlen,
                             int quoted);

/* http_hv_parse's flags */
enum {
	HTTP_HV_ESCAPES = 1 << 0,  /* backslash escapes inside quoted strings */
	HTTP_HV_CONTROLS = 1 << 1, /* control characters (not NUL, CR, LF) inside quoted
	                              strings: a multipart filename, kept for the upload's
	                              own check (http_multipart_parse) */
};

/*
 * Parses `token ["/" token] *(OWS ";" OWS [name "=" value]) OWS`, where a
 * value is an unquoted run of http_vchar or a quoted string (with backslash
 * escapes when flags has HTTP_HV_ESCAPES), calling fn for each parameter;
 * fn's negative result stops the walk and is returned.
 */
static int http_hv_parse(const char *s, size_t len, int slash, int flags, const char **type,
                         size_t *tlen, http_param_cb fn, void *arg)
{
	int escapes = (flags & HTTP_HV_ESCAPES) != 0, controls = (flags & HTTP_HV_CONTROLS) != 0;
	size_t i = 0, ts, ns, nlen, vs, ve;
	int quoted, rc;

	while (i < len && http_ows(s[i]))
		i++;
	ts = i;
	while (i < len && http_tchar(s[i]))
		i++;
	if (i == ts)
		return HTTP_EINVAL;
	if (slash) {
		if (i == len || s[i] != '/')
			return HTTP_EINVAL;
		i++;
		vs = i;
		while (i < len && http_tchar(s[i]))
			i++;
		if (i == vs)
			return HTTP_EINVAL;
	}
	*type = s + ts;
	*tlen = i - ts;
	for (;;) {
		while (i < len && http_ows(s[i]))
			i++;
		if (i == len)
			return HTTP_OK;
		if (s[i] != ';')
			return HTTP_EINVAL;
		i++;
		while (i < len && http_ows(s[i]))
			i++;
		if (i == len || s[i] == ';')
			continue;
		ns = i;
		while (i < len && http_tchar(s[i]))
			i++;
		nlen = i - ns;
		if (nlen == 0 || i == len || s[i] != '=')
			return HTTP_EINVAL;
		i++;
		if (i < len && s[i] == '"') {
			quoted = 1;
			vs = ++i;
			for (;;) {
				if (i == len)
					return HTTP_EINVAL;
				if (s[i] == '"')
					break;
				if (escapes && s[i] == '\\') {
					if (++i == len || !(http_qdtext(s[i]) || s[i] == '"'))
						return HTTP_EINVAL;
				} else if (!http_qdtext(s[i]) &&
				           !(controls && http_ctl_kept(s[i]))) {
					return HTTP_EINVAL;
				}
				i++;
			}
			ve = i++;
		} else {
			quoted = 0;
			vs = i;
			while (i < len && http_vchar(s[i]))
				i++;
			ve = i;
			if (ve == vs)
				return HTTP_EINVAL;
		}
		rc = fn(arg, s + ns, nlen, s + vs, ve - vs, quoted && escapes);
		if (rc < 0)
			return rc;
	}
}

/* Copies a parameter value, unescaping if `unescape`, NUL-terminated. */
static int http_param_copy(const char *v, size_t vlen, int unescape, char *out, size_t outlen)
{
	size_t i, o = 0;

	for (i = 0; i < vlen; i++) {
		if (unescape && v[i] == '\\')
			i++; /* the parser checked that a byte follows */
		if (o + 1 >= outlen)
			return HTTP_ELIMIT;
		out[o++] = v[i];
	}
	if (outlen == 0)
		return HTTP_ELIMIT;
	out[o] = '\0';
	return HTTP_OK;
}

/* As http_param_copy, but a value longer than out keeps its first bytes,
 * cut at a UTF-8 character (a file name: httpparse.h). */
static int http_param_copy_prefix(const char *v, size_t vlen, int unescape, char *out,
                                  size_t outlen)
{
	size_t i, o = 0;

	if (outlen == 0)
		return HTTP_ELIMIT;
	for (i = 0; i < vlen; i++) {
		if (unescape && v[i] == '\\')
			i++; /* the parser checked that a byte follows */
		if (o + 1 >= outlen) {
			/* v[i] continues a character begun in out: drop its start */
			if (((unsigned char)v[i] & 0xc0) == 0x80) {
				while (o > 0 && ((unsigned char)out[o - 1] & 0xc0) == 0x80)
					o--;
				if (o > 0)
					o--;
			}
			break;
		}
		out[o++] = v[i];
	}
	out[o] = '\0';
	return HTTP_OK;
}

static int http_name_is(const char *name, size_t nlen, const char *want)
{
	return strlen(want) == nlen && strncasecmp(name, want, nlen) == 0;
}

static void http_lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

struct http_ctype_walk {
	struct http_ctype *ct;
	int have_charset, have_boundary;
};

static int http_ctype_fn(void *arg, const char *name, size_t nlen, const char *val, size_t vlen,
                         int unescape)
{
	struct http_ctype_walk *w = arg;

	if (http_name_is(name, nlen, "charset")) {
		if (w->have_charset++ || http_param_copy(val, vlen, unescape, w->ct->charset,
		                                         sizeof(w->ct->charset)) < 0)
			return HTTP_EINVAL;
		http_lower(w->ct->charset);
	} else if (http_name_is(name, nlen, "boundary")) {
		if (w->have_boundary++ || http_param_copy(val, vlen, unescape, w->ct->boundary,
		                                          sizeof(w->ct->boundary)) < 0)
			return HTTP_EINVAL;
	}
	return HTTP_OK;
}

int http_ctype_parse(const char *value, size_t len, struct http_ctype *ct)
{
	struct http_ctype_walk w = {ct, 0, 0};
	const char *type;
	size_t tlen;
	int rc;

	memset(ct, 0, sizeof(*ct));
	rc = http_hv_parse(value, len, 1, HTTP_HV_ESCAPES, &type, &tlen, http_ctype_fn, &w);
	if (rc == 0 && tlen >= sizeof(ct->type))
		rc = HTTP_EINVAL;
	if (rc < 0) {
		memset(ct, 0, sizeof(*ct));
		return HTTP_EINVAL;
	}
	memcpy(ct->type, type, tlen);
	ct->type[tlen] = '\0';
	http_lower(ct->type);
	return HTTP_OK;
}

struct http_param_walk {
	const char *want;
	char *out;
	size_t outlen;
	int found;
	int rc;
};

static int http_param_fn(void *arg, const char *name, size_t nlen, const char *val, size_t vlen,
                         int unescape)
{
	struct http_param_walk *w = arg;

	if (!http_name_is(name, nlen, w->want))
		return HTTP_OK;
	if (w->found++)
		return HTTP_EINVAL;
	w->rc = http_param_copy(val, vlen, unescape, w->out, w->outlen);
	return HTTP_OK;
}

int http_ctype_param(const char *value, size_t len, const char *param, char *out, size_t outlen)
{
	struct http_param_walk w = {param, out, outlen, 0, HTTP_OK};
	const char *type;
	size_t tlen;
	int rc;

	rc = http_hv_parse(value, len, 1, HTTP_HV_ESCAPES, &type, &tlen, http_param_fn, &w);
	if (rc < 0)
		return rc;
	if (!w.found)
		return HTTP_ENOTFOUND;
	return w.rc;
}

int http_multipart_boundary(const char *value, size_t len, char out[HTTP_BOUNDARY_MAX + 1])
{
	struct http_ctype ct;
	size_t i, blen;

	out[0] = '\0';
	if (http_ctype_parse(value, len, &ct) < 0 || strcmp(ct.type, "multipart/form-data") != 0)
		return HTTP_EINVAL;
	blen = strlen(ct.boundary);
	if (blen == 0 || ct.boundary[blen - 1] == ' ')
		return HTTP_EINVAL;
	for (i = 0; i < blen; i++)
		if ((unsigned char)ct.boundary[i] < 0x20 || (unsigned char)ct.boundary[i] > 0x7e)
			return HTTP_EINVAL;
	memcpy(out, ct.boundary, blen + 1);
	return HTTP_OK;
}

/* ---- multipart/form-data ---- */

#define HTTP_NPOS ((size_t)-1)

/* 1 if a delimiter "--boundary" ending at e is followed by "--" or LWSP CRLF. */
static int http_mp_delim_end(const char *body, size_t len, size_t e)
{
	if (len - e >= 2 && body[e] == '-' && body[e + 1] == '-')
		return 1;
	while (e < len && http_ows(body[e]))
		e++;
	return len - e >= 2 && body[e] == '\r' && body[e + 1] == '\n';
}

/* Offset of the next "\r\n--boundary" delimiter at or after from, or HTTP_NPOS. */
static size_t http_mp_find(const char *body, size_t len, size_t from, const char *delim,
                           size_t dlen)
{
	while (from < len) {
		const char *p = memmem(body + from, len - from, delim, dlen);
		size_t at;

		if (p == NULL)
			return HTTP_NPOS;
		at = (size_t)(p - body);
		if (http_mp_delim_end(body, len, at + dlen))
			return at;
		from = at + 1;
	}
	return HTTP_NPOS;
}

/* A name or filename: valid UTF-8 without control characters. */
static int http_mp_text_ok(const char *s)
{
	const char *c;

	for (c = s; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			return 0;
	return http_utf8_valid(s, strlen(s));
}

struct http_cd_walk {
	struct http_part *part;
	int have_name;
	const char *what; /* why the walk stopped */
};

static int http_cd_fn(void *arg, const char *name, size_t nlen, const char *val, size_t vlen,
                      int unescape)
{
	struct http_cd_walk *w = arg;
	char *out;
	size_t outlen;

	const char *toolong;

	if (http_name_is(name, nlen, "name")) {
		if (w->have_name++) {
			w->what = "name given twice";
			return HTTP_EINVAL;
		}
		out = w->part->name;
		outlen = sizeof(w->part->name);
		toolong = "name too long";
	} else if (http_name_is(name, nlen, "filename")) {
		if (w->part->has_filename++) {
			w->what = "filename given twice";
			return HTTP_EINVAL;
		}
		return http_param_copy_prefix(val, vlen, unescape, w->part->filename,
		                              sizeof(w->part->filename));
	} else {
		return HTTP_OK;
	}
	if (http_param_copy(val, vlen, unescape, out, outlen) < 0) {
		w->what = toolong;
		return HTTP_ELIMIT;
	}
	return HTTP_OK;
}

static int http_mp_disposition(struct http_part *part, size_t idx, const char *v, size_t vlen,
                               char *err, size_t errlen)
{
	struct http_cd_walk w = {part, 0, NULL};
	const char *type;
	size_t tlen;
	int rc;

	rc = http_hv_parse(v, vlen, 0, HTTP_HV_CONTROLS, &type, &tlen, http_cd_fn, &w);
	if (rc < 0) {
		if (w.what != NULL)
			http_seterr(err, errlen, "part %zu: Content-Disposition: %s", idx, w.what);
		else
			http_seterr(err, errlen, "part %zu: malformed Content-Disposition", idx);
		return rc == HTTP_ELIMIT ? HTTP_ELIMIT : HTTP_EINVAL;
	}
	if (!http_name_is(type, tlen, "form-data")) {
		http_seterr(err, errlen, "part %zu: Content-Disposition is not form-data", idx);
		return HTTP_EINVAL;
	}
	return HTTP_OK;
}

/* Reads the header lines of part idx from *pos through the empty line. */
static int http_mp_headers(const char *body, size_t len, size_t *pos, struct http_part *part,
                           size_t idx, char *err, size_t errlen)
{
	int nheaders = 0, have_cd = 0, have_ct = 0, rc, cd;

	for (;;) {
		size_t avail = len - *pos;
		size_t lim = avail < HTTP_PART_HEADER_MAX + 2 ? avail : HTTP_PART_HEADER_MAX + 2;
		const char *line = body + *pos;
		const char *nl = memmem(line, lim, "\r\n", 2);
		const char *colon, *v, *ve;
		size_t llen, i;

		if (nl == NULL) {
			if (avail < HTTP_PART_HEADER_MAX + 2) {
				http_seterr(err, errlen, "part %zu: headers cut short", idx);
				return HTTP_EINVAL;
			}
			http_seterr(err, errlen, "part %zu: header line longer than %d bytes", idx,
			            HTTP_PART_HEADER_MAX);
			return HTTP_ELIMIT;
		}
		llen = (size_t)(nl - line);
		*pos += llen + 2;
		if (llen == 0)
			break;
		if (++nheaders > HTTP_PART_HEADERS_MAX) {
			http_seterr(err, errlen, "part %zu: more than %d header lines", idx,
			            HTTP_PART_HEADERS_MAX);
			return HTTP_ELIMIT;
		}
		/* Content-Disposition may carry control characters inside its
		 * quoted filename (http_mp_disposition checks where they are);
		 * CR, LF and NUL end a header anywhere */
		cd = llen > 20 && http_name_is(line, 19, "content-disposition") && line[19] == ':';
		for (i = 0; i < llen; i++) {
			unsigned char u = (unsigned char)line[i];
			if ((u < 0x20 && u != '\t' && !(cd && http_ctl_kept(line[i]))) ||
			    (u == 0x7f && !cd)) {
				http_seterr(err, errlen, "part %zu: control character in a header",
				            idx);
				return HTTP_EINVAL;
			}
		}
		if (http_ows(line[0])) {
			http_seterr(err, errlen, "part %zu: folded header line", idx);
			return HTTP_EINVAL;
		}
		colon = memchr(line, ':', llen);
		if (colon == NULL || colon == line) {
			http_seterr(err, errlen, "part %zu: malformed header line", idx);
			return HTTP_EINVAL;
		}
		for (v = line; v < colon; v++) {
			if (!http_tchar(*v)) {
				http_seterr(err, errlen, "part %zu: malformed header name", idx);
				return HTTP_EINVAL;
			}
		}
		v = colon + 1;
		ve = line + llen;
		while (v < ve && http_ows(*v))
			v++;
		while (ve > v && http_ows(ve[-1]))
			ve--;
		if (http_name_is(line, (size_t)(colon - line), "content-disposition")) {
			if (have_cd++) {
				http_seterr(err, errlen,
				            "part %zu: two Content-Disposition headers", idx);
				return HTTP_EINVAL;
			}
			rc = http_mp_disposition(part, idx, v, (size_t)(ve - v), err, errlen);
			if (rc < 0)
				return rc;
		} else if (http_name_is(line, (size_t)(colon - line), "content-type")) {
			if (have_ct++) {
				http_seterr(err, errlen, "part %zu: two Content-Type headers", idx);
				return HTTP_EINVAL;
			}
			if ((size_t)(ve - v) > HTTP_PART_CTYPE_MAX) {
				http_seterr(err, errlen,
				            "part %zu: Content-Type longer than %d bytes", idx,
				            HTTP_PART_CTYPE_MAX);
				return HTTP_ELIMIT;
			}
			memcpy(part->content_type, v, (size_t)(ve - v));
			part->content_type[ve - v] = '\0';
		}
	}
	if (!have_cd) {
		http_seterr(err, errlen, "part %zu: no Content-Disposition header", idx);
		return HTTP_EINVAL;
	}
	if (part->name[0] == '\0') {
		http_seterr(err, errlen, "part %zu: no name or an empty name", idx);
		return HTTP_EINVAL;
	}
	/* a filename's control characters are the upload's to refuse */
	if (!http_mp_text_ok(part->name) ||
	    !http_utf8_valid(part->filename, strlen(part->filename))) {
		http_seterr(err, errlen,
		            "part %zu: control character or invalid UTF-8 in name or filename",
		            idx);
		return HTTP_EINVAL;
	}
	return HTTP_OK;
}

int http_multipart_parse(const char *body, size_t len, const char *boundary,
                         struct http_part *parts, size_t max_parts, size_t *nparts, char *err,
                         size_t errlen)
{
	char delim[4 + HTTP_BOUNDARY_MAX + 1];
	size_t blen = strlen(boundary), dlen, pos, at, n = 0;
	int rc;

	*nparts = 0;
	if (blen == 0 || blen > HTTP_BOUNDARY_MAX) {
		http_seterr(err, errlen, "bad boundary length %zu", blen);
		return HTTP_EINVAL;
	}
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, boundary, blen);
	dlen = 4 + blen;

	/* the first delimiter may open the body, without the CRLF before it */
	if (len >= dlen - 2 && memcmp(body, delim + 2, dlen - 2) == 0 &&
	    http_mp_delim_end(body, len, dlen - 2)) {
		pos = 0;
	} else {
		at = http_mp_find(body, len, 0, delim, dlen);
		if (at == HTTP_NPOS) {
			http_seterr(err, errlen, "no boundary delimiter in the body");
			return HTTP_EINVAL;
		}
		pos = at + 2;
	}
	for (;;) {
		struct http_part *part;

		/* at "--boundary", which http_mp_delim_end accepted */
		pos += 2 + blen;
		if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-')
			break;
		while (http_ows(body[pos]))
			pos++;
		pos += 2;
		if (n == max_parts) {
			http_seterr(err, errlen, "more than %zu parts", max_parts);
			return HTTP_ELIMIT;
		}
		part = &parts[n];
		memset(part, 0, sizeof(*part));
		rc = http_mp_headers(body, len, &pos, part, n + 1, err, errlen);
		if (rc < 0)
			return rc;
		at = http_mp_find(body, len, pos, delim, dlen);
		if (at == HTTP_NPOS) {
			http_seterr(err, errlen, "part %zu: no closing boundary (body cut short?)",
			            n + 1);
			return HTTP_EINVAL;
		}
		part->data = body + pos;
		part->len = at - pos;
		n++;
		pos = at + 2;
	}
	*nparts = n;
	return HTTP_OK;
}

int http_multipart_upload(const char *body, size_t len, const char *boundary, json_object *fields,
                          const char **file, size_t *file_len, char *err, size_t errlen)
{
	struct http_part parts[16];
	size_t n = 0;
	int rc;

	*file = NULL;
	*file_len = 0;
	rc = http_multipart_parse(body, len, boundary, parts, 16, &n, err, errlen);
	if (rc != HTTP_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (parts[i].has_filename && strcmp(parts[i].name, "file") == 0) {
			if (*file) {
				http_seterr(err, errlen, "file");
				return HTTP_EMULTIPLE;
			}
			*file = parts[i].data;
			*file_len = parts[i].len;
			json_object_object_add(fields, "filename",
			                       json_object_new_string(parts[i].filename));
		} else if (!parts[i].has_filename) {
			if (!http_utf8_valid(parts[i].data, parts[i].len)) {
				http_seterr(err, errlen, "%.64s", parts[i].name);
				return HTTP_EENCODING;
			}
			json_object_object_add(
			    fields, parts[i].name,
			    json_object_new_string_len(parts[i].data, (int)parts[i].len));
		}
	}
	return HTTP_OK;
}
