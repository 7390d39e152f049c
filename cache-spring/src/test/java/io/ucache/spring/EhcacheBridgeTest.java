package io.ucache.spring;

import io.ucache.ehcache.EhcacheSettings;
import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.cache.interceptor.SimpleKey;

/** The bridge contract on the disk engine: String keys, serialized values, in a temp folder. */
class EhcacheBridgeTest extends BridgeContract {

  @TempDir Path baseDir;

  @Override
  CacheEngine newEngine() {
    return EngineManager.getDefault().create(CacheConfig.builder().engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir).set(EhcacheSettings.FOLDER, "bridge").build());
  }

  @Test
  void undeclaredUserValue_isRefusedWithAHint() {
    assertUndeclaredUserValueIsRefusedWithAHint();
  }

  @Test
  void entries_surviveAReopen() {
    cache().put(new SimpleKey("x", 2), "kept");
    engine.close();
    engine = newEngine();
    manager = new UCacheCacheManager(engine);
    assertThat(cache().get(new SimpleKey("x", 2)).get()).isEqualTo("kept");
  }
}
