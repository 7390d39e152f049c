package io.ucache.sqlite;

import io.ucache.spi.NearFeedRelay;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Tells near caches which keys changed, in any process, by following the database's
 * {@code changes} log: triggers number every insert, update and delete of an entry, in the
 * change's own transaction, and keep the latest {@value #KEPT}. One daemon thread per engine
 * reads the rows past the last one it saw every {@link #POLL} on a connection of its own, so a
 * change committed by another process reaches this process's near copies within about one poll.
 *
 * <p>Nothing is missed unnoticed: numbers follow one another without holes (each is one past the
 * newest, which is never deleted, and a rolled-back change takes its number back with it), so a
 * hole means the log was trimmed past what this feed read (it fell {@value #KEPT} changes
 * behind), and every near copy goes. When
 * the log cannot be read (the database locked past the timeout, damaged, gone) the feed is lost:
 * near caches drop their copies and read the database until a read of the log succeeds again.
 *
 * <p>Thread-safe; {@link #close()} ends the thread and waits for it.
 */
final class SqliteChangeFeed implements AutoCloseable {

  /** Changes the log keeps: a feed further behind than this flushes every near copy. */
  static final int KEPT = 10_000;
  /** How often the log is read. */
  static final Duration POLL = Duration.ofMillis(10);
  /** How long after a failed read the next one is tried. */
  private static final Duration RETRY = Duration.ofMillis(500);
  /** Rows read per query; a full batch is followed at once by the next. */
  private static final int BATCH = 1_000;

  private static final String LAST = "SELECT coalesce(max(seq), 0) FROM changes";
  private static final String SINCE = "SELECT seq, cache, key FROM changes WHERE seq > ? "
      + "ORDER BY seq LIMIT " + BATCH;

  /** One change the log reports: a key of a cache. */
  record Change(String cache, String keyText) {}

  private final SqliteDatabase database;
  private final NearFeedRelay<SqliteEngine, Change> listener;
  private final Thread thread;
  private volatile boolean closed;

  SqliteChangeFeed(SqliteDatabase database, NearFeedRelay<SqliteEngine, Change> listener) {
    this.database = database;
    this.listener = listener;
    this.thread = new Thread(this::run, "ucache-sqlite-changes");
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    SqliteDatabase.@Nullable Session session = null;
    long last = 0;
    boolean reportedDown = false;
    while (!closed) {
      try {
        if (session == null) {
          session = database.openSession();
          logChanges(session);
          last = lastNumber(session);
          listener.restored();
          reportedDown = false;
        }
        int read = 0;
        PreparedStatement since = session.prepare(SINCE);
        since.setLong(1, last);
        try (ResultSet rows = since.executeQuery()) {
          while (rows.next()) {
            long seq = rows.getLong(1);
            if (seq != last + 1) {
              listener.changedAll(); // the log was trimmed past what this feed had read
            }
            last = seq;
            listener.changed(new Change(rows.getString(2), rows.getString(3)));
            read++;
          }
        }
        if (read < BATCH) {
          LockSupport.parkNanos(this, POLL.toNanos());
        }
      } catch (SQLException | RuntimeException e) {
        if (!reportedDown) { // also when the first start fails: health shows it
          listener.lost("the change log of " + database.file() + " cannot be read: "
              + database.failure("read the change log", asSql(e)).getMessage());
          reportedDown = true;
        }
        if (session != null) {
          session.close();
          session = null;
        }
        LockSupport.parkNanos(this, RETRY.toNanos());
      }
    }
    if (session != null) {
      session.close();
    }
  }

  private static SQLException asSql(Exception e) {
    return e instanceof SQLException sql ? sql : new SQLException(e.toString(), e);
  }

  /** Creates the change log's triggers if no near cache on the folder has yet. */
  private static void logChanges(SqliteDatabase.Session session) throws SQLException {
    session.inTransaction(logging -> {
      for (String trigger : SqliteSchema.CHANGE_LOG) {
        logging.execute(trigger);
      }
      return null;
    });
  }

  private static long lastNumber(SqliteDatabase.Session session) throws SQLException {
    try (ResultSet row = session.prepare(LAST).executeQuery()) {
      return row.next() ? row.getLong(1) : 0;
    }
  }

  /** Ends the thread and closes its connection; waits up to a second for it. */
  @Override
  public void close() {
    closed = true;
    LockSupport.unpark(thread);
    try {
      thread.join(TimeUnit.SECONDS.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
