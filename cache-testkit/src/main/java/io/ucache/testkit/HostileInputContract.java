package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.google.common.testing.NullPointerTester;
import io.ucache.BulkLoader;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheLoader;
import io.ucache.context.EngineManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Hostile and bad input every engine must survive with its documented outcome, as a JUnit 5
 * class an engine's test extends (like {@link CacheEngineContract}): nulls to every public method
 * of a cache and its views, keys holding the Redis separator, newlines or glob characters, cache
 * names that are glob patterns, a loader that asks for its own key, and expiry racing concurrent
 * loads.
 *
 * <p>The loader failures (a runtime exception, a checked exception, an {@link Error}) are in
 * {@link CacheEngineContract}; bytes under UCache's keys that it did not write are engine tests,
 * as only the engine knows how to put them there.
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread.
 * <b>Nulls:</b> the hooks must not return {@code null}.
 */
public abstract class HostileInputContract {

  /** Expiry rounds with a fake ticker; each expires the entry once and loads it once. */
  private static final int EXPIRY_ROUNDS = 10_000;
  /** Expiry rounds with real time, for engines whose clock is a server's. */
  private static final int REAL_TIME_ROUNDS = 10;
  private static final int RACERS = 4;
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static final String RUN =
      Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final List<CacheEngine> engines = new CopyOnWriteArrayList<>();

  /** For subclasses. */
  protected HostileInputContract() {}

  /** A new builder for the engine under test, as in {@link CacheEngineContract#baseConfig()}. */
  protected abstract CacheConfig.Builder baseConfig();

  /**
   * Whether the engine takes its time from {@link CacheConfig#ticker()}; when {@code false}, the
   * expiry race runs a few rounds on real time instead of ten thousand on a fake ticker.
   */
  protected boolean supportsTicker() {
    return true;
  }

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  /** Starts an engine for {@link #baseConfig()} with {@code customize}; closed after the test. */
  protected final CacheEngine newEngine(java.util.function.UnaryOperator<CacheConfig.Builder> customize) {
    CacheEngine engine = manager().create(customize.apply(baseConfig()).build());
    engines.add(engine);
    return engine;
  }

  /** A cache name no other test or run uses, starting with {@code hint}. */
  protected static String uniqueName(String hint) {
    return hint + "-" + RUN + "-" + SEQUENCE.incrementAndGet();
  }

  @AfterEach
  final void closeEngines() {
    engines.forEach(CacheEngine::close);
    engines.clear();
  }

  // ---------------------------------------------------------------------------------------------
  // Nulls

  @Test
  void publicMethods_nullForANonNullableParameter_throwNullPointerException() {
    CacheEngine engine = newEngine(b -> b);
    Cache<String, String> cache = engine.cache(uniqueName("nulls"), String.class, String.class);
    cache.put("present", "value");
    NullPointerTester tester = new NullPointerTester()
        .setDefault(String.class, "present")
        .setDefault(Class.class, String.class)
        .setDefault(Duration.class, Duration.ofMinutes(1))
        .setDefault(CacheConfig.class, CacheConfig.defaults())
        .setDefault(Iterable.class, List.of("present"))
        .setDefault(CacheLoader.class, (CacheLoader<String, String>) key -> "loaded")
        .setDefault(BulkLoader.class, (BulkLoader<String, String>) keys -> Map.of());
    tester.testAllPublicInstanceMethods(cache);
    tester.testAllPublicInstanceMethods(cache.async());
    tester.testAllPublicInstanceMethods(engine);
  }

  // ---------------------------------------------------------------------------------------------
  // Awkward keys and cache names

  /** Keys that break naive key schemes: separators, line breaks, globs, escapes, hash marks. */
  private static final List<String> AWKWARD_KEYS = List.of("a:b", "a", "b", ":", "::", "a\nb",
      "a\r\nb", "*", "a*", "?", "[ab]", "a[b", "\\", "\\*", "#", "##", "#x", "##x", " ", "\t",
      "\u0000", "é", "\uD83D\uDE00", "a?", "?", "ucache:other:key", "x".repeat(300), "#" + "y".repeat(300));

  @Test
  void keys_separatorsNewlinesAndGlobs_eachRoundTripsToItsOwnValue() {
    Cache<String, String> cache = newEngine(b -> b)
        .cache(uniqueName("awkward"), String.class, String.class);
    Map<String, String> entries = new LinkedHashMap<>();
    for (int i = 0; i < AWKWARD_KEYS.size(); i++) {
      entries.put(AWKWARD_KEYS.get(i), "value-" + i);
    }
    entries.forEach(cache::put);

    entries.forEach((key, value) ->
        assertThat(cache.get(key)).as("value of %s", printable(key)).isEqualTo(value));
    assertThat(cache.getAll(entries.keySet())).isEqualTo(entries);
    try (Stream<String> keys = cache.keys()) {
      assertThat(keys.collect(Collectors.toSet())).isEqualTo(entries.keySet());
    }
    cache.evict("*");
    assertThat(cache.get("*")).isNull();
    assertThat(cache.get("a*")).as("evicting '*' leaves 'a*'").isEqualTo(entries.get("a*"));
    assertThat(cache.get("a")).isEqualTo(entries.get("a"));
  }

  @Test
  void put_keysWithUnpairedSurrogates_roundTripOrAreRefusedNeverMistakenForAnother() {
    Cache<String, String> cache = newEngine(b -> b)
        .cache(uniqueName("surrogates"), String.class, String.class);
    cache.put("a?", "plain");
    cache.put("?", "plain-question-mark");
    for (String broken : List.of("a\uD800", "\uDC00", "\uD800\uD800", "x\uDBFFy")) {
      try {
        cache.put(broken, "broken");
      } catch (IllegalArgumentException refused) {
        // The documented outcome of a store whose keys are UTF-8 text (Redis).
        assertThat(refused).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> cache.get(broken)).isInstanceOf(IllegalArgumentException.class);
        continue;
      }
      assertThat(cache.get(broken)).isEqualTo("broken");
    }
    assertThat(cache.get("a?")).as("a key that only looks like a broken one").isEqualTo("plain");
    assertThat(cache.get("?")).isEqualTo("plain-question-mark");
  }

  @Test
  void clearAndKeys_cacheNamesThatAreGlobPatterns_touchOnlyTheirOwnCache() {
    CacheEngine engine = newEngine(b -> b);
    String base = uniqueName("glob");
    List<String> names = List.of(base + "-*", base + "-?", base + "-[ab]", base + "-a",
        base + "-b", base + "-\\");
    List<Cache<String, String>> caches = new ArrayList<>();
    for (String name : names) {
      Cache<String, String> cache = engine.cache(name, String.class, String.class);
      cache.put("k", name);
      cache.put("*", name);
      caches.add(cache);
    }

    for (Cache<String, String> cache : caches) {
      try (Stream<String> keys = cache.keys()) {
        assertThat(keys.collect(Collectors.toSet())).as("keys of %s", cache.name())
            .isEqualTo(Set.of("k", "*"));
      }
    }
    caches.get(0).clear();
    caches.get(1).clear();
    caches.get(2).clear();
    for (Cache<String, String> cache : caches.subList(3, caches.size())) {
      assertThat(cache.get("k")).as("%s after the glob-named caches were cleared", cache.name())
          .isEqualTo(cache.name());
      assertThat(cache.get("*")).isEqualTo(cache.name());
    }
    assertThat(caches.get(0).get("k")).isNull();
  }

  // ---------------------------------------------------------------------------------------------
  // Loaders

  @Test
  void get_loaderAsksForItsOwnKey_throwsIllegalStateExceptionWithoutDeadlock() {
    Cache<String, String> cache = newEngine(b -> b)
        .cache(uniqueName("reentrant"), String.class, String.class);
    AtomicInteger calls = new AtomicInteger();

    assertTimeoutPreemptively(BOUND, () -> {
      assertThatThrownBy(() -> cache.get("k", key -> {
        calls.incrementAndGet();
        return "outer:" + cache.get(key, inner -> "inner");
      })).isInstanceOf(IllegalStateException.class).hasMessageContaining("k");
    });
    assertThat(calls).hasValue(1);
    assertThat(cache.get("k")).as("nothing cached by the failed load").isNull();
    assertThat(cache.get("k", key -> "later")).as("the key loads normally afterwards")
        .isEqualTo("later");
  }

  @Test
  void getWithLoader_expiryRacingConcurrentGets_loaderRunsOncePerExpiry() throws Exception {
    FakeTicker ticker = new FakeTicker();
    Duration ttl = supportsTicker() ? Duration.ofSeconds(10) : Duration.ofMillis(200);
    int rounds = supportsTicker() ? EXPIRY_ROUNDS : REAL_TIME_ROUNDS;
    Cache<String, String> cache = newEngine(b -> supportsTicker() ? b.ttl(ttl).ticker(ticker)
        : b.ttl(ttl)).cache(uniqueName("expiry-race"), String.class, String.class);
    AtomicInteger loads = new AtomicInteger();
    CacheLoader<String, String> loader = key -> "load-" + loads.incrementAndGet();
    cache.get("k", loader);
    AtomicInteger expirations = new AtomicInteger();
    // Every racer arrives, then the entry expires, then all of them get it at once.
    CyclicBarrier barrier = new CyclicBarrier(RACERS, () -> {
      expirations.incrementAndGet();
      if (supportsTicker()) {
        ticker.advance(ttl.plusNanos(1));
      } else {
        awaitExpiry(cache);
      }
    });
    ExecutorService pool = Executors.newFixedThreadPool(RACERS);
    try {
      List<Future<?>> racers = new ArrayList<>();
      for (int r = 0; r < RACERS; r++) {
        racers.add(pool.submit(() -> {
          for (int round = 0; round < rounds; round++) {
            barrier.await(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(cache.get("k", loader)).startsWith("load-");
          }
          return null;
        }));
      }
      for (Future<?> racer : racers) {
        racer.get(5, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(expirations).hasValue(rounds);
    assertThat(loads).as("loader calls: the first load and one per expiry")
        .hasValue(rounds + 1);
  }

  private static void awaitExpiry(Cache<String, String> cache) {
    long deadline = System.nanoTime() + BOUND.toNanos();
    while (cache.get("k") != null) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("the entry never expired");
      }
      Thread.yield();
    }
  }

  private static String printable(String key) {
    String shown = key.length() > 20 ? key.substring(0, 20) + "..." : key;
    return "'" + shown.replace("\n", "\\n").replace("\r", "\\r").replace("\u0000", "\\0") + "'";
  }
}
