/*
 * The payroll preview contract, driven by data files:
 * tests/unit/data/payroll/NNN_name.json, each one object
 *   {"why": "the arithmetic by hand",
 *    "tenant": {"night_percent": 40},          (optional tenant settings)
 *    "scenario": {...},                         (the preview input)
 *    "expect": {...}, "exact": true|false       (output, or the part checked)
 *    "error": {"field": "...", "message_contains": "..."}}  (instead of expect)
 * expect is matched as a subset: every key it has must be in the output with
 * the same value (strings exactly, numbers by their decimal value), arrays
 * element by element with the same length. "exact": true compares the whole
 * output. Every success case must state the total and every line's amount.
 */
#include "check.h"
#include "hours.h"
#include "preview.h"
#include "testutil.h"

#include <dirent.h>
#include <stdlib.h>

static struct calendar *ru;

static int json_match(json_object *want, json_object *got, struct buf *path);

/* int or decimal: everything that is not one of the other kinds */
static int is_number(enum json_type t)
{
	return t != json_type_null && t != json_type_boolean && t != json_type_object &&
	       t != json_type_array && t != json_type_string;
}

static int json_number_equal(json_object *a, json_object *b)
{
	int32_t x, y;

	if (hours_parse(json_object_get_string(a), &x) == 0 &&
	    hours_parse(json_object_get_string(b), &y) == 0)
		return x == y;
	return strcmp(json_object_get_string(a), json_object_get_string(b)) == 0;
}

static int json_match(json_object *want, json_object *got, struct buf *path)
{
	enum json_type wt = json_object_get_type(want), gt = json_object_get_type(got);
	size_t plen = path->len;
	int ok = 1;

	if (is_number(wt) && is_number(gt))
		ok = json_number_equal(want, got);
	else if (wt != gt)
		ok = 0;
	else if (wt == json_type_string)
		ok = strcmp(json_object_get_string(want), json_object_get_string(got)) == 0;
	else if (wt == json_type_boolean)
		ok = json_object_get_boolean(want) == json_object_get_boolean(got);
	else if (wt == json_type_array) {
		size_t i, n = json_object_array_length(want);

		if (n != json_object_array_length(got)) {
			fprintf(stderr, "  %s: %zu elements, want %zu\n",
			        path->data ? path->data : "", json_object_array_length(got), n);
			return 0;
		}
		for (i = 0; i < n && ok; i++) {
			buf_printf(path, "[%zu]", i);
			ok = json_match(json_object_array_get_idx(want, i),
			                json_object_array_get_idx(got, i), path);
			path->len = plen;
			path->data[plen] = '\0';
		}
		return ok;
	} else if (wt == json_type_object) {
		json_object_object_foreach(want, key, val)
		{
			json_object *g;

			buf_printf(path, ".%s", key);
			if (!json_object_object_get_ex(got, key, &g)) {
				fprintf(stderr, "  %s: missing\n", path->data);
				ok = 0;
			} else if (!json_match(val, g, path)) {
				ok = 0;
			}
			path->len = plen;
			path->data[plen] = '\0';
			if (!ok)
				return 0;
		}
		return 1;
	}
	if (!ok)
		fprintf(stderr, "  %s: got %s, want %s\n", path->data ? path->data : "",
		        json_object_to_json_string(got), json_object_to_json_string(want));
	return ok;
}

/* The file states every line's amount and the total. */
static int expect_is_complete(json_object *expect)
{
	json_object *lines, *v;
	size_t i;

	if (!json_object_object_get_ex(expect, "total", &v) ||
	    !json_object_object_get_ex(expect, "lines", &lines) ||
	    !json_object_is_type(lines, json_type_array))
		return 0;
	for (i = 0; i < json_object_array_length(lines); i++)
		if (!json_object_object_get_ex(json_object_array_get_idx(lines, i), "amount", &v))
			return 0;
	return 1;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int successes, errors;

static void run_case(const char *dir, const char *name)
{
	struct buf path = BUF_INIT, text = BUF_INIT, where = BUF_INIT;
	json_object *file = NULL, *scenario, *expect, *error, *tenant, *why, *exact, *out = NULL;
	struct preview_options opt = {0};
	struct preview_error err;
	int rc, ok = 1;

	buf_printf(&path, "%s/%s", dir, name);
	if (test_read_file(path.data, &text) != 0 ||
	    (file = json_tokener_parse(text.data)) == NULL) {
		fprintf(stderr, "%s: unreadable or not JSON\n", name);
		ok = 0;
		goto done;
	}
	if (!json_object_object_get_ex(file, "why", &why) || json_object_get_string_len(why) < 10 ||
	    !json_object_object_get_ex(file, "scenario", &scenario)) {
		fprintf(stderr, "%s: needs \"why\" and \"scenario\"\n", name);
		ok = 0;
		goto done;
	}
	if (json_object_object_get_ex(file, "tenant", &tenant)) {
		json_object *np;

		if (json_object_object_get_ex(tenant, "night_percent", &np))
			opt.night_percent = json_object_get_int(np);
	}
	rc = preview_run(scenario, ru, &opt, &out, &err);
	if (json_object_object_get_ex(file, "error", &error)) {
		json_object *field, *contains;

		errors++;
		if (rc == 0) {
			fprintf(stderr, "%s: succeeded, want an error\n", name);
			ok = 0;
			goto done;
		}
		if (!json_object_object_get_ex(error, "field", &field) ||
		    strcmp(json_object_get_string(field), err.field) != 0) {
			fprintf(stderr, "%s: error field \"%s\" (%s)\n", name, err.field,
			        err.message);
			ok = 0;
		}
		if (err.message[0] == '\0')
			ok = 0;
		if (json_object_object_get_ex(error, "message_contains", &contains) &&
		    strstr(err.message, json_object_get_string(contains)) == NULL) {
			fprintf(stderr, "%s: message \"%s\"\n", name, err.message);
			ok = 0;
		}
		goto done;
	}
	successes++;
	if (rc != 0) {
		fprintf(stderr, "%s: %s: %s\n", name, err.field, err.message);
		ok = 0;
		goto done;
	}
	if (!json_object_object_get_ex(file, "expect", &expect) || !expect_is_complete(expect)) {
		fprintf(stderr, "%s: expect must give \"total\" and every line's \"amount\"\n",
		        name);
		ok = 0;
		goto done;
	}
	if (json_object_object_get_ex(file, "exact", &exact) && json_object_get_boolean(exact)) {
		const char *g = json_object_to_json_string_ext(
		    out, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		char *gs = strdup(g);
		const char *w = json_object_to_json_string_ext(
		    expect, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);

		if (strcmp(gs, w) != 0) {
			fprintf(stderr, "%s:\n  got  %s\n  want %s\n", name, gs, w);
			ok = 0;
		}
		free(gs);
	} else {
		buf_puts(&where, "");
		if (!json_match(expect, out, &where)) {
			fprintf(stderr, "%s: output %s\n", name,
			        json_object_to_json_string_ext(
			            out, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
			ok = 0;
		}
	}
done:
	CHECK(ok);
	printf("%s %s\n", ok ? "ok  " : "FAIL", name);
	json_object_put(out);
	json_object_put(file);
	buf_free(&path);
	buf_free(&text);
	buf_free(&where);
}

TEST(test_payroll_cases)
{
	char dir[4096];
	DIR *d;
	struct dirent *e;
	char *names[512];
	int n = 0, i;

	test_path(dir, sizeof(dir), "tests/unit/data/payroll");
	d = opendir(dir);
	CHECK(d != NULL);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL && n < 512) {
		size_t l = strlen(e->d_name);

		if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0)
			names[n++] = strdup(e->d_name);
	}
	closedir(d);
	qsort(names, (size_t)n, sizeof(names[0]), cmp_names);
	for (i = 0; i < n; i++) {
		run_case(dir, names[i]);
		free(names[i]);
	}
	printf("%d success cases, %d error cases\n", successes, errors);
	CHECK(successes >= 28);
	CHECK(errors >= 6);
}

/* Not a data file: the contract's example output, key for key and in order. */
TEST(test_output_shape)
{
	json_object *sc = json_tokener_parse(
	    "{\"month\": \"2025-04\", \"calendar\": \"RU\", \"schedules\": {\"five36\": {\"kind\": "
	    "\"week\", \"hours\": [7.2, 7.2, 7.2, 7.2, 7.2, 0, 0], \"holidays\": \"calendar\"}}, "
	    "\"employee\": {\"rate\": \"45000\", \"pay_by\": \"hours\"}, \"assignments\": "
	    "[{\"from\": \"2025-01-01\", \"schedule\": \"five36\"}], \"deviations\": [{\"code\": "
	    "\"С\", \"date\": \"2025-04-02\", \"hours\": 0.25}]}");
	json_object *out = NULL;
	struct preview_error err;

	CHECK(preview_run(sc, ru, NULL, &out, &err) == 0);
	CHECK_STR(
	    json_object_to_json_string_ext(out, JSON_C_TO_STRING_PLAIN),
	    "{\"month\":\"2025-04\",\"lines\":[{\"kind\":\"salary\",\"from\":\"2025-04-01\","
	    "\"to\":\"2025-04-30\",\"schedule\":\"five36\",\"worked_days\":22,\"norm_days\":22,"
	    "\"worked_hours\":157.4,\"norm_hours\":157.4,\"amount\":\"45000.00\"},{\"kind\":"
	    "\"overtime\",\"date\":\"2025-04-02\",\"hours\":0.25,\"amount\":\"107.21\"}],"
	    "\"total\":\"45107.21\"}");
	/* 45000 x 0.25 x 1.5 / 157.4 = 107.2109... */
	json_object_put(out);
	json_object_put(sc);
	CHECK(preview_run(NULL, ru, NULL, &out, &err) == -1);
	CHECK(out == NULL);
}

/* Collects every leaf (and container) of a tree with its parent and key/index. */
struct leaf {
	json_object *parent;
	const char *key; /* NULL for an array element */
	size_t idx;
};

static void collect(json_object *o, struct leaf *out, int *n, int max)
{
	if (json_object_is_type(o, json_type_object)) {
		json_object_object_foreach(o, key, val)
		{
			if (*n < max) {
				out[*n].parent = o;
				out[*n].key = key;
				(*n)++;
			}
			collect(val, out, n, max);
		}
	} else if (json_object_is_type(o, json_type_array)) {
		size_t i;

		for (i = 0; i < json_object_array_length(o); i++) {
			if (*n < max) {
				out[*n].parent = o;
				out[*n].key = NULL;
				out[*n].idx = i;
				(*n)++;
			}
			collect(json_object_array_get_idx(o, i), out, n, max);
		}
	}
}

/* Every data scenario with one value swapped for junk: an answer or a named error. */
TEST(test_scenario_mutations)
{
	static const char *const junk[] = {
	    "null", "-1",    "1e400",          "\"\"",  "{}",   "[]",         "true", "25",
	    "0",    "\"x\"", "\"2025-02-29\"", "7.777", "[[]]", "{\"a\": 1}", "\"Б\""};
	char dir[4096];
	DIR *d;
	struct dirent *e;
	uint64_t state = 777;
	int runs = 0, bad = 0;

	test_path(dir, sizeof(dir), "tests/unit/data/payroll");
	d = opendir(dir);
	CHECK(d != NULL);
	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		struct buf path = BUF_INIT, text = BUF_INIT;
		size_t l = strlen(e->d_name);
		int k;

		if (l < 6 || strcmp(e->d_name + l - 5, ".json") != 0)
			continue;
		buf_printf(&path, "%s/%s", dir, e->d_name);
		CHECK(test_read_file(path.data, &text) == 0);
		for (k = 0; k < 40; k++) {
			json_object *file = json_tokener_parse(text.data), *sc, *out = NULL;
			struct leaf leaves[512];
			struct preview_error err;
			int n = 0, rc;

			json_object_object_get_ex(file, "scenario", &sc);
			collect(sc, leaves, &n, 512);
			if (n > 0) {
				struct leaf *lf;
				json_object *j;

				state = state * 6364136223846793005ULL + 1442695040888963407ULL;
				lf = &leaves[(state >> 33) % (uint64_t)n];
				j = json_tokener_parse(
				    junk[(state >> 20) % (sizeof(junk) / sizeof(junk[0]))]);
				if (lf->key != NULL)
					json_object_object_add(lf->parent, lf->key, j);
				else
					json_object_array_put_idx(lf->parent, lf->idx, j);
			}
			rc = preview_run(sc, ru, NULL, &out, &err);
			if (rc != 0 && (err.message[0] == '\0' || out != NULL))
				bad++;
			if (rc == 0 && out == NULL)
				bad++;
			runs++;
			json_object_put(out);
			json_object_put(file);
		}
		buf_free(&path);
		buf_free(&text);
	}
	closedir(d);
	CHECK_INT(bad, 0);
	CHECK(runs > 1000);
}

int main(void)
{
	ru = test_load_ru();
	if (ru == NULL)
		return 1;
	RUN(test_payroll_cases);
	RUN(test_output_shape);
	RUN(test_scenario_mutations);
	calendar_free(ru);
	return check_report();
}
