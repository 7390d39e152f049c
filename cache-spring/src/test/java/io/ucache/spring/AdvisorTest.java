package io.ucache.spring;

import io.ucache.ehcache.EhcacheSettings;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheEngine;
import io.ucache.annotation.CacheKey;
import io.ucache.annotation.UCache;
import io.ucache.annotation.UCacheEvict;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** @UCache and @UCacheEvict on Spring beans: classes through CGLIB, interfaces through JDK proxies. */
class AdvisorTest {

  @TempDir Path baseDir;

  /** A plain class: no interface, so only a CGLIB subclass can intercept it. */
  static class PriceService {
    final AtomicInteger runs = new AtomicInteger();

    @UCache(name = "prices")
    public long price(String symbol) {
      runs.incrementAndGet();
      return symbol.length() * 100L;
    }

    @UCacheEvict(name = "prices")
    public void reprice(String symbol) {}

    @UCache(name = "volumes", ttl = "10m")
    public long volume(@CacheKey String symbol, java.util.Locale ignored) {
      runs.incrementAndGet();
      return symbol.length();
    }

    @UCache(name = "on-disk", engine = "ehcache")
    public String onDisk(String key) {
      runs.incrementAndGet();
      return key.toUpperCase(java.util.Locale.ROOT);
    }

    /** Refreshed in the background by every call a millisecond after the last run. */
    @UCache(name = "quotes", ttl = "10m", refreshAfter = "1ms")
    public String quote(String symbol) {
      return symbol + "#" + runs.incrementAndGet();
    }

    /** Read through the proxy: a CGLIB proxy's own fields are not the target's. */
    public int runs() {
      return runs.get();
    }

    public long uncached(String symbol) {
      runs.incrementAndGet();
      return 1;
    }
  }

  /** Annotated on the interface; the implementation has no annotation of its own. */
  public interface Rates {
    @UCache(name = "rates")
    double rate(String currency);
  }

  static class FixedRates implements Rates {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    public double rate(String currency) {
      runs.incrementAndGet();
      return 1.5;
    }
  }

  /** One interface, two implementations that cache in caches of their own. */
  public interface Greeter {
    String greet(String name);
  }

  static class English implements Greeter {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    @UCache(name = "english")
    public String greet(String name) {
      runs.incrementAndGet();
      return "Hello " + name;
    }
  }

  static class French implements Greeter {
    final AtomicInteger runs = new AtomicInteger();

    @Override
    @UCache(name = "french")
    public String greet(String name) {
      runs.incrementAndGet();
      return "Bonjour " + name;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Greeters {
    @Bean
    English english() {
      return new English();
    }

    @Bean
    French french() {
      return new French();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Services {
    @Bean
    PriceService priceService() {
      return new PriceService();
    }

    @Bean
    FixedRates rates() {
      return new FixedRates();
    }
  }

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
            UCacheAutoConfiguration.class))
        .withUserConfiguration(Services.class)
        .withPropertyValues("ucache.base-dir=" + baseDir);
  }

  @Test
  void classBean_isProxiedThroughCglib_andCached() {
    runner().run(context -> {
      PriceService prices = context.getBean(PriceService.class);
      assertThat(AopUtils.isCglibProxy(prices)).isTrue();
      assertThat(prices.price("ACME")).isEqualTo(400);
      assertThat(prices.price("ACME")).isEqualTo(400);
      assertThat(prices.runs()).isEqualTo(1);
      prices.uncached("x");
      prices.uncached("x");
      assertThat(prices.runs()).isEqualTo(3);
      CacheEngine engine = context.getBean(CacheEngine.class);
      assertThat(engine.cacheNames()).contains("prices");
    });
  }

  @Test
  void refreshAfter_theBackgroundRefreshRunsTheMethodAgainThroughTheProxyWithTheSameArguments() {
    runner().run(context -> {
      PriceService prices = context.getBean(PriceService.class);
      assertThat(prices.quote("ACME")).isEqualTo("ACME#1");

      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
      String seen = prices.quote("ACME");
      while (seen.equals("ACME#1") && System.nanoTime() < deadline) {
        Thread.yield();
        seen = prices.quote("ACME");
      }
      assertThat(seen).as("a refreshed result, for the same argument").startsWith("ACME#")
          .isNotEqualTo("ACME#1");
    });
  }

  @Test
  void cacheKey_picksTheArguments() {
    runner().run(context -> {
      PriceService prices = context.getBean(PriceService.class);
      prices.volume("ACME", java.util.Locale.UK);
      prices.volume("ACME", java.util.Locale.US);
      assertThat(prices.runs()).isEqualTo(1);
    });
  }

  @Test
  void evict_removesTheEntry() {
    runner().run(context -> {
      PriceService prices = context.getBean(PriceService.class);
      prices.price("ACME");
      prices.reprice("ACME");
      prices.price("ACME");
      assertThat(prices.runs()).isEqualTo(2);
    });
  }

  @Test
  void oneInterfaceMethodOnTwoTargetClasses_eachCallUsesItsOwnClasssAnnotation() {
    runner().withUserConfiguration(Greeters.class)
        .withPropertyValues("spring.aop.proxy-target-class=false").run(context -> {
          java.util.Map<String, Greeter> greeters = context.getBeansOfType(Greeter.class);
          Greeter english = greeters.get("english");
          Greeter french = greeters.get("french");
          assertThat(AopUtils.isJdkDynamicProxy(english)).isTrue();
          for (int i = 0; i < 3; i++) { // alternating: one Method, two target classes
            assertThat(english.greet("Ann")).isEqualTo("Hello Ann");
            assertThat(french.greet("Ann")).isEqualTo("Bonjour Ann");
          }

          assertThat(((English) org.springframework.aop.framework.AopProxyUtils
              .getSingletonTarget(english)).runs).hasValue(1);
          assertThat(((French) org.springframework.aop.framework.AopProxyUtils
              .getSingletonTarget(french)).runs).hasValue(1);
          assertThat(context.getBean(CacheEngine.class).cacheNames())
              .contains("english", "french");
        });
  }

  @Test
  void interfaceAnnotations_applyToTheImplementation_withCglibAndWithJdkProxies() {
    for (String proxyTargetClass : new String[] {"true", "false"}) {
      runner().withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass)
          .run(context -> {
            Rates rates = context.getBean(Rates.class);
            assertThat(AopUtils.isAopProxy(rates)).isTrue();
            assertThat(AopUtils.isJdkDynamicProxy(rates))
                .isEqualTo(proxyTargetClass.equals("false"));
            rates.rate("EUR");
            rates.rate("EUR");
            assertThat(context.getBean(Services.class).getClass()).isNotNull();
            assertThat(context.getBean(CacheEngine.class).cacheNames()).contains("rates");
            FixedRates target = (FixedRates) org.springframework.aop.framework.AopProxyUtils
                .getSingletonTarget(rates);
            assertThat(target.runs).hasValue(1);
          });
    }
  }

  @Test
  void annotationNamingAnotherEngine_usesThatEngine_closedWithTheContext() {
    runner().withPropertyValues("ucache.folder=advisor").run(context -> {
      PriceService prices = context.getBean(PriceService.class);
      assertThat(prices.onDisk("a")).isEqualTo("A");
      assertThat(prices.onDisk("a")).isEqualTo("A");
      assertThat(prices.runs()).isEqualTo(1);
      assertThat(context.getBean(CacheEngine.class).cacheNames()).doesNotContain("on-disk");
      assertThat(baseDir.resolve("advisor")).isDirectory(); // the ehcache engine's folder
    });
    // Closed with the context: the folder is free for another engine.
    try (CacheEngine again = io.ucache.context.EngineManager.getDefault().create(
        io.ucache.CacheConfig.builder().engine("ehcache").set(EhcacheSettings.BASE_DIR, baseDir).set(EhcacheSettings.FOLDER, "advisor")
            .build())) {
      assertThat(again.isClosed()).isFalse();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Contradiction {
    @Bean
    Bad bad() {
      return new Bad();
    }
  }

  static class Bad {
    @UCache(name = "bad", ttl = "10x")
    public String call(String key) {
      return key;
    }
  }

  @Test
  void badAnnotation_failsOnTheCall_namingTheMethod() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class,
            UCacheAutoConfiguration.class))
        .withUserConfiguration(Contradiction.class)
        .run(context -> assertThatThrownBy(() -> context.getBean(Bad.class).call("k"))
            .hasMessageContaining("call").hasMessageContaining("10x"));
  }
}
