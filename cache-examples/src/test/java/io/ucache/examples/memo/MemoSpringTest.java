package io.ucache.examples.memo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.spring.UCacheAutoConfiguration;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * The memo engine's keys as Spring Boot {@code ucache.*} properties: they pass through
 * {@code UCacheProperties}, which has no field for them, to the engine.
 */
class MemoSpringTest {

  @Configuration(proxyBeanMethods = false)
  @ImportAutoConfiguration(UCacheAutoConfiguration.class)
  static class App {}

  @TempDir
  Path store;

  private ConfigurableApplicationContext start(String... properties) {
    return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
        .properties(properties).run();
  }

  @Test
  void springProperties_storePathAndPerCacheSnapshot_reachTheEngine() {
    try (ConfigurableApplicationContext context = start("ucache.engine=memo",
        "ucache.store.path=" + store, "ucache.caches.scratch.store.snapshot=false")) {
      CacheEngine engine = context.getBean(CacheEngine.class);
      assertThat(engine.name()).isEqualTo("memo");
      CacheConfig config = engine.config();
      assertThat(config.get(MemoSettings.STORE_PATH)).contains(store);
      assertThat(config.forCache("scratch").get(MemoSettings.STORE_SNAPSHOT)).contains(false);
      engine.cache("notes", String.class, String.class).put("k", "v");
      engine.cache("scratch", String.class, String.class).put("k", "v");
    }
    assertThat(store.resolve("notes.properties")).isRegularFile();
    assertThat(store.resolve("scratch.properties")).doesNotExist();
  }

  @Test
  void springProperty_badValue_failsStartupNamingTheProperty() {
    assertThatThrownBy(() -> start("ucache.engine=memo", "ucache.store.path=" + store,
        "ucache.caches.scratch.store.snapshot=sometimes").close())
        .rootCause().hasMessageContaining("ucache.caches.scratch.store.snapshot")
        .hasMessageContaining("'sometimes'");
  }
}
