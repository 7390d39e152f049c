package io.ucache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineInfo;
import io.ucache.context.EngineManager;
import io.ucache.interceptor.UCacheInterceptor;
import io.ucache.spi.EngineProvider;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Every condition of the auto-configuration, with ApplicationContextRunner. */
class UCacheAutoConfigurationTest {

  @TempDir Path baseDir;

  private ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(UCacheAutoConfiguration.class))
        .withPropertyValues("ucache.base-dir=" + baseDir);
  }

  @Test
  void defaults_giveTheEngineTheInterceptorTheAdvisorAndACacheManager() {
    runner().run(context -> {
      assertThat(context).hasNotFailed()
          .hasSingleBean(CacheConfig.class)
          .hasSingleBean(EngineManager.class)
          .hasSingleBean(CacheEngine.class)
          .hasSingleBean(UCacheInterceptor.class)
          .hasSingleBean(UCacheAdvisor.class)
          .hasSingleBean(UCacheCacheManager.class);
      assertThat(context.getBean(CacheEngine.class).name()).isEqualTo("caffeine");
      assertThat(context.getBean(EngineManager.class).engines()).extracting(EngineInfo::name)
          .containsExactlyInAnyOrder("caffeine", "ehcache", "redis");
      assertThat(context.getBeansOfType(EngineProvider.class)).containsOnlyKeys(
          "ucacheCaffeineProvider", "ucacheEhcacheProvider", "ucacheRedisProvider");
    });
  }

  @Test
  void properties_bindWithTheKeysOfCacheConfig() {
    runner().withPropertyValues("ucache.max-size=10", "ucache.ttl=10m",
            "ucache.caches.users.ttl=5s", "ucache.caches.users.max-size=3",
            "ucache.fail-mode=open", "ucache.redis.password=s3cret")
        .run(context -> {
          CacheConfig config = context.getBean(CacheConfig.class);
          assertThat(config.maxSize()).hasValue(10);
          assertThat(config.ttl()).contains(Duration.ofMinutes(10));
          assertThat(config.forCache("users").ttl()).contains(Duration.ofSeconds(5));
          assertThat(config.forCache("users").maxSize()).hasValue(3);
          assertThat(config.get(io.ucache.redis.RedisSettings.PASSWORD)).contains("s3cret");
          assertThat(config.toString()).doesNotContain("s3cret");
          assertThat(context.getBean(CacheEngine.class).config()).isEqualTo(config);
        });
  }

  /** A key added to CacheConfig but not to UCacheProperties would be unsettable from Spring. */
  @Test
  void everyConfigKey_bindsFromSpringProperties() {
    UCacheProperties properties = new UCacheProperties();
    org.springframework.boot.context.properties.bind.Binder binder =
        new org.springframework.boot.context.properties.bind.Binder(
            new org.springframework.boot.context.properties.source.MapConfigurationPropertySource(
                allKeys()));
    binder.bind("ucache", org.springframework.boot.context.properties.bind.Bindable
        .ofInstance(properties));
    assertThat(properties.toConfigMap()).containsOnlyKeys(allKeys().keySet().stream()
        .map(key -> key.substring("ucache.".length())).toList());
  }

  private static java.util.Map<String, String> allKeys() {
    java.util.Map<String, String> keys = new java.util.LinkedHashMap<>();
    CacheConfig.keys().forEach(key -> keys.put("ucache." + key, "x"));
    CacheConfig.cacheKeys().forEach(key -> keys.put("ucache.caches.users." + key, "x"));
    return keys;
  }

  @Test
  void engineKeyOfAMissingEngine_failsStartup_namingThePropertyAndTheInstalledEngines() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(UCacheAutoConfiguration.class))
        .withClassLoader(new FilteredClassLoader("io.ucache.ehcache"))
        .withPropertyValues("ucache.folder=x")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("ucache.folder")
            .hasMessageContaining("Unknown configuration key 'folder'")
            .hasMessageContaining("installed: caffeine, redis"));
  }

  @Test
  void engineKeys_passThroughWithoutAField_checkedByTheEngine() {
    runner().withPropertyValues("ucache.engine=ehcache", "ucache.folder=passed",
            "ucache.caches.users.disk-size=2MB")
        .run(context -> {
          CacheConfig config = context.getBean(CacheConfig.class);
          assertThat(config.get(io.ucache.ehcache.EhcacheSettings.FOLDER)).contains("passed");
          assertThat(config.forCache("users").get(io.ucache.ehcache.EhcacheSettings.DISK_SIZE))
              .contains(2L << 20);
          assertThat(baseDir.resolve("passed")).isDirectory();
        });
    runner().withPropertyValues("ucache.caches.users.disk-size=lots")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("ucache.caches.users.disk-size")
            .hasMessageContaining("'lots'"));
  }

  @Test
  void engineProperty_picksTheEngine() {
    runner().withPropertyValues("ucache.engine=ehcache", "ucache.folder=app").run(context -> {
      assertThat(context.getBean(CacheEngine.class).name()).isEqualTo("ehcache");
      assertThat(baseDir.resolve("app")).isDirectory();
    });
  }

  @ParameterizedTest
  @CsvSource({
      "io.ucache.caffeine, caffeine, ucacheCaffeineProvider, ehcache",
      "io.ucache.ehcache, ehcache, ucacheEhcacheProvider, caffeine",
      "io.ucache.redis, redis, ucacheRedisProvider, caffeine"})
  void engineJarMissing_itsConfigurationBacksOff(String hiddenPackage, String engine,
      String providerBean, String defaultEngine) {
    // Without the ehcache jar nothing declares base-dir, which the other tests set for it.
    ApplicationContextRunner runner = engine.equals("ehcache") ? new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(UCacheAutoConfiguration.class)) : runner();
    runner.withClassLoader(new FilteredClassLoader(hiddenPackage)).run(context -> {
      assertThat(context).hasNotFailed().doesNotHaveBean(providerBean);
      EngineManager manager = context.getBean(EngineManager.class);
      assertThat(manager.engines()).extracting(EngineInfo::name).doesNotContain(engine)
          .hasSize(2);
      assertThat(context.getBean(CacheEngine.class).name()).isEqualTo(defaultEngine);
    });
  }

  @ParameterizedTest
  @CsvSource({
      "com.github.benmanes.caffeine, ucacheCaffeineProvider",
      "org.ehcache, ucacheEhcacheProvider",
      "io.lettuce, ucacheRedisProvider"})
  void engineDriverMissing_itsConfigurationBacksOff(String hiddenPackage, String providerBean) {
    runner().withClassLoader(new FilteredClassLoader(hiddenPackage))
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(providerBean)
            .hasSingleBean(CacheEngine.class));
  }

  @Test
  void misspeltProperty_failsStartup_withDidYouMean() {
    runner().withPropertyValues("ucache.max-szie=5")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("ucache.max-szie")
            .hasMessageContaining("did you mean 'max-size'?"));
  }

  @Test
  void unknownEnvironmentVariable_skipped_asInPlainJava() {
    runner().withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
            new org.springframework.core.env.SystemEnvironmentPropertySource("test-env",
                java.util.Map.of("UCACHE_REDIS_URL", "redis://shared-by-every-service:6379",
                    "UCACHE_MAX_SIZE", "5"))))
        .withClassLoader(new FilteredClassLoader("io.ucache.redis"))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(io.ucache.CacheConfig.class).maxSize()).hasValue(5);
        });
  }

  @Test
  void namedEngineMissing_failsStartup_namingTheEngineAndItsArtifact() {
    runner().withClassLoader(new FilteredClassLoader("io.ucache.redis"))
        .withPropertyValues("ucache.engine=redis")
        .run(context -> assertThat(context).hasFailed().getFailure()
            .satisfies(failure -> assertThat(messages(failure))
                .anyMatch(m -> m.contains("redis") && m.contains("io.ucache:cache-engine-redis"))));
  }

  @Test
  void noSpringCacheOnTheClassPath_noCacheManager_butTheRestWorks() {
    runner().withClassLoader(new FilteredClassLoader("org.springframework.cache"))
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(UCacheCacheManager.class).hasSingleBean(CacheEngine.class));
  }

  @Test
  void noMicrometerNoActuator_theirPartsBackOff() {
    runner().withClassLoader(new FilteredClassLoader("io.micrometer.core",
            "org.springframework.boot.health", "org.springframework.boot.actuate"))
        .run(context -> assertThat(context).hasNotFailed()
            .doesNotHaveBean(UCacheMetrics.class)
            .doesNotHaveBean(UCacheHealthIndicator.class)
            .doesNotHaveBean("ucacheSanitizingFunction")
            .hasSingleBean(UCacheCacheManager.class));
  }

  @Test
  void cacheManagerDisabled_noCacheManager() {
    runner().withPropertyValues("ucache.cache-manager.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(CacheManager.class)
            .hasSingleBean(CacheEngine.class));
  }

  @Test
  void cacheManagerSettings_applyToItsCaches() {
    runner().withPropertyValues("ucache.cache-manager.cache-names=prices,quotes",
            "ucache.cache-manager.allow-null-values=false",
            "ucache.caches.quotes.null-values=true")
        .run(context -> {
          UCacheCacheManager manager = context.getBean(UCacheCacheManager.class);
          assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("prices", "quotes");
          assertThatThrownBy(() -> manager.getCache("prices").put("k", null))
              .isInstanceOf(IllegalArgumentException.class);
          manager.getCache("quotes").put("k", null); // its own setting wins
          assertThat(manager.getCache("quotes").get("k")).isNotNull();
        });
  }

  @Configuration(proxyBeanMethods = false)
  static class UserBeans {
    static final CacheEngine ENGINE =
        EngineManager.getDefault().create(CacheConfig.builder().maxSize(7).build());

    @Bean
    CacheEngine myEngine() {
      return ENGINE;
    }

    @Bean
    CacheManager myCacheManager() {
      return new ConcurrentMapCacheManager("mine");
    }
  }

  @Test
  void userBeans_win() {
    runner().withUserConfiguration(UserBeans.class).run(context -> {
      assertThat(context).hasSingleBean(CacheEngine.class).hasSingleBean(CacheManager.class)
          .doesNotHaveBean(UCacheCacheManager.class);
      assertThat(context.getBean(CacheEngine.class)).isSameAs(UserBeans.ENGINE);
      assertThat(context.getBean(UCacheInterceptor.class).toString()).contains("caffeine");
    });
    UserBeans.ENGINE.close(); // Spring closed it already (an AutoCloseable @Bean): idempotent
  }

  @Configuration(proxyBeanMethods = false)
  static class UserConfig {
    @Bean
    CacheConfig myConfig() {
      return CacheConfig.builder().maxSize(3).build();
    }
  }

  @Test
  void userConfig_winsOverTheProperties() {
    runner().withUserConfiguration(UserConfig.class).withPropertyValues("ucache.max-size=99")
        .run(context -> assertThat(context.getBean(CacheEngine.class).config().maxSize())
            .hasValue(3));
  }

  @ParameterizedTest
  @CsvSource({
      "ucache.ttl=10x, ucache.ttl, 10x",
      "ucache.max-size=-1, ucache.max-size, -1",
      "ucache.caches.users.ttl=soon, ucache.caches.users.ttl, soon",
      "ucache.engine=Bad Engine, ucache.engine, Bad Engine",
      "ucache.fail-mode=maybe, ucache.fail-mode, maybe"})
  void badProperty_failsStartup_namingIt(String property, String key, String value) {
    runner().withPropertyValues(property).run(context -> {
      assertThat(context).hasFailed();
      assertThat(messages(context.getStartupFailure()))
          .anyMatch(m -> m.contains(key) && m.contains(value));
    });
  }

  @Test
  void badRedisUrl_failsStartup_withoutShowingThePassword() {
    runner().withPropertyValues("ucache.redis.url=http://user:hunter2@host:1",
            "ucache.redis.password=hunter2")
        .run(context -> {
          assertThat(context).hasFailed();
          List<String> messages = messages(context.getStartupFailure());
          assertThat(messages).anyMatch(m -> m.contains("ucache.redis.url"));
          assertThat(messages).noneMatch(m -> m.contains("hunter2"));
        });
  }

  static List<String> messages(Throwable failure) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      messages.add(String.valueOf(t.getMessage()));
    }
    return messages;
  }

  @Test
  void metadata_listsTheKeysForIdeCompletion() throws Exception {
    String metadata;
    try (var in = UCacheProperties.class.getResourceAsStream(
        "/META-INF/spring-configuration-metadata.json")) {
      assertThat(in).isNotNull();
      metadata = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    for (String key : List.of("ucache.ttl", "ucache.max-size", "ucache.fail-mode",
        "ucache.caches", "ucache.expire-after-access", "ucache.cache-manager.value-types")) {
      assertThat(metadata).contains("\"name\": \"" + key + "\"");
    }
  }
}
