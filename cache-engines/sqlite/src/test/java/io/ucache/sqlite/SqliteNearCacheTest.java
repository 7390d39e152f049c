package io.ucache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineHealth;
import io.ucache.context.EngineManager;
import io.ucache.testkit.FakeTicker;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Near caches over the sqlite engine: a change made through another engine on the folder (as
 * another process would) reaches this engine's copies through the change log; while the log
 * cannot be read, copies are not served and the engine reports itself degraded.
 */
class SqliteNearCacheTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir
  Path baseDir;

  private CacheEngine open(boolean near) {
    return open(near, null);
  }

  private CacheEngine open(boolean near, @Nullable FakeTicker ticker) {
    CacheConfig.Builder config = CacheConfig.builder().engine("sqlite")
        .set(SqliteSettings.BASE_DIR, baseDir).set(SqliteSettings.FOLDER, "near")
        .nearEnabled(near).stats(true);
    return EngineManager.getDefault().create(ticker == null ? config.build()
        : config.ticker(ticker).build());
  }

  @Test
  void anotherEnginesWrite_reachesTheCopy_andItsEviction_too() {
    try (CacheEngine reader = open(true); CacheEngine writer = open(false)) {
      Cache<String, String> near = reader.cache("c", String.class, String.class);
      Cache<String, String> other = writer.cache("c", String.class, String.class);
      other.put("k", "1");
      // The put's own change may reach the feed after a first copy was made, and drop it: a
      // copy is served once the feed has caught up.
      await("a copy is served", () -> {
        near.get("k");
        return near.stats().near().hitCount() > 0;
      });
      assertThat(reader.health().status()).isEqualTo(EngineHealth.Status.UP);
      assertThat(near.get("k")).isEqualTo("1");

      other.put("k", "2");
      await("the change reaches the copy", () -> "2".equals(near.get("k")));
      other.evict("k");
      await("the eviction reaches the copy", () -> near.get("k") == null);
    }
  }

  @Test
  void changeLogUnreadable_copiesNotServed_degraded_thenBack() throws Exception {
    try (CacheEngine reader = open(true); CacheEngine writer = open(false)) {
      Cache<String, String> near = reader.cache("c", String.class, String.class);
      Cache<String, String> other = writer.cache("c", String.class, String.class);
      other.put("k", "1");
      await("a copy is served", () -> {
        near.get("k");
        return near.stats().near().hitCount() > 0;
      });
      try (Connection connection = near.unwrap(DataSource.class).getConnection();
          Statement statement = connection.createStatement()) {
        statement.execute("ALTER TABLE changes RENAME TO changes_away");
        await("degraded", () -> reader.health().status() == EngineHealth.Status.DEGRADED);
        long hits = near.stats().near().hitCount();
        assertThat(near.get("k")).isEqualTo("1");
        assertThat(near.stats().near().hitCount()).as("no copy served").isEqualTo(hits);
        statement.execute("ALTER TABLE changes_away RENAME TO changes");
      }
      await("the feed is back", () -> reader.health().status() == EngineHealth.Status.UP);
      other.put("k", "2");
      await("changes reach copies again", () -> "2".equals(near.get("k")));
    }
  }

  @Test
  void copyReadLateInItsEntrysLife_goesWhenTheEntryExpires() {
    FakeTicker ticker = new FakeTicker();
    try (CacheEngine reader = open(true, ticker); CacheEngine writer = open(false, ticker)) {
      Cache<String, String> near = reader.cache("c", String.class, String.class);
      Cache<String, String> other = writer.cache("c", String.class, String.class);
      await("the feed is live", () -> reader.health().status() == EngineHealth.Status.UP);
      other.put("k", "v", Duration.ofSeconds(10));
      ticker.advance(Duration.ofSeconds(8));
      await("a copy is served", () -> {
        near.get("k");
        return near.stats().near().hitCount() > 0;
      });
      // The change log reports writes, not expiries: the copy, made 8 s into a 10 s life, must
      // end with its entry, not 10 s after it was made.
      ticker.advance(Duration.ofSeconds(3));
      assertThat(near.get("k")).isNull();
    }
  }

  private static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("not within " + WAIT + ": " + what);
      }
      Thread.yield();
    }
  }
}
