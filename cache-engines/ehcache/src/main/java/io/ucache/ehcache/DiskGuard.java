package io.ucache.ehcache;

import io.ucache.EngineHealth;
import io.ucache.EngineUnavailableException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Keeps Ehcache off a full disk, and turns what gets through into
 * {@link EngineUnavailableException}s that are counted: never an {@link Error}, never a hang.
 *
 * <p>Why: Ehcache's disk tier writes through memory-mapped pages of a sparse file. When the file
 * system has no block left for a page, the write faults (SIGBUS), and the JVM raises a
 * {@code java.lang.InternalError} at the faulting access or, in compiled code, at some later point
 * of the same thread. Thrown in the middle of the off-heap store's code, it can skip the release of
 * a segment lock: later writes to that segment then wait for ever. No Ehcache setting avoids the
 * mapping, so the guard refuses a write before the disk is full: while the folder's file system
 * has less than {@link #RESERVE_BYTES} free beyond the write, the write fails here, touching
 * nothing. The reserve leaves room for the pages Ehcache touches beyond the value itself and for
 * the index it writes at close. Another process filling the disk between the check and the write
 * can still cause a fault: {@link #run} catches the {@code Error} where it surfaces, and the
 * engine is then marked faulted: every later operation fails at once instead of meeting a lock
 * that may never be released, and the folder is discarded at its next open.
 *
 * <p>Free space is read from the file system (a {@code statfs} call) at most every
 * {@link #RECHECK_NANOS}, and sooner once the writes since the last reading may have used the
 * margin it showed. Thread-safe.
 */
final class DiskGuard {

  /** Free space kept: writes fail while the disk has less than this beyond them. */
  static final long RESERVE_BYTES = 8L << 20;
  static final long RECHECK_NANOS = 50_000_000L;

  private final Path folder;
  private final LongSupplier usableSpace;
  /** Bytes that may still be written before the free space is read again. */
  private final AtomicLong budget = new AtomicLong();
  private volatile long checkedAt;
  private volatile boolean checkedOnce;
  private volatile @Nullable Throwable fault;
  private final LongAdder failures = new LongAdder();

  DiskGuard(Path folder, LongSupplier usableSpace) {
    this.folder = folder;
    this.usableSpace = usableSpace;
  }

  /** A guard of {@code folder} reading the free space of its file system. */
  static DiskGuard of(Path folder) {
    return new DiskGuard(folder, () -> {
      try {
        return Files.getFileStore(folder).getUsableSpace();
      } catch (IOException e) {
        return Long.MAX_VALUE; // cannot tell: let Ehcache try, run() catches what follows
      }
    });
  }

  /**
   * Refuses a write of about {@code bytes} to cache {@code cache} when the disk lacks room.
   *
   * @throws EngineUnavailableException naming the folder and the cache, counted
   */
  void checkRoom(String cache, long bytes) {
    checkFault(cache);
    long now = System.nanoTime();
    if (!checkedOnce || now - checkedAt > RECHECK_NANOS || budget.addAndGet(-bytes) < 0) {
      long free = usableSpace.getAsLong();
      checkedAt = now;
      checkedOnce = true;
      budget.set(free - RESERVE_BYTES - bytes);
      if (free - bytes < RESERVE_BYTES) {
        failures.increment();
        throw new EngineUnavailableException(EhcacheEngineProvider.NAME, "Cache '" + cache
            + "': the disk of the ehcache folder " + folder + " is full (" + free + " bytes free; "
            + "the engine keeps " + RESERVE_BYTES + "); nothing was written");
      }
    }
  }

  /**
   * Runs {@code operation} on cache {@code cache}'s store, turning Ehcache's failures, an
   * {@code InternalError} from a page fault included, into a counted
   * {@link EngineUnavailableException}.
   */
  <T> T run(String cache, String what, Supplier<T> operation) {
    checkFault(cache);
    try {
      return operation.get();
    } catch (RuntimeException | InternalError | OutOfMemoryError e) {
      throw failure(cache, what, e);
    }
  }

  /**
   * What {@link #run} throws for {@code e}, thrown by an operation on cache {@code cache} that
   * the caller ran itself after {@link #checkFault} (the hit path, which takes no lambda):
   * counted; an {@code InternalError} or {@code OutOfMemoryError} also marks the engine faulted.
   */
  EngineUnavailableException failure(String cache, String what, Throwable e) {
    if (e instanceof EngineUnavailableException unavailable) {
      return unavailable;
    }
    failures.increment();
    if (e instanceof RuntimeException) {
      return new EngineUnavailableException(EhcacheEngineProvider.NAME, "Cache '" + cache + "': "
          + what + " failed in the ehcache folder " + folder + ": " + e, e);
    }
    // A page fault (disk full, file truncated, I/O error) or no memory for a page: the off-heap
    // store may hold a lock it will never release. Nothing may touch it again.
    fault = e;
    return new EngineUnavailableException(EhcacheEngineProvider.NAME, "Cache '" + cache + "': "
        + what + " failed in the ehcache folder " + folder + " (" + e + "); the engine refuses "
        + "every operation from now on: close it, and its next open discards the folder", e);
  }

  /** Whether a fault has stopped the engine; its folder must not be marked clean. */
  boolean faulted() {
    return fault != null;
  }

  /**
   * The health of the folder's disk: DOWN after a fault, DEGRADED while writes are refused for
   * want of room (reads still serve), else UP; with the folder and its free bytes.
   */
  EngineHealth health() {
    long free = usableSpace.getAsLong();
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("folder", folder.toString());
    details.put("freeBytes", free);
    Throwable cause = fault;
    if (cause != null) {
      return EngineHealth.down("the folder failed (" + cause + "); close the engine, and its "
          + "next open discards the folder", details);
    }
    if (free < RESERVE_BYTES) {
      return EngineHealth.degraded("the disk is full (" + free + " bytes free; the engine keeps "
          + RESERVE_BYTES + "): writes are refused, reads serve", details);
    }
    return EngineHealth.up(details);
  }

  /** Failures refused or caught here, for {@code errorCount}. */
  long failures() {
    return failures.sum();
  }

  /**
   * Throws, counted, if a fault stopped the engine.
   *
   * @throws EngineUnavailableException naming the folder and the earlier fault
   */
  void checkFault(String cache) {
    Throwable cause = fault;
    if (cause != null) {
      failures.increment();
      throw new EngineUnavailableException(EhcacheEngineProvider.NAME, "Cache '" + cache + "': "
          + "the ehcache folder " + folder + " failed earlier (" + cause + "); close the engine, "
          + "and its next open discards the folder", cause);
    }
  }

  @Override
  public String toString() {
    return "DiskGuard{" + folder + (faulted() ? ", faulted" : "") + "}";
  }
}
