package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ehcache engine's own keys, now declared by its provider: bad values from every source are
 * refused naming the key as written; good ones reach the engine from every source.
 */
class EhcacheSettingsTest {

  private static final Map<String, List<String>> BAD_VALUES = Map.of(
      "folder", List.of("", "   "),
      "base-dir", List.of("", "  ", "a\u0000b"),
      "disk-size", List.of("0", "-5MB", "lots", "5 PB", "99999999999TB"));

  private final EngineManager manager = EngineManager.getDefault();

  @Test
  void badValues_coverEveryDeclaredKey() {
    assertThat(BAD_VALUES.keySet()).containsExactlyInAnyOrderElementsOf(
        EhcacheSettings.ALL.stream().map(k -> k.name()).toList());
  }

  @Test
  void badValue_everySource_refusedNamingTheKey() {
    BAD_VALUES.forEach((key, values) -> {
      for (String value : values) {
        Properties properties = new Properties();
        properties.setProperty("ucache." + key, value);
        String variable = "UCACHE_" + key.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
        for (Map.Entry<String, Runnable> source : Map.<String, Runnable>of(
            key, () -> manager.configBuilder().set(key, value),
            "ucache." + key, () -> manager.configBuilder().applySystemProperties(properties),
            variable, () -> manager.configBuilder().applyEnvironment(Map.of(variable, value)))
            .entrySet()) {
          CacheConfigException e = catchThrowableOfType(CacheConfigException.class,
              source.getValue()::run);
          assertThat(e).as("%s=%s", source.getKey(), value).isNotNull();
          assertThat(e.key()).isEqualTo(source.getKey());
        }
      }
    });
  }

  @Test
  void folderAndPerCacheDiskSize_fromEnvironment_reachTheEngine(@TempDir Path baseDir) {
    CacheConfig config = CacheConfig.builder().applyEnvironment(Map.of(
        "UCACHE_ENGINE", "ehcache", "UCACHE_BASE_DIR", baseDir.toString(),
        "UCACHE_FOLDER", "from-env", "UCACHE_CACHES_USERS_DISK_SIZE", "2MB")).build();

    try (CacheEngine engine = manager.create(config)) {
      assertThat(engine.config().forCache("users").get(EhcacheSettings.DISK_SIZE))
          .contains(2L << 20);
      engine.cache("users", String.class, String.class).put("k", "v");
    }
    assertThat(baseDir.resolve("from-env")).isDirectory();
  }
}
