package io.ucache.context;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.spi.Availability;
import io.ucache.spi.EngineProvider;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A configurable test provider: its name, priority, capabilities and availability are given, and
 * it records every engine it creates. Not final, so that a test can declare a second provider
 * class with the same engine name.
 */
class FakeProvider implements EngineProvider {

  private final String name;
  private final int priority;
  private final Set<Capability> capabilities;
  private final Supplier<Availability> availability;
  private final Function<CacheConfig, CacheEngine> factory;
  private final List<FakeEngine> created = new CopyOnWriteArrayList<>();
  private final List<CacheConfig> configs = new CopyOnWriteArrayList<>();
  private volatile @Nullable RuntimeException closeFailure;

  /** An available provider whose engines close cleanly. */
  FakeProvider(String name, int priority, Capability... capabilities) {
    this(name, priority, Set.of(capabilities), Availability::yes, null);
  }

  /**
   * A provider with the given availability; {@code factory} replaces the default engine
   * creation when not null (to throw, or to return something else).
   */
  FakeProvider(String name, int priority, Set<Capability> capabilities,
      Supplier<Availability> availability,
      @Nullable Function<CacheConfig, CacheEngine> factory) {
    this.name = name;
    this.priority = priority;
    this.capabilities = Set.copyOf(capabilities);
    this.availability = availability;
    this.factory = factory != null ? factory : this::newEngine;
  }

  /** From now on, engines this provider creates throw {@code failure} when closed. */
  FakeProvider failingOnClose(RuntimeException failure) {
    this.closeFailure = failure;
    return this;
  }

  /** A provider that is installed but unavailable for {@code reason}. */
  static FakeProvider unavailable(String name, int priority, String reason,
      Capability... capabilities) {
    return new FakeProvider(name, priority, Set.of(capabilities), () -> Availability.no(reason),
        null);
  }

  /** Every engine created so far, oldest first. */
  List<FakeEngine> created() {
    return created;
  }

  /** The configurations {@link #create} was called with, oldest first. */
  List<CacheConfig> configs() {
    return configs;
  }

  /** The one engine created so far; fails unless exactly one was. */
  FakeEngine onlyEngine() {
    if (created.size() != 1) {
      throw new AssertionError("expected one engine from " + name + " but got " + created);
    }
    return created.get(0);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Set<Capability> capabilities() {
    return capabilities;
  }

  @Override
  public int priority() {
    return priority;
  }

  @Override
  public Availability availability() {
    return availability.get();
  }

  @Override
  public CacheEngine create(CacheConfig config) {
    return factory.apply(config);
  }

  private CacheEngine newEngine(CacheConfig config) {
    FakeEngine engine = new FakeEngine(name, capabilities, config, closeFailure);
    configs.add(config);
    created.add(engine);
    return engine;
  }
}
