package com.helix.aggregation.cli;

import picocli.CommandLine.Option;

/**
 * How a command reaches PostgreSQL: {@code HELIX_DATABASE_URL}, the functions' secret {@code
 * HELIX_DB_SECRET_ARN}, or an explicit throwaway one.
 */
final class DatabaseOptions {
  @Option(
      names = "--embedded",
      description =
          "Run against a throwaway embedded PostgreSQL (migrated, with an empty raw table)"
              + " instead of HELIX_DATABASE_URL or HELIX_DB_SECRET_ARN; everything is deleted"
              + " when the command ends.")
  boolean embedded;
}
