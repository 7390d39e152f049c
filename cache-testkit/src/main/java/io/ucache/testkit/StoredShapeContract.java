package io.ucache.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.ValueType;
import io.ucache.context.EngineManager;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an engine that keeps values across deploys (a folder, a server) does with a value written
 * by an older shape of its class, as a JUnit 5 class such an engine's test extends: the next
 * deploy's {@code record Item(String id, long cents)} never reads the old
 * {@code record Item(String id)} as {@code Item[id=a, cents=0]}; the entry is a counted miss, and
 * the next load replaces it. The same for a raised {@code codec-version} with an unchanged
 * class. Both class versions are compiled and loaded apart ({@link ClassVersions}).
 *
 * <p><b>Thread-safety:</b> one thread per test. <b>Nulls:</b> the hooks must not return
 * {@code null}.
 */
public abstract class StoredShapeContract {

  private static final String ITEM = "shapes.Item";

  private final TestResources resources = new TestResources();

  @TempDir
  Path classes;

  /** For subclasses. */
  protected StoredShapeContract() {}

  /** A new builder for the engine under test (a fresh folder or namespace each call). */
  protected abstract CacheConfig.Builder baseConfig();

  /**
   * An engine over {@code engine}'s store, as the next deploy opens it with {@code config}:
   * close {@code engine} first where one process at a time may use the store (a folder).
   */
  protected abstract CacheEngine reopen(CacheEngine engine, CacheConfig config);

  /** The manager that starts engines; default {@link EngineManager#getDefault()}. */
  protected EngineManager manager() {
    return EngineManager.getDefault();
  }

  @AfterEach
  final void closeResources() throws Exception {
    resources.closeAll();
  }


  private CacheEngine opened(CacheEngine engine) {
    return resources.add(engine);
  }

  @SuppressWarnings("unchecked")
  private static Cache<String, Object> items(CacheEngine engine, Class<?> type) {
    return engine.cache("shape-items", String.class, (ValueType<Object>) ValueType.of(type));
  }

  @ParameterizedTest(name = "codec={0}")
  @ValueSource(strings = {"java", "json"})
  void get_valueWrittenByAnOlderShapeOfTheClass_isACountedMissThenReplaced(String codec) {
    Class<?> before = ClassVersions.compile(classes.resolve("v1"), ITEM,
        "package shapes; public record Item(String id) implements java.io.Serializable {}");
    Class<?> after = ClassVersions.compile(classes.resolve("v2"), ITEM,
        "package shapes; public record Item(String id, long cents) "
            + "implements java.io.Serializable {}");
    CacheConfig config = baseConfig().codec(codec).build();
    CacheEngine first = opened(manager().create(config));
    Cache<String, Object> old = items(first, before);
    old.put("a", ClassVersions.newRecord(before, "a"));
    assertThat(old.get("a")).as("the old deploy reads its own value")
        .isEqualTo(ClassVersions.newRecord(before, "a"));

    CacheEngine next = opened(reopen(first, config));
    Cache<String, Object> current = items(next, after);

    assertThat(current.get("a")).as("never the old value as Item[id=a, cents=0]").isNull();
    assertThat(current.stats().missCount()).isEqualTo(1);
    Object loaded = current.get("a", key -> ClassVersions.newRecord(after, key, 7L));
    assertThat(loaded).isEqualTo(ClassVersions.newRecord(after, "a", 7L));
    assertThat(current.get("a")).as("the load replaced it").isEqualTo(loaded);
  }

  @ParameterizedTest(name = "codec={0}")
  @ValueSource(strings = {"java", "json"})
  void get_afterCodecVersionRaised_oldValuesAreMissesWithoutAScan(String codec) {
    Class<?> item = ClassVersions.compile(classes.resolve("v1"), ITEM,
        "package shapes; public record Item(String id) implements java.io.Serializable {}");
    CacheConfig config = baseConfig().codec(codec).build();
    CacheEngine first = opened(manager().create(config));
    items(first, item).put("a", ClassVersions.newRecord(item, "a"));
    items(first, item).put("b", ClassVersions.newRecord(item, "b"));

    CacheEngine next = opened(reopen(first, config.toBuilder()
        .cache("shape-items", cache -> cache.codecVersion(1)).build()));
    Cache<String, Object> current = items(next, item);

    assertThat(current.get("a")).isNull();
    assertThat(current.get("b")).isNull();
    assertThat(current.stats().missCount()).isEqualTo(2);
    current.put("a", ClassVersions.newRecord(item, "a2"));
    assertThat(current.get("a")).isEqualTo(ClassVersions.newRecord(item, "a2"));
  }
}
