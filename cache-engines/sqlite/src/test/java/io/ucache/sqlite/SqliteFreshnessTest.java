package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.FreshnessContract;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The freshness contract (ttl-jitter, null-ttl) on the sqlite engine, with a fake ticker. */
class SqliteFreshnessTest extends FreshnessContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "fresh");
  }
}
