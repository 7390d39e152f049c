package io.ucache.benchmarks;

import com.alicp.jetcache.CacheBuilder;
import com.alicp.jetcache.anno.CacheConsts;
import com.alicp.jetcache.anno.CacheType;
import com.alicp.jetcache.anno.Cached;
import com.alicp.jetcache.anno.config.EnableMethodCache;
import com.alicp.jetcache.anno.support.GlobalCacheConfig;
import com.alicp.jetcache.anno.support.JetCacheBaseBeans;
import com.alicp.jetcache.embedded.CaffeineCacheBuilder;
import com.alicp.jetcache.support.Fastjson2KeyConvertor;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * A peer of the annotation benchmark (issue 20): JetCache's {@code @Cached} on a Spring bean,
 * proxied by CGLIB, over a local Caffeine cache of the benchmark's size, set up as JetCache's
 * documentation sets up Spring without Boot (its default key convertor, Fastjson2, and no
 * statistics log). Thread-safe.
 */
public class JetCachePrices {

  private final Prices.PriceList prices = new Prices.PriceList();

  @Cached(name = "prices.", cacheType = CacheType.LOCAL, localLimit = (int) AnnotationBenchmark.MAX_SIZE)
  public String price(String sku) {
    return prices.price(sku);
  }

  /** The application context: JetCache's method cache with class-based (CGLIB) proxies. */
  @Configuration(proxyBeanMethods = false)
  @EnableMethodCache(basePackages = "io.ucache.benchmarks", proxyTargetClass = true)
  @Import(JetCacheBaseBeans.class) // its config provider and cache manager (JetCache 2.7+)
  public static class Config {
    @Bean
    public GlobalCacheConfig globalCacheConfig() {
      GlobalCacheConfig config = new GlobalCacheConfig();
      config.setLocalCacheBuilders(Map.<String, CacheBuilder>of(CacheConsts.DEFAULT_AREA,
          CaffeineCacheBuilder.createCaffeineCacheBuilder()
              .keyConvertor(Fastjson2KeyConvertor.INSTANCE)));
      config.setRemoteCacheBuilders(Map.of());
      config.setStatIntervalMinutes(0);
      config.setEnableMethodCache(true);
      return config;
    }

    @Bean
    public JetCachePrices jetCachePrices() {
      return new JetCachePrices();
    }
  }
}
