package io.ucache.ehcache;

import io.ucache.spi.FolderNames;
import io.ucache.CacheConfigException;
import io.ucache.EngineUnavailableException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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
import org.jspecify.annotations.Nullable;

/**
 * One engine's folder, held exclusively while the engine is open, and what UCache keeps in it
 * beside Ehcache's store:
 *
 * <pre>
 * ucache.folder             written at the first open: the folder is UCache's, in this format
 * ucache.lock               locked while an engine has the folder open ({@link FolderLock})
 * ucache.clean              written by a clean close, deleted by the next open; holds the
 *                           checksums of Ehcache's index and metadata files ({@link StoreChecksums})
 * caches/NAME.properties    each cache's key type, value type and codec ({@link CacheMetadata})
 * ehcache/                  Ehcache's persistence root
 * </pre>
 *
 * <p>Only a folder holding {@code ucache.folder} is ever treated as UCache's: an open writes it
 * into a new or empty folder, and refuses a non-empty folder without it with
 * {@link CacheConfigException}, so that a user's own files (an {@code ehcache/} subfolder of
 * theirs included) are never taken for a store and deleted. The file-system root and the user's
 * home directory are refused as folders outright.
 *
 * <p>An open that finds Ehcache's store but no {@code ucache.clean} follows an engine that never
 * closed (its process was killed): the store is deleted before Ehcache starts, so no half-written
 * entry can ever be read, and one WARN line names the folder. Ehcache would discard such a store
 * too; doing it here does not depend on how it detects one. An open whose marker's checksums no
 * longer match Ehcache's index or metadata files (damaged since the close) discards the store the
 * same way, since Ehcache fails for ever on some damage and silently drops entries on other.
 *
 * <p>Thread-safe: the engine calls {@link #writeMetadata} under its own lock.
 */
final class EngineFolder {

  static final String CLEAN_MARKER = "ucache.clean";
  static final String CACHES = "caches";
  static final String EHCACHE = "ehcache";
  /** Marks a folder as UCache's, with the layout it is in; never deleted. */
  static final String FOLDER_MARKER = "ucache.folder";
  /** The layout described above. A folder in another one is refused, never rewritten. */
  static final String FOLDER_FORMAT = "1";
  private static final String FORMAT_KEY = "ucache-folder-format";
  private static final String MARKER_TEMPORARY = FOLDER_MARKER + ".tmp";
  /** What {@link #FOLDER_MARKER} holds. */
  static final String FOLDER_FORMAT_LINE = FORMAT_KEY + "=" + FOLDER_FORMAT + "\n";

  private final Path path;
  private final FolderLock lock;
  /** The clean marker found at open, restored by a failed open; null if there was none. */
  private final byte @Nullable [] cleanMarker;
  private final Set<String> discardedCaches;

  private EngineFolder(Path path, FolderLock lock, byte @Nullable [] cleanMarker,
      Set<String> discardedCaches) {
    this.path = path;
    this.lock = lock;
    this.cleanMarker = cleanMarker;
    this.discardedCaches = discardedCaches;
  }

  /**
   * Creates {@code dir} if needed, checks that it is UCache's (or new or empty, and then marks it
   * so), locks it, and discards the store of an engine that did not close. On failure, releases
   * whatever it took.
   *
   * @throws CacheConfigException if {@code dir} is a file, cannot be created or is not writable,
   *     is the file-system root or the user's home directory, or is not empty and holds no
   *     {@code ucache.folder} (or one of another format)
   * @throws EngineUnavailableException if the folder is in use, or cannot be prepared
   */
  static EngineFolder open(Path dir) {
    return open(dir, Path.of(System.getProperty("user.home")));
  }

  /** {@link #open(Path)}, with {@code home} as the user's home directory. */
  static EngineFolder open(Path dir, Path home) {
    FolderNames.refuseRootOrHome(dir, home, "ehcache");
    Path real = createDirectory(dir);
    FolderNames.refuseRootOrHome(real, home, "ehcache");
    // Checked before locking too, so that a foreign folder does not even get a lock file.
    checkOwnership(real);
    FolderLock lock = FolderLock.acquire(real);
    try {
      // Again under the lock: another process may have used the folder in between.
      if (!checkOwnership(real)) {
        writeMarker(real);
      }
      byte @Nullable [] marker = readMarker(real.resolve(CLEAN_MARKER));
      boolean clean = marker != null;
      Files.deleteIfExists(real.resolve(CLEAN_MARKER));
      Path store = real.resolve(EHCACHE);
      Set<String> discarded = Set.of();
      String damage = clean ? StoreChecksums.mismatch(store, marker) : null;
      if ((!clean || damage != null) && hasEntries(store)) {
        discarded = cacheNames(real.resolve(CACHES));
        deleteTree(store);
        EhcacheEngine.LOG.log(System.Logger.Level.WARNING, "The ehcache folder " + real
            + (damage == null ? " was not closed cleanly (was its process killed?)"
                : " is damaged (" + damage + " since it was closed)")
            + ": discarded its entries and started empty");
        // The store is gone: a failed open must not mark the folder clean again.
        marker = null;
      }
      return new EngineFolder(real, lock, marker, discarded);
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
    String format = properties.getProperty("format");
    if (format != null && !format.equals(CacheMetadata.FORMAT)) {
      EhcacheEngine.LOG.log(System.Logger.Level.WARNING, "Cache '" + name + "' in the ehcache "
          + "folder " + path() + " was written in store layout " + format + " by another version "
          + "of UCache; this one reads layout " + CacheMetadata.FORMAT + ", so its entries are "
          + "discarded");
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
      Files.write(path.resolve(CLEAN_MARKER), StoreChecksums.of(ehcacheRoot()));
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
      if (cleanMarker != null) {
        // Its checksums still hold if Ehcache changed nothing; if it did, the next open discards.
        Files.write(path.resolve(CLEAN_MARKER), cleanMarker);
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

  /**
   * Whether {@code dir} is UCache's ({@code true}: it holds the marker, in this format) or may
   * become it ({@code false}: it is empty, but for a lock file or a half-written marker, which an
   * open killed before it wrote the marker leaves).
   *
   * @throws CacheConfigException if it is neither, naming the folder
   */
  private static boolean checkOwnership(Path dir) {
    Path marker = dir.resolve(FOLDER_MARKER);
    try {
      if (Files.exists(marker, LinkOption.NOFOLLOW_LINKS)) {
        String format = readFormat(marker);
        if (!FOLDER_FORMAT.equals(format)) {
          throw new CacheConfigException("folder", "The ehcache folder " + dir + " is in folder "
              + "format " + format + " (its " + FOLDER_MARKER + "), which this version of UCache "
              + "does not read (it reads format " + FOLDER_FORMAT + "); open it with the UCache "
              + "version that made it, or choose another folder");
        }
        return true;
      }
      try (Stream<Path> children = Files.list(dir)) {
        boolean empty = children.allMatch(child -> {
          String name = child.getFileName().toString();
          return name.equals(FolderLock.LOCK_FILE) || name.equals(MARKER_TEMPORARY);
        });
        if (empty) {
          return false;
        }
      }
    } catch (IOException e) {
      throw new CacheConfigException("folder", "The ehcache folder " + dir
          + " cannot be read: " + e, e);
    }
    throw new CacheConfigException("folder", "The ehcache folder " + dir + " is not empty and "
        + "was not created by UCache (it has no " + FOLDER_MARKER + "); choose an empty folder "
        + "or one UCache made");
  }

  /** The format in a marker file, or a description of what is wrong with it. */
  private static String readFormat(Path marker) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(marker)) {
      properties.load(in);
    } catch (IllegalArgumentException e) {
      return "(unreadable)";
    }
    String format = properties.getProperty(FORMAT_KEY);
    return format == null ? "(none)" : format.strip();
  }

  /** Writes the marker atomically, so a crash leaves either no marker or a whole one. */
  private static void writeMarker(Path dir) throws IOException {
    Path marker = dir.resolve(FOLDER_MARKER);
    Path temporary = dir.resolve(MARKER_TEMPORARY);
    try {
      Files.writeString(temporary, FOLDER_FORMAT_LINE, StandardCharsets.ISO_8859_1);
      Files.move(temporary, marker, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** The clean marker's bytes, or {@code null} if there is none. */
  private static byte @Nullable [] readMarker(Path marker) throws IOException {
    try {
      return Files.readAllBytes(marker);
    } catch (NoSuchFileException e) {
      return null;
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
