package io.ucache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import org.openjdk.jol.info.GraphLayout;

/**
 * Retained heap per entry (issue 20): raw Caffeine, the caffeine engine's {@code Cache} and a
 * {@code @UCache} method, each holding {@code entries} entries of the same keys and values, all
 * with statistics on and a maximum size above the entries. The method: JOL walks every object
 * reachable from the cache (for {@code @UCache}, from the interceptor, which reaches its engine
 * and caches) once empty and once filled; the difference over the number of entries is what one
 * entry retains, its key ({@code "sku-<n>"}) and value ({@code "price of sku-<n>"}) strings
 * included, so the three differ by their own structures only; what the common pool's worker
 * reaches is there in both walks. Sizes are this JVM's (compressed
 * references below 32 GB of heap). Not thread-safe: run it alone.
 */
final class RetainedHeap {

  static {
    // Caffeine's caches hold lambdas (hidden classes), whose field offsets Unsafe refuses: JOL
    // then finds them by probing, as it documents. Set before JOL reads it, on first use.
    if (System.getProperty("jol.magicFieldOffset") == null) {
      System.setProperty("jol.magicFieldOffset", "true");
    }
  }

  private RetainedHeap() {}

  /** Bytes per entry for raw Caffeine, the engine and {@code @UCache}, with {@code entries}. */
  static List<Counts.Count> perEntry(int entries) {
    // Caffeine runs its maintenance on the common pool, which every cache reaches: start its
    // worker before the first empty walk, or the first filled one counts the worker thread (and
    // the class loader it reaches) as the entries' own.
    ForkJoinPool.commonPool().submit(() -> { }).join();
    String detail = entries + " entries of String keys and values, bytes reachable filled minus "
        + "empty over the entries (JOL GraphLayout)";
    com.github.benmanes.caffeine.cache.Cache<String, String> raw =
        Caffeine.newBuilder().maximumSize(2L * entries).recordStats().build();
    double rawBytes = perEntry(raw, entries, i -> raw.put(sku(i), price(i)));
    double engineBytes;
    try (CacheEngine engine = engine(entries)) {
      Cache<String, String> cache = engine.cache("heap", String.class, String.class);
      engineBytes = perEntry(cache, entries, i -> cache.put(sku(i), price(i)));
    }
    double annotatedBytes;
    try (CacheEngine engine = engine(entries);
        UCacheInterceptor interceptor = UCacheInterceptor.using(engine)) {
      Prices prices = interceptor.proxy(Prices.class, new Prices.PriceList());
      prices.price("warm-up"); // opens the method's cache before the empty walk
      annotatedBytes = perEntry(interceptor, entries, i -> prices.price(sku(i)));
    }
    return List.of(new Counts.Count("heapPerEntry.caffeine", rawBytes, detail),
        new Counts.Count("heapPerEntry.ucache", engineBytes, detail),
        new Counts.Count("heapPerEntry.annotation", annotatedBytes, detail));
  }

  /** An engine of its own for one side, so no other side's cache is in its graph. */
  private static CacheEngine engine(int entries) {
    return EngineManager.getDefault().create(CacheConfig.builder().engine("caffeine")
        .maxSize(2L * entries).stats(true).build());
  }

  private static double perEntry(Object root, int entries, IntConsumer put) {
    long empty = walk(root);
    for (int i = 0; i < entries; i++) {
      put.accept(i);
    }
    return (double) (walk(root) - empty) / entries;
  }

  /**
   * The bytes reachable from {@code root} once Caffeine's pending maintenance (its write buffer's
   * tasks, run on the common pool) is done: what the cache retains, not what it is doing.
   */
  private static long walk(Object root) {
    ForkJoinPool.commonPool().awaitQuiescence(1, TimeUnit.MINUTES);
    if (root instanceof com.github.benmanes.caffeine.cache.Cache<?, ?> caffeine) {
      caffeine.cleanUp();
    }
    return GraphLayout.parseInstance(root).totalSize();
  }

  private static String sku(int i) {
    return "sku-" + i;
  }

  private static String price(int i) {
    return new Prices.PriceList().price(sku(i));
  }
}
