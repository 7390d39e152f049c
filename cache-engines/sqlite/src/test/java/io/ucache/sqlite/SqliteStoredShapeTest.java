package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.StoredShapeContract;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The stored-shape contract on the sqlite engine: what one engine stores, another opened on the same folder reads. */
class SqliteStoredShapeTest extends StoredShapeContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "stored-shape");
  }

  @Override
  protected CacheEngine reopen(CacheEngine engine, CacheConfig config) {
    return EngineManager.getDefault().create(config); // the first one stays open: they share
  }
}
