package io.ucache.spring;

import io.ucache.CacheEngine;
import io.ucache.CacheStats;
import io.ucache.Capability;
import io.ucache.EngineHealth;
import io.ucache.spi.AbstractCache;
import io.ucache.spi.AbstractEngine;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code ucache} Actuator endpoint: the application's engine (its configuration with secrets
 * masked, its health and breaker state) and each of its caches (settings, statistics, and size
 * where the store can tell it without a scan); and, as write operations, evicting one key, given as the
 * canonical text users see in Redis ({@code docs/keys.md}), and clearing a cache. Like Boot's
 * other endpoints it is exposed over HTTP only when included
 * ({@code management.endpoints.web.exposure.include=ucache}), and its default access is
 * read-only: the write operations need {@code management.endpoint.ucache.access=unrestricted}.
 * {@code /actuator/caches} keeps working beside it.
 *
 * <p>Thread-safe. Nulls: a missing cache reads as null (Boot answers 404).
 */
@Endpoint(id = "ucache", defaultAccess = Access.READ_ONLY)
public final class UCacheEndpoint {

  private final CacheEngine engine;

  UCacheEndpoint(CacheEngine engine) {
    this.engine = engine;
  }

  /** The engine and every cache open in it. */
  @ReadOperation
  public EngineReport engine() {
    Map<String, CacheReport> caches = new TreeMap<>();
    for (String name : engine.cacheNames()) {
      CacheReport report = cache(name);
      if (report != null) {
        caches.put(name, report);
      }
    }
    EngineHealth health = engine.health();
    return new EngineReport(engine.name(),
        engine.capabilities().stream().map(Capability::configName).sorted().toList(),
        engine.config().describe(), new HealthReport(health.status().name(), health.reason(),
            health.details()), caches);
  }

  /** One cache, or null (404) when the engine has no cache of that name open. */
  @ReadOperation
  public @Nullable CacheReport cache(@Selector String name) {
    AbstractCache<?, ?, ?> cache = open(name);
    if (cache == null) {
      return null;
    }
    CacheStats stats = cache.stats();
    java.util.OptionalLong estimated = cache.estimatedSize();
    Long size = estimated.isPresent() ? estimated.getAsLong() : null;
    return new CacheReport(name, cache.config().describe(), new StatsReport(stats.hitCount(),
        stats.missCount(), stats.hitRate(), stats.loadSuccessCount(), stats.loadFailureCount(),
        stats.evictionCount(), stats.errorCount(), stats.refresh().refreshCount(),
        stats.refresh().staleHitCount() + stats.refresh().staleOnErrorCount()), size);
  }

  /** Clears the cache: every entry, in every process sharing a shared engine. */
  @DeleteOperation
  public @Nullable Map<String, Object> clear(@Selector String name) {
    AbstractCache<?, ?, ?> cache = open(name);
    if (cache == null) {
      return null;
    }
    cache.clear();
    return Map.of("cache", name, "cleared", true);
  }

  /**
   * Evicts the entry whose key's canonical text is {@code key} (what follows the namespace and
   * the cache's name in a Redis key): directly where the cache's keys are that text, else by
   * comparing the text of each key (a walk of the cache: {@code AbstractCache.evictByText}).
   */
  @DeleteOperation
  public @Nullable Map<String, Object> evict(@Selector String name, @Selector String key) {
    AbstractCache<?, ?, ?> cache = open(name);
    if (cache == null) {
      return null;
    }
    int evicted = cache.evictByText(key);
    return Map.of("cache", name, "key", key, "evicted", evicted);
  }

  private @Nullable AbstractCache<?, ?, ?> open(String name) {
    return engine instanceof AbstractEngine template ? template.openCache(name) : null;
  }

  /** The engine: its name, capabilities, configuration (secrets masked), health and caches. */
  public record EngineReport(String engine, List<String> capabilities,
      Map<String, String> configuration, HealthReport health, Map<String, CacheReport> caches) {}

  /** The engine's health: status, reason, and details (breaker state, round trip...). */
  public record HealthReport(String status, @Nullable String reason, Map<String, Object> details) {}

  /** One cache: its settings, statistics and, where the store can tell it cheaply, its size. */
  public record CacheReport(String name, Map<String, String> settings, StatsReport statistics,
      @Nullable Long size) {}

  /** A cache's counters, as {@code Cache.stats()} has them. */
  public record StatsReport(long hits, long misses, double hitRate, long loads,
      long loadFailures, long evictions, long errors, long refreshes, long staleHits) {}
}
