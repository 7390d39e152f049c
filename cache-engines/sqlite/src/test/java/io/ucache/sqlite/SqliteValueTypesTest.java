package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.ValueTypesContract;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The value-types contract on the sqlite engine. */
class SqliteValueTypesTest extends ValueTypesContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "value-types");
  }
}
