package io.ucache.sqlite;

import io.ucache.CacheConfigException;
import io.ucache.EngineUnavailableException;
import io.ucache.spi.NearFeedRelay;
import io.ucache.sqlite.SqliteSettings.Synchronous;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * The database of one folder: the file {@value #FILE} in write-ahead-log mode, and the
 * connections this process has open on it. Every cache of every process that opens the folder
 * shares one table, {@code entries}, keyed by cache name and key text.
 *
 * <p>A connection serves one call at a time: a call borrows an idle one (or opens one, up to
 * {@link #MAX_CONNECTIONS}), runs its statements, and gives it back. In WAL mode readers never
 * wait for the writer, and writers, in this process and others, take turns; one that waits
 * longer than {@code timeout} for its turn fails. Every {@link SQLException} leaves as an
 * {@link EngineUnavailableException} that says what went wrong in words (the disk is full, the
 * file is read-only, the database stayed locked, the file is damaged), which the caches count
 * and handle under their {@code fail-mode}.
 *
 * <p>Thread-safe.
 */
final class SqliteDatabase {

  static final System.Logger LOG = System.getLogger("io.ucache.sqlite");
  /** The database file in the folder. */
  static final String FILE = "ucache.sqlite";
  /** The files SQLite keeps beside the database while it is in use. */
  private static final Set<String> COMPANIONS = Set.of(FILE, FILE + "-wal", FILE + "-shm",
      FILE + "-journal", FILE + ".lock");
  /** Connections one engine opens at most: reads run in parallel, writes take turns anyway. */
  static final int MAX_CONNECTIONS = 4;

  /** One open connection and the statements prepared on it. Used by one thread at a time. */
  static final class Session {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    Session(Connection connection) {
      this.connection = connection;
    }

    /** The statement for {@code sql}, prepared once per connection; its parameters cleared. */
    PreparedStatement prepare(String sql) throws SQLException {
      PreparedStatement statement = statements.get(sql);
      if (statement == null) {
        statement = connection.prepareStatement(sql);
        statements.put(sql, statement);
      } else {
        statement.clearParameters();
      }
      return statement;
    }

    /** The connection, for a statement used once (a bulk query of a given size). */
    Connection connection() {
      return connection;
    }

    /**
     * Runs {@code work} in one write transaction on this connection ({@code BEGIN IMMEDIATE}):
     * no other connection, here or in another process, writes until it commits, and a failure
     * rolls it all back.
     */
    <T> T inTransaction(Work<T> work) throws SQLException {
      prepare("BEGIN IMMEDIATE").execute();
      boolean committed = false;
      try {
        T result = work.run(this);
        prepare("COMMIT").execute();
        committed = true;
        return result;
      } finally {
        if (!committed) {
          try {
            prepare("ROLLBACK").execute();
          } catch (SQLException e) {
            // The transaction is already gone (SQLite rolls back on some errors itself).
          }
        }
      }
    }

    void execute(String sql) throws SQLException {
      try (Statement statement = connection.createStatement()) {
        statement.execute(sql);
      }
    }

    void close() {
      try {
        connection.close(); // closes its statements
      } catch (SQLException e) {
        LOG.log(System.Logger.Level.DEBUG, "Closing a SQLite connection failed", e);
      }
    }
  }

  /** Statements run on a borrowed connection. */
  @FunctionalInterface
  interface Work<T> {
    T run(Session session) throws SQLException;
  }

  private final Path folder;
  private final Path file;
  private final SQLiteConfig settings;
  private final Duration timeout;
  private final LinkedBlockingDeque<Session> idle = new LinkedBlockingDeque<>();
  private final List<Session> all = new ArrayList<>();
  private boolean closed;
  private @Nullable SqliteChangeFeed feed;
  private @Nullable Thread sweeper;

  private SqliteDatabase(Path folder, SQLiteConfig settings, Duration timeout) {
    this.folder = folder;
    this.file = folder.resolve(FILE);
    this.settings = settings;
    this.timeout = timeout;
  }

  /**
   * Opens the database of {@code folder} (a resolved folder path), creating the folder and the
   * database if needed. A database file that is damaged, or not a database, is moved aside (as
   * {@code ucache.sqlite.damaged-<time>}) with one warning, and the engine starts empty.
   *
   * @throws CacheConfigException if the folder is a file, the file-system root or the user's
   *     home, or holds files that are not UCache's, or its database is another program's
   * @throws EngineUnavailableException if the database cannot be opened
   */
  static SqliteDatabase open(Path folder, Synchronous synchronous, Duration timeout) {
    Path real = SqliteFolder.prepare(folder);
    SQLiteConfig settings = new SQLiteConfig();
    settings.setJournalMode(SQLiteConfig.JournalMode.WAL);
    settings.setSynchronous(SQLiteConfig.SynchronousMode.valueOf(synchronous.name()));
    settings.setBusyTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    SqliteDatabase database = new SqliteDatabase(real, settings, timeout);
    try {
      SqliteUsers.join(real);
    } catch (IOException e) {
      throw new EngineUnavailableException(SqliteEngineProvider.NAME, "Cannot use the sqlite "
          + "folder " + real + ": its lock file " + SqliteUsers.FILE + " cannot be locked: " + e,
          e);
    }
    try {
      database.prepareSchema();
    } catch (RuntimeException e) {
      SqliteUsers.leave(real);
      throw e;
    }
    return database;
  }

  /** The folder, as its real path. */
  Path folder() {
    return folder;
  }

  /**
   * Starts the change feed for near caches, once; later calls do nothing. It stops when the
   * database closes.
   */
  synchronized void startFeed(NearFeedRelay<SqliteEngine, SqliteChangeFeed.Change> listener) {
    if (feed == null && !closed) {
      feed = new SqliteChangeFeed(this, listener);
      feed.start();
    }
  }

  /**
   * Runs {@code sweep} every {@code every} on a daemon thread of its own until the database
   * closes or {@code sweep} returns false (its owner is gone). A sweep that fails is tried again
   * at the next turn.
   */
  synchronized void startSweeps(Duration every, BooleanSupplier sweep) {
    if (sweeper != null || closed) {
      return;
    }
    sweeper = new Thread(() -> {
      while (!isClosed()) {
        LockSupport.parkNanos(this, every.toNanos());
        try {
          if (isClosed() || !sweep.getAsBoolean()) {
            return;
          }
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.DEBUG, "A sweep of expired entries in " + file
              + " failed; the next one tries again", e);
        }
      }
    }, "ucache-sqlite-sweep");
    sweeper.setDaemon(true);
    sweeper.start();
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  /** A new connection of its own, for the change feed; the caller closes it. */
  Session openSession() throws SQLException {
    return new Session(settings.createConnection("jdbc:sqlite:" + file));
  }

  /** The database file, for messages. */
  Path file() {
    return file;
  }

  /** Runs {@code work} on a connection of this process; {@code what} names it in a failure. */
  <T> T call(String what, Work<T> work) {
    Session session = borrow(what);
    try {
      return work.run(session);
    } catch (SQLException e) {
      throw failure(what, e);
    } finally {
      idle.offerFirst(session);
    }
  }

  /** {@link Session#inTransaction} on a connection of this process. */
  <T> T transaction(String what, Work<T> work) {
    return call(what, session -> session.inTransaction(work));
  }

  private Session borrow(String what) {
    Session session = idle.pollFirst();
    if (session != null) {
      return session;
    }
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("The sqlite engine of folder " + folder + " is closed");
      }
      if (all.size() < MAX_CONNECTIONS) {
        try {
          session = openSession();
        } catch (SQLException e) {
          throw failure(what, e);
        }
        all.add(session);
        return session;
      }
    }
    try {
      session = idle.pollFirst(timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      session = null;
    }
    if (session == null) {
      throw new EngineUnavailableException(SqliteEngineProvider.NAME, "SQLite database " + file
          + ": cannot " + what + ": all " + MAX_CONNECTIONS + " connections of this engine "
          + "stayed busy for longer than timeout (" + timeout + ")");
    }
    return session;
  }

  /**
   * A {@link javax.sql.DataSource} of this database, for inspection (the table {@code entries},
   * one row per entry); what it writes bypasses the caches' checks.
   *
   * @throws IllegalArgumentException naming {@code owner} for any other type
   */
  <T> T unwrap(Class<T> type, String owner) {
    if (type.isAssignableFrom(SQLiteDataSource.class)) {
      SQLiteDataSource source = new SQLiteDataSource(settings);
      source.setUrl("jdbc:sqlite:" + file);
      return type.cast(source);
    }
    throw new IllegalArgumentException(owner + " has no " + type.getName() + "; it has a "
        + javax.sql.DataSource.class.getName() + " of the database " + file);
  }

  /** Closes every connection, waiting for those in use; idempotent. */
  void close() {
    List<Session> sessions;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      sessions = List.copyOf(all);
      if (feed != null) {
        feed.close();
      }
    }
    Thread sweeping = sweeper;
    if (sweeping != null && sweeping != Thread.currentThread()) {
      LockSupport.unpark(sweeping);
      try {
        sweeping.join(TimeUnit.SECONDS.toMillis(1));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    for (int returned = 0; returned < sessions.size(); returned++) {
      try {
        Session session = idle.pollFirst(timeout.toNanos() * 2, TimeUnit.NANOSECONDS);
        if (session == null) {
          break; // a call still holds one: its connection is closed below all the same
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    sessions.forEach(Session::close);
    SqliteUsers.leave(folder);
  }

  /** The failure of {@code what}, in words an operator can act on. */
  EngineUnavailableException failure(String what, SQLException e) {
    int code = e.getErrorCode() & 0xFF;
    String why = switch (code) {
      case 5, 6 -> "the database stayed locked by another connection or process for longer "
          + "than timeout (" + timeout + ")";
      case 8 -> "the database file or its folder is read-only";
      case 11, 26 -> "the database file is damaged (it is moved aside when the engine next opens "
          + "the folder)";
      case 13 -> "the disk is full";
      default -> String.valueOf(e.getMessage());
    };
    return new EngineUnavailableException(SqliteEngineProvider.NAME, "SQLite database " + file
        + ": cannot " + what + ": " + why, e);
  }

  /** Creates the table on a new database; moves a damaged or foreign-format file aside. */
  private void prepareSchema() {
    try {
      checkOrCreate();
    } catch (SQLException e) {
      int code = e.getErrorCode() & 0xFF;
      if (code != 11 && code != 26) {
        throw failure("open the database", e);
      }
      // Moved aside only if no other engine, here or in another process, has it open: they
      // would go on with the old file while new connections open a new one.
      SqliteUsers.leave(folder);
      boolean moved;
      try {
        moved = SqliteUsers.alone(folder, () -> moveAside(e.getMessage()));
        SqliteUsers.join(folder);
      } catch (IOException io) {
        throw new EngineUnavailableException(SqliteEngineProvider.NAME, "The SQLite database "
            + file + " is damaged (" + e.getMessage() + ") and its lock file cannot be "
            + "locked: " + io, io);
      }
      if (!moved) {
        throw new EngineUnavailableException(SqliteEngineProvider.NAME, "The SQLite database "
            + file + " is damaged (" + e.getMessage() + "), and other engines or processes "
            + "have it open: close them, and the next open moves it aside and starts empty", e);
      }
      try {
        checkOrCreate();
      } catch (SQLException again) {
        throw failure("open the database", again);
      }
    }
  }

  /** Checks the database on a connection of its own, and creates its tables if it is new. */
  private void checkOrCreate() throws SQLException {
    Session session = openSession();
    try {
      SqliteSchema.checkOrCreate(session, folder, file);
    } finally {
      session.close();
    }
  }

  /** Moves the damaged database aside, with one warning. */
  private void moveAside(@Nullable String why) {
    String suffix = ".damaged-" + System.currentTimeMillis();
    try {
      for (String name : List.of(FILE, FILE + "-wal", FILE + "-shm")) {
        Path damaged = folder.resolve(name);
        if (Files.exists(damaged)) {
          Files.move(damaged, folder.resolve(name + suffix), StandardCopyOption.ATOMIC_MOVE);
        }
      }
    } catch (IOException e) {
      throw new EngineUnavailableException(SqliteEngineProvider.NAME, "SQLite database " + file
          + " is damaged (" + why + ") and cannot be moved aside: " + e, e);
    }
    LOG.log(System.Logger.Level.WARNING, "The SQLite database " + file + " is damaged (" + why
        + "): moved it aside as " + FILE + suffix + " and started empty");
  }

  /** Whether {@code name} is one of the files the database keeps in its folder. */
  static boolean isDatabaseFile(String name) {
    return COMPANIONS.contains(name) || name.startsWith(FILE) && name.contains(".damaged-");
  }
}
