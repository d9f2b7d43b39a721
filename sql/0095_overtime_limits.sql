-- 0095_overtime_limits: the limits of overtime (art. 99 TC RF): at most 4 h
-- in two consecutive days and 120 h a year. The law binds the employer: the
-- fact is recorded and paid all the same, and the service warns where it
-- is exceeded (the answer of the overtime document or timesheet row, the
-- T-13 and the payroll month's view).
--
-- overtime_days(tenant, from, to, employee or NULL, timesheet or NULL): the
-- С hours (code 4, hundredths) per employee and date as the payroll reads
-- them: a month with a posted timesheet from its rows, any other month from
-- the deviation documents; p_timesheet (a draft being edited) counts as its
-- month's source too.
--
-- overtime_over_limits(tenant, year, employee or NULL, timesheet or NULL):
-- each excess of the year: kind 'two_days' with the pair's first date
-- (date_from), its second (date_to) and their hours, for every date with
-- overtime whose pair with the next date holds more than 4 h (one day over
-- 4 h is such a pair too); kind 'year' with the date the year's overtime
-- passed 120 h (date_from), the year's last day and the year's hours.

CREATE FUNCTION overtime_days(p_tenant bigint, p_from date, p_to date,
                              p_employee bigint DEFAULT NULL, p_timesheet bigint DEFAULT NULL)
RETURNS TABLE (employee_id bigint, date date, hours integer)
LANGUAGE sql STABLE AS $$
    SELECT t.employee_id, r.date, r.hours
    FROM timesheets t
    JOIN timesheet_rows r ON r.tenant_id = t.tenant_id AND r.timesheet_id = t.id
    WHERE t.tenant_id = p_tenant AND (t.status = 'posted' OR t.id = p_timesheet)
      AND r.code = 4 AND r.date BETWEEN p_from AND p_to
      AND (p_employee IS NULL OR t.employee_id = p_employee)
    UNION ALL
    SELECT d.employee_id, d.date_from, d.hours
    FROM deviations d
    WHERE d.tenant_id = p_tenant AND d.code = 4 AND d.date_from BETWEEN p_from AND p_to
      AND (p_employee IS NULL OR d.employee_id = p_employee)
      AND NOT EXISTS (SELECT 1 FROM timesheets t WHERE t.tenant_id = d.tenant_id
                      AND t.employee_id = d.employee_id
                      AND t.month = date_trunc('month', d.date_from)::date
                      AND (t.status = 'posted' OR t.id = p_timesheet))
$$;
GRANT EXECUTE ON FUNCTION overtime_days(bigint, date, date, bigint, bigint) TO cabinet_app;

CREATE FUNCTION overtime_over_limits(p_tenant bigint, p_year integer,
                                     p_employee bigint DEFAULT NULL, p_timesheet bigint DEFAULT NULL)
RETURNS TABLE (employee_id bigint, kind text, date_from date, date_to date, hours integer)
LANGUAGE sql STABLE AS $$
    WITH o AS (
        SELECT x.employee_id, x.date, sum(x.hours)::integer AS h
        FROM overtime_days(p_tenant, make_date(p_year, 1, 1), make_date(p_year, 12, 31),
                           p_employee, p_timesheet) x
        GROUP BY x.employee_id, x.date
    ), run AS (
        SELECT o.employee_id, o.date,
               sum(o.h) OVER (PARTITION BY o.employee_id ORDER BY o.date) AS total,
               sum(o.h) OVER (PARTITION BY o.employee_id) AS year_total
        FROM o
    )
    SELECT a.employee_id, 'two_days', a.date, a.date + 1, a.h + coalesce(b.h, 0)
    FROM o a LEFT JOIN o b ON b.employee_id = a.employee_id AND b.date = a.date + 1
    WHERE a.h + coalesce(b.h, 0) > 400
    UNION ALL
    SELECT run.employee_id, 'year', min(run.date), make_date(p_year, 12, 31),
           max(run.year_total)::integer
    FROM run WHERE run.total > 12000
    GROUP BY run.employee_id
$$;
GRANT EXECUTE ON FUNCTION overtime_over_limits(bigint, integer, bigint, bigint) TO cabinet_app;
