-- НДФЛ by the income date (core/ndfl.h, ndfl_pay.h): the tax events of a
-- year are its payments. A recalculated month changes the year so far of the
-- payments made after its last day in the same year: besides the later
-- months of the year (sql/0033), the payroll months those payments settle
-- (an earlier month paid late) become stale. The payments themselves are
-- documents and keep their tax.
CREATE OR REPLACE FUNCTION payroll_stale_later_ndfl() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE payroll_employees pe SET stale = true, stale_reason = 'ndfl'
    FROM new_rows n
    WHERE pe.tenant_id = n.tenant_id AND pe.employee_id = n.employee_id
      AND pe.month > n.month AND pe.month < date_trunc('year', n.month) + interval '1 year'
      AND NOT pe.stale;
    UPDATE payroll_employees pe SET stale = true, stale_reason = 'ndfl'
    FROM new_rows n, payroll_payments p
    WHERE p.tenant_id = n.tenant_id AND p.employee_id = n.employee_id
      AND p.date >= n.month + interval '1 month'
      AND p.date < date_trunc('year', n.month) + interval '1 year'
      AND pe.tenant_id = p.tenant_id AND pe.employee_id = p.employee_id AND pe.month = p.month
      AND pe.month <> n.month AND NOT pe.stale;
    RETURN NULL;
END $$;
