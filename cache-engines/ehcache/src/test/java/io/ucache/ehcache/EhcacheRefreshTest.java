package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.testkit.RefreshContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/** The refresh contract on the ehcache engine with a fake ticker, a folder per engine. */
class EhcacheRefreshTest extends RefreshContract {

  private static final AtomicLong FOLDERS = new AtomicLong();

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "refresh-" + FOLDERS.incrementAndGet());
  }
}
