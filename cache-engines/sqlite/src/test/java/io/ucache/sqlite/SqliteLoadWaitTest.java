package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.LoadWaitContract;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The load-wait contract on the sqlite engine. */
class SqliteLoadWaitTest extends LoadWaitContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "load-wait");
  }
}
