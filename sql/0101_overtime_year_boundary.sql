-- 0101_overtime_year_boundary: art. 99's "two consecutive days" across
-- 31 Dec / 1 Jan. overtime_over_limits (0095) read only the year's own
-- days, so a pair 31.12 + 01.01 was checked by neither year: 31 Dec had no
-- next day in its year and 1 Jan no day before it in its own. Now a year's
-- pairs are those with a day in the year: its days paired with the next
-- one (31 Dec with 1 Jan of the next year) and the previous year's 31 Dec
-- with the year's 1 Jan (only when 1 Jan has overtime: else the pair is
-- wholly the previous year's). Such a pair is an excess of both years, so
-- each year's T-13 and month view shows it. The 120 h stay counted per
-- calendar year (the year's own days only).

CREATE OR REPLACE FUNCTION overtime_over_limits(p_tenant bigint, p_year integer,
                                                p_employee bigint DEFAULT NULL,
                                                p_timesheet bigint DEFAULT NULL)
RETURNS TABLE (employee_id bigint, kind text, date_from date, date_to date, hours integer)
LANGUAGE sql STABLE AS $$
    WITH o AS (
        SELECT x.employee_id, x.date, sum(x.hours)::integer AS h
        FROM overtime_days(p_tenant, make_date(p_year - 1, 12, 31), make_date(p_year + 1, 1, 1),
                           p_employee, p_timesheet) x
        GROUP BY x.employee_id, x.date
    ), y AS (
        SELECT * FROM o WHERE extract(year FROM o.date) = p_year
    ), run AS (
        SELECT y.employee_id, y.date,
               sum(y.h) OVER (PARTITION BY y.employee_id ORDER BY y.date) AS total,
               sum(y.h) OVER (PARTITION BY y.employee_id) AS year_total
        FROM y
    )
    SELECT a.employee_id, 'two_days', a.date, a.date + 1, a.h + coalesce(b.h, 0)
    FROM o a LEFT JOIN o b ON b.employee_id = a.employee_id AND b.date = a.date + 1
    WHERE a.h + coalesce(b.h, 0) > 400
      AND (extract(year FROM a.date) = p_year OR b.h IS NOT NULL)
      AND a.date < make_date(p_year + 1, 1, 1)
    UNION ALL
    SELECT run.employee_id, 'year', min(run.date), make_date(p_year, 12, 31),
           max(run.year_total)::integer
    FROM run WHERE run.total > 12000
    GROUP BY run.employee_id
$$;
