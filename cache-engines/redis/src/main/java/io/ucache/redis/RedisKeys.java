package io.ucache.redis;

import io.lettuce.core.cluster.SlotHash;
import io.ucache.CacheConfigException;
import io.ucache.spi.KeyText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * The Redis keys of one cache: {@code <namespace>:<cache>:<encoded key>}. Immutable and
 * thread-safe; {@code null} is never accepted or returned but where marked.
 *
 * <p><b>Cache segment.</b> The cache name as UTF-8 text, so {@code thé-été} stays readable, with
 * three characters escaped: {@code %} as {@code %25}, {@code :} as {@code %3A} (the engine refuses
 * it anyway) and an unpaired surrogate, which UTF-8 cannot hold, as {@code %u} and four hex
 * digits ({@code %uD800}). Every escape starts with {@code %} and {@code %} itself is escaped,
 * so two names never share a segment. The namespace is written as it is.
 *
 * <p><b>Encoded key</b> (format 2; format 1 wrote every type as its bare text, so {@code 1} and
 * {@code "1"} met):
 * <ul>
 *   <li>A {@code String} key is its UTF-8 text: {@code redis-cli GET ucache:users:alice} finds
 *       it. A String that starts with {@code #} is written with a second {@code #}
 *       ({@code "#x"} becomes {@code ##x}), so no String key starts with {@code #} and one
 *       other character than {@code #}.
 *   <li>Any other key is {@code #<type>:<canonical text>}: {@code #int:1}, {@code #long:1},
 *       {@code #short:1}, {@code #byte:1}, {@code #char:x}, {@code #bool:true},
 *       {@code #uuid:<uuid>}. Keys of different types never share a Redis key, and a key is
 *       read back only from its own type's canonical text ({@code #int:+1} is foreign).
 *   <li>An encoded key longer than {@link #MAX_PLAIN} bytes is {@code #} and the base64url
 *       SHA-256 of its encoding (43 characters, never a {@code :}); its value carries the key
 *       (the key text of its {@code StoredValueFormat} header), since it cannot be read back from its name.
 * </ul>
 * Anything else under the prefix (another client's {@code #abc}) is foreign: {@link #decode}
 * returns {@code null} for it. A Redis glob character in the namespace or cache name is escaped
 * in {@link #pattern()}.
 *
 * @param <K> the key type
 */
final class RedisKeys<K> {

  /** Longest encoded key kept as it is. */
  static final int MAX_PLAIN = 256;
  /** Length of {@code #} and a base64url SHA-256 without padding. */
  private static final int HASHED_LENGTH = 44;

  private final Class<K> type;
  private final KeyText<K> keyText;
  private final String namespace;
  private final String cache;
  private final byte[] prefix;
  private final String pattern;
  private final byte[] sizeIndex;
  private final byte[] leasePrefix;
  private final long maxKeyBytes;

  private RedisKeys(Class<K> type, String namespace, String cache, long maxKeyBytes) {
    this.type = type;
    this.keyText = KeyText.of(type);
    this.namespace = namespace;
    this.cache = cache;
    String segment = segment(cache);
    this.prefix = (namespace + ":" + segment + ":").getBytes(StandardCharsets.UTF_8);
    this.pattern = glob(namespace) + ":" + glob(segment) + ":*";
    this.sizeIndex = (namespace + ":" + segment).getBytes(StandardCharsets.UTF_8);
    this.leasePrefix = (namespace + "::lease:").getBytes(StandardCharsets.UTF_8);
    this.maxKeyBytes = maxKeyBytes;
  }

  /** These keys, refusing any whose text is longer than {@code maxKeyBytes} in UTF-8. */
  RedisKeys<K> limitedTo(long maxKeyBytes) {
    return new RedisKeys<>(type, namespace, cache, maxKeyBytes);
  }

  /**
   * The keys of cache {@code cache} in {@code namespace}, for keys of {@code type}.
   *
   * @throws CacheConfigException if keys of {@code type} cannot be written as Redis keys
   */
  static <K> RedisKeys<K> of(Class<K> type, String namespace, String cache) {
    if (!KeyText.supports(type)) {
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

  /**
   * The key of this cache's {@code max-size} index ({@link SizeIndex}): {@code
   * <namespace>:<cache>}, the cache escaped as in its keys; never one of {@link #pattern()}'s.
   */
  byte[] sizeIndex() {
    return sizeIndex.clone();
  }

  /**
   * The key of the load lease of {@code redisKey} ({@code single-flight.scope=cluster}):
   * {@code <namespace>::lease:{<tag>}:<redis key>}, where the tag hashes to the Redis Cluster
   * slot of {@code redisKey}, so one script can check the lease and write the value. No cache's
   * {@link #pattern()} matches it: a cache segment is never empty.
   */
  byte[] leaseKey(byte[] redisKey) {
    byte[] tag = ("{" + SlotTags.of(SlotHash.getSlot(redisKey)) + "}:")
        .getBytes(StandardCharsets.US_ASCII);
    byte[] out = Arrays.copyOf(leasePrefix, leasePrefix.length + tag.length + redisKey.length);
    System.arraycopy(tag, 0, out, leasePrefix.length, tag.length);
    System.arraycopy(redisKey, 0, out, leasePrefix.length + tag.length, redisKey.length);
    return out;
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
    String text = keyText.encode(key);
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

  /** Whether {@code redisKey} was hashed: {@link #encode} wrote its digest, not the key. */
  boolean isHashed(byte[] redisKey) {
    if (redisKey.length != prefix.length + HASHED_LENGTH || redisKey[prefix.length] != '#') {
      return false;
    }
    for (int i = prefix.length + 1; i < redisKey.length; i++) {
      byte b = redisKey[i];
      boolean base64url = (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z')
          || (b >= '0' && b <= '9') || b == '-' || b == '_';
      if (!base64url) {
        return false;
      }
    }
    return true;
  }

  /**
   * The key whose {@link #encode} gave {@code redisKey}; {@code null} for a hashed one, a key of
   * another type, or a foreign one.
   */
  @Nullable K decode(byte[] redisKey) {
    if (redisKey.length < prefix.length || isHashed(redisKey)) {
      return null;
    }
    K key = keyText.decode(new String(redisKey, prefix.length, redisKey.length - prefix.length,
        StandardCharsets.UTF_8));
    // Only the canonical text is this key: #int:+1 is another client's, not the key 1.
    return key != null && Arrays.equals(encodeOrNull(key), redisKey) ? key : null;
  }

  private byte @Nullable [] encodeOrNull(K key) {
    try {
      return encode(key);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The key as the stored value's header carries it for a hashed key. */
  @Nullable K parse(String text) {
    return keyText.parse(text);
  }

  /** The text a hashed key's value carries. */
  static String text(Object key) {
    return String.valueOf(key);
  }

  /** The cache name with {@code %}, {@code :} and unpaired surrogates escaped. */
  static String segment(String cache) {
    StringBuilder out = new StringBuilder(cache.length());
    for (int i = 0; i < cache.length(); i++) {
      char c = cache.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < cache.length()
          && Character.isLowSurrogate(cache.charAt(i + 1))) {
        out.append(c).append(cache.charAt(++i));
      } else if (Character.isSurrogate(c)) {
        out.append("%u").append(String.format(Locale.ROOT, "%04X", (int) c));
      } else if (c == '%') {
        out.append("%25");
      } else if (c == ':') {
        out.append("%3A");
      } else {
        out.append(c);
      }
    }
    return out.toString();
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
