package io.ucache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.annotation.CacheResult;
import org.junit.jupiter.api.Test;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The JSR-107 annotations' {@code cacheResolverFactory} hook, as Spring's JCache annotation
 * support calls it (it creates the factory through its no-argument constructor): the method's
 * cache and its exception cache are caches of UCache's default cache manager.
 */
class CacheResolverFactoryTest {

  private static CacheManager ucacheDefaultManager() {
    return Caching.getCachingProvider(UCacheCachingProvider.class.getName()).getCacheManager();
  }

  @Test
  void cacheResult_resolvedByUCache_runsTheMethodOncePerKey_inUCachesManager() {
    try (AnnotationConfigApplicationContext context =
        new AnnotationConfigApplicationContext(AnnotationsConfig.class)) {
      Squares squares = context.getBean(Squares.class);

      assertThat(squares.square(7)).isEqualTo(49);
      assertThat(squares.square(7)).isEqualTo(49);
      assertThat(squares.square(8)).isEqualTo(64);

      assertThat(squares.calls()).isEqualTo(2);
      assertThat(ucacheDefaultManager().getCache("resolver-squares").get(7)).isEqualTo(49);
    }
  }

  @Test
  void cacheResult_exceptionCache_isUCachesToo_andTheCachedFailureIsRethrown() {
    try (AnnotationConfigApplicationContext context =
        new AnnotationConfigApplicationContext(AnnotationsConfig.class)) {
      Squares squares = context.getBean(Squares.class);

      assertThatThrownBy(() -> squares.root(-4)).isInstanceOf(ArithmeticException.class);
      assertThatThrownBy(() -> squares.root(-4)).isInstanceOf(ArithmeticException.class);

      assertThat(squares.calls()).isEqualTo(1);
      assertThat(ucacheDefaultManager().getCache("resolver-root-failures").get(-4))
          .isInstanceOf(ArithmeticException.class);
    }
  }

  @Test
  void exceptionCacheAskedFor_whereNoneIsNamed_namesTheMethod() throws Exception {
    var details = new javax.cache.annotation.CacheMethodDetails<CacheResult>() {
      @Override
      public java.lang.reflect.Method getMethod() {
        try {
          return Squares.class.getMethod("square", int.class);
        } catch (NoSuchMethodException e) {
          throw new AssertionError(e);
        }
      }

      @Override
      public java.util.Set<java.lang.annotation.Annotation> getAnnotations() {
        return java.util.Set.of(getCacheAnnotation());
      }

      @Override
      public CacheResult getCacheAnnotation() {
        return getMethod().getAnnotation(CacheResult.class);
      }

      @Override
      public String getCacheName() {
        return "resolver-squares";
      }
    };

    assertThatThrownBy(() -> new UCacheCacheResolverFactory(ucacheDefaultManager())
        .getExceptionCacheResolver(details))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("square");
  }

  @Configuration
  @EnableCaching
  static class AnnotationsConfig {
    /** Spring's caching needs one; it knows none of the caches the factory resolves. */
    @Bean
    JCacheCacheManager cacheManager() {
      return new JCacheCacheManager(ucacheDefaultManager());
    }

    @Bean
    Squares squares() {
      return new Squares();
    }
  }

  static class Squares {
    private final AtomicInteger calls = new AtomicInteger();

    /** Through the proxy, which has fields of its own. */
    public int calls() {
      return calls.get();
    }

    @CacheResult(cacheName = "resolver-squares",
        cacheResolverFactory = UCacheCacheResolverFactory.class)
    public int square(int n) {
      calls.incrementAndGet();
      return n * n;
    }

    @CacheResult(cacheName = "resolver-roots",
        exceptionCacheName = "resolver-root-failures",
        cacheResolverFactory = UCacheCacheResolverFactory.class)
    public double root(int n) {
      calls.incrementAndGet();
      if (n < 0) {
        throw new ArithmeticException("no real root of " + n);
      }
      return Math.sqrt(n);
    }
  }
}
