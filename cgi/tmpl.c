/*
 * tmpl.c - see tmpl.h for the language.
 *
 * A template compiles to a flat array of nodes. A section node records the
 * index just past its closing tag (end); its children are the nodes between,
 * so the tree needs no pointers and frees in one loop. Text nodes and the
 * indentation of standalone partials point into the template's own copy of
 * its source.
 */
#include "tmpl.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum tmpl_kind {
	TMPL_TEXT,
	TMPL_VAR,      /* {{name}} */
	TMPL_RAW,      /* {{{name}}}, {{&name}} */
	TMPL_SECTION,  /* {{#name}} */
	TMPL_INVERTED, /* {{^name}} */
	TMPL_PARTIAL,  /* {{>name}} */
};

struct tmpl_node {
	enum tmpl_kind kind;
	unsigned line;
	size_t end;       /* SECTION, INVERTED: index of the node after the section */
	const char *text; /* TEXT: the bytes; PARTIAL: indentation (standalone) */
	size_t len;
	const char *tag; /* tags: the name as written (into src), for messages */
	size_t taglen;
	char *name; /* tags: owned copy, dots replaced by NULs; NULL for "." */
	int nparts; /* parts in name; 0 for "." */
	int standalone;
	/* a match section {{#name=other}}: the other name, as name */
	int match;
	char *name2;
	int nparts2;
};

struct tmpl {
	char name[TMPL_NAME_MAX + 1];
	char *src; /* owned copy of the source */
	size_t srclen;
	struct tmpl_node *nodes;
	size_t nnodes, cap;
};

struct tmpl_set {
	struct tmpl **tmpls; /* sorted by name */
	size_t n, cap;
};

static void tmpl_seterr(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void tmpl_seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

const char *tmpl_strerror(int rc)
{
	switch (rc) {
	case TMPL_OK:
		return "ok";
	case TMPL_ESYNTAX:
		return "template syntax error";
	case TMPL_ENOTFOUND:
		return "template not found";
	case TMPL_ELIMIT:
		return "template render limit reached";
	case TMPL_EIO:
		return "template file not readable";
	case TMPL_EEXIST:
		return "template already defined";
	}
	return "unknown template error";
}

int tmpl_name_valid(const char *name, size_t len)
{
	size_t i;

	if (len == 0 || len > TMPL_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
			return 0;
	}
	return 1;
}

static int tmpl_namechar(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* "." or [A-Za-z0-9_-]+ parts joined by single dots. */
static int tmpl_varname_valid(const char *s, size_t len)
{
	size_t i, part = 0;

	if (len == 1 && s[0] == '.')
		return 1;
	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (part == 0)
				return 0;
			part = 0;
		} else if (tmpl_namechar(s[i])) {
			part++;
		} else {
			return 0;
		}
	}
	return part > 0;
}

static void tmpl_free_one(struct tmpl *t)
{
	size_t i;

	if (t == NULL)
		return;
	for (i = 0; i < t->nnodes; i++) {
		free(t->nodes[i].name);
		free(t->nodes[i].name2);
	}
	free(t->nodes);
	free(t->src);
	free(t);
}

static struct tmpl_node *tmpl_node_add(struct tmpl *t, enum tmpl_kind kind, unsigned line)
{
	struct tmpl_node *nd;

	if (t->nnodes == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->nodes = realloc(t->nodes, t->cap * sizeof(*t->nodes));
		if (t->nodes == NULL)
			abort();
	}
	nd = &t->nodes[t->nnodes++];
	memset(nd, 0, sizeof(*nd));
	nd->kind = kind;
	nd->line = line;
	return nd;
}

/* A copy of name s with the dots turned into NULs, and its number of
 * parts; NULL and 0 for ".". */
static char *tmpl_name_copy(const char *s, size_t len, int *nparts)
{
	char *name;
	size_t i;

	*nparts = 0;
	if (len == 1 && s[0] == '.')
		return NULL;
	name = malloc(len + 1);
	if (name == NULL)
		abort();
	*nparts = 1;
	for (i = 0; i < len; i++) {
		name[i] = s[i] == '.' ? '\0' : s[i];
		if (s[i] == '.')
			(*nparts)++;
	}
	name[len] = '\0';
	return name;
}

/* Sets the tag name of nd (a match section's two names: see tmpl.h). */
static void tmpl_node_name(struct tmpl_node *nd, const char *s, size_t len)
{
	const char *eq =
	    nd->kind == TMPL_SECTION || nd->kind == TMPL_INVERTED ? memchr(s, '=', len) : NULL;

	nd->tag = s;
	nd->taglen = len;
	if (eq) {
		nd->match = 1;
		nd->name = tmpl_name_copy(s, (size_t)(eq - s), &nd->nparts);
		nd->name2 = tmpl_name_copy(eq + 1, len - (size_t)(eq - s) - 1, &nd->nparts2);
		return;
	}
	nd->name = tmpl_name_copy(s, len, &nd->nparts);
}

/* A section's name: a name, or a match "name=other" of two names. */
static int tmpl_section_name_valid(const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);

	if (eq == NULL)
		return tmpl_varname_valid(s, len);
	return tmpl_varname_valid(s, (size_t)(eq - s)) &&
	       tmpl_varname_valid(eq + 1, len - (size_t)(eq - s) - 1);
}

static int tmpl_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Line numbers of increasing positions, counted incrementally. */
struct tmpl_lines {
	const char *s;
	size_t pos;
	unsigned line;
};

static unsigned tmpl_line_at(struct tmpl_lines *l, size_t pos)
{
	for (; l->pos < pos; l->pos++)
		if (l->s[l->pos] == '\n')
			l->line++;
	return l->line;
}

static void tmpl_text_add(struct tmpl *t, size_t from, size_t to)
{
	struct tmpl_node *nd;

	if (to <= from)
		return;
	nd = tmpl_node_add(t, TMPL_TEXT, 0);
	nd->text = t->src + from;
	nd->len = to - from;
}

static int tmpl_parse(struct tmpl *t, char *err, size_t errlen)
{
	const char *s = t->src;
	size_t n = t->srclen;
	size_t pos = 0, text_start = 0;
	size_t open[TMPL_MAX_NESTING];
	int depth = 0;
	struct tmpl_lines lines = {s, 0, 1};

	if (memchr(s, '\0', n) != NULL) {
		tmpl_seterr(err, errlen, "%s:%u: NUL byte in template", t->name,
		            tmpl_line_at(&lines, (size_t)((const char *)memchr(s, '\0', n) - s)));
		return TMPL_ESYNTAX;
	}
	while (pos < n) {
		const char *p = memmem(s + pos, n - pos, "{{", 2);
		size_t tag_start, q, close, tag_end, a, b, left, after;
		unsigned line;
		char sigil;
		int standalone = 0;
		struct tmpl_node *nd;

		if (p == NULL)
			break;
		tag_start = (size_t)(p - s);
		line = tmpl_line_at(&lines, tag_start);
		q = tag_start + 2;
		sigil = q < n ? s[q] : '\0';
		if (strchr("#^/>!&{=", sigil) != NULL && sigil != '\0')
			q++;
		else
			sigil = '\0';
		if (sigil == '=') {
			tmpl_seterr(err, errlen, "%s:%u: set-delimiter tags are not supported",
			            t->name, line);
			return TMPL_ESYNTAX;
		}
		p = memmem(s + q, n - q, sigil == '{' ? "}}}" : "}}", sigil == '{' ? 3 : 2);
		if (p == NULL) {
			tmpl_seterr(err, errlen, "%s:%u: unterminated tag \"{{%s\"", t->name, line,
			            sigil == '{' ? "{" : "");
			return TMPL_ESYNTAX;
		}
		close = (size_t)(p - s);
		tag_end = close + (sigil == '{' ? 3 : 2);
		/* the name, without the blanks around it */
		a = q;
		b = close;
		while (a < b && tmpl_blank(s[a]))
			a++;
		while (b > a && tmpl_blank(s[b - 1]))
			b--;

		/* standalone: only blanks between the line start and the tag and
		 * between the tag and the line end */
		left = tag_start;
		after = tag_end;
		if (sigil != '\0' && sigil != '&' && sigil != '{') {
			while (left > text_start && tmpl_blank(s[left - 1]))
				left--;
			if (left == 0 || s[left - 1] == '\n') {
				while (after < n && tmpl_blank(s[after]))
					after++;
				if (after == n) {
					standalone = 1;
				} else if (s[after] == '\n') {
					standalone = 1;
					after++;
				} else if (s[after] == '\r' && after + 1 < n &&
				           s[after + 1] == '\n') {
					standalone = 1;
					after += 2;
				}
			}
		}
		if (!standalone) {
			left = tag_start;
			after = tag_end;
		}
		tmpl_text_add(t, text_start, left);
		pos = text_start = after;

		if (sigil == '!')
			continue;
		if (sigil == '>') {
			if (!tmpl_name_valid(s + a, b - a)) {
				tmpl_seterr(err, errlen, "%s:%u: bad partial name \"%.*s\"",
				            t->name, line, (int)(b - a > 40 ? 40 : b - a), s + a);
				return TMPL_ESYNTAX;
			}
			nd = tmpl_node_add(t, TMPL_PARTIAL, line);
			tmpl_node_name(nd, s + a, b - a);
			nd->standalone = standalone;
			if (standalone) {
				nd->text = s + left;
				nd->len = tag_start - left;
			}
			continue;
		}
		if (!(strchr("#^/", sigil) != NULL && sigil != '\0'
		          ? tmpl_section_name_valid(s + a, b - a)
		          : tmpl_varname_valid(s + a, b - a))) {
			tmpl_seterr(err, errlen, "%s:%u: bad name \"%.*s\"", t->name, line,
			            (int)(b - a > 40 ? 40 : b - a), s + a);
			return TMPL_ESYNTAX;
		}
		if (sigil == '/') {
			struct tmpl_node *o;

			if (depth == 0) {
				tmpl_seterr(err, errlen, "%s:%u: {{/%.*s}} closes no section",
				            t->name, line, (int)(b - a), s + a);
				return TMPL_ESYNTAX;
			}
			o = &t->nodes[open[depth - 1]];
			if (o->taglen != b - a || memcmp(o->tag, s + a, b - a) != 0) {
				tmpl_seterr(err, errlen,
				            "%s:%u: mismatched section: {{/%.*s}} closes "
				            "{{%c%.*s}} opened at line %u",
				            t->name, line, (int)(b - a), s + a,
				            o->kind == TMPL_SECTION ? '#' : '^', (int)o->taglen,
				            o->tag, o->line);
				return TMPL_ESYNTAX;
			}
			o->end = t->nnodes;
			depth--;
			continue;
		}
		if (sigil == '#' || sigil == '^') {
			if (depth == TMPL_MAX_NESTING) {
				tmpl_seterr(err, errlen, "%s:%u: sections nested deeper than %d",
				            t->name, line, TMPL_MAX_NESTING);
				return TMPL_ESYNTAX;
			}
			open[depth++] = t->nnodes;
			nd = tmpl_node_add(t, sigil == '#' ? TMPL_SECTION : TMPL_INVERTED, line);
		} else {
			nd = tmpl_node_add(t, sigil == '\0' ? TMPL_VAR : TMPL_RAW, line);
		}
		tmpl_node_name(nd, s + a, b - a);
	}
	tmpl_text_add(t, text_start, n);
	if (depth > 0) {
		struct tmpl_node *o = &t->nodes[open[depth - 1]];

		tmpl_seterr(err, errlen, "%s:%u: unclosed section {{%c%.*s}}", t->name, o->line,
		            o->kind == TMPL_SECTION ? '#' : '^', (int)o->taglen, o->tag);
		return TMPL_ESYNTAX;
	}
	return TMPL_OK;
}

struct tmpl_set *tmpl_set_new(void)
{
	struct tmpl_set *set = calloc(1, sizeof(*set));

	if (set == NULL)
		abort();
	return set;
}

/* Index of name in the sorted set, or where it would go (*found = 0). */
static size_t tmpl_set_find(const struct tmpl_set *set, const char *name, int *found)
{
	size_t lo = 0, hi = set->n;

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(set->tmpls[mid]->name, name);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct tmpl *tmpl_set_get(const struct tmpl_set *set, const char *name)
{
	int found;
	size_t i = tmpl_set_find(set, name, &found);

	return found ? set->tmpls[i] : NULL;
}

int tmpl_set_add(struct tmpl_set *set, const char *name, const char *text, size_t len, char *err,
                 size_t errlen)
{
	struct tmpl *t = NULL;
	size_t at;
	int found, rc;

	if (!tmpl_name_valid(name, strlen(name))) {
		tmpl_seterr(err, errlen, "bad template name \"%.*s\" (allowed: a-z 0-9 _ -)",
		            (int)(strlen(name) > 40 ? 40 : strlen(name)), name);
		rc = TMPL_ESYNTAX;
		goto fail;
	}
	at = tmpl_set_find(set, name, &found);
	if (found) {
		tmpl_seterr(err, errlen, "%s: template defined twice", name);
		rc = TMPL_EEXIST;
		goto fail;
	}
	if (len > TMPL_MAX_SOURCE) {
		tmpl_seterr(err, errlen, "%s: template larger than %d bytes", name,
		            TMPL_MAX_SOURCE);
		rc = TMPL_ESYNTAX;
		goto fail;
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		abort();
	strcpy(t->name, name);
	t->src = malloc(len + 1);
	if (t->src == NULL)
		abort();
	if (len)
		memcpy(t->src, text, len);
	t->src[len] = '\0';
	t->srclen = len;
	rc = tmpl_parse(t, err, errlen);
	if (rc < 0)
		goto fail;

	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->tmpls = realloc(set->tmpls, set->cap * sizeof(*set->tmpls));
		if (set->tmpls == NULL)
			abort();
	}
	memmove(&set->tmpls[at + 1], &set->tmpls[at], (set->n - at) * sizeof(*set->tmpls));
	set->tmpls[at] = t;
	set->n++;
	return TMPL_OK;
fail:
	tmpl_free_one(t);
	return rc;
}

/*
 * Depth-first walk over the partials each template includes outside any
 * section (those always render): a grey template met again is a loop.
 * depth[i] is the longest such chain starting at template i.
 */
enum { TMPL_WHITE, TMPL_GREY, TMPL_BLACK };

static int tmpl_check_chain(const struct tmpl_set *set, size_t i, unsigned char *color, int *depth,
                            char *err, size_t errlen)
{
	const struct tmpl *t = set->tmpls[i];
	size_t k = 0;
	int found, rc;

	color[i] = TMPL_GREY;
	depth[i] = 1;
	while (k < t->nnodes) {
		const struct tmpl_node *nd = &t->nodes[k];
		size_t j;

		if (nd->kind == TMPL_SECTION || nd->kind == TMPL_INVERTED) {
			k = nd->end;
			continue;
		}
		k++;
		if (nd->kind != TMPL_PARTIAL)
			continue;
		j = tmpl_set_find(set, nd->name, &found);
		if (!found)
			continue; /* reported by the caller */
		if (color[j] == TMPL_GREY) {
			tmpl_seterr(err, errlen, "%s:%u: partial recursion: {{>%s}} always renders",
			            t->name, nd->line, nd->name);
			return TMPL_ESYNTAX;
		}
		if (color[j] == TMPL_WHITE) {
			rc = tmpl_check_chain(set, j, color, depth, err, errlen);
			if (rc < 0)
				return rc;
		}
		if (depth[j] + 1 > depth[i])
			depth[i] = depth[j] + 1;
		if (depth[i] > TMPL_MAX_PARTIALS) {
			tmpl_seterr(err, errlen,
			            "%s:%u: partials nested deeper than %d via {{>%s}}", t->name,
			            nd->line, TMPL_MAX_PARTIALS, nd->name);
			return TMPL_ESYNTAX;
		}
	}
	color[i] = TMPL_BLACK;
	return TMPL_OK;
}

int tmpl_set_check(const struct tmpl_set *set, char *err, size_t errlen)
{
	unsigned char *color = NULL;
	int *depth = NULL;
	size_t i, k;
	int rc = TMPL_OK;

	for (i = 0; i < set->n; i++) {
		const struct tmpl *t = set->tmpls[i];

		for (k = 0; k < t->nnodes; k++) {
			const struct tmpl_node *nd = &t->nodes[k];

			if (nd->kind == TMPL_PARTIAL && tmpl_set_get(set, nd->name) == NULL) {
				tmpl_seterr(err, errlen, "%s:%u: unknown partial \"%s\"", t->name,
				            nd->line, nd->name);
				return TMPL_ENOTFOUND;
			}
		}
	}
	if (set->n == 0)
		return TMPL_OK;
	color = calloc(set->n, 1);
	depth = calloc(set->n, sizeof(*depth));
	if (color == NULL || depth == NULL)
		abort();
	for (i = 0; i < set->n; i++) {
		if (color[i] != TMPL_WHITE)
			continue;
		rc = tmpl_check_chain(set, i, color, depth, err, errlen);
		if (rc < 0)
			goto fail;
	}
fail:
	free(color);
	free(depth);
	return rc;
}

static int tmpl_cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Reads dir/file into *text (caller frees). */
static int tmpl_read_file(const char *dir, const char *file, char **text, size_t *len, char *err,
                          size_t errlen)
{
	char path[4096];
	FILE *f = NULL;
	struct stat st;
	size_t got;

	*text = NULL;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, file) >= sizeof(path)) {
		tmpl_seterr(err, errlen, "%s/%s: path too long", dir, file);
		goto fail;
	}
	f = fopen(path, "rb");
	if (f == NULL || fstat(fileno(f), &st) < 0) {
		tmpl_seterr(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (st.st_size > TMPL_MAX_SOURCE) {
		tmpl_seterr(err, errlen, "%s: larger than %d bytes", path, TMPL_MAX_SOURCE);
		goto fail;
	}
	*text = malloc((size_t)st.st_size + 1);
	if (*text == NULL)
		abort();
	got = fread(*text, 1, (size_t)st.st_size + 1, f);
	if (ferror(f) || got != (size_t)st.st_size) {
		tmpl_seterr(err, errlen, "%s: read error or file changed while reading", path);
		goto fail;
	}
	*len = got;
	fclose(f);
	return TMPL_OK;
fail:
	if (f)
		fclose(f);
	free(*text);
	*text = NULL;
	return TMPL_EIO;
}

struct tmpl_set *tmpl_set_load(const char *dir, char *err, size_t errlen)
{
	struct tmpl_set *set = tmpl_set_new();
	DIR *d = NULL;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	char *text = NULL;
	size_t len;

	d = opendir(dir);
	if (d == NULL) {
		tmpl_seterr(err, errlen, "%s: %s", dir, strerror(errno));
		goto fail;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l < 6 || strcmp(de->d_name + l - 5, ".html") != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = realloc(names, cap * sizeof(*names));
			if (names == NULL)
				abort();
		}
		names[n] = strdup(de->d_name);
		if (names[n] == NULL)
			abort();
		n++;
	}
	closedir(d);
	d = NULL;
	if (n)
		qsort(names, n, sizeof(*names), tmpl_cmp_names);

	for (i = 0; i < n; i++) {
		char path[4096], tname[TMPL_NAME_MAX + 1];
		size_t l = strlen(names[i]) - 5; /* without ".html" */
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (stat(path, &st) == 0 && !S_ISREG(st.st_mode))
			continue;
		if (!tmpl_name_valid(names[i], l)) {
			tmpl_seterr(err, errlen,
			            "%s: bad template name (allowed: a-z 0-9 _ -, at most %d)",
			            path, TMPL_NAME_MAX);
			goto fail;
		}
		memcpy(tname, names[i], l);
		tname[l] = '\0';
		if (tmpl_read_file(dir, names[i], &text, &len, err, errlen) < 0)
			goto fail;
		if (tmpl_set_add(set, tname, text, len, err, errlen) < 0)
			goto fail;
		free(text);
		text = NULL;
	}
	if (tmpl_set_check(set, err, errlen) < 0)
		goto fail;
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return set;
fail:
	if (d)
		closedir(d);
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	free(text);
	tmpl_set_free(set);
	return NULL;
}

void tmpl_set_free(struct tmpl_set *set)
{
	size_t i;

	if (set == NULL)
		return;
	for (i = 0; i < set->n; i++)
		tmpl_free_one(set->tmpls[i]);
	free(set->tmpls);
	free(set);
}

/* ---- rendering ---- */

struct tmpl_render {
	const struct tmpl_set *set;
	struct buf *out;
	size_t start; /* out->len before the render */
	json_object *stack[TMPL_MAX_DEPTH + 1];
	int sp;
	int depth;
	long steps;
	/* indentation of the standalone partials being rendered */
	const struct tmpl_node *indent[TMPL_MAX_DEPTH];
	int nindent;
	int pending; /* at a line start of the template text: indent first */
};

static void tmpl_emit_indent(struct tmpl_render *r)
{
	int i;

	for (i = 0; i < r->nindent; i++)
		buf_append(r->out, r->indent[i]->text, r->indent[i]->len);
	r->pending = 0;
}

static void tmpl_emit_text(struct tmpl_render *r, const char *s, size_t len)
{
	if (r->nindent == 0) {
		buf_append(r->out, s, len);
		return;
	}
	while (len) {
		const char *nl = memchr(s, '\n', len);
		size_t chunk = nl ? (size_t)(nl - s) + 1 : len;

		if (r->pending)
			tmpl_emit_indent(r);
		buf_append(r->out, s, chunk);
		s += chunk;
		len -= chunk;
		if (nl)
			r->pending = 1;
	}
}

static json_object *tmpl_lookup_name(const struct tmpl_render *r, const char *name, int nparts)
{
	const char *part = name;
	json_object *v = NULL;
	int i, k;

	if (nparts == 0)
		return r->stack[r->sp - 1];
	for (i = r->sp - 1; i >= 0; i--) {
		if (json_object_is_type(r->stack[i], json_type_object) &&
		    json_object_object_get_ex(r->stack[i], part, &v))
			break;
	}
	if (i < 0)
		return NULL;
	for (k = 1; k < nparts; k++) {
		part += strlen(part) + 1;
		if (!json_object_is_type(v, json_type_object) ||
		    !json_object_object_get_ex(v, part, &v))
			return NULL;
	}
	return v;
}

static void tmpl_emit_value(struct tmpl_render *r, json_object *v, int escape)
{
	const char *s = NULL;
	size_t len = 0;

	if (r->pending && r->nindent)
		tmpl_emit_indent(r);
	switch (json_object_get_type(v)) {
	case json_type_string:
		s = json_object_get_string(v);
		len = (size_t)json_object_get_string_len(v);
		break;
	case json_type_int:
	case json_type_double:
		s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
		len = strlen(s);
		break;
	case json_type_boolean:
		s = json_object_get_boolean(v) ? "true" : "false";
		len = strlen(s);
		break;
	default:
		return;
	}
	if (escape)
		buf_put_html(r->out, s, len);
	else
		buf_append(r->out, s, len);
}

static json_object *tmpl_lookup(const struct tmpl_render *r, const struct tmpl_node *nd)
{
	return tmpl_lookup_name(r, nd->name, nd->nparts);
}

/* A scalar's text as {{name}} shows it; NULL for null, objects, arrays. */
static const char *tmpl_scalar_text(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_string:
		return json_object_get_string(v);
	case json_type_int:
	case json_type_double:
		return json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
	case json_type_boolean:
		return json_object_get_boolean(v) ? "true" : "false";
	default:
		return NULL;
	}
}

/* A match section's test: other is a scalar, and value is a scalar of the
 * same text or an array holding one. */
static int tmpl_matches(json_object *value, json_object *other)
{
	const char *want = tmpl_scalar_text(other), *have;

	if (want == NULL)
		return 0;
	if (json_object_is_type(value, json_type_array)) {
		for (size_t k = 0; k < json_object_array_length(value); k++) {
			have = tmpl_scalar_text(json_object_array_get_idx(value, k));
			if (have && strcmp(have, want) == 0)
				return 1;
		}
		return 0;
	}
	have = tmpl_scalar_text(value);
	return have && strcmp(have, want) == 0;
}

/* 1 if a section over v renders at least once. */
static int tmpl_truthy(json_object *v)
{
	switch (json_object_get_type(v)) {
	case json_type_null:
		return 0;
	case json_type_boolean:
		return json_object_get_boolean(v);
	case json_type_array:
		return json_object_array_length(v) > 0;
	case json_type_string:
		return json_object_get_string_len(v) > 0;
	default:
		return 1;
	}
}

static int tmpl_render_nodes(struct tmpl_render *r, const struct tmpl *t, size_t from, size_t to);

static int tmpl_render_section(struct tmpl_render *r, const struct tmpl *t, size_t i)
{
	const struct tmpl_node *nd = &t->nodes[i];
	json_object *v = tmpl_lookup(r, nd);
	size_t k, n;
	int rc = TMPL_OK;

	/* a match: once, the context unchanged, when the two names match */
	int on = nd->match ? tmpl_matches(v, tmpl_lookup_name(r, nd->name2, nd->nparts2))
	                   : tmpl_truthy(v);

	if (nd->kind == TMPL_INVERTED ? on : !on)
		return TMPL_OK;
	if (r->depth >= TMPL_MAX_DEPTH)
		return TMPL_ELIMIT;
	r->depth++;
	if (nd->match || nd->kind == TMPL_INVERTED ||
	    (!json_object_is_type(v, json_type_array) &&
	     !json_object_is_type(v, json_type_object))) {
		rc = tmpl_render_nodes(r, t, i + 1, nd->end);
	} else if (json_object_is_type(v, json_type_object)) {
		r->stack[r->sp++] = v;
		rc = tmpl_render_nodes(r, t, i + 1, nd->end);
		r->sp--;
	} else {
		n = json_object_array_length(v);
		for (k = 0; k < n && rc == TMPL_OK; k++) {
			if (++r->steps > TMPL_MAX_STEPS) {
				rc = TMPL_ELIMIT;
				break;
			}
			r->stack[r->sp++] = json_object_array_get_idx(v, k);
			rc = tmpl_render_nodes(r, t, i + 1, nd->end);
			r->sp--;
		}
	}
	r->depth--;
	return rc;
}

static int tmpl_render_partial(struct tmpl_render *r, const struct tmpl_node *nd)
{
	const struct tmpl *p = tmpl_set_get(r->set, nd->name);
	int rc;

	if (p == NULL)
		return TMPL_ENOTFOUND;
	if (r->depth >= TMPL_MAX_DEPTH)
		return TMPL_ELIMIT;
	r->depth++;
	if (nd->standalone) {
		r->indent[r->nindent++] = nd;
		r->pending = 1;
	}
	rc = tmpl_render_nodes(r, p, 0, p->nnodes);
	if (nd->standalone)
		r->nindent--;
	r->depth--;
	return rc;
}

static int tmpl_render_nodes(struct tmpl_render *r, const struct tmpl *t, size_t from, size_t to)
{
	size_t i = from;
	int rc = TMPL_OK;

	while (i < to) {
		const struct tmpl_node *nd = &t->nodes[i];

		if (++r->steps > TMPL_MAX_STEPS)
			return TMPL_ELIMIT;
		switch (nd->kind) {
		case TMPL_TEXT:
			tmpl_emit_text(r, nd->text, nd->len);
			i++;
			break;
		case TMPL_VAR:
		case TMPL_RAW:
			tmpl_emit_value(r, tmpl_lookup(r, nd), nd->kind == TMPL_VAR);
			i++;
			break;
		case TMPL_SECTION:
		case TMPL_INVERTED:
			rc = tmpl_render_section(r, t, i);
			i = nd->end;
			break;
		case TMPL_PARTIAL:
			rc = tmpl_render_partial(r, nd);
			i++;
			break;
		}
		if (rc < 0)
			return rc;
		if (r->out->len - r->start > TMPL_MAX_OUTPUT)
			return TMPL_ELIMIT;
	}
	return TMPL_OK;
}

int tmpl_render(const struct tmpl_set *set, const char *name, json_object *ctx, struct buf *out)
{
	const struct tmpl *t = tmpl_set_get(set, name);
	struct tmpl_render *r;
	int rc;

	if (t == NULL)
		return TMPL_ENOTFOUND;
	r = calloc(1, sizeof(*r));
	if (r == NULL)
		abort();
	r->set = set;
	r->out = out;
	r->start = out->len;
	r->stack[0] = ctx;
	r->sp = 1;
	rc = tmpl_render_nodes(r, t, 0, t->nnodes);
	if (rc < 0) {
		out->len = r->start;
		if (out->data)
			out->data[out->len] = '\0';
	}
	free(r);
	return rc;
}
