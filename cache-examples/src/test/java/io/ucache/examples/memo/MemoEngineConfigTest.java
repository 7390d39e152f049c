package io.ucache.examples.memo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheConfigException;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fourth engine's own keys, {@code store.path} and the per-cache {@code store.snapshot},
 * work from every source of configuration with no change to {@code cache-api}: the typed
 * builder, text, {@code UCACHE_*} variables and {@code ucache.*} system properties here; Spring
 * in {@link MemoSpringTest}; the CLI in {@code io.ucache.cli.MemoCliTest}.
 */
class MemoEngineConfigTest {

  @TempDir
  Path store;

  private final EngineManager manager = EngineManager.getDefault();

  /** Writes entries to "notes" and "scratch" and closes; returns what a second run reads. */
  private Map<String, String> runTwice(CacheConfig config) {
    try (CacheEngine engine = manager.create(config)) {
      assertThat(engine.name()).isEqualTo("memo");
      engine.cache("notes", String.class, String.class).put("k", "v");
      engine.cache("scratch", String.class, String.class).put("k", "v");
    }
    try (CacheEngine engine = manager.create(config)) {
      Cache<String, String> notes = engine.cache("notes", String.class, String.class);
      Cache<String, String> scratch = engine.cache("scratch", String.class, String.class);
      return Map.of("notes", String.valueOf(notes.get("k")),
          "scratch", String.valueOf(scratch.get("k")));
    }
  }

  @Test
  void typedBuilder_storePathAndPerCacheSnapshot_honoured() {
    CacheConfig config = CacheConfig.builder().engine("memo")
        .set(MemoSettings.STORE_PATH, store)
        .cache("scratch", cache -> cache.set(MemoSettings.STORE_SNAPSHOT, false))
        .build();

    assertThat(runTwice(config)).containsEntry("notes", "v").containsEntry("scratch", "null");
    assertThat(store.resolve("notes.properties")).isRegularFile();
    assertThat(store.resolve("scratch.properties")).doesNotExist();
  }

  @Test
  void textKeys_storePathAndPerCacheSnapshot_honoured() {
    CacheConfig config = CacheConfig.from(Map.of("engine", "memo", "store.path", store.toString(),
        "caches.scratch.store.snapshot", "false"));

    assertThat(runTwice(config)).containsEntry("notes", "v").containsEntry("scratch", "null");
  }

  @Test
  void environmentVariables_storePathAndPerCacheSnapshot_honoured() {
    CacheConfig config = CacheConfig.builder().applyEnvironment(Map.of("UCACHE_ENGINE", "memo",
        "UCACHE_STORE_PATH", store.toString(), "UCACHE_CACHES_SCRATCH_STORE_SNAPSHOT", "false"))
        .build();

    assertThat(runTwice(config)).containsEntry("notes", "v").containsEntry("scratch", "null");
    assertThat(manager.check(config).toString()).contains("store.path=" + store);
  }

  @Test
  void systemProperties_storePathAndPerCacheSnapshot_honoured() {
    Properties properties = new Properties();
    properties.setProperty("ucache.engine", "memo");
    properties.setProperty("ucache.store.path", store.toString());
    properties.setProperty("ucache.caches.scratch.store.snapshot", "false");
    CacheConfig config = CacheConfig.builder().applySystemProperties(properties).build();

    assertThat(runTwice(config)).containsEntry("notes", "v").containsEntry("scratch", "null");
  }

  @Test
  void fromEnvironment_realSystemProperties_reachTheEngine() {
    System.setProperty("ucache.store.path", store.toString());
    try {
      CacheConfig config = CacheConfig.fromEnvironment().toBuilder().engine("memo").build();
      try (CacheEngine engine = manager.create(config)) {
        engine.cache("notes", String.class, String.class).put("k", "v");
      }
      assertThat(store.resolve("notes.properties")).isRegularFile();
    } finally {
      System.clearProperty("ucache.store.path");
    }
  }

  @Test
  void badValue_refusedBeforeTheEngineStarts_namingTheVariable() throws Exception {
    CacheConfig config = CacheConfig.builder().engine("memo").set("store.path", store.toString())
        .applyEnvironment(Map.of("UCACHE_CACHES_SCRATCH_STORE_SNAPSHOT", "sometimes")).build();

    assertThatThrownBy(() -> manager.create(config)).isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("'sometimes'")
        .hasMessageContaining("UCACHE_CACHES_SCRATCH_STORE_SNAPSHOT")
        .hasMessageContaining("true or false");
    try (var files = Files.list(store)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void misspelledKey_refusedWithTheDeclaredKeySuggested() {
    CacheConfig config = CacheConfig.builder().engine("memo").set("store.pth", store.toString())
        .build();

    assertThatThrownBy(() -> manager.create(config)).isInstanceOf(CacheConfigException.class)
        .hasMessageContaining("Unknown configuration key 'store.pth'")
        .hasMessageContaining("did you mean 'store.path'?")
        .hasMessageContaining("memo: store.path, store.snapshot");
    assertThatThrownBy(() -> manager.configBuilder().set("store.pth", "x"))
        .isInstanceOf(CacheConfigException.class).hasMessageContaining("store.path");
  }

  @Test
  void snapshotKey_engineWideOnly_isNotSecretAndShows() {
    CacheConfig checked = manager.check(CacheConfig.builder().set("store.snapshot", "false")
        .build());

    assertThat(CacheConfig.builder().set("store.snapshot", "false").build().toString())
        .as("unchecked text may be a secret: masked").contains("store.snapshot=****");
    assertThat(checked.toString()).contains("store.snapshot=false");
    assertThat(checked.get(MemoSettings.STORE_SNAPSHOT)).contains(false);
  }

  @Test
  void providerDeclaresItsKeys_managerListsThem() {
    assertThat(manager.configKeys().get("memo")).containsExactly(MemoSettings.STORE_PATH,
        MemoSettings.STORE_SNAPSHOT);
  }
}
