-- Runs after every migrate (Flyway callback), so a reader role created later by a DBA gets its
-- grants on the next `helix migrate`. Grants are idempotent.
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'helix_aggregation_reader') THEN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO helix_aggregation_reader', current_schema());
        EXECUTE format('GRANT SELECT ON %I.verified_daily_aggregates, %I.verified_daily_breakdown, '
                       '%I.aggregation_freshness, %I.daily_aggregate_history, '
                       '%I.daily_aggregate_breakdown_history TO helix_aggregation_reader',
                       current_schema(), current_schema(), current_schema(), current_schema(),
                       current_schema());
    END IF;
END
$$;
