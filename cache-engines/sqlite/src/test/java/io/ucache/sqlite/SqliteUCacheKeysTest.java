package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.UCacheKeysContract;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The {@code @UCache} keys contract on the sqlite engine. */
class SqliteUCacheKeysTest extends UCacheKeysContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "ucache-keys");
  }
}
