-- 0103_employee_imported: what the last CSV import wrote to each employee
-- (core/import.c): {field: value} as the file gave them, normalized by the
-- exchange. A re-import compares three values of a field: the file's, the
-- stored one and this one. A field the service changed since (a completed
-- personal-data request, an administrator's edit) that the file sends as it
-- was then keeps the service's value, and the preview says so (trial-user 4,
-- F2). NULL: never imported from a file.
ALTER TABLE employees ADD COLUMN imported jsonb;
