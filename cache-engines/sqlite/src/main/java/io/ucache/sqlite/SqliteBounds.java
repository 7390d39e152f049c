package io.ucache.sqlite;

import io.ucache.CacheConfig;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * One cache's {@code max-size} and {@code disk-size} (bytes of keys and values), and the
 * statements that keep it within them. The row count and bytes come from the {@code sizes}
 * table, which triggers keep, so a check reads one row. Over a bound, the excess goes in one
 * transaction: expired rows first (the partial index on {@code expires}), then the least
 * recently used (the index on {@code used}). {@code used} is a use's time ({@link #nextUse}),
 * which writes set, and hits too, in batches: a hit notes its key here, and the notes are
 * written when entries are removed, or once {@value #MAX_PENDING_HITS} are pending, so a hit
 * writes nothing to the file for them. Thread-safe.
 */
final class SqliteBounds {

  /** Hits noted at most before a write writes them, whether or not the cache is over a bound. */
  private static final int MAX_PENDING_HITS = 4_096;

  private static final String SIZES = "SELECT entries, bytes FROM sizes WHERE cache = ?";
  private static final String TOUCH_USED = "UPDATE entries SET used = ? "
      + "WHERE cache = ? AND key = ?";
  /** Expired rows; the second bound lets SQLite use the partial index on expires. */
  static final String EVICT_EXPIRED = "DELETE FROM entries WHERE cache = ? AND key IN ("
      + "SELECT key FROM entries WHERE cache = ? AND expires <= ? AND expires < " + Long.MAX_VALUE
      + " LIMIT ?)";
  private static final String EVICT_OLDEST = "DELETE FROM entries WHERE cache = ? AND key IN ("
      + "SELECT key FROM entries WHERE cache = ? AND key <> ? ORDER BY used LIMIT ?)";
  /** The last {@code used} value this process wrote: see {@link #nextUse}. */
  private static final AtomicLong LAST_USE = new AtomicLong();

  private final String cache;
  /** The most entries, or -1 for no limit. */
  private final long maxSize;
  /** The most bytes of keys and values, or -1 for no limit. */
  private final long diskBytes;
  /** Keys hit since their {@code used} was last written. */
  private final Set<String> hitSinceTrim = ConcurrentHashMap.newKeySet();

  SqliteBounds(String cache, CacheConfig config) {
    this.cache = cache;
    this.maxSize = config.maxSize().orElse(-1);
    this.diskBytes = config.get(SqliteSettings.DISK_SIZE)
        .orElse(SqliteEngine.DEFAULT_DISK_BYTES);
  }

  /** Whether the cache has a bound (by default it does: {@code disk-size} 64MB). */
  boolean isBounded() {
    return maxSize >= 0 || diskBytes >= 0;
  }

  /** Notes a hit on {@code key}, whose {@code used} a later trim writes. */
  void hit(String key) {
    if (isBounded()) {
      hitSinceTrim.add(key);
    }
  }

  /** Forgets the noted hits: the cache was cleared. */
  void cleared() {
    hitSinceTrim.clear();
  }

  /** Whether the cache is over a bound, or has many hits to write: then {@link #trim}. */
  boolean needsTrim(SqliteDatabase.Session session) throws SQLException {
    long[] sizes = sizes(session);
    return (maxSize >= 0 && sizes[0] > maxSize) || (diskBytes >= 0 && sizes[1] > diskBytes)
        || hitSinceTrim.size() > MAX_PENDING_HITS;
  }

  /**
   * Within a transaction: writes the noted hits, then removes the rows beyond {@code max-size}
   * and those that take the cache beyond {@code disk-size}, sparing {@code justWritten} (but
   * with {@code max-size} 0). Returns how many rows it removed.
   */
  long trim(SqliteDatabase.Session session, @Nullable String justWritten, long now)
      throws SQLException {
    if (!hitSinceTrim.isEmpty()) {
      PreparedStatement used = session.prepare(TOUCH_USED);
      for (Iterator<String> hits = hitSinceTrim.iterator(); hits.hasNext(); ) {
        used.setLong(1, nextUse(now));
        used.setString(2, cache);
        used.setString(3, hits.next());
        used.addBatch();
        hits.remove();
      }
      used.executeBatch();
    }
    long removed = 0;
    while (true) {
      long[] sizes = sizes(session);
      long entries = sizes[0];
      long bytes = sizes[1];
      long excess = maxSize >= 0 ? entries - maxSize : 0;
      boolean tooBig = diskBytes >= 0 && bytes > diskBytes;
      if (excess <= 0 && !tooBig) {
        return removed;
      }
      // Over disk-size: as many rows as the excess bytes fill at the cache's average row size.
      long averageRow = Math.max(1, bytes / Math.max(1, entries));
      long wanted = Math.max(excess, tooBig ? (bytes - diskBytes + averageRow - 1) / averageRow
          : 0);
      int gone = removeExpired(session, now, wanted);
      if (gone < wanted) {
        PreparedStatement oldest = session.prepare(EVICT_OLDEST);
        oldest.setString(1, cache);
        oldest.setString(2, cache);
        // With max-size 0 nothing is spared: no key is stored as a lone "#" (KeyText).
        oldest.setString(3, justWritten == null || maxSize == 0 ? "#" : justWritten);
        oldest.setLong(4, wanted - gone);
        gone += oldest.executeUpdate();
      }
      removed += gone;
      if (gone == 0) {
        return removed; // only the entry just written is left, larger than disk-size alone
      }
    }
  }

  /** Removes up to {@code limit} rows of the cache that expired by {@code now}. */
  int removeExpired(SqliteDatabase.Session session, long now, long limit) throws SQLException {
    PreparedStatement expired = session.prepare(EVICT_EXPIRED);
    expired.setString(1, cache);
    expired.setString(2, cache);
    expired.setLong(3, now);
    expired.setLong(4, limit);
    return expired.executeUpdate();
  }

  /** The cache's row count and bytes, from the {@code sizes} table. */
  private long[] sizes(SqliteDatabase.Session session) throws SQLException {
    PreparedStatement sizes = session.prepare(SIZES);
    sizes.setString(1, cache);
    try (ResultSet result = sizes.executeQuery()) {
      return result.next() ? new long[] {result.getLong(1), result.getLong(2)} : new long[2];
    }
  }

  /**
   * The {@code used} value of a write or a hit at {@code now}: the time in thousandths of a
   * millisecond ({@code now * 1000}), or one past this process's last value if that is later, so
   * uses in one process are strictly ordered and uses in different processes by their time.
   */
  static long nextUse(long now) {
    long atTime = now * 1000;
    return LAST_USE.updateAndGet(last -> Math.max(atTime, last + 1));
  }
}
