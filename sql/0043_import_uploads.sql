-- 0043_import_uploads: a CSV file of employees between its preview and its
-- import (core/import.c), so the administrator does not choose it again
-- after correcting the column mapping. The text is kept converted to UTF-8
-- with the encoding it came in; a file is dropped once imported, and any
-- older than a day when the next one arrives.
CREATE TABLE import_uploads (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    user_id bigint,
    filename text CHECK (length(filename) <= 255),
    encoding text NOT NULL,
    content text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE import_uploads ENABLE ROW LEVEL SECURITY;
CREATE POLICY import_uploads_own ON import_uploads USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, DELETE ON import_uploads TO cabinet_app;
