package io.ucache.benchmarks;

import com.github.benmanes.caffeine.cache.Caffeine;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Spring side of the annotation benchmark: the same method under {@code @Cacheable}, proxied
 * by CGLIB, over a {@link CaffeineCacheManager} whose caches have the benchmark's Caffeine
 * settings. Thread-safe; nulls are refused.
 */
public class SpringPrices {

  private final Prices.PriceList prices = new Prices.PriceList();

  @Cacheable("prices")
  public String price(String sku) {
    return prices.price(sku);
  }

  /** The application context: caching with class-based (CGLIB) proxies. */
  @Configuration(proxyBeanMethods = false)
  @EnableCaching(proxyTargetClass = true)
  public static class Config {
    @Bean
    public CacheManager cacheManager() {
      CaffeineCacheManager manager = new CaffeineCacheManager();
      manager.setCaffeine(Caffeine.newBuilder().maximumSize(AnnotationBenchmark.MAX_SIZE)
          .recordStats());
      return manager;
    }

    @Bean
    public SpringPrices springPrices() {
      return new SpringPrices();
    }
  }
}
