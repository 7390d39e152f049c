package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.StoredShapeContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/** Values of an older class shape on the ehcache engine, a folder of its own per engine. */
class EhcacheStoredShapeTest extends StoredShapeContract {

  private static final AtomicLong FOLDERS = new AtomicLong();

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "StoredShape-" + FOLDERS.incrementAndGet());
  }

  @Override
  protected CacheEngine reopen(CacheEngine engine, CacheConfig config) {
    engine.close(); // one process at a time owns a folder
    return EngineManager.getDefault().create(config);
  }
}
