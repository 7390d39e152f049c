package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.RefreshContract;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The refresh-ahead and stale-window contract on the sqlite engine, with a fake ticker. */
class SqliteRefreshTest extends RefreshContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "refresh");
  }
}
