package io.ucache.examples;

import io.ucache.jcache.UCacheCachingProvider;
import java.io.PrintStream;
import javax.cache.Cache;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import javax.cache.spi.CachingProvider;

/**
 * JCache (JSR-107): code written against {@code javax.cache} runs on UCache with
 * {@code cache-jcache} on the class path; the engine is chosen by configuration.
 */
public final class JCacheExample {
  private JCacheExample() {}

  public static void main(String[] args) {
    run(System.out);
  }

  /** Returns the stock left after one sale, read back through JCache. */
  public static int run(PrintStream out) {
    // [jcache]
    // UCache's provider, by name: Ehcache's jar brings a JCache provider of its own. Its default
    // manager runs the engine that UCACHE_* and -Ducache.* choose (caffeine when none is set).
    CachingProvider provider = Caching.getCachingProvider(UCacheCachingProvider.class.getName());
    try (CacheManager manager = provider.getCacheManager()) {
      Cache<String, Integer> stock = manager.createCache("stock",
          new MutableConfiguration<String, Integer>()
              .setTypes(String.class, Integer.class)
              .setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(Duration.ONE_HOUR))
              .setStatisticsEnabled(true)); // a CacheStatistics MXBean, as JSR-107 names it
      stock.put("apples", 12);
      stock.invoke("apples", (entry, arguments) -> {   // atomic for the key
        entry.setValue(entry.getValue() - 1);
        return null;
      });
      int left = stock.get("apples");
      io.ucache.Cache<?, ?> underneath = stock.unwrap(io.ucache.Cache.class);
      out.println("  apples left: " + left + ", stored by the " + manager.getURI() + " manager"
          + " in UCache cache '" + underneath.name() + "'");
      return left;
    }
    // [jcache]
  }
}
