package io.ucache.spring;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The settings a single cache can override: {@code ucache.caches.<name>.*}, and the same keys at
 * the top level of {@link UCacheProperties} ({@code ucache.ttl}, {@code ucache.max-size}...), where
 * they apply to every cache. Values are text that {@link io.ucache.CacheConfig} parses and
 * validates. Engines' per-cache keys ({@code ucache.caches.<name>.disk-size}) pass through
 * without a field here.
 *
 * <p><b>Thread-safety:</b> a mutable bean, written once by Spring's binder before use.
 * <b>Nulls:</b> a {@code null} value means "not set".
 */
public class UCacheCacheProperties {

  /** Most entries in a cache; beyond it the engine evicts. Default: unbounded. */
  private @Nullable String maxSize;
  /** Time to live after a write: 500ms, 30s, 10m, 1h, 2d or ISO-8601 (PT10M). Default: none. */
  private @Nullable String ttl;
  /** Time to live after the last read or write (same formats as ttl). Default: none. */
  private @Nullable String expireAfterAccess;
  /** Fraction of ttl each write's lifetime is shortened by at random: 0.1 or 10%. Default: 0. */
  private @Nullable String ttlJitter;
  /** Time to live of a cached null, at most ttl (same formats as ttl). Default: ttl. */
  private @Nullable String nullTtl;
  /** Age after which a read with a loader reloads the entry in the background. Default: none. */
  private @Nullable String refreshAfter;
  /** How long past ttl an entry is served while one reload runs. Default: none. */
  private @Nullable String staleWhileRevalidate;
  /** How long past ttl an entry is served when its reload fails. Default: none. */
  private @Nullable String staleIfError;
  /** Whether null values may be cached by UCache itself (the CacheManager has its own default). */
  private @Nullable String nullValues;
  /** How long a caller waits for another caller's load of the same key. Default: no limit. */
  private @Nullable String loadTimeout;
  /** Value codec of engines that store bytes: auto, string, bytes, java, json. Default: auto. */
  private @Nullable String codec;
  /** Version of the stored values; raising it makes the old ones misses. Default: 0. */
  private @Nullable String codecVersion;
  /** Whether caches count hits, misses, loads and evictions. Default: true. */
  private @Nullable String stats;
  /** Largest encoded key the disk and remote engines accept. Default: 64KB. */
  private @Nullable String maxKeyBytes;
  /** Largest encoded value the disk and remote engines accept. Default: 16MB. */
  private @Nullable String maxValueBytes;
  /** The near cache of a shared engine: an in-process copy of what the cache reads. */
  private final Near near = new Near();
  /** Concurrent misses of one key: loaded once per process, or once across processes. */
  private final SingleFlight singleFlight = new SingleFlight();
  /** Observations (traces) of the cache's calls, with the application's ObservationRegistry. */
  private final Tracing tracing = new Tracing();

  /** Puts the settings that are set into {@code out}, as {@code prefix + key}. */
  void putCacheSettings(Map<String, String> out, String prefix) {
    put(out, prefix + "max-size", maxSize);
    put(out, prefix + "ttl", ttl);
    put(out, prefix + "expire-after-access", expireAfterAccess);
    put(out, prefix + "ttl-jitter", ttlJitter);
    put(out, prefix + "null-ttl", nullTtl);
    put(out, prefix + "refresh-after", refreshAfter);
    put(out, prefix + "stale-while-revalidate", staleWhileRevalidate);
    put(out, prefix + "stale-if-error", staleIfError);
    put(out, prefix + "null-values", nullValues);
    put(out, prefix + "load-timeout", loadTimeout);
    put(out, prefix + "codec", codec);
    put(out, prefix + "codec-version", codecVersion);
    put(out, prefix + "stats", stats);
    put(out, prefix + "max-key-bytes", maxKeyBytes);
    put(out, prefix + "max-value-bytes", maxValueBytes);
    put(out, prefix + "near.enabled", near.enabled);
    put(out, prefix + "near.max-size", near.maxSize);
    put(out, prefix + "near.max-staleness", near.maxStaleness);
    put(out, prefix + "single-flight.scope", singleFlight.scope);
    put(out, prefix + "single-flight.lease-time", singleFlight.leaseTime);
    put(out, prefix + "tracing.keys", tracing.keys);
  }

  public Tracing getTracing() {
    return tracing;
  }

  /** {@code tracing.*}: what observations of the cache's calls carry. */
  public static class Tracing {
    /** Whether observations carry the key's canonical text as ucache.key. Default: false. */
    private @Nullable String keys;

    public @Nullable String getKeys() {
      return keys;
    }

    public void setKeys(@Nullable String keys) {
      this.keys = keys;
    }
  }

  public Near getNear() {
    return near;
  }

  public SingleFlight getSingleFlight() {
    return singleFlight;
  }

  /** {@code single-flight.*}: how far single-flight loads reach. */
  public static class SingleFlight {
    /** process, or cluster (once across the processes sharing a redis engine). Default: process. */
    private @Nullable String scope;
    /** With cluster, how long a dead holder's lease blocks the key. Default: 10s. */
    private @Nullable String leaseTime;

    public @Nullable String getScope() {
      return scope;
    }

    public void setScope(@Nullable String scope) {
      this.scope = scope;
    }

    public @Nullable String getLeaseTime() {
      return leaseTime;
    }

    public void setLeaseTime(@Nullable String leaseTime) {
      this.leaseTime = leaseTime;
    }
  }

  /** {@code near.*}: the near cache of a shared engine. */
  public static class Near {
    /** Whether the cache keeps an in-process copy, invalidated by the engine. Default: false. */
    private @Nullable String enabled;
    /** Most entries the near cache holds. Default: 10000. */
    private @Nullable String maxSize;
    /** Longest an entry is served without reading it again, as a bound. Default: 30s. */
    private @Nullable String maxStaleness;

    public @Nullable String getEnabled() {
      return enabled;
    }

    public void setEnabled(@Nullable String enabled) {
      this.enabled = enabled;
    }

    public @Nullable String getMaxSize() {
      return maxSize;
    }

    public void setMaxSize(@Nullable String maxSize) {
      this.maxSize = maxSize;
    }

    public @Nullable String getMaxStaleness() {
      return maxStaleness;
    }

    public void setMaxStaleness(@Nullable String maxStaleness) {
      this.maxStaleness = maxStaleness;
    }
  }

  static void put(Map<String, String> out, String key, @Nullable String value) {
    if (value != null) {
      out.put(key, value.trim());
    }
  }

  public @Nullable String getLoadTimeout() {
    return loadTimeout;
  }

  public void setLoadTimeout(@Nullable String loadTimeout) {
    this.loadTimeout = loadTimeout;
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

  public @Nullable String getTtlJitter() {
    return ttlJitter;
  }

  public void setTtlJitter(@Nullable String ttlJitter) {
    this.ttlJitter = ttlJitter;
  }

  public @Nullable String getNullTtl() {
    return nullTtl;
  }

  public void setNullTtl(@Nullable String nullTtl) {
    this.nullTtl = nullTtl;
  }

  public @Nullable String getRefreshAfter() {
    return refreshAfter;
  }

  public void setRefreshAfter(@Nullable String refreshAfter) {
    this.refreshAfter = refreshAfter;
  }

  public @Nullable String getStaleWhileRevalidate() {
    return staleWhileRevalidate;
  }

  public void setStaleWhileRevalidate(@Nullable String staleWhileRevalidate) {
    this.staleWhileRevalidate = staleWhileRevalidate;
  }

  public @Nullable String getStaleIfError() {
    return staleIfError;
  }

  public void setStaleIfError(@Nullable String staleIfError) {
    this.staleIfError = staleIfError;
  }

  public @Nullable String getNullValues() {
    return nullValues;
  }

  public void setNullValues(@Nullable String nullValues) {
    this.nullValues = nullValues;
  }

  public @Nullable String getCodecVersion() {
    return codecVersion;
  }

  public void setCodecVersion(@Nullable String codecVersion) {
    this.codecVersion = codecVersion;
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
}
