package com.helix.aggregation;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** Keeps the layering of STYLE.md honest: the core knows no cloud and no database. */
@AnalyzeClasses(
    packages = "com.helix.aggregation",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule coreKnowsNoCloud =
      noClasses()
          .that()
          .resideInAPackage("..aggregation.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("software.amazon..", "com.amazonaws..");

  @ArchTest
  static final ArchRule coreKnowsNoDatabaseOrAdapters =
      noClasses()
          .that()
          .resideInAPackage("..aggregation.core..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "java.sql..",
              "org.postgresql..",
              "org.flywaydb..",
              "com.fasterxml..",
              "..aggregation.postgres..",
              "..aggregation.dynamodb..",
              "..aggregation.emf..",
              "..aggregation.log..",
              "..aggregation.config..",
              "..aggregation.wiring..");

  @ArchTest
  static final ArchRule adaptersDoNotDependOnEachOther =
      noClasses()
          .that()
          .resideInAnyPackage(
              "..aggregation.postgres..", "..aggregation.emf..", "..aggregation.log..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage("..aggregation.dynamodb..", "..aggregation.wiring..");
}
