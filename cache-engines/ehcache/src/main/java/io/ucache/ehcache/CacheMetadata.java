package io.ucache.ehcache;

import java.util.Optional;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * What one cache's entries on disk are: the key type, the value type, and how each is encoded.
 * Kept in the folder beside Ehcache's store, so that a cache reopened with other types or another
 * codec fails with a clear message instead of decoding bytes into the wrong type. Immutable.
 *
 * @param name the cache's name
 * @param keyType the key class name
 * @param valueType the value class name
 * @param codec the {@code codec} setting the cache was opened with
 * @param keyFormat how keys are encoded, such as {@code text(Long)}
 * @param valueFormat how values are encoded: the codec's description, such as
 *     {@code ValueCodec.utf8()}
 * @param diskSize the bytes of the disk tier the store was made with, which a reopen keeps (Ehcache
 *     deletes a store that is larger than a smaller limit), or 0 if not recorded
 */
record CacheMetadata(String name, String keyType, String valueType, String codec,
    String keyFormat, String valueFormat, long diskSize) {

  /**
   * The layout of keys and entries; a store written in another one is never read (its entries
   * are discarded when the cache opens). 2: a key whose bytes are ASCII is stored as a String,
   * hashed as one; layout 1 hashed every key as its bytes.
   */
  static final String FORMAT = "2";

  /** The metadata in {@code properties}, or empty if they are not complete metadata. */
  static Optional<CacheMetadata> from(Properties properties) {
    String[] values = new String[6];
    String[] keys = {"name", "key-type", "value-type", "codec", "key-format", "value-format"};
    for (int i = 0; i < keys.length; i++) {
      values[i] = properties.getProperty(keys[i]);
      if (values[i] == null) {
        return Optional.empty();
      }
    }
    if (!FORMAT.equals(properties.getProperty("format"))) {
      return Optional.empty();
    }
    return Optional.of(new CacheMetadata(values[0], values[1], values[2], values[3], values[4],
        values[5], diskSize(properties.getProperty("disk-size"))));
  }

  private static long diskSize(@Nullable String value) {
    if (value == null) {
      return 0;
    }
    try {
      return Math.max(0, Long.parseLong(value.strip()));
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** This metadata with the disk size {@code bytes}. */
  CacheMetadata withDiskSize(long bytes) {
    return new CacheMetadata(name, keyType, valueType, codec, keyFormat, valueFormat, bytes);
  }

  Properties toProperties() {
    Properties properties = new Properties();
    properties.setProperty("format", FORMAT);
    properties.setProperty("name", name);
    properties.setProperty("key-type", keyType);
    properties.setProperty("value-type", valueType);
    properties.setProperty("codec", codec);
    properties.setProperty("key-format", keyFormat);
    properties.setProperty("value-format", valueFormat);
    if (diskSize > 0) {
      properties.setProperty("disk-size", Long.toString(diskSize));
    }
    return properties;
  }

  /**
   * Whether entries stored under this metadata read back correctly under {@code other}: the same
   * types, encoded the same way. The {@code codec} setting itself may differ ({@code auto} and
   * {@code string} both store a {@code String} as UTF-8).
   */
  boolean readableAs(CacheMetadata other) {
    return keyType.equals(other.keyType) && valueType.equals(other.valueType)
        && keyFormat.equals(other.keyFormat) && valueFormat.equals(other.valueFormat);
  }

  /** Such as {@code java.lang.String -> java.lang.Long (codec auto: ValueCodec.text(Long))}. */
  String describe() {
    return keyType + " -> " + valueType + " (codec " + codec + ": " + valueFormat + ")";
  }
}
