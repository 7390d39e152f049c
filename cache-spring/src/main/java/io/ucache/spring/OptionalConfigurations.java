package io.ucache.spring;

import io.ucache.CacheEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The parts of the auto-configuration that need an optional jar: each class is guarded by name,
 * so none of Micrometer's, Actuator's or Lettuce's classes is loaded when its jar is missing.
 */
final class OptionalConfigurations {
  private OptionalConfigurations() {}

  /** Micrometer meters for every UCache cache: the {@code CacheManager}'s and {@code @UCache}'s. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"io.micrometer.core.instrument.MeterRegistry",
      "org.springframework.cache.CacheManager"})
  static class Metrics {
    @Bean
    @ConditionalOnMissingBean
    UCacheMetrics ucacheMetrics(ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registries,
        ObjectProvider<UCacheCacheManager> cacheManagers,
        ObjectProvider<io.ucache.interceptor.UCacheInterceptor> interceptors) {
      return new UCacheMetrics(registries, cacheManagers, interceptors);
    }
  }

  /** A health indicator for the engine: a round trip to the server for remote engines. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
  static class Health {
    @Bean
    @ConditionalOnMissingBean(name = "ucacheHealthIndicator")
    UCacheHealthIndicator ucacheHealthIndicator(CacheEngine engine) {
      return new UCacheHealthIndicator(engine);
    }
  }

  /**
   * The {@code ucache} endpoint: engine, caches, statistics, evict and clear. Exposed over HTTP
   * only when included, as Boot's endpoints are; write operations need unrestricted access.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
  static class Endpoint {
    @Bean
    @ConditionalOnMissingBean
    UCacheEndpoint ucacheEndpoint(CacheEngine engine) {
      return new UCacheEndpoint(engine);
    }
  }

  /** Masks UCache's secrets in /actuator/configprops and /actuator/env, whatever show-values says. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.SanitizingFunction")
  static class Sanitizing {
    @Bean
    @ConditionalOnMissingBean(name = "ucacheSanitizingFunction")
    org.springframework.boot.actuate.endpoint.SanitizingFunction ucacheSanitizingFunction() {
      return UCacheSecrets::sanitize;
    }
  }
}
