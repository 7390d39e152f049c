package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.UCacheFeaturesContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The @UCachePut, conditions and evictions contract on the sqlite engine. */
class SqliteUCacheFeaturesTest extends UCacheFeaturesContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "updates");
  }
}
