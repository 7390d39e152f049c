package io.ucache.examples;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.context.EngineContext;
import io.ucache.ehcache.EhcacheSettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Results cached on disk by the {@code ehcache} engine: they outlive the process, so each run
 * finds what the earlier ones stored. Run it twice:
 * {@code java -cp cache-examples/target/ucache-examples.jar io.ucache.examples.DiskExample}.
 */
public final class DiskExample {
  private DiskExample() {}

  /**
   * What one run saw: its number (counted on disk), the results earlier runs stored, and the
   * bound and result it computed and stored itself.
   */
  public record Result(int run, Map<Integer, Long> storedEarlier, int bound, long computed) {}

  public static void main(String[] args) {
    run(System.out, EhcacheSettings.BASE_DIR.defaultValue().orElseThrow());
  }

  /** One run, with the engine's folder under {@code baseDir}. */
  public static Result run(PrintStream out, Path baseDir) {
    TreeMap<Integer, Long> storedEarlier = new TreeMap<>();
    int run;
    int bound;
    long computed;
    // [disk]
    CacheConfig config = CacheConfig.builder()
        .engine("ehcache")                     // on disk: survives the process
        .set(EhcacheSettings.BASE_DIR, baseDir)   // default ~/.cache/ucache
        .set(EhcacheSettings.FOLDER, "examples")  // one engine at a time per folder
        .cache("primes", primes -> primes.ttl(Duration.ofDays(7)))
        .build();
    try (EngineContext ctx = EngineContext.open(config)) {
      Cache<String, Integer> runs = ctx.cache("runs", String.class, Integer.class);
      Integer previous = runs.get("count");
      run = previous == null ? 1 : previous + 1;
      runs.put("count", run);

      Cache<Integer, Long> primes = ctx.cache("primes", Integer.class, Long.class);
      try (Stream<Integer> bounds = primes.keys()) { // read lazily from disk; close it
        bounds.forEach(b -> storedEarlier.put(b, primes.get(b)));
      }
      bound = 10_000 * run;
      computed = primes.get(bound, SlowService::countPrimesBelow); // stored for the next run
    } // closed: flushed to disk, folder released for the next process
    // [disk]
    out.printf("  run %d, folder %s%n", run, baseDir.resolve("examples"));
    if (storedEarlier.isEmpty()) {
      out.println("  nothing stored by earlier runs: run it again to see this one's result");
    } else {
      Map.Entry<Integer, Long> latest = storedEarlier.lastEntry();
      out.printf("  %d result(s) stored by earlier runs, such as primes below %,d = %,d%n",
          storedEarlier.size(), latest.getKey(), latest.getValue());
    }
    out.printf("  computed and stored: primes below %,d = %,d%n", bound, computed);
    return new Result(run, Map.copyOf(storedEarlier), bound, computed);
  }
}
