package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.lettuce.core.api.StatefulRedisConnection;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CachedValue;
import io.ucache.context.EngineManager;
import io.ucache.testkit.HostileBytes;
import io.ucache.testkit.HostileBytes.Gadget;
import io.ucache.testkit.HostileBytes.Payload;
import io.ucache.testkit.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bytes under UCache's Redis keys that UCache did not write (another program's text, a header
 * that is not ours, a truncated stream, a class of another version, a deserialization gadget):
 * every read path takes them as a miss, deletes them, counts them in {@code errorCount}, and
 * never instantiates the gadget.
 */
class RedisForeignBytesTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  private CacheEngine engine;

  @BeforeEach
  void open() {
    engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "foreign")
        .codec("java")
        .build());
    Gadget.reset();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  /** Each way of reading one key, as the cache's users do. */
  private static final Map<String, Function<Cache<String, Payload>, Object>> READS = Map.of(
      "get", cache -> String.valueOf(cache.get("k")),
      "getAll", cache -> cache.getAll(List.of("k")).toString(),
      "get with loader", cache -> cache.get("k", key -> new Payload("loaded")),
      "putIfAbsent", cache -> String.valueOf(cache.putIfAbsent("k", new Payload("put"))),
      "async get", cache -> String.valueOf(cache.async().get("k").join()),
      "asMap get", cache -> String.valueOf(cache.asMap().get("k")));

  @Test
  void read_bytesUcacheDidNotWrite_missDeletedCountedAndNothingInstantiated() {
    @SuppressWarnings("unchecked")
    StatefulRedisConnection<byte[], byte[]> raw = engine.unwrap(StatefulRedisConnection.class);
    int round = 0;
    for (Map.Entry<String, byte[]> hostile : HostileBytes.cases().entrySet()) {
      for (Map.Entry<String, Function<Cache<String, Payload>, Object>> read : READS.entrySet()) {
        String name = "c" + round++;
        String what = hostile.getKey() + " bytes, read by " + read.getKey();
        Cache<String, Payload> cache = engine.cache(name, String.class, Payload.class);
        byte[] redisKey = ("foreign:" + name + ":k").getBytes(StandardCharsets.UTF_8);
        raw.sync().set(redisKey, hostile.getValue());
        long errors = cache.stats().errorCount();

        Object result = read.getValue().apply(cache);

        assertThat(String.valueOf(result)).as(what)
            .isIn("null", "{}", "Payload[loaded]", "Payload[put]");
        assertThat(cache.stats().errorCount()).as("errors counted for " + what)
            .isEqualTo(errors + 1);
        awaitGoneOrReplaced(raw, redisKey, hostile.getValue(), what);
        assertThat(Gadget.instantiations()).as("gadgets instantiated by " + what).isZero();
        cache.put("k", new Payload("fine"));
        assertThat(cache.get("k")).as("the key works again after " + what)
            .isEqualTo(new Payload("fine"));
      }
    }
  }

  @Test
  void lookup_payloadUcacheWrote_readsBackWhileTheUnreadableNeighbourIsDropped() {
    Cache<String, Payload> cache = engine.cache("neighbours", String.class, Payload.class);
    cache.put("good", new Payload("good"));
    @SuppressWarnings("unchecked")
    StatefulRedisConnection<byte[], byte[]> raw = engine.unwrap(StatefulRedisConnection.class);
    raw.sync().set("foreign:neighbours:bad".getBytes(StandardCharsets.UTF_8),
        HostileBytes.cases().get("gadget"));

    Map<String, Payload> found = cache.getAll(List.of("good", "bad"));

    assertThat(found).containsExactly(Map.entry("good", new Payload("good")));
    CachedValue<Payload> good = cache.lookup("good");
    assertThat(good).isNotNull();
    assertThat(Gadget.instantiations()).isZero();
  }

  private static void awaitGoneOrReplaced(StatefulRedisConnection<byte[], byte[]> raw,
      byte[] redisKey, byte[] hostile, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      byte[] now = raw.sync().get(redisKey);
      if (now == null || !java.util.Arrays.equals(now, hostile)) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        fail("The " + what + " were never deleted within " + Duration.ofSeconds(30));
      }
      Thread.yield();
    }
  }
}
