package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.CacheEngineContract;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The engine contract suite on the sqlite engine, with a fake ticker, each engine in a folder of its own. */
class SqliteEngineContractTest extends CacheEngineContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "engine");
  }
}
