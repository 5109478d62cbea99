package com.helix.aggregation.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A function's deployable artifact, unchanged, under the real Lambda Java runtime, without Docker:
 * AWS's Runtime Interface Emulator (what {@code sam local invoke} runs inside its container; built
 * into {@code .tools/bin} by {@code tools/lambda/setup-rie.sh}, which the build runs) starts the
 * runtime interface client the way the managed {@code java21} runtime does, on free loopback ports.
 * It catches what in-process tests cannot: a handler string that does not match, a class missing
 * from the artifact, an event the runtime's serializer reads differently.
 *
 * <p>As on Lambda: the artifact (a shaded jar or a zip, or a directory laid out like one: classes
 * at the root, dependencies in {@code lib/}) is unpacked into a task root that is the runtime's
 * working directory and {@code LAMBDA_TASK_ROOT} (the client loads customer code from its working
 * directory and {@code lib/*.jar} there); the runtime's JVM has the managed runtime's options and
 * only the runtime interface client and its own dependencies on its class path, never the test
 * class path; the environment is only what Lambda sets (UTC, region, function name, memory size,
 * credentials, ...) plus the given one. The emulator initialises the function on the first
 * invocation: that one is the cold start.
 *
 * <p>Not as on Lambda: the JVM is the test JVM's (Lambda runs Corretto 21), the architecture this
 * machine's, there is no sandbox (read-only task root, {@code /tmp} limit, memory cap), the
 * emulator's invocation timeout also counts the initialisation of a cold start, and it answers a
 * failed invocation with status 200 and the error document but without Lambda's {@code
 * X-Amz-Function-Error} header (its response writer drops headers), so {@link
 * LambdaInvocation#failed()} is read from the emulator's log.
 */
public final class LambdaEmulator implements AutoCloseable {
  private static final String RUNTIME_MAIN =
      "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

  /**
   * One class of each jar the managed runtime puts on the class path: the runtime interface client
   * and the dependencies it declares. They come from the test class path (the client is a test
   * dependency, never part of a function artifact), so utils-lite is at the AWS SDK's version.
   */
  private static final List<String> RUNTIME_CLASSES =
      List.of(
          RUNTIME_MAIN,
          "com.amazonaws.services.lambda.runtime.Context",
          "com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
          "software.amazon.awssdk.utilslite.SdkInternalThreadLocal");

  private static final String LOOPBACK = "127.0.0.1";
  private static final String INVOCATIONS_PATH = "/2015-03-31/functions/function/invocations";

  private final Path workDirectory;
  private final Path taskRoot;
  private final Path logFile;
  private final Process emulator;
  private final Thread shutdownHook;
  private final URI invocations;
  private final Duration invocationTimeout;
  private final HttpClient http = HttpClient.newHttpClient();

  private LambdaEmulator(Builder builder) {
    Path emulatorBinary = root().resolve(".tools/bin/aws-lambda-rie");
    if (!Files.isExecutable(emulatorBinary)) {
      throw new IllegalStateException(
          "the Lambda runtime interface emulator is not installed in "
              + emulatorBinary.getParent()
              + ": run tools/lambda/setup-rie.sh (the Maven build does)");
    }
    int emulatorPort = freeLoopbackPort();
    int runtimeApiPort = freeLoopbackPort();
    try {
      workDirectory = Files.createTempDirectory("lambda-emulator-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      taskRoot = Files.createDirectory(workDirectory.resolve("task"));
      unpack(builder.artifact, taskRoot);
      refuseBundledRuntime(builder.artifact, taskRoot);
      Path runtimeLib = Files.createDirectories(workDirectory.resolve("runtime/lib"));
      List<String> classPath = new ArrayList<>();
      for (Path jar : runtimeJars()) {
        // Like /var/runtime/lib: the runtime's own jars, apart from the function's.
        classPath.add(
            Files.createSymbolicLink(runtimeLib.resolve(jar.getFileName()), jar).toString());
      }
      logFile = workDirectory.resolve("emulator.log");

      List<String> command = new ArrayList<>();
      command.add(emulatorBinary.toString());
      // Debug logs the runtime's calls to the Runtime API, its /error calls included: see failed().
      command.addAll(List.of("--log-level", "debug"));
      command.addAll(
          List.of("--runtime-interface-emulator-address", LOOPBACK + ":" + emulatorPort));
      // Its default Runtime API address is the fixed 127.0.0.1:9001: two emulators would collide.
      command.addAll(List.of("--runtime-api-address", LOOPBACK + ":" + runtimeApiPort));
      // The emulator scans every argument for its own options and passes the rest on in order;
      // none of the JVM's options below is one of its own. The last argument is the handler.
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.addAll(managedRuntimeJvmOptions(builder.memoryMb));
      command.addAll(List.of("-classpath", String.join(":", classPath), RUNTIME_MAIN));
      command.add(builder.handler);

      ProcessBuilder process =
          new ProcessBuilder(command)
              .directory(taskRoot.toFile())
              .redirectErrorStream(true)
              .redirectOutput(logFile.toFile());
      // The emulator hands its whole environment to the function: only Lambda's, nothing of ours.
      process.environment().clear();
      process.environment().putAll(lambdaEnvironment(builder, runtimeLib.getParent()));
      emulator = process.start();
    } catch (IOException | RuntimeException e) {
      deleteRecursively(workDirectory);
      throw e instanceof IOException io
          ? new UncheckedIOException("cannot start the Lambda runtime interface emulator", io)
          : (RuntimeException) e;
    }
    shutdownHook = new Thread(this::stop);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    invocations = URI.create("http://" + LOOPBACK + ":" + emulatorPort + INVOCATIONS_PATH);
    invocationTimeout = Duration.ofSeconds(builder.timeoutSeconds + 60L);
    try {
      awaitListening(List.of(emulatorPort, runtimeApiPort), Duration.ofSeconds(30));
    } catch (IllegalStateException e) {
      close();
      throw e;
    }
  }

  /** An emulator for this artifact and handler string (the template's {@code Handler}). */
  public static Builder builder(Path artifact, String handler) {
    return new Builder(artifact, handler);
  }

  /** Starts the artifact under the emulator with the template's defaults and this environment. */
  public static LambdaEmulator start(
      Path artifact, String handler, Map<String, String> environment) {
    return builder(artifact, handler).environment(environment).start();
  }

  /**
   * Invokes the function synchronously (as {@code RequestResponse}) with this event and waits for
   * its answer; the first invocation also initialises it.
   */
  public synchronized LambdaInvocation invoke(String eventJson) {
    String requestId = UUID.randomUUID().toString();
    HttpRequest request =
        HttpRequest.newBuilder(invocations)
            .timeout(invocationTimeout)
            .header("Content-Type", "application/json")
            .header("X-Amzn-RequestId", requestId)
            .POST(HttpRequest.BodyPublishers.ofString(eventJson, StandardCharsets.UTF_8))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("invocation " + requestId + " failed\n" + log(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    String report = "REPORT RequestId: " + requestId;
    String log = log();
    // The emulator prints the REPORT line before it answers; this only guards against a late flush.
    Instant deadline = Instant.now().plusSeconds(5);
    while (response.statusCode() == 200
        && !log.contains(report)
        && Instant.now().isBefore(deadline)) {
      pause(Duration.ofMillis(20));
      log = log();
    }
    int start = log.indexOf(requestId);
    String excerpt = start < 0 ? "" : log.substring(log.lastIndexOf('\n', start) + 1);
    return LambdaInvocation.fromEmulator(
        requestId, response.statusCode(), response.body(), excerpt);
  }

  /**
   * Everything the emulator and the function wrote so far: the emulator's platform lines and
   * START/END/REPORT lines, and the function's own output and logs.
   */
  public String log() {
    try {
      return Files.readString(logFile, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The unpacked artifact, as the function sees it in {@code LAMBDA_TASK_ROOT}. */
  public Path taskRoot() {
    return taskRoot;
  }

  /** Stops the emulator and the runtime and removes the task root. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException jvmShuttingDown) {
      // the hook runs anyway
    }
    deleteRecursively(workDirectory);
  }

  private synchronized void stop() {
    List<ProcessHandle> runtime = emulator.descendants().toList();
    emulator.destroy(); // the emulator stops the runtime on SIGTERM
    try {
      if (!emulator.waitFor(10, TimeUnit.SECONDS)) {
        emulator.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    runtime.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** The managed runtime's JVM options, as its launcher passes them (minus its CDS archive). */
  private static List<String> managedRuntimeJvmOptions(int memoryMb) {
    return List.of(
        // 85 % of the function's memory, as the launcher computes it (445645k at 512 MB).
        "-XX:MaxHeapSize=" + (memoryMb * 1024L * 85 + 99) / 100 + "k",
        "-XX:+UseSerialGC",
        "-XX:+TieredCompilation",
        "-XX:TieredStopAtLevel=1",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "-Dorg.crac.Core.Compat=com.amazonaws.services.lambda.crac",
        "-XX:+ErrorFileToStderr");
  }

  /**
   * What the managed runtime's environment holds (the emulator adds the Runtime API address, {@code
   * _HANDLER} and the function version), then the given environment.
   */
  private Map<String, String> lambdaEnvironment(Builder builder, Path runtimeDirectory) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put(
        "PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/local/bin:/usr/bin:/bin");
    env.put("LANG", "en_US.UTF-8");
    env.put("TZ", ":UTC");
    env.put("LAMBDA_TASK_ROOT", taskRoot.toString());
    env.put("LAMBDA_RUNTIME_DIR", runtimeDirectory.toString());
    env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
    env.put("AWS_LAMBDA_FUNCTION_NAME", builder.functionName);
    env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", Integer.toString(builder.memoryMb));
    env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
    // Read by the emulator for its invocation timeout; Lambda itself does not set it.
    env.put("AWS_LAMBDA_FUNCTION_TIMEOUT", Integer.toString(builder.timeoutSeconds));
    env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
    env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + builder.functionName);
    env.put(
        "AWS_LAMBDA_LOG_STREAM_NAME",
        LocalDate.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy/MM/dd"))
            + "/[$LATEST]"
            + UUID.randomUUID().toString().replace("-", ""));
    env.put("AWS_REGION", "us-east-1");
    env.put("AWS_DEFAULT_REGION", "us-east-1");
    // The execution role's temporary credentials; dummies unless the environment gives others.
    env.put("AWS_ACCESS_KEY_ID", "testing");
    env.put("AWS_SECRET_ACCESS_KEY", "testing");
    env.put("AWS_SESSION_TOKEN", "testing");
    env.putAll(builder.environment);
    return env;
  }

  private static List<Path> runtimeJars() {
    List<Path> jars = new ArrayList<>();
    for (String className : RUNTIME_CLASSES) {
      try {
        Class<?> type = Class.forName(className, false, LambdaEmulator.class.getClassLoader());
        jars.add(Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI()));
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(
            className
                + " is not on the test class path: add"
                + " com.amazonaws:aws-lambda-java-runtime-interface-client as a test dependency",
            e);
      } catch (URISyntaxException e) {
        throw new IllegalStateException(e);
      }
    }
    return jars;
  }

  /** Lambda unzips the deployment package into the task root; a directory is copied as it is. */
  private static void unpack(Path artifact, Path taskRoot) throws IOException {
    if (Files.isDirectory(artifact)) {
      try (Stream<Path> files = Files.walk(artifact)) {
        for (Path source : (Iterable<Path>) files::iterator) {
          Path target = taskRoot.resolve(artifact.relativize(source).toString());
          if (Files.isDirectory(source)) {
            Files.createDirectories(target);
          } else {
            Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
      return;
    }
    try (ZipFile zip = new ZipFile(artifact.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        Path target = taskRoot.resolve(entry.getName()).normalize();
        if (!target.startsWith(taskRoot)) {
          throw new IOException(artifact + " has an entry outside its root: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          Files.createDirectories(target.getParent());
          try (InputStream in = zip.getInputStream(entry)) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }
  }

  /**
   * The managed runtime brings its own runtime interface client and loads it first; a copy in the
   * artifact is dead weight at best, so the build must keep it out (it is a test dependency).
   */
  private static void refuseBundledRuntime(Path artifact, Path taskRoot) throws IOException {
    String entry = RUNTIME_MAIN.replace('.', '/') + ".class";
    boolean bundled = Files.exists(taskRoot.resolve(entry));
    Path lib = taskRoot.resolve("lib");
    if (!bundled && Files.isDirectory(lib)) {
      try (Stream<Path> jars = Files.list(lib)) {
        for (Path jar :
            (Iterable<Path>) jars.filter(p -> p.toString().endsWith(".jar"))::iterator) {
          try (ZipFile zip = new ZipFile(jar.toFile())) {
            bundled |= zip.getEntry(entry) != null;
          }
        }
      }
    }
    if (bundled) {
      throw new IllegalArgumentException(
          artifact + " contains the Lambda runtime interface client, which the runtime provides");
    }
  }

  /** Waits until the emulator and its Runtime API listen; fails with its log if it exits. */
  private void awaitListening(List<Integer> ports, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    for (int port : ports) {
      while (!listening(port)) {
        if (!emulator.isAlive()) {
          throw new IllegalStateException(
              "the Lambda runtime interface emulator exited with "
                  + emulator.exitValue()
                  + ":\n"
                  + log());
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException(
              "the Lambda runtime interface emulator did not listen on port "
                  + port
                  + " within "
                  + timeout
                  + ":\n"
                  + log());
        }
        pause(Duration.ofMillis(50));
      }
    }
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(LOOPBACK, port), 200);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private static int freeLoopbackPort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Path root() {
    return Path.of(System.getProperty("helix.root", "../.."));
  }

  private static void deleteRecursively(Path directory) {
    try {
      Files.walkFileTree(
          directory,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + directory, e);
    }
  }

  /** What to run and how Lambda would configure it; defaults are the template's globals. */
  public static final class Builder {
    private final Path artifact;
    private final String handler;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private String functionName;
    private int memoryMb = 1024;
    private int timeoutSeconds = 900;

    private Builder(Path artifact, String handler) {
      this.artifact = Objects.requireNonNull(artifact);
      this.handler = Objects.requireNonNull(handler);
      String className = handler.split("::")[0];
      this.functionName = className.substring(className.lastIndexOf('.') + 1);
    }

    /** The function's environment variables (the template's, and e.g. moto's endpoint). */
    public Builder environment(Map<String, String> variables) {
      environment.putAll(variables);
      return this;
    }

    public Builder functionName(String name) {
      this.functionName = Objects.requireNonNull(name);
      return this;
    }

    public Builder memoryMb(int memoryMb) {
      this.memoryMb = memoryMb;
      return this;
    }

    public Builder timeoutSeconds(int timeoutSeconds) {
      this.timeoutSeconds = timeoutSeconds;
      return this;
    }

    /** Unpacks the artifact and starts the emulator; the function initialises on first invoke. */
    public LambdaEmulator start() {
      return new LambdaEmulator(this);
    }
  }
}
