-- The queue-driven backfill (SPEC §7): each request and where each of its days stands, so that a
-- request can be followed (--wait) and cancelled (--cancel) from any machine.

CREATE TABLE backfill_requests (
    request_id    text        PRIMARY KEY,
    from_day      date        NOT NULL,
    to_day        date        NOT NULL,
    days          integer     NOT NULL,
    force         boolean     NOT NULL,
    include_today boolean     NOT NULL,
    retry_failed  boolean     NOT NULL,
    source        text        NOT NULL CHECK (source IN ('cli', 'catch-up', 'redrive')),
    submitted_at  timestamptz NOT NULL,
    cancelled_at  timestamptz
);

CREATE TABLE backfill_request_days (
    request_id text        NOT NULL REFERENCES backfill_requests (request_id),
    day        date        NOT NULL,
    status     text        NOT NULL
        CHECK (status IN ('queued', 'aggregated', 'unchanged', 'skipped-locked', 'unverified',
                          'failed', 'permanently-failed', 'cancelled')),
    detail     text,
    updated_at timestamptz NOT NULL,
    PRIMARY KEY (request_id, day)
);
