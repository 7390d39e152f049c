package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.junit.jupiter.api.Assertions.fail;

import io.ucache.BulkLoader;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.CacheLoader;
import io.ucache.RefreshStats;
import io.ucache.context.EngineManager;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Refresh-ahead and the stale windows on a real engine, as a JUnit 5 class an engine's test
 * extends: past {@code refresh-after} a read with a loader returns the current value at once and
 * one reload runs in the background (a write meanwhile wins over it, a failure keeps the old
 * value); past {@code ttl}, {@code stale-while-revalidate} serves the old value while one reload
 * runs, and {@code stale-if-error} serves it when the reload fails, backing off before the next
 * try, then lets the failure through once the window ends. Plain reads never see an expired
 * value. Settings that would do nothing are refused naming their key.
 *
 * <p>Background reloads run on an executor the test waits on; loaders that must still be
 * running are held by latches, so no outcome depends on scheduling. Time moves with a
 * {@link FakeTicker} where the engine takes its clock from the configuration; else
 * ({@link #supportsTicker()} {@code false}, a server's clock) it passes for real, in steps of
 * {@link #realTimeUnit()}, and checks that only hold with an exact clock are left out.
 *
 * <p><b>Thread-safety:</b> JUnit makes an instance per test and calls it from one thread.
 * <b>Nulls:</b> the hooks must not return {@code null}.
 */
public abstract class RefreshContract {

  private static final String RUN =
      Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  private static final AtomicLong SEQUENCE = new AtomicLong();

  private final List<CacheEngine> engines = new CopyOnWriteArrayList<>();
  private final RefreshHarness time = new RefreshHarness(supportsTicker(), realTimeUnit());
  private final Duration unit = time.unit;
  private final Duration margin = time.margin;

  /** For subclasses. */
  protected RefreshContract() {}

  /**
   * A new builder for the engine under test; a fresh folder or namespace each call where engines
   * share one (see {@link CacheEngineContract#baseConfig()}).
   */
  protected abstract CacheConfig.Builder baseConfig();

  /** Whether the engine takes its time from {@link CacheConfig#ticker()}; default true. */
  protected boolean supportsTicker() {
    return true;
  }

  /** The step of time when {@link #supportsTicker()} is false; default 300 ms. */
  protected Duration realTimeUnit() {
    return Duration.ofMillis(300);
  }

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  @AfterEach
  final void closeEngines() {
    time.awaitBackgroundDone();
    engines.forEach(CacheEngine::close);
    engines.clear();
    time.close();
  }

  /** A cache of a new engine whose background work runs on this test's harness. */
  private Cache<String, String> cache(UnaryOperator<CacheConfig.Builder> customize) {
    CacheEngine engine = manager().create(time.configure(customize.apply(baseConfig())).build());
    engines.add(engine);
    return engine.cache("refresh-" + RUN + "-" + SEQUENCE.incrementAndGet(), String.class,
        String.class);
  }

  // --- refresh-after

  @Test
  void get_pastRefreshAfter_returnsTheValueAtOnceAndReloadsOnceInTheBackground() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit.multipliedBy(20)).refreshAfter(unit));
    cache.put("k", "v1");
    skip(unit.plus(margin));
    HeldLoader loader = new HeldLoader("v2");

    // The loader is held: a read that waited for it would not return.
    assertThat(cache.get("k", loader)).as("the read that starts the refresh").isEqualTo("v1");
    loader.awaitStarted();
    assertThat(cache.get("k", loader)).as("a read while the refresh runs").isEqualTo("v1");
    assertThat(cache.get("k", loader)).isEqualTo("v1");
    loader.release();
    awaitBackgroundDone();

    assertThat(loader.calls).as("reloads for three reads").hasValue(1);
    assertThat(cache.get("k")).as("the value after the refresh").isEqualTo("v2");
    RefreshStats refresh = cache.stats().refresh();
    assertThat(refresh.refreshCount()).isEqualTo(1);
    assertThat(refresh.refreshFailureCount()).isZero();
  }

  @Test
  void get_beforeRefreshAfter_noReload() {
    if (!time.exactTime()) {
      return; // "before" needs an exact clock
    }
    Cache<String, String> cache = cache(config ->
        config.ttl(unit.multipliedBy(20)).refreshAfter(unit));
    cache.put("k", "v1");
    skip(unit.minus(margin));
    AtomicInteger calls = new AtomicInteger();

    assertThat(cache.get("k", key -> "v" + calls.incrementAndGet())).isEqualTo("v1");
    awaitBackgroundDone();
    assertThat(calls).hasValue(0);
  }

  @Test
  void get_refreshRacesAPut_thePutWins() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit.multipliedBy(20)).refreshAfter(unit));
    cache.put("k", "v1");
    skip(unit.plus(margin));
    HeldLoader loader = new HeldLoader("reloaded");

    assertThat(cache.get("k", loader)).isEqualTo("v1");
    loader.awaitStarted();
    cache.put("k", "written meanwhile");
    loader.release();
    awaitBackgroundDone();

    assertThat(cache.get("k")).as("the write made during the reload").isEqualTo(
        "written meanwhile");
    assertThat(cache.stats().refresh().refreshCount()).as("refreshes stored").isZero();
  }

  @Test
  void get_refreshQueuedThenTheEntryReplaced_theLoaderDoesNotRun() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit.multipliedBy(20)).refreshAfter(unit));
    cache.put("k", "v1");
    skip(unit.plus(margin));
    AtomicInteger calls = new AtomicInteger();
    time.holdBackground();

    assertThat(cache.get("k", key -> "reloaded-" + calls.incrementAndGet())).isEqualTo("v1");
    cache.put("k", "written meanwhile");
    time.releaseBackground();
    awaitBackgroundDone();

    // A reader that saw the old entry just before another refresh replaced it is the same case.
    assertThat(calls).as("reloads of an entry already replaced").hasValue(0);
    assertThat(cache.get("k")).isEqualTo("written meanwhile");
  }

  @Test
  void get_refreshRacesAnEviction_theEvictionWins() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit.multipliedBy(20)).refreshAfter(unit));
    cache.put("k", "v1");
    skip(unit.plus(margin));
    HeldLoader loader = new HeldLoader("reloaded");

    assertThat(cache.get("k", loader)).isEqualTo("v1");
    loader.awaitStarted();
    cache.evict("k");
    loader.release();
    awaitBackgroundDone();

    assertThat(cache.lookup("k")).as("the key evicted during the reload").isNull();
  }

  @Test
  void get_refreshFails_keepsTheOldValueCountsAndBacksOff() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit.multipliedBy(20)).refreshAfter(unit));
    cache.put("k", "v1");
    skip(unit.plus(margin));
    AtomicInteger calls = new AtomicInteger();
    CacheLoader<String, String> failing = key -> {
      calls.incrementAndGet();
      throw new IllegalStateException("source down");
    };

    assertThat(cache.get("k", failing)).isEqualTo("v1");
    awaitBackgroundDone();
    assertThat(cache.get("k")).as("the value after a failed refresh").isEqualTo("v1");
    assertThat(cache.stats().refresh().refreshFailureCount()).isEqualTo(1);
    assertThat(cache.stats().loadFailureCount()).isEqualTo(1);
    if (time.exactTime()) {
      assertThat(cache.get("k", failing)).isEqualTo("v1");
      awaitBackgroundDone();
      assertThat(calls).as("reloads right after a failure (backing off)").hasValue(1);
      skip(Duration.ofMinutes(1).plus(margin)); // past the longest first wait
      cache.get("k", failing);
      awaitBackgroundDone();
      assertThat(calls).as("reloads once the back-off passed").hasValue(2);
    }
  }

  // --- stale-while-revalidate

  @Test
  void get_withinStaleWhileRevalidate_servesTheExpiredValueWhileOneReloadRuns() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit).staleWhileRevalidate(unit.multipliedBy(4)));
    cache.put("k", "v1");
    skip(unit.plus(margin));
    HeldLoader loader = new HeldLoader("v2");

    assertThat(cache.lookup("k")).as("a plain read past ttl").isNull();
    assertThat(cache.get("k", loader)).as("a read with a loader, past ttl").isEqualTo("v1");
    loader.awaitStarted();
    assertThat(cache.get("k", loader)).isEqualTo("v1");
    loader.release();
    awaitBackgroundDone();

    assertThat(loader.calls).hasValue(1);
    assertThat(cache.get("k")).isEqualTo("v2");
    assertThat(cache.stats().refresh().staleHitCount()).isEqualTo(2);
    assertThat(cache.stats().refresh().refreshCount()).isEqualTo(1);
  }

  @Test
  void get_pastStaleWhileRevalidate_loadsAndWaits() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit).staleWhileRevalidate(unit));
    cache.put("k", "v1");
    skip(unit.multipliedBy(2).plus(margin));

    assertThat(cache.get("k", key -> "v2")).as("a read past every window").isEqualTo("v2");
    assertThat(cache.stats().refresh().staleHitCount()).isZero();
  }

  // --- stale-if-error

  @Test
  void get_withinStaleIfError_reloadFails_servesTheExpiredValueCountedThenTheFailure() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit).staleIfError(unit.multipliedBy(2)));
    cache.put("k", "v1");
    skip(unit.plus(margin));
    AtomicInteger calls = new AtomicInteger();
    CacheLoader<String, String> failing = key -> {
      calls.incrementAndGet();
      throw new IllegalStateException("source down");
    };

    assertThat(cache.get("k", failing)).as("the reload failed, within the window")
        .isEqualTo("v1");
    assertThat(calls).as("the reload was tried, in the caller's thread").hasValue(1);
    assertThat(cache.stats().refresh().staleOnErrorCount()).isEqualTo(1);
    if (time.exactTime()) {
      assertThat(cache.get("k", failing)).isEqualTo("v1");
      assertThat(calls).as("reloads right after a failure (backing off)").hasValue(1);
    }
    skip(unit.multipliedBy(2));
    assertThatThrownBy(() -> cache.get("k", failing)).as("past the window")
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("source down");
  }

  @Test
  void get_withinStaleIfError_reloadSucceeds_returnsAndStoresTheNewValue() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit).staleIfError(unit.multipliedBy(2)));
    cache.put("k", "v1");
    skip(unit.plus(margin));

    assertThat(cache.get("k", key -> "v2")).isEqualTo("v2");
    assertThat(cache.get("k")).isEqualTo("v2");
    assertThat(cache.stats().refresh().staleOnErrorCount()).isZero();
  }

  @Test
  void put_withStaleWindows_aPutIfAbsentPastTtlTakesTheExpiredEntrysPlace() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit).staleIfError(unit.multipliedBy(2)));
    cache.put("k", "v1");
    skip(unit.plus(margin));

    assertThat(cache.putIfAbsent("k", "v2")).as("an expired entry is absent").isNull();
    assertThat(cache.get("k")).isEqualTo("v2");
  }

  // --- bulk reads with a loader

  @Test
  void getAll_pastRefreshAfter_returnsAtOnceAndReloadsTheDueKeysInOneBackgroundCall() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit.multipliedBy(20)).refreshAfter(unit));
    cache.putAll(Map.of("a", "a1", "b", "b1"));
    skip(unit.plus(margin));
    cache.put("c", "c1"); // fresh
    HeldLoader loader = new HeldLoader("reloaded");

    // The loader is held: a read that waited for it would not return.
    assertThat(cache.getAll(List.of("a", "b", "c"), loader))
        .containsExactly(entry("a", "a1"), entry("b", "b1"), entry("c", "c1"));
    loader.awaitStarted();
    assertThat(cache.getAll(List.of("a", "b"), loader)).as("a read while the refresh runs")
        .containsExactly(entry("a", "a1"), entry("b", "b1"));
    loader.release();
    awaitBackgroundDone();

    assertThat(loader.bulkCalls).as("one background call, for the keys due")
        .containsExactly(Set.of("a", "b"));
    assertThat(cache.getAll(List.of("a", "b", "c"))).containsExactly(
        entry("a", "reloaded"), entry("b", "reloaded"), entry("c", "c1"));
    assertThat(cache.stats().refresh().refreshCount()).isEqualTo(2);
    assertThat(cache.stats().hitCount()).as("hits: 3 + 2 + 3").isEqualTo(8);
  }

  @Test
  void getAll_refreshRacesAPut_thePutWinsForItsKey() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit.multipliedBy(20)).refreshAfter(unit));
    cache.putAll(Map.of("a", "a1", "b", "b1"));
    skip(unit.plus(margin));
    HeldLoader loader = new HeldLoader("reloaded");

    cache.getAll(List.of("a", "b"), loader);
    loader.awaitStarted();
    cache.put("a", "written meanwhile");
    loader.release();
    awaitBackgroundDone();

    assertThat(cache.getAll(List.of("a", "b"))).containsExactly(
        entry("a", "written meanwhile"), entry("b", "reloaded"));
    assertThat(cache.stats().refresh().refreshCount()).isEqualTo(1);
  }

  @Test
  void getAll_withinStaleWhileRevalidate_servesExpiredValuesAndLoadsAbsentKeysNow() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit).staleWhileRevalidate(unit.multipliedBy(4)));
    cache.put("a", "a1");
    skip(unit.plus(margin));
    List<Set<String>> calls = new CopyOnWriteArrayList<>();
    BulkLoader<String, String> loader = keys -> {
      calls.add(Set.copyOf(keys));
      return keys.stream().collect(Collectors.toMap(key -> key, key -> key + "2"));
    };

    assertThat(cache.getAll(List.of("a", "b"), loader))
        .containsExactly(entry("a", "a1"), entry("b", "b2"));
    awaitBackgroundDone();

    assertThat(calls).as("the absent key now, the stale one in the background")
        .containsExactlyInAnyOrder(Set.of("a"), Set.of("b"));
    assertThat(cache.getAll(List.of("a", "b"))).containsExactly(
        entry("a", "a2"), entry("b", "b2"));
    assertThat(cache.stats().refresh().staleHitCount()).isEqualTo(1);
  }

  @Test
  void getAll_withinStaleIfError_loadFails_servesExpiredValuesThenTheFailure() {
    Cache<String, String> cache = cache(config ->
        config.ttl(unit).staleIfError(unit.multipliedBy(2)));
    cache.putAll(Map.of("a", "a1", "b", "b1"));
    skip(unit.plus(margin));
    AtomicInteger calls = new AtomicInteger();
    BulkLoader<String, String> failing = keys -> {
      calls.incrementAndGet();
      throw new IllegalStateException("source down");
    };

    assertThat(cache.getAll(List.of("a", "b"), failing)).as("the load failed, within the window")
        .containsExactly(entry("a", "a1"), entry("b", "b1"));
    assertThat(calls).as("one load, in the caller's thread").hasValue(1);
    assertThat(cache.stats().refresh().staleOnErrorCount()).isEqualTo(2);
    assertThatThrownBy(() -> cache.getAll(List.of("a", "c"), failing))
        .as("a key with no old value: the failure reaches the caller")
        .isInstanceOf(IllegalStateException.class);
    skip(unit.multipliedBy(2));
    assertThatThrownBy(() -> cache.getAll(List.of("a", "b"), failing)).as("past the window")
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("source down");
  }

  // --- settings that would do nothing

  @Test
  void cache_staleWindowWithoutTtl_refusedNamingTheKey() {
    assertThatThrownBy(() -> cache(config -> config.staleWhileRevalidate(unit)))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("stale-while-revalidate")
        .hasMessageContaining("set ttl");
    assertThatThrownBy(() -> cache(config -> config.staleIfError(unit)))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("stale-if-error");
  }

  @Test
  void cache_refreshAfterNotShorterThanTtl_refusedNamingTheKey() {
    assertThatThrownBy(() -> cache(config -> config.ttl(unit).refreshAfter(unit)))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("refresh-after")
        .hasMessageContaining("shorter than ttl");
  }

  @Test
  void cache_staleWindowWithExpireAfterAccess_refusedNamingTheKey() {
    assertThatThrownBy(() -> cache(config ->
        config.ttl(unit).expireAfterAccess(unit).staleIfError(unit)))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("stale-if-error")
        .hasMessageContaining("expire-after-access");
  }

  // --- helpers

  private void skip(Duration span) {
    time.skip(span);
  }

  private void awaitBackgroundDone() {
    time.awaitBackgroundDone();
  }
}
