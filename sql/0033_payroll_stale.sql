-- 0033_payroll_stale: a calculated employee-month becomes stale when any of
-- its inputs changes (issue 11 5.6), marked in ONE place - these triggers -
-- whatever module or path writes the input (admin API, exchange, CSV,
-- requests). A recalculation writes fresh rows (stale = false); closing a
-- month with stale results is refused by the core (409 "stale").
--
-- The inputs and the months they touch:
--   deviations           the employee, its dates (and a vacation's payment month)
--   timesheets, _rows    the employee, the month of a posted timesheet
--   schedule_assignments the employee, from its date on
--   individual_schedules the employee, its month
--   employee_pay         the employee, from its date on
--   ndfl_children        the employee, from its date on
--   employees            hire or dismissal date changed: the employee, every month
--   schedules            days, kind or calendar changed: everyone assigned to it
--   calendar_years       a year of a calendar: everyone whose schedule follows it
--   payroll_employees    a recalculated month: the later months of the same year
--                        (their НДФЛ reads the year so far)
-- Statement-level triggers with transition tables, so a bulk write (a
-- timesheet filled for 10 000 people, an exchange batch) is one UPDATE.

ALTER TABLE payroll_employees ADD COLUMN stale boolean NOT NULL DEFAULT false;
ALTER TABLE payroll_employees ADD COLUMN stale_reason text;
CREATE INDEX payroll_employees_stale ON payroll_employees (tenant_id, month) WHERE stale;

-- Marks the results of (tenant, employee, months first..last) stale. The
-- rows' set is a jsonb array of [tenant, employee, first, last].
CREATE FUNCTION payroll_mark_stale(changes jsonb, why text) RETURNS void
LANGUAGE sql AS $$
    UPDATE payroll_employees pe SET stale = true, stale_reason = why
    FROM (SELECT DISTINCT (c->>0)::bigint AS tenant_id, (c->>1)::bigint AS employee_id,
                 date_trunc('month', (c->>2)::date)::date AS first, (c->>3)::date AS last
          FROM jsonb_array_elements(changes) c) x
    WHERE pe.tenant_id = x.tenant_id AND pe.employee_id = x.employee_id
      AND pe.month BETWEEN x.first AND x.last AND NOT pe.stale;
$$;

-- deviations: the dates, and the payment month of a vacation
CREATE FUNCTION payroll_stale_deviations() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb := '[]';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        SELECT c || coalesce(jsonb_agg(jsonb_build_array(tenant_id, employee_id,
                   least(date_from, coalesce(paid, date_from - 3)), date_to)), '[]')
          INTO c FROM new_rows;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT c || coalesce(jsonb_agg(jsonb_build_array(tenant_id, employee_id,
                   least(date_from, coalesce(paid, date_from - 3)), date_to)), '[]')
          INTO c FROM old_rows;
    END IF;
    PERFORM payroll_mark_stale(c, 'deviation');
    RETURN NULL;
END $$;
CREATE TRIGGER deviations_stale_i AFTER INSERT ON deviations REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_deviations();
CREATE TRIGGER deviations_stale_u AFTER UPDATE ON deviations
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_deviations();
CREATE TRIGGER deviations_stale_d AFTER DELETE ON deviations REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_deviations();

-- timesheets: only a posted one is an input (posting, unposting, deleting)
CREATE FUNCTION payroll_stale_timesheets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb := '[]';
BEGIN
    IF TG_OP = 'INSERT' THEN
        SELECT coalesce(jsonb_agg(jsonb_build_array(tenant_id, employee_id, month,
                   (month + interval '1 month - 1 day')::date)), '[]') INTO c
          FROM new_rows WHERE status = 'posted';
    ELSIF TG_OP = 'DELETE' THEN
        SELECT coalesce(jsonb_agg(jsonb_build_array(tenant_id, employee_id, month,
                   (month + interval '1 month - 1 day')::date)), '[]') INTO c
          FROM old_rows WHERE status = 'posted';
    ELSE
        SELECT coalesce(jsonb_agg(jsonb_build_array(n.tenant_id, n.employee_id, n.month,
                   (n.month + interval '1 month - 1 day')::date)), '[]') INTO c
          FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
         WHERE o.status IS DISTINCT FROM n.status;
    END IF;
    PERFORM payroll_mark_stale(c, 'timesheet');
    RETURN NULL;
END $$;
CREATE TRIGGER timesheets_stale_i AFTER INSERT ON timesheets REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_timesheets();
CREATE TRIGGER timesheets_stale_u AFTER UPDATE ON timesheets
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_timesheets();
CREATE TRIGGER timesheets_stale_d AFTER DELETE ON timesheets REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_timesheets();

-- rows of a posted timesheet (a draft's rows are no input yet)
CREATE FUNCTION payroll_stale_timesheet_rows() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb := '[]';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        SELECT c || coalesce(jsonb_agg(DISTINCT jsonb_build_array(t.tenant_id, t.employee_id,
                   t.month, (t.month + interval '1 month - 1 day')::date)), '[]') INTO c
          FROM new_rows r JOIN timesheets t ON t.tenant_id = r.tenant_id AND t.id = r.timesheet_id
         WHERE t.status = 'posted';
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT c || coalesce(jsonb_agg(DISTINCT jsonb_build_array(t.tenant_id, t.employee_id,
                   t.month, (t.month + interval '1 month - 1 day')::date)), '[]') INTO c
          FROM old_rows r JOIN timesheets t ON t.tenant_id = r.tenant_id AND t.id = r.timesheet_id
         WHERE t.status = 'posted';
    END IF;
    PERFORM payroll_mark_stale(c, 'timesheet');
    RETURN NULL;
END $$;
CREATE TRIGGER timesheet_rows_stale_i AFTER INSERT ON timesheet_rows
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_timesheet_rows();
CREATE TRIGGER timesheet_rows_stale_u AFTER UPDATE ON timesheet_rows
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_timesheet_rows();
CREATE TRIGGER timesheet_rows_stale_d AFTER DELETE ON timesheet_rows
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_timesheet_rows();

-- inputs "from a date on": assignments, pay terms, child deductions
CREATE FUNCTION payroll_stale_from() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb := '[]';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        SELECT c || coalesce(jsonb_agg(jsonb_build_array(tenant_id, employee_id, date_from,
                   'infinity'::date)), '[]') INTO c FROM new_rows;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT c || coalesce(jsonb_agg(jsonb_build_array(tenant_id, employee_id, date_from,
                   'infinity'::date)), '[]') INTO c FROM old_rows;
    END IF;
    PERFORM payroll_mark_stale(c, TG_ARGV[0]);
    RETURN NULL;
END $$;
CREATE TRIGGER schedule_assignments_stale_i AFTER INSERT ON schedule_assignments
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_from('assignment');
CREATE TRIGGER schedule_assignments_stale_u AFTER UPDATE ON schedule_assignments
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_from('assignment');
CREATE TRIGGER schedule_assignments_stale_d AFTER DELETE ON schedule_assignments
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_from('assignment');
CREATE TRIGGER employee_pay_stale_i AFTER INSERT ON employee_pay
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_from('pay_terms');
CREATE TRIGGER employee_pay_stale_u AFTER UPDATE ON employee_pay
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_from('pay_terms');
CREATE TRIGGER employee_pay_stale_d AFTER DELETE ON employee_pay
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_from('pay_terms');
CREATE TRIGGER ndfl_children_stale_i AFTER INSERT ON ndfl_children
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_from('children');
CREATE TRIGGER ndfl_children_stale_u AFTER UPDATE ON ndfl_children
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_from('children');
CREATE TRIGGER ndfl_children_stale_d AFTER DELETE ON ndfl_children
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_from('children');

-- individual schedules: their month
CREATE FUNCTION payroll_stale_individual() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb := '[]';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        SELECT c || coalesce(jsonb_agg(jsonb_build_array(tenant_id, employee_id, month,
                   (month + interval '1 month - 1 day')::date)), '[]') INTO c FROM new_rows;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT c || coalesce(jsonb_agg(jsonb_build_array(tenant_id, employee_id, month,
                   (month + interval '1 month - 1 day')::date)), '[]') INTO c FROM old_rows;
    END IF;
    PERFORM payroll_mark_stale(c, 'schedule');
    RETURN NULL;
END $$;
CREATE TRIGGER individual_schedules_stale_i AFTER INSERT ON individual_schedules
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_individual();
CREATE TRIGGER individual_schedules_stale_u AFTER UPDATE ON individual_schedules
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_individual();
CREATE TRIGGER individual_schedules_stale_d AFTER DELETE ON individual_schedules
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_individual();

-- employees: a changed hire or dismissal date
CREATE FUNCTION payroll_stale_employees() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb;
BEGIN
    SELECT coalesce(jsonb_agg(jsonb_build_array(n.tenant_id, n.id, '1900-01-01'::date,
               'infinity'::date)), '[]') INTO c
      FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
     WHERE o.hired IS DISTINCT FROM n.hired OR o.dismissed IS DISTINCT FROM n.dismissed;
    PERFORM payroll_mark_stale(c, 'employee');
    RETURN NULL;
END $$;
CREATE TRIGGER employees_stale_u AFTER UPDATE ON employees
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_employees();

-- schedules: what plans the days changed; everyone ever assigned to it
CREATE FUNCTION payroll_stale_schedules() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb;
BEGIN
    SELECT coalesce(jsonb_agg(DISTINCT jsonb_build_array(a.tenant_id, a.employee_id,
               a.date_from, 'infinity'::date)), '[]') INTO c
      FROM new_rows n JOIN old_rows o ON o.tenant_id = n.tenant_id AND o.id = n.id
      JOIN schedule_assignments a ON a.tenant_id = n.tenant_id AND a.schedule_id = n.id
     WHERE o.pattern IS DISTINCT FROM n.pattern OR o.kind IS DISTINCT FROM n.kind
        OR o.holidays IS DISTINCT FROM n.holidays OR o.cycle_start IS DISTINCT FROM n.cycle_start
        OR o.calendar_id IS DISTINCT FROM n.calendar_id;
    PERFORM payroll_mark_stale(c, 'schedule');
    RETURN NULL;
END $$;
CREATE TRIGGER schedules_stale_u AFTER UPDATE ON schedules
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_schedules();

-- a calendar's year: everyone whose schedule follows that calendar (a
-- schedule without one follows the tenant's default)
CREATE FUNCTION payroll_stale_calendar_years() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE c jsonb := '[]';
BEGIN
    IF TG_OP <> 'DELETE' THEN
        SELECT c || coalesce(jsonb_agg(DISTINCT jsonb_build_array(a.tenant_id, a.employee_id,
                   make_date(y.year, 1, 1), make_date(y.year, 12, 31))), '[]') INTO c
          FROM new_rows y JOIN calendars k ON k.tenant_id = y.tenant_id AND k.id = y.calendar_id
          JOIN schedules s ON s.tenant_id = y.tenant_id
               AND (s.calendar_id = y.calendar_id OR (s.calendar_id IS NULL AND k.is_default))
          JOIN schedule_assignments a ON a.tenant_id = s.tenant_id AND a.schedule_id = s.id;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        SELECT c || coalesce(jsonb_agg(DISTINCT jsonb_build_array(a.tenant_id, a.employee_id,
                   make_date(y.year, 1, 1), make_date(y.year, 12, 31))), '[]') INTO c
          FROM old_rows y JOIN calendars k ON k.tenant_id = y.tenant_id AND k.id = y.calendar_id
          JOIN schedules s ON s.tenant_id = y.tenant_id
               AND (s.calendar_id = y.calendar_id OR (s.calendar_id IS NULL AND k.is_default))
          JOIN schedule_assignments a ON a.tenant_id = s.tenant_id AND a.schedule_id = s.id;
    END IF;
    PERFORM payroll_mark_stale(c, 'calendar');
    RETURN NULL;
END $$;
CREATE TRIGGER calendar_years_stale_i AFTER INSERT ON calendar_years
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_calendar_years();
CREATE TRIGGER calendar_years_stale_u AFTER UPDATE ON calendar_years
    REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_calendar_years();
CREATE TRIGGER calendar_years_stale_d AFTER DELETE ON calendar_years
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_calendar_years();

-- a recalculated month: the later months of the year read a new year so far
CREATE FUNCTION payroll_stale_later_ndfl() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE payroll_employees pe SET stale = true, stale_reason = 'ndfl'
    FROM new_rows n
    WHERE pe.tenant_id = n.tenant_id AND pe.employee_id = n.employee_id
      AND pe.month > n.month AND pe.month < date_trunc('year', n.month) + interval '1 year'
      AND NOT pe.stale;
    RETURN NULL;
END $$;
CREATE TRIGGER payroll_employees_stale_i AFTER INSERT ON payroll_employees
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION payroll_stale_later_ndfl();
