package com.helix.aggregation.testing;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.cloudwatchlogs.emf.environment.Environment;
import software.amazon.cloudwatchlogs.emf.model.MetricsContext;
import software.amazon.cloudwatchlogs.emf.sinks.ISink;

/**
 * An EMF environment that keeps the lines the library would write to standard output (what
 * CloudWatch turns into metrics), for tests to parse.
 */
public final class CapturedEmf implements Environment {
  private final List<String> lines = new CopyOnWriteArrayList<>();

  /** The EMF lines written so far, each a JSON document. */
  public List<String> lines() {
    return lines;
  }

  @Override
  public boolean probe() {
    return true;
  }

  @Override
  public String getName() {
    return "test";
  }

  @Override
  public String getType() {
    return "AWS::Lambda::Function";
  }

  @Override
  public String getLogGroupName() {
    return "/aws/lambda/test";
  }

  @Override
  public void configureContext(MetricsContext context) {}

  @Override
  public ISink getSink() {
    return new ISink() {
      @Override
      public void accept(MetricsContext context) {
        try {
          lines.addAll(context.serialize());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public CompletableFuture<Void> shutdown() {
        return CompletableFuture.completedFuture(null);
      }
    };
  }
}
