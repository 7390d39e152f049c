package io.ucache.jcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheEngine;
import java.net.URI;
import java.nio.file.Path;
import java.util.Properties;
import javax.cache.Cache;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.Caching;
import javax.cache.configuration.MutableConfiguration;
import javax.cache.spi.CachingProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How the provider is found and how its managers are configured. */
class UCacheCachingProviderTest {

  @TempDir
  Path folder;

  private final CachingProvider provider = Caching.getCachingProvider(
      UCacheCachingProvider.class.getName());

  @Test
  void caching_findsTheProviderOnTheClassPath_byItsName() {
    // By name: Ehcache's jar, here for the ehcache engine, registers a provider of its own.
    assertThat(Caching.getCachingProviders()).anySatisfy(found ->
        assertThat(found).isInstanceOf(UCacheCachingProvider.class));
    assertThat(provider).isInstanceOf(UCacheCachingProvider.class);
    assertThat(provider.getDefaultURI()).isEqualTo(URI.create("ucache:default"));
  }

  @Test
  void defaultManager_runsTheCaffeineEngine() {
    try (CacheManager manager = provider.getCacheManager(URI.create("ucache:plain"), null)) {
      assertThat(manager.unwrap(CacheEngine.class).name()).isEqualTo("caffeine");
    }
  }

  @Test
  void classpathUri_configuresTheEngineFromThatResource() {
    try (CacheManager manager = provider.getCacheManager(
        URI.create("classpath:jcache-test.properties"), null)) {
      assertThat(manager.unwrap(CacheEngine.class).config().maxSize()).hasValue(2L);
    }
  }

  @Test
  void classpathUri_missingResource_namesIt() {
    assertThatThrownBy(() -> provider.getCacheManager(URI.create("classpath:no-such.properties"),
        null)).isInstanceOf(CacheException.class).hasMessageContaining("no-such.properties");
  }

  @Test
  void properties_withTheUcachePrefix_configureTheEngine_othersAreLeftAlone() {
    Properties properties = new Properties();
    properties.setProperty("ucache.engine", "ehcache");
    properties.setProperty("ucache.base-dir", folder.toString());
    properties.setProperty("hibernate.something", "not ours");
    try (CacheManager manager = provider.getCacheManager(URI.create("ucache:disk"), null,
        properties)) {
      assertThat(manager.unwrap(CacheEngine.class).name()).isEqualTo("ehcache");
    }
  }

  @Test
  void badValue_namesTheKey() {
    Properties properties = new Properties();
    properties.setProperty("ucache.max-size", "lots");
    assertThatThrownBy(() -> provider.getCacheManager(URI.create("ucache:bad"), null,
        properties)).isInstanceOf(CacheException.class).hasMessageContaining("max-size");
  }

  @Test
  void storeByReference_onAnEngineThatStoresBytes_isRefusedNamingTheEngine() {
    Properties properties = new Properties();
    properties.setProperty("ucache.engine", "ehcache");
    properties.setProperty("ucache.base-dir", folder.toString());
    try (CacheManager manager = provider.getCacheManager(URI.create("ucache:by-ref"), null,
        properties)) {
      assertThatThrownBy(() -> manager.createCache("c",
          new MutableConfiguration<String, String>().setStoreByValue(false)))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("ehcache");
    }
  }

  @Test
  void unwrap_givesTheUCacheCacheUnderneath() {
    try (CacheManager manager = provider.getCacheManager(URI.create("ucache:unwrap"), null)) {
      Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<>());
      cache.put("k", "v");
      assertThat(cache.unwrap(io.ucache.Cache.class).name()).isEqualTo("c");
      assertThatThrownBy(() -> cache.unwrap(String.class))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void foreignBytes_onAnEngineThatStoresBytes_areAMiss() {
    Properties properties = new Properties();
    properties.setProperty("ucache.engine", "ehcache");
    properties.setProperty("ucache.base-dir", folder.toString());
    try (CacheManager manager = provider.getCacheManager(URI.create("ucache:foreign"), null,
        properties)) {
      Cache<String, String> cache = manager.createCache("c", new MutableConfiguration<>());
      @SuppressWarnings("unchecked")
      io.ucache.Cache<String, byte[]> bytes = cache.unwrap(io.ucache.Cache.class);
      bytes.put(EntryStore.Serialized.text("k"), new byte[] {1, 2, 3});

      assertThat(cache.get("k")).isNull();
      assertThat(cache.containsKey("k")).isFalse();
      cache.put("k", "v");
      assertThat(cache.get("k")).isEqualTo("v");
    }
  }

  @Test
  void managersOfOneUriAndClassLoader_areOne_untilClosed() {
    URI uri = URI.create("ucache:same");
    CacheManager first = provider.getCacheManager(uri, null);
    assertThat(provider.getCacheManager(uri, null)).isSameAs(first);
    first.close();
    try (CacheManager second = provider.getCacheManager(uri, null)) {
      assertThat(second).isNotSameAs(first);
      assertThat(second.isClosed()).isFalse();
    }
  }
}
