package com.helix.aggregation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.helix.aggregation.config.HelixConfig;
import com.helix.aggregation.wiring.HelixWiring;
import com.helix.aggregation.wiring.RenewableRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.LongStream;

/**
 * The SnapStart hygiene every function shows (SPEC §9), with the Lambda runtime's own CRaC context
 * driven as the runtime drives it ({@link SnapStartRuntime}; there is no CRaC JVM here, so nothing
 * is snapshotted and restore time is not measured). The function is built as Lambda's constructor
 * builds it, from the template's environment: its database is a secret in moto. Its sessions log in
 * as roles of the scenario's own, so they can be told from every other session on the server.
 */
public final class SnapStartScenario {
  /** One invocation of the function under test, asserting its own outcome. */
  @FunctionalInterface
  public interface Invocation {
    /** {@code restore} is 1 after the first restore, 2 after the second (and a rotation). */
    void invoke(int restore) throws Exception;
  }

  private SnapStartScenario() {}

  /**
   * Checkpoints the freshly built function, restores and invokes it, checkpoints it again while it
   * holds a session, rotates the secret, restores and invokes it once more.
   */
  public static void verify(
      TestDatabase db,
      String templateFunction,
      Map<String, String> overrides,
      Function<HelixWiring, Invocation> handler)
      throws Exception {
    String before = SecretRoles.create();
    String after = SecretRoles.create();
    try {
      Map<String, String> env =
          TemplateEnvironment.of(TemplateFunction.of(templateFunction), db, overrides);
      String secret = env.get(HelixConfig.DB_SECRET_ARN);
      SecretRoles.rotate(secret, db, before);
      HelixWiring wiring = HelixWiring.fromEnvironment(env, Clock.systemUTC());
      Invocation invocation = handler.apply(wiring); // Lambda's constructor
      RenewableRandom random = wiring.aggregation().random();

      // The snapshot of a freshly initialised function: primed, and never connected.
      SnapStartRuntime.checkpoint();
      assertThat(SecretRoles.sessions(db, before)).as("sessions in the snapshot").isEmpty();
      SnapStartRuntime.restore();
      assertThat(random.renewals()).isEqualTo(1);

      invocation.invoke(1);
      List<Long> first = SecretRoles.sessions(db, before);
      assertThat(first).as("the function's one session").hasSize(1);
      long[] drawnBefore = draw(random);

      // A snapshot taken later (the function holds a session and the secret), then a rotation.
      SnapStartRuntime.checkpoint();
      assertThat(SecretRoles.sessions(db, before)).as("sessions held at the checkpoint").isEmpty();
      SecretRoles.rotate(secret, db, after);
      SnapStartRuntime.restore();

      invocation.invoke(2);
      assertThat(SecretRoles.sessions(db, after))
          .as("a new session, opened with the secret read again from Secrets Manager")
          .hasSize(1)
          .doesNotContainAnyElementsOf(first);
      assertThat(SecretRoles.sessions(db, before)).isEmpty();
      assertThat(random.renewals()).as("a newly seeded jitter generator per restore").isEqualTo(2);
      assertThat(draw(random)).isNotEqualTo(drawnBefore);
    } finally {
      SecretRoles.drop(before);
      SecretRoles.drop(after);
    }
  }

  private static long[] draw(RenewableRandom random) {
    return LongStream.generate(random::nextLong).limit(4).toArray();
  }
}
