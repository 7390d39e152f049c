package io.ucache.ehcache;

import io.ucache.CacheConfigException;
import io.ucache.EngineUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.HashSet;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;

/**
 * One engine's folder, held exclusively while the engine is open, and what UCache keeps in it
 * beside Ehcache's store:
 *
 * <pre>
 * ucache.lock               locked while an engine has the folder open ({@link FolderLock})
 * ucache.clean              written by a clean close, deleted by the next open
 * caches/NAME.properties    each cache's key type, value type and codec ({@link CacheMetadata})
 * ehcache/                  Ehcache's persistence root
 * </pre>
 *
 * <p>An open that finds Ehcache's store but no {@code ucache.clean} follows an engine that never
 * closed (its process was killed): the store is deleted before Ehcache starts, so no half-written
 * entry can ever be read, and one WARN line names the folder. Ehcache would discard such a store
 * too; doing it here does not depend on how it detects one.
 *
 * <p>Thread-safe: the engine calls {@link #writeMetadata} under its own lock.
 */
final class EngineFolder {

  static final String CLEAN_MARKER = "ucache.clean";
  static final String CACHES = "caches";
  static final String EHCACHE = "ehcache";

  private final Path path;
  private final FolderLock lock;
  private final boolean wasClean;
  private final Set<String> discardedCaches;

  private EngineFolder(Path path, FolderLock lock, boolean wasClean, Set<String> discardedCaches) {
    this.path = path;
    this.lock = lock;
    this.wasClean = wasClean;
    this.discardedCaches = discardedCaches;
  }

  /**
   * Creates {@code dir} if needed, locks it, and discards the store of an engine that did not
   * close. On failure, releases whatever it took.
   *
   * @throws CacheConfigException if {@code dir} is a file, cannot be created or is not writable
   * @throws EngineUnavailableException if the folder is in use, or cannot be prepared
   */
  static EngineFolder open(Path dir) {
    Path real = createDirectory(dir);
    FolderLock lock = FolderLock.acquire(real);
    try {
      boolean clean = Files.deleteIfExists(real.resolve(CLEAN_MARKER));
      Path store = real.resolve(EHCACHE);
      Set<String> discarded = Set.of();
      if (!clean && hasEntries(store)) {
        discarded = cacheNames(real.resolve(CACHES));
        deleteTree(store);
        EhcacheEngine.LOG.log(System.Logger.Level.WARNING, "The ehcache folder " + real
            + " was not closed cleanly (was its process killed?): discarded its entries and "
            + "started empty");
      }
      return new EngineFolder(real, lock, clean, discarded);
    } catch (IOException e) {
      lock.close();
      throw new EngineUnavailableException(EhcacheEngineProvider.NAME, "Cannot prepare the "
          + "ehcache folder " + real + ": " + e, e);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
  }

  /** The folder, as its real path. */
  Path path() {
    return path;
  }

  /** Ehcache's persistence root. */
  Path ehcacheRoot() {
    return path.resolve(EHCACHE);
  }

  /** Caches whose entries this open discarded because the previous engine did not close. */
  Set<String> discardedCaches() {
    return discardedCaches;
  }

  /** The metadata stored for cache {@code name}, if any is stored and readable. */
  Optional<CacheMetadata> readMetadata(String name) {
    Path file = metadataFile(name);
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      properties.load(in);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | IllegalArgumentException e) {
      EhcacheEngine.LOG.log(System.Logger.Level.DEBUG, "Ignoring unreadable " + file, e);
      return Optional.empty();
    }
    return CacheMetadata.from(properties).filter(metadata -> metadata.name().equals(name));
  }

  /**
   * Stores the metadata of cache {@code name}, atomically: a reader sees the old file or the new
   * one, never a part.
   */
  void writeMetadata(CacheMetadata metadata) {
    Path file = metadataFile(metadata.name());
    try {
      Files.createDirectories(file.getParent());
      // Only this engine writes here (it holds the folder), so a fixed name cannot clash.
      Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
      try {
        try (OutputStream out = Files.newOutputStream(temporary)) {
          metadata.toProperties().store(out, "UCache ehcache engine: what cache '"
              + metadata.name().replaceAll("\\p{Cntrl}", "?") + "' holds");
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(temporary);
      }
    } catch (IOException e) {
      throw new EngineUnavailableException(EhcacheEngineProvider.NAME, "Cannot write " + file
          + ": " + e, e);
    }
  }

  /**
   * Marks the folder closed cleanly, then releases it. Called only once Ehcache has closed and
   * flushed every store; if writing the marker fails, the next open discards the store.
   */
  void closeCleanly() {
    try {
      Files.write(path.resolve(CLEAN_MARKER), new byte[0]);
    } catch (IOException e) {
      EhcacheEngine.LOG.log(System.Logger.Level.WARNING, "Cannot mark the ehcache folder " + path
          + " closed cleanly; its entries will be discarded when it is next opened: " + e);
    } finally {
      lock.close();
    }
  }

  /**
   * Releases the folder after a failed open. When the folder was clean at open and Ehcache wrote
   * nothing since, the marker is put back, so a failed attempt does not cost the entries.
   */
  void releaseAfterFailedOpen() {
    try {
      if (wasClean) {
        Files.write(path.resolve(CLEAN_MARKER), new byte[0]);
      }
    } catch (IOException e) {
      EhcacheEngine.LOG.log(System.Logger.Level.DEBUG, "Cannot restore " + CLEAN_MARKER, e);
    } finally {
      lock.close();
    }
  }

  /** Releases the folder without marking it clean: the next open discards the store. */
  void releaseUnclean() {
    lock.close();
  }

  private Path metadataFile(String name) {
    return path.resolve(CACHES).resolve(FolderNames.safeName(name) + ".properties");
  }

  private static Path createDirectory(Path dir) {
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new CacheConfigException("folder", "The ehcache folder " + dir
          + " is a file, not a directory");
    }
    try {
      Files.createDirectories(dir);
    } catch (FileAlreadyExistsException e) {
      throw new CacheConfigException("folder", "The ehcache folder " + dir
          + " cannot be created: " + e.getFile() + " is a file, not a directory", e);
    } catch (IOException e) {
      throw new CacheConfigException("folder", "The ehcache folder " + dir
          + " cannot be created: " + e, e);
    }
    if (!Files.isWritable(dir)) {
      throw new CacheConfigException("folder", "The ehcache folder " + dir + " is not writable");
    }
    try {
      return dir.toRealPath();
    } catch (IOException e) {
      throw new CacheConfigException("folder", "The ehcache folder " + dir
          + " cannot be used: " + e, e);
    }
  }

  private static boolean hasEntries(Path store) throws IOException {
    if (!Files.isDirectory(store)) {
      return false;
    }
    try (Stream<Path> children = Files.list(store)) {
      return children.findAny().isPresent();
    }
  }

  private static Set<String> cacheNames(Path caches) throws IOException {
    if (!Files.isDirectory(caches)) {
      return Set.of();
    }
    Set<String> names = new HashSet<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(caches, "*.properties")) {
      for (Path file : files) {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
          properties.load(in);
        } catch (IOException | IllegalArgumentException e) {
          continue;
        }
        CacheMetadata.from(properties).ifPresent(metadata -> names.add(metadata.name()));
      }
    }
    return Collections.unmodifiableSet(names);
  }

  private static void deleteTree(Path root) throws IOException {
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes)
          throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
        if (failure != null) {
          throw failure;
        }
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  @Override
  public String toString() {
    return path.toString();
  }
}
