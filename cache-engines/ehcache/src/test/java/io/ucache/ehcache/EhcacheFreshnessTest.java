package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.testkit.FreshnessContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/** The freshness contract on the ehcache engine with a fake ticker, a folder per engine. */
class EhcacheFreshnessTest extends FreshnessContract {

  private static final AtomicLong FOLDERS = new AtomicLong();

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "fresh-" + FOLDERS.incrementAndGet());
  }
}
