package com.helix.aggregation.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.helix.aggregation.config.DatabaseCredentials;
import com.helix.aggregation.core.EnvironmentException;
import com.helix.aggregation.core.TransientFailureException;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The database credentials from a Secrets Manager secret (SPEC §10, {@code HELIX_DB_SECRET_ARN}):
 * the JSON that RDS writes (host, port, dbname, username, password). Fetched on first use, never
 * during initialization, kept for the execution environment, and fetched again after {@link
 * #forget()}: after a SnapStart restore, or when the database refuses the password (rotation). An
 * RDS Proxy endpoint, when configured, replaces the secret's host.
 */
public final class SecretsManagerDatabaseCredentials
    implements Supplier<DatabaseCredentials>, AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SecretsManagerClient secrets;
  private final String secretArn;
  private final Optional<String> proxyEndpoint;
  private volatile DatabaseCredentials cached;

  public SecretsManagerDatabaseCredentials(
      SecretsManagerClient secrets, String secretArn, Optional<String> proxyEndpoint) {
    this.secrets = secrets;
    this.secretArn = secretArn;
    this.proxyEndpoint = proxyEndpoint;
  }

  @Override
  public DatabaseCredentials get() {
    DatabaseCredentials credentials = cached;
    if (credentials == null) {
      credentials = fetch();
      cached = credentials;
    }
    return credentials;
  }

  /** The next use fetches the secret again. */
  public void forget() {
    cached = null;
  }

  public String arn() {
    return secretArn;
  }

  /** Closes the Secrets Manager client (a command line's, at its end). */
  @Override
  public void close() {
    secrets.close();
  }

  private DatabaseCredentials fetch() {
    String value;
    try {
      value = secrets.getSecretValue(g -> g.secretId(secretArn)).secretString();
    } catch (SdkClientException e) {
      throw new TransientFailureException(
          "cannot reach Secrets Manager for the database secret "
              + secretArn
              + ": "
              + e.getMessage(),
          e);
    } catch (AwsServiceException e) {
      if (e.isThrottlingException() || e.statusCode() >= 500) {
        throw new TransientFailureException(
            "Secrets Manager failed to give the database secret: " + e.getMessage(), e);
      }
      throw new EnvironmentException(
          "cannot read the database secret "
              + secretArn
              + " (HELIX_DB_SECRET_ARN): "
              + e.awsErrorDetails().errorMessage(),
          e);
    } catch (SdkException e) {
      throw new EnvironmentException("cannot read the database secret " + secretArn, e);
    }
    return parse(value);
  }

  private DatabaseCredentials parse(String value) {
    JsonNode secret;
    try {
      secret = value == null ? null : JSON.readTree(value);
    } catch (IOException e) {
      secret = null;
    }
    if (secret == null || !secret.isObject()) {
      throw new EnvironmentException(
          "the database secret "
              + secretArn
              + " is not the JSON of an RDS secret"
              + " (host, port, dbname, username, password)");
    }
    String host = proxyEndpoint.orElse(text(secret, "host"));
    String port = secret.hasNonNull("port") ? secret.get("port").asText() : "5432";
    String database = text(secret, "dbname");
    return new DatabaseCredentials(
        "jdbc:postgresql://" + host + (host.contains(":") ? "" : ":" + port) + "/" + database,
        text(secret, "username"),
        text(secret, "password"));
  }

  private String text(JsonNode secret, String field) {
    JsonNode node = secret.get(field);
    if (node == null || node.isNull() || node.asText().isBlank()) {
      throw new EnvironmentException(
          "the database secret " + secretArn + " has no " + field + " (HELIX_DB_SECRET_ARN)");
    }
    return node.asText();
  }
}
