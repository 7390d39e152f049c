package io.ucache.sqlite;

import io.ucache.CacheConfig;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** The configuration the contract suites run the sqlite engine with. */
final class SqliteTests {

  private static final AtomicLong FOLDERS = new AtomicLong();

  private SqliteTests() {}

  /**
   * The sqlite engine in a new folder under {@code baseDir}: the contract suites use fixed cache
   * names, and engines that share a folder share its entries, so each engine gets a folder.
   */
  static CacheConfig.Builder inNewFolder(Path baseDir, String prefix) {
    return CacheConfig.builder()
        .engine("sqlite")
        .set(SqliteSettings.BASE_DIR, baseDir)
        .set(SqliteSettings.FOLDER, prefix + "-" + FOLDERS.incrementAndGet());
  }
}
