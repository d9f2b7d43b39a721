-- 0086_stale_triggers_direct: the statement triggers of payroll_employees
-- (sql/0066, 0073) mark the same rows as before, faster (issue 11 item 9: a
-- payroll of 10 000 employees). Measured (tests/bench/README.md): the
-- recalculation of 10 000 spent 23.6 s in the trigger's join of new_rows and
-- old_rows alone. A PL/pgSQL statement without parameters is planned once
-- per connection and its plan kept, and the first run of this trigger on a
-- connection is often tiny (a stale mark of a few rows), so 10 000 rows
-- later ran through the nested loop planned for a few. Now:
--   - every statement that reads a transition table is run by EXECUTE, so
--     it is planned with the table's real row count each time;
--   - the rows go straight from the transition table, not through a jsonb
--     of every changed row (jsonb_array_elements gave the planner no row
--     count, and every key went through text and back);
--   - an UPDATE that changes none of the compared fields (the triggers' own
--     marks, the most frequent of all) ends after one check;
--   - the later months' НДФЛ update runs only when the tenant has a
--     document of a later month in the changed month's year (the first
--     calculation of the open month has none; it cost 0.3-0.9 s for
--     10 000 new results).
-- Same marks, same order as sql/0073's payroll_stale_later_ndfl:
--   1. the employee's other results whose averages read a changed month
--      (INSERT, DELETE: every row; UPDATE: earnings, excluded days or the
--      insured income changed), reason 'average';
--   2. the later months of the same year (INSERT, DELETE: every row;
--      UPDATE: accrued, deduction, НДФЛ or one of the above changed), reason
--      'ndfl';
--   3. the months settled by payments made after such a month in its year
--      (sql/0059), reason 'ndfl'.
-- A mark changes none of the compared fields, so the recursion ends.
-- payroll_mark_later_ndfl and payroll_mark_averages (jsonb) had no other
-- callers and are dropped.

CREATE OR REPLACE FUNCTION payroll_stale_later_ndfl() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    c text; -- the rows whose change the later months' НДФЛ reads
    a text; -- the rows whose change the averages read
    any_changed boolean; -- also: a later month exists
BEGIN
    IF TG_OP = 'INSERT' THEN
        c := 'new_rows';
        a := c;
    ELSIF TG_OP = 'DELETE' THEN
        c := 'old_rows';
        a := c;
    ELSE
        c := '(SELECT n.tenant_id, n.employee_id, n.month FROM new_rows n JOIN old_rows o '
             'ON o.tenant_id = n.tenant_id AND o.employee_id = n.employee_id '
             'AND o.month = n.month WHERE (o.accrued, o.deduction, o.ndfl, o.earnings, '
             'o.excluded_days, o.insured) IS DISTINCT FROM (n.accrued, n.deduction, n.ndfl, '
             'n.earnings, n.excluded_days, n.insured))';
        a := '(SELECT n.tenant_id, n.employee_id, n.month FROM new_rows n JOIN old_rows o '
             'ON o.tenant_id = n.tenant_id AND o.employee_id = n.employee_id '
             'AND o.month = n.month WHERE (o.earnings, o.excluded_days, o.insured) '
             'IS DISTINCT FROM (n.earnings, n.excluded_days, n.insured))';
        EXECUTE 'SELECT EXISTS (SELECT 1 FROM ' || c || ' x)' INTO any_changed;
        IF NOT any_changed THEN
            RETURN NULL; -- c holds every row of a
        END IF;
    END IF;
    EXECUTE 'UPDATE payroll_employees pe SET stale = true, stale_reason = ''average'' '
            'FROM ' || a || ' n '
            'WHERE pe.tenant_id = n.tenant_id AND pe.employee_id = n.employee_id '
            'AND pe.average_from IS NOT NULL '
            'AND pe.average_from <= n.month AND pe.average_to >= n.month '
            'AND pe.month <> n.month AND NOT pe.stale';
    -- a month with no later month in its year (the usual calculation of
    -- the open month) has no later results: a result's month is its
    -- document's (core/payrun.c), and a tenant has one document a month
    EXECUTE 'SELECT EXISTS (SELECT 1 FROM (SELECT DISTINCT tenant_id, month FROM ' || c
            || ' x) n JOIN payroll_documents d ON d.tenant_id = n.tenant_id '
            'AND d.month > n.month '
            'AND d.month < (date_trunc(''year'', n.month) + interval ''1 year'')::date)'
        INTO any_changed;
    IF any_changed THEN
        EXECUTE 'UPDATE payroll_employees pe SET stale = true, stale_reason = ''ndfl'' '
                'FROM ' || c || ' n '
                'WHERE pe.tenant_id = n.tenant_id AND pe.employee_id = n.employee_id '
                'AND pe.month > n.month '
                'AND pe.month < (date_trunc(''year'', n.month) + interval ''1 year'')::date '
                'AND NOT pe.stale';
    END IF;
    EXECUTE 'UPDATE payroll_employees pe SET stale = true, stale_reason = ''ndfl'' '
            'FROM ' || c || ' n, payroll_payments p '
            'WHERE p.tenant_id = n.tenant_id AND p.employee_id = n.employee_id '
            'AND p.date >= (n.month + interval ''1 month'')::date '
            'AND p.date < (date_trunc(''year'', n.month) + interval ''1 year'')::date '
            'AND pe.tenant_id = p.tenant_id AND pe.employee_id = p.employee_id '
            'AND pe.month = p.month AND pe.month <> n.month AND NOT pe.stale';
    RETURN NULL;
END $$;

DROP FUNCTION payroll_mark_later_ndfl(jsonb);
DROP FUNCTION payroll_mark_averages(jsonb);
