package io.ucache.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code ucache.*} properties of a Spring Boot application: the generic keys of
 * {@link io.ucache.CacheConfig} ({@code ucache.ttl}, {@code ucache.max-size},
 * {@code ucache.caches.<name>.ttl}...), plus {@code ucache.cache-manager.*} for the Spring
 * {@code CacheManager} bridge. Engines' own keys ({@code ucache.redis.url},
 * {@code ucache.folder}, {@code ucache.caches.<name>.disk-size}, a third-party engine's) are not
 * fields here: every other {@code ucache.*} property is passed to the configuration as it is,
 * and checked against the installed engines' declarations, so a new engine needs no change here. Values are kept as
 * text and handed to {@code CacheConfig}, which parses and validates them, so every source of
 * configuration accepts the same values; a bad one fails start-up with a message naming the
 * property. This class exists for binding and for the metadata IDEs complete from.
 *
 * <p><b>Thread-safety:</b> a mutable bean, written once by Spring's binder before use.
 * <b>Nulls:</b> a {@code null} value means "not set": the engine's default applies.
 */
@ConfigurationProperties(prefix = UCacheProperties.PREFIX)
public class UCacheProperties extends UCacheCacheProperties {

  /** The prefix of every UCache property. */
  public static final String PREFIX = "ucache";

  /** Engine to use: caffeine, ehcache, redis. Default: the best installed engine, else caffeine. */
  private @Nullable String engine;
  /**
   * Capabilities the engine must have, comma-separated: in-process, persistent, shared,
   * distributed, per-entry-ttl, native-async, bulk.
   */
  private @Nullable String require;
  /** Prefix of every key a shared engine writes. Default: ucache. */
  private @Nullable String namespace;
  /** Bound on each remote operation. Default: 1s. */
  private @Nullable String timeout;
  /** What an engine failure does: open (a miss) or closed (an exception). Default: closed. */
  private @Nullable String failMode;
  /** How often each cache's statistics of the interval are logged at INFO, one line per cache. Default: never. */
  private @Nullable String statsLogInterval;

  /** When a remote engine is skipped after failures. */
  private final CircuitBreaker circuitBreaker = new CircuitBreaker();
  /** The engine and its caches as JMX MXBeans under io.ucache. */
  private final Jmx jmx = new Jmx();
  /** Per-cache settings, the keys above that a single cache can override. */
  private Map<String, UCacheCacheProperties> caches = new LinkedHashMap<>();
  /** The Spring CacheManager over the UCache engine, for @Cacheable. */
  private final CacheManagerSettings cacheManager = new CacheManagerSettings();

  /**
   * The properties that are set, as the keys and text values {@link io.ucache.CacheConfig}
   * reads ({@code ttl}, {@code caches.users.max-size}), in a stable
   * order. The {@code cache-manager.*} keys are not part of it.
   */
  public Map<String, String> toConfigMap() {
    Map<String, String> out = new LinkedHashMap<>();
    put(out, "engine", engine);
    put(out, "require", require);
    put(out, "namespace", namespace);
    put(out, "timeout", timeout);
    put(out, "fail-mode", failMode);
    put(out, "stats-log-interval", statsLogInterval);
    put(out, "circuit-breaker.failures", circuitBreaker.failures);
    put(out, "circuit-breaker.cool-down", circuitBreaker.coolDown);
    put(out, "jmx.enabled", jmx.enabled);
    putCacheSettings(out, "");
    new TreeMap<>(caches).forEach((name, cache) ->
        cache.putCacheSettings(out, "caches." + name + "."));
    return out;
  }

  public @Nullable String getEngine() {
    return engine;
  }

  public void setEngine(@Nullable String engine) {
    this.engine = engine;
  }

  public @Nullable String getRequire() {
    return require;
  }

  public void setRequire(@Nullable String require) {
    this.require = require;
  }

  public @Nullable String getNamespace() {
    return namespace;
  }

  public void setNamespace(@Nullable String namespace) {
    this.namespace = namespace;
  }

  public @Nullable String getStatsLogInterval() {
    return statsLogInterval;
  }

  public void setStatsLogInterval(@Nullable String statsLogInterval) {
    this.statsLogInterval = statsLogInterval;
  }

  public @Nullable String getTimeout() {
    return timeout;
  }

  public void setTimeout(@Nullable String timeout) {
    this.timeout = timeout;
  }

  public @Nullable String getFailMode() {
    return failMode;
  }

  public void setFailMode(@Nullable String failMode) {
    this.failMode = failMode;
  }

  public Map<String, UCacheCacheProperties> getCaches() {
    return caches;
  }

  public void setCaches(Map<String, UCacheCacheProperties> caches) {
    this.caches = caches;
  }

  public CacheManagerSettings getCacheManager() {
    return cacheManager;
  }

  public CircuitBreaker getCircuitBreaker() {
    return circuitBreaker;
  }

  public Jmx getJmx() {
    return jmx;
  }

  /**
   * {@code ucache.circuit-breaker.*}: when a remote engine is skipped after failures. Not
   * thread-safe; nulls mean unset.
   */
  public static class CircuitBreaker {
    /** Consecutive failures that open the circuit; 0 never opens it. Default: 5. */
    private @Nullable String failures;
    /** How long calls skip the engine once the circuit is open. Default: 5s. */
    private @Nullable String coolDown;

    public @Nullable String getFailures() {
      return failures;
    }

    public void setFailures(@Nullable String failures) {
      this.failures = failures;
    }

    public @Nullable String getCoolDown() {
      return coolDown;
    }

    public void setCoolDown(@Nullable String coolDown) {
      this.coolDown = coolDown;
    }
  }

  /** {@code ucache.jmx.*}: JMX MXBeans for the engine and its caches. Not thread-safe. */
  public static class Jmx {
    /** Whether to register the engine and its caches as JMX MXBeans. Default: false. */
    private @Nullable String enabled;

    public @Nullable String getEnabled() {
      return enabled;
    }

    public void setEnabled(@Nullable String enabled) {
      this.enabled = enabled;
    }
  }

  /** {@code ucache.cache-manager.*}: the Spring CacheManager bridge. Not thread-safe. */
  public static class CacheManagerSettings {
    /** Whether to define a Spring CacheManager over the UCache engine. Default: true. */
    private boolean enabled = true;
    /** Caches to create at start-up (others are created when first asked for). */
    private List<String> cacheNames = new ArrayList<>();
    /**
     * Whether @Cacheable may cache null results, as Spring's own caches allow by default. A
     * cache's ucache.caches.<name>.null-values (or ucache.null-values) wins when set.
     */
    private boolean allowNullValues = true;
    /**
     * The value type of each cache on engines that store bytes (ehcache, redis), by cache name:
     * Java serialization reads back only this class, the types its fields declare and JDK value
     * types. Caches not listed hold JDK value types only (String, numbers, java.time, lists and
     * maps of such). In-memory engines ignore it.
     */
    private Map<String, Class<?>> valueTypes = new LinkedHashMap<>();

    public boolean isEnabled() {
      return enabled;
    }

    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    public List<String> getCacheNames() {
      return cacheNames;
    }

    public void setCacheNames(List<String> cacheNames) {
      this.cacheNames = cacheNames;
    }

    public boolean isAllowNullValues() {
      return allowNullValues;
    }

    public void setAllowNullValues(boolean allowNullValues) {
      this.allowNullValues = allowNullValues;
    }

    public Map<String, Class<?>> getValueTypes() {
      return valueTypes;
    }

    public void setValueTypes(Map<String, Class<?>> valueTypes) {
      this.valueTypes = valueTypes;
    }
  }
}
