package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.ObservationContract;
import io.ucache.testkit.RedisServerExtension;
import io.ucache.testkit.Spans;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

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
