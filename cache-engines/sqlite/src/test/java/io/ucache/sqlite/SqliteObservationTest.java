package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.ObservationContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The observation contract on the sqlite engine (a disk engine: every call is a span). */
class SqliteObservationTest extends ObservationContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "traced");
  }
}
