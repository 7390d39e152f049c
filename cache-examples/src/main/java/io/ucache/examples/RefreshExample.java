package io.ucache.examples;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.RefreshStats;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Refresh-ahead and stale-if-error on an {@code @UCache} method: a rate older than
 * {@code refreshAfter} is returned at once while the method runs again in the background; once
 * the source fails, the last rate is returned through {@code staleIfError} instead of the
 * exception.
 */
public final class RefreshExample {
  private RefreshExample() {}

  // [refresh-ahead]
  public interface Rates {
    /**
     * Fresh for a second; after 300 ms a call returns the cached rate and refreshes it in the
     * background; after a second, if the source fails, the last rate is served for up to an hour.
     */
    @UCache(name = "rates", ttl = "1s", refreshAfter = "300ms", staleIfError = "1h")
    double rate(String currency);
  }
  // [refresh-ahead]

  /** A rate source that moves by 0.01 at each call, and can go down. */
  static final class RateSource implements Rates {
    final AtomicInteger calls = new AtomicInteger();
    volatile boolean down;

    @Override
    public double rate(String currency) {
      int call = calls.incrementAndGet();
      if (down) {
        throw new IllegalStateException("rate source unavailable");
      }
      return 1.09 + call / 100.0;
    }
  }

  /**
   * The rates the calls returned, how often the source ran, and the cache's refresh counters.
   *
   * @param first the first call's rate (the method ran)
   * @param pastRefreshAfter a call past refresh-after: the same rate, returned at once
   * @param refreshed the rate once the background refresh stored its result
   * @param whileSourceDown a call past the ttl with the source down: the last rate
   */
  public record Result(double first, double pastRefreshAfter, double refreshed,
      double whileSourceDown, int sourceCalls, RefreshStats stats) {}

  public static void main(String[] args) {
    run(System.out);
  }

  public static Result run(PrintStream out) {
    RateSource source = new RateSource();
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.defaults());
        UCacheInterceptor ucache = UCacheInterceptor.using(engine)) {
      // [refresh-calls]
      Rates rates = ucache.proxy(Rates.class, source);
      double first = rates.rate("EUR");             // runs the method: 1.10
      waitFor(Duration.ofMillis(350));              // past refreshAfter
      double pastRefresh = rates.rate("EUR");       // 1.10 at once; the method runs again, behind
      double refreshed = pastRefresh;
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (refreshed == pastRefresh && System.nanoTime() < deadline) {
        refreshed = rates.rate("EUR");              // 1.11 once the refresh has landed
      }
      source.down = true;
      waitFor(Duration.ofMillis(1050));             // past the ttl of the refreshed rate
      double stale = rates.rate("EUR");             // the method throws: 1.11, from staleIfError
      // [refresh-calls]
      RefreshStats stats = engine.cache("rates", Object.class, Object.class).stats().refresh();
      out.printf("  rate %.2f, past refresh-after %.2f (returned at once), refreshed %.2f, "
              + "source down %.2f (stale-if-error)%n", first, pastRefresh, refreshed, stale);
      out.printf("  the method ran %d times; %d refresh(es), %d stale read(s) on error%n",
          source.calls.get(), stats.refreshCount(), stats.staleOnErrorCount());
      return new Result(first, pastRefresh, refreshed, stale, source.calls.get(), stats);
    }
  }

  /** Lets real time pass (tests of the library itself inject a fake Ticker instead). */
  private static void waitFor(Duration span) {
    long until = System.nanoTime() + span.toNanos();
    while (System.nanoTime() - until < 0) {
      Thread.onSpinWait();
    }
  }
}
