package io.ucache.examples;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.sqlite.SqliteSettings;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * A disk cache that several processes use at once, through the {@code sqlite} engine: here two
 * engines in one process stand for two processes (a web server and a batch job, say) on one
 * folder. Run it: {@code java -cp cache-examples/target/ucache-examples.jar
 * io.ucache.examples.SharedDiskExample}.
 */
public final class SharedDiskExample {
  private SharedDiskExample() {}

  /** What the second engine read: the first one's write, and its own after an eviction. */
  public record Result(String seenByOther, String reloaded, long computations) {}

  public static void main(String[] args) {
    run(System.out, SqliteSettings.BASE_DIR.defaultValue().orElseThrow());
  }

  /** One run, with the folder under {@code baseDir}. */
  public static Result run(PrintStream out, Path baseDir) {
    long[] computations = {0};
    String seenByOther;
    String reloaded;
    // [shared-disk]
    CacheConfig config = CacheConfig.builder()
        .engine("sqlite")                             // on disk, shared by processes
        .set(SqliteSettings.BASE_DIR, baseDir)        // default ~/.cache/ucache
        .set(SqliteSettings.FOLDER, "shared-example") // any number of engines per folder
        .build();
    try (CacheEngine webServer = EngineManager.getDefault().create(config);
        CacheEngine batchJob = EngineManager.getDefault().create(config)) {
      Cache<String, String> reports = webServer.cache("reports", String.class, String.class);
      Cache<String, String> same = batchJob.cache("reports", String.class, String.class);

      reports.put("2026-12", "revenue 1,234");           // acknowledged: on disk
      seenByOther = same.get("2026-12");                   // read by the other engine
      same.evict("2026-12");                               // gone for both
      reloaded = reports.get("2026-12", month -> {
        computations[0]++;
        return "revenue 1,250";
      });
    }
    // [shared-disk]
    out.printf("  the batch job read the web server's write: %s%n", seenByOther);
    out.printf("  after its eviction the web server computed it again: %s%n", reloaded);
    return new Result(seenByOther, reloaded, computations[0]);
  }
}
