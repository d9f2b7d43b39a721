/*
 * fuzz_tmpl.c - cgi/tmpl.h: compile a set of templates and render one.
 *
 * Input: text before the first header line is template "main"; each line
 * "--- NAME" starts template NAME (a partial), and "--- json" starts the
 * JSON context instead (used only if it parses as an object):
 *
 *   <ul>{{#items}}{{>item}}{{/items}}</ul>
 *   --- item
 *   <li>{{name}}</li>
 *   --- json
 *   {"items": [{"name": "a"}]}
 *
 * Checked promises: a failed build leaves an error text and the set usable;
 * a failed render leaves the output buffer as it was; a render is bounded
 * by the TMPL_MAX_* limits.
 */
#include "fuzz.h"
#include "jsonx.h"
#include "tmpl.h"

#define FUZZ_TMPL_MAX 16

struct fuzz_piece {
	char name[TMPL_NAME_MAX + 1];
	const char *text;
	size_t len;
};

/* Splits the input at "--- NAME" lines; returns the count of pieces. */
static int fuzz_split(const char *s, size_t n, struct fuzz_piece *p, int max)
{
	int count = 0;
	const char *start = s, *end = s + n;

	strcpy(p[0].name, "main");
	for (const char *line = s; line < end;) {
		const char *nl = memchr(line, '\n', (size_t)(end - line));
		const char *eol = nl ? nl : end;

		if (eol - line >= 4 && memcmp(line, "--- ", 4) == 0 &&
		    eol - line - 4 <= TMPL_NAME_MAX && count + 1 < max) {
			/* the newline before the header belongs to the header */
			const char *stop = line > start ? line - 1 : line;
			p[count].text = start;
			p[count].len = (size_t)(stop - start);
			count++;
			memcpy(p[count].name, line + 4, (size_t)(eol - line - 4));
			p[count].name[eol - line - 4] = '\0';
			start = nl ? nl + 1 : end;
		}
		line = nl ? nl + 1 : end;
	}
	p[count].text = start;
	p[count].len = (size_t)(end - start);
	return count + 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_piece pieces[FUZZ_TMPL_MAX];
	struct tmpl_set *set = tmpl_set_new();
	json_object *ctx = NULL;
	struct buf out = BUF_INIT;
	char err[256];
	int n, rc, added = 0;

	n = fuzz_split((const char *)data, size, pieces, FUZZ_TMPL_MAX);
	for (int i = 0; i < n; i++) {
		if (strcmp(pieces[i].name, "json") == 0) {
			const char *why;
			if (ctx == NULL)
				ctx = jsonx_parse_object(pieces[i].text, pieces[i].len, &why);
			continue;
		}
		err[0] = '\0';
		rc = tmpl_set_add(set, pieces[i].name, pieces[i].text, pieces[i].len, err,
		                  sizeof(err));
		if (rc == TMPL_OK)
			added++;
		else
			FUZZ_ASSERT((rc == TMPL_ESYNTAX || rc == TMPL_EEXIST) && err[0] != '\0');
	}
	if (added) {
		err[0] = '\0';
		rc = tmpl_set_check(set, err, sizeof(err));
		FUZZ_ASSERT(rc == TMPL_OK || err[0] != '\0');
		/* rendered even after a failed check: the run-time bounds must hold */
		buf_puts(&out, "keep");
		rc = tmpl_render(set, "main", ctx, &out);
		FUZZ_ASSERT(rc == TMPL_OK || rc == TMPL_ENOTFOUND || rc == TMPL_ELIMIT);
		if (rc != TMPL_OK)
			FUZZ_ASSERT(out.len == 4 && memcmp(out.data, "keep", 4) == 0);
		FUZZ_ASSERT(out.len - 4 <= TMPL_MAX_OUTPUT);
	}
	buf_free(&out);
	json_object_put(ctx);
	tmpl_set_free(set);
	return 0;
}
