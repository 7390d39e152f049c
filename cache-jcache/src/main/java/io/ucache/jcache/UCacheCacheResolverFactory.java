package io.ucache.jcache;

import java.lang.annotation.Annotation;
import java.util.Objects;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.annotation.CacheMethodDetails;
import javax.cache.annotation.CacheResolver;
import javax.cache.annotation.CacheResolverFactory;
import javax.cache.annotation.CacheResult;
import javax.cache.configuration.MutableConfiguration;

/**
 * The JSR-107 annotations' hook ({@code @CacheResult(cacheResolverFactory = …)},
 * {@code @CacheDefaults}) for caches of UCache's provider: a method's cache is the cache of its
 * {@code cacheName} in a UCache cache manager, created with the default configuration on first
 * use when the application has not created it; {@code @CacheResult}'s exception cache likewise.
 * Annotation interceptors that honour the hook (Spring's JCache support, the CDI and Guice
 * integrations) then run on UCache whatever other providers are on the class path.
 *
 * <p>The no-argument constructor, which interceptors call, uses the default manager of
 * {@link UCacheCachingProvider} (configured as that class says: {@code UCACHE_*},
 * {@code -Ducache.*}). Thread-safe; nothing is null.
 */
public final class UCacheCacheResolverFactory implements CacheResolverFactory {

  private final CacheManager manager;

  /** Resolves caches in the default cache manager of UCache's provider. */
  public UCacheCacheResolverFactory() {
    this(Caching.getCachingProvider(UCacheCachingProvider.class.getName()).getCacheManager());
  }

  /** Resolves caches in {@code manager}. */
  public UCacheCacheResolverFactory(CacheManager manager) {
    this.manager = Objects.requireNonNull(manager, "manager");
  }

  @Override
  public CacheResolver getCacheResolver(CacheMethodDetails<? extends Annotation> method) {
    return resolving(cacheNamed(method.getCacheName()));
  }

  @Override
  public CacheResolver getExceptionCacheResolver(CacheMethodDetails<CacheResult> method) {
    String name = method.getCacheAnnotation().exceptionCacheName();
    if (name.isEmpty()) {
      throw new IllegalStateException("Method " + method.getMethod() + " names no exception"
          + " cache (@CacheResult(exceptionCacheName = ...)), yet one was asked for");
    }
    return resolving(cacheNamed(name));
  }

  private Cache<Object, Object> cacheNamed(String name) {
    Cache<Object, Object> cache = manager.getCache(name);
    if (cache != null) {
      return cache;
    }
    try {
      return manager.createCache(name, new MutableConfiguration<>());
    } catch (CacheException e) {
      Cache<Object, Object> created = manager.getCache(name); // another thread created it
      if (created == null) {
        throw e;
      }
      return created;
    }
  }

  private static CacheResolver resolving(Cache<Object, Object> cache) {
    return new CacheResolver() {
      @Override
      @SuppressWarnings("unchecked")
      public <K, V> Cache<K, V> resolveCache(
          javax.cache.annotation.CacheInvocationContext<? extends Annotation> context) {
        return (Cache<K, V>) cache;
      }
    };
  }

  @Override
  public String toString() {
    return "UCacheCacheResolverFactory[" + manager.getURI() + "]";
  }
}
