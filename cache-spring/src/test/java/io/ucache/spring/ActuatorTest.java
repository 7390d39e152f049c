package io.ucache.spring;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.EngineHealth;
import io.ucache.context.EngineManager;
import io.ucache.spi.CircuitBreaker;
import io.ucache.testkit.RedisServerExtension;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint.ConfigurationPropertiesBeanDescriptor;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.actuate.endpoint.CachesEndpoint;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What Actuator and Micrometer see: secrets masked, metrics per cache, health, the caches endpoint. */
class ActuatorTest {

  @RegisterExtension static final RedisServerExtension REDIS = RedisServerExtension.create();

  @TempDir Path baseDir;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(UCacheAutoConfiguration.class,
            ConfigurationPropertiesReportEndpointAutoConfiguration.class,
            EnvironmentEndpointAutoConfiguration.class))
        .withPropertyValues("ucache.base-dir=" + baseDir);
  }

  @Test
  void redisPassword_isMaskedInConfigpropsAndEnv_evenWithShowValuesAlways() {
    runner().withPropertyValues("management.endpoints.web.exposure.include=configprops,env",
            "management.endpoint.configprops.show-values=always",
            "management.endpoint.env.show-values=always",
            "ucache.redis.password=hunter2", "ucache.redis.url=redis://app:hunter2@localhost:1",
            "ucache.ttl=10m")
        .run(context -> {
          ConfigurationPropertiesBeanDescriptor ucache = context
              .getBean(ConfigurationPropertiesReportEndpoint.class)
              .configurationPropertiesWithPrefix("ucache").getContexts().values().iterator().next()
              .getBeans().values().iterator().next();
          Map<String, Object> properties = ucache.getProperties();
          assertThat(properties).containsEntry("ttl", "10m"); // shown: show-values=always works
          // Engines' keys are not fields of UCacheProperties (they pass through): nothing shows.
          assertThat(properties).doesNotContainKey("redis");
          assertThat(properties.toString() + ucache.getInputs()).doesNotContain("hunter2");

          EnvironmentEndpoint env = context.getBean(EnvironmentEndpoint.class);
          assertThat(env.environmentEntry("ucache.redis.password").getProperty().getValue())
              .isEqualTo("******");
          assertThat(env.environmentEntry("ucache.ttl").getProperty().getValue()).isEqualTo("10m");
          assertThat(String.valueOf(env.environmentEntry("ucache.redis.url").getProperty()
              .getValue())).doesNotContain("hunter2");
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class NoMasking {
    @Bean
    org.springframework.boot.actuate.endpoint.SanitizingFunction ucacheSanitizingFunction() {
      return data -> data;
    }
  }

  /** Without UCache's function, show-values=always shows the password: the masking is ours. */
  @Test
  void withoutUCachesSanitizingFunction_thePasswordWouldShow() {
    runner().withUserConfiguration(NoMasking.class)
        .withPropertyValues("management.endpoints.web.exposure.include=env",
            "management.endpoint.env.show-values=always", "ucache.redis.password=hunter2")
        .run(context -> assertThat(context.getBean(EnvironmentEndpoint.class)
            .environmentEntry("ucache.redis.password").getProperty().getValue())
            .isEqualTo("hunter2"));
  }

  @Configuration(proxyBeanMethods = false)
  static class Registry {
    @Bean
    MeterRegistry meterRegistry() {
      return new SimpleMeterRegistry();
    }
  }

  @Test
  void metrics_perCache_moveWithUse_forCachesCreatedAtStartAndLater() {
    runner().withUserConfiguration(Registry.class)
        .withPropertyValues("ucache.cache-manager.cache-names=early")
        .run(context -> {
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          CacheManager manager = context.getBean(CacheManager.class);
          for (String name : new String[] {"early", "late"}) {
            Cache cache = manager.getCache(name);
            cache.get("a", () -> "A");                         // miss, load
            cache.get("a", () -> "never");                     // hit
            cache.put("b", "B");                               // put
            try {
              cache.get("c", () -> {
                throw new IllegalStateException("boom");        // miss, failed load
              });
            } catch (Cache.ValueRetrievalException expected) {
              // counted below
            }
            assertThat(count(registry, "cache.gets", name, "result", "hit")).isEqualTo(1);
            assertThat(count(registry, "cache.gets", name, "result", "miss")).isEqualTo(2);
            assertThat(count(registry, "cache.puts", name, null, null)).isEqualTo(2);
            assertThat(count(registry, "cache.load", name, "result", "success")).isEqualTo(1);
            assertThat(count(registry, "cache.load", name, "result", "failure")).isEqualTo(1);
            assertThat(registry.get("cache.load.duration").tag("cache", name).functionTimer()
                .count()).isEqualTo(2);
            assertThat(count(registry, "cache.errors", name, null, null)).isZero();
            assertThat(count(registry, "cache.evictions", name, null, null)).isZero();
          }
        });
  }

  /** A class (not an interface) whose @UCache method is proxied through CGLIB. */
  static class PriceService {
    final java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();

    @io.ucache.annotation.UCache(name = "annotated-prices")
    public String price(String id) {
      calls.incrementAndGet();
      return id + "=42";
    }

    /** Through a method: the bean is a CGLIB subclass whose own fields are never set. */
    public int calls() {
      return calls.get();
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class Prices {
    @Bean
    PriceService priceService() {
      return new PriceService();
    }
  }

  @Test
  void metrics_coverCachesThatExistOnlyBehindUCacheMethods() {
    runner().withUserConfiguration(Registry.class, Prices.class).run(context -> {
      MeterRegistry registry = context.getBean(MeterRegistry.class);
      PriceService service = context.getBean(PriceService.class);
      assertThat(registry.find("cache.gets").tag("cache", "annotated-prices").meters()).isEmpty();
      assertThat(service.price("a")).isEqualTo("a=42");  // miss, load
      assertThat(service.price("a")).isEqualTo("a=42");  // hit
      assertThat(service.calls()).isEqualTo(1);
      assertThat(count(registry, "cache.gets", "annotated-prices", "result", "hit")).isEqualTo(1);
      // A sync @UCache miss is a lookup then the engine's get(key, loader), and each counts it
      // (README, Spring): one miss or two, never none.
      assertThat(count(registry, "cache.gets", "annotated-prices", "result", "miss"))
          .isBetween(1.0, 2.0);
      assertThat(count(registry, "cache.load", "annotated-prices", "result", "success"))
          .isEqualTo(1);
      assertThat(count(registry, "cache.puts", "annotated-prices", null, null)).isEqualTo(1);
    });
  }

  @Test
  void metrics_nearCache_hitsFlushesAndInvalidationLag() {
    runner().withUserConfiguration(Registry.class)
        .withPropertyValues("ucache.engine=redis", "ucache.redis.url=" + REDIS.url(),
            "ucache.namespace=near-metrics", "ucache.near.enabled=true")
        .run(context -> {
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          Cache cache = context.getBean(CacheManager.class).getCache("near-prices");
          io.ucache.Cache<?, ?> ucache = (io.ucache.Cache<?, ?>) cache.getNativeCache();
          // Until the feed is live, reads go to Redis; then a put's echo arrives, the next read
          // makes a copy and the one after is a near hit.
          long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
          while (ucache.stats().near().hitCount() == 0 && System.nanoTime() < deadline) {
            cache.put("ACME", "12");
            cache.get("ACME");
            cache.get("ACME");
          }

          cache.clear();

          assertThat(count(registry, "cache.near.gets", "near-prices", "result", "hit"))
              .isPositive();
          assertThat(count(registry, "cache.near.gets", "near-prices", "result", "miss"))
              .isPositive();
          assertThat(count(registry, "cache.near.flushes", "near-prices", "cause", "clear"))
              .isEqualTo(1);
          assertThat(count(registry, "cache.near.flushes", "near-prices", "cause", "feed_lost"))
              .isZero();
          assertThat(count(registry, "cache.near.invalidations", "near-prices", null, null))
              .isPositive();
          assertThat(registry.get("cache.near.invalidation.lag").tag("cache", "near-prices")
              .functionTimer().count()).isPositive();
        });
  }

  @Test
  void metrics_refreshAhead_refreshesAndStaleReadsPerCache() {
    runner().withUserConfiguration(Registry.class)
        .withPropertyValues("ucache.ttl=10m", "ucache.refresh-after=1ms",
            "ucache.stale-if-error=1m")
        .run(context -> {
          MeterRegistry registry = context.getBean(MeterRegistry.class);
          Cache cache = context.getBean(CacheManager.class).getCache("fresh-prices");
          io.ucache.Cache<?, ?> ucache = (io.ucache.Cache<?, ?>) cache.getNativeCache();
          cache.put("ACME", "12");
          // Each read a millisecond after the last write starts a background refresh.
          long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
          while (ucache.stats().refresh().refreshCount() == 0 && System.nanoTime() < deadline) {
            cache.get("ACME", () -> "13");
            Thread.yield();
          }

          assertThat(cache.get("ACME", String.class)).isEqualTo("13");
          assertThat(count(registry, "cache.refreshes", "fresh-prices", "result", "success"))
              .isPositive();
          assertThat(count(registry, "cache.refreshes", "fresh-prices", "result", "failure"))
              .isZero();
          assertThat(count(registry, "cache.stale.gets", "fresh-prices", "window",
              "stale-if-error")).isZero();
        });
  }

  private static double count(MeterRegistry registry, String meter, String cache,
      String tag, String value) {
    var search = registry.get(meter).tag("cache", cache).tag("cache.manager", "ucache");
    if (tag != null) {
      search = search.tag(tag, value);
    }
    var found = search.meter();
    return found instanceof FunctionCounter counter ? counter.count()
        : found.measure().iterator().next().getValue();
  }

  @Test
  void cachesEndpoint_listsTheCachesOfUCacheMethodsToo() {
    runner().withUserConfiguration(Prices.class).run(context -> {
      PriceService service = context.getBean(PriceService.class);
      assertThat(service.price("a")).isEqualTo("a=42");
      CachesEndpoint endpoint = new CachesEndpoint(context.getBeansOfType(CacheManager.class));

      assertThat(endpoint.caches().getCacheManagers().get("cacheManager").getCaches())
          .containsKey("annotated-prices");
      assertThat(endpoint.cache("annotated-prices", null).getTarget()).contains("io.ucache");
      // The endpoint's clear reaches the @UCache method's entries.
      endpoint.clearCache("annotated-prices", null);
      assertThat(service.price("a")).isEqualTo("a=42");
      assertThat(service.calls()).isEqualTo(2);
    });
  }

  @Test
  void cachesEndpoint_listsTheBridgeCaches() {
    runner().withPropertyValues("ucache.cache-manager.cache-names=prices").run(context -> {
      CacheManager manager = context.getBean(CacheManager.class);
      manager.getCache("quotes");
      CachesEndpoint endpoint = new CachesEndpoint(context.getBeansOfType(CacheManager.class));
      assertThat(endpoint.caches().getCacheManagers().get("cacheManager").getCaches())
          .containsOnlyKeys("prices", "quotes");
      assertThat(endpoint.cache("quotes", null).getTarget()).contains("io.ucache");
    });
  }

  @Test
  void health_inProcessEngine_isUp_andDownOnceClosed() {
    runner().run(context -> {
      UCacheHealthIndicator indicator = context.getBean(UCacheHealthIndicator.class);
      Health health = indicator.health();
      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("engine", "caffeine");
      context.getBean(CacheEngine.class).close();
      assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
    });
  }

  @Test
  void health_degradedEngine_isUpAndSaysWhy() {
    try (CacheEngine caffeine = EngineManager.getDefault().create(CacheConfig.defaults())) {
      // The engine's own report, as a Cluster engine with one master down gives it.
      CacheEngine degraded = (CacheEngine) java.lang.reflect.Proxy.newProxyInstance(
          CacheEngine.class.getClassLoader(), new Class<?>[] {CacheEngine.class},
          (proxy, method, args) -> method.getName().equals("health")
              ? EngineHealth.degraded("master 10.0.0.3:6379 down", Map.of("masters", 3))
              : method.invoke(caffeine, args));

      Health health = new UCacheHealthIndicator(degraded).health();

      assertThat(health.getStatus()).isEqualTo(Status.UP);
      assertThat(health.getDetails()).containsEntry("degraded", "master 10.0.0.3:6379 down")
          .containsEntry("masters", 3).doesNotContainKey("reason");
    }
  }

  @Test
  void health_redisEngine_pingsTheServer() {
    runner().withPropertyValues("ucache.engine=redis", "ucache.redis.url=" + REDIS.url(),
            "ucache.timeout=2s")
        .run(context -> {
          CacheEngine engine = context.getBean(CacheEngine.class);
          engine.cache("warm", String.class, String.class).put("k", "v"); // connects
          Health health = context.getBean(UCacheHealthIndicator.class).health();
          assertThat(health.getStatus()).isEqualTo(Status.UP);
          assertThat(health.getDetails()).containsEntry("engine", "redis").containsKey("ping");
        });
  }

  @Test
  void health_redisCircuitOpenFailOpen_isUpDegraded_andSaysWhy() {
    runner().withPropertyValues("ucache.engine=redis", "ucache.redis.url=" + REDIS.url(),
            "ucache.timeout=300ms", "ucache.fail-mode=open", "ucache.circuit-breaker.failures=2",
            "ucache.circuit-breaker.cool-down=1h")
        .run(context -> {
          CacheEngine engine = context.getBean(CacheEngine.class);
          var cache = engine.cache("warm", String.class, String.class);
          cache.put("k", "v");
          assertThat(context.getBean(UCacheHealthIndicator.class).health().getDetails())
              .containsEntry("circuitBreaker", "CLOSED");
          REDIS.pause();
          try {
            // Fail-open reads swallow the timeouts, but they still count towards the breaker
            // (after a failure the thread skips Redis for one timeout, so keep calling).
            CircuitBreaker breaker = engine.unwrap(CircuitBreaker.class);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (breaker.state() != CircuitBreaker.State.OPEN && System.nanoTime() < deadline) {
              assertThat(cache.get("k")).isNull();
            }
            // Fail-open: callers are served without the cache, so the app stays in service.
            Health health = context.getBean(UCacheHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("circuitBreaker", "OPEN")
                .containsEntry("failMode", "open")
                .hasEntrySatisfying("degraded", reason -> assertThat(reason.toString())
                    .startsWith("the circuit breaker is open; last failure: ")
                    .containsAnyOf("timed out", "did not answer within")
                    .endsWith("(fail-mode=open: calls are served without the cache)"));
          } finally {
            REDIS.resume();
          }
        });
  }

  @Test
  void health_redisServerPausedFailClosed_isDown() {
    runner().withPropertyValues("ucache.engine=redis", "ucache.redis.url=" + REDIS.url(),
            "ucache.timeout=300ms", "ucache.fail-mode=closed")
        .run(context -> {
          CacheEngine engine = context.getBean(CacheEngine.class);
          engine.cache("warm", String.class, String.class).put("k", "v");
          REDIS.pause();
          try {
            assertThat(context.getBean(UCacheHealthIndicator.class).health().getStatus())
                .isEqualTo(Status.DOWN);
          } finally {
            REDIS.resume();
          }
        });
  }
}
