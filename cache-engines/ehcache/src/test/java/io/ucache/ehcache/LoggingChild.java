package io.ucache.ehcache;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;

/**
 * The other process of {@link EhcacheLoggingTest}: {@code LoggingChild FOLDER} opens the ehcache
 * engine on {@code FOLDER}, writes and reads one entry, closes, and prints
 * {@code slf4j.provider=<the property after the engine started>} and {@code read=<value>}.
 */
final class LoggingChild {
  private LoggingChild() {}

  public static void main(String[] args) {
    CacheConfig config = CacheConfig.builder().engine("ehcache")
        .set(EhcacheSettings.FOLDER, args[0]).build();
    try (CacheEngine engine = EngineManager.getDefault().create(config)) {
      Cache<String, String> cache = engine.cache("greetings", String.class, String.class);
      cache.put("en", "hello");
      System.out.println("slf4j.provider=" + System.getProperty("slf4j.provider"));
      System.out.println("read=" + cache.get("en"));
    }
  }
}
