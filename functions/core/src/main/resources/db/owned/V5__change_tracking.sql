-- Change tracking (SPEC §3, opt-in): a log of the UTC days that writes to the raw table touched,
-- written by statement-level triggers that `helix track-changes enable` puts on the raw table
-- (its owner runs that). With it, late data of any age is re-aggregated by the next run, and a
-- day verified since tracking began and absent from the log is known unchanged without scanning
-- it. The source hash is still stored with every aggregate, so turning tracking off is always
-- safe: runs simply hash again.

-- Append-only: a writer only inserts (it never waits on a reader), and the run that aggregates a
-- day deletes, inside its REPEATABLE READ transaction, only the rows its snapshot sees. A write
-- that commits after that snapshot (during the aggregation, or a transaction begun before
-- midnight and committed after the run) leaves its row, so the day stays dirty for the next run.
CREATE TABLE changed_days (
    day       date        NOT NULL,
    logged_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX changed_days_day_idx ON changed_days (day);

-- Whether tracking is on, on which table, and since when: only a day verified after this moment
-- can be trusted unchanged from the log alone (earlier changes were never logged).
CREATE TABLE change_tracking (
    singleton  boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    raw_table  text        NOT NULL,
    enabled_at timestamptz NOT NULL
);

-- The triggers' function. SECURITY DEFINER: the application's writers need no privilege on this
-- schema; search_path is pinned so nothing can be slipped into the definer's statements. Each
-- statement logs each day it touched once (DISTINCT over its transition tables), however many
-- rows it wrote. TRUNCATE has no transition table: it moves the tracking's start, so every day
-- is hashed again before it is trusted.
CREATE FUNCTION log_changed_days() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE ${flyway:defaultSchema}.change_tracking SET enabled_at = now();
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
