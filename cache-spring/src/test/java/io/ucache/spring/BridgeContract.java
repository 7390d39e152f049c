package io.ucache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheEngine;
import io.ucache.CacheSerializationException;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.BeanUtils;
import org.springframework.cache.Cache;
import org.springframework.cache.interceptor.SimpleKey;
import org.springframework.cache.support.NullValue;

/**
 * The behaviours of Spring's {@code AbstractCacheTests} and
 * {@code AbstractValueAdaptingCacheTests}, written again for the UCache bridge; each engine runs
 * them through a subclass.
 */
abstract class BridgeContract {

  static final String CACHE_NAME = "testCache";

  /** A fresh engine for one test, empty. */
  abstract CacheEngine newEngine() throws Exception;

  CacheEngine engine;
  UCacheCacheManager manager;

  @BeforeEach
  void openEngine() throws Exception {
    engine = newEngine();
    manager = new UCacheCacheManager(engine);
  }

  @AfterEach
  void closeEngine() {
    engine.close();
  }

  Cache cache() {
    return manager.getCache(CACHE_NAME);
  }

  Cache cacheWithoutNulls() {
    return new UCacheCacheManager(engine, false).getCache("noNulls");
  }

  static String randomKey() {
    return UUID.randomUUID().toString();
  }

  @Test
  void name_isTheCacheName() {
    assertThat(cache().getName()).isEqualTo(CACHE_NAME);
  }

  @Test
  void nativeCache_isTheUCacheCache() {
    assertThat(cache().getNativeCache()).isInstanceOf(io.ucache.Cache.class);
    assertThat(((io.ucache.Cache<?, ?>) cache().getNativeCache()).name()).isEqualTo(CACHE_NAME);
    assertThat(engine.cacheNames()).contains(CACHE_NAME);
  }

  @Test
  void put_thenGet_returnsTheValue_nullsIncluded() {
    Cache cache = cache();
    String key = randomKey();
    assertThat(cache.get(key)).isNull();
    assertThat(cache.get(key, String.class)).isNull();
    assertThat(cache.get(key, Object.class)).isNull();

    cache.put(key, "george");
    assertThat(cache.get(key).get()).isEqualTo("george");
    assertThat(cache.get(key, String.class)).isEqualTo("george");
    assertThat(cache.get(key, Object.class)).isEqualTo("george");
    assertThat(cache.get(key, (Class<?>) null)).isEqualTo("george");

    cache.put(key, null);
    assertThat(cache.get(key)).isNotNull();
    assertThat(cache.get(key).get()).isNull();
    assertThat(cache.get(key, String.class)).isNull();

    cache.put(key, BeanUtils.instantiateClass(NullValue.class)); // another instance of the marker
    assertThat(cache.get(key)).isNotNull();
    assertThat(cache.get(key).get()).isNull();
    assertThat(cache.get(key, Object.class)).isNull();
  }

  @Test
  void get_withWrongType_throwsIllegalState() {
    Cache cache = cache();
    String key = randomKey();
    cache.put(key, "george");
    assertThatThrownBy(() -> cache.get(key, Integer.class))
        .isInstanceOf(IllegalStateException.class);
  }

  @Test
  void putIfAbsent_keepsTheFirstValue() {
    Cache cache = cache();
    String key = randomKey();
    assertThat(cache.get(key)).isNull();
    assertThat(cache.putIfAbsent(key, "initialValue")).isNull();
    assertThat(cache.get(key).get()).isEqualTo("initialValue");
    assertThat(cache.putIfAbsent(key, "anotherValue").get()).isEqualTo("initialValue");
    assertThat(cache.get(key).get()).isEqualTo("initialValue");
  }

  @Test
  void putIfAbsent_overACachedNull_returnsAWrapperOfNull() {
    Cache cache = cache();
    String key = randomKey();
    cache.put(key, null);
    Cache.ValueWrapper existing = cache.putIfAbsent(key, "value");
    assertThat(existing).isNotNull();
    assertThat(existing.get()).isNull();
  }

  @Test
  void evict_removesTheEntry_evictIfPresentSaysWhetherThereWasOne() {
    Cache cache = cache();
    String key = randomKey();
    cache.put(key, "george");
    cache.evict(key);
    assertThat(cache.get(key)).isNull();
    cache.put(key, "george");
    assertThat(cache.evictIfPresent(key)).isTrue();
    assertThat(cache.evictIfPresent(key)).isFalse();
    assertThat(cache.get(key)).isNull();
  }

  @Test
  void clear_removesEveryEntry_invalidateSaysWhetherThereWereAny() {
    Cache cache = cache();
    assertThat(cache.get("enescu")).isNull();
    cache.put("enescu", "george");
    assertThat(cache.get("vlaicu")).isNull();
    cache.put("vlaicu", "aurel");
    cache.clear();
    assertThat(cache.get("vlaicu")).isNull();
    assertThat(cache.get("enescu")).isNull();
    cache.put("enescu", "george");
    assertThat(cache.invalidate()).isTrue();
    assertThat(cache.get("enescu")).isNull();
  }

  @Test
  void getWithLoader_onAMiss_loadsAndCaches() {
    Cache cache = cache();
    String key = randomKey();
    assertThat(cache.get(key)).isNull();
    String value = cache.get(key, () -> "test");
    assertThat(value).isEqualTo("test");
    assertThat(cache.get(key).get()).isEqualTo("test");
  }

  @Test
  void getWithLoader_returningNull_cachesTheNull() {
    Cache cache = cache();
    String key = randomKey();
    Object value = cache.get(key, () -> null);
    assertThat(value).isNull();
    assertThat(cache.get(key)).isNotNull();
    assertThat(cache.get(key).get()).isNull();
  }

  @Test
  void getWithLoader_onAHit_neverCallsTheLoader() {
    Cache cache = cache();
    String key = randomKey();
    cache.put(key, "existing");
    Object value = cache.get(key, () -> {
      throw new IllegalStateException("Should not have been invoked");
    });
    assertThat(value).isEqualTo("existing");
  }

  @Test
  void getWithLoader_onACachedNull_neverCallsTheLoader() {
    Cache cache = cache();
    String key = randomKey();
    cache.put(key, null);
    Object value = cache.get(key, () -> {
      throw new IllegalStateException("Should not have been invoked");
    });
    assertThat(value).isNull();
  }

  @Test
  void getWithLoader_whenTheLoaderFails_throwsValueRetrievalException_andCachesNothing() {
    Cache cache = cache();
    String key = randomKey();
    assertThatExceptionOfType(Cache.ValueRetrievalException.class)
        .isThrownBy(() -> cache.get(key, () -> {
          throw new UnsupportedOperationException("Expected exception");
        }))
        .satisfies(e -> {
          assertThat(e.getCause()).isExactlyInstanceOf(UnsupportedOperationException.class);
          assertThat(e.getKey()).isEqualTo(key);
        });
    assertThatExceptionOfType(Cache.ValueRetrievalException.class)
        .isThrownBy(() -> cache.get(key, () -> {
          throw new IOException("checked");
        }))
        .withCauseExactlyInstanceOf(IOException.class);
    assertThat(cache.get(key)).isNull();
    String later = cache.get(key, () -> "later");
    assertThat(later).isEqualTo("later");
  }

  @Test
  void getWithLoader_tenThreadsOnOneKey_loadOnce() throws Exception {
    Cache cache = cache();
    String key = randomKey();
    AtomicInteger loads = new AtomicInteger();
    CountDownLatch allCalling = new CountDownLatch(10);
    List<Object> results = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(10);
    try {
      List<Future<?>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) {
        calls.add(pool.submit(() -> {
          allCalling.countDown();
          results.add(cache.get(key, () -> {
            // Hold the load until every thread is calling, so that they overlap.
            allCalling.await(10, TimeUnit.SECONDS);
            return loads.incrementAndGet();
          }));
          return null;
        }));
      }
      for (Future<?> call : calls) {
        call.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(loads).hasValue(1);
    assertThat(results).hasSize(10).containsOnly(1);
  }

  @Test
  void put_null_whenNullsAreNotAllowed_throwsIllegalArgument() {
    Cache cache = cacheWithoutNulls();
    String key = randomKey();
    assertThatThrownBy(() -> cache.put(key, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Cache 'noNulls' is configured to not allow null values but null was provided");
    assertThat(cache.get(key)).isNull();
  }

  @Test
  void getWithLoader_returningNull_whenNullsAreNotAllowed_failsAndCachesNothing() {
    Cache cache = cacheWithoutNulls();
    String key = randomKey();
    assertThatExceptionOfType(Cache.ValueRetrievalException.class)
        .isThrownBy(() -> cache.get(key, () -> null))
        .withCauseInstanceOf(IllegalArgumentException.class);
    assertThat(cache.get(key)).isNull();
  }

  @Test
  void retrieve_givesCompletedFutures_andLoadsThroughTheSupplierOnAMiss() throws Exception {
    Cache cache = cache();
    String key = randomKey();
    assertThat(cache.retrieve(key)).isNull();
    cache.put(key, "george");
    assertThat(((Cache.ValueWrapper) cache.retrieve(key).get(5, TimeUnit.SECONDS)).get())
        .isEqualTo("george");
    cache.put(key, null);
    assertThat(((Cache.ValueWrapper) cache.retrieve(key).get(5, TimeUnit.SECONDS)).get())
        .isNull();
    Cache noNulls = cacheWithoutNulls();
    noNulls.put(key, "plain");
    assertThat(noNulls.retrieve(key).get(5, TimeUnit.SECONDS)).isEqualTo("plain");

    String other = randomKey();
    AtomicInteger loads = new AtomicInteger();
    assertThat(cache.retrieve(other, () -> java.util.concurrent.CompletableFuture
        .completedFuture("v" + loads.incrementAndGet())).get(5, TimeUnit.SECONDS)).isEqualTo("v1");
    assertThat(cache.retrieve(other, () -> java.util.concurrent.CompletableFuture
        .completedFuture("v" + loads.incrementAndGet())).get(5, TimeUnit.SECONDS)).isEqualTo("v1");
    assertThat(loads).hasValue(1);
  }

  @Test
  void keys_compareByContent_andCompositesNeverMeetTheirText() {
    Cache cache = cache();
    cache.put(new SimpleKey("a", 1), "composite");
    cache.put("a:1", "string");
    cache.put(SimpleKey.EMPTY, "empty");
    assertThat(cache.get(new SimpleKey("a", 1)).get()).isEqualTo("composite");
    assertThat(cache.get(new SimpleKey("a", 2))).isNull();
    assertThat(cache.get("a:1").get()).isEqualTo("string");
    assertThat(cache.get(SimpleKey.EMPTY).get()).isEqualTo("empty");
  }

  @Test
  void jdkValues_roundTrip() {
    Cache cache = cache();
    cache.put("list", List.of(1L, 2L));
    cache.put("number", 42);
    assertThat((Object) cache.get("list", List.class)).isEqualTo(List.of(1L, 2L));
    assertThat(cache.get("number", Integer.class)).isEqualTo(42);
  }

  record Quote(String symbol, long cents) implements java.io.Serializable {}

  @Test
  void userValues_withTheirTypeDeclared_roundTrip() {
    manager.setValueType("quotes", Quote.class);
    Cache quotes = manager.getCache("quotes");
    quotes.put("ACME", new Quote("ACME", 1234));
    assertThat(quotes.get("ACME", Quote.class)).isEqualTo(new Quote("ACME", 1234));
    assertThatThrownBy(() -> manager.setValueType("quotes", String.class))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("quotes");
  }

  /** What an engine storing bytes says about a value type it was not told about. */
  void assertUndeclaredUserValueIsRefusedWithAHint() {
    Cache cache = cache();
    assertThatThrownBy(() -> cache.put("ACME", new Quote("ACME", 1)))
        .isInstanceOf(CacheSerializationException.class)
        .hasMessageContaining("ucache.cache-manager.value-types.testCache")
        .hasMessageContaining(Quote.class.getName());
    assertThat(cache.get("ACME")).isNull();
  }
}
