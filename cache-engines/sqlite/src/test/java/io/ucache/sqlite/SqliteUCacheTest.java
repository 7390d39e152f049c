package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.UCacheContract;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@code @UCache} contract suite on the sqlite engine. */
class SqliteUCacheTest extends UCacheContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "ucache");
  }
}
