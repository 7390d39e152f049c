package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.fail;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How long entries live beyond the plain {@code ttl}, on a real engine, as a JUnit 5 class an
 * engine's test extends (like {@link CacheEngineContract}): {@code null-ttl} gives cached nulls
 * a lifetime of their own, {@code ttl-jitter} spreads the expiry of entries written together
 * over the jitter and never past {@code ttl}, on every write path (put, putAll, loads, bulk
 * loads); and a setting that would do nothing is refused naming its key.
 *
 * <p>Time moves with a {@link FakeTicker} where the engine takes its clock from the
 * configuration; else ({@link #supportsTicker()} {@code false}, a server's clock) the tests use
 * {@link #realTimeTtl()} and poll, checking only what holds whatever the scheduling.
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread.
 * <b>Nulls:</b> the hooks must not return {@code null}.
 */
public abstract class FreshnessContract {

  private static final Duration AWAIT = Duration.ofSeconds(30);
  private static final String RUN =
      Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private static final AtomicLong SEQUENCE = new AtomicLong();
  /** Entries written together in the jitter tests: enough that their expiries spread. */
  private static final int TOGETHER = 64;
  private static final double JITTER = 0.5;

  private final List<CacheEngine> engines = new CopyOnWriteArrayList<>();
  private final @Nullable FakeTicker ticker = supportsTicker() ? new FakeTicker() : null;
  private final Duration unit = ticker != null ? Duration.ofMinutes(10) : realTimeTtl();
  private final Duration margin = unit.dividedBy(100);

  /** For subclasses. */
  protected FreshnessContract() {}

  /**
   * A new builder for the engine under test; a fresh folder or namespace each call where engines
   * share one (see {@link CacheEngineContract#baseConfig()}).
   */
  protected abstract CacheConfig.Builder baseConfig();

  /** Whether the engine takes its time from {@link CacheConfig#ticker()}; default true. */
  protected boolean supportsTicker() {
    return true;
  }

  /** The TTL the tests use when {@link #supportsTicker()} is false; default one second. */
  protected Duration realTimeTtl() {
    return Duration.ofSeconds(1);
  }

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  @AfterEach
  final void closeEngines() {
    engines.forEach(CacheEngine::close);
    engines.clear();
  }

  private Cache<String, String> cache(UnaryOperator<CacheConfig.Builder> customize) {
    CacheConfig.Builder config = customize.apply(baseConfig());
    CacheEngine engine = manager().create((ticker != null ? config.ticker(ticker) : config)
        .build());
    engines.add(engine);
    return engine.cache("fresh-" + RUN + "-" + SEQUENCE.incrementAndGet(), String.class,
        String.class);
  }

  // --- null-ttl

  @Test
  void put_nullWithNullTtl_cachedNullExpiresAtNullTtlWhileValuesLiveOn() {
    Cache<String, String> cache = cache(config ->
        config.nullValues(true).ttl(unit.multipliedBy(10)).nullTtl(unit));
    cache.put("none", null);
    cache.put("some", "v");

    skip(unit.minus(margin));
    assertThat(cache.lookup("none")).as("the cached null before null-ttl").isNotNull();
    assertGoneWithin(cache, "none", margin.multipliedBy(2));
    assertThat(cache.get("some")).as("a value after null-ttl").isEqualTo("v");
  }

  @Test
  void get_loaderReturnsNullWithNullTtl_cachedNullExpiresAtNullTtlThenLoadsAgain() {
    Cache<String, String> cache = cache(config ->
        config.nullValues(true).ttl(unit.multipliedBy(10)).nullTtl(unit));
    AtomicInteger loads = new AtomicInteger();

    assertThat(cache.get("k", key -> {
      loads.incrementAndGet();
      return null;
    })).isNull();
    skip(unit.minus(margin));
    assertThat(cache.lookup("k")).as("the loaded null before null-ttl").isNotNull();
    assertGoneWithin(cache, "k", margin.multipliedBy(2));
    assertThat(cache.get("k", key -> {
      loads.incrementAndGet();
      return "found";
    })).isEqualTo("found");
    assertThat(loads).as("loads: the null, then the value").hasValue(2);
  }

  // --- ttl-jitter

  @Test
  void putAll_ttlJitter_entriesWrittenTogetherExpireSpreadOverTheJitterNeverPastTtl() {
    Cache<String, String> cache = cache(config -> config.ttl(unit).ttlJitter(JITTER));
    long start = System.nanoTime();
    Map<String, String> entries = new LinkedHashMap<>();
    keys().forEach(key -> entries.put(key, "v"));
    cache.putAll(entries);

    assertExpirySpread(cache, start);
  }

  @Test
  void put_ttlJitter_entriesWrittenTogetherExpireSpreadOverTheJitterNeverPastTtl() {
    Cache<String, String> cache = cache(config -> config.ttl(unit).ttlJitter(JITTER));
    long start = System.nanoTime();
    keys().forEach(key -> cache.put(key, "v"));

    assertExpirySpread(cache, start);
  }

  @Test
  void get_loadsWithTtlJitter_expireSpreadOverTheJitterNeverPastTtl() {
    Cache<String, String> cache = cache(config -> config.ttl(unit).ttlJitter(JITTER));
    long start = System.nanoTime();
    keys().forEach(key -> cache.get(key, k -> "loaded"));

    assertExpirySpread(cache, start);
  }

  @Test
  void getAll_bulkLoadWithTtlJitter_expireSpreadOverTheJitterNeverPastTtl() {
    Cache<String, String> cache = cache(config -> config.ttl(unit).ttlJitter(JITTER));
    long start = System.nanoTime();
    Map<String, String> loaded = cache.getAll(keys(), missing -> {
      Map<String, String> out = new LinkedHashMap<>();
      missing.forEach(key -> out.put(key, "loaded"));
      return out;
    });
    assertThat(loaded).hasSize(TOGETHER);

    assertExpirySpread(cache, start);
  }

  @Test
  void putIfAbsent_ttlJitter_entriesWrittenTogetherExpireSpreadOverTheJitterNeverPastTtl() {
    Cache<String, String> cache = cache(config -> config.ttl(unit).ttlJitter(JITTER));
    long start = System.nanoTime();
    keys().forEach(key -> cache.putIfAbsent(key, "v"));

    assertExpirySpread(cache, start);
  }

  // --- settings that would do nothing

  @Test
  void cache_ttlJitterWithoutTtl_refusedNamingTheKey() {
    assertThatThrownBy(() -> cache(config -> config.ttlJitter(0.1)))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("ttl-jitter")
        .hasMessageContaining("set ttl");
  }

  @Test
  void cache_nullTtlWithoutNullValues_refusedNamingTheKey() {
    assertThatThrownBy(() -> cache(config -> config.ttl(unit).nullTtl(unit.dividedBy(2))))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("null-ttl")
        .hasMessageContaining("null-values=true");
  }

  @Test
  void cache_nullTtlLongerThanTtl_refusedNamingTheKey() {
    assertThatThrownBy(() -> cache(config ->
        config.nullValues(true).ttl(unit).nullTtl(unit.multipliedBy(2))))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("null-ttl")
        .hasMessageContaining("longer than ttl");
  }

  // --- helpers

  private static List<String> keys() {
    return IntStream.range(0, TOGETHER).mapToObj(i -> "k" + i).toList();
  }

  private int present(Cache<String, String> cache) {
    return cache.getAll(keys()).size();
  }

  /**
   * Entries written just now with {@code ttl=unit} and a jitter of one half live between half a
   * unit and a unit: all there before half a unit, some but not all in between, none after.
   * {@code start} is when the first write began ({@link System#nanoTime()}).
   */
  private void assertExpirySpread(Cache<String, String> cache, long start) {
    if (ticker != null) {
      skip(unit.dividedBy(2).minus(margin));
      assertThat(present(cache)).as("entries before ttl * (1 - jitter)").isEqualTo(TOGETHER);
      skip(unit.dividedBy(4));
      assertThat(present(cache)).as("entries between ttl * (1 - jitter) and ttl")
          .isStrictlyBetween(0, TOGETHER);
      skip(unit.dividedBy(4).plus(margin.multipliedBy(2)));
      assertThat(present(cache)).as("entries after ttl").isZero();
      return;
    }
    await("the first entry expired", () -> present(cache) < TOGETHER);
    int left = present(cache);
    Duration firstGone = Duration.ofNanos(System.nanoTime() - start);
    assertThat(firstGone).as("the first expiry").isGreaterThan(unit.dividedBy(2).minus(margin));
    if (firstGone.compareTo(unit.multipliedBy(3).dividedBy(4)) < 0) {
      // Seen early enough that entries with the longest lives must still be there.
      assertThat(left).as("entries when the first expired").isPositive();
    }
    await("every entry expired", () -> present(cache) == 0);
  }

  private void skip(Duration span) {
    if (ticker != null) {
      ticker.advance(span);
    }
  }

  private void assertGoneWithin(Cache<String, String> cache, String key, Duration within) {
    if (ticker != null) {
      ticker.advance(within);
    } else {
      await(key + " expired", () -> cache.lookup(key) == null);
    }
    assertThat(cache.lookup(key)).as("%s after %s", key, within).isNull();
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + AWAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        fail("Timed out after " + AWAIT + " waiting until " + what);
      }
      Thread.yield();
    }
  }
}
