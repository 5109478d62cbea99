package com.helix.aggregation.infra;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * infra/template.yaml, parsed (CloudFormation short-form tags such as !Ref read as plain values).
 */
final class Template {
  static final Path PATH =
      Path.of(System.getProperty("helix.root", ".."), "infra", "template.yaml");

  private Template() {}

  static JsonNode read() {
    try {
      return new ObjectMapper(new YAMLFactory()).readTree(PATH.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PATH, e);
    }
  }
}
