package com.helix.aggregation.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Cold starts of function artifacts under {@link LambdaEmulator}: each one a new emulator (a new
 * JVM) on fresh state, timed as the emulator reports them (its {@code INIT REPORT} and the first
 * invocation's runtime duration), repeated and summarised as medians and minimums. The variants are
 * measured in turn, run after run, so that a slow spell on a shared machine falls on all of them
 * alike. Performance is reported, never asserted: a test asserts only that each invocation was
 * right.
 */
public final class ColdStarts {
  /**
   * How many cold starts per variant: {@code -Dhelix.coldStarts.runs}; 3 unless set, which keeps
   * the suite's share small (the README's figures are of 7).
   */
  public static int runs() {
    return Integer.getInteger("helix.coldStarts.runs", 3);
  }

  /**
   * One cold start to measure.
   *
   * @param emulator the artifact, handler and environment, not started yet
   * @param firstEvent the event of the cold start
   * @param secondEvent an event for the same environment once warm (the same kind of work), or null
   * @param check what must hold of each invocation (the emulator given for its log)
   */
  public record Scenario(
      LambdaEmulator.Builder emulator,
      String firstEvent,
      String secondEvent,
      BiConsumer<LambdaInvocation, LambdaEmulator> check) {}

  /** A named way to start: a fresh scenario for every cold start. */
  public record Variant(String name, Supplier<Scenario> scenarios) {}

  /** One cold start's durations; the warm invocation is absent when the scenario has none. */
  public record Sample(Duration init, Duration firstInvoke, Optional<Duration> warmInvoke) {
    public Duration firstEvent() {
      return init.plus(firstInvoke);
    }
  }

  /** A variant's samples. */
  public record Result(String name, List<Sample> samples) {
    public Duration median(Function<Sample, Duration> measure) {
      List<Duration> sorted = samples.stream().map(measure).sorted().toList();
      int n = sorted.size();
      return n % 2 == 1
          ? sorted.get(n / 2)
          : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
    }

    public Duration min(Function<Sample, Duration> measure) {
      return samples.stream().map(measure).min(Comparator.naturalOrder()).orElseThrow();
    }

    Optional<Duration> medianWarm() {
      return samples.stream().allMatch(s -> s.warmInvoke().isPresent())
          ? Optional.of(median(s -> s.warmInvoke().orElseThrow()))
          : Optional.empty();
    }
  }

  private ColdStarts() {}

  /**
   * A copy of a function's artifact with these classes added (a probe handler measured on the
   * function's own dependencies); each class must have no nested classes.
   */
  public static Path artifactWith(Path artifact, Path copy, List<Class<?>> classes) {
    return FunctionArtifacts.withClasses(artifact, copy, classes, List.of());
  }

  /** The same, with the classes of these jars (e.g. another HTTP client's) merged in too. */
  public static Path artifactWith(
      Path artifact, Path copy, List<Class<?>> classes, List<Path> jars) {
    return FunctionArtifacts.withClasses(artifact, copy, classes, jars);
  }

  /** Measures every variant {@code runs} times, in turn. */
  public static List<Result> measure(int runs, List<Variant> variants) {
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    variants.forEach(v -> samples.put(v.name(), new ArrayList<>()));
    for (int run = 0; run < runs; run++) {
      for (Variant variant : variants) {
        samples.get(variant.name()).add(once(variant.scenarios().get()));
      }
    }
    List<Result> results = new ArrayList<>();
    samples.forEach((name, list) -> results.add(new Result(name, List.copyOf(list))));
    return results;
  }

  private static Sample once(Scenario scenario) {
    try (LambdaEmulator lambda = scenario.emulator().start()) {
      LambdaInvocation first = lambda.invoke(scenario.firstEvent());
      scenario.check().accept(first, lambda);
      Optional<Duration> warm = Optional.empty();
      if (scenario.secondEvent() != null) {
        LambdaInvocation second = lambda.invoke(scenario.secondEvent());
        scenario.check().accept(second, lambda);
        warm = second.duration();
      }
      return new Sample(
          first.initDuration().orElseThrow(() -> new AssertionError("no init: " + lambda.log())),
          first.duration().orElseThrow(() -> new AssertionError("no duration: " + lambda.log())),
          warm);
    }
  }

  /**
   * The results as a Markdown table: medians (minimums in brackets) in milliseconds, and each
   * variant's median first event (init + first invocation) over the baseline's.
   */
  public static String table(String title, List<Result> results, String baseline) {
    Result base =
        results.stream()
            .filter(r -> r.name().equals(baseline))
            .findFirst()
            .orElseThrow(() -> new IllegalArgumentException("no variant " + baseline));
    StringBuilder out = new StringBuilder();
    out.append("### ").append(title).append("\n\n");
    out.append(
        String.format(
            "%d cold starts per variant under the Runtime Interface Emulator, measured in turn;"
                + " medians (minimums), ms.%n%n",
            results.get(0).samples().size()));
    out.append(
        "| variant | init | first invoke | first event (init + invoke) | warm invoke | first"
            + " event / baseline |\n");
    out.append("|---|---:|---:|---:|---:|---:|\n");
    for (Result r : results) {
      out.append(
          String.format(
              "| %s | %s | %s | %s | %s | %.2f |%n",
              r.name(),
              cell(r, Sample::init),
              cell(r, Sample::firstInvoke),
              cell(r, Sample::firstEvent),
              r.medianWarm().map(d -> Long.toString(d.toMillis())).orElse("–"),
              (double) r.median(Sample::firstEvent).toNanos()
                  / base.median(Sample::firstEvent).toNanos()));
    }
    out.append("\nbaseline: ").append(baseline).append('\n');
    return out.toString();
  }

  /** Prints the table and writes it to {@code target/<file>}. */
  public static void report(String title, List<Result> results, String baseline, String file) {
    String table = table(title, results, baseline);
    System.out.println(table);
    try {
      Files.writeString(Path.of("target", file), table);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String cell(Result r, Function<Sample, Duration> measure) {
    return r.median(measure).toMillis() + " (" + r.min(measure).toMillis() + ")";
  }
}
