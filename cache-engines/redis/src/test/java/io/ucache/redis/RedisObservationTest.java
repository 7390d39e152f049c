package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CachedValue;
import io.ucache.Ticker;
import io.ucache.context.EngineManager;
import io.ucache.testkit.ObservationContract;
import io.ucache.testkit.RedisServerExtension;
import io.ucache.testkit.Spans;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The observation contract on the redis engine, against a real redis-server; and what a near
 * cache and a failing server make of the spans.
 */
class RedisObservationTest extends ObservationContract {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "traced-" + NAMESPACES.incrementAndGet());
  }

  @Test
  void nearCache_readsTheCopyAnswersAreNoSpans() {
    try (Spans spans = new Spans();
        CacheEngine engine = EngineManager.getDefault().create(baseConfig()
            .nearEnabled(true).observationRegistry(spans.registry()).build())) {
      Cache<String, String> cache = engine.cache("near-traced", String.class, String.class);
      // Copies are kept only while the feed is live; and the feed echoes this process's own
      // write, dropping a copy made before the echo. Wait for both, so what follows is certain.
      RedisOutageTest.await("the near feed to be live",
          () -> engine.unwrap(RedisEngine.class).nearLive());
      assertThat(cache.get("AAPL", symbol -> symbol + "=42")).isEqualTo("AAPL=42");
      assertThat(spans.names()).containsExactly("load near-traced", "get near-traced");
      RedisOutageTest.await("the echo of the load's write",
          () -> cache.stats().near().invalidationCount() > 0);
      spans.reset();

      int reads = 20;
      for (int i = 0; i < reads; i++) {
        assertThat(cache.get("AAPL")).isEqualTo("AAPL=42");
        assertThat(cache.get("AAPL", symbol -> "never")).isEqualTo("AAPL=42");
      }

      // A read the copy answers is no span; one that reads Redis (at most the first, if the
      // echo dropped the load's copy) is one span.
      long fromCopies = cache.stats().near().hitCount();
      assertThat(fromCopies).isBetween(2L * reads - 1, 2L * reads);
      assertThat(spans.names()).hasSize((int) (2 * reads - fromCopies))
          .allMatch("get near-traced"::equals);
    }
  }

  /**
   * A read whose near copy goes while it runs either is answered by the copy, and is no span, or
   * reads Redis, and is one span: never a Redis read without one. The reader is held at its
   * first or second look at the near cache (each reads the injected ticker, for the copies'
   * expiry) while this thread evicts the key, copy and entry.
   */
  @ParameterizedTest(name = "{0}, held at look {1}")
  @CsvSource({"get, 1", "get, 2", "lookup, 1", "lookup, 2", "loader, 1", "loader, 2"})
  void nearCache_aCopyGoingMidReadNeverHidesARedisRead(String read, int heldAt) throws Exception {
    HeldTicker ticker = new HeldTicker(heldAt);
    ExecutorService reader = Executors.newSingleThreadExecutor();
    try (Spans spans = new Spans();
        CacheEngine engine = EngineManager.getDefault().create(baseConfig().nearEnabled(true)
            .ticker(ticker).observationRegistry(spans.registry()).build())) {
      Cache<String, String> cache = engine.cache("near-raced", String.class, String.class);
      RedisOutageTest.await("the near feed to be live",
          () -> engine.unwrap(RedisEngine.class).nearLive());
      cache.put("AAPL", "42");
      RedisOutageTest.await("the echo of the write",
          () -> cache.stats().near().invalidationCount() > 0);
      RedisOutageTest.await("a read the copy answers", () -> {
        long before = cache.stats().near().hitCount();
        cache.get("AAPL");
        return cache.stats().near().hitCount() > before;
      });
      spans.reset();

      Future<String> result = reader.submit(() -> {
        ticker.hold(Thread.currentThread());
        return switch (read) {
          case "get" -> cache.get("AAPL");
          case "lookup" -> {
            CachedValue<String> found = cache.lookup("AAPL");
            yield found == null ? null : found.value();
          }
          default -> cache.get("AAPL", symbol -> "loaded");
        };
      });
      RedisOutageTest.await("the reader held or done", () -> ticker.isHeld() || result.isDone());
      if (ticker.isHeld()) {
        cache.evict("AAPL");
        ticker.release();
      }
      String value = result.get(30, TimeUnit.SECONDS);

      boolean fromCopy = "42".equals(value);
      assertThat(value).isIn("42", read.equals("loader") ? "loaded" : null);
      assertThat(spans.names().stream().filter("get near-raced"::equals))
          .as("get spans of a read %s", fromCopy ? "the copy answered" : "that read Redis")
          .hasSize(fromCopy ? 0 : 1);
    } finally {
      ticker.release();
      reader.shutdownNow();
    }
  }

  /** The system ticker, holding one thread at its {@code heldAt}-th read until released. */
  private static final class HeldTicker implements Ticker {
    private final int heldAt;
    private final AtomicInteger reads = new AtomicInteger();
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile @org.jspecify.annotations.Nullable Thread holding;

    HeldTicker(int heldAt) {
      this.heldAt = heldAt;
    }

    void hold(Thread thread) {
      holding = thread;
    }

    boolean isHeld() {
      return held.getCount() == 0;
    }

    void release() {
      released.countDown();
    }

    @Override
    public long read() {
      if (Thread.currentThread() == holding && reads.incrementAndGet() == heldAt) {
        held.countDown();
        try {
          if (!released.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return System.nanoTime();
    }
  }

  @Test
  void failOpen_aServerThatFailsMakesTheCallAnError() {
    try (Spans spans = new Spans();
        CacheEngine engine = EngineManager.getDefault().create(baseConfig()
            .set("fail-mode", "open").set("timeout", "200ms")
            .observationRegistry(spans.registry()).build())) {
      Cache<String, String> cache = engine.cache("failing", String.class, String.class);
      cache.put("AAPL", "1");
      spans.reset();
      redis.pause();
      try {
        assertThat(cache.get("AAPL")).isNull();
      } finally {
        redis.resume();
      }

      assertThat(Spans.attribute(spans.named("get failing"), "ucache.result")).isEqualTo("error");
    }
  }
}
