-- 0064_request_number_late: a new request takes its gapless number (0054)
-- at the end of its creation's transaction, not at its insert. The counter
-- row is held from the number's UPDATE to the COMMIT, and every concurrent
-- creation of the tenant waits on it: taken at the insert, that was the
-- whole transition (the chain, the manager, the task, the history, about a
-- dozen round trips) per creation, one after another (issue 12, Speed:
-- 16 people filing at once waited on each other). The row is inserted
-- without a number and gets it in the transaction's last statements
-- (core/requests.c); a request without a number never commits: the check
-- below runs at the commit.
ALTER TABLE requests ALTER COLUMN number DROP NOT NULL;

CREATE FUNCTION requests_number_given() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM requests WHERE tenant_id = NEW.tenant_id AND id = NEW.id
                                        AND number IS NULL) THEN
        RAISE EXCEPTION 'request % has no number at commit', NEW.id
            USING ERRCODE = 'not_null_violation';
    END IF;
    RETURN NULL;
END $$;

CREATE CONSTRAINT TRIGGER requests_number_given AFTER INSERT OR UPDATE OF number ON requests
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.number IS NULL)
    EXECUTE FUNCTION requests_number_given();
