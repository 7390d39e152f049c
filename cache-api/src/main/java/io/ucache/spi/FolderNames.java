package io.ucache.spi;

import io.ucache.CacheConfigException;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns user-given names into file names that can neither leave their parent directory nor
 * collide with one another, as Ehcache and JSR-107 do: a plain lower-case name is kept as it is,
 * and any other name becomes a readable, escaped prefix plus a hash of the exact name.
 *
 * <p>Why a hash rather than just escaping: escaping alone cannot keep {@code Users} and
 * {@code users} apart on a case-insensitive file system (macOS, Windows), nor keep an over-long
 * name under the file system's limit. The hash is of the name exactly as given, so names that
 * differ in any way get different files; the {@code +} before it never occurs in a plain name, so
 * a hashed name cannot collide with a plain one either.
 *
 * <p>For disk engines: the {@code folder} key under {@code base-dir}, and names of files within
 * a folder.
 *
 * <p><b>Thread-safety:</b> stateless and thread-safe. <b>Nulls:</b> none accepted or returned.
 */
public final class FolderNames {

  /** Kept as they are: lower-case letters, digits, '.', '_' and '-', not starting with '.'. */
  private static final Pattern PLAIN = Pattern.compile("[a-z0-9_-][a-z0-9._-]{0,63}");
  /** Device names Windows refuses as file names, whatever follows a dot. */
  private static final Set<String> RESERVED = Set.of("con", "prn", "aux", "nul",
      "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
      "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9");
  /** Readable characters kept from a name that must be hashed. */
  private static final int PREFIX_LENGTH = 32;
  /** Hex digits of the SHA-256 of the name: 64 bits, so a collision is never met by chance. */
  private static final int HASH_LENGTH = 16;
  private FolderNames() {}

  /**
   * The directory for the configuration key {@code folder}: an absolute path as it is
   * (normalized; {@code ~} is the user's home), or a folder name under {@code baseDir}, made safe
   * with {@link #safeName}.
   *
   * @throws CacheConfigException naming the folder if it is not a usable folder name: empty,
   *     {@code .} or {@code ..}, containing a path separator (so {@code ../x} and
   *     {@code a/../../b} never leave base-dir) or a control character
   */
  public static Path resolve(Path baseDir, String folder) {
    String home = System.getProperty("user.home");
    String expanded = folder.equals("~") ? home
        : folder.startsWith("~/") ? home + folder.substring(1) : folder;
    Path asPath;
    try {
      asPath = Path.of(expanded);
    } catch (InvalidPathException e) {
      asPath = null;
    }
    if (asPath != null && asPath.isAbsolute()) {
      return asPath.normalize();
    }
    checkName(folder);
    Path base = baseDir.toAbsolutePath().normalize();
    Path resolved = base.resolve(safeName(folder)).normalize();
    if (!base.equals(resolved.getParent())) {
      // safeName cannot produce a separator or a dot name; this guards the guard.
      throw invalid(folder, "it would leave base-dir " + base);
    }
    return resolved;
  }

  /**
   * Refuses {@code dir} as the folder of the {@code engine} engine if it is the file-system root or
   * {@code home}, compared as real paths where they exist: an engine's files must not be strewn
   * there, nor its folder rules (only its own files) be applied to them.
   *
   * @throws CacheConfigException naming the folder and a folder to choose instead
   */
  public static void refuseRootOrHome(Path dir, Path home, String engine) {
    Path absolute = realOrNormalized(dir);
    if (absolute.getParent() == null) {
      throw new CacheConfigException("folder", "The " + engine + " folder " + dir + " is the "
          + "file-system root; choose a folder of its own, such as a folder name under base-dir");
    }
    if (absolute.equals(realOrNormalized(home))) {
      throw new CacheConfigException("folder", "The " + engine + " folder " + dir + " is the "
          + "user's home directory; choose a folder of its own in it, such as ~/.cache/myapp");
    }
  }

  private static Path realOrNormalized(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path.toAbsolutePath().normalize();
    }
  }

  /**
   * A file name for {@code name} that stays in its directory and differs from the file name of
   * every other name, on every common file system: the name itself when it is plain (lower-case
   * letters, digits, {@code .}, {@code _}, {@code -}, at most 64 characters, not starting with a
   * dot, not ending with one, not a Windows device name), else a readable prefix of it (other
   * characters as {@code _}), {@code +}, and 16 hex digits of the SHA-256 of the exact name.
   */
  public static String safeName(String name) {
    if (PLAIN.matcher(name).matches() && !name.endsWith(".") && !isReserved(name)) {
      return name;
    }
    StringBuilder prefix = new StringBuilder(PREFIX_LENGTH + 1 + HASH_LENGTH);
    for (int i = 0; i < name.length() && prefix.length() < PREFIX_LENGTH; i++) {
      char c = Character.toLowerCase(name.charAt(i));
      boolean kept = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'
          || (c == '.' && prefix.length() > 0);
      prefix.append(kept ? c : '_');
    }
    return prefix.append('+').append(hash(name)).toString();
  }

  private static void checkName(String folder) {
    if (folder.isBlank()) {
      throw invalid(folder, "it is empty");
    }
    if (folder.equals(".") || folder.equals("..")) {
      throw invalid(folder, "it names a directory relative to base-dir, not a folder in it");
    }
    for (int i = 0; i < folder.length(); i++) {
      char c = folder.charAt(i);
      if (c == '/' || c == '\\') {
        throw invalid(folder, "a folder name cannot contain '" + c + "'");
      }
      if (Character.isISOControl(c)) {
        throw invalid(folder, "it contains the control character U+"
            + String.format(Locale.ROOT, "%04X", (int) c));
      }
    }
  }

  private static CacheConfigException invalid(String folder, String why) {
    return new CacheConfigException("folder", "Invalid value '" + printable(folder)
        + "' for key 'folder': " + why + ". Expected a folder name under base-dir (such as "
        + "'reports') or an absolute path");
  }

  /** The name with control characters shown as escapes, so the message stays one line. */
  private static String printable(String name) {
    StringBuilder out = new StringBuilder(name.length());
    name.codePoints().forEach(c -> {
      if (Character.isISOControl(c)) {
        out.append(String.format(Locale.ROOT, "\\u%04X", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  private static boolean isReserved(String name) {
    int dot = name.indexOf('.');
    return RESERVED.contains(dot < 0 ? name : name.substring(0, dot));
  }

  private static String hash(String name) {
    try {
      // The UTF-16 code units themselves: an encoder would turn every unpaired surrogate into
      // the same '?', and names that differ must hash differently.
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < name.length(); i++) {
        char c = name.charAt(i);
        sha.update((byte) (c >>> 8));
        sha.update((byte) c);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, HASH_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError("every JDK has SHA-256", e);
    }
  }
}
