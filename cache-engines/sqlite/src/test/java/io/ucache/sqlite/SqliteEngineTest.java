package io.ucache.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.CachedValue;
import io.ucache.EngineUnavailableException;
import io.ucache.FailMode;
import io.ucache.context.EngineManager;
import io.ucache.testkit.FakeTicker;
import io.ucache.testkit.LogCapture;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The sqlite engine's own rules: sharing a folder, damage, locks, and which folders it takes. */
class SqliteEngineTest {

  @RegisterExtension
  final LogCapture logs = LogCapture.of("io.ucache.sqlite");

  @TempDir
  Path baseDir;

  private CacheEngine open(String folder, UnaryOperator<CacheConfig.Builder> customize) {
    return EngineManager.getDefault().create(customize.apply(CacheConfig.builder()
        .engine("sqlite").set(SqliteSettings.BASE_DIR, baseDir)
        .set(SqliteSettings.FOLDER, folder).stats(true)).build());
  }

  private CacheEngine open(String folder) {
    return open(folder, config -> config);
  }

  @Test
  void twoEnginesOnOneFolder_shareEntries_andBothStayUsable() {
    try (CacheEngine first = open("shared"); CacheEngine second = open("shared")) {
      Cache<String, String> one = first.cache("users", String.class, String.class);
      Cache<String, String> two = second.cache("users", String.class, String.class);
      one.put("alice", "1");
      assertThat(two.get("alice")).isEqualTo("1");
      two.put("alice", "2");
      assertThat(one.get("alice")).isEqualTo("2");
      two.evict("alice");
      assertThat(one.get("alice")).isNull();
      assertThat(one.putIfAbsent("bob", "b1")).isNull();
      assertThat(two.putIfAbsent("bob", "b2")).isEqualTo(new CachedValue<>("b1"));
    }
  }

  @Test
  void entriesSurviveAClose_otherCachesAndTypesStayApart() {
    try (CacheEngine engine = open("kept")) {
      engine.cache("a", String.class, String.class).put("k", "in a");
      engine.cache("n", Integer.class, String.class).put(1, "one");
      engine.cache("s", String.class, String.class).put("1", "text one");
    }
    try (CacheEngine engine = open("kept")) {
      assertThat(engine.cache("a", String.class, String.class).get("k")).isEqualTo("in a");
      assertThat(engine.cache("b", String.class, String.class).get("k")).isNull();
      assertThat(engine.cache("n", Integer.class, String.class).get(1)).isEqualTo("one");
      assertThat(engine.cache("s", String.class, String.class).get("1")).isEqualTo("text one");
      assertThat(engine.cache("n", Integer.class, String.class).keys().toList())
          .containsExactly(1);
    }
  }

  @Test
  void damagedValueBytes_countedMiss_neverAWrongValue() throws Exception {
    try (CacheEngine engine = open("bytes")) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      cache.put("k", "value");
      try (Connection connection = cache.unwrap(DataSource.class).getConnection();
          Statement statement = connection.createStatement()) {
        // One byte of the payload changed: the checksum no longer matches.
        statement.executeUpdate("UPDATE entries SET value = "
            + "substr(value, 1, length(value) - 6) || x'00' || substr(value, length(value) - 4)");
      }
      assertThat(cache.get("k")).isNull();
      assertThat(cache.stats().errorCount()).isEqualTo(1);
      cache.put("k", "again");
      assertThat(cache.get("k")).isEqualTo("again");
    }
  }

  @Test
  void damagedDatabaseFile_movedAsideWithOneWarning_engineStartsEmpty() throws Exception {
    try (CacheEngine engine = open("damaged")) {
      engine.cache("c", String.class, String.class).put("k", "v");
    }
    Path file = baseDir.resolve("damaged").resolve(SqliteDatabase.FILE);
    try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
      raw.seek(0);
      raw.write("this is no longer a SQLite file".getBytes());
    }
    try (CacheEngine engine = open("damaged")) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      assertThat(cache.get("k")).isNull();
      cache.put("k", "new");
      assertThat(cache.get("k")).isEqualTo("new");
    }
    assertThat(logs.warnings()).hasSize(1);
    assertThat(logs.warnings().get(0).getMessage()).contains("damaged", "moved it aside");
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.startsWith(SqliteDatabase.FILE + ".damaged-"));
    }
  }

  @Test
  void damagedDatabaseFileInUse_notMovedUnderTheEngineUsingIt_movedOnceItCloses()
      throws Exception {
    Path file = baseDir.resolve("in-use").resolve(SqliteDatabase.FILE);
    try (CacheEngine holder = open("in-use")) {
      holder.cache("c", String.class, String.class).put("k", "v");
      try (RandomAccessFile raw = new RandomAccessFile(file.toFile(), "rw")) {
        raw.seek(0);
        raw.write("this is no longer a SQLite file".getBytes());
      }
      assertThatThrownBy(() -> open("in-use"))
          .isInstanceOf(EngineUnavailableException.class)
          .hasMessageContaining("damaged").hasMessageContaining("have it open");
      assertThat(file).exists();
    }
    try (CacheEngine engine = open("in-use")) {
      assertThat(engine.cache("c", String.class, String.class).get("k")).isNull();
    }
    assertThat(logs.warnings()).singleElement().satisfies(
        warning -> assertThat(warning.getMessage()).contains("moved it aside"));
  }

  @Test
  void databaseLockedPastTimeout_failsNamingTheLock_orIsACountedFailureWhenOpen()
      throws Exception {
    try (CacheEngine closed = open("locked", config -> config.timeout(Duration.ofMillis(200)));
        CacheEngine open = open("locked", config -> config.timeout(Duration.ofMillis(200))
            .failMode(FailMode.OPEN))) {
      Cache<String, String> strict = closed.cache("c", String.class, String.class);
      Cache<String, String> lenient = open.cache("c", String.class, String.class);
      strict.put("k", "before");
      try (Connection holder = strict.unwrap(DataSource.class).getConnection();
          Statement statement = holder.createStatement()) {
        statement.execute("BEGIN IMMEDIATE"); // another writer holds the database
        assertThatThrownBy(() -> strict.put("k", "during"))
            .isInstanceOf(EngineUnavailableException.class)
            .hasMessageContaining("locked").hasMessageContaining("timeout");
        lenient.put("k", "during");
        assertThat(lenient.stats().errorCount()).isEqualTo(1);
        // Readers do not wait for the writer (write-ahead log).
        assertThat(lenient.get("k")).isEqualTo("before");
        statement.execute("ROLLBACK");
      }
      strict.put("k", "after");
      assertThat(lenient.get("k")).isEqualTo("after");
    }
  }

  @Test
  void folderWithOtherFiles_refusedNamingAFile() throws Exception {
    Path folder = Files.createDirectories(baseDir.resolve("documents"));
    Files.writeString(folder.resolve("notes.txt"), "mine");
    assertThatThrownBy(() -> open("documents"))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining(folder.toRealPath().toString()).hasMessageContaining("notes.txt");
    assertThat(Files.readString(folder.resolve("notes.txt"))).isEqualTo("mine");
  }

  @Test
  void anotherProgramsSqliteDatabase_refused_leftAsItWas() throws Exception {
    Path folder = Files.createDirectories(baseDir.resolve("theirs"));
    String url = "jdbc:sqlite:" + folder.resolve(SqliteDatabase.FILE);
    try (Connection connection = java.sql.DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE orders (id INTEGER)");
    }
    assertThatThrownBy(() -> open("theirs"))
        .isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("not UCache's");
    try (Connection connection = java.sql.DriverManager.getConnection(url);
        Statement statement = connection.createStatement()) {
      assertThat(statement.executeQuery("SELECT count(*) FROM orders").getInt(1)).isZero();
    }
  }

  @Test
  void maxSize_removesTheLeastRecentlyUsed() {
    try (CacheEngine unbounded = open("bounded");
        CacheEngine engine = open("bounded", config -> config.maxSize(3))) {
      Cache<String, String> other = unbounded.cache("c", String.class, String.class);
      Cache<String, String> bounded = engine.cache("lru", String.class, String.class);
      bounded.put("a", "1");
      bounded.put("b", "2");
      bounded.put("c", "3");
      assertThat(bounded.get("a")).isEqualTo("1"); // a is used again: b is now the oldest
      bounded.put("d", "4");
      assertThat(bounded.keys().sorted().toList()).containsExactly("a", "c", "d");
      assertThat(bounded.stats().evictionCount()).isEqualTo(1);
      assertThat(other.get("a")).as("another cache of the folder").isNull();
    }
  }

  @Test
  void diskSize_keepsKeysAndValuesWithinIt_sizesMatchTheRows() throws Exception {
    try (CacheEngine engine = open("disk-size", config -> config.set(SqliteSettings.DISK_SIZE,
        2048L))) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      for (int i = 0; i < 100; i++) {
        cache.put("key-" + i, "v".repeat(100));
      }
      cache.put("key-1", "short"); // an update changes the bytes
      cache.evict("key-99");
      try (Connection connection = cache.unwrap(DataSource.class).getConnection();
          Statement statement = connection.createStatement()) {
        var kept = statement.executeQuery("SELECT count(*), "
            + "sum(length(CAST(key AS BLOB)) + length(value)) FROM entries WHERE cache = 'c'");
        long rows = kept.getLong(1);
        long bytes = kept.getLong(2);
        var counted = statement.executeQuery("SELECT entries, bytes FROM sizes WHERE cache = 'c'");
        assertThat(counted.getLong(1)).isEqualTo(rows);
        assertThat(counted.getLong(2)).isEqualTo(bytes);
        assertThat(bytes).isLessThanOrEqualTo(2048).isGreaterThan(1024);
        // 101 rows written (key-1 evicted early, then written again), one evicted by hand.
        assertThat(cache.stats().evictionCount()).isEqualTo(101 - 1 - rows);
      }
      assertThat(cache.get("key-98")).as("the newest entry is kept").isNotNull();
    }
  }

  @Test
  void periodicSweep_removesExpiredRowsNobodyReads_countedAsEvictions() throws Exception {
    FakeTicker ticker = new FakeTicker();
    try (CacheEngine engine = open("sweep", config -> config.ticker(ticker))) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      for (int i = 0; i < 10; i++) {
        cache.put("short-" + i, "v", Duration.ofSeconds(1));
      }
      cache.put("long", "v", Duration.ofHours(1));
      ticker.advance(Duration.ofSeconds(2));
      ((SqliteEngine) engine).sweepExpired(); // what the engine's thread does every 30 s

      try (Connection connection = cache.unwrap(DataSource.class).getConnection();
          Statement statement = connection.createStatement()) {
        assertThat(statement.executeQuery("SELECT count(*) FROM entries WHERE cache = 'c'")
            .getLong(1)).isEqualTo(1);
      }
      assertThat(cache.stats().evictionCount()).isEqualTo(10);
      assertThat(cache.get("long")).isEqualTo("v");
    }
  }

  @Test
  void diskSize_aReplaceThatGrowsAnEntry_evictsOthers() {
    try (CacheEngine engine = open("replace-grows", config -> config.set(SqliteSettings.DISK_SIZE,
        1024L))) {
      Cache<String, String> cache = engine.cache("c", String.class, String.class);
      for (int i = 0; i < 5; i++) {
        cache.put("key-" + i, "small");
      }
      assertThat(cache.asMap().replace("key-4", "small", "v".repeat(900))).isTrue();
      assertThat(cache.stats().evictionCount()).isPositive();
      assertThat(cache.get("key-4")).hasSize(900);
    }
  }
}
