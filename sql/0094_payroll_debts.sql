-- 0094_payroll_debts: an overpayment carried as the employee's debt into the
-- next months (the payslip's «переплата», core/payslips.c, G1).
--
-- For the calculated months of an employee in order, x = paid (the cash of
-- the month's payments, after НДФЛ) + the month's НДФЛ − accrued: what was
-- paid beyond the month's amount due. The debt at the end of a month is
-- max(0, the debt carried in + x): an overpayment carries on until a later
-- month's unpaid amount due absorbs it; an unpaid month creates no credit.
-- That recursion is S − least(0, min S so far), S the running sum of x, so
-- it is one window over the employee's months (no stored copy that a
-- changed payment would have to mark stale).
--
-- payroll_debts(tenant, month, employee or NULL for everyone) gives, for the
-- employees with a result in that month: carried (the debt from earlier
-- months, which lowers this month's amount due) and overpaid (the debt at
-- the end of this month, carried into the next one).

CREATE FUNCTION payroll_debts(p_tenant bigint, p_month date, p_employee bigint DEFAULT NULL)
RETURNS TABLE (employee_id bigint, carried numeric, overpaid numeric)
LANGUAGE sql STABLE AS $$
    SELECT z.employee_id, z.carried, z.debt
    FROM (
        SELECT y.employee_id, y.month, y.debt,
               coalesce(lag(y.debt) OVER (PARTITION BY y.employee_id ORDER BY y.month), 0)
                   AS carried
        FROM (
            SELECT x.employee_id, x.month,
                   x.s - least(0, min(x.s) OVER (PARTITION BY x.employee_id ORDER BY x.month))
                       AS debt
            FROM (
                SELECT pe.employee_id, pe.month,
                       sum(pe.paid + pe.ndfl - pe.accrued)
                           OVER (PARTITION BY pe.employee_id ORDER BY pe.month) AS s
                FROM payroll_employees pe
                WHERE pe.tenant_id = p_tenant AND pe.month <= p_month
                  AND (p_employee IS NULL OR pe.employee_id = p_employee)
            ) x
        ) y
    ) z
    WHERE z.month = p_month
$$;
GRANT EXECUTE ON FUNCTION payroll_debts(bigint, date, bigint) TO cabinet_app;
