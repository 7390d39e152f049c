package io.ucache.sqlite;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;

/**
 * Who uses a folder's database, through a lock file beside it ({@value #FILE}): every engine,
 * in any process, holds a shared lock on it while it is open, and moving a damaged database
 * aside takes it exclusively, so that never happens under another engine or process (which
 * would go on using the old file while new connections open a new one). Java refuses two
 * overlapping locks in one JVM, so this JVM's engines share one lock, counted. Thread-safe.
 */
final class SqliteUsers {

  /** The lock file in the folder. */
  static final String FILE = SqliteDatabase.FILE + ".lock";

  /** This JVM's shared lock per folder, and how many engines hold it. Guarded by the class. */
  private static final Map<Path, Shared> SHARED = new HashMap<>();

  private static final class Shared {
    final FileChannel channel;
    int users;

    Shared(FileChannel channel) {
      this.channel = channel;
    }
  }

  private SqliteUsers() {}

  /** Marks {@code folder}'s database as used by one more engine of this JVM. */
  static synchronized void join(Path folder) throws IOException {
    Shared shared = SHARED.get(folder);
    if (shared == null) {
      FileChannel channel = open(folder);
      try {
        channel.lock(0, Long.MAX_VALUE, true); // waits while another process repairs it
      } catch (IOException | RuntimeException e) {
        channel.close();
        throw e;
      }
      shared = new Shared(channel);
      SHARED.put(folder, shared);
    }
    shared.users++;
  }

  /** One engine of this JVM no longer uses {@code folder}'s database. */
  static synchronized void leave(Path folder) {
    Shared shared = SHARED.get(folder);
    if (shared != null && --shared.users == 0) {
      SHARED.remove(folder);
      try {
        shared.channel.close(); // releases the lock
      } catch (IOException e) {
        SqliteDatabase.LOG.log(System.Logger.Level.DEBUG, "Closing " + FILE + " failed", e);
      }
    }
  }

  /**
   * Runs {@code repair} if no engine, here or in another process, uses {@code folder}'s
   * database, holding the lock exclusively meanwhile; returns whether it ran.
   */
  static synchronized boolean alone(Path folder, Runnable repair) throws IOException {
    if (SHARED.containsKey(folder)) {
      return false;
    }
    try (FileChannel channel = open(folder)) {
      FileLock lock = channel.tryLock(0, Long.MAX_VALUE, false);
      if (lock == null) {
        return false;
      }
      repair.run();
      return true; // closing the channel releases the lock
    }
  }

  private static FileChannel open(Path folder) throws IOException {
    return FileChannel.open(folder.resolve(FILE), StandardOpenOption.CREATE,
        StandardOpenOption.READ, StandardOpenOption.WRITE);
  }
}
