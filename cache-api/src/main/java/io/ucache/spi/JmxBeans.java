package io.ucache.spi;

import io.ucache.CacheStats;
import io.ucache.Capability;
import io.ucache.EngineHealth;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * The JMX MXBeans of one engine ({@code jmx.enabled=true}) on the platform MBean server: the
 * engine's {@link UCacheEngineMXBean}, registered with its first cache, and a
 * {@link UCacheCacheMXBean} per cache; all unregistered when the engine closes. Engines of one
 * name in one JVM are told apart by {@code id}. A registration that fails is logged, never
 * thrown: JMX is for operators, the cache works without it. Thread-safe.
 */
final class JmxBeans {

  static final String DOMAIN = "io.ucache";
  private static final AtomicLong IDS = new AtomicLong();
  private static final System.Logger LOG = System.getLogger(JmxBeans.class.getName());

  private final AbstractEngine engine;
  private final long id = IDS.incrementAndGet();
  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();
  private final List<ObjectName> registered = new ArrayList<>();

  JmxBeans(AbstractEngine engine) {
    this.engine = engine;
  }

  /** Registers the engine (once) and {@code cache}. Called under the engine's lock. */
  void opened(AbstractCache<?, ?, ?> cache) {
    if (registered.isEmpty()) {
      register("type=Engine,name=" + ObjectName.quote(engine.name()) + ",id=" + id,
          new EngineBean());
    }
    register("type=Cache,engine=" + ObjectName.quote(engine.name()) + ",id=" + id + ",name="
        + ObjectName.quote(cache.name()), new CacheBean(cache));
  }

  /** Unregisters every bean. Called once, as the engine closes. */
  void closed() {
    for (ObjectName name : registered) {
      try {
        server.unregisterMBean(name);
      } catch (JMException e) {
        LOG.log(System.Logger.Level.DEBUG, "JMX: " + name + " was already gone: " + e);
      }
    }
    registered.clear();
  }

  private void register(String properties, Object bean) {
    try {
      ObjectName name = new ObjectName(DOMAIN + ":" + properties);
      server.registerMBean(bean, name);
      registered.add(name);
    } catch (JMException e) {
      LOG.log(System.Logger.Level.WARNING, "JMX: the " + engine.name() + " engine could not "
          + "register " + properties + " (" + e + "); it works without it");
    }
  }

  private static String[] pairs(Map<String, ?> map) {
    return map.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
  }

  /** The engine's bean. */
  private final class EngineBean implements UCacheEngineMXBean {
    @Override
    public String getName() {
      return engine.name();
    }

    @Override
    public String[] getCapabilities() {
      return engine.capabilities().stream().map(Capability::configName).sorted()
          .toArray(String[]::new);
    }

    @Override
    public String[] getConfiguration() {
      return pairs(engine.config().describe());
    }

    @Override
    public String getHealth() {
      return engine.health().status().name();
    }

    @Override
    public String getHealthReason() {
      String reason = engine.health().reason();
      return reason == null ? "" : reason;
    }

    @Override
    public String[] getHealthDetails() {
      EngineHealth health = engine.health();
      return pairs(health.details());
    }

    @Override
    public String[] getCacheNames() {
      return engine.cacheNames().stream().sorted().toArray(String[]::new);
    }
  }

  /** One cache's bean. */
  private final class CacheBean implements UCacheCacheMXBean {
    private final AbstractCache<?, ?, ?> cache;

    CacheBean(AbstractCache<?, ?, ?> cache) {
      this.cache = cache;
    }

    @Override
    public String getName() {
      return cache.name();
    }

    @Override
    public String getEngine() {
      return engine.name();
    }

    @Override
    public String[] getSettings() {
      return pairs(cache.config().describe());
    }

    @Override
    public long getHits() {
      return cache.stats().hitCount();
    }

    @Override
    public long getMisses() {
      return cache.stats().missCount();
    }

    @Override
    public double getHitRate() {
      return cache.stats().hitRate();
    }

    @Override
    public long getLoads() {
      return cache.stats().loadCount();
    }

    @Override
    public long getLoadFailures() {
      return cache.stats().loadFailureCount();
    }

    @Override
    public long getEvictions() {
      return cache.stats().evictionCount();
    }

    @Override
    public long getErrors() {
      CacheStats stats = cache.stats();
      return stats.errorCount();
    }

    @Override
    public long getSize() {
      return cache.estimatedSize().orElse(-1);
    }

    @Override
    public void clear() {
      cache.clear();
    }

    @Override
    public int evict(String keyText) {
      return cache.evictByText(keyText);
    }
  }
}
