package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.lettuce.core.api.StatefulRedisConnection;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CachedValue;
import io.ucache.FailMode;
import io.ucache.context.EngineManager;
import io.ucache.spi.StoredValueFormat;
import io.ucache.testkit.HostileBytes.Gadget;
import io.ucache.testkit.HostileBytes.Payload;
import io.ucache.testkit.HostileBytes;
import io.ucache.testkit.RedisServerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bytes under UCache's Redis keys that UCache did not write (another program's text, a header
 * that is not ours, a truncated stream, a class of another version, a deserialization gadget):
 * every read path takes them as a miss, deletes them, counts them in {@code errorCount}, and
 * never instantiates the gadget.
 */
class RedisForeignBytesTest {

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  private @Nullable CacheEngine engine;

  @BeforeEach
  void reset() {
    Gadget.reset();
  }

  private void open(FailMode failMode) {
    engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("redis")
        .set("redis.url", redis.url())
        .set("namespace", "foreign")
        .codec("java")
        .failMode(failMode)
        .build());
  }

  @AfterEach
  void close() {
    if (engine != null) {
      engine.close();
    }
  }

  /** Each way of reading one key, as the cache's users do. */
  private static final Map<String, Function<Cache<String, Payload>, Object>> READS = Map.of(
      "get", cache -> String.valueOf(cache.get("k")),
      "getAll", cache -> cache.getAll(List.of("k")).toString(),
      "get with loader", cache -> cache.get("k", key -> new Payload("loaded")),
      "putIfAbsent", cache -> String.valueOf(cache.putIfAbsent("k", new Payload("put"))),
      "async get", cache -> String.valueOf(cache.async().get("k").join()),
      "asMap get", cache -> String.valueOf(cache.asMap().get("k")));

  /**
   * Raw: the bytes as another program would write them, which the stored-value format refuses;
   * framed: a well-formed header of this cache's types around them, so that the codec (and its
   * allow-list) must refuse them. Both fail modes: an unreadable entry is never an engine failure.
   */
  @ParameterizedTest
  @EnumSource(FailMode.class)
  void read_bytesUcacheDidNotWrite_missDeletedCountedAndNothingInstantiated(FailMode failMode) {
    open(failMode);
    @SuppressWarnings("unchecked")
    StatefulRedisConnection<byte[], byte[]> raw = engine.unwrap(StatefulRedisConnection.class);
    StoredValueFormat format = StoredValueFormat.framed(StoredValueFormat.CODEC_JAVA,
        String.class, Payload.class);
    int round = 0;
    for (Map.Entry<String, byte[]> hostile : HostileBytes.cases().entrySet()) {
     for (boolean framed : new boolean[] {false, true}) {
      byte[] injected = framed ? format.encode(hostile.getValue()) : hostile.getValue();
      for (Map.Entry<String, Function<Cache<String, Payload>, Object>> read : READS.entrySet()) {
        String name = "c" + round++;
        String what = hostile.getKey() + (framed ? " payload" : " bytes") + ", read by "
            + read.getKey();
        Cache<String, Payload> cache = engine.cache(name, String.class, Payload.class);
        byte[] redisKey = ("foreign:" + name + ":k").getBytes(StandardCharsets.UTF_8);
        raw.sync().set(redisKey, injected);
        long errors = cache.stats().errorCount();

        Object result = read.getValue().apply(cache);

        assertThat(String.valueOf(result)).as(what)
            .isIn("null", "{}", "Payload[loaded]", "Payload[put]");
        assertThat(cache.stats().errorCount()).as("errors counted for " + what)
            .isEqualTo(errors + 1);
        awaitGoneOrReplaced(raw, redisKey, injected, what);
        assertThat(Gadget.instantiations()).as("gadgets instantiated by " + what).isZero();
        cache.put("k", new Payload("fine"));
        assertThat(cache.get("k")).as("the key works again after " + what)
            .isEqualTo(new Payload("fine"));
      }
     }
    }
  }

  @Test
  void lookup_payloadUcacheWrote_readsBackWhileTheUnreadableNeighbourIsDropped() {
    open(FailMode.CLOSED);
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
