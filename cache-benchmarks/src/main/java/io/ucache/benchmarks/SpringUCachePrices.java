package io.ucache.benchmarks;

import io.ucache.annotation.UCache;
import io.ucache.spring.EnableUCache;
import java.util.Map;
import org.aopalliance.intercept.MethodInterceptor;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/**
 * The Spring side of UCache in the annotation benchmark (issue 20, target 1): {@code @UCache} on
 * a bean's class, proxied by CGLIB through UCache's advisor ({@link EnableUCache}) over the
 * caffeine engine with the benchmark's settings; and the floor it is held to, a CGLIB proxy of
 * the hand-written decorator with an interceptor that only proceeds. Thread-safe.
 */
public class SpringUCachePrices {

  private final Prices.PriceList prices = new Prices.PriceList();

  @UCache(name = "spring-prices")
  public String price(String sku) {
    return prices.price(sku);
  }

  /** The application context: UCache without Boot, engine settings as properties. */
  @Configuration(proxyBeanMethods = false)
  @EnableUCache(cacheManager = false)
  public static class Config {
    @Bean
    public SpringUCachePrices springUCachePrices() {
      return new SpringUCachePrices();
    }
  }

  /**
   * Spring's own {@code @Cacheable} ({@link SpringPrices}, CGLIB) over UCache's
   * {@code CacheManager} and the same engine settings: what a Spring application that keeps its
   * annotations gets by adding UCache.
   */
  @Configuration(proxyBeanMethods = false)
  @EnableUCache
  @EnableCaching(proxyTargetClass = true)
  public static class CacheableConfig {
    @Bean
    public SpringPrices springPrices() {
      return new SpringPrices();
    }
  }

  /** A started context of {@code configuration}, UCache's engine set as the benchmark's. */
  static AnnotationConfigApplicationContext start(Class<?> configuration) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("benchmark",
        Map.of("ucache.engine", "caffeine", "ucache.max-size", AnnotationBenchmark.MAX_SIZE,
            "ucache.stats", "true")));
    context.register(configuration);
    context.refresh();
    return context;
  }

  /** The hand-written decorator as a class CGLIB can subclass. */
  public static class DecoratorBean {
    private final Prices decorator;

    public DecoratorBean() {
      this(new Prices.PriceList());
    }

    DecoratorBean(Prices delegate) {
      this.decorator = new AnnotationBenchmark.CachingPrices(delegate);
    }

    public String price(String sku) {
      return decorator.price(sku);
    }
  }

  /** The floor: {@link DecoratorBean} behind a CGLIB proxy whose one interceptor proceeds. */
  static DecoratorBean cglibNoOp() {
    ProxyFactory factory = new ProxyFactory(new DecoratorBean());
    factory.setProxyTargetClass(true);
    factory.addAdvice((MethodInterceptor) invocation -> invocation.proceed());
    return (DecoratorBean) factory.getProxy();
  }
}
