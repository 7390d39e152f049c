package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.testkit.HostileInputContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/** The hostile-input contract on the ehcache engine, one folder per engine. */
class EhcacheHostileInputTest extends HostileInputContract {

  private static final AtomicLong FOLDERS = new AtomicLong();

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "hostile-" + FOLDERS.incrementAndGet());
  }
}
