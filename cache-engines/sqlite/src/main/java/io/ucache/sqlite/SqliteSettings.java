package io.ucache.sqlite;

import io.ucache.ConfigKey;
import java.nio.file.Path;
import java.util.List;

/**
 * The configuration keys the {@code sqlite} engine adds to the generic ones, declared by
 * {@link SqliteEngineProvider#configKeys()}. Set them from any source ({@code folder} in a map,
 * {@code UCACHE_FOLDER}, {@code ucache.folder}, Spring, {@code --config}) or typed:
 * {@code CacheConfig.builder().set(SqliteSettings.FOLDER, "orders")}.
 *
 * <p><b>Thread-safety:</b> constants only. <b>Nulls:</b> none.
 */
public final class SqliteSettings {
  private SqliteSettings() {}

  /**
   * The folder, a name under {@link #BASE_DIR} or an absolute path; default {@code sqlite}. The
   * {@code folder} and {@code base-dir} keys are the ehcache engine's too: an application that
   * runs both engines gives each its own folder.
   */
  public static final ConfigKey<String> FOLDER = ConfigKey.ofString("folder")
      .validate(name -> !name.isBlank(), "a folder name under base-dir")
      .describedAs("folder under base-dir (or an absolute path); default: sqlite");

  /** Where the folders are; default {@code ~/.cache/ucache}. */
  public static final ConfigKey<Path> BASE_DIR = ConfigKey.ofPath("base-dir")
      .withDefault(Path.of(System.getProperty("user.home"), ".cache", "ucache"))
      .describedAs("where disk engines keep their folders; default: ~/.cache/ucache");

  /**
   * The most bytes of keys and values per cache (what SQLite's pages and indexes add on top is
   * not counted); default 64MB, as the ehcache engine's disk tier.
   */
  public static final ConfigKey<Long> DISK_SIZE = ConfigKey.ofSize("disk-size").perCache()
      .describedAs("bytes of keys and values per cache: 512MB, 2GB, 1048576; default: 64MB");

  /** What a write waits for before it returns: see {@link Synchronous}. */
  public enum Synchronous {
    /**
     * Nothing: the operating system writes the data when it likes. A killed process loses
     * nothing acknowledged (the data is in the operating system's hands); a power cut or an
     * operating-system crash may lose recent writes and, rarely, damage the file (it is then
     * detected and discarded at the next open).
     */
    OFF,
    /**
     * The default: the write-ahead log is synced at each checkpoint, not at each write. A killed
     * process loses nothing acknowledged; a power cut may lose the writes since the last
     * checkpoint, never the database.
     */
    NORMAL,
    /**
     * Each write is synced to the disk before it returns: a power cut loses nothing
     * acknowledged.
     */
    FULL
  }

  /** {@link Synchronous}; default {@code normal}. */
  public static final ConfigKey<Synchronous> SYNCHRONOUS =
      ConfigKey.ofEnum("sqlite.synchronous", Synchronous.class)
          .withDefault(Synchronous.NORMAL)
          .describedAs("off, normal (nothing acknowledged is lost when the process is killed) "
              + "or full (nor when the power fails)");

  /** Every key, in documentation order. */
  static final List<ConfigKey<?>> ALL = List.of(FOLDER, BASE_DIR, DISK_SIZE, SYNCHRONOUS);
}
