package io.ucache.spring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheStats;
import io.ucache.NearStats.FlushCause;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.spi.AbstractCache;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds Micrometer meters to every UCache cache the application uses: those of the UCache
 * {@code CacheManager} and those opened for {@code @UCache} methods, at start-up and later, with
 * the names Micrometer's cache binders use: {@code cache.gets} (tag {@code result=hit|miss}),
 * {@code cache.puts}, {@code cache.evictions}, {@code cache.size} where the engine knows it
 * cheaply (never), plus {@code cache.load} ({@code result=success|failure}),
 * {@code cache.load.duration} and {@code cache.errors} (engine failures, thrown or swallowed
 * under {@code fail-mode=open}). Tags: {@code cache} and {@code cache.manager=ucache}; a
 * {@code @UCache} cache and a {@code CacheManager} cache of the same name share their meters.
 * A cache with a near cache ({@code near.enabled}) adds {@code cache.near.gets}
 * ({@code result=hit} served from the in-process copy, {@code result=miss} read from the engine),
 * {@code cache.near.invalidations}, {@code cache.near.flushes} (tag {@code cause}:
 * {@code feed_lost}, {@code feed_restored}, {@code clear}, {@code all_changed}),
 * {@code cache.near.invalidation.lag} (a timer: this process's writes, from acknowledgement to
 * their invalidation arriving) and {@code cache.near.invalidation.lag.max}.
 * Counters are read from {@link io.ucache.Cache#stats()} when the registry asks.
 *
 * <p>Thread-safe. Nulls: none.
 */
final class UCacheMetrics implements SmartInitializingSingleton {

  private static final List<Tag> TAGS = List.of(Tag.of("cache.manager", "ucache"));

  private final ObjectProvider<MeterRegistry> registries;
  private final ObjectProvider<UCacheCacheManager> cacheManagers;
  private final ObjectProvider<UCacheInterceptor> interceptors;

  UCacheMetrics(ObjectProvider<MeterRegistry> registries,
      ObjectProvider<UCacheCacheManager> cacheManagers,
      ObjectProvider<UCacheInterceptor> interceptors) {
    this.registries = registries;
    this.cacheManagers = cacheManagers;
    this.interceptors = interceptors;
  }

  @Override
  public void afterSingletonsInstantiated() {
    MeterRegistry registry = registries.getIfUnique();
    if (registry == null) {
      return;
    }
    cacheManagers.orderedStream().forEach(manager -> manager.onCacheCreated(cache -> {
      if (cache instanceof UCacheSpringCache bridge) {
        new Binder(bridge.getNativeCache(), bridge::putCount).bindTo(registry);
      }
    }));
    // A @UCache method stores what its loads return: its puts are its successful loads.
    interceptors.orderedStream().forEach(interceptor -> interceptor.onCacheOpened(cache ->
        new Binder(cache, () -> cache.stats().loadSuccessCount()).bindTo(registry)));
  }

  /** Micrometer's cache binder over one UCache cache. */
  static final class Binder extends CacheMeterBinder<Cache<?, ?>> {
    private final LongSupplier puts;

    Binder(Cache<?, ?> cache, LongSupplier puts) {
      super(cache, cache.name(), TAGS);
      this.puts = puts;
    }

    private CacheStats stats() {
      Cache<?, ?> cache = getCache();
      return cache == null ? CacheStats.EMPTY : cache.stats();
    }

    @Override
    protected @Nullable Long size() {
      // Where the store can tell (caffeine); counting a remote or disk cache's entries is a
      // scan, not something to do on every scrape.
      Cache<?, ?> cache = getCache();
      if (cache instanceof io.ucache.spi.AbstractCache<?, ?, ?> template) {
        java.util.OptionalLong size = template.estimatedSize();
        return size.isPresent() ? size.getAsLong() : null;
      }
      return null;
    }

    @Override
    protected long hitCount() {
      return stats().hitCount();
    }

    @Override
    protected Long missCount() {
      return stats().missCount();
    }

    @Override
    protected Long evictionCount() {
      return stats().evictionCount();
    }

    @Override
    protected long putCount() {
      return getCache() == null ? 0 : puts.getAsLong();
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
      Tags tags = Tags.of(getTagsWithCacheName());
      Cache<?, ?> cache = getCache();
      if (cache == null) {
        return;
      }
      FunctionCounter.builder("cache.load", cache, c -> c.stats().loadSuccessCount())
          .tags(tags).tag("result", "success")
          .description("Loads that returned a value").register(registry);
      FunctionCounter.builder("cache.load", cache, c -> c.stats().loadFailureCount())
          .tags(tags).tag("result", "failure")
          .description("Loads that threw").register(registry);
      FunctionTimer.builder("cache.load.duration", cache,
              c -> c.stats().loadCount(), c -> c.stats().totalLoadTimeNanos(), TimeUnit.NANOSECONDS)
          .tags(tags).description("Time spent loading values").register(registry);
      FunctionCounter.builder("cache.errors", cache, c -> c.stats().errorCount())
          .tags(tags).description("Engine failures, thrown or turned into misses")
          .register(registry);
      if (cache instanceof AbstractCache<?, ?, ?> template && template.config().nearEnabled()) {
        bindNearMetrics(registry, cache, tags);
      }
      if (cache instanceof AbstractCache<?, ?, ?> template && refreshes(template.config())) {
        bindRefreshMetrics(registry, cache, tags);
      }
    }

    private static boolean refreshes(CacheConfig config) {
      return config.refreshAfter().isPresent() || config.staleWhileRevalidate().isPresent()
          || config.staleIfError().isPresent();
    }

    private static void bindRefreshMetrics(MeterRegistry registry, Cache<?, ?> cache, Tags tags) {
      FunctionCounter.builder("cache.refreshes", cache, c -> c.stats().refresh().refreshCount())
          .tags(tags).tag("result", "success")
          .description("Background reloads that stored a new value").register(registry);
      FunctionCounter.builder("cache.refreshes", cache,
              c -> c.stats().refresh().refreshFailureCount())
          .tags(tags).tag("result", "failure")
          .description("Background reloads that failed; the old value stayed").register(registry);
      FunctionCounter.builder("cache.stale.gets", cache, c -> c.stats().refresh().staleHitCount())
          .tags(tags).tag("window", "stale-while-revalidate")
          .description("Reads served an expired value while it was reloaded").register(registry);
      FunctionCounter.builder("cache.stale.gets", cache,
              c -> c.stats().refresh().staleOnErrorCount())
          .tags(tags).tag("window", "stale-if-error")
          .description("Reads served an expired value because its reload failed")
          .register(registry);
    }

    private static void bindNearMetrics(MeterRegistry registry, Cache<?, ?> cache, Tags tags) {
      FunctionCounter.builder("cache.near.gets", cache, c -> c.stats().near().hitCount())
          .tags(tags).tag("result", "hit")
          .description("Reads served from the in-process copy").register(registry);
      FunctionCounter.builder("cache.near.gets", cache, c -> c.stats().near().missCount())
          .tags(tags).tag("result", "miss")
          .description("Reads the near cache passed to the engine").register(registry);
      FunctionCounter.builder("cache.near.invalidations", cache,
              c -> c.stats().near().invalidationCount())
          .tags(tags).description("Changed keys the feed of changes delivered")
          .register(registry);
      for (FlushCause cause : FlushCause.values()) {
        FunctionCounter.builder("cache.near.flushes", cache,
                c -> c.stats().near().flushCounts().get(cause))
            .tags(tags).tag("cause", cause.name().toLowerCase(Locale.ROOT))
            .description("Times every near copy was dropped at once").register(registry);
      }
      FunctionTimer.builder("cache.near.invalidation.lag", cache,
              c -> c.stats().near().invalidationLagCount(),
              c -> c.stats().near().totalInvalidationLagNanos(), TimeUnit.NANOSECONDS)
          .tags(tags).description("From a write's acknowledgement to its invalidation arriving")
          .register(registry);
      TimeGauge.builder("cache.near.invalidation.lag.max", cache, TimeUnit.NANOSECONDS,
              c -> c.stats().near().maxInvalidationLagNanos())
          .tags(tags).description("The longest invalidation lag so far").register(registry);
    }
  }
}
