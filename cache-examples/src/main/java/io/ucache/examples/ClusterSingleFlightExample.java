package io.ucache.examples;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.SingleFlightScope;
import io.ucache.annotation.UCache;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Single-flight across processes: two engines on one Redis server (two processes in real life),
 * eight callers each ask for the same report at once, and the method runs once in all of them.
 * Run it with a server's URL: {@code UCACHE_REDIS_URL=redis://localhost:6379 java -cp
 * cache-examples/target/ucache-examples.jar io.ucache.examples.ClusterSingleFlightExample}.
 */
public final class ClusterSingleFlightExample {
  private ClusterSingleFlightExample() {}

  // [cluster-single-flight]
  public interface Reports {
    /** Computed once across every process sharing the Redis engine, however many ask at once. */
    @UCache(name = "reports", ttl = "10m", singleFlight = "cluster")
    String report(String day);
  }
  // [cluster-single-flight]

  /** The slow implementation, shared by both "processes" here so its runs can be counted. */
  static final class SlowReports implements Reports {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public String report(String day) {
      runs.incrementAndGet();
      return "report of " + day + ": " + SlowService.countPrimesBelow(2_000_000) + " primes";
    }
  }

  /** How many callers asked, how often the method ran, and how many distinct answers came back. */
  public record Result(int callers, int runs, int distinctAnswers) {}

  public static void main(String[] args) throws Exception {
    String url = RedisExample.redisUrl(args);
    if (url != null) {
      run(System.out, url);
    }
  }

  public static Result run(PrintStream out, String redisUrl) throws Exception {
    SlowReports slow = new SlowReports();
    CacheConfig config = CacheConfig.builder().engine("redis").set("redis.url", redisUrl)
        .set("namespace", "examples").build();
    ExecutorService pool = Executors.newFixedThreadPool(16);
    Set<String> answers = ConcurrentHashMap.newKeySet();
    try (CacheEngine first = EngineManager.getDefault().create(config);
        CacheEngine second = EngineManager.getDefault().create(config); // another process
        UCacheInterceptor one = UCacheInterceptor.using(first);
        UCacheInterceptor other = UCacheInterceptor.using(second)) {
      // A fresh start each run: the cache opened as the annotation opens it, and cleared.
      first.cache("reports", String.class, String.class, CacheConfig.builder()
          .ttl(Duration.ofMinutes(10)).singleFlight(SingleFlightScope.CLUSTER).build()).clear();
      // [cluster-calls]
      Reports inFirst = one.proxy(Reports.class, slow);
      Reports inSecond = other.proxy(Reports.class, slow);
      CountDownLatch start = new CountDownLatch(1);
      List<Future<String>> calls = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        Reports process = i % 2 == 0 ? inFirst : inSecond;
        calls.add(pool.submit(() -> {
          start.await();
          return process.report("2026-12-06");
        }));
      }
      start.countDown();                       // sixteen callers, two processes, one key
      for (Future<String> call : calls) {
        answers.add(call.get());               // the method ran once: slow.runs == 1
      }
      // [cluster-calls]
    } finally {
      pool.shutdownNow();
    }
    Result result = new Result(16, slow.runs.get(), answers.size());
    out.printf("  %d callers in 2 processes asked for one report; the method ran %d time(s); "
        + "%d distinct answer(s)%n", result.callers(), result.runs(), result.distinctAnswers());
    return result;
  }
}
