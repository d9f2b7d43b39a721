/*
 * pdf.c - printable documents as PDF with cairo (pdf.h).
 */
#include "pdf.h"

#include "log.h"
#include "textenc.h"

#include <cairo-ft.h>
#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define PDF_PT_PER_MM   (72.0 / 25.4)
#define PDF_PAGE_W      (210.0 * PDF_PT_PER_MM)
#define PDF_PAGE_H      (297.0 * PDF_PT_PER_MM)
#define PDF_LEFT_MM     20.0
#define PDF_TOP_MM      15.0
#define PDF_BOTTOM_MM   15.0
#define PDF_CELL_PAD_MM 1.2
#define PDF_LINE_FACTOR 1.3

struct pdf {
	cairo_surface_t *surface;
	cairo_t *cr;
	struct buf *out;
	struct buf data; /* the PDF as cairo writes it; appended to out on success */
	double y;        /* the top of the next line, points from the page's top */
	int page_used;   /* something was drawn on the current page */
};

/* ------------------------------------------------------------- fonts */

static cairo_font_face_t *pdf_faces[2]; /* regular, bold */
static int pdf_fonts_ok, pdf_fonts_loaded;
static pthread_once_t pdf_fonts_once = PTHREAD_ONCE_INIT;

/* The font of a family and weight by fontconfig's match, if it has the
 * Cyrillic letters (А..я, Ё, ё); NULL otherwise. */
static cairo_font_face_t *pdf_find_face(const char *family, int weight)
{
	FcPattern *pat = FcPatternCreate(), *match;
	FcCharSet *cs = NULL;
	FcResult res;
	cairo_font_face_t *face = NULL;
	int cyrillic = 1;

	if (pat == NULL)
		return NULL;
	FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
	FcPatternAddInteger(pat, FC_WEIGHT, weight);
	FcConfigSubstitute(NULL, pat, FcMatchPattern);
	FcDefaultSubstitute(pat);
	match = FcFontMatch(NULL, pat, &res);
	FcPatternDestroy(pat);
	if (match == NULL)
		return NULL;
	if (FcPatternGetCharSet(match, FC_CHARSET, 0, &cs) != FcResultMatch)
		cyrillic = 0;
	for (FcChar32 c = 0x410; cyrillic && c <= 0x44f; c++)
		cyrillic = FcCharSetHasChar(cs, c);
	if (cyrillic && FcCharSetHasChar(cs, 0x401) && FcCharSetHasChar(cs, 0x451))
		face = cairo_ft_font_face_create_for_pattern(match);
	FcPatternDestroy(match); /* the face keeps its own reference */
	if (face && cairo_font_face_status(face) != CAIRO_STATUS_SUCCESS) {
		cairo_font_face_destroy(face);
		face = NULL;
	}
	return face;
}

static void pdf_load_fonts(void)
{
	pdf_fonts_loaded = 1;
	if (!FcInit()) {
		log_error("pdf_fonts", "reason=%s", "fontconfig_init_failed");
		return;
	}
	pdf_faces[0] = pdf_find_face("DejaVu Sans", FC_WEIGHT_REGULAR);
	pdf_faces[1] = pdf_find_face("DejaVu Sans", FC_WEIGHT_BOLD);
	pdf_fonts_ok = pdf_faces[0] != NULL && pdf_faces[1] != NULL;
	if (!pdf_fonts_ok)
		log_error("pdf_fonts", "reason=%s", "no_cyrillic_font (install fonts-dejavu-core)");
}

int pdf_available(void)
{
	pthread_once(&pdf_fonts_once, pdf_load_fonts);
	return pdf_fonts_ok;
}

void pdf_cleanup(void)
{
	if (!pdf_fonts_loaded)
		return;
	for (int i = 0; i < 2; i++) {
		if (pdf_faces[i])
			cairo_font_face_destroy(pdf_faces[i]);
		pdf_faces[i] = NULL;
	}
	pdf_fonts_ok = 0;
	cairo_debug_reset_static_data();
	FcFini();
}

static double pdf_size(enum pdf_style style)
{
	switch (style) {
	case PDF_SMALL:
		return 8.0;
	case PDF_TITLE:
		return 13.0;
	default:
		return 10.0;
	}
}

static void pdf_set_style(struct pdf *p, enum pdf_style style)
{
	cairo_set_font_face(p->cr, pdf_faces[style == PDF_BOLD || style == PDF_TITLE]);
	cairo_set_font_size(p->cr, pdf_size(style));
}

static double pdf_line_height(enum pdf_style style)
{
	return pdf_size(style) * PDF_LINE_FACTOR;
}

/* ------------------------------------------------------ the document */

static cairo_status_t pdf_write(void *closure, const unsigned char *data, unsigned int length)
{
	buf_append(closure, data, length);
	return CAIRO_STATUS_SUCCESS;
}

struct pdf *pdf_new(struct buf *out, const char *title)
{
	struct pdf *p;
	cairo_font_options_t *fo;

	if (!pdf_available())
		return NULL;
	p = calloc(1, sizeof(*p));
	if (p == NULL)
		return NULL;
	p->out = out;
	p->surface =
	    cairo_pdf_surface_create_for_stream(pdf_write, &p->data, PDF_PAGE_W, PDF_PAGE_H);
	if (cairo_surface_status(p->surface) != CAIRO_STATUS_SUCCESS) {
		log_error("pdf_surface", "status=%s",
		          cairo_status_to_string(cairo_surface_status(p->surface)));
		cairo_surface_destroy(p->surface);
		buf_free(&p->data);
		free(p);
		return NULL;
	}
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_TITLE, title ? title : "");
	cairo_pdf_surface_set_metadata(p->surface, CAIRO_PDF_METADATA_CREATOR,
	                               "Кабинет сотрудника");
	p->cr = cairo_create(p->surface);
	/* layout in exact (unhinted) metrics: a PDF is scaled by its reader */
	fo = cairo_font_options_create();
	cairo_font_options_set_hint_metrics(fo, CAIRO_HINT_METRICS_OFF);
	cairo_font_options_set_hint_style(fo, CAIRO_HINT_STYLE_NONE);
	cairo_set_font_options(p->cr, fo);
	cairo_font_options_destroy(fo);
	cairo_set_source_rgb(p->cr, 0, 0, 0);
	cairo_set_line_width(p->cr, 0.5);
	p->y = PDF_TOP_MM * PDF_PT_PER_MM;
	return p;
}

static double pdf_bottom(void)
{
	return PDF_PAGE_H - PDF_BOTTOM_MM * PDF_PT_PER_MM;
}

static void pdf_new_page(struct pdf *p)
{
	cairo_show_page(p->cr);
	p->y = PDF_TOP_MM * PDF_PT_PER_MM;
	p->page_used = 0;
}

void pdf_keep(struct pdf *p, double mm)
{
	if (p->page_used && p->y + mm * PDF_PT_PER_MM > pdf_bottom())
		pdf_new_page(p);
}

void pdf_gap(struct pdf *p, double mm)
{
	p->y += mm * PDF_PT_PER_MM;
}

void pdf_rule(struct pdf *p)
{
	double x = PDF_LEFT_MM * PDF_PT_PER_MM;

	cairo_move_to(p->cr, x, p->y);
	cairo_line_to(p->cr, x + PDF_TEXT_WIDTH * PDF_PT_PER_MM, p->y);
	cairo_stroke(p->cr);
	p->y += 1.5 * PDF_PT_PER_MM;
	p->page_used = 1;
}

int pdf_finish(struct pdf *p)
{
	cairo_status_t st;
	int rc = 0;

	cairo_show_page(p->cr);
	st = cairo_status(p->cr);
	cairo_destroy(p->cr);
	cairo_surface_finish(p->surface);
	if (st == CAIRO_STATUS_SUCCESS)
		st = cairo_surface_status(p->surface);
	cairo_surface_destroy(p->surface);
	if (st != CAIRO_STATUS_SUCCESS) {
		log_error("pdf_failed", "status=%s", cairo_status_to_string(st));
		rc = -1;
	} else {
		buf_append(p->out, p->data.data, p->data.len);
	}
	buf_free(&p->data);
	free(p);
	return rc;
}

/* ---------------------------------------------------------- wrapping */

/* A line of a wrapped text: bytes [start, start + len) of it. */
struct pdf_line {
	size_t start, len;
};

/* The legal forms kept on one line with the quoted name that follows
 * («ООО «Ромашка»»): the space between is a no-break space. */
static const char *const pdf_legal_forms[] = {"ООО", "АО",  "ПАО", "ЗАО", "ОАО", "НАО",
                                              "ИП",  "АНО", "НКО", "ГУП", "МУП", "ФГУП",
                                              "ГБУ", "МБУ", "ОДО", NULL};

/* The text with invalid UTF-8 bytes as '?' (cairo refuses invalid text and
 * would fail the whole document) and a no-break space after a legal form
 * before a quoted name (the line breaks only at spaces), malloc'ed. */
static char *pdf_clean(const char *s)
{
	size_t n = s ? strlen(s) : 0, at, o = 0;
	char *c = malloc(n * 2 + 1);

	if (c == NULL)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		c[o++] = s[i];
		if (s[i + 1] != ' ' || strncmp(s + i + 2, "«", strlen("«")) != 0)
			continue;
		for (const char *const *f = pdf_legal_forms; *f; f++) {
			size_t fl = strlen(*f);
			if (i + 1 >= fl && memcmp(s + i + 1 - fl, *f, fl) == 0 &&
			    (i + 1 == fl || s[i - fl] == ' ' || s[i - fl] == '(')) {
				memcpy(c + o, "\xc2\xa0", 2);
				o += 2;
				i++; /* the space */
				break;
			}
		}
	}
	c[o] = '\0';
	while ((at = textenc_utf8_bad_at(c, o)) < o)
		c[at] = '?';
	return c;
}

static double pdf_width(cairo_t *cr, const char *s, size_t len)
{
	cairo_text_extents_t e;
	char stack[512], *tmp = len < sizeof(stack) ? stack : malloc(len + 1);

	if (tmp == NULL)
		return 0;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	cairo_text_extents(cr, tmp, &e);
	if (tmp != stack)
		free(tmp);
	return e.x_advance;
}

static size_t pdf_char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;

	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

/*
 * Breaks text into lines no wider than width (points) in the current font:
 * at spaces and newlines; a word wider than the line at characters.
 * Returns the number of lines (at least 1) in *lines (malloc'ed).
 */
static int pdf_wrap(cairo_t *cr, const char *text, double width, struct pdf_line **lines)
{
	size_t n = strlen(text), pos = 0;
	int count = 0, cap = 8;
	struct pdf_line *out = malloc(cap * sizeof(*out));

	if (out == NULL) {
		*lines = NULL;
		return 0;
	}
	do {
		size_t start = pos, end = pos, best = pos, para;
		/* the paragraph ends at a newline */
		para = start + strcspn(text + start, "\n");
		/* take words while they fit */
		while (end < para) {
			size_t w = end;
			while (w < para && text[w] == ' ')
				w++;
			while (w < para && text[w] != ' ')
				w++;
			if (pdf_width(cr, text + start, w - start) > width)
				break;
			end = best = w;
		}
		if (best == start && start < para) {
			/* the first word does not fit: as many characters as do */
			size_t c = start;
			while (c < para) {
				size_t next = c + pdf_char_len(text + c);
				if (next > para || (c > start && pdf_width(cr, text + start,
				                                           next - start) > width))
					break;
				c = next;
			}
			best = c > start ? c : start + pdf_char_len(text + start);
		}
		if (count == cap) {
			struct pdf_line *grown = realloc(out, (size_t)(cap *= 2) * sizeof(*out));
			if (grown == NULL)
				break;
			out = grown;
		}
		out[count].start = start;
		out[count].len = best - start;
		count++;
		pos = best;
		while (pos < para && text[pos] == ' ')
			pos++;
		if (pos == para && para < n)
			pos++; /* the newline */
	} while (pos < n);
	*lines = out;
	return count;
}

/* Draws one line at x (the box's left), box width w, baseline y. */
static void pdf_show(cairo_t *cr, const char *text, const struct pdf_line *l, double x, double w,
                     double y, enum pdf_align align)
{
	char stack[512], *tmp = l->len < sizeof(stack) ? stack : malloc(l->len + 1);
	double lw;

	if (tmp == NULL)
		return;
	memcpy(tmp, text + l->start, l->len);
	tmp[l->len] = '\0';
	lw = pdf_width(cr, tmp, l->len);
	if (align == PDF_CENTER)
		x += (w - lw) / 2;
	else if (align == PDF_RIGHT)
		x += w - lw;
	cairo_move_to(cr, x, y);
	cairo_show_text(cr, tmp);
	if (tmp != stack)
		free(tmp);
}

void pdf_text(struct pdf *p, enum pdf_style style, enum pdf_align align, double indent,
              const char *utf8)
{
	char *text = pdf_clean(utf8);
	struct pdf_line *lines = NULL;
	double lh = pdf_line_height(style), x = (PDF_LEFT_MM + indent) * PDF_PT_PER_MM;
	double w = (PDF_TEXT_WIDTH - indent) * PDF_PT_PER_MM;
	int n;

	if (text == NULL)
		return;
	pdf_set_style(p, style);
	n = pdf_wrap(p->cr, text, w, &lines);
	for (int i = 0; i < n; i++) {
		if (p->page_used && p->y + lh > pdf_bottom())
			pdf_new_page(p);
		pdf_show(p->cr, text, &lines[i], x, w, p->y + pdf_size(style), align);
		p->y += lh;
		p->page_used = 1;
	}
	free(lines);
	free(text);
}

/* ------------------------------------------------------------ tables */

struct pdf_cell {
	char *text;
	struct pdf_line *lines;
	int n;
};

/* Wraps a row's cells; returns the row's height in points. */
static double pdf_row_layout(struct pdf *p, const struct pdf_col *cols, int ncols,
                             const char *const *cells, enum pdf_style style, struct pdf_cell *out)
{
	double pad = PDF_CELL_PAD_MM * PDF_PT_PER_MM, h = 0;

	pdf_set_style(p, style);
	for (int c = 0; c < ncols; c++) {
		double w = cols[c].width * PDF_PT_PER_MM - 2 * pad;
		out[c].text = pdf_clean(cells[c]);
		out[c].lines = NULL;
		out[c].n = out[c].text ? pdf_wrap(p->cr, out[c].text, w, &out[c].lines) : 0;
		if (out[c].n * pdf_line_height(style) > h)
			h = out[c].n * pdf_line_height(style);
	}
	return h + 2 * pad;
}

static void pdf_row_draw(struct pdf *p, const struct pdf_col *cols, int ncols,
                         struct pdf_cell *cells, double h, enum pdf_style style, int ruled)
{
	double pad = PDF_CELL_PAD_MM * PDF_PT_PER_MM, x = PDF_LEFT_MM * PDF_PT_PER_MM;

	pdf_set_style(p, style);
	for (int c = 0; c < ncols; c++) {
		double w = cols[c].width * PDF_PT_PER_MM;
		for (int i = 0; i < cells[c].n; i++)
			pdf_show(p->cr, cells[c].text, &cells[c].lines[i], x + pad, w - 2 * pad,
			         p->y + pad + i * pdf_line_height(style) + pdf_size(style),
			         cols[c].align);
		if (ruled) {
			cairo_rectangle(p->cr, x, p->y, w, h);
			cairo_stroke(p->cr);
		}
		x += w;
	}
	p->y += h;
	p->page_used = 1;
}

static void pdf_row_free(struct pdf_cell *cells, int ncols)
{
	for (int c = 0; c < ncols; c++) {
		free(cells[c].text);
		free(cells[c].lines);
	}
}

void pdf_table(struct pdf *p, const struct pdf_col *cols, int ncols, const char *const *cells,
               int nrows, enum pdf_style style, int flags)
{
	struct pdf_cell *row = calloc((size_t)ncols, sizeof(*row));
	struct pdf_cell *head = calloc((size_t)ncols, sizeof(*head));
	enum pdf_style hs = style == PDF_SMALL ? PDF_SMALL : PDF_BOLD;
	double head_h = 0;
	int ruled = (flags & PDF_TABLE_RULED) != 0, first = 0;

	if (row == NULL || head == NULL || ncols <= 0)
		goto done;
	if (flags & PDF_TABLE_NOSPLIT) {
		double total = 0;
		for (int r = 0; r < nrows; r++) {
			struct pdf_cell *tmp = calloc((size_t)ncols, sizeof(*tmp));
			if (tmp == NULL)
				break;
			total +=
			    pdf_row_layout(p, cols, ncols, cells + (size_t)r * ncols,
			                   r == 0 && (flags & PDF_TABLE_HEADER) ? hs : style, tmp);
			pdf_row_free(tmp, ncols);
			free(tmp);
		}
		if (p->page_used && p->y + total > pdf_bottom())
			pdf_new_page(p);
	}
	if ((flags & PDF_TABLE_HEADER) && nrows > 0) {
		head_h = pdf_row_layout(p, cols, ncols, cells, hs, head);
		first = 1;
		if (p->page_used && p->y + head_h > pdf_bottom())
			pdf_new_page(p);
		pdf_row_draw(p, cols, ncols, head, head_h, hs, ruled);
	}
	for (int r = first; r < nrows; r++) {
		double h = pdf_row_layout(p, cols, ncols, cells + (size_t)r * ncols, style, row);
		if (p->page_used && p->y + h > pdf_bottom()) {
			pdf_new_page(p);
			if (first)
				pdf_row_draw(p, cols, ncols, head, head_h, hs, ruled);
		}
		pdf_row_draw(p, cols, ncols, row, h, style, ruled);
		pdf_row_free(row, ncols);
	}
done:
	if (head)
		pdf_row_free(head, ncols);
	free(row);
	free(head);
}
