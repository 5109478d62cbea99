package com.helix.aggregation.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy on loopback in front of a real server (moto, PostgreSQL) that injects the network's
 * faults:
 *
 * <ul>
 *   <li>it can lose one answer: when armed, the next request goes through but the client's
 *       connection is closed instead of passing the response on, as a network that drops a reply
 *       would. The request took effect; the client never heard. {@link #dropResponseTo} does the
 *       same for the answer to the next request that contains a marker (PostgreSQL's {@code
 *       COMMIT}), so a committed transaction's acknowledgement is what gets lost;
 *   <li>it can go down ({@link #cut()}): every open connection is closed and new ones are refused
 *       until {@link #restore()}, as an outage, a failover or a cut network would.
 * </ul>
 */
public final class LossyProxy implements AutoCloseable {
  private final ServerSocket server;
  private final int upstreamPort;
  private final AtomicBoolean dropNextResponse = new AtomicBoolean();
  private final AtomicReference<byte[]> dropAnswerTo = new AtomicReference<>();
  private final Set<Socket> open = ConcurrentHashMap.newKeySet();
  private volatile boolean down;
  private volatile boolean cutAfterDrop;
  private volatile int dropped;

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
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.getLocalPort();
  }

  /** The next response on any connection is lost. */
  public void dropNextResponse() {
    dropNextResponse.set(true);
  }

  /**
   * The next response is lost and the proxy goes down at that moment (until {@link #restore()}), so
   * the client's own retries fail too: the request took effect, and the client cannot learn it.
   */
  public void dropNextResponseThenCut() {
    cutAfterDrop = true;
    dropNextResponse.set(true);
  }

  /**
   * The marker of PostgreSQL's {@code COMMIT} as the JDBC driver sends it: the statement text ends
   * with its NUL terminator, so the driver's {@code SET ... ISOLATION LEVEL READ COMMITTED}, sent
   * when a transaction begins, does not match (it did: the "lost commit" was a lost start). The
   * driver names its COMMIT at first use and then sends only the name, so a session whose commits
   * are to be matched needs {@link #EVERY_COMMIT_IN_TEXT} in its URL.
   */
  public static final String POSTGRES_COMMIT = "COMMIT\0";

  /** A JDBC URL parameter that makes the driver send every statement, COMMIT too, as text. */
  public static final String EVERY_COMMIT_IN_TEXT = "prepareThreshold=0";

  /** The answer to the next request containing {@code marker} (e.g. {@link #POSTGRES_COMMIT}). */
  public void dropResponseTo(String marker) {
    dropAnswerTo.set(marker.getBytes(StandardCharsets.US_ASCII));
  }

  /** Whether a response was lost. */
  public boolean dropped() {
    return dropped > 0;
  }

  /** How many responses were lost. */
  public int droppedCount() {
    return dropped;
  }

  /** Closes every open connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    down = true;
    for (Socket socket : open) {
      closeQuietly(socket);
    }
  }

  public void restore() {
    down = false;
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // closing
    }
    cut();
  }

  private void accept() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        if (down) {
          closeQuietly(client);
          continue;
        }
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        open.add(client);
        open.add(upstream);
        AtomicBoolean answerToDrop = new AtomicBoolean();
        pump(
            client.getInputStream(),
            upstream.getOutputStream(),
            client,
            upstream,
            false,
            answerToDrop);
        pump(
            upstream.getInputStream(),
            client.getOutputStream(),
            client,
            upstream,
            true,
            answerToDrop);
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
      }
    }
  }

  private void pump(
      InputStream from,
      OutputStream to,
      Socket client,
      Socket upstream,
      boolean responses,
      AtomicBoolean answerToDrop) {
    Thread pump =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              try {
                for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                  if (!responses) {
                    byte[] marker = dropAnswerTo.get();
                    if (marker != null
                        && contains(buffer, n, marker)
                        && dropAnswerTo.compareAndSet(marker, null)) {
                      answerToDrop.set(true);
                    }
                  } else if (answerToDrop.get() || dropNextResponse.compareAndSet(true, false)) {
                    dropped++;
                    if (cutAfterDrop) {
                      cutAfterDrop = false;
                      cut();
                    }
                    return; // the finally block closes both sides: the answer is lost
                  }
                  to.write(buffer, 0, n);
                  to.flush();
                }
              } catch (IOException e) {
                // either side closed
              } finally {
                closeQuietly(client);
                closeQuietly(upstream);
                open.remove(client);
                open.remove(upstream);
              }
            },
            "lossy-proxy-pump");
    pump.setDaemon(true);
    pump.start();
  }

  private static boolean contains(byte[] buffer, int length, byte[] marker) {
    outer:
    for (int i = 0; i + marker.length <= length; i++) {
      for (int j = 0; j < marker.length; j++) {
        if (buffer[i + j] != marker[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static void closeQuietly(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // already closed
    }
  }
}
