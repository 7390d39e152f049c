package io.ucache.sqlite;

import io.ucache.CacheConfig;
import io.ucache.CacheSerializationException;
import io.ucache.EngineUnavailableException;
import io.ucache.ValueCodec;
import io.ucache.ValueType;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.StoredValueFormat;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One named cache of the sqlite engine: the storage primitives of {@link AbstractCache} as SQL
 * on the shared {@code entries} table, rows {@code (cache, key, value, deadline, expires, used)}.
 * Values are in UCache's stored-value format (codec, types and a CRC32C checked at every read),
 * so foreign or damaged bytes are a counted miss. Each primitive's change is one statement, or
 * one {@code BEGIN IMMEDIATE} transaction where it needs two, so it is atomic against every
 * other process writing the same folder; the bounds are checked after it (below).
 *
 * <p><b>Expiry.</b> {@code deadline} is when the entry must be gone (its ttl; never is
 * {@link Long#MAX_VALUE}), {@code expires} when it goes: the deadline, or sooner with
 * {@code expire-after-access}, which each hit moves on. Reads skip expired rows; writes remove up
 * to {@value #SWEEP} expired rows of the cache every {@value #SWEEP} writes, and the engine's
 * sweep as many every {@link SqliteEngine#SWEEP_EVERY}.
 *
 * <p><b>max-size and disk-size.</b> After each write the cache reads its row count and bytes
 * and, when either is over its bound, removes the excess in one transaction ({@link SqliteBounds}).
 *
 * <p>What blocks: every call runs its SQL on the calling thread. A hit is one indexed read,
 * served from SQLite's page cache or the operating system's; with {@code expire-after-access} it
 * also writes the entry's new idle deadline, which waits its turn among the writers.
 */
final class SqliteCache<K, V> extends AbstractCache<K, V, byte[]> {

  /** Rows a bulk statement names at most, under SQLite's limit on parameters. */
  private static final int CHUNK = 500;
  /** Expired rows removed at most per sweep, and writes between sweeps. */
  private static final int SWEEP = 256;
  /** Rows fetched per step of {@link #scan()}. */
  private static final int PAGE = 256;
  /** {@code deadline} and {@code expires} of an entry that never expires. */
  private static final long NEVER = Long.MAX_VALUE;

  private static final String READ = "SELECT value FROM entries "
      + "WHERE cache = ? AND key = ? AND expires > ?";
  private static final String TOUCH_IDLE = "UPDATE entries SET expires = min(deadline, ?) "
      + "WHERE cache = ? AND key = ?";
  private static final String UPSERT = "INSERT INTO entries "
      + "(cache, key, value, deadline, expires, used) VALUES (?, ?, ?, ?, ?, ?) "
      + "ON CONFLICT (cache, key) DO UPDATE SET value = excluded.value, "
      + "deadline = excluded.deadline, expires = excluded.expires, used = excluded.used";
  /** {@link #UPSERT} that replaces only an expired row. */
  private static final String INSERT_IF_ABSENT = UPSERT + " WHERE entries.expires <= ?";
  private static final String REPLACE = "UPDATE entries SET value = ?, deadline = ?, "
      + "expires = ?, used = ? WHERE cache = ? AND key = ? AND value = ? AND expires > ?";
  private static final String REMOVE = "DELETE FROM entries WHERE cache = ? AND key = ?";
  private static final String REMOVE_IF_SAME = REMOVE + " AND value = ?";
  private static final String REMOVE_ALL = "DELETE FROM entries WHERE cache = ?";
  private static final String FIRST_PAGE = "SELECT key FROM entries "
      + "WHERE cache = ? AND key >= ? AND expires > ? ORDER BY key LIMIT " + PAGE;
  private static final String NEXT_PAGE = "SELECT key FROM entries "
      + "WHERE cache = ? AND key > ? AND expires > ? ORDER BY key LIMIT " + PAGE;
  private final SqliteKeys<K> keys;
  private final ValueCodec<V> codec;
  private final StoredValueFormat format;
  private final SqliteDatabase database;
  private final long idleMillis;
  private final SqliteBounds bounds;
  private final long maxValueBytes;
  private final AtomicLong writes = new AtomicLong();

  SqliteCache(String name, CacheConfig config, Class<K> keyType, ValueType<V> valueType,
      SqliteKeys<K> keys, ValueCodec<V> codec, SqliteDatabase database) {
    super(SqliteEngineProvider.NAME, name, config, keyType, valueType);
    this.keys = keys;
    this.codec = codec;
    this.format = StoredValueFormat.framed(codec.id(), keyType, valueType, config.codecVersion());
    this.database = database;
    this.idleMillis = config.expireAfterAccess().map(Duration::toMillis).orElse(0L);
    this.bounds = new SqliteBounds(name, config);
    this.maxValueBytes = config.maxValueBytes();
  }

  // --- storage primitives

  @Override
  protected byte @Nullable [] read(K key) {
    String text = keys.encode(key);
    long now = clockMillis();
    return database.call("read an entry", session -> {
      byte[] found = readRow(session, text, now);
      if (found != null) {
        hit(session, text, now);
      }
      return found;
    });
  }

  /** The value of the live row of {@code text}, or null. */
  private byte @Nullable [] readRow(SqliteDatabase.Session session, String text, long now)
      throws SQLException {
    PreparedStatement read = session.prepare(READ);
    read.setString(1, name());
    read.setString(2, text);
    read.setLong(3, now);
    try (ResultSet row = read.executeQuery()) {
      return row.next() ? row.getBytes(1) : null;
    }
  }

  @Override
  protected Map<K, byte[]> readAll(List<K> asked) {
    Map<String, K> byText = new LinkedHashMap<>();
    asked.forEach(key -> byText.put(keys.encode(key), key));
    List<String> texts = new ArrayList<>(byText.keySet());
    long now = clockMillis();
    Map<K, byte[]> found = new LinkedHashMap<>();
    database.call("read entries", session -> {
      for (int from = 0; from < texts.size(); from += CHUNK) {
        List<String> chunk = texts.subList(from, Math.min(texts.size(), from + CHUNK));
        try (PreparedStatement read = session.connection().prepareStatement("SELECT key, value "
            // +expires: the primary key, not the index on expires, finds the rows.
            + "FROM entries WHERE cache = ? AND +expires > ? AND key IN ("
            + "?,".repeat(chunk.size() - 1) + "?)")) {
          read.setString(1, name());
          read.setLong(2, now);
          for (int i = 0; i < chunk.size(); i++) {
            read.setString(3 + i, chunk.get(i));
          }
          List<String> hits = new ArrayList<>();
          try (ResultSet rows = read.executeQuery()) {
            while (rows.next()) {
              String text = rows.getString(1);
              found.put(byText.get(text), rows.getBytes(2));
              hits.add(text);
            }
          }
          // After the rows are read: a write (the idle deadline) inside the query's read
          // snapshot fails at once when another connection wrote meanwhile.
          for (String text : hits) {
            hit(session, text, now);
          }
        }
      }
      return null;
    });
    return found;
  }

  /** Notes a hit: moves an idle deadline on, and marks the key used for {@code max-size}. */
  private void hit(SqliteDatabase.Session session, String text, long now) throws SQLException {
    if (idleMillis > 0) {
      PreparedStatement touch = session.prepare(TOUCH_IDLE);
      touch.setLong(1, saturatedAdd(now, idleMillis));
      touch.setString(2, name());
      touch.setString(3, text);
      touch.executeUpdate();
    }
    bounds.hit(text);
  }

  @Override
  protected void write(K key, byte[] stored, @Nullable Duration ttl) {
    String text = keys.encode(key);
    long now = clockMillis();
    database.call("write an entry", session -> upsert(session.prepare(UPSERT), text, stored, now)
        .executeUpdate());
    afterWrites(1, text, now);
  }

  @Override
  protected void writeAll(Map<K, byte[]> entries) {
    Map<String, byte[]> byText = new LinkedHashMap<>();
    entries.forEach((key, stored) -> byText.put(keys.encode(key), stored));
    long now = clockMillis();
    countEvictions(database.transaction("write entries", session -> {
      PreparedStatement upsert = session.prepare(UPSERT);
      for (Map.Entry<String, byte[]> entry : byText.entrySet()) {
        upsert(upsert, entry.getKey(), entry.getValue(), now).addBatch();
      }
      upsert.executeBatch();
      return bounds.isBounded() ? bounds.trim(session, null, now) : 0L;
    }));
    afterWrites(byText.size(), null, now);
  }

  @Override
  protected byte @Nullable [] writeIfAbsent(K key, byte[] stored) {
    String text = keys.encode(key);
    long now = clockMillis();
    byte[] present = database.transaction("write an entry if absent", session -> {
      PreparedStatement insert = upsert(session.prepare(INSERT_IF_ABSENT), text, stored, now);
      insert.setLong(7, now);
      return insert.executeUpdate() > 0 ? null : readRow(session, text, now);
    });
    if (present == null) {
      afterWrites(1, text, now);
    }
    return present;
  }

  @Override
  protected boolean replace(K key, byte[] expected, byte[] replacement) {
    String text = keys.encode(key);
    long now = clockMillis();
    long deadline = deadlineOf(replacement);
    boolean replaced = database.call("replace an entry", session -> {
      PreparedStatement replace = session.prepare(REPLACE);
      replace.setBytes(1, replacement);
      replace.setLong(2, deadline);
      replace.setLong(3, expiresAt(deadline, now));
      replace.setLong(4, SqliteBounds.nextUse(now));
      replace.setString(5, name());
      replace.setString(6, text);
      replace.setBytes(7, expected);
      replace.setLong(8, now);
      return replace.executeUpdate() > 0;
    });
    if (replaced) {
      afterWrites(1, text, now);
    }
    return replaced;
  }

  @Override
  protected void remove(K key) {
    String text = keys.encode(key);
    database.call("remove an entry", session -> {
      PreparedStatement remove = session.prepare(REMOVE);
      remove.setString(1, name());
      remove.setString(2, text);
      return remove.executeUpdate();
    });
  }

  @Override
  protected void removeAll(Collection<K> all) {
    List<String> texts = all.stream().map(keys::encode).toList();
    database.transaction("remove entries", session -> {
      PreparedStatement remove = session.prepare(REMOVE);
      for (String text : texts) {
        remove.setString(1, name());
        remove.setString(2, text);
        remove.addBatch();
      }
      remove.executeBatch();
      return null;
    });
  }

  @Override
  protected boolean removeIfSame(K key, byte[] expected) {
    String text = keys.encode(key);
    return database.call("remove an entry", session -> {
      PreparedStatement remove = session.prepare(REMOVE_IF_SAME);
      remove.setString(1, name());
      remove.setString(2, text);
      remove.setBytes(3, expected);
      return remove.executeUpdate() > 0;
    });
  }

  /**
   * The keys in key order, {@value #PAGE} rows per query, each query on its own: no cursor or
   * transaction stays open between steps, so a stream left unclosed holds nothing, and keys
   * written or removed meanwhile may or may not be listed.
   */
  @Override
  protected Iterator<K> scan() {
    return new Iterator<>() {
      private final List<K> page = new ArrayList<>();
      private int next;
      private @Nullable String last;
      private boolean done;

      @Override
      public boolean hasNext() {
        while (next == page.size() && !done) {
          fetch();
        }
        return next < page.size();
      }

      @Override
      public K next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return page.get(next++);
      }

      private void fetch() {
        page.clear();
        next = 0;
        long now = clockMillis();
        List<String> texts = database.call("list keys", session -> {
          PreparedStatement list = session.prepare(last == null ? FIRST_PAGE : NEXT_PAGE);
          list.setString(1, name());
          list.setString(2, last == null ? "" : last);
          list.setLong(3, now);
          List<String> rows = new ArrayList<>(PAGE);
          try (ResultSet result = list.executeQuery()) {
            while (result.next()) {
              rows.add(result.getString(1));
            }
          }
          return rows;
        });
        done = texts.size() < PAGE;
        if (!texts.isEmpty()) {
          last = texts.get(texts.size() - 1);
        }
        for (String text : texts) {
          K key = keys.decode(text);
          if (key != null) { // another type's key, or another program's row
            page.add(key);
          }
        }
      }
    };
  }

  @Override
  protected void removeEverything() {
    database.call("clear the cache", session -> {
      PreparedStatement clear = session.prepare(REMOVE_ALL);
      clear.setString(1, name());
      return clear.executeUpdate();
    });
    bounds.cleared();
  }

  @Override
  protected byte[] encode(K key, @Nullable V value, @Nullable Duration ttl) {
    byte[] body = value == null ? null : encodeValue(key, value);
    long now = writeClockMillis();
    // The deadline travels in the bytes, so every write primitive (writeIfAbsent, replace) sets
    // the row's expiry from what it stores, whatever ttl it was written with.
    return format.encode(body, keepsTimes() ? now : StoredValueFormat.NO_TIME,
        deadlineAfter(now, ttl), null);
  }

  private byte[] encodeValue(K key, V value) {
    byte[] body;
    try {
      body = codec.encode(value);
    } catch (CacheSerializationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new CacheSerializationException("Cannot encode a " + value.getClass().getName()
          + " for cache '" + name() + "': " + e, e);
    }
    if (body.length > maxValueBytes) {
      throw new CacheSerializationException("Cache '" + name() + "': the value for key '" + key
          + "' is " + body.length + " bytes encoded, more than max-value-bytes ("
          + maxValueBytes + " bytes); nothing was written");
    }
    return body;
  }

  /**
   * With a near cache, a value carries its deadline: the change log reports writes, not
   * expiries, so a copy read from an entry close to its end checks that end at each hit.
   */
  @Override
  protected @Nullable Object decode(K key, byte[] stored) {
    return decodeStored(format, codec, stored, hasNearCache());
  }

  /** {@link SqliteDatabase#unwrap}: a {@link javax.sql.DataSource} of the folder's database. */
  @Override
  public <T> T unwrap(Class<T> type) {
    checkOpen();
    return database.unwrap(type, "Cache '" + name() + "' of the sqlite engine");
  }

  // --- helpers

  /** Sets {@link #UPSERT}'s six parameters for a row of {@code stored} written at {@code now}. */
  private PreparedStatement upsert(PreparedStatement upsert, String text, byte[] stored, long now)
      throws SQLException {
    long deadline = deadlineOf(stored);
    upsert.setString(1, name());
    upsert.setString(2, text);
    upsert.setBytes(3, stored);
    upsert.setLong(4, deadline);
    upsert.setLong(5, expiresAt(deadline, now));
    upsert.setLong(6, SqliteBounds.nextUse(now));
    return upsert;
  }

  private static long deadlineOf(byte[] stored) {
    long deadline = StoredValueFormat.deadlineOf(stored);
    return deadline == StoredValueFormat.NO_TIME ? NEVER : deadline;
  }

  private long expiresAt(long deadline, long now) {
    return idleMillis > 0 ? Math.min(deadline, saturatedAdd(now, idleMillis)) : deadline;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return ((a ^ sum) & (b ^ sum)) < 0 ? NEVER : sum;
  }

  /**
   * After {@code count} rows were written: when one key was ({@code justWritten}, spared),
   * removes what is over the bounds, if anything is (one read of the {@code sizes} row, and a
   * transaction only then; a bulk write trims in its own transaction); and every {@value #SWEEP}
   * writes, expired rows.
   */
  private void afterWrites(int count, @Nullable String justWritten, long now) {
    try {
      if (justWritten != null && bounds.isBounded()
          && database.call("read the cache's size", bounds::needsTrim)) {
        countEvictions(database.transaction("remove entries over the cache's bounds",
            session -> bounds.trim(session, justWritten, now)));
      }
      long total = writes.addAndGet(count);
      if (total / SWEEP != (total - count) / SWEEP) {
        removeExpired(now);
      }
    } catch (EngineUnavailableException e) {
      // The write itself committed: it must not be reported as failed. The bounds are checked
      // again at the next write, and expired rows go at the next sweep.
      countError();
    }
  }

  /**
   * Removes up to {@value #SWEEP} expired rows of this cache, counted as evictions: after every
   * {@value #SWEEP} writes, and from the engine's periodic sweep ({@link SqliteEngine}).
   */
  void removeExpired(long now) {
    countEvictions(database.call("remove expired entries",
        session -> (long) bounds.removeExpired(session, now, SWEEP)));
  }

  /** {@link #removeExpired} at this cache's time, unless the cache is closed. */
  void sweep() {
    if (!isClosed()) {
      removeExpired(clockMillis());
    }
  }
}
