package io.ucache.caffeine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.LogCapture;
import java.time.Duration;
import java.util.logging.LogRecord;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code stats-log-interval}: one INFO line per cache every interval on {@code io.ucache.stats},
 * with what the cache did in that interval; none without the key.
 */
class CaffeineStatsLogTest {

  @RegisterExtension final LogCapture log = LogCapture.of("io.ucache.stats");

  @Test
  void interval_eachCacheLogsItsIntervalStatistics() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("caffeine").statsLogInterval(Duration.ofMillis(50)).build())) {
      Cache<String, String> prices = engine.cache("prices", String.class, String.class);
      engine.cache("idle", String.class, String.class);
      prices.put("a", "1");
      prices.get("a");
      prices.get("a");
      prices.get("b");
      prices.get("c", key -> "3");

      // Each line has its interval's share: summed, the lines give what the cache did.
      long[] totals = awaitTotals("Cache 'prices'", 4);
      assertThat(totals).as("gets, hits, loads, failed loads, evictions, errors")
          .containsExactly(4, 2, 1, 0, 0, 0);
      assertThat(awaitLine("Cache 'idle'")).contains("last PT0.05S: 0 gets, 0 hits (-), 0 loads");
    }
  }

  @Test
  void noInterval_noLines() {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("caffeine").build())) {
      engine.cache("prices", String.class, String.class).get("a");
    }
    assertThat(log.records()).isEmpty();
  }

  /**
   * The sums of the counters in the lines starting with {@code prefix}, once they add up to
   * {@code gets} gets, polled for with a deadline.
   */
  private long[] awaitTotals(String prefix, long gets) {
    Pattern numbers = Pattern.compile(": (\\d+) gets, (\\d+) hits .*, (\\d+) loads \\((\\d+) "
        + "failed, .*\\), (\\d+) evictions, (\\d+) errors$");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      long[] totals = new long[6];
      for (LogRecord record : log.records()) {
        Matcher m = numbers.matcher(record.getMessage());
        if (record.getMessage().startsWith(prefix) && m.find()) {
          for (int i = 0; i < totals.length; i++) {
            totals[i] += Long.parseLong(m.group(i + 1));
          }
        }
      }
      if (totals[0] >= gets) {
        return totals;
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("the lines never added up to " + gets + " gets: " + log.records());
  }

  /** The first line logged so far that starts with {@code prefix}, polled for with a deadline. */
  private String awaitLine(String prefix) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      for (LogRecord record : log.records()) {
        if (record.getMessage().startsWith(prefix)) {
          return record.getMessage();
        }
      }
      Thread.onSpinWait();
    }
    throw new AssertionError("no line starting with " + prefix + " within 30 s: "
        + log.records());
  }
}
