package io.ucache.spring;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code ucache.*} properties of a Spring Boot application. The keys are exactly those of
 * {@link io.ucache.CacheConfig} ({@code ucache.ttl}, {@code ucache.max-size},
 * {@code ucache.redis.password}, {@code ucache.caches.<name>.ttl}...), plus
 * {@code ucache.cache-manager.*} for the Spring {@code CacheManager} bridge. Values are kept as
 * text and handed to {@code CacheConfig}, which parses and validates them, so every source of
 * configuration accepts the same values; a bad one fails start-up with a message naming the
 * property. This class exists for binding and for the metadata IDEs complete from.
 *
 * <p><b>Thread-safety:</b> a mutable bean, written once by Spring's binder before use.
 * <b>Nulls:</b> a {@code null} value means "not set": the engine's default applies.
 */
@ConfigurationProperties(prefix = UCacheProperties.PREFIX)
public class UCacheProperties {

  /** The prefix of every UCache property. */
  public static final String PREFIX = "ucache";

  /** Engine to use: caffeine, ehcache, redis. Default: the best installed engine, else caffeine. */
  private @Nullable String engine;
  /**
   * Capabilities the engine must have, comma-separated: in-process, persistent, shared,
   * distributed, per-entry-ttl, native-async, bulk.
   */
  private @Nullable String require;
  /** Most entries per cache; beyond it the engine evicts. Default: unbounded. */
  private @Nullable String maxSize;
  /** Time to live after a write: 500ms, 30s, 10m, 1h, 2d or ISO-8601 (PT10M). Default: none. */
  private @Nullable String ttl;
  /** Time to live after the last read or write (same formats as ttl). Default: none. */
  private @Nullable String expireAfterAccess;
  /** Whether null values may be cached by UCache itself (the CacheManager has its own default). */
  private @Nullable String nullValues;
  /** Folder under base-dir (or an absolute path) that a disk engine uses. */
  private @Nullable String folder;
  /** Where disk engines keep their folders. Default: ~/.cache/ucache. */
  private @Nullable String baseDir;
  /** Bytes per cache for disk engines: 512MB, 2GB, 1048576. Default: 64MB (ehcache). */
  private @Nullable String diskSize;
  /** Prefix of every key a shared engine writes. Default: ucache. */
  private @Nullable String namespace;
  /** Bound on each remote operation. Default: 1s. */
  private @Nullable String timeout;
  /** Value codec of engines that store bytes: auto, string, bytes, java. Default: auto. */
  private @Nullable String codec;
  /** What an engine failure does: open (a miss) or closed (an exception). Default: closed. */
  private @Nullable String failMode;
  /** Whether caches count hits, misses, loads and evictions. Default: true. */
  private @Nullable String stats;
  /** The Redis engine's connection. */
  /** Largest encoded key the disk and remote engines accept, such as 64KB. */
  private @Nullable String maxKeyBytes;
  /** Largest encoded value the disk and remote engines accept, such as 16MB. */
  private @Nullable String maxValueBytes;

  private final Redis redis = new Redis();

  private final CircuitBreaker circuitBreaker = new CircuitBreaker();
  /** Per-cache overrides of max-size, ttl, expire-after-access, null-values, disk-size, codec, stats. */
  private Map<String, CacheOverrides> caches = new LinkedHashMap<>();
  /** The Spring CacheManager over the UCache engine, for @Cacheable. */
  private final CacheManagerSettings cacheManager = new CacheManagerSettings();

  /**
   * The properties that are set, as the keys and text values {@link io.ucache.CacheConfig}
   * reads ({@code ttl}, {@code redis.password}, {@code caches.users.max-size}), in a stable
   * order. The {@code cache-manager.*} keys are not part of it.
   */
  public Map<String, String> toConfigMap() {
    Map<String, String> out = new LinkedHashMap<>();
    put(out, "engine", engine);
    put(out, "require", require);
    put(out, "max-size", maxSize);
    put(out, "ttl", ttl);
    put(out, "expire-after-access", expireAfterAccess);
    put(out, "null-values", nullValues);
    put(out, "folder", folder);
    put(out, "base-dir", baseDir);
    put(out, "disk-size", diskSize);
    put(out, "redis.url", redis.url);
    put(out, "redis.username", redis.username);
    put(out, "redis.password", redis.password);
    put(out, "redis.cluster", redis.cluster);
    put(out, "namespace", namespace);
    put(out, "timeout", timeout);
    put(out, "codec", codec);
    put(out, "fail-mode", failMode);
    put(out, "stats", stats);
    put(out, "circuit-breaker.failures", circuitBreaker.failures);
    put(out, "circuit-breaker.cool-down", circuitBreaker.coolDown);
    put(out, "max-key-bytes", maxKeyBytes);
    put(out, "max-value-bytes", maxValueBytes);
    new TreeMap<>(caches).forEach((name, cache) -> {
      String prefix = "caches." + name + ".";
      put(out, prefix + "max-size", cache.maxSize);
      put(out, prefix + "ttl", cache.ttl);
      put(out, prefix + "expire-after-access", cache.expireAfterAccess);
      put(out, prefix + "null-values", cache.nullValues);
      put(out, prefix + "disk-size", cache.diskSize);
      put(out, prefix + "codec", cache.codec);
      put(out, prefix + "stats", cache.stats);
      put(out, prefix + "max-key-bytes", cache.maxKeyBytes);
      put(out, prefix + "max-value-bytes", cache.maxValueBytes);
    });
    return out;
  }

  private static void put(Map<String, String> out, String key, @Nullable String value) {
    if (value != null) {
      out.put(key, value.trim());
    }
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

  public @Nullable String getMaxSize() {
    return maxSize;
  }

  public void setMaxSize(@Nullable String maxSize) {
    this.maxSize = maxSize;
  }

  public @Nullable String getTtl() {
    return ttl;
  }

  public void setTtl(@Nullable String ttl) {
    this.ttl = ttl;
  }

  public @Nullable String getExpireAfterAccess() {
    return expireAfterAccess;
  }

  public void setExpireAfterAccess(@Nullable String expireAfterAccess) {
    this.expireAfterAccess = expireAfterAccess;
  }

  public @Nullable String getNullValues() {
    return nullValues;
  }

  public void setNullValues(@Nullable String nullValues) {
    this.nullValues = nullValues;
  }

  public @Nullable String getFolder() {
    return folder;
  }

  public void setFolder(@Nullable String folder) {
    this.folder = folder;
  }

  public @Nullable String getBaseDir() {
    return baseDir;
  }

  public void setBaseDir(@Nullable String baseDir) {
    this.baseDir = baseDir;
  }

  public @Nullable String getDiskSize() {
    return diskSize;
  }

  public void setDiskSize(@Nullable String diskSize) {
    this.diskSize = diskSize;
  }

  public @Nullable String getNamespace() {
    return namespace;
  }

  public void setNamespace(@Nullable String namespace) {
    this.namespace = namespace;
  }

  public @Nullable String getTimeout() {
    return timeout;
  }

  public void setTimeout(@Nullable String timeout) {
    this.timeout = timeout;
  }

  public @Nullable String getCodec() {
    return codec;
  }

  public void setCodec(@Nullable String codec) {
    this.codec = codec;
  }

  public @Nullable String getFailMode() {
    return failMode;
  }

  public void setFailMode(@Nullable String failMode) {
    this.failMode = failMode;
  }

  public @Nullable String getStats() {
    return stats;
  }

  public void setStats(@Nullable String stats) {
    this.stats = stats;
  }

  public Redis getRedis() {
    return redis;
  }

  public Map<String, CacheOverrides> getCaches() {
    return caches;
  }

  public void setCaches(Map<String, CacheOverrides> caches) {
    this.caches = caches;
  }

  public CacheManagerSettings getCacheManager() {
    return cacheManager;
  }

  public @Nullable String getMaxKeyBytes() {
    return maxKeyBytes;
  }

  public void setMaxKeyBytes(@Nullable String maxKeyBytes) {
    this.maxKeyBytes = maxKeyBytes;
  }

  public @Nullable String getMaxValueBytes() {
    return maxValueBytes;
  }

  public void setMaxValueBytes(@Nullable String maxValueBytes) {
    this.maxValueBytes = maxValueBytes;
  }

  public CircuitBreaker getCircuitBreaker() {
    return circuitBreaker;
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

  /** {@code ucache.redis.*}: the Redis engine's connection. Not thread-safe; nulls mean unset. */
  public static class Redis {
    /**
     * redis://[user:password@]host:port/db, rediss://..., redis-sentinel://..., or several
     * comma-separated.
     */
    private @Nullable String url;
    /** The ACL user that redis.password belongs to. */
    private @Nullable String username;
    /** The Redis password; masked in logs, messages and the actuator endpoints. */
    private @Nullable String password;
    /** Whether redis.url names a Redis Cluster. Default: false. */
    private @Nullable String cluster;

    public @Nullable String getUrl() {
      return url;
    }

    public void setUrl(@Nullable String url) {
      this.url = url;
    }

    public @Nullable String getUsername() {
      return username;
    }

    public void setUsername(@Nullable String username) {
      this.username = username;
    }

    public @Nullable String getPassword() {
      return password;
    }

    public void setPassword(@Nullable String password) {
      this.password = password;
    }

    public @Nullable String getCluster() {
      return cluster;
    }

    public void setCluster(@Nullable String cluster) {
      this.cluster = cluster;
    }

    @Override
    public String toString() {
      return "Redis{url=" + (url == null ? null : io.ucache.CacheConfig.maskSecrets(url))
          + ", username=" + username + ", password=" + (password == null ? null : "****")
          + ", cluster=" + cluster + "}";
    }
  }

  /** {@code ucache.caches.<name>.*}: one cache's own settings. Not thread-safe; nulls mean unset. */
  public static class CacheOverrides {
    /** Most entries in this cache. */
    private @Nullable String maxSize;
    /** Time to live after a write in this cache. */
    private @Nullable String ttl;
    /** Time to live after the last read or write in this cache. */
    private @Nullable String expireAfterAccess;
    /** Whether this cache may hold null values. */
    private @Nullable String nullValues;
    /** Bytes on disk for this cache. */
    private @Nullable String diskSize;
    /** Value codec of this cache: auto, string, bytes, java. */
    private @Nullable String codec;
    /** Whether this cache counts hits, misses, loads and evictions. */
    private @Nullable String stats;
    /** Largest encoded key this cache accepts on disk and remote engines. */
    private @Nullable String maxKeyBytes;
    /** Largest encoded value this cache accepts on disk and remote engines. */
    private @Nullable String maxValueBytes;

    public @Nullable String getMaxKeyBytes() {
      return maxKeyBytes;
    }

    public void setMaxKeyBytes(@Nullable String maxKeyBytes) {
      this.maxKeyBytes = maxKeyBytes;
    }

    public @Nullable String getMaxValueBytes() {
      return maxValueBytes;
    }

    public void setMaxValueBytes(@Nullable String maxValueBytes) {
      this.maxValueBytes = maxValueBytes;
    }

    public @Nullable String getMaxSize() {
      return maxSize;
    }

    public void setMaxSize(@Nullable String maxSize) {
      this.maxSize = maxSize;
    }

    public @Nullable String getTtl() {
      return ttl;
    }

    public void setTtl(@Nullable String ttl) {
      this.ttl = ttl;
    }

    public @Nullable String getExpireAfterAccess() {
      return expireAfterAccess;
    }

    public void setExpireAfterAccess(@Nullable String expireAfterAccess) {
      this.expireAfterAccess = expireAfterAccess;
    }

    public @Nullable String getNullValues() {
      return nullValues;
    }

    public void setNullValues(@Nullable String nullValues) {
      this.nullValues = nullValues;
    }

    public @Nullable String getDiskSize() {
      return diskSize;
    }

    public void setDiskSize(@Nullable String diskSize) {
      this.diskSize = diskSize;
    }

    public @Nullable String getCodec() {
      return codec;
    }

    public void setCodec(@Nullable String codec) {
      this.codec = codec;
    }

    public @Nullable String getStats() {
      return stats;
    }

    public void setStats(@Nullable String stats) {
      this.stats = stats;
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
