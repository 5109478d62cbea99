-- Failure semantics (SPEC §4, §6): bookkeeping that is written once however often it is retried,
-- attempts that end without charging their day, and the deployment's one lease store.

-- Each attempt's own key: its job run is inserted once even when an insert is retried after a
-- commit whose acknowledgement was lost. Older rows have none.
ALTER TABLE job_runs ADD COLUMN attempt_key text;
CREATE UNIQUE INDEX job_runs_attempt_key_idx ON job_runs (attempt_key);

-- Whether a failed attempt counted towards its day's permanent failure: false for errors of the
-- environment (database or lease store unreachable, a wrong raw table, a missing privilege).
ALTER TABLE job_runs ADD COLUMN counts_against_day boolean;

-- 'interrupted': the run was asked to stop (SIGTERM, Ctrl-C, shutdown) during the attempt.
ALTER TABLE job_runs DROP CONSTRAINT job_runs_outcome_check;
ALTER TABLE job_runs ADD CONSTRAINT job_runs_outcome_check
    CHECK (outcome IN ('running', 'aggregated', 'unchanged', 'skipped-locked', 'fenced',
                       'failed', 'permanently-failed', 'interrupted'));

-- Finding the running attempts of a day (abandoned ones are closed by the next holder).
CREATE INDEX job_runs_running_idx ON job_runs (job, day) WHERE outcome = 'running';

-- The lease store of this deployment, recorded when it is first chosen. Advisory locks and a
-- DynamoDB table do not exclude each other: every run must use the same one.
CREATE TABLE lease_store (
    singleton boolean     PRIMARY KEY DEFAULT true CHECK (singleton),
    kind      text        NOT NULL CHECK (kind IN ('postgres', 'dynamodb')),
    location  text        NOT NULL,  -- the owned schema, or the DynamoDB table name
    chosen_at timestamptz NOT NULL DEFAULT now()
);
