package io.ucache.examples;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.io.PrintStream;
import java.time.Duration;

/**
 * The manual form: {@link EngineManager#create} hands you an engine that you own and must close,
 * for engines that live as long as an application (a field, a bean) rather than a block.
 */
public final class ManualEngineExample {
  private ManualEngineExample() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Returns the engine, closed, so callers can check that it was. */
  public static CacheEngine run(PrintStream out) {
    // [manual]
    CacheConfig config = CacheConfig.builder()
        .set("max-size", "10000")              // the same keys as properties, UCACHE_* and the CLI
        .cache("users", users -> users.ttl(Duration.ofMinutes(5)))  // one cache's own settings
        .applyEnvironment()   // last: operators' UCACHE_* and -Ducache.* override what it set
        .build();
    CacheEngine engine = EngineManager.getDefault().create(config);
    try {
      Cache<Long, String> users = engine.cache("users", Long.class, String.class);
      users.put(42L, "Ada");
      out.println("  user 42 = " + users.get(42L) + ", stats " + users.stats());
    } finally {
      engine.close(); // you created it, you close it
    }
    // [manual]
    return engine;
  }
}
