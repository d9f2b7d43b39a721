-- 0034_payroll_money: opening balances, one-off accruals and payments
-- (issue 11 items 3 and 4; core/openbal.c, core/payments.c, core/payrun.c).
-- Money numeric(15,2), dates dates.

-- Opening balances of an employee for an organization that starts mid-year
-- or mid-life: as of a date, the vacation days used up to it, the earnings
-- of earlier months (decree 922: without what was paid for excluded days)
-- and the НДФЛ year so far. One row per employee; its months replaced whole.
CREATE TABLE opening_balances (
    tenant_id bigint NOT NULL,
    employee_id bigint NOT NULL,
    as_of date NOT NULL,
    vacation_days_used numeric(7,2) NOT NULL DEFAULT 0 CHECK (vacation_days_used >= 0),
    ndfl_year integer CHECK (ndfl_year BETWEEN 1900 AND 2199),
    ndfl_income numeric(15,2) CHECK (ndfl_income >= 0),
    ndfl_deductions numeric(15,2) CHECK (ndfl_deductions >= 0),
    ndfl_tax numeric(15,2) CHECK (ndfl_tax >= 0),
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by bigint,
    PRIMARY KEY (tenant_id, employee_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    CHECK ((ndfl_year IS NULL) = (ndfl_income IS NULL) AND (ndfl_year IS NULL) = (ndfl_tax IS NULL)
           AND (ndfl_year IS NULL) = (ndfl_deductions IS NULL))
);
ALTER TABLE opening_balances ENABLE ROW LEVEL SECURITY;
CREATE POLICY opening_balances_own ON opening_balances
    USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON opening_balances TO cabinet_app;

CREATE TABLE opening_balance_months (
    tenant_id bigint NOT NULL,
    employee_id bigint NOT NULL,
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    earnings numeric(15,2) NOT NULL CHECK (earnings >= 0),
    excluded_days smallint NOT NULL CHECK (excluded_days BETWEEN 0 AND 31),
    PRIMARY KEY (tenant_id, employee_id, month),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES opening_balances (tenant_id, employee_id)
        ON DELETE CASCADE
);
ALTER TABLE opening_balance_months ENABLE ROW LEVEL SECURITY;
CREATE POLICY opening_balance_months_own ON opening_balance_months
    USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON opening_balance_months TO cabinet_app;

-- One-off accruals of a payroll month: a bonus (премия) or material aid
-- (материальная помощь: not taxed up to 4 000 a year). external_id: the
-- accounting system's key of an accrual sent by the exchange.
CREATE TABLE payroll_accruals (
    tenant_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    employee_id bigint NOT NULL,
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    kind text NOT NULL CHECK (kind IN ('bonus', 'material_aid')),
    amount numeric(15,2) NOT NULL CHECK (amount > 0),
    title text CHECK (length(title) <= 200),
    external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX payroll_accruals_month ON payroll_accruals (tenant_id, month, employee_id);
CREATE UNIQUE INDEX payroll_accruals_external ON payroll_accruals (tenant_id, external_id)
    WHERE external_id IS NOT NULL;
ALTER TABLE payroll_accruals ENABLE ROW LEVEL SECURITY;
CREATE POLICY payroll_accruals_own ON payroll_accruals
    USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON payroll_accruals TO cabinet_app;

-- Payments: the advance (аванс), vacation pay, the final settlement on the
-- dismissal day, the salary. amount is the income paid (before НДФЛ); ndfl
-- the tax withheld from it (the income date is the payment date, so the
-- year so far is the year's earlier payments); month the payroll month it
-- settles.
CREATE TABLE payroll_payments (
    tenant_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    employee_id bigint NOT NULL,
    date date NOT NULL,
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    kind text NOT NULL CHECK (kind IN ('advance', 'vacation_pay', 'final', 'salary')),
    amount numeric(15,2) NOT NULL CHECK (amount > 0),
    ndfl numeric(15,2) NOT NULL DEFAULT 0 CHECK (ndfl >= 0 AND ndfl <= amount),
    idempotency_key text CHECK (length(idempotency_key) BETWEEN 1 AND 200),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX payroll_payments_employee ON payroll_payments (tenant_id, employee_id, date);
CREATE INDEX payroll_payments_month ON payroll_payments (tenant_id, month, employee_id);
CREATE UNIQUE INDEX payroll_payments_idempotency ON payroll_payments (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
ALTER TABLE payroll_payments ENABLE ROW LEVEL SECURITY;
CREATE POLICY payroll_payments_own ON payroll_payments
    USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON payroll_payments TO cabinet_app;

-- The employees an everyone's calculation left out, with the reason
-- ([{"employee_id", "full_name", "reason"}]): the page shows them until the
-- next calculation.
ALTER TABLE payroll_documents ADD COLUMN skipped jsonb NOT NULL DEFAULT '[]';

-- The month's income that the sick pay of later years averages (everything
-- accrued but sick pay and material aid).
ALTER TABLE payroll_employees ADD COLUMN insured numeric(15,2) NOT NULL DEFAULT 0;

-- Stale results (sql/0033): opening balances touch every month of the
-- employee; an accrual its month; the insurance record (sick pay) every month.
CREATE FUNCTION payroll_stale_opening() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb := '[]';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        SELECT c || coalesce(jsonb_agg(jsonb_build_array(tenant_id, employee_id,
                   '1900-01-01'::date, 'infinity'::date)), '[]') INTO c FROM new_rows;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT c || coalesce(jsonb_agg(jsonb_build_array(tenant_id, employee_id,
                   '1900-01-01'::date, 'infinity'::date)), '[]') INTO c FROM old_rows;
    END IF;
    PERFORM payroll_mark_stale(c, 'opening_balance');
    RETURN NULL;
END $$;
CREATE TRIGGER opening_balances_stale_i AFTER INSERT ON opening_balances
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_opening();
CREATE TRIGGER opening_balances_stale_u AFTER UPDATE ON opening_balances
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_opening();
CREATE TRIGGER opening_balances_stale_d AFTER DELETE ON opening_balances
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_opening();
CREATE TRIGGER opening_balance_months_stale_i AFTER INSERT ON opening_balance_months
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_opening();
CREATE TRIGGER opening_balance_months_stale_d AFTER DELETE ON opening_balance_months
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_opening();

CREATE FUNCTION payroll_stale_accruals() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb := '[]';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        SELECT c || coalesce(jsonb_agg(jsonb_build_array(tenant_id, employee_id, month,
                   (month + interval '1 month - 1 day')::date)), '[]') INTO c FROM new_rows;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT c || coalesce(jsonb_agg(jsonb_build_array(tenant_id, employee_id, month,
                   (month + interval '1 month - 1 day')::date)), '[]') INTO c FROM old_rows;
    END IF;
    PERFORM payroll_mark_stale(c, 'accrual');
    RETURN NULL;
END $$;
CREATE TRIGGER payroll_accruals_stale_i AFTER INSERT ON payroll_accruals
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_accruals();
CREATE TRIGGER payroll_accruals_stale_u AFTER UPDATE ON payroll_accruals
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_accruals();
CREATE TRIGGER payroll_accruals_stale_d AFTER DELETE ON payroll_accruals
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_accruals();

CREATE OR REPLACE FUNCTION payroll_stale_employees() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb;
BEGIN
    SELECT coalesce(jsonb_agg(jsonb_build_array(n.tenant_id, n.id, '1900-01-01'::date,
               'infinity'::date)), '[]') INTO c
      FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
     WHERE o.hired IS DISTINCT FROM n.hired OR o.dismissed IS DISTINCT FROM n.dismissed
        OR o.insurance_years IS DISTINCT FROM n.insurance_years
        OR o.insurance_months IS DISTINCT FROM n.insurance_months
        OR o.insurance_as_of IS DISTINCT FROM n.insurance_as_of;
    PERFORM payroll_mark_stale(c, 'employee');
    RETURN NULL;
END $$;
