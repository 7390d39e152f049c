package io.ucache.ehcache;

import io.ucache.CacheConfigException;
import io.ucache.EngineUnavailableException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Exclusive use of one engine folder: an operating-system lock on {@code ucache.lock} in it,
 * which other processes see, and an entry in a JVM-wide set, which engines of this JVM see.
 * Acquiring never waits: a folder in use is an error at once.
 *
 * <p>Why the set as well as the file lock: the JVM refuses a second lock on a file it already
 * locks ({@link OverlappingFileLockException}), but then the failed attempt's channel must be
 * closed, and on POSIX systems closing any descriptor of a file drops every lock the process
 * holds on it, the first engine's included. Checking the set first means this JVM never opens a
 * second channel on a locked file. (An engine in another class loader has its own set; for that
 * case the channel is kept open, never closed, and the lock survives.)
 *
 * <p>The lock file is never deleted: deleting it while another process opens it would let two
 * processes lock two different files of the same name. Thread-safe.
 */
final class FolderLock implements AutoCloseable {

  static final String LOCK_FILE = "ucache.lock";

  /** Folders (real paths) locked by engines of this class loader. */
  private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();
  /** Channels that must stay open so as not to drop a lock held through another class loader. */
  private static final List<FileChannel> KEPT_OPEN = new ArrayList<>();

  private final Path folder;
  private final FileChannel channel;
  private final FileLock lock;
  private final AtomicBoolean released = new AtomicBoolean();

  private FolderLock(Path folder, FileChannel channel, FileLock lock) {
    this.folder = folder;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Locks {@code folder}, which must be an existing directory given as its real path.
   *
   * @throws EngineUnavailableException if an engine of this or another process has it open: the
   *     message says "folder {@code <path>} is in use"
   * @throws CacheConfigException if the lock file cannot be created (the folder is not writable)
   */
  static FolderLock acquire(Path folder) {
    if (!HELD.add(folder)) {
      throw inUse(folder, "by another engine in this JVM; close that engine first");
    }
    FileChannel channel = null;
    try {
      Path lockFile = folder.resolve(LOCK_FILE);
      try {
        channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
      } catch (AccessDeniedException e) {
        throw new CacheConfigException("folder", "The ehcache folder " + folder
            + " is not writable: cannot create " + lockFile, e);
      } catch (IOException e) {
        throw new CacheConfigException("folder", "The ehcache folder " + folder
            + " cannot be used: cannot create " + lockFile + ": " + e, e);
      }
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        // Held through another class loader of this JVM: closing this channel would drop it.
        synchronized (KEPT_OPEN) {
          KEPT_OPEN.add(channel);
        }
        channel = null;
        throw inUse(folder, "by another engine in this JVM (another class loader)");
      } catch (IOException e) {
        throw new EngineUnavailableException(EhcacheEngineProvider.NAME, "Cannot lock the "
            + "ehcache folder " + folder + ": " + e, e);
      }
      if (lock == null) {
        throw inUse(folder, "by another process; stop it first, or use another folder");
      }
      return new FolderLock(folder, channel, lock);
    } catch (RuntimeException e) {
      closeQuietly(channel, e);
      HELD.remove(folder);
      throw e;
    }
  }

  /** The locked folder (its real path). */
  Path folder() {
    return folder;
  }

  /** Releases the lock and lets engines of this JVM open the folder again. Idempotent. */
  @Override
  public void close() {
    if (!released.compareAndSet(false, true)) {
      return;
    }
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // Closing the channel releases the lock whatever happens; nothing more can be done.
      EhcacheEngine.LOG.log(System.Logger.Level.DEBUG, "Releasing " + folder.resolve(LOCK_FILE)
          + " failed", e);
    } finally {
      HELD.remove(folder);
    }
  }

  private static EngineUnavailableException inUse(Path folder, String detail) {
    return new EngineUnavailableException(EhcacheEngineProvider.NAME,
        "The ehcache folder " + folder + " is in use " + detail);
  }

  private static void closeQuietly(FileChannel channel, Exception failure) {
    if (channel != null) {
      try {
        channel.close();
      } catch (IOException e) {
        failure.addSuppressed(e);
      }
    }
  }
}
