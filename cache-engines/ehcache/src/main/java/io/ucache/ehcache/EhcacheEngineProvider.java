package io.ucache.ehcache;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.spi.AbstractEngineProvider;
import java.util.Set;

/**
 * Provides the {@code ehcache} engine: entries in a heap tier and a persistent disk tier that
 * survive restarts, with per-entry TTL and bulk operations. Priority 50, below the in-memory
 * default, so it is chosen by name or by {@code require=persistent}. Stateless and thread-safe;
 * found through {@link java.util.ServiceLoader}. It loads no Ehcache class until
 * {@link #create(CacheConfig)}, so {@link #availability()} can report a missing driver.
 *
 * <p>Configuration: {@code folder} (a name under {@code base-dir}, default {@code default}, or an
 * absolute path), {@code base-dir}, {@code max-size} (the most entries per cache, which is also
 * the size of the heap tier; 10,000 heap entries and no entry limit when unset),
 * {@code disk-size} (bytes of disk tier per cache; default 64MB), {@code ttl},
 * {@code expire-after-access}, {@code null-values}, {@code codec} and {@code stats}.
 */
public final class EhcacheEngineProvider extends AbstractEngineProvider {

  static final String NAME = "ehcache";
  static final Set<Capability> CAPABILITIES =
      Set.of(Capability.PERSISTENT, Capability.PER_ENTRY_TTL, Capability.BULK);

  /** For {@link java.util.ServiceLoader}; does nothing else. */
  public EhcacheEngineProvider() {
    super(NAME, CAPABILITIES, 50, EhcacheSettings.ALL, "org.ehcache:ehcache",
        "org.ehcache.CacheManager");
  }

  /**
   * Opens the configured folder, exclusively, and starts Ehcache on it. The caller must close the
   * engine, which flushes the entries to disk and releases the folder.
   *
   * @throws io.ucache.CacheConfigException if the folder name is invalid, or the folder is a
   *     file or not writable
   * @throws io.ucache.EngineUnavailableException if the folder is in use by another engine, in
   *     this process or another ("folder ... is in use"), or Ehcache cannot start on it
   */
  @Override
  public CacheEngine create(CacheConfig config) {
    Slf4jFallback.installIfNoProvider();
    return EhcacheEngine.open(config);
  }
}
