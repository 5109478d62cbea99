package com.helix.aggregation.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.crac.Core;
import com.amazonaws.services.lambda.runtime.api.client.runtimeapi.JniHelper;

/**
 * A SnapStart checkpoint and restore as the Lambda Java runtime drives them, without a CRaC JVM:
 * the managed runtime's JVM runs with {@code -Dorg.crac.Core.Compat=com.amazonaws.services.lambda.
 * crac}, so what a function registers through {@code org.crac} lands in the runtime interface
 * client's own context, whose {@code beforeCheckpoint} the client calls once the function is
 * initialised and whose {@code afterRestore} it calls in each restored clone. A test JVM configured
 * the same way (the function modules' failsafe configuration) calls them here, with the runtime's
 * native library loaded as the runtime loads it (its hooks clear the DNS cache). Nothing is
 * snapshotted: the same JVM goes on, so restore time is not measured and cannot be.
 */
public final class SnapStartRuntime {
  private static final String COMPAT = "com.amazonaws.services.lambda.crac";

  private SnapStartRuntime() {}

  /** Runs every registered resource's {@code beforeCheckpoint}, last registered first. */
  public static void checkpoint() throws Exception {
    requireRuntimeContext();
    Core.getGlobalContext().beforeCheckpoint(null);
  }

  /** Runs every registered resource's {@code afterRestore}, first registered first. */
  public static void restore() throws Exception {
    requireRuntimeContext();
    Core.getGlobalContext().afterRestore(null);
  }

  private static void requireRuntimeContext() {
    // The runtime loads its native client at start; the context's hooks clear the JVM's DNS cache
    // through it (before the checkpoint and after the restore).
    JniHelper.load();
    assertThat(System.getProperty("org.crac.Core.Compat"))
        .as(
            "org.crac registers into the Lambda runtime's context only with"
                + " -Dorg.crac.Core.Compat=%s, as the managed runtime's JVM runs",
            COMPAT)
        .isEqualTo(COMPAT);
  }
}
