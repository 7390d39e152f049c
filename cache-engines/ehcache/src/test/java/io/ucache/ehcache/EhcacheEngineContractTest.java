package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.testkit.CacheEngineContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine contract suite, run on the ehcache engine with a fake ticker. A folder locks while
 * an engine has it open and tests open several engines at once, so each engine gets a folder of
 * its own under one temporary base-dir.
 */
class EhcacheEngineContractTest extends CacheEngineContract {

  private static final AtomicLong FOLDERS = new AtomicLong();

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "engine-" + FOLDERS.incrementAndGet());
  }

  @Override
  protected Class<?> nativeCacheType() {
    return org.ehcache.Cache.class;
  }
}
