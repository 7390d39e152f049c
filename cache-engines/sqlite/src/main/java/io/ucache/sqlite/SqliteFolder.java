package io.ucache.sqlite;

import io.ucache.CacheConfigException;
import io.ucache.spi.FolderNames;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The checks a folder passes before the engine puts its database in it, the ehcache engine's
 * rules: it is created if missing; it is not a file, the file-system root or the user's home;
 * and it is empty or holds only the database's files, so the engine never writes into a folder
 * that holds somebody else's. Several engines, here and in other processes, may use one folder at
 * once: nothing here locks it. Stateless.
 */
final class SqliteFolder {

  private SqliteFolder() {}

  /**
   * Creates and checks {@code dir}, and returns its real path.
   *
   * @throws CacheConfigException naming the folder and what is wrong with it
   */
  static Path prepare(Path dir) {
    Path home = Path.of(System.getProperty("user.home"));
    FolderNames.refuseRootOrHome(dir, home, "sqlite");
    if (Files.exists(dir) && !Files.isDirectory(dir)) {
      throw new CacheConfigException("folder", "The sqlite folder " + dir
          + " is a file, not a directory");
    }
    Path real;
    try {
      Files.createDirectories(dir);
      real = dir.toRealPath();
    } catch (FileAlreadyExistsException e) {
      throw new CacheConfigException("folder", "The sqlite folder " + dir + " cannot be created: "
          + e.getFile() + " is a file, not a directory", e);
    } catch (IOException e) {
      throw new CacheConfigException("folder", "The sqlite folder " + dir + " cannot be created: "
          + e, e);
    }
    FolderNames.refuseRootOrHome(real, home, "sqlite");
    if (!Files.isWritable(real)) {
      throw new CacheConfigException("folder", "The sqlite folder " + real + " is not writable");
    }
    Optional<String> foreign;
    try (Stream<Path> children = Files.list(real)) {
      foreign = children.map(child -> child.getFileName().toString())
          .filter(name -> !SqliteDatabase.isDatabaseFile(name)).sorted().findFirst();
    } catch (IOException e) {
      throw new CacheConfigException("folder", "The sqlite folder " + real + " cannot be read: "
          + e, e);
    }
    if (foreign.isPresent()) {
      throw new CacheConfigException("folder", "The sqlite folder " + real + " holds files that "
          + "are not UCache's SQLite database (such as '" + foreign.get() + "'); choose an empty "
          + "folder, or a folder name under base-dir");
    }
    return real;
  }
}
