package io.ucache.examples;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.annotation.CacheKey;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import io.ucache.annotation.UCachePut;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.io.PrintStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A write method that keeps the cache up to date ({@code @UCachePut}) instead of evicting it,
 * and an eviction from two caches at once, done before the method runs.
 */
public final class CachePutExample {
  private CachePutExample() {}

  // [cache-put]
  public interface Products {
    @UCache(name = "products")
    String describe(String sku);

    /** Always runs, then caches what it returns as the entry describe(sku) reads. */
    @UCachePut(name = "products")
    String rename(@CacheKey String sku, String name);

    /** Evicts the sku from both caches before it runs, so no reader sees it mid-way. */
    @UCacheEvict(name = {"products", "stock"}, beforeInvocation = true)
    void discontinue(String sku);

    @UCache(name = "stock")
    int stock(String sku);
  }
  // [cache-put]

  /** A product database that counts its reads. */
  static final class ProductDatabase implements Products {
    final Map<String, String> names = new ConcurrentHashMap<>(Map.of("p-1", "Kettle"));
    final AtomicInteger reads = new AtomicInteger();

    @Override
    public String describe(String sku) {
      reads.incrementAndGet();
      return names.getOrDefault(sku, "(discontinued)");
    }

    @Override
    public String rename(String sku, String name) {
      names.put(sku, name);
      return name;
    }

    @Override
    public void discontinue(String sku) {
      names.remove(sku);
    }

    @Override
    public int stock(String sku) {
      reads.incrementAndGet();
      return names.containsKey(sku) ? 12 : 0;
    }
  }

  /** What the calls returned and how often the database was read. */
  public record Result(String before, String afterRename, String afterDiscontinue,
      int stockAfterDiscontinue, int databaseReads) {}

  public static void main(String[] args) {
    run(System.out);
  }

  public static Result run(PrintStream out) {
    ProductDatabase database = new ProductDatabase();
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.defaults());
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      // [cache-put-calls]
      Products products = ucache.proxy(Products.class, database);
      String before = products.describe("p-1");       // read from the database: Kettle
      products.stock("p-1");                          // read from the database: 12
      products.rename("p-1", "Steel kettle");         // runs, and replaces the cached entry
      String renamed = products.describe("p-1");      // from the cache: Steel kettle
      products.discontinue("p-1");                    // evicts p-1 from products and stock
      String gone = products.describe("p-1");         // read again: (discontinued)
      int stock = products.stock("p-1");              // read again: 0
      // [cache-put-calls]
      out.printf("  describe: %s, after rename: %s (from the cache), after discontinue: %s, "
          + "stock %d; the database was read %d times%n", before, renamed, gone, stock,
          database.reads.get());
      return new Result(before, renamed, gone, stock, database.reads.get());
    }
  }
}
