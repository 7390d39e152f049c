package io.ucache.jcache;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.jcache.JCacheCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Spring's {@code JCacheCacheManager} over UCache's provider serves {@code @Cacheable}. */
class SpringJCacheCacheManagerTest {

  @Test
  void cacheable_overJCacheCacheManager_runsTheMethodOncePerKey() {
    try (AnnotationConfigApplicationContext context =
        new AnnotationConfigApplicationContext(CachingConfig.class)) {
      Prices prices = context.getBean(Prices.class);

      assertThat(prices.price("apple")).isEqualTo(5);
      assertThat(prices.price("apple")).isEqualTo(5);
      assertThat(prices.price("kiwi")).isEqualTo(4);

      assertThat(prices.calls()).isEqualTo(2);
      CacheManager jcache = context.getBean(CacheManager.class);
      assertThat(jcache.getCache("prices", String.class, Integer.class).get("apple"))
          .isEqualTo(5);
    }
  }

  @Configuration
  @EnableCaching
  static class CachingConfig {

    @Bean(destroyMethod = "close")
    CacheManager jcacheManager() {
      CacheManager manager = Caching.getCachingProvider(UCacheCachingProvider.class.getName())
          .getCacheManager(URI.create("ucache:spring-test"), getClass().getClassLoader());
      manager.createCache("prices",
          new MutableConfiguration<String, Integer>().setTypes(String.class, Integer.class));
      return manager;
    }

    @Bean
    JCacheCacheManager cacheManager(CacheManager jcacheManager) {
      return new JCacheCacheManager(jcacheManager);
    }

    @Bean
    Prices prices() {
      return new Prices();
    }
  }

  static class Prices {
    private final AtomicInteger calls = new AtomicInteger();

    /** Through the proxy, which has fields of its own. */
    public int calls() {
      return calls.get();
    }

    @Cacheable("prices")
    public int price(String fruit) {
      calls.incrementAndGet();
      return fruit.length();
    }
  }
}
