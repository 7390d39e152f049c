package io.ucache.spring;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;

/**
 * What {@link EnableUCache} imports: the beans of the Boot auto-configuration, for plain Spring,
 * configured from the environment.
 */
@Configuration(proxyBeanMethods = false)
class UCacheConfiguration {

  @Bean
  CacheConfig ucacheConfig(ConfigurableEnvironment environment) {
    return UCacheBeans.environmentConfig(environment);
  }

  @Bean
  EngineManager ucacheEngineManager(ResourceLoader resourceLoader) {
    ClassLoader loader = resourceLoader.getClassLoader();
    return EngineManager.forClassLoader(
        loader != null ? loader : UCacheConfiguration.class.getClassLoader());
  }

  @Bean(destroyMethod = "close")
  CacheEngine ucacheEngine(EngineManager ucacheEngineManager, CacheConfig ucacheConfig) {
    return ucacheEngineManager.create(ucacheConfig);
  }

  @Bean(destroyMethod = "close")
  UCacheInterceptor ucacheInterceptor(CacheEngine ucacheEngine) {
    return UCacheInterceptor.using(ucacheEngine);
  }

  @Bean(destroyMethod = "close")
  AnnotationRouter ucacheAnnotationRouter(UCacheInterceptor ucacheInterceptor,
      CacheEngine ucacheEngine, EngineManager ucacheEngineManager, BeanFactory beanFactory) {
    return UCacheBeans.router(ucacheInterceptor, ucacheEngine, ucacheEngineManager,
        beanFactory);
  }

  @Bean
  @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
  static UCacheAdvisor ucacheAdvisor(ObjectProvider<AnnotationRouter> router) {
    return UCacheBeans.advisor(router);
  }

  /** The auto-proxy creator, and the cache manager when {@link EnableUCache#cacheManager()}. */
  static final class Registrar implements ImportBeanDefinitionRegistrar {
    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata,
        BeanDefinitionRegistry registry) {
      AnnotationAttributes attributes = AnnotationAttributes.fromMap(
          metadata.getAnnotationAttributes(EnableUCache.class.getName()));
      boolean proxyTargetClass = attributes != null && attributes.getBoolean("proxyTargetClass");
      boolean cacheManager = attributes == null || attributes.getBoolean("cacheManager");
      UCacheBeans.registerAutoProxyCreator(registry, proxyTargetClass);
      if (cacheManager) {
        registry.registerBeanDefinition("ucacheCacheableValueTypes",
            new RootBeanDefinition(CacheableValueTypes.class));
        RootBeanDefinition definition = new RootBeanDefinition(UCacheCacheManager.class);
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0,
            new RuntimeBeanReference(CacheEngine.class));
        definition.getConstructorArgumentValues().addIndexedArgumentValue(1, true);
        definition.getConstructorArgumentValues().addIndexedArgumentValue(2,
            new RuntimeBeanReference(CacheableValueTypes.class));
        registry.registerBeanDefinition("cacheManager", definition);
      }
    }
  }
}
