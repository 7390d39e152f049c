package io.ucache.benchmarks;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.redis.RedisSettings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * Issue 7, benchmark 6: the Redis engine's {@code get} against Lettuce's synchronous {@code GET}
 * on the same local {@code redis-server} (started for the trial on a free port), and the engine's
 * {@code getAll} of {@value #BATCH} keys (one pipelined batch) against {@value #BATCH} single gets.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisBenchmark {

  static final int BATCH = 100;
  private static final int KEYS = KeyCursor.KEYS;

  /** The server, the engine's cache and a raw Lettuce connection, with the same entries. */
  @State(Scope.Benchmark)
  public static class Clients {
    LocalRedis redis;
    CacheEngine engine;
    Cache<String, String> ucache;
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> raw;
    String[] keys;
    String[] rawKeys;
    List<String> batch;

    @Setup(Level.Trial)
    public void setUp() {
      redis = LocalRedis.start();
      engine = EngineManager.getDefault().create(CacheConfig.builder().engine("redis")
          .set(RedisSettings.URL, redis.url()).stats(true).build());
      ucache = engine.cache("bench", String.class, String.class);
      client = RedisClient.create(redis.url());
      connection = client.connect();
      raw = connection.sync();
      keys = new String[KEYS];
      rawKeys = new String[KEYS];
      for (int i = 0; i < KEYS; i++) {
        String value = "value-" + i + "-" + "x".repeat(64);
        keys[i] = "key-" + i;
        rawKeys[i] = "raw:key-" + i;
        ucache.put(keys[i], value);
        raw.set(rawKeys[i], value);
      }
      batch = new ArrayList<>(List.of(keys).subList(0, BATCH));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        connection.close();
        client.shutdown();
        engine.close();
      } finally {
        redis.close();
      }
    }
  }

  @Benchmark
  public String ucache_get(Clients clients, KeyCursor cursor) {
    return clients.ucache.get(clients.keys[cursor.next()]);
  }

  @Benchmark
  public String lettuce_get(Clients clients, KeyCursor cursor) {
    return clients.raw.get(clients.rawKeys[cursor.next()]);
  }

  @Benchmark
  public Map<String, String> ucache_getAll100(Clients clients) {
    return clients.ucache.getAll(clients.batch);
  }

  @Benchmark
  public void ucache_get100(Clients clients, Blackhole blackhole) {
    for (String key : clients.batch) {
      blackhole.consume(clients.ucache.get(key));
    }
  }
}
