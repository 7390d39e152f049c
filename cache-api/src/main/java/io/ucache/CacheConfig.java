package io.ucache;

import io.micrometer.observation.ObservationRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * An engine's configuration: immutable, validated when built. Every source uses the same keys:
 * the {@link Builder}, a {@code Map} or {@code Properties} ({@link #from(Map)}), system
 * properties {@code ucache.<key>} and environment variables {@code UCACHE_<KEY>}
 * ({@link #fromEnvironment()}), Spring's {@code ucache.<key>} and the CLI's
 * {@code --config <key>=<value>}.
 *
 * <table>
 * <caption>Keys</caption>
 * <tr><th>key</th><th>value</th><th>default</th></tr>
 * <tr><td>engine</td><td>an engine name</td><td>the best available for {@code require}, else caffeine</td></tr>
 * <tr><td>require</td><td>capabilities, comma-separated</td><td>none</td></tr>
 * <tr><td>max-size</td><td>entries</td><td>unbounded</td></tr>
 * <tr><td>ttl</td><td>duration after write</td><td>none</td></tr>
 * <tr><td>expire-after-access</td><td>duration after last read or write</td><td>none</td></tr>
 * <tr><td>ttl-jitter</td><td>a fraction (0 to 0.9, or a percentage): each write's ttl is
 *     shortened by a random part of it up to that fraction, so entries written together do
 *     not expire together</td><td>0</td></tr>
 * <tr><td>null-ttl</td><td>duration after write of a cached null (with null-values=true), at
 *     most ttl</td><td>ttl</td></tr>
 * <tr><td>refresh-after</td><td>duration after write after which a read that brings a loader
 *     (or an {@code @UCache} method) returns the value at once and reloads it in the background,
 *     once per key; shorter than ttl</td><td>none</td></tr>
 * <tr><td>stale-while-revalidate</td><td>duration after ttl during which such a read still
 *     returns the expired value while one reload runs; needs ttl</td><td>none</td></tr>
 * <tr><td>stale-if-error</td><td>duration after ttl during which the expired value is returned
 *     when its reload fails; needs ttl</td><td>none</td></tr>
 * <tr><td>null-values</td><td>true/false</td><td>false</td></tr>
 * <tr><td>namespace</td><td>key prefix for shared engines</td><td>ucache</td></tr>
 * <tr><td>timeout</td><td>duration per remote operation</td><td>1s</td></tr>
 * <tr><td>load-timeout</td><td>how long a caller waits for another caller's load of the same
 *     key</td><td>no limit</td></tr>
 * <tr><td>single-flight.scope</td><td>process or cluster: concurrent misses of a key load once per
 *     process, or once across the processes sharing the engine (redis)</td><td>process</td></tr>
 * <tr><td>single-flight.lease-time</td><td>with cluster, how long a load's lease outlives a
 *     holder that stopped renewing it (a dead process)</td><td>10s</td></tr>
 * <tr><td>codec</td><td>auto, string, bytes, java, json</td><td>auto</td></tr>
 * <tr><td>codec-version</td><td>a number; raising it makes every stored value of the cache a
 *     miss (replaced by the next load), without a scan</td><td>0</td></tr>
 * <tr><td>fail-mode</td><td>open/closed</td><td>closed</td></tr>
 * <tr><td>stats</td><td>true/false</td><td>true</td></tr>
 * <tr><td>jmx.enabled</td><td>register the engine and its caches as JMX MXBeans under
 *     {@code io.ucache}</td><td>false</td></tr>
 * <tr><td>tracing.keys</td><td>observations of the cache's calls (with
 *     {@link Builder#observationRegistry}) carry the key's canonical text as {@code ucache.key}
 *     </td><td>false</td></tr>
 * <tr><td>stats-log-interval</td><td>how often each cache's statistics of the interval are
 *     logged at INFO on {@code io.ucache.stats}, one line per cache</td><td>never</td></tr>
 * <tr><td>circuit-breaker.failures</td><td>consecutive failures that open a remote engine's
 *     circuit; 0 never opens it</td><td>5</td></tr>
 * <tr><td>circuit-breaker.cool-down</td><td>how long an open circuit skips the engine before
 *     one call probes it</td><td>5s</td></tr>
 * <tr><td>max-key-bytes</td><td>size of one encoded key</td><td>64KB</td></tr>
 * <tr><td>max-value-bytes</td><td>size of one encoded value</td><td>16MB</td></tr>
 * </table>
 *
 * <p>Engines declare their own keys ({@code redis.url}, {@code folder}, {@code disk-size}...)
 * with {@link ConfigKey} in {@code EngineProvider.configKeys()}; every source accepts them. Until
 * the installed engines' declarations check them ({@code EngineManager} does before an engine
 * starts, {@link #checkedAgainst}), their values are kept as text, and {@link #toString()} masks
 * them all, since only a declaration can say which are secrets. A key that is neither generic nor
 * declared by an installed engine fails then; a near-miss of a generic key ({@code tll}) fails at
 * once.
 *
 * <p>{@code caches.<name>.<key>} overrides {@code max-size}, {@code ttl},
 * {@code expire-after-access}, {@code ttl-jitter}, {@code null-ttl}, {@code refresh-after},
 * {@code stale-while-revalidate}, {@code stale-if-error}, {@code null-values},
 * {@code load-timeout}, {@code single-flight.scope}, {@code single-flight.lease-time},
 * {@code codec}, {@code codec-version}, {@code stats},
 * {@code max-key-bytes}, {@code max-value-bytes} and the engine keys declared per cache for one
 * cache; {@link #forCache(String)} applies them. Durations are ISO-8601
 * ({@code PT10M}) or a number and a unit: {@code ns}, {@code us}, {@code ms}, {@code s},
 * {@code m}, {@code h}, {@code d}. Sizes are bytes or a number and {@code KB}, {@code MB},
 * {@code GB}, {@code TB} (powers of 1024).
 *
 * <p>Secrets (keys declared secret, the password in a URL) are masked in {@link #toString()} and
 * in every exception.
 *
 * <p><b>Thread-safety:</b> immutable and thread-safe; the {@link Builder} is not thread-safe.
 * <b>Nulls:</b> no method accepts or returns {@code null}; unset values are empty optionals.
 */
public final class CacheConfig {

  private static final String CACHES_PREFIX = "caches.";
  private static final String SYSTEM_PREFIX = "ucache.";
  private static final String ENV_PREFIX = "UCACHE_";
  private static final String CACHES_ENV_PREFIX = "CACHES_";
  private static final CacheConfig DEFAULTS = builder().build();

  /** Values that were set, keyed by {@link ConfigKey#name}, in key-table order. */
  private final Map<String, Object> values;
  /** Per-cache overrides: cache name, then key name, then value. */
  private final Map<String, Map<String, Object>> cacheOverrides;
  /** Values of engines' keys, as text until checked. */
  private final EngineSettings engineSettings;
  private final Ticker ticker;
  private final Executor executor;
  /** Null unless set: Micrometer is optional, and its classes are loaded only when used. */
  private final @Nullable ObservationRegistry observationRegistry;

  private CacheConfig(Builder builder) {
    Map<String, Object> sorted = new LinkedHashMap<>();
    for (String name : GenericKeys.ALL.keySet()) {
      Object value = builder.values.get(name);
      if (value != null) {
        sorted.put(name, value);
      }
    }
    this.values = Collections.unmodifiableMap(sorted);
    Map<String, Map<String, Object>> overrides = new TreeMap<>();
    builder.cacheOverrides.forEach((cache, map) ->
        overrides.put(cache, Collections.unmodifiableMap(new LinkedHashMap<>(map))));
    this.cacheOverrides = Collections.unmodifiableMap(overrides);
    this.engineSettings = builder.engineSettings.copy();
    this.ticker = builder.ticker;
    this.executor = builder.executor;
    this.observationRegistry = builder.observationRegistry;
  }

  /** A configuration with every key at its default. */
  public static CacheConfig defaults() {
    return DEFAULTS;
  }

  /** A new, empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A configuration read from {@code properties}, whose keys are the bare keys ({@code ttl},
   * {@code caches.users.max-size}); values are converted with {@link String#valueOf}.
   *
   * @throws CacheConfigException naming the first unknown key or invalid value
   */
  public static CacheConfig from(Map<?, ?> properties) {
    return builder().setAll(properties).build();
  }

  /**
   * A configuration read from the environment variables {@code UCACHE_<KEY>} and then the system
   * properties {@code ucache.<key>}, which win where both are set. To let them override a
   * configuration built in code, end its builder with {@link Builder#applyEnvironment()}.
   *
   * @throws CacheConfigException naming the first unknown variable or property, or bad value
   */
  public static CacheConfig fromEnvironment() {
    return builder().applyEnvironment().build();
  }

  /**
   * The generic keys ({@code engine}, {@code ttl}, {@code max-size}...), in documentation order:
   * for tools that bind or list them, such as the Spring properties. Engines' keys come from
   * their providers ({@code EngineManager.configKeys()}).
   */
  public static Set<String> keys() {
    return GenericKeys.ALL.keySet();
  }

  /** The generic keys, as keys: their descriptions of a valid value, defaults aside. */
  public static List<ConfigKey<?>> genericKeys() {
    return List.copyOf(GenericKeys.ALL.values());
  }

  /** The generic keys that can also be set for one cache as {@code caches.<name>.<key>}. */
  public static Set<String> cacheKeys() {
    Set<String> names = new LinkedHashSet<>();
    GenericKeys.ALL.values().stream().filter(key -> key.perCache)
        .forEach(key -> names.add(key.name));
    return Collections.unmodifiableSet(names);
  }

  /** A builder holding this configuration, to derive another one. */
  public Builder toBuilder() {
    Builder builder = new Builder();
    builder.values.putAll(values);
    cacheOverrides.forEach((cache, map) -> builder.cacheOverrides.put(cache, new LinkedHashMap<>(map)));
    builder.engineSettings = engineSettings.copy();
    builder.ticker = ticker;
    builder.executor = executor;
    builder.observationRegistry = observationRegistry;
    return builder;
  }

  /**
   * This configuration as seen by the cache called {@code name}: its {@code caches.<name>.*}
   * overrides replace the engine-wide values. Without overrides, returns this.
   */
  public CacheConfig forCache(String name) {
    Map<String, Object> overrides = overridesFor(name);
    boolean engineOverrides = !engineSettings.perCache.isEmpty()
        || !engineSettings.unresolved.isEmpty();
    if ((overrides == null || overrides.isEmpty()) && !engineOverrides) {
      return this;
    }
    Builder builder = toBuilder();
    if (overrides != null) {
      builder.values.putAll(overrides);
    }
    if (engineOverrides) {
      EngineSettings own = engineSettings.forCache(name);
      if (own.engineWide.equals(engineSettings.engineWide) && overrides == null) {
        return this;
      }
      builder.engineSettings.engineWide.clear();
      builder.engineSettings.engineWide.putAll(own.engineWide);
    }
    return builder.build();
  }

  /**
   * The {@code caches.<name>.*} values for cache {@code name}: those set under its environment
   * form ({@link ConfigKey#environmentForm}, lower-cased: {@code prime_counts} for
   * {@code prime-counts}, which is what {@code UCACHE_CACHES_PRIME_COUNTS_<KEY>} sets), then
   * those set under its exact name, which win.
   */
  private @Nullable Map<String, Object> overridesFor(String name) {
    Map<String, Object> exact = cacheOverrides.get(name);
    String form = ConfigKey.environmentForm(name).toLowerCase(Locale.ROOT);
    Map<String, Object> byForm = form.equals(name) ? null : cacheOverrides.get(form);
    if (byForm == null) {
      return exact;
    }
    Map<String, Object> merged = new LinkedHashMap<>(byForm);
    if (exact != null) {
      merged.putAll(exact);
    }
    return merged;
  }

  /**
   * This configuration with the per-cache keys that {@code settings} sets ({@code max-size},
   * {@code ttl}, {@code expire-after-access}, {@code null-values}, {@code disk-size},
   * {@code codec}, {@code stats}) replacing its own: how an engine combines its configuration
   * with the settings one cache is opened with. Returns this when {@code settings} sets none.
   *
   * @throws CacheConfigException if {@code settings} sets a key that cannot be set per cache
   */
  public CacheConfig withCacheSettings(CacheConfig settings) {
    if (settings.values.isEmpty() && settings.engineSettings.engineWide.isEmpty()) {
      return this;
    }
    Builder builder = toBuilder();
    settings.values.forEach((name, value) -> {
      if (!GenericKeys.ALL.get(name).perCache) {
        throw new CacheConfigException(name, "Key '" + name + "' cannot be set for one cache; "
            + "keys that can: " + Builder.perCacheKeys());
      }
      builder.values.put(name, value);
    });
    settings.engineSettings.engineWide.forEach((form, setting) -> {
      if (setting.key != null && !setting.key.perCache) {
        throw new CacheConfigException(setting.key.name, "Key '" + setting.key.name
            + "' cannot be set for one cache");
      }
      EngineSettings.put(builder.engineSettings.engineWide, setting, form);
    });
    return builder.build();
  }

  /** Whether {@code key} was set, rather than left at its default. */
  public boolean isSet(String key) {
    Objects.requireNonNull(key, "key");
    EngineSettings.Setting setting =
        engineSettings.engineWide.get(ConfigKey.environmentForm(key));
    return values.containsKey(key)
        || (setting != null && (setting.name == null || setting.name.equals(key)));
  }

  /**
   * The value of {@code key}: the one set, else the key's default, else empty. For a generic key
   * this is what its own accessor gives ({@link #ttl()}...); engines read their declared keys
   * with it ({@code config.get(RedisSettings.URL)}). On a configuration from
   * {@link #forCache(String)}, the cache's own value wins.
   *
   * @throws CacheConfigException naming the key as the user wrote it, if its text does not parse
   *     or is invalid for {@code key}
   */
  public <T> Optional<T> get(ConfigKey<T> key) {
    Objects.requireNonNull(key, "key");
    if (GenericKeys.ALL.get(key.name) == key) {
      T value = setValue(key);
      return value != null ? Optional.of(value) : key.defaultValue();
    }
    EngineSettings.Setting setting = engineSettings.find(key);
    if (setting == null) {
      return key.defaultValue();
    }
    return Optional.of(key.parse(setting.shownAs, setting.text));
  }

  /**
   * This configuration with the values of engines' keys checked against {@code declared}: the
   * keys of each installed engine, by engine name. Every value must belong to a generic key or a
   * declared one, parse and be valid for each declaration of its name, and be declared per cache
   * where set for one cache. The result knows which values are secrets, so its
   * {@link #toString()} shows the others. {@code EngineManager} calls this before an engine
   * starts; tools (the CLI, Spring) call it through {@code EngineManager.check}.
   *
   * @throws CacheConfigException naming the key as the user wrote it (the variable, the
   *     property) and the keys it may have meant
   */
  public CacheConfig checkedAgainst(
      Map<String, ? extends Collection<? extends ConfigKey<?>>> declared) {
    Objects.requireNonNull(declared, "declared");
    if (engineSettings.isEmpty()) {
      return this;
    }
    Builder builder = toBuilder();
    builder.engineSettings = engineSettings.checked(declared);
    return builder.build();
  }

  public Optional<String> engine() {
    return Optional.ofNullable(setValue(GenericKeys.ENGINE));
  }

  @SuppressWarnings("unchecked")
  public Set<Capability> require() {
    Object require = values.get(GenericKeys.REQUIRE.name);
    return require == null ? Set.of() : (Set<Capability>) require;
  }

  public OptionalLong maxSize() {
    Long size = setValue(GenericKeys.MAX_SIZE);
    return size == null ? OptionalLong.empty() : OptionalLong.of(size);
  }

  public Optional<Duration> ttl() {
    return Optional.ofNullable(setValue(GenericKeys.TTL));
  }

  public Optional<Duration> expireAfterAccess() {
    return Optional.ofNullable(setValue(GenericKeys.EXPIRE_AFTER_ACCESS));
  }

  /**
   * The fraction of {@link #ttl()} by which each write's lifetime is shortened at random (up to
   * it, uniformly), so entries written together do not expire together; 0 (the default) when
   * unset. Only ever shortens: {@code ttl} stays the longest an entry lives.
   */
  public double ttlJitter() {
    return Objects.requireNonNullElse(setValue(GenericKeys.TTL_JITTER), 0.0);
  }

  /**
   * The lifetime of a cached null ({@code null-values=true}), usually shorter than {@link #ttl()}
   * so that a missing record is looked for again sooner; empty when nulls live as long as values.
   */
  public Optional<Duration> nullTtl() {
    return Optional.ofNullable(setValue(GenericKeys.NULL_TTL));
  }

  /**
   * How old an entry may get before a read that brings a loader reloads it in the background
   * (refresh-ahead), returning the current value meanwhile; empty when entries are never
   * refreshed.
   */
  public Optional<Duration> refreshAfter() {
    return Optional.ofNullable(setValue(GenericKeys.REFRESH_AFTER));
  }

  /**
   * How long after its ttl an entry may still be returned, by a read that brings a loader, while
   * one reload runs in the background (HTTP's {@code stale-while-revalidate}); empty for none.
   */
  public Optional<Duration> staleWhileRevalidate() {
    return Optional.ofNullable(setValue(GenericKeys.STALE_WHILE_REVALIDATE));
  }

  /**
   * How long after its ttl an entry may still be returned when its reload fails (HTTP's
   * {@code stale-if-error}): the failure is counted, not thrown; empty for none.
   */
  public Optional<Duration> staleIfError() {
    return Optional.ofNullable(setValue(GenericKeys.STALE_IF_ERROR));
  }

  public boolean nullValues() {
    return Boolean.TRUE.equals(setValue(GenericKeys.NULL_VALUES));
  }

  public String namespace() {
    return Objects.requireNonNullElse(setValue(GenericKeys.NAMESPACE_KEY), "ucache");
  }

  public Duration timeout() {
    return Objects.requireNonNullElse(setValue(GenericKeys.TIMEOUT), Duration.ofSeconds(1));
  }

  /**
   * How long a caller of {@code get(key, loader)} waits for another caller's load of the same
   * key before it fails with {@link CacheLoadException}; empty for no limit (the default). The
   * load itself is never interrupted.
   */
  public Optional<Duration> loadTimeout() {
    return Optional.ofNullable(setValue(GenericKeys.LOAD_TIMEOUT));
  }

  /** The reach of single-flight loads ({@code single-flight.scope}); {@code PROCESS} unless set. */
  public SingleFlightScope singleFlight() {
    return Objects.requireNonNullElse(setValue(GenericKeys.SINGLE_FLIGHT),
        SingleFlightScope.PROCESS);
  }

  /** {@code single-flight.lease-time} when not set. */
  public static final Duration DEFAULT_SINGLE_FLIGHT_LEASE_TIME = Duration.ofSeconds(10);

  /**
   * With {@code single-flight.scope=cluster}, how long a load's lease lasts unless its holder
   * renews it (which it does while its load runs): how long a holder that died blocks other
   * processes.
   */
  public Duration singleFlightLeaseTime() {
    return Objects.requireNonNullElse(setValue(GenericKeys.SINGLE_FLIGHT_LEASE_TIME),
        DEFAULT_SINGLE_FLIGHT_LEASE_TIME);
  }

  public String codec() {
    return Objects.requireNonNullElse(setValue(GenericKeys.CODEC), "auto");
  }

  /**
   * The version of a cache's stored values: raise it on a deploy whose values older ones must
   * not be read as (what a changed class shape already does by itself), and every value stored
   * under another version is a miss, replaced by the next load, without a scan. 0 by default.
   */
  public int codecVersion() {
    return Objects.requireNonNullElse(setValue(GenericKeys.CODEC_VERSION), 0);
  }

  public FailMode failMode() {
    return Objects.requireNonNullElse(setValue(GenericKeys.FAIL_MODE), FailMode.CLOSED);
  }

  public boolean stats() {
    return !Boolean.FALSE.equals(setValue(GenericKeys.STATS));
  }

  /** Whether the engine and its caches are registered as JMX MXBeans ({@code jmx.enabled}). */
  public boolean jmxEnabled() {
    return Boolean.TRUE.equals(setValue(GenericKeys.JMX_ENABLED));
  }

  /**
   * Whether observations of this cache's calls carry the key's canonical text as
   * {@code ucache.key} ({@code tracing.keys}).
   */
  public boolean tracingKeys() {
    return Boolean.TRUE.equals(setValue(GenericKeys.TRACING_KEYS));
  }

  /** How often each cache's statistics are logged ({@code stats-log-interval}); empty: never. */
  public Optional<Duration> statsLogInterval() {
    return Optional.ofNullable(setValue(GenericKeys.STATS_LOG_INTERVAL));
  }

  /** The default of {@link #nearMaxSize()}. */
  public static final long DEFAULT_NEAR_MAX_SIZE = 10_000;
  /** The default of {@link #nearMaxStaleness()}. */
  public static final Duration DEFAULT_NEAR_MAX_STALENESS = Duration.ofSeconds(30);

  /**
   * Whether a cache of a shared engine keeps a near cache: an in-process copy of the entries it
   * reads, invalidated by the engine's feed of changes. Default false.
   */
  public boolean nearEnabled() {
    return Boolean.TRUE.equals(setValue(GenericKeys.NEAR_ENABLED));
  }

  /** The most entries a near cache holds; default {@value #DEFAULT_NEAR_MAX_SIZE}. */
  public long nearMaxSize() {
    return Objects.requireNonNullElse(setValue(GenericKeys.NEAR_MAX_SIZE), DEFAULT_NEAR_MAX_SIZE);
  }

  /**
   * The longest a near cache serves an entry without reading it again, whatever the invalidation
   * feed says: a bound on staleness should an invalidation be lost. Default 30 seconds.
   */
  public Duration nearMaxStaleness() {
    return Objects.requireNonNullElse(setValue(GenericKeys.NEAR_MAX_STALENESS),
        DEFAULT_NEAR_MAX_STALENESS);
  }

  /**
   * How many consecutive failures of a remote engine open its circuit breaker; 0 means never.
   * Default 5.
   */
  public int circuitBreakerFailures() {
    return Objects.requireNonNullElse(setValue(GenericKeys.CIRCUIT_BREAKER_FAILURES), 5);
  }

  /** How long an open circuit breaker skips its engine before one call probes it; default 5s. */
  public Duration circuitBreakerCoolDown() {
    return Objects.requireNonNullElse(setValue(GenericKeys.CIRCUIT_BREAKER_COOL_DOWN),
        Duration.ofSeconds(5));
  }

  /** The default of {@link #maxKeyBytes()}: 64 KiB. */
  public static final long DEFAULT_MAX_KEY_BYTES = 64L << 10;
  /** The default of {@link #maxValueBytes()}: 16 MiB. */
  public static final long DEFAULT_MAX_VALUE_BYTES = 16L << 20;

  /**
   * The largest key, encoded, that engines storing bytes (disk, Redis) accept: a larger one is
   * refused with {@link IllegalArgumentException} before anything reaches the disk or network.
   */
  public long maxKeyBytes() {
    return Objects.requireNonNullElse(setValue(GenericKeys.MAX_KEY_BYTES), DEFAULT_MAX_KEY_BYTES);
  }

  /**
   * The largest value, encoded, that engines storing bytes (disk, Redis) accept: a larger one is
   * refused with {@link CacheSerializationException} when written, before anything reaches the
   * disk or network.
   */
  public long maxValueBytes() {
    return Objects.requireNonNullElse(setValue(GenericKeys.MAX_VALUE_BYTES),
        DEFAULT_MAX_VALUE_BYTES);
  }

  /**
   * Where background work runs: refreshes ({@code refresh-after}, {@code stale-while-revalidate})
   * and the loads of asynchronous views; {@link ForkJoinPool#commonPool()} unless set, as in
   * Caffeine.
   */
  public Executor executor() {
    return executor;
  }

  /** The time source for expiry; {@link Ticker#system()} unless a test injected one. */
  public Ticker ticker() {
    return ticker;
  }

  /**
   * Where engines report observations of their caches' calls (traces), or null for none
   * ({@link Builder#observationRegistry}).
   */
  public @Nullable ObservationRegistry observationRegistry() {
    return observationRegistry;
  }

  /** The names of the caches that have {@code caches.<name>.*} overrides. */
  public Set<String> overriddenCaches() {
    return cacheOverrides.keySet();
  }

  /**
   * The keys that were set, as configuration text, secrets masked: what {@link #toString()}
   * shows, as a map.
   */
  public Map<String, String> describe() {
    Map<String, String> text = new LinkedHashMap<>();
    values.forEach((name, value) -> text.put(name, GenericKeys.ALL.get(name).display(value)));
    cacheOverrides.forEach((cache, map) -> map.forEach((name, value) ->
        text.put(CACHES_PREFIX + cache + "." + name, GenericKeys.ALL.get(name).display(value))));
    engineSettings.describe(text::put);
    return Collections.unmodifiableMap(text);
  }

  @SuppressWarnings("unchecked")
  private <T> @Nullable T setValue(ConfigKey<T> key) {
    return (T) values.get(key.name);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CacheConfig other
        && values.equals(other.values)
        && cacheOverrides.equals(other.cacheOverrides)
        && engineSettings.engineWide.equals(other.engineSettings.engineWide)
        && engineSettings.perCache.equals(other.engineSettings.perCache)
        && engineSettings.unresolved.equals(other.engineSettings.unresolved)
        && ticker.equals(other.ticker)
        && executor.equals(other.executor)
        && Objects.equals(observationRegistry, other.observationRegistry);
  }

  @Override
  public int hashCode() {
    return Objects.hash(values, cacheOverrides, engineSettings.engineWide);
  }

  /** The keys that were set, secrets masked, such as {@code CacheConfig{engine=caffeine, ttl=PT10M}}. */
  @Override
  public String toString() {
    StringBuilder out = new StringBuilder("CacheConfig{");
    describe().forEach((key, value) -> out.append(out.length() > 12 ? ", " : "")
        .append(key).append('=').append(value));
    return out.append('}').toString();
  }

  /**
   * {@code text} with every password of a URL in it masked as {@code ****}: for engines to clean
   * a driver's message that may quote {@code redis.url} before it reaches an exception or a log.
   */
  public static String maskSecrets(String text) {
    return Secrets.maskUrl(text);
  }

  // ---------------------------------------------------------------------------------------------
  // Text formats shared by every source

  /**
   * Parses a duration: ISO-8601 ({@code PT10M}, {@code P2D}) or a whole number and a unit
   * ({@code 500ms}, {@code 30s}, {@code 10m}, {@code 1h}, {@code 2d}; also {@code ns} and
   * {@code us}).
   *
   * @throws IllegalArgumentException if the text is neither
   */
  public static Duration parseDuration(String text) {
    return ConfigText.duration(text);
  }

  /**
   * Parses a size in bytes: a whole number, optionally followed by {@code B}, {@code KB},
   * {@code MB}, {@code GB} or {@code TB} (powers of 1024; {@code KiB}... also accepted).
   *
   * @throws IllegalArgumentException if the text is not a size or overflows a long
   */
  public static long parseSize(String text) {
    return ConfigText.size(text);
  }

  // ---------------------------------------------------------------------------------------------

  /**
   * Builds a {@link CacheConfig}. Each setter validates its value at once and throws
   * {@link CacheConfigException} naming the key; a later setting of the same key replaces an
   * earlier one, so sources can be layered (environment, then system properties, then code).
   * {@link #build()} does not change the builder. Not thread-safe.
   */
  public static final class Builder {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, Map<String, Object>> cacheOverrides = new LinkedHashMap<>();
    private EngineSettings engineSettings = new EngineSettings();
    private @Nullable Map<String, List<ConfigKey<?>>> declared;
    private Ticker ticker = Ticker.system();
    private @Nullable ObservationRegistry observationRegistry;
    private Executor executor = ForkJoinPool.commonPool();

    private Builder() {}

    /** The engine to use, by name ({@code caffeine}, {@code ehcache}, {@code redis}). */
    public Builder engine(String name) {
      return typed(GenericKeys.ENGINE,
          GenericKeys.ENGINE.parse("engine", Objects.requireNonNull(name, "engine")));
    }

    /** Capabilities the engine must have; replaces any earlier requirement. */
    public Builder require(Capability... capabilities) {
      Set<Capability> set = java.util.EnumSet.noneOf(Capability.class);
      for (Capability capability : capabilities) {
        set.add(Objects.requireNonNull(capability, "capability"));
      }
      return typed(GenericKeys.REQUIRE, Collections.unmodifiableSet(set));
    }

    /** The most entries a cache holds; beyond it the engine evicts. 0 means "hold nothing". */
    public Builder maxSize(long entries) {
      return typed(GenericKeys.MAX_SIZE, entries);
    }

    /** How long an entry lives after it is written. */
    public Builder ttl(Duration ttl) {
      return typed(GenericKeys.TTL, ttl);
    }

    /** How long an entry lives after it was last read or written. */
    public Builder expireAfterAccess(Duration idle) {
      return typed(GenericKeys.EXPIRE_AFTER_ACCESS, idle);
    }

    /** Whether {@code null} may be cached as a value. */
    public Builder nullValues(boolean allowed) {
      return typed(GenericKeys.NULL_VALUES, allowed);
    }

    /** The prefix of every key a shared engine writes; default {@code ucache}. */
    public Builder namespace(String namespace) {
      return typed(GenericKeys.NAMESPACE_KEY, namespace);
    }

    /** How long one remote operation may take; default 1 second. */
    public Builder timeout(Duration timeout) {
      return typed(GenericKeys.TIMEOUT, timeout);
    }

    /** How long a caller waits for another caller's load of the same key; see {@link CacheConfig#loadTimeout()}. */
    public Builder loadTimeout(Duration loadTimeout) {
      return typed(GenericKeys.LOAD_TIMEOUT, loadTimeout);
    }

    /** The value codec of engines that store bytes: auto, string, bytes, java or json. */
    public Builder codec(String codec) {
      return typed(GenericKeys.CODEC,
          GenericKeys.CODEC.parse("codec", Objects.requireNonNull(codec, "codec")));
    }

    /** The version of the cache's stored values ({@link CacheConfig#codecVersion()}); 0 to 1000000. */
    public Builder codecVersion(int version) {
      return typed(GenericKeys.CODEC_VERSION, GenericKeys.CODEC_VERSION.parse("codec-version",
          Integer.toString(version)));
    }

    /** What happens when the engine fails; default {@link FailMode#CLOSED}. */
    public Builder failMode(FailMode mode) {
      return typed(GenericKeys.FAIL_MODE, mode);
    }

    /** Whether caches count hits, misses, loads and evictions; default true. */
    public Builder stats(boolean enabled) {
      return typed(GenericKeys.STATS, enabled);
    }

    /**
     * Whether observations of the caches' calls carry the key's canonical text as
     * {@code ucache.key} (high cardinality, and keys may be personal data); default false.
     */
    public Builder tracingKeys(boolean enabled) {
      return typed(GenericKeys.TRACING_KEYS, enabled);
    }

    /** Whether the engine and its caches are registered as JMX MXBeans; default false. */
    public Builder jmxEnabled(boolean enabled) {
      return typed(GenericKeys.JMX_ENABLED, enabled);
    }

    /** How often each cache's statistics are logged; see {@link CacheConfig#statsLogInterval()}. */
    public Builder statsLogInterval(Duration interval) {
      return typed(GenericKeys.STATS_LOG_INTERVAL, interval);
    }

    /** The fraction of ttl by which each write's lifetime is shortened at random. */
    public Builder ttlJitter(double fraction) {
      return typed(GenericKeys.TTL_JITTER, fraction);
    }

    /** The lifetime of cached nulls, at most {@code ttl}. */
    public Builder nullTtl(Duration ttl) {
      return typed(GenericKeys.NULL_TTL, ttl);
    }

    /** How old an entry may get before a read with a loader refreshes it in the background. */
    public Builder refreshAfter(Duration age) {
      return typed(GenericKeys.REFRESH_AFTER, age);
    }

    /** How long after ttl an entry is still returned while one reload runs. */
    public Builder staleWhileRevalidate(Duration window) {
      return typed(GenericKeys.STALE_WHILE_REVALIDATE, window);
    }

    /** How long after ttl an entry is still returned when its reload fails. */
    public Builder staleIfError(Duration window) {
      return typed(GenericKeys.STALE_IF_ERROR, window);
    }

    /** Whether concurrent misses of a key load once per process or once across processes. */
    public Builder singleFlight(SingleFlightScope scope) {
      return typed(GenericKeys.SINGLE_FLIGHT, scope);
    }

    /** How long a cluster-wide load's lease lasts unless renewed. */
    public Builder singleFlightLeaseTime(Duration leaseTime) {
      return typed(GenericKeys.SINGLE_FLIGHT_LEASE_TIME, leaseTime);
    }

    /** Whether caches of a shared engine keep a near cache ({@link CacheConfig#nearEnabled()}). */
    public Builder nearEnabled(boolean enabled) {
      return typed(GenericKeys.NEAR_ENABLED, enabled);
    }

    /** The most entries a near cache holds. */
    public Builder nearMaxSize(long entries) {
      return typed(GenericKeys.NEAR_MAX_SIZE, entries);
    }

    /** The longest a near cache serves an entry without reading it again. */
    public Builder nearMaxStaleness(Duration staleness) {
      return typed(GenericKeys.NEAR_MAX_STALENESS, staleness);
    }

    /**
     * Consecutive failures of a remote engine that open its circuit breaker; 0 never opens it.
     */
    public Builder circuitBreakerFailures(int failures) {
      return typed(GenericKeys.CIRCUIT_BREAKER_FAILURES, failures);
    }

    /** How long an open circuit breaker skips its engine before one call probes it. */
    public Builder circuitBreakerCoolDown(Duration coolDown) {
      return typed(GenericKeys.CIRCUIT_BREAKER_COOL_DOWN, coolDown);
    }

    /** The largest encoded key a disk or Redis engine accepts; default 64KB. */
    public Builder maxKeyBytes(long bytes) {
      return typed(GenericKeys.MAX_KEY_BYTES, bytes);
    }

    /** The largest encoded value a disk or Redis engine accepts; default 16MB. */
    public Builder maxValueBytes(long bytes) {
      return typed(GenericKeys.MAX_VALUE_BYTES, bytes);
    }

    /**
     * Sets {@code key}, a generic key or an engine's declared one, to {@code value}:
     * {@code set(EhcacheSettings.FOLDER, "orders")}. The value is checked at once.
     *
     * @throws CacheConfigException if the value is invalid for the key
     */
    public <T> Builder set(ConfigKey<T> key, T value) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, key.name);
      if (GenericKeys.ALL.get(key.name) == key) {
        return typed(key, value);
      }
      key.check(key.name, value, key.secret ? Secrets.MASK : value);
      String form = key.environmentSuffix();
      EngineSettings.put(engineSettings.engineWide, new EngineSettings.Setting(key.name,
          key.format(value), key.name, key, key.secret), form);
      return this;
    }

    /**
     * Checks engines' keys against {@code engineKeys} (engine name, then its declared keys) as
     * they are set, from now on and those set already, instead of when an engine starts: an
     * unknown key or bad value then fails at the setter that gave it, naming the variable or
     * property. {@code EngineManager.configBuilder()} gives a builder that declares the installed
     * engines' keys.
     *
     * @throws CacheConfigException if a key already set is unknown or its value invalid
     */
    public Builder declare(Map<String, ? extends Collection<? extends ConfigKey<?>>> engineKeys) {
      Map<String, List<ConfigKey<?>>> copy = new LinkedHashMap<>();
      engineKeys.forEach((engine, keys) -> copy.put(engine, List.copyOf(keys)));
      engineSettings = engineSettings.checked(copy);
      declared = Collections.unmodifiableMap(copy);
      return this;
    }

    /**
     * Where background refreshes run; default {@link ForkJoinPool#commonPool()}. Set only in
     * code, like the ticker: tests pass one they can wait on, applications one of their own.
     */
    public Builder executor(Executor executor) {
      this.executor = Objects.requireNonNull(executor, "executor");
      return this;
    }

    /**
     * Where engines report observations (traces) of their caches' calls: a call that reaches a
     * remote or disk engine ({@code ucache.cache.operation}) and a load after a miss on any
     * engine ({@code ucache.cache.load}); hits of an in-process engine or a near cache are never
     * observed. Set only in code, like the executor; Spring Boot sets the application's
     * registry. Without one, nothing is observed and nothing costs. Needs
     * {@code io.micrometer:micrometer-observation} on the class path.
     */
    public Builder observationRegistry(ObservationRegistry registry) {
      this.observationRegistry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** The time source for expiry, for tests; default {@link Ticker#system()}. */
    public Builder ticker(Ticker ticker) {
      this.ticker = Objects.requireNonNull(ticker, "ticker");
      return this;
    }

    /**
     * Overrides keys for the cache called {@code name}. The consumer gets a fresh builder; only
     * the per-cache keys it sets are kept.
     *
     * @throws CacheConfigException if it sets a key that cannot be set per cache
     */
    public Builder cache(String name, Consumer<Builder> overrides) {
      checkCacheName(name, CACHES_PREFIX + name);
      Builder inner = new Builder();
      overrides.accept(inner);
      inner.values.forEach((key, value) -> putOverride(name, GenericKeys.ALL.get(key), value));
      if (!inner.engineSettings.unresolved.isEmpty() || !inner.engineSettings.perCache.isEmpty()) {
        throw new CacheConfigException(CACHES_PREFIX + name, "Keys set for the cache '" + name
            + "' cannot themselves be caches.<name>.<key>");
      }
      inner.engineSettings.engineWide.forEach((form, setting) -> {
        if (setting.key != null && !setting.key.perCache) {
          throw new CacheConfigException(CACHES_PREFIX + name + "." + setting.key.name, "Key '"
              + setting.key.name + "' cannot be set for one cache ('" + CACHES_PREFIX + name + "."
              + setting.key.name + "')");
        }
        EngineSettings.put(engineSettings.perCache.computeIfAbsent(name,
            c -> new LinkedHashMap<>()), setting, form);
      });
      return this;
    }

    /**
     * Sets {@code key} from text, exactly as a properties file, the environment or the CLI
     * would: {@code set("ttl", "10m")}, {@code set("caches.users.max-size", "500")}.
     *
     * @throws CacheConfigException naming an unknown key or a value that does not parse
     */
    public Builder set(String key, String value) {
      return set(key, value, key);
    }

    /** Sets every entry of {@code properties} with {@link #set(String, String)}. */
    public Builder setAll(Map<?, ?> properties) {
      properties.forEach((key, value) -> set(String.valueOf(key), String.valueOf(value)));
      return this;
    }

    /**
     * Applies every {@code ucache.<key>} entry of {@code properties}; other entries are ignored.
     */
    public Builder applySystemProperties(Properties properties) {
      for (String name : new TreeMap<>(toStringMap(properties)).keySet()) {
        if (name.startsWith(SYSTEM_PREFIX)) {
          set(name.substring(SYSTEM_PREFIX.length()), properties.getProperty(name), name);
        }
      }
      return this;
    }

    /**
     * Applies every {@code UCACHE_<KEY>} variable of {@code environment}: the key upper-cased
     * with dots and dashes as underscores ({@code UCACHE_MAX_SIZE}, {@code UCACHE_REDIS_URL}),
     * and {@code UCACHE_CACHES_<NAME>_<KEY>} for one cache, where {@code <NAME>} is the cache's
     * name upper-cased with every character other than {@code A-Z} and {@code 0-9} as
     * {@code _} ({@code PRIME_COUNTS} for {@code prime-counts} or {@code Prime.Counts}). As
     * with every source, a later one wins: such a variable replaces the value an earlier source
     * set for the cache's exact name, and a value set for the exact name afterwards replaces the
     * variable's. Other variables are ignored;
     * a {@code UCACHE_*} variable that names no key (of UCache or of an installed engine) is
     * skipped with one warning, never refused, since the environment is shared by every program
     * a process starts; a bad value of a known key fails as from any source.
     */
    public Builder applyEnvironment(Map<String, String> environment) {
      for (Map.Entry<String, String> e : new TreeMap<>(environment).entrySet()) {
        String variable = e.getKey();
        if (variable.startsWith(ENV_PREFIX)) {
          String key = environmentKey(variable);
          String rest = variable.substring(ENV_PREFIX.length());
          if (rest.startsWith(CACHES_ENV_PREFIX)) {
            yieldToCacheVariable(rest.substring(CACHES_ENV_PREFIX.length()),
                key == null ? null : key.substring(key.lastIndexOf('.') + 1));
          }
          if (key != null) {
            set(key, e.getValue(), variable);
          } else {
            setFromEnvironment(variable, variable.substring(ENV_PREFIX.length()), e.getValue());
          }
        }
      }
      return this;
    }

    /**
     * Applies the process's environment over what this builder holds: the {@code UCACHE_*}
     * variables ({@link #applyEnvironment(Map)}), then the {@code ucache.*} system properties
     * ({@link #applySystemProperties(Properties)}), which win. Called last, it lets operators
     * override a configuration the code built, key by key:
     * {@code CacheConfig.builder().ttl(Duration.ofMinutes(10)).applyEnvironment().build()}.
     */
    public Builder applyEnvironment() {
      return applyEnvironment(System.getenv()).applySystemProperties(System.getProperties());
    }

    /** A validated, immutable configuration. The builder can be used again afterwards. */
    public CacheConfig build() {
      return new CacheConfig(this);
    }

    private Builder set(String key, String value, String shownAs) {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, () -> "value of key '" + key + "'");
      if (key.startsWith(CACHES_PREFIX)) {
        // Cache names may hold dots (@UCache's default names do), and so may keys: the key is
        // the longest generic key the text ends with, the cache name what comes before it. Any
        // other key is an engine's: its split waits for the engines' declarations.
        String rest = key.substring(CACHES_PREFIX.length());
        String name = null;
        for (String known : GenericKeys.ALL.keySet()) {
          if (rest.endsWith("." + known) && (name == null || known.length() > name.length())) {
            name = known;
          }
        }
        if (name == null) {
          String last = rest.substring(rest.lastIndexOf('.') + 1);
          checkCacheName(rest.length() > last.length() ? rest : "", shownAs);
          refuseTypo(shownAs, last);
          return putRaw(engineSettings.unresolved,
              new EngineSettings.Setting(rest, value, shownAs, null, false),
              ConfigKey.environmentForm(rest));
        }
        String cache = rest.substring(0, rest.length() - name.length() - 1);
        ConfigKey<?> configKey = GenericKeys.ALL.get(name);
        checkCacheName(cache, shownAs);
        putOverride(cache, configKey, configKey.parse(shownAs, value));
        return this;
      }
      ConfigKey<?> configKey = GenericKeys.ALL.get(key);
      if (configKey == null) {
        refuseTypo(shownAs, key);
        return putRaw(engineSettings.engineWide,
            new EngineSettings.Setting(key, value, shownAs, null, false),
            ConfigKey.environmentForm(key));
      }
      values.put(configKey.name, configKey.parse(shownAs, value));
      return this;
    }

    /**
     * Removes what earlier sources set, under a cache's exact name, for the cache and key that a
     * {@code UCACHE_CACHES_*} variable sets ({@code rest}: the variable after
     * {@code UCACHE_CACHES_}; {@code genericKey}: the generic key it names, or null for an
     * engine's), so that the variable, applied later, wins over them as over any other value.
     */
    private void yieldToCacheVariable(String rest, @Nullable String genericKey) {
      cacheOverrides.forEach((cache, overrides) -> {
        String form = ConfigKey.environmentForm(cache);
        if (genericKey != null && rest.equals(form + "_"
            + GenericKeys.ALL.get(genericKey).environmentSuffix())) {
          overrides.remove(genericKey);
        }
      });
      engineSettings.perCache.forEach((cache, settings) -> {
        String prefix = ConfigKey.environmentForm(cache) + "_";
        settings.keySet().removeIf(keyForm -> rest.equals(prefix + keyForm));
      });
    }

    /** A value of an environment variable that names no generic key: an engine's, unmatched. */
    private void setFromEnvironment(String variable, String rest, String value) {
      // No typo check here: an unknown variable is skipped with a warning once checked against
      // the installed engines' keys, never refused (see EngineSettings.checked).
      if (rest.startsWith(CACHES_ENV_PREFIX)) {
        putRaw(engineSettings.unresolved, new EngineSettings.Setting(null, value, variable, null,
            false), rest.substring(CACHES_ENV_PREFIX.length()));
        return;
      }
      putRaw(engineSettings.engineWide,
          new EngineSettings.Setting(null, value, variable, null, false), rest);
    }

    /**
     * Keeps an engine key's text; checks it now if the engines' keys were declared, leaving the
     * builder as it was when it fails.
     */
    private Builder putRaw(Map<String, EngineSettings.Setting> map, EngineSettings.Setting setting,
        String form) {
      if (declared == null) {
        EngineSettings.put(map, setting, form);
        return this;
      }
      EngineSettings.Setting before = map.get(form);
      EngineSettings.put(map, setting, form);
      try {
        engineSettings = engineSettings.checked(declared);
      } catch (CacheConfigException e) {
        map.remove(form);
        if (before != null) {
          map.put(form, before);
        }
        throw e;
      }
      return this;
    }

    /**
     * Refuses {@code name} at once when it is a near-miss of a generic key ({@code tll}): no
     * engine may declare such a key, so it can only be a typo.
     */
    private static void refuseTypo(String shownAs, String name) {
      if (name.isEmpty() || GenericKeys.typoOf(name) != null) {
        throw unknownKey(shownAs, name);
      }
    }

    private <T> Builder typed(ConfigKey<T> key, T value) {
      Objects.requireNonNull(value, key.name);
      values.put(key.name, key.check(key.name, value, value));
      return this;
    }

    private void putOverride(String cache, ConfigKey<?> key, Object value) {
      if (!key.perCache) {
        throw new CacheConfigException(CACHES_PREFIX + cache + "." + key.name,
            "Key '" + key.name + "' cannot be set for one cache ('" + CACHES_PREFIX + cache + "."
                + key.name + "'); keys that can: " + perCacheKeys());
      }
      cacheOverrides.computeIfAbsent(cache, c -> new LinkedHashMap<>()).put(key.name, value);
    }

    private static void checkCacheName(String cache, String shownAs) {
      if (cache.isBlank()) {
        throw new CacheConfigException(shownAs, "Invalid key '" + shownAs
            + "': expected caches.<cache name>.<key>");
      }
    }

    /** The generic key {@code variable} names, or null when it names another. */
    private static @Nullable String environmentKey(String variable) {
      String rest = variable.substring(ENV_PREFIX.length());
      for (ConfigKey<?> key : GenericKeys.ALL.values()) {
        if (rest.equals(key.environmentSuffix())) {
          return key.name;
        }
      }
      if (rest.startsWith(CACHES_ENV_PREFIX)) {
        for (ConfigKey<?> key : GenericKeys.ALL.values()) {
          String suffix = "_" + key.environmentSuffix();
          if (rest.endsWith(suffix)
              && rest.length() > CACHES_ENV_PREFIX.length() + suffix.length()) {
            String cache = rest.substring(CACHES_ENV_PREFIX.length(),
                rest.length() - suffix.length());
            return CACHES_PREFIX + cache.toLowerCase(Locale.ROOT) + "." + key.name;
          }
        }
      }
      return null;
    }

    private static CacheConfigException unknownKey(String shownAs, String name) {
      String suggestion = GenericKeys.typoOf(name);
      return new CacheConfigException(shownAs, "Unknown configuration key '" + shownAs + "'"
          + (suggestion == null ? "" : " (did you mean '" + suggestion + "'?)")
          + "; known keys: " + String.join(", ", GenericKeys.ALL.keySet())
          + ", the keys of installed engines, and caches.<name>.<key>");
    }

    private static String perCacheKeys() {
      return String.join(", ", GenericKeys.ALL.values().stream()
          .filter(k -> k.perCache).map(k -> k.name).toList());
    }

    private static Map<String, String> toStringMap(Properties properties) {
      Map<String, String> map = new LinkedHashMap<>();
      for (String name : properties.stringPropertyNames()) {
        map.put(name, properties.getProperty(name));
      }
      return map;
    }
  }
}
