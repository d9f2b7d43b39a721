-- 0102_payroll_debts_fast: payroll_debts() (0094) without a window over
-- every stored month of every employee. At 10 000 employees with two years
-- of results that window took 2.4 s (tests/bench/README.md), and the
-- payroll month's page asks it twice.
--
-- The debt at a month's end is max(0, debt carried in + x), x = paid + НДФЛ
-- − accrued, from 0: an employee whose months never had x > 0 (never paid
-- beyond the amount due) has no debt in any month. Those who ever had are
-- few, and found by a partial index of just those months; the window runs
-- over their months only, one employee at a time. Everyone else with a
-- result in the month gets 0 and 0, as before.

CREATE INDEX payroll_employees_overpaid ON payroll_employees (tenant_id, employee_id, month)
    WHERE paid + ndfl - accrued > 0;
-- the planner's guess of those months without statistics is a third of all
-- (80 000 of 240 000 in the benchmark): a plan costed so high that
-- PostgreSQL compiled it (JIT, 2.4 s of 3.8). The expression's statistics
-- (ANALYZE, autovacuum) make it the few it is.
CREATE STATISTICS payroll_employees_overpaid_x ON (paid + ndfl - accrued) FROM payroll_employees;

CREATE OR REPLACE FUNCTION payroll_debts(p_tenant bigint, p_month date,
                                         p_employee bigint DEFAULT NULL)
RETURNS TABLE (employee_id bigint, carried numeric, overpaid numeric)
LANGUAGE sql STABLE AS $$
    WITH ever AS (
        SELECT DISTINCT o.employee_id
        FROM payroll_employees o
        WHERE o.tenant_id = p_tenant AND o.month <= p_month
          AND o.paid + o.ndfl - o.accrued > 0
          AND (p_employee IS NULL OR o.employee_id = p_employee)
    ), debts AS (
        -- one employee's months at a time (LATERAL: the index of the
        -- employee's months, whatever the planner guesses of "ever")
        SELECT ever.employee_id, l.carried, l.debt
        FROM ever, LATERAL (
            SELECT y.month, y.debt,
                   coalesce(lag(y.debt) OVER (ORDER BY y.month), 0) AS carried
            FROM (
                SELECT x.month, x.s - least(0, min(x.s) OVER (ORDER BY x.month)) AS debt
                FROM (
                    SELECT pe.month,
                           sum(pe.paid + pe.ndfl - pe.accrued) OVER (ORDER BY pe.month) AS s
                    FROM payroll_employees pe
                    WHERE pe.tenant_id = p_tenant AND pe.employee_id = ever.employee_id
                      AND pe.month <= p_month
                ) x
            ) y
        ) l
        WHERE l.month = p_month
    )
    -- the month's results through its document (the keys of both): not a
    -- scan of every stored month
    SELECT m.employee_id, coalesce(d.carried, 0), coalesce(d.debt, 0)
    FROM payroll_documents doc
    JOIN payroll_employees m ON m.tenant_id = doc.tenant_id AND m.document_id = doc.id
    LEFT JOIN debts d ON d.employee_id = m.employee_id
    WHERE doc.tenant_id = p_tenant AND doc.month = p_month
      AND (p_employee IS NULL OR m.employee_id = p_employee)
$$;
