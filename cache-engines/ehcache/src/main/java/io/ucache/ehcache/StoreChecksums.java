package io.ucache.ehcache;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.CRC32C;
import org.jspecify.annotations.Nullable;

/**
 * Checksums of the files Ehcache keeps beside its data files (each store's index, its metadata,
 * its own clean marker), taken when the engine closes cleanly and kept in {@code ucache.clean}.
 *
 * <p>Why: Ehcache reads those files trusting them. Random bytes in a store's metadata make it
 * fail with a {@code NullPointerException} at every open, for ever; random bytes in its index lose
 * entries silently. Checking the files before Ehcache starts lets the folder treat any damage as
 * it treats an unclean shutdown: discard the store, once, with one warning. The data files are
 * not covered here: they can be large, and every value read from them carries a checksum of its
 * own.
 *
 * <p>Stateless and thread-safe; the folder's lock keeps other writers away.
 */
final class StoreChecksums {

  private static final String DATA_SUFFIX = ".data";
  private static final String FILE_PREFIX = "file.";
  private static final String FORMAT_KEY = "checksums";
  private static final String FORMAT = "1";

  private StoreChecksums() {}

  /** What the clean marker holds for the store under {@code store}. */
  static byte[] of(Path store) throws IOException {
    Properties properties = new Properties();
    properties.setProperty(FORMAT_KEY, FORMAT);
    for (Map.Entry<String, String> file : sums(store).entrySet()) {
      properties.setProperty(FILE_PREFIX + file.getKey(), file.getValue());
    }
    StringWriter text = new StringWriter();
    properties.store(text, "UCache: checksums of Ehcache's index and metadata files at a clean "
        + "close");
    return text.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * Whether the store under {@code store} is as the clean marker {@code marker} recorded it. A
   * marker without checksums (written by an earlier version) is trusted; a damaged marker is not.
   *
   * @return {@code null} if it matches, else what differs
   */
  static @Nullable String mismatch(Path store, byte[] marker) throws IOException {
    if (marker.length == 0) {
      return null;
    }
    Properties recorded = new Properties();
    try {
      recorded.load(new StringReader(new String(marker, StandardCharsets.ISO_8859_1)));
    } catch (IllegalArgumentException e) {
      return "its clean marker is damaged";
    }
    if (!FORMAT.equals(recorded.getProperty(FORMAT_KEY))) {
      return "its clean marker is damaged";
    }
    Map<String, String> expected = new TreeMap<>();
    for (String key : recorded.stringPropertyNames()) {
      if (key.startsWith(FILE_PREFIX)) {
        expected.put(key.substring(FILE_PREFIX.length()), recorded.getProperty(key));
      }
    }
    Map<String, String> actual = sums(store);
    if (actual.equals(expected)) {
      return null;
    }
    for (Map.Entry<String, String> file : expected.entrySet()) {
      if (!file.getValue().equals(actual.get(file.getKey()))) {
        return actual.containsKey(file.getKey()) ? file.getKey() + " was changed"
            : file.getKey() + " is missing";
      }
    }
    return actual.keySet().stream().filter(name -> !expected.containsKey(name)).findFirst()
        .map(name -> name + " was added").orElse("its files differ");
  }

  /** {@code relative path -> length:crc32c} of every covered file under {@code store}. */
  private static Map<String, String> sums(Path store) throws IOException {
    Map<String, String> sums = new TreeMap<>();
    if (!Files.isDirectory(store)) {
      return sums;
    }
    try (Stream<Path> files = Files.walk(store)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        if (Files.isRegularFile(file) && !file.getFileName().toString().endsWith(DATA_SUFFIX)) {
          String name = store.relativize(file).toString().replace('\\', '/');
          sums.put(name, sum(file));
        }
      }
    }
    return sums;
  }

  private static String sum(Path file) throws IOException {
    CRC32C crc = new CRC32C();
    ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    long length = 0;
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        length += buffer.remaining();
        crc.update(buffer);
        buffer.clear();
      }
    }
    return length + ":" + Long.toHexString(crc.getValue());
  }
}
