package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.testkit.UCacheContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code @UCache} contract suite on the ehcache engine: annotated methods cached on disk,
 * each engine in a folder of its own, since tests use fixed cache names.
 */
class EhcacheUCacheTest extends UCacheContract {

  private static final AtomicLong FOLDERS = new AtomicLong();

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "ucache-" + FOLDERS.incrementAndGet());
  }
}
