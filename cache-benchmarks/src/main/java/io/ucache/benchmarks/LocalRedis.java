package io.ucache.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} of the benchmarks' own on a free port of 127.0.0.1 (never 6379),
 * keeping nothing on disk, stopped by {@link #close()}. The binary is the system property
 * {@value #BINARY_PROPERTY}, else {@code redis-server} from {@code PATH}. Not thread-safe: one
 * benchmark trial starts and stops it.
 */
final class LocalRedis implements AutoCloseable {

  static final String BINARY_PROPERTY = "io.ucache.benchmarks.redis-server";
  private static final long START_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(20);
  private static final byte[] PING = "*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Process process;
  private final Path dir;
  private final int port;

  private LocalRedis(Process process, Path dir, int port) {
    this.process = process;
    this.dir = dir;
    this.port = port;
  }

  /**
   * Starts a server and returns once it answers {@code PING}.
   *
   * @throws IllegalStateException if no {@code redis-server} can be run, or it does not answer
   */
  static LocalRedis start() {
    String binary = System.getProperty(BINARY_PROPERTY, "redis-server");
    Path dir;
    int port;
    Process process;
    try {
      dir = Files.createTempDirectory("ucache-bench-redis");
      port = freePort();
      process = new ProcessBuilder(List.of(binary, "--port", Integer.toString(port),
          "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir.toString(),
          "--protected-mode", "no"))
          .redirectErrorStream(true)
          .redirectOutput(dir.resolve("redis.log").toFile())
          .start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run " + binary + " for the Redis benchmarks: "
          + "install Redis (redis-server on PATH) or set -D" + BINARY_PROPERTY + "=/path/to/"
          + "redis-server", e);
    }
    LocalRedis redis = new LocalRedis(process, dir, port);
    long deadline = System.nanoTime() + START_TIMEOUT_NANOS;
    while (!redis.answers()) {
      if (!process.isAlive() || System.nanoTime() - deadline > 0) {
        redis.close();
        throw new IllegalStateException("redis-server on port " + port + " did not start; see "
            + "its log in " + dir);
      }
      Thread.onSpinWait();
    }
    return redis;
  }

  /** The server's port on 127.0.0.1. */
  int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT}. */
  String url() {
    return "redis://127.0.0.1:" + port;
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    TempFolder.delete(dir);
  }

  private boolean answers() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      socket.setSoTimeout(500);
      OutputStream out = socket.getOutputStream();
      out.write(PING);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] reply = in.readNBytes(7);
      return new String(reply, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (port != 6379) {
          return port;
        }
      }
    }
  }
}
