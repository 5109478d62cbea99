package com.helix.aggregation.functions.slack;

import java.net.URI;
import org.crac.Context;
import org.crac.Resource;

/**
 * The webhook URL, read lazily once per execution environment (no network call during init), and
 * again after a SnapStart restore: a restored clone may start long after its snapshot, when the
 * secret may have been rotated, so the URL is dropped before the checkpoint (the snapshot never
 * holds the secret) and after the restore. It is also dropped when a delivery fails, so a rotated
 * or revoked webhook is read afresh by the retried invocation.
 *
 * <p>Registered with {@code org.crac.Core.getGlobalContext()}; CRaC holds resources weakly, so the
 * handler keeps the only strong reference for the environment's lifetime.
 */
public final class CachedWebhookUrl implements WebhookUrlSource, Resource {
  private final WebhookUrlSource source;
  private URI url;

  public CachedWebhookUrl(WebhookUrlSource source) {
    this.source = source;
  }

  @Override
  public synchronized URI webhookUrl() {
    if (url == null) {
      url = source.webhookUrl();
    }
    return url;
  }

  @Override
  public synchronized void forget() {
    url = null;
  }

  @Override
  public void beforeCheckpoint(Context<? extends Resource> context) {
    forget();
  }

  @Override
  public void afterRestore(Context<? extends Resource> context) {
    forget();
  }
}
