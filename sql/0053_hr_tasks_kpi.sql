-- 0053_hr_tasks_kpi: HR tasks and KPIs (issue 12 item 7; seed 003, Парус
-- «Личный кабинет»: "формирование новых и исполнение поставленных задач",
-- "индивидуальные плановые и фактические показатели эффективности").
-- core/hrtasks.c and core/kpi.c describe the rules; this file the storage.

-- ------------------------------------------------------------ HR tasks

-- An HR task is a task of request_tasks with step 'hr_task' and no
-- request: HR (an administrator or a performer of a routing role) or a
-- manager gives it to an employee (assignee_id) with a title, a description
-- and a deadline (due_at, remind_at: half of the time, as the tasks of
-- requests); the employee answers in comment, attaches files and completes
-- it. given_by: the giver's user; given_by_employee: their employee record
-- (told of the answer), if they have one.
ALTER TABLE request_tasks ALTER COLUMN request_id DROP NOT NULL;
ALTER TABLE request_tasks ADD COLUMN title text CHECK (length(title) BETWEEN 1 AND 300);
ALTER TABLE request_tasks ADD COLUMN description text CHECK (length(description) <= 4000);
ALTER TABLE request_tasks ADD COLUMN given_by bigint;
ALTER TABLE request_tasks ADD COLUMN given_by_employee bigint;
ALTER TABLE request_tasks ADD CONSTRAINT request_tasks_given_by_fkey
    FOREIGN KEY (tenant_id, given_by) REFERENCES users (tenant_id, id);
ALTER TABLE request_tasks ADD CONSTRAINT request_tasks_given_by_employee_fkey
    FOREIGN KEY (tenant_id, given_by_employee) REFERENCES employees (tenant_id, id);
ALTER TABLE request_tasks ADD CONSTRAINT request_tasks_hr_task
    CHECK ((step = 'hr_task') = (request_id IS NULL)
           AND (step <> 'hr_task' OR (title IS NOT NULL AND given_by IS NOT NULL)));
-- the tasks a person gave, newest first
CREATE INDEX request_tasks_given ON request_tasks (tenant_id, given_by, id DESC)
    WHERE step = 'hr_task';

-- Files of an HR task: no request, the task's id (the giver's documents and
-- the employee's answer alike; uploaded_by tells them apart).
ALTER TABLE request_files ALTER COLUMN request_id DROP NOT NULL;
ALTER TABLE request_files ADD CONSTRAINT request_files_owner
    CHECK (request_id IS NOT NULL OR task_id IS NOT NULL);
CREATE INDEX request_files_task ON request_files (tenant_id, task_id, id)
    WHERE request_id IS NULL;

-- ---------------------------------------------------------------- KPIs

-- A KPI of an employee for a period: a month 'YYYY-MM', a quarter
-- 'YYYY-Qn' or a year 'YYYY' (period_start..period_end: its days, for
-- ordering and filters), with its name, unit, plan and fact (either may be
-- unknown yet). Imported by the exchange (PUT /api/exchange/v1/kpi, upsert
-- by external_id) or entered by an administrator (external_id local-<id>).
CREATE TABLE kpis (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    external_id text NOT NULL CHECK (length(external_id) BETWEEN 1 AND 100),
    employee_id bigint NOT NULL,
    period text NOT NULL CHECK (period ~ '^[0-9]{4}(-(0[1-9]|1[0-2])|-Q[1-4])?$'),
    period_start date GENERATED ALWAYS AS (make_date(
        substr(period, 1, 4)::int,
        CASE WHEN length(period) = 4 THEN 1
             WHEN substr(period, 6, 1) = 'Q' THEN substr(period, 7, 1)::int * 3 - 2
             ELSE substr(period, 6, 2)::int END, 1)) STORED,
    period_months smallint GENERATED ALWAYS AS (
        CASE WHEN length(period) = 4 THEN 12
             WHEN substr(period, 6, 1) = 'Q' THEN 3 ELSE 1 END) STORED,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
    unit text CHECK (length(unit) <= 50),
    plan numeric(15, 2),
    fact numeric(15, 2),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, external_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX kpis_employee ON kpis (tenant_id, employee_id, period_start);
CREATE TRIGGER kpis_external_id BEFORE INSERT ON kpis
    FOR EACH ROW EXECUTE FUNCTION app_local_external_id();
ALTER TABLE kpis ENABLE ROW LEVEL SECURITY;
CREATE POLICY kpis_own ON kpis USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON kpis TO cabinet_app;
