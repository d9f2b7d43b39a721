-- 0020_time: what time and payroll are computed from - production calendars,
-- work schedules and their assignment, individual schedules, employees' pay
-- terms, deviation documents and timesheets.
--
-- Hours are stored as hundredths of an hour (integer, hours.h), money as
-- numeric(15,2), T-13 codes as their numbers 1..36 (t13.h). Dates are dates.

-- The shipped Russian production calendars, one row per year in the JSON
-- form of calendar.h. Not tenant data: `cabinetd migrate` loads them from
-- sql/calendars/ru/YYYY.xml (and reloads a year whose file changed);
-- cabinet_app may only read them.
CREATE TABLE ru_calendar_years (
    year integer PRIMARY KEY CHECK (year BETWEEN 1900 AND 2199),
    data jsonb NOT NULL,
    source_sha256 text NOT NULL,
    loaded_at timestamptz NOT NULL DEFAULT now()
);
GRANT SELECT ON ru_calendar_years TO cabinet_app;

-- A tenant's calendars. The calendar with base_ru reads every year it has no
-- row of its own for from ru_calendar_years; an administrator's edit or
-- import of a year stores the whole year in calendar_years. Copying a
-- calendar for a region copies its own years. Exactly one is the default.
CREATE TABLE calendars (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    region text,
    base_ru boolean NOT NULL DEFAULT true,
    is_default boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id)
);
CREATE UNIQUE INDEX calendars_name ON calendars (tenant_id, lower(name));
CREATE UNIQUE INDEX calendars_default ON calendars (tenant_id) WHERE is_default;
ALTER TABLE calendars ENABLE ROW LEVEL SECURITY;
CREATE POLICY calendars_own ON calendars USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON calendars TO cabinet_app;

CREATE TABLE calendar_years (
    tenant_id bigint NOT NULL,
    calendar_id bigint NOT NULL,
    year integer NOT NULL CHECK (year BETWEEN 1900 AND 2199),
    data jsonb NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    updated_by bigint,
    PRIMARY KEY (tenant_id, calendar_id, year),
    FOREIGN KEY (tenant_id, calendar_id) REFERENCES calendars (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE calendar_years ENABLE ROW LEVEL SECURITY;
CREATE POLICY calendar_years_own ON calendar_years USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON calendar_years TO cabinet_app;

-- Work schedules (schedule.h). pattern holds [hours, night] pairs in
-- hundredths: 7 of them (Mon..Sun) for a week, 1..366 for a cycle whose
-- first element falls on cycle_start. week_hours (hundredths: 4000, 3600,
-- 2400) is the weekly norm the schedule stands for (shown with its norms).
CREATE TABLE schedules (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('week', 'cycle')),
    holidays text NOT NULL CHECK (holidays IN ('calendar', 'ignore')),
    cycle_start date,
    pattern jsonb NOT NULL CHECK (jsonb_typeof(pattern) = 'array'),
    week_hours integer NOT NULL DEFAULT 4000 CHECK (week_hours > 0 AND week_hours <= 16800),
    calendar_id bigint,
    archived boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, calendar_id) REFERENCES calendars (tenant_id, id),
    CHECK ((kind = 'cycle') = (cycle_start IS NOT NULL))
);
CREATE UNIQUE INDEX schedules_name ON schedules (tenant_id, lower(name));
ALTER TABLE schedules ENABLE ROW LEVEL SECURITY;
CREATE POLICY schedules_own ON schedules USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON schedules TO cabinet_app;

-- From date_from on, the employee works by schedule_id (until the next row).
CREATE TABLE schedule_assignments (
    tenant_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    employee_id bigint NOT NULL,
    schedule_id bigint NOT NULL,
    date_from date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, employee_id, date_from),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    FOREIGN KEY (tenant_id, schedule_id) REFERENCES schedules (tenant_id, id)
);
ALTER TABLE schedule_assignments ENABLE ROW LEVEL SECURITY;
CREATE POLICY schedule_assignments_own ON schedule_assignments
    USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON schedule_assignments TO cabinet_app;

-- An individual schedule replaces the assigned ones for one month: hours
-- and night hours (hundredths) of every day of the month, index 0 = day 1.
CREATE TABLE individual_schedules (
    tenant_id bigint NOT NULL,
    employee_id bigint NOT NULL,
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    hours integer[] NOT NULL,
    night integer[] NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, employee_id, month),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    CHECK (cardinality(hours) = cardinality(night)
           AND cardinality(hours) = extract(day FROM month + interval '1 month - 1 day'))
);
ALTER TABLE individual_schedules ENABLE ROW LEVEL SECURITY;
CREATE POLICY individual_schedules_own ON individual_schedules
    USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON individual_schedules TO cabinet_app;

-- Pay terms from date_from on: the monthly rate, by days or hours, and the
-- employee's own norm mode (NULL: the tenant's default, tenants.settings
-- ->> 'payroll_norm'). A change of rate mid-month starts a new salary line.
CREATE TABLE employee_pay (
    tenant_id bigint NOT NULL,
    employee_id bigint NOT NULL,
    date_from date NOT NULL,
    rate numeric(15,2) NOT NULL CHECK (rate >= 0),
    pay_by text NOT NULL CHECK (pay_by IN ('days', 'hours')),
    norm text CHECK (norm IN ('per_period', 'summed')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, employee_id, date_from),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
ALTER TABLE employee_pay ENABLE ROW LEVEL SECURITY;
CREATE POLICY employee_pay_own ON employee_pay USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON employee_pay TO cabinet_app;

-- Deviation documents (registration of deviations): whole days date_from..
-- date_to for absence codes (ОТ, ОД, Б, НН, ПР, К, ДО, простой ...), or
-- hours on one date for С, РВ, Н. Overlapping whole-day documents of one
-- employee are refused by the core, naming both (and by the exclusion
-- constraint, as a backstop).
CREATE TABLE deviations (
    tenant_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    employee_id bigint NOT NULL,
    code smallint NOT NULL CHECK (code BETWEEN 1 AND 36),
    date_from date NOT NULL,
    date_to date NOT NULL,
    hours integer CHECK (hours IS NULL OR hours BETWEEN 1 AND 2400),
    whole_day boolean NOT NULL,
    note text,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    CHECK (date_to >= date_from),
    CHECK (whole_day = (hours IS NULL)),
    CHECK (whole_day OR date_from = date_to)
);
CREATE INDEX deviations_employee ON deviations (tenant_id, employee_id, date_from);
ALTER TABLE deviations ENABLE ROW LEVEL SECURITY;
CREATE POLICY deviations_own ON deviations USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON deviations TO cabinet_app;

-- Timesheet documents (continuous registration), one per employee and
-- month. Once posted it has priority over deviation documents for the
-- month. Rows: (date, code, hours), several codes a day allowed.
CREATE TABLE timesheets (
    tenant_id bigint NOT NULL,
    id bigint GENERATED ALWAYS AS IDENTITY,
    employee_id bigint NOT NULL,
    month date NOT NULL CHECK (extract(day FROM month) = 1),
    status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'posted')),
    created_at timestamptz NOT NULL DEFAULT now(),
    posted_at timestamptz,
    posted_by bigint,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, employee_id, month),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
ALTER TABLE timesheets ENABLE ROW LEVEL SECURITY;
CREATE POLICY timesheets_own ON timesheets USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON timesheets TO cabinet_app;

CREATE TABLE timesheet_rows (
    tenant_id bigint NOT NULL,
    timesheet_id bigint NOT NULL,
    date date NOT NULL,
    code smallint NOT NULL CHECK (code BETWEEN 1 AND 36),
    hours integer NOT NULL CHECK (hours BETWEEN 0 AND 2400),
    PRIMARY KEY (tenant_id, timesheet_id, date, code),
    FOREIGN KEY (tenant_id, timesheet_id) REFERENCES timesheets (tenant_id, id) ON DELETE CASCADE
);
ALTER TABLE timesheet_rows ENABLE ROW LEVEL SECURITY;
CREATE POLICY timesheet_rows_own ON timesheet_rows USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON timesheet_rows TO cabinet_app;
