package com.helix.aggregation.log;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.core.AttemptReport;
import com.helix.aggregation.core.AttemptStart;
import com.helix.aggregation.core.JobLog;
import com.helix.aggregation.core.Outcome;
import java.io.PrintStream;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The structured job log of SPEC §8: one JSON object per line with the event ({@code job_started},
 * {@code job_completed}, {@code job_failed}, {@code job_skipped}), day, trigger, attempt, outcome,
 * duration, lease token and request id. Money is written as a string, exactly.
 */
public final class JsonJobLog implements JobLog {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final PrintStream out;
  private final Clock clock;

  public JsonJobLog(PrintStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  @Override
  public void started(AttemptStart start) {
    Map<String, Object> line = common("INFO", "job_started", start);
    write(line);
  }

  @Override
  public void finished(AttemptReport report) {
    Outcome outcome = report.outcome();
    String event =
        outcome == Outcome.SKIPPED_LOCKED
            ? "job_skipped"
            : outcome.isFailure() ? "job_failed" : "job_completed";
    String level = outcome.isFailure() || report.closedDayChanged() ? "ERROR" : "INFO";
    Map<String, Object> line = common(level, event, report.start());
    line.put("run_id", report.runId());
    line.put("outcome", outcome.value());
    line.put("duration_ms", report.duration().toMillis());
    report
        .aggregate()
        .ifPresent(
            a -> {
              line.put("revision", a.revision());
              line.put("record_count", a.totals().recordCount());
              line.put("cost_total", a.totals().cost().toPlainString());
              line.put("source_hash", a.sourceHash().value());
              line.put("complete", a.complete());
            });
    report
        .verification()
        .ifPresent(
            v -> {
              line.put("verification", v.passed() ? "verified" : "unverified");
              if (!v.passed()) {
                line.put("verification_detail", v.describe());
              }
            });
    report
        .failure()
        .ifPresent(
            f -> {
              line.put("error_class", f.errorClass());
              line.put("error_message", f.message());
              line.put("cause_chain", f.causeChain());
            });
    if (report.closedDayChanged()) {
      line.put("closed_day_changed", true);
    }
    write(line);
  }

  private Map<String, Object> common(String level, String event, AttemptStart start) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("timestamp", clock.instant().toString());
    line.put("level", level);
    line.put("event", event);
    line.put("job", start.job());
    line.put("day", start.day().toString());
    line.put("trigger", start.trigger().value());
    line.put("attempt", start.attempt());
    line.put("lease_token", start.leaseToken());
    line.put("request_id", start.requestId());
    return line;
  }

  private void write(Map<String, Object> line) {
    try {
      out.println(JSON.writeValueAsString(line));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a log line", e);
    }
  }
}
