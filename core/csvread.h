/*
 * csvread.h - a CSV file of employees as an administrator exports it from
 * a spreadsheet or an accounting program, read for the import
 * (import.h). No database; fuzzed (tests/fuzz/fuzz_csv.c).
 *
 *  - encoding: UTF-8 (a byte-order mark is dropped) or Windows-1251, told
 *    apart by whether the bytes are UTF-8 (Russian text in Windows-1251
 *    practically never is); converted by textenc.h (iconv);
 *  - delimiter: ';' (what Excel writes in a Russian locale) or ',': the
 *    one the whole file is valid CSV with, else the one that splits the
 *    header into more columns;
 *  - fields may be quoted with '"' ("" inside a quoted field is a quote,
 *    line breaks may be inside), lines end with LF or CRLF; the parsing is
 *    libcsv's (strict: a quote inside an unquoted field, or a quoted field
 *    left open, is an error naming the line);
 *  - the first row is the header; rows with every cell empty are skipped;
 *  - at most CSVREAD_MAX_COLUMNS columns, EXCHANGE_MAX_ITEMS rows,
 *    CSVREAD_MAX_CELL bytes in a cell.
 *
 * The columns are mapped to an employee's fields (csvread_guess takes the
 * usual Russian and English headers: «Табельный номер», «ФИО»,
 * «Подразделение», «Должность», «Телефон», «Email», «Дата приёма», ...),
 * and a row becomes an employee item of the exchange (csvread_item).
 */
#ifndef CABINET_CSVREAD_H
#define CABINET_CSVREAD_H

#include "arena.h"

#include <json-c/json.h>
#include <stddef.h>

#define CSVREAD_MAX_COLUMNS 64
#define CSVREAD_MAX_CELL    4096

struct csvread_table {
	const char *text; /* the file in UTF-8, its lines as they were */
	size_t text_len;
	const char *encoding; /* "UTF-8", "UTF-16" (with its byte-order mark) or "Windows-1251" */
	char delimiter;       /* ';' or ',' */
	int ncols;            /* columns of the header */
	const char **header;  /* ncols names, spaces at both ends dropped */
	int nrows;            /* data rows, the header not counted */
	const char ***rows;   /* rows[r][c]: UTF-8 text, "" when the row is shorter; a
	                         longer row has its extra cells after ncols */
	int *lines;           /* the line of the file each row starts on (the header is 1) */
	int *widths;          /* the cells each row had */
};

/*
 * Reads data[0..len) into *t (arena memory). Returns 0, or -1 with *line
 * (the 1-based line of the problem, 0 for the whole file) and *why (a
 * static Russian sentence saying what is wrong and what is accepted).
 */
int csvread_parse(struct arena *a, const char *data, size_t len, struct csvread_table *t, int *line,
                  const char **why);

/* The fields a column may be mapped to. */
enum csvread_field {
	CF_EXTID,
	CF_NUMBER,
	CF_NAME,
	CF_LAST,
	CF_FIRST,
	CF_MIDDLE,
	CF_BIRTH,
	CF_DEP,
	CF_POS,
	CF_HIRED,
	CF_DISMISSED,
	CF_PHONE,
	CF_EMAIL,
	CF_SNILS,
	CF_INN,
	CSVREAD_FIELDS
};

struct csvread_field_info {
	const char *name;    /* the mapping's key, e.g. "personnel_number" */
	const char *title;   /* Russian, for the page: "Табельный номер" */
	const char *item;    /* the employee item's key it fills (NULL: parts of the name) */
	const char *aliases; /* headers taken for it, in csvread_norm form, '|' between */
};

extern const struct csvread_field_info csvread_fields[CSVREAD_FIELDS];

/* The field of a mapping key ("full_name"), or -1. */
int csvread_field_index(const char *name);

/* A header as it is compared: letters lower-cased (Cyrillic too, ё as е),
 * digits kept, everything else dropped ("Дата приёма" -> "датаприема",
 * "Таб. №" -> "таб", "E-mail" -> "email"). out has len + 1 bytes. */
void csvread_norm(const char *in, char *out, size_t outlen);

/* A department's or position's name as names are matched: letters
 * lower-cased (ё as е), spaces collapsed and trimmed ("  Отдел  кадров" ->
 * "отдел кадров"). out has strlen(in) + 1 bytes. */
void csvread_name_key(const char *in, char *out, size_t outlen);

/* The column of each field as the header names it, else -1 (a column is
 * taken by one field at most, the first that names it). */
void csvread_guess(const struct csvread_table *t, int map[CSVREAD_FIELDS]);

/* A cell's text as a value: line breaks, tabs, other control characters
 * and runs of spaces as one space, none at either end (in arena memory). */
const char *csvread_clean(struct arena *a, const char *cell);

/*
 * Row r as an employee item of the exchange (a new object): each mapped
 * non-empty cell under its field's key (csvread_clean); an empty cell is left out (the stored value
 * stays). full_name from the last, first and middle name columns when no
 * full name column is mapped; dates "1.2.2024" as "01.02.2024". The
 * department and position are their names as written (import.c turns them
 * into references).
 */
json_object *csvread_item(const struct csvread_table *t, int r, const int map[CSVREAD_FIELDS]);

#endif
