-- The triggers' function again (V5, V6), for two things.
--
-- A row whose occurred_at is NULL belongs to no day: no day's aggregation reads it, so no day is
-- logged for it. V5 and V6 logged a NULL day, which changed_days refuses, so on a raw table whose
-- occurred_at allows NULL (nothing requires it not to) the application's own INSERT, UPDATE or
-- DELETE of such a row failed once tracking was on. An UPDATE that moves a row from a day to NULL
-- still logs the day it left.
--
-- The UTC day is taken AT TIME ZONE INTERVAL '0': the same value as AT TIME ZONE 'UTC'
-- (infinities included) without looking the zone's name up for every row, as the record hash
-- does; in psql, the DISTINCT days of 1,000 rows in 0.15 instead of 0.22 ms, about 1 % of a
-- 1,000-row INSERT.
CREATE OR REPLACE FUNCTION log_changed_days() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        UPDATE ${flyway:defaultSchema}.change_tracking SET enabled_at = clock_timestamp();
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO ${flyway:defaultSchema}.changed_days (day)
        SELECT DISTINCT (occurred_at AT TIME ZONE INTERVAL '0')::date FROM new_rows
        WHERE occurred_at IS NOT NULL;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO ${flyway:defaultSchema}.changed_days (day)
        SELECT (occurred_at AT TIME ZONE INTERVAL '0')::date FROM old_rows
        WHERE occurred_at IS NOT NULL
        UNION
        SELECT (occurred_at AT TIME ZONE INTERVAL '0')::date FROM new_rows
        WHERE occurred_at IS NOT NULL;
    ELSE
        INSERT INTO ${flyway:defaultSchema}.changed_days (day)
        SELECT DISTINCT (occurred_at AT TIME ZONE INTERVAL '0')::date FROM old_rows
        WHERE occurred_at IS NOT NULL;
    END IF;
    RETURN NULL;
END
$$;
