-- 0063_stale_insurance: a changed insurance record marks the employee's
-- results stale with its own reason ('insurance'), not as a changed hire or
-- dismissal date ('employee'): the payroll page says which input changed.

CREATE OR REPLACE FUNCTION payroll_stale_employees() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE dates jsonb; insurance jsonb;
BEGIN
    SELECT coalesce(jsonb_agg(jsonb_build_array(n.tenant_id, n.id, '1900-01-01'::date,
               'infinity'::date)) FILTER (WHERE o.hired IS DISTINCT FROM n.hired
                                           OR o.dismissed IS DISTINCT FROM n.dismissed), '[]'),
           coalesce(jsonb_agg(jsonb_build_array(n.tenant_id, n.id, '1900-01-01'::date,
               'infinity'::date)) FILTER (WHERE (o.hired IS NOT DISTINCT FROM n.hired
                                            AND o.dismissed IS NOT DISTINCT FROM n.dismissed)
                                           AND (o.insurance_years IS DISTINCT FROM n.insurance_years
                                            OR o.insurance_months IS DISTINCT FROM n.insurance_months
                                            OR o.insurance_as_of IS DISTINCT FROM n.insurance_as_of)), '[]')
      INTO dates, insurance
      FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id;
    PERFORM payroll_mark_stale(dates, 'employee');
    PERFORM payroll_mark_stale(insurance, 'insurance');
    RETURN NULL;
END $$;
