-- 0041_exchange_actor: the exchange acts with an API key, not as a user;
-- its audit rows say so (actor_kind 'api_key').
ALTER TABLE audit_log DROP CONSTRAINT audit_log_actor_kind_check,
    ADD CONSTRAINT audit_log_actor_kind_check
        CHECK (actor_kind IN ('user', 'anonymous', 'operator', 'system', 'api_key'));
