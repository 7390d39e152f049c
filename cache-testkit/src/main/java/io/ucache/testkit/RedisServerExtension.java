package io.ucache.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real {@code redis-server} for a test class: started on a free port before the class's first
 * test and stopped after its last one. Register it in a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension redis = RedisServerExtension.create();
 * }</pre>
 *
 * <p>The binary is {@code redis-server} from {@code PATH} (or the path in the system property
 * {@code ucache.redis-server}). It is never skipped: a missing binary fails the class, which
 * under {@code CI=true} fails the build. The server never uses port 6379 or a server already
 * running, keeps nothing on disk ({@code --save ''}, no AOF) and listens on 127.0.0.1 only.
 * {@link #withPassword} and {@link #withUser} protect it with {@code requirepass} or an ACL user.
 * Tests can {@link #stop()} it, {@link #start()} it again on the same port, and
 * {@link #pause()} / {@link #resume()} it (SIGSTOP / SIGCONT) to test outages.
 *
 * <p><b>Thread-safety:</b> start, stop, pause and resume are synchronized; the getters may be
 * called from any thread. <b>Nulls:</b> no method accepts or returns {@code null}.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

  private final List<String> extraArgs;
  /** For a Sentinel: the text of its configuration file, written to the server's folder. */
  private @Nullable String sentinelConfig;
  private final @Nullable String password;
  private final @Nullable String user;
  private int port;
  /** The test classes (outer and nested) running now. */
  private int classes;
  private @Nullable Process process;
  private @Nullable Path dir;

  private RedisServerExtension(List<String> extraArgs, @Nullable String user,
      @Nullable String password) {
    this.extraArgs = List.copyOf(extraArgs);
    this.user = user;
    this.password = password;
  }

  /** A server without authentication. */
  public static RedisServerExtension create() {
    return new RedisServerExtension(List.of(), null, null);
  }

  /** A server whose default user needs {@code password} ({@code requirepass}). */
  public static RedisServerExtension withPassword(String password) {
    return new RedisServerExtension(List.of("--requirepass", password), null,
        Objects.requireNonNull(password, "password"));
  }

  /**
   * A server with an ACL user {@code user} (password {@code password}, every key and command)
   * and the default user disabled.
   */
  public static RedisServerExtension withUser(String user, String password) {
    return new RedisServerExtension(List.of(), Objects.requireNonNull(user, "user"),
        Objects.requireNonNull(password, "password"));
  }

  /** A server started with these extra {@code redis-server} arguments. */
  public static RedisServerExtension withArgs(String... args) {
    return new RedisServerExtension(Arrays.asList(args), null, null);
  }

  /**
   * Starts the server for the outermost class only: JUnit calls this again for each
   * {@code @Nested} class, which must share the server.
   */
  @Override
  public synchronized void beforeAll(ExtensionContext context) throws Exception {
    if (classes++ > 0) {
      return;
    }
    startOnFreePort();
  }

  @Override
  public synchronized void afterAll(ExtensionContext context) throws Exception {
    if (--classes > 0) {
      return;
    }
    stopAndDelete();
  }

  /** The port the server listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** {@code redis://127.0.0.1:PORT}, without credentials. */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  /**
   * Starts the server on its port (again, after {@link #stop()}), and returns when it accepts
   * connections.
   *
   * @throws IllegalStateException if {@code redis-server} is not installed or does not start
   */
  public synchronized void start() {
    if (process != null && process.isAlive()) {
      return;
    }
    List<String> command = new ArrayList<>(List.of(binary("redis-server")));
    if (sentinelConfig != null) {
      Path conf = Objects.requireNonNull(dir).resolve("sentinel.conf");
      try {
        if (!Files.exists(conf)) {
          Files.writeString(conf, sentinelConfig, StandardCharsets.UTF_8);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      command.addAll(List.of(conf.toString(), "--sentinel"));
    }
    command.addAll(List.of(
        "--port", Integer.toString(port), "--bind", "127.0.0.1", "--save", "",
        "--appendonly", "no", "--dir", String.valueOf(dir), "--logfile", "",
        "--protected-mode", "no"));
    if (user != null) {
      Path acl = Objects.requireNonNull(dir).resolve("users.acl");
      try {
        Files.writeString(acl, "user " + user + " on >" + password + " ~* &* +@all\n"
            + "user default off\n", StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      command.addAll(List.of("--aclfile", acl.toString()));
    }
    command.addAll(extraArgs);
    Process started;
    try {
      started = new ProcessBuilder(command).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("Cannot run redis-server: install it (apt-get install "
          + "redis-server) or set -Ducache.redis-server=/path/to/redis-server", e);
    }
    process = started;
    awaitReady(started);
  }

  /** Kills the server (SIGKILL, as a crash) and waits for it to end. Its data is gone. */
  public synchronized void stop() {
    Process p = process;
    if (p == null) {
      return;
    }
    resume();
    p.destroyForcibly();
    try {
      p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process = null;
  }

  /** Freezes the server with SIGSTOP: connections stay open, nothing answers. */
  public synchronized void pause() {
    signal("-STOP");
  }

  /** Thaws a server frozen by {@link #pause()}. */
  public synchronized void resume() {
    signal("-CONT");
  }

  /**
   * Runs {@code redis-cli} against the server (credentials included) and returns its output,
   * trimmed: {@code cli("GET", "ucache:c:k")}.
   */
  public String cli(String... args) {
    List<String> command = new ArrayList<>(List.of(binary("redis-cli"), "-h", "127.0.0.1",
        "-p", Integer.toString(port), "--no-auth-warning"));
    if (user != null) {
      command.addAll(List.of("--user", user));
    }
    if (password != null) {
      command.addAll(List.of("-a", password));
    }
    command.addAll(Arrays.asList(args));
    return run(command);
  }

  /** A Sentinel (not a data server) whose configuration file holds {@code config}. */
  static RedisServerExtension sentinel(String config) {
    RedisServerExtension sentinel = new RedisServerExtension(List.of(), null, null);
    sentinel.sentinelConfig = config;
    return sentinel;
  }

  /** Assigns a free port and a folder, and starts: for the extensions that run several servers. */
  synchronized void startOnFreePort() throws IOException {
    port = freePort();
    dir = Files.createTempDirectory("ucache-redis-");
    start();
  }

  /** Stops the server and deletes its folder. */
  synchronized void stopAndDelete() throws IOException {
    stop();
    Path d = dir;
    if (d != null) {
      try (Stream<Path> files = Files.walk(d)) {
        files.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Override
  public String toString() {
    return "RedisServerExtension{port=" + port + "}";
  }

  // ---------------------------------------------------------------------------------------------

  private void signal(String signal) {
    Process p = process;
    if (p != null && p.isAlive()) {
      run(List.of("kill", signal, Long.toString(p.pid())));
    }
  }

  static String run(List<String> command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> {
        try {
          return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
      if (!p.waitFor(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(command.get(0) + " did not finish");
      }
      return output.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + command.get(0), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("Cannot read the output of " + command.get(0), e);
    }
  }

  /** Reads the server's log until it says it is ready; fails if it exits or takes too long. */
  private void awaitReady(Process started) {
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    StringBuilder log = new StringBuilder();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(started.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (!ready.isDone()) {
            synchronized (log) {
              log.append(line).append('\n');
            }
            if (line.contains("Ready to accept connections") || line.contains("+monitor master")) {
              ready.complete(true);
            }
          }
        }
      } catch (IOException e) {
        // The process ended.
      }
      ready.complete(false);
    }, "redis-server-log-" + port);
    reader.setDaemon(true);
    reader.start();
    boolean ok;
    try {
      ok = ready.get(START_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ok = false;
    } catch (ExecutionException | TimeoutException e) {
      ok = false;
    }
    if (!ok) {
      started.destroyForcibly();
      synchronized (log) {
        throw new IllegalStateException("redis-server did not start on port " + port + ":\n"
            + log);
      }
    }
  }

  static String binary(String name) {
    String configured = System.getProperty("ucache." + name);
    if (configured != null) {
      return configured;
    }
    String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
    for (String folder : path.split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(folder, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new IllegalStateException(name + " is not on PATH: install Redis (apt-get install "
        + "redis-server) or set -Ducache." + name + "=/path/to/" + name
        + ". Redis tests never skip" + ("true".equals(System.getenv("CI")) ? " under CI=true"
        : "") + ".");
  }

  /** A free port on 127.0.0.1 that is not 6379. */
  static int freePort() throws IOException {
    while (true) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        int port = socket.getLocalPort();
        if (port != 6379 && port < 55_000) {
          return port;
        }
      }
    }
  }
}
