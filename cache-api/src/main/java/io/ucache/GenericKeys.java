package io.ucache;

import static io.ucache.ConfigKey.generic;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The generic keys every engine understands ({@code engine}, {@code ttl}, {@code max-size},
 * {@code timeout}...), which {@link CacheConfig} reads and its builder sets, and how a name that
 * is not one is recognised as a misspelling of one. Engines declare their own keys with
 * {@link ConfigKey}'s factories instead. Immutable; thread-safe.
 */
final class GenericKeys {

  private static final Pattern ENGINE_NAME = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.\\-]+");
  private static final Set<String> CODECS = Set.of("auto", "string", "bytes", "java", "json");
  private static final String DURATION_TEXT = ConfigKey.DURATION_TEXT;

  static final ConfigKey<String> ENGINE = generic("engine", String.class, false,
      "an engine name such as caffeine, ehcache or redis", ConfigKey::lowerCase,
      name -> ENGINE_NAME.matcher(name).matches());
  @SuppressWarnings({"unchecked", "rawtypes"})
  static final ConfigKey<Set<Capability>> REQUIRE = generic("require", (Class) Set.class, false,
      "a comma-separated list of capabilities: " + capabilityNames(),
      GenericKeys::parseCapabilities, set -> true);
  static final ConfigKey<Long> MAX_SIZE = generic("max-size", Long.class, true,
      "a number of entries, 0 or more", GenericKeys::parseCount, n -> n >= 0);
  static final ConfigKey<Duration> TTL = generic("ttl", Duration.class, true,
      DURATION_TEXT, CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Duration> EXPIRE_AFTER_ACCESS = generic("expire-after-access",
      Duration.class, true, DURATION_TEXT, CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Double> TTL_JITTER = generic("ttl-jitter", Double.class, true,
      "a fraction of ttl from 0 to 0.9, such as 0.1 or 10%", GenericKeys::parseFraction,
      f -> f >= 0 && f <= 0.9);
  static final ConfigKey<Duration> NULL_TTL = generic("null-ttl", Duration.class, true,
      DURATION_TEXT, CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Duration> REFRESH_AFTER = generic("refresh-after", Duration.class,
      true, DURATION_TEXT, CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Duration> STALE_WHILE_REVALIDATE = generic("stale-while-revalidate",
      Duration.class, true, DURATION_TEXT, CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Duration> STALE_IF_ERROR = generic("stale-if-error", Duration.class,
      true, DURATION_TEXT, CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<SingleFlightScope> SINGLE_FLIGHT = generic("single-flight.scope",
      SingleFlightScope.class, true, "process or cluster",
      text -> SingleFlightScope.valueOf(text.trim().toUpperCase(Locale.ROOT)), scope -> true);
  static final ConfigKey<Duration> SINGLE_FLIGHT_LEASE_TIME = generic(
      "single-flight.lease-time", Duration.class, true, DURATION_TEXT,
      CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Boolean> NULL_VALUES = generic("null-values", Boolean.class, true,
      "true or false", ConfigKey::parseBoolean, b -> true);
  static final ConfigKey<String> NAMESPACE_KEY = generic("namespace", String.class, false,
      "letters, digits, '_', '.' or '-'", String::trim, s -> NAMESPACE.matcher(s).matches());
  static final ConfigKey<Duration> TIMEOUT = generic("timeout", Duration.class, false,
      DURATION_TEXT, CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Duration> LOAD_TIMEOUT = generic("load-timeout", Duration.class, true,
      DURATION_TEXT, CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<String> CODEC = generic("codec", String.class, true,
      "one of " + String.join(", ", CODECS.stream().sorted().toList()),
      ConfigKey::lowerCase, CODECS::contains);
  static final ConfigKey<Integer> CODEC_VERSION = generic("codec-version", Integer.class, true,
      "a number from 0 to 1000000", text -> Integer.parseInt(text.trim().replace("_", "")),
      n -> n >= 0 && n <= 1_000_000);
  static final ConfigKey<FailMode> FAIL_MODE = generic("fail-mode", FailMode.class, false,
      "open or closed", text -> FailMode.valueOf(text.trim().toUpperCase(Locale.ROOT)), m -> true);
  static final ConfigKey<Boolean> STATS = generic("stats", Boolean.class, true,
      "true or false", ConfigKey::parseBoolean, b -> true);
  static final ConfigKey<Boolean> NEAR_ENABLED = generic("near.enabled", Boolean.class, true,
      "true or false", ConfigKey::parseBoolean, b -> true);
  static final ConfigKey<Long> NEAR_MAX_SIZE = generic("near.max-size", Long.class, true,
      "a number of entries, 1 or more", GenericKeys::parseCount, n -> n > 0);
  static final ConfigKey<Duration> NEAR_MAX_STALENESS = generic("near.max-staleness",
      Duration.class, true, DURATION_TEXT, CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Integer> CIRCUIT_BREAKER_FAILURES = generic(
      "circuit-breaker.failures", Integer.class, false,
      "a number of consecutive failures from 1 to 1000000, or 0 to never open the circuit",
      text -> Integer.parseInt(text.trim().replace("_", "")), n -> n >= 0 && n <= 1_000_000);
  static final ConfigKey<Duration> CIRCUIT_BREAKER_COOL_DOWN = generic(
      "circuit-breaker.cool-down", Duration.class, false, DURATION_TEXT,
      CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Duration> STATS_LOG_INTERVAL = generic("stats-log-interval",
      Duration.class, false, DURATION_TEXT, CacheConfig::parseDuration, ConfigKey::positive);
  static final ConfigKey<Boolean> JMX_ENABLED = generic("jmx.enabled", Boolean.class, false,
      "true or false", ConfigKey::parseBoolean, b -> true);
  static final ConfigKey<Boolean> TRACING_KEYS = generic("tracing.keys", Boolean.class, true,
      "true or false", ConfigKey::parseBoolean, b -> true);
  static final ConfigKey<Long> MAX_KEY_BYTES = generic("max-key-bytes", Long.class, true,
      "a positive size such as 64KB or 1024 (bytes)", CacheConfig::parseSize, n -> n > 0);
  static final ConfigKey<Long> MAX_VALUE_BYTES = generic("max-value-bytes", Long.class, true,
      "a positive size such as 16MB or 1048576 (bytes)", CacheConfig::parseSize, n -> n > 0);

  /** Every generic key, by name, in documentation order. */
  static final Map<String, ConfigKey<?>> ALL;

  static {
    Map<String, ConfigKey<?>> all = new LinkedHashMap<>();
    for (ConfigKey<?> key : new ConfigKey<?>[] {ENGINE, REQUIRE, MAX_SIZE, TTL,
        EXPIRE_AFTER_ACCESS, TTL_JITTER, NULL_TTL, REFRESH_AFTER, STALE_WHILE_REVALIDATE,
        STALE_IF_ERROR, NULL_VALUES, NAMESPACE_KEY, TIMEOUT, LOAD_TIMEOUT, SINGLE_FLIGHT,
        SINGLE_FLIGHT_LEASE_TIME, CODEC, CODEC_VERSION,
        FAIL_MODE, STATS, STATS_LOG_INTERVAL, JMX_ENABLED, TRACING_KEYS, NEAR_ENABLED,
        NEAR_MAX_SIZE, NEAR_MAX_STALENESS,
        CIRCUIT_BREAKER_FAILURES, CIRCUIT_BREAKER_COOL_DOWN, MAX_KEY_BYTES, MAX_VALUE_BYTES}) {
      all.put(key.name, key);
    }
    ALL = Collections.unmodifiableMap(all);
  }

  private GenericKeys() {}

  /**
   * The generic key that {@code name} is probably a misspelling of: within a third of its length
   * in edits (at least one), case and '_' for '-' ignored.
   */
  static @Nullable String typoOf(String name) {
    String lower = name.toLowerCase(Locale.ROOT).replace('_', '-');
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String candidate : ALL.keySet()) {
      int distance = editDistance(lower, candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return bestDistance <= Math.max(1, name.length() / 3) ? best : null;
  }

  /** The candidate closest to {@code name}, if within two edits. */
  static @Nullable String closest(String name, Iterable<String> candidates) {
    String best = null;
    int bestDistance = 3;
    for (String candidate : candidates) {
      int distance = editDistance(name.toLowerCase(Locale.ROOT), candidate);
      if (distance < bestDistance) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return best;
  }

  static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1),
            previous[j - 1] + cost);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }

  /** {@code 0.1} or {@code 10%}. */
  private static double parseFraction(String text) {
    String trimmed = text.trim();
    double value = trimmed.endsWith("%")
        ? Double.parseDouble(trimmed.substring(0, trimmed.length() - 1).trim()) / 100
        : Double.parseDouble(trimmed);
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a finite number: " + text);
    }
    return value;
  }

  private static long parseCount(String text) {
    return Long.parseLong(text.trim().replace("_", ""));
  }

  private static Set<Capability> parseCapabilities(String text) {
    Set<Capability> set = EnumSet.noneOf(Capability.class);
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        set.add(Capability.fromConfigName(part));
      }
    }
    return Collections.unmodifiableSet(set);
  }

  private static String capabilityNames() {
    return String.join(", ", Arrays.stream(Capability.values())
        .map(Capability::configName).toList());
  }
}
