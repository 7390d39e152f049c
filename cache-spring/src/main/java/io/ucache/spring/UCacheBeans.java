package io.ucache.spring;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.FailMode;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.spi.EngineProvider;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import org.jspecify.annotations.Nullable;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * What the Boot auto-configuration and {@link EnableUCache} both build, in one place: the
 * configuration, the engine manager, the annotation router and advisor, the cache manager.
 */
final class UCacheBeans {
  private UCacheBeans() {}

  static final String PREFIX = UCacheProperties.PREFIX + ".";

  /**
   * A configuration from {@code values} (keys without the {@code ucache.} prefix), every
   * failure reported through {@code invalid}, which gets the property's full name, its value as
   * it may be shown (secrets masked) and the reason.
   */
  static CacheConfig config(CacheConfig.Builder builder, Map<String, String> values,
      List<EngineProperty> engineProperties, InvalidProperty invalid) {
    for (Map.Entry<String, String> e : values.entrySet()) {
      try {
        builder.set(e.getKey(), e.getValue());
      } catch (CacheConfigException failure) {
        throw invalid.create(PREFIX + e.getKey(), shown(e.getKey(), e.getValue()), failure);
      }
    }
    for (EngineProperty property : engineProperties) {
      try {
        property.applyTo(builder);
      } catch (CacheConfigException failure) {
        throw invalid.create(property.name(), shown(property.name(), property.value()), failure);
      }
    }
    try {
      CacheConfig config = builder.build();
      // One failure policy in a Spring application: unless fail-mode is set, caching fails open
      // everywhere (@UCache, @Cacheable and the engine bean alike), and the application starts
      // while a remote engine's server is down, connecting when it comes back.
      return config.isSet("fail-mode") ? config
          : config.toBuilder().failMode(FailMode.OPEN).build();
    } catch (CacheConfigException failure) {
      String key = failure.key() == null ? "" : failure.key();
      String value = values.getOrDefault(key, "");
      throw invalid.create(PREFIX + key, shown(key, value), failure);
    }
  }

  /**
   * A {@code ucache.*} property (or {@code UCACHE_*} variable) that no field of
   * {@link UCacheProperties} binds: an engine's key, passed to the configuration as it is.
   */
  record EngineProperty(String name, String value, boolean variable) {
    void applyTo(CacheConfig.Builder builder) {
      if (variable) {
        builder.applyEnvironment(Map.of(name, value));
      } else {
        builder.set(name.substring(PREFIX.length()), value);
      }
    }
  }

  /**
   * Every {@code ucache.*} property and {@code UCACHE_*} variable of {@code environment} that is
   * not a generic key (nor {@code cache-manager.*}), lower-precedence sources first so that
   * higher ones win when applied in order.
   */
  static List<EngineProperty> engineProperties(ConfigurableEnvironment environment) {
    List<PropertySource<?>> sources = new ArrayList<>();
    environment.getPropertySources().forEach(sources::add);
    Map<String, EngineProperty> found = new LinkedHashMap<>();
    for (int i = sources.size() - 1; i >= 0; i--) {
      if (!(sources.get(i) instanceof EnumerablePropertySource<?> source)) {
        continue;
      }
      boolean variables = source instanceof SystemEnvironmentPropertySource;
      for (String name : source.getPropertyNames()) {
        Object value = source.getProperty(name);
        boolean variable = variables && name.startsWith("UCACHE_");
        if (value == null || !(variable || name.startsWith(PREFIX))
            || isGeneric(name.substring(variable ? "UCACHE_".length() : PREFIX.length()))) {
          continue;
        }
        String form = io.ucache.ConfigKey.environmentVariableOf(
            variable ? name.substring("UCACHE_".length()) : name.substring(PREFIX.length()));
        found.remove(form);
        found.put(form, new EngineProperty(name, value.toString(), variable));
      }
    }
    return List.copyOf(found.values());
  }

  /** Whether {@code key} (a property or variable without its prefix) is bound by a field. */
  private static boolean isGeneric(String key) {
    String bare = bare(key);
    if (bare.startsWith("cachemanager")) {
      return true;
    }
    if (bare.startsWith("caches")) {
      return CacheConfig.cacheKeys().stream().anyMatch(k -> bare.endsWith(bare(k)));
    }
    return CacheConfig.keys().stream().anyMatch(k -> bare.equals(bare(k)));
  }

  /** Lower case without separators: what relaxed binding compares. */
  private static String bare(String key) {
    return key.toLowerCase(java.util.Locale.ROOT).replaceAll("[-_.\\[\\]]", "");
  }

  /** How a bad property is reported: Boot's own exception under Boot, a plain one otherwise. */
  @FunctionalInterface
  interface InvalidProperty {
    RuntimeException create(String property, String shownValue, CacheConfigException reason);
  }

  static RuntimeException plainInvalid(String property, String shownValue,
      CacheConfigException reason) {
    return new IllegalStateException("Invalid UCache property " + property + "='" + shownValue
        + "': " + reason.getMessage(), reason);
  }

  private static String shown(String key, String value) {
    if (key.toLowerCase(java.util.Locale.ROOT).endsWith("password")) {
      return "****";
    }
    return CacheConfig.maskSecrets(value);
  }

  /**
   * The configuration that the {@code ucache.*} properties of a plain Spring environment give,
   * sources of lower precedence applied first so that higher ones win; environment variables
   * ({@code UCACHE_MAX_SIZE}, {@code UCACHE_CACHES_<NAME>_TTL}) are read by CacheConfig's own
   * rules.
   *
   * @throws IllegalStateException naming the property when one is invalid
   */
  static CacheConfig environmentConfig(ConfigurableEnvironment environment) {
    List<PropertySource<?>> sources = new ArrayList<>();
    environment.getPropertySources().forEach(sources::add);
    CacheConfig.Builder builder = CacheConfig.builder();
    for (int i = sources.size() - 1; i >= 0; i--) {
      if (!(sources.get(i) instanceof EnumerablePropertySource<?> source)) {
        continue;
      }
      boolean variables = source instanceof SystemEnvironmentPropertySource;
      for (String name : source.getPropertyNames()) {
        Object value = source.getProperty(name);
        if (value == null) {
          continue;
        }
        try {
          if (variables && name.startsWith("UCACHE_")) {
            builder.applyEnvironment(Map.of(name, value.toString()));
          } else if (name.startsWith(PREFIX)) {
            builder.set(name.substring(PREFIX.length()), value.toString());
          }
        } catch (CacheConfigException failure) {
          throw plainInvalid(name, shown(name, value.toString()), failure);
        }
      }
    }
    try {
      CacheConfig config = builder.build();
      // One failure policy in a Spring application: unless fail-mode is set, caching fails open
      // everywhere (@UCache, @Cacheable and the engine bean alike), and the application starts
      // while a remote engine's server is down, connecting when it comes back.
      return config.isSet("fail-mode") ? config
          : config.toBuilder().failMode(FailMode.OPEN).build();
    } catch (CacheConfigException failure) {
      String key = failure.key();
      throw plainInvalid(key == null ? UCacheProperties.PREFIX : PREFIX + key, "", failure);
    }
  }

  /**
   * An engine manager over {@code beans} (the providers the per-engine configurations
   * registered, and any the application defines) and every other provider that
   * {@link ServiceLoader} finds through {@code loader} (third-party engines). A provider whose
   * class cannot be loaded is skipped: its engine is not installed.
   */
  static EngineManager engineManager(ObjectProvider<EngineProvider> beans, ClassLoader loader) {
    Map<String, EngineProvider> providers = new LinkedHashMap<>();
    beans.orderedStream().forEach(provider -> providers.putIfAbsent(provider.name(), provider));
    Iterator<EngineProvider> found = ServiceLoader.load(EngineProvider.class, loader).iterator();
    while (true) {
      try {
        if (!found.hasNext()) {
          break;
        }
        EngineProvider provider = found.next();
        providers.putIfAbsent(provider.name(), provider);
      } catch (ServiceConfigurationError | LinkageError e) {
        // A registered provider whose class or driver is missing: that engine is not installed.
      }
    }
    return EngineManager.of(providers.values().toArray(EngineProvider[]::new));
  }

  static AnnotationRouter router(UCacheInterceptor interceptor, CacheEngine engine,
      EngineManager manager, BeanFactory beanFactory) {
    return new AnnotationRouter(interceptor, engine, manager, new SpelConditions(beanFactory));
  }

  static UCacheAdvisor advisor(ObjectProvider<AnnotationRouter> router) {
    return new UCacheAdvisor(router::getObject);
  }

  static UCacheCacheManager cacheManager(CacheEngine engine, boolean allowNullValues,
      Map<String, Class<?>> valueTypes, List<String> cacheNames,
      @Nullable CacheableValueTypes learned) {
    UCacheCacheManager manager = new UCacheCacheManager(engine, allowNullValues, learned);
    valueTypes.forEach(manager::setValueType);
    manager.createCaches(cacheNames);
    return manager;
  }

  /**
   * Registers Spring's infrastructure auto-proxy creator (or keeps a stronger one already
   * there) so that the advisor applies; {@code proxyTargetClass} forces CGLIB for every bean.
   */
  static void registerAutoProxyCreator(BeanDefinitionRegistry registry, boolean proxyTargetClass) {
    AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
    if (proxyTargetClass) {
      AopConfigUtils.forceAutoProxyCreatorToUseClassProxying(registry);
    }
  }
}
