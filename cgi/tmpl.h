/*
 * tmpl.h - a small mustache-subset renderer over json-c, for the HTML pages
 * of cabinet-admin.
 *
 * Our own because Debian 12 packages no mustache renderer for C (its
 * libkainjow-mustache is C++, mustach is not packaged) and the pages need
 * escaping by default over json-c values; the subset is small and fuzzed
 * (tests/fuzz/fuzz_tmpl.c).
 *
 * A template set is loaded once at start-up (tmpl_set_load: every NAME.html
 * in a directory) or built tag by tag (tmpl_set_new + tmpl_set_add +
 * tmpl_set_check, for tests and fuzzing), then rendered many times. Every
 * syntax error is reported when the set is built, as "NAME:LINE: message".
 * After that the set is read-only: tmpl_render may be called from several
 * threads at once on the same set.
 *
 * Syntax
 *   {{name}}             value, HTML-escaped (& < > " ')
 *   {{{name}}} {{&name}} value, raw
 *   {{#name}}..{{/name}} section      {{^name}}..{{/name}}  inverted section
 *   {{>partial}}         another template of the set, same context
 *   {{!comment}}         nothing (may span lines)
 *   {{.}}                the current item
 *   {{#name=other}}..{{/name=other}}  match section (and {{^name=other}}):
 *                        rendered once, the context unchanged, when
 *                        other's value is a scalar whose text (as {{other}}
 *                        shows it) equals name's, or is among name's when
 *                        name is an array; null, missing, objects never
 *                        match. The one way a page marks the chosen option
 *                        of a select or the ticked boxes of a list:
 *                        <option value="{{id}}"{{#form.org=id}} selected{{/form.org=id}}>
 * Whitespace inside the braces is ignored: {{ name }}. Set-delimiter tags
 * ({{=<% %>=}}) are not supported and are a syntax error.
 *
 * Names: "." or parts of [A-Za-z0-9_-] joined by dots ("user.full_name");
 * a section's, also two names joined by "=" (a match; no blanks around it).
 * The first part is looked up from the innermost context outwards (the
 * mustache context stack); the other parts only inside what it found
 * ("a.b" with an "a" that lacks "b" is missing, not looked up further out).
 * Template and partial names: [a-z0-9_-], 1..TMPL_NAME_MAX bytes.
 *
 * Values
 *   string            as is (escaped unless raw)
 *   number            as json-c prints it (42, 1.5)
 *   true / false      "true" / "false" (as mustache.js; use a section to
 *                     choose text by a boolean)
 *   null / missing    nothing
 *   object / array    nothing (never a JSON dump into a page)
 *
 * Sections {{#name}}
 *   false, null, missing, [], ""      skipped
 *   non-empty array                   once per element, element pushed
 *   object (even {})                  once, the object pushed
 *   true, non-empty string, number    once, context unchanged (0 included)
 * An inverted section {{^name}} is rendered exactly when {{#name}} is skipped.
 *
 * Standalone lines: a line holding only whitespace and one section, inverted,
 * close, comment or partial tag is removed whole (no blank line is left), as
 * in the mustache spec. A standalone partial is indented by the whitespace
 * that preceded it: each line of the partial's own text gets it (values with
 * newlines are not re-indented).
 *
 * Limits: sections nest at most TMPL_MAX_NESTING deep in one template, and a
 * chain of partials that are not inside a section at most TMPL_MAX_PARTIALS
 * deep; such a chain that loops is an error at load time. Partials inside a
 * section may recurse (a department tree; give every leaf its own empty
 * "children": [], or the lookup walks up to the parent's list and recurses
 * until the limit): rendering is bounded at run time
 * by TMPL_MAX_DEPTH nested sections and partials, TMPL_MAX_STEPS node visits
 * and TMPL_MAX_OUTPUT bytes, whatever the JSON context holds.
 */
#ifndef CABINET_TMPL_H
#define CABINET_TMPL_H

#include <stddef.h>

#include <json-c/json.h>

#include "buf.h"

#define TMPL_NAME_MAX     64
#define TMPL_MAX_SOURCE   (1024 * 1024)      /* bytes of one template */
#define TMPL_MAX_NESTING  32                 /* sections inside one template */
#define TMPL_MAX_PARTIALS 16                 /* unconditional partial chain */
#define TMPL_MAX_DEPTH    64                 /* sections + partials while rendering */
#define TMPL_MAX_STEPS    (4L * 1024 * 1024) /* nodes visited by one render */
#define TMPL_MAX_OUTPUT   (32 * 1024 * 1024) /* bytes appended by one render */

/* Return codes: 0 or one of these. */
enum {
	TMPL_OK = 0,
	TMPL_ESYNTAX = -1,   /* a template does not parse (err says where) */
	TMPL_ENOTFOUND = -2, /* no template or partial of that name */
	TMPL_ELIMIT = -3,    /* a render limit above was reached */
	TMPL_EIO = -4,       /* a template file could not be read */
	TMPL_EEXIST = -5,    /* a template of that name is already in the set */
};

struct tmpl_set;

/* A new empty set; the caller owns it (tmpl_set_free). Aborts on no memory. */
struct tmpl_set *tmpl_set_new(void);

/*
 * Loads every regular file NAME.html of dir (other files are ignored; a
 * NAME that is not a valid template name is an error), then runs
 * tmpl_set_check. Returns a set the caller owns, or NULL with a message in
 * err ("NAME:LINE: ...", or the file and the system error).
 */
struct tmpl_set *tmpl_set_load(const char *dir, char *err, size_t errlen);

/*
 * Compiles text (len bytes, need not be NUL-terminated; the set keeps its own
 * copy) as template `name`. Partials are not resolved here, so templates may
 * be added in any order: call tmpl_set_check once all are in. Returns 0, or
 * TMPL_ESYNTAX / TMPL_EEXIST with a message in err (err may be NULL). On error
 * the set is unchanged.
 */
int tmpl_set_add(struct tmpl_set *set, const char *name, const char *text, size_t len, char *err,
                 size_t errlen);

/*
 * Checks the references between templates: every partial exists, and no
 * chain of partials outside sections loops or is deeper than
 * TMPL_MAX_PARTIALS. Returns 0, or TMPL_ESYNTAX / TMPL_ENOTFOUND with a
 * message in err.
 */
int tmpl_set_check(const struct tmpl_set *set, char *err, size_t errlen);

/*
 * Renders template `name` with the context ctx (lent; NULL is an empty
 * context), appending to out. ctx is only read (json-c may cache the printed
 * form of a number inside its object, as any json-c printing does). Returns
 * 0, TMPL_ENOTFOUND (no such template, or a partial missing because
 * tmpl_set_check was not run) or TMPL_ELIMIT; on error out is restored to
 * the length it had, so nothing half-rendered is left in it.
 */
int tmpl_render(const struct tmpl_set *set, const char *name, json_object *ctx, struct buf *out);

/* 1 if name is a valid template name ([a-z0-9_-], 1..TMPL_NAME_MAX). */
int tmpl_name_valid(const char *name, size_t len);

/* A short English text for a TMPL_E* code. */
const char *tmpl_strerror(int rc);

/* Frees the set and its templates; NULL is allowed. */
void tmpl_set_free(struct tmpl_set *set);

#endif
