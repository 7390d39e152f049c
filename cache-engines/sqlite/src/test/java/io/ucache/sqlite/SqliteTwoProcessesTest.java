package io.ucache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One process writes a counter as fast as it can while this one reads it: the reader never sees
 * the counter go back, never reads bytes it cannot decode, and ends on the last value written.
 * It also measures (and prints) both sides' throughput and, for each value the reader saw, the
 * time from the writer's {@code put} returning to the reader's first read of it (one clock:
 * {@code System.nanoTime} is the host's monotonic clock on Linux). docs/benchmarks.md quotes a
 * longer run: {@code -Dreliability.fault-duration=30s}.
 */
class SqliteTwoProcessesTest {

  @TempDir
  Path temp;

  @Test
  void oneWritesOneReads_counterNeverGoesBack_endsOnTheLastWrite() throws Exception {
    Path folder = temp.resolve("shared");
    Map<Long, Long> acknowledged = new ConcurrentHashMap<>();
    Duration length = CacheConfig.parseDuration(
        System.getProperty("reliability.fault-duration", "1500ms"));
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("sqlite").set(SqliteSettings.FOLDER, folder.toString()).stats(true).build());
        ChildJvm writer = ChildJvm.start(temp.resolve("writer.stderr"), line -> {
          if (!line.startsWith("ack ")) {
            return false;
          }
          String[] parts = line.split(" ");
          acknowledged.put(Long.parseLong(parts[1]), Long.parseLong(parts[2]));
          return true;
        }, SequenceWriterProcess.class, folder.toString(), length.toString())) {
      Cache<String, String> feed = engine.cache("feed", String.class, String.class);
      writer.line("ready", Duration.ofSeconds(60));
      Map<Long, Long> firstSeen = new HashMap<>();
      long last = 0;
      long reads = 0;
      writer.send("go");
      long start = System.nanoTime();
      long deadline = start + length.toNanos() + Duration.ofSeconds(30).toNanos();
      while (writer.process().isAlive() && System.nanoTime() - deadline < 0) {
        String value = feed.get("seq");
        reads++;
        if (value != null) {
          long seen = Long.parseLong(value);
          assertThat(seen).as("the counter never goes back").isGreaterThanOrEqualTo(last);
          if (seen > last) {
            firstSeen.put(seen, System.nanoTime());
            last = seen;
          }
        }
      }
      long elapsed = System.nanoTime() - start;
      long written = Long.parseLong(writer.line("done ", Duration.ofSeconds(30)).substring(5));
      assertThat(feed.get("seq")).isEqualTo(Long.toString(written));
      assertThat(feed.stats().errorCount()).isZero();

      List<Long> lags = new ArrayList<>();
      firstSeen.forEach((value, seenAt) -> {
        Long ackedAt = acknowledged.get(value);
        if (ackedAt != null) {
          lags.add(Math.max(0, seenAt - ackedAt));
        }
      });
      lags.sort(null);
      System.out.printf("sqlite, two processes, %s: writer %,d puts (%,.0f/s), reader %,d gets "
              + "(%,.0f/s), %,d values seen; put returned -> read by the other process: %s%n",
          length, written, written / (length.toNanos() / 1e9), reads, reads / (elapsed / 1e9),
          firstSeen.size(), percentiles(lags));
      assertThat(firstSeen).isNotEmpty();
    }
  }

  private static String percentiles(List<Long> sorted) {
    if (sorted.isEmpty()) {
      return "no samples";
    }
    StringBuilder out = new StringBuilder();
    for (double p : new double[] {0.5, 0.9, 0.99, 0.999, 1.0}) {
      long value = sorted.get((int) Math.min(sorted.size() - 1, Math.ceil(p * sorted.size()) - 1));
      out.append(p == 1.0 ? "max" : "p" + (p * 100)).append(' ')
          .append(String.format("%.1f µs", value / 1e3)).append(", ");
    }
    return out.append(sorted.size()).append(" samples").toString();
  }
}
