package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheSerializationException;
import io.ucache.context.EngineManager;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Huge keys and values are refused before anything is written to Ehcache's store:
 * {@code max-value-bytes} with {@link CacheSerializationException}, {@code max-key-bytes} with
 * {@link IllegalArgumentException}; the store underneath stays empty.
 */
class EhcacheSizeLimitsTest {

  @TempDir
  Path baseDir;

  @Test
  void put_keyOrValueOverTheLimits_refusedAndNothingWritten() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("ehcache").set(EhcacheSettings.BASE_DIR, baseDir).set(EhcacheSettings.FOLDER, "limits")
        .maxKeyBytes(100).maxValueBytes(1000).build())) {
      Cache<String, String> cache = engine.cache("limits", String.class, String.class);

      assertThatThrownBy(() -> cache.put("k", "v".repeat(1001)))
          .isInstanceOf(CacheSerializationException.class)
          .hasMessageContaining("'limits'").hasMessageContaining("max-value-bytes");
      assertThatThrownBy(() -> cache.putAll(Map.of("a", "small", "b", "v".repeat(1001))))
          .isInstanceOf(CacheSerializationException.class);
      assertThatThrownBy(() -> cache.put("k".repeat(101), "v"))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("max-key-bytes");
      assertThatThrownBy(() -> cache.get("k".repeat(101)))
          .isInstanceOf(IllegalArgumentException.class);

      @SuppressWarnings("unchecked")
      org.ehcache.Cache<Object, StoredValue> store = cache.unwrap(org.ehcache.Cache.class);
      assertThat(store.iterator().hasNext()).as("entries in the Ehcache store").isFalse();
      cache.put("k".repeat(100), "v".repeat(1000));
      assertThat(cache.get("k".repeat(100))).hasSize(1000);
    }
  }
}
