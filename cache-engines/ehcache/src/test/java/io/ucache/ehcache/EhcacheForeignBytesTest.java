package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.spi.StoredValueFormat;
import io.ucache.testkit.HostileBytes.Gadget;
import io.ucache.testkit.HostileBytes.Payload;
import io.ucache.testkit.HostileBytes;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Value bytes in an Ehcache store that UCache's codec cannot read (another program's, a
 * truncated stream, a class of another version, a deserialization gadget), put straight into
 * Ehcache's own cache as a damaged or foreign disk file would hold them: every read path takes
 * them as a miss, removes the entry, counts it in {@code errorCount}, and never instantiates the
 * gadget. (Bytes that are not even a UCache entry are refused by Ehcache's serializer; see
 * {@code EhcacheEngineTest}.)
 */
class EhcacheForeignBytesTest {

  @TempDir
  Path baseDir;

  private CacheEngine engine;

  @BeforeEach
  void open() {
    engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "foreign")
        .codec("java")
        .build());
    Gadget.reset();
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private static final Map<String, Function<Cache<String, Payload>, Object>> READS = Map.of(
      "get", cache -> String.valueOf(cache.get("k")),
      "getAll", cache -> cache.getAll(List.of("k")).toString(),
      "get with loader", cache -> cache.get("k", key -> new Payload("loaded")),
      "putIfAbsent", cache -> String.valueOf(cache.putIfAbsent("k", new Payload("put"))),
      "async get", cache -> String.valueOf(cache.async().get("k").join()),
      "asMap get", cache -> String.valueOf(cache.asMap().get("k")));

  @Test
  void read_valueBytesTheCodecCannotRead_missRemovedCountedAndNothingInstantiated() {
    int round = 0;
    for (Map.Entry<String, byte[]> hostile : HostileBytes.cases().entrySet()) {
      if (hostile.getKey().equals("foreign-header")) {
        continue; // a Redis header; here it is just more foreign bytes
      }
      for (Map.Entry<String, Function<Cache<String, Payload>, Object>> read : READS.entrySet()) {
       for (boolean framed : new boolean[] {true, false}) {
        // Framed: well-formed stored bytes whose payload the codec must refuse; raw: the bytes
        // as they might be found on disk, which the stored-value format itself refuses.
        String what = hostile.getKey() + (framed ? " payload" : " raw bytes") + ", read by "
            + read.getKey();
        Cache<String, Payload> cache = engine.cache("c" + round++, String.class, Payload.class);
        @SuppressWarnings("unchecked")
        org.ehcache.Cache<Object, StoredValue> store = cache.unwrap(org.ehcache.Cache.class);
        Object key = EncodedKey.of(KeyCodec.encodeText("k"));
        StoredValueFormat format = StoredValueFormat.framed(StoredValueFormat.CODEC_JAVA,
            String.class, Payload.class);
        StoredValue injected = framed
            ? StoredValue.of(format, hostile.getValue(), StoredValueFormat.NO_TIME,
                StoredValue.NO_DEADLINE)
            : StoredValue.read(format, hostile.getValue());
        store.put(key, injected);
        long errors = cache.stats().errorCount();

        Object result = read.getValue().apply(cache);

        assertThat(String.valueOf(result)).as(what)
            .isIn("null", "{}", "Payload[loaded]", "Payload[put]");
        assertThat(cache.stats().errorCount()).as("errors counted for " + what)
            .isEqualTo(errors + 1);
        StoredValue left = store.get(key);
        assertThat(left == null || !left.equals(injected))
            .as("the unreadable entry is gone after " + what).isTrue();
        assertThat(Gadget.instantiations()).as("gadgets instantiated by " + what).isZero();
        cache.put("k", new Payload("fine"));
        assertThat(cache.get("k")).isEqualTo(new Payload("fine"));
       }
      }
    }
  }
}
