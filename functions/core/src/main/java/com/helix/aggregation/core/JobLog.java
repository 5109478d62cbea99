package com.helix.aggregation.core;

/**
 * Port: the structured job log of SPEC §8, events {@code job_started}, {@code job_completed},
 * {@code job_failed} and {@code job_skipped} with day, trigger, attempt, outcome, duration, token
 * and request id.
 */
public interface JobLog {

  /** A log that writes nothing. */
  JobLog NONE =
      new JobLog() {
        @Override
        public void started(AttemptStart start) {}

        @Override
        public void finished(AttemptReport report) {}
      };

  void started(AttemptStart start);

  void finished(AttemptReport report);
}
