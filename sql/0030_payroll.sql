-- 0030_payroll: monthly payroll documents (core/payrun.c) and what payslips
-- are read from (core/payslips.c).
--
-- One document per tenant and month. A calculation replaces the results of
-- the employees it covers (everyone, or a list) in one transaction; a
-- closed document is locked (423) until an administrator reopens it.
-- Closing a month records its net pay as paid (payroll_employees.paid).
-- Money is numeric(15,2), hours hundredths of an hour (hours.h).

CREATE TABLE payroll_documents (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'closed')),
    scope text NOT NULL DEFAULT 'all' CHECK (scope IN ('all', 'list')),
    employees integer NOT NULL DEFAULT 0,
    accrued numeric(15,2) NOT NULL DEFAULT 0,
    ndfl numeric(15,2) NOT NULL DEFAULT 0,
    net numeric(15,2) NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    calculated_at timestamptz NOT NULL DEFAULT now(),
    calculated_by bigint,
    closed_at timestamptz,
    closed_by bigint,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, month)
);
ALTER TABLE payroll_documents ENABLE ROW LEVEL SECURITY;
CREATE POLICY payroll_documents_own ON payroll_documents
    USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON payroll_documents TO cabinet_app;

-- One employee's result in a document. month repeats the document's, so the
-- year-to-date income and tax of later months are one indexed sum.
CREATE TABLE payroll_employees (
    tenant_id bigint NOT NULL,
    document_id bigint NOT NULL,
    employee_id bigint NOT NULL,
    month date NOT NULL,
    source text NOT NULL CHECK (source IN ('timesheet', 'deviations')),
    norm text NOT NULL CHECK (norm IN ('per_period', 'summed')),
    pay_by text NOT NULL CHECK (pay_by IN ('days', 'hours')),
    rate numeric(15,2) NOT NULL,
    accrued numeric(15,2) NOT NULL,
    deduction numeric(15,2) NOT NULL DEFAULT 0,
    base_ytd numeric(15,2) NOT NULL,
    ndfl numeric(15,2) NOT NULL,
    net numeric(15,2) NOT NULL,
    paid numeric(15,2) NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, document_id, employee_id),
    UNIQUE (tenant_id, employee_id, month),
    FOREIGN KEY (tenant_id, document_id) REFERENCES payroll_documents (tenant_id, id)
        ON DELETE CASCADE,
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
ALTER TABLE payroll_employees ENABLE ROW LEVEL SECURITY;
CREATE POLICY payroll_employees_own ON payroll_employees
    USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON payroll_employees TO cabinet_app;

-- Accrual lines (payroll.h): salary lines by period, premium lines by date.
-- schedule_id is NULL for a line planned by the individual schedule.
CREATE TABLE payroll_lines (
    tenant_id bigint NOT NULL,
    document_id bigint NOT NULL,
    employee_id bigint NOT NULL,
    n smallint NOT NULL,
    kind text NOT NULL CHECK (kind IN ('salary', 'overtime', 'holiday_work', 'night')),
    date_from date NOT NULL,
    date_to date NOT NULL,
    schedule_id bigint,
    worked_days integer,
    norm_days integer,
    worked_hours integer,
    norm_hours integer,
    hours integer,
    amount numeric(15,2) NOT NULL,
    PRIMARY KEY (tenant_id, document_id, employee_id, n),
    FOREIGN KEY (tenant_id, document_id, employee_id)
        REFERENCES payroll_employees (tenant_id, document_id, employee_id) ON DELETE CASCADE
);
ALTER TABLE payroll_lines ENABLE ROW LEVEL SECURITY;
CREATE POLICY payroll_lines_own ON payroll_lines USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON payroll_lines TO cabinet_app;
