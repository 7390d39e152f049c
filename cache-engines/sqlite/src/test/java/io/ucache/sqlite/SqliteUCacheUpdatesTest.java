package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.UCacheUpdatesContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The @UCachePut, conditions and evictions contract on the sqlite engine. */
class SqliteUCacheUpdatesTest extends UCacheUpdatesContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "updates");
  }
}
