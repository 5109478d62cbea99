package com.helix.aggregation.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * A function as infra/template.yaml declares it (Globals merged, except those the function's {@code
 * IgnoreGlobals} names, as SAM merges them): its handler string, timeout, memory and environment,
 * so that the emulator suite starts an artifact exactly as the template would have Lambda start it.
 * An environment value is the template's literal, or the default of the parameter it refers to
 * ({@code !Ref}); it is null where the value comes from a resource or a parameter without a
 * default, and a test supplies its own.
 */
public record TemplateFunction(
    String logicalId,
    String handler,
    int timeoutSeconds,
    int memoryMb,
    Map<String, String> environment) {

  public static final Path TEMPLATE =
      Path.of(System.getProperty("helix.root", "../.."), "infra", "template.yaml");

  /** The function of that logical id, e.g. {@code BackfillWorkerFunction}. */
  public static TemplateFunction of(String logicalId) {
    JsonNode template = read();
    JsonNode function = template.at("/Resources/" + logicalId + "/Properties");
    JsonNode globals =
        withoutIgnored(
            template.at("/Globals/Function"),
            template.at("/Resources/" + logicalId + "/IgnoreGlobals"));
    if (function.isMissingNode()) {
      throw new IllegalArgumentException("no function " + logicalId + " in " + TEMPLATE);
    }
    JsonNode parameters = template.at("/Parameters");
    JsonNode resources = template.at("/Resources");
    Map<String, String> environment = new TreeMap<>();
    for (JsonNode variables :
        new JsonNode[] {
          globals.at("/Environment/Variables"), function.at("/Environment/Variables")
        }) {
      for (Iterator<Map.Entry<String, JsonNode>> it = variables.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> v = it.next();
        String text = v.getValue().isTextual() ? v.getValue().asText() : null;
        String value = text;
        if (text != null && parameters.has(text)) {
          JsonNode fallback = parameters.get(text).get("Default");
          value = fallback == null ? null : fallback.asText();
        } else if (text == null || resources.has(text)) {
          value = null;
        }
        environment.put(v.getKey(), value);
      }
    }
    return new TemplateFunction(
        logicalId,
        function.get("Handler").asText(),
        (function.has("Timeout") ? function : globals).get("Timeout").asInt(),
        (function.has("MemorySize") ? function : globals).get("MemorySize").asInt(),
        environment);
  }

  /** The globals a resource takes: all but those its IgnoreGlobals names ("*": none). */
  private static JsonNode withoutIgnored(JsonNode globals, JsonNode ignoreGlobals) {
    if (ignoreGlobals.isMissingNode()) {
      return globals;
    }
    ObjectNode taken = globals.deepCopy();
    if (ignoreGlobals.isTextual() && ignoreGlobals.asText().equals("*")) {
      taken.removeAll();
    }
    ignoreGlobals.forEach(name -> taken.remove(name.asText()));
    return taken;
  }

  private static JsonNode read() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(TEMPLATE.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TEMPLATE, e);
    }
  }
}
