/*
 * pdf.h - printable documents (certificates, applications) as PDF: an A4
 * page flow of wrapped paragraphs and ruled tables, written with cairo's
 * PDF surface (libcairo2, Debian) into a byte buffer.
 *
 * Why cairo: it is in Debian, embeds the fonts it uses as subsets (so a
 * document reads the same on any machine and pdftotext gets the text back),
 * and measures text for wrapping. The font is DejaVu Sans (and Bold), found
 * through fontconfig (fonts-dejavu-core, scripts/deps.sh "run"); pdf_new()
 * refuses (NULL) when fontconfig finds no font with Cyrillic letters, so a
 * machine without the package gives a clear error instead of empty boxes.
 *
 * Units: millimetres for geometry, points for font sizes. The page is A4
 * portrait (210 x 297 mm) with 20 mm margins left and right, 15 mm top and
 * bottom; the text flows down the page and onto new pages as needed (a
 * table row is never split; a table continued on a new page repeats its
 * header row). Text is UTF-8 (invalid bytes are shown as '?'); lines break
 * at spaces, a word wider than its box at a character. U+00A0 (no-break
 * space, as in money "30 500,00") never breaks.
 *
 * Ownership: a struct pdf is the caller's until pdf_finish(), which frees
 * it whatever it returns. Strings passed in are copied by cairo as needed.
 * Thread safety: documents on different threads are independent; the fonts
 * are loaded once (pthread_once) and shared read-only.
 */
#ifndef CABINET_PDF_H
#define CABINET_PDF_H

#include "buf.h"

#include <stddef.h>

struct pdf;

enum pdf_style {
	PDF_NORMAL, /* 10 pt */
	PDF_BOLD,   /* 10 pt bold */
	PDF_SMALL,  /* 8 pt */
	PDF_TITLE,  /* 13 pt bold */
};

enum pdf_align {
	PDF_LEFT,
	PDF_CENTER,
	PDF_RIGHT,
};

/* A column of a table: its width (mm; the widths of a table should add up
 * to at most PDF_TEXT_WIDTH) and how its cells align. */
struct pdf_col {
	double width;
	enum pdf_align align;
};

/* The width of the text between the margins, mm. */
#define PDF_TEXT_WIDTH 170.0

/* Table flags. */
#define PDF_TABLE_HEADER  0x1 /* the first row is a bold header, repeated on new pages */
#define PDF_TABLE_RULED   0x2 /* cell borders */
#define PDF_TABLE_NOSPLIT 0x4 /* start on a new page rather than split the table */

/*
 * A new document written into out (appended) when pdf_finish() succeeds,
 * with title as its metadata title (and creator "Кабинет сотрудника").
 * NULL when no font with Cyrillic letters is installed or cairo cannot
 * make a surface (the reason is logged once).
 */
struct pdf *pdf_new(struct buf *out, const char *title);

/* A paragraph: wrapped to the text width (minus indent, mm, on the left),
 * in the style and alignment; the flow moves below it. */
void pdf_text(struct pdf *p, enum pdf_style style, enum pdf_align align, double indent,
              const char *utf8);

/* Vertical space, mm. */
void pdf_gap(struct pdf *p, double mm);

/* A thin horizontal line across the text width. */
void pdf_rule(struct pdf *p);

/*
 * A table of nrows rows of ncols cells each (cells[row * ncols + col];
 * NULL or "" is an empty cell), each wrapped in its column, in the style
 * (a PDF_TABLE_HEADER row is bold whatever the style). A row is as tall as
 * its tallest cell.
 */
void pdf_table(struct pdf *p, const struct pdf_col *cols, int ncols, const char *const *cells,
               int nrows, enum pdf_style style, int flags);

/* Moves to a new page unless at least mm of the page are left. */
void pdf_keep(struct pdf *p, double mm);

/* Ends the document: 0 with the PDF appended to out, or -1 (cairo's error
 * logged). Frees p either way. */
int pdf_finish(struct pdf *p);

/* Whether documents can be made here (a Cyrillic font was found): 1 or 0. */
int pdf_available(void);

/* At exit, after the last document (no thread may be making one): frees
 * the fonts, cairo's caches and fontconfig's configuration, so leak
 * checkers of sanitizer builds see nothing. pdf_new() is not to be called
 * after it. */
void pdf_cleanup(void);

#endif
