package com.helix.aggregation.cli;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.helix.aggregation.wiring.LocalLambdaContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code helix invoke FUNCTION --event FILE}: runs a function's real handler in this process, as
 * {@code sam local invoke} does without Docker. The event is read as the Lambda Java runtime reads
 * it (its own serializer: AWS event types by their event serializers, anything else as a POJO,
 * stream handlers get the bytes), the context's remaining time follows {@code --timeout}, and the
 * response is printed. The handler reads its configuration from this process's environment.
 */
@Command(
    name = "invoke",
    mixinStandardHelpOptions = true,
    description =
        "Run a function's handler in this process on an event file, as the Lambda Java runtime"
            + " would, and print its response (exit 1 when the function fails).")
final class InvokeCommand implements Callable<Integer> {
  private static final ObjectWriter PRETTY = new ObjectMapper().writerWithDefaultPrettyPrinter();

  @ParentCommand HelixCommand cli;

  @Parameters(
      index = "0",
      paramLabel = "FUNCTION",
      description = "scheduled-aggregator, backfill-worker or slack-notifier")
  String function;

  @Option(
      names = "--event",
      required = true,
      paramLabel = "FILE",
      description = "The event, as JSON (e.g. events/backfill-worker/one-day.json).")
  Path event;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "The context's time budget (default: the function's timeout).")
  Integer timeoutSeconds;

  @Override
  public Integer call() throws Exception {
    LambdaFunctions target =
        LambdaFunctions.named(function)
            .orElseThrow(
                () ->
                    new UsageException(
                        "unknown function '"
                            + function
                            + "' (known: "
                            + LambdaFunctions.names()
                            + ")"));
    if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > 900)) {
      throw new UsageException(
          "--timeout must be between 1 and 900 seconds, got " + timeoutSeconds);
    }
    if (!Files.isRegularFile(event)) {
      throw new UsageException("event file " + event + " does not exist");
    }
    byte[] json = asScheduledNow(Files.readAllBytes(event));
    // the event is read before the handler is built: a bad file is bad usage, whatever the setup
    Object input =
        RequestStreamHandler.class.isAssignableFrom(target.handlerClass())
            ? json
            : read(json, inputType(target.handlerClass()));
    // The function's logs (its JSON job log, EMF lines) go to standard error, as `sam local
    // invoke` shows them; standard output carries only the response.
    PrintStream stdout = System.out;
    System.setOut(System.err);
    try {
      return invokeAndPrint(target, input);
    } finally {
      System.setOut(stdout);
    }
  }

  private int invokeAndPrint(LambdaFunctions target, Object input) throws IOException {
    Object handler = target.newHandler();
    LocalLambdaContext context =
        new LocalLambdaContext(
            "helix-" + target.functionName(),
            Duration.ofSeconds(timeoutSeconds != null ? timeoutSeconds : target.timeoutSeconds()),
            cli.clock,
            System.err);
    String response;
    try {
      response = invoke(handler, input, context);
    } catch (RuntimeException e) {
      throw new FunctionFailedException(target.functionName(), e);
    }
    cli.out.println(response);
    return CliErrors.OK;
  }

  private static String invoke(Object handler, Object input, LocalLambdaContext context)
      throws IOException {
    if (handler instanceof RequestStreamHandler stream) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      stream.handleRequest(new ByteArrayInputStream((byte[]) input), out, context);
      try {
        return PRETTY.writeValueAsString(new ObjectMapper().readTree(out.toByteArray()));
      } catch (IOException notJson) {
        return out.toString(StandardCharsets.UTF_8);
      }
    }
    @SuppressWarnings("unchecked")
    RequestHandler<Object, Object> typed = (RequestHandler<Object, Object>) handler;
    Object output = typed.handleRequest(input, context);
    return PRETTY.writeValueAsString(output);
  }

  /**
   * EventBridge Scheduler fills its context attributes into a schedule's input when it delivers it;
   * an event file that holds the template's input unfilled is filled as a delivery now would be, so
   * that {@code events/scheduled-aggregator/daily.json} is never stale.
   */
  private byte[] asScheduledNow(byte[] json) {
    String text = new String(json, StandardCharsets.UTF_8);
    if (!text.contains("<aws.scheduler.")) {
      return json;
    }
    return text.replace(
            "<aws.scheduler.scheduled-time>",
            cli.clock.instant().truncatedTo(ChronoUnit.SECONDS).toString())
        .replace("<aws.scheduler.attempt-number>", "1")
        .replace("<aws.scheduler.execution-id>", UUID.randomUUID().toString().substring(0, 16))
        .replace(
            "<aws.scheduler.schedule-arn>",
            "arn:aws:scheduler:local:000000000000:schedule/default/helix-invoke")
        .getBytes(StandardCharsets.UTF_8);
  }

  /** As the runtime reads it: AWS's event types by their serializers, others as POJOs. */
  private Object read(byte[] json, Class<?> type) {
    try {
      String text = new String(json, StandardCharsets.UTF_8);
      return LambdaEventSerializers.isLambdaSupportedEvent(type.getName())
          ? LambdaEventSerializers.serializerFor(type, getClass().getClassLoader()).fromJson(text)
          : JacksonFactory.getInstance().getSerializer(type).fromJson(text);
    } catch (RuntimeException e) {
      throw new UsageException(
          "event file "
              + event
              + " is not a "
              + type.getSimpleName()
              + ": "
              + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }

  /** The handler's input type, from its handleRequest(I, Context) method. */
  private static Class<?> inputType(Class<?> handler) {
    for (Method method : handler.getMethods()) {
      if (method.getName().equals("handleRequest")
          && method.getParameterCount() == 2
          && !method.isBridge()) {
        return method.getParameterTypes()[0];
      }
    }
    throw new IllegalStateException(handler + " has no handleRequest(input, context)");
  }

  /** The function itself failed: exit 1 with its error, as Lambda would report it. */
  static final class FunctionFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FunctionFailedException(String function, RuntimeException cause) {
      super(
          "the function "
              + function
              + " failed: "
              + cause.getClass().getSimpleName()
              + ": "
              + cause.getMessage(),
          cause);
    }
  }
}
