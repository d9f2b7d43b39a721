/* The common library: config table and example, arena, JSON parsing, the
 * protocol header, logfmt quoting. */
#include "arena.h"
#include "cfg.h"
#include "check.h"
#include "jsonx.h"
#include "log.h"
#include "proto.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *data;
	long n;

	if (f == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	data = calloc(1, (size_t)n + 1);
	if (fread(data, 1, (size_t)n, f) != (size_t)n)
		n = 0;
	fclose(f);
	return data;
}

TEST(test_example_config_documents_every_key)
{
	char path[1024], err[512], line[128];
	const char *src = getenv("CABINET_SOURCE_DIR");
	struct cfg *cfg;
	char *text;

	snprintf(path, sizeof(path), "%s/conf/cabinet.conf.example", src ? src : ".");
	text = read_file(path);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	for (const struct cfg_key *k = cfg_keys; k->name; k++) {
		snprintf(line, sizeof(line), "\n%s =", k->name);
		if (strstr(text, line) == NULL) {
			fprintf(stderr, "key %s is not set in %s\n", k->name, path);
			CHECK(0);
		}
		snprintf(line, sizeof(line), "\n# %s", k->name);
		CHECK(k->help && *k->help);
	}
	cfg = cfg_load(path, err, sizeof(err));
	CHECK(cfg != NULL);
	if (cfg) {
		/* the example sets the defaults */
		struct cfg *defaults = cfg_load(NULL, err, sizeof(err));
		CHECK_STR(cfg->db_conninfo, defaults->db_conninfo);
		CHECK_INT(cfg->workers, defaults->workers);
		CHECK_INT(cfg->max_body, 1 << 20);
		CHECK_INT(cfg->socket_mode, 0660);
		cfg_free(defaults);
		cfg_free(cfg);
	}
	free(text);
}

TEST(test_config_errors_name_line_and_key)
{
	char path[] = "/tmp/cabinet-cfg-XXXXXX", err[512];
	int fd = mkstemp(path);
	struct cfg *cfg;
	static const struct {
		const char *text, *want;
	} cases[] = {
	    {"workers = 0\n", ":1: workers = 0 is out of range (1..64)"},
	    {"\n\nbogus = 1\n", ":3: unknown key \"bogus\""},
	    {"max_body = 12q\n", "max_body: bad value \"12q\""},
	    {"debug_ops = maybe\n", "debug_ops: bad value"},
	    {"just words\n", ":1: expected key = value"},
	    {"peer_uids = no-such-user-here\n", "unknown user \"no-such-user-here\""},
	    {"sql_dir = \"unterminated\n", ":1: expected key = value"},
	    /* rendered into the nginx site: no directive can be smuggled in */
	    {"trusted_proxies = 10.0.0.1; include /etc/passwd\n", "trusted_proxies = 10.0.0.1;"},
	};

	close(fd);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		FILE *f = fopen(path, "w");
		fputs(cases[i].text, f);
		fclose(f);
		cfg = cfg_load(path, err, sizeof(err));
		CHECK(cfg == NULL);
		if (strstr(err, cases[i].want) == NULL) {
			fprintf(stderr, "case %zu: got \"%s\", want \"%s\"\n", i, err,
			        cases[i].want);
			CHECK(0);
		}
		cfg_free(cfg);
	}
	FILE *f = fopen(path, "w");
	fputs("# comment\n  max_body = 2m  \nsql_dir = \"/a b/\\\"c\\\"\"\nlog_level = debug\n", f);
	fclose(f);
	cfg = cfg_load(path, err, sizeof(err));
	CHECK(cfg != NULL);
	if (cfg) {
		CHECK_INT(cfg->max_body, 2 << 20);
		CHECK_STR(cfg->sql_dir, "/a b/\"c\"");
		CHECK_INT(cfg->log_level, LOG_DEBUG);
		struct cfg *other = cfg_load(path, err, sizeof(err));
		cfg_set(other, "log_level", "warn", err, sizeof(err)); /* reloadable */
		CHECK(cfg_reload_blocker(cfg, other) == NULL);
		cfg_set(other, "workers", "9", err, sizeof(err)); /* needs a restart */
		CHECK_STR(cfg_reload_blocker(cfg, other), "workers");
		cfg_free(other);
		cfg_free(cfg);
	}
	unlink(path);
}

TEST(test_arena)
{
	struct arena *a = arena_new();
	char *big;

	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 1000; i++) {
			char *s = arena_printf(a, "item-%d", i);
			CHECK(((uintptr_t)s & 15) == 0);
			if (i == 999)
				CHECK_STR(s, "item-999");
		}
		big = arena_alloc(a, 100000);
		CHECK(big[99999] == 0);
		arena_own(a, json_object_new_string("owned"));
		arena_reset(a);
	}
	arena_free(a);
}

TEST(test_json_parse_is_strict)
{
	const char *err;
	json_object *o;
	static const char *bad[] = {
	    "", "[1]", "{\"a\":1} x", "{\"a\":1,}", "{\"a\":\"\xff\"}", "nul", "{\"a\":"};
	char deep[200];

	o = jsonx_parse_object("  {\"a\": [1, 2], \"b\": \"x\"}  \n", 28, &err);
	CHECK(o != NULL);
	CHECK_STR(jsonx_get_str(o, "b"), "x");
	CHECK(jsonx_get_str(o, "a") == NULL);
	CHECK(jsonx_get_array(o, "a") != NULL);
	json_object_put(o);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		o = jsonx_parse_object(bad[i], strlen(bad[i]), &err);
		if (o != NULL)
			fprintf(stderr, "accepted: %s\n", bad[i]);
		CHECK(o == NULL && err != NULL);
		json_object_put(o);
	}
	memset(deep, '[', sizeof(deep));
	deep[0] = '{';
	deep[1] = '"';
	deep[2] = 'a';
	deep[3] = '"';
	deep[4] = ':';
	o = jsonx_parse_object(deep, sizeof(deep), &err);
	CHECK(o == NULL);
}

/* json-c keeps the last of a member named twice: jsonx refuses it and
 * names it the way field errors name fields. */
TEST(test_json_duplicate_keys_are_refused_and_named)
{
	static const struct {
		const char *text, *path; /* NULL: unique names, accepted */
	} cases[] = {
	    {"{\"amount\": 1, \"amount\": 2}", "amount"},
	    {"{\"a\": 1, \"b\": 2, \"c\": 3, \"b\": 4}", "b"},
	    {"{\"a\": 1, \"\\u0061\": 2}", "a"},
	    {"{\"\\u0451\": 1, \"ё\": 2}", "ё"},
	    {"{\"\\ud83d\\ude00\": 1, \"😀\": 2}", "😀"},
	    {"{\"days\": [{\"title\": \"x\"}, {}, {}, {\"title\": 1, \"hours\": 8, \"title\": 2}]}",
	     "days[3].title"},
	    {"{\"responsible\": {\"email\": \"a\", \"email\": \"b\"}}", "responsible.email"},
	    {"{\"x\": [[{\"k\": 1}], [{\"k\": 1, \"k\": 2}]]}", "x[1][0].k"},
	    {"{\"a\": {\"a\": 1}, \"b\": {\"a\": 2}}", NULL},
	    {"{\"a\": \"\\\"a\", \"\\\"a\": 1, \"a,\": 2, \"{\": {}, \"}\": []}", NULL},
	    {"{\"a\": [{\"k\": 1}, {\"k\": 2}], \"k\": 3}", NULL},
	    {"{\"A\": 1, \"a\": 2, \"a \": 3}", NULL},
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *err = NULL, *t = cases[i].text;
		char path[JSONX_PATH_MAX] = "";
		json_object *o = jsonx_parse_object(t, strlen(t), &err);
		int rc = jsonx_duplicate_key(t, strlen(t), path, sizeof(path));
		if (cases[i].path == NULL) {
			if (o == NULL || rc != 0)
				fprintf(stderr, "refused: %s (%s)\n", t, err ? err : "");
			CHECK(o != NULL && rc == 0);
		} else {
			if (o != NULL)
				fprintf(stderr, "accepted: %s\n", t);
			CHECK(o == NULL && err == JSONX_ERR_DUPLICATE);
			CHECK(rc == 1);
			CHECK_STR(path, cases[i].path);
		}
		json_object_put(o);
	}
}

/* Text written by jsonx_put_str into a raw value serializes as json-c
 * would have serialized the same strings as objects, and reads back. */
TEST(test_json_raw_text_is_what_json_c_writes)
{
	static const char *texts[] = {"", "Сотрудник 0", "«справка» \"2-НДФЛ\"", "a/b \\ c",
	                              "\n\t\r\b\f\x01\x1f end", "😀"};
	json_object *obj = json_object_new_object(), *items = json_object_new_array(), *back;
	struct buf raw = BUF_INIT;
	char *want;
	const char *err;

	buf_putc(&raw, '[');
	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		json_object_array_add(items, json_object_new_string(texts[i]));
		jsonx_put_str(&raw, texts[i]);
		buf_putc(&raw, ',');
	}
	json_object_array_add(items, NULL);
	jsonx_put_str(&raw, NULL);
	buf_putc(&raw, ']');
	json_object_object_add(obj, "items", items);
	jsonx_set_int(obj, "total", 7);
	want = strdup(jsonx_dump(obj, NULL));
	json_object_object_add(obj, "items", jsonx_new_raw(&raw));
	CHECK(raw.data == NULL && raw.len == 0);
	CHECK_STR(jsonx_dump(obj, NULL), want);
	back = jsonx_parse_reply(want, strlen(want), &err);
	CHECK(back != NULL);
	CHECK_INT(json_object_array_length(jsonx_get_array(back, "items")), 7);
	CHECK_STR(json_object_get_string(json_object_array_get_idx(jsonx_get_array(back, "items"), 4)),
	          texts[4]);
	json_object_put(back);
	json_object_put(obj);
	free(want);
}

TEST(test_json_decimal_prints_the_number_as_sent)
{
	static const struct {
		const char *in, *out;
	} cases[] = {{"40.00", "40"}, {"12.50", "12.5"}, {"1.15", "1.15"}, {"0.10", "0.1"},
	             {"300", "300"},  {"-2.50", "-2.5"}, {"0.00", "0"},    {"100.05", "100.05"}};
	static const char *bad[] = {"", ".5", "5.", "1.2.3", "1,5", "abc", "-", "1e5"};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_object *o = jsonx_new_decimal(cases[i].in);
		CHECK(o != NULL);
		CHECK(json_object_is_type(o, json_type_int) ||
		      json_object_is_type(o, json_type_double));
		CHECK_STR(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), cases[i].out);
		json_object_put(o);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(jsonx_new_decimal(bad[i]) == NULL);
}

TEST(test_proto_header_round_trip)
{
	unsigned char h[PROTO_HEADER_SIZE];
	struct proto_header d;

	proto_header_encode(h, PROTO_RESPONSE, 0xdeadbeef, 123456);
	CHECK_INT(proto_header_decode(h, &d), PROTO_OK);
	CHECK_INT(d.type, PROTO_RESPONSE);
	CHECK(d.id == 0xdeadbeef);
	CHECK_INT(d.length, 123456);
	h[5] = 2;
	CHECK_INT(proto_header_decode(h, &d), PROTO_BAD_VERSION);
	CHECK_INT(d.version, 2);
	h[5] = 1;
	h[7] = 9;
	CHECK_INT(proto_header_decode(h, &d), PROTO_BAD_TYPE);
	h[0] = 'X';
	CHECK_INT(proto_header_decode(h, &d), PROTO_BAD_MAGIC);
	CHECK_INT(proto_error_find("validation")->status, 422);
	CHECK(proto_error_find("nope") == NULL);
}

TEST(test_log_quote)
{
	char out[64];

	CHECK_STR(log_quote("a \"b\"\nc\\", out, sizeof(out)), "\"a \\\"b\\\"\\nc\\\\\"");
	CHECK_STR(log_quote(NULL, out, sizeof(out)), "\"\"");
	log_quote("0123456789012345678901234567890123456789", out, 16);
	CHECK(strlen(out) < 16 && out[0] == '"' && out[strlen(out) - 1] == '"');
}

int main(void)
{
	RUN(test_example_config_documents_every_key);
	RUN(test_config_errors_name_line_and_key);
	RUN(test_arena);
	RUN(test_json_parse_is_strict);
	RUN(test_json_duplicate_keys_are_refused_and_named);
	RUN(test_json_raw_text_is_what_json_c_writes);
	RUN(test_json_decimal_prints_the_number_as_sent);
	RUN(test_proto_header_round_trip);
	RUN(test_log_quote);
	return check_report();
}
