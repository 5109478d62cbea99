-- The read contract for consumers (analytics, dashboards, billing): verified complete days with
-- their freshness, and a read-only role that may read only these.

CREATE VIEW verified_daily_aggregates AS
SELECT day,
       record_count,
       cost_total,
       input_tokens,
       output_tokens,
       revision,
       computed_at,
       verified_at,
       now() - verified_at AS verified_age
FROM daily_aggregates
WHERE verification = 'verified'
  AND complete;

CREATE VIEW verified_daily_breakdown AS
SELECT b.day,
       b.account_id,
       b.model,
       b.record_count,
       b.cost_total,
       b.input_tokens,
       b.output_tokens,
       a.revision
FROM daily_aggregate_breakdown b
JOIN daily_aggregates a ON a.day = b.day
WHERE a.verification = 'verified'
  AND a.complete;

-- One row: how fresh the verified figures are. "Yesterday" is the UTC day before now().
CREATE VIEW aggregation_freshness AS
SELECT max(day)                                                   AS newest_verified_day,
       max(verified_at)                                           AS last_verified_at,
       ((now() AT TIME ZONE 'UTC')::date - 1) - max(day)          AS days_behind_yesterday,
       coalesce(max(day) >= (now() AT TIME ZONE 'UTC')::date - 1, false) AS yesterday_verified
FROM daily_aggregates
WHERE verification = 'verified'
  AND complete;

-- Roles are cluster-wide and several databases may share a cluster: create the role only if
-- absent, and only when the migrating user may; a DBA can create it later (see README). The role
-- name is a Flyway placeholder; empty means no role (the benchmark's throwaway schema).
DO $$
BEGIN
    IF '${readerRole}' <> '' AND NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${readerRole}') THEN
        IF (SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', '${readerRole}');
            EXCEPTION WHEN duplicate_object THEN
                NULL;  -- created concurrently by a migration of another database
            END;
        ELSE
            RAISE WARNING 'role % is missing and % may not create it; ask a DBA to CREATE ROLE % '
                'NOLOGIN and re-run migrate', '${readerRole}', current_user, '${readerRole}';
        END IF;
    END IF;
END
$$;
