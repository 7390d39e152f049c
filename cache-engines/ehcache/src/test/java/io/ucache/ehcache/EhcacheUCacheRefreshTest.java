package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.testkit.UCacheRefreshContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/** Refresh-ahead and stale-if-error on {@code @UCache} methods, ehcache engine, fake ticker. */
class EhcacheUCacheRefreshTest extends UCacheRefreshContract {

  private static final AtomicLong FOLDERS = new AtomicLong();

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "ucache-refresh-" + FOLDERS.incrementAndGet());
  }
}
