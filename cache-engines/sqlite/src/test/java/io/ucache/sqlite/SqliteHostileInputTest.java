package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.HostileInputContract;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The hostile-input contract on the sqlite engine. */
class SqliteHostileInputTest extends HostileInputContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "hostile");
  }
}
