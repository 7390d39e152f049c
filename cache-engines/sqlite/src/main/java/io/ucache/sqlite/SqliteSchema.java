package io.ucache.sqlite;

import io.ucache.CacheConfigException;
import io.ucache.sqlite.SqliteDatabase.Session;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The layout of UCache's SQLite databases, and the check an open makes: a database is UCache's
 * ({@code PRAGMA application_id}), in a layout this version reads ({@code PRAGMA user_version}),
 * and whole ({@code PRAGMA quick_check}); a new one gets the tables, indexes and triggers.
 * Stateless.
 */
final class SqliteSchema {

  private SqliteSchema() {}

  /** {@code PRAGMA application_id} of UCache's databases: "UCsq". */
  static final int APPLICATION_ID = 0x55437371;
  /** The layout this version writes, {@code PRAGMA user_version}. */
  static final int LAYOUT = 1;

  /**
   * The tables: {@code entries}, one row per entry of every cache; {@code sizes}, each cache's
   * row count and bytes (key and value), kept by triggers in the same transaction as the change,
   * so a bound is checked without counting rows; and {@code changes}, the keys of the latest
   * {@value SqliteChangeFeed#KEPT} changes, numbered, which near caches follow
   * ({@link SqliteChangeFeed}, {@link #CHANGE_LOG}).
   */
  private static final List<String> SCHEMA = List.of("""
      CREATE TABLE IF NOT EXISTS entries (
        cache    TEXT    NOT NULL,
        key      TEXT    NOT NULL,
        value    BLOB    NOT NULL,
        deadline INTEGER NOT NULL,
        expires  INTEGER NOT NULL,
        used     INTEGER NOT NULL,
        PRIMARY KEY (cache, key)
      ) WITHOUT ROWID""",
      // Only entries that expire are in it: a cache without ttl pays nothing for it.
      "CREATE INDEX IF NOT EXISTS entries_expires ON entries (cache, expires) "
          + "WHERE expires < " + Long.MAX_VALUE,
      "CREATE INDEX IF NOT EXISTS entries_used ON entries (cache, used)",
      """
      CREATE TABLE IF NOT EXISTS sizes (
        cache   TEXT    NOT NULL PRIMARY KEY,
        entries INTEGER NOT NULL,
        bytes   INTEGER NOT NULL
      ) WITHOUT ROWID""",
      """
      CREATE TABLE IF NOT EXISTS changes (
        seq   INTEGER PRIMARY KEY,
        cache TEXT    NOT NULL,
        key   TEXT    NOT NULL
      )""",
      """
      CREATE TRIGGER IF NOT EXISTS entries_inserted AFTER INSERT ON entries BEGIN
        INSERT INTO sizes VALUES (new.cache, 1,
            length(CAST(new.key AS BLOB)) + length(new.value))
        ON CONFLICT (cache) DO UPDATE SET entries = entries + 1, bytes = bytes + excluded.bytes;
      END""",
      """
      CREATE TRIGGER IF NOT EXISTS entries_deleted AFTER DELETE ON entries BEGIN
        UPDATE sizes SET entries = entries - 1,
            bytes = bytes - length(CAST(old.key AS BLOB)) - length(old.value)
        WHERE cache = old.cache;
      END""",
      """
      CREATE TRIGGER IF NOT EXISTS entries_updated AFTER UPDATE OF value ON entries BEGIN
        UPDATE sizes SET bytes = bytes - length(old.value) + length(new.value)
        WHERE cache = new.cache;
      END""");

  /**
   * The triggers that log each change for near caches, created by the first near cache on the
   * folder (they stay: from then on every process's writes log their keys). A change is numbered
   * one past the last; the number {@value SqliteChangeFeed#KEPT} below goes, so the newest row
   * is never deleted and numbers never repeat.
   */
  static final List<String> CHANGE_LOG = List.of("""
      CREATE TRIGGER IF NOT EXISTS changes_inserted AFTER INSERT ON entries BEGIN
        INSERT INTO changes (cache, key) VALUES (new.cache, new.key);
        DELETE FROM changes WHERE seq = last_insert_rowid() - %1$d;
      END""",
      """
      CREATE TRIGGER IF NOT EXISTS changes_deleted AFTER DELETE ON entries BEGIN
        INSERT INTO changes (cache, key) VALUES (old.cache, old.key);
        DELETE FROM changes WHERE seq = last_insert_rowid() - %1$d;
      END""",
      """
      CREATE TRIGGER IF NOT EXISTS changes_updated AFTER UPDATE OF value ON entries BEGIN
        INSERT INTO changes (cache, key) VALUES (new.cache, new.key);
        DELETE FROM changes WHERE seq = last_insert_rowid() - %1$d;
      END""").stream().map(sql -> sql.formatted(SqliteChangeFeed.KEPT)).toList();


  /**
   * Checks the database {@code session} is open on, and creates its tables if it is new.
   *
   * @throws CacheConfigException if it is another program's database, or in a newer layout
   * @throws SQLException if it is damaged (code 11 or 26), or cannot be read or written
   */
  static void checkOrCreate(Session session, Path folder, Path file) throws SQLException {
    int applicationId = intPragma(session, "application_id");
    if (applicationId != APPLICATION_ID && (applicationId != 0 || hasForeignTables(session))) {
      throw new CacheConfigException("folder", "The folder " + folder + " holds a SQLite "
          + "database that is not UCache's (" + file.getFileName() + "); choose another folder");
    }
    String check = textPragma(session, "quick_check(1)");
    if (!"ok".equals(check)) {
      throw new SQLException("quick_check: " + check, "", 11);
    }
    int layout = intPragma(session, "user_version");
    if (layout > LAYOUT) {
      throw new CacheConfigException("folder", "The SQLite database " + file + " is in layout "
          + layout + ", which this version of UCache does not read (it reads layout " + LAYOUT
          + "); open it with the UCache version that made it, or choose another folder");
    }
    if (layout < LAYOUT) {
      session.inTransaction(created -> {
        if (intPragma(created, "user_version") < LAYOUT) { // not done meanwhile by another
          created.execute("PRAGMA application_id = " + APPLICATION_ID);
          for (String statement : SCHEMA) {
            created.execute(statement);
          }
          created.execute("PRAGMA user_version = " + LAYOUT);
        }
        return null;
      });
    }
  }

  private static boolean hasForeignTables(Session session) throws SQLException {
    try (ResultSet tables = session.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' "
        + "AND name NOT IN ('entries', 'sizes', 'changes')").executeQuery()) {
      return tables.next();
    }
  }

  private static int intPragma(Session session, String pragma) throws SQLException {
    try (ResultSet result = session.prepare("PRAGMA " + pragma).executeQuery()) {
      return result.next() ? result.getInt(1) : 0;
    }
  }

  private static @Nullable String textPragma(Session session, String pragma)
      throws SQLException {
    try (ResultSet result = session.prepare("PRAGMA " + pragma).executeQuery()) {
      return result.next() ? result.getString(1) : null;
    }
  }
}
