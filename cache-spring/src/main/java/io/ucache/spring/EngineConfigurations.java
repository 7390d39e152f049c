package io.ucache.spring;

import io.ucache.spi.EngineProvider;
import org.springframework.beans.BeanUtils;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;

/**
 * One configuration per first-party engine, each registering its engine's provider only when
 * the engine's jar is on the class path (and its driver, checked by name so that nothing is
 * loaded when it is missing). The providers are named, never imported: this module has no
 * dependency on any engine or driver. The engine manager is built from these providers, any the
 * application defines, and the third-party engines that ServiceLoader finds.
 */
final class EngineConfigurations {
  private EngineConfigurations() {}

  /** A new provider of the class called {@code className}, which the condition found. */
  static EngineProvider provider(String className) {
    return (EngineProvider) BeanUtils.instantiateClass(ClassUtils.resolveClassName(className,
        EngineConfigurations.class.getClassLoader()));
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"io.ucache.caffeine.CaffeineEngineProvider",
      "com.github.benmanes.caffeine.cache.Caffeine"})
  static class Caffeine {
    @Bean
    @ConditionalOnMissingBean(name = "ucacheCaffeineProvider")
    EngineProvider ucacheCaffeineProvider() {
      return provider("io.ucache.caffeine.CaffeineEngineProvider");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"io.ucache.ehcache.EhcacheEngineProvider",
      "org.ehcache.CacheManager"})
  static class Ehcache {
    @Bean
    @ConditionalOnMissingBean(name = "ucacheEhcacheProvider")
    EngineProvider ucacheEhcacheProvider() {
      return provider("io.ucache.ehcache.EhcacheEngineProvider");
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"io.ucache.redis.RedisEngineProvider",
      "io.lettuce.core.RedisClient"})
  static class Redis {
    @Bean
    @ConditionalOnMissingBean(name = "ucacheRedisProvider")
    EngineProvider ucacheRedisProvider() {
      return provider("io.ucache.redis.RedisEngineProvider");
    }
  }
}
