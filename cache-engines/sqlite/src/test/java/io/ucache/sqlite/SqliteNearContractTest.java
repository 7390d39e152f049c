package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.testkit.CacheEngineContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine contract suite on the sqlite engine with a near cache on every cache
 * ({@code near.enabled=true}): every guarantee of the engine holds with the in-process copy in
 * front of the database. Near copies live in wall-clock time, so the expiry tests run in real
 * time; a near cache takes no {@code expire-after-access} (its hits would not reach the database).
 */
class SqliteNearContractTest extends CacheEngineContract {

  @TempDir
  static Path baseDir;

  @Override
  protected CacheConfig.Builder baseConfig() {
    return SqliteTests.inNewFolder(baseDir, "near").nearEnabled(true);
  }

  @Override
  protected boolean supportsTicker() {
    return false;
  }

  @Override
  protected boolean supportsExpireAfterAccess() {
    return false;
  }

}
