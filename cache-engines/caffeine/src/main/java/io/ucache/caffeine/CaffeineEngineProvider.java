package io.ucache.caffeine;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.spi.Availability;
import io.ucache.spi.EngineProvider;
import java.util.Set;

/**
 * Provides the {@code caffeine} engine: in-process, with per-entry TTL and bulk loads. Priority
 * 100, the embedded default. Stateless and thread-safe; found through {@link java.util.ServiceLoader}.
 */
public final class CaffeineEngineProvider implements EngineProvider {

  static final String NAME = "caffeine";
  static final Set<Capability> CAPABILITIES =
      Set.of(Capability.IN_PROCESS, Capability.PER_ENTRY_TTL, Capability.BULK);

  /** For {@link java.util.ServiceLoader}; does nothing. */
  public CaffeineEngineProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return CAPABILITIES;
  }

  @Override
  public int priority() {
    return 100;
  }

  @Override
  public Availability availability() {
    return Availability.ofClasses(CaffeineEngineProvider.class.getClassLoader(),
        "com.github.ben-manes.caffeine:caffeine", "com.github.benmanes.caffeine.cache.Caffeine");
  }

  @Override
  public CacheEngine create(CacheConfig config) {
    return new CaffeineEngine(config);
  }
}
