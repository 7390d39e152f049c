package io.ucache.ehcache;

import static org.assertj.core.api.Assertions.assertThat;

import io.ucache.Cache;
import io.ucache.CacheConfig;
import io.ucache.CacheEngine;
import io.ucache.context.EngineManager;
import io.ucache.testkit.LogCapture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 12, defect 8 (the index half): random bytes written over the files Ehcache keeps beside
 * its data (the index, the store's metadata) of a folder closed cleanly. The folder must open,
 * discard its entries with one WARN naming it, count the discard, and work.
 */
class EhcacheCorruptIndexTest {

  @TempDir
  Path temp;

  @RegisterExtension
  final LogCapture logs = LogCapture.of("io.ucache.ehcache");
  private final List<CacheEngine> engines = new ArrayList<>();

  @AfterEach
  void tearDown() {
    engines.forEach(CacheEngine::close);
  }

  /** Which of Ehcache's files get random bytes: those that are not the data file itself. */
  enum Target {
    INDEX(".index"),
    METADATA(".meta"),
    ALL_BUT_DATA("");

    final String suffix;

    Target(String suffix) {
      this.suffix = suffix;
    }
  }

  static Stream<Arguments> corruptions() {
    List<Arguments> cases = new ArrayList<>();
    for (Target target : Target.values()) {
      for (long seed = 1; seed <= 4; seed++) {
        cases.add(Arguments.of(target, seed));
      }
    }
    return cases.stream();
  }

  private CacheEngine open(Path folder) {
    CacheEngine engine = EngineManager.getDefault().create(CacheConfig.builder().engine("ehcache")
        .set(EhcacheSettings.BASE_DIR, temp)
        .set(EhcacheSettings.FOLDER, folder.getFileName().toString()).build());
    engines.add(engine);
    return engine;
  }

  @ParameterizedTest(name = "{0}, seed {1}")
  @MethodSource("corruptions")
  void reopen_indexFilesOverwrittenWithRandomBytes_discardsTheFolderWithOneWarning(
      Target target, long seed) throws IOException {
    Path folder = temp.resolve("f");
    CacheEngine writer = open(folder);
    Cache<String, String> cache = writer.cache("c", String.class, String.class);
    for (int i = 0; i < 500; i++) {
      cache.put("k" + i, "value " + i);
    }
    writer.cache("other", Integer.class, String.class).put(1, "one");
    writer.close();
    engines.remove(writer);

    List<Path> files = corrupt(folder.resolve(EngineFolder.EHCACHE), target, new Random(seed));
    assertThat(files).as("files overwritten").isNotEmpty();

    CacheEngine engine = open(folder);
    Cache<String, String> reopened = engine.cache("c", String.class, String.class);
    assertThat(reopened.get("k1")).isNull();
    assertThat(reopened.stats().errorCount()).as("the discarded store, counted").isOne();
    assertThat(engine.cache("other", Integer.class, String.class).get(1)).isNull();
    reopened.put("after", "works");
    assertThat(reopened.get("after")).isEqualTo("works");
    List<LogRecord> warnings = logs.records().stream()
        .filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()).toList();
    assertThat(warnings).as("warnings").singleElement().satisfies(warning ->
        assertThat(warning.getMessage()).contains(folder.toRealPath().toString()));

    engine.close();
    engines.remove(engine);
    assertThat(open(folder).cache("c", String.class, String.class).get("after"))
        .as("the fresh store, kept by a clean close").isEqualTo("works");
  }

  /**
   * A folder closed by an earlier version has an empty clean marker, without checksums: the
   * damage is found when Ehcache fails to open the cache, which is then discarded alone.
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void reopen_metadataDamagedInAFolderWithoutChecksums_discardsTheCacheWithOneWarning(long seed)
      throws IOException {
    Path folder = temp.resolve("f");
    CacheEngine writer = open(folder);
    Cache<String, String> cache = writer.cache("c", String.class, String.class);
    for (int i = 0; i < 100; i++) {
      cache.put("k" + i, "value " + i);
    }
    writer.close();
    engines.remove(writer);
    Files.write(folder.resolve(EngineFolder.CLEAN_MARKER), new byte[0]);
    assertThat(corrupt(folder.resolve(EngineFolder.EHCACHE), Target.METADATA, new Random(seed)))
        .isNotEmpty();

    CacheEngine engine = open(folder);
    Cache<String, String> reopened = engine.cache("c", String.class, String.class);
    assertThat(reopened.get("k1")).isNull();
    assertThat(reopened.stats().errorCount()).as("the discarded store, counted").isOne();
    reopened.put("after", "works");
    assertThat(reopened.get("after")).isEqualTo("works");
    assertThat(logs.records().stream().filter(r -> r.getLevel().intValue() >= Level.WARNING.intValue()))
        .singleElement().satisfies(warning -> assertThat(warning.getMessage())
            .contains(folder.toRealPath().toString()).contains("'c'"));
  }

  /** Overwrites the matching files under {@code root} with random bytes of random length. */
  private static List<Path> corrupt(Path root, Target target, Random random) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile)
          .filter(file -> !file.getFileName().toString().endsWith(".data"))
          .filter(file -> file.getFileName().toString().endsWith(target.suffix))
          .collect(Collectors.toList());
    }
    for (Path file : files) {
      int length = 1 + random.nextInt((int) Math.max(2, Files.size(file) * 2));
      byte[] bytes = new byte[length];
      random.nextBytes(bytes);
      Files.write(file, bytes);
    }
    return files;
  }
}
