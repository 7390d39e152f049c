package io.ucache.examples.memo;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.ConfigKey;
import io.ucache.caffeine.CaffeineEngineProvider;
import io.ucache.spi.Availability;
import io.ucache.spi.EngineProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Provides the {@code memo} engine, registered in {@code META-INF/services}. Priority -100: it is
 * only ever chosen by name ({@code engine=memo}). Stateless and thread-safe.
 */
public final class MemoEngineProvider implements EngineProvider {

  static final String NAME = "memo";

  /** For {@link java.util.ServiceLoader}. */
  public MemoEngineProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.IN_PROCESS, Capability.PERSISTENT);
  }

  @Override
  public int priority() {
    return -100;
  }

  @Override
  public Availability availability() {
    return Availability.yes();
  }

  @Override
  public List<ConfigKey<?>> configKeys() {
    return MemoSettings.ALL;
  }

  /**
   * Starts the engine on {@code store.path}.
   *
   * @throws CacheConfigException if {@code store.path} is not set
   */
  @Override
  public CacheEngine create(CacheConfig config) {
    Path store = config.get(MemoSettings.STORE_PATH).orElseThrow(() -> new CacheConfigException(
        "store.path", "The memo engine needs store.path, the folder of its files"));
    // The entries live in a Caffeine engine; this engine adds the files.
    return new MemoEngine(config, store, new CaffeineEngineProvider().create(config));
  }
}
