package io.ucache.ehcache;

import io.ucache.CacheConfig;

import io.ucache.testkit.ValueTypesContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/** Values of any type on the ehcache engine, a folder of its own per engine. */
class EhcacheValueTypesTest extends ValueTypesContract {

  private static final AtomicLong FOLDERS = new AtomicLong();

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "ValueTypes-" + FOLDERS.incrementAndGet());
  }

}
