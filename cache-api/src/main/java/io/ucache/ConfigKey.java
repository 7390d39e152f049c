package io.ucache;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One configuration key: its name, how its text parses, what a valid value is, its default,
 * whether it is a secret and whether a single cache may override it ({@code caches.<name>.<key>}).
 *
 * <p>{@link CacheConfig} owns the generic keys every engine understands ({@code engine},
 * {@code ttl}, {@code max-size}, {@code timeout}...). An engine declares its own keys with the
 * static factories ({@link #ofString}, {@link #ofUrl}, {@link #ofSize}...) in
 * {@code io.ucache.spi.EngineProvider#configKeys()}, and reads them with
 * {@link CacheConfig#get(ConfigKey)}:
 *
 * <pre>{@code
 * public static final ConfigKey<Path> STORE_PATH = ConfigKey.ofPath("store.path")
 *     .describedAs("the file the memo engine keeps its entries in").perCache();
 * ...
 * Path path = config.get(STORE_PATH).orElseThrow();
 * }</pre>
 *
 * <p>Every configuration source (builder, map, {@code ucache.*} system properties,
 * {@code UCACHE_*} environment variables, Spring, the CLI's {@code --config}) accepts a declared
 * key with no change to this library: values of keys that are not generic are kept as text until
 * the installed engines' declarations validate them ({@code EngineManager} does, before any
 * engine starts).
 *
 * <p>A declared name is lower case: letters, digits, dots and dashes; it may not be a generic key
 * nor a near-miss of one (within a third of its length in edits, at least one), which the
 * builder refuses as a typo.
 *
 * <p><b>Thread-safety:</b> immutable and thread-safe; the modifiers return new keys.
 * <b>Nulls:</b> no method accepts {@code null}; an absent default is an empty optional.
 *
 * @param <T> the type of the parsed value
 */
public final class ConfigKey<T> {

  private static final Pattern KEY_NAME = Pattern.compile("[a-z][a-z0-9]*([.-][a-z0-9]+)*");
  static final String DURATION_TEXT =
      "a positive duration such as 500ms, 30s, 10m, 1h, 2d or ISO-8601 PT10M";

  final String name;
  final boolean secret;
  final boolean perCache;
  final String expected;
  private final Class<T> type;
  /** A URL that may hold a password: masked when shown, and never echoed when invalid. */
  private final boolean url;
  private final Function<String, T> parser;
  private final Predicate<? super T> valid;
  private final Function<? super T, String> formatter;
  private final @Nullable T defaultValue;
  private final String description;

  private ConfigKey(String name, Class<T> type, boolean secret, boolean url, boolean perCache,
      String expected, Function<String, T> parser, Predicate<? super T> valid,
      Function<? super T, String> formatter, @Nullable T defaultValue, String description) {
    this.name = name;
    this.type = type;
    this.secret = secret;
    this.url = url;
    this.perCache = perCache;
    this.expected = expected;
    this.parser = parser;
    this.valid = valid;
    this.formatter = formatter;
    this.defaultValue = defaultValue;
    this.description = description;
  }

  /** A generic key ({@link GenericKeys}): no description, shown as {@code String.valueOf}. */
  static <T> ConfigKey<T> generic(String name, Class<T> type, boolean perCache,
      String expected, Function<String, T> parser, Predicate<? super T> valid) {
    return new ConfigKey<>(name, type, false, false, perCache, expected, parser, valid,
        String::valueOf, null, "");
  }

  private static <T> ConfigKey<T> declared(String name, Class<T> type, String expected,
      Function<String, T> parser, Predicate<? super T> valid, Function<? super T, String> format) {
    checkDeclaredName(name);
    return new ConfigKey<>(name, type, false, false, false, expected, parser, valid, format, null,
        "");
  }

  // --- factories for engines' keys -------------------------------------------------------

  /** Text, trimmed; valid when not blank. */
  public static ConfigKey<String> ofString(String name) {
    return declared(name, String.class, "a non-blank text", String::trim, s -> !s.isBlank(),
        s -> s);
  }

  /** A whole number ({@code _} separators allowed); any int is valid until {@link #validate}. */
  public static ConfigKey<Integer> ofInt(String name) {
    return declared(name, Integer.class, "a whole number",
        text -> Integer.parseInt(text.trim().replace("_", "")), n -> true, String::valueOf);
  }

  /** A whole number ({@code _} separators allowed); any long is valid until {@link #validate}. */
  public static ConfigKey<Long> ofLong(String name) {
    return declared(name, Long.class, "a whole number",
        text -> Long.parseLong(text.trim().replace("_", "")), n -> true, String::valueOf);
  }

  /** {@code true} or {@code false}, in any case. */
  public static ConfigKey<Boolean> ofBoolean(String name) {
    return declared(name, Boolean.class, "true or false", ConfigKey::parseBoolean, b -> true,
        String::valueOf);
  }

  /** A positive duration, as {@link CacheConfig#parseDuration} reads it. */
  public static ConfigKey<Duration> ofDuration(String name) {
    return declared(name, Duration.class, DURATION_TEXT, CacheConfig::parseDuration,
        ConfigKey::positive, Duration::toString);
  }

  /** A positive size in bytes, as {@link CacheConfig#parseSize} reads it. */
  public static ConfigKey<Long> ofSize(String name) {
    return declared(name, Long.class, "a positive size such as 512MB, 2GB or 1048576 (bytes)",
        CacheConfig::parseSize, n -> n > 0, String::valueOf);
  }

  /** A file system path; a leading {@code ~/} is the user's home. */
  public static ConfigKey<Path> ofPath(String name) {
    return declared(name, Path.class, "a path", ConfigKey::parsePath, p -> true, Path::toString);
  }

  /** One of {@code type}'s constants, in any case, with {@code -} for {@code _}. */
  public static <E extends Enum<E>> ConfigKey<E> ofEnum(String name, Class<E> type) {
    String choices = String.join(", ", Arrays.stream(type.getEnumConstants())
        .map(ConfigKey::enumText).toList());
    return declared(name, type, "one of " + choices,
        text -> Enum.valueOf(type, text.trim().toUpperCase(Locale.ROOT).replace('-', '_')),
        e -> true, ConfigKey::enumText);
  }

  /**
   * A URL, or several separated by commas, that may hold a password
   * ({@code scheme://user:password@host}): the password is masked wherever the value is shown,
   * and an invalid value is never echoed (masking needs a URL that parses).
   */
  public static ConfigKey<String> ofUrl(String name) {
    ConfigKey<String> key = ofString(name);
    return new ConfigKey<>(key.name, String.class, false, true, false, "a URL", key.parser,
        key.valid, key.formatter, null, "");
  }

  /** A secret (a password, a token): never shown, in any message, log or {@code toString}. */
  public static ConfigKey<String> ofSecret(String name) {
    return declared(name, String.class, "a non-empty secret", text -> text, s -> !s.isEmpty(),
        s -> s).masked();
  }

  // --- modifiers ---------------------------------------------------------------------------

  /** This key with a default, what {@link CacheConfig#get} returns when the key is unset. */
  public ConfigKey<T> withDefault(T value) {
    Objects.requireNonNull(value, "default");
    if (!valid.test(value)) {
      throw new IllegalArgumentException("Default of '" + name + "' is invalid: " + value);
    }
    return new ConfigKey<>(name, type, secret, url, perCache, expected, parser, valid, formatter,
        value, description);
  }

  /** This key, also settable for one cache as {@code caches.<name>.<key>}. */
  public ConfigKey<T> perCache() {
    return new ConfigKey<>(name, type, secret, url, true, expected, parser, valid, formatter,
        defaultValue, description);
  }

  /** This key, its values secret: never shown. */
  public ConfigKey<T> masked() {
    return new ConfigKey<>(name, type, true, url, perCache, expected, parser, valid, formatter,
        defaultValue, description);
  }

  /**
   * This key, valid only where {@code rule} also holds; {@code expected} says what a valid value
   * is, for error messages ("a port from 1 to 65535").
   */
  public ConfigKey<T> validate(Predicate<? super T> rule, String expected) {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(expected, "expected");
    Predicate<? super T> before = valid;
    return new ConfigKey<>(name, type, secret, url, perCache, expected,
        parser, (T value) -> before.test(value) && rule.test(value), formatter, defaultValue,
        description);
  }

  /** This key with a one-line description, for documentation, help and IDE metadata. */
  public ConfigKey<T> describedAs(String text) {
    return new ConfigKey<>(name, type, secret, url, perCache, expected, parser, valid, formatter,
        defaultValue, Objects.requireNonNull(text, "text"));
  }

  // --- accessors ---------------------------------------------------------------------------

  /** The key as written in configuration, such as {@code store.path}. */
  public String name() {
    return name;
  }

  /** The type of its values. */
  public Class<T> type() {
    return type;
  }

  /** The value {@link CacheConfig#get} gives when the key is unset. */
  public Optional<T> defaultValue() {
    return Optional.ofNullable(defaultValue);
  }

  /** Whether its values are never shown. */
  public boolean isSecret() {
    return secret;
  }

  /** Whether one cache may set it as {@code caches.<name>.<key>}. */
  public boolean isPerCache() {
    return perCache;
  }

  /** What a valid value is, as error messages say it. */
  public String expected() {
    return expected;
  }

  /** A one-line description; empty if none was given. */
  public String description() {
    return description;
  }

  /** The environment variable of this key, such as {@code UCACHE_STORE_PATH}. */
  public String environmentVariable() {
    return "UCACHE_" + environmentSuffix();
  }

  /**
   * {@code key} as the part of an environment variable after {@code UCACHE_}: upper case, dots
   * and dashes as {@code _} ({@code store.path} gives {@code STORE_PATH}). Two keys with the same
   * form are the same key to every source.
   */
  public static String environmentVariableOf(String key) {
    return environmentForm(Objects.requireNonNull(key, "key"));
  }

  /**
   * Parses and validates {@code text} as a value of this key.
   *
   * @throws CacheConfigException naming the key, and the value unless it may hold a secret
   */
  public T parse(String text) {
    return parse(name, Objects.requireNonNull(text, "text"));
  }

  /** {@code value} as configuration text that {@link #parse} reads back. */
  public String format(T value) {
    return formatter.apply(Objects.requireNonNull(value, "value"));
  }

  // --- internals -----------------------------------------------------------------------------

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
    if (!type.isInstance(value) || !valid.test(value)) {
      throw invalid(shownAs, String.valueOf(shown), null);
    }
    return value;
  }

  CacheConfigException invalid(String shownAs, String text, @Nullable String detail) {
    // A secret is never shown, nor a malformed URL: masking cannot find a password in text that
    // does not parse as a URL.
    String value = secret ? "'" + Secrets.MASK + "' "
        : url ? "(not shown: it may hold a password) " : "'" + text + "' ";
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
    if (value instanceof Enum<?> constant) {
      return enumText(constant);
    }
    return Secrets.maskUrl(String.valueOf(value));
  }

  /** The environment variable for this key without {@code UCACHE_}, such as {@code MAX_SIZE}. */
  String environmentSuffix() {
    return environmentForm(name);
  }

  /** {@code name} as an environment variable writes it: upper case, dots and dashes as '_'. */
  static String environmentForm(String name) {
    StringBuilder form = new StringBuilder(name.length());
    name.toUpperCase(Locale.ROOT).chars().forEach(c ->
        form.append((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ? (char) c : '_'));
    return form.toString();
  }

  private static void checkDeclaredName(String name) {
    Objects.requireNonNull(name, "name");
    if (!KEY_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Invalid configuration key name '" + name
          + "': lower-case letters and digits, separated by '.' or '-'");
    }
    if (name.startsWith("caches.") || GenericKeys.ALL.containsKey(name)
        || GenericKeys.typoOf(name) != null) {
      throw new IllegalArgumentException("Configuration key '" + name + "' is, or is too close "
          + "to, the generic key '" + GenericKeys.typoOf(name)
          + "' or caches.<name>.<key>: choose another name");
    }
  }

  private static String enumText(Enum<?> constant) {
    return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  @Override
  public String toString() {
    return name;
  }

  static String lowerCase(String text) {
    return text.trim().toLowerCase(Locale.ROOT);
  }

  static boolean positive(Duration duration) {
    return !duration.isNegative() && !duration.isZero();
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
}
