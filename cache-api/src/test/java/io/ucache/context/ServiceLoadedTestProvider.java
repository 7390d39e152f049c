package io.ucache.context;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.spi.Availability;
import io.ucache.spi.EngineProvider;
import java.util.Set;

/**
 * A provider registered in the test resources' {@code META-INF/services}, to prove that
 * {@link EngineManager#forClassLoader} discovers providers through {@link java.util.ServiceLoader}.
 * Its low priority keeps it from ever being picked by default.
 */
public final class ServiceLoadedTestProvider implements EngineProvider {

  static final String NAME = "service-loaded-test";

  public ServiceLoadedTestProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Set<Capability> capabilities() {
    return Set.of(Capability.BULK);
  }

  @Override
  public int priority() {
    return -1_000;
  }

  @Override
  public Availability availability() {
    return Availability.yes();
  }

  @Override
  public CacheEngine create(CacheConfig config) {
    return new FakeEngine(NAME, capabilities(), config, null);
  }
}
