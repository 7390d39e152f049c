package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.EngineLeakContract;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The leak contract on the sqlite engine: its connections are closed at each close, and a leaked engine's by its guard. */
class SqliteLeakTest extends EngineLeakContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "leak");
  }
}
