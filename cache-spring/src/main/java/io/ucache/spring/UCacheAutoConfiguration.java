package io.ucache.spring;

import io.micrometer.observation.ObservationRegistry;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.spi.EngineProvider;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Spring Boot auto-configuration of UCache: binds {@code ucache.*} ({@link UCacheProperties}),
 * creates the {@link EngineManager} and the application's {@link CacheEngine} (closed with the
 * context), applies {@code @UCache}/{@code @UCacheEvict} to beans through Spring AOP, and defines
 * a Spring {@code CacheManager} over the engine ({@code ucache.cache-manager.enabled=false} turns
 * it off) so that {@code @Cacheable} runs on UCache. Each engine has its own configuration, which
 * backs off when the engine's jar is missing; Micrometer metrics, a health indicator and the
 * actuator's masking of secrets come when their jars are present. A bean
 * of the application's own (a {@code CacheConfig}, {@code EngineManager}, {@code CacheEngine},
 * {@code UCacheInterceptor} or {@code CacheManager}) replaces the one made here.
 *
 * <p>Thread-safety and nulls: a configuration class; Spring calls it once, with no nulls.
 */
@AutoConfiguration(
    beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration",
    afterName = "org.springframework.boot.autoconfigure.aop.AopAutoConfiguration")
@ConditionalOnClass(CacheEngine.class)
@EnableConfigurationProperties(UCacheProperties.class)
@Import({
    EngineConfigurations.Caffeine.class,
    EngineConfigurations.Ehcache.class,
    EngineConfigurations.Redis.class,
    UCacheAutoConfiguration.AutoProxy.class,
    UCacheAutoConfiguration.CacheManagerConfiguration.class,
    OptionalConfigurations.Metrics.class,
    OptionalConfigurations.Health.class,
    OptionalConfigurations.Endpoint.class,
    OptionalConfigurations.Sanitizing.class})
public final class UCacheAutoConfiguration {

  /**
   * The configuration bound from {@code ucache.*}.
   *
   * @throws InvalidConfigurationPropertyValueException naming the property, when one is invalid
   */
  @Bean
  @ConditionalOnMissingBean
  CacheConfig ucacheConfig(UCacheProperties properties, EngineManager manager,
      ConfigurableEnvironment environment, ObjectProvider<ObservationRegistry> observations) {
    CacheConfig.Builder builder = manager.configBuilder();
    // Traces of cache calls, where the application observes (Boot's Actuator makes a registry).
    observations.ifAvailable(builder::observationRegistry);
    // Engines' keys pass through as they are, checked against the installed engines' own
    // declarations as they are set, so that a bad one names its property.
    return UCacheBeans.config(builder, properties.toConfigMap(),
        UCacheBeans.engineProperties(environment),
        (property, value, reason) -> new InvalidConfigurationPropertyValueException(property,
            value, reason.getMessage()));
  }

  @Bean
  @ConditionalOnMissingBean
  EngineManager ucacheEngineManager(ObjectProvider<EngineProvider> providers,
      ResourceLoader resourceLoader) {
    ClassLoader loader = resourceLoader.getClassLoader();
    return UCacheBeans.engineManager(providers,
        loader != null ? loader : UCacheAutoConfiguration.class.getClassLoader());
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  CacheEngine ucacheEngine(EngineManager manager, CacheConfig config) {
    return manager.create(config);
  }

  /** The {@code @UCache} core over the application's engine (the engine is not its to close). */
  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  UCacheInterceptor ucacheInterceptor(CacheEngine engine) {
    return UCacheInterceptor.using(engine);
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  AnnotationRouter ucacheAnnotationRouter(UCacheInterceptor interceptor, CacheEngine engine,
      EngineManager manager, BeanFactory beanFactory) {
    return UCacheBeans.router(interceptor, engine, manager, beanFactory);
  }

  /** Static and infrastructure: the auto-proxy creator looks for advisors very early. */
  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static UCacheAdvisor ucacheAdvisor(ObjectProvider<AnnotationRouter> router) {
    return UCacheBeans.advisor(router);
  }

  /**
   * Spring's infrastructure auto-proxy creator, unless a stronger one is there (Boot's
   * {@code AopAutoConfiguration} registers one that proxies classes through CGLIB by default).
   */
  static final class AutoProxy implements ImportBeanDefinitionRegistrar {
    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata,
        BeanDefinitionRegistry registry) {
      UCacheBeans.registerAutoProxyCreator(registry, false);
    }
  }

  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = "org.springframework.cache.CacheManager")
  @ConditionalOnBooleanProperty(name = "ucache.cache-manager.enabled", matchIfMissing = true)
  static class CacheManagerConfiguration {
    /** Learns each cache's value type from its {@code @Cacheable} methods, as beans are made. */
    @Bean
    static CacheableValueTypes ucacheCacheableValueTypes() {
      return new CacheableValueTypes();
    }

    @Bean
    @ConditionalOnMissingBean(org.springframework.cache.CacheManager.class)
    UCacheCacheManager cacheManager(CacheEngine engine, UCacheProperties properties,
        ObjectProvider<CacheableValueTypes> learned) {
      UCacheProperties.CacheManagerSettings settings = properties.getCacheManager();
      return UCacheBeans.cacheManager(engine, settings.isAllowNullValues(),
          settings.getValueTypes(), settings.getCacheNames(), learned.getIfAvailable());
    }
  }
}
