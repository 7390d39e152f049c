package io.ucache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheLoader;
import io.ucache.context.EngineManager;
import io.ucache.redis.RedisSettings;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Issue 15: the latency distribution (JMH sample time: p50, p99) of {@code get(key, loader)}
 * hits on a cache with {@code refresh-after} (50 ms, 500 ms or 5 s: some 20,000, 2,000 or 200
 * reloads a second), read in a loop over 1,024 keys, so each key is reloaded in the background
 * about that often while the reads go on (run warm-ups longer than refresh-after), against hits on
 * the same engine without refresh-ahead; on the caffeine engine, on the redis engine against a
 * local {@code redis-server}, and, as the peer, Caffeine's own {@code refreshAfterWrite} loading
 * cache against the same loading cache without it.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RefreshBenchmark {

  private static final int KEYS = KeyCursor.KEYS;

  /** A caffeine and a redis engine, each with a plain and a refreshing cache. */
  @State(Scope.Benchmark)
  public static class Engines {
    @Param({"50", "500", "5000"})
    long refreshAfterMillis;
    LocalRedis redis;
    CacheEngine caffeine;
    CacheEngine redisEngine;
    Cache<String, String> caffeinePlain;
    Cache<String, String> caffeineRefreshing;
    Cache<String, String> redisPlain;
    Cache<String, String> redisRefreshing;
    LoadingCache<String, String> rawPlain;
    LoadingCache<String, String> rawRefreshing;
    final LongAdder loads = new LongAdder();
    final CacheLoader<String, String> loader = key -> {
      loads.increment();
      return "value-" + key + "-" + "x".repeat(64);
    };
    String[] keys;

    @Setup(Level.Trial)
    public void setUp() {
      redis = LocalRedis.start();
      CacheConfig refreshing = CacheConfig.builder().ttl(Duration.ofHours(1))
          .refreshAfter(Duration.ofMillis(refreshAfterMillis)).build();
      caffeine = EngineManager.getDefault().create(CacheConfig.builder().engine("caffeine")
          .ttl(Duration.ofHours(1)).build());
      redisEngine = EngineManager.getDefault().create(CacheConfig.builder().engine("redis")
          .set(RedisSettings.URL, redis.url()).ttl(Duration.ofHours(1)).build());
      caffeinePlain = caffeine.cache("plain", String.class, String.class);
      caffeineRefreshing = caffeine.cache("refreshing", String.class, String.class, refreshing);
      redisPlain = redisEngine.cache("plain", String.class, String.class);
      redisRefreshing = redisEngine.cache("refreshing", String.class, String.class, refreshing);
      rawPlain = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1))
          .build(loader::load);
      rawRefreshing = Caffeine.newBuilder().expireAfterWrite(Duration.ofHours(1))
          .refreshAfterWrite(Duration.ofMillis(refreshAfterMillis)).build(loader::load);
      keys = new String[KEYS];
      for (int i = 0; i < KEYS; i++) {
        keys[i] = "key-" + i;
        for (Cache<String, String> cache : java.util.List.of(caffeinePlain, caffeineRefreshing,
            redisPlain, redisRefreshing)) {
          cache.get(keys[i], loader);
        }
        rawPlain.get(keys[i]);
        rawRefreshing.get(keys[i]);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        System.out.printf("%nloads %d; refreshes: caffeine %d, redis %d%n", loads.sum(),
            caffeineRefreshing.stats().refresh().refreshCount(),
            redisRefreshing.stats().refresh().refreshCount());
        caffeine.close();
        redisEngine.close();
      } finally {
        redis.close();
      }
    }
  }

  @Benchmark
  public String caffeine_get_plain(Engines engines, KeyCursor cursor) {
    return engines.caffeinePlain.get(engines.keys[cursor.next()], engines.loader);
  }

  @Benchmark
  public String caffeine_get_refreshing(Engines engines, KeyCursor cursor) {
    return engines.caffeineRefreshing.get(engines.keys[cursor.next()], engines.loader);
  }

  @Benchmark
  public String raw_caffeine_get_plain(Engines engines, KeyCursor cursor) {
    return engines.rawPlain.get(engines.keys[cursor.next()]);
  }

  @Benchmark
  public String raw_caffeine_get_refreshing(Engines engines, KeyCursor cursor) {
    return engines.rawRefreshing.get(engines.keys[cursor.next()]);
  }

  @Benchmark
  public String redis_get_plain(Engines engines, KeyCursor cursor) {
    return engines.redisPlain.get(engines.keys[cursor.next()], engines.loader);
  }

  @Benchmark
  public String redis_get_refreshing(Engines engines, KeyCursor cursor) {
    return engines.redisRefreshing.get(engines.keys[cursor.next()], engines.loader);
  }
}
