-- 0066_stale_later_changed: a recalculated month marks the later months'
-- НДФЛ stale only for the employees whose result changed something that НДФЛ
-- reads (issue 11 5.6; core/ndfl_pay.h: the month's accrued and its
-- material aid, the deductions, the tax; the averages of later months read
-- earnings, excluded days and the insured income too). An unchanged
-- recalculation marks nothing (sql/0033 marked every later month of
-- everyone recalculated). The month's paid is left out: the later months
-- read the payments themselves (payroll_payments), and a payment that
-- changes the month's tax (payrun_refresh_paid) marks them by the tax.
--
-- The core replaces a recalculated employee's result in place (INSERT ...
-- ON CONFLICT DO UPDATE, core/payrun.c), so one statement-level trigger per
-- event sees what changed:
--   INSERT  a new result: the later months read a month they did not have
--   UPDATE  old and new differ in one of the fields above
--   DELETE  a result gone (an employee no longer calculated, a deleted
--           month): the later months read a month that is not there
-- A stale mark itself (only stale, stale_reason) changes none of the fields,
-- so the triggers' own UPDATEs end the recursion.

-- The later months of the same year of (tenant, employee, month) rows, and
-- the months settled by payments made after such a month in its year
-- (sql/0059): stale as 'ndfl'.
CREATE FUNCTION payroll_mark_later_ndfl(changed jsonb) RETURNS void LANGUAGE sql AS $$
    WITH n AS (SELECT (c->>0)::bigint AS tenant_id, (c->>1)::bigint AS employee_id,
                      (c->>2)::date AS month
               FROM jsonb_array_elements(changed) c)
    UPDATE payroll_employees pe SET stale = true, stale_reason = 'ndfl'
    FROM n
    WHERE pe.tenant_id = n.tenant_id AND pe.employee_id = n.employee_id
      AND pe.month > n.month AND pe.month < date_trunc('year', n.month) + interval '1 year'
      AND NOT pe.stale;
    WITH n AS (SELECT (c->>0)::bigint AS tenant_id, (c->>1)::bigint AS employee_id,
                      (c->>2)::date AS month
               FROM jsonb_array_elements(changed) c)
    UPDATE payroll_employees pe SET stale = true, stale_reason = 'ndfl'
    FROM n, payroll_payments p
    WHERE p.tenant_id = n.tenant_id AND p.employee_id = n.employee_id
      AND p.date >= n.month + interval '1 month'
      AND p.date < date_trunc('year', n.month) + interval '1 year'
      AND pe.tenant_id = p.tenant_id AND pe.employee_id = p.employee_id AND pe.month = p.month
      AND pe.month <> n.month AND NOT pe.stale;
$$;

CREATE OR REPLACE FUNCTION payroll_stale_later_ndfl() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_array(n.tenant_id, n.employee_id, n.month)) INTO c
          FROM new_rows n;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT jsonb_agg(jsonb_build_array(o.tenant_id, o.employee_id, o.month)) INTO c
          FROM old_rows o;
    ELSE
        SELECT jsonb_agg(jsonb_build_array(n.tenant_id, n.employee_id, n.month)) INTO c
          FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id
                AND o.employee_id = n.employee_id AND o.month = n.month
         WHERE (o.accrued, o.deduction, o.ndfl, o.earnings, o.excluded_days, o.insured)
               IS DISTINCT FROM
               (n.accrued, n.deduction, n.ndfl, n.earnings, n.excluded_days, n.insured);
    END IF;
    IF c IS NOT NULL THEN
        PERFORM payroll_mark_later_ndfl(c);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER payroll_employees_stale_u AFTER UPDATE ON payroll_employees
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_later_ndfl();
CREATE TRIGGER payroll_employees_stale_d AFTER DELETE ON payroll_employees
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_later_ndfl();
