package io.ucache.caffeine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheLoader;
import io.ucache.Capability;
import io.ucache.context.EngineManager;
import io.ucache.testkit.FakeTicker;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Behaviour of the caffeine engine beyond the contract suite: loading and expiry edge cases. */
class CaffeineCacheLoadTest {
  private CacheEngine engine;

  private Cache<Integer, Long> cache(UnaryOperator<CacheConfig.Builder> config) {
    engine = EngineManager.getDefault()
        .create(config.apply(CacheConfig.builder().engine("caffeine")).build());
    return engine.cache("numbers", Integer.class, Long.class);
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  @Test
  void get_loaderAsksForItsOwnKey_throwsIllegalStateExceptionInsteadOfWaitingForItself() {
    Cache<Integer, Long> cache = cache(c -> c);
    AtomicReference<CacheLoader<Integer, Long>> loader = new AtomicReference<>();
    loader.set(key -> cache.get(key, loader.get()));

    assertThatThrownBy(() -> cache.get(1, loader.get()))
        .isInstanceOf(IllegalStateException.class);
    assertThat(cache.lookup(1)).isNull();
    assertThat(cache.get(1, key -> 7L)).isEqualTo(7L);
  }

  @Test
  void get_loaderLoadsOtherKeysOfTheSameCache_recursionWorks() {
    Cache<Integer, Long> cache = cache(c -> c);
    AtomicInteger loads = new AtomicInteger();
    AtomicReference<CacheLoader<Integer, Long>> fibonacci = new AtomicReference<>();
    fibonacci.set(n -> {
      loads.incrementAndGet();
      return n < 2 ? (long) n : cache.get(n - 1, fibonacci.get()) + cache.get(n - 2, fibonacci.get());
    });

    assertThat(cache.get(60, fibonacci.get())).isEqualTo(1_548_008_755_920L);
    assertThat(loads).hasValue(61);
    assertThat(cache.stats().loadSuccessCount()).isEqualTo(61);
  }

  @Test
  void put_whileAnotherKeyLoads_isNotBlockedByTheLoad() throws Exception {
    Cache<Integer, Long> cache = cache(c -> c);
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Long> slow = pool.submit(() -> cache.get(0, key -> {
        loading.countDown();
        assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
        return 1L;
      }));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();

      // Keys of every hash bin are written and read while key 0 is still loading.
      for (int key = 1; key <= 1_000; key++) {
        cache.put(key, (long) key);
        assertThat(cache.get(key, k -> -1L)).isEqualTo(key);
      }
      assertThat(slow.isDone()).isFalse();

      release.countDown();
      assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(1L);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void evict_whileTheKeyLoads_theLoadedValueDoesNotStay() throws Exception {
    assertRacingRemovalWins(Cache::evict);
  }

  @Test
  void clear_whileAKeyLoads_theLoadedValueDoesNotStay() throws Exception {
    assertRacingRemovalWins((cache, key) -> cache.clear());
  }

  @Test
  void asMapRemove_whileTheKeyLoads_theLoadedValueDoesNotStay() throws Exception {
    assertRacingRemovalWins((cache, key) -> cache.asMap().remove(key));
  }

  /** A removal that comes while a load runs must not be undone by the load storing its value. */
  private void assertRacingRemovalWins(java.util.function.BiConsumer<Cache<Integer, Long>, Integer>
      removal) throws Exception {
    Cache<Integer, Long> cache = cache(c -> c);
    CountDownLatch loading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<Long> load = pool.submit(() -> cache.get(1, key -> {
        loading.countDown();
        assertThat(release.await(10, TimeUnit.SECONDS)).isTrue();
        return 1L; // read before the removal: possibly stale
      }));
      assertThat(loading.await(10, TimeUnit.SECONDS)).isTrue();

      removal.accept(cache, 1);
      release.countDown();

      assertThat(load.get(10, TimeUnit.SECONDS)).as("the caller still gets its value").isEqualTo(1L);
      assertThat(cache.lookup(1)).as("but the cache does not keep it").isNull();
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void putWithTtl_cacheWithoutVariableExpiry_entryIsAMissOnceReadAfterItsTtl() {
    // The engine lists per-entry-ttl: it works on every cache, not only those built for it.
    FakeTicker ticker = new FakeTicker();
    Cache<Integer, Long> cache = cache(c -> c.ticker(ticker));
    cache.put(1, 1L, Duration.ofMinutes(1));
    cache.put(2, 2L);

    ticker.advance(Duration.ofSeconds(59));
    assertThat(cache.get(1)).isEqualTo(1L);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(cache.get(1)).isNull();
    assertThat(cache.lookup(1)).isNull();
    assertThat(cache.get(2)).as("entries without a ttl of their own stay").isEqualTo(2L);

    // Under a cache-wide ttl, whichever comes first ends the entry.
    Cache<Integer, Long> withTtl = engine.cache("with-ttl", Integer.class, Long.class,
        CacheConfig.builder().ttl(Duration.ofMinutes(5)).build());
    withTtl.put(1, 1L, Duration.ofMinutes(1));
    withTtl.put(3, 3L, Duration.ofMinutes(10));
    ticker.advance(Duration.ofSeconds(61));
    assertThat(withTtl.get(1)).isNull();
    assertThat(withTtl.get(3)).isEqualTo(3L);
    ticker.advance(Duration.ofMinutes(5));
    assertThat(withTtl.get(3)).as("the cache's own ttl still applies").isNull();
  }

  @Test
  void putWithTtl_overPlainEntries_hitsOfBothKindsReturnTheValueAndEachTtlHolds() {
    // A cache of plain values, once it holds entries with deadlines of their own, holds both
    // kinds: a hit of either returns the value, and each deadline still ends its entry.
    FakeTicker ticker = new FakeTicker();
    Cache<Integer, Long> cache = cache(c -> c.ticker(ticker));
    cache.put(1, 1L);
    assertThat(cache.get(1)).isEqualTo(1L);

    cache.put(2, 2L, Duration.ofMinutes(1));
    cache.put(1, 10L, Duration.ofMinutes(2));

    assertThat(cache.get(2)).isEqualTo(2L);
    assertThat(cache.get(1)).isEqualTo(10L);
    ticker.advance(Duration.ofSeconds(61));
    assertThat(cache.get(2)).isNull();
    assertThat(cache.get(1)).isEqualTo(10L);
    ticker.advance(Duration.ofSeconds(60));
    assertThat(cache.get(1)).isNull();
    assertThat(cache.stats().hitCount()).isEqualTo(4);
    assertThat(cache.stats().missCount()).isEqualTo(2);
  }

  @Test
  void putWithTtl_tickerNearLongMaxValue_stillExpires() {
    FakeTicker ticker = new FakeTicker();
    ticker.advance(Duration.ofNanos(Long.MAX_VALUE - ticker.read() - Duration.ofSeconds(5).toNanos()));
    Cache<Integer, Long> cache = cache(c -> c.ticker(ticker).require(Capability.PER_ENTRY_TTL)
        .expireAfterAccess(Duration.ofHours(1)));

    cache.put(1, 1L, Duration.ofSeconds(10)); // its deadline lies past Long.MAX_VALUE
    cache.put(2, 2L);
    ticker.advance(Duration.ofSeconds(9));
    assertThat(cache.get(1)).isEqualTo(1L);

    ticker.advance(Duration.ofSeconds(2));
    assertThat(cache.get(1)).isNull();
    assertThat(cache.get(2)).isEqualTo(2L);
  }
}
