package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import com.google.common.collect.testing.ConcurrentMapTestSuiteBuilder;
import com.google.common.collect.testing.TestStringMapGenerator;
import com.google.common.collect.testing.features.CollectionFeature;
import com.google.common.collect.testing.features.CollectionSize;
import com.google.common.collect.testing.features.MapFeature;
import io.ucache.AsyncCache;
import io.ucache.BulkLoader;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.CacheLoadException;
import io.ucache.CacheLoader;
import io.ucache.CacheStats;
import io.ucache.CachedValue;
import io.ucache.Capability;
import io.ucache.EngineHealth;
import io.ucache.context.CacheContext;
import io.ucache.context.EngineContext;
import io.ucache.context.EngineManager;
import io.ucache.spi.AbstractCache;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import junit.framework.TestSuite;
import org.assertj.core.api.SoftAssertions;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The behaviour every UCache engine must have, as a JUnit 5 class that an engine's test extends:
 *
 * <pre>{@code
 * class MyEngineContractTest extends CacheEngineContract {
 *   @Override
 *   protected CacheConfig.Builder baseConfig() {
 *     return CacheConfig.builder().engine("my-engine");
 *   }
 * }
 * }</pre>
 *
 * <p>The tests are grouped by feature in {@link Nested} classes, which JUnit runs through the
 * subclass. Each test starts its own engines through {@link #manager()} from a fresh
 * {@link #baseConfig()}, closes them when it ends, and uses cache names no other test (or earlier
 * run) uses, so tests never see each other's entries, even on a shared server.
 *
 * <p>Expiry is tested with a {@link FakeTicker} passed through
 * {@link CacheConfig.Builder#ticker}, so no test waits for time to pass. An engine whose clock
 * cannot be replaced (a server's) returns {@code false} from {@link #supportsTicker()}; its expiry
 * tests then use real TTLs of {@link #realTimeTtl()} and poll for the outcome with a deadline.
 * Tests of an optional {@link Capability} check {@link CacheEngine#capabilities()}: without
 * {@link Capability#PER_ENTRY_TTL}, they assert that a per-entry TTL is refused instead. Tests of
 * per-entry TTL configure {@code require=per-entry-ttl}, as users must: an engine may build that
 * ability into a cache only when asked, since it can slow every hit (the caffeine engine does).
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread; tests
 * that need several threads start and stop their own. <b>Nulls:</b> the hooks must not return
 * {@code null}.
 */
public abstract class CacheEngineContract {

  /** How long a poll waits for an outcome (eviction, expiry, threads) before failing. */
  private static final Duration AWAIT = Duration.ofSeconds(30);
  /** Threads that ask for one key at once in the single-flight tests. */
  private static final int CALLERS = 32;
  /** Keys in the bulk tests. */
  private static final int MANY = 1_000;
  /** Tells this run's cache names from an earlier run's on a server that outlives the JVM. */
  private static final String RUN =
      Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  /** The engines this test started; closed after it. Tests may start them from other threads. */
  private final List<CacheEngine> engines = new CopyOnWriteArrayList<>();

  /** For subclasses. */
  protected CacheEngineContract() {}

  // ---------------------------------------------------------------------------------------------
  // Hooks

  /**
   * A new builder for the engine under test: its name ({@code engine}) and whatever it needs to
   * start (a folder, a URL). Called for every engine a test starts, and several engines may be
   * open at once, so where engines lock or share a resource (a disk folder, a namespace on a
   * server), return a fresh one each call. Tests add their own keys (ttl, max-size...) to it.
   */
  protected abstract CacheConfig.Builder baseConfig();

  /**
   * Whether the engine takes its time from {@link CacheConfig#ticker()}. When {@code true}
   * (the default) expiry tests move a {@link FakeTicker}; when {@code false} they use real TTLs of
   * {@link #realTimeTtl()} and poll.
   */
  protected boolean supportsTicker() {
    return true;
  }

  /**
   * Whether caches of {@link #baseConfig()} take {@code expire-after-access}; when {@code false}
   * (a near cache, whose hits would not keep the entry alive) the idle-expiry tests check that
   * such a cache is refused with {@code CacheConfigException} naming the key instead.
   */
  protected boolean supportsExpireAfterAccess() {
    return true;
  }

  /**
   * The TTL the expiry tests use when {@link #supportsTicker()} is {@code false}: short enough
   * to keep the suite quick, long enough for one operation to take a small fraction of it.
   * Default one second.
   */
  protected Duration realTimeTtl() {
    return Duration.ofSeconds(1);
  }

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  /**
   * The type {@link Cache#unwrap(Class)} returns, such as Caffeine's {@code Cache}. Default
   * {@code Object.class}, which only checks that something is returned.
   */
  protected Class<?> nativeCacheType() {
    return Object.class;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers for the tests here and in subclasses

  /**
   * Starts an engine for {@link #baseConfig()} as changed by {@code customize}; it is closed
   * when the test ends.
   */
  protected final CacheEngine newEngine(UnaryOperator<CacheConfig.Builder> customize) {
    CacheEngine engine = manager().create(customize.apply(baseConfig()).build());
    engines.add(engine);
    return engine;
  }

  /** Starts an engine for {@link #baseConfig()}; it is closed when the test ends. */
  protected final CacheEngine newEngine() {
    return newEngine(builder -> builder);
  }

  /** A cache name no other test, in this run or an earlier one, uses: {@code hint-run-number}. */
  protected static String uniqueName(String hint) {
    return hint + "-" + RUN + "-" + SEQUENCE.incrementAndGet();
  }

  @AfterEach
  final void closeEngines() {
    // Close them all even if one fails, then report the first failure with the others added.
    RuntimeException failure = null;
    for (CacheEngine engine : engines) {
      try {
        engine.close();
      } catch (RuntimeException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    engines.clear();
    if (failure != null) {
      throw failure;
    }
  }

  private static Cache<String, String> newCache(CacheEngine engine) {
    return engine.cache(uniqueName("cache"), String.class, String.class);
  }

  private Cache<String, String> newCache(UnaryOperator<CacheConfig.Builder> customize) {
    return newCache(newEngine(customize));
  }

  private Cache<String, String> newCache() {
    return newCache(newEngine());
  }

  private static long keyCount(Cache<?, ?> cache) {
    try (Stream<?> keys = cache.keys()) {
      return keys.count();
    }
  }

  private static Set<String> keySet(Cache<String, ?> cache) {
    try (Stream<String> keys = cache.keys()) {
      return keys.collect(Collectors.toSet());
    }
  }

  private static List<String> keys(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(i -> prefix + i).toList();
  }

  /** Polls {@code condition} until it holds; fails naming {@code what} after {@code within}. */
  private static void await(String what, Duration within, BooleanSupplier condition) {
    long deadline = System.nanoTime() + within.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("Timed out after " + within + " waiting until " + what);
      }
      Thread.yield();
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    await(what, AWAIT, condition);
  }

  private static <T> T join(CompletableFuture<T> future) throws Exception {
    return future.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A loader that counts its calls and returns {@code "loaded:" + key}. */
  private static CacheLoader<String, String> counting(AtomicInteger calls) {
    return key -> {
      calls.incrementAndGet();
      return "loaded:" + key;
    };
  }

  /** A loader that fails the test if it is called. */
  private static <V> CacheLoader<String, V> notCalled() {
    return key -> {
      throw new AssertionError("the loader was called for " + key + " on a hit");
    };
  }

  /** An error a loader throws; a type of its own so that no engine could throw it by chance. */
  private static final class LoaderError extends Error {
    private static final long serialVersionUID = 1L;

    LoaderError() {
      super("thrown by the test's loader");
    }
  }

  /** A type no engine has, to ask {@code unwrap} for. */
  private static final class Unrelated {
    private Unrelated() {}
  }

  // =============================================================================================

  /** The template's guarantees ({@link EngineCoreContract}), on this engine. */
  @Nested
  class Core extends EngineCoreContract {
    @Override
    protected CacheEngine newEngine(UnaryOperator<CacheConfig.Builder> customize) {
      return CacheEngineContract.this.newEngine(customize);
    }
  }

  @Nested
  class Reads {

    @Test
    void get_absentKey_returnsNull() {
      assertThat(newCache().get("absent")).isNull();
    }

    @Test
    void get_presentKey_returnsValue() {
      Cache<String, String> cache = newCache();
      cache.put("k", "v");

      assertThat(cache.get("k")).isEqualTo("v");
    }

    @Test
    void lookup_absentKey_returnsNull() {
      assertThat(newCache().lookup("absent")).isNull();
    }

    @Test
    void lookup_presentKey_returnsCachedValue() {
      Cache<String, String> cache = newCache();
      cache.put("k", "v");

      assertThat(cache.lookup("k")).isEqualTo(new CachedValue<>("v"));
    }

    /** What Spring's cache adapter reads through: a value, its own null marker, or a miss. */
    @Test
    @SuppressWarnings("unchecked")
    void lookupWithNullMarker_returnsValueMarkerOrNull_countedAsLookups() {
      Cache<String, String> cache = newCache(config -> config.nullValues(true));
      assertThat(cache).isInstanceOf(AbstractCache.class);
      AbstractCache<String, String, ?> template = (AbstractCache<String, String, ?>) cache;
      Object marker = new Object();
      cache.put("k", "v");
      cache.put("none", null);

      assertThat(template.lookup("k", marker)).isEqualTo("v");
      assertThat(template.lookup("none", marker)).isSameAs(marker);
      assertThat(template.lookup("absent", marker)).isNull();
      assertThat(cache.stats().hitCount()).isEqualTo(2);
      assertThat(cache.stats().missCount()).isEqualTo(1);
    }

    @Test
    void getAll_someKeysAbsent_returnsOnlyPresentOnes() {
      Cache<String, String> cache = newCache();
      cache.put("a", "1");
      cache.put("b", "2");

      assertThat(cache.getAll(List.of("a", "b", "c"))).isEqualTo(Map.of("a", "1", "b", "2"));
    }

    @Test
    void getAll_noKeys_returnsEmptyMap() {
      Cache<String, String> cache = newCache();
      cache.put("a", "1");

      assertThat(cache.getAll(List.of())).isEmpty();
    }
  }

  // =============================================================================================

  @Nested
  class Loading {

    @Test
    void get_withLoaderOnMiss_loadsOnceThenHits() {
      Cache<String, String> cache = newCache();
      AtomicInteger calls = new AtomicInteger();

      assertThat(cache.get("k", counting(calls))).isEqualTo("loaded:k");
      assertThat(cache.get("k", counting(calls))).isEqualTo("loaded:k");
      assertThat(calls).hasValue(1);
      assertThat(cache.lookup("k")).isEqualTo(new CachedValue<>("loaded:k"));
    }

    @Test
    void get_withLoaderOnHit_returnsCachedValueWithoutCallingLoader() {
      Cache<String, String> cache = newCache();
      cache.put("k", "v");

      assertThat(cache.get("k", notCalled())).isEqualTo("v");
    }

    @Test
    void get_loaderThrowsCheckedException_throwsCacheLoadExceptionWithKeyAndCause() {
      Cache<String, String> cache = newCache();
      IOException failure = new IOException("backend down");

      Throwable thrown = catchThrowable(() -> cache.get("k", key -> {
        throw failure;
      }));

      assertThat(thrown).isInstanceOfSatisfying(CacheLoadException.class, e -> {
        assertThat(e.key()).isEqualTo("k");
        assertThat(e.getCause()).isSameAs(failure);
      });
    }

    @Test
    void get_loaderThrowsUncheckedException_propagatesItUnchanged() {
      Cache<String, String> cache = newCache();
      IllegalStateException failure = new IllegalStateException("bad state");

      assertThatThrownBy(() -> cache.get("k", key -> {
        throw failure;
      })).isSameAs(failure);
    }

    @Test
    void get_loaderThrowsError_propagatesItUnchanged() {
      Cache<String, String> cache = newCache();
      LoaderError failure = new LoaderError();

      assertThatThrownBy(() -> cache.get("k", key -> {
        throw failure;
      })).isSameAs(failure);
    }

    @Test
    void get_loaderFailed_cachesNothingAndNextCallLoadsAgain() {
      Cache<String, String> cache = newCache();
      AtomicInteger calls = new AtomicInteger();
      CacheLoader<String, String> failsOnce = key -> {
        if (calls.incrementAndGet() == 1) {
          throw new IOException("first call fails");
        }
        return "second";
      };

      assertThatThrownBy(() -> cache.get("k", failsOnce)).isInstanceOf(CacheLoadException.class);
      assertThat(cache.lookup("k")).isNull();
      assertThat(cache.get("k", failsOnce)).isEqualTo("second");
      assertThat(calls).hasValue(2);
      assertThat(cache.get("k")).isEqualTo("second");
    }

    @Test
    void getAll_withBulkLoader_loadsExactlyTheMissingKeysInOneCall() {
      Cache<String, String> cache = newCache();
      cache.put("a", "cached");
      List<Set<String>> calls = new CopyOnWriteArrayList<>();

      Map<String, String> result = cache.getAll(List.of("a", "b", "c"), missing -> {
        calls.add(Set.copyOf(missing));
        return missing.stream().collect(Collectors.toMap(k -> k, k -> "loaded:" + k));
      });

      assertThat(calls).containsExactly(Set.of("b", "c"));
      assertThat(result).isEqualTo(Map.of("a", "cached", "b", "loaded:b", "c", "loaded:c"));
      assertThat(cache.getAll(List.of("a", "b", "c"))).isEqualTo(result);
    }

    @Test
    void getAll_allKeysPresent_doesNotCallBulkLoader() {
      Cache<String, String> cache = newCache();
      cache.putAll(Map.of("a", "1", "b", "2"));

      assertThat(cache.getAll(List.of("a", "b"), missing -> {
        throw new AssertionError("bulk loader called for " + missing);
      })).isEqualTo(Map.of("a", "1", "b", "2"));
    }

    @Test
    void getAll_bulkLoaderReturnsKeysNotAskedFor_cachesThemToo() {
      Cache<String, String> cache = newCache();

      Map<String, String> result = cache.getAll(List.of("a"),
          missing -> Map.of("a", "1", "extra", "2"));

      assertThat(result).isEqualTo(Map.of("a", "1"));
      assertThat(cache.lookup("extra")).isEqualTo(new CachedValue<>("2"));
    }

    @Test
    void getAll_bulkLoaderLeavesKeysOut_thoseStayAbsent() {
      Cache<String, String> cache = newCache();

      Map<String, String> result = cache.getAll(List.of("a", "b"), missing -> Map.of("a", "1"));

      assertThat(result).isEqualTo(Map.of("a", "1"));
      assertThat(cache.lookup("b")).isNull();
      assertThat(cache.lookup("a")).isEqualTo(new CachedValue<>("1"));
    }

    @Test
    void getAll_bulkLoaderThrowsCheckedException_throwsCacheLoadExceptionAndCachesNothing() {
      Cache<String, String> cache = newCache();
      IOException failure = new IOException("backend down");
      BulkLoader<String, String> loader = missing -> {
        throw failure;
      };

      Throwable thrown = catchThrowable(() -> cache.getAll(List.of("a", "b"), loader));

      assertThat(thrown).isInstanceOf(CacheLoadException.class).cause().isSameAs(failure);
      assertThat(cache.getAll(List.of("a", "b"))).isEmpty();
    }

    @Test
    void getAll_bulkLoaderThrowsUncheckedException_propagatesItUnchanged() {
      Cache<String, String> cache = newCache();
      IllegalStateException failure = new IllegalStateException("bad state");

      assertThatThrownBy(() -> cache.getAll(List.of("a"), missing -> {
        throw failure;
      })).isSameAs(failure);
    }
  }

  // =============================================================================================

  @Nested
  class Writes {

    @Test
    void put_newKey_storesValue() {
      Cache<String, String> cache = newCache();

      cache.put("k", "v");

      assertThat(cache.get("k")).isEqualTo("v");
    }

    @Test
    void put_existingKey_replacesValue() {
      Cache<String, String> cache = newCache();
      cache.put("k", "old");

      cache.put("k", "new");

      assertThat(cache.get("k")).isEqualTo("new");
      assertThat(keyCount(cache)).isOne();
    }

    @Test
    void putIfAbsent_absentKey_storesValueAndReturnsNull() {
      Cache<String, String> cache = newCache();

      assertThat(cache.putIfAbsent("k", "v")).isNull();
      assertThat(cache.get("k")).isEqualTo("v");
    }

    @Test
    void putIfAbsent_presentKey_keepsValueAndReturnsExistingEntry() {
      Cache<String, String> cache = newCache();
      cache.put("k", "first");

      assertThat(cache.putIfAbsent("k", "second")).isEqualTo(new CachedValue<>("first"));
      assertThat(cache.get("k")).isEqualTo("first");
    }

    @Test
    void putAll_entries_storesEveryEntry() {
      Cache<String, String> cache = newCache();
      cache.put("a", "old");

      cache.putAll(Map.of("a", "1", "b", "2", "c", "3"));

      assertThat(cache.getAll(List.of("a", "b", "c")))
          .isEqualTo(Map.of("a", "1", "b", "2", "c", "3"));
    }

    @Test
    void evict_presentKey_removesOnlyThatEntry() {
      Cache<String, String> cache = newCache();
      cache.putAll(Map.of("a", "1", "b", "2"));

      cache.evict("a");

      assertThat(cache.lookup("a")).isNull();
      assertThat(cache.get("b")).isEqualTo("2");
    }

    @Test
    void evict_absentKey_changesNothing() {
      Cache<String, String> cache = newCache();
      cache.put("a", "1");

      cache.evict("absent");

      assertThat(keySet(cache)).containsExactly("a");
    }

    @Test
    void evictAll_keys_removesOnlyThoseEntries() {
      Cache<String, String> cache = newCache();
      cache.putAll(Map.of("a", "1", "b", "2", "c", "3"));

      cache.evictAll(List.of("a", "b", "absent"));

      assertThat(keySet(cache)).containsExactly("c");
    }

    @Test
    void clear_cache_removesEveryEntry() {
      Cache<String, String> cache = newCache();
      cache.putAll(Map.of("a", "1", "b", "2"));

      cache.clear();

      assertThat(cache.lookup("a")).isNull();
      assertThat(keyCount(cache)).isZero();
      cache.put("c", "3");
      assertThat(cache.get("c")).isEqualTo("3");
    }

    @Test
    void clear_oneCache_leavesOtherCachesOfTheEngineAlone() {
      CacheEngine engine = newEngine();
      Cache<String, String> cleared = newCache(engine);
      Cache<String, String> other = newCache(engine);
      cleared.putAll(Map.of("a", "1", "b", "2"));
      other.putAll(Map.of("a", "1", "b", "2"));

      cleared.clear();

      assertThat(keyCount(cleared)).isZero();
      assertThat(other.getAll(List.of("a", "b"))).isEqualTo(Map.of("a", "1", "b", "2"));
    }
  }

  // =============================================================================================

  @Nested
  class Identity {

    @Test
    void engine_baseConfig_isTheNamedEngine() {
      CacheConfig config = baseConfig().build();

      assertThat(config.engine()).as("baseConfig() must name the engine under test").isPresent();
      assertThat(newEngine().name()).isEqualTo(config.engine().orElseThrow());
    }

    @Test
    void capabilities_engine_matchWhatDiscoveryReports() {
      CacheEngine engine = newEngine();

      assertThat(manager().engine(engine.name())).hasValueSatisfying(
          info -> assertThat(info.capabilities()).isEqualTo(engine.capabilities()));
    }

    @Test
    void cache_withSettings_appliesThemToThatCacheOnly() {
      CacheEngine engine = newEngine();
      Cache<String, String> lenient = engine.cache(uniqueName("lenient"), String.class,
          String.class, CacheConfig.builder().nullValues(true).build());
      Cache<String, String> strict = newCache(engine);

      lenient.put("k", null);

      assertThat(lenient.lookup("k")).isEqualTo(new CachedValue<String>(null));
      assertThatThrownBy(() -> strict.put("k", null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void cache_sameNameSameOrNoSettings_returnsTheSameCache() {
      CacheEngine engine = newEngine();
      String name = uniqueName("settled");
      CacheConfig settings = CacheConfig.builder().nullValues(true).build();
      Cache<String, String> first = engine.cache(name, String.class, String.class, settings);

      assertThat(engine.cache(name, String.class, String.class, settings)).isSameAs(first);
      assertThat(engine.cache(name, String.class, String.class)).isSameAs(first);
    }

    @Test
    void cache_sameNameOtherSettings_throwsIllegalArgumentException() {
      CacheEngine engine = newEngine();
      String name = uniqueName("unsettled");
      engine.cache(name, String.class, String.class, CacheConfig.builder().nullValues(true).build());

      assertThatThrownBy(() -> engine.cache(name, String.class, String.class,
          CacheConfig.builder().nullValues(false).build()))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(name);
    }

    @Test
    void cache_settingsWithAnEngineWideKey_throwsCacheConfigExceptionNamingIt() {
      CacheEngine engine = newEngine();

      assertThatThrownBy(() -> engine.cache(uniqueName("wide"), String.class, String.class,
          CacheConfig.builder().namespace("elsewhere").build()))
          .isInstanceOf(CacheConfigException.class).hasMessageContaining("namespace");
    }

    @Test
    void name_cache_isTheNameItWasOpenedWith() {
      String name = uniqueName("named");

      assertThat(newEngine().cache(name, String.class, String.class).name()).isEqualTo(name);
    }

    @Test
    void cacheNames_afterOpeningCaches_listsThem() {
      CacheEngine engine = newEngine();
      String first = newCache(engine).name();
      String second = newCache(engine).name();

      assertThat(engine.cacheNames()).contains(first, second);
    }

    @Test
    void unwrap_nativeType_returnsTheNativeCache() {
      Cache<String, String> cache = newCache();

      assertThat(cache.unwrap(nativeCacheType())).isInstanceOf(nativeCacheType());
    }

    @Test
    void unwrap_unrelatedType_throwsIllegalArgumentException() {
      CacheEngine engine = newEngine();
      Cache<String, String> cache = newCache(engine);

      assertThatThrownBy(() -> cache.unwrap(Unrelated.class))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> engine.unwrap(Unrelated.class))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  // =============================================================================================

  @Nested
  class Stats {

    /** Two hits, two misses by plain reads; one load, one hit and one failed load by loaders. */
    private void useCache(Cache<String, String> cache) {
      cache.get("absent");
      cache.lookup("absent");
      cache.put("k", "v");
      cache.get("k");
      cache.lookup("k");
      cache.get("loaded", key -> "v");
      cache.get("loaded", notCalled());
      catchThrowable(() -> cache.get("fails", key -> {
        throw new IOException("fails");
      }));
    }

    @Test
    void stats_statsOnByDefault_countsHitsMissesLoadsAndLoadFailures() {
      Cache<String, String> cache = newCache();

      useCache(cache);

      CacheStats stats = cache.stats();
      assertThat(stats.hitCount()).as("hits").isEqualTo(3);
      assertThat(stats.missCount()).as("misses").isEqualTo(4);
      assertThat(stats.loadSuccessCount()).as("loads").isEqualTo(1);
      assertThat(stats.loadFailureCount()).as("load failures").isEqualTo(1);
    }

    @Test
    void stats_newCache_allZero() {
      assertThat(newCache().stats()).isEqualTo(CacheStats.EMPTY);
    }

    @Test
    void stats_oneCache_countsOnlyItsOwnOperations() {
      CacheEngine engine = newEngine();
      Cache<String, String> used = newCache(engine);
      Cache<String, String> other = newCache(engine);

      useCache(used);

      assertThat(other.stats()).isEqualTo(CacheStats.EMPTY);
    }

    @Test
    void stats_statsOff_allZero() {
      Cache<String, String> cache = newCache(config -> config.stats(false));

      useCache(cache);

      assertThat(cache.stats()).isEqualTo(CacheStats.EMPTY);
    }
  }

  // =============================================================================================

  /**
   * Expiry. With a fake ticker the unit is ten minutes and checks sit 1% either side of a
   * deadline; in real time the unit is {@link #realTimeTtl()} and checks stay half a unit away
   * from deadlines, since a thread can be descheduled for a while.
   */
  @Nested
  class Expiry {
    private final @Nullable FakeTicker ticker = supportsTicker() ? new FakeTicker() : null;
    private final Duration unit = ticker != null ? Duration.ofMinutes(10) : realTimeTtl();
    private final Duration margin = ticker != null ? unit.dividedBy(100) : unit.dividedBy(2);

    private CacheEngine engine(UnaryOperator<CacheConfig.Builder> customize) {
      return newEngine(config -> {
        CacheConfig.Builder custom = customize.apply(config);
        return ticker != null ? custom.ticker(ticker) : custom;
      });
    }

    /** {@link #cache}, or null once checked that the engine refuses idle expiry here. */
    private @Nullable Cache<String, String> idleCache(
        UnaryOperator<CacheConfig.Builder> customize) {
      if (supportsExpireAfterAccess()) {
        return cache(customize);
      }
      assertThatThrownBy(() -> cache(customize))
          .isInstanceOf(io.ucache.CacheConfigException.class)
          .hasMessageContaining("expire-after-access");
      return null;
    }

    private Cache<String, String> cache(UnaryOperator<CacheConfig.Builder> customize) {
      return newCache(engine(customize));
    }

    /**
     * Moves the fake ticker by {@code span}. Real time cannot be skipped: the check after it
     * simply runs sooner, which still holds since it is meant to hold until the deadline.
     */
    private void skip(Duration span) {
      if (ticker != null) {
        ticker.advance(span);
      }
    }

    /**
     * Lets {@code span} pass, running {@code action} at least every tenth of it: ten steps of a
     * fake ticker, or back to back in real time.
     */
    private void elapse(Duration span, Runnable action) {
      if (ticker != null) {
        for (int step = 0; step < 10; step++) {
          ticker.advance(span.dividedBy(10));
          action.run();
        }
        return;
      }
      long end = System.nanoTime() + span.toNanos();
      do {
        action.run();
        Thread.yield();
      } while (System.nanoTime() - end < 0);
    }

    /**
     * Asserts that {@code key} is gone once {@code within} has passed without it being read: by
     * moving the fake ticker that far, or by polling the real clock. The polls list the keys
     * before they read the entry, since a read would keep an entry with expire-after-access alive.
     */
    private void assertExpiresWithin(Cache<String, String> cache, String key, Duration within) {
      if (ticker != null) {
        ticker.advance(within);
      } else {
        // Once the engine lists it no more, a read cannot keep it alive, and a near copy lasts
        // until the engine's invalidation of it arrives (its travel time, within AWAIT).
        await(key + " expired", within.plus(AWAIT),
            () -> !keySet(cache).contains(key) && cache.lookup(key) == null);
      }
      assertThat(cache.lookup(key)).as("%s after %s", key, within).isNull();
    }

    private void assertPresent(Cache<String, String> cache, String key) {
      assertThat(cache.lookup(key)).as(key).isNotNull();
    }

    private boolean perEntryTtl(CacheEngine engine) {
      return engine.capabilities().contains(Capability.PER_ENTRY_TTL);
    }

    /** Without the capability a per-entry TTL must be refused, never silently ignored. */
    private void assertPerEntryTtlRefused(Cache<String, String> cache) {
      assertThatThrownBy(() -> cache.put("k", "v", unit))
          .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void put_ttlElapsed_entryExpires() {
      Cache<String, String> cache = cache(config -> config.ttl(unit));
      cache.put("k", "v");

      skip(unit.minus(margin));
      assertPresent(cache, "k");
      assertExpiresWithin(cache, "k", margin.multipliedBy(2));
    }

    @Test
    void put_overwriteBeforeTtl_restartsTtl() {
      Cache<String, String> cache = cache(config -> config.ttl(unit));
      cache.put("k", "v");

      // Each overwrite comes well within the TTL of the previous one, for twice the TTL.
      elapse(unit.multipliedBy(2), () -> {
        assertPresent(cache, "k");
        cache.put("k", "v");
      });

      skip(unit.minus(margin));
      assertPresent(cache, "k");
      assertExpiresWithin(cache, "k", margin.multipliedBy(2));
    }

    @Test
    void get_expireAfterAccess_readsKeepEntryAlive() {
      Cache<String, String> cache = idleCache(config -> config.expireAfterAccess(unit));
      if (cache == null) {
        return; // refused, as checked
      }
      cache.put("k", "v");

      elapse(unit.multipliedBy(2), () -> assertThat(cache.get("k")).isEqualTo("v"));

      assertExpiresWithin(cache, "k", unit.plus(margin));
    }

    @Test
    void get_ttlWithExpireAfterAccess_entryReadConstantlyStillExpiresAtTtl() {
      Duration idle = unit.multipliedBy(2).dividedBy(5);
      Cache<String, String> cache = idleCache(config -> config.ttl(unit).expireAfterAccess(idle));
      if (cache == null) {
        return; // refused, as checked
      }
      cache.put("k", "v");

      // Reads keep the entry past its idle limit...
      elapse(unit.minus(margin), () -> assertThat(cache.get("k")).isEqualTo("v"));

      // ...but not past its TTL.
      if (ticker != null) {
        ticker.advance(margin.multipliedBy(2));
        assertThat(cache.get("k")).isNull();
      } else {
        // Reading all along: only the TTL can end it.
        await("k expired while read", unit.plus(AWAIT), () -> cache.get("k") == null);
      }
    }

    @Test
    void get_ttlWithExpireAfterAccess_unreadEntryExpiresWhenIdle() {
      Duration ttl = unit.multipliedBy(10);
      Cache<String, String> cache = idleCache(config -> config.ttl(ttl).expireAfterAccess(unit));
      if (cache == null) {
        return; // refused, as checked
      }
      long start = System.nanoTime();
      cache.put("k", "v");

      assertExpiresWithin(cache, "k", unit.plus(margin));
      if (ticker == null) {
        // Gone well before the TTL, so it was the idle limit that ended it.
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(ttl);
      }
    }

    @Test
    void put_perEntryTtlShorterThanCacheTtl_entryExpiresAtItsOwnTtl() {
      CacheEngine engine = engine(config ->
          config.require(Capability.PER_ENTRY_TTL).ttl(unit.multipliedBy(10)));
      Cache<String, String> cache = newCache(engine);
      if (!perEntryTtl(engine)) {
        assertPerEntryTtlRefused(cache);
        return;
      }
      cache.put("short", "v", unit);
      cache.put("default", "v");

      skip(unit.minus(margin));
      assertPresent(cache, "short");
      assertExpiresWithin(cache, "short", margin.multipliedBy(2));
      assertPresent(cache, "default");
    }

    @Test
    void put_perEntryTtlLongerThanCacheTtl_entryOutlivesCacheTtl() {
      CacheEngine engine = engine(config -> config.require(Capability.PER_ENTRY_TTL).ttl(unit));
      Cache<String, String> cache = newCache(engine);
      if (!perEntryTtl(engine)) {
        assertPerEntryTtlRefused(cache);
        return;
      }
      cache.put("long", "v", unit.multipliedBy(3));
      cache.put("default", "v");

      assertExpiresWithin(cache, "default", unit.plus(margin));
      assertPresent(cache, "long");
      assertExpiresWithin(cache, "long", unit.multipliedBy(2));
    }

    @Test
    void put_perEntryTtlOnCacheWithoutTtl_entryExpires() {
      CacheEngine engine = engine(config -> config.require(Capability.PER_ENTRY_TTL));
      Cache<String, String> cache = newCache(engine);
      if (!perEntryTtl(engine)) {
        assertPerEntryTtlRefused(cache);
        return;
      }
      cache.put("k", "v", unit);
      cache.put("forever", "v");

      skip(unit.minus(margin));
      assertPresent(cache, "k");
      assertExpiresWithin(cache, "k", margin.multipliedBy(2));
      assertPresent(cache, "forever");
    }

    @Test
    void put_perEntryTtlThenPlainPut_plainPutUsesCacheTtl() {
      CacheEngine engine = engine(config ->
          config.require(Capability.PER_ENTRY_TTL).ttl(unit.multipliedBy(10)));
      Cache<String, String> cache = newCache(engine);
      if (!perEntryTtl(engine)) {
        assertPerEntryTtlRefused(cache);
        return;
      }
      cache.put("k", "short-lived", unit);
      cache.put("k", "v");

      skip(unit.multipliedBy(2));
      assertThat(cache.get("k")).isEqualTo("v");
    }

    @Test
    void put_perEntryTtlZeroOrNegative_throwsIllegalArgumentException() {
      CacheEngine engine = engine(config -> config.require(Capability.PER_ENTRY_TTL));
      Cache<String, String> cache = newCache(engine);
      if (!perEntryTtl(engine)) {
        assertPerEntryTtlRefused(cache);
        return;
      }

      assertThatThrownBy(() -> cache.put("k", "v", Duration.ZERO))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> cache.put("k", "v", Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(cache.lookup("k")).isNull();
    }

    @Test
    void cache_perCacheTtlOverride_appliesOnlyToThatCache() {
      String shortLived = uniqueName("short");
      String other = uniqueName("other");
      CacheEngine engine = engine(config -> config
          .set("caches." + shortLived + ".ttl", unit.toString()));
      Cache<String, String> overridden = engine.cache(shortLived, String.class, String.class);
      Cache<String, String> plain = engine.cache(other, String.class, String.class);
      overridden.put("k", "v");
      plain.put("k", "v");

      skip(unit.minus(margin));
      assertPresent(overridden, "k");
      assertExpiresWithin(overridden, "k", margin.multipliedBy(2));
      assertPresent(plain, "k");
    }
  }

  // =============================================================================================

  @Nested
  class MaxSize {

    @Test
    void put_farBeyondMaxSize_evictsDownToMaxSizeAndCountsEvictions() {
      int maxSize = 10;
      Cache<String, String> cache = newCache(config -> config.maxSize(maxSize));

      for (String key : keys("k", MANY)) {
        cache.put(key, "v");
      }

      // Engines may evict in the background, so wait for it rather than expect it at once.
      await("at most " + maxSize + " keys remain", () -> keyCount(cache) <= maxSize);
      await("evictions are counted", () -> cache.stats().evictionCount() > 0);
      assertThat(cache.asMap().size()).isLessThanOrEqualTo(maxSize);
    }
  }

  // =============================================================================================

  @Nested
  class NullValues {

    private Cache<String, String> nullsAllowed() {
      return newCache(config -> config.nullValues(true));
    }

    @Test
    void put_nullValueByDefault_throwsNullPointerExceptionAndStoresNothing() {
      Cache<String, String> cache = newCache();

      assertThatThrownBy(() -> cache.put("k", null)).isInstanceOf(NullPointerException.class);
      assertThat(cache.lookup("k")).isNull();
    }

    @Test
    void get_loaderReturnsNullByDefault_returnsNullCachesNothingAndLoadsAgain() {
      Cache<String, String> cache = newCache();
      AtomicInteger calls = new AtomicInteger();
      CacheLoader<String, String> returnsNull = key -> {
        calls.incrementAndGet();
        return null;
      };

      assertThat(cache.get("k", returnsNull)).isNull();
      assertThat(cache.lookup("k")).isNull();
      assertThat(cache.get("k", returnsNull)).isNull();
      assertThat(calls).hasValue(2);
    }

    @Test
    void getAll_bulkLoaderReturnsNullValueByDefault_keyStaysAbsent() {
      Cache<String, String> cache = newCache();
      Map<String, String> loaded = new HashMap<>();
      loaded.put("a", "1");
      loaded.put("b", null);

      Map<String, String> result = cache.getAll(List.of("a", "b"), missing -> loaded);

      assertThat(result).isEqualTo(Map.of("a", "1"));
      assertThat(cache.lookup("b")).isNull();
    }

    @Test
    void put_nullValueWhenAllowed_lookupReturnsCachedNull() {
      Cache<String, String> cache = nullsAllowed();

      cache.put("k", null);

      assertThat(cache.lookup("k")).isEqualTo(new CachedValue<String>(null));
      assertThat(cache.get("k")).isNull();
      assertThat(cache.lookup("absent")).isNull();
    }

    @Test
    void get_loaderReturnsNullWhenAllowed_cachesNullAndLoadsOnce() {
      Cache<String, String> cache = nullsAllowed();
      AtomicInteger calls = new AtomicInteger();
      CacheLoader<String, String> returnsNull = key -> {
        calls.incrementAndGet();
        return null;
      };

      assertThat(cache.get("k", returnsNull)).isNull();
      assertThat(cache.get("k", returnsNull)).isNull();
      assertThat(calls).hasValue(1);
      assertThat(cache.lookup("k")).isEqualTo(new CachedValue<String>(null));
    }

    @Test
    void getAll_cachedNullWhenAllowed_includesKeyMappedToNull() {
      Cache<String, String> cache = nullsAllowed();
      cache.put("null", null);
      cache.put("a", "1");

      Map<String, String> result = cache.getAll(List.of("null", "a", "absent"));

      assertThat(result).containsOnlyKeys("null", "a").containsEntry("null", null);
    }

    @Test
    void putIfAbsent_cachedNullWhenAllowed_returnsEntryWithNullValue() {
      Cache<String, String> cache = nullsAllowed();
      cache.put("k", null);

      assertThat(cache.putIfAbsent("k", "v")).isEqualTo(new CachedValue<String>(null));
      assertThat(cache.lookup("k")).isEqualTo(new CachedValue<String>(null));
    }

    @Test
    void asMap_cachedNullWhenAllowed_hidesTheEntry() {
      Cache<String, String> cache = nullsAllowed();
      cache.put("null", null);
      cache.put("a", "1");

      ConcurrentMap<String, String> map = cache.asMap();

      assertThat(map.get("null")).isNull();
      assertThat(map.containsKey("null")).isFalse();
      assertThat(map).isEqualTo(Map.of("a", "1"));
      assertThat(map.size()).isOne();
    }
  }

  // =============================================================================================

  @Nested
  class NullKeys {

    @Test
    void get_nullKey_throwsNullPointerException() {
      Cache<String, String> cache = newCache();

      assertThatThrownBy(() -> cache.get(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void getWithLoader_nullKey_throwsNullPointerExceptionWithoutCallingLoader() {
      Cache<String, String> cache = newCache();

      assertThatThrownBy(() -> cache.get(null, notCalled()))
          .isInstanceOf(NullPointerException.class);
    }

    @Test
    void lookup_nullKey_throwsNullPointerException() {
      Cache<String, String> cache = newCache();

      assertThatThrownBy(() -> cache.lookup(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void put_nullKey_throwsNullPointerException() {
      Cache<String, String> cache = newCache();

      assertThatThrownBy(() -> cache.put(null, "v")).isInstanceOf(NullPointerException.class);
      assertThat(keyCount(cache)).isZero();
    }

    @Test
    void putIfAbsent_nullKey_throwsNullPointerException() {
      Cache<String, String> cache = newCache();

      assertThatThrownBy(() -> cache.putIfAbsent(null, "v"))
          .isInstanceOf(NullPointerException.class);
    }

    @Test
    void evict_nullKey_throwsNullPointerException() {
      Cache<String, String> cache = newCache();

      assertThatThrownBy(() -> cache.evict(null)).isInstanceOf(NullPointerException.class);
    }
  }

  // =============================================================================================

  @Nested
  class SingleFlight {

    /**
     * A loader that counts its calls, then blocks until released, then returns
     * {@code "loaded:" + key} or throws {@code failure}.
     */
    private final class BlockingLoader implements CacheLoader<String, String> {
      final AtomicInteger calls = new AtomicInteger();
      final CountDownLatch entered = new CountDownLatch(1);
      final CountDownLatch release = new CountDownLatch(1);
      private final @Nullable Exception failure;

      BlockingLoader(@Nullable Exception failure) {
        this.failure = failure;
      }

      @Override
      public String load(String key) throws Exception {
        calls.incrementAndGet();
        entered.countDown();
        if (!release.await(AWAIT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw new TimeoutException("the test never released the loader");
        }
        if (failure != null) {
          throw failure;
        }
        return "loaded:" + key;
      }
    }

    /**
     * Stops {@code pool}'s threads. A caller stuck in the engine stays stuck; the test has failed
     * already, and an assertion here would replace that failure with a less telling one.
     */
    private void stop(ExecutorService pool) throws InterruptedException {
      pool.shutdownNow();
      pool.awaitTermination(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** What one caller got: a value, or the exception its call threw. */
    private record Outcome(@Nullable String value, @Nullable Throwable failure) {}

    /**
     * Has {@link #CALLERS} threads call {@code get(key, loader)} together, releases the loader
     * once every one of them is inside {@code get} (blocked in the loader or waiting for it), and
     * returns what each got.
     */
    private List<Outcome> getConcurrently(Cache<String, String> cache, String key,
        BlockingLoader loader) throws Exception {
      ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
      try {
        CyclicBarrier start = new CyclicBarrier(CALLERS);
        CountDownLatch calling = new CountDownLatch(CALLERS);
        Set<Thread> callers = ConcurrentHashMap.newKeySet();
        List<Future<String>> calls = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
          calls.add(pool.submit(() -> {
            callers.add(Thread.currentThread());
            start.await();
            calling.countDown();
            return cache.get(key, loader);
          }));
        }
        await("the loader is called", () -> loader.entered.getCount() == 0);
        await("every caller calls get", () -> calling.getCount() == 0);
        awaitAllParked(callers);
        loader.release.countDown();
        List<Outcome> outcomes = new ArrayList<>();
        for (Future<String> call : calls) {
          try {
            outcomes.add(new Outcome(call.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS), null));
          } catch (ExecutionException e) {
            outcomes.add(new Outcome(null, e.getCause()));
          }
        }
        return outcomes;
      } finally {
        stop(pool);
      }
    }

    /**
     * Waits until every caller has been parked (blocked or waiting) for a while without a break.
     * Each counted down its latch just before calling {@code get}, so a parked caller is inside
     * it: running the loader, or waiting for it. The quiet period keeps a caller that parks
     * briefly on its way in (a lock, a round trip) from passing for one that waits for the load.
     */
    private void awaitAllParked(Set<Thread> callers) {
      long quietNanos = Duration.ofMillis(100).toNanos();
      AtomicLong parkedSince = new AtomicLong(System.nanoTime());
      await("every caller waits inside get", () -> {
        boolean allParked = callers.size() == CALLERS && callers.stream().allMatch(thread ->
            switch (thread.getState()) {
              case BLOCKED, WAITING, TIMED_WAITING -> true;
              default -> false;
            });
        long now = System.nanoTime();
        if (!allParked) {
          parkedSince.set(now);
          return false;
        }
        return now - parkedSince.get() >= quietNanos;
      });
    }

    @Test
    void get_concurrentMissesOnOneKey_loaderRunsOnceAndEveryCallerGetsItsValue()
        throws Exception {
      Cache<String, String> cache = newCache();
      BlockingLoader loader = new BlockingLoader(null);

      List<Outcome> outcomes = getConcurrently(cache, "k", loader);

      assertThat(loader.calls).hasValue(1);
      assertThat(outcomes).hasSize(CALLERS).allSatisfy(outcome -> {
        assertThat(outcome.failure()).isNull();
        assertThat(outcome.value()).isEqualTo("loaded:k");
      });
      assertThat(cache.lookup("k")).isEqualTo(new CachedValue<>("loaded:k"));
    }

    @Test
    void get_concurrentMissesOnOneKeyAndLoaderFails_everyCallerSeesTheOneFailure()
        throws Exception {
      Cache<String, String> cache = newCache();
      IOException failure = new IOException("backend down");
      BlockingLoader loader = new BlockingLoader(failure);

      List<Outcome> outcomes = getConcurrently(cache, "k", loader);

      assertThat(loader.calls).as("loader calls").hasValue(1);
      assertThat(outcomes).hasSize(CALLERS).allSatisfy(outcome ->
          assertThat(outcome.failure()).isInstanceOf(CacheLoadException.class)
              .cause().isSameAs(failure));
      assertThat(cache.lookup("k")).isNull();
      AtomicInteger calls = new AtomicInteger();
      assertThat(cache.get("k", counting(calls))).isEqualTo("loaded:k");
      assertThat(calls).as("loader calls after the failure").hasValue(1);
    }

    @Test
    void get_concurrentMissesOnDistinctKeys_loadsEachKeyOnce() throws Exception {
      Cache<String, String> cache = newCache();
      Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
      CacheLoader<String, String> loader = key -> {
        calls.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        return "loaded:" + key;
      };
      ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
      try {
        CyclicBarrier start = new CyclicBarrier(CALLERS);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < CALLERS; i++) {
          done.add(pool.submit(() -> {
            start.await();
            for (String key : keys("k", 100)) {
              assertThat(cache.get(key, loader)).isEqualTo("loaded:" + key);
            }
            return null;
          }));
        }
        for (Future<?> call : done) {
          call.get(AWAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
      } finally {
        stop(pool);
      }

      assertThat(calls).hasSize(100);
      assertThat(calls.values()).allSatisfy(count -> assertThat(count).hasValue(1));
    }
  }

  // =============================================================================================

  @Nested
  class Bulk {

    private Map<String, String> entries(List<String> keys) {
      Map<String, String> entries = new LinkedHashMap<>();
      keys.forEach(key -> entries.put(key, "value:" + key));
      return entries;
    }

    @Test
    void putAll_thousandEntries_getAllReturnsEveryOne() {
      Cache<String, String> cache = newCache();
      Map<String, String> entries = entries(keys("k", MANY));

      cache.putAll(entries);

      assertThat(cache.getAll(entries.keySet())).isEqualTo(entries);
      assertThat(keyCount(cache)).isEqualTo(MANY);
    }

    @Test
    void getAll_thousandKeysHalfCached_bulkLoaderGetsExactlyTheMissingHalf() {
      Cache<String, String> cache = newCache();
      List<String> all = keys("k", MANY);
      Map<String, String> cached = entries(all.subList(0, MANY / 2));
      cache.putAll(cached);
      List<Set<String>> calls = new CopyOnWriteArrayList<>();

      Map<String, String> result = cache.getAll(all, missing -> {
        calls.add(Set.copyOf(missing));
        return entries(List.copyOf(missing));
      });

      assertThat(calls).containsExactly(Set.copyOf(all.subList(MANY / 2, MANY)));
      assertThat(result).isEqualTo(entries(all));
      assertThat(cache.getAll(all)).isEqualTo(entries(all));
    }

    @Test
    void evictAll_thousandKeys_removesEveryOne() {
      Cache<String, String> cache = newCache();
      List<String> all = keys("k", MANY);
      cache.putAll(entries(all));
      cache.put("kept", "v");

      cache.evictAll(all);

      assertThat(cache.getAll(all)).isEmpty();
      assertThat(keySet(cache)).containsExactly("kept");
    }
  }

  // =============================================================================================

  @Nested
  class Async {

    @Test
    void synchronous_asyncView_returnsTheCache() {
      Cache<String, String> cache = newCache();

      assertThat(cache.async().synchronous()).isSameAs(cache);
    }

    @Test
    void getAndLookup_presentAndAbsentKeys_agreeWithSyncView() throws Exception {
      Cache<String, String> cache = newCache();
      cache.put("a", "1");
      AsyncCache<String, String> async = cache.async();

      assertThat(join(async.get("a"))).isEqualTo(cache.get("a")).isEqualTo("1");
      assertThat(join(async.get("b"))).isNull();
      assertThat(join(async.lookup("a"))).isEqualTo(cache.lookup("a"))
          .isEqualTo(new CachedValue<>("1"));
      assertThat(join(async.lookup("b"))).isNull();
      assertThat(join(async.getAll(List.of("a", "b")))).isEqualTo(Map.of("a", "1"));
    }

    @Test
    void put_asyncView_syncViewSeesValue() throws Exception {
      Cache<String, String> cache = newCache();

      join(cache.async().put("k", "v"));

      assertThat(cache.get("k")).isEqualTo("v");
    }

    @Test
    void evict_asyncView_syncViewSeesEntryGone() throws Exception {
      Cache<String, String> cache = newCache();
      cache.putAll(Map.of("a", "1", "b", "2"));

      join(cache.async().evict("a"));

      assertThat(cache.lookup("a")).isNull();
      assertThat(cache.get("b")).isEqualTo("2");
    }

    @Test
    void clear_asyncView_syncViewIsEmpty() throws Exception {
      Cache<String, String> cache = newCache();
      cache.putAll(Map.of("a", "1", "b", "2"));

      join(cache.async().clear());

      assertThat(keyCount(cache)).isZero();
    }

    @Test
    void getWithLoader_asyncViewOnMiss_loadsOnceAndSyncViewSeesValue() throws Exception {
      Cache<String, String> cache = newCache();
      AtomicInteger calls = new AtomicInteger();

      assertThat(join(cache.async().get("k", counting(calls)))).isEqualTo("loaded:k");
      assertThat(join(cache.async().get("k", counting(calls)))).isEqualTo("loaded:k");

      assertThat(calls).hasValue(1);
      assertThat(cache.get("k")).isEqualTo("loaded:k");
    }

    @Test
    void getWithLoader_asyncViewLoaderThrowsChecked_futureFailsWithCacheLoadException() {
      Cache<String, String> cache = newCache();
      IOException failure = new IOException("backend down");

      Throwable thrown = catchThrowable(() -> join(cache.async().get("k", key -> {
        throw failure;
      })));

      assertThat(thrown).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(CacheLoadException.class).cause().isSameAs(failure);
      assertThat(cache.lookup("k")).isNull();
    }
  }

  // =============================================================================================

  @Nested
  class MapView {

    /**
     * Guava testlib's {@code ConcurrentMap} suite, several hundred tests, each on a fresh cache
     * of one engine. The dynamic tests run after this method returns, and JUnit runs
     * {@code @AfterEach}, which closes the engine, only once they have all run.
     */
    @TestFactory
    Stream<DynamicNode> asMap_guavaTestlibConcurrentMapSuite_everyTestPasses() {
      CacheEngine engine = newEngine();
      TestSuite suite = ConcurrentMapTestSuiteBuilder
          .using(new TestStringMapGenerator() {
            @Override
            protected Map<String, String> create(Map.Entry<String, String>[] entries) {
              Map<String, String> samples = new LinkedHashMap<>();
              for (Map.Entry<String, String> entry : entries) {
                samples.put(entry.getKey(), entry.getValue());
              }
              Cache<String, String> cache = newCache(engine);
              cache.putAll(samples);
              return cache.asMap();
            }
          })
          .named(engine.name() + " asMap view")
          .withFeatures(
              MapFeature.GENERAL_PURPOSE,
              CollectionFeature.SUPPORTS_ITERATOR_REMOVE,
              CollectionSize.ANY)
          .createTestSuite();
      assertThat(suite.countTestCases()).as("generated tests").isGreaterThan(100);
      return JUnit3Tests.children(suite);
    }

    @Test
    void asMap_changes_goBothWays() {
      Cache<String, String> cache = newCache();
      ConcurrentMap<String, String> map = cache.asMap();

      cache.put("a", "1");
      map.put("b", "2");

      assertThat(map).isEqualTo(Map.of("a", "1", "b", "2"));
      assertThat(cache.get("b")).isEqualTo("2");
      map.remove("a");
      assertThat(cache.lookup("a")).isNull();
      cache.evict("b");
      assertThat(map).isEmpty();
    }
  }

  // =============================================================================================

  @Nested
  class Keys {

    @Test
    void keys_entries_listsEveryKey() {
      Cache<String, String> cache = newCache();
      cache.putAll(Map.of("a", "1", "b", "2", "c", "3"));

      assertThat(keySet(cache)).containsExactlyInAnyOrder("a", "b", "c");
    }

    @Test
    void keys_emptyCache_isEmpty() {
      assertThat(keyCount(newCache())).isZero();
    }

    @Test
    void keys_streamClosedAfterOneKey_runsOnCloseHandlersAndCacheKeepsWorking() {
      Cache<String, String> cache = newCache();
      List<String> all = keys("k", MANY * 5);
      for (String key : all) {
        cache.put(key, "v");
      }
      AtomicBoolean closed = new AtomicBoolean();

      try (Stream<String> keys = cache.keys().onClose(() -> closed.set(true))) {
        assertThat(keys.findFirst()).hasValueSatisfying(key -> assertThat(all).contains(key));
      }

      assertThat(closed).isTrue();
      cache.put("after", "v");
      assertThat(cache.get("after")).isEqualTo("v");
      assertThat(keyCount(cache)).isEqualTo(all.size() + 1);
    }

    @Test
    void keys_afterEngineClose_throwsIllegalStateException() {
      CacheEngine engine = newEngine();
      Cache<String, String> cache = newCache(engine);
      cache.put("k", "v");

      engine.close();

      assertThatThrownBy(cache::keys).isInstanceOf(IllegalStateException.class);
    }
  }

  // =============================================================================================

  @Nested
  class Lifecycle {

    @Test
    void close_calledTwice_isIdempotent() {
      CacheEngine engine = newEngine();
      assertThat(engine.isClosed()).isFalse();

      engine.close();
      engine.close();

      assertThat(engine.isClosed()).isTrue();
    }

    @Test
    void health_upWhileOpen_downOnceClosed() {
      CacheEngine engine = newEngine();
      newCache(engine).put("k", "v");

      EngineHealth open = engine.health();
      assertThat(open.status()).as("%s", open).isEqualTo(EngineHealth.Status.UP);
      assertThat(open.reason()).isNull();
      assertThat(open.details()).containsEntry("engine", engine.name());
      engine.close();

      EngineHealth closed = engine.health();
      assertThat(closed.status()).isEqualTo(EngineHealth.Status.DOWN);
      assertThat(closed.reason()).isEqualTo("the engine is closed");
      assertThat(closed.details()).containsEntry("engine", engine.name());
    }

    @Test
    void cacheMethods_afterEngineClose_throwIllegalStateException() {
      CacheEngine engine = newEngine();
      Cache<String, String> cache = newCache(engine);
      cache.put("k", "v");
      boolean perEntryTtl = engine.capabilities().contains(Capability.PER_ENTRY_TTL);

      engine.close();

      Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
      calls.put("get", () -> cache.get("k"));
      calls.put("lookup", () -> cache.lookup("k"));
      calls.put("get with loader", () -> cache.get("k", key -> "v"));
      calls.put("getAll", () -> cache.getAll(List.of("k")));
      calls.put("getAll with loader", () -> cache.getAll(List.of("k"), keys -> Map.of()));
      calls.put("put", () -> cache.put("k", "v"));
      if (perEntryTtl) {
        calls.put("put with ttl", () -> cache.put("k", "v", Duration.ofMinutes(1)));
      }
      calls.put("putIfAbsent", () -> cache.putIfAbsent("k", "v"));
      calls.put("putAll", () -> cache.putAll(Map.of("k", "v")));
      calls.put("evict", () -> cache.evict("k"));
      calls.put("evictAll", () -> cache.evictAll(List.of("k")));
      calls.put("clear", cache::clear);
      calls.put("stats", cache::stats);
      calls.put("async", cache::async);
      calls.put("asMap", cache::asMap);
      calls.put("keys", cache::keys);
      calls.put("unwrap", () -> cache.unwrap(Object.class));
      SoftAssertions softly = new SoftAssertions();
      calls.forEach((name, call) ->
          softly.assertThatThrownBy(call).as(name).isInstanceOf(IllegalStateException.class));
      softly.assertAll();
    }

    @Test
    void viewsObtainedBeforeClose_afterEngineClose_refuseUse() {
      CacheEngine engine = newEngine();
      Cache<String, String> cache = newCache(engine);
      cache.put("k", "v");
      AsyncCache<String, String> async = cache.async();
      ConcurrentMap<String, String> map = cache.asMap();

      engine.close();

      // An asynchronous call may throw or return a failed future; either way, no result.
      Map<String, Supplier<CompletableFuture<?>>> asyncCalls = new LinkedHashMap<>();
      asyncCalls.put("async get", () -> async.get("k"));
      asyncCalls.put("async lookup", () -> async.lookup("k"));
      asyncCalls.put("async get with loader", () -> async.get("k", key -> "v"));
      asyncCalls.put("async put", () -> async.put("k", "v"));
      asyncCalls.put("async evict", () -> async.evict("k"));
      asyncCalls.put("async clear", async::clear);
      Map<String, ThrowingCallable> mapCalls = new LinkedHashMap<>();
      mapCalls.put("map get", () -> map.get("k"));
      mapCalls.put("map put", () -> map.put("k", "v"));
      mapCalls.put("map putIfAbsent", () -> map.putIfAbsent("other", "v"));
      mapCalls.put("map remove", () -> map.remove("k"));
      mapCalls.put("map size", map::size);
      mapCalls.put("map iterator", () -> map.entrySet().iterator().hasNext());
      SoftAssertions softly = new SoftAssertions();
      asyncCalls.forEach((name, call) -> {
        Throwable thrown = catchThrowable(() -> join(call.get()));
        Throwable failure = thrown instanceof ExecutionException ? thrown.getCause() : thrown;
        softly.assertThat(failure).as(name).isInstanceOf(IllegalStateException.class);
      });
      mapCalls.forEach((name, call) ->
          softly.assertThatThrownBy(call).as(name).isInstanceOf(IllegalStateException.class));
      softly.assertAll();
    }

    @Test
    void engineMethods_afterClose_throwIllegalStateException() {
      CacheEngine engine = newEngine();
      String existing = newCache(engine).name();

      engine.close();

      assertThatThrownBy(() -> engine.cache(existing, String.class, String.class))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> engine.cache(uniqueName("new"), String.class, String.class))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(engine::cacheNames).isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> engine.unwrap(Object.class))
          .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void cache_sameNameAndTypesTwice_returnsSameInstance() {
      CacheEngine engine = newEngine();
      String name = uniqueName("same");

      Cache<String, String> first = engine.cache(name, String.class, String.class);
      Cache<String, String> second = engine.cache(name, String.class, String.class);

      assertThat(second).isSameAs(first);
    }

    @Test
    void cache_sameNameOtherTypes_throwsIllegalArgumentException() {
      CacheEngine engine = newEngine();
      String name = uniqueName("typed");
      engine.cache(name, String.class, String.class);

      assertThatThrownBy(() -> engine.cache(name, String.class, Integer.class))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> engine.cache(name, Long.class, String.class))
          .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void cache_blankName_throwsIllegalArgumentException() {
      CacheEngine engine = newEngine();

      assertThatThrownBy(() -> engine.cache("", String.class, String.class))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> engine.cache(" \t", String.class, String.class))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  // =============================================================================================

  @Nested
  class Contexts {

    private CacheConfig config() {
      return baseConfig().build();
    }

    /** Opens a context, uses it, and returns from inside the block. */
    private CacheEngine openAndReturnEarly() {
      try (EngineContext context = EngineContext.open(config(), manager())) {
        Cache<String, String> cache =
            context.cache(uniqueName("early"), String.class, String.class);
        cache.put("k", "v");
        if (cache.get("k") != null) {
          return context.engine();
        }
        throw new AssertionError("the value just put is missing");
      }
    }

    @Test
    void open_config_bindsContextAsCurrentUntilClosed() {
      assertThat(EngineContext.current()).isEmpty();
      CacheEngine engine;

      try (EngineContext context = EngineContext.open(config(), manager())) {
        engine = context.engine();
        assertThat(EngineContext.current()).containsSame(context);
        assertThat(engine.name()).isEqualTo(config().engine().orElseThrow());
        Cache<String, String> cache = context.cache(uniqueName("ctx"), String.class, String.class);
        cache.put("k", "v");
        assertThat(cache.get("k")).isEqualTo("v");
      }

      assertThat(engine.isClosed()).isTrue();
      assertThat(EngineContext.current()).isEmpty();
    }

    @Test
    void open_nestedContexts_restoreEnclosingContextInOrder() {
      try (EngineContext outer = EngineContext.open(config(), manager())) {
        try (EngineContext inner = EngineContext.open(config(), manager())) {
          assertThat(EngineContext.current()).containsSame(inner);
          assertThat(inner.engine()).isNotSameAs(outer.engine());
        }
        assertThat(EngineContext.current()).containsSame(outer);
        assertThat(outer.engine().isClosed()).isFalse();
      }
      assertThat(EngineContext.current()).isEmpty();
    }

    @Test
    void close_bodyThrows_closesEngineAndKeepsTheException() {
      AtomicReference<CacheEngine> engine = new AtomicReference<>();
      IOException failure = new IOException("body failed");

      Throwable thrown = catchThrowable(() -> {
        try (EngineContext context = EngineContext.open(config(), manager())) {
          engine.set(context.engine());
          throw failure;
        }
      });

      // A close failure could only be added as suppressed; the body's exception stays.
      assertThat(thrown).isSameAs(failure);
      assertThat(engine.get().isClosed()).isTrue();
      assertThat(EngineContext.current()).isEmpty();
    }

    @Test
    void close_earlyReturn_closesEngine() {
      CacheEngine engine = openAndReturnEarly();

      assertThat(engine.isClosed()).isTrue();
      assertThat(EngineContext.current()).isEmpty();
    }

    @Test
    void cacheContext_openedTwice_givesDistinctEnginesEachClosedAfterItsBlock() {
      CacheContext reusable = CacheContext.of(config(), manager());
      CacheEngine first;
      CacheEngine second;

      try (EngineContext context = reusable.open()) {
        first = context.engine();
        context.cache(uniqueName("first"), String.class, String.class).put("k", "v");
      }
      assertThat(first.isClosed()).isTrue();
      try (EngineContext context = reusable.open()) {
        second = context.engine();
        assertThat(second.isClosed()).isFalse();
      }

      assertThat(second).isNotSameAs(first);
      assertThat(second.isClosed()).isTrue();
    }
  }
}
