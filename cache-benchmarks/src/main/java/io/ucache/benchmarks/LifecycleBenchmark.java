package io.ucache.benchmarks;

import io.ucache.CacheConfig;
import io.ucache.context.EngineContext;
import io.ucache.ehcache.EhcacheSettings;
import io.ucache.redis.RedisSettings;
import java.nio.file.Path;
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
 * Issue 7, benchmark 8: what a scoped block costs, {@code EngineContext.open} plus
 * {@code close}, per engine: Caffeine (nothing to start), Ehcache (lock a folder, start Ehcache
 * with its threads, stop it and mark the folder clean) and Redis (connect and disconnect).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LifecycleBenchmark {

  /** A configuration per engine; a folder and a server for those that need one. */
  @State(Scope.Benchmark)
  public static class Configs {
    Path dir;
    LocalRedis redis;
    CacheConfig caffeine;
    CacheConfig ehcache;
    CacheConfig redisConfig;

    @Setup(Level.Trial)
    public void setUp() {
      dir = TempFolder.create("ucache-bench-lifecycle");
      redis = LocalRedis.start();
      caffeine = CacheConfig.builder().engine("caffeine").build();
      ehcache = CacheConfig.builder().engine("ehcache").set(EhcacheSettings.BASE_DIR, dir).set(EhcacheSettings.FOLDER, "lifecycle").build();
      redisConfig = CacheConfig.builder().engine("redis").set(RedisSettings.URL, redis.url()).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        redis.close();
      } finally {
        TempFolder.delete(dir);
      }
    }
  }

  @Benchmark
  public boolean caffeine(Configs configs) {
    return cycle(configs.caffeine);
  }

  @Benchmark
  public boolean ehcache(Configs configs) {
    return cycle(configs.ehcache);
  }

  @Benchmark
  public boolean redis(Configs configs) {
    return cycle(configs.redisConfig);
  }

  private static boolean cycle(CacheConfig config) {
    try (EngineContext context = EngineContext.open(config)) {
      return context.isClosed();
    }
  }
}
