-- 0073_stale_averages: the averages' months are inputs of a result (issue 11
-- 5.6). Sick pay in a month of year Y reads the insured earnings of every
-- month of Y-2 and Y-1, vacation pay and the compensation for unused
-- vacation the 12 months before (core/payrun.c payrun_average_months: the
-- stored result, else the opening balance, else the month computed from
-- its time). Until now a change there reached only the later months of the
-- same year, and as НДФЛ (sql/0066): a sick pay of March 2025 kept the
-- earnings of a 2024 month recalculated after it, and could be closed so.
--
-- Each result records the months its averages read, average_from ..
-- average_to (first days of months; NULL: no average), written by the core
-- with the result. The one place that writes stale marks then covers them:
--   payroll_mark_stale  an input of months first..last of an employee (a
--                       deviation, timesheet, schedule, pay terms, calendar,
--                       opening balance, accrual, hire date) also marks the
--                       employee's results whose averages read one of those
--                       months, reason 'average' (not the inputs that no
--                       average reads: child deductions, the insurance
--                       record, payments; nor the marks of НДФЛ or averages
--                       themselves);
--   payroll_stale_later_ndfl  a result stored, deleted, or recalculated
--                       with other earnings, excluded days or insured
--                       income marks the employee's results whose averages
--                       read its month, reason 'average', then the later
--                       months' НДФЛ as before (sql/0066).
-- A mark is only a mark: it changes none of the compared fields, so the
-- triggers' own UPDATEs end the recursion. A closed month is marked too (it
-- is listed as stale until it is reopened and recalculated).

ALTER TABLE payroll_employees ADD COLUMN average_from date;
ALTER TABLE payroll_employees ADD COLUMN average_to date;
ALTER TABLE payroll_employees ADD CONSTRAINT payroll_employees_average_months
    CHECK ((average_from IS NULL) = (average_to IS NULL) AND average_from <= average_to
           AND extract(day FROM average_from) = 1 AND extract(day FROM average_to) = 1);
CREATE INDEX payroll_employees_average ON payroll_employees (tenant_id, employee_id)
    WHERE average_from IS NOT NULL;

-- the results stored before: their average lines say which months they read
UPDATE payroll_employees pe SET average_from = x.f, average_to = x.t
FROM (SELECT l.tenant_id, l.document_id, l.employee_id,
             min(CASE l.kind
                 WHEN 'sick_pay' THEN make_date(extract(year FROM p.month)::int - 2, 1, 1)
                 WHEN 'vacation_pay' THEN (date_trunc('month', l.date_from) - interval '12 months')::date
                 ELSE (p.month - interval '12 months')::date END) AS f,
             max(CASE l.kind
                 WHEN 'sick_pay' THEN make_date(extract(year FROM p.month)::int - 1, 12, 1)
                 WHEN 'vacation_pay' THEN (date_trunc('month', l.date_from) - interval '1 month')::date
                 ELSE (p.month - interval '1 month')::date END) AS t
      FROM payroll_lines l
      JOIN payroll_employees p ON p.tenant_id = l.tenant_id AND p.document_id = l.document_id
           AND p.employee_id = l.employee_id
      WHERE l.kind IN ('sick_pay', 'vacation_pay', 'vacation_compensation')
      GROUP BY l.tenant_id, l.document_id, l.employee_id) x
WHERE pe.tenant_id = x.tenant_id AND pe.document_id = x.document_id
  AND pe.employee_id = x.employee_id;

-- the results of (tenant, employee, months first..last) and those whose
-- averages read one of those months
CREATE OR REPLACE FUNCTION payroll_mark_stale(changes jsonb, why text) RETURNS void
LANGUAGE sql AS $$
    UPDATE payroll_employees pe SET stale = true, stale_reason = why
    FROM (SELECT DISTINCT (c->>0)::bigint AS tenant_id, (c->>1)::bigint AS employee_id,
                 date_trunc('month', (c->>2)::date)::date AS first, (c->>3)::date AS last
          FROM jsonb_array_elements(changes) c) x
    WHERE pe.tenant_id = x.tenant_id AND pe.employee_id = x.employee_id
      AND pe.month BETWEEN x.first AND x.last AND NOT pe.stale;
    UPDATE payroll_employees pe SET stale = true, stale_reason = 'average'
    FROM (SELECT DISTINCT (c->>0)::bigint AS tenant_id, (c->>1)::bigint AS employee_id,
                 date_trunc('month', (c->>2)::date)::date AS first, (c->>3)::date AS last
          FROM jsonb_array_elements(changes) c) x
    WHERE why NOT IN ('children', 'insurance', 'payment', 'ndfl', 'average')
      AND pe.tenant_id = x.tenant_id AND pe.employee_id = x.employee_id
      AND pe.average_from IS NOT NULL
      AND pe.average_from <= x.last AND pe.average_to >= x.first AND NOT pe.stale;
$$;

-- (tenant, employee, month) rows whose values the averages read changed:
-- the employee's other results whose averages read that month
CREATE FUNCTION payroll_mark_averages(changed jsonb) RETURNS void LANGUAGE sql AS $$
    UPDATE payroll_employees pe SET stale = true, stale_reason = 'average'
    FROM (SELECT (c->>0)::bigint AS tenant_id, (c->>1)::bigint AS employee_id,
                 (c->>2)::date AS month
          FROM jsonb_array_elements(changed) c) n
    WHERE pe.tenant_id = n.tenant_id AND pe.employee_id = n.employee_id
      AND pe.average_from IS NOT NULL
      AND pe.average_from <= n.month AND pe.average_to >= n.month
      AND pe.month <> n.month AND NOT pe.stale;
$$;

CREATE OR REPLACE FUNCTION payroll_stale_later_ndfl() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb; a jsonb;
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT jsonb_agg(jsonb_build_array(n.tenant_id, n.employee_id, n.month)) INTO c
          FROM new_rows n;
        a := c;
    ELSIF TG_OP = 'DELETE' THEN
        SELECT jsonb_agg(jsonb_build_array(o.tenant_id, o.employee_id, o.month)) INTO c
          FROM old_rows o;
        a := c;
    ELSE
        SELECT jsonb_agg(jsonb_build_array(n.tenant_id, n.employee_id, n.month))
                   FILTER (WHERE (o.accrued, o.deduction, o.ndfl, o.earnings, o.excluded_days,
                                  o.insured)
                                 IS DISTINCT FROM
                                 (n.accrued, n.deduction, n.ndfl, n.earnings, n.excluded_days,
                                  n.insured)),
               jsonb_agg(jsonb_build_array(n.tenant_id, n.employee_id, n.month))
                   FILTER (WHERE (o.earnings, o.excluded_days, o.insured)
                                 IS DISTINCT FROM (n.earnings, n.excluded_days, n.insured))
          INTO c, a
          FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id
                AND o.employee_id = n.employee_id AND o.month = n.month;
    END IF;
    IF a IS NOT NULL THEN
        PERFORM payroll_mark_averages(a);
    END IF;
    IF c IS NOT NULL THEN
        PERFORM payroll_mark_later_ndfl(c);
    END IF;
    RETURN NULL;
END $$;
