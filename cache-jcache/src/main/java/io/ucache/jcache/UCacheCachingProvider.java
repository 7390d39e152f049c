package io.ucache.jcache;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import javax.cache.CacheException;
import javax.cache.CacheManager;
import javax.cache.configuration.OptionalFeature;
import javax.cache.spi.CachingProvider;
import org.jspecify.annotations.Nullable;

/**
 * The JSR-107 caching provider of UCache, found by {@code Caching.getCachingProvider()}. Each
 * cache manager runs one UCache engine, configured with the same keys as everywhere, from, in
 * this order (later wins):
 *
 * <ol>
 *   <li>the manager's URI, when it names a properties file: {@code classpath:ucache.properties}
 *       (a resource of the class loader) or {@code file:/etc/app/ucache.properties}; other URIs
 *       (the default, {@code ucache:default}, or any name) only tell managers apart;</li>
 *   <li>the {@code Properties} given to {@code getCacheManager}, whose keys start with
 *       {@code ucache.} ({@code ucache.engine=redis}); other keys are left to others;</li>
 *   <li>the environment: {@code UCACHE_*} variables and {@code ucache.*} system properties.</li>
 * </ol>
 *
 * <p>With none of them the manager runs the default engine (caffeine, in memory). Thread-safe.
 */
public final class UCacheCachingProvider implements CachingProvider {

  /** The default URI: a manager configured by the given properties and the environment. */
  public static final URI DEFAULT_URI = URI.create("ucache:default");

  private static final String PREFIX = "ucache.";

  private final Map<ClassLoader, Map<URI, UCacheCacheManager>> managers = new WeakHashMap<>();
  /** JVM-wide: {@code Caching} makes a provider per class loader, and they share a folder. */
  private static final EngineLeases ENGINES = new EngineLeases();

  /** For {@link java.util.ServiceLoader}; applications get the provider from {@code Caching}. */
  public UCacheCachingProvider() {}

  @Override
  public CacheManager getCacheManager(@Nullable URI uri, @Nullable ClassLoader classLoader,
      @Nullable Properties properties) {
    URI managerUri = uri == null ? getDefaultURI() : uri;
    ClassLoader loader = classLoader == null ? getDefaultClassLoader() : classLoader;
    Properties given = properties == null ? new Properties() : properties;
    synchronized (managers) {
      Map<URI, UCacheCacheManager> byUri = managers.computeIfAbsent(loader, l -> new HashMap<>());
      UCacheCacheManager manager = byUri.get(managerUri);
      if (manager == null || manager.isClosed()) {
        CacheConfig config = configuration(managerUri, loader, given);
        manager = new UCacheCacheManager(this, managerUri, loader, given,
            ENGINES.acquire(config, loader));
        byUri.put(managerUri, manager);
      }
      return manager;
    }
  }

  private static CacheConfig configuration(URI uri, ClassLoader loader, Properties given) {
    try {
      CacheConfig.Builder builder = CacheConfig.builder().setAll(resource(uri, loader));
      Map<String, String> keys = new HashMap<>();
      for (String name : given.stringPropertyNames()) {
        if (name.startsWith(PREFIX)) {
          keys.put(name.substring(PREFIX.length()), given.getProperty(name));
        }
      }
      return builder.setAll(keys).applyEnvironment().build();
    } catch (CacheConfigException e) {
      throw new CacheException("cache manager " + uri + ": " + e.getMessage(), e);
    }
  }

  /** The properties the URI names, or none when it names no properties file. */
  private static Properties resource(URI uri, ClassLoader loader) {
    Properties properties = new Properties();
    String scheme = uri.getScheme();
    try {
      if ("classpath".equals(scheme)) {
        String path = uri.getSchemeSpecificPart().replaceFirst("^/+", "");
        try (InputStream in = loader.getResourceAsStream(path)) {
          if (in == null) {
            throw new CacheException("cache manager " + uri + ": no resource " + path
                + " on the class path");
          }
          properties.load(in);
        }
      } else if ("file".equals(scheme)) {
        try (InputStream in = Files.newInputStream(Path.of(uri))) {
          properties.load(in);
        }
      }
    } catch (NoSuchFileException e) {
      throw new CacheException("cache manager " + uri + ": no file " + e.getFile(), e);
    } catch (IOException e) {
      throw new CacheException("cache manager " + uri + ": cannot read it: " + e, e);
    }
    return properties;
  }

  /**
   * {@code manager} closed: its engine is given back (closed unless another manager shares it),
   * and the next request for its URI makes a new manager.
   */
  void released(UCacheCacheManager manager, CacheEngine engine) {
    synchronized (managers) {
      Map<URI, UCacheCacheManager> byUri = managers.get(manager.getClassLoader());
      if (byUri != null) {
        byUri.remove(manager.getURI(), manager);
      }
    }
    ENGINES.release(engine);
  }

  @Override
  public ClassLoader getDefaultClassLoader() {
    ClassLoader context = Thread.currentThread().getContextClassLoader();
    return context != null ? context : UCacheCachingProvider.class.getClassLoader();
  }

  @Override
  public URI getDefaultURI() {
    return DEFAULT_URI;
  }

  @Override
  public Properties getDefaultProperties() {
    return new Properties();
  }

  @Override
  public CacheManager getCacheManager(URI uri, ClassLoader classLoader) {
    return getCacheManager(uri, classLoader, getDefaultProperties());
  }

  @Override
  public CacheManager getCacheManager() {
    return getCacheManager(getDefaultURI(), getDefaultClassLoader());
  }

  @Override
  public void close() {
    for (UCacheCacheManager manager : all(null)) {
      manager.close();
    }
  }

  @Override
  public void close(ClassLoader classLoader) {
    for (UCacheCacheManager manager : all(classLoader)) {
      manager.close();
    }
  }

  @Override
  public void close(URI uri, ClassLoader classLoader) {
    UCacheCacheManager manager;
    synchronized (managers) {
      Map<URI, UCacheCacheManager> byUri = managers.get(classLoader);
      manager = byUri == null ? null : byUri.get(uri);
    }
    if (manager != null) {
      manager.close();
    }
  }

  private List<UCacheCacheManager> all(@Nullable ClassLoader classLoader) {
    synchronized (managers) {
      return managers.entrySet().stream()
          .filter(entry -> classLoader == null || entry.getKey() == classLoader)
          .flatMap(entry -> entry.getValue().values().stream())
          .toList();
    }
  }

  @Override
  public boolean isSupported(OptionalFeature feature) {
    return feature == OptionalFeature.STORE_BY_REFERENCE;
  }

  @Override
  public String toString() {
    return "UCacheCachingProvider";
  }
}
