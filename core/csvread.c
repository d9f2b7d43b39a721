/*
 * csvread.c - reading a CSV file of employees: the encoding (textenc.h),
 * the delimiter, the parsing (Debian's libcsv), the header's mapping to
 * the fields, a row as an exchange item. See csvread.h.
 */
#include "csvread.h"

#include "buf.h"
#include "exchange_items.h"
#include "jsonx.h"
#include "textenc.h"

#include <csv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* clang-format off */
const struct csvread_field_info csvread_fields[CSVREAD_FIELDS] = {
    [CF_EXTID] = {"external_id", "Внешний код", "external_id",
                  "внешнийкод|кодсотрудника|идентификатор|externalid|guid|id"},
    [CF_NUMBER] = {"personnel_number", "Табельный номер", "personnel_number",
                   "табельныйномер|табномер|табельный|таб|табн|personnelnumber|employeenumber|"
                   "employeeid|tabnumber"},
    [CF_NAME] = {"full_name", "ФИО", "full_name",
                 "фио|сотрудник|работник|фамилияимяотчество|fullname|name|employee"},
    [CF_LAST] = {"last_name", "Фамилия", NULL, "фамилия|lastname|surname"},
    [CF_FIRST] = {"first_name", "Имя", NULL, "имя|firstname"},
    [CF_MIDDLE] = {"middle_name", "Отчество", NULL, "отчество|middlename|patronymic"},
    [CF_BIRTH] = {"birth_date", "Дата рождения", "birth_date",
                  "датарождения|деньрождения|birthdate|dateofbirth|birthday"},
    [CF_DEP] = {"department", "Подразделение", "department",
                "подразделение|отдел|структурноеподразделение|department|division"},
    [CF_POS] = {"position", "Должность", "position", "должность|position|jobtitle"},
    [CF_HIRED] = {"hired", "Дата приёма", "hired",
                  "датаприема|датаприеманаработу|принят|датапоступления|hired|hiredate|"
                  "startdate"},
    [CF_DISMISSED] = {"dismissed", "Дата увольнения", "dismissed",
                      "датаувольнения|уволен|dismissed|dismissaldate|terminationdate|enddate"},
    [CF_PHONE] = {"phone", "Телефон", "phone",
                  "телефон|мобильныйтелефон|телефонмобильный|мобильный|сотовый|phone|mobile|"
                  "mobilephone"},
    [CF_EMAIL] = {"email", "Email", "email",
                  "email|емейл|элпочта|электроннаяпочта|почта|адресэлектроннойпочты|mail"},
    [CF_SNILS] = {"snils", "СНИЛС", "snils", "снилс|snils"},
    [CF_INN] = {"inn", "ИНН", "inn", "инн|inn"},
};
/* clang-format on */

int csvread_field_index(const char *name)
{
	for (int f = 0; f < CSVREAD_FIELDS; f++)
		if (strcmp(csvread_fields[f].name, name) == 0)
			return f;
	return -1;
}

/* ---- parsing ---- */

struct csvread_state {
	struct arena *a;
	struct csvread_table *t;
	const char **cells; /* the row being read */
	int ncells, cap;
	int rows_cap;
	int start;       /* the line the row being read started on */
	int header;      /* the header has been read */
	const char *why; /* an error found by a callback */
};

static void csvread_cell(void *s, size_t len, void *data)
{
	struct csvread_state *st = data;

	if (st->why)
		return;
	if (len > CSVREAD_MAX_CELL) {
		st->why = "Слишком длинное значение в ячейке: не больше 4 096 байт";
		return;
	}
	if (st->ncells >= CSVREAD_MAX_COLUMNS) {
		st->why = "Слишком много столбцов: не больше 64";
		return;
	}
	if (st->ncells == st->cap) {
		const char **more =
		    arena_alloc(st->a, sizeof(*more) * (size_t)(st->cap ? st->cap * 2 : 16));
		if (st->ncells)
			memcpy(more, st->cells, sizeof(*more) * (size_t)st->ncells);
		st->cells = more;
		st->cap = st->cap ? st->cap * 2 : 16;
	}
	st->cells[st->ncells++] = s ? arena_strndup(st->a, s, len) : "";
}

/* A copy of s with spaces at both ends dropped. */
static const char *csvread_trim(struct arena *a, const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return arena_strndup(a, s, n);
}

static void csvread_row(int c, void *data)
{
	struct csvread_state *st = data;
	struct csvread_table *t = st->t;
	int empty = 1;

	(void)c;
	for (int i = 0; i < st->ncells && empty; i++)
		for (const char *p = st->cells[i]; *p && empty; p++)
			empty =
			    (unsigned char)*p <= ' '; /* spaces, line breaks, control characters */
	if (st->why || empty) {
		st->ncells = 0;
		return;
	}
	if (!st->header) {
		t->ncols = st->ncells;
		t->header = arena_alloc(st->a, sizeof(char *) * (size_t)st->ncells);
		for (int i = 0; i < st->ncells; i++)
			t->header[i] = csvread_trim(st->a, st->cells[i]);
		st->header = 1;
		st->ncells = 0;
		return;
	}
	if (t->nrows >= EXCHANGE_MAX_ITEMS) {
		st->why = "Слишком много строк: не больше 100 000";
		return;
	}
	if (t->nrows == st->rows_cap) {
		int cap = st->rows_cap ? st->rows_cap * 2 : 64;
		const char ***rows = arena_alloc(st->a, sizeof(*rows) * (size_t)cap);
		int *lines = arena_alloc(st->a, sizeof(int) * (size_t)cap);
		int *widths = arena_alloc(st->a, sizeof(int) * (size_t)cap);
		if (t->nrows) {
			memcpy(rows, t->rows, sizeof(*rows) * (size_t)t->nrows);
			memcpy(lines, t->lines, sizeof(int) * (size_t)t->nrows);
			memcpy(widths, t->widths, sizeof(int) * (size_t)t->nrows);
		}
		t->rows = rows;
		t->lines = lines;
		t->widths = widths;
		st->rows_cap = cap;
	}
	{
		int n = st->ncells > t->ncols ? st->ncells : t->ncols;
		const char **row = arena_alloc(st->a, sizeof(char *) * (size_t)n);
		for (int i = 0; i < n; i++)
			row[i] = i < st->ncells ? st->cells[i] : "";
		t->rows[t->nrows] = row;
		t->lines[t->nrows] = st->start;
		t->widths[t->nrows] = st->ncells;
		t->nrows++;
	}
	st->ncells = 0;
}

struct csvread_count {
	int header, cells; /* cells of the header (the first record not empty), of all */
	int in_row, filled;
};

static void csvread_count_cell(void *s, size_t len, void *data)
{
	struct csvread_count *c = data;
	const unsigned char *p = s;

	c->cells++;
	c->in_row++;
	for (size_t i = 0; i < len && !c->filled; i++)
		c->filled = p[i] > ' ';
}

static void csvread_count_row(int ch, void *data)
{
	struct csvread_count *c = data;

	(void)ch;
	/* a record of empty cells is skipped, as by the reader */
	if (c->filled && c->header == 0)
		c->header = c->in_row;
	c->in_row = c->filled = 0;
}

/* The text read with a delimiter (strict): 1 when all of it is valid CSV
 * with it, with the cells of its header and of all records counted. */
static int csvread_probe(const char *s, size_t len, unsigned char delim, struct csvread_count *c)
{
	struct csv_parser p;
	int ok;

	memset(c, 0, sizeof(*c));
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI) != 0)
		return 0;
	csv_set_delim(&p, delim);
	ok = csv_parse(&p, s, len, csvread_count_cell, csvread_count_row, c) == len &&
	     csv_fini(&p, csvread_count_cell, csvread_count_row, c) == 0;
	csv_free(&p);
	return ok;
}

/* ';' or ',': the one the whole file is valid CSV with; if both (or
 * neither), the one that splits the header into more columns, then the
 * file into more cells; ';' on a tie (what Excel writes in Russian). */
static char csvread_delimiter(const char *s, size_t len)
{
	struct csvread_count semi, comma;
	int semi_ok = csvread_probe(s, len, ';', &semi),
	    comma_ok = csvread_probe(s, len, ',', &comma);

	if (semi_ok != comma_ok)
		return semi_ok ? ';' : ',';
	if (semi.header != comma.header)
		return semi.header > comma.header ? ';' : ',';
	return comma.cells > semi.cells ? ',' : ';';
}

int csvread_parse(struct arena *a, const char *data, size_t len, struct csvread_table *t, int *line,
                  const char **why)
{
	struct csvread_state st = {.a = a, .t = t, .start = 1};
	struct buf text = BUF_INIT;
	struct csv_parser p;
	const char *s;
	size_t n;
	int rc = -1, lineno = 1;

	memset(t, 0, sizeof(*t));
	*line = 0;
	*why = NULL;
	t->encoding = "UTF-8";
	if (len >= 2 && (((unsigned char)data[0] == 0xff && (unsigned char)data[1] == 0xfe) ||
	                 ((unsigned char)data[0] == 0xfe && (unsigned char)data[1] == 0xff)))
		t->encoding = "UTF-16";
	if (textenc_to_utf8(data, len, NULL, &text, line, why) < 0) {
		/* not UTF-8: Windows-1251, where every byte but 0x98 is a letter */
		buf_reset(&text);
		t->encoding = "Windows-1251";
		if (textenc_to_utf8(data, len, "windows-1251", &text, line, why) < 0)
			goto out;
	}
	s = text.data ? text.data : "";
	n = text.len;
	t->text = arena_strndup(a, s, n);
	t->text_len = n;
	t->delimiter = csvread_delimiter(s, n);
	if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
		*why = "Не хватило памяти для чтения файла";
		goto out;
	}
	csv_set_delim(&p, (unsigned char)t->delimiter);
	/* line by line, so each row knows the line it starts on */
	for (const char *at = s, *end = s + n; at < end && !st.why; lineno++) {
		const char *e = at;
		size_t seg;
		/* a line ends with LF, CRLF or a lone CR */
		while (e < end && *e != '\n' && *e != '\r')
			e++;
		if (e < end && *e == '\r' && e + 1 < end && e[1] == '\n')
			e++;
		seg = e < end ? (size_t)(e - at) + 1 : (size_t)(end - at);
		if (p.pstate == 0) /* no row begun: the next one starts here */
			st.start = lineno;
		if (csv_parse(&p, at, seg, csvread_cell, csvread_row, &st) != seg) {
			*line = lineno;
			*why = csv_error(&p) == CSV_EPARSE
			           ? "Кавычка внутри значения без кавычек: заключите значение в "
			             "кавычки, а кавычку внутри него удвойте (\"\")"
			           : "Не хватило памяти для чтения файла";
			csv_free(&p);
			goto out;
		}
		at += seg;
	}
	if (!st.why && csv_fini(&p, csvread_cell, csvread_row, &st) != 0) {
		*line = st.start;
		*why = "Кавычка, открытая в этой строке, не закрыта до конца файла";
		csv_free(&p);
		goto out;
	}
	csv_free(&p);
	if (st.why) {
		*line = lineno - 1;
		*why = st.why;
		goto out;
	}
	if (!st.header) {
		*why = "Файл пуст: нужна строка заголовков и строки сотрудников";
		goto out;
	}
	if (t->nrows == 0) {
		*why = "В файле нет строк с сотрудниками: только строка заголовков";
		goto out;
	}
	rc = 0;
out:
	buf_free(&text);
	return rc;
}

/* ---- the header ---- */

/* Lower-cases letters (Cyrillic too, ё as е). names: keep every other
 * character, spaces collapsed and trimmed; else drop all but letters and
 * digits. */
static void csvread_fold(const char *in, char *out, size_t outlen, int names)
{
	const unsigned char *p = (const unsigned char *)in;
	size_t o = 0;
	int space = 0;

	if (outlen == 0)
		return;
	while (*p && o + 4 < outlen) {
		unsigned char c = p[0], d = p[1];
		if (c < 0x80) {
			p++;
			if (c >= 'A' && c <= 'Z')
				c = (unsigned char)(c + 32);
			if (names && (c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
				space = o > 0;
				continue;
			}
			if (!names && !((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
				continue;
			if (space)
				out[o++] = ' ';
			space = 0;
			out[o++] = (char)c;
			continue;
		}
		if ((c == 0xd0 || c == 0xd1) && d >= 0x80 && d <= 0xbf) {
			unsigned cp = ((unsigned)(c & 0x1f) << 6) | (d & 0x3f);
			if (cp >= 0x410 && cp <= 0x42f) /* А..Я */
				cp += 0x20;
			else if (cp >= 0x400 && cp <= 0x40f) /* Ѐ..Џ */
				cp += 0x50;
			if (cp == 0x451) /* ё */
				cp = 0x435;
			if (space)
				out[o++] = ' ';
			space = 0;
			out[o++] = (char)(0xc0 | (cp >> 6));
			out[o++] = (char)(0x80 | (cp & 0x3f));
			p += 2;
			continue;
		}
		/* another character (№, a dash, a symbol): kept in names */
		{
			const unsigned char *q = p + 1;
			while ((*q & 0xc0) == 0x80)
				q++;
			if (names && o + (size_t)(q - p) + 2 < outlen) {
				if (space)
					out[o++] = ' ';
				space = 0;
				memcpy(out + o, p, (size_t)(q - p));
				o += (size_t)(q - p);
			}
			p = q;
		}
	}
	out[o] = '\0';
}

void csvread_norm(const char *in, char *out, size_t outlen)
{
	csvread_fold(in, out, outlen, 0);
}

void csvread_name_key(const char *in, char *out, size_t outlen)
{
	csvread_fold(in, out, outlen, 1);
}

static int csvread_alias(const char *aliases, const char *norm)
{
	size_t n = strlen(norm);

	if (n == 0)
		return 0;
	for (const char *p = aliases; p; p = strchr(p, '|') ? strchr(p, '|') + 1 : NULL)
		if (strncmp(p, norm, n) == 0 && (p[n] == '|' || p[n] == '\0'))
			return 1;
	return 0;
}

void csvread_guess(const struct csvread_table *t, int map[CSVREAD_FIELDS])
{
	char norm[4 * 64 + 1];

	for (int f = 0; f < CSVREAD_FIELDS; f++)
		map[f] = -1;
	for (int c = 0; c < t->ncols; c++) {
		if (strlen(t->header[c]) >= sizeof(norm))
			continue;
		csvread_norm(t->header[c], norm, sizeof(norm));
		for (int f = 0; f < CSVREAD_FIELDS; f++)
			if (map[f] < 0 && csvread_alias(csvread_fields[f].aliases, norm)) {
				map[f] = c;
				break;
			}
	}
}

/* ---- a row ---- */

const char *csvread_clean(struct arena *a, const char *cell)
{
	char *v = arena_strdup(a, cell), *o = v;

	for (const char *p = cell; *p; p++) {
		/* line breaks, tabs and any other control character */
		int space = (unsigned char)*p <= ' ' || *p == 0x7f;
		if (space && (o == v || o[-1] == ' '))
			continue;
		*o++ = space ? ' ' : *p;
	}
	if (o > v && o[-1] == ' ')
		o--;
	*o = '\0';
	return v;
}

/* A cell as a value; dates "1.2.2024" as "01.02.2024". */
static const char *csvread_value(struct arena *a, const char *cell, int date)
{
	const char *s = csvread_clean(a, cell);
	int d, m, y, used = 0;

	if (date && sscanf(s, "%2d.%2d.%4d%n", &d, &m, &y, &used) == 3 &&
	    (size_t)used == strlen(s) && y >= 1000)
		return arena_printf(a, "%02d.%02d.%04d", d, m, y);
	return s;
}

json_object *csvread_item(const struct csvread_table *t, int r, const int map[CSVREAD_FIELDS])
{
	/* the item's strings are json-c's own copies: a small arena for the work */
	struct arena *a = arena_new();
	json_object *item = json_object_new_object();
	const char *parts[3] = {NULL, NULL, NULL};
	int have_name = 0;

	for (int f = 0; f < CSVREAD_FIELDS; f++) {
		const char *v;
		if (map[f] < 0 || map[f] >= t->ncols)
			continue;
		v = csvread_value(a, t->rows[r][map[f]],
		                  f == CF_BIRTH || f == CF_HIRED || f == CF_DISMISSED);
		if (*v == '\0')
			continue;
		if (f == CF_LAST || f == CF_FIRST || f == CF_MIDDLE) {
			parts[f - CF_LAST] = v;
			continue;
		}
		have_name |= f == CF_NAME;
		jsonx_set_str(item, csvread_fields[f].item, v);
	}
	if (!have_name && (parts[0] || parts[1] || parts[2])) {
		struct buf name = BUF_INIT;
		for (int i = 0; i < 3; i++)
			if (parts[i])
				buf_printf(&name, "%s%s", name.len ? " " : "", parts[i]);
		jsonx_set_str(item, "full_name", name.data);
		buf_free(&name);
	}
	arena_free(a);
	return item;
}
