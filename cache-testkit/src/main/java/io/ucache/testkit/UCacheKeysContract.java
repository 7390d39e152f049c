package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code @UCache} keys never alias what the caller owns, on a real engine, as a JUnit 5 class an
 * engine's test extends (like {@link UCacheContract}): a caller that reuses and changes one
 * {@code List} (or a record holding one) between calls gets the right value for what the list
 * holds at each call, finds the entries of earlier contents again, never makes a bounded cache
 * outgrow {@code maxSize}, and nothing logs SEVERE (Caffeine does when a stored key's
 * {@code hashCode} changes).
 *
 * <p>The methods use fixed cache names, so an engine whose caches outlive the JVM (a server, a
 * folder) must return a fresh namespace or folder from every {@link #baseConfig()} call. Entry
 * counts are polled with a deadline: an engine may evict after
 * the write returns.
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread.
 * <b>Nulls:</b> the hooks must not return {@code null}.
 */
public abstract class UCacheKeysContract {

  private static final Duration AWAIT = Duration.ofSeconds(30);

  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();
  private final List<LogRecord> severe = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel().intValue() >= Level.SEVERE.intValue()) {
        severe.add(record);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  /** For subclasses. */
  protected UCacheKeysContract() {}

  /**
   * A new builder for the engine under test; a fresh folder or namespace each call where engines
   * share one (see {@link UCacheContract#baseConfig()}).
   */
  protected abstract CacheConfig.Builder baseConfig();

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  @BeforeEach
  final void captureLogs() {
    Logger.getLogger("").addHandler(capture);
  }

  @AfterEach
  final void closeResources() throws Exception {
    Logger.getLogger("").removeHandler(capture);
    Exception failure = null;
    List<AutoCloseable> reversed = new ArrayList<>(resources);
    Collections.reverse(reversed);
    for (AutoCloseable resource : reversed) {
      try {
        resource.close();
      } catch (Exception e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Services: each method has a cache of its own, bounded to two entries.

  /** Keyed by one list argument: a bare key on an in-process engine. */
  public interface ByList {
    @UCache(name = "ucache-keys-by-list", maxSize = 2)
    String join(List<String> parts);
  }

  /** Keyed by a list and a string: a composite key. */
  public interface ByListAndSeparator {
    @UCache(name = "ucache-keys-by-list-and-separator", maxSize = 2)
    String join(List<String> parts, String separator);
  }

  /** A record holding a list, as a key. */
  public record Query(List<String> terms) {}

  /** Keyed by a record holding a list. */
  public interface ByRecord {
    @UCache(name = "ucache-keys-by-record", maxSize = 2)
    String search(Query query);
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  void call_callerReusesAndChangesItsList_keysAreCopiesAndMaxSizeHolds() {
    AtomicInteger calls = new AtomicInteger();
    Setup<ByList> setup = setup(ByList.class, parts -> {
      calls.incrementAndGet();
      return String.join("+", parts);
    });
    List<String> reused = new ArrayList<>(List.of("a0"));
    assertThat(setup.service.join(reused)).isEqualTo("a0");
    reused.set(0, "a1"); // what a caller reusing a buffer does
    // The one entry (no eviction yet) still holds [a0]: an equal list of another class finds it.
    assertThat(setup.service.join(List.of("a0"))).isEqualTo("a0");
    assertThat(calls).as("a hit for the stored content").hasValue(1);
    for (int i = 1; i < 6; i++) {
      reused.set(0, "a" + i);
      assertThat(setup.service.join(reused)).isEqualTo("a" + i);
    }
    assertThat(calls).hasValue(6);
    assertBoundedAndQuiet(setup);
  }

  @Test
  void call_callerChangesItsListAfterTheCall_storedEntryKeepsItsContent() {
    AtomicInteger calls = new AtomicInteger();
    Setup<ByList> setup = setup(ByList.class, parts -> {
      calls.incrementAndGet();
      return String.join("+", parts);
    });
    List<String> mine = new ArrayList<>(List.of("x", "y"));
    assertThat(setup.service.join(mine)).isEqualTo("x+y");
    mine.add("z");
    assertThat(setup.service.join(List.of("x", "y"))).isEqualTo("x+y");
    assertThat(calls).as("the stored key still holds [x, y]").hasValue(1);
    assertThat(setup.service.join(mine)).isEqualTo("x+y+z");
    assertThat(calls).hasValue(2);
    assertBoundedAndQuiet(setup);
  }

  @Test
  void call_listInACompositeKeyChangesBetweenCalls_keysAreCopiesAndMaxSizeHolds() {
    AtomicInteger calls = new AtomicInteger();
    Setup<ByListAndSeparator> setup = setup(ByListAndSeparator.class, (parts, separator) -> {
      calls.incrementAndGet();
      return String.join(separator, parts);
    });
    List<String> reused = new ArrayList<>(List.of("b0", "c"));
    assertThat(setup.service.join(reused, "-")).isEqualTo("b0-c");
    reused.set(0, "b1");
    assertThat(setup.service.join(List.of("b0", "c"), "-")).isEqualTo("b0-c");
    assertThat(calls).as("a hit for the stored content").hasValue(1);
    for (int i = 1; i < 6; i++) {
      reused.set(0, "b" + i);
      assertThat(setup.service.join(reused, "-")).isEqualTo("b" + i + "-c");
    }
    assertThat(calls).hasValue(6);
    assertBoundedAndQuiet(setup);
  }

  @Test
  void call_recordHoldingTheCallersListChangesBetweenCalls_keysAreCopies() {
    AtomicInteger calls = new AtomicInteger();
    Setup<ByRecord> setup = setup(ByRecord.class, query -> {
      calls.incrementAndGet();
      return String.join(" ", query.terms());
    });
    List<String> terms = new ArrayList<>(List.of("t0"));
    Query query = new Query(terms);
    assertThat(setup.service.search(query)).isEqualTo("t0");
    terms.set(0, "t1");
    assertThat(setup.service.search(new Query(List.of("t0")))).isEqualTo("t0");
    assertThat(calls).as("a hit for the stored content").hasValue(1);
    for (int i = 1; i < 6; i++) {
      terms.set(0, "t" + i);
      assertThat(setup.service.search(query)).isEqualTo("t" + i);
    }
    assertThat(calls).hasValue(6);
    assertBoundedAndQuiet(setup);
  }

  // ---------------------------------------------------------------------------------------------

  /** A proxied service and the caches its interceptor opened (one, at its first call). */
  private record Setup<T>(T service, List<Cache<?, ?>> opened) {}

  private <T> Setup<T> setup(Class<T> type, T target) {
    CacheEngine engine = manager().create(baseConfig().build());
    resources.add(engine);
    UCacheInterceptor interceptor = UCacheInterceptor.using(engine);
    resources.add(interceptor);
    List<Cache<?, ?>> opened = new CopyOnWriteArrayList<>();
    interceptor.onCacheOpened(opened::add);
    return new Setup<>(interceptor.proxy(type, target), opened);
  }

  /** Asserts the cache holds at most two entries (polled) and nothing was logged SEVERE. */
  private void assertBoundedAndQuiet(Setup<?> setup) {
    assertThat(setup.opened).hasSize(1);
    Cache<?, ?> cache = setup.opened.get(0);
    long deadline = System.nanoTime() + AWAIT.toNanos();
    long count = count(cache);
    while (count > 2 && System.nanoTime() - deadline < 0) {
      Thread.yield();
      count = count(cache);
    }
    assertThat(count).as("entries of a maxSize=2 cache").isLessThanOrEqualTo(2);
    assertThat(severe).extracting(LogRecord::getMessage).isEmpty();
  }

  private static long count(Cache<?, ?> cache) {
    try (Stream<?> keys = cache.keys()) {
      return keys.count();
    }
  }
}
