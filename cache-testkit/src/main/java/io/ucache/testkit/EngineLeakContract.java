package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineContext;
import io.ucache.context.EngineManager;
import io.ucache.spi.LeakGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Resource safety every engine must have, as a JUnit 5 class an engine's test extends: opening
 * and closing an engine a thousand times leaves the JVM's threads, its file descriptors and the
 * server's client connections where they were, and an engine or {@link EngineContext} dropped
 * without {@code close()} is reported once by {@link LeakGuard}, naming where it was created, and
 * its resources are released.
 *
 * <pre>{@code
 * class MyEngineLeakTest extends EngineLeakContract {
 *   @Override
 *   protected CacheConfig.Builder baseConfig() {
 *     return CacheConfig.builder().engine("my-engine");
 *   }
 * }
 * }</pre>
 *
 * <p>Threads are compared by name, digits masked ({@code lettuce-nioEventLoop-#-#}), so that a
 * pool the JVM keeps for good (Ehcache's one static flush thread, the common fork-join pool)
 * counts as baseline once the first engine started it, while any thread an engine should have
 * stopped shows up by name. The cycle count is {@value #CYCLES_PROPERTY} (default 1,000; the
 * {@code soak} Maven profile raises it).
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread.
 * <b>Nulls:</b> the hooks must not return {@code null}.
 */
public abstract class EngineLeakContract {

  /** The system property holding how many open/close cycles the cycle test runs. */
  public static final String CYCLES_PROPERTY = "io.ucache.test.leakCycles";
  private static final Duration AWAIT = Duration.ofSeconds(60);
  /** Descriptors the JVM may open lazily meanwhile (a jar, a class-data file) and keep. */
  private static final long DESCRIPTOR_SLACK = 8;
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final List<LogRecord> warnings = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final Logger leakLogger = Logger.getLogger(LeakGuard.class.getName());

  /** For subclasses. */
  protected EngineLeakContract() {}

  // ---------------------------------------------------------------------------------------------
  // Hooks

  /**
   * A new builder for the engine under test, as in {@link CacheEngineContract#baseConfig()}. A
   * test may open and close many engines from one builder in turn, never two at once.
   */
  protected abstract CacheConfig.Builder baseConfig();

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  /**
   * The number of client connections the engine's server has now, for engines that talk to one
   * (a Redis engine returns the line count of {@code CLIENT LIST}); {@code -1}, the default, for
   * engines without a server.
   */
  protected long serverConnections() {
    return -1;
  }

  // ---------------------------------------------------------------------------------------------

  @BeforeEach
  final void captureLeakWarnings() {
    leakLogger.addHandler(capture);
  }

  @AfterEach
  final void stopCapturing() {
    leakLogger.removeHandler(capture);
  }

  @Test
  void openClose_manyCycles_threadsDescriptorsAndConnectionsBackToBaseline() {
    CacheConfig config = baseConfig().build();
    // The first engine starts what the JVM keeps for good (static pools, loaded jars).
    useOnce(config, 0);
    Resources baseline = Resources.now(serverConnections());
    int cycles = Integer.getInteger(CYCLES_PROPERTY, 1_000);
    long start = System.nanoTime();
    for (int i = 1; i <= cycles; i++) {
      useOnce(config, i);
    }
    long millis = (System.nanoTime() - start) / 1_000_000;
    System.out.printf("%s: %d open/close cycles of the %s engine took %d ms (%.2f ms each)%n",
        getClass().getSimpleName(), cycles, config.engine().orElse("default"), millis,
        (double) millis / cycles);
    awaitBaseline(baseline, "after " + cycles + " open/close cycles");
  }

  @Test
  void engine_droppedWithoutClose_oneWarningNamesWhereItWasCreatedAndResourcesAreReleased() {
    CacheConfig config = baseConfig().build();
    useOnce(config, 0);
    Resources baseline = Resources.now(serverConnections());

    openEngineAndDropIt(config);

    String site = EngineLeakContract.class.getName() + ".openEngineAndDropIt(";
    awaitWarningFrom(site);
    awaitBaseline(baseline, "after the dropped engine was released");
    assertThat(warningsFrom(site)).as("warnings naming the creation site").hasSize(1);
    assertThat(warningsFrom(site).get(0).getMessage()).contains("engine", "without being closed");
    // Released, not merely reported: a new engine takes the same folder, server, namespace.
    useOnce(config, 1);
  }

  @Test
  void context_droppedWithoutClose_oneWarningNamesWhereItWasOpenedAndItsEngineIsClosed()
      throws InterruptedException {
    CacheConfig config = baseConfig().build();
    useOnce(config, 0);
    Resources baseline = Resources.now(serverConnections());

    // A context stays its thread's current one until closed, so a leaked context is one whose
    // thread ended inside the block.
    Thread thread = new Thread(() -> openContextAndDropIt(config), "leaks-a-context");
    thread.start();
    thread.join(AWAIT.toMillis());
    assertThat(thread.isAlive()).as("the thread that opens the context ended").isFalse();

    String site = EngineLeakContract.class.getName() + ".openContextAndDropIt(";
    awaitWarningFrom(site);
    awaitBaseline(baseline, "after the dropped context was released");
    assertThat(warningsFrom(site)).as("one warning, the context's; its engine's stays quiet")
        .hasSize(1);
    assertThat(warningsFrom(site).get(0).getMessage()).contains("context");
    useOnce(config, 1);
  }

  @Test
  void engine_onlyACacheOfItKept_staysOpenUntilTheCacheIsDroppedToo() {
    CacheConfig config = baseConfig().build();
    Cache<String, String> cache = openEngineKeepingOnlyACache(config);
    String site = EngineLeakContract.class.getName() + ".openEngineKeepingOnlyACache(";
    for (int i = 0; i < 3; i++) {
      System.gc();
      cache.put("k" + i, "v" + i);
      assertThat(cache.get("k" + i)).isEqualTo("v" + i);
    }
    assertThat(warningsFrom(site)).as("warnings while the cache is in use").isEmpty();

    cache = null;
    awaitWarningFrom(site);
    assertThat(warningsFrom(site)).hasSize(1);
  }

  // ---------------------------------------------------------------------------------------------

  private void useOnce(CacheConfig config, int round) {
    if (round % 2 == 0) {
      try (CacheEngine engine = manager().create(config)) {
        use(engine, round);
      }
    } else {
      try (EngineContext context = EngineContext.open(config, manager())) {
        use(context.engine(), round);
      }
    }
  }

  private static void use(CacheEngine engine, int round) {
    Cache<String, String> cache = engine.cache("leak-check", String.class, String.class);
    cache.put("round", Integer.toString(round));
    assertThat(cache.get("round")).isEqualTo(Integer.toString(round));
  }

  /** Kept apart, so that nothing of the engine stays on the test's stack frame. */
  private void openEngineAndDropIt(CacheConfig config) {
    CacheEngine engine = manager().create(config);
    use(engine, 0);
  }

  private void openContextAndDropIt(CacheConfig config) {
    EngineContext context = EngineContext.open(config, manager());
    use(context.engine(), 0);
  }

  private Cache<String, String> openEngineKeepingOnlyACache(CacheConfig config) {
    CacheEngine engine = manager().create(config);
    Cache<String, String> cache = engine.cache("kept-" + SEQUENCE.incrementAndGet(),
        String.class, String.class);
    use(engine, 0);
    return cache;
  }

  private List<LogRecord> warningsFrom(String site) {
    return warnings.stream()
        .filter(r -> r.getMessage() != null && r.getMessage().contains(site))
        .toList();
  }

  private void awaitWarningFrom(String site) {
    await("a leak warning naming " + site, () -> {
      System.gc();
      return !warningsFrom(site).isEmpty();
    });
  }

  private void awaitBaseline(Resources baseline, String when) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (true) {
      Resources now = Resources.now(serverConnections());
      if (now.within(baseline)) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        fail("Resources not back to baseline " + when + " within " + AWAIT + ":\n"
            + now.differenceFrom(baseline));
      }
      Thread.onSpinWait();
      System.gc();
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("Timed out after " + AWAIT + " waiting for " + what);
      }
      Thread.yield();
    }
  }

  /** Live threads by masked name, open file descriptors, server connections. */
  private record Resources(Map<String, Integer> threads, long descriptors, long connections) {

    static Resources now(long connections) {
      Map<String, Integer> threads = new TreeMap<>();
      for (Thread thread : Thread.getAllStackTraces().keySet()) {
        if (thread.isAlive()) {
          threads.merge(mask(thread.getName()), 1, Integer::sum);
        }
      }
      return new Resources(threads, openDescriptors(), connections);
    }

    boolean within(Resources baseline) {
      return extraThreads(baseline).isEmpty()
          && descriptors <= baseline.descriptors + DESCRIPTOR_SLACK
          && connections <= baseline.connections;
    }

    String differenceFrom(Resources baseline) {
      return "  threads beyond baseline: " + extraThreads(baseline) + "\n"
          + "  file descriptors: " + descriptors + " (baseline " + baseline.descriptors
          + ", slack " + DESCRIPTOR_SLACK + ")\n"
          + "  server connections: " + connections + " (baseline " + baseline.connections + ")";
    }

    private Map<String, Integer> extraThreads(Resources baseline) {
      Map<String, Integer> extra = new TreeMap<>();
      threads.forEach((name, count) -> {
        int allowed = baseline.threads.getOrDefault(name, 0);
        // The common pool grows and shrinks with the JVM's own use of it, not an engine's.
        if (count > allowed && !name.startsWith("ForkJoinPool.commonPool")) {
          extra.put(name, count - allowed);
        }
      });
      return extra;
    }

    private static String mask(String name) {
      return name.replaceAll("\\d+", "#");
    }

    private static long openDescriptors() {
      Path fds = Path.of("/proc/self/fd");
      if (Files.isDirectory(fds)) {
        try (Stream<Path> list = Files.list(fds)) {
          return list.count();
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
      if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
        return unix.getOpenFileDescriptorCount();
      }
      return 0;
    }
  }
}
