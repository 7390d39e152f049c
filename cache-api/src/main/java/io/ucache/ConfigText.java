package io.ucache;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text formats every configuration source shares: durations and sizes, as
 * {@link CacheConfig#parseDuration} and {@link CacheConfig#parseSize} document them. Stateless
 * and thread-safe.
 */
final class ConfigText {

  private ConfigText() {}

  private static final Pattern SIMPLE_DURATION =
      Pattern.compile("(\\d+)\\s*(ns|us|ms|s|m|h|d)", Pattern.CASE_INSENSITIVE);
  private static final Pattern SIZE =
      Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib|tb|tib)?", Pattern.CASE_INSENSITIVE);

  /**
   * Parses a duration: ISO-8601 ({@code PT10M}, {@code P2D}) or a whole number and a unit
   * ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d}; also {@code ns} and
   * {@code us}).
   *
   * @throws IllegalArgumentException if the text is neither
   */
  static Duration duration(String text) {
    String trimmed = text.trim();
    Matcher m = SIMPLE_DURATION.matcher(trimmed);
    if (m.matches()) {
      long amount;
      try {
        amount = Long.parseLong(m.group(1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("duration out of range: " + text, e);
      }
      try {
        return switch (m.group(2).toLowerCase(Locale.ROOT)) {
          case "ns" -> Duration.ofNanos(amount);
          case "us" -> Duration.ofNanos(Math.multiplyExact(amount, 1000L));
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          case "m" -> Duration.ofMinutes(amount);
          case "h" -> Duration.ofHours(amount);
          default -> Duration.ofDays(amount);
        };
      } catch (ArithmeticException e) {
        throw new IllegalArgumentException("duration out of range: " + text, e);
      }
    }
    if (trimmed.length() > 1 && (trimmed.charAt(0) == 'P' || trimmed.charAt(0) == 'p')) {
      try {
        return Duration.parse(trimmed.toUpperCase(Locale.ROOT));
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not a duration: " + text, e);
      }
    }
    throw new IllegalArgumentException("not a duration: " + text);
  }

  /**
   * Parses a size in bytes: a whole number, optionally followed by {@code B}, {@code KB},
   * {@code MB}, {@code GB} or {@code TB} (powers of 1024; {@code KiB}... also accepted).
   *
   * @throws IllegalArgumentException if the text is not a size or overflows a long
   */
  static long size(String text) {
    Matcher m = SIZE.matcher(text.trim().replace("_", ""));
    if (!m.matches()) {
      throw new IllegalArgumentException("not a size: " + text);
    }
    String unit = m.group(2) == null ? "b" : m.group(2).toLowerCase(Locale.ROOT);
    int shift = switch (unit.charAt(0)) {
      case 'k' -> 10;
      case 'm' -> 20;
      case 'g' -> 30;
      case 't' -> 40;
      default -> 0;
    };
    try {
      return Math.multiplyExact(Long.parseLong(m.group(1)), 1L << shift);
    } catch (ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException("size out of range: " + text, e);
    }
  }
}
