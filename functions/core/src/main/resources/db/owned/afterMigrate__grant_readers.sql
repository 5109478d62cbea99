-- Runs after every migrate (Flyway callback), so a reader role created later by a DBA gets its
-- grants on the next `helix migrate`. Grants are idempotent.
DO $$
BEGIN
    IF '${readerRole}' <> '' AND EXISTS (SELECT FROM pg_roles WHERE rolname = '${readerRole}') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', current_schema(), '${readerRole}');
        EXECUTE format('GRANT SELECT ON %I.verified_daily_aggregates, %I.verified_daily_breakdown, '
                       '%I.aggregation_freshness, %I.daily_aggregate_history, '
                       '%I.daily_aggregate_breakdown_history TO %I',
                       current_schema(), current_schema(), current_schema(), current_schema(),
                       current_schema(), '${readerRole}');
    END IF;
END
$$;
