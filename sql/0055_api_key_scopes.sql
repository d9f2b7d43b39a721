-- 0055_api_key_scopes: what an API key of the exchange may do (README
-- "Security", core/access.h). Each exchange operation's row names the scope
-- it needs: staff (organizations, departments, positions, employees, the
-- personal file), payroll (opening balances, accruals), requests (the
-- requests feed and their states), kpi (KPIs). A new key gets the scopes
-- the administrator chose; the keys made before keep all of them, so no
-- accounting system stops exchanging.
ALTER TABLE api_keys ADD COLUMN scopes text[] NOT NULL
    DEFAULT '{staff,payroll,requests,kpi}'
    CHECK (cardinality(scopes) BETWEEN 1 AND 4 AND scopes <@ '{staff,payroll,requests,kpi}');
