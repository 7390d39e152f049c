package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.UCacheRefreshContract;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@code @UCache} refresh contract on the sqlite engine. */
class SqliteUCacheRefreshTest extends UCacheRefreshContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "ucache-refresh");
  }
}
