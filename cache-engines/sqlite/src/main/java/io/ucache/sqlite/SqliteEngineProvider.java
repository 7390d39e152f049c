package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.spi.AbstractEngineProvider;
import java.util.Set;

/**
 * Provides the {@code sqlite} engine: entries in one SQLite database per folder, which several
 * processes on one host read and write at once, and which keeps every acknowledged write when a
 * process is killed. Priority 5, below the ehcache and redis engines, so it is chosen by name
 * ({@code engine=sqlite}): {@code require=persistent} keeps choosing ehcache,
 * {@code require=shared} redis. Stateless and thread-safe; found through
 * {@link java.util.ServiceLoader}. It loads no driver class until
 * {@link #create(CacheConfig)}, so {@link #availability()} can report a missing driver.
 *
 * <p>Configuration: {@code folder} (a name under {@code base-dir}, default {@code sqlite}, or
 * an absolute path), {@code base-dir}, {@code sqlite.synchronous}, {@code timeout} (how long a
 * call waits for another process's write), {@code max-size}, {@code disk-size}, {@code ttl},
 * {@code expire-after-access}, {@code null-values}, {@code codec} and {@code stats}.
 */
public final class SqliteEngineProvider extends AbstractEngineProvider {

  static final String NAME = "sqlite";
  static final Set<Capability> CAPABILITIES = Set.of(Capability.PERSISTENT, Capability.SHARED,
      Capability.PER_ENTRY_TTL, Capability.BULK);

  /** For {@link java.util.ServiceLoader}; does nothing else. */
  public SqliteEngineProvider() {
    super(NAME, CAPABILITIES, 5, SqliteSettings.ALL, "org.xerial:sqlite-jdbc",
        "org.sqlite.JDBC");
  }

  /**
   * Opens (or creates) the configured folder's database. The caller must close the engine.
   *
   * @throws io.ucache.CacheConfigException if the folder name is invalid, the folder is a file,
   *     the file-system root or the user's home, or holds files that are not UCache's
   * @throws io.ucache.EngineUnavailableException if the database cannot be opened
   */
  @Override
  public CacheEngine create(CacheConfig config) {
    return SqliteEngine.open(config);
  }
}
