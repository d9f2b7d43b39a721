#include "cases.h"
#include "check.h"
#include "tmpl.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * Each case of data/tmpl_cases.json: "template" (lines joined with "\n"),
 * optional "data" (the context) and "partials" ({name: text}), and one of
 * "expected" (the output), "error" (a fragment of the load-time message) or
 * "render_error" ("limit" or "notfound").
 */
static void tmpl_run_case(json_object *c)
{
	const char *name = cases_str(c, "name");
	const char *want_err = cases_str(c, "error");
	const char *want_rerr = cases_str(c, "render_error");
	struct buf text = BUF_INIT, want = BUF_INIT, out = BUF_INIT;
	json_object *data = NULL, *partials = NULL;
	struct tmpl_set *set = tmpl_set_new();
	char err[256] = "";
	int rc = 0;

	json_object_object_get_ex(c, "data", &data);
	if (json_object_object_get_ex(c, "partials", &partials)) {
		json_object_object_foreach(partials, pname, ptext)
		{
			struct buf p = BUF_INIT;

			(void)ptext;
			cases_text(partials, pname, "\n", &p);
			if (rc == 0)
				rc = tmpl_set_add(set, pname, p.data, p.len, err, sizeof(err));
			buf_free(&p);
		}
	}
	cases_text(c, "template", "\n", &text);
	if (rc == 0)
		rc = tmpl_set_add(set, "main", text.data, text.len, err, sizeof(err));
	if (rc == 0)
		rc = tmpl_set_check(set, err, sizeof(err));

	if (want_err != NULL) {
		if (rc == 0 || strstr(err, want_err) == NULL)
			fprintf(stderr, "case \"%s\": rc %d, error \"%s\", want \"%s\"\n", name, rc,
			        err, want_err);
		CHECK(rc < 0 && strstr(err, want_err) != NULL);
		goto done;
	}
	if (rc != 0)
		fprintf(stderr, "case \"%s\": %s\n", name, err);
	CHECK_INT(rc, 0);
	if (rc != 0)
		goto done;
	rc = tmpl_render(set, "main", data, &out);
	if (want_rerr != NULL) {
		int code = strcmp(want_rerr, "limit") == 0 ? TMPL_ELIMIT : TMPL_ENOTFOUND;

		if (rc != code)
			fprintf(stderr, "case \"%s\": render rc %d, want %d\n", name, rc, code);
		CHECK_INT(rc, code);
		CHECK_INT(out.len, 0);
		goto done;
	}
	cases_text(c, "expected", "\n", &want);
	buf_append(&out, "", 0);
	if (rc != 0 || out.len != want.len || memcmp(out.data, want.data, want.len) != 0)
		fprintf(stderr, "case \"%s\":\n", name);
	CHECK_INT(rc, 0);
	CHECK_STR(out.data, want.data);
done:
	buf_free(&text);
	buf_free(&want);
	buf_free(&out);
	tmpl_set_free(set);
}

TEST(test_cases)
{
	json_object *root = cases_load("tmpl_cases.json"), *cases = NULL;
	size_t i, n;

	CHECK(root != NULL);
	if (root == NULL)
		return;
	json_object_object_get_ex(root, "cases", &cases);
	n = json_object_array_length(cases);
	CHECK(n > 50);
	for (i = 0; i < n; i++)
		tmpl_run_case(json_object_array_get_idx(cases, i));
	json_object_put(root);
}

TEST(test_load_dir)
{
	char dir[4096], err[256] = "";
	struct tmpl_set *set;
	struct buf out = BUF_INIT;
	json_object *ctx = json_tokener_parse(
	    "{\"title\": \"Сотрудники & отделы\", \"staff\": [{\"name\": \"Иванов\"}, "
	    "{\"name\": \"<b>\"}]}");

	cases_path("templates", dir, sizeof(dir));
	set = tmpl_set_load(dir, err, sizeof(err));
	if (set == NULL)
		fprintf(stderr, "%s\n", err);
	CHECK(set != NULL);
	if (set == NULL)
		goto done;
	CHECK_INT(tmpl_render(set, "staff", ctx, &out), 0);
	CHECK_STR(out.data, "<!doctype html>\n"
	                    "<title>Сотрудники &amp; отделы</title>\n"
	                    "<ul>\n"
	                    "  <li>Иванов</li>\n"
	                    "  <li>&lt;b&gt;</li>\n"
	                    "</ul>\n"
	                    "<footer>cabinet</footer>\n");
	/* notes.txt is not a template */
	buf_reset(&out);
	CHECK_INT(tmpl_render(set, "notes", ctx, &out), TMPL_ENOTFOUND);
	/* the set renders again, the same */
	CHECK_INT(tmpl_render(set, "staff", ctx, &out), 0);
	CHECK(strstr(out.data, "&lt;b&gt;") != NULL);
done:
	tmpl_set_free(set);
	json_object_put(ctx);
	buf_free(&out);
}

TEST(test_load_errors)
{
	char dir[4096], tmp[] = "/tmp/tmpl-test-XXXXXX", path[4200], err[256] = "";
	struct tmpl_set *set;
	FILE *f;

	cases_path("templates-bad", dir, sizeof(dir));
	set = tmpl_set_load(dir, err, sizeof(err));
	CHECK(set == NULL);
	CHECK_STR(err, "broken:3: unclosed section {{#items}}");

	set = tmpl_set_load("/nonexistent-tmpl-dir", err, sizeof(err));
	CHECK(set == NULL);
	CHECK(strstr(err, "/nonexistent-tmpl-dir: No such file") != NULL);

	CHECK(mkdtemp(tmp) != NULL);
	snprintf(path, sizeof(path), "%s/Bad Name.html", tmp);
	f = fopen(path, "w");
	CHECK(f != NULL);
	if (f == NULL)
		return;
	fputs("x", f);
	fclose(f);
	set = tmpl_set_load(tmp, err, sizeof(err));
	CHECK(set == NULL);
	CHECK(strstr(err, "Bad Name.html: bad template name") != NULL);
	unlink(path);

	/* an empty folder is an empty set */
	set = tmpl_set_load(tmp, err, sizeof(err));
	CHECK(set != NULL);
	tmpl_set_free(set);
	rmdir(tmp);
}

TEST(test_add_errors)
{
	struct tmpl_set *set = tmpl_set_new();
	char err[256] = "";
	struct buf out = BUF_INIT;

	CHECK_INT(tmpl_set_add(set, "a", "x", 1, err, sizeof(err)), 0);
	CHECK_INT(tmpl_set_add(set, "a", "y", 1, err, sizeof(err)), TMPL_EEXIST);
	CHECK_STR(err, "a: template defined twice");
	CHECK_INT(tmpl_set_add(set, "A", "y", 1, err, sizeof(err)), TMPL_ESYNTAX);
	CHECK_INT(tmpl_set_add(set, "", "y", 1, NULL, 0), TMPL_ESYNTAX);
	CHECK_INT(tmpl_set_add(set, "b", "{{#x}}", 6, NULL, 0), TMPL_ESYNTAX);
	/* a failed add leaves the set as it was */
	CHECK_INT(tmpl_render(set, "b", NULL, &out), TMPL_ENOTFOUND);
	CHECK_INT(tmpl_render(set, "a", NULL, &out), 0);
	CHECK_STR(out.data, "x");
	CHECK_STR(tmpl_strerror(TMPL_ELIMIT), "template render limit reached");
	tmpl_set_free(set);
	buf_free(&out);
}

TEST(test_nesting_limit)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf t = BUF_INIT, out = BUF_INIT;
	json_object *yes = json_tokener_parse("{\"a\": true}");
	char err[256] = "";
	int i;

	for (i = 0; i < TMPL_MAX_NESTING; i++)
		buf_puts(&t, "{{#a}}");
	buf_puts(&t, "x");
	for (i = 0; i < TMPL_MAX_NESTING; i++)
		buf_puts(&t, "{{/a}}");
	CHECK_INT(tmpl_set_add(set, "ok", t.data, t.len, err, sizeof(err)), 0);
	CHECK_INT(tmpl_render(set, "ok", yes, &out), 0);
	CHECK_STR(out.data, "x");
	buf_reset(&t);
	for (i = 0; i <= TMPL_MAX_NESTING; i++)
		buf_puts(&t, "{{#a}}\n");
	CHECK_INT(tmpl_set_add(set, "deep", t.data, t.len, err, sizeof(err)), TMPL_ESYNTAX);
	CHECK_STR(err, "deep:33: sections nested deeper than 32");
	json_object_put(yes);
	tmpl_set_free(set);
	buf_free(&t);
	buf_free(&out);
}

/* A render that fails leaves out as it was; deep JSON cannot crash it. */
TEST(test_render_limits)
{
	struct tmpl_set *set = tmpl_set_new();
	struct buf out = BUF_INIT;
	json_object *root = json_object_new_array(), *a = root;
	const char *node = "{{#.}}[{{>node}}]{{/.}}";
	int i;

	for (i = 0; i < 10000; i++) {
		json_object *inner = json_object_new_array();

		json_object_array_add(a, inner);
		a = inner;
	}
	CHECK_INT(tmpl_set_add(set, "node", node, strlen(node), NULL, 0), 0);
	CHECK_INT(tmpl_set_check(set, NULL, 0), 0);
	buf_puts(&out, "before");
	CHECK_INT(tmpl_render(set, "node", root, &out), TMPL_ELIMIT);
	CHECK_STR(out.data, "before");
	/* 20 levels of a tree render fine (the innermost array is empty) */
	json_object_put(root);
	root = json_object_new_array();
	a = root;
	for (i = 0; i < 20; i++) {
		json_object *inner = json_object_new_array();

		json_object_array_add(a, inner);
		a = inner;
	}
	buf_reset(&out);
	CHECK_INT(tmpl_render(set, "node", root, &out), 0);
	CHECK_INT(out.len, 2 * 20);
	json_object_put(root);
	tmpl_set_free(set);
	buf_free(&out);
}

int main(void)
{
	RUN(test_cases);
	RUN(test_load_dir);
	RUN(test_load_errors);
	RUN(test_add_errors);
	RUN(test_nesting_limit);
	RUN(test_render_limits);
	return check_report();
}
