-- 0021_deviation_overlap: the backstop for overlapping whole-day deviation
-- documents of one employee. The core refuses an overlap itself (409 naming
-- both documents, the employee's row locked so two requests take turns);
-- this exclusion constraint catches anything that slips past it.
--
-- btree_gist is a trusted extension (PostgreSQL 13+): the owner of the
-- database may create it without being a superuser. Where it cannot be
-- created (no contrib package, no CREATE right) the migration still
-- succeeds and the core's check is the only one.
DO $$
BEGIN
    BEGIN
        CREATE EXTENSION IF NOT EXISTS btree_gist;
    EXCEPTION WHEN insufficient_privilege OR undefined_file OR feature_not_supported THEN
        RAISE NOTICE 'btree_gist unavailable: overlapping deviations are refused by the core only';
        RETURN;
    END;
    ALTER TABLE deviations ADD CONSTRAINT deviations_no_overlap
        EXCLUDE USING gist (tenant_id WITH =, employee_id WITH =,
                            daterange(date_from, date_to, '[]') WITH &&)
        WHERE (whole_day);
END
$$;
