package com.helix.aggregation.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Child JVMs running {@link WorkerProcess}, driven line by line over their standard streams. */
public final class WorkerProcesses implements AutoCloseable {
  private final List<Process> processes = new ArrayList<>();
  private final List<Writer> inputs = new ArrayList<>();
  private final List<BufferedReader> outputs = new ArrayList<>();

  /** Starts {@code count} workers with this environment and waits until each is ready. */
  public WorkerProcesses(int count, Map<String, String> environment) {
    try {
      for (int i = 0; i < count; i++) {
        ProcessBuilder builder =
            new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                WorkerProcess.class.getName());
        builder
            .environment()
            .keySet()
            .removeIf(k -> k.startsWith("HELIX_") || k.startsWith("AWS_"));
        builder.environment().putAll(environment);
        builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        Process process = builder.start();
        processes.add(process);
        inputs.add(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        outputs.add(
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)));
      }
      for (int i = 0; i < count; i++) {
        String ready = outputs.get(i).readLine();
        if (!"ready".equals(ready)) {
          throw new IllegalStateException("worker " + i + " did not start: " + ready);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends the same line to every worker, back to back, so they start together. */
  public void sendAll(String line) {
    for (int i = 0; i < inputs.size(); i++) {
      send(i, line);
    }
  }

  public void send(int worker, String line) {
    try {
      inputs.get(worker).write(line + "\n");
      inputs.get(worker).flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next answer of one worker. */
  public String read(int worker) {
    try {
      String line = outputs.get(worker).readLine();
      if (line == null) {
        throw new IllegalStateException("worker " + worker + " ended");
      }
      return line;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Process process(int worker) {
    return processes.get(worker);
  }

  public int size() {
    return processes.size();
  }

  @Override
  public void close() {
    for (Process p : processes) {
      p.destroyForcibly();
    }
  }
}
