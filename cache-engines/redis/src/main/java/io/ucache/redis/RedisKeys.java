package io.ucache.redis;

import io.ucache.CacheConfigException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The Redis keys of one cache: {@code <namespace>:<cache>:<encoded key>}. String keys are their
 * UTF-8 text, so {@code redis-cli GET ucache:users:alice} finds them; boxed primitives and UUIDs
 * their canonical text, read back by the cache's key type. An encoded key longer than
 * {@link #MAX_PLAIN} bytes is replaced by {@code #} and its SHA-256 (base64url); a String key
 * that itself starts with {@code #} is written with a second {@code #}, so the two never meet.
 * A hashed key cannot be read back from its name: its value carries the key (the key text in its {@code StoredValueFormat} header).
 * Immutable and thread-safe.
 *
 * @param <K> the key type
 */
final class RedisKeys<K> {

  /** Longest encoded key kept as it is. */
  static final int MAX_PLAIN = 256;

  private static final Map<Class<?>, Function<String, ?>> PARSERS = Map.of(
      String.class, Function.identity(),
      Integer.class, Integer::valueOf,
      Long.class, Long::valueOf,
      Short.class, Short::valueOf,
      Byte.class, Byte::valueOf,
      Character.class, s -> s.charAt(0),
      Boolean.class, Boolean::valueOf,
      UUID.class, UUID::fromString);

  private final Class<K> type;
  private final String cache;
  private final byte[] prefix;
  private final String pattern;
  private final long maxKeyBytes;

  private RedisKeys(Class<K> type, String namespace, String cache, long maxKeyBytes) {
    this.type = type;
    this.cache = cache;
    this.prefix = (namespace + ":" + cache + ":").getBytes(StandardCharsets.UTF_8);
    this.pattern = glob(namespace) + ":" + glob(cache) + ":*";
    this.maxKeyBytes = maxKeyBytes;
  }

  /** These keys, refusing any whose text is longer than {@code maxKeyBytes} in UTF-8. */
  RedisKeys<K> limitedTo(long maxKeyBytes) {
    String namespace = new String(prefix, 0, prefix.length - cache.length() - 2,
        StandardCharsets.UTF_8);
    return new RedisKeys<>(type, namespace, cache, maxKeyBytes);
  }

  /**
   * The keys of cache {@code cache} in {@code namespace}, for keys of {@code type}.
   *
   * @throws CacheConfigException if keys of {@code type} cannot be written as Redis keys
   */
  static <K> RedisKeys<K> of(Class<K> type, String namespace, String cache) {
    if (!PARSERS.containsKey(type)) {
      throw new CacheConfigException("Cache '" + cache + "': the redis engine stores keys of type "
          + "String, a boxed primitive or UUID, not " + type.getName() + "; turn the key into a "
          + "String (@UCache keys are)");
    }
    return new RedisKeys<>(type, namespace, cache, Long.MAX_VALUE);
  }

  /** The SCAN MATCH pattern of every key of this cache, and of no other cache's. */
  String pattern() {
    return pattern;
  }

  /** The key that {@code key} must be to belong to this cache, or {@code null} if it cannot. */
  @Nullable K cast(Object key) {
    return type.isInstance(key) ? type.cast(key) : null;
  }

  /**
   * The Redis key of {@code key}.
   *
   * @throws IllegalArgumentException if the key's text holds an unpaired surrogate: UTF-8 has
   *     no bytes for one, so it would share its Redis key with the same text holding {@code ?};
   *     or if it is longer than {@code max-key-bytes}
   */
  byte[] encode(K key) {
    String text = String.valueOf(key);
    int unpaired = unpairedSurrogate(text);
    if (unpaired >= 0) {
      throw new IllegalArgumentException("A key holding the unpaired surrogate U+"
          + Integer.toHexString(text.charAt(unpaired)).toUpperCase(java.util.Locale.ROOT)
          + " at index " + unpaired + " cannot be a Redis key: Redis keys are UTF-8, which has "
          + "no bytes for it");
    }
    if (type == String.class && text.startsWith("#")) {
      text = "#" + text;
    }
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    if (body.length > maxKeyBytes) {
      // Checked before any command is sent: a hashed key's text still travels in its value.
      throw new IllegalArgumentException("Cache '" + cache + "': a key of " + body.length
          + " bytes is longer than max-key-bytes (" + maxKeyBytes + " bytes): '"
          + text.substring(0, Math.min(40, text.length())) + "...'");
    }
    if (body.length > MAX_PLAIN) {
      body = ("#" + Base64.getUrlEncoder().withoutPadding().encodeToString(sha256(body)))
          .getBytes(StandardCharsets.UTF_8);
    }
    byte[] out = Arrays.copyOf(prefix, prefix.length + body.length);
    System.arraycopy(body, 0, out, prefix.length, body.length);
    return out;
  }

  /** Whether {@code key} was hashed: {@link #encode} wrote its digest, not the key. */
  boolean isHashed(byte[] redisKey) {
    return redisKey.length > prefix.length && redisKey[prefix.length] == '#'
        && !(redisKey.length > prefix.length + 1 && redisKey[prefix.length + 1] == '#');
  }

  /** The key whose {@link #encode} gave {@code redisKey}; {@code null} for a hashed or foreign one. */
  @Nullable K decode(byte[] redisKey) {
    if (redisKey.length < prefix.length || isHashed(redisKey)) {
      return null;
    }
    String text = new String(redisKey, prefix.length, redisKey.length - prefix.length,
        StandardCharsets.UTF_8);
    if (text.startsWith("##")) {
      text = text.substring(1);
    }
    return parse(text);
  }

  /** The key as the stored value's header carries it for a hashed key. */
  @Nullable K parse(String text) {
    try {
      return type.cast(PARSERS.get(type).apply(text));
    } catch (RuntimeException e) {
      return null; // another client's key that only looks like ours
    }
  }

  /** The text a hashed key's value carries. */
  static String text(Object key) {
    return String.valueOf(key);
  }

  /** The index of the first unpaired surrogate of {@code text}, or -1. */
  static int unpairedSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return i;
      }
    }
    return -1;
  }

  private static byte[] sha256(byte[] bytes) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(bytes);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** {@code text} with Redis glob characters escaped, for a MATCH pattern. */
  private static String glob(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
