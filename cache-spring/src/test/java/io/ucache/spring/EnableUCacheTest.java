package io.ucache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheEngine;
import io.ucache.annotation.UCache;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.MapPropertySource;

/** Plain Spring, no Boot: {@link EnableUCache} gives the same beans, configured from ucache.*. */
class EnableUCacheTest {

  public interface Greeter {
    String greet(String name);
  }

  public static class Service implements Greeter {
    final AtomicInteger runs = new AtomicInteger();

    @UCache(name = "squares")
    public int square(int x) {
      runs.incrementAndGet();
      return x * x;
    }

    @Cacheable("greetings")
    @Override
    public String greet(String name) {
      runs.incrementAndGet();
      return "Hello " + name;
    }

    public int runs() {
      return runs.get();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableUCache(proxyTargetClass = true)
  @EnableCaching(proxyTargetClass = true)
  static class App {
    @Bean
    Service service() {
      return new Service();
    }
  }

  /** No interface at all. */
  public static class Counter {
    final AtomicInteger runs = new AtomicInteger();

    @UCache(name = "counts")
    public int count(String word) {
      return runs.incrementAndGet();
    }
  }

  @Configuration(proxyBeanMethods = false)
  @EnableUCache
  static class Plain {
    @Bean
    Service service() {
      return new Service();
    }

    @Bean
    Counter counter() {
      return new Counter();
    }
  }

  private static AnnotationConfigApplicationContext start(Class<?> config,
      Map<String, Object> properties) {
    AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
    context.getEnvironment().getPropertySources()
        .addFirst(new MapPropertySource("test", properties));
    context.register(config);
    context.refresh();
    return context;
  }

  @Test
  void enableUCache_cachesAnnotatedMethods_andBridgesSpringsCacheable() {
    CacheEngine engine;
    try (AnnotationConfigApplicationContext context = start(App.class,
        Map.of("ucache.ttl", "10m", "ucache.caches.squares.max-size", "5"))) {
      Service service = context.getBean(Service.class);
      assertThat(AopUtils.isCglibProxy(service)).isTrue();
      assertThat(service.square(7)).isEqualTo(49);
      assertThat(service.square(7)).isEqualTo(49);
      assertThat(service.greet("Ada")).isEqualTo("Hello Ada");
      assertThat(service.greet("Ada")).isEqualTo("Hello Ada");
      assertThat(service.runs()).isEqualTo(2);
      engine = context.getBean(CacheEngine.class);
      assertThat(engine.config().ttl()).contains(Duration.ofMinutes(10));
      assertThat(engine.config().forCache("squares").maxSize()).hasValue(5);
      assertThat(context.getBean(CacheManager.class)).isInstanceOf(UCacheCacheManager.class);
      assertThat(engine.cacheNames()).contains("squares", "greetings");
    }
    assertThat(engine.isClosed()).isTrue();
  }

  @Test
  void withoutProxyTargetClass_interfacesGetJdkProxies_classesCglib() {
    try (AnnotationConfigApplicationContext context = start(Plain.class, Map.of())) {
      Greeter greeter = context.getBean(Greeter.class);
      assertThat(AopUtils.isJdkDynamicProxy(greeter)).isTrue();
      Counter counter = context.getBean(Counter.class);
      assertThat(AopUtils.isCglibProxy(counter)).isTrue();
      assertThat(counter.count("a")).isEqualTo(1);
      assertThat(counter.count("a")).isEqualTo(1);
      assertThat(counter.count("b")).isEqualTo(2);
    }
  }

  @Test
  void badProperty_failsStartup_namingIt() {
    assertThatThrownBy(() -> start(Plain.class, Map.of("ucache.max-size", "-1")))
        .hasStackTraceContaining("ucache.max-size").hasStackTraceContaining("-1");
  }
}
