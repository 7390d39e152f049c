package io.ucache.spring;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import io.ucache.CacheStats;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Binds Micrometer meters to every cache of the UCache {@code CacheManager}, those created at
 * start-up and those created later, with the names Micrometer's cache binders use:
 * {@code cache.gets} (tag {@code result=hit|miss}), {@code cache.puts}, {@code cache.evictions},
 * {@code cache.size} where the engine knows it cheaply (never), plus {@code cache.load}
 * ({@code result=success|failure}), {@code cache.load.duration} and {@code cache.errors}
 * (engine failures swallowed under {@code fail-mode=open}). Tags: {@code cache} and
 * {@code cache.manager=ucache}. Counters are read from {@link io.ucache.Cache#stats()} when the
 * registry asks.
 *
 * <p>Thread-safe. Nulls: none.
 */
final class UCacheMetrics implements SmartInitializingSingleton {

  private final ObjectProvider<MeterRegistry> registries;
  private final ObjectProvider<UCacheCacheManager> cacheManagers;

  UCacheMetrics(ObjectProvider<MeterRegistry> registries,
      ObjectProvider<UCacheCacheManager> cacheManagers) {
    this.registries = registries;
    this.cacheManagers = cacheManagers;
  }

  @Override
  public void afterSingletonsInstantiated() {
    MeterRegistry registry = registries.getIfUnique();
    if (registry == null) {
      return;
    }
    cacheManagers.orderedStream().forEach(manager -> manager.onCacheCreated(cache -> {
      if (cache instanceof UCacheSpringCache ucache) {
        new Binder(ucache, List.of(Tag.of("cache.manager", "ucache"))).bindTo(registry);
      }
    }));
  }

  /** Micrometer's cache binder over one bridge cache. */
  static final class Binder extends CacheMeterBinder<UCacheSpringCache> {
    Binder(UCacheSpringCache cache, Iterable<Tag> tags) {
      super(cache, cache.getName(), tags);
    }

    private CacheStats stats() {
      UCacheSpringCache cache = getCache();
      return cache == null ? CacheStats.EMPTY : cache.getNativeCache().stats();
    }

    @Override
    protected @Nullable Long size() {
      return null; // counting a remote or disk cache's entries is a scan: not on every scrape
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
      UCacheSpringCache cache = getCache();
      return cache == null ? 0 : cache.putCount();
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
      Tags tags = Tags.of(getTagsWithCacheName());
      UCacheSpringCache cache = getCache();
      if (cache == null) {
        return;
      }
      FunctionCounter.builder("cache.load", cache, c -> c.getNativeCache().stats().loadSuccessCount())
          .tags(tags).tag("result", "success")
          .description("Loads that returned a value").register(registry);
      FunctionCounter.builder("cache.load", cache, c -> c.getNativeCache().stats().loadFailureCount())
          .tags(tags).tag("result", "failure")
          .description("Loads that threw").register(registry);
      FunctionTimer.builder("cache.load.duration", cache,
              c -> c.getNativeCache().stats().loadCount(),
              c -> c.getNativeCache().stats().totalLoadTimeNanos(), TimeUnit.NANOSECONDS)
          .tags(tags).description("Time spent loading values").register(registry);
      FunctionCounter.builder("cache.errors", cache, c -> c.getNativeCache().stats().errorCount())
          .tags(tags).description("Engine failures turned into misses (fail-mode=open)")
          .register(registry);
    }
  }
}
