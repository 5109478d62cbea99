package com.helix.aggregation.cli;

import picocli.CommandLine.Option;

/** How a command reaches PostgreSQL: {@code HELIX_DATABASE_URL}, or an explicit throwaway one. */
final class DatabaseOptions {
  @Option(
      names = "--embedded",
      description =
          "Run against a throwaway embedded PostgreSQL (migrated, with an empty raw table)"
              + " instead of HELIX_DATABASE_URL; everything is deleted when the command ends.")
  boolean embedded;
}
