package io.ucache.examples;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheKeys;
import io.ucache.ValueType;
import io.ucache.context.EngineManager;
import io.ucache.ehcache.EhcacheSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Values of any type on a disk engine: a {@code List} of records that are not
 * {@code Serializable}, stored as JSON (Jackson 3 is on this module's class path) and read back
 * as the declared type, and the canonical key text other processes compute.
 */
public final class ValuesExample {
  private ValuesExample() {}

  /** An order: a plain record, not Serializable. */
  public record Order(String id, long cents) {}

  /** What was read back, and the key text of the call {@code ("ada", 2026)}. */
  public record Result(List<Order> orders, String keyText) {}

  public static void main(String[] args) {
    run(System.out, EhcacheSettings.BASE_DIR.defaultValue().orElseThrow());
  }

  /** One run, with the engine's folder under {@code baseDir}. */
  public static Result run(PrintStream out, Path baseDir) {
    // [values]
    CacheConfig config = CacheConfig.builder()
        .engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, baseDir)
        .set(EhcacheSettings.FOLDER, "values-example")
        .build();
    try (CacheEngine engine = EngineManager.getDefault().create(config)) {
      Cache<String, List<Order>> orders =
          engine.cache("orders", String.class, new ValueType<List<Order>>() {});
      orders.put("ada", List.of(new Order("o-1", 1250), new Order("o-2", 990)));
      List<Order> read = orders.get("ada");   // List<Order>, read back from disk (JSON)

      String keyText = CacheKeys.of("ada", 2026); // "ada:2026", as @UCache keys that call
      // [values]
      out.printf("  %d orders read back as %s; the key of (\"ada\", 2026) is %s%n", read.size(),
          read.get(0).getClass().getSimpleName(), keyText);
      return new Result(read, keyText);
    }
  }
}
