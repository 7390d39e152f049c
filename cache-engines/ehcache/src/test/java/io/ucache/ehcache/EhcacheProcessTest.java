package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.ucache.Cache;
import io.ucache.CacheEngine;
import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
import io.ucache.context.EngineManager;
import io.ucache.testkit.LogCapture;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ehcache engine across processes: a child JVM ({@link ChildProcess}, started with this JVM's
 * java binary and class path) writes and exits cleanly, is killed with {@code kill -9} while
 * writing, or holds the folder open while this JVM tries to open it too.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class EhcacheProcessTest {

  private static final Duration AWAIT = Duration.ofSeconds(30);

  @TempDir
  Path temp;

  private Path folder;
  private final List<Process> children = new ArrayList<>();
  private final List<CacheEngine> engines = new ArrayList<>();
  @RegisterExtension
  final LogCapture logs = LogCapture.of("io.ucache.ehcache");

  @BeforeEach
  void setUp() {
    folder = temp.resolve("folder");
  }

  @AfterEach
  void tearDown() {
    engines.forEach(CacheEngine::close);
    children.forEach(Process::destroyForcibly);
  }

  /** A child JVM running {@link ChildProcess} {@code mode} on the folder; stderr to a file. */
  private Child start(String mode) throws IOException {
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    List<String> command = new ArrayList<>(List.of(java.toString(),
        "-cp", System.getProperty("java.class.path")));
    String logging = System.getProperty("java.util.logging.config.file");
    if (logging != null) {
      command.add("-Djava.util.logging.config.file=" + logging);
    }
    command.addAll(List.of(ChildProcess.class.getName(), mode, folder.toString()));
    Path stderr = temp.resolve(mode + ".stderr");
    Process process = new ProcessBuilder(command)
        .redirectError(stderr.toFile())
        .start();
    children.add(process);
    return new Child(process, stderr);
  }

  private final class Child {
    final Process process;
    final Path stderr;
    final BufferedReader out;

    Child(Process process, Path stderr) {
      this.process = process;
      this.stderr = stderr;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8));
    }

    /** The next line of its standard output that starts with {@code prefix}. */
    String awaitLine(String prefix) throws Exception {
      CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
        try {
          for (String next = out.readLine(); next != null; next = out.readLine()) {
            if (next.startsWith(prefix)) {
              return next;
            }
          }
          return null;
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      });
      try {
        String found = line.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (found == null) {
          throw new AssertionError("The child ended without printing '" + prefix + "': "
              + stderr());
        }
        return found;
      } catch (TimeoutException | ExecutionException e) {
        process.destroyForcibly();
        throw new AssertionError("The child never printed '" + prefix + "': " + stderr(), e);
      }
    }

    int awaitExit() throws Exception {
      if (!process.waitFor(AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new AssertionError("The child did not exit: " + stderr());
      }
      return process.exitValue();
    }

    String stderr() throws IOException {
      return Files.exists(stderr) ? Files.readString(stderr) : "(no stderr)";
    }
  }

  private CacheEngine open() {
    CacheEngine engine = EngineManager.getDefault().create(ChildProcess.config(folder.toString()));
    engines.add(engine);
    return engine;
  }

  private static void awaitWallClock(long millis) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (System.currentTimeMillis() < millis) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("The wall clock did not reach " + millis);
      }
      Thread.onSpinWait();
    }
  }

  // =============================================================================================

  @Test
  void reopen_afterChildClosedCleanly_readsItsEntriesAndTheirTtlsHold() throws Exception {
    Child child = start("write");
    String[] written = child.awaitLine("written-at ").split(" ");
    long writtenAt = Long.parseLong(written[1]);
    long writtenBy = Long.parseLong(written[2]);
    child.awaitLine("closed");
    assertThat(child.awaitExit()).as(child.stderr()).isZero();
    // Ehcache reads the clock apart from the engine, a millisecond tick or two away from it.
    long tolerance = 50;
    // The tiny TTL runs out while no process has the folder open.
    awaitWallClock(writtenBy + ChildProcess.TINY_TTL.toMillis() + tolerance);

    CacheEngine engine = open();
    Cache<String, String> cache = engine.cache(ChildProcess.CACHE, String.class, String.class);

    assertThat(cache.get("forever")).isEqualTo("value");
    assertThat(cache.lookup("null")).isEqualTo(new CachedValue<String>(null));
    assertThat(engine.cache("orders", Long.class, EhcacheEngineTest.Order.class).get(7L))
        .isEqualTo(new EhcacheEngineTest.Order(7, "tea", List.of(1, 2)));
    assertThat(cache.lookup("tiny")).as("expired while the folder was closed").isNull();
    long earliest = writtenAt + ChildProcess.SHORT_TTL.toMillis();
    long latest = writtenBy + ChildProcess.SHORT_TTL.toMillis();
    long before = System.currentTimeMillis();
    boolean present = cache.lookup("short") != null;
    long after = System.currentTimeMillis();
    if (after < earliest - tolerance) {
      assertThat(present).as("'short' before its TTL").isTrue();
    }
    if (before >= latest + tolerance) {
      assertThat(present).as("'short' after its TTL").isFalse();
    }
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (cache.lookup("short") != null && System.nanoTime() - deadline < 0) {
      Thread.onSpinWait();
    }
    long goneAt = System.currentTimeMillis();
    assertThat(cache.lookup("short")).as("'short' after " + AWAIT).isNull();
    assertThat(goneAt).as("gone, but not before its TTL")
        .isGreaterThanOrEqualTo(earliest - tolerance);
    assertThat(logs.warnings()).isEmpty();
  }

  @Test
  void reopen_afterChildKilledMidWrites_startsWithoutErrorAndReadsNoPartialValue()
      throws Exception {
    Child child = start("write-until-killed");
    child.awaitLine("ready");

    child.process.destroyForcibly();
    child.awaitExit();

    CacheEngine engine = open();
    Cache<String, String> cache = engine.cache(ChildProcess.CACHE, String.class, String.class);
    List<String> keys;
    try (Stream<String> stream = cache.keys()) {
      keys = stream.collect(Collectors.toList());
    }
    for (String key : keys) {
      String value = cache.get(key);
      if (value != null) {
        assertThat(ChildProcess.isWhole(key, value)).as("value of %s read back whole", key)
            .isTrue();
      }
    }
    // Whatever was half written, the whole store of an unclean shutdown is discarded.
    assertThat(keys).isEmpty();
    assertThat(logs.warnings()).singleElement().satisfies(warning ->
        assertThat(warning.getMessage()).contains(folder.toRealPath().toString())
            .contains("not closed cleanly"));
    assertThat(cache.stats().errorCount()).as("the discarded store, counted").isOne();
    assertThat(engine.cache("fresh", String.class, String.class).stats().errorCount()).isZero();
    cache.put("after", "works");
    assertThat(cache.get("after")).isEqualTo("works");

    engine.close();
    Cache<String, String> reopened = open().cache(ChildProcess.CACHE, String.class, String.class);
    assertThat(reopened.get("after")).isEqualTo("works");
    assertThat(logs.warnings()).hasSize(1);
  }

  /**
   * Issue 8's crash fault, repeated: a child killed with {@code kill -9} at a different point
   * each cycle (while it opens the folder or begins to write, just after its first writes, or
   * after thousands more), and each time this JVM reopens the folder, finds no corrupt value, writes,
   * closes cleanly and reads back what it wrote. {@code reliability.crash-cycles} cycles (2; the
   * soak profile runs more).
   */
  @Test
  void reopen_afterChildKilledRepeatedlyAtRandomPoints_opensEveryTimeAndNoValueIsCorrupt()
      throws Exception {
    int cycles = Integer.getInteger("reliability.crash-cycles", 2);
    Random random = new Random();
    int whole = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      Child child = start("write-until-killed");
      int point = cycle % 3;
      if (point == 1) {
        child.awaitLine("ready");
      } else if (point == 2) {
        child.awaitLine("written " + (6_000 + 1_000 * random.nextInt(20)));
      } else {
        child.awaitLine("opening"); // killed while it opens the folder or begins to write
      }

      child.process.destroyForcibly();
      child.awaitExit();

      CacheEngine engine = open();
      Cache<String, String> cache = engine.cache(ChildProcess.CACHE, String.class, String.class);
      List<String> keys;
      try (Stream<String> stream = cache.keys()) {
        keys = stream.collect(Collectors.toList());
      }
      for (String key : keys) {
        String value = cache.get(key);
        if (value != null && !key.startsWith("parent-")) {
          assertThat(ChildProcess.isWhole(key, value)).as("cycle %d: value of %s read back "
              + "whole", cycle, key).isTrue();
          whole++;
        }
      }
      cache.put("parent-" + cycle, "written cleanly");
      engine.close();
      engines.remove(engine);

      CacheEngine reopened = open();
      assertThat(reopened.cache(ChildProcess.CACHE, String.class, String.class)
          .get("parent-" + cycle)).as("cycle %d: a clean close keeps what was written", cycle)
          .isEqualTo("written cleanly");
      reopened.close();
      engines.remove(reopened);
    }
    assertThat(whole).as("an unclean store is discarded whole, never read in part").isZero();
    assertThat(logs.warnings()).allSatisfy(warning ->
        assertThat(warning.getMessage()).contains("not closed cleanly"));
  }

  @Test
  void open_folderHeldByAnotherProcess_failsAtOnceUntilThatProcessCloses() throws Exception {
    Child child = start("hold");
    child.awaitLine("ready");

    long start = System.nanoTime();
    Throwable thrown = catchThrowable(this::open);
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(thrown).isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("folder " + folder.toRealPath() + " is in use")
        .hasMessageContaining("another process");
    assertThat(took).isLessThan(Duration.ofSeconds(5));
    child.process.getOutputStream().close();
    child.awaitLine("closed");
    assertThat(child.awaitExit()).as(child.stderr()).isZero();

    Cache<String, String> cache = open().cache(ChildProcess.CACHE, String.class, String.class);
    assertThat(cache.get("held")).isEqualTo("by the child");
    assertThat(logs.warnings()).isEmpty();
  }
}
