package io.ucache.cli;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The running application of {@link AppCommandTest}: a caffeine engine with
 * {@code jmx.enabled=true} and a {@code prices} cache with two entries, one hit and one miss.
 * Prints {@code READY}, then runs until its standard input ends.
 */
public final class JmxApplication {

  private JmxApplication() {}

  public static void main(String[] args) throws Exception {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("caffeine").jmxEnabled(true).build())) {
      Cache<Long, String> prices = engine.cache("prices", Long.class, String.class);
      prices.put(1L, "1.10");
      prices.put(2L, "0.90");
      prices.get(1L);
      prices.get(3L);
      System.out.println("READY");
      try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8))) {
        for (String line = in.readLine(); line != null; line = in.readLine()) {
          System.out.println("prices: " + prices.asMap().keySet());
        }
      }
    }
  }
}
