-- 0032_payroll_pay_kinds: what vacation pay, sick pay, regional pay and
-- holiday work planned by the schedule need (shared/reference/payroll.md,
-- core/payroll.h, core/average.h).
--
-- Deviation documents: a vacation (ОТ 9, ОД 10) may carry its payment date
-- (NULL: three days before it, art. 136); a sick leave (Б 19) its cause
-- (NULL: own illness). A Б may overlap an ОТ/ОД: illness during a vacation
-- (art. 124); the core refuses every other overlap of whole days, and the
-- exclusion constraints below back it up: no overlap among the codes other
-- than Б, and none among the codes other than ОТ and ОД - so a Б meets only
-- a vacation.
ALTER TABLE deviations ADD COLUMN paid date;
ALTER TABLE deviations ADD COLUMN cause text
    CHECK (cause IN ('illness', 'care', 'quarantine', 'work_injury'));
ALTER TABLE deviations ADD CONSTRAINT deviations_paid_vacation
    CHECK (paid IS NULL OR (code IN (9, 10) AND paid <= date_from));
ALTER TABLE deviations ADD CONSTRAINT deviations_cause_sick CHECK (cause IS NULL OR code = 19);

DO $$
BEGIN
    ALTER TABLE deviations DROP CONSTRAINT IF EXISTS deviations_no_overlap;
    IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'btree_gist') THEN
        ALTER TABLE deviations ADD CONSTRAINT deviations_no_overlap
            EXCLUDE USING gist (tenant_id WITH =, employee_id WITH =,
                                daterange(date_from, date_to, '[]') WITH &&)
            WHERE (whole_day AND code <> 19);
        ALTER TABLE deviations ADD CONSTRAINT deviations_no_overlap_sick
            EXCLUDE USING gist (tenant_id WITH =, employee_id WITH =,
                                daterange(date_from, date_to, '[]') WITH &&)
            WHERE (whole_day AND code NOT IN (9, 10));
    END IF;
END
$$;

-- Regional pay (art. 315-317) in an employee's pay terms: the district
-- coefficient and the northern allowance (percent); NULL: the tenant's
-- settings (tenants.settings ->> 'district_coefficient', 'northern_percent').
ALTER TABLE employee_pay ADD COLUMN district_coefficient numeric(3,2)
    CHECK (district_coefficient BETWEEN 1 AND 3);
ALTER TABLE employee_pay ADD COLUMN northern_percent smallint
    CHECK (northern_percent BETWEEN 0 AND 100);

-- The lines of a payroll: every kind of core/payroll.h and what each shows.
ALTER TABLE payroll_lines DROP CONSTRAINT payroll_lines_kind_check;
ALTER TABLE payroll_lines ADD CONSTRAINT payroll_lines_kind_check
    CHECK (kind IN ('salary', 'overtime', 'holiday_work', 'night', 'bonus', 'material_aid',
                    'district_coefficient', 'northern_allowance', 'vacation_pay', 'sick_pay',
                    'vacation_compensation'));
ALTER TABLE payroll_lines ADD COLUMN planned_hours integer; -- holiday_work: the planned part
ALTER TABLE payroll_lines ADD COLUMN days integer;          -- vacation / employer's sick days
ALTER TABLE payroll_lines ADD COLUMN average numeric(15,2); -- average daily earnings
ALTER TABLE payroll_lines ADD COLUMN percent smallint;      -- sick pay %, regional %
ALTER TABLE payroll_lines ADD COLUMN daily numeric(15,2);   -- sick pay: daily benefit
ALTER TABLE payroll_lines ADD COLUMN fund_days integer;     -- sick pay: days the Social Fund pays
ALTER TABLE payroll_lines ADD COLUMN twelfths bigint;       -- compensation: unused days x 12
ALTER TABLE payroll_lines ADD COLUMN fallback boolean;      -- average = rate / 29.3
ALTER TABLE payroll_lines ADD COLUMN title text;            -- one-off accruals

-- An employee's month for the averages of later months (decree 922): the
-- earnings that count and the days excluded from the period.
ALTER TABLE payroll_employees ADD COLUMN earnings numeric(15,2) NOT NULL DEFAULT 0;
ALTER TABLE payroll_employees ADD COLUMN excluded_days smallint NOT NULL DEFAULT 0;
