-- 0072_stale_employment_dates: a changed hire or dismissal date marks stale
-- only the months it touches: from the month of the earlier of the changed
-- dates (old and new; an empty dismissal date touches nothing) on. A
-- December dismissal no longer marks every closed month of the year before
-- stale; the core refuses a change touching a closed month holding the
-- employee's results (exchange.c x_check_locked: the same months).
-- The insurance record keeps its own reason (0063).

CREATE OR REPLACE FUNCTION payroll_stale_employees() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE dates jsonb; insurance jsonb;
BEGIN
    SELECT coalesce(jsonb_agg(jsonb_build_array(x.tenant_id, x.id, x.first, 'infinity'::date))
               FILTER (WHERE x.first IS NOT NULL), '[]')
      INTO dates
      FROM (SELECT n.tenant_id, n.id,
                   least(CASE WHEN o.hired IS DISTINCT FROM n.hired THEN least(o.hired, n.hired) END,
                         CASE WHEN o.dismissed IS DISTINCT FROM n.dismissed
                              THEN least(o.dismissed, n.dismissed) END) AS first
              FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
             WHERE o.hired IS DISTINCT FROM n.hired OR o.dismissed IS DISTINCT FROM n.dismissed) x;
    SELECT coalesce(jsonb_agg(jsonb_build_array(n.tenant_id, n.id, '1900-01-01'::date,
               'infinity'::date)) FILTER (WHERE (o.hired IS NOT DISTINCT FROM n.hired
                                            AND o.dismissed IS NOT DISTINCT FROM n.dismissed)
                                           AND (o.insurance_years IS DISTINCT FROM n.insurance_years
                                            OR o.insurance_months IS DISTINCT FROM n.insurance_months
                                            OR o.insurance_as_of IS DISTINCT FROM n.insurance_as_of)), '[]')
      INTO insurance
      FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id;
    PERFORM payroll_mark_stale(dates, 'employee');
    PERFORM payroll_mark_stale(insurance, 'insurance');
    RETURN NULL;
END $$;
