package com.helix.aggregation.testing;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.zip.ZipEntry;

/**
 * What a shaded artifact's classes refer to but the artifact does not hold (the JDK aside), read
 * with the JDK's {@code jdeps}: a cut that removed a class still in use shows up here as an
 * unexplained reference, before any invocation could stumble on it. Every reference an artifact
 * leaves dangling on purpose is an {@link Omission} with its reason.
 */
public final class ArtifactClosure {
  /** A class in the artifact that refers to one it does not hold. */
  public record Reference(String from, String to) {
    @Override
    public String toString() {
      return from + " -> " + to;
    }
  }

  /** References from classes under {@code referrer} to classes under {@code missing}, and why. */
  public record Omission(String referrer, String missing, String reason) {
    boolean covers(Reference reference) {
      return reference.from().startsWith(referrer) && reference.to().startsWith(missing);
    }
  }

  /** pgjdbc's Windows SSPI authentication (JNA, Waffle) and its OSGi activator: optional. */
  public static final List<Omission> PGJDBC_OPTIONALS =
      List.of(
          new Omission("org.postgresql.sspi.", "com.sun.jna.", "Windows SSPI auth only"),
          new Omission("org.postgresql.sspi.", "waffle.", "Windows SSPI auth only"),
          new Omission("org.postgresql.osgi.", "org.osgi.", "OSGi containers only"),
          new Omission(
              "org.postgresql.",
              "org.checkerframework.",
              "static-analysis annotations, never loaded to run (checker-qual is left out)"));

  /** The SDK's optional AWS CRT signer and checksums: the functions use the Java ones. */
  public static final Omission SDK_CRT =
      new Omission("software.amazon.awssdk.", "software.amazon.awssdk.crt", "optional AWS CRT");

  /** joda-time's optional annotations for Joda-Convert. */
  public static final Omission JODA_CONVERT =
      new Omission("org.joda.time.", "org.joda.convert.", "optional annotations");

  /** The core's migration runner: the CLI's {@code helix migrate}, never a function. */
  public static final Omission FLYWAY =
      new Omission(
          "com.helix.aggregation.postgres.SchemaMigrations",
          "org.flywaydb.",
          "migrations are the CLI's job; a function never migrates");

  /**
   * The EMF library's retry for the CloudWatch agent's sinks; a function's {@code
   * LambdaEnvironment} writes to standard output (javatuples is left out).
   */
  public static final Omission EMF_AGENT_RETRY =
      new Omission(
          "software.amazon.cloudwatchlogs.emf.sinks.retry.",
          "org.javatuples.",
          "the agent sinks' retry; Lambda's sink is standard output");

  private static final Pattern NOT_FOUND =
      Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+not found\\s*$", Pattern.MULTILINE);

  private ArtifactClosure() {}

  /** Every reference from a class of the artifact to a class that neither it nor the JDK has. */
  public static Set<Reference> missingReferences(Path artifact) {
    ToolProvider jdeps =
        ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new IllegalStateException("jdeps is not in this JDK"));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int status =
        jdeps.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "--multi-release",
            Integer.toString(Runtime.version().feature()),
            // Same-package references too: a filtered-out class next to its user is a cut as well.
            "-filter:none",
            "-verbose:class",
            artifact.toString());
    if (status != 0) {
      throw new IllegalStateException("jdeps failed on " + artifact + ": " + err);
    }
    Set<Reference> missing = new TreeSet<>((a, b) -> a.toString().compareTo(b.toString()));
    Matcher matcher = NOT_FOUND.matcher(out.toString());
    while (matcher.find()) {
      missing.add(new Reference(matcher.group(1), matcher.group(2)));
    }
    return missing;
  }

  /** The missing references that none of the omissions explains. */
  public static List<Reference> unexplained(Path artifact, List<Omission> omissions) {
    List<Reference> unexplained = new ArrayList<>();
    for (Reference reference : missingReferences(artifact)) {
      if (omissions.stream().noneMatch(o -> o.covers(reference))) {
        unexplained.add(reference);
      }
    }
    return unexplained;
  }

  /**
   * What the database functions' shade configurations cut: migrations (only {@code helix migrate}
   * runs them), the EMF library's unused dependencies, the driver's translations, annotations.
   */
  public static final Predicate<String> CUT_FROM_DATABASE_FUNCTIONS =
      e ->
          e.startsWith("org/flywaydb/")
              || e.startsWith("db/")
              || e.startsWith("org/javatuples/")
              || e.startsWith("com/fasterxml/jackson/datatype/jsr310/")
              || e.startsWith("org/checkerframework/")
              || e.startsWith("org/postgresql/translation/");

  /** The names of the files in an artifact. */
  public static List<String> entries(Path artifact) throws IOException {
    try (JarFile jar = new JarFile(artifact.toFile())) {
      return jar.stream().filter(e -> !e.isDirectory()).map(ZipEntry::getName).toList();
    }
  }
}
