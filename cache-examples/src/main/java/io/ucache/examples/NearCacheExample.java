package io.ucache.examples;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.NearStats;
import io.ucache.context.EngineManager;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A near cache over Redis, switched on by configuration alone ({@code near.enabled=true}): the
 * second read of a key is served from this process's copy, without a round trip, and another
 * process's write reaches it through the server's invalidation. Run it with a server's URL:
 * {@code UCACHE_REDIS_URL=redis://localhost:6379 java -cp cache-examples/target/ucache-examples.jar
 * io.ucache.examples.NearCacheExample}.
 */
public final class NearCacheExample {
  private NearCacheExample() {}

  /**
   * What the run saw: the near cache's counters after two reads, and the value read after
   * another process changed it, with how long that took to arrive.
   */
  public record Result(NearStats afterTwoReads, String afterOtherWrite, Duration arrivedWithin) {}

  public static void main(String[] args) {
    String url = RedisExample.redisUrl(args);
    if (url != null) {
      run(System.out, url);
    }
  }

  /** One run against the server at {@code redisUrl}. */
  public static Result run(PrintStream out, String redisUrl) {
    // [near]
    CacheConfig config = CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redisUrl)
        .set("namespace", "examples")
        .set("near.enabled", "true")          // an in-process copy, invalidated by Redis
        .set("near.max-size", "10000")        // copies kept per cache
        .set("near.max-staleness", "30s")     // no copy older than this, whatever happens
        .build();
    // [near]
    CacheConfig otherProcess = CacheConfig.builder().engine("redis").set("redis.url", redisUrl)
        .set("namespace", "examples").build();
    try (CacheEngine engine = EngineManager.getDefault().create(config);
        CacheEngine other = EngineManager.getDefault().create(otherProcess)) {
      Cache<String, String> rates = engine.cache("rates", String.class, String.class);
      Cache<String, String> otherRates = other.cache("rates", String.class, String.class);
      otherRates.put("EUR", "1.08");
      NearStats stats = awaitNearHit(rates, "EUR");
      out.printf("  near cache: %d read(s) went to Redis while its invalidation connection came "
          + "up, then %d from the copy in this process%n", stats.missCount(), stats.hitCount());

      long start = System.nanoTime();
      otherRates.put("EUR", "1.09");                  // another process changes it
      String seen = rates.get("EUR");
      while (!"1.09".equals(seen) && System.nanoTime() - start < 10_000_000_000L) {
        seen = rates.get("EUR");                       // the copy until the invalidation arrives
      }
      Duration arrived = Duration.ofNanos(System.nanoTime() - start);
      out.printf("  another process's write reached this process's copy within %.2f ms: %s%n",
          arrived.toNanos() / 1e6, seen);
      return new Result(stats, seen, arrived);
    }
  }

  /**
   * Reads {@code key} until a read is served from the near copy: the copy is kept only once
   * the engine's invalidation connection is up, a moment after the engine opens.
   */
  private static NearStats awaitNearHit(Cache<String, String> cache, String key) {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (cache.stats().near().hitCount() == 0 && System.nanoTime() < deadline) {
      cache.get(key);
    }
    return cache.stats().near();
  }
}
