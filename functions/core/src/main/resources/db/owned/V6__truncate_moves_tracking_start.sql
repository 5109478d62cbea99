-- A TRUNCATE of the raw table logs no day (it has no transition table); it moves the tracking's
-- start so that every day is hashed again before it is trusted. V5 moved it to now(), the start
-- of the truncating transaction: a day aggregated and verified while that transaction was still
-- open (begun at 10:00, the run at 10:05, the TRUNCATE at 10:10) kept a start before its
-- aggregation and stayed trusted with figures of rows that no longer exist. The moment of the
-- TRUNCATE itself (clock_timestamp()) is later than any aggregation whose snapshot saw the rows:
-- TRUNCATE's lock waits for every reader of the table, and blocks every later one until commit.
-- (V5's comments say "verified after"; a day is now trusted from the log when it was aggregated,
-- computed_at, after the start: a later verification compares totals only.)
CREATE OR REPLACE FUNCTION log_changed_days() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE ${flyway:defaultSchema}.change_tracking SET enabled_at = clock_timestamp();
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ${flyway:defaultSchema}.changed_days (day)
        SELECT DISTINCT (occurred_at AT TIME ZONE 'UTC')::date FROM new_rows;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO ${flyway:defaultSchema}.changed_days (day)
        SELECT (occurred_at AT TIME ZONE 'UTC')::date FROM old_rows
        UNION
        SELECT (occurred_at AT TIME ZONE 'UTC')::date FROM new_rows;
    ELSE
        INSERT INTO ${flyway:defaultSchema}.changed_days (day)
        SELECT DISTINCT (occurred_at AT TIME ZONE 'UTC')::date FROM old_rows;
    END IF;
    RETURN NULL;
END
$$;
