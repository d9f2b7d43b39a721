/*
 * import.h - employees from a CSV file, for organizations without an
 * accounting system that could use the exchange (exchange.h); operations in
 * import_ops (ops.h).
 *
 *   POST /api/admin/import/employees[?preview=1]
 *        the file: a multipart "file" part, or the raw body (text/csv);
 *        or upload=<id> of a file a preview kept (a day at most).
 *        mapping (optional): {"<field>": <column number from 1 | the
 *        column's header | null>}, as a JSON object or its text, or form
 *        fields map_<field>=<column number or "">; organization_id
 *        (optional: the tenant's only organization by default).
 *   preview -> 200 {"upload", "filename", "encoding", "delimiter",
 *        "columns": [{"n", "name", "field"}], "fields": [{"name", "title",
 *        "column", "required"}], "organization", "organizations",
 *        "departments_new": [names], "positions_new": [names],
 *        "rows": [{"line", "values", "errors", "action"}] (every row with an
 *        error and the first ones), "total", "counts": {"created",
 *        "updated", "unchanged", "errors"}, "ok"}; nothing is written but
 *        the kept file.
 *   import -> 200 {"created", "updated", "unchanged", "departments_created",
 *        "positions_created"}; a file with any bad row answers 422 naming
 *        each bad cell as error.fields["rows[<line>].<field>"] and writes
 *        nothing (the exchange log keeps the refused attempt).
 *
 * The file (csvread.h): UTF-8 or Windows-1251, ';' or ',', quoted fields, a
 * header row. The fields: external_id, personnel_number, full_name (or
 * last_name, first_name, middle_name), birth_date, department, position,
 * hired, dismissed, phone, email, snils, inn; the header's usual names are
 * mapped by themselves. Required: the full name and the personnel number
 * (or the external id).
 *
 * Each row is an employee item of the exchange, written by the same
 * upsert (exchange_upsert_source; its checks and messages). How a row
 * finds its employee: by the external id when a column gives it, else by
 * the personnel number within the organization; a new employee gets the
 * external id "csv-<number>" ("csv-<organization id>-<number>" in a tenant
 * of several organizations). Empty cells leave the stored values as they
 * are. Departments and positions are given by name (case and ё/е ignored):
 * a name the tenant has is that object; a new name is created with it
 * (external id "csv-" and 16 hex digits of its SHA-256; a department in the
 * organization, at the top of the tree). A department name that two
 * departments share is an error of the rows naming it.
 */
#ifndef CABINET_IMPORT_H
#define CABINET_IMPORT_H

#include "dispatch.h"

/* The rows a preview answers besides every row with an error. */
#define IMPORT_PREVIEW_ROWS 50

/* How long a file a preview kept stays (SQL interval): the file is a list
 * of people with their contacts and SNILS, kept no longer than the import
 * needs it. */
#define IMPORT_KEEP_SQL "interval '1 day'"

/* Removes the files previews kept longer than IMPORT_KEEP_SQL ago, of every
 * tenant (the task "auth.cleanup", auth.h; a system context). 0 or -1. */
int import_cleanup(struct ctx *ctx);

#endif
