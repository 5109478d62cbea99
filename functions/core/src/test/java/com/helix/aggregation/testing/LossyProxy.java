package com.helix.aggregation.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A TCP proxy on loopback in front of the emulator that can lose one answer: when armed, it lets
 * the next request through but closes the client's connection instead of passing the response on,
 * as a network that drops a reply would. The request took effect; the client never heard.
 */
public final class LossyProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final AtomicBoolean dropNextResponse = new AtomicBoolean();
  private volatile boolean dropped;

  public LossyProxy(int upstreamPort) {
    this.upstreamPort = upstreamPort;
    try {
      this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Thread acceptor = new Thread(this::accept, "lossy-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String endpoint() {
    return "http://127.0.0.1:" + server.getLocalPort();
  }

  /** The next response on any connection is lost. */
  public void dropNextResponse() {
    dropNextResponse.set(true);
  }

  /** Whether a response was lost. */
  public boolean dropped() {
    return dropped;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        pump(client.getInputStream(), upstream.getOutputStream(), client, upstream, false);
        pump(upstream.getInputStream(), client.getOutputStream(), client, upstream, true);
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pump(
      InputStream from, OutputStream to, Socket client, Socket upstream, boolean responses) {
    Thread pump =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try {
                for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                  if (responses && dropNextResponse.compareAndSet(true, false)) {
                    dropped = true;
                    client.close();
                    upstream.close();
                    return;
                  }
                  to.write(buffer, 0, n);
                  to.flush();
                }
              } catch (IOException e) {
                // either side closed
              } finally {
                try {
                  client.close();
                  upstream.close();
                } catch (IOException e) {
                  // already closed
                }
              }
            },
            "lossy-proxy-pump");
    pump.setDaemon(true);
    pump.start();
  }
}
