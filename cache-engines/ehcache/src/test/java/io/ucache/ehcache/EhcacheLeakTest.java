package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.testkit.EngineLeakContract;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;

/**
 * The leak contract on the ehcache engine: its pool threads end and its store files and folder
 * lock are released at each close, and a leaked engine's folder can be opened again once its
 * guard has run.
 */
class EhcacheLeakTest extends EngineLeakContract {

  private static final AtomicLong FOLDERS = new AtomicLong();

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "leak-" + FOLDERS.incrementAndGet());
  }
}
