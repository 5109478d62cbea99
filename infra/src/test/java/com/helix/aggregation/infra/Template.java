package com.helix.aggregation.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * infra/template.yaml, parsed (CloudFormation short-form tags such as !Ref read as plain values:
 * {@code !Ref X} is the text {@code X}, {@code !GetAtt X.Arn} the text {@code X.Arn}).
 */
final class Template {
  static final Path ROOT = Path.of(System.getProperty("helix.root", ".."));
  static final Path PATH = ROOT.resolve("infra").resolve("template.yaml");

  private final JsonNode root;

  private Template(JsonNode root) {
    this.root = root;
  }

  static JsonNode read() {
    return read(PATH);
  }

  static JsonNode read(Path path) {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(path.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path, e);
    }
  }

  static Template parse() {
    return new Template(read());
  }

  JsonNode root() {
    return root;
  }

  JsonNode resource(String logicalId) {
    return root.at("/Resources/" + logicalId);
  }

  /** Logical ids of the resources of this type, in template order. */
  List<String> resourcesOfType(String type) {
    List<String> ids = new ArrayList<>();
    root.get("Resources")
        .fields()
        .forEachRemaining(
            r -> {
              if (type.equals(r.getValue().path("Type").asText())) {
                ids.add(r.getKey());
              }
            });
    return ids;
  }

  List<String> functions() {
    return resourcesOfType("AWS::Serverless::Function");
  }

  /** Whether the function takes this property from Globals (SAM's IgnoreGlobals). */
  boolean takesGlobal(String function, String property) {
    JsonNode ignored = resource(function).path("IgnoreGlobals");
    if (ignored.isTextual()) {
      return !"*".equals(ignored.asText());
    }
    for (JsonNode name : ignored) {
      if (name.asText().equals(property)) {
        return false;
      }
    }
    return true;
  }

  /** A property of the function, or the global one it takes. */
  JsonNode functionProperty(String function, String property) {
    JsonNode own = resource(function).at("/Properties/" + property);
    if (!own.isMissingNode()) {
      return own;
    }
    return takesGlobal(function, property) ? root.at("/Globals/Function/" + property) : own;
  }

  int timeout(String function) {
    return functionProperty(function, "Timeout").asInt();
  }

  /** The names of the environment variables a function gets: its own and the global ones. */
  TreeSet<String> environment(String function) {
    TreeSet<String> names = new TreeSet<>();
    if (takesGlobal(function, "Environment")) {
      root.at("/Globals/Function/Environment/Variables").fieldNames().forEachRemaining(names::add);
    }
    resource(function)
        .at("/Properties/Environment/Variables")
        .fieldNames()
        .forEachRemaining(names::add);
    return names;
  }

  /** A function's environment variable's template value (a literal, or the name it refers to). */
  String environmentValue(String function, String name) {
    JsonNode own = resource(function).at("/Properties/Environment/Variables/" + name);
    return own.isMissingNode()
        ? root.at("/Globals/Function/Environment/Variables/" + name).asText()
        : own.asText();
  }

  /** Every IAM policy statement of the template, by the resource that holds it. */
  static Map<String, List<JsonNode>> iamStatements(JsonNode template) {
    Map<String, List<JsonNode>> statements = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = template.get("Resources").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> resource = it.next();
      JsonNode properties = resource.getValue().path("Properties");
      List<JsonNode> found = new ArrayList<>();
      switch (resource.getValue().path("Type").asText()) {
        case "AWS::IAM::Role" ->
            properties.path("Policies").forEach(p -> statementsOf(p.path("PolicyDocument"), found));
        case "AWS::IAM::Policy",
            "AWS::IAM::ManagedPolicy",
            "AWS::SQS::QueuePolicy",
            "AWS::SNS::TopicPolicy" ->
            statementsOf(properties.path("PolicyDocument"), found);
        case "AWS::KMS::Key" -> statementsOf(properties.path("KeyPolicy"), found);
        case "AWS::Serverless::Function" ->
            properties
                .path("Policies")
                .forEach(
                    p -> {
                      if (p.has("Statement")) {
                        statementsOf(p, found);
                      }
                    });
        default -> {}
      }
      if (!found.isEmpty()) {
        statements.put(resource.getKey(), found);
      }
    }
    return statements;
  }

  private static void statementsOf(JsonNode document, List<JsonNode> into) {
    JsonNode statement = document.path("Statement");
    if (statement.isArray()) {
      statement.forEach(into::add);
    } else if (statement.isObject()) {
      into.add(statement);
    }
  }

  /** A statement's resources, as text: "*" for a wildcard, the referenced name otherwise. */
  static List<String> resources(JsonNode statement) {
    List<String> resources = new ArrayList<>();
    JsonNode resource = statement.path("Resource");
    if (resource.isArray()) {
      resource.forEach(r -> resources.add(r.isTextual() ? r.asText() : r.toString()));
    } else if (!resource.isMissingNode()) {
      resources.add(resource.isTextual() ? resource.asText() : resource.toString());
    }
    return resources;
  }
}
