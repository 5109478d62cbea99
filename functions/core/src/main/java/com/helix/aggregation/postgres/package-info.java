/**
 * The PostgreSQL adapters: the aggregate store (the core operation's SQL), the attempt log ({@code
 * job_runs}, {@code day_states}), the advisory-lock lease and the schema migrations. SQL for each
 * table lives in one class, parameterised; configured names are validated identifiers.
 */
package com.helix.aggregation.postgres;
