package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.spi.AbstractEngineProvider;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code caffeine} engine: in-process, with per-entry TTL and bulk loads. Priority
 * 100, the embedded default. Stateless and thread-safe; found through
 * {@link java.util.ServiceLoader}.
 */
public final class CaffeineEngineProvider extends AbstractEngineProvider {

  static final String NAME = "caffeine";
  static final Set<Capability> CAPABILITIES =
      Set.of(Capability.IN_PROCESS, Capability.PER_ENTRY_TTL, Capability.BULK);

  /** For {@link java.util.ServiceLoader}; does nothing else. */
  public CaffeineEngineProvider() {
    super(NAME, CAPABILITIES, 100, List.of(), "com.github.ben-manes.caffeine:caffeine",
        "com.github.benmanes.caffeine.cache.Caffeine");
  }

  @Override
  public CacheEngine create(CacheConfig config) {
    return new CaffeineEngine(config);
  }
}
