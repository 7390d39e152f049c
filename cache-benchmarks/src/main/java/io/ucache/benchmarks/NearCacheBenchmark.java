package io.ucache.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.redis.RedisSettings;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue 14: a near-cache hit of the redis engine ({@code near.enabled=true}) against a hit of the
 * caffeine engine (unbounded, and bounded as the near map is) and Lettuce's synchronous
 * {@code GET} on the same local {@code redis-server}.
 * The near copies are made during warm-up (the first read of each key reads Redis).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class NearCacheBenchmark {

  private static final int KEYS = KeyCursor.KEYS;

  /** The server, a near-cached redis engine, a caffeine engine and raw Lettuce. */
  @State(Scope.Benchmark)
  public static class Engines {
    LocalRedis redis;
    CacheEngine near;
    CacheEngine caffeine;
    CacheEngine boundedCaffeine;
    Cache<String, String> nearCache;
    Cache<String, String> caffeineCache;
    Cache<String, String> boundedCaffeineCache;
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> raw;
    String[] keys;
    String[] rawKeys;

    @Setup(Level.Trial)
    public void setUp() {
      redis = LocalRedis.start();
      near = EngineManager.getDefault().create(CacheConfig.builder().engine("redis")
          .set(RedisSettings.URL, redis.url()).nearEnabled(true).stats(true).build());
      caffeine = EngineManager.getDefault().create(CacheConfig.builder().engine("caffeine")
          .stats(true).build());
      // Like for like: the near map's bound (near.max-size). Not its lifetime: a ttl would make
      // this engine read System.nanoTime() on each hit, which the near map avoids (NearClock).
      boundedCaffeine = EngineManager.getDefault().create(CacheConfig.builder().engine("caffeine")
          .maxSize(CacheConfig.DEFAULT_NEAR_MAX_SIZE).stats(true).build());
      nearCache = near.cache("bench", String.class, String.class);
      caffeineCache = caffeine.cache("bench", String.class, String.class);
      boundedCaffeineCache = boundedCaffeine.cache("bench", String.class, String.class);
      client = RedisClient.create(redis.url());
      connection = client.connect();
      raw = connection.sync();
      keys = new String[KEYS];
      rawKeys = new String[KEYS];
      for (int i = 0; i < KEYS; i++) {
        String value = "value-" + i + "-" + "x".repeat(64);
        keys[i] = "key-" + i;
        rawKeys[i] = "raw:" + keys[i];
        nearCache.put(keys[i], value);
        caffeineCache.put(keys[i], value);
        boundedCaffeineCache.put(keys[i], value);
        raw.set(rawKeys[i], value);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        connection.close();
        client.shutdown();
        near.close();
        caffeine.close();
        boundedCaffeine.close();
      } finally {
        redis.close();
      }
    }
  }

  @Benchmark
  public String near_hit(Engines engines, KeyCursor cursor) {
    return engines.nearCache.get(engines.keys[cursor.next()]);
  }

  @Benchmark
  public String caffeine_hit(Engines engines, KeyCursor cursor) {
    return engines.caffeineCache.get(engines.keys[cursor.next()]);
  }

  /** The caffeine engine with the near map's bound: the like-for-like baseline. */
  @Benchmark
  public String caffeine_bounded_hit(Engines engines, KeyCursor cursor) {
    return engines.boundedCaffeineCache.get(engines.keys[cursor.next()]);
  }

  @Benchmark
  public String lettuce_get(Engines engines, KeyCursor cursor) {
    return engines.raw.get(engines.rawKeys[cursor.next()]);
  }
}
