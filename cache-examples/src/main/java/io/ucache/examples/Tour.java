package io.ucache.examples;

import java.io.PrintStream;
import java.time.Duration;

/**
 * The tour: every example in turn, on the embedded default engine. Run it with
 * {@code java -jar cache-examples/target/ucache-examples.jar}.
 */
public final class Tour {
  private Tour() {}

  public static void main(String[] args) throws Exception {
    run(System.out);
  }

  public static void run(PrintStream out) throws Exception {
    long start = System.nanoTime();
    out.println("UCache tour");
    out.println();
    out.println("1. Engines found on the class path");
    EnginesExample.run(out);
    out.println();
    out.println("2. A slow function cached in a scoped EngineContext");
    ScopedContextExample.run(out, 2_000_000);
    out.println();
    out.println("3. A reusable CacheContext, opened once per batch");
    ReusableContextExample.run(out);
    out.println();
    out.println("4. Single-flight: concurrent misses, one load");
    SingleFlightExample.run(out, 16);
    out.println();
    out.println("5. A TTL expiring");
    TtlExample.run(out, Duration.ofMillis(300));
    out.println();
    out.println("6. An engine you create and close yourself");
    ManualEngineExample.run(out);
    out.println();
    out.printf("Done in %.1f s.%n", (System.nanoTime() - start) / 1e9);
  }
}
