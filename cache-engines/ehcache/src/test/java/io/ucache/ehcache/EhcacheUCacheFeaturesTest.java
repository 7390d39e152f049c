package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.testkit.UCacheFeaturesContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/** The @UCachePut, conditions and evictions contract on the ehcache engine, a folder per engine. */
class EhcacheUCacheFeaturesTest extends UCacheFeaturesContract {

  private static final AtomicLong FOLDERS = new AtomicLong();

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "updates-" + FOLDERS.incrementAndGet());
  }
}
