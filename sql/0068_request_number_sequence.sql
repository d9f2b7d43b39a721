-- 0068_request_number_sequence: a request's number comes from a sequence of
-- its tenant, taken with nextval() in the request's INSERT (issue 12, item
-- 11). Numbers stay unique (requests_number, 0054) and increasing per
-- organization, but may have rare gaps: a creation refused after it drew
-- its number (a vacation overlapping another one, refused at its
-- submission) or lost in a crash leaves one: nextval() is never given back.
--
-- Why gaps are accepted: a gapless number (0054's counter row) is held by
-- each creation until its COMMIT, and the COMMIT waits for its WAL fsync
-- (5-6 ms on the disks measured), so sixteen people filing at once in one
-- organization waited for each other's fsync in turn: the submit p99 of
-- 20 ms at 16 concurrent could not be met (tests/bench/README.md). nextval()
-- never waits on another transaction. No law asks HR requests to be
-- numbered without gaps; people need a number that is theirs and tells the
-- order, and a gap tells nothing wrong.
--
-- The sequences are owned by the migrations' role, one per tenant,
-- `request_number_<tenant id>`, created with the tenant (the trigger below,
-- whichever way a tenant is inserted) and dropped with it. cabinet_app may
-- not create relations (0001) and has no privilege on them: it takes the
-- next number of its own transaction's tenant through request_number_next()
-- only, so one organization cannot draw (nor leave gaps in) another's.
CREATE FUNCTION tenants_request_numbers() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        EXECUTE format('CREATE SEQUENCE public.%I AS bigint MINVALUE 1',
                       'request_number_' || NEW.id);
    ELSE
        EXECUTE format('DROP SEQUENCE IF EXISTS public.%I', 'request_number_' || OLD.id);
    END IF;
    RETURN NULL;
END $$;
REVOKE ALL ON FUNCTION tenants_request_numbers() FROM PUBLIC;

CREATE TRIGGER tenants_request_numbers AFTER INSERT OR DELETE ON tenants
    FOR EACH ROW EXECUTE FUNCTION tenants_request_numbers();

-- The next request number of the transaction's tenant (app_tenant()).
CREATE FUNCTION request_number_next() RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp
AS $$
DECLARE
    t bigint := app_tenant();
BEGIN
    IF t IS NULL THEN
        RAISE EXCEPTION 'request_number_next: no tenant in this transaction'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN nextval(format('public.%I', 'request_number_' || t)::regclass);
END $$;
REVOKE ALL ON FUNCTION request_number_next() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION request_number_next() TO cabinet_app;

-- The tenants of before: each sequence goes on after the largest number
-- its tenant gave (the counter row, or its requests' numbers).
DO $$
DECLARE
    t record;
BEGIN
    FOR t IN SELECT x.id, greatest((SELECT c.last FROM request_numbers c WHERE c.tenant_id = x.id),
                                   (SELECT max(r.number) FROM requests r WHERE r.tenant_id = x.id),
                                   0) + 1 AS next
             FROM tenants x ORDER BY x.id
    LOOP
        EXECUTE format('CREATE SEQUENCE public.%I AS bigint MINVALUE 1 START %s',
                       'request_number_' || t.id, t.next);
    END LOOP;
END $$;

-- What only the late gapless number needed (0054's counter, 0064's
-- deferred check): a request has its number from its INSERT on.
DROP TRIGGER requests_number_given ON requests;
DROP FUNCTION requests_number_given();
ALTER TABLE requests ALTER COLUMN number SET NOT NULL;
DROP TABLE request_numbers;
