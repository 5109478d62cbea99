-- Owned objects of helix-aggregation (SPEC §1). Flyway runs this in the configured schema
-- (HELIX_SCHEMA, default helix_aggregation). The names of tables, columns and views here are a
-- contract other teams query: add columns freely, never rename.

-- One verified aggregate per UTC day.
CREATE TABLE daily_aggregates (
    day           date        PRIMARY KEY,
    record_count  bigint      NOT NULL,
    cost_total    numeric     NOT NULL,  -- exact: no float anywhere on the money path
    input_tokens  bigint      NOT NULL,
    output_tokens bigint      NOT NULL,
    source_hash   text        NOT NULL,
    complete      boolean     NOT NULL,  -- false when computed before the day had ended
    verification  text        NOT NULL CHECK (verification IN ('verified', 'unverified')),
    lease_token   bigint,                -- the writer's lease token, for audit
    revision      integer     NOT NULL CHECK (revision >= 1),
    computed_at   timestamptz NOT NULL,
    verified_at   timestamptz
);

-- Per (account, model) breakdown of a day; sums to the header (checked by verification).
-- Raw account_id / model may be NULL: NULLS NOT DISTINCT keeps one group for them.
CREATE TABLE daily_aggregate_breakdown (
    day           date    NOT NULL REFERENCES daily_aggregates (day),
    account_id    text,
    model         text,
    record_count  bigint  NOT NULL,
    cost_total    numeric NOT NULL,
    input_tokens  bigint  NOT NULL,
    output_tokens bigint  NOT NULL,
    CONSTRAINT daily_aggregate_breakdown_key UNIQUE NULLS NOT DISTINCT (day, account_id, model)
);

-- The previous content of every replaced day: a billed figure is never lost.
CREATE TABLE daily_aggregate_history (
    day           date        NOT NULL,
    revision      integer     NOT NULL,
    record_count  bigint      NOT NULL,
    cost_total    numeric     NOT NULL,
    input_tokens  bigint      NOT NULL,
    output_tokens bigint      NOT NULL,
    source_hash   text        NOT NULL,
    complete      boolean     NOT NULL,
    verification  text        NOT NULL,
    lease_token   bigint,
    computed_at   timestamptz NOT NULL,
    verified_at   timestamptz,
    replaced_at   timestamptz NOT NULL,
    reason        text        NOT NULL CHECK (reason IN ('changed', 'unverified', 'partial', 'forced')),
    PRIMARY KEY (day, revision)
);

-- The breakdown that belonged to each history row (billing is per account).
CREATE TABLE daily_aggregate_breakdown_history (
    day           date    NOT NULL,
    revision      integer NOT NULL,
    account_id    text,
    model         text,
    record_count  bigint  NOT NULL,
    cost_total    numeric NOT NULL,
    input_tokens  bigint  NOT NULL,
    output_tokens bigint  NOT NULL,
    FOREIGN KEY (day, revision) REFERENCES daily_aggregate_history (day, revision),
    CONSTRAINT daily_aggregate_breakdown_history_key
        UNIQUE NULLS NOT DISTINCT (day, revision, account_id, model)
);

-- One row per attempt (SPEC §1), pruned after a retention period.
CREATE TABLE job_runs (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    job           text        NOT NULL,
    day           date        NOT NULL,
    trigger       text        NOT NULL
        CHECK (trigger IN ('schedule', 'retry', 'catch-up', 'backfill', 'manual')),
    outcome       text        NOT NULL
        CHECK (outcome IN ('running', 'aggregated', 'unchanged', 'skipped-locked', 'fenced',
                           'failed', 'permanently-failed')),
    attempt       integer     NOT NULL,
    started_at    timestamptz NOT NULL,
    finished_at   timestamptz,
    duration_ms   bigint,
    lease_token   bigint,
    source_hash   text,
    record_count  bigint,
    error_class   text,
    error_message text,
    request_id    text,
    revision      integer,
    verification  text
);
CREATE INDEX job_runs_day_idx ON job_runs (day, started_at);
CREATE INDEX job_runs_started_at_idx ON job_runs (started_at);  -- retention pruning

-- Retry state of each day: consecutive failures, last error, next attempt, last success.
CREATE TABLE day_states (
    day                   date        PRIMARY KEY,
    consecutive_failures  integer     NOT NULL DEFAULT 0,
    last_error_class      text,
    last_error            text,
    last_failure_at       timestamptz,
    next_attempt_at       timestamptz,
    permanently_failed_at timestamptz,
    last_success_at       timestamptz
);

-- Tokens of the PostgreSQL lease (local and non-AWS mode); they only grow.
CREATE SEQUENCE lease_tokens;
