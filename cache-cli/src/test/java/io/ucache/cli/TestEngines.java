package io.ucache.cli;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.spi.Availability;
import io.ucache.spi.EngineProvider;
import java.util.Set;

/**
 * Engines registered only on the test class path, to reach the failure paths the embedded engine
 * never takes. Their priorities are below caffeine's, so caffeine stays the default.
 */
public final class TestEngines {

  private TestEngines() {}

  /** Installed but never available; its reason needs JSON escaping. */
  public static final class Offline implements EngineProvider {
    static final String REASON = "needs \"offline\" mode \\ never available";

    public Offline() {}

    @Override
    public String name() {
      return "offline";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.SHARED, Capability.PERSISTENT);
    }

    @Override
    public int priority() {
      return 1;
    }

    @Override
    public Availability availability() {
      return Availability.no(REASON);
    }

    @Override
    public CacheEngine create(CacheConfig config) {
      throw new AssertionError("an unavailable engine is never created");
    }
  }

  /** Available, but fails to start. */
  public static final class Broken implements EngineProvider {

    public Broken() {}

    @Override
    public String name() {
      return "broken";
    }

    @Override
    public Set<Capability> capabilities() {
      return Set.of(Capability.SHARED);
    }

    @Override
    public int priority() {
      return 0;
    }

    @Override
    public Availability availability() {
      return Availability.yes();
    }

    @Override
    public CacheEngine create(CacheConfig config) {
      throw new IllegalStateException("disk on fire");
    }
  }
}
