package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.NamedCacheKeysContract;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The named-cache-keys contract on the sqlite engine. */
class SqliteNamedCacheKeysTest extends NamedCacheKeysContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "named-keys");
  }
}
