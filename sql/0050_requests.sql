-- 0050_requests: employees' requests routed by role to performers and to
-- their managers for approval (issue 12; seed 000 "Адресация заявок"):
-- routing roles and their performers, approval chains and deadlines per
-- request type, substitutes, the requests with their tasks, history and
-- files, and the queue of notifications. core/requests.h and
-- core/routing.h describe the rules; this file the storage.

-- ------------------------------------------------------------- routing

-- The performers of each routing role (seed 000: "Роли и исполнители
-- задач"); position keeps the administrator's order; assigned_at: when the
-- performer last got a task of the role (new tasks go round). A role without
-- performers sends its requests to the coordinator, and without a
-- coordinator to the administrator who connected the service.
CREATE TABLE routing_performers (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    role text NOT NULL CHECK (role IN ('coordinator', 'vacation', 'personal_data',
                                       'tax_deduction', 'absence', 'certificate_ndfl',
                                       'certificate_vacation_balance',
                                       'certificate_employment')),
    employee_id bigint NOT NULL,
    position smallint NOT NULL DEFAULT 0,
    assigned_at timestamptz,
    PRIMARY KEY (tenant_id, role, employee_id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX routing_performers_employee ON routing_performers (tenant_id, employee_id);
ALTER TABLE routing_performers ENABLE ROW LEVEL SECURITY;
CREATE POLICY routing_performers_own ON routing_performers
    USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON routing_performers TO cabinet_app;

-- Per request type: the approval chain (NULL: the type's default, see
-- core/routing.h; each step 'manager' or 'role:<role>', the last one
-- executes) and the deadline of each task in working days (NULL: none).
CREATE TABLE routing_types (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    type text NOT NULL,
    chain text[] CHECK (chain IS NULL OR cardinality(chain) BETWEEN 1 AND 10),
    deadline_days smallint CHECK (deadline_days BETWEEN 1 AND 250),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, type)
);
ALTER TABLE routing_types ENABLE ROW LEVEL SECURITY;
CREATE POLICY routing_types_own ON routing_types USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON routing_types TO cabinet_app;

-- Substitutes: while employee_id is away (these dates, or a vacation or
-- sick leave of theirs in the timesheet) their tasks go to substitute_id.
CREATE TABLE substitutes (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    employee_id bigint NOT NULL,
    substitute_id bigint NOT NULL,
    date_from date NOT NULL,
    date_to date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by bigint,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    FOREIGN KEY (tenant_id, substitute_id) REFERENCES employees (tenant_id, id),
    CHECK (date_to >= date_from),
    CHECK (substitute_id <> employee_id)
);
CREATE INDEX substitutes_employee ON substitutes (tenant_id, employee_id, date_to);
ALTER TABLE substitutes ENABLE ROW LEVEL SECURITY;
CREATE POLICY substitutes_own ON substitutes USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE, DELETE ON substitutes TO cabinet_app;

-- ------------------------------------------------------------ requests

-- What a personal-data request may change that the employee row did not
-- hold yet: the address and the passport ({"series", "number",
-- "issued_by", "issued_on", "division_code"}).
ALTER TABLE employees ADD COLUMN address text CHECK (length(address) <= 500);
ALTER TABLE employees ADD COLUMN passport jsonb CHECK (jsonb_typeof(passport) = 'object');

-- A request: its type's fields in data (core/requests.h), the period of a
-- vacation, absence or business trip in date_from..date_to, the chain of
-- steps it was submitted with (a later change of the routing leaves running
-- requests alone) and the index of the step it is at. result: what its
-- completion made ({"deviation_id": 7}, ...).
CREATE TABLE requests (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    employee_id bigint NOT NULL,
    type text NOT NULL,
    state text NOT NULL CHECK (state IN ('draft', 'submitted', 'awaiting_approval', 'approved',
                                         'rejected', 'in_progress', 'done', 'cancelled')),
    data jsonb NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(data) = 'object'),
    date_from date,
    date_to date,
    chain text[] NOT NULL DEFAULT '{}',
    step smallint NOT NULL DEFAULT 0,
    approved boolean NOT NULL DEFAULT false,
    reason text CHECK (length(reason) <= 2000),
    result jsonb,
    created_by bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    submitted_at timestamptz,
    updated_at timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id),
    CHECK (date_to IS NULL OR date_from IS NULL OR date_to >= date_from)
);
CREATE INDEX requests_employee ON requests (tenant_id, employee_id, id);
ALTER TABLE requests ENABLE ROW LEVEL SECURITY;
CREATE POLICY requests_own ON requests USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON requests TO cabinet_app;

-- A task: one step of a request for one person. step: approval (every
-- step of the chain but the last), execution (the last), hr_task (an HR
-- task given to the employee). route: the chain's step it came from
-- ('manager', 'role:vacation', 'escalation', ...). on_behalf_of: the
-- person the assignee substitutes for. A forwarded or escalated task is
-- closed as 'forwarded' and next_id is the task that took its place; the
-- tasks of a cancelled request are closed as 'cancelled'. due_at and
-- remind_at: the deadline (working days of the calendar) and half of it;
-- escalated_at: past the deadline with nobody to take it up (not tried
-- again).
CREATE TABLE request_tasks (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    request_id bigint NOT NULL,
    step text NOT NULL CHECK (step IN ('approval', 'execution', 'hr_task')),
    chain_index smallint NOT NULL DEFAULT 0,
    route text NOT NULL CHECK (length(route) <= 100),
    assignee_id bigint NOT NULL,
    on_behalf_of bigint,
    state text NOT NULL DEFAULT 'open'
        CHECK (state IN ('open', 'done', 'forwarded', 'rejected', 'cancelled')),
    created_at timestamptz NOT NULL DEFAULT now(),
    due_at timestamptz,
    remind_at timestamptz,
    reminded_at timestamptz,
    escalated_at timestamptz,
    closed_at timestamptz,
    closed_by bigint,
    comment text CHECK (length(comment) <= 2000),
    next_id bigint,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES requests (tenant_id, id),
    FOREIGN KEY (tenant_id, assignee_id) REFERENCES employees (tenant_id, id),
    FOREIGN KEY (tenant_id, on_behalf_of) REFERENCES employees (tenant_id, id),
    CHECK ((state = 'open') = (closed_at IS NULL))
);
-- a person's task list, open ones first
CREATE INDEX request_tasks_assignee ON request_tasks (tenant_id, assignee_id, state, id DESC);
CREATE INDEX request_tasks_request ON request_tasks (tenant_id, request_id, id);
-- the deadlines job reads across tenants
CREATE INDEX request_tasks_remind ON request_tasks (remind_at)
    WHERE state = 'open' AND reminded_at IS NULL AND remind_at IS NOT NULL;
CREATE INDEX request_tasks_due ON request_tasks (due_at)
    WHERE state = 'open' AND due_at IS NOT NULL AND escalated_at IS NULL;
ALTER TABLE request_tasks ENABLE ROW LEVEL SECURITY;
CREATE POLICY request_tasks_own ON request_tasks USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON request_tasks TO cabinet_app;

-- The history of a request: every step with who, when and the comment.
-- state: the request's state when the step was written. xid: the writing transaction, so the exchange feed
-- (GET /api/exchange/v1/requests) can hand out changes in commit-safe
-- order: it reads only events of transactions older than every one still
-- running, and its cursor is the last (xid, id) read, so nothing committed
-- later with a smaller id is skipped.
CREATE TABLE request_events (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    request_id bigint NOT NULL,
    task_id bigint,
    at timestamptz NOT NULL DEFAULT now(),
    actor_kind text NOT NULL CHECK (actor_kind IN ('user', 'system', 'api_key')),
    actor_user_id bigint,
    actor_employee_id bigint,
    api_key_id bigint,
    action text NOT NULL CHECK (action ~ '^[a-z_]+$'),
    state text NOT NULL,
    comment text CHECK (length(comment) <= 2000),
    details jsonb NOT NULL DEFAULT '{}'::jsonb,
    xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES requests (tenant_id, id)
);
CREATE INDEX request_events_request ON request_events (tenant_id, request_id, id);
CREATE INDEX request_events_feed ON request_events (tenant_id, xid, id);
ALTER TABLE request_events ENABLE ROW LEVEL SECURITY;
CREATE POLICY request_events_own ON request_events USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT ON request_events TO cabinet_app;

-- Files attached to a request (scans of a personal-data change, a
-- performer's result): the content in PostgreSQL, or in the folder of
-- attachments_dir (path relative to it) when one is configured.
CREATE TABLE request_files (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    request_id bigint NOT NULL,
    task_id bigint,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    content_type text NOT NULL,
    size integer NOT NULL CHECK (size > 0),
    sha256 bytea NOT NULL CHECK (length(sha256) = 32),
    content bytea,
    path text,
    uploaded_by bigint,
    employee_id bigint,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, request_id) REFERENCES requests (tenant_id, id),
    CHECK ((content IS NULL) <> (path IS NULL))
);
CREATE INDEX request_files_request ON request_files (tenant_id, request_id, id);
ALTER TABLE request_files ENABLE ROW LEVEL SECURITY;
CREATE POLICY request_files_own ON request_files USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, DELETE ON request_files TO cabinet_app;

-- --------------------------------------------------------- notifications

-- Notifications to people (a new task, a request's new state, a reminder
-- before a deadline, an escalation), queued by notify() (core/notify.h) in
-- the transaction of the change. Delivery (in the page, email or SMS by
-- the person's preference) reads this queue.
CREATE TABLE notifications (
    tenant_id bigint NOT NULL REFERENCES tenants (id),
    id bigint GENERATED ALWAYS AS IDENTITY,
    employee_id bigint NOT NULL,
    kind text NOT NULL CHECK (kind ~ '^[a-z_]+$'),
    request_id bigint,
    task_id bigint,
    text text NOT NULL CHECK (length(text) <= 1000),
    created_at timestamptz NOT NULL DEFAULT now(),
    read_at timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, employee_id) REFERENCES employees (tenant_id, id)
);
CREATE INDEX notifications_employee ON notifications (tenant_id, employee_id, id DESC);
ALTER TABLE notifications ENABLE ROW LEVEL SECURITY;
CREATE POLICY notifications_own ON notifications USING (tenant_id = app_tenant() OR app_system());
GRANT SELECT, INSERT, UPDATE ON notifications TO cabinet_app;

-- A deviation made by a done request names it.
ALTER TABLE deviations ADD COLUMN request_id bigint;
