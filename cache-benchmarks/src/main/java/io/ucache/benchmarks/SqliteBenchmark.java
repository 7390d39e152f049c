package io.ucache.benchmarks;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.ehcache.EhcacheSettings;
import io.ucache.sqlite.SqliteSettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.sqlite.SQLiteConfig;

/**
 * Issue 17: the sqlite engine against raw sqlite-jdbc running the engine's own statements on a
 * database the engine made (WAL, {@code synchronous=NORMAL}, its tables, indexes and triggers),
 * one connection, values stored as UTF-8; {@code plain_*}: the same writes on a bare table with
 * no index or trigger beyond its primary key (what the engine's size and change bookkeeping
 * costs); and the ehcache engine side by side. Single get hit, put, {@code getAll} of 100 keys
 * and {@code putAll} of 100 entries, over {@value #KEYS} keys of 80-byte values.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class SqliteBenchmark {

  static final int KEYS = 1 << 12;
  static final int BULK = 100;
  private static final String CACHE = "bench";

  // The engine's statements (SqliteCache), for the raw baseline.
  private static final String READ = "SELECT value FROM entries "
      + "WHERE cache = ? AND key = ? AND expires > ?";
  private static final String UPSERT = "INSERT INTO entries "
      + "(cache, key, value, deadline, expires, used) VALUES (?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT (cache, key) DO UPDATE SET value = excluded.value, "
      + "deadline = excluded.deadline, expires = excluded.expires, used = excluded.used";
  private static final String PLAIN_SCHEMA = """
      CREATE TABLE entries (cache TEXT NOT NULL, key TEXT NOT NULL, value BLOB NOT NULL,
        deadline INTEGER NOT NULL, expires INTEGER NOT NULL, used INTEGER NOT NULL,
        PRIMARY KEY (cache, key)) WITHOUT ROWID""";
  private static final String PLAIN_UPSERT = "INSERT INTO entries "
      + "(cache, key, value, deadline, expires, used) VALUES (?, ?, ?, ?, ?, 0) "
      + "ON CONFLICT (cache, key) DO UPDATE SET value = excluded.value, "
      + "deadline = excluded.deadline, expires = excluded.expires";

  Path dir;
  CacheEngine sqlite;
  CacheEngine ehcache;
  Cache<String, String> ucache;
  Cache<String, String> disk;
  Connection raw;
  PreparedStatement rawRead;
  PreparedStatement rawUpsert;
  Connection plain;
  PreparedStatement plainUpsert;
  String[] keys;
  String[] values;
  int next;
  long uses;

  @Setup(Level.Trial)
  public void setUp() throws SQLException {
    dir = TempFolder.create("ucache-bench-sqlite");
    sqlite = EngineManager.getDefault().create(CacheConfig.builder().engine("sqlite")
        .set(SqliteSettings.BASE_DIR, dir).set(SqliteSettings.FOLDER, "ucache").build());
    ucache = sqlite.cache(CACHE, String.class, String.class);
    ehcache = EngineManager.getDefault().create(CacheConfig.builder().engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, dir).set(EhcacheSettings.FOLDER, "ehcache").build());
    disk = ehcache.cache(CACHE, String.class, String.class);
    // The raw baseline's database is made by the engine: the same tables, indexes and triggers.
    EngineManager.getDefault().create(CacheConfig.builder().engine("sqlite")
        .set(SqliteSettings.BASE_DIR, dir).set(SqliteSettings.FOLDER, "raw").build()).close();
    SQLiteConfig settings = new SQLiteConfig();
    settings.setJournalMode(SQLiteConfig.JournalMode.WAL);
    settings.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
    raw = settings.createConnection("jdbc:sqlite:" + dir.resolve("raw").resolve("ucache.sqlite"));
    rawRead = raw.prepareStatement(READ);
    rawUpsert = raw.prepareStatement(UPSERT);
    plain = settings.createConnection("jdbc:sqlite:" + dir.resolve("plain.sqlite"));
    try (Statement statement = plain.createStatement()) {
      statement.execute(PLAIN_SCHEMA);
    }
    plainUpsert = plain.prepareStatement(PLAIN_UPSERT);
    keys = new String[KEYS];
    values = new String[KEYS];
    Map<String, String> all = new LinkedHashMap<>();
    for (int i = 0; i < KEYS; i++) {
      keys[i] = "key-" + i;
      values[i] = "value-" + i + "-" + "x".repeat(64);
      all.put(keys[i], values[i]);
    }
    ucache.putAll(all);
    disk.putAll(all);
    rawPutAll(all);
    plainPutAll(all);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws SQLException {
    try {
      raw.close();
      plain.close();
      sqlite.close();
      ehcache.close();
    } finally {
      TempFolder.delete(dir);
    }
  }

  private int nextIndex() {
    int i = next;
    next = (i + 1) & (KEYS - 1);
    return i;
  }

  private List<String> nextKeys() {
    List<String> batch = new ArrayList<>(BULK);
    for (int i = 0; i < BULK; i++) {
      batch.add(keys[nextIndex()]);
    }
    return batch;
  }

  private Map<String, String> nextEntries() {
    Map<String, String> batch = new LinkedHashMap<>();
    for (int i = 0; i < BULK; i++) {
      int k = nextIndex();
      batch.put(keys[k], values[k]);
    }
    return batch;
  }

  // --- get hit

  @Benchmark
  public String ucache_get() {
    return ucache.get(keys[nextIndex()]);
  }

  @Benchmark
  public String raw_get() throws SQLException {
    rawRead.setString(1, CACHE);
    rawRead.setString(2, keys[nextIndex()]);
    rawRead.setLong(3, System.currentTimeMillis());
    try (ResultSet row = rawRead.executeQuery()) {
      return row.next() ? new String(row.getBytes(1), StandardCharsets.UTF_8) : null;
    }
  }

  @Benchmark
  public String ehcache_get() {
    return disk.get(keys[nextIndex()]);
  }

  // --- put

  @Benchmark
  public void ucache_put() {
    int i = nextIndex();
    ucache.put(keys[i], values[i]);
  }

  @Benchmark
  public int raw_put() throws SQLException {
    int i = nextIndex();
    return rawUpsert(keys[i], values[i]).executeUpdate();
  }

  @Benchmark
  public int plain_put() throws SQLException {
    int i = nextIndex();
    return plainUpsert(keys[i], values[i]).executeUpdate();
  }

  @Benchmark
  public void ehcache_put() {
    int i = nextIndex();
    disk.put(keys[i], values[i]);
  }

  // --- getAll(100)

  @Benchmark
  public Map<String, String> ucache_getAll() {
    return ucache.getAll(nextKeys());
  }

  @Benchmark
  public Map<String, String> raw_getAll() throws SQLException {
    List<String> batch = nextKeys();
    Map<String, String> found = new HashMap<>();
    try (PreparedStatement read = raw.prepareStatement("SELECT key, value FROM entries "
        + "WHERE cache = ? AND +expires > ? AND key IN (" + "?,".repeat(batch.size() - 1)
        + "?)")) {
      read.setString(1, CACHE);
      read.setLong(2, System.currentTimeMillis());
      for (int i = 0; i < batch.size(); i++) {
        read.setString(3 + i, batch.get(i));
      }
      try (ResultSet rows = read.executeQuery()) {
        while (rows.next()) {
          found.put(rows.getString(1), new String(rows.getBytes(2), StandardCharsets.UTF_8));
        }
      }
    }
    return found;
  }

  @Benchmark
  public Map<String, String> ehcache_getAll() {
    return disk.getAll(nextKeys());
  }

  // --- putAll(100)

  @Benchmark
  public void ucache_putAll() {
    ucache.putAll(nextEntries());
  }

  @Benchmark
  public void raw_putAll() throws SQLException {
    rawPutAll(nextEntries());
  }

  @Benchmark
  public void plain_putAll() throws SQLException {
    plainPutAll(nextEntries());
  }

  @Benchmark
  public void ehcache_putAll() {
    disk.putAll(nextEntries());
  }

  private void rawPutAll(Map<String, String> entries) throws SQLException {
    try (Statement statement = raw.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      for (Map.Entry<String, String> entry : entries.entrySet()) {
        rawUpsert(entry.getKey(), entry.getValue()).addBatch();
      }
      rawUpsert.executeBatch();
      statement.execute("COMMIT");
    }
  }

  private void plainPutAll(Map<String, String> entries) throws SQLException {
    try (Statement statement = plain.createStatement()) {
      statement.execute("BEGIN IMMEDIATE");
      for (Map.Entry<String, String> entry : entries.entrySet()) {
        plainUpsert(entry.getKey(), entry.getValue()).addBatch();
      }
      plainUpsert.executeBatch();
      statement.execute("COMMIT");
    }
  }

  private PreparedStatement plainUpsert(String key, String value) throws SQLException {
    plainUpsert.setString(1, CACHE);
    plainUpsert.setString(2, key);
    plainUpsert.setBytes(3, value.getBytes(StandardCharsets.UTF_8));
    plainUpsert.setLong(4, Long.MAX_VALUE);
    plainUpsert.setLong(5, Long.MAX_VALUE);
    return plainUpsert;
  }

  private PreparedStatement rawUpsert(String key, String value) throws SQLException {
    rawUpsert.setString(1, CACHE);
    rawUpsert.setString(2, key);
    rawUpsert.setBytes(3, value.getBytes(StandardCharsets.UTF_8));
    rawUpsert.setLong(4, Long.MAX_VALUE);
    rawUpsert.setLong(5, Long.MAX_VALUE);
    rawUpsert.setLong(6, ++uses);
    return rawUpsert;
  }
}
