package io.ucache.testkit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
 * {@code io.ucache.testkit.redis-server}), else the one shipped in the Maven Central artifact
 * {@code com.github.codemonstur:embedded-redis} for this OS and CPU, extracted to a temporary
 * file. It is never skipped: no binary fails the class, which under {@code CI=true} fails the
 * build. Commands for tests go through {@link #cli}, which needs no {@code redis-cli}. The
 * server never uses port 6379 or a server already running, keeps nothing on disk
 * ({@code --save ''}, no AOF) and listens on 127.0.0.1 only.
 * {@link #withPassword} and {@link #withUser} protect it with {@code requirepass} or an ACL user.
 * Tests can {@link #stop()} it, {@link #start()} it again on the same port, and
 * {@link #pause()} / {@link #resume()} it (SIGSTOP / SIGCONT), and {@link #changePassword}
 * under connected clients, to test outages.
 *
 * <p><b>Thread-safety:</b> start, stop, pause and resume are synchronized; the getters may be
 * called from any thread. <b>Nulls:</b> no method accepts or returns {@code null}.
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(20);
  /** The system property naming the {@code redis-server} to run. */
  static final String BINARY_PROPERTY = "io.ucache.testkit.redis-server";
  /** The value of {@link #BINARY_PROPERTY} that forces the artifact's binary. */
  static final String ARTIFACT = "artifact";
  /** The artifact's binary once extracted, per JVM. */
  private static @Nullable String extracted;

  private final List<String> extraArgs;
  /** For a Sentinel: the text of its configuration file, written to the server's folder. */
  private @Nullable String sentinelConfig;
  /** The password the server starts with. */
  private final @Nullable String initialPassword;
  /** The password it has now: {@link #changePassword} changes it until the next start. */
  private volatile @Nullable String password;
  private final @Nullable String user;
  /** The {@code redis-server} to run instead of {@link #redisServer()}'s choice. */
  private @Nullable String binary;
  private int port;
  /** The test classes (outer and nested) running now. */
  private int classes;
  private @Nullable Process process;
  private @Nullable Path dir;

  private RedisServerExtension(List<String> extraArgs, @Nullable String user,
      @Nullable String password) {
    this.extraArgs = List.copyOf(extraArgs);
    this.user = user;
    this.initialPassword = password;
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

  /**
   * The port the server listens on, on 127.0.0.1.
   *
   * @throws IllegalStateException if the server was never started (an extension on an instance
   *     field, which JUnit does not call around a class): a client given port 0 would reach the
   *     machine's own Redis on 6379
   */
  public synchronized int port() {
    if (port == 0) {
      throw new IllegalStateException("the redis-server of this extension was never started: "
          + "register it on a static field (JUnit calls beforeAll only for those)");
    }
    return port;
  }

  /** {@code redis://127.0.0.1:PORT}, without credentials; see {@link #port()}. */
  public String url() {
    return "redis://127.0.0.1:" + port();
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
    String executable = binary;
    List<String> command = new ArrayList<>(List.of(executable != null ? executable
        : redisServer()));
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
      throw new IllegalStateException("Cannot run " + command.get(0) + ": install Redis "
          + "(apt-get install redis-server) or set -Dio.ucache.testkit.redis-server=/path/to/redis-server",
          e);
    }
    process = started;
    password = initialPassword;
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

  /**
   * Changes the password of the server's default user ({@code CONFIG SET requirepass}), then
   * closes every client connection ({@code CLIENT KILL TYPE normal}) so that each client must
   * authenticate again, as after an operator rotated the password. {@link #cli} uses the new
   * password from then on; {@link #start()} after {@link #stop()} brings the first one back.
   *
   * @throws IllegalStateException for a server made {@link #withUser} (an ACL user, not
   *     {@code requirepass})
   */
  public synchronized void changePassword(String newPassword) {
    Objects.requireNonNull(newPassword, "newPassword");
    if (user != null) {
      throw new IllegalStateException("changePassword changes requirepass; this server has the "
          + "ACL user " + user);
    }
    cli("CONFIG", "SET", "requirepass", newPassword);
    password = newPassword.isEmpty() ? null : newPassword;
    cli("CLIENT", "KILL", "TYPE", "normal");
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
   * Runs a command against the server (credentials included) and returns its reply formatted as
   * {@code redis-cli} prints it to a pipe, trimmed: {@code cli("GET", "ucache:c:k")}. No
   * {@code redis-cli} binary is needed: a small RESP client in the test kit sends the command.
   * Like {@code redis-cli}, it understands a leading {@code -c} (follow Cluster redirects) and
   * {@code --scan [--pattern P]} (every matching key, one a line).
   */
  public String cli(String... args) {
    List<String> command = new ArrayList<>(Arrays.asList(args));
    boolean followRedirects = false;
    if (!command.isEmpty() && command.get(0).equals("-c")) {
      followRedirects = true;
      command.remove(0);
    }
    try {
      if (!command.isEmpty() && command.get(0).equals("--scan")) {
        String pattern = command.size() >= 3 && command.get(1).equals("--pattern")
            ? command.get(2) : "*";
        return scan(pattern);
      }
      return RespClient.format(call(command, followRedirects)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot send " + command + " to " + this, e);
    }
  }

  /** Connects to this server and authenticates with its credentials, if any. */
  RespClient connect() throws IOException {
    return connect("127.0.0.1", port);
  }

  private RespClient connect(String host, int toPort) throws IOException {
    RespClient client = RespClient.connect(host, toPort, START_TIMEOUT);
    String password = this.password;
    try {
      if (password != null) {
        if (user != null) {
          client.callOk("AUTH", user, password);
        } else {
          client.callOk("AUTH", password);
        }
      }
      return client;
    } catch (IOException | RuntimeException e) {
      client.close();
      throw e;
    }
  }

  /** Sends one command; with {@code followRedirects}, follows MOVED and ASK replies. */
  private @Nullable Object call(List<String> command, boolean followRedirects)
      throws IOException {
    String host = "127.0.0.1";
    int toPort = port;
    boolean asking = false;
    for (int hop = 0; hop < 16; hop++) {
      try (RespClient client = connect(host, toPort)) {
        if (asking) {
          client.callOk("ASKING");
        }
        Object reply = client.call(command);
        if (!followRedirects || !(reply instanceof RespClient.Error error)
            || !(error.message().startsWith("MOVED ") || error.message().startsWith("ASK "))) {
          return reply;
        }
        String[] parts = error.message().split(" ");
        String address = parts[2];
        int colon = address.lastIndexOf(':');
        host = address.substring(0, colon);
        toPort = Integer.parseInt(address.substring(colon + 1));
        asking = parts[0].equals("ASK");
      }
    }
    throw new IllegalStateException("too many Cluster redirects for " + command);
  }

  private String scan(String pattern) throws IOException {
    List<String> keys = new ArrayList<>();
    try (RespClient client = connect()) {
      String cursor = "0";
      do {
        Object reply = client.callOk("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
        List<?> page = (List<?>) Objects.requireNonNull(reply);
        cursor = (String) Objects.requireNonNull(page.get(0));
        for (Object key : (List<?>) Objects.requireNonNull(page.get(1))) {
          keys.add((String) Objects.requireNonNull(key));
        }
      } while (!cursor.equals("0"));
    }
    return String.join("\n", keys);
  }

  /** A server run from {@code binary} (a {@code redis-server} path), whatever is on PATH. */
  static RedisServerExtension withBinary(String binary) {
    RedisServerExtension server = new RedisServerExtension(List.of(), null, null);
    server.binary = Objects.requireNonNull(binary, "binary");
    return server;
  }

  /** A Sentinel (not a data server) whose configuration file holds {@code config}. */
  static RedisServerExtension sentinel(String config) {
    RedisServerExtension sentinel = new RedisServerExtension(List.of(), null, null);
    sentinel.sentinelConfig = config;
    return sentinel;
  }

  /** Assigns a free port and a folder, and starts: for the extensions that run several servers. */
  synchronized void startOnFreePort() throws IOException {
    dir = Files.createTempDirectory("ucache-redis-");
    for (int attempt = 1; ; attempt++) {
      port = freePort();
      try {
        start();
        return;
      } catch (IllegalStateException e) {
        // Another process (a test JVM running beside this one) took the port between the probe
        // and the server's bind: try another one; anything else is a real failure.
        if (attempt == 3 || !String.valueOf(e.getMessage()).contains("Address already in use")) {
          throw e;
        }
      }
    }
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

  /**
   * The {@code redis-server} to run: the system property {@value #BINARY_PROPERTY} if set (a path,
   * or {@value #ARTIFACT} to force the binary shipped in the embedded-redis artifact), else
   * {@code redis-server} from {@code PATH}, else the artifact's binary for this OS and CPU.
   *
   * @throws IllegalStateException if there is none: Redis tests never skip
   */
  static String redisServer() {
    String configured = System.getProperty(BINARY_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return configured.equals(ARTIFACT) ? artifactBinary() : configured;
    }
    return redisServer(true);
  }

  /**
   * {@code redis-server} from {@code PATH} when {@code searchPath} is true and it is there, else
   * the artifact's binary.
   */
  static String redisServer(boolean searchPath) {
    if (searchPath) {
      String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
      for (String folder : path.split(java.io.File.pathSeparator)) {
        if (folder.isEmpty()) {
          continue;
        }
        Path candidate = Path.of(folder, "redis-server");
        if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
          return candidate.toString();
        }
      }
    }
    return artifactBinary();
  }

  /**
   * Extracts the embedded-redis artifact's {@code redis-server} for this OS and CPU to a temporary
   * executable file (deleted when the JVM exits), once per JVM, and returns its path.
   */
  static synchronized String artifactBinary() {
    String done = extracted;
    if (done != null && Files.isExecutable(Path.of(done))) {
      return done;
    }
    String resource = artifactResource(System.getProperty("os.name", ""),
        System.getProperty("os.arch", ""));
    if (resource == null) {
      throw missing("the embedded-redis artifact ships no redis-server for "
          + System.getProperty("os.name") + "/" + System.getProperty("os.arch"));
    }
    try (InputStream in = RedisServerExtension.class.getClassLoader()
        .getResourceAsStream(resource)) {
      if (in == null) {
        throw missing("the embedded-redis artifact (resource " + resource
            + ") is not on the class path");
      }
      Path file = Files.createTempFile("ucache-redis-server-", "");
      file.toFile().deleteOnExit();
      Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
      if (!file.toFile().setExecutable(true, true)) {
        throw missing("cannot make " + file + " executable");
      }
      extracted = file.toString();
      return file.toString();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot extract " + resource + " from embedded-redis", e);
    }
  }

  /** The artifact's resource for this OS and CPU, or {@code null} if it ships none. */
  static @Nullable String artifactResource(String osName, String osArch) {
    String os = osName.toLowerCase(Locale.ROOT);
    String arch = osArch.toLowerCase(Locale.ROOT);
    boolean x64 = arch.equals("amd64") || arch.equals("x86_64");
    boolean arm64 = arch.equals("aarch64") || arch.equals("arm64");
    if (os.startsWith("linux")) {
      if (x64) {
        return "redis-server-6.2.6-v5-linux-amd64";
      }
      if (arm64) {
        return "redis-server-6.2.7-linux-arm64";
      }
      if (arch.equals("x86") || arch.equals("i386") || arch.equals("i686")) {
        return "redis-server-6.2.7-linux-386";
      }
    } else if (os.startsWith("mac") || os.startsWith("darwin")) {
      if (x64) {
        return "redis-server-6.2.6-v5-darwin-amd64";
      }
      if (arm64) {
        return "redis-server-6.2.6-v5-darwin-arm64";
      }
    }
    return null;
  }

  private static IllegalStateException missing(String why) {
    return new IllegalStateException("No redis-server: it is not on PATH and " + why
        + ". Install Redis (apt-get install redis-server) or set -D" + BINARY_PROPERTY
        + "=/path/to/redis-server. Redis tests never skip"
        + ("true".equals(System.getenv("CI")) ? " under CI=true" : "") + ".");
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
