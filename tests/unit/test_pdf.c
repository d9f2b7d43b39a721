/*
 * test_pdf.c - core/pdf.c: a document with Cyrillic text, wrapped
 * paragraphs and a table over several pages is a PDF with its fonts
 * embedded, and pdftotext (poppler-utils) reads the text back.
 */
#include "check.h"
#include "pdf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int contains(const struct buf *b, const char *needle)
{
	size_t n = strlen(needle);

	for (size_t i = 0; i + n <= b->len; i++)
		if (memcmp(b->data + i, needle, n) == 0)
			return 1;
	return 0;
}

/* The text of the PDF by pdftotext -layout, into text; 0, or -1 when
 * pdftotext is not installed. */
static int pdf_to_text(const struct buf *pdf, struct buf *text)
{
	char path[] = "/tmp/test_pdf_XXXXXX";
	int fd = mkstemp(path);
	FILE *f;
	char cmd[256], chunk[4096];
	size_t n;

	if (fd < 0 || write(fd, pdf->data, pdf->len) != (ssize_t)pdf->len)
		return -1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "pdftotext -layout %s - 2>/dev/null", path);
	f = popen(cmd, "r");
	if (f == NULL) {
		unlink(path);
		return -1;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(text, chunk, n);
	if (pclose(f) != 0) {
		unlink(path);
		return -1;
	}
	unlink(path);
	return 0;
}

TEST(a_document_with_cyrillic_text_and_a_long_table)
{
	struct buf out = {0}, text = {0};
	struct pdf *p;
	static const struct pdf_col cols[] = {{30, PDF_CENTER}, {90, PDF_LEFT}, {50, PDF_RIGHT}};
	const char *cells[3 * 121];
	char *owned[121];

	CHECK(pdf_available());
	p = pdf_new(&out, "Справка");
	CHECK(p != NULL);
	if (p == NULL)
		return;
	pdf_text(p, PDF_TITLE, PDF_CENTER, 0, "СПРАВКА № 7");
	pdf_text(p, PDF_NORMAL, PDF_LEFT, 0,
	         "Дана Иванову Ивану Ивановичу в том, что он действительно работает в "
	         "ООО «Ромашка» в должности главного специалиста по расчёту заработной платы "
	         "и кадровому делопроизводству с 01.02.2020 по настоящее время.");
	pdf_text(p, PDF_SMALL, PDF_LEFT, 10,
	         "Сверхдлинноеслово"
	         "безпробеловкотороенепомещаетсявстроку"
	         "иразрываетсяпосимволамаккуратно"
	         "ещёразсверхдлинноесловобезпробеловкотороенепомещается");
	pdf_gap(p, 3);
	pdf_rule(p);
	cells[0] = "№";
	cells[1] = "Месяц";
	cells[2] = "Сумма";
	for (int i = 1; i <= 120; i++) {
		owned[i] = malloc(64);
		snprintf(owned[i], 64, "Строка %d", i);
		cells[3 * i] = owned[i];
		cells[3 * i + 1] =
		    i == 60 ? "Очень длинное название строки, которое займёт две или три "
		              "строки в узкой колонке таблицы, и не потеряется"
		            : "Январь";
		cells[3 * i + 2] = "30\xc2\xa0"
		                   "500,00";
	}
	pdf_table(p, cols, 3, cells, 121, PDF_NORMAL, PDF_TABLE_HEADER | PDF_TABLE_RULED);
	pdf_text(p, PDF_NORMAL, PDF_RIGHT, 0, "Конец документа");
	CHECK_INT(pdf_finish(p), 0);
	for (int i = 1; i <= 120; i++)
		free(owned[i]);
	if (getenv("TEST_PDF_KEEP")) {
		FILE *k = fopen(getenv("TEST_PDF_KEEP"), "wb");
		if (k) {
			fwrite(out.data, 1, out.len, k);
			fclose(k);
		}
	}
	CHECK(out.len > 1000);
	CHECK(out.len > 5 && memcmp(out.data, "%PDF-", 5) == 0);
	/* the font is embedded (a TrueType subset) */
	CHECK(contains(&out, "/FontFile2") || contains(&out, "/FontFile3"));
	CHECK(contains(&out, "DejaVuSans"));
	if (pdf_to_text(&out, &text) < 0) {
		printf("skip: pdftotext is not installed (poppler-utils)\n");
	} else {
		CHECK(strstr(text.data, "СПРАВКА № 7") != NULL);
		CHECK(strstr(text.data, "Дана Иванову Ивану Ивановичу") != NULL);
		CHECK(strstr(text.data, "Строка 1 ") != NULL);
		CHECK(strstr(text.data, "Строка 120") != NULL);
		CHECK(strstr(text.data, "Конец документа") != NULL);
		CHECK(strstr(text.data, "потеряется") != NULL);
		/* several pages: pdftotext ends each with a form feed */
		{
			int pages = 0;
			for (size_t i = 0; i < text.len; i++)
				pages += text.data[i] == '\f';
			CHECK(pages >= 3);
		}
		/* every line fits the page: nothing was cut at the right margin */
		CHECK(strstr(text.data, "заработной платы") != NULL);
	}
	buf_free(&out);
	buf_free(&text);
}

TEST(invalid_utf8_does_not_break_the_document)
{
	struct buf out = {0};
	struct pdf *p = pdf_new(&out, "x");

	CHECK(p != NULL);
	if (p == NULL)
		return;
	pdf_text(p, PDF_NORMAL, PDF_LEFT, 0,
	         "abc\xff\xfe"
	         "где");
	pdf_text(p, PDF_BOLD, PDF_LEFT, 0, "");
	pdf_text(p, PDF_BOLD, PDF_LEFT, 0, NULL);
	CHECK_INT(pdf_finish(p), 0);
	CHECK(out.len > 5 && memcmp(out.data, "%PDF-", 5) == 0);
	buf_free(&out);
}

int main(void)
{
	RUN(a_document_with_cyrillic_text_and_a_long_table);
	RUN(invalid_utf8_does_not_break_the_document);
	pdf_cleanup();
	return check_report();
}
