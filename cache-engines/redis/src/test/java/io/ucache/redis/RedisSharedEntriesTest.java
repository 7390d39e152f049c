package io.ucache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.FailMode;
import io.ucache.context.EngineManager;
import io.ucache.testkit.RedisServerExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Entries two processes (two engines on one namespace) share, and bytes a third program left:
 * issue 12, defects 5 and 7.
 */
class RedisSharedEntriesTest {

  private static final AtomicLong NAMESPACES = new AtomicLong();

  @RegisterExtension
  static final RedisServerExtension redis = RedisServerExtension.create();

  private final String namespace = "shared-" + NAMESPACES.incrementAndGet();
  private final List<CacheEngine> engines = new ArrayList<>();

  private CacheEngine engine(FailMode failMode) {
    CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder().engine("redis")
        .set("redis.url", redis.url()).set("namespace", namespace).failMode(failMode).build());
    engines.add(engine);
    return engine;
  }

  @AfterEach
  void close() {
    engines.forEach(CacheEngine::close);
  }

  /**
   * Defect 7: a process reading a cache with another value type than the one that wrote it
   * deleted the other's entry. Now it is a miss for the reader, and the writer keeps its entry.
   */
  @Test
  void get_entryWrittenWithAnotherValueType_missKeptByReads_replacedByTheReadersPutIfAbsent() {
    Cache<String, String> writer = engine(FailMode.CLOSED).cache("t", String.class, String.class);
    Cache<String, Long> reader = engine(FailMode.CLOSED).cache("t", String.class, Long.class);
    writer.put("k", "12");

    assertThat(reader.get("k")).isNull();
    assertThat(reader.getAll(List.of("k"))).isEmpty();
    assertThat(reader.stats().missCount()).isEqualTo(2);
    assertThat(writer.get("k")).as("reads leave the writer's entry").isEqualTo("12");

    // Absent for the reader (an older deploy's shape, say): its write takes the key, or the
    // key would stay uncached for it.
    assertThat(reader.putIfAbsent("k", 7L)).isNull();
    assertThat(reader.get("k")).isEqualTo(7L);
    assertThat(writer.get("k")).isNull();
  }

  /** Defect 7 (keys): an Integer key and a String key of the same text never share an entry. */
  @Test
  void put_integerOneAndStringOne_twoEntries() {
    Cache<Integer, String> numbers = engine(FailMode.CLOSED).cache("k", Integer.class,
        String.class);
    Cache<String, String> texts = engine(FailMode.CLOSED).cache("k", String.class, String.class);
    numbers.put(1, "number");
    texts.put("1", "text");

    assertThat(numbers.get(1)).isEqualTo("number");
    assertThat(texts.get("1")).isEqualTo("text");
  }

  /**
   * Defect 5: foreign bytes under a hashed key (a key too long to be its own name, whose value
   * carries the key) made {@code keys()} and {@code asMap().size()} throw in fail-open mode. Now
   * the entry is skipped and counted, in both modes.
   */
  @ParameterizedTest
  @EnumSource(FailMode.class)
  void keysAndMapSize_foreignBytesUnderAHashedKey_skippedAndCounted(FailMode failMode) {
    Cache<String, String> cache = engine(failMode).cache("h", String.class, String.class);
    String longKey = "k".repeat(RedisKeys.MAX_PLAIN + 10);
    cache.put(longKey, "v");
    cache.put("short", "w");
    List<String> hashed = List.of(redis.cli("KEYS", namespace + ":h:#*").split("\n"));
    assertThat(hashed).as("the long key's hashed Redis key").hasSize(1);
    redis.cli("SET", hashed.get(0), "another program's text");

    List<String> keys;
    try (Stream<String> stream = cache.keys()) {
      keys = stream.toList();
    }

    assertThat(keys).containsExactly("short");
    assertThat(cache.asMap().size()).isOne();
    assertThat(cache.stats().errorCount()).as("the unreadable entry, counted").isPositive();
  }
}
