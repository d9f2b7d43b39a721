-- 0052_certificates: the numbers of the documents the service issues
-- (core/certificates.c): a done certificate request gets the next number of
-- the tenant's journal of certificates for the year of its date (№ 1, 2,
-- ... from 1 January), taken in the completion's transaction, so two
-- completions never share a number and a rolled-back one gives its number
-- back. The document itself is a file of the request (request_files); the
-- request's result names it.
CREATE TABLE document_numbers (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    journal text NOT NULL CHECK (journal ~ '^[a-z_]{1,40}$'),
    year integer NOT NULL CHECK (year BETWEEN 2000 AND 2199),
    last integer NOT NULL CHECK (last > 0),
    PRIMARY KEY (tenant_id, journal, year)
);
ALTER TABLE document_numbers ENABLE ROW LEVEL SECURITY;
CREATE POLICY document_numbers_own ON document_numbers
    USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON document_numbers TO cabinet_app;
