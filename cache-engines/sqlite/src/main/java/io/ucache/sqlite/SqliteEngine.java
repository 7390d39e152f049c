package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.EngineHealth;
import io.ucache.ValueCodec;
import io.ucache.ValueType;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.AbstractEngine;
import io.ucache.spi.FolderNames;
import io.ucache.spi.NearFeedRelay;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * The running {@code sqlite} engine: the database of one folder ({@link SqliteDatabase}), which
 * other engines, in this process and in others, may use at the same time. Closing closes this
 * engine's connections; the folder and its entries stay.
 */
final class SqliteEngine extends AbstractEngine {

  /** The folder, under base-dir, when the configuration names none. */
  static final String DEFAULT_FOLDER = "sqlite";
  /** How often the engine removes its caches' expired rows, besides the writes' own sweeps. */
  static final Duration SWEEP_EVERY = Duration.ofSeconds(30);
  /** {@code disk-size} when the configuration sets none. */
  static final long DEFAULT_DISK_BYTES = 64L << 20;

  private final SqliteDatabase database;
  /** The keys of the caches with a near cache, by cache name, to decode the change feed's. */
  private final Map<String, SqliteKeys<?>> nearKeys = new ConcurrentHashMap<>();
  /** This engine's caches, for the periodic sweep. */
  private final List<SqliteCache<?, ?>> caches = new CopyOnWriteArrayList<>();

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
    SqliteEngine engine = new SqliteEngine(config, database);
    database.startSweeps(SWEEP_EVERY, new Sweeper(engine));
    return engine;
  }

  /**
   * The periodic sweep, holding the engine weakly: an engine dropped without being closed must
   * stay collectable, so its leak guard can run (the sweep then ends).
   */
  private static final class Sweeper implements BooleanSupplier {
    private final WeakReference<SqliteEngine> engine;

    Sweeper(SqliteEngine engine) {
      this.engine = new WeakReference<>(engine);
    }

    @Override
    public boolean getAsBoolean() {
      SqliteEngine e = engine.get();
      if (e == null || e.isClosed()) {
        return false;
      }
      e.sweepExpired();
      return true;
    }
  }

  /** One turn of the periodic sweep: each cache's expired rows, a bounded batch per cache. */
  void sweepExpired() {
    caches.forEach(SqliteCache::sweep);
  }

  @Override
  protected <K, V> AbstractCache<K, V, ?> createCache(String name, CacheConfig cacheConfig,
      Class<K> keyType, ValueType<V> valueType) {
    ValueCodec<V> values = valueCodec(name, cacheConfig, valueType);
    SqliteKeys<K> keys = SqliteKeys.of(keyType, name, cacheConfig.maxKeyBytes());
    if (cacheConfig.nearEnabled()) {
      nearKeys.put(name, keys);
    }
    SqliteCache<K, V> cache = new SqliteCache<>(name, cacheConfig, keyType, valueType, keys,
        values, database);
    caches.add(cache);
    return cache;
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

  @Override
  protected boolean offersInvalidationFeed() {
    return true;
  }

  @Override
  protected void startInvalidationFeed() {
    database.startFeed(new NearFeedRelay<>(this, SqliteEngine::nearKeyChanged));
  }

  /** A key the change log names: the near cache it belongs to, if any, drops it. */
  private void nearKeyChanged(SqliteChangeFeed.Change change) {
    SqliteKeys<?> keys = nearKeys.get(change.cache());
    if (keys != null) {
      Object key = keys.decode(change.keyText());
      if (key == null) {
        nearChangedAll(change.cache()); // a key of another type: which copy, is unknown
      } else {
        nearChanged(change.cache(), key);
      }
    }
  }

  /**
   * One query on the database: UP when it answers, DEGRADED while near caches cannot follow the
   * change log (they then read the database).
   */
  @Override
  protected EngineHealth checkHealth() {
    database.call("check its health", session -> {
      try (var result = session.prepare("SELECT 1").executeQuery()) {
        return result.next();
      }
    });
    Map<String, Object> details = Map.of("folder", database.folder().toString());
    String nearDown = nearKeys.isEmpty() ? null : nearFeedDown();
    return nearDown == null ? EngineHealth.up(details)
        : EngineHealth.degraded("near caches bypassed: " + nearDown, details);
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
