/*
 * fuzz_exchange.c - the part of the exchange that needs no database
 * (core/exchange_items.h): the batch reader and the check of each item.
 *
 * Input: the first byte chooses the kind of items (modulo 5), the rest is
 * a batch body as an accounting system sends it ({"items": [...]}).
 *
 * Checked promises:
 *  - the reader accepts nothing json-c refuses, and what json-c accepts
 *    (within the reader's depth) it does not call malformed; when it
 *    opens a body, its items are json-c's "items" array, element by
 *    element, in order, and a rewind gives them again;
 *  - each item's check reports field errors of the documented shape: a
 *    key that makes "items[i].key" (error.items groups by it), a code and
 *    a Russian text; an item is bad exactly when something was reported;
 *  - every value that passed has the normalized form its type promises
 *    (dates ISO, phones +79..., identifiers digits, schedules and pay
 *    terms by date without two rows of one date, ...);
 *  - the rules across fields report in the same shape.
 */
#include "date.h"
#include "exchange_items.h"
#include "fuzz.h"
#include "jsonx.h"
#include "money.h"
#include "validate.h"

#include <ctype.h>

struct fuzz_errors {
	int count;
	int index; /* the item being checked; -1 for the body's top level */
};

static int fuzz_utf8_ok(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : 3;
		if (*p >= 0x80 && *p < 0xc2)
			return 0;
		for (int i = 1; i <= n; i++)
			if ((p[i] & 0xc0) != 0x80)
				return 0;
		p += n + 1;
	}
	return 1;
}

static void fuzz_error(void *arg, int index, const char *key, const char *code, const char *text)
{
	struct fuzz_errors *e = arg;

	FUZZ_ASSERT(index == e->index);
	FUZZ_ASSERT(code && *code && text && *text);
	FUZZ_ASSERT(fuzz_utf8_ok(text));
	/* "items[i].key": a key is never empty and names a field or a path in one */
	FUZZ_ASSERT(key == NULL || *key != '\0' || index < 0);
	e->count++;
}

static void fuzz_text_ok(const char *s, int max)
{
	size_t n = strlen(s), chars = 0;

	FUZZ_ASSERT(n == 0 || (s[0] != ' ' && s[n - 1] != ' '));
	for (size_t i = 0; i < n; i++) {
		FUZZ_ASSERT((unsigned char)s[i] >= 0x20);
		chars += ((unsigned char)s[i] & 0xc0) != 0x80;
	}
	FUZZ_ASSERT(chars <= (size_t)max);
}

static void fuzz_date_ok(const char *s)
{
	int d;

	FUZZ_ASSERT(strlen(s) == 10 && date_parse(s, &d) == 0);
}

static void fuzz_digits_ok(const char *s, size_t a, size_t b)
{
	size_t n = strlen(s);

	FUZZ_ASSERT(n == a || n == b);
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT(isdigit((unsigned char)s[i]) ||
		            (n == 9 && (i == 4 || i == 5) && s[i] >= 'A' && s[i] <= 'Z'));
}

/* Rows "YYYY-MM-DD..." separated by sep, in order of date, no date twice. */
static void fuzz_rows_ok(const char *s, char sep, int pay)
{
	char prev[11] = "";

	for (const char *p = s; p && *p;) {
		const char *end = strchr(p, sep);
		size_t n = end ? (size_t)(end - p) : strlen(p);
		char date[11];
		FUZZ_ASSERT(n > 11 && p[10] == ':');
		memcpy(date, p, 10);
		date[10] = '\0';
		fuzz_date_ok(date);
		FUZZ_ASSERT(strcmp(prev, date) < 0);
		memcpy(prev, date, 11);
		if (pay) {
			/* date:rate:days|hours:norm */
			char row[200], *f[5] = {0}, *t = row;
			int k = 0;
			int64_t kop;
			FUZZ_ASSERT(n < sizeof(row));
			memcpy(row, p, n);
			row[n] = '\0';
			for (char *x; k < 5 && (x = strsep(&t, ":")) != NULL;)
				f[k++] = x;
			FUZZ_ASSERT(k == 4);
			FUZZ_ASSERT(money_parse(f[1], 0, &kop) == 0);
			FUZZ_ASSERT(strcmp(f[2], "days") == 0 || strcmp(f[2], "hours") == 0);
			FUZZ_ASSERT(!*f[3] || strcmp(f[3], "per_period") == 0 ||
			            strcmp(f[3], "summed") == 0);
		} else {
			/* date:j:#id or date:j:=name */
			const char *q = p + 11;
			FUZZ_ASSERT(isdigit((unsigned char)*q));
			while (isdigit((unsigned char)*q))
				q++;
			FUZZ_ASSERT(*q == ':' && (q[1] == '#' || q[1] == '='));
			FUZZ_ASSERT(q[2] != '\0' && q + 2 <= p + n);
		}
		p = end ? end + 1 : NULL;
	}
}

static void fuzz_value_ok(const struct exchange_field *f, const char *v)
{
	switch (f->type) {
	case XT_EXTID:
	case XT_REF:
		FUZZ_ASSERT(*v != '\0');
		fuzz_text_ok(v, f->max);
		break;
	case XT_TEXT:
		FUZZ_ASSERT(*v != '\0');
		fuzz_text_ok(v, f->max);
		break;
	case XT_NAME:
		FUZZ_ASSERT(strlen(v) >= 2 && strstr(v, "  ") == NULL);
		break;
	case XT_DATE:
		fuzz_date_ok(v);
		break;
	case XT_INT: {
		char *end;
		long long n = strtoll(v, &end, 10);
		FUZZ_ASSERT(*end == '\0' && n >= 0 && n <= f->max);
		break;
	}
	case XT_INN_ORG:
		fuzz_digits_ok(v, 10, 12);
		break;
	case XT_INN_PERSON:
		fuzz_digits_ok(v, 12, 12);
		break;
	case XT_KPP:
		fuzz_digits_ok(v, 9, 9);
		break;
	case XT_OKPO:
		fuzz_digits_ok(v, 8, 10);
		break;
	case XT_SNILS:
		fuzz_digits_ok(v, 11, 11);
		break;
	case XT_PHONE:
		FUZZ_ASSERT(strlen(v) == VALIDATE_PHONE_LEN && strncmp(v, "+79", 3) == 0);
		break;
	case XT_EMAIL:
		FUZZ_ASSERT(strchr(v, '@') != NULL && strlen(v) <= VALIDATE_EMAIL_MAX);
		break;
	case XT_INSURANCE: {
		int y, m;
		char date[16];
		FUZZ_ASSERT(sscanf(v, "%d|%d|%15s", &y, &m, date) == 3);
		FUZZ_ASSERT(y >= 0 && y <= 99 && m >= 0 && m <= 11);
		fuzz_date_ok(date);
		break;
	}
	case XT_SCHEDULES:
		fuzz_rows_ok(v, '\n', 0);
		break;
	case XT_PAY:
		fuzz_rows_ok(v, ',', 1);
		break;
	case XT_PERIOD: {
		size_t n = strlen(v);
		FUZZ_ASSERT(n == 4 || n == 7);
		for (size_t i = 0; i < 4; i++)
			FUZZ_ASSERT(isdigit((unsigned char)v[i]));
		FUZZ_ASSERT(atoi(v) >= 2000 && atoi(v) <= 2100);
		FUZZ_ASSERT(n == 4 ||
		            (v[4] == '-' && ((v[5] == 'Q' && v[6] >= '1' && v[6] <= '4') ||
		                             (atoi(v + 5) >= 1 && atoi(v + 5) <= 12))));
		break;
	}
	case XT_NUMBER: {
		int64_t kop;
		char again[MONEY_BUFSZ];
		FUZZ_ASSERT(money_parse(v, MONEY_ALLOW_NEGATIVE, &kop) == 0);
		money_format(kop, again);
		FUZZ_ASSERT(strcmp(again, v) == 0); /* the canonical form */
		break;
	}
	case XT_ENUM: {
		size_t n = strlen(v);
		const char *p = strstr(f->allowed, v);
		FUZZ_ASSERT(n && p && (p == f->allowed || p[-1] == '|') &&
		            (p[n] == '|' || p[n] == '\0'));
		break;
	}
	}
}

static void fuzz_item(struct arena *a, enum exchange_kind kind, int index, json_object *in)
{
	struct fuzz_errors e = {0, index};
	struct exchange_errors sink = {fuzz_error, &e};
	struct exchange_item it;
	int nf, rc;
	const struct exchange_field *fields = exchange_fields(kind, &nf);

	rc = exchange_item_check(a, kind, index, in, index == 0, &it, &sink);
	FUZZ_ASSERT((rc < 0) == (e.count > 0) && it.bad == (e.count > 0));
	if (!json_object_is_type(in, json_type_object)) {
		FUZZ_ASSERT(rc < 0);
		return;
	}
	for (int f = 0; f < nf; f++) {
		json_object *v = NULL;
		int given = json_object_object_get_ex(in, fields[f].name, &v);
		FUZZ_ASSERT(it.given[f] == given);
		if (!given)
			FUZZ_ASSERT(it.val[f] == NULL);
		else if (it.val[f])
			fuzz_value_ok(&fields[f], it.val[f]);
	}
	FUZZ_ASSERT(it.ext == NULL || (it.given[0] && strcmp(it.ext, it.val[0]) == 0));
	/* the rules, over the values as sent */
	e.count = 0;
	rc = exchange_item_rules(kind, index, in, it.val, &sink);
	FUZZ_ASSERT((rc < 0) == (e.count > 0));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_errors top = {0, -1};
	struct exchange_errors sink = {fuzz_error, &top};
	struct exchange_reader r;
	struct arena *a;
	enum exchange_kind kind;
	const char *why = NULL, *jwhy = NULL;
	json_object *whole, *items;
	int rc;

	if (size == 0)
		return 0;
	kind = (enum exchange_kind)(data[0] % EXCHANGE_KINDS);
	data++, size--;
	rc = exchange_reader_open(&r, (const char *)data, size, &sink, &why);
	whole = jsonx_parse_object((const char *)data, size, &jwhy);
	FUZZ_ASSERT(rc >= -3 && rc <= 0);
	if (rc != -1) /* nothing json-c refuses; a member named twice both refuse
	               * (the reader reports it, or items is no array) */
		FUZZ_ASSERT(whole != NULL ||
		            (jwhy == JSONX_ERR_DUPLICATE && (top.count > 0 || rc == -3)));
	else
		FUZZ_ASSERT(why && *why);
	items = jsonx_get(whole, "items");
	if (rc == 0 && top.count == 0) {
		/* the same items as json-c's tree, in order, twice over */
		FUZZ_ASSERT(json_object_is_type(items, json_type_array));
		FUZZ_ASSERT((size_t)r.count == json_object_array_length(items));
		a = arena_new();
		for (int pass = 0; pass < 2; pass++) {
			json_object *v;
			int i = 0;
			exchange_reader_rewind(&r);
			while (exchange_reader_next(&r, &v)) {
				json_object *w = json_object_array_get_idx(items, (size_t)i);
				FUZZ_ASSERT(i < r.count);
				/* (a JSON null is NULL on both sides, dumped as "null") */
				FUZZ_ASSERT(strcmp(jsonx_dump(v, NULL), jsonx_dump(w, NULL)) == 0);
				if (pass == 0)
					fuzz_item(a, kind, i, v);
				json_object_put(v);
				i++;
			}
			FUZZ_ASSERT(i == r.count);
			arena_reset(a);
		}
		arena_free(a);
	}
	if (rc == -2)
		FUZZ_ASSERT(whole == NULL || items == NULL);
	exchange_reader_close(&r);
	json_object_put(whole);
	return 0;
}
