package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.EngineHealth;
import io.ucache.ValueCodec;
import io.ucache.ValueType;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.AbstractEngine;
import io.ucache.spi.FolderNames;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * The running {@code sqlite} engine: the database of one folder ({@link SqliteDatabase}), which
 * other engines, in this process and in others, may use at the same time. Closing closes this
 * engine's connections; the folder and its entries stay.
 */
final class SqliteEngine extends AbstractEngine {

  /** The folder, under base-dir, when the configuration names none. */
  static final String DEFAULT_FOLDER = "sqlite";
  /** {@code disk-size} when the configuration sets none. */
  static final long DEFAULT_DISK_BYTES = 64L << 20;

  private final SqliteDatabase database;

  private SqliteEngine(CacheConfig config, SqliteDatabase database) {
    super(SqliteEngineProvider.NAME, SqliteEngineProvider.CAPABILITIES, config,
        "sqlite engine of folder " + database.folder(), database::close);
    this.database = database;
  }

  /**
   * Opens the folder of {@code config} and its database.
   *
   * @throws CacheConfigException if the folder name is invalid or the folder cannot hold the
   *     database (see {@link SqliteFolder})
   * @throws io.ucache.EngineUnavailableException if the database cannot be opened
   */
  static SqliteEngine open(CacheConfig config) {
    Objects.requireNonNull(config, "config");
    Path dir = FolderNames.resolve(config.get(SqliteSettings.BASE_DIR).orElseThrow(),
        config.get(SqliteSettings.FOLDER).orElse(DEFAULT_FOLDER));
    SqliteDatabase database = SqliteDatabase.open(dir,
        config.get(SqliteSettings.SYNCHRONOUS).orElse(SqliteSettings.Synchronous.NORMAL),
        config.timeout());
    return new SqliteEngine(config, database);
  }

  @Override
  protected <K, V> AbstractCache<K, V, ?> createCache(String name, CacheConfig cacheConfig,
      Class<K> keyType, ValueType<V> valueType) {
    ValueCodec<V> values;
    try {
      values = ValueCodec.forType(cacheConfig.codec(), valueType);
    } catch (CacheConfigException e) {
      throw new CacheConfigException(e.key(), "Cache '" + name + "': " + e.getMessage(), e);
    }
    SqliteKeys<K> keys = SqliteKeys.of(keyType, name, cacheConfig.maxKeyBytes());
    return new SqliteCache<>(name, cacheConfig, keyType, valueType, keys, values, database);
  }

  /** A cache name is stored as UTF-8 text: one with an unpaired surrogate would share a row. */
  @Override
  protected void checkName(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < name.length()
          && Character.isLowSurrogate(name.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("The cache name '" + name + "' holds an unpaired "
            + "surrogate at index " + i + ", which the sqlite engine cannot store as text");
      }
    }
  }

  /** One query on the database: UP when it answers. */
  @Override
  protected EngineHealth checkHealth() {
    database.call("check its health", session -> {
      try (var result = session.prepare("SELECT 1").executeQuery()) {
        return result.next();
      }
    });
    return EngineHealth.up(Map.of("folder", database.folder().toString()));
  }

  /** {@link SqliteDatabase#unwrap}: a {@link javax.sql.DataSource} of the folder's database. */
  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
    return database.unwrap(type, "The sqlite engine");
  }

  @Override
  protected void release() {
    database.close();
  }
}
