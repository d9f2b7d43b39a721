-- 0099_single_organization: a tenant with exactly one organization has its
-- departments and employees in it. Those made before the organization
-- existed (on the pages, by the CSV import, through the exchange without an
-- "organization") were left without one; from now on the core puts them in
-- the tenant's only organization when they are saved and when that
-- organization is created (core/exchange.c), and this puts the ones already
-- stored there. An employee whose personnel number is already held in the
-- organization (the exchange refuses that; rows from before it may not) is
-- left as it is, for the administrator to settle.

WITH o AS (
    SELECT tenant_id, min(id) AS id FROM organizations GROUP BY tenant_id HAVING count(*) = 1
)
UPDATE departments d SET organization_id = o.id
  FROM o WHERE d.tenant_id = o.tenant_id AND d.organization_id IS NULL;

WITH o AS (
    SELECT tenant_id, min(id) AS id FROM organizations GROUP BY tenant_id HAVING count(*) = 1
)
UPDATE employees e SET organization_id = o.id
  FROM o WHERE e.tenant_id = o.tenant_id AND e.organization_id IS NULL
   AND NOT EXISTS (SELECT 1 FROM employees x WHERE x.tenant_id = e.tenant_id
                      AND x.organization_id = o.id AND x.personnel_number = e.personnel_number
                      AND x.personnel_number IS NOT NULL);
