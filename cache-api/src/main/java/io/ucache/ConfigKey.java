package io.ucache;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One configuration key: its text name, how its text parses, what a valid value is, whether it
 * is a secret and whether a single cache may override it. The table {@link #ALL} is the single
 * source of the keys that every configuration source (builder, map, system properties,
 * environment, Spring, CLI) accepts.
 */
final class ConfigKey<T> {

  private static final Pattern ENGINE_NAME = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.\\-]+");
  private static final Set<String> CODECS = Set.of("auto", "string", "bytes", "java", "json");

  static final ConfigKey<String> ENGINE = new ConfigKey<>("engine", false, false,
      "an engine name such as caffeine, ehcache or redis", text -> lowerCase(text),
      name -> ENGINE_NAME.matcher(name).matches());
  static final ConfigKey<Set<Capability>> REQUIRE = new ConfigKey<>("require", false, false,
      "a comma-separated list of capabilities: " + capabilityNames(), ConfigKey::parseCapabilities,
      set -> true);
  static final ConfigKey<Long> MAX_SIZE = new ConfigKey<>("max-size", false, true,
      "a number of entries, 0 or more", ConfigKey::parseCount, n -> n >= 0);
  static final ConfigKey<Duration> TTL = new ConfigKey<>("ttl", false, true,
      "a positive duration such as 500ms, 30s, 10m, 1h, 2d or ISO-8601 PT10M",
      CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Duration> EXPIRE_AFTER_ACCESS = new ConfigKey<>("expire-after-access",
      false, true, "a positive duration such as 500ms, 30s, 10m, 1h, 2d or ISO-8601 PT10M",
      CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Boolean> NULL_VALUES = new ConfigKey<>("null-values", false, true,
      "true or false", ConfigKey::parseBoolean, b -> true);
  static final ConfigKey<String> FOLDER = new ConfigKey<>("folder", false, false,
      "a folder name under base-dir", Function.identity(), s -> !s.isBlank());
  static final ConfigKey<Path> BASE_DIR = new ConfigKey<>("base-dir", false, false,
      "a directory path", ConfigKey::parsePath, p -> true);
  static final ConfigKey<Long> DISK_SIZE = new ConfigKey<>("disk-size", false, true,
      "a positive size such as 512MB, 2GB or 1048576 (bytes)", CacheConfig::parseSize,
      n -> n > 0);
  static final ConfigKey<String> REDIS_URL = new ConfigKey<>("redis.url", false, false,
      "redis://[user:password@]host:port/db, rediss://... for TLS, "
          + "redis-sentinel://[password@]host:port[,host:port]#master, or several "
          + "comma-separated node URLs",
      String::trim, ConfigKey::validRedisUrls);
  static final ConfigKey<String> REDIS_USERNAME = new ConfigKey<>("redis.username", false, false,
      "a Redis ACL user name", String::trim, s -> !s.isEmpty());
  static final ConfigKey<String> REDIS_PASSWORD = new ConfigKey<>("redis.password", true, false,
      "the Redis password", Function.identity(), s -> !s.isEmpty());
  static final ConfigKey<Boolean> REDIS_CLUSTER = new ConfigKey<>("redis.cluster", false, false,
      "true or false", ConfigKey::parseBoolean, b -> true);
  static final ConfigKey<String> NAMESPACE_KEY = new ConfigKey<>("namespace", false, false,
      "letters, digits, '_', '.' or '-'", String::trim, s -> NAMESPACE.matcher(s).matches());
  static final ConfigKey<Duration> TIMEOUT = new ConfigKey<>("timeout", false, false,
      "a positive duration such as 500ms, 30s, 10m, 1h, 2d or ISO-8601 PT10M",
      CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<String> CODEC = new ConfigKey<>("codec", false, true,
      "one of " + String.join(", ", CODECS.stream().sorted().toList()),
      text -> lowerCase(text), CODECS::contains);
  static final ConfigKey<FailMode> FAIL_MODE = new ConfigKey<>("fail-mode", false, false,
      "open or closed", text -> FailMode.valueOf(text.trim().toUpperCase(Locale.ROOT)), m -> true);
  static final ConfigKey<Boolean> STATS = new ConfigKey<>("stats", false, true,
      "true or false", ConfigKey::parseBoolean, b -> true);
  static final ConfigKey<Integer> CIRCUIT_BREAKER_FAILURES = new ConfigKey<>(
      "circuit-breaker.failures", false, false,
      "a number of consecutive failures from 1 to 1000000, or 0 to never open the circuit",
      text -> Integer.parseInt(text.trim().replace("_", "")), n -> n >= 0 && n <= 1_000_000);
  static final ConfigKey<Duration> CIRCUIT_BREAKER_COOL_DOWN = new ConfigKey<>(
      "circuit-breaker.cool-down", false, false,
      "a positive duration such as 500ms, 30s, 10m, 1h, 2d or ISO-8601 PT10M",
      CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Long> MAX_KEY_BYTES = new ConfigKey<>("max-key-bytes", false, true,
      "a positive size such as 64KB or 1024 (bytes)", CacheConfig::parseSize, n -> n > 0);
  static final ConfigKey<Long> MAX_VALUE_BYTES = new ConfigKey<>("max-value-bytes", false, true,
      "a positive size such as 16MB or 1048576 (bytes)", CacheConfig::parseSize, n -> n > 0);

  /** Every key, by name, in documentation order. */
  static final Map<String, ConfigKey<?>> ALL;

  static {
    Map<String, ConfigKey<?>> all = new LinkedHashMap<>();
    for (ConfigKey<?> key : new ConfigKey<?>[] {ENGINE, REQUIRE, MAX_SIZE, TTL,
        EXPIRE_AFTER_ACCESS, NULL_VALUES, FOLDER, BASE_DIR, DISK_SIZE, REDIS_URL, REDIS_USERNAME,
        REDIS_PASSWORD,
        REDIS_CLUSTER, NAMESPACE_KEY, TIMEOUT, CODEC, FAIL_MODE, STATS, CIRCUIT_BREAKER_FAILURES,
        CIRCUIT_BREAKER_COOL_DOWN, MAX_KEY_BYTES, MAX_VALUE_BYTES}) {
      all.put(key.name, key);
    }
    ALL = java.util.Collections.unmodifiableMap(all);
  }

  final String name;
  final boolean secret;
  final boolean perCache;
  final String expected;
  private final Function<String, T> parser;
  private final java.util.function.Predicate<T> valid;

  private ConfigKey(String name, boolean secret, boolean perCache, String expected,
      Function<String, T> parser, java.util.function.Predicate<T> valid) {
    this.name = name;
    this.secret = secret;
    this.perCache = perCache;
    this.expected = expected;
    this.parser = parser;
    this.valid = valid;
  }

  /** Parses and validates {@code text}; {@code shownAs} is the key as the user wrote it. */
  T parse(String shownAs, String text) {
    T value;
    try {
      value = parser.apply(text);
    } catch (RuntimeException e) {
      throw invalid(shownAs, text, null);
    }
    return check(shownAs, value, text);
  }

  /** Validates a value given through a typed builder method. */
  T check(String shownAs, T value, Object shown) {
    if (!valid.test(value)) {
      throw invalid(shownAs, String.valueOf(shown), null);
    }
    return value;
  }

  CacheConfigException invalid(String shownAs, String text, @Nullable String detail) {
    // A secret is never shown, nor a malformed URL: masking cannot find a password in text that
    // does not parse as a URL.
    String value = secret ? "'" + Secrets.MASK + "' "
        : this == REDIS_URL ? "(not shown: it may hold a password) " : "'" + text + "' ";
    return new CacheConfigException(shownAs, "Invalid value " + value + "for key '" + shownAs
        + "': expected " + expected + (detail == null ? "" : " (" + detail + ")"));
  }

  /** The value as configuration text, masked if secret. */
  String display(Object value) {
    if (secret) {
      return Secrets.MASK;
    }
    if (value instanceof Set<?> set) {
      return String.join(",", set.stream().map(c -> ((Capability) c).configName()).toList());
    }
    if (value instanceof FailMode mode) {
      return mode.name().toLowerCase(Locale.ROOT);
    }
    return Secrets.maskUrl(String.valueOf(value));
  }

  /** The environment variable for this key, such as {@code UCACHE_MAX_SIZE}. */
  String environmentSuffix() {
    return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
  }

  @Override
  public String toString() {
    return name;
  }

  private static String lowerCase(String text) {
    return text.trim().toLowerCase(Locale.ROOT);
  }

  private static boolean positive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
  }

  private static long parseCount(String text) {
    return Long.parseLong(text.trim().replace("_", ""));
  }

  private static Path parsePath(String text) {
    String trimmed = text.trim();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("empty path");
    }
    if (trimmed.equals("~") || trimmed.startsWith("~/")) {
      trimmed = System.getProperty("user.home") + trimmed.substring(1);
    }
    try {
      return Path.of(trimmed);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(e.getMessage(), e);
    }
  }

  static boolean parseBoolean(String text) {
    String lower = lowerCase(text);
    if (lower.equals("true")) {
      return true;
    }
    if (lower.equals("false")) {
      return false;
    }
    throw new IllegalArgumentException("not a boolean: " + text);
  }

  private static Set<Capability> parseCapabilities(String text) {
    Set<Capability> set = EnumSet.noneOf(Capability.class);
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        set.add(Capability.fromConfigName(part));
      }
    }
    return java.util.Collections.unmodifiableSet(set);
  }

  private static String capabilityNames() {
    return String.join(", ", java.util.Arrays.stream(Capability.values())
        .map(Capability::configName).toList());
  }

  /**
   * Each comma-separated part is a URL with a Redis scheme and a host, except that a Sentinel
   * URL lists its further sentinels as bare {@code host:port} parts, as Lettuce writes them.
   */
  private static boolean validRedisUrls(String text) {
    String[] parts = text.split(",", -1);
    boolean sentinel = parts[0].trim().toLowerCase(Locale.ROOT).matches("rediss?-sentinel://.*");
    for (int i = 0; i < parts.length; i++) {
      String part = parts[i].trim().toLowerCase(Locale.ROOT);
      boolean url = part.matches("(redis|rediss|redis-sentinel|rediss-sentinel)://\\S+");
      boolean bareSentinel = sentinel && i > 0 && part.matches("[^\\s/@:]+:\\d+(#\\S+)?");
      if (!url && !bareSentinel) {
        return false;
      }
    }
    return true;
  }

}
