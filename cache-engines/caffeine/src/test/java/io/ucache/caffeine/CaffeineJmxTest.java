package io.ucache.caffeine;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.spi.UCacheCacheMXBean;
import io.ucache.spi.UCacheEngineMXBean;
import java.lang.management.ManagementFactory;
import java.util.Set;
import javax.management.JMX;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;

/**
 * {@code jmx.enabled}: the engine and each cache as MXBeans on the platform server, read and
 * acted on through JMX; gone once the engine closes; none without the key.
 */
class CaffeineJmxTest {

  private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

  @Test
  void enabled_engineAndCachesRegistered_readAndEvictedThroughJmx_unregisteredAtClose()
      throws Exception {
    Set<ObjectName> caches;
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("caffeine").ttl(java.time.Duration.ofMinutes(10)).jmxEnabled(true).build())) {
      Cache<String, String> prices = engine.cache("jmx-prices", String.class, String.class);
      prices.put("apple", "1.10");
      prices.put("pear", "0.90");
      prices.get("apple");
      prices.get("plum");

      Set<ObjectName> engines = server.queryNames(
          new ObjectName("io.ucache:type=Engine,name=\"caffeine\",*"), null);
      caches = server.queryNames(
          new ObjectName("io.ucache:type=Cache,name=\"jmx-prices\",*"), null);
      assertThat(engines).isNotEmpty();
      assertThat(caches).hasSize(1);
      UCacheCacheMXBean cache = JMX.newMXBeanProxy(server, caches.iterator().next(),
          UCacheCacheMXBean.class);
      assertThat(cache.getHits()).isEqualTo(1);
      assertThat(cache.getMisses()).isEqualTo(1);
      assertThat(cache.getSize()).isEqualTo(2);
      assertThat(cache.getSettings()).contains("ttl=PT10M");
      assertThat(cache.evict("apple")).isEqualTo(1);
      assertThat(prices.get("apple")).isNull();
      cache.clear();
      assertThat(prices.get("pear")).isNull();

      UCacheEngineMXBean engineBean = JMX.newMXBeanProxy(server,
          server.queryNames(new ObjectName("io.ucache:type=Engine,*"), null).stream()
              .filter(name -> name.getKeyProperty("id").equals(
                  caches.iterator().next().getKeyProperty("id"))).findFirst().orElseThrow(),
          UCacheEngineMXBean.class);
      assertThat(engineBean.getHealth()).isEqualTo("UP");
      assertThat(engineBean.getCacheNames()).containsExactly("jmx-prices");
      assertThat(engineBean.getConfiguration()).contains("engine=caffeine", "jmx.enabled=true");
    }
    assertThat(server.isRegistered(caches.iterator().next())).as("after close").isFalse();
  }

  @Test
  void notEnabled_nothingRegistered() throws Exception {
    try (CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder()
        .engine("caffeine").build())) {
      engine.cache("jmx-off", String.class, String.class).put("k", "v");
      assertThat(server.queryNames(new ObjectName("io.ucache:type=Cache,name=\"jmx-off\",*"),
          null)).isEmpty();
    }
  }
}
