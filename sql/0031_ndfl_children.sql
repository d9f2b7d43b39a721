-- 0031_ndfl_children: the standard child deductions of НДФЛ (Tax Code art.
-- 218) an employee has applied for, read by the monthly payroll
-- (core/payrun.c) and kept by the administrator (core/deductions.c).
--
-- One row per child: its order among the employee's children (1 = first;
-- the amount depends on it), whether the child is disabled (+12 000), and
-- the months it applies to (date_from .. date_to inclusive; NULL: no end).
-- sole_parent doubles the deductions of the month when set on any child
-- that applies then.
CREATE TABLE ndfl_children (
    tenant_id bigint NOT NULL,
    employee_id bigint NOT NULL,
    child_order smallint NOT NULL CHECK (child_order BETWEEN 1 AND 20),
    disabled boolean NOT NULL DEFAULT false,
    sole_parent boolean NOT NULL DEFAULT false,
    date_from date NOT NULL,
    date_to date,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, employee_id, child_order),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    CHECK (date_to IS NULL OR date_to >= date_from)
);
ALTER TABLE ndfl_children ENABLE ROW LEVEL SECURITY;
CREATE POLICY ndfl_children_own ON ndfl_children USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON ndfl_children TO cabinet_app;
