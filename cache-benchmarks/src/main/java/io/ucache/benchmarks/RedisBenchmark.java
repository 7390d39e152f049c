package io.ucache.benchmarks;

import io.lettuce.core.RedisClient;
import org.redisson.Redisson;
import org.redisson.api.RedissonClient;
import org.redisson.client.codec.StringCodec;
import org.redisson.config.Config;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.redis.RedisSettings;
import io.lettuce.core.KeyValue;
import java.util.ArrayList;
import java.util.Arrays;
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
 * {@code getAll} of {@value #BATCH} keys (one pipelined batch) against {@value #BATCH} single gets
 * and against one raw {@code MGET} of them.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RedisBenchmark {

  static final int BATCH = 100;
  private static final int KEYS = KeyCursor.KEYS;

  /**
   * A server of its own (started for the trial on a free port) and a raw Lettuce connection to
   * it, filled with {@value #KEYS} entries that the clients a subclass opens hold too: the same
   * values under their own keys ({@code key-<n>} for theirs, {@code raw:key-<n>} for Lettuce's).
   */
  public abstract static class Server {
    LocalRedis redis;
    RedisClient client;
    StatefulRedisConnection<String, String> connection;
    RedisCommands<String, String> raw;
    String[] keys;
    String[] rawKeys;

    /** Opens the clients measured against raw Lettuce, on {@code redis}. */
    abstract void open();

    /** Stores {@code value} under {@code key} through each of the clients. */
    abstract void put(String key, String value);

    /** Closes the clients {@link #open} opened. */
    abstract void close();

    @Setup(Level.Trial)
    public void setUp() {
      redis = LocalRedis.start();
      open();
      client = RedisClient.create(redis.url());
      connection = client.connect();
      raw = connection.sync();
      keys = new String[KEYS];
      rawKeys = new String[KEYS];
      for (int i = 0; i < KEYS; i++) {
        String value = "value-" + i + "-" + "x".repeat(64);
        keys[i] = "key-" + i;
        rawKeys[i] = "raw:key-" + i;
        put(keys[i], value);
        raw.set(rawKeys[i], value);
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      try {
        connection.close();
        client.shutdown();
        close();
      } finally {
        redis.close();
      }
    }
  }

  /** The engine's cache and a raw Lettuce connection, with the same entries. */
  @State(Scope.Benchmark)
  public static class Clients extends Server {
    CacheEngine engine;
    Cache<String, String> ucache;
    List<String> batch;
    String[] rawBatch;

    @Override
    void open() {
      engine = EngineManager.getDefault().create(CacheConfig.builder().engine("redis")
          .set(RedisSettings.URL, redis.url()).stats(true).build());
      ucache = engine.cache("bench", String.class, String.class);
    }

    @Override
    void put(String key, String value) {
      ucache.put(key, value);
    }

    @Override
    public void setUp() {
      super.setUp();
      batch = new ArrayList<>(List.of(keys).subList(0, BATCH));
      rawBatch = Arrays.copyOf(rawKeys, BATCH);
    }

    @Override
    void close() {
      engine.close();
    }
  }

  /**
   * The peers a user would pick instead (issue 20), on a server of their own: Spring Data
   * Redis's {@code RedisCache} (a {@code RedisCacheManager} over Lettuce, values as strings) and
   * Redisson's {@code RBucket} (string codec, keys {@code redisson:key-<n>}); and raw Lettuce
   * again, as their baseline in the same state.
   */
  @State(Scope.Benchmark)
  public static class Peers extends Server {
    LettuceConnectionFactory springConnections;
    org.springframework.cache.Cache springCache;
    RedissonClient redisson;

    @Override
    void open() {
      springConnections = new LettuceConnectionFactory(
          new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
      springConnections.afterPropertiesSet();
      springConnections.start();
      springCache = RedisCacheManager.builder(springConnections)
          .cacheDefaults(RedisCacheConfiguration.defaultCacheConfig().serializeValuesWith(
              RedisSerializationContext.SerializationPair.fromSerializer(RedisSerializer.string())))
          .build().getCache("bench");
      Config config = new Config();
      config.useSingleServer().setAddress(redis.url());
      redisson = Redisson.create(config);
    }

    @Override
    void put(String key, String value) {
      springCache.put(key, value);
      redisson.getBucket("redisson:" + key, StringCodec.INSTANCE).set(value);
    }

    @Override
    void close() {
      redisson.shutdown();
      springConnections.destroy();
    }
  }

  @Benchmark
  public String springDataRedis_get(Peers peers, KeyCursor cursor) {
    return peers.springCache.get(peers.keys[cursor.next()], String.class);
  }

  @Benchmark
  public String redisson_get(Peers peers, KeyCursor cursor) {
    return peers.redisson.<String>getBucket("redisson:" + peers.keys[cursor.next()],
        StringCodec.INSTANCE).get();
  }

  @Benchmark
  public String peers_lettuce_get(Peers peers, KeyCursor cursor) {
    return peers.raw.get(peers.rawKeys[cursor.next()]);
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

  /** The floor of a bulk read: one {@code MGET} of the same {@value #BATCH} keys, raw. */
  @Benchmark
  public List<KeyValue<String, String>> lettuce_mget100(Clients clients) {
    return clients.raw.mget(clients.rawBatch);
  }

  @Benchmark
  public void ucache_get100(Clients clients, Blackhole blackhole) {
    for (String key : clients.batch) {
      blackhole.consume(clients.ucache.get(key));
    }
  }
}
