-- The raw usage table, for the demo, tests and benchmarks only. In production it belongs to the
-- Helix application; the aggregator's own migrations never create it.
CREATE TABLE ${rawTable} (
    id            bigint      PRIMARY KEY,
    occurred_at   timestamptz NOT NULL,
    account_id    text        NOT NULL,
    model         text        NOT NULL,
    input_tokens  bigint      NOT NULL,
    output_tokens bigint      NOT NULL,
    cost_usd      numeric     NOT NULL
);
CREATE INDEX ${rawTableIndex} ON ${rawTable} (occurred_at);
