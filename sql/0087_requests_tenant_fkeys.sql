-- 0087_requests_tenant_fkeys: a request's writes check each row's tenant
-- once, not twice (issue 12 item 11: the CPU of a submission and an
-- approval, tests/bench/README.md "Requests").
--
-- Every row of requests, request_tasks, request_events and notifications
-- has a foreign key to tenants (tenant_id) beside one to a row of the same
-- tenant: requests (tenant_id, employee_id) and notifications (tenant_id,
-- employee_id) to employees, request_tasks (tenant_id, assignee_id) to
-- employees, request_events (tenant_id, request_id) to requests; those
-- columns are NOT NULL, and the row they point at has its own key to
-- tenants. So the key to tenants says nothing the other one does not: a
-- row cannot name a tenant that does not exist, and a tenant cannot be
-- deleted while its employees (and so these rows) exist.
--
-- Each key is checked at every insert by a query of its own (a trigger's
-- SELECT ... FOR KEY SHARE of the tenant's row): four to six per write,
-- and all concurrent writers of an organization share-lock that one row
-- (a multixact per new locker). audit_log keeps its key (it has no other).
ALTER TABLE requests DROP CONSTRAINT requests_tenant_id_fkey;
ALTER TABLE request_tasks DROP CONSTRAINT request_tasks_tenant_id_fkey;
ALTER TABLE request_events DROP CONSTRAINT request_events_tenant_id_fkey;
ALTER TABLE notifications DROP CONSTRAINT notifications_tenant_id_fkey;
