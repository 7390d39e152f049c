package io.ucache.jcache;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.Capability;
import io.ucache.context.EngineInfo;
import io.ucache.context.EngineManager;
import java.util.HashMap;
import java.util.Map;

/**
 * The engines of a provider's cache managers. An in-memory engine is each manager's own, so
 * managers keep apart what they store, as JSR-107 has it. An engine whose entries live outside
 * the process (a folder on disk, a Redis server) is shared by the managers configured alike:
 * they would see the same entries through two engines anyway, and a disk engine holds its folder
 * alone, so a second engine on it could not open. A shared engine closes with the last manager
 * that uses it. Thread-safe.
 */
final class EngineLeases {

  private final Map<CacheConfig, Lease> shared = new HashMap<>();

  /** An engine for a manager of {@code config}; give it back through {@link #release}. */
  synchronized CacheEngine acquire(CacheConfig config, ClassLoader loader) {
    EngineManager engines = EngineManager.forClassLoader(loader);
    EngineInfo info = engines.select(config);
    if (info.capabilities().contains(Capability.IN_PROCESS)
        && !info.capabilities().contains(Capability.PERSISTENT)) {
      return engines.create(config);
    }
    Lease lease = shared.get(config);
    if (lease == null || lease.engine.isClosed()) {
      lease = new Lease(engines.create(config));
      shared.put(config, lease);
    }
    lease.holders++;
    return lease.engine;
  }

  /** A manager no longer uses {@code engine}: closed unless another manager shares it. */
  synchronized void release(CacheEngine engine) {
    for (Map.Entry<CacheConfig, Lease> entry : shared.entrySet()) {
      Lease lease = entry.getValue();
      if (lease.engine == engine) {
        if (--lease.holders == 0) {
          shared.remove(entry.getKey());
          engine.close();
        }
        return;
      }
    }
    engine.close();
  }

  private static final class Lease {
    final CacheEngine engine;
    int holders;

    Lease(CacheEngine engine) {
      this.engine = engine;
    }
  }
}
