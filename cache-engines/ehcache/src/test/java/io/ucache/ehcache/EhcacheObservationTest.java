package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.testkit.ObservationContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/** The observation contract on the ehcache engine (a disk engine: every call is a span). */
class EhcacheObservationTest extends ObservationContract {

  private static final AtomicLong FOLDERS = new AtomicLong();

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "traced-" + FOLDERS.incrementAndGet());
  }
}
