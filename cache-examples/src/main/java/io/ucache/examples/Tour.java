package io.ucache.examples;

import io.ucache.CacheConfig;
import io.ucache.ehcache.EhcacheSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * The tour: every example in turn, on the embedded default engine, then on the disk engines, and
 * on Redis when {@code UCACHE_REDIS_URL} names a server. Run it with
 * {@code java -jar cache-examples/target/ucache-examples.jar}; run it again to see the disk step
 * find what the first run stored.
 */
public final class Tour {
  private Tour() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  /** The tour, keeping the disk step's folder under the default base-dir, ~/.cache/ucache. */
  public static void run(PrintStream out) throws Exception {
    run(out, EhcacheSettings.BASE_DIR.defaultValue().orElseThrow());
  }

  /**
   * The tour, keeping the disk step's folder under {@code diskBaseDir}, with the Redis step on
   * the server {@code UCACHE_REDIS_URL} names, if set.
   */
  public static void run(PrintStream out, Path diskBaseDir) throws Exception {
    run(out, diskBaseDir, System.getenv("UCACHE_REDIS_URL"));
  }

  /**
   * The tour, keeping the disk step's folder under {@code diskBaseDir}, with the Redis step on
   * {@code redisUrl}; when it is {@code null}, that step says how to enable it.
   */
  public static void run(PrintStream out, Path diskBaseDir, @Nullable String redisUrl)
      throws Exception {
    long start = System.nanoTime();
    out.println("UCache tour");
    out.println();
    out.println("1. Engines found on the class path");
    EnginesExample.run(out);
    out.println();
    out.println("2. @UCache on a slow service: cold, warm, and an EngineContext for one block");
    AnnotationExample.run(out, 2_000_000);
    out.println();
    out.println("3. A slow function cached in a scoped EngineContext");
    ScopedContextExample.run(out, 2_000_000);
    out.println();
    out.println("4. A reusable CacheContext, opened once per batch");
    ReusableContextExample.run(out);
    out.println();
    out.println("5. Single-flight: concurrent misses, one load");
    SingleFlightExample.run(out, 16);
    out.println();
    out.println("6. A TTL expiring");
    TtlExample.run(out, Duration.ofMillis(300));
    out.println();
    out.println("7. Refresh-ahead and stale-if-error on an @UCache method");
    RefreshExample.run(out);
    out.println();
    out.println("8. @UCachePut keeps a cache up to date; one eviction for two caches");
    CachePutExample.run(out);
    out.println();
    out.println("9. Conditions: skip the cache for some calls, keep some results out");
    ConditionsExample.run(out);
    out.println();
    out.println("10. An engine you create and close yourself");
    ManualEngineExample.run(out);
    out.println();
    out.println("11. Results on disk that outlive the process (ehcache)");
    DiskExample.run(out, diskBaseDir);
    out.println();
    out.println("12. A disk cache several processes share (sqlite)");
    SharedDiskExample.run(out, diskBaseDir);
    out.println();
    out.println("13. One cache shared through Redis (redis)");
    if (redisUrl == null || redisUrl.isBlank()) {
      out.println("  skipped: set UCACHE_REDIS_URL=redis://host:port to run this step, e.g.");
      out.println("  UCACHE_REDIS_URL=redis://localhost:6379 java -jar ucache-examples.jar");
    } else {
      RedisExample.run(out, redisUrl);
      out.println();
      out.println("14. A near cache over Redis: reads from this process's copy");
      NearCacheExample.run(out, redisUrl);
      out.println();
      out.println("15. Single-flight across processes: one load for every process");
      ClusterSingleFlightExample.run(out, redisUrl);
    }
    out.println();
    out.printf("Done in %.1f s.%n", (System.nanoTime() - start) / 1e9);
  }
}
