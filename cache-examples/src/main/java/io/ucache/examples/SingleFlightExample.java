package io.ucache.examples;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.context.EngineContext;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Single-flight: many threads miss the same key at once, the loader runs once, and they all get
 * its result.
 */
public final class SingleFlightExample {
  private SingleFlightExample() {}

  /** How many threads asked, how many times the loader ran, and how many distinct answers came back. */
  public record Result(int threads, int loads, long distinctAnswers) {}

  public static void main(String[] args) throws Exception {
    run(System.out, 16);
  }

  public static Result run(PrintStream out, int threads) throws Exception {
    AtomicInteger loads = new AtomicInteger();
    List<Long> answers = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (EngineContext ctx = EngineContext.open(CacheConfig.defaults())) {
      // [single-flight]
      Cache<Integer, Long> primes = ctx.cache("primes", Integer.class, Long.class);
      List<Future<Long>> calls = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        calls.add(pool.submit(() -> primes.get(1_000_000, bound -> {
          loads.incrementAndGet();
          return SlowService.countPrimesBelow(bound);
        })));
      }
      for (Future<Long> call : calls) {
        answers.add(call.get());
      }
      // [single-flight]
    } finally {
      pool.shutdownNow();
    }
    Result result = new Result(threads, loads.get(), answers.stream().distinct().count());
    out.printf("  %d threads asked for the same key; the loader ran %d time(s); %d distinct answer(s)%n",
        result.threads(), result.loads(), result.distinctAnswers());
    return result;
  }
}
