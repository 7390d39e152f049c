package io.ucache.examples;

import io.ucache.CacheConfig;
import io.ucache.annotation.CacheKey;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineContext;
import io.ucache.interceptor.UCacheInterceptor;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code @UCache} on a slow service: the first call computes, the next ones are served from the
 * cache, and an {@link EngineContext} gives a block its own engine.
 */
public final class AnnotationExample {
  private AnnotationExample() {}

  // [annotation]
  public interface PrimeService {
    /** Cached for ten minutes; the locale only formats, so it is not part of the key. */
    @UCache(name = "prime-counts", ttl = "10m")
    long countPrimesBelow(@CacheKey int bound, java.util.Locale locale);
  }
  // [annotation]

  /** The uncached implementation; counts how often it really runs. */
  static final class CountingPrimeService implements PrimeService {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public long countPrimesBelow(int bound, java.util.Locale locale) {
      runs.incrementAndGet();
      return SlowService.countPrimesBelow(bound);
    }
  }

  /** Timings, and how many times the method itself ran in each phase. */
  public record Result(Duration cold, Duration warm, int runsOutside, int runsInsideContext,
      int runsAfterContext, java.util.Set<String> contextCaches) {}

  public static void main(String[] args) {
    run(System.out, 2_000_000);
  }

  public static Result run(PrintStream out, int bound) {
    CountingPrimeService service = new CountingPrimeService();
    Duration cold;
    Duration warm;
    int outside;
    int inside;
    java.util.Set<String> blockCaches;
    // [proxy]
    try (UCacheInterceptor ucache = UCacheInterceptor.create()) {
      PrimeService primes = ucache.proxy(PrimeService.class, service);

      long start = System.nanoTime();
      primes.countPrimesBelow(bound, java.util.Locale.UK);   // runs the method
      cold = Duration.ofNanos(System.nanoTime() - start);
      start = System.nanoTime();
      primes.countPrimesBelow(bound, java.util.Locale.US);   // a hit: the locale is not in the key
      warm = Duration.ofNanos(System.nanoTime() - start);
      outside = service.runs.get();

      // Inside an EngineContext, @UCache methods use the context's engine: a fresh one here.
      try (EngineContext block = EngineContext.open(CacheConfig.builder().maxSize(100).build())) {
        primes.countPrimesBelow(bound, java.util.Locale.UK);  // runs again: a new, empty engine
        primes.countPrimesBelow(bound, java.util.Locale.UK);  // a hit in the block's engine
        blockCaches = block.engine().cacheNames();              // [prime-counts]
      }
      inside = service.runs.get() - outside;
      primes.countPrimesBelow(bound, java.util.Locale.UK);    // back on the interceptor's engine
    }
    // [proxy]
    int after = service.runs.get() - outside - inside;
    out.printf("  cold call: %10.4f ms (the method ran)%n", cold.toNanos() / 1e6);
    out.printf("  warm call: %10.4f ms (from the cache, %,.0fx faster)%n", warm.toNanos() / 1e6,
        (double) cold.toNanos() / Math.max(1, warm.toNanos()));
    out.printf("  the method ran %d time(s) outside, %d inside the EngineContext block (caches %s),"
        + " %d after%n", outside, inside, blockCaches, after);
    return new Result(cold, warm, outside, inside, after, blockCaches);
  }
}
