package io.ucache.examples;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.CacheLoader;
import io.ucache.context.EngineContext;
import java.io.PrintStream;
import java.time.Duration;

/**
 * A slow function cached through a scoped {@link EngineContext}: the engine lives exactly as long
 * as the try-with-resources block, however the block ends.
 */
public final class ScopedContextExample {
  private ScopedContextExample() {}

  /**
   * What the example measured: the computing call, the first cached call (which in a fresh JVM
   * also pays for loading the cache's read-path classes), the mean of many later cached calls,
   * and whether the engine was closed when the block ended.
   */
  public record Result(long value, Duration cold, Duration firstWarm, Duration warmMean,
      boolean engineClosedAfter) {}

  private static final int WARM_CALLS = 10_000;

  public static void main(String[] args) {
    run(System.out, 2_000_000);
  }

  public static Result run(PrintStream out, int bound) {
    long cold;
    long warm;
    Duration coldTime;
    Duration warmTime;
    Duration warmMean;
    CacheEngine engine;
    // [scoped]
    CacheConfig config = CacheConfig.builder().maxSize(1_000).ttl(Duration.ofMinutes(10)).build();
    try (EngineContext ctx = EngineContext.open(config)) {
      Cache<Integer, Long> primes = ctx.cache("primes", Integer.class, Long.class);
      CacheLoader<Integer, Long> countPrimes = SlowService::countPrimesBelow;

      long start = System.nanoTime();
      cold = primes.get(bound, countPrimes); // a miss: computes
      coldTime = Duration.ofNanos(System.nanoTime() - start);

      start = System.nanoTime();
      warm = primes.get(bound, countPrimes); // a hit: served from the cache
      warmTime = Duration.ofNanos(System.nanoTime() - start);
      warmMean = meanHitTime(primes, bound, countPrimes); // many more hits, timed
      engine = ctx.engine();
    } // the engine is closed here, even if the block threw
    // [scoped]
    out.printf("  primes below %,d = %,d%n", bound, cold);
    out.printf("  cold call:       %10.4f ms (computed)%n", millis(coldTime));
    out.printf("  first warm call: %10.4f ms (cached, %,.0fx faster; in a fresh JVM it also loads"
        + " the cache's read-path classes)%n", millis(warmTime), ratio(coldTime, warmTime));
    out.printf("  warm calls:      %10.4f ms each, mean of %,d (%,.0fx faster)%n", millis(warmMean),
        WARM_CALLS, ratio(coldTime, warmMean));
    if (cold != warm) {
      throw new AssertionError("the cache returned " + warm + " for " + cold);
    }
    return new Result(cold, coldTime, warmTime, warmMean, engine.isClosed());
  }

  private static Duration meanHitTime(Cache<Integer, Long> primes, int key,
      CacheLoader<Integer, Long> loader) {
    long sum = 0; // consumed below, so the calls cannot be optimized away
    long start = System.nanoTime();
    for (int i = 0; i < WARM_CALLS; i++) {
      sum += primes.get(key, loader);
    }
    Duration mean = Duration.ofNanos((System.nanoTime() - start) / WARM_CALLS);
    if (sum != WARM_CALLS * primes.get(key, loader)) {
      throw new AssertionError("a hit returned another value");
    }
    return mean;
  }

  private static double millis(Duration duration) {
    return duration.toNanos() / 1e6;
  }

  private static double ratio(Duration slow, Duration fast) {
    return (double) slow.toNanos() / Math.max(1, fast.toNanos());
  }
}
